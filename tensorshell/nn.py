"""`ts.nn`: generated from the op registry's table (see engine/ops)."""

from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["nn"])
__all__ = sorted(_NAMESPACES["nn"])

from .sparse import embedding_lookup_sparse, safe_embedding_lookup_sparse  # noqa: E402,F401

__all__ = sorted(__all__ + ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"])
