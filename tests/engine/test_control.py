"""ts.cond, ts.while_loop, ts.map_fn, ts.switch_case and ts.print: TensorFlow's contracts,
run eagerly (gradients record through them like any other Python code)."""

import io

import numpy as np
import pytest

import tensorshell as ts


def test_cond_takes_a_scalar_bool():
    x = ts.constant(-3.0)
    assert float(ts.cond(x > 0, lambda: x, lambda: -x)) == 3.0
    assert ts.cond(True, lambda: 1, lambda: 2) == 1
    with pytest.raises(ValueError, match="scalar bool"):
        ts.cond(ts.constant([True, False]), lambda: 1, lambda: 2)
    with pytest.raises(TypeError, match="predicate"):
        ts.cond(1, lambda: 1, lambda: 2)


def test_while_loop_keeps_the_structure_and_converts_values():
    i, s = ts.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), [0, 0])
    assert int(i) == 5 and int(s) == 10 and i.dtype is ts.int32
    out = ts.while_loop(lambda i: i < 100, lambda i: i + 1, (0,), maximum_iterations=3)
    assert isinstance(out, tuple) and int(out[0]) == 3
    with pytest.raises(TypeError, match="list or tuple"):
        ts.while_loop(lambda i: i < 5, lambda i: i + 1, 0)
    with pytest.raises(ValueError, match="2 values for 1"):
        ts.while_loop(lambda i: i < 5, lambda i: (i, i), [0])


def test_gradient_through_a_while_loop():
    x = ts.Variable(1.5)
    with ts.GradientTape() as tape:
        _, y = ts.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, 1.0])
    assert float(y) == pytest.approx(1.5 ** 3)
    assert float(tape.gradient(y, x)) == pytest.approx(3 * 1.5 ** 2)


def test_map_fn():
    m = ts.constant([[1, 2], [3, 4]])
    assert ts.map_fn(lambda r: r * 2, m).numpy().tolist() == [[2, 4], [6, 8]]
    assert ts.map_fn(ts.reduce_sum, m).numpy().tolist() == [3, 7]
    f = ts.map_fn(lambda r: ts.cast(r, ts.float32), ts.constant([1, 2]),
                  fn_output_signature=ts.float32)
    assert f.dtype is ts.float32
    pair = ts.map_fn(lambda xy: xy[0] + xy[1], (ts.constant([1, 2]), ts.constant([3, 4])),
                     fn_output_signature=ts.int32)
    assert pair.numpy().tolist() == [4, 6]
    a, b = ts.map_fn(lambda r: (r, r * 2), ts.constant([1, 2]),
                     fn_output_signature=(ts.int32, ts.int32))
    assert b.numpy().tolist() == [2, 4]
    with pytest.raises(ts.errors.InvalidArgumentError, match="returned float32") as info:
        ts.map_fn(lambda r: ts.cast(r, ts.float32), ts.constant([1, 2]))
    assert "fn_output_signature=ts.float32" in info.value.hint
    assert ts.map_fn(lambda r: r, ts.zeros((0, 3))).shape == (0, 3)


def test_switch_case():
    branches = [lambda: 10, lambda: 20]
    assert ts.switch_case(ts.constant(0), branches) == 10
    assert ts.switch_case(7, branches) == 20                      # out of range: the last
    assert ts.switch_case(7, branches, default=lambda: -1) == -1


def _printed(*args, **kwargs):
    buf = io.StringIO()
    ts.print(*args, output_stream=buf, **kwargs)
    return buf.getvalue()


def test_print_formats_like_tensorflow():
    assert _printed(ts.constant([1.5, 2.])) == "[1.5 2]\n"
    assert _printed("loss:", ts.constant(0.25), 3, [1, 2]) == "loss: 0.25 3 [1, 2]\n"
    assert _printed(ts.range(10)) == "[0 1 2 ... 7 8 9]\n"
    assert _printed(ts.range(10), summarize=-1) == "[0 1 2 3 4 5 6 7 8 9]\n"
    assert _printed(ts.constant([[1.123456789, 2.], [3., 4.]]), end="!\n") == \
        "[[1.12345684 2]\n [3 4]]!\n"
    assert _printed(ts.constant(["a", "b"]), ts.constant(True)) == '["a" "b"] 1\n'
    assert _printed({"a": ts.constant(1)}) == "{'a': 1}\n"
    assert _printed(ts.constant([0.1, 1 / 3], ts.float64)) == "[0.1 0.33333333333333331]\n"
    assert _printed(ts.constant(1.0), ts.constant(2.0), sep=", ") == "1, 2\n"


def test_print_goes_to_stderr_by_default(capsys):
    ts.print(ts.constant([1, 2]))
    captured = capsys.readouterr()
    assert captured.err == "[1 2]\n" and captured.out == ""


