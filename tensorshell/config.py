"""Explicit, resettable global state (``ts.config``).

Everything a user can switch lives on one object so tests can reset it (``config.reset()``)
and front-ends can show it.
"""

from __future__ import annotations


class _State:
    def __init__(self):
        self.soft_device_placement = True
        self.print_options = {"precision": 8, "threshold": 1000, "edgeitems": 3,
                              "linewidth": 75}

    def reset(self):
        self.__init__()


_state = _State()


def get_soft_device_placement() -> bool:
    """Whether a scope naming a missing device falls back to the CPU (on by default)."""
    return _state.soft_device_placement


def set_soft_device_placement(enabled: bool) -> None:
    _state.soft_device_placement = bool(enabled)


def set_print_options(**options) -> None:
    """Precision, threshold, edgeitems and linewidth used to print tensor values."""
    unknown = set(options) - set(_state.print_options)
    if unknown:
        raise ValueError(f"unknown print options {sorted(unknown)}; "
                         f"known: {sorted(_state.print_options)}")
    _state.print_options.update(options)


def get_print_options() -> dict:
    return dict(_state.print_options)


def reset() -> None:
    """Restore every setting to its default (tests call this between cases)."""
    _state.reset()
