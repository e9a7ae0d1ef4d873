"""Candidate samplers (TensorFlow's draws for the same seeds) and the sampled losses built on
them. The literals were printed by TensorFlow 2.21 after ``tf.random.set_seed(3)``."""

import math
import os

import numpy as np
import pytest

import tensorshell as ts

TRUE = np.array([[1, 5], [2, 7], [0, 3]], np.int64)


def test_samplers_draw_tensorflows_candidates():
    ts.random.set_seed(3)
    s = ts.random.log_uniform_candidate_sampler(TRUE, 2, 6, False, 10, seed=4)
    assert s.sampled_candidates.numpy().tolist() == [1, 3, 1, 6, 0, 0]
    np.testing.assert_allclose(s.true_expected_count.numpy().ravel(), [
        1.0145526, 0.38571498, 0.7198365, 0.29471606, 1.734389, 0.55834854], rtol=1e-6)
    np.testing.assert_allclose(s.sampled_expected_count, [
        1.0145526, 0.55834854, 1.0145526, 0.3341215, 1.734389, 1.734389], rtol=1e-6)
    s = ts.random.log_uniform_candidate_sampler(TRUE, 2, 6, True, 10, seed=4)
    assert s.sampled_candidates.numpy().tolist() == [1, 3, 6, 0, 5, 7]
    np.testing.assert_allclose(s.sampled_expected_count, [   # 11 tries for 6 distinct
        0.86965877, 0.65851295, 0.46755338, 0.9765507, 0.51852334, 0.42537284], rtol=1e-6)
    s = ts.random.uniform_candidate_sampler(TRUE, 2, 6, True, 10, seed=4)
    assert s.sampled_candidates.numpy().tolist() == [1, 5, 9, 7, 3, 4]
    np.testing.assert_allclose(s.true_expected_count, np.full((3, 2), 0.5217031), rtol=1e-6)
    assert ts.random.uniform_candidate_sampler(TRUE, 2, 6, False, 10, seed=4) \
        .sampled_candidates.numpy().tolist() == [1, 5, 9, 9, 7, 3]
    s = ts.random.fixed_unigram_candidate_sampler(TRUE, 2, 4, True, 10, seed=4,
                                                  unigrams=[1., 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert s.sampled_candidates.numpy().tolist() == [7, 9, 1, 8]
    np.testing.assert_allclose(s.sampled_expected_count, [
        0.66722846, 0.7545581, 0.2283999, 0.7137365], rtol=1e-6)
    s = ts.random.all_candidate_sampler(TRUE, 2, 10, True)
    assert s.sampled_candidates.numpy().tolist() == list(range(10))
    assert s.true_expected_count.shape == [3, 2]


def test_log_uniform_frequencies():
    s = ts.random.log_uniform_candidate_sampler(TRUE, 2, 20000, False, 10, seed=1)
    counts = np.bincount(s.sampled_candidates.numpy(), minlength=10) / 20000
    expected = [math.log((k + 2) / (k + 1)) / math.log(11) for k in range(10)]
    np.testing.assert_allclose(counts, expected, atol=0.01)


def test_accidental_hits_and_errors():
    hits = ts.nn.compute_accidental_hits(TRUE, np.array([1, 3, 7, 3], np.int64), 2)
    assert hits.indices.numpy().tolist() == [0, 1, 2]
    assert hits.ids.numpy().tolist() == [0, 2, 3]        # 3 counts at its last position
    assert (hits.weights.numpy() == np.finfo(np.float32).min).all()
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"out of range \[0, 5\)"):
        ts.random.uniform_candidate_sampler(TRUE, 2, 2, True, 5)
    with pytest.raises(ts.errors.InvalidArgumentError, match="range is too small"):
        ts.random.uniform_candidate_sampler(TRUE, 2, 20, True, 10)
    with pytest.raises(ts.errors.InvalidArgumentError, match="int64 matrix"):
        ts.random.uniform_candidate_sampler(TRUE.astype(np.int32), 2, 2, True, 10)
    with pytest.raises(ts.errors.InvalidArgumentError, match="must equal num_reserved_ids"):
        ts.random.fixed_unigram_candidate_sampler(TRUE, 2, 2, True, 10, unigrams=[1., 2.])


def test_sampled_losses_train():
    # a 20-class linear model learns its labels with either sampled loss
    ts.random.set_seed(1)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype(np.float32)
    true_w = rng.normal(size=(20, 8)).astype(np.float32)
    labels = np.argmax(x @ true_w.T, axis=1).astype(np.int64)[:, None]
    for loss_fn in (ts.nn.nce_loss, ts.nn.sampled_softmax_loss):
        w, b = ts.Variable(np.zeros((20, 8), np.float32)), ts.Variable(np.zeros(20, np.float32))
        opt = ts.optimizers.Adam(0.1)
        for _ in range(150):
            with ts.GradientTape() as tape:
                loss = ts.reduce_mean(loss_fn(w, b, labels, x, 10, 20))
            opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
        accuracy = np.mean(np.argmax(x @ w.numpy().T + b.numpy(), 1) == labels[:, 0])
        assert accuracy > 0.8, (loss_fn.__name__, accuracy)


@pytest.mark.tf_oracle
def test_against_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")

    def close(ours, theirs):
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(np.asarray(a), np.asarray(tf.convert_to_tensor(b)),
                                       rtol=1e-5, atol=1e-7)
    for lib in (tf, ts):
        lib.random.set_seed(3)
    big = np.random.default_rng(0).integers(0, 5000, (64, 1)).astype(np.int64)
    unigrams = [1., 2, 3, 4, 5, 6, 7, 8, 9, 10]
    for _ in range(2):                     # each sampler's stream moves on between calls
        for unique in (False, True):
            for name in ("log_uniform_candidate_sampler", "uniform_candidate_sampler"):
                close(getattr(ts.random, name)(TRUE, 2, 6, unique, 10, seed=4),
                      getattr(tf.random, name)(TRUE, 2, 6, unique, 10, seed=4))
            n = 5 if unique else 8
            close(ts.random.fixed_unigram_candidate_sampler(TRUE, 2, n, unique, 12, seed=4,
                                                            unigrams=unigrams,
                                                            distortion=0.75,
                                                            num_reserved_ids=2),
                  tf.random.fixed_unigram_candidate_sampler(TRUE, 2, n, unique, 12, seed=4,
                                                            unigrams=unigrams,
                                                            distortion=0.75,
                                                            num_reserved_ids=2))
        close(ts.random.all_candidate_sampler(TRUE, 2, 10, True),
              tf.random.all_candidate_sampler(TRUE, 2, 10, True))
        close(ts.random.log_uniform_candidate_sampler(big, 1, 200, True, 5000),
              tf.random.log_uniform_candidate_sampler(big, 1, 200, True, 5000))
    rng = np.random.default_rng(1)
    w, b = rng.normal(size=(50, 8)).astype(np.float32), rng.normal(size=50).astype(np.float32)
    x, y = rng.normal(size=(6, 8)).astype(np.float32), rng.integers(0, 50, (6, 2))
    sampled = tf.random.log_uniform_candidate_sampler(y, 2, 10, True, 50, seed=7)
    mine = [v.numpy() for v in sampled]
    for hits in (False, True):
        for name in ("nce_loss", "sampled_softmax_loss"):
            close([getattr(ts.nn, name)(w, b, y, x, 10, 50, num_true=2, sampled_values=mine,
                                        remove_accidental_hits=hits)],
                  [getattr(tf.nn, name)(w, b, y, x, 10, 50, num_true=2, sampled_values=sampled,
                                        remove_accidental_hits=hits)])

    def run(lib, fn):
        wv, xv = lib.Variable(w), lib.Variable(x)
        with lib.GradientTape() as tape:
            loss = lib.reduce_mean(fn(lib, wv, xv))
        return [loss] + tape.gradient(loss, [wv, xv])
    for lib in (tf, ts):
        lib.random.set_seed(11)
    for fn in (lambda L, wv, xv: L.nn.nce_loss(wv, b, y[:, :1], xv, 5, 50),
               lambda L, wv, xv: L.nn.sampled_softmax_loss(wv, b, y[:, :1], xv, 5, 50, seed=3)):
        close(run(ts, fn), run(tf, fn))
