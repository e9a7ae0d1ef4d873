"""Elementwise ops, one table entry each. Kernels are written against ``xp`` (NumPy or CuPy).

Exports follow TensorFlow's namespaces: ``""`` is top level (``ts.add``); ``"math"`` is
``ts.math.add``; ``"math:mod"`` exports under another name. ``log`` lives only in ``ts.math``.
"""

from __future__ import annotations

import math

import numpy as np

from ..dtypes import (BOOL, COMPLEX, FLOAT_COMPLEX, FLOATING, INTEGER, NUMERIC, REAL, SIGNED,
                      ALL_SET, bool as bool_, complex64, complex128, float16, float32, float64,
                      result_float)
from ..shapes import broadcast_shapes
from . import creation as _creation, shape as _shape
from .registry import binary, incompatible_shapes_for, not_allowed, op, out, unary, unify

SIGNED_NUMERIC = FLOATING | SIGNED | COMPLEX
COMPLEX_OF = {float32: complex64, float64: complex128}


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


def _checked_power(xp):
    """Integer powers with a negative exponent raise, as NumPy's power does on the CPU."""
    def k(x, y):
        if getattr(x, "dtype", np.dtype("f")).kind in "iu":
            negative = y < 0 if isinstance(y, (int, np.integer)) else bool(xp.any(y < 0))
            if negative:
                raise ValueError("Integers to negative integer powers are not allowed.")
        return xp.power(x, y)
    return k


def _truncate(xp, mod: bool):
    """C-style division: the quotient rounded toward zero (truncatediv), and the remainder
    with the dividend's sign (truncatemod); an integer zero divisor raises."""
    def k(x, y):
        if getattr(x, "dtype", np.dtype("f")).kind in "iu":
            if not xp.all(y):
                raise ZeroDivisionError("Integer division by zero")
            if mod:
                return xp.fmod(x, y)
            q = x // y  # floor; one more toward zero where the signs differ and it is inexact
            return q + ((q * y != x) & ((x < 0) != (y < 0))).astype(q.dtype)
        return xp.fmod(x, y) if mod else xp.trunc(x / y)
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


def erfc_fit(xp, x):
    """erfc in float64 with relative error below 1.2e-7 (Numerical Recipes' Chebyshev fit),
    so no SciPy is needed and the same code runs on NumPy and CuPy."""
    z = xp.absolute(x)
    t = 1 / (1 + 0.5 * z)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    r = t * xp.exp(-z * z + poly)
    return xp.where(x >= 0, r, 2 - r)


_TWO_OVER_SQRT_PI = 1.1283791670955126


def _erf_series(xp, z):
    """erf by its Taylor series, for |z| < 0.5 (error below 1e-9 relative)."""
    z2 = z * z
    return _TWO_OVER_SQRT_PI * z * (1 - z2 * (1 / 3 - z2 * (1 / 10 - z2 * (
        1 / 42 - z2 * (1 / 216 - z2 * (1 / 1320 - z2 / 9360))))))


def _error_function(name):
    """erf or erfc: float64 on the CPU exact to the last bit (Python's math module), other
    dtypes and devices in float64 from the series near 0 and the erfc fit elsewhere
    (relative error about 1e-7: within 2 ulp of float32); on CuPy, CUDA's erf/erfc through
    cupyx.scipy.special. NumPy has no erf, and SciPy is not a dependency."""
    exact = getattr(math, name)

    def kernel(xp):
        if getattr(xp, "__name__", "") == "cupy":  # CUDA's erf/erfc, in the input's dtype
            from cupyx.scipy import special
            f = getattr(special, name)
            return lambda x: f(x).astype(x.dtype, copy=False)

        def k(x):
            if xp is np and x.dtype == np.float64:
                return np.asarray(np.frompyfunc(exact, 1, 1)(x), dtype=np.float64)
            z = x.astype(xp.float64)
            a = xp.absolute(z)
            near = _erf_series(xp, xp.where(a < 0.5, z, 0))
            far = erfc_fit(xp, a)
            if name == "erf":
                r = xp.where(a < 0.5, near, xp.sign(z) * (1 - far))
            else:
                r = xp.where(a < 0.5, 1 - near, xp.where(z >= 0, far, 2 - far))
            return r.astype(x.dtype)
        return k
    return kernel


