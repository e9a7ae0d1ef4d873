"""Philox-4x32-10 and TensorFlow's distributions on it, bit for bit: the stateless random
ops (``ts.random.stateless_uniform`` ...) give the values TensorFlow gives for the same
seed, shape and dtype.

Philox (Salmon et al., SC'11) turns a 128-bit counter and a 64-bit key into four 32-bit
words in ten rounds; TensorFlow derives the key and starting counter from the two-int seed
by one scrambling call (``GenerateKey`` in its stateless kernels), fills outputs from
successive counters, and maps words to floats by their mantissa bits
(``Uint32ToFloat``) and to normals by Box-Muller. Vectorised over all counters at once
in NumPy (uint64 products give the 32x32 -> 64-bit multiplies).
"""

from __future__ import annotations

import numpy as np

from .. import speedups

_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = 0x9E3779B9, 0xBB67AE85
_LOW = np.uint64(0xFFFFFFFF)
_32 = np.uint64(32)
# TensorFlow's fixed key for scrambling a seed into a key and counter
_SEED_KEY = (0x3EC8F720, 0x02461E29)
# Variable-rate distributions (truncated normal) reserve this many words per output
RESERVED_WORDS_PER_SAMPLE = 256


def rounds(counter, key):
    """Philox-4x32-10 of the counters ``counter`` (four uint32 arrays) under ``key``
    (two Python ints): four uint32 arrays."""
    c0, c1, c2, c3 = (np.asarray(c, np.uint32) for c in counter)
    k0, k1 = int(key[0]) & 0xFFFFFFFF, int(key[1]) & 0xFFFFFFFF
    for r in range(10):
        p0 = _M0 * c0.astype(np.uint64)
        p1 = _M1 * c2.astype(np.uint64)
        c0, c1, c2, c3 = ((p1 >> _32).astype(np.uint32) ^ c1 ^ np.uint32(k0),
                          (p1 & _LOW).astype(np.uint32),
                          (p0 >> _32).astype(np.uint32) ^ c3 ^ np.uint32(k1),
                          (p0 & _LOW).astype(np.uint32))
        if r < 9:
            k0, k1 = (k0 + _W0) & 0xFFFFFFFF, (k1 + _W1) & 0xFFFFFFFF
    return c0, c1, c2, c3


def key_counter(seed0: int, seed1: int):
    """TensorFlow's key and starting counter for the seed ``[seed0, seed1]``."""
    s0, s1 = seed0 & 0xFFFF_FFFF_FFFF_FFFF, seed1 & 0xFFFF_FFFF_FFFF_FFFF
    mix = rounds([s0 & 0xFFFFFFFF, s0 >> 32, s1 & 0xFFFFFFFF, s1 >> 32], _SEED_KEY)
    return (int(mix[0]), int(mix[1])), (0, 0, int(mix[2]), int(mix[3]))


def philox_blocks_reference(offsets: np.ndarray, low: int, high: int, key0: int,
                            key1: int) -> np.ndarray:
    """Philox at the 128-bit counter (low, high) + each uint64 offset, carry included:
    four uint32 words per offset. (The C version in engine/_speedups.c, ~50x faster, is
    used when built; this is its definition.)"""
    new_low = np.uint64(low) + offsets
    new_high = np.uint64(high) + (new_low < np.uint64(low)).astype(np.uint64)
    words = rounds([new_low & _LOW, new_low >> _32, new_high & _LOW, new_high >> _32],
                   (key0, key1))
    return np.stack(words, axis=-1)


def _philox_blocks(offsets, low, high, key0, key1) -> np.ndarray:
    raw = _philox_c(np.ascontiguousarray(offsets, np.uint64), low, high, key0, key1)
    return raw if isinstance(raw, np.ndarray) else \
        np.frombuffer(raw, np.uint32).reshape(-1, 4)


