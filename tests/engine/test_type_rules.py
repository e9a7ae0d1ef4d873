"""No implicit type conversion, and no silent data loss: the chapter's rule and ours."""

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.errors import InvalidArgumentError


@pytest.mark.cpu_only
def test_mixed_dtypes_raise_with_the_fix():
    with pytest.raises(InvalidArgumentError) as info:
        ts.constant(2.0) + ts.constant(40)
    e = info.value
    assert "add cannot combine float32 (x) with int32 (y)" in str(e)
    assert e.op_name == "add" and e.kind == "dtype"
    assert [o.dtype for o in e.operands] == ["float32", "int32"]
    assert [o.label for o in e.operands] == ["x", "y"]
    assert e.operands[0].shape == () and e.operands[0].device == "cpu:0"
    assert e.hint == "ts.cast(y, ts.float32)"
    with pytest.raises(InvalidArgumentError) as info:
        ts.constant(2.0) + ts.constant(40., dtype=ts.float64)
    assert info.value.hint == "ts.cast(x, ts.float64)"  # the cast that loses nothing


def test_weak_python_values_adopt_the_tensor_dtype():
    f = ts.constant([1., 2.])
    i = ts.constant([1, 2])
    assert (f + 10).dtype is ts.float32
    assert (i + 2).dtype is ts.int32
    assert (10 - i).numpy().tolist() == [9, 8]
    assert (ts.constant([1, 2], ts.int8) * 3).dtype is ts.int8
    assert (f + np.array([1.5, 2.5])).dtype is ts.float32  # float64 array: rounding only
    assert (np.array([1.5, 2.5], np.float32) + f).dtype is ts.float32
    assert (f + [1, 2]).dtype is ts.float32
    assert (ts.constant(2., ts.float16) + 3).dtype is ts.float16


@pytest.mark.parametrize("expr,fix", [
    (lambda: ts.constant(1) + 1.5, "ts.cast(x, ts.float32)"),
    (lambda: ts.constant(1) + 2.0, "ts.cast(x, ts.float32)"),
    (lambda: ts.constant(1) + np.float64(1.5), "ts.cast(x, ts.float64)"),
    (lambda: ts.constant(1) + 2**40, "ts.cast(x, ts.int64)"),
    (lambda: ts.constant(1, ts.uint8) + (-1), None),
    (lambda: ts.constant(1.) + 1e300, "ts.cast(x, ts.float64)"),
    (lambda: ts.constant(1., ts.float16) + 70000., "ts.cast(x, ts.float32)"),
    (lambda: ts.constant([1, 2]) + np.array([0.5, 1.0]), None),
    (lambda: ts.constant([1, 2]) + [1.0, 2.0], None),          # Python floats into ints
    (lambda: ts.constant(True) + ts.constant(True), "ts.cast(x, ts.int32)"),
])
def test_lossy_values_raise_instead_of_truncating(expr, fix):
    with pytest.raises(InvalidArgumentError) as info:
        expr()
    if fix:
        assert fix in info.value.hint


@pytest.mark.parametrize("value", [1e300, [1e300], [1., -1e39], [[2.], [1e300]], (1e300,),
                                   3.4028236e38, [0.5] * 100 + [1e300]])
def test_python_floats_beyond_float32_raise_with_the_fix(value):
    """Python floats become float32; one beyond its range would silently become inf, so
    (as TensorFlow does) the constructor refuses and names the fix. Explicit float64 keeps
    it; infinities and NaN are values, not overflows."""
    for make in (ts.constant, ts.convert_to_tensor, ts.Variable, ts.exp):
        with pytest.raises(ValueError, match=r"overflows float32.*dtype=ts\.float64"):
            make(value)
    with pytest.raises(ValueError, match="overflows? float32"):
        ts.constant(value, dtype=ts.float32)
    assert np.array_equal(ts.constant(value, dtype=ts.float64).numpy(), np.array(value))


