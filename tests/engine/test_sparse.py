"""ts.SparseTensor and ts.sparse: every function against the same computation on the dense
array, gradients through values and dense operands by finite differences, TensorFlow's
validation errors, and (where TensorFlow is installed) the same programs giving TensorFlow's
results and gradients."""

from __future__ import annotations

import os

import numpy as np
import pytest

import tensorshell as ts
from tensorshell.errors import InvalidArgumentError

from .test_gradients import check_vjp

RNG = np.random.default_rng(11)


def random_sparse(shape, density=0.35, dtype=np.float64, seed=0, shuffled=False):
    rng = np.random.default_rng(seed)
    dense = np.where(rng.random(shape) < density, rng.standard_normal(shape), 0).astype(dtype)
    idx = np.argwhere(dense != 0)
    if shuffled:
        idx = idx[rng.permutation(len(idx))]
    return ts.SparseTensor(idx, dense[tuple(idx.T)], list(shape)), dense


def dense(sp):
    return ts.sparse.to_dense(sp).numpy()


def test_construction_attributes_and_repr():
    s = ts.SparseTensor(indices=[[0, 1], [1, 0], [2, 3]], values=[1., 2., 3.],
                        dense_shape=[3, 4])
    assert s.indices.dtype is ts.int64 and s.dense_shape.dtype is ts.int64
    assert s.dtype is ts.float32 and s.shape == (3, 4) and s.get_shape() == [3, 4]
    assert s.ndim == 2 and ts.sparse.SparseTensor is ts.SparseTensor
    assert repr(s).startswith("SparseTensor(indices=ts.Tensor(")
    assert "dense_shape=ts.Tensor([3 4], shape=(2,), dtype=int64" in repr(s)
    assert dense(s).tolist() == [[0, 1, 0, 0], [2, 0, 0, 0], [0, 0, 0, 3]]
    assert dense(s * 42.0).tolist()[2][3] == 126 and dense(s / 2.).tolist()[1][0] == 1.0
    assert dense(s * ts.constant([[1., 2., 3., 4.]])).tolist()[2][3] == 12.0
    assert dense(2 * s).tolist()[0][1] == 2.0
    assert dense(s.with_values(ts.constant([5., 6., 7.])))[1, 0] == 6.0


