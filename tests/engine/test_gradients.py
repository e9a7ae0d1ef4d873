"""Gradients: every op with a gradient passes a numerical check in float64 (central finite
differences along random directions, against the tape's vector-Jacobian product), generated
from the same tables as the forward tests; ops declared non-differentiable give None."""

from __future__ import annotations

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine import dtypes as D
from tensorshell.engine.ops.registry import OPS

from .test_op_table import BINARY, REDUCTIONS, UNARY, sample

F64 = D.float64
EPS = 1e-6


def check_vjp(fn, *arrays, rtol=1e-5, atol=1e-7, seed=0):
    """<u, J v> by finite differences equals <grad(u), v> from the tape."""
    rng = np.random.default_rng(seed)
    xs = [ts.constant(np.asarray(a, np.float64)) for a in arrays]
    with ts.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    u = rng.standard_normal(np.shape(y.numpy()))
    grads = tape.gradient(y, xs, output_gradients=ts.constant(u))
    vs = [rng.standard_normal(np.shape(a)) for a in arrays]
    plus = fn(*[ts.constant(np.asarray(a, np.float64) + EPS * v)
                for a, v in zip(arrays, vs)]).numpy()
    minus = fn(*[ts.constant(np.asarray(a, np.float64) - EPS * v)
                 for a, v in zip(arrays, vs)]).numpy()
    numeric = np.sum(u * (plus - minus) / (2 * EPS))
    analytic = sum(np.sum(g.numpy() * v) for g, v in zip(grads, vs) if g is not None)
    assert all(g is None or g.dtype is F64 for g in grads)
    np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol)
    return grads


def _fn(name):
    return OPS[name].fn


DIFF_UNARY = [n for n in UNARY if OPS[n].differentiable and F64 in OPS[n].dtypes]
DIFF_BINARY = [n for n in BINARY if OPS[n].differentiable and F64 in OPS[n].dtypes
               and n != "complex"]  # complex results: tests/engine/test_complex.py
DIFF_REDUCE = [n for n in REDUCTIONS if OPS[n].differentiable]


@pytest.mark.parametrize("name", DIFF_UNARY)
def test_unary_gradient(name):
    _, domain, _ = UNARY[name]
    x = sample(F64, (3, 4), domain=domain, seed=11)
    if name in ("abs", "relu", "relu6", "elu", "selu", "sign"):
        x = np.where(np.abs(x) < 0.05, 0.3, x)  # away from the kink
    check_vjp(_fn(name), x)


@pytest.mark.parametrize("name", DIFF_BINARY)
def test_binary_gradient(name):
    _, dx, dy, _ = BINARY[name]
    x, y = sample(F64, (3, 4), domain=dx, seed=1), sample(F64, (3, 4), domain=dy, seed=2)
    if name in ("maximum", "minimum"):
        y = y + 0.01  # no ties
    check_vjp(_fn(name), x, y)
    check_vjp(_fn(name), x, y[:1])  # broadcasting reduces back to each input's shape
    check_vjp(lambda a: _fn(name)(a, 2.0 if dy != "exponent" else 2.0), x)


@pytest.mark.parametrize("axis", [None, 0, -1, [0, 1]])
@pytest.mark.parametrize("name", DIFF_REDUCE)
def test_reduction_gradient(name, axis):
    x = sample(F64, (3, 4), domain="pos" if name == "reduce_prod" else "any", seed=4)
    for keepdims in (False, True):
        check_vjp(lambda a: _fn(name)(a, axis=axis, keepdims=keepdims), x)


def test_prod_gradient_with_zeros():
    x = np.array([[2., 0., 3.], [0., 0., 1.], [1., 2., 4.]])
    with ts.GradientTape() as tape:
        t = ts.constant(x)
        tape.watch(t)
        y = ts.reduce_prod(t, axis=1)
    g = tape.gradient(y, t).numpy()
    np.testing.assert_allclose(g, [[0., 6., 0.], [0., 0., 0.], [8., 4., 2.]])


