"""No raw NumPy or Python exception escapes a public op, whatever the arguments: every op
of the registry (and every composite) is called with one and two arguments drawn from a set
of awkward values. What may come out is a tensorshell error, or the TypeError/ValueError an
op raises itself with TensorFlow's wording; never an IndexError, AttributeError, NumPy's
AxisError/UFuncTypeError, or a ValueError raised inside NumPy."""

import itertools
import traceback
import warnings

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.engine.ops.registry import COMPOSITES, OPS

AWKWARD = [
    ts.constant(np.arange(12, dtype=np.float32).reshape(3, 4)), ts.constant([[0, 1], [2, 3]]),
    ts.constant(1.0), ts.constant([True, False]), ts.constant("a"), 5, -7, 2.5, [1, 2],
    [[1, 2], [3]], None, (3, -2), "bad", np.ones((2, 3)), [], ts.constant([], ts.float32),
    [3, 4], [-1], 100, [0, 5], ts.constant([1, 2, 3]),
]

PUBLIC = {name: op.fn for name, op in OPS.items() if op.fn is not None and op.exports}
PUBLIC.update(COMPOSITES)


def _leaks(exc) -> bool:
    if isinstance(exc, ts.errors.OpError):
        return False
    if type(exc) in (TypeError, ValueError, NotImplementedError):
        # raised by tensorshell's own code, or by Python's call of it (a wrong arity)
        last = traceback.extract_tb(exc.__traceback__)[-1].filename
        return "tensorshell" not in last and last != __file__
    return True


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_awkward_arguments_give_tensorshell_errors(name):
    fn = PUBLIC[name]
    leaks = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in (1, 2):
            for args in itertools.product(AWKWARD, repeat=n):
                try:
                    fn(*args)
                except Exception as e:  # noqa: BLE001
                    if _leaks(e):
                        leaks.append(f"{name}{tuple(type(a).__name__ for a in args)}: "
                                     f"{type(e).__module__}.{type(e).__name__}: {e}")
    assert not leaks, "\n".join(leaks[:10])


@pytest.mark.parametrize("call, words", [
    (lambda: ts.broadcast_to(ts.ones(1), [-1]), "Dimension -1 must be >= 0"),
    (lambda: ts.eye(-1), "Dimension -1 must be >= 0"),
    (lambda: ts.linspace(ts.ones(3), ts.ones((3, 4)), 5), "shapes"),
    (lambda: ts.reduce_sum(ts.ones(3), axis=ts.constant(0.5)), "axis must be an int32"),
    (lambda: ts.gather(ts.constant(1.0), [0]), "at least 1 dimensional"),
    (lambda: ts.sort(ts.constant(1.0)), "sort"),
    (lambda: ts.squeeze(ts.ones((3, 4)), [5]), "squeeze"),
])
def test_tensorflow_raises_invalid_argument_here_too(call, words):
    with pytest.raises(ts.errors.InvalidArgumentError, match=words):
        call()


def test_padding_a_scalar_gives_the_scalar():
    assert float(ts.pad(ts.constant(3.0), [])) == 3.0
