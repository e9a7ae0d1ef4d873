"""Shape ops and gathering: reshape, squeeze, transpose, concat, split, pad, gather, where ...

None of these computes anything new, so every dtype is allowed. Views are safe: the arrays
behind tensors are never written to.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..dtypes import NUMERIC, int32, int64
from ..errors import UnimplementedError, fmt_shape, incompatible_shapes, invalid
from ..shapes import broadcast_shapes, normalize_axes, normalize_axis
from ..tensor import Tensor, TensorShape
from .. import parallel
from . import registry
from .registry import as_tensor, defgrad, describe, not_allowed, op, out, unify

INDEX_DTYPES = frozenset({int32, int64})


def int_list(value, op_name, what) -> list[int]:
    """A shape-like argument (list, tuple, TensorShape, int tensor or array) as ints."""
    if isinstance(value, TensorShape):
        return value.as_list()
    if isinstance(value, Tensor) or getattr(value, "_is_variable", False):
        if not value.dtype.is_integer:
            raise invalid(op_name, f"{what} must be integers, got a {value.dtype.name} tensor")
        return np.asarray(value).reshape(-1).tolist()
    if isinstance(value, (int, np.integer)):
        return [int(value)]
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001
        arr = None
    if arr is None or (arr.size and arr.dtype.kind not in "iu"):
        raise invalid(op_name, f"{what} must be a list of integers, got {value!r}")
    return arr.reshape(-1).astype(np.int64).tolist()


def _x(value, op_name, label="tensor"):
    return as_tensor(value, op_name, label)


@op("identity", exports=("",))
def identity(input, name=None):  # noqa: A002
    """The same value, placed on the current device (a copy when it lives elsewhere)."""
    return _x(input, "identity", "input")


@op("stop_gradient", differentiable=False)
def stop_gradient(input, name=None):  # noqa: A002
    """The same value, but gradients do not flow through it."""
    t = _x(input, "stop_gradient", "input")
    return out(t._data, t.dtype)


@op("cast")
def cast(x, dtype, name=None):
    """Convert ``x`` to ``dtype`` explicitly: floats truncate toward zero to ints, complex
    values lose their imaginary part, nonzero values become True.

    >>> ts.cast(ts.constant([1.7, -1.7]), ts.int32)   # [1, -1]
    """
    target = dtypes.as_dtype(dtype)
    t = _x(x, "cast", "x")
    if t.dtype is target:
        return t
    if t.dtype.is_string or target.is_string:
        raise invalid("cast", f"casting {t.dtype.name} to {target.name} is not supported",
                      [describe(t, "x")], cls=UnimplementedError)
    data = t._data
    xp = t._device.backend.xp
    if t.dtype.is_complex and not target.is_complex:
        data = xp.real(data)
    if data.size >= registry.PARALLEL_MIN and not t._device.backend.is_gpu:
        return out(parallel.cast(data, target._np), target)
    return out(data.astype(target._np), target)


@op("reshape")
def reshape(tensor, shape, name=None):
    """``tensor`` with a new shape; one dimension may be -1 and is inferred."""
    t = _x(tensor, "reshape")
    dims = int_list(shape, "reshape", "shape")
    n = t._data.size
    if dims.count(-1) > 1:
        raise invalid("reshape", f"only one dimension may be -1, got {dims}", kind="shape")
    if any(d < -1 for d in dims):
        raise invalid("reshape", f"dimensions must be >= 0 (or one -1), got {dims}",
                      kind="shape")
    known = 1
    for d in dims:
        if d != -1:
            known *= d
    if -1 in dims:
        if known == 0 or n % known:
            raise invalid("reshape", f"Input to reshape is a tensor with {n} values, but the "
                          f"requested shape requires a multiple of {known}",
                          [describe(t, "tensor")], kind="shape")
    elif known != n:
        raise invalid("reshape", f"Input to reshape is a tensor with {n} values, but the "
                      f"requested shape has {known}", [describe(t, "tensor")], kind="shape")
    return out(t._data.reshape(dims), t.dtype)


@op("squeeze")
def squeeze(input, axis=None, name=None):  # noqa: A002
    t = _x(input, "squeeze", "input")
    shape = t._data.shape
    if axis is None:
        axes = tuple(i for i, d in enumerate(shape) if d == 1)
    else:
        axes = normalize_axes(axis, len(shape), "squeeze")
        for a in axes:
            if shape[a] != 1:
                raise invalid("squeeze", f"Can not squeeze dim[{a}], expected a dimension of "
                              f"1, got {shape[a]}", [describe(t, "input")], kind="shape")
    return out(t._data.reshape([d for i, d in enumerate(shape) if i not in axes]), t.dtype)


@op("expand_dims")
def expand_dims(input, axis, name=None):  # noqa: A002
    t = _x(input, "expand_dims", "input")
    nd = t._data.ndim
    axis = int(axis)
    if not -nd - 1 <= axis <= nd:
        raise invalid("expand_dims", f"axis {axis} is out of range for a tensor of rank {nd}"
                      f" (valid: [{-nd - 1}, {nd}])", kind="shape")
    return out(np.expand_dims(t._data, axis) if t._device.backend.xp is np else
               t._device.backend.xp.expand_dims(t._data, axis), t.dtype)


@op("transpose")
def transpose(a, perm=None, conjugate=False, name=None):
    """Permute the dimensions (reversed by default). A new tensor; there is no ``t.T``."""
    t = _x(a, "transpose", "a")
    nd = t._data.ndim
    if perm is not None:
        perm = int_list(perm, "transpose", "perm")
        if sorted(perm) != list(range(nd)):
            raise invalid("transpose", f"perm {perm} is not a permutation of the {nd} "
                          "dimensions", [describe(t, "a")], kind="shape")
    data = t._data.transpose(perm) if nd else t._data
    if conjugate and t.dtype.is_complex:
        data = data.conj()
    return out(data, t.dtype)


@op("tile")
def tile(input, multiples, name=None):  # noqa: A002
    t = _x(input, "tile", "input")
    m = int_list(multiples, "tile", "multiples")
    if len(m) != t._data.ndim:
        raise invalid("tile", f"Expected multiples argument to be a vector of length "
                      f"{t._data.ndim} but got length {len(m)}", kind="shape")
    if any(v < 0 for v in m):
        raise invalid("tile", f"multiples must be non-negative, got {m}", kind="shape")
    return out(t._device.backend.xp.tile(t._data, m), t.dtype)


def _sequence(values, op_name):
    if isinstance(values, (Tensor,)) or getattr(values, "_is_variable", False):
        values = list(values)
    values = list(values)
    if not values:
        raise invalid(op_name, "needs at least one tensor")
    return unify(op_name, values, [f"values[{i}]" for i in range(len(values))])


@op("concat")
def concat(values, axis, name=None):
    ts_ = _sequence(values, "concat")
    nd = ts_[0]._data.ndim
    if nd == 0:
        raise invalid("concat", "cannot concatenate scalars; use ts.stack", kind="shape")
    ax = normalize_axis(int(axis), nd, "concat")
    for i, t in enumerate(ts_[1:], 1):
        s0, s = ts_[0]._data.shape, t._data.shape
        if len(s) != nd or any(a != b for j, (a, b) in enumerate(zip(s0, s)) if j != ax):
            raise incompatible_shapes(
                "concat", [describe(ts_[0], "values[0]"), describe(t, f"values[{i}]")],
                f"all dimensions except axis {ax} must match")
    xp = ts_[0]._device.backend.xp
    return out(xp.concatenate([t._data for t in ts_], axis=ax), ts_[0].dtype)


@op("stack")
def stack(values, axis=0, name=None):
    ts_ = _sequence(values, "stack")
    shape = ts_[0]._data.shape
    for i, t in enumerate(ts_[1:], 1):
        if t._data.shape != shape:
            raise incompatible_shapes(
                "stack", [describe(ts_[0], "values[0]"), describe(t, f"values[{i}]")],
                "stacked tensors must all have the same shape")
    nd = len(shape) + 1
    ax = normalize_axis(int(axis), nd, "stack")
    xp = ts_[0]._device.backend.xp
    return out(xp.stack([t._data for t in ts_], axis=ax), ts_[0].dtype)


@op("unstack")
def unstack(value, num=None, axis=0, name=None):
    t = _x(value, "unstack", "value")
    if t._data.ndim == 0:
        raise invalid("unstack", "cannot unstack a scalar", kind="shape")
    ax = normalize_axis(int(axis), t._data.ndim, "unstack")
    n = t._data.shape[ax]
    if num is not None and num != n:
        raise invalid("unstack", f"num={num} but dimension {ax} has size {n}", kind="shape")
    xp = t._device.backend.xp
    return [out(xp.take(t._data, i, axis=ax), t.dtype) for i in range(n)]


@op("split")
def split(value, num_or_size_splits, axis=0, num=None, name=None):
    """Split into equal parts (an int) or parts of the given sizes (one may be -1)."""
    t = _x(value, "split", "value")
    ax = normalize_axis(int(axis), t._data.ndim, "split")
    size = t._data.shape[ax]
    if isinstance(num_or_size_splits, (int, np.integer)) or (
            isinstance(num_or_size_splits, Tensor) and num_or_size_splits.ndim == 0):
        k = int(num_or_size_splits)
        if k <= 0 or size % k:
            raise invalid("split", f"Number of ways to split should evenly divide the split "
                          f"dimension, but got split_dim {ax} (size = {size}) and num_split "
                          f"{k}", [describe(t, "value")], kind="shape")
        sizes = [size // k] * k
    else:
        sizes = int_list(num_or_size_splits, "split", "size_splits")
        if sizes.count(-1) > 1:
            raise invalid("split", "only one size may be -1", kind="shape")
        if -1 in sizes:
            sizes[sizes.index(-1)] = size - (sum(sizes) + 1)
        if sum(sizes) != size or any(s < 0 for s in sizes):
            raise invalid("split", f"Determined shape must either match input shape along "
                          f"split_dim exactly if fully specified, or be less than the size of "
                          f"the input along split_dim if not fully specified.  Got: "
                          f"{sum(sizes)}", [describe(t, "value")], kind="shape")
    parts, start = [], 0
    for s in sizes:
        idx = [slice(None)] * t._data.ndim
        idx[ax] = slice(start, start + s)
        parts.append(out(t._data[tuple(idx)], t.dtype))
        start += s
    return parts


@op("broadcast_to")
def broadcast_to(input, shape, name=None):  # noqa: A002
    t = _x(input, "broadcast_to", "input")
    dims = tuple(int_list(shape, "broadcast_to", "shape"))
    for d in dims:
        if d < 0:
            raise invalid("broadcast_to", f"Dimension {d} must be >= 0 (shape {list(dims)})",
                          [describe(t, "input")], kind="shape")
    if broadcast_shapes(t._data.shape, dims) != dims:
        raise invalid("broadcast_to", f"Unable to broadcast tensor of shape "
                      f"{fmt_shape(t._data.shape)} to tensor of shape {fmt_shape(dims)}",
                      [describe(t, "input")], kind="shape")
    return out(t._device.backend.xp.broadcast_to(t._data, dims), t.dtype)


def _out_type(out_type, op_name):
    d = dtypes.as_dtype(out_type)
    if d not in INDEX_DTYPES:
        raise invalid(op_name, f"out_type must be int32 or int64, got {d.name}")
    return d


@op("shape", differentiable=False)
def shape(input, out_type=int32, name=None):  # noqa: A002
    """The shape as a 1-D integer tensor (``t.shape`` is the static TensorShape)."""
    t = _x(input, "shape", "input")
    d = _out_type(out_type, "shape")
    return out(t._device.backend.from_numpy(np.array(t._data.shape, dtype=d._np)), d)


@op("size", differentiable=False)
def size(input, out_type=int32, name=None):  # noqa: A002
    t = _x(input, "size", "input")
    d = _out_type(out_type, "size")
    return out(t._device.backend.from_numpy(np.array(t._data.size, dtype=d._np)), d)


@op("rank", differentiable=False)
def rank(input, name=None):  # noqa: A002
    t = _x(input, "rank", "input")
    return out(t._device.backend.from_numpy(np.array(t._data.ndim, dtype=np.int32)), int32)


@op("pad")
def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pad with a constant (default 0), or by reflecting (``REFLECT``, ``SYMMETRIC``)."""
    t = _x(tensor, "pad")
    p = int_list(paddings, "pad", "paddings")
    nd = t._data.ndim
    if len(p) != 2 * nd:
        got = paddings.shape if isinstance(paddings, Tensor) else np.asarray(paddings).shape
        raise invalid("pad", f"paddings must be a matrix of shape [{nd}, 2], got {got}",
                      kind="shape")
    if any(v < 0 for v in p):
        raise invalid("pad", f"paddings must be non-negative, got {p}", kind="shape")
    if nd == 0:
        return out(t._data, t.dtype)  # a scalar has nothing to pad, as in TensorFlow
    pairs = [(p[2 * i], p[2 * i + 1]) for i in range(nd)]
    xp = t._device.backend.xp
    mode = mode.upper()
    if mode == "CONSTANT":
        if type(constant_values) is int and constant_values == 0:
            fill = b"" if t.dtype.is_string else t.dtype._np.type(0)  # the dtype's zero
        else:
            cv = as_tensor(constant_values, "pad", "constant_values", t.dtype,
                           anchor="tensor")
            host = cv._data if type(cv._data) is np.ndarray else \
                cv._device.backend.to_numpy(cv._data)  # cupy.pad reads it with NumPy
            fill = host.reshape(())[()]
        return out(xp.pad(t._data, pairs, mode="constant", constant_values=fill), t.dtype)
    if mode in ("REFLECT", "SYMMETRIC"):
        limit = 1 if mode == "REFLECT" else 0
        for i, (a, b) in enumerate(pairs):
            if max(a, b) > t._data.shape[i] - limit:
                bound = "less than or equal to" if limit == 0 else "less than"
                raise invalid("pad", f"paddings must be {bound} "
                              f"the dimension size in {mode} mode: dimension {i} has size "
                              f"{t._data.shape[i]}, padding {a, b}", kind="shape")
        return out(xp.pad(t._data, pairs, mode=mode.lower()), t.dtype)
    raise invalid("pad", f"mode must be CONSTANT, REFLECT or SYMMETRIC, got {mode!r}")


