"""Convolutions and pooling: every rank, padding mode, stride, dilation and layout against the
slow reference in conv_reference.py; gradients and second derivatives; the errors; and,
where TensorFlow is installed, the same programs giving TensorFlow's values and gradients."""

from __future__ import annotations

import os

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine.ops import conv as conv_ops
from tensorshell.engine.ops.registry import OPS
from tensorshell.errors import InvalidArgumentError, UnimplementedError

from . import conv_reference as ref

RNG = np.random.default_rng(7)
FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}
SIZES = {1: (9,), 2: (7, 6), 3: (5, 6, 4)}
KSIZE = {1: (3,), 2: (3, 2), 3: (2, 3, 2)}


def _first(x):
    """Channels-last array → channels-first."""
    return np.moveaxis(x, -1, 1)


def _last(x):
    return np.moveaxis(x, 1, -1)


CONV_CASES = [(n, padding, s, d) for n in (1, 2, 3) for padding in ("SAME", "VALID")
              for s, d in ((1, 1), (2, 1), (3, 1), (1, 2), (2, 2))]


@pytest.mark.parametrize("n,padding,stride,dilation", CONV_CASES)
@pytest.mark.parametrize("layout", [0, 1], ids=["channels_last", "channels_first"])
def test_convolution_matches_the_reference(n, padding, stride, dilation, layout):
    x = RNG.standard_normal((2,) + SIZES[n] + (3,))
    w = RNG.standard_normal(KSIZE[n] + (3, 4))
    strides, dils = (stride,) * n, (dilation,) * n
    expected = ref.conv(x, w, strides, padding, dils)
    fmt = FORMATS[n][layout]
    xin = _first(x) if layout else x
    got = ts.nn.convolution(xin, w, stride, padding, data_format=fmt, dilations=dilation)
    np.testing.assert_allclose(_last(got.numpy()) if layout else got.numpy(), expected,
                               rtol=1e-10, atol=1e-10)
    # the transpose and the filter gradient against theirs
    g = RNG.standard_normal(expected.shape)
    dx = ts.nn.conv_transpose(_first(g) if layout else g, w, xin.shape, stride, padding,
                              data_format=fmt, dilations=dilation)
    np.testing.assert_allclose(_last(dx.numpy()) if layout else dx.numpy(),
                               ref.conv_input_grad(g, w, x.shape, strides, padding, dils),
                               rtol=1e-10, atol=1e-10)
    dw = OPS["conv_backprop_filter"].fn(xin, w.shape, _first(g) if layout else g, stride,
                                        padding, fmt, dilation)
    np.testing.assert_allclose(dw.numpy(), ref.conv_filter_grad(x, g, w.shape, strides,
                                                                padding, dils),
                               rtol=1e-10, atol=1e-10)


POOL_CASES = [(n, padding, k, s) for n in (1, 2, 3) for padding in ("SAME", "VALID")
              for k, s in ((2, 2), (3, 1), (3, 2), (2, 3))]


@pytest.mark.parametrize("n,padding,k,s", POOL_CASES)
@pytest.mark.parametrize("layout", [0, 1], ids=["channels_last", "channels_first"])
def test_pooling_matches_the_reference(n, padding, k, s, layout):
    x = RNG.standard_normal((2,) + SIZES[n] + (3,))
    fmt = FORMATS[n][layout]
    xin = _first(x) if layout else x
    back = (lambda a: _last(a)) if layout else (lambda a: a)
    for pool, kind in ((ts.nn.max_pool, "max"), (ts.nn.avg_pool, "avg")):
        got = pool(xin, k, s, padding, data_format=fmt)
        expected = ref.pool(x, (k,) * n, (s,) * n, padding, kind)
        np.testing.assert_allclose(back(got.numpy()), expected, rtol=1e-12)
    g = RNG.standard_normal(expected.shape)
    gin = _first(g) if layout else g
    dx = OPS["max_pool_grad"].fn(xin, gin, k, s, padding, fmt)
    np.testing.assert_allclose(back(dx.numpy()),
                               ref.max_pool_grad(x, g, (k,) * n, (s,) * n, padding), rtol=1e-12)
    dx = OPS["avg_pool_grad"].fn(xin.shape, gin, k, s, padding, fmt)
    np.testing.assert_allclose(back(dx.numpy()),
                               ref.avg_pool_grad(g, x.shape, (k,) * n, (s,) * n, padding),
                               rtol=1e-12)


