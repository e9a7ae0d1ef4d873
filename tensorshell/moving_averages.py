"""``ts.train.ExponentialMovingAverage``: shadow Variables that follow other Variables,
``shadow -= (1 - decay) * (shadow - variable)`` on every ``apply`` - the averaged weights
people evaluate with. As TensorFlow's: ``num_updates`` (a number or a Variable such as the
step) lowers the decay early on to ``min(decay, (1 + n) / (10 + n))``, shadows start at the
variable's value and are named ``<variable>/ExponentialMovingAverage``."""

from __future__ import annotations

import numpy as np

from .engine.devices import device
from .engine.variable import Variable

__all__ = ["ExponentialMovingAverage"]


class ExponentialMovingAverage:
    """Moving averages of Variables (see the module docstring)."""

    def __init__(self, decay, num_updates=None, zero_debias=False,
                 name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias       # TensorFlow applies it to tensors only
        self._name = name
        self._averages: dict[int, tuple[Variable, Variable]] = {}

    @property
    def name(self) -> str:
        return self._name

    def _current_decay(self) -> float:
        decay = float(np.asarray(_value(self._decay)))
        if self._num_updates is not None:
            n = float(np.asarray(_value(self._num_updates)))
            decay = min(decay, (1.0 + n) / (10.0 + n))
        return decay

    def apply(self, var_list=None):
        """Create the shadows of ``var_list`` (float Variables) on first sight, then move
        every shadow of the list towards its variable."""
        var_list = list(var_list or [])
        for var in var_list:
            if not isinstance(var, Variable):
                raise TypeError("tf.train.ExponentialMovingAverage does not support "
                                "non-Variable tensors when eager execution is enabled.")
            if not var.dtype.is_floating:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
        for var in var_list:
            if id(var) not in self._averages:
                with device(var.device):              # beside its variable
                    shadow = Variable(var.read_value(), trainable=False,
                                      name=self.average_name(var))
                self._averages[id(var)] = (var, shadow)
        keep = 1.0 - self._current_decay()
        seen = set()
        for var in var_list:
            if id(var) in seen:
                continue
            seen.add(id(var))
            shadow = self._averages[id(var)][1]
            shadow.assign_sub((shadow.read_value() - var.read_value()) *
                              np.asarray(keep, var.dtype._np))
        return None

    def average(self, var):
        """The shadow Variable of ``var``, or None if ``apply`` has not seen it."""
        entry = self._averages.get(id(var))
        return entry[1] if entry is not None and entry[0] is var else None

    def average_name(self, var) -> str:
        """The name of ``var``'s shadow: ``<var name>/<this average's name>``."""
        return f"{var.name.split(':')[0]}/{self._name}"

    def variables_to_restore(self, moving_avg_variables=None) -> dict:
        """``{shadow name: variable}``: what restores the averages into the variables
        themselves with a name-based saver (TensorFlow's use of it)."""
        variables = moving_avg_variables if moving_avg_variables is not None else \
            [var for var, _ in self._averages.values()]
        return {self.average_name(v): v for v in variables}

    def __repr__(self):
        return f"<ts.train.ExponentialMovingAverage {self._name!r}: {len(self._averages)} " \
               f"variables>"


def _value(x):
    return x.numpy() if hasattr(x, "numpy") else x
