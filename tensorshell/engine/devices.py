"""Devices: interned Device objects, the backends that run their kernels, and placement.

``/cpu:0`` always exists; ``ts.config.set_logical_device_configuration`` splits the CPU into
logical devices before first use; ``/gpu:N`` exist when CuPy sees GPUs. The op registry
places every op on ``placement.device`` — the device of the innermost ``ts.device(...)``
scope, else the default device (the first GPU when there is one, else ``/cpu:0``) — and
compares devices by identity on the hot path.

A backend carries its array module (``xp``): NumPy for CPUs, CuPy for a GPU. Kernels are
bound to a backend once, never sniffed per call. CuPy is imported only when devices are first
initialised (the first tensor) on a machine where it is installed, never at import.
"""

from __future__ import annotations

import importlib.util
import os
import re
import warnings

import numpy as np

_JOB = "/job:localhost/replica:0/task:0"


class Backend:
    """An array module that runs kernels: NumPy for CPUs (this class)."""

    is_gpu = False

    def __init__(self, name: str, xp):
        self.name = name
        self.xp = xp

    def to_numpy(self, data):
        """A host NumPy array (or scalar) with the value of ``data``."""
        return data

    def from_numpy(self, arr):
        """``arr`` (a host array) as this backend's array."""
        return arr

    def adopt(self, data, src: "Backend"):
        """``data`` living on ``src``'s device as this backend's array."""
        if src is self or (not src.is_gpu and not self.is_gpu):
            return data  # CPU devices share host memory; tensors are immutable
        return self.from_numpy(src.to_numpy(data))

    def scatter(self, ufunc_name: str, a, index, vals) -> None:
        """``ufunc.at(a, index, vals)`` in place: repeated indices accumulate. ``index`` is
        host integers (an array, or a tuple of arrays for index tuples)."""
        getattr(self.xp, ufunc_name).at(a, index, vals)

    def activate(self):
        """Make this backend current for the thread (selects the CUDA device on GPUs)."""

    def synchronize(self):
        """Wait for queued work to finish (a no-op on CPUs)."""

    def __repr__(self):
        return f"Backend({self.name!r})"


NUMPY = Backend("numpy", np)


class Device:
    """A device tensors live on: ``Device('/job:localhost/replica:0/task:0/device:CPU:0')``.

    ``name`` is the full name (``t.device``); ``short`` the form displays show (``cpu:0``).
    """

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


class Placement:
    """Where the next op runs. ``device`` is read on every op; keep it one attribute."""

    __slots__ = ("device", "stack", "default", "initialized", "devices", "logical_cpus",
                 "visible_gpus", "physical_gpus", "gpu_error", "warned", "deterministic")

    def __init__(self):
        self.default = CPU0
        self.device = CPU0
        self.stack: list[Device] = []
        self.initialized = False
        self.devices: dict[tuple[str, int], Device] = {("CPU", 0): CPU0}
        self.logical_cpus = 1
        self.visible_gpus: list[int] | None = None  # physical indices; None: all of them
        self.physical_gpus: int | None = None       # counted at initialisation
        self.gpu_error: str | None = None  # why no GPU is used, for banners and reports
        self.warned: set[str] = set()
        # ts.config.experimental.enable_op_determinism(); GPU backends apply it when created
        self.deterministic = False


placement = Placement()


def initialize() -> None:
    """Create the logical devices and find GPUs: runs once, at the first tensor."""
    if placement.initialized:
        return
    placement.initialized = True
    for i in range(1, placement.logical_cpus):
        placement.devices[("CPU", i)] = Device("CPU", i, NUMPY)
    for i, backend in enumerate(_gpu_backends()):
        placement.devices[("GPU", i)] = Device("GPU", i, backend)
    gpu0 = placement.devices.get(("GPU", 0))
    if gpu0 is not None:
        placement.default = gpu0
        if not placement.stack:
            placement.device = gpu0
            gpu0.backend.activate()


def home_for(dtype, dev: Device) -> Device:
    """Where a tensor of ``dtype`` placed on ``dev`` lives: strings stay on the host, as in
    TensorFlow (GPUs have no string kernels)."""
    return CPU0 if dtype.is_string and dev.backend.is_gpu else dev


def current() -> Device:
    """The device the next op runs on (initialising devices on first use)."""
    if not placement.initialized:
        initialize()
    return placement.device


def physical_gpu_count() -> int:
    """How many GPUs the machine has for tensorshell (0 without CuPy or when disabled),
    counted without initialising the devices."""
    if placement.physical_gpus is not None:
        return placement.physical_gpus
    if os.environ.get("TENSORSHELL_DISABLE_GPU") or importlib.util.find_spec("cupy") is None:
        return 0
    try:
        from . import gpu
        return gpu.device_count()
    except Exception:  # noqa: BLE001 - a broken CUDA setup counts as no GPU
        return 0


def _gpu_backends() -> list[Backend]:
    placement.physical_gpus = 0
    if os.environ.get("TENSORSHELL_DISABLE_GPU"):
        placement.gpu_error = "disabled by TENSORSHELL_DISABLE_GPU"
        return []
    if importlib.util.find_spec("cupy") is None:
        placement.gpu_error = "CuPy is not installed (pip install 'tensorshell[gpu]')"
        return []
    try:
        from . import gpu
        placement.physical_gpus = gpu.device_count()
        found = gpu.backends(placement.visible_gpus)
        if placement.visible_gpus is not None and not found:
            placement.gpu_error = "hidden by ts.config.set_visible_devices"
        return found
    except Exception as e:  # noqa: BLE001 - a broken CUDA setup means "no GPU", said once
        placement.gpu_error = f"CuPy could not use a GPU: {type(e).__name__}: {e}"
        return []


