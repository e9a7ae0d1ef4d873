"""Candidate sampling, as TensorFlow does it: the samplers of ``ts.random`` (and ``ts.nn``)
with TensorFlow's draws for the same seeds (its RangeSampler classes reading Philox words,
unique sampling by rejection, expected counts ``-expm1(tries * log1p(-p))``), and the
sampled losses built on them, ``nn.nce_loss`` and ``nn.sampled_softmax_loss`` (TensorFlow's
``_compute_sampled_logits``), with ``nn.compute_accidental_hits``."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import dtypes
from ..errors import invalid
from . import philox
from .registry import NAMESPACES, as_tensor


class Sample(NamedTuple):
    sampled_candidates: object
    true_expected_count: object
    sampled_expected_count: object


def _check(op_name, true_classes, num_true, num_sampled, unique, range_max,
           check_range=True):
    t = as_tensor(true_classes, op_name, "true_classes")
    if t.dtype is not dtypes.int64 or t.ndim != 2 or t.shape[1] != int(num_true):
        raise invalid(op_name, f"true_classes must be an int64 matrix [batch, num_true="
                      f"{num_true}], got {t.dtype.name} of shape {list(t.shape)}",
                      kind="shape")
    if int(num_sampled) < 1 or int(range_max) < 1:
        raise invalid(op_name, f"num_sampled and range_max must be positive, got "
                      f"{num_sampled} and {range_max}")
    if unique and int(num_sampled) > int(range_max):
        raise invalid(op_name, f"Sampler's range is too small: num_sampled ({num_sampled}) "
                      f"> range_max ({range_max}) with unique=True")
    if check_range and t.shape[0] * t.shape[1]:
        values = np.asarray(t.numpy())
        bad = values[(values < 0) | (values >= int(range_max))]
        if bad.size:
            raise invalid(op_name, f"`true_candidate` out of range [0, {int(range_max)}), "
                          f"received {int(bad[0])}")
    return t


class _Words:
    """TensorFlow's SimplePhilox over a Philox stream: 32-bit words in order."""

    def __init__(self, key, counter):
        self._key, self._counter = key, counter
        self._buf, self._pos, self._block = np.zeros(0, np.uint32), 0, 0

    def next(self) -> int:
        if self._pos == len(self._buf):
            count = 256
            self._buf = philox.blocks(np.arange(self._block, self._block + count),
                                      self._key, self._counter).reshape(-1)
            self._block += count
            self._pos = 0
        self._pos += 1
        return int(self._buf[self._pos - 1])

    def rand_double(self) -> float:
        hi, lo = self.next(), self.next()
        return float(philox.to_float64(np.array([hi], np.uint32),
                                       np.array([lo], np.uint32))[0])

    def rand_float(self) -> float:
        return float(philox.to_float32(np.array([self.next()], np.uint32))[0])

    def uniform64(self, n: int) -> int:
        lo, hi = self.next(), self.next()
        return ((hi << 32) | lo) % n


def _sample(op_name, attrs, seed, true_classes, num_sampled, unique, draw, probability):
    """Draw ``num_sampled`` candidates with ``draw(words)`` (distinct when ``unique``) and
    the expected counts of the true and sampled classes, as TensorFlow's
    SampleBatchGetExpectedCount."""
    from ..tensor import constant
    from .random import _stream
    num_sampled = int(num_sampled)
    # TensorFlow reserves 2048 words per sample for every call of the op
    key, counter = _stream(f"{op_name}{attrs}", seed, dtypes.int64, 0,
                           (2048 * num_sampled + 3) // 4)
    words = _Words(key, counter)
    sampled, seen, tries = [], set(), 0
    while len(sampled) < num_sampled:
        value = draw(words)
        tries += 1
        if unique:
            if value in seen:
                continue
            seen.add(value)
        sampled.append(value)

    def expected(p):
        p = np.float32(p)
        if tries == num_sampled:
            return np.float32(p * np.float32(num_sampled))
        return -np.expm1(np.float32(tries) * np.log1p(-p))

    true = np.asarray(true_classes.numpy())
    true_counts = np.array([[expected(probability(int(v))) for v in row] for row in true],
                           np.float32).reshape(true.shape)
    sampled_counts = np.array([expected(probability(v)) for v in sampled], np.float32)
    return Sample(constant(np.array(sampled, np.int64)), constant(true_counts),
                  constant(sampled_counts))


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """Classes drawn with P(k) = log((k + 2) / (k + 1)) / log(range_max + 1) - Zipf-like,
    for classes sorted by decreasing frequency."""
    op_name = "random.log_uniform_candidate_sampler"
    t = _check(op_name, true_classes, num_true, num_sampled, unique, range_max)
    rmax = int(range_max)
    log_range = math.log(rmax + 1)
    return _sample(op_name, (int(num_true), int(num_sampled), bool(unique), rmax), seed, t,
                   num_sampled, unique,
                   lambda w: (int(math.exp(w.rand_double() * log_range)) - 1) % rmax,
                   lambda k: math.log((k + 2.0) / (k + 1.0)) / log_range
                   if 0 <= k < rmax else 0.0)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                              seed=None, name=None):
    """Classes drawn uniformly from [0, range_max)."""
    op_name = "random.uniform_candidate_sampler"
    t = _check(op_name, true_classes, num_true, num_sampled, unique, range_max)
    rmax = int(range_max)
    inv = float(np.float32(1.0) / np.float32(rmax))
    return _sample(op_name, (int(num_true), int(num_sampled), bool(unique), rmax), seed, t,
                   num_sampled, unique, lambda w: w.uniform64(rmax), lambda k: inv)


