"""`ts.random`: random tensors and TensorFlow's seeding (``ts.random.set_seed``);
`ts.random.experimental` holds what TensorFlow keeps there (``index_shuffle``,
``stateless_shuffle``, ``stateless_split``/``stateless_fold_in``, the Generator API)."""

import sys as _sys
import types as _types

from .engine.ops.random import get_global_generator_seed, set_seed  # noqa: F401
from .engine.ops.registry import NAMESPACES as _NAMESPACES

experimental = _types.ModuleType(__name__ + ".experimental", "`ts.random.experimental`, as "
                                 "TensorFlow's tf.random.experimental.")
experimental.__dict__.update(_NAMESPACES["random.experimental"])
experimental.__dict__.update({name: _NAMESPACES["random"][name] for name in (
    "Algorithm", "Generator", "create_rng_state", "get_global_generator",
    "set_global_generator")})
experimental.__all__ = sorted(name for name in experimental.__dict__
                              if not name.startswith("_"))
_sys.modules[experimental.__name__] = experimental

globals().update(_NAMESPACES["random"])
__all__ = sorted(_NAMESPACES["random"]) + ["experimental", "set_seed"]
