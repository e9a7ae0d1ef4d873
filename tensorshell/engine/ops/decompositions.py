"""Matrix decompositions and the solvers built on them (``ts.linalg``): ``eigh``,
``eigvalsh``, ``svd``, ``qr``, ``slogdet``, ``triangular_solve``, and the composites
``cholesky_solve``, ``lstsq``, ``pinv``, ``matrix_rank``, ``cross``, ``set_diag``,
``expm``.

Kernels are the backend's ``linalg`` (LAPACK through NumPy, cuSOLVER through CuPy), batched
over leading dimensions; float16 is computed in float32. Gradients are TensorFlow's
(``linalg_grad.py``), written with tensorshell's ops so they differentiate again; like
TensorFlow's, those of eigenvectors and singular vectors are infinite where eigenvalues or
singular values repeat.
"""

from __future__ import annotations

import collections
import math

import numpy as np

from ..dtypes import FLOAT_COMPLEX
from ..errors import incompatible_shapes, invalid
from .composites import _float
from .linalg import _lapack_ready, _square, diag, diag_part, inv, matmul, matrix_transpose
from .registry import as_tensor, composite, defgrad, describe, not_allowed, op, out

Qr = collections.namedtuple("Qr", ["q", "r"])
Lu = collections.namedtuple("Lu", ["lu", "p"])


def _matrix_input(op_def, value, label="input"):
    t = as_tensor(value, op_def.name, label)
    if t.dtype not in FLOAT_COMPLEX:
        raise not_allowed(op_def, t, label)
    if t.ndim < 2:
        raise invalid(op_def.name, f"{label} must be a matrix (or a batch of them), got shape "
                      f"{t.shape}", [describe(t, label)], kind="shape")
    return t


def _wrap(data, t):
    """A result in the input's dtype (float16 inputs were computed in float32)."""
    return out(data.astype(t.dtype._np, copy=False), t.dtype)


def _real_wrap(data, t):
    real = t.dtype.real_dtype
    return out(data.astype(real._np, copy=False), real)


def _adjoint(x):
    return matrix_transpose(x, conjugate=True)


def _safe_reciprocal(x, epsilon=1e-20):
    """``1 / x`` broadened near 0 (TensorFlow's guard for repeated eigenvalues)."""
    return x * (1 / (x * x + epsilon))


def _off_diagonal_inverse_gaps(values):
    """``f[i, j] = 1 / (values[j] - values[i])`` off the diagonal, 0 on it."""
    from .shape import expand_dims
    f = _safe_reciprocal(expand_dims(values, -2) - expand_dims(values, -1))
    return set_diag(f, values * 0)


def _as(x, like):
    """``x`` (real) in ``like``'s dtype, for formulas that mix them in complex cases."""
    from .shape import cast
    return cast(x, like.dtype) if x.dtype is not like.dtype else x


def _zeros_like(t):
    from .creation import zeros_like
    return zeros_like(t)


# ---------------------------------------------------------------------------------------------
# Eigen-decomposition of Hermitian matrices
# ---------------------------------------------------------------------------------------------

@op("eigh", "custom", FLOAT_COMPLEX, ("linalg",), kernel=lambda xp: xp.linalg.eigh)
def eigh(tensor, name=None):
    """``(e, v)``: the eigenvalues (ascending) and eigenvectors (columns) of Hermitian
    matrices [..., N, N]. Only the lower triangle is read; the eigenvalues have the input's
    dtype (complex with zero imaginary parts for complex input), as TensorFlow's."""
    t = _matrix_input(eigh.op, tensor, "tensor")
    _square(t, "eigh")
    e, v = eigh.op.bind(t._device.backend)(_lapack_ready(t), "L")
    return _wrap(e, t), _wrap(v, t)


@op("eigvalsh", "custom", FLOAT_COMPLEX, ("linalg",),
    kernel=lambda xp: xp.linalg.eigvalsh)
def eigvalsh(tensor, name=None):
    """The eigenvalues (ascending, in the input's dtype) of Hermitian matrices [..., N, N]."""
    t = _matrix_input(eigvalsh.op, tensor, "tensor")
    _square(t, "eigvalsh")
    return _wrap(eigvalsh.op.bind(t._device.backend)(_lapack_ready(t), "L"), t)


def _lower_hermitian(grad_a):
    """The forward ops read only the lower triangle: symmetrise, keep it, halve the
    diagonal (TensorFlow's gradient convention)."""
    from .composites import band_part
    grad_a = band_part(grad_a + _adjoint(grad_a), -1, 0)
    return set_diag(grad_a, 0.5 * diag_part(grad_a))


def _eigh_grad(grads, ans, tensor, name=None):
    grad_e, grad_v = grads
    e, v = ans
    inner = diag(_as(grad_e, v)) if grad_e is not None else _zeros_like(matmul(v, v))
    if grad_v is not None:
        f = _as(_off_diagonal_inverse_gaps(e), v)
        inner = inner + f * matmul(v, grad_v, adjoint_a=True)
    return (_lower_hermitian(matmul(v, matmul(inner, v, adjoint_b=True))),)


def _eigvalsh_grad(g, ans, tensor, name=None):
    _, v = eigh(tensor)
    return (_lower_hermitian(matmul(v, matmul(diag(_as(g, v)), v, adjoint_b=True))),)


