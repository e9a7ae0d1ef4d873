"""Rearranging and binning, as TensorFlow defines them: ``searchsorted``,
``reverse_sequence``, ``unravel_index``, ``histogram_fixed_width(_bins)``,
``dynamic_partition``/``dynamic_stitch``, ``space_to_depth``/``depth_to_space``,
``space_to_batch_nd``/``batch_to_space`` and ``strided_slice``.

The moves are built from reshape, transpose, pad and gather, so gradients flow through
them; the index computations (which element goes where) run on the host, as
TensorFlow's kernels compute them on the CPU.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..errors import fmt_shape, invalid
from . import creation as _creation, shape as _shape
from .registry import as_tensor, composite, describe, out
from .shape import int_list


def _host(t) -> np.ndarray:
    return np.asarray(t._device.backend.to_numpy(t._data))


def _on_device(arr: np.ndarray, like, dtype):
    return out(like._device.backend.from_numpy(arr), dtype)


def _index_dtype(out_type, op_name):
    d = dtypes.as_dtype(out_type)
    if d not in (dtypes.int32, dtypes.int64):
        raise invalid(op_name, f"out_type must be int32 or int64, got {d.name}", kind="dtype")
    return d


# -- searching and binning -----------------------------------------------------------------------

def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """For each value, the position in its row of ``sorted_sequence`` (sorted along the
    last axis) where it would be inserted to keep the order: before equal entries with
    ``side="left"``, after them with ``"right"``. Leading dimensions must match."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be either 'right' or 'left'. Saw: {side}.")
    seq = as_tensor(sorted_sequence, "searchsorted", "sorted_sequence")
    vals = as_tensor(values, "searchsorted", "values", seq.dtype)
    d = _index_dtype(out_type, "searchsorted")
    if seq.ndim == 0 or vals.ndim == 0 or tuple(seq.shape[:-1]) != tuple(vals.shape[:-1]):
        raise invalid("searchsorted", "sorted_sequence and values must have the same leading "
                      f"dimensions, got {fmt_shape(tuple(seq.shape))} and "
                      f"{fmt_shape(tuple(vals.shape))}",
                      [describe(seq, "sorted_sequence"), describe(vals, "values")],
                      kind="shape")
    s, v = _host(seq), _host(vals)
    rows_s = s.reshape(-1, s.shape[-1])
    rows_v = v.reshape(-1, v.shape[-1])
    result = np.stack([np.searchsorted(a, b, side=side) for a, b in zip(rows_s, rows_v)]) \
        if rows_s.shape[0] else np.zeros(rows_v.shape, np.int64)
    return _on_device(result.reshape(v.shape).astype(d._np), seq, d)


def _bins(values, value_range, nbins, op_name):
    v = as_tensor(values, op_name, "values")
    if not (v.dtype.is_floating or v.dtype.is_integer):
        raise invalid(op_name, f"values must be numeric, got {v.dtype.name}",
                      [describe(v, "values")], kind="dtype")
    r = as_tensor(value_range, op_name, "value_range", v.dtype)
    n = int(as_tensor(nbins, op_name, "nbins").numpy())
    if n <= 0:
        raise invalid(op_name, f"nbins should be a positive number, but got '{n}'")
    lo, hi = (float(x) for x in _host(r).reshape(-1)[:2])
    if not lo < hi:
        raise invalid(op_name, f"value_range should satisfy value_range[0] < value_range[1], "
                      f"but got '[{lo}, {hi}]'")
    x = _host(v).astype(np.float64)
    with np.errstate(invalid="ignore"):
        idx = np.floor((x - lo) / (hi - lo) * n)
    return v, np.clip(np.nan_to_num(idx, nan=0.0), 0, n - 1).astype(np.int64), n


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32,
                               name=None):
    """The bin of each value among ``nbins`` equal bins spanning ``value_range``; values
    below go to the first bin, values at or above its end to the last."""
    v, idx, _ = _bins(values, value_range, nbins, "histogram_fixed_width_bins")
    d = _index_dtype(dtype, "histogram_fixed_width_bins")
    return _on_device(idx.astype(d._np), v, d)


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """How many values fall in each of ``nbins`` equal bins spanning ``value_range``
    (values outside count in the first or last bin)."""
    v, idx, n = _bins(values, value_range, nbins, "histogram_fixed_width")
    d = _index_dtype(dtype, "histogram_fixed_width")
    return _on_device(np.bincount(idx.reshape(-1), minlength=n).astype(d._np), v, d)


