"""``ts.summary``: TensorBoard event files, as TensorFlow 2's ``tf.summary`` writes them -
scalars, text, histograms (TensorBoard's buckets), images and audio, read by TensorBoard.

>>> writer = ts.summary.create_file_writer("logs/run1")
>>> with writer.as_default():
...     for step in range(100):
...         ts.summary.scalar("loss", 1 / (step + 1), step=step)

Each value is one Event record (a TFRecord) holding a Summary with the value's tensor (a
TensorProto byte for byte as ``ts.io.serialize_tensor`` writes it) and its plugin's name.
There are no graphs here, so ``graph`` and the ``trace_*`` functions record nothing.
"""

from __future__ import annotations

import contextlib
import os
import struct
import time
import warnings

import numpy as np

from ._public import submodule as _submodule
from .engine import dtypes
from .engine.tensor import Tensor, convert_to_tensor

__all__ = ["SummaryWriter", "audio", "create_file_writer", "create_noop_writer",
           "experimental", "flush", "graph", "histogram", "image", "record_if", "scalar",
           "should_record_summaries", "text", "trace_export", "trace_off", "trace_on",
           "write"]

_WRITERS: list = []                  # the default writer stack (as_default / set_as_default)
_RECORD_IF: list = []                # the record_if conditions, innermost last
_STEP: list = [None]                 # experimental.set_step's value
_SEQUENCE = [0]


def _proto():
    from .train import _length_delimited, _varint
    return _length_delimited, _varint


def _event(step=None, summary: bytes | None = None, file_version: str | None = None):
    ld, varint = _proto()
    out = b"\x09" + struct.pack("<d", time.time())
    if step is not None:
        out += b"\x10" + varint(int(step))
    if file_version is not None:
        out += ld(3, file_version.encode()) + ld(10, ld(1, b"tensorshell.summary"))
    if summary is not None:
        out += ld(5, summary)
    return out


class SummaryWriter:
    """Writes events to one file in ``logdir``; make it the default with ``as_default()``
    (a context) or ``set_as_default()``, then call the summary functions."""

    def __init__(self, logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                 name=None):
        import socket

        from . import gfile
        from .io import TFRecordWriter
        self._logdir = logdir.numpy().decode() if isinstance(logdir, Tensor) else str(logdir)
        gfile.makedirs(self._logdir)
        _SEQUENCE[0] += 1
        name = (f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}."
                f"{os.getpid()}.{_SEQUENCE[0] - 1}.v2{filename_suffix or ''}")
        self._path = os.path.join(self._logdir, name)
        self._file = TFRecordWriter(self._path)
        self._file.write(_event(file_version="brain.Event:2"))
        self._file.flush()
        self._closed = False

    @property
    def path(self) -> str:
        return self._path

    def _write(self, summary: bytes, step) -> None:
        if self._closed:
            raise RuntimeError("This SummaryWriter is closed")
        self._file.write(_event(step, summary))

    @contextlib.contextmanager
    def as_default(self, step=None):
        """Make this the default writer inside the ``with`` block (and ``step`` the default
        step there, when given)."""
        _WRITERS.append(self)
        saved = _STEP[0]
        if step is not None:
            _STEP[0] = int(step)
        try:
            yield self
        finally:
            _WRITERS.remove(self)
            if step is not None:
                _STEP[0] = saved
            self.flush()

    def set_as_default(self, step=None):
        """Make this the default writer from now on."""
        _WRITERS.append(self)
        if step is not None:
            _STEP[0] = int(step)

    def init(self):
        """(Nothing to initialize: the file is open.)"""

    def flush(self):
        if not self._closed:
            self._file.flush()

    def close(self):
        if not self._closed:
            self._file.close()
            self._closed = True
        while self in _WRITERS:
            _WRITERS.remove(self)


class _NoopWriter(SummaryWriter):
    def __init__(self):
        self._closed = False

    def _write(self, summary, step):
        pass

    def flush(self):
        pass

    def close(self):
        while self in _WRITERS:
            _WRITERS.remove(self)


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None, experimental_trackable=False, experimental_mesh=None):
    """A SummaryWriter writing to a new event file in ``logdir`` (made if missing)."""
    return SummaryWriter(logdir, max_queue, flush_millis, filename_suffix, name)


def create_noop_writer():
    """A SummaryWriter that writes nothing (summaries still report True)."""
    return _NoopWriter()


