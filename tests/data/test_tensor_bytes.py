"""ts.io.serialize_tensor / parse_tensor (TensorFlow's TensorProto, byte for byte), decode_raw,
web-safe base64 and decode_compressed. The literals were printed by TensorFlow 2.21."""

from __future__ import annotations

import gzip
import os
import zlib

import numpy as np
import pytest

import tensorshell as ts

SERIALIZED = [
    (np.array([1., 2.], np.float32),
     b'\x08\x01\x12\x04\x12\x02\x08\x02"\x08\x00\x00\x80?\x00\x00\x00@'),
    (np.int32(3), b'\x08\x03\x12\x00"\x04\x03\x00\x00\x00'),
    (np.array([[True, False]]), b'\x08\n\x12\x08\x12\x02\x08\x01\x12\x02\x08\x02"\x02\x01\x00'),
    (np.array([b"ab", b""], object), b'\x08\x07\x12\x04\x12\x02\x08\x02B\x02abB\x00'),
    (np.array(b"x", object), b'\x08\x07\x12\x00B\x01x'),
    (np.zeros([0], np.float64), b'\x08\x02\x12\x02\x12\x00'),
    (np.array([1 + 2j], np.complex64),
     b'\x08\x08\x12\x04\x12\x02\x08\x01"\x08\x00\x00\x80?\x00\x00\x00@'),
    (np.float16(1.5), b'\x08\x13\x12\x00"\x02\x00>'),
    (np.zeros([2, 0], np.float32), b'\x08\x01\x12\x06\x12\x02\x08\x02\x12\x00'),
]


@pytest.mark.parametrize("value, proto", SERIALIZED)
def test_serialize_tensor_is_tensorflows_and_parses_back(value, proto):
    t = ts.constant(value)
    assert ts.io.serialize_tensor(t).numpy() == proto
    back = ts.io.parse_tensor(proto, t.dtype)
    assert back.dtype is t.dtype and tuple(back.shape) == np.shape(value)
    np.testing.assert_array_equal(np.asarray(back.numpy(), dtype=np.asarray(value).dtype),
                                  value)


def test_parse_tensor_reads_value_lists_and_rejects_bad_input():
    # TensorProtos with float_val / int64_val (as make_tensor_proto writes small constants):
    # dtype 1, shape [2, 2], float_val [1.5] - the last value repeats
    proto = b"\x08\x01\x12\x08\x12\x02\x08\x02\x12\x02\x08\x02*\x04\x00\x00\xc0?"
    np.testing.assert_array_equal(ts.io.parse_tensor(proto, ts.float32), [[1.5] * 2] * 2)
    proto = b"\x08\t\x12\x04\x12\x02\x08\x03R\x0c\x01\xfe" + b"\xff" * 8 + b"\x01\x03"
    np.testing.assert_array_equal(ts.io.parse_tensor(proto, ts.int64), [1, -2, 3])
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"Type mismatch .*\(float32\) "
                       r"and dtype \(int32\)"):
        ts.io.parse_tensor(SERIALIZED[0][1], ts.int32)
    with pytest.raises(ts.errors.InvalidArgumentError, match="Could not parse"):
        ts.io.parse_tensor(b"garbage\xff", ts.int32)


