"""``ts.signal``: Fourier transforms over the innermost 1-3 dimensions (``fft``, ``ifft``,
``rfft``, ``irfft`` and their 2-d and 3-d forms), and, built from them and other ops,
``fftshift``, windows, ``frame``, ``overlap_and_add``, ``stft`` and ``inverse_stft``.

Kernels are the backend's ``fft`` module (pocketfft through NumPy, cuFFT through CuPy); as in
TensorFlow, complex64 stays complex64 and the real transforms take float32 or float64.
Gradients follow TensorFlow's convention for complex numbers: the transforms are linear, so
each one's gradient is the adjoint transform, written with these same ops.
"""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..dtypes import COMPLEX
from ..errors import invalid
from .registry import as_tensor, composite, defgrad, describe, not_allowed, op, out
from .shape import int_list

REAL_FFT_DTYPES = frozenset({dtypes.float32, dtypes.float64})
_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}
_SUFFIX = {1: "", 2: "2d", 3: "3d"}


def _axes(rank):
    return tuple(range(-rank, 0))


def _input(op_def, value, rank, label="input"):
    t = as_tensor(value, op_def.name, label)
    if t.dtype not in op_def.dtypes:
        raise not_allowed(op_def, t, label)
    if t.ndim < rank:
        raise invalid(op_def.name, f"{label} must have rank >= {rank}, got shape {t.shape}",
                      [describe(t, label)], kind="shape")
    return t


def _lengths(op_name, fft_length, rank, default):
    if fft_length is None:
        return tuple(default)
    n = int_list(fft_length, op_name, "fft_length")
    if len(n) != rank or any(v < 0 for v in n):
        raise invalid(op_name, f"fft_length must be {rank} non-negative integers, got {n}")
    return tuple(n)


def _fit(data, xp, lengths):
    """``data`` cropped or zero-padded in its last ``len(lengths)`` dimensions."""
    rank = len(lengths)
    index = (Ellipsis,) + tuple(slice(0, n) for n in lengths)
    data = data[index]
    pads = [(0, 0)] * (data.ndim - rank) + [(0, n - s) for n, s in
                                            zip(lengths, data.shape[-rank:])]
    if any(p[1] for p in pads):
        data = xp.pad(data, pads)
    return data


# ---------------------------------------------------------------------------------------------
# Complex transforms
# ---------------------------------------------------------------------------------------------

def _complex_transform(rank, inverse):
    name = ("ifft" if inverse else "fft") + _SUFFIX[rank]

    @op(name, "custom", COMPLEX, ("signal",))
    def transform(input, name=None):  # noqa: A002
        t = _input(transform.op, input, rank)
        xp = t._device.backend.xp
        fn = xp.fft.ifftn if inverse else xp.fft.fftn
        data = fn(t._data, axes=_axes(rank)) if t._data.size else t._data
        return out(data.astype(t.dtype._np, copy=False), t.dtype)
    transform.op.doc = (f"The {'inverse ' if inverse else ''}discrete Fourier transform over "
                        f"the innermost {rank} dimension{'s' if rank > 1 else ''} of a "
                        "complex tensor.")
    return transform


fft, fft2d, fft3d = (_complex_transform(r, False) for r in (1, 2, 3))
ifft, ifft2d, ifft3d = (_complex_transform(r, True) for r in (1, 2, 3))
_COMPLEX = {(1, False): fft, (2, False): fft2d, (3, False): fft3d,
            (1, True): ifft, (2, True): ifft2d, (3, True): ifft3d}


def _size(t, rank):
    return math.prod(t.shape.as_list()[-rank:])


for (_rank, _inverse), _fn in _COMPLEX.items():
    # the adjoint of the transform: the other direction, scaled by the size
    if _inverse:
        defgrad(_fn, lambda g, ans, input, name=None, r=_rank:
                (_COMPLEX[(r, False)](g) * (1 / _size(g, r)),))
    else:
        defgrad(_fn, lambda g, ans, input, name=None, r=_rank:
                (_COMPLEX[(r, True)](g) * _size(g, r),))


