"""Random tensors (``ts.random``) with TensorFlow's seeding model, and its values.

``set_seed(g)`` makes every later sequence of random ops reproducible; an op-level
``seed`` makes that op's own sequence reproducible. As in TensorFlow's eager mode, each op
call gets the seed pair (global seed, op seed) - the op seed drawn from a Python
``random.Random(g)`` when not given (87654321 stands in for a missing global seed) - and
runs Philox at that pair, where an op with a fixed seed pair continues its stream from
call to call (256 blocks per sample, as TensorFlow's kernels mostly reserve). Every op
here therefore gives TensorFlow's numbers for the same seeds: normal, uniform and
truncated_normal, TensorFlow's rejection samplers (gamma, poisson, binomial), shuffle's
permutation and categorical's inverse-CDF search, stateful and stateless alike.
"""

from __future__ import annotations

import enum
import random as _pyrandom

import numpy as np

from .. import dtypes
from ..dtypes import float32
from ..errors import invalid
from .creation import _shape
from ..devices import current
from . import philox
from .registry import NAMESPACES, as_tensor, op, out

_MAXINT32 = 2**31 - 1
_DEFAULT_GRAPH_SEED = 87654321


class _Seeds:
    def __init__(self):
        self.global_seed = None
        self.op_rng = _pyrandom.Random(None)  # TensorFlow's context rng for op seeds
        self.streams: dict[tuple, int] = {}   # (op, seed pair, dtype) -> blocks used


def _u64(seed: int) -> int:
    """Any Python int as a seed NumPy takes (it refuses negatives; TensorFlow does not)."""
    return int(seed) & 0xFFFF_FFFF_FFFF_FFFF


_seeds = _Seeds()


def set_seed(seed):
    """Make random ops reproducible: the same seed gives the same sequence of values -
    TensorFlow's sequence for that seed."""
    _seeds.global_seed = None if seed is None else int(seed)
    _seeds.op_rng = _pyrandom.Random(_seeds.global_seed)
    _seeds.streams.clear()


def get_global_generator_seed():
    return _seeds.global_seed


def op_seeds(seed):
    """The (seed, seed2) pair TensorFlow gives an op with op-level ``seed``; None when
    neither seed is set (the op is then seeded at random)."""
    g = _seeds.global_seed
    if g is not None:
        if seed is None:
            seed = _seeds.op_rng.randint(0, _MAXINT32)
        pair = (g % _MAXINT32, int(seed) % _MAXINT32)
    elif seed is not None:
        pair = (_DEFAULT_GRAPH_SEED, int(seed) % _MAXINT32)
    else:
        return None
    return (0, _MAXINT32) if pair == (0, 0) else pair


def _stream(op_name: str, seed, dtype, n: int, blocks: int | None = None):
    """The Philox key and counter this call of ``op_name`` reads its ``n`` samples at (and
    the op's stream moves on by 256 blocks per sample, or by ``blocks``)."""
    pair = op_seeds(seed)
    if pair is None:
        s1, s2 = (int(w) for w in np.random.SeedSequence().generate_state(2, np.uint64))
        offset = 0
    else:
        s1, s2 = pair
        slot = (op_name, s1, s2, dtype.name)
        offset = _seeds.streams.get(slot, 0)
        _seeds.streams[slot] = offset + (256 * n if blocks is None else blocks)
    key = (s1 & 0xFFFFFFFF, s1 >> 32)
    counter = (offset & 0xFFFFFFFF, (offset >> 32) & 0xFFFFFFFF, s2 & 0xFFFFFFFF, s2 >> 32)
    return key, counter


def _place(arr):
    return current().backend.from_numpy(arr)


def _normal_args(op_name, shape, mean, stddev, dtype):
    """(dtype, dims, mean, stddev) of a normal distribution's arguments, checked."""
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise invalid(op_name, f"dtype must be floating-point, got {d.name}", kind="dtype")
    dims = _shape(shape, op_name)
    return (d, dims, as_tensor(mean, op_name, "mean", d).numpy(),
            as_tensor(stddev, op_name, "stddev", d).numpy())


@op("normal", exports=("random",), differentiable=False)
def normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None):
    """Samples from a normal distribution (float32 by default)."""
    d, dims, m, s = _normal_args("random.normal", shape, mean, stddev, dtype)
    n = int(np.prod(dims, dtype=np.int64))
    return _normal_values(philox.normal, d, dims, m, s, *_stream("normal", seed, d, n))


