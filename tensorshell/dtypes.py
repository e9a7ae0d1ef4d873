"""``ts.dtypes``: the dtype objects and conversions under TensorFlow's ``tf.dtypes`` names
(``ts.dtypes.float32 is ts.float32``, ``ts.dtypes.cast is ts.cast``)."""

# ruff: noqa: F401, A004 - re-exports (``bool`` is the dtype, as in TensorFlow)
from .engine.dtypes import (DType, as_dtype, bool, complex64, complex128, double, float16,
                            float32, float64, half, int8, int16, int32, int64, string, uint8,
                            uint16, uint32, uint64)
from .engine.ops.registry import NAMESPACES as _NAMESPACES

cast = _NAMESPACES[""]["cast"]
complex = _NAMESPACES[""]["complex"]  # noqa: A001
saturate_cast = _NAMESPACES[""]["saturate_cast"]

__all__ = ["DType", "as_dtype", "bool", "cast", "complex", "complex64", "complex128", "double",
           "float16", "float32", "float64", "half", "int8", "int16", "int32", "int64",
           "saturate_cast", "string", "uint8", "uint16", "uint32", "uint64"]
