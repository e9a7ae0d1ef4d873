"""Scans and folds, vectorized_map, py_function/numpy_function, the eager no-ops of graph
ordering, and framework helpers - each as TensorFlow behaves (compared when installed)."""

import logging
import os
import time

import numpy as np
import pytest

import tensorshell as ts

PROGRAMS = [
    "tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3]))",
    "tf.scan(lambda a, x: a + x, tf.constant([1., 2., 3.]), initializer=10., reverse=True)",
    "tf.scan(lambda a, x: (a[0] + x, a[1] * x), tf.constant([1, 2, 3]), initializer=(0, 1))",
    "tf.scan(lambda a, x: a + x[0] * x[1], (tf.constant([1, 2]), tf.constant([3, 4])), "
    "initializer=0)",
    "tf.scan(lambda a, x: a * 2 + x, tf.ones((3, 2)))",
    "tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3]))",
    "tf.foldl(lambda a, x: a * 10 + x, tf.constant([1, 2, 3]), initializer=0)",
    "tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3]), initializer=0)",
    "tf.foldr(lambda a, x: a - x, tf.constant([1, 2, 3]), initializer=0)",
    "tf.vectorized_map(lambda x: x * 2, tf.constant([[1, 2], [3, 4]]))",
    "tf.vectorized_map(lambda x: (x[0] + x[1], x[0]), (tf.constant([1, 2]), tf.constant([3, 4])))",
    "tf.vectorized_map(lambda x: tf.reduce_sum(x), tf.ones((3, 4)))",
    "tf.py_function(lambda x: x * 2, [tf.constant(3.)], Tout=tf.float32)",
    "tf.py_function(lambda x, y: (x + y, x), [1., 2.], Tout=[tf.float32, tf.float32])",
    "tf.py_function(lambda x: 5, [tf.constant(3.)], Tout=tf.int32)",
    "tf.numpy_function(lambda x: x * 2, [tf.constant([3., 4.])], Tout=tf.float32)",
    "tf.numpy_function(lambda x: np.sort(x), [tf.constant([3, 1, 2])], Tout=tf.int32)",
    "tf.tuple([tf.constant(1), tf.constant(2.)])", "tf.identity_n([tf.constant(1), [2.]])",
    "tf.shape_n([tf.ones((2, 3)), tf.ones(4)])",
    "tf.shape_n([tf.ones((2, 3))], out_type=tf.int64)",
    "tf.broadcast_dynamic_shape([2, 1], [3])",
    "tf.broadcast_dynamic_shape(tf.constant([2, 1], tf.int64), [3])",
    "tf.get_static_value(tf.constant([1, 2]))",
    "tf.grad_pass_through(lambda x: tf.round(x))(tf.constant(1.3))",
]
REFUSALS = [
    "tf.foldl(lambda a, x: a + x, tf.constant([], tf.int32))",
    "tf.broadcast_dynamic_shape([2], [3])",
    "tf.py_function(lambda x: 5.5, [tf.constant(3.)], Tout=tf.int32)",
    "tf.identity_n([tf.constant(1), None])",
]


def _value(x):
    if isinstance(x, (list, tuple)):
        return [_value(v) for v in x]
    return None if x is None else (np.asarray(x).tolist(), getattr(x, "dtype", None)
                                   and x.dtype.name)


def _run(program, tf):
    return eval(program, {"tf": tf, "np": np})


@pytest.mark.parametrize("program", PROGRAMS)
def test_runs(program):
    assert _value(_run(program, ts)) is not None


@pytest.mark.parametrize("program", REFUSALS)
def test_refuses(program):
    with pytest.raises((ts.errors.OpError, TypeError, ValueError)):
        _run(program, ts)


def test_scan_foldl_values_and_structures():
    got = ts.scan(lambda a, x: (a[0] + x, a[1] * x), ts.constant([1, 2, 3]), initializer=(0, 1))
    assert isinstance(got, tuple) and [g.numpy().tolist() for g in got] == [[1, 3, 6],
                                                                             [1, 2, 6]]
    got = ts.scan(lambda a, x: a + x, ts.constant([1., 2., 3.]), initializer=10., reverse=True)
    assert got.numpy().tolist() == [16., 15., 13.]
    assert int(ts.foldr(lambda a, x: a * 10 + x, ts.constant([1, 2, 3]), initializer=0)) == 321
    with pytest.raises(ValueError, match="same nested structure"):
        ts.scan(lambda a, x: (a, a), ts.constant([1, 2]), initializer=0)
    with pytest.raises(ts.errors.OutOfRangeError):
        ts.foldl(lambda a, x: a + x, ts.constant([], ts.int32))