@op("reverse")
def reverse(tensor, axis, name=None):
    t = _x(tensor, "reverse")
    axes = normalize_axes(int_list(axis, "reverse", "axis"), t._data.ndim, "reverse")
    return out(t._device.backend.xp.flip(t._data, axes) if axes else t._data, t.dtype)


@op("roll")
def roll(input, shift, axis, name=None):  # noqa: A002
    """Elements shifted along ``axis`` (ints or lists), wrapping around.

    >>> ts.roll([0, 1, 2, 3, 4], shift=2, axis=0)   # [3, 4, 0, 1, 2]
    """
    t = _x(input, "roll", "input")
    shifts = int_list(shift, "roll", "shift")
    axes = int_list(axis, "roll", "axis")
    if len(shifts) != len(axes):
        raise invalid("roll", f"shift and axis must have the same size, got {len(shifts)} "
                      f"and {len(axes)}", kind="shape")
    axes = [normalize_axis(a, t._data.ndim, "roll") for a in axes]
    return out(t._device.backend.xp.roll(t._data, shifts, axes) if axes else t._data,
               t.dtype)


@op("repeat")
def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Each element (or slice along ``axis``) repeated ``repeats`` times; without ``axis``
    the input is flattened first.

    >>> ts.repeat([[1, 2], [3, 4]], [1, 2], axis=0)   # [[1, 2], [3, 4], [3, 4]]
    """
    t = _x(input, "repeat", "input")
    reps = int_list(repeats, "repeat", "repeats")
    data = t._data.reshape(-1) if axis is None else t._data
    ax = 0 if axis is None else normalize_axis(int(axis), t._data.ndim, "repeat")
    if any(r < 0 for r in reps):
        raise invalid("repeat", f"repeats must be non-negative, got {reps}", kind="value")
    if len(reps) not in (1, data.shape[ax]):
        raise invalid("repeat", f"repeats has {len(reps)} entries, but the axis has "
                      f"{data.shape[ax]}", [describe(t, "input")], kind="shape")
    xp = t._device.backend.xp
    # CuPy takes an int, list or tuple of repeats; NumPy needs an integer array for []
    counts = reps[0] if len(reps) == 1 else (np.asarray(reps, dtype=np.int64) if xp is np
                                             else list(reps))
    return out(xp.repeat(data, counts, axis=ax), t.dtype)


@op("sequence_mask", differentiable=False)
def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """``mask[..., j] = j < lengths[...]`` with ``maxlen`` columns (default the longest).

    >>> ts.sequence_mask([1, 3], 4)   # [[True, False, False, False], [True, True, True, False]]
    """
    n = _x(lengths, "sequence_mask", "lengths")
    if not n.dtype.is_integer:
        raise invalid("sequence_mask", f"lengths must be integers, got {n.dtype.name}",
                      [describe(n, "lengths")], kind="dtype")
    xp = n._device.backend.xp
    m = (int(xp.max(n._data)) if n._data.size else 0) if maxlen is None else int(maxlen)
    if m < 0:
        raise invalid("sequence_mask", f"maxlen must be non-negative, got {m}")
    mask = xp.arange(m) < n._data[..., None]
    d = dtypes.as_dtype(dtype)
    return out(mask if d is dtypes.bool else mask.astype(d._np), d)


@op("one_hot", differentiable=False)
def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """A one-hot encoding; indices outside [0, depth) give an all-off row, as in TensorFlow.

    >>> ts.one_hot([0, 2], 3)     # float32 [[1, 0, 0], [0, 0, 1]]
    """
    idx = _x(indices, "one_hot", "indices")
    if not idx.dtype.is_integer:
        raise invalid("one_hot", f"indices must be integers, got {idx.dtype.name}",
                      [describe(idx, "indices")], kind="dtype",
                      hint="ts.one_hot(ts.cast(indices, ts.int32), depth)")
    depth = int(depth)
    if dtype is not None:
        dt = dtypes.as_dtype(dtype)
    elif on_value is not None and (isinstance(on_value, Tensor) or not isinstance(
            on_value, (int, float, bool))):
        dt = as_tensor(on_value, "one_hot", "on_value").dtype
    else:
        dt = dtypes.float32
    on = as_tensor(1 if on_value is None else on_value, "one_hot", "on_value", dt)
    off = as_tensor(0 if off_value is None else off_value, "one_hot", "off_value", dt)
    xp = idx._device.backend.xp
    nd = idx._data.ndim
    ax = nd if axis in (None, -1) else normalize_axis(int(axis), nd + 1, "one_hot")
    hot = xp.expand_dims(idx._data, -1) == xp.arange(depth)
    data = xp.where(hot, on._data.reshape(()), off._data.reshape(())).astype(dt._np)
    if ax != nd:
        data = xp.moveaxis(data, -1, ax)
    return out(data, dt)


def _check_indices(idx, limit, op_name, label="indices"):
    data = np.asarray(idx._data) if idx._device.backend.xp is np else \
        idx._device.backend.to_numpy(idx._data)
    if data.size:
        bad = (data < 0) | (data >= limit)
        if bad.any():
            pos = tuple(int(i) for i in np.argwhere(bad)[0])
            pos_text = ",".join(str(i) for i in pos)
            raise invalid(op_name, f"{label}[{pos_text}] = {data[pos]} is not in [0, {limit})",
                          [describe(idx, label)], kind="index")


@op("gather")
def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Gather slices of ``params`` along ``axis`` at integer ``indices``.

    >>> ts.gather(ts.constant([10, 20, 30]), [2, 0])   # [30, 10]
    """
    p = _x(params, "gather", "params")
    idx = _x(indices, "gather", "indices")
    if idx.dtype not in INDEX_DTYPES and not idx.dtype.is_integer:
        raise invalid("gather", f"indices must be integers, got {idx.dtype.name}",
                      [describe(idx, "indices")], kind="dtype",
                      hint="ts.gather(params, ts.cast(indices, ts.int32))")
    if p._data.ndim == 0:
        raise invalid("gather", "params must be at least 1 dimensional",
                      [describe(p, "params")], kind="shape")
    b = int(batch_dims)
    if b < 0:
        b += idx._data.ndim
    ax = b if axis is None else normalize_axis(int(axis), p._data.ndim, "gather")
    if ax < b:
        raise invalid("gather", f"axis ({ax}) must be >= batch_dims ({b})", kind="shape")
    if p._data.shape[:b] != idx._data.shape[:b]:
        raise incompatible_shapes("gather", [describe(p, "params"), describe(idx, "indices")],
                                  f"the first batch_dims={b} dimensions must match")
    _check_indices(idx, p._data.shape[ax], "gather")
    xp = p._device.backend.xp
    if b == 0:
        return out(xp.take(p._data, idx._data, axis=ax), p.dtype)
    batch = p._data.shape[:b]
    rows = [xp.take(p._data[i], idx._data[i], axis=ax - b) for i in np.ndindex(*batch)]
    data = xp.stack(rows).reshape(batch + rows[0].shape) if rows else \
        xp.empty(batch + p._data.shape[b:ax] + idx._data.shape[b:] + p._data.shape[ax + 1:],
                 dtype=p._data.dtype)
    return out(data, p.dtype)


