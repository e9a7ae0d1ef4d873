"""``ts.RaggedTensor`` and ``ts.ragged``: tensors whose rows have different lengths, as
TensorFlow's — the rows' values laid end to end (``values``) and where each row starts
(``row_splits``, int64), nested for more than one ragged dimension.

>>> r = ts.ragged.constant([[65, 66], [], [67]])
>>> r[0], r[1:], r + 1, ts.concat([r, r], axis=1), ts.reduce_sum(r, axis=1), r.to_tensor()

Elementwise ops, reductions, ``concat``, ``stack``, ``gather`` and ``cast`` take ragged
operands: the engine's ops hand them here (``dispatch``) when they meet one, so the fast
paths for dense tensors are untouched, and everything is computed by engine ops on the
flat values, so gradients reach them.
"""

from __future__ import annotations

import builtins

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError
from .engine.ops import registry
from .engine.tensor import Tensor, TensorShape, convert_to_tensor

__all__ = ["RaggedTensor", "boolean_mask", "constant", "cross", "cross_hashed",
           "map_flat_values", "range", "row_splits_to_segment_ids",
           "segment_ids_to_row_splits", "stack"]


def _shape_ops():
    from .engine.ops import shape
    return shape


def _int64(host) -> Tensor:
    return convert_to_tensor(np.asarray(host, dtype=np.int64))


def _tensor(value) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if getattr(value, "_is_variable", False):
        return value.value()
    return convert_to_tensor(value)