def test_max_gradient_shares_ties():
    t = ts.constant([1., 3., 3.], ts.float64)
    with ts.GradientTape() as tape:
        tape.watch(t)
        y = ts.reduce_max(t)
    assert tape.gradient(y, t).numpy().tolist() == [0., 0.5, 0.5]


@pytest.mark.parametrize("fn, expected", [
    # TensorFlow's values: maximum, minimum and clipping select (a NaN from the branch not
    # taken gives 0), relu and relu6 multiply by the mask (NaN stays NaN)
    (lambda x: ts.sqrt(ts.maximum(x, 0.)), [0., 0.25]),
    (lambda x: ts.sqrt(-ts.minimum(x, 0.)), [-0.5, 0.]),
    (lambda x: ts.sqrt(ts.clip_by_value(x, 0., 3.)), [0., 0.]),
    (lambda x: ts.sqrt(ts.nn.relu(x)), [np.nan, 0.25]),
    (lambda x: ts.sqrt(ts.nn.relu6(x)), [np.nan, 0.25]),
], ids=["maximum", "minimum", "clip_by_value", "relu", "relu6"])
def test_masked_gradients_treat_nan_as_tensorflow_does(fn, expected):
    x = ts.constant([-1., 4.])
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = ts.reduce_sum(fn(x))
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), np.float32(expected))


# Hand-written ops: a call whose every tensor argument is differentiated.
def _m(shape, seed=0, domain="any"):
    return sample(F64, shape, domain=domain, seed=seed)


def _distinct(shape, seed=0):
    """Values at least 0.01 apart (no ties for a max to break), in random order."""
    size = int(np.prod(shape))
    return np.random.default_rng(seed).permutation(size).reshape(shape) * 0.01


def _fourier_loss(name, a, b):
    """Real parts and imaginary parts weighted apart, so every direction is checked; complex
    transforms see ``a + ib``, real ones ``a`` (and the 2-d/3-d ones a reshaped batch)."""
    f = getattr(ts.signal, name)
    rank = {"": 1, "2d": 2, "3d": 3}[name[-2:] if name[-2:] in ("2d", "3d") else ""]
    shape = {1: [2, 8], 2: [4, 4], 3: [2, 2, 4]}[rank]
    x = ts.reshape(a, shape) if name.startswith("rfft") else \
        ts.reshape(ts.complex(a, b), shape)
    y = f(x, [5] * rank) if name.startswith("rfft") else f(x)
    if y.dtype.is_complex:
        return ts.math.real(y) * 1.5 + ts.math.imag(y) * ts.math.real(y)
    return y * y