def _alias_table(weights):
    """TensorFlow's DistributionSampler (Walker's alias method, its pairing order)."""
    n = len(weights)
    total = sum(float(w) for w in weights)
    pr = [float(w) * n / total for w in weights]
    alt = [-1] * n
    high = [i for i in range(n) if pr[i] >= 1.0]
    low = [i for i in range(n) if pr[i] < 1.0]
    while high and low:
        small, big = low.pop(), high.pop()
        alt[small] = big
        pr[big] -= 1.0 - pr[small]
        (low if pr[big] < 1.0 else high).append(big)
    prob = [float(np.float32(p)) for p in pr]
    for i in high + low:
        prob[i], alt[i] = 1.0, i
    return prob, alt


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                    vocab_file="", distortion=1.0, num_reserved_ids=0,
                                    num_shards=1, shard=0, unigrams=(), seed=None,
                                    name=None):
    """Classes drawn in proportion to ``unigrams`` (counts, raised to ``distortion``;
    ``num_reserved_ids`` weightless ids first), or to the counts in ``vocab_file`` (one
    ``word,count`` per line)."""
    op_name = "random.fixed_unigram_candidate_sampler"
    t = _check(op_name, true_classes, num_true, num_sampled, unique, range_max)
    rmax = int(range_max)
    if vocab_file:
        from ...io import read_bytes
        counts = [float(line.rsplit(b",", 1)[-1]) for line in
                  read_bytes(vocab_file).splitlines() if line.strip()]
    else:
        counts = [float(u) for u in unigrams]
    if int(num_shards) != 1 or int(shard) != 0:
        raise invalid(op_name, "num_shards/shard are not supported (one shard here)")
    weights = [np.float32(0.0)] * int(num_reserved_ids) + \
        [np.float32(math.pow(c, float(distortion))) for c in counts]
    if len(weights) != rmax:
        raise invalid(op_name, f"range_max ({rmax}) must equal num_reserved_ids + the number "
                      f"of unigrams ({len(weights)})")
    total = np.float32(0.0)
    for w in weights:
        total = np.float32(total + w)
    prob, alt = _alias_table(weights)

    def draw(w):
        r = w.rand_float()
        idx = w.next() % rmax
        return idx if r < prob[idx] else alt[idx]
    return _sample(op_name, (int(num_true), int(num_sampled), bool(unique), rmax), seed, t,
                   num_sampled, unique, draw,
                   lambda k: float(np.float32(weights[k] / total)) if 0 <= k < rmax else 0.)


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """Every class in [0, num_sampled), each expected once - for testing sampled losses
    against the full ones."""
    from ..tensor import constant
    t = _check("random.all_candidate_sampler", true_classes, num_true, num_sampled, unique,
               num_sampled)
    from .random import op_seeds
    op_seeds(seed)                         # TensorFlow takes an op seed here too
    n = int(num_sampled)
    return Sample(constant(np.arange(n, dtype=np.int64)),
                  constant(np.ones(t.shape, np.float32)), constant(np.ones(n, np.float32)))


class AccidentalHits(NamedTuple):
    indices: object
    ids: object
    weights: object


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None,
                            name=None):
    """Where a sampled candidate is one of its row's true classes: ``(row indices,
    positions in sampled_candidates, -FLT_MAX weights)``, to add to the sampled logits
    (a candidate sampled twice counts at its last position, as in TensorFlow)."""
    from ..tensor import constant
    from .random import op_seeds
    op_seeds(seed)                         # TensorFlow takes an op seed here too
    op_name = "nn.compute_accidental_hits"
    t = _check(op_name, true_classes, num_true, 1, False, 1, check_range=False)
    s = as_tensor(sampled_candidates, op_name, "sampled_candidates")
    if s.dtype is not dtypes.int64 or s.ndim != 1:
        raise invalid(op_name, f"sampled_candidates must be an int64 vector, got "
                      f"{s.dtype.name} of shape {list(s.shape)}", kind="shape")
    position = {int(v): j for j, v in enumerate(np.asarray(s.numpy()).tolist())}
    rows, ids = [], []
    for i, row in enumerate(np.asarray(t.numpy()).tolist()):
        for v in row:
            if v in position:
                rows.append(i)
                ids.append(position[v])
    return AccidentalHits(constant(np.array(rows, np.int32)), constant(np.array(ids, np.int64)),
                          constant(np.full(len(rows), np.finfo(np.float32).min, np.float32)))


