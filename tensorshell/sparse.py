"""``ts.sparse`` and ``ts.SparseTensor``: tensors that store only their nonzero entries, as
TensorFlow's — ``indices`` (int64, one row of coordinates per entry), ``values`` and
``dense_shape``.

>>> s = ts.SparseTensor(indices=[[0, 1], [1, 0], [2, 3]], values=[1., 2., 3.],
...                     dense_shape=[3, 4])
>>> ts.sparse.to_dense(s * 42.0)
>>> ts.sparse.sparse_dense_matmul(s, ts.ones((4, 2)))

Every function is built from tensorshell's own ops (gathers, segment sums, scatters), so
gradients flow to the values and to dense operands, on any device. Index bookkeeping
(sorting, matching coordinates) happens on the host with NumPy.
"""

from __future__ import annotations

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError
from .engine.ops import composites as _comp, creation as _creation, elementwise as _ew
from .engine.ops import reduction as _red, scatter as _scatter
from .engine.ops import shape as _shape
from .engine.tensor import Tensor, TensorShape, convert_to_tensor

__all__ = ["SparseTensor", "add", "bincount", "concat", "expand_dims", "eye",
           "fill_empty_rows", "from_dense", "map_values", "mask", "maximum", "minimum",
           "reduce_max", "reduce_sum", "reorder", "reset_shape", "reshape", "retain",
           "segment_mean", "segment_sqrt_n", "segment_sum", "slice", "softmax",
           "sparse_dense_matmul", "split", "to_dense", "to_indicator", "transpose"]


def _tensor(value, dtype=None) -> Tensor:
    if isinstance(value, Tensor):
        return value if dtype is None or value.dtype is dtype else _shape.cast(value, dtype)
    if getattr(value, "_is_variable", False):
        return value.value()
    return convert_to_tensor(value, dtype=dtype)


def _invalid(text, cls=InvalidArgumentError):
    return cls(None, None, text)


class SparseTensor:
    """A sparse tensor: ``values[i]`` sits at coordinates ``indices[i]`` of a tensor of
    ``dense_shape``; every other entry is zero."""

    __slots__ = ("_indices", "_values", "_dense_shape")
    _is_sparse = True        # (a flag other modules test without importing this one)

    def __init__(self, indices, values, dense_shape):
        ind = _tensor(indices)
        if not ind.dtype.is_integer:
            raise TypeError(f"SparseTensor: indices must be integers, got {ind.dtype.name}")
        ind = _shape.cast(ind, dtypes.int64) if ind.dtype is not dtypes.int64 else ind
        vals = _tensor(values)
        shape = _tensor(dense_shape, dtypes.int64) if not isinstance(dense_shape, Tensor) \
            else _shape.cast(dense_shape, dtypes.int64)
        if ind.ndim != 2:
            raise ValueError(f"SparseTensor: indices must be a matrix (one row of coordinates "
                             f"per value), got shape {ind.shape}")
        if vals.ndim != 1:
            raise ValueError(f"SparseTensor: values must be a vector, got shape {vals.shape}")
        if shape.ndim != 1:
            raise ValueError(f"SparseTensor: dense_shape must be a vector, got {shape.shape}")
        if ind.shape[0] != vals.shape[0]:
            raise ValueError(f"Dimensions {ind.shape[0]} and {vals.shape[0]} are not "
                             "compatible: indices and values must have as many rows")
        if ind.shape[1] != shape.shape[0]:
            raise ValueError(f"Dimensions {ind.shape[1]} and {shape.shape[0]} are not "
                             "compatible: each row of indices needs one coordinate per "
                             "dimension of dense_shape")
        self._indices, self._values, self._dense_shape = ind, vals, shape

    @classmethod
    def from_value(cls, value) -> "SparseTensor":
        return value if isinstance(value, SparseTensor) else from_dense(value)

    # -- attributes -------------------------------------------------------------------------
    @property
    def indices(self) -> Tensor:
        return self._indices

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._dims())

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return self._dense_shape.shape[0]

    def _dims(self) -> list[int]:
        return [int(d) for d in self._dense_shape.numpy()]

    def _host_indices(self) -> np.ndarray:
        return np.asarray(self._indices.numpy(), dtype=np.int64).reshape(-1, self.ndim)

    def with_values(self, new_values) -> "SparseTensor":
        """The same coordinates with other values (as many of them)."""
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def __repr__(self):
        return (f"SparseTensor(indices={self._indices}, values={self._values}, "
                f"dense_shape={self._dense_shape})")

    __str__ = __repr__

    # -- arithmetic TensorFlow defines on sparse tensors ---------------------------------------
    def _elementwise(self, other, fn):
        o = other if isinstance(other, Tensor) else None
        if o is None and getattr(other, "_is_variable", False):
            o = other.value()
        if o is None:
            o = _shape.cast(convert_to_tensor(other), self.dtype) \
                if not isinstance(other, (int, float, complex, bool)) else other
        if isinstance(o, Tensor) and o.ndim:
            o = _scatter.gather_nd(_shape.broadcast_to(o, self._dims()), self._indices)
        return self.with_values(fn(self._values, o))

    def __mul__(self, other):
        if isinstance(other, SparseTensor):
            return NotImplemented
        return self._elementwise(other, lambda v, o: v * o)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, SparseTensor):
            return NotImplemented
        return self._elementwise(other, lambda v, o: v / o)

    __div__ = __truediv__

    def __array__(self, dtype=None, copy=None):
        raise ValueError("Attempt to convert a value (a SparseTensor) with an unsupported "
                         "type to a Tensor: a SparseTensor is not densified implicitly; use "
                         "ts.sparse.to_dense(sp), or sp.values for the stored entries")

    def __bool__(self):
        return True

    def __iter__(self):
        raise TypeError("a SparseTensor cannot be iterated; use ts.sparse.to_dense(sp)")


def _check(sp, name, what="sp_input") -> SparseTensor:
    if not isinstance(sp, SparseTensor):
        raise TypeError(f"{name}: {what} must be a SparseTensor, got {type(sp).__name__} "
                        "(ts.sparse.from_dense makes one from a dense tensor)")
    return sp


