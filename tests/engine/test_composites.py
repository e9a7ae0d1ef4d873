"""Ops built from other ops (engine/ops/composites.py and l2_normalize): each against a NumPy
reference, its gradient against finite differences (they have none of their own: the tape
sees the ops they call), and the guards TensorFlow documents (0/0, log(0), infinite norms).
A new composite cannot skip this: the coverage test fails until it has a case here."""

import math

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine.ops.registry import COMPOSITES

from . import conv_reference as cref, ctc_reference as ctcref
from .test_gradients import check_vjp
from .test_op_table import _invert

rng = np.random.default_rng(5)
A = rng.uniform(-2, 2, (3, 4))
B = rng.uniform(0.5, 2, (3, 4))


def _tridiagonal(compact):
    """The dense matrix of compact tridiagonal diagonals [3, M] (super, main, sub)."""
    m = compact.shape[-1]
    return np.diag(compact[1]) + np.diag(compact[0, :m - 1], 1) + np.diag(compact[2, 1:], -1)


def _dct_matrix(kind, n, ortho):
    """scipy.fftpack's DCT matrices (the definitions TensorFlow follows)."""
    k, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    if kind == 2:
        m = 2 * np.cos(np.pi * k * (2 * j + 1) / (2 * n))
        if ortho:
            m = m * np.where(k == 0, np.sqrt(1 / (4 * n)), np.sqrt(1 / (2 * n)))
        return m
    return 2 * np.cos(np.pi * (2 * k + 1) * (2 * j + 1) / (4 * n))  # type 4


def _mdct4(signal):
    """The MDCT of 4-sample frames every 2 samples, no window, by its definition
    (TensorFlow's scale: 1/sqrt(2) for the missing window, DCT-IV's factor 2)."""
    frames = np.stack([signal[i:i + 4] for i in range(0, len(signal) - 3, 2)]) / np.sqrt(2)
    n = np.arange(4)[None, :]
    k = np.arange(2)[:, None]
    basis = 2 * np.cos(np.pi / 2 * (n + 0.5 + 1) * (k + 0.5))
    return frames @ basis.T


def _mel(bins, spectrum, rate, lo, hi):
    def mel(f):
        return 1127.0 * np.log(1 + f / 700.0)
    freqs = mel(np.linspace(0, rate / 2, spectrum)[1:])[:, None]
    edges = np.linspace(mel(lo), mel(hi), bins + 2)
    low, mid, top = edges[:-2], edges[1:-1], edges[2:]
    w = np.maximum(0, np.minimum((freqs - low) / (mid - low), (top - freqs) / (top - mid)))
    return np.pad(w, [[1, 0], [0, 0]])


