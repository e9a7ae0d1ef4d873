"""TensorFlow's framework helpers that are not ops on tensor values: ``get_static_value``,
``broadcast_static_shape``, ``timestamp``, ``get_logger``, the name-scope and graph queries
eager code calls (``get_current_name_scope``, ``inside_function``, ``is_symbolic_tensor``),
the Variable distribution enums, and ``gradients``/``hessians``, which raise as TensorFlow's
do in eager mode."""

from __future__ import annotations

import enum
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


class VariableAggregation(enum.Enum):
    """How updates from several replicas combine (``ts.Variable(..., aggregation=)``)."""
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class VariableSynchronization(enum.Enum):
    """When a distributed Variable synchronises (``ts.Variable(..., synchronization=)``)."""
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


def get_current_name_scope() -> str:
    """The ``ts.name_scope`` stack as a string (``"a/b"``), "" outside any."""
    from .engine.variable import NAME_SCOPES
    return "".join(NAME_SCOPES).rstrip("/")


def inside_function() -> bool:
    """False: code here runs eagerly, ``@ts.function`` included."""
    return False


def is_symbolic_tensor(tensor) -> bool:
    """False: there are no graph tensors here."""
    return False


def gradients(ys, xs, grad_ys=None, name="gradients", gate_gradients=False,
              aggregation_method=None, stop_gradients=None,
              unconnected_gradients=None):
    """Graph-mode gradients: unavailable when executing eagerly, as in TensorFlow 2."""
    raise RuntimeError("tf.gradients is not supported when eager execution is enabled. Use "
                       "tf.GradientTape instead (ts.GradientTape here).")


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False,
             gate_gradients=False, aggregation_method=None):
    """Graph-mode Hessians: unavailable eagerly, as in TensorFlow 2 (nest two
    ``ts.GradientTape``s, or use ``tape.jacobian`` of a gradient)."""
    gradients(ys, xs)


def guarantee_const(input, name=None):  # noqa: A002 - TensorFlow's name
    """``input`` unchanged (a graph-compiler hint in TensorFlow)."""
    from .engine.ops.shape import identity
    return identity(input)


def parallel_stack(values, name="parallel_stack"):
    """Not available eagerly, as in TensorFlow: use ``ts.stack``."""
    raise RuntimeError("tf.parallel_stack() is not compatible with eager execution; use "
                       "ts.stack(values) instead.")
