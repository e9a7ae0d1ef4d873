"""Display formatters: tensors and Variables show the display layer's text (coloured in a
colour terminal), and its HTML in notebooks through ``_repr_mimebundle_``."""

from __future__ import annotations

import io

from ..engine.tensor import Tensor
from ..engine.variable import Variable
from .state import state


def tensor_text(obj) -> str:
    from ..display.render import TensorView, render_text
    if not state.color:
        return render_text(obj)
    from rich.console import Console
    buf = io.StringIO()
    Console(file=buf, force_terminal=True, color_system="standard", width=state.width,
            force_jupyter=False, legacy_windows=False).print(TensorView(obj), end="")
    return buf.getvalue()


def _printer(obj, p, cycle):
    if len(getattr(p, "stack", ())) > 1:  # inside a tuple, list or dict: one line each
        from ..display.render import render_compact
        p.text(render_compact(obj))
    else:
        p.text(tensor_text(obj))


def _named_printer(obj, p, cycle):
    """The named tuples ops return (``TopKV2(values=..., indices=...)``): each field's
    tensor in the compact one-line form, as inside a plain tuple."""
    name = type(obj).__name__
    with p.group(len(name) + 1, name + "(", ")"):
        for i, field in enumerate(obj._fields):
            if i:
                p.text(",")
                p.breakable()
            p.text(field + "=")
            p.pretty(getattr(obj, field))


def _named_results():
    from ..engine.ops.reduction import TopKV2, Unique
    return (TopKV2, Unique)


def register(ip) -> None:
    plain = ip.display_formatter.formatters["text/plain"]
    for cls in (Tensor, Variable):
        plain.for_type(cls, _printer)
    for cls in _named_results():
        plain.for_type(cls, _named_printer)
    register_inspector(ip)


def unregister(ip) -> None:
    plain = ip.display_formatter.formatters["text/plain"]
    for cls in (Tensor, Variable) + _named_results():
        plain.type_printers.pop(cls, None)


def register_inspector(ip) -> None:
    """``t?`` and Shift-Tab show the tensor's header, values and summary as its string form
    (IPython would show the TensorFlow-like str, without the summary)."""
    inspector = ip.inspector
    if getattr(inspector, "_tensorshell_wrapped", False):
        return
    original = inspector.info

    def info(obj, *args, **kwargs):
        out = original(obj, *args, **kwargs)
        if isinstance(obj, (Tensor, Variable)):
            from ..display.render import render_text
            out["string_form"] = render_text(obj)
        return out

    inspector.info = info
    inspector._tensorshell_wrapped = True
