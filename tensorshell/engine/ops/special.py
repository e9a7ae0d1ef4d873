"""Special functions (``ts.math``): ``lgamma``, ``digamma``, ``polygamma``, ``zeta``, the
regularised incomplete ``igamma``/``igammac`` and ``betainc``, and the composite ``lbeta``,
vectorised over any backend with no SciPy: Lanczos' approximation for log-gamma (Python's
exact one on the CPU), recurrence and the asymptotic series for digamma, Euler-Maclaurin
summation for the Hurwitz zeta function (Cephes' method, as TensorFlow's Eigen kernels),
series and continued fractions for the incomplete functions. Computed in float64
(float16/float32 results are rounded from it); poles and invalid arguments give
TensorFlow's inf and nan. Each differentiates in ``x``; the shape parameters of the
incomplete functions by central differences.
"""

from __future__ import annotations

import math

import numpy as np

from ..dtypes import FLOATING
from . import elementwise as _ew
from .registry import (as_tensor, binary, composite, defgrad, not_allowed, op, out, run,
                       unary, unify)
from .shape import unbroadcast

_LANCZOS_G = 7.0
_LANCZOS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7)
# Euler-Maclaurin coefficients (2k)! / B_2k, as in Cephes' zeta
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
           7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
           -4.5979787224074726105e15, 1.8152105401943546773e17,
           -7.1661652561756670113e18)


def _float64(xp, x):
    return x.astype(xp.float64)


def _lgamma_positive(xp, x):
    """log|Gamma(x)| for x >= 0.5 (Lanczos, g = 7, 9 terms: about 1e-15 relative)."""
    z = x - 1
    series = xp.full(z.shape, _LANCZOS[0])
    for i in range(1, len(_LANCZOS)):
        series = series + _LANCZOS[i] / (z + i)
    t = z + _LANCZOS_G + 0.5
    return 0.5 * math.log(2 * math.pi) + (z + 0.5) * xp.log(t) - t + xp.log(series)


_EXACT_LGAMMA = np.frompyfunc(math.lgamma, 1, 1)


def _exact_lgamma(z):
    """Python's lgamma (correctly rounded, 0 at 1 and 2) where it is defined; poles give
    inf as TensorFlow's."""
    finite = np.isfinite(z) & ~((z <= 0) & (z == np.floor(z)))
    out = np.full(z.shape, np.inf)
    out[np.isnan(z)] = np.nan
    out[finite] = _EXACT_LGAMMA(z[finite]).astype(np.float64)
    return out


def _lgamma_kernel(xp):
    if getattr(xp, "__name__", "") == "cupy":  # CUDA's lgamma: 0 at 1 and 2, poles inf
        from cupyx.scipy.special import gammaln

        def cuda(x):
            z = _float64(xp, x)
            pole = ((z <= 0) & (z == xp.floor(z))) | xp.isinf(z)
            return xp.where(pole, xp.inf, gammaln(z)).astype(x.dtype)
        return cuda

    def k(x):
        z = _float64(xp, x)
        if xp is np:  # exact on the host; the vectorised form below on accelerators
            return _exact_lgamma(z).astype(x.dtype)
        with np.errstate(all="ignore"):
            small = z < 0.5
            positive = _lgamma_positive(xp, xp.where(small, 1 - z, z))
            reflected = math.log(math.pi) - xp.log(xp.absolute(xp.sin(math.pi * z))) - positive
            r = xp.where(small, reflected, positive)
            pole = (z <= 0) & (z == xp.floor(z))
            r = xp.where(pole | xp.isinf(z), xp.inf, r)
        return r.astype(x.dtype)
    return k


def _digamma_f64(xp, z):
    with np.errstate(all="ignore"):
        small = z < 0.5
        y = xp.where(small, 1 - z, z)
        shift = xp.zeros(z.shape)
        for _ in range(10):  # move y up to >= 10, where the series is exact to 1e-17
            low = y < 10
            shift = shift - xp.where(low, 1 / y, 0)
            y = xp.where(low, y + 1, y)
        w = 1 / (y * y)
        tail = w * (1 / 12 - w * (1 / 120 - w * (1 / 252 - w * (1 / 240 - w * (
            1 / 132 - w * (691 / 32760 - w / 12))))))
        psi = xp.log(y) - 0.5 / y - tail + shift
        r = xp.where(small, psi - math.pi / xp.tan(math.pi * z), psi)
        bad = ((z <= 0) & (z == xp.floor(z))) | (z == -xp.inf)
        return xp.where(bad, xp.nan, r)


