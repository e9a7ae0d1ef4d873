"""``ts.compat``: TensorFlow's ``tf.compat`` helpers for bytes, text and shape dimensions
(``tf.compat.v1``, the graph-mode API, is not offered; ``compat.v2`` is tensorshell itself).

>>> ts.compat.as_bytes("abc"), ts.compat.as_text(b"abc")     # (b'abc', 'abc')
>>> ts.compat.dimension_value(ts.TensorShape([3, None])[1])    # None
"""

from __future__ import annotations

import contextlib
import datetime
import numbers
import os

import numpy as np

__all__ = ["as_bytes", "as_str", "as_str_any", "as_text", "bytes_or_text_types",
           "complex_types", "dimension_at_index", "dimension_value",
           "forward_compatibility_horizon", "forward_compatible", "integral_types",
           "path_to_str", "real_types"]

bytes_or_text_types = (bytes, str)
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)


def as_bytes(bytes_or_text, encoding="utf-8") -> bytes:
    """``bytes_or_text`` as bytes (text encoded with ``encoding``)."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding="utf-8") -> str:
    """``bytes_or_text`` as text (bytes decoded with ``encoding``)."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value, encoding="utf-8") -> str:
    """``value`` as text: bytes decoded, anything else through ``str``."""
    return as_text(value, encoding) if isinstance(value, bytes) else str(value)


def path_to_str(path):
    """A path-like object's string (anything else as it is)."""
    return os.fspath(path) if isinstance(path, os.PathLike) else path


def dimension_value(dimension):
    """A dimension's size as an int, or None when unknown."""
    return getattr(dimension, "value", dimension)


def dimension_at_index(shape, index):
    """The dimension ``index`` of ``shape`` (None for an unknown rank or size)."""
    from .engine.tensor import TensorShape
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if shape.rank is None:
        return None
    return shape[index]


_HORIZON = [datetime.date(2025, 12, 1)]


def forward_compatible(year, month, day) -> bool:
    """Whether code may rely on features of ops dated (year, month, day): true for dates
    before the compatibility horizon (tensorshell has no serialized graphs to stay
    compatible with)."""
    return _HORIZON[0] > datetime.date(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year, month, day):
    """Move the horizon to (year, month, day) inside the block (for tests)."""
    saved = _HORIZON[0]
    _HORIZON[0] = datetime.date(year, month, day)
    try:
        yield
    finally:
        _HORIZON[0] = saved


def __getattr__(name):
    if name == "v2":
        import tensorshell
        return tensorshell
    if name == "v1":
        raise AttributeError("ts.compat.v1 (TensorFlow 1's graph-mode API) is not offered: "
                             "tensorshell is eager, with TensorFlow 2's API")
    raise AttributeError(f"module 'tensorshell.compat' has no attribute {name!r}")


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
