"""More of ``ts.nn`` (and ``image.extract_patches``, ``math.cumulative_logsumexp``), built from
other ops as composites.py's are, so each runs on every device and differentiates through
the ops it calls. Each follows TensorFlow's definition (checked against TensorFlow 2.21)."""

from __future__ import annotations

import math

import numpy as np

from ..dtypes import FLOATING
from ..errors import invalid
from . import creation as _creation, elementwise as _ew, reduction as _red, shape as _shape
from .composites import _float, batch_normalization
from .conv import channels_first, geometry, per_dim
from .registry import NAMESPACES, as_tensor, composite


def crelu(features, axis=-1, name=None):
    """``concat([relu(x), relu(-x)], axis)``: keeps both signs, doubling that dimension."""
    x = _float(features, "crelu", "features")
    zero = _creation.zeros_like(x)
    return _shape.concat([_ew.maximum(x, zero), _ew.maximum(-x, zero)], axis)


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0,  # noqa: A002
                                 beta=0.5, name=None):
    """Each value over ``(bias + alpha * sum of squares within depth_radius channels)
    ** beta``, along the last axis of a 4-D input (AlexNet's normalisation)."""
    x = _float(input, "local_response_normalization", "input")
    if x.ndim != 4:
        raise invalid("local_response_normalization", f"input must be 4-D [batch, height, "
                      f"width, channels], got shape {list(x.shape)}", kind="shape")
    r = int(depth_radius)
    if r < 0:
        raise invalid("local_response_normalization", f"depth_radius must be >= 0, got {r}")
    depth = x.shape[-1]
    squared = _shape.pad(x * x, [[0, 0], [0, 0], [0, 0], [r, r]])
    total = squared[..., 0:depth]
    for offset in range(1, 2 * r + 1):
        total = total + squared[..., offset:offset + depth]
    return x / _ew.pow(bias + alpha * total,
                       as_tensor(beta, "local_response_normalization", "beta", x.dtype))


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """``(mean, variance)`` over ``axes`` with each value counted ``frequency_weights``
    times (0/0 gives 0, as TensorFlow's div_no_nan)."""
    x = _float(x, "weighted_moments", "x")
    w = as_tensor(frequency_weights, "weighted_moments", "frequency_weights", x.dtype)
    total = _red.reduce_sum(w * x, axes, keepdims=True)
    weight_sum = _red.reduce_sum(w + _creation.zeros_like(x), axes, keepdims=True)
    mean = _divide_no_nan(total, weight_sum)
    variance = _divide_no_nan(_red.reduce_sum(w * _ew.squared_difference(x, mean), axes,
                                              keepdims=True), weight_sum)
    if not keepdims:
        mean, variance = _shape.squeeze(mean, axes), _shape.squeeze(variance, axes)
    return mean, variance


def _divide_no_nan(x, y):
    from .composites import divide_no_nan
    return divide_no_nan(x, y)


