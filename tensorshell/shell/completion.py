"""Completions that know tensors: dtype names after ``dtype=``, device names inside
``ts.device("``. Attribute completion on tensors is IPython's own; it never evaluates a
tensor's value (Tensor has no expensive properties and no ``__getattr__`` side effects)."""

from __future__ import annotations

import re

from IPython.core.completer import SimpleCompletion, context_matcher

from ..engine import dtypes

_DTYPE = re.compile(r"dtype\s*=\s*(?:ts\.)?(\w*)$")
_DEVICE = re.compile(r"""(?:ts\.device|%device)\(?\s*['"]?([\w:/]*)$""")


def _device_names():
    from ..engine import devices
    names = []
    for d in devices.all_devices():
        names += [f"/{d.short}", d.name]
    return names


@context_matcher()
def tensorshell_matcher(context):
    line = context.line_with_cursor
    m = _DTYPE.search(line)
    if m:  # the token is "flo" or "ts.flo": either way it becomes "ts.float32"
        prefix = m.group(1)
        names = [f"ts.{d.name}" for d in dtypes.ALL if d.name.startswith(prefix)]
        return {"completions": [SimpleCompletion(n) for n in names], "suppress": bool(names)}
    m = _DEVICE.search(line)
    if m and ("'" in line[line.rfind("device"):] or '"' in line[line.rfind("device"):]
              or line.lstrip().startswith("%device")):
        prefix = m.group(1)
        names = [n for n in _device_names() if n.startswith(prefix)]
        return {"completions": [SimpleCompletion(n) for n in names], "suppress": bool(names)}
    return {"completions": []}


def register(ip) -> None:
    completer = ip.Completer
    if tensorshell_matcher not in completer.custom_matchers:
        completer.custom_matchers.append(tensorshell_matcher)