def _digamma_kernel(xp):
    def k(x):
        return _digamma_f64(xp, _float64(xp, x)).astype(x.dtype)
    return k


def _zeta_f64(xp, s, q):
    """The Hurwitz zeta function sum_k (k + q) ** -s (Cephes / Eigen)."""
    s, q = xp.broadcast_arrays(s, q)
    with np.errstate(all="ignore"):
        valid = (s > 1) & ~((q < 0) & (s != xp.floor(s)))
        qv = xp.where(valid & (q <= 0) & (q == xp.floor(q)), 1.0, q)  # poles handled below
        sv = xp.where(valid, s, 2.0)
        lowest = float(xp.min(qv)) if qv.size else 1.0
        steps = max(9, int(math.ceil(9 - lowest)) + 1) if math.isfinite(lowest) else 9
        total = qv ** -sv
        a = qv
        for _ in range(steps):
            a = a + 1
            total = total + a ** -sv
        b = a ** -sv
        total = total + b * a / (sv - 1) - 0.5 * b
        factor = xp.ones(total.shape)
        k = 0.0
        for coefficient in _ZETA_A:
            factor = factor * (sv + k)
            b = b / a
            total = total + factor * b / coefficient
            k += 1
            factor = factor * (sv + k)
            b = b / a
            k += 1
        r = xp.where(valid, total, xp.nan)
        r = xp.where(valid & (q == xp.inf), 0.0, r)
        r = xp.where(s == 1, xp.inf, r)
        pole = (q <= 0) & (q == xp.floor(q)) & (s > 1)
        even = (s == xp.floor(s)) & (xp.fmod(s, 2) == 0)
        r = xp.where(pole, xp.where(even, xp.inf, xp.nan), r)
        return r


def _zeta_kernel(xp):
    def k(s, q):
        dtype = np.result_type(getattr(s, "dtype", np.float64), getattr(q, "dtype", np.float64))
        return _zeta_f64(xp, xp.asarray(s, xp.float64), xp.asarray(q, xp.float64)).astype(
            dtype)
    return k


def _polygamma_kernel(xp):
    def k(n, x):
        dtype = np.result_type(getattr(n, "dtype", np.float64), getattr(x, "dtype", np.float64))
        n64, x64 = xp.broadcast_arrays(xp.asarray(n, xp.float64), xp.asarray(x, xp.float64))
        with np.errstate(all="ignore"):
            order = n64 + 1
            sign = xp.where(xp.fmod(order, 2) == 0, 1.0, -1.0)
            factorial = xp.exp(_lgamma_kernel(xp)(order))
            higher = sign * factorial * _zeta_f64(xp, order, x64)
            r = xp.where(n64 == 0, _digamma_f64(xp, x64), higher)
            r = xp.where((n64 < 0) | (n64 != xp.floor(n64)), xp.nan, r)
        return r.astype(dtype)
    return k


lgamma = unary("lgamma", FLOATING, _lgamma_kernel, exports=("math",),
               grad=lambda g, ans, x: g * digamma(x))
digamma = unary("digamma", FLOATING, _digamma_kernel, exports=("math",),
                grad=lambda g, ans, x: g * polygamma(1.0, x))
polygamma = binary("polygamma", FLOATING, _polygamma_kernel, exports=("math",),
                   grad=lambda g, ans, n, x: (None, unbroadcast(g * polygamma(n + 1.0, x), x)))
zeta = binary("zeta", FLOATING, _zeta_kernel, exports=("math",),
              grad=lambda g, ans, s, q: (None, unbroadcast(-g * s * zeta(s + 1.0, q), q)))


# -- inverse normal CDF and inverse error function ----------------------------------------------

# Wichura's AS241 (PPND16, about 1e-16 relative): numerator and denominator coefficients,
# highest power first, for the central region |q| <= 0.425 and the two tail regions.
_AS241_CENTRAL = ((2509.0809287301226727, 33430.575583588128105, 67265.770927008700853,
                   45921.953931549871457, 13731.693765509461125, 1971.5909503065514427,
                   133.14166789178437745, 3.387132872796366608),
                  (5226.495278852854561, 28729.085735721942674, 39307.89580009271061,
                   21213.794301586595867, 5394.1960214247511077, 687.1870074920579083,
                   42.313330701600911252, 1.0))
