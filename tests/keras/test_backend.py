"""ts.keras.backend gives tf.keras.backend's results: every program in programs.py is
compared with TensorFlow's output (live when TensorFlow is installed, else as recorded in
backend_golden.npz by record_golden.py), values, dtypes and shapes; plus Keras' settings,
errors, and the chapter's use of ``K``."""

import os

import numpy as np
import pytest

import tensorshell as ts
from tests import oracle
from tests.keras.programs import PROGRAMS, X

K = ts.keras.backend
GOLDEN = os.path.join(os.path.dirname(__file__), "backend_golden.npz")


def as_arrays(results):
    return [np.asarray("None" if r is None else r.numpy() if hasattr(r, "numpy") else r)
            for r in results]                     # "None": no gradient


def compute(lib, name):
    lib.random.set_seed(None)      # no global seed left by an earlier test (TensorFlow's too)
    return as_arrays(PROGRAMS[name](lib.keras.backend, lib))


@pytest.fixture(scope="module")
def expected():
    return oracle.expected(GOLDEN, compute)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_results_as_tensorflows_keras_backend(name, expected):
    theirs = expected(name)
    ours = compute(ts, name)
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a.shape == b.shape, f"result {i}: shape {a.shape} != {b.shape}"
        assert a.dtype == b.dtype, f"result {i}: dtype {a.dtype} != {b.dtype}"
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5, err_msg=f"result {i}")
        else:
            np.testing.assert_array_equal(a, b, err_msg=f"result {i}")


def test_every_name_is_callable():
    # that the names are TensorFlow's own is the "names" program's comparison
    assert all(callable(getattr(K, n)) for n in K.__all__)


def test_the_chapters_K():
    t = ts.constant([[1., 2., 3.], [4., 5., 6.]])
    assert ts.keras.backend is K
    np.testing.assert_array_equal((K.square(K.transpose(t)) + 10).numpy(),
                                  [[11., 26.], [14., 35.], [19., 46.]])


@pytest.fixture
def keras_settings():
    yield
    K.set_floatx("float32")
    K.set_epsilon(1e-7)
    K.set_image_data_format("channels_last")
    K.clear_session()


def test_settings_drive_the_defaults(keras_settings):
    assert (K.floatx(), K.epsilon(), K.image_data_format(), K.backend()) == \
        ("float32", 1e-7, "channels_last", "tensorflow")
    K.set_floatx("float64")
    assert K.constant([1, 2]).dtype is ts.float64 and K.variable(1).dtype is ts.float64
    assert K.zeros((2,)).dtype is ts.float64 and K.random_normal((2,), seed=1).dtype \
        is ts.float64
    assert K.mean(ts.constant([True, False])).dtype is ts.float64
    assert K.result_type("int8", int) == "int8" and K.result_type(float) == "float64"
    K.set_epsilon(0.1)    # clips the probabilities to [0.1, 0.9]
    np.testing.assert_allclose(K.binary_crossentropy(ts.constant([1.], ts.float64),
                                                     ts.constant([1.], ts.float64)).numpy(),
                               [-np.log(1.0)], atol=0.11)
    K.set_image_data_format("channels_first")
    img = ts.ones((1, 3, 4, 5))
    assert K.pool2d(img, (2, 2), (2, 2)).shape == (1, 3, 2, 2)
    assert K.conv2d(img, ts.ones((2, 2, 3, 6))).shape == (1, 6, 3, 4)
    assert [K.get_uid("dense"), K.get_uid("dense"), K.get_uid("conv")] == [1, 2, 1]
    K.clear_session()
    assert K.get_uid("dense") == 1


