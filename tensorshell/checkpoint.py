"""Checkpoints in TensorFlow's format: ``ts.train.Checkpoint``, ``CheckpointManager`` and the
readers (``load_checkpoint``, ``list_variables``, ``load_variable``, ``latest_checkpoint``).

>>> ckpt = ts.train.Checkpoint(model=model, optimizer=opt)
>>> manager = ts.train.CheckpointManager(ckpt, "runs/a", max_to_keep=3)
>>> manager.save()                               # runs/a/ckpt-1.index, .data-00000-of-00001
>>> ckpt.restore(manager.latest_checkpoint).assert_consumed()

What is saved is the object graph TensorFlow saves: from the root, every Variable reached
through attributes of ``ts.Module``s (in the order they were set), lists, tuples and dicts,
named by its path (``model/layers/0/w/.ATTRIBUTES/VARIABLE_VALUE``), beside the serialized
graph itself. Optimizers save Keras's layout (``_iterations``, ``_learning_rate`` and
``_variables/i``). The files are TensorFlow's TensorBundle - a LevelDB table of entries and
one data file - written and read here without TensorFlow, so a checkpoint written here
restores into the same structure built with TensorFlow, and the other way round. Restoring
matches objects by those paths, not by Variable names; optimizer slots saved before the
optimizer's first step are restored when it builds them.
"""

from __future__ import annotations

import os
import re
import struct
import time

import numpy as np

from .engine import dtypes
from .engine.errors import DataLossError, InvalidArgumentError, NotFoundError
from .engine.variable import Variable
from .io import _masked_crc
from .train import _fields, _length_delimited, _read_varint, _varint

__all__ = ["Checkpoint", "CheckpointManager", "CheckpointOptions", "CheckpointReader",
           "CheckpointView", "checkpoints_iterator", "latest_checkpoint",
           "get_checkpoint_state", "load_checkpoint", "list_variables", "load_variable"]

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
_VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
_TABLE_MAGIC = 0xDB4775248B80FB57
_BY_ENUM = {number: dtypes.as_dtype(name) for name, number in dtypes.DATATYPE_ENUM.items()}


# -- TensorBundle: a LevelDB table of BundleEntryProtos beside one data file --------------------

def _block(entries, restart_interval: int) -> bytes:
    """A LevelDB block: prefix-compressed entries, then the restart offsets."""
    out, restarts, last = bytearray(), [], b""
    for i, (key, value) in enumerate(entries):
        shared = 0
        if i % restart_interval == 0:
            restarts.append(len(out))
        else:
            limit = min(len(key), len(last))
            while shared < limit and key[shared] == last[shared]:
                shared += 1
        out += _varint(shared) + _varint(len(key) - shared) + _varint(len(value))
        out += key[shared:] + value
        last = key
    restarts = restarts or [0]
    return bytes(out) + struct.pack(f"<{len(restarts) + 1}I", *restarts, len(restarts))


def _block_entries(block: bytes):
    """(key, value) pairs of a LevelDB block."""
    (count,) = struct.unpack_from("<I", block, len(block) - 4)
    end = len(block) - 4 * (count + 1)
    pos, key = 0, b""
    while pos < end:
        shared, pos = _read_varint(block, pos)
        fresh, pos = _read_varint(block, pos)
        size, pos = _read_varint(block, pos)
        key = key[:shared] + block[pos:pos + fresh]
        pos += fresh
        yield key, block[pos:pos + size]
        pos += size


def _write_table(path: str, items: list) -> None:
    """A LevelDB table (TensorFlow's io/table format, uncompressed) of sorted (key, value)."""
    out, index = bytearray(), []

    def put(block: bytes) -> bytes:
        handle = _varint(len(out)) + _varint(len(block))
        trailer = b"\x00"                                    # no compression
        out.extend(block + trailer + struct.pack("<I", _masked_crc(block + trailer)))
        return handle

    chunk, size = [], 0
    for key, value in items:
        chunk.append((key, value))
        size += len(key) + len(value)
        if size >= 256 * 1024:
            index.append((chunk[-1][0], put(_block(chunk, 16))))
            chunk, size = [], 0
    if chunk:
        index.append((chunk[-1][0], put(_block(chunk, 16))))
    meta = put(_block([], 16))
    handles = meta + put(_block(index, 1))
    out += handles + bytes(40 - len(handles)) + struct.pack("<Q", _TABLE_MAGIC)
    with open(path, "wb") as f:
        f.write(out)


