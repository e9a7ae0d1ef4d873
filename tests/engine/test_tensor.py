"""Tensor behaviour: metadata, Python protocols, immutability, repr and str, indexing."""

import copy
import pickle
import re

import numpy as np

import pytest

import tensorshell as ts
from tensorshell.engine import speedups
from tensorshell.engine.devices import lookup
from tensorshell.engine.ops.indexing import getitem as python_getitem
from tensorshell.errors import InvalidArgumentError


@pytest.fixture(params=["c", "python"])
def getitem_impl(request, monkeypatch):
    """Indexing tests run through the C fast path (when built) and the Python reference."""
    if request.param == "python":
        monkeypatch.setattr(ts.Tensor, "__getitem__", python_getitem)
    elif speedups.C is None:
        pytest.skip(f"C speedups not built: {speedups.WHY_NOT}")
    return request.param


def test_metadata(device):
    t = ts.constant([[1., 2., 3.], [4., 5., 6.]])
    assert t.shape == (2, 3) and t.shape == [2, 3] and t.shape.as_list() == [2, 3]
    assert repr(t.shape) == "TensorShape([2, 3])" and str(t.shape) == "(2, 3)"
    assert t.dtype is ts.float32 and t.ndim == 2 and len(t) == 2
    assert t.device == lookup(device).name and t.device.startswith("/job:localhost")
    assert ts.is_tensor(t) and not ts.is_tensor(np.ones(2))


@pytest.mark.cpu_only
def test_repr_and_str_follow_tensorflow_with_the_device():
    t = ts.constant([[1., 2., 3.], [4., 5., 6.]])
    assert repr(t) == ("<ts.Tensor: shape=(2, 3), dtype=float32, device=/cpu:0, numpy=\n"
                       "array([[1., 2., 3.],\n       [4., 5., 6.]], dtype=float32)>")
    assert str(t) == ("ts.Tensor(\n[[1. 2. 3.]\n [4. 5. 6.]], shape=(2, 3), dtype=float32, "
                      "device=/cpu:0)")
    assert repr(ts.constant(42)) == "<ts.Tensor: shape=(), dtype=int32, device=/cpu:0, numpy=42>"
    assert repr(ts.constant("hi")) == \
        "<ts.Tensor: shape=(), dtype=string, device=/cpu:0, numpy=b'hi'>"


def test_scalar_conversions():
    assert float(ts.constant(2.5)) == 2.5
    assert int(ts.constant(2.7)) == 2
    assert bool(ts.constant(True)) is True
    assert [10, 20, 30][ts.constant(1)] == 20
    assert ts.constant(3).__index__() == 3
    with pytest.raises(TypeError):
        ts.constant(1.0).__index__()
    with pytest.raises(ValueError, match="ambiguous"):
        bool(ts.constant([1, 2]))
    with pytest.raises(TypeError, match="len"):
        len(ts.constant(1))
    with pytest.raises(TypeError, match="scalar"):
        iter(ts.constant(1))
    assert [int(x) for x in ts.constant([4, 5])] == [4, 5]


def test_unhashable_points_to_ref():
    t = ts.constant(1)
    with pytest.raises(TypeError, match=r"tensor\.ref\(\)"):
        hash(t)
    d = {t.ref(): "value"}
    assert d[t.ref()] == "value" and t.ref().deref() is t


def test_no_T_attribute_explains_itself():
    t = ts.constant([[1, 2]])
    with pytest.raises(AttributeError, match=r"ts\.transpose"):
        t.T
    assert not hasattr(t, "T")
    with pytest.raises(AttributeError, match=r"ts\.reduce_sum"):
        t.sum()
    v = ts.Variable([[1., 2.]])
    with pytest.raises(AttributeError, match=r"Variable has no attribute 'reshape'.*ts\.reshape"):
        v.reshape([2])
    for value in (t, v):  # completion never offers a name that only raises
        assert "T" not in dir(value) and "sum" not in dir(value) and "shape" in dir(value)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        t.nonsense


def test_immutability():
    t = ts.constant([1., 2.])
    with pytest.raises(AttributeError):
        t.shape = (3,)
    view = np.asarray(t)
    assert not view.flags.writeable
    with pytest.raises(ValueError):
        view[0] = 5
    copy_ = t.numpy()
    copy_[0] = 99
    assert t.numpy()[0] == 1
    with pytest.raises(TypeError):
        t[0] = 3
    with pytest.raises(TypeError):
        ts.Tensor([1, 2])


def test_copy_pickle_and_format():
    t = ts.constant([1.5, 2.5])
    assert copy.copy(t) is t and copy.deepcopy(t) is t
    u = pickle.loads(pickle.dumps(t))
    assert u.dtype is ts.float32 and u.numpy().tolist() == [1.5, 2.5]
    assert f"{ts.constant(3.14159):.2f}" == "3.14"