def _linear(idx: np.ndarray, dims) -> np.ndarray:
    """Row-major positions of coordinates (for sorting and matching)."""
    if idx.shape[1] == 0:
        return np.zeros(idx.shape[0], np.int64)
    return np.ravel_multi_index(tuple(idx.T), tuple(dims)) if idx.size else \
        np.zeros(0, np.int64)


def _validate(sp, name):
    """TensorFlow's checks before densifying: in bounds, in order, no repeats."""
    idx, dims = sp._host_indices(), sp._dims()
    for i, row in enumerate(idx):
        if any(c < 0 or c >= d for c, d in zip(row, dims)):
            raise _invalid(f"{name}: indices[{i}] = [{','.join(map(str, row))}] is out of "
                           f"bounds: need 0 <= index < [{','.join(map(str, dims))}]")
    lin = _linear(idx, dims)
    for i in range(1, len(lin)):
        if lin[i] < lin[i - 1]:
            raise _invalid(f"{name}: indices[{i}] = [{','.join(map(str, idx[i]))}] is out of "
                           "order. Many sparse ops require sorted indices. Use "
                           "`ts.sparse.reorder` to create a correctly ordered copy.")
        if lin[i] == lin[i - 1]:
            raise _invalid(f"{name}: indices[{i}] = [{','.join(map(str, idx[i]))}] is "
                           "repeated")


def _int64(host: np.ndarray) -> Tensor:
    return convert_to_tensor(np.asarray(host, np.int64))


def _gather_entries(sp, order, indices=None, dims=None) -> SparseTensor:
    """A sparse tensor of the entries ``order`` picks (values gathered, so gradients flow)."""
    order = _int64(order)
    idx = _shape.gather(sp._indices, order) if indices is None else _int64(indices)
    return SparseTensor(idx, _shape.gather(sp._values, order),
                        sp._dims() if dims is None else dims)


# ---------------------------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------------------------

def to_dense(sp_input, default_value=None, validate_indices=True, name=None) -> Tensor:
    """The dense tensor: ``values`` at their coordinates, ``default_value`` (0) elsewhere."""
    sp = _check(sp_input, "to_dense")
    if validate_indices:
        _validate(sp, "to_dense")
    dims = sp._dims()
    fill = _creation.zeros(dims, sp.dtype) if default_value is None else \
        _creation.fill(dims, _tensor(default_value, sp.dtype))
    if not sp._values.shape[0]:
        return fill
    return _scatter.tensor_scatter_nd_update(fill, sp._indices, sp._values)


def from_dense(tensor, name=None) -> SparseTensor:
    """The nonzero (non-empty, for strings) entries of a dense tensor, in row-major order."""
    t = _tensor(tensor)
    zero = b"" if t.dtype.is_string else _creation.zeros([], t.dtype)
    where = _shape.where(_ew.not_equal(t, zero)) if t.ndim else \
        _creation.zeros([1 if bool(_ew.not_equal(t, zero)) else 0, 0], dtypes.int64)
    values = _scatter.gather_nd(t, where) if t.ndim else _shape.reshape(t, [-1])[:where.shape[0]]
    return SparseTensor(where, values, list(t.shape))


def reorder(sp_input, name=None) -> SparseTensor:
    """The same entries sorted into row-major (canonical) order."""
    sp = _check(sp_input, "reorder")
    order = np.argsort(_linear(sp._host_indices(), sp._dims()), kind="stable")
    return _gather_entries(sp, order)


def reset_shape(sp_input, new_shape=None) -> SparseTensor:
    """The same entries in a larger ``new_shape`` (default: the tightest box around them)."""
    sp = _check(sp_input, "reset_shape")
    idx = sp._host_indices()
    if new_shape is None:
        dims = (idx.max(0) + 1).tolist() if len(idx) else [0] * sp.ndim
    else:
        dims = [int(d) for d in np.asarray(_tensor(new_shape).numpy()).reshape(-1)]
        if len(dims) != sp.ndim or any(d < s for d, s in zip(dims, sp._dims())):
            raise ValueError(f"reset_shape: new_shape {dims} must have rank {sp.ndim} and be "
                             f"no smaller than {sp._dims()} in any dimension")
    return SparseTensor(sp._indices, sp._values, dims)


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None) -> SparseTensor:
    """The identity matrix, sparse."""
    n = int(num_rows)
    m = n if num_columns is None else int(num_columns)
    k = np.arange(min(n, m))
    return SparseTensor(np.stack([k, k], 1).reshape(-1, 2), _creation.ones([len(k)], dtype),
                        [n, m])


# ---------------------------------------------------------------------------------------------
# Arithmetic and reductions
# ---------------------------------------------------------------------------------------------

def _coalesce(indices: np.ndarray, dims, values: Tensor, reducer="sum"):
    """Entries with equal coordinates merged (summed, or max/min), sorted row-major."""
    lin = _linear(indices, dims)
    unique, first, inverse = np.unique(lin, return_index=True, return_inverse=True)
    seg = _int64(inverse.reshape(-1))
    n = len(unique)
    fold = {"sum": _shape.unsorted_segment_sum, "max": _shape.unsorted_segment_max,
            "min": _shape.unsorted_segment_min}[reducer]
    merged = fold(values, seg, n)
    return indices[first], merged


def add(a, b, threshold=0, name=None):
    """Sparse + sparse (a SparseTensor, entries whose magnitude is below ``threshold``
    dropped) or sparse + dense (a dense tensor)."""
    if not isinstance(a, SparseTensor):
        a, b = b, a
    sp = _check(a, "add", "a")
    if not isinstance(b, SparseTensor):
        dense = _tensor(b)
        if dense.shape.as_list() != sp._dims():
            raise _invalid(f"sparse.add: the dense operand's shape {dense.shape} differs from "
                           f"the sparse tensor's {sp._dims()}")
        if not sp._values.shape[0]:
            return dense
        return _scatter.tensor_scatter_nd_add(dense, sp._indices, sp._values)
    if b._dims() != sp._dims():
        raise _invalid(f"sparse.add: operands of dense shapes {sp._dims()} and {b._dims()}")
    idx = np.concatenate([sp._host_indices(), b._host_indices()])
    values = _shape.concat([sp._values, b._values], 0)
    idx, merged = _coalesce(idx, sp._dims(), values)
    result = SparseTensor(idx, merged, sp._dims())
    thresh = float(_tensor(threshold).numpy()) if not isinstance(threshold, (int, float)) \
        else float(threshold)
    if thresh > 0:
        keep = np.abs(np.asarray(merged.numpy())) >= thresh
        result = retain(result, keep)
    return result


