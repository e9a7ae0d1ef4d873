"""Stateless random ops give TensorFlow's values for the same seed: Philox-4x32-10 and
TensorFlow's distributions, bit for bit (normals within an ulp of its sin/log). The golden
values below were printed by TensorFlow 2.21; with TensorFlow installed, many more seeds,
shapes and dtypes are compared directly."""

import os

import numpy as np
import pytest

import tensorshell as ts


def test_tensorflows_values_for_a_seed():
    np.testing.assert_array_equal(
        ts.random.stateless_uniform([6], seed=[1, 2]).numpy(),
        np.array([0.8440604, 0.19204533, 0.9962232, 0.1603874, 0.27199018, 0.649346],
                 np.float32))
    np.testing.assert_allclose(
        ts.random.stateless_normal([6], seed=[1, 2]).numpy(),
        [0.5441101, 0.20738031, 0.07356432, 0.04643455, -1.3015898, -0.9538565], atol=1e-6)
    assert ts.random.stateless_uniform([3], seed=[1, 2], dtype=ts.int32, minval=None,
                                       maxval=None).numpy().tolist() == [1105988140,
                                                                         1738052849,
                                                                         -335576002]
    assert ts.random.stateless_uniform([7], seed=[1, 2], dtype=ts.int64, minval=-3,
                                       maxval=10).numpy().tolist() == [7, 7, -3, -2, 5, 5, 0]
    with np.errstate(divide="ignore"):
        logits = ts.math.log([[0.1, 0.6, 0.3], [0.5, 0.5, 0.]])
    assert ts.random.stateless_categorical(logits, 8, seed=[7, 8]).numpy().tolist() == [
        [1, 1, 2, 1, 1, 0, 2, 1], [0, 0, 0, 0, 1, 1, 0, 0]]
    assert ts.random.split([1, 2], 3).numpy().tolist() == [
        [1105988140, 1738052849], [-335576002, 370444179], [10670227, -246211131]]
    assert ts.random.fold_in([1, 2], 7).numpy().tolist() == [1105988140, 7]


def test_seeds_and_algorithms():
    a = ts.random.stateless_normal([3], seed=ts.constant([-5, 2**40], ts.int64))
    b = ts.random.stateless_normal([3], seed=[-5, 2**40])
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), ts.random.stateless_normal([3], seed=[-5, 1]).numpy())
    with pytest.raises(ts.errors.InvalidArgumentError, match="shape \\[2\\]"):
        ts.random.stateless_uniform([2], seed=[1, 2, 3])
    with pytest.raises(ts.errors.UnimplementedError, match="Philox"):
        ts.random.stateless_uniform([2], seed=[1, 2], alg="threefry")
    with pytest.raises(ValueError, match="both"):
        ts.random.stateless_uniform([2], seed=[1, 2], dtype=ts.int32, maxval=5, minval=None)


def test_truncated_normal_groups_use_tensorflows_counter_layout():
    # groups of four samples start 256 Philox blocks apart, so a longer draw extends a
    # shorter one (the first 8 values are the same)
    short = ts.random.stateless_truncated_normal([8], seed=[3, 4]).numpy()
    long = ts.random.stateless_truncated_normal([4000], seed=[3, 4]).numpy()
    np.testing.assert_array_equal(short, long[:8])
    assert np.abs(long).max() < 2 and abs(long.std() - 0.8796) < 0.03


@pytest.mark.tf_oracle
def test_same_values_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    for seed in ([1, 2], [-5, 123456789012], [0, 0], [2**31 - 1, -2**31]):
        for dtype in ("float16", "float32", "float64"):
            for shape in ([7], [3, 5], [0]):
                for fn, kw in (("stateless_uniform", {"minval": -2., "maxval": 5.}),
                               ("stateless_normal", {"mean": 1., "stddev": 2.}),
                               ("stateless_truncated_normal", {})):
                    want = getattr(tf.random, fn)(shape, seed=seed, dtype=dtype, **kw)
                    got = getattr(ts.random, fn)(shape, seed=seed, dtype=dtype, **kw)
                    np.testing.assert_allclose(got.numpy().astype(np.float64),
                                               want.numpy().astype(np.float64),
                                               rtol=1e-5, atol=1e-5)
                    assert got.dtype.name == want.dtype.name
        for dtype in ("int32", "int64"):
            for bounds in ((None, None), (-3, 10), (0, 2**20 + 7)):
                want = tf.random.stateless_uniform([9], seed=seed, dtype=dtype,
                                                   minval=bounds[0], maxval=bounds[1])
                got = ts.random.stateless_uniform([9], seed=seed, dtype=dtype,
                                                  minval=bounds[0], maxval=bounds[1])
                np.testing.assert_array_equal(got.numpy(), want.numpy())
        logits = [[1., 2., 3., -np.inf], [0., 0., 5., 1.]]
        np.testing.assert_array_equal(
            ts.random.stateless_categorical(logits, 20, seed=seed).numpy(),
            tf.random.stateless_categorical(logits, 20, seed=seed).numpy())
        np.testing.assert_array_equal(ts.random.split(seed, 4).numpy(),
                                      tf.random.split(seed, 4).numpy())
        np.testing.assert_array_equal(ts.random.fold_in(seed, 12).numpy(),
                                      tf.random.fold_in(seed, 12).numpy())


