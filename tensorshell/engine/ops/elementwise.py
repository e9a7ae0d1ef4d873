"""Elementwise ops, one table entry each. Kernels are written against ``xp`` (NumPy or CuPy).

Exports follow TensorFlow's namespaces: ``""`` is top level (``ts.add``); ``"math"`` is
``ts.math.add``; ``"math:mod"`` exports under another name. ``log`` lives only in ``ts.math``.
"""

from __future__ import annotations

import numpy as np

from ..dtypes import (BOOL, COMPLEX, FLOAT_COMPLEX, FLOATING, INTEGER, NUMERIC, REAL, SIGNED,
                      ALL_SET, bool as bool_, result_float)
from ..errors import invalid
from ..shapes import broadcast_shapes
from .registry import binary, describe, incompatible_shapes_for, not_allowed, op, out, unary, unify

SIGNED_NUMERIC = FLOATING | SIGNED | COMPLEX


def _real_of(d):
    return d.real_dtype


def _truediv(xp):
    def k(x, y):
        dt = getattr(x, "dtype", None)
        if dt is not None and dt.kind in "iu":
            return xp.true_divide(x, y, dtype=np.float32 if dt.itemsize <= 2 else np.float64)
        return xp.true_divide(x, y)
    return k


def _checked_int(xp, name):
    """Integer floordiv/floormod raise on a zero divisor, as TensorFlow does."""
    f = getattr(xp, name)

    def k(x, y):
        if getattr(x, "dtype", np.dtype("f")).kind in "iu":
            if (y == 0) if isinstance(y, int) else not xp.all(y):
                raise ZeroDivisionError("Integer division by zero")
        return f(x, y)
    return k


def _sigmoid(xp):
    return lambda x: 1 / (1 + xp.exp(-x))


def _rsqrt(xp):
    return lambda x: 1 / xp.sqrt(x)


def _squared_difference(xp):
    def k(x, y):
        d = x - y
        return d * xp.conj(d) if d.dtype.kind == "c" else d * d
    return k


def _round(xp):
    return lambda x: xp.round(x)


def _elu(xp):
    return lambda x: xp.where(x > 0, x, xp.expm1(x))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _selu(xp):
    return lambda x: _SELU_SCALE * xp.where(x > 0, x, _SELU_ALPHA * xp.expm1(x))


# -- arithmetic ---------------------------------------------------------------------------------
add = binary("add", NUMERIC, "add")
subtract = binary("subtract", NUMERIC, "subtract")
multiply = binary("multiply", NUMERIC, "multiply")
truediv = binary("truediv", NUMERIC, _truediv, result=result_float)
divide = binary("divide", NUMERIC, _truediv, result=result_float)
floordiv = binary("floordiv", REAL, lambda xp: _checked_int(xp, "floor_divide"),
                  exports=("math",))
floormod = binary("floormod", REAL, lambda xp: _checked_int(xp, "remainder"),
                  exports=("math", "math:mod"))
pow = binary("pow", SIGNED_NUMERIC, "power")  # noqa: A001 - TensorFlow's name
maximum = binary("maximum", REAL, "maximum")
minimum = binary("minimum", REAL, "minimum")
squared_difference = binary("squared_difference", NUMERIC, _squared_difference,
                            exports=("math",))

