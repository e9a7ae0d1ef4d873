"""Gathering and scattering by index tuples: ``gather_nd``, ``scatter_nd`` and
``tensor_scatter_nd_update/add/sub``. The last dimension of ``indices`` holds one index tuple
(``k`` entries address the first ``k`` dimensions); repeated tuples add up in scatter_nd and
the add/sub forms, and the last one wins in update, as in TensorFlow on the CPU."""

from __future__ import annotations

import numpy as np

from ..dtypes import NUMERIC, REAL
from ..errors import fmt_shape, incompatible_shapes, invalid
from ..variable import nd_index
from .registry import as_tensor, defgrad, describe, not_allowed, op, out
from .shape import int_list, stack


def _index_tuples(indices, shape, op_name):
    """``indices`` as a host int64 array whose inner dimension fits a tensor of ``shape``,
    and the matching tuple of index arrays (checked to lie inside ``shape``)."""
    idx = as_tensor(indices, op_name, "indices")
    if not idx.dtype.is_integer:
        raise invalid(op_name, f"indices must be integers, got {idx.dtype.name}",
                      [describe(idx, "indices")], kind="dtype",
                      hint=f"ts.{op_name}(..., ts.cast(indices, ts.int32), ...)")
    ind = np.asarray(idx._device.backend.to_numpy(idx._data)).astype(np.int64)
    if ind.ndim == 0:
        raise invalid(op_name, "indices must have rank >= 1 (the last dimension holds the "
                      "index tuples)", [describe(idx, "indices")], kind="shape")
    k = ind.shape[-1]
    if k > len(shape):
        raise invalid(op_name, f"index tuples of {k} entries do not fit a tensor of shape "
                      f"{fmt_shape(shape)}", [describe(idx, "indices")], kind="shape")
    return ind, nd_index(ind, shape, op_name)


def _on(backend, where):
    return where if not backend.is_gpu else tuple(backend.from_numpy(w) for w in where)


@op("gather_nd")
def gather_nd(params, indices, batch_dims=0, name=None):
    """The slices of ``params`` at the index tuples in the last dimension of ``indices``.

    >>> ts.gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]])   # [2, 3]
    """
    p = as_tensor(params, "gather_nd", "params")
    b = int(batch_dims)
    if b:
        idx = as_tensor(indices, "gather_nd", "indices")
        if b < 0 or b >= min(p.ndim, idx.ndim) or p.shape[:b] != idx.shape[:b]:
            raise incompatible_shapes("gather_nd", [describe(p, "params"),
                                                    describe(idx, "indices")],
                                      f"the first batch_dims={b} dimensions must match")
        return stack([gather_nd(p[i], idx[i], batch_dims=b - 1)
                      for i in range(p.shape[0])]) if p.shape[0] else \
            _empty_batch(p, idx, b)
    ind, where = _index_tuples(indices, p._data.shape, "gather_nd")
    backend = p._device.backend
    if ind.shape[-1] == 0:  # empty tuples address the whole tensor, once per tuple
        data = backend.xp.broadcast_to(p._data, ind.shape[:-1] + p._data.shape)
    else:
        data = p._data[_on(backend, where)]
    return out(data, p.dtype)


def _empty_batch(p, idx, b):
    k = idx.shape[-1]
    shape = list(idx.shape[:-1]) + list(p.shape[b + k:])
    return out(p._device.backend.xp.empty(shape, p._data.dtype), p.dtype)


@op("scatter_nd", dtypes_=NUMERIC)
def scatter_nd(indices, updates, shape, name=None):
    """A zero tensor of ``shape`` with ``updates`` added at the index tuples.

    >>> ts.scatter_nd([[1], [3]], [9., 10.], [5])   # [0., 9., 0., 10., 0.]
    """
    u = as_tensor(updates, "scatter_nd", "updates")
    if u.dtype not in NUMERIC:
        raise not_allowed(scatter_nd.op, u, "updates")
    dims = tuple(int_list(shape, "scatter_nd", "shape"))
    if any(d < 0 for d in dims):
        raise invalid("scatter_nd", f"shape must be non-negative, got {list(dims)}",
                      kind="shape")
    ind, where = _index_tuples(indices, dims, "scatter_nd")
    _check_updates("scatter_nd", u, ind, dims, "shape")
    backend = u._device.backend
    result = backend.xp.zeros(dims, dtype=u._data.dtype)
    if ind.shape[-1]:
        backend.scatter("add", result, where, u._data)
    elif ind.size:
        result += u._data.reshape((-1,) + dims).sum(axis=0, dtype=u._data.dtype)
    return out(result, u.dtype)


