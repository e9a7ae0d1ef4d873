"""GPU section: tensorshell on CuPy against CuPy itself, in one run.

    python benchmarks/gpu.py

Elementwise add and exp on 1e8 float32 elements as a fraction of the device's measured copy
bandwidth (target >= 80%), 8192x8192 float32 matmul in TFLOP/s against CuPy's own (target
within 5%), and small-op dispatch against CuPy's (target <= 1.5x). Prints why it skipped when
there is no GPU.
"""

from __future__ import annotations

import sys
import time


def timed(fn, sync, repeat=30, warm_s=0.3):
    """Median seconds of ``fn`` after ``warm_s`` of warm-up (the GPU's clocks ramp up from
    idle, and the first calls compile kernels), each call synchronised."""
    t_end = time.perf_counter() + warm_s
    while time.perf_counter() < t_end:
        fn()
        sync()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def main():
    try:
        import cupy
        if cupy.cuda.runtime.getDeviceCount() == 0:
            raise RuntimeError("no CUDA device")
    except Exception as e:  # noqa: BLE001
        print(f"GPU benchmarks skipped: {type(e).__name__}: {e}")
        return 0
    import tensorshell as ts

    dev = cupy.cuda.Device(0)
    sync = dev.synchronize
    props = cupy.cuda.runtime.getDeviceProperties(0)
    print(f"GPU: {props['name'].decode()}, CuPy {cupy.__version__}")

    n = 100_000_000
    x = cupy.random.standard_normal(n, dtype=cupy.float32)
    y = cupy.random.standard_normal(n, dtype=cupy.float32)
    out = cupy.empty_like(x)
    copy_s = timed(lambda: cupy.copyto(out, x), sync)
    copy_bw = 2 * x.nbytes / copy_s
    print(f"copy bandwidth (device to device): {copy_bw / 1e12:.2f} TB/s")

    # tensorshell routes CuPy's allocations through a peak-tracking allocator from its first
    # tensor on; CuPy's own figures are measured with CuPy's plain pool allocator
    plain = cupy.get_default_memory_pool().malloc

    def bare(measure, fn, *args):
        with cupy.cuda.using_allocator(plain):
            return measure(fn, *args)

    with ts.device("/gpu:0"):
        X, Y = ts.constant(0.), ts.constant(0.)
        X = ts.experimental.dlpack.from_dlpack(x)
        Y = ts.experimental.dlpack.from_dlpack(y)
        rows = [
            ("add 1e8 f32", 3 * x.nbytes, lambda: x + y, lambda: X + Y),
            ("exp 1e8 f32", 2 * x.nbytes, lambda: cupy.exp(x), lambda: ts.exp(X)),
        ]
        print(f"\n{'op':16} {'cupy':>10} {'tensorshell':>12} {'of copy bw':>11}")
        for label, nbytes, c_fn, t_fn in rows:
            tc, tt = bare(timed, c_fn, sync), timed(t_fn, sync)
            print(f"{label:16} {nbytes / tc / 1e12:7.2f} TB/s {nbytes / tt / 1e12:8.2f} TB/s "
                  f"{nbytes / tt / copy_bw:10.0%}")

        k = 8192
        a = cupy.random.standard_normal((k, k), dtype=cupy.float32)
        A = ts.experimental.dlpack.from_dlpack(a)
        flops = 2 * k ** 3
        tc, tt = bare(timed, lambda: a @ a, sync, 9), timed(lambda: A @ A, sync, 9)
        print(f"{'matmul 8192^2':16} {flops / tc / 1e12:6.1f} TFLOP/s {flops / tt / 1e12:6.1f} "
              f"TFLOP/s {tc / tt:9.0%} of CuPy")

        s, S = cupy.ones(100, cupy.float32), ts.ones(100)
        reps = 20000

        def per_op(fn):
            fn()
            sync()
            t0 = time.perf_counter()
            for _ in range(reps):
                fn()
            sync()
            return (time.perf_counter() - t0) / reps

        tc, tt = bare(per_op, lambda: s + s), per_op(lambda: S + S)
        print(f"{'small add (100)':16} {tc * 1e6:7.2f} us   {tt * 1e6:8.2f} us   {tt / tc:8.2f}x "
              "CuPy's time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