defgrad(eigh, _eigh_grad)
defgrad(eigvalsh, _eigvalsh_grad)


# ---------------------------------------------------------------------------------------------
# Singular value decomposition
# ---------------------------------------------------------------------------------------------

@op("svd", "custom", FLOAT_COMPLEX, ("linalg",), kernel=lambda xp: xp.linalg.svd)
def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """``(s, u, v)`` with ``tensor = u @ diag(s) @ adjoint(v)``, singular values descending
    (note: ``v``, not its adjoint, as TensorFlow); just ``s`` when not ``compute_uv``."""
    t = _matrix_input(svd.op, tensor, "tensor")
    kernel = svd.op.bind(t._device.backend)
    if not compute_uv:
        return _real_wrap(kernel(_lapack_ready(t), compute_uv=False), t)
    u, s, vh = kernel(_lapack_ready(t), full_matrices=bool(full_matrices))
    xp = t._device.backend.xp
    v = xp.conj(xp.swapaxes(vh, -1, -2))
    return _real_wrap(s, t), _wrap(u, t), _wrap(xp.ascontiguousarray(v), t)


def _svd_grad(grads, ans, tensor, full_matrices=False, compute_uv=True, name=None):
    if not compute_uv:
        _, u, v = svd(tensor, compute_uv=True)
        return (matmul(u, matmul(diag(_as(grads, u)), v, adjoint_b=True)),)
    grad_s, grad_u, grad_v = grads
    s, u, v = ans
    a = as_tensor(tensor, "svd", "tensor")
    m, n = a.shape[-2], a.shape[-1]
    grad_s = _as(grad_s, u) if grad_s is not None else _as(s * 0, u)
    grad_u = grad_u if grad_u is not None else _zeros_like(u)
    grad_v = grad_v if grad_v is not None else _zeros_like(v)
    use_adjoint = m > n
    if use_adjoint:  # the gradient of A^H = V S U^H, transposed back at the end
        m, n = n, m
        u, v = v, u
        grad_u, grad_v = grad_v, grad_u
    if full_matrices and abs(m - n) > 1:
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, "svd: the gradient with full_matrices=True is "
                                 "defined only when the dimensions differ by at most 1, as in "
                                 "TensorFlow", op_name="svd")
    s_c = _as(s, u)
    s_mat = diag(s_c)
    f = _as(_off_diagonal_inverse_gaps(s * s), u)
    s_inv_mat = diag(_as(_safe_reciprocal(s), u))
    v1, grad_v1 = v[..., :, :m], grad_v[..., :, :m]
    u_gu = matmul(u, grad_u, adjoint_a=True)
    v_gv = matmul(v1, grad_v1, adjoint_a=True)
    f_u, f_v = f * u_gu, f * v_gv
    term1_nouv = diag(grad_s) + matmul(f_u + _adjoint(f_u), s_mat) + \
        matmul(s_mat, f_v + _adjoint(f_v))
    grad_a = matmul(u, matmul(term1_nouv, v1, adjoint_b=True))
    if m != n:
        gv1t = _adjoint(grad_v1)
        term2_nous = gv1t - matmul(matmul(gv1t, v1), v1, adjoint_b=True)
        if full_matrices:
            v2, grad_v2 = v[..., :, m:n], grad_v[..., :, m:n]
            term2_nous = term2_nous - matmul(matmul(v1, grad_v2, adjoint_a=True), v2,
                                             adjoint_b=True)
        grad_a = grad_a + matmul(matmul(u, s_inv_mat), term2_nous)
    if a.dtype.is_complex:  # the phase freedom of each singular pair
        l_mat = diag(diag_part(v_gv))
        grad_a = grad_a + 0.5 * matmul(u, matmul(matmul(s_inv_mat, _adjoint(l_mat) - l_mat),
                                                 v1, adjoint_b=True))
    if use_adjoint:
        grad_a = _adjoint(grad_a)
    return (grad_a,)


defgrad(svd, _svd_grad)


# ---------------------------------------------------------------------------------------------
# QR
# ---------------------------------------------------------------------------------------------

@op("qr", "custom", FLOAT_COMPLEX, ("linalg",), kernel=lambda xp: xp.linalg.qr)
def qr(input, full_matrices=False, name=None):  # noqa: A002
    """``Qr(q, r)``: ``input = q @ r`` with orthonormal columns in ``q`` and ``r`` upper
    triangular (``full_matrices``: ``q`` square)."""
    t = _matrix_input(qr.op, input)
    kernel = qr.op.bind(t._device.backend)
    q, r = kernel(_lapack_ready(t), mode="complete" if full_matrices else "reduced")
    return Qr(_wrap(q, t), _wrap(r, t))


def _triangular_right_solve(x, r):
    """``x @ inv(r)^H`` for upper-triangular ``r``."""
    return _adjoint(triangular_solve(r, _adjoint(x), lower=False, adjoint=False))


