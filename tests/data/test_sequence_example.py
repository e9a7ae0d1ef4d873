"""ts.train.SequenceExample and ts.io.parse_(single_)sequence_example: TensorFlow's results
(printed by TensorFlow 2.21 for the records below, and compared live when it is installed),
the bytes TensorFlow writes, and TFRecord files of sequences."""

import numpy as np
import pytest

import tensorshell as ts
from tests import oracle


def _records(lib):
    T = lib.train

    def values(kind, v):
        return T.Feature(**{kind: getattr(T, {"int64_list": "Int64List",
                                               "float_list": "FloatList",
                                               "bytes_list": "BytesList"}[kind])(value=v)})
    first = T.SequenceExample(
        context=T.Features(feature={"id": values("int64_list", [7]),
                                    "name": values("bytes_list", [b"abc", b"de"]),
                                    "nums": values("int64_list", [1, 2, 3])}),
        feature_lists=T.FeatureLists(feature_list={
            "frames": T.FeatureList(feature=[values("float_list", [1., 2.]),
                                             values("float_list", [3., 4.])]),
            "words": T.FeatureList(feature=[values("bytes_list", [b"a", b"b"]),
                                            values("bytes_list", [b"c"])]),
            "tags": T.FeatureList(feature=[values("bytes_list", [b"x"]),
                                           values("bytes_list", [b"y", b"z"]),
                                           values("bytes_list", [])])}))
    second = T.SequenceExample(
        context=T.Features(feature={"id": values("int64_list", [9])}),
        feature_lists=T.FeatureLists(feature_list={
            "frames": T.FeatureList(feature=[values("float_list", [5., 6.])]),
            "words": T.FeatureList(feature=[]),
            "tags": T.FeatureList(feature=[values("bytes_list", [b"q"])])}))
    return first, second


def _specs(lib):
    context = {"id": lib.io.FixedLenFeature([], lib.int64),
               "name": lib.io.VarLenFeature(lib.string),
               "missing": lib.io.FixedLenFeature([2], lib.float32, default_value=[0., 1.]),
               "nums": lib.io.RaggedFeature(lib.int64)}
    sequence = {"frames": lib.io.FixedLenSequenceFeature([2], lib.float32),
                "words": lib.io.VarLenFeature(lib.string),
                "tags": lib.io.RaggedFeature(lib.string),
                "absent": lib.io.FixedLenSequenceFeature([], lib.int64, allow_missing=True)}
    return context, sequence


def _plain(parsed):
    out = {}
    for key, v in sorted(parsed.items()):
        if hasattr(v, "indices"):
            out[key] = ("sparse", v.indices.numpy().tolist(), v.values.numpy().tolist(),
                        v.dense_shape.numpy().tolist())
        elif hasattr(v, "to_list"):
            out[key] = ("ragged", v.to_list())
        else:
            out[key] = (v.dtype.name, list(v.shape), v.numpy().tolist())
    return out


def _parse(lib):
    first, second = (r.SerializeToString() for r in _records(lib))
    context, sequence = _specs(lib)
    single = lib.io.parse_single_sequence_example(first, context, sequence)
    batch = lib.io.parse_sequence_example([first, second], context, sequence)
    return [_plain(d) for d in single + batch]


TENSORFLOWS = [
    {"id": ("int64", [], 7), "missing": ("float32", [2], [0.0, 1.0]),
     "name": ("sparse", [[0], [1]], [b"abc", b"de"], [2]), "nums": ("int64", [3], [1, 2, 3])},
    {"absent": ("int64", [0], []), "frames": ("float32", [2, 2], [[1.0, 2.0], [3.0, 4.0]]),
     "tags": ("ragged", [[b"x"], [b"y", b"z"], []]),
     "words": ("sparse", [[0, 0], [0, 1], [1, 0]], [b"a", b"b", b"c"], [2, 2])},
    {"id": ("int64", [2], [7, 9]), "missing": ("float32", [2, 2], [[0.0, 1.0], [0.0, 1.0]]),
     "name": ("sparse", [[0, 0], [0, 1]], [b"abc", b"de"], [2, 2]),
     "nums": ("ragged", [[1, 2, 3], []])},
    {"absent": ("int64", [2, 0], [[], []]),
     "frames": ("float32", [2, 2, 2], [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [0.0, 0.0]]]),
     "tags": ("ragged", [[[b"x"], [b"y", b"z"], []], [[b"q"]]]),
     "words": ("sparse", [[0, 0, 0], [0, 0, 1], [0, 1, 0]], [b"a", b"b", b"c"], [2, 2, 2])},
    {"absent": ("int64", [2], [0, 0]), "frames": ("int64", [2], [2, 1])},
]