@op("boolean_mask")
def boolean_mask(tensor, mask, axis=None, name=None):
    """The elements (or slices) of ``tensor`` where ``mask`` is True, flattened."""
    t = _x(tensor, "boolean_mask")
    m = _x(mask, "boolean_mask", "mask")
    if not m.dtype.is_bool:
        raise invalid("boolean_mask", f"mask must be a bool tensor, got {m.dtype.name}",
                      [describe(m, "mask")], kind="dtype", hint="ts.cast(mask, ts.bool)")
    ax = 0 if axis is None else normalize_axis(int(axis), t._data.ndim, "boolean_mask")
    k = m._data.ndim
    if k == 0:
        raise invalid("boolean_mask", "mask cannot be a scalar", kind="shape")
    if t._data.shape[ax:ax + k] != m._data.shape:
        raise incompatible_shapes("boolean_mask", [describe(t, "tensor"), describe(m, "mask")],
                                  f"the mask's shape must match dimensions {ax}..{ax + k - 1} "
                                  "of the tensor")
    data = t._data
    xp = t._device.backend.xp
    flat = data.reshape(data.shape[:ax] + (-1,) + data.shape[ax + k:])
    sel = xp.flatnonzero(m._data.reshape(-1))
    return out(xp.take(flat, sel, axis=ax), t.dtype)


