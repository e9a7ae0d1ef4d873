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
    with pytest.raises(ts.errors.InvalidArgumentError, match="Premature end"):
        ts.io.decode_jpeg(data[:-3])           # TensorFlow refuses a file without its end
    assert ts.io.decode_jpeg(data + b"trailing").shape == (37, 53, 3)
    with pytest.raises(ts.errors.InvalidArgumentError, match="Not a JPEG file"):
        ts.io.decode_jpeg(b"\xff\xd0 not a jpeg")
    with pytest.raises(ts.errors.InvalidArgumentError, match="must be 0, 1 or 3"):
        ts.io.decode_jpeg(data, channels=2)
    arithmetic = data.replace(b"\xff\xc0", b"\xff\xc9", 1)       # SOF9
    with pytest.raises(ts.errors.UnimplementedError, match="arithmetic-coded"):
        ts.io.decode_jpeg(arithmetic)
    with pytest.raises(ts.errors.UnimplementedError, match="ratio=2"):
        ts.io.decode_jpeg(data, ratio=2)


@pytest.mark.parametrize("name", ["tf420", "tf444", "tfgray", "pil422", "pilrst", "tfprog",
                                  "pilprog422rst", "pilproggray"])
def test_python_references_equal_the_c_decoder(name, monkeypatch):
    """jpeg_scan_reference, jpeg_upsample_reference and jpeg_ycc_to_rgb_reference define
    their _speedups functions: both paths must give TensorFlow's pixels (and both refuse a
    truncated file)."""
    from tensorshell import jpeg
    data = _file(name)
    with_c = ts.io.decode_jpeg(data).numpy()
    monkeypatch.setattr(jpeg, "_scan", jpeg.jpeg_scan_reference)
    monkeypatch.setattr(jpeg, "_upsample", jpeg.jpeg_upsample_reference)
    monkeypatch.setattr(jpeg, "_ycc_to_rgb_bytes", jpeg.jpeg_ycc_to_rgb_reference)
    np.testing.assert_array_equal(ts.io.decode_jpeg(data).numpy(), GOLDEN[name])
    np.testing.assert_array_equal(with_c, GOLDEN[name])
    with pytest.raises(ts.errors.InvalidArgumentError):
        ts.io.decode_jpeg(data[: len(data) // 2])


ENCODED = np.load(HERE / "tf_encoded.npz")


@pytest.mark.parametrize("name", ["a", "b", "c", "d", "g"])
def test_encode_jpeg_writes_tensorflows_bytes(name):
    """37x53 and 9x7 images exercise edge replication, chroma rounding and the dummy blocks
    that pad MCUs; 16x16 and 64x48 whole MCUs; g is grayscale."""
    image = ENCODED[name]
    for quality in (95, 75, 30):
        subsamplings = [True, False] if image.shape[2] == 3 else [True]
        for chroma in subsamplings:
            got = ts.io.encode_jpeg(image, quality=quality, chroma_downsampling=chroma)
            key = f"{name}_q{quality}" + ("" if chroma else "_444")
            assert got.numpy() == ENCODED[key].tobytes(), key
    for quality in (95, 50):          # Huffman tables built for the image (Annex K.2)
        optimized = ts.io.encode_jpeg(image, quality=quality, optimize_size=True)
        assert optimized.numpy() == ENCODED[f"{name}_q{quality}_opt"].tobytes()
        progressive = ts.io.encode_jpeg(image, quality=quality, progressive=True)
        assert progressive.numpy() == ENCODED[f"{name}_q{quality}_prog"].tobytes()
        np.testing.assert_array_equal(ts.io.decode_jpeg(progressive).numpy(),
                                      ts.io.decode_jpeg(optimized).numpy())
    if image.shape[2] == 3:
        progressive = ts.io.encode_jpeg(image, quality=80, progressive=True,
                                        chroma_downsampling=False)
        assert progressive.numpy() == ENCODED[f"{name}_q80_prog444"].tobytes()
    finest = ts.io.encode_jpeg(image, quality=100, chroma_downsampling=False)
    round_trip = ts.io.decode_jpeg(finest, dct_method="INTEGER_ACCURATE").numpy()
    assert np.abs(round_trip.astype(int) - image).max() <= 4


def test_encode_options_and_jpeg_quality_augmentations():
    image = ENCODED["a"]
    header = ts.io.encode_jpeg(image, density_unit="cm", x_density=10, y_density=20,
                               xmp_metadata="<x/>")
    assert header.numpy() == ENCODED["x_density"].tobytes()
    np.testing.assert_array_equal(ts.image.adjust_jpeg_quality(image, 50).numpy(),
                                  ENCODED["adjust50"])
    as_float = ts.image.adjust_jpeg_quality(image.astype(np.float32) / 255, 50)
    assert as_float.dtype is ts.float32
    np.testing.assert_allclose(as_float.numpy(), ENCODED["adjust50_float"], atol=1e-6)
    np.testing.assert_array_equal(ts.image.adjust_jpeg_quality(ENCODED["g"], 30).numpy(),
                                  ENCODED["adjust_gray"])
    drawn = ts.image.stateless_random_jpeg_quality(image, 20, 80, seed=[1, 2])
    np.testing.assert_array_equal(drawn.numpy(), ENCODED["stateless"])
    ts.random.set_seed(3)
    assert ts.image.random_jpeg_quality(image, 20, 80).shape == image.shape
    for kwargs, error, words in [
            (dict(format="grayscale"), ts.errors.InvalidArgumentError, "expects 1 channel"),
            (dict(quality=101), ts.errors.InvalidArgumentError, r"\[0,100\]"),
            (dict(density_unit="mm"), ts.errors.InvalidArgumentError, "density_unit")]:
        with pytest.raises(error, match=words):
            ts.io.encode_jpeg(image, **kwargs)
    with pytest.raises(ts.errors.InvalidArgumentError, match="1 or 3 channels"):
        ts.io.encode_jpeg(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError, match="min_jpeg_quality < max_jpeg_quality"):
        ts.image.random_jpeg_quality(image, 80, 20)


@pytest.mark.parametrize("fast", [True, False])
def test_c_inverse_dct_equals_its_reference(fast):
    """_speedups.jpeg_idct against jpeg_idct_reference on random blocks, including
    coefficients large enough to reach the range-limit table's wrap-around."""
    from tensorshell import jpeg
    from tensorshell.engine import speedups
    if speedups.C is None:
        pytest.skip("the C extension is not built here")
    rng = np.random.default_rng(int(fast))
    blocks = (rng.standard_normal((300, 64)) * rng.choice([3, 40, 400], (300, 1))).astype(
        np.int32)
    multipliers = rng.integers(1, 120, 64).astype(np.int64)
    got = speedups.C.jpeg_idct(blocks.tobytes(), multipliers.tobytes(), fast)
    assert got == jpeg.jpeg_idct_reference(blocks.tobytes(), multipliers, fast)


def test_long_huffman_codes_and_bogus_tables(monkeypatch):
    """Codes longer than the C decoder's 10-bit first look-up (noise at quality 100 needs
    the standard tables' 11- to 16-bit codes) decode as in the Python reference; a table
    with more than 256 codes is refused by name."""
    from tensorshell import jpeg
    image = np.random.default_rng(11).integers(0, 256, (40, 56, 3), np.uint8)
    data = ts.io.encode_jpeg(image, quality=100, chroma_downsampling=False).numpy()
    lengths = {length for payload in jpeg._STD_HUFFMAN
               for _, length in jpeg._encoder_table(payload).values()}
    assert max(lengths) == 16
    with_c = ts.io.decode_jpeg(data, dct_method="INTEGER_ACCURATE").numpy()
    assert np.abs(with_c.astype(int) - image).mean() < 1    # (TensorFlow's: 0.48)
    monkeypatch.setattr(jpeg, "_scan", jpeg.jpeg_scan_reference)
    np.testing.assert_array_equal(
        ts.io.decode_jpeg(data, dct_method="INTEGER_ACCURATE").numpy(), with_c)
    dht = data.index(b"\xff\xc4")
    bogus = bytearray(data)
    bogus[dht + 5:dht + 21] = bytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255])
    with pytest.raises(ts.errors.InvalidArgumentError, match="Bogus Huffman table"):
        ts.io.decode_jpeg(bytes(bogus))