# -- gradients: vector-Jacobian products written with these same ops (so they differentiate
# again for second derivatives). `g` is the upstream gradient, `ans` the op's output.
# Complex inputs follow TensorFlow's convention: g times the conjugate derivative.

def _c(t):
    d = getattr(t, "dtype", None)
    return conj(t) if d is not None and d.is_complex else t


def _ub(g, like):
    return _shape.unbroadcast(g, like)


def _mask(cond, g):
    """``g`` where ``cond`` holds, else 0, as a product with the mask: TensorFlow's relu and
    relu6 gradient kernels (so a NaN in ``g`` stays NaN, as there)."""
    return g * _shape.cast(cond, g.dtype)


def _relu_grad(g, x, cond):
    """TensorFlow's ReluGrad/Relu6Grad: ``g`` masked by ``cond``, and - for tapes that
    differentiate the gradient (Hessians) - connected to ``x`` with a zero gradient, as
    TensorFlow's op is, so second derivatives through relu are zeros rather than None."""
    from ..autodiff import RECORDING, custom_gradient
    masked = _mask(cond, g)
    if not RECORDING:                # a first-order backward pass: nothing to connect
        return masked
    from .creation import zeros_like
    return custom_gradient(lambda m, _: (m, lambda up: (up, zeros_like(x))))(masked, x)


def _select(cond, g):
    """``g`` where ``cond`` holds, else 0, as a select: TensorFlow's gradients of maximum,
    minimum and clip_by_value, so a NaN or inf in ``g`` where ``cond`` is False gives 0 (the
    gradient of ``sqrt(maximum(x, 0))`` at ``x < 0`` is 0, not NaN). On NumPy the product is
    ~8x faster than ``where`` with a data-dependent condition (branchy), so the select is
    only done when the product holds a NaN."""
    r = _mask(cond, g)
    if r._device.backend.xp is np and not np.isnan(r._data).any():
        return r
    return _shape.where(cond, g, _creation.zeros_like(g))


def _pow_grad(g, ans, x, y):
    safe_x = _shape.where(x > 0, x, _creation.ones_like(x)) if not x.dtype.is_complex else x
    gy = g * _c(ans * log(safe_x))
    if not x.dtype.is_complex:
        gy = _shape.where(x > 0, gy, _creation.zeros_like(gy))
    return _ub(g * _c(y * pow(x, y - 1)), x), _ub(gy, y)


# -- arithmetic ---------------------------------------------------------------------------------
add = binary("add", NUMERIC, "add", grad=lambda g, ans, x, y: (_ub(g, x), _ub(g, y)))
subtract = binary("subtract", NUMERIC, "subtract",
                  grad=lambda g, ans, x, y: (_ub(g, x), _ub(-g, y)))
multiply = binary("multiply", NUMERIC, "multiply",
                  grad=lambda g, ans, x, y: (_ub(g * _c(y), x), _ub(g * _c(x), y)))
truediv = binary("truediv", NUMERIC, _truediv, result=result_float,
                 grad=lambda g, ans, x, y: (_ub(g / _c(y), x), _ub(-g * _c(ans / y), y)))
divide = binary("divide", NUMERIC, _truediv, result=result_float,
                grad=lambda g, ans, x, y: (_ub(g / _c(y), x), _ub(-g * _c(ans / y), y)))
floordiv = binary("floordiv", REAL, lambda xp: _checked_int(xp, "floor_divide"),
                  exports=("math",), differentiable=False)  # piecewise constant, as TF
floormod = binary("floormod", REAL, lambda xp: _checked_int(xp, "remainder"),
                  exports=("math", "math:mod"),
                  grad=lambda g, ans, x, y: (_ub(g, x), _ub(-g * floordiv(x, y), y)))
pow = binary("pow", SIGNED_NUMERIC,  # noqa: A001 - TF's name
             lambda xp: np.power if xp is np else _checked_power(xp), grad=_pow_grad)
truncatediv = binary("truncatediv", REAL, lambda xp: _truncate(xp, False), exports=("",),
                     differentiable=False)  # piecewise constant, as TF
