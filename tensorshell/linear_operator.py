"""``ts.linalg.LinearOperator`` and its structured family, as TensorFlow's: matrices known by
their structure (a diagonal, a scaled identity, a triangle, a product, a Kronecker product,
blocks, a low-rank update ...), so that ``matmul``, ``solve``, ``determinant`` and the rest
use the structure - a diagonal solve divides, a Kronecker determinant multiplies the
factors' - and never build the dense matrix unless asked (``to_dense``). Batches work
throughout (leading dimensions), and everything is built from ts ops, so gradients flow.

>>> op = ts.linalg.LinearOperatorDiag([1., 2., 4.])
>>> op.solvevec([1., 1., 1.])          # [1., 0.5, 0.25]
>>> op.log_abs_determinant()           # log 8
"""

from __future__ import annotations

import math

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError
from .engine.ops import (composites as C, creation, decompositions as D, elementwise as E,
                         linalg as L, nn as N, reduction as R, shape as S)
from .engine.ops.registry import NAMESPACES, as_tensor
from .engine.tensor import Tensor, TensorShape, convert_to_tensor

__all__ = ["LinearOperator", "LinearOperatorFullMatrix", "LinearOperatorDiag",
           "LinearOperatorIdentity", "LinearOperatorScaledIdentity",
           "LinearOperatorLowerTriangular", "LinearOperatorComposition",
           "LinearOperatorAdjoint", "LinearOperatorInversion", "LinearOperatorKronecker",
           "LinearOperatorBlockDiag", "LinearOperatorZeros", "LinearOperatorToeplitz",
           "LinearOperatorTridiag", "LinearOperatorLowRankUpdate",
           "LinearOperatorPermutation", "LinearOperatorHouseholder", "LinearOperatorCirculant",
           "LinearOperatorCirculant2D", "LinearOperatorCirculant3D"]


def _tensor(value, dtype=None, label="x") -> Tensor:
    """``value`` as a tensor; with ``dtype``, of that dtype under the usual rule (Python
    numbers and lossless arrays adopt it, anything else raises - no implicit casts)."""
    if dtype is None:
        return value if isinstance(value, Tensor) else convert_to_tensor(value)
    return as_tensor(value, "LinearOperator", label, dtype)


def _adj(x):
    """The conjugate transpose of the last two axes."""
    return L.matrix_transpose(x, conjugate=x.dtype.is_complex) if x.ndim >= 2 else x


