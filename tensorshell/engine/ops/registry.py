"""The op registry: every op is defined once, as a table entry, and everything users see is
generated from it — ``ts.add``, ``ts.math.add``, ``Tensor.__add__``, and the tests' op list.

This module is the only hot path. An elementwise op on tensors that already share a dtype and
the op's device costs: a type check, two identity checks, one dict lookup for the result
dtype, the kernel call and the wrap. Everything else (weak Python values, NumPy arrays,
Variables, copies between devices, explanations of failures) happens on the slow path.
"""

from __future__ import annotations

import os
import warnings
from typing import Callable

import numpy as np

from .. import dtypes
from ..devices import CPU0, NUMPY, Backend, current, home_for, on, placement
from ..dtypes import DType
from ..errors import (InvalidArgumentError, Operand, dtype_mismatch, dtype_not_allowed,
                      from_kernel, invalid)
from .. import parallel
from ..tensor import Tensor, to_dtype, infer, wrap

_new = object.__new__

# NumPy reports float overflow, 0/0 and the like as RuntimeWarnings attributed to the frame
# that called the ufunc. TensorFlow returns inf/nan silently; so do our kernels. The filter is
# scoped to tensorshell's own modules, so the user's NumPy code keeps its warnings.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tensorshell\.engine")

OPS: dict[str, "OpDef"] = {}

# The GradientTapes now recording (innermost last). Empty — the common case — means ops
# never look at autodiff at all; `record` is installed by engine/autodiff.py.
RECORDING: list = []
_record_impl = None  # set by engine/autodiff.py

# Elementwise ops on CPU arrays with at least this many elements run on every core
# (engine/parallel.py); `configure_parallel` keeps it in step with ts.config.threading.
PARALLEL_MIN = 1 << 62


def configure_parallel() -> None:
    global PARALLEL_MIN
    PARALLEL_MIN = parallel.state.min_elements if parallel.state.threads > 1 else 1 << 62


configure_parallel()


def record(op, fn, args, kwargs):
    """Run an op under the recording tapes (see engine/autodiff.py)."""
    return _record_impl(op, fn, args, kwargs)
NAMESPACES: dict[str, dict[str, Callable]] = {
    "": {}, "math": {}, "linalg": {}, "nn": {}, "random": {}, "bitwise": {}, "signal": {},
    "image": {}, "math.special": {}}
TENSOR_METHODS: dict[str, Callable] = {}


class OpDef:
    """One op: its name, where it is exported, which dtypes it takes and how it runs."""

    __slots__ = ("name", "fn", "exports", "dtypes", "kind", "kernel_spec", "kernels",
                 "result", "differentiable", "grad", "doc", "_signature", "parallel")

    def __init__(self, name, kind, dtypes_=dtypes.ALL_SET, exports=("",), kernel=None,
                 result=None, differentiable=None, grad=None, doc=None, parallel=None):
        self.name = name
        self.kind = kind
        self.dtypes = frozenset(dtypes_)
        self.exports = tuple(exports)
        self.kernel_spec = kernel
        self.kernels: dict[Backend, Callable] = {}
        self.result = result
        self.differentiable = differentiable if grad is None else True
        self.grad = grad
        self.doc = doc
        self.fn = None
        self._signature = None
        self.parallel = parallel  # reductions: "combine" when partial results reduce again

    def result_map(self) -> list[DType | None]:
        """Result dtype by ``dtype.index``, None where the op refuses the dtype: one list
        subscript on the hot path answers both "allowed?" and "what comes out?"."""
        r = self.result
        out = [None] * len(dtypes.ALL)
        for d in self.dtypes:
            out[d.index] = d if r is None else (r if isinstance(r, DType) else r(d))
        return out

    def bind(self, backend: Backend) -> Callable:
        """The kernel for ``backend``, resolved once and cached (every op is bound to a
        backend when the backend is first used, so the hot path can subscript)."""
        k = self.kernels.get(backend)
        if k is None:
            spec = self.kernel_spec
            k = getattr(backend.xp, spec) if isinstance(spec, str) else spec(backend.xp)
            self.kernels[backend] = k
        return k

    def __repr__(self):
        return f"OpDef({self.name!r}, kind={self.kind!r}, exports={self.exports})"


