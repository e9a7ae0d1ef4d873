"""Decompositions and solvers (ts.linalg.eigh/eigvalsh/svd/qr/slogdet/triangular_solve and
the composites on them): batched results reconstruct their input, and, where TensorFlow is
installed, values and gradients (through quantities that do not depend on a vector's sign
or phase) equal TensorFlow's for real and complex inputs."""

from __future__ import annotations

import os

import numpy as np
import pytest

import tensorshell as ts

RNG = np.random.default_rng(0)


def test_batched_decompositions_reconstruct_their_input():
    a = RNG.standard_normal((2, 5, 3))
    s, u, v = ts.linalg.svd(a)
    np.testing.assert_allclose((u.numpy() * s.numpy()[:, None, :]) @ np.swapaxes(
        v.numpy(), -1, -2), a, atol=1e-12)
    q, r = ts.linalg.qr(a)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), a, atol=1e-12)
    h = a @ np.swapaxes(a, -1, -2)
    e, vecs = ts.linalg.eigh(h)
    np.testing.assert_allclose(vecs.numpy() @ (e.numpy()[..., None] * np.swapaxes(
        vecs.numpy(), -1, -2)), h, atol=1e-10)
    assert (np.diff(e.numpy(), axis=-1) >= 0).all()
    sign, logabs = ts.linalg.slogdet(h + np.eye(5))
    np.testing.assert_allclose(sign.numpy() * np.exp(logabs.numpy()),
                               np.linalg.det(h + np.eye(5)))
    assert ts.linalg.qr(a).q.shape == (2, 5, 3) and ts.linalg.qr(a, full_matrices=True).q.shape \
        == (2, 5, 5)
    # float16 is computed in float32 and given back in float16
    assert ts.linalg.svd(a.astype(np.float16))[0].dtype is ts.float16


def test_pinv_lstsq_and_rank():
    a = RNG.standard_normal((5, 3))
    np.testing.assert_allclose(ts.linalg.pinv(a).numpy(), np.linalg.pinv(a), atol=1e-12)
    b = RNG.standard_normal((5, 2))
    np.testing.assert_allclose(ts.linalg.lstsq(a, b).numpy(),
                               np.linalg.lstsq(a, b, rcond=None)[0], atol=1e-10)
    low_rank = a @ RNG.standard_normal((3, 2)) @ RNG.standard_normal((2, 4))
    assert int(ts.linalg.matrix_rank(low_rank)) == 2
    np.testing.assert_allclose(ts.linalg.pinv(low_rank).numpy(), np.linalg.pinv(low_rank),
                               atol=1e-10)


@pytest.mark.parametrize("call, match", [
    (lambda: ts.linalg.eigh(ts.ones((2, 3))), "square"),
    (lambda: ts.linalg.svd(ts.ones(3)), "must be a matrix"),
    (lambda: ts.linalg.qr(ts.ones((2, 2), ts.int32)), "does not accept int32"),
    (lambda: ts.linalg.triangular_solve(ts.eye(2, dtype=ts.float64), ts.ones((2, 1))),
     r"cannot combine float64 \(matrix\) with float32 \(rhs\)"),
    (lambda: ts.linalg.cross(ts.ones(2), ts.ones(2)), "last dimension must be 3"),
])
def test_errors(call, match):
    with pytest.raises(ts.errors.InvalidArgumentError, match=match):
        call()


