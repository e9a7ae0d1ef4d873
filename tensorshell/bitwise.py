"""`ts.bitwise`: generated from the op registry's table (see engine/ops)."""

from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["bitwise"])
__all__ = sorted(_NAMESPACES["bitwise"])
