"""``ts.io``: reading and writing files and parsing CSV records, as TensorFlow's
``tf.io.read_file``, ``write_file`` and ``decode_csv`` (for ``tf.data`` pipelines over
``TextLineDataset``)."""

from __future__ import annotations

import csv
import re

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

# -- tensors as bytes: TensorProto, raw buffers, base64, compression ----------------------------

def _string_tensor(value, op_name: str) -> Tensor:
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    if t.dtype is not dtypes.string:
        raise InvalidArgumentError(None, None, f"{op_name} takes a string tensor, got "
                                   f"{t.dtype.name}")
    return t


def _strings_like(t: Tensor, items) -> Tensor:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return convert_to_tensor(out.reshape(t.shape), dtype=dtypes.string)


def _shape_proto(shape) -> bytes:
    from .train import _length_delimited, _varint
    return b"".join(_length_delimited(2, b"\x08" + _varint(d) if d else b"") for d in shape)


def serialize_tensor(tensor, name=None) -> Tensor:
    """``tensor`` as a serialized TensorProto (a string scalar), byte for byte what
    TensorFlow writes; ``parse_tensor`` reads it back."""
    from .train import _length_delimited, _varint
    t = tensor if isinstance(tensor, Tensor) else convert_to_tensor(tensor)
    value = np.asarray(t.numpy(), dtype=object if t.dtype is dtypes.string else None)
    proto = b"\x08" + _varint(t.dtype.as_datatype_enum) + \
        _length_delimited(2, _shape_proto(value.shape))
    if t.dtype is dtypes.string:
        proto += b"".join(_length_delimited(8, v if isinstance(v, bytes) else str(v).encode())
                          for v in np.asarray(value, object).reshape(-1))
    elif value.size:
        proto += _length_delimited(
            4, np.ascontiguousarray(value, value.dtype.newbyteorder("<")).tobytes())
    return convert_to_tensor(np.array(proto, dtype=object), dtype=dtypes.string)


# TensorProto's typed value fields: (field, NumPy type the wire values are read as)
_PROTO_VALUES = {5: "float32", 6: "float64", 7: "int32", 9: "complex64", 10: "int64",
                 11: "bool", 12: "complex128", 13: "float16", 16: "uint32", 17: "uint64"}


def parse_tensor(serialized, out_type, name=None) -> Tensor:
    """The tensor in a serialized TensorProto (``serialize_tensor``'s output, or any
    TensorProto TensorFlow writes); ``out_type`` must be its dtype."""
    from .train import _fields, _packed_varints, _signed64
    want = dtypes.as_dtype(out_type)
    raw = _string_tensor(serialized, "parse_tensor").numpy()
    if not isinstance(raw, bytes):
        raise InvalidArgumentError(None, None, "parse_tensor takes one serialized "
                                   "TensorProto (a string scalar)")
    try:
        fields = list(_fields(raw))
        enum = next((v for n, w, v in fields if n == 1 and w == 0), 0)
        shape = []
        for n, _, v in fields:
            if n == 2:
                shape = [next((s for k, _, s in _fields(d) if k == 1), 0)
                         for k, _, d in _fields(v) if k == 2]
        by_enum = {number: name for name, number in dtypes.DATATYPE_ENUM.items()}
        if enum not in by_enum:
            raise ValueError(f"DataType {enum}")
        got = dtypes.as_dtype(by_enum[enum])
    except ValueError:
        import base64
        raise InvalidArgumentError(None, None, "Could not parse `serialized` as TensorProto, "
                                   f"base64: {base64.b64encode(raw).decode()}") from None
    if got is not want:
        raise InvalidArgumentError(None, None, f"Type mismatch between parsed tensor "
                                   f"({got.name}) and dtype ({want.name})")
    count = int(np.prod(shape, dtype=np.int64))
    if got is dtypes.string:
        items = [v for n, _, v in fields if n == 8]
        values = np.empty(count, dtype=object)
        if items:
            values[:] = (items + [items[-1]] * count)[:count]
        else:
            values[:] = b""
        return convert_to_tensor(values.reshape(shape), dtype=got)
    content = b"".join(v for n, w, v in fields if n == 4)
    if content:
        values = np.frombuffer(content, got._np.newbyteorder("<")).astype(got._np)
    else:
        listed = []
        for n, w, v in fields:
            kind = _PROTO_VALUES.get(n)
            if kind is None:
                continue
            if kind in ("float32", "complex64"):
                listed += np.frombuffer(v, "<f4").tolist()
            elif kind in ("float64", "complex128"):
                listed += np.frombuffer(v, "<f8").tolist()
            elif w == 2:
                listed += _packed_varints(v)
            else:
                listed.append(_signed64(v))
        values = np.array(listed)
        if got.is_complex:
            values = values[0::2] + 1j * values[1::2]
        elif got is dtypes.float16 and values.size:
            values = values.astype(np.uint16).view(np.float16)
        values = values.astype(got._np)
        if values.size and values.size < count:        # the last value repeats
            values = np.concatenate([values, np.repeat(values[-1:], count - values.size)])
        elif not values.size:
            values = np.zeros(count, got._np)
    if values.size != count:
        raise InvalidArgumentError(None, None, f"TensorProto holds {values.size} values for "
                                   f"shape {shape}")
    return convert_to_tensor(values.reshape(shape), dtype=got)


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None,
               name=None) -> Tensor:
    """Each string of ``input_bytes`` read as a vector of ``out_type`` numbers (shape
    ``input.shape + [n]``); ``fixed_length`` pads with zeros or cuts every string to that
    many bytes first."""
    d = dtypes.as_dtype(out_type)
    if d is dtypes.string:
        raise InvalidArgumentError(None, None, "decode_raw: out_type must be numeric")
    t = _string_tensor(input_bytes, "decode_raw")
    items = [bytes(v) for v in np.asarray(t.numpy(), dtype=object).reshape(-1)]
    size = d._np.itemsize
    if fixed_length is not None:
        fixed_length = int(fixed_length.numpy() if isinstance(fixed_length, Tensor)
                           else fixed_length)
        if fixed_length % size:
            raise InvalidArgumentError(None, None, f"fixed_length ({fixed_length}) must be a "
                                       f"multiple of the size of out_type ({size})")
        items = [v[:fixed_length].ljust(fixed_length, b"\0") for v in items]
    elif items:
        for i, v in enumerate(items):
            if len(v) != len(items[0]):
                raise InvalidArgumentError(None, None, "DecodeRaw requires input strings to "
                                           f"all be the same size, but element {i} has "
                                           f"size {len(v)} != {len(items[0])}")
        if len(items[0]) % size:
            raise InvalidArgumentError(None, None, f"Input to DecodeRaw has length "
                                       f"{len(items[0])} that is not a multiple of {size}, "
                                       f"the size of {d.name}")
    width = (len(items[0]) if items else 0) // size
    order = "<" if little_endian else ">"
    values = np.frombuffer(b"".join(items), d._np.newbyteorder(order)).astype(d._np)
    return convert_to_tensor(values.reshape(tuple(t.shape) + (width,)), dtype=d)


