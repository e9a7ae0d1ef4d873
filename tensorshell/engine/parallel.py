"""Large CPU ops on every core: elementwise ops, reductions and casts split into chunks run
on a small persistent thread pool (NumPy's loops release the GIL), with the calling thread
taking one chunk itself.

Below ``state.min_elements`` nothing changes: ops keep their single NumPy call. Outputs are
allocated empty and first touched by the workers, so their page faults are spread across
cores too. Elementwise results are bit-identical to the single call; float reductions sum
per-chunk partials (each NumPy's pairwise sum), which changes rounding only in the last bits.
"""

from __future__ import annotations

import os
import queue
import sys
import threading

import numpy as np


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _State:
    def __init__(self):
        self.threads = available_cpus()
        # Handing work to a thread costs tens of microseconds here; measured on the project's
        # 2-core machine, one core finishes first below ~1M elements (4 MB of float32): at
        # 1e6 add gains ~10% on two, exp, reduce_max and `x * 2.0` lose 5-20%.
        self.min_elements = 1 << 20


state = _State()


ALIGNMENT = 64


def aligned_empty(shape, dtype) -> np.ndarray:
    """An uninitialised array whose data starts on a 64-byte cache-line boundary, as
    TensorFlow's CPU allocator gives. ``malloc`` returns 16-byte alignment, and NumPy's
    AVX-512 loops then split every store across two cache lines: measured on the project's
    machine, ``np.add`` of 1e8 float32 into such an output streams 11.8 GB/s per core, into
    an aligned one 15.0 GB/s (the inputs' alignment makes no difference). The returned
    view's ``base`` is the owning byte array."""
    dtype = np.dtype(dtype)
    n = _nbytes(shape, dtype)
    raw = _bytes(n, shape, dtype)
    return _carve(raw, -raw.ctypes.data % ALIGNMENT, n, shape, dtype)


def _nbytes(shape, dtype: np.dtype) -> int:
    n = dtype.itemsize
    for d in shape:
        n *= d
    return n


def _carve(raw: np.ndarray, start: int, n: int, shape, dtype) -> np.ndarray:
    """The aligned array of ``shape`` inside ``raw`` (whose base it keeps)."""
    return raw[start:start + n].view(dtype).reshape(shape)


def _bytes(n: int, shape, dtype) -> np.ndarray:
    """``n`` bytes plus room to align them; a failure names the array that was wanted."""
    try:
        return np.empty(n + ALIGNMENT, np.uint8)
    except MemoryError:
        raise MemoryError(f"Unable to allocate {n / 2**30:.3g} GiB for an array with shape "
                          f"{tuple(shape)} and data type {dtype}") from None


