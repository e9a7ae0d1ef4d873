"""Reductions: ``kernel(data, axis, keepdims)`` with axis None or a tuple of positive axes.

Results keep the input's dtype as in TensorFlow (``reduce_sum`` of int8 is int8, the integer
mean truncates toward zero) and empty inputs give TensorFlow's identities: sum 0, prod 1,
max the lowest value, min the highest, mean NaN, any False, all True.
"""

from __future__ import annotations

import collections

import numpy as np

from ..dtypes import BOOL, COMPLEX, FLOATING, NUMERIC, REAL, int64
from .. import dtypes
from ..errors import dtype_not_allowed, invalid
from ..shapes import normalize_axis
from .. import parallel
from . import shape as _shape
from .registry import (allowed_words, as_tensor, composite, describe, not_allowed, op,
                       out, reduction, run)


def _count(shape, axis):
    if axis is None:
        n = 1
        for d in shape:
            n *= d
        return n
    n = 1
    for a in axis:
        n *= shape[a]
    return n


def _reducer(xp, ufunc_name, function_name):
    """``f(x, axis, dtype, keepdims)``: NumPy's ufunc.reduce (the fastest form there), the
    array module's named function elsewhere (CuPy)."""
    if xp is np:
        return getattr(np, ufunc_name).reduce
    f = getattr(xp, function_name)

    def reduce(x, axis=None, dtype=None, keepdims=False):
        if dtype is None:  # cupy.any/all take no dtype
            return f(x, axis=axis, keepdims=keepdims)
        return f(x, axis=axis, dtype=dtype, keepdims=keepdims)
    return reduce


def _summer(xp):
    """``f(x, axis, keepdims)``: the sum in ``x``'s dtype. On the CPU, whole-array float sums
    from 64K elements go through ``parallel.blocked_sum`` (BLAS with ones: 1.5-3x NumPy's
    pairwise sum on one core, as accurate), every other sum through ``np.add.reduce``."""
    add = _reducer(xp, "add", "sum")
    if xp is not np:
        return lambda x, axis, keepdims: add(x, axis=axis, dtype=x.dtype, keepdims=keepdims)
    blocked, big = parallel.blocked_sum, parallel.BLOCKED_SUM_MIN

    def kernel(x, axis, keepdims):
        if x.size >= big and x.dtype.itemsize >= 4:
            return blocked(x, axis, keepdims)  # takes add.reduce itself for other layouts
        return add(x, axis=axis, dtype=x.dtype, keepdims=keepdims)
    return kernel



def _prod(xp):
    mul = _reducer(xp, "multiply", "prod")
    return lambda x, axis, keepdims: mul(x, axis=axis, dtype=x.dtype, keepdims=keepdims)


def _reduced_shape(shape, axis, keepdims):
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    return tuple(1 if i in axis else d for i, d in enumerate(shape)
                 if keepdims or i not in axis)


def _extreme(xp, ufunc_name, lowest):
    """max/min with TensorFlow's identities on empty inputs (the lowest / highest value)."""
    def identity(dt):
        if dt.kind == "f":
            return -np.inf if lowest else np.inf
        info = np.iinfo(dt)
        return info.min if lowest else info.max

    if xp is np:
        ufunc = getattr(np, ufunc_name)
        return lambda x, axis, keepdims: ufunc.reduce(x, axis=axis, keepdims=keepdims,
                                                      initial=identity(x.dtype))
    f = xp.max if lowest else xp.min

    def k(x, axis, keepdims):
        if x.size == 0:
            return xp.full(_reduced_shape(x.shape, axis, keepdims), identity(x.dtype),
                           dtype=x.dtype)
        return f(x, axis=axis, keepdims=keepdims)
    return k


def mean_from_sum(xp, s, n, dtype):
    """The mean from a sum of ``n`` elements, in ``dtype``: integer means truncate toward
    zero (C division, as TensorFlow's), an empty float mean is NaN."""
    if dtype.kind in "iu":
        if n == 0:
            return xp.zeros_like(s)
        q = xp.floor_divide(xp.absolute(s), n) if dtype.kind == "i" else s // n
        return (xp.where(s < 0, -q, q) if dtype.kind == "i" else q).astype(dtype)
    return xp.true_divide(s, n, dtype=dtype) if n else s * xp.nan


