"""ts.math.special against mpmath's values (40 digits) and TensorFlow's, recorded over one grid
of arguments in special_golden.npz (`python -m tests.engine.record_special_golden`)."""

import pathlib
import warnings

import numpy as np
import pytest

import tensorshell as ts

GOLDEN = np.load(pathlib.Path(__file__).with_name("special_golden.npz"))
X = GOLDEN["x"]
NAMES = sorted(k[:-6] for k in GOLDEN.files if k.endswith("_exact"))
OSCILLATING = {"bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1"}


def _run(name, x, dtype=np.float64):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(ts.math.special, name)(ts.constant(np.asarray(x, dtype))).numpy()


def test_the_namespace_is_tensorflows():
    assert NAMES == sorted(ts.math.special.__all__) and len(NAMES) == 17
    assert ts.math.bessel_i0e is ts.math.special.bessel_i0e   # also in ts.math, as in TF
    assert not hasattr(ts.math, "bessel_j0") and not hasattr(ts, "bessel_j0")
    import tensorshell.math.special as special
    assert special is ts.math.special


@pytest.mark.parametrize("name", NAMES)
def test_accurate_to_the_last_bits(name):
    """Within a few ulp of the true value; for J and Y, of their amplitude sqrt(2/(pi x))
    (their zeros make relative error meaningless there)."""
    exact = GOLDEN[name + "_exact"]
    known = ~np.isnan(exact)
    if name.startswith("fresnel"):
        known &= np.abs(X) <= 36974    # beyond, exactly 1/2 as Cephes' and TensorFlow's
    x, want = X[known], exact[known]
    got = _run(name, x)
    scale = np.abs(want)
    if name in OSCILLATING:
        scale = np.maximum(scale, np.minimum(1.0, np.sqrt(2 / (np.pi * np.abs(x)))))
    if name == "expint":
        scale = np.maximum(scale, 1.0)                      # terms of size 1 near its zero
    with np.errstate(invalid="ignore"):        # inf - inf where both are inf: equal
        err = np.where(got == want, 0.0, np.abs(got - want) / scale)
    assert err.max() < 2e-14, (x[err.argmax()], got[err.argmax()], want[err.argmax()])


@pytest.mark.parametrize("name", NAMES)
def test_tensorflows_values(name):
    """TensorFlow's values at poles, infinities, NaN and invalid arguments, and its finite
    values where its own phase is accurate (TensorFlow computes J, Y and the Fresnel
    integrals' phase in floating point: errors of about x * 1e-16 of the amplitude)."""
    want = GOLDEN[name]
    normal = X != 5e-324
    got = _run(name, X)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    inf = np.isinf(want)
    np.testing.assert_array_equal(got[inf], want[inf])
    limit = 200.0 if name in OSCILLATING else 1000.0
    near = np.isfinite(want) & (np.abs(X) <= limit) & normal
    crossing = name in OSCILLATING | {"expint", "spence"}    # values through zero
    np.testing.assert_allclose(got[near], want[near], rtol=2e-13,
                               atol=1e-15 if crossing else 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("name", NAMES)
def test_narrow_floats_are_the_float64_result_rounded(name, dtype):
    x = X[np.isfinite(X) & (np.abs(X) < 6e4)].astype(dtype)
    result = getattr(ts.math.special, name)(ts.constant(x))
    assert result.dtype.as_numpy_dtype == dtype
    with np.errstate(all="ignore"):
        want = _run(name, x.astype(np.float64)).astype(dtype)
    got = result.numpy()
    if dtype == np.float32 and "GPU" in result.device:
        # CuPy compiles its kernels with -ftz=true: float32 subnormals may flush to zero
        flushed = (np.abs(want) < np.finfo(np.float32).tiny) & (got == 0)
        want = np.where(flushed, got, want)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", NAMES)
def test_gradients_equal_tensorflows(name):
    x = ts.constant(GOLDEN["xg"])
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = getattr(ts.math.special, name)(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), GOLDEN[name + "_grad"],
                               rtol=1e-13)


def test_integers_are_refused_with_the_fix():
    with pytest.raises(ts.errors.InvalidArgumentError, match="does not accept int32"):
        ts.math.special.bessel_j0(ts.constant([1, 2]))
    np.testing.assert_allclose(ts.math.special.bessel_j0([0., 2.404825557695773]).numpy(),
                               [1., 0.], atol=1e-7)
