"""How tensors and Variables look: one stable text format, the same lines coloured for
terminals (rich), and HTML with a heatmap or histogram for notebooks.

The value layout is tensorshell's own (brackets and aligned columns in the NumPy style), so
saved outputs and transcript tests do not change when NumPy changes its printing. Only the
elements that are shown are copied to the host.
"""

from __future__ import annotations

import html
import math

import numpy as np

from .summary import Summary, fmt_stat, human_bytes, sparkline, summarize

HANDFUL = 8  # tensors with more elements get a summary line

FAMILY_STYLE = {"float": "cyan", "int": "green", "uint": "green", "bool": "magenta",
                "complex": "blue", "string": "yellow"}
DEVICE_STYLE = {"cpu": "bright_black", "gpu": "bold bright_magenta"}
FLAG_STYLE = "bold red"


def _options():
    from .. import config
    return config.get_print_options()


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------

def _edges(data, edgeitems: int, threshold: int):
    """The elements to show (a small host array) and which axes were cut in the middle."""
    if data.size <= threshold:
        return None, ()
    cut = []
    idx = []
    for axis, d in enumerate(data.shape):
        if d > 2 * edgeitems:
            cut.append(axis)
            idx.append(np.r_[0:edgeitems, d - edgeitems:d])
        else:
            idx.append(np.arange(d))
    return idx, tuple(cut)


def shown_values(t, opts=None):
    """(host array of the displayed elements, axes truncated in the middle)."""
    opts = opts or _options()
    data = t._data
    idx, cut = _edges(data, opts["edgeitems"], opts["threshold"])
    if idx is not None:
        xp = t._device.backend.xp
        for axis, i in enumerate(idx):
            if axis in cut:
                data = xp.take(data, t._device.backend.from_numpy(i) if
                               t._device.backend.is_gpu else i, axis=axis)
    host = np.asarray(t._device.backend.to_numpy(data))
    return host, cut


def _float_formatter(values: np.ndarray, precision: int):
    finite = values[np.isfinite(values)] if values.size else values
    nonzero = np.abs(finite[finite != 0]) if finite.size else finite
    sci = bool(nonzero.size) and (nonzero.max() >= 1e8 or nonzero.min() < 1e-4)
    if sci:
        mant_digits = 0
        for v in finite.tolist():
            m = f"{v:.{precision}e}".split("e")[0].rstrip("0")
            mant_digits = max(mant_digits, len(m.split(".")[1]) if "." in m else 0)

        def fmt(v):
            if not math.isfinite(v):
                return _special(v)
            m, e = f"{v:.{mant_digits}e}".split("e")
            return f"{m}e{int(e):+03d}"
        return fmt
    decimals = 1
    for v in finite.tolist():
        text = f"{v:.{precision}f}".rstrip("0")
        decimals = max(decimals, len(text.split(".")[1]) if "." in text else 0)

    def fmt(v):
        return f"{v:.{decimals}f}" if math.isfinite(v) else _special(v)
    return fmt


def _special(v):
    return "nan" if v != v else ("inf" if v > 0 else "-inf")


def element_formatter(values: np.ndarray, family: str, precision: int):
    if family == "float":
        return _float_formatter(values.astype(np.float64), precision)
    if family == "complex":
        re = _float_formatter(values.real.astype(np.float64), precision)
        im = _float_formatter(values.imag.astype(np.float64), precision)

        def fmt(v):
            i = im(abs(v.imag)) if v.imag == v.imag else "nan"
            return f"{re(v.real)}{'-' if v.imag < 0 else '+'}{i}j"
        return fmt
    if family == "bool":
        return lambda v: "True" if v else "False"
    if family == "string":
        return lambda v: repr(v)
    return str


def format_values(host: np.ndarray, cut: tuple, family: str, precision: int,
                  linewidth: int) -> str:
    """Nested brackets with right-aligned columns; ``...`` where axes were cut."""
    flat = host.reshape(-1)
    fmt = element_formatter(flat, family, precision)
    if host.ndim == 0:
        return fmt(host[()])
    if host.size == 0:
        return "[" * host.ndim + "]" * host.ndim
    texts = [fmt(v) for v in flat.tolist()] if family != "complex" else \
        [fmt(v) for v in flat]
    width = max(len(s) for s in texts)
    align = str.ljust if family == "string" else str.rjust
    cells = np.array([align(s, width) for s in texts], dtype=object).reshape(host.shape)
    edge = _options()["edgeitems"]
    text = _block(cells, cut, edge, 0, linewidth, width)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _block(cells, cut, edge, axis, linewidth, width):
    ndim = cells.ndim
    n = cells.shape[0]
    truncated = axis in cut
    if ndim == 1:
        items = [str(c) for c in cells]
        if truncated:
            items = items[:edge] + ["..."] + items[edge:]
        return "[" + _wrap(items, linewidth - axis - 1, axis + 1) + "]"
    parts = [_block(cells[i], cut, edge, axis + 1, linewidth, width) for i in range(n)]
    if truncated:
        parts = parts[:edge] + ["..."] + parts[edge:]
    sep = "\n" * (ndim - 1) + " " * (axis + 1)
    return "[" + sep.join(parts) + "]"


