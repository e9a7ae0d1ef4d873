"""The chapter's "Using TensorFlow like NumPy" code, run unchanged with
``import tensorshell as tf``."""

import numpy as np
import pytest

import tensorshell as tf


def test_tensors_and_operations():
    t = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    assert t.shape == (2, 3) and t.dtype == tf.float32
    assert t[:, 1:].numpy().tolist() == [[2., 3.], [5., 6.]]
    assert t[..., 1, tf.newaxis].numpy().tolist() == [[2.], [5.]]
    assert (t + 10).numpy().tolist() == [[11., 12., 13.], [14., 15., 16.]]
    assert tf.square(t).numpy().tolist() == [[1., 4., 9.], [16., 25., 36.]]
    assert (t @ tf.transpose(t)).numpy().tolist() == [[14., 32.], [32., 77.]]
    assert tf.constant(42).shape == () and int(tf.constant(42)) == 42
    assert tf.add is tf.math.add and not hasattr(tf, "log")
    assert float(tf.reduce_mean(t)) == 3.5 and float(tf.reduce_sum(t)) == 21.0
    assert float(tf.reduce_max(t)) == 6.0
    with pytest.raises(AttributeError):
        t.T


def test_tensors_and_numpy():
    a = np.array([2., 4., 5.])
    assert tf.constant(a).dtype == tf.float64
    t = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    assert t.numpy().tolist() == np.array(t).tolist()
    assert tf.square(a).numpy().tolist() == [4., 16., 25.]
    assert np.square(t).tolist() == [[1., 4., 9.], [16., 25., 36.]]
    assert tf.constant(a, dtype=tf.float32).dtype == tf.float32


def test_type_conversions():
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.constant(2.0) + tf.constant(40)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.constant(2.0) + tf.constant(40., dtype=tf.float64)
    t2 = tf.constant(40., dtype=tf.float64)
    assert float(tf.constant(2.0) + tf.cast(t2, tf.float32)) == 42.0


def test_variables():
    v = tf.Variable([[1., 2., 3.], [4., 5., 6.]])
    v.assign(2 * v)
    v[0, 1].assign(42)
    v[:, 2].assign([0., 1.])
    v.scatter_nd_update(indices=[[0, 0], [1, 2]], updates=[100., 200.])
    assert v.numpy().tolist() == [[100., 42., 0.], [8., 10., 200.]]
    sparse_delta = tf.IndexedSlices(values=[[1., 2., 3.], [4., 5., 6.]], indices=[1, 0])
    v.scatter_update(sparse_delta)
    assert v.numpy().tolist() == [[4., 5., 6.], [1., 2., 3.]]
    with pytest.raises(TypeError):
        v[1] = [7., 8., 9.]


def test_strings():
    assert tf.constant(b"hello world").numpy() == b"hello world"
    assert tf.constant("café").numpy() == "café".encode("utf-8")
    u = tf.constant([ord(c) for c in "café"])
    assert u.numpy().tolist() == [99, 97, 102, 233] and u.dtype == tf.int32