def _read_table(path: str) -> dict:
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 48 or struct.unpack_from("<Q", data, len(data) - 8)[0] != _TABLE_MAGIC:
        raise DataLossError(None, None, f"{path} is not a TensorFlow checkpoint index (no "
                            "table footer)")

    def block_at(handle: bytes, pos: int = 0):
        offset, pos = _read_varint(handle, pos)
        size, pos = _read_varint(handle, pos)
        block = data[offset:offset + size]
        if len(block) != size or data[offset + size] != 0:
            raise DataLossError(None, None, f"{path}: a table block is truncated or "
                                "compressed (only uncompressed tables are read)")
        crc = struct.unpack_from("<I", data, offset + size + 1)[0]
        if crc != _masked_crc(block + b"\x00"):
            raise DataLossError(None, None, f"{path}: a table block fails its checksum")
        return block, pos

    footer = data[-48:-8]
    _, pos = _read_varint(footer, _read_varint(footer, 0)[1])      # skip the metaindex
    index, _ = block_at(footer, pos)
    table = {}
    for _, handle in _block_entries(index):
        table.update(_block_entries(block_at(handle)[0]))
    return table


def _entry_proto(dtype, shape, offset, size, crc) -> bytes:
    dims = b"".join(_length_delimited(2, b"\x08" + _varint(d)) for d in shape)
    return (b"\x08" + _varint(dtype.as_datatype_enum) + _length_delimited(2, dims) +
            b"\x20" + _varint(offset) + b"\x28" + _varint(size) + b"\x35" +
            struct.pack("<I", crc))


def _string_crc_input(items: list) -> tuple[bytes, bytes]:
    """(varint lengths, what the checksum covers) of a string tensor: TensorFlow sums the
    lengths as fixed-width integers (uint32, uint64 past 4 GiB), not as written."""
    lengths = b"".join(_varint(len(v)) for v in items)
    fixed = b"".join(struct.pack("<I" if len(v) <= 0xFFFFFFFF else "<Q", len(v))
                     for v in items)
    return lengths, fixed


def _tensor_bytes(value: np.ndarray, dtype) -> tuple[bytes, int]:
    """The bytes of a tensor in the data file and its (masked) CRC-32C."""
    if dtype.is_string:
        items = [v if isinstance(v, bytes) else str(v).encode() for v in value.reshape(-1)]
        lengths, fixed = _string_crc_input(items)
        length_crc = struct.pack("<I", _masked_crc(fixed))
        return (lengths + length_crc + b"".join(items),
                _masked_crc(fixed + length_crc + b"".join(items)))
    raw = np.ascontiguousarray(value, value.dtype.newbyteorder("<")).tobytes()
    return raw, _masked_crc(raw)


def write_bundle(prefix: str, tensors: dict) -> None:
    """Write ``{key: ndarray}`` as the TensorBundle ``prefix.index`` + data file."""
    directory = os.path.dirname(prefix)
    if directory:
        os.makedirs(directory, exist_ok=True)
    entries, data = [], bytearray()
    for key in sorted(tensors, key=lambda k: k.encode()):
        value = tensors[key]
        d = dtypes.string if value.dtype == object else dtypes.from_numpy(value.dtype)
        raw, crc = _tensor_bytes(value, d)
        entries.append((key.encode(), _entry_proto(d, value.shape, len(data), len(raw), crc)))
        data += raw
    header = b"\x08\x01" + _length_delimited(3, b"\x08\x01")   # 1 shard; producer 1
    tmp = f"{prefix}.tempstate{os.getpid()}"
    with open(tmp + ".data", "wb") as f:
        f.write(data)
    _write_table(tmp + ".index", [(b"", header)] + entries)
    os.replace(tmp + ".data", f"{prefix}.data-00000-of-00001")
    os.replace(tmp + ".index", f"{prefix}.index")


