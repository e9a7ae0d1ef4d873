"""Linear algebra: matmul (and ``@``), tensordot, einsum and ``ts.linalg``."""

from __future__ import annotations

import numpy as np

from ..dtypes import FLOAT_COMPLEX, NUMERIC
from ..errors import incompatible_shapes, invalid
from ..shapes import matmul_shapes, normalize_axes
from ..tensor import Tensor
from ..devices import NUMPY
from .registry import (RECORDING, _new, as_tensor, defgrad, describe, kernel_error,
                       not_allowed, op, out, placement, record, run, unify)

MATMUL_DTYPES = NUMERIC


def _matmul_kernel(xp):
    return xp.matmul


@op("matmul", "binary", MATMUL_DTYPES, ("", "linalg"), kernel=_matmul_kernel,
    records_itself=True)
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
    flags = dict(transpose_a=transpose_a, transpose_b=transpose_b, adjoint_a=adjoint_a,
                 adjoint_b=adjoint_b)
    if RECORDING:
        return record(matmul.op, _matmul_slow, (a, b), flags)
    return _matmul_slow(a, b, **flags)


def _matmul_slow(a, b, transpose_a=False, transpose_b=False, adjoint_a=False,
                 adjoint_b=False):
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


@op("solve", "custom", FLOAT_COMPLEX, ("linalg",), kernel=lambda xp: xp.linalg.solve)
def solve(matrix, rhs, adjoint=False, name=None):
    """``X`` with ``matrix @ X = rhs`` for square ``matrix`` [..., M, M] and ``rhs``
    [..., M, K] (``adjoint=True`` solves with the conjugate transpose)."""
    a = as_tensor(matrix, "solve", "matrix")
    if a.dtype not in FLOAT_COMPLEX:
        raise not_allowed(solve.op, a, "matrix")
    b = as_tensor(rhs, "solve", "rhs", a.dtype, anchor="matrix")
    _square(a, "solve")
    if b.ndim < 2 or b.shape[:-2] != a.shape[:-2] or b.shape[-2] != a.shape[-1]:
        raise incompatible_shapes("solve", [describe(a, "matrix"), describe(b, "rhs")],
                                  "rhs must be [..., M, K] with the batch dimensions of "
                                  "matrix [..., M, M]")
    m = _lapack_ready(a)
    if adjoint:
        m = m.swapaxes(-1, -2).conj()
    data = run(solve.op, m, _lapack_ready(b), inputs=(a, b), labels=("matrix", "rhs"))
    return out(data.astype(a.dtype._np, copy=False), a.dtype)


@op("cholesky", "custom", FLOAT_COMPLEX, ("linalg",), kernel=lambda xp: xp.linalg.cholesky)
def cholesky(input, name=None):  # noqa: A002
    """The lower-triangular ``L`` with ``L @ adjoint(L) = input``, for Hermitian
    positive-definite matrices [..., M, M]."""
    t = as_tensor(input, "cholesky", "input")
    if t.dtype not in FLOAT_COMPLEX:
        raise not_allowed(cholesky.op, t, "input")
    _square(t, "cholesky")
    try:
        data = cholesky.op.bind(t._device.backend)(_lapack_ready(t))
    except Exception as e:  # noqa: BLE001 - LinAlgError: not positive definite
        if type(e).__name__ != "LinAlgError":
            raise
        raise invalid("cholesky", "Cholesky decomposition was not successful: the input is "
                      "not positive definite", [describe(t, "input")], kind="value",
                      hint="check the matrix is symmetric with positive eigenvalues "
                           "(add a small multiple of the identity for a covariance)") from None
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
        if t.dtype.is_complex:  # TensorFlow gives this norm of complex input as complex
            return out(xp.asarray(r).astype(t.dtype._np), t.dtype)
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


# ---------------------------------------------------------------------------------------------
# Gradients
# ---------------------------------------------------------------------------------------------

