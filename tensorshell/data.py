"""``ts.data``: input pipelines as TensorFlow's ``tf.data.Dataset`` builds them, eagerly.

>>> ds = ts.data.Dataset.from_tensor_slices((features, labels)).shuffle(1000).batch(32)
>>> for x, y in ds: ...

A Dataset is a recipe: iterating it (again) runs the pipeline from the start, and shuffling
reshuffles each pass unless told otherwise, as in TensorFlow. Elements are tensors, tuples
and dicts of them. Datasets that only reorder or select the rows of
``from_tensor_slices`` (shuffle, take, skip, repeat, shard) are carried as streams of row
numbers, so ``batch`` gathers a whole batch per component in one op instead of stacking
rows one at a time. ``map`` runs its function eagerly, in order; ``num_parallel_calls``,
``deterministic`` and ``prefetch`` are accepted for compatibility and change nothing.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError
from .engine.ops import random as _random
from .engine.tensor import Tensor, TensorShape, convert_to_tensor
from .function import TensorSpec

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
__all__ = ["AUTOTUNE", "Dataset", "FixedLengthRecordDataset", "INFINITE_CARDINALITY",
           "Iterator", "NumpyIterator", "Options", "TFRecordDataset",
           "TextLineDataset", "UNKNOWN_CARDINALITY", "experimental"]



# ---------------------------------------------------------------------------------------------
# Nested structures: a tensor, or tuples and dicts of structures
# ---------------------------------------------------------------------------------------------

def _is_tensor_like(v) -> bool:
    return isinstance(v, Tensor) or getattr(v, "_is_variable", False)


def _structure(value):
    """Dataset elements from user values: tuples and dicts keep their structure, anything
    else (lists included, as in TensorFlow) becomes one tensor."""
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_structure(v) for v in value)
    if isinstance(value, tuple):  # namedtuple
        return type(value)(*[_structure(v) for v in value])
    if isinstance(value, Mapping):
        return {k: _structure(v) for k, v in value.items()}
    if getattr(value, "_is_ragged", False) or _is_sparse(value):
        return value
    if _is_tensor_like(value) and not isinstance(value, Tensor):
        return value.value()
    return value if isinstance(value, Tensor) else convert_to_tensor(value)


def _common_spec(a, b):
    """The spec both ``a`` and ``b`` conform to: sizes that differ become None."""
    if hasattr(a, "most_specific_common_supertype"):       # ragged and sparse specs
        common = a.most_specific_common_supertype([b])
        if common is not None:
            return common
    return TensorSpec(a.shape.most_specific_compatible_shape(b.shape), a.dtype)


def _is_sparse(value) -> bool:
    return getattr(value, "_is_sparse", False)


def _row_of(t, i):
    """Row ``i`` of a component (a SparseTensor's rows are SparseTensors)."""
    if _is_sparse(t):
        from .sparse import _row
        return _row(t, i)
    return t[i]


def _flatten(s) -> list:
    if isinstance(s, tuple):
        return [leaf for v in s for leaf in _flatten(v)]
    if isinstance(s, dict):
        return [leaf for k in sorted(s) for leaf in _flatten(s[k])]
    return [s]


def _pack(template, leaves):
    it = iter(leaves)

    def build(t):
        if isinstance(t, tuple):
            items = [build(v) for v in t]
            return type(t)(*items) if hasattr(t, "_fields") else tuple(items)
        if isinstance(t, dict):  # leaves in sorted key order, keys in the user's order
            values = {k: build(t[k]) for k in sorted(t)}
            return {k: values[k] for k in t}
        return next(it)
    return build(template)


def _map_leaves(fn, s):
    return _pack(s, [fn(leaf) for leaf in _flatten(s)])


def _spec_of(element):
    from .ragged import type_spec_from_value
    return _map_leaves(type_spec_from_value, element)


def _row_spec(t):
    """The spec of one row of ``t`` (from_tensor_slices' elements)."""
    if getattr(t, "_is_ragged", False):
        from .ragged import RaggedTensorSpec
        return RaggedTensorSpec(t.shape[1:], t.dtype, t.ragged_rank - 1, t.row_splits_dtype)
    if _is_sparse(t):
        from .sparse import SparseTensorSpec
        return SparseTensorSpec(t.shape[1:], t.dtype)
    return TensorSpec(t.shape[1:], t.dtype)


def _call(fn, element):
    """TensorFlow's calling convention: a tuple element is spread over the arguments."""
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return fn(*element)
    return fn(element)


def _count(value, what) -> int:
    if isinstance(value, Tensor):
        value = value.numpy()
    try:
        return int(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be an integer, got {value!r}") from None


class _Failed:
    """An element whose map or filter function raised: carried downstream so that
    ``ignore_errors`` can drop it; iterating the dataset raises the error at its place."""

    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


def _raising(elements):
    for element in elements:
        if type(element) is _Failed:
            raise element.error.with_traceback(element.error.__traceback__)
        yield element


# ---------------------------------------------------------------------------------------------
# Dataset
# ---------------------------------------------------------------------------------------------

class Dataset:
    """A sequence of elements, built by chaining transformations onto a source.

    >>> ds = ts.data.Dataset.range(10).map(lambda x: x * 2).batch(4)
    >>> [b.numpy().tolist() for b in ds]   # [[0, 2, 4, 6], [8, 10, 12, 14], [16, 18]]
    """

    def __init__(self, make_iter, cardinality, kind, spec=None, rows=None):
        self._make_iter = make_iter        # () -> iterator over elements
        self._cardinality = cardinality    # int, INFINITE_CARDINALITY or UNKNOWN_CARDINALITY
        self._kind = kind                  # the class name TensorFlow's repr shows
        self._spec = spec                  # element_spec, worked out on first request
        self._rows = rows                  # (slices dataset, () -> iterator of row numbers)

    # -- sources ----------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None) -> "Dataset":
        """One element per row of the (equally long) first dimensions of ``tensors``."""
        structure = _structure(tensors)
        leaves = _flatten(structure)
        if any(t.ndim == 0 for t in leaves):
            raise ValueError("Unbatching a tensor is only supported for rank >= 1: "
                             "from_tensor_slices makes one element per row of each component")
        n = leaves[0].shape[0]
        for t in leaves[1:]:
            if t.shape[0] != n:
                shapes = ", ".join(str(x.shape) for x in leaves)
                raise ValueError(f"Dimensions {n} and {t.shape[0]} are not compatible: "
                                 "from_tensor_slices needs every component to have the same "
                                 f"first dimension (shapes {shapes})")
        spec = _pack(structure, [_row_spec(t) for t in leaves])

        def row(i):
            return _pack(structure, [_row_of(t, i) for t in leaves])

        def gather(idx):
            from .engine.ops.shape import gather as gather_
            return _pack(structure, [gather_(t, idx) for t in leaves])
        if any(getattr(t, "_is_ragged", False) or _is_sparse(t) for t in leaves):
            gather = None  # ragged rows batch only through ragged_batch, sparse ones by rows

        ds = Dataset(lambda: (row(i) for i in range(n)), n, "_TensorSliceDataset", spec)
        ds._rows = (ds, lambda: iter(range(n))) if gather is not None else None
        ds._row, ds._gather, ds._slice = row, gather, \
            (lambda a, b: _pack(structure, [t[a:b] for t in leaves]))
        return ds

    @staticmethod
    def from_tensors(tensors, name=None) -> "Dataset":
        """A dataset of exactly one element, ``tensors``."""
        element = _structure(tensors)
        return Dataset(lambda: iter([element]), 1, "_TensorDataset", _spec_of(element))

    @staticmethod
    def range(*args, dtype=dtypes.int64, name=None) -> "Dataset":  # noqa: A003
        """``range(stop)``, ``range(start, stop[, step])`` as int64 scalars by default."""
        r = range(*[_count(a, "range's arguments") for a in args])
        d = dtypes.as_dtype(dtype)
        np_dtype = d.as_numpy_dtype
        return Dataset(lambda: (convert_to_tensor(np_dtype(i)) for i in r), len(r),
                       "_RangeDataset", TensorSpec([], d))

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None) -> "Dataset":
        """Elements from calling ``generator(*args)`` afresh on every pass; each value is
        converted to ``output_signature``'s (or ``output_types``') dtypes and checked against
        its shapes."""
        if not callable(generator):
            raise TypeError("from_generator: generator must be a callable that returns an "
                            "iterator (pass the function, not its result)")
        if output_signature is None and output_types is None:
            raise TypeError("from_generator: give output_signature (or output_types)")
        if output_signature is None:
            shapes = output_shapes
            if shapes is None:
                shapes = _map_types(lambda d: None, output_types)
            output_signature = _zip_structures(
                lambda d, s: TensorSpec(s, d), output_types, shapes)
        signature = output_signature
        call_args = tuple(args or ())

        def convert(value):
            return _conform(value, signature)

        return Dataset(lambda: (convert(v) for v in generator(*call_args)),
                       UNKNOWN_CARDINALITY, "_FlatMapDataset", signature)

    @staticmethod
    def zip(*datasets, name=None) -> "Dataset":  # noqa: A003
        """Elements of several datasets side by side, as long as the shortest."""
        if len(datasets) == 1 and isinstance(datasets[0], (tuple, dict)):
            datasets = datasets[0]
        structure = datasets if isinstance(datasets, (tuple, dict)) else tuple(datasets)
        members = _flatten(structure)
        for d in members:
            if not isinstance(d, Dataset):
                raise TypeError(f"zip takes datasets, got {type(d).__name__}")
        cards = [d._cardinality for d in members]

        def make():
            for values in zip(*[iter(d) for d in members]):
                yield _pack_datasets(structure, list(values))
        return Dataset(make, _min_cardinality(cards), "_ZipDataset",
                       lambda: _pack_datasets(structure, [d.element_spec for d in members]))

    # -- the element structure --------------------------------------------------------------
    @property
    def element_spec(self):
        """TensorSpecs (in the elements' structure) each element conforms to."""
        if callable(self._spec):
            self._spec = self._spec()
        if self._spec is None:  # worked out from the first element (map, filter ...)
            first = next(iter(self), None)
            if first is None:
                raise ValueError("element_spec: the dataset is empty, so its element "
                                 "structure is unknown")
            self._spec = _spec_of(first)
        return self._spec

    def cardinality(self) -> Tensor:
        """The number of elements as an int64 scalar: ``ts.data.INFINITE_CARDINALITY`` (-1)
        or ``UNKNOWN_CARDINALITY`` (-2) when it is not known without iterating."""
        return convert_to_tensor(np.int64(self._cardinality))

    def __len__(self):
        if self._cardinality == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    _may_fail = False   # elements may be _Failed markers (from map/filter functions)

    def __iter__(self):
        if self._may_fail:
            return Iterator(self, _raising(self._make_iter()))
        return Iterator(self, self._make_iter())

    def _elements(self):
        """The elements, with a _Failed marker where producing one raised (so that
        ignore_errors can drop it); ``iter(self)`` raises at such a marker instead."""
        return self._make_iter()

    def ignore_errors(self, log_warning=False, name=None) -> "Dataset":
        """The elements without those whose ``map``/``filter`` function raised (errors
        pass through map, filter and the batching transformations - a batch holding one is
        dropped whole - as TensorFlow's do; other transformations in between raise them).
        ``log_warning`` warns with each dropped error."""
        def make():
            for element in self._elements():
                if type(element) is _Failed:
                    if log_warning:
                        import warnings
                        warnings.warn(f"ignore_errors: dropped an element: "
                                      f"{type(element.error).__name__}: {element.error}",
                                      stacklevel=2)
                    continue
                yield element
        return self._derive(make, UNKNOWN_CARDINALITY, "_IgnoreErrorsDataset",
                            lambda: self.element_spec)

    def __bool__(self):
        return True

    def __repr__(self):
        try:
            spec = self.element_spec
        except Exception:  # noqa: BLE001 - an empty map, a failing generator ...
            spec = "<unknown>"
        return f"<{self._kind} element_spec={_spec_repr(spec)}>"

    def as_numpy_iterator(self):
        """The elements as NumPy values (bytes for strings), in their structure."""
        return NumpyIterator(self)

    # -- transformations --------------------------------------------------------------------
    def _derive(self, make_iter, cardinality, kind, spec=None, rows=None):
        return Dataset(make_iter, cardinality, kind, spec, rows)

    def map(self, map_func, num_parallel_calls=None, deterministic=None,  # noqa: A003
            name=None) -> "Dataset":
        """``map_func`` applied to each element (a tuple element is spread over its
        arguments); what it returns is converted to tensors."""
        def make():
            for element in self._elements():
                if type(element) is _Failed:
                    yield element
                    continue
                try:
                    value = _structure(_call(map_func, element))
                except Exception as e:  # noqa: BLE001 - raised by iter(), or dropped
                    value = _Failed(e)
                yield value
        ds = self._derive(make, self._cardinality, "_MapDataset")
        ds._may_fail = True
        return ds

    def filter(self, predicate, name=None) -> "Dataset":  # noqa: A003
        """The elements for which ``predicate`` returns True (a bool scalar)."""
        def keep(element):
            r = _call(predicate, element)
            r = r if isinstance(r, Tensor) else convert_to_tensor(r)
            if r.dtype is not dtypes.bool or r.ndim != 0:
                raise ValueError(f"Invalid `predicate`. `predicate` must return a `ts.bool` "
                                 f"scalar tensor, but it returned shape {r.shape} and dtype "
                                 f"{r.dtype.name}")
            return bool(r)

        def make():
            for element in self._elements():
                if type(element) is not _Failed:
                    try:
                        if not keep(element):
                            continue
                    except Exception as e:  # noqa: BLE001 - raised by iter(), or dropped
                        element = _Failed(e)
                yield element
        ds = self._derive(make, UNKNOWN_CARDINALITY, "_FilterDataset",
                          lambda: self.element_spec)
        ds._may_fail = True
        return ds

    def flat_map(self, map_func, name=None) -> "Dataset":
        """Each element mapped to a dataset, and those datasets' elements in turn."""
        def make():
            for element in self:
                inner = _call(map_func, element)
                if not isinstance(inner, Dataset):
                    raise TypeError(f"flat_map: the function must return a Dataset, got "
                                    f"{type(inner).__name__}")
                yield from inner

        def spec():
            first = next(iter(self), _MISSING)
            if first is _MISSING:
                raise ValueError("element_spec: the dataset is empty, so its element "
                                 "structure is unknown")
            return _call(map_func, first).element_spec
        return self._derive(make, UNKNOWN_CARDINALITY, "_FlatMapDataset", spec)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None) -> "Dataset":
        """Consecutive elements stacked into batches of ``batch_size`` (the last one
        smaller unless ``drop_remainder``)."""
        n = _batch_size(batch_size)
        card = _batched_cardinality(self._cardinality, n, drop_remainder)

        def spec():
            inner = self.element_spec
            return _map_leaves(lambda s: type(s)([n if drop_remainder else None]
                                                 + s.shape.as_list(), s.dtype), inner)

        if self._rows is not None:  # gather each batch of rows at once
            base, rows = self._rows

            def gather(chunk):
                if chunk == list(range(chunk[0], chunk[0] + len(chunk))):
                    return base._slice(chunk[0], chunk[0] + len(chunk))
                return base._gather(convert_to_tensor(np.asarray(chunk, np.int64)))
            return self._derive(lambda: _chunked(rows(), n, drop_remainder, gather), card,
                                "_BatchDataset", spec)
        return self._batches(n, drop_remainder, _stack, card, "_BatchDataset", spec)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None) -> "Dataset":
        """Like ``batch``, each component padded to the longest in its batch (or to
        ``padded_shapes``, where ``None`` or -1 means "the longest") with
        ``padding_values`` (0, False or b"" by default)."""
        n = _batch_size(batch_size)
        from .sparse import SparseTensorSpec
        if self._spec is not None and not callable(self._spec) and \
                any(isinstance(s, SparseTensorSpec) for s in _flatten(self._spec)):
            raise TypeError(f"padded_batch is only supported for datasets of tensors, not "
                            f"{self._spec!r}; batch stacks SparseTensors (padding nothing)")

        def pad(chunk):
            return _padded_stack(chunk, padded_shapes, padding_values)

        def spec():
            inner = _flatten(self.element_spec)
            shapes = _flatten_or_none(padded_shapes, self.element_spec, len(inner))
            specs = []
            for s, wanted in zip(inner, shapes):
                dims = [None] * s.shape.rank
                if wanted is not None:
                    given = [wanted] if isinstance(wanted, int) else TensorShape(wanted).as_list()
                    dims = [d if d is not None and d >= 0 else None for d in given]
                specs.append(TensorSpec([n if drop_remainder else None] + dims, s.dtype))
            return _pack(self.element_spec, specs)
        return self._batches(n, drop_remainder, pad,
                             _batched_cardinality(self._cardinality, n, drop_remainder),
                             "_PaddedBatchDataset", spec)

    def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=None,
                     name=None) -> "Dataset":
        """Like ``batch``, for elements of different lengths: each component becomes a
        RaggedTensor (one row per element)."""
        n = _batch_size(batch_size)

        def rows(chunk):
            from .ragged import stack as ragged_stack
            columns = list(zip(*[_flatten(e) for e in chunk]))
            return _pack(chunk[0], [ragged_stack(list(c)) if c[0].shape.rank else
                                    _stack_scalars(c) for c in columns])
        return self._batches(n, drop_remainder, rows,
                             _batched_cardinality(self._cardinality, n, drop_remainder),
                             "_RaggedBatchDataset")

    def _batches(self, n, drop_remainder, combine, cardinality, kind, spec=None):
        """Chunks of ``n`` elements combined; a chunk holding a failed element (from map or
        filter) becomes that failure, for ``ignore_errors`` to drop, as TensorFlow's."""
        if not self._may_fail:
            return self._derive(lambda: _chunked(iter(self), n, drop_remainder, combine),
                                cardinality, kind, spec)

        def checked(chunk):
            return next((e for e in chunk if type(e) is _Failed), None) or combine(chunk)
        ds = self._derive(lambda: _chunked(self._elements(), n, drop_remainder, checked),
                          cardinality, kind, spec)
        ds._may_fail = True
        return ds

    def sparse_batch(self, batch_size, row_shape, name=None) -> "Dataset":
        """Batches of elements of different lengths as SparseTensors of dense shape
        ``[batch, *row_shape]`` (each element's values at the front of its row)."""
        from .sparse import SparseTensor
        n = _batch_size(batch_size)
        shape = [int(d) for d in np.asarray(convert_to_tensor(row_shape).numpy()).reshape(-1)]

        def pack(chunk):
            indices, values = [], []
            for row, element in enumerate(chunk):
                arr = np.asarray(element.numpy())
                if arr.ndim != len(shape) or any(a > b for a, b in zip(arr.shape, shape)):
                    raise InvalidArgumentError(None, None, f"sparse_batch: an element of "
                                               f"shape {list(arr.shape)} does not fit "
                                               f"row_shape {shape}")
                where = np.indices(arr.shape).reshape(arr.ndim, -1).T
                indices.append(np.concatenate([np.full((len(where), 1), row), where], 1))
                values.append(element)
            from .engine.ops.shape import concat, reshape
            flat = concat([reshape(v, [-1]) for v in values], 0)
            return SparseTensor(np.concatenate(indices).astype(np.int64).reshape(
                -1, len(shape) + 1), flat, [len(chunk)] + shape)
        return self._batches(n, False, pack,
                             _batched_cardinality(self._cardinality, n, False),
                             "_DenseToSparseBatchDataset")

    def rebatch(self, batch_size, drop_remainder=False, name=None) -> "Dataset":
        """The elements' rows batched again: ``unbatch().batch(batch_size)``, where a list
        of sizes is used in turn (``[3, 1]``: 3 rows, 1, 3, 1 ...)."""
        sizes = [batch_size] if isinstance(batch_size, (int, np.integer)) else \
            [int(v) for v in np.asarray(convert_to_tensor(batch_size).numpy()).reshape(-1)]
        if not sizes or any(n < 0 for n in sizes):
            raise ValueError(f"rebatch: batch sizes must be >= 0, got {sizes}")
        rows = self.unbatch()

        def make():
            it, turn = iter(rows), 0
            while True:
                n = int(sizes[turn % len(sizes)])
                turn += 1
                chunk = list(itertools.islice(it, n))
                if not chunk and n:
                    return
                if len(chunk) < n and drop_remainder:
                    return
                yield _stack(chunk) if chunk else _empty_batch(self.element_spec)
                if len(chunk) < n:
                    return
        return self._derive(make, UNKNOWN_CARDINALITY, "_RebatchDataset")

    def unbatch(self, name=None) -> "Dataset":
        """Each element split along its first dimension into that many elements."""
        def make():
            for element in self:
                leaves = _flatten(element)
                if any(t.ndim == 0 for t in leaves):
                    raise InvalidArgumentError(None, None, "unbatch: every component must "
                                               "have rank >= 1")
                for i in range(leaves[0].shape[0]):
                    yield _pack(element, [_row_of(t, i) for t in leaves])
        card = UNKNOWN_CARDINALITY
        known = self._spec if not callable(self._spec) else None
        if known is not None and self._cardinality >= 0:  # rows per element known statically
            firsts = {s.shape[0] if s.shape.rank else None for s in _flatten(known)}
            if len(firsts) == 1 and None not in firsts:
                card = self._cardinality * firsts.pop()
        return self._derive(make, card, "_UnbatchDataset")

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True,
                name=None) -> "Dataset":
        """Elements in random order: a buffer of ``buffer_size`` elements is filled, and
        each next element is drawn at random from it and replaced by the next input (a
        buffer at least as large as the dataset gives a uniform shuffle). Reproducible with
        ``seed`` or ``ts.random.set_seed``; a new order on every pass unless
        ``reshuffle_each_iteration=False``."""
        size = _count(buffer_size, "buffer_size")
        if size <= 0:
            raise InvalidArgumentError(None, None, f"buffer_size must be > 0, got {size}")
        if seed is None:  # fixed by the global seed when there is one, else at random
            pair = _random.op_seeds(None)  # takes the next op seed, as TensorFlow's does
            seed = (pair[0] << 31 | pair[1]) if pair is not None else \
                int(np.random.SeedSequence().entropy) & ((1 << 62) - 1)
        passes = itertools.count()

        def shuffled(items):
            epoch = next(passes) if reshuffle_each_iteration else 0
            r = np.random.default_rng([_random._u64(seed), epoch])
            buf = list(itertools.islice(items, size))
            for item in items:
                k = int(r.integers(len(buf)))
                yield buf[k]
                buf[k] = item
            r.shuffle(buf)
            yield from buf

        def spec():
            return self.element_spec

        if self._rows is not None:  # shuffle row numbers; batch then gathers
            base, stream = self._rows
            rows = (base, lambda: shuffled(stream()))
            return self._derive(lambda: (base._row(i) for i in rows[1]()), self._cardinality,
                                "_ShuffleDataset", spec, rows)
        return self._derive(lambda: shuffled(iter(self)), self._cardinality, "_ShuffleDataset",
                            spec)

    def repeat(self, count=None, name=None) -> "Dataset":
        """The dataset ``count`` times over (forever when ``count`` is None or -1)."""
        k = -1 if count is None else _count(count, "count")
        card = self._cardinality
        if k < 0:
            card = INFINITE_CARDINALITY if card != 0 else 0
        elif card >= 0:
            card = card * k
        elif k == 0:
            card = 0

        def passes(source):
            n = 0
            while k < 0 or n < k:
                seen = False
                for item in source():
                    seen = True
                    yield item
                if not seen:  # an empty dataset repeated is empty, not a hang
                    return
                n += 1
        return self._ordered(lambda it: passes(it), card, "_RepeatDataset", whole=True)

    def save(self, path, compression=None, shard_func=None, checkpoint_args=None):
        """Write the elements under ``path`` in TensorFlow's format (``Dataset.load`` and
        TensorFlow's ``tf.data.Dataset.load`` read it back); ``compression`` None or
        "GZIP"; ``shard_func`` maps an element to its int64 shard."""
        from .data_save import save
        save(self, path, compression, shard_func, checkpoint_args)

    @staticmethod
    def load(path, element_spec=None, compression=None, reader_func=None) -> "Dataset":
        """The dataset saved under ``path`` (by ``Dataset.save`` here or in TensorFlow);
        ``reader_func`` gets the dataset of shard datasets and returns the result."""
        from .data_save import load
        return load(path, element_spec, compression, reader_func)

    def take(self, count, name=None) -> "Dataset":
        """The first ``count`` elements (all of them for -1)."""
        k = _count(count, "count")
        card = self._cardinality
        if k >= 0:
            card = k if card == INFINITE_CARDINALITY else (min(card, k) if card >= 0 else
                                                           UNKNOWN_CARDINALITY)
        return self._ordered(lambda it: it if k < 0 else itertools.islice(it, k), card,
                             "_TakeDataset")

    def skip(self, count, name=None) -> "Dataset":
        """All but the first ``count`` elements (none for -1)."""
        k = _count(count, "count")
        card = self._cardinality
        if k < 0:
            card = 0
        elif card >= 0:
            card = max(card - k, 0)
        return self._ordered(lambda it: iter(()) if k < 0 else itertools.islice(it, k, None),
                             card, "_SkipDataset")

    def shard(self, num_shards, index, name=None) -> "Dataset":
        """Every ``num_shards``-th element, starting at ``index``."""
        n, i = _count(num_shards, "num_shards"), _count(index, "index")
        if n <= 0 or not 0 <= i < n:
            raise InvalidArgumentError(None, None, f"shard: need num_shards > 0 and 0 <= "
                                       f"index < num_shards, got {n} and {i}")
        card = self._cardinality
        if card >= 0:
            card = len(range(i, card, n))
        return self._ordered(lambda it: itertools.islice(it, i, None, n), card,
                             "_ShardDataset")

    def _ordered(self, transform, cardinality, kind, whole=False):
        """A transformation that only selects or repeats elements, on the row stream when
        there is one. ``whole``: ``transform`` takes a function that restarts the input."""
        def spec():
            return self.element_spec

        if self._rows is not None:
            base, stream = self._rows
            rows = (base, (lambda: transform(stream)) if whole else
                    (lambda: transform(stream())))
            return self._derive(lambda: (base._row(i) for i in rows[1]()), cardinality, kind,
                                spec, rows)
        make = (lambda: transform(lambda: iter(self))) if whole else \
            (lambda: transform(iter(self)))
        return self._derive(make, cardinality, kind, spec)

    def take_while(self, predicate, name=None) -> "Dataset":
        """Elements up to (not including) the first for which ``predicate`` is False."""
        def make():
            return itertools.takewhile(lambda e: bool(_call(predicate, e)), iter(self))
        return self._derive(make, UNKNOWN_CARDINALITY, "_TakeWhileDataset",
                            lambda: self.element_spec)

    def enumerate(self, start=0, name=None) -> "Dataset":  # noqa: A003
        """``(index, element)`` pairs, the index an int64 scalar from ``start``."""
        first = _count(start, "start")

        def make():
            for i, e in enumerate(self, first):
                yield convert_to_tensor(np.int64(i)), e
        return self._derive(make, self._cardinality, "_EnumerateDataset",
                            lambda: (TensorSpec([], dtypes.int64), self.element_spec))

    def concatenate(self, dataset, name=None) -> "Dataset":
        """This dataset's elements, then ``dataset``'s (of the same structure and dtypes)."""
        a, b = self._cardinality, dataset._cardinality
        card = INFINITE_CARDINALITY if INFINITE_CARDINALITY in (a, b) else \
            UNKNOWN_CARDINALITY if UNKNOWN_CARDINALITY in (a, b) else a + b
        sa, sb = self.element_spec, dataset.element_spec
        la, lb = _flatten(sa), _flatten(sb)
        if len(la) != len(lb) or any(x.dtype is not y.dtype for x, y in zip(la, lb)):
            raise TypeError(f"concatenate: the datasets' elements differ: {_spec_repr(sa)} "
                            f"and {_spec_repr(sb)}")
        return self._derive(lambda: itertools.chain(self, dataset), card,
                            "_ConcatenateDataset",
                            _pack(sa, [_common_spec(x, y) for x, y in zip(la, lb)]))

    def prefetch(self, buffer_size, name=None) -> "Dataset":
        """Accepted for compatibility: elements are computed when asked for."""
        return self

    def cache(self, filename="", name=None) -> "Dataset":
        """The elements of the first complete pass, kept in memory and replayed after."""
        store: list = []
        done = [False]

        def make():
            if done[0]:
                yield from store
                return
            store.clear()
            for e in self:
                store.append(e)
                yield e
            done[0] = True
        return self._derive(make, self._cardinality, "_CacheDataset",
                            lambda: self.element_spec)

    def apply(self, transformation_func) -> "Dataset":
        """``transformation_func(self)``: a reusable chain of transformations."""
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError("apply: the function must return a Dataset")
        return result

    def interleave(self, map_func, cycle_length=None, block_length=1, num_parallel_calls=None,
                   deterministic=None, name=None) -> "Dataset":
        """Datasets made from ``cycle_length`` elements at a time, read ``block_length``
        elements from each in turn; an exhausted one is replaced by the next element's
        (TensorFlow's order, e.g. reading several files' lines alternately)."""
        from .engine import parallel
        cycle = _count(cycle_length, "cycle_length") if cycle_length is not None and \
            _count(cycle_length, "cycle_length") > 0 else parallel.available_cpus()
        block = _count(block_length, "block_length")
        if block <= 0:
            raise InvalidArgumentError(None, None, f"block_length must be > 0, got {block}")

        def open_next(inputs):
            element = next(inputs, _MISSING)
            if element is _MISSING:
                return None
            inner = _call(map_func, element)
            if not isinstance(inner, Dataset):
                raise TypeError(f"interleave: the function must return a Dataset, got "
                                f"{type(inner).__name__}")
            return iter(inner)

        def make():
            inputs, slots = iter(self), [None] * cycle
            inputs_left, current = True, 0
            while inputs_left or any(s is not None for s in slots):
                if slots[current] is None and inputs_left:
                    slots[current] = open_next(inputs)
                    inputs_left = slots[current] is not None
                if slots[current] is not None:
                    for _ in range(block):
                        item = next(slots[current], _MISSING)
                        if item is _MISSING:
                            slots[current] = None
                            break
                        yield item
                current = (current + 1) % cycle
        return self._derive(make, UNKNOWN_CARDINALITY, "_InterleaveDataset")

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None) -> "Dataset":
        """The file names matching a glob pattern (or any of several), sorted, then
        shuffled unless ``shuffle=False``."""
        import glob
        patterns = [file_pattern] if isinstance(file_pattern, (str, bytes)) else \
            list(np.asarray(file_pattern.numpy() if isinstance(file_pattern, Tensor) else
                            file_pattern, dtype=object).reshape(-1))
        patterns = [p.decode() if isinstance(p, bytes) else str(p) for p in patterns]
        names = sorted({f for p in patterns for f in glob.glob(p)})
        if not names:
            raise InvalidArgumentError(None, None, f"No files matched pattern: "
                                       f"{', '.join(patterns)}")
        files = Dataset.from_tensor_slices(convert_to_tensor(names))
        return files.shuffle(len(names), seed=seed) if shuffle is None or shuffle else files

    def reduce(self, initial_state, reduce_func, name=None):
        """``reduce_func(state, element)`` folded over the dataset from ``initial_state``."""
        state = _structure(initial_state)
        for element in self:
            state = _structure(reduce_func(state, element))
        return state

    def get_single_element(self, name=None):
        """The one element of a one-element dataset."""
        it = iter(self)
        first = next(it, _MISSING)
        if first is _MISSING or next(it, _MISSING) is not _MISSING:
            raise InvalidArgumentError(None, None, "get_single_element: the dataset must "
                                       "have exactly one element")
        return first

    def unique(self, name=None) -> "Dataset":
        """The elements not seen before (scalar int or string elements)."""
        def make():
            seen = set()
            for e in self:
                if not isinstance(e, Tensor) or e.ndim != 0:
                    raise TypeError("unique: elements must be scalars")
                key = e.numpy().item() if not e.dtype.is_string else e.numpy()
                if key not in seen:
                    seen.add(key)
                    yield e
        return self._derive(make, UNKNOWN_CARDINALITY, "_UniqueDataset",
                            lambda: self.element_spec)

    def window(self, size, shift=None, stride=1, drop_remainder=False,
               name=None) -> "Dataset":
        """Windows of ``size`` consecutive elements (each window a Dataset), starting every
        ``shift`` elements (default: ``size``), taking every ``stride``-th."""
        size, step = _count(size, "size"), _count(shift if shift is not None else size,
                                                  "shift")
        stride = _count(stride, "stride")
        if min(size, step, stride) <= 0:
            raise InvalidArgumentError(None, None, "window: size, shift and stride must be "
                                       "> 0")

        def make():
            items = list(self)
            for start in range(0, len(items), step):
                part = items[start:start + (size - 1) * stride + 1:stride]
                if not part or (drop_remainder and len(part) < size):
                    break
                yield Dataset(lambda part=part: iter(part), len(part), "_TensorSliceDataset",
                              _spec_of(part[0]))
        return self._derive(make, UNKNOWN_CARDINALITY, "_WindowDataset",
                            lambda: self.element_spec)


    # -- more of TensorFlow's transformations -------------------------------------------------
    def scan(self, initial_state, scan_func, name=None) -> "Dataset":
        """``(state, output) = scan_func(state, element)`` over the elements: the outputs,
        the state carried from one element to the next."""
        def make():
            state = _structure(initial_state)
            for element in self:
                result = scan_func(state, element)
                if not isinstance(result, tuple) or len(result) != 2:
                    raise TypeError("scan_func must return a pair (new_state, output)")
                state, output = _structure(result[0]), _structure(result[1])
                yield output
        return self._derive(make, self._cardinality, "_ScanDataset")

    def group_by_window(self, key_func, reduce_func, window_size=None, window_size_func=None,
                        name=None) -> "Dataset":
        """Elements grouped by ``key_func`` (an int64 scalar) into windows of ``window_size``
        (or ``window_size_func(key)``); each full window, and at the end each partial one,
        becomes the elements of ``reduce_func(key, window_dataset)``."""
        if (window_size is None) == (window_size_func is None):
            raise ValueError("Either the `window_size` argument or the `window_size_func` "
                             "argument must be specified.")

        def size_of(key):
            n = window_size if window_size is not None else window_size_func(key)
            return _count(n, "window_size")

        def emit(key, items):
            window = Dataset(lambda items=items: iter(items), len(items),
                             "_TensorSliceDataset", _spec_of(items[0]))
            yield from reduce_func(convert_to_tensor(np.int64(key)), window)

        def make():
            groups: dict = {}
            for element in self:
                key = _call(key_func, element)
                key = int(key.numpy() if isinstance(key, Tensor) else key)
                groups.setdefault(key, []).append(element)
                if len(groups[key]) >= size_of(key):
                    yield from emit(key, groups.pop(key))
            for key, items in groups.items():
                yield from emit(key, items)
        return self._derive(make, UNKNOWN_CARDINALITY, "_GroupByWindowDataset")

    def bucket_by_sequence_length(self, element_length_func, bucket_boundaries,
                                  bucket_batch_sizes, padded_shapes=None,
                                  padding_values=None, pad_to_bucket_boundary=False,
                                  no_padding=False, drop_remainder=False,
                                  name=None) -> "Dataset":
        """Batches of elements of similar length: bucket i holds lengths in
        [boundaries[i-1], boundaries[i]) and is padded-batched by ``bucket_batch_sizes[i]``
        (to its boundary - 1 with ``pad_to_bucket_boundary``)."""
        bounds = [int(b) for b in bucket_boundaries]
        sizes = [int(b) for b in bucket_batch_sizes]
        if len(sizes) != len(bounds) + 1:
            raise ValueError(f"len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1, "
                             f"got {len(sizes)} and {len(bounds)}")

        def bucket(*element):
            n = _call(element_length_func, element if len(element) > 1 else element[0])
            n = int(n.numpy() if isinstance(n, Tensor) else n)
            return sum(1 for b in bounds if n >= b)

        def batch_bucket(key, window):
            k = int(key.numpy())
            if no_padding:
                return window.batch(sizes[k], drop_remainder=drop_remainder)
            shapes = padded_shapes
            if pad_to_bucket_boundary:  # the sequence (first) dimension to boundary - 1
                if k == len(bounds):
                    raise InvalidArgumentError(None, None, "pad_to_bucket_boundary: an "
                                               "element is longer than the last boundary")
                shapes = _map_leaves(lambda spec: [bounds[k] - 1] + [None] * (
                    len(spec.shape.as_list()) - 1), window.element_spec)
            return window.padded_batch(sizes[k], shapes, padding_values,
                                       drop_remainder=drop_remainder)
        return self.group_by_window(bucket, batch_bucket,
                                    window_size_func=lambda k: sizes[int(k)])

    def with_options(self, options, name=None) -> "Dataset":
        """The same elements with ``options`` attached (merged with earlier ones). Execution
        is eager and in order, so they are kept for ``options()``, not acted on."""
        ds = self._derive(lambda: iter(self), self._cardinality, self._kind,
                          lambda: self.element_spec, self._rows)
        ds._options = self.options().merge(options)
        return ds

    def options(self) -> "Options":
        """The options attached with with_options (defaults otherwise)."""
        return getattr(self, "_options", None) or Options()

    @staticmethod
    def counter(start=0, step=1, dtype=dtypes.int64, name=None) -> "Dataset":
        """start, start + step, ... without end."""
        a, b = _count(start, "start"), _count(step, "step")
        np_dtype = dtypes.as_dtype(dtype).as_numpy_dtype
        return Dataset(lambda: (convert_to_tensor(np_dtype(v))
                                for v in itertools.count(a, b)),
                       INFINITE_CARDINALITY, "_CounterDataset",
                       TensorSpec([], dtypes.as_dtype(dtype)))

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None) -> "Dataset":
        """Random int64 scalars without end (reproducible with ``seed`` or the global seed;
        a new sequence on each pass with ``rerandomize_each_iteration``)."""
        passes = itertools.count()
        base = _random.op_seeds(seed)

        def make():
            epoch = next(passes) if rerandomize_each_iteration else 0
            r = np.random.default_rng(None if base is None else [*base, epoch])
            return (convert_to_tensor(np.int64(r.integers(-2**63, 2**63 - 1,
                                                          dtype=np.int64)))
                    for _ in itertools.count())
        return Dataset(make, INFINITE_CARDINALITY, "_RandomDataset",
                       TensorSpec([], dtypes.int64))

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True
                             ) -> "Dataset":
        """Elements taken from ``datasets[i]`` for each ``i`` of ``choice_dataset`` (int64
        scalars); an exhausted input ends the result (or is skipped without
        ``stop_on_empty_dataset``)."""
        inputs = list(datasets)

        def make():
            its = [iter(d) for d in inputs]
            done = [False] * len(its)
            for choice in choice_dataset:
                i = int(choice.numpy() if isinstance(choice, Tensor) else choice)
                if not 0 <= i < len(its):
                    raise InvalidArgumentError(None, None, f"choose_from_datasets: choice "
                                               f"{i} is not in [0, {len(its)})")
                if done[i]:
                    continue
                element = next(its[i], _MISSING)
                if element is _MISSING:
                    if stop_on_empty_dataset:
                        return
                    done[i] = True
                    if all(done):
                        return
                    continue
                yield element
        return Dataset(make, UNKNOWN_CARDINALITY, "_DirectedInterleaveDataset",
                       lambda: inputs[0].element_spec)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False,
                             rerandomize_each_iteration=None) -> "Dataset":
        """Elements drawn from ``datasets`` at random in proportion to ``weights`` (equal
        by default), until all are exhausted (or the first, with
        ``stop_on_empty_dataset``)."""
        inputs = list(datasets)
        w = np.ones(len(inputs)) if weights is None else np.asarray(
            weights.numpy() if isinstance(weights, Tensor) else weights, np.float64)
        if w.shape != (len(inputs),) or (w < 0).any() or w.sum() <= 0:
            raise ValueError("weights must be one non-negative number per dataset, not all 0")
        base = _random.op_seeds(seed)
        passes = itertools.count()

        def make():
            epoch = next(passes) if rerandomize_each_iteration else 0
            r = np.random.default_rng(None if base is None else [*base, epoch])
            its = [iter(d) for d in inputs]
            live = w.copy()
            while live.sum() > 0:
                i = int(r.choice(len(its), p=live / live.sum()))
                element = next(its[i], _MISSING)
                if element is _MISSING:
                    if stop_on_empty_dataset:
                        return
                    live[i] = 0
                    continue
                yield element
        return Dataset(make, UNKNOWN_CARDINALITY, "_DirectedInterleaveDataset",
                       lambda: inputs[0].element_spec)


