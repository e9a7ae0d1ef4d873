"""Top-level pieces TensorFlow code reaches for: ts.case, the name-scope and graph queries,
Variable aggregation/synchronization, tf.gradients' eager error, bitcast, fingerprint and the
approximate top-k family (values printed by TensorFlow 2.21, and compared live when it is
installed)."""

import io
import os
import pathlib
import unittest

import numpy as np
import pytest

import tensorshell as ts


def test_case():
    x = ts.constant(3)
    pairs = [(x < 2, lambda: ts.constant(1)), (x > 2, lambda: ts.constant(2))]
    assert int(ts.case(pairs, default=lambda: ts.constant(0))) == 2
    assert int(ts.case(pairs[:1], default=lambda: ts.constant(0))) == 0
    assert int(ts.case([(x > 1, lambda: 1), (x > 2, lambda: 2)])) == 1   # the first true
    with pytest.raises(ts.errors.InvalidArgumentError, match="None of conditions"):
        ts.case(pairs[:1])
    with pytest.raises(ts.errors.InvalidArgumentError, match="exclusive=True"):
        ts.case([(x > 1, lambda: 1), (x > 2, lambda: 2)], exclusive=True)
    with pytest.raises(TypeError, match="2-tuple"):
        ts.case([x > 1])


def test_framework_queries():
    assert ts.get_current_name_scope() == ""
    with ts.name_scope("a"):
        with ts.name_scope("b"):
            assert ts.get_current_name_scope() == "a/b"
    assert ts.inside_function() is False and ts.is_symbolic_tensor(ts.constant(1)) is False
    v = ts.Variable(1., aggregation=ts.VariableAggregation.MEAN,
                    synchronization=ts.VariableSynchronization.ON_WRITE)
    assert v.aggregation is ts.VariableAggregation.MEAN
    assert v.synchronization is ts.VariableSynchronization.ON_WRITE
    assert ts.Variable(1.).aggregation is ts.VariableAggregation.NONE
    with pytest.raises(RuntimeError, match="Use tf.GradientTape instead"):
        ts.gradients(ts.constant(1.), ts.constant(1.))
    with pytest.raises(RuntimeError, match="Use tf.GradientTape instead"):
        ts.hessians(ts.constant(1.), ts.constant(1.))
    with pytest.raises(RuntimeError, match="use ts.stack"):
        ts.parallel_stack([ts.constant(1)])
    assert ts.guarantee_const(ts.constant([1.])).numpy().tolist() == [1.]


def test_bitcast():
    assert ts.bitcast(ts.constant([1., 2.]), ts.int32).numpy().tolist() == \
        [1065353216, 1073741824]
    assert ts.bitcast(ts.constant([1., 2.]), ts.uint8).numpy().tolist() == \
        [[0, 0, 128, 63], [0, 0, 0, 64]]
    back = ts.bitcast(ts.constant([[1, 0, 0, 0], [0, 0, 128, 63]], ts.uint8), ts.float32)
    assert back.numpy().tolist() == [1.401298464324817e-45, 1.0]
    assert ts.bitcast(ts.constant([1 + 2j], ts.complex64), ts.float32).numpy().tolist() == \
        [[1., 2.]]
    with pytest.raises(ts.errors.InvalidArgumentError, match="Cannot bitcast from 1 to 4"):
        ts.bitcast(ts.constant([1, 0, 0], ts.uint8), ts.float32)


def test_fingerprint():
    assert ts.fingerprint(ts.constant([[1, 2], [3, 4]])).numpy().tolist() == [
        [76, 18, 253, 133, 168, 204, 240, 10], [254, 162, 60, 240, 103, 244, 53, 255]]
    assert ts.fingerprint(ts.constant(["hello", "world"])).numpy().tolist() == [
        [232, 12, 56, 49, 169, 229, 139, 180], [110, 180, 184, 94, 67, 84, 26, 228]]
    assert ts.fingerprint(ts.constant([["hello", "world"], ["a", "b"]])).numpy()[0].tolist() \
        == [203, 47, 4, 105, 115, 208, 56, 231]
    assert ts.fingerprint(ts.constant([True, False])).numpy()[0].tolist() == \
        [62, 88, 126, 177, 19, 76, 162, 71]
    with pytest.raises(ts.errors.InvalidArgumentError, match="at least one dimension"):
        ts.fingerprint(ts.constant(5))


