"""ts.image.resize gives TensorFlow 2's results for every method, with and without
antialias, shrinking and growing: compared with TensorFlow live when it is installed, else
with its recorded outputs (resize_golden.npz; ``python -m tests.engine.test_resize`` under
TensorFlow records them). Gradients: each method is linear, so the gradient must be its
transpose, checked exactly; and against TensorFlow's when installed."""

import os

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine.ops import image as image_ops
from tests import oracle

GOLDEN = os.path.join(os.path.dirname(__file__), "resize_golden.npz")
IMG = np.random.default_rng(21).uniform(0, 1, (2, 5, 7, 2)).astype(np.float32)
METHODS = ["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
           "mitchellcubic"]
SIZES = [(5, 7), (11, 4), (2, 3), (13, 16), (1, 1)]
CASES = [(m, aa, size) for m in METHODS for aa in (False, True) for size in SIZES]


def _key(method, antialias, size):
    return f"{method}-{int(antialias)}-{size[0]}x{size[1]}"


def _resized(lib, case):
    method, antialias, size = case
    return [lib.image.resize(IMG, size, method, antialias=antialias)]


@pytest.fixture(scope="module")
def expected():
    return oracle.expected(GOLDEN, lambda tf, key: _resized(tf, _CASE_OF[key]))


_CASE_OF = {_key(*c): c for c in CASES}


@pytest.mark.parametrize("method, antialias, size", CASES,
                         ids=[_key(*c) for c in CASES])
def test_same_values_as_tensorflow(method, antialias, size, expected):
    (want,) = expected(_key(method, antialias, size))
    got = ts.image.resize(IMG, size, method, antialias=antialias).numpy()
    assert got.shape == want.shape and got.dtype == want.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=3e-6)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("antialias", [False, True])
def test_the_gradient_is_the_transpose(method, antialias):
    rng = np.random.default_rng(4)
    x = ts.constant(IMG)
    for size in [(9, 4), (3, 3)]:
        y = rng.standard_normal((2,) + size + (2,)).astype(np.float32)
        with ts.GradientTape() as tape:
            tape.watch(x)
            inner = ts.reduce_sum(ts.image.resize(x, size, method, antialias=antialias) * y)
        grad = tape.gradient(inner, x).numpy()
        # <R x, y> == <x, R^T y> for the linear map R
        np.testing.assert_allclose(inner.numpy(), np.sum(IMG * grad), rtol=1e-5)
        unit = np.zeros_like(IMG)
        unit[1, 2, 3, 1] = 1
        column = ts.image.resize(unit, size, method, antialias=antialias).numpy()
        np.testing.assert_allclose(grad[1, 2, 3, 1], np.sum(column * y), rtol=1e-5, atol=1e-6)


@pytest.mark.tf_oracle
@pytest.mark.parametrize("method", ["bilinear", "bicubic", "lanczos3", "mitchellcubic"])
def test_gradients_equal_tensorflows(method):
    tf = pytest.importorskip("tensorflow")
    weights = np.arange(2 * 9 * 4 * 2, dtype=np.float32).reshape(2, 9, 4, 2) / 50
    grads = []
    for lib in (tf, ts):
        x = lib.constant(IMG)
        with lib.GradientTape() as tape:
            tape.watch(x)
            y = lib.image.resize(x, (9, 4), method, antialias=True)
            loss = lib.reduce_sum(y * y * weights)
        grads.append(tape.gradient(loss, x).numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-4, atol=1e-5)


def test_dtypes_batches_and_methods():
    u8 = (IMG * 255).astype(np.uint8)
    for method in METHODS:
        out = ts.image.resize(u8[0], (4, 9), method)        # one image, no batch axis
        assert out.shape == (4, 9, 2)
        assert out.dtype is (ts.uint8 if method == "nearest" else ts.float32)
    assert ts.image.resize(IMG.astype(np.float64), (3, 3)).dtype is ts.float32
    assert ts.image.resize(IMG, (40, 70), "lanczos5", preserve_aspect_ratio=True).shape == \
        (2, 40, 56, 2)
    assert ts.image.ResizeMethod.MITCHELLCUBIC == "mitchellcubic"
    assert ts.image.resize(IMG, (10, 14), ts.image.ResizeMethod.AREA).shape == (2, 10, 14, 2)


def test_long_axes_gather_per_tap_with_the_same_result():
    # 1500 -> 1450 pixels is past the size where the dense matrix is used
    column = np.random.default_rng(0).uniform(size=(1, 1500, 1, 1)).astype(np.float32)
    got = ts.image.resize(column, (1450, 1), "bicubic").numpy()[0, :, 0, 0]
    idx, w = image_ops._bicubic_taps(1500, 1450)
    dense = np.zeros((1450, 1500))
    np.add.at(dense, (np.repeat(np.arange(1450), idx.shape[1]), idx.ravel()), w.ravel())
    np.testing.assert_allclose(got, dense @ column[0, :, 0, 0], rtol=1e-5, atol=1e-6)


def test_runs_on_each_device(device):
    out = ts.image.resize(ts.constant(IMG), (3, 9), "lanczos3")
    assert out.device.lower().endswith(device.strip("/").lower())


if __name__ == "__main__":
    oracle.record(GOLDEN, list(_CASE_OF), lambda tf, key: _resized(tf, _CASE_OF[key]))