class Options:
    """``ts.data.Options``: the settings TensorFlow pipelines attach with with_options
    (deterministic, threading, autotune, optimisation ...). Any attribute TensorFlow has
    can be set; execution here is eager and in order, so none changes the elements."""

    def __init__(self):
        self.__dict__.update(deterministic=None, experimental_deterministic=None,
                             threading=_Settings(), autotune=_Settings(),
                             experimental_optimization=_Settings(),
                             experimental_distribute=_Settings(),
                             experimental_threading=_Settings(), experimental_slack=False,
                             experimental_external_state_policy=None, dataset_name=None)

    def merge(self, options) -> "Options":
        merged = Options()
        for source in (self, options):
            if source is None:
                continue
            for key, value in vars(source).items():
                if value is not None and not (isinstance(value, _Settings) and
                                              not vars(value)):
                    setattr(merged, key, value)
        return merged

    def __eq__(self, other):
        return isinstance(other, Options) and vars(self) == vars(other)

    def __repr__(self):
        set_ = {k: v for k, v in vars(self).items() if v is not None
                and not (k == "experimental_slack" and v is False)
                and not (isinstance(v, _Settings) and not vars(v))}
        return f"Options({set_})"


class _Settings:
    """A group of options (``options.threading.private_threadpool_size = 8``)."""

    def __eq__(self, other):
        return isinstance(other, _Settings) and vars(self) == vars(other)

    def __repr__(self):
        return f"{vars(self)}"