def test_rank_specific_names_and_tensorflow_argument_forms():
    x = RNG.standard_normal((2, 6, 7, 3)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 3, 5)).astype(np.float32)
    y = ts.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
    assert y.shape == (2, 3, 4, 5) and y.dtype is ts.float32
    assert ts.nn.conv2d(x, w, [2, 2], "SAME").numpy().tolist() == y.numpy().tolist()
    # explicit padding, one (before, after) pair per dimension of the input
    explicit = ts.nn.conv2d(x, w, 1, [[0, 0], [1, 2], [0, 3], [0, 0]])
    np.testing.assert_allclose(explicit.numpy(), ref.conv(x, w, (1, 1), [(1, 2), (0, 3)],
                                                          (1, 1)), rtol=1e-5, atol=1e-5)
    assert ts.nn.conv1d(x[0], w[0], 2, "VALID").shape == (6, 3, 5)
    assert ts.nn.conv3d(x[None], w[None], 1, "SAME").shape == (1, 2, 6, 7, 5)
    assert ts.nn.conv2d_transpose(y, w, [2, 6, 7, 3], 2, "SAME").shape == (2, 6, 7, 3)
    assert ts.nn.conv1d_transpose(ts.ones((1, 4, 5)), ts.ones((3, 2, 5)), [1, 8, 2], 2).shape \
        == (1, 8, 2)
    assert ts.nn.conv3d_transpose(ts.ones((1, 2, 2, 2, 5)), ts.ones((2, 2, 2, 3, 5)),
                                  [1, 4, 4, 4, 3], 2).shape == (1, 4, 4, 4, 3)
    assert ts.nn.max_pool2d(x, 2, 2, "VALID").shape == (2, 3, 3, 3)
    # atrous: stride 1, the taps `rate` apart
    np.testing.assert_array_equal(ts.nn.atrous_conv2d(x, w, 2, "VALID").numpy(),
                                  ts.nn.conv2d(x, w, 1, "VALID", dilations=2).numpy())
    assert ts.nn.atrous_conv2d_transpose(ts.ones((2, 2, 3, 5)), w, [2, 6, 7, 3], 2,
                                         "VALID").shape == (2, 6, 7, 3)
    assert ts.nn.avg_pool1d(x[0], [3], [1], "SAME").shape == (6, 7, 3)
    assert ts.nn.max_pool3d(x[None], 2, 1, "VALID").shape == (1, 1, 5, 6, 3)
    # leading batch dimensions, as TensorFlow's conv2d takes them
    xb = RNG.standard_normal((2, 3, 5, 5, 3)).astype(np.float32)
    np.testing.assert_allclose(ts.nn.conv2d(xb, w, 1, "SAME").numpy()[1, 2],
                               ts.nn.conv2d(xb[1, 2:3], w, 1, "SAME").numpy()[0], rtol=1e-5,
                               atol=1e-5)     # (a GPU may pick another algorithm per batch)


@pytest.mark.parametrize("dtype", [ts.float16, ts.float32, ts.float64, ts.int32])
def test_dtypes_and_devices(dtype, device):
    x = RNG.integers(-3, 4, (2, 5, 6, 3)).astype(dtype.as_numpy_dtype)
    w = RNG.integers(-2, 3, (3, 3, 3, 4)).astype(dtype.as_numpy_dtype)
    with ts.device(device):
        y = ts.nn.conv2d(ts.constant(x), ts.constant(w), 1, "SAME")
        m = ts.nn.max_pool2d(ts.constant(x), 2, 2, "SAME")
    assert y.dtype is dtype and m.dtype is dtype
    assert y.device.upper().endswith(device.upper().split("/")[-1]) and m.device == y.device
    np.testing.assert_array_equal(y.numpy(), ref.conv(x, w, (1, 1), "SAME", (1, 1)))
    np.testing.assert_array_equal(m.numpy(), ref.pool(x, (2, 2), (2, 2), "SAME", "max"))


def test_large_inputs_are_built_in_batch_chunks(monkeypatch):
    monkeypatch.setattr(conv_ops, "_CHUNK_BYTES", 4096)  # one image per chunk
    x = RNG.standard_normal((5, 9, 8, 4))
    w = RNG.standard_normal((3, 3, 4, 2))
    np.testing.assert_allclose(ts.nn.conv2d(x, w, 1, "SAME").numpy(),
                               ref.conv(x, w, (1, 1), "SAME", (1, 1)), rtol=1e-10)
    g = RNG.standard_normal((5, 9, 8, 2))
    np.testing.assert_allclose(OPS["conv_backprop_filter"].fn(x, w.shape, g, 1, "SAME").numpy(),
                               ref.conv_filter_grad(x, g, w.shape, (1, 1), "SAME", (1, 1)),
                               rtol=1e-10)