def _qr_grad_square_and_deep(q, r, dq, dr):
    from .composites import band_part
    qdq = matmul(q, dq, adjoint_a=True)
    qdq_ = qdq - _adjoint(qdq)
    rdr = matmul(r, dr, adjoint_b=True)
    rdr_ = rdr - _adjoint(rdr)
    tril = band_part(qdq_ + rdr_, -1, 0)
    result = matmul(q, dr + _triangular_right_solve(tril, r)) + \
        _triangular_right_solve(dq - matmul(q, qdq), r)
    if q.dtype.is_complex:
        from .elementwise import real
        m = rdr - _adjoint(qdq)
        eye_m = set_diag(_zeros_like(m), diag_part(m))
        correction = eye_m - _as(real(eye_m), q)
        result = result + _triangular_right_solve(matmul(q, _adjoint(correction)), r)
    return result


def _qr_grad(grads, ans, input, full_matrices=False, name=None):  # noqa: A002
    from .shape import concat
    q, r = ans
    dq = grads[0] if grads[0] is not None else _zeros_like(q)
    dr = grads[1] if grads[1] is not None else _zeros_like(r)
    rows, cols = q.shape[-2], r.shape[-1]
    if r.shape[-2] > cols and q.shape[-2] == q.shape[-1]:
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, "qr: no gradient with full_matrices=True for a "
                                 "matrix with more rows than columns, as in TensorFlow",
                                 op_name="qr")
    if rows >= cols:
        return (_qr_grad_square_and_deep(q, r, dq, dr),)
    a = as_tensor(input, "qr", "input")
    y = a[..., :, rows:]
    u, dv, du = r[..., :, :rows], dr[..., :, rows:], dr[..., :, :rows]
    dy = matmul(q, dv)
    dx = _qr_grad_square_and_deep(q, u, dq + matmul(y, dv, adjoint_b=True), du)
    return (concat([dx, dy], -1),)


defgrad(qr, _qr_grad)


# ---------------------------------------------------------------------------------------------
# Determinants and triangular systems
# ---------------------------------------------------------------------------------------------

@op("slogdet", "custom", FLOAT_COMPLEX, ("linalg",), kernel=lambda xp: xp.linalg.slogdet)
def slogdet(input, name=None):  # noqa: A002
    """``(sign, log_abs_determinant)`` of square matrices, without overflow (both in the
    input's dtype, as TensorFlow's)."""
    t = _matrix_input(slogdet.op, input)
    _square(t, "slogdet")
    sign, logabs = slogdet.op.bind(t._device.backend)(_lapack_ready(t))
    return _wrap(sign, t), _wrap(logabs, t)


def _slogdet_grad(grads, ans, input, name=None):  # noqa: A002
    from .shape import expand_dims
    g = grads[1]
    if g is None:
        return (None,)
    a = as_tensor(input, "slogdet", "input")
    weights = expand_dims(expand_dims(_as(g, a), -1), -1)
    return (weights * inv(a, adjoint=True),)


defgrad(slogdet, _slogdet_grad)


@op("triangular_solve", "custom", FLOAT_COMPLEX, ("linalg",),
    kernel=lambda xp: xp.linalg.solve)
def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """``X`` with ``matrix @ X = rhs`` (or ``adjoint(matrix) @ X``), reading only the lower
    (or upper) triangle of ``matrix``."""
    a = _matrix_input(triangular_solve.op, matrix, "matrix")
    b = as_tensor(rhs, "triangular_solve", "rhs", a.dtype, anchor="matrix")
    _square(a, "triangular_solve")
    if b.ndim < 2 or b.shape[-2] != a.shape[-1]:
        raise incompatible_shapes("triangular_solve", [describe(a, "matrix"),
                                                       describe(b, "rhs")],
                                  "rhs must be [..., M, K] for matrix [..., M, M]")
    xp = a._device.backend.xp
    m = _lapack_ready(a)
    m = xp.tril(m) if lower else xp.triu(m)
    if adjoint:
        m = xp.conj(xp.swapaxes(m, -1, -2))
    rhs_data = _lapack_ready(b)
    batch = np.broadcast_shapes(m.shape[:-2], rhs_data.shape[:-2])
    m = xp.broadcast_to(m, batch + m.shape[-2:])
    rhs_data = xp.broadcast_to(rhs_data, batch + rhs_data.shape[-2:])
    data = triangular_solve.op.bind(a._device.backend)(m, rhs_data)
    return _wrap(data, a)


def _triangular_solve_grad(g, ans, matrix, rhs, lower=True, adjoint=False, name=None):
    from .composites import band_part
    from .shape import unbroadcast
    a = as_tensor(matrix, "triangular_solve", "matrix")
    b = as_tensor(rhs, "triangular_solve", "rhs", a.dtype)
    grad_b = triangular_solve(a, g, lower=lower, adjoint=not adjoint)
    grad_a = -matmul(ans, grad_b, adjoint_b=True) if adjoint else \
        -matmul(grad_b, ans, adjoint_b=True)
    grad_a = band_part(grad_a, -1, 0) if lower else band_part(grad_a, 0, -1)
    return unbroadcast(grad_a, a), unbroadcast(grad_b, b)


defgrad(triangular_solve, _triangular_solve_grad)