class LinearOperator:
    """A matrix (or batch of matrices) known by its structure; subclasses say how to
    multiply and, where they can, how to solve, take determinants and so on - the dense
    fallback is used for the rest."""

    def __init__(self, dtype, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None, parameters=None):
        if is_positive_definite and is_non_singular is False:
            raise ValueError("A positive definite matrix is always non-singular.")
        self._dtype = dtypes.as_dtype(dtype)
        self._is_non_singular = True if is_positive_definite else is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_hint = is_square
        self._name = name or type(self).__name__
        self._parameters = parameters or {}

    # -- what subclasses provide ----------------------------------------------------------
    def _shape(self) -> tuple:
        raise NotImplementedError

    def _to_dense(self) -> Tensor:
        raise NotImplementedError

    def _matmul(self, x, adjoint):
        return L.matmul(_adj(self.to_dense()) if adjoint else self.to_dense(), x)

    def _solve(self, rhs, adjoint):
        dense = _adj(self.to_dense()) if adjoint else self.to_dense()
        return L.solve(dense, rhs)

    def _diag_part(self):
        return L.diag_part(self.to_dense())

    def _log_abs_determinant(self):
        return D.slogdet(self.to_dense())[1]

    def _determinant(self):
        return L.det(self.to_dense())

    # -- shape and hints ----------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self) -> str:
        return self._name

    @property
    def parameters(self) -> dict:
        return dict(self._parameters)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(list(self._shape()))

    def shape_tensor(self, name=None) -> Tensor:
        return convert_to_tensor(np.array(self._shape(), np.int32))

    @property
    def batch_shape(self) -> TensorShape:
        return TensorShape(list(self._shape()[:-2]))

    def batch_shape_tensor(self, name=None) -> Tensor:
        return convert_to_tensor(np.array(self._shape()[:-2], np.int32))

    @property
    def tensor_rank(self) -> int:
        return len(self._shape())

    @property
    def domain_dimension(self):
        return self._shape()[-1]

    @property
    def range_dimension(self):
        return self._shape()[-2]

    def domain_dimension_tensor(self, name=None) -> Tensor:
        return convert_to_tensor(np.int32(self._shape()[-1]))

    def range_dimension_tensor(self, name=None) -> Tensor:
        return convert_to_tensor(np.int32(self._shape()[-2]))

    @property
    def is_non_singular(self):
        return self._is_non_singular

    @property
    def is_self_adjoint(self):
        return self._is_self_adjoint

    @property
    def is_positive_definite(self):
        return self._is_positive_definite

    @property
    def is_square(self):
        square = self._shape()[-1] == self._shape()[-2]
        if self._is_square_hint is False and square:
            raise ValueError("User set is_square hint to False, but the operator was square.")
        return square

    def _check_square(self, what):
        if not self.is_square:
            raise InvalidArgumentError(None, None, f"{self.name}: {what} needs a square "
                                       f"operator, got shape {list(self._shape())}")

    # -- products and solves ------------------------------------------------------------
    def matmul(self, x, adjoint=False, adjoint_arg=False, name=None):
        """``op(A) @ op(x)``; with a LinearOperator ``x``, their composition."""
        if isinstance(x, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            return LinearOperatorComposition([left, right])
        x = _tensor(x, self.dtype)
        x = _adj(x) if adjoint_arg else x
        inner = self._shape()[-2] if adjoint else self._shape()[-1]
        if x.ndim < 2 or x.shape[-2] != inner:
            raise InvalidArgumentError(None, None, f"{self.name}.matmul: x must have {inner} "
                                       f"rows, got shape {list(x.shape)}")
        return self._matmul(x, adjoint)

    def __matmul__(self, other):
        return self.matmul(other)

    def matvec(self, x, adjoint=False, name=None):
        """``op(A) @ x`` for vectors ``x`` (the last axis)."""
        x = _tensor(x, self.dtype)
        return S.squeeze(self.matmul(S.expand_dims(x, -1), adjoint), [-1])

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name=None):
        """``X`` with ``op(A) @ X = op(rhs)``; with a LinearOperator, ``inverse @ rhs``."""
        if isinstance(rhs, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = rhs.adjoint() if adjoint_arg else rhs
            return LinearOperatorComposition([LinearOperatorInversion(left), right])
        self._check_square("solve")
        if self._is_non_singular is False:
            raise InvalidArgumentError(None, None, f"{self.name}: solve needs a non-singular "
                                       "operator (is_non_singular=False)")
        rhs = _tensor(rhs, self.dtype)
        rhs = _adj(rhs) if adjoint_arg else rhs
        return self._solve(rhs, adjoint)

    def solvevec(self, rhs, adjoint=False, name=None):
        rhs = _tensor(rhs, self.dtype)
        return S.squeeze(self.solve(S.expand_dims(rhs, -1), adjoint), [-1])

    # -- dense views and scalars -----------------------------------------------------------
    def to_dense(self, name=None) -> Tensor:
        return self._to_dense()

    def diag_part(self, name=None) -> Tensor:
        return self._diag_part()

    def trace(self, name=None) -> Tensor:
        return R.reduce_sum(self.diag_part(), -1)

    def determinant(self, name=None) -> Tensor:
        self._check_square("determinant")
        return self._determinant()

    def log_abs_determinant(self, name=None) -> Tensor:
        self._check_square("log_abs_determinant")
        return self._log_abs_determinant()

    def add_to_tensor(self, x, name=None) -> Tensor:
        return self.to_dense() + _tensor(x, self.dtype)

    def eigvals(self, name=None) -> Tensor:
        """The eigenvalues (of a self-adjoint operator: real-valued, ascending)."""
        if not self.is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        return D.eigvalsh(self.to_dense())

    def cond(self, name=None) -> Tensor:
        """The 2-norm condition number (largest over smallest singular value)."""
        s = D.svd(self.to_dense(), compute_uv=False)
        return R.reduce_max(s, -1) / R.reduce_min(s, -1)

    # -- derived operators -------------------------------------------------------------------
    def adjoint(self, name=None) -> "LinearOperator":
        if self.is_self_adjoint:
            return self
        return LinearOperatorAdjoint(self)

    H = property(adjoint)

    def inverse(self, name=None) -> "LinearOperator":
        self._check_square("inverse")
        if self._is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular "
                             "matrix.")
        return LinearOperatorInversion(self)

    def cholesky(self, name=None) -> "LinearOperatorLowerTriangular":
        if not (self._is_positive_definite and self._is_self_adjoint):
            raise ValueError("Cholesky decomposition is only defined for self-adjoint "
                             "positive definite operators.")
        return LinearOperatorLowerTriangular(L.cholesky(self.to_dense()),
                                             is_non_singular=True)

    # -- assertions ---------------------------------------------------------------------
    def assert_non_singular(self, name=None):
        if not bool(R.reduce_all(E.abs(self.determinant()) > 0)):
            raise InvalidArgumentError(None, None, f"{self.name} is singular")

    def assert_positive_definite(self, name=None):
        try:
            L.cholesky(self.to_dense())
        except InvalidArgumentError:
            raise InvalidArgumentError(None, None, f"{self.name} is not positive definite") \
                from None

    def assert_self_adjoint(self, name=None):
        dense = self.to_dense()
        if not bool(R.reduce_all(E.equal(dense, _adj(dense)))):
            raise InvalidArgumentError(None, None, f"{self.name} is not self-adjoint")

    def __repr__(self):
        return (f'<ts.linalg.{type(self).__name__} "{self.name}" batch_shape='
                f"{list(self._shape()[:-2])} shape={list(self._shape())} dtype="
                f"{self.dtype.name}>")


# -- dense and diagonal -------------------------------------------------------------------------

