"""Image files: PNG and GIF decoded as TensorFlow decodes them (for PNG every colour type,
bit depth, palette, transparency, interlacing and row filter; compared with TensorFlow live,
else with its recorded results - ``python -m tests.data.test_codecs`` records them), PNG
written and read back, BMP, decode_image, the JPEG header helpers, and damaged files."""

import os
import struct
import zlib

import numpy as np
import pytest

import tensorshell as ts
from tensorshell import codecs
from tests import oracle
from tests.data.png_files import cases, make_bmp, make_gif, make_jpeg_header, make_png

GOLDEN = os.path.join(os.path.dirname(__file__), "png_golden.npz")
GIF_GOLDEN = os.path.join(os.path.dirname(__file__), "gif_golden.npz")
PNGS = cases()
LOW_DEPTH = {"gray1", "gray2", "gray4", "palette1", "palette2", "palette4"}
DECODES = [(name, channels, dtype) for name in sorted(PNGS) for channels in (0, 1, 3, 4)
           for dtype in ("uint8", "uint16")
           # an alpha channel added to a 1-4 bit file: TensorFlow's is (1 << depth) - 1,
           # ours opaque (tested below)
           if not (channels == 4 and name.split("_")[0] in LOW_DEPTH
                   and not name.endswith("trns"))]


def _decoded(lib, key):
    name, channels, dtype = key
    return [lib.io.decode_png(PNGS[name], channels=channels, dtype=dtype)]


@pytest.fixture(scope="module")
def expected():
    return oracle.expected(GOLDEN, _decoded)


@pytest.mark.parametrize("key", DECODES, ids=["-".join(map(str, k)) for k in DECODES])
def test_png_files_decode_as_tensorflow_decodes_them(key, expected):
    (want,) = expected(key)
    got = _decoded(ts, key)[0].numpy()
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_added_alpha_is_opaque():
    rgba = ts.io.decode_png(PNGS["gray4"], channels=4).numpy()
    gray = ts.io.decode_png(PNGS["gray4"]).numpy()
    assert (rgba[..., 3] == 255).all() and (rgba[..., :3] == gray).all()
    assert (ts.io.decode_png(PNGS["palette2"], channels=4, dtype=ts.uint16).numpy()[..., 3]
            == 65535).all()


