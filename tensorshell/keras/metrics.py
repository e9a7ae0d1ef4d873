"""`ts.keras.metrics`: Keras' streaming metrics, for custom training loops.

>>> mean_loss = ts.keras.metrics.Mean()
>>> accuracy = ts.keras.metrics.SparseCategoricalAccuracy()
>>> for x, y in batches:
...     mean_loss(loss)                          # update, and the running result
...     accuracy.update_state(y, model(x))
>>> accuracy.result(); accuracy.reset_state()

A metric keeps its state in non-trainable ts.Variables (``metric.variables``):
``update_state`` adds a batch, ``result()`` reads the value so far, ``reset_state()`` starts
over; calling the metric does the first two. As Keras 3's metrics, values are float32
(``dtype``) and ``sample_weight`` weights samples. The functions (``binary_accuracy`` ...)
give one value per sample. Ported from Keras (``keras/src/metrics``, Apache License 2.0).
"""

from __future__ import annotations

import tensorshell as tf

from . import backend as _K, losses as _losses
from .losses import (binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
                     categorical_focal_crossentropy, categorical_hinge, hinge, huber, kld,
                     kullback_leibler_divergence, logcosh, mae, mape, mse, msle, poisson,
                     sparse_categorical_crossentropy, squared_hinge)
from .losses import squeeze_or_expand_to_same_rank as _align

__all__ = [
    "Accuracy", "BinaryAccuracy", "BinaryCrossentropy", "CategoricalAccuracy",
    "CategoricalCrossentropy", "CategoricalHinge", "CosineSimilarity", "FalseNegatives",
    "FalsePositives", "Hinge", "KLD", "KLDivergence", "LogCoshError", "MAE", "MAPE", "MSE",
    "MSLE", "Mean", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanMetricWrapper",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "Metric", "Poisson", "Precision",
    "Recall", "RootMeanSquaredError", "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy", "SparseTopKCategoricalAccuracy", "SquaredHinge", "Sum",
    "TopKCategoricalAccuracy", "TrueNegatives", "TruePositives", "binary_accuracy",
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_accuracy",
    "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge", "get",
    "hinge", "huber", "kld", "kullback_leibler_divergence", "logcosh", "mae", "mape", "mse",
    "msle", "poisson", "sparse_categorical_accuracy", "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy", "squared_hinge", "top_k_categorical_accuracy",
]


def _tensor(x, dtype=None):
    return _losses._tensor(x, dtype)


# ---------------------------------------------------------------------------------------------
# Per-sample functions
# ---------------------------------------------------------------------------------------------

def _floatx(x):
    return tf.cast(x, _K.floatx())


def _accuracy(y_true, y_pred):
    y_pred = _tensor(y_pred)
    y_true, y_pred = _align(_tensor(y_true, y_pred.dtype), y_pred)
    return _floatx(tf.equal(y_true, y_pred))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1 where ``y_pred > threshold`` agrees with the 0/1 label, else 0."""
    y_true, y_pred = _align(_tensor(y_true), _tensor(y_pred))
    y_pred = tf.cast(y_pred > tf.cast(threshold, y_pred.dtype), y_true.dtype)
    return _floatx(tf.equal(y_true, y_pred))


def _sparse_matches(y_true, predicted):
    """Matches of integer labels with ``predicted`` classes, shaped as the labels were."""
    shape = tuple(y_true.shape)
    squeeze = y_true.shape.rank == predicted.shape.rank + 1 and shape[-1] == 1
    if squeeze:
        y_true = tf.squeeze(y_true, -1)
    if predicted.dtype != y_true.dtype:
        predicted = tf.cast(predicted, y_true.dtype)
    matches = _floatx(tf.equal(y_true, predicted))
    if squeeze:
        matches = tf.reshape(matches, shape)
    return matches


def categorical_accuracy(y_true, y_pred):
    """1 where the most likely class is the one-hot label's, else 0."""
    y_pred = _tensor(y_pred)
    labels = tf.cast(tf.argmax(_tensor(y_true), axis=-1), y_pred.dtype)
    return _floatx(tf.equal(labels, tf.cast(tf.argmax(y_pred, axis=-1), y_pred.dtype)))


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where the most likely class is the integer label, else 0."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    matches = _sparse_matches(y_true, tf.argmax(y_pred, axis=-1))
    if matches.shape.rank > 1 and matches.shape[-1] == 1:
        matches = tf.squeeze(matches, -1)
    return matches


