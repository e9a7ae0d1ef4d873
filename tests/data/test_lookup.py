"""ts.lookup: vocabulary and feature tables with TensorFlow 2.21's results (the expected
values are its outputs; the out-of-vocabulary buckets are its FarmHash buckets)."""

import numpy as np
import pytest

import tensorshell as ts


def _plain(x):
    if hasattr(x, "to_list"):
        return x.to_list()
    if isinstance(x, ts.SparseTensor):
        return x.indices.numpy().tolist(), x.values.numpy().tolist()
    return np.asarray(x.numpy()).tolist()


@pytest.fixture
def vocab_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("emerson\t10\nlake\t20\npalmer\t30\n")
    return str(path)


def test_static_hash_table():
    table = ts.lookup.StaticHashTable(ts.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]),
                                      -1)
    got = table.lookup(ts.constant(["a", "c"]))
    assert got.dtype is ts.int32 and got.numpy().tolist() == [1, -1]
    assert int(table.size()) == 2 and table[ts.constant("b")].numpy() == 2
    assert table.key_dtype is ts.string and table.value_dtype is ts.int32
    keys, values = table.export()
    assert keys.numpy().tolist() == [b"a", b"b"] and values.numpy().tolist() == [1, 2]
    with pytest.raises(TypeError, match="Dtype of argument `keys`"):
        table.lookup(ts.constant([1]))
    with pytest.raises(ts.errors.FailedPreconditionError, match="different value"):
        ts.lookup.StaticHashTable(ts.lookup.KeyValueTensorInitializer(["a", "a"], [1, 2]), -1)


def test_text_file_initializers(vocab_file):
    columns = ts.lookup.TextFileInitializer(vocab_file, ts.string, 0, ts.int64, 1)
    table = ts.lookup.StaticHashTable(columns, -1)
    assert _plain(table.lookup(ts.constant(["lake", "x", "palmer"]))) == [20, -1, 30]
    assert int(table.size()) == 3
    lines = ts.lookup.TextFileInitializer(vocab_file, ts.string,
                                          ts.lookup.TextFileIndex.WHOLE_LINE, ts.int64,
                                          ts.lookup.TextFileIndex.LINE_NUMBER)
    assert _plain(ts.lookup.StaticHashTable(lines, -1).lookup(
        ts.constant(["lake\t20", "lake"]))) == [1, -1]
    with pytest.raises(ts.errors.InvalidArgumentError, match="vocab_size"):
        ts.lookup.StaticHashTable(ts.lookup.TextFileInitializer(
            vocab_file, ts.string, 0, ts.int64, 1, vocab_size=5), -1)


def test_static_vocabulary_table_buckets_unknown_keys_as_tensorflow(vocab_file):
    vocab = ts.lookup.StaticVocabularyTable(ts.lookup.TextFileInitializer(
        vocab_file, ts.string, 0, ts.int64, ts.lookup.TextFileIndex.LINE_NUMBER),
        num_oov_buckets=4)
    assert _plain(vocab.lookup(ts.constant([["palmer", "zappa"], ["emerson", "yes"]]))) == \
        [[2, 3], [0, 6]]
    assert _plain(vocab.lookup(ts.ragged.constant([["palmer"], ["zappa", "emerson", "x"]]))) \
        == [[2], [3, 0, 5]]
    assert _plain(vocab.lookup(ts.SparseTensor([[0, 0], [1, 2]], ["lake", "rush"], [2, 3]))) \
        == ([[0, 0], [1, 2]], [1, 6])
    words = ts.data.Dataset.from_tensor_slices(["emerson", "genesis", "lake"])
    assert [int(i) for i in words.map(vocab.lookup)] == [0, 6, 1]
    only_buckets = ts.lookup.StaticVocabularyTable(None, 7)
    assert _plain(only_buckets.lookup(ts.constant(["a", "b"]))) == [5, 2]
    assert int(only_buckets.size()) == 7
    numbers = ts.lookup.StaticVocabularyTable(ts.lookup.KeyValueTensorInitializer(
        ts.constant([10, 20], ts.int64), ts.constant([0, 1], ts.int64)), 5)
    assert _plain(numbers.lookup(ts.constant([10, 7, 20, 123456789], ts.int64))) == [0, 5, 1, 3]
    narrow = ts.lookup.StaticVocabularyTable(ts.lookup.KeyValueTensorInitializer(
        ts.constant([1, 2], ts.int64), ts.constant([0, 1], ts.int64)), 3,
        lookup_key_dtype=ts.int32)
    assert _plain(narrow.lookup(ts.constant([1, 5, 2]))) == [0, 3, 1]
    with pytest.raises(TypeError, match="value_dtype"):
        ts.lookup.StaticVocabularyTable(ts.lookup.KeyValueTensorInitializer(["a"], [1]), 2)
    with pytest.raises(ValueError, match="num_oov_buckets"):
        ts.lookup.StaticVocabularyTable(None, 0)


def test_mutable_and_dense_hash_tables():
    table = ts.lookup.experimental.MutableHashTable(ts.string, ts.int64, -1)
    table.insert(["x", "y"], ts.constant([5, 6], ts.int64))
    assert _plain(table.lookup(["y", "q"])) == [6, -1] and int(table.size()) == 2
    table.remove(["x"])
    keys, values = table.export()
    assert keys.numpy().tolist() == [b"y"] and values.numpy().tolist() == [6]
    rows = ts.lookup.experimental.MutableHashTable(ts.int64, ts.float32, [0., 0.])
    rows.insert(ts.constant([1, 2], ts.int64), ts.constant([[1., 2.], [3., 4.]]))
    assert _plain(rows.lookup(ts.constant([2, 9], ts.int64))) == [[3., 4.], [0., 0.]]
    dense = ts.lookup.experimental.DenseHashTable(ts.int64, ts.int64, -1, empty_key=0,
                                                  deleted_key=-1)
    dense.insert(ts.constant([5, 6], ts.int64), ts.constant([50, 60], ts.int64))
    dense.erase(ts.constant([5], ts.int64))
    assert _plain(dense.lookup(ts.constant([5, 6], ts.int64))) == [-1, 60]
    with pytest.raises(ts.errors.InvalidArgumentError, match="empty_key or deleted_key"):
        dense.insert(ts.constant([0], ts.int64), ts.constant([1], ts.int64))
    import tensorshell.lookup.experimental as module
    assert module is ts.lookup.experimental