def _seeded_program(lib):
    """Global-seed draws as tutorials write them, with op seeds and repeats."""
    lib.random.set_seed(42)
    out = [lib.random.normal([3]), lib.random.normal([3]), lib.random.uniform([5]),
           lib.random.normal([2], seed=7), lib.random.normal([2], seed=7),
           lib.random.truncated_normal([6], mean=1., stddev=2.),
           lib.random.uniform([4], 0, 10, dtype=lib.int32),
           lib.random.uniform([3], -1., 1., dtype=lib.float64, seed=3),
           lib.random.uniform([3], -1., 1., dtype=lib.float64, seed=3)]
    lib.random.set_seed(42)  # resets the sequence and every op's stream
    out.append(lib.random.normal([3]))
    lib.random.set_seed(None)
    out.append(lib.random.normal([2], seed=5))  # op seed only: a fixed default global
    out.append(lib.random.normal([2], seed=5))
    lib.random.set_seed(0)
    out.append(lib.random.uniform([2], seed=0))  # (0, 0) stands for "random" in TF
    return [np.asarray(t.numpy(), np.float64) for t in out]


def test_global_seed_gives_tensorflows_sequence():
    got = _seeded_program(ts)
    np.testing.assert_allclose(got[0], [0.3274685, -0.8426258, 0.3194337], atol=1e-6)
    np.testing.assert_allclose(got[1], [0.08422458, -0.86090374, 0.37812304], atol=1e-6)
    np.testing.assert_allclose(got[2], [0.7413678, 0.62854624, 0.01738465, 0.3431449,
                                        0.51063764], rtol=1e-7)
    np.testing.assert_array_equal(got[0], got[9])
    assert not np.array_equal(got[3], got[4]) and not np.array_equal(got[7], got[8])
    np.testing.assert_array_equal(got[6], [9, 5, 8, 8])