@op("uniform", exports=("random",), differentiable=False)
def uniform(shape, minval=0, maxval=None, dtype=float32, seed=None, name=None):
    """Samples from [minval, maxval): floats default to [0, 1); integers need ``maxval``."""
    d = dtypes.as_dtype(dtype)
    dims = _shape(shape, "random.uniform")
    if d.is_integer and maxval is None:
        raise invalid("random.uniform", f"Must specify maxval for integer dtype {d.name}")
    n = int(np.prod(dims, dtype=np.int64))
    return _uniform_values("random.uniform", d, dims, minval, maxval,
                           *_stream("uniform_int" if d.is_integer else "uniform", seed, d, n))


@op("truncated_normal", exports=("random",), differentiable=False)
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None):
    """Samples from a normal distribution cut at two standard deviations: values further
    out are drawn again, as TensorFlow does (the usual weight initialisation)."""
    d, dims, m, s = _normal_args("random.truncated_normal", shape, mean, stddev, dtype)
    n = int(np.prod(dims, dtype=np.int64))
    return _normal_values(philox.truncated_normal, d, dims, m, s,
                          *_stream("truncated_normal", seed, d, n))


@op("shuffle", exports=("random",), differentiable=False)
def shuffle(value, seed=None, name=None):
    """``value`` with its slices along the first dimension in a random order."""
    t = as_tensor(value, "random.shuffle", "value")
    n = t.shape[0] if t.ndim else 1
    # TensorFlow's RandomShuffle reserves the n - 1 words it reads - none when there is
    # nothing to shuffle (it still takes an op seed)
    trivial = n <= 1 or int(np.prod(t.shape, dtype=np.int64)) <= 1
    key, counter = _stream("shuffle", seed, t.dtype, 0, 0 if trivial else (n + 2) // 4)
    if trivial:
        return out(t._data, t.dtype)
    perm = philox.shuffle_permutation(n, key, counter)
    backend = t._device.backend
    return out(t._data[perm if not backend.is_gpu else backend.from_numpy(perm)], t.dtype)


@op("categorical", exports=("random",), differentiable=False)
def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``num_samples`` class indices per row of ``logits`` (shape [batch, classes]), drawn
    with probabilities ``softmax(logits)``; int64 unless ``dtype`` says int32."""
    lg = as_tensor(logits, "random.categorical", "logits")
    if not lg.dtype.is_floating:
        raise invalid("random.categorical", f"logits must be floating-point, got "
                      f"{lg.dtype.name}", kind="dtype")
    if lg.ndim != 2:
        raise invalid("random.categorical", f"logits must be 2-D [batch, classes], got shape "
                      f"{list(lg.shape)}", kind="shape")
    d = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    if d not in (dtypes.int32, dtypes.int64):
        raise invalid("random.categorical", f"dtype must be int32 or int64, got {d.name}")
    n = int(num_samples)
    if n < 0:
        raise invalid("random.categorical", f"num_samples must be >= 0, got {n}")
    if lg.shape[1] == 0:
        raise invalid("random.categorical", "logits must have at least one class",
                      kind="shape")
    # TensorFlow's Multinomial reserves 2 x (samples rounded up to 4) x 256 blocks per row
    key, counter = _stream("multinomial/" + lg.dtype.name, seed, d,
                           lg.shape[0] * 2 * ((n + 3) // 4 * 4))
    return _categorical_values(lg, n, d, key, counter)


# -- gamma, Poisson and binomial draws -----------------------------------------------------------
# TensorFlow's values: its rejection samplers (philox.gamma/poisson/binomial), each output on
# its own Philox stream, seeded through the same seed sequence (stateful) or pair (stateless).

def _param(value, op_name, label, d):
    return np.asarray(as_tensor(value, op_name, label, d).numpy(), np.float64)


@op("gamma", exports=("random",), differentiable=False)
def gamma(shape, alpha, beta=None, dtype=float32, seed=None, name=None):
    """Gamma(alpha, rate beta) samples, shape ``shape + broadcast(alpha, beta).shape``:
    TensorFlow's values for the same seeds (its RandomGamma kernel, divided by beta)."""
    name_ = "random.gamma"
    d = _float_dtype(name_, dtype)
    a = _param(alpha, name_, "alpha", d)
    b = None if beta is None else _param(beta, name_, "beta", d)
    dims = _shape(shape, name_)
    if (a <= 0).any() or (b is not None and (b <= 0).any()):
        raise invalid(name_, "alpha and beta must be positive")
    params = a.shape if b is None else np.broadcast_shapes(a.shape, b.shape)
    alphas = np.broadcast_to(a, params).reshape(-1)
    n = int(np.prod(dims, dtype=np.int64))
    key, counter = _stream("gamma", seed, d, n * alphas.size)
    draws = philox.gamma(alphas, n, key, counter).astype(d._np).reshape(tuple(dims) + params)
    scale = np.ones((), d._np) if b is None else np.broadcast_to(b, params).astype(d._np)
    draws = np.maximum(np.finfo(d._np).tiny, draws / scale)  # TensorFlow's, in the dtype
    return out(_place(draws), d)


@op("poisson", exports=("random",), differentiable=False)
def poisson(shape, lam, dtype=float32, seed=None, name=None):
    """Poisson(lam) counts (in ``dtype``, float32 by default), shape ``shape + lam.shape``."""
    d = _count_dtype(dtype, "random.poisson")
    rate = _param(lam, "random.poisson", "lam", None)
    if not (rate >= 0).all():
        raise invalid("random.poisson", "lam must be non-negative")
    dims = _shape(shape, "random.poisson")
    n = int(np.prod(dims, dtype=np.int64))
    key, counter = _stream("poisson", seed, d, n * rate.size)
    draws = philox.poisson(rate.reshape(-1), n, key, counter)
    return out(_place(draws.astype(d._np).reshape(tuple(dims) + rate.shape)), d)


@op("stateless_gamma", exports=("random",), differentiable=False)
def stateless_gamma(shape, seed, alpha, beta=None, dtype=float32, name=None):
    """Gamma(alpha, rate beta) samples of ``shape`` (which ends with the broadcast shape of
    alpha and beta), fixed by ``seed`` (two ints): TensorFlow's values."""
    name_ = "random.stateless_gamma"
    d = _float_dtype(name_, dtype)
    a = _param(alpha, name_, "alpha", d)
    b = _param(1 if beta is None else beta, name_, "beta", d)
    dims = tuple(_shape(shape, name_))
    if (a <= 0).any() or (b <= 0).any():
        raise invalid(name_, "alpha and beta must be positive")
    params = _batch_shape(name_, dims, a, b)
    alphas = np.broadcast_to(a, params).reshape(-1)
    per_alpha = int(np.prod(dims, dtype=np.int64)) // max(alphas.size, 1)
    key, counter = _key_counter(seed, name_, None)
    draws = philox.gamma(alphas, per_alpha, key, counter).astype(d._np).reshape(dims)
    draws = np.maximum(np.finfo(d._np).tiny, draws / np.broadcast_to(b, params).astype(d._np))
    return out(_place(draws), d)


def _count_dtype(dtype, op_name):
    d = dtypes.as_dtype(dtype)
    if not (d.is_floating or d in (dtypes.int32, dtypes.int64)):
        raise invalid(op_name, f"dtype must be floating-point, int32 or int64, got {d.name}",
                      kind="dtype")
    return d


def _batch_shape(op_name, dims, *params):
    """The broadcast shape of ``params``, which ``dims`` must end with (TensorFlow's rule
    for the stateless gamma, Poisson and binomial ops)."""
    try:
        batch = np.broadcast_shapes(*(q.shape for q in params))
    except ValueError:
        raise invalid(op_name, "the parameters' shapes do not broadcast: " +
                      " vs ".join(str(list(q.shape)) for q in params), kind="shape") from None
    if tuple(dims[len(dims) - len(batch):]) != batch or len(batch) > len(dims):
        raise invalid(op_name, f"shape {list(dims)} must end with the broadcast shape of "
                      f"the parameters, {list(batch)}", kind="shape")
    return batch


@op("stateless_poisson", exports=("random",), differentiable=False)
def stateless_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """Poisson(lam) counts of ``shape`` (which ends with lam's shape), fixed by ``seed``:
    TensorFlow's values."""
    name_ = "random.stateless_poisson"
    d = _count_dtype(dtype, name_)
    rate = _param(lam, name_, "lam", None)
    if not (rate >= 0).all():
        raise invalid(name_, "lam must be non-negative")
    dims = tuple(_shape(shape, name_))
    _batch_shape(name_, dims, rate)
    per_rate = int(np.prod(dims, dtype=np.int64)) // max(rate.size, 1)
    draws = philox.poisson(rate.reshape(-1), per_rate, *_key_counter(seed, name_, None))
    return out(_place(draws.astype(d._np).reshape(dims)), d)


def _binomial_params(op_name, counts, probs):
    """counts and probs as NumPy arrays of one floating dtype (probs' - float32 for Python
    numbers - as TensorFlow converts them), checked."""
    p = as_tensor(probs, op_name, "probs")
    if not p.dtype.is_floating:
        p = as_tensor(probs, op_name, "probs", float32)
    n = as_tensor(counts, op_name, "counts", p.dtype)
    n, p = n.numpy(), p.numpy()
    if not (np.isfinite(n).all() and (n >= 0).all()):
        raise invalid(op_name, "counts must be finite and >= 0")
    if not ((p >= 0) & (p <= 1)).all():
        raise invalid(op_name, "probs must be in [0, 1]")
    return n, p


def _binomial_values(op_name, dims, counts, probs, d, key, counter):
    batch = _batch_shape(op_name, dims, counts, probs)
    n, p = (np.broadcast_to(q, batch).reshape(-1) for q in (counts, probs))
    per_batch = int(np.prod(dims, dtype=np.int64)) // max(n.size, 1)
    draws = philox.binomial(n, p, per_batch, key, counter)
    return out(_place(draws.astype(d._np).reshape(dims)), d)


@op("stateless_binomial", exports=("random",), differentiable=False)
def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Binomial(counts, probs) draws of ``shape`` (which ends with the parameters' broadcast
    shape), fixed by ``seed``: TensorFlow's values."""
    name_ = "random.stateless_binomial"
    d = _count_dtype(output_dtype, name_)
    n, p = _binomial_params(name_, counts, probs)
    return _binomial_values(name_, tuple(_shape(shape, name_)), n, p, d,
                            *_key_counter(seed, name_, None))


class Algorithm(enum.Enum):
    """TensorFlow's random-algorithm ids (only Philox is implemented here)."""
    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def create_rng_state(seed, alg):
    """The Generator state TensorFlow makes from an int seed: three int64 words."""
    name = getattr(alg, "name", alg)
    if str(name).lower() not in ("philox", "auto_select", "1", "3"):
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, f"create_rng_state: only Philox is available "
                                 f"here, got alg={alg!r}")
    from ..tensor import constant
    seed = int(seed)
    words = [(seed >> (64 * i)) & 0xFFFF_FFFF_FFFF_FFFF for i in range(3)]
    return constant(np.array(words, np.uint64).view(np.int64))


