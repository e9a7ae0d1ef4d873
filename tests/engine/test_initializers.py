"""tf.zeros_initializer & co.: shapes, dtypes, configs, and TensorFlow's values (seeded
ones are stateless with the seed pair [seed, 0]; unseeded ones follow the global seed)."""

import numpy as np
import pytest

import tensorshell as ts


def test_values_dtypes_and_configs():
    assert ts.zeros_initializer()([2, 3]).numpy().tolist() == [[0.] * 3] * 2
    assert ts.ones_initializer()([2], dtype=ts.int64).dtype is ts.int64
    assert ts.ones_initializer()([2], dtype=ts.bool).numpy().tolist() == [True, True]
    assert ts.constant_initializer([1, 2])(shape=[2], dtype=ts.int32).numpy().tolist() == [1, 2]
    assert ts.constant_initializer(2.)(shape=[2, 2]).numpy().tolist() == [[2., 2.], [2., 2.]]
    init = ts.random_normal_initializer(mean=1., stddev=0.1, seed=3)
    np.testing.assert_array_equal(init([4]).numpy(), init([4]).numpy())  # stateless
    again = ts.random_normal_initializer.from_config(init.get_config())
    np.testing.assert_array_equal(again([4]).numpy(), init([4]).numpy())
    np.testing.assert_allclose(ts.random_normal_initializer(seed=3)([3]).numpy(),
                               [-0.03357924, 0.08380252, -0.04721227], atol=1e-7)
    u = ts.random_uniform_initializer(0, 10, seed=2)([50], dtype=ts.int32).numpy()
    assert u.dtype == np.int32 and 0 <= u.min() and u.max() < 10
    v = ts.Variable(ts.random_uniform_initializer(-1., 1.)(shape=[2, 3]))
    assert v.shape == (2, 3) and np.abs(v.numpy()).max() < 1


def test_refusals():
    with pytest.raises(TypeError, match="unsupported shape"):
        ts.constant_initializer([1., 2., 3.])(shape=[2])
    with pytest.raises(ValueError, match="floating point"):
        ts.random_normal_initializer()([2], dtype=ts.int32)
    with pytest.raises(ValueError, match="numeric or boolean"):
        ts.zeros_initializer()([2], dtype=ts.string)
    with pytest.raises(TypeError, match="Keyword argument"):
        ts.ones_initializer()([2], partition_info=None)
    with pytest.raises(TypeError, match="Invalid type"):
        ts.constant_initializer(object())


def _program(lib):
    lib.random.set_seed(11)
    return [lib.random_normal_initializer(seed=3)([5]),
            lib.random_uniform_initializer(-2., 2., seed=4)([2, 3], dtype=lib.float64),
            lib.random_uniform_initializer(0, 7, seed=1)([6], dtype=lib.int64),
            lib.random_normal_initializer(stddev=2.)([4]),  # the global sequence
            lib.random_uniform_initializer()([3]),
            lib.constant_initializer([[1, 2], [3, 4]])([2, 2], dtype=lib.float32),
            lib.zeros_initializer()([2], dtype=lib.int32)]


@pytest.mark.tf_oracle
def test_same_as_tensorflow():
    tf = pytest.importorskip("tensorflow")
    for got, want in zip(_program(ts), _program(tf)):
        assert got.dtype.name == want.dtype.name
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)
    assert ts.random_normal_initializer(seed=3).get_config() == \
        tf.random_normal_initializer(seed=3).get_config()
