"""`ts.math`: generated from the op registry's table (see engine/ops); `ts.math.special` holds
the special functions TensorFlow keeps there (Bessel, Dawson, Ei, Fresnel, Spence)."""

from ._public import submodule as _submodule
from .engine.ops.registry import NAMESPACES as _NAMESPACES

special = _submodule(__name__, "special", "`ts.math.special`: Bessel functions, Dawson's "
                     "integral, Ei, the Fresnel integrals and Spence's function, as "
                     "TensorFlow's tf.math.special.", _NAMESPACES["math.special"])

globals().update(_NAMESPACES["math"])
__all__ = sorted(_NAMESPACES["math"]) + ["special"]