def _wrap(items, room, indent):
    lines, line = [], ""
    for item in items:
        candidate = item if not line else line + " " + item
        if line and len(candidate) > room:
            lines.append(line)
            line = item
        else:
            line = candidate
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


# ---------------------------------------------------------------------------------------------
# Lines: header, values, summary — shared by text, rich and HTML
# ---------------------------------------------------------------------------------------------

def header_parts(s: Summary) -> list[tuple[str, str]]:
    """(text, style) pieces of the header line, e.g. ``Tensor[2, 3] float32 cpu:0``."""
    shape = "[" + ", ".join(str(d) for d in s.shape) + "]"
    parts = [(s.kind, "bold")]
    if s.name:
        parts.append((f" {s.name!r} ", "bold"))
    parts += [(shape, "bold"), (" ", ""), (s.dtype, FAMILY_STYLE[s.family]), (" ", ""),
              (s.device, DEVICE_STYLE.get(s.device.split(":")[0], ""))]
    if s.kind == "Variable":
        parts.append((" mutable", "italic"))
    return parts


def summary_parts(s: Summary) -> list[tuple[str, str]]:
    """(text, style) pieces of the summary line; empty for a handful of elements."""
    if s.n <= HANDFUL and not (s.nan or s.posinf or s.neginf):
        return []
    approx = "~" if s.sampled else ""
    parts = [(f"n={s.n:,}", ""), (f" ({human_bytes(s.nbytes)})", "bright_black")]
    if s.family == "string" or s.n == 0:
        return parts
    if s.family == "bool":
        parts.append((f"  {approx}True: {s.counts[True]:,} False: {s.counts[False]:,}", ""))
    elif s.family in ("int", "uint"):
        parts.append((f"  {approx}x∈[{s.min}, {s.max}]", ""))
        if s.counts:
            counts = " ".join(f"{k}:{v:,}" for k, v in s.counts.items())
            parts.append((f"  {approx}counts {counts}", ""))
        else:
            parts.append((f"  {approx}zeros: {s.zeros:,}", ""))
    else:
        label = "|x|" if s.family == "complex" else "x"
        if s.min is not None:
            parts += [(f"  {approx}{label}∈[{fmt_stat(s.min)}, {fmt_stat(s.max)}]", ""),
                      (f"  {approx}μ={fmt_stat(s.mean)} σ={fmt_stat(s.std)}", "")]
            if s.max > s.min:
                parts.append((f"  {sparkline(s.hist)}", "cyan"))
    for count, label in ((s.nan, "NaN"), (s.posinf, "+Inf"), (s.neginf, "-Inf")):
        if count:
            parts.append((f"  {approx}{label}×{count:,}", FLAG_STYLE))
    if s.all_zeros and s.family != "bool":
        parts.append((f"  {approx}all zeros", "bold yellow"))
    if s.sampled:
        parts.append((f"  (stats from {s.sampled:,} sampled)", "bright_black"))
    return parts


def _lines(t):
    opts = _options()
    s = summarize(t)
    host, cut = shown_values(t, opts)
    values = format_values(host, cut, s.family, opts["precision"], opts["linewidth"])
    return s, header_parts(s), values, summary_parts(s)


def render_text(t) -> str:
    """The stable plain-text display: header, values, summary line."""
    try:
        _, header, values, summary = _lines(t)
    except Exception:  # noqa: BLE001 - a display never raises: fall back to repr
        return repr(t)
    out = ["".join(p for p, _ in header), values]
    if summary:
        out.append("".join(p for p, _ in summary).strip())
    return "\n".join(out)


def render_compact(t, limit: int = 60) -> str:
    """One line, for a tensor inside a tuple, list or dict: the header, then the values when
    they fit on the line."""
    try:
        _, header, values, _ = _lines(t)
    except Exception:  # noqa: BLE001
        return repr(t)
    head = "".join(p for p, _ in header)
    if "\n" not in values and len(head) + len(values) < limit:
        return f"<{head} {values}>"
    return f"<{head}>"


