"""Neural-network helpers for custom losses and layers (``ts.nn``), in numerically stable
forms: softmax subtracts the max, cross-entropies work from logits."""

from __future__ import annotations

import math

from ..dtypes import FLOATING, INTEGER
from ..errors import incompatible_shapes, invalid
from ..shapes import normalize_axis
from .elementwise import _error_function
from .elementwise import erfc_fit as _erfc
from .registry import as_tensor, composite, defgrad, describe, not_allowed, op, out, unify


def _erfc_kernel(xp):
    """CUDA's erfc on CuPy (exact in float64), the fast fit elsewhere."""
    if getattr(xp, "__name__", "") == "cupy":
        return _error_function("erfc")(xp)
    return lambda z: _erfc(xp, z)


def _float_input(op_def, value, label):
    t = as_tensor(value, op_def.name, label)
    if t.dtype not in FLOATING:
        raise not_allowed(op_def, t, label)
    return t


def _log_softmax_data(xp, x, axis):
    m = xp.max(x, axis=axis, keepdims=True) if x.size else x
    z = x - m
    return z - xp.log(xp.sum(xp.exp(z), axis=axis, keepdims=True, dtype=x.dtype))


@op("softmax", "custom", FLOATING, ("math", "nn"))
def softmax(logits, axis=None, name=None):
    """``exp(x) / sum(exp(x))`` along ``axis`` (default: the last)."""
    t = _float_input(softmax.op, logits, "logits")
    xp = t._device.backend.xp
    ax = normalize_axis(-1 if axis is None else int(axis), max(t.ndim, 1), "softmax")
    if t.ndim == 0:
        raise invalid("softmax", "logits must have rank >= 1", kind="shape")
    return out(xp.exp(_log_softmax_data(xp, t._data, ax)), t.dtype)


@op("log_softmax", "custom", FLOATING, ("math", "nn"))
def log_softmax(logits, axis=None, name=None):
    t = _float_input(log_softmax.op, logits, "logits")
    if t.ndim == 0:
        raise invalid("log_softmax", "logits must have rank >= 1", kind="shape")
    xp = t._device.backend.xp
    ax = normalize_axis(-1 if axis is None else int(axis), t.ndim, "log_softmax")
    return out(_log_softmax_data(xp, t._data, ax), t.dtype)


@op("gelu", "custom", FLOATING, ("nn",))
def gelu(features, approximate=False, name=None):
    """Gaussian error linear unit; ``approximate=True`` uses the tanh form."""
    t = _float_input(gelu.op, features, "features")
    xp = t._device.backend.xp
    x = t._data
    if approximate:
        c = math.sqrt(2 / math.pi)
        data = 0.5 * x * (1 + xp.tanh(c * (x + 0.044715 * x * x * x)))
    elif t.dtype.size == 8 and xp.__name__ == "numpy":
        # float64 needs more than the 1e-7 of the fast fit: math.erf is exact to the last bit
        erf = xp.frompyfunc(math.erf, 1, 1)
        data = 0.5 * x * (1 + erf(x / math.sqrt(2)).astype(xp.float64))
    else:
        erfc = _erfc_kernel(xp)  # CUDA's erfc on CuPy, the fit on NumPy
        data = 0.5 * x * erfc(-x.astype(xp.float64) / math.sqrt(2))
    return out(xp.asarray(data).astype(t.dtype._np, copy=False), t.dtype)


@op("l2_loss", "custom", FLOATING, ("nn",))
def l2_loss(t, name=None):
    """``sum(t ** 2) / 2``."""
    x = _float_input(l2_loss.op, t, "t")
    xp = x._device.backend.xp
    return out(xp.asarray(xp.sum((x._data * x._data).reshape(-1), dtype=x._data.dtype)
                          / 2).astype(x.dtype._np), x.dtype)


