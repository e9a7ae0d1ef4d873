"""``ts.image``: the image functions of input pipelines and augmentation, as TensorFlow
defines them — flips, rotations, crops and pads, resizing (bilinear, nearest, with
TensorFlow 2's half-pixel centres), colour conversions, brightness and contrast,
standardisation and dtype conversion. Images are ``[height, width, channels]`` or batches
``[batch, height, width, channels]``. Every function is built from other ops, so gradients
flow through (resizing included).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import dtypes
from ..errors import invalid
from ..tensor import convert_to_tensor
from .registry import NAMESPACES, as_tensor, composite, describe


def _image(value, name, label="image"):
    t = as_tensor(value, name, label)
    if t.ndim not in (3, 4):
        raise invalid(name, f"{label} must be [height, width, channels] or [batch, height, "
                      f"width, channels], got shape {t.shape}", [describe(t, label)],
                      kind="shape")
    return t


def _hw(t):
    return t.shape[-3], t.shape[-2]


# -- geometry ---------------------------------------------------------------------------------

def flip_left_right(image):
    """The image mirrored left to right."""
    from .shape import reverse
    t = _image(image, "flip_left_right")
    return reverse(t, [t.ndim - 2])


def flip_up_down(image):
    """The image upside down."""
    from .shape import reverse
    t = _image(image, "flip_up_down")
    return reverse(t, [t.ndim - 3])


def _random_flip(image, seed, axis_from_end, name):
    from .random import uniform
    from .shape import reverse, where
    t = _image(image, name)
    flipped = reverse(t, [t.ndim - axis_from_end])
    if t.ndim == 3:  # TensorFlow's draws and tests: u < 0.5 for one image,
        return flipped if float(uniform([], seed=seed)) < 0.5 else t
    mask = uniform([t.shape[0], 1, 1, 1], seed=seed) > 0.5  # round(u) == 1 for a batch
    return where(mask, flipped, t)


def random_flip_left_right(image, seed=None):
    """Each image mirrored left to right with probability 1/2."""
    return _random_flip(image, seed, 2, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """Each image turned upside down with probability 1/2."""
    return _random_flip(image, seed, 3, "random_flip_up_down")


def transpose(image, name=None):
    """Height and width swapped."""
    from .shape import transpose as transpose_
    t = _image(image, "transpose")
    perm = [1, 0, 2] if t.ndim == 3 else [0, 2, 1, 3]
    return transpose_(t, perm)


def rot90(image, k=1, name=None):
    """The image rotated counter-clockwise ``k`` quarter turns."""
    from .shape import reverse
    t = _image(image, "rot90")
    turns = int(k) % 4
    h, w = t.ndim - 3, t.ndim - 2
    if turns == 1:
        return transpose(reverse(t, [w]))
    if turns == 2:
        return reverse(t, [h, w])
    if turns == 3:
        return reverse(transpose(t), [w])
    return t


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The ``target_height`` x ``target_width`` window at the given offsets."""
    t = _image(image, "crop_to_bounding_box")
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height,
                                       target_width))
    height, width = _hw(t)
    if oh < 0 or ow < 0 or th <= 0 or tw <= 0 or oh + th > height or ow + tw > width:
        raise invalid("crop_to_bounding_box", f"the box at ({oh}, {ow}) of size {th} x {tw} "
                      f"does not fit an image of {height} x {width}", [describe(t, "image")])
    return t[..., oh:oh + th, ow:ow + tw, :]


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The image placed at the given offsets on a zero canvas of the target size."""
    from .shape import pad
    t = _image(image, "pad_to_bounding_box")
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height,
                                       target_width))
    height, width = _hw(t)
    after_h, after_w = th - oh - height, tw - ow - width
    if oh < 0 or ow < 0 or after_h < 0 or after_w < 0:
        raise invalid("pad_to_bounding_box", f"an image of {height} x {width} at ({oh}, "
                      f"{ow}) does not fit a canvas of {th} x {tw}", [describe(t, "image")])
    widths = [[0, 0]] * (t.ndim - 3) + [[oh, after_h], [ow, after_w], [0, 0]]
    return pad(t, widths)


def central_crop(image, central_fraction):
    """The central ``central_fraction`` (in (0, 1]) of each side."""
    t = _image(image, "central_crop")
    fraction = float(central_fraction)
    if not 0 < fraction <= 1:
        raise invalid("central_crop", f"central_fraction must be in (0, 1], got {fraction}")
    if fraction == 1:
        return t
    height, width = _hw(t)
    top = int((height - height * fraction) / 2)
    left = int((width - width * fraction) / 2)
    return t[..., top:height - top, left:width - left, :]


def resize_with_crop_or_pad(image, target_height, target_width):
    """Cropped or zero-padded about the centre to the target size."""
    t = _image(image, "resize_with_crop_or_pad")
    th, tw = int(target_height), int(target_width)
    height, width = _hw(t)
    crop_h, crop_w = min(height, th), min(width, tw)
    t = crop_to_bounding_box(t, max((height - th) // 2, 0), max((width - tw) // 2, 0),
                             crop_h, crop_w)
    return pad_to_bounding_box(t, max((th - height) // 2, 0), max((tw - width) // 2, 0),
                               th, tw)


def random_crop(value, size, seed=None, name=None):
    """A window of ``size`` (one entry per dimension) at a random offset."""
    from .random import uniform
    t = as_tensor(value, "random_crop", "value")
    want = [int(v) for v in np.asarray(convert_to_tensor(size).numpy()).reshape(-1)]
    if len(want) != t.ndim or any(w > s or w < 0 for w, s in zip(want, t.shape.as_list())):
        raise invalid("random_crop", f"size {want} does not fit a tensor of shape {t.shape}",
                      [describe(t, "value")])
    limits = [s - w + 1 for s, w in zip(t.shape.as_list(), want)]
    # TensorFlow's: int32 draws below int32's max, modulo each limit
    draws = uniform([len(want)], 0, 2**31 - 1, dtype=dtypes.int32, seed=seed).numpy()
    offsets = [int(d) % lim for d, lim in zip(draws, limits)]
    return t[tuple(slice(o, o + w) for o, w in zip(offsets, want))]


def stateless_random_crop(value, size, seed, name=None):
    """``random_crop`` fixed by ``seed`` (two ints): TensorFlow's window for the same seed."""
    from .random import stateless_uniform
    t = as_tensor(value, "stateless_random_crop", "value")
    want = [int(v) for v in np.asarray(convert_to_tensor(size).numpy()).reshape(-1)]
    if len(want) != t.ndim or any(w > s or w < 0 for w, s in zip(want, t.shape.as_list())):
        raise invalid("stateless_random_crop", f"size {want} does not fit a tensor of shape "
                      f"{t.shape}", [describe(t, "value")])
    limits = [s - w + 1 for s, w in zip(t.shape.as_list(), want)]
    draws = stateless_uniform([len(want)], seed, 0, 2**31 - 1, dtype=dtypes.int32).numpy()
    offsets = [int(d) % lim for d, lim in zip(draws, limits)]
    return t[tuple(slice(o, o + w) for o, w in zip(offsets, want))]


# -- sample_distorted_bounding_box: TensorFlow's sampler, its float32 arithmetic --------------

class _Words32:
    """TensorFlow's SimplePhilox over one Philox stream: RandFloat and Uniform(n)."""

    def __init__(self, key, counter):
        self._key, self._counter = key, counter
        self._words, self._pos = np.zeros(0, np.uint32), 0

    def next(self) -> int:
        if self._pos == len(self._words):
            from .philox import blocks
            start = len(self._words) // 4
            self._words = np.concatenate([self._words, blocks(
                np.arange(start, start + 64), self._key, self._counter).reshape(-1)])
        self._pos += 1
        return int(self._words[self._pos - 1])

    def rand_float(self) -> np.float32:
        from .philox import to_float32
        return np.float32(to_float32(np.array([self.next()], np.uint32))[0])

    def uniform(self, n: int) -> int:
        return self.next() % n


