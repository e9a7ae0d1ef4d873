"""ts.summary: TensorBoard event files as TensorFlow 2 writes them (the expected values are
TensorFlow 2.21's, with TensorBoard's histogram buckets); read back here with the TFRecord
reader, and by TensorFlow's own summary_iterator when it is installed."""

import glob
import os

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.train import _fields

from .. import oracle


def _values(path):
    """(step, tag, plugin, tensor) for each summary value of an event file."""
    out = []
    for record in ts.data.TFRecordDataset(path):
        event = {n: v for n, _, v in _fields(record.numpy())}
        if 3 in event:
            assert event[3] == b"brain.Event:2"
            continue
        for n, _, value in _fields(event[5]):
            fields = {k: v for k, _, v in _fields(value)}
            plugin = dict((k, v) for k, _, v in _fields(dict(
                (k, v) for k, _, v in _fields(fields[9]))[1]))[1].decode()
            tensor = ts.io.parse_tensor(fields[8], {"scalars": ts.float32,
                                                    "histograms": ts.float64}.get(
                plugin, ts.string))
            out.append((event[2], fields[1].decode(), plugin, tensor.numpy()))
    return out


def _write_all(logdir):
    writer = ts.summary.create_file_writer(logdir)
    with writer.as_default():
        ts.summary.scalar("loss", 0.5, step=3)
        ts.summary.text("note", "hello", step=3)
        ts.summary.histogram("h", [1., 2., 2., 5.], step=4, buckets=3)
        ts.summary.histogram("h1", [7., 7.], step=4, buckets=4)
        ts.summary.histogram("h0", ts.zeros([0]), step=4, buckets=2)
        ts.summary.image("img", ts.zeros([2, 2, 3, 3]), step=5, max_outputs=1)
        ts.summary.audio("snd", ts.zeros([1, 8, 1]), 8000, step=6)
        with ts.name_scope("train"):
            ts.summary.scalar("acc", ts.constant(3, ts.int64), step=7)
        ts.summary.experimental.set_step(9)
        ts.summary.scalar("stepped", 1.5)
        with ts.summary.record_if(False):
            assert not ts.summary.scalar("skipped", 1.0).numpy()
        with ts.summary.record_if(lambda: ts.constant(True)):
            assert ts.summary.scalar("kept", 2.0).numpy()
    ts.summary.experimental.set_step(None)
    assert not ts.summary.scalar("no writer", 1.0, step=1).numpy()
    writer.close()
    (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*.v2"))
    return path


def test_event_files_hold_tensorflows_summaries(tmp_path):
    values = _values(_write_all(str(tmp_path)))
    assert [(s, t, p) for s, t, p, _ in values] == [
        (3, "loss", "scalars"), (3, "note", "text"), (4, "h", "histograms"),
        (4, "h1", "histograms"), (4, "h0", "histograms"), (5, "img", "images"),
        (6, "snd", "audio"), (7, "train/acc", "scalars"), (9, "stepped", "scalars"),
        (9, "kept", "scalars")]
    by_tag = {t: v for _, t, _, v in values}
    assert by_tag["loss"] == 0.5 and by_tag["note"] == b"hello"
    np.testing.assert_allclose(by_tag["h"], [[1., 7 / 3, 3.], [7 / 3, 11 / 3, 0.],
                                             [11 / 3, 5., 1.]])
    assert by_tag["h1"].tolist() == [[7., 7., 0.]] * 3 + [[7., 7., 2.]]
    assert by_tag["h0"].tolist() == [[0., 0., 0.]] * 2
    width, height, png = by_tag["img"]
    assert (width, height) == (b"3", b"2") and png.startswith(b"\x89PNG")
    assert ts.io.decode_png(png).shape == (2, 3, 3)
    assert by_tag["snd"].shape == (1, 2) and by_tag["snd"][0, 0].startswith(b"RIFF")


def test_writer_rules(tmp_path):
    writer = ts.summary.create_file_writer(str(tmp_path / "new" / "dir"))
    assert os.path.exists(writer.path)
    with writer.as_default():
        with pytest.raises(ValueError, match="No step set"):
            ts.summary.scalar("x", 1.0)
        with pytest.raises(ValueError, match="scalar"):
            ts.summary.scalar("x", [1.0, 2.0], step=1)
        assert ts.summary.should_record_summaries().numpy()
    assert not ts.summary.should_record_summaries().numpy()
    with ts.summary.create_noop_writer().as_default():
        assert ts.summary.scalar("x", 1.0, step=1).numpy()
    with pytest.warns(UserWarning, match="no graphs"):
        ts.summary.graph(None)
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer._write(b"", 1)


@pytest.mark.tf_oracle
def test_tensorflow_reads_the_event_files(tmp_path):
    tf = oracle.require()
    path = _write_all(str(tmp_path))
    seen = []
    for event in tf.compat.v1.train.summary_iterator(path):
        for v in event.summary.value:
            seen.append((event.step, v.tag, v.metadata.plugin_data.plugin_name,
                         v.metadata.plugin_data.content))
            if v.tag == "h":
                np.testing.assert_allclose(tf.make_ndarray(v.tensor)[:, 2], [3., 0., 1.])
    assert seen[0] == (3, "loss", "scalars", b"")
    assert (6, "snd", "audio", b"\x10\x0b") in seen and len(seen) == 10


def test_generic_writes_scopes_and_raw_protos(tmp_path):
    """write() with its own metadata, summary_scope's tags, write_raw_pb's Summary protos,
    flush(); nothing is written (False) without a default writer."""
    from tensorshell.train import _length_delimited
    assert not ts.summary.write("t", ts.constant(1.0), step=1).numpy()
    writer = ts.summary.create_file_writer(str(tmp_path))
    raw_value = _length_delimited(1, b"raw") + _length_delimited(
        8, ts.io.serialize_tensor(ts.constant("x")).numpy()) + _length_delimited(
        9, _length_delimited(1, _length_delimited(1, b"text")))
    with writer.as_default(step=4):
        assert ts.summary.write("custom", lambda: ts.constant([1., 2.]),
                                metadata=_length_delimited(1, _length_delimited(
                                    1, b"scalars"))).numpy()
        with ts.summary.experimental.summary_scope("block") as (tag, scope):
            assert tag == "block/" and scope == "block/"
            ts.summary.text("inner", "hi")
        assert ts.summary.experimental.write_raw_pb(
            ts.constant([_length_delimited(1, raw_value)]), step=5).numpy()
        ts.summary.flush()
    assert ts.summary.experimental.get_step() is None        # as_default's step restored
    writer.close()
    (path,) = glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*.v2"))
    seen = [(s, t) for s, t, _, _ in _values(path)]
    assert seen == [(4, "custom"), (4, "block/inner"), (5, "raw")]


def test_set_as_default_and_traces(tmp_path):
    """set_as_default() makes the writer the default (with its step) until it is closed;
    trace_on/trace_off/trace_export record nothing, as there are no graphs to trace."""
    writer = ts.summary.create_file_writer(str(tmp_path))
    try:
        writer.set_as_default(step=2)
        assert ts.summary.experimental.get_step() == 2
        ts.summary.trace_on(graph=True, profiler=False)
        assert ts.summary.scalar("a", 1.0).numpy()
        ts.summary.trace_export("trace", step=2)
        ts.summary.trace_off()
        writer.close()
        assert not ts.summary.scalar("after close", 1.0).numpy()    # no default writer left
    finally:
        ts.summary.experimental.set_step(None)
        writer.close()
    (path,) = glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*.v2"))
    assert [(s, t) for s, t, _, _ in _values(path)] == [(2, "a")]
