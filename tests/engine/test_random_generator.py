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


def test_tensorflows_state_layout_and_values():
    g = ts.random.Generator.from_seed(1)
    assert g.state.numpy().tolist() == [1, 0, 0] and g.algorithm == 1
    np.testing.assert_array_equal(  # TensorFlow 2.21's values for this seed
        g.uniform([6]).numpy(), np.array([0.78749514, 0.3906511, 0.29263055, 0.99216926,
                                          0.95810425, 0.55623317], np.float32))
    assert g.state.numpy().tolist() == [1 + 6 * 256, 0, 0]  # 256 per sample, as there
    assert ts.random.Generator.from_seed(-1).state.numpy().tolist() == [-1, -1, -1]
    g.state.assign([1, 0, 0])  # the state Variable is live, both ways
    np.testing.assert_array_equal(g.uniform([6]).numpy()[:2], np.float32([0.78749514, 0.3906511]))
    same = ts.random.Generator(state=g.state)
    np.testing.assert_array_equal(same.normal([3]).numpy(), g.normal([3]).numpy())
    seeds = ts.random.Generator.from_seed(4).make_seeds(3)
    assert seeds.shape == (2, 3) and seeds.dtype is ts.int64
    assert ts.random.stateless_normal([2], seed=seeds[:, 0]).shape == (2,)


def _draws(lib):
    g = lib.random.Generator.from_seed(1)
    out = [g.uniform([6]), g.normal([5], mean=1., stddev=2.),
           g.uniform([3], 0, 10, dtype=lib.int32), g.truncated_normal([7]),
           g.uniform([4], dtype=lib.float64), g.uniform_full_int([3], dtype=lib.int64)]
    a, b = g.split(2)
    out += [a.normal([3]), b.uniform([2]), g.make_seeds(2)]
    g.skip(5)
    out += [g.normal([2]), g.state]
    out += [lib.random.Generator.from_seed(s).normal([3]) for s in (-1, 2**70 + 5, 0)]
    copy = lib.random.Generator(copy_from=g)
    out += [copy.normal([2]), g.normal([2])]
    return [np.asarray(v.numpy(), np.float64) for v in out]


@pytest.mark.tf_oracle
def test_same_draws_as_tensorflow():
    tf = pytest.importorskip("tensorflow")
    for got, want in zip(_draws(ts), _draws(tf)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_state_setters_agree_with_drawing():
    g = ts.random.Generator.from_seed(3)
    same = ts.random.Generator.from_key_counter(key=[3 >> 64], counter=[3, 0])
    assert same.state.numpy().tolist() == g.state.numpy().tolist() == [3, 0, 0]
    assert int(g.key) == 0
    skipped = ts.random.Generator.from_seed(3)
    skipped.skip(5)                     # as if 5 samples were drawn
    g.uniform([5])
    assert skipped.state.numpy().tolist() == g.state.numpy().tolist()
    other = ts.random.Generator.from_seed(99)
    other.reset(g.state)
    np.testing.assert_array_equal(other.normal([4]).numpy(), g.normal([4]).numpy())
    other.reset_from_key_counter(0, [3, 0])
    fresh = ts.random.Generator.from_state([3, 0, 0])
    np.testing.assert_array_equal(other.uniform([2]).numpy(), fresh.uniform([2]).numpy())
    with pytest.raises(ValueError, match="3 int64 words"):
        ts.random.Generator(state=[1, 2])
