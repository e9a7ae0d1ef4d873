"""``ts.io``: reading and writing files and parsing CSV records, as TensorFlow's
``tf.io.read_file``, ``write_file`` and ``decode_csv`` (for ``tf.data`` pipelines over
``TextLineDataset``)."""

from __future__ import annotations

import csv

import numpy as np

from .engine import dtypes, speedups
from .engine.errors import InvalidArgumentError, NotFoundError
from .engine.tensor import Tensor, convert_to_tensor

__all__ = ["decode_csv", "read_file", "write_file"]


def _text(value) -> str:
    if isinstance(value, Tensor):
        value = value.numpy()
    return value.decode() if isinstance(value, bytes) else str(value)


def read_bytes(filename) -> bytes:
    """A file's bytes; a missing or unreadable file raises NotFoundError naming it."""
    path = _text(filename)
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise NotFoundError(None, None, f"{path}: {e.strerror or e}") from None


def decompress(raw: bytes, compression_type) -> bytes:
    """``raw`` inflated as "GZIP" or "ZLIB" ("" or None: as it is)."""
    import gzip
    import zlib
    kind = TFRecordOptions(compression_type).compression_type
    return gzip.decompress(raw) if kind == "GZIP" else zlib.decompress(raw) \
        if kind == "ZLIB" else raw


def read_file(filename, name=None) -> Tensor:
    """The whole file as one string scalar (its bytes)."""
    return convert_to_tensor(np.array(read_bytes(filename), dtype=object),
                             dtype=dtypes.string)


def write_file(filename, contents, name=None) -> None:
    """``contents`` (a string scalar) written to ``filename``, replacing it."""
    data = contents.numpy() if isinstance(contents, Tensor) else contents
    if isinstance(data, str):
        data = data.encode()
    with open(_text(filename), "wb") as f:
        f.write(bytes(data))


def _default(value, index):
    """(dtype, default or None when the field is required) of one record_defaults entry."""
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    if t.dtype not in (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                       dtypes.string):
        raise InvalidArgumentError(None, None, f"decode_csv: record_defaults[{index}] must be "
                                   f"float32, float64, int32, int64 or string, got "
                                   f"{t.dtype.name}")
    flat = np.asarray(t.numpy(), dtype=object).reshape(-1)
    if flat.size > 1:
        raise InvalidArgumentError(None, None, f"decode_csv: record_defaults[{index}] must "
                                   f"hold at most one value, got {flat.size}")
    return t.dtype, (flat[0] if flat.size else None)


def _parse(text: bytes, dtype, field, record):
    if dtype.is_string:
        return text
    s = text.decode("utf-8", "replace").strip()
    try:
        value = int(s) if dtype.is_integer else float(s)
    except ValueError:
        raise InvalidArgumentError(None, None, f"Field {field} in record {record} is not a "
                                   f"valid {dtype.name}: {s}") from None
    if dtype.is_integer and not dtype.min <= value <= dtype.max:
        raise InvalidArgumentError(None, None, f"Field {field} in record {record} is out of "
                                   f"range for {dtype.name}: {s}")
    return value


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="",
               select_cols=None, name=None) -> list:
    """Each CSV record (a string tensor of any shape) split into its fields: one tensor per
    column, of the dtype of that column's default; an empty (or ``na_value``) field takes
    the default, and a column whose default is empty is required."""
    recs = records.numpy() if isinstance(records, Tensor) else records
    recs = np.asarray(recs, dtype=object)
    columns = [_default(v, i) for i, v in enumerate(record_defaults)]
    select = None if select_cols is None else [int(c) for c in select_cols]
    if select is not None and (sorted(set(select)) != select or len(select) != len(columns)):
        raise InvalidArgumentError(None, None, "decode_csv: select_cols must be increasing and "
                                   "as many as record_defaults")
    delim = field_delim.decode() if isinstance(field_delim, bytes) else field_delim
    na = na_value.encode() if isinstance(na_value, str) else na_value
    outputs = [np.empty(recs.shape, dtype=object) for _ in columns]
    for index, record in enumerate(recs.reshape(-1)):
        text = record.decode("utf-8") if isinstance(record, bytes) else str(record)
        if use_quote_delim:
            fields = next(csv.reader([text], delimiter=delim, quotechar='"'), [])
        else:
            fields = text.split(delim)
        fields = [f.encode("utf-8") for f in fields] or [b""]
        if select is not None:
            if select[-1] >= len(fields):
                raise InvalidArgumentError(None, None, f"decode_csv: record {index} has "
                                           f"{len(fields)} fields, column {select[-1]} "
                                           f"selected")
            fields = [fields[c] for c in select]
        if len(fields) != len(columns):
            raise InvalidArgumentError(None, None, f"Expect {len(columns)} fields but have "
                                       f"{len(fields)} in record {index}")
        for col, (text_field, (dtype, default)) in enumerate(zip(fields, columns)):
            if text_field == b"" or text_field == na:
                if default is None:
                    raise InvalidArgumentError(None, None, f"Field {col} is required but "
                                               f"missing in record {index}!")
                value = default
            else:
                value = _parse(text_field, dtype, col, index)
            outputs[col].reshape(-1)[index] = value
    return [convert_to_tensor(out.astype(dtype.np_dtype) if not dtype.is_string else out,
                              dtype=dtype) for out, (dtype, _) in zip(outputs, columns)]


