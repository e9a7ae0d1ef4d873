"""Convolutions and pooling over one to three spatial dimensions: ``ts.nn.convolution``,
``conv1d/2d/3d``, their transposes, ``max_pool*`` and ``avg_pool*``, as TensorFlow computes
them — "VALID", "SAME" or explicit padding, strides, dilations, channels-last (the default)
or channels-first layouts, filters laid out ``[*spatial, in_channels, out_channels]``.

One kernel serves every rank and both backends. Each tap of the filter sees a strided slice
of the padded input, so a convolution gathers the taps into columns (im2col, a batch chunk at
a time to bound memory) and makes one matrix product; pooling folds the taps with a maximum
or a sum. The gradients form closed families — a convolution's input gradient is
``conv_transpose``, its filter gradient ``conv_backprop_filter``, and each of those
differentiates back into the three; ``max_pool_grad`` and ``max_pool_grad_grad`` are each
other's gradients, as are ``avg_pool`` and ``avg_pool_grad`` — so higher derivatives work.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from .. import dtypes, parallel
from ..dtypes import FLOATING
from ..errors import UnimplementedError, fmt_shape, incompatible_shapes, invalid
from .registry import as_tensor, composite, defgrad, describe, not_allowed, op, out, unify
from .shape import int_list

CONV_DTYPES = FLOATING | {dtypes.int32}
MAX_POOL_DTYPES = FLOATING | dtypes.INTEGER
_LAYOUTS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}
_CHUNK_BYTES = 32 << 20  # im2col columns are built this many bytes at a time (measured:
# 16-32 MB chunks run 10-15% faster than 64-128 MB on the project's 2-core machine)


class Geometry:
    """Where every filter tap reads: sizes, strides, dilations and padding per spatial
    dimension, in the channels-last order the kernels use."""

    __slots__ = ("n", "ksize", "strides", "dilations", "pads", "in_sizes", "out_sizes")

    def __init__(self, ksize, strides, dilations, pads, in_sizes, out_sizes):
        self.n = len(ksize)
        self.ksize, self.strides, self.dilations = ksize, strides, dilations
        self.pads, self.in_sizes, self.out_sizes = pads, in_sizes, out_sizes

    @property
    def taps(self) -> int:
        return math.prod(self.ksize)

    def windows(self):
        """For each filter tap (row-major), the index of the input positions it reads for
        every output position: a strided slice of the padded input."""
        for offsets in itertools.product(*(range(k) for k in self.ksize)):
            yield (slice(None),) + tuple(
                slice(o * d, o * d + s * (m - 1) + 1 if m else o * d, s)
                for o, d, s, m in zip(offsets, self.dilations, self.strides, self.out_sizes)
            ) + (slice(None),)

    def pad(self, xp, data, value=0):
        if not any(b or a for b, a in self.pads):
            return data
        return xp.pad(data, [(0, 0)] + list(self.pads) + [(0, 0)], constant_values=value)

    def padded_shape(self, batch, channels):
        return (batch,) + tuple(s + b + a for s, (b, a) in zip(self.in_sizes, self.pads)) + \
            (channels,)

    def crop(self, data):
        return data[(slice(None),) + tuple(slice(b, b + s) for s, (b, _) in
                                           zip(self.in_sizes, self.pads)) + (slice(None),)]


# ---------------------------------------------------------------------------------------------
# Arguments, as TensorFlow takes them
# ---------------------------------------------------------------------------------------------

def channels_first(data_format, n, op_name) -> bool:
    if data_format is None:
        return False
    fmt = data_format.decode() if isinstance(data_format, bytes) else str(data_format)
    if fmt in _LAYOUTS.get(n, ()) or (len(fmt) == n + 2 and fmt[0] == "N" and
                                      (fmt[1] == "C" or fmt[-1] == "C")
                                      and fmt.count("C") == 1):
        return fmt[1] == "C"
    raise invalid(op_name, f"data_format {data_format!r} is not a layout for {n} spatial "
                  f"dimension{'s' if n > 1 else ''}; use "
                  + " or ".join(repr(f) for f in _LAYOUTS.get(n, ("N...C",))))


def per_dim(value, n, first, op_name, what, default=1) -> tuple[int, ...]:
    """``strides``, ``dilations`` or ``ksize``: an int, or a list of 1, ``n`` or ``n + 2``
    entries (the batch and channel entries must then be 1)."""
    if value is None:
        return (default,) * n
    vals = int_list(value, op_name, what)
    if len(vals) == 1:
        vals = vals * n
    elif len(vals) == n + 2:
        outer = (vals[0], vals[1]) if first else (vals[0], vals[-1])
        if any(v != 1 for v in outer):
            raise invalid(op_name, f"{what} {vals} reach into the batch or channel "
                          "dimension; only the spatial entries may differ from 1",
                          cls=UnimplementedError)
        vals = vals[2:] if first else vals[1:-1]
    elif len(vals) != n:
        raise invalid(op_name, f"{what} must be an int or a list of 1, {n} or {n + 2} ints, "
                      f"got {len(vals)}: {vals}")
    if any(v < 1 for v in vals):
        raise invalid(op_name, f"{what} must be > 0, but got {vals}")
    return tuple(vals)


def geometry(op_name, in_sizes, ksize, strides, dilations, padding, first) -> Geometry:
    n = len(in_sizes)
    eff = [(k - 1) * d + 1 for k, d in zip(ksize, dilations)]
    if isinstance(padding, bytes):
        padding = padding.decode()
    if isinstance(padding, str):
        mode = padding.upper()
        if mode == "VALID":
            pads = [(0, 0)] * n
        elif mode == "SAME":
            pads = []
            for s, e, st in zip(in_sizes, eff, strides):
                total = max((-(-s // st) - 1) * st + e - s, 0)
                pads.append((total // 2, total - total // 2))
        else:
            raise invalid(op_name, f"padding must be 'VALID', 'SAME' or a list of (before, "
                          f"after) pairs, got {padding!r}")
    else:
        try:
            pairs = [tuple(int(v) for v in p) for p in
                     np.asarray(padding, dtype=object).reshape(-1, 2).tolist()]
        except (TypeError, ValueError):
            pairs = None
        if pairs is None or len(pairs) not in (n, n + 2):
            raise invalid(op_name, f"explicit padding must be {n + 2} (before, after) pairs, "
                          f"one per dimension of the input, got {padding!r}")
        if len(pairs) == n + 2:
            outer = (pairs[0], pairs[1]) if first else (pairs[0], pairs[-1])
            if any(p != (0, 0) for p in outer):
                raise invalid(op_name, f"padding {padding!r} pads the batch or channel "
                              "dimension; only spatial dimensions can be padded")
            pairs = pairs[2:] if first else pairs[1:-1]
        if any(v < 0 for p in pairs for v in p):
            raise invalid(op_name, f"padding must not be negative, got {padding!r}")
        pads = pairs
    outs = []
    for s, (b, a), e, st in zip(in_sizes, pads, eff, strides):
        if s + b + a < e:
            raise invalid(op_name, f"Computed output size would be negative: {s + b + a - e} "
                          f"[input_size: {s}, effective_filter_size: {e}, stride: {st}]",
                          kind="shape")
        outs.append((s + b + a - e) // st + 1)
    return Geometry(tuple(ksize), tuple(strides), tuple(dilations), tuple(pads),
                    tuple(in_sizes), tuple(outs))


def _spatial(shape, n, first):
    return tuple(shape[-n:]) if first else tuple(shape[-n - 1:-1])


def _channels(shape, n, first):
    return shape[-n - 1] if first else shape[-1]


def _to_kernel_layout(xp, data, n, first):
    """``(*batch, *spatial, C)`` or ``(*batch, C, *spatial)`` as ``(B, *spatial, C)``."""
    if first:
        data = xp.moveaxis(data, -n - 1, -1)
    return data.reshape((-1,) + data.shape[-n - 1:])


def _from_kernel_layout(xp, data, lead, n, first):
    data = data.reshape(tuple(lead) + data.shape[1:])
    if first:
        data = xp.moveaxis(data, -1, -n - 1)
    return xp.ascontiguousarray(data)


def _work_dtype(xp, data):
    """float16 accumulates in float32 (as TensorFlow's kernels do)."""
    return data.astype(xp.float32) if data.dtype == np.float16 else data


def _batch_chunks(batch, per_item_bytes):
    step = max(1, _CHUNK_BYTES // max(per_item_bytes, 1))
    for start in range(0, batch, step):
        yield slice(start, min(start + step, batch))


# ---------------------------------------------------------------------------------------------
# Kernels on (B, *spatial, C) arrays
# ---------------------------------------------------------------------------------------------

def _by_rows(xp, batch, size, fn):
    """``fn(start, stop)`` over the batch rows: split among the CPU's threads when the work
    is large (the copies are memory-bound strided gathers, and NumPy releases the GIL), else
    in one call."""
    if xp is np and batch > 1 and parallel.wanted(size):
        parallel.run_ranges(batch, fn)
    else:
        fn(0, batch)


def _empty(xp, shape, dtype):
    """Scratch and result arrays: on the CPU from the engine's buffer cache, whose recycled
    memory spares the page faults of a fresh allocation each call."""
    if xp is np:
        return parallel.buffers.empty(shape, dtype)
    return xp.empty(shape, dtype=dtype)


def _zeros(xp, shape, dtype):
    out = _empty(xp, shape, dtype)
    out[...] = 0
    return out


def _tap_view(xp, part, geo):
    """``part`` (B, *padded, C) seen as (B, *out, *ksize, C): every output position's
    window, strided and dilated, without copying."""
    st = part.strides
    space = st[1:-1]
    shape = (part.shape[0],) + geo.out_sizes + geo.ksize + (part.shape[-1],)
    strides = (st[0],) + tuple(a * s for a, s in zip(space, geo.strides)) + \
        tuple(a * d for a, d in zip(space, geo.dilations)) + (st[-1],)
    return xp.lib.stride_tricks.as_strided(part, shape, strides)


def _columns(xp, xpad, geo, rows):
    """im2col for a batch chunk: ``(rows * prod(out), taps * C)``, each row the inputs
    one output position's taps read (one strided copy per thread)."""
    part = xpad[rows]
    view = _tap_view(xp, part, geo)
    cols = _empty(xp, view.shape, part.dtype)

    def fill(a, b):
        cols[a:b] = view[a:b]
    _by_rows(xp, cols.shape[0], cols.size, fill)
    return cols.reshape(-1, geo.taps * part.shape[-1])


def _per_channel(xp, cols, taps, c):
    """im2col columns ``(N, taps * C)`` as one ``(N, taps)`` matrix per channel:
    ``(C, N, taps)``, for depthwise products (one batched matmul over the channels)."""
    return xp.moveaxis(cols.reshape(-1, taps, c), -1, 0)


def conv_kernel(xp, x, w, geo, depthwise=False):
    """``y[b, *o, :] = sum over taps and channels of x_padded[b, o * s + tap * d, c] @ w``:
    one matrix product of the im2col columns with the filter per batch chunk. Depthwise:
    each channel ``c`` with its own ``w[..., c, :]`` (``C * M`` outputs, channel-major)."""
    x, w = _work_dtype(xp, x), _work_dtype(xp, w)
    batch, c, m = x.shape[0], x.shape[-1], w.shape[-1]
    o = c * m if depthwise else m
    y = _empty(xp, (batch,) + geo.out_sizes + (o,), x.dtype)
    if y.size == 0:
        return y
    xpad = geo.pad(xp, x)
    w2 = xp.moveaxis(w.reshape(geo.taps, c, m), 1, 0) if depthwise else w.reshape(-1, o)
    per_item = math.prod(geo.out_sizes) * geo.taps * c * x.itemsize
    for rows in _batch_chunks(batch, per_item):
        cols = _columns(xp, xpad, geo, rows)
        if depthwise:  # (C, N, taps) @ (C, taps, M) -> (N, C, M)
            y[rows] = xp.moveaxis(xp.matmul(_per_channel(xp, cols, geo.taps, c), w2), 0,
                                  1).reshape(y[rows].shape)
        else:
            xp.matmul(cols, w2, out=y[rows].reshape(-1, o))
    return y


def conv_input_grad_kernel(xp, g, w, geo, batch, c, depthwise=False):
    """The transpose of ``conv_kernel`` in its input (col2im): one product of ``g`` with the
    filter gives every tap's share, which each tap adds back where it read."""
    g, w = _work_dtype(xp, g), _work_dtype(xp, w)
    o = w.shape[-1]
    eff = [(k - 1) * d + 1 for k, d in zip(geo.ksize, geo.dilations)]
    if not depthwise and all(s == 1 for s in geo.strides) and \
            all(e - 1 >= max(p) for e, p in zip(eff, geo.pads)):
        # Unstrided: the transpose is itself a convolution, of g padded to "full" with the
        # filter flipped in space and its channels swapped; one im2col product and no
        # scatter (measured faster than the scatter below even for 32 -> 3 channels).
        flipped = xp.ascontiguousarray(xp.swapaxes(
            w[(slice(None, None, -1),) * geo.n], -1, -2))
        full = Geometry(geo.ksize, geo.strides, geo.dilations,
                        tuple((e - 1 - b, e - 1 - a) for e, (b, a) in zip(eff, geo.pads)),
                        geo.out_sizes, geo.in_sizes)
        return conv_kernel(xp, g, flipped, full)
    dx = _zeros(xp, geo.padded_shape(batch, c), g.dtype)
    if g.size and dx.size:
        # depthwise: (C, N, M) @ (C, M, taps) per channel; else (N, O) @ (O, taps * C)
        w2t = xp.moveaxis(w.reshape(geo.taps, c, o), 0, -1) if depthwise else \
            w.reshape(-1, o).T
        windows = list(geo.windows())
        per_item = math.prod(geo.out_sizes) * geo.taps * c * g.itemsize
        for rows in _batch_chunks(batch, per_item):
            if depthwise:
                per_channel = xp.moveaxis(g[rows].reshape(-1, c, o), 1, 0)
                shares = xp.moveaxis(xp.matmul(per_channel, w2t), 0, -1)
            else:
                shares = xp.matmul(g[rows].reshape(-1, o), w2t)
            shares = shares.reshape((-1,) + geo.out_sizes + (geo.taps, c))
            target = dx[rows]

            def add(a, b, shares=shares, target=target):
                for k, window in enumerate(windows):
                    target[a:b][window] += shares[a:b, ..., k, :]
            _by_rows(xp, shares.shape[0], shares.size, add)
    return geo.crop(dx)


def conv_filter_grad_kernel(xp, x, g, geo, filter_shape, depthwise=False):
    """The transpose of ``conv_kernel`` in its filter: the im2col columns times ``g``."""
    x, g = _work_dtype(xp, x), _work_dtype(xp, g)
    c, o = x.shape[-1], filter_shape[-1]
    dw = xp.zeros((c, geo.taps, o) if depthwise else (geo.taps * c, o), dtype=x.dtype)
    if g.size and x.size:
        xpad = geo.pad(xp, x)
        per_item = math.prod(geo.out_sizes) * geo.taps * c * x.itemsize
        for rows in _batch_chunks(x.shape[0], per_item):
            cols = _columns(xp, xpad, geo, rows)
            if depthwise:  # (C, taps, N) @ (C, N, M)
                per_channel = xp.moveaxis(g[rows].reshape(-1, c, o), 1, 0)
                dw += xp.matmul(xp.swapaxes(_per_channel(xp, cols, geo.taps, c), -1, -2),
                                per_channel)
            else:
                dw += xp.matmul(cols.T, g[rows].reshape(-1, o))
    if depthwise:
        dw = xp.moveaxis(dw, 0, 1)
    return dw.reshape(filter_shape)


def _lowest(xp, dtype):
    return -np.inf if np.dtype(dtype).kind == "f" else np.iinfo(dtype).min


def max_pool_kernel(xp, x, geo):
    """The largest value in each window; NaNs are passed over, as TensorFlow's kernel
    does, and padding never wins."""
    xpad = geo.pad(xp, x, _lowest(xp, x.dtype))
    best = None
    for window in geo.windows():
        v = xpad[window]
        best = v.copy() if best is None else xp.fmax(best, v, out=best)
    return best


def _argmax_taps(xp, xpad, geo):
    """Which tap holds each window's maximum: the first in row-major order, NaNs skipped."""
    best = idx = None
    floating = xpad.dtype.kind == "f"
    for k, window in enumerate(geo.windows()):
        v = xpad[window]
        if best is None:
            best, idx = v.copy(), xp.zeros(v.shape, dtype=xp.int32)
            continue
        better = v > best
        if floating:
            better |= xp.isnan(best) & ~xp.isnan(v)
        best = xp.where(better, v, best)
        idx[better] = k
    return idx


def max_pool_grad_kernel(xp, x, g, geo):
    xpad = geo.pad(xp, x, _lowest(xp, x.dtype))
    idx = _argmax_taps(xp, xpad, geo)
    dx = xp.zeros(xpad.shape, dtype=g.dtype)
    zero = xp.zeros((), dtype=g.dtype)
    for k, window in enumerate(geo.windows()):
        dx[window] += xp.where(idx == k, g, zero)
    return geo.crop(dx)


def max_pool_grad_grad_kernel(xp, x, h, geo):
    xpad = geo.pad(xp, x, _lowest(xp, x.dtype))
    idx = _argmax_taps(xp, xpad, geo)
    hpad = geo.pad(xp, h)
    picked = xp.zeros(idx.shape, dtype=h.dtype)
    for k, window in enumerate(geo.windows()):
        picked = xp.where(idx == k, hpad[window], picked)
    return picked


def _window_counts(xp, geo, dtype):
    """How many real (unpadded) inputs each window covers: SAME padding averages over
    those only, as TensorFlow does."""
    if not any(b or a for b, a in geo.pads):
        return geo.taps
    ones = geo.pad(xp, xp.ones((1,) + geo.in_sizes + (1,), dtype=dtype))
    count = None
    for window in geo.windows():
        count = ones[window].copy() if count is None else count + ones[window]
    return count


def avg_pool_kernel(xp, x, geo):
    work = _work_dtype(xp, x)
    xpad = geo.pad(xp, work)
    total = None
    for window in geo.windows():
        total = xpad[window].copy() if total is None else xp.add(total, xpad[window],
                                                                  out=total)
    return (total / _window_counts(xp, geo, work.dtype)).astype(x.dtype, copy=False)


def avg_pool_grad_kernel(xp, g, geo, batch, c):
    work = _work_dtype(xp, g)
    share = work / _window_counts(xp, geo, work.dtype)
    dx = xp.zeros(geo.padded_shape(batch, c), dtype=work.dtype)
    for window in geo.windows():
        dx[window] += share
    return geo.crop(dx).astype(g.dtype, copy=False)


# ---------------------------------------------------------------------------------------------
# Ops
# ---------------------------------------------------------------------------------------------

def _check_dtype(op_def, t, label):
    if t.dtype not in op_def.dtypes:
        raise not_allowed(op_def, t, label)


def _two_operands(op_def, a, b, la, lb):
    x, w = unify(op_def.name, (a, b), (la, lb))
    _check_dtype(op_def, x, la)
    return x, w


def _filter_rank(name, w, label="filters"):
    n = w.ndim - 2
    if n not in (1, 2, 3):
        raise invalid(name, f"{label} must have rank 3, 4 or 5 ([*spatial, in_channels, "
                      f"out_channels]), got shape {fmt_shape(w.shape)}",
                      [describe(w, label)], kind="shape")
    return n


def _check_input_rank(name, x, n, label="input"):
    if x.ndim < n + 2:
        raise invalid(name, f"{label} must have rank >= {n + 2} (batch, {n} spatial "
                      f"dimension{'s' if n > 1 else ''} and channels), got shape "
                      f"{fmt_shape(x.shape)}", [describe(x, label)], kind="shape")


def _check_depth(name, x, w, c, lx="input", lw="filters"):
    if w.shape[-2] != c:
        raise incompatible_shapes(name, [describe(x, lx), describe(w, lw)],
                                  f"input depth {c} does not match the filters' input depth "
                                  f"{w.shape[-2]} (filters are [*spatial, in_channels, "
                                  "out_channels])")


def _conv_geometry(name, in_shape, w_shape, strides, padding, data_format, dilations):
    n = len(w_shape) - 2
    first = channels_first(data_format, n, name)
    geo = geometry(name, _spatial(in_shape, n, first), tuple(w_shape[:n]),
                   per_dim(strides, n, first, name, "strides"),
                   per_dim(dilations, n, first, name, "dilations"), padding, first)
    return geo, first


def _result(xp, data, lead, n, first, dtype):
    return out(_from_kernel_layout(xp, data, lead, n, first).astype(dtype._np, copy=False),
               dtype)


@op("convolution", "custom", CONV_DTYPES, ("nn",))
def convolution(input, filters, strides=None, padding="VALID", data_format=None,  # noqa: A002
                dilations=None, name=None):
    """An N-d convolution (N = ``filters.ndim - 2``), as ``conv1d``/``conv2d``/``conv3d``.

    >>> x = ts.ones((1, 5, 5, 3)); w = ts.ones((3, 3, 3, 8))
    >>> ts.nn.convolution(x, w, padding="SAME").shape   # (1, 5, 5, 8)
    """
    x, w = _two_operands(convolution.op, input, filters, "input", "filters")
    n = _filter_rank("convolution", w)
    _check_input_rank("convolution", x, n)
    geo, first = _conv_geometry("convolution", x.shape, w.shape, strides, padding,
                                data_format, dilations)
    _check_depth("convolution", x, w, _channels(x.shape, n, first))
    xp = x._device.backend.xp
    data = _to_kernel_layout(xp, x._data, n, first)
    y = conv_kernel(xp, data, w._data, geo)
    return _result(xp, y, x._data.shape[:-n - 1], n, first, x.dtype)


def _transpose_setup(name, g, w, output_shape, strides, padding, data_format, dilations,
                     lg="input"):
    n = _filter_rank(name, w)
    _check_input_rank(name, g, n, lg)
    shape = int_list(output_shape, name, "output_shape")
    if len(shape) != g.ndim or any(v < 0 for v in shape):
        raise invalid(name, f"output_shape {shape} must have {g.ndim} non-negative "
                      f"entries, one per dimension of {lg} {fmt_shape(g.shape)}",
                      [describe(g, lg)], kind="shape")
    geo, first = _conv_geometry(name, shape, w.shape, strides, padding, data_format,
                                dilations)
    if geo.out_sizes != _spatial(g.shape, n, first) or \
            _channels(g.shape, n, first) != w.shape[-1] or \
            _channels(shape, n, first) != w.shape[-2] or \
            tuple(shape[:-n - 1]) != tuple(g.shape[:-n - 1]):
        raise incompatible_shapes(
            name, [describe(g, lg), describe(w, "filters")],
            f"a convolution of an input of shape {fmt_shape(shape)} with these filters, "
            f"strides and padding gives spatial sizes {list(geo.out_sizes)} and "
            f"{w.shape[-1]} channels (filters are [*spatial, out_channels, in_channels] "
            f"here), which {lg} does not have")
    return n, geo, first, shape


@op("conv_transpose", "custom", CONV_DTYPES, ("nn",))
def conv_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                   data_format=None, dilations=None, name=None):
    """The transpose (gradient) of ``convolution``: ``output_shape`` is the shape of the
    convolution's input, ``filters`` are ``[*spatial, out_channels, in_channels]``."""
    g, w = _two_operands(conv_transpose.op, input, filters, "input", "filters")
    n, geo, first, shape = _transpose_setup("conv_transpose", g, w, output_shape, strides,
                                            padding, data_format, dilations)
    xp = g._device.backend.xp
    data = _to_kernel_layout(xp, g._data, n, first)
    dx = conv_input_grad_kernel(xp, data, w._data, geo, data.shape[0],
                                _channels(shape, n, first))
    return _result(xp, dx, shape[:-n - 1], n, first, g.dtype)


@op("conv_backprop_filter", "custom", CONV_DTYPES, ())
def conv_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                         data_format=None, dilations=None, name=None):
    """The gradient of ``convolution`` with respect to its filters (TensorFlow's
    ``Conv2DBackpropFilter``, any rank)."""
    name_ = "conv_backprop_filter"
    x, g = _two_operands(conv_backprop_filter.op, input, out_backprop, "input",
                          "out_backprop")
    w_shape = tuple(int_list(filter_sizes, name_, "filter_sizes"))
    n = len(w_shape) - 2
    if n not in (1, 2, 3):
        raise invalid(name_, f"filter_sizes must have 3, 4 or 5 entries, got {list(w_shape)}")
    _check_input_rank(name_, x, n)
    geo, first = _conv_geometry(name_, x.shape, w_shape, strides, padding, data_format,
                                dilations)
    if (_channels(x.shape, n, first) != w_shape[-2] or g.shape[:-n - 1] != x.shape[:-n - 1]
            or _channels(g.shape, n, first) != w_shape[-1]
            or _spatial(g.shape, n, first) != geo.out_sizes or g.ndim != x.ndim):
        raise incompatible_shapes(name_, [describe(x, "input"), describe(g, "out_backprop")],
                                  f"filters of shape {list(w_shape)} do not map the input "
                                  "to out_backprop's shape")
    xp = x._device.backend.xp
    dw = conv_filter_grad_kernel(xp, _to_kernel_layout(xp, x._data, n, first),
                                 _to_kernel_layout(xp, g._data, n, first), geo, w_shape)
    return out(dw.astype(x.dtype._np, copy=False), x.dtype)