def unravel_index(indices, dims, name=None):
    """The coordinates of flat ``indices`` in an array of shape ``dims``: shape
    ``[len(dims)] + indices.shape``."""
    idx = as_tensor(indices, "unravel_index", "indices")
    shape = as_tensor(dims, "unravel_index", "dims", idx.dtype)
    if not idx.dtype.is_integer or idx.dtype not in (dtypes.int32, dtypes.int64):
        raise invalid("unravel_index", f"indices must be int32 or int64, got {idx.dtype.name}",
                      [describe(idx, "indices")], kind="dtype")
    flat, dims_ = _host(idx), [int(x) for x in _host(shape).reshape(-1)]
    size = int(np.prod(dims_, dtype=np.int64))
    if flat.size and (flat.min() < 0 or flat.max() >= size):
        raise invalid("unravel_index", f"index is out of bound as with dims: indices must be "
                      f"in [0, {size}) for dims {dims_}", [describe(idx, "indices")])
    coords = np.stack(np.unravel_index(flat, dims_)) if dims_ else np.zeros((0,) + flat.shape)
    return _on_device(coords.astype(idx.dtype._np), idx, idx.dtype)


# -- partitions -----------------------------------------------------------------------------------

def dynamic_partition(data, partitions, num_partitions, name=None):
    """``num_partitions`` tensors: the slices of ``data`` whose partition number (from
    ``partitions``, which covers data's leading dimensions) is 0, 1, ..."""
    t = as_tensor(data, "dynamic_partition", "data")
    p = as_tensor(partitions, "dynamic_partition", "partitions")
    n = int(num_partitions)
    if p.dtype is not dtypes.int32:
        raise invalid("dynamic_partition", f"partitions must be int32, got {p.dtype.name}",
                      [describe(p, "partitions")], kind="dtype")
    if tuple(t.shape[:p.ndim]) != tuple(p.shape):
        raise invalid("dynamic_partition", f"data.shape must start with partitions.shape, "
                      f"got data.shape = {fmt_shape(tuple(t.shape))}, partitions.shape = "
                      f"{fmt_shape(tuple(p.shape))}", [describe(t, "data"),
                                                       describe(p, "partitions")],
                      kind="shape")
    which = _host(p).reshape(-1)
    bad = np.flatnonzero((which < 0) | (which >= n))
    if bad.size:
        raise invalid("dynamic_partition", f"partitions[{bad[0]}] = {which[bad[0]]} is not in "
                      f"[0, {n})", [describe(p, "partitions")])
    rows = _shape.reshape(t, [-1] + list(t.shape[p.ndim:]))
    return [_shape.gather(rows, np.flatnonzero(which == i).astype(np.int64))
            for i in range(n)]