@pytest.mark.tf_oracle
def test_global_seed_sequence_as_tensorflow():
    tf = pytest.importorskip("tensorflow")
    for got, want in zip(_seeded_program(ts), _seeded_program(tf)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_c_philox_equals_the_numpy_reference():
    from tensorshell.engine import speedups
    from tensorshell.engine.ops import philox
    if speedups.C is None:
        pytest.skip(f"C speedups not built: {speedups.WHY_NOT}")
    # offsets that wrap the low 64 bits of the counter (the carry into the high half)
    offsets = np.arange(300, dtype=np.uint64) * np.uint64(7919) + np.uint64(2**64 - 1000)
    for low, high, k0, k1 in ((0, 0, 0, 0), (2**64 - 5, 2**64 - 1, 2**32 - 1, 12345),
                              (123456789, 987654321, 0x3EC8F720, 0x02461E29)):
        want = philox.philox_blocks_reference(offsets, low, high, k0, k1)
        got = np.frombuffer(speedups.C.philox_blocks(offsets, low, high, k0, k1),
                            np.uint32).reshape(-1, 4)
        np.testing.assert_array_equal(got, want)


def test_gamma_draws_are_tensorflows():
    # printed by TensorFlow 2.21: its RandomGamma kernel (Marsaglia-Tsang on Philox, 256
    # blocks per sample), alpha 1 exponential, alpha < 1 boosted
    ts.random.set_seed(5)
    np.testing.assert_allclose(ts.random.gamma([4], [0.5, 1.0, 7.5], seed=3).numpy(), [
        [0.0951399952173233, 1.3312996625900269, 15.954232215881348],
        [0.858607828617096, 0.8568494319915771, 9.308053970336914],
        [0.689751148223877, 0.10967367142438889, 5.779132843017578],
        [0.007376898545771837, 0.048510488122701645, 4.103932857513428]], rtol=1e-6)
    np.testing.assert_allclose(ts.random.stateless_gamma(
        [3, 2], seed=[1, 2], alpha=[0.3, 4.0], beta=[1., 2.]).numpy(), [
        [0.0057749091647565365, 2.229668140411377], [0.31249719858169556, 2.2601335048675537],
        [0.027091871947050095, 1.7045753002166748]], rtol=1e-6)
    with pytest.raises(ts.errors.InvalidArgumentError, match="must end with the broadcast"):
        ts.random.stateless_gamma([3, 4], seed=[1, 2], alpha=[0.3, 4.0])


@pytest.mark.tf_oracle
def test_gamma_as_tensorflow_for_more_seeds_and_shapes():
    tf = _tensorflow()
    _stateful_draws_agree(tf, "gamma", [
        dict(shape=[300], alpha=[0.05, 0.9, 1.0, 2.5, 60.0]),
        dict(shape=[5, 2], alpha=[[0.2], [3.]], beta=[1., 2., 4.]),
        dict(shape=[7], alpha=1.0, dtype=tf.float64)], rtol=1e-6)
    for seed in ([1, 2], [-7, 2 ** 40]):
        np.testing.assert_allclose(
            ts.random.stateless_gamma([50, 3], seed, [0.4, 1.0, 9.0]).numpy(),
            tf.random.stateless_gamma([50, 3], seed, [0.4, 1.0, 9.0]).numpy(), rtol=1e-6)


def test_poisson_draws_are_tensorflows():
    # printed by TensorFlow 2.21: its RandomPoisson kernel (Knuth's product of uniforms below
    # rate 10, Hormann's transformed rejection above, 256 Philox blocks per sample)
    ts.random.set_seed(5)
    np.testing.assert_array_equal(ts.random.poisson([4], [0.5, 25.], seed=3).numpy(),
                                  [[0., 29.], [1., 26.], [0., 25.], [0., 28.]])
    np.testing.assert_array_equal(
        ts.random.poisson([3], [2.0], seed=1, dtype=ts.int32).numpy(), [[1], [3], [3]])


@pytest.mark.tf_oracle
def test_poisson_as_tensorflow_for_more_seeds_and_shapes():
    tf = _tensorflow()
    _stateful_draws_agree(tf, "poisson", [
        dict(shape=[400], lam=[0.0, 0.3, 4.0, 9.99, 10.0, 55.5, 3000.0]),
        dict(shape=[5, 2], lam=[[0.2], [30.]], dtype=tf.int64),
        dict(shape=[7], lam=12.0, dtype=tf.float64)], rtol=0)


def _tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("tensorflow")


def _stateful_draws_agree(tf, op, cases, rtol):
    """ts.random.<op> and tf.random.<op> from the same global seed draw the same values,
    call after call (each op's stream moves on between calls)."""
    for lib in (tf, ts):
        lib.random.set_seed(11)
    for case in cases:
        for _ in range(2):
            ours = getattr(ts.random, op)(**{**case, "dtype": case.get("dtype",
                                                                       tf.float32).name})
            theirs = getattr(tf.random, op)(**case)
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=0)


def test_stateless_poisson_and_binomial_draws_are_tensorflows():
    # printed by TensorFlow 2.21
    np.testing.assert_array_equal(ts.random.stateless_poisson([3, 2], [1, 2], [0.5, 25.]),
                                  [[3, 38], [2, 20], [1, 29]])
    np.testing.assert_array_equal(ts.random.stateless_binomial([4], [1, 2], 10, 0.3),
                                  [5, 5, 5, 4])
    np.testing.assert_array_equal(
        ts.random.stateless_binomial([2, 3], [1, 2], [10., 200., 3.], [0.3, 0.5, 0.9]),
        [[5, 110, 2], [5, 108, 3]])
    for op, args in [(ts.random.stateless_poisson, ([3], [1, 2], [0.5, 25.])),
                     (ts.random.stateless_binomial, ([3, 2], [1, 2], [[1.], [2.]], 0.5))]:
        with pytest.raises(ts.errors.InvalidArgumentError, match="must end with the broadcast"):
            op(*args)
    with pytest.raises(ts.errors.InvalidArgumentError, match="probs must be in"):
        ts.random.stateless_binomial([2], [1, 2], 10, 1.5)
    with pytest.raises(ts.errors.InvalidArgumentError, match="counts must be finite"):
        ts.random.stateless_binomial([2], [1, 2], float("nan"), 0.5)
    with pytest.raises(ts.errors.InvalidArgumentError, match="lam must be non-negative"):
        ts.random.stateless_poisson([2], [1, 2], float("nan"))


