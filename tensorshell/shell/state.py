"""What the front-end tells the extension about its output: colour, width, and how cell
file names map back to script lines (for ``.tsh`` error reports)."""

from __future__ import annotations

import os


class ShellState:
    def __init__(self):
        self.color = False          # coloured values: the REPL turns it on for a colour tty
        self.color_errors = False   # coloured error panels: a colour tty, or a notebook
        self.width = 100            # error panels wrap at this width
        self.sources: dict[str, tuple[str, int]] = {}  # cell filename -> (script, offset)

    def colour_allowed(self, stream) -> bool:
        """Colour only on a terminal, and never with NO_COLOR or TERM=dumb."""
        if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return False
        return bool(getattr(stream, "isatty", lambda: False)())


state = ShellState()
