"""The ``tensorshell`` terminal: IPython's prompt_toolkit shell with the tensorshell
extension, our banner, a prompt that shows the default device, and a bottom toolbar.

History, multi-line editing, syntax highlighting, completion and ``?`` help are IPython's.
History lives in tensorshell's own data folder (``$XDG_DATA_HOME/tensorshell``), unless
``IPYTHONDIR`` says otherwise.
"""

from __future__ import annotations

import glob
import importlib.metadata
import os
import shutil
import sys

from IPython.terminal.interactiveshell import TerminalInteractiveShell
from IPython.terminal.prompts import Prompts
from pygments.token import Token

from .engine import devices
from .shell.state import state


def data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return os.path.join(base, "tensorshell")


def usable_data_dir() -> str:
    """The data folder, created on first start (IPython refuses a missing one). Where it
    cannot be created or written (a read-only home), a temporary folder for this session
    only, with a warning: the shell starts either way."""
    path = data_dir()
    try:
        os.makedirs(path, exist_ok=True)
        if not os.access(path, os.W_OK):
            raise PermissionError(13, "not writable")
        return path
    except OSError as e:
        import atexit
        import tempfile
        fallback = tempfile.mkdtemp(prefix="tensorshell-")
        atexit.register(shutil.rmtree, fallback, True)
        print(f"tensorshell: cannot use {path} ({e.strerror or e}); history is kept for this "
              "session only (set XDG_DATA_HOME or IPYTHONDIR to a writable folder)",
              file=sys.stderr)
        return fallback


def _cupy_version() -> str | None:
    for dist in ("cupy", "cupy-cuda12x", "cupy-cuda11x", "cupy-cuda13x"):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def banner() -> str:
    """Version, NumPy/CuPy versions and the devices found, without importing CuPy: GPUs are
    counted from the driver's device files and initialised on first use."""
    import numpy as np

    import tensorshell as ts
    cupy = _cupy_version()
    libs = f"NumPy {np.__version__}" + (f", CuPy {cupy}" if cupy else "")
    cpus = [f"cpu:{i}" for i in range(devices.placement.logical_cpus)]
    gpus = sorted(glob.glob("/dev/nvidia[0-9]*"))
    found = ", ".join(cpus)
    if gpus and cupy:
        found += ", " + ", ".join(f"gpu:{i}" for i in range(len(gpus))) + \
            " (initialised on first use)"
    elif gpus:
        found += f"; {len(gpus)} GPU(s) present but CuPy is not installed"
    return (f"tensorshell {ts.__version__} — TensorFlow's low-level API, eager, on {libs}\n"
            f"devices: {found}\n"
            "ts and np are loaded. %tensors lists the workspace, %device switches devices, "
            "ts.<TAB> explores the API.\n")


class TensorPrompts(Prompts):
    """``ts cpu:0 [3]> `` — the default device is always in view."""

    def in_prompt_tokens(self):
        dev = devices.placement.default.short
        return [(Token.Prompt, "ts "), (Token.Prompt.Device, dev),
                (Token.Prompt, " ["), (Token.PromptNum, str(self.shell.execution_count)),
                (Token.Prompt, "]> ")]

    def continuation_prompt_tokens(self, width=None):
        if width is None:
            width = self._width()
        return [(Token.Prompt, "...> ".rjust(width))]

    def out_prompt_tokens(self):
        return []


def toolbar_text() -> str:
    dev = devices.placement.default
    parts = [f" device {dev.short}"]
    if devices.placement.initialized:
        for d in devices.placement.devices.values():
            if d.backend.is_gpu:
                info = d.backend.memory_info()
                parts.append(f"{d.short} {info['current'] / 2**20:.0f} MiB in use")
    parts.append("dtypes: strict, no implicit casts")
    parts.append("%tensors  %device  Ctrl-D exits")
    return " │ ".join(parts)


class TensorShell(TerminalInteractiveShell):
    def init_prompt_toolkit_cli(self):
        super().init_prompt_toolkit_cli()
        if getattr(self, "pt_app", None) is not None:
            self.pt_app.bottom_toolbar = toolbar_text


def start(argv: list[str]) -> int:
    """Start the interactive terminal."""
    from IPython.terminal.ipapp import TerminalIPythonApp
    from traitlets.config import Config

    plain = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    c = Config()
    c.TerminalIPythonApp.display_banner = True
    c.TerminalIPythonApp.interactive_shell_class = TensorShell
    c.InteractiveShellApp.extensions = ["tensorshell"]
    c.TerminalInteractiveShell.banner1 = banner()
    c.TerminalInteractiveShell.prompts_class = TensorPrompts
    c.TerminalInteractiveShell.confirm_exit = False
    c.TerminalInteractiveShell.separate_in = ""
    if "enable_tip" in TerminalInteractiveShell.class_trait_names():  # IPython >= 9
        c.TerminalInteractiveShell.enable_tip = False  # our banner says what to try
    if plain:
        c.InteractiveShell.colors = "nocolor"
        c.TerminalInteractiveShell.highlighting_style_overrides = {}
        c.TerminalInteractiveShell.simple_prompt = os.environ.get("TERM") == "dumb"
        c.TerminalInteractiveShell.true_color = False
    if not os.environ.get("IPYTHONDIR"):
        c.BaseIPythonApplication.ipython_dir = usable_data_dir()
    state.color = state.color_errors = state.colour_allowed(sys.stdout)
    state.width = shutil.get_terminal_size((100, 24)).columns
    app = TerminalIPythonApp.instance(config=c)
    app.initialize(argv)
    app.start()
    return 0
