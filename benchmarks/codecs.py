"""Image codecs: tensorshell's PNG and JPEG decoding and encoding against TensorFlow's and
Pillow's (each only when installed), in one run, on one synthetic photo-like image.

    python benchmarks/codecs.py [--size 640x480] [--quick]

JPEG uses TensorFlow's defaults (quality 95, 4:2:0, fast IDCT); tensorshell's pixels and
bytes equal TensorFlow's, so the comparison is like for like.
"""

from __future__ import annotations

import argparse
import io
import os
import timeit

import numpy as np

import tensorshell as ts


def best(fn, repeat):
    fn()
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def photo(height, width):
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([np.sin(x / 23.0) * 80, np.cos(y / 17.0) * 80, np.sin((x + y) / 31.0) * 80],
                    -1) + 128
    return np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--quick", action="store_true", help="tiny image, one repetition")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    repeat = 5
    if args.quick:
        width, height, repeat = 64, 48, 1
    image = photo(height, width)
    jpeg = ts.io.encode_jpeg(image).numpy()
    png = ts.io.encode_png(image).numpy()
    rows = [("decode_jpeg", {"tensorshell": lambda: ts.io.decode_jpeg(jpeg)}),
            ("encode_jpeg", {"tensorshell": lambda: ts.io.encode_jpeg(image)}),
            ("  progressive", {"tensorshell": lambda: ts.io.encode_jpeg(image,
                                                                   progressive=True)}),
            ("decode_png", {"tensorshell": lambda: ts.io.decode_png(png)}),
            ("encode_png", {"tensorshell": lambda: ts.io.encode_png(image)})]
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
        rows[0][1]["tensorflow"] = lambda: tf.io.decode_jpeg(jpeg)
        rows[1][1]["tensorflow"] = lambda: tf.io.encode_jpeg(image)
        rows[2][1]["tensorflow"] = lambda: tf.io.encode_jpeg(image, progressive=True)
        rows[3][1]["tensorflow"] = lambda: tf.io.decode_png(png)
        rows[4][1]["tensorflow"] = lambda: tf.io.encode_png(image)
    except ImportError:
        pass
    try:
        from PIL import Image
        rows[0][1]["pillow"] = lambda: np.asarray(Image.open(io.BytesIO(jpeg)))
        rows[3][1]["pillow"] = lambda: np.asarray(Image.open(io.BytesIO(png)))
    except ImportError:
        pass
    print(f"{width}x{height} RGB, JPEG {len(jpeg)} bytes, PNG {len(png)} bytes")
    print(f"{'':14}{'tensorshell':>14}{'tensorflow':>14}{'pillow':>14}")
    for label, fns in rows:
        cells = []
        for lib in ("tensorshell", "tensorflow", "pillow"):
            fn = fns.get(lib)
            cells.append(f"{best(fn, repeat) * 1e3:11.2f} ms" if fn else f"{'-':>14}")
        print(f"{label:14}" + "".join(cells))


if __name__ == "__main__":
    main()