_LISTS = [[1.5, 2.5], [1, 2.5], [1, 2], [], [1.5, True], [1e300], [-1e39, 1.], [3e38] * 80,
          [float("inf"), float("nan"), 1], [1.7e308, 1.7e308], [2**62, 1.5], [2**63, 1.5],
          [-2**63, 0.5], [2**2000, 1.], [1.5, "2"], [1.5, None], [np.float32(1), 2.5],
          [1.5, [2.5]], [0.1] * 1000, [0.1] * 1000 + [1e300], [3.4028235e38, -3.4028235e38]]


@pytest.mark.parametrize("value", _LISTS, ids=range(len(_LISTS)))
def test_the_constant_fast_paths_agree_with_the_general_path(value):
    """ts.constant's flat-float-list check (C when built, Python otherwise) may only say
    yes where the general path gives float32 with the same values."""
    from tensorshell.engine import speedups, tensor
    checks = [tensor.floats_fit_float32] + ([speedups.C.floats_fit_float32]
                                            if speedups.C is not None else [])
    try:
        want = tensor.infer(value)
    except ValueError:
        want = None
    for check in checks:
        if check(value):
            assert want is not None and want[1] is ts.float32
            np.testing.assert_array_equal(ts.constant(value).numpy(), want[0])
            assert ts.constant(value).dtype is ts.float32


def test_ints_beyond_int64_beside_floats_raise_as_in_tensorflow():
    for value in ([2**63, 1.5], [2**100, 1.], [1., -2**64]):
        with pytest.raises(ValueError, match="out-of-range integer"):
            ts.constant(value)


def test_float32_limits_and_non_finite_values_are_kept():
    assert ts.constant(3.4e38).numpy() == np.float32(3.4e38)
    assert ts.constant([3e38] * 80).numpy().max() == np.float32(3e38)  # a norm over the limit
    got = ts.constant([float("inf"), float("nan"), -float("inf"), 1e-50]).numpy()
    np.testing.assert_array_equal(got, np.array([np.inf, np.nan, -np.inf, 0.], np.float32))


def test_booleans_are_zero_and_one_in_numeric_tensors_as_in_tensorflow():
    # nothing is lost: TensorFlow (and Python) take True as 1
    assert (ts.constant([1., 2.]) + True).numpy().tolist() == [2., 3.]
    assert (ts.constant([1, 2]) * [True, False]).numpy().tolist() == [1, 0]
    assert (ts.constant([1.], ts.float16) + np.array([True])).dtype is ts.float16
    assert ts.constant(True, ts.int32).numpy() == 1
    assert (ts.constant([True]) & True).dtype is ts.bool
    with pytest.raises(InvalidArgumentError):
        ts.constant(True) + ts.constant(True)                  # bool tensors: no arithmetic
    with pytest.raises(InvalidArgumentError):
        ts.constant([True]) & 2                                 # numbers do not become bools
    assert ts.constant([], ts.int32).shape == (0,)              # [] holds no float


