"""Ops built from other ops: no kernel and no gradient of their own (autodiff sees the ops
they call), so they run on every device and differentiate for free. Each follows
TensorFlow's definition, including where it guards against 0/0 and log(0)."""

from __future__ import annotations

from ..dtypes import COMPLEX, FLOATING, INTEGER, NUMERIC, bool as bool_, float32, int32, int64
from ..errors import incompatible_shapes, invalid
from ..shapes import broadcast_shapes, explain_broadcast
from ..tensor import Tensor
from . import creation as _creation, elementwise as _ew, reduction as _red, shape as _shape
from .registry import NAMESPACES, as_tensor, composite, describe, unify


# -- ts.math -------------------------------------------------------------------------------------

def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape and dtype (no broadcasting).

    >>> ts.add_n([ts.constant([1., 2.]), ts.constant([3., 4.])])   # [4., 6.]
    """
    if isinstance(inputs, Tensor) or not inputs:
        raise ValueError("inputs must be a non-empty list of tensors with the same shape "
                         "and dtype")
    labels = [f"inputs[{i}]" for i in range(len(inputs))]
    ts_ = unify("add_n", list(inputs), labels)  # one dtype, or the error naming the cast
    first = ts_[0]
    for t, label in zip(ts_[1:], labels[1:]):
        if t.shape != first.shape:
            raise incompatible_shapes("add_n", [describe(first, labels[0]),
                                                describe(t, label)],
                                      "add_n needs inputs of the same shape (it does not "
                                      "broadcast)")
    total = first
    for t in ts_[1:]:
        total = total + t
    return _shape.identity(total) if len(ts_) == 1 else total


def count_nonzero(input, axis=None, keepdims=None, dtype=int64, name=None):  # noqa: A002
    """How many entries are not zero (not ``b""`` for strings), as ``dtype`` (int64)."""
    x = as_tensor(input, "count_nonzero", "input")
    zero = b"" if x.dtype.is_string else _creation.zeros_like(x)
    hit = _ew.not_equal(x, zero)
    return _red.reduce_sum(_shape.cast(hit, dtype), axis, keepdims=bool(keepdims))


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """``sqrt(sum(x ** 2))`` over ``axis``; integer inputs give the truncated integer norm,
    as in TensorFlow."""
    x = as_tensor(input_tensor, "reduce_euclidean_norm", "input_tensor")
    if x.dtype in INTEGER:
        wide = _shape.cast(x, x.dtype if x.dtype.size == 8 else int64)
        norm = _ew.sqrt(_shape.cast(_red.reduce_sum(wide * wide, axis, keepdims), "float64"))
        return _shape.cast(_ew.floor(norm), x.dtype)
    x = _float(x, "reduce_euclidean_norm", "input_tensor", FLOATING | COMPLEX,
               "a floating-point or complex")
    if x.dtype in COMPLEX:  # sqrt(sum(|x| ** 2)), as a complex number as TensorFlow gives it
        return _ew.sqrt(_red.reduce_sum(x * _ew.conj(x), axis, keepdims))
    return _ew.sqrt(_red.reduce_sum(x * x, axis, keepdims))


def _public(name):
    """Where users call a composite: ``ts.nn.silu``, ``ts.linalg.expm`` ..."""
    for ns, functions in NAMESPACES.items():  # the top level first
        if name in functions:
            return "ts." + (ns + "." if ns else "") + name
    return "ts." + name


def _float(value, op_name, label="x", allowed=FLOATING, what="a floating-point"):
    t = as_tensor(value, op_name, label)
    if t.dtype not in allowed:
        raise invalid(op_name, f"{label} must be {what} tensor, got {t.dtype.name}",
                      [describe(t, label)], kind="dtype",
                      hint=f"{_public(op_name)}(ts.cast({label}, ts.float32), ...)")
    return t


def _broadcast_pair(op_name, x, y, x_label, y_label, allowed=FLOATING,
                    what="a floating-point"):
    x = _float(x, op_name, x_label, allowed, what)
    y = as_tensor(y, op_name, y_label, x.dtype)
    shape = broadcast_shapes(tuple(x.shape), tuple(y.shape))
    if shape is None:
        raise incompatible_shapes(op_name, [describe(x, x_label), describe(y, y_label)],
                                  explain_broadcast([tuple(x.shape), tuple(y.shape)]),
                                  broadcast=True)
    return _shape.broadcast_to(x, shape), _shape.broadcast_to(y, shape)


def divide_no_nan(x, y, name=None):
    """``x / y``, and 0 wherever ``y`` is 0 (its gradient is 0 there too). Integers divide
    as ``/`` does (float32 up to 16 bits, float64 above), as in TensorFlow."""
    x, y = _broadcast_pair("divide_no_nan", x, y, "x", "y", NUMERIC, "a numeric")
    zero = _ew.equal(y, _creation.zeros_like(y))
    q = x / _shape.where(zero, _creation.ones_like(y), y)
    return _shape.where(zero, _creation.zeros_like(q), q)


def xlogy(x, y, name=None):
    """``x * log(y)``, and 0 wherever ``x`` is 0 (even where ``y`` is 0)."""
    x, y = _broadcast_pair("xlogy", x, y, "x", "y", FLOATING | COMPLEX,
                           "a floating-point or complex")
    zero = _ew.equal(x, _creation.zeros_like(x))
    r = x * _ew.log(_shape.where(zero, _creation.ones_like(y), y))
    return _shape.where(zero, _creation.zeros_like(r), r)


def log_sigmoid(x, name=None):
    """``log(sigmoid(x))`` computed as ``-softplus(-x)``: no overflow for large ``|x|``."""
    x = _float(x, "log_sigmoid")
    return -_ew.softplus(-x)


def meshgrid(*args, indexing="xy", name=None):
    """Coordinate grids from 1-D tensors: ``indexing='xy'`` (Cartesian, the default) swaps the
    first two output axes, ``'ij'`` keeps matrix order. Differentiable."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing must be 'xy' or 'ij', got {indexing!r}")
    vectors = [_shape.reshape(as_tensor(a, "meshgrid", f"args[{i}]"), [-1])
               for i, a in enumerate(args)]
    shape = [v.shape[0] for v in vectors]
    if indexing == "xy" and len(vectors) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, v in enumerate(vectors):
        axis = (1 if i == 0 else 0 if i == 1 else i) if indexing == "xy" and \
            len(vectors) > 1 else i
        view = [1] * len(vectors)
        view[axis] = -1
        grids.append(_shape.broadcast_to(_shape.reshape(v, view), shape))
    return grids