class TensorView:
    """A rich renderable of a tensor or Variable: ``rich.print(TensorView(t))``."""

    def __init__(self, t):
        self.t = t

    def __rich_console__(self, console, options):
        from rich.text import Text
        try:
            _, header, values, summary = _lines(self.t)
        except Exception:  # noqa: BLE001
            yield Text(repr(self.t))
            return
        yield Text.assemble(*header)
        yield Text(values)
        if summary:
            first, *rest = summary
            yield Text.assemble((first[0].lstrip(), first[1]), *rest)


def rich_view(t) -> TensorView:
    return TensorView(t)


# ---------------------------------------------------------------------------------------------
# HTML: the same lines, plus a heatmap (2-D) or histogram (1-D) as inline SVG
# ---------------------------------------------------------------------------------------------

_CSS_COLORS = {"cyan": "#0891b2", "green": "#16a34a", "magenta": "#c026d3", "blue": "#2563eb",
               "yellow": "#ca8a04", "bright_black": "#6b7280", "bold bright_magenta": "#c026d3",
               "bold red": "#dc2626", "bold yellow": "#ca8a04"}

_VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962",
            "#addc30", "#fde725"]


def _span(text, style):
    css = []
    color = _CSS_COLORS.get(style)
    if color:
        css.append(f"color:{color}")
    if "bold" in style:
        css.append("font-weight:bold")
    if "italic" in style:
        css.append("font-style:italic")
    esc = html.escape(text)
    return f'<span style="{";".join(css)}">{esc}</span>' if css else esc


def heatmap_svg(t, cells: int = 32) -> str:
    """A 2-D tensor as a grid of at most cells x cells coloured rectangles (strided sample)."""
    data = t._data
    rows, cols = data.shape
    sr, sc = max(1, math.ceil(rows / cells)), max(1, math.ceil(cols / cells))
    grid = np.asarray(t._device.backend.to_numpy(data[::sr, ::sc]))
    if t._dtype.is_complex:
        grid = np.abs(grid)
    grid = grid.astype(np.float64)
    finite = np.isfinite(grid)
    lo, hi = (grid[finite].min(), grid[finite].max()) if finite.any() else (0.0, 1.0)
    span = hi - lo or 1.0
    r, c = grid.shape
    size = max(4, min(12, 240 // max(r, c)))
    rects = []
    for i in range(r):
        for j in range(c):
            v = grid[i, j]
            if v != v:
                color = "#9ca3af"
            else:
                k = 0 if v == -np.inf else 8 if v == np.inf else int((v - lo) / span * 8 + .5)
                color = _VIRIDIS[min(8, max(0, k))]
            rects.append(f'<rect x="{j * size}" y="{i * size}" width="{size}" height="{size}" '
                         f'fill="{color}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{c * size}" height="{r * size}" '
            f'role="img" aria-label="heatmap">{"".join(rects)}</svg>')


def histogram_svg(s: Summary, width: int = 160, height: int = 32) -> str:
    """The summary's histogram as bars in the text colour (readable on any theme)."""
    if not s.hist or not max(s.hist):
        return ""
    top = max(s.hist)
    bw = width / len(s.hist)
    bars = []
    for i, c in enumerate(s.hist):
        h = 0 if c == 0 else max(1.0, c / top * height)
        bars.append(f'<rect x="{i * bw:.1f}" y="{height - h:.1f}" width="{bw - 1:.1f}" '
                    f'height="{h:.1f}" fill="currentColor" opacity="0.6"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="histogram">{"".join(bars)}</svg>')


def render_html(t) -> str:
    """Header, values and summary as HTML, with a heatmap (2-D) or histogram (1-D). No
    scripts, no external resources."""
    try:
        s, header, values, summary = _lines(t)
        parts = ['<div class="tensorshell-tensor" style="font-family:monospace">',
                 "<div>" + "".join(_span(p, st) for p, st in header) + "</div>",
                 f'<pre style="margin:0.25em 0">{html.escape(values)}</pre>']
        if summary:
            parts.append("<div>" + "".join(_span(p, st) for p, st in summary) + "</div>")
        numeric = s.family in ("float", "int", "uint", "complex", "bool") and s.n
        if numeric and len(s.shape) == 2 and s.shape[0] > 1 and s.shape[1] > 1:
            parts.append(heatmap_svg(t))
        elif numeric and len(s.shape) == 1 and s.n > HANDFUL:
            parts.append(histogram_svg(s))
        parts.append("</div>")
        return "".join(parts)
    except Exception:  # noqa: BLE001
        return f"<pre>{html.escape(repr(t))}</pre>"


def mimebundle(t, include=None, exclude=None) -> dict:
    bundle = {"text/plain": render_text(t), "text/html": render_html(t)}
    if include:
        bundle = {k: v for k, v in bundle.items() if k in include}
    if exclude:
        bundle = {k: v for k, v in bundle.items() if k not in exclude}
    return bundle
