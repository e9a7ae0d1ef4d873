"""`ts.keras.regularizers` and the weight penalties of Keras 3, for custom training loops:
``loss = data_loss + ts.keras.regularizers.l2(1e-4)(w)``.

Ported from Keras (``keras/src/regularizers``, Apache License 2.0).
"""

from __future__ import annotations

import math

import tensorshell as tf

from . import _objects
from ._objects import Configurable

__all__ = ["L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "get", "l1", "l1_l2",
           "l2", "orthogonal_regularizer", "serialize"]


def _non_negative(value, name):
    if isinstance(value, bool) or not isinstance(value, (float, int)) or math.isinf(value) \
            or math.isnan(value) or value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")
    return float(value)


class Regularizer(Configurable):
    """A penalty on a weight tensor: ``regularizer(w)`` -> a scalar to add to the loss."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config()")

    def __repr__(self):
        try:
            return super().__repr__()
        except NotImplementedError:
            return f"<ts.keras.regularizers.{type(self).__name__}>"


class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x ** 2)``."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _non_negative(0.0 if l1 is None else l1, "l1")
        self.l2 = _non_negative(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        total = tf.constant(0.0, x.dtype)
        if self.l1:
            total += tf.cast(self.l1, x.dtype) * tf.reduce_sum(tf.abs(x))
        if self.l2:
            total += tf.cast(self.l2, x.dtype) * tf.reduce_sum(tf.square(x))
        return total

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """``l1 * sum(|x|)``."""

    def __init__(self, l1=0.01):
        super().__init__(l1=0.01 if l1 is None else l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    """``l2 * sum(x ** 2)``."""

    def __init__(self, l2=0.01):
        super().__init__(l2=0.01 if l2 is None else l2)

    def get_config(self):
        return {"l2": self.l2}


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1=l1, l2=l2)


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or ``mode="columns"``) of a 2-D weight towards orthogonality: the mean
    absolute cosine between pairs, times ``factor / 2``."""

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _non_negative(factor, "factor")
        if mode not in {"rows", "columns"}:
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", '
                             f'"columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, inputs):
        if inputs.shape.rank != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={inputs.shape}")
        axis = 1 if self.mode == "rows" else 0
        unit = inputs / tf.maximum(tf.norm(inputs, axis=axis, keepdims=True),
                                   tf.constant(1e-7, inputs.dtype))
        product = unit @ tf.transpose(unit) if axis == 1 else tf.transpose(unit) @ unit
        size = inputs.shape[1 - axis]
        off_diagonal = product * (1.0 - tf.eye(size, dtype=inputs.dtype))
        pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * tf.reduce_sum(tf.abs(off_diagonal)) / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1, l2, orthogonal_regularizer = L1, L2, OrthogonalRegularizer


serialize = _objects.serialize


def get(identifier):
    """A regularizer from its name (``"l2"``), a ``{"class_name", "config"}`` dict, or as it
    is when callable."""
    return _objects.lookup(identifier, globals(), Regularizer, "regularizer")


from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
