"""Op dispatch and throughput: tensorshell against raw NumPy, side by side in one run.

    python benchmarks/dispatch.py [--quick]

Small ops report time per op and the ratio to NumPy doing the same work (lower is better;
the target is <= 2.5x). Large ops report throughput and the fraction of NumPy's (target
>= 0.95x). TensorFlow and PyTorch columns appear when they are installed.
Also counts Python function calls per op (the hot path must stay a few frames).
"""

from __future__ import annotations

import argparse
import sys
import timeit

import numpy as np

import tensorshell as ts


def per_call(fn, number, repeat=7):
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def python_calls(fn) -> int:
    """Python-level function calls made by one call of ``fn`` (C calls excluded)."""
    count = 0

    def prof(frame, event, arg):
        nonlocal count
        if event == "call":
            count += 1
    fn()
    sys.setprofile(prof)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count - 1  # the lambda itself


def optional(name):
    try:
        return __import__(name)
    except Exception:  # noqa: BLE001 - any import failure means "not installed"
        return None


def small_cases():
    a0, b0 = np.array(1.5, np.float32), np.array(2.5, np.float32)
    a1, b1 = np.ones(100, np.float32), np.full(100, 2, np.float32)
    m = np.ones((4, 4), np.float32)
    lst = [float(i) for i in range(10)]
    A0, B0, A1, B1, M = (ts.constant(x) for x in (a0, b0, a1, b1, m))
    cases = [
        ("a + b, shape ()", lambda: a0 + b0, lambda: A0 + B0),
        ("a + b, shape (100,)", lambda: a1 + b1, lambda: A1 + B1),
        ("t * 2 + 1 - t (3 ops)", lambda: a1 * 2 + 1 - a1, lambda: A1 * 2 + 1 - A1),
        ("ts.exp (100,)", lambda: np.exp(a1), lambda: ts.exp(A1)),
        ("reduce_sum (100,)", lambda: np.add.reduce(a1), lambda: ts.reduce_sum(A1)),
        ("matmul 4x4", lambda: m @ m, lambda: M @ M),
        ("index t[3]", lambda: a1[3], lambda: A1[3]),
        ("slice t[10:20]", lambda: a1[10:20], lambda: A1[10:20]),
        ("constant from 10 floats", lambda: np.array(lst, np.float32),
         lambda: ts.constant(lst)),
    ]
    tf = optional("tensorflow")
    torch = optional("torch")
    extra = {}
    if tf is not None:
        T0, T1, TM = tf.constant(a0), tf.constant(a1), tf.constant(m)
        extra["tensorflow"] = [lambda: T0 + T0, lambda: T1 + T1, lambda: T1 * 2 + 1 - T1,
                               lambda: tf.exp(T1), lambda: tf.reduce_sum(T1),
                               lambda: TM @ TM, lambda: T1[3], lambda: T1[10:20],
                               lambda: tf.constant(lst)]
    if torch is not None:
        P0, P1, PM = torch.tensor(a0), torch.tensor(a1), torch.tensor(m)
        extra["pytorch"] = [lambda: P0 + P0, lambda: P1 + P1, lambda: P1 * 2 + 1 - P1,
                            lambda: torch.exp(P1), lambda: torch.sum(P1), lambda: PM @ PM,
                            lambda: P1[3], lambda: P1[10:20], lambda: torch.tensor(lst)]
    return cases, extra


def large_cases(n):
    x = np.random.default_rng(0).standard_normal(n).astype(np.float32)
    y = np.random.default_rng(1).standard_normal(n).astype(np.float32)
    X, Y = ts.constant(x), ts.constant(y)
    k = 1024
    m = np.random.default_rng(2).standard_normal((k, k)).astype(np.float32)
    M = ts.constant(m)
    nbytes = x.nbytes
    return [
        ("add 1e7 f32", 3 * nbytes, "GB/s", lambda: x + y, lambda: X + Y),
        ("exp 1e7 f32", n, "Gelem/s", lambda: np.exp(x), lambda: ts.exp(X)),
        ("reduce_sum 1e7 f32", nbytes, "GB/s", lambda: np.add.reduce(x),
         lambda: ts.reduce_sum(X)),
        ("matmul 1024^2 f32", 2 * k ** 3, "GFLOP/s", lambda: m @ m, lambda: M @ M),
    ]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = p.parse_args(argv)
    number = 2000 if args.quick else 20000
    cases, extra = small_cases()
    from tensorshell.engine import speedups
    print(f"tensorshell {ts.__version__}, NumPy {np.__version__}, Python "
          f"{sys.version.split()[0]}; C speedups "
          + ("on" if speedups.C is not None else f"off ({speedups.WHY_NOT})"))
    cols = "".join(f" {name:>12}" for name in extra)
    print(f"\n{'small op':28} {'numpy':>9} {'tensorshell':>12} {'ratio':>6} {'py calls':>8}"
          f"{cols}")
    for i, (label, np_fn, ts_fn) in enumerate(cases):
        t_np = per_call(np_fn, number)
        t_ts = per_call(ts_fn, number)
        others = "".join(f" {per_call(fns[i], number // 4) * 1e6:10.2f}us"
                         for fns in extra.values())
        print(f"{label:28} {t_np * 1e6:7.2f}us {t_ts * 1e6:10.2f}us {t_ts / t_np:5.2f}x "
              f"{python_calls(ts_fn):8d}{others}")
    print(f"\n{'large op':28} {'numpy':>14} {'tensorshell':>14} {'fraction':>9}")
    for label, work, unit, np_fn, ts_fn in large_cases(10_000_000):
        reps = 3 if args.quick else 10
        t_np = per_call(np_fn, 1, reps)
        t_ts = per_call(ts_fn, 1, reps)
        scale = 1e9
        print(f"{label:28} {work / t_np / scale:9.1f} {unit:<4} {work / t_ts / scale:9.1f} "
              f"{unit:<4} {t_np / t_ts:8.2f}x")


if __name__ == "__main__":
    main()
