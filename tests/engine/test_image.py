"""ts.image: integer/float conversions as TensorFlow scales them, random augmentation per
image, the errors, and (with TensorFlow installed) values, dtypes and gradients equal to
TensorFlow's for every function."""

from __future__ import annotations

import os

import numpy as np
import pytest

import tensorshell as ts

RNG = np.random.default_rng(0)
IMG = RNG.random((2, 5, 7, 3)).astype(np.float32)
U8 = (IMG * 255).astype(np.uint8)
WEIGHTS = RNG.standard_normal(1000).astype(np.float32)

FLOAT_PROGRAMS = {
    "flip_left_right": lambda m, x: m.image.flip_left_right(x),
    "flip_up_down": lambda m, x: m.image.flip_up_down(x),
    "transpose": lambda m, x: m.image.transpose(x),
    "rot90": lambda m, x: m.image.rot90(x), "rot90 k=2": lambda m, x: m.image.rot90(x, 2),
    "rot90 k=3, one image": lambda m, x: m.image.rot90(x[0], 3),
    "crop_to_bounding_box": lambda m, x: m.image.crop_to_bounding_box(x, 1, 2, 3, 4),
    "pad_to_bounding_box": lambda m, x: m.image.pad_to_bounding_box(x, 1, 2, 8, 10),
    "central_crop": lambda m, x: m.image.central_crop(x, 0.5),
    "central_crop 0.7": lambda m, x: m.image.central_crop(x[0], 0.7),
    "resize_with_crop_or_pad": lambda m, x: m.image.resize_with_crop_or_pad(x, 4, 9),
    "resize_with_crop_or_pad 2": lambda m, x: m.image.resize_with_crop_or_pad(x, 8, 3),
    "resize up": lambda m, x: m.image.resize(x, [9, 11]),
    "resize down": lambda m, x: m.image.resize(x, [3, 4]),
    "resize mixed": lambda m, x: m.image.resize(x[0], [8, 4]),
    "resize nearest": lambda m, x: m.image.resize(x, [9, 5], method="nearest"),
    "resize preserve_aspect_ratio": lambda m, x: m.image.resize(x, [10, 10],
                                                                preserve_aspect_ratio=True),
    "rgb_to_grayscale": lambda m, x: m.image.rgb_to_grayscale(x),
    "grayscale_to_rgb": lambda m, x: m.image.grayscale_to_rgb(x[..., :1]),
    "adjust_brightness": lambda m, x: m.image.adjust_brightness(x, 0.2),
    "per_image_standardization": lambda m, x: m.image.per_image_standardization(x),
    "convert_image_dtype to float64": lambda m, x: m.image.convert_image_dtype(x, m.float64),
    "rgb_to_hsv": lambda m, x: m.image.rgb_to_hsv(x),
    "hsv_to_rgb": lambda m, x: m.image.hsv_to_rgb(x),
    "adjust_hue": lambda m, x: m.image.adjust_hue(x, 0.3),
    "adjust_hue -0.7": lambda m, x: m.image.adjust_hue(x, -0.7),
    "adjust_saturation": lambda m, x: m.image.adjust_saturation(x, 1.7),
    "adjust_gamma": lambda m, x: m.image.adjust_gamma(x, 2.2, 0.9),
    "rgb_to_yiq": lambda m, x: m.image.rgb_to_yiq(x),
    "yiq_to_rgb": lambda m, x: m.image.yiq_to_rgb(x),
    "rgb_to_yuv": lambda m, x: m.image.rgb_to_yuv(x),
    "yuv_to_rgb": lambda m, x: m.image.yuv_to_rgb(x),
    "psnr": lambda m, x: m.image.psnr(x, x * 0.9, 1.0),
    "total_variation": lambda m, x: m.image.total_variation(x),
    "total_variation, one image": lambda m, x: m.image.total_variation(x[0]),
    "image_gradients": lambda m, x: m.concat(m.image.image_gradients(x), -1),
    "sobel_edges": lambda m, x: m.image.sobel_edges(x),
    "resize_with_pad": lambda m, x: m.image.resize_with_pad(x, 8, 8),
    "resize_with_pad, float32 rounding": lambda m, x: m.image.resize_with_pad(x[0], 3, 10),
    "ssim": lambda m, x: m.image.ssim(x, m.reverse(x, [0]), 1.0, filter_size=3),
    "ssim, index map": lambda m, x: m.image.ssim(x, x * 0.8, 1.0, filter_size=5,
                                                 filter_sigma=1.0, return_index_map=True),
    "ssim_multiscale": lambda m, x: m.image.ssim_multiscale(
        x, m.reverse(x, [0]), 1.0, power_factors=(0.2, 0.3, 0.5), filter_size=2),
    "stateless_random_brightness": lambda m, x: m.image.stateless_random_brightness(
        x, 0.3, seed=[1, 2]),
    "stateless_random_contrast": lambda m, x: m.image.stateless_random_contrast(
        x, 0.2, 1.5, seed=[1, 2]),
    "stateless_random_hue": lambda m, x: m.image.stateless_random_hue(x, 0.3, seed=[3, 2]),
    "stateless_random_saturation": lambda m, x: m.image.stateless_random_saturation(
        x, 0.2, 1.5, seed=[1, 5]),
    "stateless_random_flip_left_right": lambda m, x: m.image.stateless_random_flip_left_right(
        x, seed=[1, 2]),
    "stateless_random_flip_up_down, one": lambda m, x: m.image.stateless_random_flip_up_down(
        x[0], seed=[4, 2]),
}
# the stateful random functions, after the same global seed: TensorFlow's draws
SEEDED_PROGRAMS = {
    "random_flip_left_right": lambda m, x: m.image.random_flip_left_right(x),
    "random_flip_up_down, one": lambda m, x: m.image.random_flip_up_down(x[0]),
    "random_crop": lambda m, x: m.image.random_crop(x, [1, 3, 4, 3]),
    "random_brightness": lambda m, x: m.image.random_brightness(x, 0.2),
    "random_contrast": lambda m, x: m.image.random_contrast(x, 0.5, 1.5),
    "random_hue": lambda m, x: m.image.random_hue(x, 0.2),
    "random_saturation": lambda m, x: m.image.random_saturation(x, 0.5, 1.5),
}
UINT8_PROGRAMS = {
    "uint8 to float32": lambda m, x: m.image.convert_image_dtype(x, m.float32),
    "uint8 to int16": lambda m, x: m.image.convert_image_dtype(x, m.int16),
    "float32 to uint8, saturated": lambda m, x: m.image.convert_image_dtype(
        m.image.convert_image_dtype(x, m.float32) * 1.1, m.uint8, saturate=True),
    "int32 to uint8": lambda m, x: m.image.convert_image_dtype(m.cast(x, m.int32) * 1000000,
                                                              m.uint8),
    "uint8 rgb_to_grayscale": lambda m, x: m.image.rgb_to_grayscale(x),
    "uint8 adjust_brightness": lambda m, x: m.image.adjust_brightness(x, 0.3),
    "uint8 adjust_contrast": lambda m, x: m.image.adjust_contrast(x, 2.0),
    "uint8 resize nearest": lambda m, x: m.image.resize(x, [9, 5], method="nearest"),
    "uint8 resize bilinear": lambda m, x: m.image.resize(x, [9, 5]),
    "uint8 adjust_hue": lambda m, x: m.image.adjust_hue(x, 0.2),
    "uint8 adjust_saturation": lambda m, x: m.image.adjust_saturation(x, 0.5),
    "uint8 adjust_gamma": lambda m, x: m.image.adjust_gamma(x, 0.5),
    "uint8 psnr": lambda m, x: m.image.psnr(x, x // 2, 255),
    "uint8 ssim": lambda m, x: m.image.ssim(x, x // 2, 255, filter_size=3),
    "uint8 ssim_multiscale": lambda m, x: m.image.ssim_multiscale(
        x, x // 2, 255, power_factors=(0.6, 0.4), filter_size=3),
}


# TensorFlow registers no gradient for these kernels (tensorshell's are differentiable)
NO_TF_GRADIENT = {"adjust_hue", "adjust_hue -0.7", "adjust_saturation",
                  "stateless_random_contrast", "stateless_random_hue",
                  "stateless_random_saturation"}


def _run(m, name):
    x = m.constant(IMG if name in FLOAT_PROGRAMS else U8)
    program = FLOAT_PROGRAMS.get(name) or UINT8_PROGRAMS[name]
    if name not in FLOAT_PROGRAMS or name in NO_TF_GRADIENT:
        return program(m, x), None
    with m.GradientTape() as tape:
        tape.watch(x)
        y = program(m, x)
        flat = m.reshape(m.cast(y, m.float32), [-1])
        loss = m.reduce_sum(flat * WEIGHTS[:flat.shape[0]])
    return y, tape.gradient(loss, x)


@pytest.mark.tf_oracle
@pytest.mark.parametrize("name", sorted(FLOAT_PROGRAMS) + sorted(UINT8_PROGRAMS))
def test_same_results_and_gradients_as_tensorflow(name):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    (y, g), (ty, tg) = _run(ts, name), _run(tf, name)
    assert y.dtype.name == ty.dtype.name and y.shape == ty.shape
    np.testing.assert_allclose(y.numpy().astype(float), ty.numpy().astype(float), rtol=1e-5,
                               atol=1e-5)
    if tg is not None:
        np.testing.assert_allclose(g.numpy(), tg.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.tf_oracle
@pytest.mark.parametrize("name", sorted(SEEDED_PROGRAMS))
def test_seeded_augmentation_draws_as_tensorflow(name):
    tf = pytest.importorskip("tensorflow")
    results = []
    for m in (ts, tf):
        m.random.set_seed(7)
        results.append(SEEDED_PROGRAMS[name](m, m.constant(IMG)).numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5, atol=1e-5)


_BOXES = np.random.default_rng(1).random((40, 4)).astype(np.float32)
_BOXES[:, 2:] += _BOXES[:, :2]
_SCORES = np.random.default_rng(2).random(40).astype(np.float32)
_SCORES[5] = _SCORES[7]  # a tie: the lower index goes first, as in TensorFlow
NMS_PROGRAMS = {
    "nms": lambda m: m.image.non_max_suppression(_BOXES, _SCORES, 10, 0.3),
    "nms, score threshold": lambda m: m.image.non_max_suppression(_BOXES, _SCORES, 20, 0.5,
                                                                  score_threshold=0.4),
    "nms, corners swapped": lambda m: m.image.non_max_suppression(_BOXES[:, [2, 3, 0, 1]],
                                                                  _SCORES, 15, 0.2),
    "soft nms": lambda m: m.image.non_max_suppression_with_scores(_BOXES, _SCORES, 10, 0.5,
                                                                  soft_nms_sigma=0.5),
    "nms with scores": lambda m: m.image.non_max_suppression_with_scores(_BOXES, _SCORES, 10,
                                                                         0.4),
    "nms padded": lambda m: m.image.non_max_suppression_padded(
        _BOXES, _SCORES, 30, 0.2, pad_to_max_output_size=True),
    "nms overlaps": lambda m: m.image.non_max_suppression_overlaps(
        np.eye(40, dtype=np.float32) * 0.9 + 0.05, _SCORES, 12, 0.5),
}


@pytest.mark.tf_oracle
@pytest.mark.parametrize("name", sorted(NMS_PROGRAMS))
def test_non_max_suppression_as_tensorflow(name):
    tf = pytest.importorskip("tensorflow")
    ours, theirs = NMS_PROGRAMS[name](ts), NMS_PROGRAMS[name](tf)
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    for a, b in zip(ours, theirs):
        assert a.dtype.name == b.dtype.name
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_integer_images_scale_as_tensorflow_documents():
    c = ts.constant([[[1], [2]], [[127], [127]]], ts.int8)
    up = ts.image.convert_image_dtype(c, ts.int16)
    assert up.numpy().ravel().tolist() == [256, 512, 32512, 32512]
    assert ts.image.convert_image_dtype(up, ts.int8).numpy().ravel().tolist() == [1, 2, 127,
                                                                                  127]
    b = ts.image.convert_image_dtype(ts.constant([[[0.12], [0.34]]]), ts.int8)
    back = ts.image.convert_image_dtype(b, ts.float32).numpy().ravel()
    np.testing.assert_allclose(back, [0.11811024, 0.33858266], rtol=1e-6)
    assert ts.image.resize(ts.constant(U8), [3, 3]).dtype is ts.float32
    assert ts.image.resize(ts.constant(U8), [3, 3], method="nearest").dtype is ts.uint8


def test_random_flips_treat_each_image_of_a_batch_alone():
    batch = ts.constant(np.arange(64 * 2 * 2, dtype=np.float32).reshape(64, 2, 2, 1))
    flipped = ts.image.random_flip_left_right(batch, seed=1).numpy()
    same = [np.array_equal(f, b) for f, b in zip(flipped, batch.numpy())]
    assert 10 < sum(same) < 54  # some flipped, some not
    mirrored = [np.array_equal(f, b[:, ::-1]) for f, b in zip(flipped, batch.numpy())]
    assert all(s or m for s, m in zip(same, mirrored))
    crop = ts.image.random_crop(batch, [64, 1, 2, 1], seed=2)
    assert crop.shape == (64, 1, 2, 1)


@pytest.mark.parametrize("call, match", [
    (lambda: ts.image.flip_left_right(ts.ones((2, 3))), "height, width, channels"),
    (lambda: ts.image.crop_to_bounding_box(ts.ones((4, 4, 1)), 2, 2, 3, 3), "does not fit"),
    (lambda: ts.image.pad_to_bounding_box(ts.ones((4, 4, 1)), 1, 1, 4, 4), "does not fit"),
    (lambda: ts.image.central_crop(ts.ones((4, 4, 1)), 0), r"in \(0, 1\]"),
    (lambda: ts.image.resize(ts.ones((4, 4, 1)), [2, 2], method="cubic"),
     "'bilinear', 'nearest', 'bicubic', 'area'.*got 'cubic'"),
    (lambda: ts.image.resize(ts.ones((4, 4, 1)), [0, 2]), r"size must be positive, got \[0, 2\]"),
    (lambda: ts.image.rgb_to_grayscale(ts.ones((4, 4, 2))), "3 channels"),
])
def test_errors(call, match):
    with pytest.raises(ts.errors.InvalidArgumentError, match=match):
        call()


def test_ssim_multiscale():
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 1, (2, 170, 165, 3)).astype(np.float32)
    b = np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1).astype(np.float32)
    same = ts.image.ssim_multiscale(a, a, 1.0).numpy()
    np.testing.assert_allclose(same, [1.0, 1.0], rtol=1e-5)
    score = ts.image.ssim_multiscale(a, b, 1.0).numpy()
    assert score.shape == (2,) and (0.5 < score).all() and (score < 1).all()
    # one scale with weight 1 is SSIM itself
    np.testing.assert_allclose(ts.image.ssim_multiscale(a, b, 1.0, power_factors=(1.0,)).numpy(),
                               ts.image.ssim(a, b, 1.0).numpy(), rtol=1e-5)
    with pytest.raises(ts.errors.InvalidArgumentError, match="smaller than the 11x11 filter"):
        ts.image.ssim_multiscale(a[:, :100, :100], b[:, :100, :100], 1.0)


def test_combined_non_max_suppression():
    boxes = np.array([[[[0, 0, 1, 1]], [[0, 0.1, 1, 1.1]], [[0.5, 0.5, 1.5, 1.5]]]],
                     np.float32)                               # one set shared by the classes
    scores = np.array([[[0.9, 0.1], [0.8, 0.95], [0.3, 0.2]]], np.float32)
    nmsed, kept, classes, valid = ts.image.combined_non_max_suppression(
        boxes, scores, max_output_size_per_class=2, max_total_size=5)
    assert valid.numpy().tolist() == [4] and valid.dtype is ts.int32
    np.testing.assert_allclose(kept.numpy()[0], [0.95, 0.9, 0.3, 0.2, 0.0])
    assert classes.numpy()[0].tolist() == [1.0, 0.0, 0.0, 1.0, 0.0]
    np.testing.assert_allclose(nmsed.numpy()[0, 0], [0, 0.1, 1, 1])     # clipped to [0, 1]
    np.testing.assert_allclose(nmsed.numpy()[0, 2], [0.5, 0.5, 1, 1])
    unclipped = ts.image.combined_non_max_suppression(boxes, scores, 2, 5, clip_boxes=False)
    np.testing.assert_allclose(unclipped[0].numpy()[0, 2], [0.5, 0.5, 1.5, 1.5])
    padded = ts.image.combined_non_max_suppression(boxes, scores, 1, 10, pad_per_class=True)
    assert padded[1].shape == (1, 2)                    # 1 per class x 2 classes
    with pytest.raises(ts.errors.InvalidArgumentError, match="q 1 or num_classes"):
        ts.image.combined_non_max_suppression(boxes[:, :, 0], scores, 2, 5)


@pytest.mark.tf_oracle
def test_combined_non_max_suppression_as_tensorflow():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    for trial in range(12):
        batch, n, classes = 2, int(rng.integers(1, 12)), int(rng.integers(1, 5))
        q = 1 if trial % 2 else classes
        corner = rng.uniform(-0.2, 1, (batch, n, q, 2))
        boxes = np.concatenate([corner, corner + rng.uniform(0, 0.6, (batch, n, q, 2))],
                               -1).astype(np.float32)
        scores = rng.uniform(0, 1, (batch, n, classes)).astype(np.float32)
        kw = dict(max_output_size_per_class=int(rng.integers(1, 5)),
                  max_total_size=int(rng.integers(1, 10)), iou_threshold=0.4,
                  score_threshold=0.2, pad_per_class=trial % 3 == 0, clip_boxes=trial % 4 != 0)
        for ours, theirs in zip(ts.image.combined_non_max_suppression(boxes, scores, **kw),
                                tf.image.combined_non_max_suppression(boxes, scores, **kw)):
            assert ours.dtype.name == theirs.dtype.name
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
