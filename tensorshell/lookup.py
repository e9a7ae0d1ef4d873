"""``ts.lookup``: TensorFlow's lookup tables - vocabularies and feature maps for input
pipelines, with TensorFlow's results (out-of-vocabulary buckets hash as its
``string_to_hash_bucket_fast`` does).

>>> table = ts.lookup.StaticHashTable(
...     ts.lookup.KeyValueTensorInitializer(["cat", "dog"], [0, 1]), default_value=-1)
>>> table.lookup(ts.constant(["dog", "emu"]))                  # [1, -1]
>>> vocab = ts.lookup.StaticVocabularyTable(
...     ts.lookup.KeyValueTensorInitializer(["a", "b"], ts.constant([0, 1], ts.int64)), 3)
>>> vocab.lookup(ts.constant(["a", "zz"]))                     # [0, 3]

Keys may be dense, sparse or ragged tensors (the values are looked up). Tables live on the
host; lookups are a dictionary probe per key.
"""

from __future__ import annotations

import numpy as np

from .engine import dtypes
from .engine.errors import FailedPreconditionError, InvalidArgumentError, NotFoundError
from .engine.tensor import Tensor, convert_to_tensor

__all__ = ["KeyValueTensorInitializer", "StaticHashTable", "StaticVocabularyTable",
           "TextFileIndex", "TextFileInitializer", "experimental"]


def _host(values) -> list:
    """The elements of a host array as hashable Python values (bytes for strings)."""
    return np.asarray(values).reshape(-1).tolist()


class _Typed:
    """The ``key_dtype`` and ``value_dtype`` of a table or initializer."""

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype


class TextFileIndex:
    """Which part of a vocabulary file's line is the key or the value."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class KeyValueTensorInitializer:
    """A table's contents from two tensors of equal length, ``keys`` and ``values``."""

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = convert_to_tensor(keys, dtype=key_dtype)
        self._values = convert_to_tensor(values, dtype=value_dtype)
        if self._keys.shape != self._values.shape:
            raise ValueError(f"keys and values must have the same shape, got "
                             f"{list(self._keys.shape)} and {list(self._values.shape)}")

    @property
    def key_dtype(self):
        return self._keys.dtype

    @property
    def value_dtype(self):
        return self._values.dtype

    def _pairs(self):
        return _host(self._keys.numpy()), _host(self._values.numpy())


class TextFileInitializer(_Typed):
    """A table's contents from a vocabulary file: each line (cut at ``delimiter``) gives a
    key and a value - a column, the whole line (``TextFileIndex.WHOLE_LINE``) or the line
    number (``TextFileIndex.LINE_NUMBER``, plus ``value_index_offset``)."""

    def __init__(self, filename, key_dtype, key_index, value_dtype, value_index,
                 vocab_size=None, delimiter="\t", name=None, value_index_offset=0):
        self._filename = filename.numpy().decode() if isinstance(filename, Tensor) else \
            str(filename)
        self._key_dtype, self._value_dtype = dtypes.as_dtype(key_dtype), \
            dtypes.as_dtype(value_dtype)
        for what, index, d in (("key", key_index, self._key_dtype),
                               ("value", value_index, self._value_dtype)):
            if index < -2:
                raise ValueError(f"Invalid {what} index {index}.")
            if index == TextFileIndex.LINE_NUMBER and d is not dtypes.int64:
                raise ValueError(f"The {what} index LINE_NUMBER needs int64, got {d.name}")
            if index == TextFileIndex.WHOLE_LINE and not (d.is_string or d.is_integer):
                raise ValueError(f"The {what} index WHOLE_LINE needs string or integer, got "
                                 f"{d.name}")
        self._key_index, self._value_index = int(key_index), int(value_index)
        self._vocab_size = None if vocab_size is None else int(vocab_size)
        self._delimiter = delimiter
        self._offset = int(value_index_offset)

    def _pairs(self):
        from .gfile import GFile
        try:
            with GFile(self._filename, "rb") as f:
                lines = f.read().split(b"\n")
        except (OSError, NotFoundError) as e:
            raise NotFoundError(None, None, f"{self._filename}: {e}") from None
        if lines and lines[-1] == b"":
            lines.pop()
        lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
        if self._vocab_size is not None:
            if len(lines) < self._vocab_size:
                raise InvalidArgumentError(None, None, f"Invalid vocab_size in "
                                           f"{self._filename}: expected {self._vocab_size} "
                                           f"lines, the file has {len(lines)}")
            lines = lines[:self._vocab_size]
        delimiter = self._delimiter.encode() if isinstance(self._delimiter, str) else \
            self._delimiter

        def part(n, line, index, d, offset=0):
            if index == TextFileIndex.LINE_NUMBER:
                return n + offset
            text = line if index == TextFileIndex.WHOLE_LINE else None
            if text is None:
                columns = line.split(delimiter)
                if index >= len(columns):
                    raise InvalidArgumentError(None, None, f"Invalid number of columns in "
                                               f"{self._filename} line {n} ({line!r}): "
                                               f"expected more than {index}")
                text = columns[index]
            if d.is_string:
                return text
            try:
                return int(text) if d.is_integer else float(text)
            except ValueError:
                raise InvalidArgumentError(None, None, f"Field {text!r} in {self._filename} "
                                           f"line {n} is not a valid {d.name}") from None
        keys = [part(n, line, self._key_index, self._key_dtype) for n, line in
                enumerate(lines)]
        values = [part(n, line, self._value_index, self._value_dtype, self._offset)
                  for n, line in enumerate(lines)]
        return keys, values


