"""ts.linalg.LinearOperator and its structured family: every method of every operator
against NumPy on the operator's dense matrix (which is checked against its definition),
gradients through the structured paths, and - with TensorFlow installed - every method
compared with TensorFlow's operators."""

import os

import numpy as np
import pytest

import tensorshell as ts

LA = ts.linalg
rng = np.random.default_rng(0)
G3 = rng.normal(size=(3, 3)) + 3 * np.eye(3)
_B = rng.normal(size=(2, 3, 3))
SPD = _B @ np.swapaxes(_B, -1, -2) + 3 * np.eye(3)
U = np.array([[1., 0.5], [0., 1.], [2., -1.]])
V = np.array([[0.3, 0.], [1., 1.], [0., -2.]])
F64 = ts.float64
SPECTRUM = np.array([6., 2 - 1j, 3., 2 + 1j])
KERNEL_2D = rng.normal(size=(2, 3, 4))          # a batch of two real 3x4 kernels
KERNEL_3D = rng.normal(size=(2, 2, 3)) + 2.0


def _block_circulant(kernel):
    """The dense matrix of circular convolution with ``kernel`` (unbatched), by its
    definition: entry [(i...), (j...)] = kernel[(i - j) mod shape]."""
    idx = np.array(list(np.ndindex(*kernel.shape)))
    return kernel[tuple((idx[:, None, k] - idx[None, :, k]) % n
                        for k, n in enumerate(kernel.shape))]


def _kron(a, b):
    return np.kron(a, b)


def _toeplitz(col, row):
    n = len(col)
    return np.array([[col[i - j] if i >= j else row[j - i] for j in range(n)]
                     for i in range(n)])


