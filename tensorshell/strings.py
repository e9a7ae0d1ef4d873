"""``ts.strings``: string tensors (dtype string, UTF-8 bytes) as TensorFlow handles them,
elementwise on the host: lengths in bytes or characters, case, stripping, joining,
substrings, regular expressions, and conversions to and from numbers.

Results whose rows differ in length (``split``, ``unicode_decode`` of several strings,
``unicode_split``) are RaggedTensors, as in TensorFlow; the elementwise functions take
RaggedTensors too.
"""

from __future__ import annotations

import builtins
import functools
import re

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError
from .engine.ops.registry import as_tensor, describe
from .engine.tensor import constant, convert_to_tensor

_UNITS = ("BYTE", "UTF8_CHAR")


def _ragged_elementwise(fn):
    """An elementwise string function applied to a RaggedTensor's flat values."""
    @functools.wraps(fn)
    def wrapper(input, *args, **kwargs):  # noqa: A002
        if getattr(input, "_is_ragged", False):
            return input.with_flat_values(fn(input.flat_values, *args, **kwargs))
        return fn(input, *args, **kwargs)
    return wrapper


def _fail(op_name, text, operands=()):
    return InvalidArgumentError(None, None, f"{op_name}: {text}", op_name=op_name,
                                operands=tuple(operands), kind="value")


def _texts(value, op_name, label="input") -> np.ndarray:
    """The bytes of a string tensor (or Python strings), as an object array."""
    t = as_tensor(value, op_name, label)
    if not t.dtype.is_string:
        raise _fail(op_name, f"{label} must be a string tensor, got {t.dtype.name}",
                    [describe(t, label)])
    return np.asarray(t.numpy(), dtype=object)


def _each(fn, arr: np.ndarray, dtype) -> np.ndarray:
    out = np.empty(arr.shape, dtype=object if dtype is dtypes.string else dtype.np_dtype)
    flat_in, flat_out = arr.reshape(-1), out.reshape(-1)
    for i, v in enumerate(flat_in):
        flat_out[i] = fn(v)
    return out


def _result(arr: np.ndarray, dtype):
    return constant(arr, dtype=dtype)


def _unit(unit, op_name):
    if unit not in _UNITS:
        raise _fail(op_name, f"unit must be 'BYTE' or 'UTF8_CHAR', got {unit!r}")
    return unit


@_ragged_elementwise
def length(input, unit="BYTE", name=None):  # noqa: A002 - TensorFlow's names
    """Bytes (or, with ``unit="UTF8_CHAR"``, characters) in each string (int32)."""
    s = _texts(input, "strings.length")
    if _unit(unit, "strings.length") == "BYTE":
        return _result(_each(len, s, dtypes.int32), dtypes.int32)
    return _result(_each(lambda b: len(b.decode("utf-8", "replace")), s, dtypes.int32),
                   dtypes.int32)


@_ragged_elementwise
def upper(input, encoding="", name=None):  # noqa: A002
    """Upper case: ASCII letters only by default, every letter with ``encoding="utf-8"``."""
    s = _texts(input, "strings.upper")
    fn = (lambda b: b.decode("utf-8").upper().encode("utf-8")) if encoding else bytes.upper
    return _result(_each(fn, s, dtypes.string), dtypes.string)


@_ragged_elementwise
def lower(input, encoding="", name=None):  # noqa: A002
    """Lower case: ASCII letters only by default, every letter with ``encoding="utf-8"``."""
    s = _texts(input, "strings.lower")
    fn = (lambda b: b.decode("utf-8").lower().encode("utf-8")) if encoding else bytes.lower
    return _result(_each(fn, s, dtypes.string), dtypes.string)


@_ragged_elementwise
def strip(input, name=None):  # noqa: A002
    """Leading and trailing whitespace removed."""
    return _result(_each(bytes.strip, _texts(input, "strings.strip"), dtypes.string),
                   dtypes.string)


def _sep(separator) -> bytes:
    return separator.encode("utf-8") if isinstance(separator, str) else bytes(separator)


