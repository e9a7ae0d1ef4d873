"""Random tensors (``ts.random``) with TensorFlow's seeding model: ``set_seed`` makes every
later sequence of random ops reproducible; an op-level ``seed`` makes that op's sequence
reproducible on its own."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..dtypes import float32
from ..errors import invalid
from .creation import _shape
from ..devices import current
from .registry import as_tensor, op, out


class _Seeds:
    def __init__(self):
        self.global_seed = None
        self._rng = None  # created on first use: numpy.random costs start-up time
        self.op_counters: dict[int, int] = {}

    @property
    def rng(self):
        if self._rng is None:
            self._rng = np.random.default_rng(self.global_seed)
        return self._rng


_seeds = _Seeds()


def set_seed(seed):
    """Make random ops reproducible: the same seed gives the same sequence of values."""
    _seeds.global_seed = None if seed is None else int(seed)
    _seeds._rng = None
    _seeds.op_counters.clear()


def get_global_generator_seed():
    return _seeds.global_seed


def _rng(seed):
    if seed is None:
        return _seeds.rng
    seed = int(seed)
    n = _seeds.op_counters.get(seed, 0)
    _seeds.op_counters[seed] = n + 1
    return np.random.default_rng([_seeds.global_seed or 0, seed, n])


def _place(arr):
    return current().backend.from_numpy(arr)


@op("normal", exports=("random",), differentiable=False)
def normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None):
    """Samples from a normal distribution (float32 by default)."""
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise invalid("random.normal", f"dtype must be floating-point, got {d.name}",
                      kind="dtype")
    dims = _shape(shape, "random.normal")
    m = as_tensor(mean, "random.normal", "mean", d).numpy()
    s = as_tensor(stddev, "random.normal", "stddev", d).numpy()
    arr = _rng(seed).standard_normal(dims, dtype=np.float64) * s + m
    return out(_place(arr.astype(d._np)), d)


@op("uniform", exports=("random",), differentiable=False)
def uniform(shape, minval=0, maxval=None, dtype=float32, seed=None, name=None):
    """Samples from [minval, maxval): floats default to [0, 1); integers need ``maxval``."""
    d = dtypes.as_dtype(dtype)
    dims = _shape(shape, "random.uniform")
    rng = _rng(seed)
    if d.is_integer:
        if maxval is None:
            raise invalid("random.uniform", "Must specify maxval for integer dtype "
                          f"{d.name}")
        lo = int(as_tensor(minval, "random.uniform", "minval", d).numpy())
        hi = int(as_tensor(maxval, "random.uniform", "maxval", d).numpy())
        if lo >= hi:
            raise invalid("random.uniform", f"Need minval < maxval: {lo} >= {hi}")
        return out(_place(rng.integers(lo, hi, dims, dtype=d._np)), d)
    if not d.is_floating:
        raise invalid("random.uniform", f"dtype must be floating-point or integer, got "
                      f"{d.name}", kind="dtype")
    lo = as_tensor(minval, "random.uniform", "minval", d).numpy()
    hi = as_tensor(1 if maxval is None else maxval, "random.uniform", "maxval", d).numpy()
    arr = rng.random(dims, dtype=np.float64) * (hi - lo) + lo
    arr = arr.astype(d._np)
    # rounding to a narrow float can reach maxval; keep the interval half-open
    arr = np.where(arr >= hi, np.nextafter(hi, lo, dtype=d._np), arr)
    return out(_place(arr.astype(d._np)), d)