def slice_(input_, begin, size, name=None):
    """The block of ``input_`` starting at ``begin`` with ``size`` entries per dimension
    (-1: everything to the end)."""
    from .shape import int_list
    x = as_tensor(input_, "slice", "input_")
    b = int_list(begin, "slice", "begin")
    n = int_list(size, "slice", "size")
    if len(b) != x.ndim or len(n) != x.ndim:
        raise invalid("slice", f"begin and size must have {x.ndim} entries (the rank of "
                      f"input_), got {len(b)} and {len(n)}", [describe(x, "input_")],
                      kind="shape")
    key = []
    for d, (start, count) in enumerate(zip(b, n)):
        stop = x.shape[d] if count == -1 else start + count
        if start < 0 or count < -1 or stop > x.shape[d]:
            raise invalid("slice", f"begin[{d}] = {start} and size[{d}] = {count} do not fit "
                          f"dimension {d} of size {x.shape[d]}", [describe(x, "input_")],
                          kind="index")
        key.append(slice(start, stop))
    return x[tuple(key)]


slice_.__name__ = slice_.__qualname__ = "slice"  # ts.slice, as TensorFlow names it


def saturate_cast(value, dtype, name=None):
    """``cast`` that clamps to the target's range first (no wrap-around): 300.0 to uint8 is
    255, -1 is 0, and 3e9 (float32) to int32 is 2147483520, the largest float32 inside."""
    from .. import dtypes as _dt
    x = as_tensor(value, "saturate_cast", "value")
    d = _dt.as_dtype(dtype)
    if d.is_integer and (x.dtype.is_integer or x.dtype.is_floating):
        lo, hi = max(d.min, int(x.dtype.min)), min(d.max, int(x.dtype.max))
        if x.dtype.is_floating:  # int32's max as float32 is 2**31, which would wrap
            lo, hi = _inside(lo, x.dtype), _inside(hi, x.dtype)
        return _shape.cast(_ew.minimum(_ew.maximum(x, lo), hi), d)
    if x.dtype.is_floating and d.is_floating and d.size < x.dtype.size:
        return _shape.cast(_ew.minimum(_ew.maximum(x, float(d.min)), float(d.max)), d)
    return _shape.cast(x, d)


def _inside(limit: int, dtype) -> float:
    """The value of the float ``dtype`` nearest ``limit`` that does not pass it."""
    import numpy as np
    f = dtype.as_numpy_dtype(limit)
    while abs(int(f)) > abs(limit):
        f = np.nextafter(f, dtype.as_numpy_dtype(0))
    return float(f)


def ensure_shape(x, shape, name=None):
    """``x`` unchanged when its shape is compatible with ``shape`` (None: any size), else
    InvalidArgumentError."""
    from ..tensor import TensorShape
    t = as_tensor(x, "ensure_shape", "x")
    want = TensorShape(shape)
    if want and (len(want) != t.ndim or any(w is not None and w != g for w, g in
                                            zip(want.as_list(), t.shape.as_list()))):
        raise invalid("ensure_shape", f"Shape of tensor x {list(t.shape)} is not compatible "
                      f"with expected shape {want.as_list()}", [describe(t, "x")],
                      kind="shape")
    return _shape.identity(t)


