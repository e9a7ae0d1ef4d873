"""ts.strings: TensorFlow's string functions on string tensors (UTF-8 bytes)."""

import numpy as np
import pytest

import tensorshell as ts

from .. import oracle

WORDS = ["Café", "Coffee", "caffè", "咖啡", "  pad me \t"]


def _b(values):
    return [v.encode("utf-8") for v in values]


def test_lengths_in_bytes_and_characters():
    p = ts.constant(WORDS)
    assert ts.strings.length(ts.constant("café")).numpy() == 5
    assert ts.strings.length(p, unit="UTF8_CHAR").numpy().tolist() == [4, 6, 5, 2, 10]
    assert ts.strings.length(p).dtype is ts.int32
    with pytest.raises(ts.errors.InvalidArgumentError, match="unit must be"):
        ts.strings.length(p, unit="CHAR")
    with pytest.raises(ts.errors.InvalidArgumentError, match="must be a string tensor"):
        ts.strings.length(ts.constant([1, 2]))


def test_case_strip_join():
    p = ts.constant(WORDS)
    assert ts.strings.upper(p).numpy().tolist()[0] == "CAFé".encode()       # ASCII only
    assert ts.strings.upper(p, encoding="utf-8").numpy().tolist()[0] == "CAFÉ".encode()
    assert ts.strings.lower(p).numpy().tolist()[1] == b"coffee"
    assert ts.strings.strip(p).numpy().tolist()[4] == b"pad me"
    joined = ts.strings.join([ts.constant(["a", "b"]), "!"], separator="-")
    assert joined.numpy().tolist() == [b"a-!", b"b-!"]
    grid = ts.constant([["a", "b"], ["c", "d"]])
    assert ts.strings.reduce_join(grid).numpy() == b"abcd"
    assert ts.strings.reduce_join(grid, axis=0, separator=",").numpy().tolist() == \
        [b"a,c", b"b,d"]
    assert ts.strings.reduce_join(grid, axis=1, keepdims=True).shape == (2, 1)


def test_numbers_to_and_from_strings():
    n = ts.strings.to_number(ts.constant(["1.5", "-2", "1e3"]))
    assert n.dtype is ts.float32 and n.numpy().tolist() == [1.5, -2.0, 1000.0]
    assert ts.strings.to_number("7", out_type=ts.int32).numpy() == 7
    with pytest.raises(ts.errors.InvalidArgumentError, match="could not correctly convert"):
        ts.strings.to_number("abc")
    assert ts.as_string(ts.constant([3.14, 2.])).numpy().tolist() == [b"3.140000",
                                                                       b"2.000000"]
    assert ts.strings.as_string(ts.constant([True, False])).numpy().tolist() == \
        [b"true", b"false"]
    assert ts.strings.as_string(ts.constant([3.14159]), precision=2).numpy()[0] == b"3.14"
    assert ts.strings.as_string(ts.constant([7]), width=3, fill="0").numpy()[0] == b"007"
    assert ts.strings.as_string(ts.constant([1234.5]), scientific=True).numpy()[0] == \
        b"1.234500e+03"


def test_substrings_and_regular_expressions():
    p = ts.constant(WORDS)
    assert ts.strings.substr(p, 1, 3).numpy().tolist()[:2] == [b"af\xc3", b"off"]
    assert ts.strings.substr(p, 1, 2, unit="UTF8_CHAR").numpy().tolist()[3] == "啡".encode()
    assert ts.strings.substr(ts.constant("hello"), -3, 2).numpy() == b"ll"
    with pytest.raises(ts.errors.InvalidArgumentError, match="out of range"):
        ts.strings.substr(ts.constant("hi"), 5, 1)
    assert ts.strings.regex_full_match(p, "[Cc]af.*").numpy().tolist() == \
        [True, False, True, False, False]
    assert ts.strings.regex_replace(p, "f+", "F").numpy().tolist()[1] == b"CoFee"
    assert ts.strings.regex_replace(ts.constant("aaa"), "a", "b",
                                    replace_global=False).numpy() == b"baa"
    assert ts.strings.regex_replace(ts.constant("ab"), "(a)(b)", r"\2\1").numpy() == b"ba"
    with pytest.raises(ts.errors.InvalidArgumentError, match="invalid pattern"):
        ts.strings.regex_full_match(p, "(")