@op("sigmoid_cross_entropy_with_logits", "custom", FLOATING, ("nn",))
def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise ``max(x, 0) - x * z + log(1 + exp(-abs(x)))``: stable for any logit."""
    if labels is None or logits is None:
        raise invalid("sigmoid_cross_entropy_with_logits",
                      "both labels and logits must be given")
    x, z = unify("sigmoid_cross_entropy_with_logits", (logits, labels), ("logits", "labels"))
    if x.dtype not in FLOATING:
        raise not_allowed(sigmoid_cross_entropy_with_logits.op, x, "logits")
    if x._data.shape != z._data.shape:
        raise incompatible_shapes("sigmoid_cross_entropy_with_logits",
                                  [describe(x, "logits"), describe(z, "labels")],
                                  "logits and labels must have the same shape")
    xp = x._device.backend.xp
    a, b = x._data, z._data
    return out(xp.maximum(a, 0) - a * b + xp.log1p(xp.exp(-xp.absolute(a))), x.dtype)


@op("softmax_cross_entropy_with_logits", "custom", FLOATING, ("nn",))
def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """``-sum(labels * log_softmax(logits))`` along ``axis``, from logits."""
    x, z = unify("softmax_cross_entropy_with_logits", (logits, labels), ("logits", "labels"))
    if x.dtype not in FLOATING:
        raise not_allowed(softmax_cross_entropy_with_logits.op, x, "logits")
    if x._data.shape != z._data.shape:
        raise incompatible_shapes("softmax_cross_entropy_with_logits",
                                  [describe(x, "logits"), describe(z, "labels")],
                                  "logits and labels must have the same shape")
    if x.ndim == 0:
        raise invalid("softmax_cross_entropy_with_logits", "logits must have rank >= 1",
                      kind="shape")
    xp = x._device.backend.xp
    ax = normalize_axis(int(axis), x.ndim, "softmax_cross_entropy_with_logits")
    ls = _log_softmax_data(xp, x._data, ax)
    return out(-xp.sum(z._data * ls, axis=ax, dtype=x._data.dtype), x.dtype)


@op("sparse_softmax_cross_entropy_with_logits", "custom", FLOATING, ("nn",))
def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Cross-entropy with integer class ``labels`` of shape ``logits.shape[:-1]``."""
    name_ = "sparse_softmax_cross_entropy_with_logits"
    x = _float_input(sparse_softmax_cross_entropy_with_logits.op, logits, "logits")
    y = as_tensor(labels, name_, "labels")
    if y.dtype not in INTEGER:
        raise invalid(name_, f"labels must be integer class ids, got {y.dtype.name}",
                      [describe(y, "labels")], kind="dtype",
                      hint="ts.cast(labels, ts.int32)")
    if x.ndim == 0 or y._data.shape != x._data.shape[:-1]:
        raise incompatible_shapes(name_, [describe(x, "logits"), describe(y, "labels")],
                                  "labels must have the shape of logits without its last "
                                  "dimension")
    from .shape import _check_indices
    _check_indices(y, x._data.shape[-1], name_, "labels")
    xp = x._device.backend.xp
    ls = _log_softmax_data(xp, x._data, -1)
    picked = xp.take_along_axis(ls, xp.expand_dims(y._data.astype(xp.int64), -1), axis=-1)
    return out(-picked[..., 0], x.dtype)



# ---------------------------------------------------------------------------------------------
# Gradients
# ---------------------------------------------------------------------------------------------

def _softmax_grad(g, ans, logits, axis=None, name=None):
    from .reduction import reduce_sum
    ax = -1 if axis is None else int(axis)
    return (ans * (g - reduce_sum(g * ans, ax, keepdims=True)),)


def _log_softmax_grad(g, ans, logits, axis=None, name=None):
    from .elementwise import exp
    from .reduction import reduce_sum
    ax = -1 if axis is None else int(axis)
    return (g - exp(ans) * reduce_sum(g, ax, keepdims=True),)


def _gelu_grad(g, ans, features, approximate=False, name=None):
    from .creation import ones_like, zeros_like
    from .elementwise import exp, tanh
    from .shape import where
    x = features
    if approximate:
        c = math.sqrt(2 / math.pi)
        t = tanh(c * (x + 0.044715 * x * x * x))
        return (g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)),)
    # gelu(x) = x Φ(x), so Φ(x) = gelu(x) / x, with Φ(0) = 1/2
    cdf = where(x == 0, zeros_like(x) + 0.5, ans / where(x == 0, ones_like(x), x))
    pdf = exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return (g * (cdf + x * pdf),)


def _sigmoid_ce_grad(g, ans, labels=None, logits=None, name=None):
    from .elementwise import sigmoid
    return (g * -logits, g * (sigmoid(logits) - labels))


def _softmax_ce_grad(g, ans, labels, logits, axis=-1, name=None):
    from .reduction import reduce_sum
    from .shape import expand_dims
    gb = expand_dims(g, int(axis))
    ls = log_softmax(logits, axis=int(axis))
    from .elementwise import exp
    total = reduce_sum(labels, int(axis), keepdims=True)
    return (gb * -ls, gb * (exp(ls) * total - labels))


def _sparse_ce_grad(g, ans, labels=None, logits=None, name=None):
    from .elementwise import exp
    from .shape import expand_dims, one_hot
    probs = exp(log_softmax(logits))
    return (None, expand_dims(g, -1) * (probs - one_hot(labels, logits.shape[-1],
                                                           dtype=logits.dtype)))


defgrad(softmax, _softmax_grad)
defgrad(log_softmax, _log_softmax_grad)
defgrad(gelu, _gelu_grad)
defgrad(l2_loss, lambda g, ans, t, name=None: (g * t,))
defgrad(sigmoid_cross_entropy_with_logits, _sigmoid_ce_grad)
defgrad(softmax_cross_entropy_with_logits, _softmax_ce_grad)
defgrad(sparse_softmax_cross_entropy_with_logits, _sparse_ce_grad)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """``x / sqrt(max(sum(x ** 2, axis), epsilon))``. A composite of differentiable ops: it
    needs no kernel and no gradient of its own."""
    from .elementwise import maximum, rsqrt
    from .reduction import reduce_sum
    x = as_tensor(x, "l2_normalize", "x")
    axis = dim if axis is None and dim is not None else axis
    if x.dtype.is_complex:  # the norm of the moduli scales both parts, as TensorFlow's
        from .elementwise import imag, real
        from .shape import cast
        re, im = real(x), imag(x)
        inv = rsqrt(maximum(reduce_sum(re * re + im * im, axis, keepdims=True), epsilon))
        return x * cast(inv, x.dtype)
    return x * rsqrt(maximum(reduce_sum(x * x, axis, keepdims=True), epsilon))


composite(l2_normalize, ("math", "nn", "linalg"))
