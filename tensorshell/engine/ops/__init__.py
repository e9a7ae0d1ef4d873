"""The op families; importing this package fills the registry."""

from . import (conv, creation, elementwise, indexing, linalg, nn, operators, random,  # noqa: F401
               reduction, scatter, shape, signal, special, special_functions)
from . import composites  # noqa: F401,E402 - built from the families above
from . import (bits, candidates, ctc, decompositions, image, nn_extra,  # noqa: F401,E402
               rearrange)  # these use the families above
from .registry import NAMESPACES, OPS  # noqa: F401
