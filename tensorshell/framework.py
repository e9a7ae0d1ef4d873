"""TensorFlow's framework helpers that are not ops on tensor values: ``get_static_value``,
``broadcast_static_shape``, ``timestamp``, ``get_logger``, the name-scope and graph queries
eager code calls (``get_current_name_scope``, ``inside_function``, ``is_symbolic_tensor``),
the Variable distribution enums, and ``gradients``/``hessians``, which raise as TensorFlow's
do in eager mode."""

from __future__ import annotations

import enum
import logging
import time

import numpy as np

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


__all__ = ["DeviceSpec", "broadcast_static_shape", "get_logger", "get_static_value",
           "register_tensor_conversion_function", "required_space_to_batch_paddings",
           "timestamp"]


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


class DeviceSpec:
    """A device's address (job, replica, task, type, index), as TensorFlow's
    ``tf.DeviceSpec``; ``ts.device(spec)`` takes one.

    >>> ts.DeviceSpec.from_string("/job:localhost/replica:0/task:0/device:GPU:1").device_type
    'GPU'
    """

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None,
                 device_index=None):
        self._job = job
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        kind = device_type.upper() if isinstance(device_type, str) and \
            device_type.lower() in ("cpu", "gpu") else device_type
        self._device_type = kind
        self._device_index = None if device_index is None else int(device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec: str) -> "DeviceSpec":
        """Parse ``/job:x/replica:0/task:0/device:GPU:1`` (any part may be left out;
        ``/gpu:0`` and ``GPU:0`` forms too)."""
        fields = {}
        for part in (p for p in spec.strip().split("/") if p):
            bits = part.split(":")
            key = bits[0].lower()
            if key in ("job", "replica", "task") and len(bits) == 2:
                fields[key] = bits[1] if key == "job" else int(bits[1])
            elif key == "device" and len(bits) in (2, 3):
                fields["device_type"] = bits[1]
                if len(bits) == 3 and bits[2] != "*":
                    fields["device_index"] = int(bits[2])
            elif len(bits) in (1, 2) and key in ("cpu", "gpu", "tpu"):
                fields["device_type"] = bits[0]
                if len(bits) == 2 and bits[1] != "*":
                    fields["device_index"] = int(bits[1])
            else:
                raise ValueError(f"Unknown attribute: '{part}' in '{spec}'")
        return cls(**fields)

    def parse_from_string(self, spec: str) -> "DeviceSpec":
        return self.from_string(spec)

    def to_string(self) -> str:
        out = ""
        if self._job is not None:
            out += f"/job:{self._job}"
        if self._replica is not None:
            out += f"/replica:{self._replica}"
        if self._task is not None:
            out += f"/task:{self._task}"
        if self._device_type is not None:
            index = "*" if self._device_index is None else self._device_index
            out += f"/device:{self._device_type}:{index}"
        return out

    def replace(self, **kwargs) -> "DeviceSpec":
        fields = dict(job=self._job, replica=self._replica, task=self._task,
                      device_type=self._device_type, device_index=self._device_index)
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def make_merged_spec(self, dev: "DeviceSpec") -> "DeviceSpec":
        """This spec with ``dev``'s fields where ``dev`` sets them."""
        return self.replace(**{k: v for k, v in dict(
            job=dev.job, replica=dev.replica, task=dev.task, device_type=dev.device_type,
            device_index=dev.device_index).items() if v is not None})

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    def __repr__(self):
        return (f"<DeviceSpec(job={self._job}, replica={self._replica}, task={self._task}, "
                f"device_type={self._device_type}, device_index={self._device_index})>")


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Let values of ``base_type`` (a type or tuple of types) convert to tensors wherever
    ops take tensors: ``conversion_func(value, dtype=None, name=None, as_ref=False)``
    returns a tensor (or something that converts to one). Lower priorities are tried
    first, as in TensorFlow."""
    from .engine import tensor
    types_ = base_type if isinstance(base_type, tuple) else (base_type,)
    if not all(isinstance(t, type) for t in types_):
        raise TypeError("base_type must be a type or a tuple of types")
    if any(issubclass(t, (Tensor, np.ndarray, np.generic, int, float, complex, str, bytes))
           for t in types_):
        raise TypeError("Cannot register conversions for Python numeric types, strings, "
                        "NumPy arrays or tensors")
    if not callable(conversion_func):
        raise TypeError("conversion_func must be callable")
    tensor.CONVERSIONS.append((int(priority), len(tensor.CONVERSIONS), types_,
                               conversion_func))
    tensor.CONVERSIONS.sort(key=lambda entry: entry[:2])


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None,
                                     name=None):
    """``(paddings, crops)`` that make ``input_shape`` (plus ``base_paddings``) divisible
    by ``block_shape``, for space_to_batch_nd / batch_to_space, as TensorFlow computes
    them."""
    from .engine.tensor import convert_to_tensor
    shape = np.asarray(convert_to_tensor(input_shape).numpy()).reshape(-1)
    block = np.asarray(convert_to_tensor(block_shape).numpy()).reshape(-1)
    dtype = convert_to_tensor(input_shape).dtype
    if shape.shape != block.shape:
        raise ValueError(f"input_shape {shape.tolist()} and block_shape {block.tolist()} "
                         "must have the same length")
    base = np.zeros((len(block), 2), np.int64) if base_paddings is None else \
        np.asarray(convert_to_tensor(base_paddings).numpy()).reshape(len(block), 2)
    full = shape + base[:, 0] + base[:, 1]
    extra = (block - full % block) % block
    paddings = np.stack([base[:, 0], base[:, 1] + extra], 1)
    crops = np.stack([np.zeros_like(extra), extra], 1)
    return (constant(paddings.astype(dtype.as_numpy_dtype), dtype),
            constant(crops.astype(dtype.as_numpy_dtype), dtype))
