"""Every registered op, checked from the registry's own table against a NumPy reference over
every dtype: allowed dtypes must match the reference (value, shape and dtype), disallowed
dtypes must raise InvalidArgumentError. A new op cannot skip this: the coverage test fails
until it has an entry here."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine import dtypes as D
from tensorshell.engine.ops import ctc
from tensorshell.engine.ops.registry import OPS
from tensorshell.errors import InvalidArgumentError

ALL = D.ALL


def sample(dtype, shape=(2, 3), domain="any", seed=0):
    """Deterministic inputs of ``dtype`` inside an op's domain."""
    rng = np.random.default_rng(seed)
    if dtype is D.bool:
        return rng.random(shape) > 0.5
    if dtype is D.string:
        words = np.array([b"a", b"bc", b"", b"xyz", b"q", b"tensor"], dtype=object)
        return words[rng.integers(0, len(words), shape)]
    if dtype.is_integer:
        if domain in ("pos", "nonzero", "shift", "above1"):
            lo, hi = (1, 5) if domain != "shift" else (0, 4)
        elif domain == "exponent":
            lo, hi = 0, 4
        else:
            lo, hi = (0, 6) if dtype.is_unsigned else (-3, 4)
        return rng.integers(lo, hi, shape).astype(dtype.np_dtype)
    real = {"any": rng.uniform(-2, 2, shape), "pos": rng.uniform(0.5, 2, shape),
            "unit": rng.uniform(-0.9, 0.9, shape), "nonzero": rng.uniform(0.5, 2, shape)
            * rng.choice([-1, 1], shape), "exponent": rng.uniform(-2, 2, shape),
            "shift": rng.uniform(0, 3, shape), "above1": rng.uniform(1.2, 3, shape),
            "prob": rng.uniform(0.02, 0.98, shape)}[domain]
    if dtype.is_complex:
        imag = rng.uniform(0.1, 1, shape)
        return (real + 1j * imag).astype(dtype.np_dtype)
    return real.astype(dtype.np_dtype)


def tolerance(dtype):
    return {D.float16: 2e-3, D.float32: 2e-6, D.complex64: 2e-6}.get(dtype, 1e-12)


