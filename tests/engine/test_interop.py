"""NumPy interop both ways, and the namespaces and aliases of the API."""

import numpy as np

import tensorshell as ts


def test_numpy_functions_on_tensors_return_ndarrays():
    t = ts.constant([1., 2.])
    r = np.square(t)
    assert isinstance(r, np.ndarray) and r.dtype == np.float32
    assert np.asarray(t).dtype == np.float32
    assert np.from_dlpack is not None  # DLPack arrives with the device layer


def test_tensorshell_ops_on_ndarrays_keep_their_dtype():
    r = ts.square(np.array([2., 4.]))
    assert isinstance(r, ts.Tensor) and r.dtype is ts.float64
    assert ts.add(np.array([1], np.int16), np.array([2], np.int16)).dtype is ts.int16


def test_ndarray_plus_tensor_is_a_tensor():
    r = np.array([1., 2.], np.float32) + ts.constant([1., 2.])
    assert isinstance(r, ts.Tensor)
    r = np.array([1., 2.], np.float32) * ts.Variable([1., 2.])
    assert isinstance(r, ts.Tensor)


def test_tensor_never_aliases_its_source_array():
    a = np.array([1., 2.])
    t = ts.constant(a)
    a[0] = 99
    assert t.numpy()[0] == 1
    u = ts.convert_to_tensor(a)
    a[1] = 99
    assert u.numpy()[1] == 2


def test_aliases_are_the_same_objects():
    assert ts.add is ts.math.add
    assert ts.matmul is ts.linalg.matmul
    assert ts.reduce_sum is ts.math.reduce_sum
    assert ts.sigmoid is ts.nn.sigmoid is ts.math.sigmoid
    assert ts.nn.softmax is ts.math.softmax
    assert ts.eye is ts.linalg.eye
    assert ts.math.mod is ts.math.floormod
    assert not hasattr(ts, "log") and callable(ts.math.log)
    assert ts.keras.optimizers is ts.optimizers and ts.keras.backend.square(2.).numpy() == 4.
    for module in (ts.math, ts.linalg, ts.random, ts.errors, ts.config, ts.nn, ts.bitwise):
        assert module.__name__.startswith("tensorshell.")


def test_cast_converts_explicitly():
    assert ts.cast(ts.constant([1.7, -1.7]), ts.int32).numpy().tolist() == [1, -1]
    assert ts.cast(ts.constant([0, 2]), ts.bool).numpy().tolist() == [False, True]
    assert ts.cast(ts.constant([1 + 2j]), ts.float32).numpy().tolist() == [1.0]
    assert ts.cast(ts.constant(1.), "float64").dtype is ts.float64