def _in_top_k(labels, y_pred, k):
    shape = tuple(labels.shape)
    if y_pred.shape.rank > 2:
        y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
    flat = tf.reshape(labels, [-1]) if labels.shape.rank > 1 else labels
    matches = _floatx(tf.math.in_top_k(tf.cast(flat, "int32"), y_pred, k))
    return tf.reshape(matches, shape) if labels.shape.rank > 1 else matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the one-hot label's class is among the ``k`` most likely, else 0."""
    y_pred = _tensor(y_pred)
    return _in_top_k(tf.argmax(_tensor(y_true, y_pred.dtype), axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1 where the integer label is among the ``k`` most likely classes (or, with
    ``from_sorted_ids``, among the first ``k`` ids of ``y_pred``), else 0."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype if from_sorted_ids else "int32")
    if not from_sorted_ids:
        return _in_top_k(y_true, y_pred, k)
    shape = tuple(y_true.shape)
    if y_pred.shape.rank > 2:
        y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
    flat = tf.reshape(y_true, [-1]) if y_true.shape.rank > 1 else y_true
    matches = _floatx(tf.reduce_any(tf.equal(tf.expand_dims(flat, 1), y_pred[:, :k]), axis=1))
    return tf.reshape(matches, shape) if y_true.shape.rank > 1 else matches


def _cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine of the angle between the vectors along ``axis`` (1: aligned)."""
    return -_losses.cosine_similarity(y_true, y_pred, axis=axis)


# ---------------------------------------------------------------------------------------------
# Metric, Mean, Sum
# ---------------------------------------------------------------------------------------------

class Metric:
    """A streaming metric: subclass it, create state with ``add_variable`` in ``__init__``,
    and write ``update_state(...)`` and ``result()``."""

    def __init__(self, name=None, dtype=None):
        self.name = name or _losses._auto_name(type(self).__name__)
        self._dtype = _K.standardize_dtype(dtype or _K.floatx())
        self._variables = []

    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        return list(self._variables)

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="sum",
                     name=None):
        """A non-trainable Variable of ``shape`` holding part of the state."""
        dtype = tf.as_dtype(dtype or self._dtype)
        init = {"zeros": tf.zeros, "ones": tf.ones}.get(initializer) if isinstance(
            initializer, str) else None
        value = init(shape, dtype) if init else initializer(shape, dtype=dtype)
        var = tf.Variable(value, trainable=False, name=name, dtype=dtype)
        self._variables.append(var)
        return var

    add_weight = add_variable

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define update_state")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must define result")

    def reset_state(self):
        """Start over: every state variable back to zero."""
        for v in self._variables:
            v.assign(tf.zeros(v.shape, v.dtype))

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        try:
            value = self.result().numpy()
        except Exception:                      # noqa: BLE001 - a repr never raises
            value = "?"
        return f"<ts.keras.metrics.{type(self).__name__} name={self.name!r} result={value}>"


def _samplewise(values, sample_weight, reduce_fn, dtype):
    """Keras' reduce_to_samplewise_values: per-sample values (and weights)."""
    values = tf.cast(values, dtype) if values.dtype != tf.as_dtype(dtype) else values
    if sample_weight is not None:
        sample_weight = _tensor(sample_weight, dtype)
        values, sample_weight = _align(values, sample_weight)
        w_rank, v_rank = sample_weight.shape.rank, values.shape.rank
        if v_rank > w_rank:
            values = reduce_fn(values, axis=list(range(w_rank, v_rank)))
        sample_weight = tf.broadcast_to(sample_weight, tf.shape(values))
        values = values * sample_weight
        if w_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, w_rank)))
    if values.shape.rank > 1:
        values = reduce_fn(values, axis=list(range(1, values.shape.rank)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of everything passed to ``update_state``."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = _samplewise(_tensor(values), sample_weight, tf.reduce_sum, self._dtype)
        self.total.assign_add(tf.reduce_sum(values))

    def result(self):
        return tf.identity(self.total)


class Mean(Metric):
    """The (weighted) mean of everything passed to ``update_state``."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), name="total")
        self.count = self.add_variable((), name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = _samplewise(_tensor(values), sample_weight, tf.reduce_mean,
                                            self._dtype)
        self.total.assign_add(tf.reduce_sum(values))
        if sample_weight is not None:
            n = tf.reduce_sum(sample_weight)
        else:
            n = values.shape[0] if values.shape.rank >= 1 else 1
        self.count.assign_add(tf.cast(n, self._dtype))

    def result(self):
        return tf.math.divide_no_nan(self.total, self.count)


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        return super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs),
                                    sample_weight=sample_weight)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}


def _wrapper_class(class_name, fn, default_name, kwargs=(), doc=""):
    """A MeanMetricWrapper subclass taking ``kwargs`` (``(name, default)`` pairs) first, then
    ``name`` and ``dtype``, as Keras' classes do."""
    names = [k for k, _ in kwargs]
    defaults = dict(kwargs)

    def __init__(self, *args, name=default_name, dtype=None, **given):
        values = dict(defaults)
        values.update(zip(names, args))
        values.update(given)
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **values)
        for k, v in values.items():
            setattr(self, k, v)

    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc,
                                                    "__module__": __name__})