@pytest.mark.parametrize("call, error, match", [
    (lambda: ts.SparseTensor([[0, 1]], [1., 2.], [3, 4]), ValueError,
     "Dimensions 1 and 2 are not compatible"),
    (lambda: ts.SparseTensor([[0, 1, 2]], [1.], [3, 4]), ValueError, "one coordinate per"),
    (lambda: ts.SparseTensor([[0.5, 1]], [1.], [3, 4]), TypeError, "must be integers"),
    (lambda: ts.sparse.to_dense(ts.SparseTensor([[0, 5]], [1.], [3, 4])), InvalidArgumentError,
     r"indices\[0\] = \[0,5\] is out of bounds: need 0 <= index < \[3,4\]"),
    (lambda: ts.sparse.to_dense(ts.SparseTensor([[0, 2], [0, 1]], [1., 2.], [3, 4])),
     InvalidArgumentError, r"indices\[1\] = \[0,1\] is out of order.*ts.sparse.reorder"),
    (lambda: ts.sparse.to_dense(ts.SparseTensor([[0, 1], [0, 1]], [1., 2.], [3, 4])),
     InvalidArgumentError, "is repeated"),
    (lambda: ts.sparse.sparse_dense_matmul(ts.SparseTensor([[0, 1]], [1.], [3, 4]),
                                           ts.ones((3, 2))), InvalidArgumentError,
     "inner dimension does not match: 4 vs. 3"),
    (lambda: ts.sparse.sparse_dense_matmul(ts.SparseTensor([[0, 1]], [1.], [3, 4]),
                                           ts.ones((4, 2), ts.float64)), InvalidArgumentError,
     "cannot combine float32 .sp_a. with float64"),
    (lambda: ts.SparseTensor([[0, 1]], [1.], [3, 4]) + 1., TypeError,
     "unsupported operand type"),
    (lambda: ts.add(ts.SparseTensor([[0, 1]], [1.], [3, 4]), 1.), ValueError,
     "ts.sparse.to_dense"),
    (lambda: ts.sparse.reduce_sum(ts.ones((2, 2))), TypeError, "must be a SparseTensor"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_conversions_and_order():
    sp, d = random_sparse((4, 5), seed=1)
    back = ts.sparse.from_dense(ts.constant(d))
    assert back.indices.numpy().tolist() == sp.indices.numpy().tolist()
    np.testing.assert_array_equal(dense(back), d)
    shuffled, d2 = random_sparse((4, 5), seed=2, shuffled=True)
    ordered = ts.sparse.reorder(shuffled)
    np.testing.assert_array_equal(dense(ordered), d2)
    strings = ts.sparse.from_dense(ts.constant([[b"", b"a"], [b"b", b""]]))
    assert strings.values.numpy().tolist() == [b"a", b"b"]
    eye = ts.sparse.eye(3, 4)
    np.testing.assert_array_equal(dense(eye), np.eye(3, 4))
    assert ts.sparse.reset_shape(ts.SparseTensor([[1, 2]], [1.], [5, 5])).shape == (2, 3)
    assert ts.sparse.reset_shape(ts.SparseTensor([[1, 2]], [1.], [2, 3]), [4, 4]).shape == \
        (4, 4)


def test_add_maximum_minimum():
    a, da = random_sparse((4, 5), seed=3)
    b, db = random_sparse((4, 5), seed=4)
    np.testing.assert_allclose(dense(ts.sparse.add(a, b)), da + db)
    np.testing.assert_allclose(ts.sparse.add(a, ts.constant(db)).numpy(), da + db)
    np.testing.assert_allclose(ts.sparse.add(ts.constant(db), a).numpy(), da + db)
    np.testing.assert_allclose(dense(ts.sparse.maximum(a, b)), np.maximum(da, db))
    np.testing.assert_allclose(dense(ts.sparse.minimum(a, b)), np.minimum(da, db))
    # threshold drops small sums, exact cancellations included
    cancel = ts.sparse.add(a, a * -1.0, threshold=1e-12)
    assert cancel.values.shape == (0,)
    kept = ts.sparse.add(a, a * -1.0)  # threshold 0: explicit zeros stay, as TensorFlow
    assert kept.values.shape[0] == a.values.shape[0]


@pytest.mark.parametrize("adjoint_a", [False, True])
@pytest.mark.parametrize("adjoint_b", [False, True])
def test_sparse_dense_matmul(adjoint_a, adjoint_b):
    sp, d = random_sparse((4, 5), seed=5, dtype=np.complex128)
    sp = sp.with_values(sp.values * ts.constant(1 + 0.5j, ts.complex128))
    d = d * (1 + 0.5j)
    a = d.conj().T if adjoint_a else d
    b = RNG.standard_normal((a.shape[1], 3)) + 1j * RNG.standard_normal((a.shape[1], 3))
    b_arg = b.conj().T if adjoint_b else b
    got = ts.sparse.sparse_dense_matmul(sp, ts.constant(b_arg), adjoint_a=adjoint_a,
                                        adjoint_b=adjoint_b)
    np.testing.assert_allclose(got.numpy(), a @ b, rtol=1e-12)
    dl = RNG.standard_normal((3, d.shape[0])) + 0j
    np.testing.assert_allclose(ts.sparse.sparse_dense_matmul(ts.constant(dl), sp).numpy(),
                               dl @ d, rtol=1e-12)


@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 2]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(axis, keepdims):
    sp, d = random_sparse((3, 4, 2), seed=6)
    ax = tuple(axis) if isinstance(axis, list) else axis
    np.testing.assert_allclose(ts.sparse.reduce_sum(sp, axis, keepdims).numpy(),
                               d.sum(axis=ax, keepdims=keepdims))
    masked = np.where(d != 0, d, -np.inf)
    expected = masked.max(axis=ax, keepdims=keepdims)
    expected = np.where(np.isinf(expected), 0, expected)  # nothing stored: the implicit 0
    np.testing.assert_allclose(ts.sparse.reduce_max(sp, axis, keepdims).numpy(), expected)
    if axis is not None:
        out = ts.sparse.reduce_sum(sp, axis, keepdims, output_is_sparse=True)
        assert isinstance(out, ts.SparseTensor)
        np.testing.assert_allclose(dense(out), d.sum(axis=ax, keepdims=keepdims))


def test_softmax():
    sp, d = random_sparse((3, 5), seed=7, density=0.6)
    got = dense(ts.sparse.softmax(sp))
    for row_got, row in zip(got, d):
        stored = row != 0
        e = np.exp(row[stored] - row[stored].max())
        np.testing.assert_allclose(row_got[stored], e / e.sum())
        assert (row_got[~stored] == 0).all()


def test_shape_functions():
    sp, d = random_sparse((3, 4, 2), seed=8)
    np.testing.assert_array_equal(dense(ts.sparse.transpose(sp)), d.transpose())
    np.testing.assert_array_equal(dense(ts.sparse.transpose(sp, [1, 0, 2])),
                                  d.transpose(1, 0, 2))
    np.testing.assert_array_equal(dense(ts.sparse.reshape(sp, [6, -1])), d.reshape(6, 4))
    np.testing.assert_array_equal(dense(ts.sparse.expand_dims(sp, 1)), d[:, None])
    np.testing.assert_array_equal(dense(ts.sparse.concat(1, [sp, sp])),
                                  np.concatenate([d, d], 1))
    small, ds = random_sparse((3, 2, 2), seed=9)
    np.testing.assert_array_equal(dense(ts.sparse.concat(0, [sp, small],
                                                         expand_nonconcat_dims=True)),
                                  np.concatenate([d, np.pad(ds, [(0, 0), (0, 2), (0, 0)])]))
    np.testing.assert_array_equal(dense(ts.sparse.slice(sp, [1, 1, 0], [5, 2, 2])),
                                  d[1:, 1:3])
    parts = ts.sparse.split(sp_input=sp, num_split=3, axis=1)
    assert [p.shape for p in parts] == [(3, 2, 2), (3, 1, 2), (3, 1, 2)]
    np.testing.assert_array_equal(np.concatenate([dense(p) for p in parts], 1), d)
    keep = np.arange(sp.values.shape[0]) % 2 == 0
    kept = ts.sparse.retain(sp, keep)
    assert kept.values.numpy().tolist() == sp.values.numpy()[keep].tolist()
    filled, empty = ts.sparse.fill_empty_rows(ts.SparseTensor([[1, 1]], [5.], [3, 2]), -1.)
    assert dense(filled).tolist() == [[-1, 0], [0, 5], [-1, 0]]
    assert empty.numpy().tolist() == [True, False, True]
    squared = ts.sparse.map_values(ts.square, sp)
    np.testing.assert_allclose(dense(squared), d * d)


def test_segment_functions():
    data = ts.constant([[1., 2.], [3., 4.], [5., 6.]])
    assert ts.sparse.segment_sum(data, [0, 2, 1], [0, 0, 1]).numpy().tolist() == \
        [[6., 8.], [3., 4.]]
    assert ts.sparse.segment_mean(data, [0, 2], [0, 0]).numpy().tolist() == [[3., 4.]]
    np.testing.assert_allclose(ts.sparse.segment_sqrt_n(data, [0, 1], [0, 0]).numpy(),
                               [[4 / np.sqrt(2), 6 / np.sqrt(2)]])


def test_gradients_reach_values_and_dense_operands():
    idx = [[0, 1], [1, 0], [2, 3], [2, 0]]
    shape = [3, 4]

    def through_everything(values, b):
        sp = ts.sparse.reorder(ts.SparseTensor(idx, values, shape))
        product = ts.sparse.sparse_dense_matmul(sp, b)
        return (product * product
                + ts.sparse.reduce_sum(sp * b[:3, :1], axis=1, keepdims=True)
                + ts.reduce_sum(ts.sparse.to_dense(ts.sparse.softmax(sp)))
                + ts.sparse.reduce_sum(ts.sparse.add(sp, sp)))
    check_vjp(lambda v, b: through_everything(v, ts.reshape(b[:12], [4, 3])),
              RNG.standard_normal(4), RNG.standard_normal(12))


def test_devices():
    with ts.device("/cpu:1"):
        sp = ts.SparseTensor([[0, 1]], [2.], [2, 2])
        d = ts.sparse.to_dense(sp)
        p = ts.sparse.sparse_dense_matmul(sp, ts.ones((2, 2)))
    assert d.device.endswith("CPU:1") and p.device.endswith("CPU:1")


@pytest.mark.tf_oracle
def test_same_results_and_gradients_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    idx = [[0, 1], [1, 0], [2, 3], [2, 0]]
    programs = {
        "matmul": lambda m, sp, b: m.sparse.sparse_dense_matmul(sp, b),
        "matmul adjoint": lambda m, sp, b: m.sparse.sparse_dense_matmul(
            sp, m.transpose(b[:3]), adjoint_a=True, adjoint_b=True),
        # (TensorFlow's gradients of sparse * scalar and of sparse.maximum fail, so
        # map_values scales here and maximum is checked against the dense result only)
        "to_dense": lambda m, sp, b: m.sparse.to_dense(
            m.sparse.map_values(lambda x: x * 3.0, sp)) + b[:3],
        "reduce_sum": lambda m, sp, b: m.sparse.reduce_sum(sp, axis=0) + b[0],
        "softmax": lambda m, sp, b: m.sparse.to_dense(m.sparse.softmax(sp)),
        "add": lambda m, sp, b: m.sparse.add(sp, b[:3]),
        "transpose": lambda m, sp, b: m.sparse.to_dense(m.sparse.transpose(sp)),
        "concat, slice": lambda m, sp, b: m.sparse.to_dense(m.sparse.slice(
            m.sparse.concat(1, [sp, sp]), [1, 2], [2, 5])),
        "reduce_max": lambda m, sp, b: m.sparse.reduce_max(sp, axis=1),
    }
    v = np.array([1.5, -2., 3., 0.5], np.float32)
    b = RNG.standard_normal((4, 4)).astype(np.float32)
    for name, program in programs.items():
        results = []
        for m in (ts, tf):
            values, dense_b = m.constant(v), m.constant(b)
            with m.GradientTape() as tape:
                tape.watch([values, dense_b])
                sp = m.sparse.reorder(m.SparseTensor(idx, values, [3, 4]))
                y = program(m, sp, dense_b)
                loss = m.reduce_sum(y * y)
            try:
                grads = tape.gradient(loss, [values, dense_b])
            except LookupError:  # TensorFlow defines no gradient (SparseReduceMax)
                grads = [None, None]
            results.append([y.numpy()] + [None if g is None else g.numpy() for g in grads])
        for ours, theirs in zip(*results):
            if theirs is None or ours is None:
                continue
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6, err_msg=name)


_SP = "tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 2]], [1, 3, 1], [2, 4])"
COUNT_PROGRAMS = [
    f"tf.sparse.bincount({_SP}, minlength=5)",
    f"tf.sparse.bincount({_SP}, axis=-1, binary_output=True)",
    "tf.sparse.bincount([1, 2, 2, 5], minlength=7)",
    "tf.sparse.bincount(tf.constant([[1, 2, 2], [5, 0, 0]], tf.int64), axis=-1, maxlength=4)",
    f"tf.sparse.bincount({_SP}, weights=tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 2]], "
    "[0.5, 1., 2.], [2, 4]), axis=-1)",
    "tf.sparse.bincount([1, 1, 3], weights=[0.5, 0.25, 2.])",
]


def _parts(sp):
    return (sp.indices.numpy().tolist(), sp.values.numpy().tolist(), sp.values.dtype.name,
            sp.dense_shape.numpy().tolist())


def test_bincount_to_indicator_and_mask():
    got = eval(COUNT_PROGRAMS[0], {"tf": ts})
    assert _parts(got) == ([[1], [3]], [2, 1], "int32", [5])
    got = eval(COUNT_PROGRAMS[1], {"tf": ts})
    assert _parts(got) == ([[0, 1], [0, 3], [1, 1]], [1, 1, 1], "int32", [2, 4])
    indicator = ts.sparse.to_indicator(ts.SparseTensor([[0, 0], [0, 1], [1, 0]], [0, 3, 2],
                                                       [2, 2]), 4)
    assert indicator.numpy().tolist() == [[True, False, False, True],
                                          [False, False, True, False]]
    kept = ts.sparse.mask(ts.IndexedSlices(ts.constant([[1., 2.], [3., 4.], [5., 6.]]),
                                           ts.constant([0, 2, 5])), ts.constant([2]))
    assert kept.values.numpy().tolist() == [[1., 2.], [5., 6.]]
    assert kept.indices.numpy().tolist() == [0, 5]
    with pytest.raises(ts.errors.InvalidArgumentError, match="non-negative"):
        ts.sparse.bincount([-1, 2])


@pytest.mark.tf_oracle
def test_bincount_as_tensorflow():
    tf = pytest.importorskip("tensorflow")
    for program in COUNT_PROGRAMS:
        assert _parts(eval(program, {"tf": ts})) == _parts(eval(program, {"tf": tf})), program


def _cross_inputs(lib):
    a = lib.SparseTensor([[0, 0], [1, 0], [1, 1]], [b"a", b"b", b"c"], [3, 2])
    b = lib.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0]],
                         np.array([10, 11, 12, 13], np.int64), [3, 2])
    c = lib.constant([[b"x", b"y"], [b"z", b"w"], [b"u", b"v"]])
    return [a, b, c]