# -- TFRecord files --------------------------------------------------------------------------------

def _crc_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC32C = _crc_table()


def crc32c_reference(data: bytes) -> int:
    """CRC-32C (Castagnoli), the checksum TFRecord files carry (pure Python, ~9 MB/s; the C
    version in engine/_speedups.c is used when built)."""
    crc = 0xFFFFFFFF
    table = _CRC32C
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


crc32c = speedups.fast(crc32c_reference)


def _masked_crc(data: bytes) -> int:
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


class TFRecordOptions:
    """How a TFRecord file is compressed: ``compression_type`` "" (none), "GZIP" or
    "ZLIB" (``compression_level`` 0-9, default 6 as zlib's)."""

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None,
                 output_buffer_size=None, window_bits=None, compression_level=None,
                 compression_method=None, mem_level=None, compression_strategy=None):
        kind = (compression_type or "").upper()
        if kind not in ("", "GZIP", "ZLIB"):
            raise ValueError(f"compression_type must be '', 'GZIP' or 'ZLIB', got "
                             f"{compression_type!r}")
        self.compression_type = kind
        self.compression_level = 6 if compression_level is None else int(compression_level)

    @classmethod
    def get_compression_type_string(cls, options) -> str:
        if options is None:
            return ""
        return options.compression_type if isinstance(options, TFRecordOptions) else \
            TFRecordOptions(options).compression_type


class TFRecordWriter:
    """Writes records (byte strings, e.g. serialized ``ts.train.Example``s) to a TFRecord
    file: each one framed by its length and masked CRC-32C checksums, as TensorFlow's
    readers expect. A context manager; ``close()`` finishes the file."""

    def __init__(self, path, options=None):
        import gzip
        import zlib
        opts = options if isinstance(options, TFRecordOptions) else TFRecordOptions(options)
        name = _text(path)
        self._compress = None
        try:
            if opts.compression_type == "GZIP":
                self._file = gzip.open(name, "wb", compresslevel=opts.compression_level)
            else:
                self._file = open(name, "wb")
                if opts.compression_type == "ZLIB":
                    self._compress = zlib.compressobj(opts.compression_level)
        except OSError as e:
            raise NotFoundError(None, None, f"{name}: {e.strerror or e}") from None

    def _emit(self, data: bytes) -> None:
        self._file.write(self._compress.compress(data) if self._compress else data)

    def write(self, record) -> None:
        data = record.numpy() if isinstance(record, Tensor) else record
        data = data.encode() if isinstance(data, str) else bytes(data)
        header = len(data).to_bytes(8, "little")
        self._emit(header + _masked_crc(header).to_bytes(4, "little") + data
                   + _masked_crc(data).to_bytes(4, "little"))

    def flush(self) -> None:
        if self._compress:
            import zlib
            self._file.write(self._compress.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self) -> None:
        if self._file.closed:
            return
        if self._compress:
            self._file.write(self._compress.flush())
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def read_tfrecords(filename, compression_type=None):
    """The records of a TFRecord file, each checked against its checksums (a corrupt or
    truncated file raises DataLossError)."""
    from .engine.errors import DataLossError
    name = _text(filename)
    raw = decompress(read_bytes(name), compression_type)
    pos, records = 0, []
    while pos < len(raw):
        if pos + 12 > len(raw):
            raise DataLossError(None, None, f"truncated record at {pos} in {name}")
        header = raw[pos:pos + 8]
        if int.from_bytes(raw[pos + 8:pos + 12], "little") != _masked_crc(header):
            raise DataLossError(None, None, f"corrupted record at {pos} in {name} (its "
                                "length fails the checksum)")
        length = int.from_bytes(header, "little")
        start, end = pos + 12, pos + 12 + length
        if end + 4 > len(raw):
            raise DataLossError(None, None, f"truncated record at {pos} in {name}")
        data = raw[start:end]
        if int.from_bytes(raw[end:end + 4], "little") != _masked_crc(data):
            raise DataLossError(None, None, f"corrupted record at {pos} in {name} (its data "
                                "fails the checksum)")
        records.append(data)
        pos = end + 4
    return records


