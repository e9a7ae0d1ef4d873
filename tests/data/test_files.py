"""Reading files in pipelines: TextLineDataset, Dataset.list_files, interleave (in
TensorFlow's order), ts.io.decode_csv/read_file/write_file, and the chapter-13 style
pipeline built from them. Every file lives in pytest's tmp_path."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

import tensorshell as ts

D = ts.data.Dataset


@pytest.fixture
def csv_files(tmp_path):
    (tmp_path / "a.csv").write_bytes(b'x,y,label\n1,2.5,cat\n3,,"dog, big"\n4,5.5,cow\n')
    (tmp_path / "b.csv").write_bytes(b"x,y,label\r\n7,8.5,owl\r\n9,0.5,emu")  # CRLF, no end
    return tmp_path


def test_text_lines_file_after_file(csv_files, tmp_path):
    ds = ts.data.TextLineDataset([str(csv_files / "a.csv"), str(csv_files / "b.csv")])
    lines = [t.numpy() for t in ds]
    assert lines == [b"x,y,label", b"1,2.5,cat", b'3,,"dog, big"', b"4,5.5,cow",
                     b"x,y,label", b"7,8.5,owl", b"9,0.5,emu"]
    assert ds.element_spec == ts.TensorSpec([], ts.string) and int(ds.cardinality()) == -2
    packed = tmp_path / "c.csv.gz"
    packed.write_bytes(gzip.compress(b"p\nq\n"))
    assert [t.numpy() for t in ts.data.TextLineDataset(str(packed), "GZIP")] == [b"p", b"q"]
    import zlib
    deflated = tmp_path / "d.zz"
    deflated.write_bytes(zlib.compress(b"r\ns"))
    assert [t.numpy() for t in ts.data.TextLineDataset(str(deflated), "ZLIB")] == [b"r", b"s"]
    with pytest.raises(ts.errors.InvalidArgumentError, match="compression_type"):
        list(ts.data.TextLineDataset(str(deflated), "LZMA"))
    with pytest.raises(ts.errors.NotFoundError, match="missing.csv"):
        list(ts.data.TextLineDataset(str(tmp_path / "missing.csv")))


def test_list_files_and_interleave(csv_files):
    files = D.list_files(str(csv_files / "*.csv"), shuffle=False)
    assert [f.numpy().decode().rsplit("/", 1)[1] for f in files] == ["a.csv", "b.csv"]
    shuffled = D.list_files(str(csv_files / "*.csv"), seed=3)
    assert sorted(f.numpy() for f in shuffled) == sorted(f.numpy() for f in files)
    lines = files.interleave(lambda f: ts.data.TextLineDataset(f).skip(1), cycle_length=2)
    assert [t.numpy() for t in lines] == [b"1,2.5,cat", b"7,8.5,owl", b'3,,"dog, big"',
                                          b"9,0.5,emu", b"4,5.5,cow"]
    # TensorFlow's order with blocks and exhausted iterators replaced in their slot
    order = D.range(3).interleave(lambda x: D.range(x, x + 3), cycle_length=2, block_length=2)
    assert [int(v) for v in order] == [0, 1, 1, 2, 2, 3, 2, 3, 4]
    with pytest.raises(ts.errors.InvalidArgumentError, match="No files matched pattern"):
        D.list_files(str(csv_files / "*.tsv"))


def test_decode_csv():
    defaults = [ts.constant(0), ts.constant(0.0), ts.constant("")]
    x, y, label = ts.io.decode_csv(ts.constant(["1,2.5,cat", '3,,"dog, big"']), defaults)
    assert (x.dtype, y.dtype, label.dtype) == (ts.int32, ts.float32, ts.string)
    assert x.numpy().tolist() == [1, 3] and y.numpy().tolist() == [2.5, 0.0]
    assert label.numpy().tolist() == [b"cat", b"dog, big"]
    semi = ts.io.decode_csv("1;NA", [[0], [7.0]], field_delim=";", na_value="NA")
    assert [t.numpy() for t in semi] == [1, 7.0]
    picked = ts.io.decode_csv("1,2.5,x", [[0], [""]], select_cols=[0, 2])
    assert [t.numpy() for t in picked] == [1, b"x"]
    wide = ts.io.decode_csv(["9"], [ts.constant([5], ts.int64)])
    assert wide[0].dtype is ts.int64 and wide[0].numpy().tolist() == [9]
    for record, defaults_, words in [
            ("1,2", [[0], [0.0], [""]], "Expect 3 fields but have 2 in record 0"),
            ("x,2", [[0], [0.0]], "Field 0 in record 0 is not a valid int32: x"),
            (",2", [ts.constant([], ts.int32), [0.0]], "Field 0 is required but missing")]:
        with pytest.raises(ts.errors.InvalidArgumentError, match=words):
            ts.io.decode_csv(record, defaults_)


def test_read_and_write_files(tmp_path):
    path = str(tmp_path / "blob.bin")
    ts.io.write_file(path, ts.constant(b"\x00bytes\xff"))
    contents = ts.io.read_file(path)
    assert contents.dtype is ts.string and contents.numpy() == b"\x00bytes\xff"
    ts.io.write_file(path, "text")   # a Python string is written as UTF-8
    assert ts.io.read_file(path).numpy() == b"text"
    with pytest.raises(ts.errors.NotFoundError):
        ts.io.read_file(str(tmp_path / "nothing"))


def test_a_csv_pipeline_trains(csv_files):
    def parse(line):
        x, y, label = ts.io.decode_csv(line, [[0.0], [0.0], [""]])
        return ts.stack([x, y]), ts.cast(ts.strings.length(label) > 3, ts.float32)
    ds = (D.list_files(str(csv_files / "*.csv"), seed=1)
          .interleave(lambda f: ts.data.TextLineDataset(f).skip(1), cycle_length=2)
          .map(parse).shuffle(8, seed=2).batch(2))
    batches = list(ds)
    assert sum(b[0].shape[0] for b in batches) == 5
    assert all(b[0].dtype is ts.float32 and b[0].shape[1] == 2 for b in batches)
    assert np.isin(np.concatenate([b[1].numpy() for b in batches]), [0.0, 1.0]).all()


def test_fixed_length_records(tmp_path):
    path = tmp_path / "records.bin"
    path.write_bytes(b"HEADabcdefghijTAIL!")
    ds = ts.data.FixedLengthRecordDataset(str(path), 5, header_bytes=4, footer_bytes=5)
    assert [r.numpy() for r in ds] == [b"abcde", b"fghij"]
    path.write_bytes(b"abcdefghij")
    with pytest.raises(ts.errors.InvalidArgumentError, match="not an exact multiple"):
        list(ts.data.FixedLengthRecordDataset(str(path), 3))