def softsign(features, name=None):
    """``x / (1 + |x|)``."""
    x = _float(features, "softsign", "features")
    return x / (1 + _ew.abs(x))


def _sorted_segments(name, segment_ids):
    """``segment_ids`` (sorted, as TensorFlow requires of the segment_* ops) and how many
    segments they make (one per id up to the largest)."""
    ids = as_tensor(segment_ids, name, "segment_ids")
    host = ids.numpy().reshape(-1) if ids.dtype.is_integer else None
    if host is not None and host.size and (host[1:] < host[:-1]).any():
        raise invalid(name, "segment_ids should be sorted (use the unsorted_segment_ form "
                      "for ids in any order)", [describe(ids, "segment_ids")])
    return ids, (int(host.max()) + 1 if host is not None and host.size else 0)


def segment_sum(data, segment_ids, name=None):
    """Sums of the rows of ``data`` by sorted ``segment_ids`` (one row per id up to the
    largest)."""
    ids, n = _sorted_segments("segment_sum", segment_ids)
    return _shape.unsorted_segment_sum(data, ids, n)


def segment_mean(data, segment_ids, name=None):
    ids, n = _sorted_segments("segment_mean", segment_ids)
    return unsorted_segment_mean(data, ids, n)


def _zero_where_empty(result, ids, n):
    """The sorted segment_max/min give 0 for an id no row has (the unsorted ones give the
    dtype's extreme), as TensorFlow."""
    count = _shape.unsorted_segment_sum(_creation.ones_like(ids), ids, n)
    count = _shape.reshape(count, [-1] + [1] * (result.ndim - 1))
    return _shape.where(_ew.greater(count, 0), result, _creation.zeros_like(result))


def segment_max(data, segment_ids, name=None):
    """The largest row of ``data`` per sorted segment id (0 for an id no row has)."""
    ids, n = _sorted_segments("segment_max", segment_ids)
    return _zero_where_empty(_shape.unsorted_segment_max(data, ids, n), ids, n)


def segment_min(data, segment_ids, name=None):
    """The smallest row of ``data`` per sorted segment id (0 for an id no row has)."""
    ids, n = _sorted_segments("segment_min", segment_ids)
    return _zero_where_empty(_shape.unsorted_segment_min(data, ids, n), ids, n)