NAMESPACES["random"].update(Algorithm=Algorithm, create_rng_state=create_rng_state)


# -- stateless random ops: TensorFlow's values, bit for bit (philox.py) ----------------------

def _key_counter(seed, op_name, alg):
    if alg not in (None, "auto_select", "philox", 1, 3) and \
            getattr(alg, "name", "").lower() not in ("philox", "auto_select"):
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, f"{op_name}: only the Philox algorithm is "
                                 f"available here, got alg={alg!r}")
    s = as_tensor(seed, op_name, "seed")
    if not s.dtype.is_integer or tuple(s.shape) != (2,):
        raise invalid(op_name, f"seed must be a shape [2] int32 or int64 tensor, got "
                      f"{s.dtype.name} of shape {list(s.shape)}", kind="shape")
    s0, s1 = (int(v) for v in s.numpy())
    return philox.key_counter(s0, s1)


def _float_dtype(op_name, dtype):
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise invalid(op_name, f"dtype must be floating-point, got {d.name}", kind="dtype")
    return d


def _uniform_values(name_, d, dims, minval, maxval, key, counter):
    """TensorFlow's uniform draw of ``dims`` from the Philox stream at ``key``/``counter``."""
    n = int(np.prod(dims, dtype=np.int64))
    if d.is_integer:
        if (minval is None) != (maxval is None):
            raise ValueError("For integer dtype {}, minval and maxval must be both `None` or "
                             "both non-`None`; got minval={!r} and maxval={!r}".format(
                                 d.name, minval, maxval))
        if maxval is None:
            if d not in (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64):
                raise invalid(name_, f"the whole-range draw takes int32, int64, uint32 or "
                              f"uint64, got {d.name}", kind="dtype")
            arr = philox.full_int(n, d._np, key, counter)
        else:
            if d not in (dtypes.int32, dtypes.int64):
                raise invalid(name_, f"a bounded integer draw takes int32 or int64, got "
                              f"{d.name}", kind="dtype")
            lo = int(as_tensor(minval, name_, "minval", d).numpy())
            hi = int(as_tensor(maxval, name_, "maxval", d).numpy())
            if lo >= hi:
                raise invalid(name_, f"Need minval < maxval: {lo} >= {hi}")
            arr = philox.ranged_int(n, d._np, lo, hi, key, counter)
        return out(_place(arr.reshape(dims)), d)
    if not d.is_floating:
        raise invalid(name_, f"dtype must be floating-point or integer, got {d.name}",
                      kind="dtype")
    lo = as_tensor(minval, name_, "minval", d).numpy()
    hi = as_tensor(1 if maxval is None else maxval, name_, "maxval", d).numpy()
    arr = philox.uniform(n, d._np, key, counter) * (hi - lo) + lo
    return out(_place(arr.astype(d._np).reshape(dims)), d)