@op("where")
def where(condition, x=None, y=None, name=None):
    """With ``x`` and ``y``: pick from ``x`` where ``condition`` is True, else from ``y``
    (broadcasting). Alone: the coordinates of the True elements, as int64 [n, rank]."""
    c = _x(condition, "where", "condition")
    if (x is None) != (y is None):
        raise invalid("where", "x and y must both be given, or neither")
    if x is None:
        if not c.dtype.is_bool and not c.dtype.is_integer and not c.dtype.is_floating:
            raise invalid("where", f"condition must be bool or numeric, got {c.dtype.name}")
        xp = c._device.backend.xp
        return out(xp.argwhere(c._data).astype(np.int64), int64)
    if not c.dtype.is_bool:
        raise invalid("where", f"condition must be a bool tensor, got {c.dtype.name}",
                      [describe(c, "condition")], kind="dtype",
                      hint="ts.where(ts.cast(condition, ts.bool), x, y)")
    xt, yt = unify("where", (x, y), ("x", "y"))
    shapes = [c._data.shape, xt._data.shape, yt._data.shape]
    if broadcast_shapes(*shapes) is None:
        raise incompatible_shapes("where", [describe(c, "condition"), describe(xt, "x"),
                                            describe(yt, "y")], broadcast=True)
    xp = c._device.backend.xp
    return out(xp.where(c._data, xt._data, yt._data), xt.dtype)


