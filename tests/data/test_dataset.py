"""ts.data.Dataset: every source and transformation by value, cardinality and element_spec;
shuffling (reproducible, reshuffled per pass, the row-number fast path equal to the element
path); the errors; a training loop over batches; and, with TensorFlow installed, the same
pipelines giving TensorFlow's elements, cardinalities and specs."""

from __future__ import annotations

import os

import numpy as np
import pytest

import tensorshell as ts

D = ts.data.Dataset


def values(ds):
    """Elements as plain Python values (tuples and dicts kept)."""
    def plain(e):
        if isinstance(e, tuple):
            return tuple(plain(v) for v in e)
        if isinstance(e, dict):
            return {k: plain(v) for k, v in e.items()}
        return np.asarray(e).tolist()
    return [plain(e) for e in ds]


def _sequences(m, lengths):
    return m.data.Dataset.from_generator(lambda: ([1] * n for n in lengths),
                                         output_signature=m.TensorSpec([None], m.int32))


# name -> (pipeline built with the library `m`, expected elements)
PIPELINES = {
    "slices": (lambda m: m.data.Dataset.from_tensor_slices([1, 2, 3]), [1, 2, 3]),
    "slices of a tuple": (lambda m: m.data.Dataset.from_tensor_slices(
        (np.arange(6).reshape(3, 2), [1., 2., 3.])),
        [([0, 1], 1.0), ([2, 3], 2.0), ([4, 5], 3.0)]),
    "slices of a dict": (lambda m: m.data.Dataset.from_tensor_slices(
        {"b": [1, 2], "a": [[1., 2.], [3., 4.]]}),
        [{"b": 1, "a": [1.0, 2.0]}, {"b": 2, "a": [3.0, 4.0]}]),
    "range": (lambda m: m.data.Dataset.range(2, 10, 3), [2, 5, 8]),
    "scan": (lambda m: m.data.Dataset.range(5).scan(m.constant(0, m.int64),
                                                    lambda s, x: (s + x, s * 10)),
             [0, 0, 10, 30, 60]),
    "counter, taken": (lambda m: m.data.Dataset.counter(3, 2).take(4), [3, 5, 7, 9]),
    "choose_from_datasets": (lambda m: m.data.Dataset.choose_from_datasets(
        [m.data.Dataset.range(3), m.data.Dataset.range(10, 13)],
        m.data.Dataset.from_tensor_slices(m.constant([0, 1, 1, 0, 0, 1], m.int64))),
        [0, 10, 11, 1, 2, 12]),
    "choose_from_datasets, going on": (lambda m: m.data.Dataset.choose_from_datasets(
        [m.data.Dataset.range(1), m.data.Dataset.range(10, 13)],
        m.data.Dataset.from_tensor_slices(m.constant([0, 0, 1, 1], m.int64)),
        stop_on_empty_dataset=False), [0, 10, 11]),
    "group_by_window": (lambda m: m.data.Dataset.range(10).group_by_window(
        lambda x: x % 3, lambda k, w: w.batch(4), window_size=2),
        [[0, 3], [1, 4], [2, 5], [6, 9], [7], [8]]),
    "bucket_by_sequence_length": (lambda m: _sequences(m, [1, 5, 2, 7, 3, 8, 2])
                                  .bucket_by_sequence_length(lambda x: m.shape(x)[0], [3, 6],
                                                             [2, 2, 2]),
                                  [[[1, 0], [1, 1]], [[1] * 5, [1, 1, 1, 0, 0]],
                                   [[1] * 7 + [0], [1] * 8], [[1, 1]]]),
    "bucket_by_sequence_length, to the boundary": (
        lambda m: _sequences(m, [1, 4, 2, 5]).bucket_by_sequence_length(
            lambda x: m.shape(x)[0], [3, 6], [2, 2, 2], pad_to_bucket_boundary=True),
        [[[1, 0], [1, 1]], [[1, 1, 1, 1, 0], [1] * 5]]),
    "with_options": (lambda m: m.data.Dataset.range(3).with_options(m.data.Options()),
                     [0, 1, 2]),
    "batch": (lambda m: m.data.Dataset.range(7).batch(3), [[0, 1, 2], [3, 4, 5], [6]]),
    "batch, drop_remainder": (lambda m: m.data.Dataset.range(7).batch(3, drop_remainder=True),
                              [[0, 1, 2], [3, 4, 5]]),
    "batch of slices": (lambda m: m.data.Dataset.from_tensor_slices(
        (np.arange(10).reshape(5, 2), np.arange(5.))).batch(2),
        [([[0, 1], [2, 3]], [0., 1.]), ([[4, 5], [6, 7]], [2., 3.]), ([[8, 9]], [4.])]),
    "map": (lambda m: m.data.Dataset.range(4).map(lambda x: x * 2), [0, 2, 4, 6]),
    "map over a tuple": (lambda m: m.data.Dataset.from_tensor_slices(([1, 2], [3, 4])).map(
        lambda a, b: a + b), [4, 6]),
    "map to a dict": (lambda m: m.data.Dataset.range(2).map(lambda x: {"x": x, "y": x + 1}),
                      [{"x": 0, "y": 1}, {"x": 1, "y": 2}]),
    "filter": (lambda m: m.data.Dataset.range(10).filter(lambda x: x % 3 == 0), [0, 3, 6, 9]),
    "repeat, take": (lambda m: m.data.Dataset.range(3).repeat().take(7),
                     [0, 1, 2, 0, 1, 2, 0]),
    "repeat twice": (lambda m: m.data.Dataset.range(3).repeat(2), [0, 1, 2, 0, 1, 2]),
    "repeat empty": (lambda m: m.data.Dataset.range(0).repeat(), []),
    "skip": (lambda m: m.data.Dataset.range(5).skip(2), [2, 3, 4]),
    "take all": (lambda m: m.data.Dataset.range(5).take(-1), [0, 1, 2, 3, 4]),
    "slices, skip, take, batch": (lambda m: m.data.Dataset.from_tensor_slices(
        np.arange(10)).skip(3).take(5).batch(2), [[3, 4], [5, 6], [7]]),
    "zip": (lambda m: m.data.Dataset.zip(m.data.Dataset.range(3),
                                         m.data.Dataset.range(10, 14)),
            [(0, 10), (1, 11), (2, 12)]),
    "zip a tuple": (lambda m: m.data.Dataset.zip((m.data.Dataset.range(2),
                                                   m.data.Dataset.range(5, 7))),
                    [(0, 5), (1, 6)]),
    "enumerate": (lambda m: m.data.Dataset.from_tensor_slices([5, 6]).enumerate(start=1),
                  [(1, 5), (2, 6)]),
    "concatenate": (lambda m: m.data.Dataset.range(2).concatenate(m.data.Dataset.range(5, 7)),
                    [0, 1, 5, 6]),
    "unbatch": (lambda m: m.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]).unbatch(),
                [1, 2, 3, 4]),
    "padded_batch": (lambda m: m.data.Dataset.from_generator(
        lambda: iter([[1], [2, 3], [4, 5, 6]]),
        output_signature=m.TensorSpec([None], m.int32)).padded_batch(2),
        [[[1, 0], [2, 3]], [[4, 5, 6]]]),
    "padded_batch with values and shapes": (lambda m: m.data.Dataset.from_generator(
        lambda: iter([[1], [2, 3]]), output_signature=m.TensorSpec([None], m.int32))
        .padded_batch(2, padded_shapes=[4], padding_values=-1),
        [[[1, -1, -1, -1], [2, 3, -1, -1]]]),
    "shard": (lambda m: m.data.Dataset.range(10).shard(3, 1), [1, 4, 7]),
    "flat_map": (lambda m: m.data.Dataset.range(3).flat_map(lambda x: m.data.Dataset.range(x)),
                 [0, 0, 1]),
    "take_while": (lambda m: m.data.Dataset.range(10).take_while(lambda x: x < 4),
                   [0, 1, 2, 3]),
    "window, drop_remainder": (lambda m: m.data.Dataset.range(7).window(
        3, drop_remainder=True).flat_map(lambda w: w.batch(3)), [[0, 1, 2], [3, 4, 5]]),
    "window, stride": (lambda m: m.data.Dataset.range(7).window(2, shift=3, stride=2)
                       .flat_map(lambda w: w.batch(3)), [[0, 2], [3, 5], [6]]),
    "window": (lambda m: m.data.Dataset.range(7).window(3, shift=2).flat_map(
        lambda w: w.batch(3)), [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]),
    "unique": (lambda m: m.data.Dataset.from_tensor_slices([1, 2, 1, 3, 2]).unique(),
               [1, 2, 3]),
    "from_tensors": (lambda m: m.data.Dataset.from_tensors([1, 2]), [[1, 2]]),
    "cache": (lambda m: m.data.Dataset.range(3).cache(), [0, 1, 2]),
    "from_generator with args": (lambda m: m.data.Dataset.from_generator(
        lambda n: iter(range(n)), output_signature=m.TensorSpec([], m.int64), args=(3,)),
        [0, 1, 2]),
    "strings": (lambda m: m.data.Dataset.from_tensor_slices([b"a", b"bc"]).map(
        lambda s: m.strings.length(s)), [1, 2]),
}
CARDINALITY = {
    "repeat forever": (lambda m: m.data.Dataset.range(5).repeat(), -1),
    "filter": (lambda m: m.data.Dataset.range(5).filter(lambda x: True), -2),
    "empty repeated": (lambda m: m.data.Dataset.range(0).repeat(), 0),
    "forever, taken": (lambda m: m.data.Dataset.range(5).repeat().take(3), 3),
    "skip past the end": (lambda m: m.data.Dataset.range(5).skip(7), 0),
    "batch": (lambda m: m.data.Dataset.range(5).batch(2), 3),
    "shard": (lambda m: m.data.Dataset.range(7).shard(3, 1), 2),
    "zip with forever": (lambda m: m.data.Dataset.zip(m.data.Dataset.range(3),
                                                      m.data.Dataset.range(4).repeat()), 3),
    "unbatch of slices": (lambda m: m.data.Dataset.from_tensor_slices([[1, 2], [3, 4]])
                          .unbatch(), 4),
    "generator": (lambda m: m.data.Dataset.from_generator(
        lambda: iter([1]), output_signature=m.TensorSpec([], m.int32)), -2),
}


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_pipelines(name):
    build, expected = PIPELINES[name]
    ds = build(ts)
    assert values(ds) == expected
    assert values(ds) == expected  # a dataset is a recipe: a second pass gives the same