def bind_all(backend: Backend) -> None:
    """Resolve every op's kernel for a backend that is about to run its first op. An op the
    backend's array module cannot express gets a kernel that says so when called."""
    for op in OPS.values():
        if op.kernel_spec is None:
            continue
        try:
            op.bind(backend)
        except Exception as e:  # noqa: BLE001
            op.kernels[backend] = _missing_kernel(op.name, backend, e)


def _missing_kernel(name, backend, exc):
    def kernel(*args, **kwargs):
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, f"{name} has no kernel on {backend.name}: {exc}",
                                 op_name=name, kind="device",
                                 hint="run it under ts.device('/cpu:0')")
    return kernel


_NO = object()  # "this operand cannot take the fast path"


class RaggedOperand(TypeError):
    """Raised by conversion when an op meets a RaggedTensor: the slow paths of elementwise
    ops, reductions and hand-written ops catch it and hand the call to ``ragged_dispatch``
    (tensorshell/ragged.py), so dense calls pay nothing for ragged support. An op that takes
    no ragged operands lets it through, as the TypeError it is."""

    def __init__(self, *args):
        super().__init__(*(args or ("this op does not take RaggedTensor operands; use "
                                    "r.to_tensor() (rows padded) or r.flat_values",)))


ragged_dispatch = None  # set by tensorshell/ragged.py
# Set by engine/gpu.py once a GPU backend exists: until then no op can meet a GPU, and the
# host-placement checks below cost one global read.
GPU_PRESENT = False


def _ragged(op, args, kwargs):
    return ragged_dispatch(op, args, kwargs)


def register(op: OpDef, fn: Callable, records_itself: bool = False) -> Callable:
    """Publish ``fn`` as ``op`` in every namespace the table entry names. Unless the op's
    own slow path handles it, calls go through ``record`` while a GradientTape records."""
    if op.name in OPS:
        raise ValueError(f"op {op.name!r} is registered twice")
    if not records_itself:
        fn = _recordable(op, fn)
    fn.__name__ = fn.__qualname__ = op.name
    if op.doc:
        fn.__doc__ = op.doc
    fn.__module__ = "tensorshell"
    fn.op = op
    op.fn = fn
    OPS[op.name] = op
    for export in op.exports:
        ns, _, alias = export.partition(":")
        NAMESPACES[ns][alias or op.name] = fn
    return fn


COMPOSITES: dict[str, Callable] = {}


def composite(fn, exports) -> Callable:
    """Publish a function built from other ops (no kernel, no gradient of its own: autodiff
    sees the ops it calls)."""
    COMPOSITES[fn.__name__] = fn
    fn.__module__ = "tensorshell"
    for ns in exports:
        NAMESPACES[ns][fn.__name__] = fn
    return fn


def defgrad(fn, grad) -> None:
    """Attach a vector-Jacobian product ``grad(g, ans, *args, **kwargs)`` to an op function
    (for ops whose gradient reads better after the op than inside its decorator)."""
    fn.op.grad = grad
    fn.op.differentiable = True


def _recordable(op, raw):
    import functools

    @functools.wraps(raw)
    def public(*args, **kwargs):
        if GPU_PRESENT and placement.device.backend.is_gpu and _on_host(args, kwargs):
            with on(CPU0):  # soft placement: GPUs have no string kernels
                return public(*args, **kwargs)
        try:
            if RECORDING:
                return record(op, raw, args, kwargs)
            return raw(*args, **kwargs)
        except RaggedOperand:
            return _ragged(op, args, kwargs)
        except _UNINTENDED as e:
            raise _translate(op, raw, e, args, kwargs) from None
        except (TypeError, ValueError) as e:
            if type(e).__module__.startswith("numpy") or _raised_outside(e):
                # UFuncTypeError, AxisError ..., or a TypeError/ValueError raised inside
                # NumPy's or CuPy's Python code on arguments the op did not check
                raise _translate(op, raw, e, args, kwargs) from None
            raise  # the op's own TypeError/ValueError, worded as TensorFlow's
    public.raw = raw
    return public


_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _raised_outside(exc) -> bool:
    """Whether ``exc`` was raised outside tensorshell's own code (in an array library)."""
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return not tb.tb_frame.f_code.co_filename.startswith(_PACKAGE)