def _matmul_grad(g, ans, a, b, transpose_a=False, transpose_b=False, adjoint_a=False,
                 adjoint_b=False, **_):
    """With A = op_a(a) and B = op_b(b) (each as given, transposed or adjoint), dL/dA =
    g B^H and dL/dB = A^H g — TensorFlow's convention for complex numbers, where H is the
    plain transpose for real ones — each mapped back through its op."""
    from .elementwise import conj
    from .shape import unbroadcast
    op_a = "H" if adjoint_a else "T" if transpose_a else ""
    op_b = "H" if adjoint_b else "T" if transpose_b else ""
    d_a = {"": lambda: matmul(g, b, adjoint_b=True), "T": lambda: matmul(g, conj(b)),
           "H": lambda: matmul(g, b)}[op_b]
    d_b = {"": lambda: matmul(a, g, adjoint_a=True), "T": lambda: matmul(conj(a), g),
           "H": lambda: matmul(a, g)}[op_a]

    def back(d, how):
        return d if not how else matrix_transpose(d, conjugate=how == "H")
    # deferred: a data operand (x in x @ w) never pays for a gradient nobody asked for
    return (lambda: unbroadcast(back(d_a(), op_a), a),
            lambda: unbroadcast(back(d_b(), op_b), b))


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _einsum_parts(equation, n):
    eq = equation.replace(" ", "")
    if "..." in eq:
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, "einsum: gradients of equations with '...' are "
                                 "not supported; name the dimensions", op_name="einsum")
    if "->" in eq:
        lhs, out_sub = eq.split("->")
    else:
        lhs = eq
        counts = {c: lhs.count(c) for c in set(lhs) if c.isalpha()}
        out_sub = "".join(sorted(c for c, k in counts.items() if k == 1))
    subs = lhs.split(",")
    return subs, out_sub


def _einsum_grad(g, ans, equation, *inputs, **kwargs):
    """Each operand's gradient is an einsum of the upstream gradient with the others;
    dimensions summed only within that operand come back by broadcasting. Deferred: only
    the operands a tape tracks pay for theirs."""
    subs, out_sub = _einsum_parts(equation, len(inputs))
    return [None] + [(lambda i=i: _einsum_operand_grad(g, subs, out_sub, inputs, i))
                     for i in range(len(inputs))]


def _einsum_operand_grad(g, subs, out_sub, inputs, i):
    from .shape import broadcast_to, reshape
    sub, x = subs[i], inputs[i]
    others = [(s, t) for j, (s, t) in enumerate(zip(subs, inputs)) if j != i]
    seen = set(out_sub) | {c for s, _ in others for c in s}
    keep = "".join(dict.fromkeys(c for c in sub if c in seen))
    spec = ",".join([out_sub] + [s for s, _ in others]) + "->" + keep
    r = einsum(spec, g, *[t for _, t in others])
    if keep != sub:
        if len(set(sub)) != len(sub):
            from ..errors import UnimplementedError
            raise UnimplementedError(None, None, "einsum: gradients of repeated indices "
                                     "within one operand are not supported",
                                     op_name="einsum")
        shape = [x.shape[sub.index(c)] if c in keep else 1 for c in sub]
        order = [c for c in sub if c in keep]
        if order != list(keep):
            r = einsum(f"{keep}->{''.join(order)}", r)
        r = broadcast_to(reshape(r, shape), list(x.shape))
    return r


def _tensordot_grad(g, ans, a, b, axes, name=None):
    """tensordot is an einsum with letters for every dimension; reuse einsum's gradient."""
    if hasattr(axes, "numpy"):
        axes = axes.numpy().tolist()
    if isinstance(axes, int):
        ax_a, ax_b = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, int) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, int) else list(ax_b)
    ax_a = [x % a.ndim for x in ax_a]
    ax_b = [x % b.ndim for x in ax_b]
    letters = iter(_LETTERS)
    sa = [next(letters) for _ in range(a.ndim)]
    sb = [next(letters) for _ in range(b.ndim)]
    for i, j in zip(ax_a, ax_b):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in ax_a] + \
        [c for k, c in enumerate(sb) if k not in ax_b]
    eq = f"{''.join(sa)},{''.join(sb)}->{''.join(out)}"
    _, ga, gb = _einsum_grad(g, ans, eq, a, b)
    return ga, gb


def _last_two(t):
    from .shape import expand_dims
    return expand_dims(expand_dims(t, -1), -1)


