"""`ts.keras.losses`: Keras' loss functions and classes, for custom training loops.

>>> loss_fn = ts.keras.losses.MeanSquaredError()
>>> with ts.GradientTape() as tape:
...     loss = loss_fn(y_batch, model(x_batch))       # the batch mean (a scalar)
>>> ts.keras.losses.mean_squared_error(y, y_pred)     # one value per sample

The functions give one loss per sample (the mean over the last axis); a class instance
also weights them (``sample_weight``) and reduces them: ``"sum_over_batch_size"`` (the
default: the sum over the number of values), ``"sum"``, ``"mean_with_sample_weight"``
(over the sum of the weights) or ``"none"``. As Keras 3's: ``y_true`` is cast to
``y_pred``'s dtype (a class casts both to its ``dtype``, float32 by default), shapes that
differ by a trailing 1 are squeezed, and probabilities are clipped to ``epsilon()``.

Written over ts ops, so every loss differentiates and runs on any device. Ported from
Keras (``keras/src/losses/losses.py``, Apache License 2.0).
"""

from __future__ import annotations

import inspect

import tensorshell as tf

from . import backend as _K

__all__ = [
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "CategoricalHinge", "CosineSimilarity", "Dice", "Hinge",
    "Huber", "KLD", "KLDivergence", "LogCosh", "Loss", "LossFunctionWrapper", "MAE", "MAPE",
    "MSE", "MSLE", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
    "MeanSquaredLogarithmicError", "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge",
    "Tversky", "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "categorical_hinge", "cosine_similarity", "dice", "get",
    "hinge", "huber", "kl_divergence", "kld", "kullback_leibler_divergence", "log_cosh",
    "logcosh", "mae", "mape", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mean_squared_logarithmic_error", "mse", "msle", "poisson",
    "sparse_categorical_crossentropy", "squared_hinge", "tversky",
]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def _tensor(x, dtype=None):
    """``x`` as a tensor; with ``dtype``, converted to it - Keras casts labels and inputs to
    the loss's dtype, so this is the one place a loss converts types."""
    if dtype is None:
        return x if tf.is_tensor(x) else tf.convert_to_tensor(x)
    dtype = tf.as_dtype(dtype)
    if not tf.is_tensor(x):
        try:
            return tf.convert_to_tensor(x, dtype=dtype)
        except (TypeError, ValueError, tf.errors.InvalidArgumentError):
            x = tf.convert_to_tensor(x)
    return x if x.dtype == dtype else tf.cast(x, dtype)