def _lu_kernel(a: np.ndarray):
    """Doolittle LU with partial pivoting, batched: ``(lu, perm)`` with ``a[perm] = L @ U``,
    L unit lower (below the diagonal of ``lu``), U upper. A zero pivot is left in place
    (inf/nan follow in later rows, as in TensorFlow)."""
    shape = a.shape
    n = shape[-1]
    lu = a.reshape((-1, n, n)).copy()
    batch = np.arange(lu.shape[0])
    perm = np.tile(np.arange(n), (lu.shape[0], 1))
    with np.errstate(all="ignore"):
        for k in range(n):
            piv = k + np.argmax(np.abs(lu[:, k:, k]), axis=1)
            rows, prow = lu[batch, k].copy(), perm[batch, k].copy()
            lu[batch, k], perm[batch, k] = lu[batch, piv], perm[batch, piv]
            lu[batch, piv], perm[batch, piv] = rows, prow
            lu[:, k + 1:, k] /= lu[:, k, k][:, None]
            lu[:, k + 1:, k + 1:] -= lu[:, k + 1:, k, None] * lu[:, k, None, k + 1:]
    return lu.reshape(shape), perm.reshape(shape[:-1])


@op("lu", "custom", FLOAT_COMPLEX, ("linalg",))
def lu(input, output_idx_type=None, name=None):  # noqa: A002
    """``(lu, p)``: the LU decomposition with partial pivoting of square matrices, as
    TensorFlow gives it - L (unit diagonal, not stored) below the diagonal of ``lu``, U on
    and above it, and ``p`` the row order: ``input[..., p, :] = L @ U``."""
    from ..dtypes import as_dtype, int32
    t = _matrix_input(lu.op, input)
    _square(t, "lu")
    d = int32 if output_idx_type is None else as_dtype(output_idx_type)
    backend = t._device.backend
    host = np.asarray(backend.to_numpy(t._data))
    factors, perm = _lu_kernel(host.astype(np.complex128 if t.dtype.is_complex
                                           else np.float64))
    return Lu(_wrap(backend.from_numpy(factors), t),
              out(backend.from_numpy(perm.astype(d._np)), d))


def _lu_grad(grads, ans, input, output_idx_type=None, name=None):  # noqa: A002
    """TensorFlow's: with X = P A = L U, X_bar = L^-H (tril_strict(L^H L_bar) +
    triu(U_bar U^H)) U^-H, and A_bar its rows put back in A's order."""
    from .composites import band_part
    from .shape import gather
    g = grads[0]
    if g is None:
        return (None,)
    packed, perm = ans
    lower, upper = _unit_lower_and_upper(packed)
    l_bar = band_part(g, -1, 0) - band_part(g, 0, 0)
    u_bar = band_part(g, 0, -1)
    inner = matmul(lower, l_bar, adjoint_a=True)
    middle = band_part(inner, -1, 0) - band_part(inner, 0, 0) + \
        band_part(matmul(u_bar, upper, adjoint_b=True), 0, -1)
    left = triangular_solve(lower, middle, lower=True, adjoint=True)        # L^-H middle
    x_bar = _adjoint(triangular_solve(upper, _adjoint(left), lower=False))  # ... U^-H
    return (gather(x_bar, _inverse_permutation(perm), axis=-2, batch_dims=perm.ndim - 1),)


defgrad(lu, _lu_grad)


Eig = collections.namedtuple("Eig", ["e", "v"])


def _eig_results(op_def, tensor, vectors: bool) -> list:
    """LAPACK's eigenvalues (and eigenvectors) of ``tensor`` on the host, as complex64
    tensors (complex128 for double input) on its device."""
    from ..dtypes import from_numpy
    t = _matrix_input(op_def, tensor, "tensor")
    _square(t, op_def.name)
    backend = t._device.backend
    host = np.asarray(backend.to_numpy(t._data))
    wide = host.astype(np.complex128 if host.dtype.kind == "c" else np.float64)
    ctype = np.dtype(np.complex64 if t.dtype.name in ("float16", "float32", "complex64")
                     else np.complex128)
    results = np.linalg.eig(wide) if vectors else (np.linalg.eigvals(wide),)
    return [out(backend.from_numpy(r.astype(ctype)), from_numpy(ctype)) for r in results]


@op("eig", "custom", FLOAT_COMPLEX, ("", "linalg"))
def eig(tensor, name=None):
    """``(e, v)``: eigenvalues and (unit-norm column) eigenvectors of general square
    matrices, complex64 (or complex128 for double input), as TensorFlow's eig. Their order
    and each vector's phase are LAPACK's, which may differ from TensorFlow's."""
    return Eig(*_eig_results(eig.op, tensor, vectors=True))


@op("eigvals", "custom", FLOAT_COMPLEX, ("", "linalg"))
def eigvals(tensor, name=None):
    """The eigenvalues of general square matrices (complex), as eig's."""
    return _eig_results(eigvals.op, tensor, vectors=False)[0]


# ---------------------------------------------------------------------------------------------
# Composites: built from the ops above, differentiable through them
# ---------------------------------------------------------------------------------------------

