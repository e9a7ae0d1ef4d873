"""JPEG decoding against TensorFlow's pixels: tests/data/jpeg holds small files TensorFlow and
Pillow encoded (baseline and progressive; 4:2:0, 4:4:4, 4:2:2, grayscale; restart
intervals) and tf_decoded.npz what TensorFlow 2.21's decode_jpeg made of them with each
option; every pixel must agree."""

import pathlib

import numpy as np
import pytest

import tensorshell as ts

HERE = pathlib.Path(__file__).with_name("jpeg")
GOLDEN = np.load(HERE / "tf_decoded.npz")
FILES = ["tf420", "tf444", "tfgray", "pil422", "pil420", "pilrst", "tfprog", "pilprog444",
         "pilprog422rst", "pilproggray"]


def _file(name):
    return (HERE / f"{name}.jpg").read_bytes()


@pytest.mark.parametrize("name", FILES)
def test_pixels_equal_tensorflows(name):
    data = _file(name)
    cases = {
        "": lambda: ts.io.decode_jpeg(data),
        "_acc": lambda: ts.io.decode_jpeg(data, dct_method="INTEGER_ACCURATE"),
        "_nofancy": lambda: ts.io.decode_jpeg(data, fancy_upscaling=False),
        "_c1": lambda: ts.io.decode_jpeg(data, channels=1),
        "_c3": lambda: ts.image.decode_jpeg(ts.constant(data), channels=3),
    }
    for suffix, run in cases.items():
        got = run()
        assert got.dtype is ts.uint8
        key = name + suffix if name + suffix in GOLDEN else name   # RGB files: c3 == default
        np.testing.assert_array_equal(got.numpy(), GOLDEN[key], err_msg=suffix)
    fast = ts.io.decode_jpeg(data, dct_method="INTEGER_FAST").numpy()
    np.testing.assert_array_equal(fast, GOLDEN[name])      # TensorFlow's default


def test_decode_image_and_cropping():
    data = _file("tf420")
    np.testing.assert_array_equal(ts.io.decode_image(data).numpy(), GOLDEN["tf420"])
    as_float = ts.io.decode_image(data, dtype=ts.float32)
    np.testing.assert_allclose(as_float.numpy(), GOLDEN["tf420"] / 255, rtol=1e-6)
    np.testing.assert_array_equal(ts.io.decode_and_crop_jpeg(data, [3, 5, 10, 12]).numpy(),
                                  GOLDEN["crop"])
    with pytest.raises(ts.errors.InvalidArgumentError, match="crop window"):
        ts.image.decode_and_crop_jpeg(data, [30, 50, 10, 12])
    assert ts.io.extract_jpeg_shape(data).numpy().tolist() == [37, 53, 3]


def test_bad_and_unsupported_files_say_so():
    data = _file("tf420")
    with pytest.raises(ts.errors.InvalidArgumentError, match="truncated or corrupt"):
        ts.io.decode_jpeg(data[:200])
    with pytest.raises(ts.errors.InvalidArgumentError, match="Not a JPEG file"):
        ts.io.decode_jpeg(b"\xff\xd0 not a jpeg")
    with pytest.raises(ts.errors.InvalidArgumentError, match="must be 0, 1 or 3"):
        ts.io.decode_jpeg(data, channels=2)
    arithmetic = data.replace(b"\xff\xc0", b"\xff\xc9", 1)       # SOF9
    with pytest.raises(ts.errors.UnimplementedError, match="arithmetic-coded"):
        ts.io.decode_jpeg(arithmetic)
    with pytest.raises(ts.errors.UnimplementedError, match="ratio=2"):
        ts.io.decode_jpeg(data, ratio=2)


@pytest.mark.parametrize("name", ["tf420", "tf444", "tfgray", "pil422", "pilrst"])
def test_python_reference_equals_the_c_scan_decoder(name, monkeypatch):
    """jpeg_baseline_scan_reference is the definition of _speedups.jpeg_baseline_scan: both
    must give TensorFlow's pixels (and both refuse a truncated file)."""
    from tensorshell import jpeg
    data = _file(name)
    with_c = ts.io.decode_jpeg(data).numpy()
    monkeypatch.setattr(jpeg, "_baseline_scan", jpeg.jpeg_baseline_scan_reference)
    np.testing.assert_array_equal(ts.io.decode_jpeg(data).numpy(), GOLDEN[name])
    np.testing.assert_array_equal(with_c, GOLDEN[name])
    with pytest.raises(ts.errors.InvalidArgumentError):
        ts.io.decode_jpeg(data[: len(data) // 2])