def _norm_grad(g, ans, tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    from .elementwise import abs as abs_, sign, pow as pow_
    from .reduction import _expand
    nd = tensor.ndim
    axes = None if axis is None else axis
    gb = _expand(g, tensor, axes, bool(keepdims))
    nb = _expand(ans, tensor, axes, bool(keepdims))
    two_axes = axis is not None and not isinstance(axis, int) and len(axis) == 2
    if ord in ("euclidean", "fro") or (ord == 2 and not two_axes and (axis is not None or
                                                                      nd == 1)):
        if tensor.dtype.is_complex:  # a real value typed complex: g's real part counts
            from .elementwise import _real_part
            gb = _real_part(gb)
        return (gb * tensor / nb,)
    if two_axes or (axis is None and nd > 1 and ord not in ("euclidean", "fro")):
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, f"norm: the gradient of the matrix norm "
                                 f"ord={ord!r} is not implemented", op_name="norm")
    p = float(ord)
    from .shape import cast

    def along_sign(scale):  # a real scale times the direction x / |x|
        return (cast(scale, tensor.dtype) if tensor.dtype.is_complex else scale) * sign(tensor)
    if p == np.inf:
        from .elementwise import equal
        hit = cast(equal(abs_(tensor), nb), nb.dtype)
        from .reduction import reduce_sum
        count = reduce_sum(hit, axes, keepdims=True)
        return (along_sign(gb * hit / count),)
    if p == 1:
        return (along_sign(gb),)
    return (along_sign(gb * pow_(abs_(tensor), p - 1) / pow_(nb, p - 1)),)


defgrad(matmul, _matmul_grad)
defgrad(tensordot, _tensordot_grad)
defgrad(einsum, _einsum_grad)
defgrad(inv, lambda g, ans, x, adjoint=False, name=None:
        (-matmul(ans, matmul(g, ans, transpose_b=True), transpose_a=True),))
defgrad(det, lambda g, ans, x, name=None:
        (_last_two(g * ans) * matrix_transpose(inv(x)),))
defgrad(norm, _norm_grad)


def _solve_grad(g, ans, matrix, rhs, adjoint=False, name=None):
    grad_b = solve(matrix, g, adjoint=not adjoint)
    if adjoint:
        return (-matmul(ans, grad_b, adjoint_b=True), grad_b)
    return (-matmul(grad_b, ans, adjoint_b=True), grad_b)


def _cholesky_grad(g, ans, input, name=None):  # noqa: A002
    """Murray (2016), as TensorFlow: with ``P(X)`` the lower triangle of ``X`` with its
    diagonal halved, the gradient is the symmetric part of
    ``L^-H P(L^H g) L^-1``."""
    n = ans.shape[-1]
    lower_half_diag = np.tril(np.ones((n, n))) - 0.5 * np.eye(n)
    l_inv = inv(ans)
    middle = matmul(ans, g, adjoint_a=True) * lower_half_diag.astype(ans.dtype.as_numpy_dtype)
    x = matmul(matmul(l_inv, middle, adjoint_a=True), l_inv)
    return (0.5 * (x + matrix_transpose(x, conjugate=True)),)


defgrad(solve, _solve_grad)
defgrad(cholesky, _cholesky_grad)
defgrad(diag, lambda g, ans, d, name=None, k=0: (diag_part(g, k=k),))
defgrad(diag_part, lambda g, ans, x, name=None, k=0: (_diag_embed(g, x, k),))
defgrad(trace, lambda g, ans, x, name=None: (_last_two(g) * _eye_like(x),))
defgrad(matrix_transpose, lambda g, ans, a, name=None, conjugate=False:
        (matrix_transpose(g, conjugate=conjugate),))


def _eye_like(x):
    from .creation import eye
    return eye(x.shape[-2], x.shape[-1], dtype=x.dtype)


def _diag_embed(g, x, k):
    """diag(g) padded to x's (possibly non-square) last two dimensions."""
    from .shape import pad
    m = diag(g, k=k)
    rows, cols = x.shape[-2], x.shape[-1]
    pads = [[0, 0]] * (m.ndim - 2) + [[0, rows - m.shape[-2]], [0, cols - m.shape[-1]]]
    return pad(m, pads) if rows != m.shape[-2] or cols != m.shape[-1] else m