# -- parsing tf.train.Example records ------------------------------------------------------------

class FixedLenFeature:
    """A feature with exactly ``prod(shape)`` values (``default_value`` when missing)."""

    def __init__(self, shape, dtype, default_value=None):
        self.shape, self.dtype = list(shape), dtypes.as_dtype(dtype)
        self.default_value = default_value


class FixedLenSequenceFeature:
    """A feature holding any number of items of ``shape`` (an Example's list of equal-sized
    items); batches pad with ``default_value`` (0 or empty)."""

    def __init__(self, shape, dtype, allow_missing=False, default_value=None):
        self.shape, self.dtype = list(shape), dtypes.as_dtype(dtype)
        self.allow_missing, self.default_value = allow_missing, default_value


class VarLenFeature:
    """A feature with any number of values: parsed to a SparseTensor."""

    def __init__(self, dtype):
        self.dtype = dtypes.as_dtype(dtype)


class RaggedFeature:
    """A feature with any number of values: parsed to a ragged tensor (a plain 1-D tensor
    for a single example)."""

    def __init__(self, dtype, value_key=None, partitions=(), row_splits_dtype=dtypes.int64,
                 validate=False):
        if partitions:
            raise NotImplementedError("RaggedFeature partitions are not supported yet")
        self.dtype, self.value_key = dtypes.as_dtype(dtype), value_key
        self.row_splits_dtype = dtypes.as_dtype(row_splits_dtype)


_LIST_OF = {"float32": "float_list", "int64": "int64_list", "string": "bytes_list"}
_TYPE_NAME = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}


def _feature_values(example, key, spec, index):
    """The raw values of feature ``key`` (None when absent), type-checked against ``spec``."""
    if spec.dtype.name not in _LIST_OF:
        raise ValueError(f"Invalid dtype {spec.dtype.name} for feature {key}: a feature is "
                         "float32, int64 or string")
    feature = example.features.feature.get(key)
    if feature is None or feature.WhichOneof("kind") is None:
        return None
    kind = feature.WhichOneof("kind")
    if kind != _LIST_OF[spec.dtype.name]:
        raise InvalidArgumentError(
            None, None, f"Name: <unknown>, Key: {key}, Index: {index}.  Data types don't "
            f"match. Data type: {_TYPE_NAME[kind]} but expected type: "
            f"{_TYPE_NAME[_LIST_OF[spec.dtype.name]]}")
    return list(getattr(feature, kind).value)


def _as_array(values, dtype):
    if dtype is dtypes.string:
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return arr
    return np.asarray(values, dtype=dtype.as_numpy_dtype)


def _messages(serialized, cls=None):
    """The serialized records (a string, list or tensor of them) as ``cls`` messages
    (Example by default)."""
    from .train import Example
    if isinstance(serialized, Tensor):
        serialized = serialized.numpy()
    items = np.asarray(serialized, dtype=object).reshape(-1)
    return [(cls or Example).FromString(bytes(s)) for s in items]


