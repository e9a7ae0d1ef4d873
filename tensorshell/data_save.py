"""``Dataset.save`` and ``Dataset.load`` in TensorFlow's on-disk format, so that either library
reads what the other wrote.

The layout TensorFlow's ``tf.data.Dataset.save`` writes (snapshot format version 2)::

    path/dataset_spec.pb           the element spec, a StructuredValue (nested_structure_coder)
    path/snapshot.metadata         a SnapshotMetadataRecord: run id, version 2, dtypes, count
    path/<run id>/<shard:08d>.shard/00000000.snapshot
                                   TFRecord-framed records, one TensorProto (tensor_content
                                   form) per component of each element, in flattened order;
                                   compressed as a whole when ``compression`` is "GZIP"

Elements whose components are all tensors are supported (SparseTensor and RaggedTensor
components say so). ``load`` reads the shards in order (TensorFlow's default reader
interleaves them over the machine's cores, so its order across shards depends on the
machine; within a shard both read in the order written).
"""

from __future__ import annotations

import os
import random
import time

import numpy as np

from .engine import dtypes
from .engine.tensor import Tensor, TensorShape, convert_to_tensor
from .train import _fields, _length_delimited, _packed_varints, _read_varint, _varint

__all__ = ["save", "load"]

_VERSION = 2
_SPEC_FILE = "dataset_spec.pb"
_METADATA_FILE = "snapshot.metadata"


def _compression(compression) -> str:
    kind = (compression or "").upper()
    if kind in ("", "NONE"):
        return ""
    if kind == "GZIP":
        return "GZIP"
    if kind in ("SNAPPY", "AUTO"):
        raise NotImplementedError(f"compression={compression!r}: tensorshell writes and reads "
                                  "uncompressed or GZIP snapshots")
    raise ValueError(f"compression must be None, 'GZIP' or 'SNAPPY', got {compression!r}")


# -- TensorProto in the tensor_content form the snapshot writer uses ------------------------

def _shape_proto(shape) -> bytes:
    return b"".join(_length_delimited(2, b"\x08" + _varint(d) if d else b"") for d in shape)


def _encode_tensor(t: Tensor) -> bytes:
    value = np.asarray(t.numpy(), dtype=object if t.dtype is dtypes.string else None)
    proto = b"\x08" + _varint(t.dtype.as_datatype_enum) + \
        _length_delimited(2, _shape_proto(value.shape))
    if t.dtype is dtypes.string:     # all lengths as varints, then all the bytes
        items = [v if isinstance(v, bytes) else str(v).encode() for v in value.reshape(-1)]
        content = b"".join(_varint(len(v)) for v in items) + b"".join(items)
    else:
        content = np.ascontiguousarray(value, value.dtype.newbyteorder("<")).tobytes()
    return proto + (_length_delimited(4, content) if content else b"")


def _decode_tensor(record: bytes) -> Tensor:
    fields = list(_fields(record))
    enum = next((v for n, w, v in fields if n == 1 and w == 0), 0)
    by_enum = {number: name for name, number in dtypes.DATATYPE_ENUM.items()}
    dtype = dtypes.as_dtype(by_enum[enum])
    shape = []
    for n, _, v in fields:
        if n == 2:
            shape = [next((s for k, _, s in _fields(d) if k == 1), 0)
                     for k, _, d in _fields(v) if k == 2]
    content = b"".join(v for n, w, v in fields if n == 4)
    count = int(np.prod(shape, dtype=np.int64))
    if dtype is dtypes.string and (content or not count):
        lengths, pos = [], 0
        for _ in range(count):
            length, pos = _read_varint(content, pos)
            lengths.append(length)
        values = np.empty(count, dtype=object)
        for i, length in enumerate(lengths):
            values[i] = content[pos:pos + length]
            pos += length
        return convert_to_tensor(values.reshape(shape), dtype=dtype)
    if content or not count:
        values = np.frombuffer(content, dtype._np.newbyteorder("<")).astype(dtype._np)
        return convert_to_tensor(values.reshape(shape), dtype=dtype)
    from .io import parse_tensor       # the typed-field form, as any TensorProto
    return parse_tensor(convert_to_tensor(np.array(record, dtype=object)), dtype)


# -- the element spec as a StructuredValue ---------------------------------------------------

