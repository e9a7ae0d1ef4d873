"""Variable: a mutable tensor, changed only through ``assign`` and its relatives.

Every change is validated completely before anything is written, so a failing assign,
scatter or slice assign leaves the value exactly as it was. Reads hand out the current array
without a copy and mark it shared; the next in-place write copies first (copy-on-write), so
a tensor read from a Variable never changes afterwards.
"""

from __future__ import annotations

import weakref

import numpy as np

from . import dtypes
from .autodiff import TrackedTensor, register_tracked
from .devices import current, home_for
from .errors import InvalidArgumentError, OpError, fmt_shape
from .ops.indexing import normalize_index
from .ops.registry import RECORDING, TENSOR_METHODS, on_device
from .tensor import (Reference, Tensor, TensorShape, add_numpy_hints, infer, tensor_of,
                     to_dtype)

_new = object.__new__


class IndexedSlices:
    """Rows ``values`` at ``indices`` of a tensor of ``dense_shape``: what ``scatter_*``
    take, and the gradient of ``gather``/``embedding_lookup`` with respect to its params, as
    in TensorFlow (rows for repeated indices add up when it is made dense). Ops convert it
    to a dense tensor (``ts.convert_to_tensor(slices)``); ``-slices`` and ``slices * scalar``
    keep it sparse."""

    def __init__(self, values, indices, dense_shape=None):
        from .tensor import convert_to_tensor
        self.values = convert_to_tensor(values)
        self.indices = convert_to_tensor(indices)
        self.dense_shape = None if dense_shape is None else convert_to_tensor(dense_shape)

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def shape(self):
        if self.dense_shape is not None:
            from .tensor import TensorShape
            return TensorShape(self.dense_shape.numpy().tolist())
        return self.values.shape

    @property
    def device(self):
        return self.values.device

    def _dense(self):
        """The dense tensor: each row of ``values`` added into its index's row."""
        if self.dense_shape is None:
            raise ValueError("IndexedSlices without a dense_shape cannot become a dense "
                             "tensor: give IndexedSlices(values, indices, dense_shape)")
        from .ops.shape import reshape, unsorted_segment_sum
        shape = [int(d) for d in self.dense_shape.numpy()]
        rows = reshape(self.values, [-1] + shape[1:])
        return unsorted_segment_sum(rows, reshape(self.indices, [-1]), shape[0])

    def __tf_tensor__(self, dtype=None, name=None):
        """TensorFlow's conversion protocol: ops, ``convert_to_tensor`` and assignments
        take the dense tensor."""
        return self._dense()

    def _scaled(self, other, operator):
        """``operator(self, other)``: sparse for a scalar ``other``, else dense."""
        if getattr(other, "ndim", 0) == 0 and not isinstance(other, IndexedSlices):
            return IndexedSlices(operator(self.values, other), self.indices, self.dense_shape)
        return operator(self._dense(), other)

    def __neg__(self):
        return IndexedSlices(-self.values, self.indices, self.dense_shape)

    def __mul__(self, other):
        return self._scaled(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self._scaled(other, lambda a, b: a / b)

    def __add__(self, other):
        from .ops.elementwise import add
        return _add_gradients(self, other, add)

    __radd__ = __add__

    def __repr__(self):
        return (f"IndexedSlices(indices={self.indices!r}, values={self.values!r}"
                + (f", dense_shape={self.dense_shape!r})" if self.dense_shape is not None
                   else ")"))


def _add_gradients(a, b, add):
    """``a + b`` for the tape's gradient sums (``add`` the elementwise op, which tensors
    take directly): IndexedSlices joined (their rows listed one after the other, as
    TensorFlow aggregates them); a dense sum where one side is dense."""
    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices) and \
            a.dense_shape is not None and b.dense_shape is not None:
        from .ops.shape import cast, concat
        idx_dtype = a.indices.dtype
        bi = b.indices if b.indices.dtype is idx_dtype else cast(b.indices, idx_dtype)
        return IndexedSlices(concat([a.values, b.values], 0), concat([a.indices, bi], 0),
                             a.dense_shape)
    return add(dense_gradient(a), dense_gradient(b))