def _lrint(x) -> int:
    return int(np.rint(np.float32(x)))


def _random_crop_rect(width, height, min_rel, max_rel, aspect, rnd):
    """TensorFlow's GenerateRandomCrop: (x, y, w, h) or None."""
    f32 = np.float32
    if max_rel <= 0 or aspect <= 0 or width <= 0 or height <= 0 or min_rel > max_rel:
        return None
    min_area = f32(f32(min_rel * f32(width)) * f32(height))
    max_area = f32(f32(max_rel * f32(width)) * f32(height))
    h = _lrint(np.sqrt(f32(min_area / aspect)))
    max_h = _lrint(np.sqrt(f32(max_area / aspect)))
    if _lrint(f32(max_h) * aspect) > width:
        max_h = int((width + 0.5 - float(f32(0.0000001))) / float(aspect))
        if _lrint(f32(max_h) * aspect) > width:
            max_h -= 1
    max_h = min(max_h, height)
    h = min(h, max_h)
    if h < max_h:
        h += rnd.uniform(max_h - h + 1)
    w = _lrint(f32(h) * aspect)
    area = f32(w * h)
    if area < min_area:
        h += 1
        w = _lrint(f32(h) * aspect)
        area = f32(w * h)
    if area > max_area:
        h -= 1
        w = _lrint(f32(h) * aspect)
        area = f32(w * h)
    if area < min_area or area > max_area or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = rnd.uniform(height - h) if h < height else 0
    x = rnd.uniform(width - w) if w < width else 0
    return x, y, w, h


def _covers(crop, min_covered, boxes) -> bool:
    """TensorFlow's SatisfiesOverlapConstraints."""
    x, y, w, h = crop
    if w * h < 1:
        return False
    for bx0, by0, bx1, by1 in boxes:
        area = (bx1 - bx0) * (by1 - by0)
        if area < 1:
            continue
        ix0, iy0, ix1, iy1 = max(x, bx0), max(y, by0), min(x + w, bx1), min(y + h, by1)
        inter = 0 if ix0 > ix1 or iy0 > iy1 else (ix1 - ix0) * (iy1 - iy0)
        if np.float32(np.float32(inter) / np.float32(area)) >= np.float32(min_covered):
            return True
    return False


def _distorted_box(op_name, image_size, bounding_boxes, min_object_covered,
                   aspect_ratio_range, area_range, max_attempts, use_image, words_at):
    size_t = as_tensor(image_size, op_name, "image_size")
    dims = [int(v) for v in np.asarray(size_t.numpy()).reshape(-1)]
    if len(dims) != 3:
        raise invalid(op_name, f"image_size must be 1-D with 3 elements [height, width, "
                      f"depth], got {dims}", kind="shape")
    height, width = dims[0], dims[1]
    bb = np.asarray(as_tensor(bounding_boxes, op_name, "bounding_boxes", dtypes.float32)
                    .numpy(), np.float32)
    if bb.ndim != 3 or bb.shape[-1] != 4:
        raise invalid(op_name, f"bounding_boxes must be [batch, N, 4], got shape "
                      f"{list(bb.shape)}", kind="shape")
    boxes = []
    for ymin, xmin, ymax, xmax in bb.reshape(-1, 4):
        if not (0 <= ymin <= ymax <= 1 and 0 <= xmin <= xmax <= 1):
            corners = [float(ymin), float(xmin), float(ymax), float(xmax)]
            raise invalid(op_name, f"Invalid bounding box {corners}: corners must be in "
                          "[0, 1] and ordered")
        boxes.append((int(xmin * np.float32(width)), int(ymin * np.float32(height)),
                      int(xmax * np.float32(width)), int(ymax * np.float32(height))))
    if not boxes:
        if not use_image:
            raise invalid(op_name, "No bounding boxes provided as input. One must enable "
                          "use_image_if_no_bounding_boxes if you wish to not provide any "
                          "bounding boxes.")
        boxes.append((0, 0, width, height))
    aspect = [np.float32(v) for v in (aspect_ratio_range or (0.75, 1.33))]
    area = [np.float32(v) for v in (area_range or (0.05, 1.0))]
    attempts = 100 if max_attempts is None else int(max_attempts)
    if attempts <= 0:
        raise invalid(op_name, f"max_attempts must be positive, got {attempts}")
    covered = float(np.asarray(as_tensor(min_object_covered, op_name, "min_object_covered")
                               .numpy()))
    rnd = words_at(attempts)
    crop = None
    for _ in range(attempts):
        ratio = np.float32(rnd.rand_float() * np.float32(aspect[1] - aspect[0]) + aspect[0])
        rect = _random_crop_rect(width, height, area[0], area[1], ratio, rnd)
        if rect is not None and _covers(rect, covered, boxes):
            crop = rect
            break
    x, y, w, h = crop or (0, 0, width, height)
    begin = convert_to_tensor(np.array([y, x, 0], size_t.dtype.as_numpy_dtype))
    size = convert_to_tensor(np.array([h, w, -1], size_t.dtype.as_numpy_dtype))
    box = np.array([[[y / np.float32(height), x / np.float32(width), (y + h) /
                      np.float32(height), (x + w) / np.float32(width)]]], np.float32)
    return begin, size, convert_to_tensor(box)


def sample_distorted_bounding_box(image_size, bounding_boxes, seed=0, min_object_covered=0.1,
                                  aspect_ratio_range=None, area_range=None,
                                  max_attempts=None, use_image_if_no_bounding_boxes=None,
                                  name=None):
    """A random crop for augmentation, as TensorFlow samples it: ``(begin, size,
    bboxes)`` for ``ts.slice(image, begin, size)`` - a window of aspect ratio and area in
    the given ranges covering at least ``min_object_covered`` of one of ``bounding_boxes``
    ([batch, N, 4], normalised), the whole image after ``max_attempts`` failures.
    TensorFlow's values for the same seeds."""
    from .random import _stream

    size_dtype = as_tensor(image_size, "sample_distorted_bounding_box", "image_size").dtype

    def words_at(attempts):
        if not seed:
            # seed 0 (the default) means an unseeded kernel in TensorFlow 2: random draws,
            # and no op seed taken from the global sequence
            from .philox import key_counter
            words = np.random.SeedSequence().generate_state(2, np.uint64)
            return _Words32(*key_counter(int(words[0]) - 2 ** 63, int(words[1]) - 2 ** 63))
        # one stream per kernel (TensorFlow caches one per attribute set), 4 words reserved
        # per attempt on every call
        attrs = (size_dtype.name, [float(np.float32(v)) for v in aspect_ratio_range or
                                   (0.75, 1.33)],
                 [float(np.float32(v)) for v in area_range or (0.05, 1.0)], attempts,
                 bool(use_image_if_no_bounding_boxes))
        key, counter = _stream(f"sample_distorted_bounding_box{attrs}", seed,
                               dtypes.float32, 0, (4 * attempts + 3) // 4)
        return _Words32(key, counter)
    return _distorted_box("sample_distorted_bounding_box", image_size, bounding_boxes,
                          min_object_covered, aspect_ratio_range, area_range, max_attempts,
                          bool(use_image_if_no_bounding_boxes), words_at)


def stateless_sample_distorted_bounding_box(image_size, bounding_boxes, seed,
                                            min_object_covered=0.1, aspect_ratio_range=None,
                                            area_range=None, max_attempts=None,
                                            use_image_if_no_bounding_boxes=None, name=None):
    """``sample_distorted_bounding_box`` fixed by ``seed`` (two ints): TensorFlow's crop."""
    from .random import _key_counter
    key, counter = _key_counter(seed, "stateless_sample_distorted_bounding_box", None)
    return _distorted_box("stateless_sample_distorted_bounding_box", image_size,
                          bounding_boxes, min_object_covered, aspect_ratio_range, area_range,
                          max_attempts, bool(use_image_if_no_bounding_boxes),
                          lambda attempts: _Words32(key, counter))


# TensorFlow's default box colours (yellow, blue, red, lime, purple, olive, maroon, navy,
# aqua, fuchsia), RGBA
_BOX_COLOURS = np.array([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1],
                         [0.5, 0, 0.5, 1], [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1],
                         [0, 1, 1, 1], [1, 0, 1, 1]], np.float32)