def _kbd(n, beta):
    c = np.cumsum(np.kaiser(n // 2 + 1, beta))
    half = np.sqrt(c[:-1] / c[-1])
    return np.concatenate([half, half[::-1]])


def _logm_spd(m):
    w, v = np.linalg.eigh(m)
    return (v * np.log(w)) @ v.T


def _sqrtm_spd(m):
    w, v = np.linalg.eigh(m)
    return (v * np.sqrt(w)) @ v.T


def _l2n(x, axis=None):
    return x / np.sqrt(np.maximum(np.sum(x * x, axis=axis, keepdims=True), 1e-12))


# name -> (call on float64 tensors, NumPy reference, inputs)
CASES = {
    "l2_normalize": (lambda x: ts.math.l2_normalize(x, axis=1), lambda x: _l2n(x, 1), [A]),
    "add_n": (lambda x, y: ts.add_n([x, y, x]), lambda x, y: 2 * x + y, [A, B]),
    "count_nonzero": (lambda x: ts.math.count_nonzero(x, axis=1),
                      lambda x: np.count_nonzero(x, axis=1), [np.where(A > 0, A, 0)]),
    "reduce_euclidean_norm": (lambda x: ts.math.reduce_euclidean_norm(x, axis=0),
                              lambda x: np.sqrt(np.sum(x * x, axis=0)), [A]),
    "divide_no_nan": (ts.math.divide_no_nan, lambda x, y: np.where(y == 0, 0, x / np.where(
        y == 0, 1, y)), [A, np.where(B > 1, B, 0)]),
    "xlogy": (ts.math.xlogy, lambda x, y: np.where(x == 0, 0, x * np.log(np.where(
        x == 0, 1, y))), [np.where(A > 0, A, 0), B]),
    "log_sigmoid": (ts.math.log_sigmoid, lambda x: -np.logaddexp(0, -x), [A * 30]),
    "erfcinv": (ts.math.erfcinv, np.vectorize(lambda v: _invert(math.erf, 1 - v),
                                              otypes=[float]), [B * 0.9]),
    "xdivy": (ts.math.xdivy, lambda x, y: np.where(x == 0, 0, x / y), [np.where(A > 0, A, 0),
                                                                         B]),
    "xlog1py": (ts.math.xlog1py, lambda x, y: np.where(x == 0, 0, x * np.log1p(y)),
                [np.where(A > 0, A, 0), B]),
    "multiply_no_nan": (ts.math.multiply_no_nan, lambda x, y: np.where(y == 0, 0, x * y),
                        [A, np.where(B > 1, B, 0)]),
    "reciprocal_no_nan": (ts.math.reciprocal_no_nan, lambda x: np.where(
        x == 0, 0, 1 / np.where(x == 0, 1, x)), [np.where(B > 1, B, 0)]),
    "rint": (ts.math.rint, np.round, [A * 3]),
    "polyval": (lambda x, y: ts.math.polyval([x, 2.0, y], x), lambda x, y: x * x * x + 2 * x
                + y, [A, B]),
    "zero_fraction": (lambda x: ts.cast(ts.math.zero_fraction(x), x.dtype) * x,
                      lambda x: np.float32(np.mean(x == 0)) * x, [np.where(A > 0, A, 0)]),
    "is_non_decreasing": (lambda x: ts.cast(ts.math.is_non_decreasing(x), x.dtype) + x,
                          lambda x: float(np.all(np.diff(x.ravel()) >= 0)) + x,
                          [np.sort(A.ravel()).reshape(A.shape)]),
    "is_strictly_increasing": (lambda x: ts.cast(ts.math.is_strictly_increasing(x), x.dtype)
                               + x, lambda x: float(np.all(np.diff(x.ravel()) > 0)) + x, [A]),
    "invert_permutation": (lambda x: ts.gather(x, ts.math.invert_permutation([2, 0, 1])),
                           lambda x: x[[1, 2, 0]], [A]),
    "accumulate_n": (lambda x, y: ts.math.accumulate_n([x, y, x]), lambda x, y: 2 * x + y,
                     [A, B]),
    "scalar_mul": (lambda x: ts.scalar_mul(2.5, x), lambda x: 2.5 * x, [A]),
    "searchsorted": (lambda x: x * ts.cast(ts.searchsorted(ts.sort(x), x), x.dtype),
                     lambda x: x * np.stack([np.searchsorted(np.sort(r), r) for r in x]), [A]),
    "histogram_fixed_width_bins": (lambda x: x * ts.cast(ts.histogram_fixed_width_bins(
        x, [-1., 1.], nbins=4), x.dtype), lambda x: x * np.clip(np.floor((x + 1) / 2 * 4), 0, 3),
        [A]),
    "histogram_fixed_width": (lambda x: ts.cast(ts.histogram_fixed_width(x, [-1., 1.], 4),
                                                x.dtype) * x[0],
                              lambda x: np.bincount(np.clip(np.floor((x.ravel() + 1) / 2 * 4),
                                                            0, 3).astype(int), minlength=4)
                              * x[0], [A]),
    "unravel_index": (lambda x: x * ts.cast(ts.unravel_index([5, 7, 2, 11], [3, 4])[1],
                                            x.dtype), lambda x: x * np.array([1, 3, 2, 3]),
                      [A]),
    "dynamic_partition": (lambda x: ts.concat(ts.dynamic_partition(x, [1, 0, 1], 2), 0),
                          lambda x: x[[1, 0, 2]], [A]),
    "dynamic_stitch": (lambda x, y: ts.dynamic_stitch([[0, 2], [1, 2]], [x[:2], y[:2]]),
                       lambda x, y: np.stack([x[0], y[0], y[1]]), [A, B]),
    "reverse_sequence": (lambda x: ts.reverse_sequence(x, [2, 4, 0], seq_axis=1,
                                                       batch_axis=0),
                         lambda x: np.stack([np.concatenate([r[:n][::-1], r[n:]]) for r, n in
                                             zip(x, [2, 4, 0])]), [A]),
    "space_to_depth": (lambda x: ts.nn.space_to_depth(ts.reshape(x, [1, 2, 2, 3]), 2),
                       lambda x: x.reshape(1, 2, 2, 3).reshape(1, 1, 2, 1, 2, 3).transpose(
                           0, 1, 3, 2, 4, 5).reshape(1, 1, 1, 12), [A]),
    "depth_to_space": (lambda x: ts.nn.depth_to_space(ts.reshape(x, [1, 1, 3, 4]), 2),
                       lambda x: x.reshape(1, 1, 3, 2, 2, 1).transpose(0, 1, 3, 2, 4, 5)
                       .reshape(1, 2, 6, 1), [A]),
    "space_to_batch_nd": (lambda x: ts.space_to_batch_nd(ts.reshape(x, [1, 3, 4]), [2],
                                                         [[1, 0]]),
                          lambda x: np.pad(x, [[1, 0], [0, 0]]).reshape(2, 2, 4).transpose(
                              1, 0, 2), [A]),
    "space_to_batch": (lambda x: ts.space_to_batch(ts.reshape(x, [1, 3, 4]), [2], [[0, 1]]),
                       lambda x: np.pad(x, [[0, 1], [0, 0]]).reshape(2, 2, 4).transpose(
                           1, 0, 2), [A]),
    "batch_to_space": (lambda x: ts.batch_to_space(ts.reshape(x, [3, 2, 2]), [3], [[1, 2]]),
                       lambda x: x.reshape(3, 2, 2).transpose(1, 0, 2).reshape(1, 6, 2)
                       [:, 1:4], [A]),
    "strided_slice": (lambda x: ts.strided_slice(x, [0, 3], [0, 0], [1, -2], begin_mask=1,
                                                 end_mask=3), lambda x: x[:, ::-2], [A]),
    "lu_reconstruct": (lambda x: ts.linalg.lu_reconstruct(*ts.linalg.lu(x[:, :3])),
                       lambda x: x[:, :3], [A]),
    "lu_solve": (lambda x, y: ts.linalg.lu_solve(*ts.linalg.lu(x[:, :3]), y[:, :2]),
                 lambda x, y: np.linalg.solve(x[:, :3], y[:, :2]), [A, B]),
    "lu_matrix_inverse": (lambda x: ts.linalg.lu_matrix_inverse(*ts.linalg.lu(x[:, :3])),
                          lambda x: np.linalg.inv(x[:, :3]), [A]),
    "normalize": (lambda x: ts.linalg.normalize(x, axis=1)[0] * ts.linalg.normalize(x)[1],
                  lambda x: x / np.linalg.norm(x, axis=1, keepdims=True) * np.linalg.norm(x),
                  [A]),
    "tensor_diag": (lambda x: ts.linalg.tensor_diag(x[:2, :2]),
                    lambda x: np.einsum("ij,ik,jl->ijkl", x[:2, :2], np.eye(2), np.eye(2)),
                    [A]),
    "tensor_diag_part": (lambda x: ts.linalg.tensor_diag_part(ts.reshape(
        ts.tile(x[:2, :2], [2, 2]), [2, 2, 2, 2])), lambda x: np.tile(x[:2, :2], (2, 2))
        .reshape(2, 2, 2, 2)[[0, 0, 1, 1], [0, 1, 0, 1], [0, 0, 1, 1], [0, 1, 0, 1]]
        .reshape(2, 2), [A]),
    "tridiagonal_solve": (lambda x, y: ts.linalg.tridiagonal_solve(x + 3, y[0]),
                          lambda x, y: np.linalg.solve(_tridiagonal(x + 3), y[0]), [A, B]),
    "tridiagonal_matmul": (lambda x, y: ts.linalg.tridiagonal_matmul(x, y[:, :2]),
                           lambda x, y: _tridiagonal(x) @ y[:, :2], [A[:, :3], B]),
    "banded_triangular_solve": (lambda x, y: ts.linalg.banded_triangular_solve(
        ts.concat([x[:1, :3] + 3, x[1:2, :3]], 0), y[:, :2]),
        lambda x, y: np.linalg.solve(np.diag(x[0, :3] + 3) + np.diag(x[1, 1:3], -1),
                                     y[:, :2]), [A, B]),
    "sqrtm": (lambda x: ts.linalg.sqrtm(ts.matmul(x[:, :3], x[:, :3], transpose_b=True)
                                        + 3 * ts.eye(3, dtype=x.dtype)),
              lambda x: _sqrtm_spd(x[:, :3] @ x[:, :3].T + 3 * np.eye(3)), [A]),
    "dct": (lambda x: ts.signal.dct(x, norm="ortho") + ts.signal.dct(x, type=4),
            lambda x: x @ _dct_matrix(2, 4, True).T + x @ _dct_matrix(4, 4, False).T, [A]),
    "idct": (lambda x: ts.signal.idct(x, type=3), lambda x: x @ _dct_matrix(2, 4, False).T,
             [A]),
    "mfccs_from_log_mel_spectrograms": (
        ts.signal.mfccs_from_log_mel_spectrograms,
        lambda x: x @ _dct_matrix(2, 4, False).T / np.sqrt(8), [A]),
    "linear_to_mel_weight_matrix": (
        lambda x: ts.matmul(x, ts.signal.linear_to_mel_weight_matrix(
            2, 4, 1000, 100., 400., dtype=x.dtype)) + 1,
        lambda x: x @ _mel(2, 4, 1000, 100., 400.) + 1, [A]),
    "kaiser_window": (lambda x: x[0] * ts.signal.kaiser_window(4, 3., dtype=x.dtype),
                      lambda x: x[0] * np.kaiser(4, 3.), [A]),
    "kaiser_bessel_derived_window": (
        lambda x: x[0] * ts.signal.kaiser_bessel_derived_window(4, 3., dtype=x.dtype),
        lambda x: x[0] * _kbd(4, 3.), [A]),
    "vorbis_window": (lambda x: x[0] * ts.signal.vorbis_window(4, dtype=x.dtype),
                      lambda x: x[0] * np.sin(np.pi / 2 * np.sin(np.pi / 4 * (np.arange(4)
                                                                              + 0.5)) ** 2),
                      [A]),
    "fftnd": (lambda x: ts.math.real(ts.signal.fftnd(ts.complex(x, x * 0.5))) + 5,
              lambda x: np.real(np.fft.fftn(x + 0.5j * x)) + 5, [A]),
    "ifftnd": (lambda x: ts.math.imag(ts.signal.ifftnd(ts.complex(x, x * 0), axes=[0])) + 5,
               lambda x: np.imag(np.fft.ifft(x, axis=0)) + 5, [A]),
    "rfftnd": (lambda x: ts.math.real(ts.signal.rfftnd(x)) + 5,
               lambda x: np.real(np.fft.rfftn(x)) + 5, [A]),
    "irfftnd": (lambda x: ts.signal.irfftnd(ts.complex(x, x * 0), fft_length=[3, 6]) + 5,
                lambda x: np.fft.irfftn(x + 0j, [3, 6], axes=[0, 1]) + 5, [A]),
    "mdct": (lambda x: ts.signal.mdct(ts.reshape(x, [-1]), 4, window_fn=None) + 3,
             lambda x: _mdct4(x.reshape(-1)) + 3, [A]),
    "inverse_mdct": (lambda x: ts.signal.inverse_mdct(ts.signal.mdct(ts.reshape(x, [-1]),
                                                                     4))[2:-2],
                     lambda x: x.reshape(-1)[2:-2], [A]),
    "logm": (lambda x: ts.math.real(ts.linalg.logm(ts.complex(
        ts.matmul(x[:, :3], x[:, :3], transpose_b=True) + 3 * ts.eye(3, dtype=x.dtype),
        ts.zeros([3, 3], x.dtype)))),
        lambda x: _logm_spd(x[:, :3] @ x[:, :3].T + 3 * np.eye(3)), [A]),
    "identity_n": (lambda x, y: ts.identity_n([x, y])[0] * ts.identity_n([y])[0],
                   lambda x, y: x * y, [A, B]),
    "shape_n": (lambda x, y: x * ts.cast(ts.reduce_prod(ts.shape_n([x, y[0]])[0]), x.dtype)
                + ts.cast(ts.shape_n([y])[0][1], x.dtype), lambda x, y: x * 12 + 4, [A, B]),
    "broadcast_dynamic_shape": (lambda x: ts.broadcast_to(x[:1], ts.broadcast_dynamic_shape(
        [1, 4], ts.shape(x))), lambda x: np.broadcast_to(x[:1], x.shape), [A]),
    "leaky_relu": (lambda x: ts.nn.leaky_relu(x, 0.1), lambda x: np.where(x > 0, x, 0.1 * x),
                   [A]),
    "silu": (lambda x: ts.nn.silu(x, beta=1.5), lambda x: x / (1 + np.exp(-1.5 * x)), [A]),
    "moments": (lambda x: ts.nn.moments(x, axes=[0])[1], lambda x: np.var(x, axis=0), [A]),
    "batch_normalization": (lambda x, y: ts.nn.batch_normalization(x, 0.5, y, 1.0, 2.0, 1e-3),
                            lambda x, y: (x - 0.5) / np.sqrt(y + 1e-3) * 2.0 + 1.0, [A, B]),
    "clip_by_norm": (lambda x: ts.clip_by_norm(x, 1.5, axes=[1]),
                     lambda x: x * 1.5 / np.maximum(np.sqrt(np.sum(x * x, 1, keepdims=True)),
                                                    1.5), [A]),
    "global_norm": (lambda x, y: ts.linalg.global_norm([x, None, y]),
                    lambda x, y: np.sqrt(np.sum(x * x) + np.sum(y * y)), [A, B]),
    "meshgrid": (lambda x, y: ts.meshgrid(x, y)[0] * ts.meshgrid(x, y)[1]
                 + ts.transpose(ts.meshgrid(x, y, indexing="ij")[0]),
                 lambda x, y: np.meshgrid(x, y)[0] * np.meshgrid(x, y)[1]
                 + np.meshgrid(x, y, indexing="ij")[0].T, [A[0], B[:, 0]]),
    "dropout": (lambda x: ts.nn.dropout(x, 0.0) + ts.nn.dropout(x, 0.5, seed=1) * 0,
                lambda x: x, [A]),
    "slice": (lambda x: ts.slice(x, [1, 1], [2, -1]), lambda x: x[1:3, 1:], [A]),
    "saturate_cast": (lambda x: ts.saturate_cast(x * 1e38, ts.float16),
                      lambda x: np.clip(x * 1e38, -65504, 65504), [A]),
    "ensure_shape": (lambda x: ts.ensure_shape(x, [None, 4]), lambda x: x, [A]),
    "softsign": (ts.math.softsign, lambda x: x / (1 + np.abs(x)), [A]),
    "segment_sum": (lambda x: ts.math.segment_sum(x, [0, 0, 2]),
                    lambda x: np.stack([x[0] + x[1], 0 * x[0], x[2]]), [A]),
    "segment_mean": (lambda x: ts.math.segment_mean(x, [0, 0, 2]),
                     lambda x: np.stack([(x[0] + x[1]) / 2, 0 * x[0], x[2]]), [A]),
    "segment_max": (lambda x: ts.math.segment_max(x, [0, 0, 2]),
                    lambda x: np.stack([np.maximum(x[0], x[1]), 0 * x[0], x[2]]), [A]),
    "segment_min": (lambda x: ts.math.segment_min(x, [0, 0, 2]),
                    lambda x: np.stack([np.minimum(x[0], x[1]), 0 * x[0], x[2]]), [A]),
    "segment_prod": (lambda x: ts.math.segment_prod(x, [0, 0, 2]),
                     lambda x: np.stack([x[0] * x[1], 0 * x[0] + 1, x[2]]), [A]),
    "unsorted_segment_sqrt_n": (lambda x: ts.math.unsorted_segment_sqrt_n(x, [2, 0, 2], 3),
                                lambda x: np.stack([x[1], 0 * x[0], (x[0] + x[2]) / np.sqrt(2)]),
                                [A]),
    "unsorted_segment_mean": (lambda x: ts.math.unsorted_segment_mean(x, [2, 0, 2], 3),
                              lambda x: np.stack([x[1], 0 * x[0], (x[0] + x[2]) / 2]), [A]),
    "matvec": (lambda m, v: ts.linalg.matvec(m, v[0, :4]), lambda m, v: m @ v[0, :4], [A, B]),
    "adjoint": (ts.linalg.adjoint, lambda x: x.T, [A]),
    "band_part": (lambda x: ts.linalg.band_part(x, 0, 1),
                  lambda x: np.triu(np.tril(x, 1)), [A]),
    "logdet": (lambda m: ts.linalg.logdet(m @ ts.linalg.adjoint(m) + ts.eye(3, dtype=m.dtype)),
               lambda m: np.linalg.slogdet(m @ m.T + np.eye(3))[1], [A]),
    "bias_add": (lambda x, b: ts.nn.bias_add(x, b[0]), lambda x, b: x + b[0], [A, B]),
    "embedding_lookup": (lambda p: ts.nn.embedding_lookup(p, [2, 0, 2]),
                         lambda p: p[[2, 0, 2]], [A]),
    "weighted_cross_entropy_with_logits": (
        lambda z, x: ts.nn.weighted_cross_entropy_with_logits(z, x, 3.0),
        lambda z, x: z * -np.log(1 / (1 + np.exp(-x))) * 3 + (1 - z) * -np.log(
            1 - 1 / (1 + np.exp(-x))), [B / 2, A]),
    "compute_average_loss": (lambda x: ts.nn.compute_average_loss(x[:, 0], global_batch_size=6),
                             lambda x: np.sum(x[:, 0]) / 6, [A]),
    "confusion_matrix": (
        lambda x: ts.math.confusion_matrix([0, 2, 2], [1, 2, 2], weights=x[0, :3]),
        lambda x: np.array([[0, x[0, 0], 0], [0, 0, 0], [0, 0, x[0, 1] + x[0, 2]]]), [A]),
    "bincount": (lambda x: ts.math.bincount([2, 0, 2], weights=x[0, :3], minlength=4),
                 lambda x: np.array([x[0, 1], 0, x[0, 0] + x[0, 2], 0]), [A]),
    "in_top_k": (lambda x: ts.cast(ts.math.in_top_k([0, 1, 3], x, 2), x.dtype),
                 lambda x: np.array([(x[i] > x[i, t]).sum() < 2 for i, t in
                                     enumerate([0, 1, 3])], float), [A]),
    "top_k": (lambda x: ts.math.top_k(x, 2).values,
              lambda x: -np.sort(-x, axis=-1)[..., :2], [A]),
    "clip_by_global_norm": (lambda x, y: ts.clip_by_global_norm([x, y], 2.0)[0][1],
                            lambda x, y: y * 2.0 / max(np.sqrt(np.sum(x * x) + np.sum(y * y)),
                                                       2.0), [A, B]),
}

# convolutions and pooling under TensorFlow's rank-specific names: A as an image with one
# channel (1-d: 3 sequences, 3-d: one volume), B's first entries as the filter
_IMG = {1: (3, 4, 1), 2: (1, 3, 4, 1), 3: (1, 1, 3, 4, 1)}
_KERNEL = {1: (2,), 2: (2, 2), 3: (1, 2, 2)}


def _shaped(x, shape):
    if isinstance(x, ts.Tensor):
        return ts.reshape(ts.reshape(x, [-1])[:int(np.prod(shape))], shape)
    return x.reshape(-1)[:int(np.prod(shape))].reshape(shape)


for _n in (1, 2, 3):
    _ones = (1,) * _n
    _conv, _tr = getattr(ts.nn, f"conv{_n}d"), getattr(ts.nn, f"conv{_n}d_transpose")
    _w, _wt = _KERNEL[_n] + (1, 2), _KERNEL[_n] + (2, 1)   # 1 -> 2 channels, and back
    _out = _IMG[_n][:-1] + (2,)
    CASES[f"conv{_n}d"] = (
        lambda x, w, n=_n, f=_conv, ws=_w: f(_shaped(x, _IMG[n]), _shaped(w, ws), 1, "SAME"),
        lambda x, w, n=_n, ws=_w, o=_ones: cref.conv(_shaped(x, _IMG[n]), _shaped(w, ws), o,
                                                    "SAME", o), [A, B])
    CASES[f"conv{_n}d_transpose"] = (
        lambda x, w, n=_n, f=_tr, ws=_wt, out=_out: f(_shaped(x, _IMG[n]), _shaped(w, ws),
                                                      out, 1),
        lambda x, w, n=_n, ws=_wt, out=_out, o=_ones: cref.conv_input_grad(
            _shaped(x, _IMG[n]), _shaped(w, ws), out, o, "SAME", o), [A, B])
    for _kind in ("max", "avg"):
        CASES[f"{_kind}_pool{_n}d"] = (
            lambda x, n=_n, f=getattr(ts.nn, f"{_kind}_pool{_n}d"): f(_shaped(x, _IMG[n]), 2, 1,
                                                                     "SAME"),
            lambda x, n=_n, k=_kind: cref.pool(_shaped(x, _IMG[n]), (2,) * n, (1,) * n, "SAME",
                                               k), [A])
_SPD = A[:, :3] @ A[:, :3].T + 3 * np.eye(3)
CASES.update({
    "set_diag": (lambda x: ts.linalg.set_diag(x, x[0, :3] * 2),
                 lambda x: x - np.diag(np.diag(x)).dot(np.eye(3, 4)) + np.eye(3, 4)
                 * np.concatenate([x[0, :3] * 2, [0]]), [A]),
    "cholesky_solve": (lambda x: ts.linalg.cholesky_solve(
        ts.linalg.cholesky(ts.constant(_SPD.astype(x.dtype.as_numpy_dtype))), x[:, :2]),
        lambda x: np.linalg.solve(_SPD, x[:, :2]), [A]),
    "lstsq": (lambda x: ts.linalg.lstsq(x[:, :2], x[:, 2:]) + ts.reduce_sum(
        ts.linalg.lstsq(ts.transpose(x[:, :2]), x[:2, :1])),
        lambda x: np.linalg.lstsq(x[:, :2], x[:, 2:], rcond=None)[0] + np.sum(
            np.linalg.lstsq(x[:, :2].T, x[:2, :1], rcond=None)[0]), [A]),
    "pinv": (ts.linalg.pinv, np.linalg.pinv, [A]),
    "matrix_rank": (lambda x: ts.linalg.matrix_rank(x[:, :2] @ ts.transpose(x[:, :2])),
                    lambda x: np.linalg.matrix_rank(x[:, :2] @ x[:, :2].T), [A]),
    "cross": (lambda x, y: ts.linalg.cross(x[:, :3], y[:, 1:]),
              lambda x, y: np.cross(x[:, :3], y[:, 1:]), [A, B]),
})
def _frames(x, length, step):
    n = 1 + (x.shape[-1] - length) // step
    return np.stack([x[..., i * step:i * step + length] for i in range(n)], axis=-2)


def _overlap_add(frames, step):
    length = frames.shape[-1]
    total = (frames.shape[-2] - 1) * step + length
    out = np.zeros(frames.shape[:-2] + (total,))
    for i in range(frames.shape[-2]):
        out[..., i * step:i * step + length] += frames[..., i, :]
    return out


def _hann(n):
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / (n if n % 2 == 0 else n - 1))


CASES.update({
    "fftshift": (ts.signal.fftshift, np.fft.fftshift, [A]),
    "ifftshift": (lambda x: ts.signal.ifftshift(x, axes=1),
                  lambda x: np.fft.ifftshift(x, axes=1), [A]),
    "hann_window": (lambda x: x[0] * ts.signal.hann_window(4, dtype=x.dtype),
                    lambda x: x[0] * _hann(4), [A]),
    "hamming_window": (lambda x: x[0] * ts.signal.hamming_window(4, dtype=x.dtype),
                       lambda x: x[0] * (0.54 - 0.46 * np.cos(np.pi * np.arange(4) / 2)), [A]),
    "frame": (lambda x: ts.signal.frame(x, 2, 1), lambda x: _frames(x, 2, 1), [A]),
    "overlap_and_add": (lambda x: ts.signal.overlap_and_add(x, 2),
                        lambda x: _overlap_add(x, 2), [A]),
    "stft": (lambda x: ts.math.real(ts.signal.stft(x, 2, 1, fft_length=2)),
             lambda x: np.real(np.fft.rfft(_frames(x, 2, 1) * _hann(2), 2)), [A]),
    "inverse_stft": (lambda x: ts.signal.inverse_stft(ts.complex(x, x * 0), 3, 1, 4),
                     lambda x: _overlap_add(np.fft.irfft(x, 4)[..., :3] * _hann(3), 1), [A]),
    "inverse_stft_window_fn": (
        lambda x: x[0, :2] * ts.signal.inverse_stft_window_fn(1)(2, x.dtype),
        lambda x: x[0, :2] * _hann(2) / np.sum(_hann(2) ** 2), [A]),
})
# atrous: 2x2 filters with rate 2 on the 3x4 image
CASES["atrous_conv2d"] = (
    lambda x, w: ts.nn.atrous_conv2d(_shaped(x, _IMG[2]), _shaped(w, (2, 2, 1, 2)), 2, "SAME"),
    lambda x, w: cref.conv(_shaped(x, _IMG[2]), _shaped(w, (2, 2, 1, 2)), (1, 1), "SAME",
                           (2, 2)), [A, B])
CASES["atrous_conv2d_transpose"] = (
    lambda x, w: ts.nn.atrous_conv2d_transpose(_shaped(x, (1, 1, 2, 1)),
                                               _shaped(w, (2, 2, 2, 1)), (1, 3, 4, 2), 2,
                                               "VALID"),
    lambda x, w: cref.conv_input_grad(_shaped(x, (1, 1, 2, 1)), _shaped(w, (2, 2, 2, 1)),
                                      (1, 3, 4, 2), (1, 1), "VALID", (2, 2)), [A, B])
CASES["separable_conv2d"] = (
    lambda x, w: ts.nn.separable_conv2d(ts.reshape(x, [1, 3, 4, 1]),
                                        ts.reshape(w[:2, :2], [2, 2, 1, 1]),
                                        ts.reshape(w[2, :2], [1, 1, 1, 2]), [1, 1, 1, 1],
                                        "SAME"),
    lambda x, w: cref.conv(cref.depthwise(x.reshape(1, 3, 4, 1), w[:2, :2].reshape(2, 2, 1, 1),
                                          (1, 1), "SAME", (1, 1)),
                           w[2, :2].reshape(1, 1, 1, 2), (1, 1), "VALID", (1, 1)), [A, B])
def _expm_symmetric(x):
    e, v = np.linalg.eigh(x)
    return (v * np.exp(e)) @ v.T


CASES["expm"] = (lambda x: ts.linalg.expm(x[:, :3] + ts.transpose(x[:, :3])),
                 lambda x: _expm_symmetric(x[:, :3] + x[:, :3].T), [A])
CASES["lbeta"] = (ts.math.lbeta, lambda x: np.sum(np.vectorize(math.lgamma)(x), -1)
                  - np.vectorize(math.lgamma)(np.sum(x, -1)), [B])
# images: a batch of two 3x4 RGB images in [0, 1]
IMG = rng.uniform(0, 1, (2, 3, 4, 3))


def _bilinear_axis(x, axis, out):
    n = x.shape[axis]
    pos = np.clip((np.arange(out) + 0.5) * n / out - 0.5, 0, n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    w = (pos - lo).reshape([-1 if a == axis % x.ndim else 1 for a in range(x.ndim)])
    return np.take(x, lo, axis) * (1 - w) + np.take(x, hi, axis) * w


_YIQ = ((0.299, 0.59590059, 0.2115), (0.587, -0.27455667, -0.52273617),
        (0.114, -0.32134392, 0.31119955))
_YUV = ((0.299, -0.14714119, 0.61497538), (0.587, -0.28886916, -0.51496512),
        (0.114, 0.43601035, -0.10001026))
_YIQ_INV = ((1, 1, 1), (0.95598634, -0.27201283, -1.10674021),
            (0.6208248, -0.64720424, 1.70423049))
_YUV_INV = ((1, 1, 1), (0, -0.394642334, 2.03206185), (1.13988303, -0.58062185, 0))


def _hsv(x):
    import colorsys
    flat = x.reshape(-1, 3)
    return np.array([colorsys.rgb_to_hsv(*p) for p in flat]).reshape(x.shape)


def _rgb_from_hsv(x):
    import colorsys
    flat = x.reshape(-1, 3)
    return np.array([colorsys.hsv_to_rgb(*p) for p in flat]).reshape(x.shape)


def _shift_hue(hsv, delta):
    out = hsv.copy()
    out[..., 0] = np.mod(out[..., 0] + delta, 1.0)
    return out


_BOXES = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [2, 2, 3, 3]], np.float32)


