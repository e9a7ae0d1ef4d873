"""The immutable Tensor, TensorShape, and conversion of Python and NumPy values to tensors.

A Tensor wraps one backend array (a NumPy array or scalar on CPUs) plus its DType and Device.
Nothing ever writes to that array: ``t.numpy()`` returns a copy and ``np.asarray(t)`` a
read-only view, so views of it may be shared freely between tensors. Operators and most
methods are attached from the op registry (see ``ops/registry.py``).
"""

from __future__ import annotations

import math

import numpy as np

from . import dtypes, speedups
from .devices import current, home_for, placement
from .dtypes import DType, from_numpy
from .errors import value_does_not_fit

_new = object.__new__


class TensorShape:
    """The shape of a tensor; compares equal to tuples and lists (``t.shape == (2, 3)``)."""

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, (int, np.integer)):
            self._dims = (int(dims),)
        else:
            self._dims = tuple(None if d is None else int(d) for d in dims)

    @property
    def rank(self):
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    def as_list(self) -> list:
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_fully_defined(self) -> bool:
        return self._dims is not None and None not in self._dims

    def is_compatible_with(self, other) -> bool:
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return True
        return len(self._dims) == len(other._dims) and all(
            a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def concatenate(self, other) -> "TensorShape":
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    __add__ = concatenate

    def __radd__(self, other):
        return TensorShape(other).concatenate(self)

    def assert_is_compatible_with(self, other) -> None:
        """Raises ValueError unless ``other`` could be this shape (``None`` matches any size)."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {TensorShape(other)} are incompatible")

    def merge_with(self, other) -> "TensorShape":
        """The most specific shape both describe: sizes known in either are kept."""
        other = TensorShape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def most_specific_compatible_shape(self, other) -> "TensorShape":
        """The most specific shape compatible with both: sizes that differ become None."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self._dims, other._dims)])

    def most_specific_common_supertype(self, others):
        """The most specific shape every one of ``self`` and ``others`` is (sizes that
        differ become None)."""
        shape = self
        for other in others:
            shape = shape.most_specific_compatible_shape(other)
        return shape

    def is_subtype_of(self, other) -> bool:
        """Whether every tensor of this shape is of ``other``'s (its None dims match any
        size; an unknown rank matches any shape)."""
        other = TensorShape(other)
        if other._dims is None:
            return True
        if self._dims is None or len(self._dims) != len(other._dims):
            return False
        return all(b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_fully_defined(self) -> None:
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def assert_has_rank(self, rank) -> None:
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other) -> None:
        other = TensorShape(other)
        if self._dims is not None and other._dims is not None \
                and len(self._dims) != len(other._dims):
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def with_rank(self, rank) -> "TensorShape":
        """This shape, or with ``rank`` unknown sizes if the rank is unknown; ValueError when
        the rank is known and differs."""
        if self._dims is None:
            return TensorShape([None] * rank)
        self.assert_has_rank(rank)
        return self

    def with_rank_at_least(self, rank) -> "TensorShape":
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank) -> "TensorShape":
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def __bool__(self):
        return self._dims is not None

    def __eq__(self, other):
        if isinstance(other, TensorShape):
            return self._dims == other._dims
        if isinstance(other, (tuple, list)):
            return self._dims is not None and self._dims == tuple(other)
        return NotImplemented

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self._dims)

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)})"

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"

    def __reduce__(self):
        return TensorShape, (self._dims,)


