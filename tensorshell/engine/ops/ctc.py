"""Connectionist temporal classification: ``ts.nn.ctc_loss`` (with its gradient),
``ctc_greedy_decoder`` and ``ctc_beam_search_decoder``, as TensorFlow computes them.

The loss runs the forward-backward recursion of Graves et al. (2006) in log space on the
host, vectorised over the batch and the label positions (a Python step per time frame); the
same pass gives the gradient with respect to the logits, which the backward pass scales by
the upstream gradient (as TensorFlow's ``ctc_loss`` does, so it has no second derivative).
The decoders are TensorFlow's algorithms step for step: best path (greedy), and the prefix
beam search of its ``CTCBeamSearchDecoder`` (inputs read as log-probabilities up to a
constant per frame, blank last).
"""

from __future__ import annotations

import collections
import heapq
import itertools

import numpy as np

from .. import dtypes
from ..errors import dtype_not_allowed, invalid
from ..tensor import convert_to_tensor
from .registry import as_tensor, composite, defgrad, describe, not_allowed, op, out

CtcLoss = collections.namedtuple("CtcLoss", ["loss", "gradient"])


def _host(t):
    return np.asarray(t._device.backend.to_numpy(t._data))


def _device_out(data, dtype, like):
    return out(like._device.backend.from_numpy(np.ascontiguousarray(data, dtype._np)), dtype)


def _logsumexp(a, b):
    m = np.maximum(a, b)
    with np.errstate(invalid="ignore"):
        r = m + np.log(np.exp(a - m) + np.exp(b - m))
    return np.where(np.isneginf(m), -np.inf, r)