def test_feature_crosses_are_tensorflows():
    crossed = ts.sparse.cross(_cross_inputs(ts))
    assert crossed.indices.numpy().tolist() == [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0],
                                                 [1, 1], [1, 2], [1, 3]]
    assert crossed.values.numpy().tolist() == [                 # printed by TensorFlow 2.21
        b"a_X_10_X_x", b"a_X_10_X_y", b"a_X_11_X_x", b"a_X_11_X_y", b"b_X_12_X_z",
        b"b_X_12_X_w", b"c_X_12_X_z", b"c_X_12_X_w"]
    assert crossed.dense_shape.numpy().tolist() == [3, 4]       # row 2 has no `a` value
    hashed = ts.sparse.cross_hashed(_cross_inputs(ts), num_buckets=1000)
    assert hashed.values.dtype is ts.int64
    assert hashed.values.numpy().tolist() == [521, 550, 798, 219, 308, 587, 723, 824]
    assert ts.sparse.cross_hashed(_cross_inputs(ts)[:2]).values.numpy().tolist() == [
        8077802894561820565, 2428734896224055532, 7564374834198248907, 2850818867669740544]
    assert ts.sparse.cross(_cross_inputs(ts)[1:], separator="-").values.numpy()[0] == b"10-x"


@pytest.mark.tf_oracle
def test_feature_crosses_as_tensorflow_for_other_inputs():
    from tests import oracle
    tf = oracle.require()
    dense = np.array([[1], [2], [3]], np.int64)
    for pick in ([2, 1], [0], [1, 0]):
        ours = [_cross_inputs(ts)[i] for i in pick] + [ts.constant(dense)]
        theirs = [_cross_inputs(tf)[i] for i in pick] + [tf.constant(dense)]
        for fn, kw in (("cross", {}), ("cross_hashed", {"num_buckets": 7, "hash_key": 123})):
            a, b = getattr(ts.sparse, fn)(ours, **kw), getattr(tf.sparse, fn)(theirs, **kw)
            assert a.values.numpy().tolist() == b.values.numpy().tolist()
            assert a.indices.numpy().tolist() == b.indices.numpy().tolist()