truncatemod = binary("truncatemod", REAL, lambda xp: _truncate(xp, True), exports=("",),
                     grad=lambda g, ans, x, y: (_ub(g, x), _ub(-g * truncatediv(x, y), y)))
realdiv = binary("realdiv", FLOAT_COMPLEX, "true_divide", exports=("",),
                 grad=lambda g, ans, x, y: (_ub(g / _c(y), x), _ub(-g * _c(ans / y), y)))
nextafter = binary("nextafter", frozenset({float32, float64}), "nextafter", exports=("math",),
                   differentiable=False)  # a step of one ulp: no derivative, as TF
maximum = binary("maximum", REAL, "maximum",
                 grad=lambda g, ans, x, y: (_ub(_select(x >= y, g), x),
                                            _ub(_select(x < y, g), y)))
minimum = binary("minimum", REAL, "minimum",
                 grad=lambda g, ans, x, y: (_ub(_select(x <= y, g), x),
                                            _ub(_select(x > y, g), y)))
squared_difference = binary("squared_difference", NUMERIC, _squared_difference,
                            exports=("math",),
                            # |x - y| ** 2 for complex inputs, real though typed complex:
                            # only g's real part reaches it, times 2 (x - y)
                            grad=lambda g, ans, x, y: (_ub(2 * _real_part(g) * (x - y), x),
                                                       _ub(-2 * _real_part(g) * (x - y), y)))

negative = unary("negative", SIGNED_NUMERIC, "negative", grad=lambda g, ans, x: -g)
abs = unary("abs", FLOATING | SIGNED | COMPLEX, "absolute", result=_real_of,  # noqa: A001
            grad=lambda g, ans, x: _as_complex(g, x) * sign(x))  # x / |x|, 0 at 0
sign = unary("sign", FLOATING | SIGNED | COMPLEX, "sign",
             grad=lambda g, ans, x: g * 0)  # zero almost everywhere, as TF
square = unary("square", NUMERIC, "square", grad=lambda g, ans, x: g * 2 * _c(x))
sqrt = unary("sqrt", FLOAT_COMPLEX, "sqrt", grad=lambda g, ans, x: g / (2 * _c(ans)))
rsqrt = unary("rsqrt", FLOAT_COMPLEX, _rsqrt, exports=("math",),
              grad=lambda g, ans, x: g * -0.5 * _c(ans * ans * ans))
exp = unary("exp", FLOAT_COMPLEX, "exp", grad=lambda g, ans, x: g * _c(ans))
expm1 = unary("expm1", FLOAT_COMPLEX, "expm1", exports=("math",),
              grad=lambda g, ans, x: g * _c(ans + 1))
log = unary("log", FLOAT_COMPLEX, "log", exports=("math",),  # no ts.log, as in TensorFlow
            grad=lambda g, ans, x: g / _c(x))
log1p = unary("log1p", FLOAT_COMPLEX, "log1p", exports=("math",),
              grad=lambda g, ans, x: g / _c(1 + x))
sin = unary("sin", FLOAT_COMPLEX, "sin", grad=lambda g, ans, x: g * _c(cos(x)))
cos = unary("cos", FLOAT_COMPLEX, "cos", grad=lambda g, ans, x: -g * _c(sin(x)))
tan = unary("tan", FLOAT_COMPLEX, "tan", grad=lambda g, ans, x: g * _c(1 + ans * ans))
asin = unary("asin", FLOAT_COMPLEX, "arcsin", exports=("", "math"),
             grad=lambda g, ans, x: g * _c(rsqrt(1 - x * x)))
acos = unary("acos", FLOAT_COMPLEX, "arccos", exports=("", "math"),
             grad=lambda g, ans, x: -g * _c(rsqrt(1 - x * x)))
atan = unary("atan", FLOAT_COMPLEX, "arctan", exports=("", "math"),
             grad=lambda g, ans, x: g / _c(1 + x * x))
sinh = unary("sinh", FLOAT_COMPLEX, "sinh", exports=("", "math"),
             grad=lambda g, ans, x: g * _c(cosh(x)))
cosh = unary("cosh", FLOAT_COMPLEX, "cosh", exports=("", "math"),
             grad=lambda g, ans, x: g * _c(sinh(x)))