def test_python_references_equal_the_c_encoder(monkeypatch):
    """jpeg_rgb_to_ycc_reference, jpeg_forward_dct_reference and jpeg_encode_scan_reference
    define their _speedups functions: both paths write TensorFlow's bytes."""
    from tensorshell import jpeg
    monkeypatch.setattr(jpeg, "_rgb_to_ycc_planes", jpeg.jpeg_rgb_to_ycc_reference)
    monkeypatch.setattr(jpeg, "_forward_dct", jpeg.jpeg_forward_dct_reference)
    monkeypatch.setattr(jpeg, "_encode_scan", jpeg.jpeg_encode_scan_reference)
    for name, quality, chroma in [("a", 95, True), ("b", 30, False), ("g", 75, True)]:
        got = ts.io.encode_jpeg(ENCODED[name], quality=quality, chroma_downsampling=chroma)
        key = f"{name}_q{quality}" + ("" if chroma else "_444")
        assert got.numpy() == ENCODED[key].tobytes(), key


def _c_or_skip():
    from tensorshell.engine import speedups
    if speedups.C is None:
        pytest.skip("the C extension is not built here")
    return speedups.C


@pytest.mark.parametrize("vertical", [False, True])
@pytest.mark.parametrize("shape", [(1, 1), (1, 5), (7, 1), (9, 13), (16, 40)])
def test_c_upsampling_equals_its_reference(shape, vertical):
    from tensorshell import jpeg
    C = _c_or_skip()
    height, width = shape
    rng = np.random.default_rng(height * 100 + width)
    plane = rng.integers(0, 256, (height + 2, width + 3), np.uint8)  # a wider, taller buffer
    plane[0, :2] = [0, 255]
    args = (plane.tobytes(), width + 3, width, height, vertical)
    got = C.jpeg_upsample(*args)
    assert got == jpeg.jpeg_upsample_reference(*args)
    assert len(got) == 2 * width * height * (2 if vertical else 1)
    for call in (C.jpeg_upsample, jpeg.jpeg_upsample_reference):
        with pytest.raises(ValueError, match="smaller than asked"):
            call(plane.tobytes(), width + 3, width, height + 3, vertical)


