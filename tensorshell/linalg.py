"""`ts.linalg`: generated from the op registry's table (see engine/ops)."""

from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["linalg"])
__all__ = sorted(_NAMESPACES["linalg"])

from . import linear_operator as _linear_operator  # noqa: E402 - LinearOperator & co.

globals().update({n: getattr(_linear_operator, n) for n in _linear_operator.__all__})
__all__ = sorted(set(__all__) | set(_linear_operator.__all__))