class RaggedTensor:
    """Rows of different lengths: row ``i`` is ``values[row_splits[i]:row_splits[i+1]]``."""

    __slots__ = ("_values", "_row_splits", "_splits", "_uniform")
    _is_ragged = True

    def __init__(self, values, row_splits, _host=None, _uniform=None):
        self._values = values
        self._row_splits = row_splits
        self._splits = np.asarray(row_splits.numpy() if _host is None else _host,
                                  dtype=np.int64)
        self._uniform = _uniform  # every row this long (from_uniform_row_length)

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True) -> "RaggedTensor":
        """Rows ``values[row_splits[i]:row_splits[i + 1]]``."""
        vals = values if isinstance(values, RaggedTensor) else _tensor(values)
        splits = np.asarray(_tensor(row_splits).numpy()).reshape(-1)
        if validate:
            n = _nrows_of(vals)
            if splits.size == 0 or splits[0] != 0 or splits[-1] != n or \
                    (np.diff(splits) < 0).any():
                raise InvalidArgumentError(
                    None, None, f"Arguments to from_row_splits do not form a valid "
                    f"RaggedTensor: row_splits {splits.tolist()} must start at 0, not "
                    f"decrease, and end at the number of values ({n})")
        return cls(vals, _int64(splits), splits.astype(np.int64))

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        lengths = np.asarray(_tensor(row_lengths).numpy()).reshape(-1)
        if validate and (lengths < 0).any():
            raise InvalidArgumentError(None, None, f"from_row_lengths: row lengths must not be "
                                       f"negative, got {lengths.tolist()}")
        return cls.from_row_splits(values, np.concatenate([[0], np.cumsum(lengths)]),
                                   validate=validate)

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True):
        starts = np.asarray(_tensor(row_starts).numpy()).reshape(-1)
        n = _nrows_of(values if isinstance(values, RaggedTensor) else _tensor(values))
        return cls.from_row_splits(values, np.concatenate([starts, [n]]), validate=validate)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True):
        limits = np.asarray(_tensor(row_limits).numpy()).reshape(-1)
        return cls.from_row_splits(values, np.concatenate([[0], limits]), validate=validate)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        """Rows from the row id of each value (sorted)."""
        ids = np.asarray(_tensor(value_rowids).numpy()).reshape(-1)
        if validate and (np.diff(ids) < 0).any():
            raise InvalidArgumentError(None, None, "from_value_rowids: value_rowids must be "
                                       "sorted")
        n = int(nrows) if nrows is not None else (int(ids[-1]) + 1 if ids.size else 0)
        return cls.from_row_lengths(values, np.bincount(ids, minlength=n)[:n] if ids.size
                                    else np.zeros(n, np.int64), validate=validate)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None,
                               validate=True):
        return cls._nested(flat_values, nested_row_splits, cls.from_row_splits, validate)

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None,
                                validate=True):
        return cls._nested(flat_values, nested_row_lengths, cls.from_row_lengths, validate)

    @classmethod
    def from_nested_value_rowids(cls, flat_values, nested_value_rowids, nested_nrows=None,
                                 name=None, validate=True):
        """Nested rows from each level's row ids (outermost first)."""
        rowids = list(nested_value_rowids)
        nrows = list(nested_nrows) if nested_nrows is not None else [None] * len(rowids)
        if len(nrows) != len(rowids):
            raise ValueError("nested_nrows must have one entry per level of "
                             "nested_value_rowids")
        result = flat_values
        for ids, n in reversed(list(zip(rowids, nrows))):
            result = cls.from_value_rowids(result, ids, n, validate=validate)
        return result

    @staticmethod
    def _nested(flat_values, partitions, build, validate):
        """``build`` applied from the innermost partition outwards."""
        result = flat_values
        for partition in reversed(list(partitions)):
            result = build(result, partition, validate=validate)
        return result

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None):
        """Rows of a dense tensor, cut to ``lengths`` or before trailing ``padding``."""
        t = _tensor(tensor)
        if t.ndim < 2:
            raise ValueError(f"from_tensor: the tensor must have rank >= 2, got {t.shape}")
        if ragged_rank != 1:
            inner = cls.from_tensor(_shape_ops().reshape(t, [-1] + t.shape.as_list()[2:]),
                                    ragged_rank=ragged_rank - 1)
            return cls.from_uniform_row_length(inner, t.shape[1])
        rows, width = t.shape[0], t.shape[1]
        if lengths is not None:
            lens = np.asarray(_tensor(lengths).numpy()).reshape(-1)
        elif padding is not None:
            data = np.asarray(t.numpy())
            pad = np.asarray(_tensor(padding).numpy())
            is_pad = (data == pad).reshape(rows, width, -1).all(axis=2)
            lens = np.array([width - int(np.argmin(r[::-1])) if not r.all() else 0
                             for r in is_pad], np.int64)
        else:  # every row whole: the row length is known, as TensorFlow's shape says
            flat = _shape_ops().reshape(t, [-1] + t.shape.as_list()[2:])
            return cls.from_uniform_row_length(flat, width, nrows=rows)
        keep = np.concatenate([np.arange(width * i, width * i + n) for i, n in
                               enumerate(lens)]) if rows else np.zeros(0, np.int64)
        flat = _shape_ops().reshape(t, [-1] + t.shape.as_list()[2:])
        return cls.from_row_lengths(_shape_ops().gather(flat, _int64(keep.astype(np.int64))),
                                    lens)

    @classmethod
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, validate=True):
        n = _nrows_of(values if isinstance(values, RaggedTensor) else _tensor(values))
        k = int(uniform_row_length)
        rows = (n // k if k else int(nrows or 0)) if nrows is None else int(nrows)
        r = cls.from_row_splits(values, np.arange(rows + 1) * k, validate=validate)
        r._uniform = k
        return r

    # -- structure --------------------------------------------------------------------------
    @property
    def values(self):
        return self._values

    @property
    def flat_values(self) -> Tensor:
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def row_splits(self) -> Tensor:
        return self._row_splits

    @property
    def nested_row_splits(self) -> tuple:
        out, r = [], self
        while isinstance(r, RaggedTensor):
            out.append(r._row_splits)
            r = r._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    @property
    def dtype(self):
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self):
        return dtypes.int64

    @property
    def shape(self) -> TensorShape:
        inner = self._values.shape.as_list()[1:]
        return TensorShape([len(self._splits) - 1, self._uniform] + inner)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    def nrows(self, out_type=dtypes.int64, name=None) -> Tensor:
        return convert_to_tensor(np.asarray(len(self._splits) - 1), dtype=out_type)

    def row_lengths(self, axis=1, name=None) -> Tensor | "RaggedTensor":
        if axis == 1:
            return _int64(np.diff(self._splits))
        if isinstance(self._values, RaggedTensor) and axis > 1:
            return self.with_values(self._values.row_lengths(axis - 1))
        raise ValueError(f"row_lengths: axis {axis} is not a ragged dimension")

    def row_starts(self, name=None) -> Tensor:
        return _int64(self._splits[:-1])

    def row_limits(self, name=None) -> Tensor:
        return _int64(self._splits[1:])

    def value_rowids(self, name=None) -> Tensor:
        return _int64(self._rowids())

    def _rowids(self) -> np.ndarray:
        return np.repeat(np.arange(len(self._splits) - 1), np.diff(self._splits))

    def nested_value_rowids(self, name=None) -> tuple:
        """Each ragged level's row ids, outermost first."""
        out, r = [], self
        while isinstance(r, RaggedTensor):
            out.append(r.value_rowids())
            r = r._values
        return tuple(out)

    @property
    def uniform_row_length(self):
        """The length of every row (an int64 scalar) when the rows were made uniform
        (``from_uniform_row_length``), else None."""
        return None if self._uniform is None else _int64(np.int64(self._uniform))

    def merge_dims(self, outer_axis, inner_axis) -> "RaggedTensor | Tensor":
        """Dimensions ``outer_axis``..``inner_axis`` merged into one (a dense tensor when
        every ragged dimension merges into the first)."""
        rank = self.shape.rank
        outer = outer_axis + rank if outer_axis < 0 else outer_axis
        inner = inner_axis + rank if inner_axis < 0 else inner_axis
        if not 0 <= outer <= inner < rank:
            raise ValueError(f"Expected outer_axis ({outer_axis}) to be less than or equal to "
                             f"inner_axis ({inner_axis}), both within rank {rank}")
        if outer == inner:
            return self
        if outer > 1:                                   # deeper: these rows stay as they are
            values = self._values
            if isinstance(values, RaggedTensor):
                return self.with_values(values.merge_dims(outer - 1, inner - 1))
            dims = list(values.shape)
            merged = dims[:outer - 1] + [-1] + dims[inner:]
            return self.with_values(_shape_ops().reshape(values, merged))
        if outer == 1:                                  # each row's sub-rows joined
            splits, result = self._splits, self._values
            for _ in builtins.range(inner - 1):
                if isinstance(result, RaggedTensor):
                    splits, result = result._splits[splits], result._values
                else:
                    splits = splits * result.shape[1]
                    result = _shape_ops().reshape(result, [-1] + list(result.shape)[2:])
            return RaggedTensor.from_row_splits(result, _int64(splits))
        result = self._values                           # dims 0 and 1: the rows' values
        for _ in builtins.range(inner - 1):             # (this module defines ragged.range)
            if isinstance(result, RaggedTensor):
                result = result._values
            else:
                result = _shape_ops().reshape(result, [-1] + list(result.shape)[2:])
        return result

    def nested_row_lengths(self, name=None) -> tuple:
        out, r = [], self
        while isinstance(r, RaggedTensor):
            out.append(_int64(np.diff(r._splits)))
            r = r._values
        return tuple(out)

    def bounding_shape(self, axis=None, name=None, out_type=dtypes.int64) -> Tensor:
        dims = self._bounding()
        out = dims if axis is None else [dims[a] for a in np.atleast_1d(axis)] \
            if not isinstance(axis, int) else dims[axis]
        return convert_to_tensor(np.asarray(out), dtype=out_type)

    def _bounding(self) -> list[int]:
        lengths = np.diff(self._splits)
        longest = int(lengths.max()) if lengths.size else 0
        if isinstance(self._values, RaggedTensor):
            inner = self._values._bounding()[1:]
        else:
            inner = self._values.shape.as_list()[1:]
        return [len(lengths), longest] + inner

    def with_values(self, new_values) -> "RaggedTensor":
        return RaggedTensor(new_values, self._row_splits, self._splits, self._uniform)

    def with_flat_values(self, new_values) -> "RaggedTensor":
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype) -> "RaggedTensor":
        return self

    # -- conversions ------------------------------------------------------------------------
    def to_list(self) -> list:
        """The rows as nested Python lists (bytes for strings)."""
        inner = self._values.to_list() if isinstance(self._values, RaggedTensor) else \
            np.asarray(self._values.numpy()).tolist()
        return [inner[a:b] for a, b in zip(self._splits[:-1], self._splits[1:])]

    def numpy(self) -> np.ndarray:
        """An object array of the rows (each a NumPy array, or such an object array)."""
        inner = self._values.numpy()
        out = np.empty(len(self._splits) - 1, dtype=object)
        for i, (a, b) in enumerate(zip(self._splits[:-1], self._splits[1:])):
            out[i] = inner[a:b]
        return out

    def to_tensor(self, default_value=None, name=None, shape=None) -> Tensor:
        """A dense tensor, rows padded with ``default_value`` (0, b"" or False) to the
        longest (or cut/padded to ``shape``)."""
        dims = self._bounding()
        if shape is not None:
            want = TensorShape(shape).as_list() if not isinstance(shape, Tensor) else \
                np.asarray(shape.numpy()).tolist()
            dims = [d if w is None or w < 0 else w for d, w in zip(dims, want)]
        flat = self.flat_values
        positions = self._dense_positions(dims)
        keep = np.flatnonzero(positions >= 0)
        fill = default_value
        if fill is None:
            fill = b"" if flat.dtype.is_string else 0
        sh = _shape_ops()
        from .engine.ops import creation, scatter
        base = creation.fill([int(np.prod(dims[:self.ragged_rank + 1]))] + dims[
            self.ragged_rank + 1:], convert_to_tensor(fill, dtype=flat.dtype))
        if keep.size:
            rows = sh.gather(flat, _int64(keep))
            base = scatter.tensor_scatter_nd_update(
                base, _int64(positions[keep].reshape(-1, 1)), rows)
        return sh.reshape(base, dims)

    def to_sparse(self, name=None):
        """A SparseTensor of the stored values (every uniform inner entry included), its
        dense shape the bounding shape, in row-major order as TensorFlow's."""
        from .sparse import SparseTensor
        dims = self._bounding()
        r = self.ragged_rank
        coords = np.stack(np.unravel_index(self._dense_positions(dims), dims[:r + 1]), -1) \
            .astype(np.int64).reshape(-1, r + 1)
        values = self.flat_values
        inner = dims[r + 1:]
        if inner:                           # each value row spreads over its uniform dims
            m = int(np.prod(inner))
            within = np.stack(np.unravel_index(np.arange(m), inner), -1).astype(np.int64)
            coords = np.concatenate([np.repeat(coords, m, 0),
                                     np.tile(within, (len(coords), 1))], 1)
            values = _shape_ops().reshape(values, [-1])
        return SparseTensor(coords, values, dims)

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=dtypes.int64) -> "RaggedTensor":
        """The rows of a 2-D SparseTensor whose entries fill each row from its start, in
        order ("ragged-right"), as a RaggedTensor."""
        from .sparse import SparseTensor
        if not isinstance(st_input, SparseTensor):
            raise TypeError(f"from_sparse needs a SparseTensor, got {type(st_input).__name__}")
        if st_input.shape.rank != 2:
            raise ValueError(f"rank(st_input) must be 2, got {st_input.shape.rank}")
        idx = np.asarray(st_input.indices.numpy(), np.int64).reshape(-1, 2)
        nrows = int(st_input.dense_shape.numpy()[0])
        rows = idx[:, 0]
        lengths = np.bincount(rows, minlength=nrows) if rows.size else np.zeros(nrows,
                                                                               np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        if rows.size and (np.any(np.diff(rows) < 0) or not np.array_equal(
                idx[:, 1], np.arange(len(rows)) - starts[rows])):
            from .engine.errors import InvalidArgumentError
            raise InvalidArgumentError(None, None, "SparseTensor is not right-ragged: each "
                                       "row's entries must fill columns 0, 1, ... in order")
        return cls.from_row_lengths(st_input.values, convert_to_tensor(lengths.astype(
            np.int64)))

    def _dense_positions(self, dims) -> np.ndarray:
        """For each flat value, its row-major position among the first ragged_rank + 1
        dimensions of ``dims`` (-1 where the value falls outside them)."""
        if isinstance(self._values, RaggedTensor):
            inner = self._values._dense_positions([self._values_rows(), *dims[2:]])
            # inner positions count in rows of the values; map a value's row to (row, col)
            per_row = int(np.prod(dims[2:self.ragged_rank + 1]))
            row_of = self._rowids()
            col_of = np.arange(len(row_of)) - self._splits[row_of]
            ok = col_of < dims[1]
            outer = np.where(ok, (row_of * dims[1] + col_of), -1)
            vrow = np.where(inner >= 0, inner // per_row, 0)
            return np.where((inner >= 0) & (outer[vrow] >= 0),
                            outer[vrow] * per_row + inner % per_row, -1)
        row_of = self._rowids()
        col_of = np.arange(len(row_of)) - self._splits[row_of]
        inside = (col_of < dims[1]) & (row_of < dims[0])
        return np.where(inside, row_of * dims[1] + col_of, -1)

    def _values_rows(self) -> int:
        return _nrows_of(self._values)

    def __repr__(self):
        return f"<ts.RaggedTensor {_fmt(self.to_list())}>"

    __str__ = __repr__

    def __array__(self, dtype=None, copy=None):
        raise ValueError("Attempt to convert a value (a RaggedTensor) with an unsupported "
                         "type to a dense array; use r.to_tensor() (padding the rows) or "
                         "r.flat_values")

    def __bool__(self):
        raise TypeError("the truth value of a RaggedTensor is ambiguous")

    def __iter__(self):
        return (self[i] for i in builtins.range(len(self._splits) - 1))

    # -- indexing ---------------------------------------------------------------------------
    def __getitem__(self, key):
        if not isinstance(key, tuple):
            key = (key,)
        if not key:
            return self
        first, rest = key[0], key[1:]
        n = len(self._splits) - 1
        if first is Ellipsis:
            if rest:
                raise ValueError("RaggedTensor indexing with ... is supported only alone")
            return self
        if isinstance(first, Tensor):
            first = int(first) if first.ndim == 0 else first
        if isinstance(first, (int, np.integer)):
            i = int(first)
            if not -n <= i < n:
                raise InvalidArgumentError(None, None, f"slice index {i} of dimension 0 out "
                                           f"of bounds (the RaggedTensor has {n} rows)")
            i %= n
            row = _take_range(self._values, int(self._splits[i]), int(self._splits[i + 1]))
            return row[rest] if rest else row
        if isinstance(first, slice):
            rows = np.arange(n)[first]
            result = self._gather_rows(rows)
            if not rest:
                return result
            return result._slice_inner(rest)
        raise TypeError(f"RaggedTensor indices must be ints, slices or ..., got "
                        f"{type(first).__name__}")

    def _gather_rows(self, rows: np.ndarray) -> "RaggedTensor":
        starts, limits = self._splits[rows], self._splits[rows + 1]
        lengths = limits - starts
        take = np.concatenate([np.arange(a, b) for a, b in zip(starts, limits)]) \
            if len(rows) else np.zeros(0, np.int64)
        return RaggedTensor.from_row_lengths(_gather(self._values, take.astype(np.int64)),
                                             lengths, validate=False)

    def _slice_inner(self, rest) -> "RaggedTensor":
        """``r[:, a:b, ...]``: the same slice of every row."""
        key, more = rest[0], rest[1:]
        if not isinstance(key, slice):
            raise ValueError("Cannot index into an inner ragged dimension: use a slice "
                             "(r[:, a:b]) or index one row first (r[i][j])")
        picks, lengths = [], []
        for a, b in zip(self._splits[:-1], self._splits[1:]):
            cols = np.arange(a, b)[key]
            picks.append(cols)
            lengths.append(len(cols))
        take = np.concatenate(picks) if picks else np.zeros(0, np.int64)
        values = _gather(self._values, take.astype(np.int64))
        if more:
            values = values[(slice(None),) + tuple(more)] if isinstance(values, Tensor) \
                else values._slice_inner(more)
        return RaggedTensor.from_row_lengths(values, lengths, validate=False)

    # -- operators: the engine's ops, which hand ragged operands to ``dispatch`` -------------
    def __add__(self, other):
        return _op("add")(self, other)

    def __radd__(self, other):
        return _op("add")(other, self)

    def __sub__(self, other):
        return _op("subtract")(self, other)

    def __rsub__(self, other):
        return _op("subtract")(other, self)

    def __mul__(self, other):
        return _op("multiply")(self, other)

    def __rmul__(self, other):
        return _op("multiply")(other, self)

    def __truediv__(self, other):
        return _op("truediv")(self, other)

    def __rtruediv__(self, other):
        return _op("truediv")(other, self)

    def __floordiv__(self, other):
        return _op("floordiv")(self, other)

    def __mod__(self, other):
        return _op("floormod")(self, other)

    def __pow__(self, other):
        return _op("pow")(self, other)

    def __neg__(self):
        return _op("negative")(self)

    def __abs__(self):
        return _op("abs")(self)

    def __lt__(self, other):
        return _op("less")(self, other)

    def __le__(self, other):
        return _op("less_equal")(self, other)

    def __gt__(self, other):
        return _op("greater")(self, other)

    def __ge__(self, other):
        return _op("greater_equal")(self, other)

    def __and__(self, other):
        return _op("logical_and")(self, other) if self.dtype.is_bool else \
            _op("bitwise_and")(self, other)

    def __or__(self, other):
        return _op("logical_or")(self, other) if self.dtype.is_bool else \
            _op("bitwise_or")(self, other)

    def __invert__(self):
        return _op("logical_not")(self) if self.dtype.is_bool else _op("invert")(self)


def _op(name):
    return registry.OPS[name].fn


def _nrows_of(values) -> int:
    if isinstance(values, RaggedTensor):
        return len(values._splits) - 1
    if values.ndim == 0:
        raise ValueError("the values of a RaggedTensor must have rank >= 1")
    return values.shape[0]


def _gather(values, take: np.ndarray):
    if isinstance(values, RaggedTensor):
        return values._gather_rows(take)
    return _shape_ops().gather(values, _int64(take))


def _take_range(values, a: int, b: int):
    if isinstance(values, RaggedTensor):
        return values._gather_rows(np.arange(a, b))
    return values[a:b]


def _fmt(rows) -> str:
    def one(v):
        if isinstance(v, list):
            return "[" + ", ".join(one(x) for x in v) + "]"
        return repr(v)
    return one(rows)


# ---------------------------------------------------------------------------------------------
# ts.ragged functions
# ---------------------------------------------------------------------------------------------

def constant(pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None,
             row_splits_dtype=dtypes.int64) -> RaggedTensor:
    """A RaggedTensor from nested Python lists whose innermost lists hold scalars.

    >>> ts.ragged.constant([[1, 2], [], [3]])   # <ts.RaggedTensor [[1, 2], [], [3]]>
    """
    def depth(v):
        """(nesting depth, exact?): an empty list fits any depth of at least 1."""
        if isinstance(v, (list, tuple)):
            children = [depth(x) for x in v]
            exact = {d for d, e in children if e}
            if len(exact) > 1:
                raise ValueError("all scalar values must have the same nesting depth")
            if exact:
                return 1 + exact.pop(), True
            return 1 + max((d for d, _ in children), default=0), False
        if isinstance(v, np.ndarray):
            return v.ndim, True
        return 0, True
    if isinstance(pylist, (RaggedTensor,)):
        return pylist
    k = depth(pylist)[0]
    inner = list(inner_shape) if inner_shape is not None else []
    rank = ragged_rank if ragged_rank is not None else max(0, k - 1 - len(inner))
    if rank < 1:
        raise ValueError(f"ragged.constant: a nested list of depth {k} with inner_shape "
                         f"{inner} leaves no ragged dimension (ragged_rank {rank})")
    if rank >= k:
        raise ValueError(f"ragged_rank must be < {k} for a nested list of depth {k}")

    # the lengths at each nesting level: level 0 is the number of rows
    lengths, items = [], [pylist]
    for _ in builtins.range(rank + 1):
        lengths.append([len(it) for it in items])
        items = [x for it in items for x in it]
    if items:
        flat = convert_to_tensor(items, dtype=dtype)
    else:
        empty_dtype = np.float32 if dtype is None else dtypes.as_dtype(dtype).np_dtype
        flat = convert_to_tensor(np.zeros([0] + inner, empty_dtype))
    result = flat
    for level in reversed(lengths[1:]):
        result = RaggedTensor.from_row_lengths(result, level, validate=False)
    return result


def map_flat_values(op, *args, **kwargs):
    """``op`` on the flat values of the RaggedTensor arguments (which must share their row
    partitions); the result keeps that partition."""
    ragged = [a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor)]
    if not ragged:
        return op(*args, **kwargs)
    first = ragged[0]
    for other in ragged[1:]:
        if not _same_partition(first, other):
            raise InvalidArgumentError(None, None, "map_flat_values: the RaggedTensors' rows "
                                       "differ (their row_splits must be equal)")
    def swap(v):
        return v.flat_values if isinstance(v, RaggedTensor) else v
    return first.with_flat_values(op(*[swap(a) for a in args],
                                     **{k: swap(v) for k, v in kwargs.items()}))


def _same_partition(a, b) -> bool:
    while isinstance(a, RaggedTensor) and isinstance(b, RaggedTensor):
        if not np.array_equal(a._splits, b._splits):
            return False
        a, b = a._values, b._values
    return not isinstance(a, RaggedTensor) and not isinstance(b, RaggedTensor)


def range(starts, limits=None, deltas=1, dtype=None, name=None,  # noqa: A001 - TF's name
          row_splits_dtype=dtypes.int64) -> RaggedTensor:
    """Row ``i`` is ``range(starts[i], limits[i], deltas[i])`` (scalars broadcast)."""
    if limits is None:
        starts, limits = 0, starts
    s, lim, d = np.broadcast_arrays(*[np.asarray(_tensor(v).numpy()) for v in
                                      (starts, limits, deltas)])
    rows = [np.arange(a, b, c) for a, b, c in zip(s.reshape(-1), lim.reshape(-1),
                                                   d.reshape(-1))]
    flat = np.concatenate(rows) if rows else np.zeros(0, s.dtype)
    values = convert_to_tensor(flat.astype(s.dtype if dtype is None else
                                           dtypes.as_dtype(dtype).np_dtype))
    return RaggedTensor.from_row_lengths(values, [len(r) for r in rows], validate=False)


def _crossable(value):
    """A cross input as a SparseTensor: ragged rows as they are, every entry of a dense
    [batch, n] tensor (so the inputs keep their order, as TensorFlow's ragged crosses do)."""
    from .sparse import SparseTensor
    if isinstance(value, RaggedTensor):
        return value.to_sparse()
    if isinstance(value, SparseTensor):
        return value
    t = _tensor(value)
    if t.ndim != 2:
        raise ValueError(f"cross: dense inputs must be [batch, n], got shape {list(t.shape)}")
    where = np.indices(tuple(t.shape)).reshape(2, -1).T.astype(np.int64)
    return SparseTensor(where, _shape_ops().reshape(t, [-1]), list(t.shape))


def cross(inputs, name=None) -> RaggedTensor:
    """Feature crosses of ragged, sparse or dense ``[batch, n]`` inputs, row by row, in the
    inputs' order: ``b"a_X_d"`` strings, as TensorFlow's ``tf.ragged.cross``."""
    from .sparse import cross as sparse_cross
    return RaggedTensor.from_sparse(sparse_cross([_crossable(v) for v in inputs]))


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None) -> RaggedTensor:
    """``cross`` hashed into ``num_buckets`` buckets, TensorFlow's buckets."""
    from .sparse import cross_hashed as sparse_cross_hashed
    return RaggedTensor.from_sparse(sparse_cross_hashed([_crossable(v) for v in inputs],
                                                        num_buckets, hash_key))


