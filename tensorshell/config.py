"""Explicit, resettable global state (``ts.config``): devices, placement, printing.

Everything a user can switch lives on one object so tests can reset it (``config.reset()``)
and front-ends can show it. Device listing and configuration follow ``tf.config``.
"""

from __future__ import annotations

import types
from typing import NamedTuple

from .engine import devices as _devices
from .engine import parallel as _parallel
from .engine.ops import registry as _registry


class _State:
    def __init__(self):
        self.soft_device_placement = True
        self.inter_op_threads = 0
        # How the display layer prints values (repr() keeps TensorFlow's NumPy format)
        self.print_options = {"precision": 4, "threshold": 200, "edgeitems": 3,
                              "linewidth": 80}
        self.show_internal_frames = False

    def reset(self):
        self.__init__()


_state = _State()


def get_soft_device_placement() -> bool:
    """Whether a scope naming a missing device falls back to the CPU (on by default)."""
    return _state.soft_device_placement


def set_soft_device_placement(enabled: bool) -> None:
    _state.soft_device_placement = bool(enabled)


def set_print_options(**options) -> None:
    """How the display layer prints values: ``precision`` (decimals, default 4),
    ``threshold`` (elements before the middle is elided, 200), ``edgeitems`` (3) and
    ``linewidth`` (80)."""
    unknown = set(options) - set(_state.print_options)
    if unknown:
        raise ValueError(f"unknown print options {sorted(unknown)}; "
                         f"known: {sorted(_state.print_options)}")
    _state.print_options.update(options)


def get_print_options() -> dict:
    return dict(_state.print_options)


def set_show_internal_frames(enabled: bool) -> None:
    """Show tensorshell's own frames in error tracebacks (hidden by default)."""
    _state.show_internal_frames = bool(enabled)


def get_show_internal_frames() -> bool:
    return _state.show_internal_frames


def reset() -> None:
    """Restore every setting to its default (tests call this between cases)."""
    _state.reset()
    if _devices.placement.deterministic:
        _set_op_determinism(False)
    _parallel.state.__init__()
    _registry.configure_parallel()


# ---------------------------------------------------------------------------------------------
# Devices, as tf.config shows them
# ---------------------------------------------------------------------------------------------

class PhysicalDevice(NamedTuple):
    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    name: str
    device_type: str


class LogicalDeviceConfiguration(NamedTuple):
    """One logical device carved out of a physical one (``memory_limit`` is for GPUs)."""

    memory_limit: int | None = None
    experimental_priority: int | None = None
    experimental_device_ordinal: int | None = None


def _matches(kind, device_type):
    return device_type is None or kind == str(device_type).upper()


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The machine's devices: ``[PhysicalDevice(name='/physical_device:CPU:0', ...)]``.

    Counts GPUs without initialising the runtime, so logical and visible devices can still
    be configured afterwards.
    """
    found = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    found += [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU")
              for i in range(_devices.physical_gpu_count())]
    return [d for d in found if _matches(d.device_type, device_type)]


def list_logical_devices(device_type: str | None = None) -> list[LogicalDevice]:
    """The devices ops can be placed on; initialises the runtime, as in TensorFlow."""
    return [LogicalDevice(f"/device:{d.device_type}:{d.index}", d.device_type)
            for d in _devices.all_devices() if _matches(d.device_type, device_type)]


def set_logical_device_configuration(device: PhysicalDevice, logical_devices) -> None:
    """Split a physical CPU into several logical CPUs (``/cpu:0``, ``/cpu:1``, ...), so
    placement and copies can be exercised without a second device. Only before the first
    tensor exists; afterwards it raises RuntimeError, as TensorFlow does."""
    if _devices.placement.initialized:
        raise RuntimeError("Virtual devices cannot be modified after being initialized")
    if getattr(device, "device_type", None) != "CPU":
        raise ValueError("tensorshell splits only the CPU into logical devices; GPUs keep "
                         f"one logical device each (got {device!r})")
    n = len(list(logical_devices))
    if n < 1:
        raise ValueError("at least one LogicalDeviceConfiguration is needed")
    _devices.placement.logical_cpus = n


def get_logical_device_configuration(device: PhysicalDevice):
    if getattr(device, "device_type", None) == "CPU" and _devices.placement.logical_cpus > 1:
        return [LogicalDeviceConfiguration()] * _devices.placement.logical_cpus
    return None


def get_visible_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The physical devices tensorshell may use (all of them unless set_visible_devices
    hid some)."""
    visible = _devices.placement.visible_gpus
    return [d for d in list_physical_devices(device_type)
            if d.device_type != "GPU" or visible is None
            or int(d.name.rsplit(":", 1)[1]) in visible]


