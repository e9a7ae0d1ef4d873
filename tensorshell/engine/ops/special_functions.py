"""``ts.math.special``: Bessel functions J, Y and K of orders 0 and 1 (and the exponentially
scaled K), Dawson's integral, the exponential integral Ei, the Fresnel integrals and Spence's
function, as TensorFlow offers them; vectorised over any backend with no SciPy, computed in
float64 (float16/float32 results are rounded from it), with TensorFlow's values at poles,
infinities and invalid arguments.

Methods, each to about 1e-15 relative (checked against TensorFlow's Cephes kernels):

- J and Y: the power series up to 2; Miller's backward recurrence (normalised by
  J0 + 2 sum J_2k = 1) and Neumann's series for Y up to 25; Hankel's asymptotic expansion
  beyond, with the phase taken from sin x and cos x (exact reduction for huge x).
- K: the series with I0 and I1 up to 2; the trapezoidal rule on
  e^x K_n(x) = int_0^inf exp(-x (cosh t - 1)) cosh(n t) dt up to 25 (it converges
  exponentially for such integrands); the asymptotic expansion beyond.
- Dawson's integral: its series below 0.2, Rybicki's sampling formula up to 1e4, the
  asymptotic series beyond.
- Ei: its power series up to 40, the asymptotic series beyond.
- Fresnel integrals: the power series up to 1.6, the continued fraction of erfc at complex
  argument up to 6, the asymptotic auxiliary functions beyond (exactly 1/2 past 36974, as
  Cephes and so TensorFlow).
- Spence's function (the dilogarithm Li2(1 - x)): its series after the reflection and
  inversion formulas bring the argument into [0, 1/2].
"""

from __future__ import annotations

import math

import numpy as np

from ..dtypes import FLOATING
from . import elementwise as _ew
from .registry import unary

_EULER = 0.57721566490153286061
_LN2 = math.log(2)
_SQRT_PI = math.sqrt(math.pi)
_SQRT_HALF = math.sqrt(0.5)
_NS = ("math.special",)


def _kernel(f64):
    """A unary kernel computing ``f64(xp, x)`` in float64 and rounding to x's dtype."""
    def kernel(xp):
        def k(x):
            with np.errstate(all="ignore"):
                return f64(xp, x.astype(xp.float64)).astype(x.dtype)
        return k
    return kernel


def _pieces(xp, x, parts, default=np.nan):
    """Evaluate ``fn`` on the elements where ``mask`` holds, for each (mask, fn) in
    ``parts``; the rest stay ``default``. Each piece sees only its own elements (as a 1-D
    array), so a method never meets arguments outside its range."""
    out = xp.full(x.shape, default, dtype=xp.float64)
    for mask, fn in parts:
        if bool(mask.any()):
            out[mask] = fn(x[mask])
    return out


# -- Bessel J and Y --------------------------------------------------------------------------

def _jy_series(xp, x):
    """J0, J1, Y0, Y1 for 0 < x <= 2 from their power series (A&S 9.1.10-11)."""
    q = x * x / 4
    t0 = xp.ones_like(x)          # (-q)^k / (k!)^2
    t1 = xp.ones_like(x)          # (-q)^k / (k! (k+1)!)
    j0, j1, y0, y1 = t0, t1, xp.zeros_like(x), (1 - 2 * _EULER) * t1
    h = 0.0
    for k in range(1, 22):
        t0 = t0 * (-q) / (k * k)
        t1 = t1 * (-q) / (k * (k + 1))
        h += 1 / k
        j0 = j0 + t0
        j1 = j1 + t1
        y0 = y0 - h * t0
        y1 = y1 + (2 * (h - _EULER) + 1 / (k + 1)) * t1
    j1 = x / 2 * j1
    log = xp.log(x) - _LN2  # (x / 2 underflows for the smallest x)
    y0 = 2 / math.pi * ((log + _EULER) * j0 + y0)
    y1 = -2 / (math.pi * x) + 2 / math.pi * log * j1 - x / (2 * math.pi) * y1
    return j0, j1, y0, y1


