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


# (program, exception class name or None when it passes, a phrase of the message)
CHECKS = [
    ("tf.debugging.assert_greater(tf.constant([1, 5]), 2)", "InvalidArgumentError",
     "Condition x > y did not hold.\nFirst 2 elements of x:\n[1 5]\nFirst 1 elements of y:\n[2]"),
    ("tf.debugging.assert_greater(tf.constant([3, 5]), 2)", None, None),
    ("tf.debugging.assert_less(tf.constant([1., 5.]), 2., message='too big')",
     "InvalidArgumentError", "too big\nCondition x < y did not hold."),
    ("tf.debugging.assert_less_equal([1, 2], [1, 1], summarize=1)", "InvalidArgumentError",
     "Indices of first 1 different values:\n[[1]]\nCorresponding x values:\n[2]"),
    ("tf.debugging.assert_greater_equal(tf.constant([1.]), tf.constant([1, 2]))",
     "InvalidArgumentError", None),
    ("tf.debugging.assert_none_equal([1, 2], [3, 2])", "InvalidArgumentError",
     "Condition x != y did not hold."),
    ("tf.debugging.assert_greater(tf.ones(2), tf.ones(3))", "InvalidArgumentError",
     "Incompatible shapes: [2] vs. [3]"),
    ("tf.debugging.assert_positive([1, 0, -1])", "InvalidArgumentError",
     "Condition x > 0 did not hold element-wise:\nx (shape=(3,) dtype=int32)"),
    ("tf.debugging.assert_positive(tf.constant([], tf.float32))", None, None),
    ("tf.debugging.assert_negative([-1.])", None, None),
    ("tf.debugging.assert_non_negative([-1])", "InvalidArgumentError", "x >= 0"),
    ("tf.debugging.assert_non_positive(tf.constant([1.]))", "InvalidArgumentError", "x <= 0"),
    ("tf.debugging.assert_integer(tf.constant(1.))", "TypeError", "to be integer type"),
    ("tf.debugging.assert_integer(tf.constant(1))", None, None),
    ("tf.debugging.assert_type(tf.constant(1.), tf.int32)", "TypeError",
     "must be of type"),
    ("tf.debugging.assert_type(tf.constant(1.), tf.float32)", None, None),
    ("tf.debugging.assert_scalar(tf.constant([1.]))", "ValueError",
     "Expected scalar shape, saw shape: (1,)."),
    ("tf.debugging.assert_rank_at_least(tf.ones((2,)), 2)", "ValueError",
     "must have rank at least 2.  Received rank 1, shape (2,)"),
    ("tf.debugging.assert_rank_in(tf.ones((2,)), [0, 2])", "ValueError",
     "must have rank in (0, 2).  Received rank 1, shape (2,)"),
    ("tf.debugging.assert_rank_in(tf.ones((2,)), [1, 2])", None, None),
    ("tf.debugging.assert_same_float_dtype([tf.ones(1), tf.ones(1, tf.float64)])",
     "ValueError", "must be of the same type"),
    ("tf.debugging.assert_same_float_dtype([tf.ones(1, tf.int32)])", "ValueError",
     "Expected floating point type, got ts.int32."),
    ("tf.debugging.assert_proper_iterable('abc')", "TypeError", "proper"),
    ("tf.debugging.assert_proper_iterable(tf.ones(2))", "TypeError", "proper"),
    ("tf.debugging.assert_proper_iterable([1])", None, None),
    ("tf.debugging.Assert(tf.constant(False), [tf.constant([1, 2]), 'hello'])",
     "InvalidArgumentError", "to be true. Summarized data: 1, 2\nb'hello'"),
    ("tf.debugging.Assert(True, ['x'])", None, None),
    ("tf.debugging.Assert(tf.constant([True, True]), ['x'])", "ValueError", "ambiguous"),
    ("tf.debugging.assert_shapes([(tf.ones((2, 3)), ('N', 'D')), (tf.ones((2,)), ('N',))])",
     None, None),
    ("tf.debugging.assert_shapes([(tf.ones((2, 3)), ('N', 'D')), (tf.ones((3,)), ('N',))])",
     "ValueError", "dimension 0.  Tensor shape=(3,) dtype=float32 dimension 0 must have size "
     "2.  Received size 3, shape (3,)"),
    ("tf.debugging.assert_shapes([(tf.ones((2, 3)), ('N', 3)), (tf.ones(()), [])])", None,
     None),
    ("tf.debugging.assert_shapes([(tf.ones((2, 3)), (2, 4))])", "ValueError",
     "Specified explicitly.  Tensor shape=(2, 3) dtype=float32 dimension 1 must have size 4"),
    ("tf.debugging.assert_shapes([(tf.ones((2, 3)), ('N',))])", "ValueError",
     "must have rank in (0, 1).  Received rank 2"),
]