def dense_gradient(g):
    """``g``, an IndexedSlices made dense (other values as they are)."""
    return g._dense() if isinstance(g, IndexedSlices) else g


# The open ``ts.name_scope``s, outermost first, each ending in "/": Variables created inside
# are named "outer/inner/name:0", as in TensorFlow.
NAME_SCOPES: list[str] = []


class name_scope:  # noqa: N801 - TensorFlow's name
    """``with ts.name_scope("layer1") as scope:`` prefixes the names of Variables created
    inside (``layer1/w:0``); ``scope`` is the full prefix (``"layer1/"``). Nested scopes
    join; a name ending in "/" starts from the root, as in TensorFlow."""

    def __init__(self, name):
        if not isinstance(name, str):
            raise TypeError(f"name_scope takes a string, got {name!r}")
        self._name = name
        self._saved: list[list[str]] = []

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        self._saved.append(NAME_SCOPES[:])
        if self._name.endswith("/"):
            NAME_SCOPES[:] = [self._name] if self._name != "/" else []
        elif self._name:
            NAME_SCOPES.append(self._name + "/")
        return "".join(NAME_SCOPES)

    def __exit__(self, *exc):
        NAME_SCOPES[:] = self._saved.pop()
        return False


class Variable:
    """A mutable tensor, e.g. the weights of a model.

    >>> v = ts.Variable([[1., 2., 3.], [4., 5., 6.]])
    >>> v.assign(2 * v)
    >>> v[0, 1].assign(42.)
    >>> v.scatter_nd_update(indices=[[0, 0], [1, 2]], updates=[100., 200.])
    """

    _is_variable = True
    _is_ragged = False
    __array_priority__ = 100
    __slots__ = ("_data", "_dtype", "_device", "_name", "_trainable", "_shared",
                 "constraint", "__weakref__", "_aggregation", "_synchronization")

    def __init__(self, initial_value=None, trainable=True, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None, synchronization=None, aggregation=None,
                 shape=None, experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if callable(initial_value) and not isinstance(initial_value, (Tensor, Variable)):
            initial_value = initial_value()
        if dtype is not None:
            d = dtypes.as_dtype(dtype)
            arr = _convert(initial_value, d, None, "Variable")
        else:
            arr, d = infer(initial_value)
        if shape is not None and TensorShape(shape).is_fully_defined() and \
                tuple(TensorShape(shape)) != arr.shape:
            raise ValueError(f"The initial value's shape ({arr.shape}) is not compatible "
                             f"with the explicitly supplied `shape` argument ({shape}).")
        dev = home_for(d, current())
        if isinstance(arr, (np.ndarray, np.generic)):
            self._data = dev.backend.from_numpy(np.array(arr))  # a private, writable array
        else:  # a device tensor's data: copied on (or to) the Variable's device
            src = initial_value.value() if isinstance(initial_value, Variable) else \
                initial_value
            moved = on_device(src, dev)
            self._data = moved._data.copy() if moved is src else moved._data
        self._dtype = d
        self._device = dev
        self._name = "".join(NAME_SCOPES) + ("Variable" if name is None else str(name))
        self._trainable = bool(trainable)
        self._shared = False
        self.constraint = constraint
        self._aggregation = aggregation
        self._synchronization = synchronization

    # -- reading -------------------------------------------------------------------------------
    def value(self) -> Tensor:
        """The current value as an immutable Tensor (later assigns do not change it)."""
        self._shared = True
        t = _new(Tensor)
        t._data = self._data
        t._dtype = self._dtype
        t._device = self._device
        if RECORDING:  # inside a GradientTape: the read links gradients back to this Variable
            from .autodiff import read_variable
            return read_variable(self, t)
        return t

    read_value = value

    def numpy(self):
        return self.value().numpy()

    def __array__(self, dtype=None, copy=None):
        return self.value().__array__(dtype, copy)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._data.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def device(self) -> str:
        return self._device.name

    @property
    def name(self) -> str:
        return f"{self._name}:0"

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def aggregation(self):
        """How replicas' updates would combine (``ts.VariableAggregation``; one replica
        here, so it changes nothing)."""
        from ..framework import VariableAggregation
        value = self._aggregation
        return VariableAggregation(getattr(value, "value", value) or 0)

    @property
    def synchronization(self):
        """When replicas would synchronise (``ts.VariableSynchronization``)."""
        from ..framework import VariableSynchronization
        value = self._synchronization
        return VariableSynchronization(getattr(value, "value", value) or 0)

    def ref(self) -> Reference:
        return Reference(self)

    experimental_ref = ref

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    def __repr__(self):
        text = self.value()._numpy_text(True)
        return (f"<ts.Variable '{self.name}' shape={self.shape} dtype={self._dtype.name}, "
                f"device=/{self._device.short}, numpy={text}>")

    def __str__(self):
        return repr(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from ..display.render import mimebundle
        return mimebundle(self, include, exclude)

    def __rich_console__(self, console, options):
        from ..display.render import TensorView
        yield TensorView(self)

    def __len__(self):
        return len(self.value())

    def __iter__(self):
        return iter(self.value())

    def __bool__(self):
        return bool(self.value())

    def __float__(self):
        return float(self.value())

    def __int__(self):
        return int(self.value())

    def __index__(self):
        return self.value().__index__()

    def __getitem__(self, key):
        """A read of ``self[key]`` that also has ``assign``: ``v[0, 1].assign(42)``."""
        t = self.value()[key]
        if type(t) is Tensor:
            t.__class__ = VariableSlice
        elif type(t) is TrackedTensor:  # read inside a GradientTape: stays differentiable
            t.__class__ = TrackedVariableSlice
        _SLICES[id(t)] = (self, key)
        weakref.finalize(t, _SLICES.pop, id(t), None)
        return t

    def __setitem__(self, key, value):
        raise TypeError("'Variable' object does not support item assignment; use "
                        f"v[{_key_text(key)}].assign(value)")

    def __reduce__(self):
        return _rebuild, (self.numpy(), self._dtype.name, self._name, self._trainable)

    # -- writing -------------------------------------------------------------------------------
    def _target(self, value, what):
        """``value`` as an array of this Variable's dtype on its device, or ValueError."""
        arr = _convert(value, self._dtype, self, what)
        return self._device.backend.from_numpy(arr) if self._device.backend.is_gpu else arr

    def _writable(self):
        if self._shared:
            self._data = self._data.copy()
            self._shared = False
        return self._data

    def _done(self, read_value):
        return self if read_value else None

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Replace the value; it must have this Variable's shape and dtype."""
        arr = self._target(value, "assign")
        if arr.shape != self._data.shape:
            raise ValueError(f"Cannot assign value to variable '{self.name}': Shape mismatch. "
                             f"The variable shape {self.shape}, and the assigned value shape "
                             f"{TensorShape(arr.shape)} are incompatible.")
        # A tensor's array is shared with that tensor: copy it only if we write in place.
        self._data = np.asarray(arr) if isinstance(arr, np.generic) else arr
        self._shared = isinstance(value, (Tensor, Variable))
        return self._done(read_value)

    def _update(self, value, ufunc_name, what, read_value):
        arr = self._target(value, what)
        if arr.shape != self._data.shape:
            raise ValueError(f"{what}: cannot update variable '{self.name}' with shape "
                             f"{fmt_shape(self._data.shape)} using a value with shape "
                             f"{fmt_shape(arr.shape)}; shapes must be equal")
        ufunc = getattr(self._device.backend.xp, ufunc_name)
        if self._shared:
            self._data = ufunc(self._data, arr)
            self._shared = False
            if not hasattr(self._data, "shape") or self._data.ndim == 0:
                self._data = self._device.backend.xp.asarray(self._data)
        else:
            ufunc(self._data, arr, out=self._data)
        return self._done(read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Add ``delta`` (same shape and dtype) in place."""
        self._numeric("assign_add")
        return self._update(delta, "add", "assign_add", read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtract ``delta`` (same shape and dtype) in place."""
        self._numeric("assign_sub")
        return self._update(delta, "subtract", "assign_sub", read_value)

    def _numeric(self, what):
        if self._dtype.is_bool or self._dtype.is_string:
            raise ValueError(f"{what} is not defined for a {self._dtype.name} Variable")

    def _assign_slice(self, key, value):
        idx = normalize_index(key)
        try:
            view = self._data[idx]
        except IndexError as e:
            from .ops.indexing import _index_error
            raise _index_error(self.value(), idx, e) from None
        arr = self._target(value, "assign")
        shape = np.shape(view)
        try:
            ok = np.broadcast_shapes(arr.shape, shape) == shape
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"Cannot assign a value of shape {fmt_shape(arr.shape)} to the "
                             f"slice v[{_key_text(key)}] of shape {fmt_shape(shape)}")
        w = self._writable()
        w[idx] = arr
        return self

    # -- scatter -------------------------------------------------------------------------------
    def _rows(self, sparse_delta, what):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"{what} takes a ts.IndexedSlices(values, indices), got "
                            f"{type(sparse_delta).__name__}")
        idx = sparse_delta.indices
        if not idx.dtype.is_integer:
            raise ValueError(f"{what}: indices must be integers, got {idx.dtype.name}")
        if self._data.ndim == 0:
            raise ValueError(f"{what} needs a Variable of rank >= 1")
        ind = np.asarray(idx).astype(np.int64)
        _check_range(ind, self._data.shape[0], what, "indices")
        vals = self._target(sparse_delta.values, what)
        want = ind.shape + self._data.shape[1:]
        if vals.shape != want:
            raise ValueError(f"{what}: updates have shape {fmt_shape(vals.shape)} but must "
                             f"have shape {fmt_shape(want)} (indices.shape + "
                             f"variable.shape[1:])")
        return ind, vals

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Replace the rows ``sparse_delta.indices`` with ``sparse_delta.values``."""
        ind, vals = self._rows(sparse_delta, "scatter_update")
        self._writable()[self._device_index(ind)] = vals
        return self

    def _device_index(self, index):
        """Host index arrays (validated on the host) as arrays of this Variable's device."""
        backend = self._device.backend
        return backend.from_numpy(index) if backend.is_gpu else index

    def _scatter_ufunc(self, sparse_delta, ufunc_name, what):
        self._numeric(what)
        ind, vals = self._rows(sparse_delta, what)
        self._device.backend.scatter(ufunc_name, self._writable(), ind, vals)
        return self

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """Add ``sparse_delta.values`` to the given rows (repeated rows add up)."""
        return self._scatter_ufunc(sparse_delta, "add", "scatter_add")

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_ufunc(sparse_delta, "subtract", "scatter_sub")

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_ufunc(sparse_delta, "maximum", "scatter_max")

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_ufunc(sparse_delta, "minimum", "scatter_min")

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_ufunc(sparse_delta, "multiply", "scatter_mul")

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        """Divide the given rows by ``sparse_delta.values``, as TensorFlow's: repeated
        indices divide in turn, integers divide truncating toward zero, and a zero among
        the values raises (leaving the Variable as it was)."""
        self._numeric("scatter_div")
        ind, vals = self._rows(sparse_delta, "scatter_div")
        xp = self._device.backend.xp
        if bool(xp.any(vals == 0)):
            raise InvalidArgumentError(None, None, "scatter_div: updates must not contain 0")
        flat = ind.reshape(-1)
        rows = vals.reshape((flat.size,) + vals.shape[ind.ndim:])
        # the k-th occurrence of each index divides in round k, so repeats go in order
        order = np.argsort(flat, kind="stable")
        ranked = flat[order]
        starts = np.r_[0, np.flatnonzero(np.diff(ranked)) + 1] if flat.size else \
            np.zeros(0, np.int64)
        occurrence = np.empty(flat.size, np.int64)
        occurrence[order] = np.arange(flat.size) - np.repeat(
            starts, np.diff(np.r_[starts, flat.size]))
        w = self._writable()
        for k in range(int(occurrence.max()) + 1 if flat.size else 0):
            pick = np.flatnonzero(occurrence == k)
            where, d = self._device_index(flat[pick]), rows[self._device_index(pick)]
            a = w[where]
            if self._dtype.is_integer:             # C's division: toward zero
                q = a // d
                w[where] = xp.where((a % d != 0) & ((a < 0) != (d < 0)), q + 1, q)
            else:
                w[where] = a / d
        return self

    def batch_scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Per batch row, replace the entries at ``sparse_delta.indices`` (indices of the
        last dimension, one row of them per leading index) with the values."""
        from .tensor import convert_to_tensor
        idx = np.asarray(convert_to_tensor(sparse_delta.indices).numpy(), np.int64)
        vals = self._target(sparse_delta.values, "batch_scatter_update")
        lead = self._data.shape[:idx.ndim - 1]
        if idx.shape[:-1] != lead or vals.shape != idx.shape + self._data.shape[idx.ndim:]:
            raise ValueError(f"batch_scatter_update: indices of shape {fmt_shape(idx.shape)} "
                             f"and updates of shape {fmt_shape(vals.shape)} do not fit the "
                             f"variable of shape {fmt_shape(self._data.shape)}")
        _check_range(idx, self._data.shape[idx.ndim - 1], "batch_scatter_update", "indices")
        grid = np.indices(idx.shape)[:-1]
        where = tuple(self._device_index(g) for g in grid) + (self._device_index(idx),)
        self._writable()[where] = vals
        return self

    def sparse_read(self, indices, name=None):
        """The rows at ``indices`` (``gather(variable, indices)``)."""
        from .ops.shape import gather
        return gather(self, indices)

    def gather_nd(self, indices, name=None):
        from .ops.scatter import gather_nd
        return gather_nd(self, indices)

    def set_shape(self, shape) -> None:
        """Check the Variable's shape is compatible with ``shape``, as TensorFlow does."""
        from .tensor import TensorShape
        if not TensorShape(self.shape).is_compatible_with(shape):
            raise ValueError(f"Shapes {TensorShape(self.shape)} and {TensorShape(shape)} "
                             f"are not compatible")

    def _nd(self, indices, updates, what):
        from .tensor import convert_to_tensor
        idx = convert_to_tensor(indices)
        if not idx.dtype.is_integer:
            raise ValueError(f"{what}: indices must be integers, got {idx.dtype.name}")
        ind = np.asarray(idx).astype(np.int64)
        if ind.ndim == 0:
            raise ValueError(f"{what}: indices must have rank >= 1")
        k = ind.shape[-1]
        if k > self._data.ndim:
            raise ValueError(f"{what}: indices have inner dimension {k} but the variable has "
                             f"rank {self._data.ndim}")
        where = nd_index(ind, self._data.shape, what)
        vals = self._target(updates, what)
        want = ind.shape[:-1] + self._data.shape[k:]
        if vals.shape != want:
            raise ValueError(f"{what}: updates have shape {fmt_shape(vals.shape)} but must "
                             f"have shape {fmt_shape(want)} (indices.shape[:-1] + "
                             f"variable.shape[{k}:])")
        return where, vals

    def scatter_nd_update(self, indices, updates, name=None):
        """Write ``updates`` at the index tuples in the last dimension of ``indices``."""
        where, vals = self._nd(indices, updates, "scatter_nd_update")
        self._writable()[tuple(self._device_index(i) for i in where)] = vals
        return self

    def scatter_nd_add(self, indices, updates, name=None):
        self._numeric("scatter_nd_add")
        where, vals = self._nd(indices, updates, "scatter_nd_add")
        self._device.backend.scatter("add", self._writable(), where, vals)
        return self

    def scatter_nd_sub(self, indices, updates, name=None):
        self._numeric("scatter_nd_sub")
        where, vals = self._nd(indices, updates, "scatter_nd_sub")
        self._device.backend.scatter("subtract", self._writable(), where, vals)
        return self

    # -- no in-place operators -----------------------------------------------------------------
    def _no_inplace(self, method):
        raise RuntimeError(f"`variable {method}= value` is not supported: it would rebind the "
                           "name to a new Tensor. Use variable.assign_add(value) / "
                           "assign_sub(value) / assign(...) to modify the variable, or "
                           "`out = variable + value` for a new Tensor.")


def nd_index(ind: np.ndarray, shape, what: str) -> tuple:
    """The index tuples in the last dimension of ``ind`` (host integers, inner dimension at
    most ``len(shape)``) as the tuple of arrays NumPy's indexing takes, each checked to lie
    inside ``shape``."""
    for j in range(ind.shape[-1]):
        _check_range(ind[..., j], shape[j], what, f"indices[..., {j}]")
    return tuple(ind[..., j] for j in range(ind.shape[-1]))


def _check_range(ind, limit, what, label):
    bad = (ind < 0) | (ind >= limit)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0]) if ind.ndim else ()
        raise InvalidArgumentError(
            None, None, f"{what}: {label}[{','.join(map(str, pos))}] = {ind[pos]} is not in "
                        f"[0, {limit})", op_name=what, kind="index")