def join(inputs, separator="", name=None):
    """The strings of several tensors (broadcast together) joined elementwise."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError("strings.join takes a non-empty list of string tensors")
    parts = np.broadcast_arrays(*[_texts(v, "strings.join", f"inputs[{i}]")
                                  for i, v in enumerate(inputs)])
    sep = _sep(separator)
    out = np.empty(parts[0].shape, dtype=object)
    for idx in np.ndindex(out.shape):
        out[idx] = sep.join(p[idx] for p in parts)
    return _result(out, dtypes.string)


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """The strings joined along ``axis`` (all of them, in order, when None); a
    RaggedTensor's rows are joined along its last axis."""
    if getattr(inputs, "_is_ragged", False):
        rank = inputs.ndim
        if axis is None:
            return reduce_join(inputs.flat_values, None, keepdims, separator)
        if int(axis) % rank != rank - 1 or inputs.ragged_rank != rank - 1:
            raise _fail("strings.reduce_join", "a RaggedTensor is joined along its last "
                        "(ragged) axis only")
        sep = _sep(separator)
        if inputs.ragged_rank > 1:
            return inputs.with_values(reduce_join(inputs.values, -1, keepdims, separator))
        out = np.empty(len(inputs.to_list()), dtype=object)
        for i, row in enumerate(inputs.to_list()):
            out[i] = sep.join(row)
        joined = _result(out, dtypes.string)
        return joined if not keepdims else _result(out.reshape(-1, 1), dtypes.string)
    s = _texts(inputs, "strings.reduce_join", "inputs")
    sep = _sep(separator)
    if axis is None:
        joined = np.array(sep.join(s.reshape(-1)), dtype=object)
        return _result(joined.reshape((1,) * s.ndim) if keepdims else joined, dtypes.string)
    ax = int(axis) % max(s.ndim, 1)
    moved = np.moveaxis(s, ax, -1)
    out = np.empty(moved.shape[:-1], dtype=object)
    for idx in np.ndindex(out.shape):
        out[idx] = sep.join(moved[idx])
    return _result(np.expand_dims(out, ax) if keepdims else out, dtypes.string)


@_ragged_elementwise
def to_number(string_tensor, out_type=dtypes.float32, name=None):
    """Each string parsed as a number of ``out_type``; one that is not a number raises."""
    d = dtypes.as_dtype(out_type)
    if not (d.is_floating or d.is_integer):
        raise _fail("strings.to_number", f"out_type must be a number type, got {d.name}")
    s = _texts(string_tensor, "strings.to_number", "string_tensor")

    def parse(b):
        text = b.decode("utf-8", "replace").strip()
        try:
            value = int(text) if d.is_integer else float(text)
        except ValueError:
            raise _fail("strings.to_number", f"StringToNumberOp could not correctly convert "
                        f"string: {text}") from None
        if d.is_integer and not d.min <= value <= d.max:
            raise _fail("strings.to_number", f"{text} is out of range for {d.name}")
        return value
    return _result(_each(parse, s, d), d)


@_ragged_elementwise
def as_string(input, precision=-1, scientific=False, shortest=False, width=-1,  # noqa: A002
              fill="", name=None):
    """Numbers and booleans as strings: floats with 6 decimals by default (``precision``
    decimals, ``scientific`` notation, or the ``shortest`` form), padded to ``width`` with
    spaces (or zeros with ``fill="0"``), booleans as ``true``/``false``."""
    t = convert_to_tensor(input)
    if t.dtype.is_string:
        raise _fail("strings.as_string", "input is already a string tensor")
    if fill not in ("", " ", "0"):
        raise _fail("strings.as_string", f"fill must be '', ' ' or '0', got {fill!r}")
    pad = "0" if fill == "0" else ""
    w = "" if width is None or int(width) < 0 else str(int(width))
    if t.dtype.is_bool:
        fmt = lambda v: "true" if v else "false"  # noqa: E731
    elif t.dtype.is_floating:
        spec = "g" if shortest else ("e" if scientific else "f")
        p = "" if shortest and precision < 0 else f".{6 if precision < 0 else int(precision)}"
        fmt = lambda v: builtins.format(float(v), f"{pad}{w}{p}{spec}")  # noqa: E731
    elif t.dtype.is_integer:
        fmt = lambda v: builtins.format(int(v), f"{pad}{w}d")  # noqa: E731
    else:
        fmt = lambda v: f"({v.real:f},{v.imag:f})"  # noqa: E731
    values = np.asarray(t.numpy())
    return _result(_each(lambda v: fmt(v).encode("ascii"), values, dtypes.string),
                   dtypes.string)


