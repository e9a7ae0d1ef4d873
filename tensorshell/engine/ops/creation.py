"""Creation ops: zeros, ones, fill, range, eye, linspace and their ``_like`` forms."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..dtypes import float32
from ..errors import from_kernel, invalid
from ..tensor import Tensor, infer
from ..devices import current
from .registry import as_tensor, describe, op, out
from .shape import int_list


def _xp():
    return current().backend.xp


def _shape(shape, op_name):
    dims = int_list(shape, op_name, "shape")
    if any(d < 0 for d in dims):
        raise invalid(op_name, f"dimensions must be non-negative, got {dims}", kind="shape")
    return dims


@op("zeros", differentiable=False)
def zeros(shape, dtype=float32, name=None, layout=None):
    d = dtypes.as_dtype(dtype)
    dims = _shape(shape, "zeros")
    if d.is_string:
        return out(np.full(dims, b"", dtype=object), d)  # out() keeps strings on the host
    return out(_xp().zeros(dims, dtype=d._np), d)


@op("ones", differentiable=False)
def ones(shape, dtype=float32, name=None, layout=None):
    d = dtypes.as_dtype(dtype)
    if d.is_string:
        raise invalid("ones", "there is no 'one' of the string dtype")
    return out(_xp().ones(_shape(shape, "ones"), dtype=d._np), d)


def _reduce_all(g):
    from .reduction import reduce_sum
    return reduce_sum(g)


@op("zeros_like", differentiable=False)
def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    t = as_tensor(input, "zeros_like", "input")
    return zeros(t._data.shape, t.dtype if dtype is None else dtype)


@op("ones_like", differentiable=False)
def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    t = as_tensor(input, "ones_like", "input")
    return ones(t._data.shape, t.dtype if dtype is None else dtype)


@op("fill", grad=lambda g, ans, dims, value, name=None, layout=None:
    (None, _reduce_all(g)))
def fill(dims, value, name=None, layout=None):
    """A tensor of shape ``dims`` filled with ``value`` (whose dtype it takes)."""
    v = as_tensor(value, "fill", "value")
    if v.ndim:
        raise invalid("fill", f"value must be a scalar, got shape {list(v.shape)}",
                      kind="shape")
    fill_value = v.numpy()  # a host scalar: every array module's `full` takes one
    if v.dtype.is_string:
        return out(np.full(_shape(dims, "fill"), fill_value, dtype=object), v.dtype)
    return out(_xp().full(_shape(dims, "fill"), fill_value, dtype=v.dtype._np), v.dtype)


@op("range", differentiable=False)
def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """``[start, start + delta, ...)`` up to ``limit``; ``ts.range(5)`` is 0..4 (int32).

    The dtype is the widest of the arguments' (floats win), or ``dtype``.
    """
    if limit is None:
        start, limit = 0, start
    vals = [v.numpy().item() if isinstance(v, Tensor) else v for v in (start, limit, delta)]
    if dtype is not None:
        d = dtypes.as_dtype(dtype)
    else:
        kinds = [infer(v)[1] for v in (start, limit, delta)]
        d = max(kinds, key=lambda k: (k.is_floating, k.size))
    if vals[2] == 0:
        raise invalid("range", "Requires delta != 0")
    if (vals[2] > 0 and vals[0] > vals[1]) or (vals[2] < 0 and vals[0] < vals[1]):
        raise invalid("range", f"Requires start <= limit when delta > 0: {vals[0]}/{vals[1]}"
                      if vals[2] > 0 else
                      f"Requires start >= limit when delta < 0: {vals[0]}/{vals[1]}")
    return out(_xp().arange(vals[0], vals[1], vals[2]).astype(d._np), d)


@op("eye", exports=("", "linalg"), differentiable=False)
def eye(num_rows, num_columns=None, batch_shape=None, dtype=float32, name=None):
    d = dtypes.as_dtype(dtype)
    rows, cols = int(num_rows), None if num_columns is None else int(num_columns)
    for n in (rows, cols):
        if n is not None and n < 0:
            raise invalid("eye", f"Dimension {n} must be >= 0", kind="shape")
    m = _xp().eye(rows, cols, dtype=d._np)
    if batch_shape is not None:
        b = _shape(batch_shape, "eye")
        m = _xp().broadcast_to(m, tuple(b) + m.shape).copy()
    return out(m, d)


@op("linspace", differentiable=False)
def linspace(start, stop, num, name=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive, in their float
    dtype; integer ends give float64 (float32 for 8/16-bit), as TensorFlow's division does.

    >>> ts.linspace(-2, 2, 5)          # float64 [-2. -1.  0.  1.  2.]
    """
    s = as_tensor(start, "linspace", "start")
    e = as_tensor(stop, "linspace", "stop", s.dtype, anchor="start")
    target = s.dtype
    if s.dtype.is_integer:
        small = s.dtype in (dtypes.int8, dtypes.int16, dtypes.uint8, dtypes.uint16)
        target = dtypes.float32 if small else dtypes.float64
    elif not s.dtype.is_floating:
        raise invalid("linspace", f"start and stop must be real numbers, got {s.dtype.name}",
                      kind="dtype")
    n = int(num)
    if n < 0:
        raise invalid("linspace", f"num must be >= 0, got {n}")
    try:
        data = _xp().linspace(s.numpy().astype(np.float64), e.numpy().astype(np.float64), n,
                              axis=int(axis)).astype(target._np)
    except (ValueError, IndexError) as exc:  # shapes that do not broadcast, a bad axis
        raise from_kernel("linspace", exc, [describe(s, "start"), describe(e, "stop")]) \
            from None
    return out(data, target)