def _jy_miller(xp, x):
    """J0, J1, Y0, Y1 for 2 < x <= 25: J_n by backward recurrence from a starting order
    far above x, normalised by J0 + 2 (J2 + J4 + ...) = 1; Y by Neumann's series in the
    even (Y0) and odd (Y1, the derivative of Y0's) orders."""
    top = 2 * int((float(x.max()) + 42) // 2)
    b_next, b = xp.zeros_like(x), xp.full(x.shape, 1e-30)
    norm, even, odd = xp.zeros_like(x), xp.zeros_like(x), xp.zeros_like(x)
    b0 = b1 = None
    for n in range(top, 0, -1):         # b holds J_n (unnormalised); step to J_(n-1)
        if n % 2 == 0 and n >= 2:
            m = n // 2
            norm = norm + 2 * b
            even = even + (-1) ** m * b / m
        elif n >= 3:
            m = (n - 1) // 2
            odd = odd + (-1) ** (m + 1) * (2 * m + 1) / (m * (m + 1)) * b
        b_prev = 2 * n / x * b - b_next
        b_next, b = b, b_prev
        if n == 1:
            b0, b1 = b, b_next
    norm = norm + b0
    j0, j1 = b0 / norm, b1 / norm
    log = xp.log(x) - _LN2 + _EULER
    y0 = 2 / math.pi * log * j0 - 4 / math.pi * even / norm
    y1 = 2 / math.pi * (log - 1) * j1 - 2 / (math.pi * x) * j0 + 2 / math.pi * odd / norm
    return j0, j1, y0, y1


def _hankel(xp, x, mu, scaled_k=False, terms=30):
    """The asymptotic series P and Q of Hankel's expansion for order sqrt(mu)/2 (or, with
    ``scaled_k``, the non-alternating sum of K's expansion)."""
    term = xp.ones_like(x)
    p, q = xp.ones_like(x), xp.zeros_like(x)
    for k in range(1, terms):
        term = term * (mu - (2 * k - 1) ** 2) / (8 * k * x)
        if scaled_k:
            p = p + term
        elif k % 2:
            q = q + (-1) ** ((k - 1) // 2) * term
        else:
            p = p + (-1) ** (k // 2) * term
    return p, q


def _jy_asymptotic(xp, x, order):
    p, q = _hankel(xp, x, 4.0 * order * order)
    s, c = xp.sin(x), xp.cos(x)
    if order == 0:   # phase x - pi/4
        cos_chi, sin_chi = (c + s) * _SQRT_HALF, (s - c) * _SQRT_HALF
    else:            # phase x - 3 pi/4
        cos_chi, sin_chi = (s - c) * _SQRT_HALF, -(s + c) * _SQRT_HALF
    amp = xp.sqrt(2 / (math.pi * x))
    return amp * (p * cos_chi - q * sin_chi), amp * (p * sin_chi + q * cos_chi)


def _jy(xp, x, which):
    """J0, J1, Y0 or Y1 (``which`` 0-3) of x >= 0 (NaN elsewhere)."""
    small = (x > 0) & (x <= 2)
    middle = (x > 2) & (x <= 25)
    large = x > 25
    order = which % 2
    return _pieces(xp, x, [
        (small, lambda v: _jy_series(xp, v)[which]),
        (middle, lambda v: _jy_miller(xp, v)[which]),
        (large, lambda v: _jy_asymptotic(xp, v, order)[which // 2]),
    ])


def _j_f64(order):
    def f(xp, x):
        a = xp.absolute(x)
        r = _jy(xp, a, order)
        r = xp.where(a == 0, 1.0 - order, r)
        return xp.where(x < 0, -r, r) if order else r
    return f


def _y_f64(order):
    def f(xp, x):
        r = _jy(xp, x, 2 + order)
        return xp.where((x <= 0) & ~xp.isnan(x), -xp.inf, r)  # TensorFlow: -inf for x <= 0
    return f


# -- Bessel K ---------------------------------------------------------------------------------

def _k_series(xp, x):
    """e^x K0 and e^x K1 for 0 < x <= 2 from the series with I0 and I1 (A&S 9.6.11, 13)."""
    q = x * x / 4
    t0, t1 = xp.ones_like(x), xp.ones_like(x)   # q^k / (k!)^2, q^k / (k! (k+1)!)
    i0, i1, s0, s1 = t0, t1, xp.zeros_like(x), (1 - 2 * _EULER) * t1
    h = 0.0
    for k in range(1, 22):
        t0 = t0 * q / (k * k)
        t1 = t1 * q / (k * (k + 1))
        h += 1 / k
        i0 = i0 + t0
        i1 = i1 + t1
        s0 = s0 + h * t0
        s1 = s1 + (2 * (h - _EULER) + 1 / (k + 1)) * t1
    i1 = x / 2 * i1
    log = xp.log(x) - _LN2  # (x / 2 underflows for the smallest x)
    k0 = -(log + _EULER) * i0 + s0
    k1 = 1 / x + log * i1 - x / 4 * s1
    e = xp.exp(x)
    return k0 * e, k1 * e


_K_STEP = 0.1
_K_NODES = 72   # t up to 7.1: exp(-2 (cosh 7.1 - 1)) is below the smallest double


def _k_trapezoid(xp, x):
    """e^x K0 and e^x K1 for 2 < x <= 25 by the trapezoidal rule on their integrals."""
    t = np.arange(_K_NODES) * _K_STEP
    w = np.full(_K_NODES, _K_STEP)
    w[0] = _K_STEP / 2
    arg = xp.asarray(2 * np.sinh(t / 2) ** 2)        # cosh t - 1, without cancellation
    f = xp.exp(-x[:, None] * arg[None, :]) * xp.asarray(w)[None, :]
    return f.sum(axis=1), (f * xp.asarray(np.cosh(t))[None, :]).sum(axis=1)


def _k_asymptotic(xp, x):
    amp = xp.sqrt(math.pi / (2 * x))
    return amp * _hankel(xp, x, 0.0, True)[0], amp * _hankel(xp, x, 4.0, True)[0]


def _k_f64(order, scaled):
    def f(xp, x):
        r = _pieces(xp, x, [
            ((x > 0) & (x <= 2), lambda v: _k_series(xp, v)[order]),
            ((x > 2) & (x <= 25), lambda v: _k_trapezoid(xp, v)[order]),
            (x > 25, lambda v: _k_asymptotic(xp, v)[order]),
        ])
        if not scaled:
            r = r * xp.exp(-x)
        r = xp.where(x == xp.inf, 0.0, r)
        return xp.where((x <= 0) & ~xp.isnan(x), xp.inf, r)  # TensorFlow: inf for x <= 0
    return f


# -- Dawson's integral ------------------------------------------------------------------------

_DAWSON_H = 0.2
_DAWSON_M = 31   # odd m up to 31: exp(-(31 h)^2) is below 1e-16


def _dawson_series(xp, x):
    term = x
    total = x
    for k in range(1, 16):
        term = term * (-2 * x * x) / (2 * k + 1)
        total = total + term
    return total


def _dawson_rybicki(xp, x):
    """Rybicki's formula F(x) = lim (1/sqrt(pi)) sum_{n odd} exp(-(x - n h)^2) / n, about
    the nearest even multiple of h (error about exp(-(pi / 2h)^2))."""
    n0 = 2 * xp.round(x / (2 * _DAWSON_H))
    xp_ = x - n0 * _DAWSON_H
    total = xp.zeros_like(x)
    for m in range(-_DAWSON_M, _DAWSON_M + 1, 2):
        total = total + xp.exp(-(xp_ - m * _DAWSON_H) ** 2) / (n0 + m)
    return total / _SQRT_PI


def _dawson_asymptotic(xp, x):
    r = 1 / (x * x)
    return (1 + r * (0.5 + r * (0.75 + r * 1.875))) / (2 * x)


def _dawsn_f64(xp, x):
    a = xp.absolute(x)
    r = _pieces(xp, a, [
        (a < 0.2, lambda v: _dawson_series(xp, v)),
        ((a >= 0.2) & (a <= 1e4), lambda v: _dawson_rybicki(xp, v)),
        (a > 1e4, lambda v: _dawson_asymptotic(xp, v)),
    ])
    r = xp.where(a == xp.inf, 0.0, r)
    return xp.where(x < 0, -r, r)


# -- the exponential integral Ei ------------------------------------------------------------

def _ei_series(xp, x):
    term = xp.ones_like(x)
    total = xp.zeros_like(x)
    for k in range(1, 130):
        term = term * x / k
        total = total + term / k
    return _EULER + xp.log(x) + total


def _ei_asymptotic(xp, x):
    term = xp.ones_like(x)
    total = xp.ones_like(x)
    for k in range(1, 41):
        term = term * k / x
        total = total + term
    # e^x / x while e^x is finite (x - log x would lose log2(x) bits of the exponent)
    big = x > 709
    scale = xp.where(big, xp.exp(x - xp.log(x)), xp.exp(xp.where(big, 0.0, x)) / x)
    return scale * total


def _expint_f64(xp, x):
    r = _pieces(xp, x, [
        ((x > 0) & (x <= 40), lambda v: _ei_series(xp, v)),
        (x > 40, lambda v: _ei_asymptotic(xp, v)),
    ])
    return xp.where(x == 0, -xp.inf, r)


# -- the Fresnel integrals --------------------------------------------------------------------

def _fresnel_series(xp, x):
    u = math.pi / 2 * x * x
    p = xp.ones_like(x)        # u^n / n!
    c, s = p, xp.zeros_like(x)
    for n in range(1, 44):
        p = p * u / n
        k = n // 2
        sign = -1.0 if k % 2 else 1.0
        if n % 2:
            s = s + sign * p / (2 * n + 1)
        else:
            c = c + sign * p / (2 * n + 1)
    return x * c, x * s


def _phase(xp, x):
    """cos and sin of pi x^2 / 2 with x^2 exact (Dekker's product: x^2 = p + e) and reduced
    modulo the period 4 before the multiplication by pi/2, so the phase stays accurate for
    large x (computing pi x^2 / 2 in floating point loses log2(x^2) bits of it)."""
    t = 134217729.0 * x                     # 2^27 + 1: split x into two 26-bit halves
    hi = t - (t - x)
    lo = x - hi
    p = x * x
    e = ((hi * hi - p) + 2 * hi * lo) + lo * lo
    u = math.pi / 2 * (xp.fmod(p, 4.0) + e)
    return xp.cos(u), xp.sin(u)


def _fresnel_fraction(xp, x, depth=140):
    """C + iS = (1 + i)/2 (1 - erfc(z)), z = sqrt(pi)/2 (1 - i) x, with erfc(z) =
    exp(-z^2)/sqrt(pi) / (z + (1/2) / (z + 1 / (z + (3/2) / (z + ...))))."""
    z = (_SQRT_PI / 2) * (1 - 1j) * x.astype(xp.complex128)
    t = z
    for n in range(depth, 0, -1):
        t = z + (n / 2) / t
    cos_u, sin_u = _phase(xp, x)
    erfc = (cos_u + 1j * sin_u) / _SQRT_PI / t        # exp(-z^2) = exp(i pi x^2 / 2)
    w = (1 + 1j) / 2 * (1 - erfc)
    return w.real, w.imag


def _fresnel_asymptotic(xp, x):
    v = math.pi * x * x
    r = 1 / (v * v)
    f_sum, g_sum = xp.ones_like(x), xp.ones_like(x)
    f_term, g_term = xp.ones_like(x), xp.ones_like(x)
    for k in range(1, 25):
        f_term = -f_term * (4 * k - 3) * (4 * k - 1) * r
        g_term = -g_term * (4 * k - 1) * (4 * k + 1) * r
        f_sum = f_sum + f_term
        g_sum = g_sum + g_term
    f = f_sum / (math.pi * x)
    g = g_sum / (math.pi * v * x)
    cos_u, sin_u = _phase(xp, x)
    return 0.5 + f * sin_u - g * cos_u, 0.5 - f * cos_u - g * sin_u


def _fresnel_f64(which):
    def f(xp, x):
        a = xp.absolute(x)
        r = _pieces(xp, a, [
            (a <= 1.6, lambda v: _fresnel_series(xp, v)[which]),
            ((a > 1.6) & (a <= 6), lambda v: _fresnel_fraction(xp, v)[which]),
            ((a > 6) & (a <= 36974), lambda v: _fresnel_asymptotic(xp, v)[which]),
            (a > 36974, lambda v: xp.full(v.shape, 0.5)),   # as Cephes
        ])
        return xp.where(x < 0, -r, r)
    return f


# -- Spence's function ------------------------------------------------------------------------

def _li2_small(xp, w):
    """Li2(w) = sum w^k / k^2 for 0 <= w <= 1/2."""
    term = xp.ones_like(w)
    total = xp.zeros_like(w)
    for k in range(1, 62):
        term = term * w
        total = total + term / (k * k)
    return total


_PI2_6 = math.pi ** 2 / 6


def _spence_f64(xp, x):
    """spence(x) = Li2(1 - x) for x >= 0, through the reflection and inversion formulas."""
    def low(v):        # 0 < v < 1/2: Li2(1 - v) = pi^2/6 - ln v ln(1 - v) - Li2(v)
        return _PI2_6 - xp.log(v) * xp.log1p(-v) - _li2_small(xp, v)

    def middle(v):     # 1/2 <= v <= 1: Li2(1 - v) directly
        return _li2_small(xp, 1 - v)

    def above(v):      # 1 < v <= 2: Li2(1 - v) = -Li2((v - 1)/v) - ln^2(v) / 2
        return -_li2_small(xp, (v - 1) / v) - xp.log(v) ** 2 / 2

    def far(v):        # v > 2
        return -_PI2_6 - xp.log(v - 1) ** 2 / 2 + _li2_small(xp, 1 / v) + \
            xp.log(v / (v - 1)) ** 2 / 2

    finite = xp.isfinite(x)
    r = _pieces(xp, x, [
        ((x > 0) & (x < 0.5), low),
        ((x >= 0.5) & (x <= 1), middle),
        ((x > 1) & (x <= 2), above),
        ((x > 2) & finite, far),
    ])
    return xp.where(x == 0, _PI2_6, r)


# -- the ops and their gradients --------------------------------------------------------------

def _where(cond, a, b):
    from .shape import where
    return where(cond, a, b)


def _over_x(x, v, at_zero):
    """v / x, with ``at_zero`` where x is 0."""
    zero = _ew.equal(x, 0.0)
    return _where(zero, at_zero + 0 * x, v / _where(zero, 1.0 + 0 * x, x))


bessel_j0 = unary("bessel_j0", FLOATING, _kernel(_j_f64(0)), exports=_NS,
                  grad=lambda g, ans, x: -g * bessel_j1(x))
bessel_j1 = unary("bessel_j1", FLOATING, _kernel(_j_f64(1)), exports=_NS,
                  grad=lambda g, ans, x: g * (bessel_j0(x) - _over_x(x, ans, 0.5)))
bessel_y0 = unary("bessel_y0", FLOATING, _kernel(_y_f64(0)), exports=_NS,
                  grad=lambda g, ans, x: -g * bessel_y1(x))
bessel_y1 = unary("bessel_y1", FLOATING, _kernel(_y_f64(1)), exports=_NS,
                  grad=lambda g, ans, x: g * (bessel_y0(x) - ans / x))
bessel_k0 = unary("bessel_k0", FLOATING, _kernel(_k_f64(0, False)), exports=_NS,
                  grad=lambda g, ans, x: -g * bessel_k1(x))
bessel_k1 = unary("bessel_k1", FLOATING, _kernel(_k_f64(1, False)), exports=_NS,
                  grad=lambda g, ans, x: -g * (bessel_k0(x) + ans / x))
bessel_k0e = unary("bessel_k0e", FLOATING, _kernel(_k_f64(0, True)), exports=_NS,
                   grad=lambda g, ans, x: g * (ans - bessel_k1e(x)))
bessel_k1e = unary("bessel_k1e", FLOATING, _kernel(_k_f64(1, True)), exports=_NS,
                   grad=lambda g, ans, x: g * (ans - bessel_k0e(x) - ans / x))
dawsn = unary("dawsn", FLOATING, _kernel(_dawsn_f64), exports=_NS,
              grad=lambda g, ans, x: g * (1 - 2 * x * ans))
expint = unary("expint", FLOATING, _kernel(_expint_f64), exports=_NS,
               grad=lambda g, ans, x: g * _ew.exp(x) / x)
fresnel_cos = unary("fresnel_cos", FLOATING, _kernel(_fresnel_f64(0)), exports=_NS,
                    grad=lambda g, ans, x: g * _ew.cos(math.pi / 2 * x * x))
fresnel_sin = unary("fresnel_sin", FLOATING, _kernel(_fresnel_f64(1)), exports=_NS,
                    grad=lambda g, ans, x: g * _ew.sin(math.pi / 2 * x * x))
spence = unary("spence", FLOATING, _kernel(_spence_f64), exports=_NS,
               grad=lambda g, ans, x: g * _where(_ew.equal(x, 1.0), -1.0 + 0 * x,
                                                 _ew.log(x) / (1 - x)))