GRAD_CASES = {
    "identity": (lambda x: ts.identity(x), [_m((2, 3))]),
    "gather_nd": (lambda x: ts.gather_nd(x, [[1, 0], [0, 2], [1, 0]]), [_m((2, 3))]),
    "scatter_nd": (lambda u: ts.scatter_nd([[1], [3], [1]], u, [5, 2]), [_m((3, 2))]),
    "tensor_scatter_nd_update": (lambda x, u: ts.tensor_scatter_nd_update(
        x, [[0, 1], [2, 0]], u), [_m((3, 2), 1), _m((2,), 2)]),
    "tensor_scatter_nd_add": (lambda x, u: ts.tensor_scatter_nd_add(
        x, [[0, 1], [0, 1]], u), [_m((3, 2), 1), _m((2,), 2)]),
    "tensor_scatter_nd_sub": (lambda x, u: ts.tensor_scatter_nd_sub(
        x, [[2], [0]], u), [_m((3, 2), 1), _m((2, 2), 2)]),
    # a real matrix with real, distinct eigenvalues; losses that do not depend on the
    # eigenvectors' phases
    "eig": (lambda a: ts.reduce_sum(ts.math.real(ts.linalg.eig(a + ts.transpose(a) * 0.5
                                                                + ts.eye(3, dtype=a.dtype)
                                                                * [1., 3., 6.])[0])
                                    * ts.constant([1., -2., 0.5], ts.float64))
            + ts.reduce_sum(ts.square(ts.abs(ts.linalg.eig(a + ts.eye(3, dtype=a.dtype)
                                                          * [1., 3., 6.])[1]))
                            * ts.constant([[1., 2., 0.], [0., 1., 3.], [2., 0., 1.]],
                                          ts.float64)), [_m((3, 3), 22) * 0.3]),
    "eigvals": (lambda a: ts.reduce_sum(ts.math.real(ts.linalg.eigvals(
        a + ts.eye(3, dtype=a.dtype) * [1., 3., 6.])) * ts.constant([1., -2., 0.5],
                                                                   ts.float64)),
        [_m((3, 3), 23) * 0.3]),
    # repeated labels, a label-free entry and a short one: every kind of path
    "ctc_loss_dense": (lambda x: ts.nn.ctc_loss([[1, 1, 2], [0, 0, 0], [3, 0, 0]], x,
                                                [3, 0, 1], [5, 4, 2]) * [1., 2., 3.],
                       [_m((5, 3, 4), 31)]),
    "lu": (lambda a: ts.reduce_sum(ts.linalg.lu(a)[0] * ts.constant(
        [[1., 2., 3.], [-1., 0.5, 2.], [0.3, -2., 1.]], ts.float64)), [_m((3, 3), 21)]),
    # updates above, below and tied with the values they meet (ties split the gradient)
    "tensor_scatter_nd_max": (lambda x, u: ts.tensor_scatter_nd_max(
        x, [[0, 1], [2, 0], [1, 1]], ts.concat([u, x[1, 1:2]], 0)),
        [_m((3, 2), 1), _m((2,), 2) * 3]),
    "tensor_scatter_nd_min": (lambda x, u: ts.tensor_scatter_nd_min(
        x, [[0, 1], [2, 0]], u), [_m((3, 2), 1), _m((2,), 2) * 3]),
    "cumprod": (lambda x: ts.math.cumprod(x, axis=1) + ts.math.cumprod(
        x, 0, exclusive=True, reverse=True), [_m((2, 3), 6, "pos")]),
    "roll": (lambda x: ts.roll(x, [1, -2], [0, 1]), [_m((2, 3))]),
    "repeat": (lambda x: ts.concat([ts.reshape(ts.repeat(x, [2, 0, 1], axis=1), [-1]),
                                    ts.repeat(x, 2)], 0), [_m((2, 3))]),
    "cast": (lambda x: ts.cast(x, ts.float64), [_m((2, 3))]),
    "reshape": (lambda x: ts.reshape(x, [3, -1]), [_m((2, 3))]),
    "squeeze": (lambda x: ts.squeeze(x, 1), [_m((2, 1, 3))]),
    "expand_dims": (lambda x: ts.expand_dims(x, -1), [_m((2, 3))]),
    "transpose": (lambda x: ts.transpose(x, [2, 0, 1]), [_m((2, 3, 4))]),
    "tile": (lambda x: ts.tile(x, [2, 3]), [_m((2, 3))]),
    "concat": (lambda x, y: ts.concat([x, y, x], 1), [_m((2, 3), 1), _m((2, 1), 2)]),
    "stack": (lambda x, y: ts.stack([x, y], 1), [_m((2, 3), 1), _m((2, 3), 2)]),
    "unstack": (lambda x: ts.unstack(x, axis=1)[2] * 2 + ts.unstack(x, axis=1)[0],
                [_m((2, 3))]),
    "split": (lambda x: ts.split(x, [1, 2], axis=1)[1] * 3, [_m((2, 3))]),
    "broadcast_to": (lambda x: ts.broadcast_to(x, [4, 2, 3]), [_m((2, 1))]),
    "pad": (lambda x: ts.pad(x, [[1, 1], [0, 1]]) + ts.pad(x, [[1, 1], [1, 0]],
                                                          mode="REFLECT")
            + ts.pad(x, [[2, 0], [0, 1]], mode="SYMMETRIC"), [_m((3, 3))]),
    "reverse": (lambda x: ts.reverse(x, [0, 1]), [_m((2, 3))]),
    "gather": (lambda x: ts.gather(x, [2, 0, 2]) + ts.reduce_sum(
        ts.gather(x, [[1], [3]], axis=1)), [_m((3, 4))]),
    "boolean_mask": (lambda x: ts.boolean_mask(x, [True, False, True]), [_m((3, 2))]),
    "where": (lambda x, y: ts.where([[True, False, True]], x, y), [_m((2, 3), 1),
                                                                   _m((1, 3), 2)]),
    "getitem": (lambda x: x[1:, ::2] * x[0, 1], [_m((3, 4))]),
    "scatter_slice": (lambda x: OPS["scatter_slice"].fn(x, (slice(1, 3),), [4, 2]),
                      [_m((2, 2))]),
    "unsorted_segment_sum": (lambda x: ts.math.unsorted_segment_sum(x, [1, 0, 1], 3),
                             [_m((3, 2))]),
    "unsorted_segment_max": (lambda x: ts.math.unsorted_segment_max(x, [1, 0, 1], 2),
                             [_distinct((3, 2))]),
    "unsorted_segment_min": (lambda x: ts.math.unsorted_segment_min(x, [1, 0, 1], 2),
                             [_distinct((3, 2))]),
    "unsorted_segment_prod": (lambda x: ts.math.unsorted_segment_prod(x, [1, 0, 1, 1], 2),
                              [_m((4, 2))]),
    "clip_by_value": (lambda x, lo: ts.clip_by_value(x, lo, 0.8),
                      [_m((3, 4), 5) * 2, np.full((1, 4), -0.7)]),
    "matmul": (lambda a, b: ts.matmul(a, b) + ts.matmul(b, a, transpose_a=True,
                                                        transpose_b=True)[:, :1],
               [_m((2, 3), 1), _m((3, 2), 2)]),
    "tensordot": (lambda a, b: ts.tensordot(a, b, [[0], [1]]), [_m((3, 2), 1),
                                                                 _m((4, 3), 2)]),
    "einsum": (lambda a, b: ts.einsum("ij,jk->ik", a, b) + ts.einsum("ij->j", a)[:2],
               [_m((2, 3), 1), _m((3, 2), 2)]),
    "inv": (lambda m: ts.linalg.inv(m), [_m((3, 3), 3, "unit") + 3 * np.eye(3)]),
    "det": (lambda m: ts.linalg.det(m), [_m((2, 3, 3), 3, "unit") + 2 * np.eye(3)]),
    "solve": (lambda m, b: ts.linalg.solve(m, b) + ts.linalg.solve(m, b, adjoint=True),
              [_m((2, 3, 3), 3, "unit") + 3 * np.eye(3), _m((2, 3, 2), 4)]),
    # through a symmetric positive-definite matrix, as the decomposition reads only one
    # triangle of its input
    "cholesky": (lambda m: ts.linalg.cholesky(m @ ts.linalg.matrix_transpose(m)
                                              + 3 * ts.eye(3, dtype=ts.float64)),
                 [_m((2, 3, 3), 5, "unit")]),
    "norm": (lambda x: ts.norm(x) + ts.norm(x, ord=1, axis=1)[0]
             + ts.norm(x, ord=3, axis=0)[1], [_m((3, 4))]),
    "diag": (lambda d: ts.linalg.diag(d), [_m((3,))]),
    "diag_part": (lambda m: ts.linalg.diag_part(m), [_m((3, 4))]),
    "trace": (lambda m: ts.linalg.trace(m), [_m((2, 3, 3))]),
    "matrix_transpose": (lambda m: ts.linalg.matrix_transpose(m), [_m((2, 3, 4))]),
    "softmax": (lambda x: ts.nn.softmax(x) + ts.nn.softmax(x, axis=0), [_m((3, 4))]),
    "log_softmax": (lambda x: ts.nn.log_softmax(x), [_m((3, 4))]),
    "gelu": (lambda x: ts.nn.gelu(x) + ts.nn.gelu(x, approximate=True), [_m((3, 4))]),
    "l2_loss": (lambda x: ts.nn.l2_loss(x), [_m((3, 4))]),
    "sigmoid_cross_entropy_with_logits": (
        lambda z, x: ts.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
        [np.abs(_m((2, 3), 1)) / 2, _m((2, 3), 2) * 3]),
    "softmax_cross_entropy_with_logits": (
        lambda z, x: ts.nn.softmax_cross_entropy_with_logits(z, x),
        [np.abs(_m((2, 3), 1)), _m((2, 3), 2)]),
    "sparse_softmax_cross_entropy_with_logits": (
        lambda x: ts.nn.sparse_softmax_cross_entropy_with_logits(labels=[2, 0], logits=x),
        [_m((2, 3))]),
    "fill": (lambda v: ts.fill([2, 3], v), [np.array(1.5)]),
    "cumsum": (lambda x: ts.cumsum(x, 1) + ts.cumsum(x, 0, exclusive=True, reverse=True),
               [_m((3, 4))]),
    "sort": (lambda x: ts.sort(x) * ts.constant(np.arange(4.)) + ts.sort(x, axis=0,
                                                                         direction="DESCENDING"),
             [_m((3, 4))]),
    "complex": (lambda a, b: ts.abs(ts.complex(a, b)) + ts.math.angle(ts.complex(a, b)),
                [_m((3, 4), 1), _m((3, 4), 2)]),
    "digamma": (lambda x: ts.math.digamma(x), [np.abs(_m((3, 4), 11)) + 0.3]),
    # the shape parameters' gradients are central differences: checked more loosely below
    "igamma": (lambda x: ts.math.igamma(ts.constant([0.7, 2.5], ts.float64), x),
               [np.abs(_m((3, 2), 14)) + 0.2]),
    "igammac": (lambda x: ts.math.igammac(ts.constant([0.7, 2.5], ts.float64), x),
                [np.abs(_m((3, 2), 15)) + 0.2]),
    "betainc": (lambda x: ts.math.betainc(ts.constant([0.7, 2.5], ts.float64),
                                          ts.constant([3.0, 1.5], ts.float64), x),
                [np.abs(_m((3, 2), 16)) * 0.2 + 0.1]),
    "polygamma": (lambda x: ts.math.polygamma(ts.constant([1., 2.], ts.float64), x),
                  [np.abs(_m((3, 2), 12)) + 0.3]),
    "zeta": (lambda q: ts.math.zeta(ts.constant([2., 3.5], ts.float64), q),
             [np.abs(_m((3, 2), 13)) + 0.3]),
    # decompositions, through losses that do not depend on the sign of a vector
    "eigh": (lambda a: ts.reduce_sum(ts.linalg.eigh(a + ts.transpose(a))[0] * [1., 2., 3.])
             + ts.reduce_sum(ts.square(ts.linalg.eigh(a + ts.transpose(a))[1]) * a),
             [_m((3, 3), 3)]),
    "eigvalsh": (lambda a: ts.linalg.eigvalsh(a + ts.transpose(a)) * [1., 2., 3.],
                 [_m((3, 3), 3)]),
    "svd": (lambda a: ts.reduce_sum(ts.linalg.svd(a)[0] * [3., 1.])
            + ts.reduce_sum(ts.square(ts.linalg.svd(a)[1]) * a[:, :2])
            + ts.reduce_sum(ts.square(ts.linalg.svd(a)[2])) + ts.linalg.svd(a[:2],
                                                                            compute_uv=False),
            [_m((3, 2), 4)]),
    "qr": (lambda a: ts.reduce_sum(ts.square(ts.linalg.qr(a).q) * a)
           + ts.reduce_sum(ts.square(ts.linalg.qr(a).r)) + ts.reduce_sum(
               ts.square(ts.linalg.qr(ts.transpose(a)).r)), [_m((3, 2), 5)]),
    "slogdet": (lambda a: ts.linalg.slogdet(a)[1], [_m((3, 3), 6) + 3 * np.eye(3)]),
    "triangular_solve": (lambda a, b: ts.linalg.triangular_solve(a, b)
                         + ts.linalg.triangular_solve(a, b, lower=False, adjoint=True),
                         [_m((3, 3), 7) + 3 * np.eye(3), _m((3, 2), 8)]),
    # Fourier transforms: real functions of real inputs around them
    **{name: (lambda a, b, f=name: _fourier_loss(f, a, b), [_m((2, 8), 9), _m((2, 8), 10)])
       for name in ("fft", "fft2d", "fft3d", "ifft", "ifft2d", "ifft3d", "rfft", "rfft2d",
                    "rfft3d", "irfft", "irfft2d", "irfft3d")},
    "convolution": (lambda x, w: ts.nn.convolution(x, w, [2, 1], "SAME", dilations=[1, 2]),
                    [_m((2, 5, 6, 2)), _m((2, 3, 2, 3), 2)]),
    "conv_transpose": (lambda g, w: ts.nn.conv_transpose(g, w, [2, 5, 6, 2], 2, "SAME"),
                       [_m((2, 3, 3, 3)), _m((2, 3, 2, 3), 2)]),
    "conv_backprop_filter": (lambda x, g: OPS["conv_backprop_filter"].fn(
        x, [2, 3, 2, 3], g, 2, "VALID"), [_m((2, 5, 6, 2)), _m((2, 2, 2, 3), 2)]),
    "depthwise_conv2d": (lambda x, w: ts.nn.depthwise_conv2d(x, w, [1, 2, 1, 1], "SAME",
                                                             dilations=[1, 2]),
                         [_m((2, 5, 6, 2)), _m((2, 3, 2, 2), 2)]),
    "depthwise_conv2d_backprop_input": (lambda w, g: OPS[
        "depthwise_conv2d_backprop_input"].fn([2, 5, 6, 2], w, g, [1, 2, 2, 1], "SAME"),
        [_m((2, 3, 2, 2), 2), _m((2, 3, 3, 4), 3)]),
    "depthwise_conv2d_backprop_filter": (lambda x, g: OPS[
        "depthwise_conv2d_backprop_filter"].fn(x, [2, 3, 2, 2], g, [1, 2, 2, 1], "SAME"),
        [_m((2, 5, 6, 2)), _m((2, 3, 3, 4), 3)]),
    "max_pool": (lambda x: ts.nn.max_pool(x, [2, 3], 2, "SAME"), [_distinct((2, 5, 6, 2))]),
    "max_pool_grad": (lambda g: OPS["max_pool_grad"].fn(_distinct((2, 5, 6, 2)), g, [2, 3], 2,
                                                        "SAME"), [_m((2, 3, 3, 2))]),
    "max_pool_grad_grad": (lambda h: OPS["max_pool_grad_grad"].fn(
        _distinct((2, 5, 6, 2)), h, [2, 3], 2, "SAME"), [_m((2, 5, 6, 2))]),
    "avg_pool": (lambda x: ts.nn.avg_pool(x, [2, 3], 2, "SAME"), [_m((2, 5, 6, 2))]),
    "avg_pool_grad": (lambda g: OPS["avg_pool_grad"].fn([2, 5, 6, 2], g, [2, 3], 2, "SAME"),
                      [_m((2, 3, 3, 2))]),

}