def segment_prod(data, segment_ids, name=None):
    ids, n = _sorted_segments("segment_prod", segment_ids)
    return _shape.unsorted_segment_prod(data, ids, n)


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Sums of the rows of ``data`` per segment divided by the square root of the segment's
    size (0 for an empty segment)."""
    d = as_tensor(data, "unsorted_segment_sqrt_n", "data")
    ids = as_tensor(segment_ids, "unsorted_segment_sqrt_n", "segment_ids")
    total = _shape.unsorted_segment_sum(d, ids, num_segments)
    count = _shape.unsorted_segment_sum(_creation.ones_like(ids), ids, num_segments)
    count = _shape.reshape(_shape.cast(_ew.maximum(count, 1), d.dtype),
                           [-1] + [1] * (total.ndim - 1))
    return total / _ew.sqrt(count)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """Means of the rows of ``data`` by ``segment_ids`` (0 for an empty segment)."""
    d = as_tensor(data, "unsorted_segment_mean", "data")
    ids = as_tensor(segment_ids, "unsorted_segment_mean", "segment_ids")
    total = _shape.unsorted_segment_sum(d, ids, num_segments)
    count = _shape.unsorted_segment_sum(_creation.ones_like(ids), ids, num_segments)
    count = _shape.reshape(_shape.cast(_ew.maximum(count, 1), d.dtype),
                           [-1] + [1] * (total.ndim - 1))
    return total / count


def _labels(value, op_name, label):
    t = as_tensor(value, op_name, label)
    if not t.dtype.is_integer:
        raise invalid(op_name, f"{label} must be integers, got {t.dtype.name}",
                      [describe(t, label)], kind="dtype")
    if t.shape.num_elements() and int(_red.reduce_min(t)) < 0:
        raise invalid(op_name, f"`{label}` contains negative values", [describe(t, label)],
                      kind="value")
    return _shape.cast(t, int64)


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=None,
                     name=None):
    """``m[i, j]`` = how many (or how much ``weights``) examples of class ``i`` were
    predicted as ``j``; ``num_classes`` defaults to the largest class + 1."""
    from .. import dtypes as _dt
    lab = _labels(labels, "confusion_matrix", "labels")
    pred = _labels(predictions, "confusion_matrix", "predictions")
    if lab.shape != pred.shape or lab.ndim != 1:
        raise incompatible_shapes("confusion_matrix", [describe(lab, "labels"),
                                                       describe(pred, "predictions")],
                                  "labels and predictions must be vectors of one length")
    n = int(num_classes) if num_classes is not None else \
        (max(int(_red.reduce_max(lab)), int(_red.reduce_max(pred))) + 1
         if lab.shape[0] else 0)
    if lab.shape[0] and max(int(_red.reduce_max(lab)), int(_red.reduce_max(pred))) >= n:
        raise invalid("confusion_matrix", f"labels and predictions must be < num_classes "
                      f"= {n}", kind="value")
    d = _dt.as_dtype(dtype if dtype is not None else
                     (as_tensor(weights, "confusion_matrix", "weights").dtype
                      if weights is not None else _dt.int32))
    values = _creation.ones(lab.shape, dtype=d) if weights is None else \
        as_tensor(weights, "confusion_matrix", "weights", d)
    from .scatter import scatter_nd
    return scatter_nd(_shape.stack([lab, pred], axis=1), values, [n, n])


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=None, name=None,
             axis=None, binary_output=False):
    """How often each value 0, 1, ... occurs in ``arr`` (or the sum of its ``weights``),
    ``max(arr) + 1`` bins, at least ``minlength`` and at most ``maxlength``."""
    from .. import dtypes as _dt
    if axis not in (None, 0):
        raise invalid("bincount", f"axis={axis!r}: only counting over the whole tensor "
                      "(axis=None) is supported", kind="value")
    values = _shape.reshape(_labels(arr, "bincount", "arr"), [-1])
    n = int(_red.reduce_max(values)) + 1 if values.shape[0] else 0
    if minlength is not None:
        n = max(n, int(minlength))
    if maxlength is not None:
        n = min(n, int(maxlength))
    inside = values < n
    values = _shape.boolean_mask(values, inside)
    if weights is not None:
        w = _shape.boolean_mask(_shape.reshape(as_tensor(weights, "bincount", "weights"),
                                               [-1]), inside)
    else:
        w = _creation.ones(values.shape, dtype=_dt.as_dtype(dtype or _dt.int32))
    counts = _shape.unsorted_segment_sum(w, values, n)
    if binary_output:
        return _shape.cast(counts > 0, counts.dtype)
    return counts


def in_top_k(targets, predictions, k, name=None):
    """For each row of ``predictions``, whether the entry at ``targets`` is among the ``k``
    largest (entries equal to the k-th largest count as in it, as in TensorFlow)."""
    p = _float(predictions, "in_top_k", "predictions")
    t = as_tensor(targets, "in_top_k", "targets")
    if p.ndim != 2 or t.ndim != 1 or t.shape[0] != p.shape[0]:
        raise incompatible_shapes("in_top_k", [describe(p, "predictions"),
                                               describe(t, "targets")],
                                  "predictions must be [batch, classes] and targets [batch]")
    picked = _shape.gather(p, _shape.reshape(t, [-1, 1]), axis=1, batch_dims=1)[:, 0]
    above = _red.reduce_sum(_shape.cast(p > _shape.reshape(picked, [-1, 1]), int64), axis=1)
    return above < int(k)


# -- ts.linalg -----------------------------------------------------------------------------------

def matvec(a, b, transpose_a=False, adjoint_a=False, name=None):
    """Matrix times vector: ``a`` [..., M, N] by ``b`` [..., N] gives [..., M]."""
    from .linalg import matmul
    b = as_tensor(b, "matvec", "b")
    return _shape.squeeze(matmul(a, _shape.expand_dims(b, -1), transpose_a=transpose_a,
                                 adjoint_a=adjoint_a), -1)


def adjoint(matrix, name=None):
    """The conjugate transpose of the last two dimensions."""
    from .linalg import matrix_transpose
    return matrix_transpose(matrix, conjugate=True)


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Entries within ``num_lower`` diagonals below and ``num_upper`` above the main one kept
    (negative: all of them), the rest zero: ``band_part(x, -1, 0)`` is the lower triangle."""
    import numpy as np
    x = as_tensor(input, "band_part", "input")
    if x.ndim < 2:
        raise invalid("band_part", "input must have rank >= 2", [describe(x, "input")],
                      kind="shape")
    m, n = x.shape[-2], x.shape[-1]
    i, j = np.arange(m)[:, None], np.arange(n)[None, :]
    keep = np.ones((m, n), bool)
    if int(num_lower) >= 0:
        keep &= i - j <= int(num_lower)
    if int(num_upper) >= 0:
        keep &= j - i <= int(num_upper)
    return _shape.where(_shape.broadcast_to(keep, x.shape), x, _creation.zeros_like(x))


def logdet(matrix, name=None):
    """``log(det(matrix))`` of Hermitian positive-definite matrices, through the Cholesky
    factor (stable where det under- or overflows)."""
    from .linalg import cholesky, diag_part
    chol = cholesky(matrix)
    return 2.0 * _red.reduce_sum(_ew.log(_ew.abs(diag_part(chol))), axis=-1)