def mean_kernel(xp):
    total = _summer(xp)

    def k(x, axis, keepdims):
        s = total(x, axis, keepdims)
        return mean_from_sum(xp, s, _count(x.shape, axis), x.dtype)
    return k


def _variance(xp):
    """The mean squared distance from the mean; for complex inputs the squared modulus, so
    the result is real (float32 for complex64), as TensorFlow's."""
    mean = mean_kernel(xp)

    def k(x, axis, keepdims):
        d = x - mean(x, axis, True)
        if d.dtype.kind == "c":
            return mean(d.real * d.real + d.imag * d.imag, axis, keepdims)
        return mean(d * d, axis, keepdims)
    return k


def _std(xp):
    var = _variance(xp)
    return lambda x, axis, keepdims: xp.sqrt(var(x, axis, keepdims))


def _logsumexp(xp):
    maximum = _extreme(xp, "maximum", True)

    def k(x, axis, keepdims):
        m = maximum(x, axis, True)
        m = xp.where(xp.isfinite(m), m, 0).astype(x.dtype)
        s = xp.log(xp.sum(xp.exp(x - m), axis=axis, keepdims=True, dtype=x.dtype))
        r = s + m
        if not keepdims:
            r = r.reshape(_reduced_shape(x.shape, axis, False))
        return r
    return k


def _logical(xp, ufunc_name, function_name):
    f = _reducer(xp, ufunc_name, function_name)
    return lambda x, axis, keepdims: f(x, axis=axis, keepdims=keepdims)


# -- gradients: the upstream gradient broadcast back over the reduced axes ----------------------

def _axes(axis, nd):
    from ..shapes import normalize_axes
    if axis is None:
        return tuple(range(nd))
    if hasattr(axis, "numpy"):
        axis = axis.numpy().tolist()
    return normalize_axes(axis, nd)


def _expand(g, x, axis, keepdims):
    """``g`` reshaped so it broadcasts against ``x`` (the reduced axes back as size 1)."""
    reshape = _shape.reshape
    if keepdims:
        return g
    axes = _axes(axis, x.ndim)
    return reshape(g, [1 if i in axes else d for i, d in enumerate(x.shape)])


def _spread(g, x, axis, keepdims):
    return _shape.broadcast_to(_expand(g, x, axis, keepdims), list(x.shape))


def _n(x, axis):
    n = 1
    for a in _axes(axis, x.ndim):
        n *= x.shape[a]
    return n


def _extreme_grad(g, ans, x, axis=None, keepdims=False):
    """Ties share the gradient equally, as in TensorFlow."""
    from .elementwise import equal
    from .shape import cast
    hit = cast(equal(x, _expand(ans, x, axis, keepdims)), x.dtype)
    count = reduce_sum(hit, axis, keepdims=True)
    return (_spread(g, x, axis, keepdims) * hit / count,)


def _prod_grad(g, ans, x, axis=None, keepdims=False):
    """The product of the other elements, right also where x holds zeros."""
    from .creation import ones_like, zeros_like
    from .shape import cast, where
    zero = x == 0
    nonzero = where(zero, ones_like(x), x)
    prod_nz = reduce_prod(nonzero, axis, keepdims=True)
    zeros = reduce_sum(cast(zero, x.dtype), axis, keepdims=True)
    others = where(zero, where(zeros == 1, prod_nz * ones_like(x), zeros_like(x)),
                   where(zeros == 0, prod_nz / nonzero, zeros_like(x)))
    return (_spread(g, x, axis, keepdims) * others,)


def _as_input(g, x):
    """A real gradient (of a real result) in a complex input's dtype."""
    return _shape.cast(g, x.dtype) if x.dtype.is_complex else g