def dynamic_stitch(indices, data, name=None):
    """Merge ``data[m]`` into one tensor at the rows ``indices[m]`` names (later entries win
    where indices repeat; rows nobody names are zeros)."""
    if not isinstance(indices, (list, tuple)) or not isinstance(data, (list, tuple)) \
            or not indices or len(indices) != len(data):
        raise ValueError("dynamic_stitch needs two lists of the same non-zero length: index "
                         "tensors and data tensors")
    idx = [as_tensor(i, "dynamic_stitch", f"indices[{k}]") for k, i in enumerate(indices)]
    vals = _unify_data(data)
    tail = None
    flat_rows = []
    for k, (i, v) in enumerate(zip(idx, vals)):
        if tuple(v.shape[:i.ndim]) != tuple(i.shape):
            raise invalid("dynamic_stitch", f"data[{k}].shape must start with "
                          f"indices[{k}].shape, got {fmt_shape(tuple(v.shape))} and "
                          f"{fmt_shape(tuple(i.shape))}", [describe(v, f"data[{k}]")],
                          kind="shape")
        rest = list(v.shape[i.ndim:])
        if tail is None:
            tail = rest
        elif rest != tail:
            raise invalid("dynamic_stitch", f"data[{k}] has trailing shape {rest}, the "
                          f"others {tail}", [describe(v, f"data[{k}]")], kind="shape")
        flat_rows.append(_shape.reshape(v, [-1] + rest))
    positions = np.concatenate([_host(i).reshape(-1) for i in idx]).astype(np.int64) \
        if idx else np.zeros(0, np.int64)
    if positions.size and positions.min() < 0:
        raise invalid("dynamic_stitch", "indices must be non-negative")
    size = int(positions.max()) + 1 if positions.size else 0
    source = np.full(size, -1, np.int64)
    np.maximum.at(source, positions, np.arange(positions.size))  # the last writer wins
    pool = _shape.concat(flat_rows + [_creation.zeros([1] + tail, dtype=vals[0].dtype)], 0)
    return _shape.gather(pool, np.where(source >= 0, source, positions.size))


def _unify_data(data):
    from .registry import unify
    return unify("dynamic_stitch", list(data), [f"data[{k}]" for k in range(len(data))])


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):  # noqa: A002
    """Reverse the first ``seq_lengths[b]`` entries along ``seq_axis`` of each slice ``b``
    along ``batch_axis``; the rest stay in place."""
    t = as_tensor(input, "reverse_sequence", "input")
    lengths = as_tensor(seq_lengths, "reverse_sequence", "seq_lengths")
    if t.ndim < 2:
        raise invalid("reverse_sequence", f"input must have rank >= 2 (a batch axis and a "
                      f"sequence axis), got shape {fmt_shape(tuple(t.shape))}",
                      [describe(t, "input")], kind="shape")
    s = int(seq_axis) % t.ndim if seq_axis is not None else 0
    b = int(batch_axis or 0) % t.ndim
    if s == b:
        raise invalid("reverse_sequence", f"seq_axis and batch_axis must differ, both are {s}")
    n = _host(lengths).reshape(-1).astype(np.int64)
    if n.size != t.shape[b]:
        raise invalid("reverse_sequence", f"len(seq_lengths) != input.dims({b}), ({n.size} vs. "
                      f"{t.shape[b]})", [describe(t, "input")], kind="shape")
    if n.size and (n.min() < 0 or n.max() > t.shape[s]):
        raise invalid("reverse_sequence", f"seq_lengths must be in [0, {t.shape[s]}] "
                      f"(input.dims({s})), got {n.tolist()}", [describe(t, "input")])
    perm = [b, s] + [a for a in range(t.ndim) if a not in (b, s)]
    moved = _shape.transpose(t, perm)
    steps = np.arange(t.shape[s])
    order = np.where(steps[None, :] < n[:, None], n[:, None] - 1 - steps[None, :],
                     steps[None, :])
    gathered = _shape.gather(moved, order, axis=1, batch_dims=1)
    return _shape.transpose(gathered, list(np.argsort(perm)))


# -- space, depth and batch -----------------------------------------------------------------------

def _nhwc(t, data_format, op_name):
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"{op_name}: data_format must be 'NHWC' or 'NCHW', got "
                         f"{data_format!r}")
    if t.ndim != 4:
        raise invalid(op_name, f"input must be 4-D, got shape {fmt_shape(tuple(t.shape))}",
                      [describe(t, "input")], kind="shape")
    return t if data_format == "NHWC" else _shape.transpose(t, [0, 2, 3, 1])


