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
    n = cupy.cuda.runtime.getDeviceCount()
    found = [CupyBackend(i) for i in range(n)]
    from .ops.registry import bind_all
    for b in found:
        bind_all(b)
    return found


def to_host(data) -> np.ndarray:
    return cupy.asnumpy(data)


def set_deterministic(on: bool) -> None:
    """Reductions through CUB/cuTENSOR may reorder additions between runs; CuPy's own
    reduction kernels do not. Turning the accelerators off trades speed for reproducibility."""
    from cupy._core import set_reduction_accelerators, set_routine_accelerators
    accelerators = [] if on else ["cub"]
    set_reduction_accelerators(accelerators)
    set_routine_accelerators(accelerators)