def _sampled_logits(op_name, weights, biases, labels, inputs, num_sampled, num_classes,
                    num_true, sampled_values, subtract_log_q, remove_accidental_hits, seed):
    """TensorFlow's ``_compute_sampled_logits``: ``(logits, labels)`` over the true classes
    then the sampled ones."""
    from . import composites as C, elementwise as E, linalg as L, shape as S
    x = as_tensor(inputs, op_name, "inputs")
    w = S.concat(list(weights), 0) if isinstance(weights, (list, tuple)) else \
        as_tensor(weights, op_name, "weights", x.dtype)
    b = S.concat(list(biases), 0) if isinstance(biases, (list, tuple)) else \
        as_tensor(biases, op_name, "biases", x.dtype)
    labels = S.cast(as_tensor(labels, op_name, "labels"), "int64")
    num_true = int(num_true)
    if labels.ndim != 2 or labels.shape[1] != num_true:
        labels = S.reshape(labels, [-1, num_true])
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True,
                                                       num_classes, seed=seed)
    sampled, true_expected, sampled_expected = (
        S.stop_gradient(as_tensor(v, op_name, "sampled_values")) for v in sampled_values)
    sampled = S.cast(sampled, "int64")
    flat = S.reshape(labels, [-1])
    true_w = S.gather(w, flat)
    sampled_w = S.gather(w, sampled)
    sampled_logits = L.matmul(x, sampled_w, transpose_b=True) + S.gather(b, sampled)
    true_w = S.reshape(true_w, [-1, num_true, w.shape[1]])
    true_logits = _sum_last(S.expand_dims(x, 1) * true_w)
    true_logits = true_logits + S.reshape(S.gather(b, flat), [-1, num_true])
    if remove_accidental_hits:
        hits = compute_accidental_hits(labels, sampled, num_true)
        if int(hits.indices.shape[0]):
            mask = np.zeros(tuple(sampled_logits.shape), np.float32)
            mask[np.asarray(hits.indices.numpy()), np.asarray(hits.ids.numpy())] = \
                np.finfo(np.float32).min
            sampled_logits = sampled_logits + as_tensor(mask.astype(x.dtype._np), op_name,
                                                        "hits", x.dtype)
    if subtract_log_q:
        true_logits = true_logits - E.log(S.cast(true_expected, x.dtype))
        sampled_logits = sampled_logits - E.log(S.cast(sampled_expected, x.dtype))
    logits = S.concat([true_logits, sampled_logits], 1)
    out_labels = S.concat([C.scalar_mul(1.0 / num_true, _ones(true_logits)),
                           _zeros(sampled_logits)], 1)
    return logits, out_labels


def _sum_last(t):
    from . import reduction as R
    return R.reduce_sum(t, -1)


def _ones(t):
    from . import creation
    return creation.ones_like(t)


def _zeros(t):
    from . import creation
    return creation.zeros_like(t)


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, name="nce_loss"):
    """Noise-contrastive estimation loss per example (``[batch]``): logistic regression of
    the true classes against ``num_sampled`` classes drawn by the log-uniform sampler (or
    ``sampled_values``), corrected by their expected counts."""
    from . import nn
    logits, labels_ = _sampled_logits("nn.nce_loss", weights, biases, labels, inputs,
                                      num_sampled, num_classes, num_true, sampled_values,
                                      True, remove_accidental_hits, None)
    return _sum_last(nn.sigmoid_cross_entropy_with_logits(labels=labels_, logits=logits))


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes,
                         num_true=1, sampled_values=None, remove_accidental_hits=True,
                         seed=None, name="sampled_softmax_loss"):
    """Softmax cross-entropy per example (``[batch]``) over the true classes and
    ``num_sampled`` sampled ones - a cheap stand-in for the full softmax when training
    over many classes; sampled copies of a true class are masked out by default."""
    from . import nn, shape as S
    logits, labels_ = _sampled_logits("nn.sampled_softmax_loss", weights, biases, labels,
                                      inputs, num_sampled, num_classes, num_true,
                                      sampled_values, True, remove_accidental_hits, seed)
    return nn.softmax_cross_entropy_with_logits(labels=S.stop_gradient(labels_),
                                                logits=logits)


for _fn in (log_uniform_candidate_sampler, uniform_candidate_sampler,
            fixed_unigram_candidate_sampler, all_candidate_sampler):
    _fn.__module__ = "tensorshell"
    NAMESPACES["random"][_fn.__name__] = _fn
    NAMESPACES["nn"][_fn.__name__] = _fn
for _fn in (compute_accidental_hits, nce_loss, sampled_softmax_loss):
    _fn.__module__ = "tensorshell"
    NAMESPACES["nn"][_fn.__name__] = _fn