@pytest.mark.parametrize("name", sorted(CARDINALITY))
def test_cardinality(name):
    build, expected = CARDINALITY[name]
    ds = build(ts)
    card = ds.cardinality()
    assert card.dtype is ts.int64 and int(card) == expected
    if expected >= 0:
        assert len(ds) == expected
    else:
        with pytest.raises(TypeError, match="infinite" if expected == -1 else "unknown"):
            len(ds)


def test_element_spec_and_repr():
    ds = D.from_tensor_slices((np.zeros((4, 3), np.float32), [1, 2, 3, 4]))
    assert ds.element_spec == (ts.TensorSpec([3], ts.float32), ts.TensorSpec([], ts.int32))
    assert ds.batch(2).element_spec[0] == ts.TensorSpec([None, 3], ts.float32)
    assert ds.batch(2, drop_remainder=True).element_spec[1] == ts.TensorSpec([2], ts.int32)
    assert repr(D.range(3).batch(2)) == \
        "<_BatchDataset element_spec=TensorSpec(shape=(None,), dtype=ts.int64, name=None)>"
    assert D.range(3).map(lambda x: ts.cast(x, ts.float32)).element_spec.dtype is ts.float32
    assert D.range(3).enumerate().element_spec[0].dtype is ts.int64
    padded = D.from_generator(lambda: iter([[1]]), output_signature=ts.TensorSpec(
        [None], ts.int32)).padded_batch(2, padded_shapes=[4])
    assert padded.element_spec == ts.TensorSpec([None, 4], ts.int32)
    assert [e.tolist() for e in D.range(3).as_numpy_iterator()] == [0, 1, 2]
    assert list(D.from_tensor_slices({"a": [b"x"]}).as_numpy_iterator()) == [{"a": b"x"}]
    assert int(D.range(5).reduce(np.int64(0), lambda s, x: s + x)) == 10
    assert int(D.range(7).apply(lambda d: d.skip(6)).get_single_element()) == 6
    assert int(ts.data.experimental.cardinality(D.range(4))) == 4
    assert ts.data.AUTOTUNE == ts.data.experimental.AUTOTUNE == -1
    assert D.range(3).prefetch(ts.data.AUTOTUNE).map(lambda x: x, num_parallel_calls=4,
                                                     deterministic=True) is not None