class CheckpointReader:
    """What ``ts.train.load_checkpoint`` returns: the tensors of one checkpoint by key."""

    def __init__(self, prefix: str):
        prefix = str(prefix)
        if os.path.isdir(prefix):
            prefix = latest_checkpoint(prefix) or prefix
        if not os.path.exists(prefix + ".index"):
            raise NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: "
                                f"Failed to find any matching files for {prefix}")
        self.prefix = prefix
        self._entries = {}
        for key, value in _read_table(prefix + ".index").items():
            if key:
                self._entries[key.decode()] = _parse_entry(value)
        self._shards = {}

    def has_tensor(self, key: str) -> bool:
        return key in self._entries

    def get_variable_to_shape_map(self) -> dict:
        return {k: list(e["shape"]) for k, e in self._entries.items()}

    def get_variable_to_dtype_map(self) -> dict:
        return {k: e["dtype"] for k, e in self._entries.items()}

    def get_tensor(self, key: str):
        """The saved value of ``key`` as a NumPy array (a bytes object for a string
        scalar), checked against its CRC-32C."""
        entry = self._entries.get(key)
        if entry is None:
            raise NotFoundError(None, None, f"Key {key} not found in checkpoint")
        shard = entry["shard"]
        if shard not in self._shards:
            path = f"{self.prefix}.data-{shard:05d}-of-{max(1, self._num_shards()):05d}"
            with open(path, "rb") as f:
                self._shards[shard] = f.read()
        raw = self._shards[shard][entry["offset"]:entry["offset"] + entry["size"]]
        d, shape = entry["dtype"], entry["shape"]
        count = int(np.prod(shape, dtype=np.int64))
        value = None
        try:
            if d.is_string:
                pos, items = 0, []
                for _ in range(count):
                    n, pos = _read_varint(raw, pos)
                    items.append(n)
                pos += 4
                for i, n in enumerate(items):
                    items[i] = bytes(raw[pos:pos + n])
                    pos += n
                value = np.empty(count, object)
                value[:] = items
                _, fixed = _string_crc_input(items)
                length_crc = raw[pos - 4 - sum(map(len, items)):][:4]
                crc = _masked_crc(fixed + length_crc + b"".join(items))
            else:
                crc = _masked_crc(raw)
                value = np.frombuffer(raw, d._np.newbyteorder("<")).astype(d._np)
        except (ValueError, IndexError):
            crc = None
        if len(raw) != entry["size"] or crc != entry["crc"]:
            raise DataLossError(None, None, f"Checksum does not match for key {key} in "
                                f"{self.prefix}: the checkpoint is corrupt or truncated")
        value = value.reshape(shape)
        return value[()] if d.is_string and not shape else value.copy()

    def _num_shards(self) -> int:
        header = _read_table(self.prefix + ".index").get(b"", b"")
        return next((v for n, w, v in _fields(header) if n == 1 and w == 0), 1)


def _parse_entry(data: bytes) -> dict:
    entry = {"dtype": dtypes.float32, "shape": (), "shard": 0, "offset": 0, "size": 0,
             "crc": 0}
    for number, wire, value in _fields(data):
        if number == 1:
            if value not in _BY_ENUM:
                raise InvalidArgumentError(None, None, f"checkpoint entry of DataType "
                                           f"{value}, which tensorshell has no dtype for")
            entry["dtype"] = _BY_ENUM[value]
        elif number == 2:
            entry["shape"] = tuple(
                next((s for k, _, s in _fields(dim) if k == 1), 0)
                for k, _, dim in _fields(value) if k == 2)
        elif number in (3, 4, 5):
            entry[{3: "shard", 4: "offset", 5: "size"}[number]] = value
        elif number == 6:
            entry["crc"] = struct.unpack("<I", value)[0]
        elif number == 7:
            raise InvalidArgumentError(None, None, "checkpoint holds a partitioned "
                                       "(sliced) variable, which tensorshell does not read")
    return entry


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    """A reader of the checkpoint at a prefix, or of the latest one in a directory."""
    return CheckpointReader(ckpt_dir_or_file)


def list_variables(ckpt_dir_or_file) -> list:
    """``(key, shape)`` of every tensor in the checkpoint, sorted by key."""
    reader = load_checkpoint(ckpt_dir_or_file)
    return sorted((k, v) for k, v in reader.get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name: str):
    """The saved value of one key (``/.ATTRIBUTES/VARIABLE_VALUE`` may be left off)."""
    reader = load_checkpoint(ckpt_dir_or_file)
    if not reader.has_tensor(name) and reader.has_tensor(name + _VALUE_SUFFIX):
        name += _VALUE_SUFFIX
    return reader.get_tensor(name)


# -- the checkpoint state file ("checkpoint") ---------------------------------------------------

