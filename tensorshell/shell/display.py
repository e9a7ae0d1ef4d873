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
    from ..engine.ops.decompositions import Eig, Lu, Qr
    from ..engine.ops.reduction import TopKV2, Unique, UniqueWithCounts
    return (TopKV2, Unique, UniqueWithCounts, Qr, Lu, Eig)


def _structure_header(obj, kind) -> str:
    dims = ", ".join("None" if d is None else str(d) for d in obj.shape.as_list())
    device = obj.values.device if kind == "SparseTensor" else obj.flat_values.device
    from ..engine.devices import lookup
    return f"{kind}[{dims}] {obj.dtype.name} {lookup(device).short}"


def _value_text(v) -> str:
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, bytes):
        return repr(v)
    if isinstance(v, float):
        text = f"{v:.6g}"
        return text if any(c in text for c in ".ein") else text + ".0"
    return str(v)


def ragged_text(obj, rows: int = 12, compact: bool = False) -> str:
    """A RaggedTensor: its header (shape with None for ragged dimensions, dtype, device),
    how many rows and values, then its rows (the first and last when there are many)."""
    head = _structure_header(obj, "RaggedTensor")
    listed = obj.to_list()

    def fmt(row):
        return "[" + ", ".join(fmt(v) if isinstance(v, list) else _value_text(v)
                               for v in row) + "]"
    if compact:
        body = fmt(listed)
        return f"<{head} {body}>" if len(body) + len(head) < 60 else f"<{head}>"
    lengths = obj.row_lengths().numpy()
    n_rows, n_values = len(listed), int(obj.flat_values.shape[0])
    stats = f"{n_rows} row{'s' * (n_rows != 1)}, {n_values} value{'s' * (n_values != 1)}" + (
        f", row lengths {int(lengths.min())}-{int(lengths.max())}" if len(lengths) else "")
    shown = [fmt(r) for r in listed] if len(listed) <= rows else \
        [fmt(r) for r in listed[:rows - 3]] + ["..."] + [fmt(r) for r in listed[-2:]]
    return f"{head}  ({stats})\n[" + ",\n ".join(shown) + "]"


def sparse_text(obj, entries: int = 12, compact: bool = False) -> str:
    """A SparseTensor: its header, how many entries it stores of how many, then the stored
    entries as ``[indices] value`` (the first and last when there are many)."""
    head = _structure_header(obj, "SparseTensor")
    count = int(obj.values.shape[0])
    total = 1
    for d in obj.shape.as_list():
        total *= d
    share = f"{100 * count / total:.3g}%" if total else "-"
    if compact:
        return f"<{head} {count} stored>"
    idx, vals = obj.indices.numpy(), obj.values.numpy()
    shown = list(range(count)) if count <= entries else \
        list(range(entries - 3)) + list(range(count - 2, count))
    lines = [f"  [{', '.join(str(int(c)) for c in idx[k])}]  {_value_text(vals[k])}"
             for k in shown]
    if count > entries:
        lines.insert(entries - 3, "  ...")
    return f"{head}  ({count} of {total} stored, {share})" + "".join("\n" + line
                                                                     for line in lines)


def _structure_printer(text_fn):
    def printer(obj, p, cycle):
        p.text(text_fn(obj, compact=len(getattr(p, "stack", ())) > 1))
    return printer


def _structures():
    from ..ragged import RaggedTensor
    from ..sparse import SparseTensor
    return {RaggedTensor: ragged_text, SparseTensor: sparse_text}


def register(ip) -> None:
    plain = ip.display_formatter.formatters["text/plain"]
    for cls in (Tensor, Variable):
        plain.for_type(cls, _printer)
    for cls in _named_results():
        plain.for_type(cls, _named_printer)
    for cls, text_fn in _structures().items():
        plain.for_type(cls, _structure_printer(text_fn))
    register_inspector(ip)


def unregister(ip) -> None:
    plain = ip.display_formatter.formatters["text/plain"]
    for cls in (Tensor, Variable) + _named_results() + tuple(_structures()):
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
