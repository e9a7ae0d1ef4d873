"""Display cost: rendering a (4096, 4096) float32 tensor against NumPy's own repr of it.

    python benchmarks/display.py

The target: no more than a few milliseconds over NumPy's repr, because statistics come from a
bounded strided sample and only the displayed edge elements are formatted.
"""

from __future__ import annotations

import timeit

import numpy as np

import tensorshell as ts
from tensorshell.display import render_html, render_text


def best(fn, number=5, repeat=5):
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main():
    a = np.random.default_rng(0).standard_normal((4096, 4096)).astype(np.float32)
    t = ts.constant(a)
    render_text(t)  # warm the lazy imports
    rows = [("numpy repr(a)", lambda: repr(a)),
            ("tensorshell render_text(t)", lambda: render_text(t)),
            ("tensorshell render_html(t)", lambda: render_html(t)),
            ("tensorshell repr(t)", lambda: repr(t))]
    base = None
    print(f"{'(4096, 4096) float32':30} {'time':>10} {'over numpy':>11}")
    for label, fn in rows:
        s = best(fn)
        base = base or s
        print(f"{label:30} {s * 1e3:8.2f}ms {(s - base) * 1e3:+9.2f}ms")


if __name__ == "__main__":
    main()
