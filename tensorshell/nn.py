"""`ts.nn`: generated from the op registry's table (see engine/ops)."""

from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["nn"])
__all__ = sorted(_NAMESPACES["nn"])

from .sparse import embedding_lookup_sparse, safe_embedding_lookup_sparse  # noqa: E402,F401

__all__ = sorted(__all__ + ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"])

import sys as _sys  # noqa: E402
import types as _types  # noqa: E402

from .engine.ops.composites import general_dropout as _general_dropout  # noqa: E402
from .engine.ops.composites import stateless_dropout as _stateless_dropout  # noqa: E402

experimental = _types.ModuleType(__name__ + ".experimental",
                                 "`ts.nn.experimental`, as TensorFlow's.")
experimental.general_dropout = _general_dropout
experimental.stateless_dropout = _stateless_dropout
experimental.__all__ = ["general_dropout", "stateless_dropout"]
_sys.modules[experimental.__name__] = experimental
__all__ = sorted(__all__ + ["experimental"])