# -- ts.nn ---------------------------------------------------------------------------------------

def leaky_relu(features, alpha=0.2, name=None):
    """``x`` where positive, else ``alpha * x``. Integer features become float32 first,
    as in TensorFlow."""
    x = as_tensor(features, "leaky_relu", "features")
    if x.dtype.is_integer:
        x = _shape.cast(x, "float32")
    x = _float(x, "leaky_relu", "features")
    return _shape.where(x > 0, x, x * alpha)


def silu(features, beta=1.0):
    """``x * sigmoid(beta * x)`` (also ``ts.nn.swish``)."""
    x = _float(features, "silu", "features", FLOATING | COMPLEX, "a floating-point or complex")
    return x * _ew.sigmoid(x * beta) if beta != 1.0 else x * _ew.sigmoid(x)


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Each entry zeroed with probability ``rate``, the others scaled by ``1 / (1 - rate)``
    so the expected sum is unchanged; ``noise_shape`` shares one draw along its 1s."""
    from .random import uniform
    return general_dropout(x, rate, lambda shape, dtype: uniform(shape, dtype=dtype,
                                                                   seed=seed),
                           noise_shape, _op="dropout")


def general_dropout(x, rate, uniform_sampler, noise_shape=None, name=None, _op=None):
    """Dropout with the uniform draws from ``uniform_sampler(shape, dtype)``: entries whose
    draw is below ``rate`` become 0, the others are scaled by ``1 / (1 - rate)``."""
    op_name = _op or "nn.experimental.general_dropout"
    x = _float(x, op_name)
    r = float(rate)
    if not 0 <= r < 1:
        raise invalid(op_name, f"rate must be a scalar in [0, 1), got {rate!r}",
                      kind="value")
    if r == 0:
        return _shape.identity(x)
    shape = list(x.shape) if noise_shape is None else list(noise_shape)
    keep = _shape.cast(uniform_sampler(shape, x.dtype) >= r, x.dtype)
    return x * keep * (1 / (1 - r))


def stateless_dropout(x, rate, seed, rng_alg=None, noise_shape=None, name=None):
    """Dropout with the draws of ``ts.random.stateless_uniform(seed=seed)``: the same
    mask for the same seed, TensorFlow's mask for the same seed."""
    from .random import stateless_uniform
    return general_dropout(x, rate, lambda shape, dtype: stateless_uniform(
        shape, seed, dtype=dtype, alg=rng_alg or "auto_select"), noise_shape,
        _op="nn.experimental.stateless_dropout")


def moments(x, axes, shift=None, keepdims=False, name=None):
    """``(mean, variance)`` over ``axes``, the variance taken around a mean that does not
    receive gradients through it, as TensorFlow computes it."""
    x = _float(x, "moments", "x", FLOATING | COMPLEX, "a floating-point or complex")
    mean = _red.reduce_mean(x, axes, keepdims=True)
    variance = _red.reduce_mean(_ew.squared_difference(x, _shape.stop_gradient(mean)), axes,
                                keepdims=True)
    if not keepdims:
        mean = _shape.squeeze(mean, axes)
        variance = _shape.squeeze(variance, axes)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``(x - mean) / sqrt(variance + eps) * scale + offset`` (``offset``/``scale`` may be
    None)."""
    x = _float(x, "batch_normalization")
    inv = _ew.rsqrt(as_tensor(variance, "batch_normalization", "variance", x.dtype)
                    + variance_epsilon)
    if scale is not None:
        inv = inv * as_tensor(scale, "batch_normalization", "scale", x.dtype)
    mean = as_tensor(mean, "batch_normalization", "mean", x.dtype)
    shift = -mean * inv if offset is None else \
        as_tensor(offset, "batch_normalization", "offset", x.dtype) - mean * inv
    return x * inv + shift


def bias_add(value, bias, data_format=None, name=None):
    """``value + bias`` along the channel dimension: the last (``NHWC``, the default) or
    the second (``NC...``)."""
    x = as_tensor(value, "bias_add", "value")
    b = as_tensor(bias, "bias_add", "bias", x.dtype)
    channels_first = data_format is not None and str(data_format).startswith("NC")
    axis = 1 if channels_first else -1
    if b.ndim != 1 or x.ndim < 2 or b.shape[0] != x.shape[axis]:
        raise incompatible_shapes("bias_add", [describe(x, "value"), describe(b, "bias")],
                                  "bias must be a vector as long as value's channel "
                                  "dimension")
    if channels_first:
        b = _shape.reshape(b, [-1] + [1] * (x.ndim - 2))
    return x + b


def embedding_lookup(params, ids, max_norm=None, name=None):
    """The rows of ``params`` at ``ids`` (``gather`` along the first axis), each scaled down
    to at most ``max_norm`` when given."""
    rows = _shape.gather(params, ids)
    if max_norm is not None:
        rows = clip_by_norm(rows, max_norm, axes=[-1])
    return rows


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """Sigmoid cross-entropy with the positive term weighted by ``pos_weight``, in the
    stable form TensorFlow uses."""
    x = _float(logits, "weighted_cross_entropy_with_logits", "logits")
    z = as_tensor(labels, "weighted_cross_entropy_with_logits", "labels", x.dtype)
    q = as_tensor(pos_weight, "weighted_cross_entropy_with_logits", "pos_weight", x.dtype)
    log_weight = 1 + (q - 1) * z
    return (1 - z) * x + log_weight * (_ew.log1p(_ew.exp(-_ew.abs(x)))
                                       + _ew.maximum(-x, _creation.zeros_like(x)))


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """The sum of the (weighted) per-example losses over the global batch size (default:
    the number of examples)."""
    loss = _float(per_example_loss, "compute_average_loss", "per_example_loss")
    if sample_weight is not None:
        loss = loss * as_tensor(sample_weight, "compute_average_loss", "sample_weight",
                                loss.dtype)
    if global_batch_size is None:
        n = loss.shape[0] if loss.ndim else 1
    else:
        n = int(global_batch_size)
    total = _red.reduce_sum(loss)
    return total / float(n) if n else total * 0  # an empty batch averages to 0, as in TF


# -- clipping ------------------------------------------------------------------------------------

def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t`` scaled down so its L2 norm over ``axes`` is at most ``clip_norm`` (an
    IndexedSlices by the norm of its values, staying IndexedSlices, as in TensorFlow)."""
    if _is_slices(t):
        return type(t)(clip_by_norm(t.values, clip_norm, axes), t.indices, t.dense_shape)
    t = _float(t, "clip_by_norm", "t")
    l2sum = _red.reduce_sum(t * t, axes, keepdims=True)
    positive = l2sum > 0
    l2norm = _shape.where(positive, _ew.sqrt(_shape.where(positive, l2sum,
                                                          _creation.ones_like(l2sum))), l2sum)
    clip = as_tensor(clip_norm, "clip_by_norm", "clip_norm", t.dtype)
    return t * clip / _ew.maximum(l2norm, clip)


