"""ts.function runs eagerly, keeps TensorFlow's signature checks, and decorates functions
and methods the ways TensorFlow code does."""

import numpy as np
import pytest

import tensorshell as ts


@ts.function(input_signature=[ts.TensorSpec(shape=[None], dtype=ts.float32)])
def double(x):
    return x * 2


def test_plain_decorator_runs_the_function_eagerly():
    calls = []

    @ts.function
    def f(x, y=1):
        calls.append(x)                  # Python side effects happen on every call
        return x + y

    assert int(f(ts.constant(1))) == 2 and int(f(ts.constant(1), y=5)) == 6
    assert len(calls) == 2 and f.input_signature is None
    assert f.__name__ == "f" and f.python_function(3) == 4


def test_outputs_come_back_as_tensors_as_from_a_tensorflow_graph():
    cube = ts.function(lambda x: x ** 3)
    r = cube(2)
    assert isinstance(r, ts.Tensor) and r.dtype is ts.int32 and int(r) == 8
    v = ts.Variable(1.0)
    pair = ts.function(lambda: (v, {"k": 2.5, "none": None}))()
    assert type(pair[0]) is ts.Tensor and float(pair[0]) == 1.0
    assert pair[1]["k"].dtype is ts.float32 and pair[1]["none"] is None


def test_signature_converts_python_values_to_its_dtype():
    r = double([1., 2.])
    assert r.dtype is ts.float32 and r.numpy().tolist() == [2., 4.]
    assert double(ts.constant([1., 2., 3.])).shape == (3,)


@pytest.mark.parametrize("arg", [ts.constant([1, 2]), ts.constant([[1.]]), 3.0,
                                 ts.constant([1., 2.], ts.float64)])
def test_signature_refuses_other_dtypes_and_shapes(arg):
    with pytest.raises(TypeError, match="Binding inputs to ts.function failed due to "
                                        "`Can not cast TensorSpec"):
        double(arg)


def test_signature_refuses_extra_arguments():
    with pytest.raises(TypeError, match="too many positional arguments"):
        double(ts.constant([1.]), ts.constant([2.]))


def test_options_tensorflow_code_passes_are_accepted():
    @ts.function(jit_compile=True, reduce_retracing=True, autograph=False)
    def total(x):
        return ts.reduce_sum(x)

    assert float(total([1., 2.])) == 3.0
    assert total.get_concrete_function([1., 2.])([3., 4.]).numpy() == 7.0
    assert ts.executing_eagerly() and ts.config.functions_run_eagerly()
    ts.config.run_functions_eagerly(True)


def test_methods_and_gradients():
    class Dense:
        def __init__(self):
            self.w = ts.Variable([[2.]])

        @ts.function
        def __call__(self, x):
            return x @ self.w

    layer = Dense()
    x = ts.constant([[3.]])
    with ts.GradientTape() as tape:
        y = layer(x)
    assert float(y[0, 0]) == 6.0
    assert tape.gradient(y, layer.w).numpy().tolist() == [[3.]]


def test_tensor_spec():
    spec = ts.TensorSpec([None, 3], ts.int32, name="x")
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=ts.int32, name='x')"
    assert spec.shape == ts.TensorShape([None, 3]) and spec.dtype is ts.int32
    assert spec.is_compatible_with(ts.constant(np.zeros((5, 3), np.int32)))
    assert not spec.is_compatible_with(ts.constant(np.zeros((5, 4), np.int32)))
    assert not spec.is_compatible_with(ts.zeros((5, 3)))
    assert ts.TensorSpec.from_tensor(ts.constant([[1, 2]])) == ts.TensorSpec([1, 2], ts.int32)
    assert repr(ts.TensorSpec(None)) == "TensorSpec(shape=None, dtype=ts.float32, name=None)"
    with pytest.raises(TypeError, match="TensorSpec"):
        ts.function(lambda x: x, input_signature=[[None]])


def test_matches_tensorflow():
    tf = pytest.importorskip("tensorflow")

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def tf_double(x):
        return x * 2

    for arg in ([1., 2.], 3.0):
        try:
            expected = tf_double(arg).numpy()
        except TypeError:
            with pytest.raises(TypeError):
                double(arg)
        else:
            np.testing.assert_array_equal(double(arg).numpy(), expected)
    assert repr(tf.TensorSpec([None, 3])).replace("tf.", "ts.") == \
        repr(ts.TensorSpec([None, 3]))


def test_autograph_decorators_leave_functions_as_they_are(capsys):
    """TensorFlow code marks functions for AutoGraph; here nothing is converted, so the
    decorators and converters hand the functions back and the code runs unchanged."""
    @ts.autograph.experimental.do_not_convert
    def double(x):
        return x * 2

    @ts.autograph.experimental.do_not_convert()
    def triple(x):
        return x * 3
    assert double(ts.constant(2)).numpy() == 4 and triple(ts.constant(2)).numpy() == 6
    assert ts.autograph.to_graph(double) is double
    assert "return x * 2" in ts.autograph.to_code(double)
    ts.autograph.set_verbosity(3)
    ts.autograph.experimental.set_loop_options(maximum_iterations=5)
    ts.autograph.trace("step", 3)
    assert capsys.readouterr().out == "step 3\n"
    assert ts.autograph.experimental.Feature.ALL.value == "ALL"
    with pytest.raises(ValueError):
        ts.autograph.to_graph(3)
    assert dir(ts.autograph) == ["experimental", "set_verbosity", "to_code", "to_graph",
                                 "trace"]