def test_feature_cross_errors():
    with pytest.raises(ts.errors.InvalidArgumentError, match="int64 or string"):
        ts.sparse.cross([ts.constant([[1.5]])])
    with pytest.raises(ts.errors.InvalidArgumentError, match="different batch sizes"):
        ts.sparse.cross([ts.constant([[b"a"]]), ts.constant([[b"a"], [b"b"]])])
    with pytest.raises(ts.errors.InvalidArgumentError, match="must be 2-D"):
        ts.sparse.cross([ts.constant([b"a"])])


# -- edit_distance and embedding lookups over sparse ids -------------------------------------------

def test_edit_distance_as_tensorflow():
    # printed by TensorFlow 2.21
    h = ts.SparseTensor([[0, 0, 0], [1, 0, 0], [1, 0, 1]], np.array([b"a", b"b", b"c"], object),
                        [2, 1, 2])
    t = ts.SparseTensor([[0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 0, 2]],
                        np.array([b"a", b"b", b"d", b"c"], object), [2, 2, 3])
    np.testing.assert_allclose(ts.edit_distance(h, t), [[np.inf, 1.], [1 / 3, 0.]])
    np.testing.assert_array_equal(ts.edit_distance(h, t, normalize=False), [[1, 1], [1, 0]])
    h2 = ts.SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 2, 3], [3, 2])
    t2 = ts.SparseTensor([[0, 0], [1, 0]], [1, 5], [2, 1])
    np.testing.assert_array_equal(ts.edit_distance(h2, t2), [1., 1., np.inf])
    with pytest.raises(ts.errors.InvalidArgumentError, match="same dtype"):
        ts.edit_distance(h2, ts.SparseTensor([[0, 0]], [1.], [1, 1]))