def test_approx_top_k():
    x = ts.constant([[1., 5, 3], [9, 2, 4]])
    values, indices = ts.math.approx_max_k(x, 2)
    assert values.numpy().tolist() == [[5., 3.], [9., 4.]]
    assert indices.dtype is ts.int32 and indices.numpy().tolist() == [[1, 2], [0, 2]]
    values, indices = ts.math.approx_min_k(x, 1, reduction_dimension=0)
    assert values.numpy().tolist() == [[1., 2., 3.]] and indices.numpy().tolist() == [[0, 1, 0]]
    small = ts.approx_top_k(ts.constant(np.array([[1, 255, 0]], np.uint8)), 2, is_max_k=False)
    assert small.values.numpy().tolist() == [[0, 1]] and small.indices.numpy().tolist() == [[2, 0]]


@pytest.mark.tf_oracle
def test_against_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    for data in [rng.normal(size=(5, 3)).astype(np.float32), rng.integers(-9, 9, (4, 2, 3)),
                 np.array([[b"a", b"bc"], [b"", b"d"]], object), np.array([b"x", b"yz"], object),
                 rng.integers(0, 255, (3, 7)).astype(np.uint8)]:
        np.testing.assert_array_equal(ts.fingerprint(data), tf.fingerprint(data))
    for value, to in [(rng.normal(size=(3, 2)), "int32"), (rng.normal(size=(2,)), "uint16"),
                      (rng.integers(0, 9, (2, 4)).astype(np.int16), "int64")]:
        np.testing.assert_array_equal(ts.bitcast(value, to), tf.bitcast(value, to))
    x = rng.normal(size=(4, 9)).astype(np.float32)
    for k in (1, 3, 9):
        for ours, theirs in zip(ts.math.approx_max_k(x, k), tf.math.approx_max_k(x, k)):
            np.testing.assert_array_equal(ours, theirs)


def test_tf_test_version_and_keras_aliases():
    """What TensorFlow notebooks and test suites reach for: tf.test's GPU checks and
    TestCase assertions, tf.version, tf.losses/metrics/initializers (Keras's modules)."""
    import tensorshell as ts
    gpus = ts.config.list_logical_devices("GPU")
    assert ts.test.is_gpu_available() is bool(gpus)
    assert ts.test.gpu_device_name() == (gpus[0].name if gpus else "")
    assert ts.version.VERSION == ts.__version__
    assert ts.losses is ts.keras.losses and ts.metrics is ts.keras.metrics
    assert ts.initializers is ts.keras.initializers
    assert {"losses", "metrics", "initializers", "keras"} <= set(dir(ts))
    assert ts.AggregationMethod.DEFAULT == ts.AggregationMethod.ADD_N == 0

    class Case(ts.test.TestCase):
        def runTest(self):  # noqa: N802
            self.assertAllClose(ts.constant([1., 2.]), [1., 2. + 1e-7])
            self.assertAllEqual(ts.constant([[1, 2]]), np.array([[1, 2]]))
            self.assertNotAllClose(ts.constant([1.]), [2.])
            self.assertAllInRange(ts.constant([1, 2]), 1, 2)
            self.assertAllGreater(ts.constant([3, 4]), 2)
            self.assertDTypeEqual(ts.constant([1.]), np.float32)
            self.assertEqual(self.evaluate({"a": ts.constant(3)})["a"], 3)
            with self.assertRaises(AssertionError):
                self.assertAllEqual(ts.constant([1, 2]), [1, 3])
            with self.assertRaises(AssertionError):
                self.assertAllInRange(ts.constant([1, 5]), 0, 4)
            self.assertAllLess(ts.constant([1, 2]), 3)
            self.assertAllLessEqual(ts.constant([1, 2]), 2)
            self.assertAllGreaterEqual(ts.constant([1, 2]), 1)
            self.assertNotAllEqual(ts.constant([1, 2]), [1, 3])
            self.assertNotAllEqual(ts.constant([1, 2]), [1, 2, 3])     # shapes differ
            self.assertShapeEqual(np.zeros((2, 3)), ts.zeros((2, 3)))
            for bad in (lambda: self.assertAllLess(ts.constant([1, 3]), 3),
                        lambda: self.assertAllLessEqual(ts.constant([1, 3]), 2),
                        lambda: self.assertAllGreaterEqual(ts.constant([1, 2]), 2),
                        lambda: self.assertAllGreater(ts.constant([2, 3]), 2),
                        lambda: self.assertNotAllEqual(ts.constant([1, 2]), [1, 2]),
                        lambda: self.assertNotAllClose(ts.constant([1.]), [1.]),
                        lambda: self.assertShapeEqual(np.zeros((2, 3)), ts.zeros((3, 2))),
                        lambda: self.assertDTypeEqual(ts.constant([1]), np.float32)):
                with self.assertRaises(AssertionError):
                    bad()
    result = unittest.TextTestRunner(stream=io.StringIO()).run(Case())
    assert result.wasSuccessful(), result.failures


