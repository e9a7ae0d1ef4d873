"""ts.signal: transforms against numpy.fft and TensorFlow (values and gradients, including
cropped and padded fft_length, where TensorFlow's own gradients fail), framing and the
short-time Fourier transform, and the dtype rules."""

from __future__ import annotations

import os

import numpy as np
import pytest

import tensorshell as ts

from .test_gradients import check_vjp

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 10))
Z = X + 1j * RNG.standard_normal((3, 10))
X2 = RNG.standard_normal((2, 6, 8))
Z2 = X2 + 1j * RNG.standard_normal((2, 6, 8))
WEIGHTS = RNG.standard_normal(200)

PROGRAMS = {
    "fft": (Z, lambda m, z: m.signal.fft(z)), "ifft": (Z, lambda m, z: m.signal.ifft(z)),
    "fft2d": (Z2, lambda m, z: m.signal.fft2d(z)), "ifft2d": (Z2, lambda m, z: m.signal.ifft2d(z)),
    "fft3d": (Z2, lambda m, z: m.signal.fft3d(z)), "ifft3d": (Z2, lambda m, z: m.signal.ifft3d(z)),
    "rfft": (X, lambda m, x: m.signal.rfft(x)),
    "rfft odd": (X[:, :9], lambda m, x: m.signal.rfft(x)),
    "rfft padded": (X, lambda m, x: m.signal.rfft(x, [16])),
    "irfft": (Z[:, :6], lambda m, z: m.signal.irfft(z)),
    "irfft odd": (Z[:, :6], lambda m, z: m.signal.irfft(z, [11])),
    "irfft padded": (Z[:, :4], lambda m, z: m.signal.irfft(z, [12])),
    "rfft2d": (X2, lambda m, x: m.signal.rfft2d(x)),
    "irfft2d": (Z2[:, :, :5], lambda m, z: m.signal.irfft2d(z)),
    "fftshift": (X, lambda m, x: m.signal.fftshift(x)),
    "ifftshift": (X, lambda m, x: m.signal.ifftshift(x, axes=1)),
    "frame": (X, lambda m, x: m.signal.frame(x, 4, 3)),
    "frame, pad_end": (X, lambda m, x: m.signal.frame(x, 4, 3, pad_end=True)),
    "frame, axis 1": (X2, lambda m, x: m.signal.frame(x, 3, 2, axis=1)),
    "overlap_and_add": (X2, lambda m, x: m.signal.overlap_and_add(x, 3)),
    "stft": (X.astype(np.float32), lambda m, x: m.signal.stft(x, 4, 2)),
    "stft, pad_end": (X, lambda m, x: m.signal.stft(x, 5, 2, fft_length=8, pad_end=True)),
    "inverse_stft": (Z[:, :9].astype(np.complex64),
                     lambda m, z: m.signal.inverse_stft(m.reshape(z, [3, 3, 3]), 4, 2)),
    "hann, periodic odd": (X, lambda m, x: x[0, :7] * m.cast(m.signal.hann_window(7),
                                                            x.dtype)),
    "hann, symmetric": (X, lambda m, x: x[0, :7] * m.cast(
        m.signal.hann_window(7, periodic=False), x.dtype)),
    "hamming": (X, lambda m, x: x[0, :6] * m.cast(m.signal.hamming_window(6), x.dtype)),
    "stft round trip": (X.astype(np.float32), lambda m, x: m.signal.inverse_stft(
        m.signal.stft(x, 4, 2), 4, 2, window_fn=m.signal.inverse_stft_window_fn(2))),
    **{f"dct{t}{' ortho' if norm else ''}": (X, (lambda t, norm: lambda m, x: m.signal.dct(
        x, type=t, norm=norm))(t, norm)) for t in (1, 2, 3, 4) for norm in (None, "ortho")
       if not (t == 1 and norm)},
    "idct2 ortho": (X, lambda m, x: m.signal.idct(x, norm="ortho")),
    "idct3": (X, lambda m, x: m.signal.idct(x, type=3)),
    "dct n=7": (X, lambda m, x: m.signal.dct(x, n=7)),
    "dct n=13 ortho": (X.astype(np.float32), lambda m, x: m.signal.dct(x, n=13, norm="ortho")),
    "mfccs": (X.astype(np.float32), lambda m, x: m.signal.mfccs_from_log_mel_spectrograms(x)),
    "mel spectrogram": (np.abs(X2[0]), lambda m, x: m.matmul(
        x, m.signal.linear_to_mel_weight_matrix(4, 8, 16000, 50., 7000., dtype=m.float64))),
    "kaiser": (X, lambda m, x: x[0, :9] * m.cast(m.signal.kaiser_window(9), x.dtype)),
    "kaiser, beta 5 float64": (X, lambda m, x: x[0, :10] * m.signal.kaiser_window(
        10, beta=5., dtype=m.float64)),
    "kaiser_bessel_derived": (X, lambda m, x: x[0, :10] * m.signal.kaiser_bessel_derived_window(
        10, dtype=m.float64)),
    "vorbis": (X, lambda m, x: x[0, :7] * m.signal.vorbis_window(7, dtype=m.float64)),
    "mdct": (X.astype(np.float32), lambda m, x: m.signal.mdct(x, 4)),
    "mdct ortho, pad_end, KBD": (X, lambda m, x: m.signal.mdct(
        x, 8, window_fn=m.signal.kaiser_bessel_derived_window, pad_end=True, norm="ortho")),
    "inverse_mdct": (X, lambda m, x: m.signal.inverse_mdct(m.reshape(x[:, :8], [3, 2, 4]))),
}


