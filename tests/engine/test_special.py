"""Special functions: TensorFlow's values at poles, infinities and NaN, the vectorised
forms (used on accelerators) against the exact host forms, and TensorFlow's results and
gradients where it is installed."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine.ops import special

EDGES = np.array([0., -1., -0.5, 0.1, 1., 2.5, 10., 1e6, 1e30, np.inf, -np.inf, np.nan, -2.7])


def test_poles_infinities_and_nan_as_tensorflow():
    lg = ts.math.lgamma(EDGES).numpy()
    assert lg[:2].tolist() == [np.inf, np.inf] and lg[9] == lg[10] == np.inf
    assert np.isnan(lg[11]) and lg[4] == 0.0
    dg = ts.math.digamma(EDGES).numpy()
    assert np.isnan(dg[[0, 1, 10, 11]]).all() and dg[9] == np.inf
    tri = ts.math.polygamma(np.float64(1.), EDGES).numpy()
    assert tri[0] == tri[1] == np.inf and tri[9] == 0.0
    tetra = ts.math.polygamma(np.float64(2.), EDGES).numpy()
    assert np.isnan(tetra[:2]).all()
    z = ts.math.zeta(np.array([1., 0.5, 2., 3.]), np.array([1., 1., 0., 0.])).numpy()
    assert z[0] == np.inf and np.isnan(z[1]) and z[2] == np.inf and np.isnan(z[3])
    assert np.isnan(ts.math.polygamma(np.float64(1.5), np.float64(2.)).numpy())


def test_vectorised_lgamma_matches_the_exact_one():
    x = np.concatenate([np.linspace(-20.3, 30, 997), [0.5, 1.5, 1e-8, 1e10, 170.6]])
    vectorised = special._lgamma_kernel(_NotNumPy)(x)
    exact = np.vectorize(math.lgamma)(x)
    np.testing.assert_allclose(vectorised, exact, rtol=1e-13, atol=1e-14)


class _NotNumPy:
    """NumPy under another name: takes the accelerators' code path."""

    def __getattr__(self, name):
        return getattr(np, name)


_NotNumPy = _NotNumPy()


def test_dtypes_and_lbeta():
    assert ts.math.lgamma(ts.constant([0.5], ts.float16)).dtype is ts.float16
    np.testing.assert_allclose(ts.math.lbeta([[1., 2.], [3., 4.]]).numpy(),
                               [math.log(0.5), math.log(1 / 60)], rtol=1e-6)
    with pytest.raises(ts.errors.InvalidArgumentError, match="does not accept int32"):
        ts.math.lgamma(ts.constant([1, 2]))


@pytest.mark.tf_oracle
def test_same_values_and_gradients_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    results = []
    for lib in (ts, tf):
        x = lib.constant(EDGES)
        v = lib.constant([0.3, 1.7, 4.2, -1.3], lib.float64)
        values = [lib.math.lgamma(x), lib.math.digamma(x),
                  lib.math.polygamma(lib.constant(1., lib.float64), x),
                  lib.math.polygamma(lib.constant(3., lib.float64), x),
                  lib.math.zeta(lib.constant([2., 3., 4., 2.5, 3.], lib.float64),
                                lib.constant([1., 2., -1., -1.5, 0.5], lib.float64))]
        with lib.GradientTape(persistent=True) as tape:
            tape.watch(v)
            ys = [lib.math.lgamma(v), lib.math.digamma(v),
                  lib.math.polygamma(lib.constant(2., lib.float64), v),
                  lib.math.zeta(lib.constant(3., lib.float64), v + 2)]
        grads = [tape.gradient(y, v) for y in ys]
        results.append([np.asarray(t.numpy()) for t in values + grads])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-300, equal_nan=True)


@pytest.mark.tf_oracle
def test_incomplete_functions_equal_tensorflows():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    a = np.array([0.5, 1., 2., 5., 50., 0., -1., 2., 2., 2.])
    x = np.array([0.3, 1., 3., 2., 60., 1., 1., 0., np.inf, -1.])
    big_a, big_b = np.array([0.5, 2., 5., 1., 0., 2., 30.]), np.array([.5, 3., 1., 1., 1., 2., 40.])
    big_x = np.array([0.3, 0.5, 0.9, 0.2, 0.5, 1.5, 0.45])
    results = []
    for lib in (ts, tf):
        ta, tx = lib.constant(a), lib.constant(x)
        tba, tbb, tbx = lib.constant(big_a), lib.constant(big_b), lib.constant(big_x)
        with lib.GradientTape(persistent=True) as tape:
            tape.watch([ta, tx, tbx])
            y = lib.reduce_sum(lib.math.igamma(ta[1:5], tx[1:5]))
            z = lib.reduce_sum(lib.math.betainc(tba[:3], tbb[:3], tbx[:3]))
        results.append([lib.math.igamma(ta, tx).numpy(), lib.math.igammac(ta, tx).numpy(),
                        lib.math.betainc(tba, tbb, tbx).numpy(),
                        tape.gradient(y, tx).numpy(), tape.gradient(z, tbx).numpy(),
                        tape.gradient(y, ta).numpy()])
    for k, (ours, theirs) in enumerate(zip(*results)):
        rtol = 1e-6 if k == 5 else 1e-12   # the a-gradient is a central difference
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=1e-12, equal_nan=True)
