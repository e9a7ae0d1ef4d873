"""TFRecord files and tf.train.Example records: written and read back with their
checksums and compression, parsed by feature specs, and (with TensorFlow installed)
exchanged with TensorFlow in both directions."""

import os

import numpy as np
import pytest

import tensorshell as ts


def _example(lib, i):
    return lib.train.Example(features=lib.train.Features(feature={
        "x": lib.train.Feature(float_list=lib.train.FloatList(value=[i * 1.5, -2.25])),
        "id": lib.train.Feature(int64_list=lib.train.Int64List(value=[i, -i, 2**40])),
        "name": lib.train.Feature(bytes_list=lib.train.BytesList(
            value=[f"n{i}".encode()] * (i % 3))),
        "pairs": lib.train.Feature(float_list=lib.train.FloatList(value=[1., 2.] * i)),
    }))


SPEC = {"x": ("FixedLenFeature", [2], "float32"), "id": ("VarLenFeature", "int64"),
        "name": ("RaggedFeature", "string"),
        "missing": ("FixedLenFeature", [1], "int64", [7]),
        "pairs": ("FixedLenSequenceFeature", [2], "float32", True)}


def _spec(lib):
    out = {}
    for key, (kind, *args) in SPEC.items():
        cls = getattr(lib.io, kind)
        if kind == "FixedLenFeature":
            out[key] = cls(args[0], getattr(lib, args[1]), *args[2:])
        elif kind == "FixedLenSequenceFeature":
            out[key] = cls(args[0], getattr(lib, args[1]), allow_missing=args[2])
        else:
            out[key] = cls(getattr(lib, args[0]))
    return out


def _write(lib, path, compression):
    with lib.io.TFRecordWriter(path, compression) as writer:
        for i in range(4):
            writer.write(_example(lib, i).SerializeToString())


def _parsed(lib, path, compression):
    records = [r for r in lib.data.TFRecordDataset(path, compression_type=compression)]
    batch = lib.io.parse_example(lib.stack(records), _spec(lib))
    single = lib.io.parse_single_example(records[2], _spec(lib))
    return {"x": batch["x"].numpy().tolist(), "id": batch["id"].values.numpy().tolist(),
            "id_idx": batch["id"].indices.numpy().tolist(),
            "name": [list(r) for r in batch["name"].to_list()],
            "missing": batch["missing"].numpy().tolist(),
            "pairs": batch["pairs"].numpy().tolist(),
            "single_x": single["x"].numpy().tolist(),
            "single_id": single["id"].values.numpy().tolist(),
            "single_pairs": single["pairs"].numpy().tolist()}


@pytest.mark.parametrize("compression", [None, "GZIP", "ZLIB"])
def test_round_trip(tmp_path, compression):
    path = str(tmp_path / "data.tfrecord")
    _write(ts, path, compression)
    got = _parsed(ts, path, compression)
    assert got["x"] == [[0.0, -2.25], [1.5, -2.25], [3.0, -2.25], [4.5, -2.25]]
    assert got["id"][:4] == [0, 0, 2**40, 1] and got["id_idx"][:3] == [[0, 0], [0, 1], [0, 2]]
    assert got["name"] == [[], [b"n1"], [b"n2", b"n2"], []]
    assert got["missing"] == [[7]] * 4 and got["single_id"] == [2, -2, 2**40]
    assert np.array(got["pairs"]).shape == (4, 3, 2) and got["single_pairs"] == [[1., 2.]] * 2


def test_examples_serialize_as_protobuf_does():
    ex = _example(ts, 2)
    data = ex.SerializeToString()
    assert ts.train.Example.FromString(data) == ex
    assert ts.train.Example.FromString(b"").features.feature == {}
    f = ex.features.feature["id"]
    assert f.WhichOneof("kind") == "int64_list" and f.float_list.value == []


def test_crc32c_check_values():
    from tensorshell import io
    assert io.crc32c(b"123456789") == io.crc32c_reference(b"123456789") == 0xE3069283
    data = bytes(range(256)) * 40
    assert io.crc32c(data) == io.crc32c_reference(data) and io.crc32c(b"") == 0


def test_corrupt_and_missing_files(tmp_path):
    path = tmp_path / "bad.tfrecord"
    _write(ts, str(path), None)
    raw = bytearray(path.read_bytes())
    raw[20] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(ts.errors.DataLossError, match="corrupted record"):
        list(ts.data.TFRecordDataset(str(path)))
    path.write_bytes(bytes(raw[:30]))
    with pytest.raises(ts.errors.DataLossError):
        list(ts.data.TFRecordDataset(str(path)))
    with pytest.raises(ts.errors.NotFoundError):
        list(ts.data.TFRecordDataset(str(tmp_path / "nope.tfrecord")))


def test_parse_refusals_in_tensorflows_words():
    record = [_example(ts, 1).SerializeToString()]
    with pytest.raises(ts.errors.InvalidArgumentError, match="Number of float values"):
        ts.io.parse_example(record, {"x": ts.io.FixedLenFeature([3], ts.float32)})
    with pytest.raises(ts.errors.InvalidArgumentError, match="required but could not"):
        ts.io.parse_example(record, {"nope": ts.io.FixedLenFeature([1], ts.float32)})
    with pytest.raises(ts.errors.InvalidArgumentError, match="Data types don't match"):
        ts.io.parse_example(record, {"x": ts.io.FixedLenFeature([2], ts.int64)})


@pytest.mark.tf_oracle
@pytest.mark.parametrize("compression", [None, "GZIP", "ZLIB"])
def test_files_exchange_with_tensorflow(tmp_path, compression):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    ours, theirs = str(tmp_path / "ours.tfrecord"), str(tmp_path / "theirs.tfrecord")
    _write(ts, ours, compression)
    _write(tf, theirs, compression)
    want = _parsed(tf, theirs, compression)
    assert _parsed(ts, theirs, compression) == want   # TensorFlow's file, read here
    assert _parsed(tf, ours, compression) == want     # this file, read by TensorFlow
    # the same messages (map entries may come in another order: protobuf leaves it open)
    assert ts.train.Example.FromString(_example(tf, 3).SerializeToString()) == _example(ts, 3)
    assert tf.train.Example.FromString(_example(ts, 3).SerializeToString()) == _example(tf, 3)


def test_compression_options():
    assert ts.io.TFRecordOptions.get_compression_type_string(None) == ""
    assert ts.io.TFRecordOptions.get_compression_type_string("gzip") == "GZIP"
    assert ts.io.TFRecordOptions.get_compression_type_string(
        ts.io.TFRecordOptions("ZLIB", compression_level=9)) == "ZLIB"
    with pytest.raises(ValueError, match="compression_type"):
        ts.io.TFRecordOptions("LZ4")