def _on_host(args, kwargs) -> bool:
    """Whether an op's arguments hold strings (string tensors or lists of Python strings),
    so that it runs on the host even inside a GPU scope, as TensorFlow's soft placement
    puts it there. Single Python strings are options (padding, mode), not data."""
    for v in (*args, *kwargs.values()):
        if isinstance(v, Tensor) or getattr(v, "_is_variable", False):
            if v.dtype.is_string:
                return True
        elif isinstance(v, (list, tuple)) and v and isinstance(v[0], (str, bytes)):
            return True
        elif isinstance(v, np.ndarray) and v.dtype.kind in "USO":
            return True
    return False


# Exceptions a hand-written op never raises on purpose: out of memory (NumPy's MemoryError,
# CuPy's OutOfMemoryError), and what NumPy or Python raise on arguments the op did not
# check. They become tensorshell errors naming the op and its tensor arguments.
_UNINTENDED = (MemoryError, IndexError, KeyError, AttributeError, ArithmeticError)


def _translate(op, raw, exc, args, kwargs):
    import inspect
    try:
        named = inspect.signature(raw).bind(*args, **kwargs).arguments
    except TypeError:
        named = {f"argument {i}": a for i, a in enumerate(args)}
    operands = [describe(v, label) for label, v in named.items()
                if isinstance(v, Tensor) or getattr(v, "_is_variable", False)]
    return from_kernel(op.name, exc, operands)


def op(name, kind="custom", dtypes_=dtypes.ALL_SET, exports=("",), records_itself=False,
       **kw):
    """Decorator for ops whose function is written by hand (shape, linalg, creation ...)."""
    def deco(fn):
        return register(OpDef(name, kind, dtypes_, exports, **kw), fn, records_itself)
    return deco


# ---------------------------------------------------------------------------------------------
# Slow-path helpers shared by every op family
# ---------------------------------------------------------------------------------------------

def describe(t, label: str) -> Operand:
    """How an error shows one operand."""
    if isinstance(t, Tensor) or getattr(t, "_is_variable", False):
        return Operand(label, t.dtype.name, tuple(np.shape(t._data if isinstance(t, Tensor)
                                                            else t.value()._data)),
                       t._device.short)
    if type(t) in (int, float, bool, complex):
        return Operand(label, f"Python {type(t).__name__} {t!r}", (), current().short)
    try:
        _, d = infer(t)
        name = d.name
    except (TypeError, ValueError):
        name = type(t).__name__
    return Operand(label, name, tuple(np.shape(t)) if not isinstance(t, (str, bytes)) else (),
                   current().short)


def _strong(v) -> bool:
    return isinstance(v, Tensor) or getattr(v, "_is_variable", False)


def on_device(t: Tensor, dev) -> Tensor:
    """``t`` on ``dev``: the same tensor when it is already there, else a copy."""
    if t._device is dev or (t._dtype.is_string and dev.backend.is_gpu):
        return t  # strings stay on the host: GPUs have no string kernels (soft placement)
    return wrap(dev.backend.adopt(t._data, t._device.backend), t._dtype, dev)


def as_tensor(value, op_name: str, label: str = "x", dtype: DType | None = None,
              anchor: str | None = None) -> Tensor:
    """One input of an op as a Tensor on the op's device. A non-tensor value adopts ``dtype``
    when given (losslessly, or raising), else gets its natural dtype; a tensor of another
    dtype than ``dtype`` raises (no implicit conversion)."""
    dev = current()
    if type(value) is Tensor:
        t = value
    elif getattr(value, "_is_variable", False):
        t = value.value()
    elif isinstance(value, Tensor):
        t = value
    else:
        t = None
    if t is not None:
        if dtype is not None and t._dtype is not dtype:  # tensors never convert implicitly
            from ..errors import Operand
            target = dtypes.widening_target(dtype, t._dtype)
            anchor_op = Operand(anchor or "the other operand", dtype.name, (), dev.short)
            raise dtype_mismatch(op_name, [anchor_op, describe(t, label)], target.name,
                                 label if target is dtype else (anchor or label))
        return t if t._device is dev else on_device(t, dev)
    if getattr(value, "_is_ragged", False):
        raise RaggedOperand
    if dtype is not None:
        arr, d = to_dtype(value, dtype, op_name, label, anchor=anchor), dtype
    else:
        arr, d = infer(value)
    if dev.backend is not NUMPY:
        dev = home_for(d, dev)
        if dev.backend is not NUMPY:
            arr = dev.backend.from_numpy(arr)
    return wrap(arr, d, dev)