def _key_text(key) -> str:
    key = key if isinstance(key, tuple) else (key,)
    parts = []
    for k in key:
        if isinstance(k, slice):
            parts.append(":".join("" if v is None else str(v)
                                  for v in (k.start, k.stop) + ((k.step,) if k.step else ())))
        elif k is Ellipsis:
            parts.append("...")
        else:
            parts.append(repr(k))
    return ", ".join(parts)


def _a(word: str) -> str:
    return ("an " if word.startswith("int") else "a ") + word  # an int32, a uint8, a float32


def _convert(value, dtype, var, what) -> np.ndarray:
    """Assign-style conversion: tensors must match the dtype; Python values and arrays must
    convert losslessly. Every refusal is a ValueError that leaves the Variable untouched."""
    if not isinstance(value, (Tensor, Variable, np.ndarray, list, tuple)):
        stands_for = tensor_of(value)              # IndexedSlices, registered types
        value = value if stands_for is None else stands_for
    if isinstance(value, (Tensor, Variable)):
        if value.dtype is not dtype:
            raise ValueError(f"{what}: cannot use {_a(value.dtype.name)} value for "
                             f"{_a(dtype.name)} variable; use ts.cast(value, "
                             f"ts.{dtype.name})")
        t = value.value() if isinstance(value, Variable) else value
        if var is not None and t._device is not var._device:
            t = on_device(t, var._device)
        data = t._data
        return np.asarray(data) if isinstance(data, np.generic) else data
    try:
        return to_dtype(value, dtype, constructor=True)
    except (TypeError, ValueError, OpError) as e:
        raise ValueError(f"{what}: {e}") from None


