"""GradientTape semantics, as TensorFlow defines them."""

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine.autodiff import TrackedTensor
from tensorshell.engine.tensor import Tensor


def test_variables_are_watched_when_read():
    w = ts.Variable([[1., 2.], [3., 4.]])
    b = ts.Variable([1., 1.])
    frozen = ts.Variable([2., 2.], trainable=False)
    x = ts.constant([[1., 0.]])
    with ts.GradientTape() as tape:
        y = ts.reduce_sum(x @ w + b + frozen)
    gw, gb, gf = tape.gradient(y, [w, b, frozen])
    assert gw.numpy().tolist() == [[1., 1.], [0., 0.]] and gb.numpy().tolist() == [1., 1.]
    assert gf is None
    assert {id(v) for v in tape.watched_variables()} == {id(w), id(b)}


def test_watch_accessed_variables_off_and_explicit_watch():
    v = ts.Variable(2.0)
    with ts.GradientTape(watch_accessed_variables=False) as tape:
        y = v * v
    assert tape.gradient(y, v) is None
    with ts.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(v)
        y = v * v
    assert float(tape.gradient(y, v)) == 4.0


def test_non_persistent_tape_is_single_use():
    x = ts.constant(3.0)
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        tape.gradient(y, x)
    with ts.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y, z = x * x, x * x * x
    assert float(tape.gradient(y, x)) == 6.0 and float(tape.gradient(z, x)) == 27.0


def test_structures_targets_and_output_gradients():
    a, b = ts.constant([1., 2.]), ts.constant(3.)
    with ts.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        y = a * b
        total = ts.reduce_sum(y)
    g = tape.gradient(y, {"a": a, "b": b})
    assert g["a"].numpy().tolist() == [3., 3.] and float(g["b"]) == 3.0  # non-scalar: summed
    g = tape.gradient(y, (a, [b]), output_gradients=ts.constant([1., 10.]))
    assert isinstance(g, tuple) and g[0].numpy().tolist() == [3., 30.]
    assert float(g[1][0]) == 21.0
    g = tape.gradient([y, total], a)
    assert g.numpy().tolist() == [6., 6.]


def test_unconnected_gradients():
    x, z = ts.constant(1.), ts.constant(2.)
    with ts.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = x * 2
    assert tape.gradient(y, z) is None
    assert float(tape.gradient(y, z, unconnected_gradients="zero")) == 0.0
    with pytest.raises(ValueError):
        tape.gradient(y, z, unconnected_gradients="sometimes")


def test_integers_are_not_watched():
    i = ts.constant([1, 2])
    with ts.GradientTape() as tape:
        tape.watch(i)
        y = i * 2
    assert tape.gradient(y, i) is None and type(i) is Tensor


def test_stop_recording_reset_and_stop_gradient():
    x = ts.constant(2.0)
    with ts.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        with tape.stop_recording():
            z = x * 10
        w = ts.stop_gradient(x) * x
    assert float(tape.gradient(y, x)) == 4.0
    assert tape.gradient(z, x) is None
    assert float(tape.gradient(w, x)) == 2.0
    tape.reset()
    assert tape.gradient(y, x) is None


def test_tracking_costs_nothing_after_the_tape():
    x = ts.constant([1., 2.])
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = x * 3
        assert type(x) is TrackedTensor and type(y) is TrackedTensor
    assert type(x) is Tensor and type(y) is Tensor  # fast paths apply again
    assert tape.gradient(y, x).numpy().tolist() == [3., 3.]


def test_second_derivatives_with_nested_tapes():
    x = ts.constant([0.5, 1.5], ts.float64)
    with ts.GradientTape() as outer:
        outer.watch(x)
        with ts.GradientTape() as inner:
            inner.watch(x)
            y = ts.reduce_sum(ts.sin(x) * x ** 3)
        g = inner.gradient(y, x)
    h = outer.gradient(g, x)
    xs = x.numpy()
    expected = -np.sin(xs) * xs ** 3 + 6 * np.cos(xs) * xs ** 2 + 6 * np.sin(xs) * xs
    np.testing.assert_allclose(h.numpy(), expected, rtol=1e-10)