def _check(program, tf):
    try:
        result = eval(program, {"tf": tf})
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return type(e).__name__, str(e)
    return None, result


@pytest.mark.parametrize("program,error,phrase", CHECKS)
def test_the_assert_family(program, error, phrase):
    got, text = _check(program, ts)
    assert got == error, text
    if phrase:
        assert phrase in text


def test_assert_family_returns_and_top_level_names():
    assert ts.debugging.assert_same_float_dtype(None) is ts.float32
    assert ts.debugging.assert_same_float_dtype([ts.ones(1, ts.float64)]) is ts.float64
    assert ts.debugging.is_numeric_tensor(ts.ones(2))
    assert not ts.debugging.is_numeric_tensor(ts.constant("a"))
    assert not ts.debugging.is_numeric_tensor(1)
    assert ts.Assert is ts.debugging.Assert and ts.assert_less is ts.debugging.assert_less
    assert ts.assert_greater is ts.debugging.assert_greater


@pytest.mark.tf_oracle
def test_the_assert_family_fails_where_tensorflow_does():
    tf = pytest.importorskip("tensorflow")
    for program, _, _ in CHECKS:
        assert _check(program, tf)[0] == _check(program, ts)[0], program


@pytest.mark.cpu_only
def test_log_device_placement(capsys):
    add, getitem = ts.add, ts.Tensor.__dict__["__getitem__"]
    a = ts.constant([1., 2.])
    ts.debugging.set_log_device_placement(True)
    try:
        assert ts.debugging.get_log_device_placement()
        _ = a + 1, ts.matmul(ts.ones((2, 2)), ts.ones((2, 2))), ts.math.log(a), a[0]
        err = capsys.readouterr().err
        for op in ("add", "ones", "matmul", "log", "getitem"):
            assert f"Executing op {op} in device /job:localhost/replica:0/task:0/device:CPU:0" \
                in err, op
    finally:
        ts.debugging.set_log_device_placement(False)
    _ = a * 2
    assert capsys.readouterr().err == ""
    assert ts.add is add and ts.math.add is add and ts.Tensor.__dict__["__getitem__"] is getitem


def test_check_numerics_names_the_first_op_that_goes_wrong():
    a = ts.constant([1., 0.])
    ts.debugging.enable_check_numerics()
    try:
        assert ts.math.log(a + 1).numpy()[1] == 0
        with pytest.raises(ts.errors.InvalidArgumentError,
                           match='Detected Infinity in output 0 of eagerly-executing op "log"'):
            ts.math.log(a)
        with pytest.raises(ts.errors.InvalidArgumentError, match='NaN.*"truediv"'):
            _ = a / a
        ts.debugging.set_log_device_placement(True)   # both hooks at once, then one off
        ts.debugging.set_log_device_placement(False)
        with pytest.raises(ts.errors.InvalidArgumentError):
            ts.sqrt(ts.constant(-1.))
    finally:
        ts.debugging.disable_check_numerics()
    assert np.isinf(ts.math.log(a).numpy()[1])  # off again: TensorFlow's silent inf