def draw_bounding_boxes(images, boxes, colors=None, name=None):
    """``images`` [batch, height, width, 1|3|4] with each of ``boxes`` [batch, n, 4]
    (normalised ``y1, x1, y2, x2``) outlined one pixel wide in ``colors`` (cycling; default
    TensorFlow's ten), as TensorFlow draws them: edges outside the image left out, inverted
    boxes skipped."""
    op_name = "draw_bounding_boxes"
    img = as_tensor(images, op_name, "images")
    if img.ndim != 4:
        raise invalid(op_name, "The rank of the images should be 4", [describe(img, "images")],
                      kind="shape")
    depth = img.shape[-1]
    if depth not in (1, 3, 4):
        raise invalid(op_name, "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)",
                      [describe(img, "images")], kind="shape")
    bx = np.asarray(as_tensor(boxes, op_name, "boxes").numpy(), np.float32)
    if bx.ndim != 3 or bx.shape[-1] != 4 or bx.shape[0] != img.shape[0]:
        raise invalid(op_name, f"boxes must be [batch, num_boxes, 4] with the images' batch, "
                      f"got shape {list(bx.shape)}", kind="shape")
    table = np.zeros((0, 4), np.float32)
    if colors is not None:
        table = np.asarray(as_tensor(colors, op_name, "colors").numpy(), np.float32)
        if table.ndim != 2 or table.shape[1] < depth:
            raise invalid(op_name, f"colors must have equal or more channels than the image "
                          f"provided: {list(table.shape)}", kind="shape")
    if not len(table):
        table = _BOX_COLOURS.copy()
        if depth == 1:
            table[:, 0] = 1
    out_dtype = img.dtype if img.dtype.is_floating else dtypes.float32
    canvas = np.array(img.numpy(), dtype=out_dtype.as_numpy_dtype)
    height, width = canvas.shape[1:3]
    for b in range(canvas.shape[0]):
        for i, (y1, x1, y2, x2) in enumerate(bx[b]):
            colour = table[i % len(table), :depth]
            top, bottom = int(y1 * np.float32(height - 1)), int(y2 * np.float32(height - 1))
            left, right = int(x1 * np.float32(width - 1)), int(x2 * np.float32(width - 1))
            if top > bottom or left > right or top >= height or bottom < 0 or \
                    left >= width or right < 0:
                continue                       # inverted, or wholly outside: not drawn
            r0, r1 = max(top, 0), min(bottom, height - 1)
            c0, c1 = max(left, 0), min(right, width - 1)
            if top >= 0:
                canvas[b, top, c0:c1 + 1] = colour
            if bottom < height:
                canvas[b, bottom, c0:c1 + 1] = colour
            if left >= 0:
                canvas[b, r0:r1 + 1, left] = colour
            if right < width:
                canvas[b, r0:r1 + 1, right] = colour
    return convert_to_tensor(canvas)


# -- resizing ---------------------------------------------------------------------------------

def _source_positions(out_size, in_size):
    """Where each output pixel centre falls in the input (half-pixel centres)."""
    scale = in_size / out_size
    return (np.arange(out_size) + 0.5) * scale - 0.5


def _nearest(t, axis, out_size):
    """TensorFlow's ResizeNearestNeighbor with half-pixel centres along ``axis``."""
    from .shape import gather
    in_size = t.shape[axis]
    if out_size == in_size:
        return t
    index = np.minimum(np.floor((np.arange(out_size) + 0.5) * in_size / out_size),
                       in_size - 1).astype(np.int32)
    return gather(t, convert_to_tensor(index), axis=axis)


# Sampling kernels of TensorFlow's ScaleAndTranslate (its sampling_kernels.h): the function
# of the distance in input pixels, and its radius.
def _lanczos(radius):
    def k(x):
        x = np.abs(x)
        with np.errstate(invalid="ignore", divide="ignore"):
            v = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi ** 2 * x * x)
        return np.where(x > radius, 0.0, np.where(x <= 1e-3, 1.0, v))
    return k, float(radius)


def _gaussian(x, radius=1.5, sigma=0.5):
    x = np.abs(x)
    return np.where(x >= radius, 0.0, np.exp(-x * x / (2.0 * sigma * sigma)))


def _cubic(x, b_lo, b_hi):
    x = np.abs(x)
    return np.where(x >= 2, 0.0, np.where(x >= 1, b_hi(x), b_lo(x)))


_KERNELS = {
    "lanczos3": _lanczos(3),
    "lanczos5": _lanczos(5),
    "gaussian": (_gaussian, 1.5),
    "triangle": (lambda x: np.maximum(1 - np.abs(x), 0.0), 1.0),
    "keyscubic": (lambda x: _cubic(x, lambda x: ((1.5 * x - 2.5) * x) * x + 1.0,
                                   lambda x: ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0), 2.0),
    "mitchellcubic": (lambda x: _cubic(
        x, lambda x: (((7 / 6) * x - 2.0) * x) * x + 8 / 9,
        lambda x: (((-7 / 18) * x + 2.0) * x - 10 / 3) * x + 16 / 9), 2.0),
}


_TINY = 1000 * np.finfo(np.float32).tiny


def _banded(taps):
    """Per-output ``(input indices, weights)`` lists as two ``[out, K]`` arrays (K: the most
    taps of any output; missing taps weigh 0)."""
    k = max(1, max(len(i) for i, _ in taps))
    idx = np.zeros((len(taps), k), np.int32)
    w = np.zeros((len(taps), k), np.float64)
    for o, (i, c) in enumerate(taps):
        idx[o, :len(i)], w[o, :len(c)] = i, c
    return idx, w


@functools.lru_cache(maxsize=64)
def _scale_translate_taps(in_size, out_size, kernel, antialias):
    """TensorFlow's ScaleAndTranslate along one axis (scale out/in, no translation): each
    output centre samples the kernel over the input pixel centres it reaches (widened by the
    scale when shrinking with ``antialias``), weights normalised to sum to 1; centres outside
    the input sample nothing."""
    fn, radius = _KERNELS[kernel]
    inv_scale = np.float32(1) / (np.float32(out_size) / np.float32(in_size))
    kernel_scale = max(inv_scale, np.float32(1)) if antialias else np.float32(1)
    reach = radius * kernel_scale
    taps = []
    for x in range(out_size):
        sample = np.float32(x + 0.5) * inv_scale
        if sample < 0 or sample > in_size:
            taps.append(((), ()))
            continue
        start = min(max(int(np.ceil(sample - reach - 0.5)), 0), in_size - 1)
        stop = min(max(int(np.floor(sample + reach - 0.5)), 0), in_size - 1) + 1
        src = np.arange(start, stop)
        weights = fn((src + 0.5 - sample) / kernel_scale)
        total = weights.sum()
        taps.append((src, weights / total if abs(total) >= _TINY else 0 * weights))
    return _banded(taps)


_BICUBIC_TABLE = 1024