def test_hessian_vector_product_matches_finite_differences():
    a = np.array([[2., 1.], [1., 3.]])
    v = ts.constant([1., -1.], ts.float64)

    def f(x):
        return ts.reduce_sum(ts.exp(ts.linalg.matmul(ts.reshape(x, [1, 2]), a)))

    def grad(x):
        with ts.GradientTape() as t:
            t.watch(x)
            y = f(x)
        return t.gradient(y, x)

    x = ts.constant([0.2, -0.1], ts.float64)
    with ts.GradientTape() as outer:
        outer.watch(x)
        g = grad(x)
        gv = ts.reduce_sum(g * v)
    hvp = outer.gradient(gv, x).numpy()
    eps = 1e-6
    numeric = (grad(x + eps * v).numpy() - grad(x - eps * v).numpy()) / (2 * eps)
    np.testing.assert_allclose(hvp, numeric, rtol=1e-6)


def test_jacobian_and_batch_jacobian():
    x = ts.constant([[1., 2.], [3., 4.]], ts.float64)
    with ts.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * ts.constant([1., 10.], ts.float64)
    j = tape.jacobian(y, x)
    assert j.shape == (2, 2, 2, 2)
    expected = np.zeros((2, 2, 2, 2))
    for i in range(2):
        for k in range(2):
            expected[i, k, i, k] = 2 * x.numpy()[i, k] * [1, 10][k]
    np.testing.assert_allclose(j.numpy(), expected)
    bj = tape.batch_jacobian(y, x)
    assert bj.shape == (2, 2, 2)
    np.testing.assert_allclose(bj.numpy(), expected[[0, 1], :, [0, 1], :])
    # a source the target does not depend on: jacobian None, batch_jacobian zeros (as TF)
    other = ts.constant([[5., 6., 7.], [8., 9., 0.]], ts.float64)
    assert tape.jacobian(y, other) is None
    zero = tape.batch_jacobian(y, other)
    assert zero.shape == (2, 2, 3) and zero.dtype is ts.float64 and not zero.numpy().any()
    with pytest.raises(ValueError, match="first dimension"):
        tape.batch_jacobian(y, ts.ones([3, 1], ts.float64))


def test_custom_gradient_of_a_function_returning_its_argument():
    """TensorFlow's guide clips gradients with an identity whose backward pass clips: the
    result must be its own node, or the gradient also flows around the custom function."""
    @ts.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return ts.clip_by_norm(dy, 0.5)
        return y, backward

    v = ts.Variable(2.0)
    with ts.GradientTape() as tape:
        output = clip_gradients(v * v)
    assert float(tape.gradient(output, v)) == 2.0          # 0.5 * d(v*v)/dv, as TF gives
    x = ts.constant(3.0)
    with ts.GradientTape(persistent=True) as tape:
        tape.watch(x)
        h = x * 2
        out = clip_gradients(x)
        also = ts.custom_gradient(lambda _: (h, lambda dy: dy * 10.))(x)  # a tracked tensor
    assert float(tape.gradient(out, x)) == 0.5
    assert float(tape.gradient(also, x)) == 10.0 and float(tape.gradient(h, x)) == 2.0
    passed = ts.grad_pass_through(ts.identity)
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = passed(x) * 3
    assert float(tape.gradient(y, x)) == 3.0


def test_custom_gradient_chapter_softplus():
    @ts.custom_gradient
    def my_softplus(z):
        exp = ts.exp(z)

        def my_softplus_gradients(grad):
            return grad / (1 + 1 / exp)
        result = ts.math.log(exp + 1)
        return result, my_softplus_gradients

    @ts.custom_gradient
    def stable_softplus(z):
        exp = ts.exp(-ts.abs(z))

        def grads(grad):
            return grad * ts.where(z > 0, 1 / (1 + exp), exp / (1 + exp))
        return ts.nn.relu(z) + ts.math.log1p(exp), grads

    x = ts.Variable([-50., 0., 100.])
    with ts.GradientTape() as tape:
        z = my_softplus(x)
    g = tape.gradient(z, [x])
    assert np.isfinite(g[0].numpy()).all()
    np.testing.assert_allclose(g[0].numpy(), [0., 0.5, 1.], atol=1e-6)
    with ts.GradientTape() as tape:
        z = stable_softplus(x)
    np.testing.assert_allclose(z.numpy(), [0., np.log(2), 100.], atol=1e-6)
    np.testing.assert_allclose(tape.gradient(z, x).numpy(), [0., 0.5, 1.], atol=1e-6)


def test_gradients_run_on_the_forward_ops_device():
    with ts.device("/cpu:1"):
        x = ts.constant([1., 2.])
    with ts.GradientTape() as tape:
        tape.watch(x)
        with ts.device("/cpu:1"):
            y = x * x
    g = tape.gradient(y, x)
    assert g.device.endswith("CPU:1")


