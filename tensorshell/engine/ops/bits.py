"""Reinterpreting and hashing bytes, and the approximate top-k family: ``ts.bitcast``,
``ts.fingerprint`` (TensorFlow's FarmHash fingerprints), ``math.approx_max_k`` /
``approx_min_k`` and ``ts.approx_top_k`` (exact here, as TensorFlow's CPU kernel is)."""

from __future__ import annotations

import struct
from typing import NamedTuple

import numpy as np

from .. import dtypes
from ..errors import invalid
from ..tensor import convert_to_tensor
from .registry import as_tensor, composite, describe


def bitcast(input, type, name=None):  # noqa: A002 - TensorFlow's names
    """The same bytes read as ``type``: shape unchanged for equal sizes, a last dimension
    added (wider input) or removed (narrower input, whose last dimension must make up one
    output element)."""
    t = as_tensor(input, "bitcast", "input")
    d = dtypes.as_dtype(type)
    if t.dtype.is_string or d.is_string or t.dtype.is_bool or d.is_bool:
        raise invalid("bitcast", f"bitcast takes numeric types, got {t.dtype.name} to "
                      f"{d.name}", kind="dtype")
    size_in, size_out = t.dtype.size, d.size
    data = np.ascontiguousarray(t.numpy())
    if size_in == size_out:
        shape = data.shape
    elif size_in > size_out:
        shape = data.shape + (size_in // size_out,)
    else:
        if not data.ndim or data.shape[-1] * size_in != size_out:
            raise invalid("bitcast", f"Cannot bitcast from {size_in} to {size_out}",
                          [describe(t, "input")], kind="shape")
        shape = data.shape[:-1]
    return convert_to_tensor(data.view(d.as_numpy_dtype).reshape(shape))


def fingerprint(data, method="farmhash64", name=None):
    """An 8-byte FarmHash fingerprint (uint8 [rows, 8]) of each row of ``data``, as
    TensorFlow computes it: of the row's bytes, or for strings of the string itself (one per
    row) or of its elements' fingerprints."""
    from ...hashing import fingerprint64
    t = as_tensor(data, "fingerprint", "data")
    method = method.numpy() if hasattr(method, "numpy") else method
    if (method.decode() if isinstance(method, bytes) else str(method)) != "farmhash64":
        raise invalid("fingerprint", f"Unsupported fingerprint method: {method!r}")
    if t.ndim == 0:
        raise invalid("fingerprint", f"`data` should have at least one dimension: "
                      f"{list(t.shape)}", kind="shape")

    def fp(raw: bytes) -> bytes:
        return struct.pack("<Q", fingerprint64(raw))
    rows = t.shape[0]
    values = t.numpy()
    if t.dtype.is_string:
        flat = np.asarray(values, dtype=object).reshape(rows, -1)
        out = [fp(row[0]) if flat.shape[1] == 1 else fp(b"".join(fp(v) for v in row))
               for row in flat]
    else:
        flat = np.ascontiguousarray(values).reshape(rows, -1)
        out = [fp(row.tobytes()) for row in flat]
    return convert_to_tensor(np.frombuffer(b"".join(out), np.uint8).reshape(rows, 8))


class ApproxTopK(NamedTuple):
    values: object
    indices: object


def _approx_k(op_name, operand, k, reduction_dimension, largest):
    from . import elementwise as E, shape as S
    from .reduction import top_k
    x = as_tensor(operand, op_name, "operand")
    if not (x.dtype.is_floating or x.dtype.is_integer) or x.ndim == 0:
        raise invalid(op_name, f"operand must be a real tensor with at least one dimension, "
                      f"got {x.dtype.name} of shape {list(x.shape)}", kind="dtype")
    axis = int(reduction_dimension)
    if not -x.ndim <= axis < x.ndim:
        raise invalid(op_name, f"reduction_dimension {axis} is out of range for rank "
                      f"{x.ndim}")
    axis %= x.ndim
    perm = [i for i in range(x.ndim) if i != axis] + [axis]
    moved = S.transpose(x, perm) if axis != x.ndim - 1 else x
    if largest:
        values, indices = top_k(moved, int(k))
    else:   # rank by a reversed order that cannot overflow: -x for floats, ~x for integers
        _, indices = top_k(-moved if x.dtype.is_floating else E.invert(moved), int(k))
        values = S.gather(moved, indices, axis=-1, batch_dims=moved.ndim - 1)
    if axis != x.ndim - 1:
        back = list(np.argsort(perm))
        values, indices = S.transpose(values, back), S.transpose(indices, back)
    return ApproxTopK(values, indices)


def approx_max_k(operand, k, reduction_dimension=-1, recall_target=0.95,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """The ``k`` largest values along ``reduction_dimension`` and their int32 indices
    (exact here, as TensorFlow's CPU kernel is)."""
    return _approx_k("approx_max_k", operand, k, reduction_dimension, True)


def approx_min_k(operand, k, reduction_dimension=-1, recall_target=0.95,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """The ``k`` smallest values along ``reduction_dimension`` and their int32 indices."""
    return _approx_k("approx_min_k", operand, k, reduction_dimension, False)


def approx_top_k(input, k, reduction_dimension=-1, recall_target=0.95,  # noqa: A002
                 is_max_k=True, reduction_input_size_override=-1, aggregate_to_topk=True,
                 name=None):
    """``approx_max_k`` (or ``approx_min_k`` with ``is_max_k=False``)."""
    return _approx_k("approx_top_k", input, k, reduction_dimension, bool(is_max_k))


composite(bitcast, ("",))
composite(fingerprint, ("",))
composite(approx_max_k, ("math", "nn"))
composite(approx_min_k, ("math", "nn"))
composite(approx_top_k, ("",))
