"""ts.sets: set operations along the last dimension, dense and sparse operands, as
TensorFlow's (compared with it on random inputs when it is installed)."""

import os

import numpy as np
import pytest

import tensorshell as ts

A = [[1, 2, 2], [3, 4, 5]]
B = [[2, 7, 7], [5, 5, 3]]


def _parts(st):
    return (st.indices.numpy().tolist(), st.values.numpy().tolist(),
            st.dense_shape.numpy().tolist())


@pytest.mark.parametrize("dtype", [ts.int8, ts.int16, ts.int32, ts.int64, ts.uint8,
                                   ts.uint16])
def test_dense_operations(dtype, device):
    a, b = ts.constant(A, dtype), ts.constant(B, dtype)
    inter = ts.sets.intersection(a, b)
    assert inter.values.dtype is dtype
    assert _parts(inter) == ([[0, 0], [1, 0], [1, 1]], [2, 3, 5], [2, 2])
    assert _parts(ts.sets.union(a, b)) == ([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]],
                                           [1, 2, 7, 3, 4, 5], [2, 3])
    assert _parts(ts.sets.difference(a, b)) == ([[0, 0], [1, 0]], [1, 4], [2, 1])
    assert _parts(ts.sets.difference(a, b, aminusb=False)) == ([[0, 0]], [7], [2, 1])
    assert ts.sets.size(ts.sets.union(a, b)).numpy().tolist() == [3, 3]


def test_sparse_operands_strings_and_empty_results():
    sp = ts.sparse.from_dense(ts.constant([[1, 0, 2], [0, 0, 0]]))
    assert _parts(ts.sets.union(sp, ts.constant(A)))[1:] == ([1, 2, 3, 4, 5], [2, 3])
    # a sparse first operand is flipped behind the scenes: still "sp minus A"
    assert _parts(ts.sets.difference(sp, ts.constant(A))) == ([], [], [2, 0])
    assert _parts(ts.sets.intersection(sp, sp))[1] == [1, 2]
    size = ts.sets.size(sp)
    assert size.dtype is ts.int32 and size.numpy().tolist() == [2, 0]
    words = ts.sets.union(ts.constant([[[b"a", b"c"]], [[b"b", b"a"]]]),
                          ts.constant([[[b"z"]], [[b"a"]]]))
    assert _parts(words) == ([[0, 0, 0], [0, 0, 1], [0, 0, 2], [1, 0, 0], [1, 0, 1]],
                             [b"a", b"c", b"z", b"a", b"b"], [2, 1, 3])
    none = ts.sets.intersection([[1], [2]], [[3], [4]])
    assert none.indices.shape == (0, 2) and none.dense_shape.numpy().tolist() == [2, 0]
    assert ts.sets.set_union is ts.sets.union


@pytest.mark.parametrize("call, error, match", [
    (lambda: ts.sets.union([1, 2], [1]), ts.errors.InvalidArgumentError, "rank 1 < 2"),
    (lambda: ts.sets.union(A, [[1.]]), TypeError, "Types don't match"),
    (lambda: ts.sets.union([[1.]], [[1.]]), TypeError, "invalid dtype"),
    (lambda: ts.sets.union(A, [[1, 2]]), ts.errors.InvalidArgumentError,
     r"Mismatched shapes \[2\] vs \[1\]"),
    (lambda: ts.sets.size(ts.constant(A)), TypeError, "Expected `SparseTensor`"),
])
def test_bad_arguments_explain_themselves(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.tf_oracle
def test_same_results_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    for trial in range(40):
        shape = tuple(int(v) for v in rng.integers(1, 4, size=int(rng.integers(2, 4))))
        dt = [np.int32, np.int64, np.uint8, np.int16][trial % 4]
        a = rng.integers(0, 5, size=shape).astype(dt)
        b = rng.integers(0, 5, size=shape[:-1] + (int(rng.integers(1, 4)),)).astype(dt)
        sparse_a, sparse_b = bool(rng.integers(2)), bool(rng.integers(2))
        for name in ("intersection", "union", "difference"):
            results = []
            for lib in (tf, ts):
                x = lib.sparse.from_dense(a) if sparse_a else lib.constant(a)
                y = lib.sparse.from_dense(b) if sparse_b else lib.constant(b)
                results.append(_parts(getattr(lib.sets, name)(x, y)))
            assert results[0] == results[1], (trial, name)