def _should_record() -> Tensor:
    if not _WRITERS:
        return False
    for condition in _RECORD_IF:
        value = condition() if callable(condition) else condition
        if not bool(value.numpy() if isinstance(value, Tensor) else value):
            return False
    return True


def should_record_summaries():
    """Whether summaries are written now: a default writer, and every ``record_if`` true."""
    return convert_to_tensor(_should_record())


@contextlib.contextmanager
def record_if(condition):
    """Write summaries inside the block only while ``condition`` (a bool, a boolean tensor
    or a function returning one, e.g. ``lambda: step % 100 == 0``) holds."""
    _RECORD_IF.append(condition)
    try:
        yield
    finally:
        _RECORD_IF.pop()


def flush(writer=None, name=None):
    """Flush ``writer`` (the default writer by default) to its file."""
    target = writer if writer is not None else (_WRITERS[-1] if _WRITERS else None)
    if target is not None:
        target.flush()


def _tag(name: str) -> str:
    from .engine.variable import NAME_SCOPES
    return "".join(NAME_SCOPES) + name


def _step(step):
    if step is None:
        step = _STEP[0]
    if step is None:
        raise ValueError("No step set. Please specify one either through the `step` "
                         "argument or through tf.summary.experimental.set_step()")
    return int(step.numpy() if isinstance(step, Tensor) else
               step.value().numpy() if getattr(step, "_is_variable", False) else step)


def _metadata(plugin: str, description=None, content: bytes = b"") -> bytes:
    ld, _ = _proto()
    plugin_data = ld(1, plugin.encode()) + (ld(2, content) if content else b"")
    return ld(1, plugin_data) + (ld(3, description.encode()) if description else b"")


def _done(written: bool) -> Tensor:
    """What the summary functions return, as TensorFlow's: a boolean tensor."""
    return convert_to_tensor(written)


def _emit(name, tensor: Tensor, step, metadata: bytes) -> Tensor:
    if not _should_record():
        return _done(False)
    from .io import serialize_tensor
    ld, _ = _proto()
    value = ld(1, _tag(name).encode()) + ld(8, serialize_tensor(tensor).numpy()) + \
        ld(9, metadata)
    _WRITERS[-1]._write(ld(1, value), _step(step))
    return _done(True)


def write(tag, tensor, step=None, metadata=None, name=None) -> Tensor:
    """Write ``tensor`` under ``tag`` with ``metadata`` (a serialized SummaryMetadata, or an
    object with ``SerializeToString``); True when written."""
    if not _should_record():
        return _done(False)
    if callable(tensor):
        tensor = tensor()
    meta = metadata.SerializeToString() if hasattr(metadata, "SerializeToString") else \
        bytes(metadata or b"")
    from .io import serialize_tensor
    ld, _ = _proto()
    value = ld(1, str(tag).encode()) + \
        ld(8, serialize_tensor(convert_to_tensor(tensor)).numpy()) + ld(9, meta)
    _WRITERS[-1]._write(ld(1, value), _step(step))
    return _done(True)


def scalar(name, data, step=None, description=None) -> Tensor:
    """A scalar (TensorBoard's Scalars tab), as float32."""
    from .engine.ops.shape import cast
    t = convert_to_tensor(data)
    if t.ndim != 0:
        raise ValueError(f"scalar needs a scalar, got shape {list(t.shape)}")
    if t.dtype is not dtypes.float32:
        t = cast(t, dtypes.float32)
    return _emit(name, t, step, _metadata("scalars", description))


def text(name, data, step=None, description=None) -> Tensor:
    """Text (a string tensor, Markdown), for TensorBoard's Text tab."""
    t = convert_to_tensor(data)
    if not t.dtype.is_string:
        raise TypeError(f"text needs a string tensor, got {t.dtype.name}")
    return _emit(name, t, step, _metadata("text", description))


def _buckets(values: np.ndarray, count: int) -> np.ndarray:
    """TensorBoard's histogram: [count, 3] rows of (left edge, right edge, count)."""
    data = values.astype(np.float64).reshape(-1)
    count = max(0, count)
    if data.size == 0 or count == 0:
        return np.zeros((count, 3))
    low, high = data.min(), data.max()
    if high - low == 0:
        counts = np.zeros(count)
        counts[-1] = data.size
        return np.stack([np.full(count, high), np.full(count, high), counts], 1)
    width = (high - low) / count
    index = np.minimum(np.floor((data - low) / width).astype(np.int32), count - 1)
    counts = np.bincount(index, minlength=count).astype(np.float64)
    edges = np.linspace(low, high, count + 1)
    edges = np.concatenate([edges[:-1], [high]])
    return np.stack([edges[:-1], edges[1:], counts], 1)