def _msssim_1x1(x, y):
    """Two-scale MS-SSIM with a 1x1 window: the square root of the mean luminance term of
    the images halved by 2x2 averaging (odd sizes mirrored first)."""
    def halve(v):
        v = np.pad(v, [(0, 0), (0, v.shape[1] % 2), (0, v.shape[2] % 2), (0, 0)],
                   mode="symmetric")
        return (v[:, ::2, ::2] + v[:, 1::2, ::2] + v[:, ::2, 1::2] + v[:, 1::2, 1::2]) / 4
    x, y = halve(x), halve(y)
    lum = (2 * x * y + 0.01 ** 2) / (x ** 2 + y ** 2 + 0.01 ** 2)
    return np.sqrt(np.maximum(lum.mean(axis=(1, 2)), 0)).mean(-1)


def _ssim3(x, y):
    """SSIM with a 3x3 Gaussian window (sigma 1.5), written out in NumPy."""
    g = np.exp(-0.5 * (np.arange(3) - 1.0) ** 2 / 1.5 ** 2)
    k = np.outer(g, g) / np.outer(g, g).sum()

    def blur(v):
        h, w = v.shape[1] - 2, v.shape[2] - 2
        return sum(k[i, j] * v[:, i:i + h, j:j + w] for i in range(3) for j in range(3))
    mx, my = blur(x), blur(y)
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    lum = (2 * mx * my + c1) / (mx ** 2 + my ** 2 + c1)
    cs = (2 * blur(x * y) - 2 * mx * my + c2) / (blur(x * x + y * y) - mx ** 2 - my ** 2 + c2)
    return (lum * cs).mean(axis=(1, 2)).mean(-1)