_MISSING = object()


def _pack_datasets(template, values):
    return _pack(_map_template(template), values)


def _map_template(s):
    if isinstance(s, tuple):
        return tuple(_map_template(v) for v in s)
    if isinstance(s, dict):
        return {k: _map_template(v) for k, v in s.items()}
    return None


def _map_types(fn, s):
    if isinstance(s, tuple):
        return tuple(_map_types(fn, v) for v in s)
    if isinstance(s, dict):
        return {k: _map_types(fn, v) for k, v in s.items()}
    return fn(s)


def _zip_structures(fn, types, shapes):
    if isinstance(types, tuple):
        return tuple(_zip_structures(fn, t, s) for t, s in zip(types, shapes))
    if isinstance(types, dict):
        return {k: _zip_structures(fn, types[k], shapes[k]) for k in types}
    return fn(types, shapes)


def _conform(value, signature):
    """A generator's value as tensors of the signature's dtypes and (partial) shapes."""
    if isinstance(signature, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(signature):
            raise TypeError(f"from_generator: the generator yielded {value!r}, which does not "
                            f"match the signature {_spec_repr(signature)}")
        return tuple(_conform(v, s) for v, s in zip(value, signature))
    if isinstance(signature, dict):
        return {k: _conform(value[k], s) for k, s in signature.items()}
    t = convert_to_tensor(value, dtype=signature.dtype)
    if not signature.shape.is_compatible_with(t.shape):
        raise InvalidArgumentError(None, None, f"from_generator: the generator yielded a value "
                                   f"of shape {t.shape}, which is not compatible with "
                                   f"{signature.shape}")
    return t


def _batch_size(batch_size) -> int:
    n = _count(batch_size, "batch_size")
    if n <= 0:
        raise InvalidArgumentError(None, None, f"Batch size must be greater than zero, got "
                                   f"{n}.")
    return n


def _chunked(items, n, drop_remainder, combine):
    """``combine`` of each run of ``n`` items (the last one shorter unless dropped)."""
    while True:
        chunk = list(itertools.islice(items, n))
        if not chunk or (drop_remainder and len(chunk) < n):
            return
        yield combine(chunk)


def _empty_batch(spec):
    """A batch of no rows for a batched element ``spec`` (rebatch's size-0 batches)."""
    from .engine.ops.creation import zeros
    return _map_leaves(lambda s: zeros([0] + s.shape.as_list()[1:], s.dtype), spec)


def _stack_scalars(column):
    from .engine.ops.shape import stack
    return stack(list(column))


def _stack(elements):
    from .engine.ops.shape import stack
    template = elements[0]
    columns = list(zip(*[_flatten(e) for e in elements]))
    stacked = []
    for c, column in enumerate(columns):
        if _is_sparse(column[0]):
            from .sparse import _stack as sparse_stack
            stacked.append(sparse_stack(list(column)))
            continue
        first = column[0].shape
        for i, t in enumerate(column[1:], 1):
            if t.shape != first:
                raise InvalidArgumentError(
                    None, None, f"Cannot batch tensors with different shapes in component "
                    f"{c}. First element had shape {first} and element {i} had shape "
                    f"{t.shape}. (padded_batch pads them to one shape)")
        stacked.append(stack(list(column)))
    return _pack(template, stacked)


def _padded_stack(elements, padded_shapes, padding_values):
    from .engine.ops.shape import pad, stack
    template = elements[0]
    columns = list(zip(*[_flatten(e) for e in elements]))
    shapes = _flatten_or_none(padded_shapes, template, len(columns))
    values = _flatten_or_none(padding_values, template, len(columns))
    out = []
    for column, wanted, value in zip(columns, shapes, values):
        if _is_sparse(column[0]):
            raise TypeError("padded_batch is only supported for datasets of tensors, not of "
                            "SparseTensors; batch stacks them (padding nothing)")
        rank = column[0].ndim
        longest = [max(t.shape[d] for t in column) for d in range(rank)]
        if wanted is not None:
            wanted = list(TensorShape(wanted).as_list()) if not isinstance(wanted, int) \
                else [wanted]
            if len(wanted) != rank:
                raise InvalidArgumentError(None, None, f"padded_batch: padded shape {wanted} "
                                           f"does not have the elements' rank {rank}")
            for d, w in enumerate(wanted):
                if w is not None and w >= 0:
                    if w < longest[d]:
                        raise InvalidArgumentError(
                            None, None, f"padded_batch: an element of size {longest[d]} in "
                            f"dimension {d} does not fit the padded shape {wanted}")
                    longest[d] = w
        fill = 0 if value is None else value
        if value is None and column[0].dtype.is_string:
            fill = b""
        padded = [pad(t, [[0, longest[d] - t.shape[d]] for d in range(rank)],
                      constant_values=fill) if rank else t for t in column]
        out.append(stack(padded))
    return _pack(template, out)


def _flatten_or_none(values, template, n):
    if values is None:
        return [None] * n
    if isinstance(template, (tuple, dict)):
        return _flatten(values)
    return [values]


def _batched_cardinality(card, n, drop_remainder):
    if card < 0:
        return card
    return card // n if drop_remainder else -(-card // n)


def _min_cardinality(cards):
    finite = [c for c in cards if c >= 0]
    if finite:
        return min(finite)
    return UNKNOWN_CARDINALITY if UNKNOWN_CARDINALITY in cards else INFINITE_CARDINALITY


def _spec_repr(spec):
    if isinstance(spec, tuple):
        return "(" + ", ".join(_spec_repr(s) for s in spec) + ("," if len(spec) == 1 else "") \
            + ")"
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{k!r}: {_spec_repr(v)}" for k, v in spec.items()) + "}"
    return repr(spec)