asinh = unary("asinh", FLOAT_COMPLEX, "arcsinh", exports=("", "math"),
              grad=lambda g, ans, x: g * _c(rsqrt(x * x + 1)))
acosh = unary("acosh", FLOAT_COMPLEX, "arccosh", exports=("", "math"),
              grad=lambda g, ans, x: g * _c(rsqrt(x * x - 1)))
atanh = unary("atanh", FLOAT_COMPLEX, "arctanh", exports=("", "math"),
              grad=lambda g, ans, x: g / _c(1 - x * x))
atan2 = binary("atan2", FLOATING, "arctan2", exports=("", "math"),  # atan2(y, x), as TF
               grad=lambda g, ans, y, x: (_ub(g * x / (x * x + y * y), y),
                                          _ub(-g * y / (x * x + y * y), x)))
erf = unary("erf", FLOATING, _error_function("erf"), exports=("math",),
            grad=lambda g, ans, x: g * _TWO_OVER_SQRT_PI * exp(-x * x))
erfc = unary("erfc", FLOATING, _error_function("erfc"), exports=("math",),
             grad=lambda g, ans, x: -g * _TWO_OVER_SQRT_PI * exp(-x * x))
tanh = unary("tanh", FLOAT_COMPLEX, "tanh", exports=("", "math", "nn"),
             grad=lambda g, ans, x: g * _c(1 - ans * ans))
sigmoid = unary("sigmoid", FLOAT_COMPLEX, _sigmoid, exports=("", "math", "nn"),
                grad=lambda g, ans, x: g * _c(ans * (1 - ans)))
round = unary("round", FLOATING | INTEGER, _round,  # noqa: A001 - half to even, as TF
              differentiable=False)
floor = unary("floor", FLOATING, "floor", differentiable=False)
ceil = unary("ceil", FLOATING, "ceil", exports=("math",), differentiable=False)
reciprocal = unary("reciprocal", FLOAT_COMPLEX, "reciprocal", exports=("math",),
                   grad=lambda g, ans, x: -g * _c(ans * ans))
conj = unary("conj", NUMERIC, lambda xp: lambda x: xp.conj(x) if x.dtype.kind == "c" else x,
             exports=("math",), grad=lambda g, ans, x: conj(g))

# -- complex numbers: parts, angle, and a complex tensor from two real ones ---------------------
def _parts_kernel(part):
    def bind(xp):
        def k(x):
            if x.dtype.kind == "c":
                return getattr(x, part).copy()
            return x if part == "real" else xp.zeros_like(x)  # real inputs, as TensorFlow
        return k
    return bind


def _angle_kernel(xp):
    def k(x):
        if x.dtype.kind == "c":
            return xp.arctan2(x.imag, x.real)
        return xp.where(x < 0, x.dtype.type(math.pi), x.dtype.type(0))
    return k


def _complex_kernel(xp):
    def k(re, im):
        out = xp.empty(xp.broadcast(re, im).shape,
                       xp.complex64 if re.dtype == xp.float32 else xp.complex128)
        out.real, out.imag = re, im
        return out
    return k


def _real_part(g):
    """The real part of a gradient, in its own dtype: what reaches a complex-typed result
    whose values are real (its imaginary part is constant, so carries no gradient)."""
    if not g.dtype.is_complex:
        return g
    re = real(g)
    return complex_(re, _creation.zeros_like(re))


def _complex_of(d):
    return COMPLEX_OF[d]


def _as_complex(g, x):
    """A real gradient as x's complex dtype (real inputs take it unchanged)."""
    return complex_(g, _creation.zeros_like(g)) if x.dtype.is_complex else g


real = unary("real", NUMERIC | BOOL, _parts_kernel("real"), exports=("math",),
             result=_real_of, grad=lambda g, ans, x: _as_complex(g, x))
imag = unary("imag", NUMERIC | BOOL, _parts_kernel("imag"), exports=("math",),
             result=_real_of,
             grad=lambda g, ans, x: complex_(_creation.zeros_like(g), g) if x.dtype.is_complex
             else g * 0)
