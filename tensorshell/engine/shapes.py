"""Pure shape rules: broadcasting, axes, matmul. Used to validate inputs off the hot path and
to explain a kernel's failure dimension by dimension."""

from __future__ import annotations

from typing import Sequence


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...] | None:
    """The broadcast result of ``shapes``, or None when they do not broadcast."""
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(-ndim, 0):
        size = 1
        for s in shapes:
            d = s[i] if -i <= len(s) else 1
            if d == 1:
                continue
            if size not in (1, d):
                return None
            size = d
        out.append(size)
    return tuple(out)


def explain_broadcast(shapes: Sequence[Sequence[int]]) -> str | None:
    """Which dimension breaks broadcasting, in words, aligned from the right."""
    ndim = max((len(s) for s in shapes), default=0)
    for i in range(-1, -ndim - 1, -1):
        sizes = {s[i] for s in shapes if -i <= len(s)} - {1}
        if len(sizes) > 1:
            dims = ", ".join(str(s[i]) if -i <= len(s) else "-" for s in shapes)
            return (f"dimension {i} (counting from the right) has sizes {dims}; broadcasting "
                    "needs them equal or 1")
    return None


def normalize_axis(axis: int, ndim: int, op_name: str = "") -> int:
    from .errors import invalid
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise invalid(op_name or None,
                      f"axis {axis} is out of range for a tensor of rank {ndim} "
                      f"(valid: [{-ndim}, {ndim}))", kind="shape")
    return axis % ndim if ndim else 0


def normalize_axes(axis, ndim: int, op_name: str = "") -> tuple[int, ...] | None:
    """An int, list or tuple of axes (negatives allowed) as sorted positive axes; None = all."""
    if axis is None:
        return None
    if isinstance(axis, (int,)) or hasattr(axis, "__index__") and not hasattr(axis, "__len__"):
        return (normalize_axis(int(axis), ndim, op_name),)
    axes = tuple(normalize_axis(int(a), ndim, op_name) for a in axis)
    if len(set(axes)) != len(axes):
        from .errors import invalid
        raise invalid(op_name or None, f"duplicate axes in {list(axis)}", kind="shape")
    return tuple(sorted(axes))


def matmul_shapes(a: Sequence[int], b: Sequence[int]) -> str | None:
    """Why ``a @ b`` is invalid, or None."""
    if len(a) < 2 or len(b) < 2:
        return f"matmul needs tensors of rank >= 2, got ranks {len(a)} and {len(b)}"
    if a[-1] != b[-2]:
        return (f"the contraction dimension differs: the last dimension of a is {a[-1]}, "
                f"the second-to-last of b is {b[-2]}")
    if broadcast_shapes(a[:-2], b[:-2]) is None:
        return f"batch dimensions {list(a[:-2])} and {list(b[:-2])} do not broadcast"
    return None