negative = unary("negative", SIGNED_NUMERIC, "negative")
abs = unary("abs", FLOATING | SIGNED | COMPLEX, "absolute", result=_real_of)  # noqa: A001
sign = unary("sign", FLOATING | SIGNED | COMPLEX, "sign")
square = unary("square", NUMERIC, "square")
sqrt = unary("sqrt", FLOAT_COMPLEX, "sqrt")
rsqrt = unary("rsqrt", FLOAT_COMPLEX, _rsqrt, exports=("math",))
exp = unary("exp", FLOAT_COMPLEX, "exp")
expm1 = unary("expm1", FLOAT_COMPLEX, "expm1", exports=("math",))
log = unary("log", FLOAT_COMPLEX, "log", exports=("math",))  # no ts.log, as in TensorFlow
log1p = unary("log1p", FLOAT_COMPLEX, "log1p", exports=("math",))
sin = unary("sin", FLOAT_COMPLEX, "sin")
cos = unary("cos", FLOAT_COMPLEX, "cos")
tan = unary("tan", FLOAT_COMPLEX, "tan")
tanh = unary("tanh", FLOAT_COMPLEX, "tanh", exports=("", "math", "nn"))
sigmoid = unary("sigmoid", FLOAT_COMPLEX, _sigmoid, exports=("", "math", "nn"))
round = unary("round", FLOATING | INTEGER, _round)  # noqa: A001 - half to even, as TF
floor = unary("floor", FLOATING, "floor")
ceil = unary("ceil", FLOATING, "ceil", exports=("math",))
reciprocal = unary("reciprocal", FLOAT_COMPLEX, "reciprocal", exports=("math",))

# -- comparisons and logic -----------------------------------------------------------------------
equal = binary("equal", ALL_SET, "equal", result=bool_)
not_equal = binary("not_equal", ALL_SET, "not_equal", result=bool_)
less = binary("less", REAL, "less", result=bool_)
less_equal = binary("less_equal", REAL, "less_equal", result=bool_)
greater = binary("greater", REAL, "greater", result=bool_)
greater_equal = binary("greater_equal", REAL, "greater_equal", result=bool_)
logical_and = binary("logical_and", BOOL, "logical_and")
logical_or = binary("logical_or", BOOL, "logical_or")
logical_xor = binary("logical_xor", BOOL, "logical_xor", exports=("math",))
logical_not = unary("logical_not", BOOL, "logical_not")

bitwise_and = binary("bitwise_and", INTEGER, "bitwise_and", exports=("bitwise",))
bitwise_or = binary("bitwise_or", INTEGER, "bitwise_or", exports=("bitwise",))
bitwise_xor = binary("bitwise_xor", INTEGER, "bitwise_xor", exports=("bitwise",))
left_shift = binary("left_shift", INTEGER, "left_shift", exports=("bitwise",))
right_shift = binary("right_shift", INTEGER, "right_shift", exports=("bitwise",))
invert = unary("invert", INTEGER, "invert", exports=("bitwise",))

# -- activations (ts.nn) ---------------------------------------------------------------------------
relu = unary("relu", REAL, lambda xp: lambda x: xp.maximum(x, 0), exports=("nn",))
relu6 = unary("relu6", REAL, lambda xp: lambda x: xp.minimum(xp.maximum(x, 0), 6),
              exports=("nn",))
elu = unary("elu", FLOATING, _elu, exports=("nn",))
selu = unary("selu", FLOATING, _selu, exports=("nn",))
softplus = unary("softplus", FLOATING, lambda xp: lambda x: xp.logaddexp(0, x),
                 exports=("math", "nn"))


@op("clip_by_value", "custom", REAL)
def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clip values to [clip_value_min, clip_value_max]; the bounds adopt ``t``'s dtype.

    >>> ts.clip_by_value(ts.constant([1., 5., 9.]), 2, 6)   # [2., 5., 6.]
    """
    x, lo, hi = unify("clip_by_value", (t, clip_value_min, clip_value_max),
                      ("t", "clip_value_min", "clip_value_max"))
    if x.dtype not in REAL:
        raise not_allowed(clip_by_value.op, x, "t", "ts.clip_by_value({x}, lo, hi)")
    shapes = [x._data.shape, lo._data.shape, hi._data.shape]
    if broadcast_shapes(*shapes) != x._data.shape:
        raise incompatible_shapes_for("clip_by_value", (x, lo, hi),
                                      ("t", "clip_value_min", "clip_value_max"),
                                      "the bounds must broadcast to the shape of t")
    xp = x._device.backend.xp
    return out(xp.minimum(xp.maximum(x._data, lo._data), hi._data), x.dtype)