def _normal_values(sampler, d, dims, m, s, key, counter):
    z = sampler(int(np.prod(dims, dtype=np.int64)), d._np, key, counter)
    return out(_place((z * s + m).astype(d._np).reshape(dims)), d)


@op("stateless_uniform", exports=("random",), differentiable=False)
def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=float32, name=None,
                      alg="auto_select"):
    """Samples from [minval, maxval) fixed by ``seed`` (two ints): the same seed gives the
    same values - TensorFlow's values. Integers need both bounds, or neither for the whole
    range of the dtype."""
    name_ = "random.stateless_uniform"
    d = dtypes.as_dtype(dtype)
    dims = _shape(shape, name_)
    key, counter = _key_counter(seed, name_, alg)
    return _uniform_values(name_, d, dims, minval, maxval, key, counter)


@op("stateless_normal", exports=("random",), differentiable=False)
def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=float32, name=None,
                     alg="auto_select"):
    """Normal samples fixed by ``seed`` (two ints) - TensorFlow's values."""
    name_ = "random.stateless_normal"
    d, dims, m, s = _normal_args(name_, shape, mean, stddev, dtype)
    return _normal_values(philox.normal, d, dims, m, s, *_key_counter(seed, name_, alg))


@op("stateless_truncated_normal", exports=("random",), differentiable=False)
def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=float32, name=None,
                               alg="auto_select"):
    """Normal samples within two standard deviations, fixed by ``seed`` - TensorFlow's
    values."""
    name_ = "random.stateless_truncated_normal"
    d, dims, m, s = _normal_args(name_, shape, mean, stddev, dtype)
    return _normal_values(philox.truncated_normal, d, dims, m, s,
                          *_key_counter(seed, name_, alg))


