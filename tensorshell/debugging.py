"""``ts.debugging``: runtime checks that raise ``InvalidArgumentError`` with TensorFlow's
wording (eager: they check at once and return None, or the checked tensor)."""

from __future__ import annotations

import numpy as np

from .engine.errors import InvalidArgumentError
from .engine.ops.registry import as_tensor, describe, unify


def _fail(op_name, text, operands=()):
    return InvalidArgumentError(None, None, text, op_name=op_name, operands=tuple(operands),
                                kind="value")


def check_numerics(tensor, message, name=None):
    """``tensor`` when it holds no NaN or Inf, else InvalidArgumentError naming which."""
    t = as_tensor(tensor, "check_numerics", "tensor")
    if not t.dtype.is_floating:
        raise _fail("check_numerics", f"check_numerics needs a floating-point tensor, got "
                    f"{t.dtype.name}", [describe(t, "tensor")])
    values = np.asarray(t.numpy())
    bad = [what for what, found in (("NaN", np.isnan(values).any()),
                                    ("Inf", np.isinf(values).any())) if found]
    if bad:
        raise _fail("check_numerics", f"{message} : Tensor had {' and '.join(bad)} values",
                    [describe(t, "tensor")])
    return t


def assert_all_finite(t, msg, name=None, x=None, message=None):
    return check_numerics(t if x is None else x, msg if message is None else message)


def _pair(op_name, x, y):
    a, b = unify(op_name, [x, y], ["x", "y"])
    try:
        np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    except ValueError:
        raise _fail(op_name, f"Incompatible shapes: {list(a.shape)} vs. {list(b.shape)}",
                    [describe(a, "x"), describe(b, "y")]) from None
    return a, b


def _first_differences(a, b, mask, summarize):
    where = np.argwhere(~mask)[:summarize]
    return "; ".join(f"x[{','.join(map(str, w))}] = {np.broadcast_to(a, mask.shape)[tuple(w)]}"
                     f", y = {np.broadcast_to(b, mask.shape)[tuple(w)]}" for w in where)


def assert_equal(x, y, message=None, summarize=None, name=None):
    """Raise unless ``x == y`` everywhere (broadcasting)."""
    a, b = _pair("assert_equal", x, y)
    av, bv = np.asarray(a.numpy()), np.asarray(b.numpy())
    equal = np.broadcast_to(av == bv, np.broadcast_shapes(av.shape, bv.shape))
    if not equal.all():
        prefix = f"{message}\n" if message else ""
        raise _fail("assert_equal", f"{prefix}Condition x == y did not hold. First "
                    f"differences: {_first_differences(av, bv, equal, summarize or 3)}",
                    [describe(a, "x"), describe(b, "y")])


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """Raise unless ``|x - y| <= atol + rtol * |y|`` everywhere (default tolerances: 10 x the
    dtype's epsilon)."""
    a, b = _pair("assert_near", x, y)
    av, bv = np.asarray(a.numpy()), np.asarray(b.numpy())
    eps = np.finfo(av.dtype).eps if av.dtype.kind in "fc" else 0
    rtol = 10 * eps if rtol is None else rtol
    atol = 10 * eps if atol is None else atol
    near = np.abs(av - bv) <= atol + rtol * np.abs(bv)
    if not near.all():
        prefix = f"{message}\n" if message else ""
        raise _fail("assert_near", f"{prefix}x and y not equal to tolerance rtol = {rtol}, "
                    f"atol = {atol}. First differences: "
                    f"{_first_differences(av, bv, near, summarize or 3)}",
                    [describe(a, "x"), describe(b, "y")])


def assert_rank(x, rank, message=None, name=None):
    """Raise unless ``x`` has rank ``rank``."""
    t = as_tensor(x, "assert_rank", "x")
    if t.ndim != int(rank):
        prefix = f"{message} " if message else ""
        raise _fail("assert_rank", f"{prefix}Tensor must have rank {int(rank)}. Received "
                    f"rank {t.ndim}, shape {list(t.shape)}", [describe(t, "x")])


__all__ = ["assert_all_finite", "assert_equal", "assert_near", "assert_rank",
           "check_numerics"]
