"""`ts.experimental.dlpack`: zero-copy exchange with PyTorch, JAX, CuPy and NumPy.

>>> import torch
>>> t = ts.experimental.dlpack.from_dlpack(torch.arange(3))
>>> torch.from_dlpack(t)        # Tensors implement __dlpack__ too
"""

from __future__ import annotations

import numpy as np

from ..engine import dtypes
from ..engine.devices import lookup
from ..engine.tensor import Tensor, wrap

_KDL_CPU, _KDL_CUDA = 1, 2


def to_dlpack(tensor) -> object:
    """A DLPack capsule sharing ``tensor``'s memory."""
    if not isinstance(tensor, Tensor):
        tensor = tensor.value() if getattr(tensor, "_is_variable", False) else tensor
    return tensor.__dlpack__()


def from_dlpack(obj) -> Tensor:
    """A Tensor sharing the memory of any object with ``__dlpack__`` (or a capsule).

    The producer must not write to the memory afterwards: tensors are immutable.
    """
    if hasattr(obj, "__dlpack_device__"):
        kind, index = obj.__dlpack_device__()
    else:
        kind, index = _KDL_CPU, 0  # a bare capsule: let NumPy reject it if it is not host
    if int(kind) == _KDL_CUDA:
        import cupy
        dev = lookup(f"/gpu:{index}")
        with cupy.cuda.Device(index):
            data = cupy.from_dlpack(obj)
    elif int(kind) == _KDL_CPU:
        dev = lookup("/cpu:0")
        data = np.from_dlpack(obj)
    else:
        raise ValueError(f"DLPack device type {kind} is neither CPU nor CUDA")
    return wrap(data, dtypes.from_numpy(np.dtype(data.dtype.str)), dev)
