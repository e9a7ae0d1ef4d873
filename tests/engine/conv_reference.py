"""Convolution and pooling written the slow, obvious way — one output position, one filter tap
at a time, in float64 — as the reference the fast kernels are checked against. Arrays are
channels-last with one batch dimension; padding is given as (before, after) per spatial
dimension, worked out here from TensorFlow's documented rule rather than taken from the
implementation."""

from __future__ import annotations

import itertools

import numpy as np


def pads_for(padding, in_sizes, ksize, strides, dilations):
    if not isinstance(padding, str):
        return [tuple(p) for p in padding]
    if padding == "VALID":
        return [(0, 0)] * len(in_sizes)
    pads = []
    for s, k, st, d in zip(in_sizes, ksize, strides, dilations):
        eff = (k - 1) * d + 1
        out = -(-s // st)  # SAME: ceil(in / stride) outputs
        total = max((out - 1) * st + eff - s, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _out_sizes(in_sizes, ksize, strides, dilations, pads):
    return [(s + b + a - ((k - 1) * d + 1)) // st + 1
            for s, k, st, d, (b, a) in zip(in_sizes, ksize, strides, dilations, pads)]


def _windows(in_sizes, ksize, strides, dilations, pads):
    """(output index, [(tap index, input index or None when it falls in the padding)])"""
    outs = _out_sizes(in_sizes, ksize, strides, dilations, pads)
    for o in itertools.product(*map(range, outs)):
        taps = []
        for k in itertools.product(*map(range, ksize)):
            pos = tuple(oi * st + ki * d - b for oi, ki, st, d, (b, _)
                        in zip(o, k, strides, dilations, pads))
            real = all(0 <= p < s for p, s in zip(pos, in_sizes))
            taps.append((k, pos if real else None))
        yield o, taps


def conv(x, w, strides, padding, dilations):
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    n = w.ndim - 2
    sizes, ksize = x.shape[1:-1], w.shape[:n]
    pads = pads_for(padding, sizes, ksize, strides, dilations)
    outs = _out_sizes(sizes, ksize, strides, dilations, pads)
    y = np.zeros((x.shape[0], *outs, w.shape[-1]))
    for o, taps in _windows(sizes, ksize, strides, dilations, pads):
        for k, pos in taps:
            if pos is not None:
                y[(slice(None),) + o] += x[(slice(None),) + pos] @ w[k]
    return y


def conv_input_grad(g, w, x_shape, strides, padding, dilations):
    g, w = np.asarray(g, np.float64), np.asarray(w, np.float64)
    n = w.ndim - 2
    sizes, ksize = x_shape[1:-1], w.shape[:n]
    pads = pads_for(padding, sizes, ksize, strides, dilations)
    dx = np.zeros(x_shape)
    for o, taps in _windows(sizes, ksize, strides, dilations, pads):
        for k, pos in taps:
            if pos is not None:
                dx[(slice(None),) + pos] += g[(slice(None),) + o] @ w[k].T
    return dx


def conv_filter_grad(x, g, w_shape, strides, padding, dilations):
    x, g = np.asarray(x, np.float64), np.asarray(g, np.float64)
    n = len(w_shape) - 2
    sizes, ksize = x.shape[1:-1], tuple(w_shape[:n])
    pads = pads_for(padding, sizes, ksize, strides, dilations)
    dw = np.zeros(w_shape)
    for o, taps in _windows(sizes, ksize, strides, dilations, pads):
        for k, pos in taps:
            if pos is not None:
                dw[k] += x[(slice(None),) + pos].T @ g[(slice(None),) + o]
    return dw


def pool(x, ksize, strides, padding, kind):
    x = np.asarray(x)
    sizes = x.shape[1:-1]
    ones = (1,) * len(ksize)
    pads = pads_for(padding, sizes, ksize, strides, ones)
    outs = _out_sizes(sizes, ksize, strides, ones, pads)
    y = np.zeros((x.shape[0], *outs, x.shape[-1]),
                 dtype=x.dtype if kind == "max" else np.float64)
    for o, taps in _windows(sizes, ksize, strides, ones, pads):
        vals = np.stack([x[(slice(None),) + pos] for _, pos in taps if pos is not None])
        y[(slice(None),) + o] = vals.max(0) if kind == "max" else vals.astype(np.float64).mean(0)
    return y


def max_pool_grad(x, g, ksize, strides, padding):
    """Each window's gradient goes to its first largest real input."""
    x, g = np.asarray(x), np.asarray(g, np.float64)
    sizes = x.shape[1:-1]
    ones = (1,) * len(ksize)
    pads = pads_for(padding, sizes, ksize, strides, ones)
    dx = np.zeros(x.shape)
    for o, taps in _windows(sizes, ksize, strides, ones, pads):
        real = [pos for _, pos in taps if pos is not None]
        for b in range(x.shape[0]):
            for c in range(x.shape[-1]):
                vals = [x[(b,) + p + (c,)] for p in real]
                best = real[int(np.argmax(vals))]
                dx[(b,) + best + (c,)] += g[(b,) + o + (c,)]
    return dx


def avg_pool_grad(g, x_shape, ksize, strides, padding):
    g = np.asarray(g, np.float64)
    sizes = x_shape[1:-1]
    ones = (1,) * len(ksize)
    pads = pads_for(padding, sizes, ksize, strides, ones)
    dx = np.zeros(x_shape)
    for o, taps in _windows(sizes, ksize, strides, ones, pads):
        real = [pos for _, pos in taps if pos is not None]
        for p in real:
            dx[(slice(None),) + p] += g[(slice(None),) + o] / len(real)
    return dx


def depthwise(x, w, strides, padding, dilations):
    """Each channel with its own filters: output channel ``c * M + m``."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    channels, multiplier = w.shape[-2], w.shape[-1]
    parts = [conv(x[..., c:c + 1], w[..., c:c + 1, m:m + 1], strides, padding, dilations)
             for c in range(channels) for m in range(multiplier)]
    return np.concatenate(parts, axis=-1)