@pytest.mark.parametrize("name", sorted(PNGS))
def test_the_c_unfilter_matches_the_reference(name):
    data = zlib.decompress(b"".join(b for k, b in codecs._png_chunks(PNGS[name])
                                    if k == b"IDAT"))
    width, height, depth, ctype = struct.unpack(">IIBB", PNGS[name][16:26])
    if "interlaced" in name:
        return                                        # the passes cover the same code
    samples = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    rowbytes = (width * depth * samples + 7) // 8
    bpp = max(1, depth * samples // 8)
    assert codecs.png_unfilter(data, height, rowbytes, bpp) == \
        codecs.png_unfilter_reference(data, height, rowbytes, bpp)


@pytest.mark.parametrize("bpp", [1, 2, 3, 4, 6, 8])
def test_the_c_row_filter_matches_the_reference(bpp):
    """png_filter_reference defines _speedups.png_filter: every filter gets chosen on some
    row (smooth, noisy, striped and constant rows), ties included, and rows shorter than a
    pixel."""
    from tensorshell.engine import speedups
    if speedups.C is None:
        pytest.skip("the C extension is not built here")
    rng = np.random.default_rng(bpp)
    width = 7 * bpp
    y, x = np.mgrid[:40, :width]
    rows = np.concatenate([((x * 3 + y * 5) % 256), rng.integers(0, 256, (40, width)),
                           ((x // bpp) % 2) * 255 + y, np.full((5, width), 9),
                           (y * 7) % 256]).astype(np.uint8)
    args = (rows.tobytes(), rows.shape[0], width, bpp)
    got = speedups.C.png_filter(*args)
    assert got == codecs.png_filter_reference(*args)
    assert set(np.frombuffer(got, np.uint8).reshape(rows.shape[0], -1)[:, 0]) == \
        {0, 1, 2, 3, 4}
    for shape in [(3, bpp - 1), (1, 1), (0, 5), (4, 0)]:
        small = rng.integers(0, 256, shape, np.uint8).tobytes()
        assert speedups.C.png_filter(small, *shape, bpp) == \
            codecs.png_filter_reference(small, *shape, bpp)
    for call in (speedups.C.png_filter, codecs.png_filter_reference):
        with pytest.raises(ValueError, match="smaller than asked"):
            call(rows.tobytes(), rows.shape[0] + 1, width, bpp)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_encode_png_round_trips(dtype, channels):
    rng = np.random.default_rng(channels)
    top = np.iinfo(dtype).max
    smooth = (np.linspace(0, top, 37)[:, None, None] * np.ones((1, 23, channels))).astype(dtype)
    noisy = rng.integers(0, top + 1, (19, 29, channels)).astype(dtype)
    for image in (smooth, noisy):
        for level in (-1, 0, 9):
            png = ts.io.encode_png(image, compression=level)
            assert png.dtype is ts.string and png.numpy()[:8] == b"\x89PNG\r\n\x1a\n"
            back = ts.io.decode_png(png, dtype=ts.as_dtype(dtype))
            np.testing.assert_array_equal(back.numpy(), image)



def test_row_filters_earn_their_keep():
    # a diagonal gradient: no two rows alike, but each row's differences are constant
    y, x = np.mgrid[:64, :64]
    image = ((x * 3 + y * 5) % 256).astype(np.uint8)[..., None]
    rows = image.reshape(64, 64)
    filtered = codecs._filtered(rows, 1)
    assert (filtered[1:, 0] != 0).all()                   # a filter chosen on every row
    plain = np.concatenate([np.zeros((64, 1), np.uint8), rows], axis=1)
    assert len(zlib.compress(filtered.tobytes())) < len(zlib.compress(plain.tobytes())) / 2


@pytest.mark.tf_oracle
def test_tensorflow_reads_our_png_files():
    tf = oracle.require()
    rng = np.random.default_rng(9)
    for dtype in (np.uint8, np.uint16):
        for channels in (1, 2, 3, 4):
            image = rng.integers(0, np.iinfo(dtype).max + 1, (11, 7, channels)).astype(dtype)
            png = ts.io.encode_png(image).numpy()
            back = tf.io.decode_png(png, dtype=tf.as_dtype(dtype)).numpy()
            np.testing.assert_array_equal(back, image)
    # the rows filtered as libpng filters them (the deflate streams differ by zlib version)
    y, x = np.mgrid[:40, :50]
    smooth = np.stack([(x * 3 + y) % 256, (x * y) % 256, y * 6], -1).astype(np.uint8)
    for image in (smooth, rng.integers(0, 256, (30, 20, 3)).astype(np.uint8)):
        ours, theirs = ts.io.encode_png(image).numpy(), tf.io.encode_png(image).numpy()
        inflate = [zlib.decompress(b"".join(b for k, b in codecs._png_chunks(f)
                                            if k == b"IDAT")) for f in (ours, theirs)]
        assert inflate[0] == inflate[1]


@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("top_down", [False, True])
def test_bmp_files(channels, top_down):
    pixels = np.random.default_rng(channels).integers(0, 256, (5, 7, channels)).astype(np.uint8)
    bmp = make_bmp(pixels, top_down)
    np.testing.assert_array_equal(ts.io.decode_bmp(bmp).numpy(), pixels)
    np.testing.assert_array_equal(ts.image.decode_image(bmp).numpy(), pixels)
    if channels >= 3:
        rgba = ts.io.decode_bmp(bmp, channels=4).numpy()
        np.testing.assert_array_equal(rgba[..., :3], pixels[..., :3])


def test_decode_image_and_jpeg_headers(tmp_path):
    image = np.random.default_rng(0).integers(0, 256, (6, 5, 3)).astype(np.uint8)
    path = str(tmp_path / "x.png")
    ts.io.write_file(path, ts.io.encode_png(image))
    contents = ts.io.read_file(path)
    np.testing.assert_array_equal(ts.io.decode_image(contents).numpy(), image)
    as_float = ts.image.decode_image(contents, dtype=ts.float32)
    np.testing.assert_allclose(as_float.numpy(), image / 255, rtol=1e-6)
    assert ts.io.decode_image(contents, channels=1).shape == (6, 5, 1)
    header = make_jpeg_header(480, 640, 3)
    assert ts.io.is_jpeg(header).numpy() and not ts.io.is_jpeg(contents).numpy()
    assert ts.io.extract_jpeg_shape(header).numpy().tolist() == [480, 640, 3]
    assert ts.image.extract_jpeg_shape(header, ts.int64).dtype is ts.int64
    with pytest.raises(ts.errors.InvalidArgumentError, match="no image data"):
        ts.io.decode_image(header)          # a header alone: nothing to decode


def _gifs():
    rng = np.random.default_rng(0)
    pal, pal16 = rng.integers(0, 256, (256, 3)), rng.integers(0, 256, (16, 3))
    return {
        "single": make_gif(17, 11, [{"index": rng.integers(0, 256, (11, 17))}], pal),
        "runs": make_gif(40, 30, [{"index": np.repeat(rng.integers(0, 4, (30, 5)), 8, 1)}],
                         pal16),
        "long_codes": make_gif(120, 90, [{"index": (np.add.outer(np.arange(90),
                                                                 np.arange(120)) // 7) % 200}],
                               pal),
        "frames": make_gif(20, 12, [
            {"index": rng.integers(0, 16, (12, 20))},
            {"index": rng.integers(0, 16, (5, 6)), "left": 3, "top": 4, "transparent": 2},
            {"index": rng.integers(0, 8, (12, 20)), "palette": rng.integers(0, 256, (8, 3)),
             "interlace": True},
            {"index": rng.integers(0, 4, (3, 30)), "left": 5, "top": 10}], pal16),
        "first_transparent": make_gif(6, 5, [{"index": rng.integers(0, 4, (5, 6)),
                                              "transparent": 1}], pal16[:4]),
    }


GIFS = _gifs()


@pytest.mark.parametrize("name", sorted(GIFS))
def test_gif_files_decode_as_tensorflow_decodes_them(name):
    (want,) = oracle.expected(GIF_GOLDEN, lambda lib, key: [lib.io.decode_gif(GIFS[key])])(
        name)
    got = ts.io.decode_gif(GIFS[name]).numpy()
    assert got.shape == want.shape and got.dtype == want.dtype == np.uint8
    np.testing.assert_array_equal(got, want)


def test_gif_pixels_and_frames():
    rng = np.random.default_rng(3)
    palette = rng.integers(0, 256, (64, 3))
    index = rng.integers(0, 64, (33, 47))         # dictionary codes up to 12 bits wide
    gif = make_gif(47, 33, [{"index": index}], palette)
    np.testing.assert_array_equal(ts.io.decode_gif(gif).numpy()[0], palette[index])
    two = make_gif(4, 3, [{"index": np.zeros((3, 4))},
                          {"index": np.ones((1, 2)), "left": 1, "top": 1, "transparent": 5}],
                   palette[:8])
    frames = ts.image.decode_image(two).numpy()
    assert frames.shape == (2, 3, 4, 3)
    np.testing.assert_array_equal(frames[1, 1, 1:3], palette[[1, 1]])   # drawn over frame 0
    np.testing.assert_array_equal(frames[1, 0], frames[0, 0])
    assert ts.io.decode_image(two, expand_animations=False).shape == (3, 4, 3)


def _corrupt_crc(data):
    return data[:29] + bytes([data[29] ^ 1]) + data[30:]


@pytest.mark.parametrize("call, error, match", [
    (lambda: ts.io.decode_png(b"junk"), ts.errors.InvalidArgumentError,
     "Unknown image file format"),
    (lambda: ts.io.decode_png(_corrupt_crc(PNGS["rgb8_filters"])),
     ts.errors.InvalidArgumentError, "CRC"),
    (lambda: ts.io.decode_png(PNGS["rgb8_filters"][:-40]), ts.errors.InvalidArgumentError,
     "truncated|cannot be decompressed"),
    (lambda: ts.io.decode_png(make_png(np.zeros((2, 2, 1)), 0, 8, filters=(0,)).replace(
        b"IHDR", b"IHDX")), ts.errors.InvalidArgumentError, "IHDR|CRC"),
    (lambda: ts.io.decode_png(PNGS["gray8"], channels=2), ts.errors.InvalidArgumentError,
     "must be 0, 1, 3 or 4"),
    (lambda: ts.io.decode_png(PNGS["gray8"], dtype=ts.float32), ts.errors.InvalidArgumentError,
     "uint8 or uint16"),
    (lambda: ts.io.decode_bmp(make_bmp(np.zeros((2, 2, 3), np.uint8)), channels=1),
     ts.errors.InvalidArgumentError, "must be 0, 3 or 4 for BMP"),
    (lambda: ts.io.encode_png(np.zeros((2, 2, 3), np.float32)), ts.errors.InvalidArgumentError,
     "convert_image_dtype"),
    (lambda: ts.io.encode_png(np.zeros((2, 2, 5), np.uint8)), ts.errors.InvalidArgumentError,
     "1 to 4"),
    (lambda: ts.io.encode_png(np.zeros((2, 2, 1), np.uint8), compression=11),
     ts.errors.InvalidArgumentError, r"\[-1, 9\]"),
    (lambda: ts.io.decode_jpeg(b"\xff\xd8\xff"), ts.errors.InvalidArgumentError,
     "Invalid JPEG data"),
    (lambda: ts.io.decode_gif(b"GIF89a\x02\x00\x02\x00\x00\x00\x00\x3b"),
     ts.errors.InvalidArgumentError, "no frames"),
    (lambda: ts.io.decode_gif(GIFS["single"][:60]), ts.errors.InvalidArgumentError,
     "truncated|no frames|invalid code"),
    (lambda: ts.io.decode_image(GIFS["single"], channels=1), ts.errors.InvalidArgumentError,
     "0 or 3 for GIF"),
    (lambda: ts.io.extract_jpeg_shape(b"\x89PNG"), ts.errors.InvalidArgumentError,
     "not a JPEG"),
    (lambda: codecs.png_unfilter(b"\x07\x00", 1, 1, 1), ValueError, "unknown filter type 7"),
    (lambda: codecs.png_unfilter_reference(b"\x07\x00", 1, 1, 1), ValueError,
     "unknown filter type 7"),
])
def test_bad_files_and_arguments_explain_themselves(call, error, match):
    with pytest.raises(error, match=match):
        call()


if __name__ == "__main__":
    oracle.record(GOLDEN, DECODES, _decoded)
    oracle.record(GIF_GOLDEN, sorted(GIFS), lambda lib, key: [lib.io.decode_gif(GIFS[key])])


@pytest.mark.parametrize("kind", ["png", "gif"])
def test_damaged_files_raise_tensorshells_error_and_nothing_else(kind):
    files, decode = (PNGS, ts.io.decode_png) if kind == "png" else (GIFS, ts.io.decode_gif)
    rng = np.random.default_rng(0)
    for data in files.values():
        for trial in range(20):
            damaged = bytearray(data)
            if trial % 2:
                damaged = damaged[:int(rng.integers(0, len(damaged)))]
            else:
                for _ in range(3):
                    damaged[int(rng.integers(0, len(damaged)))] = int(rng.integers(0, 256))
            try:
                decode(bytes(damaged))
            except ts.errors.InvalidArgumentError:
                pass
