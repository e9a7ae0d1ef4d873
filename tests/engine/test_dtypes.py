"""DTypes: names, attributes, equality, inference of Python and NumPy values."""

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine import dtypes as D


@pytest.mark.parametrize("d", D.ALL, ids=lambda d: d.name)
def test_dtype_equals_its_numpy_type_and_name(d):
    assert d == d.name
    assert ts.as_dtype(d.name) is d
    if not d.is_string:
        assert d == d.as_numpy_dtype
        assert d == np.dtype(d.as_numpy_dtype)
        assert ts.as_dtype(np.dtype(d.as_numpy_dtype)) is d
    assert hash(d) == hash(d.name)
    assert repr(d) == f"ts.{d.name}"


def test_attributes_match_tensorflow():
    assert ts.float32 == np.float32 and ts.float32 == "float32"
    assert ts.constant(1.).dtype == ts.float32
    assert ts.float16.is_floating and not ts.float16.is_integer
    assert ts.int8.is_integer and ts.int8.max == 127 and ts.int8.min == -128
    assert not ts.bool.is_integer and not ts.bool.is_floating
    assert ts.uint8.is_unsigned
    assert ts.float32.min == np.finfo(np.float32).min
    assert ts.float32.as_numpy_dtype is np.float32
    assert ts.complex64.is_complex and ts.complex64.real_dtype is ts.float32
    assert ts.float32 != ts.float64 and ts.float32 != "int32" and ts.float32 != 3
    assert ts.as_dtype(float) is ts.float32
    with pytest.raises(TypeError):
        ts.as_dtype("float33")


@pytest.mark.parametrize("value,dtype", [
    (1.5, ts.float32), (3, ts.int32), (2**31, ts.int64), (-2**31, ts.int32), (True, ts.bool),
    ("hi", ts.string), (b"hi", ts.string), (1 + 2j, ts.complex128), ([1, 2.5], ts.float32),
    ([[1, 2], [3, 4]], ts.int32), ([True, False], ts.bool), (["a", "b"], ts.string),
    (np.arange(3.0), ts.float64), (np.arange(3, dtype=np.int16), ts.int16),
    (np.float64(1.5), ts.float64), ([], ts.float32),
])
def test_inference(value, dtype):
    assert ts.constant(value).dtype is dtype


@pytest.mark.parametrize("value,message", [
    ([[1, 2], [3]], "non-rectangular"),
    ([1, "a"], "mixed types"),
    ([1, True], "mixed types"),
    (None, r"Attempt to convert a value \(None\)"),
    (2**63, "out-of-range integer"),
    ([1, 2**70], "out-of-range integer"),
    ([1, None], r"\(None\)"),
])
def test_inference_errors_use_tensorflow_wording(value, message):
    with pytest.raises(ValueError, match=message):
        ts.constant(value)


def test_constant_with_dtype_refuses_data_loss():
    with pytest.raises(ValueError, match="int8"):
        ts.constant(300, dtype=ts.int8)
    with pytest.raises(TypeError, match="Cannot convert 1.5"):
        ts.constant(1.5, dtype=ts.int32)
    with pytest.raises(TypeError):
        ts.constant([1.5], dtype=ts.int32)
    with pytest.raises(ValueError):
        ts.constant(np.array([1e10]), dtype=ts.float16)
    assert ts.constant(1, dtype=ts.float32).numpy() == np.float32(1)
    assert ts.constant(np.array([1.0, 2.0]), dtype=ts.int32).dtype is ts.int32
    assert ts.constant(0.1, dtype=ts.float16).dtype is ts.float16  # rounding is not loss


def test_constant_shape():
    assert ts.constant(1, shape=(2, 2)).numpy().tolist() == [[1, 1], [1, 1]]
    assert ts.constant([1, 2, 3], shape=(3, 1)).shape == (3, 1)
    with pytest.raises(TypeError, match="3 elements"):
        ts.constant([1, 2, 3], shape=(2, 2))
