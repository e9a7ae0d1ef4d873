"""``ts.sets``: set operations along the last dimension, as TensorFlow's.

A rank-n tensor (n >= 2) holds one set per index of its first n - 1 dimensions: the
elements of its last dimension (repeats count once); a SparseTensor's set holds the values
present in that row. Results are SparseTensors with each set's elements sorted and the last
dimension as wide as the largest result.

>>> a = ts.constant([[1, 2, 2], [3, 4, 5]])
>>> b = ts.constant([[2, 7, 7], [5, 5, 3]])
>>> ts.sparse.to_dense(ts.sets.intersection(a, b))   # [[2, 0], [3, 5]]
>>> ts.sets.size(ts.sets.union(a, b))                # [3, 3]

Integer (8 to 64 bit, uint8/16) and string elements; not differentiable, as TensorFlow's.
"""

from __future__ import annotations

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError
from .engine.tensor import Tensor, convert_to_tensor
from .sparse import SparseTensor

__all__ = ["difference", "intersection", "set_difference", "set_intersection", "set_size",
           "set_union", "size", "union"]

_VALID = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
          dtypes.uint16, dtypes.string)


def _as_set_input(x):
    if isinstance(x, SparseTensor):
        return x
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


def _dtype_of(x):
    return x.values.dtype if isinstance(x, SparseTensor) else x.dtype


def _check(a, b):
    """TensorFlow's argument rules; a dense operand goes first (the flip is returned)."""
    a, b = _as_set_input(a), _as_set_input(b)
    if _dtype_of(a) not in _VALID:
        raise TypeError(f"'a' has invalid dtype `{_dtype_of(a)!r}` not in supported dtypes: "
                        f"{', '.join(d.name for d in _VALID)}.")
    if _dtype_of(b) is not _dtype_of(a):
        raise TypeError(f"Types don't match, {_dtype_of(a)!r} vs {_dtype_of(b)!r}.")
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        return b, a, True
    return a, b, False


def _rows(x, label):
    """``(leading shape, [set per row])`` of a dense tensor or a SparseTensor."""
    if isinstance(x, SparseTensor):
        shape = [int(d) for d in x.dense_shape.numpy()]
        if len(shape) < 2:
            raise InvalidArgumentError(None, None, f"sets: {label}: Shape {shape} has rank "
                                       f"{len(shape)} < 2")
        lead = shape[:-1]
        sets = [set() for _ in range(int(np.prod(lead)))]
        idx = x.indices.numpy()
        rows = np.ravel_multi_index(idx[:, :-1].T, lead) if len(idx) else []
        for r, v in zip(rows, x.values.numpy().tolist()):
            sets[r].add(v)
        return lead, sets
    arr = x.numpy()
    if arr.ndim < 2:
        raise InvalidArgumentError(None, None, f"sets: {label}: Shape {list(arr.shape)} has "
                                   f"rank {arr.ndim} < 2")
    return list(arr.shape[:-1]), [set(r) for r in arr.reshape(-1, arr.shape[-1]).tolist()]


def _result(lead, sets, dtype):
    ordered = [sorted(s) for s in sets]
    width = max((len(s) for s in ordered), default=0)
    rows = [np.unravel_index(r, lead) for r, s in enumerate(ordered) for _ in s]
    cols = [j for s in ordered for j in range(len(s))]
    indices = np.array([list(map(int, r)) + [c] for r, c in zip(rows, cols)],
                       np.int64).reshape(-1, len(lead) + 1)
    values = [v for s in ordered for v in s]
    values = np.array(values, dtype=dtype._np) if values else np.zeros(0, dtype._np)
    return SparseTensor(indices, convert_to_tensor(values, dtype), lead + [width])


def _operation(a, b, op):
    lead_a, sets_a = _rows(a, "a")
    lead_b, sets_b = _rows(b, "b")
    if lead_a != lead_b:
        raise InvalidArgumentError(None, None, f"sets: Mismatched shapes {lead_a} vs "
                                   f"{lead_b} (all but the last dimension must agree)")
    out = [op(x, y) for x, y in zip(sets_a, sets_b)]
    return _result(lead_a, out, _dtype_of(a))


def set_intersection(a, b, validate_indices=True):
    """The elements in both ``a``'s and ``b``'s sets, row by row."""
    a, b, _ = _check(a, b)
    return _operation(a, b, set.intersection)


def set_union(a, b, validate_indices=True):
    """The elements in either ``a``'s or ``b``'s sets, row by row."""
    a, b, _ = _check(a, b)
    return _operation(a, b, set.union)


def set_difference(a, b, aminusb=True, validate_indices=True):
    """``a``'s sets less ``b``'s (``aminusb``), or ``b``'s less ``a``'s, row by row."""
    a, b, flipped = _check(a, b)
    if flipped:
        aminusb = not aminusb
    return _operation(a, b, set.difference if aminusb else lambda x, y: y - x)


def set_size(a, validate_indices=True):
    """The number of distinct values in each row of the SparseTensor ``a`` (int32)."""
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a!r}.")
    if a.values.dtype not in _VALID:
        raise TypeError(f"Invalid dtype `{a.values.dtype!r}` not in supported dtypes: "
                        f"{', '.join(d.name for d in _VALID)}.")
    lead, sets = _rows(a, "a")
    return convert_to_tensor(np.array([len(s) for s in sets], np.int32).reshape(lead))


intersection, union, difference, size = set_intersection, set_union, set_difference, set_size


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