def _log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def _ctc_kernel(logits, labels, label_length, logit_length, blank):
    """Loss ``[B]`` and its gradient ``[T, B, C]`` for time-major ``logits`` (float64)."""
    frames, batch, classes = logits.shape
    logp = _log_softmax(logits)
    longest = int(label_length.max(initial=0))
    states = 2 * longest + 1
    # the extended label sequences: blank, l1, blank, l2, ..., blank
    ext = np.full((batch, states), blank, np.int64)
    ext[:, 1::2] = labels[:, :longest]
    pos = np.arange(states)
    in_seq = pos[None, :] < (2 * label_length[:, None] + 1)
    # a label may be reached from two states back unless it is blank or repeats that label
    skip = np.zeros((batch, states), bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    rows = np.arange(batch)[:, None]
    emit = logp[:, rows, ext]                                     # [T, B, S]
    emit = np.where(in_seq[None], emit, -np.inf)

    def step(prev):
        nxt = prev.copy()
        nxt[:, 1:] = _logsumexp(nxt[:, 1:], prev[:, :-1])
        nxt[:, 2:] = np.where(skip[:, 2:], _logsumexp(nxt[:, 2:], prev[:, :-2]), nxt[:, 2:])
        return nxt

    alpha = np.full((frames, batch, states), -np.inf)
    first = np.full((batch, states), -np.inf)
    first[:, :2] = 0.0
    alpha[0] = np.where(pos[None, :] < 2, emit[0], -np.inf) if frames else first
    for t in range(1, frames):
        alpha[t] = step(alpha[t - 1]) + emit[t]
    # beta_t(s): the log-probability of the rest of the sequence after frame t, from s
    beta = np.full((frames, batch, states), -np.inf)
    end = 2 * label_length                                        # the last blank
    last = np.full((batch, states), -np.inf)
    last[np.arange(batch), end] = 0.0
    has_label = label_length > 0
    last[np.arange(batch)[has_label], end[has_label] - 1] = 0.0
    for t in range(frames - 1, -1, -1):
        is_last = (t == logit_length - 1)[:, None]
        later = np.full((batch, states), -np.inf)
        if t + 1 < frames:
            after = beta[t + 1] + emit[t + 1]
            later = after.copy()
            later[:, :-1] = _logsumexp(later[:, :-1], after[:, 1:])
            later[:, :-2] = np.where(skip[:, 2:], _logsumexp(later[:, :-2], after[:, 2:]),
                                     later[:, :-2])
        beta[t] = np.where(is_last, last, later)
    t_last = np.clip(logit_length - 1, 0, max(frames - 1, 0))
    b_idx = np.arange(batch)
    if frames:
        final = alpha[t_last, b_idx]                              # [B, S]
        log_lik = np.full(batch, -np.inf)
        log_lik = _logsumexp(final[b_idx, end], np.where(
            has_label, final[b_idx, np.maximum(end - 1, 0)], -np.inf))
    else:
        log_lik = np.where(label_length == 0, 0.0, -np.inf)
    log_lik = np.where(logit_length > 0, log_lik, np.where(label_length == 0, 0.0, -np.inf))
    # the gradient with respect to the logits: softmax minus the label posteriors
    occupancy = alpha + beta - log_lik[None, :, None]             # [T, B, S]
    posterior = np.zeros((frames, batch, classes))
    with np.errstate(over="ignore", invalid="ignore"):
        weights = np.exp(occupancy)
    weights = np.where(np.isfinite(weights), weights, 0.0)
    t_idx = np.arange(frames)[:, None, None]
    np.add.at(posterior, (t_idx, rows[None], ext[None]), weights)
    active = (np.arange(frames)[:, None] < logit_length[None, :])[..., None]
    grad = np.where(active, np.exp(logp) - posterior, 0.0)
    return -log_lik, grad


@op("ctc_loss_dense", "custom", frozenset({dtypes.float32, dtypes.float64}), ())
def ctc_loss_dense(logits, labels, label_length, logit_length, blank_index=0):
    """The CTC loss of time-major ``logits`` against dense ``labels``, and its gradient."""
    t = as_tensor(logits, "ctc_loss", "logits")
    if t.dtype not in ctc_loss_dense.op.dtypes:
        raise not_allowed(ctc_loss_dense.op, t, "logits",
                          call="ts.nn.ctc_loss(labels, {x}, label_length, logit_length)")
    host = _host(t).astype(np.float64)
    ints = [np.asarray(v.numpy() if hasattr(v, "numpy") else v, np.int64)
            for v in (labels, label_length, logit_length)]
    loss, grad = _ctc_kernel(host, *ints, blank_index)
    return CtcLoss(_device_out(loss, t.dtype, t), _device_out(grad, t.dtype, t))


def _ctc_loss_grad(grads, ans, logits, labels, label_length, logit_length, blank_index=0):
    from .shape import reshape
    g = grads[0]
    if g is None:
        return (None, None, None, None)
    return (reshape(g, [1, -1, 1]) * ans.gradient, None, None, None)


defgrad(ctc_loss_dense, _ctc_loss_grad)


def _int_vector(value, name, label, length=None):
    t = as_tensor(value, name, label)
    if not t.dtype.is_integer:
        raise invalid(name, f"{label} must be integers, got {t.dtype.name}", [describe(t, label)],
                      kind="dtype")
    if length is not None and tuple(t.shape) != (length,):
        raise invalid(name, f"{label} must have shape [{length}] (one per batch entry), got "
                      f"{list(t.shape)}", [describe(t, label)], kind="shape")
    return t


def _dense_labels(labels, batch):
    """A SparseTensor of labels as ``(dense, lengths)``: each row's values in index order."""
    idx = _host(labels.indices).astype(np.int64)
    vals = _host(labels.values).astype(np.int64)
    order = np.lexsort((idx[:, 1], idx[:, 0])) if len(idx) else np.zeros(0, np.int64)
    rows = idx[order, 0] if len(idx) else np.zeros(0, np.int64)
    lengths = np.bincount(rows, minlength=batch)[:batch]
    dense = np.zeros((batch, max(int(lengths.max(initial=0)), 1)), np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    for r, v, k in zip(rows, vals[order], np.arange(len(rows)) - starts[rows]):
        dense[r, k] = v
    return dense, lengths


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None,
             blank_index=None, name=None):
    """The negative log-probability of each ``labels`` sequence under the frame-wise class
    scores ``logits`` (``[frames, batch, classes]``, or ``[batch, frames, classes]`` with
    ``logits_time_major=False``), summed over every alignment, as TensorFlow's ``ctc_loss``.

    ``labels``: dense ``[batch, max_label_length]`` with ``label_length`` (blank class 0 by
    default), or a SparseTensor (``label_length`` None, ``blank_index`` required; a
    negative one counts from the last class). Returns ``[batch]`` losses; differentiable
    with respect to ``logits``. A labelling the frames cannot spell (too few of them for its
    labels and repeats) costs ``inf``, as TensorFlow's sparse-label path says (its dense
    path returns a large finite number instead).

    >>> ts.nn.ctc_loss([[1, 2]], ts.zeros([4, 1, 3]), [2], [4])   # -log(P(1 2 | uniform))
    """
    from ...sparse import SparseTensor
    from .shape import cast, transpose
    x = as_tensor(logits, "ctc_loss", "logits")
    if x.ndim != 3:
        raise invalid("ctc_loss", f"logits must have rank 3 ([frames, batch, classes]), got "
                      f"shape {list(x.shape)}", [describe(x, "logits")], kind="shape")
    if not logits_time_major:
        x = transpose(x, [1, 0, 2])
    frames, batch, classes = x.shape
    sparse = isinstance(labels, SparseTensor)
    if sparse and blank_index is None:
        raise ValueError("Argument `blank_index` must be provided when `labels` is a "
                         "`SparseTensor`.")
    blank = 0 if blank_index is None else int(blank_index)
    if blank < 0:
        blank += classes
    if not 0 <= blank < classes:
        raise invalid("ctc_loss", f"blank_index {blank_index} is out of range for {classes} "
                      "classes")
    lengths_t = _int_vector(logit_length, "ctc_loss", "logit_length", batch)
    if sparse:
        dense, lengths = _dense_labels(labels, batch)
        lab = convert_to_tensor(dense)
        lab_len = convert_to_tensor(lengths)
        empty = np.nonzero(lengths == 0)[0]
        if len(empty):
            raise invalid("ctc_loss", f"Labels length is zero in batch {int(empty[0])}")
    else:
        lab = _int_vector(labels, "ctc_loss", "labels")
        if lab.ndim != 2 or lab.shape[0] != batch:
            raise invalid("ctc_loss", f"labels must have shape [{batch}, max_label_length], got "
                          f"{list(lab.shape)}", [describe(lab, "labels")], kind="shape")
        lab_len = _int_vector(label_length, "ctc_loss", "label_length", batch)
        if np.any(_host(lab_len) > lab.shape[1]) or np.any(_host(lab_len) < 0):
            raise invalid("ctc_loss", f"label_length must be in [0, {lab.shape[1]}] (the labels' "
                          f"width), got {_host(lab_len).tolist()}")
    values = _host(lab)
    in_use = np.arange(values.shape[1])[None, :] < _host(lab_len)[:, None]
    if np.any(in_use & ((values < 0) | (values >= classes) | (values == blank))):
        raise invalid("ctc_loss", f"labels must be classes in [0, {classes}) other than the "
                      f"blank ({blank})")
    if np.any(_host(lengths_t) > frames) or np.any(_host(lengths_t) < 0):
        raise invalid("ctc_loss", f"logit_length must be in [0, {frames}] (the frames), got "
                      f"{_host(lengths_t).tolist()}")
    low = x.dtype
    if not low.is_floating:
        raise dtype_not_allowed("ts.nn.ctc_loss", describe(x, "logits"), "float16, float32, "
                                "float64", "float32", "ts.nn.ctc_loss(labels, {x}, "
                                "label_length, logit_length)")
    if low is dtypes.float16:                           # computed in float32, as TF
        x = cast(x, dtypes.float32)
    loss = ctc_loss_dense(x, lab, lab_len, lengths_t, blank).loss
    return loss if loss.dtype is low else cast(loss, low)


def _sparse_paths(paths, batch):
    """Decoded label lists per batch entry as TensorFlow's SparseTensor."""
    from ...sparse import SparseTensor
    indices = [[b, i] for b, seq in enumerate(paths) for i in range(len(seq))]
    values = [v for seq in paths for v in seq]
    width = max((len(seq) for seq in paths), default=0)
    return SparseTensor(np.array(indices, np.int64).reshape(-1, 2),
                        np.array(values, np.int64), np.array([batch, width], np.int64))


def _decoder_inputs(inputs, sequence_length, name):
    x = as_tensor(inputs, name, "inputs")
    if x.ndim != 3 or x.dtype not in (dtypes.float32, dtypes.float64):
        raise invalid(name, "inputs must be float32 or float64 of rank 3 ([frames, batch, "
                      f"classes]), got {x.dtype.name} {list(x.shape)}", [describe(x, "inputs")])
    frames, batch, _ = x.shape
    lengths = _host(_int_vector(sequence_length, name, "sequence_length", batch))
    if np.any(lengths > frames) or np.any(lengths < 0):
        raise invalid(name, f"sequence_length must be in [0, {frames}], got {lengths.tolist()}")
    return x, _host(x), lengths


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best-path decoding: the most likely class at each frame, repeats merged (with
    ``merge_repeated``) and blanks (the last class, or ``blank_index``) removed.

    Returns ``([decoded], neg_sum_logits)``: one SparseTensor ``[batch, longest]`` and
    ``[batch, 1]``, minus the sum of each frame's largest logit.
    """
    x, host, lengths = _decoder_inputs(inputs, sequence_length, "ctc_greedy_decoder")
    frames, batch, classes = host.shape
    blank = classes - 1 if blank_index is None else int(blank_index)
    if blank < 0:
        blank += classes
    best = host.argmax(axis=2)                                    # first of ties, as TF
    score = np.zeros((batch, 1), host.dtype)
    paths = []
    for b in range(batch):
        seq, prev = [], -1
        for t in range(lengths[b]):
            k = int(best[t, b])
            score[b, 0] -= host[t, b, k]
            if k != blank and not (merge_repeated and k == prev):
                seq.append(k)
            prev = k
        paths.append(seq)
    return [_sparse_paths(paths, batch)], _device_out(score, x.dtype, x)


class _Beam:
    """One prefix of TensorFlow's beam search: log-probabilities of ending in a blank, in its
    last label, and in either, now (``new_*``) and at the previous frame (``old_*``)."""

    __slots__ = ("parent", "label", "children", "new_total", "new_blank", "new_label",
                 "old_total", "old_blank", "old_label")

    def __init__(self, parent, label):
        self.parent, self.label, self.children = parent, label, {}
        self.reset_new()
        self.old_total = self.old_blank = self.old_label = -np.inf

    def reset_new(self):
        self.new_total = self.new_blank = self.new_label = -np.inf

    def child(self, label):
        c = self.children.get(label)
        if c is None:
            c = self.children[label] = _Beam(self, label)
        return c

    def labels(self, merge_repeated):
        seq, prev, node = [], -1, self
        while node.parent is not None:
            if not merge_repeated or node.label != prev:
                seq.append(node.label)
            prev, node = node.label, node.parent
        return seq[::-1]


def _lse(a, b):
    """log(exp(a) + exp(b)) in the inputs' precision, as TensorFlow's LogSumExp."""
    if a == -np.inf:
        return b
    if b == -np.inf:
        return a
    return max(a, b) + np.log1p(np.exp(-abs(a - b)))


def _beam_search(frames_logits, beam_width, top_paths, merge_repeated):
    """TensorFlow's CTCBeamSearchDecoder on one sequence ``[frames, classes]`` (blank last):
    log-softmax per frame, then each frame extends every prefix in the beam by a blank, its
    last label again, or a new label, keeping the ``beam_width`` most likely prefixes."""
    classes = frames_logits.shape[1]
    blank = classes - 1
    real = frames_logits.dtype.type                # float32 or float64, as TF's kernels
    root = _Beam(None, -1)
    root.new_total = root.new_blank = real(0.0)
    leaves = [root]
    count = itertools.count()
    for row in _log_softmax(frames_logits.astype(np.float64)).astype(real):
        branches = sorted(leaves, key=lambda e: -e.new_total)
        for b in branches:
            b.old_total, b.old_blank, b.old_label = b.new_total, b.new_blank, b.new_label
        heap = []                         # the beam: (total, order, prefix), smallest first
        for b in branches:
            if b.parent is not None:
                if b.parent.new_total != -np.inf:              # the parent is in the beam
                    previous = b.parent.old_blank if b.label == b.parent.label \
                        else b.parent.old_total
                    b.new_label = _lse(b.new_label, previous)
                b.new_label = b.new_label + row[b.label]
            b.new_blank = b.old_total + row[blank]
            b.new_total = _lse(b.new_blank, b.new_label)
            heapq.heappush(heap, (b.new_total, next(count), b))

        def candidate(total):
            return total > -np.inf and (len(heap) < beam_width or total > heap[0][0])

        for b in branches:
            if not candidate(b.old_total):
                continue
            # every new prefix's probability at once; the beam's weakest only gets stronger
            # as prefixes join it, so labels at or below it now can never join
            totals = row[:-1] + real(b.old_total)
            if 0 <= b.label < classes - 1:
                totals[b.label] = row[b.label] + real(b.old_blank)
            if len(heap) < beam_width:
                labels, chosen = range(classes - 1), None
            else:
                chosen = set(np.nonzero(totals > heap[0][0])[0].tolist())
                labels = sorted(chosen | b.children.keys())
            for label in labels:
                c = b.child(int(label))
                if c.new_total != -np.inf:                     # already in the beam
                    continue
                total = totals[label]
                if chosen is not None and label not in chosen:
                    # TF tries it, finds it too weak and clears its history (which decides
                    # whether it grows later this frame)
                    c.old_total = c.old_blank = c.old_label = -np.inf
                elif candidate(total):
                    c.new_blank, c.new_label, c.new_total = -np.inf, total, total
                    if len(heap) == beam_width:                # the weakest leaves the beam
                        heapq.heappop(heap)[2].reset_new()
                    heapq.heappush(heap, (total, next(count), c))
                else:
                    c.old_total = c.old_blank = c.old_label = -np.inf
        leaves = [e for _, _, e in heap]
    if top_paths > len(leaves):
        raise invalid("ctc_beam_search_decoder", "Less leaves in the beam search than "
                      f"requested: {len(leaves)} < top_paths={top_paths}")
    best = sorted(leaves, key=lambda e: -e.new_total)[:top_paths]
    return [e.labels(merge_repeated) for e in best], [e.new_total for e in best]


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    """Beam-search decoding of ``inputs`` (``[frames, batch, classes]`` logits, blank the last
    class): the ``top_paths`` most likely label sequences, each summed over its alignments
    within a beam of ``beam_width`` prefixes (TensorFlow's algorithm, repeats not merged).

    Returns ``(decoded, log_probabilities)``: ``top_paths`` SparseTensors ``[batch, longest]``
    and ``[batch, top_paths]`` scores.
    """
    beam_width, top_paths = int(beam_width), int(top_paths)
    if beam_width < 1 or not 1 <= top_paths <= beam_width:
        raise invalid("ctc_beam_search_decoder", f"need 1 <= top_paths <= beam_width, got "
                      f"top_paths={top_paths}, beam_width={beam_width}")
    x, host, lengths = _decoder_inputs(inputs, sequence_length, "ctc_beam_search_decoder")
    batch = host.shape[1]
    decoded = [[None] * batch for _ in range(top_paths)]
    scores = np.zeros((batch, top_paths), host.dtype)
    for b in range(batch):
        paths, logps = _beam_search(host[:lengths[b], b], beam_width, top_paths, False)
        for p in range(top_paths):
            decoded[p][b], scores[b, p] = paths[p], logps[p]
    return [_sparse_paths(d, batch) for d in decoded], _device_out(scores, x.dtype, x)


for _fn in (ctc_loss, ctc_greedy_decoder, ctc_beam_search_decoder):
    composite(_fn, ("nn",))