def test_shuffle_is_a_reproducible_permutation_reshuffled_each_pass():
    ds = D.range(100).shuffle(100, seed=7)
    first, second = values(ds), values(ds)
    assert sorted(first) == list(range(100)) and sorted(second) == list(range(100))
    assert first != list(range(100)) and first != second          # a new order per pass
    assert values(D.range(100).shuffle(100, seed=7)) == first     # the same seed, the same
    fixed = D.range(100).shuffle(100, seed=7, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)
    assert values(D.range(10).shuffle(1)) == list(range(10))      # a one-element buffer
    ts.random.set_seed(3)
    a = values(D.range(50).shuffle(50))
    ts.random.set_seed(3)
    assert values(D.range(50).shuffle(50)) == a                   # the global seed fixes it
    # a small buffer only moves elements forward by a bounded amount
    small = values(D.range(100).shuffle(5, seed=1))
    assert sorted(small) == list(range(100))
    assert all(v <= i + 4 for i, v in enumerate(small))


def test_row_number_fast_path_equals_the_element_path():
    """shuffle/take/skip/repeat on slices move row numbers and batch gathers; the same
    pipeline with an identity map in front takes the element-by-element path."""
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    y = np.arange(20)

    def select(ds):
        return ds.shuffle(8, seed=5).repeat(2).skip(3).take(30)
    fast = select(D.from_tensor_slices((x, y)))
    slow = select(D.from_tensor_slices((x, y)).map(lambda a, b: (a, b)))
    assert fast._rows is not None and slow._rows is None
    assert values(fast) == values(slow)
    assert values(fast.batch(4)) == values(slow.batch(4))
    assert int(fast.batch(4).cardinality()) == 8


