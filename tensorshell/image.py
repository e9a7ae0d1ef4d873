"""`ts.image`: flips, crops, resizing, colour and dtype conversions for images, generated
from the op registry's table (see engine/ops/image.py)."""

from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["image"])
__all__ = sorted(_NAMESPACES["image"])