# Gradients are deferred (thunks): the tape computes only those of inputs it tracks, so
# a network's first layer never pays for the gradient of its data.

def _conv_grad(g, ans, input, filters, strides=None, padding="VALID",  # noqa: A002
               data_format=None, dilations=None, name=None):
    return (lambda: conv_transpose(g, filters, input.shape, strides, padding, data_format,
                                   dilations),
            lambda: conv_backprop_filter(input, filters.shape, g, strides, padding,
                                         data_format, dilations))


def _conv_transpose_grad(g, ans, input, filters, output_shape, strides,  # noqa: A002
                         padding="SAME", data_format=None, dilations=None, name=None):
    return (lambda: convolution(g, filters, strides, padding, data_format, dilations),
            lambda: conv_backprop_filter(g, filters.shape, input, strides, padding,
                                         data_format, dilations))


def _conv_filter_grad(g, ans, input, filter_sizes, out_backprop, strides,  # noqa: A002
                      padding, data_format=None, dilations=None, name=None):
    return (lambda: conv_transpose(out_backprop, g, input.shape, strides, padding,
                                   data_format, dilations),
            None,
            lambda: convolution(input, g, strides, padding, data_format, dilations))


defgrad(convolution, _conv_grad)
defgrad(conv_transpose, _conv_transpose_grad)
defgrad(conv_backprop_filter, _conv_filter_grad)