class Reference:
    """A hashable reference to a tensor or Variable (``t.ref()``), usable as a dict key."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __eq__(self, other):
        return isinstance(other, Reference) and other._obj is self._obj

    def __hash__(self):
        return id(self._obj)

    def __repr__(self):
        return f"<Reference wrapping {self._obj!r}>"


_NUMPY_HINTS = {
    "T": "ts.transpose(t) (tensors are immutable: a transpose is a new tensor)",
    "sum": "ts.reduce_sum(t)", "mean": "ts.reduce_mean(t)",
    "max": "ts.reduce_max(t)", "min": "ts.reduce_min(t)", "prod": "ts.reduce_prod(t)",
    "std": "ts.math.reduce_std(t)", "var": "ts.math.reduce_variance(t)",
    "reshape": "ts.reshape(t, shape)", "astype": "ts.cast(t, dtype)",
    "flatten": "ts.reshape(t, [-1])", "ravel": "ts.reshape(t, [-1])",
    "transpose": "ts.transpose(t)", "dot": "ts.matmul(a, b)", "argmax": "ts.argmax(t)",
    "argmin": "ts.argmin(t)", "squeeze": "ts.squeeze(t)", "any": "ts.reduce_any(t)",
    "all": "ts.reduce_all(t)", "copy": "ts.identity(t)", "size": "ts.size(t)",
    "tolist": "t.numpy().tolist()", "item": "t.numpy().item()",
}


class _NumpyHint:
    """A NumPy attribute tensors lack, answering with the tensorshell spelling.

    Descriptors rather than ``__getattr__``: a class with ``__getattr__`` pays a Python-level
    hook on every attribute read (``t._data`` included), ~20% of a small op's dispatch."""

    __slots__ = ("name", "hint")

    def __init__(self, hint: str):
        self.hint = hint

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        raise AttributeError(f"{(owner or type(obj)).__name__} has no attribute {self.name!r}; "
                             f"use {self.hint}")


