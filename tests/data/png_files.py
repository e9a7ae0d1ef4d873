"""PNG files of every kind, written plainly (no library) for the decoder's tests: each
colour type and bit depth, palettes, transparency, Adam7 interlacing and every row filter."""

import struct
import zlib

import numpy as np

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
         (0, 1, 1, 2)]
SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _pack(samples, depth):
    """``[h, w, c]`` sample values as scanline bytes (MSB first below 8 bits)."""
    h = samples.shape[0]
    if depth == 16:
        return samples.astype(">u2").reshape(h, -1).view(np.uint8)
    flat = samples.reshape(h, -1).astype(np.uint8)
    if depth == 8:
        return flat
    bits = ((flat[..., None] >> np.arange(depth - 1, -1, -1)) & 1).reshape(h, -1)
    return np.packbits(bits, axis=1)


def _filter(rows, kind, bpp):
    x = rows.astype(np.int32)
    out = np.empty_like(x)
    for r in range(len(x)):
        prior = x[r - 1] if r else np.zeros_like(x[r])
        for i in range(x.shape[1]):
            a = x[r, i - bpp] if i >= bpp else 0
            b = prior[i]
            c = prior[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) // 2, None][kind]
            if kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out[r, i] = (x[r, i] - pred) % 256
    return np.concatenate([np.full((len(x), 1), kind), out], axis=1).astype(np.uint8)


def make_png(samples, ctype, depth, palette=None, trns=None, interlace=False, filters=(0,)):
    """The bytes of a PNG holding ``samples`` ``[h, w, c]`` (palette indices for colour type
    3), each row filtered with the next of ``filters`` in turn."""
    h, w, _ = samples.shape
    bpp = max(1, depth * SAMPLES[ctype] // 8)
    passes = [(0, 0, 1, 1)] if not interlace else ADAM7
    data = b""
    n = 0
    for x0, y0, dx, dy in passes:
        part = samples[y0::dy, x0::dx]
        if part.size == 0:
            continue
        rows = _pack(part, depth)
        for r in range(rows.shape[0]):
            data += _filter(rows[r:r + 1], filters[n % len(filters)], bpp).tobytes()
            n += 1
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0,
                                                              0, int(interlace)))
    if palette is not None:
        out += _chunk(b"PLTE", np.asarray(palette, np.uint8).tobytes())
    if trns is not None:
        out += _chunk(b"tRNS", trns)
    return out + _chunk(b"IDAT", zlib.compress(data)) + _chunk(b"IEND", b"")


def cases():
    """``{name: png bytes}``: the kinds TensorFlow's own encoder never writes."""
    rng = np.random.default_rng(5)
    out = {}
    for depth in (1, 2, 4, 8, 16):
        gray = rng.integers(0, 1 << depth, (7, 11, 1))
        out[f"gray{depth}"] = make_png(gray, 0, depth, filters=(0, 1, 2, 3, 4))
        out[f"gray{depth}_interlaced"] = make_png(gray, 0, depth, interlace=True,
                                                  filters=(4, 3))
        out[f"gray{depth}_trns"] = make_png(gray, 0, depth, trns=struct.pack(
            ">H", int(gray[0, 0, 0])))
    for depth in (1, 2, 4, 8):
        palette = rng.integers(0, 256, (1 << depth, 3))
        index = rng.integers(0, 1 << depth, (9, 6, 1))
        out[f"palette{depth}"] = make_png(index, 3, depth, palette=palette, filters=(1, 4))
        out[f"palette{depth}_trns"] = make_png(index, 3, depth, palette=palette,
                                               trns=bytes(range(0, 256, 37))[:1 << depth])
    for depth in (8, 16):
        rgb = rng.integers(0, 1 << depth, (10, 9, 3))
        out[f"rgb{depth}_filters"] = make_png(rgb, 2, depth, filters=(0, 1, 2, 3, 4))
        out[f"rgb{depth}_interlaced"] = make_png(rgb, 2, depth, interlace=True,
                                                 filters=(3, 4, 1))
        key = rgb[1, 1]
        out[f"rgb{depth}_trns"] = make_png(rgb, 2, depth, trns=struct.pack(">HHH", *map(int,
                                                                                     key)))
        out[f"gray_alpha{depth}"] = make_png(rng.integers(0, 1 << depth, (5, 4, 2)), 4, depth,
                                             filters=(2, 4))
        out[f"rgba{depth}_interlaced"] = make_png(rng.integers(0, 1 << depth, (12, 13, 4)), 6,
                                                  depth, interlace=True, filters=(4,))
    out["tiny_interlaced"] = make_png(rng.integers(0, 256, (1, 3, 3)), 2, 8, interlace=True)
    return out


