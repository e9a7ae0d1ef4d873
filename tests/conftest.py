"""Shared fixtures: global state is reset around every test; devices to parametrise over.

The CPU is split into two logical devices before any tensor exists, so placement and copies
between devices are exercised on every machine; a GPU joins the device list when CuPy sees
one (those cases carry the ``gpu`` marker).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

# Nothing a test runs may touch the home folder: IPython, Jupyter and tensorshell's data go
# to a temporary directory, removed when the interpreter exits (after IPython's own atexit
# handlers, which were registered later and so run first).
_HOME = tempfile.mkdtemp(prefix="tensorshell-tests-")
for _var, _sub in (("IPYTHONDIR", "ipython"), ("XDG_DATA_HOME", "data"),
                   ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_DATA_DIR", "jupyter-data"),
                   ("JUPYTER_CONFIG_DIR", "jupyter-config"), ("MPLCONFIGDIR", "mpl")):
    os.environ[_var] = os.path.join(_HOME, _sub)
atexit.register(shutil.rmtree, _HOME, True)

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


@pytest.fixture
def env(tmp_path):
    """The environment for a front-end subprocess: its folders in tmp_path, a terminal
    pexpect can drive (no cursor-position requests), colour allowed."""
    e = dict(os.environ)
    e.update(IPYTHONDIR=str(tmp_path / "ipython"), XDG_DATA_HOME=str(tmp_path / "data"),
             JUPYTER_PATH=str(tmp_path / "jupyter"), PROMPT_TOOLKIT_NO_CPR="1",
             TERM="xterm-256color", COLUMNS="100", LINES="30")
    e.pop("NO_COLOR", None)
    return e


@pytest.fixture(params=DEVICES)
def device(request):
    with ts.device(request.param):
        yield request.param


def pytest_collection_modifyitems(config, items):
    if GPUS:
        skip = pytest.mark.skip(reason="describes a machine without a GPU; test_gpu.py and "
                                       "the gpu-marked device cases check the GPU's side")
        for item in items:
            if "cpu_only" in item.keywords:
                item.add_marker(skip)
        return
    skip = pytest.mark.skip(reason="no GPU: CuPy is missing or sees no device")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)
