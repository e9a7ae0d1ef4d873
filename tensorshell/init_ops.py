"""TensorFlow's core initializers (``tf.zeros_initializer``, ``tf.random_normal_initializer``
...): callables that make a tensor of a given shape and dtype, typically a Variable's
initial value. With a ``seed`` the random ones are stateless (``seed`` becomes the pair
``[seed, 0]``), so they give TensorFlow's values; without one they take the next seed of
the global sequence, as there.

>>> w = ts.Variable(ts.random_normal_initializer(stddev=0.1, seed=1)(shape=[3, 2]))
"""

from __future__ import annotations

import numpy as np

from .engine import dtypes
from .engine.ops import random as _random
from .engine.tensor import constant

_ALLOWED_KWARGS = {"partition_shape", "partition_offset"}


class Initializer:
    """The base class: ``__call__(shape, dtype)`` and a config that rebuilds it."""

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError("Initializer subclasses implement __call__")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)

    def _shape(self, shape, kwargs):
        unknown = set(kwargs) - _ALLOWED_KWARGS
        if unknown:
            raise TypeError(f"Keyword argument should be one of {sorted(_ALLOWED_KWARGS)}. "
                            f"Received: {sorted(unknown)[0]}")
        if kwargs.get("partition_shape") is not None:
            return kwargs["partition_shape"]
        return shape

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _numeric_or_bool(dtype, what):
    d = dtypes.as_dtype(dtype)
    if d.is_string:
        raise ValueError(f"Expected numeric or boolean dtype, got {d.name}.")
    return d


class Zeros(Initializer):
    """All zeros (or False)."""

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        from .engine.ops.creation import zeros
        return zeros(self._shape(shape, kwargs), dtype=_numeric_or_bool(dtype, "zeros"))


class Ones(Initializer):
    """All ones (or True)."""

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        from .engine.ops.creation import ones
        return ones(self._shape(shape, kwargs), dtype=_numeric_or_bool(dtype, "ones"))


class Constant(Initializer):
    """``value`` - a scalar filling the shape, or values with exactly as many elements."""

    def __init__(self, value=0):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))
                or hasattr(value, "numpy")):
            raise TypeError(f"Invalid type for initial value: {type(value).__name__} (expected "
                            "Python scalar, list or tuple of values, or numpy.ndarray).")
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs):
        return constant(self.value, dtype=None if dtype is None else dtypes.as_dtype(dtype),
                        shape=self._shape(shape, kwargs))

    def get_config(self) -> dict:
        return {"value": self.value}


class _Random(Initializer):
    """A random initializer: stateless with the pair ``[seed, 0]`` when seeded, else drawn
    from the global seed sequence - TensorFlow's choice, and so TensorFlow's values."""

    _params: tuple = ()

    def __init__(self, *values, seed=None):
        for name, value in zip(self._params, values):
            setattr(self, name, value)
        self.seed = seed

    def _check(self, d):
        raise NotImplementedError

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        d = dtypes.as_dtype(dtype)
        self._check(d)
        shape = self._shape(shape, kwargs)
        args = [getattr(self, name) for name in self._params]
        if self.seed is not None:
            return self._stateless(shape, [self.seed, 0], *args, dtype=d)
        return self._stateful(shape, *args, dtype=d)

    def get_config(self) -> dict:
        return {**{name: getattr(self, name) for name in self._params}, "seed": self.seed}


class RandomUniform(_Random):
    """Uniform samples from [minval, maxval) (floats or integers)."""

    _params = ("minval", "maxval")
    _stateless = staticmethod(_random.stateless_uniform)
    _stateful = staticmethod(_random.uniform)

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(minval, maxval, seed=seed)

    def _check(self, d):
        if not (d.is_floating or d.is_integer):
            raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received "
                             f"{d.name}.")


class RandomNormal(_Random):
    """Normal samples with ``mean`` and ``stddev``."""

    _params = ("mean", "stddev")
    _stateless = staticmethod(_random.stateless_normal)
    _stateful = staticmethod(_random.normal)

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(mean, stddev, seed=seed)

    def _check(self, d):
        if not d.is_floating:
            raise ValueError(f"Argument `dtype` expected to be floating point. Received: "
                             f"{d.name}.")


# TensorFlow's top-level names for them
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal

__all__ = ["Constant", "Initializer", "Ones", "RandomNormal", "RandomUniform", "Zeros",
           "constant_initializer", "ones_initializer", "random_normal_initializer",
           "random_uniform_initializer", "zeros_initializer"]