def test_variable_slices_and_assign_inside_a_tape():
    v = ts.Variable([1., 2., 3.])
    with ts.GradientTape() as tape:
        y = v[1] * v[2]
    assert tape.gradient(y, v).numpy().tolist() == [0., 3., 2.]


_OPERANDS = {"ndarray": np.array([[2., 3.], [4., 5.]], np.float32),
             "row": np.array([2., 3.], np.float32), "list": [2., 3.], "float": 2.0,
             "numpy scalar": np.float32(2.0), "int": 2}
_BINARY = {"add": lambda a, b: a + b, "subtract": lambda a, b: a - b,
           "multiply": lambda a, b: a * b, "divide": lambda a, b: a / b,
           "pow": lambda a, b: a ** b, "maximum": ts.maximum, "minimum": ts.minimum,
           "squared_difference": ts.math.squared_difference, "atan2": ts.math.atan2}


@pytest.mark.parametrize("op", sorted(_BINARY))
@pytest.mark.parametrize("kind", sorted(_OPERANDS))
@pytest.mark.parametrize("tensor_first", [True, False])
def test_gradient_with_a_python_or_numpy_operand(op, kind, tensor_first):
    """The other operand of a binary op may be a number, list or array; the gradient sees
    it as the tensor the forward call made of it (these raised AttributeError before)."""
    x = ts.Variable([[1., 2.], [3., 4.]])
    other = _OPERANDS[kind]
    f = _BINARY[op]
    with ts.GradientTape() as tape:
        y = ts.reduce_sum(f(x, other) if tensor_first else f(other, x))
    got = tape.gradient(y, x).numpy()
    x64 = ts.constant(x.numpy().astype(np.float64))
    o64 = ts.constant(np.asarray(other, np.float64) * np.ones((2, 2)))
    with ts.GradientTape() as tape:
        tape.watch(x64)
        y = ts.reduce_sum(f(x64, o64) if tensor_first else f(o64, x64))
    np.testing.assert_allclose(got, tape.gradient(y, x64).numpy(), rtol=1e-5)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_tensor_class_defines_getattr():
    """A class with __getattr__ pays a Python-level hook on every attribute read, found or
    not (t._data included): ~20% of a small op's dispatch. The engine asks any value for
    markers (_is_variable, _is_ragged) with getattr; tensors answer from class attributes,
    and NumPy's missing attributes (t.T, t.sum) are hint descriptors instead."""
    classes = [ts.Tensor, ts.Variable, *_subclasses(ts.Tensor), *_subclasses(ts.Variable)]
    for cls in classes:
        assert all("__getattr__" not in vars(k) for k in cls.__mro__), cls
        assert cls._is_variable in (True, False) and cls._is_ragged is False, cls
    x = ts.constant([[1., 2.], [3., 4.]])
    w = ts.Variable([[0.5], [-0.5]])
    with ts.GradientTape() as tape:
        loss = ts.reduce_mean(ts.square(ts.tanh(x @ w + 1.0)))
    assert tape.gradient(loss, w).shape == (2, 1)


@pytest.mark.parametrize("activation", ["relu", "relu6"])
def test_hessians_through_relu_are_zeros_not_none(activation):
    """TensorFlow's guide takes the Hessian of a relu layer by nesting tapes: ReluGrad is
    connected to its features with a zero gradient there, so the result is zeros of the
    full shape (here too), not None."""
    act = getattr(ts.nn, activation)
    x = ts.constant([[0.5, -1., 2.], [3., 0.2, -0.4]])
    w1 = ts.Variable(ts.reshape(ts.range(12.), [3, 4]) / 10 - 0.5)
    w2 = ts.Variable([[1.], [-2.], [0.5], [3.]])
    with ts.GradientTape() as t2:
        with ts.GradientTape() as t1:
            y = ts.reduce_sum(act(x @ w1) @ w2)
        g = t1.gradient(y, w1)
    h = t2.jacobian(g, w1)
    assert h.shape == (3, 4, 3, 4) and not h.numpy().any()
    assert ts.reshape(h, [ts.reduce_prod(w1.shape)] * 2).shape == (12, 12)
    with ts.GradientTape() as tape:                  # first order: as before
        y = ts.reduce_sum(act(x @ w1) @ w2)
    assert tape.gradient(y, w1).shape == (3, 4)