# -- depthwise ----------------------------------------------------------------------------------

def _depthwise_geometry(name, x_shape, w_shape, strides, padding, data_format, dilations):
    if len(w_shape) != 4:
        raise invalid(name, f"filter must be [height, width, in_channels, "
                      f"channel_multiplier], got shape {list(w_shape)}", kind="shape")
    if len(x_shape) != 4:
        raise invalid(name, f"input must have rank 4 (batch, height, width, channels), got "
                      f"shape {list(x_shape)}", kind="shape")
    geo, first = _conv_geometry(name, x_shape, w_shape, strides, padding, data_format,
                                dilations)
    return geo, first


@op("depthwise_conv2d", "custom", FLOATING, ("nn",))
def depthwise_conv2d(input, filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    """Each input channel convolved with its own ``channel_multiplier`` filters:
    ``filter`` is ``[height, width, in_channels, channel_multiplier]`` and the output has
    ``in_channels * channel_multiplier`` channels (channel ``c * M + m``)."""
    x, w = _two_operands(depthwise_conv2d.op, input, filter, "input", "filter")
    geo, first = _depthwise_geometry("depthwise_conv2d", x.shape.as_list(), w.shape.as_list(),
                                     strides, padding, data_format, dilations)
    _check_depth("depthwise_conv2d", x, w, _channels(x.shape, 2, first), lw="filter")
    xp = x._device.backend.xp
    y = conv_kernel(xp, _to_kernel_layout(xp, x._data, 2, first), w._data, geo,
                    depthwise=True)
    return _result(xp, y, x._data.shape[:1], 2, first, x.dtype)


def _depthwise_backprop_geometry(name, x_shape, w_shape, g, strides, padding, data_format,
                                 dilations, operand):
    """The geometry of a depthwise backprop op, once ``out_backprop`` is checked to have the
    shape a depthwise convolution of ``x_shape`` with filters of ``w_shape`` gives."""
    geo, first = _depthwise_geometry(name, x_shape, w_shape, strides, padding, data_format,
                                     dilations)
    c, m = w_shape[-2], w_shape[-1]
    if (_channels(x_shape, 2, first) != c or _channels(g.shape, 2, first) != c * m
            or _spatial(g.shape, 2, first) != geo.out_sizes or g.shape[0] != x_shape[0]):
        raise incompatible_shapes(name, [operand, describe(g, "out_backprop")],
                                  f"out_backprop does not have the shape a depthwise "
                                  f"convolution of an input of shape {list(x_shape)} with "
                                  f"filters of shape {list(w_shape)} gives")
    return geo, first


@op("depthwise_conv2d_backprop_input", "custom", FLOATING, ())
def depthwise_conv2d_backprop_input(input_sizes, filter, out_backprop, strides,  # noqa: A002
                                    padding, data_format=None, dilations=None, name=None):
    """``depthwise_conv2d``'s gradient with respect to its input (TensorFlow's name)."""
    name_ = "depthwise_conv2d_backprop_input"
    w, g = _two_operands(depthwise_conv2d_backprop_input.op, filter, out_backprop, "filter",
                         "out_backprop")
    sizes = int_list(input_sizes, name_, "input_sizes")
    geo, first = _depthwise_backprop_geometry(name_, sizes, w.shape.as_list(), g, strides,
                                              padding, data_format, dilations,
                                              describe(w, "filter"))
    c = w.shape[-2]
    xp = g._device.backend.xp
    dx = conv_input_grad_kernel(xp, _to_kernel_layout(xp, g._data, 2, first), w._data, geo,
                                sizes[0], c, depthwise=True)
    return _result(xp, dx, sizes[:1], 2, first, g.dtype)


@op("depthwise_conv2d_backprop_filter", "custom", FLOATING, ())
def depthwise_conv2d_backprop_filter(input, filter_sizes, out_backprop, strides,  # noqa: A002
                                     padding, data_format=None, dilations=None, name=None):
    """``depthwise_conv2d``'s gradient with respect to its filter (TensorFlow's name)."""
    name_ = "depthwise_conv2d_backprop_filter"
    x, g = _two_operands(depthwise_conv2d_backprop_filter.op, input, out_backprop, "input",
                         "out_backprop")
    w_shape = int_list(filter_sizes, name_, "filter_sizes")
    geo, first = _depthwise_backprop_geometry(name_, x.shape.as_list(), w_shape, g, strides,
                                              padding, data_format, dilations,
                                              describe(x, "input"))
    xp = x._device.backend.xp
    dw = conv_filter_grad_kernel(xp, _to_kernel_layout(xp, x._data, 2, first),
                                 _to_kernel_layout(xp, g._data, 2, first), geo,
                                 tuple(w_shape), depthwise=True)
    return out(dw.astype(x.dtype._np, copy=False), x.dtype)


def _depthwise_grad(g, ans, input, filter, strides, padding, data_format=None,  # noqa: A002
                    dilations=None, name=None):
    return (lambda: depthwise_conv2d_backprop_input(input.shape, filter, g, strides, padding,
                                                    data_format, dilations),
            lambda: depthwise_conv2d_backprop_filter(input, filter.shape, g, strides,
                                                     padding, data_format, dilations))


def _depthwise_input_grad(h, ans, input_sizes, filter, out_backprop, strides,  # noqa: A002
                          padding, data_format=None, dilations=None, name=None):
    return (None,
            depthwise_conv2d_backprop_filter(h, filter.shape, out_backprop, strides, padding,
                                             data_format, dilations),
            depthwise_conv2d(h, filter, strides, padding, data_format, dilations))


def _depthwise_filter_grad(k, ans, input, filter_sizes, out_backprop, strides,  # noqa: A002
                           padding, data_format=None, dilations=None, name=None):
    return (depthwise_conv2d_backprop_input(input.shape, k, out_backprop, strides, padding,
                                            data_format, dilations),
            None,
            depthwise_conv2d(input, k, strides, padding, data_format, dilations))


defgrad(depthwise_conv2d, _depthwise_grad)
defgrad(depthwise_conv2d_backprop_input, _depthwise_input_grad)
defgrad(depthwise_conv2d_backprop_filter, _depthwise_filter_grad)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa: A002
                     data_format=None, dilations=None, name=None):
    """A depthwise convolution followed by a 1x1 convolution mixing its channels
    (``pointwise_filter`` is ``[1, 1, in_channels * multiplier, out_channels]``)."""
    _rank_checked("separable_conv2d", pointwise_filter, 2, "pointwise_filter")
    depth = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format,
                             dilations)
    return convolution(depth, pointwise_filter, 1, "VALID", data_format)


