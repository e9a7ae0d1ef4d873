"""Linear algebra: matmul (and ``@``), tensordot, einsum and ``ts.linalg``."""

from __future__ import annotations

import numpy as np

from ..dtypes import FLOAT_COMPLEX, NUMERIC
from ..errors import incompatible_shapes, invalid
from ..shapes import matmul_shapes, normalize_axes
from ..tensor import Tensor
from ..devices import NUMPY
from .registry import (_new, as_tensor, describe, kernel_error, not_allowed, op, out,
                       placement, run, unify)

MATMUL_DTYPES = NUMERIC


def _matmul_kernel(xp):
    return xp.matmul


@op("matmul", "binary", MATMUL_DTYPES, ("", "linalg"), kernel=_matmul_kernel)
def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, name=None):
    """Matrix product of the last two dimensions, batched over the rest (``a @ b``).

    >>> ts.matmul(ts.ones((2, 3)), ts.ones((3, 4))).shape   # (2, 4)
    """
    if type(a) is Tensor and type(b) is Tensor:
        dev = a._device
        if (dev is placement.device and b._device is dev and a._dtype is b._dtype
                and not (transpose_a or transpose_b or adjoint_a or adjoint_b)
                and a._dtype in MATMUL_DTYPES and a._data.ndim >= 2 and b._data.ndim >= 2):
            kernel = _kernels[dev.backend]
            try:
                data = kernel(a._data, b._data)
            except Exception as e:  # noqa: BLE001
                raise _matmul_error(a, b, e) from None
            t = _new(Tensor)
            t._data = data
            t._dtype = a._dtype
            t._device = dev
            return t
    at, bt = unify("matmul", (a, b), ("a", "b"))
    if at.dtype not in MATMUL_DTYPES:
        raise not_allowed(matmul.op, at, "a", "ts.matmul({x}, b)")
    x, y = at._data, bt._data
    if x.ndim < 2 or y.ndim < 2:
        raise incompatible_shapes("matmul", [describe(at, "a"), describe(bt, "b")],
                                  matmul_shapes(x.shape, y.shape), joiner=" and ",
                                  hint="ts.reshape(v, [-1, 1]) makes a column of a vector")
    if transpose_a or adjoint_a:
        x = np.swapaxes(x, -1, -2) if at._device.backend.xp is np else x.swapaxes(-1, -2)
        if adjoint_a:
            x = x.conj()
    if transpose_b or adjoint_b:
        y = y.swapaxes(-1, -2)
        if adjoint_b:
            y = y.conj()
    why = matmul_shapes(x.shape, y.shape)
    if why:
        raise incompatible_shapes("matmul", [describe(at, "a"), describe(bt, "b")], why,
                                  joiner=" and ")
    return out(run(matmul.op, x, y, inputs=(at, bt), labels=("a", "b")), at.dtype)


_kernels = matmul.op.kernels
matmul.op.bind(NUMPY)


def _matmul_error(a, b, exc):
    why = matmul_shapes(a._data.shape, b._data.shape)
    if why:
        return incompatible_shapes("matmul", [describe(a, "a"), describe(b, "b")], why,
                                   joiner=" and ")
    return kernel_error(matmul.op, exc, (a, b), ("a", "b"))


@op("tensordot", "custom", NUMERIC, ("", "linalg"), kernel=lambda xp: xp.tensordot)
def tensordot(a, b, axes, name=None):
    """Sum products over the given axes: an int N (last N of a, first N of b) or two lists."""
    at, bt = unify("tensordot", (a, b), ("a", "b"))
    if at.dtype not in NUMERIC:
        raise not_allowed(tensordot.op, at, "a", "ts.tensordot({x}, b, axes)")
    if isinstance(axes, Tensor):
        axes = axes.numpy().tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(at.ndim, bt.ndim):
            raise invalid("tensordot", f"axes={n} is out of range for ranks {at.ndim} and "
                          f"{bt.ndim}", kind="shape")
        ax_a, ax_b = list(range(at.ndim - n, at.ndim)), list(range(n))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, int) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, int) else list(ax_b)
    sa, sb = at._data.shape, bt._data.shape
    if len(ax_a) != len(ax_b) or any(sa[i] != sb[j] for i, j in zip(ax_a, ax_b)):
        raise incompatible_shapes("tensordot", [describe(at, "a"), describe(bt, "b")],
                                  f"contracted dimensions {ax_a} of a and {ax_b} of b differ",
                                  joiner=" and ")
    return out(run(tensordot.op, at._data, bt._data, (ax_a, ax_b), inputs=(at, bt),
                   labels=("a", "b")), at.dtype)


@op("einsum", "custom", NUMERIC, ("", "linalg"), kernel=lambda xp: xp.einsum)
def einsum(equation, *inputs, **kwargs):
    """Einstein summation, e.g. ``ts.einsum("ij,jk->ik", a, b)``."""
    if not inputs:
        raise invalid("einsum", "needs at least one input tensor")
    ts_ = unify("einsum", inputs, [f"inputs[{i}]" for i in range(len(inputs))])
    if ts_[0].dtype not in NUMERIC:
        raise not_allowed(einsum.op, ts_[0], "inputs[0]")
    return out(run(einsum.op, equation, *[t._data for t in ts_], inputs=ts_,
                   labels=[f"inputs[{i}]" for i in range(len(ts_))]), ts_[0].dtype)