def wide(a):
    """Reference computations run in float64 / complex128 / int64."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        return a.astype(np.float64)
    if a.dtype.kind == "c":
        return a.astype(np.complex128)
    if a.dtype.kind in "iu":
        return a.astype(np.int64)
    return a


def assert_matches(t, expected, dtype):
    assert isinstance(t, ts.Tensor)
    expected = np.asarray(expected)
    assert t.dtype is dtype, f"dtype {t.dtype} != {dtype}"
    got = t.numpy()
    assert np.asarray(got).dtype == dtype.np_dtype, "the array's dtype disagrees with t.dtype"
    assert tuple(t.shape) == expected.shape
    if dtype.is_floating or dtype.is_complex:
        np.testing.assert_allclose(np.asarray(got).astype(expected.dtype if
                                   expected.dtype.kind in "fc" else np.float64), expected,
                                   rtol=tolerance(dtype) * 10, atol=tolerance(dtype) * 10,
                                   equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected.astype(dtype.np_dtype))


# ------------------------------------------------------------------------------------------------
# Elementwise: reference, input domain, result dtype rule
# ------------------------------------------------------------------------------------------------
SAME = None
BOOL_RESULT = lambda d: D.bool  # noqa: E731


def truediv_dtype(d):
    if d.is_integer:
        return D.float32 if d.size <= 2 else D.float64
    return d


def _mp(fn):
    """A reference computed by mpmath at 40 digits (ts.math.special)."""
    def ref(x):
        mp = pytest.importorskip("mpmath")
        with mp.workdps(40):
            return np.vectorize(lambda v: float(fn(mp, mp.mpf(float(v)))), otypes=[float])(x)
    return ref


UNARY = {
    "negative": (lambda x: -x, "any", SAME),
    "abs": (np.abs, "any", lambda d: d.real_dtype),
    "sign": (lambda x: np.sign(x) if x.dtype.kind != "c" else x / np.abs(x), "any", SAME),
    "square": (lambda x: x * x, "any", SAME),
    "sqrt": (np.sqrt, "pos", SAME),
    "rsqrt": (lambda x: 1 / np.sqrt(x), "pos", SAME),
    "exp": (np.exp, "any", SAME),
    "expm1": (np.expm1, "any", SAME),
    "log": (np.log, "pos", SAME),
    "log1p": (np.log1p, "pos", SAME),
    "sin": (np.sin, "unit", SAME),
    "cos": (np.cos, "unit", SAME),
    "tan": (np.tan, "unit", SAME),
    "tanh": (np.tanh, "any", SAME),
    "erf": (np.vectorize(math.erf, otypes=[float]), "any", SAME),
    "erfc": (np.vectorize(math.erfc, otypes=[float]), "any", SAME),
    "asin": (np.arcsin, "unit", SAME),
    "acos": (np.arccos, "unit", SAME),
    "atan": (np.arctan, "any", SAME),
    "sinh": (np.sinh, "any", SAME),
    "cosh": (np.cosh, "any", SAME),
    "asinh": (np.arcsinh, "any", SAME),
    "acosh": (np.arccosh, "above1", SAME),
    "atanh": (np.arctanh, "unit", SAME),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), "any", SAME),
    "round": (np.round, "any", SAME),
    "floor": (np.floor, "any", SAME),
    "ceil": (np.ceil, "any", SAME),
    "reciprocal": (lambda x: 1 / x, "pos", SAME),
    "logical_not": (np.logical_not, "any", SAME),
    "invert": (np.invert, "any", SAME),
    "conj": (np.conj, "any", SAME),
    "is_nan": (np.isnan, "any", BOOL_RESULT),
    "is_inf": (np.isinf, "any", BOOL_RESULT),
    "is_finite": (np.isfinite, "any", BOOL_RESULT),
    "relu": (lambda x: np.where(x > 0, x, 0), "any", SAME),
    "relu6": (lambda x: np.clip(x, 0, 6), "any", SAME),
    "elu": (lambda x: np.where(x > 0, x, np.exp(x) - 1), "any", SAME),
    "selu": (lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 *
                                                     (np.exp(x) - 1)), "any", SAME),
    "softplus": (lambda x: np.log1p(np.exp(x)), "any", SAME),
    "lgamma": (np.vectorize(math.lgamma, otypes=[float]), "any", SAME),
    "ndtri": (np.vectorize(lambda p: _invert(_normal_cdf, p), otypes=[float]), "prob", SAME),
    "erfinv": (np.vectorize(lambda y: _invert(math.erf, y), otypes=[float]), "unit", SAME),
    "bessel_i0": (np.i0, "any", SAME),
    "bessel_i1": (np.vectorize(lambda x: _bessel_i1(x), otypes=[float]), "any", SAME),
    "bessel_i0e": (lambda x: np.i0(x) * np.exp(-np.abs(x)), "any", SAME),
    "bessel_i1e": (np.vectorize(lambda x: _bessel_i1(x) * math.exp(-abs(x)), otypes=[float]),
                   "any", SAME),
    "bessel_j0": (_mp(lambda m, v: m.besselj(0, v)), "any", SAME),
    "bessel_j1": (_mp(lambda m, v: m.besselj(1, v)), "any", SAME),
    "bessel_y0": (_mp(lambda m, v: m.bessely(0, v)), "pos", SAME),
    "bessel_y1": (_mp(lambda m, v: m.bessely(1, v)), "pos", SAME),
    "bessel_k0": (_mp(lambda m, v: m.besselk(0, v)), "pos", SAME),
    "bessel_k1": (_mp(lambda m, v: m.besselk(1, v)), "pos", SAME),
    "bessel_k0e": (_mp(lambda m, v: m.besselk(0, v) * m.exp(v)), "pos", SAME),
    "bessel_k1e": (_mp(lambda m, v: m.besselk(1, v) * m.exp(v)), "pos", SAME),
    "dawsn": (_mp(lambda m, v: m.sqrt(m.pi) / 2 * m.exp(-v * v) * m.erfi(v)), "any", SAME),
    "expint": (_mp(lambda m, v: m.ei(v)), "pos", SAME),
    "fresnel_cos": (_mp(lambda m, v: m.fresnelc(v)), "any", SAME),
    "fresnel_sin": (_mp(lambda m, v: m.fresnels(v)), "any", SAME),
    "spence": (_mp(lambda m, v: m.polylog(2, 1 - v)), "pos", SAME),
    "real": (np.real, "any", lambda d: d.real_dtype),
    "imag": (np.imag, "any", lambda d: d.real_dtype),
    "angle": (np.angle, "any", lambda d: d.real_dtype),
}


def _normal_cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


def _invert(f, y):
    """The x with f(x) = y for an increasing f, by bisection on math's erf (a reference
    independent of the rational approximation the op uses)."""
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) < y else (lo, mid)
    return (lo + hi) / 2


def _bessel_i1(x):
    """I1 by its power series, summed exactly (all terms positive)."""
    half, term, terms = abs(x) / 2, abs(x) / 2, []
    for k in range(300):
        terms.append(term)
        term = term * half * half / ((k + 1) * (k + 2))
    return math.copysign(math.fsum(terms), x)


def _truncatediv(x, y):
    return np.trunc(x / y) if x.dtype.kind == "f" else np.sign(x) * np.sign(y) * (
        np.abs(x) // np.abs(y))


def _floordiv(x, y):
    return np.floor(x / y) if x.dtype.kind == "f" else x // y


def _floormod(x, y):
    return x - np.floor(x / y) * y if x.dtype.kind == "f" else x % y


BINARY = {
    "add": (np.add, "any", "any", SAME),
    "subtract": (np.subtract, "any", "any", SAME),
    "multiply": (np.multiply, "any", "any", SAME),
    "truediv": (lambda x, y: x / y, "any", "nonzero", truediv_dtype),
    "divide": (lambda x, y: x / y, "any", "nonzero", truediv_dtype),
    "floordiv": (_floordiv, "any", "nonzero", SAME),
    "floormod": (_floormod, "any", "nonzero", SAME),
    "pow": (lambda x, y: x ** y, "pos", "exponent", SAME),
    "maximum": (np.maximum, "any", "any", SAME),
    "minimum": (np.minimum, "any", "any", SAME),
    "squared_difference": (lambda x, y: (x - y) * np.conj(x - y), "any", "any", SAME),
    "atan2": (np.arctan2, "any", "nonzero", SAME),
    "truncatediv": (_truncatediv, "any", "nonzero", SAME),
    "truncatemod": (np.fmod, "any", "nonzero", SAME),
    "realdiv": (lambda x, y: x / y, "any", "nonzero", SAME),
    "nextafter": (np.nextafter, "any", "any", SAME),
    "complex": (lambda x, y: x + 1j * y, "any", "any", lambda d: {D.float32: D.complex64,
                                                              D.float64: D.complex128}[d]),
    "equal": (np.equal, "any", "any", BOOL_RESULT),
    "not_equal": (np.not_equal, "any", "any", BOOL_RESULT),
    "less": (np.less, "any", "any", BOOL_RESULT),
    "less_equal": (np.less_equal, "any", "any", BOOL_RESULT),
    "greater": (np.greater, "any", "any", BOOL_RESULT),
    "greater_equal": (np.greater_equal, "any", "any", BOOL_RESULT),
    "logical_and": (np.logical_and, "any", "any", SAME),
    "logical_or": (np.logical_or, "any", "any", SAME),
    "logical_xor": (np.logical_xor, "any", "any", SAME),
    "bitwise_and": (np.bitwise_and, "any", "any", SAME),
    "bitwise_or": (np.bitwise_or, "any", "any", SAME),
    "bitwise_xor": (np.bitwise_xor, "any", "any", SAME),
    "left_shift": (np.left_shift, "any", "shift", SAME),
    "right_shift": (np.right_shift, "any", "shift", SAME),
}


def _int_mean(x, axis, keepdims):
    s = np.sum(x, axis=axis, keepdims=keepdims)
    n = x.size if axis is None else np.prod([x.shape[a] for a in np.atleast_1d(axis)])
    return np.trunc(s / n).astype(np.int64) if n else s * 0


def _mean(x, axis, keepdims):
    if x.dtype.kind in "iu":
        return _int_mean(x, axis, keepdims)
    return np.mean(x, axis=axis, keepdims=keepdims)


REDUCTIONS = {
    "reduce_sum": np.sum,
    "reduce_prod": np.prod,
    "reduce_max": np.max,
    "reduce_min": np.min,
    "reduce_mean": _mean,
    "reduce_any": np.any,
    "reduce_all": np.all,
    "reduce_variance": np.var,
    "reduce_std": np.std,
    "reduce_logsumexp": lambda x, axis, keepdims: np.log(np.sum(np.exp(x), axis=axis,
                                                                keepdims=keepdims)),
}
AXES = [None, 0, -1, [0, 1], (1,)]


def _wrap_to(expected, dtype):
    """Integer references wrap around like the dtype (TensorFlow's and NumPy's behaviour)."""
    expected = np.asarray(expected)
    if dtype.is_integer:
        return expected.astype(np.int64).astype(dtype.np_dtype)
    return expected


def _call(op_name, *args, **kw):
    return OPS[op_name].fn(*args, **kw)


def _ids(cases):
    return [f"{n}-{d.name}" for n, d in cases]


def _cases(table, kind):
    return [(n, d) for n in table for d in ALL if OPS[n].kind == kind or True]


@pytest.mark.parametrize("name,dtype", _cases(UNARY, "unary"), ids=_ids(_cases(UNARY, "unary")))
def test_unary(name, dtype, device):
    ref, domain, rule = UNARY[name]
    x = sample(dtype, domain=domain)
    if dtype not in OPS[name].dtypes:
        with pytest.raises(InvalidArgumentError, match="does not accept"):
            _call(name, ts.constant(x))
        return
    got = _call(name, ts.constant(x))
    want = rule(dtype) if rule else dtype
    assert_matches(got, _wrap_to(ref(wide(x)), dtype), want)
    # Rank-0 inputs take the same path as any other
    assert_matches(_call(name, ts.constant(x[0, 0])), _wrap_to(ref(wide(x[0, 0])), dtype),
                   want)


@pytest.mark.parametrize("name,dtype", _cases(BINARY, "binary"),
                         ids=_ids(_cases(BINARY, "binary")))
def test_binary(name, dtype, device):
    ref, dx, dy, rule = BINARY[name]
    x, y = sample(dtype, domain=dx, seed=1), sample(dtype, domain=dy, seed=2)
    if dtype not in OPS[name].dtypes:
        with pytest.raises(InvalidArgumentError, match="does not accept"):
            _call(name, ts.constant(x), ts.constant(y))
        return
    want = rule(dtype) if rule else dtype
    expected = _wrap_to(ref(wide(x), wide(y)), dtype if want is dtype else want)
    assert_matches(_call(name, ts.constant(x), ts.constant(y)), expected, want)
    # broadcasting a row against the matrix
    row = y[:1]
    assert_matches(_call(name, ts.constant(x), ts.constant(row)),
                   _wrap_to(ref(wide(x), wide(row)), dtype if want is dtype else want), want)


@pytest.mark.parametrize("name,dtype", _cases(REDUCTIONS, "reduction"),
                         ids=_ids(_cases(REDUCTIONS, "reduction")))
def test_reduction(name, dtype, device):
    ref = REDUCTIONS[name]
    x = sample(dtype, shape=(3, 4), domain="any", seed=3)
    if dtype not in OPS[name].dtypes:
        with pytest.raises(InvalidArgumentError, match="does not accept"):
            _call(name, ts.constant(x))
        return
    rule = OPS[name].result  # the variance of complex numbers is real, as TensorFlow's
    want = dtype if rule is None else rule(dtype)
    for axis in AXES:
        for keepdims in (False, True):
            ax = tuple(axis) if isinstance(axis, list) else axis
            expected = _wrap_to(ref(wide(x), axis=ax, keepdims=keepdims), want)
            assert_matches(_call(name, ts.constant(x), axis=axis, keepdims=keepdims),
                           expected, want)


# ------------------------------------------------------------------------------------------------
# Hand-written ops: one checking function each, run for every dtype the op accepts; ops that
# restrict dtypes also name how to call them with a rejected dtype.
# ------------------------------------------------------------------------------------------------
CUSTOM = {}
REJECT = {}


def case(name, reject=None):
    def deco(fn):
        CUSTOM[name] = fn
        if reject is not None:
            REJECT[name] = reject
        return fn
    return deco


@case("identity")
def _(d):
    x = sample(d)
    assert_matches(ts.identity(ts.constant(x)), x, d)


@case("cast")
def _(d):
    x = sample(d, domain="pos")
    for target in (D.float32, D.int32, D.bool, D.float64, D.complex64):
        if d.is_string:
            with pytest.raises(ts.errors.UnimplementedError):
                ts.cast(ts.constant(x), target)
            continue
        src = x.real if d.is_complex and not target.is_complex else x
        assert_matches(ts.cast(ts.constant(x), target), src.astype(target.np_dtype), target)


@case("reshape")
def _(d):
    x = sample(d, (2, 6))
    assert_matches(ts.reshape(ts.constant(x), [3, -1]), x.reshape(3, 4), d)
    assert_matches(ts.reshape(ts.constant(x), ts.constant([4, 3])), x.reshape(4, 3), d)
    with pytest.raises(InvalidArgumentError, match="12 values"):
        ts.reshape(ts.constant(x), [5, -1])


@case("squeeze")
def _(d):
    x = sample(d, (1, 3, 1))
    assert_matches(ts.squeeze(ts.constant(x)), x.reshape(3), d)
    assert_matches(ts.squeeze(ts.constant(x), axis=-1), x.reshape(1, 3), d)
    with pytest.raises(InvalidArgumentError, match="squeeze dim"):
        ts.squeeze(ts.constant(x), axis=1)


@case("expand_dims")
def _(d):
    x = sample(d, (2, 3))
    assert_matches(ts.expand_dims(ts.constant(x), 1), x[:, None], d)
    assert_matches(ts.expand_dims(ts.constant(x), -1), x[..., None], d)


@case("transpose")
def _(d):
    x = sample(d, (2, 3, 4))
    assert_matches(ts.transpose(ts.constant(x)), x.transpose(), d)
    assert_matches(ts.transpose(ts.constant(x), perm=[0, 2, 1]), x.transpose(0, 2, 1), d)


@case("tile")
def _(d):
    x = sample(d, (2, 3))
    assert_matches(ts.tile(ts.constant(x), [2, 1]), np.tile(x, (2, 1)), d)


@case("concat")
def _(d):
    a, b = sample(d, (2, 3), seed=1), sample(d, (1, 3), seed=2)
    assert_matches(ts.concat([ts.constant(a), ts.constant(b)], 0), np.concatenate([a, b]), d)
    with pytest.raises(InvalidArgumentError, match="incompatible shapes"):
        ts.concat([ts.constant(a), ts.constant(b)], 1)


@case("stack")
def _(d):
    a, b = sample(d, seed=1), sample(d, seed=2)
    assert_matches(ts.stack([ts.constant(a), ts.constant(b)], axis=1), np.stack([a, b], 1), d)


@case("unstack")
def _(d):
    x = sample(d, (2, 3))
    parts = ts.unstack(ts.constant(x), axis=1)
    assert len(parts) == 3
    for i, p in enumerate(parts):
        assert_matches(p, x[:, i], d)


@case("split")
def _(d):
    x = sample(d, (6, 2))
    a, b, c = ts.split(ts.constant(x), 3)
    assert_matches(b, x[2:4], d)
    a, b = ts.split(ts.constant(x), [2, -1])
    assert_matches(b, x[2:], d)


@case("broadcast_to")
def _(d):
    x = sample(d, (1, 3))
    assert_matches(ts.broadcast_to(ts.constant(x), [4, 3]), np.broadcast_to(x, (4, 3)), d)


@case("shape")
def _(d):
    assert_matches(ts.shape(ts.constant(sample(d, (2, 5)))), np.array([2, 5]), D.int32)


@case("size")
def _(d):
    assert_matches(ts.size(ts.constant(sample(d, (2, 5))), out_type=ts.int64), np.array(10),
                   D.int64)


@case("rank")
def _(d):
    assert_matches(ts.rank(ts.constant(sample(d, (2, 5)))), np.array(2), D.int32)


@case("pad")
def _(d):
    x = sample(d, (2, 3))
    fill = {D.string: b"", D.bool: False}.get(d, 0)
    assert_matches(ts.pad(ts.constant(x), [[1, 0], [0, 2]]),
                   np.pad(x, [(1, 0), (0, 2)], constant_values=fill), d)
    assert_matches(ts.pad(ts.constant(x), [[1, 1], [1, 1]], mode="REFLECT"),
                   np.pad(x, 1, mode="reflect"), d)


@case("reverse")
def _(d):
    x = sample(d, (2, 3))
    assert_matches(ts.reverse(ts.constant(x), [1]), x[:, ::-1], d)


@case("one_hot")
def _(d):
    idx = np.array([0, 2, 5])
    expected = np.eye(3)[[0, 2]].tolist() + [[0, 0, 0]]
    if d in (D.string,):
        return
    on = sample(d, (), domain="pos")
    got = ts.one_hot(ts.constant(idx), 3, on_value=ts.constant(on),
                     off_value=ts.zeros((), d) if not d.is_string else None)
    assert_matches(got, np.where(np.array(expected, bool), on, np.zeros((), d.np_dtype)), d)


@case("gather")
def _(d):
    x = sample(d, (4, 3))
    assert_matches(ts.gather(ts.constant(x), [3, 0, 3]), x[[3, 0, 3]], d)
    assert_matches(ts.gather(ts.constant(x), [[2], [1]], axis=1), np.take(x, [[2], [1]], 1),
                   d)
    assert_matches(ts.gather(ts.constant(x[:2]), [[0, 1], [2, 2]], axis=1, batch_dims=1),
                   np.array([x[0, [0, 1]], x[1, [2, 2]]]), d)
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = 4 is not in \[0, 4\)"):
        ts.gather(ts.constant(x), [0, 4])


@case("boolean_mask")
def _(d):
    x = sample(d, (3, 2))
    m = np.array([True, False, True])
    assert_matches(ts.boolean_mask(ts.constant(x), m), x[m], d)


@case("where")
def _(d):
    x, y = sample(d, seed=1), sample(d, seed=2)
    c = sample(D.bool, seed=3)
    assert_matches(ts.where(c, ts.constant(x), ts.constant(y)), np.where(c, x, y), d)
    assert_matches(ts.where(ts.constant(c)), np.argwhere(c), D.int64)


MATMUL_REJECT = lambda t: ts.matmul(t, t)  # noqa: E731


@case("matmul", reject=lambda t: ts.matmul(t, t))
def _(d):
    a, b = sample(d, (2, 3), seed=1), sample(d, (3, 4), seed=2)
    assert_matches(ts.matmul(ts.constant(a), ts.constant(b)), _wrap_to(wide(a) @ wide(b), d), d)
    assert_matches(ts.constant(a) @ ts.constant(b), _wrap_to(wide(a) @ wide(b), d), d)
    batch = sample(d, (5, 3, 2), seed=4)
    assert_matches(ts.matmul(ts.constant(batch), ts.constant(a), transpose_a=True,
                             transpose_b=True),
                   _wrap_to(wide(batch).transpose(0, 2, 1) @ wide(a).T, d), d)


@case("tensordot", reject=lambda t: ts.tensordot(t, t, 1))
def _(d):
    a, b = sample(d, (2, 3), seed=1), sample(d, (3, 4), seed=2)
    assert_matches(ts.tensordot(ts.constant(a), ts.constant(b), 1),
                   _wrap_to(np.tensordot(wide(a), wide(b), 1), d), d)
    assert_matches(ts.tensordot(ts.constant(a), ts.constant(a), [[0, 1], [0, 1]]),
                   _wrap_to(np.tensordot(wide(a), wide(a), [[0, 1], [0, 1]]), d), d)


@case("einsum", reject=lambda t: ts.einsum("ij->j", t))
def _(d):
    a, b = sample(d, (2, 3), seed=1), sample(d, (3, 4), seed=2)
    assert_matches(ts.einsum("ij,jk->ik", ts.constant(a), ts.constant(b)),
                   _wrap_to(np.einsum("ij,jk->ik", wide(a), wide(b)), d), d)


def _spd(d, n=3):
    a = sample(d, (n, n), domain="unit", seed=5)
    return (a + np.eye(n) * 3).astype(d.np_dtype)


@case("inv", reject=lambda t: ts.linalg.inv(ts.reshape(t[:2, :2], [2, 2])))
def _(d):
    m = _spd(d)
    assert_matches(ts.linalg.inv(ts.constant(m)), np.linalg.inv(wide(m)), d)


@case("solve", reject=lambda t: ts.linalg.solve(t[:2, :2], t[:2, :1]))
def _(d):
    m = _spd(d)
    b = sample(d, (m.shape[0], 2), seed=6)
    assert_matches(ts.linalg.solve(ts.constant(m), ts.constant(b)),
                   np.linalg.solve(wide(m), wide(b)), d)
    assert_matches(ts.linalg.solve(ts.constant(m), ts.constant(b), adjoint=True),
                   np.linalg.solve(np.conj(wide(m)).T, wide(b)), d)
    with pytest.raises(InvalidArgumentError, match="rhs must be"):
        ts.linalg.solve(ts.constant(m), ts.constant(b[:1]))


@case("cholesky", reject=lambda t: ts.linalg.cholesky(t[:2, :2]))
def _(d):
    m = _spd(d)
    assert_matches(ts.linalg.cholesky(ts.constant(m)), np.linalg.cholesky(wide(m)), d)
    with pytest.raises(InvalidArgumentError, match="not positive definite"):
        ts.linalg.cholesky(ts.constant(-m))


def _recon_close(got, expected, d):
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected),
                               rtol=max(tolerance(d) * 1e3, 1e-9), atol=max(tolerance(d) * 1e3,
                                                                            1e-9))


def _hermitian(d):
    m = wide(_spd(d))
    return ((m + m.conj().T) / 2).astype(d.np_dtype)


@case("eigh", reject=lambda t: ts.linalg.eigh(t[:2, :2]))
def _(d):
    m = _hermitian(d)
    e, v = ts.linalg.eigh(ts.constant(m))
    assert e.dtype is d and v.dtype is d and e.shape == (3,)
    _recon_close(e.numpy(), np.linalg.eigvalsh(wide(m)), d)
    wv = wide(v.numpy())
    _recon_close(wv @ np.diag(wide(e.numpy())) @ wv.conj().T, wide(m), d)


def _ctc_logits(t):
    return ts.reshape(ts.reshape(t, [-1])[:6], [3, 1, 2])


@case("ctc_loss_dense", reject=lambda t: ctc.ctc_loss_dense(_ctc_logits(t), [[1]], [1], [3]))
def _(d):
    x = sample(d, (3, 1, 2), seed=4)
    loss = ts.nn.ctc_loss([[1]], ts.constant(x), [1], [3])
    p = np.exp(wide(x)) / np.exp(wide(x)).sum(-1, keepdims=True)
    # the paths spelling "1" over 3 frames: 1 1 1, 1 1 -, 1 - -, - 1 1, - - 1, - 1 -
    paths = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 1, 1), (0, 0, 1), (0, 1, 0)]
    want = -np.log(sum(np.prod([p[t, 0, k] for t, k in enumerate(path)]) for path in paths))
    assert loss.dtype is d and loss.shape == (1,)
    _recon_close(loss.numpy(), [want], d)


@case("lu", reject=lambda t: ts.linalg.lu(t[:2, :2]))
def _(d):
    m = _spd(d) + sample(d, (3, 3), seed=3)
    lu_, p = ts.linalg.lu(ts.constant(m))
    assert lu_.dtype is d and p.dtype is D.int32 and p.shape == (3,)
    packed = wide(lu_.numpy())
    lower, upper = np.tril(packed, -1) + np.eye(3), np.triu(packed)
    _recon_close(lower @ upper, wide(m)[p.numpy()], d)
    assert (np.abs(np.tril(packed, -1)) <= 1 + 1e-3).all()       # partial pivoting
    assert ts.linalg.lu(ts.constant(m), output_idx_type=ts.int64).p.dtype is D.int64


def _complex_of(d):
    return D.complex128 if d in (D.float64, D.complex128) else D.complex64


@case("eig", reject=lambda t: ts.linalg.eig(t[:2, :2]))
def _(d):
    m = sample(d, (3, 3), seed=4)
    e, v = ts.linalg.eig(ts.constant(m))
    assert e.dtype is _complex_of(d) and v.dtype is _complex_of(d)
    wv, we = v.numpy().astype(np.complex128), e.numpy().astype(np.complex128)
    _recon_close(wide(m) @ wv, wv * we, d)
    assert ts.eig is ts.linalg.eig


@case("eigvals", reject=lambda t: ts.linalg.eigvals(t[:2, :2]))
def _(d):
    m = sample(d, (3, 3), seed=4)
    got = np.sort_complex(ts.linalg.eigvals(ts.constant(m)).numpy().astype(np.complex128))
    _recon_close(got, np.sort_complex(np.linalg.eigvals(wide(m)).astype(np.complex128)), d)


@case("eigvalsh", reject=lambda t: ts.linalg.eigvalsh(t[:2, :2]))
def _(d):
    m = _hermitian(d)
    got = ts.linalg.eigvalsh(ts.constant(m))
    assert got.dtype is d
    _recon_close(got.numpy(), np.linalg.eigvalsh(wide(m)), d)


@case("svd", reject=lambda t: ts.linalg.svd(t))
def _(d):
    m = sample(d, (4, 3), seed=5)
    s, u, v = ts.linalg.svd(ts.constant(m))
    assert s.dtype is d.real_dtype and u.dtype is d and (u.shape, v.shape) == ((4, 3), (3, 3))
    _recon_close(s.numpy(), np.linalg.svd(wide(m), compute_uv=False), d)
    _recon_close(wide(u.numpy()) @ np.diag(wide(s.numpy())) @ wide(v.numpy()).conj().T,
                 wide(m), d)
    assert ts.linalg.svd(ts.constant(m), full_matrices=True)[1].shape == (4, 4)


@case("qr", reject=lambda t: ts.linalg.qr(t))
def _(d):
    m = sample(d, (4, 3), seed=6)
    q, r = ts.linalg.qr(ts.constant(m))
    assert q.dtype is d and (q.shape, r.shape) == ((4, 3), (3, 3))
    _recon_close(wide(q.numpy()) @ wide(r.numpy()), wide(m), d)
    assert np.allclose(np.tril(wide(r.numpy()), -1), 0)
    assert ts.linalg.qr(ts.constant(m), full_matrices=True).q.shape == (4, 4)


@case("slogdet", reject=lambda t: ts.linalg.slogdet(t[:2, :2]))
def _(d):
    m = _spd(d)
    sign, logabs = ts.linalg.slogdet(ts.constant(m))
    ref_sign, ref_log = np.linalg.slogdet(wide(m))
    assert sign.dtype is d and logabs.dtype is d
    _recon_close(sign.numpy(), ref_sign, d)
    _recon_close(logabs.numpy(), ref_log, d)


@case("triangular_solve", reject=lambda t: ts.linalg.triangular_solve(t[:2, :2], t[:2, :1]))
def _(d):
    m = _spd(d)
    b = sample(d, (3, 2), seed=8)
    for lower, adjoint in ((True, False), (False, True)):
        tri = np.tril(wide(m)) if lower else np.triu(wide(m))
        tri = tri.conj().T if adjoint else tri
        got = ts.linalg.triangular_solve(ts.constant(m), ts.constant(b), lower=lower,
                                         adjoint=adjoint)
        assert got.dtype is d
        _recon_close(got.numpy(), np.linalg.solve(tri, wide(b)), d)


@case("det", reject=lambda t: ts.linalg.det(t[:2, :2]))
def _(d):
    m = _spd(d)
    assert_matches(ts.linalg.det(ts.constant(m)), np.linalg.det(wide(m)), d)


@case("norm", reject=lambda t: ts.norm(t))
def _(d):
    x = sample(d, (2, 3))
    # the euclidean norm of complex numbers comes back complex, as TensorFlow's; others real
    def euclid(*a, **k):
        return np.linalg.norm(*a, **k).astype(wide(x).dtype)
    assert_matches(ts.norm(ts.constant(x)), euclid(wide(x)), d)
    assert_matches(ts.norm(ts.constant(x), axis=1), euclid(wide(x), axis=1), d)
    assert_matches(ts.norm(ts.constant(x), ord=1, axis=-1, keepdims=True),
                   np.sum(np.abs(wide(x)), axis=-1, keepdims=True), d.real_dtype)


@case("diag")
def _(d):
    v = sample(d, (3,))
    expected = np.full((3, 3), {D.string: b"", D.bool: False}.get(d, 0), dtype=d.np_dtype)
    np.fill_diagonal(expected, v)
    assert_matches(ts.linalg.diag(ts.constant(v)), expected, d)


@case("diag_part")
def _(d):
    x = sample(d, (3, 3))
    assert_matches(ts.linalg.diag_part(ts.constant(x)), np.diagonal(x), d)


@case("trace", reject=lambda t: ts.linalg.trace(t))
def _(d):
    x = sample(d, (3, 3))
    assert_matches(ts.linalg.trace(ts.constant(x)), _wrap_to(np.trace(wide(x)), d), d)


@case("matrix_transpose")
def _(d):
    x = sample(d, (2, 2, 3))
    assert_matches(ts.linalg.matrix_transpose(ts.constant(x)), x.transpose(0, 2, 1), d)


def _log_softmax_ref(x, axis=-1):
    z = x - x.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


@case("softmax", reject=lambda t: ts.nn.softmax(t))
def _(d):
    x = sample(d, (2, 3))
    assert_matches(ts.nn.softmax(ts.constant(x)), np.exp(_log_softmax_ref(wide(x))), d)
    assert_matches(ts.math.softmax(ts.constant(x), axis=0),
                   np.exp(_log_softmax_ref(wide(x), 0)), d)


@case("log_softmax", reject=lambda t: ts.nn.log_softmax(t))
def _(d):
    x = sample(d, (2, 3))
    assert_matches(ts.nn.log_softmax(ts.constant(x)), _log_softmax_ref(wide(x)), d)


@case("gelu", reject=lambda t: ts.nn.gelu(t))
def _(d):
    x = sample(d, (2, 3))
    erf = np.vectorize(math.erf)
    assert_matches(ts.nn.gelu(ts.constant(x)), 0.5 * wide(x) * (1 + erf(wide(x) / 2 ** .5)),
                   d)
    c = math.sqrt(2 / math.pi)
    w = wide(x)
    assert_matches(ts.nn.gelu(ts.constant(x), approximate=True),
                   0.5 * w * (1 + np.tanh(c * (w + 0.044715 * w ** 3))), d)


@case("l2_loss", reject=lambda t: ts.nn.l2_loss(t))
def _(d):
    x = sample(d, (2, 3))
    assert_matches(ts.nn.l2_loss(ts.constant(x)), np.sum(wide(x) ** 2) / 2, d)


@case("sigmoid_cross_entropy_with_logits",
      reject=lambda t: ts.nn.sigmoid_cross_entropy_with_logits(labels=t, logits=t))
def _(d):
    x = sample(d, (2, 3)) * 20  # large logits stay finite: the stable form
    z = (sample(D.bool, (2, 3), seed=7)).astype(d.np_dtype)
    w = wide(x)
    p = 1 / (1 + np.exp(-w))
    with np.errstate(divide="ignore"):
        ref = np.maximum(w, 0) - w * z + np.log1p(np.exp(-np.abs(w)))
    got = ts.nn.sigmoid_cross_entropy_with_logits(labels=ts.constant(z), logits=ts.constant(x))
    assert_matches(got, ref, d)
    assert np.all(np.isfinite(got.numpy()))
    del p


@case("softmax_cross_entropy_with_logits",
      reject=lambda t: ts.nn.softmax_cross_entropy_with_logits(t, t))
def _(d):
    x = sample(d, (2, 3))
    labels = np.array([[0, 1, 0], [0.5, 0.5, 0]], d.np_dtype)
    assert_matches(ts.nn.softmax_cross_entropy_with_logits(ts.constant(labels),
                                                           ts.constant(x)),
                   -(wide(labels) * _log_softmax_ref(wide(x))).sum(-1), d)


@case("sparse_softmax_cross_entropy_with_logits",
      reject=lambda t: ts.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1],
                                                                      logits=t[:2]))
def _(d):
    x = sample(d, (2, 3))
    y = np.array([2, 0])
    ref = -_log_softmax_ref(wide(x))[[0, 1], y]
    assert_matches(ts.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                  logits=ts.constant(x)),
                   ref, d)
    with pytest.raises(InvalidArgumentError, match="not in"):
        ts.nn.sparse_softmax_cross_entropy_with_logits(labels=[3, 0], logits=ts.constant(x))


@case("clip_by_value", reject=lambda t: ts.clip_by_value(t, t, t))
def _(d):
    x = sample(d, (2, 3))
    lo, hi = (1, 2) if d.is_integer else (-0.5, 0.5)
    assert_matches(ts.clip_by_value(ts.constant(x), lo, hi),
                   np.clip(x, np.asarray(lo, d.np_dtype), np.asarray(hi, d.np_dtype)), d)


@case("zeros")
def _(d):
    assert_matches(ts.zeros([2, 3], d), np.zeros((2, 3), d.np_dtype) if not d.is_string
                   else np.full((2, 3), b"", object), d)


@case("ones")
def _(d):
    if d.is_string:
        with pytest.raises(InvalidArgumentError):
            ts.ones([2], d)
        return
    assert_matches(ts.ones((2, 3), dtype=d), np.ones((2, 3), d.np_dtype), d)


@case("zeros_like")
def _(d):
    x = sample(d)
    assert_matches(ts.zeros_like(ts.constant(x)), np.zeros_like(x) if not d.is_string
                   else np.full(x.shape, b"", object), d)


@case("ones_like")
def _(d):
    if d.is_string:
        return
    assert_matches(ts.ones_like(ts.constant(sample(d))), np.ones((2, 3), d.np_dtype), d)


@case("fill")
def _(d):
    v = sample(d, ())
    assert_matches(ts.fill([2, 2], ts.constant(v)), np.full((2, 2), v, dtype=d.np_dtype), d)


@case("range")
def _(d):
    if not (d.is_integer or d.is_floating):
        return
    assert_matches(ts.range(1, 5, 2, dtype=d), np.array([1, 3], d.np_dtype), d)


@case("eye")
def _(d):
    if d.is_string:
        return
    assert_matches(ts.eye(2, 3, dtype=d), np.eye(2, 3, dtype=d.np_dtype), d)
    assert_matches(ts.eye(2, batch_shape=[3], dtype=d),
                   np.broadcast_to(np.eye(2, dtype=d.np_dtype), (3, 2, 2)), d)


@case("linspace")
def _(d):
    if d.is_floating:
        assert_matches(ts.linspace(ts.constant(0, d), ts.constant(1, d), 5),
                       np.linspace(0, 1, 5), d)
    elif d.is_integer:        # TensorFlow's: float64, float32 for 8/16-bit (as its division)
        got = ts.linspace(ts.constant(1, d), ts.constant(10, d), 4)
        small = d.size <= 2
        assert got.dtype is (ts.float32 if small else ts.float64)
        assert got.numpy().tolist() == [1., 4., 7., 10.]
    else:
        ends = ["a", "b"] if d.is_string else [False, True]
        with pytest.raises(ts.errors.InvalidArgumentError, match="must be real numbers"):
            ts.linspace(ts.constant(ends[0], d), ts.constant(ends[1], d), 5)


def _reproducible(draw):
    """``draw()`` twice after the same global seed: the values must repeat."""
    ts.random.set_seed(42)
    a = draw()
    ts.random.set_seed(42)
    np.testing.assert_array_equal(a.numpy(), draw().numpy())
    return a


@case("normal")
def _(d):
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError):
            ts.random.normal([2], dtype=d)
        return
    a = _reproducible(lambda: ts.random.normal([2000], mean=3.0, stddev=0.5, dtype=d))
    assert a.dtype is d and a.shape == (2000,)
    assert abs(float(ts.reduce_mean(ts.cast(a, ts.float64))) - 3) < 0.05


@case("uniform")
def _(d):
    if d in (D.int32, D.int64):
        u = ts.random.uniform([1000], 2, 5, dtype=d)
        assert u.dtype is d and set(np.unique(u.numpy())) <= {2, 3, 4}
        return
    if d.is_integer:  # TensorFlow's integer draw takes int32 and int64 only
        with pytest.raises(InvalidArgumentError):
            ts.random.uniform([2], 2, 5, dtype=d)
        return
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError):
            ts.random.uniform([2], dtype=d)
        return
    u = ts.random.uniform([1000], -1, 1, dtype=d, seed=3).numpy()
    assert u.dtype == d.np_dtype and u.min() >= -1 and u.max() < 1


@case("truncated_normal")
def _(d):
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError):
            ts.random.truncated_normal([2], dtype=d)
        return
    a = _reproducible(lambda: ts.random.truncated_normal([4000], mean=1.0, stddev=2.0,
                                                         dtype=d))
    x = a.numpy().astype(np.float64)
    assert a.dtype is d and x.min() >= 1 - 4 * 1.001 and x.max() <= 1 + 4 * 1.001
    assert abs(x.mean() - 1) < 0.1 and abs(x.std() - 2 * 0.8796) < 0.1  # truncated at 2 sd


@case("shuffle")
def _(d):
    x = sample(d, (6, 2))
    got = ts.random.shuffle(ts.constant(x), seed=3).numpy()
    assert got.dtype == x.dtype and got.shape == x.shape
    rows = sorted(tuple(map(repr, r)) for r in x)
    assert sorted(tuple(map(repr, r)) for r in got) == rows      # the same rows, reordered
    again = ts.random.shuffle(ts.constant(x), seed=3).numpy()
    assert got.shape == again.shape


@case("categorical")
def _(d):
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError, match="floating-point"):
            ts.random.categorical(ts.constant(sample(d, (2, 3))), 5)
        return
    p = np.array([[0.1, 0.6, 0.3], [1.0, 0.0, 0.0]])
    with np.errstate(divide="ignore"):
        logits = ts.constant(np.log(p).astype(d.np_dtype))
    c = ts.random.categorical(logits, 4000, seed=1)
    assert c.dtype is D.int64 and c.shape == (2, 4000)
    freq = np.bincount(c.numpy()[0], minlength=3) / 4000
    np.testing.assert_allclose(freq, p[0], atol=0.03)
    assert (c.numpy()[1] == 0).all()                      # log(0) classes never come out
    assert ts.random.categorical(logits, 3, dtype=ts.int32).dtype is D.int32


def _moments(t):
    x = np.asarray(t.numpy(), np.float64).reshape(-1)
    return x.mean(), x.var()


@case("gamma")
def _(d):
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError):
            ts.random.gamma([2], 1., dtype=d)
        return
    g = _reproducible(lambda: ts.random.gamma([4000], 3., 2., dtype=d))
    assert g.dtype is d and g.shape == (4000,)
    mean, var = _moments(g)
    assert abs(mean - 1.5) < 0.1 and abs(var - 0.75) < 0.15
    assert ts.random.gamma([5], ts.constant([1., 2.], d), dtype=d).shape == (5, 2)


@case("poisson")
def _(d):
    if not (d.is_floating or d in (D.int32, D.int64)):
        with pytest.raises(InvalidArgumentError):
            ts.random.poisson([2], 1., dtype=d)
        return
    p = _reproducible(lambda: ts.random.poisson([4000], 4., dtype=d))
    mean, var = _moments(p)
    assert p.dtype is d and abs(mean - 4) < 0.2 and abs(var - 4) < 0.5


@case("stateless_gamma")
def _(d):
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError):
            ts.random.stateless_gamma([2], [1, 2], 1., dtype=d)
        return
    g = ts.random.stateless_gamma([4000, 2], [1, 2], ts.constant([1., 5.], d), dtype=d)
    np.testing.assert_array_equal(g.numpy(), ts.random.stateless_gamma(
        [4000, 2], [1, 2], ts.constant([1., 5.], d), dtype=d).numpy())
    means = np.asarray(g.numpy(), np.float64).mean(0)
    assert abs(means[0] - 1) < 0.1 and abs(means[1] - 5) < 0.3


@case("stateless_poisson")
def _(d):
    if not (d.is_floating or d in (D.int32, D.int64)):
        with pytest.raises(InvalidArgumentError):
            ts.random.stateless_poisson([2], [1, 2], 1., dtype=d)
        return
    p = ts.random.stateless_poisson([4000], [1, 2], 3., dtype=d)
    assert p.dtype is d and abs(_moments(p)[0] - 3) < 0.2


@case("stateless_binomial")
def _(d):
    if not (d.is_floating or d in (D.int32, D.int64)):
        with pytest.raises(InvalidArgumentError):
            ts.random.stateless_binomial([2], [1, 2], 3, 0.5, output_dtype=d)
        return
    b = ts.random.stateless_binomial([4000], [1, 2], 10, 0.3, output_dtype=d)
    mean, var = _moments(b)
    assert b.dtype is d and abs(mean - 3) < 0.15 and abs(var - 2.1) < 0.3


@case("stateless_uniform")
def _(d):
    draw = lambda **kw: ts.random.stateless_uniform([50], seed=[4, 5], dtype=d, **kw)  # noqa
    if d.is_floating:
        u = draw(minval=-1, maxval=3)
        np.testing.assert_array_equal(u.numpy(), draw(minval=-1, maxval=3).numpy())
        assert u.dtype is d and u.numpy().min() >= -1 and u.numpy().max() < 3
    elif d in (D.int32, D.int64):
        u = draw(minval=-2, maxval=3)
        assert u.dtype is d and set(u.numpy().tolist()) <= {-2, -1, 0, 1, 2}
        assert draw(minval=None, maxval=None).dtype is d
    else:
        with pytest.raises((InvalidArgumentError, ValueError)):
            draw(minval=0, maxval=2)


@case("stateless_normal")
def _(d):
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError):
            ts.random.stateless_normal([2], seed=[1, 2], dtype=d)
        return
    z = ts.random.stateless_normal([4000], seed=[1, 2], mean=3., stddev=0.5, dtype=d)
    assert z.dtype is d and abs(float(ts.reduce_mean(ts.cast(z, ts.float64))) - 3) < 0.05


@case("stateless_truncated_normal")
def _(d):
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError):
            ts.random.stateless_truncated_normal([2], seed=[1, 2], dtype=d)
        return
    z = ts.random.stateless_truncated_normal([4000], seed=[1, 2], dtype=d).numpy()
    assert z.dtype == d.np_dtype and np.abs(z.astype(np.float64)).max() < 2.001


@case("stateless_categorical")
def _(d):
    if not d.is_floating:
        with pytest.raises(InvalidArgumentError):
            ts.random.stateless_categorical(ts.constant(sample(d, (2, 3))), 5, seed=[1, 2])
        return
    p = np.array([[0.1, 0.6, 0.3], [1.0, 0.0, 0.0]])
    with np.errstate(divide="ignore"):
        logits = ts.constant(np.log(p).astype(d.np_dtype))
    c = ts.random.stateless_categorical(logits, 4000, seed=[3, 1]).numpy()
    np.testing.assert_allclose(np.bincount(c[0], minlength=3) / 4000, p[0], atol=0.03)
    assert (c[1] == 0).all()


@case("argmax", reject=lambda t: ts.argmax(t))
def _(d):
    x = sample(d, (3, 4))
    assert_matches(ts.argmax(ts.constant(x)), np.argmax(x, 0), D.int64)
    assert_matches(ts.math.argmax(ts.constant(x), axis=-1, output_type=ts.int32),
                   np.argmax(x, -1), D.int32)


@case("argmin", reject=lambda t: ts.argmin(t))
def _(d):
    x = sample(d, (3, 4))
    assert_matches(ts.argmin(ts.constant(x), axis=1), np.argmin(x, 1), D.int64)


@case("stop_gradient")
def _(d):
    x = sample(d)
    assert_matches(ts.stop_gradient(ts.constant(x)), x, d)


@case("unsorted_segment_sum", reject=lambda t: ts.math.unsorted_segment_sum(t, [0, 1, 0], 2))
def _(d):
    x = sample(d, (3, 2))
    expected = np.zeros((3, 2), dtype=np.int64 if d.is_integer else np.complex128)
    for row, seg in zip(wide(x), [2, 0, 2]):
        expected[seg] += row
    assert_matches(ts.math.unsorted_segment_sum(ts.constant(x), [2, 0, 2], 3),
                   _wrap_to(expected, d), d)


def _segment_case(name, fold, empty):
    def check(d):
        x = sample(d, (4, 2), seed=9)
        ids = [2, 0, 2, 2]
        expected = np.full((3, 2), empty(d.np_dtype), dtype=d.np_dtype)  # wraps as the op
        seen = set()
        for row, seg in zip(x, ids):
            expected[seg] = row if seg not in seen else fold(expected[seg], row)
            seen.add(seg)
        assert_matches(getattr(ts.math, name)(ts.constant(x), ids, 3), _wrap_to(expected, d), d)
    return check


def _limit(which):
    def value(np_dtype):
        info = np.finfo(np_dtype) if np.dtype(np_dtype).kind == "f" else np.iinfo(np_dtype)
        return getattr(info, which)
    return value


case("unsorted_segment_max", reject=lambda t: ts.math.unsorted_segment_max(t, [0, 1, 0], 2))(
    _segment_case("unsorted_segment_max", np.maximum, _limit("min")))
case("unsorted_segment_min", reject=lambda t: ts.math.unsorted_segment_min(t, [0, 1, 0], 2))(
    _segment_case("unsorted_segment_min", np.minimum, _limit("max")))
case("unsorted_segment_prod", reject=lambda t: ts.math.unsorted_segment_prod(t, [0, 1, 0], 2))(
    _segment_case("unsorted_segment_prod", np.multiply, lambda np_dtype: 1))


@case("scatter_slice", reject=lambda t: OPS["scatter_slice"].fn(t, 0, [3, 3, 3]))
def _(d):
    x = sample(d, (2,))
    expected = np.zeros((3, 2), dtype=d.np_dtype)
    expected[1] = x
    assert_matches(OPS["scatter_slice"].fn(ts.constant(x), 1, [3, 2]), expected, d)


@case("getitem")
def _(d):
    x = sample(d, (3, 4))
    assert_matches(ts.constant(x)[1:, ::2], x[1:, ::2], d)


@case("cumsum", reject=lambda t: ts.cumsum(t))
def _(d):
    x = sample(d, (3, 4))
    w = wide(x)
    assert_matches(ts.cumsum(ts.constant(x)), _wrap_to(np.cumsum(w, 0), d), d)
    assert_matches(ts.math.cumsum(ts.constant(x), axis=1, exclusive=True),
                   _wrap_to(np.cumsum(w, 1) - w, d), d)
    assert_matches(ts.cumsum(ts.constant(x), axis=-1, reverse=True),
                   _wrap_to(np.flip(np.cumsum(np.flip(w, 1), 1), 1), d), d)


@case("cumprod", reject=lambda t: ts.math.cumprod(t))
def _(d):
    x = sample(d, (3, 4), domain="pos")
    w = wide(x)
    assert_matches(ts.math.cumprod(ts.constant(x)), _wrap_to(np.cumprod(w, 0), d), d)
    exclusive = np.concatenate([np.ones_like(w[:, :1]), np.cumprod(w, 1)[:, :-1]], 1)
    assert_matches(ts.math.cumprod(ts.constant(x), axis=1, exclusive=True),
                   _wrap_to(exclusive, d), d)
    assert_matches(ts.math.cumprod(ts.constant(x), axis=-1, reverse=True),
                   _wrap_to(np.flip(np.cumprod(np.flip(w, 1), 1), 1), d), d)


@case("sort", reject=lambda t: ts.sort(t))
def _(d):
    x = sample(d, (3, 5))
    assert_matches(ts.sort(ts.constant(x)), np.sort(x, -1), d)
    assert_matches(ts.sort(ts.constant(x), axis=0, direction="DESCENDING"),
                   np.flip(np.sort(x, 0), 0), d)


@case("argsort", reject=lambda t: ts.argsort(t))
def _(d):
    x = sample(d, (3, 5))
    assert_matches(ts.argsort(ts.constant(x)), np.argsort(x, -1, kind="stable"), D.int32)
    got = ts.argsort(ts.constant(x), direction="DESCENDING").numpy()
    # stable both ways, as TensorFlow: equal values keep their order when descending too
    ranks = np.unique(x, return_inverse=True)[1].reshape(x.shape)
    np.testing.assert_array_equal(got, np.argsort(-ranks, -1, kind="stable"))


@case("gather_nd")
def _(d):
    x = sample(d, (3, 4, 2))
    idx = np.array([[2, 1], [0, 3], [2, 1]])
    assert_matches(ts.gather_nd(ts.constant(x), idx), x[idx[:, 0], idx[:, 1]], d)
    assert_matches(ts.gather_nd(ts.constant(x), [[1]]), x[[1]], d)
    assert_matches(ts.gather_nd(ts.constant(x), [[[0], [1]], [[2], [0]]], batch_dims=0),
                   x[np.array([[0, 1], [2, 0]])], d)
    assert_matches(ts.gather_nd(ts.constant(x[:2]), [[1], [3]], batch_dims=1),
                   np.stack([x[0, 1], x[1, 3]]), d)
    with pytest.raises(InvalidArgumentError, match="is not in"):
        ts.gather_nd(ts.constant(x), [[3, 0]])


@case("scatter_nd", reject=lambda t: ts.scatter_nd([[0]], t[:1], [3, 3]))
def _(d):
    u = sample(d, (3, 2), seed=4)
    got = ts.scatter_nd([[1], [3], [1]], ts.constant(u), [5, 2])
    want = np.zeros((5, 2), wide(u).dtype)
    np.add.at(want, [1, 3, 1], wide(u))
    assert_matches(got, _wrap_to(want, d), d)
    with pytest.raises(InvalidArgumentError, match="updates must have shape"):
        ts.scatter_nd([[1]], ts.constant(u), [5, 2])


@case("tensor_scatter_nd_update")
def _(d):
    x = sample(d, (3, 4))
    u = sample(d, (2,), seed=8)
    want = x.copy()
    want[[0, 2], [1, 3]] = u
    assert_matches(ts.tensor_scatter_nd_update(ts.constant(x), [[0, 1], [2, 3]],
                                               ts.constant(u)), want, d)
    rows = sample(d, (1, 4), seed=9)
    want = x.copy()
    want[1] = rows[0]
    assert_matches(ts.tensor_scatter_nd_update(ts.constant(x), [[1]], ts.constant(rows)),
                   want, d)


def _scatter_arith(name, ufunc):
    @case(name, reject=lambda t: OPS[name].fn(t, [[0, 0]], t[0, :1]))
    def _(d):
        x = sample(d, (3, 4), domain="pos")
        u = sample(d, (3,), domain="pos", seed=8)
        want = wide(x).copy()
        ufunc.at(want, ([0, 2, 0], [1, 3, 1]), wide(u))
        assert_matches(OPS[name].fn(ts.constant(x), [[0, 1], [2, 3], [0, 1]], ts.constant(u)),
                       _wrap_to(want, d), d)


_scatter_arith("tensor_scatter_nd_add", np.add)
_scatter_arith("tensor_scatter_nd_sub", np.subtract)
_scatter_arith("tensor_scatter_nd_max", np.maximum)
_scatter_arith("tensor_scatter_nd_min", np.minimum)


@case("roll")
def _(d):
    x = sample(d, (3, 4))
    assert_matches(ts.roll(ts.constant(x), 1, 0), np.roll(x, 1, 0), d)
    assert_matches(ts.roll(ts.constant(x), [-1, 2], [0, 1]), np.roll(x, [-1, 2], [0, 1]), d)
    with pytest.raises(InvalidArgumentError, match="same size"):
        ts.roll(ts.constant(x), [1, 2], 0)


@case("repeat")
def _(d):
    x = sample(d, (2, 3))
    assert_matches(ts.repeat(ts.constant(x), [1, 3], axis=0), np.repeat(x, [1, 3], 0), d)
    assert_matches(ts.repeat(ts.constant(x), 2, axis=1), np.repeat(x, 2, 1), d)
    assert_matches(ts.repeat(ts.constant(x), 2), np.repeat(x, 2), d)
    with pytest.raises(InvalidArgumentError, match="repeats has 3 entries"):
        ts.repeat(ts.constant(x), [1, 2, 3], axis=0)


@case("sequence_mask")
def _(d):
    if not d.is_integer:
        with pytest.raises(InvalidArgumentError, match="lengths must be integers"):
            ts.sequence_mask(ts.constant(sample(d, (2,))))
        return
    n = sample(d, (2, 3), domain="pos")
    assert_matches(ts.sequence_mask(ts.constant(n), 5),
                   np.arange(5) < wide(n)[..., None], D.bool)
    assert_matches(ts.sequence_mask(ts.constant(n), dtype=ts.float32),
                   (np.arange(wide(n).max()) < wide(n)[..., None]).astype(np.float32),
                   D.float32)


@case("unique")
def _(d):
    x = sample(d, (9,))
    got = ts.unique(ts.constant(x))
    seen = []                          # distinct values in order of first appearance
    for i in range(len(x)):
        if not any(x[i] == s for s in seen):
            seen.append(x[i])
    assert_matches(got.y, np.array(seen, dtype=x.dtype), d)
    idx = got.idx.numpy()
    assert got.idx.dtype is D.int32 and all(x[i] == seen[idx[i]] for i in range(len(x)))
    assert ts.unique(ts.constant(x), out_idx=ts.int64).idx.dtype is D.int64


@case("unique_with_counts")
def _(d):
    x = sample(d, (9,))
    y, idx, count = ts.unique_with_counts(ts.constant(x), out_idx=ts.int64)
    plain = ts.unique(ts.constant(x))
    assert_matches(y, plain.y.numpy(), d)
    assert idx.dtype is D.int64 and count.dtype is D.int64
    assert idx.numpy().tolist() == plain.idx.numpy().tolist()
    assert count.numpy().tolist() == [int(sum(x[i] == v for i in range(len(x))))
                                      for v in plain.y.numpy()]

# -- convolutions and pooling (the slow reference is tests/engine/conv_reference.py) -----------
def _conv_inputs(d):
    x = sample(d, (2, 5, 6, 3), domain="shift", seed=4)
    w = sample(d, (3, 2, 3, 4), domain="shift", seed=5)
    return x, w


def _conv_tol(d):
    return {D.float16: 5e-2}.get(d, tolerance(d) * 10)


def _close(t, expected, d):
    assert t.dtype is d and tuple(t.shape) == expected.shape
    np.testing.assert_allclose(wide(t.numpy()), expected, rtol=_conv_tol(d),
                               atol=_conv_tol(d))


@case("convolution", reject=lambda t: ts.nn.convolution(ts.reshape(t, [1, 3, 3, 1]),
                                                        ts.reshape(t, [3, 3, 1, 1])))
def _(d):
    from . import conv_reference as cref
    x, w = _conv_inputs(d)
    _close(ts.nn.convolution(ts.constant(x), ts.constant(w), [2, 1], "SAME", dilations=1),
           cref.conv(x, w, (2, 1), "SAME", (1, 1)), d)


@case("conv_transpose", reject=lambda t: ts.nn.conv_transpose(
    ts.reshape(t, [1, 3, 3, 1]), ts.reshape(t, [3, 3, 1, 1]), [1, 3, 3, 1], 1))
def _(d):
    from . import conv_reference as cref
    x, w = _conv_inputs(d)
    g = sample(d, (2, 3, 6, 4), domain="shift", seed=6)
    _close(ts.nn.conv_transpose(ts.constant(g), ts.constant(w), x.shape, [2, 1], "SAME"),
           cref.conv_input_grad(g, w, x.shape, (2, 1), "SAME", (1, 1)), d)


@case("conv_backprop_filter", reject=lambda t: OPS["conv_backprop_filter"].fn(
    ts.reshape(t, [1, 3, 3, 1]), [3, 3, 1, 1], ts.reshape(t[:1, :1], [1, 1, 1, 1]), 1,
    "VALID"))
def _(d):
    from . import conv_reference as cref
    x, w = _conv_inputs(d)
    g = sample(d, (2, 3, 4, 4), domain="shift", seed=6)
    _close(OPS["conv_backprop_filter"].fn(ts.constant(x), w.shape, ts.constant(g), 1,
                                          "VALID", dilations=[1, 2]),
           cref.conv_filter_grad(x, g, w.shape, (1, 1), "VALID", (1, 2)), d)


@case("depthwise_conv2d", reject=lambda t: ts.nn.depthwise_conv2d(
    ts.reshape(t, [1, 3, 3, 1]), ts.reshape(t, [3, 3, 1, 1]), [1, 1, 1, 1], "SAME"))
def _(d):
    from . import conv_reference as cref
    x = sample(d, (2, 5, 6, 3), domain="shift", seed=4)
    w = sample(d, (3, 2, 3, 2), domain="shift", seed=5)
    _close(ts.nn.depthwise_conv2d(ts.constant(x), ts.constant(w), [1, 2, 1, 1], "SAME"),
           cref.depthwise(x, w, (2, 1), "SAME", (1, 1)), d)


def _depthwise_adjoint(d, which):
    """<depthwise(x, w), g> == <x, backprop_input(g)> == <w, backprop_filter(x, g)>."""
    x = sample(d, (2, 5, 6, 3), domain="shift", seed=4)
    w = sample(d, (3, 2, 3, 2), domain="shift", seed=5)
    g = sample(d, (2, 5, 6, 6), domain="shift", seed=6)
    y = ts.nn.depthwise_conv2d(ts.constant(x), ts.constant(w), [1, 1, 1, 1], "SAME")
    if which == "input":
        got = OPS["depthwise_conv2d_backprop_input"].fn(list(x.shape), ts.constant(w),
                                                        ts.constant(g), [1, 1, 1, 1], "SAME")
        partner = x
    else:
        got = OPS["depthwise_conv2d_backprop_filter"].fn(ts.constant(x), list(w.shape),
                                                         ts.constant(g), [1, 1, 1, 1], "SAME")
        partner = w
    assert got.dtype is d and got.shape == partner.shape
    np.testing.assert_allclose(np.sum(wide(y.numpy()) * wide(g)),
                               np.sum(wide(partner) * wide(got.numpy())), rtol=_conv_tol(d))


case("depthwise_conv2d_backprop_input", reject=lambda t: OPS[
    "depthwise_conv2d_backprop_input"].fn([1, 3, 3, 1], ts.reshape(t, [3, 3, 1, 1]),
                                           ts.reshape(t, [1, 3, 3, 1]), [1, 1, 1, 1], "SAME"))(
    lambda d: _depthwise_adjoint(d, "input"))
case("depthwise_conv2d_backprop_filter", reject=lambda t: OPS[
    "depthwise_conv2d_backprop_filter"].fn(ts.reshape(t, [1, 3, 3, 1]), [3, 3, 1, 1],
                                            ts.reshape(t, [1, 3, 3, 1]), [1, 1, 1, 1], "SAME"))(
    lambda d: _depthwise_adjoint(d, "filter"))


def _pool_reject(name):
    return lambda t: OPS[name].fn(ts.reshape(t, [1, 3, 3, 1]), 2, 1, "VALID")


@case("max_pool", reject=_pool_reject("max_pool"))
def _(d):
    from . import conv_reference as cref
    x = sample(d, (2, 5, 6, 3), seed=4)
    assert_matches(ts.nn.max_pool(ts.constant(x), [3, 2], 2, "SAME"),
                   cref.pool(x, (3, 2), (2, 2), "SAME", "max"), d)


@case("avg_pool", reject=_pool_reject("avg_pool"))
def _(d):
    from . import conv_reference as cref
    x = sample(d, (2, 5, 6, 3), seed=4)
    _close(ts.nn.avg_pool(ts.constant(x), [3, 2], 2, "SAME"),
           cref.pool(x, (3, 2), (2, 2), "SAME", "avg"), d)


@case("max_pool_grad", reject=lambda t: OPS["max_pool_grad"].fn(
    ts.reshape(t, [1, 3, 3, 1]), ts.reshape(t, [1, 3, 3, 1]), 1, 1, "VALID"))
def _(d):
    from . import conv_reference as cref
    x = sample(d, (2, 5, 6, 3), seed=4)
    g = sample(d, (2, 3, 3, 3), seed=5)
    _close(OPS["max_pool_grad"].fn(ts.constant(x), ts.constant(g), [3, 2], 2, "SAME"),
           cref.max_pool_grad(x, g, (3, 2), (2, 2), "SAME"), d)


@case("max_pool_grad_grad", reject=lambda t: OPS["max_pool_grad_grad"].fn(
    ts.reshape(t, [1, 3, 3, 1]), ts.reshape(t, [1, 3, 3, 1]), 1, 1, "VALID"))
def _(d):
    x = sample(d, (2, 5, 6, 3), seed=4)
    h = sample(d, (2, 5, 6, 3), seed=5)
    # the transpose of max_pool_grad: <max_pool_grad(x, g), h> == <g, max_pool_grad_grad(x, h)>
    g = sample(d, (2, 3, 3, 3), seed=6)
    picked = OPS["max_pool_grad_grad"].fn(ts.constant(x), ts.constant(h), [3, 2], 2, "SAME")
    spread = OPS["max_pool_grad"].fn(ts.constant(x), ts.constant(g), [3, 2], 2, "SAME")
    assert picked.dtype is d and picked.shape == g.shape
    np.testing.assert_allclose(np.sum(wide(picked.numpy()) * wide(g)),
                               np.sum(wide(spread.numpy()) * wide(h)), rtol=_conv_tol(d))


@case("avg_pool_grad", reject=lambda t: OPS["avg_pool_grad"].fn(
    [1, 3, 3, 1], ts.reshape(t, [1, 3, 3, 1]), 1, 1, "VALID"))
def _(d):
    from . import conv_reference as cref
    g = sample(d, (2, 3, 3, 3), seed=5)
    _close(OPS["avg_pool_grad"].fn([2, 5, 6, 3], ts.constant(g), [3, 2], 2, "SAME"),
           cref.avg_pool_grad(g, (2, 5, 6, 3), (3, 2), (2, 2), "SAME"), d)


# -- Fourier transforms: every rank, against numpy.fft --------------------------------------
def _fft_case(rank, inverse):
    name = ("ifft" if inverse else "fft") + {1: "", 2: "2d", 3: "3d"}[rank]

    def check(d):
        x = sample(d, (2, 3, 4), seed=rank)
        ref = (np.fft.ifftn if inverse else np.fft.fftn)(wide(x), axes=tuple(range(-rank, 0)))
        _close(getattr(ts.signal, name)(ts.constant(x)), ref, d)
    return name, check


def _rfft_case(rank, inverse):
    name = ("irfft" if inverse else "rfft") + {1: "", 2: "2d", 3: "3d"}[rank]
    axes = tuple(range(-rank, 0))

    def check(d):
        x = sample(d, (2, 3, 6), seed=rank)
        if inverse:
            out_d = d.real_dtype
            ref = np.fft.irfftn(wide(x), axes=axes, s=list(x.shape[-rank:-1]) + [10])
        else:
            out_d = {D.float32: D.complex64, D.float64: D.complex128}[d]
            ref = np.fft.rfftn(wide(x), axes=axes)
        _close(getattr(ts.signal, name)(ts.constant(x)), ref, out_d)
    return name, check


for _rank in (1, 2, 3):
    for _inverse in (False, True):
        _name, _check = _fft_case(_rank, _inverse)
        case(_name, reject=lambda t, n=_name: getattr(ts.signal, n)(t))(_check)
        _name, _check = _rfft_case(_rank, _inverse)
        case(_name, reject=lambda t, n=_name: getattr(ts.signal, n)(t))(_check)


# -- special functions: identities that pin them down, and known values -----------------------
_EULER_GAMMA = 0.5772156649015329


@case("digamma", reject=lambda t: ts.math.digamma(t))
def _(d):
    x = sample(d, (3, 4), domain="pos", seed=3) + 0.5
    tol = {D.float16: 5e-2, D.float32: 1e-5}.get(d, 1e-12)
    psi = wide(ts.math.digamma(ts.constant(x)).numpy())
    psi1 = wide(ts.math.digamma(ts.constant((x + 1).astype(d.np_dtype))).numpy())
    np.testing.assert_allclose(psi1 - psi, 1 / wide(x), rtol=tol * 10, atol=tol * 10)
    known = ts.math.digamma(ts.constant(np.array([1., 0.5, 0.25], d.np_dtype))).numpy()
    np.testing.assert_allclose(wide(known), [-_EULER_GAMMA, -_EULER_GAMMA - 2 * math.log(2),
                                             -_EULER_GAMMA - math.pi / 2 - 3 * math.log(2)],
                               rtol=tol, atol=tol)


@case("polygamma", reject=lambda t: ts.math.polygamma(t, t))
def _(d):
    tol = {D.float16: 5e-2, D.float32: 1e-5}.get(d, 1e-12)
    x = np.array([1., 2., 0.5], d.np_dtype)
    got = ts.math.polygamma(ts.constant(np.array([1., 2., 1.], d.np_dtype)), ts.constant(x))
    assert got.dtype is d
    # trigamma(1) = pi^2 / 6, tetragamma(2) = -2 (zeta(3) - 1), trigamma(1/2) = pi^2 / 2
    np.testing.assert_allclose(wide(got.numpy()), [math.pi ** 2 / 6, -2 * (1.2020569031595942
                                                                           - 1),
                                                   math.pi ** 2 / 2], rtol=tol)
    zero = ts.math.polygamma(ts.constant(np.zeros(3, d.np_dtype)), ts.constant(x))
    np.testing.assert_allclose(wide(zero.numpy()), wide(ts.math.digamma(ts.constant(x))
                                                        .numpy()), rtol=tol)


@case("zeta", reject=lambda t: ts.math.zeta(t, t))
def _(d):
    tol = {D.float16: 5e-2, D.float32: 1e-5}.get(d, 1e-12)
    s_ = np.array([2., 4., 3.], d.np_dtype)
    q = np.array([1., 1., 2.], d.np_dtype)
    got = ts.math.zeta(ts.constant(s_), ts.constant(q))
    np.testing.assert_allclose(wide(got.numpy()), [math.pi ** 2 / 6, math.pi ** 4 / 90,
                                                   1.2020569031595942 - 1], rtol=tol)


def _special_tol(d):
    return {D.float16: 5e-3, D.float32: 1e-6}.get(d, 1e-13)


@case("igamma", reject=lambda t: ts.math.igamma(t, t))
def _(d):
    x = np.array([0.2, 1.0, 3.5, 9.0], d.np_dtype)
    p_half = ts.math.igamma(ts.constant(np.full(4, 0.5, d.np_dtype)), ts.constant(x))
    p_one = ts.math.igamma(ts.constant(np.ones(4, d.np_dtype)), ts.constant(x))
    assert p_half.dtype is d
    np.testing.assert_allclose(wide(p_half.numpy()), [math.erf(math.sqrt(v)) for v in
                                                      wide(x)], rtol=_special_tol(d) * 10)
    np.testing.assert_allclose(wide(p_one.numpy()), 1 - np.exp(-wide(x)),
                               rtol=_special_tol(d) * 10)


@case("igammac", reject=lambda t: ts.math.igammac(t, t))
def _(d):
    x = np.array([0.2, 1.0, 3.5, 9.0], d.np_dtype)
    q_one = ts.math.igammac(ts.constant(np.ones(4, d.np_dtype)), ts.constant(x))
    np.testing.assert_allclose(wide(q_one.numpy()), np.exp(-wide(x)),
                               rtol=_special_tol(d) * 10)


@case("betainc", reject=lambda t: ts.math.betainc(t, t, t))
def _(d):
    x = np.array([0.1, 0.5, 0.9], d.np_dtype)
    ones = np.ones(3, d.np_dtype)
    got = ts.math.betainc(ts.constant(np.full(3, 2.5, d.np_dtype)), ts.constant(ones),
                          ts.constant(x))
    assert got.dtype is d
    np.testing.assert_allclose(wide(got.numpy()), wide(x) ** 2.5, rtol=_special_tol(d) * 10)
    assert float(ts.math.betainc(ts.constant(2., d), ts.constant(3., d),
                                 ts.constant(0.5, d))) == pytest.approx(0.6875,
                                                                        rel=_special_tol(d))


def test_every_registered_op_is_in_the_test_table():
    tested = set(UNARY) | set(BINARY) | set(REDUCTIONS) | set(CUSTOM)
    missing = sorted(set(OPS) - tested)
    assert not missing, f"ops without an entry in the test table: {missing}"
    stale = sorted(tested - set(OPS))
    assert not stale, f"test entries for ops that are not registered: {stale}"


def test_restricted_custom_ops_say_how_to_reject():
    missing = [n for n in CUSTOM if OPS[n].dtypes != D.ALL_SET and n not in REJECT]
    assert not missing, f"ops with a dtype restriction but no rejection case: {missing}"


CUSTOM_CASES = [(n, d) for n in CUSTOM for d in ALL]


@pytest.mark.parametrize("name,dtype", CUSTOM_CASES, ids=_ids(CUSTOM_CASES))
def test_custom(name, dtype, device):
    if dtype in OPS[name].dtypes:
        CUSTOM[name](dtype)
    else:
        with pytest.raises(InvalidArgumentError, match="does not accept"):
            REJECT[name](ts.constant(sample(dtype, (3, 3))))
