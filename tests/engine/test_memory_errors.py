"""An allocation that cannot succeed is ts.errors.ResourceExhaustedError naming the op, in
every op family, and the session goes on. The sizes exceed any machine's address space (4
PiB), so no overcommit setting lets them through."""

import numpy as np
import pytest

import tensorshell as ts

HUGE = 1 << 50

CASES = {
    "zeros": lambda: ts.zeros((HUGE,)),
    "ones": lambda: ts.ones((HUGE,)),
    "fill": lambda: ts.fill([HUGE], 1.0),
    "normal": lambda: ts.random.normal([HUGE]),
    "uniform": lambda: ts.random.uniform([HUGE]),
    "range": lambda: ts.range(0, HUGE, dtype=ts.int64),
    "eye": lambda: ts.eye(1 << 25),
    "tile": lambda: ts.tile(ts.ones(1 << 20), [1 << 30]),
    "one_hot": lambda: ts.one_hot(ts.range(1 << 24), 1 << 26),
    "constant": lambda: ts.constant(1.0, shape=(HUGE,)),
    "add": lambda: ts.broadcast_to(ts.ones(1), [HUGE]) + 1.0,
    "cast": lambda: ts.cast(ts.broadcast_to(ts.ones(1), [HUGE]), ts.float64),
    "matmul": lambda: ts.matmul(ts.ones((1 << 25, 1)), ts.ones((1, 1 << 25))),
}


@pytest.mark.cpu_only
@pytest.mark.parametrize("name", sorted(CASES))
def test_out_of_memory_is_resource_exhausted(name):
    with pytest.raises(ts.errors.ResourceExhaustedError, match="out of memory") as info:
        CASES[name]()
    assert info.value.op_name == name
    assert "shape" in str(info.value)          # NumPy's words name the array it wanted
    assert "del large tensors" in info.value.hint
    assert float(ts.reduce_sum(ts.ones(3))) == 3.0


def test_a_variable_is_unchanged_after_a_failed_update():
    v = ts.Variable(np.arange(3, dtype=np.float32))
    with pytest.raises(ts.errors.OpError):
        v.assign(ts.ones((HUGE,)))
    np.testing.assert_array_equal(v.numpy(), [0., 1., 2.])