def _sobel(x):
    padded = np.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    ky = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    kx = ky.T
    h, w = x.shape[1:3]
    out = np.zeros(x.shape + (2,))
    for i in range(3):
        for j in range(3):
            window = padded[:, i:i + h, j:j + w]
            out[..., 0] += ky[i, j] * window
            out[..., 1] += kx[i, j] * window
    return out


def _standardized(x):
    m = x.mean(axis=(1, 2, 3), keepdims=True)
    sd = x.std(axis=(1, 2, 3), keepdims=True)
    return (x - m) / np.maximum(sd, 1 / np.sqrt(36))


CASES.update({
    "flip_left_right": (ts.image.flip_left_right, lambda x: x[:, :, ::-1], [IMG]),
    "flip_up_down": (ts.image.flip_up_down, lambda x: x[:, ::-1], [IMG]),
    "random_flip_left_right": (lambda x: ts.image.random_flip_left_right(x, seed=3) * 0
                               + x, lambda x: x, [IMG]),
    "random_flip_up_down": (lambda x: ts.image.random_flip_up_down(x, seed=3) * 0 + x,
                            lambda x: x, [IMG]),
    "transpose": (ts.image.transpose, lambda x: x.transpose(0, 2, 1, 3), [IMG]),
    "rot90": (ts.image.rot90, lambda x: np.rot90(x, 1, axes=(1, 2)), [IMG]),
    "crop_to_bounding_box": (lambda x: ts.image.crop_to_bounding_box(x, 1, 1, 2, 2),
                             lambda x: x[:, 1:3, 1:3], [IMG]),
    "pad_to_bounding_box": (lambda x: ts.image.pad_to_bounding_box(x, 1, 0, 5, 6),
                            lambda x: np.pad(x, [(0, 0), (1, 1), (0, 2), (0, 0)]), [IMG]),
    "central_crop": (lambda x: ts.image.central_crop(x, 0.5), lambda x: x[:, 0:3, 1:3],
                     [IMG]),
    "resize_with_crop_or_pad": (lambda x: ts.image.resize_with_crop_or_pad(x, 5, 2),
                                lambda x: np.pad(x[:, :, 1:3], [(0, 0), (1, 1), (0, 0),
                                                                (0, 0)]), [IMG]),
    "random_crop": (lambda x: ts.image.random_crop(x, [2, 3, 4, 3]), lambda x: x, [IMG]),
    # A as 3 frames of 4 classes (the third row doubled, for a second batch entry)
    "ctc_loss": (lambda x: ts.nn.ctc_loss([[1, 2], [3, 3]], ts.stack([x, x * 2], 1),
                                          [2, 1], [3, 2]),
                 lambda x: ctcref.ctc_loss([[1, 2], [3, 3]], np.stack([x, x * 2], 1), [2, 1],
                                           [3, 2]), [A]),
    "ctc_greedy_decoder": (lambda x: ts.nn.ctc_greedy_decoder(x[:, None], [3])[1],
                           lambda x: -x.max(axis=1).sum(keepdims=True)[None], [A]),
    # a beam wide enough for every prefix: the exact probability of the likeliest labelling
    "ctc_beam_search_decoder": (
        lambda x: ts.nn.ctc_beam_search_decoder(x[:, None], [3], beam_width=64)[1],
        lambda x: np.log([[max(ctcref.labelling_probabilities(x, 3).values())]]), [A]),
    "resize": (lambda x: ts.image.resize(x, [5, 3]),
               lambda x: _bilinear_axis(_bilinear_axis(x, 1, 5), 2, 3), [IMG]),
    "convert_image_dtype": (lambda x: ts.image.convert_image_dtype(x, x.dtype), lambda x: x,
                            [IMG]),
    "rgb_to_grayscale": (ts.image.rgb_to_grayscale,
                         lambda x: x @ np.array([[0.2989], [0.5870], [0.1140]]), [IMG]),
    "grayscale_to_rgb": (lambda x: ts.image.grayscale_to_rgb(x[..., :1]),
                         lambda x: np.repeat(x[..., :1], 3, -1), [IMG]),
    "adjust_brightness": (lambda x: ts.image.adjust_brightness(x, 0.25), lambda x: x + 0.25,
                          [IMG]),
    "adjust_contrast": (lambda x: ts.image.adjust_contrast(x, 1.5) + 1,  # away from 0
                        lambda x: (x - x.mean((1, 2), keepdims=True)) * 1.5
                        + x.mean((1, 2), keepdims=True) + 1, [IMG]),
    "per_image_standardization": (ts.image.per_image_standardization, _standardized, [IMG]),
    "rgb_to_hsv": (ts.image.rgb_to_hsv, _hsv, [IMG]),
    "hsv_to_rgb": (ts.image.hsv_to_rgb, _rgb_from_hsv, [IMG]),
    "adjust_hue": (lambda x: ts.image.adjust_hue(x, 0.3) + 1,
                   lambda x: _rgb_from_hsv(_shift_hue(_hsv(x), 0.3)) + 1, [IMG]),
    "adjust_saturation": (lambda x: ts.image.adjust_saturation(x, 0.5) + 1,
                          lambda x: _rgb_from_hsv(_hsv(x) * [1, 0.5, 1]) + 1, [IMG]),
    "adjust_gamma": (lambda x: ts.image.adjust_gamma(x, 2.0, 0.8), lambda x: 0.8 * x ** 2,
                     [IMG]),
    "rgb_to_yiq": (ts.image.rgb_to_yiq, lambda x: x @ np.array(_YIQ), [IMG]),
    "yiq_to_rgb": (lambda x: ts.image.yiq_to_rgb(x) + 3, lambda x: x @ np.array(_YIQ_INV) + 3,
                   [IMG]),
    "rgb_to_yuv": (lambda x: ts.image.rgb_to_yuv(x) + 1, lambda x: x @ np.array(_YUV) + 1,
                   [IMG]),
    "yuv_to_rgb": (lambda x: ts.image.yuv_to_rgb(x) + 3, lambda x: x @ np.array(_YUV_INV) + 3,
                   [IMG]),
    "psnr": (lambda x, y: ts.cast(ts.image.psnr(x, y, 1.0), x.dtype),
             lambda x, y: 10 * np.log10(1 / np.mean((x - y) ** 2, axis=(1, 2, 3))),
             [IMG, IMG[::-1]]),
    "total_variation": (ts.image.total_variation,
                        lambda x: np.abs(np.diff(x, axis=1)).sum((1, 2, 3))
                        + np.abs(np.diff(x, axis=2)).sum((1, 2, 3)), [IMG]),
    "image_gradients": (lambda x: ts.image.image_gradients(x)[0] * 2
                        + ts.image.image_gradients(x)[1],
                        lambda x: 2 * np.pad(np.diff(x, axis=1), [[0, 0], [0, 1], [0, 0],
                                                                  [0, 0]])
                        + np.pad(np.diff(x, axis=2), [[0, 0], [0, 0], [0, 1], [0, 0]]),
                        [IMG]),
    "sobel_edges": (lambda x: ts.image.sobel_edges(x) + 10, lambda x: _sobel(x) + 10, [IMG]),
    "resize_with_pad": (lambda x: ts.image.resize_with_pad(x, 3, 8),
                        lambda x: np.pad(x, [[0, 0], [0, 0], [2, 2], [0, 0]]), [IMG]),
    "random_brightness": (lambda x: ts.image.random_brightness(x, 0.2, seed=1) * 0 + x,
                          lambda x: x, [IMG]),
    "random_contrast": (lambda x: ts.image.random_contrast(x, 0.5, 1.5, seed=1) * 0 + x,
                        lambda x: x, [IMG]),
    "random_hue": (lambda x: ts.image.random_hue(x, 0.2, seed=1) * 0 + x, lambda x: x, [IMG]),
    "random_saturation": (lambda x: ts.image.random_saturation(x, 0.5, 1.5, seed=1) * 0 + x,
                          lambda x: x, [IMG]),
    "stateless_random_brightness": (
        lambda x: ts.image.stateless_random_brightness(x, 0.2, seed=[1, 2]),
        lambda x: x + (float(ts.random.stateless_uniform([], [1, 2], -0.2, 0.2))), [IMG]),
    "stateless_random_contrast": (
        lambda x: ts.image.stateless_random_contrast(x, 1.0, 1.0 + 1e-9, seed=[1, 2]) + 1,
        lambda x: x + 1, [IMG]),
    "stateless_random_hue": (  # the hue turned by the seed's draw
        lambda x: ts.image.stateless_random_hue(x, 0.2, seed=[1, 2]) + 1,
        lambda x: _rgb_from_hsv(_shift_hue(_hsv(x), float(ts.random.stateless_uniform(
            [], [1, 2], -0.2, 0.2)))) + 1, [IMG]),
    "stateless_random_saturation": (
        lambda x: ts.image.stateless_random_saturation(x, 0.5, 0.9, seed=[1, 2]) + 1,
        lambda x: _rgb_from_hsv(np.clip(_hsv(x) * [1, float(ts.random.stateless_uniform(
            [], [1, 2], 0.5, 0.9)), 1], 0, 1)) + 1, [IMG]),
    "ssim": (lambda x, y: ts.cast(ts.image.ssim(x, y, 1.0, filter_size=3), x.dtype),
             lambda x, y: _ssim3(x, y), [IMG, IMG[::-1]]),
    # a 1x1 window leaves no contrast term (cs = 1): the coarse scale's luminance counts
    "ssim_multiscale": (lambda x, y: ts.cast(ts.image.ssim_multiscale(
        x, y, 1.0, power_factors=(0.5, 0.5), filter_size=1), x.dtype),
        lambda x, y: _msssim_1x1(x, y), [IMG, IMG[::-1]]),
    "non_max_suppression": (
        lambda x: x * ts.cast(ts.reduce_sum(ts.image.non_max_suppression(
            _BOXES, [0.9, 0.8, 0.7], 3, 0.5)), x.dtype),
        lambda x: x * (0 + 2), [IMG]),  # box 1 overlaps box 0 and goes; 0 and 2 stay
    "non_max_suppression_with_scores": (
        lambda x: x * ts.cast(ts.reduce_sum(ts.image.non_max_suppression_with_scores(
            _BOXES, [0.9, 0.8, 0.7], 3, 0.5)[1]), x.dtype), lambda x: x * np.float32(1.6),
        [IMG]),
    # class 0 keeps boxes 0 and 2 (box 1 overlaps 0), class 1 box 1 alone (its only score
    # above 0.1): scores 0.9 + 0.7 + 0.6, the two best kept of three
    "combined_non_max_suppression": (
        lambda x: x * ts.cast(ts.reduce_sum(ts.image.combined_non_max_suppression(
            _BOXES[None, :, None], [[[0.9, 0.05], [0.8, 0.6], [0.7, 0.05]]], 3, 2, 0.5,
            0.1)[1]), x.dtype), lambda x: x * np.float32(0.9 + 0.7), [IMG]),
    "non_max_suppression_overlaps": (
        lambda x: x * ts.cast(ts.size(ts.image.non_max_suppression_overlaps(
            np.eye(3) * 0.9, [0.9, 0.8, 0.7], 3, 0.5)), x.dtype), lambda x: x * 3, [IMG]),
    "non_max_suppression_padded": (
        lambda x: x * ts.cast(ts.image.non_max_suppression_padded(
            _BOXES, [0.9, 0.8, 0.7], 5, 0.5, pad_to_max_output_size=True)[1], x.dtype),
        lambda x: x * 2, [IMG]),
    "stateless_random_flip_left_right": (
        lambda x: ts.image.stateless_random_flip_left_right(x, seed=[1, 2]) * 0 + x,
        lambda x: x, [IMG]),
    "stateless_random_flip_up_down": (
        lambda x: ts.image.stateless_random_flip_up_down(x, seed=[1, 2]) * 0 + x,
        lambda x: x, [IMG]),
})
# the composites of engine/ops/nn_extra.py
X4 = rng.uniform(-2, 2, (1, 4, 5, 3))
F3 = rng.uniform(-1, 1, (2, 2, 3))
W34 = rng.uniform(0.5, 2, (3, 4))
T34 = np.array([[0., 0.5, 2., 5.], [1., 3., 0., 7.], [2.5, 0.2, 9., 1.5]])


