"""engine/gpu.py (the CuPy backend) driven through a stand-in ``cupy`` package, in a fresh
process: CuPy is found and imported only at the first tensor, its GPUs become the default
devices, transfers go through its functions, and out-of-memory errors, memory figures and
determinism use its APIs. The stand-in computes with NumPy, so this checks tensorshell's
side of the contract; the gpu-marked tests check CuPy's kernels on a real GPU."""

from __future__ import annotations

import subprocess
import sys
import textwrap

FAKE_CUPY = {
    "cupy/__init__.py": '''
        """Stand-in for CuPy: NumPy underneath, marked device arrays, a pretend 1 GiB GPU."""
        import weakref

        import numpy as _np

        from . import _core, cuda

        class ndarray(_np.ndarray):
            pass

        class _Pool:
            used = 0

            def used_bytes(self):
                return self.used

            def malloc(self, size):
                self.used += size
                return ("pointer", size)

        _pool = _Pool()
        cuda._allocator = _pool.malloc

        def _free(size):
            _pool.used -= size

        def _on_device(a):
            if a.nbytes > cuda.runtime.TOTAL:
                raise cuda.memory.OutOfMemoryError(a.nbytes, _pool.used)
            cuda._allocator(a.nbytes)          # every new array, through the allocator
            arr = _np.array(a, copy=True).view(ndarray)
            weakref.finalize(arr, _free, a.nbytes)
            return arr

        def asarray(a, dtype=None):
            return _on_device(_np.asarray(a, dtype))

        def array(a, copy=True):
            assert isinstance(a, ndarray), "peer copies start from a device array"
            cuda.peer_copies.append(a.nbytes)
            return _on_device(_np.asarray(a))

        def asnumpy(a):
            return _np.array(a).view(_np.ndarray) if _np.ndim(a) else _np.asarray(a)[()]

        def zeros(shape, dtype=float):
            n = _np.dtype(dtype).itemsize
            for d in ((shape,) if isinstance(shape, int) else shape):
                n *= d
            if n > cuda.runtime.TOTAL:
                raise cuda.memory.OutOfMemoryError(n, _pool.used)
            return _np.zeros(shape, dtype).view(ndarray)

        def full(shape, fill_value, dtype=None):
            return zeros(shape, dtype if dtype is not None else float) + fill_value

        def get_default_memory_pool():
            return _pool

        def __getattr__(name):
            return getattr(_np, name)
    ''',
    "cupyx/__init__.py": '''
        import numpy as _np

        calls = []

        def scatter_add(a, index, vals):
            calls.append("add")
            _np.add.at(a, index, vals)

        def scatter_max(a, index, vals):
            calls.append("max")
            _np.maximum.at(a, index, vals)

        def scatter_min(a, index, vals):
            calls.append("min")
            _np.minimum.at(a, index, vals)

        errors = {}

        def seterr(linalg=None):
            errors["linalg"] = linalg

        class errstate:
            def __init__(self, linalg=None):
                pass

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                pass
    ''',
    "cupyx/scipy/__init__.py": "",
    "cupyx/scipy/special.py": '''
        import math

        import numpy as _np

        def _vectorized(f):
            return lambda x: _np.asarray(_np.frompyfunc(f, 1, 1)(x), dtype=_np.float64)

        erf, erfc = _vectorized(math.erf), _vectorized(math.erfc)
        gammaln = _vectorized(lambda z: math.lgamma(z) if math.isfinite(z) and not (
            z <= 0 and z == int(z)) else (z if math.isnan(z) else math.inf))
    ''',
    "cupy/_core/__init__.py": '''
        _reduction, _routine = [1], [1]          # CuPy's default: CUB (1)

        def get_reduction_accelerators():
            return _reduction

        def get_routine_accelerators():
            return _routine

        def set_reduction_accelerators(a):
            global _reduction
            _reduction = list(a)

        def set_routine_accelerators(a):
            global _routine
            _routine = list(a)
    ''',
    "cupy/cuda/__init__.py": '''
        import types

        peer_copies = []
        synchronized = []
        active = [0]

        class Device:
            def __init__(self, index=0):
                self.id = index

            def __enter__(self):
                active.append(self.id)
                return self

            def __exit__(self, *exc):
                active.pop()

            def use(self):
                active[0] = self.id

            def synchronize(self):
                synchronized.append(self.id)

        class OutOfMemoryError(MemoryError):
            def __init__(self, size, total):
                super().__init__(f"Out of memory allocating {size:,} bytes "
                                 f"(allocated so far: {total:,} bytes).")

        _allocator = None

        def get_allocator():
            return _allocator

        def set_allocator(allocator):
            global _allocator
            _allocator = allocator

        runtime = types.SimpleNamespace(TOTAL=1 << 30, getDeviceCount=lambda: 2,
                                        getDevice=lambda: active[-1],
                                        memGetInfo=lambda: (123_000, 1 << 30))
        memory = types.SimpleNamespace(OutOfMemoryError=OutOfMemoryError)
    ''',
}