def _union_fold(a, b, name, reducer):
    """Entries at every coordinate either operand stores, folded with the other's value
    there (its implicit 0 where it stores none)."""
    sp_a, sp_b = _check(a, name, "sp_a"), _check(b, name, "sp_b")
    dims = sp_a._dims()
    if sp_b._dims() != dims:
        raise _invalid(f"sparse.{name}: operands of dense shapes {dims} and {sp_b._dims()}")
    ia, ib = sp_a._host_indices(), sp_b._host_indices()
    la, lb = _linear(ia, dims), _linear(ib, dims)
    lonely = np.concatenate([ia[~np.isin(la, lb)], ib[~np.isin(lb, la)]])
    idx = np.concatenate([ia, ib, lonely])
    values = _shape.concat([sp_a._values, sp_b._values,
                            _creation.zeros([len(lonely)], sp_a.dtype)], 0)
    idx, merged = _coalesce(idx, dims, values, reducer)
    return SparseTensor(idx, merged, dims)


def maximum(sp_a, sp_b, name=None) -> SparseTensor:
    """The elementwise maximum of two sparse tensors of one shape (missing entries are 0)."""
    return _union_fold(sp_a, sp_b, "maximum", "max")


def minimum(sp_a, sp_b, name=None) -> SparseTensor:
    """The elementwise minimum of two sparse tensors of one shape (missing entries are 0)."""
    return _union_fold(sp_a, sp_b, "minimum", "min")


def map_values(op, *args, **kwargs) -> SparseTensor:
    """``op`` applied to the values of the SparseTensor arguments (which must share their
    coordinates); other arguments are passed through."""
    sparse = [a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor)]
    if not sparse:
        raise ValueError("map_values: no SparseTensor among the arguments")
    first = sparse[0]
    for other in sparse[1:]:
        if other._dims() != first._dims() or \
                not np.array_equal(other._host_indices(), first._host_indices()):
            raise ValueError("map_values: the SparseTensors must have the same indices")
    def swap(v):
        return v.values if isinstance(v, SparseTensor) else v
    return first.with_values(op(*[swap(a) for a in args],
                                **{k: swap(v) for k, v in kwargs.items()}))


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None) -> Tensor:
    """A sparse matrix times a dense one (or a dense times a sparse): O(entries x columns),
    differentiable in the values and the dense operand."""
    if not isinstance(sp_a, SparseTensor):
        if not isinstance(b, SparseTensor):
            raise TypeError("sparse_dense_matmul: one operand must be a SparseTensor")
        # D @ S = (S^H @ D^H)^H
        dense = _tensor(sp_a)
        if adjoint_a:
            dense = _comp.adjoint(dense)
        product = sparse_dense_matmul(b, dense, adjoint_a=not adjoint_b, adjoint_b=True)
        return _comp.adjoint(product)
    sp = _check(sp_a, "sparse_dense_matmul", "sp_a")
    dense = _tensor(b)
    if sp.ndim != 2 or dense.ndim != 2:
        raise _invalid(f"sparse_dense_matmul: both operands must be matrices, got dense "
                       f"shapes {sp._dims()} and {dense.shape}")
    if dense.dtype is not sp.dtype:
        from .engine.ops.registry import mismatch
        raise mismatch("sparse_dense_matmul", sp._values, "sp_a", dense, "b")
    if adjoint_b:
        dense = _comp.adjoint(dense)
    rows, cols = sp._indices[:, 0], sp._indices[:, 1]
    m, k = sp._dims()
    values = sp._values
    if adjoint_a:
        rows, cols, m, k = cols, rows, k, m
        values = _ew.conj(values) if values.dtype.is_complex else values
    if dense.shape[0] != k:
        raise _invalid(f"Cannot multiply A and B because inner dimension does not match: "
                       f"{k} vs. {dense.shape[0]}.  Did you forget a transpose?  Dimensions "
                       f"of A: [{m}, {k}].  Dimensions of B: {dense.shape}")
    contributions = _shape.expand_dims(values, 1) * _shape.gather(dense, cols)
    return _shape.unsorted_segment_sum(contributions, rows, m)


def _reduce(sp, axis, keepdims, output_is_sparse, name, reducer):
    dims = sp._dims()
    if axis is None:
        axes = list(range(len(dims)))
    else:
        axes = sorted({a % len(dims) for a in np.asarray(_tensor(axis).numpy()).reshape(-1)
                       .tolist()}) if not isinstance(axis, int) else [axis % len(dims)]
    rest = [d for d in range(len(dims)) if d not in axes]
    out_dims = [dims[d] for d in rest]
    idx = sp._host_indices()[:, rest]
    lin = _linear(idx, out_dims)
    n = int(np.prod(out_dims)) if out_dims else 1
    fold = {"sum": _shape.unsorted_segment_sum, "max": _shape.unsorted_segment_max}[reducer]
    if output_is_sparse:
        unique, first, inverse = np.unique(lin, return_index=True, return_inverse=True)
        values = fold(sp._values, _int64(inverse.reshape(-1)), len(unique))
        out_idx = idx[first]
        shape = out_dims
        if keepdims:
            full = np.zeros((len(out_idx), len(dims)), np.int64)
            full[:, rest] = out_idx
            out_idx, shape = full, [1 if d in axes else dims[d] for d in range(len(dims))]
        return SparseTensor(out_idx.reshape(len(out_idx), -1), values, shape)
    flat = fold(sp._values, _int64(lin), n)
    if reducer == "max":  # positions no entry reaches hold the implicit zero
        hit = np.zeros(n, bool)
        hit[lin] = True
        if not hit.all():
            flat = _shape.where(convert_to_tensor(hit), flat, _creation.zeros_like(flat))
    shape = [1 if d in axes else dims[d] for d in range(len(dims))] if keepdims else out_dims
    return _shape.reshape(flat, shape)


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """The sum over ``axis`` (all dimensions by default), dense unless
    ``output_is_sparse``."""
    sp = _check(sp_input, "reduce_sum")
    return _reduce(sp, axis, bool(keepdims), output_is_sparse, "reduce_sum", "sum")