@op("stateless_categorical", exports=("random",), differentiable=False)
def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """``num_samples`` class indices per row of ``logits`` fixed by ``seed`` - TensorFlow's
    values (its CPU kernel: one cumulative sum per row, searched with uniform doubles)."""
    name_ = "random.stateless_categorical"
    lg = as_tensor(logits, name_, "logits")
    if not lg.dtype.is_floating or lg.ndim != 2:
        raise invalid(name_, f"logits must be a 2-D floating-point tensor, got "
                      f"{lg.dtype.name} of shape {list(lg.shape)}", kind="dtype")
    d = dtypes.as_dtype(dtype)
    if d not in (dtypes.int32, dtypes.int64):
        raise invalid(name_, f"dtype must be int32 or int64, got {d.name}", kind="dtype")
    return _categorical_values(lg, int(num_samples), d, *_key_counter(seed, name_, None))


def _categorical_values(lg, n, d, key, counter):
    """TensorFlow's Multinomial CPU kernel: one cumulative sum of exp(logit - max) per row
    (non-finite logits count 0), searched with a uniform double per sample."""
    x = np.asarray(lg.numpy(), dtype=np.float64)
    finite = np.isfinite(x)
    top = np.max(np.where(finite, x, -np.inf), axis=1, keepdims=True)
    with np.errstate(invalid="ignore", over="ignore"):
        cdf = np.cumsum(np.where(finite, np.exp(x - top), 0.0), axis=1)
    words = philox.stream(2 * n * x.shape[0], key, counter).reshape(x.shape[0], n, 2)
    u = philox.to_float64(words[..., 0], words[..., 1]) * cdf[:, -1:]
    samples = np.stack([np.searchsorted(cdf[b], u[b], side="right")
                        for b in range(x.shape[0])]) if x.shape[0] else \
        np.zeros((0, n), np.int64)
    return out(_place(samples.astype(d._np).reshape(x.shape[0], n)), d)


def split(seed, num=2, alg="auto_select"):
    """``num`` new seeds (a [num, 2] tensor) from ``seed``, as TensorFlow derives them."""
    s = as_tensor(seed, "random.split", "seed")
    return stateless_uniform([int(num), 2], s, minval=None, maxval=None, dtype=s.dtype,
                             alg=alg)


def fold_in(seed, data, alg="auto_select"):
    """A new seed from ``seed`` and the integer ``data`` (e.g. a step number), as
    TensorFlow derives it."""
    from .shape import stack
    value = as_tensor(data, "random.fold_in", "data")
    first = stateless_uniform([], seed, minval=None, maxval=None, dtype=value.dtype, alg=alg)
    return stack([first, value])


