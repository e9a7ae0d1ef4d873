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


def get(identifier):
    """A metric from its name: a function (``"mse"``, ``"binary_accuracy"``), or an instance
    of a class (``"Precision"``); callables and Metric instances are returned as they are."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in __all__ and identifier != "get":
        obj = globals()[identifier]
        return obj() if isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")