def _encode_spec(spec) -> bytes:
    from .data import TensorSpec
    if spec is None:
        return _length_delimited(1, b"")
    if isinstance(spec, TensorSpec) and getattr(spec, "ragged_rank", None) is None:
        shape = TensorShape(spec.shape)
        if shape.rank is None:
            shape_proto = b"\x18\x01"                          # unknown_rank
        else:
            shape_proto = b"".join(_length_delimited(2, b"\x08" + _varint(
                -1 if d is None else d) if d != 0 else b"") for d in shape.as_list())
        body = (_length_delimited(1, spec.name.encode()) if spec.name else b"") + \
            _length_delimited(2, shape_proto) + b"\x18" + _varint(spec.dtype.as_datatype_enum)
        return _length_delimited(33, body)
    if isinstance(spec, tuple) and hasattr(spec, "_fields"):
        pairs = b"".join(_length_delimited(2, _length_delimited(1, k.encode())
                                           + _length_delimited(2, _encode_spec(v)))
                         for k, v in zip(spec._fields, spec))
        return _length_delimited(54, _length_delimited(1, type(spec).__name__.encode())
                                 + pairs)
    if isinstance(spec, tuple):
        return _length_delimited(52, b"".join(_length_delimited(1, _encode_spec(v))
                                              for v in spec))
    if isinstance(spec, list):
        return _length_delimited(51, b"".join(_length_delimited(1, _encode_spec(v))
                                              for v in spec))
    if isinstance(spec, dict):
        return _length_delimited(53, b"".join(
            _length_delimited(1, _length_delimited(1, str(k).encode())
                              + _length_delimited(2, _encode_spec(spec[k])))
            for k in sorted(spec)))
    raise NotImplementedError(f"Dataset.save: elements with {type(spec).__name__} components "
                              "are not supported (tensors in tuples and dicts are)")


def _decode_spec(data: bytes):
    from collections import namedtuple

    from .data import TensorSpec
    for number, _, value in _fields(data):
        if number == 1:
            return None
        if number == 33:
            name, shape, enum = None, None, 0
            for n, w, v in _fields(value):
                if n == 1:
                    name = v.decode()
                elif n == 2:
                    dims, unknown = [], False
                    for k, _, d in _fields(v):
                        if k == 2:
                            size = next((s for j, _, s in _fields(d) if j == 1), 0)
                            size = size - (1 << 64) if size >= 1 << 63 else size
                            dims.append(None if size < 0 else size)
                        elif k == 3:
                            unknown = True
                    shape = None if unknown else dims
                elif n == 3:
                    enum = v
            by_enum = {num: nm for nm, num in dtypes.DATATYPE_ENUM.items()}
            return TensorSpec(shape, dtypes.as_dtype(by_enum[enum]), name)
        if number in (51, 52):
            items = [_decode_spec(v) for n, _, v in _fields(value) if n == 1]
            return items if number == 51 else tuple(items)
        if number == 53:
            out = {}
            for n, _, entry in _fields(value):
                parts = {k: v for k, _, v in _fields(entry)}
                out[parts.get(1, b"").decode()] = _decode_spec(parts.get(2, b""))
            return out
        if number == 54:
            type_name, keys, values = "NamedTuple", [], []
            for n, _, v in _fields(value):
                if n == 1:
                    type_name = v.decode()
                elif n == 2:
                    parts = {k: x for k, _, x in _fields(v)}
                    keys.append(parts.get(1, b"").decode())
                    values.append(_decode_spec(parts.get(2, b"")))
            return namedtuple(type_name, keys)(*values)
    raise NotImplementedError("Dataset.load: the saved element spec holds components other "
                              "than tensors, tuples, lists, dicts and named tuples")


# -- save and load ----------------------------------------------------------------------------