class CheckpointState:
    """The ``checkpoint`` file of a directory: the latest prefix and those kept."""

    def __init__(self, model_checkpoint_path="", all_model_checkpoint_paths=(),
                 all_model_checkpoint_timestamps=(), last_preserved_timestamp=0.0):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __repr__(self):
        return (f"model_checkpoint_path: {self.model_checkpoint_path!r}\n"
                f"all_model_checkpoint_paths: {self.all_model_checkpoint_paths!r}")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_state(directory: str, latest: str, paths, timestamps=(), preserved=None) -> None:
    def rel(p):
        return os.path.relpath(p, directory) if os.path.dirname(p) == directory.rstrip(
            os.sep) or os.path.abspath(os.path.dirname(p)) == os.path.abspath(directory) \
            else p
    lines = [f"model_checkpoint_path: {_quote(rel(latest))}"]
    lines += [f"all_model_checkpoint_paths: {_quote(rel(p))}" for p in paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in timestamps]
    if preserved is not None:
        lines.append(f"last_preserved_timestamp: {preserved!r}")
    tmp = os.path.join(directory, f"checkpoint.tmp{os.getpid()}")
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, os.path.join(directory, "checkpoint"))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The directory's ``checkpoint`` file parsed (prefixes made absolute), or None."""
    path = os.path.join(str(checkpoint_dir), latest_filename or "checkpoint")
    if not os.path.exists(path):
        return None
    state = CheckpointState()
    with open(path) as f:
        for line in f:
            m = re.match(r'\s*(\w+)\s*:\s*(.*?)\s*$', line)
            if not m:
                continue
            field, raw = m.groups()
            value = raw[1:-1].encode().decode("unicode_escape") if raw.startswith('"') \
                else float(raw)
            if isinstance(value, str) and not os.path.isabs(value):
                value = os.path.join(str(checkpoint_dir), value)
            if field == "model_checkpoint_path":
                state.model_checkpoint_path = value
            elif field == "all_model_checkpoint_paths":
                state.all_model_checkpoint_paths.append(value)
            elif field == "all_model_checkpoint_timestamps":
                state.all_model_checkpoint_timestamps.append(value)
            elif field == "last_preserved_timestamp":
                state.last_preserved_timestamp = value
    return state


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint in ``checkpoint_dir``, or None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not state.model_checkpoint_path:
        return None
    prefix = state.model_checkpoint_path
    return prefix if os.path.exists(prefix + ".index") else None


# -- the object graph ---------------------------------------------------------------------------

def _is_container(value) -> bool:
    return isinstance(value, (list, tuple, dict))


def _trackable(value) -> bool:
    """Whether ``value`` is a node of the object graph (TensorFlow's Trackable)."""
    from .module import Module
    if isinstance(value, (Variable, Module, Checkpoint)) or \
            hasattr(value, "_checkpoint_children"):
        return True
    if _is_container(value):
        items = value.values() if isinstance(value, dict) else value
        return any(_trackable(v) for v in items)
    return False


def _children(obj) -> list:
    """(local name, child) of a node, in TensorFlow's order."""
    from .module import Module
    if isinstance(obj, Checkpoint):
        return list(obj._children.items())
    if hasattr(obj, "_checkpoint_children"):
        return obj._checkpoint_children()
    if isinstance(obj, dict):
        items = ((str(k), v) for k, v in obj.items())
    elif isinstance(obj, (list, tuple)):
        items = ((str(i), v) for i, v in enumerate(obj))
    elif isinstance(obj, Module):
        items = vars(obj).items()
    else:
        return []
    return [(name, value) for name, value in items if _trackable(value)]


def _escape(name: str) -> str:
    return name.replace(".", "..").replace("/", ".S")


def _graph(root):
    """Breadth-first: [(object, path)] by node id, and each node's [(local name, child id)]."""
    nodes, ids, edges = [(root, "")], {id(root): 0}, []
    i = 0
    while i < len(nodes):
        obj, path = nodes[i]
        links = []
        for name, child in _children(obj):
            if id(child) not in ids:
                ids[id(child)] = len(nodes)
                nodes.append((child, f"{path}{_escape(name)}/"))
            links.append((name, ids[id(child)]))
        edges.append(links)
        i += 1
    return nodes, edges


def _value_of(obj):
    """The array a graph node saves (Variables and optimizer values), or None."""
    if isinstance(obj, Variable):
        return obj.numpy()
    read = getattr(obj, "_checkpoint_read", None)
    return None if read is None else read()


