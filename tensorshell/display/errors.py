"""Errors that explain themselves: an exception becomes a short panel with what happened,
each operand's dtype, shape and device, and the fix as code ready to paste.

``error_lines`` is the pure part (styled pieces of text); ``render_error`` wraps them in a
rich Panel; ``error_text`` is the plain form for transcripts and ``text/plain``. Exceptions
that are not tensorshell's return None, and callers fall back to a normal traceback.
"""

from __future__ import annotations

import os
import traceback

from ..engine.errors import OpError

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _is_ours(exc) -> bool:
    return isinstance(exc, OpError) or (
        isinstance(exc, (TypeError, ValueError, AttributeError, RuntimeError))
        and _raised_inside_tensorshell(exc))


def _raised_inside_tensorshell(exc) -> bool:
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return last is not None and last.tb_frame.f_code.co_filename.startswith(_PACKAGE_DIR)


def _shape_text(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _dims_table(operands, kind_detail):
    """Shapes aligned dimension by dimension from the right, with the breaking one marked."""
    ndim = max((len(o.shape) for o in operands), default=0)
    if ndim == 0:
        return []
    width = max(len(str(d)) for o in operands for d in o.shape) if any(
        o.shape for o in operands) else 1
    label_w = max(len(o.label) for o in operands)
    bad = None
    for i in range(-1, -ndim - 1, -1):
        sizes = {o.shape[i] for o in operands if -i <= len(o.shape)} - {1}
        if len(sizes) > 1:
            bad = i
            break
    rows = []
    for o in operands:
        cells = []
        for i in range(-ndim, 0):
            text = str(o.shape[i]) if -i <= len(o.shape) else ""
            cells.append(text.rjust(width))
        rows.append((f"  {o.label.ljust(label_w)}  ", " ".join(cells)))
    lines = [[(a, ""), (b, "")] for a, b in rows]
    if bad is not None:
        pos = (ndim + bad) * (width + 1) + width - 1
        lines.append([(" " * (label_w + 4) + " " * pos + "^", "bold red"),
                      (f" dimension {bad} does not match", "bold red")])
    return lines


def _dim_positions(shape):
    """The shape as ``[2, 3]`` and the column where each dimension's text starts."""
    text, cols = "[", []
    for k, d in enumerate(shape):
        if k:
            text += ", "
        cols.append(len(text))
        text += str(d)
    return text + "]", cols


def _matmul_marks(operands):
    """Each matrix's shape with a caret under the dimension that must match."""
    a, b = operands[0], operands[1]
    if len(a.shape) < 2 or len(b.shape) < 2:
        return []
    label_w = max(len(a.label), len(b.label))
    lines = []
    for o, dim, words in ((a, -1, "last dimension of a"),
                          (b, -2, "second-to-last dimension of b: they must match")):
        text, cols = _dim_positions(o.shape)
        lines.append([(f"  {o.label.ljust(label_w)}  ", ""), (text, "")])
        lines.append([(" " * (label_w + 4 + cols[dim]) + "^ ", "bold red"),
                      (words, "bold red")])
    return lines


def error_lines(exc) -> list[list[tuple[str, str]]] | None:
    """Styled lines explaining ``exc``, or None for an exception we do not render."""
    if not _is_ours(exc):
        return None
    message = getattr(exc, "message", None) or str(exc)
    lines = [[(message, "bold")]]
    operands = getattr(exc, "operands", ()) or ()
    kind = getattr(exc, "kind", None)
    if operands:
        lines.append([])
        label_w = max(len(o.label) for o in operands)
        dtype_w = max(len(o.dtype) for o in operands)
        shape_w = max(len(_shape_text(o.shape)) for o in operands)
        for o in operands:
            lines.append([(f"  {o.label.ljust(label_w)}  ", "bold"),
                          (o.dtype.ljust(dtype_w), "cyan"), ("  ", ""),
                          (_shape_text(o.shape).ljust(shape_w), ""), ("  ", ""),
                          (o.device, "bright_black")])
        detail = getattr(exc, "detail", None) or {}
        if kind == "shape" and len(operands) >= 2:
            if getattr(exc, "op_name", None) == "matmul":
                marks = _matmul_marks(operands)
            elif detail.get("broadcast"):  # other ops' rules are in their message
                marks = _dims_table(operands, None)
            else:
                marks = []
            if marks:
                lines.append([])
                lines.extend(marks)
    hint = getattr(exc, "hint", None)
    if hint:
        lines.append([])
        lines.append([("fix: ", "bold green"), (hint, "green")])
    return lines


def error_text(exc) -> str | None:
    """The plain-text panel body (no colour, no box): stable for transcripts and tests."""
    lines = error_lines(exc)
    if lines is None:
        return None
    title = type(exc).__name__
    return "\n".join([title] + ["".join(p for p, _ in line).rstrip() for line in lines])


def render_error(exc):
    """A rich Panel for ``exc``, or None when it is not a tensorshell error."""
    lines = error_lines(exc)
    if lines is None:
        return None
    from rich.panel import Panel
    from rich.text import Text
    body = Text("\n").join(Text.assemble(*line) if line else Text("") for line in lines)
    return Panel(body, title=f"[bold red]{type(exc).__name__}[/]", title_align="left",
                 border_style="red", expand=False)


def user_frames(tb, show_internal: bool | None = None) -> list[traceback.FrameSummary]:
    """The traceback's frames without tensorshell's own (unless asked for), so an error
    points at the user's line, not at the engine."""
    if show_internal is None:
        from .. import config
        show_internal = config.get_show_internal_frames()
    frames = traceback.extract_tb(tb)
    if show_internal:
        return list(frames)
    return [f for f in frames if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR)]


def frames_text(frames) -> str:
    out = []
    for f in frames:
        out.append(f'  File "{f.filename}", line {f.lineno}, in {f.name}')
        if f.line:
            out.append(f"    {f.line.strip()}")
    return "\n".join(out)