# -- pooling ----------------------------------------------------------------------------------

def _pool_setup(name, shape, ksize, strides, padding, data_format, operand):
    n = len(shape) - 2
    if n not in (1, 2, 3):
        raise invalid(name, f"{operand.label} must have rank 3, 4 or 5 (batch, 1 to 3 spatial "
                      f"dimensions, channels), got shape {fmt_shape(shape)}", [operand],
                      kind="shape")
    first = channels_first(data_format, n, name)
    geo = geometry(name, _spatial(shape, n, first), per_dim(ksize, n, first, name, "ksize"),
                   per_dim(strides, n, first, name, "strides"), (1,) * n, padding, first)
    return n, geo, first


def _pool_input(op_def, value, label="input"):
    t = as_tensor(value, op_def.name, label)
    _check_dtype(op_def, t, label)
    return t


def _pool_op(op_def, kernel, input, ksize, strides, padding, data_format):  # noqa: A002
    x = _pool_input(op_def, input)
    n, geo, first = _pool_setup(op_def.name, x._data.shape, ksize, strides, padding,
                                data_format, describe(x, "input"))
    xp = x._device.backend.xp
    y = kernel(xp, _to_kernel_layout(xp, x._data, n, first), geo)
    return _result(xp, y, x._data.shape[:1], n, first, x.dtype)