def _back(t, data_format):
    return t if data_format == "NHWC" else _shape.transpose(t, [0, 3, 1, 2])


def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """Move each ``block_size`` x ``block_size`` block of pixels into the channels
    (row-major within the block): [b, h, w, c] -> [b, h/bs, w/bs, bs*bs*c]."""
    t = _nhwc(as_tensor(input, "space_to_depth", "input"), data_format, "space_to_depth")
    bs = int(block_size)
    n, h, w, c = t.shape
    if bs < 2 or h % bs or w % bs:
        raise invalid("space_to_depth", f"Image width {w} and height {h} should be divisible "
                      f"by block_size: {bs} (which must be at least 2)",
                      [describe(t, "input")], kind="shape")
    x = _shape.reshape(t, [n, h // bs, bs, w // bs, bs, c])
    x = _shape.transpose(x, [0, 1, 3, 2, 4, 5])
    return _back(_shape.reshape(x, [n, h // bs, w // bs, bs * bs * c]), data_format)


def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """The inverse of space_to_depth: [b, h, w, bs*bs*c] -> [b, h*bs, w*bs, c]."""
    t = _nhwc(as_tensor(input, "depth_to_space", "input"), data_format, "depth_to_space")
    bs = int(block_size)
    n, h, w, c = t.shape
    if bs < 2 or c % (bs * bs):
        raise invalid("depth_to_space", f"Input depth dimension {c} should be divisible by: "
                      f"{bs * bs} (block_size squared; block_size must be at least 2)",
                      [describe(t, "input")], kind="shape")
    x = _shape.reshape(t, [n, h, w, bs, bs, c // (bs * bs)])
    x = _shape.transpose(x, [0, 1, 3, 2, 4, 5])
    return _back(_shape.reshape(x, [n, h * bs, w * bs, c // (bs * bs)]), data_format)


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002
    """Pad the spatial dimensions (those after the batch, one per ``block_shape`` entry),
    then move each block's positions into the batch: [b, d1, ..., rest] ->
    [b * prod(block), d1/block1, ..., rest]."""
    t = as_tensor(input, "space_to_batch_nd", "input")
    block = int_list(block_shape, "space_to_batch_nd", "block_shape")
    m = len(block)
    pads = np.asarray(_host(as_tensor(paddings, "space_to_batch_nd", "paddings")),
                      np.int64).reshape(m, 2) if m else np.zeros((0, 2), np.int64)
    if t.ndim < m + 1 or any(k < 1 for k in block) or (pads < 0).any():
        raise invalid("space_to_batch_nd", f"input of shape {fmt_shape(tuple(t.shape))} needs "
                      f"{m} spatial dimensions after the batch, block_shape >= 1 and "
                      "non-negative paddings", [describe(t, "input")], kind="shape")
    full = [[0, 0]] + pads.tolist() + [[0, 0]] * (t.ndim - 1 - m)
    x = _shape.pad(t, full)
    padded = list(x.shape)
    for i, k in enumerate(block):
        if padded[1 + i] % k:
            raise invalid("space_to_batch_nd", f"padded_shape[{i}]={padded[1 + i]} is not "
                          f"divisible by block_shape[{i}]={k}", [describe(t, "input")],
                          kind="shape")
    batch, rest = padded[0], padded[1 + m:]
    split = [batch] + [v for i, k in enumerate(block) for v in (padded[1 + i] // k, k)] + rest
    x = _shape.reshape(x, split)
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + \
        list(range(1 + 2 * m, 1 + 2 * m + len(rest)))
    x = _shape.transpose(x, perm)
    return _shape.reshape(x, [batch * int(np.prod(block, dtype=np.int64))]
                          + [padded[1 + i] // k for i, k in enumerate(block)] + rest)


def batch_to_space(input, block_shape, crops, name=None):  # noqa: A002
    """The inverse of space_to_batch_nd: move batch blocks back into the spatial
    dimensions, then crop them by ``crops``."""
    t = as_tensor(input, "batch_to_space", "input")
    block = int_list(block_shape, "batch_to_space", "block_shape")
    m = len(block)
    crop = np.asarray(_host(as_tensor(crops, "batch_to_space", "crops")),
                      np.int64).reshape(m, 2) if m else np.zeros((0, 2), np.int64)
    prod = int(np.prod(block, dtype=np.int64))
    shape = list(t.shape)
    if t.ndim < m + 1 or any(k < 1 for k in block) or (crop < 0).any() or shape[0] % prod:
        raise invalid("batch_to_space", f"input of shape {fmt_shape(tuple(shape))}: the "
                      f"batch must be divisible by prod(block_shape) = {prod}, with {m} "
                      "spatial dimensions after it and non-negative crops",
                      [describe(t, "input")], kind="shape")
    batch, spatial, rest = shape[0] // prod, shape[1:1 + m], shape[1 + m:]
    x = _shape.reshape(t, list(block) + [batch] + spatial + rest)
    perm = [m] + [v for i in range(m) for v in (m + 1 + i, i)] + \
        list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    x = _shape.reshape(_shape.transpose(x, perm),
                       [batch] + [s * k for s, k in zip(spatial, block)] + rest)
    full = [s * k for s, k in zip(spatial, block)]
    if any(a + b > size for (a, b), size in zip(crop.tolist(), full)):
        raise invalid("batch_to_space", f"crops {crop.tolist()} exceed the spatial size "
                      f"{full}", [describe(t, "input")], kind="shape")
    index = (slice(None),) + tuple(slice(a, size - b) for (a, b), size in
                                   zip(crop.tolist(), full))
    return x[index]


def space_to_batch(input, block_shape, paddings, name=None):  # noqa: A002
    """TensorFlow 2's name for space_to_batch_nd."""
    return space_to_batch_nd(input, block_shape, paddings)


# -- strided_slice --------------------------------------------------------------------------------

def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0,
                  ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0, var=None,
                  name=None):
    """``input_[begin:end:strides]`` written as TensorFlow's op: bit i of a mask applies
    to position i - begin_mask/end_mask ignore that bound, ellipsis_mask makes it ``...``,
    new_axis_mask a new axis, shrink_axis_mask takes the single index ``begin[i]``."""
    t = input_
    b = int_list(begin, "strided_slice", "begin")
    e = int_list(end, "strided_slice", "end")
    st = int_list(strides, "strided_slice", "strides") if strides is not None else [1] * len(b)
    if not len(b) == len(e) == len(st):
        raise ValueError(f"begin, end and strides must have the same length, got {len(b)}, "
                         f"{len(e)} and {len(st)}")
    if bin(int(ellipsis_mask)).count("1") > 1:
        raise ValueError("Multiple ellipses in slice spec not allowed")
    key = []
    for i in range(len(b)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append(b[i])
        else:
            if st[i] == 0:
                raise ValueError("strides must be non-zero")
            key.append(slice(None if begin_mask & bit else b[i],
                             None if end_mask & bit else e[i], st[i]))
    return as_tensor(t, "strided_slice", "input_")[tuple(key)]


composite(searchsorted, ("",))
composite(histogram_fixed_width_bins, ("",))
composite(histogram_fixed_width, ("",))
composite(unravel_index, ("",))
composite(dynamic_partition, ("",))
composite(dynamic_stitch, ("",))
composite(reverse_sequence, ("",))
composite(space_to_depth, ("nn",))
composite(depth_to_space, ("nn",))
composite(space_to_batch_nd, ("",))
composite(space_to_batch, ("", "nn"))
composite(batch_to_space, ("",))
composite(strided_slice, ("",))
