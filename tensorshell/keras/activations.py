"""`ts.keras.activations`: Keras 3's activation functions, by name or as functions.

>>> ts.keras.activations.gelu(x)
>>> act = ts.keras.activations.get("relu")

Written over ts ops (differentiable, on any device), with Keras' arguments and defaults.
Ported from Keras (``keras/src/activations``, Apache License 2.0).
"""

from __future__ import annotations

import tensorshell as tf

from .backend import relu as _keras2_relu

__all__ = ["celu", "elu", "exponential", "gelu", "get", "glu", "hard_shrink", "hard_sigmoid",
           "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid",
           "log_softmax", "mish", "relu", "relu6", "selu", "serialize", "sigmoid", "silu",
           "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
           "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold"]


def _t(x):
    return x if tf.is_tensor(x) else tf.convert_to_tensor(x)


def _c(value, x):
    return tf.constant(value, x.dtype)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0), with Keras' options: ``negative_slope`` below ``threshold``,
    ``max_value`` the saturation."""
    return _keras2_relu(_t(x), negative_slope, max_value, threshold)


def leaky_relu(x, negative_slope=0.2):
    return tf.nn.leaky_relu(_t(x), alpha=negative_slope)


def relu6(x):
    return tf.nn.relu6(_t(x))


def softmax(x, axis=-1):
    x = _t(x)
    if axis is None:
        return tf.reshape(tf.nn.softmax(tf.reshape(x, [-1])), tf.shape(x))
    return tf.nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    x = _t(x)
    if axis is None:
        return tf.reshape(tf.nn.log_softmax(tf.reshape(x, [-1])), tf.shape(x))
    return tf.nn.log_softmax(x, axis=axis)


def elu(x, alpha=1.0):
    x = _t(x)
    res = tf.nn.elu(x)
    return res if alpha == 1 else tf.where(x > 0, res, alpha * res)


def selu(x):
    return tf.nn.selu(_t(x))


def softplus(x):
    return tf.math.softplus(_t(x))


def softsign(x):
    return tf.math.softsign(_t(x))


def silu(x):
    """x * sigmoid(x) (also ``swish``)."""
    return tf.nn.silu(_t(x))


swish = silu


def gelu(x, approximate=False):
    return tf.nn.gelu(_t(x), approximate=approximate)


def celu(x, alpha=1.0):
    x = _t(x)
    return tf.maximum(x, 0.0) + alpha * tf.math.expm1(tf.minimum(x, 0.0) / alpha)


def glu(x, axis=-1):
    """The gated linear unit: the first half of ``axis`` times the sigmoid of the second."""
    x = _t(x)
    if x.shape[axis] % 2 != 0:
        raise ValueError(f"axis size must be divisible by 2. Received: x.shape={x.shape} "
                         f"with axis={axis}")
    a, b = tf.split(x, 2, axis=axis)
    return a * tf.sigmoid(b)


def tanh(x):
    return tf.tanh(_t(x))


def tanh_shrink(x):
    x = _t(x)
    return x - tf.tanh(x)


def hard_tanh(x):
    return tf.clip_by_value(_t(x), -1.0, 1.0)


def hard_shrink(x, threshold=0.5):
    x = _t(x)
    return tf.where(tf.abs(x) > threshold, x, tf.zeros_like(x))


def soft_shrink(x, threshold=0.5):
    x = _t(x)
    return tf.where(x > threshold, x - threshold,
                    tf.where(x < -threshold, x + threshold, tf.zeros_like(x)))


def threshold(x, threshold, default_value):  # noqa: F811 - Keras' argument name
    x = _t(x)
    return tf.where(x > threshold, x, _c(default_value, x))


def sigmoid(x):
    return tf.sigmoid(_t(x))


def exponential(x):
    return tf.exp(_t(x))


def hard_sigmoid(x):
    """relu6(x + 3) / 6."""
    x = _t(x)
    return tf.nn.relu6(x + _c(3.0, x)) / _c(6.0, x)


def hard_silu(x):
    """x * hard_sigmoid(x) (also ``hard_swish``)."""
    x = _t(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def log_sigmoid(x):
    return tf.math.log_sigmoid(_t(x))


def sparse_plus(x):
    x = _t(x)
    return tf.where(x <= -1, tf.zeros_like(x),
                    tf.where(x < 1, 0.25 * tf.square(x + 1), x))


def sparse_sigmoid(x):
    x = _t(x)
    return tf.where(x <= -1, _c(0.0, x), tf.where(x >= 1, _c(1.0, x), 0.5 * (x + 1)))


def squareplus(x, b=4):
    x = _t(x)
    return (x + tf.sqrt(tf.square(x) + _c(b, x))) / 2


def mish(x):
    x = _t(x)
    return x * tf.tanh(tf.math.softplus(x))


def sparsemax(x, axis=-1):
    """The Euclidean projection of ``x`` onto the probability simplex along ``axis``: like
    softmax, but exact zeros for the unlikely."""
    x = _t(x)
    ordered = tf.sort(x, direction="DESCENDING", axis=axis)
    cumsum = tf.cumsum(ordered, axis=axis)
    shape = [1] * x.shape.rank
    shape[axis] = -1
    r = tf.reshape(tf.range(1, x.shape[axis] + 1, dtype=x.dtype), shape)
    support = ordered - (cumsum - 1) / r > 0
    k = tf.reduce_sum(tf.cast(support, x.dtype), axis=axis, keepdims=True)
    tau = (tf.reduce_sum(tf.where(support, cumsum, tf.zeros_like(cumsum)), axis=axis,
                         keepdims=True) - 1) / k
    return tf.maximum(x - tau, 0.0)


def linear(x):
    return x


def serialize(activation):
    """The name of an activation function."""
    name = getattr(activation, "__name__", None)
    if name in __all__:
        return name
    raise ValueError(f"Unknown activation function: {activation!r}")


def get(identifier):
    """An activation from its name (None: ``linear``); callables are returned as they are."""
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in __all__ and identifier not in (
            "get", "serialize"):
        return globals()[identifier]
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")


from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
