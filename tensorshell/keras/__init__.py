"""`ts.keras`: the parts of ``tf.keras`` that code written against TensorFlow's low-level
API leans on.

- ``ts.keras.backend`` (imported as ``K``): Keras' own low-level API, ``K.square``,
  ``K.mean``, ``K.epsilon`` ... as TensorFlow 2 ships it (the Keras 1/2 functions).
- ``ts.keras.losses``, ``metrics``, ``activations``, ``initializers``, ``regularizers``,
  ``constraints``: Keras 3's, for custom training loops.
- ``ts.keras.optimizers``: the optimizers of ``ts.optimizers`` (Keras 3's formulas).
- ``ts.keras.utils``: ``set_random_seed``, ``to_categorical``, ``normalize``,
  ``pad_sequences``.

Keras' layers, models and training loop (``fit``) are not part of tensorshell; asking for
them says so instead of failing somewhere deeper.
"""

from .. import optimizers
from . import (activations, backend, constraints, initializers, losses, metrics,  # noqa: F401
               regularizers, utils)

__all__ = ["activations", "backend", "constraints", "initializers", "losses", "metrics",
           "optimizers", "regularizers", "utils"]

_NOT_COVERED = {"layers", "models", "Model", "Sequential", "Input", "callbacks",
                "preprocessing", "applications", "datasets", "mixed_precision", "saving",
                "ops", "random", "config", "export", "dtype_policies", "Layer"}


def __getattr__(name):
    if name in _NOT_COVERED:
        raise AttributeError(
            f"ts.keras.{name} is not part of tensorshell: it covers ts.keras.backend, losses, "
            "metrics, activations, initializers, regularizers, constraints, optimizers and "
            "utils. For models and layers, write the forward pass with ts ops (ts.Module "
            "holds the variables) and train it with ts.GradientTape (see notebooks/).")
    import sys
    raise AttributeError(f"module 'tensorshell.keras' has no attribute {name!r}", name=name,
                         obj=sys.modules[__name__])