def encode_base64(input, pad=False, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """Each string in web-safe base64 (``-`` and ``_``), unpadded unless ``pad``."""
    import base64
    t = _string_tensor(input, "encode_base64")
    flat = np.asarray(t.numpy(), dtype=object).reshape(-1)
    out = [base64.urlsafe_b64encode(bytes(v)) for v in flat]
    return _strings_like(t, out if pad else [v.rstrip(b"=") for v in out])


def decode_base64(input, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """Each web-safe base64 string decoded (padded or not)."""
    import base64
    import binascii
    t = _string_tensor(input, "decode_base64")
    out = []
    for v in np.asarray(t.numpy(), dtype=object).reshape(-1):
        text = bytes(v)
        body = text.rstrip(b"=")
        padding = len(text) - len(body)
        if not re.fullmatch(rb"[A-Za-z0-9_-]*", body) or len(body) % 4 == 1 or \
                padding > 2 or (padding and (len(body) + padding) % 4):
            raise InvalidArgumentError(None, None, "Invalid character found in base64.")
        try:
            out.append(base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4)))
        except binascii.Error:
            raise InvalidArgumentError(None, None, "Invalid character found in base64.") \
                from None
    return _strings_like(t, out)


def decode_compressed(bytes, compression_type="", name=None) -> Tensor:  # noqa: A002
    """Each string inflated as "ZLIB" or "GZIP" ("" leaves it as it is); data that does not
    inflate raises DataLossError."""
    import zlib
    from .engine.errors import DataLossError
    t = _string_tensor(bytes, "decode_compressed")
    out = []
    for v in np.asarray(t.numpy(), dtype=object).reshape(-1):
        try:
            out.append(decompress(v, compression_type))
        except (zlib.error, OSError, EOFError) as e:
            raise DataLossError(None, None, f"decode_compressed: the data does not inflate "
                                f"as {compression_type}: {e}") from None
    return _strings_like(t, out)


from . import gfile  # noqa: E402,F401 - ts.io.gfile

__all__ += ["serialize_tensor", "parse_tensor", "decode_raw", "encode_base64",
            "decode_base64", "decode_compressed", "gfile"]

from . import codecs as _codecs  # noqa: E402
from .codecs import *  # noqa: F401,F403,E402 - the image file codecs, as tf.io has them

