"""Store TensorFlow's results of tests/keras/programs.py in backend_golden.npz.

Run with TensorFlow installed (it is never a dependency): ``python tests/keras/record_golden.py``.
"""

import os
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

import tensorflow as tf  # noqa: E402

from tests.keras.programs import PROGRAMS  # noqa: E402
from tests.keras.test_backend import as_arrays  # noqa: E402


def main():
    golden = {}
    for name, program in PROGRAMS.items():
        for i, a in enumerate(as_arrays(program(tf.keras.backend, tf))):
            golden[f"{name}/{i}"] = a
    path = os.path.join(os.path.dirname(__file__), "backend_golden.npz")
    np.savez_compressed(path, **golden)
    print(f"{len(golden)} arrays from {len(PROGRAMS)} programs -> {path}")


if __name__ == "__main__":
    main()