def test_decode_raw():
    np.testing.assert_array_equal(
        ts.io.decode_raw(np.array([b"\x01\x00\x02\x00", b"\x03\x00\x04\x00"], object),
                         ts.int16), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(
        ts.io.decode_raw(b"\x00\x01\x00\x02", ts.int16, little_endian=False), [1, 2])
    np.testing.assert_array_equal(
        ts.io.decode_raw(np.array([b"ab", b"c"], object), ts.uint8, fixed_length=4),
        [[97, 98, 0, 0], [99, 0, 0, 0]])
    with pytest.raises(ts.errors.InvalidArgumentError, match="element 1 has size 1 != 2"):
        ts.io.decode_raw(np.array([b"ab", b"c"], object), ts.uint8)
    with pytest.raises(ts.errors.InvalidArgumentError, match="not a multiple of 2"):
        ts.io.decode_raw(b"abc", ts.int16)
    with pytest.raises(ts.errors.InvalidArgumentError, match="takes a string tensor"):
        ts.io.decode_raw([1, 2], ts.int16)


@pytest.mark.parametrize("raw, unpadded", [(b"hello?>", b"aGVsbG8_Pg"), (b"\xff\xfe", b"__4"),
                                           (b"", b""), (b"a", b"YQ")])
def test_base64_is_web_safe(raw, unpadded):
    assert ts.io.encode_base64(np.array(raw, object)).numpy() == unpadded
    padded = ts.io.encode_base64(np.array(raw, object), pad=True).numpy()
    assert padded.rstrip(b"=") == unpadded and len(padded) % 4 == 0
    for text in (unpadded, padded):
        assert ts.io.decode_base64(np.array(text, object)).numpy() == raw


@pytest.mark.parametrize("text", [b"aGVsbG8_Pg=", b"a+b/", b"a", b"ab=", b"====", b"ab c"])
def test_bad_base64_raises(text):
    with pytest.raises(ts.errors.InvalidArgumentError, match="Invalid character"):
        ts.io.decode_base64(np.array(text, object))


def test_decode_compressed():
    data = np.array([zlib.compress(b"abc"), zlib.compress(b"")], object)
    assert ts.io.decode_compressed(data, "ZLIB").numpy().tolist() == [b"abc", b""]
    assert ts.io.decode_compressed(np.array(gzip.compress(b"xy"), object), "GZIP").numpy() \
        == b"xy"
    assert ts.io.decode_compressed(np.array(b"raw", object)).numpy() == b"raw"
    with pytest.raises(ts.errors.DataLossError, match="does not inflate as ZLIB"):
        ts.io.decode_compressed(np.array(b"raw", object), "ZLIB")


@pytest.mark.tf_oracle
def test_against_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    from tensorflow.python.framework import tensor_util
    for value in [np.array([1, 2 ** 64 - 1], np.uint64), np.array([-5, 7], np.int8),
                  np.arange(6, dtype=np.int64).reshape(2, 3), np.array([1j], np.complex128)]:
        assert ts.io.serialize_tensor(ts.constant(value)).numpy() == \
            tf.io.serialize_tensor(tf.constant(value)).numpy()
    for value, dtype in [([1.5], tf.float32), (7, tf.int32), ([1, -2, 3], tf.int64),
                         ([True, False], tf.bool), ([1 + 1j, 2 - 1j], tf.complex128),
                         ([0.5, 0.25], tf.float16), (np.int32(-9), tf.int32)]:
        proto = tensor_util.make_tensor_proto(value, dtype=dtype).SerializeToString()
        np.testing.assert_array_equal(ts.io.parse_tensor(proto, dtype.name),
                                      tf.io.parse_tensor(proto, dtype))


def test_sparse_tensors_as_strings_as_tensorflow_writes_them():
    """TensorFlow 2.21's bytes: three serialized TensorProtos per SparseTensor (or row)."""
    st = ts.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 4])
    parts = ts.io.serialize_sparse(st).numpy().tolist()
    assert parts[1] == b'\x08\x01\x12\x04\x12\x02\x08\x02"\x08\x00\x00\xc0?\x00\x00 @'
    assert parts[2] == b'\x08\t\x12\x04\x12\x02\x08\x02"\x10' + (3).to_bytes(8, "little") + \
        (4).to_bytes(8, "little")
    many = ts.io.serialize_many_sparse(ts.SparseTensor([[0, 1], [2, 0], [2, 3]], [1, 2, 3],
                                                       [3, 4]))
    assert many.shape == (3, 3)
    assert many.numpy()[0].tolist() == [b'\x08\t\x12\x08\x12\x02\x08\x01\x12\x02\x08\x01"\x08'
                                        + (1).to_bytes(8, "little"),
                                        b'\x08\x03\x12\x04\x12\x02\x08\x01"\x04\x01\x00\x00\x00',
                                        b'\x08\t\x12\x04\x12\x02\x08\x01"\x08'
                                        + (4).to_bytes(8, "little")]
    back = ts.io.deserialize_many_sparse(many, ts.int32)
    assert back.indices.numpy().tolist() == [[0, 1], [2, 0], [2, 3]]
    assert back.values.numpy().tolist() == [1, 2, 3] and back.dense_shape.numpy().tolist() \
        == [3, 4]
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"\[rows, 3\]"):
        ts.io.deserialize_many_sparse(ts.io.serialize_sparse(st), ts.float32)


def test_matching_files(tmp_path):
    for name in ("b.txt", "a.txt", "c.csv"):
        (tmp_path / name).write_text("")
    found = ts.io.matching_files(str(tmp_path / "*.txt")).numpy().tolist()
    assert [p.decode().rsplit("/", 1)[1] for p in found] == ["a.txt", "b.txt"]
    both = ts.io.matching_files([str(tmp_path / "*.txt"), str(tmp_path / "*.csv")])
    assert [p.decode().rsplit("/", 1)[1] for p in both.numpy()] == ["a.txt", "b.txt", "c.csv"]
    assert ts.io.matching_files(str(tmp_path / "none*")).shape == (0,)