def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """The maximum over ``axis`` of the stored entries (a position no entry reaches gives
    the implicit 0)."""
    sp = _check(sp_input, "reduce_max")
    return _reduce(sp, axis, bool(keepdims), output_is_sparse, "reduce_max", "max")


def softmax(sp_input, name=None) -> SparseTensor:
    """Softmax over the last dimension, among the stored entries only."""
    sp = _check(sp_input, "softmax")
    dims = sp._dims()
    idx = sp._host_indices()
    groups = _linear(idx[:, :-1], dims[:-1])
    unique, inverse = np.unique(groups, return_inverse=True)
    seg = _int64(inverse.reshape(-1))
    top = _shape.gather(_shape.unsorted_segment_max(sp._values, seg, len(unique)), seg)
    e = _ew.exp(sp._values - top)
    total = _shape.gather(_shape.unsorted_segment_sum(e, seg, len(unique)), seg)
    return sp.with_values(e / total)


# ---------------------------------------------------------------------------------------------
# Shape
# ---------------------------------------------------------------------------------------------

def transpose(sp_input, perm=None, name=None) -> SparseTensor:
    """Dimensions permuted (reversed by default), entries re-sorted."""
    sp = _check(sp_input, "transpose")
    dims = sp._dims()
    p = list(range(len(dims)))[::-1] if perm is None else \
        [int(v) for v in np.asarray(_tensor(perm).numpy()).reshape(-1)]
    if sorted(p) != list(range(len(dims))):
        raise _invalid(f"sparse.transpose: perm {p} is not a permutation of 0..{len(dims) - 1}")
    new_dims = [dims[i] for i in p]
    idx = sp._host_indices()[:, p]
    order = np.argsort(_linear(idx, new_dims), kind="stable")
    return _gather_entries(sp, order, idx[order], new_dims)


def reshape(sp_input, shape, name=None) -> SparseTensor:
    """The same entries in a new shape of as many elements (one dimension may be -1)."""
    sp = _check(sp_input, "reshape")
    dims = sp._dims()
    new = [int(v) for v in np.asarray(_tensor(shape).numpy()).reshape(-1)]
    total = int(np.prod(dims))
    if new.count(-1) > 1:
        raise _invalid("sparse.reshape: at most one dimension may be -1")
    if -1 in new:
        known = int(np.prod([d for d in new if d != -1]))
        if known == 0 or total % known:
            raise _invalid(f"sparse.reshape: cannot reshape {dims} into {new}")
        new[new.index(-1)] = total // known
    if int(np.prod(new)) != total:
        raise _invalid(f"sparse.reshape: cannot reshape a tensor of {total} elements into "
                       f"{new}")
    lin = _linear(sp._host_indices(), dims)
    idx = np.stack(np.unravel_index(lin, new), 1) if len(lin) else np.zeros((0, len(new)),
                                                                            np.int64)
    return SparseTensor(idx.reshape(-1, len(new)), sp._values, new)


def expand_dims(sp_input, axis=None, name=None) -> SparseTensor:
    """A dimension of size 1 inserted at ``axis``."""
    sp = _check(sp_input, "expand_dims")
    dims = sp._dims()
    a = int(axis if axis is not None else -1)
    a = a if a >= 0 else len(dims) + 1 + a
    idx = np.insert(sp._host_indices(), a, 0, axis=1)
    return SparseTensor(idx, sp._values, dims[:a] + [1] + dims[a:])


def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None) -> SparseTensor:
    """Sparse tensors joined along ``axis`` (the others' sizes must agree, or grow to the
    largest with ``expand_nonconcat_dims``)."""
    parts = [_check(s, "concat", "sp_inputs") for s in sp_inputs]
    if not parts:
        raise ValueError("sparse.concat: no inputs")
    rank = parts[0].ndim
    a = int(axis) % rank
    shapes = [p._dims() for p in parts]
    others = [[s[d] for d in range(rank) if d != a] for s in shapes]
    if expand_nonconcat_dims:
        biggest = np.max(np.array(shapes), 0).tolist()
    elif any(o != others[0] for o in others):
        raise _invalid(f"sparse.concat: the inputs' shapes {shapes} differ outside dimension "
                       f"{a}")
    else:
        biggest = shapes[0]
    pieces, offset = [], 0
    for p, s in zip(parts, shapes):
        idx = p._host_indices().copy()
        idx[:, a] += offset
        pieces.append(idx)
        offset += s[a]
    dims = list(biggest)
    dims[a] = offset
    idx = np.concatenate(pieces) if pieces else np.zeros((0, rank), np.int64)
    values = _shape.concat([p._values for p in parts], 0)
    order = np.argsort(_linear(idx, dims), kind="stable")
    return SparseTensor(idx[order], _shape.gather(values, _int64(order)), dims)


def slice(sp_input, start, size, name=None) -> SparseTensor:  # noqa: A001 - TF's name
    """The entries inside the box ``[start, start + size)`` (clipped to the shape), with
    coordinates relative to ``start``."""
    sp = _check(sp_input, "slice")
    dims = sp._dims()
    lo = [int(v) for v in np.asarray(_tensor(start).numpy()).reshape(-1)]
    n = [int(v) for v in np.asarray(_tensor(size).numpy()).reshape(-1)]
    hi = [min(s + k, d) for s, k, d in zip(lo, n, dims)]
    idx = sp._host_indices()
    inside = np.all((idx >= lo) & (idx < hi), axis=1) if len(idx) else np.zeros(0, bool)
    order = np.flatnonzero(inside)
    new_dims = [max(h - s, 0) for s, h in zip(lo, hi)]
    return _gather_entries(sp, order, idx[order] - np.asarray(lo, np.int64), new_dims)


