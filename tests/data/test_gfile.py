"""ts.io.gfile behaves as tf.io.gfile on local files, errors included (checked against
TensorFlow 2.21's)."""

from __future__ import annotations

import pytest

import tensorshell as ts

gfile = ts.io.gfile


def test_gfile_reads_and_writes(tmp_path):
    path = tmp_path / "f.txt"
    with gfile.GFile(path, "w") as f:
        f.write("line1\n")
        f.write(b"line2\n")                      # bytes go to a text file too
        assert f.tell() == 12
    assert gfile.GFile(path).read() == "line1\nline2\n"
    assert gfile.GFile(path, "rb").read() == b"line1\nline2\n"
    assert gfile.GFile(path).read(3) == "lin"
    assert gfile.GFile(path).readline() == "line1\n"
    assert gfile.GFile(path).readlines() == ["line1\n", "line2\n"]
    assert list(gfile.GFile(path)) == ["line1\n", "line2\n"]
    assert gfile.GFile(path).size() == 12
    f = gfile.GFile(path)
    f.seek(6)
    assert (f.read(), f.tell()) == ("line2\n", 12)
    gfile.GFile(path, "a").write("x")
    assert gfile.GFile(path).read().endswith("x")
    f = gfile.GFile(str(path))
    assert (f.name, f.mode) == (str(path), "r")


def test_gfile_errors(tmp_path):
    missing = gfile.GFile(tmp_path / "nope.txt")     # opened lazily, as TensorFlow's
    with pytest.raises(ts.errors.NotFoundError, match="No such file or directory"):
        missing.read()
    with pytest.raises(ts.errors.InvalidArgumentError, match="mode is not 'r' or 'w'"):
        gfile.GFile(tmp_path / "f", "z")
    with pytest.raises(ts.errors.FailedPreconditionError, match="Is a directory"):
        gfile.GFile(tmp_path, "w").write("x")
    with pytest.raises(ts.errors.UnimplementedError, match="scheme 'gs' not implemented"):
        gfile.exists("gs://bucket/x")


def test_directories(tmp_path):
    base = tmp_path / "d"
    gfile.makedirs(base / "a" / "b")
    gfile.makedirs(base / "a")                       # fine when it exists
    gfile.mkdir(base / "a")
    with pytest.raises(ts.errors.NotFoundError):
        gfile.mkdir(base / "x" / "y")
    gfile.GFile(base / "f.txt", "w").write("hi")
    assert gfile.exists(base) and not gfile.exists(base / "zz")
    assert gfile.isdir(base) and not gfile.isdir(base / "f.txt")
    assert sorted(gfile.listdir(base)) == ["a", "f.txt"]
    with pytest.raises(ts.errors.NotFoundError, match="Could not find directory"):
        gfile.listdir(base / "f.txt")
    assert gfile.glob(str(base / "*")) == sorted([str(base / "a"), str(base / "f.txt")])
    assert gfile.glob(str(base / "*.zz")) == []
    assert list(gfile.walk(base)) == [(str(base), ["a"], ["f.txt"]),
                                      (str(base / "a"), ["b"], []),
                                      (str(base / "a" / "b"), [], [])]
    assert list(gfile.walk(base / "zz")) == []
    st = gfile.stat(base / "f.txt")
    assert (st.length, st.is_directory, isinstance(st.mtime_nsec, int)) == (2, False, True)
    with pytest.raises(ts.errors.FailedPreconditionError, match="Is a directory"):
        gfile.remove(base / "a")
    gfile.rmtree(base / "a")
    with pytest.raises(ts.errors.NotFoundError, match="not found"):
        gfile.rmtree(base / "a")
    assert gfile.join("a", "b", "/c") == "/c"
    assert gfile.get_registered_schemes() == ["", "file"]


def test_copy_rename_remove(tmp_path):
    src, dst = tmp_path / "f", tmp_path / "g"
    gfile.GFile(src, "w").write("one")
    gfile.copy(src, dst)
    with pytest.raises(ts.errors.AlreadyExistsError, match="file already exists"):
        gfile.copy(src, dst)
    gfile.GFile(src, "w").write("two")
    gfile.copy(src, dst, overwrite=True)
    assert gfile.GFile(dst).read() == "two"
    with pytest.raises(ts.errors.NotFoundError):
        gfile.copy(tmp_path / "zz", dst)
    with pytest.raises(ts.errors.AlreadyExistsError):
        gfile.rename(dst, src)
    gfile.rename(dst, src, overwrite=True)
    assert not gfile.exists(dst) and gfile.GFile(f"file://{src}").read() == "two"
    gfile.remove(src)
    with pytest.raises(ts.errors.NotFoundError):
        gfile.remove(src)
    with pytest.raises(ts.errors.NotFoundError):
        gfile.stat(src)