@op("max_pool", "custom", MAX_POOL_DTYPES, ("nn",))
def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """The maximum of each window; N-d, with N = ``input.ndim - 2``.

    >>> ts.nn.max_pool(ts.reshape(ts.range(16.), [1, 4, 4, 1]), 2, 2, "VALID")[0, ..., 0]
    ... # [[5., 7.], [13., 15.]]
    """
    return _pool_op(max_pool.op, max_pool_kernel, input, ksize, strides, padding, data_format)


@op("max_pool_grad", "custom", FLOATING, ())
def max_pool_grad(input, grad, ksize, strides, padding, data_format=None,  # noqa: A002
                  name=None):
    """``max_pool``'s gradient: each window's ``grad`` goes to the input that was its
    maximum (the first one on ties, as TensorFlow)."""
    x, g = _two_operands(max_pool_grad.op, input, grad, "input", "grad")
    n, geo, first = _pool_setup("max_pool_grad", x._data.shape, ksize, strides, padding,
                                data_format, describe(x, "input"))
    _check_pooled(x._data.shape, describe(x, "input"), g, geo, n, first, "max_pool_grad",
                  "grad")
    xp = x._device.backend.xp
    dx = max_pool_grad_kernel(xp, _to_kernel_layout(xp, x._data, n, first),
                              _to_kernel_layout(xp, g._data, n, first), geo)
    return _result(xp, dx, x._data.shape[:1], n, first, x.dtype)