__all__ += _codecs.__all__


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())


# -- SparseTensors as strings, file patterns ---------------------------------------------------

def serialize_sparse(sp_input, out_type=dtypes.string, name=None) -> Tensor:
    """A SparseTensor as 3 strings: its indices, values and dense shape, each a serialized
    TensorProto (TensorFlow's bytes)."""
    from .sparse import SparseTensor
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"serialize_sparse takes a SparseTensor, got {type(sp_input).__name__}")
    if dtypes.as_dtype(out_type) is not dtypes.string:
        raise TypeError("serialize_sparse: only out_type=ts.string (variants are TensorFlow "
                        "graph values)")
    parts = [serialize_tensor(t).numpy() for t in (sp_input.indices, sp_input.values,
                                                     sp_input.dense_shape)]
    return convert_to_tensor(np.array(parts, dtype=object), dtype=dtypes.string)


def serialize_many_sparse(sp_input, out_type=dtypes.string, name=None) -> Tensor:
    """Each row (along the first dimension) of a SparseTensor serialized as by
    ``serialize_sparse``: [rows, 3] strings."""
    from .sparse import SparseTensor
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"serialize_many_sparse takes a SparseTensor, got "
                        f"{type(sp_input).__name__}")
    if sp_input.shape.rank is None or sp_input.shape.rank < 1:
        raise InvalidArgumentError(None, None, "serialize_many_sparse needs rank >= 1")
    indices = np.asarray(sp_input.indices.numpy(), np.int64)
    values = np.asarray(sp_input.values.numpy())
    shape = np.asarray(sp_input.dense_shape.numpy(), np.int64)
    rows = []
    for r in range(int(shape[0])):
        keep = indices[:, 0] == r
        rows.append(serialize_sparse(SparseTensor(indices[keep, 1:].reshape(-1, len(shape) - 1),
                                                  convert_to_tensor(values[keep],
                                                                    dtype=sp_input.dtype),
                                                  shape[1:])).numpy())
    out = np.array(rows, dtype=object).reshape(len(rows), 3)
    return convert_to_tensor(out, dtype=dtypes.string)


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """The SparseTensor whose rows ``serialize_many_sparse`` (or ``serialize_sparse``
    stacked) wrote: [rows, 3] strings; the dense shape takes the largest row's."""
    from .sparse import SparseTensor
    raw = np.asarray(_string_tensor(serialized_sparse, "deserialize_many_sparse").numpy(),
                     dtype=object)
    if raw.ndim != 2 or raw.shape[1] != 3:
        raise InvalidArgumentError(None, None, f"deserialize_many_sparse takes [rows, 3] "
                                   f"serialized SparseTensors, got shape {list(raw.shape)}")
    d = dtypes.as_dtype(dtype)
    parts, shapes = [], []
    for r, (ind, val, shp) in enumerate(raw):
        i = np.asarray(parse_tensor(ind, dtypes.int64).numpy(), np.int64)
        v = parse_tensor(val, d)
        s = np.asarray(parse_tensor(shp, dtypes.int64).numpy(), np.int64)
        shapes.append(s)
        rows = i.reshape(-1, len(s)) if len(s) else np.zeros((i.size, 0), np.int64)
        parts.append((np.concatenate([np.full((len(rows), 1), r, np.int64), rows], 1), v))
    if len({len(s) for s in shapes}) > 1:
        raise InvalidArgumentError(None, None, "deserialize_many_sparse: rows of different "
                                   "ranks")
    width = (len(shapes[0]) if shapes else (rank or 1) - 1) + 1
    indices = np.concatenate([p[0] for p in parts]).reshape(-1, width) if parts else \
        np.zeros((0, width), np.int64)
    from .engine.ops.shape import concat
    values = concat([p[1] for p in parts], 0) if parts else convert_to_tensor(
        np.zeros(0, d.as_numpy_dtype), dtype=d)
    dense = [len(raw)] + (np.max(shapes, 0).tolist() if shapes else [])
    return SparseTensor(indices, values, dense)


def matching_files(pattern, name=None) -> Tensor:
    """The files matching ``pattern`` (or each of a list of patterns, in order; each
    pattern's matches sorted)."""
    from . import gfile
    patterns = np.asarray(_string_tensor(pattern, "matching_files").numpy(),
                          dtype=object).reshape(-1)
    found = [p.encode() for pat in patterns for p in gfile.glob(
        pat.decode() if isinstance(pat, bytes) else str(pat))]
    return convert_to_tensor(np.array(found, dtype=object).reshape(-1), dtype=dtypes.string)


__all__ += ["deserialize_many_sparse", "matching_files", "serialize_many_sparse",
            "serialize_sparse"]