def test_options_and_random_sources():
    options = ts.data.Options()
    options.deterministic = False
    options.threading.private_threadpool_size = 4
    ds = ts.data.Dataset.range(3).with_options(options)
    assert ds.options().deterministic is False
    assert ds.options().threading.private_threadpool_size == 4
    assert values(ds) == [0, 1, 2] and int(ds.cardinality()) == 3
    mixed = ts.data.Dataset.sample_from_datasets([ts.data.Dataset.range(3),
                                                  ts.data.Dataset.range(10, 13)], seed=1)
    drawn = values(mixed)
    assert sorted(drawn) == [0, 1, 2, 10, 11, 12] and drawn == values(mixed)
    assert [v for v in drawn if v < 10] == [0, 1, 2]  # each input keeps its order
    def two(stop):
        return values(ts.data.Dataset.sample_from_datasets(
            [ts.data.Dataset.range(1), ts.data.Dataset.range(10, 1000)], seed=2,
            stop_on_empty_dataset=stop))
    assert len(two(False)) == 991                # both drained
    assert 0 in two(True) and len(two(True)) < 100  # ends when an input runs out
    with pytest.raises(ValueError, match="weights"):
        ts.data.Dataset.sample_from_datasets([ts.data.Dataset.range(1)], weights=[-1.0])
    r = ts.data.Dataset.random(seed=4).take(3)
    assert values(r) == values(r) and r.element_spec.dtype is ts.int64
    changing = ts.data.Dataset.random(seed=4, rerandomize_each_iteration=True).take(3)
    assert values(changing) != values(changing)
    with pytest.raises(ValueError, match="window_size"):
        ts.data.Dataset.range(3).group_by_window(lambda x: x, lambda k, w: w)