def stack(values, axis=0, name=None) -> RaggedTensor:
    """Tensors or RaggedTensors stacked along a new outer dimension (axis 0)."""
    if axis != 0:
        raise NotImplementedError("ragged.stack: only axis=0 is supported")
    rows = [v if isinstance(v, RaggedTensor) else RaggedTensor.from_tensor(v)
            if _tensor(v).ndim >= 2 else _tensor(v) for v in values]
    if all(isinstance(r, Tensor) for r in rows):
        flat = _shape_ops().concat(rows, 0)
        return RaggedTensor.from_row_lengths(flat, [r.shape[0] for r in rows])
    return RaggedTensor.from_row_lengths(_concat_rows(rows), [_nrows_of(r) for r in rows])


def boolean_mask(data, mask, name=None):
    """The entries of ``data`` where ``mask`` is True, row by row (a RaggedTensor)."""
    d = data if isinstance(data, RaggedTensor) else _tensor(data)
    m = mask if isinstance(mask, RaggedTensor) else _tensor(mask)
    if isinstance(d, Tensor) and isinstance(m, Tensor):
        dm = np.asarray(m.numpy()).astype(bool)
        if dm.ndim < 2:
            return _shape_ops().boolean_mask(d, m)
        keep = np.flatnonzero(dm.reshape(-1))
        flat = _shape_ops().reshape(d, [-1] + d.shape.as_list()[dm.ndim:])
        return RaggedTensor.from_row_lengths(_shape_ops().gather(flat, _int64(keep)),
                                             dm.reshape(dm.shape[0], -1).sum(1))
    if isinstance(d, RaggedTensor) and isinstance(m, RaggedTensor):
        keep_flat = np.asarray(m.flat_values.numpy()).astype(bool)
        lengths = [int(keep_flat[a:b].sum()) for a, b in zip(m._splits[:-1], m._splits[1:])]
        return RaggedTensor.from_row_lengths(
            _shape_ops().gather(d.flat_values, _int64(np.flatnonzero(keep_flat))), lengths)
    raise TypeError("ragged.boolean_mask: data and mask must both be ragged or both dense")