def _lrn(x, r=2, bias=1.5, alpha=0.3, beta=0.75):
    sq = np.pad(x * x, [(0, 0)] * 3 + [(r, r)])
    total = sum(sq[..., i:i + x.shape[-1]] for i in range(2 * r + 1))
    return x / (bias + alpha * total) ** beta


def _same_windows(x, kh, kw, fill):
    """Every (dy, dx) tap of a SAME, stride-1 window over NHWC ``x`` (padding after)."""
    p = np.pad(x, [(0, 0), (0, kh - 1), (0, kw - 1), (0, 0)], constant_values=fill)
    h, w = x.shape[1:3]
    return {(dy, dx): p[:, dy:dy + h, dx:dx + w] for dy in range(kh) for dx in range(kw)}


def _dilation(x, f):
    taps = _same_windows(x, *f.shape[:2], -np.inf)
    return np.max([taps[k] + f[k] for k in taps], axis=0)


def _erosion(x, f):
    taps = _same_windows(x, *f.shape[:2], np.inf)
    return np.min([taps[k] - f[::-1, ::-1][k] for k in taps], axis=0)


def _patches(x):
    taps = _same_windows(x, 2, 2, 0)
    return np.concatenate([taps[k] for k in sorted(taps)], axis=-1)


def _crop_and_resize(image, boxes, indices, size):
    """Bilinear crops by their definition, one sample at a time (boxes inside the image)."""
    n, (ch, cw), (_, h, w, _) = len(boxes), size, image.shape
    out = np.zeros((n, ch, cw, image.shape[-1]))
    for i, (y1, x1, y2, x2) in enumerate(boxes):
        for r in range(ch):
            y = y1 * (h - 1) + r * (y2 - y1) * (h - 1) / (ch - 1)
            for c in range(cw):
                x = x1 * (w - 1) + c * (x2 - x1) * (w - 1) / (cw - 1)
                y0, x0 = int(np.floor(y)), int(np.floor(x))
                y9, x9 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
                p = image[indices[i]]
                top = p[y0, x0] + (p[y0, x9] - p[y0, x0]) * (x - x0)
                bottom = p[y9, x0] + (p[y9, x9] - p[y9, x0]) * (x - x0)
                out[i, r, c] = top + (bottom - top) * (y - y0)
    return out