def test_errors():
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        D.from_tensor_slices(([1, 2], [1, 2, 3]))
    with pytest.raises(ValueError, match="rank >= 1"):
        D.from_tensor_slices(5)
    with pytest.raises(ts.errors.InvalidArgumentError, match="Batch size must be greater"):
        D.range(3).batch(0)
    gen = D.from_generator(lambda: iter([[1], [2, 3]]),
                           output_signature=ts.TensorSpec([None], ts.int32))
    with pytest.raises(ts.errors.InvalidArgumentError, match="Cannot batch tensors with "
                       "different shapes in component 0"):
        list(gen.batch(2))
    with pytest.raises(ValueError, match="must return a `ts.bool` scalar"):
        list(D.range(3).filter(lambda x: x))
    with pytest.raises(ts.errors.InvalidArgumentError, match="not compatible with"):
        list(D.from_generator(lambda: iter([[1, 2]]),
                              output_signature=ts.TensorSpec([3], ts.int32)))
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        list(D.from_generator(lambda: iter([1.5]), output_signature=ts.TensorSpec([],
                                                                                  ts.int32)))
    with pytest.raises(TypeError, match="the datasets' elements differ"):
        D.range(2).concatenate(D.from_tensor_slices([1., 2.]))
    with pytest.raises(TypeError, match="must return a Dataset"):
        list(D.range(2).flat_map(lambda x: x))
    with pytest.raises(TypeError, match="pass the function, not its result"):
        D.from_generator(iter([1]), output_signature=ts.TensorSpec([], ts.int32))
    with pytest.raises(ts.errors.InvalidArgumentError, match="exactly one element"):
        D.range(2).get_single_element()


def test_a_training_loop_over_batches():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 3)).astype(np.float32)
    y = x @ np.array([[1.], [-2.], [0.5]], np.float32)
    w = ts.Variable(ts.zeros((3, 1)))
    opt = ts.optimizers.SGD(0.1)
    ds = D.from_tensor_slices((x, y)).shuffle(256, seed=1).batch(32).repeat(5)
    for xb, yb in ds:
        with ts.GradientTape() as tape:
            loss = ts.reduce_mean(ts.square(xb @ w - yb))
        opt.apply_gradients([(tape.gradient(loss, w), w)])
    np.testing.assert_allclose(w.numpy().ravel(), [1., -2., .5], atol=1e-2)


def test_variables_and_devices():
    v = ts.Variable([[1., 2.], [3., 4.]])
    assert values(D.from_tensor_slices(v)) == [[1., 2.], [3., 4.]]
    with ts.device("/cpu:1"):
        batches = list(D.from_tensor_slices(np.arange(4)).batch(2))
    assert all(b.device.endswith("CPU:1") for b in batches)


# ---------------------------------------------------------------------------------------------
# TensorFlow as the oracle
# ---------------------------------------------------------------------------------------------

@pytest.mark.tf_oracle
def test_same_elements_cardinality_and_spec_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    for name, (build, _) in {**PIPELINES, **CARDINALITY}.items():
        ours, theirs = build(ts), build(tf)
        assert int(ours.cardinality()) == int(theirs.cardinality()), name
        if name != "repeat forever":
            assert values(ours) == values(theirs), name
        if name.startswith(("window", "bucket", "group")):  # specs from the first element
            continue
        ours_spec = [(tuple(s.shape.as_list()), s.dtype.name) for s in
                     ts.data._flatten(ours.element_spec)]
        theirs_spec = [(tuple(s.shape.as_list()), s.dtype.name) for s in
                       tf.nest.flatten(theirs.element_spec)]
        assert ours_spec == theirs_spec, name


def _reciprocals():
    ds = ts.data.Dataset.from_tensor_slices([1., 0., 2., -1., 4.])
    return ds.map(lambda x: ts.debugging.check_numerics(1. / x, "bad"))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # 1/0, re-shown by pytest.warns
