"""``ts.version``: the version strings TensorFlow code reads (``tf.version.VERSION``)."""

VERSION = "0.1.0"
GIT_VERSION = "unknown"
COMPILER_VERSION = "none (Python, NumPy and CuPy kernels)"
GRAPH_DEF_VERSION = 0
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

__all__ = ["COMPILER_VERSION", "GIT_VERSION", "GRAPH_DEF_VERSION",
           "GRAPH_DEF_VERSION_MIN_CONSUMER", "GRAPH_DEF_VERSION_MIN_PRODUCER", "VERSION"]