@pytest.mark.parametrize("strides", [1, 2])
def test_the_multi_core_path_gives_the_single_core_results(strides):
    """im2col copies and the strided transpose's scatter split the batch among threads."""
    x = RNG.standard_normal((5, 9, 8, 4))
    w = RNG.standard_normal((3, 3, 4, 2))
    g = RNG.standard_normal(ts.nn.conv2d(x, w, strides, "SAME").shape)

    def run():
        return [ts.nn.conv2d(x, w, strides, "SAME").numpy(),
                ts.nn.conv2d_transpose(g, w, x.shape, strides, "SAME").numpy(),
                OPS["conv_backprop_filter"].fn(x, w.shape, g, strides, "SAME").numpy()]
    ts.config.threading.set_intra_op_parallelism_threads(1)
    single = run()
    ts.config.threading.set_intra_op_parallelism_threads(2)
    ts.config.threading.set_min_parallel_elements(16)
    multi = run()
    for a, b in zip(single, multi):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(multi[0], ref.conv(x, w, (strides,) * 2, "SAME", (1, 1)),
                               rtol=1e-10)


def test_empty_batch_and_channels():
    assert ts.nn.conv2d(ts.zeros((0, 5, 5, 3)), ts.ones((3, 3, 3, 2)), 1, "SAME").shape == \
        (0, 5, 5, 2)
    assert ts.nn.conv2d(ts.zeros((1, 5, 5, 3)), ts.ones((3, 3, 3, 0)), 1, "SAME").shape == \
        (1, 5, 5, 0)
    assert ts.nn.max_pool2d(ts.zeros((0, 4, 4, 1)), 2, 2, "VALID").shape == (0, 2, 2, 1)


def test_max_pool_ties_nans_and_padding():
    x = ts.ones((1, 2, 2, 1))
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = ts.nn.max_pool2d(x, 2, 2, "VALID")
    assert tape.gradient(y, x).numpy().ravel().tolist() == [1., 0., 0., 0.]  # the first max
    # NaNs are passed over; padding never wins, even against very negative inputs
    nan = float("nan")
    v = ts.constant([[[nan], [1.], [3.], [nan]]])
    assert ts.nn.max_pool1d(v, 2, 2, "VALID").numpy().ravel().tolist() == [1., 3.]
    neg = ts.fill([1, 3, 3, 1], -5.)
    assert ts.nn.max_pool2d(neg, 2, 2, "SAME").numpy().ravel().tolist() == [-5.] * 4
    assert ts.nn.avg_pool2d(neg, 2, 2, "SAME").numpy().ravel().tolist() == [-5.] * 4
    ints = ts.constant(np.full((1, 3, 1), -2**31, np.int32))
    assert ts.nn.max_pool1d(ints, 2, 2, "SAME").numpy().ravel().tolist() == [-2**31] * 2


def _check_vjp(fn, *arrays):
    from .test_gradients import check_vjp
    return check_vjp(fn, *arrays)


@pytest.mark.parametrize("padding", ["SAME", "VALID", [[0, 0], [1, 0], [2, 1], [0, 0]]])
def test_gradients_and_second_derivatives(padding):
    x = RNG.standard_normal((2, 5, 6, 2))
    w = RNG.standard_normal((3, 2, 2, 3))
    _check_vjp(lambda a, b: ts.nn.conv2d(a, b, [1, 2], padding), x, w)
    _check_vjp(lambda a, b: ts.nn.conv2d(a, b, 1, padding, dilations=2), x, w)

    def grad_norm(a, b):  # a gradient taken inside the function: second derivatives
        with ts.GradientTape() as inner:
            inner.watch([a, b])
            y = ts.reduce_sum(ts.sin(ts.nn.conv2d(a, b, 2, padding)))
        ga, gb = inner.gradient(y, [a, b])
        return ts.reduce_sum(ga * ga) + ts.reduce_sum(gb * gb)
    _check_vjp(grad_norm, x, w)

    if not isinstance(padding, str):
        return
    xs = x + np.arange(x.size).reshape(x.shape) * 1e-3  # no ties inside a window

    def pool_grad_norm(a):
        with ts.GradientTape() as inner:
            inner.watch(a)
            y = ts.reduce_sum(ts.square(ts.nn.max_pool2d(a, 2, 2, padding))) + \
                ts.reduce_sum(ts.nn.avg_pool2d(a * a, 3, 2, padding))
        return ts.square(inner.gradient(y, a))
    _check_vjp(pool_grad_norm, xs)


