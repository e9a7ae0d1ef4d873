"""Shared fixtures: global state is reset around every test; devices to parametrise over.

The CPU is split into two logical devices before any tensor exists, so placement and copies
between devices are exercised on every machine; a GPU joins the device list when CuPy sees
one (those cases carry the ``gpu`` marker).
"""

from __future__ import annotations

import pytest

import tensorshell as ts
from tensorshell import config
from tensorshell.engine.devices import placement

ts.config.set_logical_device_configuration(
    ts.config.list_physical_devices("CPU")[0],
    [ts.config.LogicalDeviceConfiguration(), ts.config.LogicalDeviceConfiguration()])

GPUS = [d.name for d in ts.config.list_logical_devices("GPU")]
DEVICES = ["/cpu:0", "/cpu:1"] + [pytest.param(name, marks=pytest.mark.gpu) for name in GPUS]


@pytest.fixture(autouse=True)
def _reset_state():
    config.reset()
    ts.random.set_seed(None)
    yield
    config.reset()
    while placement.stack:
        ts.device(None).__exit__()
    placement.device = placement.default


@pytest.fixture(params=DEVICES)
def device(request):
    with ts.device(request.param):
        yield request.param


def pytest_collection_modifyitems(config, items):
    if GPUS:
        return
    skip = pytest.mark.skip(reason="no GPU: CuPy is missing or sees no device")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)
