"""Image files: ``ts.io.decode_png`` / ``encode_png``, ``decode_bmp``, ``decode_gif``,
``decode_jpeg`` (tensorshell/jpeg.py), ``decode_image`` and the JPEG header helpers (also
under ``ts.image``), as TensorFlow reads and writes them.

>>> image = ts.io.decode_png(ts.io.read_file("cat.png"))          # uint8 [h, w, channels]
>>> ts.io.write_file("copy.png", ts.io.encode_png(image))

PNG is read whole - every colour type, bit depths 1 to 16, palettes, transparency (tRNS)
and Adam7 interlacing - with libpng's conversions as TensorFlow applies them (``channels``
1 to 4, 16-bit images to ``uint8`` by dropping the low byte, 8-bit ones to ``uint16`` by
times 257, colour to gray by libpng's fixed-point weights); checksums are verified. The
row filters are undone by the C extension where it is built (``png_unfilter`` here is the
reference). JPEG is not decoded (it would need a JPEG codec): ``decode_jpeg`` says so,
``is_jpeg`` and ``extract_jpeg_shape`` read the header.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from .engine import dtypes, speedups
from .engine.errors import InvalidArgumentError, UnimplementedError
from .engine.tensor import Tensor, convert_to_tensor

__all__ = ["decode_and_crop_jpeg", "decode_bmp", "decode_gif", "decode_image", "decode_jpeg",
           "decode_png", "encode_jpeg", "encode_png", "extract_jpeg_shape", "is_jpeg"]
# tf.image only: JPEG-quality augmentations
IMAGE_ONLY = ["adjust_jpeg_quality", "random_jpeg_quality", "stateless_random_jpeg_quality"]

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_UNKNOWN = "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required."


def _bytes(contents, op) -> bytes:
    if isinstance(contents, (bytes, bytearray)):
        return bytes(contents)
    t = contents if isinstance(contents, Tensor) else convert_to_tensor(contents)
    if t.dtype is not dtypes.string or t.ndim != 0:
        raise InvalidArgumentError(None, None, f"{op}: contents must be a scalar string (the "
                                   f"file's bytes), got {t.dtype.name} of shape {t.shape}")
    return t.numpy()


def _error(op, text):
    return InvalidArgumentError(None, None, f"{op}: {text}")


# ---------------------------------------------------------------------------------------------
# PNG
# ---------------------------------------------------------------------------------------------

def png_unfilter_reference(data, rows, rowbytes, bpp):
    """Undo PNG's per-row filters: ``data`` holds ``rows`` scanlines of a filter-type byte
    and ``rowbytes`` bytes; ``bpp`` bytes per complete pixel. Returns the raw bytes."""
    src = np.frombuffer(data, np.uint8)
    if len(src) < rows * (rowbytes + 1):
        raise ValueError("PNG image data is truncated")
    lines = src[:rows * (rowbytes + 1)].reshape(rows, rowbytes + 1)
    out = np.zeros((rows, rowbytes), np.uint8)
    prior = np.zeros(rowbytes, np.int32)
    for r in range(rows):
        kind, line = lines[r, 0], lines[r, 1:].astype(np.int32)
        if kind == 0:
            cur = line
        elif kind == 1:                      # Sub: a running sum along each byte lane
            padded = np.concatenate([line, np.zeros(-rowbytes % bpp, np.int32)])
            cur = np.cumsum(padded.reshape(-1, bpp), axis=0).reshape(-1)[:rowbytes] % 256
        elif kind == 2:                      # Up
            cur = (line + prior) % 256
        elif kind in (3, 4):                 # Average, Paeth: pixel by pixel
            cur = np.zeros(rowbytes, np.int32)
            for i in range(0, rowbytes, bpp):
                left = cur[i - bpp:i] if i else np.zeros(min(bpp, rowbytes), np.int32)
                up = prior[i:i + bpp]
                left = left[:len(up)]
                if kind == 3:
                    pred = (left + up) // 2
                else:
                    upleft = prior[i - bpp:i][:len(up)] if i else np.zeros(len(up), np.int32)
                    p = left + up - upleft
                    pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - upleft)
                    pred = np.where((pa <= pb) & (pa <= pc), left,
                                    np.where(pb <= pc, up, upleft))
                cur[i:i + bpp] = (line[i:i + bpp] + pred) % 256
        else:
            raise ValueError(f"PNG row {r} has an unknown filter type {int(kind)}")
        out[r] = cur
        prior = cur
    return out.tobytes()


png_unfilter = speedups.fast(png_unfilter_reference)

_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}          # colour type -> samples per pixel
_ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2)]                             # (x0, y0, dx, dy)


def _png_chunks(data):
    pos, chunks = 8, []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(body) < length or len(crc) < 4:
            raise _error("decode_png", f"PNG chunk {kind!r} is truncated")
        if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body) & 0xFFFFFFFF:
            raise _error("decode_png", f"PNG chunk {kind!r} fails its CRC check (the file is "
                         "corrupt)")
        chunks.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _png_samples(raw, width, height, depth, samples):
    """Unfiltered scanlines -> ``[height, width, samples]`` of uint8/uint16 sample values."""
    bits = depth * samples
    rowbytes = (width * bits + 7) // 8
    rows = np.frombuffer(raw, np.uint8).reshape(height, rowbytes)
    if depth == 16:
        return rows.view(">u2").astype(np.uint16).reshape(height, width, samples)
    if depth == 8:
        return rows.reshape(height, width, samples).copy()
    unpacked = np.unpackbits(rows, axis=1).reshape(height, -1, depth)
    values = unpacked.dot(1 << np.arange(depth - 1, -1, -1)).astype(np.uint8)
    return values[:, :width * samples].reshape(height, width, samples)


def _png_pixels(data):
    """``(samples [h, w, c] uint8/uint16, colour type, bit depth, palette, tRNS)``."""
    if data[:8] != _PNG_MAGIC:
        raise _error("decode_png", _UNKNOWN)
    chunks = _png_chunks(data)
    if not chunks or chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
        raise _error("decode_png", "PNG file lacks its IHDR header")
    width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if ctype not in _CHANNELS or depth not in (1, 2, 4, 8, 16):
        raise _error("decode_png", f"PNG colour type {ctype} with bit depth {depth} is invalid")
    palette = next((np.frombuffer(b, np.uint8).reshape(-1, 3) for k, b in chunks
                    if k == b"PLTE"), None)
    trns = next((b for k, b in chunks if k == b"tRNS"), None)
    try:
        raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
    except zlib.error as e:
        raise _error("decode_png", f"PNG image data cannot be decompressed: {e}") from None
    samples = _CHANNELS[ctype]
    bpp = max(1, depth * samples // 8)
    try:
        if not interlace:
            rowbytes = (width * depth * samples + 7) // 8
            pixels = _png_samples(png_unfilter(raw, height, rowbytes, bpp), width, height,
                                  depth, samples)
        else:
            pixels = np.zeros((height, width, samples), np.uint16 if depth == 16 else np.uint8)
            offset = 0
            for x0, y0, dx, dy in _ADAM7:
                w, h = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
                if w <= 0 or h <= 0:
                    continue
                rowbytes = (w * depth * samples + 7) // 8
                size = h * (rowbytes + 1)
                part = png_unfilter(raw[offset:offset + size], h, rowbytes, bpp)
                pixels[y0::dy, x0::dx] = _png_samples(part, w, h, depth, samples)
                offset += size
    except ValueError as e:
        raise _error("decode_png", str(e)) from None
    return pixels, ctype, depth, palette, trns


def _png_expand(pixels, ctype, depth, palette, trns):
    """libpng's expansions, as TensorFlow asks for them: palette to RGB, gray below 8 bits
    scaled to 8, tRNS to an alpha channel."""
    if ctype == 3:
        if palette is None:
            raise _error("decode_png", "PNG palette image lacks its PLTE chunk")
        index = pixels[..., 0]
        if index.max(initial=0) >= len(palette):
            raise _error("decode_png", "PNG palette index out of range")
        rgb = palette[index]
        if trns is not None:
            alpha = np.full(256, 255, np.uint8)
            alpha[:len(trns)] = np.frombuffer(trns, np.uint8)[:256]
            return np.concatenate([rgb, alpha[index][..., None]], axis=-1), 8
        return rgb, 8
    if ctype == 0 and depth < 8:
        pixels = (pixels.astype(np.uint16) * (255 // ((1 << depth) - 1))).astype(np.uint8)
        key = None if trns is None else struct.unpack(">H", trns[:2])[0] * (
            255 // ((1 << depth) - 1))
        depth = 8
    elif ctype in (0, 2) and trns is not None:
        key = struct.unpack(">H", trns[:2])[0] if ctype == 0 else struct.unpack(">HHH",
                                                                              trns[:6])
    else:
        key = None
    if trns is not None and ctype in (0, 2):
        top = 65535 if depth == 16 else 255
        match = np.all(pixels == np.asarray(key, pixels.dtype).reshape(-1), axis=-1)
        alpha = np.where(match, 0, top).astype(pixels.dtype)
        pixels = np.concatenate([pixels, alpha[..., None]], axis=-1)
    return pixels, depth


def _to_gray(rgb, bits):
    # libpng's png_set_rgb_to_gray(…, 0.299, 0.587): 15-bit fixed point, truncated
    r, g = 29900 * 32768 // 100000, 58700 * 32768 // 100000
    b = 32768 - r - g
    x = rgb.astype(np.int64)
    rounding = 16384 if bits == 16 else 0              # libpng rounds only at 16 bits
    gray = (r * x[..., 0] + g * x[..., 1] + b * x[..., 2] + rounding) >> 15
    return gray.astype(np.uint16 if bits == 16 else np.uint8)


def _convert_channels(pixels, channels, bits):
    have = pixels.shape[-1]
    if channels in (0, have):
        return pixels
    top = 65535 if bits == 16 else 255
    color = pixels[..., :3] if have >= 3 else np.repeat(pixels[..., :1], 3, axis=-1)
    alpha = pixels[..., -1:] if have in (2, 4) else np.full(pixels.shape[:-1] + (1,), top,
                                                            pixels.dtype)
    if channels == 1:
        return _to_gray(color, bits)[..., None] if have >= 3 else pixels[..., :1]
    if channels == 3:
        return color
    return np.concatenate([color, alpha], axis=-1)


def _channels_arg(channels, op):
    channels = 0 if channels is None else int(channels)
    if channels not in (0, 1, 3, 4):
        raise _error(op, f"`channels` must be 0, 1, 3 or 4 but got {channels}")
    return channels


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """A PNG file's pixels, ``[height, width, channels]`` (``channels`` 0: the file's own,
    which may be gray+alpha; 1 gray; 3 RGB; 4 RGBA) as ``uint8`` or ``uint16``.

    One deliberate difference from TensorFlow: an alpha channel added to a 1-, 2- or 4-bit
    file is opaque (255), where TensorFlow's is the file's largest value (1, 3 or 15).
    """
    d = dtypes.as_dtype(dtype)
    if d not in (dtypes.uint8, dtypes.uint16):
        raise _error("decode_png", f"dtype must be uint8 or uint16, got {d.name}")
    channels = _channels_arg(channels, "decode_png")
    pixels, ctype, depth, palette, trns = _png_pixels(_bytes(contents, "decode_png"))
    if channels == 0:
        # the file's channels, as TensorFlow counts them: a palette is RGB (RGBA with
        # tRNS); gray and RGB files keep 1 and 3 channels even with a tRNS colour key
        channels = {0: 1, 2: 3, 3: 4 if trns is not None else 3, 4: 2, 6: 4}[ctype]
    pixels, depth = _png_expand(pixels, ctype, depth, palette, trns)
    # libpng's order: channels at the file's depth, then the depth
    pixels = _convert_channels(pixels, channels, depth)
    if d is dtypes.uint8 and depth == 16:
        pixels = (pixels >> 8).astype(np.uint8)            # libpng's strip_16
    elif d is dtypes.uint16 and depth != 16:
        pixels = pixels.astype(np.uint16) * 257
    return convert_to_tensor(np.ascontiguousarray(pixels), d)


def _png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


_SIGNED_SIZE = np.minimum(np.arange(256), 256 - np.arange(256)).astype(np.uint8)


def _filtered(rows, bpp):
    """Each row with the PNG filter that leaves the smallest sum of absolute values (libpng's
    heuristic), the filter type byte first. Byte arithmetic wraps modulo 256, as PNG's."""
    x = rows
    left = np.zeros_like(x)
    left[:, bpp:] = x[:, :-bpp]
    up = np.zeros_like(x)
    up[1:] = x[:-1]
    upleft = np.zeros_like(x)
    upleft[1:, bpp:] = x[:-1, :-bpp]
    a, b, c = left.astype(np.int16), up.astype(np.int16), upleft.astype(np.int16)
    pa, pb, pc = np.abs(b - c), np.abs(a - c), np.abs(a + b - 2 * c)
    paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, upleft))
    average = ((a + b) >> 1).astype(np.uint8)
    candidates = [x, x - left, x - up, x - average, x - paeth]
    sizes = np.stack([_SIGNED_SIZE[cand].sum(axis=1, dtype=np.int64) for cand in candidates])
    best = sizes.argmin(axis=0)
    chosen = np.choose(best[:, None], candidates)
    return np.concatenate([best.astype(np.uint8)[:, None], chosen], axis=1)