class Tensor:
    """An immutable multidimensional array with a dtype and a device.

    >>> t = ts.constant([[1., 2., 3.], [4., 5., 6.]])
    >>> t.shape, t.dtype
    (TensorShape([2, 3]), ts.float32)
    """

    __slots__ = ("_data", "_dtype", "_device", "__weakref__")
    __array_priority__ = 100
    # Markers the engine tests with getattr(x, name, False) on any value: class attributes,
    # so the lookup never raises.
    _is_variable = False
    _is_ragged = False

    def __init__(self, *args, **kwargs):
        raise TypeError("Tensors are not built directly; use ts.constant(value) or "
                        "ts.convert_to_tensor(value)")

    # -- metadata -----------------------------------------------------------------------------
    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._data.shape)

    def get_shape(self) -> TensorShape:
        return TensorShape(self._data.shape)

    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def device(self) -> str:
        return self._device.name

    @property
    def backing_device(self) -> str:
        """Where the tensor's memory is: its device."""
        return self._device.name

    def set_shape(self, shape) -> None:
        """Check that the tensor's shape is compatible with ``shape`` (an eager tensor's
        shape is already known, so this only checks), as TensorFlow does."""
        if not TensorShape(self.shape).is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {TensorShape(self.shape)} is not compatible "
                             f"with supplied shape {TensorShape(shape)}.")

    # -- NumPy interop ------------------------------------------------------------------------
    def numpy(self):
        """A writeable NumPy copy of the value (a NumPy scalar for rank 0)."""
        data = self._data
        if self._device.backend.is_gpu:
            data = self._device.backend.to_numpy(data)
        if data.ndim == 0:
            return data[()]
        return np.array(data)

    def __array__(self, dtype=None, copy=None):
        data = self._data
        if self._device.backend.is_gpu:
            data = self._device.backend.to_numpy(data)
        if copy:
            return np.array(data, dtype=dtype)
        view = np.asarray(data, dtype=dtype).view()  # never the tensor's own array object
        view.flags.writeable = False
        return view

    # -- devices ------------------------------------------------------------------------------
    def cpu(self, index: int = 0) -> "Tensor":
        """A copy of this tensor on ``/cpu:index`` (itself when it already lives there)."""
        return _to(self, f"/cpu:{index}")

    def gpu(self, index: int = 0) -> "Tensor":
        """A copy of this tensor on ``/gpu:index``; raises when that GPU does not exist."""
        return _to(self, f"/gpu:{index}")

    def __dlpack__(self, **kwargs):
        """Zero-copy export to PyTorch, JAX, CuPy or NumPy (``np.from_dlpack(t)``). The
        consumer shares this tensor's memory and must not write to it."""
        data = self._data
        if isinstance(data, np.generic):
            data = np.asarray(data)
        return data.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        data = self._data
        if isinstance(data, np.generic):
            return (1, 0)  # kDLCPU
        return data.__dlpack_device__()

    # -- Python protocols ---------------------------------------------------------------------
    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(self._data.shape[0]))

    def __bool__(self):
        if self._data.size != 1:
            raise ValueError(f"The truth value of a tensor with {self._data.size} elements "
                             "is ambiguous; use ts.reduce_any(t) or ts.reduce_all(t)")
        return bool(self.numpy())

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __index__(self):
        if not self._dtype.is_integer or self._data.ndim:
            raise TypeError(f"Only scalar integer tensors can be used as an index, got a "
                            f"{self._dtype.name} tensor of shape {self.shape}")
        return int(self.numpy())

    def _scalar(self, kind):
        if self._data.size != 1:
            raise TypeError(f"only tensors with one element can be converted to a Python "
                            f"{kind}; this one has shape {self.shape}")
        if self._dtype.is_string:
            raise TypeError(f"a string tensor cannot be converted to a Python {kind}")
        return self.numpy().reshape(()).item() if self._data.ndim else self.numpy().item()

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self) -> Reference:
        """A hashable reference to this tensor, for use as a dict key or in a set."""
        return Reference(self)

    def experimental_ref(self) -> Reference:
        return Reference(self)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return constant, (self.numpy(), self._dtype)

    def __format__(self, spec):
        if spec and self._data.ndim == 0:
            return format(self.numpy(), spec)
        return format(str(self), spec)

    # -- text ---------------------------------------------------------------------------------
    def _numpy_text(self, is_repr: bool) -> str:
        """The value as TensorFlow's repr shows it: NumPy's own printing (the display layer
        has tensorshell's stable format)."""
        value = self.numpy() if self._data.ndim == 0 else np.asarray(self)  # a view, no copy
        if self._data.ndim == 0:
            text = repr(value) if self._dtype.is_string else str(value)
        else:
            text = repr(value) if is_repr else str(value)
        return "\n" + text if "\n" in text else text

    # -- display protocols: the display layer is imported on first use, never at import ----
    def _repr_mimebundle_(self, include=None, exclude=None):
        from ..display.render import mimebundle
        return mimebundle(self, include, exclude)

    def __rich_console__(self, console, options):
        from ..display.render import TensorView
        yield TensorView(self)

    def __repr__(self):
        return (f"<ts.Tensor: shape={self.shape}, dtype={self._dtype.name}, "
                f"device=/{self._device.short}, numpy={self._numpy_text(True)}>")

    def __str__(self):
        return (f"ts.Tensor({self._numpy_text(False)}, shape={self.shape}, "
                f"dtype={self._dtype.name}, device=/{self._device.short})")


def add_numpy_hints(cls):
    """Give ``cls`` the NumPy attributes it lacks as hints (``t.T`` -> use ts.transpose(t)),
    hidden from ``dir()`` so completion never offers them."""
    for name, hint in _NUMPY_HINTS.items():
        if name not in vars(cls):
            attr = _NumpyHint(hint)
            attr.__set_name__(cls, name)
            setattr(cls, name, attr)
    cls.__dir__ = _dir_without_hints


def _dir_without_hints(self):
    return [n for n in object.__dir__(self) if n not in _NUMPY_HINTS]


add_numpy_hints(Tensor)


def _to(t: Tensor, spec: str) -> Tensor:
    from .devices import lookup
    dev = lookup(spec)
    if t._device is dev:
        return t
    return wrap(dev.backend.adopt(t._data, t._device.backend), t._dtype, dev)