def row_splits_to_segment_ids(splits, name=None, out_type=None) -> Tensor:
    s = np.asarray(_tensor(splits).numpy()).reshape(-1)
    return _int64(np.repeat(np.arange(len(s) - 1), np.diff(s)))


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None,
                              name=None) -> Tensor:
    ids = np.asarray(_tensor(segment_ids).numpy()).reshape(-1)
    n = int(num_segments) if num_segments is not None else (int(ids.max()) + 1 if ids.size
                                                            else 0)
    return _int64(np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=n)[:n])]))


def _concat_rows(parts):
    """The rows of several RaggedTensors (or dense) one after another: their values
    concatenated (all ragged, or all dense)."""
    if all(isinstance(p, RaggedTensor) for p in parts):
        values = [p._values for p in parts]
        splits = [parts[0]._splits]
        offset = parts[0]._splits[-1]
        for p in parts[1:]:
            splits.append(p._splits[1:] + offset)
            offset += p._splits[-1]
        inner = _concat_rows(values)
        return RaggedTensor.from_row_splits(inner, np.concatenate(splits), validate=False)
    if any(isinstance(p, RaggedTensor) for p in parts):
        raise InvalidArgumentError(None, None, "concat: the inputs must have the same "
                                   "ragged rank")
    return _shape_ops().concat(parts, 0)