def test_c_colour_conversions_equal_their_references():
    from tensorshell import jpeg
    C = _c_or_skip()
    rng = np.random.default_rng(3)
    every = np.stack(np.meshgrid(np.arange(256), np.arange(0, 256, 5), np.arange(0, 256, 3),
                                 indexing="ij"), -1).reshape(-1, 3).astype(np.uint8)
    pixels = np.concatenate([every, rng.integers(0, 256, (1000, 3), np.uint8)]).tobytes()
    planes = C.jpeg_rgb_to_ycc(pixels)
    assert planes == jpeg.jpeg_rgb_to_ycc_reference(pixels)
    n = len(pixels) // 3
    y, cb, cr = planes[:n], planes[n:2 * n], planes[2 * n:]
    rgb = C.jpeg_ycc_to_rgb(y, cb, cr)       # (every Y, Cb, Cr triple's clipping included)
    assert rgb == jpeg.jpeg_ycc_to_rgb_reference(y, cb, cr)
    assert C.jpeg_ycc_to_rgb(pixels[:n], pixels[n:2 * n], pixels[2 * n:]) == \
        jpeg.jpeg_ycc_to_rgb_reference(pixels[:n], pixels[n:2 * n], pixels[2 * n:])
    back = np.frombuffer(rgb, np.uint8).astype(int) - np.frombuffer(pixels, np.uint8)
    assert np.abs(back).max() <= 3                        # the round trip nearly returns
    for call in (C.jpeg_ycc_to_rgb, jpeg.jpeg_ycc_to_rgb_reference):
        with pytest.raises(ValueError, match="different sizes"):
            call(y, cb[1:], cr)


def test_c_forward_dct_equals_its_reference():
    from tensorshell import jpeg
    C = _c_or_skip()
    rng = np.random.default_rng(5)
    blocks = rng.integers(0, 256, (200, 64), np.uint8)
    blocks[0], blocks[1] = 0, 255                          # the extreme DCs
    blocks[2] = np.where(np.indices((8, 8)).sum(0) % 2, 0, 255).ravel()  # the extreme AC
    for table in (np.ones(64, np.int64), rng.integers(1, 256, 64).astype(np.int64)):
        got = C.jpeg_forward_dct(blocks.tobytes(), table.tobytes())
        assert got == jpeg.jpeg_forward_dct_reference(blocks.tobytes(), table.tobytes())
    for call in (C.jpeg_forward_dct, jpeg.jpeg_forward_dct_reference):
        with pytest.raises(ValueError, match="whole blocks"):
            call(blocks.tobytes()[:100], table.tobytes())


@pytest.mark.parametrize("count", [True, False])
@pytest.mark.parametrize("spectral", [(0, 0, 0, 1), (0, 0, 1, 0), (1, 5, 0, 2), (6, 63, 0, 2),
                                      (1, 63, 2, 1), (1, 63, 1, 0), (1, 63, 0, 0)])
