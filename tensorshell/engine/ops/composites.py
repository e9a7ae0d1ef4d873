"""Ops built from other ops: no kernel and no gradient of their own (autodiff sees the ops
they call), so they run on every device and differentiate for free. Each follows
TensorFlow's definition, including where it guards against 0/0 and log(0)."""

from __future__ import annotations

from ..dtypes import FLOATING, INTEGER, int64
from ..errors import incompatible_shapes, invalid
from ..tensor import Tensor
from . import creation as _creation, elementwise as _ew, reduction as _red, shape as _shape
from .registry import NAMESPACES, as_tensor, composite, describe, unify


def _float(value, op_name, label="x"):
    t = as_tensor(value, op_name, label)
    if t.dtype not in FLOATING:
        raise invalid(op_name, f"{label} must be a floating-point tensor, got {t.dtype.name}",
                      [describe(t, label)], kind="dtype",
                      hint=f"ts.{op_name}(ts.cast({label}, ts.float32), ...)")
    return t


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
    x = _float(x, "reduce_euclidean_norm", "input_tensor")
    return _ew.sqrt(_red.reduce_sum(x * x, axis, keepdims))


def _broadcast_pair(op_name, x, y, x_label, y_label):
    x = _float(x, op_name, x_label)
    y = as_tensor(y, op_name, y_label, x.dtype)
    shape = (x * _creation.zeros_like(y) if x.shape != y.shape else x).shape
    return _shape.broadcast_to(x, shape), _shape.broadcast_to(y, shape)


def divide_no_nan(x, y, name=None):
    """``x / y``, and 0 wherever ``y`` is 0 (its gradient is 0 there too)."""
    x, y = _broadcast_pair("divide_no_nan", x, y, "x", "y")
    zero = _ew.equal(y, _creation.zeros_like(y))
    q = x / _shape.where(zero, _creation.ones_like(y), y)
    return _shape.where(zero, _creation.zeros_like(q), q)


def xlogy(x, y, name=None):
    """``x * log(y)``, and 0 wherever ``x`` is 0 (even where ``y`` is 0)."""
    x, y = _broadcast_pair("xlogy", x, y, "x", "y")
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
    vectors = [_shape.reshape(as_tensor(a, "meshgrid", f"args[{i}]"), [-1]) for i, a in enumerate(args)]
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


# -- ts.nn ---------------------------------------------------------------------------------------

def leaky_relu(features, alpha=0.2, name=None):
    """``x`` where positive, else ``alpha * x``."""
    x = _float(features, "leaky_relu", "features")
    return _shape.where(x > 0, x, x * alpha)


def silu(features, beta=1.0):
    """``x * sigmoid(beta * x)`` (also ``ts.nn.swish``)."""
    x = _float(features, "silu", "features")
    return x * _ew.sigmoid(x * beta) if beta != 1.0 else x * _ew.sigmoid(x)


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Each entry zeroed with probability ``rate``, the others scaled by ``1 / (1 - rate)``
    so the expected sum is unchanged; ``noise_shape`` shares one draw along its 1s."""
    from .random import uniform
    x = _float(x, "dropout")
    r = float(rate)
    if not 0 <= r < 1:
        raise invalid("dropout", f"rate must be a scalar in [0, 1), got {rate!r}",
                      kind="value")
    if r == 0:
        return _shape.identity(x)
    shape = list(x.shape) if noise_shape is None else list(noise_shape)
    keep = _shape.cast(uniform(shape, dtype=x.dtype, seed=seed) >= r, x.dtype)
    return x * keep * (1 / (1 - r))


def moments(x, axes, shift=None, keepdims=False, name=None):
    """``(mean, variance)`` over ``axes``, the variance taken around a mean that does not
    receive gradients through it, as TensorFlow computes it."""
    x = _float(x, "moments")
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


# -- clipping ------------------------------------------------------------------------------------

def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t`` scaled down so its L2 norm over ``axes`` is at most ``clip_norm``."""
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
    parts = [_red.reduce_sum(t * t) for t in (_float(v, "global_norm", "t_list")
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
        v = _float(v, "clip_by_global_norm", "t_list")
        clipped.append(v * (scale if v.dtype is scale.dtype else _shape.cast(scale, v.dtype)))
    return clipped, norm


composite(add_n, ("", "math"))
composite(meshgrid, ("",))
composite(count_nonzero, ("math",))
composite(reduce_euclidean_norm, ("math",))
composite(divide_no_nan, ("math",))
composite(xlogy, ("math",))
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