def test_division_and_integer_rules():
    assert (ts.constant(7) / ts.constant(2)).dtype is ts.float64
    assert float(ts.constant(7) / 2) == 3.5
    assert (ts.constant(7, ts.int16) / ts.constant(2, ts.int16)).dtype is ts.float32
    assert int(ts.constant(-7) // 2) == -4 and int(ts.constant(-7) % 2) == 1
    with pytest.raises(InvalidArgumentError, match="Integer division by zero"):
        ts.constant(7) // 0
    with pytest.raises(InvalidArgumentError, match="Integer division by zero"):
        ts.constant([7, 1]) % ts.constant([1, 0])
    with pytest.raises(InvalidArgumentError, match="negative integer powers"):
        ts.constant(2) ** -1
    assert float(ts.constant(1.) / 0.) == float("inf")  # floats follow IEEE, silently
    with pytest.raises(InvalidArgumentError, match="does not accept int32"):
        ts.math.exp(ts.constant(1))
    with pytest.raises(InvalidArgumentError, match="does not accept int32"):
        ts.sqrt(ts.constant(4))
    assert (ts.constant(1) < ts.constant(2)).dtype is ts.bool


def test_failed_op_leaves_inputs_untouched():
    a = ts.constant([1., 2.])
    before = a.numpy().copy()
    with pytest.raises(InvalidArgumentError):
        a + ts.constant([1, 2, 3.])
    np.testing.assert_array_equal(a.numpy(), before)


def test_shape_errors_name_both_shapes():
    with pytest.raises(InvalidArgumentError, match=r"incompatible shapes \[2,3\] vs. \[3,2\]") \
            as info:
        ts.ones((2, 3)) + ts.ones((3, 2))
    assert info.value.kind == "shape" and "dimension -1" in str(info.value)
    with pytest.raises(InvalidArgumentError,
                       match=r"matmul: incompatible shapes \[2,3\] and \[2,3\]"):
        ts.matmul(ts.ones((2, 3)), ts.ones((2, 3)))
    with pytest.raises(InvalidArgumentError, match="rank >= 2"):
        ts.ones(3) @ ts.ones(3)


def test_no_raw_numpy_exception_escapes():
    calls = [lambda: ts.linalg.inv(ts.zeros((2, 2))),
             lambda: ts.reshape(ts.ones(6), [4, -1]),
             lambda: ts.einsum("ij,jk->ik", ts.ones((2, 3)), ts.ones((2, 3))),
             lambda: ts.tile(ts.ones(2), [1, 2]),
             lambda: ts.constant([1, 2])[5]]
    for call in calls:
        with pytest.raises(ts.errors.OpError):
            call()


def test_float_edge_cases_are_silent_outside_pytest():
    import subprocess
    import sys
    code = ("import tensorshell as ts; ts.constant(1.) / 0.; ts.math.log(ts.constant(-1.));"
            "ts.reduce_mean(ts.constant([], ts.float32)); ts.constant([3e38]) * 10.")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and r.stderr == ""


@pytest.mark.parametrize("call", [
    lambda f64, f32: ts.linalg.solve(ts.eye(2, dtype=ts.float64), ts.ones((2, 1))),
    lambda f64, f32: ts.pad(f32, [[1, 1]], constant_values=ts.constant(2.0, ts.float64)),
    lambda f64, f32: ts.linspace(ts.constant(0.), ts.constant(1., ts.float64), 3),
    lambda f64, f32: ts.tensor_scatter_nd_update(f32, [[0]], ts.constant([1.], ts.float64)),
    lambda f64, f32: ts.nn.batch_normalization(f32, f64, 1., None, None, 1e-3),
    lambda f64, f32: ts.clip_by_norm(f32, ts.constant(1., ts.float64)),
], ids=["solve", "pad", "linspace", "tensor_scatter_nd_update", "batch_normalization",
        "clip_by_norm"])
def test_a_tensor_operand_is_never_converted_to_its_partners_dtype(call):
    """Python values adopt the other operand's dtype; a tensor of another dtype refuses,
    naming the cast (these ops used to convert it silently)."""
    with pytest.raises(ts.errors.InvalidArgumentError, match="never converts implicitly"):
        call(ts.constant([1., 2.], ts.float64), ts.constant([1., 2.]))


def test_errors_raised_inside_array_libraries_are_told_apart():
    """The registry translates a TypeError/ValueError whose last frame is in NumPy's (or
    CuPy's) Python code - arguments an op did not check - and leaves tensorshell's own."""
    from tensorshell.engine.ops.registry import _raised_outside
    with pytest.raises(ValueError) as numpy_side:
        np.pad(np.ones(2), 1, mode="no such mode")
    assert _raised_outside(numpy_side.value)
    with pytest.raises(InvalidArgumentError) as ours:
        ts.reshape(ts.ones(6), [4, -1])
    assert not _raised_outside(ours.value)
