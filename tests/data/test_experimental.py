"""ts.data.experimental: the transformations TensorFlow code applies with ``dataset.apply``,
Optional, CsvDataset and TFRecordWriter. The expected elements were printed by TensorFlow
2.21 for the same pipelines."""

import numpy as np
import pytest

import tensorshell as ts

D, E = ts.data.Dataset, ts.data.experimental


def _values(ds):
    out = []
    for element in ds:
        flat = ts.nest.flatten(element)
        out.append([np.asarray(t.numpy() if hasattr(t, "numpy") else t).tolist() for t in flat])
    return out


CASES = {
    "scan": (lambda: D.range(5).apply(E.scan(np.int64(0), lambda s, x: (s + x, s * 2))),
             [[0], [0], [2], [6], [12]]),
    "take_while": (lambda: D.range(9).apply(E.take_while(lambda x: x < 4)),
                   [[0], [1], [2], [3]]),
    "unique": (lambda: D.from_tensor_slices([1, 2, 1, 3, 2]).apply(E.unique()),
               [[1], [2], [3]]),
    "unbatch": (lambda: D.from_tensor_slices([[1, 2], [3, 4]]).apply(E.unbatch()),
                [[1], [2], [3], [4]]),
    "enumerate_dataset": (lambda: D.from_tensor_slices([7, 8]).apply(E.enumerate_dataset(5)),
                          [[5, 7], [6, 8]]),
    "group_by_window": (
        lambda: D.range(10).apply(E.group_by_window(lambda x: x % 2,
                                                    lambda k, w: w.batch(3), 3)),
        [[[0, 2, 4]], [[1, 3, 5]], [[6, 8]], [[7, 9]]]),
    "bucket_by_sequence_length": (
        lambda: D.from_tensor_slices([[1, 0, 0], [2, 2, 0], [3, 3, 3], [4, 0, 0]])
        .map(lambda x: x[:ts.reduce_sum(ts.cast(x > 0, ts.int32))])
        .apply(E.bucket_by_sequence_length(lambda x: ts.shape(x)[0], [2], [2, 2])),
        [[[[2, 2, 0], [3, 3, 3]]], [[[1], [4]]]]),
    "dense_to_ragged_batch": (
        lambda: D.from_tensor_slices([1, 2, 3]).map(lambda x: ts.range(x))
        .apply(E.dense_to_ragged_batch(2)).map(lambda r: r.flat_values),
        [[[0, 0, 1]], [[0, 1, 2]]]),
    "map_and_batch": (lambda: D.range(5).apply(E.map_and_batch(lambda x: x * 2, 2)),
                      [[[0, 2]], [[4, 6]], [[8]]]),
    "parallel_interleave": (
        lambda: D.range(3).apply(E.parallel_interleave(
            lambda x: D.from_tensors(x).repeat(2), 2)), [[0], [1], [0], [1], [2], [2]]),
    "Counter": (lambda: E.Counter(3, 2).take(3), [[3], [5], [7]]),
    "from_list": (lambda: E.from_list([(1, "a"), (2, "b")]), [[1, b"a"], [2, b"b"]]),
    "choose_from_datasets": (
        lambda: E.choose_from_datasets([D.from_tensors(1).repeat(), D.from_tensors(2).repeat()],
                                       D.from_tensor_slices(np.array([0, 1, 1, 0], np.int64))),
        [[1], [2], [2], [1]]),
    "assert_cardinality": (lambda: D.range(3).apply(E.assert_cardinality(3)),
                           [[0], [1], [2]]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_transformations_give_tensorflows_elements(name):
    make, expected = CASES[name]
    assert _values(make()) == expected


def test_assert_cardinality_fails_on_the_wrong_count():
    with pytest.raises(ts.errors.FailedPreconditionError, match="at least 3 elements"):
        _values(D.range(3).apply(E.assert_cardinality(2)))
    with pytest.raises(ts.errors.FailedPreconditionError, match="contained only 3 elements"):
        _values(D.range(3).apply(E.assert_cardinality(5)))


def test_optional_at_and_structure():
    it = iter(D.range(1))
    first, second = E.get_next_as_optional(it), E.get_next_as_optional(it)
    assert bool(first.has_value()) and int(first.get_value()) == 0
    assert not bool(second.has_value())
    with pytest.raises(ts.errors.InvalidArgumentError, match="does not have a value"):
        second.get_value()
    assert bool(E.Optional.from_value(ts.constant(3.)).has_value())
    assert int(E.at(D.range(10, 20), 3)) == 13
    with pytest.raises(ts.errors.OutOfRangeError):
        E.at(D.range(2), 5)
    assert E.get_structure(D.range(2)) == D.range(2).element_spec
    with pytest.raises(ValueError, match="should not be empty"):
        E.from_list([])


def test_csv_dataset(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,b,c\n1,2.5,x\n3,,"y,z"\n')
    rows = E.CsvDataset(str(path), [ts.int32, ts.constant(0.0), ts.string], header=True)
    assert _values(rows) == [[1, 2.5, b"x"], [3, 0.0, b"y,z"]]
    picked = E.CsvDataset(str(path), [ts.int32, ts.string], header=True, select_cols=[0, 2])
    assert _values(picked) == [[1, b"x"], [3, b"y,z"]]
    left = E.CsvDataset(str(path), [ts.int32, ts.string], header=True, exclude_cols=[1])
    assert _values(left) == [[1, b"x"], [3, b"y,z"]]
    (tmp_path / "g.csv").write_text("1,2.5,x\n\n")
    with pytest.raises(ts.errors.InvalidArgumentError, match="Expect 3 fields"):
        _values(E.CsvDataset(str(tmp_path / "g.csv"), [ts.int32, ts.float32, ts.string]))


def test_tfrecord_writer_writes_what_the_reader_reads(tmp_path):
    path = str(tmp_path / "out.tfrecord")
    E.TFRecordWriter(path).write(D.from_tensor_slices(["a", "bc"]))
    assert _values(ts.data.TFRecordDataset(path)) == [[b"a"], [b"bc"]]
    with pytest.raises(TypeError, match="string scalars"):
        E.TFRecordWriter(path).write(D.range(2))


def test_make_csv_dataset_infers_types_as_tensorflow(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('age,fare,name,survived\n22,7.25,"Braund, Mr",0\n38,,Cumings,1\n'
                    ',8.05,Heikkinen,1\n4000000000,1e40,X,0\n')
    ds = E.make_csv_dataset(str(path), batch_size=2, label_name="survived", shuffle=False,
                            num_epochs=1)
    got = [({k: (v.dtype.name, v.numpy().tolist()) for k, v in f.items()}, y.numpy().tolist())
           for f, y in ds]
    # printed by TensorFlow 2.21: int64 past int32's range, float64 past float32's, missing
    # values 0
    assert got == [
        ({"age": ("int64", [22, 38]), "fare": ("float64", [7.25, 0.0]),
          "name": ("string", [b"Braund, Mr", b"Cumings"])}, [0, 1]),
        ({"age": ("int64", [0, 4000000000]), "fare": ("float64", [8.05, 1e40]),
          "name": ("string", [b"Heikkinen", b"X"])}, [1, 0])]
    picked = E.make_csv_dataset(str(path), batch_size=3, shuffle=False, num_epochs=1,
                                select_columns=["name", "survived"])
    first = next(iter(picked))
    assert list(first) == ["name", "survived"] and first["survived"].dtype is ts.int32
    forever = E.make_csv_dataset(str(path), batch_size=3, shuffle=True, shuffle_seed=1)
    sizes = [int(f["age"].shape[0]) for f in forever.take(5)]
    assert sizes == [3] * 5                           # repeated, whole batches only
    with pytest.raises(ValueError, match="must be one of the columns"):
        E.make_csv_dataset(str(path), batch_size=2, label_name="nope")
    with pytest.raises(ValueError, match="No files match"):
        E.make_csv_dataset(str(tmp_path / "*.none"), batch_size=2)


def test_sparse_batches_tables_reducers_and_padding_as_tensorflow():
    """TensorFlow 2.21's results."""
    E = ts.data.experimental
    rows = ts.data.Dataset.from_generator(lambda: iter([[1, 2], [3], [4, 5, 6]]),
                                          output_signature=ts.TensorSpec([None], ts.int32))
    batches = [(s.indices.numpy().tolist(), s.values.numpy().tolist(),
                s.dense_shape.numpy().tolist()) for s in rows.apply(E.dense_to_sparse_batch(
                    2, [4]))]
    assert batches == [([[0, 0], [0, 1], [1, 0]], [1, 2, 3], [2, 4]),
                       ([[0, 0], [0, 1], [0, 2]], [4, 5, 6], [1, 4])]
    with pytest.raises(ts.errors.InvalidArgumentError, match="does not fit"):
        list(rows.sparse_batch(2, [2]))
    words = ts.data.Dataset.from_tensor_slices([b"a", b"b", b"c"])
    table = E.index_table_from_dataset(words, num_oov_buckets=2)
    assert table.lookup(ts.constant([b"b", b"zz"])).numpy().tolist() == [1, 3]
    pairs = ts.data.Dataset.from_tensor_slices(([b"x", b"y"], ts.constant([7, 8], ts.int64)))
    table = E.table_from_dataset(pairs, default_value=-1)
    assert table.lookup(ts.constant([b"y", b"q"])).numpy().tolist() == [8, -1]
    reducer = E.Reducer(init_func=lambda _: ts.constant(0, ts.int64),
                        reduce_func=lambda state, x: state + x, finalize_func=lambda s: s)
    sums = ts.data.Dataset.range(10).apply(E.group_by_reducer(lambda x: x % 3, reducer))
    assert sorted(int(v) for v in sums) == [12, 15, 18]
    padded = ts.data.Dataset.range(3).map(lambda x: {"a": x}).apply(E.pad_to_cardinality(5))
    assert [(int(e["a"]), bool(e["valid"])) for e in padded] == [
        (0, True), (1, True), (2, True), (0, False), (0, False)]
    with pytest.raises(ts.errors.InvalidArgumentError, match="more than 2"):
        list(ts.data.Dataset.range(3).map(lambda x: {"a": x}).apply(E.pad_to_cardinality(2)))


def test_parse_example_dataset():
    def example(v):
        return ts.train.Example(features=ts.train.Features(feature={
            "v": ts.train.Feature(int64_list=ts.train.Int64List(value=[v]))}))\
            .SerializeToString()
    ds = ts.data.Dataset.from_tensor_slices([example(1), example(2), example(3)]).batch(2)
    parsed = ds.apply(ts.data.experimental.parse_example_dataset(
        {"v": ts.io.FixedLenFeature([], ts.int64)}))
    assert [b["v"].numpy().tolist() for b in parsed] == [[1, 2], [3]]