# ---------------------------------------------------------------------------------------------
# Dispatch: what the engine's ops do when an operand is ragged
# ---------------------------------------------------------------------------------------------

def _as_ragged_or_dense(v):
    return v if isinstance(v, RaggedTensor) else _tensor(v)


def _broadcast_to_values(r: RaggedTensor, other):
    """A dense operand next to a ragged one: scalars and uniform inner dimensions broadcast
    over the flat values; a [nrows, 1, ...] tensor is repeated along each row."""
    t = other if isinstance(other, Tensor) else _tensor(other)
    inner_rank = r.flat_values.ndim - 1
    if t.ndim <= inner_rank:
        return t
    if t.ndim == r.ndim and t.shape[0] == len(r._splits) - 1 and t.shape[1] == 1 and \
            r.ragged_rank == 1:
        per_row = _shape_ops().reshape(t, [t.shape[0]] + t.shape.as_list()[2:])
        return _shape_ops().gather(per_row, _int64(r._rowids()))
    raise InvalidArgumentError(None, None, f"a dense operand of shape {t.shape} does not "
                               f"broadcast against a RaggedTensor of shape {r.shape}")


def _elementwise(op, args, kwargs):
    ragged = [a for a in args if isinstance(a, RaggedTensor)]
    first = ragged[0]
    for other in ragged[1:]:
        if not _same_partition(first, other):
            raise InvalidArgumentError(None, None, f"{op.name}: the RaggedTensors' rows differ "
                                       "(their row_splits must be equal)")
    flat = [a.flat_values if isinstance(a, RaggedTensor) else
            (_broadcast_to_values(first, a) if isinstance(a, (Tensor, list, np.ndarray))
             or getattr(a, "_is_variable", False) else a) for a in args]
    return first.with_flat_values(op.fn(*flat, **kwargs))