def test_composites_differentiate_through_their_ops():
    check_vjp(lambda x: ts.nn.l2_normalize(x, axis=1), _m((3, 4)))
    check_vjp(lambda x: ts.math.l2_normalize(x), _m((5,)))


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_custom_op_gradient(name):
    fn, arrays = GRAD_CASES[name]
    check_vjp(fn, *arrays)


def test_every_op_declares_its_gradient_and_has_a_check():
    undeclared = sorted(n for n, o in OPS.items() if o.grad is None and o.differentiable
                        is not False)
    assert not undeclared, f"ops neither differentiable nor declared not to be: {undeclared}"
    checked = set(DIFF_UNARY) | set(DIFF_BINARY) | set(DIFF_REDUCE) | set(GRAD_CASES)
    missing = sorted(n for n, o in OPS.items() if o.grad is not None and n not in checked)
    assert not missing, f"differentiable ops without a numerical gradient check: {missing}"


NONDIFF = {
    "floordiv": lambda x: ts.math.floordiv(x, 2.0),
    "round": ts.round, "floor": ts.floor, "ceil": ts.math.ceil,
    "equal": lambda x: ts.cast(ts.equal(x, x), ts.float64),
    "less": lambda x: ts.cast(ts.less(x, 0.5), ts.float64),
    "argmax": lambda x: ts.cast(ts.argmax(x), ts.float64),
    "stop_gradient": ts.stop_gradient,
    "zeros_like": ts.zeros_like, "ones_like": ts.ones_like,
    "shape": lambda x: ts.cast(ts.shape(x), ts.float64),
    "cast to int": lambda x: ts.cast(ts.cast(x, ts.int32), ts.float64),
}


