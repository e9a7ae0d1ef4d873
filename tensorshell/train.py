"""``ts.train``: the ``tf.train.Example`` protocol buffers that TFRecord files hold -
``Example``, ``Features``, ``Feature`` and the ``BytesList``/``FloatList``/``Int64List``
value lists - readable and writable without protobuf: the wire format is encoded and
decoded here (packed and unpacked repeated fields both accepted), so files written by
TensorFlow read here and the other way round.

>>> ex = ts.train.Example(features=ts.train.Features(feature={
...     "x": ts.train.Feature(float_list=ts.train.FloatList(value=[1.0, 2.0]))}))
>>> ts.train.Example.FromString(ex.SerializeToString()) == ex
True
"""

from __future__ import annotations

import struct

import numpy as np

__all__ = ["BytesList", "Example", "Feature", "FeatureList", "FeatureLists", "Features",
           "FloatList", "Int64List", "SequenceExample"]


# -- wire format --------------------------------------------------------------------------------

def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64s take ten bytes, as protobuf encodes them
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint in a protocol buffer")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 70:
            raise ValueError("varint too long in a protocol buffer")


def _field(number: int, wire: int) -> bytes:
    return _varint((number << 3) | wire)


def _length_delimited(number: int, payload: bytes) -> bytes:
    return _field(number, 2) + _varint(len(payload)) + payload


def _fields(data: bytes):
    """(field number, wire type, value) for each field of a message: ints for varints, bytes
    otherwise."""
    pos = 0
    while pos < len(data):
        key, pos = _read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _read_varint(data, pos)
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = _read_varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported protocol buffer wire type {wire}")
        if pos > len(data):
            raise ValueError("truncated protocol buffer")
        yield number, wire, value


def _signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _packed_varints(data: bytes) -> list:
    values, pos = [], 0
    while pos < len(data):
        item, pos = _read_varint(data, pos)
        values.append(_signed64(item))
    return values


def _repeated(data: bytes, packed, single_wire: int, single) -> list:
    """The values of repeated field 1, packed (one length-delimited run) or not."""
    values = []
    for n, w, v in _fields(data):
        if n == 1 and w == 2:
            values.extend(packed(v))
        elif n == 1 and w == single_wire:
            values.append(single(v))
    return values


# -- the messages -------------------------------------------------------------------------------

class _List:
    __slots__ = ("value",)

    def __init__(self, value=()):
        self.value = [self._item(v) for v in (value.tolist() if hasattr(value, "tolist")
                                             else value)]

    def __eq__(self, other):
        return type(other) is type(self) and other.value == self.value

    def __repr__(self):
        return f"{type(self).__name__}(value={self.value!r})"


class BytesList(_List):
    """Byte strings (str values are stored UTF-8 encoded)."""

    @staticmethod
    def _item(v):
        return v.encode() if isinstance(v, str) else bytes(v)

    def _encode(self) -> bytes:
        return b"".join(_length_delimited(1, v) for v in self.value)

    @classmethod
    def _decode(cls, data):
        return cls([v for n, w, v in _fields(data) if n == 1 and w == 2])


class FloatList(_List):
    """32-bit floats (packed on the wire)."""

    @staticmethod
    def _item(v):
        return float(np.float32(v))

    def _encode(self) -> bytes:
        if not self.value:
            return b""
        return _length_delimited(1, np.asarray(self.value, "<f4").tobytes())

    @classmethod
    def _decode(cls, data):
        return cls(_repeated(data, lambda v: np.frombuffer(v, "<f4").tolist(), 5,
                             lambda v: struct.unpack("<f", v)[0]))


class Int64List(_List):
    """64-bit integers (packed varints on the wire)."""

    @staticmethod
    def _item(v):
        return int(v)

    def _encode(self) -> bytes:
        if not self.value:
            return b""
        return _length_delimited(1, b"".join(_varint(v) for v in self.value))

    @classmethod
    def _decode(cls, data):
        return cls(_repeated(data, _packed_varints, 0, _signed64))


_KINDS = (("bytes_list", BytesList), ("float_list", FloatList), ("int64_list", Int64List))


class Feature:
    """One of bytes_list, float_list or int64_list."""

    __slots__ = ("_kind", "_value")

    def __init__(self, bytes_list=None, float_list=None, int64_list=None):
        given = [(k, v) for k, v in (("bytes_list", bytes_list), ("float_list", float_list),
                                     ("int64_list", int64_list)) if v is not None]
        if len(given) > 1:
            raise ValueError("A Feature holds one of bytes_list, float_list and int64_list")
        self._kind, self._value = given[0] if given else (None, None)

    def WhichOneof(self, name="kind"):  # noqa: N802 - protobuf's name
        return self._kind

    def __getattr__(self, name):
        for kind, cls in _KINDS:
            if name == kind:
                return self._value if self._kind == kind else cls()
        raise AttributeError(f"Feature has no attribute {name!r}")

    def _encode(self) -> bytes:
        if self._kind is None:
            return b""
        number = [k for k, _ in _KINDS].index(self._kind) + 1
        return _length_delimited(number, self._value._encode())

    @classmethod
    def _decode(cls, data):
        feature = cls()
        for n, w, v in _fields(data):
            if w == 2 and 1 <= n <= 3:
                kind, list_cls = _KINDS[n - 1]
                feature._kind, feature._value = kind, list_cls._decode(v)
        return feature

    def __eq__(self, other):
        return isinstance(other, Feature) and (self._kind, self._value) == \
            (other._kind, other._value)

    def __repr__(self):
        return f"Feature({self._kind}={self._value!r})" if self._kind else "Feature()"


