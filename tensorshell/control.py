"""Control flow and printing as TensorFlow code writes them: ``ts.cond``, ``ts.while_loop``,
``ts.map_fn``, ``ts.scan``, ``ts.foldl``/``foldr``, ``ts.vectorized_map``,
``ts.switch_case``, ``ts.print``, and the graph-ordering helpers that are no-ops when
execution is eager (``no_op``, ``group``, ``tuple``, ``control_dependencies``,
``init_scope``).

Execution is eager, so these are Python control flow with TensorFlow's contracts: a scalar
boolean predicate, loop variables converted to tensors and kept in their structure,
``maximum_iterations``, ``map_fn``'s output dtype. Every op inside runs as usual, so a
GradientTape records through them.
"""

from __future__ import annotations

import sys

import numpy as np

from .engine import dtypes
from .engine.errors import InvalidArgumentError
from .engine.tensor import Tensor, convert_to_tensor
from .nest import assert_same_structure, flatten, map_structure, pack_sequence_as


def _is_tensor(v) -> bool:
    return isinstance(v, Tensor) or getattr(v, "_is_variable", False)


def _truth(pred, what: str) -> bool:
    if _is_tensor(pred):
        if pred.dtype is not dtypes.bool or pred.shape.ndims != 0:
            raise ValueError(f"{what}: the predicate must be a scalar bool tensor, got "
                             f"{pred.dtype.name} with shape {list(pred.shape)}")
        return bool(pred)
    if isinstance(pred, (bool, np.bool_)):
        return bool(pred)
    raise TypeError(f"{what}: the predicate must be a Python bool or a scalar bool tensor, "
                    f"got {pred!r}")


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``.

    >>> ts.cond(x > 0, lambda: x, lambda: -x)
    """
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("cond needs callables true_fn and false_fn")
    return true_fn() if _truth(pred, "cond") else false_fn()


def switch_case(branch_index, branch_fns, default=None, name=None):
    """``branch_fns[branch_index]()`` (a list, or a dict of int keys); ``default`` (else the
    last branch) when the index matches none, as in TensorFlow."""
    i = int(branch_index)
    fns = dict(branch_fns) if isinstance(branch_fns, dict) else dict(enumerate(branch_fns))
    if not fns:
        raise ValueError("switch_case needs at least one branch")
    fn = fns.get(i, default if default is not None else fns[max(fns)])
    return fn()


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The callable of the first ``(predicate, fn)`` pair whose predicate holds (with
    ``exclusive``, more than one raises), else ``default()``; with no default and no
    predicate true, InvalidArgumentError - as TensorFlow's eager ``tf.case``."""
    from .engine.errors import InvalidArgumentError
    if isinstance(pred_fn_pairs, dict):
        raise TypeError("Tensor is unhashable: pass pred_fn_pairs as a list of (predicate, "
                        "callable) pairs")
    pairs = list(pred_fn_pairs)
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2 or not callable(pair[1]):
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple of a boolean "
                            f"predicate and a callable, got {pair!r}")
    if default is not None and not callable(default):
        raise TypeError("default must be callable")
    hits = [fn for pred, fn in pairs if bool(_as_loop_value(pred).numpy())]
    if exclusive and len(hits) > 1:
        raise InvalidArgumentError(None, None, "Input error: exclusive=True but more than 1 "
                                   "conditions evaluated as True")
    if hits:
        return hits[0]()
    if default is not None:
        return default()
    raise InvalidArgumentError(None, None, "Input error: None of conditions evaluated as "
                               "True")


