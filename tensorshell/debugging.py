"""``ts.debugging``: runtime checks that raise ``InvalidArgumentError`` with TensorFlow's
wording (eager: they check at once and return None, or the checked tensor)."""

from __future__ import annotations

import numpy as np

from .engine.dtypes import as_dtype, float32
from .engine.errors import InvalidArgumentError
from .engine.ops.registry import as_tensor, describe, unify
from .engine.tensor import Tensor


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


def _elements(label, values, n) -> str:
    flat = values.reshape(-1)[:n]
    return f"First {flat.size} elements of {label}:\n{flat}"


def _compare(op_name, symbol, ufunc, x, y, message, summarize):
    a, b = _pair(op_name, x, y)
    av, bv = np.asarray(a.numpy()), np.asarray(b.numpy())
    held = ufunc(av, bv)
    if held.all():
        return None
    n = 3 if summarize is None else int(summarize)
    text = f"{message}\n" if message else ""
    text += f"Condition x {symbol} y did not hold."
    if av.shape == bv.shape:  # TensorFlow names the failing positions when shapes agree
        where = np.argwhere(~held)[:n]
        text += (f"\nIndices of first {len(where)} different values:\n{where}"
                 f"\nCorresponding x values:\n{av[tuple(where.T)]}"
                 f"\nCorresponding y values:\n{bv[tuple(where.T)]}")
    text += f"\n{_elements('x', av, n)}\n{_elements('y', bv, n)}"
    raise _fail(op_name, text, [describe(a, "x"), describe(b, "y")])


