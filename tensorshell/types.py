"""``ts.types``: TensorFlow's ``tf.types`` for type annotations (``TensorLike`` ...)."""

from __future__ import annotations

import typing

import numpy as np

from ._public import submodule as _submodule
from .engine.tensor import Tensor
from .engine.variable import Variable
from .function import Function

__all__ = ["experimental"]

experimental = _submodule(__name__, "experimental", "`ts.types.experimental`, as "
                         "TensorFlow's.", {
                             "TensorLike": typing.Union[Tensor, Variable, np.ndarray,
                                                        np.generic, list, tuple, int, float,
                                                        bool, complex, str, bytes],
                             "Callable": typing.Callable, "GenericFunction": Function,
                             "PolymorphicFunction": Function, "ConcreteFunction": Function})

from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
