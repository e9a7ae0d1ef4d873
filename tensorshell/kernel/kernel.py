"""TensorShellKernel: everything ipykernel gives (magics, widgets, display(), matplotlib,
interrupts, the debugger) plus tensorshell's displays, error panels and completions."""

from __future__ import annotations

from ipykernel.ipkernel import IPythonKernel

import tensorshell

from ..shell.state import state


def _devices_line() -> str:
    from ..engine import devices
    return ", ".join(d.short for d in devices.all_devices())


class TensorShellKernel(IPythonKernel):
    implementation = "tensorshell"
    implementation_version = tensorshell.__version__

    @property
    def banner(self):
        import numpy as np
        return (f"tensorshell {tensorshell.__version__} (IPython kernel) on NumPy "
                f"{np.__version__}\ndevices: {_devices_line()}\n")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Error panels travel as ANSI in the `error` message's traceback (notebooks render
        # it); values keep a deterministic plain text/plain beside their HTML.
        state.color = False
        state.color_errors = True
        state.width = 100
        from ..shell import load_ipython_extension
        load_ipython_extension(self.shell)