def _axes(x, axes, op_name):
    axes = [axes] if isinstance(axes, (int, np.integer)) else list(axes)
    out = []
    for a in axes:
        a = int(a)
        if not -x.ndim <= a < x.ndim:
            raise invalid(op_name, f"axis {a} is out of range for a tensor of rank {x.ndim}")
        out.append(a % x.ndim)
    return out


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """``(count, sum, sum of squares, shift)`` over ``axes`` - the sums of ``x - shift``
    when a shift is given - for ``normalize_moments``."""
    x = _float(x, "sufficient_statistics", "x")
    dims = _axes(x, axes, "sufficient_statistics")
    count = as_tensor(float(math.prod(x.shape[a] for a in dims)), "sufficient_statistics",
                      "count", x.dtype)
    if shift is not None:
        shift = as_tensor(shift, "sufficient_statistics", "shift", x.dtype)
        centred = x - shift
    else:
        centred = x
    m_ss = _red.reduce_sum(centred, dims, keepdims=keepdims)
    v_ss = _red.reduce_sum(centred * centred, dims, keepdims=keepdims)
    return count, m_ss, v_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """``(mean, variance)`` from ``sufficient_statistics``' sums."""
    m = _float(mean_ss, "normalize_moments", "mean_ss")
    divisor = _ew.reciprocal(as_tensor(counts, "normalize_moments", "counts", m.dtype))
    shifted_mean = m * divisor
    mean = shifted_mean if shift is None else \
        shifted_mean + as_tensor(shift, "normalize_moments", "shift", m.dtype)
    variance = as_tensor(variance_ss, "normalize_moments", "variance_ss", m.dtype) * divisor \
        - shifted_mean * shifted_mean
    return mean, variance


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """``exp(log_input) - log_input * targets``, plus Stirling's approximation of
    ``log(targets!)`` for targets above 1 when ``compute_full_loss``."""
    log_input = _float(log_input, "log_poisson_loss", "log_input")
    targets = as_tensor(targets, "log_poisson_loss", "targets", log_input.dtype)
    if tuple(targets.shape) != tuple(log_input.shape):
        raise invalid("log_poisson_loss", f"log_input and targets must have the same shape "
                      f"({list(log_input.shape)} vs {list(targets.shape)})", kind="shape")
    loss = _ew.exp(log_input) - log_input * targets
    if compute_full_loss:
        safe = _shape.where(targets > 1, targets, _creation.ones_like(targets) * 2)
        stirling = safe * _ew.log(safe) - safe + 0.5 * _ew.log(2 * math.pi * safe)
        small = (targets >= 0) & (targets <= 1)
        loss = loss + _shape.where(small, _creation.zeros_like(targets),
                                   _shape.where(targets > 1, stirling,
                                                _creation.zeros_like(targets) * float("nan")))
    return loss


def scale_regularization_loss(regularization_loss, name=None):
    """The summed regularization loss, scaled for the replicas (one here)."""
    loss = _float(regularization_loss, "scale_regularization_loss", "regularization_loss")
    return _red.reduce_sum(loss)


def batch_norm_with_global_normalization(t=None, m=None, v=None, beta=None, gamma=None,
                                         variance_epsilon=None,
                                         scale_after_normalization=None, name=None,
                                         input=None, mean=None,  # noqa: A002
                                         variance=None):
    """TensorFlow 1's batch normalization with global statistics: ``batch_normalization``
    with ``gamma`` applied only when ``scale_after_normalization``."""
    t = input if t is None else t
    m = mean if m is None else m
    v = variance if v is None else v
    if any(a is None for a in (t, m, v, beta, variance_epsilon, scale_after_normalization)):
        raise invalid("batch_norm_with_global_normalization", "t (input), m (mean), v "
                      "(variance), beta, gamma, variance_epsilon and "
                      "scale_after_normalization are required")
    return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None,
                               variance_epsilon)


# -- grayscale morphology and patches -------------------------------------------------------

def _windows(op_name, x, ksize, strides, rates, padding, pad_value):
    """(geometry, padded input): the strided slices of the padded input each filter tap
    reads (``Geometry.windows``)."""
    g = geometry(op_name, tuple(x.shape[1:3]), ksize, strides, rates, padding, False)
    pads = [[0, 0]] + [list(p) for p in g.pads] + [[0, 0]]
    padded = _shape.pad(x, pads, constant_values=pad_value) if any(sum(p) for p in pads) \
        else x
    return g, padded


def dilation2d(input, filters, strides, padding, data_format="NHWC",  # noqa: A002
               dilations=None, name=None):
    """Grayscale dilation: the maximum of ``input + filters`` over each window, per channel
    (``filters`` is [height, width, channels]; padding counts as -infinity)."""
    x = _float(input, "dilation2d", "input", FLOATING)
    w = as_tensor(filters, "dilation2d", "filters", x.dtype)
    if channels_first(data_format, 2, "dilation2d"):
        raise invalid("dilation2d", "only the NHWC data_format is supported, as in "
                      "TensorFlow's CPU kernel")
    if x.ndim != 4 or w.ndim != 3 or w.shape[-1] != x.shape[-1]:
        raise invalid("dilation2d", f"input must be 4-D [batch, height, width, channels] and "
                      f"filters 3-D [height, width, channels] with the same channels, got "
                      f"{list(x.shape)} and {list(w.shape)}", kind="shape")
    g, padded = _windows("dilation2d", x, tuple(w.shape[:2]),
                         per_dim(strides, 2, False, "dilation2d", "strides"),
                         per_dim(dilations, 2, False, "dilation2d", "dilations"), padding,
                         float("-inf"))
    best = None
    for (dy, dx), window in zip(np.ndindex(*w.shape[:2]), g.windows()):
        value = padded[window] + w[dy, dx]
        best = value if best is None else _ew.maximum(best, value)
    return best


