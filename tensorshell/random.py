"""`ts.random`: random tensors and TensorFlow's seeding (``ts.random.set_seed``)."""

from .engine.ops.random import get_global_generator_seed, set_seed  # noqa: F401
from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["random"])
__all__ = sorted(_NAMESPACES["random"]) + ["set_seed"]