def _encode_map(entries) -> bytes:
    """A protobuf ``map<string, Message>`` (field 1 of the holder), keys sorted."""
    return b"".join(_length_delimited(1, _length_delimited(1, k.encode() if isinstance(
        k, str) else k) + _length_delimited(2, v._encode())) for k, v in sorted(entries.items()))


def _decode_map(data, value_cls) -> dict:
    out = {}
    for n, w, entry in _fields(data):
        if n != 1 or w != 2:
            continue
        key, value = b"", value_cls()
        for en, ew, ev in _fields(entry):
            if en == 1 and ew == 2:
                key = ev
            elif en == 2 and ew == 2:
                value = value_cls._decode(ev)
        out[key.decode("utf-8", "surrogateescape")] = value
    return out


class _Map:
    """A protobuf message holding one ``map<string, Message>``: Features, FeatureLists."""

    __slots__ = ()
    _ATTR: str = ""
    _VALUE: type = object

    def __init__(self, entries=None):
        setattr(self, self._ATTR, dict(entries or {}))

    def _encode(self) -> bytes:
        return _encode_map(getattr(self, self._ATTR))

    @classmethod
    def _decode(cls, data):
        return cls(_decode_map(data, cls._VALUE))

    def __eq__(self, other):
        return type(other) is type(self) and getattr(self, self._ATTR) == getattr(
            other, self._ATTR)

    def __repr__(self):
        return f"{type(self).__name__}({self._ATTR}={getattr(self, self._ATTR)!r})"


class Features(_Map):
    """A map from feature names to Features."""

    __slots__ = ("feature",)
    _ATTR, _VALUE = "feature", Feature

    def __init__(self, feature=None):
        super().__init__(feature)


class FeatureList:
    """A sequence of Features: one feature's values at each step of a SequenceExample."""

    __slots__ = ("feature",)

    def __init__(self, feature=None):
        self.feature = list(feature or [])

    def _encode(self) -> bytes:
        return b"".join(_length_delimited(1, f._encode()) for f in self.feature)

    @classmethod
    def _decode(cls, data):
        return cls([Feature._decode(v) for n, w, v in _fields(data) if n == 1 and w == 2])

    def __eq__(self, other):
        return isinstance(other, FeatureList) and self.feature == other.feature

    def __repr__(self):
        return f"FeatureList(feature={self.feature!r})"


class FeatureLists(_Map):
    """A map from feature names to FeatureLists."""

    __slots__ = ("feature_list",)
    _ATTR, _VALUE = "feature_list", FeatureList

    def __init__(self, feature_list=None):
        super().__init__(feature_list)


class _Message:
    """Serialization shared by Example and SequenceExample: their fields are messages."""

    __slots__ = ()
    _FIELDS: tuple = ()            # (number, attribute, class)

    def __init__(self, **values):
        for _, attr, cls in self._FIELDS:
            value = values.get(attr)
            setattr(self, attr, value if value is not None else cls())

    def SerializeToString(self, deterministic=None) -> bytes:  # noqa: N802 - protobuf's
        out = b""
        for number, attr, _ in self._FIELDS:
            body = getattr(self, attr)._encode()
            if body:
                out += _length_delimited(number, body)
        return out

    def ParseFromString(self, data) -> int:  # noqa: N802
        data = data.numpy() if hasattr(data, "numpy") else data
        for number, attr, cls in self._FIELDS:
            setattr(self, attr, cls())
        by_number = {number: (attr, cls) for number, attr, cls in self._FIELDS}
        for n, w, v in _fields(bytes(data)):
            if n in by_number and w == 2:
                attr, cls = by_number[n]
                setattr(self, attr, cls._decode(v))
        return len(data)

    @classmethod
    def FromString(cls, data):  # noqa: N802
        message = cls()
        message.ParseFromString(data)
        return message

    def __eq__(self, other):
        return type(other) is type(self) and all(
            getattr(self, a) == getattr(other, a) for _, a, _ in self._FIELDS)

    def __repr__(self):
        body = ", ".join(f"{a}={getattr(self, a)!r}" for _, a, _ in self._FIELDS)
        return f"{type(self).__name__}({body})"


class Example(_Message):
    """A record of named features: what a TFRecord file of training data holds."""

    __slots__ = ("features",)
    _FIELDS = ((1, "features", Features),)

    def __init__(self, features=None):
        super().__init__(features=features)


class SequenceExample(_Message):
    """A record of ``context`` features (one value list each) and ``feature_lists`` (a list
    of Features per name, one per step): sequences such as a video's frames or a sentence's
    words, for ``ts.io.parse_sequence_example``."""

    __slots__ = ("context", "feature_lists")
    _FIELDS = ((1, "context", Features), (2, "feature_lists", FeatureLists))

    def __init__(self, context=None, feature_lists=None):
        super().__init__(context=context, feature_lists=feature_lists)


from .checkpoint import (  # noqa: E402 - checkpoint.py reads protobufs with the code above
    Checkpoint, CheckpointManager, CheckpointOptions, CheckpointReader, CheckpointView,
    checkpoints_iterator, get_checkpoint_state, latest_checkpoint, list_variables,
    load_checkpoint, load_variable)

from .moving_averages import ExponentialMovingAverage  # noqa: E402

__all__ += ["ExponentialMovingAverage", "Checkpoint", "CheckpointManager", "CheckpointOptions",
            "CheckpointReader", "CheckpointView", "checkpoints_iterator",
            "get_checkpoint_state", "latest_checkpoint", "list_variables", "load_checkpoint",
            "load_variable"]


def __dir__():
    return sorted(__all__)