def erosion2d(value, filters, strides, padding, data_format="NHWC", dilations=None,
              name=None):
    """Grayscale erosion: the minimum of ``value - filters`` over each window, as
    ``-dilation2d(-value, reversed filters)``."""
    x = _float(value, "erosion2d", "value", FLOATING)
    w = as_tensor(filters, "erosion2d", "filters", x.dtype)
    if w.ndim != 3:
        raise invalid("erosion2d", f"filters must be 3-D [height, width, channels], got "
                      f"{list(w.shape)}", kind="shape")
    return -dilation2d(-x, _shape.reverse(w, [0, 1]), strides, padding, data_format,
                       dilations)


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC",  # noqa: A002
                         output_dtype="int64", include_batch_in_index=False, name=None):
    """``(max_pool(input), argmax)``: each window's maximum and where it was, as the flat
    index ``(y * width + x) * channels + c`` (with ``batch * height * width * channels``
    added when ``include_batch_in_index``); ties go to the first in the window, as in
    TensorFlow, and the gradient flows to that position."""
    op_name = "max_pool_with_argmax"
    x = as_tensor(input, op_name, "input")
    if not (x.dtype.is_floating or x.dtype.is_integer):
        raise invalid(op_name, f"input must be real numbers, got {x.dtype.name}",
                      kind="dtype")
    if channels_first(data_format, 2, op_name):
        raise invalid(op_name, "only the NHWC data_format is supported, as in TensorFlow")
    if x.ndim != 4:
        raise invalid(op_name, f"input must be 4-D [batch, height, width, channels], got "
                      f"shape {list(x.shape)}", kind="shape")
    out_dtype = str(getattr(output_dtype, "name", output_dtype))
    if out_dtype not in ("int32", "int64"):
        raise invalid(op_name, f"output_dtype must be int32 or int64, got {out_dtype}")
    lowest = float("-inf") if x.dtype.is_floating else x.dtype.min
    k = per_dim(ksize, 2, False, op_name, "ksize")
    g, padded = _windows(op_name, x, k, per_dim(strides, 2, False, op_name, "strides"),
                         (1, 1), padding, lowest)
    batch, height, width, channels = x.shape
    out_h, out_w = g.out_sizes
    rows = np.arange(out_h) * g.strides[0] - g.pads[0][0]
    cols = np.arange(out_w) * g.strides[1] - g.pads[1][0]
    base = (np.arange(batch)[:, None, None, None] * height * width * channels
            if include_batch_in_index else 0) + np.arange(channels)
    best = where = None
    for (dy, dx), window in zip(np.ndindex(*k), g.windows()):
        value = padded[window]
        flat = ((rows[:, None] + dy) * width + cols[None, :] + dx)[None, :, :, None] * \
            channels + base
        flat = as_tensor(np.broadcast_to(flat, (batch, out_h, out_w, channels)), op_name,
                         "index", None)
        if best is None:
            best, where = value, flat
        else:
            better = value > best
            best = _shape.where(better, value, best)
            where = _shape.where(better, flat, where)
    return best, _shape.cast(where, out_dtype)