_AS241_NEAR = ((7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177,
                1.27045825245236838258, 3.64784832476320460504, 5.7694972214606914055,
                4.6303378461565452959, 1.42343711074968357734),
               (1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966,
                0.14810397642748007459, 0.68976733498510000455, 1.6763848301838038494,
                2.05319162663775882187, 1.0))
_AS241_FAR = ((2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386,
               0.026532189526576123093, 0.29656057182850489123, 1.7848265399172913358,
               5.4637849111641143699, 6.6579046435011037772),
              (2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5,
               7.868691311456132591e-4, 0.0148753612908506148525, 0.13692988092273580531,
               0.59983220655588793769, 1.0))


def _horner(coefficients, r):
    total = coefficients[0]
    for c in coefficients[1:]:
        total = total * r + c
    return total


def _ratio(pair, r):
    return _horner(pair[0], r) / _horner(pair[1], r)


def _as241(xp, q, tail):
    """The standard normal quantile from ``q = p - 0.5`` and ``tail = min(p, 1 - p)``, both
    given so that callers keep their precision (erfinv passes y / 2 and (1 - |y|) / 2)."""
    with np.errstate(all="ignore"):
        central = q * _ratio(_AS241_CENTRAL, 0.180625 - q * q)
        r = xp.sqrt(-xp.log(tail))
        outer = xp.where(r <= 5.0, _ratio(_AS241_NEAR, r - 1.6), _ratio(_AS241_FAR, r - 5.0))
        outer = xp.where(q < 0, -outer, outer)
        x = xp.where(xp.absolute(q) <= 0.425, central, outer)
        x = xp.where(tail == 0, xp.where(q < 0, -xp.inf, xp.inf), x)
        return xp.where((tail < 0) | xp.isnan(tail), xp.nan, x)


def _ndtri_kernel(xp):
    def k(p):
        p64 = p.astype(xp.float64)
        tail = xp.where((p64 < 0) | (p64 > 1), -1.0, xp.minimum(p64, 1 - p64))
        return _as241(xp, p64 - 0.5, tail).astype(p.dtype)
    return k


def _erfinv_kernel(xp):
    def k(y):
        y64 = y.astype(xp.float64)
        a = xp.absolute(y64)
        tail = xp.where(a > 1, -1.0, (1 - a) / 2)  # exact: 1 - a loses nothing for a >= 0.5
        return (_as241(xp, y64 / 2, tail) / math.sqrt(2)).astype(y.dtype)
    return k


_SQRT_2PI = math.sqrt(2 * math.pi)
_SQRT_PI_OVER_2 = math.sqrt(math.pi) / 2
ndtri = unary("ndtri", FLOATING, _ndtri_kernel, exports=("math",),
              grad=lambda g, ans, p: g * _SQRT_2PI * _ew.exp(ans * ans / 2))
erfinv = unary("erfinv", FLOATING, _erfinv_kernel, exports=("math",),
               grad=lambda g, ans, y: g * _SQRT_PI_OVER_2 * _ew.exp(ans * ans))


def erfcinv(x, name=None):
    """The inverse of erfc: ``erfcinv(erfc(y)) = y``, accurate for small ``x`` (computed as
    ``-ndtri(x / 2) / sqrt(2)``)."""
    from .composites import _float
    x = _float(x, "erfcinv")
    return -ndtri(x / 2) / math.sqrt(2)


composite(erfcinv, ("math",))


# -- modified Bessel functions of the first kind, orders 0 and 1 --------------------------------

def _bessel_ie(xp, x, order: int):
    """exp(-|x|) I_order(x) in float64: the power series (positive terms, so no cancellation)
    up to |x| = 25, Hankel's asymptotic series above (its terms shrink until k ~ 2|x|)."""
    a = xp.absolute(x)
    with np.errstate(all="ignore"):
        small = xp.minimum(a, 25.0)
        half = small / 2
        term = xp.exp(-small) * (half if order else xp.ones_like(half))
        total = term
        for k in range(1, 80):
            term = term * half * half / (k * (k + order))
            total = total + term
        big = xp.maximum(a, 25.0)
        mu = 4.0 * order * order
        term = 1 / xp.sqrt(2 * math.pi * big)
        asym = term
        for k in range(1, 30):
            term = -term * (mu - (2 * k - 1) ** 2) / (k * 8 * big)
            asym = asym + term
        r = xp.where(a <= 25, total, asym)
    return xp.where(x < 0, -r, r) if order else r