def test_tensor_shapes_convert_to_their_dimensions():
    assert ts.convert_to_tensor(ts.TensorShape([3, 4])).numpy().tolist() == [3, 4]
    assert ts.convert_to_tensor(ts.TensorShape([3, 4])).dtype is ts.int32
    assert ts.convert_to_tensor(ts.TensorShape([3, 2 ** 40])).dtype is ts.int64
    assert ts.convert_to_tensor(ts.TensorShape([]), dtype=ts.int64).shape == (0,)
    assert int(ts.reduce_prod(ts.ones([3, 4]).shape)) == 12
    assert ts.zeros(ts.TensorShape([2])).shape == (2,)
    with pytest.raises(ValueError, match="partially known TensorShape"):
        ts.convert_to_tensor(ts.TensorShape([None, 4]))


def _slices():
    return ts.IndexedSlices(ts.constant([[1., 1.], [2., 2.], [3., 3.]]),
                            ts.constant([0, 3, 3]), ts.constant([5, 2]))


def test_indexed_slices_convert_scale_clip_and_update_as_tensorflows():
    """The values are TensorFlow 2.21's: clipping works on the slices' values (repeated
    rows count apart) and keeps them sparse; conversion adds repeated rows."""
    s = _slices()
    dense = [[1., 1.], [0., 0.], [0., 0.], [5., 5.], [0., 0.]]
    assert ts.convert_to_tensor(s).numpy().tolist() == dense
    assert s.shape == (5, 2) and s.dtype is ts.float32
    assert (ts.ones([5, 2]) + s).numpy().tolist() == [[2., 2.], [1., 1.], [1., 1.], [6., 6.],
                                                        [1., 1.]]
    assert isinstance(-s, ts.IndexedSlices) and isinstance(s * 0.5, ts.IndexedSlices)
    assert (0.5 * s).values.numpy().tolist() == [[.5, .5], [1., 1.], [1.5, 1.5]]
    clipped = ts.clip_by_norm(s, 1.0)
    assert isinstance(clipped, ts.IndexedSlices)
    np.testing.assert_allclose(clipped.values.numpy()[0], [0.18898225] * 2, rtol=1e-6)
    np.testing.assert_allclose(ts.linalg.global_norm([s]).numpy(), np.sqrt(28.), rtol=1e-6)
    (scaled,), _ = ts.clip_by_global_norm([s], 1.0)
    assert isinstance(scaled, ts.IndexedSlices) and scaled.indices.numpy().tolist() == [0, 3, 3]
    v = ts.Variable(ts.zeros([5, 2]))
    v.assign_add(s)
    assert v.numpy().tolist() == dense
    ts.optimizers.SGD(1.0).apply_gradients([(s, v)])
    assert not v.numpy().any()
    with pytest.raises(ValueError, match="dense_shape"):
        ts.convert_to_tensor(ts.IndexedSlices(ts.ones([1, 2]), [0]))


def test_custom_gradients_may_return_indexed_slices():
    """As TensorFlow's: slices from several uses join, a dense use makes the sum dense, and
    a slices gradient can itself be differentiated (a second tape, a forward accumulator)."""
    x = ts.constant([[1., 2.], [3., 4.]])

    @ts.custom_gradient
    def second_row_squared(t):
        def grad(up):
            return ts.IndexedSlices(2 * t[1:] * up, ts.constant([1]), ts.constant([2, 2]))
        return t[1:] ** 2, grad
    with ts.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = second_row_squared(x)
        b = second_row_squared(x) * 2
        c = ts.reduce_sum(a) + ts.reduce_sum(x)
    g = tape.gradient([a, b], x)
    assert isinstance(g, ts.IndexedSlices) and g.indices.numpy().tolist() == [1, 1]
    assert ts.convert_to_tensor(g).numpy().tolist() == [[0., 0.], [18., 24.]]
    dense = tape.gradient(c, x)
    assert isinstance(dense, ts.Tensor) and dense.numpy().tolist() == [[1., 1.], [7., 9.]]
    with ts.GradientTape() as outer:
        outer.watch(x)
        with ts.GradientTape() as inner:
            inner.watch(x)
            y = ts.reduce_sum(second_row_squared(x))
        g = inner.gradient(y, x)
    assert ts.convert_to_tensor(outer.gradient(g, x)).numpy().tolist() == [[0., 0.], [2., 2.]]
    with ts.autodiff.ForwardAccumulator(x, ts.ones([2, 2])) as acc:
        with ts.GradientTape() as inner:
            inner.watch(x)
            y = ts.reduce_sum(second_row_squared(x))
        g = inner.gradient(y, x)
    assert ts.convert_to_tensor(acc.jvp(g)).numpy().tolist() == [[0., 0.], [2., 2.]]