def _pair(y_true, y_pred):
    y_pred = _tensor(y_pred)
    return _tensor(y_true, y_pred.dtype), y_pred


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Make ranks that differ by a trailing size-1 axis agree (Keras' rule)."""
    r1, r2 = x1.shape.rank, x2.shape.rank
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = tf.expand_dims(x2, axis=-1)
        else:
            x1 = tf.squeeze(x1, axis=-1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = tf.expand_dims(x1, axis=-1)
        else:
            x2 = tf.squeeze(x2, axis=-1)
    return x1, x2


def _aligned(y_true, y_pred):
    return squeeze_or_expand_to_same_rank(*_pair(y_true, y_pred))


def _mean(x, axis=-1):
    return tf.reduce_mean(x, axis=axis)


def _eps(dtype):
    return tf.constant(_K.epsilon(), dtype)


# ---------------------------------------------------------------------------------------------
# Loss functions: one value per sample
# ---------------------------------------------------------------------------------------------

def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _aligned(y_true, y_pred)
    return _mean(tf.square(y_true - y_pred))


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _aligned(y_true, y_pred)
    return _mean(tf.abs(y_true - y_pred))


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _aligned(y_true, y_pred)
    diff = tf.abs((y_true - y_pred) / tf.maximum(tf.abs(y_true), _eps(y_pred.dtype)))
    return 100.0 * _mean(diff)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _aligned(y_true, y_pred)
    eps = _eps(y_pred.dtype)
    first = tf.math.log(tf.maximum(y_pred, eps) + 1.0)
    second = tf.math.log(tf.maximum(y_true, eps) + 1.0)
    return _mean(tf.square(first - second))


def _normalize(x, axis):
    return x * tf.math.rsqrt(tf.maximum(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True),
                                        tf.constant(1e-12, x.dtype)))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine of the angle between the vectors along ``axis`` (-1: aligned)."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return -tf.reduce_sum(_normalize(y_true, axis) * _normalize(y_pred, axis), axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Squared error below ``delta``, linear above it."""
    y_true, y_pred = _aligned(y_true, y_pred)
    delta = tf.constant(delta, y_pred.dtype)
    error = y_pred - y_true
    abs_error = tf.abs(error)
    half = tf.constant(0.5, y_pred.dtype)
    return _mean(tf.where(abs_error <= delta, half * tf.square(error),
                          delta * abs_error - half * tf.square(delta)))


def log_cosh(y_true, y_pred):
    y_true, y_pred = _aligned(y_true, y_pred)
    x = y_pred - y_true
    return _mean(x + tf.math.softplus(x * -2.0) - tf.constant(0.6931471805599453, x.dtype))


def kl_divergence(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = tf.clip_by_value(y_true, _K.epsilon(), 1.0)
    y_pred = tf.clip_by_value(y_pred, _K.epsilon(), 1.0)
    return tf.reduce_sum(y_true * tf.math.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(y_pred - y_true * tf.math.log(y_pred + _eps(y_pred.dtype)))


def _hinge_labels(y_true):
    """0/1 labels become -1/1; other labels are kept."""
    binary = tf.reduce_all(tf.logical_or(tf.equal(y_true, 0), tf.equal(y_true, 1)))
    return 2.0 * y_true - 1.0 if bool(binary) else y_true


def hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(tf.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0))


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(tf.square(tf.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0)))


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    pos = tf.reduce_sum(y_true * y_pred, axis=-1)
    neg = tf.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return tf.maximum(neg - pos + 1.0, tf.constant(0.0, y_pred.dtype))


def _same_shape(name, target, output):
    if target.shape.rank != output.shape.rank:
        raise ValueError(f"Arguments `target` and `output` must have the same rank (ndim). "
                         f"Received: target.shape={target.shape}, output.shape={output.shape}")
    if tuple(target.shape) != tuple(output.shape):
        raise ValueError(f"Arguments `target` and `output` must have the same shape. "
                         f"Received: target.shape={target.shape}, output.shape={output.shape}")


def _binary_ce(target, output, from_logits):
    _same_shape("binary_crossentropy", target, output)
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = tf.clip_by_value(output, _K.epsilon(), 1.0 - _K.epsilon())
    return -(target * tf.math.log(output) + (1 - target) * tf.math.log(1 - output))


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return tf.reduce_mean(_binary_ce(y_true, y_pred, from_logits), axis=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy down-weighted by ``(1 - p_t) ** gamma`` on easy examples."""
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = tf.sigmoid(y_pred)
    bce = _binary_ce(y_true, y_pred, False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = tf.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return tf.reduce_mean(focal, axis=axis)


def _smooth(y_true, label_smoothing, dtype):
    if not label_smoothing:
        return y_true
    classes = tf.cast(tf.shape(y_true)[-1], dtype)
    return y_true * (1.0 - label_smoothing) + label_smoothing / classes


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Cross-entropy between one-hot (or soft) labels and probabilities (or logits)."""
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth(y_true, label_smoothing, y_pred.dtype)
    _same_shape("categorical_crossentropy", y_true, y_pred)
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred, axis=axis)
    output = y_pred / tf.reduce_sum(y_pred, axis, keepdims=True)
    output = tf.clip_by_value(output, _K.epsilon(), 1.0 - _K.epsilon())
    return -tf.reduce_sum(y_true * tf.math.log(output), axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth(y_true, label_smoothing, y_pred.dtype)
    if from_logits:
        y_pred = tf.nn.softmax(y_pred, axis=axis)
    output = y_pred / tf.reduce_sum(y_pred, axis=axis, keepdims=True)
    output = tf.clip_by_value(output, _K.epsilon(), 1.0 - _K.epsilon())
    cce = -y_true * tf.math.log(output)
    return tf.reduce_sum(tf.pow(1.0 - output, gamma) * alpha * cce, axis=axis)


def _sparse_ce(target, output, from_logits, axis):
    if axis != -1 and axis != output.shape.rank - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    target = tf.cast(target, "int64")
    if target.shape.rank == output.shape.rank and target.shape[-1] == 1:
        target = tf.squeeze(target, axis=-1)
    if target.shape.rank != output.shape.rank - 1 or \
            tuple(target.shape) != tuple(output.shape[:-1]):
        raise ValueError("Arguments `target` and `output` must have the same shape up until "
                         f"the last dimension: target.shape={target.shape}, "
                         f"output.shape={output.shape}")
    if not from_logits:
        output = tf.math.log(tf.clip_by_value(output, _K.epsilon(), 1 - _K.epsilon()))
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)


def _ignored(y_true, y_pred, ignore_class, axis):
    """The mask of labels not equal to ``ignore_class`` (shaped as the per-sample losses)."""
    if ignore_class is None:
        return None
    y_true = _tensor(y_true)
    if y_true.shape.rank == y_pred.shape.rank and y_true.shape[axis] == 1:
        y_true = tf.squeeze(y_true, axis=axis)
    return tf.not_equal(tf.cast(y_true, y_pred.dtype), tf.cast(ignore_class, y_pred.dtype))


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Cross-entropy between integer class labels and probabilities (or logits); labels
    equal to ``ignore_class`` give 0 (and a Loss instance averages over the others)."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true)
    if y_true.shape.rank == y_pred.shape.rank and y_true.shape[axis] == 1:
        y_true = tf.squeeze(y_true, axis=axis)
    valid = _ignored(y_true, y_pred, ignore_class, axis)
    if valid is not None:
        y_true = tf.where(valid, y_true, tf.zeros_like(y_true))
        y_pred = tf.where(tf.expand_dims(valid, axis), y_pred, tf.zeros_like(y_pred))
    res = _sparse_ce(y_true, y_pred, from_logits, axis)
    return res if valid is None else tf.where(valid, res, tf.zeros_like(res))


def dice(y_true, y_pred, axis=None):
    """1 - the Dice coefficient (overlap) of the two, over ``axis`` (all of it by default)."""
    y_true, y_pred = _pair(y_true, y_pred)
    inter = tf.reduce_sum(y_true * y_pred, axis=axis)
    return 1 - tf.math.divide(2.0 * inter, tf.reduce_sum(y_true, axis=axis)
                              + tf.reduce_sum(y_pred, axis=axis) + _K.epsilon())


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """1 - the Tversky index: Dice with false positives weighted ``alpha``, false negatives
    ``beta``."""
    y_true, y_pred = _pair(y_true, y_pred)
    inter = tf.reduce_sum(y_true * y_pred, axis=axis)
    fp = tf.reduce_sum((1 - y_pred) * y_true, axis=axis)
    fn = tf.reduce_sum(y_pred * (1 - y_true), axis=axis)
    return 1 - tf.math.divide(inter, inter + fp * alpha + fn * beta + _K.epsilon())


def ctc(y_true, y_pred):
    """CTC loss per sample: ``y_true`` [batch, max_length] integer labels with 0 the blank
    (and the padding), ``y_pred`` [batch, time, classes] logits."""
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    if y_true.shape.rank != 2:
        raise ValueError("Targets `y_true` are expected to be a tensor of shape `(batch_size, "
                         f"max_length)` in integer format. Received: y_true.shape="
                         f"{tuple(y_true.shape)}")
    if y_pred.shape.rank != 3:
        raise ValueError("Logits `y_pred` are expected to be a tensor of shape `(batch_size, "
                         f"max_length, num_classes)`. Received: y_pred.shape="
                         f"{tuple(y_pred.shape)}")
    labels = tf.cast(y_true, "int32")
    label_length = tf.reduce_sum(tf.cast(tf.not_equal(labels, 0), "int32"), axis=-1)
    logit_length = tf.fill([y_pred.shape[0]], y_pred.shape[1])
    logits = y_pred if y_pred.dtype.name != "float64" else tf.cast(y_pred, "float32")
    loss = tf.nn.ctc_loss(labels, logits, label_length, logit_length,
                          logits_time_major=False, blank_index=0)
    return tf.cast(loss, y_pred.dtype)


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss (Sun et al.) per sample over L2-normalised embeddings ``y_pred`` with
    integer labels ``y_true``: pulls same-class pairs together and pushes the others apart
    (against ``ref_embeddings``/``ref_labels``, by default the batch itself)."""
    y_pred = _tensor(y_pred)
    y_true = tf.cast(_tensor(y_true), "int32")
    refs = y_pred if ref_embeddings is None else _tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else tf.cast(_tensor(ref_labels), "int32")
    distances = tf.maximum(1 - tf.matmul(y_pred, tf.transpose(refs)), 0.0)
    query = tf.reshape(y_true, [-1, 1])
    keys = tf.reshape(ref_labels, [-1, 1])
    positive = tf.equal(query, tf.transpose(keys))
    negative = tf.logical_not(positive)
    if remove_diagonal:
        positive = tf.logical_and(positive, tf.logical_not(
            tf.cast(tf.eye(tf.size(query), tf.size(keys)), "bool")))
    pos_w = tf.maximum((margin + distances) * tf.cast(positive, distances.dtype), 0.0)
    neg_w = tf.maximum((1 + margin - distances) * tf.cast(negative, distances.dtype), 0.0)
    pos = -1 * gamma * pos_w * (margin - distances)
    neg = gamma * neg_w * (1 - margin - distances)
    lowest = tf.fill(tf.shape(distances), float("-inf"))
    p_loss = tf.reduce_logsumexp(tf.where(positive, pos, tf.cast(lowest, pos.dtype)), axis=1)
    n_loss = tf.reduce_logsumexp(tf.where(negative, neg, tf.cast(lowest, neg.dtype)), axis=1)
    return tf.nn.softplus(p_loss + n_loss)


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross-entropy ``(1 - p^q) / q`` of the probability ``p`` of each true
    class (integer labels): cross-entropy as q -> 0, mean absolute error at q = 1 - robust
    to noisy labels."""
    y_pred = _tensor(y_pred)
    labels = tf.cast(_tensor(y_true), "int32")
    if labels.shape.rank == y_pred.shape.rank:
        labels = tf.squeeze(labels, axis=-1)
    p = tf.reduce_sum(y_pred * tf.one_hot(labels, y_pred.shape[-1], dtype=y_pred.dtype),
                      axis=-1)
    return (1 - tf.pow(p, tf.cast(q, p.dtype))) / q


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


# ---------------------------------------------------------------------------------------------
# Loss classes: weighted and reduced
# ---------------------------------------------------------------------------------------------

_REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def _reduce(values, sample_weight, mask, reduction, dtype):
    """Keras' reduce_weighted_values: the mask and weights multiply the values, then the
    reduction."""
    values = tf.cast(values, dtype) if values.dtype != tf.as_dtype(dtype) else values
    if mask is not None:
        mask_f = tf.cast(mask, dtype)
        if reduction in ("mean", "sum_over_batch_size"):
            total = tf.cast(tf.size(mask_f), dtype)
            mask_f = mask_f * tf.math.divide_no_nan(total, tf.reduce_sum(mask_f))
        if sample_weight is not None:
            sample_weight = _tensor(sample_weight, dtype)
            mask_f, sample_weight = squeeze_or_expand_to_same_rank(mask_f, sample_weight)
            sample_weight = sample_weight * mask_f
        else:
            sample_weight = mask_f
    if sample_weight is not None:
        sample_weight = _tensor(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    loss = tf.reduce_sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = tf.cast(tf.reduce_sum(sample_weight), loss.dtype)
        else:
            divisor = tf.cast(tf.size(values), loss.dtype)
        loss = tf.math.divide_no_nan(loss, divisor)
    return loss


class Loss:
    """A loss: ``loss(y_true, y_pred, sample_weight=None)`` weights and reduces what
    ``call(y_true, y_pred)`` computes per sample. Subclass it and write ``call``."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"Invalid value for argument `reduction`. Expected one of "
                             f"{set(_REDUCTIONS)}. Received: reduction={reduction}")
        self.name = name or _auto_name(type(self).__name__)
        self.reduction = reduction
        self._dtype = _K.standardize_dtype(dtype or _K.floatx())

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        with tf.name_scope(self.name):
            y_pred, y_true = self._convert(y_pred), self._convert(y_true)
            losses = self.call(y_true, y_pred)
            return _reduce(losses, sample_weight, self._mask(y_true, y_pred), self.reduction,
                           self._dtype)

    def _convert(self, value):
        """Tensors in the loss's dtype; dicts and tuples of them stay structures (lists are
        values, as NumPy reads them)."""
        if isinstance(value, (dict, tuple)):
            return tf.nest.map_structure(lambda x: _tensor(x, self._dtype), value)
        return _tensor(value, self._dtype)

    def _mask(self, y_true, y_pred):
        return None

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must define call(y_true, y_pred)")

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<ts.keras.losses.{type(self).__name__} name={self.name!r} " \
               f"reduction={self.reduction!r}>"


def _auto_name(class_name):
    """Keras' default object names: the class name in snake case, numbered from the second
    one on (``precision``, ``precision_1`` ...; ``K.clear_session()`` restarts)."""
    base = _snake(class_name)
    n = _K.get_uid(base)
    return base if n == 1 else f"{base}_{n - 1}"


def _snake(name):
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


class LossFunctionWrapper(Loss):
    """A Loss around a function ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _loss_class(class_name, fn, default_name, params, doc):
    """A LossFunctionWrapper subclass with Keras' constructor: ``params`` in Keras' order,
    each ``(name, default)``; "reduction", "name" and "dtype" go to Loss."""
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for p, default in params:
        if p == "name":
            default = default_name
        parameters.append(inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                            default=default))
    signature = inspect.Signature(parameters)

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        values = dict(bound.arguments)
        values.pop("self")
        own = {k: values.pop(k) for k in ("reduction", "name", "dtype")}
        LossFunctionWrapper.__init__(self, fn, **own, **values)
        for k, v in values.items():
            setattr(self, k, v)

    __init__.__signature__ = signature
    return type(class_name, (LossFunctionWrapper,), {
        "__init__": __init__, "__doc__": doc, "__module__": __name__,
        "get_config": lambda self: {**Loss.get_config(self), **self._fn_kwargs}})