# ---------------------------------------------------------------------------------------------
# Ops that exist for gradients: unsorted_segment_sum (gather's gradient) and scatter_slice
# (indexing's gradient). Both differentiate again, for second derivatives.
# ---------------------------------------------------------------------------------------------

def _segments(op_def, data, segment_ids, num_segments, ufunc, start):
    """``data``'s rows folded by ``ufunc`` into ``num_segments`` buckets by ``segment_ids``,
    each bucket starting at ``start(dtype)`` (what an empty segment gives)."""
    name = op_def.name
    d = _x(data, name, "data")
    if d.dtype not in op_def.dtypes:
        raise not_allowed(op_def, d, "data")
    ids = _x(segment_ids, name, "segment_ids")
    if not ids.dtype.is_integer:
        raise invalid(name, f"segment_ids must be integers, got {ids.dtype.name}",
                      [describe(ids, "segment_ids")], kind="dtype")
    n = int(num_segments)
    k = ids._data.ndim
    if d._data.shape[:k] != ids._data.shape:
        raise incompatible_shapes(name, [describe(d, "data"), describe(ids, "segment_ids")],
                                  "segment_ids must match the leading dimensions of data")
    _check_indices(ids, n, name, "segment_ids")
    backend = d._device.backend
    rest = d._data.shape[k:]
    flat = d._data.reshape((-1,) + rest)
    idx = ids._data.reshape(-1)
    result = backend.xp.full((n,) + rest, start(d._data.dtype), dtype=d._data.dtype)
    backend.scatter(ufunc, result, backend.to_numpy(idx) if backend.is_gpu else idx, flat)
    return out(result, d.dtype)