def _outlined(x):
    out = x.copy()
    for r, c in [(r, c) for r in range(3) for c in range(1, 4) if r in (0, 2) or c in (1, 3)]:
        out[0, r, c] = [1, 1, 0]
    return out


_DISTORT_BOXES = np.array([[[0.1, 0.2, 0.5, 0.9], [0.3, 0.3, 0.9, 0.6]]], np.float32)


def _seeded(global_seed, fn, *args, **kwargs):
    ts.random.set_seed(global_seed)
    return fn(*args, **kwargs)


WD = rng.uniform(0.5, 1.5, (2, 2, 3, 2))       # positive: no float32 cancellation
G46 = rng.uniform(0.5, 1.5, (1, 4, 5, 6))


def _dw_input_grad(g, w, x_shape, strides, padding, dilations):
    """depthwise_conv2d's input gradient, channel by channel from conv_reference's."""
    channels, mult = w.shape[-2:]
    dx = np.zeros(x_shape)
    for c in range(channels):
        for m in range(mult):
            dx[..., c:c + 1] += cref.conv_input_grad(
                g[..., c * mult + m:c * mult + m + 1], w[..., c:c + 1, m:m + 1],
                x_shape[:-1] + (1,), strides, padding, dilations)
    return dx


def _dw_filter_grad(x, g, w_shape, strides, padding, dilations):
    channels, mult = w_shape[-2:]
    dw = np.zeros(w_shape)
    for c in range(channels):
        for m in range(mult):
            dw[..., c, m] = cref.conv_filter_grad(
                x[..., c:c + 1], g[..., c * mult + m:c * mult + m + 1],
                tuple(w_shape[:-2]) + (1, 1), strides, padding, dilations)[..., 0, 0]
    return dw


def _isotonic(row):
    """The non-decreasing least-squares fit, by brute-force pooling."""
    blocks = [[v] for v in row]
    merged = True
    while merged:
        merged = False
        for i in range(len(blocks) - 1):
            if np.mean(blocks[i]) > np.mean(blocks[i + 1]):
                blocks[i:i + 2] = [blocks[i] + blocks[i + 1]]
                merged = True
                break
    return np.concatenate([[np.mean(b)] * len(b) for b in blocks])


CROP_BOXES = np.array([[0.1, 0.2, 0.8, 0.9], [0.3, 0.05, 0.6, 0.7]])