_COMMON = [("reduction", "sum_over_batch_size"), ("name", None), ("dtype", None)]

MeanSquaredError = _loss_class("MeanSquaredError", mean_squared_error, "mean_squared_error",
                               _COMMON, "The mean of the squared errors.")
MeanAbsoluteError = _loss_class("MeanAbsoluteError", mean_absolute_error,
                                "mean_absolute_error", _COMMON,
                                "The mean of the absolute errors.")
MeanAbsolutePercentageError = _loss_class(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error,
    "mean_absolute_percentage_error", _COMMON, "100 times the mean relative error.")
MeanSquaredLogarithmicError = _loss_class(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", _COMMON,
    "The mean squared difference of log(1 + value).")
CosineSimilarity = _loss_class("CosineSimilarity", cosine_similarity, "cosine_similarity",
                               [("axis", -1)] + _COMMON, "Minus the cosine similarity.")
Huber = _loss_class("Huber", huber, "huber_loss", [("delta", 1.0)] + _COMMON,
                    "Squared error below ``delta``, linear above it.")
LogCosh = _loss_class("LogCosh", log_cosh, "log_cosh", _COMMON,
                      "The mean of log(cosh(error)).")
KLDivergence = _loss_class("KLDivergence", kl_divergence, "kl_divergence", _COMMON,
                           "The Kullback-Leibler divergence of y_pred from y_true.")