def histogram(name, data, step=None, buckets=None, description=None) -> Tensor:
    """The distribution of ``data``'s values in ``buckets`` (30) equal-width buckets, as
    TensorBoard buckets them (Histograms and Distributions tabs)."""
    if not _should_record():
        return _done(False)
    values = np.asarray(convert_to_tensor(data).numpy())
    table = _buckets(values, 30 if buckets is None else int(buckets))
    return _emit(name, convert_to_tensor(table), step, _metadata("histograms", description))


def image(name, data, step=None, max_outputs=3, description=None) -> Tensor:
    """Up to ``max_outputs`` images of ``data`` [k, h, w, c] (floats in [0, 1], or integer
    pixels), PNG-encoded for TensorBoard's Images tab."""
    if not _should_record():
        return _done(False)
    from .codecs import encode_png
    from .image import convert_image_dtype
    t = convert_to_tensor(data)
    if t.ndim != 4 or t.shape[-1] not in (1, 2, 3, 4):
        raise ValueError(f"image needs [k, h, w, c] with c in 1..4, got shape "
                         f"{list(t.shape)}")
    pixels = convert_image_dtype(t, dtypes.uint8, saturate=True)
    k = min(int(max_outputs), t.shape[0])
    encoded = [encode_png(pixels[i]).numpy() for i in range(k)]
    items = np.array([str(t.shape[2]).encode(), str(t.shape[1]).encode()] + encoded,
                     dtype=object)
    return _emit(name, convert_to_tensor(items, dtype=dtypes.string), step,
                 _metadata("images", description))


def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None,
          description=None) -> Tensor:
    """Up to ``max_outputs`` clips of ``data`` [k, t, c] (floats in [-1, 1]) as WAV files at
    ``sample_rate`` Hz, for TensorBoard's Audio tab."""
    if not _should_record():
        return _done(False)
    if encoding not in (None, "wav"):
        raise ValueError(f"Unknown encoding: {encoding}")
    from .audio import encode_wav
    t = convert_to_tensor(data)
    if t.ndim != 3:
        raise ValueError(f"audio needs [k, t, c], got shape {list(t.shape)}")
    k = min(int(max_outputs), t.shape[0])
    rows = [[encode_wav(t[i], sample_rate).numpy(), b""] for i in range(k)]
    items = np.array(rows, dtype=object).reshape(k, 2)
    content = b"\x10\x0b"                          # AudioPluginData: encoding = WAV (11)
    return _emit(name, convert_to_tensor(items, dtype=dtypes.string), step,
                 _metadata("audio", description, content))


def graph(graph_data) -> Tensor:
    """TensorFlow writes a graph here; tensorshell runs eagerly and has none."""
    warnings.warn("ts.summary.graph: tensorshell has no graphs; nothing written",
                  UserWarning, stacklevel=2)
    return _done(False)


def trace_on(graph=True, profiler=False, profiler_outdir=None):
    """(No graphs or profiler traces here: nothing to record.)"""


def trace_off():
    """(See trace_on.)"""


def trace_export(name, step=None, profiler_outdir=None) -> None:
    """(See trace_on: nothing was traced, so nothing is written.)"""


@contextlib.contextmanager
def _summary_scope(name, default_name=None, values=None):
    """``(tag, scope)`` for summaries written inside: ``name`` under the name scopes."""
    from .engine.variable import name_scope
    base = name or default_name
    with name_scope(base) as scope:
        yield _tag(""), scope


def _set_step(step):
    _STEP[0] = None if step is None else step


def _get_step():
    return _STEP[0]


def _write_raw_pb(tensor, step=None, name=None) -> Tensor:
    """Write serialized Summary protos (a string tensor of them) as they are."""
    if not _should_record():
        return _done(False)
    for raw in np.asarray(convert_to_tensor(tensor).numpy(), dtype=object).reshape(-1):
        _WRITERS[-1]._write(bytes(raw), _step(step))
    return _done(True)


experimental = _submodule(__name__, "experimental", "`ts.summary.experimental`, as "
                         "TensorFlow's.", {"get_step": _get_step, "set_step": _set_step,
                                           "summary_scope": _summary_scope,
                                           "write_raw_pb": _write_raw_pb})

from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