def png_filter_reference(data, rows, rowbytes, bpp):
    """``rows`` scanlines of ``rowbytes`` bytes (``bpp`` bytes per pixel), each filtered as
    ``_filtered`` chooses, its filter type byte first. The definition of
    _speedups.png_filter."""
    if rows < 0 or rowbytes < 0 or bpp < 1 or memoryview(data).nbytes < rows * rowbytes:
        raise ValueError("png_filter: the image is smaller than asked")
    if not rows * rowbytes:
        return bytes(rows)
    lines = np.frombuffer(data, np.uint8)[:rows * rowbytes].reshape(rows, rowbytes)
    return _filtered(lines, bpp).tobytes()


png_filter = speedups.fast(png_filter_reference)


def encode_png(image, compression=-1, name=None):
    """``image`` (``[height, width, channels]``, 1 to 4 channels, ``uint8`` or ``uint16``) as
    the bytes of a PNG file; ``compression`` 0-9 (zlib's levels), -1 the default."""
    t = image if isinstance(image, Tensor) else convert_to_tensor(image)
    if t.dtype not in (dtypes.uint8, dtypes.uint16):
        raise _error("encode_png", f"image must be uint8 or uint16, got {t.dtype.name}: "
                     "ts.image.convert_image_dtype(image, ts.uint8) converts float images")
    if t.ndim != 3 or not 1 <= t.shape[-1] <= 4:
        raise _error("encode_png", f"image must be [height, width, channels] with 1 to 4 "
                     f"channels, got shape {t.shape}")
    if not -1 <= int(compression) <= 9:
        raise _error("encode_png", f"compression must be in [-1, 9], got {compression}")
    pixels = t.numpy()
    height, width, channels = pixels.shape
    depth = 16 if t.dtype is dtypes.uint16 else 8
    ctype = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    raw = pixels.astype(">u2").view(np.uint8) if depth == 16 else pixels
    rows = raw.reshape(height, width * channels * depth // 8)
    data = png_filter(np.ascontiguousarray(rows), height, rows.shape[1], channels * depth // 8)
    body = _PNG_MAGIC + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth,
                                                      ctype, 0, 0, 0))
    deflate = zlib.compressobj(int(compression), zlib.DEFLATED, 15, 8, zlib.Z_FILTERED)
    body += _png_chunk(b"IDAT", deflate.compress(data) + deflate.flush())   # (libpng's way)
    body += _png_chunk(b"IEND", b"")
    return convert_to_tensor(body, dtypes.string)