NAMESPACES["random"].update(split=split, fold_in=fold_in)


def stateless_shuffle(value, seed, alg="auto_select", name=None):
    """``value`` with its slices along the first dimension in the order TensorFlow's
    ``tf.random.experimental.stateless_shuffle`` gives for ``seed`` (shape [2])."""
    t = as_tensor(value, "random.experimental.stateless_shuffle", "value")
    key, counter = _key_counter(seed, "random.experimental.stateless_shuffle", alg)
    n = t.shape[0] if t.ndim else 1
    if n <= 1 or int(np.prod(t.shape, dtype=np.int64)) <= 1:
        return out(t._data, t.dtype)
    perm = philox.shuffle_permutation(n, key, counter)
    backend = t._device.backend
    return out(t._data[perm if not backend.is_gpu else backend.from_numpy(perm)], t.dtype)


_SIMON_Z = 0x7369F885192C0EF5


def _simon_shuffle(index, key, max_index, rounds=4):
    """TensorFlow's random_index_shuffle: ``index`` encrypted by a Simon cipher with the
    smallest even block of at least 16 bits (cycle-walking until it is at most
    ``max_index``), a bijection of [0, max_index] for each key (3 uint32 words)."""
    if max_index == 0:
        return np.zeros_like(index)
    bits = int(np.ceil(np.log2(float(max_index))))   # (as TensorFlow's, from a double)
    block = min(max(bits + bits % 2, 16), 64)
    w = block // 2
    mask = (1 << w) - 1

    def rotl(x, r):
        return ((x << np.uint64(r)) | (x >> np.uint64(w - r))) & np.uint64(mask)

    def rotr(x, r):
        return ((x >> np.uint64(r)) | (x << np.uint64(w - r))) & np.uint64(mask)

    def f(x):
        return (rotl(x, 1) & rotl(x, 8)) ^ rotl(x, 2)
    keys = [np.uint64(int(k) & mask) for k in key]
    c, z = np.uint64(0xFFFFFFFC & mask), _SIMON_Z & mask
    for _ in range(3, rounds):
        keys.append(c ^ np.uint64(z & 1) ^ keys[-3] ^ rotr(keys[-1], 3) ^ rotr(keys[-1], 4))
        z >>= 1
    def encrypt(value):
        left = (value >> np.uint64(w)) & np.uint64(mask)
        right = value & np.uint64(mask)
        for i in range(0, rounds, 2):
            left ^= f(right) ^ keys[i]
            right ^= f(left) ^ keys[i + 1]
        return (left << np.uint64(w)) | right

    index = np.asarray(index, np.uint64)
    if block == 16 and max_index < 1 << 14:
        # a small range in the smallest block: cycle-walks may be long, so encrypt the whole
        # block once and follow the walks by pointer jumping (ans(y) = R[y] once done[y],
        # else ans(R[y]); each pass halves what is left of every walk)
        # (cycles without a value in range never finish; the asked-for walks always do)
        pointer = encrypt(np.arange(1 << 16, dtype=np.uint64)).astype(np.int64)
        done = pointer <= max_index
        asked = index.astype(np.int64)
        while not done[asked].all():
            later = ~done
            nxt = pointer[later]
            pointer[later], done[later] = pointer[nxt], done[nxt]
        return pointer[asked].astype(np.uint64)
    value = index.copy()
    todo = np.ones(value.shape, bool)
    while todo.any():
        value[todo] = encrypt(value[todo])
        todo &= value > np.uint64(max_index)
    return value