def _check_keys(table, keys):
    """``keys`` as a tensor of the table's key dtype (Python values are converted; tensors
    of another dtype raise, as TensorFlow's lookups)."""
    if isinstance(keys, Tensor) or getattr(keys, "_is_variable", False):
        if keys.dtype is not table.key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {table.key_dtype!r}, "
                            f"received: {keys.dtype!r}")
        return convert_to_tensor(keys)
    return convert_to_tensor(keys, dtype=table.key_dtype)


def _on_values(keys, fn):
    """``fn`` applied to a dense tensor of keys, or to the values of sparse/ragged keys."""
    from .sparse import SparseTensor
    if isinstance(keys, SparseTensor):
        return SparseTensor(keys.indices, fn(keys.values), keys.dense_shape)
    if getattr(keys, "_is_ragged", False):
        return keys.with_flat_values(fn(keys.flat_values))
    return fn(keys)


class _Table(_Typed):
    """A dictionary from keys to values (each a scalar or a fixed-shape row)."""

    def __init__(self, key_dtype, value_dtype, default_value):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)
        self._default = convert_to_tensor(default_value, dtype=self._value_dtype)
        self._map: dict = {}

    @property
    def default_value(self):
        return self._default

    def size(self, name=None) -> Tensor:
        return convert_to_tensor(np.int64(len(self._map)))

    def _lookup(self, keys, default):
        shape = list(keys.shape)
        rows = np.asarray(default.numpy())
        found = [self._map.get(k, rows) for k in _host(keys.numpy())]
        out = np.array(found, dtype=self._value_dtype.as_numpy_dtype if not
                       self._value_dtype.is_string else object) if found else \
            np.zeros([0] + list(rows.shape), self._value_dtype.as_numpy_dtype
                     if not self._value_dtype.is_string else object)
        return convert_to_tensor(out.reshape(shape + list(rows.shape)), dtype=self._value_dtype)

    def lookup(self, keys, name=None):
        """The value of each key (``default_value`` for keys not in the table), in the
        keys' shape (sparse and ragged keys keep theirs)."""
        return _on_values(keys, lambda k: self._lookup(_check_keys(self, k), self._default))

    def __getitem__(self, keys):
        return self.lookup(keys)

    def export(self, name=None):
        """``(keys, values)``: the table's contents as two tensors."""
        keys = list(self._map)
        values = [self._map[k] for k in keys]
        shape = list(np.asarray(self._default.numpy()).shape)
        k = convert_to_tensor(np.array(keys, dtype=object if self._key_dtype.is_string else
                                       self._key_dtype.as_numpy_dtype).reshape(-1),
                              dtype=self._key_dtype)
        v = convert_to_tensor(np.array(values, dtype=object if self._value_dtype.is_string
                                       else self._value_dtype.as_numpy_dtype)
                              .reshape([-1] + shape), dtype=self._value_dtype)
        return k, v


class StaticHashTable(_Table):
    """An immutable table filled from an initializer (KeyValueTensorInitializer or
    TextFileInitializer); keys not in it give ``default_value``."""

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        super().__init__(initializer.key_dtype, initializer.value_dtype, default_value)
        self._initializer = initializer
        for key, value in zip(*initializer._pairs()):
            if key in self._map and self._map[key] != value:
                raise FailedPreconditionError(None, None, f"HashTable has different value for "
                                           f"same key. Key {key!r} has {self._map[key]!r} "
                                           f"and trying to add value {value!r}")
            self._map[key] = value

    @property
    def name(self):
        return "hash_table"


