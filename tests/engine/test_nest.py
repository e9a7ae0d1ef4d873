"""ts.nest (TensorFlow's nested-structure rules) and the ts.dtypes namespace; compared with
TensorFlow where it is installed."""

import collections
import os

import numpy as np
import pytest

import tensorshell as ts

N = collections.namedtuple("N", "b a")

PROGRAMS = [
    "tf.nest.flatten(None)", "tf.nest.flatten({'b': 1, 'a': [2, (3, 4)]})",
    "tf.nest.flatten(collections.OrderedDict([('b', 1), ('a', 2)]))",
    "tf.nest.flatten(N(1, 2))", "tf.nest.flatten('abc')", "tf.nest.flatten({1, 2})",
    "tf.nest.flatten([[], {}, ()])", "tf.nest.flatten([1, None])",
    "tf.nest.flatten(collections.defaultdict(list, {'b': 1, 'a': 2}))",
    "tf.nest.pack_sequence_as({'b': 0, 'a': 0}, [10, 20])",
    "tf.nest.pack_sequence_as(collections.OrderedDict([('b', 0), ('a', 0)]), [10, 20])",
    "tf.nest.pack_sequence_as(collections.defaultdict(list, {'b': 1, 'a': 2}), [7, 8])",
    "tf.nest.pack_sequence_as([0, (0, 0)], [1, 2, 3])", "tf.nest.pack_sequence_as(0, [5])",
    "tf.nest.pack_sequence_as([[], {}, 0], [5])", "tf.nest.pack_sequence_as(N(0, (0,)), (1, 2))",
    "tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False)",
    "tf.nest.assert_same_structure({'a': 1}, collections.OrderedDict(a=1))",
    "tf.nest.map_structure(lambda x, y: x + y, [1, (2, 3)], [10, (20, 30)])",
    "tf.nest.map_structure(lambda x: x * 2, {'b': 1, 'a': [2]})",
    "tf.nest.map_structure(lambda x: x, [1, None])",
    "tf.nest.map_structure(lambda x, y: (x, y), [1], (2,), check_types=False)",
    "[tf.nest.is_nested(v) for v in ([1], 1, 'ab', {}, N(1, 2), (), None)]",
]
ERRORS = [
    ("tf.nest.pack_sequence_as([0, (0, 0)], [1, 2])", ValueError,
     "Structure had 3 atoms, but flat_sequence had 2 items"),
    ("tf.nest.pack_sequence_as(0, 5)", TypeError, "Attempted to pack value"),
    ("tf.nest.assert_same_structure([1, 2], (1, 2))", TypeError, "same sequence type"),
    ("tf.nest.assert_same_structure(N(1, 2), (1, 2))", TypeError, "same sequence type"),
    ("tf.nest.assert_same_structure([1, 2], [1, [2]])", ValueError, "is a sequence, while"),
    ("tf.nest.assert_same_structure([1, 2], [1, 2, 3])", ValueError, "number of elements"),
    ("tf.nest.assert_same_structure({'a': 1}, {'b': 1})", ValueError, "same set of keys"),
    ("tf.nest.map_structure(lambda x: x, [1], [1, 2])", ValueError, "number of elements"),
    ("tf.nest.map_structure(lambda x: x)", ValueError, "at least one structure"),
    ("tf.nest.flatten({'a': 1, 2: 3})", TypeError, None),
]


def _run(program, tf):
    return eval(program, {"tf": tf, "collections": collections, "N": N})


@pytest.mark.parametrize("program", PROGRAMS)
def test_nest_programs(program):
    assert _run(program, ts) == _run(program, ts)  # deterministic, and runs


@pytest.mark.parametrize("program,cls,match", ERRORS)
def test_nest_refusals(program, cls, match):
    with pytest.raises(cls, match=match):
        _run(program, ts)


def test_examples_and_types_kept():
    got = ts.nest.pack_sequence_as({"b": 0, "a": 0}, [10, 20])
    assert got == {"b": 20, "a": 10} and list(got) == ["b", "a"]
    packed = ts.nest.pack_sequence_as(N(0, [0, 0]), [1, 2, 3])
    assert type(packed) is N and packed == N(1, [2, 3])
    d = ts.nest.map_structure(lambda x: x + 1, collections.defaultdict(list, {"a": 1}))
    assert isinstance(d, collections.defaultdict) and d.default_factory is list
    t = ts.constant([1., 2.])
    assert ts.nest.flatten([t, {"k": t}])[1] is t  # tensors are leaves


def test_expand_composites_opens_sparse_and_ragged():
    sp = ts.sparse.eye(3)
    parts = ts.nest.flatten(sp, expand_composites=True)
    assert len(parts) == 3 and ts.nest.flatten(sp) == [sp]
    back = ts.nest.pack_sequence_as(sp, parts, expand_composites=True)
    np.testing.assert_array_equal(ts.sparse.to_dense(back).numpy(), np.eye(3))
    rt = ts.ragged.constant([[1, 2], [], [3]])
    parts = ts.nest.flatten({"r": rt}, expand_composites=True)
    assert [p.numpy().tolist() for p in parts] == [[1, 2, 3], [0, 2, 2, 3]]
    same = ts.nest.map_structure(lambda x: x, rt, expand_composites=True)
    assert isinstance(same, ts.RaggedTensor) and same.to_list() == [[1, 2], [], [3]]
    # the row splits are leaves too: doubling everything doubles them (as in TensorFlow)
    doubled = ts.nest.map_structure(lambda x: x * 2, rt, expand_composites=True)
    assert doubled.to_list() == [[2, 4, 6], [], []]


def test_dtypes_namespace():
    assert ts.dtypes.float32 is ts.float32 and ts.dtypes.cast is ts.cast
    assert ts.dtypes.as_dtype("int8") is ts.int8 and ts.dtypes.DType is ts.DType
    assert ts.dtypes.saturate_cast(ts.constant([300.]), ts.dtypes.uint8).numpy()[0] == 255
    assert ts.dtypes.complex(ts.constant(1.), ts.constant(2.)).dtype is ts.complex64


@pytest.mark.tf_oracle
def test_same_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    for program in PROGRAMS:
        assert _run(program, ts) == _run(program, tf), program
    for program, cls, match in ERRORS:
        with pytest.raises(cls, match=match):
            _run(program, tf)
    assert [n for n in dir(tf.nest) if not n.startswith("_")] == ts.nest.__all__
    missing = {n for n in dir(tf.dtypes) if not n.startswith("_")} - set(dir(ts.dtypes))
    # quantized types, bfloat16 (NumPy has none), resource/variant handles: not offered
    assert missing <= {"QUANTIZED_DTYPES", "bfloat16", "experimental", "qint16", "qint32",
                       "qint8", "quint16", "quint8", "resource", "variant"}
