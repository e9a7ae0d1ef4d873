"""Optimizers with Keras 3's update formulas and default hyper-parameters, for custom
training loops: SGD (momentum, Nesterov), RMSprop, Adam (AMSGrad), Nadam, Adagrad.

>>> opt = ts.optimizers.Adam(learning_rate=0.01)
>>> with ts.GradientTape() as tape:
...     loss = my_loss(model_variables)
>>> grads = tape.gradient(loss, model_variables)
>>> opt.apply_gradients(zip(grads, model_variables))

State variables are created on first use, on each variable's own device.
"""

from __future__ import annotations

import math
import types
import warnings

import numpy as np

from .engine import dtypes
from .engine.devices import device
from .engine.ops import creation, elementwise as E, reduction, shape as S
from .engine.tensor import Tensor, wrap
from .engine.variable import Variable, dense_gradient
from .linalg import norm


# ---------------------------------------------------------------------------------------------
# Learning-rate schedules
# ---------------------------------------------------------------------------------------------

class LearningRateSchedule:
    """A learning rate as a function of the optimizer's step count."""

    def __call__(self, step):
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (the exponent floored
    with ``staircase=True``)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        if decay_steps <= 0:
            raise ValueError(f"decay_steps must be > 0, got {decay_steps}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = decay_steps
        self.decay_rate = float(decay_rate)
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        p = float(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate * self.decay_rate ** p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to ``boundaries[0]`` (inclusive), ``values[1]`` up to
    ``boundaries[1]``, ..., ``values[-1]`` after the last boundary."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(values) != len(boundaries) + 1:
            raise ValueError("The length of boundaries should be 1 less than the length of "
                             f"values; got {len(boundaries)} boundaries and {len(values)} "
                             "values")
        self.boundaries = list(boundaries)
        self.values = [float(v) for v in values]
        self.name = name

    def __call__(self, step):
        step = float(step)
        for b, v in zip(self.boundaries, self.values):
            if step <= b:
                return v
        return self.values[-1]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


schedules = types.SimpleNamespace(LearningRateSchedule=LearningRateSchedule,
                                  ExponentialDecay=ExponentialDecay,
                                  PiecewiseConstantDecay=PiecewiseConstantDecay)


# ---------------------------------------------------------------------------------------------
# Optimizers
# ---------------------------------------------------------------------------------------------

class Optimizer:
    """The shared machinery: learning rate (a float or a schedule), gradient clipping,
    lazily created state, ``apply_gradients`` and ``minimize``."""

    def __init__(self, learning_rate=0.001, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, weight_decay=None):
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of clipnorm, clipvalue and global_clipnorm can be set")
        self._learning_rate = learning_rate
        self.weight_decay = weight_decay
        self._no_decay_ids: set[int] = set()
        self._no_decay_pattern = None
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.name = name or type(self).__name__.lower()
        with device("/cpu:0"):
            self.iterations = Variable(0, dtype=dtypes.int64, trainable=False,
                                       name="iteration")
        self._slots: dict[int, dict[str, Variable]] = {}
        self._slot_list: list[Variable] = []       # in creation order (Keras's layout)
        self._built: set[int] = set()
        self._var_list: list[Variable] = []        # the variables built for, in order
        self._pending: dict[int, tuple] = {}       # checkpoint values for slots not built yet
        self._restored_nodes: set[int] = set()
        self._lr_value = _ValueNode("learning_rate", self._read_lr, self._write_lr)

    # -- learning rate ------------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        """The learning rate for the next step (a schedule evaluated at ``iterations``)."""
        lr = self._learning_rate
        if callable(lr):
            lr = lr(int(self.iterations.numpy()))
        return float(lr)

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = value

    # -- state --------------------------------------------------------------------------------
    def add_slot(self, var, name, initial=0.0) -> Variable:
        slots = self._slots.setdefault(id(var), {})
        if name not in slots:
            with device(var.device):
                value = creation.zeros_like(var) + initial if initial else \
                    creation.zeros_like(var)
                slots[name] = Variable(value, trainable=False,
                                       name=f"{var.name.split(':')[0]}/{name}")
            self._slot_list.append(slots[name])
        return slots[name]

    def _slot_groups(self) -> list:
        """The slots ``build`` makes, as Keras orders them: a list of groups, each a list of
        (slot name, initial value) made for every variable before the next group."""
        return []

    def build(self, var_list) -> None:
        """Make the slots of the variables not seen before (the first ``apply_gradients``
        does this), in Keras's order, then fill any restored from a checkpoint."""
        new = [v for v in var_list if isinstance(v, Variable) and id(v) not in self._built]
        self._var_list.extend(new)
        for group in self._slot_groups():
            for var in new:
                for name, initial in group:
                    self.add_slot(var, name, initial)
        self._built.update(id(v) for v in new)
        if self._pending:
            values = self._checkpoint_values()
            for index in sorted(self._pending):
                if index < len(values):
                    value, node, key = self._pending.pop(index)
                    _restore_into(values[index], value, key)
                    self._restored_nodes.add(node)

    # -- checkpoints (Keras's layout: _iterations, _learning_rate, _variables/i) -----------
    def _read_lr(self):
        return np.float32(self.learning_rate)

    def _write_lr(self, value):
        if not callable(self._learning_rate):
            self._learning_rate = float(value)

    def _extra_values(self) -> list:
        """Values Keras tracks after the slots (Nadam's momentum product)."""
        return []

    def _checkpoint_values(self) -> list:
        lr = [] if callable(self._learning_rate) else [self._lr_value]
        return [self.iterations] + lr + self._slot_list + self._extra_values()

    def _checkpoint_children(self) -> list:
        children = [("_variables", _CheckpointList(self)),
                    ("_trainable_variables", list(self._var_list)),
                    ("_iterations", self.iterations)]
        if not callable(self._learning_rate):
            children.append(("_learning_rate", self._lr_value))
        return children

    def get_slot(self, var, name) -> Variable:
        return self._slots[id(var)][name]

    @property
    def variables(self) -> list:
        return [self.iterations] + [v for s in self._slots.values() for v in s.values()]

    # -- applying -----------------------------------------------------------------------------
    def _clip(self, grads):
        if self.clipvalue is not None:
            return [None if g is None else E.clip_by_value(g, -self.clipvalue, self.clipvalue)
                    for g in grads]
        if self.clipnorm is not None:
            return [None if g is None else _clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None:
            present = [g for g in grads if g is not None]
            if not present:
                return grads
            total = math.sqrt(sum(float(reduction.reduce_sum(g * g)) for g in present))
            scale = self.global_clipnorm / max(total, self.global_clipnorm)
            return [None if g is None else g * scale for g in grads]
        return grads

    def apply_gradients(self, grads_and_vars, name=None):
        """Update each variable from its gradient; pairs whose gradient is None are skipped
        (with a warning, as in Keras). Returns ``iterations``."""
        pairs = list(grads_and_vars)
        grads = [dense_gradient(g) for g, _ in pairs]     # (a gather's IndexedSlices too)
        variables = [v for _, v in pairs]
        missing = [v.name for g, v in pairs if g is None]
        if missing:
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing "
                          "the loss.", UserWarning, stacklevel=2)
        self.build(variables)
        grads = self._clip(grads)
        lr = self.learning_rate
        if self.weight_decay is not None:        # decoupled decay first, as Keras applies it
            for g, v in zip(grads, variables):
                if g is not None and isinstance(v, Variable) and self._decays(v):
                    w = v._writable()
                    w -= w * (self.weight_decay * lr)
        self._before_step()
        for g, v in zip(grads, variables):
            if g is None:
                continue
            if not isinstance(v, Variable):
                raise TypeError(f"apply_gradients updates Variables; got {type(v).__name__}")
            if isinstance(g, Tensor) and g.dtype is not v.dtype:
                g = S.cast(g, v.dtype)
            self.update_step(g, v, lr)
            if getattr(v, "constraint", None) is not None:
                v.assign(v.constraint(v))
        self.iterations.assign_add(1)
        return self.iterations

    def minimize(self, loss, var_list, tape=None):
        """Compute gradients of ``loss`` (a callable, or a tensor recorded on ``tape``) and
        apply them to ``var_list``."""
        from .engine.autodiff import GradientTape
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        if callable(loss):
            with GradientTape() as t:
                value = loss()
        else:
            if tape is None:
                raise ValueError("`tape` is required when a `Tensor` loss is passed.")
            t, value = tape, loss
        grads = t.gradient(value, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def _before_step(self):
        """Per-step state shared by all variables (Nadam's momentum product)."""

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Leave ``var_list``, and variables whose names contain any of ``var_names`` (e.g.
        ``["bias"]``), out of the weight decay; only before the first update, as in Keras."""
        if self._built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before "
                             "the optimizer is built.")
        self._no_decay_ids.update(id(v) for v in var_list or ())
        if var_names:
            self._no_decay_pattern = "|".join(set(var_names))

    def _decays(self, variable) -> bool:
        import re
        if id(variable) in self._no_decay_ids:
            return False
        return self._no_decay_pattern is None or \
            re.search(self._no_decay_pattern, variable.name) is None

    def _step(self) -> float:
        return float(int(self.iterations.numpy()) + 1)

    def get_config(self) -> dict:
        lr = self._learning_rate
        return {"name": self.name, "learning_rate": lr if not callable(lr) else
                lr.get_config(), "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "clipvalue": self.clipvalue,
                "global_clipnorm": self.global_clipnorm}


def _clip_by_norm(g, clip):
    n = float(norm(g))
    return g if n <= clip else g * (clip / n)


class SGD(Optimizer):
    """Gradient descent, with optional momentum and Nesterov momentum (Keras's form)."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD",
                 **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def _slot_groups(self):
        return [[("momentum", 0.0)]] if self.momentum else []

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        lr, mu = learning_rate, self.momentum
        if mu:
            m = self.add_slot(variable, "momentum")._writable()
            m *= mu
            m -= g * lr
            if self.nesterov:
                w += m * mu - g * lr
            else:
                w += m
        else:
            w -= g * lr


class RMSprop(Optimizer):
    """Divide the gradient by a running root mean square (optionally centered, with
    momentum)."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, name="rmsprop", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def _slot_groups(self):
        return [[("velocity", 0.0)]] + ([[("momentum", 0.0)]] if self.momentum > 0 else []) \
            + ([[("average_gradient", 0.0)]] if self.centered else [])

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        rho = self.rho
        vel = self.add_slot(variable, "velocity")._writable()
        vel *= rho
        vel += (1 - rho) * g * g
        if self.centered:
            avg = self.add_slot(variable, "average_gradient")._writable()
            avg *= rho
            avg += (1 - rho) * g
            denominator = vel - avg * avg + self.epsilon
        else:
            denominator = vel + self.epsilon
        increment = learning_rate * g / xp.sqrt(denominator)
        if self.momentum > 0:
            mom = self.add_slot(variable, "momentum")._writable()
            mom *= self.momentum
            mom += increment
            w -= mom
        else:
            w -= increment


class Adam(Optimizer):
    """Adaptive moment estimation (Kingma & Ba), bias-corrected, optionally AMSGrad."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="adam", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad

    def _slot_groups(self):
        return [[("m", 0.0), ("v", 0.0)]] + ([[("vhat", 0.0)]] if self.amsgrad else [])

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        t = self._step()
        alpha = learning_rate * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        m, vel = _moments(self, variable, g)
        second = vel
        if self.amsgrad:
            vhat = self.add_slot(variable, "vhat")._writable()
            xp.maximum(vhat, vel, out=vhat)
            second = vhat
        w -= m * alpha / (xp.sqrt(second) + self.epsilon)


class Nadam(Optimizer):
    """Adam with Nesterov momentum (Dozat), with Keras's momentum schedule."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="nadam", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self._u_product = 1.0
        self._u_value = _ValueNode("u_product", lambda: np.float32(self._u_product),
                                   lambda value: setattr(self, "_u_product", float(value)))

    def _slot_groups(self):
        return [[("m", 0.0), ("v", 0.0)]]

    def _extra_values(self):
        return [self._u_value] if self._slot_list else []

    def _before_step(self):
        t = self._step()
        self._u_product *= self.beta_1 * (1.0 - 0.5 * 0.96 ** t)

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        t = self._step()
        u_t = self.beta_1 * (1.0 - 0.5 * 0.96 ** t)
        u_t_1 = self.beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        u_product_t = self._u_product
        u_product_t_1 = u_product_t * u_t_1
        m, vel = _moments(self, variable, g)
        m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product_t)
        v_hat = vel / (1 - self.beta_2 ** t)
        w -= m_hat * learning_rate / (xp.sqrt(v_hat) + self.epsilon)


class Adagrad(Optimizer):
    """Per-coordinate learning rates from the accumulated squared gradients."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name="adagrad", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _slot_groups(self):
        return [[("accumulator", self.initial_accumulator_value)]]

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        acc = self.add_slot(variable, "accumulator", self.initial_accumulator_value)._writable()
        acc += g * g
        w -= learning_rate * g / xp.sqrt(acc + self.epsilon)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): each step first shrinks the
    weights by ``learning_rate * weight_decay``, as Keras's AdamW."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, name="adamw", **kwargs):
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: "
                             "weight_decay=None")
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad, name=name,
                         weight_decay=weight_decay, **kwargs)


class Adamax(Optimizer):
    """Adam with the infinity norm in place of the second moment (Kingma & Ba, sec. 7)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="adamax", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def _slot_groups(self):
        return [[("momentum", 0.0), ("norm", 0.0)]]

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        m = self.add_slot(variable, "momentum")._writable()
        u = self.add_slot(variable, "norm")._writable()
        m += (g - m) * (1 - self.beta_1)
        xp.maximum(self.beta_2 * u, xp.abs(g), out=u)
        w -= learning_rate * m / ((1 - self.beta_1 ** self._step()) * (u + self.epsilon))


class Adadelta(Optimizer):
    """Steps from the ratio of running RMS of updates and gradients (Zeiler), scaled by the
    learning rate as in Keras."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="adadelta",
                 **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.rho, self.epsilon = rho, epsilon

    def _slot_groups(self):
        return [[("accumulated_grad", 0.0), ("accumulated_delta_var", 0.0)]]

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        rho, eps = self.rho, self.epsilon
        acc_g = self.add_slot(variable, "accumulated_grad")._writable()
        acc_d = self.add_slot(variable, "accumulated_delta_var")._writable()
        acc_g[...] = rho * acc_g + (1 - rho) * g * g
        delta = -(xp.sqrt(acc_d + eps) * g) / xp.sqrt(acc_g + eps)
        acc_d[...] = rho * acc_d + (1 - rho) * delta * delta
        w += learning_rate * delta


class Ftrl(Optimizer):
    """Follow-the-regularized-leader (McMahan et al.), with L1, L2 and shrinkage
    regularization, as Keras's Ftrl."""

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, name="ftrl", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        checks = [(initial_accumulator_value < 0, "initial_accumulator_value", ">= 0"),
                  (learning_rate_power > 0, "learning_rate_power", "<= 0"),
                  (l1_regularization_strength < 0, "l1_regularization_strength", ">= 0"),
                  (l2_regularization_strength < 0, "l2_regularization_strength", ">= 0"),
                  (l2_shrinkage_regularization_strength < 0,
                   "l2_shrinkage_regularization_strength", ">= 0")]
        for bad, what, rule in checks:
            if bad:
                raise ValueError(f"`{what}` needs to be {rule}")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _slot_groups(self):
        return [[("accumulator", self.initial_accumulator_value), ("linear", 0.0)]]

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        lr, power = learning_rate, self.learning_rate_power
        accum = self.add_slot(variable, "accumulator", self.initial_accumulator_value) \
            ._writable()
        linear = self.add_slot(variable, "linear")._writable()
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        grad_to_use = g + 2 * self.l2_shrinkage_regularization_strength * w
        new_accum = accum + g * g
        linear += grad_to_use - (new_accum ** -power - accum ** -power) / lr * w
        quadratic = new_accum ** -power / lr + 2 * l2
        l1 = self.l1_regularization_strength
        w[...] = (xp.clip(linear, -l1, l1) - linear) / quadratic
        accum[...] = new_accum


class Lion(Optimizer):
    """The sign of an interpolated momentum (Chen et al., "Symbolic Discovery of
    Optimization Algorithms"); use a smaller learning rate than Adam's."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, name="lion", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(f"Argument `beta_1` must be in the [0, 1] range. Otherwise, the "
                             f"optimizer degenerates to SignSGD. Received: beta_1={beta_1}.")
        self.beta_1, self.beta_2 = beta_1, beta_2

    def _slot_groups(self):
        return [[("momentum", 0.0)]]

    def update_step(self, gradient, variable, learning_rate):
        xp, g, w = _arrays(gradient, variable)
        m = self.add_slot(variable, "momentum")._writable()
        w -= learning_rate * xp.sign(m * self.beta_1 + g * (1.0 - self.beta_1))
        m[...] = m * self.beta_2 + g * (1.0 - self.beta_2)


class _ValueNode:
    """A checkpointed value that is not a Variable (the learning rate, Nadam's product)."""

    def __init__(self, name, read, write):
        self.name, self._read, self._write = name, read, write

    def _checkpoint_read(self):
        return self._read()

    def _checkpoint_assign(self, value):
        if np.ndim(value) != 0:
            raise ValueError(f"Checkpoint holds a value of shape {list(np.shape(value))} "
                             f"for the optimizer's {self.name}, a scalar")
        self._write(value)


class _CheckpointList:
    """The optimizer's ``_variables`` node: its values by index; values for slots the
    optimizer has not built yet wait until it does."""

    def __init__(self, opt):
        self._opt = opt

    @property
    def _restored(self):
        return self._opt._restored_nodes

    def _checkpoint_children(self):
        return [(str(i), v) for i, v in enumerate(self._opt._checkpoint_values())]

    def _checkpoint_defer(self, name, node, value, key):
        if name.isdigit():
            self._opt._pending[int(name)] = (value, node, key)


def _restore_into(target, value, key):
    from .checkpoint import _assign, _check_value
    _check_value(target, value, key)
    _assign(target, value)


def _moments(opt, variable, g):
    """Adam's and Nadam's running first and second moments, updated in place."""
    m = opt.add_slot(variable, "m")._writable()
    vel = opt.add_slot(variable, "v")._writable()
    m += (g - m) * (1 - opt.beta_1)
    vel += (g * g - vel) * (1 - opt.beta_2)
    return m, vel


def _arrays(gradient, variable):
    """(array module, gradient array, the variable's writable array). The updates run in
    place on the variable's own device, as fused array expressions: optimizer state is not
    differentiated, and one pass per formula beats a chain of ops on Variables."""
    dev = variable._device
    g = gradient if isinstance(gradient, Tensor) else S.identity(gradient)
    if g._device is not dev:
        g = wrap(dev.backend.adopt(g._data, g._device.backend), g._dtype, dev)
    if tuple(g.shape) != tuple(variable.shape):
        raise ValueError(f"gradient of shape {list(g.shape)} does not match variable "
                         f"{variable.name} of shape {list(variable.shape)}")
    return dev.backend.xp, g._data, variable._writable()


__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adamax", "Adadelta", "Ftrl",
           "Lion", "Nadam", "Adagrad", "schedules",
           "ExponentialDecay", "PiecewiseConstantDecay", "LearningRateSchedule"]


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