@_ragged_elementwise
def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002
    """``len`` bytes (or characters) from position ``pos`` (negative: from the end) of each
    string; a ``pos`` outside a string raises, as in TensorFlow."""
    s = _texts(input, "strings.substr")
    start, count = int(pos), int(len)
    chars = _unit(unit, "strings.substr") == "UTF8_CHAR"

    def cut(b):
        seq = b.decode("utf-8") if chars else b
        n = seq.__len__()
        begin = start + n if start < 0 else start
        if not 0 <= begin <= n:
            raise _fail("strings.substr", f"pos {start} out of range for string {b!r} "
                        f"of length {n}")
        part = seq[begin:begin + count]
        return part.encode("utf-8") if chars else part
    return _result(_each(cut, s, dtypes.string), dtypes.string)


@_ragged_elementwise
def regex_full_match(input, pattern, name=None):  # noqa: A002
    """Whether each whole string matches ``pattern`` (bool)."""
    s = _texts(input, "strings.regex_full_match")
    rx = _compile(pattern, "strings.regex_full_match")
    return _result(_each(lambda b: rx.fullmatch(b) is not None, s, dtypes.bool), dtypes.bool)


@_ragged_elementwise
def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """``pattern`` replaced by ``rewrite`` (``\\1`` for groups) in each string: every match,
    or the first with ``replace_global=False``."""
    s = _texts(input, "strings.regex_replace")
    rx = _compile(pattern, "strings.regex_replace")
    rep = _sep(rewrite)
    count = 0 if replace_global else 1
    return _result(_each(lambda b: rx.sub(rep, b, count=count), s, dtypes.string),
                   dtypes.string)


def _compile(pattern, op_name):
    p = pattern.numpy() if hasattr(pattern, "numpy") else pattern
    try:
        return re.compile(p if isinstance(p, bytes) else str(p).encode("utf-8"))
    except re.error as e:
        raise _fail(op_name, f"invalid pattern {p!r}: {e}") from None


def unicode_decode(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                   name=None):
    """The code points of each string (int32): a vector for one string, a RaggedTensor (one
    row per string) for several."""
    if getattr(input, "_is_ragged", False):
        return input.with_flat_values(unicode_decode(input.flat_values, input_encoding,
                                                     errors))
    s = _texts(input, "strings.unicode_decode")
    codec = _codec(input_encoding)
    return _rows(s, [[ord(c) for c in b.decode(codec, errors)] for b in s.reshape(-1)],
                 dtypes.int32)


def unicode_split(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                  name=None):
    """Each string cut into its characters (as strings): a RaggedTensor for several."""
    codes = unicode_decode(input, input_encoding, errors)
    def encode(c):
        return chr(c).encode(_codec(input_encoding))

    if getattr(codes, "_is_ragged", False):
        flat = np.asarray(codes.flat_values.numpy())
        chars = np.empty(flat.shape, dtype=object)
        for i, c in enumerate(flat):
            chars[i] = encode(int(c))
        return codes.with_flat_values(_result(chars, dtypes.string))
    chars = np.empty(codes.shape[0], dtype=object)
    for i, c in enumerate(np.asarray(codes.numpy())):
        chars[i] = encode(int(c))
    return _result(chars, dtypes.string)


def unicode_encode(input, output_encoding, errors="replace", name=None):  # noqa: A002
    """Strings from code points: one from a vector, one per row of a RaggedTensor or of a
    matrix."""
    codec = _codec(output_encoding)

    def encode(codes):
        return "".join(chr(int(c)) for c in codes).encode(codec, errors)
    if getattr(input, "_is_ragged", False):
        if input.ragged_rank > 1:
            return input.with_values(unicode_encode(input.values, output_encoding, errors))
        rows = input.to_list()
        out = np.empty(len(rows), dtype=object)
        for i, r in enumerate(rows):
            out[i] = encode(r)
        return _result(out, dtypes.string)
    t = as_tensor(input, "strings.unicode_encode", "input")
    if not t.dtype.is_integer or t.ndim < 1:
        raise _fail("strings.unicode_encode", "input must be integer code points (a vector, "
                    "a matrix or a RaggedTensor)")
    codes = np.asarray(t.numpy())
    if codes.ndim == 1:
        return _result(np.array(encode(codes), dtype=object), dtypes.string)
    out = np.empty(codes.shape[:-1], dtype=object)
    for idx in np.ndindex(out.shape):
        out[idx] = encode(codes[idx])
    return _result(out, dtypes.string)