def _serialize(root) -> tuple[dict, bytes]:
    nodes, edges = _graph(root)
    tensors, has_values = {}, []
    keys = {}
    for i, (obj, path) in enumerate(nodes):
        value = _value_of(obj)
        if value is not None:
            keys[i] = path.rstrip("/") + _VALUE_SUFFIX
            tensors[keys[i]] = np.asarray(value)
        has_values.append(value is not None)
    changed = True
    while changed:                                   # a node has values if a child has
        changed = False
        for i, links in enumerate(edges):
            if not has_values[i] and any(has_values[c] for _, c in links):
                has_values[i] = changed = True
    proto = bytearray()
    for i, (obj, _) in enumerate(nodes):
        body = b"".join(_length_delimited(1, b"\x08" + _varint(c) +
                                          _length_delimited(2, name.encode()))
                        for name, c in edges[i])
        if i in keys:
            full = getattr(obj, "name", "") or ""
            full = full[:-2] if full.endswith(":0") else full
            body += _length_delimited(2, _length_delimited(1, b"VARIABLE_VALUE") +
                                      _length_delimited(2, full.encode()) +
                                      _length_delimited(3, keys[i].encode()))
        body += _length_delimited(5, b"\x08\x01" if has_values[i] else b"")
        proto += _length_delimited(1, body)
    return tensors, bytes(proto)


def _parse_graph(data: bytes) -> list:
    """[{"children": [(name, id)], "key": checkpoint key or None}] by node id."""
    nodes = []
    for number, _, body in _fields(data):
        if number != 1:
            continue
        node = {"children": [], "key": None}
        for n, _, value in _fields(body):
            if n == 1:
                ref = dict((k, v) for k, _, v in _fields(value))
                node["children"].append((ref.get(2, b"").decode(), ref.get(1, 0)))
            elif n == 2:
                attr = dict((k, v) for k, _, v in _fields(value))
                if attr.get(1) == b"VARIABLE_VALUE":
                    node["key"] = attr.get(3, b"").decode()
        nodes.append(node)
    return nodes


# -- Checkpoint -----------------------------------------------------------------------------------

class LoadStatus:
    """What ``Checkpoint.restore``/``read`` return: assertions about what was matched."""

    def __init__(self, checkpoint, path, saved, matched, ours, deferred):
        self._checkpoint, self._path = checkpoint, path
        self._saved = saved              # {node id: key} of the checkpoint's values
        self._matched = matched          # node ids restored
        self._ours = ours                # [(path, object)] of our values
        self._deferred = deferred        # [(owner, node id)] waiting for an object

    def _unmatched_saved(self) -> list:
        done = self._matched | {i for owner, i in self._deferred if i in owner._restored}
        return sorted(k for i, k in self._saved.items() if i not in done)

    def assert_consumed(self):
        """Raise AssertionError unless every value in the checkpoint was restored and every
        Variable reachable from the root had a value there."""
        left = self._unmatched_saved()
        if left:
            raise AssertionError(f"Unresolved object in checkpoint {self._path}: "
                                 f"{', '.join(left[:5])}" + (" ..." if len(left) > 5 else ""))
        self.assert_existing_objects_matched()
        return self

    def assert_existing_objects_matched(self):
        """Raise AssertionError if a Variable reachable from the root found no value."""
        missing = [path for path, matched in self._ours if not matched]
        if missing:
            raise AssertionError(f"Some objects had no value in checkpoint {self._path}: "
                                 f"{', '.join(missing[:5])}" +
                                 (" ..." if len(missing) > 5 else ""))
        return self

    def assert_nontrivial_match(self):
        """Raise AssertionError unless something besides the save counter was restored."""
        restored = [self._saved[i] for i in self._matched if i in self._saved]
        if not [k for k in restored if not k.startswith("save_counter/")]:
            raise AssertionError(f"Nothing was restored from checkpoint {self._path}: "
                                 "no object in it matched the objects given")
        return self

    def expect_partial(self):
        """Say that a partial restore is intended (nothing is warned about here anyway)."""
        return self

    def run_restore_ops(self, session=None):
        """Eager restores run at once; kept for TensorFlow code that calls it."""


class _InitializationStatus(LoadStatus):
    def __init__(self):
        super().__init__(None, None, {}, set(), [], [])

    def assert_consumed(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being "
                             "restored.")

    def assert_existing_objects_matched(self):
        return self.assert_consumed()

    def assert_nontrivial_match(self):
        return self.assert_consumed()