def _variance_grad(g, ans, x, axis=None, keepdims=False):
    mean = reduce_mean(x, axis, keepdims=True)
    return (_as_input(_spread(g, x, axis, keepdims), x) * 2 * (x - mean) / _n(x, axis),)


def _std_grad(g, ans, x, axis=None, keepdims=False):
    mean = reduce_mean(x, axis, keepdims=True)
    scale = _spread(g, x, axis, keepdims) / (_n(x, axis) * _expand(ans, x, axis, keepdims))
    return (_as_input(scale, x) * (x - mean),)


def _logsumexp_grad(g, ans, x, axis=None, keepdims=False):
    from .elementwise import exp
    return (_spread(g, x, axis, keepdims) * exp(x - _expand(ans, x, axis, keepdims)),)


# parallel=(None, None): partial results of chunks reduce again with the same kernel
ASSOCIATIVE = (None, None)

reduce_sum = reduction("reduce_sum", NUMERIC, _summer, parallel=(parallel.blocked_sum, None),
                       grad=lambda g, ans, x, axis=None, keepdims=False:
                       (_spread(g, x, axis, keepdims),))
reduce_prod = reduction("reduce_prod", NUMERIC, _prod, grad=_prod_grad, parallel=ASSOCIATIVE)
reduce_max = reduction("reduce_max", REAL, lambda xp: _extreme(xp, "maximum", True),
                       grad=_extreme_grad, parallel=ASSOCIATIVE)
reduce_min = reduction("reduce_min", REAL, lambda xp: _extreme(xp, "minimum", False),
                       grad=_extreme_grad, parallel=ASSOCIATIVE)


def _mean_finish(data, axis):
    n = _count(data.shape, axis)
    return lambda total: mean_from_sum(np, total, n, data.dtype)


reduce_mean = reduction("reduce_mean", NUMERIC, mean_kernel,
                        parallel=(parallel.blocked_sum, _mean_finish),  # sums, then / n
                        grad=lambda g, ans, x, axis=None, keepdims=False:
                        (_spread(g, x, axis, keepdims) / _n(x, axis),))
reduce_any = reduction("reduce_any", BOOL, lambda xp: _logical(xp, "logical_or", "any"),
                       differentiable=False, parallel=ASSOCIATIVE)
reduce_all = reduction("reduce_all", BOOL, lambda xp: _logical(xp, "logical_and", "all"),
                       differentiable=False, parallel=ASSOCIATIVE)
reduce_variance = reduction("reduce_variance", FLOATING | COMPLEX, _variance,
                            exports=("math",), result=lambda d: d.real_dtype,
                            grad=_variance_grad)
reduce_std = reduction("reduce_std", FLOATING | COMPLEX, _std, exports=("math",),
                       result=lambda d: d.real_dtype, grad=_std_grad)
reduce_logsumexp = reduction("reduce_logsumexp", FLOATING, _logsumexp, exports=("", "math"),
                             grad=_logsumexp_grad)


def _arg(name, xp_name):
    def kernel(xp):
        f = getattr(xp, xp_name)
        return lambda x, axis: f(x, axis=axis)

    @op(name, "reduction", REAL | BOOL, ("", "math"), kernel=kernel, differentiable=False)
    def fn(input, axis=None, output_type=int64, name=None):  # noqa: A002 - TF's names
        x = as_tensor(input, fn.op.name, "input")
        if x.dtype not in fn.op.dtypes:
            raise not_allowed(fn.op, x, "input")
        out_dt = dtypes.as_dtype(output_type)
        if out_dt not in (dtypes.int32, int64):
            raise invalid(fn.op.name, f"output_type must be int32 or int64, got {out_dt.name}")
        if x.ndim == 0:
            raise invalid(fn.op.name, "cannot take the arg of a scalar; it has no axis",
                          kind="shape")
        ax = normalize_axis(0 if axis is None else int(axis), x.ndim, fn.op.name)
        if x.shape[ax] == 0:
            raise invalid(fn.op.name, f"Reduction axis {ax} is empty in shape "
                                      f"{list(x.shape)}", kind="shape")
        return out(run(fn.op, x._data, ax, inputs=(x,), labels=("input",))
                   .astype(out_dt._np), out_dt)
    return fn