@pytest.mark.parametrize("call, error, match", [
    (lambda: K.set_floatx("int32"), ValueError, "Unknown `floatx` value: int32"),
    (lambda: K.set_image_data_format("NHWC"), ValueError, "must be one of"),
    (lambda: K.standardize_dtype("float128"), ValueError, "Invalid dtype: float128"),
    (lambda: K.result_type("float8_e5m2", "float32"), ValueError, "no implicit conversions"),
    (lambda: K.gradients(ts.constant(1.), []), RuntimeError, "ts.GradientTape"),
    (lambda: K.softmax(ts.constant([1., 2.])), ValueError, "1D"),
    (lambda: K.repeat(ts.ones((2, 3, 4)), 2), ValueError, "rank 2"),
    (lambda: K.batch_dot(ts.ones((2, 3)), ts.ones((3, 3))), ValueError,
     "different batch sizes"),
    (lambda: K.batch_dot(ts.ones((2, 3)), ts.ones((2, 3)), axes=0), ValueError, "axis 0"),
    (lambda: K.batch_dot(ts.ones((2, 3)), ts.ones((2, 4)), axes=1), ValueError,
     r"x.shape\[1\] != y.shape\[1\] \(3 != 4\)"),
    (lambda: K.batch_dot(ts.ones((2,)), ts.ones((2, 4))), ValueError, "rank < 2"),
    (lambda: K.conv2d(ts.ones((1, 4, 4, 1)), ts.ones((2, 2, 1, 1)), padding="full"),
     ValueError, "Invalid padding: full"),
    (lambda: K.pool2d(ts.ones((1, 4, 4, 1)), (2, 2), pool_mode="min"), ValueError,
     "Invalid pooling mode: min"),
    (lambda: K.pool2d(ts.ones((1, 4, 4, 1)), (2, 2), data_format="NHWC"), ValueError,
     "Unknown data_format: NHWC"),
    (lambda: K.resize_images(ts.ones((1, 4, 4, 1)), 2, 2, "channels_last", "cubic"),
     ValueError, '"bicubic".*Received: "cubic"'),
    (lambda: K.spatial_2d_padding(ts.ones((1, 4, 4, 1)), (1, 1)), ValueError,
     "tuple of 2 tuples"),
    (lambda: K.switch(ts.ones((2, 2, 2)) > 0, ts.ones((2, 2)), ts.ones((2, 2))), ValueError,
     "Rank of `condition`"),
    (lambda: K.categorical_crossentropy(ts.ones((2, 3)), ts.ones((2, 4))), ValueError,
     r"Shapes \(2, 3\) and \(2, 4\) are incompatible"),
    (lambda: K.rnn(lambda x, s: (x, s), ts.ones((2, 3)), [ts.ones((2,))]), ValueError,
     "must have rank at least 3"),
    (lambda: K.constant([1.5], "int32"), TypeError, "floats do not become integers"),
    (lambda: K.mean(ts.constant([1, 2])) + ts.constant(1.), ts.errors.InvalidArgumentError,
     "never converts implicitly"),
])
def test_bad_arguments_explain_themselves(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_variables_and_gradients():
    v = K.variable(X)
    assert isinstance(v, ts.Variable) and v.dtype is ts.float32
    with ts.GradientTape() as tape:
        loss = K.mean(K.square(K.relu(v) - 1.0))
    g = tape.gradient(loss, v).numpy()
    np.testing.assert_allclose(g, np.where(X > 0, 2 * (np.maximum(X, 0) - 1) / X.size, 0),
                               rtol=1e-6)
    assert K.stop_gradient([v, v])[0].shape == v.shape
    d = K.dropout(ts.ones((1000,)), 0.5, seed=1).numpy()
    assert set(np.unique(d)) == {0.0, 2.0} and 400 < (d == 0).sum() < 600
    with K.name_scope("block"):
        assert K.sum(v).shape == ()


def test_runs_on_each_device(device):
    x = K.constant(X)
    assert x.device.lower().endswith(device.strip("/").lower())
    assert K.softmax(x).device == K.zeros((2, 2)).device == K.random_normal((2,)).device \
        == x.device


def test_sparse_and_ragged_inputs():
    sp = ts.sparse.from_dense(ts.constant([[0., 2.], [3., 0.]]))
    assert K.is_sparse(sp) and not K.is_sparse(ts.ones((2,)))
    np.testing.assert_array_equal(K.to_dense(sp).numpy(), [[0., 2.], [3., 0.]])
    np.testing.assert_array_equal(K.eval(sp), [[0., 2.], [3., 0.]])
    np.testing.assert_array_equal(K.dot(sp, ts.eye(2)).numpy(), [[0., 2.], [3., 0.]])
    joined = K.concatenate([sp, sp], axis=0)
    assert isinstance(joined, ts.SparseTensor) and joined.shape == (4, 2)
    r = ts.ragged.constant([[1, 2], [3]])
    assert K.concatenate([r, r], axis=0).to_list() == [[1, 2], [3], [1, 2], [3]]


def test_keras_is_imported_on_first_use_and_says_what_it_does_not_cover():
    import subprocess
    import sys
    code = ("import sys, tensorshell as tf; assert 'tensorshell.keras' not in sys.modules; "
            "K = tf.keras.backend; print(K.floatx())")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout == "float32\n"
    with pytest.raises(AttributeError, match="ts.keras.layers is not part of tensorshell"):
        ts.keras.layers
    with pytest.raises(AttributeError, match="has no attribute 'nonsense'"):
        ts.keras.nonsense
    with pytest.raises(AttributeError, match="has no attribute 'reduce_summ'") as info:
        ts.reduce_summ
    assert info.value.name == "reduce_summ" and info.value.obj is ts