def test_print_matches_tensorflow(capfd):
    tf = pytest.importorskip("tensorflow")
    import sys
    values = [lambda m: m.constant([[0.1, 1 / 3], [7., -2.5]], m.float64),
              lambda m: m.reshape(m.range(40), (5, 8)), lambda m: m.constant(123456789.),
              lambda m: m.constant([True, False, True]), lambda m: m.constant(["x", "yz"])]
    for make in values:
        tf.print(make(tf), output_stream=sys.stdout)
        want = capfd.readouterr().out
        assert _printed(make(ts)) == want


def test_python_floats_keep_their_precision_when_converted_to_float64():
    # they default to float32, but a float64 target gets the exact values
    assert ts.constant([0.1, 1 / 3], ts.float64).numpy().tolist() == [0.1, 1 / 3]
    x = ts.constant([1.], ts.float64)
    assert (x + [0.1]).numpy()[0] == 1.1
    assert ts.Variable([0.1], dtype=ts.float64).numpy()[0] == 0.1
    assert ts.constant([16777217.0], ts.float64).numpy()[0] == 16777217
    with pytest.raises(TypeError, match="Python floats do not become integers"):
        ts.constant([1.0, 2.0], ts.int32)      # a kind change, refused as TensorFlow does
    assert ts.constant([0.1]).dtype is ts.float32
    np.testing.assert_array_equal(ts.constant([0.1, 0.2], ts.complex128).numpy(),
                                  [0.1 + 0j, 0.2 + 0j])


def test_tensor_array():
    ta = ts.TensorArray(ts.float32, size=0, dynamic_size=True)
    for i in range(3):
        ta = ta.write(i, ts.constant([i * 1., i + 1.]))
    assert int(ta.size()) == 3 and ta.element_shape == [2]
    assert ta.stack().numpy().tolist() == [[0., 1.], [1., 2.], [2., 3.]]
    assert ta.read(1).numpy().tolist() == [1., 2.]
    assert ta.gather([2, 0]).numpy().tolist() == [[2., 3.], [0., 1.]]
    assert ta.concat().shape == (6,)
    fixed = ts.TensorArray(ts.int32, size=2)
    with pytest.raises(ts.errors.OutOfRangeError, match="not resizeable and size is: 2"):
        fixed.write(5, 1)
    with pytest.raises(ts.errors.InvalidArgumentError, match="dtype is int32 but"):
        fixed.write(0, ts.constant(1.5))
    assert fixed.write(0, 1).write(1, 2).stack().numpy().tolist() == [1, 2]
    with pytest.raises(ValueError, match="Incompatible shape"):
        ts.TensorArray(ts.float32, size=2).write(0, ts.ones(2)).write(1, ts.ones(3))
    filled = ts.TensorArray(ts.float32, size=3).unstack([[1., 2.], [3., 4.], [5., 6.]])
    assert filled.read(2).numpy().tolist() == [5., 6.]
    assert ts.TensorArray(ts.float32, size=2).scatter([1, 0], [[1.], [2.]]).stack() \
        .numpy().tolist() == [[2.], [1.]]
    assert ts.TensorArray(ts.float32, size=0, dynamic_size=True).stack().shape == (0,)
    zeros_first = ts.TensorArray(ts.float32, size=2, element_shape=[2]).write(1, [1., 2.])
    assert zeros_first.stack().numpy().tolist() == [[0., 0.], [1., 2.]]
    with pytest.raises(ValueError, match="never written"):
        ts.TensorArray(ts.float32, size=2).stack()


def test_tensor_array_in_a_differentiated_loop():
    x = ts.Variable(2.0)
    with ts.GradientTape() as tape:
        ta = ts.TensorArray(ts.float32, size=3)
        for i in range(3):
            ta = ta.write(i, x ** (i + 1))
        total = ts.reduce_sum(ta.stack())
    assert float(total) == 2 + 4 + 8
    assert float(tape.gradient(total, x)) == 1 + 4 + 12


def test_print_of_arrays_complex_values_and_nested_structures():
    assert _printed(np.array([1.5, 2.0], np.float32)) == "[1.5 2]\n"
    assert _printed(ts.constant([1 + 2j], ts.complex64)) == "[(1,2)]\n"
    assert _printed(("a", [ts.constant(1)])) == "('a', [1])\n"


def test_tensor_array_identity_and_close():
    ta = ts.TensorArray(ts.int32, size=1).write(0, 5)
    assert ta.identity() is ta and int(ta.read(0)) == 5
    ta.close()
    assert int(ta.size()) == 0
    with pytest.raises(TypeError, match="bool"):
        ts.config.run_functions_eagerly("yes")