def test_ignore_errors_drops_what_map_and_filter_failed_on():
    """As TensorFlow: the failing element is dropped and the rest follow; a batch holding
    one is dropped whole; without ignore_errors the error is raised at its place."""
    with pytest.raises(ts.errors.InvalidArgumentError, match="Inf"):
        list(_reciprocals())
    got = _reciprocals().ignore_errors()
    assert [float(v) for v in got] == [1.0, 0.5, -1.0, 0.25]
    assert int(got.cardinality()) == ts.data.UNKNOWN_CARDINALITY
    assert repr(got).startswith("<_IgnoreErrorsDataset element_spec=TensorSpec(shape=()")
    chained = _reciprocals().map(lambda x: x * 2).filter(lambda x: x > 0).ignore_errors()
    assert [float(v) for v in chained] == [2.0, 1.0, 0.5]
    batches = _reciprocals().batch(2).ignore_errors()
    assert [b.numpy().tolist() for b in batches] == [[0.5, -1.0], [0.25]]
    with pytest.raises(ts.errors.InvalidArgumentError):
        list(_reciprocals().batch(2))
    src = ts.data.Dataset.from_tensor_slices([1., 0., 2.])
    kept = src.filter(lambda x: ts.debugging.check_numerics(1. / x, "f") > 0).ignore_errors()
    assert [float(v) for v in kept] == [1.0, 2.0]
    applied = _reciprocals().apply(ts.data.experimental.ignore_errors())
    assert len(list(applied)) == 4
    with pytest.warns(UserWarning, match="dropped an element: InvalidArgumentError"):
        list(_reciprocals().ignore_errors(log_warning=True))


# -- SparseTensor elements -----------------------------------------------------------------

def _sp(s):
    return (s.indices.numpy().tolist(), s.values.numpy().tolist(),
            s.dense_shape.numpy().tolist())


def test_sparse_elements_slice_batch_and_unbatch_as_tensorflows():
    """TensorFlow 2.21's results: rows of a SparseTensor are SparseTensors of one rank less;
    batching stacks them (the dense shape the largest of theirs), unbatching splits them."""
    st = ts.SparseTensor(indices=[[0, 0], [1, 2], [2, 1]], values=[1, 2, 3], dense_shape=[3, 4])
    ds = ts.data.Dataset.from_tensor_slices(st)
    assert ds.element_spec == ts.SparseTensorSpec([4], ts.int32)
    assert [_sp(e) for e in ds] == [([[0]], [1], [4]), ([[2]], [2], [4]), ([[1]], [3], [4])]
    batched = ds.batch(2)
    assert repr(batched.element_spec) == "SparseTensorSpec(TensorShape([None, 4]), ts.int32)"
    assert [_sp(e) for e in batched] == [([[0, 0], [1, 2]], [1, 2], [2, 4]),
                                         ([[0, 1]], [3], [1, 4])]
    assert [_sp(e) for e in batched.unbatch()] == [_sp(e) for e in ds]
    a = ts.SparseTensor([[0], [3]], [1., 2.], [5])
    c = ts.SparseTensor([[1]], [7.], [2])
    both = ts.data.Dataset.from_tensors(a).concatenate(ts.data.Dataset.from_tensors(c))
    assert both.element_spec == ts.SparseTensorSpec([None], ts.float32)
    assert [_sp(e) for e in both.batch(2)] == [([[0, 0], [0, 3], [1, 1]], [1., 2., 7.],
                                                [2, 5])]
    mixed = ts.data.Dataset.from_tensor_slices({"s": st, "d": ts.constant([1, 2, 3])})
    (element,) = list(mixed.batch(3))
    assert _sp(element["s"]) == _sp(st) and element["d"].numpy().tolist() == [1, 2, 3]
    with pytest.raises(TypeError, match="padded_batch is only supported"):
        ds.padded_batch(2)
    mapped = ts.data.Dataset.range(3).map(lambda x: ts.SparseTensor([[x]], [x * 10], [3]))
    with pytest.raises(TypeError, match="padded_batch is only supported"):
        list(mapped.padded_batch(2))
    assert [_sp(e) for e in mapped.batch(3)] == [([[0, 0], [1, 1], [2, 2]], [0, 10, 20],
                                                  [3, 3])]
    assert [_sp(e) for e in ds.filter(lambda s: ts.sparse.reduce_sum(s) > 1).cache()] == \
        [([[2]], [2], [4]), ([[1]], [3], [4])]