def _rebuild(value, dtype, name, trainable):
    return Variable(value, dtype=dtype, name=name, trainable=trainable)


# id(slice tensor) -> (Variable, key); an entry goes when its slice is collected. (Tensors
# are unhashable, as in TensorFlow, so this is keyed by id with a finalizer.)
_SLICES: dict[int, tuple] = {}


class VariableSlice(Tensor):
    """``v[key]``: the sliced value (a Tensor) that can also be assigned to. Same layout as
    Tensor (the Variable and key live in a side table), so tapes can track it."""

    __slots__ = ()

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Write ``value`` (broadcast to the slice's shape) into the Variable."""
        variable, key = _SLICES[id(self)]
        variable._assign_slice(key, value)
        return variable if read_value else None


class TrackedVariableSlice(VariableSlice, TrackedTensor):
    __slots__ = ()


register_tracked(VariableSlice, TrackedVariableSlice)


def _delegate(name, fn):
    def method(self, *args):
        return fn(self.value(), *args)
    method.__name__ = name
    return method


for _name, _fn in TENSOR_METHODS.items():
    if _name not in ("__getitem__",):
        setattr(Variable, _name, _delegate(_name, _fn))
for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
            "xor"):
    setattr(Variable, f"__i{_op}__",
            (lambda o: lambda self, other: self._no_inplace(o))(
                {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//",
                 "mod": "%", "pow": "**", "matmul": "@", "and": "&", "or": "|",
                 "xor": "^"}[_op]))
del _name, _fn, _op
add_numpy_hints(Variable)