# ---------------------------------------------------------------------------------------------
# BMP
# ---------------------------------------------------------------------------------------------

def _bmp_pixels(data):
    if data[:2] != b"BM" or len(data) < 54:
        raise _error("decode_bmp", _UNKNOWN)
    offset = struct.unpack("<I", data[10:14])[0]
    header = struct.unpack("<I", data[14:18])[0]
    width, height = struct.unpack("<ii", data[18:26])
    bits = struct.unpack("<H", data[28:30])[0]
    compression = struct.unpack("<I", data[30:34])[0] if header >= 40 else 0
    if bits not in (8, 24, 32) or compression not in (0, 3):
        raise _error("decode_bmp", f"only uncompressed 8-, 24- and 32-bit BMP files are "
                     f"read, this one has {bits} bits per pixel and compression {compression}")
    channels = bits // 8
    rowbytes = (width * channels + 3) // 4 * 4
    rows = abs(height)
    body = np.frombuffer(data, np.uint8, count=rowbytes * rows, offset=offset)
    pixels = body.reshape(rows, rowbytes)[:, :width * channels].reshape(rows, width, channels)
    if height > 0:                                  # stored bottom-up
        pixels = pixels[::-1]
    if channels >= 3:                               # BGR(A) -> RGB(A)
        pixels = np.concatenate([pixels[..., 2::-1], pixels[..., 3:]], axis=-1)
    return np.ascontiguousarray(pixels)