def global_norm(t_list, name=None):
    """``sqrt(sum of every tensor's squared L2 norm)``; None entries are skipped."""
    if isinstance(t_list, Tensor):
        raise TypeError("t_list should be a sequence of tensors, not a single tensor")
    parts = [_red.reduce_sum(t * t) for t in (_float(v.values if _is_slices(v) else v,
                                                     "global_norm", "t_list")
                                              for v in t_list if v is not None)]
    if not parts:
        return _creation.zeros(())
    return _ew.sqrt(add_n(parts) if len(parts) > 1 else parts[0])


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale every tensor of ``t_list`` by ``clip_norm / max(global_norm, clip_norm)``, the
    usual guard against exploding gradients. Returns ``(clipped_list, global_norm)``; None
    entries stay None, and an infinite norm makes every entry NaN, as in TensorFlow."""
    if isinstance(t_list, Tensor):
        raise TypeError("t_list should be a sequence of tensors, not a single tensor")
    norm = global_norm(t_list) if use_norm is None else as_tensor(use_norm, "clip_by_global_norm",
                                                                   "use_norm")
    clip = as_tensor(clip_norm, "clip_by_global_norm", "clip_norm", norm.dtype)
    # norm - norm is 0, or NaN when the norm is infinite: then every entry becomes NaN
    scale = clip * _ew.minimum(1.0 / norm, 1.0 / clip) + (norm - norm)
    clipped = []
    for v in t_list:
        if v is None:
            clipped.append(None)
            continue
        slices = v if _is_slices(v) else None
        v = _float(v.values if slices is not None else v, "clip_by_global_norm", "t_list")
        v = v * (scale if v.dtype is scale.dtype else _shape.cast(scale, v.dtype))
        clipped.append(v if slices is None else type(slices)(v, slices.indices,
                                                             slices.dense_shape))
    return clipped, norm


def _is_slices(value) -> bool:
    """An IndexedSlices (a gather's gradient): the clipping functions keep it sparse."""
    return type(value).__name__ == "IndexedSlices"


def _where_zero(t, value, otherwise):
    zero = _ew.equal(t, _creation.zeros_like(t))
    return _shape.where(zero, value, otherwise), zero


def xdivy(x, y, name=None):
    """``x / y``, and 0 wherever ``x`` is 0 (even where ``y`` is 0)."""
    x, y = _broadcast_pair("xdivy", x, y, "x", "y", FLOATING | COMPLEX,
                           "a floating-point or complex")
    safe_y, zero = _where_zero(x, _creation.ones_like(y), y)
    r = x / safe_y
    return _shape.where(zero, _creation.zeros_like(r), r)


def xlog1py(x, y, name=None):
    """``x * log1p(y)``, and 0 wherever ``x`` is 0 (even where ``y`` is -1)."""
    x, y = _broadcast_pair("xlog1py", x, y, "x", "y", FLOATING | COMPLEX,
                           "a floating-point or complex")
    safe_y, zero = _where_zero(x, _creation.zeros_like(y), y)
    r = x * _ew.log1p(safe_y)
    return _shape.where(zero, _creation.zeros_like(r), r)


def multiply_no_nan(x, y, name=None):
    """``x * y``, and 0 wherever ``y`` is 0 - even where ``x`` is NaN or infinite (its
    gradients stay finite there too)."""
    x, y = _broadcast_pair("multiply_no_nan", x, y, "x", "y", FLOATING | COMPLEX,
                           "a floating-point or complex")
    safe_x, _ = _where_zero(y, _creation.zeros_like(x), x)
    return safe_x * y


def reciprocal_no_nan(x, name=None):
    """``1 / x``, and 0 where ``x`` is 0."""
    x = _float(x, "reciprocal_no_nan", allowed=FLOATING | COMPLEX,
               what="a floating-point or complex")
    safe, zero = _where_zero(x, _creation.ones_like(x), x)
    r = 1 / safe
    return _shape.where(zero, _creation.zeros_like(r), r)


def rint(x, name=None):
    """The nearest integer value, halves to even (``rint(2.5) == 2``), as a float."""
    return _ew.round(_float(x, "rint"))


def polyval(coeffs, x, name=None):
    """``coeffs[0] * x**(n-1) + ... + coeffs[n-1]`` by Horner's rule; coefficients may be
    tensors that broadcast against ``x``. No coefficients give zeros."""
    if isinstance(coeffs, Tensor) or not isinstance(coeffs, (list, tuple)):
        raise ValueError("Argument coeffs must be list type found "
                         f"{type(coeffs).__name__}.")
    x = as_tensor(x, "polyval", "x")
    if not coeffs:
        return _creation.zeros_like(x)
    total = as_tensor(coeffs[0], "polyval", "coeffs[0]", x.dtype)
    for i, c in enumerate(coeffs[1:], 1):
        total = total * x + as_tensor(c, "polyval", f"coeffs[{i}]", x.dtype)
    return total


def zero_fraction(value, name=None):
    """The fraction of entries of ``value`` that are zero, as a float32 scalar (NaN when
    ``value`` is empty)."""
    t = as_tensor(value, "zero_fraction", "value")
    zeros = _ew.equal(t, _creation.zeros_like(t))
    return _red.reduce_mean(_shape.cast(zeros, float32))


def _monotone(x, op_name, strict):
    t = as_tensor(x, op_name, "x")
    if not (t.dtype.is_floating or t.dtype.is_integer):
        raise TypeError(f"Expected x to be numeric, instead found: {t!r}")
    flat = _shape.reshape(t, [-1])
    if flat.shape[0] < 2:
        return _shape.cast(_creation.ones([]), bool_)
    step = (_ew.greater if strict else _ew.greater_equal)(flat[1:], flat[:-1])
    return _red.reduce_all(step)


def is_non_decreasing(x, name=None):
    """Whether each entry of ``x`` (in row-major order) is >= the one before; True for
    fewer than two entries."""
    return _monotone(x, "is_non_decreasing", strict=False)


def is_strictly_increasing(x, name=None):
    """Whether each entry of ``x`` (in row-major order) is > the one before; True for
    fewer than two entries."""
    return _monotone(x, "is_strictly_increasing", strict=True)


def invert_permutation(x, name=None):
    """The inverse of the permutation ``x`` (a 1-D int32/int64 tensor of 0 .. n-1):
    ``y[x[i]] = i``."""
    t = as_tensor(x, "invert_permutation", "x")
    if t.dtype not in (int32, int64) or t.ndim != 1:
        raise invalid("invert_permutation", f"x must be a 1-D int32 or int64 tensor, got "
                      f"{t.dtype.name} of shape {list(t.shape)}", [describe(t, "x")],
                      kind="dtype" if t.ndim == 1 else "shape")
    n = t.shape[0]
    values = t.numpy()
    seen = set()
    for v in values.tolist():
        if not 0 <= v < n:
            raise invalid("invert_permutation", f"{v} is not between 0 and {n}",
                          [describe(t, "x")])
        if v in seen:
            raise invalid("invert_permutation", f"{v} is duplicated in the input.",
                          [describe(t, "x")])
        seen.add(v)
    positions = _creation.range(n, dtype=t.dtype)
    from .scatter import tensor_scatter_nd_update
    return tensor_scatter_nd_update(_creation.zeros_like(t), _shape.reshape(t, [-1, 1]),
                                    positions)


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """The elementwise sum of a list of tensors (TensorFlow's older name for add_n); when
    given, ``shape`` and ``tensor_dtype`` must match the inputs."""
    total = add_n(inputs)
    if shape is not None and list(total.shape) != [int(d) for d in shape]:
        raise ValueError(f"Shape of inputs {list(total.shape)} does not match shape "
                         f"{list(shape)}")
    if tensor_dtype is not None and total.dtype.name != getattr(tensor_dtype, "name",
                                                                  str(tensor_dtype)):
        raise TypeError(f"tensor_dtype is {tensor_dtype}, but the inputs are "
                        f"{total.dtype.name}")
    return total


def scalar_mul(scalar, x, name=None):
    """``scalar * x`` for a 0-D ``scalar``; an IndexedSlices ``x`` keeps its indices."""
    s = as_tensor(scalar, "scalar_mul", "scalar") if not isinstance(scalar, (int, float,
                                                                              complex)) \
        else scalar
    if getattr(s, "ndim", 0) != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape "
                         f"{tuple(s.shape)}.")
    if type(x).__name__ == "IndexedSlices":
        return type(x)(_ew.multiply(x.values, s), x.indices, x.dense_shape)
    return _ew.multiply(x, s)


