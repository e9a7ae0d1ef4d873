"""Complex numbers: the parts (``math.real/imag/angle``, ``ts.complex``) and gradients with
TensorFlow's convention. For a real loss L of a complex z = x + iy, the gradient is
dL/dx + i dL/dy, the direction of steepest ascent, so ``z -= lr * grad`` descends; checked
here by finite differences along random complex directions for every op that takes complex
input and has a gradient, and against TensorFlow where it is installed."""

from __future__ import annotations

import os

import numpy as np
import pytest

import tensorshell as ts

from .test_gradients import EPS

Z = (np.random.default_rng(3).standard_normal((3, 4))
     + 1j * np.random.default_rng(4).standard_normal((3, 4)))


def _real_loss(y, weights):
    """A real function of any result: a weighted sum of its real and imaginary parts."""
    if y.dtype.is_complex:
        return ts.reduce_sum(ts.math.real(y) * weights[0] + ts.math.imag(y) * weights[1])
    return ts.reduce_sum(y * weights[0])


def check_complex_vjp(fn, *arrays, rtol=1e-5, atol=1e-7, seed=0):
    """<grad, v> (as Re(conj(grad) v) per element) equals the loss's directional derivative
    along a random complex direction v, for every complex input."""
    rng = np.random.default_rng(seed)
    y0 = fn(*[ts.constant(a) for a in arrays])
    weights = [ts.constant(rng.standard_normal(y0.shape)) for _ in range(2)]
    xs = [ts.constant(a) for a in arrays]
    with ts.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        loss = _real_loss(fn(*xs), weights)
    grads = tape.gradient(loss, xs)
    vs = [rng.standard_normal(a.shape) + (1j * rng.standard_normal(a.shape)
                                          if np.iscomplexobj(a) else 0) for a in arrays]
    plus = _real_loss(fn(*[ts.constant(a + EPS * v) for a, v in zip(arrays, vs)]), weights)
    minus = _real_loss(fn(*[ts.constant(a - EPS * v) for a, v in zip(arrays, vs)]), weights)
    numeric = (float(plus) - float(minus)) / (2 * EPS)
    analytic = sum(float(np.sum(np.real(np.conj(g.numpy()) * v)))
                   for g, v in zip(grads, vs) if g is not None)
    for g, a in zip(grads, arrays):
        assert g is None or g.dtype.as_numpy_dtype == a.dtype
    np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol)


CASES = {
    "abs": lambda m, z: m.abs(z),
    "real, imag": lambda m, z: m.math.real(z) * m.math.imag(z),
    "angle": lambda m, z: m.math.angle(z),
    "conj": lambda m, z: m.math.conj(z) * z[0],
    "multiply, divide": lambda m, z: z * z[1] / (z + 3),
    "exp, log, sqrt": lambda m, z: m.exp(z) + m.math.log(z) + m.sqrt(z),
    "tanh, sigmoid": lambda m, z: m.tanh(z) + m.sigmoid(z),
    "matmul": lambda m, z: m.matmul(z, z, adjoint_b=True),
    "square, pow": lambda m, z: m.square(z) + z ** 3,
    "squared_difference": lambda m, z: m.math.squared_difference(z, z[0]),
    "reduce_variance": lambda m, z: m.math.reduce_variance(z, axis=0),
    "reduce_std": lambda m, z: m.math.reduce_std(z, axis=1, keepdims=True),
    "reduce_sum, reduce_mean": lambda m, z: m.reduce_sum(z, 0) * m.reduce_mean(z, 0),
    "norm euclidean": lambda m, z: m.norm(z, axis=1),
    "norm 1, inf, 3": lambda m, z: m.norm(z, ord=1, axis=1) + m.norm(z, ord=np.inf, axis=1)
    + m.norm(z, ord=3, axis=1),
    "reduce_euclidean_norm": lambda m, z: m.math.reduce_euclidean_norm(z, axis=0),
    "l2_normalize": lambda m, z: m.nn.l2_normalize(z, axis=1),
    "moments": lambda m, z: m.nn.moments(z, axes=[0])[1],
    "silu": lambda m, z: m.nn.silu(z, beta=0.5),
    "complex": lambda m, z: m.complex(m.math.real(z) * 2, m.math.imag(z) ** 2),
    # decompositions, through quantities that do not depend on a vector's phase
    "eigh": lambda m, z: m.math.real(m.linalg.eigh(z[:3, :3] @ m.linalg.adjoint(z[:3, :3]))[0])
    + m.reduce_sum(m.square(m.abs(m.linalg.eigh(z[:3, :3] + m.linalg.adjoint(z[:3, :3]))[1])),
                   axis=0),
    "svd": lambda m, z: m.linalg.svd(z)[0] + m.reduce_sum(m.square(m.abs(m.linalg.svd(z)[1])),
                                                          axis=1)[:3],
    "qr": lambda m, z: m.reduce_sum(m.square(m.abs(m.linalg.qr(z).r)), axis=0),
    "slogdet": lambda m, z: m.math.real(m.linalg.slogdet(z[:3, :3])[1]),
    "triangular_solve": lambda m, z: m.linalg.triangular_solve(
        z[:3, :3] + 3 * m.eye(3, dtype=z.dtype), z[:3, 3:], adjoint=True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_follow_tensorflows_convention(name):
    check_complex_vjp(lambda z: CASES[name](ts, z), Z)


def test_complex_from_real_parts_and_back():
    re, im = ts.constant([1., -2.]), ts.constant([0.5, 3.])
    z = ts.complex(re, im)
    assert z.dtype is ts.complex64 and z.numpy().tolist() == [1 + 0.5j, -2 + 3j]
    assert ts.complex(ts.constant(1., ts.float64), 2.).dtype is ts.complex128
    assert ts.math.real(z).dtype is ts.float32 and ts.math.imag(z).numpy().tolist() == [.5, 3.]
    assert ts.math.real(re) is not None and ts.math.real(re).numpy().tolist() == [1., -2.]
    assert ts.math.imag(ts.constant([1, 2])).numpy().tolist() == [0, 0]
    assert ts.math.angle(re).numpy().tolist() == [0., np.float32(np.pi)]
    with pytest.raises(ts.errors.InvalidArgumentError, match="float32 .x. with float64"):
        ts.complex(re, ts.constant([1., 2.], ts.float64))
    with pytest.raises(ts.errors.InvalidArgumentError, match="does not accept int32"):
        ts.complex(ts.constant([1]), ts.constant([2]))


def test_real_results_of_complex_reductions():
    z = ts.constant(Z.astype(np.complex64))
    assert ts.math.reduce_variance(z).dtype is ts.float32
    np.testing.assert_allclose(ts.math.reduce_std(z, axis=0).numpy(), np.std(Z, axis=0),
                               rtol=1e-6)
    assert ts.norm(z).dtype is ts.complex64            # TensorFlow's dtype for this norm
    assert ts.norm(z, ord=1).dtype is ts.float32


@pytest.mark.tf_oracle
def test_same_gradients_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    differs = {"silu"}  # TensorFlow's own silu gradient conjugates (unlike its x * sigmoid(x))
    for name, fn in CASES.items():
        if name in differs:
            continue
        results = []
        for lib in (ts, tf):
            z = lib.constant(Z)
            with lib.GradientTape() as tape:
                tape.watch(z)
                y = fn(lib, z)
                loss = lib.reduce_sum(lib.math.real(y) if y.dtype.is_complex else y)
            results.append(tape.gradient(loss, z).numpy())
        np.testing.assert_allclose(results[0], results[1], rtol=1e-6, atol=1e-9,
                                   err_msg=name)
