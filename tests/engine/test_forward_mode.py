"""ts.autodiff.ForwardAccumulator: Jacobian-vector products as TensorFlow's forward mode
gives them (the expected values are TensorFlow 2.21's), alone and nested with tapes."""

import numpy as np
import pytest

import tensorshell as ts

from .. import oracle


def _fd(f, x, t, eps=1e-6):
    """A central finite difference of f along t, in float64."""
    return (f(x + eps * t) - f(x - eps * t)) / (2 * eps)


def test_jvps_of_several_primals_and_what_is_not_connected():
    x = ts.constant([1., 2., 3.])
    w = ts.constant([[1., 2.], [3., 4.], [5., 6.]])
    with ts.autodiff.ForwardAccumulator((x, w), (ts.constant([1., 0., 2.]),
                                                 ts.ones([3, 2]))) as acc:
        y = ts.tanh(x[None] @ w) * ts.reduce_sum(x ** 2)
        z = ts.nn.softmax(y)
        k = ts.constant(5.) * 2
    np.testing.assert_allclose(acc.jvp(y).numpy(), [[14., 14.]], rtol=1e-5)
    np.testing.assert_allclose(acc.jvp(z).numpy(), [[0., 0.]], atol=1e-6)
    assert acc.jvp(x).numpy().tolist() == [1., 0., 2.]          # a primal: its tangent
    assert acc.jvp(k) is None
    assert acc.jvp(k, unconnected_gradients="zero").numpy() == 0
    both = acc.jvp({"a": y, "b": [z, x]})
    assert set(both) == {"a", "b"} and both["b"][1].numpy().tolist() == [1., 0., 2.]
    assert acc.jvp(x * 2) is None                                # computed after the context
    with pytest.raises(ValueError, match="'none' or 'zero'"):
        acc.jvp(y, unconnected_gradients="ones")


def test_jvp_equals_a_finite_difference_in_float64():
    rng = np.random.default_rng(0)
    a, t = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))

    def f(v):
        v = ts.constant(v) if isinstance(v, np.ndarray) else v
        return ts.reduce_logsumexp(ts.sin(v) @ ts.transpose(v), axis=1) * ts.sqrt(
            ts.reduce_sum(v * v))
    x = ts.constant(a)
    with ts.autodiff.ForwardAccumulator(x, ts.constant(t)) as acc:
        y = f(x)
    got = acc.jvp(y)
    assert got.dtype is ts.float64 and got.shape == (4,)
    np.testing.assert_allclose(got.numpy(), _fd(lambda v: f(v).numpy(), a, t), rtol=1e-7)


def test_variables_as_primals():
    v = ts.Variable([2., -1.])
    with ts.autodiff.ForwardAccumulator(v, ts.constant([0.5, 1.])) as acc:
        y = ts.reduce_sum(ts.exp(v) * v)
    np.testing.assert_allclose(acc.jvp(y).numpy(), 11.08358, rtol=1e-6)


def test_nesting_with_tapes_and_accumulators():
    x = ts.constant([1., 2.])
    direction = ts.constant([1., -1.])
    with ts.autodiff.ForwardAccumulator(x, direction) as acc:   # forward over backward
        with ts.GradientTape() as tape:
            tape.watch(x)
            y = ts.reduce_sum(x ** 3 * x[::-1])
        g = tape.gradient(y, x)
    assert g.numpy().tolist() == [14., 13.]
    assert acc.jvp(g).numpy().tolist() == [-3., 3.]                # the Hessian along it
    with ts.GradientTape() as tape:                                  # backward over forward
        tape.watch(x)
        with ts.autodiff.ForwardAccumulator(x, direction) as acc:
            y = ts.reduce_sum(ts.sin(x) * x)
        j = acc.jvp(y)
    np.testing.assert_allclose(j.numpy(), 1.30477, rtol=1e-5)
    np.testing.assert_allclose(tape.gradient(j, x).numpy(), [0.23913, 2.65089], atol=1e-5)
    s = ts.constant(0.7)
    with ts.autodiff.ForwardAccumulator(s, ts.constant(1.)) as outer:
        with ts.autodiff.ForwardAccumulator(s, ts.constant(1.)) as inner:
            y = ts.sin(s) * s
        d1 = inner.jvp(y)
    np.testing.assert_allclose([d1.numpy(), outer.jvp(d1).numpy()], [1.17961, 1.07873],
                               rtol=1e-5)


def test_integers_have_no_jvp_and_bad_arguments_say_why():
    xi = ts.constant([1, 2])
    with ts.autodiff.ForwardAccumulator(xi, ts.constant([1, 1])) as acc:
        yi = xi * 3
    assert acc.jvp(yi) is None
    x = ts.constant([1., 2.])
    with pytest.raises(ValueError, match="more than once"):
        ts.autodiff.ForwardAccumulator([x, x], [x, x])
    with pytest.raises(ValueError, match="primal's shape"):
        ts.autodiff.ForwardAccumulator(x, ts.constant([1., 2., 3.]))
    with pytest.raises(ValueError, match="same structure"):
        ts.autodiff.ForwardAccumulator([x], [])
    with pytest.raises(ValueError, match=r"float64 tangent .*ts\.cast\(tangent, ts\.float32\)"):
        ts.autodiff.ForwardAccumulator(x, ts.constant([1., 2.], ts.float64))
    assert ts.autodiff.GradientTape is ts.GradientTape
    assert dir(ts.autodiff) == ["ForwardAccumulator", "GradientTape"]


@pytest.mark.tf_oracle
def test_jvps_equal_tensorflows():
    tf = oracle.require()
    rng = np.random.default_rng(3)
    a, t, m = rng.standard_normal(5), rng.standard_normal(5), rng.standard_normal((5, 5))
    results = []
    for lib in (tf, ts):
        x = lib.constant(a)
        with lib.autodiff.ForwardAccumulator(x, lib.constant(t)) as acc:
            y = lib.nn.relu(lib.linalg.matvec(lib.constant(m), lib.tanh(x))) ** 2
            z = lib.reduce_max(lib.nn.log_softmax(y)) + lib.math.reduce_std(x)
        results.append([acc.jvp(y).numpy(), acc.jvp(z).numpy()])
    for want, got in zip(*results):
        np.testing.assert_allclose(got, want, rtol=1e-10)