def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """Each string split at ``sep`` (runs of whitespace when None): a vector for one string,
    a RaggedTensor (one row per string) for several."""
    if getattr(input, "_is_ragged", False):
        return input.with_flat_values(split(input.flat_values, sep, maxsplit))
    s = _texts(input, "strings.split")
    if sep is not None and _sep(sep) == b"":
        raise _fail("strings.split", "sep must not be empty (None splits at whitespace)")
    sp = None if sep is None else _sep(sep)
    return _rows(s, [b.split(sp, maxsplit) for b in s.reshape(-1)], dtypes.string)


def _rows(s: np.ndarray, rows: list, dtype):
    """Per-string rows as a vector (one string) or a RaggedTensor with a row per string
    (rows of rows for more dimensions)."""
    from .ragged import RaggedTensor
    if not s.ndim:
        return _result(_array_of(rows[0], dtype), dtype)
    flat = _array_of([v for r in rows for v in r], dtype)
    ragged = RaggedTensor.from_row_lengths(_result(flat, dtype), [len(r) for r in rows])
    for n in reversed(s.shape[1:]):
        ragged = RaggedTensor.from_uniform_row_length(ragged, n)
    return ragged


def _array_of(values, dtype) -> np.ndarray:
    if dtype is dtypes.string:
        out = np.empty(len(values), dtype=object)
        out[:] = list(values)
        return out
    return np.asarray(values, dtype=dtype.as_numpy_dtype).reshape(-1)


def bytes_split(input, name=None):  # noqa: A002
    """Each string cut into its bytes (one-byte strings): a vector for one string, a
    RaggedTensor for several."""
    if getattr(input, "_is_ragged", False):
        return input.with_flat_values(bytes_split(input.flat_values))
    s = _texts(input, "strings.bytes_split")
    return _rows(s, [[bytes([c]) for c in b] for b in s.reshape(-1)], dtypes.string)


def _decode_with_offsets(input, input_encoding, errors, op_name):  # noqa: A002
    s = _texts(input, op_name)
    codec = _codec(input_encoding)
    codes, offsets = [], []
    for b in s.reshape(-1):
        text = b.decode(codec, errors)
        row_codes, row_offsets, pos = [], [], 0
        for ch in text:
            row_codes.append(ord(ch))
            row_offsets.append(pos)
            pos += len(ch.encode(codec, errors))
        codes.append(row_codes)
        offsets.append(row_offsets)
    return s, codes, offsets


def unicode_decode_with_offsets(input, input_encoding, errors="replace",  # noqa: A002
                                replacement_char=65533, replace_control_characters=False,
                                name=None):
    """``(code points, byte offsets)``: unicode_decode, and where each character starts."""
    s, codes, offsets = _decode_with_offsets(input, input_encoding, errors,
                                             "strings.unicode_decode_with_offsets")
    return _rows(s, codes, dtypes.int32), _rows(s, offsets, dtypes.int64)


def unicode_split_with_offsets(input, input_encoding, errors="replace",  # noqa: A002
                               replacement_char=65533, name=None):
    """``(characters, byte offsets)``: unicode_split, and where each character starts."""
    s, codes, offsets = _decode_with_offsets(input, input_encoding, errors,
                                             "strings.unicode_split_with_offsets")
    codec = _codec(input_encoding)
    chars = [[chr(c).encode(codec) for c in row] for row in codes]
    return _rows(s, chars, dtypes.string), _rows(s, offsets, dtypes.int64)


