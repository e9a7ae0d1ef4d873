"""``ts.test``: TensorFlow's ``tf.test`` helpers - is a GPU there (``is_gpu_available``,
``gpu_device_name``), how tensorshell was built, and a ``TestCase`` with TensorFlow's
tensor assertions (``assertAllClose``, ``assertAllEqual`` ...) for tests written against
``tf.test.TestCase``.

>>> ts.test.is_gpu_available(), ts.test.gpu_device_name()    # (False, '') without a GPU
"""

from __future__ import annotations

import unittest

import numpy as np

__all__ = ["TestCase", "gpu_device_name", "is_built_with_cuda", "is_built_with_gpu_support",
           "is_built_with_rocm", "is_built_with_xla", "is_cpu_target_available",
           "is_gpu_available", "main"]


def _gpus():
    from .config import list_logical_devices
    return list_logical_devices("GPU")


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None) -> bool:
    """Whether a GPU is there to use (CuPy finds one)."""
    return bool(_gpus())


def gpu_device_name() -> str:
    """The first GPU's name (``/device:GPU:0``), or "" without one."""
    gpus = _gpus()
    return gpus[0].name if gpus else ""


def is_built_with_cuda() -> bool:
    """Whether the CUDA kernels can run: CuPy (the GPU extra) is installed."""
    import importlib.util
    return importlib.util.find_spec("cupy") is not None


is_built_with_gpu_support = is_built_with_cuda


def is_built_with_rocm() -> bool:
    return False


def is_built_with_xla() -> bool:
    return False


_CPU_TARGETS = (("aarch64", ("aarch64", "arm64")), ("arm", ("armv7l", "armv6l", "arm")),
                ("ppc", ("ppc64le", "ppc64")), ("powerpc", ("ppc64le", "ppc64")),
                ("x86", ("x86_64", "amd64", "i386", "i686")), ("s390x", ("s390x",)))


def is_cpu_target_available(cpu) -> bool:
    """Whether this machine's processor is of the family ``cpu`` names ("x86", "aarch64",
    "arm", "ppc"/"powerpc" or "s390x", as TensorFlow's names go)."""
    import platform
    for prefix, machines in _CPU_TARGETS:
        if cpu.startswith(prefix):
            return platform.machine().lower() in machines
    raise ValueError(f"Unknown CPU target: {cpu!r} (one of x86, aarch64, arm, ppc, powerpc, "
                     f"s390x)")


def main(argv=None):
    """Run the tests of ``__main__`` (unittest's runner, as TensorFlow's ``tf.test.main``)."""
    unittest.main(argv=argv)


def _array(value):
    if hasattr(value, "to_list") and hasattr(value, "flat_values"):     # ragged
        return np.asarray(value.to_list(), dtype=object)
    if hasattr(value, "numpy"):
        return np.asarray(value.numpy())
    return np.asarray(value)


class TestCase(unittest.TestCase):
    """``unittest.TestCase`` with TensorFlow's tensor assertions; tensors, Variables, NumPy
    arrays and nested lists compare by value."""

    def evaluate(self, tensors):
        """The values of ``tensors`` (a structure) as NumPy arrays, as in eager TensorFlow."""
        from .nest import map_structure
        return map_structure(lambda t: _array(t) if hasattr(t, "numpy") else t, tensors)

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        a, b = _array(a), _array(b)
        if a.dtype == np.float16 or b.dtype == np.float16:
            rtol, atol = max(rtol, 1e-3), max(atol, 1e-3)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=msg or "")

    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        a, b = _array(a), _array(b)
        self.assertEqual(a.shape, b.shape, msg)
        np.testing.assert_array_equal(a, b, err_msg=msg or "")

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol)
        except AssertionError:
            return
        raise AssertionError(msg or "The two values are close at all elements")

    def assertNotAllEqual(self, a, b, msg=None):  # noqa: N802
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError(msg or "The two values are equal at all elements")

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        self.assertGreater(_array(a).min(), comparison_target)

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        self.assertLess(_array(a).max(), comparison_target)

    def assertAllGreaterEqual(self, a, comparison_target):  # noqa: N802
        self.assertGreaterEqual(_array(a).min(), comparison_target)

    def assertAllLessEqual(self, a, comparison_target):  # noqa: N802
        self.assertLessEqual(_array(a).max(), comparison_target)

    def assertAllInRange(self, target, lower_bound, upper_bound, open_lower_bound=False,  # noqa: N802,E501
                         open_upper_bound=False):
        t = _array(target)
        low = t > lower_bound if open_lower_bound else t >= lower_bound
        high = t < upper_bound if open_upper_bound else t <= upper_bound
        if not (low & high).all():
            raise AssertionError(f"{int((~(low & high)).sum())} of {t.size} elements are "
                                 f"outside [{lower_bound}, {upper_bound}]")

    def assertShapeEqual(self, input_a, input_b, msg=None):  # noqa: N802
        self.assertEqual(tuple(_array(input_a).shape), tuple(input_b.shape), msg)

    def assertDTypeEqual(self, target, expected_dtype):  # noqa: N802
        from .engine import dtypes
        self.assertIs(dtypes.as_dtype(target.dtype), dtypes.as_dtype(expected_dtype))


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
