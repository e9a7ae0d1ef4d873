"""``ts.io.gfile``: TensorFlow's file API on the local file system - ``GFile`` (opened
lazily, str or bytes by mode) and ``exists``, ``glob``, ``listdir``, ``walk``, ``copy``,
``rename``, ``remove``, ``rmtree``, ``makedirs``, ``stat`` - raising ``ts.errors`` as
TensorFlow does (NotFoundError, AlreadyExistsError, FailedPreconditionError), so code
written against ``tf.io.gfile`` runs unchanged. Remote schemes (``gs://``, ``s3://``) are
not available and say so."""

from __future__ import annotations

import errno
import glob as _glob
import os
import re
import shutil
from typing import NamedTuple

from .engine.errors import (AlreadyExistsError, FailedPreconditionError,
                            InvalidArgumentError, NotFoundError, PermissionDeniedError,
                            UnimplementedError)

__all__ = ["GFile", "copy", "exists", "get_registered_schemes", "glob", "isdir", "join",
           "listdir", "makedirs", "mkdir", "remove", "rename", "rmtree", "stat", "walk"]


def _local(path) -> str:
    """``path`` as a local file name (``file://`` allowed); other schemes raise."""
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = path.decode()
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", path)
    if m:
        if m.group(1) == "file":
            return path[len("file://"):]
        raise UnimplementedError(None, None, f"File system scheme '{m.group(1)}' not "
                                 f"implemented (file: '{path}'); tensorshell reads local "
                                 "files only")
    return path


def _raise(exc: OSError, path: str):
    """The ts.errors form of an OSError about ``path``."""
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    message = f"{path}; {reason}"
    if exc.errno == errno.ENOENT:
        raise NotFoundError(None, None, message) from None
    if exc.errno == errno.EEXIST:
        raise AlreadyExistsError(None, None, message) from None
    if exc.errno in (errno.EACCES, errno.EPERM):
        raise PermissionDeniedError(None, None, message) from None
    raise FailedPreconditionError(None, None, message) from None


class GFile:
    """A file with TensorFlow's GFile interface; opened on first use, so a missing file
    raises NotFoundError when read, as TensorFlow's does."""

    _MODES = ("r", "w", "a", "r+", "w+", "a+")

    def __init__(self, name, mode="r"):
        self._path = _local(name)
        self._name = os.fspath(name) if not isinstance(name, bytes) else name.decode()
        if mode.replace("b", "") not in self._MODES:
            raise InvalidArgumentError(None, None, "mode is not 'r' or 'w' or 'a' or 'r+' "
                                       "or 'w+' or 'a+'")
        self._mode = mode
        self._binary = "b" in mode
        self._file = None
        self._opened = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def mode(self) -> str:
        return self._mode

    def _handle(self):
        if self._file is None:
            mode = self._mode.replace("b", "") + "b"
            if self._opened and mode[0] == "w":
                mode = "a" + mode[1:]              # reopened after close: keep what's there
            try:
                self._file = open(self._path, mode)
            except OSError as e:
                _raise(e, self._path)
            self._opened = True
        return self._file

    def _out(self, data: bytes):
        return data if self._binary else data.decode()

    def read(self, n=-1):
        """Up to ``n`` bytes/characters (all that is left by default)."""
        return self._out(self._handle().read(-1 if n is None else n))

    def readline(self):
        return self._out(self._handle().readline())

    def readlines(self):
        return [self._out(line) for line in self._handle().readlines()]

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def write(self, file_content):
        """Write str or bytes (either, whatever the mode)."""
        data = file_content.encode() if isinstance(file_content, str) else \
            bytes(file_content)
        self._handle().write(data)

    def seek(self, offset=None, whence=0, position=None):
        if position is not None:
            offset = position
        self._handle().seek(0 if offset is None else offset, whence)

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._handle().tell()

    def size(self) -> int:
        """The file's length in bytes."""
        if self._file is not None:
            self._file.flush()
        return stat(self._path).length

    def flush(self):
        if self._file is not None:
            self._file.flush()

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing to report to at teardown
            pass

    def __repr__(self):
        return f"<ts.io.gfile.GFile {self._name!r} mode={self._mode!r}>"