def test_gradients_through_scan_py_function_and_pass_through():
    x = ts.constant([1., 2., 3.])
    with ts.GradientTape(persistent=True) as tape:
        tape.watch(x)
        cumulative = ts.reduce_sum(ts.scan(lambda a, v: a * v, x))      # 1 + 2 + 6
        squared = ts.py_function(lambda a: a * a, [x], Tout=ts.float32)
        rounded = ts.grad_pass_through(ts.round)(x * 3)
        numpy_side = ts.numpy_function(lambda a: a * a, [x], Tout=ts.float32)
        cubed = ts.recompute_grad(lambda a: a * a * a)(x)
    assert tape.gradient(cumulative, x).numpy().tolist() == [1 + 2 + 6, 1 + 3, 2]
    assert tape.gradient(squared, x).numpy().tolist() == [2., 4., 6.]
    assert tape.gradient(rounded, x).numpy().tolist() == [3., 3., 3.]
    assert tape.gradient(numpy_side, x) is None  # NumPy code is opaque, as in TensorFlow
    assert tape.gradient(cubed, x).numpy().tolist() == [3., 12., 27.]
    z = ts.constant(1.)
    grads = tape.gradient(squared, [x, z], unconnected_gradients=ts.UnconnectedGradients.ZERO)
    assert float(grads[1]) == 0.


def test_numpy_function_refuses_another_dtype_with_the_fix():
    with pytest.raises(ts.errors.InvalidArgumentError, match="is float64, but Tout says "
                       "float32") as info:
        ts.numpy_function(lambda a: a.astype(np.float64), [ts.constant([1.])], ts.float32)
    assert info.value.hint == "return value.astype(np.float32)"


def test_eager_no_ops_and_framework_helpers():
    calls = []
    with ts.control_dependencies([ts.constant(1), lambda: calls.append(1)]):
        y = ts.constant(2) + 1
    assert calls == [1] and int(y) == 3
    with ts.init_scope():
        assert ts.no_op() is None and ts.group(y, y) is None
    assert ts.get_static_value(ts.Variable(1.)) is None and ts.get_static_value(3) == 3
    stamp = float(ts.timestamp())
    assert ts.timestamp().dtype is ts.float64 and abs(stamp - time.time()) < 60
    assert ts.get_logger() is logging.getLogger("tensorshell")
    assert ts.broadcast_static_shape(ts.TensorShape([None, 1]), [1, 3]) == [None, 3]
    with pytest.raises(ValueError, match="Incompatible shapes for broadcasting"):
        ts.broadcast_static_shape(ts.TensorShape([2]), ts.TensorShape([3]))
    assert ts.tuple is not tuple and isinstance((1, 2), tuple)  # only ts.tuple is TF's


@pytest.mark.tf_oracle
def test_same_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    for program in PROGRAMS:
        assert _value(_run(program, ts)) == _value(_run(program, tf)), program
    for program in REFUSALS:
        with pytest.raises(Exception):
            _run(program, tf)
    assert tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([3])).as_list() \
        == ts.broadcast_static_shape(ts.TensorShape([2, 1]), ts.TensorShape([3])).as_list()


def test_recompute_grad_keeps_no_activations_and_gives_the_same_gradients():
    rng = np.random.default_rng(0)
    w1 = ts.Variable(rng.standard_normal((8, 16)).astype(np.float32))
    w2 = ts.Variable(rng.standard_normal((16, 4)).astype(np.float32))
    frozen = ts.Variable(np.ones(4, np.float32), trainable=False)
    x = ts.constant(rng.standard_normal((5, 8)).astype(np.float32))
    calls = []

    def block(a):
        calls.append(1)
        return ts.nn.relu(ts.tanh(a @ w1) * 2) @ w2 + frozen

    results = []
    for fn in (block, ts.recompute_grad(block)):
        calls.clear()
        with ts.GradientTape() as tape:
            tape.watch(x)
            loss = ts.reduce_sum(ts.square(fn(x)))
        kept = len(tape._nodes)                     # what the tape holds for the backward
        grads = tape.gradient(loss, [x, w1, w2, frozen])
        results.append((kept, len(calls), grads))
    (plain_kept, plain_calls, plain), (kept, calls_made, recomputed) = results
    assert kept < plain_kept and (plain_calls, calls_made) == (1, 2)
    assert recomputed[3] is None and plain[3] is None        # not trainable: not watched
    for a, b in zip(plain[:3], recomputed[:3]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    # outputs that are not used, and derivatives of derivatives
    with ts.GradientTape() as outer:
        outer.watch(x)
        with ts.GradientTape() as inner:
            inner.watch(x)
            doubled, sines = ts.recompute_grad(lambda a: (a * 2, ts.sin(a)))(x)
            total = ts.reduce_sum(sines)
        first = inner.gradient(total, x)
    np.testing.assert_allclose(first.numpy(), np.cos(x.numpy()), rtol=1e-6)
    np.testing.assert_allclose(outer.gradient(first, x).numpy(), -np.sin(x.numpy()), rtol=1e-5)
    assert ts.recompute_grad(block)(x).shape == (5, 4)       # no tape: just the call
