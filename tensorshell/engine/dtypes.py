"""Interned DType objects and every rule about dtypes, in one place.

A DType is compared by identity on the hot path (``x._dtype is y._dtype``); equality also
accepts NumPy dtypes, NumPy scalar types and names, as TensorFlow's does:
``ts.float32 == np.float32 == "float32"``.

The weak-value rule lives here too: a Python scalar, list or NumPy array combined with a tensor
adopts the tensor's dtype when that loses nothing, and raises when it would truncate, wrap or
overflow (TensorFlow silently does all three).
"""

from __future__ import annotations

import builtins
from typing import NamedTuple

import numpy as np

__all__ = [
    "DType", "as_dtype", "float16", "float32", "float64", "half", "double",
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "bool", "complex64", "complex128", "string", "ALL", "NUMERIC", "REAL", "FLOATING",
    "INTEGER", "SIGNED", "FLOAT_COMPLEX", "BOOL",
]


class DType:
    """A tensor element type with TensorFlow's name and attributes (``ts.float32``)."""

    __slots__ = ("name", "_np", "is_floating", "is_integer", "is_complex", "is_bool",
                 "is_unsigned", "is_string", "size", "min", "max", "index", "weak_int",
                 "weak_float", "__weakref__")

    _count = 0

    def __init__(self, name: str, np_dtype):
        self.name = name
        # A small integer per dtype: the hot path indexes lists with it instead of hashing
        self.index = DType._count
        DType._count += 1
        self._np = np.dtype(np_dtype)
        kind = self._np.kind
        self.is_floating = kind == "f"
        self.is_integer = kind in "iu"
        self.is_complex = kind == "c"
        self.is_bool = kind == "b"
        self.is_unsigned = kind in "ub"
        self.is_string = kind == "O"
        self.size = self._np.itemsize if not self.is_string else 0
        if self.is_floating:
            info = np.finfo(self._np)
            self.min, self.max = info.min, info.max
        elif self.is_integer:
            info = np.iinfo(self._np)
            self.min, self.max = int(info.min), int(info.max)
        elif self.is_bool:
            self.min, self.max = False, True
        else:
            self.min = self.max = None
        # Ranges a weak Python int / float must lie in to adopt this dtype on the hot path;
        # anything else (NaN, inf, other kinds) takes the slow path and its full rule.
        big = float(np.finfo(self._np).max) if kind in "fc" else None
        self.weak_int = (self.min, self.max) if self.is_integer else (
            (-big, big) if big is not None else (1, 0))
        self.weak_float = (-big, big) if big is not None else (1.0, 0.0)

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type (``np.float32``), as TensorFlow returns it."""
        return object if self.is_string else self._np.type

    @property
    def np_dtype(self) -> np.dtype:
        return self._np

    @property
    def is_numpy_compatible(self) -> builtins.bool:
        return True

    @property
    def base_dtype(self) -> "DType":
        return self

    @property
    def real_dtype(self) -> "DType":
        if self is complex64:
            return float32
        if self is complex128:
            return float64
        return self

    @property
    def itemsize(self) -> int:
        return self.size

    def is_compatible_with(self, other) -> builtins.bool:
        return self == other

    def __repr__(self):
        return f"ts.{self.name}"

    def __str__(self):
        return f"<dtype: {self.name!r}>"

    def __eq__(self, other):
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.name)

    def __reduce__(self):
        return as_dtype, (self.name,)

    @property
    def as_datatype_enum(self) -> int:
        """TensorFlow's DataType enum value (types.proto), as checkpoints and protos store it."""
        return DATATYPE_ENUM[self.name]


float16 = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = DType("float64", np.float64)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
uint16 = DType("uint16", np.uint16)
uint32 = DType("uint32", np.uint32)
uint64 = DType("uint64", np.uint64)
bool = DType("bool", np.bool_)  # noqa: A001 - TensorFlow's public name
complex64 = DType("complex64", np.complex64)
complex128 = DType("complex128", np.complex128)
string = DType("string", np.object_)

# TensorFlow's types.proto numbers
DATATYPE_ENUM = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
                 "string": 7, "complex64": 8, "int64": 9, "bool": 10, "uint16": 17,
                 "complex128": 18, "float16": 19, "uint32": 22, "uint64": 23}
half = float16
double = float64

ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
       bool, complex64, complex128, string)

# Categories: the op tables name these, never individual dtypes.
FLOATING = frozenset({float16, float32, float64})
SIGNED = frozenset({int8, int16, int32, int64})
UNSIGNED = frozenset({uint8, uint16, uint32, uint64})
INTEGER = SIGNED | UNSIGNED
COMPLEX = frozenset({complex64, complex128})
REAL = FLOATING | INTEGER
NUMERIC = REAL | COMPLEX
FLOAT_COMPLEX = FLOATING | COMPLEX
SIGNED_NUMERIC = FLOATING | SIGNED | COMPLEX
BOOL = frozenset({bool})
ALL_SET = frozenset(ALL)

_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update({"half": float16, "double": float64, "float": float32, "bool_": bool})
_BY_NP = {d._np: d for d in ALL}
_BY_NP[np.dtype("S")] = string
_BY_NP[np.dtype("U")] = string
_BY_TYPE = {d._np.type: d for d in ALL if not d.is_string}
_BY_TYPE.update({float: float32, builtins.bool: bool, complex: complex128, str: string,
                 bytes: string, np.bytes_: string, np.str_: string, np.object_: string})