def set_visible_devices(devices, device_type: str | None = None) -> None:
    """Limit the devices tensorshell uses: ``set_visible_devices([], "GPU")`` keeps
    everything on the CPU; ``set_visible_devices(gpus[1], "GPU")`` uses only the second
    GPU, which becomes ``/GPU:0``. Only before the first tensor (RuntimeError after, as in
    TensorFlow); the CPU always stays visible."""
    chosen = [devices] if isinstance(devices, PhysicalDevice) else list(devices or [])
    kinds = {"CPU", "GPU"} if device_type is None else {str(device_type).upper()}
    for d in chosen:
        if not isinstance(d, PhysicalDevice) or d not in list_physical_devices():
            raise ValueError(f"Unrecognized device: {d!r}")
        if d.device_type not in kinds:
            raise ValueError(f"{d!r} is not of device_type {device_type!r}")
    if "CPU" in kinds and not any(d.device_type == "CPU" for d in chosen):
        raise ValueError("The CPU cannot be hidden: it runs everything the GPUs do not")
    if "GPU" not in kinds:
        return
    gpus = sorted(int(d.name.rsplit(":", 1)[1]) for d in chosen if d.device_type == "GPU")
    current = _devices.placement.visible_gpus
    if _devices.placement.initialized:
        before = list(range(_devices.physical_gpu_count())) if current is None else current
        if gpus != before:
            raise RuntimeError("Visible devices cannot be modified after being initialized")
        return
    _devices.placement.visible_gpus = gpus


def _memory_info(device: str) -> dict:
    """Current and peak bytes in use on a GPU: ``{"current": ..., "peak": ...}``."""
    dev = _devices.lookup(device)
    if not dev.backend.is_gpu:
        raise ValueError(f"memory info is tracked for GPU devices; {device!r} is a "
                         f"{dev.device_type}")
    return dev.backend.memory_info()


def _reset_memory_stats(device: str) -> None:
    dev = _devices.lookup(device)
    if not dev.backend.is_gpu:
        raise ValueError(f"memory stats are tracked for GPU devices; {device!r} is a "
                         f"{dev.device_type}")
    dev.backend.reset_peak()


def _set_op_determinism(on: bool) -> None:
    _devices.placement.deterministic = on
    if any(d.backend.is_gpu for d in _devices.placement.devices.values()):
        from .engine import gpu
        gpu.set_deterministic(on)
    # before the first tensor the GPU backends apply it themselves when they are created


def _enable_op_determinism() -> None:
    """Make GPU reductions reproducible bit for bit, at some cost in speed: CuPy's
    CUB/cuTENSOR accelerators (whose reductions may reorder additions) are turned off for
    the session. CPU kernels are deterministic already. Works before or after the first
    tensor, as in TensorFlow, where it is usually the first line of a program."""
    _set_op_determinism(True)


def _disable_op_determinism() -> None:
    _set_op_determinism(False)


def op_determinism_enabled() -> bool:
    return _devices.placement.deterministic


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Accepted for TensorFlow code: ``ts.function`` always runs eagerly."""
    if not isinstance(run_eagerly, (bool, int)):
        raise TypeError(f"run_eagerly must be a bool, got {run_eagerly!r}")


def functions_run_eagerly() -> bool:
    """Always True: tensorshell has no graph mode."""
    return True


_MEMORY_GROWTH: dict = {}
_POLICY = ["silent"]
_TF32 = [False]


def _gpu_only(device, what):
    if getattr(device, "device_type", None) != "GPU":
        raise ValueError(f"Cannot {what} on non-GPU and non-Pluggable devices")
    if device not in list_physical_devices("GPU"):
        raise ValueError(f"Unrecognized device: {device!r}")


def _set_memory_growth(device: PhysicalDevice, enable: bool) -> None:
    """Accepted for TensorFlow code, where it stops the first op taking all GPU memory:
    CuPy's memory pool already grows as tensors need it, so it is always on here."""
    _gpu_only(device, "set memory growth")
    _MEMORY_GROWTH[device] = bool(enable)


def _get_memory_growth(device: PhysicalDevice) -> bool:
    _gpu_only(device, "get memory growth")
    return _MEMORY_GROWTH.get(device, False)


