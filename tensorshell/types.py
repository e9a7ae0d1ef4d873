"""``ts.types``: TensorFlow's ``tf.types`` for type annotations (``TensorLike`` ...)."""

from __future__ import annotations

import types as _types
import typing

import numpy as np

from .engine.tensor import Tensor
from .engine.variable import Variable
from .function import Function

__all__ = ["experimental"]

experimental = _types.ModuleType(__name__ + ".experimental",
                                 "`ts.types.experimental`, as TensorFlow's.")
experimental.TensorLike = typing.Union[Tensor, Variable, np.ndarray, np.generic, list, tuple,
                                       int, float, bool, complex, str, bytes]
experimental.Callable = typing.Callable
experimental.GenericFunction = Function
experimental.PolymorphicFunction = Function
experimental.ConcreteFunction = Function
experimental.__all__ = ["Callable", "ConcreteFunction", "GenericFunction",
                        "PolymorphicFunction", "TensorLike"]

from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