def split(sp_input=None, num_split=None, axis=None, name=None, keyword_required=None):
    """``num_split`` sparse tensors along ``axis`` (the first ones one larger when the size
    does not divide evenly, as TensorFlow)."""
    sp = _check(sp_input, "split")
    dims = sp._dims()
    a = int(axis) % len(dims)
    k = int(num_split)
    size, extra = divmod(dims[a], k)
    out, start = [], 0
    for i in range(k):
        n = size + (1 if i < extra else 0)
        lo = [0] * len(dims)
        lo[a] = start
        box = list(dims)
        box[a] = n
        out.append(slice(sp, lo, box))
        start += n
    return out


def retain(sp_input, to_retain) -> SparseTensor:
    """The entries where the boolean vector ``to_retain`` is True."""
    sp = _check(sp_input, "retain")
    keep = np.asarray(_tensor(to_retain).numpy() if not isinstance(to_retain, np.ndarray)
                      else to_retain).reshape(-1)
    if keep.dtype != np.bool_ or len(keep) != sp._values.shape[0]:
        raise _invalid(f"sparse.retain: to_retain must be {sp._values.shape[0]} booleans, one "
                       "per entry")
    return _gather_entries(sp, np.flatnonzero(keep))


def fill_empty_rows(sp_input, default_value, name=None):
    """Every empty row (of the first dimension) given one entry, ``default_value`` at
    column 0; returns ``(filled, empty_row_indicator)``."""
    sp = _check(sp_input, "fill_empty_rows")
    dims = sp._dims()
    idx = sp._host_indices()
    used = np.zeros(dims[0], bool)
    used[idx[:, 0]] = True
    empty = np.flatnonzero(~used)
    extra = np.zeros((len(empty), len(dims)), np.int64)
    extra[:, 0] = empty
    all_idx = np.concatenate([idx, extra])
    values = _shape.concat([sp._values, _creation.fill([len(empty)],
                                                       _tensor(default_value, sp.dtype))], 0)
    order = np.argsort(_linear(all_idx, dims), kind="stable")
    filled = SparseTensor(all_idx[order], _shape.gather(values, _int64(order)), dims)
    return filled, convert_to_tensor(~used)


# ---------------------------------------------------------------------------------------------
# Sparse segment reductions: rows of a dense tensor picked by ``indices``, then grouped
# ---------------------------------------------------------------------------------------------

def segment_sum(data, indices, segment_ids, num_segments=None, name=None) -> Tensor:
    """``segment_sum(gather(data, indices), segment_ids)`` (unsorted with
    ``num_segments``)."""
    rows = _shape.gather(_tensor(data), indices)
    if num_segments is not None:
        return _shape.unsorted_segment_sum(rows, segment_ids, num_segments)
    return _comp.segment_sum(rows, segment_ids)


def segment_mean(data, indices, segment_ids, num_segments=None, name=None) -> Tensor:
    rows = _shape.gather(_tensor(data), indices)
    if num_segments is not None:
        return _comp.unsorted_segment_mean(rows, segment_ids, num_segments)
    return _comp.segment_mean(rows, segment_ids)


def segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None) -> Tensor:
    rows = _shape.gather(_tensor(data), indices)
    ids = _tensor(segment_ids)
    n = num_segments if num_segments is not None else \
        (int(_red.reduce_max(ids)) + 1 if ids.shape.num_elements() else 0)
    return _comp.unsorted_segment_sqrt_n(rows, ids, n)


def bincount(values, weights=None, axis=0, minlength=None, maxlength=None,
             binary_output=False, name=None) -> SparseTensor:
    """Counts of each non-negative integer in ``values`` (dense or sparse) as a
    SparseTensor holding only the non-zero counts: over everything (``axis=0``) or per row
    of a matrix (``axis=-1``); with ``weights`` summed instead, with ``binary_output`` 1
    where a value occurs; values at or above ``maxlength`` are dropped."""
    if axis not in (0, -1):
        raise ValueError(f"Unsupported axis value {axis}. Only 0 and -1 are supported.")
    if isinstance(values, SparseTensor):
        idx = np.asarray(values.indices.numpy())
        vals = np.asarray(values.values.numpy())
        v_dtype = values.values.dtype
        rows = idx[:, 0] if idx.shape[1] > 1 else np.zeros(len(vals), np.int64)
        w = None if weights is None else np.asarray(weights.values.numpy() if isinstance(
            weights, SparseTensor) else _tensor(weights).numpy()).reshape(-1)
        n_rows = int(values.dense_shape.numpy()[0]) if idx.shape[1] > 1 else 1
    else:
        t = _tensor(values)
        v_dtype = t.dtype
        host = np.asarray(t.numpy())
        if axis == -1 and host.ndim != 2:
            raise _invalid("bincount: axis=-1 needs a matrix of values")
        vals = host.reshape(-1)
        rows = np.repeat(np.arange(host.shape[0]), host.shape[1]) if axis == -1 else \
            np.zeros(vals.size, np.int64)
        n_rows = host.shape[0] if axis == -1 else 1
        w = None if weights is None else np.asarray(_tensor(weights).numpy()).reshape(-1)
    if not v_dtype.is_integer:
        raise _invalid(f"bincount: values must be integers, got {v_dtype.name}")
    if vals.size and vals.min() < 0:
        raise _invalid("bincount: values must be non-negative")
    size = int(vals.max()) + 1 if vals.size else 0
    if minlength is not None:
        size = max(size, int(minlength))
    if maxlength is not None:
        size = min(size, int(maxlength))
    keep = vals < size
    rows, vals = rows[keep], vals[keep]
    w = None if w is None else w[keep]
    out_dtype = _tensor(weights).dtype if weights is not None and not isinstance(
        weights, SparseTensor) else (weights.values.dtype if weights is not None else v_dtype)
    counts = {}
    for k, (r, v) in enumerate(zip(rows.tolist(), vals.tolist())):
        key = (r, v) if axis == -1 else (v,)
        counts[key] = 1 if binary_output else counts.get(key, 0) + (1 if w is None else w[k])
    keys = sorted(counts)
    indices = np.asarray(keys, np.int64).reshape(-1, 2 if axis == -1 else 1)
    dense = [n_rows, size] if axis == -1 else [size]
    result = np.asarray([counts[k] for k in keys]).astype(out_dtype.as_numpy_dtype)
    return SparseTensor(indices, _tensor(result, out_dtype), dense)