@op("max_pool_grad_grad", "custom", FLOATING, ())
def max_pool_grad_grad(input, grad, ksize, strides, padding, data_format=None,  # noqa: A002
                       name=None):
    """``max_pool_grad``'s gradient: from each window, the value of ``grad`` (shaped as the
    input) at the position of the window's maximum."""
    name_ = "max_pool_grad_grad"
    x, h = _two_operands(max_pool_grad_grad.op, input, grad, "input", "grad")
    n, geo, first = _pool_setup(name_, x._data.shape, ksize, strides, padding, data_format,
                                describe(x, "input"))
    if h.shape != x.shape:
        raise incompatible_shapes(name_, [describe(x, "input"), describe(h, "grad")],
                                  "grad must have the input's shape")
    xp = x._device.backend.xp
    y = max_pool_grad_grad_kernel(xp, _to_kernel_layout(xp, x._data, n, first),
                                  _to_kernel_layout(xp, h._data, n, first), geo)
    return _result(xp, y, x._data.shape[:1], n, first, x.dtype)


def _check_pooled(shape, operand, g, geo, n, first, name, label):
    c = _channels(shape, n, first)
    expected = (shape[0],) + ((c,) if first else ()) + geo.out_sizes + (() if first else (c,))
    if tuple(g._data.shape) != expected:
        raise incompatible_shapes(name, [operand, describe(g, label)],
                                  f"{label} must have the pooled shape {list(expected)}")