def identity_n(input, name=None):  # noqa: A002 - TensorFlow's name
    """Each tensor of the list ``input``, as a new list."""
    return [_shape.identity(t) for t in input]


def shape_n(input, out_type=None, name=None):  # noqa: A002 - TensorFlow's name
    """The shape of each tensor of ``input``, as 1-D ``out_type`` (int32) tensors."""
    return [_shape.shape(t, out_type=out_type or int32) for t in input]


def broadcast_dynamic_shape(shape_x, shape_y, name=None):
    """The shape two shapes (1-D integer tensors or lists) broadcast to, as a tensor of
    their dtype; InvalidArgumentError when they cannot."""
    x = as_tensor(shape_x, "broadcast_dynamic_shape", "shape_x")
    y = as_tensor(shape_y, "broadcast_dynamic_shape", "shape_y", x.dtype)
    if not x.dtype.is_integer or x.ndim != 1 or y.ndim != 1:
        raise invalid("broadcast_dynamic_shape", "shapes must be 1-D int32 or int64 tensors",
                      [describe(x, "shape_x"), describe(y, "shape_y")], kind="shape")
    dx, dy = tuple(x.numpy().tolist()), tuple(y.numpy().tolist())
    result = broadcast_shapes(dx, dy)
    if result is None:
        raise invalid("broadcast_dynamic_shape", f"Incompatible shapes: {list(dx)} vs. "
                      f"{list(dy)} ({explain_broadcast([dx, dy])})",
                      [describe(x, "shape_x"), describe(y, "shape_y")], kind="shape")
    return as_tensor(list(result), "broadcast_dynamic_shape", "shape", x.dtype)