def _single(serialized, cls, op):
    found = _messages(serialized, cls)
    if len(found) != 1:
        raise ValueError(f"{op} takes one serialized example, got {len(found)}")
    return found[0]


def _variable(spec, lists):
    """Rows of values (lists) as a VarLenFeature's ``[rows, longest]`` SparseTensor or a
    RaggedFeature's RaggedTensor."""
    from .engine.tensor import constant
    from .ragged import RaggedTensor
    from .sparse import SparseTensor
    flat = constant(_as_array([x for v in lists for x in v], spec.dtype), dtype=spec.dtype)
    if isinstance(spec, VarLenFeature):
        indices = [[i, j] for i, v in enumerate(lists) for j in range(len(v))]
        return SparseTensor(np.asarray(indices, np.int64).reshape(-1, 2), flat,
                            [len(lists), max((len(v) for v in lists), default=0)])
    return RaggedTensor.from_row_lengths(flat, constant([len(v) for v in lists],
                                                        dtype=spec.row_splits_dtype))


def _fixed(key, spec, values, index):
    size = int(np.prod(spec.shape, dtype=np.int64))
    if values is None:
        if spec.default_value is None:
            raise InvalidArgumentError(
                None, None, f"Feature: {key} (data type: {_TYPE_NAME[_LIST_OF[spec.dtype.name]]})"
                " is required but could not be found.")
        return np.broadcast_to(_as_array(np.asarray(spec.default_value).reshape(-1).tolist(),
                                         spec.dtype), [size]).reshape(spec.shape)
    if len(values) != size:
        raise InvalidArgumentError(
            None, None, f"Key: {key}, Index: {index}.  Number of "
            f"{_TYPE_NAME[_LIST_OF[spec.dtype.name]]} values != expected.  Values size: "
            f"{len(values)} but output shape: {spec.shape}")
    return _as_array(values, spec.dtype).reshape(spec.shape)


def _items(key, spec, values, index):
    per = int(np.prod(spec.shape, dtype=np.int64))
    if values is None:
        if not spec.allow_missing:
            raise InvalidArgumentError(None, None, f"Feature: {key} is required but could "
                                       "not be found (allow_missing=False).")
        values = []
    if per and len(values) % per:
        raise InvalidArgumentError(None, None, f"Key: {key}, Index: {index}.  Number of values "
                                   f"{len(values)} is not a multiple of the item size {per}")
    return _as_array(values, spec.dtype).reshape([-1] + spec.shape)


def parse_example(serialized, features, example_names=None, name=None):
    """A batch of serialized Examples parsed by ``features`` (a dict of FixedLenFeature,
    FixedLenSequenceFeature, VarLenFeature or RaggedFeature): dense features stacked,
    variable ones as SparseTensor or RaggedTensor, each with the batch first."""
    from .engine.tensor import constant
    examples = _messages(serialized)
    out = {}
    for key, spec in features.items():
        raw = [_feature_values(ex, getattr(spec, "value_key", None) or key, spec, i)
               for i, ex in enumerate(examples)]
        if isinstance(spec, FixedLenFeature):
            rows = [_fixed(key, spec, v, i) for i, v in enumerate(raw)]
            out[key] = constant(np.stack(rows) if rows else
                                _as_array([], spec.dtype).reshape([0] + spec.shape),
                                dtype=spec.dtype)
        elif isinstance(spec, FixedLenSequenceFeature):
            rows = [_items(key, spec, v, i) for i, v in enumerate(raw)]
            longest = max((r.shape[0] for r in rows), default=0)
            fill = spec.default_value if spec.default_value is not None else \
                (b"" if spec.dtype is dtypes.string else 0)
            batch = np.full([len(rows), longest] + spec.shape, fill,
                            dtype=object if spec.dtype is dtypes.string else
                            spec.dtype.as_numpy_dtype)
            for i, r in enumerate(rows):
                batch[i, :r.shape[0]] = r
            out[key] = constant(batch, dtype=spec.dtype)
        elif isinstance(spec, (VarLenFeature, RaggedFeature)):
            out[key] = _variable(spec, [v or [] for v in raw])
        else:
            raise TypeError(f"Unsupported feature spec for {key}: {spec!r}")
    return out


