"""``ts.autodiff``: TensorFlow's ``tf.autodiff`` - reverse mode (``GradientTape``) and
forward mode (``ForwardAccumulator``).

>>> x = ts.constant(2.)
>>> with ts.autodiff.ForwardAccumulator(x, ts.constant(1.)) as acc:
...     y = x ** 3
>>> acc.jvp(y)                                  # 12.0
"""

from .engine.autodiff import ForwardAccumulator, GradientTape

__all__ = ["ForwardAccumulator", "GradientTape"]

from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