def _bessel_kernel(order: int, scaled: bool):
    def kernel(xp):
        def k(x):
            x64 = x.astype(xp.float64)
            r = _bessel_ie(xp, x64, order)
            if not scaled:
                with np.errstate(over="ignore"):
                    r = r * xp.exp(xp.absolute(x64))
            return r.astype(x.dtype)
        return k
    return kernel


def _i1_over_x(x, i1):
    """I1(x) / x, with its limit 1/2 at 0 (scaled functions pass their scaled I1)."""
    from .shape import where
    zero = _ew.equal(x, 0.0)
    return where(zero, 0.5 + 0 * x, i1 / where(zero, 1.0 + 0 * x, x))


_MS = ("math", "math.special")  # tf.math.bessel_i0 is tf.math.special.bessel_i0
bessel_i0 = unary("bessel_i0", FLOATING, _bessel_kernel(0, False), exports=_MS,
                  grad=lambda g, ans, x: g * bessel_i1(x))
bessel_i1 = unary("bessel_i1", FLOATING, _bessel_kernel(1, False), exports=_MS,
                  grad=lambda g, ans, x: g * (bessel_i0(x) - _i1_over_x(x, ans)))
bessel_i0e = unary("bessel_i0e", FLOATING, _bessel_kernel(0, True), exports=_MS,
                   grad=lambda g, ans, x: g * (bessel_i1e(x) - _ew.sign(x) * ans))
bessel_i1e = unary("bessel_i1e", FLOATING, _bessel_kernel(1, True), exports=_MS,
                   grad=lambda g, ans, x: g * (bessel_i0e(x) - _i1_over_x(x, ans)
                                               - _ew.sign(x) * ans))


# -- incomplete gamma and beta functions --------------------------------------------------------

_TINY = 1e-300


def _iterations(*bounds):
    """Enough terms for the series and continued fractions to converge (they need about
    the square root of their parameters)."""
    finite = [float(np.max(np.where(np.isfinite(b), b, 0))) for b in bounds if b.size]
    return int(min(100 + 10 * math.sqrt(max(finite + [0.0])), 20000))


def _lentz_guard(xp, v):
    return xp.where(xp.absolute(v) < _TINY, _TINY, v)


def _igamma_f64(xp, a, x, upper):
    """Regularised incomplete gamma P(a, x) (or Q = 1 - P): the series below a + 1, the
    continued fraction above (Numerical Recipes' gser/gcf)."""
    a, x = xp.broadcast_arrays(a, x)
    with np.errstate(all="ignore"):
        valid = (a > 0) & (x >= 0)
        av = xp.where(valid, a, 1.0)
        xv = xp.where(valid & (x > 0) & xp.isfinite(x), x, 1.0)
        lg = _lgamma_kernel(xp)(av) if xp is not np else _exact_lgamma(av)
        prefix = xp.exp(av * xp.log(xv) - xv - lg)
        n = _iterations(np.asarray(a), np.asarray(x)) if xp is np else 2000
        term = 1 / av
        total = term
        ap = av
        for _ in range(n):
            ap = ap + 1
            term = term * xv / ap
            total = total + term
        p_series = total * prefix
        b = xv + 1 - av
        c = xp.full(b.shape, 1 / _TINY)
        d = 1 / _lentz_guard(xp, b)
        h = d
        for i in range(1, n + 1):
            an = -i * (i - av)
            b = b + 2
            d = 1 / _lentz_guard(xp, an * d + b)
            c = _lentz_guard(xp, b + an / c)
            h = h * d * c
        q_cf = prefix * h
        below = xv < av + 1
        r = xp.where(below, 1 - p_series, q_cf) if upper else xp.where(below, p_series,
                                                                         1 - q_cf)
        r = xp.where(x == 0, 1.0 if upper else 0.0, r)
        r = xp.where(valid & (x == xp.inf), 0.0 if upper else 1.0, r)
        return xp.where(valid, r, xp.nan)


