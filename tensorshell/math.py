"""`ts.math`: generated from the op registry's table (see engine/ops); `ts.math.special` holds
the special functions TensorFlow keeps there (Bessel, Dawson, Ei, Fresnel, Spence)."""

import sys as _sys
import types as _types

from .engine.ops.registry import NAMESPACES as _NAMESPACES

special = _types.ModuleType(__name__ + ".special", "`ts.math.special`: Bessel functions, "
                            "Dawson's integral, Ei, the Fresnel integrals and Spence's "
                            "function, as TensorFlow's tf.math.special.")
special.__dict__.update(_NAMESPACES["math.special"])
special.__all__ = sorted(_NAMESPACES["math.special"])
_sys.modules[special.__name__] = special

globals().update(_NAMESPACES["math"])
__all__ = sorted(_NAMESPACES["math"]) + ["special"]