class Checkpoint:
    """Saves and restores the Variables reachable from its keyword arguments (Modules,
    optimizers, Variables, and lists/dicts of them), in TensorFlow's checkpoint format."""

    def __init__(self, root=None, **kwargs):
        object.__setattr__(self, "_children", {})
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_save_counter", None)
        if root is not None and not _trackable(root):
            raise ValueError(f"`Checkpoint` was expecting root to be a trackable object "
                             f"(a ts.Module, Variable, optimizer or Checkpoint), got {root!r}.")
        for name, value in sorted(kwargs.items()):
            setattr(self, name, value)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        if not _trackable(value):
            raise ValueError(f"`Checkpoint` was expecting {name} to be a trackable object "
                             f"(a ts.Module, Variable, optimizer, Checkpoint, or a list or "
                             f"dict of them), got {value!r}.")
        self._children[name] = value
        object.__setattr__(self, name, value)

    def __repr__(self):
        names = ", ".join(self._children)
        count = "" if self._save_counter is None else \
            f", save_counter={int(self._save_counter.numpy())}"
        return f"<ts.train.Checkpoint: {names or 'nothing'}{count}>"

    def _checkpoint_children(self):
        children = list(self._children.items())
        if self._root is not None:
            children = [(n, c) for n, c in _children(self._root)] + children
        if self._save_counter is not None:
            children.append(("save_counter", self._save_counter))
        return children

    @property
    def save_counter(self) -> Variable:
        """How many times ``save`` has run (an int64 Variable, saved with the rest)."""
        if self._save_counter is None:
            from .engine.devices import device
            with device("/cpu:0"):
                object.__setattr__(self, "_save_counter", Variable(
                    0, dtype=dtypes.int64, trainable=False, name="save_counter"))
        return self._save_counter

    def write(self, file_prefix, options=None) -> str:
        """Write a checkpoint at ``file_prefix`` (no counter, no state file)."""
        file_prefix = os.fspath(file_prefix)
        tensors, graph = _serialize(_RootView(self))
        tensors[OBJECT_GRAPH_KEY] = np.array(graph, dtype=object)
        write_bundle(file_prefix, tensors)
        return file_prefix

    def save(self, file_prefix, options=None) -> str:
        """Write ``{file_prefix}-{save_counter}`` and point the directory's ``checkpoint``
        file at it; returns that prefix."""
        counter = self.save_counter
        counter.assign_add(1)
        path = self.write(f"{os.fspath(file_prefix)}-{int(counter.numpy())}")
        directory = os.path.dirname(path) or "."
        _write_state(directory, path, [path])
        return path

    def read(self, save_path, options=None) -> LoadStatus:
        """Restore from the checkpoint at ``save_path`` (see ``restore``)."""
        return self.restore(save_path)

    def restore(self, save_path, options=None) -> LoadStatus:
        """Assign every Variable reachable from this checkpoint its saved value, matching by
        path; returns a status to assert on (``assert_consumed()``, ``expect_partial()``).
        ``save_path`` may be a directory (its latest checkpoint); None restores nothing."""
        if save_path is None:
            return _InitializationStatus()
        save_path = os.fspath(save_path)
        if os.path.isdir(save_path):
            latest = latest_checkpoint(save_path)
            if latest is None:
                raise NotFoundError(None, None, f"No checkpoint found in {save_path}")
            save_path = latest
        reader = CheckpointReader(save_path)
        if not reader.has_tensor(OBJECT_GRAPH_KEY):
            raise InvalidArgumentError(None, None, f"{save_path} has no object graph: it was "
                                       "written by a name-based (TF1) saver, which "
                                       "tensorshell does not restore")
        return _restore(self, save_path, reader)


class _RootView:
    """The graph root of a Checkpoint: its own children, or ``root``'s plus its own."""

    def __init__(self, checkpoint):
        self._checkpoint = checkpoint

    def _checkpoint_children(self):
        return self._checkpoint._checkpoint_children()


