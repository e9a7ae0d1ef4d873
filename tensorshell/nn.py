"""`ts.nn`: generated from the op registry's table (see engine/ops)."""

from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["nn"])
__all__ = sorted(_NAMESPACES["nn"])

from .sparse import embedding_lookup_sparse, safe_embedding_lookup_sparse  # noqa: E402,F401

__all__ = sorted(__all__ + ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"])

from ._public import submodule as _submodule  # noqa: E402
from .engine.ops.composites import general_dropout as _general_dropout  # noqa: E402
from .engine.ops.composites import stateless_dropout as _stateless_dropout  # noqa: E402

experimental = _submodule(__name__, "experimental", "`ts.nn.experimental`, as TensorFlow's.",
                          {"general_dropout": _general_dropout,
                           "stateless_dropout": _stateless_dropout})
__all__ = sorted(__all__ + ["experimental"])
