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


def test_dlpack_shares_gpu_memory_with_cupy_torch_and_jax():
    import cupy
    t = ts.range(6.)
    c = cupy.from_dlpack(t)
    assert c.data.ptr == t._data.data.ptr                       # zero-copy, both ways
    back = ts.experimental.dlpack.from_dlpack(c)
    assert back.device.endswith("GPU:0") and back._data.data.ptr == c.data.ptr
    assert t.__dlpack_device__() == (2, 0)                      # kDLCUDA, device 0
    torch = pytest.importorskip("torch")
    pt = torch.from_dlpack(t)
    assert pt.is_cuda and pt.data_ptr() == t._data.data.ptr
    u = ts.experimental.dlpack.from_dlpack(torch.arange(3, device="cuda"))
    assert u.device.endswith("GPU:0") and u.numpy().tolist() == [0, 1, 2]
    jax = pytest.importorskip("jax")
    try:
        gpu = jax.devices("gpu")[0]
    except RuntimeError:
        pytest.skip("JAX sees no GPU")
    j = jax.numpy.from_dlpack(t)
    assert j.tolist() == [0., 1., 2., 3., 4., 5.] and j.devices() == {gpu}
    w = ts.experimental.dlpack.from_dlpack(jax.device_put(jax.numpy.arange(3.), gpu))
    assert w.device.endswith("GPU:0") and w.numpy().tolist() == [0., 1., 2.]


# -- the vectorised elementwise kernels (engine/gpu_kernels.py) -------------------------------

SIZES = [(1 << 16) + 3, (1 << 17) + 1, 1 << 18]  # every tail length, and none


def _values(name, n, dtype, rng):
    x = rng.standard_normal(n).astype(dtype) * 3
    if name in ("log", "sqrt"):
        x = np.abs(x)
    x[:4] = [np.nan, np.inf, -np.inf, 0.0]
    return x


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "tanh", "negative", "abs", "square",
                                  "sigmoid"])
def test_vectorised_unary_kernels_equal_cupys(name, dtype, n):
    import cupy

    from tensorshell.engine import gpu_kernels
    rng = np.random.default_rng(n)
    x = _values(name, n, dtype, rng)
    op = {"exp": ts.exp, "log": ts.math.log, "sqrt": ts.sqrt, "tanh": ts.tanh,
          "negative": ts.negative, "abs": ts.abs, "square": ts.square,
          "sigmoid": ts.sigmoid}[name]
    with np.errstate(all="ignore"):
        got = op(ts.constant(x))
        assert (name, np.dtype(dtype), "v") in gpu_kernels._compiled  # the vector kernel ran
        c = cupy.asarray(x)  # CuPy's own result, from the same CUDA functions
        want = {"negative": lambda: -c, "abs": lambda: cupy.abs(c),
                "square": lambda: c * c, "sigmoid": lambda: 1 / (1 + cupy.exp(-c))}.get(
            name, lambda: getattr(cupy, name)(c))()
    assert got.dtype.as_numpy_dtype == dtype and got.shape == (n,)
    np.testing.assert_array_equal(got.numpy(), cupy.asnumpy(want))
    with ts.device("/cpu:0"), np.errstate(all="ignore"):
        cpu = op(ts.constant(x)).numpy()
    single = dtype == np.float32  # CUDA's and NumPy's math functions: a few ulp apart
    np.testing.assert_allclose(got.numpy(), cpu, rtol=6e-7 if single else 1e-15,
                               atol=1e-7 if single else 1e-15, equal_nan=True)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "truediv", "maximum",
                                  "minimum", "squared_difference"])
def test_vectorised_binary_kernels_match_the_cpu(name, dtype, n):
    from tensorshell.engine import gpu_kernels
    rng = np.random.default_rng(n)
    x, y = _values(name, n, dtype, rng), _values(name, n, dtype, rng)[::-1].copy()
    op = {"add": ts.add, "subtract": ts.subtract, "multiply": ts.multiply,
          "truediv": ts.truediv, "maximum": ts.maximum, "minimum": ts.minimum,
          "squared_difference": ts.math.squared_difference}[name]
    cases = [(x, y), (x, 2.5), (x, np.asarray(-1.5, dtype)), (np.asarray(0.75, dtype), y)]
    for a, b in cases:
        with np.errstate(all="ignore"):
            got = op(ts.constant(a) if isinstance(a, np.ndarray) else a,
                     ts.constant(b) if isinstance(b, np.ndarray) else b)
            with ts.device("/cpu:0"):
                want = op(ts.constant(a) if isinstance(a, np.ndarray) else a,
                          ts.constant(b) if isinstance(b, np.ndarray) else b).numpy()
        assert got.device.endswith("GPU:0") and got.dtype.as_numpy_dtype == dtype
        np.testing.assert_array_equal(got.numpy(), want)   # IEEE operations: exact
    for form in ("vv", "vs", "vp", "pv"):
        assert (name, np.dtype(dtype), form) in gpu_kernels._compiled, form


def test_views_and_other_layouts_take_cupys_kernels():
    from tensorshell.engine import gpu_kernels
    x = np.arange((1 << 16) + 8, dtype=np.float32)
    t = ts.constant(x)
    np.testing.assert_array_equal((t[1:] + 1.0).numpy(), x[1:] + 1)   # 4 bytes off alignment
    np.testing.assert_array_equal((t[::2] * t[::2]).numpy(), x[::2] * x[::2])  # strided
    m = ts.reshape(t[: 1 << 16], (256, 256))
    np.testing.assert_array_equal((m + ts.ones(256)).numpy(),  # broadcasting
                                  x[: 1 << 16].reshape(256, 256) + 1)
    np.testing.assert_allclose(ts.exp(ts.constant(x[:20])).numpy(), np.exp(x[:20]), rtol=6e-7)
    assert gpu_kernels.MIN_SIZE > 100
