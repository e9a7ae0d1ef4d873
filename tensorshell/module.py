"""``ts.Module``: TensorFlow's base class for models and layers written by hand. It finds the
Variables and sub-modules held in its attributes (also inside lists, tuples and dicts), so
``model.trainable_variables`` is what a training step hands to the tape and the optimizer.

>>> class Dense(ts.Module):
...     def __init__(self, n_in, n_out, name=None):
...         super().__init__(name=name)
...         self.w = ts.Variable(ts.random.normal([n_in, n_out]), name="w")
...         self.b = ts.Variable(ts.zeros([n_out]), name="b")
...     def __call__(self, x):
...         return ts.nn.relu(x @ self.w + self.b)
"""

from __future__ import annotations

import functools
import re

from .engine.variable import NAME_SCOPES, Variable, name_scope


def _snake(name: str) -> str:
    """``MyDense`` -> ``my_dense``, ``MLP`` -> ``mlp``, as TensorFlow names modules."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


class Module:
    """A named container of Variables and other Modules (see the module docstring)."""

    def __init__(self, name=None):
        if name is None:
            name = _snake(type(self).__name__)
        elif not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*",
                                                            name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be "
                             "valid Python identifiers (e.g. a valid class name).")
        self._name = name
        self._scope_name = "".join(NAME_SCOPES) + name + "/"

    @property
    def name(self) -> str:
        return self._name

    @property
    def name_scope(self) -> name_scope:
        """A ``ts.name_scope`` for this module: Variables created in it are named
        ``module_name/...``."""
        return name_scope(self._scope_name)

    @property
    def variables(self) -> tuple:
        """Every Variable of this module and its sub-modules (each once)."""
        return tuple(_flatten(self, lambda v: isinstance(v, Variable)))

    @property
    def trainable_variables(self) -> tuple:
        return tuple(_flatten(self, lambda v: isinstance(v, Variable) and v.trainable))

    @property
    def non_trainable_variables(self) -> tuple:
        return tuple(_flatten(self, lambda v: isinstance(v, Variable) and not v.trainable))

    @property
    def submodules(self) -> tuple:
        """Every Module held by this one, directly or below."""
        return tuple(_flatten(self, lambda v: isinstance(v, Module)))

    @classmethod
    def with_name_scope(cls, method):
        """Decorate a method so it runs inside the module's name scope."""
        @functools.wraps(method)
        def scoped(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)
        return scoped

    def __repr__(self):
        return f"<{type(self).__name__} {self._name!r}: {len(self.variables)} variables>"


def _children(value):
    """The Variables and Modules inside one attribute value, in order."""
    if isinstance(value, (Variable, Module)):
        yield value
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from _children(value[key])
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _children(item)


def _flatten(module, predicate):
    """Breadth-first, as TensorFlow: a module's own attributes (sorted by name) first, then
    each sub-module's; every object once."""
    seen = {id(module)}
    queue = [module]
    while queue:
        current = queue.pop(0)
        for key in sorted(vars(current)):
            for child in _children(vars(current)[key]):
                if id(child) in seen:
                    continue
                seen.add(id(child))
                if predicate(child):
                    yield child
                if isinstance(child, Module):
                    queue.append(child)