def to_indicator(sp_input, vocab_size, name=None) -> Tensor:
    """A dense bool tensor [..., vocab_size]: True at each (row, value) of the integer
    SparseTensor ``sp_input``."""
    sp = _check(sp_input, "to_indicator")
    if not sp.values.dtype.is_integer:
        raise _invalid(f"to_indicator: values must be integers, got {sp.values.dtype.name}")
    n = int(vocab_size)
    idx = np.asarray(sp.indices.numpy())
    vals = np.asarray(sp.values.numpy()).astype(np.int64)
    if vals.size and (vals.min() < 0 or vals.max() >= n):
        raise _invalid(f"to_indicator: values must be in [0, {n})")
    shape = [int(d) for d in sp.dense_shape.numpy()[:-1]] + [n]
    out = np.zeros(shape, bool)
    out[tuple(idx[:, :-1].T) + (vals,)] = True
    return _tensor(out)


def mask(a, mask_indices, name=None):
    """The IndexedSlices ``a`` without the slices whose index is in ``mask_indices``."""
    from .engine.variable import IndexedSlices
    from .engine.ops.shape import gather
    indices = np.asarray(a.indices.numpy())
    drop = np.asarray(_tensor(mask_indices).numpy()).reshape(-1)
    keep = np.flatnonzero(~np.isin(indices, drop))
    return IndexedSlices(gather(a.values, keep), gather(a.indices, keep), a.dense_shape)



# -- feature crosses ----------------------------------------------------------------------------

_DEFAULT_HASH_KEY = 0xDECAFCAFFE
_M64 = (1 << 64) - 1


def _fingerprint_cat64(fp1, fp2):
    """TensorFlow's FingerprintCat64: two 64-bit fingerprints combined into one."""
    mul = 0xC6A4A7935BD1E995

    def shift_mix(v):
        return v ^ (v >> 47)
    result = fp1 ^ mul
    result ^= (shift_mix((fp2 * mul) & _M64) * mul) & _M64
    result = (result * mul) & _M64
    result = (shift_mix(result) * mul) & _M64
    return shift_mix(result)


def _cross_columns(inputs):
    """Each input as ``(batch, rows of values)``: a SparseTensor's values per row (in index
    order) or a dense 2-D tensor's rows."""
    columns, batch = [], None
    for i, x in enumerate(inputs):
        if isinstance(x, SparseTensor):
            if x.dense_shape.shape[0] != 2:
                raise InvalidArgumentError(None, None, f"sparse.cross: input {i} must be a 2-D "
                                           f"SparseTensor, got rank {int(x.dense_shape.shape[0])}")
            n = int(x.dense_shape.numpy()[0])
            rows = [[] for _ in range(n)]
            for (r, _), v in zip(x.indices.numpy().tolist(), x.values.numpy().tolist()):
                rows[r].append(v)
            dtype = x.values.dtype
        else:
            t = x if isinstance(x, Tensor) else convert_to_tensor(x)
            if t.ndim != 2:
                raise InvalidArgumentError(None, None, f"sparse.cross: input {i} must be 2-D "
                                           f"([batch, features]), got shape {t.shape}")
            rows, n, dtype = t.numpy().tolist(), t.shape[0], t.dtype
        if dtype not in (dtypes.int64, dtypes.string):
            raise InvalidArgumentError(None, None, f"sparse.cross: input {i} must be int64 or "
                                       f"string, got {dtype.name}")
        if batch is not None and n != batch:
            raise InvalidArgumentError(None, None, f"sparse.cross: inputs have different batch "
                                       f"sizes: {batch} and {n} (input {i})")
        batch = n
        columns.append(rows)
    return batch or 0, columns


def _crossed(inputs, combine, dtype):
    import itertools
    if not inputs:
        raise ValueError("sparse.cross needs at least one input")
    # TensorFlow's op takes the sparse inputs first, then the dense ones: crosses follow
    # that order whatever the order given
    inputs = [x for x in inputs if isinstance(x, SparseTensor)] + \
        [x for x in inputs if not isinstance(x, SparseTensor)]
    batch, columns = _cross_columns(inputs)
    indices, values, width = [], [], 0
    for b in range(batch):
        # the cartesian product, the last input varying fastest (TensorFlow's order)
        crosses = [combine(p) for p in itertools.product(*[col[b] for col in columns])]
        indices += [[b, j] for j in range(len(crosses))]
        values += crosses
        width = max(width, len(crosses))
    array = np.array(values, dtype=object if dtype is dtypes.string else np.int64)
    return SparseTensor(np.array(indices, np.int64).reshape(-1, 2),
                        convert_to_tensor(array.reshape(-1), dtype), [batch, width])


def cross(inputs, name=None, separator=None):
    """The feature crosses of ``inputs`` (2-D SparseTensors or dense ``[batch, n]``
    tensors of int64 or strings), row by row: every combination of one value from each, as
    the strings joined by ``separator`` (``"_X_"``). As TensorFlow's, the sparse inputs come
    first in each cross, then the dense ones."""
    sep = ("_X_" if separator is None else separator)
    sep = sep.encode() if isinstance(sep, str) else bytes(sep)

    def text(v):
        return v if isinstance(v, bytes) else str(int(v)).encode()
    return _crossed(inputs, lambda p: sep.join(text(v) for v in p), dtypes.string)


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None):
    """The feature crosses of ``inputs`` as TensorFlow hashes them: a FingerprintCat64 chain
    from ``hash_key`` over each value's fingerprint (strings' FarmHash Fingerprint64, int64s
    themselves), modulo ``num_buckets`` (0: int64's range); the same buckets as
    TensorFlow's."""
    from .hashing import fingerprint64
    key = _DEFAULT_HASH_KEY if hash_key is None else int(hash_key) & _M64
    buckets = int(num_buckets)

    def hashed(p):
        h = key
        for v in p:
            h = _fingerprint_cat64(h, fingerprint64(v) if isinstance(v, bytes) else
                                   int(v) & _M64)
        return h % buckets if buckets > 0 else h % ((1 << 63) - 1)
    return _crossed(inputs, hashed, dtypes.int64)


