"""Progress for training loops, and loss curves, in whichever front-end runs the code:
a live rich bar on a terminal, a live-updating HTML bar in Jupyter, one summary line when
the output is a file or a pipe (so transcripts stay stable).

>>> from tensorshell.display import track, plot_curve
>>> for step in (bar := track(range(200), description="training")):
...     loss = train_step()
...     bar.log(loss=float(loss))
>>> plot_curve(bar.history["loss"], title="loss")
"""

from __future__ import annotations

import html
import sys
import time

from .summary import fmt_stat, sparkline


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except Exception:  # noqa: BLE001
        return False
    return shell is not None and "ZMQ" in type(shell).__name__


class track:  # noqa: N801 - reads like a function at the call site
    """Iterate over ``iterable`` showing progress; ``log(name=value)`` records metrics
    (kept in ``history``) and shows their latest values."""

    def __init__(self, iterable, total=None, description="", refresh: float = 0.1):
        self.iterable = iterable
        self.total = total if total is not None else (
            len(iterable) if hasattr(iterable, "__len__") else None)
        self.description = description
        self.refresh = refresh
        self.history: dict[str, list[float]] = {}
        self.done = 0
        self._last = 0.0
        self._start = None
        self._mode = "notebook" if _in_notebook() else (
            "terminal" if sys.stdout.isatty() else "plain")
        self._handle = None
        self._rich = None
        self._task = None

    def log(self, **metrics) -> None:
        for name, value in metrics.items():
            self.history.setdefault(name, []).append(float(value))
        self._show()

    def _metrics_text(self) -> str:
        return "  ".join(f"{k}={fmt_stat(v[-1])}" for k, v in self.history.items())

    def _html(self) -> str:
        spark = " ".join(f"{k} {html.escape(sparkline(_bins(v)))}"
                         for k, v in self.history.items())
        return (f'<div style="font-family:monospace">{html.escape(self.description)} '
                f'<progress value="{self.done}" max="{self.total or 1}" '
                f'style="width:240px"></progress> {self.done}/{self.total or "?"} '
                f"{html.escape(self._metrics_text())} {spark}</div>")

    def _show(self, force=False):
        now = time.monotonic()
        if not force and now - self._last < self.refresh:
            return
        self._last = now
        if self._mode == "notebook":
            from IPython.display import HTML, display
            if self._handle is None:
                self._handle = display(HTML(self._html()), display_id=True)
            else:
                self._handle.update(HTML(self._html()))
        elif self._mode == "terminal" and self._rich is not None:
            self._rich.update(self._task, completed=self.done,
                              description=f"{self.description} {self._metrics_text()}")

    def __iter__(self):
        self._start = time.monotonic()
        if self._mode == "terminal":
            from rich.progress import Progress
            self._rich = Progress(transient=False)
            self._rich.start()
            self._task = self._rich.add_task(self.description, total=self.total)
        try:
            for item in self.iterable:
                yield item
                self.done += 1
                self._show()
        finally:
            self._show(force=True)
            if self._rich is not None:
                self._rich.stop()
            if self._mode == "plain":
                print(f"{self.description}: {self.done}/{self.total or self.done} "
                      f"{self._metrics_text()}".rstrip())


def _bins(values, n=16):
    """Values averaged into at most ``n`` buckets, for a sparkline of a curve."""
    if len(values) <= n:
        lo = min(values) if values else 0
        return tuple(int((v - lo) * 1000) + 1 for v in values)
    size = len(values) / n
    means = [sum(values[int(i * size):int((i + 1) * size)]) /
             max(1, len(values[int(i * size):int((i + 1) * size)])) for i in range(n)]
    lo = min(means)
    return tuple(int((m - lo) * 1000) + 1 for m in means)


def curve_svg(values, width: int = 480, height: int = 160, title: str = "") -> str:
    """A line chart of ``values`` as self-contained SVG, drawn in the text colour."""
    values = [float(v) for v in values]
    pad = 30
    if not values:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"/>'
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)
    pts = " ".join(f"{pad + i / n * (width - 2 * pad):.1f},"
                   f"{height - pad - (v - lo) / span * (height - 2 * pad):.1f}"
                   for i, v in enumerate(values))
    text = 'font-family="monospace" font-size="11" fill="currentColor"'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="{html.escape(title or "curve")}">'
            f'<polyline points="{pts}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
            f'<text x="{pad}" y="14" {text}>{html.escape(title)}</text>'
            f'<text x="2" y="{pad}" {text}>{fmt_stat(hi)}</text>'
            f'<text x="2" y="{height - pad}" {text}>{fmt_stat(lo)}</text>'
            f'<text x="{width - pad}" y="{height - 8}" {text}>{len(values)}</text></svg>')


class Curve:
    """A plotted curve: SVG in notebooks, a sparkline with its range as text."""

    def __init__(self, values, title=""):
        self.values = [float(v) for v in values]
        self.title = title

    def _repr_html_(self):
        return curve_svg(self.values, title=self.title)

    def __repr__(self):
        if not self.values:
            return f"{self.title}: (empty)"
        return (f"{self.title + ': ' if self.title else ''}{sparkline(_bins(self.values))} "
                f"{fmt_stat(self.values[0])} → {fmt_stat(self.values[-1])} "
                f"(min {fmt_stat(min(self.values))}, {len(self.values)} points)")


def plot_curve(values, title: str = "") -> Curve:
    """Plot a loss (or any) curve: returns an object that displays as a chart."""
    return Curve(values, title)