def wrap(data, dtype: DType, device=None) -> Tensor:
    """A Tensor around a backend array the caller will never write to again."""
    t = _new(Tensor)
    t._data = data
    t._dtype = dtype
    t._device = device if device is not None else current()
    return t


def is_tensor(x) -> bool:
    """Whether ``x`` is a tensor or a Variable (``ts.is_tensor``)."""
    return isinstance(x, Tensor) or getattr(x, "_is_variable", False)


# ---------------------------------------------------------------------------------------------
# Converting Python and NumPy values
# ---------------------------------------------------------------------------------------------

def _strings(arr: np.ndarray) -> np.ndarray:
    """Unicode/bytes/object arrays as TensorFlow's string representation: object arrays of bytes."""
    if arr.dtype.kind == "U":
        arr = np.char.encode(arr, "utf-8")
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(arr.reshape(-1).tolist()):
        if isinstance(v, str):
            v = v.encode("utf-8")
        elif not isinstance(v, bytes):
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        flat[i] = v
    return out


def _leaves(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def infer(value, overflow_ok: bool = False) -> tuple[np.ndarray, DType]:
    """A NumPy array and the DType TensorFlow would give ``value`` (floats -> float32, ints ->
    int32 or int64, NumPy arrays keep theirs). A finite Python float beyond float32's range
    raises ValueError, as in TensorFlow, unless ``overflow_ok`` (a caller that converts to
    another dtype itself)."""
    t = type(value)
    if t is float:
        if not -_F32_INF < value < _F32_INF and not overflow_ok and math.isfinite(value):
            raise _float32_overflow(value)
        return np.array(value, np.float32), dtypes.float32
    if t is int:
        if -2**31 <= value < 2**31:
            return np.array(value, np.int32), dtypes.int32
        if -2**63 <= value < 2**63:
            return np.array(value, np.int64), dtypes.int64
        raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.")
    if t is bool:
        return np.array(value), dtypes.bool
    if isinstance(value, Tensor):
        return value.numpy() if value._data.ndim == 0 else np.asarray(value), value._dtype
    if getattr(value, "_is_variable", False):
        return infer(value.value(), overflow_ok)
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.array(value)  # a copy: later writes to the array never reach the tensor
        if arr.dtype.kind in "USO":
            return _strings(arr), dtypes.string
        return arr, from_numpy(arr.dtype)
    if t is complex:
        return np.array(value, np.complex128), dtypes.complex128
    if t is str or t is bytes:
        return _strings(np.array(value, dtype=object)), dtypes.string
    if value is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    if isinstance(value, (list, tuple)):
        return _infer_sequence(value, overflow_ok)
    if t is TensorShape:                       # its dimensions, as TensorFlow converts it
        dims = value.as_list() if value._dims is not None else None
        if dims is None or None in dims:
            raise ValueError(f"Cannot convert a partially known TensorShape {value} to a "
                             f"Tensor.")
        big = any(d >= 2**31 for d in dims)
        return np.array(dims, np.int64 if big else np.int32), \
            dtypes.int64 if big else dtypes.int32
    stands_for = tensor_of(value)
    if stands_for is not None:
        return infer(stands_for, overflow_ok)
    if hasattr(value, "__array__") or hasattr(value, "__dlpack__"):
        return infer(np.asarray(value))
    if isinstance(value, (int, float)):  # int/float subclasses, e.g. IntEnum
        return infer(t.__mro__[1](value) if t.__mro__[1] in (int, float) else float(value),
                     overflow_ok)
    raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                     f"({t}) to a Tensor.")


# Python floats at or beyond this round to float32's infinity (half an ulp above its max)
_F32_INF = 3.4028235677973366e38
_hypot = math.hypot


