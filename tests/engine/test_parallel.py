"""The multi-core CPU path gives the results of the single call: bit-identical for
elementwise ops and casts, the same for integer and extreme reductions, within rounding for
float sums. Forced onto small tensors by lowering the size threshold."""

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine import dtypes as D
from tensorshell.engine import parallel
from tensorshell.engine.ops.registry import OPS

from .test_op_table import BINARY, REDUCTIONS, UNARY, sample

THRESHOLD = 1024
SHAPES = [(1023,), (1024,), (1025,), (40, 30), (3, 50, 9)]
DTYPES = [D.float32, D.float64, D.int32, D.uint8, D.bool, D.complex64]


def both(fn):
    """fn() on one core, then with the parallel path forced on (2 threads)."""
    ts.config.threading.set_intra_op_parallelism_threads(1)
    single = fn()
    ts.config.threading.set_intra_op_parallelism_threads(2)
    ts.config.threading.set_min_parallel_elements(THRESHOLD)
    try:
        multi = fn()
    finally:
        ts.config.reset()
    return single, multi


def same(a, b):
    a, b = a.numpy(), b.numpy()
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a, b)  # NaNs compare equal here


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_bit_identical(name, shape, device):
    for d in DTYPES:
        if d not in OPS[name].dtypes:
            continue
        x = ts.constant(sample(d, shape, domain=UNARY[name][1], seed=5))
        same(*both(lambda: OPS[name].fn(x)))


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_bit_identical_with_broadcasting_and_views(name, device):
    for d in DTYPES:
        if d not in OPS[name].dtypes:
            continue
        _, dx, dy, _ = BINARY[name]
        x = ts.constant(sample(d, (40, 30), domain=dx, seed=1))
        y = ts.constant(sample(d, (40, 30), domain=dy, seed=2))
        row = ts.constant(sample(d, (30,), domain=dy, seed=3))
        same(*both(lambda: OPS[name].fn(x, y)))
        same(*both(lambda: OPS[name].fn(x, row)))                       # broadcast
        same(*both(lambda: OPS[name].fn(ts.transpose(x), ts.transpose(y))))  # views
        same(*both(lambda: OPS[name].fn(x[::2], y[1::2])))               # strided
        same(*both(lambda: OPS[name].fn(x[:1], y)))                      # small first


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis", [None, 0, 1, [0, 1], -1])
def test_reductions_match(name, axis, device):
    for d in [D.float32, D.float64, D.int32, D.bool]:
        if d not in OPS[name].dtypes:
            continue
        x = ts.constant(sample(d, (64, 48), domain="pos" if name == "reduce_prod" else "any",
                               seed=7))
        for keepdims in (False, True):
            a, b = both(lambda: OPS[name].fn(x, axis=axis, keepdims=keepdims))
            assert a.dtype is b.dtype and a.shape == b.shape
            if d.is_floating and name not in ("reduce_max", "reduce_min"):
                np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-5 if d is D.float32
                                           else 1e-12)
            else:
                np.testing.assert_array_equal(b.numpy(), a.numpy())


@pytest.mark.parametrize("target", [ts.float64, ts.int32, ts.float16, ts.bool, ts.uint8])
def test_cast_bit_identical(target, device):
    x = ts.constant(sample(D.float32, (50, 41), seed=9) * 40)
    same(*both(lambda: ts.cast(x, target)))
    same(*both(lambda: ts.cast(ts.transpose(x), target)))


def test_errors_are_translated_on_the_parallel_path():
    ts.config.threading.set_intra_op_parallelism_threads(2)
    ts.config.threading.set_min_parallel_elements(16)
    with pytest.raises(ts.errors.InvalidArgumentError, match="Integer division by zero"):
        ts.math.floordiv(ts.ones(100, ts.int32), ts.zeros(100, ts.int32))
    with pytest.raises(ts.errors.InvalidArgumentError, match="incompatible shapes"):
        ts.ones((40, 30)) + ts.ones((30, 40))


def test_float32_sum_of_ten_million_is_as_accurate_as_numpys():
    rng = np.random.default_rng(0)
    a = rng.random(10_000_000, dtype=np.float32)
    exact = float(np.sum(a, dtype=np.float64))
    ts.config.threading.set_intra_op_parallelism_threads(2)
    ours = float(ts.reduce_sum(ts.constant(a)))
    numpy_error = abs(float(np.add.reduce(a)) - exact)
    assert abs(ours - exact) <= max(2 * numpy_error, 1e-6 * exact)


@pytest.mark.parametrize("op", [ts.reduce_sum, ts.reduce_mean])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [parallel.BLOCKED_SUM_MIN - 1, parallel.BLOCKED_SUM_MIN,
                               parallel.BLOCKED_SUM_MIN + 1023, 3 * parallel.BLOCKED_SUM_MIN + 5])