class StaticVocabularyTable:
    """Keys to int64 ids: the initializer's ids for known keys, and for the others one of
    ``num_oov_buckets`` buckets after them, by TensorFlow's hash of the key (as a string)."""

    def __init__(self, initializer, num_oov_buckets, lookup_key_dtype=None, name=None,
                 experimental_is_anonymous=False):
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        self._buckets = int(num_oov_buckets)
        self._table = None
        if initializer is not None:
            if initializer.key_dtype not in (dtypes.int64, dtypes.string):
                raise TypeError(f"Invalid `key_dtype`, expected one of (tf.int64, tf.string), "
                                f"but got {initializer.key_dtype!r}.")
            if initializer.value_dtype is not dtypes.int64:
                raise TypeError(f"Invalid `value_dtype`, expected {dtypes.int64!r} but got "
                                f"{initializer.value_dtype!r}.")
            self._table = StaticHashTable(initializer, -1)
        self._key_dtype = dtypes.as_dtype(lookup_key_dtype) if lookup_key_dtype is not None \
            else initializer.key_dtype if initializer is not None else dtypes.string

    key_dtype = _Typed.key_dtype
    value_dtype = property(lambda self: dtypes.int64)

    def size(self, name=None) -> Tensor:
        known = int(self._table.size()) if self._table is not None else 0
        return convert_to_tensor(np.int64(known + self._buckets))

    def lookup(self, keys, name=None):
        """The id of each key: its own, or its out-of-vocabulary bucket."""
        from . import strings
        from .engine.ops.shape import cast, where

        def ids(k):
            k = _check_keys(self, k)
            if self._table is not None and self._table.key_dtype is dtypes.int64 and \
                    k.dtype is not dtypes.int64:
                k = cast(k, dtypes.int64)
            text = k if k.dtype.is_string else strings.as_string(k)
            buckets = strings.to_hash_bucket_fast(text, self._buckets)
            if self._table is None:
                return buckets
            found = self._table.lookup(k)
            return where(found != -1, found, buckets + self._table.size())
        return _on_values(keys, ids)

    def __getitem__(self, keys):
        return self.lookup(keys)


class MutableHashTable(_Table):
    """A table to fill and change: ``insert``, ``remove``, ``lookup``, ``export``."""

    def __init__(self, key_dtype, value_dtype, default_value, name="MutableHashTable",
                 checkpoint=True, experimental_is_anonymous=False):
        super().__init__(key_dtype, value_dtype, default_value)

    def insert(self, keys, values, name=None):
        """Add or replace the value of each key."""
        k = _check_keys(self, keys)
        v = convert_to_tensor(values, dtype=self._value_dtype)
        rows = np.asarray(self._default.numpy()).shape
        flat = np.asarray(v.numpy()).reshape((-1,) + rows)
        key_list = _host(k.numpy())
        if len(key_list) != len(flat):
            raise InvalidArgumentError(None, None, f"Expected {len(key_list)} values for the "
                                       f"keys, got {len(flat)}")
        self._check_insert(key_list)
        for key, row in zip(key_list, flat):
            self._map[key] = row.item() if row.ndim == 0 else row
        return None

    def _check_insert(self, keys):
        pass

    def remove(self, keys, name=None):
        """Drop each key (keys not in the table are ignored)."""
        for key in _host(_check_keys(self, keys).numpy()):
            self._map.pop(key, None)
        return None

    def lookup(self, keys, dynamic_default_value=None, name=None):
        """The value of each key, or ``dynamic_default_value`` (else ``default_value``)."""
        default = self._default if dynamic_default_value is None else \
            convert_to_tensor(dynamic_default_value, dtype=self._value_dtype)
        return _on_values(keys, lambda k: self._lookup(_check_keys(self, k), default))


class DenseHashTable(MutableHashTable):
    """MutableHashTable with TensorFlow's reserved ``empty_key`` and ``deleted_key`` (keys
    that may not be inserted); ``erase`` removes."""

    def __init__(self, key_dtype, value_dtype, default_value, empty_key, deleted_key,
                 initial_num_buckets=None, name="MutableDenseHashTable", checkpoint=True,
                 experimental_is_anonymous=False):
        super().__init__(key_dtype, value_dtype, default_value)
        self._reserved = {_host(convert_to_tensor(k, dtype=self._key_dtype).numpy())[0]
                          for k in (empty_key, deleted_key)}
        if len(self._reserved) != 2:
            raise ValueError("empty_key and deleted_key cannot be equal")

    def _check_insert(self, keys):
        if self._reserved.intersection(keys):
            raise InvalidArgumentError(None, None, "Using the empty_key or deleted_key as a "
                                       "table key is not allowed")

    def erase(self, keys, name=None):
        return self.remove(keys)


from ._public import public_dir as _public_dir, submodule as _submodule  # noqa: E402

experimental = _submodule(__name__, "experimental", "`ts.lookup.experimental`, as TensorFlow's.",
                          {"DenseHashTable": DenseHashTable,
                           "MutableHashTable": MutableHashTable})

__dir__ = _public_dir(globals())