def unify(op_name: str, values, labels) -> list[Tensor]:
    """Inputs that must share one dtype, as tensors on the op's device.

    Tensors and Variables fix the dtype and must agree (no implicit conversion); Python
    values, lists and NumPy arrays adopt it when nothing is lost. With no tensor among them,
    the first NumPy array (else the first value) sets the dtype.
    """
    anchor = None
    for v, lab in zip(values, labels):
        if _strong(v):
            if anchor is None:
                anchor = (v.dtype, v, lab)
            elif v.dtype is not anchor[0]:
                raise mismatch(op_name, anchor[1], anchor[2], v, lab)
    if anchor is None:
        if any(getattr(v, "_is_ragged", False) for v in values):
            raise RaggedOperand
        first = next((v for v in values if isinstance(v, (np.ndarray, np.generic))),
                     values[0])
        d, anchor_label = infer(first)[1], None
    else:
        d, anchor_label = anchor[0], anchor[2]
    try:
        return [as_tensor(v, op_name, lab, d, anchor_label) for v, lab in zip(values, labels)]
    except InvalidArgumentError as e:
        if anchor is not None and e.kind == "dtype":  # show the tensor beside the value
            bad = next((i for i, v in enumerate(values) if not _strong(v)
                        and labels[i] == (e.operands[0].label if e.operands else None)), None)
            if bad is not None:
                e.operands = (describe(anchor[1], anchor[2]), describe(values[bad], labels[bad]))
        raise


def mismatch(op_name, a, la, b, lb):
    target = dtypes.widening_target(a.dtype, b.dtype)
    cast_label = lb if target is a.dtype else la  # cast the narrower operand
    return dtype_mismatch(op_name, [describe(a, la), describe(b, lb)], target.name,
                          cast_label)


_FIX_ORDER = (dtypes.float32, dtypes.int32, dtypes.bool, dtypes.float64, dtypes.int64,
              dtypes.complex64, dtypes.string)


def allowed_words(allowed) -> str:
    parts = []
    if dtypes.FLOATING <= allowed:
        parts.append("floating-point")
    if dtypes.INTEGER <= allowed:
        parts.append("integer")
    elif dtypes.SIGNED <= allowed:
        parts.append("signed integer")
    if dtypes.COMPLEX <= allowed:
        parts.append("complex")
    if dtypes.bool in allowed:
        parts.append("bool")
    if dtypes.string in allowed:
        parts.append("string")
    if not parts:
        return ", ".join(sorted(d.name for d in allowed))
    if len(parts) == 1:
        return parts[0] + " dtypes"
    return ", ".join(parts[:-1]) + " or " + parts[-1] + " dtypes"


def not_allowed(op: OpDef, t, label: str = "x", call: str | None = None):
    fix = None
    for d in _FIX_ORDER:
        if d in op.dtypes:
            fix = d
            break
    if t.dtype.is_bool and dtypes.bool not in op.dtypes and dtypes.int32 in op.dtypes:
        fix = dtypes.int32
    public = public_name(op)
    call = call or f"{public}({{x}})"
    return dtype_not_allowed(public, describe(t, label), allowed_words(op.dtypes),
                             fix.name if fix else None, call)


def public_name(op: OpDef) -> str:
    ns, _, alias = op.exports[0].partition(":") if op.exports else ("", "", "")
    return "ts." + (ns + "." if ns else "") + (alias or op.name)


def incompatible_shapes_for(op_name, tensors, labels, why=None, broadcast=False):
    from ..errors import incompatible_shapes
    return incompatible_shapes(op_name, [describe(t, lab) for t, lab in zip(tensors, labels)],
                               why, broadcast=broadcast)


def kernel_error(op: OpDef, exc: BaseException, inputs, labels=("x", "y")):
    return from_kernel(op.name, exc, [describe(t, lab) for t, lab in zip(inputs, labels)])