def parse_single_example(serialized, features, example_names=None, name=None):
    """One serialized Example parsed by ``features`` (see parse_example), without the
    batch dimension."""
    from .engine.tensor import constant
    from .sparse import SparseTensor
    ex = _single(serialized, None, "parse_single_example")
    out = {}
    for key, spec in features.items():
        values = _feature_values(ex, getattr(spec, "value_key", None) or key, spec, 0)
        if isinstance(spec, FixedLenFeature):
            out[key] = constant(_fixed(key, spec, values, 0), dtype=spec.dtype)
        elif isinstance(spec, FixedLenSequenceFeature):
            out[key] = constant(_items(key, spec, values, 0), dtype=spec.dtype)
        elif isinstance(spec, VarLenFeature):
            values = values or []
            out[key] = SparseTensor(np.arange(len(values), dtype=np.int64).reshape(-1, 1),
                                    constant(_as_array(values, spec.dtype), dtype=spec.dtype),
                                    [len(values)])
        elif isinstance(spec, RaggedFeature):
            out[key] = constant(_as_array(values or [], spec.dtype), dtype=spec.dtype)
        else:
            raise TypeError(f"Unsupported feature spec for {key}: {spec!r}")
    return out


__all__ += ["FixedLenFeature", "FixedLenSequenceFeature", "RaggedFeature", "TFRecordOptions",
            "TFRecordWriter", "VarLenFeature", "parse_example", "parse_single_example"]


# ---------------------------------------------------------------------------------------------
# SequenceExample
# ---------------------------------------------------------------------------------------------

def _context(examples, features, single):
    """Context features, parsed as parse_single_example / parse_example parse Examples."""
    from .train import Example
    if not features:
        return {}
    as_examples = [Example(ex.context).SerializeToString() for ex in examples]
    if single:
        return parse_single_example(as_examples[0], features)
    return parse_example(as_examples, features)


def _steps(example, key, spec):
    """The values at each step of feature list ``key`` (None when absent), type-checked."""
    if spec.dtype.name not in _LIST_OF:
        raise ValueError(f"Invalid dtype {spec.dtype.name} for feature {key}: a feature is "
                         "float32, int64 or string")
    listed = example.feature_lists.feature_list.get(key)
    if listed is None:
        return None
    out = []
    for i, feature in enumerate(listed.feature):
        kind = feature.WhichOneof("kind")
        if kind is not None and kind != _LIST_OF[spec.dtype.name]:
            raise InvalidArgumentError(
                None, None, f"Name: <unknown>, Feature list: {key}, Index: {i}.  Data types "
                f"don't match. Expected type: {_TYPE_NAME[_LIST_OF[spec.dtype.name]]}")
        out.append(list(getattr(feature, kind).value) if kind else [])
    return out


def _fixed_steps(key, spec, steps):
    """``[steps] + shape`` values of a FixedLenSequenceFeature's list."""
    if steps is None:
        if not spec.allow_missing:
            raise InvalidArgumentError(
                None, None, f"Name: <unknown>, Feature list '{key}' is required but could not "
                "be found.  Did you mean to include it in feature_list_dense_missing_assumed_"
                "empty or feature_list_dense_defaults?")
        steps = []
    per = int(np.prod(spec.shape, dtype=np.int64))
    if any(len(v) != per for v in steps):
        total = sum(len(v) for v in steps)
        raise InvalidArgumentError(
            None, None, f"Feature list '{key}' has an unexpected number of values.  Total "
            f"values size: {total} is not consistent with output shape: "
            f"[?,{','.join(map(str, spec.shape))}]")
    return _as_array([x for v in steps for x in v], spec.dtype).reshape([len(steps)] +
                                                                         list(spec.shape))


