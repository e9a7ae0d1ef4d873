"""`ts.random`: random tensors and TensorFlow's seeding (``ts.random.set_seed``);
`ts.random.experimental` holds what TensorFlow keeps there (``index_shuffle``,
``stateless_shuffle``, ``stateless_split``/``stateless_fold_in``, the Generator API)."""

from ._public import submodule as _submodule
from .engine.ops.random import get_global_generator_seed, set_seed  # noqa: F401
from .engine.ops.registry import NAMESPACES as _NAMESPACES

experimental = _submodule(__name__, "experimental", "`ts.random.experimental`, as "
                          "TensorFlow's tf.random.experimental.", {
                              **_NAMESPACES["random.experimental"],
                              **{name: _NAMESPACES["random"][name] for name in (
                                  "Algorithm", "Generator", "create_rng_state",
                                  "get_global_generator", "set_global_generator")}})

globals().update(_NAMESPACES["random"])
__all__ = sorted(_NAMESPACES["random"]) + ["experimental", "set_seed"]