def test_parsing_variable_length_features_in_a_pipeline():
    """The TFRecord pattern: map parse_single_example (VarLenFeature gives SparseTensors),
    then batch; or batch, then parse_example."""
    def example(values):
        return ts.train.Example(features=ts.train.Features(feature={
            "v": ts.train.Feature(int64_list=ts.train.Int64List(value=values))})
        ).SerializeToString()
    records = ts.data.Dataset.from_tensor_slices([example([1, 2, 3]), example([4])])
    features = {"v": ts.io.VarLenFeature(ts.int64)}
    parsed = records.map(lambda s: ts.io.parse_single_example(s, features)).batch(2)
    (batch,) = list(parsed)
    assert ts.sparse.to_dense(batch["v"]).numpy().tolist() == [[1, 2, 3], [4, 0, 0]]
    (batch,) = list(records.batch(2).map(lambda s: ts.io.parse_example(s, features)))
    assert ts.sparse.to_dense(batch["v"]).numpy().tolist() == [[1, 2, 3], [4, 0, 0]]


def test_sparse_tensor_spec():
    st = ts.SparseTensor([[0, 0], [1, 2]], [1, 2], [3, 4])
    spec = ts.SparseTensorSpec([None, 4], ts.int32)
    assert repr(spec) == "SparseTensorSpec(TensorShape([None, 4]), ts.int32)"
    assert spec.shape == (None, 4) and spec.dtype is ts.int32
    assert spec.value_type is ts.SparseTensor
    assert spec == ts.SparseTensorSpec([None, 4], ts.int32) and hash(spec) == hash(
        ts.SparseTensorSpec([None, 4], ts.int32))
    assert spec.is_compatible_with(st) and not ts.SparseTensorSpec([2, 4], ts.int32) \
        .is_compatible_with(st)
    assert ts.type_spec_from_value(st) == ts.SparseTensorSpec([3, 4], ts.int32)

    @ts.function(input_signature=[spec])
    def total(sp):
        return ts.sparse.reduce_sum(sp)
    assert total(st).numpy() == 3
    with pytest.raises(TypeError, match="Can not cast"):
        total(ts.SparseTensor([[0, 0]], [1.], [3, 4]))


def test_rebatch_as_tensorflow():
    def rows(ds):
        return [b.numpy().tolist() for b in ds]
    batches = ts.data.Dataset.range(10).batch(4)
    assert rows(batches.rebatch(2)) == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
    assert rows(batches.rebatch([3, 1])) == [[0, 1, 2], [3], [4, 5, 6], [7], [8, 9]]
    assert rows(batches.rebatch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert rows(ts.data.Dataset.range(9).batch(3).rebatch([2, 0, 1])) == \
        [[0, 1], [], [2], [3, 4], [], [5], [6, 7], [], [8]]


def test_iterators_as_tensorflows():
    """iter(dataset) is an Iterator (get_next, get_next_as_optional, element_spec) and
    as_numpy_iterator a NumpyIterator, as TensorFlow code uses them."""
    ds = ts.data.Dataset.range(3)
    it = iter(ds)
    assert isinstance(it, ts.data.Iterator)
    assert int(it.get_next()) == 0 and int(next(it)) == 1
    assert it.element_spec == ts.TensorSpec([], ts.int64)
    assert it.get_next_as_optional().has_value().numpy()
    assert not it.get_next_as_optional().has_value().numpy()
    with pytest.raises(ts.errors.OutOfRangeError, match="End of sequence"):
        it.get_next()
    numpy_it = ds.as_numpy_iterator()
    assert isinstance(numpy_it, ts.data.NumpyIterator)
    assert numpy_it.next() == 0 and list(numpy_it) == [1, 2]