def _betacf(xp, a, b, x, n):
    qab, qap, qam = a + b, a + 1, a - 1
    c = xp.ones(x.shape)
    d = 1 / _lentz_guard(xp, 1 - qab * x / qap)
    h = d
    for m in range(1, n + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 / _lentz_guard(xp, 1 + aa * d)
        c = _lentz_guard(xp, 1 + aa / c)
        h = h * d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 / _lentz_guard(xp, 1 + aa * d)
        c = _lentz_guard(xp, 1 + aa / c)
        h = h * d * c
    return h


def _betainc_f64(xp, a, b, x):
    """Regularised incomplete beta I_x(a, b), by the continued fraction on whichever side
    converges (Numerical Recipes' betai)."""
    a, b, x = xp.broadcast_arrays(a, b, x)
    with np.errstate(all="ignore"):
        valid = (a > 0) & (b > 0) & (x >= 0) & (x <= 1)
        av, bv = xp.where(valid, a, 1.0), xp.where(valid, b, 1.0)
        xv = xp.where(valid & (x > 0) & (x < 1), x, 0.5)
        lg = _lgamma_kernel(xp)
        log_front = lg(av + bv) - lg(av) - lg(bv) + av * xp.log(xv) + bv * xp.log(1 - xv)
        front = xp.exp(log_front)
        n = _iterations(np.asarray(a), np.asarray(b)) if xp is np else 2000
        direct = front * _betacf(xp, av, bv, xv, n) / av
        mirrored = 1 - front * _betacf(xp, bv, av, 1 - xv, n) / bv
        r = xp.where(xv < (av + 1) / (av + bv + 2), direct, mirrored)
        r = xp.where(x == 0, 0.0, xp.where(x == 1, 1.0, r))
        return xp.where(valid, r, xp.nan)


def _float_kernel(fn):
    def bind(xp):
        def k(*args):
            dtype = np.result_type(*[getattr(a, "dtype", np.float64) for a in args])
            return fn(xp, *[xp.asarray(a, xp.float64) for a in args]).astype(dtype)
        return k
    return bind


def _central_difference(fn, args, index, g, like):
    """The gradient with respect to a shape parameter (``a``, ``b``) by a central
    difference in float64: about 7 significant digits (TensorFlow has series for these;
    they are rarely trained)."""
    from .shape import cast
    def thunk():
        wide = [cast(t, "float64") for t in args]
        p = wide[index]
        from .elementwise import abs as abs_, maximum
        h = maximum(abs_(p), 1.0) * 1e-6
        up = list(wide)
        down = list(wide)
        up[index], down[index] = p + h, p - h
        slope = (fn(*up) - fn(*down)) / (2.0 * h)
        return unbroadcast(g * cast(slope, like.dtype), like)
    return thunk


def _igamma_density(a, x):
    """d/dx P(a, x) = x^(a-1) e^-x / Gamma(a)."""
    from .elementwise import exp, log
    return exp((a - 1.0) * log(x) - x - lgamma(a))


igamma = binary("igamma", FLOATING, _float_kernel(
    lambda xp, a, x: _igamma_f64(xp, a, x, upper=False)), exports=("math",),
    grad=lambda g, ans, a, x: (_central_difference(igamma, (a, x), 0, g, a),
                               unbroadcast(g * _igamma_density(a, x), x)))
igammac = binary("igammac", FLOATING, _float_kernel(
    lambda xp, a, x: _igamma_f64(xp, a, x, upper=True)), exports=("math",),
    grad=lambda g, ans, a, x: (_central_difference(igammac, (a, x), 0, g, a),
                               unbroadcast(-g * _igamma_density(a, x), x)))


@op("betainc", "custom", FLOATING, ("math",), kernel=_float_kernel(_betainc_f64))
def betainc(a, b, x, name=None):
    """The regularised incomplete beta function I_x(a, b) (the Beta distribution's CDF)."""
    ta, tb, tx = unify("betainc", (a, b, x), ("a", "b", "x"))
    if ta.dtype not in FLOATING:
        raise not_allowed(betainc.op, ta, "a")
    data = run(betainc.op, ta._data, tb._data, tx._data, inputs=(ta, tb, tx),
               labels=("a", "b", "x"))
    return out(data, ta.dtype)


def _betainc_grad(g, ans, a, b, x, name=None):
    from .elementwise import exp, log
    density = exp((a - 1.0) * log(x) + (b - 1.0) * log(1.0 - x)
                  - (lgamma(a) + lgamma(b) - lgamma(a + b)))
    return (_central_difference(betainc, (a, b, x), 0, g, a),
            _central_difference(betainc, (a, b, x), 1, g, b), unbroadcast(g * density, x))


defgrad(betainc, _betainc_grad)


def lbeta(x, name=None):
    """``log(|Beta(x)|)`` over the last dimension: ``sum(lgamma(x)) - lgamma(sum(x))``."""
    from .reduction import reduce_sum
    t = as_tensor(x, "lbeta", "x")
    return reduce_sum(lgamma(t), -1) - lgamma(reduce_sum(t, -1))


composite(lbeta, ("math",))