def _reduce(op, args, kwargs):
    names = ("input_tensor", "axis", "keepdims")
    bound = dict(zip(names, args))
    bound.update({k: v for k, v in kwargs.items() if k in names})
    r, axis, keepdims = bound["input_tensor"], bound.get("axis"), bool(bound.get("keepdims"))
    fn = op.fn
    if axis is None:
        return fn(r.flat_values, None, keepdims) if not keepdims else \
            _shape_ops().reshape(fn(r.flat_values), [1] * r.ndim)
    axes = sorted({int(a) % r.ndim for a in np.atleast_1d(
        np.asarray(axis.numpy() if isinstance(axis, Tensor) else axis))})
    if axes != [axes[0]]:
        result = r
        for a in reversed(axes):
            result = _reduce(op, (result, a, keepdims), {})
        return result
    a = axes[0]
    seg = _segment_fold(op.name) if a <= 1 else None
    if a >= 2 and isinstance(r._values, Tensor):  # a uniform inner dimension
        return r.with_values(fn(r._values, a - 1, keepdims))
    if a >= 2:  # inside each inner row
        return r.with_values(_reduce(op, (r._values, a - 1, keepdims), {}))
    if a == 1 and isinstance(r._values, RaggedTensor):
        return _reduce_inner_rows(r, seg)
    if a == 1:  # across each row
        ids, n = _int64(r._rowids()), len(r._splits) - 1
        out = seg(r._values, ids, n)
        if keepdims:
            out = _shape_ops().expand_dims(out, 1)
        return out
    # a == 0: across rows, position by position
    cols = np.arange(int(r._splits[-1])) - r._splits[r._rowids()]
    width = int(cols.max()) + 1 if cols.size else 0
    out = seg(r._values, _int64(cols), width)
    if keepdims:
        return RaggedTensor.from_row_lengths(out, [width]) if isinstance(out, Tensor) else out
    return out


def _reduce_inner_rows(r, seg):
    """Axis 1 of a doubly ragged tensor: each outer row's inner rows folded position by
    position (a row as long as its longest inner row)."""
    inner = r._values
    if isinstance(inner._values, RaggedTensor):
        raise NotImplementedError("reducing axis 1 of a RaggedTensor with ragged_rank > 2")
    inner_row = inner._rowids()
    outer_row = r._rowids()[inner_row]
    col = np.arange(len(inner_row)) - inner._splits[inner_row]
    nrows = len(r._splits) - 1
    lengths = np.zeros(nrows, np.int64)
    np.maximum.at(lengths, outer_row, col + 1)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    folded = seg(inner._values, _int64(offsets[outer_row] + col), int(lengths.sum()))
    return RaggedTensor.from_row_lengths(folded, lengths, validate=False)


def _segment_fold(name):
    from .engine.ops import creation, shape

    def mean(values, ids, n):  # TensorFlow's ragged mean: sum / count (0 / 0 is nan)
        from .engine.ops import elementwise
        total = shape.unsorted_segment_sum(values, ids, n)
        count = shape.unsorted_segment_sum(creation.ones_like(values), ids, n)
        return elementwise.truediv(total, count)

    def any_(values, ids, n):
        from .engine.ops import elementwise
        total = shape.unsorted_segment_sum(shape.cast(values, dtypes.int32), ids, n)
        return elementwise.greater(total, 0)

    def all_(values, ids, n):
        from .engine.ops import elementwise
        misses = shape.unsorted_segment_sum(shape.cast(elementwise.logical_not(values),
                                                       dtypes.int32), ids, n)
        return elementwise.equal(misses, 0)
    table = {"reduce_sum": shape.unsorted_segment_sum, "reduce_max": shape.unsorted_segment_max,
             "reduce_min": shape.unsorted_segment_min, "reduce_prod": shape.unsorted_segment_prod,
             "reduce_mean": mean, "reduce_any": any_, "reduce_all": all_}
    if name not in table:
        raise TypeError(f"ts.{name} does not take a RaggedTensor along a ragged axis")
    return table[name]


