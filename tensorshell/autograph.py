"""``ts.autograph``: TensorFlow's ``tf.autograph`` for an eager engine. AutoGraph rewrites
Python control flow into graph ops; tensorshell runs Python as it is (``ts.function`` is
eager), so converting is the identity and the decorators leave functions unchanged - code
written for TensorFlow that uses them runs as is.

>>> @ts.autograph.experimental.do_not_convert
... def f(x):
...     return x * 2
"""

from __future__ import annotations

import enum
import inspect

from ._public import submodule as _submodule

__all__ = ["experimental", "set_verbosity", "to_code", "to_graph", "trace"]


class _Feature(enum.Enum):
    """AutoGraph's optional conversions (``experimental_optional_features``)."""

    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def _do_not_convert(func=None):
    """Mark ``func`` as not to be converted (as a decorator, with or without a call):
    ``func`` itself, as nothing is converted here."""
    if func is None:
        return _do_not_convert
    return func


def _set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None,
                     shape_invariants=None):
    """Loop hints for AutoGraph's while loops: nothing to do for Python loops."""


def to_graph(entity, recursive=True, experimental_optional_features=None):
    """AutoGraph's converted form of ``entity``: ``entity`` itself (Python runs eagerly)."""
    if not callable(entity):
        raise ValueError(f"Expected a Python function or class, got {entity!r}")
    return entity


def to_code(entity, recursive=True, experimental_optional_features=None) -> str:
    """The source of ``entity``'s converted form: its own source, unchanged."""
    return inspect.getsource(entity)


_verbosity = 0


def set_verbosity(level, alsologtostdout=False):
    """AutoGraph's log level (kept; nothing is converted, so nothing is logged)."""
    global _verbosity
    _verbosity = int(level)


def trace(*args):
    """Print ``args`` as they are at this point of the program, as AutoGraph's trace."""
    print(*args)


_Feature.__name__ = _Feature.__qualname__ = "Feature"
_do_not_convert.__name__ = _do_not_convert.__qualname__ = "do_not_convert"
_set_loop_options.__name__ = _set_loop_options.__qualname__ = "set_loop_options"
experimental = _submodule(__name__, "experimental",
                         "`ts.autograph.experimental`, as TensorFlow's.",
                         {"Feature": _Feature, "do_not_convert": _do_not_convert,
                          "set_loop_options": _set_loop_options})

from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
