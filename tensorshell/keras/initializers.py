"""`ts.keras.initializers`: Keras 3's initializers, for creating Variables.

>>> init = ts.keras.initializers.GlorotUniform(seed=42)
>>> w = ts.Variable(init((784, 300)))          # TensorFlow's values for seed 42

An initializer is called with a shape (and optionally a dtype, ``floatx()`` by default).
As Keras 3's: a seeded one draws TensorFlow's stateless random numbers from ``[seed, 0]``,
so it gives TensorFlow's values and the same values at every call; an unseeded one picks a
seed when created. The lowercase names (``glorot_uniform`` ...) are the classes. Ported
from Keras (``keras/src/initializers``, Apache License 2.0).
"""

from __future__ import annotations

import math
import random as _python_random

import tensorshell as tf

from . import _objects, backend as _K
from ._objects import Configurable

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "IdentityInitializer", "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
    "OrthogonalInitializer", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "Zeros", "constant", "get", "glorot_normal", "glorot_uniform",
    "he_normal", "he_uniform", "identity", "lecun_normal", "lecun_uniform", "ones",
    "orthogonal", "random_normal", "random_uniform", "serialize", "truncated_normal",
    "variance_scaling", "zeros",
]


class Initializer(Configurable):
    """``initializer(shape, dtype=None)`` -> a tensor. Subclass it and write ``__call__``."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(f"{type(self).__name__} must define __call__(shape, dtype)")


def _dtype(dtype):
    return tf.as_dtype(dtype or _K.floatx())


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return tf.zeros(shape, _dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return tf.ones(shape, _dtype(dtype))


class Constant(Initializer):
    """Every entry ``value``."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return tf.fill(shape, tf.cast(tf.constant(self.value), _dtype(dtype)))

    def get_config(self):
        return {"value": self.value}


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return self.gain * tf.eye(*shape, dtype=_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


class RandomInitializer(Initializer):
    """The seed rule of Keras 3: an int ``seed`` draws from TensorFlow's stateless generator
    with seed ``[seed, 0]``; ``None`` picks one now."""

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError("`seed` argument should be an instance of "
                             f"`keras.random.SeedGenerator()` or an integer. Received: "
                             f"seed={seed}")
        self._init_seed = seed
        self.seed = seed if seed is not None else _python_random.randint(1, int(1e9))

    def _stateless_seed(self):
        # Keras keeps seeds as int64 and folds them into int32's range for TensorFlow
        return [self.seed % (2 ** 31 - 2), 0]

    def _normal(self, shape, mean, stddev, dtype):
        return tf.random.stateless_normal(shape, self._stateless_seed(), mean, stddev,
                                          _dtype(dtype))

    def _truncated(self, shape, mean, stddev, dtype):
        return tf.random.stateless_truncated_normal(shape, self._stateless_seed(), mean,
                                                    stddev, _dtype(dtype))

    def _uniform(self, shape, minval, maxval, dtype):
        d = _dtype(dtype)
        return tf.random.stateless_uniform(shape, self._stateless_seed(),
                                           tf.cast(minval, d), tf.cast(maxval, d), d)

    def get_config(self):
        return {"seed": self._init_seed}


class RandomNormal(RandomInitializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return self._normal(shape, self.mean, self.stddev, dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    """A normal distribution cut at two standard deviations (redrawn beyond)."""

    def __call__(self, shape, dtype=None):
        return self._truncated(shape, self.mean, self.stddev, dtype)


class RandomUniform(RandomInitializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = minval, maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return self._uniform(shape, self.minval, self.maxval, dtype)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape, input_axes=None, output_axes=None):
    """Keras' fan-in and fan-out of a kernel shape (the last two axes, times the receptive
    field of a convolution kernel)."""
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (int(math.prod(shape[a] for a in input_axes)),
                int(math.prod(shape[a] for a in output_axes)))
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    field = math.prod(shape[:-2])
    return int(shape[-2] * field), int(shape[-1] * field)


class VarianceScaling(RandomInitializer):
    """Random values scaled to the kernel's fans: variance ``scale / n`` with ``n`` the
    fan-in, fan-out or their mean (``mode``), drawn from a truncated normal, a normal
    (``"untruncated_normal"``) or a uniform ``distribution``."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: "
                             f"scale={scale}")
        if mode not in {"fan_in", "fan_out", "fan_avg"}:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of "
                             "{'fan_in', 'fan_out', 'fan_avg'}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in {"uniform", "truncated_normal", "untruncated_normal"}:
            raise ValueError(f"Invalid `distribution` argument: {distribution}.Please use one "
                             "of {'uniform', 'truncated_normal', 'untruncated_normal'}")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, n[self.mode])
        if self.distribution == "truncated_normal":
            # 0.8796...: the standard deviation of a unit normal truncated at 2
            return self._truncated(shape, 0.0, math.sqrt(scale) / 0.87962566103423978, dtype)
        if self.distribution == "untruncated_normal":
            return self._normal(shape, 0.0, math.sqrt(scale), dtype)
        limit = math.sqrt(3.0 * scale)
        return self._uniform(shape, -limit, limit, dtype)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


def _scaling(class_name, scale, mode, distribution, doc):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed, input_axes,
                                 output_axes)

    def get_config(self):
        return {"seed": self._init_seed, "input_axes": self.input_axes,
                "output_axes": self.output_axes}
    return type(class_name, (VarianceScaling,), {"__init__": __init__, "__doc__": doc,
                                                  "get_config": get_config,
                                                  "__module__": __name__})


GlorotUniform = _scaling("GlorotUniform", 1.0, "fan_avg", "uniform",
                         "Uniform in +-sqrt(6 / (fan_in + fan_out)) (Xavier).")
GlorotNormal = _scaling("GlorotNormal", 1.0, "fan_avg", "truncated_normal",
                        "Truncated normal with variance 2 / (fan_in + fan_out).")
HeUniform = _scaling("HeUniform", 2.0, "fan_in", "uniform",
                     "Uniform in +-sqrt(6 / fan_in), for ReLU layers.")
HeNormal = _scaling("HeNormal", 2.0, "fan_in", "truncated_normal",
                    "Truncated normal with variance 2 / fan_in, for ReLU layers.")
LecunUniform = _scaling("LecunUniform", 1.0, "fan_in", "uniform",
                        "Uniform in +-sqrt(3 / fan_in), for SELU layers.")
LecunNormal = _scaling("LecunNormal", 1.0, "fan_in", "truncated_normal",
                       "Truncated normal with variance 1 / fan_in, for SELU layers.")


class Orthogonal(RandomInitializer):
    """A random orthogonal matrix (rows or columns orthonormal) times ``gain``; shapes of
    rank > 2 are flattened to ``[prod(shape[:-1]), shape[-1]]``."""

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = self._normal((max(rows, cols), min(rows, cols)), 0.0, 1.0, dtype)
        q, r = tf.linalg.qr(a)
        q = q * tf.sign(tf.linalg.diag_part(r))
        if rows < cols:
            q = tf.transpose(q)
        return self.gain * tf.reshape(q, shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal
zeros, ones, constant, identity = Zeros, Ones, Constant, Identity
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal = VarianceScaling, Orthogonal
glorot_uniform, glorot_normal, he_uniform, he_normal = (GlorotUniform, GlorotNormal, HeUniform,
                                                        HeNormal)
lecun_uniform, lecun_normal = LecunUniform, LecunNormal


serialize = _objects.serialize


def get(identifier):
    """An initializer from its name (``"he_normal"``, ``"GlorotUniform"`` ...) or a
    ``{"class_name", "config"}`` dict; initializers and callables are returned as they
    are."""
    return _objects.lookup(identifier, globals(), Initializer, "initializer")


from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