def _as_loop_value(v):
    return v if _is_tensor(v) else convert_to_tensor(v)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` holds (at most
    ``maximum_iterations`` times). ``loop_vars`` is a list or tuple; the result has its
    structure, with Python values converted to tensors.

    >>> ts.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), [0, 0])   # (5, 10)
    """
    if not isinstance(loop_vars, (list, tuple)):
        raise TypeError(f"loop_vars must be a list or tuple, got {type(loop_vars).__name__}; "
                        "write [x] for a single loop variable")
    values = map_structure(_as_loop_value, list(loop_vars))
    limit = None if maximum_iterations is None else int(maximum_iterations)
    n = 0
    while (limit is None or n < limit) and _truth(cond(*values), "while_loop"):
        result = body(*values)
        if not isinstance(result, (list, tuple)):
            result = [result]
        if len(result) != len(values):
            raise ValueError(f"while_loop: body returned {len(result)} values for "
                             f"{len(values)} loop variables")
        values = map_structure(_as_loop_value, list(result))
        n += 1
    return type(loop_vars)(values) if not hasattr(loop_vars, "_fields") else \
        type(loop_vars)(*values)


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None, fn_output_signature=None):
    """``fn`` applied to every slice of ``elems`` along its first dimension (``elems`` may be a
    tuple of tensors: ``fn`` gets a tuple of slices), results stacked. Without
    ``fn_output_signature`` the results must have ``elems``' structure and dtype, as in
    TensorFlow."""
    from .engine.ops.shape import stack
    signature = fn_output_signature if fn_output_signature is not None else dtype
    structured = isinstance(elems, (list, tuple))
    inputs = [convert_to_tensor(e) for e in elems] if structured else [convert_to_tensor(elems)]
    if not inputs or any(t.shape.ndims == 0 for t in inputs):
        raise ValueError("map_fn: elems must be at least 1-D (slices are taken along the "
                         "first dimension)")
    n = inputs[0].shape[0]
    if any(t.shape[0] != n for t in inputs):
        raise ValueError("map_fn: every tensor of elems must have the same first dimension, "
                         f"got {[t.shape[0] for t in inputs]}")
    outputs = []
    for i in range(n):
        item = type(elems)(t[i] for t in inputs) if structured else inputs[0][i]
        outputs.append(fn(item))
    expected = signature if signature is not None else (
        type(elems)(t.dtype for t in inputs) if structured else inputs[0].dtype)
    if not outputs:
        return _empty_result(expected, inputs)
    first = outputs[0]
    if isinstance(first, (list, tuple)):
        if not isinstance(expected, (list, tuple)) or len(expected) != len(first):
            raise ValueError("map_fn: fn returned a structure that differs from elems'; "
                             "give fn_output_signature=(...) with one dtype per output")
        columns = list(zip(*outputs))
        return type(first)(_stack_checked(stack, col, d) for col, d in zip(columns, expected))
    if isinstance(expected, (list, tuple)):
        raise ValueError("map_fn: fn returned one tensor for a structure of elems; give "
                         "fn_output_signature=<its dtype>")
    return _stack_checked(stack, outputs, expected)


def _stack_checked(stack, values, expected):
    want = getattr(expected, "dtype", expected)
    want = dtypes.as_dtype(want)
    values = [v if _is_tensor(v) else convert_to_tensor(v, dtype=want) for v in values]
    got = values[0].dtype
    if got is not want:
        raise InvalidArgumentError(
            None, None, f"map_fn: fn returned {got.name} but {want.name} was expected",
            op_name="map_fn", kind="dtype",
            hint=f"ts.map_fn(fn, elems, fn_output_signature=ts.{got.name})")
    return stack(values)


def _empty_result(expected, inputs):
    from .engine.ops.creation import zeros
    rest = list(inputs[0].shape[1:])
    if isinstance(expected, (list, tuple)):
        return type(expected)(zeros([0] + rest, dtype=getattr(e, "dtype", e))
                              for e in expected)
    return zeros([0] + rest, dtype=getattr(expected, "dtype", expected))


class TensorArray:
    """A growable list of tensors of one dtype (and, with ``infer_shape``, one shape), as
    TensorFlow's eager TensorArray: ``write`` returns the array so calls chain, ``stack``
    and ``concat`` join the elements, ``unstack`` and ``scatter`` fill it from a tensor.
    Elements stay readable after ``read`` (TensorFlow's ``clear_after_read`` frees them to
    save memory; here they are ordinary tensors, freed with the array).

    >>> ta = ts.TensorArray(ts.float32, size=0, dynamic_size=True)
    >>> for i in range(3):
    ...     ta = ta.write(i, ts.constant([i * 1.0]))
    >>> ta.stack()                     # [[0.], [1.], [2.]]
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        from .engine.tensor import TensorShape
        self._dtype = dtypes.as_dtype(dtype)
        self._values: list = [None] * (0 if size is None else int(size))
        self._dynamic = bool(dynamic_size)
        self._infer_shape = bool(infer_shape)
        self._element_shape = TensorShape(element_shape)

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._element_shape

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic

    def size(self, name=None):
        return convert_to_tensor(len(self._values))

    def _fail(self, cls, text):
        from .engine import errors
        return getattr(errors, cls)(None, None, text, op_name="TensorArray", kind="value")

    def write(self, index, value, name=None) -> "TensorArray":
        i = int(index)
        if i < 0 or (i >= len(self._values) and not self._dynamic):
            raise self._fail("OutOfRangeError", f"Tried to write to index {i} but array is not "
                             f"resizeable and size is: {len(self._values)}")
        if _is_tensor(value) and value.dtype is not self._dtype:
            raise self._fail("InvalidArgumentError", f"TensorArray dtype is {self._dtype.name} "
                             f"but Op is trying to write dtype {value.dtype.name}")
        t = value.value() if getattr(value, "_is_variable", False) else \
            convert_to_tensor(value, dtype=self._dtype)
        if self._infer_shape:
            if self._element_shape and self._element_shape.as_list() != list(t.shape):
                raise ValueError(f"Incompatible shape for value ({tuple(t.shape)}), expected "
                                 f"({tuple(self._element_shape.as_list())})")
            if not self._element_shape:
                from .engine.tensor import TensorShape
                self._element_shape = TensorShape(list(t.shape))
        if i >= len(self._values):
            self._values.extend([None] * (i + 1 - len(self._values)))
        self._values[i] = t
        return self

    def read(self, index, name=None):
        i = int(index)
        if not 0 <= i < len(self._values):
            raise self._fail("OutOfRangeError", f"Tried to read from index {i} but array "
                             f"size is: {len(self._values)}")
        return self._filled(i)

    def _filled(self, i):
        v = self._values[i]
        if v is not None:
            return v
        if not self._element_shape or not self._element_shape.is_fully_defined():
            raise ValueError(f"TensorArray element {i} was never written and the element "
                             "shape is not known, so it cannot be read as zeros")
        from .engine.ops.creation import zeros
        return zeros(self._element_shape.as_list(), dtype=self._dtype)

    def stack(self, name=None):
        return self.gather(list(range(len(self._values))))

    def gather(self, indices, name=None):
        from .engine.ops.creation import zeros
        from .engine.ops.shape import stack
        rows = [self.read(int(i)) for i in np.asarray(convert_to_tensor(indices).numpy())
                .reshape(-1)]
        if rows:
            return stack(rows)
        known = self._element_shape.as_list() if self._element_shape else []
        return zeros([0] + [d or 0 for d in known], dtype=self._dtype)

    def concat(self, name=None):
        from .engine.ops.shape import concat
        rows = [self._filled(i) for i in range(len(self._values))]
        if not rows:
            from .engine.ops.creation import zeros
            return zeros([0], dtype=self._dtype)
        return concat(rows, 0)

    def unstack(self, value, name=None) -> "TensorArray":
        t = convert_to_tensor(value)
        return self.scatter(list(range(t.shape[0] if t.ndim else 0)), t)

    def scatter(self, indices, value, name=None) -> "TensorArray":
        t = value if _is_tensor(value) else convert_to_tensor(value, dtype=self._dtype)
        for row, i in enumerate(np.asarray(convert_to_tensor(indices).numpy()).reshape(-1)):
            self.write(int(i), t[row])
        return self

    def identity(self) -> "TensorArray":
        return self

    def close(self, name=None) -> None:
        self._values = []

    def __repr__(self):
        written = sum(v is not None for v in self._values)
        return (f"<ts.TensorArray {self._dtype.name}: {written} of {len(self._values)} "
                f"written{', dynamic' if self._dynamic else ''}>")


# -- ts.print ------------------------------------------------------------------------------------

def _scalar(v, dtype) -> str:
    if dtype.is_bool:
        return "1" if v else "0"
    if dtype.is_string:
        return '"' + (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)) + '"'
    if dtype.is_complex:
        return f"({_scalar(v.real, dtype.real_dtype)},{_scalar(v.imag, dtype.real_dtype)})"
    if dtype.is_floating:
        # TensorFlow's shortest form: 6 (float32) or 15 (float64) digits when they
        # round-trip, else 9 or 17
        narrow = dtype.size <= 4
        short, full = (6, 9) if narrow else (15, 17)
        text = f"{float(v):.{short}g}"
        cast = np.float32 if narrow else np.float64
        return text if cast(text) == cast(v) or np.isnan(v) else f"{float(v):.{full}g}"
    return str(v)


def _array(a: np.ndarray, dtype, summarize: int, depth: int = 0) -> str:
    if np.ndim(a) == 0:  # a 0-d array, or an element of an object (string) array
        return _scalar(a[()] if isinstance(a, np.ndarray) else a, dtype)
    n = a.shape[0]
    cut = summarize >= 0 and n > 2 * summarize
    idx = list(range(summarize)) + [None] + list(range(n - summarize, n)) if cut \
        else list(range(n))
    parts = ["..." if i is None else _array(a[i], dtype, summarize, depth + 1) for i in idx]
    sep = " " if a.ndim == 1 else "\n" + " " * (depth + 1)
    return "[" + sep.join(parts) + "]"


def _render(obj, summarize, top=True) -> str:
    if _is_tensor(obj):
        t = obj.value() if getattr(obj, "_is_variable", False) else obj
        return _array(np.asarray(t.numpy()), t.dtype, summarize)
    if isinstance(obj, str):
        return obj if top else repr(obj)
    if isinstance(obj, np.ndarray):
        return _array(obj, dtypes.from_numpy(obj.dtype) if obj.dtype != object
                      else dtypes.string, summarize)
    if isinstance(obj, list):
        return "[" + ", ".join(_render(v, summarize, False) for v in obj) + "]"
    if isinstance(obj, tuple):
        inner = ", ".join(_render(v, summarize, False) for v in obj)
        return "(" + inner + ("," if len(obj) == 1 else "") + ")"
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{k!r}: {_render(v, summarize, False)}"
                               for k, v in obj.items()) + "}"
    return str(obj)


def print_(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """TensorFlow's ``tf.print``: tensors shown by value, ``summarize`` entries at each end of
    a long dimension (-1: all), to standard error unless ``output_stream`` says otherwise
    (``sys.stdout``, or a file object)."""
    stream = sys.stderr if output_stream is None else output_stream
    text = sep.join(_render(v, int(summarize)) for v in inputs) + end
    stream.write(text)
    if hasattr(stream, "flush"):
        stream.flush()


print_.__name__ = print_.__qualname__ = "print"


# -- scans and folds over the first dimension --------------------------------------------------

def _slices(elems, what: str):
    """``elems`` (a tensor or a structure of them) as tensors, and a function giving the
    structure of their i-th slices."""
    leaves = [convert_to_tensor(e) for e in flatten(elems)]
    if not leaves or any(t.shape.ndims == 0 for t in leaves):
        raise ValueError(f"{what}: elems must be at least 1-D (slices are taken along the "
                         "first dimension)")
    n = leaves[0].shape[0]
    if any(t.shape[0] != n for t in leaves):
        raise ValueError(f"{what}: every tensor of elems must have the same first dimension,"
                         f" got {[t.shape[0] for t in leaves]}")
    return n, lambda i: pack_sequence_as(elems, [t[i] for t in leaves])


def _as_tensors(structure):
    return map_structure(_as_loop_value, structure)


def _stacked(outputs: list):
    """The per-step output structures, each leaf stacked along a new first axis."""
    from .engine.ops.shape import stack
    columns = zip(*(flatten(o) for o in outputs))
    return pack_sequence_as(outputs[0], [stack(list(c)) for c in columns])


def _fold(fn, elems, initializer, reverse: bool, what: str, keep_steps: bool):
    n, item = _slices(elems, what)
    order = list(range(n - 1, -1, -1)) if reverse else list(range(n))
    if initializer is None:
        if n == 0:
            from .engine.errors import OutOfRangeError
            raise OutOfRangeError(None, None, f"{what}: elems is empty and there is no "
                                  "initializer: Tried to read from index 0 but array size is: 0")
        acc = _as_tensors(item(order[0]))
        steps = {order[0]: acc}
        order = order[1:]
    else:
        acc = _as_tensors(initializer)
        steps = {}
    for i in order:
        new = _as_tensors(fn(acc, item(i)))
        assert_same_structure(acc, new, check_types=False)
        acc = new
        steps[i] = acc
    if not keep_steps:
        return acc
    if not steps:
        raise ValueError(f"{what}: elems is empty: there is no step to stack")
    return _stacked([steps[i] for i in sorted(steps)])


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """Every intermediate ``a = fn(a, x)`` over the slices ``x`` of ``elems``, stacked: the
    running accumulation. Without ``initializer`` the first slice starts it (and is the
    first output). ``reverse`` scans from the end; outputs stay at their slice's position.

    >>> ts.scan(lambda a, x: a + x, ts.constant([1, 2, 3]))   # [1, 3, 6]
    """
    return _fold(fn, elems, initializer, reverse, "scan", keep_steps=True)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``a = fn(a, x)`` over the slices of ``elems`` from the first; the final ``a``."""
    return _fold(fn, elems, initializer, False, "foldl", keep_steps=False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``a = fn(a, x)`` over the slices of ``elems`` from the last; the final ``a``."""
    return _fold(fn, elems, initializer, True, "foldr", keep_steps=False)


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """``fn`` on every slice of ``elems`` (a tensor or structure), results stacked in
    ``fn``'s output structure. Eager: one call per slice, any structure, no signature
    needed."""
    n, item = _slices(elems, "vectorized_map")
    if n == 0:
        raise ValueError("vectorized_map: elems is empty: the output structure is unknown")
    return _stacked([_as_tensors(fn(item(i))) for i in range(n)])


# -- graph ordering, which eager execution makes moot -------------------------------------------

def no_op(name=None):
    """Does nothing (ops already run in program order)."""
    return None


def group(*inputs, **kwargs):
    """Nothing to wait for: every input has already run. Returns None."""
    return None


def tuple_(tensors, control_inputs=None, name=None):
    """``tensors`` as a list (None entries kept), each once every control input has run -
    which eager execution already guarantees."""
    from .engine.ops.shape import identity
    return [None if t is None else identity(t) for t in tensors]


class control_dependencies:  # noqa: N801 - TensorFlow's name, used as a context manager
    """``with ts.control_dependencies([...]):`` - ops already run in order; callables among
    the control inputs are called on entry, as in TensorFlow's eager mode."""

    def __init__(self, control_inputs):
        self.control_inputs = list(control_inputs or ())

    def __enter__(self):
        for c in self.control_inputs:
            if callable(c):
                c()
        return None

    def __exit__(self, *exc):
        return False


class init_scope:  # noqa: N801 - TensorFlow's name, used as a context manager
    """``with ts.init_scope():`` lifts code out of a traced function in TensorFlow; here
    everything is eager already, so the body runs as it is."""

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