def _concat(op, args, kwargs):
    values = args[0] if args else kwargs["values"]
    axis = args[1] if len(args) > 1 else kwargs.get("axis", 0)
    parts = [_as_ragged_or_dense(v) for v in values]
    rank = max(p.ndim for p in parts)
    a = int(axis) % rank
    parts = [p if isinstance(p, RaggedTensor) else RaggedTensor.from_tensor(p) for p in parts]
    if a == 0:
        return _concat_rows(parts)
    if a == 1:  # row by row
        n = len(parts[0]._splits) - 1
        if any(len(p._splits) - 1 != n for p in parts):
            raise InvalidArgumentError(None, None, "concat along axis 1: the inputs must have "
                                       "the same number of rows")
        offsets = np.cumsum([0] + [int(p._splits[-1]) for p in parts[:-1]])
        take, lengths = [], []
        for i in builtins.range(n):
            row = [np.arange(p._splits[i], p._splits[i + 1]) + off
                   for p, off in zip(parts, offsets)]
            take.append(np.concatenate(row))
            lengths.append(sum(len(x) for x in row))
        values = _concat_rows([p._values for p in parts]) if isinstance(parts[0]._values,
                                                                      RaggedTensor) else \
            _shape_ops().concat([p._values for p in parts], 0)
        order = np.concatenate(take) if take else np.zeros(0, np.int64)
        return RaggedTensor.from_row_lengths(_gather(values, order.astype(np.int64)), lengths)
    return parts[0].with_values(_concat(op, ([p._values for p in parts], a - 1), {}))


def _gather_op(op, args, kwargs):
    params = args[0] if args else kwargs["params"]
    indices = args[1] if len(args) > 1 else kwargs["indices"]
    if not isinstance(params, RaggedTensor):
        raise TypeError("ts.gather: ragged indices are not supported")
    idx = np.asarray(_tensor(indices).numpy())
    if idx.ndim != 1:
        raise TypeError("ts.gather of a RaggedTensor takes a vector of row indices")
    n = len(params._splits) - 1
    if ((idx < -n) | (idx >= n)).any():
        raise InvalidArgumentError(None, None, f"gather: row indices {idx.tolist()} out of "
                                   f"range for {n} rows")
    return params._gather_rows(idx % n if n else idx)


def _stack(op, args, kwargs):
    values = args[0] if args else kwargs["values"]
    axis = args[1] if len(args) > 1 else kwargs.get("axis", 0)
    return stack(values, axis)


def _flat_first(op, args, kwargs):
    """Ops of one tensor and options (cast, clip_by_value, ...): on the flat values."""
    r = args[0]
    return r.with_flat_values(op.fn(r.flat_values, *args[1:], **kwargs))


class RowPartition:
    """One ragged dimension of a DynamicRaggedShape: how many rows, and where each starts."""

    __slots__ = ("_splits",)

    def __init__(self, splits: Tensor):
        self._splits = splits

    def row_splits(self) -> Tensor:
        return self._splits

    def row_lengths(self) -> Tensor:
        return self._splits[1:] - self._splits[:-1]

    def nrows(self) -> Tensor:
        return convert_to_tensor(np.asarray(self._splits.shape[0] - 1, np.int64))

    def __repr__(self):
        return f"RowPartition(row_splits={self._splits.numpy().tolist()})"


class DynamicRaggedShape:
    """What ``ts.shape`` returns for a RaggedTensor, as TensorFlow's: the size of each
    uniform dimension, the row lengths of each ragged one. Indexing a uniform dimension
    gives its size (a scalar of ``dtype``); a ragged one raises ValueError.

    >>> ts.shape(ts.ragged.constant([[1, 2], [3]]))
    <DynamicRaggedShape lengths=[2, (2, 1)] num_row_partitions=1>
    """

    __slots__ = ("_lengths", "_partitions", "_inner", "_dtype")

    def __init__(self, rt, dtype=dtypes.int32):
        self._dtype = dtypes.as_dtype(dtype)
        lengths, partitions, level = [len(rt._splits) - 1], [], rt
        while isinstance(level, RaggedTensor):
            splits = np.asarray(level._splits)
            partitions.append(RowPartition(convert_to_tensor(
                splits.astype(self._dtype.as_numpy_dtype))))
            if level._uniform is not None:
                lengths.append(int(level._uniform))
            else:
                lengths.append(tuple(np.diff(splits).tolist()))
            level = level._values
        inner = level.shape.as_list()
        lengths.extend(inner[1:])
        self._lengths = lengths
        self._partitions = partitions
        self._inner = inner

    @property
    def rank(self) -> int:
        return len(self._lengths)

    @property
    def num_row_partitions(self) -> int:
        return len(self._partitions)

    @property
    def row_partitions(self) -> list:
        return list(self._partitions)

    @property
    def inner_shape(self) -> Tensor:
        return convert_to_tensor(np.asarray(self._inner, self._dtype.as_numpy_dtype))

    @property
    def dtype(self):
        return self._dtype

    def static_lengths(self) -> list:
        return list(self._lengths)

    def is_uniform(self, axis) -> bool:
        return not isinstance(self._lengths[axis], tuple)

    def __getitem__(self, index):
        if not isinstance(index, (int, np.integer)):
            raise TypeError("DynamicRaggedShape takes an integer index (slices are not "
                            "supported)")
        axis = int(index)
        if not -self.rank <= axis < self.rank:
            raise ValueError(f"Index {index} is out of range for a rank-{self.rank} shape")
        if not self.is_uniform(axis):
            raise ValueError(f"Index {index} is not uniform")
        return convert_to_tensor(np.asarray(self._lengths[axis],
                                            self._dtype.as_numpy_dtype))

    def __repr__(self):
        parts = ", ".join(f"({', '.join(map(str, v))}{',' if len(v) == 1 else ''})"
                          if isinstance(v, tuple) else str(v) for v in self._lengths)
        return (f"<DynamicRaggedShape lengths=[{parts}] "
                f"num_row_partitions={self.num_row_partitions}>")