def unicode_transcode(input, input_encoding, output_encoding, errors="replace",  # noqa: A002
                      replacement_char=65533, replace_control_characters=False, name=None):
    """Each string re-encoded from ``input_encoding`` to ``output_encoding``."""
    s = _texts(input, "strings.unicode_transcode")
    source, target = _codec(input_encoding), _codec(output_encoding)
    return _result(_each(lambda b: b.decode(source, errors).encode(target, errors), s,
                         dtypes.string), dtypes.string)


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None,
           preserve_short_sequences=False, name=None):
    """The n-grams of each sequence of strings (the last axis of ``data``): its runs of
    ``ngram_width`` neighbours (several widths: all of them in turn) joined by
    ``separator``, optionally padded at both ends with ``pad_values``."""
    widths = [int(ngram_width)] if np.ndim(ngram_width) == 0 else [int(w) for w in ngram_width]
    if any(w < 1 for w in widths):
        raise ValueError(f"ngram_width must be >= 1, got {ngram_width}")
    if pad_values is None:
        left = right = None
    elif isinstance(pad_values, (tuple, list)):
        left, right = (_sep(v) for v in pad_values)
    else:
        left = right = _sep(pad_values)
    if padding_width is not None and int(padding_width) < 1:
        raise ValueError(f"padding_width must be > 0, got {padding_width}")
    sep = _sep(separator)

    def grams(row):
        out = []
        for w in widths:
            pad = 0 if left is None or w == 1 else (
                w - 1 if padding_width is None else min(int(padding_width), w - 1))
            seq = [left] * pad + list(row) + [right] * pad
            found = [sep.join(seq[i:i + w]) for i in range(len(seq) - w + 1)]
            if not found and preserve_short_sequences and row:
                found = [sep.join(seq)]
            out.extend(found)
        return out
    if getattr(data, "_is_ragged", False):
        rows = [grams([bytes(v) for v in r]) for r in data.to_list()]
        from .ragged import RaggedTensor
        flat = _array_of([g for r in rows for g in r], dtypes.string)
        return RaggedTensor.from_row_lengths(_result(flat, dtypes.string),
                                             [len(r) for r in rows])
    s = _texts(data, "strings.ngrams")
    if s.ndim == 0:
        raise _fail("strings.ngrams", "data must have rank >= 1 (a sequence of strings)")
    if s.ndim == 1:
        return _result(_array_of(grams(list(s)), dtypes.string), dtypes.string)
    rows = [grams(list(r)) for r in s.reshape(-1, s.shape[-1])]
    return _rows(np.empty(len(rows)), rows, dtypes.string)


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """The strings of each segment joined by ``separator`` (in input order); segments
    nobody names are empty strings."""
    s = _texts(inputs, "strings.unsorted_segment_join", "inputs")
    ids = np.asarray(convert_to_tensor(segment_ids).numpy())
    n = int(np.asarray(convert_to_tensor(num_segments).numpy()))
    if s.shape[:ids.ndim] != ids.shape:
        raise _fail("strings.unsorted_segment_join", f"segment_ids.shape {list(ids.shape)} "
                    f"must start inputs.shape {list(s.shape)}")
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        raise _fail("strings.unsorted_segment_join", f"segment_ids must be in [0, {n})")
    rest = s.shape[ids.ndim:]
    flat_s = s.reshape((-1,) + rest)
    parts = {}
    for i, seg in enumerate(ids.reshape(-1).tolist()):
        parts.setdefault(seg, []).append(flat_s[i])
    sep = _sep(separator)
    out = np.empty((n,) + rest, dtype=object)
    for seg in range(n):
        for idx in np.ndindex(rest):
            out[(seg,) + idx] = sep.join(p[idx] if idx else p for p in parts.get(seg, []))
    return _result(out, dtypes.string)


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    """``template`` with each ``placeholder`` replaced by an input, tensors written as
    ts.print writes them (``summarize`` entries at each end of long dimensions)."""
    from .control import _render
    values = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    pieces = str(template).split(placeholder)
    if len(pieces) - 1 != len(values):
        raise ValueError(f"num placeholders in template and num inputs must match: "
                         f"{len(pieces) - 1} vs. {len(values)}")
    text = pieces[0]
    for value, piece in zip(values, pieces[1:]):
        shown = value if getattr(value, "dtype", None) is not None else convert_to_tensor(value)
        text += _render(shown, summarize) + piece
    return _result(np.array(text.encode(), dtype=object), dtypes.string)


