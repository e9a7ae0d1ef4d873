"""Large-tensor CPU throughput: tensorshell against NumPy (and TensorFlow eager / PyTorch
when installed) in one run, next to the machine's measured memory-copy bandwidth.

    python benchmarks/throughput.py [--sizes 1e6 1e7 1e8] [--repeat 5] [--pause 1]

Bytes moved count every input read and every output written (add: 3 x 4 bytes per
element); exp and tanh report elements per second.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import tensorshell as ts
from timing import best


_copiers = ThreadPoolExecutor(max(ts.config.threading.get_intra_op_parallelism_threads() - 1,
                                   1))


def copy_on_every_core(dst, src):
    """``np.copyto`` split over as many threads as tensorshell's pool uses: the machine's
    copy bandwidth with every core streaming (memcpy's stores skip the read-for-ownership
    that an arithmetic loop's output pays, so elementwise ops stay below it)."""
    parts = _copiers._max_workers + 1
    bounds = np.linspace(0, src.size, parts + 1).astype(int)
    futures = [_copiers.submit(np.copyto, dst[bounds[i]:bounds[i + 1]],
                               src[bounds[i]:bounds[i + 1]]) for i in range(1, parts)]
    np.copyto(dst[:bounds[1]], src[:bounds[1]])
    for f in futures:
        f.result()


def cases(n):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(n, dtype=np.float32)
    y = rng.standard_normal(n, dtype=np.float32)
    b = 4 * n
    return x, y, [
        ("add", 3 * b, "GB/s", lambda m, a, c: m["add"](a, c)),
        ("multiply", 3 * b, "GB/s", lambda m, a, c: m["mul"](a, c)),
        ("exp", n, "Gelem/s", lambda m, a, c: m["exp"](a)),
        ("tanh", n, "Gelem/s", lambda m, a, c: m["tanh"](a)),
        ("cast f32->f64", b + 2 * b, "GB/s", lambda m, a, c: m["cast"](a)),
        ("reduce_sum", b, "GB/s", lambda m, a, c: m["sum"](a)),
        ("reduce_max", b, "GB/s", lambda m, a, c: m["max"](a)),
    ]


def backends(x, y):
    out = {"numpy": (x, y, {"add": np.add, "mul": np.multiply, "exp": np.exp,
                            "tanh": np.tanh, "cast": lambda a: a.astype(np.float64),
                            "sum": np.add.reduce, "max": np.maximum.reduce}),
           "tensorshell": (ts.constant(x), ts.constant(y),
                           {"add": ts.add, "mul": ts.multiply, "exp": ts.exp,
                            "tanh": ts.tanh, "cast": lambda a: ts.cast(a, ts.float64),
                            "sum": ts.reduce_sum, "max": ts.reduce_max})}
    try:
        import tensorflow as tf
        with tf.device("/cpu:0"):
            out["tensorflow"] = (tf.constant(x), tf.constant(y),
                                 {"add": tf.add, "mul": tf.multiply, "exp": tf.exp,
                                  "tanh": tf.tanh, "cast": lambda a: tf.cast(a, tf.float64),
                                  "sum": tf.reduce_sum, "max": tf.reduce_max})
    except Exception:  # noqa: BLE001 - not installed
        pass
    try:
        import torch
        out["pytorch"] = (torch.from_numpy(x), torch.from_numpy(y),
                          {"add": torch.add, "mul": torch.mul, "exp": torch.exp,
                           "tanh": torch.tanh, "cast": lambda a: a.double(),
                           "sum": torch.sum, "max": torch.max})
    except Exception:  # noqa: BLE001
        pass
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7, 1e8])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--pause", type=float, default=1.0,
                   help="seconds of rest before each measurement (lets BLAS threads settle)")
    args = p.parse_args(argv)
    print(f"threads: {ts.config.threading.get_intra_op_parallelism_threads()}, parallel from "
          f"{ts.config.threading.get_min_parallel_elements()} elements")
    for size in args.sizes:
        n = int(size)
        x, y, rows = cases(n)
        dst = np.empty_like(x)
        copy_bw = 2 * x.nbytes / best(lambda: np.copyto(dst, x), args.repeat)
        copy_all = 2 * x.nbytes / best(lambda: copy_on_every_core(dst, x), args.repeat)
        libs = backends(x, y)
        print(f"\n{n:.0e} float32 elements; memory copy {copy_bw / 1e9:.1f} GB/s on one core, "
              f"{copy_all / 1e9:.1f} GB/s on {_copiers._max_workers + 1} cores")
        print(f"{'op':16}" + "".join(f"{name:>14}" for name in libs) + "  ts/copy1  ts/copyN")
        for label, work, unit, call in rows:
            line = f"{label:16}"
            ts_rate = None
            for name, (a, c, m) in libs.items():
                # BLAS threads (large sums, matmul) and other libraries' pools spin for a while
                # after a call and would slow the next threaded op: measure each on its own
                time.sleep(args.pause)
                rate = work / best(lambda: call(m, a, c), args.repeat) / 1e9
                if name == "tensorshell":
                    ts_rate = rate
                line += f"{rate:9.1f} {unit.split('/')[0]:<4}"
            frac = f"{ts_rate * 1e9 / copy_bw:8.0%}  {ts_rate * 1e9 / copy_all:7.0%}" \
                if unit == "GB/s" else ""
            print(line + "  " + frac)
        del libs


if __name__ == "__main__":
    main()
