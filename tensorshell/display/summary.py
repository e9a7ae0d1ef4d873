"""A pure summary of a tensor: shape, dtype, device, size, statistics and flags. No I/O, no
rich, no NumPy printing: the same numbers for every front-end.

Statistics are exact up to ``EXACT_LIMIT`` elements; beyond that they come from a strided
sample of at most ``SAMPLE_LIMIT`` elements taken as a view on the tensor's own device, so a
huge (or GPU) tensor costs a bounded amount of work and copies only the sample to the host.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

EXACT_LIMIT = 1 << 20
SAMPLE_LIMIT = 1 << 16
HIST_BINS = 8
FEW_VALUES = 8


@dataclass(frozen=True)
class Summary:
    kind: str                     # "Tensor" or "Variable"
    name: str | None              # a Variable's name
    shape: tuple
    dtype: str
    family: str                   # float, int, uint, bool, complex, string
    device: str                   # short form: "cpu:0", "gpu:0"
    n: int
    nbytes: int
    sampled: int | None = None    # elements the statistics come from, when not all
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    nan: int = 0
    posinf: int = 0
    neginf: int = 0
    zeros: int | None = None
    all_zeros: bool = False
    counts: dict = field(default_factory=dict)   # bool / few-valued ints: value -> count
    hist: tuple = ()              # HIST_BINS counts over [min, max] of the finite values


def family(dtype) -> str:
    if dtype.is_bool:
        return "bool"
    if dtype.is_string:
        return "string"
    if dtype.is_complex:
        return "complex"
    if dtype.is_floating:
        return "float"
    return "uint" if dtype.is_unsigned else "int"


def sample(data, limit: int = SAMPLE_LIMIT):
    """At most about ``limit`` elements of ``data``, strided evenly along every axis, as a
    1-D array on the data's own device (a view until the final ravel)."""
    size = data.size
    if size <= limit:
        return data.reshape(-1)
    shape = data.shape
    big = [i for i, d in enumerate(shape) if d > 1]
    step = int(np.ceil((size / limit) ** (1 / len(big))))
    idx = [slice(None, None, step) if i in big else slice(None) for i in range(len(shape))]
    return data[tuple(idx)].reshape(-1)


def summarize(t) -> Summary:
    """Summarise a Tensor or Variable. Never raises for any dtype, shape or device."""
    is_var = getattr(t, "_is_variable", False)
    data = t._data
    dtype = t._dtype
    dev = t._device
    base = dict(kind="Variable" if is_var else "Tensor", name=t.name if is_var else None,
                shape=tuple(data.shape), dtype=dtype.name, family=family(dtype),
                device=dev.short, n=int(data.size),
                nbytes=int(data.size * dtype.size) if not dtype.is_string else
                int(sum(len(b) for b in np.asarray(data).reshape(-1).tolist())))
    if data.size == 0 or dtype.is_string:
        return Summary(**base)
    xp = dev.backend.xp
    s = data.reshape(-1) if data.size <= EXACT_LIMIT else sample(data)
    sampled = None if s.size == data.size else int(s.size)
    host = dev.backend.to_numpy
    fam = base["family"]
    if fam == "bool":
        k = int(host(xp.count_nonzero(s)))
        return Summary(**base, sampled=sampled, counts={True: k, False: int(s.size) - k},
                       all_zeros=k == 0)
    if fam == "complex":
        s = xp.absolute(s)
    if fam in ("int", "uint"):
        lo, hi = int(host(s.min())), int(host(s.max()))
        zeros = int(s.size) - int(host(xp.count_nonzero(s)))
        counts = {}
        if hi - lo < FEW_VALUES:
            values, freq = np.unique(host(s), return_counts=True)
            counts = {int(v): int(c) for v, c in zip(values, freq)}
        return Summary(**base, sampled=sampled, min=lo, max=hi, zeros=zeros,
                       all_zeros=zeros == s.size, counts=counts)
    f = s.astype(xp.float64) if s.dtype.itemsize < 4 else s
    finite = xp.isfinite(f)
    n_finite = int(host(xp.count_nonzero(finite)))
    nan = int(host(xp.count_nonzero(xp.isnan(f))))
    posinf = int(host(xp.count_nonzero(f == np.inf)))
    neginf = int(s.size) - n_finite - nan - posinf
    stats = {}
    if n_finite:
        v = f if n_finite == f.size else f[finite]
        lo, hi = float(host(v.min())), float(host(v.max()))
        mean = float(host(v.mean(dtype=xp.float64)))
        std = float(host(v.std(dtype=xp.float64)))
        counts, _ = xp.histogram(v, bins=HIST_BINS, range=(lo, hi) if hi > lo else
                                 (lo - 0.5, hi + 0.5))
        stats = dict(min=lo, max=hi, mean=mean, std=std,
                     hist=tuple(int(c) for c in host(counts)))
    zeros = int(s.size) - int(host(xp.count_nonzero(s)))
    return Summary(**base, sampled=sampled, nan=nan, posinf=posinf, neginf=neginf,
                   zeros=zeros, all_zeros=zeros == s.size, **stats)


_SPARK = " ▁▂▃▄▅▆▇█"


def sparkline(hist) -> str:
    """Histogram counts as block characters (a bin with any values shows at least ▁)."""
    if not hist:
        return ""
    top = max(hist)
    if top == 0:
        return ""
    return "".join(_SPARK[0 if c == 0 else max(1, round(c / top * 8))] for c in hist)


def human_bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def fmt_stat(x: float) -> str:
    """A statistic in 4 significant digits, the same on every platform."""
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    a = abs(x)
    if 1e-3 <= a < 1e5:
        text = f"{x:.4g}"
    else:
        text = f"{x:.3e}"
        mant, exp = text.split("e")
        mant = mant.rstrip("0").rstrip(".")
        text = f"{mant}e{int(exp)}"
    return text
