"""Devices: listing, scopes, placement as TensorFlow places, copies, soft and strict
placement, DLPack. Runs on the two logical CPU devices the conftest configures."""

import subprocess
import sys

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.errors import InvalidArgumentError

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1"


def test_listing_uses_tensorflow_names_and_reprs():
    phys = ts.config.list_physical_devices("CPU")
    assert repr(phys[0]) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    logical = ts.config.list_logical_devices("CPU")
    assert [d.name for d in logical] == ["/device:CPU:0", "/device:CPU:1"]
    assert repr(logical[1]) == "LogicalDevice(name='/device:CPU:1', device_type='CPU')"
    assert ts.config.list_logical_devices("TPU") == []


def test_logical_configuration_is_reported():
    cpu = ts.config.list_physical_devices("CPU")[0]
    assert len(ts.config.get_logical_device_configuration(cpu)) == 2
    assert ts.config.get_visible_devices("CPU") == [cpu]


def test_logical_devices_cannot_change_once_in_use():
    with pytest.raises(RuntimeError, match="cannot be modified after being initialized"):
        ts.config.set_logical_device_configuration(
            ts.config.list_physical_devices("CPU")[0],
            [ts.config.LogicalDeviceConfiguration()] * 3)


@pytest.mark.cpu_only
def test_logical_cpu_split_in_a_fresh_process():
    code = """
import tensorshell as ts
cpu = ts.config.list_physical_devices("CPU")[0]
ts.config.set_logical_device_configuration(cpu, [ts.config.LogicalDeviceConfiguration()] * 3)
print([d.name for d in ts.config.list_logical_devices()])
with ts.device("/cpu:2"):
    print(ts.constant(1.).device)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "['/device:CPU:0', '/device:CPU:1', '/device:CPU:2']"
    assert lines[1].endswith("device:CPU:2")


@pytest.mark.parametrize("spec", ["/cpu:1", "CPU:1", "/device:CPU:1", "cpu:1", "/CPU:1",
                                  "/job:localhost/replica:0/task:0/device:CPU:1"])
def test_spec_forms(spec):
    with ts.device(spec):
        assert ts.constant(1.).device == CPU1


@pytest.mark.parametrize("spec", ["/tpu:0", "cpu0", "/device:CPU", "gpu:x", "", "/cpu:1/extra"])
def test_malformed_spec_names_itself(spec):
    if spec == "/device:CPU":
        with ts.device(spec):  # no index means index 0
            assert ts.constant(1.).device == CPU0
        return
    with pytest.raises(ValueError, match="Malformed device specification"):
        ts.device(spec)


@pytest.mark.cpu_only
def test_placement_follows_tensorflow():
    with ts.device("/cpu:1"):
        a = ts.constant([1., 2.])
        v = ts.Variable([1., 2.])
        b = a + 1
        assert a.device == CPU1 and b.device == CPU1 and v.device == CPU1
        with ts.device(None):
            assert ts.constant(1.).device == CPU0
            assert (a * 2).device == CPU0  # input copied to the op's device
        assert ts.constant(1.).device == CPU1
    c = a + 1  # outside any scope: the default device
    assert c.device == CPU0
    assert (v + 1).device == CPU0
    assert a.device == CPU1  # inputs stay where they are
    with ts.device("/cpu:1"):
        d = ts.constant([5., 6.]) - c  # c copied over
        assert d.device == CPU1
        assert ts.reduce_sum(c).device == CPU1
        assert c[0].device == CPU1
        assert ts.matmul(ts.ones((2, 2)), ts.ones((2, 2))).device == CPU1
        assert ts.random.normal([2]).device == CPU1
        assert ts.zeros(3).device == CPU1


@pytest.mark.cpu_only
def test_explicit_copies():
    a = ts.constant([1., 2.])
    with ts.device("/cpu:1"):
        b = ts.identity(a)
    assert b.device == CPU1 and a.device == CPU0
    assert a.cpu(1).device == CPU1 and a.cpu() is a
    np.testing.assert_array_equal(b.numpy(), a.numpy())
    with pytest.raises(ValueError, match="No device named"):
        a.gpu(5)


def test_variables_keep_their_device_when_assigned_from_elsewhere():
    with ts.device("/cpu:1"):
        v = ts.Variable([0., 0.])
    v.assign(ts.constant([1., 2.]))  # a tensor on cpu:0
    assert v.device == CPU1 and v.value().device == CPU1
    v.assign_add(ts.constant([1., 1.]))
    v[0].assign(ts.constant(7.))
    assert v.numpy().tolist() == [7., 3.] and v.device == CPU1


def test_soft_placement_falls_back_and_warns_once():
    with pytest.warns(RuntimeWarning, match=r"'/gpu:3' does not exist; running on /cpu:0"):
        with ts.device("/gpu:3"):
            assert ts.constant(1.).device == CPU0
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with ts.device("/gpu:3"):  # second time: silent
            ts.constant(1.)


def test_strict_placement_raises_at_the_op():
    ts.config.set_soft_device_placement(False)
    assert ts.config.get_soft_device_placement() is False
    t = ts.constant([1.])
    with ts.device("/cpu:9"):
        with pytest.raises(InvalidArgumentError,
                           match=r"Could not satisfy device specification '/cpu:9'.*CPU:1"):
            t + 1
        with pytest.raises(InvalidArgumentError):
            ts.constant(1.)
    assert float(t + 1) == 2.  # the session goes on


def test_memory_info_and_determinism_flags():
    with pytest.raises(ValueError, match="GPU"):
        ts.config.experimental.get_memory_info("CPU:0")
    ts.config.experimental.enable_op_determinism()
    assert ts.config.op_determinism_enabled()


def test_dlpack_with_numpy(device):
    t = ts.constant([[1., 2.], [3., 4.]])
    if t._device.backend.is_gpu:
        pytest.skip("host DLPack")
    a = np.from_dlpack(t)
    np.testing.assert_array_equal(a, t.numpy())
    assert t.__dlpack_device__() == (1, 0)
    u = ts.experimental.dlpack.from_dlpack(np.arange(4, dtype=np.int16))
    assert u.dtype is ts.int16 and u.numpy().tolist() == [0, 1, 2, 3]
    s = ts.constant(2.5)
    assert float(np.from_dlpack(s)) == 2.5
    capsule = ts.experimental.dlpack.to_dlpack(ts.Variable([1., 2.]))
    assert type(capsule).__name__ == "PyCapsule"


def test_dlpack_with_torch():
    torch = pytest.importorskip("torch")
    t = ts.constant([1., 2., 3.])
    pt = torch.from_dlpack(t)
    assert pt.tolist() == [1., 2., 3.]
    back = ts.experimental.dlpack.from_dlpack(torch.arange(3))
    assert back.dtype is ts.int64 and back.numpy().tolist() == [0, 1, 2]


def test_dlpack_with_jax():
    jnp = pytest.importorskip("jax.numpy")
    with ts.device("/cpu:0"):
        t = ts.constant([1., 2., 3.])
    assert jnp.from_dlpack(t).tolist() == [1., 2., 3.]
    j = jnp.arange(3)
    back = ts.experimental.dlpack.from_dlpack(j)
    assert back.dtype is ts.int32 and back.numpy().tolist() == [0, 1, 2]
    jax_device = next(iter(j.devices())).platform          # JAX's default: its GPU if it has one
    assert back.device.endswith("GPU:0" if jax_device == "gpu" else "CPU:0")


@pytest.mark.cpu_only
def test_set_visible_devices_on_a_cpu_only_machine():
    cpu = ts.config.list_physical_devices("CPU")[0]
    ts.config.set_visible_devices([], "GPU")          # nothing to hide: accepted
    ts.config.set_visible_devices([cpu], "CPU")
    assert ts.config.get_visible_devices() == ts.config.list_physical_devices()
    with pytest.raises(ValueError, match="CPU cannot be hidden"):
        ts.config.set_visible_devices([], "CPU")
    with pytest.raises(ValueError, match="Unrecognized device"):
        ts.config.set_visible_devices(["/cpu:0"], "CPU")


def test_experimental_config_that_tensorflow_scripts_call_first():
    """set_memory_growth & co. open many TensorFlow scripts; they behave as TensorFlow's
    (GPU-only settings refuse the CPU by name) and change nothing that needs changing."""
    cpu = ts.config.list_physical_devices("CPU")[0]
    experimental = ts.config.experimental
    for call in (lambda: experimental.set_memory_growth(cpu, True),
                 lambda: experimental.get_memory_growth(cpu)):
        with pytest.raises(ValueError, match="non-GPU"):
            call()
    for gpu in ts.config.list_physical_devices("GPU"):
        experimental.set_memory_growth(gpu, True)
        assert experimental.get_memory_growth(gpu)
        assert "compute_capability" in experimental.get_device_details(gpu)
    assert experimental.get_device_details(cpu) == {}
    assert experimental.VirtualDeviceConfiguration is ts.config.LogicalDeviceConfiguration
    assert experimental.get_visible_devices("CPU") == [cpu]
    assert not experimental.tensor_float_32_execution_enabled()
    experimental.enable_tensor_float_32_execution(True)
    assert experimental.tensor_float_32_execution_enabled()
    experimental.enable_tensor_float_32_execution(False)
    assert experimental.get_synchronous_execution() and \
        experimental.get_device_policy() == "silent"
    with pytest.raises(ValueError, match="device policy"):
        experimental.set_device_policy("loud")
    ts.debugging.disable_traceback_filtering()
    assert not ts.debugging.is_traceback_filtering_enabled()
    ts.debugging.enable_traceback_filtering()
    assert ts.debugging.is_traceback_filtering_enabled()