def run(op: OpDef, *arrays, inputs=(), labels=("x", "y"), **kwargs):
    """Call ``op``'s kernel on the current device, translating any failure."""
    try:
        return op.bind(current().backend)(*arrays, **kwargs)
    except Exception as e:  # noqa: BLE001 - every kernel failure is translated
        raise kernel_error(op, e, inputs or arrays, labels) from None


def out(data, dtype: DType) -> Tensor:
    dev = home_for(dtype, placement.device if placement.initialized else current())
    if GPU_PRESENT and type(data) is np.ndarray and dev.backend.is_gpu:  # host-computed
        data = dev.backend.from_numpy(data)
    return wrap(data, dtype, dev)


# ---------------------------------------------------------------------------------------------
# Generated functions: the hot path
# ---------------------------------------------------------------------------------------------

def unary(name, dtypes_, kernel, exports=("", "math"), result=None, **kw) -> Callable:
    op = OpDef(name, "unary", dtypes_, exports, kernel=kernel, result=result, **kw)
    rmap = op.result_map()

    def fn(x, name=None):
        if type(x) is Tensor:
            dev = x._device
            if dev is placement.device:
                rdt = rmap[x._dtype.index]
                if rdt is not None:
                    xd = x._data
                    backend = dev.backend
                    try:
                        if backend is not NUMPY:
                            data = kernels[backend](xd)
                        elif xd.size < PARALLEL_MIN:
                            data = cpu_kernel(xd)
                        else:
                            data = parallel.elementwise(cpu_kernel, (xd,), rdt._np)
                    except Exception as e:  # noqa: BLE001
                        raise kernel_error(op, e, (x,)) from None
                    t = _new(Tensor)
                    t._data = data
                    t._dtype = rdt
                    t._device = dev
                    return t
        if RECORDING:
            return record(op, slow, (x,), {})
        return slow(x)

    def slow(x, name=None):
        try:
            x = as_tensor(x, op.name)
        except RaggedOperand:
            return _ragged(op, (x,), {})
        rdt = rmap[x._dtype.index]
        if rdt is None:
            raise not_allowed(op, x)
        return out(run(op, x._data, inputs=(x,)), rdt)

    kernels = op.kernels
    cpu_kernel = op.bind(NUMPY)
    return register(op, fn, records_itself=True)


def binary(name, dtypes_, kernel, exports=("", "math"), result=None, **kw) -> Callable:
    op = OpDef(name, "binary", dtypes_, exports, kernel=kernel, result=result, **kw)
    rmap = op.result_map()
    kernels = op.kernels

    def fn(x, y, name=None):
        if type(x) is Tensor:
            dev = x._device
            if dev is placement.device:
                dt = x._dtype
                ty = type(y)
                if ty is Tensor:
                    yd = y._data if y._dtype is dt and y._device is dev else _NO
                elif ty is float:
                    lo, hi = dt.weak_float
                    yd = y if lo <= y <= hi else _NO
                elif ty is int:
                    lo, hi = dt.weak_int
                    yd = y if lo <= y <= hi else _NO
                else:
                    yd = _NO
                rdt = rmap[dt.index]
                if yd is not _NO and rdt is not None:
                    xd = x._data
                    backend = dev.backend
                    try:
                        if backend is not NUMPY:
                            data = kernels[backend](xd, yd)
                        elif xd.size < PARALLEL_MIN:
                            data = cpu_kernel(xd, yd)
                        else:
                            data = parallel.elementwise(cpu_kernel, (xd, yd), rdt._np)
                    except Exception as e:  # noqa: BLE001
                        raise kernel_error(op, e, (x, y)) from None
                    t = _new(Tensor)
                    t._data = data
                    t._dtype = rdt
                    t._device = dev
                    return t
        if RECORDING:
            return record(op, slow, (x, y), {})
        return binary_slow(op, rmap, x, y)

    def slow(x, y, name=None):
        return binary_slow(op, rmap, x, y)

    cpu_kernel = op.bind(NUMPY)
    return register(op, fn, records_itself=True)