argmax = _arg("argmax", "argmax")
argmin = _arg("argmin", "argmin")


# ---------------------------------------------------------------------------------------------
# Scans and sorting
# ---------------------------------------------------------------------------------------------

def _scan_kernel(name, fill):
    """Running sums or products: ``exclusive`` shifts by one (``fill`` first), ``reverse``
    scans from the end."""
    def kernel(xp):
        scan = getattr(xp, name)

        def k(x, axis, exclusive, reverse):
            if reverse:
                x = xp.flip(x, axis)
            r = scan(x, axis=axis, dtype=x.dtype)
            if exclusive:
                first = xp.full_like(xp.take(r, [0], axis=axis), fill)
                r = xp.concatenate([first, xp.take(r, xp.arange(r.shape[axis] - 1),
                                                    axis=axis)], axis)
            return xp.flip(r, axis) if reverse else r
        return k
    return kernel


def _scan(fn, x, axis, exclusive, reverse):
    name = fn.op.name
    t = as_tensor(x, name, "x")
    if t.dtype not in NUMERIC:
        raise not_allowed(fn.op, t, "x")
    if t.ndim == 0:
        raise invalid(name, "x must have rank >= 1", kind="shape")
    ax = normalize_axis(int(axis), t.ndim, name)
    return out(run(fn.op, t._data, ax, bool(exclusive), bool(reverse), inputs=(t,)), t.dtype)


@op("cumsum", "custom", NUMERIC, ("", "math"), kernel=_scan_kernel("cumsum", 0),
    grad=lambda g, ans, x, axis=0, exclusive=False, reverse=False, name=None:
    (cumsum(g, axis, exclusive, not reverse),))
def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along ``axis``; ``exclusive`` leaves each element out of its own sum,
    ``reverse`` sums from the end."""
    return _scan(cumsum, x, axis, exclusive, reverse)


def _cumprod_grad(g, ans, x, axis=0, exclusive=False, reverse=False, name=None):
    """TensorFlow's: ``cumsum(cumprod(x) * g, reversed) / x`` (undefined where x is 0, as
    there)."""
    return (cumsum(ans * g, axis, exclusive, not reverse) / x,)


@op("cumprod", "custom", NUMERIC, ("math",), kernel=_scan_kernel("cumprod", 1),
    grad=_cumprod_grad)
def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along ``axis``; ``exclusive`` leaves each element out of its own
    product, ``reverse`` multiplies from the end."""
    return _scan(cumprod, x, axis, exclusive, reverse)


def _order(xp, x, axis, descending):
    """Stable sorting indices (ties keep their order in both directions, as TensorFlow's):
    descending floats sort their negation, descending integers their bitwise complement
    (``~x`` reverses the order without the overflow negation has at the type's minimum)."""
    if descending:
        x = -x if x.dtype.kind == "f" else xp.invert(x)
    return xp.argsort(x, axis=axis, kind="stable")


def _direction(direction, op_name):
    d = str(direction).upper()
    if d not in ("ASCENDING", "DESCENDING"):
        raise invalid(op_name, f"direction must be 'ASCENDING' or 'DESCENDING', got "
                      f"{direction!r}")
    return d == "DESCENDING"


def _sorting(fn, values, axis, direction):
    """(tensor, axis, backend array module, stable sorting indices) for sort and argsort."""
    name = fn.op.name
    t = as_tensor(values, name, "values")
    if t.dtype not in REAL:
        raise not_allowed(fn.op, t, "values")
    ax = normalize_axis(int(axis), max(t.ndim, 1), name)
    xp = t._device.backend.xp
    return t, ax, xp, _order(xp, t._data, ax, _direction(direction, name))