@functools.lru_cache(maxsize=64)
def _bicubic_taps(in_size, out_size):
    """TensorFlow's ResizeBicubic with half-pixel centres: Keys' cubic (a = -0.5) at the 4
    nearest input pixels, its coefficients read from a 1024-entry table as TensorFlow's
    kernel does; taps beyond the edge get no weight and the rest are renormalised."""
    a, n = -0.5, _BICUBIC_TABLE
    frac = np.arange(n + 1) / n
    near = ((a + 2) * frac - (a + 3)) * frac * frac + 1          # |d| in [0, 1]
    x = frac + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a               # |d| in [1, 2]
    scale = np.float32(in_size) / np.float32(out_size)
    pos = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5)
    loc = np.floor(pos)
    off = np.rint((pos - loc) * np.float32(n)).astype(np.int64)
    idx = loc.astype(np.int64)[:, None] + np.arange(-1, 3)
    w = np.stack([far[off], near[off], near[n - off], far[n - off]], axis=1)
    w = np.where((idx >= 0) & (idx < in_size), w, 0.0)
    total = w.sum(axis=1, keepdims=True)
    w = np.where(np.abs(total) >= _TINY, w / np.where(total == 0, 1, total), w)
    return np.clip(idx, 0, in_size - 1).astype(np.int32), w


@functools.lru_cache(maxsize=64)
def _bilinear_taps(in_size, out_size):
    """TensorFlow's ResizeBilinear with half-pixel centres: the two nearest input pixels,
    the position clamped to the image."""
    pos = np.clip(_source_positions(out_size, in_size), 0, in_size - 1)
    lo = np.floor(pos).astype(np.int32)
    frac = pos - lo
    return np.stack([lo, np.minimum(lo + 1, in_size - 1)], 1), np.stack([1 - frac, frac], 1)


@functools.lru_cache(maxsize=64)
def _area_taps(in_size, out_size):
    """TensorFlow's ResizeArea: each output pixel averages the input span it covers
    (``[o, o + 1) * in/out``), partly covered pixels by the part covered."""
    scale = np.float32(in_size) / np.float32(out_size)
    taps = []
    for o in range(out_size):
        lo, hi = np.float32(o) * scale, np.float32(o + 1) * scale
        span = range(int(np.floor(lo)), int(np.ceil(hi)))
        taps.append(([min(i, in_size - 1) for i in span],
                     [(min(i + 1, hi) - max(i, lo)) / scale for i in span]))
    return _banded(taps)


def _resample(t, axis, taps):
    """``t`` resampled along ``axis``: output ``o`` is the sum over ``k`` of
    ``t[idx[o, k]] * w[o, k]``. Small axes go through one matrix product (BLAS is ~10x faster
    than the gathers there); long ones gather once per tap, so the cost follows the taps,
    not the square of the size. Differentiable either way."""
    from .linalg import tensordot
    from .shape import gather, transpose
    idx, w = taps
    out, k = idx.shape
    in_size = t.shape[axis]
    dtype = t.dtype.as_numpy_dtype
    if in_size * out <= 1 << 21:
        dense = np.zeros((out, in_size), np.float64)
        np.add.at(dense, (np.repeat(np.arange(out), k), idx.reshape(-1)), w.reshape(-1))
        moved = tensordot(convert_to_tensor(dense.astype(dtype)), t, [[1], [axis]])
        return transpose(moved, list(range(1, axis + 1)) + [0] + list(range(axis + 1, t.ndim)))
    w_shape = [1] * t.ndim
    w_shape[axis] = out
    total = None
    for j in range(k):
        term = gather(t, convert_to_tensor(idx[:, j]), axis=axis) * \
            convert_to_tensor(w[:, j].astype(dtype).reshape(w_shape))
        total = term if total is None else total + term
    return total


_METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
            "mitchellcubic")


def resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False,
           name=None):
    """Images (``[batch,] height, width, channels``) resized to ``size`` ``[height, width]``,
    as TensorFlow 2 resizes them (half-pixel centres):

    - "bilinear", "bicubic" (Keys, a = -0.5): interpolation; with ``antialias=True`` the
      kernel widens when shrinking, so every input pixel contributes;
    - "nearest": the nearest pixel, in the input's dtype;
    - "area": each output pixel averages the input area it covers;
    - "lanczos3", "lanczos5", "gaussian", "mitchellcubic": those sampling kernels.

    Every method but "nearest" returns float32, as TensorFlow's. All are differentiable
    (``area`` too, which TensorFlow's is not).
    """
    from .shape import cast
    t = _image(images, "resize", "images")
    height, width = _hw(t)
    out_h, out_w = (int(v) for v in np.asarray(convert_to_tensor(size).numpy()).reshape(-1))
    if preserve_aspect_ratio:
        scale = min(out_h / height, out_w / width)
        out_h, out_w = max(int(round(height * scale)), 1), max(int(round(width * scale)), 1)
    method = str(getattr(method, "value", method)).lower()
    if method not in _METHODS:
        raise invalid("resize", f"method must be one of {', '.join(map(repr, _METHODS))}, "
                      f"got {method!r}")
    if out_h <= 0 or out_w <= 0:
        raise invalid("resize", f"size must be positive, got [{out_h}, {out_w}]")
    if method != "nearest" and t.dtype is not dtypes.float32:
        t = cast(t, dtypes.float32)
    # TensorFlow samples with ScaleAndTranslate for these kernels, and for bilinear and
    # bicubic with antialias (nearest and area ignore antialias)
    kernel = method if method in _KERNELS else \
        {"bilinear": "triangle", "bicubic": "keyscubic"}.get(method) if antialias else None
    h_axis, w_axis = t.ndim - 3, t.ndim - 2
    if kernel is not None:
        t = _resample(t, h_axis, _scale_translate_taps(height, out_h, kernel,
                                                       bool(antialias)))
        return _resample(t, w_axis, _scale_translate_taps(width, out_w, kernel,
                                                          bool(antialias)))
    if method != "nearest":
        taps = {"bicubic": _bicubic_taps, "area": _area_taps,
                "bilinear": _bilinear_taps}[method]
        if out_h != height:
            t = _resample(t, h_axis, taps(height, out_h))
        if out_w != width:
            t = _resample(t, w_axis, taps(width, out_w))
        return t
    return _nearest(_nearest(t, h_axis, out_h), w_axis, out_w)