def index_shuffle(index, seed, max_index):
    """The position of ``index`` in a pseudorandom permutation of [0, max_index], as
    TensorFlow's ``tf.random.experimental.index_shuffle`` (its Simon cipher and seed
    padding): a shuffle of a huge range without materialising it.

    >>> ts.random.experimental.index_shuffle(ts.range(4), seed=[5, 9], max_index=3)
    """
    name_ = "random.experimental.index_shuffle"
    idx = as_tensor(index, name_, "index")
    top = as_tensor(max_index, name_, "max_index", idx.dtype, anchor="index")
    s = as_tensor(seed, name_, "seed")
    for what, t in (("index", idx), ("seed", s)):
        if t.dtype not in (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64):
            raise invalid(name_, f"{what} must be int32, int64, uint32 or uint64, got "
                          f"{t.dtype.name}", kind="dtype")
    if s.ndim not in (1, 2) or s.shape[-1] != 2:
        raise invalid(name_, f"seed must have shape [2] or [n, 2], got {list(s.shape)}",
                      kind="shape")
    seeds = s.numpy().astype(np.int64).reshape(-1, 2)
    i, m = idx.numpy().astype(np.int64), top.numpy().astype(np.int64)
    if i.ndim > 1 or m.ndim > 1:
        raise invalid(name_, "index and max_index must be scalars or vectors", kind="shape")
    batch = {len(a) for a in (i.reshape(-1) if i.ndim else None,
                              m.reshape(-1) if m.ndim else None,
                              seeds if s.ndim == 2 else None) if a is not None}
    if len(batch) > 1:
        raise invalid(name_, "index, seed and max_index must share their first dimension",
                      kind="shape")
    n = batch.pop() if batch else None
    ii = np.broadcast_to(i, (n,)) if n is not None else i.reshape(1)
    mm = np.broadcast_to(m, (n,)) if n is not None else m.reshape(1)
    ss = np.broadcast_to(seeds, (n, 2)) if n is not None else seeds
    if (mm < 0).any() or (ii < 0).any() or (ii > mm).any():
        raise invalid(name_, "index must be in [0, max_index] and max_index non-negative")
    def key(row):                    # TensorFlow pads the [2] seed to its cipher's 3 words
        return (498247692, int(ss[row, 0]) & 0xFFFFFFFF, int(ss[row, 1]) & 0xFFFFFFFF)
    if s.ndim == 1 and m.ndim == 0:  # one permutation: every index at once
        result = _simon_shuffle(ii, key(0), int(mm[0]))
    else:
        result = np.empty(len(ii), np.uint64)
        for row in range(len(ii)):
            result[row] = _simon_shuffle(np.array([ii[row]]), key(row), int(mm[row]))[0]
    values = result.astype(idx.dtype._np)
    return out(values if n is not None else values.reshape(()), idx.dtype)


NAMESPACES["random.experimental"] = dict(
    index_shuffle=index_shuffle, stateless_shuffle=stateless_shuffle,
    stateless_split=split, stateless_fold_in=fold_in)


_U64 = 0xFFFF_FFFF_FFFF_FFFF


