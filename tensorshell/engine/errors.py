"""The exception hierarchy (``ts.errors``) and every message template.

Errors subclass :class:`OpError` with TensorFlow's names and codes. Besides the message they
carry structured fields for the display layer: the op's name, each operand's dtype, shape and
device, what kind of failure it was, and the fix as code ready to paste.

A kernel failure never reaches the user as a raw NumPy/CuPy exception: :func:`from_kernel`
translates it, explaining with the pure rules of :mod:`tensorshell.engine.shapes`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, \
    PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, \
    UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED = \
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16


class Operand(NamedTuple):
    """One input of a failed op, as the error shows it."""

    label: str          # "x", "y", "input #1", "value", ...
    dtype: str          # dtype name, e.g. "float32"
    shape: tuple        # the shape as a tuple of ints
    device: str         # short device name, e.g. "cpu:0"


class OpError(Exception):
    """Base of tensorshell's runtime errors (``tf.errors.OpError``).

    Constructed as TensorFlow's, ``OpError(node_def, op, message, error_code)``, or from a
    message alone; the keyword fields are what the display layer renders.
    """

    error_code = UNKNOWN

    def __init__(self, node_def=None, op=None, message=None, *args, op_name=None,
                 operands=(), hint=None, kind=None, detail=None):
        if message is None and op is None and isinstance(node_def, str):
            node_def, message = None, node_def
        self.node_def = node_def
        self.op = op
        self.message = message or ""
        if args and isinstance(args[0], int):
            self.error_code = args[0]
        self.op_name = op_name
        self.operands = tuple(operands)
        self.hint = hint
        self.kind = kind
        self.detail = detail
        super().__init__(self.message)

    def __str__(self):
        if self.hint:
            return f"{self.message}\n  fix: {self.hint}"
        return self.message

    def _render_traceback_(self):
        """IPython's hook: the user's frames and the explanation panel, in any IPython or
        Jupyter session (the display layer is imported here, on first error)."""
        from ..shell.errors import render_traceback
        return render_traceback(self)

    def __reduce__(self):
        return (_rebuild, (type(self), self.message, self.op_name, self.operands, self.hint,
                           self.kind, self.detail))


def _rebuild(cls, message, op_name, operands, hint, kind, detail):
    return cls(None, None, message, op_name=op_name, operands=operands, hint=hint, kind=kind,
               detail=detail)


def _subclass(name, code, doc):
    return type(name, (OpError,), {"error_code": code, "__doc__": doc,
                                   "__module__": __name__})


CancelledError = _subclass("CancelledError", CANCELLED, "An operation was cancelled.")
UnknownError = _subclass("UnknownError", UNKNOWN, "An unknown error.")
InvalidArgumentError = _subclass(
    "InvalidArgumentError", INVALID_ARGUMENT,
    "An op received an argument it cannot use: a mismatched dtype or shape, a bad value.")
DeadlineExceededError = _subclass("DeadlineExceededError", DEADLINE_EXCEEDED,
                                  "A deadline expired before the operation could complete.")
NotFoundError = _subclass("NotFoundError", NOT_FOUND, "A requested entity was not found.")
AlreadyExistsError = _subclass("AlreadyExistsError", ALREADY_EXISTS,
                               "An entity that we attempted to create already exists.")
PermissionDeniedError = _subclass("PermissionDeniedError", PERMISSION_DENIED,
                                  "The caller does not have permission to run an operation.")
UnauthenticatedError = _subclass("UnauthenticatedError", UNAUTHENTICATED,
                                 "The request does not have valid authentication credentials.")
ResourceExhaustedError = _subclass("ResourceExhaustedError", RESOURCE_EXHAUSTED,
                                   "Some resource, such as device memory, has been exhausted.")
FailedPreconditionError = _subclass(
    "FailedPreconditionError", FAILED_PRECONDITION,
    "The system is not in a state to run an operation, e.g. an uninitialised Variable.")
AbortedError = _subclass("AbortedError", ABORTED, "The operation was aborted.")
OutOfRangeError = _subclass("OutOfRangeError", OUT_OF_RANGE,
                            "An operation iterated past the valid input range.")
UnimplementedError = _subclass("UnimplementedError", UNIMPLEMENTED,
                               "The operation has not been implemented for these inputs.")
InternalError = _subclass("InternalError", INTERNAL, "An internal invariant was broken.")
UnavailableError = _subclass("UnavailableError", UNAVAILABLE,
                             "The runtime is currently unavailable.")
DataLossError = _subclass("DataLossError", DATA_LOSS, "Unrecoverable data loss or corruption.")


# ---------------------------------------------------------------------------------------------
# Message templates. Every user-facing message of the engine is built here.
# ---------------------------------------------------------------------------------------------

def fmt_shape(shape) -> str:
    """TensorFlow's compact shape form: [2,3]."""
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _dt(name: str) -> str:
    return f"ts.{name}"


