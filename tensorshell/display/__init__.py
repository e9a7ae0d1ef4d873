"""The display layer: one summary function, one text format, rich renderables, HTML.

Imported lazily (on first display), never by ``import tensorshell``.
"""

from .render import TensorView, render_html, render_text, rich_view  # noqa: F401
from .summary import Summary, summarize  # noqa: F401
from .progress import plot_curve, track  # noqa: F401
