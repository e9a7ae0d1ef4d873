"""The composites of engine/ops/nn_extra.py (crelu, lrn, weighted_moments,
sufficient_statistics/normalize_moments, log_poisson_loss, batch_norm_with_global_normalization,
dilation2d/erosion2d, image.extract_patches, math.cumulative_logsumexp) against TensorFlow,
values and gradients, over strides, rates and padding (NumPy references and finite-difference
gradients are in test_composites.py)."""

import os

import numpy as np
import pytest

import tensorshell as ts

rng = np.random.default_rng(0)
X4 = rng.normal(size=(2, 5, 6, 7)).astype(np.float32)
W4 = rng.uniform(0, 2, (2, 5, 6, 7)).astype(np.float32)
F3 = rng.normal(size=(3, 2, 7)).astype(np.float32)
GEOMETRIES = [([1, 1, 1, 1], [1, 1, 1, 1], "VALID"), ([1, 2, 1, 1], [1, 1, 1, 1], "SAME"),
              ([1, 1, 2, 1], [1, 2, 1, 1], "SAME"), ([1, 2, 2, 1], [1, 1, 2, 1], "VALID")]


def _close(ours, theirs, tol=1e-5):
    ours = ours if isinstance(ours, (tuple, list)) else [ours]
    theirs = theirs if isinstance(theirs, (tuple, list)) else [theirs]
    for a, b in zip(ours, theirs):
        if a is None and b is None:
            continue
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True)


@pytest.fixture(scope="module")
def tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("tensorflow")


@pytest.mark.tf_oracle
def test_normalisations_and_statistics(tf):
    _close(ts.nn.crelu(X4), tf.nn.crelu(X4))
    _close(ts.nn.crelu(X4, axis=1), tf.nn.crelu(X4, axis=1))
    for kw in [{}, dict(depth_radius=2, bias=2., alpha=0.5, beta=0.75), dict(depth_radius=0),
               dict(depth_radius=10)]:
        _close(ts.nn.lrn(X4, **kw), tf.nn.local_response_normalization(X4, **kw))
    _close(ts.nn.weighted_moments(X4, [0, 1], W4), tf.nn.weighted_moments(X4, [0, 1], W4))
    w = W4[:, :, :1, :]
    _close(ts.nn.weighted_moments(X4, [2], w, keepdims=True),
           tf.nn.weighted_moments(X4, [2], w, keepdims=True))
    _close(ts.nn.sufficient_statistics(X4, [0, 2])[:3],
           tf.nn.sufficient_statistics(X4, [0, 2])[:3])
    _close(ts.nn.sufficient_statistics(X4, [1], shift=0.5, keepdims=True),
           tf.nn.sufficient_statistics(X4, [1], shift=0.5, keepdims=True))
    c, m, v, _ = tf.nn.sufficient_statistics(X4, [0, 1], shift=0.3)
    for shift in (0.3, None):
        _close(ts.nn.normalize_moments(c.numpy(), m.numpy(), v.numpy(), shift),
               tf.nn.normalize_moments(c, m, v, shift))
    targets = np.array([0., 0.5, 1., 2., 7.5, 30.], np.float32)
    log_input = rng.normal(size=6).astype(np.float32)
    for full in (False, True):
        _close(ts.nn.log_poisson_loss(targets, log_input, compute_full_loss=full),
               tf.nn.log_poisson_loss(targets, log_input, compute_full_loss=full))
    _close(ts.nn.scale_regularization_loss(log_input),
           tf.nn.scale_regularization_loss(log_input))
    mean, var, beta, gamma = [rng.uniform(0.5, 1.5, 7).astype(np.float32) for _ in range(4)]
    for scale in (True, False):
        _close(ts.nn.batch_norm_with_global_normalization(X4, mean, var, beta, gamma, 1e-3,
                                                          scale),
               tf.nn.batch_norm_with_global_normalization(X4, mean, var, beta, gamma, 1e-3,
                                                          scale))


