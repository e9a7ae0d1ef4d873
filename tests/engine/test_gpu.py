"""GPU-only checks (the op table runs on the GPU too, through the device fixture). Every test
here carries the gpu marker and is skipped without CuPy and a GPU."""

import numpy as np
import pytest

import tensorshell as ts

pytestmark = pytest.mark.gpu


def test_default_device_is_the_first_gpu():
    assert ts.constant(1.).device.endswith("device:GPU:0")
    assert ts.constant("text").device.endswith("device:CPU:0")  # strings stay on the host


def test_copies_between_cpu_and_gpu():
    with ts.device("/cpu:0"):
        a = ts.constant(np.arange(6, dtype=np.float32))
    g = a.gpu()
    assert g.device.endswith("GPU:0")
    np.testing.assert_array_equal(g.cpu().numpy(), a.numpy())
    assert (g + a).device.endswith("GPU:0")  # a copied to the op's device


def test_memory_info_tracks_current_and_peak():
    before = ts.config.experimental.get_memory_info("GPU:0")
    big = ts.zeros((1024, 1024))
    after = ts.config.experimental.get_memory_info("GPU:0")
    assert after["current"] >= before["current"] + 4 * 1024 * 1024 - 1
    assert after["peak"] >= after["current"]
    del big
    ts.config.experimental.reset_memory_stats("GPU:0")
    base = ts.config.experimental.get_memory_info("GPU:0")["current"]
    ts.reduce_sum(ts.ones((2048, 2048)))       # a 16 MB temporary, gone when this returns
    info = ts.config.experimental.get_memory_info("GPU:0")
    assert info["peak"] >= base + 2048 * 2048 * 4 > info["current"] - 1


def test_out_of_memory_is_resource_exhausted_and_the_session_goes_on():
    with pytest.raises(ts.errors.ResourceExhaustedError, match="out of memory"):
        ts.zeros((1 << 40,))
    assert float(ts.reduce_sum(ts.ones(3))) == 3.0


def test_determinism_gives_identical_sums():
    ts.config.experimental.enable_op_determinism()
    x = ts.random.normal([10_000_000])
    assert ts.reduce_sum(x).numpy() == ts.reduce_sum(x).numpy()
