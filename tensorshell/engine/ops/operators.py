"""Python operators on Tensor, taken from the registry's ops so the two never drift apart:
``t + 10`` is ``ts.add(t, 10)``, ``a @ b`` is ``ts.matmul(a, b)``."""

from __future__ import annotations

from .. import speedups
from ..errors import InvalidArgumentError
from ..tensor import Tensor
from . import elementwise as e
from .indexing import getitem
from .linalg import matmul
from .registry import placement, tensor_method

_FORWARD = {
    "__add__": e.add, "__sub__": e.subtract, "__mul__": e.multiply, "__truediv__": e.truediv,
    "__floordiv__": e.floordiv, "__mod__": e.floormod, "__pow__": e.pow,
    "__matmul__": matmul, "__lt__": e.less, "__le__": e.less_equal, "__gt__": e.greater,
    "__ge__": e.greater_equal,
}
_REFLECTED = {
    "__radd__": e.add, "__rsub__": e.subtract, "__rmul__": e.multiply,
    "__rtruediv__": e.truediv, "__rfloordiv__": e.floordiv, "__rmod__": e.floormod,
    "__rpow__": e.pow, "__rmatmul__": matmul,
}


def _reflected(fn):
    def method(self, other):
        return fn(other, self)
    return method


def _logical_or_bitwise(logical, bitwise, reflected=False):
    """``&``, ``|``, ``^``: logical on bool tensors, bitwise on integers (as TensorFlow)."""
    def method(self, other):
        x, y = (other, self) if reflected else (self, other)
        return (logical if self._dtype.is_bool else bitwise)(x, y)
    return method


def _scalar_bool(value):
    import numpy as np
    from ..dtypes import bool as bool_
    from .registry import out
    return out(np.bool_(value), bool_)


def _install():
    for name, fn in _FORWARD.items():
        tensor_method(name)(fn)
    for name, fn in _REFLECTED.items():
        tensor_method(name)(_reflected(fn))
    tensor_method("__neg__")(e.negative)
    tensor_method("__abs__")(e.abs)
    tensor_method("__pos__")(lambda self: self)
    tensor_method("__getitem__")(getitem)
    Tensor.__getitem__ = speedups.tensor_getitem(Tensor, placement, getitem)
    for sym, logical, bitwise in (("and", e.logical_and, e.bitwise_and),
                                  ("or", e.logical_or, e.bitwise_or),
                                  ("xor", e.logical_xor, e.bitwise_xor)):
        tensor_method(f"__{sym}__")(_logical_or_bitwise(logical, bitwise))
        tensor_method(f"__r{sym}__")(_logical_or_bitwise(logical, bitwise, True))

    @tensor_method("__invert__")
    def __invert__(self):
        return (e.logical_not if self._dtype.is_bool else e.invert)(self)

    @tensor_method("__eq__")
    def __eq__(self, other):
        """Elementwise equality. As in TensorFlow: a scalar False tensor when the shapes
        cannot broadcast, Python False against None, and an error for mismatched dtypes."""
        if other is None:
            return False
        try:
            return e.equal(self, other)
        except InvalidArgumentError as err:
            if err.kind == "shape":
                return _scalar_bool(False)
            raise

    @tensor_method("__ne__")
    def __ne__(self, other):
        if other is None:
            return True
        try:
            return e.not_equal(self, other)
        except InvalidArgumentError as err:
            if err.kind == "shape":
                return _scalar_bool(True)
            raise


_install()