def as_dtype(type_value) -> DType:
    """Convert a DType, NumPy dtype, NumPy type or name to a ``ts.DType``.

    >>> ts.as_dtype("float32") is ts.float32
    True
    """
    if type(type_value) is DType:
        return type_value
    d = _BY_TYPE.get(type_value) if isinstance(type_value, type) else None
    if d is not None:
        return d
    if isinstance(type_value, str):
        d = _BY_NAME.get(type_value)
        if d is not None:
            return d
    if isinstance(type_value, np.dtype):
        d = _BY_NP.get(type_value) or _BY_NP.get(np.dtype(type_value.kind))
        if d is not None:
            return d
    dt = getattr(type_value, "as_numpy_dtype", None)  # TensorFlow's DType, duck-typed
    if dt is not None and not isinstance(type_value, DType):
        return as_dtype(getattr(type_value, "name", dt))
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} "
                    "to a tensorshell DType.")


def from_numpy(np_dtype: np.dtype) -> DType:
    """The DType of a NumPy array; raises TypeError for dtypes tensorshell has no name for."""
    d = _BY_NP.get(np_dtype)
    if d is None:
        if np_dtype.kind in "SU":
            return string
        raise TypeError(f"tensorshell has no dtype for NumPy's {np_dtype}; "
                        "cast the array to one of: " + ", ".join(x.name for x in ALL))
    return d


# ---------------------------------------------------------------------------------------------
# The weak-value rule: what may adopt a tensor's dtype
# ---------------------------------------------------------------------------------------------

def python_scalar_fits(value, dtype: DType) -> builtins.bool:
    """Whether a Python scalar converts to ``dtype`` without losing anything.

    Float rounding is accepted (as for any float literal), and so are booleans as 0 and 1
    in any numeric dtype (as TensorFlow and Python take them); overflow, wrap-around,
    truncation of a fraction, and changes of kind (float into int, number into bool) are not.
    """
    t = type(value)
    if t is builtins.bool:
        return dtype is bool or dtype.is_integer or dtype.is_floating or dtype.is_complex
    if t is int:
        if dtype.is_integer:
            return dtype.min <= value <= dtype.max
        if dtype.is_floating or dtype.is_complex:
            return -_float_max(dtype) <= value <= _float_max(dtype)
        return False
    if t is float:
        if dtype.is_floating or dtype.is_complex:
            return value != value or value in (_INF, -_INF) or \
                -_float_max(dtype) <= value <= _float_max(dtype)
        return False
    if t is complex:
        return dtype.is_complex
    if t is str or t is bytes:
        return dtype is string
    return False


_INF = float("inf")


def _float_max(dtype: DType) -> float:
    real = dtype.real_dtype
    return float(real.max)


class Refusal(NamedTuple):
    """Why a value cannot adopt a dtype. ``out_of_range``: the kind fits but the value is too
    large (TensorFlow's constructor says ValueError); otherwise the kind itself does not fit
    (TypeError)."""

    why: str
    out_of_range: bool


def scalar_refusal(value, dtype: DType) -> Refusal:
    """The reason a Python scalar that ``python_scalar_fits`` rejected does not fit."""
    t = type(value)
    same_kind = (t is int and (dtype.is_integer or dtype.is_floating or dtype.is_complex)) or \
        (t is float and (dtype.is_floating or dtype.is_complex))
    if not same_kind:
        return Refusal(f"it is a {t.__name__}", False)
    if dtype.is_integer:
        return Refusal(f"it is outside [{dtype.min}, {dtype.max}]", True)
    return Refusal(f"it overflows {dtype.name}", True)


def array_fits(arr: np.ndarray, dtype: DType) -> Refusal | None:
    """Why ``arr`` cannot be converted to ``dtype`` without loss, or None when it can."""
    src = arr.dtype
    kind = src.kind
    if arr.size == 0:
        return None  # nothing to lose
    if dtype.is_string:
        return None if kind in "OSU" else Refusal(f"{src} values are not strings", False)
    if kind in "OSU":
        return Refusal(f"strings cannot become {dtype.name}", False)
    if dtype.is_bool:
        return None if kind == "b" else Refusal(f"{src} values are not booleans", False)
    if kind == "b":
        return None  # False and True are 0 and 1 in every numeric dtype
    if kind == "c" and not dtype.is_complex:
        return Refusal(f"complex values would lose their imaginary part in {dtype.name}",
                       False)
    if dtype.is_integer:
        if kind == "f":
            with np.errstate(all="ignore"):
                lossy = not np.all(np.isfinite(arr)) or np.any(arr != np.trunc(arr))
            if lossy:
                return Refusal(f"{src} values with a fractional part would be truncated to "
                               f"{dtype.name}", False)
        lo, hi = arr.min(), arr.max()
        if lo < dtype.min or hi > dtype.max:
            return Refusal(f"values in [{lo}, {hi}] do not fit {dtype.name} "
                           f"[{dtype.min}, {dtype.max}]", True)
        return None
    if kind in "iuf":  # a floating or complex target
        limit = _float_max(dtype)
        with np.errstate(all="ignore"):
            big = np.abs(arr[np.isfinite(arr)] if kind == "f" else arr)
        if big.size and big.max() > limit:
            return Refusal(f"values up to {big.max()} overflow {dtype.name} (max {limit:g})",
                           True)
    return None


def result_float(dtype: DType) -> DType:
    """The dtype of true division: integers become floats as in TensorFlow."""
    if dtype.is_integer:
        return float32 if dtype.size <= 2 else float64
    return dtype


_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def widening_target(a: DType, b: DType) -> DType:
    """The dtype a mismatched pair should meet at: the higher kind, then the wider type.

    This is the cast the error messages suggest (int32 with float32 meets at float32, float32
    with float64 at float64), so the fix they show never narrows a value.
    """
    ra, rb = _KIND_RANK.get(a._np.kind, -1), _KIND_RANK.get(b._np.kind, -1)
    if ra != rb:
        return a if ra > rb else b
    return a if a.size >= b.size else b