def _float32_overflow(value) -> ValueError:
    return value_does_not_fit(
        None, _short(value), "float32",
        "it overflows float32, the dtype Python floats get; pass dtype=ts.float64 to keep it",
        hint="ts.constant(value, dtype=ts.float64)", cls=ValueError)


def floats_fit_float32(value) -> bool:
    """Whether ``value`` is a list of Python floats (ints allowed beside them) that becomes
    float32 without anything a constructor must refuse. Conservative: False sends the caller
    to the general path, which decides and explains. (C version: _speedups.c.)"""
    kinds = set(map(type, value))
    if kinds != _FLOATS or len(value) > 64:
        return False
    try:
        return _hypot(*value) < _F32_INF  # the norm bounds every entry
    except OverflowError:
        return False


_FLOATS = frozenset({float})


def _python_floats_fit(value, arr: np.ndarray) -> bool:
    """Whether ``arr`` (Python numbers ``value`` made float32) lost no finite value to
    infinity. A short flat list is checked by its Euclidean norm (one C call), which bounds
    every entry; anything else, or a large norm, by the array."""
    if type(value) is list and floats_fit_float32(value):
        return True
    lost = np.isinf(arr)
    return not lost.any() or not np.isfinite(np.asarray(value, np.float64)[lost]).any()


def _infer_sequence(value, overflow_ok: bool = False) -> tuple[np.ndarray, DType]:
    kinds = set(map(type, value))
    if kinds == {float} or kinds == {float, int}:  # the common flat list of numbers
        if int in kinds and not all(-2**63 <= v < 2**63 for v in value if type(v) is int):
            raise ValueError("Can't convert Python sequence with out-of-range integer to "
                             "Tensor.")
        arr = np.array(value, np.float32)
        if not overflow_ok and not _python_floats_fit(value, arr):
            raise _float32_overflow(value)
        return arr, dtypes.float32
    if kinds == {int}:
        arr = np.array(value)
        if arr.dtype == np.int64 and arr.min() >= -2**31 and arr.max() < 2**31:
            return arr.astype(np.int32), dtypes.int32
    if value and all(isinstance(v, Tensor) or getattr(v, "_is_variable", False)
                     for v in value):
        first = value[0].dtype
        if any(v.dtype is not first for v in value):
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        return np.array([np.asarray(v) for v in value]), first
    try:
        arr = np.array(value)
    except (ValueError, TypeError) as e:
        if "inhomogeneous" in str(e) or "sequence" in str(e):
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") \
                from None
        raise ValueError(f"Can't convert Python sequence to Tensor: {e}") from None
    except OverflowError:
        raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.") \
            from None
    kind = arr.dtype.kind
    if kind == "f":
        if arr.dtype == np.float64 and _all_python(value):
            narrow = arr.astype(np.float32)
            if not overflow_ok and not _python_floats_fit(arr, narrow):
                raise _float32_overflow(value)
            return narrow, dtypes.float32
        return arr, from_numpy(arr.dtype)
    if kind == "i":
        kinds = {type(v) for v in _leaves(value)}
        if bool in kinds and len(kinds) > 1:
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        if arr.dtype == np.int64 and _all_python(value):
            if arr.size == 0 or (arr.min() >= -2**31 and arr.max() < 2**31):
                return arr.astype(np.int32), dtypes.int32
        return arr, from_numpy(arr.dtype)
    if kind in "US":
        if any(not isinstance(v, (str, bytes, np.str_, np.bytes_)) for v in _leaves(value)):
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        return _strings(arr), dtypes.string
    if kind == "O":
        leaves = list(_leaves(value))
        if any(v is None for v in leaves):
            raise ValueError("Attempt to convert a value (None) with an unsupported type "
                             "(<class 'NoneType'>) to a Tensor.")
        if all(isinstance(v, int) for v in leaves):
            raise ValueError("Can't convert Python sequence with out-of-range integer to "
                             "Tensor.")
        if arr.ndim and arr.shape != np.array(value, dtype=object).shape:
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
        raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
    if kind == "b" or kind == "c" or kind == "u":
        return arr, from_numpy(arr.dtype)
    if arr.dtype == np.float64 or kind == "f":
        return arr.astype(np.float32), dtypes.float32
    return arr, from_numpy(arr.dtype)