EMB = np.random.default_rng(0).normal(size=(10, 4)).astype(np.float32)
IDS = ([[0, 0], [0, 1], [2, 0], [2, 1], [2, 2], [3, 0]], [1, 3, 3, 0, 9, 5], [5, 3])
WEIGHTS = [0.5, 2., 1., 1.5, 0.25, 3.]


def _lookup_reference(rows, combiner, weights, batch):
    out = np.zeros((batch, EMB.shape[1]), np.float32)
    for r in range(batch):
        picks = [(i, w) for (row, _), i, w in zip(IDS[0], IDS[1], weights) if row == r]
        if not picks:
            continue
        total = sum(w * EMB[i] for i, w in picks)
        norm = {"sum": 1, "mean": sum(w for _, w in picks),
                "sqrtn": np.sqrt(sum(w * w for _, w in picks))}[combiner]
        out[r] = total / norm
    return out[:rows]


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
@pytest.mark.parametrize("weighted", [False, True])
def test_embedding_lookup_sparse(combiner, weighted):
    ids = ts.SparseTensor(IDS[0], np.array(IDS[1], np.int64), IDS[2])
    weights = ts.SparseTensor(IDS[0], np.array(WEIGHTS, np.float32), IDS[2]) if weighted \
        else None
    w = WEIGHTS if weighted else [1.] * 6
    # rows up to the last one with ids, as TensorFlow returns them
    np.testing.assert_allclose(ts.nn.embedding_lookup_sparse(EMB, ids, weights, combiner),
                               _lookup_reference(4, combiner, w, 5), rtol=1e-5)
    # every row, empty ones zero or default_id's embedding
    np.testing.assert_allclose(
        ts.nn.safe_embedding_lookup_sparse(EMB, ids, weights, combiner),
        _lookup_reference(5, combiner, w, 5), rtol=1e-5)
    safe = ts.nn.safe_embedding_lookup_sparse(EMB, ids, weights, combiner, default_id=7)
    np.testing.assert_allclose(safe.numpy()[[1, 4]], EMB[[7, 7]], rtol=1e-6)


