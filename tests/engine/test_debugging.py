"""ts.debugging: checks that pass quietly, or raise InvalidArgumentError saying what failed."""

import numpy as np
import pytest

import tensorshell as ts


def test_check_numerics():
    t = ts.constant([1., 2.])
    assert ts.debugging.check_numerics(t, "ok") is t
    with pytest.raises(ts.errors.InvalidArgumentError, match="loss : Tensor had NaN values"):
        ts.debugging.check_numerics(ts.constant([1., np.nan]), "loss")
    with pytest.raises(ts.errors.InvalidArgumentError, match="NaN and Inf"):
        ts.debugging.assert_all_finite(ts.constant([np.inf, np.nan]), "g")
    with pytest.raises(ts.errors.InvalidArgumentError, match="floating-point"):
        ts.debugging.check_numerics(ts.constant([1]), "ints")


def test_assert_equal_and_near():
    assert ts.debugging.assert_equal(ts.constant([1, 2]), [1, 2]) is None
    assert ts.assert_equal is ts.debugging.assert_equal
    with pytest.raises(ts.errors.InvalidArgumentError,
                       match=r"labels\nCondition x == y did not hold.*x\[1\] = 2, y = 3"):
        ts.debugging.assert_equal(ts.constant([1, 2]), [1, 3], message="labels")
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"Incompatible shapes: \[2\]"):
        ts.debugging.assert_equal(ts.ones(2), ts.ones(3))
    with pytest.raises(ts.errors.InvalidArgumentError, match="cannot combine"):
        ts.debugging.assert_equal(ts.ones(2), ts.ones(2, ts.int32))
    ts.debugging.assert_near(ts.constant([1.]), [1.0000001])
    with pytest.raises(ts.errors.InvalidArgumentError, match="not equal to tolerance"):
        ts.debugging.assert_near(ts.constant([1.]), [1.1])
    ts.debugging.assert_near(ts.constant([1.]), [1.1], atol=0.2)


def test_assert_rank():
    ts.debugging.assert_rank(ts.ones((2, 2)), 2)
    with pytest.raises(ts.errors.InvalidArgumentError, match="must have rank 1"):
        ts.assert_rank(ts.ones((2, 2)), 1)