def decode_bmp(contents, channels=0, name=None):
    """An uncompressed BMP file's pixels, ``uint8 [height, width, channels]`` (0: the file's
    own - 1 for an 8-bit file; 3 RGB; 4 RGBA)."""
    channels = 0 if channels is None else int(channels)
    if channels not in (0, 3, 4):
        raise _error("decode_bmp", f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
    pixels = _bmp_pixels(_bytes(contents, "decode_bmp"))
    if channels and channels != pixels.shape[-1]:
        pixels = _convert_channels(pixels, channels, 8)
    return convert_to_tensor(np.ascontiguousarray(pixels), dtypes.uint8)


# ---------------------------------------------------------------------------------------------
# GIF
# ---------------------------------------------------------------------------------------------

def _lzw_decode(data, min_code_size, count):
    """GIF's variable-width LZW: the first ``count`` colour indices of an image's data."""
    clear, end = 1 << min_code_size, (1 << min_code_size) + 1
    out = bytearray()
    table = [bytes([i]) for i in range(clear)] + [b"", b""]
    width, prev = min_code_size + 1, None
    bits = int.from_bytes(data, "little")
    total, pos = len(data) * 8, 0
    while pos + width <= total and len(out) < count:
        code = (bits >> pos) & ((1 << width) - 1)
        pos += width
        if code == clear:
            table = table[:clear + 2]
            width, prev = min_code_size + 1, None
            continue
        if code == end:
            break
        if code < len(table):
            entry = table[code]
            if prev is not None:
                table.append(prev + entry[:1])
        elif code == len(table) and prev is not None:
            entry = prev + prev[:1]
            table.append(entry)
        else:
            raise ValueError(f"GIF image data has an invalid code {code}")
        out += entry
        prev = entry
        if len(table) == (1 << width) and width < 12:
            width += 1
    if len(out) < count:
        raise ValueError("GIF image data is truncated")
    return np.frombuffer(bytes(out[:count]), np.uint8)


def _gif_frames(data):
    """Every frame of a GIF as TensorFlow builds them: each starts as a copy of the previous
    one (black for the first) and its image is drawn over it, except transparent pixels."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError(_UNKNOWN)

    def need(end):
        if end > len(data):
            raise ValueError("GIF file is truncated")

    need(13)
    width, height, flags = struct.unpack("<HHB", data[6:11])
    pos = 13
    global_map = None
    if flags & 0x80:
        size = 3 << ((flags & 7) + 1)
        need(pos + size)
        global_map = np.frombuffer(data[pos:pos + size], np.uint8).reshape(-1, 3)
        pos += size
    frames, transparent = [], None
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:                                        # trailer
            break
        if block == 0x21:                                        # extension
            need(pos + 2)
            label = data[pos + 1]
            pos += 2
            while pos < len(data) and data[pos]:
                sub = data[pos + 1:pos + 1 + data[pos]]
                if label == 0xF9 and len(sub) >= 4:              # graphic control
                    transparent = sub[3] if sub[0] & 1 else None
                pos += 1 + data[pos]
            pos += 1
            continue
        if block != 0x2C:
            raise ValueError(f"GIF file has an unknown block {block:#x}")
        need(pos + 11)
        left, top, w, h, iflags = struct.unpack("<HHHHB", data[pos + 1:pos + 10])
        pos += 10
        color_map = global_map
        if iflags & 0x80:
            size = 3 << ((iflags & 7) + 1)
            need(pos + size + 1)
            color_map = np.frombuffer(data[pos:pos + size], np.uint8).reshape(-1, 3)
            pos += size
        if color_map is None:
            raise ValueError("GIF frame has no colour map")
        need(pos + 1)
        min_code = data[pos]
        if not 2 <= min_code <= 11:
            raise ValueError(f"GIF frame has an invalid LZW code size {min_code}")
        pos += 1
        chunks = []
        while pos < len(data) and data[pos]:
            chunks.append(data[pos + 1:pos + 1 + data[pos]])
            pos += 1 + data[pos]
        pos += 1
        index = _lzw_decode(b"".join(chunks), min_code, w * h).reshape(h, w)
        if iflags & 0x40:                                        # interlaced rows
            order = np.concatenate([np.arange(start, h, step) for start, step in
                                    ((0, 8), (4, 8), (2, 4), (1, 2))])
            rows = np.empty_like(index)
            rows[order] = index
            index = rows
        frames.append((left, top, index, color_map, transparent))
        transparent = None
    if not frames:
        raise ValueError("GIF file has no frames")
    # TensorFlow's canvas is as large as the largest frame if that exceeds the screen
    width = max([width] + [f[2].shape[1] for f in frames])
    height = max([height] + [f[2].shape[0] for f in frames])
    canvas = np.zeros((height, width, 3), np.uint8)
    out = []
    for left, top, index, color_map, transparent in frames:
        frame = canvas.copy()
        bottom, right = min(top + index.shape[0], height), min(left + index.shape[1], width)
        region = index[:max(bottom - top, 0), :max(right - left, 0)]
        opaque = region != transparent if transparent is not None else np.ones_like(
            region, bool)
        colors = color_map[np.minimum(region, len(color_map) - 1)]
        target = frame[top:bottom, left:right]
        target[opaque] = colors[opaque]
        out.append(frame)
        canvas = frame
    return np.stack(out)


def decode_gif(contents, name=None):
    """Every frame of a GIF file, ``uint8 [frames, height, width, 3]`` (frames drawn over
    the one before, as TensorFlow does)."""
    try:
        return convert_to_tensor(_gif_frames(_bytes(contents, "decode_gif")), dtypes.uint8)
    except ValueError as e:
        raise _error("decode_gif", str(e)) from None


# ---------------------------------------------------------------------------------------------
# JPEG headers, and any image
# ---------------------------------------------------------------------------------------------

def _is_jpeg(data: bytes) -> bool:
    return data[:3] == b"\xff\xd8\xff"


def is_jpeg(contents, name=None):
    """Whether the bytes start as a JPEG file does (a bool tensor)."""
    return convert_to_tensor(_is_jpeg(_bytes(contents, "is_jpeg")))


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    """``[height, width, channels]`` of a JPEG file, read from its frame header (the image
    is not decoded)."""
    data = _bytes(contents, "extract_jpeg_shape")
    if not _is_jpeg(data):
        raise _error("extract_jpeg_shape", "not a JPEG file")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            break
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width, comps = struct.unpack(">HHB", data[pos + 5:pos + 10])
            return convert_to_tensor(np.array([height, width, comps]),
                                     dtypes.as_dtype(output_type))
        pos += 2 + length
    raise _error("extract_jpeg_shape", "JPEG file has no frame header (it may be truncated)")


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True,
                try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                name=None):
    """A JPEG file's pixels (baseline or progressive), ``uint8 [height, width, channels]``,
    identical to TensorFlow's: ``dct_method`` "" or "INTEGER_FAST" (TensorFlow's default) or
    "INTEGER_ACCURATE", ``fancy_upscaling`` of subsampled colour, ``channels`` 0 (as
    stored), 1 (grayscale) or 3 (RGB). A file cut short raises, unless
    ``try_recover_truncated``: then decoding goes on with zeros where the data ran out and
    the rest stays gray (or keeps the earlier scans of a progressive file), every line is
    produced and ``acceptable_fraction`` is met. TensorFlow's libjpeg agrees above the MCU
    row where the data ends; around it, and where it smooths the blocks of unfinished
    progressive scans, pixels differ. Arithmetic-coded files and ``ratio`` > 1 raise
    UnimplementedError (see tensorshell/jpeg.py)."""
    return convert_to_tensor(_jpeg_pixels(contents, channels, ratio, fancy_upscaling,
                                          dct_method, "decode_jpeg", try_recover_truncated),
                             dtypes.uint8)


def _jpeg_pixels(contents, channels, ratio, fancy_upscaling, dct_method, op, recover=False):
    from . import jpeg
    data = _bytes(contents, op)
    if channels not in (0, 1, 3):
        raise _error(op, f"`channels` must be 0, 1 or 3, got {channels}")
    if ratio not in (1, 2, 4, 8):
        raise _error(op, f"ratio must be 1, 2, 4 or 8, got {ratio}")
    if ratio != 1:
        raise UnimplementedError(None, None, f"{op}: ratio={ratio} (decoding at a reduced "
                                 "size) is not supported; decode and ts.image.resize",
                                 op_name=op)
    if dct_method not in ("", "INTEGER_FAST", "INTEGER_ACCURATE"):
        raise _error(op, f"dct_method must be '', 'INTEGER_FAST' or 'INTEGER_ACCURATE', "
                         f"got {dct_method!r}")
    try:
        return jpeg.decode(bytes(data), channels, bool(fancy_upscaling),
                           dct_method != "INTEGER_ACCURATE", bool(recover))
    except jpeg.JpegUnsupported as e:
        raise UnimplementedError(None, None, f"{op}: {e} are not supported (baseline and "
                                 "progressive JPEG are); convert the file, e.g. with Pillow",
                                 op_name=op) from None
    except jpeg.JpegError as e:
        raise _error(op, f"Invalid JPEG data or crop window: {e}") from None
    except (IndexError, KeyError, ValueError, struct.error):
        raise _error(op, "Invalid JPEG data or crop window: the file is truncated or "
                         "corrupt") from None


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):
    """A JPEG file (a string scalar) of ``image`` uint8 ``[height, width, 1 or 3]``,
    byte for byte what TensorFlow's encode_jpeg writes: ``quality`` 0-100 scaling the
    standard tables, 4:2:0 chroma unless ``chroma_downsampling=False``, Huffman tables
    optimized for the image with ``optimize_size``, libjpeg's progression of scans with
    ``progressive``, the JFIF density and an XMP packet."""
    from . import jpeg
    t = image if isinstance(image, Tensor) else convert_to_tensor(image, dtypes.uint8)
    if t.dtype is not dtypes.uint8:
        raise _error("encode_jpeg", f"image must be uint8, got {t.dtype.name}; use "
                     "ts.image.convert_image_dtype(image, ts.uint8)")
    if t.ndim != 3:
        raise _error("encode_jpeg", f"image must be 3-dimensional, got shape {t.shape}")
    channels = t.shape[-1]
    if channels not in (1, 3):
        raise _error("encode_jpeg", f"image must have 1 or 3 channels, got {t.shape}")
    wanted = {"": channels, "grayscale": 1, "rgb": 3}.get(format)
    if wanted is None:
        raise _error("encode_jpeg", f"format must be '', 'grayscale' or 'rgb', got {format!r}")
    if wanted != channels:
        raise _error("encode_jpeg", f"format {format} expects {wanted} channel"
                     f"{'s' if wanted > 1 else ''}, got {t.shape}")
    quality = int(quality.numpy() if isinstance(quality, Tensor) else quality)
    if not 0 <= quality <= 100:
        raise _error("encode_jpeg", f"quality must be in [0,100], got {quality}")
    units = {"in": 1, "cm": 2}.get(density_unit)
    if units is None:
        raise _error("encode_jpeg", f"density_unit must be 'in' or 'cm', got {density_unit!r}")
    if 0 in t.shape[:2]:
        raise _error("encode_jpeg", f"cannot encode an empty image of shape {t.shape}")
    xmp = xmp_metadata.encode() if isinstance(xmp_metadata, str) else bytes(xmp_metadata)
    data = jpeg.encode(np.asarray(t.numpy()), quality, bool(chroma_downsampling), units,
                       int(x_density), int(y_density), xmp, bool(optimize_size),
                       bool(progressive))
    return convert_to_tensor(np.array(data, dtype=object), dtypes.string)


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """``image`` through a JPEG encode at ``jpeg_quality`` and a decode (as TensorFlow: in
    uint8, back to the image's dtype); an augmentation that adds compression artefacts."""
    from .engine.ops.image import convert_image_dtype
    t = image if isinstance(image, Tensor) else convert_to_tensor(image)
    if t.ndim != 3 or t.shape[-1] not in (1, 3):
        raise _error("adjust_jpeg_quality", f"image must be [height, width, 1 or 3], got "
                     f"{t.shape}")
    pixels = convert_image_dtype(t, dtypes.uint8, saturate=True)
    data = encode_jpeg(pixels, quality=jpeg_quality)
    back = decode_jpeg(data, channels=t.shape[-1], dct_method=dct_method)
    return convert_image_dtype(back, t.dtype, saturate=True)


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """``adjust_jpeg_quality`` at a quality drawn uniformly from [min, max)."""
    from .engine.ops.random import uniform
    _check_quality_range(min_jpeg_quality, max_jpeg_quality, "random_jpeg_quality")
    quality = uniform([], min_jpeg_quality, max_jpeg_quality, dtypes.int32, seed=seed)
    return adjust_jpeg_quality(image, quality)


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed):
    """``adjust_jpeg_quality`` at a quality drawn from [min, max) by ``seed`` (shape [2])."""
    from .engine.ops.random import stateless_uniform
    _check_quality_range(min_jpeg_quality, max_jpeg_quality, "stateless_random_jpeg_quality")
    quality = stateless_uniform([], seed, min_jpeg_quality, max_jpeg_quality, dtypes.int32)
    return adjust_jpeg_quality(image, quality)