MeanSquaredError = _wrapper_class("MeanSquaredError", mse, "mean_squared_error")
MeanAbsoluteError = _wrapper_class("MeanAbsoluteError", mae, "mean_absolute_error")
MeanAbsolutePercentageError = _wrapper_class("MeanAbsolutePercentageError", mape,
                                             "mean_absolute_percentage_error")
MeanSquaredLogarithmicError = _wrapper_class("MeanSquaredLogarithmicError", msle,
                                             "mean_squared_logarithmic_error")
CosineSimilarity = _wrapper_class("CosineSimilarity", _cosine_similarity, "cosine_similarity",
                                  [("axis", -1)])
LogCoshError = _wrapper_class("LogCoshError", logcosh, "logcosh")
Poisson = _wrapper_class("Poisson", poisson, "poisson")
KLDivergence = _wrapper_class("KLDivergence", kld, "kl_divergence")
Hinge = _wrapper_class("Hinge", hinge, "hinge")
SquaredHinge = _wrapper_class("SquaredHinge", squared_hinge, "squared_hinge")
CategoricalHinge = _wrapper_class("CategoricalHinge", categorical_hinge, "categorical_hinge")
BinaryCrossentropy = _wrapper_class("BinaryCrossentropy", binary_crossentropy,
                                    "binary_crossentropy",
                                    [("from_logits", False), ("label_smoothing", 0.0)])
