"""Devices: interned Device objects, the backends that run their kernels, and placement.

``/cpu:0`` always exists. The op registry places every op on ``placement.device`` — the
device of the innermost ``ts.device(...)`` scope, else the default device — and compares
devices by identity on the hot path. A backend carries its array module (``xp``): NumPy for
CPUs. Kernels are bound to a backend once, never sniffed per call.
"""

from __future__ import annotations

import re

import numpy as np

_JOB = "/job:localhost/replica:0/task:0"


class Backend:
    """An array module that runs kernels (NumPy on CPUs)."""

    __slots__ = ("name", "xp")

    def __init__(self, name: str, xp):
        self.name = name
        self.xp = xp

    def to_numpy(self, data):
        """A host NumPy array (or scalar) with the value of ``data``."""
        return data

    def from_numpy(self, arr):
        """``arr`` as this backend's array."""
        return arr

    def __repr__(self):
        return f"Backend({self.name!r})"


NUMPY = Backend("numpy", np)


class Device:
    """A device tensors live on: ``Device('/job:localhost/replica:0/task:0/device:CPU:0')``."""

    __slots__ = ("name", "device_type", "index", "backend", "short")

    def __init__(self, device_type: str, index: int, backend: Backend):
        self.device_type = device_type
        self.index = index
        self.backend = backend
        self.name = f"{_JOB}/device:{device_type}:{index}"
        self.short = f"{device_type.lower()}:{index}"

    def __repr__(self):
        return f"Device({self.name!r})"

    def __str__(self):
        return self.name


CPU0 = Device("CPU", 0, NUMPY)
_devices: dict[tuple[str, int], Device] = {("CPU", 0): CPU0}


class Placement:
    """Where the next op runs. ``device`` is read on every op; keep it one attribute."""

    __slots__ = ("device", "stack", "default")

    def __init__(self):
        self.default = CPU0
        self.device = CPU0
        self.stack: list[Device | None] = []


placement = Placement()

_SPEC = re.compile(
    r"^(?:/job:[\w-]+)?(?:/replica:\d+)?(?:/task:\d+)?"
    r"(?:/?(?:device:)?(?P<type>cpu|gpu)(?::(?P<index>\d+|\*))?)?$",
    re.IGNORECASE,
)


def parse_spec(spec: str) -> tuple[str | None, int | None]:
    """``"/gpu:0"``, ``"GPU:0"``, ``"/device:CPU:1"`` or the full form -> (type, index)."""
    m = _SPEC.match(spec.strip())
    if not m or not spec.strip():
        raise ValueError(
            f"Malformed device specification {spec!r}: expected a form like '/cpu:0', "
            "'GPU:0', '/device:CPU:1' or '/job:localhost/replica:0/task:0/device:CPU:0'")
    kind = m.group("type")
    index = m.group("index")
    return (kind.upper() if kind else None,
            int(index) if index not in (None, "*") else None)


def resolve(spec: str) -> Device:
    """The Device a spec names, falling back to the CPU when it does not exist."""
    kind, index = parse_spec(spec)
    kind = kind or "CPU"
    dev = _devices.get((kind, index or 0))
    if dev is None:
        import warnings
        from .errors import InvalidArgumentError
        from .. import config
        if not config.get_soft_device_placement():
            available = ", ".join(d.name for d in _devices.values())
            raise InvalidArgumentError(
                None, None,
                f"Could not satisfy device specification '{spec}'. "
                f"Available devices: {available}", kind="device")
        warnings.warn(f"device {spec!r} does not exist; running on {CPU0.short} instead "
                      "(soft device placement)", RuntimeWarning, stacklevel=3)
        dev = CPU0
    return dev


class device:  # noqa: N801 - TensorFlow's name for the scope
    """Run ops and create tensors on a device: ``with ts.device("/cpu:0"): ...``.

    ``ts.device(None)`` resets to the default device inside the scope.
    """

    def __init__(self, device_name: str | None):
        if device_name is not None and not isinstance(device_name, str):
            device_name = getattr(device_name, "name", device_name)
            if not isinstance(device_name, str):
                raise ValueError(f"Malformed device specification {device_name!r}")
        if device_name is not None:
            parse_spec(device_name)  # malformed specs fail at the `with` line
        self.spec = device_name

    def __enter__(self):
        target = placement.default if self.spec in (None, "") else resolve(self.spec)
        placement.stack.append(placement.device)
        placement.device = target
        return self

    def __exit__(self, *exc):
        placement.device = placement.stack.pop()
        return False


def all_devices() -> list[Device]:
    return list(_devices.values())


def current() -> Device:
    return placement.device