@op("avg_pool", "custom", FLOATING, ("nn",))
def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """The mean of each window (of its real inputs: "SAME" padding is not counted)."""
    return _pool_op(avg_pool.op, avg_pool_kernel, input, ksize, strides, padding, data_format)


@op("avg_pool_grad", "custom", FLOATING, ())
def avg_pool_grad(input_shape, grad, ksize, strides, padding, data_format=None, name=None):
    """``avg_pool``'s gradient: each window shares its ``grad`` among its real inputs."""
    name_ = "avg_pool_grad"
    g = _pool_input(avg_pool_grad.op, grad, "grad")
    shape = int_list(input_shape, name_, "input_shape")
    if len(shape) != g.ndim:
        raise invalid(name_, f"input_shape {shape} must have as many entries as grad has "
                      f"dimensions ({g.ndim})", [describe(g, "grad")], kind="shape")
    shape = tuple(shape)
    operand = describe(g, "grad")._replace(label="input_shape", shape=shape)
    n, geo, first = _pool_setup(name_, shape, ksize, strides, padding, data_format, operand)
    _check_pooled(shape, operand, g, geo, n, first, name_, "grad")
    xp = g._device.backend.xp
    data = _to_kernel_layout(xp, g._data, n, first)
    dx = avg_pool_grad_kernel(xp, data, geo, shape[0], _channels(shape, n, first))
    return _result(xp, dx, shape[:1], n, first, g.dtype)