CategoricalCrossentropy = _wrapper_class(
    "CategoricalCrossentropy", categorical_crossentropy, "categorical_crossentropy",
    [("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)])
SparseCategoricalCrossentropy = _wrapper_class(
    "SparseCategoricalCrossentropy", sparse_categorical_crossentropy,
    "sparse_categorical_crossentropy", [("from_logits", False), ("axis", -1)])
Accuracy = _wrapper_class("Accuracy", _accuracy, "accuracy",
                          doc="How often predictions equal the labels.")
BinaryAccuracy = _wrapper_class("BinaryAccuracy", binary_accuracy, "binary_accuracy",
                                [("threshold", 0.5)])
CategoricalAccuracy = _wrapper_class("CategoricalAccuracy", categorical_accuracy,
                                     "categorical_accuracy")
SparseCategoricalAccuracy = _wrapper_class("SparseCategoricalAccuracy",
                                           sparse_categorical_accuracy,
                                           "sparse_categorical_accuracy")
TopKCategoricalAccuracy = _wrapper_class("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                         "top_k_categorical_accuracy", [("k", 5)])
SparseTopKCategoricalAccuracy = _wrapper_class(
    "SparseTopKCategoricalAccuracy", sparse_top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy", [("k", 5), ("from_sorted_ids", False)])

def pearson_correlation(y_true, y_pred, axis=-1):
    """The Pearson correlation coefficient of each sample's values along ``axis``."""
    y_pred = _tensor(y_pred)
    y_true = tf.cast(_tensor(y_true), y_pred.dtype)
    y_true, y_pred = _align(y_true, y_pred)
    t = y_true - tf.reduce_mean(y_true, axis=axis, keepdims=True)
    p = y_pred - tf.reduce_mean(y_pred, axis=axis, keepdims=True)
    t = t / tf.math.reduce_std(t, axis=axis, keepdims=True)
    p = p / tf.math.reduce_std(p, axis=axis, keepdims=True)
    return tf.reduce_mean(t * p, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient along ``axis``, as Keras computes it."""
    y_pred = _tensor(y_pred)
    y_true = tf.cast(_tensor(y_true), y_pred.dtype)
    y_true, y_pred = _align(y_true, y_pred)
    true_mean = tf.reduce_mean(y_true, axis=axis, keepdims=True)
    pred_mean = tf.reduce_mean(y_pred, axis=axis, keepdims=True)
    true_var = tf.math.reduce_variance(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = tf.math.reduce_variance(y_pred - pred_mean, axis=axis, keepdims=True)
    # Keras' covariance centres both factors on the prediction mean
    covar = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + tf.square(true_mean - pred_mean)
    return tf.reduce_mean(2 * covar / (norm + _K.epsilon()), axis=axis)


PearsonCorrelation = _wrapper_class("PearsonCorrelation", pearson_correlation,
                                    "pearson_correlation", [("axis", -1)],
                                    "The mean Pearson correlation of the samples.")
ConcordanceCorrelation = _wrapper_class("ConcordanceCorrelation", concordance_correlation,
                                        "concordance_correlation", [("axis", -1)],
                                        "The mean concordance correlation of the samples.")

MSE, MAE, MAPE, MSLE, KLD = (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
                             MeanSquaredLogarithmicError, KLDivergence)


class RootMeanSquaredError(Mean):
    """The square root of the running mean squared error."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _align(_tensor(y_true, self._dtype), _tensor(y_pred, self._dtype))
        return super().update_state(tf.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return tf.sqrt(super().result())


# ---------------------------------------------------------------------------------------------
# Confusion-matrix metrics
# ---------------------------------------------------------------------------------------------

_NEG_INF = -1e10


def _thresholds(thresholds, default=0.5):
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple)) else [thresholds]
    if any(not 0 <= t <= 1 for t in values):
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {values}")
    return values


def _confusion(y_true, y_pred, thresholds, top_k=None, class_id=None, sample_weight=None,
               dtype="float32"):
    """``{"tp", "fp", "tn", "fn"}`` counts per threshold for one batch."""
    y_true, y_pred = tf.cast(_tensor(y_true), dtype), tf.cast(_tensor(y_pred), dtype)
    y_pred, y_true = _align(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = tf.expand_dims(tf.cast(_tensor(sample_weight), dtype), axis=-1)
        _, sample_weight = _align(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        _, idx = tf.math.top_k(y_pred, top_k)
        keep = tf.reduce_sum(tf.one_hot(idx, y_pred.shape[-1], dtype=dtype), axis=-2)
        y_pred = y_pred * keep + _NEG_INF * (1 - keep)
    if class_id is not None:
        if y_pred.shape.rank == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             f"(num_samples, num_classes), found shape: {y_pred.shape}")
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    preds = tf.reshape(y_pred, [1, -1])
    labels = tf.reshape(tf.cast(y_true, "bool"), [1, -1])
    thresh = tf.reshape(tf.constant(thresholds, dtype), [-1, 1])
    pred_pos = preds > thresh
    label_pos = tf.broadcast_to(labels, tf.shape(pred_pos))
    weights = None
    if sample_weight is not None:
        weights = tf.reshape(tf.broadcast_to(sample_weight, tf.shape(y_pred)), [1, -1])

    def count(a, b):
        hit = tf.logical_and(a, b)
        if weights is None:
            return tf.reduce_sum(tf.cast(hit, dtype), 1)
        return tf.reduce_sum(tf.where(hit, tf.broadcast_to(weights, tf.shape(hit)),
                                      tf.zeros(tf.shape(hit), dtype)), 1)
    pred_neg, label_neg = tf.logical_not(pred_pos), tf.logical_not(label_pos)
    return {"tp": count(label_pos, pred_pos), "fp": count(label_neg, pred_pos),
            "tn": count(label_neg, pred_neg), "fn": count(label_pos, pred_neg)}


class _ConfusionMetric(Metric):
    _kinds = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        # with top_k and no thresholds, every one of the top k counts as predicted positive
        self.thresholds = _thresholds(thresholds, 0.5 if top_k is None else _NEG_INF)
        self.init_thresholds = thresholds
        self.top_k, self.class_id = top_k, class_id
        self._single = thresholds is None or not isinstance(thresholds, (list, tuple))
        for kind in self._kinds:
            setattr(self, kind, self.add_variable((len(self.thresholds),), name=kind))

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = _confusion(y_true, y_pred, self.thresholds, self.top_k, self.class_id,
                            sample_weight, self._dtype)
        for kind in self._kinds:
            getattr(self, kind).assign_add(counts[kind])

    def _value(self, result):
        return result[0] if self._single else result


def _counter(class_name, kind, default_name):
    def __init__(self, thresholds=None, name=None, dtype=None):
        _ConfusionMetric.__init__(self, thresholds, name=name, dtype=dtype)

    def result(self):
        return self._value(tf.identity(getattr(self, kind)))

    return type(class_name, (_ConfusionMetric,), {
        "_kinds": (kind,), "__init__": __init__, "result": result, "__module__": __name__,
        "accumulator": property(lambda self: getattr(self, kind)),
        "__doc__": f"The (weighted) number of {default_name.replace('_', ' ')} at each "
                   "threshold (``y_pred > threshold`` is positive)."})


TruePositives = _counter("TruePositives", "tp", "true_positives")
FalsePositives = _counter("FalsePositives", "fp", "false_positives")
TrueNegatives = _counter("TrueNegatives", "tn", "true_negatives")
FalseNegatives = _counter("FalseNegatives", "fn", "false_negatives")


def _ratio(class_name, missed, doc):
    """A metric TP / (TP + ``missed``), ``missed`` the false positives or negatives."""
    kind = {"fp": "false_positives", "fn": "false_negatives"}[missed]

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        _ConfusionMetric.__init__(self, thresholds, top_k, class_id, name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = _confusion(y_true, y_pred, self.thresholds, self.top_k, self.class_id,
                            sample_weight, self._dtype)
        self.true_positives.assign_add(counts["tp"])
        getattr(self, kind).assign_add(counts[missed])

    def result(self):
        tp = self.true_positives
        return self._value(tf.math.divide_no_nan(tp, tp + getattr(self, kind)))

    return type(class_name, (_ConfusionMetric,), {
        "_kinds": ("true_positives", kind), "__init__": __init__, "update_state": update_state,
        "result": result, "__doc__": doc, "__module__": __name__})


Precision = _ratio("Precision", "fp", """The share of positive predictions that
    are right: TP / (TP + FP), at each threshold (0.5 by default), optionally for the
    ``top_k`` predictions or one ``class_id``.""")
Recall = _ratio("Recall", "fn", """The share of positives found: TP / (TP + FN), at
    each threshold (0.5 by default), optionally for the ``top_k`` predictions or one
    ``class_id``.""")


_EPSILON = 1e-7


def _evenly(num_thresholds):
    """Keras' evenly spaced inner thresholds (without the end points)."""
    return [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]


class AUC(Metric):
    """The area under the ROC or precision-recall curve, from confusion counts at
    ``num_thresholds`` thresholds (Riemann sums by interpolation, minoring or majoring; the
    PR curve interpolated as Davis & Goadrich), per label with ``multi_label``."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        curve, summation_method = str(curve).upper(), str(summation_method).lower()
        if curve not in ("ROC", "PR"):
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                             '["ROC", "PR"]')
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             'Expected values are ["interpolation", "majoring", "minoring"]')
        if thresholds is not None:
            inner = sorted(_thresholds(list(thresholds)))
            self.num_thresholds = len(inner) + 2
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. Received: "
                                 f"num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            inner = _evenly(num_thresholds)
        self._thresholds = [0.0 - _EPSILON] + inner + [1.0 + _EPSILON]
        self.curve, self.summation_method = curve, summation_method
        self.multi_label, self.num_labels = multi_label, num_labels
        self.label_weights = None if label_weights is None else \
            tf.constant(label_weights, self._dtype)
        self._from_logits = from_logits
        self._built = False
        if not multi_label or num_labels is not None:
            self._build(num_labels)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, labels):
        shape = (self.num_thresholds,) if not self.multi_label else \
            (self.num_thresholds, labels)
        for kind in ("true_positives", "false_positives", "true_negatives",
                     "false_negatives"):
            setattr(self, kind, self.add_variable(shape, name=kind))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = _tensor(y_pred)
        if self._from_logits:
            y_pred = tf.sigmoid(tf.cast(y_pred, self._dtype))
        if not self.multi_label:
            counts = _confusion(y_true, y_pred, self._thresholds, sample_weight=sample_weight,
                                dtype=self._dtype)
        else:
            y_true = _tensor(y_true)
            if not self._built:
                self._build(y_pred.shape[-1])
            per_label = [_confusion(y_true[..., i], y_pred[..., i], self._thresholds,
                                    sample_weight=sample_weight, dtype=self._dtype)
                         for i in range(y_pred.shape[-1])]
            counts = {k: tf.stack([c[k] for c in per_label], axis=1) for k in per_label[0]}
        self.true_positives.assign_add(counts["tp"])
        self.false_positives.assign_add(counts["fp"])
        self.true_negatives.assign_add(counts["tn"])
        self.false_negatives.assign_add(counts["fn"])

    def _by_label(self, terms):
        if not self.multi_label:
            return tf.reduce_sum(terms)
        per_label = tf.reduce_sum(terms, axis=0)
        if self.label_weights is None:
            return tf.reduce_mean(per_label)
        return tf.math.divide_no_nan(tf.reduce_sum(per_label * self.label_weights),
                                     tf.reduce_sum(self.label_weights))

    def _interpolate_pr_auc(self):
        n = self.num_thresholds
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:n - 1] - tp[1:]
        p = tp + fp
        dp = p[:n - 1] - p[1:]
        slope = tf.math.divide_no_nan(dtp, tf.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = tf.where(tf.logical_and(p[:n - 1] > 0, p[1:] > 0),
                         tf.math.divide_no_nan(p[:n - 1], tf.maximum(p[1:], 0)),
                         tf.ones_like(p[1:]))
        increment = tf.math.divide_no_nan(slope * (dtp + intercept * tf.math.log(ratio)),
                                          tf.maximum(tp[1:] + fn[1:], 0))
        return self._by_label(increment)

    def result(self):
        if not self._built:
            return tf.constant(0.0, self._dtype)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc()
        n = self.num_thresholds
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = tf.math.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = tf.math.divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, tf.math.divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = tf.minimum(y[:n - 1], y[1:])
        else:
            heights = tf.maximum(y[:n - 1], y[1:])
        return self._by_label((x[:n - 1] - x[1:]) * heights)

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "curve": self.curve, "summation_method": self.summation_method,
                "multi_label": self.multi_label, "num_labels": self.num_labels,
                "from_logits": self._from_logits}


class _SensitivitySpecificity(Metric):
    """Confusion counts at ``num_thresholds`` evenly spaced thresholds, and the best value
    of one rate where another meets ``value``."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. Received: "
                             f"num_thresholds={num_thresholds}")
        self.value, self.class_id, self.num_thresholds = value, class_id, num_thresholds
        self.thresholds = [0.5] if num_thresholds == 1 else \
            [0.0] + _evenly(num_thresholds) + [1.0]
        for kind in ("true_positives", "false_positives", "true_negatives",
                     "false_negatives"):
            setattr(self, kind, self.add_variable((len(self.thresholds),), name=kind))

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = _confusion(y_true, y_pred, self.thresholds, class_id=self.class_id,
                            sample_weight=sample_weight, dtype=self._dtype)
        self.true_positives.assign_add(counts["tp"])
        self.false_positives.assign_add(counts["fp"])
        self.true_negatives.assign_add(counts["tn"])
        self.false_negatives.assign_add(counts["fn"])

    def _best(self, constrained, dependent):
        """The largest ``dependent`` where ``constrained >= value`` (0 if none)."""
        feasible = tf.where(constrained >= self.value, dependent,
                            tf.zeros_like(dependent))
        found = tf.reduce_any(constrained >= self.value)
        return tf.where(found, tf.maximum(tf.reduce_max(feasible), 0.0),
                        tf.constant(0.0, self._dtype))

    def _rates(self):
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        return {"sensitivity": tf.math.divide_no_nan(tp, tp + fn),
                "specificity": tf.math.divide_no_nan(tn, tn + fp),
                "precision": tf.math.divide_no_nan(tp, tp + fp)}


def _at(class_name, given, best, value_name, doc):
    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        if not 0 <= value <= 1:
            raise ValueError(f"Argument `{value_name}` must be in the range [0, 1]. "
                             f"Received: {value_name}={value}")
        _SensitivitySpecificity.__init__(self, value, num_thresholds, class_id, name, dtype)
        setattr(self, value_name, value)

    def result(self):
        rates = self._rates()
        return self._best(rates[given], rates[best])

    return type(class_name, (_SensitivitySpecificity,), {
        "__init__": __init__, "result": result, "__doc__": doc, "__module__": __name__})


SensitivityAtSpecificity = _at("SensitivityAtSpecificity", "specificity", "sensitivity",
                               "specificity", "The best sensitivity (recall) at a "
                               "specificity of at least ``specificity``.")
SpecificityAtSensitivity = _at("SpecificityAtSensitivity", "sensitivity", "specificity",
                               "sensitivity", "The best specificity at a sensitivity of at "
                               "least ``sensitivity``.")
PrecisionAtRecall = _at("PrecisionAtRecall", "sensitivity", "precision", "recall",
                        "The best precision at a recall of at least ``recall``.")
RecallAtPrecision = _at("RecallAtPrecision", "precision", "sensitivity", "precision",
                        "The best recall at a precision of at least ``precision``.")


class IoU(Metric):
    """Intersection over union of the ``target_class_ids``, from a running confusion matrix
    of integer class labels (``sparse_y_*=False``: one-hot or scores, argmax taken);
    ``ignore_class`` drops those pixels. The mean over classes that occur."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_true=True, sparse_y_pred=True, axis=-1):
        # Keras counts in int32 unless told otherwise (float weights are truncated then)
        super().__init__(name=name, dtype=dtype or "int32")
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, "
                             f"which is [0, {num_classes}).")
        self.num_classes, self.target_class_ids = num_classes, list(target_class_ids)
        self.ignore_class, self.axis = ignore_class, axis
        self.sparse_y_true, self.sparse_y_pred = sparse_y_true, sparse_y_pred
        self.total_cm = self.add_variable((num_classes, num_classes),
                                          name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _tensor(y_true), _tensor(y_pred)
        if not self.sparse_y_true:
            y_true = tf.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = tf.argmax(y_pred, axis=self.axis)
        y_true = tf.reshape(tf.cast(y_true, self._dtype), [-1])
        y_pred = tf.reshape(tf.cast(y_pred, self._dtype), [-1])
        weight = tf.constant(1, self._dtype) if sample_weight is None else \
            tf.reshape(tf.cast(_tensor(sample_weight), self._dtype), [-1])
        weight = tf.broadcast_to(weight, tf.shape(y_true))
        # class ids out of range (and ignore_class) count nowhere
        n = tf.constant(self.num_classes, self._dtype)
        zero = tf.zeros_like(y_true)
        valid = tf.logical_and(tf.logical_and(y_true >= zero, y_true < n),
                               tf.logical_and(y_pred >= zero, y_pred < n))
        if self.ignore_class is not None:
            valid = tf.logical_and(valid, tf.not_equal(
                y_true, tf.constant(self.ignore_class, self._dtype)))
        y_true, y_pred = tf.where(valid, y_true, zero), tf.where(valid, y_pred, zero)
        weight = tf.where(valid, weight, tf.zeros_like(weight))
        cm = tf.math.confusion_matrix(tf.cast(y_true, "int64"), tf.cast(y_pred, "int64"),
                                      self.num_classes, weights=weight, dtype=self._dtype)
        self.total_cm.assign(self.total_cm + cm)

    def result(self):
        cm = self.total_cm
        rows, cols = tf.reduce_sum(cm, axis=0), tf.reduce_sum(cm, axis=1)
        tp = tf.linalg.diag_part(cm)
        denominator = rows + cols - tp
        ids = tf.constant(self.target_class_ids, "int32")
        tp = tf.cast(tf.gather(tp, ids), "float32")
        denominator = tf.cast(tf.gather(denominator, ids), "float32")
        present = denominator > 1e-9                     # absent classes count 0
        iou = tf.where(present, tp / (denominator + _EPSILON), tf.zeros_like(tp))
        return tf.reduce_sum(iou, axis=self.axis) / (
            tf.reduce_sum(tf.cast(present, "float32")) + _EPSILON)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of binary predictions (``y_pred >= threshold`` is class 1)."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = tf.cast(tf.cast(_tensor(y_pred), "float32") >= self.threshold, "int32")
        super().update_state(_tensor(y_true), y_pred, sample_weight)


class MeanIoU(IoU):
    """The IoU averaged over all ``num_classes``."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, list(range(num_classes)), name, dtype, ignore_class,
                         sparse_y_true, sparse_y_pred, axis)


class OneHotIoU(IoU):
    """IoU for one-hot labels and per-class scores."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, target_class_ids, name, dtype, ignore_class, False,
                         sparse_y_pred, axis)


class OneHotMeanIoU(MeanIoU):
    """MeanIoU for one-hot labels and per-class scores."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name, dtype, ignore_class, False, sparse_y_pred, axis)


class FBetaScore(Metric):
    """The F-beta score per class of 2-D multi-label predictions (``threshold``: positive
    above it; None: the top score of each row), averaged "micro", "macro", "weighted" or
    not (None)."""

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: {None, "
                             f"'micro', 'macro', 'weighted'}}. Received: average={average}")
        if not isinstance(beta, float) or beta <= 0.0:
            raise ValueError("Invalid `beta` argument value. It should be a Python float > "
                             f"0. Received: beta={beta}")
        if threshold is not None and (not isinstance(threshold, float) or
                                      not 0 < threshold <= 1):
            raise ValueError("Invalid `threshold` argument value. It should be a Python "
                             f"float in the range ]0, 1]. Received: threshold={threshold}")
        self.average, self.beta, self.threshold = average, beta, threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true, y_pred):
        if y_pred.shape.rank != 2 or y_true.shape.rank != 2:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, "
                             f"output_dim). Received input shapes: y_pred.shape="
                             f"{y_pred.shape} and y_true.shape={y_true.shape}.")
        shape = () if self.average == "micro" else (y_pred.shape[-1],)
        for kind in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, kind, self.add_variable(shape, name=kind))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.cast(_tensor(y_true), self._dtype)
        y_pred = tf.cast(_tensor(y_pred), self._dtype)
        if not self._built:
            self._build(y_true, y_pred)
        if self.threshold is None:
            top = tf.reduce_max(y_pred, axis=-1, keepdims=True)
            hit = tf.logical_and(y_pred >= top, tf.abs(y_pred) > 1e-9)
        else:
            hit = y_pred > self.threshold
        y_pred = tf.cast(hit, self._dtype)
        weight = None if sample_weight is None else \
            tf.expand_dims(tf.cast(_tensor(sample_weight), self._dtype), 1)

        def total(v):
            return tf.reduce_sum(v if weight is None else v * weight, axis=self.axis)
        self.true_positives.assign_add(total(y_pred * y_true))
        self.false_positives.assign_add(total(y_pred * (1 - y_true)))
        self.false_negatives.assign_add(total((1 - y_pred) * y_true))
        self.intermediate_weights.assign_add(total(y_true))

    def result(self):
        if not self._built:
            return tf.constant(0.0, self._dtype)
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + _EPSILON)
        recall = tp / (tp + self.false_negatives + _EPSILON)
        b2 = self.beta ** 2
        score = precision * recall / (b2 * precision + recall + _EPSILON) * (1 + b2)
        if self.average == "weighted":
            w = self.intermediate_weights
            return tf.reduce_sum(score * w / (tf.reduce_sum(w) + _EPSILON))
        if self.average is not None:
            return tf.reduce_mean(score)
        return score

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score (``FBetaScore`` with beta 1)."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average, 1.0, threshold, name, dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config


class R2Score(Metric):
    """The coefficient of determination of regression outputs (per output, averaged
    "uniform_average" or "variance_weighted", or not), adjusted for ``num_regressors``."""

    def __init__(self, class_aggregation="uniform_average", num_regressors=0,
                 name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in (None, "uniform_average", "variance_weighted_average"):
            raise ValueError("Invalid value for argument `class_aggregation`. Expected one "
                             "of (None, 'uniform_average', 'variance_weighted_average'). "
                             f"Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a "
                             f"value >= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation, self.num_regressors = class_aggregation, num_regressors
        self.num_samples = self.add_variable((), name="num_samples")
        self._built = False

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.cast(_tensor(y_true), self._dtype)
        y_pred = tf.cast(_tensor(y_pred), self._dtype)
        y_true, y_pred = _align(y_true, y_pred)
        if y_true.shape.rank != 2 or y_pred.shape.rank != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). "
                             f"Received input shapes: y_pred.shape={y_pred.shape} and "
                             f"y_true.shape={y_true.shape}.")
        if not self._built:
            shape = (y_pred.shape[-1],)
            for kind in ("squared_sum", "sum", "total_mse", "count"):
                setattr(self, kind, self.add_variable(shape, name=kind))
            self._built = True
        weight = tf.ones_like(y_true) if sample_weight is None else \
            tf.cast(_tensor(sample_weight), self._dtype)
        if weight.shape.rank == 1:
            weight = tf.expand_dims(weight, 1)
        weight = tf.broadcast_to(weight, tf.shape(y_true))
        weighted = y_true * weight
        self.sum.assign_add(tf.reduce_sum(weighted, axis=0))
        self.squared_sum.assign_add(tf.reduce_sum(y_true * weighted, axis=0))
        self.total_mse.assign_add(tf.reduce_sum((y_true - y_pred) ** 2 * weight, axis=0))
        self.count.assign_add(tf.reduce_sum(weight, axis=0))
        self.num_samples.assign_add(tf.cast(tf.size(y_true), self._dtype))

    def result(self):
        if not self._built:
            return tf.constant(0.0, self._dtype)
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw = 1 - self.total_mse / total
        raw = tf.where(tf.math.is_inf(raw), tf.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = tf.reduce_mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = tf.reduce_sum(raw * total / tf.reduce_sum(total))
        else:
            score = raw
        n = float(self.num_samples.numpy())
        if self.num_regressors:
            import warnings
            if self.num_regressors > n - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 "
                              "score. Falling back to standard R2 score.", stacklevel=2)
            elif self.num_regressors == n - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to "
                              "standard R2 score.", stacklevel=2)
            else:
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - self.num_regressors - 1.0)
        return score

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}


__all__ += ["AUC", "BinaryIoU", "F1Score", "FBetaScore", "IoU", "MeanIoU", "OneHotIoU",
            "OneHotMeanIoU", "PrecisionAtRecall", "R2Score", "RecallAtPrecision",
            "SensitivityAtSpecificity", "SpecificityAtSensitivity", "PearsonCorrelation",
            "ConcordanceCorrelation", "pearson_correlation", "concordance_correlation"]

def get(identifier):
    """A metric from its name: a function (``"mse"``, ``"binary_accuracy"``), or an instance
    of a class (``"Precision"``); callables and Metric instances are returned as they are."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in __all__ and identifier != "get":
        obj = globals()[identifier]
        return obj() if isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