CASES.update({
    "crelu": (ts.nn.crelu, lambda x: np.concatenate([np.maximum(x, 0), np.maximum(-x, 0)],
                                                    -1), [A]),
    "local_response_normalization": (
        lambda x: ts.nn.lrn(x, depth_radius=2, bias=1.5, alpha=0.3, beta=0.75), _lrn, [X4]),
    "weighted_moments": (
        lambda x: ts.math.add(*ts.nn.weighted_moments(x, [0], W34)),
        lambda x: (lambda m: m + np.sum(W34 * (x - m) ** 2, 0) / np.sum(W34, 0))(
            np.sum(W34 * x, 0) / np.sum(W34, 0)), [A]),
    "sufficient_statistics": (
        lambda x: (lambda c, m, v, _: m + v + c)(*ts.nn.sufficient_statistics(x, [0], 0.5)),
        lambda x: np.sum(x - 0.5, 0) + np.sum((x - 0.5) ** 2, 0) + 3, [A]),
    "normalize_moments": (
        lambda m, v: ts.math.add(*ts.nn.normalize_moments(4., m, v, 0.5)),
        lambda m, v: m / 4 + 0.5 + v / 4 - (m / 4) ** 2, [A, B]),
    "log_poisson_loss": (
        lambda x: ts.nn.log_poisson_loss(T34, x, compute_full_loss=True),
        lambda x: np.exp(x) - x * T34 + np.where(
            T34 > 1, T34 * np.log(np.maximum(T34, 1)) - T34 + 0.5 * np.log(
                2 * np.pi * np.maximum(T34, 1)), 0), [A]),
    "scale_regularization_loss": (ts.nn.scale_regularization_loss, np.sum, [A]),
    "batch_norm_with_global_normalization": (
        lambda x, m: ts.nn.batch_norm_with_global_normalization(x, m, B[0], A[1], B[1], 1e-3,
                                                                True),
        lambda x, m: (x - m) / np.sqrt(B[0] + 1e-3) * B[1] + A[1], [A, A[2]]),
    "dilation2d": (lambda x: ts.nn.dilation2d(x, F3, [1, 1, 1, 1], "SAME", "NHWC",
                                              [1, 1, 1, 1]), lambda x: _dilation(x, F3), [X4]),
    "erosion2d": (lambda x: ts.nn.erosion2d(x, F3, [1, 1, 1, 1], "SAME", "NHWC",
                                            [1, 1, 1, 1]), lambda x: _erosion(x, F3), [X4]),
    "extract_patches": (lambda x: ts.image.extract_patches(x, [1, 2, 2, 1], [1, 1, 1, 1],
                                                           [1, 1, 1, 1], "SAME"),
                        _patches, [X4]),
    "crop_and_resize": (lambda x: ts.image.crop_and_resize(x, CROP_BOXES, [0, 0], [3, 4]),
                        lambda x: _crop_and_resize(x, CROP_BOXES, [0, 0], [3, 4]), [X4 + 3]),
    "max_pool_with_argmax": (
        lambda x: ts.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")[0],
        lambda x: x[:, :4, :4].reshape(1, 2, 2, 2, 2, 3).max(axis=(2, 4)), [X4]),
    # TensorFlow's offsets for seed [1, 2]: rows 2:4, columns 2:5
    "stateless_random_crop": (
        lambda x: ts.image.stateless_random_crop(x, [1, 2, 3, 3], [1, 2]),
        lambda x: x[:, 2:4, 2:5, :], [X4]),
    # box 0 outlines rows 0..2, columns 1..3 in yellow; box 1 is inverted and skipped
    "draw_bounding_boxes": (
        lambda x: ts.image.draw_bounding_boxes(x, [[[0.1, 0.3, 0.7, 0.9], [0.9, 0., 0.1, 1.]]]),
        lambda x: _outlined(x), [X4]),
    # TensorFlow's crop for seed [1, 2]: begin [3, 52, 0], size [428, 389, -1]
    "stateless_sample_distorted_bounding_box": (
        lambda x: x * ts.cast(ts.reduce_sum(ts.image.stateless_sample_distorted_bounding_box(
            [480, 640, 3], _DISTORT_BOXES, [1, 2])[1]), x.dtype), lambda x: x * 816, [A]),
    # and after set_seed(4) with seed 7: begin [13, 237, 0], size [394, 379, -1]
    "sample_distorted_bounding_box": (
        lambda x: x * ts.cast(ts.reduce_sum(_seeded(4, ts.image.sample_distorted_bounding_box,
                                                    [480, 640, 3], _DISTORT_BOXES, seed=7,
                                                    min_object_covered=0.5)[0]), x.dtype),
        lambda x: x * 250, [A]),
    # the float64 bits of x, read back through int32 pairs
    "bitcast": (lambda x: ts.bitcast(ts.bitcast(x, ts.int32), x.dtype), lambda x: x, [A]),
    "fingerprint": (lambda x: x * ts.cast(ts.fingerprint(ts.constant([[1, 2], [3, 4]]))[0, 0],
                                          x.dtype), lambda x: x * 76, [A]),
    "approx_max_k": (lambda x: ts.math.approx_max_k(x, 2)[0],
                     lambda x: -np.sort(-x, axis=1)[:, :2], [A]),
    "approx_min_k": (lambda x: ts.math.approx_min_k(x, 2, reduction_dimension=0)[0],
                     lambda x: np.sort(x, axis=0)[:2], [A]),
    "approx_top_k": (lambda x: ts.approx_top_k(x, 3)[0], lambda x: -np.sort(-x, axis=1)[:, :3],
                     [A]),
    "depthwise_conv2d_backprop_input": (
        lambda g: ts.nn.depthwise_conv2d_backprop_input([1, 4, 5, 3], ts.cast(WD, g.dtype), g,
                                                        [1, 1, 1, 1], "SAME"),
        lambda g: _dw_input_grad(g, WD, (1, 4, 5, 3), (1, 1), "SAME", (1, 1)), [G46]),
    "depthwise_conv2d_backprop_filter": (
        lambda g: ts.nn.depthwise_conv2d_backprop_filter(ts.cast(X4, g.dtype), [2, 2, 3, 2], g,
                                                         [1, 1, 1, 1], "SAME",
                                                         dilations=[1, 2, 1, 1]),
        lambda g: _dw_filter_grad(X4, g, (2, 2, 3, 2), (1, 1), "SAME", (2, 1)), [G46]),
    "isotonic_regression": (lambda x: ts.nn.isotonic_regression(x, decreasing=False)[0],
                            lambda x: np.stack([_isotonic(r) for r in x]), [A]),
    # [[1, 1, 2, 2], [3, 3, 3, 0]] with lengths [4, 3] collapse to [[1, 2], [3, 0]]
    "collapse_repeated": (
        lambda x: x * ts.cast(ts.reduce_sum(ts.nn.collapse_repeated(
            [[1, 1, 2, 2], [3, 3, 3, 0]], [4, 3])[0]), x.dtype), lambda x: x * 6, [A]),
    "ctc_unique_labels": (
        lambda x: x * ts.cast(ts.reduce_sum(ts.nn.ctc_unique_labels([[3, 4, 4, 3]])[1]),
                              x.dtype), lambda x: x * 2, [A]),
    "pool": (lambda x: ts.nn.pool(x, [2, 2], "MAX", padding="VALID", dilations=[2, 1]),
             lambda x: np.max([x[:, dy * 2:dy * 2 + 2, dx:dx + 4] for dy in range(2)
                               for dx in range(2)], axis=0), [X4]),
    "eigh_tridiagonal": (
        lambda a, b: ts.linalg.eigh_tridiagonal(a, b),
        lambda a, b: np.linalg.eigvalsh(np.diag(a) + np.diag(b, 1) + np.diag(b, -1)),
        [A[0], A[1, :3]]),
    "cumulative_logsumexp": (lambda x: ts.math.cumulative_logsumexp(x, axis=1),
                             lambda x: np.logaddexp.accumulate(x, axis=1), [A * 20]),
})
NOT_DIFFERENTIABLE = {"count_nonzero", "saturate_cast", "in_top_k", "matrix_rank", "rint",
                      "zero_fraction", "hsv_to_rgb",  # hue sectors: piecewise
                      "ctc_greedy_decoder", "ctc_beam_search_decoder",  # as TF's
                      "draw_bounding_boxes", "sample_distorted_bounding_box", "bitcast",
                      "fingerprint", "collapse_repeated", "ctc_unique_labels",
                      "stateless_sample_distorted_bounding_box"}
# computed in float32 whatever the input, as TensorFlow does: float64 inputs are compared
# at single precision, and their gradients are compared with TensorFlow's in test_image.py
IN_FLOAT32 = {"adjust_gamma", "adjust_hue", "adjust_saturation", "psnr",
              "stateless_random_hue", "stateless_random_saturation",
              "kaiser_window", "kaiser_bessel_derived_window", "ssim", "ssim_multiscale",
              "non_max_suppression_with_scores", "resize", "resize_with_pad",
              "combined_non_max_suppression", "crop_and_resize"}
# away from the guarded points, where the functions jump (TensorFlow's gradient there is 0,
# which test_guards_have_zero_gradients_where_tensorflow_defines_them checks)
SMOOTH_INPUTS = {"divide_no_nan": [A, B], "xlogy": [A, B], "xdivy": [A, B], "xlog1py": [A, B],
                 "multiply_no_nan": [A, B], "reciprocal_no_nan": [B]}


def test_every_composite_has_a_case():
    assert set(COMPOSITES) <= set(CASES), set(COMPOSITES) - set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matches_numpy(name, dtype, device):
    call, ref, inputs = CASES[name]
    got = call(*[ts.constant(a.astype(dtype)) for a in inputs])
    want = ref(*[a.astype(np.float64) for a in inputs])
    if name not in ("count_nonzero", "saturate_cast", "matrix_rank", "resize",
                    "resize_with_pad", "crop_and_resize"):  # these choose theirs (float32 as TF)
        assert got.dtype.as_numpy_dtype == dtype
    single = dtype == np.float32 or name in IN_FLOAT32
    # GPU sums (cuBLAS) round in another order: float32 results near zero get an atol
    atol = 1e-6 if single and "GPU" in device else 0
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5 if single else 1e-12, atol=atol)