def _buckets(input, num_buckets, op_name, hash_fn):  # noqa: A002
    from . import hashing
    n = int(num_buckets)
    if n < 1:
        raise _fail(op_name, f"num_buckets must be >= 1, got {n}")
    if getattr(input, "_is_ragged", False):
        return input.with_flat_values(_buckets(input.flat_values, n, op_name, hash_fn))
    s = _texts(input, op_name)
    fn = getattr(hashing, hash_fn) if isinstance(hash_fn, str) else hash_fn
    return _result(_each(lambda b: fn(b) % n, s, dtypes.int64), dtypes.int64)


def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002
    """Each string's bucket in [0, num_buckets): FarmHash Fingerprint64 modulo the count -
    the buckets TensorFlow gives, so vocabularies hashed there line up here."""
    return _buckets(input, num_buckets, "strings.to_hash_bucket_fast", "fingerprint64")


def to_hash_bucket(string_tensor, num_buckets, name=None):
    """Each string's bucket with TensorFlow's older Hash64 (prefer to_hash_bucket_fast)."""
    return _buckets(string_tensor, num_buckets, "strings.to_hash_bucket", "legacy_hash64")


def to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    """Each string's bucket by SipHash-2-4 under ``key`` (two ints): hard to predict
    without the key, for adversarial inputs."""
    from . import hashing
    k = [int(v) & hashing.M64 for v in key]
    if len(k) != 2:
        raise _fail("strings.to_hash_bucket_strong", f"key must be two integers, got {key!r}")
    return _buckets(input, num_buckets, "strings.to_hash_bucket_strong",
                    lambda b: hashing.siphash24(k[0], k[1], b))


def _codec(name: str) -> str:
    known = {"UTF-8": "utf-8", "UTF8": "utf-8", "UTF-16-BE": "utf-16-be",
             "UTF-32-BE": "utf-32-be"}
    if name.upper() not in known:
        raise _fail("strings", f"unknown encoding {name!r}; one of {sorted(known)}")
    return known[name.upper()]


@functools.lru_cache(maxsize=1)
def _script_table():
    """ICU's script of every code point as runs (first code point, UScriptCode), the table
    TensorFlow 2.21 answers from (tools/record_unicode_scripts.py regenerates it)."""
    import importlib.resources
    with importlib.resources.files("tensorshell").joinpath(
            "resources/unicode_scripts.npz").open("rb") as f:
        table = np.load(f)
        return table["starts"].astype(np.int64), table["codes"].astype(np.int32)


def unicode_script(input, name=None):  # noqa: A002
    """The ICU script code (``UScriptCode``, int32) of each code point: 25 Latin, 17 Han,
    8 Cyrillic, 0 Common ...; -1 for values that are not code points.

    >>> ts.strings.unicode_script([33464, 1041])       # [17, 8]
    """
    if getattr(input, "_is_ragged", False):
        return input.with_flat_values(unicode_script(input.flat_values))
    t = as_tensor(input, "strings.unicode_script", "input")
    if t.dtype is not dtypes.int32:
        raise InvalidArgumentError(None, None, f"strings.unicode_script: input must be int32 "
                                   f"code points, got {t.dtype.name}",
                                   op_name="strings.unicode_script",
                                   operands=(describe(t, "input"),), kind="dtype",
                                   hint="ts.cast(input, ts.int32)")
    cps = np.asarray(t.numpy(), np.int64)
    starts, codes = _script_table()
    found = codes[np.searchsorted(starts, np.clip(cps, 0, 0x10FFFF), side="right") - 1]
    return constant(np.where((cps < 0) | (cps > 0x10FFFF), -1, found).astype(np.int32))


__all__ = ["as_string", "bytes_split", "format", "join", "length", "lower", "ngrams",
           "reduce_join", "regex_full_match", "regex_replace", "split", "strip", "substr",
           "to_hash_bucket", "to_hash_bucket_fast", "to_hash_bucket_strong", "to_number",
           "unicode_decode", "unicode_decode_with_offsets", "unicode_encode",
           "unicode_script", "unicode_split", "unicode_split_with_offsets", "unicode_transcode",
           "unsorted_segment_join", "upper"]


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