class FileStatistics(NamedTuple):
    length: int
    mtime_nsec: int
    is_directory: bool


def exists(path) -> bool:
    return os.path.exists(_local(path))


def isdir(path) -> bool:
    return os.path.isdir(_local(path))


def glob(pattern) -> list:
    """The paths matching ``pattern`` (``*``, ``?``, ``[...]``), sorted."""
    return sorted(_glob.glob(_local(pattern)))


def listdir(path) -> list:
    """The names in directory ``path`` (not recursive)."""
    local = _local(path)
    if not os.path.isdir(local):
        raise NotFoundError(None, None, f"Could not find directory {local}")
    return os.listdir(local)


def walk(top, topdown=True, onerror=None):
    """(directory, subdirectories, files) for every directory under ``top``; nothing for a
    missing ``top``."""
    yield from os.walk(_local(top), topdown=topdown, onerror=onerror)


def makedirs(path) -> None:
    """Create ``path`` and any missing parents (fine if it exists)."""
    local = _local(path)
    try:
        os.makedirs(local, exist_ok=True)
    except OSError as e:
        _raise(e, local)


def mkdir(path) -> None:
    """Create directory ``path`` (its parent must exist; fine if it exists)."""
    local = _local(path)
    try:
        os.mkdir(local)
    except FileExistsError:
        if not os.path.isdir(local):
            raise AlreadyExistsError(None, None, f"{local}; File exists") from None
    except OSError as e:
        _raise(e, local)


def remove(path) -> None:
    """Delete file ``path``."""
    local = _local(path)
    try:
        os.remove(local)
    except IsADirectoryError:
        raise FailedPreconditionError(None, None, f"{local}; Is a directory") from None
    except OSError as e:
        _raise(e, local)


def rmtree(path) -> None:
    """Delete directory ``path`` and everything in it."""
    local = _local(path)
    if not os.path.exists(local):
        raise NotFoundError(None, None, f"{local} not found")
    try:
        shutil.rmtree(local)
    except OSError as e:
        _raise(e, local)


def _check_target(local_dst: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(local_dst):
        raise AlreadyExistsError(None, None, "file already exists")


def copy(src, dst, overwrite=False) -> None:
    """Copy file ``src`` to ``dst`` (AlreadyExistsError if it exists, unless
    ``overwrite``)."""
    local_src, local_dst = _local(src), _local(dst)
    if not os.path.exists(local_src):
        raise NotFoundError(None, None, f"{local_src}; No such file or directory")
    _check_target(local_dst, overwrite)
    try:
        shutil.copyfile(local_src, local_dst)
    except OSError as e:
        _raise(e, local_dst)


def rename(src, dst, overwrite=False) -> None:
    """Move ``src`` to ``dst`` (AlreadyExistsError if it exists, unless ``overwrite``)."""
    local_src, local_dst = _local(src), _local(dst)
    if not os.path.exists(local_src):
        raise NotFoundError(None, None, f"{local_src}; No such file or directory")
    _check_target(local_dst, overwrite)
    try:
        os.replace(local_src, local_dst)
    except OSError as e:
        _raise(e, local_src)


def stat(path) -> FileStatistics:
    """``length`` (bytes), ``mtime_nsec`` and ``is_directory`` of ``path``."""
    local = _local(path)
    try:
        st = os.stat(local)
    except OSError as e:
        _raise(e, local)
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(local))


def join(path, *paths) -> str:
    return os.path.join(os.fspath(path), *map(os.fspath, paths))


def get_registered_schemes() -> list:
    """The URL schemes paths may use here: local files only."""
    return ["", "file"]
