"""Record tests/engine/special_golden.npz: TensorFlow's tf.math.special values (float64 and
float32) and gradients, and mpmath's values at 40 digits, over one grid of arguments.

    python -m tests.engine.record_special_golden     # needs tensorflow and mpmath
"""

import pathlib

import mpmath as mp
import numpy as np
import tensorflow as tf

NAMES = ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "bessel_j0", "bessel_j1",
         "bessel_y0", "bessel_y1", "bessel_k0", "bessel_k0e", "bessel_k1", "bessel_k1e",
         "dawsn", "expint", "fresnel_cos", "fresnel_sin", "spence"]

EXACT = {
    "bessel_i0": lambda x: mp.besseli(0, x), "bessel_i1": lambda x: mp.besseli(1, x),
    "bessel_i0e": lambda x: mp.besseli(0, x) * mp.exp(-abs(x)),
    "bessel_i1e": lambda x: mp.besseli(1, x) * mp.exp(-abs(x)),
    "bessel_j0": lambda x: mp.besselj(0, x), "bessel_j1": lambda x: mp.besselj(1, x),
    "bessel_y0": lambda x: mp.bessely(0, x), "bessel_y1": lambda x: mp.bessely(1, x),
    "bessel_k0": lambda x: mp.besselk(0, x), "bessel_k1": lambda x: mp.besselk(1, x),
    "bessel_k0e": lambda x: mp.besselk(0, x) * mp.exp(x),
    "bessel_k1e": lambda x: mp.besselk(1, x) * mp.exp(x),
    "dawsn": lambda x: mp.sqrt(mp.pi) / 2 * mp.exp(-x * x) * mp.erfi(x),
    "expint": mp.ei, "fresnel_cos": mp.fresnelc, "fresnel_sin": mp.fresnels,
    "spence": lambda x: mp.polylog(2, 1 - x),
}
POSITIVE_ONLY = {"bessel_y0", "bessel_y1", "bessel_k0", "bessel_k1", "bessel_k0e",
                 "bessel_k1e", "expint", "spence"}


def grid():
    rng = np.random.default_rng(0)
    return np.concatenate([
        -np.logspace(-3, 3, 40), [-np.inf, -0.0, 0.0, np.inf, np.nan, 1e-300, 1e300],
        np.logspace(-12, -1, 23), np.linspace(0, 2, 41), np.linspace(2, 30, 141),
        rng.uniform(0, 60, 100), np.logspace(1.5, 6, 40),
        [1e8, 1e10, 1e15, 1e20, 1e100, 1e200, 36973.9, 36974.1, 0.3725074107813666,
         2.404825557695773, 5.520078110286311, 0.8935769662791675]])


def main():
    mp.mp.dps = 40
    x = grid()
    out = {"x": x, "xg": np.array([0.3, 0.9, 1.7, 3.2, 7.5, 12.0, 31.0])}
    for name in NAMES:
        fn = getattr(tf.math.special, name)
        out[name] = fn(tf.constant(x)).numpy()
        out[name + "_f32"] = fn(tf.constant(x.astype(np.float32))).numpy()
        xg = tf.constant(out["xg"])
        with tf.GradientTape() as tape:
            tape.watch(xg)
            y = fn(xg)
        out[name + "_grad"] = tape.gradient(y, xg).numpy()
        exact = np.full(x.shape, np.nan)
        for i, v in enumerate(x):
            if np.isfinite(v) and 1e-300 <= abs(v) <= 1e6 and (
                    v > 0 or name not in POSITIVE_ONLY):
                if name == "expint" and v > 700:
                    continue
                exact[i] = float(EXACT[name](mp.mpf(float(v))))
        out[name + "_exact"] = exact
    path = pathlib.Path(__file__).with_name("special_golden.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