def make_bmp(pixels, top_down=False):
    """An uncompressed BMP of ``pixels`` ``[h, w, c]`` (c: 1, 3 or 4; stored BGR(A), rows
    padded to 4 bytes, bottom-up unless ``top_down``)."""
    h, w, c = pixels.shape
    rowbytes = (w * c + 3) // 4 * 4
    body = pixels[..., ::-1] if c == 3 else (
        np.concatenate([pixels[..., 2::-1], pixels[..., 3:]], -1) if c == 4 else pixels)
    rows = body if top_down else body[::-1]
    data = b"".join(r.tobytes() + b"\0" * (rowbytes - w * c) for r in rows.astype(np.uint8))
    palette = bytes(b for i in range(256) for b in (i, i, i, 0)) if c == 1 else b""
    offset = 54 + len(palette)
    header = struct.pack("<2sIHHI", b"BM", offset + len(data), 0, 0, offset)
    info = struct.pack("<IiiHHIIiiII", 40, w, -h if top_down else h, 1, 8 * c, 0, len(data),
                       2835, 2835, 256 if c == 1 else 0, 0)
    return header + info + palette + data


def make_jpeg_header(height, width, components):
    """The first bytes of a baseline JPEG: SOI, a JFIF APP0 and the SOF0 frame header."""
    app0 = b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = struct.pack(">BHHB", 8, height, width, components) + b"".join(
        struct.pack(">BBB", i + 1, 0x11, 0) for i in range(components))
    return (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xc0"
            + struct.pack(">H", len(sof) + 2) + sof)


def lzw_encode(indices, min_code):
    """GIF's LZW compression of colour indices (a real dictionary coder, so decoders meet
    growing code widths and the code-not-yet-in-the-table case)."""
    clear, end = 1 << min_code, (1 << min_code) + 1
    bits = nbits = 0
    width = min_code + 1
    table = {bytes([i]): i for i in range(clear)}
    free = end + 1

    def emit(code):
        nonlocal bits, nbits
        bits |= code << nbits
        nbits += width

    emit(clear)
    word = b""
    for k in bytes(np.asarray(indices, np.uint8).ravel()):
        grown = word + bytes([k])
        if grown in table:
            word = grown
            continue
        emit(table[word])
        if free < 4096:
            table[grown] = free
            free += 1
            if free > (1 << width) and width < 12:
                width += 1
        else:
            emit(clear)
            table = {bytes([i]): i for i in range(clear)}
            free, width = end + 1, min_code + 1
        word = bytes([k])
    if word:
        emit(table[word])
    emit(end)
    data = bits.to_bytes((nbits + 7) // 8, "little")
    return bytes([min_code]) + b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255]
                                        for i in range(0, len(data), 255)) + b"\0"


def make_gif(width, height, frames, global_palette=None):
    """A GIF89a of ``frames``: dicts with ``index`` ``[h, w]``, and optionally ``left``,
    ``top``, ``palette`` (a local colour table), ``transparent``, ``interlace``."""
    def table(palette):
        size = 1
        while (1 << size) < len(palette):
            size += 1
        padded = np.zeros((1 << size, 3), np.uint8)
        padded[:len(palette)] = palette
        return size, padded.tobytes()

    out = b"GIF89a" + struct.pack("<HH", width, height)
    if global_palette is not None:
        size, body = table(global_palette)
        out += bytes([0x80 | (size - 1), 0, 0]) + body
    else:
        out += b"\0\0\0"
    for f in frames:
        index = np.asarray(f["index"], np.uint8)
        h, w = index.shape
        if "transparent" in f:
            out += b"\x21\xf9\x04" + bytes([1, 0, 0, f["transparent"], 0])
        flags, local = 0, b""
        if "palette" in f:
            size, local = table(f["palette"])
            flags = 0x80 | (size - 1)
        rows = index
        if f.get("interlace"):
            flags |= 0x40
            rows = index[np.concatenate([np.arange(s, h, d) for s, d in
                                         ((0, 8), (4, 8), (2, 4), (1, 2))])]
        out += b"\x2c" + struct.pack("<HHHHB", f.get("left", 0), f.get("top", 0), w, h, flags)
        out += local + lzw_encode(rows, max(2, int(index.max(initial=0)).bit_length()))
    return out + b"\x3b"