def _read_lines(filename, compression):
    from .io import decompress, read_bytes
    try:
        raw = decompress(read_bytes(filename), compression)
    except ValueError as e:  # an unknown compression type
        raise InvalidArgumentError(None, None, str(e)) from None
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def _file_names(filenames) -> list:
    """File names from a name, a list of them, a string tensor or a dataset of names."""
    if isinstance(filenames, Dataset):
        return [t.numpy() for t in filenames]
    if isinstance(filenames, Tensor):
        return list(np.asarray(filenames.numpy(), dtype=object).reshape(-1))
    return [filenames] if isinstance(filenames, (str, bytes)) else list(filenames)


class _FileDataset(Dataset):
    """String scalars read from files in turn by ``read(filename)``."""

    def __init__(self, filenames, read, kind):
        names = _file_names(filenames)

        def make():
            for filename in names:
                for item in read(filename):
                    yield convert_to_tensor(np.array(item, dtype=object), dtype=dtypes.string)
        super().__init__(make, UNKNOWN_CARDINALITY, kind, TensorSpec([], dtypes.string))


class TextLineDataset(_FileDataset):
    """The lines of one or more text files (without their line endings), file after file;
    ``compression_type`` "GZIP" or "ZLIB" reads compressed files."""

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        super().__init__(filenames, lambda f: _read_lines(f, compression_type),
                         "TextLineDatasetV2")


