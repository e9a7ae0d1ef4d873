"""``ts.audio``: WAV files as TensorFlow reads and writes them - 16-bit PCM, samples as
float32 in [-1, 1) shaped ``[samples, channels]``."""

from __future__ import annotations

import struct

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError
from .engine.tensor import Tensor, convert_to_tensor

__all__ = ["decode_wav", "encode_wav"]


def _bytes(value, label) -> bytes:
    data = value.numpy() if isinstance(value, Tensor) else value
    if isinstance(data, str):
        data = data.encode()
    if not isinstance(data, bytes):
        raise InvalidArgumentError(None, None, f"decode_wav: {label} must be a string scalar "
                                   "(the file's bytes)")
    return data


def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """``(audio, sample_rate)`` of a 16-bit PCM WAV file's bytes: ``audio`` float32
    ``[samples, channels]`` (int16 / 32768). ``desired_channels`` keeps the first ones or
    repeats the last; ``desired_samples`` cuts or pads with silence."""
    data = _bytes(contents, "contents")

    def bad(reason):
        return InvalidArgumentError(None, None, f"decode_wav: {reason}")
    if len(data) < 12:
        raise bad("Data too short when trying to read string")
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise bad("the contents are not a RIFF/WAVE file")
    pos, fmt, samples = 12, None, None
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8:pos + 8 + size]
        if len(body) < size:
            raise bad(f"the {chunk.decode(errors='replace')!r} chunk is truncated")
        if chunk == b"fmt ":
            if size < 16:
                raise bad("the fmt chunk is too short")
            fmt = struct.unpack_from("<HHIIHH", body)
        elif chunk == b"data":
            samples = body
        pos += 8 + size + (size & 1)
    if fmt is None or samples is None:
        raise bad("no fmt or data chunk")
    kind, channels, rate, _, _, bits = fmt
    if kind not in (1, 0xFFFE) or bits != 16:
        raise bad(f"only 16-bit PCM is supported, got format {kind} with {bits} bits per "
                  "sample")
    if channels < 1:
        raise bad("the file has no channels")
    frames = len(samples) // (2 * channels)
    audio = np.frombuffer(samples[:frames * 2 * channels], "<i2").reshape(frames, channels)
    audio = audio.astype(np.float32) / 32768.0
    want = int(desired_channels)
    if want > 0:
        index = np.minimum(np.arange(want), channels - 1)   # repeat the last channel
        audio = audio[:, index]
    length = int(desired_samples)
    if length >= 0:
        audio = audio[:length] if length <= frames else np.concatenate(
            [audio, np.zeros((length - frames, audio.shape[1]), np.float32)])
    return (convert_to_tensor(np.ascontiguousarray(audio)),
            convert_to_tensor(np.int32(rate)))


def encode_wav(audio, sample_rate, name=None):
    """A 16-bit PCM WAV file (a string scalar) of float ``audio`` ``[samples, channels]``,
    clipped to [-1, 1] and scaled by 32768."""
    t = audio if isinstance(audio, Tensor) else convert_to_tensor(audio)
    if t.dtype is not dtypes.float32 or t.ndim != 2:
        raise InvalidArgumentError(None, None, f"encode_wav: audio must be a float32 matrix "
                                   f"[samples, channels], got {t.dtype.name} of shape "
                                   f"{list(t.shape)}")
    rate = int(sample_rate.numpy() if isinstance(sample_rate, Tensor) else sample_rate)
    if rate <= 0:
        raise InvalidArgumentError(None, None, f"encode_wav: sample_rate must be positive, "
                                   f"got {rate}")
    frames, channels = t.shape
    scaled = np.clip(t.numpy(), -1.0, 1.0) * np.float32(32768.0)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))  # C's roundf
    pcm = np.clip(rounded, -32768, 32767)
    body = pcm.astype("<i2").tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(body)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16) + \
        b"data" + struct.pack("<I", len(body))
    return convert_to_tensor(np.array(header + body, dtype=object), dtype=dtypes.string)


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