def blocks(first: np.ndarray, key, counter) -> np.ndarray:
    """The Philox outputs at ``counter + first`` (an array of block offsets), shaped
    ``first.shape + (4,)``."""
    offsets = np.asarray(first, np.uint64)
    words = _philox_blocks(offsets.reshape(-1), counter[0] | (counter[1] << 32),
                           counter[2] | (counter[3] << 32), int(key[0]) & 0xFFFFFFFF,
                           int(key[1]) & 0xFFFFFFFF)
    return words.reshape(offsets.shape + (4,))


_philox_c = speedups.fast(philox_blocks_reference)


def stream(n_words: int, key, counter) -> np.ndarray:
    """The first ``n_words`` 32-bit words of the stream, in order."""
    n_blocks = (n_words + 3) // 4
    return blocks(np.arange(n_blocks), key, counter).reshape(-1)[:n_words]



def shuffle_permutation_reference(words: np.ndarray, n: int) -> np.ndarray:
    """TensorFlow's RandomShuffle order of ``range(n)``: a forward Fisher-Yates pass where
    step i swaps i with ``i + words[i] % (n - i)`` (``words``: its n - 1 uint32 Philox words).
    (The C version in engine/_speedups.c is used when built; this is its definition.)"""
    perm = list(range(n))
    targets = (np.arange(n - 1) + words[:max(n - 1, 0)] % np.arange(n, 1, -1)).tolist() \
        if n > 1 else []
    for i, j in enumerate(targets):
        perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, np.int64)


_shuffle_c = speedups.fast(shuffle_permutation_reference)


def shuffle_permutation(n: int, key, counter) -> np.ndarray:
    """The order TensorFlow's RandomShuffle puts ``n`` rows in, reading the stream at
    ``counter`` (it reserves (n + 3) // 4 blocks per call)."""
    words = np.ascontiguousarray(stream(max(n - 1, 0), key, counter), np.uint32)
    raw = _shuffle_c(words, n)
    return raw if isinstance(raw, np.ndarray) else np.frombuffer(raw, np.int64)

# -- words to values (TensorFlow's random_distributions.h) ---------------------------------------

def to_float32(x: np.ndarray) -> np.ndarray:
    """[0, 1) from the low 23 bits: 1.mantissa - 1."""
    return ((x & np.uint32(0x7FFFFF)) | np.uint32(127 << 23)).view(np.float32) - np.float32(1)