class TFRecordDataset(_FileDataset):
    """The records of one or more TFRecord files (string scalars: typically serialized
    ``ts.train.Example``s for ``ts.io.parse_example``), file after file, each checked
    against its checksums; ``compression_type`` "GZIP" or "ZLIB" reads compressed files."""

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        from .io import read_tfrecords
        super().__init__(filenames, lambda f: read_tfrecords(f, compression_type),
                         "TFRecordDatasetV2")


class FixedLengthRecordDataset(_FileDataset):
    """Records of ``record_bytes`` bytes from binary files, after ``header_bytes`` and
    before ``footer_bytes``; a body that is not a whole number of records raises
    InvalidArgumentError, as in TensorFlow."""

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None,
                 buffer_size=None, compression_type=None, num_parallel_reads=None,
                 name=None):
        from .io import decompress, read_bytes
        size = _count(record_bytes, "record_bytes")
        head = _count(header_bytes or 0, "header_bytes")
        foot = _count(footer_bytes or 0, "footer_bytes")
        if size <= 0:
            raise InvalidArgumentError(None, None, "record_bytes must be > 0")

        def read(filename):
            raw = decompress(read_bytes(filename), compression_type)
            body = raw[head:len(raw) - foot]
            if len(body) % size:
                raise InvalidArgumentError(
                    None, None, f"Excluding the header ({head} bytes) and footer ({foot} "
                    f"bytes), input file {filename!r} has body length {len(body)} bytes, "
                    f"which is not an exact multiple of the record length ({size} bytes).")
            return [body[i:i + size] for i in range(0, len(body), size)]
        super().__init__(filenames, read, "FixedLengthRecordDatasetV2")


