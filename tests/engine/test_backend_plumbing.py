"""The multi-backend plumbing without a GPU: a stand-in accelerator backend that keeps its
arrays in NumPy but behaves like a device (is_gpu, explicit host transfers, its own kernel
binding). Every op of the table must run on it and match the CPU; copies go through its
transfer functions. What only CuPy can show (its kernels, scatter, memory) stays for the
gpu-marked tests on a GPU machine."""

from __future__ import annotations

import types

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine import dtypes as D
from tensorshell.engine.devices import Backend, Device, placement
from tensorshell.engine.ops.registry import OPS, bind_all

from .test_op_table import BINARY, CUSTOM, REDUCTIONS, UNARY, sample


class DeviceArray(np.ndarray):
    """Marks arrays living on the stand-in device; the host never gets one back."""


class ArrayModule(types.ModuleType):
    """The stand-in's ``xp``: computes with NumPy but is not the ``numpy`` module, so every
    kernel takes the branch it takes for CuPy (``xp.sum`` where NumPy gets ``np.add.reduce``,
    array methods where it gets ``np.swapaxes``, ...)."""

    def __getattr__(self, name):
        return getattr(np, name)


class StandInBackend(Backend):
    is_gpu = True

    def __init__(self):
        super().__init__("stand-in", ArrayModule("standin_xp"))
        self.transfers = 0
        self.bytes_to_host = 0

    def to_numpy(self, data):
        self.transfers += 1
        self.bytes_to_host += np.asarray(data).nbytes
        return np.array(data).view(np.ndarray) if np.ndim(data) else np.asarray(data)[()]

    def from_numpy(self, arr):
        if getattr(arr, "dtype", None) is not None and arr.dtype == object:
            raise ts.errors.InvalidArgumentError("strings live on the CPU")
        self.transfers += 1
        return np.array(arr).view(DeviceArray)

    def adopt(self, data, src):
        if src is self:
            return data
        return self.from_numpy(src.to_numpy(data))


@pytest.fixture(scope="module")
def standin():
    backend = StandInBackend()
    dev = Device("GPU", 7, backend)
    placement.devices[("GPU", 7)] = dev
    bind_all(backend)
    yield dev
    del placement.devices[("GPU", 7)]


def _host(t):
    out = t.numpy()
    assert not isinstance(out, DeviceArray), "numpy() must return a host array"
    return out


@pytest.mark.parametrize("name", sorted(set(UNARY) | set(BINARY) | set(REDUCTIONS)))
def test_table_ops_match_the_cpu(standin, name):
    for d in (D.float32, D.int32):
        if d not in OPS[name].dtypes:
            continue
        args = [sample(d, (3, 4), domain=UNARY[name][1], seed=1)] if name in UNARY else \
            [sample(d, (3, 4), domain=BINARY[name][1], seed=1),
             sample(d, (3, 4), domain=BINARY[name][2], seed=2)] if name in BINARY else \
            [sample(d, (3, 4), domain="pos", seed=3)]
        cpu = OPS[name].fn(*[ts.constant(a) for a in args])
        with ts.device("/gpu:7"):
            on_dev = OPS[name].fn(*[ts.constant(a) for a in args])
        assert on_dev.device.endswith("GPU:7") and on_dev.dtype is cpu.dtype
        np.testing.assert_allclose(_host(on_dev), _host(cpu), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(CUSTOM))
def test_hand_written_ops_run_on_the_device(standin, name):
    allowed = OPS[name].dtypes
    d = next(d for d in (D.float32, D.complex64, D.int32) if d in allowed)
    with ts.device("/gpu:7"):
        CUSTOM[name](d)


def test_transfers_strings_and_placement(standin):
    host = ts.constant([1., 2., 3.])
    before = standin.backend.transfers
    with ts.device("/gpu:7"):
        d = host * 2                                 # the input is copied to the device
        s = ts.constant("text")                      # strings stay on the host
        v = ts.Variable([0., 0., 0.])
    assert standin.backend.transfers > before
    assert isinstance(d._data, DeviceArray) and d.device.endswith("GPU:7")
    assert s.device.endswith("CPU:0")
    v.assign(host)                                   # assigned from the CPU, stays put
    assert v.device.endswith("GPU:7") and isinstance(v._data, DeviceArray)
    assert _host(d).tolist() == [2., 4., 6.]
    back = d.cpu()
    assert back.device.endswith("CPU:0") and not isinstance(back._data, DeviceArray)
    assert d.gpu(7) is d
    with ts.GradientTape() as tape:
        tape.watch(d)
        with ts.device("/gpu:7"):
            y = ts.reduce_sum(d * d)
    g = tape.gradient(y, d)                          # on the forward ops' device
    assert g.device.endswith("GPU:7") and _host(g).tolist() == [4., 8., 12.]


def test_displaying_a_big_device_tensor_copies_only_what_is_shown(standin):
    from tensorshell.display import render_html, render_text
    with ts.device("/gpu:7"):
        big = ts.random.normal([2000, 2000])                 # 16 MB on the device
    standin.backend.bytes_to_host = 0
    text = render_text(big)
    html = render_html(big)
    assert text.splitlines()[0] == "Tensor[2000, 2000] float32 gpu:7"
    assert 'aria-label="heatmap"' in html
    # statistics from a bounded sample, edges for the values, a strided grid for the heatmap
    assert standin.backend.bytes_to_host < 2 * (1 << 16) * 4 + 64 * 1024
