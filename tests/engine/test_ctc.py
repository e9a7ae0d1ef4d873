"""ts.nn.ctc_loss and the CTC decoders: the loss and the wide beam against enumeration of
every path (ctc_reference.py); narrow beams, whose pruning is TensorFlow's own, against
TensorFlow (live when installed, else its recorded results in ctc_golden.npz;
``python -m tests.engine.test_ctc`` under TensorFlow records them)."""

import os

import numpy as np
import pytest

import tensorshell as ts

from tests import oracle
from tests.engine import ctc_reference as ref

GOLDEN = os.path.join(os.path.dirname(__file__), "ctc_golden.npz")
RNG = np.random.default_rng(8)
LOGITS = (RNG.standard_normal((5, 4, 4)) * 1.5).astype(np.float32)
LABELS = np.array([[1, 2, 2], [3, 3, 0], [2, 0, 0], [0, 0, 0]], np.int32)
LABEL_LENGTH = np.array([3, 2, 1, 0], np.int32)
LOGIT_LENGTH = np.array([5, 5, 2, 3], np.int32)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_loss_sums_every_alignment(dtype, device):
    got = ts.nn.ctc_loss(LABELS, LOGITS.astype(dtype), LABEL_LENGTH, LOGIT_LENGTH)
    assert got.dtype.as_numpy_dtype == dtype and got.shape == (4,)
    np.testing.assert_allclose(got.numpy(), ref.ctc_loss(LABELS, LOGITS, LABEL_LENGTH,
                                                         LOGIT_LENGTH),
                               rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_layouts_blank_choices_and_sparse_labels():
    want = ref.ctc_loss(LABELS, LOGITS, LABEL_LENGTH, LOGIT_LENGTH)
    batch_major = ts.nn.ctc_loss(LABELS, LOGITS.transpose(1, 0, 2), LABEL_LENGTH, LOGIT_LENGTH,
                                 logits_time_major=False)
    np.testing.assert_allclose(batch_major.numpy(), want, rtol=1e-5)
    # the blank last: class k becomes k - 1
    last = ts.nn.ctc_loss(np.maximum(LABELS - 1, 0), np.roll(LOGITS, -1, axis=2),
                          LABEL_LENGTH, LOGIT_LENGTH, blank_index=-1)
    np.testing.assert_allclose(last.numpy(), want, rtol=1e-5)
    # sparse labels (every entry needs one) and a blank in the middle
    rows = [0, 1, 2]
    idx = np.array([[b, i] for b in rows for i in range(LABEL_LENGTH[b])], np.int64)
    sparse = ts.SparseTensor(idx, LABELS[idx[:, 0], idx[:, 1]], [3, 3])
    got = ts.nn.ctc_loss(sparse, LOGITS[:, :3], None, LOGIT_LENGTH[:3], blank_index=0)
    np.testing.assert_allclose(got.numpy(), want[:3], rtol=1e-5)
    half = ts.nn.ctc_loss(LABELS, LOGITS.astype(np.float16), LABEL_LENGTH, LOGIT_LENGTH)
    assert half.dtype is ts.float16
    np.testing.assert_allclose(half.numpy(), want, rtol=2e-3)


def test_impossible_labellings_cost_infinity_and_empty_ones_nothing():
    loss = ts.nn.ctc_loss([[1, 1, 1], [0, 0, 0]], LOGITS[:, :2], [3, 0], [4, 0]).numpy()
    assert loss[0] == np.inf and loss[1] == 0      # 1 1 1 needs 5 frames
    x = ts.constant(LOGITS[:, :1])
    with ts.GradientTape() as tape:
        tape.watch(x)
        loss = ts.nn.ctc_loss([[2]], x, [1], [3])
    g = tape.gradient(loss, x).numpy()
    assert np.all(g[3:] == 0) and np.allclose(g[:3].sum(axis=-1), 0, atol=1e-6)


def test_the_greedy_decoder_takes_each_frames_best():
    (decoded,), score = ts.nn.ctc_greedy_decoder(LOGITS, LOGIT_LENGTH)
    best = LOGITS.argmax(axis=2)
    for b in range(4):
        want = ref.collapse(best[:LOGIT_LENGTH[b], b], blank=3)
        row = decoded.indices.numpy()[:, 0] == b
        assert tuple(decoded.values.numpy()[row]) == want
        assert score.numpy()[b, 0] == pytest.approx(
            -LOGITS[np.arange(LOGIT_LENGTH[b]), b].max(axis=1).sum(), rel=1e-6)
    assert decoded.values.dtype is ts.int64 and score.shape == (4, 1)
    kept = ts.nn.ctc_greedy_decoder(LOGITS, LOGIT_LENGTH, merge_repeated=False,
                                    blank_index=0)[0][0]
    assert 0 not in kept.values.numpy().tolist()


def test_a_wide_beam_finds_the_likeliest_labellings_exactly():
    decoded, log_prob = ts.nn.ctc_beam_search_decoder(LOGITS, LOGIT_LENGTH, beam_width=200,
                                                      top_paths=3)
    for b in range(4):
        probs = ref.labelling_probabilities(LOGITS[:LOGIT_LENGTH[b], b], blank=3)
        best = sorted(probs.items(), key=lambda kv: -kv[1])[:3]
        for p, (labelling, prob) in enumerate(best):
            row = decoded[p].indices.numpy()[:, 0] == b
            assert tuple(decoded[p].values.numpy()[row]) == labelling
            assert log_prob.numpy()[b, p] == pytest.approx(np.log(prob), abs=1e-5)


BEAM_CASES = [(seed, width, paths) for seed in range(8) for width, paths in
              [(1, 1), (3, 2), (6, 4)]]


def _beam_input(seed):
    rng = np.random.default_rng(100 + seed)
    frames, batch, classes = int(rng.integers(3, 12)), 2, int(rng.integers(3, 8))
    x = (rng.standard_normal((frames, batch, classes)) * rng.uniform(0.5, 3)).astype(np.float32)
    return x, np.array([frames, int(rng.integers(1, frames + 1))], np.int32)


def _beam_results(lib, seed, width, paths):
    x, lengths = _beam_input(seed)
    decoded, log_prob = lib.nn.ctc_beam_search_decoder(x, lengths, beam_width=width,
                                                       top_paths=paths)
    out = [log_prob.numpy()]
    for d in decoded:
        out += [lib.sparse.to_dense(d, default_value=-1).numpy(), d.dense_shape.numpy()]
    return out


@pytest.fixture(scope="module")
def tensorflows():
    return oracle.expected(GOLDEN, lambda tf, case: _beam_results(tf, *case))


@pytest.mark.parametrize("seed, width, paths", BEAM_CASES)
def test_narrow_beams_prune_as_tensorflows(seed, width, paths, tensorflows):
    theirs = tensorflows((seed, width, paths))
    ours = _beam_results(ts, seed, width, paths)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5, atol=1e-5)
    for a, b in zip(ours[1:], theirs[1:]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("call, match", [
    (lambda: ts.nn.ctc_loss(LABELS, LOGITS[0], LABEL_LENGTH, LOGIT_LENGTH), "rank 3"),
    (lambda: ts.nn.ctc_loss(LABELS, LOGITS, LABEL_LENGTH, [5, 5, 5]), r"shape \[4\]"),
    (lambda: ts.nn.ctc_loss(LABELS, LOGITS, LABEL_LENGTH, [6, 5, 5, 5]), r"in \[0, 5\]"),
    (lambda: ts.nn.ctc_loss(LABELS + 1, LOGITS, LABEL_LENGTH, LOGIT_LENGTH),
     r"classes in \[0, 4\) other than the blank \(0\)"),
    (lambda: ts.nn.ctc_loss(LABELS, LOGITS, [4, 0, 0, 0], LOGIT_LENGTH), r"in \[0, 3\]"),
    (lambda: ts.nn.ctc_loss(LABELS.astype(np.float32), LOGITS, LABEL_LENGTH, LOGIT_LENGTH),
     "must be integers"),
    (lambda: ts.nn.ctc_loss(LABELS, LOGITS, LABEL_LENGTH, LOGIT_LENGTH, blank_index=4),
     "out of range"),
    (lambda: ts.nn.ctc_loss(ts.SparseTensor([[0, 0]], [1], [2, 1]), LOGITS[:, :2], None,
                            [5, 5], blank_index=0), "Labels length is zero in batch 1"),
    (lambda: ts.nn.ctc_beam_search_decoder(LOGITS, LOGIT_LENGTH, beam_width=2, top_paths=3),
     "top_paths <= beam_width"),
    (lambda: ts.nn.ctc_beam_search_decoder(LOGITS[:1], [1, 1, 1, 1], beam_width=9,
                                           top_paths=9), "Less leaves"),
    (lambda: ts.nn.ctc_greedy_decoder(LOGITS.astype(np.int32), LOGIT_LENGTH), "float32"),
    (lambda: ts.nn.ctc_loss(LABELS, LOGITS.astype(np.int32), LABEL_LENGTH, LOGIT_LENGTH),
     r"ctc_loss does not accept int32 \(logits\)"),
])
def test_bad_arguments_explain_themselves(call, match):
    with pytest.raises(ts.errors.InvalidArgumentError, match=match):
        call()
    with pytest.raises(ValueError, match="blank_index"):
        ts.nn.ctc_loss(ts.SparseTensor([[0, 0]], [1], [1, 1]), LOGITS[:, :1], None, [5])


if __name__ == "__main__":
    oracle.record(GOLDEN, BEAM_CASES, lambda tf, case: _beam_results(tf, *case))