def test_parsing_gives_tensorflows_results():
    assert _parse(ts) == TENSORFLOWS


@pytest.mark.tf_oracle
def test_same_bytes_and_results_as_tensorflow():
    tf = oracle.require()
    assert _parse(tf) == TENSORFLOWS
    for ours, theirs in zip(_records(ts), _records(tf)):
        data = theirs.SerializeToString(deterministic=True)
        assert ours.SerializeToString() == data
        assert ts.train.SequenceExample.FromString(data) == ours
        assert tf.train.SequenceExample.FromString(ours.SerializeToString()) == theirs


def test_sequences_in_tfrecord_files(tmp_path):
    path = str(tmp_path / "seq.tfrecord")
    records = _records(ts)
    with ts.io.TFRecordWriter(path) as writer:
        for r in records:
            writer.write(r.SerializeToString())
    context, sequence = _specs(ts)
    frames = [ts.io.parse_single_sequence_example(raw, context, sequence)[1]["frames"]
              for raw in ts.data.TFRecordDataset(path)]
    assert [f.shape for f in frames] == [(2, 2), (1, 2)]
    assert ts.train.SequenceExample.FromString(
        next(iter(ts.data.TFRecordDataset(path)))) == records[0]
    assert "feature_lists" in repr(records[1])


@pytest.mark.parametrize("call, error, match", [
    (lambda raw: ts.io.parse_single_sequence_example(
        raw, {}, {"absent": ts.io.FixedLenSequenceFeature([], ts.int64)}),
     ts.errors.InvalidArgumentError, "Feature list 'absent' is required"),
    (lambda raw: ts.io.parse_single_sequence_example(
        raw, {}, {"frames": ts.io.FixedLenSequenceFeature([3], ts.float32)}),
     ts.errors.InvalidArgumentError, r"Total values size: 4 is not consistent with output "
                                     r"shape: \[\?,3\]"),
    (lambda raw: ts.io.parse_single_sequence_example(
        raw, {}, {"frames": ts.io.FixedLenSequenceFeature([2], ts.int64)}),
     ts.errors.InvalidArgumentError, "Data types don't match. Expected type: int64"),
    (lambda raw: ts.io.parse_single_sequence_example(
        raw, {}, {"frames": ts.io.FixedLenFeature([2], ts.float32)}),
     TypeError, "FixedLenSequenceFeature, VarLenFeature or RaggedFeature"),
    (lambda raw: ts.io.parse_single_sequence_example([raw, raw], {}, {}), ValueError,
     "one serialized example"),
    (lambda raw: ts.train.SequenceExample(frames=1), TypeError, "keyword argument 'frames'"),
])
def test_bad_arguments_explain_themselves(call, error, match):
    raw = _records(ts)[0].SerializeToString()
    with pytest.raises(error, match=match):
        call(raw)


def test_examples_still_round_trip():
    example = ts.train.Example(features=ts.train.Features(feature={
        "x": ts.train.Feature(float_list=ts.train.FloatList(value=[1.5]))}))
    assert ts.train.Example.FromString(example.SerializeToString()) == example
    assert ts.train.Example().SerializeToString() == b""
    assert np.isclose(ts.io.parse_single_example(example.SerializeToString(), {
        "x": ts.io.FixedLenFeature([], ts.float32)})["x"].numpy(), 1.5)