def _shape_op(op, args, kwargs):
    rt = args[0] if args else kwargs.get("input")
    out_type = args[1] if len(args) > 1 else kwargs.get("out_type", dtypes.int32)
    return DynamicRaggedShape(rt, out_type)


def _rank_op(op, args, kwargs):
    rt = args[0] if args else kwargs.get("input")
    return convert_to_tensor(np.int32(len(rt.shape)))


def _size_op(op, args, kwargs):
    rt = args[0] if args else kwargs.get("input")
    out_type = dtypes.as_dtype(args[1] if len(args) > 1 else kwargs.get("out_type",
                                                                         dtypes.int32))
    return convert_to_tensor(np.asarray(rt.flat_values.shape.num_elements(),
                                        out_type.as_numpy_dtype))


_BY_NAME = {"concat": _concat, "gather": _gather_op, "stack": _stack,
            "shape": _shape_op, "rank": _rank_op, "size": _size_op,
            "cast": _flat_first, "clip_by_value": _flat_first, "identity": _flat_first,
            "stop_gradient": _flat_first, "saturate_cast": _flat_first,
            "ones_like": _flat_first, "zeros_like": _flat_first}


def dispatch(op, args, kwargs):
    """An engine op called with a RaggedTensor operand (see engine/ops/registry.py)."""
    handler = _BY_NAME.get(op.name)
    if handler is not None:
        return handler(op, args, kwargs)
    if op.kind in ("unary", "binary"):
        return _elementwise(op, args, kwargs)
    if op.kind == "reduction":
        return _reduce(op, args, kwargs)
    raise TypeError(f"ts.{op.name} does not take RaggedTensor operands; use r.to_tensor() "
                    "(rows padded) or r.flat_values")


registry.ragged_dispatch = dispatch


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())


# -- RaggedTensorSpec -------------------------------------------------------------------------

from .function import TensorSpec as _TensorSpec  # noqa: E402


class RaggedTensorSpec(_TensorSpec):
    """The type of a RaggedTensor: its shape (``None`` for ragged or unknown dimensions),
    dtype, ragged rank and row-splits dtype, as TensorFlow's ``tf.RaggedTensorSpec``
    (dataset element specs and ``ts.function`` signatures use it).

    >>> ts.RaggedTensorSpec.from_value(ts.ragged.constant([[1, 2], [3]]))
    RaggedTensorSpec(TensorShape([2, None]), ts.int32, 1, ts.int64)
    """

    __slots__ = ("_ragged_rank", "_row_splits_dtype", "_flat_values_spec")

    def __init__(self, shape=None, dtype=dtypes.float32, ragged_rank=None,
                 row_splits_dtype=dtypes.int64, flat_values_spec=None):
        dtype = dtypes.as_dtype(dtype)
        if flat_values_spec is not None and dtype is not flat_values_spec.dtype:
            raise ValueError("dtype must be the same as flat_values_spec.dtype")
        super().__init__(shape, dtype)
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        ragged_rank = int(ragged_rank)
        if ragged_rank < 0:
            raise ValueError(f"Argument `ragged_rank` ({ragged_rank}) must be non-negative.")
        if rank is not None and ragged_rank >= rank:
            raise ValueError(f"Argument `ragged_rank` ({ragged_rank}) must be less than rank "
                             f"({rank}).")
        self._ragged_rank = ragged_rank
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        self._flat_values_spec = flat_values_spec

    @property
    def ragged_rank(self) -> int:
        return self._ragged_rank

    @property
    def row_splits_dtype(self):
        return self._row_splits_dtype

    @property
    def flat_values_spec(self):
        return self._flat_values_spec

    @property
    def value_type(self):
        return RaggedTensor

    @classmethod
    def from_value(cls, value) -> "RaggedTensorSpec":
        if isinstance(value, RaggedTensor):
            return cls(value.shape, value.dtype, value.ragged_rank, value.row_splits_dtype)
        t = _tensor(value)
        return cls(t.shape, t.dtype, 0)

    def _key(self):
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def is_compatible_with(self, spec_or_value) -> bool:
        """Same dtype, ragged rank and row-splits dtype; every known dimension equal."""
        other = spec_or_value if isinstance(spec_or_value, RaggedTensorSpec) else \
            RaggedTensorSpec.from_value(spec_or_value) if isinstance(
                spec_or_value, RaggedTensor) else None
        if other is None:
            return False
        from .function import _shapes_compatible
        return (other.dtype is self.dtype and other.ragged_rank == self.ragged_rank
                and other.row_splits_dtype is self.row_splits_dtype
                and _shapes_compatible(self.shape, other.shape))

    def most_specific_common_supertype(self, others):
        """The spec every one of ``self`` and ``others`` conforms to (sizes that differ
        become ``None``), or None when their dtypes or ragged ranks differ."""
        shape = self.shape
        for o in others:
            if not isinstance(o, RaggedTensorSpec) or o._key()[1:] != self._key()[1:]:
                return None
            shape = shape.most_specific_compatible_shape(o.shape)
        return RaggedTensorSpec(shape, self.dtype, self.ragged_rank, self.row_splits_dtype)

    def __eq__(self, other):
        return type(other) is RaggedTensorSpec and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return (f"RaggedTensorSpec({self._shape!r}, ts.{self._dtype.name}, "
                f"{self._ragged_rank}, ts.{self._row_splits_dtype.name})")


def type_spec_from_value(value):
    """The TypeSpec of a value: a RaggedTensorSpec for ragged tensors, a TensorSpec for
    tensors, Variables and anything convertible to one."""
    if isinstance(value, RaggedTensor):
        return RaggedTensorSpec.from_value(value)
    from .sparse import SparseTensor, SparseTensorSpec
    if isinstance(value, SparseTensor):
        return SparseTensorSpec.from_value(value)
    try:
        t = _tensor(value)
    except (TypeError, ValueError):
        raise TypeError(f"Could not build a TypeSpec for {value!r} of unsupported type "
                        f"{type(value)}.") from None
    return _TensorSpec(t.shape, t.dtype)