@pytest.mark.parametrize("call, error, match", [
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 2, 4)), 1, "SAME"),
     InvalidArgumentError, r"incompatible shapes \[1,5,5,3\] vs. \[3,3,2,4\]: input depth 3"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((6, 6, 3, 4)), 1, "VALID"),
     InvalidArgumentError, "Computed output size would be negative: -1 .input_size: 5, "
     "effective_filter_size: 6, stride: 1"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 4)), 1, "FOO"),
     InvalidArgumentError, "padding must be 'VALID', 'SAME' or a list"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 4)), 0, "SAME"),
     InvalidArgumentError, r"strides must be > 0, but got \[0, 0\]"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 4)), [1, 2, 2, 2], "SAME"),
     UnimplementedError, "batch or channel"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 4)), [1, 2, 2], "SAME"),
     InvalidArgumentError, "1, 2 or 4 ints, got 3"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 4)), 1,
                          [[1, 0], [1, 1], [2, 2], [0, 0]]),
     InvalidArgumentError, "pads the batch or channel"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 4)), 1, "SAME",
                          data_format="NWC"),
     InvalidArgumentError, "not a layout for 2 spatial dimensions; use 'NHWC' or 'NCHW'"),
    (lambda: ts.nn.conv2d(ts.ones((5, 5, 3)), ts.ones((3, 3, 3, 4)), 1, "SAME"),
     InvalidArgumentError, r"input must have rank >= 4"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 4)), 1, "SAME"),
     InvalidArgumentError, "filters must have rank 4 for ts.nn.conv2d"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 4), ts.float64), 1, "SAME"),
     InvalidArgumentError, "ts.cast"),
    (lambda: ts.nn.conv2d(ts.ones((1, 5, 5, 3), ts.int8), ts.ones((3, 3, 3, 4), ts.int8), 1,
                          "SAME"), InvalidArgumentError, "does not accept int8"),
    (lambda: ts.nn.avg_pool2d(ts.ones((1, 4, 4, 1), ts.int32), 2, 2, "SAME"),
     InvalidArgumentError, "does not accept int32"),
    (lambda: ts.nn.max_pool2d(ts.ones((1, 5, 5, 3)), 6, 2, "VALID"),
     InvalidArgumentError, "Computed output size would be negative"),
    (lambda: ts.nn.max_pool2d(ts.ones((1, 5, 3)), 2, 2, "VALID"),
     InvalidArgumentError, "input must have rank 4 for ts.nn.max_pool2d"),
    (lambda: ts.nn.conv2d_transpose(ts.ones((2, 4, 4, 5)), ts.ones((3, 3, 3, 5)),
                                    [2, 9, 9, 3], 2, "SAME"),
     InvalidArgumentError, r"spatial sizes \[5, 5\]"),
    (lambda: ts.nn.atrous_conv2d(ts.ones((1, 5, 5, 3)), ts.ones((3, 3, 3, 4)), 0, "SAME"),
     InvalidArgumentError, "rate must be a positive int for ts.nn.atrous_conv2d, got 0"),
    (lambda: ts.nn.atrous_conv2d_transpose(ts.ones((1, 5, 5, 4)), ts.ones((3, 3, 4)),
                                           [1, 5, 5, 3], 2, "SAME"),
     InvalidArgumentError, "filters must have rank 4 for ts.nn.atrous_conv2d_transpose"),
    (lambda: ts.nn.conv2d_transpose(ts.ones((2, 4, 4, 5)), ts.ones((3, 3, 3, 5)), [2, 8, 8], 2),
     InvalidArgumentError, "output_shape .* must have 4"),
])
def test_bad_arguments_explain_themselves(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# TensorFlow as the oracle
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("tensorflow")


def _values_and_gradients(lib, fn, *arrays):
    xs = [lib.constant(a) for a in arrays]
    with lib.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(lib, *xs)
        loss = lib.reduce_sum(y * y)
    return [y.numpy()] + [g.numpy() for g in tape.gradient(loss, xs)]


ORACLE = {
    "conv2d same stride 2": (lambda lib, x, w: lib.nn.conv2d(x, w, 2, "SAME"), "2d"),
    "conv2d valid dilated": (lambda lib, x, w: lib.nn.conv2d(x, w, 1, "VALID", dilations=2),
                             "2d"),
    "conv2d strided and dilated": (lambda lib, x, w: lib.nn.conv2d(x, w, 2, "SAME",
                                                                   dilations=2), "2d"),
    "conv2d explicit": (lambda lib, x, w: lib.nn.conv2d(x, w, [1, 2],
                                                        [[0, 0], [1, 2], [0, 3], [0, 0]]),
                        "2d"),
    "conv1d": (lambda lib, x, w: lib.nn.conv1d(x, w, 3, "SAME"), "1d"),
    "conv3d": (lambda lib, x, w: lib.nn.conv3d(x, w, [1, 2, 1, 2, 1], "SAME"), "3d"),
    "conv2d_transpose": (lambda lib, x, w: lib.nn.conv2d_transpose(x, w, [2, 11, 12, 5], 2,
                                                                   "SAME"), "2dT"),
    "conv2d_transpose valid": (lambda lib, x, w: lib.nn.conv2d_transpose(x, w, [2, 13, 14, 5],
                                                                         2, "VALID"), "2dT"),
    "atrous_conv2d": (lambda lib, x, w: lib.nn.atrous_conv2d(x, w, 2, "SAME"), "2d"),
    "atrous_conv2d valid": (lambda lib, x, w: lib.nn.atrous_conv2d(x, w, 3, "VALID"), "2d"),
    "atrous_conv2d_transpose": (lambda lib, x, w: lib.nn.atrous_conv2d_transpose(
        x, w, [2, 6, 6, 5], 2, "SAME"), "2dT"),
    "atrous_conv2d_transpose valid": (lambda lib, x, w: lib.nn.atrous_conv2d_transpose(
        x, w, [2, 10, 10, 5], 2, "VALID"), "2dT"),
    "depthwise_conv2d": (lambda lib, x, w: lib.nn.depthwise_conv2d(x, w[..., :2], [1, 2, 2, 1],
                                                                   "SAME"), "2d"),
    "depthwise_conv2d dilated": (lambda lib, x, w: lib.nn.depthwise_conv2d(
        x, w, [1, 1, 1, 1], "VALID", dilations=[2, 2]), "2d"),
    "separable_conv2d": (lambda lib, x, w: lib.nn.separable_conv2d(
        x, w[..., :2], lib.reshape(w[0, 0, :, :2] * w[1, 0, 0, 0], [1, 1, 6, 1]),
        [1, 1, 1, 1], "SAME"), "2d"),
    "max_pool2d": (lambda lib, x, w: lib.nn.max_pool2d(x, 3, 2, "SAME") * w[0, 0, 0, 0],
                   "2d"),
    "avg_pool2d": (lambda lib, x, w: lib.nn.avg_pool2d(x, [2, 3], [2, 1], "SAME")
                   * w[0, 0, 0, 0], "2d"),
    "max_pool1d": (lambda lib, x, w: lib.nn.max_pool1d(x, 2, 2, "VALID") * w[0, 0, 0], "1d"),
    "avg_pool3d": (lambda lib, x, w: lib.nn.avg_pool3d(x, 2, 2, "SAME", "NDHWC")
                   * w[0, 0, 0, 0, 0], "3d"),
}
SHAPES = {"1d": ((2, 11, 3), (3, 3, 4)), "2d": ((2, 11, 12, 3), (3, 2, 3, 4)),
          "3d": ((2, 5, 6, 5, 3), (2, 3, 2, 3, 4)), "2dT": ((2, 6, 6, 4), (3, 3, 5, 4))}


@pytest.mark.tf_oracle
@pytest.mark.parametrize("program", sorted(ORACLE))
def test_same_values_and_gradients_as_tensorflow(tf, program):
    fn, kind = ORACLE[program]
    x_shape, w_shape = SHAPES[kind]
    rng = np.random.default_rng(3)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    theirs = _values_and_gradients(tf, fn, x, w)
    ours = _values_and_gradients(ts, fn, x, w)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=2e-4)


@pytest.mark.tf_oracle
def test_second_derivatives_equal_tensorflows(tf):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((1, 6, 6, 2)).astype(np.float32)
    w = rng.standard_normal((3, 3, 2, 2)).astype(np.float32)

    def run(lib):
        xs, ws = lib.constant(x), lib.constant(w)
        with lib.GradientTape() as outer:
            outer.watch([xs, ws])
            with lib.GradientTape() as inner:
                inner.watch([xs, ws])
                y = lib.reduce_sum(lib.tanh(lib.nn.conv2d(xs, ws, 2, "SAME")))
                y += lib.reduce_sum(lib.square(lib.nn.max_pool2d(xs, 2, 2, "SAME")))
            gx, gw = inner.gradient(y, [xs, ws])
            z = lib.reduce_sum(gx * gx) + lib.reduce_sum(gw * gw)
        return [g.numpy() for g in outer.gradient(z, [xs, ws])]
    for a, b in zip(run(ts), run(tf)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