def to_float64(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """[0, 1) from 52 bits: 20 of ``hi`` and all of ``lo``."""
    man = ((hi & np.uint32(0xFFFFF)).astype(np.uint64) << _32) | lo.astype(np.uint64)
    return (man | (np.uint64(1023) << np.uint64(52))).view(np.float64) - 1.0


def to_float16(x: np.ndarray) -> np.ndarray:
    """[0, 1) from the low 10 bits."""
    return (((x & np.uint32(0x3FF)) | np.uint32(15 << 10)).astype(np.uint16)
            .view(np.float16) - np.float16(1))


def uniform(n: int, np_dtype, key, counter) -> np.ndarray:
    """``n`` samples from [0, 1) of a float dtype."""
    if np_dtype == np.float64:
        words = stream(2 * n, key, counter)
        return to_float64(words[0::2], words[1::2])
    words = stream(n, key, counter)
    return to_float16(words) if np_dtype == np.float16 else to_float32(words)


def _pairs64(words: np.ndarray) -> np.ndarray:
    """64-bit values from word pairs, low word first."""
    return words[0::2].astype(np.uint64) | (words[1::2].astype(np.uint64) << _32)


def full_int(n: int, np_dtype, key, counter) -> np.ndarray:
    """``n`` integers over the dtype's whole range."""
    if np.dtype(np_dtype).itemsize == 8:
        return _pairs64(stream(2 * n, key, counter)).view(np_dtype)
    return stream(n, key, counter).astype(np_dtype)  # wraps, as a C cast does


def ranged_int(n: int, np_dtype, lo: int, hi: int, key, counter) -> np.ndarray:
    """``n`` integers in [lo, hi): lo + bits % (hi - lo), as TensorFlow (slightly biased
    for ranges that do not divide 2**32, as there)."""
    span = np.uint64(hi - lo)
    if np.dtype(np_dtype).itemsize == 8:
        bits = _pairs64(stream(2 * n, key, counter))
    else:
        bits = stream(n, key, counter).astype(np.uint64)
        span = np.uint64((hi - lo) & 0xFFFFFFFF)
    return (np.int64(lo) + (bits % span).astype(np.int64)).astype(np_dtype)


def _box_muller32(x0, x1):
    u1 = np.maximum(to_float32(x0), np.float32(1e-7))
    v1 = np.float32(2 * np.pi) * to_float32(x1)
    u2 = np.sqrt(np.float32(-2) * np.log(u1))
    return np.sin(v1) * u2, np.cos(v1) * u2


def _box_muller64(x0, x1, x2, x3):
    u1 = np.maximum(to_float64(x0, x1), 1e-7)
    v1 = 2 * np.pi * to_float64(x2, x3)
    u2 = np.sqrt(-2 * np.log(u1))
    return np.sin(v1) * u2, np.cos(v1) * u2


def normal(n: int, np_dtype, key, counter) -> np.ndarray:
    """``n`` standard normal samples (float16 is made from float32 ones, as there)."""
    pairs = (n + 1) // 2
    out = np.empty(2 * pairs, np.float64 if np_dtype == np.float64 else np.float32)
    if np_dtype == np.float64:
        w = stream(4 * pairs, key, counter)
        out[0::2], out[1::2] = _box_muller64(w[0::4], w[1::4], w[2::4], w[3::4])
    else:
        w = stream(2 * pairs, key, counter)
        out[0::2], out[1::2] = _box_muller32(w[0::2], w[1::2])
    return out[:n].astype(np_dtype)


def truncated_normal(n: int, np_dtype, key, counter) -> np.ndarray:
    """``n`` standard normals cut at +-2. Output group g (4 samples; 2 for float64) reads
    words from counter + 64 * group_size * g on (TensorFlow reserves 256 words per
    sample), keeping the samples with |z| < 2 in order."""
    wide = np_dtype == np.float64
    group = 2 if wide else 4
    n_groups = (n + group - 1) // group
    if n_groups == 0:
        return np.zeros(0, np_dtype)
    starts = np.arange(n_groups, dtype=np.uint64) * np.uint64(RESERVED_WORDS_PER_SAMPLE
                                                              * group // 4)

    def draws(rows, block):
        words = blocks(starts[rows] + np.uint64(block), key, counter)
        if wide:
            z0, z1 = _box_muller64(words[:, 0::4], words[:, 1::4], words[:, 2::4],
                                   words[:, 3::4])
        else:
            z0, z1 = _box_muller32(words[:, 0::2], words[:, 1::2])
        return np.stack([z0, z1], axis=-1).reshape(words.shape[0], -1)

    # pass after pass, every group still short of samples reads its next block (4
    # candidates for a float32 group of 4: ~83% are done after the first pass, where a
    # group whose candidates all fall inside is copied whole, without any bookkeeping)
    out = np.empty((n_groups, group), np.float64 if wide else np.float32)
    count = np.zeros(n_groups, np.int64)
    z = draws(slice(None), 0)
    keep = np.abs(z) < 2
    done = keep.all(axis=1)
    out[done] = z[done]
    count[done] = group
    pending = np.flatnonzero(~done)
    if pending.size:                          # the rest keep what they can of this pass
        z, keep = z[pending], keep[pending]
        rank = np.cumsum(keep, axis=1, dtype=np.int8)
        rows, cols = np.nonzero(keep)
        out[pending[rows], rank[rows, cols] - 1] = z[rows, cols]
        count[pending] = rank[:, -1]
        pending = pending[count[pending] < group]
    step = 1
    while pending.size:
        z = draws(pending, step)
        keep = np.abs(z) < 2
        rank = np.cumsum(keep, axis=1, dtype=np.int8)  # 4 candidates a pass
        take = keep & (rank <= (group - count[pending])[:, None])
        taken = take.sum(axis=1)
        whole = (count[pending] == 0) & (taken == group)  # nearly every group, first pass
        out[pending[whole]] = z[whole][take[whole]].reshape(-1, group)
        rows, cols = np.nonzero(take & ~whole[:, None])
        out[pending[rows], count[pending[rows]] + rank[rows, cols] - 1] = z[rows, cols]
        count[pending] += taken
        pending = pending[count[pending] < group]
        step += 1
    return out.reshape(-1)[:n].astype(np_dtype)


class _Lockstep:
    """Per-output Philox streams read in lockstep, for TensorFlow's rejection samplers:
    output ``i`` reads blocks from ``first[i]`` on, and keeps the unused half of its last
    uniform (or normal) pair for its next draw, as TensorFlow's UNIFORM/NORMAL macros do."""

    def __init__(self, first: np.ndarray, key, counter):
        self.first, self.key, self.counter = first, key, counter
        count = first.size
        self.used = np.zeros(count, np.uint64)               # blocks read so far
        self.pairs = {kind: (np.zeros((count, 2)), np.zeros(count, np.int64))
                      for kind in ("uniform", "normal")}

    def block(self, rows):
        words = blocks(self.first[rows] + self.used[rows], self.key, self.counter)
        self.used[rows] += np.uint64(1)
        return words

    def _next(self, kind, rows, make):
        values, left = self.pairs[kind]
        refill = rows[left[rows] == 0]
        if refill.size:
            values[refill] = np.stack(make(self.block(refill)), axis=1)
            left[refill] = 2
        left[rows] -= 1
        return values[rows, left[rows]]

    def uniform(self, rows):
        """The next uniform double in [0, 1) of each of ``rows``."""
        return self._next("uniform", rows, lambda w: (to_float64(w[:, 0], w[:, 1]),
                                                      to_float64(w[:, 2], w[:, 3])))

    def normal(self, rows):
        """The next standard normal double of each of ``rows``."""
        return self._next("normal", rows,
                          lambda w: _box_muller64(w[:, 0], w[:, 1], w[:, 2], w[:, 3]))


def gamma(alphas: np.ndarray, samples_per_alpha: int, key, counter) -> np.ndarray:
    """TensorFlow's RandomGamma: ``[samples_per_alpha, len(alphas)]`` Gamma(alpha, 1) draws
    (float64). Output ``i`` (alpha-major) reads its own stream at block ``256 * i`` on:
    alpha 1 is exponential (-log1p(-u)); otherwise Marsaglia and Tsang's squeeze and
    rejection from normal/uniform pairs, with alpha < 1 boosted by one and scaled by
    u^(1/alpha). Every sample runs the rejection loop in lockstep with the others."""
    alphas = np.asarray(alphas, np.float64).reshape(-1)
    count = alphas.size * samples_per_alpha
    out = np.zeros(count)
    if count == 0:
        return out.reshape(samples_per_alpha, alphas.size)
    alpha = np.repeat(alphas, samples_per_alpha)              # output i: alpha i // n
    streams = _Lockstep(np.arange(count, dtype=np.uint64) * np.uint64(256), key, counter)
    uniform_of = streams.uniform

    exponential = np.flatnonzero(alpha == 1.0)
    if exponential.size:
        out[exponential] = -np.log1p(-uniform_of(exponential))
    small = alpha < 1
    d = alpha + np.where(small, 2.0 / 3, -1.0 / 3)
    c = 1.0 / 3 / np.sqrt(d)
    pending = np.flatnonzero(alpha != 1.0)
    while pending.size:
        x = streams.normal(pending)
        v = 1 + c[pending] * x
        ok = v > 0                         # the others try again with their next normal
        rows, x, v = pending[ok], x[ok], v[ok] ** 3
        u = uniform_of(rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            accept = (u < 1 - 0.0331 * (x * x) * (x * x)) | \
                (np.log(u) < 0.5 * x * x + d[rows] * (1 - v + np.log(v)))
        done = rows[accept]
        result = d[done] * v[accept]
        boost = done[small[done]]
        if boost.size:
            b = uniform_of(boost)
            result[small[done]] *= b ** (1 / alpha[boost])
        out[done] = result
        finished = np.zeros(count, bool)
        finished[done] = True
        pending = pending[~finished[pending]]
    # output i = (alpha a, sample s) is stored at [s, a]
    return out.reshape(alphas.size, samples_per_alpha).T


def poisson(rates: np.ndarray, samples_per_rate: int, key, counter) -> np.ndarray:
    """TensorFlow's RandomPoisson: ``[samples_per_rate, len(rates)]`` Poisson counts (as
    float64). Output ``i`` (rate-major) reads its own stream at block ``256 * i`` on:
    Knuth's product of uniforms below rate 10, Hormann's transformed rejection (PTRS) from
    there, all samples in lockstep."""
    from math import lgamma
    rates = np.asarray(rates, np.float64).reshape(-1)
    count = rates.size * samples_per_rate
    out = np.zeros(count)
    if count == 0:
        return out.reshape(samples_per_rate, rates.size)
    rate = np.repeat(rates, samples_per_rate)
    uniform_of = _Lockstep(np.arange(count, dtype=np.uint64) * np.uint64(256), key,
                           counter).uniform

    out[np.isinf(rate) & (rate > 0)] = np.inf
    # Knuth: the number of uniforms multiplied before the product falls to exp(-rate)
    pending = np.flatnonzero(rate < 10)
    product, k = np.ones(count), np.zeros(count)
    limit = np.exp(-rate)
    while pending.size:
        product[pending] *= uniform_of(pending)
        done = product[pending] <= limit[pending]
        out[pending[done]] = k[pending[done]]
        k[pending[~done]] += 1
        pending = pending[~done]
    # Hormann's PTRS
    pending = np.flatnonzero((rate >= 10) & np.isfinite(rate))
    b = 0.931 + 2.53 * np.sqrt(rate)
    a = -0.059 + 0.02483 * b
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
        v_r = 0.9277 - 3.6224 / (b - 2)
        log_rate = np.log(rate)
    while pending.size:
        u = uniform_of(pending) - 0.5
        v = uniform_of(pending)
        shifted = 0.5 - np.abs(u)
        r_a, r_b, r = a[pending], b[pending], rate[pending]
        with np.errstate(divide="ignore", invalid="ignore"):
            kk = np.floor((2 * r_a / shifted + r_b) * u + r + 0.43)
        accept = (kk >= 0) & (shifted >= 0.07) & (v <= v_r[pending])
        test = (kk >= 0) & ~accept & ~((shifted < 0.013) & (v > shifted))
        rows = np.flatnonzero(test)
        if rows.size:
            with np.errstate(divide="ignore", invalid="ignore"):
                s = np.log(v[rows] * inv_alpha[pending[rows]] /
                           (r_a[rows] / (shifted[rows] * shifted[rows]) + r_b[rows]))
            t = -r[rows] + kk[rows] * log_rate[pending[rows]] - np.array(
                [lgamma(x + 1) for x in kk[rows]])
            accept[rows[s <= t]] = True
        out[pending[accept]] = kk[accept]
        pending = pending[~accept]
    return out.reshape(rates.size, samples_per_rate).T


_STIRLING_TAIL = np.array([0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                           0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                           0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                           0.00833056343336287])


def _stirling_tail(k: np.ndarray) -> np.ndarray:
    """log(k!) minus its Stirling approximation (a table up to 9, the series above)."""
    kp1sq = (k + 1) * (k + 1)
    series = (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)
    return np.where(k <= 9, _STIRLING_TAIL[np.clip(k, 0, 9).astype(np.int64)], series)


def binomial(counts: np.ndarray, probs: np.ndarray, samples_per_batch: int, key,
             counter) -> np.ndarray:
    """TensorFlow's RandomBinomial: ``[samples_per_batch, len(counts)]`` draws (float64)
    for the flat, broadcast ``counts`` and ``probs`` (in the op's parameter dtype, whose
    arithmetic picks the method). Output ``i`` (batch-major) reads its stream at block
    ``42 * i`` (inversion: the sum of geometric draws, when count x min(p, 1 - p) < 10) or
    ``256 * i`` (Hormann's BTRS rejection) on, for min(p, 1 - p); p > 0.5 is drawn as
    count minus a draw with 1 - p."""
    counts, probs = np.asarray(counts).reshape(-1), np.asarray(probs).reshape(-1)
    batches = counts.size
    total = batches * samples_per_batch
    out = np.zeros(total)
    if total == 0:
        return out.reshape(samples_per_batch, batches)
    one = probs.dtype.type(1)
    flip = probs > 0.5
    p_t = np.where(flip, one - probs, probs)                  # in the parameter dtype
    inversion_t = counts * p_t < 10
    count = np.repeat(counts.astype(np.float64), samples_per_batch)
    p = np.repeat(p_t.astype(np.float64), samples_per_batch)
    inversion = np.repeat(inversion_t, samples_per_batch)
    trivial = (count <= 0) | (np.repeat(probs, samples_per_batch) <= 0) | \
        (np.repeat(probs, samples_per_batch) >= 1) | np.isnan(p)
    index = np.arange(total, dtype=np.uint64)
    streams = _Lockstep(index * np.where(inversion, np.uint64(42), np.uint64(256)),
                        key, counter)
    draws = np.zeros(total)
    # inversion: count geometric(p) draws until their sum passes count
    pending = np.flatnonzero(inversion & ~trivial)
    geom_sum = np.zeros(total)
    with np.errstate(divide="ignore"):
        log_q = np.log1p(-p)
    while pending.size:
        with np.errstate(divide="ignore"):
            geom_sum[pending] += np.ceil(np.log(streams.uniform(pending)) / log_q[pending])
        over = geom_sum[pending] > count[pending]
        draws[pending[~over]] += 1
        pending = pending[~over]
    # BTRS
    pending = np.flatnonzero(~inversion & ~trivial)
    if pending.size:
        n_, p_ = count[pending], p[pending]
        stddev = np.sqrt(n_ * p_ * (1 - p_))
        b = 1.15 + 2.53 * stddev
        a = -0.0873 + 0.0248 * b + 0.01 * p_
        c = n_ * p_ + 0.5
        v_r = 0.92 - 4.2 / b
        r = p_ / (1 - p_)
        alpha = (2.83 + 5.1 / b) * stddev
        m = np.floor((n_ + 1) * p_)
        params = np.stack([n_, p_, b, a, c, v_r, r, alpha, m], axis=1)
        slot = np.full(total, -1)
        slot[pending] = np.arange(pending.size)
    while pending.size:
        n_, p_, b, a, c, v_r, r, alpha, m = params[slot[pending]].T
        u = streams.uniform(pending)
        v = streams.uniform(pending)
        u = u - 0.5
        us = 0.5 - np.abs(u)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.floor((2 * a / us + b) * u + c)
        accept = (us >= 0.07) & (v <= v_r)
        test = ~accept & (k >= 0) & (k <= n_)
        if test.any():
            t = test
            with np.errstate(divide="ignore", invalid="ignore"):
                lv = np.log(v[t] * alpha[t] / (a[t] / (us[t] * us[t]) + b[t]))
                bound = ((m[t] + 0.5) * np.log((m[t] + 1) / (r[t] * (n_[t] - m[t] + 1))) +
                         (n_[t] + 1) * np.log((n_[t] - m[t] + 1) / (n_[t] - k[t] + 1)) +
                         (k[t] + 0.5) * np.log(r[t] * (n_[t] - k[t] + 1) / (k[t] + 1)) +
                         _stirling_tail(m[t]) + _stirling_tail(n_[t] - m[t]) -
                         _stirling_tail(k[t]) - _stirling_tail(n_[t] - k[t]))
            accept[np.flatnonzero(t)[lv <= bound]] = True
        draws[pending[accept]] = k[accept]
        pending = pending[~accept]
    flip = np.repeat(flip, samples_per_batch)
    out = np.where(flip, count - draws, draws)
    prob = np.repeat(probs.astype(np.float64), samples_per_batch)
    out[(count <= 0) | (prob <= 0)] = 0
    out[(count > 0) & (prob >= 1)] = count[(count > 0) & (prob >= 1)]
    out[np.isnan(prob) & (count > 0)] = np.nan
    return out.reshape(batches, samples_per_batch).T
