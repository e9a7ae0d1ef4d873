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
        self.peak = 0

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

    def activate(self):
        self.cuda_device.use()

    def synchronize(self):
        self.cuda_device.synchronize()

    def memory_info(self) -> dict:
        pool = cupy.get_default_memory_pool()
        with self.cuda_device:
            current = pool.used_bytes()
        self.peak = max(self.peak, current)
        return {"current": current, "peak": self.peak}

    def reset_peak(self):
        self.peak = 0


def out_of_memory(backend, exc):
    from .errors import ResourceExhaustedError
    free, total = cupy.cuda.runtime.memGetInfo()
    return ResourceExhaustedError(
        None, None, f"GPU {backend.index} is out of memory: {exc}; free {free} of {total} "
                    "bytes", kind="memory", detail={"free": free, "total": total},
        hint="del large tensors you no longer need, or run this on the CPU")


def backends() -> list[CupyBackend]:
    from .devices import placement
    n = cupy.cuda.runtime.getDeviceCount()
    found = [CupyBackend(i) for i in range(n)]
    from .ops.registry import bind_all
    for b in found:
        bind_all(b)
    if found and placement.deterministic:  # asked for before the first tensor
        set_deterministic(True)
    return found


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
