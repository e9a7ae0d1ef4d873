"""Convolution layers on the CPU: tensorshell against NumPy written by hand (im2col through
``sliding_window_view`` and one ``tensordot``, what a NumPy user would write) and TensorFlow
eager / PyTorch when installed, in one run; GFLOP/s and the time relative to NumPy.

    python benchmarks/conv.py [--repeat 5] [--quick]

"conv2d" is the forward pass; "conv2d + grads" adds the gradients for the input and the
filter (three times the forward's FLOPs); max_pool2d is 2x2, stride 2.
"""

from __future__ import annotations

import argparse

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import tensorshell as ts
from timing import best

LAYERS = [  # (name, input NHWC, filter HWIO)
    ("3x3, 64->64 ch, 32x32, batch 32", (32, 32, 32, 64), (3, 3, 64, 64)),
    ("3x3, 3->32 ch, 64x64, batch 16", (16, 64, 64, 3), (3, 3, 3, 32)),
    ("3x3, 256->256 ch, 16x16, batch 8", (8, 16, 16, 256), (3, 3, 256, 256)),
]
QUICK = [("3x3, 8->8 ch, 8x8, batch 2", (2, 8, 8, 8), (3, 3, 8, 8))]


def numpy_conv_same(x, w):
    kh, kw = w.shape[:2]
    xp = np.pad(x, [(0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)])
    windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))  # (B, H, W, C, kh, kw)
    return np.tensordot(windows, w, axes=([4, 5, 3], [0, 1, 2]))


def numpy_max_pool(x):
    b, h, w, c = x.shape
    return x[:, :h // 2 * 2, :w // 2 * 2].reshape(b, h // 2, 2, w // 2, 2, c).max((2, 4))


def same_api(lib, xt, wt):
    """The runs for tensorshell or TensorFlow (one API); results are brought to the host,
    so TensorFlow's asynchronous kernels are timed to the end."""
    def grads():
        with lib.GradientTape() as tape:
            tape.watch([xt, wt])
            y = lib.reduce_sum(lib.nn.conv2d(xt, wt, 1, "SAME"))
        return [g.numpy() for g in tape.gradient(y, [xt, wt])]
    return {"conv2d": lambda: lib.nn.conv2d(xt, wt, 1, "SAME").numpy(),
            "conv2d + grads": grads,
            "max_pool2d": lambda: lib.nn.max_pool2d(xt, 2, 2, "VALID").numpy()}


def runners(x, w):
    out = {"numpy": {"conv2d": lambda: numpy_conv_same(x, w),
                     "max_pool2d": lambda: numpy_max_pool(x)}}
    out["tensorshell"] = same_api(ts, ts.constant(x), ts.constant(w))
    try:
        import tensorflow as tf
        with tf.device("/cpu:0"):
            out["tensorflow"] = same_api(tf, tf.constant(x), tf.constant(w))
    except Exception:  # noqa: BLE001 - not installed
        pass
    try:
        import torch
        xp_ = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
        wp = torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))
        pad = w.shape[0] // 2

        def torch_grads():
            a, b = xp_.clone().requires_grad_(), wp.clone().requires_grad_()
            torch.nn.functional.conv2d(a, b, padding=pad).sum().backward()
            return a.grad, b.grad
        with torch.no_grad():
            out["pytorch"] = {
                "conv2d": lambda: torch.nn.functional.conv2d(xp_, wp, padding=pad),
                "max_pool2d": lambda: torch.nn.functional.max_pool2d(xp_, 2, 2)}
        out["pytorch"]["conv2d + grads"] = torch_grads
    except Exception:  # noqa: BLE001 - not installed
        pass
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--quick", action="store_true", help="one tiny layer, one repetition")
    args = p.parse_args(argv)
    layers, repeat = (QUICK, 1) if args.quick else (LAYERS, args.repeat)
    print(f"threads: {ts.config.threading.get_intra_op_parallelism_threads()}, float32, "
          "best of", repeat)
    for name, xs, ws in layers:
        rng = np.random.default_rng(0)
        x = rng.standard_normal(xs, dtype=np.float32)
        w = rng.standard_normal(ws, dtype=np.float32)
        flops = 2 * np.prod(xs[:3]) * np.prod(ws)
        libs = runners(x, w)
        print(f"\n{name}  ({flops / 1e9:.2f} GFLOP forward)")
        print(f"{'':16}" + "".join(f"{lib:>24}" for lib in libs))
        for op in ("conv2d", "conv2d + grads", "max_pool2d"):
            times = {lib: best(fns[op], repeat) for lib, fns in libs.items() if op in fns}
            base = times.get("numpy")
            cells = []
            for lib in libs:
                t = times.get(lib)
                if t is None:
                    cells.append(f"{'-':>24}")
                    continue
                rate = (3 if "grads" in op else 1) * flops / t / 1e9
                ratio = f" {t / base:5.2f}x np" if base else ""
                unit = f"{rate:6.1f} GFLOP/s" if op != "max_pool2d" else f"{t * 1e3:7.2f} ms"
                cells.append(f"{unit + ratio:>24}")
            print(f"{op:16}" + "".join(cells))


if __name__ == "__main__":
    main()