def set_diag(input, diagonal, name=None, k=0, align="RIGHT_LEFT"):  # noqa: A002
    """``input`` with its main diagonal replaced by ``diagonal`` [..., min(M, N)]."""
    from .creation import eye
    from .shape import cast, pad, where
    t = as_tensor(input, "set_diag", "input")
    d = as_tensor(diagonal, "set_diag", "diagonal", t.dtype, anchor="input")
    if t.ndim < 2 or d.ndim < 1:
        raise incompatible_shapes("set_diag", [describe(t, "input"), describe(d, "diagonal")],
                                  "input must be a matrix (or a batch) and diagonal a vector")
    if int(k) != 0:
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, "set_diag: only the main diagonal (k=0)",
                                 op_name="set_diag")
    rows, cols = t.shape[-2], t.shape[-1]
    p = min(rows, cols)
    if d.shape[-1] != p:
        raise incompatible_shapes("set_diag", [describe(t, "input"), describe(d, "diagonal")],
                                  f"diagonal must have {p} entries in its last dimension")
    square = diag(d)
    widths = [[0, 0]] * (square.ndim - 2) + [[0, rows - p], [0, cols - p]]
    placed = pad(square, widths)
    return where(cast(eye(rows, cols), "bool"), placed, t)  # the mask broadcasts


def cholesky_solve(chol, rhs, name=None):
    """``X`` with ``A @ X = rhs``, given ``chol``, the Cholesky factor of ``A``."""
    y = triangular_solve(chol, rhs, lower=True)
    return triangular_solve(chol, y, lower=True, adjoint=True)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """The least-squares solution of ``matrix @ X = rhs`` (minimum-norm when
    underdetermined), through the regularised normal equations as TensorFlow's fast path."""
    from .creation import eye
    from .linalg import cholesky
    a = _float(matrix, "lstsq", "matrix", FLOAT_COMPLEX, "a floating-point or complex")
    b = as_tensor(rhs, "lstsq", "rhs", a.dtype, anchor="matrix")
    if a.ndim < 2 or b.ndim < 2:
        raise incompatible_shapes("lstsq", [describe(a, "matrix"), describe(b, "rhs")],
                                  "matrix and rhs must be matrices (or batches of them)")
    rows, cols = a.shape[-2], a.shape[-1]
    if b.shape[-2] != rows:
        raise incompatible_shapes("lstsq", [describe(a, "matrix"), describe(b, "rhs")],
                                  "matrix and rhs must have as many rows")
    lam = float(l2_regularizer)
    if rows >= cols:
        gram = matmul(a, a, adjoint_a=True)
        if lam:
            gram = gram + lam * eye(cols, dtype=a.dtype)
        return cholesky_solve(cholesky(gram), matmul(a, b, adjoint_a=True))
    gram = matmul(a, a, adjoint_b=True)
    if lam:
        gram = gram + lam * eye(rows, dtype=a.dtype)
    return matmul(a, cholesky_solve(cholesky(gram), b), adjoint_a=True)


def pinv(a, rcond=None, validate_args=False, name=None):
    """The Moore-Penrose pseudo-inverse, from the singular values above ``rcond`` times the
    largest (default: 10 * max(M, N) * machine epsilon, as TensorFlow)."""
    from .elementwise import greater
    from .reduction import reduce_max
    from .shape import expand_dims, where
    t = as_tensor(a, "pinv", "a")
    if t.ndim < 2:
        raise invalid("pinv", f"a must be a matrix (or a batch of them), got shape {t.shape}",
                      [describe(t, "a")], kind="shape")
    s, u, v = svd(t)
    if rcond is None:
        rcond = 10. * max(t.shape[-2], t.shape[-1]) * float(np.finfo(
            t.dtype.real_dtype.as_numpy_dtype).eps)
    cutoff = float(rcond) * reduce_max(s, axis=-1, keepdims=True)
    keep = greater(s, cutoff)
    s_inv = where(keep, 1 / where(keep, s, s * 0 + 1), s * 0)
    return matmul(v * _as(expand_dims(s_inv, -2), v), u, adjoint_b=True)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    """How many singular values exceed ``tol`` (default as ``pinv``'s cutoff), as int32."""
    from .elementwise import greater
    from .reduction import reduce_max, reduce_sum
    from .shape import cast
    t = as_tensor(a, "matrix_rank", "a")
    if t.ndim < 2:
        raise invalid("matrix_rank", f"a must be a matrix (or a batch of them), got shape "
                      f"{t.shape}", [describe(t, "a")], kind="shape")
    s = svd(t, compute_uv=False)
    if tol is None:
        eps = float(np.finfo(t.dtype.real_dtype.as_numpy_dtype).eps)
        tol = reduce_max(s, axis=-1, keepdims=True) * (max(t.shape[-2], t.shape[-1]) * eps)
    return cast(reduce_sum(cast(greater(s, tol), "int32"), axis=-1), "int32")


def cross(a, b, name=None):
    """The cross product of 3-vectors (the last dimension), broadcast over the rest."""
    from .shape import stack
    x = as_tensor(a, "cross", "a")
    y = as_tensor(b, "cross", "b", x.dtype, anchor="a")
    if x.ndim < 1 or y.ndim < 1 or x.shape[-1] != 3 or y.shape[-1] != 3:
        raise incompatible_shapes("cross", [describe(x, "a"), describe(y, "b")],
                                  "the last dimension must be 3")
    x0, x1, x2 = x[..., 0], x[..., 1], x[..., 2]
    y0, y1, y2 = y[..., 0], y[..., 1], y[..., 2]
    return stack([x1 * y2 - x2 * y1, x2 * y0 - x0 * y2, x0 * y1 - x1 * y0], axis=-1)