def test_safe_embedding_lookup_prunes_and_keeps_rank():
    ids = ts.SparseTensor([[0, 0, 0], [0, 0, 1], [1, 1, 0], [1, 1, 1]],
                          np.array([2, -1, 4, 6], np.int64), [2, 2, 2])
    weights = ts.SparseTensor(ids.indices, np.array([1., 1., 0., 2.], np.float32), [2, 2, 2])
    out = ts.nn.safe_embedding_lookup_sparse(EMB, ids, weights).numpy()
    assert out.shape == (2, 2, 4)
    np.testing.assert_allclose(out[0, 0], EMB[2])           # id -1 pruned
    np.testing.assert_allclose(out[1, 1], EMB[6], rtol=1e-6)  # weight 0 pruned
    assert not out[0, 1].any() and not out[1, 0].any()


@pytest.mark.tf_oracle
def test_lookups_and_gradients_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    ids = (np.array(IDS[0]), np.array(IDS[1], np.int64), IDS[2])
    weights = (ids[0], np.array(WEIGHTS, np.float32), IDS[2])
    for combiner in ("sum", "mean", "sqrtn"):
        for w in (None, weights):
            for fn, kwargs in (("embedding_lookup_sparse", {}),
                               ("safe_embedding_lookup_sparse", {}),
                               ("safe_embedding_lookup_sparse", {"default_id": 7})):
                ours = getattr(ts.nn, fn)(EMB, ts.SparseTensor(*ids), None if w is None else
                                          ts.SparseTensor(*w), combiner=combiner, **kwargs)
                theirs = getattr(tf.nn, fn)(EMB, tf.SparseTensor(*ids), None if w is None else
                                            tf.SparseTensor(*w), combiner=combiner, **kwargs)
                np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)

    def gradient(lib):
        p = lib.Variable(EMB)
        with lib.GradientTape() as tape:
            y = lib.nn.safe_embedding_lookup_sparse(p, lib.SparseTensor(*ids),
                                                    lib.SparseTensor(*weights), "sqrtn")
            z = lib.nn.embedding_lookup_sparse(p, lib.SparseTensor(*ids),
                                               lib.SparseTensor(*weights), "mean")
            loss = lib.reduce_sum(y * y) + lib.reduce_sum(z)
        return lib.convert_to_tensor(tape.gradient(loss, p))
    np.testing.assert_allclose(gradient(ts), gradient(tf), rtol=1e-5, atol=1e-6)