def test_c_progressive_scan_encoder_equals_its_reference(spectral, count):
    """Every kind of progressive scan: zero runs past 15, end-of-band runs, and refinement
    blocks of large coefficients only, whose correction bits overflow the buffer."""
    from tensorshell import jpeg
    C = _c_or_skip()
    rng = np.random.default_rng(sum(spectral))
    blocks = (rng.standard_normal((150, 64)) * rng.choice([0.3, 4, 60, 900], (150, 1))
              ).astype(np.int32)
    blocks[::7, 10:] = 0                                          # long zero runs
    blocks[100:] = rng.choice([-1, 1], (50, 64)) * rng.integers(4, 64, (50, 64))
    comp_ids = (rng.integers(0, 3, 150) if spectral[1] == 0 else np.zeros(150)).astype(
        np.int32)
    table_ids = np.array([0, 1, 1], np.int32)
    codes, lengths = np.zeros((4, 256), np.int32), np.zeros((4, 256), np.int32)
    counts = np.frombuffer(C.jpeg_encode_progressive(
        blocks.tobytes(), comp_ids.tobytes(), table_ids.tobytes(), codes.tobytes(),
        lengths.tobytes(), True, *spectral), np.int64).reshape(4, 256)
    for t in range(4):                            # tables made for the symbols used
        if counts[t].any():
            payload = bytes([(t % 2) << 4 | t // 2]) + jpeg._optimal_table(counts[t].tolist())
            for symbol, (code, length) in jpeg._encoder_table(payload).items():
                codes[t, symbol], lengths[t, symbol] = code, length
    args = (blocks.tobytes(), comp_ids.tobytes(), table_ids.tobytes(), codes.tobytes(),
            lengths.tobytes(), count, *spectral)
    got = C.jpeg_encode_progressive(*args)
    assert got == jpeg.jpeg_encode_progressive_reference(*args)
    assert len(got) > 15              # (a DC refinement: a bit a block)
    for call in (C.jpeg_encode_progressive, jpeg.jpeg_encode_progressive_reference):
        with pytest.raises(ValueError, match="invalid progression"):
            call(*args[:6], 0, 5, 0, 0)


@pytest.mark.parametrize("count", [True, False])
def test_c_scan_encoder_equals_its_reference(count):
    from tensorshell import jpeg
    from tensorshell.engine import speedups
    if speedups.C is None:
        pytest.skip("the C extension is not built here")
    rng = np.random.default_rng(7)
    blocks = (rng.standard_normal((120, 64)) * rng.choice([0.3, 4, 60, 900], (120, 1))
              ).astype(np.int32)
    comp_ids = rng.integers(0, 3, 120).astype(np.int32)
    table_ids = np.array([0, 1, 1], np.int32)
    codes, lengths = np.zeros((4, 256), np.int32), np.zeros((4, 256), np.int32)
    for k, payload in enumerate(jpeg._STD_HUFFMAN):
        for symbol, (code, length) in jpeg._encoder_table(payload).items():
            codes[k, symbol], lengths[k, symbol] = code, length
    args = (blocks.tobytes(), comp_ids.tobytes(), table_ids.tobytes(), codes.tobytes(),
            lengths.tobytes(), count)
    assert speedups.C.jpeg_encode_scan(*args) == jpeg.jpeg_encode_scan_reference(*args)


@pytest.mark.parametrize("name", ["tf420", "tfgray", "pilrst"])
def test_try_recover_truncated(name, monkeypatch):
    """A file cut at 95%: an error by default (as TensorFlow); with try_recover_truncated,
    the image as libjpeg recovers it - equal to TensorFlow's above the MCU row where the
    data runs out (TensorFlow's libjpeg then differs for a block or two before its gray),
    and the same through the C decoder and its Python reference."""
    from tensorshell import jpeg
    full = _file(name)
    cut = full[:int(len(full) * 0.95)]
    with pytest.raises(ts.errors.InvalidArgumentError, match="Premature end"):
        ts.io.decode_jpeg(cut)
    got = ts.io.decode_jpeg(cut, try_recover_truncated=True, acceptable_fraction=0.5).numpy()
    want = GOLDEN[f"trunc_{name}_0.95"]
    assert got.shape == want.shape
    np.testing.assert_array_equal(got[:16], want[:16])
    assert (got == want).all(-1).mean() > 0.9
    monkeypatch.setattr(jpeg, "_scan", jpeg.jpeg_scan_reference)
    np.testing.assert_array_equal(
        ts.io.decode_jpeg(cut, try_recover_truncated=True).numpy(), got)