def synchronize_all() -> None:
    for dev in placement.devices.values():
        dev.backend.synchronize()


# ---------------------------------------------------------------------------------------------
# Device specifications and scopes
# ---------------------------------------------------------------------------------------------

_SPEC = re.compile(
    r"^(?:/job:[\w-]+)?(?:/replica:\d+)?(?:/task:\d+)?"
    r"(?:/?(?:device:)?(?P<type>cpu|gpu)(?::(?P<index>\d+|\*))?)?$",
    re.IGNORECASE,
)


def parse_spec(spec: str) -> tuple[str | None, int | None]:
    """``"/gpu:0"``, ``"GPU:0"``, ``"/device:CPU:1"`` or the full form -> (type, index)."""
    m = _SPEC.match(spec.strip()) if isinstance(spec, str) else None
    if not m or not spec.strip():
        raise ValueError(
            f"Malformed device specification {spec!r}: expected a form like '/cpu:0', "
            "'GPU:0', '/device:CPU:1' or '/job:localhost/replica:0/task:0/device:CPU:0'")
    kind = m.group("type")
    index = m.group("index")
    return (kind.upper() if kind else None,
            int(index) if index not in (None, "*") else None)


class _Unplaceable(Backend):
    """Stands in for a device that does not exist when soft placement is off: any op that
    would run there raises the placement error TensorFlow raises."""

    def __init__(self, spec):
        super().__init__("unplaceable", None)
        self.spec = spec

    def _fail(self):
        from .errors import InvalidArgumentError
        available = ", ".join(d.name for d in placement.devices.values())
        raise InvalidArgumentError(
            None, None, f"Could not satisfy device specification '{self.spec}'. "
                        f"Available devices: {available}. Soft device placement is off "
                        "(ts.config.set_soft_device_placement(True) falls back to the CPU).",
            kind="device", hint="ts.config.set_soft_device_placement(True)")

    def __getattribute__(self, name):
        if name in ("xp", "from_numpy", "to_numpy", "adopt", "is_gpu"):
            object.__getattribute__(self, "_fail")()
        return object.__getattribute__(self, name)


def resolve(spec: str | None) -> Device:
    """The Device a spec names; a missing one falls back to the CPU under soft placement."""
    initialize()
    if spec is None or spec == "":
        return placement.default
    kind, index = parse_spec(spec)
    if kind is None:
        return placement.device
    dev = placement.devices.get((kind, index or 0))
    if dev is not None:
        return dev
    from .. import config
    if not config.get_soft_device_placement():
        return Device(kind, index or 0, _Unplaceable(spec))
    if spec not in placement.warned:
        placement.warned.add(spec)
        warnings.warn(f"device {spec!r} does not exist; running on /{CPU0.short} instead "
                      "(soft device placement)", RuntimeWarning, stacklevel=3)
    return CPU0


class device:  # noqa: N801 - TensorFlow's name for the scope
    """Run ops and create tensors on a device: ``with ts.device("/gpu:0"): ...``.

    Accepts ``"/cpu:1"``, ``"GPU:0"``, ``"/device:CPU:1"`` and the full
    ``/job:localhost/replica:0/task:0/device:CPU:0`` form; ``ts.device(None)`` resets to the
    default device inside the scope.
    """

    def __init__(self, device_name):
        if device_name is not None and not isinstance(device_name, str):
            device_name = device_name.to_string() if hasattr(device_name, "to_string") \
                else getattr(device_name, "name", device_name)
        if device_name is not None:
            parse_spec(device_name)  # malformed specs fail at the `with` line
        self.spec = device_name

    def __enter__(self):
        target = resolve(self.spec)
        placement.stack.append(placement.device)
        placement.device = target
        target.backend.activate()
        return self

    def __exit__(self, *exc):
        placement.device = placement.stack.pop()
        placement.device.backend.activate()
        return False

    def __repr__(self):
        return f"ts.device({self.spec!r})"


def set_default(dev: Device) -> None:
    """Make ``dev`` the device ops run on outside any scope (``%device`` in the shell)."""
    initialize()
    placement.default = dev
    if not placement.stack:
        placement.device = dev
        dev.backend.activate()


class on(device):  # noqa: N801
    """``with on(dev):`` for a Device object already resolved (no spec to parse)."""

    def __init__(self, dev: Device):
        self.target = dev

    def __enter__(self):
        placement.stack.append(placement.device)
        placement.device = self.target
        self.target.backend.activate()
        return self


def all_devices() -> list[Device]:
    initialize()
    return list(placement.devices.values())


def lookup(name: str) -> Device:
    """The existing Device a name or spec names, or ValueError."""
    initialize()
    kind, index = parse_spec(name)
    dev = placement.devices.get((kind or "CPU", index or 0))
    if dev is None:
        raise ValueError(f"No device named {name!r}; available: "
                         + ", ".join(d.short for d in placement.devices.values()))
    return dev
