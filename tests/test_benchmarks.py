"""Every benchmark script still runs and prints its table (tiny sizes, one repetition): the
figures are not checked here, only that the README's commands work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run(script, *args, env=None):
    proc = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_dispatch():
    out = run("dispatch.py", "--quick")
    for row in ("a + b, shape ()", "index t[3]", "constant from 10 floats", "matmul 1024^2"):
        assert row in out
    assert "GB/s" in out and "GFLOP/s" in out


def test_throughput_takes_the_parallel_path():
    out = run("throughput.py", "--sizes", "2e6", "--repeat", "1", "--pause", "0")
    assert "threads:" in out and "2e+06 float32 elements" in out
    assert "cores" in out and "ts/copyN" in out
    for op in ("add", "multiply", "exp", "tanh", "cast f32->f64", "reduce_sum", "reduce_max"):
        assert f"\n{op} " in out


def test_training_step():
    out = run("training.py", "--batch", "32", "--hidden", "8")
    assert "numpy by hand" in out and "tensorshell" in out and "us/step" in out


def test_conv():
    out = run("conv.py", "--quick")
    for row in ("conv2d ", "conv2d + grads", "max_pool2d"):
        assert f"\n{row}" in out
    assert "numpy" in out and "tensorshell" in out and "GFLOP/s" in out


def test_codecs():
    out = run("codecs.py", "--quick")
    for row in ("decode_jpeg", "encode_jpeg", "decode_png", "encode_png"):
        assert f"\n{row}" in out
    assert "tensorshell" in out and " ms" in out


def test_display():
    out = run("display.py")
    assert "render_text" in out and "render_html" in out


def test_gpu_skips_cleanly_without_a_gpu():
    out = run("gpu.py")
    try:
        import cupy  # noqa: F401
    except ImportError:
        assert "GPU benchmarks skipped" in out


def test_startup(env):
    out = run("startup.py", "--runs", "1", env=env)
    assert "tensorshell" in out and "ipython" in out