def test_unicode():
    codes = ts.strings.unicode_decode(ts.constant("café"), "UTF-8")
    assert codes.dtype is ts.int32 and codes.numpy().tolist() == [99, 97, 102, 233]
    assert ts.strings.unicode_encode(codes, "UTF-8").numpy() == "café".encode()
    several = ts.strings.unicode_decode(ts.constant(["a", "bc"]), "UTF-8")
    assert isinstance(several, ts.RaggedTensor) and several.to_list() == [[97], [98, 99]]


def test_empty_and_nd_string_tensors_keep_their_shape():
    empty = ts.constant(np.array([], dtype=object).reshape(0, 2), dtype=ts.string)
    assert ts.strings.length(empty).shape == (0, 2)
    assert ts.strings.upper(ts.constant([["a"], ["b"]])).shape == (2, 1)


def test_encodings_and_complex_as_string():
    assert ts.strings.unicode_encode(ts.constant([104, 105]), "UTF-16-BE").numpy() == \
        "hi".encode("utf-16-be")
    with pytest.raises(ts.errors.InvalidArgumentError, match="unknown encoding"):
        ts.strings.unicode_decode(ts.constant("x"), "latin-9")
    assert ts.strings.as_string(ts.constant([1 + 2j], ts.complex64)).numpy()[0] == \
        b"(1.000000,2.000000)"
    with pytest.raises(ts.errors.InvalidArgumentError, match="already a string"):
        ts.strings.as_string(ts.constant(["a"]))


PROGRAMS = [
    "tf.strings.bytes_split('hello')", "tf.strings.bytes_split(['ab', 'c'])",
    "tf.strings.ngrams(['a', 'b', 'c', 'd'], 2)",
    "tf.strings.ngrams(tf.ragged.constant([['a', 'b', 'c'], ['d']]), 2, separator='-')",
    "tf.strings.ngrams(['a', 'b', 'c'], [1, 3])",
    "tf.strings.ngrams(['a', 'b'], 3, pad_values=('<', '>'), padding_width=1)",
    "tf.strings.ngrams(['a', 'b'], 3, preserve_short_sequences=True)",
    "tf.strings.ngrams(['a', 'b', 'c'], 2, pad_values='#')",
    "tf.strings.ngrams([['a', 'b', 'c'], ['d', 'e', 'f']], 2)",
    "tf.strings.ngrams(['a'], [2, 3], pad_values=('<', '>'), preserve_short_sequences=True)",
    "tf.strings.unsorted_segment_join(['a', 'b', 'c'], [1, 0, 1], 3, separator=':')",
    "tf.strings.unsorted_segment_join([['a', 'b'], ['c', 'd']], [1, 1], 2)",
    "tf.strings.format('x={} y={}', [tf.constant([1, 2]), 3.5])",
    "tf.strings.format('{}', tf.range(20), summarize=2)",
    "tf.strings.format('a {} b', tf.constant([[1.5, 2.], [3., 4.]]))",
    "tf.strings.format('{}', tf.constant('ab'))",
    "tf.strings.unicode_decode_with_offsets('h\\u00e9llo', 'UTF-8')",
    "tf.strings.unicode_split_with_offsets(['ab', '\\u00e9'], 'UTF-8')",
    "tf.strings.unicode_decode_with_offsets(['ab', '\\u00e9\\u20ac'], 'UTF-8')",
    "tf.strings.unicode_transcode(['h\\u00e9llo'], 'UTF-8', 'UTF-16-BE')",
]


def _plain(x):
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if hasattr(x, "to_list"):
        return x.to_list()
    return np.asarray(x).tolist()