@pytest.mark.tf_oracle
@pytest.mark.parametrize("strides, rates, padding", GEOMETRIES)
def test_morphology_and_patches(tf, strides, rates, padding):
    _close(ts.nn.dilation2d(X4, F3, strides, padding, "NHWC", rates),
           tf.nn.dilation2d(X4, F3, strides, padding, "NHWC", rates))
    _close(ts.nn.erosion2d(X4, F3, strides, padding, "NHWC", rates),
           tf.nn.erosion2d(X4, F3, strides, padding, "NHWC", rates))
    for sizes in ([1, 2, 3, 1], [1, 3, 3, 1], [1, 1, 1, 1]):
        _close(ts.image.extract_patches(X4, sizes, strides, rates, padding),
               tf.image.extract_patches(X4, sizes, strides, rates, padding))
    ints = rng.integers(0, 9, (2, 4, 5, 3)).astype(np.int32)
    _close(ts.image.extract_patches(ints, [1, 2, 2, 1], strides, rates, padding),
           tf.image.extract_patches(ints, [1, 2, 2, 1], strides, rates, padding))


@pytest.mark.tf_oracle
def test_cumulative_logsumexp(tf):
    x = rng.normal(size=(4, 6)).astype(np.float32) * 30
    for axis in (0, 1, -1):
        for exclusive in (False, True):
            for reverse in (False, True):
                _close(ts.math.cumulative_logsumexp(x, axis, exclusive, reverse),
                       tf.math.cumulative_logsumexp(x, axis, exclusive, reverse))
    far = np.array([-np.inf, -np.inf, 1., 1000.], np.float32)   # no underflow to -inf
    _close(ts.math.cumulative_logsumexp(far), tf.math.cumulative_logsumexp(far))


def _gradient(lib, fn, x):
    var = lib.Variable(x)
    with lib.GradientTape() as tape:
        y = fn(lib, var)
        parts = y if isinstance(y, tuple) else (y,)
        loss = sum(lib.reduce_sum(z * z) for z in parts)
    return tape.gradient(loss, var)


@pytest.mark.tf_oracle
@pytest.mark.parametrize("fn", [
    lambda L, x: L.nn.local_response_normalization(x, 2, 1., 0.5, 0.75),
    lambda L, x: L.nn.dilation2d(x, F3, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1]),
    lambda L, x: L.nn.erosion2d(x, F3, [1, 2, 1, 1], "VALID", "NHWC", [1, 1, 1, 1]),
    lambda L, x: L.image.extract_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    lambda L, x: L.nn.weighted_moments(x, [0, 1], W4),
    lambda L, x: L.math.cumulative_logsumexp(x, axis=2, reverse=True),
], ids=["lrn", "dilation2d", "erosion2d", "extract_patches", "weighted_moments",
        "cumulative_logsumexp"])
def test_gradients_are_tensorflows(tf, fn):
    _close(_gradient(ts, fn, X4), _gradient(tf, fn, X4), 1e-4)


@pytest.mark.tf_oracle
def test_crop_and_resize_as_tensorflow(tf):
    image = rng.uniform(0, 255, (3, 7, 9, 2)).astype(np.float32)
    boxes = np.array([[0.1, 0.2, 0.8, 0.9], [0.5, 0.5, 0.5, 0.5], [0.9, 0.1, 0.2, 0.7],
                      [-0.2, -0.1, 1.3, 1.1], [0, 0, 1, 1]], np.float32)   # flipped, outside
    indices = np.array([0, 2, 1, 1, 0], np.int32)
    for method in ("bilinear", "nearest"):
        for size in ([4, 5], [1, 1], [1, 6], [8, 3]):
            for fill in (0.0, -7.5):
                _close(ts.image.crop_and_resize(image, boxes, indices, size, method, fill),
                       tf.image.crop_and_resize(image, boxes, indices, size, method, fill),
                       1e-3)
    _close(ts.image.crop_and_resize(image.astype(np.uint8), boxes, indices, [3, 3]),
           tf.image.crop_and_resize(image.astype(np.uint8), boxes, indices, [3, 3]), 1e-3)

    def gradients(lib):
        im, bx = lib.Variable(image), lib.Variable(boxes[:3] * 0.9 + 0.05)
        with lib.GradientTape() as tape:
            y = lib.image.crop_and_resize(im, bx, indices[:3], [4, 5])
            loss = lib.reduce_sum(y * y) / 1000
        return tape.gradient(loss, [im, bx])
    for ours, theirs in zip(gradients(ts), gradients(tf)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-2)


def test_crop_and_resize_errors():
    image = np.zeros((1, 4, 4, 1), np.float32)
    with pytest.raises(ts.errors.InvalidArgumentError, match="box_indices has values outside"):
        ts.image.crop_and_resize(image, [[0., 0., 1., 1.]], [1], [2, 2])
    with pytest.raises(ts.errors.InvalidArgumentError, match="crop_size must be two positive"):
        ts.image.crop_and_resize(image, [[0., 0., 1., 1.]], [0], [0, 2])
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"boxes must be \[num_boxes, 4\]"):
        ts.image.crop_and_resize(image, [[0., 0., 1.]], [0], [2, 2])


