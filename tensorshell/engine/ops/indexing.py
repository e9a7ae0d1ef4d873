"""NumPy-style indexing of tensors (``t[1:, ::2, ts.newaxis, ...]``), as TensorFlow's
strided slice: ints, slices, ``...``, ``None``, scalar integer tensors, or a bool mask as the
whole index. Integer lists and arrays are refused with a pointer to ``ts.gather``."""

from __future__ import annotations

import numpy as np

from ..errors import invalid
from ..tensor import Tensor, wrap
from .registry import (RECORDING, OpDef, describe, on_device, out, placement, record,
                       register)
from .shape import boolean_mask, scatter_slice

_new = object.__new__
_SIMPLE = (int, slice, type(None), type(Ellipsis))


def normalize_index(key):
    """``key`` as a tuple NumPy's basic indexing accepts, or raise TypeError like TensorFlow."""
    if type(key) is not tuple:
        key = (key,)
    parsed = []
    for k in key:
        tk = type(k)
        if tk in _SIMPLE:
            parsed.append(k)
        elif isinstance(k, np.integer):
            parsed.append(int(k))
        elif (isinstance(k, Tensor) or getattr(k, "_is_variable", False)) and k.ndim == 0 \
                and k.dtype.is_integer:
            parsed.append(int(k))
        else:
            raise TypeError(
                "Only integers, slices (`:`), ellipsis (`...`), ts.newaxis (`None`) and "
                f"scalar ts.int32/ts.int64 tensors are valid indices, got {k!r}; "
                "use ts.gather(t, indices) to pick several entries")
    if sum(1 for k in parsed if k is Ellipsis) > 1:
        raise invalid("getitem", "an index can only have a single ellipsis ('...')",
                      kind="index")
    return tuple(parsed)


def _is_mask(key) -> bool:
    if isinstance(key, Tensor) or getattr(key, "_is_variable", False):
        return key.dtype.is_bool and key.ndim > 0
    if isinstance(key, np.ndarray):
        return key.dtype == np.bool_ and key.ndim > 0
    if isinstance(key, list) and key:
        return all(isinstance(v, (bool, np.bool_)) for v in np.asarray(key).reshape(-1).tolist())
    return False


def getitem(t: Tensor, key):
    """``t[key]`` — a new tensor (the backing array is never written, so views are safe)."""
    tk = type(key)
    if (tk is int or tk is slice) and type(t) is Tensor and t._device is placement.device:
        try:
            data = t._data[key]
        except (IndexError, ValueError, TypeError):
            pass  # the slow path below explains the failure
        else:
            if data.__class__ is bytes:  # one element of a string tensor: a 0-d array
                data = _string_scalar(data)
            r = _new(Tensor)
            r._data = data
            r._dtype = t._dtype
            r._device = t._device
            return r
    if _is_mask(key):
        return boolean_mask(t, key)
    if RECORDING and type(t) is not Tensor:
        return record(getitem.op, _getitem, (t, key), {})
    return _getitem(t, key)


def _getitem(t, key):
    idx = normalize_index(key)
    try:
        data = t._data[idx]
    except IndexError as e:
        raise _index_error(t, idx, e) from None
    except ValueError as e:
        raise invalid("getitem", str(e), [describe(t, "tensor")], kind="index") from None
    if data.__class__ is bytes:
        data = _string_scalar(data)
    if t._device is not placement.device:
        return on_device(wrap(data, t._dtype, t._device), placement.device)
    return out(data, t._dtype)


def _string_scalar(value: bytes) -> np.ndarray:
    arr = np.empty((), dtype=object)
    arr[()] = value
    return arr


register(OpDef("getitem", "custom", exports=(),
               grad=lambda g, ans, t, key: (scatter_slice(g, key, list(t.shape)),)),
         getitem, records_itself=True)


def _index_error(t, idx, exc):
    """Name the index and the dimension it overruns: 'slice index 5 of dimension 0 out of
    bounds' in TensorFlow's words, with the dimension's size."""
    shape = t._data.shape
    n_real = sum(1 for k in idx if k is not None and k is not Ellipsis)
    if n_real > len(shape):
        return invalid("getitem", f"too many indices: a tensor of rank {len(shape)} was "
                       f"indexed with {n_real}", [describe(t, "tensor")], kind="index")
    dim = 0
    for pos, k in enumerate(idx):
        if k is Ellipsis:
            dim += len(shape) - n_real
            continue
        if k is None:
            continue
        if type(k) is int and not -shape[dim] <= k < shape[dim]:
            return invalid("getitem", f"slice index {k} of dimension {dim} out of bounds "
                           f"(dimension {dim} has size {shape[dim]})",
                           [describe(t, "tensor")], kind="index")
        dim += 1
    return invalid("getitem", str(exc), [describe(t, "tensor")], kind="index")
