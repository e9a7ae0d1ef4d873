"""The optional C fast paths (``_speedups.c``) and whether this process uses them.

The Python implementations are the reference: every fast path hands anything unusual back to
them, and the suite runs both. ``TENSORSHELL_PURE_PYTHON=1`` turns the C paths off (to
compare, or to debug in Python); a build without a compiler simply lacks them.
"""

from __future__ import annotations

import os

try:
    if os.environ.get("TENSORSHELL_PURE_PYTHON", "") not in ("", "0"):
        raise ImportError("turned off by TENSORSHELL_PURE_PYTHON")
    from . import _speedups as C
    WHY_NOT: str | None = None
except ImportError as e:  # no compiler at install time, or turned off
    C = None
    WHY_NOT = str(e)


def tensor_getitem(tensor_type, placement, getitem):
    """``Tensor.__getitem__``: the C method serving ints and slices (and falling back to
    ``getitem`` for the rest) when the extension is built, else ``getitem`` itself."""
    if C is None:
        return getitem
    return C.getitem_method(tensor_type, placement, getitem)


def fast(reference):
    """The C function of ``reference``'s name (less a ``_reference`` suffix) when the
    extension is built, else ``reference`` itself - which stays the definition the tests
    compare the C version against."""
    if C is None:
        return reference
    return getattr(C, reference.__name__.removesuffix("_reference"))
