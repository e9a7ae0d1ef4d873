"""`ts.keras.constraints`: Keras 3's weight constraints, to apply after an optimizer step:
``w.assign(ts.keras.constraints.MaxNorm(2.0)(w))``.

Ported from Keras (``keras/src/constraints``, Apache License 2.0).
"""

from __future__ import annotations

import tensorshell as tf

from . import _objects, backend as _K
from ._objects import Configurable

__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "get", "max_norm",
           "min_max_norm", "non_neg", "serialize", "unit_norm"]


class Constraint(Configurable):
    """A projection of a weight tensor: ``constraint(w)`` -> the constrained weights."""

    def __call__(self, w):
        return w


def _norms(w, axis):
    return tf.sqrt(tf.reduce_sum(tf.square(w), axis=axis, keepdims=True))


def _rescaled(w, norms, desired):
    return w * (desired / (_K.epsilon() + norms))


class MaxNorm(Constraint):
    """Weights whose norm along ``axis`` exceeds ``max_value`` scaled down to it."""

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        w = tf.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        return _rescaled(w, norms, tf.clip_by_value(norms, 0.0, float(self.max_value)))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Negative weights set to 0."""

    def __call__(self, w):
        return tf.maximum(tf.convert_to_tensor(w), 0.0)


class UnitNorm(Constraint):
    """Weights scaled to unit norm along ``axis``."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = tf.convert_to_tensor(w)
        return w / (_K.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Norms along ``axis`` moved into ``[min_value, max_value]``, by ``rate`` of the way."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        w = tf.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = self.rate * tf.clip_by_value(norms, float(self.min_value),
                                               float(self.max_value)) + (1 - self.rate) * norms
        return _rescaled(w, norms, desired)

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm


serialize = _objects.serialize


def get(identifier):
    """A constraint from its name (``"non_neg"``), a ``{"class_name", "config"}`` dict, or as
    it is when callable."""
    return _objects.lookup(identifier, globals(), Constraint, "constraint")


from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
