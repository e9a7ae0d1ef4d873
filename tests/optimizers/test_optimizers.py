"""Optimizers: each update against the formula written out in NumPy (float64), the same
loss curves on two small training problems, schedules, clipping, state placement; and,
when TensorFlow is installed, against Keras itself."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import tensorshell as ts

OPTIMIZERS = {
    "SGD": dict(learning_rate=0.05),
    "SGD-momentum": dict(learning_rate=0.05, momentum=0.9),
    "SGD-nesterov": dict(learning_rate=0.05, momentum=0.9, nesterov=True),
    "RMSprop": dict(learning_rate=0.01),
    "RMSprop-centered": dict(learning_rate=0.01, momentum=0.5, centered=True),
    "Adam": dict(learning_rate=0.01),
    "Adam-amsgrad": dict(learning_rate=0.01, amsgrad=True),
    "Nadam": dict(learning_rate=0.01),
    "Adagrad": dict(learning_rate=0.1),
    "Adam-decay": dict(learning_rate=0.01, weight_decay=0.05),
    "AdamW": dict(learning_rate=0.01, weight_decay=0.1),
    "Adamax": dict(learning_rate=0.01),
    "Adadelta": dict(learning_rate=1.0),
    "Ftrl": dict(learning_rate=0.1, l1_regularization_strength=0.01,
                 l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.01,
                 beta=0.1),
    "Lion": dict(learning_rate=0.01),
}


def make(key):
    return getattr(ts.optimizers, key.split("-")[0])(**OPTIMIZERS[key])


class NumpyOptimizer:
    """The same update rules, written out plainly in float64."""

    def __init__(self, key):
        self.kind = key.split("-")[0]
        self.cfg = dict(OPTIMIZERS[key])
        self.state: dict[int, dict] = {}
        self.t = 0
        self.u_product = 1.0

    def step(self, grads, params):
        self.t += 1
        c, t = self.cfg, self.t
        lr = c["learning_rate"]
        if self.kind == "Nadam":
            self.u_product *= 0.9 * (1 - 0.5 * 0.96 ** t)
        for i, (g, p) in enumerate(zip(grads, params)):
            s = self.state.setdefault(i, {})
            z = np.zeros_like(p)
            if c.get("weight_decay"):              # decoupled, before the update (Keras)
                p -= p * c["weight_decay"] * lr
            if self.kind == "SGD":
                mu = c.get("momentum", 0.0)
                if mu:
                    m = s.get("m", z) * mu - lr * g
                    s["m"] = m
                    p += (m * mu - lr * g) if c.get("nesterov") else m
                else:
                    p -= lr * g
            elif self.kind == "RMSprop":
                rho, eps, mu = 0.9, 1e-7, c.get("momentum", 0.0)
                s["v"] = rho * s.get("v", z) + (1 - rho) * g * g
                if c.get("centered"):
                    s["a"] = rho * s.get("a", z) + (1 - rho) * g
                    den = s["v"] - s["a"] ** 2 + eps
                else:
                    den = s["v"] + eps
                inc = lr * g / np.sqrt(den)
                if mu:
                    s["mom"] = mu * s.get("mom", z) + inc
                    p -= s["mom"]
                else:
                    p -= inc
            elif self.kind == "Adamax":
                b1, b2, eps = 0.9, 0.999, 1e-7
                s["m"] = s.get("m", z) + (g - s.get("m", z)) * (1 - b1)
                s["u"] = np.maximum(b2 * s.get("u", z), np.abs(g))
                p -= lr * s["m"] / ((1 - b1 ** t) * (s["u"] + eps))
            elif self.kind == "Adadelta":
                rho, eps = 0.95, 1e-7
                s["g"] = rho * s.get("g", z) + (1 - rho) * g * g
                delta = -np.sqrt(s.get("d", z) + eps) * g / np.sqrt(s["g"] + eps)
                s["d"] = rho * s.get("d", z) + (1 - rho) * delta * delta
                p += lr * delta
            elif self.kind == "Ftrl":
                acc, lin = s.get("acc", z + 0.1), s.get("lin", z)
                l1 = c["l1_regularization_strength"]
                l2 = c["l2_regularization_strength"] + c["beta"] / (2 * lr)
                new = acc + g * g
                lin = lin + g + 2 * c["l2_shrinkage_regularization_strength"] * p - \
                    (new ** 0.5 - acc ** 0.5) / lr * p
                p[...] = (np.clip(lin, -l1, l1) - lin) / (new ** 0.5 / lr + 2 * l2)
                s["acc"], s["lin"] = new, lin
            elif self.kind == "Lion":
                b1, b2 = 0.9, 0.99
                m = s.get("m", z)
                p -= lr * np.sign(m * b1 + g * (1 - b1))
                s["m"] = m * b2 + g * (1 - b2)
            elif self.kind in ("Adam", "AdamW"):
                b1, b2, eps = 0.9, 0.999, 1e-7
                s["m"] = s.get("m", z) + (g - s.get("m", z)) * (1 - b1)
                s["v"] = s.get("v", z) + (g * g - s.get("v", z)) * (1 - b2)
                v = s["v"]
                if c.get("amsgrad"):
                    s["vhat"] = np.maximum(s.get("vhat", z), v)
                    v = s["vhat"]
                alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                p -= s["m"] * alpha / (np.sqrt(v) + eps)
            elif self.kind == "Nadam":
                b1, b2, eps = 0.9, 0.999, 1e-7
                u_t = b1 * (1 - 0.5 * 0.96 ** t)
                u_t1 = b1 * (1 - 0.5 * 0.96 ** (t + 1))
                s["m"] = s.get("m", z) + (g - s.get("m", z)) * (1 - b1)
                s["v"] = s.get("v", z) + (g * g - s.get("v", z)) * (1 - b2)
                m_hat = u_t1 * s["m"] / (1 - self.u_product * u_t1) + \
                    (1 - u_t) * g / (1 - self.u_product)
                v_hat = s["v"] / (1 - b2 ** t)
                p -= m_hat * lr / (np.sqrt(v_hat) + eps)
            elif self.kind == "Adagrad":
                s["acc"] = s.get("acc", z + 0.1) + g * g
                p -= lr * g / np.sqrt(s["acc"] + 1e-7)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_updates_follow_the_formulas(key):
    start = np.array([[0.5, -1.5], [2.0, 0.1]])
    v = ts.Variable(start, dtype=ts.float64)
    ref, p = NumpyOptimizer(key), start.copy()
    opt = make(key)
    for step in range(6):
        g = np.sin(np.arange(4).reshape(2, 2) + step) * 3  # varied gradients, both signs
        opt.apply_gradients([(ts.constant(g), v)])
        ref.step([g], [p])
        np.testing.assert_allclose(v.numpy(), p, rtol=1e-12, atol=1e-12)
    assert int(opt.iterations) == 6


def _regression_data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3))
    y = x @ np.array([[1.5], [-2.0], [0.5]]) + 0.3 + 0.05 * rng.standard_normal((64, 1))
    return x.astype(np.float32), y.astype(np.float32)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_linear_regression_loss_curve(key):
    x, y = _regression_data()
    w = ts.Variable(np.zeros((3, 1), np.float32))
    b = ts.Variable(np.zeros((1,), np.float32))
    opt = make(key)
    pw, pb = np.zeros((3, 1)), np.zeros(1)
    ref = NumpyOptimizer(key)
    X, Y = ts.constant(x), ts.constant(y)
    curve, expected = [], []
    for _ in range(25):
        with ts.GradientTape() as tape:
            loss = ts.reduce_mean(ts.square(X @ w + b - Y))
        opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
        curve.append(float(loss))
        err = x.astype(np.float64) @ pw + pb - y
        expected.append(float(np.mean(err ** 2)))
        ref.step([2 * x.T @ err / len(x), 2 * err.mean(0)], [pw, pb])
    np.testing.assert_allclose(curve, expected, rtol=2e-4, atol=1e-5)
    assert curve[-1] < curve[0]


def _classification_data():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((80, 2))
    y = np.where(x[:, :1] * x[:, 1:] > 0, 1.0, -1.0)  # XOR-like: needs the hidden layer
    return x.astype(np.float32), y.astype(np.float32)


def _init_mlp():
    rng = np.random.default_rng(2)
    return (rng.standard_normal((2, 8)) * 0.8, np.zeros(8), rng.standard_normal((8, 1)) * 0.8,
            np.zeros(1))


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_mlp_with_a_custom_loss(key):
    """A 2-layer MLP, a hand-written logistic loss mean(log(1 + exp(-y f))), the same curve
    as backpropagation written out in NumPy."""
    x, y = _classification_data()
    params = _init_mlp()
    tv = [ts.Variable(p.astype(np.float32)) for p in params]
    np_params = [p.astype(np.float64).copy() for p in params]
    opt, ref = make(key), NumpyOptimizer(key)
    X, Y = ts.constant(x), ts.constant(y)

    def custom_loss(labels, logits):
        return ts.reduce_mean(ts.nn.softplus(-labels * logits))

    curve, expected = [], []
    for _ in range(20):
        with ts.GradientTape() as tape:
            h = ts.nn.relu(X @ tv[0] + tv[1])
            loss = custom_loss(Y, h @ tv[2] + tv[3])
        opt.apply_gradients(zip(tape.gradient(loss, tv), tv))
        curve.append(float(loss))
        w1, b1, w2, b2 = np_params
        pre = x @ w1 + b1
        h = np.maximum(pre, 0)
        f = h @ w2 + b2
        expected.append(float(np.mean(np.logaddexp(0, -y * f))))
        df = -y / (1 + np.exp(y * f)) / len(x)
        dh = df @ w2.T * (pre > 0)
        ref.step([x.T @ dh, dh.sum(0), h.T @ df, df.sum(0)], np_params)
    np.testing.assert_allclose(curve, expected, rtol=1e-3, atol=1e-5)


def test_schedules_drive_the_learning_rate():
    sched = ts.optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    opt = ts.optimizers.SGD(learning_rate=sched)
    v = ts.Variable([0.0])
    lrs = []
    for _ in range(4):
        lrs.append(opt.learning_rate)
        opt.apply_gradients([(ts.constant([1.0]), v)])
    np.testing.assert_allclose(lrs, [0.1, 0.1 * 0.5 ** 0.5, 0.05, 0.1 * 0.5 ** 1.5])
    np.testing.assert_allclose(v.numpy(), [-sum(lrs)], rtol=1e-6)
    stair = ts.optimizers.schedules.ExponentialDecay(1.0, 2, 0.5, staircase=True)
    assert [stair(i) for i in range(5)] == [1.0, 1.0, 0.5, 0.5, 0.25]
    pc = ts.optimizers.schedules.PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
    assert [pc(i) for i in range(6)] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.1]
    with pytest.raises(ValueError):
        ts.optimizers.schedules.PiecewiseConstantDecay([1], [1.0])


def test_clipping():
    g = ts.constant([3.0, 4.0])
    v = ts.Variable([0.0, 0.0])
    ts.optimizers.SGD(1.0, clipnorm=1.0).apply_gradients([(g, v)])
    np.testing.assert_allclose(v.numpy(), [-0.6, -0.8], rtol=1e-6)
    v = ts.Variable([0.0, 0.0])
    ts.optimizers.SGD(1.0, clipvalue=3.5).apply_gradients([(g, v)])
    np.testing.assert_allclose(v.numpy(), [-3.0, -3.5])
    a, b = ts.Variable([0.0]), ts.Variable([0.0])
    ts.optimizers.SGD(1.0, global_clipnorm=1.0).apply_gradients(
        [(ts.constant([3.0]), a), (ts.constant([4.0]), b)])
    np.testing.assert_allclose([float(a[0]), float(b[0])], [-0.6, -0.8], rtol=1e-6)
    with pytest.raises(ValueError):
        ts.optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_state_lives_on_each_variables_device_and_none_grads_are_skipped():
    with ts.device("/cpu:1"):
        v = ts.Variable([1.0, 2.0])
    w = ts.Variable([1.0])
    opt = ts.optimizers.Adam()
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        opt.apply_gradients([(ts.constant([0.1, 0.1]), v), (None, w)])
    assert opt.get_slot(v, "m").device.endswith("CPU:1")
    assert v.device.endswith("CPU:1") and w.numpy().tolist() == [1.0]


def test_minimize_with_a_callable_or_a_tape():
    v = ts.Variable(3.0)
    opt = ts.optimizers.SGD(0.25)
    opt.minimize(lambda: v * v, [v])
    assert float(v) == 1.5
    with ts.GradientTape() as tape:
        loss = v * v
    opt.minimize(loss, [v], tape=tape)
    assert float(v) == 0.75
    with pytest.raises(ValueError, match="tape"):
        opt.minimize(v * v, [v])


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_matches_keras_when_installed(key):
    tf = pytest.importorskip("tensorflow")
    keras = tf.keras
    kv = tf.Variable([1.0, -2.0, 0.5])
    ko = getattr(keras.optimizers, key.split("-")[0])(**OPTIMIZERS[key])
    tv = ts.Variable([1.0, -2.0, 0.5])
    to = make(key)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(5):
            with tf.GradientTape() as t:
                loss = tf.reduce_sum(kv * kv * kv)
            ko.apply_gradients([(t.gradient(loss, kv), kv)])
            to.minimize(lambda: ts.reduce_sum(tv * tv * tv), [tv])
    np.testing.assert_allclose(tv.numpy(), kv.numpy(), rtol=1e-5, atol=1e-5)


def test_config_variables_and_shape_checks():
    opt = ts.optimizers.Adam(learning_rate=ts.optimizers.schedules.ExponentialDecay(0.1, 10,
                                                                                    0.5))
    v = ts.Variable([1.0, 2.0])
    opt.apply_gradients([(ts.constant([0.1, 0.1]), v)])
    assert opt.get_config()["learning_rate"]["decay_steps"] == 10
    assert len(opt.variables) == 3  # iterations, m, v
    before = v.numpy().copy()
    with pytest.raises(ValueError, match="does not match"):
        opt.apply_gradients([(ts.constant([0.1, 0.1, 0.1]), v)])
    np.testing.assert_array_equal(v.numpy(), before)


def test_weight_decay_exclusions():
    """Keras's rules: decay skips excluded variables (by object or by name) and variables
    without a gradient; exclusions are set before the first update."""
    kernel = ts.Variable([1.0, 2.0], name="dense/kernel")
    bias = ts.Variable([1.0, 2.0], name="dense/bias")
    other = ts.Variable([1.0], name="other")
    opt = ts.optimizers.SGD(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    zero = ts.zeros([2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                 # (other has no gradient)
        opt.apply_gradients([(zero, kernel), (zero, bias), (None, other)])
    np.testing.assert_allclose(kernel.numpy(), [0.95, 1.9])
    assert bias.numpy().tolist() == [1.0, 2.0]
    assert other.numpy().tolist() == [1.0]
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay([kernel])
    with pytest.raises(ValueError, match="weight_decay"):
        ts.optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="learning_rate_power"):
        ts.optimizers.Ftrl(learning_rate_power=0.5)
    assert ts.keras.optimizers.Lion is ts.optimizers.Lion
    assert ts.optimizers.AdamW().get_config()["weight_decay"] == 0.004