def _check_updates(op_name, u, ind, dims, what):
    want = ind.shape[:-1] + tuple(dims[ind.shape[-1]:])
    if tuple(u._data.shape) != want:
        raise incompatible_shapes(op_name, [describe(u, "updates")],
                                  f"updates must have shape {fmt_shape(want)} "
                                  f"(indices.shape[:-1] + {what}[{ind.shape[-1]}:]), got "
                                  f"{fmt_shape(u._data.shape)}")


def _tensor_scatter(op_def, ufunc, tensor, indices, updates):
    op_name = op_def.name
    t = as_tensor(tensor, op_name, "tensor")
    if t.dtype not in op_def.dtypes:
        raise not_allowed(op_def, t, "tensor")
    u = as_tensor(updates, op_name, "updates", t.dtype)
    ind, where = _index_tuples(indices, t._data.shape, op_name)
    _check_updates(op_name, u, ind, t._data.shape, "tensor.shape")
    backend = t._device.backend
    result = t._data.copy()
    if ind.shape[-1] == 0:
        for row in u._data.reshape((-1,) + t._data.shape):
            result = row.copy() if ufunc is None else getattr(backend.xp, ufunc)(result, row)
    elif ufunc is None:
        result[_on(backend, where)] = u._data
    else:
        backend.scatter(ufunc, result, where, u._data)
    return out(result, t.dtype)


@op("tensor_scatter_nd_update")
def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` written at the index tuples."""
    return _tensor_scatter(tensor_scatter_nd_update.op, None, tensor, indices, updates)


@op("tensor_scatter_nd_add", dtypes_=NUMERIC)
def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` added at the index tuples."""
    return _tensor_scatter(tensor_scatter_nd_add.op, "add", tensor, indices, updates)


@op("tensor_scatter_nd_sub", dtypes_=NUMERIC)
def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` subtracted at the index tuples."""
    return _tensor_scatter(tensor_scatter_nd_sub.op, "subtract", tensor, indices, updates)


@op("tensor_scatter_nd_max", dtypes_=REAL)
def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    """A copy of ``tensor`` where each index tuple holds the maximum of its value and the
    updates aimed at it."""
    return _tensor_scatter(tensor_scatter_nd_max.op, "maximum", tensor, indices, updates)


@op("tensor_scatter_nd_min", dtypes_=REAL)
def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    """A copy of ``tensor`` where each index tuple holds the minimum of its value and the
    updates aimed at it."""
    return _tensor_scatter(tensor_scatter_nd_min.op, "minimum", tensor, indices, updates)


# -- gradients ------------------------------------------------------------------------------------

def _gather_nd_grad(g, ans, params, indices, batch_dims=0, name=None):
    if batch_dims:
        return (stack([_gather_nd_grad(g[i], None, params[i], as_tensor(
            indices, "gather_nd", "indices")[i], batch_dims - 1)[0]
            for i in range(params.shape[0])]),)
    idx = as_tensor(indices, "gather_nd", "indices")
    return (scatter_nd(idx, g, list(params.shape)),)


def _update_grad(g, ans, tensor, indices, updates, name=None):
    from .creation import zeros_like
    u = as_tensor(updates, "tensor_scatter_nd_update", "updates", g.dtype,
                  anchor="tensor")
    return (tensor_scatter_nd_update(g, indices, zeros_like(u)), None, gather_nd(g, indices))


defgrad(gather_nd, _gather_nd_grad)
defgrad(scatter_nd, lambda g, ans, indices, updates, shape, name=None:
        (None, gather_nd(g, indices), None))
defgrad(tensor_scatter_nd_update, _update_grad)
defgrad(tensor_scatter_nd_add, lambda g, ans, tensor, indices, updates, name=None:
        (g, None, gather_nd(g, indices)))
defgrad(tensor_scatter_nd_sub, lambda g, ans, tensor, indices, updates, name=None:
        (g, None, -gather_nd(g, indices)))


def _extreme_grad(g, ans, tensor, indices, updates, name=None):
    """TensorFlow's: the gradient goes to whichever of the tensor's value and the updates
    equal the result, split evenly between ties."""
    from .elementwise import equal
    from .shape import cast
    x = as_tensor(tensor, "tensor_scatter_nd_max", "tensor", g.dtype)
    y = as_tensor(updates, "tensor_scatter_nd_max", "updates", g.dtype)
    x_hits = cast(equal(x, ans), g.dtype)
    y_hits = cast(equal(y, gather_nd(ans, indices)), g.dtype)
    hits = x_hits + scatter_nd(indices, y_hits, list(x.shape))
    return (g * x_hits / hits, None, gather_nd(g / hits, indices) * y_hits)


defgrad(tensor_scatter_nd_max, _extreme_grad)
defgrad(tensor_scatter_nd_min, _extreme_grad)