def _conv_vjp(op_name, conv, x, w, out_backprop, wrt, **kwargs):
    """The gradient of ``conv(x, w, **kwargs)`` with respect to ``x`` or ``w`` (``wrt``),
    given ``out_backprop`` - what TensorFlow's backprop ops compute."""
    from ..autodiff import GradientTape
    g = as_tensor(out_backprop, op_name, "out_backprop", x.dtype)
    with GradientTape() as tape:
        tape.watch(x if wrt == "input" else w)
        y = conv(x, w, **kwargs)
    if tuple(y.shape) != tuple(g.shape):
        raise invalid(op_name, f"out_backprop has shape {list(g.shape)}, but the convolution "
                      f"gives {list(y.shape)}", kind="shape")
    grad = tape.gradient(y, x if wrt == "input" else w, output_gradients=g)
    return _creation.zeros_like(x if wrt == "input" else w) if grad is None else grad


def _sizes(value, op_name, label):
    return [int(v) for v in np.asarray(as_tensor(value, op_name, label).numpy()).reshape(-1)]


def depthwise_conv2d_backprop_input(input_sizes, filter, out_backprop, strides,  # noqa: A002
                                    padding, data_format="NHWC", dilations=None, name=None):
    """The gradient of ``depthwise_conv2d`` with respect to its input (of ``input_sizes``).
    With dilations above 1 this is the true gradient of the dilated convolution;
    TensorFlow's CPU kernel ignores ``dilations`` there."""
    from .conv import depthwise_conv2d
    op_name = "depthwise_conv2d_backprop_input"
    w = _float(filter, op_name, "filter")
    x = _creation.zeros(_sizes(input_sizes, op_name, "input_sizes"), w.dtype)
    return _conv_vjp(op_name, depthwise_conv2d, x, w, out_backprop, "input", strides=strides,
                     padding=padding, data_format=data_format, dilations=dilations)


def depthwise_conv2d_backprop_filter(input, filter_sizes, out_backprop, strides,  # noqa: A002
                                     padding, data_format="NHWC", dilations=None, name=None):
    """The gradient of ``depthwise_conv2d`` with respect to its filter (of
    ``filter_sizes``)."""
    from .conv import depthwise_conv2d
    op_name = "depthwise_conv2d_backprop_filter"
    x = _float(input, op_name, "input")
    w = _creation.zeros(_sizes(filter_sizes, op_name, "filter_sizes"), x.dtype)
    return _conv_vjp(op_name, depthwise_conv2d, x, w, out_backprop, "filter",
                     strides=strides, padding=padding, data_format=data_format,
                     dilations=dilations)


