"""Error rendering in every IPython front-end: a tensorshell error shows the user's frames
and the display layer's panel (what happened, the operands, the fix) instead of a raw
traceback. A NameError or AttributeError on ``ts`` suggests the closest names. Anything else
keeps IPython's own traceback; ``%xmode Verbose`` or
``ts.config.set_show_internal_frames(True)`` shows everything."""

from __future__ import annotations

import difflib
import io
import re

from .. import config
from ..display.errors import render_error, user_frames
from .state import state


def to_text(renderable, color: bool | None = None) -> str:
    """A rich renderable as text (ANSI when colour is on). Never rich's Jupyter display: the
    text goes where the caller sends it, e.g. into an error message's traceback."""
    from rich.console import Console
    color = (state.color or state.color_errors) if color is None else color
    buf = io.StringIO()
    Console(file=buf, force_terminal=color, no_color=not color, force_jupyter=False,
            color_system="standard" if color else None, width=state.width,
            legacy_windows=False).print(renderable, end="")
    return buf.getvalue()


def public_names() -> dict[str, str]:
    """Bare name -> qualified name for everything ``ts`` exports (top level first)."""
    import tensorshell as ts
    names: dict[str, str] = {}
    for prefix, mod in (("ts", ts), ("ts.math", ts.math), ("ts.nn", ts.nn),
                        ("ts.linalg", ts.linalg), ("ts.random", ts.random),
                        ("ts.bitwise", ts.bitwise), ("ts.config", ts.config),
                        ("ts.errors", ts.errors)):
        for name in dir(mod):
            if not name.startswith("_") and not isinstance(getattr(mod, name), type(ts)):
                names.setdefault(name, f"{prefix}.{name}")
    return names


_CELL = re.compile(r"<ipython-input-(\d+)-[0-9a-f]+>")
_ATTR = re.compile(r"module '(tensorshell(?:\.\w+)?)' has no attribute '(\w+)'")
_NAME = re.compile(r"name '(\w+)' is not defined")


def suggestions(exc) -> list[str]:
    """Qualified tensorshell names close to the one that failed."""
    text = str(exc)
    if isinstance(exc, AttributeError):
        m = _ATTR.search(text)
        if not m:
            return []
        missing = m.group(2)
    elif isinstance(exc, NameError):
        m = _NAME.search(text)
        if not m:
            return []
        missing = m.group(1)
    else:
        return []
    names = public_names()
    found = []
    if missing in names:
        found.append(names[missing])  # e.g. ts.log -> ts.math.log
    for close in difflib.get_close_matches(missing, list(names), n=3, cutoff=0.75):
        if names[close] not in found:
            found.append(names[close])
    return found[:3]


def _suggestion_panel(exc, found):
    from rich.panel import Panel
    from rich.text import Text
    body = Text.assemble((str(exc), "bold"), "\n\n", ("did you mean ", ""),
                         (" or ".join(found), "bold green"), ("?", ""))
    return Panel(body, title=f"[bold red]{type(exc).__name__}[/]", title_align="left",
                 border_style="red", expand=False)


def _cell_number(filename: str) -> int | None:
    """The execution count of a cell's code, from IPython's file name or ipykernel's map."""
    m = _CELL.match(filename)
    if m:
        return int(m.group(1))
    try:
        from IPython import get_ipython
        shell = get_ipython()
        return shell.compile._filename_map.get(filename) if shell is not None else None
    except Exception:  # noqa: BLE001
        return None


def _frames_text(tb) -> str:
    import IPython
    ipython_dir = IPython.__file__.rsplit("/", 1)[0]
    lines = ["Traceback (most recent call last):"]
    for f in user_frames(tb):
        if f.filename.startswith(ipython_dir):
            continue  # IPython's own run_code frame
        filename, lineno = f.filename, f.lineno
        mapped = state.sources.get(filename)
        cell = _cell_number(filename)
        if mapped is not None:
            filename, lineno = mapped[0], lineno + mapped[1]
            lines.append(f'  File "{filename}", line {lineno}, in {f.name}')
        elif cell is not None:
            where = "" if f.name == "<module>" else f", in {f.name}"
            lines.append(f"  In [{cell}], line {lineno}{where}")
        else:
            lines.append(f'  File "{filename}", line {lineno}, in {f.name}')
        if f.line:
            lines.append(f"    {f.line.strip()}")
    return "\n".join(lines)


def _verbose(shell) -> bool:
    return config.get_show_internal_frames() or (
        shell is not None and shell.InteractiveTB.mode == "Verbose")


def explained_traceback(evalue, shell=None) -> list[str] | None:
    """Our structured traceback for ``evalue`` — the user's frames, then the explanation
    panel — or None when tensorshell has nothing to add to IPython's own."""
    found = suggestions(evalue)     # a misspelt ts name (raised by ts's own __getattr__)
    panel = None if found else render_error(evalue)
    if panel is None and not found:
        return None
    if panel is None:
        panel = _suggestion_panel(evalue, found)
    tb = evalue.__traceback__
    if _verbose(shell):
        stb = list(shell.InteractiveTB.structured_traceback(type(evalue), evalue, tb))
    else:
        stb = [_frames_text(tb)]
    stb.append(to_text(panel))
    return stb


def render_traceback(evalue) -> list[str]:
    """``OpError._render_traceback_``: what any IPython shows for a tensorshell error."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except Exception:  # noqa: BLE001
        shell = None
    stb = explained_traceback(evalue, shell)
    return stb if stb is not None else [str(evalue)]


def _interrupted(evalue) -> list[str]:
    """Ctrl-C: where the user's code was, without the engine's (or NumPy's) frames."""
    return [_frames_text(evalue.__traceback__), "KeyboardInterrupt"]


def _handler(shell, etype, evalue, tb, tb_offset=None):
    """Built-in exceptions (TypeError, ValueError, NameError, ...) raised by tensorshell or on
    ``ts``: IPython's run_code calls this and prints nothing itself, so this shows the result
    for both explained and ordinary tracebacks."""
    if isinstance(evalue, KeyboardInterrupt) and not _verbose(shell):
        stb = _interrupted(evalue)
    else:
        stb = explained_traceback(evalue, shell)
    if stb is None:
        stb = shell.InteractiveTB.structured_traceback(etype, evalue, tb, tb_offset=tb_offset)
    shell._showtraceback(etype, evalue, stb)
    return None


CUSTOM = (NameError, AttributeError, TypeError, ValueError, RuntimeError, KeyboardInterrupt)


def register(ip) -> None:
    ip.set_custom_exc(CUSTOM, _handler)


def unregister(ip) -> None:
    ip.set_custom_exc((), None)