@pytest.mark.parametrize("name", sorted(set(CASES) - NOT_DIFFERENTIABLE - IN_FLOAT32))
def test_gradient(name):
    call, _, inputs = CASES[name]
    check_vjp(call, *SMOOTH_INPUTS.get(name, inputs))


def test_guards_have_zero_gradients_where_tensorflow_defines_them():
    x = ts.constant([1., 2.])
    y = ts.constant([0., 4.])
    with ts.GradientTape() as tape:
        tape.watch([x, y])
        q = ts.math.divide_no_nan(x, y)
    gx, gy = tape.gradient(q, [x, y])
    assert gx.numpy().tolist() == [0., 0.25] and np.isfinite(gy.numpy()).all()
    with ts.GradientTape() as tape:
        tape.watch(y)
        r = ts.math.xlogy(ts.constant([0., 1.]), y)
    assert np.isfinite(tape.gradient(r, y).numpy()).all()


def test_leaky_relu_takes_integers_as_float32_like_tensorflow():
    r = ts.nn.leaky_relu(ts.constant([-2, 3]))
    assert r.dtype is ts.float32 and r.numpy().tolist() == pytest.approx([-0.4, 3.0])


def test_divide_no_nan_divides_integers_like_truediv():
    r = ts.math.divide_no_nan(ts.constant([1, 2], ts.int8), ts.constant([0, 4], ts.int8))
    assert r.dtype is ts.float32 and r.numpy().tolist() == [0., 0.5]
    assert ts.math.divide_no_nan(ts.constant([3]), 2).dtype is ts.float64


def test_infinite_global_norm_makes_every_entry_nan():
    clipped, norm = ts.clip_by_global_norm([ts.constant([np.inf, 1.]), None], 1.0)
    assert np.isinf(float(norm)) and np.isnan(clipped[0].numpy()).all() and clipped[1] is None


def test_add_n_refuses_mixed_dtypes_and_shapes():
    with pytest.raises(ts.errors.InvalidArgumentError, match="float32.*int32|int32.*float32"):
        ts.add_n([ts.constant([1., 2.]), ts.constant([1, 2])])
    with pytest.raises(ts.errors.InvalidArgumentError, match="same shape"):
        ts.add_n([ts.ones(2), ts.ones(())])
    with pytest.raises(ValueError):
        ts.add_n([])


@pytest.mark.parametrize("call", [lambda: ts.nn.silu(ts.constant([1, 2])),
                                  lambda: ts.math.xlogy(ts.constant([1]), 2),
                                  lambda: ts.clip_by_norm(ts.constant([3, 4]), 1)])
def test_integer_inputs_name_the_cast(call):
    with pytest.raises(ts.errors.InvalidArgumentError, match="floating-point") as info:
        call()
    assert "ts.cast" in info.value.hint


def test_dropout_keeps_the_expected_sum_and_its_gradient_follows_the_mask():
    x = ts.ones((200, 50))
    y = ts.nn.dropout(x, 0.3, seed=4).numpy()
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    rows = ts.nn.dropout(x, 0.5, noise_shape=[200, 1], seed=2).numpy()
    assert all(len(set(r)) == 1 for r in rows)            # one draw per row
    v = ts.Variable(ts.ones((4, 4)))
    with ts.GradientTape() as tape:
        out = ts.nn.dropout(v, 0.5, seed=9)
        total = ts.reduce_sum(out)
    g = tape.gradient(total, v).numpy()
    np.testing.assert_array_equal(g, out.numpy())           # 2 where kept, 0 where dropped
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"\[0, 1\)"):
        ts.nn.dropout(x, 1.0)


def test_top_k_keeps_ties_in_order_and_returns_indices():
    r = ts.math.top_k(ts.constant([[1, 3, 3, 2], [5, 5, 5, 0]]), k=3)
    assert r.values.numpy().tolist() == [[3, 3, 2], [5, 5, 5]]
    assert r.indices.numpy().tolist() == [[1, 2, 3], [0, 1, 2]]
    assert ts.nn.top_k is ts.math.top_k and r.indices.dtype is ts.int32
    with pytest.raises(ts.errors.InvalidArgumentError, match="at least k=5"):
        ts.math.top_k(ts.ones(3), 5)


def test_reduce_euclidean_norm_of_integers_truncates_like_tensorflow():
    r = ts.math.reduce_euclidean_norm(ts.constant([3, 5]))
    assert r.dtype is ts.int32 and int(r) == 5
    assert ts.reduce_logsumexp is ts.math.reduce_logsumexp and ts.nn.swish is ts.nn.silu


def test_saturate_cast_clamps_to_values_the_source_float_can_hold():
    # int32's max as float32 is 2**31, which would wrap to int32's min
    r = ts.saturate_cast(ts.constant([3e9, -3e9, 1.5]), ts.int32)
    assert r.numpy().tolist() == [2147483520, -2147483648, 1]
    assert ts.saturate_cast(ts.constant([1e20]), ts.int64).numpy()[0] > 0
    assert ts.saturate_cast(ts.constant([3e9], ts.float64), ts.int32).numpy()[0] == 2**31 - 1
    assert ts.saturate_cast(ts.constant([70000, -5]), ts.uint16).numpy().tolist() == [65535, 0]
    assert ts.saturate_cast(ts.constant([6e4, -3], ts.float16), ts.uint8).numpy().tolist() \
        == [255, 0]


def test_ensure_shape_refuses_an_incompatible_shape():
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"\[3, 4\] is not compatible"):
        ts.ensure_shape(ts.ones((3, 4)), [None, 5])
    with pytest.raises(ts.errors.InvalidArgumentError, match="not compatible"):
        ts.ensure_shape(ts.ones((3, 4)), [3])


def test_embedding_lookup_max_norm_and_bincount_options():
    rows = ts.nn.embedding_lookup(ts.constant([[3., 4.], [0., .5]]), [0, 1], max_norm=1.0)
    np.testing.assert_allclose(rows.numpy(), [[0.6, 0.8], [0., 0.5]], rtol=1e-6)
    assert ts.math.bincount([1, 5], maxlength=3).numpy().tolist() == [0, 1, 0]
    assert ts.math.bincount([1, 1, 3], binary_output=True).numpy().tolist() == [0, 1, 0, 1]
    with pytest.raises(ts.errors.InvalidArgumentError, match="axis=-1"):
        ts.math.bincount([[1, 2]], axis=-1)
    with pytest.raises(ts.errors.InvalidArgumentError, match="negative values"):
        ts.math.bincount([1, -1])


def test_top_k_names_itself_when_refusing_a_dtype():
    with pytest.raises(ts.errors.InvalidArgumentError,
                       match="ts.math.top_k does not accept bool") as info:
        ts.math.top_k(ts.constant([True, False]))
    assert info.value.hint == "ts.math.top_k(ts.cast(input, ts.int32), k)"


@pytest.mark.parametrize("call, fix", [
    (lambda: ts.nn.silu(ts.constant([1])), "ts.nn.silu(ts.cast(features, ts.float32)"),
    (lambda: ts.linalg.expm(ts.eye(2, dtype=ts.int32)), "ts.linalg.expm(ts.cast(input,"),
    (lambda: ts.math.softsign(ts.constant([1])), "ts.math.softsign(ts.cast(features,"),
])
def test_dtype_refusals_name_where_the_composite_lives(call, fix):
    with pytest.raises(ts.errors.InvalidArgumentError) as info:
        call()
    assert info.value.hint.startswith(fix)


def test_stateless_and_general_dropout_as_tensorflow():
    """TensorFlow 2.21's masks for the same seeds."""
    x = ts.reshape(ts.range(1., 13.), [3, 4])
    assert ts.nn.experimental.stateless_dropout(x, 0.5, seed=[1, 2]).numpy().tolist() == [
        [2., 0., 6., 0.], [0., 12., 0., 0.], [0., 0., 0., 0.]]
    shared = ts.nn.experimental.stateless_dropout(x, 0.3, seed=[4, 5], noise_shape=[3, 1])
    assert (shared.numpy()[2] == 0).all() and (shared.numpy()[:2] != 0).all()
    np.testing.assert_allclose(shared.numpy()[0], np.array([1., 2., 3., 4.]) / 0.7,
                               rtol=1e-6)
    general = ts.nn.experimental.general_dropout(
        x, 0.5, uniform_sampler=lambda shape, dtype: ts.random.stateless_uniform(
            shape, seed=[7, 8], dtype=dtype))
    assert general.numpy().tolist() == [[0., 0., 0., 0.], [10., 12., 14., 16.],
                                        [0., 0., 22., 0.]]
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"\[0, 1\)"):
        ts.nn.experimental.stateless_dropout(x, 1.0, seed=[1, 2])