composite(add_n, ("", "math"))
composite(meshgrid, ("",))
composite(count_nonzero, ("math",))
composite(reduce_euclidean_norm, ("math",))
composite(divide_no_nan, ("math",))
composite(xlogy, ("math",))
composite(xdivy, ("math",))
composite(xlog1py, ("math",))
composite(multiply_no_nan, ("math",))
composite(reciprocal_no_nan, ("math",))
composite(rint, ("math",))
composite(polyval, ("math",))
composite(zero_fraction, ("math", "nn"))
composite(is_non_decreasing, ("math",))
composite(is_strictly_increasing, ("math",))
composite(invert_permutation, ("math",))
composite(accumulate_n, ("math",))
composite(scalar_mul, ("", "math"))
composite(identity_n, ("",))
composite(shape_n, ("",))
composite(broadcast_dynamic_shape, ("",))
composite(log_sigmoid, ("math",))
composite(leaky_relu, ("nn",))
composite(silu, ("nn",))
NAMESPACES["nn"]["swish"] = silu  # the same function, as in TensorFlow
composite(dropout, ("nn",))
composite(moments, ("nn",))
composite(batch_normalization, ("nn",))
composite(clip_by_norm, ("",))
composite(global_norm, ("linalg",))
composite(clip_by_global_norm, ("",))
composite(slice_, ("",))
composite(saturate_cast, ("",))
composite(ensure_shape, ("",))
composite(softsign, ("math", "nn"))
composite(segment_sum, ("math",))
composite(segment_mean, ("math",))
composite(segment_max, ("math",))
composite(segment_min, ("math",))
composite(segment_prod, ("math",))
composite(unsorted_segment_sqrt_n, ("math",))
composite(confusion_matrix, ("math",))
composite(bincount, ("math",))
composite(in_top_k, ("math", "nn"))
composite(unsorted_segment_mean, ("math",))
composite(matvec, ("linalg",))
composite(adjoint, ("linalg",))
composite(band_part, ("linalg",))
composite(logdet, ("linalg",))
composite(bias_add, ("nn",))
composite(embedding_lookup, ("nn",))
composite(weighted_cross_entropy_with_logits, ("nn",))
composite(compute_average_loss, ("nn",))