@pytest.mark.parametrize("key", [
    0, -1, (1, 2), slice(None, None, 2), (slice(None), 1), (Ellipsis, 0), (None, 0),
    (0, None, slice(1, None)), (slice(None, None, -1),), (), (Ellipsis,),
])
@pytest.mark.usefixtures("getitem_impl")
def test_indexing_matches_numpy(key, device):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    t = ts.constant(x)
    got = t[key]
    np.testing.assert_array_equal(got.numpy(), x[key])
    assert got.dtype is ts.float32


@pytest.mark.usefixtures("getitem_impl")
def test_index_with_scalar_tensors_and_masks():
    t = ts.constant([10, 20, 30, 40])
    assert int(t[ts.constant(2)]) == 30
    assert t[ts.constant(1):ts.constant(3)].numpy().tolist() == [20, 30]
    assert t[ts.constant([True, False, True, False])].numpy().tolist() == [10, 30]
    assert t[ts.newaxis].shape == (1, 4)


@pytest.mark.usefixtures("getitem_impl")
def test_one_element_of_a_string_tensor_is_a_string_tensor(device):
    with ts.device(device):
        t = ts.constant([[b"a", b"bc"], [b"", b"xyz"]])
        cells = [t[1, 1], t[0][1], t[ts.constant(1)][0], list(t[0])[0]]
    assert [c.numpy() for c in cells] == [b"xyz", b"bc", b"", b"a"]
    assert all(c.shape == () and c.dtype is ts.string for c in cells)
    assert int(ts.strings.length(cells[0])) == 3 and "b'xyz'" in repr(cells[0])


@pytest.mark.usefixtures("getitem_impl")
def test_bad_indices():
    t = ts.constant([[1, 2, 3]])
    with pytest.raises(InvalidArgumentError, match="index 5 of dimension 1 out of bounds"):
        t[0, 5]
    with pytest.raises(InvalidArgumentError, match="dimension 0"):
        t[3]
    with pytest.raises(InvalidArgumentError, match="too many indices"):
        t[0, 0, 0]
    with pytest.raises(TypeError, match=r"ts\.gather"):
        t[[0, 0]]
    with pytest.raises(TypeError):
        t[0.5]
    with pytest.raises(InvalidArgumentError):
        t[:, ::0]


@pytest.mark.cpu_only
@pytest.mark.usefixtures("getitem_impl")
def test_indexing_places_results_and_records_gradients():
    with ts.device("/cpu:1"):
        t = ts.constant([1., 2., 3.])
        assert t[1].device.endswith("CPU:1") and t[1:].device.endswith("CPU:1")
    # outside the scope ops run on the default device, and the input is copied there
    assert t[1].device.endswith("CPU:0") and t[:2].device.endswith("CPU:0")
    x = ts.constant([1., 2., 3.])
    with ts.GradientTape() as tape:
        tape.watch(x)
        y = x[1] * 2. + ts.reduce_sum(x[::2])
    assert tape.gradient(y, x).numpy().tolist() == [1., 2., 1.]
    v = ts.Variable([[1., 2.], [3., 4.]])
    assert v[1].numpy().tolist() == [3., 4.] and float(v[0][1]) == 2.
    with pytest.raises(TypeError):  # a bool is not an index (bool subclasses int)
        t[True]


def test_c_speedups_are_used_when_built_and_can_be_turned_off():
    import subprocess
    import sys
    if speedups.C is not None:
        assert type(ts.Tensor.__dict__["__getitem__"]).__name__ == "method_descriptor"
    code = ("from tensorshell.engine import speedups; import tensorshell as ts; "
            "assert speedups.C is None and 'TENSORSHELL_PURE_PYTHON' in speedups.WHY_NOT; "
            "assert float(ts.constant([1., 2.])[1]) == 2.")
    env = {**__import__("os").environ, "TENSORSHELL_PURE_PYTHON": "1"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=60)
    assert r.returncode == 0, r.stderr


def test_equality_follows_tensorflow():
    a = ts.constant([1, 2])
    assert (a == ts.constant([1, 3])).numpy().tolist() == [True, False]
    assert (a != ts.constant([1, 3])).numpy().tolist() == [False, True]
    assert (a == ts.constant([1, 2, 3])).numpy() is np.False_  # a scalar bool tensor, as TF
    assert bool(a != ts.constant([1, 2, 3])) is True
    assert (a == None) is False  # noqa: E711
    with pytest.raises(InvalidArgumentError, match="never converts implicitly"):
        a == ts.constant([1., 2.])