def _check_quality_range(low, high, op):
    if not 0 <= low < high <= 100:
        raise ValueError(f"{op}: jpeg quality must be in [0, 100] with min_jpeg_quality < "
                         f"max_jpeg_quality, got {low} and {high}")


def decode_and_crop_jpeg(contents, crop_window, channels=0, ratio=1, fancy_upscaling=True,
                         try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                         name=None):
    """``decode_jpeg`` cropped to ``crop_window`` ``[y, x, height, width]``."""
    window = np.asarray(crop_window.numpy() if isinstance(crop_window, Tensor)
                        else crop_window).reshape(-1)
    if window.size != 4:
        raise _error("decode_and_crop_jpeg", "crop_window must be a vector of 4 elements "
                     "[y, x, height, width]")
    image = _jpeg_pixels(contents, channels, ratio, fancy_upscaling, dct_method,
                         "decode_and_crop_jpeg", try_recover_truncated)
    y, x, h, w = (int(v) for v in window)
    if y < 0 or x < 0 or h <= 0 or w <= 0 or y + h > image.shape[0] or \
            x + w > image.shape[1]:
        raise _error("decode_and_crop_jpeg", f"Invalid JPEG data or crop window: "
                     f"{[y, x, h, w]} does not fit the {image.shape[0]}x{image.shape[1]} image")
    return convert_to_tensor(np.ascontiguousarray(image[y:y + h, x:x + w]), dtypes.uint8)


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None,
                 expand_animations=True):
    """A PNG, BMP, GIF or JPEG file's pixels, chosen by its first bytes: ``[height, width,
    channels]`` (a GIF: ``[frames, height, width, 3]``, or its first frame without
    ``expand_animations``) in ``dtype`` (uint8, uint16 for PNG, or a float type scaled to
    [0, 1])."""
    from .engine.ops.image import convert_image_dtype
    data = _bytes(contents, "decode_image")
    d = dtypes.as_dtype(dtype)
    if data[:8] == _PNG_MAGIC:
        image = decode_png(data, channels or 0, dtypes.uint16 if d is dtypes.uint16
                           else dtypes.uint8)
    elif data[:2] == b"BM":
        image = decode_bmp(data, channels or 0)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        if channels not in (None, 0, 3):
            raise _error("decode_image", f"channels must be 0 or 3 for GIF, got {channels}")
        image = decode_gif(data)
        if not expand_animations:
            image = image[0]
    elif _is_jpeg(data):
        image = decode_jpeg(data, channels or 0)
    else:
        raise _error("decode_image", _UNKNOWN)
    return image if image.dtype is d else convert_image_dtype(image, d)