def test_text_utilities():
    assert _plain(ts.strings.bytes_split(["ab", "c"])) == [[b"a", b"b"], [b"c"]]
    assert _plain(ts.strings.ngrams(["a", "b", "c"], [1, 3])) == [b"a", b"b", b"c", b"a b c"]
    assert _plain(ts.strings.ngrams(["a", "b"], 3, pad_values=("<", ">"), padding_width=1)) \
        == [b"< a b", b"a b >"]
    assert _plain(ts.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 3, ":")) == \
        [b"b", b"a:c", b""]
    assert ts.strings.format("x={} y={}", [ts.constant([1, 2]), 3.5]).numpy() == \
        b"x=[1 2] y=3.5"
    codes, offsets = ts.strings.unicode_decode_with_offsets("h\u00e9llo", "UTF-8")
    assert _plain(codes) == [104, 233, 108, 108, 111] and _plain(offsets) == [0, 1, 3, 4, 5]
    assert ts.strings.as_string(ts.constant([1.5]), precision=2).numpy().tolist() == [b"1.50"]
    with pytest.raises(ValueError, match="placeholders"):
        ts.strings.format("{} {}", [1])


@pytest.mark.tf_oracle
def test_same_as_tensorflow():
    tf = pytest.importorskip("tensorflow")
    for program in PROGRAMS:
        assert _plain(eval(program, {"tf": ts})) == _plain(eval(program, {"tf": tf})), program


_WORDS = ["", "a", "hello", "0123456789abcdefg", "x" * 33, "w" * 65, "h\u00e9llo",
          "0123456789" * 20]


def test_hash_buckets_are_tensorflows():
    """Golden buckets printed by TensorFlow 2.21 (FarmHash Fingerprint64, its legacy
    Hash64, SipHash-2-4 with key [7, 9]); every length class of FarmHash is covered."""
    assert ts.strings.to_hash_bucket_fast(_WORDS[:7], 1000).numpy().tolist() == \
        [263, 939, 296, 578, 935, 776, 151]
    assert ts.strings.to_hash_bucket(_WORDS[:7], 1000).numpy().tolist() == \
        [899, 868, 938, 686, 628, 182, 997]
    assert ts.strings.to_hash_bucket_strong(_WORDS[:7], 1000, [7, 9]).numpy().tolist() == \
        [164, 351, 963, 467, 989, 177, 826]
    assert ts.strings.to_hash_bucket_fast("a", 10).dtype is ts.int64
    with pytest.raises(ts.errors.InvalidArgumentError, match="num_buckets"):
        ts.strings.to_hash_bucket_fast("a", 0)


@pytest.mark.tf_oracle
def test_hash_buckets_as_tensorflow():
    tf = pytest.importorskip("tensorflow")
    for fn, kw in (("to_hash_bucket_fast", {}), ("to_hash_bucket", {}),
                   ("to_hash_bucket_strong", {"key": [-5, 3]})):
        for buckets in (7, 2**40):
            ours = getattr(ts.strings, fn)(_WORDS, buckets, **kw).numpy().tolist()
            assert ours == getattr(tf.strings, fn)(_WORDS, buckets, **kw).numpy().tolist()


def test_unicode_script_gives_icus_codes():
    """TensorFlow 2.21's (ICU's) script codes, from the table recorded from it."""
    got = ts.strings.unicode_script([33464, 1041, 0x3042, 65, 32, 0x10FFFF, 0xD800, -1,
                                     0x110000])
    assert got.dtype is ts.int32
    assert got.numpy().tolist() == [17, 8, 20, 25, 0, 103, 103, -1, -1]
    words = ts.strings.unicode_decode(["Hello, world.", "世界こんにちは"], "UTF-8")
    scripts = ts.strings.unicode_script(words)
    assert scripts.to_list() == [[25, 25, 25, 25, 25, 0, 0, 25, 25, 25, 25, 25, 0],
                                 [17, 17, 20, 20, 20, 20, 20]]
    with pytest.raises(ts.errors.InvalidArgumentError, match="int32"):
        ts.strings.unicode_script(ts.constant([65], ts.int64))


@pytest.mark.tf_oracle
def test_unicode_script_of_every_code_point_equals_tensorflows():
    tf = oracle.require()
    every = np.arange(-3, 0x110003, dtype=np.int32)
    np.testing.assert_array_equal(ts.strings.unicode_script(every).numpy(),
                                  tf.strings.unicode_script(every).numpy())