class Iterator:
    """What ``iter(dataset)`` gives, as TensorFlow's iterator: ``next(it)`` or
    ``it.get_next()`` (OutOfRangeError at the end), ``get_next_as_optional()`` and the
    dataset's ``element_spec``."""

    __slots__ = ("_dataset", "_elements")

    def __init__(self, dataset, elements):
        self._dataset, self._elements = dataset, elements

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._elements)

    def get_next(self, name=None):
        try:
            return next(self._elements)
        except StopIteration:
            from .engine.errors import OutOfRangeError
            raise OutOfRangeError(None, None, "End of sequence") from None

    def get_next_as_optional(self):
        return Optional(next(self._elements, _MISSING), self.element_spec)

    @property
    def element_spec(self):
        return self._dataset.element_spec


class NumpyIterator:
    """What ``as_numpy_iterator()`` gives: the elements as NumPy values (bytes for
    strings), in their structure."""

    __slots__ = ("_iterator",)

    def __init__(self, dataset):
        self._iterator = iter(dataset)

    def __iter__(self):
        return self

    def __next__(self):
        return _map_leaves(lambda t: t.numpy(), next(self._iterator))

    def next(self):
        return self.__next__()


class Optional:
    """A value that may be missing (``ts.data.experimental.Optional``), as
    ``get_next_as_optional`` returns it at the end of a dataset."""

    def __init__(self, value=_MISSING, element_spec=None):
        self._value, self._spec = value, element_spec

    @staticmethod
    def from_value(value) -> "Optional":
        return Optional(_structure(value))

    @staticmethod
    def empty(element_spec) -> "Optional":
        return Optional(_MISSING, element_spec)

    def has_value(self, name=None) -> Tensor:
        return convert_to_tensor(self._value is not _MISSING)

    def get_value(self, name=None):
        if self._value is _MISSING:
            raise InvalidArgumentError(None, None, "The optional does not have a value; "
                                       "check has_value() first")
        return self._value

    @property
    def element_spec(self):
        if self._value is _MISSING:
            return self._spec
        from .nest import map_structure
        return map_structure(lambda t: TensorSpec(t.shape, t.dtype), self._value)

    def __repr__(self):
        return "<ts.data.experimental.Optional: empty>" if self._value is _MISSING else \
            f"<ts.data.experimental.Optional: {self._value!r}>"