Poisson = _loss_class("Poisson", poisson, "poisson", _COMMON,
                      "The mean of y_pred - y_true * log(y_pred).")
Hinge = _loss_class("Hinge", hinge, "hinge", _COMMON, "The hinge loss (labels -1/1 or 0/1).")
SquaredHinge = _loss_class("SquaredHinge", squared_hinge, "squared_hinge", _COMMON,
                           "The squared hinge loss.")
CategoricalHinge = _loss_class("CategoricalHinge", categorical_hinge, "categorical_hinge",
                               _COMMON, "The categorical hinge loss.")
BinaryCrossentropy = _loss_class(
    "BinaryCrossentropy", binary_crossentropy, "binary_crossentropy",
    [("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)] + _COMMON,
    "Binary cross-entropy of probabilities (or logits, ``from_logits``).")
BinaryFocalCrossentropy = _loss_class(
    "BinaryFocalCrossentropy", binary_focal_crossentropy, "binary_focal_crossentropy",
    [("apply_class_balancing", False), ("alpha", 0.25), ("gamma", 2.0),
     ("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)] + _COMMON,
    "Binary focal cross-entropy.")
CategoricalCrossentropy = _loss_class(
    "CategoricalCrossentropy", categorical_crossentropy, "categorical_crossentropy",
    [("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)] + _COMMON,
    "Cross-entropy of one-hot labels.")
CategoricalFocalCrossentropy = _loss_class(
    "CategoricalFocalCrossentropy", categorical_focal_crossentropy,
    "categorical_focal_crossentropy",
    [("alpha", 0.25), ("gamma", 2.0), ("from_logits", False), ("label_smoothing", 0.0),
     ("axis", -1)] + _COMMON, "Categorical focal cross-entropy.")
SparseCategoricalCrossentropy = _loss_class(
    "SparseCategoricalCrossentropy", sparse_categorical_crossentropy,
    "sparse_categorical_crossentropy",
    [("from_logits", False), ("ignore_class", None), ("reduction", "sum_over_batch_size"),
     ("axis", -1), ("name", None), ("dtype", None)],
    "Cross-entropy of integer labels; ``ignore_class`` labels are left out of the mean.")
SparseCategoricalCrossentropy._mask = lambda self, y_true, y_pred: _ignored(
    y_true, y_pred, self.ignore_class, self.axis)
Dice = _loss_class("Dice", dice, "dice", [("reduction", "sum_over_batch_size"),
                                          ("name", None), ("axis", None), ("dtype", None)],
                   "1 - the Dice coefficient.")
Tversky = _loss_class("Tversky", tversky, "tversky",
                      [("alpha", 0.5), ("beta", 0.5), ("reduction", "sum_over_batch_size"),
                       ("name", None), ("axis", None), ("dtype", None)],
                      "1 - the Tversky index.")

CTC = _loss_class("CTC", ctc, "ctc", [("reduction", "sum_over_batch_size"), ("name", None),
                                      ("dtype", None)], "CTC loss of label sequences.")


class Circle(_loss_class("_CircleBase", circle, "circle",
                         [("gamma", 80.0), ("margin", 0.4), ("remove_diagonal", True),
                          ("reduction", "sum_over_batch_size"), ("name", None),
                          ("dtype", None)], "")):
    """Circle loss of L2-normalised embeddings; samples with zero loss are left out of the
    mean (Keras masks them)."""

    def call(self, y_true, y_pred):
        self._losses = super().call(y_true, y_pred)
        return self._losses

    def _mask(self, y_true, y_pred):
        return self._losses > 0


Circle.__module__ = __name__


class CategoricalGeneralizedCrossEntropy(_loss_class(
        "_GCEBase", categorical_generalized_cross_entropy,
        "categorical_generalized_cross_entropy",
        [("q", 0.5), ("reduction", "sum_over_batch_size"), ("name", None), ("dtype", None)],
        "")):
    """Generalized cross-entropy (noise-robust) of integer labels, ``q`` in (0, 1)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not 0 < self.q < 1:
            raise ValueError("q must be in the interval (0, 1)")


CategoricalGeneralizedCrossEntropy.__module__ = __name__
__all__ += ["CTC", "Circle", "CategoricalGeneralizedCrossEntropy", "ctc", "circle",
            "categorical_generalized_cross_entropy"]


def get(identifier):
    """A loss function from its name (``"mse"``, ``"categorical_crossentropy"`` ...), a
    class name (an instance), or a callable (returned as is)."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str):
        obj = globals().get(identifier)
        if obj is not None and identifier in __all__ and identifier not in ("get", "Loss"):
            return obj() if isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