def _square(t, op_name):
    s = t._data.shape
    if t._data.ndim < 2 or s[-1] != s[-2]:
        raise invalid(op_name, f"Input must be a square matrix (or a batch of them), got "
                      f"shape {list(s)}", [describe(t, "input")], kind="shape")


def _lapack_ready(t):
    """LAPACK has no half precision: float16 is computed in float32 and rounded back."""
    return t._data.astype(np.float32) if t.dtype.size == 2 else t._data


@op("inv", "custom", FLOAT_COMPLEX, ("linalg",), kernel=lambda xp: xp.linalg.inv)
def inv(input, adjoint=False, name=None):  # noqa: A002
    t = as_tensor(input, "inv", "input")
    if t.dtype not in FLOAT_COMPLEX:
        raise not_allowed(inv.op, t, "input")
    _square(t, "inv")
    data = run(inv.op, _lapack_ready(t), inputs=(t,), labels=("input",))
    if adjoint:
        data = data.swapaxes(-1, -2).conj()
    return out(data.astype(t.dtype._np, copy=False), t.dtype)


@op("det", "custom", FLOAT_COMPLEX, ("linalg",), kernel=lambda xp: xp.linalg.det)
def det(input, name=None):  # noqa: A002
    t = as_tensor(input, "det", "input")
    if t.dtype not in FLOAT_COMPLEX:
        raise not_allowed(det.op, t, "input")
    _square(t, "det")
    data = run(det.op, _lapack_ready(t), inputs=(t,), labels=("input",))
    return out(t._device.backend.xp.asarray(data).astype(t.dtype._np), t.dtype)


@op("norm", "custom", FLOAT_COMPLEX, ("", "linalg"),
    kernel=lambda xp: xp.linalg.norm)
def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """The vector or matrix norm: euclidean (default), 'fro', 1, 2, np.inf, or any p > 0."""
    t = as_tensor(tensor, "norm", "tensor")
    if t.dtype not in FLOAT_COMPLEX:
        raise not_allowed(norm.op, t, "tensor")
    xp = t._device.backend.xp
    x = t._data
    if axis is None:
        axes = tuple(range(x.ndim))
    else:
        axes = normalize_axes(axis, x.ndim, "norm")
    if ord in ("euclidean", "fro") or (ord == 2 and len(axes) == 1):
        r = xp.sqrt(xp.sum((x * x.conj()).real if t.dtype.is_complex else x * x,
                                  axis=axes, keepdims=bool(keepdims)))
    elif len(axes) == 1:
        a = xp.absolute(x)
        p = float(ord)
        if p == np.inf:
            r = xp.max(a, axis=axes, keepdims=bool(keepdims))
        elif p <= 0:
            raise invalid("norm", f"ord must be positive, got {ord!r}")
        else:
            r = xp.sum(a ** p, axis=axes, keepdims=bool(keepdims)) ** (1 / p)
    elif len(axes) == 2 and ord in (1, 2, np.inf):
        r = run(norm.op, x, ord, axes, bool(keepdims), inputs=(t,), labels=("tensor",))
    else:
        raise invalid("norm", f"ord={ord!r} is not supported for axis={axis}")
    return out(xp.asarray(r).astype(t.dtype.real_dtype._np), t.dtype.real_dtype)


@op("diag", "custom", exports=("linalg",))
def diag(diagonal, name=None, k=0):
    """A matrix (or batch) with ``diagonal`` on its main (or k-th) diagonal."""
    t = as_tensor(diagonal, "diag", "diagonal")
    if t.ndim == 0:
        raise invalid("diag", "diagonal must have rank >= 1", kind="shape")
    xp = t._device.backend.xp
    x = t._data
    n = x.shape[-1] + abs(int(k))
    res = xp.zeros(x.shape[:-1] + (n, n), dtype=x.dtype) if not t.dtype.is_string else \
        np.full(x.shape[:-1] + (n, n), b"", dtype=object)
    i = xp.arange(x.shape[-1])
    rows, cols = (i, i + k) if k >= 0 else (i - k, i)
    res[..., rows, cols] = x
    return out(res, t.dtype)


@op("diag_part", "custom", exports=("linalg",))
def diag_part(input, name=None, k=0):  # noqa: A002
    t = as_tensor(input, "diag_part", "input")
    if t.ndim < 2:
        raise invalid("diag_part", "input must have rank >= 2", kind="shape")
    xp = t._device.backend.xp
    return out(xp.diagonal(t._data, offset=int(k), axis1=-2, axis2=-1).copy(), t.dtype)


@op("trace", "custom", NUMERIC, ("linalg",))
def trace(x, name=None):
    t = as_tensor(x, "trace", "x")
    if t.dtype not in NUMERIC:
        raise not_allowed(trace.op, t, "x")
    if t.ndim < 2:
        raise invalid("trace", "x must have rank >= 2", kind="shape")
    xp = t._device.backend.xp
    return out(xp.asarray(xp.trace(t._data, axis1=-2, axis2=-1, dtype=t._data.dtype)), t.dtype)


@op("matrix_transpose", "custom", exports=("linalg", "linalg:transpose"))
def matrix_transpose(a, name=None, conjugate=False):
    t = as_tensor(a, "matrix_transpose", "a")
    if t.ndim < 2:
        raise invalid("matrix_transpose", "a must have rank >= 2", kind="shape")
    data = t._data.swapaxes(-1, -2)
    return out(data.conj() if conjugate and t.dtype.is_complex else data, t.dtype)