# ---------------------------------------------------------------------------------------------
# Real transforms: half spectra
# ---------------------------------------------------------------------------------------------

def _real_transform(rank):
    name = "rfft" + _SUFFIX[rank]

    @op(name, "custom", REAL_FFT_DTYPES, ("signal",),
        result=lambda d: _COMPLEX_OF[d])
    def transform(input_tensor, fft_length=None, name=None):
        t = _input(transform.op, input_tensor, rank, "input_tensor")
        lengths = _lengths(transform.op.name, fft_length, rank, t.shape.as_list()[-rank:])
        xp = t._device.backend.xp
        result = _COMPLEX_OF[t.dtype]
        fitted = _fit(t._data, xp, lengths)
        if fitted.size:
            data = xp.fft.rfftn(fitted, axes=_axes(rank))
        else:  # an empty transform: zeros of the half spectrum's shape, as TensorFlow
            data = xp.zeros(fitted.shape[:-1] + (lengths[-1] // 2 + 1,), result._np)
        return out(data.astype(result._np, copy=False), result)
    transform.op.doc = (f"The discrete Fourier transform of a real signal over its innermost "
                        f"{rank} dimension{'s' if rank > 1 else ''}: the non-negative "
                        "frequencies of the last one (``fft_length // 2 + 1``).")
    return transform


def _inverse_real_transform(rank):
    name = "irfft" + _SUFFIX[rank]

    @op(name, "custom", COMPLEX, ("signal",), result=lambda d: d.real_dtype)
    def transform(input_tensor, fft_length=None, name=None):
        t = _input(transform.op, input_tensor, rank, "input_tensor")
        shape = t.shape.as_list()[-rank:]
        lengths = _lengths(transform.op.name, fft_length, rank,
                           shape[:-1] + [2 * (shape[-1] - 1)])
        xp = t._device.backend.xp
        half = _fit(t._data, xp, lengths[:-1] + (lengths[-1] // 2 + 1,))
        data = xp.fft.irfftn(half, s=lengths, axes=_axes(rank)) if half.size and \
            all(lengths) else xp.zeros(half.shape[:-rank] + lengths, t.dtype.real_dtype._np)
        real = t.dtype.real_dtype
        return out(data.astype(real._np, copy=False), real)
    transform.op.doc = (f"The real signal whose half spectrum over the innermost {rank} "
                        f"dimension{'s' if rank > 1 else ''} is the input (the inverse of "
                        f"``rfft{_SUFFIX[rank]}``; ``fft_length`` defaults to "
                        "``2 * (n - 1)``).")
    return transform


rfft, rfft2d, rfft3d = (_real_transform(r) for r in (1, 2, 3))
irfft, irfft2d, irfft3d = (_inverse_real_transform(r) for r in (1, 2, 3))
_REAL = {1: (rfft, irfft), 2: (rfft2d, irfft2d), 3: (rfft3d, irfft3d)}


def _rfft_grad(rank):
    def grad(g, ans, input_tensor, fft_length=None, name=None):
        """rfft is x -> A x with A the first half of the DFT matrix: the gradient is
        Re(A^H g), a full inverse transform of g padded with zeros (times the size), cut
        back to the input's length."""
        from .elementwise import real
        x = as_tensor(input_tensor, "rfft", "input_tensor")
        lengths = _lengths("rfft", fft_length, rank, x.shape.as_list()[-rank:])
        padded = _pad_or_crop(g, list(lengths))
        full = _COMPLEX[(rank, True)](padded) * math.prod(lengths)
        return (_pad_or_crop(real(full), x.shape.as_list()[-rank:]),)
    return grad


def _irfft_grad(rank):
    def grad(g, ans, input_tensor, fft_length=None, name=None):
        """The interior frequencies appear twice in the real signal (as themselves and as
        their conjugates), the first (and for even lengths the last) once: rfft of g,
        weighted so and divided by the size (as TensorFlow)."""
        from .shape import cast
        y = as_tensor(input_tensor, "irfft", "input_tensor")
        shape = y.shape.as_list()[-rank:]
        lengths = _lengths("irfft", fft_length, rank, shape[:-1] + [2 * (shape[-1] - 1)])
        n = lengths[-1]
        half = n // 2 + 1
        weights = np.full(half, 2.0)
        weights[0] = 1.0
        if n % 2 == 0:
            weights[-1] = 1.0
        spectrum = _REAL[rank][0](g, list(lengths))
        scaled = spectrum * cast(weights / math.prod(lengths), spectrum.dtype)
        return (_pad_or_crop(scaled, shape),)
    return grad


def _pad_or_crop(t, lengths):
    """``t`` cropped or zero-padded to ``lengths`` in its last dimensions (with ops, for
    gradients)."""
    from .shape import pad
    rank = len(lengths)
    current = t.shape.as_list()[-rank:]
    index = (Ellipsis,) + tuple(slice(0, n) for n in lengths)
    cut = t[index] if any(c > n for c, n in zip(current, lengths)) else t
    now = cut.shape.as_list()[-rank:]
    if now == list(lengths):
        return cut
    widths = [[0, 0]] * (t.ndim - rank) + [[0, n - c] for n, c in zip(lengths, now)]
    return pad(cut, widths)


for _rank, (_forward, _backward) in _REAL.items():
    defgrad(_forward, _rfft_grad(_rank))
    defgrad(_backward, _irfft_grad(_rank))


# ---------------------------------------------------------------------------------------------
# Composites
# ---------------------------------------------------------------------------------------------

def _shift(x, axes, inverse):
    from ..shapes import normalize_axis
    from .shape import roll
    name = "ifftshift" if inverse else "fftshift"
    t = as_tensor(x, name, "x")
    given = [] if axes is None else int_list(axes, name, "axes")
    if given and t.ndim == 0:
        raise invalid(name, f"axes {given} do not exist in a scalar", [describe(t, "x")],
                      kind="shape")
    dims = list(range(t.ndim)) if axes is None else \
        [normalize_axis(a, t.ndim, name) for a in given]
    if not dims:
        return t
    shifts = [(-(t.shape[a] // 2) if inverse else t.shape[a] // 2) for a in dims]
    return roll(t, shifts, dims)


def fftshift(x, axes=None, name=None):
    """The zero frequency moved to the middle (NumPy's ``fft.fftshift``)."""
    return _shift(x, axes, False)


def ifftshift(x, axes=None, name=None):
    """The inverse of ``fftshift``."""
    return _shift(x, axes, True)


def _constant(values, d):
    """Host values (float64) as a tensor of floating dtype ``d``, explicitly cast."""
    from ..tensor import convert_to_tensor
    from .shape import cast
    return cast(convert_to_tensor(np.asarray(values, dtype=np.float64)), d)


def _window(name, a0, window_length, periodic, dtype):
    n = int(window_length)
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise invalid(name, f"dtype must be floating-point, got {d.name}")
    if n == 1:
        return _constant(np.ones(1), d)
    # TensorFlow's rule: the periodic form of an even length divides by N, every other
    # window by N - 1 (an odd-length periodic window equals the symmetric one)
    denominator = n if periodic and n % 2 == 0 else n - 1
    k = np.arange(n)
    return _constant(a0 - (1 - a0) * np.cos(2 * np.pi * k / max(denominator, 1)), d)


def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """``0.5 - 0.5 cos(2 pi n / N)``: N is the length for a ``periodic`` window of even
    length, one less otherwise (TensorFlow's rule)."""
    return _window("hann_window", 0.5, window_length, periodic, dtype)


def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """``0.54 - 0.46 cos(2 pi n / N)``, N as for ``hann_window``."""
    return _window("hamming_window", 0.54, window_length, periodic, dtype)


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Overlapping frames of ``frame_length`` samples every ``frame_step`` along ``axis``:
    that dimension becomes ``[frames, frame_length]``."""
    from .shape import gather, pad
    t = as_tensor(signal, "frame", "signal")
    length, step = int(frame_length), int(frame_step)
    if length <= 0 or step <= 0:
        raise invalid("frame", f"frame_length and frame_step must be positive, got {length} "
                      f"and {step}")
    if t.ndim == 0:
        raise invalid("frame", "signal must have rank >= 1", [describe(t, "signal")],
                      kind="shape")
    ax = int(axis) % t.ndim
    n = t.shape[ax]
    if pad_end:
        frames = -(-n // step)
        needed = max((frames - 1) * step + length - n, 0)
        if needed:
            widths = [[0, 0]] * t.ndim
            widths[ax] = [0, needed]
            t = pad(t, widths, constant_values=pad_value)
    else:
        frames = max(0, 1 + (n - length) // step) if n >= length else 0
    index = np.arange(frames)[:, None] * step + np.arange(length)[None, :]
    from ..tensor import convert_to_tensor
    return gather(t, convert_to_tensor(index.astype(np.int32)), axis=ax)


def overlap_and_add(signal, frame_step, name=None):
    """Frames ``[..., frames, frame_length]`` added back into one signal, each starting
    ``frame_step`` after the previous one."""
    from ..tensor import convert_to_tensor
    from .shape import transpose, unsorted_segment_sum
    t = as_tensor(signal, "overlap_and_add", "signal")
    if t.ndim < 2:
        raise invalid("overlap_and_add", "signal must have rank >= 2 ([..., frames, "
                      "frame_length])", [describe(t, "signal")], kind="shape")
    step = int(frame_step)
    frames, length = t.shape[-2], t.shape[-1]
    total = (frames - 1) * step + length if frames else 0
    positions = np.arange(frames)[:, None] * step + np.arange(length)[None, :]
    rank = t.ndim
    moved = transpose(t, [rank - 2, rank - 1] + list(range(rank - 2)))
    summed = unsorted_segment_sum(moved, convert_to_tensor(positions.astype(np.int32)), total)
    return transpose(summed, list(range(1, rank - 1)) + [0])


def _power_of_two(n: int) -> int:
    return 1 << max(int(n) - 1, 0).bit_length()


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window,
         pad_end=False, name=None):
    """The short-time Fourier transform: ``rfft`` of windowed frames (``fft_length``: the
    smallest power of two holding a frame, by default)."""
    t = as_tensor(signals, "stft", "signals")
    n = _power_of_two(frame_length) if fft_length is None else int(fft_length)
    frames = frame(t, frame_length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(int(frame_length), dtype=t.dtype)
    return rfft(frames, [n])


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window,
                 name=None):
    """Frames back from a short-time Fourier transform (``irfft``, windowed), overlapped and
    added. For reconstruction pass ``window_fn=inverse_stft_window_fn(frame_step)``."""
    t = as_tensor(stfts, "inverse_stft", "stfts")
    length = int(frame_length)
    n = _power_of_two(length) if fft_length is None else int(fft_length)
    frames = irfft(t, [n])
    frames = _pad_or_crop(frames, [length])
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=frames.dtype)
    return overlap_and_add(frames, frame_step)


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """A window for ``inverse_stft`` that undoes ``stft``'s windowing: the forward window
    divided by the overlapping sum of its squares."""
    def window_fn(frame_length, dtype):
        forward = np.asarray(forward_window_fn(frame_length, dtype=dtype).numpy(),
                             dtype=np.float64)
        step = int(frame_step)
        overlaps = -(-frame_length // step)
        squares = np.pad(np.square(forward), (0, overlaps * step - frame_length))
        denominator = np.tile(squares.reshape(overlaps, step).sum(0), overlaps)
        return _constant(forward / denominator[:frame_length], dtypes.as_dtype(dtype))
    return window_fn


# -- discrete cosine transforms (scipy.fftpack's definitions, as TensorFlow's) -------------------

def _dct_input(input, n, axis, norm, op_name):  # noqa: A002
    t = as_tensor(input, op_name, "input")
    if t.dtype not in REAL_FFT_DTYPES:
        raise invalid(op_name, f"input must be float32 or float64, got {t.dtype.name}",
                      [describe(t, "input")], kind="dtype")
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
    if t.ndim == 0:
        raise invalid(op_name, "input must have rank >= 1", [describe(t, "input")],
                      kind="shape")
    if n is not None:
        n = int(n)
        if n < 1:
            raise ValueError(f"n should be a positive integer or None, got {n}")
        t = _pad_or_crop(t, [n])
    return t


def _dct4_matrix(size, d):
    k = np.arange(size)
    return _constant(2 * np.cos(np.pi * np.outer(2 * k + 1, 2 * k + 1) / (4 * size)), d)


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """The discrete cosine transform of types 1-4 along the last axis (``norm="ortho"``
    for the orthonormal forms of types 2-4), equal to scipy.fftpack.dct as in TensorFlow."""
    from .elementwise import complex_ as make_complex, real
    from .shape import concat, expand_dims
    if type not in (1, 2, 3, 4):
        raise ValueError(f"Types I, II, III and IV (I)DCT are supported, got type {type}.")
    t = _dct_input(input, n, axis, norm, "dct")
    size = t.shape[-1]
    d = t.dtype
    if type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        if size < 2:
            raise ValueError("Type-I DCT requires a dimension of at least 2.")
        return real(_rfft1(concat([t, t[..., -2:0:-1]], -1)))
    if type == 2:
        angle = -np.arange(size) * np.pi * 0.5 / size
        scale = make_complex(_constant(2 * np.cos(angle), d), _constant(2 * np.sin(angle), d))
        out_ = real(_rfft1(t, 2 * size)[..., :size] * scale)
        if norm == "ortho":
            weights = np.full(size, 0.5 / math.sqrt(size) * math.sqrt(2.0))
            weights[0] = 0.5 / math.sqrt(size)
            out_ = out_ * _constant(weights, d)
        return out_
    if type == 3:
        if norm == "ortho":
            weights = np.full(size, math.sqrt(size) * math.sqrt(0.5))
            weights[0] = math.sqrt(size)
        else:
            weights = np.full(size, float(size))
        x = t * _constant(weights, d)
        angle = np.arange(size) * np.pi * 0.5 / size
        scale = make_complex(_constant(2 * np.cos(angle), d), _constant(2 * np.sin(angle), d))
        spectrum = scale * make_complex(x, x * 0)
        return _irfft1(spectrum, 2 * size)[..., :size]
    from .linalg import matmul
    flat = expand_dims(t, -2)
    y = matmul(flat, _dct4_matrix(size, d))[..., 0, :]
    if norm == "ortho":
        y = y * _constant(np.full(size, math.sqrt(1 / (2 * size))), d)
    return y


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """The inverse DCT: the DCT of the inverse type (II and III swap); scaled by 1 / (2N)
    (or 1 / (2(N-1)) for type I) it inverts the unnormalised DCT, and with
    ``norm="ortho"`` it inverts it exactly."""
    if type not in (1, 2, 3, 4):
        raise ValueError(f"Types I, II, III and IV (I)DCT are supported, got type {type}.")
    return dct(input, type={1: 1, 2: 3, 3: 2, 4: 4}[type], n=n, axis=axis, norm=norm)


def _rfft1(t, length=None):
    return rfft(t, fft_length=[t.shape[-1] if length is None else length])


def _irfft1(t, length):
    return irfft(t, fft_length=[length])


# -- mel scale and MFCCs (HTK's formula, as TensorFlow's) ------------------------------------

def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype=dtypes.float32, name=None):
    """A [num_spectrogram_bins, num_mel_bins] matrix of triangular filters, equally spaced
    on the mel scale between the edges: ``spectrogram @ matrix`` is a mel spectrogram (the
    DC bin is left out, as HTK does)."""
    from .creation import linspace
    from .elementwise import log, maximum, minimum
    from .shape import pad, reshape
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {d.name}")
    if num_mel_bins <= 0 or num_spectrogram_bins <= 0 or sample_rate <= 0:
        raise ValueError("num_mel_bins, num_spectrogram_bins and sample_rate must be "
                         "positive")
    if lower_edge_hertz < 0.0 or lower_edge_hertz >= upper_edge_hertz \
            or upper_edge_hertz > sample_rate / 2:
        raise ValueError(f"need 0 <= lower_edge_hertz ({lower_edge_hertz}) < upper_edge_hertz "
                         f"({upper_edge_hertz}) <= sample_rate / 2 ({sample_rate / 2})")

    def mel(hz):
        return 1127.0 * log(1.0 + hz / 700.0)
    as_d = lambda v: _constant(v, d)  # noqa: E731
    nyquist = as_d(sample_rate) / 2.0
    freqs = linspace(as_d(0.0), nyquist, int(num_spectrogram_bins))[1:]
    bins_mel = reshape(mel(freqs), [-1, 1])
    edges = linspace(mel(as_d(lower_edge_hertz)), mel(as_d(upper_edge_hertz)),
                     int(num_mel_bins) + 2)
    lower, center, upper = (reshape(edges[i:i + int(num_mel_bins)], [1, -1])
                            for i in range(3))
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = maximum(as_d(0.0), minimum(lower_slopes, upper_slopes))
    return pad(weights, [[1, 0], [0, 0]])


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """Mel-frequency cepstral coefficients: the orthonormally scaled DCT-II of log mel
    spectrograms over their last axis (take the first 13 or so)."""
    t = as_tensor(log_mel_spectrograms, "mfccs_from_log_mel_spectrograms",
                  "log_mel_spectrograms")
    if t.ndim == 0 or t.shape[-1] < 1:
        raise ValueError("A mel spectrogram must have at least one mel bin")
    y = dct(t, type=2)
    return y * _constant(np.full(t.shape[-1], 1 / math.sqrt(2.0 * t.shape[-1])), y.dtype)


# -- more windows -----------------------------------------------------------------------------

def _window_dtype(dtype, name):
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"{name}: dtype must be a floating point type, got {d.name}")
    return d


def kaiser_window(window_length, beta=12.0, dtype=dtypes.float32, name=None):
    """The Kaiser window of ``beta`` (larger: narrower main lobe in time, lower side
    lobes), computed with exponentially scaled Bessel functions so large betas do not
    overflow."""
    from .elementwise import exp, relu, sqrt, square
    from .special import bessel_i0e
    d = _window_dtype(dtype, "kaiser_window")
    n = int(window_length)
    if n == 1:
        return _constant(np.ones(1), d)
    half = (n - 1) / 2.0
    arg = _constant(np.arange(-half, half + 0.1, 1.0, dtype=np.float32) / np.float32(half), d)
    b = _constant(float(beta), d)
    num = b * sqrt(relu(1.0 - square(arg)))
    return exp(num - b) * (bessel_i0e(num) / bessel_i0e(b))


def kaiser_bessel_derived_window(window_length, beta=12.0, dtype=dtypes.float32, name=None):
    """The Kaiser-Bessel-derived window (used by MDCT codecs): square roots of the Kaiser
    window's normalised cumulative sums, mirrored."""
    from .elementwise import sqrt
    from .reduction import cumsum
    from .shape import concat, reverse
    d = _window_dtype(dtype, "kaiser_bessel_derived_window")
    half = int(window_length) // 2
    k = kaiser_window(half + 1, beta, dtype=d)
    csum = cumsum(k)
    halfw = sqrt(csum[:-1] / csum[-1])
    return concat([halfw, reverse(halfw, [0])], 0)


def vorbis_window(window_length, dtype=dtypes.float32, name=None):
    """The Vorbis power-complementary window ``sin(pi/2 sin^2(pi (n + 1/2) / N))``."""
    from .elementwise import sin
    d = _window_dtype(dtype, "vorbis_window")
    n = int(window_length)
    arg = _constant(np.arange(n), d)
    inner = sin(np.pi / n * (arg + 0.5))
    return sin(np.pi / 2.0 * inner * inner)


# -- the modified DCT --------------------------------------------------------------------------

def mdct(signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None,
         name=None):
    """The modified discrete cosine transform of frames of ``frame_length`` (a multiple of
    4) every ``frame_length / 2`` samples: ``frame_length / 2`` coefficients per frame
    (TensorFlow's construction: window, fold, type-IV DCT)."""
    from .shape import concat, reverse, split
    t = as_tensor(signals, "mdct", "signals")
    n = int(frame_length)
    if n <= 0 or n % 4:
        raise ValueError("The frame length must be a multiple of 4.")
    frames = frame(t, n, n // 2, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(n, dtype=frames.dtype)
    else:
        frames = frames * (1.0 / math.sqrt(2))
    a, b, c, d = split(frames, 4, axis=-1)
    first = -reverse(c, [-1]) - d
    second = a - reverse(b, [-1])
    return dct(concat([first, second], -1), type=4, norm=norm)


def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None):
    """Signals from their MDCT: unfold each frame's type-IV DCT, window, overlap-add (a
    perfect reconstruction with a power-complementary window such as Vorbis', away from
    the first and last half frames)."""
    from .shape import concat, reverse, split
    t = as_tensor(mdcts, "inverse_mdct", "mdcts")
    if t.dtype not in REAL_FFT_DTYPES or t.ndim < 2 or t.shape[-1] < 2 or t.shape[-1] % 2:
        raise invalid("inverse_mdct", f"mdcts must be float32 or float64 [..., frames, "
                      f"coefficients] with an even number of coefficients, got "
                      f"{t.dtype.name} {t.shape}", [describe(t, "mdcts")], kind="shape")
    half = t.shape[-1]
    if norm is None:
        result = dct(t, type=4) * (0.5 / half)
    elif norm == "ortho":
        result = dct(t, type=4, norm="ortho")
    else:
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
    a, b = split(result, 2, axis=-1)
    frames = concat([b, -reverse(b, [-1]), -reverse(a, [-1]), -a], -1)
    if window_fn is not None:
        frames = frames * window_fn(2 * half, dtype=frames.dtype)
    else:
        frames = frames * (1.0 / math.sqrt(2))
    return overlap_and_add(frames, half)


# -- N-dimensional transforms over any axes -------------------------------------------------------

def _nd_axes(t, fft_length, axes, op_name):
    from ..shapes import normalize_axis
    if axes is None:
        count = t.ndim if fft_length is None else len(int_list(fft_length, op_name,
                                                                "fft_length"))
        if count > t.ndim:
            raise invalid(op_name, f"fft_length has {count} entries but input_tensor has "
                          f"only {t.ndim} dimensions", [describe(t, "input_tensor")],
                          kind="shape")
        dims = list(range(t.ndim - count, t.ndim))
    else:
        dims = [normalize_axis(a, t.ndim, op_name) for a in int_list(axes, op_name, "axes")]
    lengths = [t.shape[a] for a in dims] if fft_length is None else \
        int_list(fft_length, op_name, "fft_length")
    if len(lengths) != len(dims):
        raise invalid(op_name, f"fft_length has {len(lengths)} entries for {len(dims)} axes")
    if not dims:
        raise invalid(op_name, f"there is no axis to transform: input_tensor has shape "
                      f"{t.shape}", [describe(t, "input_tensor")], kind="shape")
    return dims, lengths


def _along(t, axis, fn):
    """``fn`` (acting on the last axis) applied along ``axis``."""
    from .shape import transpose
    if axis == t.ndim - 1:
        return fn(t)
    perm = list(range(t.ndim))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    return transpose(fn(transpose(t, perm)), perm)


def _norm_scale(norm, total, inverse, d):
    if norm in (None, "backward"):
        return None
    if norm == "ortho":
        factor = math.sqrt(total) if inverse else 1 / math.sqrt(total)
    elif norm == "forward":
        factor = float(total) if inverse else 1 / total
    else:
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or '
                         '"forward".')
    from .elementwise import complex_ as make_complex
    real_d = d.real_dtype if d.is_complex else d
    f = _constant(factor, real_d)
    return make_complex(f, f * 0) if d.is_complex else f


def _complex_nd(input_tensor, fft_length, axes, norm, inverse, op_name):
    t = as_tensor(input_tensor, op_name, "input_tensor")
    if t.dtype not in COMPLEX:
        raise invalid(op_name, f"input_tensor must be complex64 or complex128, got "
                      f"{t.dtype.name}", [describe(t, "input_tensor")], kind="dtype")
    dims, lengths = _nd_axes(t, fft_length, axes, op_name)
    for a, n in zip(dims, lengths):
        t = _along(t, a, lambda x, n=n: (ifft if inverse else fft)(_pad_or_crop(x, [n])))
    scale = _norm_scale(norm, int(np.prod(lengths)), inverse, t.dtype)
    return t if scale is None else t * scale


def fftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The complex FFT over ``axes`` (default: the last ``len(fft_length)`` axes, or all),
    each cropped or zero-padded to ``fft_length``; ``norm`` as NumPy's."""
    return _complex_nd(input_tensor, fft_length, axes, norm, False, "fftnd")


def ifftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The inverse of fftnd."""
    return _complex_nd(input_tensor, fft_length, axes, norm, True, "ifftnd")


def rfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The real-input FFT over ``axes``: a real FFT along the last of them, complex ones
    along the others."""
    t = as_tensor(input_tensor, "rfftnd", "input_tensor")
    dims, lengths = _nd_axes(t, fft_length, axes, "rfftnd")
    t = _along(t, dims[-1], lambda x: rfft(x, fft_length=[lengths[-1]]))
    for a, n in zip(dims[:-1], lengths[:-1]):
        t = _along(t, a, lambda x, n=n: fft(_pad_or_crop(x, [n])))
    scale = _norm_scale(norm, int(np.prod(lengths)), False, t.dtype)
    return t if scale is None else t * scale


def irfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The inverse of rfftnd: complex inverse FFTs along all but the last axis, then a real
    one producing ``fft_length[-1]`` samples."""
    t = as_tensor(input_tensor, "irfftnd", "input_tensor")
    dims, lengths = _nd_axes(t, fft_length, axes, "irfftnd")
    if fft_length is None:
        lengths[-1] = 2 * (t.shape[dims[-1]] - 1)
    for a, n in zip(dims[:-1], lengths[:-1]):
        t = _along(t, a, lambda x, n=n: ifft(_pad_or_crop(x, [n])))
    t = _along(t, dims[-1], lambda x: irfft(x, fft_length=[lengths[-1]]))
    scale = _norm_scale(norm, int(np.prod(lengths)), True, t.dtype)
    return t if scale is None else t * scale


for _fn in (fftshift, ifftshift, hann_window, hamming_window, frame, overlap_and_add, stft,
            inverse_stft, inverse_stft_window_fn):
    composite(_fn, ("signal",))
for _fn in (dct, idct, linear_to_mel_weight_matrix, mfccs_from_log_mel_spectrograms,
            kaiser_window, kaiser_bessel_derived_window, vorbis_window, fftnd, ifftnd,
            rfftnd, irfftnd, mdct, inverse_mdct):
    composite(_fn, ("signal",))