def binary_slow(op: OpDef, rmap, x, y):
    try:
        xt, yt = unify(op.name, (x, y), ("x", "y"))
    except RaggedOperand:
        return _ragged(op, (x, y), {})
    rdt = rmap[xt._dtype.index]
    if rdt is None:
        raise not_allowed(op, xt, "x", f"{public_name(op)}({{x}}, y)")
    if GPU_PRESENT and xt._dtype.is_string and placement.device.backend.is_gpu:
        with on(CPU0):  # soft placement: string kernels run on the host
            return out(run(op, xt._data, yt._data, inputs=(xt, yt)), rdt)
    if max(xt._data.size, yt._data.size) >= PARALLEL_MIN and \
            placement.device.backend is NUMPY:
        kernel = op.bind(NUMPY)
        try:
            return out(parallel.elementwise(kernel, (xt._data, yt._data), rdt._np), rdt)
        except Exception as e:  # noqa: BLE001
            raise kernel_error(op, e, (xt, yt)) from None
    return out(run(op, xt._data, yt._data, inputs=(xt, yt)), rdt)


def reduction(name, dtypes_, kernel, exports=("", "math"), result=None, **kw) -> Callable:
    """``kernel(data, axis, keepdims)`` with ``axis`` None or a tuple of positive axes."""
    op = OpDef(name, "reduction", dtypes_, exports, kernel=kernel, result=result, **kw)
    rmap = op.result_map()
    from ..shapes import normalize_axes

    def fn(input_tensor, axis=None, keepdims=False, name=None):
        x = input_tensor
        if RECORDING and type(x) is not Tensor:
            return record(op, fn, (x, axis, keepdims), {})
        if type(x) is not Tensor or x._device is not placement.device:
            try:
                x = as_tensor(x, op.name, "input_tensor")
            except RaggedOperand:
                return _ragged(op, (x, axis, keepdims), {})
        rdt = rmap[x._dtype.index]
        if rdt is None:
            raise not_allowed(op, x, "input_tensor")
        if axis is not None:
            if type(axis) is Tensor:
                if not axis._dtype.is_integer:
                    raise invalid(op.name, f"axis must be an int32 or int64 tensor, got "
                                  f"{axis._dtype.name}", kind="dtype")
                axis = axis.numpy().tolist()
            axis = normalize_axes(axis, x._data.ndim, op.name)
        kernel = kernels[x._device.backend]
        try:
            data = None
            if x._data.size >= PARALLEL_MIN and x._device.backend is NUMPY:
                data = _parallel_reduce(op, kernel, x._data, axis, bool(keepdims))
            if data is None:
                data = kernel(x._data, axis, bool(keepdims))
        except Exception as e:  # noqa: BLE001
            raise kernel_error(op, e, (x,), ("input_tensor",)) from None
        t = _new(Tensor)
        t._data = data
        t._dtype = rdt
        t._device = x._device
        return t

    kernels = op.kernels
    op.bind(NUMPY)
    return register(op, fn, records_itself=True)


def _parallel_reduce(op, kernel, data, axis, keepdims):
    """Chunk a big reduction: along a kept axis when there is one, else (for associative
    reductions) into partial results reduced once more. None: run it on one core."""
    full = tuple(range(data.ndim)) if axis is None else axis
    if len(full) < data.ndim:
        result = parallel.reduce_split(kernel, data, full, keepdims)
        if result is not None:
            return result
    if op.parallel is None:
        return None
    combine, finish = op.parallel
    if combine is parallel.blocked_sum and data.dtype.kind == "f" and \
            data.dtype.itemsize >= 4 and data.flags.c_contiguous and len(full) == data.ndim:
        # BLAS runs the whole sum on its own threads: no chunks of ours on top of them
        total = parallel.blocked_sum(data, None, keepdims)
        return finish(data, axis)(total) if finish else total
    partial_kernel = combine.bind(NUMPY) if isinstance(combine, OpDef) else (combine or kernel)
    return parallel.reduce_combine(partial_kernel, data, axis, keepdims,
                                   finish=finish(data, axis) if finish else None)


def tensor_method(name: str):
    """Attach a function to Tensor (operators, __getitem__); the registry owns the class's
    behaviour so ops and operators cannot drift apart."""
    def deco(fn):
        TENSOR_METHODS[name] = fn
        setattr(Tensor, name, fn)
        return fn
    return deco

