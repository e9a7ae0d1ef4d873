"""`ts.signal`: Fourier transforms, windows, framing and the short-time Fourier transform,
generated from the op registry's table (see engine/ops/signal.py)."""

from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["signal"])
__all__ = sorted(_NAMESPACES["signal"])