defgrad(max_pool, lambda g, ans, input, ksize, strides, padding, data_format=None, name=None:
        (max_pool_grad(input, g, ksize, strides, padding, data_format),))
defgrad(max_pool_grad, lambda h, ans, input, grad, ksize, strides, padding, data_format=None,
        name=None: (None, max_pool_grad_grad(input, h, ksize, strides, padding, data_format)))
defgrad(max_pool_grad_grad, lambda k, ans, input, grad, ksize, strides, padding,
        data_format=None, name=None:
        (None, max_pool_grad(input, k, ksize, strides, padding, data_format)))
defgrad(avg_pool, lambda g, ans, input, ksize, strides, padding, data_format=None, name=None:
        (avg_pool_grad(input.shape, g, ksize, strides, padding, data_format),))
defgrad(avg_pool_grad, lambda h, ans, input_shape, grad, ksize, strides, padding,
        data_format=None, name=None: (None, avg_pool(h, ksize, strides, padding, data_format)))


# ---------------------------------------------------------------------------------------------
# TensorFlow's rank-specific names
# ---------------------------------------------------------------------------------------------

def _rank_checked(name, value, n, label):
    shape = getattr(value, "shape", None)
    if shape is None:
        shape = np.shape(value)
    if len(shape) != n + 2:
        raise invalid(name, f"{label} must have rank {n + 2} for ts.nn.{name}, got shape "
                      f"{fmt_shape(tuple(shape))}", kind="shape")


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None,  # noqa: A002
           name=None):
    """A 1-d convolution: ``input`` ``[batch, width, in_channels]``, ``filters``
    ``[width, in_channels, out_channels]``."""
    _rank_checked("conv1d", filters, 1, "filters")
    return convolution(input, filters, stride, padding, data_format, dilations)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """A 2-d convolution: ``input`` ``[batch, height, width, in_channels]``, ``filters``
    ``[height, width, in_channels, out_channels]``.

    >>> ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 8)), 1, "SAME").shape
    ... # (1, 5, 5, 8)
    """
    _rank_checked("conv2d", filters, 2, "filters")
    return convolution(input, filters, strides, padding, data_format, dilations)


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None,  # noqa: A002
           name=None):
    _rank_checked("conv3d", filters, 3, "filters")
    return convolution(input, filters, strides, padding, data_format, dilations)


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NWC", dilations=None, name=None):
    _rank_checked("conv1d_transpose", filters, 1, "filters")
    return conv_transpose(input, filters, output_shape, strides, padding, data_format,
                          dilations)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """The transpose of ``conv2d`` (a "deconvolution"): ``filters`` are ``[height, width,
    output_channels, in_channels]``; ``output_shape`` is the full result shape."""
    _rank_checked("conv2d_transpose", filters, 2, "filters")
    return conv_transpose(input, filters, output_shape, strides, padding, data_format,
                          dilations)


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NDHWC", dilations=None, name=None):
    _rank_checked("conv3d_transpose", filters, 3, "filters")
    return conv_transpose(input, filters, output_shape, strides, padding, data_format,
                          dilations)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """``conv2d`` with holes: the filter taps ``rate`` pixels apart, stride 1 (``conv2d`` with
    ``dilations=rate``)."""
    _rank_checked("atrous_conv2d", filters, 2, "filters")
    return convolution(value, filters, 1, padding, "NHWC", _atrous_rate("atrous_conv2d", rate))


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose of ``atrous_conv2d``: ``filters`` are ``[height, width, output_channels,
    in_channels]``."""
    _rank_checked("atrous_conv2d_transpose", filters, 2, "filters")
    return conv_transpose(value, filters, output_shape, 1, padding, "NHWC",
                          _atrous_rate("atrous_conv2d_transpose", rate))


def _atrous_rate(name, rate):
    if isinstance(rate, bool) or not isinstance(rate, (int, np.integer)) or rate < 1:
        raise invalid(name, f"rate must be a positive int for ts.nn.{name}, got {rate!r}")
    return int(rate)


def _pool_alias(pool, n, default_format):
    public = f"{pool.__name__}{n}d"

    def fn(input, ksize, strides, padding, data_format=default_format,  # noqa: A002
           name=None):
        _rank_checked(public, input, n, "input")
        return pool(input, ksize, strides, padding, data_format)
    fn.__name__ = fn.__qualname__ = public
    fn.__doc__ = f"``ts.nn.{pool.__name__}`` over {n} spatial dimension" + \
        ("s." if n > 1 else ".")
    return fn


for _fn in (conv1d, conv2d, conv3d, conv1d_transpose, conv2d_transpose, conv3d_transpose,
            separable_conv2d, atrous_conv2d, atrous_conv2d_transpose):
    composite(_fn, ("nn",))
for _pooling in (max_pool, avg_pool):
    for _n in (1, 2, 3):
        composite(_pool_alias(_pooling, _n, _LAYOUTS[_n][0]), ("nn",))