def test_operators_are_the_registry_ops():
    a, b = ts.constant([[1., 2.], [3., 4.]]), ts.constant([[5., 6.], [7., 8.]])
    pairs = [(a + b, ts.add(a, b)), (a - b, ts.subtract(a, b)), (a * b, ts.multiply(a, b)),
             (a / b, ts.divide(a, b)), (a // b, ts.math.floordiv(a, b)),
             (a % b, ts.math.floormod(a, b)), (a ** 2, ts.pow(a, 2)), (a @ b, ts.matmul(a, b)),
             (-a, ts.negative(a)), (abs(-a), a), (a < b, ts.less(a, b)),
             (a >= b, ts.greater_equal(a, b)), (2 - a, ts.subtract(2., a)),
             (2 / a, ts.divide(2., a)), (2 ** a, ts.pow(2., a))]
    for got, want in pairs:
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    i, j = ts.constant([3, 6]), ts.constant([5, 3])
    assert (i & j).numpy().tolist() == [1, 2] and (i | j).numpy().tolist() == [7, 7]
    assert (i ^ j).numpy().tolist() == [6, 5] and (~i).numpy().tolist() == [-4, -7]
    p, q = ts.constant([True, False]), ts.constant([True, True])
    assert (p & q).numpy().tolist() == [True, False] and (~p).numpy().tolist() == [False, True]
    assert (p ^ q).numpy().tolist() == [False, True] and (p | q).numpy().tolist() == [True, True]


def test_tensorshape_api():
    s = ts.TensorShape([2, None, 3])
    assert s.rank == 3 and not s.is_fully_defined() and s.num_elements() is None
    assert s.is_compatible_with([2, 5, 3]) and not s.is_compatible_with([2, 5])
    assert s.concatenate([4]) == ts.TensorShape([2, None, 3, 4])
    assert s[1:] == ts.TensorShape([None, 3]) and s[0] == 2
    assert ts.TensorShape([2, 3]).num_elements() == 6 and hash(ts.TensorShape([2, 3]))
    unknown = ts.TensorShape(None)
    assert unknown.rank is None and repr(unknown) == "TensorShape(None)"
    with pytest.raises(ValueError):
        unknown.as_list()


SHAPE_METHODS = [  # (method, shape, argument, result or the ValueError's message)
    ("assert_is_compatible_with", [2, 3], [2, None], None),
    ("assert_is_compatible_with", [2, 3], [3], "Shapes (2, 3) and (3,) are incompatible"),
    ("merge_with", [2, None], [None, 4], ts.TensorShape([2, 4])),
    ("merge_with", None, [1], ts.TensorShape([1])),
    ("merge_with", [2, 3], [3], "Shapes (2, 3) and (3,) are not compatible"),
    ("most_specific_compatible_shape", [2, 3], [2, 4], ts.TensorShape([2, None])),
    ("most_specific_compatible_shape", [2, 3], [2], ts.TensorShape(None)),
    ("assert_has_rank", [2, 3], 2, None),
    ("assert_has_rank", [2, 3], 3, "Shape (2, 3) must have rank 3"),
    ("assert_same_rank", [2, 3], [3], "Shapes (2, 3) and (3,) must have the same rank"),
    ("with_rank", None, 2, ts.TensorShape([None, None])),
    ("with_rank", [2], 3, "Shape (2,) must have rank 3"),
    ("with_rank_at_least", [2, 3], 1, ts.TensorShape([2, 3])),
    ("with_rank_at_least", [2, 3], 3, "Shape (2, 3) must have rank at least 3"),
    ("with_rank_at_most", [2, 3], 1, "Shape (2, 3) must have rank at most 1"),
    ("__add__", [1], [2, None], ts.TensorShape([1, 2, None])),
    ("__radd__", [1], [2], ts.TensorShape([2, 1])),
]


@pytest.mark.parametrize("method, shape, arg, expected", SHAPE_METHODS)
def test_tensorshape_checks_and_merges_as_tensorflow_does(method, shape, arg, expected):
    call = getattr(ts.TensorShape(shape), method)
    if isinstance(expected, str):
        with pytest.raises(ValueError, match=re.escape(expected)):
            call(arg)
    else:
        result = call(arg)
        assert result == expected and (expected is None or result.rank == expected.rank)


def test_errors_pickle_with_their_fields():
    import pickle
    try:
        ts.constant(1.) + ts.constant(1)
    except ts.errors.InvalidArgumentError as e:
        err = e
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is ts.errors.InvalidArgumentError
    assert back.hint == err.hint and back.operands == err.operands and back.kind == "dtype"
    assert ts.errors.NotFoundError(None, None, "gone").error_code == ts.errors.NOT_FOUND