def _all_python(value) -> bool:
    return all(type(v) in (int, float, bool) for v in _leaves(value))


def to_dtype(value, dtype: DType, op_name: str | None = None, label: str = "value",
             constructor: bool = False, anchor: str | None = None) -> np.ndarray:
    """``value`` as a NumPy array of ``dtype``, refusing any conversion that loses data.

    ``constructor`` selects the exception classes TensorFlow's ``tf.constant`` uses (TypeError
    for a change of kind, ValueError for overflow); ops raise InvalidArgumentError.
    """
    t = type(value)
    if t is int or t is float or t is bool or t is complex or t is str or t is bytes:
        if dtypes.python_scalar_fits(value, dtype):
            if dtype.is_string:
                return _strings(np.array(value, dtype=object))
            return np.array(value, dtype._np)
        arr = None
        refusal = dtypes.scalar_refusal(value, dtype)
    else:
        if not isinstance(value, (Tensor, np.ndarray, list, tuple)) and \
                not getattr(value, "_is_variable", False):
            stands_for = tensor_of(value)          # IndexedSlices, registered types
            if stands_for is not None:
                value = stands_for
        if isinstance(value, Tensor) or getattr(value, "_is_variable", False):
            if value.dtype is not dtype:
                raise TypeError(f"Tensor conversion requested dtype {dtype.name} for Tensor "
                                f"with dtype {value.dtype.name}: use ts.cast")
            return np.asarray(value)
        arr, natural = infer(value, overflow_ok=True)
        python_floats = natural is dtypes.float32 and isinstance(value, (list, tuple)) \
            and arr.size > 0  # [] infers float32 but holds no float
        if python_floats and dtype.is_integer:
            # as a Python float scalar, and as TensorFlow: [1.0, 2.0] is not an int list
            refusal = dtypes.Refusal("Python floats do not become integers implicitly", False)
        else:
            if python_floats:
                # Python floats default to float32; converted to another dtype they keep
                # their exact values ([0.1] as float64 is 0.1, not 0.10000000149), and to
                # float32 they are checked against its range from their exact values
                arr = np.array(value, np.float64)
            refusal = dtypes.array_fits(arr, dtype)
        if refusal is None:
            if dtype.is_string:
                return arr
            with np.errstate(all="ignore"):
                return arr.astype(dtype._np, copy=False)
    text = _short(value)
    if constructor:
        if refusal.out_of_range:
            raise value_does_not_fit(None, text, dtype.name, refusal.why, cls=ValueError)
        raise TypeError(f"Cannot convert {text} to EagerTensor of dtype {dtype.name}: "
                        f"{refusal.why}")
    hint = f"ts.cast({anchor}, ts.{_wider_for(value, dtype).name})" \
        if op_name and anchor is not None else None
    from .errors import Operand
    shape = tuple(np.shape(value)) if arr is None else arr.shape
    raise value_does_not_fit(op_name, text, dtype.name, refusal.why, hint=hint,
                             operand=Operand(label, _natural(value).name, shape,
                                             current().short))


def _wider_for(value, dtype: DType) -> DType:
    """The dtype to cast the tensor to so that ``value`` fits: the fix an error suggests."""
    natural = _natural(value)
    target = dtypes.widening_target(dtype, natural)
    if target is dtype:  # same kind, value too large: the widest of that kind
        target = {"f": dtypes.float64, "i": dtypes.int64, "u": dtypes.uint64,
                  "c": dtypes.complex128}.get(dtype._np.kind, target)
    return target