def _get_device_details(device: PhysicalDevice) -> dict:
    """``{"device_name": ..., "compute_capability": (major, minor)}`` for a GPU (as
    TensorFlow reports them), ``{}`` for the CPU."""
    if getattr(device, "device_type", None) != "GPU":
        return {}
    import cupy
    index = int(device.name.rsplit(":", 1)[1])
    props = cupy.cuda.runtime.getDeviceProperties(index)
    name = props["name"]
    return {"device_name": name.decode() if isinstance(name, bytes) else name,
            "compute_capability": (int(props["major"]), int(props["minor"]))}


def _get_memory_usage(device: str) -> int:
    """Bytes in use on a GPU now (``get_memory_info(device)["current"]``)."""
    return _memory_info(device)["current"]


def _enable_tensor_float_32_execution(enabled: bool) -> None:
    """Accepted for TensorFlow code. TensorFlow turns TensorFloat-32 matmuls on by default
    on Ampere and later GPUs; tensorshell's GPU matmuls stay in full float32 (CuPy's
    default), so this setting is recorded and reported but changes no result."""
    _TF32[0] = bool(enabled)


def _tensor_float_32_execution_enabled() -> bool:
    return _TF32[0]


def _set_device_policy(device_policy) -> None:
    """Accepted for TensorFlow code: inputs on other devices are always copied to the op's
    device (TensorFlow's "silent" policy)."""
    if device_policy not in (None, "explicit", "warn", "silent", "silent_for_int32"):
        raise ValueError(f"Not a valid device policy: {device_policy!r}")
    _POLICY[0] = device_policy or "silent"


experimental = types.SimpleNamespace(
    set_memory_growth=_set_memory_growth,
    get_memory_growth=_get_memory_growth,
    get_device_details=_get_device_details,
    get_memory_usage=_get_memory_usage,
    enable_tensor_float_32_execution=_enable_tensor_float_32_execution,
    tensor_float_32_execution_enabled=_tensor_float_32_execution_enabled,
    get_synchronous_execution=lambda: True,
    set_synchronous_execution=lambda enable: None,
    get_device_policy=lambda: _POLICY[0],
    set_device_policy=_set_device_policy,
    VirtualDeviceConfiguration=LogicalDeviceConfiguration,
    get_virtual_device_configuration=get_logical_device_configuration,
    get_visible_devices=get_visible_devices,
    set_visible_devices=set_visible_devices,
    get_memory_info=_memory_info,
    reset_memory_stats=_reset_memory_stats,
    enable_op_determinism=_enable_op_determinism,
    disable_op_determinism=_disable_op_determinism,
    set_virtual_device_configuration=set_logical_device_configuration,
    list_physical_devices=list_physical_devices,
    list_logical_devices=list_logical_devices,
)


# ---------------------------------------------------------------------------------------------
# Threads (tf.config.threading)
# ---------------------------------------------------------------------------------------------

def _set_intra_op_parallelism_threads(num_threads: int) -> None:
    """Threads for one large CPU op (elementwise, reduction, cast); 0 means every available
    CPU (the default), 1 turns the parallel path off."""
    n = int(num_threads)
    if n < 0:
        raise ValueError(f"num_threads must be >= 0, got {n}")
    _parallel.state.threads = n or _parallel.available_cpus()
    _registry.configure_parallel()


def _get_intra_op_parallelism_threads() -> int:
    return _parallel.state.threads


def _set_inter_op_parallelism_threads(num_threads: int) -> None:
    """Accepted for TensorFlow code; tensorshell runs one op at a time."""
    _state.inter_op_threads = int(num_threads)


def _get_inter_op_parallelism_threads() -> int:
    return _state.inter_op_threads


def _set_min_parallel_elements(n: int) -> None:
    """The size from which CPU ops split across threads (tensorshell's own knob)."""
    _parallel.state.min_elements = max(int(n), 1)
    _registry.configure_parallel()


def _get_min_parallel_elements() -> int:
    return _parallel.state.min_elements


threading = types.SimpleNamespace(
    set_intra_op_parallelism_threads=_set_intra_op_parallelism_threads,
    get_intra_op_parallelism_threads=_get_intra_op_parallelism_threads,
    set_inter_op_parallelism_threads=_set_inter_op_parallelism_threads,
    get_inter_op_parallelism_threads=_get_inter_op_parallelism_threads,
    set_min_parallel_elements=_set_min_parallel_elements,
    get_min_parallel_elements=_get_min_parallel_elements,
)


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