def test_sampled_addmm_as_tensorflow():
    """TensorFlow 2.21's values; the gradient reaches both matrices."""
    mat1 = ts.constant([[1., 2.], [3., 4.]])
    mat2 = ts.constant([[5., 6.], [7., 8.]])
    with ts.GradientTape() as tape:
        tape.watch([mat1, mat2])
        indices, values, shape = ts.sparse.sampled_addmm(
            ts.constant([[0, 0], [1, 1]]), ts.constant([1., 2.]), ts.constant([2, 2]),
            mat1, mat2, beta=0.5, alpha=2.)
        loss = ts.reduce_sum(values)
    assert values.numpy().tolist() == [38.5, 101.0] and shape.numpy().tolist() == [2, 2]
    g1, g2 = tape.gradient(loss, [mat1, mat2])
    assert g1.numpy().tolist() == [[10., 14.], [12., 16.]]
    assert g2.numpy().tolist() == [[2., 6.], [4., 8.]]
    _, batched, _ = ts.sparse.sampled_addmm(ts.constant([[[0, 1]], [[1, 0]]]),
                                            ts.constant([[1.], [2.]]), ts.constant([2, 2]),
                                            ts.ones([2, 2, 3]), ts.ones([2, 3, 2]))
    assert batched.numpy().tolist() == [[4.], [5.]]
    with pytest.raises(ts.errors.InvalidArgumentError, match="sampled_addmm"):
        ts.sparse.sampled_addmm(ts.constant([0, 1]), ts.constant([1.]), [2, 2], mat1, mat2)