class BufferCache:
    """Recycles the memory of large outputs whose tensors are gone, as TensorFlow's
    allocator does: a fresh 40 MB array costs page faults that halve an op's bandwidth.

    Every buffer handed out is a cache-line aligned view of a cached byte array; a cached
    array is reused only when nothing but the cache refers to it (its refcount), so no live
    tensor, view, NumPy array or DLPack consumer can ever see a recycled buffer. Idle memory
    is capped at ``limit`` bytes.
    """

    def __init__(self, limit: int = 1 << 30):
        self.limit = limit
        self._by_size: dict[int, list[tuple[np.ndarray, int]]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def empty(self, shape, dtype) -> np.ndarray:
        dtype = np.dtype(dtype)
        n = _nbytes(shape, dtype)
        with self._lock:
            for raw, start in self._by_size.get(n, ()):
                # Views made from the aligned slice keep `raw` (their owner) as their base.
                # Referenced by: the entry tuple, `raw`, and getrefcount's argument.
                if sys.getrefcount(raw) == 3:
                    return _carve(raw, start, n, shape, dtype)
            if self._bytes + n > self.limit:
                self._evict(self._bytes + n - self.limit)
                if self._bytes + n > self.limit:
                    return aligned_empty(shape, dtype)
            raw = _bytes(n, shape, dtype)
            start = -raw.ctypes.data % ALIGNMENT
            self._by_size.setdefault(n, []).append((raw, start))
            self._bytes += n
        return _carve(raw, start, n, shape, dtype)

    def _evict(self, wanted: int) -> None:
        """Free idle buffers, oldest first, until ``wanted`` bytes are released (or none is
        left idle): a workload that moves to new sizes keeps getting recycled memory."""
        for n in list(self._by_size):
            entries = self._by_size[n]
            for entry in list(entries):
                # an idle array is referenced by its entry and getrefcount's argument only
                if sys.getrefcount(entry[0]) == 2:
                    entries.remove(entry)
                    self._bytes -= n
                    wanted -= n
                    if wanted <= 0:
                        break
            if not entries:
                del self._by_size[n]
            if wanted <= 0:
                return

    def clear(self) -> None:
        with self._lock:
            self._by_size.clear()
            self._bytes = 0

    @property
    def cached_bytes(self) -> int:
        return self._bytes


buffers = BufferCache()


class Pool:
    """Persistent worker threads fed through C queues; ``run`` waits for all chunks."""

    def __init__(self, workers: int):
        self.workers = workers
        self._queues = []
        for i in range(workers):
            q = queue.SimpleQueue()
            t = threading.Thread(target=self._work, args=(q,), daemon=True,
                                 name=f"tensorshell-cpu-{i + 1}")
            t.start()
            self._queues.append(q)

    @staticmethod
    def _work(q):
        while True:
            fn, done = q.get()
            try:
                fn()
                done.put(None)
            except BaseException as e:  # noqa: BLE001 - handed back to the caller
                done.put(e)
            # Drop the task now: its closure holds views of the output, and a buffer is
            # recycled only when nothing refers to it.
            fn = done = None

    def run(self, fns):
        done = queue.SimpleQueue()
        for q, fn in zip(self._queues, fns[1:]):
            q.put((fn, done))
        error = None
        try:
            fns[0]()
        except BaseException as e:  # noqa: BLE001
            error = e
        for _ in fns[1:]:
            e = done.get()
            error = error or e
        if error is not None:
            raise error


_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    global _pool
    if _pool is None or _pool.workers != state.threads - 1:
        with _pool_lock:
            if _pool is None or _pool.workers != state.threads - 1:
                _pool = Pool(max(state.threads - 1, 0))
    return _pool


def _ranges(n: int, parts: int):
    step, extra = divmod(n, parts)
    start = 0
    for i in range(parts):
        stop = start + step + (1 if i < extra else 0)
        yield start, stop
        start = stop


def run_ranges(n: int, fn) -> None:
    """``fn(start, stop)`` for contiguous parts of ``range(n)``, one per thread."""
    pool().run([lambda a=a, b=b: fn(a, b) for a, b in _ranges(n, min(state.threads, n))])


def _split_axis(shape, avoid=()) -> int | None:
    """The largest axis (not in ``avoid``) with at least as many entries as threads."""
    best = None
    for axis, d in enumerate(shape):
        if axis in avoid or d < state.threads:
            continue
        if best is None or d > shape[best]:
            best = axis
    return best


def _slicer(arr, axis, out_ndim, start, stop):
    """``arr``'s part for output rows [start, stop) along ``axis`` (broadcasting aware)."""
    if np.ndim(arr) == 0:
        return arr
    k = axis - (out_ndim - arr.ndim)
    if k < 0 or arr.shape[k] == 1:
        return arr
    idx = [slice(None)] * arr.ndim
    idx[k] = slice(start, stop)
    return arr[tuple(idx)]


def wanted(size: int) -> bool:
    return size >= state.min_elements and state.threads > 1


def elementwise(kernel, operands, out_dtype):
    """``kernel(*operands)`` computed in chunks into one new array. A ufunc writes into
    its chunk of the output; any other kernel's chunk result is copied in."""
    shape = np.broadcast_shapes(*[np.shape(a) for a in operands])
    axis = _split_axis(shape)
    if axis is None:
        return kernel(*operands)
    out = buffers.empty(shape, out_dtype)
    is_ufunc = isinstance(kernel, np.ufunc)
    nd = len(shape)

    def task(start, stop):
        parts = [_slicer(a, axis, nd, start, stop) for a in operands]
        target = _slicer(out, axis, nd, start, stop)
        if is_ufunc:
            kernel(*parts, out=target)
        else:
            target[...] = kernel(*parts)

    pool().run([lambda s=s, e=e: task(s, e) for s, e in _ranges(shape[axis], state.threads)])
    return out


def _map_chunks(x, split, fn):
    """``fn`` on each thread's chunk of ``x`` along axis ``split``, results in order."""
    results = [None] * state.threads
    ranges = list(_ranges(x.shape[split], state.threads))

    def task(i, start, stop):
        idx = [slice(None)] * x.ndim
        idx[split] = slice(start, stop)
        results[i] = fn(x[tuple(idx)])

    pool().run([lambda i=i, s=s, e=e: task(i, s, e) for i, (s, e) in enumerate(ranges)])
    return results


def reduce_split(kernel, x, axis, keepdims):
    """A reduction over ``axis`` (a tuple) computed in chunks of a kept axis: every chunk
    yields its own slice of the result, so any reduction kernel works unchanged."""
    kept = _split_axis(x.shape, avoid=axis)
    if kept is None:
        return None
    pieces = _map_chunks(x, kept, lambda chunk: kernel(chunk, axis, keepdims))
    out_axis = kept if keepdims else kept - sum(1 for a in axis if a < kept)
    return np.concatenate(pieces, axis=out_axis)


def reduce_combine(kernel, x, axis, keepdims, finish=None):
    """An associative reduction (sum, prod, max, min, any, all) over axes that include the
    split axis: each chunk reduces its part, then the partials are reduced once more."""
    full = tuple(range(x.ndim)) if axis is None else axis
    split = _split_axis(x.shape, avoid=tuple(a for a in range(x.ndim) if a not in full))
    if split is None:
        return None
    partials = _map_chunks(x, split, lambda chunk: kernel(chunk, full, True))
    total = kernel(np.concatenate(partials, axis=split), full, keepdims)
    return finish(total) if finish is not None else total


def cast(data, np_dtype):
    """``data.astype(np_dtype)`` in chunks (first touch and conversion on every core)."""
    out = buffers.empty(data.shape, np_dtype)
    axis = _split_axis(data.shape)
    if axis is None:
        return data.astype(np_dtype)
    nd = data.ndim

    def task(start, stop):
        np.copyto(_slicer(out, axis, nd, start, stop), _slicer(data, axis, nd, start, stop),
                  casting="unsafe")

    pool().run([lambda s=s, e=e: task(s, e) for s, e in _ranges(data.shape[axis],
                                                               state.threads)])
    return out


_ROWS, _LANES = 64, 1024
BLOCKED_SUM_MIN = _ROWS * _LANES
_ONES: dict = {}


def blocked_sum(x, axis, keepdims):
    """A float sum over every axis of a contiguous array at memory speed, as accurate as
    NumPy's pairwise sum: rows of 1024 are summed by BLAS's matrix-vector product with ones
    (SIMD accumulators, 32 terms each; float32 and float64), or, for float16, in blocks of 64
    rows x 1024 lanes added down the rows; the row sums are then added pairwise. Other
    layouts and dtypes take NumPy's own reduction."""
    full = axis is None or len(axis) == x.ndim
    if not (full and x.dtype.kind == "f" and x.flags.c_contiguous and x.size >= BLOCKED_SUM_MIN):
        return np.add.reduce(x, axis=axis, dtype=x.dtype, keepdims=keepdims)
    flat = x.reshape(-1)
    if x.dtype.itemsize >= 4:
        m = flat.size // _LANES * _LANES
        ones = _ONES.get(x.dtype)
        if ones is None:
            ones = _ONES[x.dtype] = np.ones(_LANES, x.dtype)
        rows = flat[:m].reshape(-1, _LANES) @ ones
    else:
        m = flat.size // (_ROWS * _LANES) * (_ROWS * _LANES)
        rows = np.add.reduce(flat[:m].reshape(-1, _ROWS, _LANES), axis=1)
    total = np.add.reduce(rows, axis=None) + np.add.reduce(flat[m:])
    total = np.asarray(total, dtype=x.dtype)
    return total.reshape((1,) * x.ndim) if keepdims else total[()]