def dtype_mismatch(op_name: str, operands: list[Operand], target: str,
                   cast_label: str) -> InvalidArgumentError:
    a, b = operands[0], operands[1]
    msg = (f"{op_name} cannot combine {a.dtype} ({a.label}) with {b.dtype} ({b.label}): "
           "tensorshell never converts implicitly")
    return InvalidArgumentError(
        None, None, msg, op_name=op_name, operands=operands, kind="dtype",
        hint=f"ts.cast({cast_label}, {_dt(target)})",
        detail={"target": target, "cast_operand": cast_label})


def dtype_not_allowed(op_name: str, operand: Operand, allowed: str, fix_dtype: str | None,
                      call: str) -> InvalidArgumentError:
    msg = f"{op_name} does not accept {operand.dtype} ({operand.label}); it takes {allowed}"
    hint = None
    if fix_dtype:
        hint = call.replace("{x}", f"ts.cast({operand.label}, {_dt(fix_dtype)})")
    return InvalidArgumentError(None, None, msg, op_name=op_name, operands=[operand],
                                kind="dtype", hint=hint, detail={"allowed": allowed})


def value_does_not_fit(op_name: str | None, value_text: str, dtype: str, why: str,
                       operand: Operand | None = None, hint: str | None = None,
                       cls=InvalidArgumentError):
    where = f"{op_name}: " if op_name else ""
    msg = (f"{where}{value_text} cannot become {dtype} without losing data ({why}); "
           "tensorshell refuses instead of truncating or wrapping")
    if cls is InvalidArgumentError:
        return cls(None, None, msg, op_name=op_name, operands=[operand] if operand else (),
                   kind="dtype", hint=hint)
    err = cls(msg)
    err.hint = hint
    return err


def incompatible_shapes(op_name: str, operands: list[Operand], why: str | None = None,
                        hint: str | None = None, joiner: str = " vs. ",
                        broadcast: bool = False) -> InvalidArgumentError:
    """Shapes an op cannot combine; ``broadcast``: by the broadcasting rule (the display
    then aligns the shapes from the right and marks the dimension that breaks it)."""
    shapes = joiner.join(fmt_shape(o.shape) for o in operands)
    msg = f"{op_name}: incompatible shapes {shapes}"
    if why:
        msg += f": {why}"
    return InvalidArgumentError(None, None, msg, op_name=op_name, operands=operands,
                                kind="shape", hint=hint,
                                detail={"broadcast": True} if broadcast else None)


def invalid(op_name: str | None, text: str, operands=(), hint=None, kind="value",
            cls=InvalidArgumentError):
    msg = f"{op_name}: {text}" if op_name else text
    return cls(None, None, msg, op_name=op_name, operands=operands, kind=kind, hint=hint)


_NP_INDEX = re.compile(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)")


def from_kernel(op_name: str, exc: BaseException, operands: list[Operand]) -> OpError:
    """Translate an exception raised inside a kernel into a tensorshell error."""
    if isinstance(exc, OpError):
        return exc
    text = str(exc)
    if type(exc).__name__ == "OutOfMemoryError":  # CuPy: name the request and what is free
        from .devices import current
        from .gpu import out_of_memory
        err = out_of_memory(current().backend, exc)
        err.op_name, err.operands = op_name, tuple(operands)
        return err
    if isinstance(exc, MemoryError):
        return invalid(op_name, f"out of memory: {text}", operands, kind="memory",
                       cls=ResourceExhaustedError,
                       hint="del large tensors you no longer need (%whos_t lists them), or "
                            "work on smaller pieces (ts.split, a loop over batches)")
    if isinstance(exc, ZeroDivisionError):
        return invalid(op_name, "Integer division by zero", operands,
                       hint="check the divisor with ts.reduce_any(y == 0), or cast to a float "
                            "dtype to get inf")
    if isinstance(exc, IndexError):
        m = _NP_INDEX.search(text)
        if m:
            text = (f"index {m.group(1)} is out of bounds for dimension {m.group(2)} "
                    f"with size {m.group(3)}")
        return invalid(op_name, text, operands, kind="index")
    if type(exc).__name__ == "LinAlgError":
        return invalid(op_name, f"{text} (the input is not invertible)", operands)
    if "broadcast" in text or "operands could not" in text:
        from . import shapes
        why = shapes.explain_broadcast([o.shape for o in operands])
        return incompatible_shapes(op_name, operands, why, broadcast=True)
    if "negative integer powers" in text:
        return invalid(op_name, text, operands,
                       hint="ts.pow(ts.cast(x, ts.float32), ts.cast(y, ts.float32))")
    if isinstance(exc, (ValueError, TypeError, OverflowError, ArithmeticError)):
        return invalid(op_name, text, operands)
    return invalid(op_name, f"{type(exc).__name__}: {text}", operands, cls=InternalError)