def _transformation(name, apply):
    """A ``dataset.apply`` argument, as TensorFlow's experimental transformations are."""
    apply.__name__ = name
    return apply


class _Experimental:
    """``ts.data.experimental``: the names TensorFlow code still uses from it - most are
    the ``Dataset`` methods they became, in the form ``dataset.apply(...)`` takes."""

    AUTOTUNE = AUTOTUNE
    INFINITE_CARDINALITY = INFINITE_CARDINALITY
    UNKNOWN_CARDINALITY = UNKNOWN_CARDINALITY
    Optional = Optional

    @staticmethod
    def cardinality(dataset) -> Tensor:
        return dataset.cardinality()

    @staticmethod
    def ignore_errors(log_warning=False):
        return lambda dataset: dataset.ignore_errors(log_warning)

    @staticmethod
    def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
        dataset.save(path, compression, shard_func, checkpoint_args)

    @staticmethod
    def load(path, element_spec=None, compression=None, reader_func=None):
        return Dataset.load(path, element_spec, compression, reader_func)

    @staticmethod
    def get_single_element(dataset):
        return dataset.get_single_element()

    @staticmethod
    def get_structure(dataset_or_iterator):
        return dataset_or_iterator.element_spec

    @staticmethod
    def get_next_as_optional(iterator) -> Optional:
        """The iterator's next element as an Optional (empty at the end)."""
        value = next(iterator, _MISSING)
        return Optional(value, getattr(iterator, "element_spec", None))

    @staticmethod
    def Counter(start=0, step=1, dtype=dtypes.int64, name=None) -> Dataset:  # noqa: N802
        return Dataset.counter(start, step, dtype)

    @staticmethod
    def RandomDataset(seed=None, name=None) -> Dataset:  # noqa: N802
        return Dataset.random(seed)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
        return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def from_list(elements, name=None) -> Dataset:
        """A dataset of the list's elements (each a structure of tensors, shapes free to
        differ)."""
        items = [_structure(e) for e in elements]
        if not items:
            raise ValueError("Invalid `elements`. `elements` should not be empty.")
        return Dataset(lambda: iter(items), len(items), "_ListDataset")

    @staticmethod
    def scan(initial_state, scan_func):
        return _transformation("scan", lambda ds: ds.scan(initial_state, scan_func))

    @staticmethod
    def take_while(predicate):
        return _transformation("take_while", lambda ds: ds.take_while(predicate))

    @staticmethod
    def unique():
        return _transformation("unique", lambda ds: ds.unique())

    @staticmethod
    def unbatch():
        return _transformation("unbatch", lambda ds: ds.unbatch())

    @staticmethod
    def enumerate_dataset(start=0):
        return _transformation("enumerate_dataset", lambda ds: ds.enumerate(start))

    @staticmethod
    def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
        return _transformation("group_by_window", lambda ds: ds.group_by_window(
            key_func, reduce_func, window_size, window_size_func))

    @staticmethod
    def bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes,
                                  padded_shapes=None, padding_values=None,
                                  pad_to_bucket_boundary=False, no_padding=False,
                                  drop_remainder=False):
        return _transformation("bucket_by_sequence_length",
                               lambda ds: ds.bucket_by_sequence_length(
                                   element_length_func, bucket_boundaries, bucket_batch_sizes,
                                   padded_shapes, padding_values, pad_to_bucket_boundary,
                                   no_padding, drop_remainder))

    @staticmethod
    def dense_to_sparse_batch(batch_size, row_shape):
        return _transformation("dense_to_sparse_batch",
                               lambda ds: ds.sparse_batch(batch_size, row_shape))

    @staticmethod
    def parse_example_dataset(features, num_parallel_calls=1, deterministic=None):
        """Batches of serialized Examples parsed with ``features`` (ts.io.parse_example)."""
        from .io import parse_example
        return _transformation("parse_example_dataset",
                               lambda ds: ds.map(lambda s: parse_example(s, features)))

    @staticmethod
    def pad_to_cardinality(cardinality, mask_key="valid"):
        """Dict elements padded with zeros up to ``cardinality`` elements; ``mask_key``
        says which are real."""
        def apply(ds):
            total = int(cardinality)

            def make():
                count, template = 0, None
                for element in ds:
                    if not isinstance(element, dict):
                        raise TypeError("pad_to_cardinality needs dict elements")
                    if mask_key in element:
                        raise ValueError(f"mask_key {mask_key!r} is already in the elements")
                    template = element
                    count += 1
                    if count > total:
                        raise InvalidArgumentError(None, None, f"pad_to_cardinality: the "
                                                   f"dataset has more than {total} elements")
                    yield {**element, mask_key: convert_to_tensor(True)}
                if template is None and count < total:
                    raise InvalidArgumentError(None, None, "pad_to_cardinality: an empty "
                                               "dataset has no element to pad like")
                from .engine.ops.creation import zeros_like
                for _ in range(total - count):
                    yield {**{k: zeros_like(v) for k, v in template.items()},
                           mask_key: convert_to_tensor(False)}
            return ds._derive(make, total, "_PadToCardinalityDataset")
        return _transformation("pad_to_cardinality", apply)

    @staticmethod
    def Reducer(init_func, reduce_func, finalize_func):  # noqa: N802 - TensorFlow's class
        return _Reducer(init_func, reduce_func, finalize_func)

    @staticmethod
    def group_by_reducer(key_func, reducer):
        """One element per key: the reducer's state over the elements of that key, in the
        order the keys first appear."""
        def apply(ds):
            def make():
                states: dict = {}
                for element in ds:
                    key = int(np.asarray(_call(key_func, element).numpy()))
                    if key not in states:
                        states[key] = reducer.init_func(convert_to_tensor(np.int64(key)))
                    states[key] = _call_state(reducer.reduce_func, states[key], element)
                for state in states.values():
                    yield reducer.finalize_func(state)
            return ds._derive(make, UNKNOWN_CARDINALITY, "_GroupByReducerDataset")
        return _transformation("group_by_reducer", apply)

    @staticmethod
    def index_table_from_dataset(dataset=None, num_oov_buckets=0, vocab_size=None,
                                 default_value=-1, hasher_spec=None, key_dtype=dtypes.string,
                                 name=None):
        """A vocabulary table: each key of ``dataset`` to its position (int64), unknown keys
        to ``default_value`` or, with ``num_oov_buckets``, to hash buckets after them."""
        return _Experimental.table_from_dataset(dataset.enumerate().map(
            lambda i, key: (key, i)), num_oov_buckets, vocab_size, default_value,
            hasher_spec, key_dtype)

    @staticmethod
    def table_from_dataset(dataset=None, num_oov_buckets=0, vocab_size=None,
                           default_value=None, hasher_spec=None, key_dtype=dtypes.string,
                           name=None):
        """A table from a dataset of ``(key, value)`` pairs."""
        from . import lookup
        pairs = list(dataset)
        if vocab_size is not None:
            if len(pairs) < int(vocab_size):
                raise InvalidArgumentError(None, None, f"table_from_dataset: expected "
                                           f"{vocab_size} elements, got {len(pairs)}")
            pairs = pairs[:int(vocab_size)]
        from .engine.ops.shape import stack
        keys = stack([k for k, _ in pairs]) if pairs else convert_to_tensor(
            np.array([], dtype=object), dtype=key_dtype)
        values = stack([v for _, v in pairs]) if pairs else convert_to_tensor(
            np.array([], np.int64))
        init = lookup.KeyValueTensorInitializer(keys, values)
        if num_oov_buckets:
            return lookup.StaticVocabularyTable(init, num_oov_buckets)
        return lookup.StaticHashTable(init, -1 if default_value is None else default_value)

    @staticmethod
    def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64):
        return _transformation("dense_to_ragged_batch", lambda ds: ds.ragged_batch(
            batch_size, drop_remainder, row_splits_dtype))

    @staticmethod
    def shuffle_and_repeat(buffer_size, count=None, seed=None):
        return _transformation("shuffle_and_repeat",
                               lambda ds: ds.shuffle(buffer_size, seed).repeat(count))

    @staticmethod
    def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                      num_parallel_calls=None):
        return _transformation("map_and_batch",
                               lambda ds: ds.map(map_func).batch(batch_size, drop_remainder))

    @staticmethod
    def parallel_interleave(map_func, cycle_length, block_length=1, sloppy=False,
                            buffer_output_elements=None, prefetch_input_elements=None):
        return _transformation("parallel_interleave", lambda ds: ds.interleave(
            map_func, cycle_length, block_length))

    @staticmethod
    def assert_cardinality(expected_cardinality):
        """Check, as the dataset is read, that it has exactly ``expected_cardinality``
        elements (FailedPreconditionError otherwise)."""
        from .engine.errors import FailedPreconditionError
        expected = int(expected_cardinality.numpy() if hasattr(expected_cardinality, "numpy")
                       else expected_cardinality)

        def apply(ds):
            def make():
                count = 0
                for element in ds:
                    count += 1
                    if count > expected:
                        raise FailedPreconditionError(
                            None, None, f"Input dataset was expected to contain {expected} "
                            f"elements but contained at least {count} elements.")
                    yield element
                if count < expected:
                    raise FailedPreconditionError(
                        None, None, f"Input dataset was expected to contain {expected} "
                        f"elements but contained only {count} elements.")
            return ds._derive(make, expected, "_AssertCardinalityDataset",
                              lambda: ds.element_spec)
        return _transformation("assert_cardinality", apply)

    @staticmethod
    def at(dataset, index):
        """The element at ``index`` (OutOfRangeError past the end)."""
        from .engine.errors import OutOfRangeError
        i = int(index)
        if i < 0:
            raise InvalidArgumentError(None, None, f"Index must be non-negative, got {i}")
        for position, element in enumerate(dataset):
            if position == i:
                return element
        raise OutOfRangeError(None, None, f"Index {i} is out of range for the dataset")

    @staticmethod
    def CsvDataset(filenames, record_defaults, compression_type=None,  # noqa: N802
                   buffer_size=None, header=False, field_delim=",", use_quote_delim=True,
                   na_value="", select_cols=None, exclude_cols=None) -> Dataset:
        """The CSV records of the files, each a tuple of column tensors typed by
        ``record_defaults`` (see ``ts.io.decode_csv``); ``header`` skips each file's first
        line."""
        from .io import decode_csv
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("Either select_cols or exclude_cols should be specified, but "
                             "not both.")
        names = _file_names(filenames)
        excluded = set(exclude_cols or ())
        # a dtype in record_defaults is a required column of that type
        record_defaults = [convert_to_tensor(np.zeros(0, dtypes.as_dtype(d).as_numpy_dtype
                                                      if d != dtypes.string else object),
                                             dtype=dtypes.as_dtype(d))
                           if isinstance(d, dtypes.DType) else d for d in record_defaults]

        def make():
            for filename in names:
                for index, line in enumerate(_read_lines(filename, compression_type)):
                    if header and index == 0:
                        continue
                    cols = select_cols
                    if excluded:
                        width = len(next(csv.reader([line.decode()], delimiter=field_delim)))
                        cols = [c for c in range(width) if c not in excluded]
                    yield tuple(decode_csv(np.array(line, dtype=object), record_defaults,
                                           field_delim, use_quote_delim, na_value, cols))
        return Dataset(make, UNKNOWN_CARDINALITY, "_CsvDataset")

    @staticmethod
    def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None,
                         label_name=None, select_columns=None, field_delim=",",
                         use_quote_delim=True, na_value="", header=True, num_epochs=None,
                         shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                         prefetch_buffer_size=None, num_parallel_reads=None, sloppy=False,
                         num_rows_for_inference=100, compression_type=None,
                         ignore_errors=False, encoding="utf-8") -> Dataset:
        """Batches of ``(features, label)`` from CSV files, as TensorFlow's: ``features`` a
        dict of column name to batch (names from the header unless given), column types
        inferred from the first ``num_rows_for_inference`` rows (int32, int64, float32,
        float64 or string, the narrowest that holds every value; missing values become 0
        or ""), shuffled and repeated ``num_epochs`` times (None: forever, whole batches
        only)."""
        names = sorted(_file_names_matching(file_pattern))
        first = _read_lines(names[0], compression_type)
        if column_names is None:
            if not header:
                raise ValueError("Expected a list of column_names when header=False")
            column_names = next(csv.reader([first[0].decode(encoding)],
                                           delimiter=field_delim))
        column_names = [str(c) for c in column_names]
        if len(set(column_names)) != len(column_names):
            raise ValueError("Cannot have duplicate column names.")
        if select_columns is not None:
            picks = sorted(column_names.index(c) if isinstance(c, str) else int(c)
                           for c in select_columns)
        else:
            picks = list(range(len(column_names)))
        if column_defaults is None:
            column_defaults = _infer_csv_defaults(names, picks, field_delim, na_value, header,
                                                  num_rows_for_inference, compression_type,
                                                  encoding)
        elif len(column_defaults) != len(picks):
            raise ValueError("If specified, column_defaults and select_columns must have the "
                             "same length")
        picked = [column_names[i] for i in picks]
        if label_name is not None and label_name not in picked:
            raise ValueError(f"`label_name` provided must be one of the columns: {picked}")
        files = Dataset.from_tensor_slices(convert_to_tensor(names))
        if shuffle:
            files = files.shuffle(len(names), shuffle_seed)
        rows = files.flat_map(lambda f: _Experimental.CsvDataset(
            f.numpy(), column_defaults, compression_type, None, header, field_delim,
            use_quote_delim, na_value, picks if select_columns is not None else None))
        if shuffle:
            rows = rows.shuffle(shuffle_buffer_size, shuffle_seed)
        if num_epochs != 1:
            rows = rows.repeat(num_epochs)
        batches = rows.batch(batch_size, drop_remainder=num_epochs is None)

        def to_features(*columns):
            features = dict(zip(picked, columns))
            if label_name is None:
                return features
            label = features.pop(label_name)
            return features, label
        return batches.map(to_features)

    class TFRecordWriter:
        """Writes a dataset of string scalars to one TFRecord file: ``write(dataset)``."""

        def __init__(self, filename, compression_type=None, name=None):
            self._filename, self._compression = filename, compression_type

        def write(self, dataset):
            from .io import TFRecordOptions, TFRecordWriter
            with TFRecordWriter(self._filename, TFRecordOptions(self._compression)) as w:
                for element in dataset:
                    if not isinstance(element, Tensor) or element.dtype is not dtypes.string \
                            or element.ndim:
                        raise TypeError("TFRecordWriter writes a dataset of string scalars, "
                                        f"got {element!r}")
                    w.write(element.numpy())


