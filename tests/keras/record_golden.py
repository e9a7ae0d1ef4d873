"""Store TensorFlow's results of tests/keras/programs.py in backend_golden.npz.

Run with TensorFlow installed (it is never a dependency): ``python -m tests.keras.record_golden``.
"""

from tests import oracle
from tests.keras.programs import PROGRAMS
from tests.keras.test_backend import GOLDEN, compute

if __name__ == "__main__":
    oracle.record(GOLDEN, list(PROGRAMS), compute)