def _restore(checkpoint, path, reader) -> LoadStatus:
    saved = _parse_graph(reader.get_tensor(OBJECT_GRAPH_KEY))
    keys = {i: n["key"] for i, n in enumerate(saved) if n["key"]}
    ours_nodes, _ = _graph(_RootView(checkpoint))
    ours = {id(obj): p for obj, p in ours_nodes if _value_of(obj) is not None}
    found, matched, deferred = {0: _RootView(checkpoint)}, set(), []
    queue = [0]
    pending_values = []
    while queue:
        i = queue.pop(0)
        obj = found[i]
        mine = dict(_children(obj))
        for name, child in saved[i]["children"]:
            if child in found or child >= len(saved):
                continue
            if name in mine:
                found[child] = mine[name]
                queue.append(child)
            elif saved[child]["key"] and hasattr(obj, "_checkpoint_defer"):
                obj._checkpoint_defer(name, child, reader.get_tensor(saved[child]["key"]),
                                      saved[child]["key"])
                deferred.append((obj, child))
        if saved[i]["key"] and i != 0:
            pending_values.append((obj, reader.get_tensor(saved[i]["key"]), saved[i]["key"]))
            matched.add(i)
    # the save counter is made after the match (as TensorFlow does), so a checkpoint
    # written without one still matches every object; it takes the saved count if any
    if checkpoint._save_counter is None:
        counter = checkpoint.save_counter
        for name, child in saved[0]["children"]:
            if name == "save_counter" and child not in found and saved[child]["key"]:
                pending_values.append((counter, reader.get_tensor(saved[child]["key"]),
                                       saved[child]["key"]))
                matched.add(child)
    # check every value first, so a failed restore changes nothing
    for obj, value, key in pending_values:
        _check_value(obj, value, key)
    restored = set()
    for obj, value, key in pending_values:
        _assign(obj, value)
        restored.add(id(obj))
    ours_list = [(p.rstrip("/"), id_ in restored) for id_, p in ours.items()]
    return LoadStatus(checkpoint, path, keys, matched, ours_list, deferred)


def _check_value(obj, value, key):
    if isinstance(obj, Variable):
        shape = tuple(obj.shape)
        if tuple(np.shape(value)) != shape:
            raise ValueError(f"Received incompatible tensor with shape {np.shape(value)} when "
                             f"attempting to restore variable with shape {shape} and name "
                             f"{obj.name} (checkpoint key {key}).")
        want = obj.dtype
        got = dtypes.string if np.asarray(value).dtype == object else \
            dtypes.from_numpy(np.asarray(value).dtype)
        if got is not want:
            raise ValueError(f"Checkpoint key {key} holds {got.name}, but variable "
                             f"{obj.name} is {want.name}; cast one of them.")
    elif not hasattr(obj, "_checkpoint_assign"):
        raise ValueError(f"Checkpoint key {key} holds a value, but the object at that path "
                         f"is a {type(obj).__name__}, which holds none.")


def _assign(obj, value):
    if isinstance(obj, Variable):
        obj.assign(np.asarray(value))
    else:
        obj._checkpoint_assign(value)


class CheckpointOptions:
    """Options for saving and restoring; accepted for TensorFlow code (saves here are
    synchronous and local, so none of them changes anything)."""

    def __init__(self, experimental_io_device=None, experimental_enable_async_checkpoint=False,
                 experimental_write_callbacks=None, enable_async=False,
                 experimental_skip_slot_variables=False, experimental_sharding_callback=None):
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint
        self.experimental_write_callbacks = experimental_write_callbacks
        self.enable_async = enable_async
        self.experimental_skip_slot_variables = experimental_skip_slot_variables
        self.experimental_sharding_callback = experimental_sharding_callback