class LinearOperatorFullMatrix(LinearOperator):
    """Any matrix (or batch), used as it is."""

    def __init__(self, matrix, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorFullMatrix"):
        self._matrix = _tensor(matrix)
        if self._matrix.ndim < 2:
            raise ValueError(f"matrix must have rank >= 2, got shape {self._matrix.shape}")
        super().__init__(self._matrix.dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, name, dict(matrix=matrix))

    def _shape(self):
        return tuple(self._matrix.shape)

    def _to_dense(self):
        return self._matrix

    def _matmul(self, x, adjoint):
        return L.matmul(self._matrix, x, adjoint_a=adjoint)

    def _solve(self, rhs, adjoint):
        if self._is_positive_definite and self._is_self_adjoint:
            return D.cholesky_solve(L.cholesky(self._matrix), rhs)
        return L.solve(self._matrix, rhs, adjoint=adjoint)


class LinearOperatorDiag(LinearOperator):
    """``diag(d)``: products scale rows, solves divide, the determinant multiplies."""

    def __init__(self, diag, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name="LinearOperatorDiag"):
        self._diag = _tensor(diag)
        if self._diag.ndim < 1:
            raise ValueError("diag must have at least 1 dimension")
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        if not self._diag.dtype.is_complex and is_self_adjoint is None:
            is_self_adjoint = True
        super().__init__(self._diag.dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, True, name, dict(diag=diag))

    def _shape(self):
        return tuple(self._diag.shape) + (self._diag.shape[-1],)

    def _to_dense(self):
        return L.diag(self._diag)

    def _d(self, adjoint):
        return E.conj(self._diag) if adjoint and self.dtype.is_complex else self._diag

    def _matmul(self, x, adjoint):
        return S.expand_dims(self._d(adjoint), -1) * x

    def _solve(self, rhs, adjoint):
        return rhs / S.expand_dims(self._d(adjoint), -1)

    def _diag_part(self):
        return self._diag

    def _determinant(self):
        return R.reduce_prod(self._diag, -1)

    def _log_abs_determinant(self):
        return R.reduce_sum(E.log(E.abs(self._diag)), -1)

    def cholesky(self, name=None):
        return LinearOperatorDiag(E.sqrt(self._diag), is_non_singular=True,
                                  is_self_adjoint=True, is_positive_definite=True)

    def inverse(self, name=None):
        return LinearOperatorDiag(1. / self._diag, is_non_singular=self._is_non_singular)

    def eigvals(self, name=None):
        return R.sort(self._diag, axis=-1) if not self.dtype.is_complex else self._diag


class LinearOperatorScaledIdentity(LinearOperator):
    """``multiplier * I`` of ``num_rows`` (``multiplier`` may carry a batch)."""

    def __init__(self, num_rows, multiplier, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, assert_proper_shapes=False,
                 name="LinearOperatorScaledIdentity"):
        self._n = int(num_rows.numpy() if hasattr(num_rows, "numpy") else num_rows)
        if self._n < 0:
            raise ValueError(f"Argument num_rows must be non-negative, got {self._n}")
        self._multiplier = _tensor(multiplier)
        if not self._multiplier.dtype.is_complex and is_self_adjoint is None:
            is_self_adjoint = True
        super().__init__(self._multiplier.dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, True, name,
                         dict(num_rows=num_rows, multiplier=multiplier))

    @property
    def multiplier(self):
        return self._multiplier

    def _shape(self):
        return tuple(self._multiplier.shape) + (self._n, self._n)

    def _m(self, adjoint):
        m = E.conj(self._multiplier) if adjoint and self.dtype.is_complex else \
            self._multiplier
        return S.expand_dims(S.expand_dims(m, -1), -1)

    def _to_dense(self):
        return creation.eye(self._n, dtype=self.dtype) * self._m(False)

    def _matmul(self, x, adjoint):
        return x * self._m(adjoint)

    def _solve(self, rhs, adjoint):
        return rhs / self._m(adjoint)

    def _diag_part(self):
        return S.expand_dims(self._multiplier, -1) * creation.ones([self._n], self.dtype)

    def _determinant(self):
        return E.pow(self._multiplier, _tensor(float(self._n) if not self.dtype.is_complex
                                               else complex(self._n), self.dtype))

    def _log_abs_determinant(self):
        return float(self._n) * E.log(E.abs(self._multiplier))


class LinearOperatorIdentity(LinearOperatorScaledIdentity):
    """The identity of ``num_rows`` (with an optional ``batch_shape``)."""

    def __init__(self, num_rows, batch_shape=None, dtype=None, is_non_singular=True,
                 is_self_adjoint=True, is_positive_definite=True, is_square=True,
                 assert_proper_shapes=False, name="LinearOperatorIdentity"):
        d = dtypes.as_dtype(dtype or dtypes.float32)
        ones = creation.ones(list(batch_shape or []), d)
        super().__init__(num_rows, ones, is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, assert_proper_shapes, name)
        self._parameters = dict(num_rows=num_rows, batch_shape=batch_shape, dtype=dtype)


class LinearOperatorZeros(LinearOperator):
    """The zero matrix of ``num_rows`` x ``num_columns``."""

    def __init__(self, num_rows, num_columns=None, batch_shape=None, dtype=None,
                 is_non_singular=False, is_self_adjoint=True, is_positive_definite=False,
                 is_square=True, assert_proper_shapes=False, name="LinearOperatorZeros"):
        if is_non_singular:
            raise ValueError("A zeros operator is always singular.")
        if is_positive_definite:
            raise ValueError("A zeros operator is never positive definite.")
        self._rows = int(num_rows)
        self._cols = self._rows if num_columns is None else int(num_columns)
        self._batch = tuple(int(b) for b in (batch_shape or ()))
        super().__init__(dtype or dtypes.float32, False, is_self_adjoint, False,
                         self._rows == self._cols, name,
                         dict(num_rows=num_rows, num_columns=num_columns))

    def _shape(self):
        return self._batch + (self._rows, self._cols)

    def _to_dense(self):
        return creation.zeros(list(self._shape()), self.dtype)

    def _matmul(self, x, adjoint):
        rows = self._cols if adjoint else self._rows
        shape = list(np.broadcast_shapes(self._batch, tuple(x.shape[:-2])))
        return creation.zeros(shape + [rows, x.shape[-1]], self.dtype)

    def _determinant(self):
        return creation.zeros(list(self._batch), self.dtype)

    def _log_abs_determinant(self):
        return creation.zeros(list(self._batch), self.dtype) + float("-inf")


class LinearOperatorLowerTriangular(LinearOperator):
    """The lower triangle of ``tril`` (what lies above the diagonal is ignored): solves by
    substitution, the determinant is the diagonal's product."""

    def __init__(self, tril, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorLowerTriangular"):
        t = _tensor(tril)
        if t.ndim < 2:
            raise ValueError(f"tril must have rank >= 2, got shape {t.shape}")
        self._tril = C.band_part(t, -1, 0)
        super().__init__(t.dtype, is_non_singular, is_self_adjoint, is_positive_definite,
                         True, name, dict(tril=tril))

    def _shape(self):
        return tuple(self._tril.shape)

    def _to_dense(self):
        return self._tril

    def _matmul(self, x, adjoint):
        return L.matmul(self._tril, x, adjoint_a=adjoint)

    def _solve(self, rhs, adjoint):
        return D.triangular_solve(self._tril, rhs, lower=True, adjoint=adjoint)

    def _determinant(self):
        return R.reduce_prod(L.diag_part(self._tril), -1)

    def _log_abs_determinant(self):
        return R.reduce_sum(E.log(E.abs(L.diag_part(self._tril))), -1)


class LinearOperatorPermutation(LinearOperator):
    """The permutation matrix sending column ``perm[i]`` to row ``i`` (``P @ x`` gathers
    ``x[perm]``); its inverse is its transpose."""

    def __init__(self, perm, dtype=None, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorPermutation"):
        self._perm = _tensor(perm)
        if not self._perm.dtype.is_integer or self._perm.ndim < 1:
            raise ValueError("perm must be an integer tensor of rank >= 1")
        super().__init__(dtype or dtypes.float32, is_non_singular, is_self_adjoint,
                         is_positive_definite, True, name, dict(perm=perm))

    def _shape(self):
        return tuple(self._perm.shape) + (self._perm.shape[-1],)

    def _to_dense(self):
        return S.one_hot(self._perm, self._perm.shape[-1], dtype=self.dtype)

    def _matmul(self, x, adjoint):
        perm = C.invert_permutation(self._perm) if adjoint else self._perm
        return S.gather(x, perm, axis=-2, batch_dims=max(perm.ndim - 1, 0))

    def _solve(self, rhs, adjoint):
        return self._matmul(rhs, not adjoint)

    def _determinant(self):
        return L.det(self.to_dense())

    def _log_abs_determinant(self):
        return creation.zeros(list(self._perm.shape[:-1]), self.dtype)


class LinearOperatorHouseholder(LinearOperator):
    """The reflection ``I - 2 v v^H / |v|^2`` across the hyperplane orthogonal to
    ``reflection_axis``: self-adjoint, its own inverse, determinant -1."""

    def __init__(self, reflection_axis, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorHouseholder"):
        self._v = _tensor(reflection_axis)
        if is_positive_definite:
            raise ValueError("A Householder operator is always non-positive definite.")
        super().__init__(self._v.dtype, is_non_singular,
                         True if is_self_adjoint is None else is_self_adjoint,
                         is_positive_definite, True, name,
                         dict(reflection_axis=reflection_axis))

    def _shape(self):
        return tuple(self._v.shape) + (self._v.shape[-1],)

    def _unit(self):
        return N.l2_normalize(self._v, axis=-1) if not self.dtype.is_complex else \
            self._v / S.cast(E.sqrt(R.reduce_sum(E.abs(self._v) ** 2, -1, keepdims=True)),
                             self.dtype)

    def _to_dense(self):
        u = S.expand_dims(self._unit(), -1)
        return creation.eye(self._v.shape[-1], dtype=self.dtype) - 2 * L.matmul(u, _adj(u))

    def _matmul(self, x, adjoint):
        u = S.expand_dims(self._unit(), -1)
        return x - 2 * L.matmul(u, L.matmul(_adj(u), x))

    def _solve(self, rhs, adjoint):
        return self._matmul(rhs, adjoint)

    def _determinant(self):
        return creation.zeros(list(self._v.shape[:-1]), self.dtype) - 1

    def _log_abs_determinant(self):
        return creation.zeros(list(self._v.shape[:-1]), self.dtype)


# -- built from other operators -----------------------------------------------------------------

def _operators(operators, what):
    ops = list(operators)
    if not ops or not all(isinstance(o, LinearOperator) for o in ops):
        raise TypeError(f"{what} takes a non-empty list of LinearOperators")
    if len({o.dtype for o in ops}) != 1:
        raise TypeError(f"{what}: expected all operators to have the same dtype, got "
                        f"{[o.dtype.name for o in ops]}")
    return ops


def _all(flags):
    return True if all(f is True for f in flags) else None


class _Combined(LinearOperator):
    """An operator made of ``operators`` (a product, Kronecker product or blocks): the
    shared hints, batch shape and factor-wise determinants."""

    _joiner = "_"

    def __init__(self, operators, is_non_singular, is_self_adjoint, is_positive_definite,
                 is_square, name, inherit=()):
        self._ops = _operators(operators, type(self).__name__)
        hints = {"is_non_singular": is_non_singular, "is_self_adjoint": is_self_adjoint,
                 "is_positive_definite": is_positive_definite}
        for hint in inherit:                      # true when every factor says so
            if hints[hint] is None:
                hints[hint] = _all(getattr(o, hint) for o in self._ops)
        super().__init__(self._ops[0].dtype, hints["is_non_singular"],
                         hints["is_self_adjoint"], hints["is_positive_definite"], is_square,
                         name or self._joiner.join(o.name for o in self._ops),
                         dict(operators=operators))

    @property
    def operators(self):
        return list(self._ops)

    def _batch(self):
        return tuple(np.broadcast_shapes(*(tuple(o.batch_shape) for o in self._ops)))

    def _det_product(self):
        result = self._ops[0].determinant()
        for o in self._ops[1:]:
            result = result * o.determinant()
        return result

    def _logdet_sum(self):
        return C.add_n([o.log_abs_determinant() for o in self._ops]) \
            if len(self._ops) > 1 else self._ops[0].log_abs_determinant()


class LinearOperatorComposition(_Combined):
    """The product ``operators[0] @ operators[1] @ ...``, applied factor by factor."""

    _joiner = "_o_"

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        super().__init__(operators, is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name, inherit=("is_non_singular",))
        for a, b in zip(self._ops, self._ops[1:]):
            if a.domain_dimension != b.range_dimension:
                raise ValueError(f"Operators are incompatible: {a.name} has domain "
                                 f"{a.domain_dimension}, {b.name} range {b.range_dimension}")

    def _shape(self):
        return self._batch() + (self._ops[0].range_dimension, self._ops[-1].domain_dimension)

    def _to_dense(self):
        dense = self._ops[-1].to_dense()
        for o in reversed(self._ops[:-1]):
            dense = o.matmul(dense)
        return dense

    def _matmul(self, x, adjoint):
        for o in (self._ops if adjoint else reversed(self._ops)):
            x = o.matmul(x, adjoint=adjoint)
        return x

    def _solve(self, rhs, adjoint):
        if not all(o.is_square for o in self._ops):
            return super()._solve(rhs, adjoint)
        for o in (reversed(self._ops) if adjoint else self._ops):
            rhs = o.solve(rhs, adjoint=adjoint)
        return rhs

    def _determinant(self):
        if not all(o.is_square for o in self._ops):
            return super()._determinant()
        return self._det_product()

    def _log_abs_determinant(self):
        if not all(o.is_square for o in self._ops):
            return super()._log_abs_determinant()
        return self._logdet_sum()


class LinearOperatorAdjoint(LinearOperator):
    """The conjugate transpose of ``operator``, through its own adjoint products."""

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        self._op = operator
        super().__init__(operator.dtype, operator.is_non_singular, operator.is_self_adjoint,
                         operator.is_positive_definite, None,
                         name or operator.name + "_adjoint", dict(operator=operator))

    @property
    def operator(self):
        return self._op

    def _shape(self):
        s = self._op._shape()
        return tuple(s[:-2]) + (s[-1], s[-2])

    def _to_dense(self):
        return _adj(self._op.to_dense())

    def _matmul(self, x, adjoint):
        return self._op.matmul(x, adjoint=not adjoint)

    def _solve(self, rhs, adjoint):
        return self._op.solve(rhs, adjoint=not adjoint)

    def _diag_part(self):
        d = self._op.diag_part()
        return E.conj(d) if self.dtype.is_complex else d

    def _determinant(self):
        d = self._op.determinant()
        return E.conj(d) if self.dtype.is_complex else d

    def _log_abs_determinant(self):
        return self._op.log_abs_determinant()

    def adjoint(self, name=None):
        return self._op


class LinearOperatorInversion(LinearOperator):
    """The inverse of a square, non-singular ``operator``: products are its solves."""

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        if operator.is_non_singular is False:
            raise ValueError("operator and supplied hints must be non-singular: "
                             "is_non_singular=False")
        self._op = operator
        super().__init__(operator.dtype, True if operator.is_non_singular else None,
                         operator.is_self_adjoint, operator.is_positive_definite, True,
                         name or operator.name + "_inv", dict(operator=operator))

    @property
    def operator(self):
        return self._op

    def _shape(self):
        return self._op._shape()

    def _to_dense(self):
        return L.inv(self._op.to_dense())

    def _matmul(self, x, adjoint):
        return self._op.solve(x, adjoint=adjoint)

    def _solve(self, rhs, adjoint):
        return self._op.matmul(rhs, adjoint=adjoint)

    def _determinant(self):
        return 1. / self._op.determinant()

    def _log_abs_determinant(self):
        return -self._op.log_abs_determinant()

    def inverse(self, name=None):
        return self._op


class LinearOperatorKronecker(_Combined):
    """The Kronecker product of ``operators`` (each block of the first scaled by the
    rest): its determinant and solves come from the factors'."""

    _joiner = "_x_"

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        super().__init__(operators, is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name, inherit=("is_non_singular", "is_self_adjoint"))

    def _shape(self):
        rows = math.prod(o.range_dimension for o in self._ops)
        cols = math.prod(o.domain_dimension for o in self._ops)
        return self._batch() + (rows, cols)

    def _to_dense(self):
        dense = self._ops[0].to_dense()
        for o in self._ops[1:]:
            b = o.to_dense()
            outer = S.expand_dims(S.expand_dims(dense, -1), -3) * \
                S.expand_dims(S.expand_dims(b, -3), -2)           # [..., m, p, n, q]
            shape = list(outer.shape)
            dense = S.reshape(outer, shape[:-4] + [shape[-4] * shape[-3],
                                                    shape[-2] * shape[-1]])
        return dense

    def _determinant(self):
        if not all(o.is_square for o in self._ops):
            return super()._determinant()
        n = self._shape()[-1]
        result = None
        for o in self._ops:
            part = E.pow(o.determinant(), _tensor(n // o.domain_dimension, o.dtype)
                         if not o.dtype.is_complex else
                         _tensor(complex(n // o.domain_dimension), o.dtype))
            result = part if result is None else result * part
        return result

    def _log_abs_determinant(self):
        if not all(o.is_square for o in self._ops):
            return super()._log_abs_determinant()
        n = self._shape()[-1]
        return C.add_n([o.log_abs_determinant() * float(n // o.domain_dimension)
                        for o in self._ops]) if len(self._ops) > 1 else \
            self._ops[0].log_abs_determinant()

    def _diag_part(self):
        if not all(o.is_square for o in self._ops):
            return super()._diag_part()
        d = self._ops[0].diag_part()
        for o in self._ops[1:]:
            e = o.diag_part()
            outer = S.expand_dims(d, -1) * S.expand_dims(e, -2)
            d = S.reshape(outer, list(outer.shape[:-2]) + [outer.shape[-2] * outer.shape[-1]])
        return d


class LinearOperatorBlockDiag(_Combined):
    """Square ``operators`` down the diagonal, zeros elsewhere: every method works block by
    block."""

    _joiner = "_ds_"

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name=None):
        super().__init__(operators, is_non_singular, is_self_adjoint, is_positive_definite,
                         True, name, inherit=("is_non_singular", "is_self_adjoint",
                                              "is_positive_definite"))

    def _shape(self):
        return self._batch() + (sum(o.range_dimension for o in self._ops),
                                sum(o.domain_dimension for o in self._ops))

    def _to_dense(self):
        rows = []
        total = self._shape()[-1]
        offset = 0
        for o in self._ops:
            dense = o.to_dense()
            dense = S.broadcast_to(dense, list(self._batch()) + list(dense.shape[-2:]))
            pad = [[0, 0]] * (dense.ndim - 1) + [[offset, total - offset - o.domain_dimension]]
            rows.append(S.pad(dense, pad))
            offset += o.domain_dimension
        return S.concat(rows, -2)

    def _apply(self, x, fn):
        parts, start = [], 0
        for o in self._ops:
            size = o.domain_dimension
            parts.append(fn(o, x[..., start:start + size, :]))
            start += size
        return S.concat(parts, -2)

    def _matmul(self, x, adjoint):
        return self._apply(x, lambda o, part: o.matmul(part, adjoint=adjoint))

    def _solve(self, rhs, adjoint):
        return self._apply(rhs, lambda o, part: o.solve(part, adjoint=adjoint))

    def _diag_part(self):
        return S.concat([S.broadcast_to(o.diag_part(), list(self._batch()) +
                                        [o.domain_dimension]) for o in self._ops], -1)

    def _determinant(self):
        return self._det_product()

    def _log_abs_determinant(self):
        return self._logdet_sum()


class LinearOperatorToeplitz(LinearOperator):
    """The Toeplitz matrix with first column ``col`` and first row ``row`` (``row[0]`` is
    ignored for ``col[0]``)."""

    def __init__(self, col, row, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorToeplitz"):
        self._col, self._row = _tensor(col), _tensor(row)
        self._row = _tensor(self._row, self._col.dtype)
        super().__init__(self._col.dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, True, name, dict(col=col, row=row))

    def _shape(self):
        batch = np.broadcast_shapes(tuple(self._col.shape[:-1]), tuple(self._row.shape[:-1]))
        n = self._col.shape[-1]
        return tuple(batch) + (n, n)

    def _to_dense(self):
        n = self._col.shape[-1]
        # values: reversed row (without its first entry) then the column; entry (i, j)
        # reads index n - 1 + i - j
        values = S.concat([S.reverse(self._row[..., 1:], [-1]), self._col], -1)
        index = (n - 1 + np.arange(n)[:, None] - np.arange(n)[None, :]).astype(np.int64)
        return S.gather(values, index, axis=-1)


class LinearOperatorCirculant(LinearOperator):
    """The circulant matrix with eigenvalues ``spectrum`` (its first column is
    ``ifft(spectrum)``): products and solves are FFT convolutions, the determinant is the
    spectrum's product. ``input_output_dtype`` real (float32/64) takes and gives real
    values - the spectrum must then be Hermitian. The 2-D and 3-D forms
    (LinearOperatorCirculant2D/3D) are block circulant with circulant blocks: the spectrum's
    last 2 or 3 dimensions are the block shape, and the transforms are 2-D or 3-D FFTs."""

    block_depth = 1

    def __init__(self, spectrum, input_output_dtype=dtypes.complex64, is_non_singular=None,
                 is_self_adjoint=None, is_positive_definite=None, is_square=True,
                 name=None):
        out = dtypes.as_dtype(input_output_dtype)
        spec = _tensor(spectrum)
        if spec.ndim < self.block_depth:
            raise ValueError(f"Argument spectrum must have at least {self.block_depth} "
                             f"dimensions. Found: {spec.ndim}")
        complex_dtype = dtypes.complex128 if out in (dtypes.float64, dtypes.complex128) \
            else dtypes.complex64
        self._spectrum = spec if spec.dtype is complex_dtype else S.cast(spec, complex_dtype)
        super().__init__(out, is_non_singular, is_self_adjoint, is_positive_definite, True,
                         name or type(self).__name__,
                         dict(spectrum=spectrum, input_output_dtype=out))

    @property
    def spectrum(self):
        return self._spectrum

    @property
    def block_shape(self):
        return TensorShape(self._spectrum.shape[-self.block_depth:])

    def block_shape_tensor(self):
        return convert_to_tensor(np.array(self._spectrum.shape[-self.block_depth:], np.int32))

    def _out(self, value):
        return S.cast(E.real(value) if not self.dtype.is_complex else value, self.dtype)

    def _size(self):
        return int(np.prod(self._spectrum.shape[-self.block_depth:]))

    def _shape(self):
        n = self._size()
        return tuple(self._spectrum.shape[:-self.block_depth]) + (n, n)

    def _transform(self, x, inverse=False):
        from .engine.ops import signal
        name = ("ifft" if inverse else "fft") + ("" if self.block_depth == 1 else
                                                 f"{self.block_depth}d")
        return getattr(signal, name)(x)

    def convolution_kernel(self, name=None):
        """The first column, in the block shape: the inverse FFT of the spectrum."""
        return self._out(self._transform(self._spectrum, inverse=True))

    def _to_dense(self):
        h = self._transform(self._spectrum, inverse=True)
        block = tuple(self._spectrum.shape[-self.block_depth:])
        n = self._size()
        rows = np.unravel_index(np.arange(n), block)
        offsets = tuple((r[:, None] - r[None, :]) % b for r, b in zip(rows, block))
        index = np.ravel_multi_index(offsets, block).astype(np.int64)   # [n, n]
        flat = S.reshape(h, list(self._spectrum.shape[:-self.block_depth]) + [n])
        return self._out(S.gather(flat, index, axis=-1))

    def _apply(self, x, spectrum):
        d = self.block_depth
        block = list(self._spectrum.shape[-d:])
        cols = L.matrix_transpose(S.cast(x, self._spectrum.dtype))      # [..., k, n]
        lead = list(cols.shape[:-1])
        grid = S.reshape(cols, lead + block)                             # [..., k, block]
        mixed = self._transform(self._transform(grid) * S.expand_dims(spectrum, -d - 1),
                                inverse=True)
        return self._out(L.matrix_transpose(S.reshape(mixed, lead + [self._size()])))

    def _matmul(self, x, adjoint):
        return self._apply(x, E.conj(self._spectrum) if adjoint else self._spectrum)

    def _solve(self, rhs, adjoint):
        spectrum = E.conj(self._spectrum) if adjoint else self._spectrum
        return self._apply(rhs, 1. / spectrum)

    def _block_axes(self):
        return list(range(-self.block_depth, 0))

    def _diag_part(self):
        mean = R.reduce_mean(self._spectrum, self._block_axes())
        shape = list(self._spectrum.shape[:-self.block_depth]) + [self._size()]
        return self._out(S.expand_dims(mean, -1) * S.cast(creation.ones(shape), mean.dtype))

    def _determinant(self):
        return self._out(R.reduce_prod(self._spectrum, self._block_axes()))

    def _log_abs_determinant(self):
        return S.cast(R.reduce_sum(E.log(E.abs(self._spectrum)), self._block_axes()),
                      self.dtype)


class LinearOperatorCirculant2D(LinearOperatorCirculant):
    """Block circulant with circulant blocks: ``spectrum`` [..., N0, N1] is the 2-D FFT of
    the convolution kernel; the operator is (N0 N1) x (N0 N1)."""

    block_depth = 2


class LinearOperatorCirculant3D(LinearOperatorCirculant):
    """Three levels of circulant blocks: ``spectrum`` [..., N0, N1, N2], 3-D FFTs."""

    block_depth = 3


class LinearOperatorTridiag(LinearOperator):
    """A tridiagonal matrix from its diagonals: "compact" ``[..., 3, n]`` (super, main,
    sub), "sequence" (three tensors) or "matrix" (dense, read off its bands)."""

    def __init__(self, diagonals, diagonals_format="compact", is_non_singular=None,
                 is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorTridiag"):
        if diagonals_format == "compact":
            d = _tensor(diagonals)
            sup, main, sub = d[..., 0, :], d[..., 1, :], d[..., 2, :]
        elif diagonals_format == "sequence":
            sup, main, sub = (_tensor(v) for v in diagonals)
        elif diagonals_format == "matrix":
            m = _tensor(diagonals)
            main = L.diag_part(m)
            sup = S.pad(L.diag_part(m[..., :-1, 1:]), [[0, 0]] * (m.ndim - 2) + [[0, 1]])
            sub = S.pad(L.diag_part(m[..., 1:, :-1]), [[0, 0]] * (m.ndim - 2) + [[1, 0]])
        else:
            raise ValueError(f"Diagonals Format must be one of compact, matrix, sequence, got "
                             f"{diagonals_format!r}")
        self._sup, self._main, self._sub = sup, main, sub
        super().__init__(main.dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, True, name,
                         dict(diagonals=diagonals, diagonals_format=diagonals_format))

    def _shape(self):
        return tuple(self._main.shape) + (self._main.shape[-1],)

    def _to_dense(self):
        n = self._main.shape[-1]
        dense = L.diag(self._main)
        if n > 1:
            dense = dense + S.pad(L.diag(self._sup[..., :-1]),
                                  [[0, 0]] * (self._main.ndim - 1) + [[0, 1], [1, 0]])
            dense = dense + S.pad(L.diag(self._sub[..., 1:]),
                                  [[0, 0]] * (self._main.ndim - 1) + [[1, 0], [0, 1]])
        return dense

    def _diag_part(self):
        return self._main


class LinearOperatorLowRankUpdate(LinearOperator):
    """``base_operator + U diag(diag_update) V^H`` (``V`` defaults to ``U``, the diagonal
    to ones): solves and determinants by the Woodbury identity and the matrix determinant
    lemma, through ``base_operator``'s own."""

    def __init__(self, base_operator, u, diag_update=None, v=None, is_diag_update_positive=None,
                 is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorLowRankUpdate"):
        self._base = base_operator
        self._u = _tensor(u, base_operator.dtype)
        self._v = self._u if v is None else _tensor(v, base_operator.dtype)
        k = self._u.shape[-1]
        self._d = creation.ones([k], base_operator.dtype) if diag_update is None else \
            _tensor(diag_update, base_operator.dtype)
        self._diag_is_identity = diag_update is None
        if is_self_adjoint is None and v is None and base_operator.is_self_adjoint and \
                (diag_update is None or not base_operator.dtype.is_complex):
            is_self_adjoint = True
        super().__init__(base_operator.dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, name,
                         dict(base_operator=base_operator, u=u, diag_update=diag_update,
                              v=v))

    @property
    def base_operator(self):
        return self._base

    @property
    def u(self):
        return self._u

    @property
    def v(self):
        return self._v

    @property
    def diag_update(self):
        return self._d

    def _shape(self):
        batch = np.broadcast_shapes(tuple(self._base.batch_shape),
                                    tuple(self._u.shape[:-2]), tuple(self._v.shape[:-2]))
        return tuple(batch) + tuple(self._base._shape()[-2:])

    def _to_dense(self):
        return self._base.to_dense() + L.matmul(self._u * S.expand_dims(self._d, -2),
                                                _adj(self._v))

    def _matmul(self, x, adjoint):
        left, right = (self._v, self._u) if adjoint else (self._u, self._v)
        d = E.conj(self._d) if adjoint and self.dtype.is_complex else self._d
        return self._base.matmul(x, adjoint=adjoint) + \
            L.matmul(left * S.expand_dims(d, -2), L.matmul(right, x, adjoint_a=True))

    def _capacitance(self):
        """``D^-1 + V^H A^-1 U`` (the Woodbury capacitance)."""
        a_inv_u = self._base.solve(self._u)
        return L.diag(1. / self._d) + L.matmul(self._v, a_inv_u, adjoint_a=True), a_inv_u

    def _solve(self, rhs, adjoint):
        if adjoint:
            return LinearOperatorLowRankUpdate(self._base.adjoint(), self._v,
                                               E.conj(self._d) if self.dtype.is_complex
                                               else self._d, self._u)._solve(rhs, False)
        cap, a_inv_u = self._capacitance()
        a_inv_rhs = self._base.solve(rhs)
        return a_inv_rhs - L.matmul(a_inv_u, L.solve(cap, L.matmul(self._v, a_inv_rhs,
                                                                     adjoint_a=True)))

    def _determinant(self):
        cap, _ = self._capacitance()
        return self._base.determinant() * L.det(cap) * R.reduce_prod(self._d, -1)

    def _log_abs_determinant(self):
        cap, _ = self._capacitance()
        return self._base.log_abs_determinant() + D.slogdet(cap)[1] + \
            R.reduce_sum(E.log(E.abs(self._d)), -1)


for _cls in [globals()[name] for name in __all__]:
    _cls.__module__ = "tensorshell.linalg"
    NAMESPACES["linalg"][_cls.__name__] = _cls