def test_max_pool_with_argmax_indices():
    x = np.array([[[[1.], [5.], [5.]], [[2.], [0.], [7.]]]], np.float32)    # [1, 2, 3, 1]
    out, where = ts.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    assert out.numpy().ravel().tolist() == [5., 7.]
    assert where.dtype is ts.int64 and where.numpy().ravel().tolist() == [1, 5]  # 1st of ties
    batch2 = np.concatenate([x, x + 1])
    where = ts.nn.max_pool_with_argmax(batch2, [1, 2, 2, 1], [1, 1, 1, 1], "VALID",
                                       output_dtype=ts.int32, include_batch_in_index=True)[1]
    assert where.dtype is ts.int32 and where.numpy().ravel().tolist() == [1, 5, 7, 11]


@pytest.mark.tf_oracle
def test_max_pool_with_argmax_as_tensorflow(tf):
    inputs = [X4[:, :, :, :3], rng.integers(0, 3, (2, 6, 6, 2)).astype(np.float32),  # ties
              rng.integers(-5, 5, (1, 4, 5, 2)).astype(np.int32)]
    for x in inputs:
        for k, s, p in [([1, 2, 2, 1], [1, 2, 2, 1], "VALID"), ([1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
                        ([1, 2, 3, 1], [1, 1, 2, 1], "SAME")]:
            for batch_index in (False, True):
                ours = ts.nn.max_pool_with_argmax(x, k, s, p, include_batch_in_index=batch_index)
                theirs = tf.nn.max_pool_with_argmax(x, k, s, p,
                                                    include_batch_in_index=batch_index)
                for a, b in zip(ours, theirs):
                    np.testing.assert_array_equal(a, b)
    fn = lambda L, v: L.nn.max_pool_with_argmax(v, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")[0]  # noqa
    _close(_gradient(ts, fn, X4), _gradient(tf, fn, X4))


@pytest.mark.tf_oracle
def test_draw_bounding_boxes_and_stateless_crop_as_tensorflow(tf):
    for depth in (1, 3, 4):
        image = rng.uniform(0, 1, (2, 9, 11, depth)).astype(np.float32)
        boxes = rng.uniform(-0.3, 1.3, (2, 12, 4)).astype(np.float32)  # outside, inverted
        for colors in (None, rng.uniform(0, 5, (3, 4)).astype(np.float32),
                       np.zeros((0, 4), np.float32)):
            np.testing.assert_array_equal(ts.image.draw_bounding_boxes(image, boxes, colors),
                                          tf.image.draw_bounding_boxes(image, boxes, colors))
    with pytest.raises(ts.errors.InvalidArgumentError, match="Channel depth should be"):
        ts.image.draw_bounding_boxes(np.zeros((1, 4, 4, 2), np.float32), boxes[:1])
    with pytest.raises(ts.errors.InvalidArgumentError, match="equal or more channels"):
        ts.image.draw_bounding_boxes(np.zeros((1, 4, 4, 3), np.float32), boxes[:1],
                                     [[1., 2.]])
    image = rng.uniform(0, 1, (7, 9, 3)).astype(np.float32)
    for seed in ([1, 2], [5, 7]):
        np.testing.assert_array_equal(ts.image.stateless_random_crop(image, [3, 4, 3], seed),
                                      tf.image.stateless_random_crop(image, [3, 4, 3], seed))


@pytest.mark.tf_oracle
def test_sample_distorted_bounding_box_as_tensorflow(tf):
    boxes = np.array([[[0.1, 0.2, 0.5, 0.9], [0.3, 0.3, 0.9, 0.6]]], np.float32)
    cases = [{}, dict(min_object_covered=0.5),
             dict(aspect_ratio_range=[0.5, 2.0], area_range=[0.1, 0.6]),
             dict(min_object_covered=0.9, max_attempts=3),
             dict(area_range=[0.9, 1.0], aspect_ratio_range=[1., 1.])]
    for size in ([480, 640, 3], [33, 17, 1], [5, 5, 3]):
        for kwargs in cases:
            for seed in ([1, 2], [9, 77]):
                for a, b in zip(ts.image.stateless_sample_distorted_bounding_box(
                        size, boxes, seed, **kwargs),
                        tf.image.stateless_sample_distorted_bounding_box(size, boxes, seed,
                                                                         **kwargs)):
                    np.testing.assert_allclose(a, b, rtol=1e-6)
    for _ in range(100):                     # random sizes, boxes, ranges and seeds
        h, w = rng.integers(1, 300, 2)
        corners = np.sort(rng.uniform(0, 1, (1, 3, 2, 2)), axis=2)
        b = corners.transpose(0, 1, 3, 2).reshape(1, 3, 4)[:, :, [0, 2, 1, 3]]
        kwargs = dict(min_object_covered=float(rng.uniform(0, 1)),
                      aspect_ratio_range=sorted(rng.uniform(0.2, 3, 2).tolist()),
                      area_range=sorted(rng.uniform(0.01, 1, 2).tolist()))
        seed = rng.integers(-1000, 1000, 2).tolist()
        for x, y in zip(ts.image.stateless_sample_distorted_bounding_box(
                [h, w, 3], b.astype(np.float32), seed, **kwargs),
                tf.image.stateless_sample_distorted_bounding_box(
                    [h, w, 3], b.astype(np.float32), seed, **kwargs)):
            np.testing.assert_allclose(x, y, rtol=1e-6)
    for lib in (tf, ts):
        lib.random.set_seed(4)
    for _ in range(3):                       # each kernel's stream moves on between calls
        for kwargs in cases[:3]:
            for a, b in zip(ts.image.sample_distorted_bounding_box([480, 640, 3], boxes, seed=7,
                                                                   **kwargs),
                            tf.image.sample_distorted_bounding_box([480, 640, 3], boxes, seed=7,
                                                                   **kwargs)):
                np.testing.assert_allclose(a, b, rtol=1e-6)


def test_sample_distorted_bounding_box_errors_and_fallback():
    # no boxes: the whole image is the object; nothing satisfiable: the whole image
    begin, size, _ = ts.image.stateless_sample_distorted_bounding_box(
        [5, 5, 3], np.zeros((1, 0, 4)), [1, 2], use_image_if_no_bounding_boxes=True,
        area_range=[1.0, 1.0])
    assert begin.numpy().tolist() == [0, 0, 0] and size.numpy().tolist() == [5, 5, -1]
    with pytest.raises(ts.errors.InvalidArgumentError, match="No bounding boxes provided"):
        ts.image.stateless_sample_distorted_bounding_box([5, 5, 3], np.zeros((1, 0, 4)), [1, 2])
    with pytest.raises(ts.errors.InvalidArgumentError, match="Invalid bounding box"):
        ts.image.stateless_sample_distorted_bounding_box([5, 5, 3], [[[0.5, 0., 0.2, 1.]]],
                                                         [1, 2])


@pytest.mark.tf_oracle
def test_depthwise_backprops_as_tensorflow(tf):
    x = rng.normal(size=(2, 7, 8, 3)).astype(np.float32)
    w = rng.normal(size=(3, 2, 3, 2)).astype(np.float32)
    for strides, padding in [([1, 1, 1, 1], "SAME"), ([1, 2, 2, 1], "VALID")]:
        y = tf.nn.depthwise_conv2d(x, w, strides, padding)
        g = rng.normal(size=y.shape).astype(np.float32)
        _close(ts.nn.depthwise_conv2d_backprop_input(x.shape, w, g, strides, padding),
               tf.nn.depthwise_conv2d_backprop_input(x.shape, w, g, strides, padding), 1e-4)
        _close(ts.nn.depthwise_conv2d_backprop_filter(x, w.shape, g, strides, padding),
               tf.nn.depthwise_conv2d_backprop_filter(x, w.shape, g, strides, padding), 1e-4)
    # dilated: TensorFlow's CPU backprop kernel ignores dilations; its tape gradient does not
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = tf.nn.depthwise_conv2d(xv, w, [1, 1, 1, 1], "SAME", dilations=[2, 2])
    g = rng.normal(size=y.shape).astype(np.float32)
    _close(ts.nn.depthwise_conv2d_backprop_input(x.shape, w, g, [1, 1, 1, 1], "SAME",
                                                 dilations=[1, 2, 2, 1]),
           tape.gradient(y, xv, output_gradients=g), 1e-4)


def test_isotonic_regression_and_ctc_label_helpers():
    # printed by TensorFlow 2.21
    out, segments = ts.nn.isotonic_regression([[1., 3., 2., 4.], [5., 1., 1., 0.]])
    assert out.numpy().tolist() == [[2.5] * 4, [5., 1., 1., 0.]]
    assert segments.dtype is ts.int32 and segments.numpy().tolist() == [[0] * 4, [0, 1, 2, 3]]
    out, segments = ts.nn.isotonic_regression([[1., 3., 2., 4.]], decreasing=False)
    assert out.numpy().tolist() == [[1., 2.5, 2.5, 4.]] and \
        segments.numpy().tolist() == [[0, 1, 1, 2]]
    assert ts.nn.isotonic_regression(ts.constant([1, 3, 2]))[0].dtype is ts.float64
    labels, lengths = ts.nn.collapse_repeated([[1, 1, 2, 2, 2, 3], [4, 4, 4, 5, 0, 0]], [6, 4])
    assert labels.numpy().tolist() == [[1, 2, 3], [4, 5, 0]]
    assert lengths.numpy().tolist() == [3, 2]
    unique, index = ts.nn.ctc_unique_labels([[3, 4, 4, 3], [1, 2, 1, 0]])
    assert unique.dtype is ts.int64 and unique.numpy().tolist() == [[3, 4, 0, 0], [1, 2, 0, 0]]
    assert index.numpy().tolist() == [[0, 1, 1, 0], [0, 1, 0, 2]]


@pytest.mark.tf_oracle
def test_isotonic_regression_as_tensorflow(tf):
    for x in [rng.normal(size=(5, 9)).astype(np.float32), rng.integers(-3, 3, (4, 7)) * 1.,
              rng.integers(-3, 3, (3, 6)).astype(np.int8), rng.normal(size=(3, 4, 5))]:
        for decreasing in (True, False):
            for axis in (-1, 0):
                for a, b in zip(ts.nn.isotonic_regression(x, decreasing, axis),
                                tf.nn.isotonic_regression(x, decreasing, axis)):
                    assert a.dtype.name == b.dtype.name
                    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # (2-D: TensorFlow's gradient comes back flattened to 2-D for higher ranks)
    fn = lambda L, v: L.nn.isotonic_regression(v, decreasing=False)[0]  # noqa: E731
    _close(_gradient(ts, fn, X4[0, 0]), _gradient(tf, fn, X4[0, 0]))


@pytest.mark.tf_oracle
def test_pool_and_eigh_tridiagonal_as_tensorflow(tf):
    x = np.arange(2 * 9 * 8 * 3, dtype=np.float32).reshape(2, 9, 8, 3) % 11
    for window, kind, strides, padding, dilations, fmt in [
            ([2, 2], "MAX", [1, 1], "VALID", [2, 1], None),
            ([2, 3], "AVG", [1, 1], "VALID", [2, 2], None),
            ([2, 2], "AVG", [2, 2], "SAME", None, None),
            ([3, 2], "MAX", [2, 1], "SAME", [1, 1], None),
            ([2, 2], "AVG", [1, 1], "VALID", [2, 2], "NCHW")]:
        xx = x if fmt is None else np.transpose(x, [0, 3, 1, 2])
        _close(ts.nn.pool(xx, window, kind, strides, padding, fmt, dilations),
               tf.nn.pool(xx, window, kind, strides, padding, fmt, dilations))
    x3 = rng.normal(size=(1, 6, 6, 6, 2)).astype(np.float32)
    _close(ts.nn.pool(x3, [2, 2, 2], "AVG", padding="VALID", dilations=[2, 1, 2]),
           tf.nn.pool(x3, [2, 2, 2], "AVG", padding="VALID", dilations=[2, 1, 2]))
    with pytest.raises(ts.errors.InvalidArgumentError, match="'SAME' padding is not"):
        ts.nn.pool(x, [2, 2], "MAX", padding="SAME", dilations=[2, 2])
    a, b = np.array([1., 2., 3., 4.]), np.array([0.5, -1., 0.25])
    for kwargs in [{}, dict(select="i", select_range=[1, 2]),
                   dict(select="v", select_range=[1.5, 4.])]:
        _close(ts.linalg.eigh_tridiagonal(a, b, **kwargs),
               tf.linalg.eigh_tridiagonal(a, b, **kwargs))
        (w1, v1), (w2, v2) = (lib.linalg.eigh_tridiagonal(a, b, eigvals_only=False, **kwargs)
                              for lib in (ts, tf))
        _close(w1, w2)
        _close(np.abs(v1), np.abs(v2))                     # eigenvectors up to sign
    hermitian = (a.astype(np.complex128), b.astype(np.complex128) * 1j)
    _close(ts.linalg.eigh_tridiagonal(*hermitian), tf.linalg.eigh_tridiagonal(*hermitian))