class CheckpointView:
    """The object graph saved in a checkpoint, without restoring it: ``children(node)``,
    ``descendants()`` and ``match(root)`` (which saved node each object is)."""

    def __init__(self, save_path):
        reader = CheckpointReader(os.fspath(save_path))
        self._nodes = _parse_graph(reader.get_tensor(OBJECT_GRAPH_KEY))

    def children(self, node_id) -> dict:
        """``{local name: node id}`` of one node's children."""
        return {name: child for name, child in self._nodes[int(node_id)]["children"]}

    def descendants(self) -> list:
        """Every node id reachable from the root, breadth first."""
        seen, queue = [0], [0]
        while queue:
            for _, child in self._nodes[queue.pop(0)]["children"]:
                if child not in seen:
                    seen.append(child)
                    queue.append(child)
        return seen

    def match(self, obj) -> dict:
        """``{node id: object}`` for the objects reachable from ``obj`` (a Checkpoint or
        any trackable root) that the saved graph has at the same paths."""
        root = _RootView(obj) if isinstance(obj, Checkpoint) else obj
        found, queue = {0: obj}, [(0, root)]
        while queue:
            node, current = queue.pop(0)
            mine = dict(_children(current))
            for name, child in self._nodes[node]["children"]:
                if child not in found and name in mine:
                    found[child] = mine[name]
                    queue.append((child, mine[name]))
        return found


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yield each new latest checkpoint of ``checkpoint_dir`` as it appears (polling once a
    second), at most one per ``min_interval_secs``; after ``timeout`` seconds without one,
    stop - unless ``timeout_fn()`` says to keep waiting."""
    last = None
    while True:
        deadline = None if timeout is None else time.time() + timeout
        path = None
        while True:
            current = latest_checkpoint(checkpoint_dir)
            if current is not None and current != last:
                path = current
                break
            if deadline is not None and time.time() + 1 > deadline:
                break
            time.sleep(1)
        if path is None:
            if timeout_fn is None or timeout_fn():
                return
            continue
        start = time.time()
        last = path
        yield path
        wait = start + min_interval_secs - time.time()
        if wait > 0:
            time.sleep(wait)

# -- CheckpointManager ----------------------------------------------------------------------------

class CheckpointManager:
    """Numbered saves of one Checkpoint in a directory, keeping the newest ``max_to_keep``
    (plus one every ``keep_checkpoint_every_n_hours``), recorded in its ``checkpoint`` file."""

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None,
                 init_fn=None):
        if not isinstance(checkpoint, Checkpoint):
            raise TypeError(f"CheckpointManager manages a ts.train.Checkpoint, got "
                            f"{type(checkpoint).__name__}")
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got "
                             f"{max_to_keep}.")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is "
                             "not None.")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._interval = checkpoint_interval
        self._init_fn = init_fn
        self._last_step = None
        state = get_checkpoint_state(self._directory)
        self._kept: list = []                      # [(prefix, timestamp)]
        self._last_preserved = time.time()
        if state is not None and state.model_checkpoint_path:
            times = state.all_model_checkpoint_timestamps
            paths = state.all_model_checkpoint_paths
            if len(times) != len(paths):
                times = [time.time()] * len(paths)
            self._kept = list(zip(paths, times))
            self._last_preserved = state.last_preserved_timestamp or self._last_preserved
            self._latest = state.model_checkpoint_path
        else:
            self._latest = None

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self) -> Checkpoint:
        return self._checkpoint

    @property
    def checkpoint_interval(self):
        return self._interval

    @property
    def latest_checkpoint(self):
        """The newest prefix saved here (by this manager or an earlier one), or None."""
        return self._latest if self._latest and os.path.exists(self._latest + ".index") \
            else None

    @property
    def checkpoints(self) -> list:
        """The prefixes kept, oldest first."""
        return [p for p, _ in self._kept]

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Save ``{directory}/{checkpoint_name}-{n}`` (n: ``checkpoint_number``, else the
        checkpoint's save counter after this save) and drop the oldest beyond
        ``max_to_keep``. Returns the prefix, or None when ``checkpoint_interval`` says not
        yet."""
        step = None
        if self._step_counter is not None:
            step = int(np.asarray(_value_of(self._step_counter) if not isinstance(
                self._step_counter, int) else self._step_counter))
            if self._interval is not None and check_interval and \
                    self._last_step is not None and step < self._last_step + self._interval:
                return None
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        if checkpoint_number is None:
            checkpoint_number = step if step is not None else int(counter.numpy())
        number = int(np.asarray(_value_of(checkpoint_number)
                                if isinstance(checkpoint_number, Variable)
                                else np.asarray(checkpoint_number)))
        prefix = self._checkpoint.write(f"{self._prefix}-{number}")
        self._last_step = step
        now = time.time()
        self._kept = [(p, t) for p, t in self._kept if p != prefix] + [(prefix, now)]
        self._sweep()
        self._latest = prefix
        _write_state(self._directory, prefix, self.checkpoints,
                     [t for _, t in self._kept], self._last_preserved)
        return prefix

    def _sweep(self):
        if self._max_to_keep is None:
            return
        while len(self._kept) > self._max_to_keep:
            prefix, stamp = self._kept.pop(0)
            if self._keep_hours is not None and \
                    stamp - self._last_preserved >= self._keep_hours * 3600:
                self._last_preserved = stamp
                continue
            for name in os.listdir(os.path.dirname(prefix) or "."):
                full = os.path.join(os.path.dirname(prefix), name)
                if full == prefix + ".index" or full.startswith(prefix + ".data-"):
                    os.remove(full)

    def restore_or_initialize(self):
        """Restore the latest checkpoint if there is one (returning its prefix), else run
        ``init_fn`` (returning None)."""
        if self.latest_checkpoint is not None:
            self._checkpoint.restore(self.latest_checkpoint)
            return self.latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def sync(self):
        """Nothing to wait for: saves are written synchronously."""