angle = unary("angle", FLOAT_COMPLEX, _angle_kernel, exports=("math",), result=_real_of,
              grad=lambda g, ans, x: -_as_complex(g, x) / complex_(imag(x), real(x))
              if x.dtype.is_complex else g * 0)
complex_ = binary("complex", FLOATING - {float16}, _complex_kernel, exports=("",),
                  result=_complex_of,
                  grad=lambda g, ans, re, im: (_ub(real(g), re), _ub(imag(g), im)))


# -- comparisons and logic: not differentiable -----------------------------------------------------
_ND = dict(differentiable=False)
equal = binary("equal", ALL_SET, "equal", result=bool_, **_ND)
not_equal = binary("not_equal", ALL_SET, "not_equal", result=bool_, **_ND)
less = binary("less", REAL, "less", result=bool_, **_ND)
less_equal = binary("less_equal", REAL, "less_equal", result=bool_, **_ND)
greater = binary("greater", REAL, "greater", result=bool_, **_ND)
greater_equal = binary("greater_equal", REAL, "greater_equal", result=bool_, **_ND)
logical_and = binary("logical_and", BOOL, "logical_and", **_ND)
logical_or = binary("logical_or", BOOL, "logical_or", **_ND)
logical_xor = binary("logical_xor", BOOL, "logical_xor", exports=("math",), **_ND)
logical_not = unary("logical_not", BOOL, "logical_not", **_ND)
is_nan = unary("is_nan", FLOATING, "isnan", exports=("math",), result=bool_, **_ND)
is_inf = unary("is_inf", FLOATING, "isinf", exports=("math",), result=bool_, **_ND)
is_finite = unary("is_finite", FLOATING, "isfinite", exports=("math",), result=bool_, **_ND)

bitwise_and = binary("bitwise_and", INTEGER, "bitwise_and", exports=("bitwise",), **_ND)
bitwise_or = binary("bitwise_or", INTEGER, "bitwise_or", exports=("bitwise",), **_ND)
bitwise_xor = binary("bitwise_xor", INTEGER, "bitwise_xor", exports=("bitwise",), **_ND)
left_shift = binary("left_shift", INTEGER, "left_shift", exports=("bitwise",), **_ND)
right_shift = binary("right_shift", INTEGER, "right_shift", exports=("bitwise",), **_ND)
invert = unary("invert", INTEGER, "invert", exports=("bitwise",), **_ND)

# -- activations (ts.nn) ---------------------------------------------------------------------------
relu = unary("relu", REAL, lambda xp: lambda x: xp.maximum(x, 0), exports=("nn",),
             grad=lambda g, ans, x: _relu_grad(g, x, x > 0))
relu6 = unary("relu6", REAL, lambda xp: lambda x: xp.minimum(xp.maximum(x, 0), 6),
              exports=("nn",), grad=lambda g, ans, x: _relu_grad(g, x, (x > 0) & (x < 6)))
elu = unary("elu", FLOATING, _elu, exports=("nn",),
            grad=lambda g, ans, x: _where_pos(x, g, g * (ans + 1)))
selu = unary("selu", FLOATING, _selu, exports=("nn",),
             grad=lambda g, ans, x: _where_pos(x, g * _SELU_SCALE,
                                               g * (ans + _SELU_SCALE * _SELU_ALPHA)))
softplus = unary("softplus", FLOATING, lambda xp: lambda x: xp.logaddexp(0, x),
                 exports=("math", "nn"), grad=lambda g, ans, x: g * sigmoid(x))


def _where_pos(x, a, b):
    return _shape.where(x > 0, a, b)


def _clip_grad(g, ans, t, lo, hi):
    inside = (t >= lo) & (t <= hi)
    return (_select(inside, g), _ub(_select(t < lo, g), lo) if _is_tensor(lo) else None,
            _ub(_select(t > hi, g), hi) if _is_tensor(hi) else None)


def _is_tensor(v):
    from ..tensor import Tensor
    return isinstance(v, Tensor) or getattr(v, "_is_variable", False)


@op("clip_by_value", "custom", REAL, grad=_clip_grad)
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
                                      "the bounds must broadcast to the shape of t",
                                      broadcast=True)
    xp = x._device.backend.xp
    return out(xp.minimum(xp.maximum(x._data, lo._data), hi._data), x.dtype)