def test_how_tensorshell_was_built():
    import importlib.util
    import platform
    assert ts.test.is_built_with_cuda() is (importlib.util.find_spec("cupy") is not None)
    assert ts.test.is_built_with_gpu_support is ts.test.is_built_with_cuda
    assert ts.test.is_built_with_rocm() is False and ts.test.is_built_with_xla() is False
    machine = platform.machine().lower()
    on_x86, on_arm64 = machine in ("x86_64", "amd64"), machine in ("aarch64", "arm64")
    assert ts.test.is_cpu_target_available("x86") is on_x86
    assert ts.test.is_cpu_target_available("x86_64") is on_x86
    assert ts.test.is_cpu_target_available("aarch64") is on_arm64
    assert ts.test.is_cpu_target_available("s390x") is (machine == "s390x")
    with pytest.raises(ValueError, match="Unknown CPU target: 'mips'"):
        ts.test.is_cpu_target_available("mips")


def test_device_spec_compat_and_space_to_batch_paddings_as_tensorflows():
    """TensorFlow 2.21's results."""
    d = ts.DeviceSpec.from_string("/job:localhost/replica:0/task:0/device:GPU:1")
    assert (d.job, d.replica, d.task, d.device_type, d.device_index) == ("localhost", 0, 0,
                                                                         "GPU", 1)
    assert d.to_string() == "/job:localhost/replica:0/task:0/device:GPU:1"
    assert ts.DeviceSpec(device_type="cpu", device_index=0).to_string() == "/device:CPU:0"
    assert d.replace(device_type="CPU").to_string() == \
        "/job:localhost/replica:0/task:0/device:CPU:1"
    assert ts.DeviceSpec.from_string("/gpu:0").to_string() == "/device:GPU:0"
    assert ts.DeviceSpec.from_string("CPU:2").to_string() == "/device:CPU:2"
    assert ts.DeviceSpec().to_string() == ""
    assert d.make_merged_spec(ts.DeviceSpec(job="w")).to_string() == \
        "/job:w/replica:0/task:0/device:GPU:1"
    with pytest.raises(ValueError, match="Unknown attribute"):
        ts.DeviceSpec.from_string("/bogus:1")
    with ts.device(ts.DeviceSpec(device_type="CPU", device_index=0)):
        assert ts.constant(1.).device.endswith("CPU:0")
    assert ts.compat.as_bytes("a") == b"a" and ts.compat.as_text(b"b") == "b"
    assert ts.compat.as_str_any(b"x") == "x" and ts.compat.as_str_any(3) == "3"
    assert ts.compat.path_to_str(pathlib.PurePosixPath("/a/b")) == "/a/b"
    assert ts.compat.path_to_str(5) == 5
    with pytest.raises(UnicodeDecodeError):
        ts.compat.as_str_any(b"\xff")
    parsed = ts.DeviceSpec(job="w").parse_from_string("/gpu:1")   # a new spec, as TF's
    assert (parsed.job, parsed.device_type, parsed.device_index) == (None, "GPU", 1)
    with pytest.raises(ValueError, match="Unknown attribute: 'bogus:1'"):
        ts.DeviceSpec.from_string("/job:w/bogus:1")
    assert ts.compat.dimension_value(ts.TensorShape([3, None])[1]) is None
    assert ts.compat.dimension_at_index(ts.TensorShape([3, None]), 0) == 3
    assert ts.compat.forward_compatible(2020, 1, 1)
    with ts.compat.forward_compatibility_horizon(2019, 1, 1):
        assert not ts.compat.forward_compatible(2020, 1, 1)
    assert ts.compat.v2 is ts
    with pytest.raises(AttributeError, match="not offered"):
        ts.compat.v1
    paddings, crops = ts.required_space_to_batch_paddings([5, 7], [2, 3])
    assert paddings.numpy().tolist() == [[0, 1], [0, 2]] == crops.numpy().tolist()
    paddings, crops = ts.required_space_to_batch_paddings([5, 7], [2, 3], [[1, 0], [0, 2]])
    assert paddings.numpy().tolist() == [[1, 0], [0, 2]] and not crops.numpy().any()
    assert ts.types.experimental.TensorLike is not None


def test_registered_tensor_conversions():
    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y
    ts.register_tensor_conversion_function(
        Point, lambda p, dtype=None, name=None, as_ref=False: ts.constant([p.x, p.y]))
    assert (ts.constant(Point(1., 2.)) * 2).numpy().tolist() == [2., 4.]
    assert ts.add(Point(1, 2), 1).numpy().tolist() == [2, 3]
    with pytest.raises(TypeError, match="Cannot register"):
        ts.register_tensor_conversion_function(float, lambda *a, **k: None)