def _programs(lib, kind):
    """name -> a real scalar function of one matrix, with its constants."""
    rng = np.random.default_rng(1)
    w, big_w, w3 = rng.standard_normal(4), rng.standard_normal((4, 4)), \
        rng.standard_normal((4, 3))
    rhs = rng.standard_normal((4, 3)) + (1j * rng.standard_normal((4, 3)) if kind == "complex"
                                         else 0)

    def sq(x):
        return lib.square(lib.abs(x))

    def real(x):
        return lib.math.real(x) if x.dtype.is_complex else x

    def herm(a):
        return a + lib.linalg.adjoint(a)

    def shifted(a):
        return a + 4 * lib.eye(4, dtype=a.dtype)
    progs = {
        "eigh": lambda a: lib.reduce_sum(real(lib.linalg.eigh(herm(a))[0]) * w)
        + lib.reduce_sum(sq(lib.linalg.eigh(herm(a))[1]) * big_w),
        "eigvalsh": lambda a: lib.reduce_sum(real(lib.linalg.eigvalsh(herm(a))) * w),
        "svd": lambda a: lib.reduce_sum(lib.linalg.svd(a)[0] * w)
        + lib.reduce_sum(sq(lib.linalg.svd(a)[1]) * big_w)
        + lib.reduce_sum(sq(lib.linalg.svd(a)[2]) * big_w.T),
        "svd values only": lambda a: lib.reduce_sum(lib.linalg.svd(a, compute_uv=False) * w),
        "svd tall": lambda a: lib.reduce_sum(sq(lib.linalg.svd(a[:, :3])[1]) * w3)
        + lib.reduce_sum(lib.linalg.svd(a[:, :3])[0] * w[:3]),
        "svd wide": lambda a: lib.reduce_sum(sq(lib.linalg.svd(a[:3])[2]) * w3)
        + lib.reduce_sum(lib.linalg.svd(a[:3])[0] * w[:3]),
        "qr": lambda a: lib.reduce_sum(sq(lib.linalg.qr(a).q) * big_w)
        + lib.reduce_sum(sq(lib.linalg.qr(a).r) * big_w.T),
        "qr tall": lambda a: lib.reduce_sum(sq(lib.linalg.qr(a[:, :3]).q) * w3)
        + lib.reduce_sum(sq(lib.linalg.qr(a[:, :3]).r)),
        "qr wide": lambda a: lib.reduce_sum(sq(lib.linalg.qr(a[:3]).q))
        + lib.reduce_sum(sq(lib.linalg.qr(a[:3]).r) * w3.T),
        "slogdet": lambda a: real(lib.linalg.slogdet(a)[1]) * 2.0,
        "triangular_solve": lambda a: lib.reduce_sum(sq(lib.linalg.triangular_solve(
            shifted(a), lib.constant(rhs))) * w3),
        "triangular_solve upper, adjoint": lambda a: lib.reduce_sum(sq(
            lib.linalg.triangular_solve(shifted(a), lib.constant(rhs), lower=False,
                                        adjoint=True)) * w3),
        "cholesky_solve": lambda a: lib.reduce_sum(sq(lib.linalg.cholesky_solve(
            lib.linalg.cholesky(a @ lib.linalg.adjoint(a) + lib.eye(4, dtype=a.dtype)),
            lib.constant(rhs))) * w3),
        "lstsq tall": lambda a: lib.reduce_sum(sq(lib.linalg.lstsq(a[:, :3],
                                                                   lib.constant(rhs))) * w3[:3]),
        "lstsq wide": lambda a: lib.reduce_sum(sq(lib.linalg.lstsq(a[:3],
                                                                   lib.constant(rhs[:3]))) * w3),
        "set_diag": lambda a: lib.reduce_sum(sq(lib.linalg.set_diag(a, a[0] * 2.0)) * big_w),
        "expm": lambda a: lib.reduce_sum(sq(lib.linalg.expm(a)) * big_w),
        "expm, large norm": lambda a: lib.reduce_sum(sq(lib.linalg.expm(a * 6.0)) * big_w),
    }
    if kind == "real":  # TensorFlow takes these for real matrices only
        progs.update({
            "lstsq regularised": lambda a: lib.reduce_sum(sq(lib.linalg.lstsq(
                a[:, :3], lib.constant(rhs), l2_regularizer=0.5)) * w3[:3]),
            "pinv": lambda a: lib.reduce_sum(sq(lib.linalg.pinv(a[:, :3])) * w3.T),
            "cross": lambda a: lib.reduce_sum(sq(lib.linalg.cross(a[:, :3], a[:, 1:])) * w3),
        })
    return progs


@pytest.mark.tf_oracle
@pytest.mark.parametrize("kind", ["real", "complex"])
def test_same_values_and_gradients_as_tensorflow(kind):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    a = RNG.standard_normal((4, 4))
    if kind == "complex":
        a = a + 1j * RNG.standard_normal((4, 4))
    results = {}
    for lib in (ts, tf):
        for name, fn in _programs(lib, kind).items():
            x = lib.constant(a)
            with lib.GradientTape() as tape:
                tape.watch(x)
                y = fn(x)
            results.setdefault(name, []).append((float(y), tape.gradient(y, x).numpy()))
    for name, ((ours, g_ours), (theirs, g_theirs)) in results.items():
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, err_msg=name)
        np.testing.assert_allclose(g_ours, g_theirs, rtol=1e-5, atol=1e-7, err_msg=name)
