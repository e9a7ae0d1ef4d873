"""Timing shared by the benchmark scripts (each runs as a script: this sits beside them)."""

from __future__ import annotations

import time


def best(fn, repeat):
    """The fastest of ``repeat`` timed calls of ``fn`` in seconds, after one warm-up call."""
    fn()
    t = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t