class Generator:
    """A random-number generator with its own state, as ``tf.random.Generator``: Philox
    with TensorFlow's state layout (a 128-bit counter and a 64-bit key in three int64s), so
    ``Generator.from_seed(s)`` draws TensorFlow's values for ``s``; each draw moves the
    counter on by 256 per sample, as there. Draws never touch the global sequence.

    >>> g = ts.random.Generator.from_seed(1)
    >>> g.normal([2]), g.uniform([2], 0, 10, dtype=ts.int32)
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if isinstance(copy_from, Generator):
            words = list(copy_from._words)
        elif state is not None:
            values = np.asarray(state.numpy() if hasattr(state, "numpy") else state)
            if values.shape != (3,):
                raise ValueError(f"a Philox state has 3 int64 words, got shape "
                                 f"{list(values.shape)}")
            words = [int(v) & _U64 for v in values.tolist()]
        else:
            words = [int(w) for w in np.random.SeedSequence().generate_state(3, np.uint64)]
        self._state = None  # the Variable ``state`` returns, made on first use
        self._set(words)

    def _set(self, words) -> None:
        self._words = list(words)
        if self._state is not None:
            self._state.assign(self._as_int64())

    def _as_int64(self) -> np.ndarray:
        return np.array(self._words, np.uint64).view(np.int64)

    @classmethod
    def from_seed(cls, seed, alg=None) -> "Generator":
        g = cls(state=[0, 0, 0])
        g.reset_from_seed(seed)
        return g

    @classmethod
    def from_state(cls, state, alg=None) -> "Generator":
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg=None) -> "Generator":
        counter = [int(c) for c in np.asarray(counter).reshape(-1).tolist()]
        return cls(state=list(counter) + [int(np.asarray(key).reshape(-1)[0])])

    @classmethod
    def from_non_deterministic_state(cls, alg=None) -> "Generator":
        return cls()

    @property
    def state(self):
        """The state as TensorFlow keeps it: an int64 Variable of three words (counter low,
        counter high, key) that every draw updates."""
        if self._state is None:
            from ..variable import Variable
            self._state = Variable(self._as_int64(), trainable=False, name="StateVar")
        return self._state

    @property
    def algorithm(self) -> int:
        return 1  # Philox, as TensorFlow numbers it

    @property
    def key(self):
        from ..tensor import constant
        return constant(np.array([self._words[2]], np.uint64).view(np.int64)[0])

    def reset(self, state) -> None:
        self._set(Generator(state=state)._words)

    def reset_from_seed(self, seed) -> None:
        """The state TensorFlow makes from a Python int: its 64-bit words, lowest first (a
        negative seed fills the upper words with ones)."""
        seed = int(seed)
        self._set([(seed >> (64 * i)) & _U64 for i in range(3)])

    def reset_from_key_counter(self, key, counter) -> None:
        self._set(Generator.from_key_counter(key, counter)._words)

    def skip(self, delta) -> None:
        """Move the counter on as ``delta`` samples would."""
        self._sync()
        self._advance(int(delta))

    def _sync(self) -> None:
        """Pick up a state assigned through the Variable (``g.state.assign(...)``)."""
        if self._state is not None:
            self._words = [int(v) & _U64 for v in self._state.numpy().tolist()]

    def _key_counter(self):
        self._sync()
        s0, s1, s2 = self._words
        return ((s2 & 0xFFFFFFFF, s2 >> 32),
                (s0 & 0xFFFFFFFF, s0 >> 32, s1 & 0xFFFFFFFF, s1 >> 32))

    def _advance(self, n_samples: int) -> None:
        counter = (self._words[0] | (self._words[1] << 64)) + 256 * n_samples
        counter &= (1 << 128) - 1
        self._set([counter & _U64, counter >> 64, self._words[2]])

    def _draw(self, make, dims):
        key, counter = self._key_counter()
        result = make(key, counter)
        self._advance(int(np.prod(dims, dtype=np.int64)))
        return result

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=float32, name=None):
        d, dims, m, s = _normal_args("Generator.normal", shape, mean, stddev, dtype)
        return self._draw(lambda k, c: _normal_values(philox.normal, d, dims, m, s, k, c),
                          dims)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=float32, name=None):
        d, dims, m, s = _normal_args("Generator.truncated_normal", shape, mean, stddev,
                                     dtype)
        return self._draw(lambda k, c: _normal_values(philox.truncated_normal, d, dims, m,
                                                      s, k, c), dims)

    def uniform(self, shape, minval=0, maxval=None, dtype=float32, name=None):
        d = dtypes.as_dtype(dtype)
        dims = _shape(shape, "Generator.uniform")
        if d.is_integer and maxval is None:
            raise invalid("Generator.uniform", "Must specify maxval for integer dtype "
                          f"{d.name} (or use uniform_full_int)")
        return self._draw(lambda k, c: _uniform_values("Generator.uniform", d, dims, minval,
                                                       maxval, k, c), dims)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        d = dtypes.as_dtype(dtype)
        dims = _shape(shape, "Generator.uniform_full_int")
        return self._draw(lambda k, c: _uniform_values("Generator.uniform_full_int", d, dims,
                                                       None, None, k, c), dims)

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        """Binomial(counts, probs) draws of ``shape`` (which ends with the parameters'
        broadcast shape): TensorFlow's values, and its state moves on as TensorFlow's."""
        name_ = "Generator.binomial"
        d = _count_dtype(dtype, name_)
        n, p = _binomial_params(name_, counts, probs)
        dims = tuple(_shape(shape, name_))
        key, counter = self._key_counter()
        result = _binomial_values(name_, dims, n, p, d, key, counter)
        batches = int(np.prod(np.broadcast_shapes(n.shape, p.shape), dtype=np.int64))
        per_batch = int(np.prod(dims, dtype=np.int64)) // max(batches, 1)
        self._advance(batches * 2 * 100 * (per_batch + 3) // 4)   # TensorFlow's reserve
        return result

    def make_seeds(self, count=1):
        """``count`` seeds for the stateless ops, as a [2, count] int64 tensor."""
        from .shape import stack
        keys = self.uniform_full_int([int(count)], dtype=dtypes.int64)
        from .creation import zeros_like
        return stack([keys, zeros_like(keys)])

    def split(self, count=1) -> list:
        """``count`` new generators keyed from this one's stream (which moves on), as
        TensorFlow splits."""
        keys = self.uniform_full_int([int(count)], dtype=dtypes.int64).numpy().tolist()
        return [Generator(state=[0, 0, k]) for k in keys]

    def __repr__(self):
        return f"<ts.random.Generator (Philox) state={np.array(self._words, np.uint64)}>"


_global_generator: Generator | None = None


def get_global_generator() -> Generator:
    global _global_generator
    if _global_generator is None:
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator


def set_global_generator(generator: Generator) -> None:
    global _global_generator
    _global_generator = generator


NAMESPACES["random"].update(Generator=Generator, get_global_generator=get_global_generator,
                            set_global_generator=set_global_generator)
