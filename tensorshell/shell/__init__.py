"""The IPython extension that makes any IPython shell a tensorshell.

``%load_ext tensorshell`` (or ``load_ipython_extension(ip)``) preloads ``ts`` and ``np``,
registers the display layer's formatters, renders tensorshell errors as explanation panels,
and adds the ``%device``, ``%tensors`` and ``%tstimeit`` magics and tensor-aware completions.
The terminal REPL, the Jupyter kernel and the ``.tsh`` runner all load it.
"""

from __future__ import annotations

from .state import state


def load_ipython_extension(ip) -> None:
    if getattr(ip, "_tensorshell_loaded", False):
        return
    ip._tensorshell_loaded = True
    import numpy as np

    import tensorshell as ts
    from . import completion, display, errors, magics
    ip.push({"ts": ts, "np": np}, interactive=False)
    display.register(ip)
    errors.register(ip)
    magics.register(ip)
    completion.register(ip)


def unload_ipython_extension(ip) -> None:
    from . import display, errors
    display.unregister(ip)
    errors.unregister(ip)
    ip._tensorshell_loaded = False


__all__ = ["load_ipython_extension", "unload_ipython_extension", "state"]
