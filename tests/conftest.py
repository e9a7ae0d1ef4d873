"""Shared fixtures: global state is reset around every test; devices to parametrise over."""

from __future__ import annotations

import pytest

import tensorshell as ts
from tensorshell import config
from tensorshell.engine.devices import placement

# Devices every engine test runs on. Logical CPU devices and GPUs join this list as the
# device layer grows; each entry is a spec for ts.device(...).
DEVICES = ["/cpu:0"]


@pytest.fixture(autouse=True)
def _reset_state():
    config.reset()
    ts.random.set_seed(None)
    yield
    config.reset()
    placement.stack.clear()
    placement.device = placement.default


@pytest.fixture(params=DEVICES)
def device(request):
    with ts.device(request.param):
        yield request.param
