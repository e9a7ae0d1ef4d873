"""``ts.io``: reading and writing files and parsing CSV records, as TensorFlow's
``tf.io.read_file``, ``write_file`` and ``decode_csv`` (for ``tf.data`` pipelines over
``TextLineDataset``)."""

from __future__ import annotations

import csv

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError, NotFoundError
from .engine.tensor import Tensor, convert_to_tensor

__all__ = ["decode_csv", "read_file", "write_file"]


def _text(value) -> str:
    if isinstance(value, Tensor):
        value = value.numpy()
    return value.decode() if isinstance(value, bytes) else str(value)


def read_file(filename, name=None) -> Tensor:
    """The whole file as one string scalar (its bytes)."""
    path = _text(filename)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise NotFoundError(None, None, f"{path}: {e.strerror or e}") from None
    return convert_to_tensor(np.array(data, dtype=object), dtype=dtypes.string)


def write_file(filename, contents, name=None) -> None:
    """``contents`` (a string scalar) written to ``filename``, replacing it."""
    data = contents.numpy() if isinstance(contents, Tensor) else contents
    if isinstance(data, str):
        data = data.encode()
    with open(_text(filename), "wb") as f:
        f.write(bytes(data))


def _default(value, index):
    """(dtype, default or None when the field is required) of one record_defaults entry."""
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    if t.dtype not in (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                       dtypes.string):
        raise InvalidArgumentError(None, None, f"decode_csv: record_defaults[{index}] must be "
                                   f"float32, float64, int32, int64 or string, got "
                                   f"{t.dtype.name}")
    flat = np.asarray(t.numpy(), dtype=object).reshape(-1)
    if flat.size > 1:
        raise InvalidArgumentError(None, None, f"decode_csv: record_defaults[{index}] must "
                                   f"hold at most one value, got {flat.size}")
    return t.dtype, (flat[0] if flat.size else None)


def _parse(text: bytes, dtype, field, record):
    if dtype.is_string:
        return text
    s = text.decode("utf-8", "replace").strip()
    try:
        value = int(s) if dtype.is_integer else float(s)
    except ValueError:
        raise InvalidArgumentError(None, None, f"Field {field} in record {record} is not a "
                                   f"valid {dtype.name}: {s}") from None
    if dtype.is_integer and not dtype.min <= value <= dtype.max:
        raise InvalidArgumentError(None, None, f"Field {field} in record {record} is out of "
                                   f"range for {dtype.name}: {s}")
    return value


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="",
               select_cols=None, name=None) -> list:
    """Each CSV record (a string tensor of any shape) split into its fields: one tensor per
    column, of the dtype of that column's default; an empty (or ``na_value``) field takes
    the default, and a column whose default is empty is required."""
    recs = records.numpy() if isinstance(records, Tensor) else records
    recs = np.asarray(recs, dtype=object)
    columns = [_default(v, i) for i, v in enumerate(record_defaults)]
    select = None if select_cols is None else [int(c) for c in select_cols]
    if select is not None and (sorted(set(select)) != select or len(select) != len(columns)):
        raise InvalidArgumentError(None, None, "decode_csv: select_cols must be increasing and "
                                   "as many as record_defaults")
    delim = field_delim.decode() if isinstance(field_delim, bytes) else field_delim
    na = na_value.encode() if isinstance(na_value, str) else na_value
    outputs = [np.empty(recs.shape, dtype=object) for _ in columns]
    for index, record in enumerate(recs.reshape(-1)):
        text = record.decode("utf-8") if isinstance(record, bytes) else str(record)
        if use_quote_delim:
            fields = next(csv.reader([text], delimiter=delim, quotechar='"'), [])
        else:
            fields = text.split(delim)
        fields = [f.encode("utf-8") for f in fields] or [b""]
        if select is not None:
            if select[-1] >= len(fields):
                raise InvalidArgumentError(None, None, f"decode_csv: record {index} has "
                                           f"{len(fields)} fields, column {select[-1]} "
                                           f"selected")
            fields = [fields[c] for c in select]
        if len(fields) != len(columns):
            raise InvalidArgumentError(None, None, f"Expect {len(columns)} fields but have "
                                       f"{len(fields)} in record {index}")
        for col, (text_field, (dtype, default)) in enumerate(zip(fields, columns)):
            if text_field == b"" or text_field == na:
                if default is None:
                    raise InvalidArgumentError(None, None, f"Field {col} is required but "
                                               f"missing in record {index}!")
                value = default
            else:
                value = _parse(text_field, dtype, col, index)
            outputs[col].reshape(-1)[index] = value
    return [convert_to_tensor(out.astype(dtype.np_dtype) if not dtype.is_string else out,
                              dtype=dtype) for out, (dtype, _) in zip(outputs, columns)]