__all__ += ["cross", "cross_hashed"]



# ---------------------------------------------------------------------------------------------
# Edit distance and embedding lookups over sparse ids
# ---------------------------------------------------------------------------------------------

def _levenshtein(a: list, b: list) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance") -> Tensor:
    """The Levenshtein distance between the sequences of two SparseTensors (the last
    dimension runs along each sequence), shape ``max(dense shapes)[:-1]``; ``normalize``
    divides by the truth's length (an empty truth gives inf, or 0 when both are empty)."""
    h = _check(hypothesis, "edit_distance", "hypothesis")
    t = _check(truth, "edit_distance", "truth")
    if h.ndim != t.ndim or h.ndim < 1:
        raise _invalid(f"edit_distance: hypothesis and truth must have the same rank, got "
                       f"{h.ndim} and {t.ndim}")
    if h.dtype is not t.dtype:
        raise _invalid(f"edit_distance: hypothesis and truth must have the same dtype, got "
                       f"{h.dtype.name} and {t.dtype.name}")
    out_shape = [max(a, b) for a, b in zip(h._dims()[:-1], t._dims()[:-1])]

    def groups(sp):
        idx = sp._host_indices()
        values = np.asarray(sp._values.numpy(), dtype=object).reshape(-1).tolist()
        found: dict = {}
        for i in np.lexsort(idx.T[::-1]) if len(idx) else []:
            found.setdefault(tuple(idx[i, :-1].tolist()), []).append(values[i])
        return found
    hyp, tru = groups(h), groups(t)
    result = np.zeros(out_shape, np.float32)
    for key in set(hyp) | set(tru):
        a, b = hyp.get(key, []), tru.get(key, [])
        distance = _levenshtein(a, b)
        if normalize:
            distance = distance / len(b) if b else (np.inf if a else 0.0)
        result[key] = distance
    return convert_to_tensor(result)


def _combine(embeddings, weights, segment_ids, combiner, op_name):
    """The weighted rows of each segment combined: sum, mean or sum / sqrt(sum w^2)."""
    if weights is not None:
        w = _shape.reshape(weights, [-1] + [1] * (embeddings.ndim - 1))
        embeddings = embeddings * _shape.cast(w, embeddings.dtype)
    else:
        w = _creation.ones_like(embeddings[:, :1])
    total = _comp.segment_sum(embeddings, segment_ids)
    if combiner == "sum":
        return total
    w = _shape.cast(w, embeddings.dtype)
    if combiner == "mean":
        return _comp.divide_no_nan(total, _comp.segment_sum(w, segment_ids))
    if combiner == "sqrtn":
        return _comp.divide_no_nan(total, _ew.sqrt(_comp.segment_sum(w * w, segment_ids)))
    raise _invalid(f"{op_name}: combiner must be 'sum', 'mean' or 'sqrtn', got {combiner!r}")


def embedding_lookup_sparse(params, sp_ids, sp_weights, combiner="mean", max_norm=None,
                            name=None, allow_fast_lookup=False) -> Tensor:
    """One embedding per row of ``sp_ids`` (a [batch, n] SparseTensor of ids): the rows of
    ``params`` at its ids, weighted by ``sp_weights`` (None: 1) and combined by "sum",
    "mean" or "sqrtn". As in TensorFlow the result has ``max(row) + 1`` rows (trailing
    empty rows are left out, empty rows between give zeros)."""
    op_name = "nn.embedding_lookup_sparse"
    ids = _check(sp_ids, op_name, "sp_ids")
    if ids.ndim != 2:
        raise _invalid(f"{op_name}: sp_ids must be 2-D [batch, ids], got rank {ids.ndim}")
    weights = None
    if sp_weights is not None:
        weights = _check(sp_weights, op_name, "sp_weights")._values
    p = _shape.concat(list(params), 0) if isinstance(params, (list, tuple)) else \
        _tensor(params)
    segments = _int64(ids._host_indices()[:, 0])
    rows = _comp.embedding_lookup(p, ids._values, max_norm=max_norm)
    return _combine(rows, weights, segments, combiner, op_name)


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None,
                                 combiner="mean", default_id=None, max_norm=None, name=None,
                                 allow_fast_lookup=False) -> Tensor:
    """``embedding_lookup_sparse`` that never drops a row: ids < 0 (and weights <= 0) are
    pruned, every row of ``sparse_ids`` (of any rank >= 2) gets an embedding - zeros, or
    ``default_id``'s for a row left empty - shaped ``dense_shape[:-1] + [dim]``."""
    op_name = "nn.safe_embedding_lookup_sparse"
    ids = _check(sparse_ids, op_name, "sparse_ids")
    dims = ids._dims()
    if len(dims) < 2:
        raise _invalid(f"{op_name}: sparse_ids must have rank >= 2, got {len(dims)}")
    p = _shape.concat(list(embedding_weights), 0) \
        if isinstance(embedding_weights, (list, tuple)) else _tensor(embedding_weights)
    idx = ids._host_indices()
    batch = int(np.prod(dims[:-1], dtype=np.int64))
    rows = np.ravel_multi_index(idx[:, :-1].T, dims[:-1]) if len(idx) else \
        np.zeros(0, np.int64)
    id_values = np.asarray(ids._values.numpy()).reshape(-1)
    keep = id_values >= 0
    weights = None
    if sparse_weights is not None:
        w = _check(sparse_weights, op_name, "sparse_weights")._values
        keep &= np.asarray(w.numpy()).reshape(-1) > 0
        weights = _shape.gather(w, _int64(np.flatnonzero(keep)))
    rows, kept_ids = rows[keep], _shape.gather(ids._values, _int64(np.flatnonzero(keep)))
    empty = np.setdiff1d(np.arange(batch), rows)
    fill_id = 0 if default_id is None else int(default_id)
    order = np.argsort(np.concatenate([rows, empty]), kind="stable")
    all_rows = np.concatenate([rows, empty])[order]
    all_ids = _shape.gather(_shape.concat([_shape.cast(kept_ids, "int64"),
                                           _int64(np.full(len(empty), fill_id))], 0),
                            _int64(order))
    looked = _comp.embedding_lookup(p, all_ids, max_norm=max_norm)
    if weights is not None:
        weights = _shape.gather(_shape.concat([weights, _creation.ones_like(
            weights[:1]) * np.ones(len(empty), weights.dtype._np)
            if len(empty) else weights[:0]], 0), _int64(order))
    out = _combine(looked, weights, _int64(all_rows), combiner, op_name)
    if default_id is None and len(empty):
        blank = np.zeros((batch, 1), bool)
        blank[empty] = True
        out = _shape.where(convert_to_tensor(blank), _creation.zeros_like(out), out)
    return _shape.reshape(out, dims[:-1] + [int(p.shape[1])])