def test_generator_binomial_moves_the_state_as_tensorflow():
    g = ts.random.Generator.from_seed(7)
    before = g.state.numpy()
    g.binomial([5, 3], [10., 50., 300.], [0.5, 0.1, 0.9])
    # TensorFlow reserves 2 * 100 * (samples per batch + 3) / 4 samples per batch member
    np.testing.assert_array_equal(g.state.numpy() - before, [256 * 3 * 2 * 100 * 8 // 4, 0, 0])


@pytest.mark.tf_oracle
def test_binomial_and_stateless_poisson_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    cases = [([4], 10, 0.3), ([2, 3], [10., 200., 3.], [0.3, 0.5, 0.9]),
             ([100, 7], [0., 1., 5., 33., 100., 1000., 7.5], [0., 1., .01, .3, .5, .7, .999]),
             ([60, 2, 4], [[20.], [3000.]], [0.2, 0.6, 0.95, 0.05]), ([50], 1e6, 0.4)]
    for seed in ([1, 2], [-5, 2 ** 40]):
        for shape, counts, probs in cases:
            for dt in ("int32", "float64"):
                np.testing.assert_array_equal(
                    ts.random.stateless_binomial(shape, seed, counts, probs, output_dtype=dt),
                    tf.random.stateless_binomial(shape, seed, counts, probs, output_dtype=dt))
        np.testing.assert_array_equal(
            ts.random.stateless_poisson([200, 5], seed, [0., 0.3, 9.99, 10., 3000.]),
            tf.random.stateless_poisson([200, 5], seed, [0., 0.3, 9.99, 10., 3000.]))
    np.testing.assert_array_equal(
        ts.random.stateless_binomial([100, 2], [3, 4], ts.constant([30., 7.], ts.float64),
                                     ts.constant([0.4, 0.8], ts.float64)),
        tf.random.stateless_binomial([100, 2], [3, 4], tf.constant([30., 7.], tf.float64),
                                     tf.constant([0.4, 0.8], tf.float64)))
    ours, theirs = ts.random.Generator.from_seed(7), tf.random.Generator.from_seed(7)
    for _ in range(3):
        np.testing.assert_array_equal(ours.binomial([5, 3], [10., 50., 300.], [.5, .1, .9]),
                                      theirs.binomial([5, 3], [10., 50., 300.], [.5, .1, .9]))
        np.testing.assert_allclose(ours.normal([3]), theirs.normal([3]), rtol=1e-6)


def test_shuffle_and_categorical_draws_are_tensorflows():
    # printed by TensorFlow 2.21: RandomShuffle's forward Fisher-Yates on Philox words, and
    # Multinomial's inverse-CDF search; each op's stream moves on between calls
    ts.random.set_seed(5)
    assert ts.random.shuffle(ts.range(10), seed=3).numpy().tolist() == \
        [0, 9, 8, 7, 4, 6, 3, 2, 5, 1]
    assert ts.random.shuffle(ts.range(10), seed=3).numpy().tolist() == \
        [5, 9, 7, 0, 4, 1, 2, 8, 6, 3]
    logits = ts.math.log([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]])
    assert ts.random.categorical(logits, 6, seed=4).numpy().tolist() == \
        [[2, 0, 2, 2, 1, 2], [1, 1, 0, 0, 0, 0]]
    assert ts.random.categorical(logits, 6, seed=4).numpy().tolist() == \
        [[2, 2, 2, 2, 2, 2], [1, 1, 0, 1, 0, 0]]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 257])
def test_shuffle_permutation_c_matches_its_reference(n):
    from tensorshell.engine.ops import philox
    key, counter = (5, 7), (1, 0, 9, 3)
    words = np.ascontiguousarray(philox.stream(max(n - 1, 0), key, counter), np.uint32)
    perm = philox.shuffle_permutation(n, key, counter)
    np.testing.assert_array_equal(perm, philox.shuffle_permutation_reference(words, n))
    assert sorted(perm.tolist()) == list(range(n))


@pytest.mark.tf_oracle
def test_shuffle_and_categorical_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    for lib in (tf, ts):
        lib.random.set_seed(5)
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 1e-30]], np.float32))
    for _ in range(3):                             # streams move on, trivial calls skip
        for shape in ([10], [7, 3], [1], [0], [4, 0], [], [1000]):
            n = int(np.prod(shape))
            np.testing.assert_array_equal(
                ts.random.shuffle(ts.reshape(ts.range(n), shape), seed=3),
                tf.random.shuffle(tf.reshape(tf.range(n), shape), seed=3))
        np.testing.assert_array_equal(ts.random.shuffle(ts.range(20.)),
                                      tf.random.shuffle(tf.range(20.)))
        for samples, dtype in ((5, None), (8, "int32"), (1, None)):
            np.testing.assert_array_equal(
                ts.random.categorical(logits, samples, dtype=dtype, seed=4),
                tf.random.categorical(logits, samples, dtype=dtype, seed=4))
        np.testing.assert_array_equal(ts.random.categorical(logits.astype(np.float64), 6),
                                      tf.random.categorical(logits.astype(np.float64), 6))