@op("argsort", "custom", REAL, ("",), differentiable=False)
def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The indices that sort ``values`` along ``axis`` (int32, stable)."""
    _, _, _, idx = _sorting(argsort, values, axis, direction)
    return out(idx.astype(np.int32), dtypes.int32)


def _sort_grad(g, ans, values, axis=-1, direction="ASCENDING", name=None):
    """Each sorted position sends its gradient back to where its value came from."""
    from .shape import gather, transpose
    nd = values.ndim
    ax = int(axis) % nd
    perm = list(range(nd))
    perm[ax], perm[-1] = perm[-1], perm[ax]
    inverse = argsort(argsort(values, axis=ax, direction=direction), axis=ax)
    moved = gather(transpose(g, perm), transpose(inverse, perm), batch_dims=nd - 1,
                   axis=nd - 1)
    return (transpose(moved, perm),)


@op("sort", "custom", REAL, ("",), grad=_sort_grad)
def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``values`` sorted along ``axis``."""
    t, ax, xp, idx = _sorting(sort, values, axis, direction)
    return out(xp.take_along_axis(t._data, idx, axis=ax), t.dtype)


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """The ``k`` largest entries along the last axis and their indices, largest first;
    equal entries keep their order (the lower index first), as in TensorFlow. A composite
    of argsort and gather, so the values differentiate back to where they came from.

    >>> ts.math.top_k([1, 3, 3, 2], k=2)   # TopKV2(values=[3, 3], indices=[1, 2])
    """
    from .shape import gather
    t = as_tensor(input, "top_k", "input")
    if t.dtype not in REAL:
        raise dtype_not_allowed("ts.math.top_k", describe(t, "input"), allowed_words(REAL),
                                "int32" if t.dtype.is_bool else None,
                                "ts.math.top_k({x}, k)")
    if t.ndim == 0:
        raise invalid("top_k", "input must have rank >= 1", kind="shape")
    k = int(k)
    if not 0 <= k <= t.shape[-1]:
        raise invalid("top_k", f"input must have at least k={k} columns, got "
                      f"{t.shape[-1]}", kind="shape")
    order = argsort(t, axis=-1, direction="DESCENDING")[..., :k]
    values = gather(t, order, axis=t.ndim - 1, batch_dims=t.ndim - 1)
    d = dtypes.as_dtype(index_type)
    return TopKV2(values, order if d is dtypes.int32 else _shape.cast(order, d))


def _unique(op_name, x, out_idx):
    """The distinct entries of the vector ``x`` by first appearance, each entry's position
    among them, and how often each occurs."""
    t = as_tensor(x, op_name, "x")
    if t.ndim != 1:
        raise invalid(op_name, f"x must be a vector, got shape {list(t.shape)}", kind="shape")
    backend = t._device.backend
    host = np.asarray(backend.to_numpy(t._data))
    values, first, inverse, counts = np.unique(host, return_index=True, return_inverse=True,
                                               return_counts=True)
    order = np.argsort(first, kind="stable")      # by first appearance, as TensorFlow
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    d = dtypes.as_dtype(out_idx)
    y = values[order] if host.dtype != object else np.array(list(values[order]), dtype=object)
    return (out(backend.from_numpy(y) if backend.is_gpu else y, t.dtype),
            out(rank[inverse.reshape(-1)].astype(d._np), d),
            out(counts[order].astype(d._np), d))


@op("unique", differentiable=False)
def unique(x, out_idx=dtypes.int32, name=None):
    """The distinct entries of a 1-D tensor in the order they first appear, and for every
    entry the position of its value in that list.

    >>> ts.unique([4, 1, 4, 2, 1])   # Unique(y=[4, 1, 2], idx=[0, 1, 0, 2, 1])
    """
    return Unique(*_unique("unique", x, out_idx)[:2])


@op("unique_with_counts", differentiable=False)
def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """unique, plus how many times each distinct entry occurs.

    >>> ts.unique_with_counts([4, 1, 4])   # y=[4, 1], idx=[0, 1, 0], count=[2, 1]
    """
    return UniqueWithCounts(*_unique("unique_with_counts", x, out_idx))


composite(top_k, ("math", "nn"))