def _loss(m, y):
    y = m.reshape(y, [-1])
    real = m.float64 if y.dtype in (m.float64, m.complex128) else m.float32
    w = m.constant(WEIGHTS[:y.shape[0]], real)
    if y.dtype.is_complex:
        return m.reduce_sum(m.math.real(y) * w) + m.reduce_sum(m.math.imag(y) * w[::-1])
    return m.reduce_sum(y * w)


def _run(m, name):
    array, program = PROGRAMS[name]
    x = m.constant(array)
    with m.GradientTape() as tape:
        tape.watch(x)
        y = program(m, x)
        loss = _loss(m, y)
    return y, tape.gradient(loss, x)


@pytest.mark.tf_oracle
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_values_and_gradients_as_tensorflow(name):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    ours, theirs = _run(ts, name), _run(tf, name)
    assert ours[0].dtype.name == theirs[0].dtype.name and ours[0].shape == theirs[0].shape
    np.testing.assert_allclose(ours[0].numpy(), theirs[0].numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ours[1].numpy(), theirs[1].numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("fft_length", [[7], [16]])
def test_cropped_and_padded_real_transforms_differentiate(fft_length):
    """TensorFlow's own rfft/irfft gradients fail when fft_length crops; these are checked
    by finite differences instead."""
    check_vjp(lambda x: ts.math.real(ts.signal.rfft(x, fft_length)) ** 2
              + ts.math.imag(ts.signal.rfft(x, fft_length)), X)
    check_vjp(lambda a, b: ts.signal.irfft(ts.complex(a, b), fft_length) ** 2, X[:, :6],
              X[:, 4:])
    check_vjp(lambda x: ts.math.real(ts.signal.rfft2d(x, [5, 6])) ** 2, X2)


def test_nd_transforms_against_numpy():
    """TensorFlow has no CPU kernels for fftnd & co., so NumPy is the reference."""
    z3 = Z2.astype(np.complex64)
    for axes, lengths, norm in ((None, None, None), ([0, 2], None, "ortho"),
                                ([1], [9], "forward"), (None, [3, 5], None)):
        want = np.fft.fftn(Z2, s=lengths, axes=axes if axes is not None or lengths is None
                           else [-2, -1], norm=norm)
        np.testing.assert_allclose(ts.signal.fftnd(z3, lengths, axes, norm).numpy(), want,
                                   rtol=1e-4, atol=1e-4)
        back = np.fft.ifftn(want, axes=axes if axes is not None or lengths is None
                            else [-2, -1], norm=norm)
        np.testing.assert_allclose(ts.signal.ifftnd(want.astype(np.complex64), None, axes
                                                    if axes is not None or lengths is None
                                                    else [-2, -1], norm).numpy(), back,
                                   rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ts.signal.rfftnd(X2).numpy(), np.fft.rfftn(X2))
    np.testing.assert_allclose(ts.signal.rfftnd(X2, [4, 6], [0, 2], "ortho").numpy(),
                               np.fft.rfftn(X2, [4, 6], [0, 2], "ortho"))
    np.testing.assert_allclose(ts.signal.irfftnd(np.fft.rfftn(X2), [2, 6, 8]).numpy(), X2,
                               atol=1e-12)
    check_vjp(lambda x: ts.math.real(ts.signal.rfftnd(x, axes=[0, 2])) ** 2, X2)


def test_mdct_reconstructs_the_inner_samples():
    x = RNG.standard_normal((2, 64))
    for norm in (None, "ortho"):
        back = ts.signal.inverse_mdct(ts.signal.mdct(x, 16, norm=norm), norm=norm).numpy()
        np.testing.assert_allclose(back[:, 8:-8], x[:, 8:-8], atol=1e-10)
    with pytest.raises(ValueError, match="multiple of 4"):
        ts.signal.mdct(x, 10)


def test_dct_inverses_and_refusals():
    for t in (2, 3, 4):
        back = ts.signal.idct(ts.signal.dct(X, type=t, norm="ortho"), type=t, norm="ortho")
        np.testing.assert_allclose(back.numpy(), X, atol=1e-12)
    np.testing.assert_allclose(ts.signal.idct(ts.signal.dct(X)).numpy() / (2 * 10), X,
                               atol=1e-12)
    with pytest.raises(ValueError, match="Type-I"):
        ts.signal.dct(X, type=1, norm="ortho")
    with pytest.raises(NotImplementedError, match="axis must be -1"):
        ts.signal.dct(X, axis=0)
    with pytest.raises(ts.errors.InvalidArgumentError, match="float32 or float64"):
        ts.signal.dct(ts.constant([1, 2]))


def test_values_against_numpy():
    np.testing.assert_allclose(ts.signal.fft2d(Z2).numpy(), np.fft.fft2(Z2))
    np.testing.assert_allclose(ts.signal.rfft(X, [7]).numpy(), np.fft.rfft(X, 7))
    np.testing.assert_allclose(ts.signal.irfft(Z, [8]).numpy(), np.fft.irfft(Z, 8))
    np.testing.assert_allclose(ts.signal.fftshift(X).numpy(), np.fft.fftshift(X))
    frames = ts.signal.frame(ts.range(10), 4, 3, pad_end=True, pad_value=-1)
    assert frames.numpy().tolist() == [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9],
                                       [9, -1, -1, -1]]
    x = ts.constant(RNG.standard_normal(64), ts.float32)
    back = ts.signal.inverse_stft(ts.signal.stft(x, 16, 4), 16, 4,
                                  window_fn=ts.signal.inverse_stft_window_fn(4))
    np.testing.assert_allclose(back.numpy()[12:-12], x.numpy()[12:-12], atol=1e-5)


@pytest.mark.parametrize("call, match", [
    (lambda: ts.signal.fft(ts.ones(4)), "does not accept float32"),
    (lambda: ts.signal.rfft(ts.ones(4, ts.complex64)), "does not accept complex64"),
    (lambda: ts.signal.fft2d(ts.ones(4, ts.complex64)), "rank >= 2"),
    (lambda: ts.signal.rfft(ts.ones(4), [2, 2]), "fft_length must be 1"),
    (lambda: ts.signal.frame(ts.ones(4), 0, 1), "must be positive"),
])
def test_errors(call, match):
    with pytest.raises(ts.errors.InvalidArgumentError, match=match):
        call()


def test_dtypes_follow_tensorflow():
    assert ts.signal.rfft(ts.ones(4)).dtype is ts.complex64
    assert ts.signal.rfft(ts.ones(4, ts.float64)).dtype is ts.complex128
    assert ts.signal.irfft(ts.ones(3, ts.complex64)).dtype is ts.float32
    assert ts.signal.fft(ts.ones(4, ts.complex128)).dtype is ts.complex128
    assert ts.signal.hann_window(4, dtype=ts.float64).dtype is ts.float64