def test_whole_float_sums_on_one_core_agree_with_numpy(op, dtype, n):
    # from BLOCKED_SUM_MIN elements whole sums take the BLAS route even below the threshold
    # of the thread pool; any layout BLAS cannot take falls back to NumPy's own sum
    ts.config.threading.set_intra_op_parallelism_threads(1)
    a = np.random.default_rng(n).standard_normal(n).astype(dtype) + 0.5
    exact = float(np.sum(a, dtype=np.longdouble))
    if op is ts.reduce_mean:
        exact /= n
    tol = 4 * abs(float(np.add.reduce(a) / (n if op is ts.reduce_mean else 1)) - exact) \
        + 1e-6 * abs(exact)
    for x in (a, a.reshape(-1, 1) if n % 2 else a[: n - n % 4].reshape(4, -1)):
        r = op(ts.constant(x))
        assert r.dtype == dtype and r.shape == ()
        ref = float(np.sum(x, dtype=np.longdouble)) / (x.size if op is ts.reduce_mean else 1)
        assert abs(float(r) - ref) <= tol
    k = op(ts.constant(a.reshape(1, -1)), keepdims=True)
    assert k.shape == (1, 1)
    strided = op(ts.constant(a)[::2])       # a view: not C-contiguous
    ref = float(np.sum(a[::2], dtype=np.longdouble)) / (a[::2].size if op is ts.reduce_mean
                                                         else 1)
    assert abs(float(strided) - ref) <= tol
    special = a.copy()
    special[n // 2] = np.inf
    assert float(op(ts.constant(special))) == np.inf
    special[n // 3] = np.nan
    assert np.isnan(float(op(ts.constant(special))))


def test_thread_settings():
    assert ts.config.threading.get_intra_op_parallelism_threads() == \
        parallel.available_cpus()
    ts.config.threading.set_intra_op_parallelism_threads(3)
    assert ts.config.threading.get_intra_op_parallelism_threads() == 3
    ts.config.threading.set_intra_op_parallelism_threads(0)
    assert ts.config.threading.get_intra_op_parallelism_threads() == \
        parallel.available_cpus()
    with pytest.raises(ValueError):
        ts.config.threading.set_intra_op_parallelism_threads(-1)


def test_recycled_buffers_are_never_visible_to_live_references():
    ts.config.threading.set_intra_op_parallelism_threads(2)
    ts.config.threading.set_min_parallel_elements(1024)
    parallel.buffers.clear()
    a = ts.constant(np.arange(4096, dtype=np.float32))
    first = a + 1.0
    view = np.asarray(first)            # a NumPy view of the output buffer
    first_buffer = id(first._data.base)
    held = ts.Variable(a * 2.0)          # a Variable keeps another output's buffer
    before_view, before_var = view.copy(), held.numpy().copy()
    del first
    for _ in range(5):                  # outputs of the same size, looking for free buffers
        c = a * 3.0
    np.testing.assert_array_equal(view, before_view)
    np.testing.assert_array_equal(held.numpy(), before_var)
    del view
    d = a - 1.0                          # now the first buffer is free again: reused
    assert id(d._data.base) == first_buffer
    np.testing.assert_array_equal(d.numpy(), np.arange(4096, dtype=np.float32) - 1)
    assert parallel.buffers.cached_bytes <= 4 * 4096 * 4
    del c


def test_buffer_cache_respects_its_limit():
    cache = parallel.BufferCache(limit=1000)
    x = cache.empty((100,), np.float32)   # 400 bytes: cached
    y = cache.empty((100,), np.float32)   # in use: a second cached buffer
    z = cache.empty((100,), np.float32)   # over the limit, nothing idle: plain allocation
    assert cache.cached_bytes == 800
    assert all(a.ctypes.data % parallel.ALIGNMENT == 0 for a in (x, y, z))
    del x
    w = cache.empty((10, 10), np.float32)
    assert w.shape == (10, 10) and cache.cached_bytes == 800
    del y, z, w


def test_buffer_cache_evicts_idle_buffers_of_other_sizes():
    cache = parallel.BufferCache(limit=1000)
    x = cache.empty((100,), np.float32)   # 400 bytes
    y = cache.empty((50,), np.float32)    # 200 bytes, kept alive
    view = y[10:20]
    del x, y
    z = cache.empty((150,), np.float32)   # 600 bytes: the idle 400 go, the viewed 200 stay
    assert cache.cached_bytes == 800
    z[:] = 7
    view_before = view.copy()
    u = cache.empty((50,), np.float32)    # the 200-byte buffer is still seen by `view`
    u[:] = -1
    np.testing.assert_array_equal(view, view_before)
    del z, u, view


@pytest.mark.parametrize("op", [lambda t: t + 1.0, ts.exp, lambda t: ts.cast(t, ts.float64)])
def test_parallel_outputs_are_cache_line_aligned(op):
    # NumPy's vector loops split every store of a misaligned output across two cache lines
    ts.config.threading.set_intra_op_parallelism_threads(2)
    ts.config.threading.set_min_parallel_elements(1024)
    with ts.device("/cpu:0"):  # the host's parallel kernels, also where a GPU is the default
        a = ts.constant(np.linspace(0, 1, 10_000, dtype=np.float32))
        assert np.asarray(op(a)).ctypes.data % parallel.ALIGNMENT == 0
