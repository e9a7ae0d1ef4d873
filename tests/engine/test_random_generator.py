"""ts.random.Generator: its own reproducible stream, apart from the global one."""

import numpy as np
import pytest

import tensorshell as ts


def test_a_seeded_generator_repeats_and_leaves_the_global_sequence_alone():
    ts.random.set_seed(3)
    expected_global = ts.random.normal([3]).numpy()
    ts.random.set_seed(3)
    g = ts.random.Generator.from_seed(1)
    a = g.normal([4])
    assert a.dtype is ts.float32 and a.shape == (4,)
    np.testing.assert_array_equal(ts.random.Generator.from_seed(1).normal([4]).numpy(),
                                  a.numpy())
    np.testing.assert_array_equal(ts.random.normal([3]).numpy(), expected_global)
    g.reset_from_seed(1)
    np.testing.assert_array_equal(g.normal([4]).numpy(), a.numpy())
    assert not np.array_equal(g.normal([4]).numpy(), a.numpy())     # the stream moved on


def test_generator_draws():
    g = ts.random.Generator.from_seed(7)
    u = g.uniform([1000], 2, 5, dtype=ts.int32).numpy()
    assert set(np.unique(u)) <= {2, 3, 4}
    f = g.uniform([1000], -1.0, 1.0, dtype=ts.float64).numpy()
    assert f.dtype == np.float64 and f.min() >= -1 and f.max() < 1
    t = g.truncated_normal([2000], stddev=2.0).numpy()
    assert np.abs(t).max() <= 4.0
    with pytest.raises(ts.errors.InvalidArgumentError, match="maxval"):
        g.uniform([2], dtype=ts.int32)
    a, b = g.split(2)
    assert not np.array_equal(a.normal([5]).numpy(), b.normal([5]).numpy())
    copy = ts.random.Generator(copy_from=a)
    np.testing.assert_array_equal(copy.normal([3]).numpy(), a.normal([3]).numpy())


def test_global_generator():
    g = ts.random.Generator.from_seed(5)
    ts.random.set_global_generator(g)
    assert ts.random.get_global_generator() is g