def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    """Write ``dataset``'s elements under ``path`` in TensorFlow's format; ``shard_func``
    (called as ``map`` calls its function) gives each element's int64 shard index."""
    from .data import TensorSpec, _call, _flatten
    from .io import TFRecordOptions, TFRecordWriter
    if checkpoint_args is not None:
        raise NotImplementedError("Dataset.save: checkpoint_args (resumable saving) is not "
                                  "supported")
    kind = _compression(compression)
    spec = dataset.element_spec
    leaf_specs = _flatten(spec)
    if not all(isinstance(s, TensorSpec) for s in leaf_specs):
        _encode_spec(next(s for s in leaf_specs if not isinstance(s, TensorSpec)))
    path = os.fspath(path)
    run_id = str(random.getrandbits(64))
    os.makedirs(os.path.join(path, run_id), exist_ok=True)
    writers: dict[int, TFRecordWriter] = {}
    count = 0
    try:
        for element in dataset:
            shard = 0 if shard_func is None else _shard_index(_call(shard_func, element))
            writer = writers.get(shard)
            if writer is None:
                folder = os.path.join(path, run_id, f"{shard:08d}.shard")
                os.makedirs(folder, exist_ok=True)
                writer = writers[shard] = TFRecordWriter(
                    os.path.join(folder, "00000000.snapshot"), TFRecordOptions(kind))
            for t in _flatten(element):
                if not isinstance(t, Tensor):
                    raise NotImplementedError(
                        f"Dataset.save: elements with {type(t).__name__} components are not "
                        "supported (tensors in tuples and dicts are)")
                writer.write(_encode_tensor(t))
            count += 1
    finally:
        for writer in writers.values():
            writer.close()
    with open(os.path.join(path, _SPEC_FILE), "wb") as f:
        f.write(_encode_spec(spec))
    enums = b"".join(_varint(s.dtype.as_datatype_enum) for s in leaf_specs)
    metadata = _length_delimited(2, run_id.encode()) + \
        b"\x18" + _varint(int(time.time() * 1e6)) + b"\x20" + _varint(_VERSION) + \
        (_length_delimited(5, enums) if enums else b"") + b"\x30" + _varint(count) + \
        _varint((1000 << 3) | 0) + b"\x01"
    with open(os.path.join(path, _METADATA_FILE), "wb") as f:
        f.write(metadata)


def _shard_index(value) -> int:
    v = value.numpy() if isinstance(value, Tensor) else value
    if np.ndim(v) != 0 or not np.issubdtype(np.asarray(v).dtype, np.integer):
        raise ValueError(f"Dataset.save: shard_func must return a scalar int64, got {value!r}")
    if int(v) < 0:
        raise ValueError(f"Dataset.save: shard_func returned a negative shard index {int(v)}")
    return int(v)


def _metadata(path):
    try:
        with open(os.path.join(path, _METADATA_FILE), "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        from .engine.errors import NotFoundError
        raise NotFoundError(None, None, f"Could not find metadata file {_METADATA_FILE} in "
                            f"{path}: is it a directory Dataset.save wrote?") from None
    run_id, version, enums, count = "", 0, [], -2
    for n, w, v in _fields(raw):
        if n == 2:
            run_id = v.decode()
        elif n == 6:
            count = v
        elif n == 4:
            version = v
        elif n == 5:
            enums += _packed_varints(v) if w == 2 else [v]
    if version != _VERSION:
        raise NotImplementedError(f"Dataset.load: snapshot version {version} (this reads "
                                  f"version {_VERSION}, which Dataset.save writes)")
    return run_id, count


def load(path, element_spec=None, compression=None, reader_func=None):
    """The dataset ``save`` (tensorshell's or TensorFlow's) wrote under ``path``."""
    from .data import Dataset, _flatten, _pack
    from .io import read_tfrecords
    path = os.fspath(path)
    kind = _compression(compression)
    run_id, count = _metadata(path)
    if element_spec is None:
        with open(os.path.join(path, _SPEC_FILE), "rb") as f:
            element_spec = _decode_spec(f.read())
    width = len(_flatten(element_spec))
    run = os.path.join(path, run_id)
    shards = sorted(d for d in os.listdir(run) if d.endswith(".shard")) if \
        os.path.isdir(run) else []

    def shard_dataset(folder):
        files = sorted(os.path.join(run, folder, f) for f in os.listdir(os.path.join(
            run, folder)) if f.endswith(".snapshot"))

        def elements():
            components = []
            for file in files:
                for record in read_tfrecords(file, kind):
                    components.append(_decode_tensor(record))
                    if len(components) == width:
                        yield _pack(element_spec, components)
                        components = []
        return Dataset(elements, -2, "_LoadDataset", element_spec)

    parts = [shard_dataset(folder) for folder in shards]
    if reader_func is not None:
        return reader_func(Dataset(lambda: iter(parts), len(parts), "_ShardsDataset", None))

    def all_elements():
        for part in parts:
            yield from part
    return Dataset(all_elements, count, "_LoadDataset", element_spec)