def _pool_adjacent_violators(row, decreasing):
    """Segment ids of the isotonic fit of ``row``: blocks merged while strictly out of
    order (a non-increasing fit when ``decreasing``)."""
    values = -row if decreasing else row
    blocks = []                                    # [sum, count]
    for v in values.tolist():
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > \
                blocks[-1][0] * blocks[-2][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    return np.repeat(np.arange(len(blocks)), [c for _, c in blocks])


def isotonic_regression(inputs, decreasing=True, axis=-1, name=None):
    """``(output, segments)``: the closest non-increasing (``decreasing``) or
    non-decreasing sequence to each slice along ``axis`` in the least-squares sense -
    each block of pooled values replaced by its mean - and the block each value fell in
    (int32). Integers come out as float32 (8/16-bit) or float64; the gradient averages
    over each block, as TensorFlow's."""
    from ..dtypes import float32 as f32, float64 as f64, int16, int8
    from .composites import unsorted_segment_mean
    op_name = "isotonic_regression"
    x = as_tensor(inputs, op_name, "inputs")
    if x.dtype.is_unsigned or not (x.dtype.is_floating or x.dtype.is_integer):
        raise invalid(op_name, f"inputs must be floating-point or signed integers, got "
                      f"{x.dtype.name}", kind="dtype")
    if x.dtype.is_integer:
        x = _shape.cast(x, f32 if x.dtype in (int8, int16) else f64)
    if x.ndim == 0:
        raise invalid(op_name, "inputs must have at least one dimension", kind="shape")
    ax = int(axis) % x.ndim
    perm = [i for i in range(x.ndim) if i != ax] + [ax]
    moved = _shape.transpose(x, perm) if ax != x.ndim - 1 else x
    width = moved.shape[-1]
    rows = np.asarray(moved.numpy(), np.float64).reshape(-1, width)
    segments = np.stack([_pool_adjacent_violators(r, decreasing) for r in rows]) \
        if rows.size else np.zeros(rows.shape, np.int64)
    ids = (segments + np.arange(len(rows))[:, None] * max(width, 1)).reshape(-1)
    flat = _shape.reshape(moved, [-1])
    means = unsorted_segment_mean(flat, ids, max(len(rows) * width, 1))
    out = _shape.reshape(_shape.gather(means, ids), moved.shape)
    seg = as_tensor(segments.reshape(moved.shape).astype(np.int32), op_name, "segments")
    if ax != x.ndim - 1:
        back = list(np.argsort(perm))
        out, seg = _shape.transpose(out, back), _shape.transpose(seg, back)
    return out, seg


def collapse_repeated(labels, seq_length, name=None):
    """Each row of ``labels`` with runs of a repeated label merged (within its
    ``seq_length``): ``(labels, new lengths)``, rows padded with 0 to the longest."""
    op_name = "collapse_repeated"
    lab = np.asarray(as_tensor(labels, op_name, "labels").numpy())
    lengths = as_tensor(seq_length, op_name, "seq_length")
    if lab.ndim != 2:
        raise invalid(op_name, f"labels must be [batch, max_length], got shape "
                      f"{list(lab.shape)}", kind="shape")
    n = np.asarray(lengths.numpy()).reshape(-1)
    rows = []
    for row, length in zip(lab, n):
        row = row[:int(length)]
        keep = np.ones(len(row), bool)
        keep[1:] = row[1:] != row[:-1]
        rows.append(row[keep])
    width = max((len(r) for r in rows), default=0)
    out = np.zeros((len(rows), width), lab.dtype)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return (as_tensor(out, op_name, "labels"),
            as_tensor(np.array([len(r) for r in rows], n.dtype), op_name, "seq_length"))


def ctc_unique_labels(labels, name=None):
    """Per row: its distinct labels in order of appearance (int64, padded with 0 to the
    row's width) and, for each position, the index of its label among them (int32)."""
    op_name = "ctc_unique_labels"
    lab = np.asarray(as_tensor(labels, op_name, "labels").numpy())
    if lab.ndim != 2 or not np.issubdtype(lab.dtype, np.integer):
        raise invalid(op_name, f"labels must be an integer matrix, got shape "
                      f"{list(lab.shape)}", kind="shape")
    uniques = np.zeros(lab.shape, np.int64)
    where = np.zeros(lab.shape, np.int32)
    for i, row in enumerate(lab):
        seen: dict = {}
        for j, v in enumerate(row.tolist()):
            where[i, j] = seen.setdefault(v, len(seen))
        uniques[i, :len(seen)] = list(seen)
    return [as_tensor(uniques, op_name, "labels"), as_tensor(where, op_name, "labels")]


def pool(input, window_shape, pooling_type, strides=None, padding="VALID",  # noqa: A002
         data_format=None, dilations=None, name=None):
    """N-D max or average pooling ("MAX"/"AVG") with optional ``dilations`` (VALID padding
    only when dilated, as in TensorFlow); the average leaves SAME padding out of the
    count."""
    from .conv import avg_pool, max_pool
    op_name = "pool"
    x = as_tensor(input, op_name, "input")
    n = len(list(window_shape))
    kind = str(pooling_type).upper()
    if kind not in ("MAX", "AVG"):
        raise invalid(op_name, f"pooling_type must be 'MAX' or 'AVG', got {pooling_type!r}")
    if x.ndim != n + 2:
        raise invalid(op_name, f"input must have rank {n + 2} for a {n}-D window, got "
                      f"shape {list(x.shape)}", kind="shape")
    k = per_dim(window_shape, n, False, op_name, "window_shape")
    st = per_dim(strides, n, False, op_name, "strides")
    dil = per_dim(dilations, n, False, op_name, "dilations")
    first = channels_first(data_format, n, op_name)
    if any(d > 1 for d in dil) and any(s > 1 for s in st):
        raise invalid(op_name, f"strides > 1 not supported in conjunction with dilations > 1, "
                      f"got strides={list(st)} and dilations={list(dil)}")
    if all(d == 1 for d in dil):
        fn = max_pool if kind == "MAX" else avg_pool
        return fn(x, list(k), list(st), padding, data_format)
    if str(padding).upper() != "VALID":
        raise invalid(op_name, f"pooling with 'SAME' padding is not implemented for "
                      f"dilations > 1, got padding={padding} and dilations={list(dil)}")
    if first:
        x = _shape.transpose(x, [0] + list(range(2, n + 2)) + [1])
    g = geometry(op_name, tuple(x.shape[1:-1]), k, st, dil, "VALID", False)
    acc = None
    for window in g.windows():
        value = x[window]
        acc = value if acc is None else (_ew.maximum(acc, value) if kind == "MAX" else
                                         acc + value)
    out = acc if kind == "MAX" else acc / float(math.prod(k))
    if first:
        out = _shape.transpose(out, [0, n + 1] + list(range(1, n + 1)))
    return out


def eigh_tridiagonal(alpha, beta, eigvals_only=True, select="a", select_range=None,
                     tol=None, name=None):
    """Eigenvalues (ascending) - and with ``eigvals_only=False`` eigenvectors as columns -
    of the Hermitian tridiagonal matrix with diagonal ``alpha`` and off-diagonal ``beta``;
    ``select`` "i" keeps indices ``select_range[0]..[1]``, "v" the eigenvalues in
    ``(lo, hi]``. Eigenvectors are unique up to sign (phase), which may differ from
    TensorFlow's."""
    from .decompositions import eigh
    from .scatter import scatter_nd
    op_name = "linalg.eigh_tridiagonal"
    a = as_tensor(alpha, op_name, "alpha")
    b = as_tensor(beta, op_name, "beta", a.dtype)
    if not (a.dtype.is_floating or a.dtype.is_complex):
        raise invalid(op_name, f"alpha must be floating-point or complex, got {a.dtype.name}",
                      kind="dtype")
    n = a.shape[0] if a.ndim == 1 else -1
    if a.ndim != 1 or b.ndim != 1 or b.shape[0] != max(n - 1, 0):
        raise invalid(op_name, f"alpha must be a vector of n values and beta of n - 1, got "
                      f"shapes {list(a.shape)} and {list(b.shape)}", kind="shape")
    if str(select) not in ("a", "i", "v"):
        raise invalid(op_name, f"select must be 'a', 'i' or 'v', got {select!r}")
    rows = np.arange(n - 1)
    upper = scatter_nd(np.stack([rows, rows + 1], 1), b, [n, n]) if n > 1 else \
        _creation.zeros([n, n], a.dtype)
    lower = scatter_nd(np.stack([rows + 1, rows], 1), _ew.conj(b) if a.dtype.is_complex
                              else b, [n, n]) if n > 1 else _creation.zeros([n, n], a.dtype)
    dense = scatter_nd(np.stack([np.arange(n)] * 2, 1), a, [n, n]) + upper + lower
    values, vectors = eigh(dense)
    if str(select) == "i":
        lo, hi = (int(v) for v in select_range)
        values, vectors = values[lo:hi + 1], vectors[:, lo:hi + 1]
    elif str(select) == "v":
        lo, hi = (float(v) for v in select_range)
        host = np.asarray(values.numpy())
        keep = np.flatnonzero((host > lo) & (host <= hi))
        values = _shape.gather(values, keep)
        vectors = _shape.gather(vectors, keep, axis=1)
    return values if eigvals_only else (values, vectors)


def extract_patches(images, sizes, strides, rates, padding, name=None):
    """Every ``sizes`` window of ``images`` (NHWC) flattened into the depth dimension
    (row, column, channel order): shape [batch, out_rows, out_cols, rows * cols * depth];
    SAME pads with zeros."""
    x = as_tensor(images, "extract_patches", "images")
    if x.ndim != 4:
        raise invalid("extract_patches", f"images must be 4-D [batch, rows, cols, depth], "
                      f"got shape {list(x.shape)}", kind="shape")
    ksize = per_dim(sizes, 2, False, "extract_patches", "sizes")
    g, padded = _windows("extract_patches", x, ksize,
                         per_dim(strides, 2, False, "extract_patches", "strides"),
                         per_dim(rates, 2, False, "extract_patches", "rates"), padding, 0)
    return _shape.concat([padded[window] for window in g.windows()], -1)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """``log(cumsum(exp(x)))`` along ``axis``, as TensorFlow's kernel computes it: a running
    ``log(exp(a) + exp(b))`` taken pairwise (``max + log1p(exp(min - max))``), exact however
    far apart the values are; ``exclusive`` starts from ``-inf``."""
    x = _float(x, "cumulative_logsumexp", "x")
    if x.ndim == 0:
        raise invalid("cumulative_logsumexp", "x must have at least one dimension",
                      kind="shape")
    ax = int(axis)
    if not -x.ndim <= ax < x.ndim:
        raise invalid("cumulative_logsumexp", f"axis {ax} is out of range for a tensor of "
                      f"rank {x.ndim}")
    slices = _shape.unstack(x, axis=ax)
    if reverse:
        slices = slices[::-1]
    if not slices:
        return _shape.identity(x)
    outs, acc = [], None
    for item in slices:
        if acc is None:
            acc = item
        else:
            high, low = _ew.maximum(acc, item), _ew.minimum(acc, item)
            gap = _shape.where(_ew.is_finite(low), low - high, _creation.zeros_like(low))
            acc = _shape.where(_ew.is_finite(low), high + _ew.log1p(_ew.exp(gap)), high)
        outs.append(acc)
    if exclusive:
        outs = [_creation.zeros_like(slices[0]) + float("-inf")] + outs[:-1]
    if reverse:
        outs = outs[::-1]
    return _shape.stack(outs, axis=ax)


def crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear",
                    extrapolation_value=0.0, name=None):
    """Crops of ``image`` [batch, height, width, depth] resized to ``crop_size``: box ``i``
    (normalised ``y1, x1, y2, x2``, flipped when y1 > y2) cut from image
    ``box_indices[i]``, sampled bilinearly or at the nearest pixel as TensorFlow's kernel
    does, ``extrapolation_value`` outside the image. float32 [boxes, h, w, depth];
    differentiable with respect to the image and (bilinear) the boxes."""
    from .scatter import gather_nd
    op_name = "image.crop_and_resize"
    img = as_tensor(image, op_name, "image")
    if img.ndim != 4:
        raise invalid(op_name, f"image must be 4-D [batch, height, width, depth], got shape "
                      f"{list(img.shape)}", kind="shape")
    if img.dtype.is_string or img.dtype.is_complex or img.dtype.is_bool:
        raise invalid(op_name, f"image must be real numbers, got {img.dtype.name}",
                      kind="dtype")
    if img.dtype.name != "float32":
        img = _shape.cast(img, "float32")
    b = _float(boxes, op_name, "boxes")
    if b.dtype.name != "float32":
        b = _shape.cast(b, "float32")
    idx = as_tensor(box_indices, op_name, "box_indices")
    size = [int(v) for v in np.asarray(as_tensor(crop_size, op_name, "crop_size").numpy())
            .reshape(-1)]
    if b.ndim != 2 or b.shape[1] != 4 or idx.ndim != 1 or idx.shape[0] != b.shape[0]:
        raise invalid(op_name, f"boxes must be [num_boxes, 4] and box_indices [num_boxes], "
                      f"got {list(b.shape)} and {list(idx.shape)}", kind="shape")
    if not idx.dtype.is_integer:
        raise invalid(op_name, f"box_indices must be int32, got {idx.dtype.name}",
                      kind="dtype")
    if len(size) != 2 or min(size) <= 0:
        raise invalid(op_name, f"crop_size must be two positive ints, got {size}")
    batch, height, width, _ = img.shape
    picked = np.asarray(idx.numpy())
    if picked.size and (picked.min() < 0 or picked.max() >= batch):
        raise invalid(op_name, f"box_indices has values outside [0, {batch})")
    if method not in ("bilinear", "nearest"):
        raise invalid(op_name, f"method must be 'bilinear' or 'nearest', got {method!r}")
    crop_h, crop_w = size

    def positions(lo, hi, extent, count):
        """Where each output row (column) samples, in pixels: [boxes, count]."""
        steps = _creation.range(count, dtype="float32") if count > 1 else None
        if count > 1:
            scale = (hi - lo) * float(extent - 1) / float(count - 1)
            return lo[:, None] * float(extent - 1) + steps[None, :] * scale[:, None]
        return (0.5 * (lo + hi) * float(extent - 1))[:, None]

    in_y = positions(b[:, 0], b[:, 2], height, crop_h)              # [n, crop_h]
    in_x = positions(b[:, 1], b[:, 3], width, crop_w)               # [n, crop_w]
    inside = ((in_y >= 0) & (in_y <= float(height - 1)))[:, :, None] & \
        ((in_x >= 0) & (in_x <= float(width - 1)))[:, None, :]      # [n, crop_h, crop_w]
    n = b.shape[0]
    which = _shape.broadcast_to(_shape.reshape(_shape.cast(idx, "int64"), [n, 1, 1]),
                                [n, crop_h, crop_w])

    def rows(v, limit):
        v = _shape.stop_gradient(v)
        return _shape.cast(_ew.minimum(_ew.maximum(v, 0.), float(limit - 1)), "int64")

    def read(ys, xs):
        ys = _shape.broadcast_to(ys[:, :, None], [n, crop_h, crop_w])
        xs = _shape.broadcast_to(xs[:, None, :], [n, crop_h, crop_w])
        return gather_nd(img, _shape.stack([which, ys, xs], axis=-1))

    if method == "nearest":
        def nearest(v):
            return _ew.floor(v + 0.5)                 # roundf, for the in-range values
        out = read(rows(nearest(in_y), height), rows(nearest(in_x), width))
    else:
        top, left = _ew.floor(_shape.stop_gradient(in_y)), \
            _ew.floor(_shape.stop_gradient(in_x))
        y_lerp = (in_y - top)[:, :, None, None]
        x_lerp = (in_x - left)[:, None, :, None]
        top_i, bottom_i = rows(top, height), rows(_ew.ceil(_shape.stop_gradient(in_y)), height)
        left_i, right_i = rows(left, width), rows(_ew.ceil(_shape.stop_gradient(in_x)), width)
        upper_l, upper_r = read(top_i, left_i), read(top_i, right_i)
        lower_l, lower_r = read(bottom_i, left_i), read(bottom_i, right_i)
        upper = upper_l + (upper_r - upper_l) * x_lerp
        lower = lower_l + (lower_r - lower_l) * x_lerp
        out = upper + (lower - upper) * y_lerp
    fill = _creation.zeros_like(out) + float(extrapolation_value)
    return _shape.where(_shape.broadcast_to(inside[..., None], out.shape), out, fill)


composite(crelu, ("nn",))
composite(local_response_normalization, ("nn",))
NAMESPACES["nn"]["lrn"] = local_response_normalization
composite(weighted_moments, ("nn",))
composite(sufficient_statistics, ("nn",))
composite(normalize_moments, ("nn",))
composite(log_poisson_loss, ("nn",))
composite(scale_regularization_loss, ("nn",))
composite(batch_norm_with_global_normalization, ("nn",))
composite(dilation2d, ("nn",))
composite(pool, ("nn",))
composite(eigh_tridiagonal, ("linalg",))
composite(isotonic_regression, ("nn",))
composite(collapse_repeated, ("nn",))
composite(ctc_unique_labels, ("nn",))
composite(depthwise_conv2d_backprop_input, ("nn",))
composite(depthwise_conv2d_backprop_filter, ("nn",))
composite(max_pool_with_argmax, ("nn",))
composite(erosion2d, ("nn",))
composite(extract_patches, ("image",))
composite(crop_and_resize, ("image",))
composite(cumulative_logsumexp, ("math",))