_PADE13 = (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
           129060195264000., 10559470521600., 670442572800., 33522128640., 1323241920.,
           40840800., 960960., 16380., 182., 1.)
_PADE7 = (17297280., 8648640., 1995840., 277200., 25200., 1512., 56., 1.)


def expm(input, name=None):  # noqa: A002
    """The matrix exponential, by scaling and squaring with a Pade approximant (order 13
    in double precision, 7 in single, as Higham's method and TensorFlow's); built from
    matmul and solve, so it differentiates."""
    from .creation import eye
    from .linalg import solve
    t = _float(input, "expm", "input", FLOAT_COMPLEX, "a floating-point or complex")
    _square(t, "expm")
    n = t.shape[-1]
    double = t.dtype.real_dtype.size == 8
    host = np.asarray(t.numpy())
    norm = float(np.max(np.sum(np.abs(host), axis=-2))) if host.size else 0.0
    limit = 5.371920351148152 if double else 3.925724783138660
    squarings = max(int(math.ceil(math.log2(norm / limit))), 0) if norm > limit else 0
    a = t * (0.5 ** squarings) if squarings else t
    identity = eye(n, dtype=t.dtype)
    a2 = matmul(a, a)
    a4 = matmul(a2, a2)
    a6 = matmul(a4, a2)
    if double:
        b = _PADE13
        u = matmul(a, matmul(a6, b[13] * a6 + b[11] * a4 + b[9] * a2)
                   + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * identity)
        v = matmul(a6, b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 \
            + b[2] * a2 + b[0] * identity
    else:
        b = _PADE7
        u = matmul(a, b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * identity)
        v = b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * identity
    result = solve(v - u, v + u)
    for _ in range(squarings):
        result = matmul(result, result)
    return result


def _eig_grad(grads, ans, tensor, name=None):
    """TensorFlow's: with f[i, j] = conj(1 / (e_j - e_i)) off the diagonal,
    A_bar = V^-H (diag(e_bar) + f * (V^H V_bar - V^H V diag(Re diag(V^H V_bar)))) V^H, real
    for real input. Eigenvector gradients depend on the vectors' phases, which are LAPACK's
    here (TensorFlow's come from Eigen): losses invariant to phase agree."""
    from .elementwise import conj, real
    from .linalg import solve
    from .shape import cast
    grad_e, grad_v = grads
    e, v = ans
    vt = _adjoint(v)
    mid = diag(grad_e) if grad_e is not None else _zeros_like(matmul(vt, v))
    if grad_v is not None:
        f = conj(_off_diagonal_inverse_gaps(e))
        vgv = matmul(vt, grad_v)
        diag_real = diag(diag_part(cast(real(vgv), vgv.dtype)))
        mid = mid + f * (vgv - matmul(matmul(vt, v), diag_real))
    grad_a = solve(vt, matmul(mid, vt))
    t = as_tensor(tensor, "eig", "tensor")
    if not t.dtype.is_complex:
        grad_a = real(grad_a)
    return (cast(grad_a, t.dtype),)


def _eigvals_grad(g, ans, tensor, name=None):
    return _eig_grad((g, None), eig(tensor), tensor)


defgrad(eig, _eig_grad)
defgrad(eigvals, _eigvals_grad)


def _unit_lower_and_upper(lower_upper):
    from .composites import band_part
    from .creation import eye
    n = lower_upper.shape[-1]
    lower = band_part(lower_upper, -1, 0) - band_part(lower_upper, 0, 0) + \
        eye(n, dtype=lower_upper.dtype)
    return lower, band_part(lower_upper, 0, -1)


def _lu_input(lower_upper, perm, op_name):
    t = _float(lower_upper, op_name, "lower_upper", FLOAT_COMPLEX,
               "a floating-point or complex")
    _square(t, op_name)
    p = as_tensor(perm, op_name, "perm")
    if not p.dtype.is_integer or tuple(p.shape) != tuple(t.shape[:-1]):
        raise invalid(op_name, f"perm must be integers of shape {list(t.shape[:-1])}, got "
                      f"{p.dtype.name} {list(p.shape)}", [describe(p, "perm")], kind="shape")
    return t, p


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """The matrix ``lu`` factored: ``P^-1 @ L @ U``."""
    from .shape import gather
    from ..dtypes import int64
    from .shape import cast
    t, p = _lu_input(lower_upper, perm, "lu_reconstruct")
    lower, upper = _unit_lower_and_upper(t)
    product = matmul(lower, upper)
    inverse = _inverse_permutation(cast(p, int64))
    return gather(product, inverse, axis=-2, batch_dims=p.ndim - 1)


def _inverse_permutation(p):
    """``q`` with ``q[p[i]] = i`` along the last axis (batched)."""
    from .reduction import argsort
    return argsort(p, axis=-1)


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    """``X`` with ``A @ X = rhs`` for ``A`` factored by ``lu``: two triangular solves."""
    from .shape import gather
    t, p = _lu_input(lower_upper, perm, "lu_solve")
    b = as_tensor(rhs, "lu_solve", "rhs", t.dtype, anchor="lower_upper")
    if b.ndim < 2 or b.shape[-2] != t.shape[-1]:
        raise incompatible_shapes("lu_solve", [describe(t, "lower_upper"), describe(b, "rhs")],
                                  "rhs must be [..., M, K] for lower_upper [..., M, M]")
    lower, upper = _unit_lower_and_upper(t)
    permuted = gather(b, p, axis=-2, batch_dims=p.ndim - 1)
    return triangular_solve(upper, triangular_solve(lower, permuted, lower=True),
                            lower=False)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    """The inverse of the matrix ``lu`` factored."""
    from .creation import eye
    t, p = _lu_input(lower_upper, perm, "lu_matrix_inverse")
    n = t.shape[-1]
    identity = eye(n, batch_shape=list(t.shape[:-2]), dtype=t.dtype)
    return lu_solve(t, p, identity)


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    """``(tensor / norm, norm)`` with the norm of ``ord`` over ``axis`` kept as size-1
    dimensions (so it broadcasts back)."""
    from .linalg import norm
    t = _float(tensor, "normalize", "tensor", FLOAT_COMPLEX, "a floating-point or complex")
    n = norm(t, ord=ord, axis=axis, keepdims=True)
    return t / n, n


def tensor_diag(diagonal, name=None):
    """A tensor of shape ``diagonal.shape + diagonal.shape`` holding ``diagonal`` where the
    two halves of the index agree, zeros elsewhere."""
    from .shape import reshape
    d = as_tensor(diagonal, "tensor_diag", "diagonal")
    if d.ndim == 0:
        raise invalid("tensor_diag", "diagonal must have rank >= 1, got a scalar",
                      [describe(d, "diagonal")], kind="shape")
    shape = list(d.shape)
    return reshape(diag(reshape(d, [-1])), shape + shape)


def tensor_diag_part(input, name=None):  # noqa: A002
    """The inverse of tensor_diag: entries where the two halves of the index agree."""
    from .shape import reshape
    t = as_tensor(input, "tensor_diag_part", "input")
    half = t.ndim // 2
    if t.ndim % 2 or t.ndim == 0 or list(t.shape[:half]) != list(t.shape[half:]):
        raise invalid("tensor_diag_part", f"input must have shape s + s (even rank), got "
                      f"{list(t.shape)}", [describe(t, "input")], kind="shape")
    size = int(np.prod(t.shape[:half], dtype=np.int64))
    return reshape(diag_part(reshape(t, [size, size])), list(t.shape[:half]))


def _tridiagonal_dense(diagonals, diagonals_format, op_name):
    """The [..., M, M] matrix of tridiagonal ``diagonals`` in TensorFlow's formats:
    'compact' [..., 3, M] (superdiagonal, diagonal, subdiagonal; the super's last and the
    sub's first entries unused), 'sequence' (three tensors), 'matrix' (already dense)."""
    from .composites import band_part
    from .shape import stack
    if diagonals_format == "matrix":
        m = _float(diagonals, op_name, "diagonals", FLOAT_COMPLEX, "a floating-point or complex")
        return band_part(m, 1, 1)
    if diagonals_format == "sequence":
        if not isinstance(diagonals, (list, tuple)) or len(diagonals) != 3:
            raise ValueError(f"{op_name}: 'sequence' diagonals must be three tensors (super, "
                             "main, sub)")
        diagonals = stack(list(diagonals), axis=-2)
    elif diagonals_format != "compact":
        raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
    d = _float(diagonals, op_name, "diagonals", FLOAT_COMPLEX, "a floating-point or complex")
    if d.ndim < 2 or d.shape[-2] != 3:
        raise invalid(op_name, f"compact diagonals must be [..., 3, M], got {list(d.shape)}",
                      [describe(d, "diagonals")], kind="shape")
    return _band(d[..., 0, :-1], 1) + diag(d[..., 1, :]) + _band(d[..., 2, 1:], -1)


def _band(values, k):
    """The square matrix [..., M, M] with ``values`` [..., M - |k|] on its k-th diagonal
    (above the main one for k > 0, below for k < 0), zeros elsewhere."""
    from .shape import pad
    lead = [[0, 0]] * (values.ndim - 1)
    gap = abs(k)
    widths = [[0, gap], [gap, 0]] if k > 0 else [[gap, 0], [0, gap]]
    return pad(diag(values), lead + widths)


def tridiagonal_solve(diagonals, rhs, diagonals_format="compact", transpose_rhs=False,
                      conjugate_rhs=False, name=None, partial_pivoting=True,
                      perturb_singular=False):
    """``X`` with ``T @ X = rhs`` for the tridiagonal ``T`` (TensorFlow's formats; a 1-D
    ``rhs`` of length M is a single right-hand side)."""
    from .linalg import solve
    from .shape import expand_dims, squeeze
    a = _tridiagonal_dense(diagonals, diagonals_format, "tridiagonal_solve")
    b = as_tensor(rhs, "tridiagonal_solve", "rhs", a.dtype, anchor="diagonals")
    if transpose_rhs:
        b = matrix_transpose(b)
    if conjugate_rhs:
        from .elementwise import conj
        b = conj(b)
    vector = b.ndim == a.ndim - 1
    x = solve(a, expand_dims(b, -1) if vector else b)
    return squeeze(x, -1) if vector else x


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    """``T @ rhs`` for the tridiagonal ``T`` given by ``diagonals``."""
    a = _tridiagonal_dense(diagonals, diagonals_format, "tridiagonal_matmul")
    return matmul(a, as_tensor(rhs, "tridiagonal_matmul", "rhs", a.dtype,
                               anchor="diagonals"))


def banded_triangular_solve(bands, rhs, lower=True, adjoint=False, name=None):
    """``X`` with ``T @ X = rhs`` for the banded triangular ``T`` in TensorFlow's layout:
    ``bands`` [..., K, M] holds the diagonal and K-1 off-diagonals - lower: row 0 the
    diagonal, row k the k-th subdiagonal (right-aligned); upper: the last row the
    diagonal, row K-1-k the k-th superdiagonal (left-aligned)."""
    b = _float(bands, "banded_triangular_solve", "bands", FLOAT_COMPLEX,
               "a floating-point or complex")
    if b.ndim < 2:
        raise invalid("banded_triangular_solve", f"bands must be [..., K, M], got "
                      f"{list(b.shape)}", [describe(b, "bands")], kind="shape")
    k_rows, m = b.shape[-2], b.shape[-1]
    dense = diag(b[..., 0, :] if lower else b[..., k_rows - 1, :])
    for k in range(1, min(k_rows, m)):
        if lower:
            dense = dense + _band(b[..., k, k:], -k)
        else:
            dense = dense + _band(b[..., k_rows - 1 - k, :m - k], k)
    host = np.asarray(diag_part(dense).numpy())
    if host.size and (host == 0).any():
        raise invalid("banded_triangular_solve", "Input matrix is not invertible.",
                      [describe(b, "bands")])
    return triangular_solve(dense, rhs, lower=lower, adjoint=adjoint)


def logm(input, name=None):  # noqa: A002
    """The principal matrix logarithm of complex square matrices (``expm(logm(a)) = a``),
    through the eigendecomposition ``V diag(log e) V^-1`` - accurate for diagonalisable
    matrices away from defective ones; complex input only, as TensorFlow's."""
    from .elementwise import log
    from .linalg import solve
    t = as_tensor(input, "logm", "input")
    if not t.dtype.is_complex:
        raise invalid("logm", f"input must be complex64 or complex128, got {t.dtype.name}",
                      [describe(t, "input")], kind="dtype",
                      hint="ts.linalg.logm(ts.cast(input, ts.complex64))")
    _square(t, "logm")
    e, v = eig(t)
    scaled = v * log(e)[..., None, :]
    return matrix_transpose(solve(matrix_transpose(v), matrix_transpose(scaled)))


def sqrtm(input, name=None):  # noqa: A002
    """The principal square root of square matrices (``sqrtm(a) @ sqrtm(a) = a``), by the
    scaled Denman-Beavers iteration - built from matmul and inv, so it differentiates.
    Matrices with eigenvalues on the closed negative real axis have no principal root:
    InvalidArgumentError instead of a wrong answer."""
    from .creation import eye
    from .linalg import det
    t = _float(input, "sqrtm", "input", FLOAT_COMPLEX, "a floating-point or complex")
    _square(t, "sqrtm")
    n = t.shape[-1]
    if n == 0:
        return t
    y, z = t, eye(n, batch_shape=list(t.shape[:-2]), dtype=t.dtype)
    host = np.asarray(t.numpy()).astype(np.complex128)
    tol = 1e-12 if t.dtype.real_dtype.size == 8 else 1e-6
    for _ in range(100):
        # determinant scaling (Higham) speeds the first steps up
        gamma = np.abs(np.asarray(det(y).numpy()) * np.asarray(det(z).numpy())) ** (-1 / (2 * n))
        gamma = np.where(np.isfinite(gamma) & (gamma > 0), gamma, 1.0)
        g = as_tensor(gamma.astype(t.dtype.real_dtype._np), "sqrtm", "scale")
        if t.dtype.is_complex:
            from .elementwise import complex_ as make_complex
            g = make_complex(g, g * 0)
        g = g[..., None, None] if g.ndim else g
        y_next = (g * y + inv(z) / g) / 2
        z = (g * z + inv(y) / g) / 2
        change = np.max(np.abs(np.asarray((y_next - y).numpy())))
        scale = np.max(np.abs(np.asarray(y_next.numpy()))) or 1.0
        y = y_next
        if change <= tol * scale:
            break
    root = np.asarray(y.numpy()).astype(np.complex128)
    residual = np.max(np.abs(root @ root - host)) / max(np.max(np.abs(host)), 1e-300)
    if not np.isfinite(residual) or residual > 1e3 * tol:
        raise invalid("sqrtm", "the matrix has no principal square root (an eigenvalue "
                      "on the closed negative real axis): the iteration does not converge",
                      [describe(t, "input")])
    return y


for _fn in (set_diag, cholesky_solve, lstsq, pinv, matrix_rank, cross, expm):
    composite(_fn, ("linalg",))
for _fn in (lu_reconstruct, lu_solve, lu_matrix_inverse, normalize, tensor_diag,
            tensor_diag_part, tridiagonal_solve, tridiagonal_matmul, banded_triangular_solve):
    composite(_fn, ("linalg",))
composite(sqrtm, ("linalg",))
composite(logm, ("linalg",))
from .registry import NAMESPACES  # noqa: E402
NAMESPACES[""]["matrix_square_root"] = sqrtm  # TensorFlow's top-level name for it