def assert_greater(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless ``x > y`` everywhere (broadcasting)."""
    return _compare("assert_greater", ">", np.greater, x, y, message, summarize)


def assert_greater_equal(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless ``x >= y`` everywhere (broadcasting)."""
    return _compare("assert_greater_equal", ">=", np.greater_equal, x, y, message, summarize)


def assert_less(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless ``x < y`` everywhere (broadcasting)."""
    return _compare("assert_less", "<", np.less, x, y, message, summarize)


def assert_less_equal(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless ``x <= y`` everywhere (broadcasting)."""
    return _compare("assert_less_equal", "<=", np.less_equal, x, y, message, summarize)


def assert_none_equal(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError where any ``x == y`` (broadcasting)."""
    return _compare("assert_none_equal", "!=", np.not_equal, x, y, message, summarize)


def _sign(op_name, symbol, ufunc, x, message, summarize):
    t = as_tensor(x, op_name, "x")
    if not (t.dtype.is_floating or t.dtype.is_integer):
        raise _fail(op_name, f"{op_name} needs a real numeric tensor, got {t.dtype.name}",
                    [describe(t, "x")])
    values = np.asarray(t.numpy())
    if ufunc(values, 0).all():
        return None
    n = 3 if summarize is None else int(summarize)
    prefix = f"{message}\n" if message else ""
    raise _fail(op_name, f"{prefix}Condition x {symbol} 0 did not hold element-wise:\n"
                f"x (shape={tuple(values.shape)} dtype={t.dtype.name}) = \n"
                f"{values.reshape(-1)[:n]}", [describe(t, "x")])


def assert_positive(x, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless every entry of ``x`` is > 0 (an empty ``x`` passes)."""
    return _sign("assert_positive", ">", np.greater, x, message, summarize)


def assert_negative(x, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless every entry of ``x`` is < 0."""
    return _sign("assert_negative", "<", np.less, x, message, summarize)


def assert_non_negative(x, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless every entry of ``x`` is >= 0."""
    return _sign("assert_non_negative", ">=", np.greater_equal, x, message, summarize)


def assert_non_positive(x, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless every entry of ``x`` is <= 0."""
    return _sign("assert_non_positive", "<=", np.less_equal, x, message, summarize)


def assert_integer(x, message=None, name=None):
    """Raise TypeError unless ``x`` has an integer dtype."""
    t = as_tensor(x, "assert_integer", "x")
    if not t.dtype.is_integer:
        prefix = f"{message} " if message else ""
        raise TypeError(f'{prefix}Expected "x" to be integer type.  Found: tensor of dtype '
                        f"{t.dtype!r}")


def assert_type(tensor, tf_type, message=None, name=None):
    """Raise TypeError unless ``tensor`` has dtype ``tf_type``."""
    want = as_dtype(tf_type)
    got = tensor.dtype if hasattr(tensor, "dtype") else as_tensor(tensor, "assert_type").dtype
    if as_dtype(got) is not want:
        prefix = f"{message} " if message else ""
        raise TypeError(f"{prefix}tensor must be of type ts.{want.name}; got ts.{got.name}")


def assert_scalar(tensor, message=None, name=None):
    """``tensor`` when it is a scalar, else ValueError."""
    t = as_tensor(tensor, "assert_scalar", "tensor")
    if t.ndim != 0:
        prefix = f"{message} " if message else ""
        raise ValueError(f"{prefix}Expected scalar shape, saw shape: {tuple(t.shape)}.")
    return t


def _rank_error(t, what, message):
    prefix = f"{message} " if message else ""
    return ValueError(f"{prefix}Tensor must have rank {what}.  Received rank {t.ndim}, "
                      f"shape {tuple(t.shape)}")


def assert_rank_at_least(x, rank, message=None, name=None):
    """Raise ValueError unless ``x`` has rank ``rank`` or more."""
    t = as_tensor(x, "assert_rank_at_least", "x")
    if t.ndim < int(rank):
        raise _rank_error(t, f"at least {int(rank)}", message)


def assert_rank_in(x, ranks, message=None, name=None):
    """Raise ValueError unless ``x``'s rank is one of ``ranks``."""
    t = as_tensor(x, "assert_rank_in", "x")
    allowed = tuple(int(r) for r in ranks)
    if t.ndim not in allowed:
        raise _rank_error(t, f"in {allowed}", message)


def assert_same_float_dtype(tensors=None, dtype=None):
    """The one floating dtype ``tensors`` (and ``dtype``, when given) share: float32 when
    there is nothing to check; ValueError on a mix or a non-float."""
    anchor = None if dtype is None else as_dtype(dtype)
    first = None
    for t in tensors or ():
        if anchor is None:
            anchor, first = t.dtype, t
        elif t.dtype is not anchor:
            raise ValueError(f"{t!r}, type={t.dtype!r}, must be of the same type ({anchor!r})"
                             f"{f' as {first!r}' if first is not None else ''}.")
    if anchor is None:
        return float32
    if not anchor.is_floating:
        raise ValueError(f"Expected floating point type, got {anchor!r}.")
    return anchor


def assert_proper_iterable(values):
    """Raise TypeError for a tensor, array, string or bytes: iterables that are not a
    collection of values to check."""
    if isinstance(values, (Tensor, np.ndarray, str, bytes)) or getattr(values, "_is_variable",
                                                                      False) \
            or not hasattr(values, "__iter__"):
        raise TypeError('Expected argument "values" to be a "proper" iterable.  Found: '
                        f"{type(values)}")


def is_numeric_tensor(tensor) -> bool:
    """Whether ``tensor`` is a tensor of a numeric (not string) dtype."""
    return isinstance(tensor, Tensor) and not tensor.dtype.is_string


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TensorFlow's name
    """Raise InvalidArgumentError showing ``data`` unless the scalar ``condition`` holds."""
    if getattr(condition, "ndim", 0):
        raise ValueError("The truth value of an array with more than one element is "
                         "ambiguous. Use a.any() or a.all()")
    if bool(condition):
        return None
    n = 3 if summarize is None else int(summarize)
    shown = []
    for d in data:
        if isinstance(d, Tensor) or getattr(d, "_is_variable", False):
            value = np.asarray(d.numpy()).reshape(-1)[:n]
            shown.append(", ".join(str(v) for v in value))
        else:
            shown.append(repr(d.encode() if isinstance(d, str) else d))
    raise _fail("Assert", f"Expected '{condition!r}' to be true. Summarized data: "
                + "\n".join(shown))


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Check several tensors' shapes against specs at once: ``[(x, ("N", "D")), (y,
    ("N",)), (z, (2, 3)), (s, [])]``. A string names a dimension that must agree across
    tensors; an int fixes it; ``None`` accepts any size. Raises ValueError naming the tensor
    that set the size."""
    items = shapes.items() if hasattr(shapes, "items") else shapes
    known: dict = {}
    prefix = f"{message} " if message else ""
    for tensor, spec in items:
        t = tensor if hasattr(tensor, "shape") else as_tensor(tensor, "assert_shapes")
        dims = tuple(t.shape)
        spec = tuple(spec)
        if len(spec) != len(dims):
            what = f"in {(0, len(spec))}" if len(spec) == 1 else str(len(spec))
            raise _rank_error(t, what, message)
        desc = f"Tensor shape={dims} dtype={t.dtype.name}"
        for axis, (want, got) in enumerate(zip(spec, dims)):
            if want is None:
                continue
            if isinstance(want, str):
                if want not in known:
                    known[want] = (got, f"Specified by {desc} dimension {axis}.")
                    continue
                size, origin = known[want]
            else:
                size, origin = int(want), "Specified explicitly."
            if got != size:
                raise ValueError(f"{prefix}{origin}  {desc} dimension {axis} must have size "
                                 f"{size}.  Received size {got}, shape {dims}")


# -- watching every op: where it runs, and whether it made NaN or Inf --------------------------

# hooks called as hook(op_name, result) after every op called through ts.* or an operator,
# while at least one is on; the ops are wrapped only then, so dispatch pays nothing otherwise
_hooks: dict = {}
_wrapped: list = []


def _modules():
    import importlib
    names = {"": "tensorshell", "math": "tensorshell.math", "linalg": "tensorshell.linalg",
             "nn": "tensorshell.nn", "random": "tensorshell.random",
             "bitwise": "tensorshell.bitwise", "signal": "tensorshell.signal",
             "image": "tensorshell.image"}
    return {ns: importlib.import_module(m) for ns, m in names.items()}


def _watched(name, fn):
    import functools

    @functools.wraps(fn)
    def run(*args, **kwargs):
        result = fn(*args, **kwargs)
        for hook in list(_hooks.values()):
            hook(name, result)
        return result
    return run


def _set_hook(key, hook) -> None:
    """Turn the hook ``key`` on (``hook`` a function) or off (None), wrapping the public ops
    while any hook is on."""
    from .engine.ops.registry import NAMESPACES, TENSOR_METHODS
    if hook is None:
        _hooks.pop(key, None)
    else:
        _hooks[key] = hook
    if _hooks and not _wrapped:
        for ns, module in _modules().items():
            for name, fn in NAMESPACES[ns].items():
                if callable(fn) and not isinstance(fn, type) and getattr(module, name,
                                                                       None) is fn:
                    _wrapped.append((module, name, fn))
                    setattr(module, name, _watched(name, fn))
        for name in TENSOR_METHODS:
            original = getattr(Tensor, name)
            _wrapped.append((Tensor, name, original))
            setattr(Tensor, name, _watched(name.strip("_"), original))
    elif not _hooks and _wrapped:
        for owner, name, fn in reversed(_wrapped):
            setattr(owner, name, fn)
        _wrapped.clear()


def _outputs(result):
    return [r for r in (result if isinstance(result, (list, tuple)) else [result])
            if isinstance(r, Tensor)]


def _log_placement(name, result):
    import sys
    outputs = _outputs(result)
    if outputs:
        print(f"Executing op {name} in device {outputs[0].device}", file=sys.stderr)


def set_log_device_placement(enabled) -> None:
    """Print ``Executing op NAME in device DEVICE`` (to standard error) for every op called
    through ts.* or a tensor operator, as TensorFlow's option does - to see where each op
    runs. Costs nothing while off."""
    _set_hook("placement", _log_placement if enabled else None)


def get_log_device_placement() -> bool:
    """Whether set_log_device_placement is on."""
    return "placement" in _hooks


def _check_numerics(name, result):
    for i, t in enumerate(_outputs(result)):
        if not (t.dtype.is_floating or t.dtype.is_complex):
            continue
        values = np.asarray(t.numpy())
        found = [what for what, bad in (("NaN", np.isnan(values)), ("Infinity",
                                                                   np.isinf(values)))
                 if bad.any()]
        if found:
            raise _fail(name, f"!!! Detected {' or '.join(found)} in output {i} of "
                        f"eagerly-executing op \"{name}\" (# of outputs: "
                        f"{len(_outputs(result))}) !!!\n  dtype: {t.dtype.name}\n  shape: "
                        f"{list(t.shape)}", [describe(t, "output")])


def enable_check_numerics(stack_height_limit=30, path_length_limit=50) -> None:
    """Raise InvalidArgumentError, naming the op, as soon as an op called through ts.* or
    an operator produces NaN or Infinity - to find where a training run first goes wrong.
    Costs a scan of every result while on, nothing while off."""
    _set_hook("numerics", _check_numerics)


def disable_check_numerics() -> None:
    _set_hook("numerics", None)


_TRACEBACK_FILTERING = [True]


def enable_traceback_filtering() -> None:
    """Accepted for TensorFlow code: tensorshell's errors are raised from the op the user
    called, so there are no framework frames to filter."""
    _TRACEBACK_FILTERING[0] = True


def disable_traceback_filtering() -> None:
    _TRACEBACK_FILTERING[0] = False


def is_traceback_filtering_enabled() -> bool:
    return _TRACEBACK_FILTERING[0]


__all__ = ["Assert", "assert_all_finite", "assert_equal", "assert_greater",
           "assert_greater_equal", "assert_integer", "assert_less", "assert_less_equal",
           "assert_near", "assert_negative", "assert_non_negative", "assert_non_positive",
           "assert_none_equal", "assert_positive", "assert_proper_iterable", "assert_rank",
           "assert_rank_at_least", "assert_rank_in", "assert_same_float_dtype",
           "assert_scalar", "assert_shapes", "assert_type", "check_numerics",
           "disable_check_numerics", "disable_traceback_filtering", "enable_check_numerics",
           "enable_traceback_filtering", "get_log_device_placement", "is_numeric_tensor",
           "is_traceback_filtering_enabled", "set_log_device_placement"]


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