def _lowest(dtype):  # numeric_limits<T>::lowest(), as TensorFlow's empty segments
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.finfo(dtype).max if dtype.kind == "f" else np.iinfo(dtype).max


@op("unsorted_segment_sum", dtypes_=NUMERIC, exports=("math",))
def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sum the rows of ``data`` into ``num_segments`` buckets by ``segment_ids``.

    >>> ts.math.unsorted_segment_sum([1., 2., 3.], [0, 2, 0], 3)   # [4., 0., 2.]
    """
    return _segments(unsorted_segment_sum.op, data, segment_ids, num_segments, "add",
                     lambda d: 0)


@op("unsorted_segment_max", dtypes_=dtypes.REAL, exports=("math",))
def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """The largest row of ``data`` per segment; an empty segment gives the dtype's lowest
    finite value, as TensorFlow."""
    return _segments(unsorted_segment_max.op, data, segment_ids, num_segments, "maximum",
                     _lowest)


@op("unsorted_segment_min", dtypes_=dtypes.REAL, exports=("math",))
def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """The smallest row of ``data`` per segment; an empty segment gives the dtype's highest
    finite value."""
    return _segments(unsorted_segment_min.op, data, segment_ids, num_segments, "minimum",
                     _highest)


@op("unsorted_segment_prod", dtypes_=NUMERIC, exports=("math",))
def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """The product of the rows of ``data`` per segment (1 for an empty segment)."""
    return _segments(unsorted_segment_prod.op, data, segment_ids, num_segments, "multiply",
                     lambda d: 1)


@op("scatter_slice", dtypes_=NUMERIC, exports=())
def scatter_slice(updates, key, shape, name=None):
    """A tensor of ``shape`` that is zero except ``result[key] = updates`` (indexing's
    gradient)."""
    u = _x(updates, "scatter_slice", "updates")
    if u.dtype not in NUMERIC:
        raise not_allowed(scatter_slice.op, u, "updates")
    xp = u._device.backend.xp
    result = xp.zeros(tuple(shape), dtype=u._data.dtype)
    from .indexing import normalize_index
    result[normalize_index(key)] = u._data
    return out(result, u.dtype)


# ---------------------------------------------------------------------------------------------
# Gradients
# ---------------------------------------------------------------------------------------------

def unbroadcast(g, like):
    """Sum ``g`` over the dimensions broadcasting added or stretched, back to ``like``'s
    shape: the gradient of every broadcasting op."""
    from .reduction import reduce_sum
    shape = tuple(like._data.shape) if hasattr(like, "_data") else tuple(np.shape(like))
    gshape = tuple(g._data.shape)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = list(range(lead)) + [lead + i for i, d in enumerate(shape)
                                if d == 1 and gshape[lead + i] != 1]
    if axes:
        g = reduce_sum(g, axes, keepdims=True)
    return reshape(g, list(shape))


def _float_cast_grad(g, ans, x, dtype, name=None):
    src = x.dtype
    if (src.is_floating or src.is_complex) and (ans.dtype.is_floating or ans.dtype.is_complex):
        return (cast(g, src),)
    return (None,)


def _transpose_grad(g, ans, a, perm=None, conjugate=False, name=None):
    nd = a.ndim
    p = list(range(nd))[::-1] if perm is None else int_list(perm, "transpose", "perm")
    inverse = [0] * nd
    for i, j in enumerate(p):
        inverse[j] = i
    return (transpose(g, inverse, conjugate),)


def _tile_grad(g, ans, x, multiples, name=None):
    from .reduction import reduce_sum
    m = int_list(multiples, "tile", "multiples")
    split_shape = []
    for k, d in zip(m, x.shape):
        split_shape += [k, d]
    summed = reduce_sum(reshape(g, split_shape), list(range(0, 2 * len(m), 2)))
    return (summed,)


def _concat_grad(g, ans, values, axis, name=None):
    sizes = [v.shape[int(axis) % max(len(v.shape), 1)] for v in values]
    return (split(g, sizes, axis=int(axis)),)


def _zeros_for(gs, like):
    from .creation import zeros_like
    return [zeros_like(t) if gi is None else gi for gi, t in zip(gs, like)]


def _pad_grad(g, ans, tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    p = int_list(paddings, "pad", "paddings")
    mode = mode.upper()
    for axis, d in enumerate(tensor.shape):
        a, b = p[2 * axis], p[2 * axis + 1]
        size = g.shape[axis]
        core = _slice_axis(g, axis, a, size - b)
        if mode != "CONSTANT":
            off = 1 if mode == "REFLECT" else 0
            if a:
                pre = reverse(_slice_axis(g, axis, 0, a), [axis])
                core = core + _pad_axis(pre, axis, off, d - a - off)
            if b:
                post = reverse(_slice_axis(g, axis, size - b, size), [axis])
                core = core + _pad_axis(post, axis, d - b - off, off)
        g = core
    return (g,) + (None,) * 3


def _slice_axis(t, axis, start, stop):
    idx = [slice(None)] * t.ndim
    idx[axis] = slice(start, stop)
    return t[tuple(idx)]


def _pad_axis(t, axis, before, after):
    pads = [[0, 0] for _ in range(t.ndim)]
    pads[axis] = [before, after]
    return pad(t, pads)


def _gather_grad(g, ans, params, indices, validate_indices=None, axis=None, batch_dims=0,
                 name=None):
    idx = as_tensor(indices, "gather", "indices")
    b = int(batch_dims) % (idx.ndim + 1) if batch_dims else 0
    ax = b if axis is None else int(axis) % params.ndim
    if b:
        rows = [_gather_grad(g[i], None, params[i], idx[i], axis=ax - b)[0]
                for i in range(params.shape[0])]
        return (stack(rows),)
    n = params.shape[ax]
    k = idx.ndim
    # move the gathered axis to the front, sum the rows into their sources, move it back
    g_nd = g.ndim
    front = list(range(ax, ax + k)) + list(range(0, ax)) + list(range(ax + k, g_nd))
    summed = unsorted_segment_sum(transpose(g, front), idx, n)
    back = list(range(1, ax + 1)) + [0] + list(range(ax + 1, params.ndim))
    return (transpose(summed, back),)


def _boolean_mask_grad(g, ans, tensor, mask, axis=None, name=None):
    m = as_tensor(mask, "boolean_mask", "mask")
    ax = 0 if axis is None else int(axis) % tensor.ndim
    k = m.ndim
    lead = list(tensor.shape[ax:ax + k])
    n = 1
    for d in lead:
        n *= d
    positions = reshape(where(reshape(m, [-1])), [-1])
    front = [ax] + list(range(0, ax)) + list(range(ax + 1, g.ndim))
    summed = unsorted_segment_sum(transpose(g, front), positions, n)
    summed = reshape(summed, lead + list(summed.shape[1:]))
    back = list(range(k, k + ax)) + list(range(0, k)) + list(range(k + ax, summed.ndim))
    return (transpose(summed, back),)


def _where_grad(g, ans, condition, x=None, y=None, name=None):
    from .creation import zeros_like
    zero = zeros_like(g)
    return (None, unbroadcast(where(condition, g, zero), x),
            unbroadcast(where(condition, zero, g), y))


def _getitem_grad(g, ans, t, key):
    return (scatter_slice(g, key, list(t.shape)),)


defgrad(identity, lambda g, ans, x, name=None: (g,))
defgrad(cast, _float_cast_grad)
defgrad(reshape, lambda g, ans, t, shape, name=None: (reshape(g, list(t.shape)),))
defgrad(squeeze, lambda g, ans, x, axis=None, name=None: (reshape(g, list(x.shape)),))
defgrad(expand_dims, lambda g, ans, x, axis, name=None: (reshape(g, list(x.shape)),))
defgrad(transpose, _transpose_grad)
defgrad(tile, _tile_grad)
defgrad(concat, _concat_grad)
defgrad(stack, lambda g, ans, values, axis=0, name=None: (unstack(g, axis=axis),))
defgrad(unstack, lambda g, ans, value, num=None, axis=0, name=None:
        (stack(_zeros_for(g, ans), axis=axis),))
defgrad(split, lambda g, ans, value, sizes, axis=0, num=None, name=None:
        (concat(_zeros_for(g, ans), axis),))
defgrad(broadcast_to, lambda g, ans, x, shape, name=None: (unbroadcast(g, x),))
defgrad(pad, _pad_grad)
defgrad(reverse, lambda g, ans, t, axis, name=None: (reverse(g, axis),))
defgrad(roll, lambda g, ans, t, shift, axis, name=None:
        (roll(g, [-s for s in int_list(shift, "roll", "shift")], axis),))


def _repeat_grad(g, ans, x, repeats, axis=None, name=None):
    """Each input slice collects the gradients of its copies."""
    reps = int_list(repeats, "repeat", "repeats")
    if axis is None:
        n, ax = x.shape.num_elements(), 0
    else:
        ax = int(axis) % x.ndim
        n = x.shape[ax]
    source = np.repeat(np.arange(n), reps[0] if len(reps) == 1 else reps)
    moved = transpose(g, [ax] + [i for i in range(g.ndim) if i != ax])
    summed = unsorted_segment_sum(moved, source, n)
    back = list(range(1, ax + 1)) + [0] + list(range(ax + 1, summed.ndim))
    summed = transpose(summed, back)
    return (reshape(summed, list(x.shape)) if axis is None else summed,)


defgrad(repeat, _repeat_grad)
defgrad(gather, _gather_grad)
defgrad(boolean_mask, _boolean_mask_grad)
defgrad(where, _where_grad)
defgrad(unsorted_segment_sum, lambda g, ans, data, ids, n, name=None: (gather(g, ids),))


def zeros_like_(t):
    from .creation import zeros_like
    return zeros_like(t)


def ones_like_(t):
    from .creation import ones_like
    return ones_like(t)


def _segment_extreme_grad(g, ans, data, ids, n, name=None):
    """To the rows that equal their segment's extreme, shared evenly among ties (as
    TensorFlow)."""
    from .elementwise import equal
    from .registry import as_tensor as _t
    data = _t(data, "unsorted_segment_max", "data")
    chosen = equal(data, gather(ans, ids))
    count = unsorted_segment_sum(cast(chosen, data.dtype), ids, n)
    return (where(chosen, gather(g / count, ids), zeros_like_(data)),)


def _segment_prod_grad(g, ans, data, ids, n, name=None):
    """The product of the other rows of the segment, zeros included (as TensorFlow)."""
    from .elementwise import equal, greater
    from .registry import as_tensor as _t
    data = _t(data, "unsorted_segment_prod", "data")
    is_zero = equal(data, zeros_like_(data))
    zeros = unsorted_segment_sum(cast(is_zero, int32), ids, n)
    g = where(greater(zeros, 1), zeros_like_(g), g)  # two zeros: every other product is 0
    nonzero = where(is_zero, ones_like_(data), data)
    nonzero_prod = unsorted_segment_prod(nonzero, ids, n)
    others = where(is_zero, gather(nonzero_prod, ids), gather(ans, ids) / nonzero)
    return (gather(g, ids) * others,)


defgrad(unsorted_segment_max, _segment_extreme_grad)
defgrad(unsorted_segment_min, _segment_extreme_grad)
defgrad(unsorted_segment_prod, _segment_prod_grad)
defgrad(scatter_slice, lambda g, ans, updates, key, shape, name=None: (g[key],))