def _natural(value) -> DType:
    try:
        return infer(value)[1]
    except (ValueError, TypeError):
        return dtypes.float32


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# (priority, order, types, function) for register_tensor_conversion_function, tried in order
CONVERSIONS: list = []


def tensor_of(value):
    """The tensor an object stands for - TensorFlow's ``__tf_tensor__`` protocol
    (``IndexedSlices`` ...) or a registered conversion function - else None. Every
    conversion (ops' operands, ``convert_to_tensor``, assignments) goes through here."""
    protocol = getattr(type(value), "__tf_tensor__", None)
    if protocol is not None:
        return protocol(value)
    for _, _, types_, convert in CONVERSIONS:
        if isinstance(value, types_):
            return convert_to_tensor(convert(value, dtype=None, name=None, as_ref=False))
    return None


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """A Tensor from a tensor, Variable, NumPy array or Python value.

    >>> ts.convert_to_tensor([1, 2]).dtype
    ts.int32
    """
    if type(value) is Tensor and dtype is None:
        return value
    if getattr(value, "_is_variable", False):
        value = value.value()
        if dtype is None:
            return value
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        if isinstance(value, Tensor):
            if value._dtype is not dtype:
                raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor "
                                 f"with dtype {value._dtype.name}: {value!r}")
            return value
        return _place(to_dtype(value, dtype, constructor=True), dtype)
    if isinstance(value, Tensor):
        return value
    if dtype_hint is not None:
        hint = dtypes.as_dtype(dtype_hint)
        try:
            return _place(to_dtype(value, hint, constructor=True), hint)
        except (TypeError, ValueError):
            pass
    arr, dt = infer(value)
    return _place(arr, dt)


def _place(arr: np.ndarray, dtype: DType) -> Tensor:
    dev = home_for(dtype, current())
    if dev.backend.is_gpu:
        arr = dev.backend.from_numpy(arr)
    return wrap(arr, dtype, dev)


_FLOAT32 = np.dtype(np.float32)
_TS_FLOAT32 = dtypes.float32


_floats_fit = speedups.fast(floats_fit_float32)


def constant(value, dtype=None, shape=None, name="Const") -> Tensor:
    """An immutable tensor holding ``value``.

    >>> ts.constant([[1., 2., 3.], [4., 5., 6.]])   # float32, like TensorFlow
    >>> ts.constant(42)                              # int32 scalar
    >>> ts.constant(1, shape=(2, 2))                 # a scalar fills the shape
    """
    if dtype is None and shape is None and type(value) is list and _floats_fit(value):
        dev = placement.device if placement.initialized else current()
        if not dev.backend.is_gpu:
            t = _new(Tensor)  # wrap(), inlined: this is the hot constructor
            t._data = np.array(value, _FLOAT32)
            t._dtype = _TS_FLOAT32
            t._device = dev
            return t
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        if isinstance(value, Tensor) or getattr(value, "_is_variable", False):
            if value.dtype is not dtype:
                raise TypeError(f"Cannot convert a {value.dtype.name} tensor to dtype "
                                f"{dtype.name} in ts.constant: use ts.cast")
            arr = np.array(value)
        else:
            arr = to_dtype(value, dtype, constructor=True)
            if arr is value:
                arr = arr.copy()
    else:
        arr, dtype = infer(value)
        if arr is value:
            arr = arr.copy()
    if shape is not None:
        shape = tuple(int(d) for d in TensorShape(shape))
        size = int(np.prod(shape, dtype=np.int64))
        if arr.size == 1:
            try:
                arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
            except MemoryError as e:
                from .errors import from_kernel
                raise from_kernel("constant", e, []) from None
        elif arr.size == size:
            arr = arr.reshape(shape)
        else:
            raise TypeError(f"Eager execution of ts.constant with unsupported shape. Value "
                            f"has {arr.size} elements, but got `shape` {shape} with {size} "
                            "elements.")
    return _place(arr, dtype)