@pytest.mark.parametrize("name", sorted(NONDIFF))
def test_non_differentiable_ops_give_none(name):
    x = ts.constant([[0.3, 1.7], [2.2, -0.4]], ts.float64)
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = NONDIFF[name](x)
    assert tape.gradient(y, x) is None


def test_gradients_nobody_asked_for_are_not_computed(monkeypatch):
    """Matmul and convolution defer each input's gradient: data a tape does not track (the
    x of x @ w, a network's input images) costs nothing in the backward pass."""
    from tensorshell.engine.ops import conv as conv_ops

    def refuse(*args, **kwargs):
        raise AssertionError("computed the gradient of an input no tape tracks")
    x = ts.constant(np.ones((1, 4, 4, 2)))
    w = ts.Variable(np.ones((3, 3, 2, 2)))
    monkeypatch.setattr(conv_ops, "conv_transpose", refuse)
    with ts.GradientTape() as tape:
        y = ts.reduce_sum(ts.nn.conv2d(x, w, 1, "SAME"))
    assert tape.gradient(y, w).shape == (3, 3, 2, 2)
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = ts.reduce_sum(ts.nn.conv2d(x, w, 1, "SAME"))
    with pytest.raises(AssertionError, match="no tape tracks"):
        tape.gradient(y, x)  # now it is wanted, so it is computed
    from tensorshell.engine.ops import linalg
    real_slow = linalg._matmul_slow
    calls = []

    def spy(a, b, **flags):
        calls.append(sorted(k for k, v in flags.items() if v))
        return real_slow(a, b, **flags)
    monkeypatch.setattr(linalg, "_matmul_slow", spy)
    a, b = ts.constant(np.ones((2, 3))), ts.Variable(np.ones((3, 2)))
    with ts.GradientTape() as tape:
        y = ts.reduce_sum(a @ b)
    calls.clear()
    tape.gradient(y, b)
    assert calls == [["adjoint_a"]]  # b's gradient a^H g only, not a's g b^H


def test_shape_parameter_gradients_of_incomplete_functions():
    """igamma's and betainc's gradients in a and b are central differences (about 7
    digits): checked against finite differences at that accuracy."""
    x = np.abs(_m((3, 2), 17)) * 0.2 + 0.1
    check_vjp(lambda a: ts.math.igamma(a, ts.constant(x)), np.abs(_m((3, 2), 18)) + 0.5,
              rtol=1e-5, atol=1e-6)
    check_vjp(lambda a, b: ts.math.betainc(a, b, ts.constant(x)),
              np.abs(_m((3, 2), 19)) + 0.5, np.abs(_m((3, 2), 20)) + 0.5, rtol=1e-5,
              atol=1e-6)
