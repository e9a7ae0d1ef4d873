"""One training step of a 2-layer MLP (forward, tape, gradient, Adam update): tensorshell
against the same step written by hand in NumPy, and TensorFlow eager / PyTorch when
installed, in one run.

    python benchmarks/training.py [--batch 256] [--hidden 64]
"""

from __future__ import annotations

import argparse
import math
import timeit

import numpy as np

import tensorshell as ts


def data(batch, features=32):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, features)).astype(np.float32)
    y = np.sign(x[:, :1] * x[:, 1:2]).astype(np.float32)
    return x, y


def init(features, hidden):
    rng = np.random.default_rng(1)
    return [(rng.standard_normal((features, hidden)) * 0.1).astype(np.float32),
            np.zeros(hidden, np.float32),
            (rng.standard_normal((hidden, 1)) * 0.1).astype(np.float32),
            np.zeros(1, np.float32)]


def tensorshell_step(x, y, params):
    X, Y = ts.constant(x), ts.constant(y)
    vs = [ts.Variable(p) for p in params]
    opt = ts.optimizers.Adam(0.01)

    def step():
        with ts.GradientTape() as tape:
            h = ts.nn.relu(X @ vs[0] + vs[1])
            loss = ts.reduce_mean(ts.nn.softplus(-Y * (h @ vs[2] + vs[3])))
        opt.apply_gradients(zip(tape.gradient(loss, vs), vs))
    return step


def numpy_step(x, y, params):
    ps = [p.copy() for p in params]
    m = [np.zeros_like(p) for p in ps]
    v = [np.zeros_like(p) for p in ps]
    t = [0]

    def step():
        w1, b1, w2, b2 = ps
        pre = x @ w1 + b1
        h = np.maximum(pre, 0)
        f = h @ w2 + b2
        df = -y / (1 + np.exp(y * f)) / len(x)
        dh = (df @ w2.T) * (pre > 0)
        grads = [x.T @ dh, dh.sum(0), h.T @ df, df.sum(0)]
        t[0] += 1
        alpha = 0.01 * math.sqrt(1 - 0.999 ** t[0]) / (1 - 0.9 ** t[0])
        for p, g, mi, vi in zip(ps, grads, m, v):
            mi += (g - mi) * 0.1
            vi += (g * g - vi) * 0.001
            p -= mi * alpha / (np.sqrt(vi) + 1e-7)
    return step


def tensorflow_step(x, y, params):
    import tensorflow as tf
    X, Y = tf.constant(x), tf.constant(y)
    vs = [tf.Variable(p) for p in params]
    opt = tf.keras.optimizers.Adam(0.01)

    def step():
        with tf.GradientTape() as tape:
            h = tf.nn.relu(X @ vs[0] + vs[1])
            loss = tf.reduce_mean(tf.nn.softplus(-Y * (h @ vs[2] + vs[3])))
        opt.apply_gradients(zip(tape.gradient(loss, vs), vs))
    return step


def torch_step(x, y, params):
    import torch
    X, Y = torch.tensor(x), torch.tensor(y)
    vs = [torch.tensor(p, requires_grad=True) for p in params]
    opt = torch.optim.Adam(vs, lr=0.01, eps=1e-7)

    def step():
        opt.zero_grad()
        h = torch.relu(X @ vs[0] + vs[1])
        loss = torch.nn.functional.softplus(-Y * (h @ vs[2] + vs[3])).mean()
        loss.backward()
        opt.step()
    return step


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--hidden", type=int, default=64)
    args = p.parse_args(argv)
    x, y = data(args.batch)
    params = init(x.shape[1], args.hidden)
    rows = [("numpy by hand", numpy_step), ("tensorshell", tensorshell_step)]
    for label, fn, module in (("tensorflow eager", tensorflow_step, "tensorflow"),
                              ("pytorch", torch_step, "torch")):
        try:
            __import__(module)
            rows.append((label, fn))
        except Exception:  # noqa: BLE001 - not installed
            pass
    print(f"MLP step: batch {args.batch}, 32 -> {args.hidden} -> 1, Adam")
    base = None
    for label, make in rows:
        step = make(x, y, params)
        step()
        t = min(timeit.repeat(step, number=50, repeat=5)) / 50
        base = base or t
        print(f"{label:18} {t * 1e6:9.1f} us/step  {t / base:5.2f}x numpy")


if __name__ == "__main__":
    main()