SCRIPT = '''
import sys
import numpy as np
import tensorshell as ts

assert "cupy" not in sys.modules, "CuPy is imported at the first tensor, not at import"
ts.config.experimental.enable_op_determinism()     # before the first tensor, as in TF
t = ts.constant([1., 2., 3.])
import cupy
assert t.device == "/job:localhost/replica:0/task:0/device:GPU:0", t.device
assert isinstance(t._data, cupy.ndarray)
assert cupy._core.get_reduction_accelerators() == []   # applied when the GPUs appeared
assert cupy.cuda.active[0] == 0
ts.config.experimental.disable_op_determinism()
assert cupy._core.get_reduction_accelerators() == [1]  # CuPy's own choice comes back
ts.config.experimental.enable_op_determinism()
assert cupy._core.get_routine_accelerators() == []
ts.config.experimental.disable_op_determinism()

names = [d.name for d in ts.config.list_logical_devices("GPU")]
assert names == ["/device:GPU:0", "/device:GPU:1"], names
assert ts.constant("text").device.endswith("CPU:0")    # strings stay on the host

y = ts.reduce_sum(t * 2.0)
assert isinstance(y._data, cupy.ndarray) and float(y) == 12.0
host = t.numpy()
assert type(host) is np.ndarray and host.tolist() == [1., 2., 3.]
with ts.device("/gpu:1"):
    u = t + 1.0                                         # copied GPU:0 -> GPU:1 directly
assert u.device.endswith("GPU:1") and cupy.cuda.peer_copies, cupy.cuda.peer_copies
assert t.cpu().device.endswith("CPU:0") and type(t.cpu()._data) is np.ndarray
assert t.cpu().gpu(1).device.endswith("GPU:1")

info = ts.config.experimental.get_memory_info("GPU:0")
assert info["current"] > 0 and info["peak"] >= info["current"], info
big = ts.constant(np.ones(1 << 20, np.float32))         # 4 MiB through the allocator
del big                                                 # freed before anyone asks
after = ts.config.experimental.get_memory_info("GPU:0")
assert after["current"] == info["current"], (info, after)
assert after["peak"] >= info["current"] + (1 << 22), after   # the peak saw it anyway
ts.config.experimental.reset_memory_stats("GPU:0")
reset = ts.config.experimental.get_memory_info("GPU:0")
assert reset["peak"] == reset["current"], reset

try:
    ts.constant(np.zeros((1 << 28) + 1, np.float32))   # more than the pretend GPU holds
except ts.errors.ResourceExhaustedError as e:
    assert "out of memory" in str(e) and "free 123000" in str(e), str(e)
else:
    raise AssertionError("no ResourceExhaustedError from a transfer")
try:
    ts.zeros((1 << 30,))                                # inside a kernel
except ts.errors.ResourceExhaustedError as e:
    assert "out of memory" in str(e), str(e)
else:
    raise AssertionError("no ResourceExhaustedError from a kernel")
assert float(ts.reduce_sum(ts.ones(3))) == 3.0          # the session goes on

with ts.GradientTape() as tape:
    tape.watch(t)
    z = ts.reduce_sum(t * t)
g = tape.gradient(z, t)
assert g.device.endswith("GPU:0") and g.numpy().tolist() == [2., 4., 6.]
v = ts.Variable([0., 0., 0.])
v.assign(host)                                          # from the host; stays on the GPU
assert v.device.endswith("GPU:0") and isinstance(v._data, cupy.ndarray)
import cupyx
v = ts.Variable([1., 2., 3.])
v.scatter_add(ts.IndexedSlices(ts.constant([5., 5.]), ts.constant([0, 0])))
v.scatter_sub(ts.IndexedSlices(ts.constant([1.]), ts.constant([2])))
v.scatter_max(ts.IndexedSlices(ts.constant([9.]), ts.constant([1])))
v.scatter_mul(ts.IndexedSlices(ts.constant([2.]), ts.constant([1])))   # through the host
assert v.numpy().tolist() == [11., 18., 2.], v.numpy()
assert cupyx.calls == ["add", "add", "max"], cupyx.calls
s = ts.math.unsorted_segment_sum(ts.constant([1., 2., 3.]), [0, 1, 0], 2)
assert s.numpy().tolist() == [4., 2.] and isinstance(s._data, cupy.ndarray)
r = ts.tensor_scatter_nd_sub(ts.ones((2, 2)), [[0, 1]], [3.])
assert r.numpy().tolist() == [[1., -2.], [1., 1.]] and r.device.endswith("GPU:0")
img = ts.reshape(ts.range(32.), [1, 4, 4, 2])          # convolutions and pooling
k = ts.ones((3, 3, 2, 1))
with ts.GradientTape() as tape:
    tape.watch([img, k])
    c = ts.nn.conv2d(img, k, 2, "SAME")
    m = ts.nn.max_pool2d(img, 2, 2, "VALID")
    loss = ts.reduce_sum(c) + ts.reduce_sum(m)
gi, gk = tape.gradient(loss, [img, k])
with ts.device("/cpu:0"):
    ci = ts.nn.conv2d(img.cpu(), k.cpu(), 2, "SAME")
assert c.device.endswith("GPU:0") and m.device.endswith("GPU:0") and gk.device.endswith("GPU:0")
assert c.numpy().tolist() == ci.numpy().tolist(), (c.numpy(), ci.numpy())
assert m.numpy().ravel().tolist() == [10., 11., 14., 15., 26., 27., 30., 31.], m.numpy()
assert gi.shape == (1, 4, 4, 2) and gk.shape == (3, 3, 2, 1)

# found on an H200 (2026-11-26): CuPy's ufunc.at takes only 32/64-bit types, float64
# max/min lost precision, cupy.any takes no dtype, cuSOLVER failures need CuPy's errstate
cupyx.calls.clear()
r = ts.tensor_scatter_nd_add(ts.zeros(3, ts.int8), [[0], [0]], ts.constant([100, 100], ts.int8))
assert r.numpy().tolist() == [-56, 0, 0] and r.dtype is ts.int8 and cupyx.calls == ["add"]
r = ts.math.unsorted_segment_max(ts.constant([1.0000000001, 0.5], ts.float64), [0, 0], 1)
assert r.numpy().tolist() == [1.0000000001] and cupyx.calls == ["add"]  # through the host
r = ts.tensor_scatter_nd_add(ts.zeros(2, ts.complex64), [[1]], ts.constant([1j], ts.complex64))
assert r.numpy().tolist() == [0, 1j] and r.device.endswith("GPU:0")
assert bool(ts.reduce_any(ts.constant([False, True]))) and cupyx.errors["linalg"] == "raise"
with ts.device("/gpu:0"):                               # strings run on the host (soft placement)
    words = ts.constant(["a", "b"])
    assert ts.equal(words, ts.constant(["a", "c"])).numpy().tolist() == [True, False]
    picked = ts.gather(words, [1])
    assert picked.numpy().tolist() == [b"b"] and picked.device.endswith("CPU:0")
    assert ts.boolean_mask(words, [True, False]).numpy().tolist() == [b"a"]
    v = ts.Variable(ts.constant([1., 2.]), dtype=ts.float32)   # from a GPU tensor
    assert v.device.endswith("GPU:0") and isinstance(v._data, cupy.ndarray)
    try:
        ts.constant(2) ** -1
    except ts.errors.InvalidArgumentError as e:
        assert "negative integer powers" in str(e)
    else:
        raise AssertionError("an integer to a negative power did not raise")
    assert ts.pad(ts.constant([1., 2.]), [[1, 0]], constant_values=3.).numpy().tolist() == \
        [3., 1., 2.]
print("all good")
'''


