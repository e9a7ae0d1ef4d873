"""TensorFlow as the oracle, never a dependency: its results are computed live when it is
installed, else read back from what ``record`` stored the last time it was (an .npz file
beside the tests), so the comparison runs on every machine."""

from __future__ import annotations

import os

import numpy as np


def tensorflow():
    """The tensorflow module, or None where it is not installed."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import tensorflow as tf
    except ImportError:
        return None
    return tf


def require():
    """The tensorflow module, or skip the calling test where it is not installed."""
    tf = tensorflow()
    if tf is None:
        import pytest
        pytest.skip("TensorFlow is not installed")
    return tf


def _arrays(results):
    return [np.asarray(r.numpy() if hasattr(r, "numpy") else r) for r in results]


def expected(path, compute):
    """``lookup(key) -> [arrays]``: ``compute(tf, key)`` with TensorFlow installed, else the
    results ``record`` stored for ``key`` in ``path``."""
    tf = tensorflow()
    if tf is not None:
        return lambda key: _arrays(compute(tf, key))
    with np.load(path) as golden:
        stored = dict(golden)

    def lookup(key):
        count = sum(k.rsplit("/", 1)[0] == str(key) for k in stored)
        assert count, f"no recorded TensorFlow results for {key!r} in {path}: run the recorder"
        return [stored[f"{key}/{i}"] for i in range(count)]
    return lookup


def record(path, keys, compute):
    """Store TensorFlow's ``compute(tf, key)`` for every key in ``path`` (needs TensorFlow)."""
    import tensorflow as tf
    np.savez_compressed(path, **{f"{key}/{i}": a for key in keys
                                 for i, a in enumerate(_arrays(compute(tf, key)))})
    print(f"{len(keys)} cases recorded from TensorFlow {tf.__version__} -> {path}")
