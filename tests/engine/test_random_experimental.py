"""ts.random.experimental: index_shuffle and stateless_shuffle give TensorFlow 2.21's
permutations bit for bit (the expected values are its outputs)."""

import numpy as np
import pytest

import tensorshell as ts

from .. import oracle

E = ts.random.experimental

# (max_index, TensorFlow's index_shuffle of sorted({0, min(1, m), m // 2, m}), seed [7, 11])
INDEX_SHUFFLES = [
    (0, [0]), (1, [1, 0]), (2, [1, 2, 0]), (3, [1, 2, 0]), (9, [9, 6, 8, 7]),
    (255, [44, 88, 105, 249]), (65535, [50569, 40807, 9209, 11098]),
    (65536, [50569, 40807, 19250, 50569]),        # TensorFlow's: 2^16 takes a 16-bit block
    (65537, [38075, 38115, 48879, 14857]), (100000, [38075, 79647, 23699, 85298]),
    (2 ** 20, [220927, 151550, 753229, 220927]),
    (2 ** 31 - 1, [684840361, 680629424, 611956094, 45975717]),
    (2 ** 33 + 5, [1371317434, 1362945451, 5648983704, 6115551298]),
    (2 ** 40, [560715138307, 560645948562, 10967713187, 560715138307]),
    (2 ** 62 + 3, [237587250092131615, 237587318811591814, 2543430353795089470,
                   237586906494748596])]


@pytest.mark.parametrize("top,want", INDEX_SHUFFLES)
def test_index_shuffle_is_tensorflows(top, want):
    index = ts.constant(sorted({0, min(1, top), top // 2, top}), ts.int64)
    got = E.index_shuffle(index, [7, 11], ts.constant(top, ts.int64))
    assert got.dtype is ts.int64 and got.numpy().tolist() == want


def test_index_shuffle_examples_and_arguments():
    # TensorFlow's docstring examples
    assert E.index_shuffle(ts.range(4), seed=[5, 9], max_index=3).numpy().tolist() == \
        [2, 0, 1, 3]
    assert [int(E.index_shuffle(i, [5, 8], 9)) for i in range(10)] == \
        [3, 8, 0, 1, 2, 7, 6, 9, 4, 5]
    assert int(E.index_shuffle(5, [-1, 2 ** 40], 9)) == 9         # seeds as uint32 words
    perm = E.index_shuffle(ts.range(5000, dtype=ts.int64), [1, 2], 4999).numpy()
    assert sorted(perm.tolist()) == list(range(5000))               # a bijection
    u = E.index_shuffle(ts.constant([1, 2, 3], ts.uint32), ts.constant([[1, 2], [3, 4],
                                                                         [5, 6]]),
                        ts.constant([10, 20, 30], ts.uint32))        # one seed per row
    assert u.dtype is ts.uint32 and [int(v) for v in u] == [
        int(E.index_shuffle(ts.constant(i, ts.uint32), s, ts.constant(m, ts.uint32)))
        for i, s, m in [(1, [1, 2], 10), (2, [3, 4], 20), (3, [5, 6], 30)]]
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"in \[0, max_index\]"):
        E.index_shuffle(4, [1, 2], 3)
    with pytest.raises(ts.errors.InvalidArgumentError, match="int32, int64"):
        E.index_shuffle(ts.constant(1, ts.int16), [1, 2], ts.constant(3, ts.int16))
    with pytest.raises(ts.errors.InvalidArgumentError, match=r"shape \[2\] or \[n, 2\]"):
        E.index_shuffle(1, [1, 2, 3], 3)


@pytest.mark.parametrize("seed,want", [
    ([1, 2], [15, 2, 11, 10, 13, 6, 9, 5, 16, 8, 4, 3, 1, 12, 0, 14, 7]),
    ([0, 0], [3, 10, 1, 5, 0, 9, 2, 13, 14, 8, 12, 16, 11, 7, 4, 15, 6]),
    ([-5, 12345678901], [5, 7, 3, 1, 15, 8, 11, 13, 14, 16, 12, 4, 2, 6, 9, 0, 10])])
def test_stateless_shuffle_is_tensorflows(seed, want, device):
    with ts.device(device):
        assert E.stateless_shuffle(ts.range(17), seed).numpy().tolist() == want


def test_stateless_shuffle_of_rows_strings_and_one_element():
    rows = E.stateless_shuffle(ts.reshape(ts.range(12.), [4, 3]), [3, 4])
    assert rows.numpy().tolist() == [[9., 10., 11.], [6., 7., 8.], [3., 4., 5.], [0., 1., 2.]]
    assert E.stateless_shuffle(ts.constant([b"a", b"b", b"c"]), [3, 4]).numpy().tolist() \
        == [b"b", b"c", b"a"]
    assert E.stateless_shuffle(ts.constant([5]), [3, 4]).numpy().tolist() == [5]
    assert E.stateless_split([3, 4], 2).numpy().tolist() == \
        [[-1860230133, -671226999], [-1390659934, 1052501199]]
    assert E.stateless_fold_in([3, 4], 7).numpy().tolist() == [-1860230133, 7]
    assert E.Generator is ts.random.Generator
    import tensorshell.random.experimental as module
    assert module is E


@pytest.mark.tf_oracle
def test_random_experimental_equals_tensorflow():
    tf = oracle.require()
    rng = np.random.default_rng(0)
    for _ in range(20):
        top = int(rng.integers(1, 2 ** int(rng.integers(1, 60))))
        seed = rng.integers(-2 ** 31, 2 ** 31, 2).tolist()
        index = np.unique(rng.integers(0, top + 1, 6))
        got = [E.index_shuffle(ts.constant(index, ts.int64), seed,
                               ts.constant(top, ts.int64)).numpy().tolist()]
        want = [tf.random.experimental.index_shuffle(tf.constant(index, tf.int64), seed,
                                                     tf.constant(top, tf.int64)).numpy()
                .tolist()]
        n = int(rng.integers(2, 300))
        got.append(E.stateless_shuffle(ts.range(n), seed).numpy().tolist())
        want.append(tf.random.experimental.stateless_shuffle(tf.range(n), seed).numpy()
                    .tolist())
        assert got == want
