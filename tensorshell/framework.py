"""TensorFlow's framework helpers that are not ops on tensor values: ``get_static_value``,
``broadcast_static_shape``, ``timestamp`` and ``get_logger``."""

from __future__ import annotations

import logging
import time

from .engine import dtypes
from .engine.shapes import broadcast_shapes, explain_broadcast
from .engine.tensor import Tensor, TensorShape, constant


def get_static_value(tensor, partial=False):
    """The value of ``tensor`` as a NumPy array - eager tensors always have one. Python
    values come back as given; a Variable (mutable, so not static) gives None."""
    if isinstance(tensor, Tensor):
        return tensor.numpy()
    if getattr(tensor, "_is_variable", False):
        return None
    return tensor


def broadcast_static_shape(shape_x, shape_y) -> TensorShape:
    """The shape ``shape_x`` and ``shape_y`` broadcast to (unknown dimensions stay
    unknown); ValueError when they cannot."""
    x, y = TensorShape(shape_x), TensorShape(shape_y)
    if x.rank is None or y.rank is None:
        return TensorShape(None)
    dx, dy = x.as_list(), y.as_list()
    known_x = [1 if d is None else d for d in dx]
    known_y = [1 if d is None else d for d in dy]
    result = broadcast_shapes(tuple(known_x), tuple(known_y))
    if result is None:
        why = explain_broadcast([tuple(known_x), tuple(known_y)])
        raise ValueError("Incompatible shapes for broadcasting. Two shapes are compatible if "
                         "for each dimension pair they are either equal or one of them is 1. "
                         f"Received: {tuple(dx)} and {tuple(dy)}." + (f" ({why})" if why
                                                                      else ""))
    out = list(result)
    n = len(out)
    for i in range(1, n + 1):  # a dimension known on neither side stays unknown
        a = dx[-i] if i <= len(dx) else 1
        b = dy[-i] if i <= len(dy) else 1
        if (a is None and b in (None, 1)) or (b is None and a == 1):
            out[-i] = None
    return TensorShape(out)


def timestamp(name=None):
    """Seconds since the epoch, as a float64 scalar tensor."""
    return constant(time.time(), dtype=dtypes.float64)


def get_logger() -> logging.Logger:
    """tensorshell's logger (``logging.getLogger("tensorshell")``)."""
    return logging.getLogger("tensorshell")


__all__ = ["broadcast_static_shape", "get_logger", "get_static_value", "timestamp"]