__all__ += ["edit_distance", "embedding_lookup_sparse", "safe_embedding_lookup_sparse"]


def sampled_addmm(indices, values, dense_shape, mat1, mat2, beta=1.0, alpha=1.0,
                  output_type=dtypes.float32):
    """``beta * values + alpha * (mat1 @ mat2)`` at ``indices`` only (``[..., n, 2]``
    positions of batched ``[..., m, k] @ [..., k, p]`` products), as TensorFlow's: returns
    ``(indices, values, dense_shape)``; differentiable in the values and both matrices."""
    idx = _tensor(indices)
    a, b = _tensor(mat1), _tensor(mat2)
    if idx.ndim < 2 or idx.shape[-1] != 2 or a.ndim != b.ndim or a.ndim != idx.ndim:
        raise _invalid(f"sampled_addmm: indices [..., n, 2] need matrices of rank "
                       f"{idx.ndim}; got indices {list(idx.shape)}, mat1 {list(a.shape)}, "
                       f"mat2 {list(b.shape)}")
    batch = idx.ndim - 2
    rows = _shape.gather(a, idx[..., 0], axis=batch, batch_dims=batch)
    columns = _shape.gather(_shape.transpose(b, list(range(batch)) + [batch + 1, batch]),
                            idx[..., 1], axis=batch, batch_dims=batch)
    products = _red.reduce_sum(rows * columns, -1)
    out = _tensor(values, products.dtype) * beta + products * alpha
    target = dtypes.as_dtype(output_type)
    return idx, out if out.dtype is target else _shape.cast(out, target), \
        _tensor(dense_shape)


__all__ += ["sampled_addmm"]


# -- the type of a SparseTensor (dataset element specs, ts.function signatures) --------------

from .function import TensorSpec as _TensorSpec  # noqa: E402


class SparseTensorSpec(_TensorSpec):
    """The type of a SparseTensor: its dense shape (``None`` for unknown sizes) and dtype,
    as TensorFlow's ``tf.SparseTensorSpec``.

    >>> ts.SparseTensorSpec.from_value(ts.SparseTensor([[0, 1]], [5], [3, 4]))
    SparseTensorSpec(TensorShape([3, 4]), ts.int32)
    """

    __slots__ = ()

    def __init__(self, shape=None, dtype=dtypes.float32):
        super().__init__(shape, dtype)

    @property
    def value_type(self):
        return SparseTensor

    @classmethod
    def from_value(cls, value) -> "SparseTensorSpec":
        if not isinstance(value, SparseTensor):
            raise TypeError(f"SparseTensorSpec.from_value needs a SparseTensor, got "
                            f"{type(value).__name__}")
        return cls(value.shape, value.dtype)

    def is_compatible_with(self, spec_or_value) -> bool:
        """Same dtype, and every known dimension equal."""
        other = spec_or_value if isinstance(spec_or_value, SparseTensorSpec) else \
            SparseTensorSpec.from_value(spec_or_value) \
            if isinstance(spec_or_value, SparseTensor) else None
        if other is None:
            return False
        from .function import _shapes_compatible
        return other.dtype is self.dtype and _shapes_compatible(self.shape, other.shape)

    def most_specific_common_supertype(self, others):
        """The spec every one of ``self`` and ``others`` conforms to (sizes that differ
        become ``None``), or None when their dtypes differ."""
        shape = self.shape
        for o in others:
            if not isinstance(o, SparseTensorSpec) or o.dtype is not self.dtype:
                return None
            shape = shape.most_specific_compatible_shape(o.shape)
        return SparseTensorSpec(shape, self.dtype)

    def __eq__(self, other):
        return type(other) is SparseTensorSpec and self.dtype is other.dtype and \
            self.shape == other.shape

    def __hash__(self):
        return hash((SparseTensorSpec, self.shape, self.dtype))

    def __repr__(self):
        return f"SparseTensorSpec({self._shape!r}, ts.{self._dtype.name})"


def _row(sp: SparseTensor, i: int) -> SparseTensor:
    """Row ``i`` of a SparseTensor (rank one less), as a dataset's slices and unbatch make
    them."""
    indices = sp.indices.numpy()
    keep = np.flatnonzero(indices[:, 0] == i)
    return SparseTensor(indices[keep, 1:], _shape.gather(sp.values, keep),
                        sp.dense_shape.numpy()[1:])


def _stack(items) -> SparseTensor:
    """SparseTensors of one rank as the rows of one (the dense shape the largest of
    theirs), as a dataset's batch makes them."""
    ranks = {s.ndim for s in items}
    if len(ranks) != 1:
        raise _invalid(f"Cannot batch SparseTensors of different ranks {sorted(ranks)}")
    dtype = {s.dtype for s in items}
    if len(dtype) != 1:
        raise _invalid("Cannot batch SparseTensors of different dtypes")
    shapes = np.array([s.dense_shape.numpy() for s in items], np.int64).reshape(len(items), -1)
    indices = [np.concatenate([np.full((s.indices.shape[0], 1), k, np.int64),
                               s.indices.numpy()], 1) for k, s in enumerate(items)]
    return SparseTensor(np.concatenate(indices).reshape(-1, shapes.shape[1] + 1),
                        _shape.concat([s.values for s in items], 0),
                        [len(items)] + shapes.max(0, initial=0).tolist())


__all__ += ["SparseTensorSpec"]

from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