# name -> (operator factory, its dense matrix by definition)
OPERATORS = {
    "full": (lambda: LA.LinearOperatorFullMatrix(G3), G3),
    "full_spd_batch": (lambda: LA.LinearOperatorFullMatrix(
        SPD, is_self_adjoint=True, is_positive_definite=True), SPD),
    "diag": (lambda: LA.LinearOperatorDiag(np.array([1., 2., 4.])), np.diag([1., 2., 4.])),
    "diag_batch": (lambda: LA.LinearOperatorDiag(np.array([[1., 2., 4.], [3., 1., .5]])),
                   np.stack([np.diag([1., 2., 4.]), np.diag([3., 1., .5])])),
    "identity": (lambda: LA.LinearOperatorIdentity(3, dtype=F64), np.eye(3)),
    "identity_batch": (lambda: LA.LinearOperatorIdentity(3, batch_shape=[2], dtype=F64),
                       np.stack([np.eye(3)] * 2)),
    "scaled_identity": (lambda: LA.LinearOperatorScaledIdentity(3, np.array([2.5, -1.])),
                        np.stack([2.5 * np.eye(3), -np.eye(3)])),
    "lower_triangular": (lambda: LA.LinearOperatorLowerTriangular(G3), np.tril(G3)),
    "composition": (lambda: LA.LinearOperatorComposition([
        LA.LinearOperatorFullMatrix(G3), LA.LinearOperatorDiag(np.array([1., 2., 4.]))]),
        G3 @ np.diag([1., 2., 4.])),
    "adjoint": (lambda: LA.LinearOperatorAdjoint(LA.LinearOperatorFullMatrix(G3)), G3.T),
    "inversion": (lambda: LA.LinearOperatorInversion(LA.LinearOperatorFullMatrix(G3)),
                  np.linalg.inv(G3)),
    "kronecker": (lambda: LA.LinearOperatorKronecker([
        LA.LinearOperatorFullMatrix(G3), LA.LinearOperatorFullMatrix(SPD[0, :2, :2])]),
        _kron(G3, SPD[0, :2, :2])),
    "block_diag": (lambda: LA.LinearOperatorBlockDiag([
        LA.LinearOperatorFullMatrix(G3), LA.LinearOperatorDiag(np.array([1., 2.]))]),
        np.block([[G3, np.zeros((3, 2))], [np.zeros((2, 3)), np.diag([1., 2.])]])),
    "toeplitz": (lambda: LA.LinearOperatorToeplitz(np.array([3., 1., .5]),
                                                   np.array([3., 2., .25])),
                 _toeplitz([3., 1., .5], [3., 2., .25])),
    "toeplitz_batch": (lambda: LA.LinearOperatorToeplitz(
        np.array([[3., 1., .5], [2., 0., 1.]]), np.array([[3., 2., .25], [2., 5., 6.]])),
        np.stack([_toeplitz([3., 1., .5], [3., 2., .25]), _toeplitz([2., 0., 1.],
                                                                   [2., 5., 6.])])),
    "tridiag": (lambda: LA.LinearOperatorTridiag(np.array([[1., 2., 0.], [4., 5., 6.],
                                                           [0., 1., 2.]])),
                np.array([[4., 1., 0.], [1., 5., 2.], [0., 2., 6.]])),
    "low_rank_update": (lambda: LA.LinearOperatorLowRankUpdate(
        LA.LinearOperatorDiag(np.array([1., 2., 4.])), U, diag_update=np.array([.5, 2.])),
        np.diag([1., 2., 4.]) + U @ np.diag([.5, 2.]) @ U.T),
    "low_rank_update_uv": (lambda: LA.LinearOperatorLowRankUpdate(
        LA.LinearOperatorFullMatrix(G3), U, v=V), G3 + U @ V.T),
    "permutation": (lambda: LA.LinearOperatorPermutation([2, 0, 1], dtype=F64),
                    np.eye(3)[[2, 0, 1]]),
    "householder": (lambda: LA.LinearOperatorHouseholder(np.array([1., 2., -1.])),
                    np.eye(3) - 2 * np.outer([1, 2, -1], [1, 2, -1]) / 6),
    # a Hermitian spectrum: a real circulant matrix, first column ifft(spectrum)
    "circulant": (lambda: LA.LinearOperatorCirculant(SPECTRUM, input_output_dtype=F64),
                  np.real(np.fft.ifft(SPECTRUM))[(np.arange(4)[:, None] -
                                                   np.arange(4)[None, :]) % 4]),
    "circulant_2d_batch": (lambda: LA.LinearOperatorCirculant2D(
        np.fft.fft2(KERNEL_2D), input_output_dtype=F64),
        np.stack([_block_circulant(k) for k in KERNEL_2D])),
    "circulant_3d": (lambda: LA.LinearOperatorCirculant3D(
        np.fft.fftn(KERNEL_3D), input_output_dtype=F64), _block_circulant(KERNEL_3D)),
}


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_methods_match_the_dense_matrix(name):
    make, dense = OPERATORS[name]
    op = make()
    np.testing.assert_allclose(op.to_dense(), dense, rtol=1e-10, atol=1e-12)
    assert list(op.shape) == list(dense.shape) and op.tensor_rank == dense.ndim
    assert list(op.batch_shape) == list(dense.shape[:-2])
    assert (op.range_dimension, op.domain_dimension) == dense.shape[-2:]
    x = rng.normal(size=dense.shape[:-2] + (dense.shape[-1], 2))
    np.testing.assert_allclose(op.matmul(x), dense @ x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(op @ x, dense @ x, rtol=1e-10, atol=1e-12)
    adj = np.swapaxes(dense, -1, -2)
    np.testing.assert_allclose(op.matmul(x, adjoint=True), adj @ x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(op.matvec(x[..., 0]), (dense @ x)[..., 0], rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_allclose(op.diag_part(), np.diagonal(dense, axis1=-2, axis2=-1),
                               atol=1e-12)
    np.testing.assert_allclose(op.trace(), np.trace(dense, axis1=-2, axis2=-1), atol=1e-10)
    np.testing.assert_allclose(op.adjoint().to_dense(), adj, atol=1e-12)
    np.testing.assert_allclose(op.add_to_tensor(np.ones(dense.shape)), dense + 1, atol=1e-12)
    np.testing.assert_allclose(op.solve(x), np.linalg.solve(dense, x), rtol=1e-8)
    np.testing.assert_allclose(op.solve(x, adjoint=True), np.linalg.solve(adj, x), rtol=1e-8)
    np.testing.assert_allclose(op.solvevec(x[..., 0]),
                               np.linalg.solve(dense, x)[..., 0], rtol=1e-8)
    np.testing.assert_allclose(op.determinant(), np.linalg.det(dense), rtol=1e-8)
    np.testing.assert_allclose(op.log_abs_determinant(), np.linalg.slogdet(dense)[1],
                               rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(op.inverse().to_dense(), np.linalg.inv(dense), rtol=1e-8,
                               atol=1e-12)


def test_zeros_operator():
    op = LA.LinearOperatorZeros(3, 2, batch_shape=[4])
    assert list(op.shape) == [4, 3, 2] and not op.is_square
    assert op.matmul(np.ones((2, 5), np.float32)).shape == [4, 3, 5]
    with pytest.raises(ValueError, match="always singular"):
        LA.LinearOperatorZeros(3, is_non_singular=True)


def test_operators_compose_and_keep_structure():
    d = LA.LinearOperatorDiag(np.array([1., 2., 4.]))
    product = d @ LA.LinearOperatorFullMatrix(G3)
    assert isinstance(product, LA.LinearOperatorComposition)
    np.testing.assert_allclose(product.to_dense(), np.diag([1., 2., 4.]) @ G3)
    assert isinstance(d.inverse(), LA.LinearOperatorDiag)
    assert isinstance(d.cholesky(), LA.LinearOperatorDiag)
    spd = LA.LinearOperatorFullMatrix(SPD[0], is_self_adjoint=True, is_positive_definite=True)
    np.testing.assert_allclose(spd.cholesky().to_dense(), np.linalg.cholesky(SPD[0]))
    np.testing.assert_allclose(spd.eigvals(), np.linalg.eigvalsh(SPD[0]))
    np.testing.assert_allclose(spd.cond(), np.linalg.cond(SPD[0]))
    assert LA.LinearOperatorInversion(spd).inverse() is spd
    with pytest.raises(ValueError, match="only defined for self-adjoint"):
        LA.LinearOperatorFullMatrix(G3).cholesky()
    with pytest.raises(ValueError, match="always non-singular"):
        LA.LinearOperatorFullMatrix(G3, is_non_singular=False, is_positive_definite=True)
    with pytest.raises(ts.errors.InvalidArgumentError, match="must have 3 rows"):
        d.matmul(np.ones((2, 2)))
    with pytest.raises(ts.errors.InvalidArgumentError, match="float32"):
        LA.LinearOperatorDiag(np.array([1., 2.], np.float32)).matvec(
            ts.constant([0.1, 0.2], ts.float64))          # no implicit casts
    assert "LinearOperatorDiag" in repr(d) and "shape=[3, 3]" in repr(d)


def test_gradients_flow_through_the_structure():
    u, d = ts.Variable(U), ts.Variable(np.array([1., 2., 4.]))
    with ts.GradientTape() as tape:
        op = LA.LinearOperatorLowRankUpdate(LA.LinearOperatorDiag(d), u)
        loss = op.log_abs_determinant() + ts.reduce_sum(op.solvevec([1., 2., 3.]))
    gu, gd = tape.gradient(loss, [u, d])
    with ts.GradientTape() as tape:
        dense = ts.linalg.diag(d) + u @ ts.transpose(u)
        want = ts.linalg.slogdet(dense)[1] + ts.reduce_sum(
            ts.linalg.solve(dense, ts.constant([[1.], [2.], [3.]], ts.float64)))
    wu, wd = tape.gradient(want, [u, d])
    np.testing.assert_allclose(gu, wu, rtol=1e-8)
    np.testing.assert_allclose(gd, wd, rtol=1e-8)


@pytest.mark.tf_oracle
@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_as_tensorflow(name):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    make, dense = OPERATORS[name]
    ours = make()
    theirs = _tf_operator(tf, name)               # the same construction in TensorFlow
    x = rng.normal(size=dense.shape[:-2] + (dense.shape[-1], 2))
    _agree(ours, theirs, x, ("to_dense", "diag_part", "trace", "determinant",
                             "log_abs_determinant"), rtol=1e-8, atol=1e-12)
    for hint in ("is_non_singular", "is_self_adjoint", "is_square"):
        assert getattr(ours, hint) == getattr(theirs, hint), hint


def _agree(ours, theirs, x, methods, rtol, atol, solve_rtol=None):
    """Our operator and TensorFlow's give the same ``methods`` results, and the same products
    and solves with ``x`` (adjoint or not)."""
    for method in methods:
        np.testing.assert_allclose(getattr(ours, method)(), getattr(theirs, method)(),
                                   rtol=rtol, atol=atol)
    for adjoint in (False, True):
        for method in ("matmul", "solve"):
            np.testing.assert_allclose(getattr(ours, method)(x, adjoint=adjoint),
                                       getattr(theirs, method)(x, adjoint=adjoint),
                                       rtol=solve_rtol or rtol, atol=atol)


def _tf_operator(tf, name):
    TL = tf.linalg
    return {
        "full": lambda: TL.LinearOperatorFullMatrix(G3),
        "full_spd_batch": lambda: TL.LinearOperatorFullMatrix(SPD, is_self_adjoint=True,
                                                              is_positive_definite=True),
        "diag": lambda: TL.LinearOperatorDiag(np.array([1., 2., 4.])),
        "diag_batch": lambda: TL.LinearOperatorDiag(np.array([[1., 2., 4.], [3., 1., .5]])),
        "identity": lambda: TL.LinearOperatorIdentity(3, dtype=tf.float64),
        "identity_batch": lambda: TL.LinearOperatorIdentity(3, batch_shape=[2],
                                                            dtype=tf.float64),
        "scaled_identity": lambda: TL.LinearOperatorScaledIdentity(3, np.array([2.5, -1.])),
        "lower_triangular": lambda: TL.LinearOperatorLowerTriangular(G3),
        "composition": lambda: TL.LinearOperatorComposition([
            TL.LinearOperatorFullMatrix(G3), TL.LinearOperatorDiag(np.array([1., 2., 4.]))]),
        "adjoint": lambda: TL.LinearOperatorAdjoint(TL.LinearOperatorFullMatrix(G3)),
        "inversion": lambda: TL.LinearOperatorInversion(TL.LinearOperatorFullMatrix(G3)),
        "kronecker": lambda: TL.LinearOperatorKronecker([
            TL.LinearOperatorFullMatrix(G3), TL.LinearOperatorFullMatrix(SPD[0, :2, :2])]),
        "block_diag": lambda: TL.LinearOperatorBlockDiag([
            TL.LinearOperatorFullMatrix(G3), TL.LinearOperatorDiag(np.array([1., 2.]))]),
        "toeplitz": lambda: TL.LinearOperatorToeplitz(np.array([3., 1., .5]),
                                                      np.array([3., 2., .25])),
        "toeplitz_batch": lambda: TL.LinearOperatorToeplitz(
            np.array([[3., 1., .5], [2., 0., 1.]]), np.array([[3., 2., .25], [2., 5., 6.]])),
        "tridiag": lambda: TL.LinearOperatorTridiag(np.array([[1., 2., 0.], [4., 5., 6.],
                                                              [0., 1., 2.]])),
        "low_rank_update": lambda: TL.LinearOperatorLowRankUpdate(
            TL.LinearOperatorDiag(np.array([1., 2., 4.])), U, diag_update=np.array([.5, 2.])),
        "low_rank_update_uv": lambda: TL.LinearOperatorLowRankUpdate(
            TL.LinearOperatorFullMatrix(G3), U, v=V),
        "permutation": lambda: TL.LinearOperatorPermutation(np.array([2, 0, 1], np.int32),
                                                            dtype=tf.float64),
        "householder": lambda: TL.LinearOperatorHouseholder(np.array([1., 2., -1.])),
        "circulant": lambda: TL.LinearOperatorCirculant(SPECTRUM,
                                                        input_output_dtype=tf.float64),
        "circulant_2d_batch": lambda: TL.LinearOperatorCirculant2D(
            np.fft.fft2(KERNEL_2D), input_output_dtype=tf.float64),
        "circulant_3d": lambda: TL.LinearOperatorCirculant3D(
            np.fft.fftn(KERNEL_3D), input_output_dtype=tf.float64),
    }[name]()


@pytest.mark.tf_oracle
def test_complex_circulant_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    spectrum = np.array([[1 + 1j, 2, 3 - 1j], [4, 1j, -2]], np.complex64)
    ours = LA.LinearOperatorCirculant(spectrum)
    theirs = tf.linalg.LinearOperatorCirculant(spectrum)
    x = (rng.normal(size=(2, 3, 2)) + 1j * rng.normal(size=(2, 3, 2))).astype(np.complex64)
    _agree(ours, theirs, x, ("to_dense", "convolution_kernel", "determinant",
                             "log_abs_determinant", "diag_part", "trace"),
           rtol=1e-5, atol=1e-5, solve_rtol=1e-4)


def test_circulant_block_shapes():
    """The circulants' block_shape: the spectrum's last one, two or three dimensions."""
    for op, block in ((LA.LinearOperatorCirculant(SPECTRUM), [4]),
                      (LA.LinearOperatorCirculant2D(np.fft.fft2(KERNEL_2D)),
                       list(KERNEL_2D.shape[-2:])),
                      (LA.LinearOperatorCirculant3D(np.fft.fftn(KERNEL_3D)),
                       list(KERNEL_3D.shape))):
        assert op.block_shape.as_list() == block
        tensor = op.block_shape_tensor()
        assert tensor.dtype is ts.int32 and tensor.numpy().tolist() == block
        assert op.domain_dimension == int(np.prod(block))