def _file_names_matching(file_pattern) -> list:
    import glob
    patterns = [file_pattern] if isinstance(file_pattern, (str, bytes)) else list(file_pattern)
    patterns = [p.decode() if isinstance(p, bytes) else str(p) for p in patterns]
    names = sorted({f for p in patterns for f in glob.glob(p)})
    if not names:
        raise ValueError(f"No files match `file_pattern` {file_pattern!r}.")
    return names


_CSV_TYPES = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string]


def _csv_type(text: str, na_value: str, previous):
    """The narrowest of TensorFlow's CSV column types that holds ``text`` and every value
    before it (``previous``)."""
    if text in ("", na_value):
        return previous
    candidates = _CSV_TYPES[_CSV_TYPES.index(previous):] if previous is not None \
        else _CSV_TYPES
    for t in candidates:
        try:
            if t in (dtypes.int32, dtypes.int64):
                v = int(text)
                if t.min <= v <= t.max:
                    return t
            elif t is not dtypes.string:
                with np.errstate(over="ignore"):
                    if abs(t.as_numpy_dtype(text)) < np.inf:
                        return t
            else:
                return t
        except (ValueError, OverflowError):
            continue
    return dtypes.string


def _infer_csv_defaults(names, picks, delim, na_value, header, rows, compression, encoding):
    kinds = [None] * len(picks)
    seen = 0
    for name in names:
        lines = _read_lines(name, compression)[1 if header else 0:]
        for line in lines:
            if seen >= rows:
                break
            fields = next(csv.reader([line.decode(encoding)], delimiter=delim), [])
            for k, i in enumerate(picks):
                if i < len(fields):
                    kinds[k] = _csv_type(fields[i], na_value, kinds[k])
            seen += 1
    kinds = [k or dtypes.string for k in kinds]
    return [convert_to_tensor(np.array(b"" if k is dtypes.string else 0,
                                       dtype=object if k is dtypes.string else
                                       k.as_numpy_dtype), dtype=k) for k in kinds]


class _Reducer:
    """``ts.data.experimental.Reducer``: how ``group_by_reducer`` folds each key's
    elements - ``init_func(key)``, ``reduce_func(state, element)``, ``finalize_func(state)``."""

    def __init__(self, init_func, reduce_func, finalize_func):
        self.init_func, self.reduce_func, self.finalize_func = \
            init_func, reduce_func, finalize_func


def _call_state(fn, state, element):
    """``reduce_func(state, element)``, a tuple element spread after the state."""
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return fn(state, *element)
    return fn(state, element)


experimental = _Experimental()


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