def _check_sequence_spec(key, spec):
    if not isinstance(spec, (FixedLenSequenceFeature, VarLenFeature, RaggedFeature)):
        raise TypeError(f"Unsupported sequence feature spec for {key}: {spec!r} (use "
                        "FixedLenSequenceFeature, VarLenFeature or RaggedFeature)")


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None,
                                  example_name=None, name=None):
    """One serialized SequenceExample parsed into ``(context, sequences)``: context features
    as parse_single_example gives them; each sequence feature with its steps first -
    FixedLenSequenceFeature ``[steps] + shape``, VarLenFeature a ``[steps, longest]``
    SparseTensor, RaggedFeature a ``[steps, None]`` RaggedTensor."""
    from .engine.tensor import constant
    from .train import SequenceExample
    ex = _single(serialized, SequenceExample, "parse_single_sequence_example")
    sequences = {}
    for key, spec in (sequence_features or {}).items():
        _check_sequence_spec(key, spec)
        steps = _steps(ex, getattr(spec, "value_key", None) or key, spec)
        if isinstance(spec, FixedLenSequenceFeature):
            sequences[key] = constant(_fixed_steps(key, spec, steps), dtype=spec.dtype)
        else:
            sequences[key] = _variable(spec, steps or [])
    return _context([ex], context_features, single=True), sequences


def parse_sequence_example(serialized, context_features=None, sequence_features=None,
                           example_names=None, name=None):
    """A batch of serialized SequenceExamples parsed into ``(context, sequences, lengths)``:
    context as parse_example gives it; FixedLenSequenceFeature ``[batch, longest] + shape``
    (shorter sequences padded with zeros, their step counts in ``lengths``), VarLenFeature a
    ``[batch, steps, values]`` SparseTensor, RaggedFeature a ``[batch, None, None]``
    RaggedTensor."""
    from .engine.tensor import constant
    from .ragged import RaggedTensor
    from .sparse import SparseTensor
    from .train import SequenceExample
    examples = _messages(serialized, SequenceExample)
    sequences, lengths = {}, {}
    for key, spec in (sequence_features or {}).items():
        _check_sequence_spec(key, spec)
        per_example = [_steps(ex, getattr(spec, "value_key", None) or key, spec)
                       for ex in examples]
        if isinstance(spec, FixedLenSequenceFeature):
            arrays = [_fixed_steps(key, spec, steps) for steps in per_example]
            longest = max((a.shape[0] for a in arrays), default=0)
            fill = b"" if spec.dtype is dtypes.string else 0
            batch = np.full([len(arrays), longest] + list(spec.shape), fill,
                            dtype=object if spec.dtype is dtypes.string else
                            spec.dtype.as_numpy_dtype)
            for i, a in enumerate(arrays):
                batch[i, :a.shape[0]] = a
            sequences[key] = constant(batch, dtype=spec.dtype)
            lengths[key] = constant([a.shape[0] for a in arrays], dtype=dtypes.int64)
            continue
        per_example = [steps or [] for steps in per_example]
        flat = constant(_as_array([x for steps in per_example for v in steps for x in v],
                                  spec.dtype), dtype=spec.dtype)
        if isinstance(spec, VarLenFeature):
            indices = [[b, i, j] for b, steps in enumerate(per_example)
                       for i, v in enumerate(steps) for j in range(len(v))]
            shape = [len(per_example), max((len(s) for s in per_example), default=0),
                     max((len(v) for s in per_example for v in s), default=0)]
            sequences[key] = SparseTensor(np.asarray(indices, np.int64).reshape(-1, 3), flat,
                                          shape)
        else:
            inner = RaggedTensor.from_row_lengths(
                flat, constant([len(v) for s in per_example for v in s],
                               dtype=spec.row_splits_dtype))
            sequences[key] = RaggedTensor.from_row_lengths(
                inner, constant([len(s) for s in per_example], dtype=spec.row_splits_dtype))
    return _context(examples, context_features, single=False), sequences, lengths


__all__ += ["parse_sequence_example", "parse_single_sequence_example"]

from . import codecs as _codecs  # noqa: E402
from .codecs import *  # noqa: F401,F403,E402 - the image file codecs, as tf.io has them

__all__ += _codecs.__all__


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