class ResizeMethod:
    """The method names ``resize`` takes."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


# -- colour and intensity ---------------------------------------------------------------------

def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Integer images span ``[0, MAX]`` and float images ``[0, 1]``: values are rescaled
    between them (integer to integer by a power of two), as TensorFlow does."""
    from .composites import saturate_cast
    from .elementwise import floordiv
    from .shape import cast
    t = as_tensor(image, "convert_image_dtype", "image")
    d = dtypes.as_dtype(dtype)
    if t.dtype is d:
        return t
    if not (t.dtype.is_integer or t.dtype.is_floating) or not (d.is_integer or d.is_floating):
        raise invalid("convert_image_dtype", f"images are integers or floats, not "
                      f"{t.dtype.name} -> {d.name}", [describe(t, "image")], kind="dtype")
    to = saturate_cast if saturate else cast
    if t.dtype.is_integer and d.is_integer:
        if t.dtype.max > d.max:
            return to(floordiv(t, (t.dtype.max + 1) // (d.max + 1)), d)
        return to(t, d) * ((d.max + 1) // (t.dtype.max + 1))
    if t.dtype.is_floating and d.is_floating:
        return cast(t, d)
    if t.dtype.is_integer:
        return cast(t, d) * (1.0 / t.dtype.max)
    return to(t * (d.max + 0.5), d)


def rgb_to_grayscale(images, name=None):
    """Luma from RGB (ITU-R 601 weights), keeping a channel dimension of 1."""
    from .linalg import tensordot
    from .shape import expand_dims
    t = as_tensor(images, "rgb_to_grayscale", "images")
    if t.ndim < 1 or t.shape[-1] != 3:
        raise invalid("rgb_to_grayscale", f"images must have 3 channels, got shape "
                      f"{t.shape}", [describe(t, "images")], kind="shape")
    work = convert_image_dtype(t, dtypes.float32) if not t.dtype.is_floating else t
    weights = convert_to_tensor(np.array([0.2989, 0.5870, 0.1140],
                                         dtype=work.dtype.as_numpy_dtype))
    gray = expand_dims(tensordot(work, weights, [[-1], [-1]]), -1)
    return convert_image_dtype(gray, t.dtype)


def grayscale_to_rgb(images, name=None):
    """The single channel repeated as red, green and blue."""
    from .shape import concat
    t = as_tensor(images, "grayscale_to_rgb", "images")
    if t.ndim < 1 or t.shape[-1] != 1:
        raise invalid("grayscale_to_rgb", f"images must have 1 channel, got shape {t.shape}",
                      [describe(t, "images")], kind="shape")
    return concat([t, t, t], -1)


def adjust_brightness(image, delta):
    """``delta`` added to every pixel (in the image's [0, 1] scale for integer images)."""
    t = as_tensor(image, "adjust_brightness", "image")
    work = convert_image_dtype(t, dtypes.float32) if not t.dtype.is_floating else t
    return convert_image_dtype(work + delta, t.dtype, saturate=True)


def adjust_contrast(images, contrast_factor):
    """Each channel moved away from (or towards) its mean over the image by
    ``contrast_factor``."""
    from .reduction import reduce_mean
    t = _image(images, "adjust_contrast", "images")
    work = convert_image_dtype(t, dtypes.float32) if not t.dtype.is_floating else t
    mean = reduce_mean(work, [t.ndim - 3, t.ndim - 2], keepdims=True)
    return convert_image_dtype((work - mean) * contrast_factor + mean, t.dtype, saturate=True)


def per_image_standardization(image):
    """Each image scaled to mean 0 and variance 1 (the deviation floored at
    ``1 / sqrt(pixels)``, so flat images do not divide by zero)."""
    from .elementwise import maximum, sqrt
    from .reduction import reduce_mean
    t = _image(image, "per_image_standardization")
    work = convert_image_dtype(t, dtypes.float32) if not t.dtype.is_floating else t
    axes = [t.ndim - 3, t.ndim - 2, t.ndim - 1]
    count = math.prod(t.shape.as_list()[-3:])
    mean = reduce_mean(work, axes, keepdims=True)
    std = sqrt(reduce_mean((work - mean) * (work - mean), axes, keepdims=True))
    return (work - mean) / maximum(std, 1 / math.sqrt(max(count, 1)))


# -- colour spaces ----------------------------------------------------------------------------

def _rgb(images, name):
    t = as_tensor(images, name, "images")
    if t.ndim < 1 or t.shape[-1] != 3:
        raise invalid(name, f"images must have 3 channels (the last dimension), got shape "
                      f"{t.shape}", [describe(t, "images")], kind="shape")
    if not t.dtype.is_floating:
        raise invalid(name, f"images must be floating-point in [0, 1], got {t.dtype.name}",
                      [describe(t, "images")], kind="dtype",
                      hint="ts.image.convert_image_dtype(images, ts.float32)")
    return t


def _channels(t):
    return t[..., 0], t[..., 1], t[..., 2]


def rgb_to_hsv(images, name=None):
    """Hue, saturation and value in [0, 1] from RGB in [0, 1] (TensorFlow's formulas:
    hue 0 where the pixel is grey, saturation 0 where it is black)."""
    from .elementwise import equal, maximum, minimum
    from .shape import stack, where
    t = _rgb(images, "rgb_to_hsv")
    r, g, b = _channels(t)
    value = maximum(maximum(r, g), b)
    span = value - minimum(minimum(r, g), b)
    zero = 0 * span
    safe_span = where(span > 0, span, zero + 1)
    saturation = where(value > 0, span / where(value > 0, value, zero + 1), zero)
    hue = where(equal(value, r), (g - b) / safe_span,
                where(equal(value, g), 2 + (b - r) / safe_span, 4 + (r - g) / safe_span)) / 6
    hue = where(span > 0, where(hue < 0, hue + 1, hue), zero)
    return stack([hue, saturation, value], -1)


def hsv_to_rgb(images, name=None):
    """RGB from hue, saturation and value, all in [0, 1]."""
    from .elementwise import abs as abs_, floor, floormod
    from .shape import cast, stack, where
    t = _rgb(images, "hsv_to_rgb")
    h, s, v = _channels(t)
    c = s * v
    m = v - c
    dh = h * 6
    sector = floor(dh)
    x = c * (1 - abs_(floormod(dh, 2.0) - 1))
    zero = 0 * c

    def pick(values):
        out = zero
        for k, val in enumerate(values):
            out = where(cast(sector, dtypes.int32) == k, val, out)
        return out
    r = pick([c, x, zero, zero, x, c])
    g = pick([x, c, c, x, zero, zero])
    b = pick([zero, zero, x, c, c, x])
    return stack([r + m, g + m, b + m], -1)


def _float_image(image, name):
    t = as_tensor(image, name, "image")
    if t.ndim < 1 or t.shape[-1] != 3:
        raise invalid(name, f"image must have 3 channels (the last dimension), got shape "
                      f"{t.shape}", [describe(t, "image")], kind="shape")
    work = t if t.dtype in (dtypes.float16, dtypes.float32) else \
        convert_image_dtype(t, dtypes.float32)
    return t, work


def adjust_hue(image, delta, name=None):
    """The hue turned by ``delta`` (a fraction of the colour wheel, in [-1, 1])."""
    from .elementwise import floormod
    from .shape import stack
    d = float(delta)
    if not -1 <= d <= 1:
        raise invalid("adjust_hue", f"delta must be in the interval [-1, 1], got {d}")
    t, work = _float_image(image, "adjust_hue")
    hsv = rgb_to_hsv(work)
    h, s, v = _channels(hsv)
    return convert_image_dtype(hsv_to_rgb(stack([floormod(h + d, 1.0), s, v], -1)),
                               t.dtype)


def adjust_saturation(image, saturation_factor, name=None):
    """The saturation scaled by ``saturation_factor`` (and kept in [0, 1])."""
    from .elementwise import clip_by_value
    from .shape import stack
    t, work = _float_image(image, "adjust_saturation")
    hsv = rgb_to_hsv(work)
    h, s, v = _channels(hsv)
    s = clip_by_value(s * saturation_factor, 0.0, 1.0)
    return convert_image_dtype(hsv_to_rgb(stack([h, s, v], -1)), t.dtype)


def adjust_gamma(image, gamma=1, gain=1):
    """``gain * image ** gamma`` on the [0, 1] scale (gamma correction)."""
    t = as_tensor(image, "adjust_gamma", "image")
    if float(gamma) < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    work = t if t.dtype in (dtypes.float16, dtypes.float32) else \
        convert_image_dtype(t, dtypes.float32)
    return convert_image_dtype(gain * work ** gamma, t.dtype, saturate=True)


_YIQ = ((0.299, 0.59590059, 0.2115), (0.587, -0.27455667, -0.52273617),
        (0.114, -0.32134392, 0.31119955))
_YIQ_INV = ((1, 1, 1), (0.95598634, -0.27201283, -1.10674021),
            (0.6208248, -0.64720424, 1.70423049))
_YUV = ((0.299, -0.14714119, 0.61497538), (0.587, -0.28886916, -0.51496512),
        (0.114, 0.43601035, -0.10001026))
_YUV_INV = ((1, 1, 1), (0, -0.394642334, 2.03206185), (1.13988303, -0.58062185, 0))


def _colour_matrix(images, kernel, name):
    from .linalg import tensordot
    t = _rgb(images, name)
    return tensordot(t, convert_to_tensor(np.array(kernel, t.dtype.as_numpy_dtype)),
                     [[t.ndim - 1], [0]])


def rgb_to_yiq(images):
    """YIQ (NTSC) from RGB in [0, 1]."""
    return _colour_matrix(images, _YIQ, "rgb_to_yiq")


def yiq_to_rgb(images):
    """RGB from YIQ."""
    return _colour_matrix(images, _YIQ_INV, "yiq_to_rgb")


def rgb_to_yuv(images):
    """YUV from RGB in [0, 1]."""
    return _colour_matrix(images, _YUV, "rgb_to_yuv")


def yuv_to_rgb(images):
    """RGB from YUV."""
    return _colour_matrix(images, _YUV_INV, "yuv_to_rgb")


# -- measures ---------------------------------------------------------------------------------

def _peak(max_val, dtype, op_name):
    """``max_val`` in the images' dtype, on the float32 [0, 1] scale they are compared on
    (255 for uint8 images becomes 1.0), as TensorFlow converts it."""
    from .shape import cast
    return convert_image_dtype(cast(as_tensor(max_val, op_name, "max_val"), dtype),
                               dtypes.float32)


def psnr(a, b, max_val, name=None):
    """Peak signal-to-noise ratio between images in dB, per image (over the last three
    dimensions), computed in float32 on the images' [0, 1] scale as TensorFlow does."""
    from .elementwise import log, squared_difference
    from .reduction import reduce_mean
    x, y = as_tensor(a, "psnr", "a"), as_tensor(b, "psnr", "b")
    if x.dtype is not y.dtype:
        raise invalid("psnr", f"a and b must have the same dtype, got {x.dtype.name} and "
                      f"{y.dtype.name}", [describe(x, "a"), describe(y, "b")], kind="dtype")
    peak = _peak(max_val, x.dtype, "psnr")
    x, y = convert_image_dtype(x, dtypes.float32), convert_image_dtype(y, dtypes.float32)
    mse = reduce_mean(squared_difference(x, y), [-3, -2, -1])
    return 20 * log(peak) / math.log(10.0) - np.float32(10 / np.log(10)) * log(mse)


def total_variation(images, name=None):
    """The sum of absolute differences between neighbouring pixels, per image (a scalar for
    one image)."""
    from .elementwise import abs as abs_
    from .reduction import reduce_sum
    t = _image(images, "total_variation", "images")
    rows = abs_(t[..., 1:, :, :] - t[..., :-1, :, :])
    cols = abs_(t[..., :, 1:, :] - t[..., :, :-1, :])
    axes = None if t.ndim == 3 else [1, 2, 3]
    return reduce_sum(rows, axes) + reduce_sum(cols, axes)


def image_gradients(image):
    """``(dy, dx)``: differences to the next row and column of a [batch, h, w, c] image,
    zero in the last row (dy) and column (dx)."""
    from .shape import pad
    t = as_tensor(image, "image_gradients", "image")
    if t.ndim != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not "
                         f"{t.shape}.")
    dy = pad(t[:, 1:] - t[:, :-1], [[0, 0], [0, 1], [0, 0], [0, 0]])
    dx = pad(t[:, :, 1:] - t[:, :, :-1], [[0, 0], [0, 0], [0, 1], [0, 0]])
    return dy, dx


def sobel_edges(image):
    """Sobel filter responses [batch, h, w, channels, 2] (vertical then horizontal
    derivative), on an image padded by reflection as TensorFlow pads it."""
    from .conv import depthwise_conv2d
    from .shape import pad, stack
    t = as_tensor(image, "sobel_edges", "image")
    if t.ndim != 4 or not t.dtype.is_floating:
        raise invalid("sobel_edges", f"image must be a floating-point [batch, h, w, channels] "
                      f"tensor, got {t.dtype.name} {t.shape}", [describe(t, "image")],
                      kind="shape")
    kernels = (np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
               np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))
    padded = pad(t, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    channels = t.shape[-1]
    outs = []
    for k in kernels:
        filt = np.tile(k.astype(t.dtype.as_numpy_dtype)[:, :, None, None], (1, 1, channels, 1))
        outs.append(depthwise_conv2d(padded, convert_to_tensor(filt), [1, 1, 1, 1], "VALID"))
    return stack(outs, -1)


def resize_with_pad(image, target_height, target_width, method="bilinear", antialias=False):
    """Resized to fit inside the target keeping its aspect ratio, then padded with zeros to
    exactly the target (centred)."""
    t = _image(image, "resize_with_pad")
    th, tw = int(target_height), int(target_width)
    if th <= 0 or tw <= 0:
        raise ValueError("target_height and target_width must be > 0")
    h, w = (np.float32(v) for v in _hw(t))
    # TensorFlow's arithmetic, in float32 (5 / (5 / 3) is 2.9999998 there, so 2 rows)
    ratio = max(w / np.float32(tw), h / np.float32(th))
    fh, fw = h / ratio, w / ratio
    rh, rw = int(np.floor(fh)), int(np.floor(fw))
    resized = resize(t, [rh, rw], method=method, antialias=antialias)
    ph = max(0, int(np.floor((np.float32(th) - fh) / np.float32(2))))
    pw = max(0, int(np.floor((np.float32(tw) - fw) / np.float32(2))))
    return pad_to_bounding_box(resized, ph, pw, th, tw)


# -- random adjustments -----------------------------------------------------------------------

def _draw(lower, upper, seed, stateless):
    """The adjustment amount, from the global seed sequence or the seed pair (TensorFlow's
    draws, so the same seeds give its augmentations)."""
    from .random import stateless_uniform, uniform
    if stateless:
        return float(stateless_uniform([], seed, lower, upper))
    return float(uniform([], lower, upper, seed=seed))


def _delta(max_delta, seed, stateless, limit=None):
    if max_delta < 0 or (limit is not None and max_delta > limit):
        raise ValueError(f"max_delta must be in [0, {limit}]." if limit is not None else
                         "max_delta must be non-negative.")
    return _draw(-max_delta, max_delta, seed, stateless)


def _factor(lower, upper, seed, stateless):
    if upper <= lower or lower < 0:
        raise ValueError("need 0 <= lower < upper")
    return _draw(lower, upper, seed, stateless)


def random_brightness(image, max_delta, seed=None):
    """adjust_brightness by a delta drawn from [-max_delta, max_delta)."""
    return adjust_brightness(image, _delta(max_delta, seed, False))


def random_contrast(image, lower, upper, seed=None):
    """adjust_contrast by a factor drawn from [lower, upper)."""
    return adjust_contrast(image, _factor(lower, upper, seed, False))


def random_hue(image, max_delta, seed=None):
    """adjust_hue by a delta drawn from [-max_delta, max_delta), max_delta <= 0.5."""
    return adjust_hue(image, _delta(max_delta, seed, False, 0.5))


def random_saturation(image, lower, upper, seed=None):
    """adjust_saturation by a factor drawn from [lower, upper)."""
    return adjust_saturation(image, _factor(lower, upper, seed, False))


def stateless_random_brightness(image, max_delta, seed):
    """random_brightness fixed by ``seed`` (two ints)."""
    return adjust_brightness(image, _delta(max_delta, seed, True))


def stateless_random_contrast(image, lower, upper, seed):
    """random_contrast fixed by ``seed`` (two ints)."""
    return adjust_contrast(image, _factor(lower, upper, seed, True))


def stateless_random_hue(image, max_delta, seed):
    """random_hue fixed by ``seed`` (two ints)."""
    return adjust_hue(image, _delta(max_delta, seed, True, 0.5))


def stateless_random_saturation(image, lower, upper, seed):
    """random_saturation fixed by ``seed`` (two ints)."""
    return adjust_saturation(image, _factor(lower, upper, seed, True))


def _stateless_flip(image, seed, axis_from_end, name):
    from .random import stateless_uniform
    from .shape import reverse, where
    t = _image(image, name)
    flipped = reverse(t, [t.ndim - axis_from_end])
    if t.ndim == 3:
        return flipped if float(stateless_uniform([], seed)) < 0.5 else t
    return where(stateless_uniform([t.shape[0], 1, 1, 1], seed) > 0.5, flipped, t)


def stateless_random_flip_left_right(image, seed):
    """random_flip_left_right fixed by ``seed`` (two ints)."""
    return _stateless_flip(image, seed, 2, "stateless_random_flip_left_right")


def stateless_random_flip_up_down(image, seed):
    """random_flip_up_down fixed by ``seed`` (two ints)."""
    return _stateless_flip(image, seed, 3, "stateless_random_flip_up_down")


# -- structural similarity --------------------------------------------------------------------

def _gaussian_kernel(size, sigma, d):
    """TensorFlow's _fspecial_gauss: a normalised 2-D Gaussian [size, size, 1, 1]."""
    coords = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = -0.5 * coords ** 2 / sigma ** 2
    g = g[None, :] + g[:, None]
    g = np.exp(g - g.max())
    return convert_to_tensor((g / g.sum()).reshape(size, size, 1, 1).astype(d.as_numpy_dtype))


def _ssim_inputs(img1, img2, max_val, op_name):
    """Both images as float32 on the [0, 1] scale, and the peak value on that scale."""
    t1 = as_tensor(img1, op_name, "img1")
    t2 = as_tensor(img2, op_name, "img2", t1.dtype)
    x, y = convert_image_dtype(t1, dtypes.float32), convert_image_dtype(t2, dtypes.float32)
    if x.ndim < 3 or tuple(x.shape) != tuple(y.shape):
        raise invalid(op_name, f"images must have the same shape [..., height, width, "
                      f"channels], got {x.shape} and {y.shape}", kind="shape")
    return x, y, _peak(max_val, t1.dtype, op_name)


def _ssim_parts(x, y, peak, filter_size, filter_sigma, k1, k2, op_name="ssim"):
    """Per-channel luminance x contrast-structure maps and the contrast-structure maps."""
    from .conv import depthwise_conv2d
    from .shape import reshape, tile
    h, w, c = x.shape[-3:]
    if h < filter_size or w < filter_size:
        raise invalid(op_name, f"images of {h}x{w} are smaller than the {filter_size}x"
                      f"{filter_size} filter", kind="shape")
    kernel = tile(_gaussian_kernel(int(filter_size), float(filter_sigma), x.dtype),
                  [1, 1, c, 1])
    lead = list(x.shape[:-3])

    def reducer(v):
        flat = reshape(v, [-1, h, w, c])
        out = depthwise_conv2d(flat, kernel, [1, 1, 1, 1], "VALID")
        return reshape(out, lead + list(out.shape[1:]))
    c1 = (k1 * peak) ** 2
    c2 = (k2 * peak) ** 2
    mean0, mean1 = reducer(x), reducer(y)
    num0 = mean0 * mean1 * 2.0
    den0 = mean0 * mean0 + mean1 * mean1
    luminance = (num0 + c1) / (den0 + c1)
    cs = (reducer(x * y) * 2.0 - num0 + c2) / (reducer(x * x + y * y) - den0 + c2)
    return luminance * cs, cs


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         return_index_map=False):
    """Structural similarity of two images (or batches), TensorFlow's formula: an 11x11
    Gaussian window (sigma 1.5), averaged over the image and the channels; 1 for equal
    images. Computed in float32 on the [0, 1] scale of integer images; differentiable."""
    from .reduction import reduce_mean
    x, y, peak = _ssim_inputs(img1, img2, max_val, "ssim")
    per_channel, _ = _ssim_parts(x, y, peak, filter_size, filter_sigma, k1, k2)
    if return_index_map:
        return reduce_mean(per_channel, [-1])
    return reduce_mean(reduce_mean(per_channel, [-3, -2]), [-1])


_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def ssim_multiscale(img1, img2, max_val, power_factors=_MSSSIM_WEIGHTS, filter_size=11,
                    filter_sigma=1.5, k1=0.01, k2=0.03):
    """Multi-scale structural similarity (Wang et al. 2003), TensorFlow's version: the
    contrast-structure term at each scale (the images halved by 2x2 averaging between
    scales, odd sizes padded by mirroring) and the full SSIM at the coarsest, combined as a
    geometric mean weighted by ``power_factors``; averaged over the channels."""
    from .elementwise import pow as _pow, relu
    from .conv import avg_pool
    from .reduction import reduce_mean, reduce_prod
    from .shape import pad, reshape, stack
    x, y, peak = _ssim_inputs(img1, img2, max_val, "ssim_multiscale")
    lead = list(x.shape[:-3])
    scores = []
    for k in range(len(power_factors)):
        if k:
            h, w, c = x.shape[-3:]
            grow = [[0, 0], [0, h % 2], [0, w % 2], [0, 0]]
            x, y = (reshape(avg_pool(pad(reshape(t, [-1, h, w, c]), grow, mode="SYMMETRIC"),
                                     [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
                            lead + [(h + h % 2) // 2, (w + w % 2) // 2, c]) for t in (x, y))
        full, cs = _ssim_parts(x, y, peak, filter_size, filter_sigma, k1, k2,
                               "ssim_multiscale")
        scores.append(relu(reduce_mean(cs, [-3, -2])))
    scores[-1] = relu(reduce_mean(full, [-3, -2]))
    weights = convert_to_tensor(np.asarray(power_factors, np.float32))
    return reduce_mean(reduce_prod(_pow(stack(scores, axis=-1), weights), [-1]), [-1])


# -- non-maximum suppression --------------------------------------------------------------------

def _iou(boxes, i, others):
    """Intersection over union of box i with ``others`` ([y1, x1, y2, x2] in any corner
    order), 0 where either box is empty (TensorFlow's rule)."""
    b = boxes
    y1, x1 = np.minimum(b[:, 0], b[:, 2]), np.minimum(b[:, 1], b[:, 3])
    y2, x2 = np.maximum(b[:, 0], b[:, 2]), np.maximum(b[:, 1], b[:, 3])
    area = (y2 - y1) * (x2 - x1)
    ih = np.maximum(np.minimum(y2[i], y2[others]) - np.maximum(y1[i], y1[others]), 0)
    iw = np.maximum(np.minimum(x2[i], x2[others]) - np.maximum(x1[i], x1[others]), 0)
    inter = ih * iw
    union = area[i] + area[others] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = np.where((area[i] > 0) & (area[others] > 0), inter / union, 0.0)
    return iou


def _nms(scores, max_output_size, threshold, score_threshold, overlap_fn, soft_sigma=0.0):
    """Greedy selection: highest score first (the lower index on ties), dropping
    candidates that overlap a selected one by more than ``threshold``; with
    ``soft_sigma`` > 0, scores decay by exp(-overlap^2 / (2 sigma)) instead (Soft-NMS)."""
    score = np.asarray(scores, np.float64).copy()
    chosen, chosen_scores = [], []
    alive = score > score_threshold
    while len(chosen) < max_output_size and alive.any():
        candidates = np.flatnonzero(alive)
        best = candidates[np.lexsort((candidates, -score[candidates]))[0]]
        chosen.append(int(best))
        chosen_scores.append(score[best])
        alive[best] = False
        rest = np.flatnonzero(alive)
        if not rest.size:
            break
        overlap = overlap_fn(best, rest)
        if soft_sigma > 0:  # TensorFlow's weight: exp(-0.5 IoU^2 / sigma), no threshold
            score[rest] = score[rest] * np.exp(-0.5 * overlap * overlap / soft_sigma)
            alive[rest] = score[rest] > score_threshold
        else:
            alive[rest[overlap > threshold]] = False
    return np.asarray(chosen, np.int32), np.asarray(chosen_scores)


def _nms_inputs(boxes, scores, name):
    b = as_tensor(boxes, name, "boxes")
    sc = as_tensor(scores, name, "scores")
    if b.ndim != 2 or b.shape[-1] != 4 or sc.ndim != 1 or sc.shape[0] != b.shape[0]:
        raise invalid(name, f"boxes must be [num_boxes, 4] and scores [num_boxes], got "
                      f"{b.shape} and {sc.shape}", [describe(b, "boxes"),
                                                   describe(sc, "scores")], kind="shape")
    return b, sc, np.asarray(b.numpy(), np.float64)


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf"), name=None):
    """The indices (int32) of at most ``max_output_size`` boxes, highest score first,
    leaving out any box whose IoU with a chosen one exceeds ``iou_threshold``."""
    b, sc, host = _nms_inputs(boxes, scores, "non_max_suppression")
    picked, _ = _nms(sc.numpy(), int(max_output_size), float(iou_threshold),
                     float(score_threshold), lambda i, rest: _iou(host, i, rest))
    return convert_to_tensor(picked)


def non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5,
                                    score_threshold=float("-inf"), soft_nms_sigma=0.0,
                                    name=None):
    """``(indices, scores)``: hard NMS, or Soft-NMS (Bodla et al.) with ``soft_nms_sigma`` >
    0, where overlapping boxes' scores decay by exp(-IoU^2 / (2 sigma)) instead."""
    b, sc, host = _nms_inputs(boxes, scores, "non_max_suppression_with_scores")
    picked, kept = _nms(sc.numpy(), int(max_output_size), float(iou_threshold),
                        float(score_threshold), lambda i, rest: _iou(host, i, rest),
                        float(soft_nms_sigma))
    return convert_to_tensor(picked), convert_to_tensor(kept.astype(sc.dtype.as_numpy_dtype))


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size,
                                 iou_threshold=0.5, score_threshold=float("-inf"),
                                 pad_per_class=False, clip_boxes=True, name=None):
    """Non-maximum suppression per class, then the best ``max_total_size`` detections of all
    classes, for a batch: ``boxes`` ``[batch, num_boxes, q, 4]`` (q 1: shared by the classes,
    or one per class), ``scores`` ``[batch, num_boxes, num_classes]``.

    Returns ``(boxes [batch, n, 4], scores [batch, n], classes [batch, n], valid [batch])``,
    zero-padded beyond ``valid``; ``n`` is ``max_total_size`` (with ``pad_per_class``, at
    most ``max_output_size_per_class * num_classes``). Boxes are clipped to [0, 1] unless
    ``clip_boxes=False``.
    """
    from .shape import cast
    name_ = "combined_non_max_suppression"
    b = as_tensor(boxes, name_, "boxes")
    sc = as_tensor(scores, name_, "scores")
    if b.ndim != 4 or b.shape[-1] != 4 or sc.ndim != 3 or sc.shape[:2] != b.shape[:2] or \
            b.shape[2] not in (1, sc.shape[2]):
        raise invalid(name_, "boxes must be [batch, num_boxes, q, 4] with q 1 or num_classes, "
                      f"and scores [batch, num_boxes, num_classes], got {b.shape} and "
                      f"{sc.shape}", [describe(b, "boxes"), describe(sc, "scores")],
                      kind="shape")
    per_class, total = int(max_output_size_per_class), int(max_total_size)
    if per_class <= 0 or total <= 0:
        raise invalid(name_, f"max_output_size_per_class and max_total_size must be positive, "
                      f"got {per_class} and {total}")
    host_boxes = np.asarray(b.numpy(), np.float64)
    host_scores = np.asarray(cast(sc, dtypes.float32).numpy(), np.float64)
    batch, _, q, _ = host_boxes.shape
    classes = host_scores.shape[2]
    size = min(total, per_class * classes) if pad_per_class else total
    out_boxes = np.zeros((batch, size, 4), np.float32)
    out_scores = np.zeros((batch, size), np.float32)
    out_classes = np.zeros((batch, size), np.float32)
    valid = np.zeros(batch, np.int32)
    for i in range(batch):
        found = []                                       # (score, class, box index)
        for c in range(classes):
            class_boxes = host_boxes[i, :, 0 if q == 1 else c]
            picked, kept = _nms(host_scores[i, :, c], per_class, float(iou_threshold),
                                float(score_threshold),
                                lambda j, rest, bx=class_boxes: _iou(bx, j, rest))
            found += [(score, c, j) for j, score in zip(picked, kept)]
        found.sort(key=lambda t: -t[0])
        found = found[:size]
        valid[i] = len(found)
        for k, (score, c, j) in enumerate(found):
            box = host_boxes[i, j, 0 if q == 1 else c]
            out_boxes[i, k] = np.clip(box, 0.0, 1.0) if clip_boxes else box
            out_scores[i, k], out_classes[i, k] = score, c
    return (convert_to_tensor(out_boxes), convert_to_tensor(out_scores),
            convert_to_tensor(out_classes), convert_to_tensor(valid))


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):
    """NMS with the pairwise overlaps given ([num_boxes, num_boxes])."""
    ov = as_tensor(overlaps, "non_max_suppression_overlaps", "overlaps")
    host = np.asarray(ov.numpy(), np.float64)
    picked, _ = _nms(as_tensor(scores, "non_max_suppression_overlaps", "scores").numpy(),
                     int(max_output_size), float(overlap_threshold), float(score_threshold),
                     lambda i, rest: host[i, rest])
    return convert_to_tensor(picked)


def non_max_suppression_padded(boxes, scores, max_output_size, iou_threshold=0.5,
                               score_threshold=float("-inf"), pad_to_max_output_size=False,
                               name=None, sorted_input=False, canonicalized_coordinates=False,
                               tile_size=512):
    """``(indices, valid_outputs)``: non_max_suppression, its indices zero-padded to
    ``max_output_size`` when ``pad_to_max_output_size``."""
    picked = non_max_suppression(boxes, scores, max_output_size, iou_threshold,
                                 score_threshold).numpy()
    valid = len(picked)
    if pad_to_max_output_size:
        picked = np.pad(picked, (0, int(max_output_size) - valid))
    return convert_to_tensor(picked.astype(np.int32)), convert_to_tensor(np.int32(valid))


for _fn in (rgb_to_hsv, hsv_to_rgb, adjust_hue, adjust_saturation, adjust_gamma, rgb_to_yiq,
            yiq_to_rgb, rgb_to_yuv, yuv_to_rgb, psnr, total_variation, image_gradients,
            sobel_edges, resize_with_pad, random_brightness, random_contrast, random_hue,
            random_saturation, stateless_random_brightness, stateless_random_contrast,
            stateless_random_hue, stateless_random_saturation,
            stateless_random_flip_left_right, stateless_random_flip_up_down, ssim,
            ssim_multiscale,
            non_max_suppression, non_max_suppression_with_scores, combined_non_max_suppression,
            non_max_suppression_overlaps, non_max_suppression_padded, stateless_random_crop,
            draw_bounding_boxes, sample_distorted_bounding_box,
            stateless_sample_distorted_bounding_box):
    composite(_fn, ("image",))
for _fn in (flip_left_right, flip_up_down, random_flip_left_right, random_flip_up_down,
            transpose, rot90, crop_to_bounding_box, pad_to_bounding_box, central_crop,
            resize_with_crop_or_pad, random_crop, resize, convert_image_dtype,
            rgb_to_grayscale, grayscale_to_rgb, adjust_brightness, adjust_contrast,
            per_image_standardization):
    composite(_fn, ("image",))
NAMESPACES["image"]["ResizeMethod"] = ResizeMethod