def test_cupy_backend_through_a_stand_in(tmp_path):
    assert "all good" in _run_with_stand_in(tmp_path, SCRIPT)


VISIBLE_SCRIPT = '''
import sys
import tensorshell as ts

gpus = ts.config.list_physical_devices("GPU")
assert [g.name for g in gpus] == ["/physical_device:GPU:0", "/physical_device:GPU:1"], gpus
assert ts.config.get_visible_devices("GPU") == gpus
CHOICE
t = ts.constant([1., 2.])
names = [d.name for d in ts.config.list_logical_devices("GPU")]
print("devices", t.device, names, [g.name for g in ts.config.get_visible_devices("GPU")])
try:
    ts.config.set_visible_devices(gpus, "GPU")
except RuntimeError as e:
    print("refused:", e)
'''


def _run_with_stand_in(tmp_path, script):
    for rel, text in FAKE_CUPY.items():
        path = tmp_path / "fake" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    env = {"PYTHONPATH": str(tmp_path / "fake"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_set_visible_devices_hides_gpus_before_the_first_tensor(tmp_path):
    """tf.config.set_visible_devices([], "GPU") keeps everything on the CPU; a chosen GPU
    becomes /GPU:0; once tensors exist the choice is fixed (RuntimeError, as TensorFlow)."""
    out = _run_with_stand_in(tmp_path, VISIBLE_SCRIPT.replace(
        "CHOICE", 'ts.config.set_visible_devices([], "GPU")'))
    assert "devices /job:localhost/replica:0/task:0/device:CPU:0 [] []" in out
    assert "refused: Visible devices cannot be modified after being initialized" in out
    out = _run_with_stand_in(tmp_path, VISIBLE_SCRIPT.replace(
        "CHOICE", 'ts.config.set_visible_devices(gpus[1], "GPU")') + (
        "assert t._device.backend.index == 1, 'the second physical GPU'\n"))
    assert ("devices /job:localhost/replica:0/task:0/device:GPU:0 ['/device:GPU:0'] "
            "['/physical_device:GPU:1']") in out
