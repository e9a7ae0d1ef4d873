"""Dataset.save / Dataset.load in TensorFlow's snapshot format: round trips here, files
byte-identical to TensorFlow's (tf_saved/ holds directories TensorFlow 2.21 wrote), and,
with TensorFlow installed, each library reading what the other wrote."""

import collections
import os
import pathlib
import shutil

import numpy as np
import pytest

import tensorshell as ts

TF_SAVED = pathlib.Path(__file__).with_name("tf_saved")
Pair = collections.namedtuple("Pair", ["x", "y"])


def _files(path):
    """The saved files by their place in the layout (the run id folder's name aside)."""
    out = {}
    for root, _, names in os.walk(path):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), path).split(os.sep)
            key = "/".join(rel[1:]) if len(rel) > 1 else rel[0]
            out[key] = pathlib.Path(root, name).read_bytes()
    return out


def _plain_dataset():
    return ts.data.Dataset.from_tensor_slices(({"a": [1, 2, 3]}, ["x", "y", "z"]))


def test_reads_what_tensorflow_saved():
    ds = ts.data.Dataset.load(TF_SAVED / "plain")
    assert ds.element_spec == ({"a": ts.TensorSpec([], ts.int32)}, ts.TensorSpec([], ts.string))
    assert int(ds.cardinality()) == 3
    assert list(ds.as_numpy_iterator()) == [({"a": 1}, b"x"), ({"a": 2}, b"y"),
                                            ({"a": 3}, b"z")]
    sharded = ts.data.Dataset.load(TF_SAVED / "gzip_sharded", compression="GZIP")
    got = [(int(a), b.tolist()) for a, b in sharded.as_numpy_iterator()]
    assert got == [(0, [1, 1]), (2, [1, 1]), (4, [1, 1]), (1, [1, 1]), (3, [1, 1]),
                   (5, [1, 1])]                      # shard a % 2 == 0, then shard 1
    assert sharded.element_spec[1] == ts.TensorSpec([2], ts.float16)


def test_writes_tensorflows_bytes(tmp_path):
    _plain_dataset().save(tmp_path / "ours")
    ours, theirs = _files(tmp_path / "ours"), _files(TF_SAVED / "plain")
    assert ours.keys() == theirs.keys()
    for name in ("dataset_spec.pb", "00000000.shard/00000000.snapshot"):
        assert ours[name] == theirs[name], name
    # the metadata differs only in the run id and the time: same fields otherwise
    assert ours["snapshot.metadata"][-10:] == theirs["snapshot.metadata"][-10:]


@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_round_trips_structures_and_dtypes(tmp_path, compression):
    x = np.arange(12, dtype=np.float64).reshape(4, 3)
    words = np.array([b"", b"ab", b"c\x00d", b"long" * 40], dtype=object)
    ds = ts.data.Dataset.from_tensor_slices(Pair(x, words))
    ds.save(tmp_path, compression=compression)
    back = ts.data.Dataset.load(tmp_path, compression=compression)
    assert type(back.element_spec).__name__ == "Pair"
    for (a, b), (c, d) in zip(ds.as_numpy_iterator(), back.as_numpy_iterator()):
        np.testing.assert_array_equal(a, c)
        assert b == d
    assert len(list(back)) == 4
    more = ts.data.Dataset.range(5).map(lambda i: (
        ts.cast(i, ts.bool), ts.complex(ts.cast(i, ts.float32), 1.), ts.zeros([0, 2]),
        ts.fill([2, 2], ts.cast(i, ts.float16)), [ts.cast(i, ts.uint8)]))
    more.save(tmp_path / "more")
    again = ts.data.Dataset.load(tmp_path / "more")
    for want, got in zip(more.as_numpy_iterator(), again.as_numpy_iterator()):
        for w, g in zip(want, got):
            assert np.asarray(w).dtype == np.asarray(g).dtype
            np.testing.assert_array_equal(w, g)


def test_shards_reader_func_and_element_spec(tmp_path):
    ds = ts.data.Dataset.range(10)
    ds.save(tmp_path, shard_func=lambda i: i % 3)
    shards = sorted(p.name for p in next(p for p in tmp_path.iterdir() if p.is_dir())
                    .iterdir())
    assert shards == ["00000000.shard", "00000001.shard", "00000002.shard"]
    loaded = ts.data.Dataset.load(tmp_path)
    assert [int(v) for v in loaded] == [0, 3, 6, 9, 1, 4, 7, 2, 5, 8]
    mixed = ts.data.Dataset.load(tmp_path, reader_func=lambda parts: parts.interleave(
        lambda p: p, cycle_length=3))
    assert [int(v) for v in mixed] == list(range(10))
    spec = ts.TensorSpec([], ts.int64)
    assert int(next(iter(ts.data.Dataset.load(tmp_path, element_spec=spec)))) == 0
    assert [int(v) for v in ts.data.experimental.load(str(tmp_path))][:2] == [0, 3]


def test_errors_say_what_is_wrong(tmp_path):
    with pytest.raises(ts.errors.NotFoundError, match="snapshot.metadata"):
        ts.data.Dataset.load(tmp_path / "nothing")
    with pytest.raises(NotImplementedError, match="GZIP"):
        _plain_dataset().save(tmp_path / "s", compression="SNAPPY")
    with pytest.raises(ValueError, match="shard_func must return a scalar int64"):
        _plain_dataset().save(tmp_path / "f", shard_func=lambda d, s: 1.5)
    ragged = ts.data.Dataset.from_tensors(ts.ragged.constant([[1], [2, 3]]))
    with pytest.raises(NotImplementedError, match="RaggedTensor components"):
        ragged.save(tmp_path / "ragged")


@pytest.mark.tf_oracle
def test_tensorflow_reads_what_tensorshell_saved(tmp_path):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    ds = ts.data.Dataset.from_tensor_slices({"x": x, "n": ["a", "bb", "", "d"]})
    ds.save(tmp_path, compression="GZIP", shard_func=lambda d: ts.cast(
        d["x"][0] > 3, ts.int64))
    theirs = tf.data.Dataset.load(str(tmp_path), compression="GZIP")
    got = sorted((e["n"], e["x"].tolist()) for e in theirs.as_numpy_iterator())
    assert got == sorted((e["n"], e["x"].tolist()) for e in ds.as_numpy_iterator())
    shutil.rmtree(tmp_path)
