"""The CuPy backend: one per GPU. Imported only when devices are first initialised on a
machine with CuPy installed; nothing else in the engine imports CuPy."""

from __future__ import annotations

import numpy as np

import cupy

from .devices import Backend


class CupyBackend(Backend):
    """Kernels on one GPU, through CuPy. Its ``xp`` is the ``cupy`` module."""

    is_gpu = True

    def __init__(self, index: int):
        super().__init__(f"cupy:{index}", cupy)
        self.index = index
        self.cuda_device = cupy.cuda.Device(index)

    def to_numpy(self, data):
        return cupy.asnumpy(data)

    def from_numpy(self, arr):
        if getattr(arr, "dtype", None) is not None and arr.dtype == object:
            from .errors import InvalidArgumentError
            raise InvalidArgumentError(None, None, "string tensors live on the CPU: GPUs "
                                       "have no string kernels", kind="device",
                                       hint="with ts.device('/cpu:0'): ...")
        with self.cuda_device:
            try:
                return cupy.asarray(arr)
            except cupy.cuda.memory.OutOfMemoryError as e:
                raise out_of_memory(self, e) from None

    def adopt(self, data, src):
        if src is self:
            return data
        if src.is_gpu:
            with self.cuda_device:
                return cupy.array(data, copy=True)  # peer copy, no host round trip
        return self.from_numpy(src.to_numpy(data))

    def scatter(self, ufunc_name, a, index, vals):
        """cupyx has scatter_add/max/min (subtract adds the negation) for 32- and 64-bit
        types (add also float16). Narrower integers and float16 max/min run widened on the
        GPU (exact: integer sums wrap the same modulo 2**bits); float64 max/min (CuPy's
        lose precision on an H200, 2026-11), complex and other ufuncs go through the host."""
        import cupyx
        name = a.dtype.name
        if ufunc_name == "subtract" and name not in _HOST_ADD:
            ufunc_name, vals = "add", -vals
        if ufunc_name == "add" and name not in _HOST_ADD or \
                ufunc_name in ("maximum", "minimum") and name not in _HOST_MINMAX:
            dev_index = tuple(cupy.asarray(i) for i in index) if isinstance(index, tuple) \
                else cupy.asarray(index)
            scatter = cupyx.scatter_add if ufunc_name == "add" else \
                getattr(cupyx, "scatter_" + ufunc_name[:3])
            wide = _WIDER.get(name)
            if wide is None:
                scatter(a, dev_index, vals)
            else:
                w = a.astype(wide)
                scatter(w, dev_index, cupy.asarray(vals).astype(wide))
                a[...] = w.astype(a.dtype)
            return
        host = cupy.asnumpy(a)
        index = tuple(cupy.asnumpy(i) for i in index) if isinstance(index, tuple) \
            else cupy.asnumpy(index)
        getattr(np, ufunc_name).at(host, index, cupy.asnumpy(vals))
        a[...] = cupy.asarray(host)

    def activate(self):
        self.cuda_device.use()

    def synchronize(self):
        self.cuda_device.synchronize()

    def memory_info(self) -> dict:
        current = self._used()
        peak = max(_peaks.get(self.index, 0), current)
        _peaks[self.index] = peak
        return {"current": current, "peak": peak}

    def reset_peak(self):
        _peaks[self.index] = self._used()

    def _used(self) -> int:
        with self.cuda_device:
            return cupy.get_default_memory_pool().used_bytes()


# ufunc.at in CuPy takes int32/int64/uint32/uint64/float32/float64 (add: float16 too)
_WIDER = {"int8": "int32", "int16": "int32", "uint8": "uint32", "uint16": "uint32",
          "bool": "int32", "float16": "float32"}
_HOST_ADD = {"complex64", "complex128"}
_HOST_MINMAX = {"complex64", "complex128", "float64"}


def out_of_memory(backend, exc):
    from .errors import ResourceExhaustedError
    free, total = cupy.cuda.runtime.memGetInfo()
    return ResourceExhaustedError(
        None, None, f"GPU {backend.index} is out of memory: {exc}; free {free} of {total} "
                    "bytes", kind="memory", detail={"free": free, "total": total},
        hint="del large tensors you no longer need, or run this on the CPU")


def device_count() -> int:
    """How many GPUs CuPy sees (without creating any backend)."""
    return int(cupy.cuda.runtime.getDeviceCount())


def backends(visible=None) -> list[CupyBackend]:
    """A backend for each visible GPU (``visible``: physical indices, None for all), in
    physical order: they become logical GPUs 0, 1, ..."""
    from .devices import placement
    n = device_count()
    found = [CupyBackend(i) for i in range(n) if visible is None or i in visible]
    from .ops.registry import bind_all
    from . import gpu_kernels
    for b in found:
        bind_all(b)
        if hasattr(cupy, "RawKernel"):  # (the test suite's stand-in CuPy has none)
            gpu_kernels.install(b)
    if found:
        from .ops import registry
        registry.GPU_PRESENT = True
        import cupyx
        cupyx.seterr(linalg="raise")  # singular/indefinite matrices raise, as NumPy's do
        _track_peaks()
        if placement.deterministic:  # asked for before the first tensor
            set_deterministic(True)
    return found


_peaks: dict[int, int] = {}  # device index -> most bytes the pool had in use


def _track_peaks() -> None:
    """Peak memory as TensorFlow reports it (the most bytes in use since the last reset),
    not only what was in use when someone asked: every allocation goes through CuPy's
    current allocator (its memory pool, unless the user chose another) and then notes the
    pool's bytes in use on the current device. About a microsecond per new array."""
    allocate = cupy.cuda.get_allocator()
    pool = cupy.get_default_memory_pool()
    used, device = pool.used_bytes, cupy.cuda.runtime.getDevice
    peaks = _peaks

    def tracking_allocator(size):
        mem = allocate(size)
        now = used()
        d = device()
        if now > peaks.get(d, 0):
            peaks[d] = now
        return mem

    cupy.cuda.set_allocator(tracking_allocator)


def to_host(data) -> np.ndarray:
    return cupy.asnumpy(data)


_accelerators: tuple[list, list] | None = None  # CuPy's own choice (CUPY_ACCELERATORS)


def set_deterministic(on: bool) -> None:
    """Reductions through CUB/cuTENSOR may reorder additions between runs; CuPy's own
    reduction kernels do not. On: the accelerators are turned off (slower, reproducible);
    off: CuPy's own setting (its default, or CUPY_ACCELERATORS) comes back."""
    global _accelerators
    from cupy import _core
    if _accelerators is None:
        _accelerators = (list(_core.get_reduction_accelerators()),
                         list(_core.get_routine_accelerators()))
    reduction, routine = ([], []) if on else _accelerators
    _core.set_reduction_accelerators(reduction)
    _core.set_routine_accelerators(routine)
