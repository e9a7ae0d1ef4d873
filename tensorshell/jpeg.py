"""Baseline JPEG decoding with TensorFlow's results: the arithmetic of the libjpeg-turbo build
TensorFlow uses, reproduced step for step, so pixels come out identical.

- Huffman-coded sequential scans (SOF0/SOF1), restart intervals, 8-bit samples, one or
  three components (YCbCr, or RGB with Adobe's transform flag 0), any of the sampling
  factors libjpeg-turbo upsamples (4:4:4, 4:2:2, 4:2:0 with its "fancy" triangle filters,
  other integral factors by replication).
- The inverse DCT TensorFlow picks: its default (and ``dct_method="INTEGER_FAST"``) is
  libjpeg's fast integer AAN transform, ``"INTEGER_ACCURATE"`` the slow-but-accurate
  Loeffler-Ligtenberg-Moschytz one; both are vectorised over all blocks with NumPy.
- libjpeg's fixed-point YCbCr to RGB tables and its range-limiting.

Progressive files too (spectral selection and successive approximation, as jdphuff.c).
Arithmetic-coded files, 12-bit samples, CMYK and scaled decoding (``ratio`` > 1) raise
UnimplementedError.
"""

from __future__ import annotations

import math
import struct

import numpy as np

from .engine import speedups

_ZIGZAG = np.array(sorted(range(64), key=lambda i: (
    (i // 8 + i % 8), (i % 8 if (i // 8 + i % 8) % 2 == 0 else i // 8))), dtype=np.intp)
# _ZIGZAG[k] = the natural (row-major) index of the k-th coefficient in zigzag order


class JpegError(ValueError):
    pass


class JpegUnsupported(Exception):
    pass


# -- markers and tables ----------------------------------------------------------------------

class _Component:
    __slots__ = ("cid", "h", "v", "tq", "td", "ta", "blocks", "bw", "bh", "offset")


def _huffman_spec(counts, symbols):
    """A DHT table as the scan decoders take it: uint8 [272], its 16 code counts then its
    symbols (zero-padded to 256)."""
    if sum(counts) > 256:
        raise JpegError("Bogus Huffman table definition")
    if len(symbols) < sum(counts):
        raise ValueError("the DHT segment is cut short")    # (a truncated or corrupt file)
    spec = np.zeros(272, np.uint8)
    spec[:16] = counts
    spec[16:16 + len(symbols)] = symbols
    return spec


def _huffman_lut(spec):
    """A 65536-entry table for a ``_huffman_spec``: for any 16 bits starting with a code,
    (length << 8) | symbol (codes that do not fit in 16 bits never match)."""
    counts, symbols = spec[:16].tolist(), spec[16:].tolist()
    lut = np.zeros(1 << 16, dtype=np.int32)
    code, k = 0, 0
    for length in range(1, 17):
        for _ in range(counts[length - 1]):
            lo = code << (16 - length)
            lut[lo:lo + (1 << (16 - length))] = (length << 8) | symbols[k]
            k += 1
            code += 1
        code <<= 1
    return lut


def _parse(data: bytes, recover: bool = False):
    if data[:2] != b"\xff\xd8":
        raise JpegError("Not a JPEG file: starts with 0x%02x 0x%02x" % tuple(data[:2]))
    pos = 2
    quant, dc_tables, ac_tables = {}, {}, {}
    frame, restart, adobe, progressive, ended = None, 0, None, False, False
    scans = []
    while pos < len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        pos += 2
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            if marker == 0xFF:
                pos -= 1
            continue
        if marker == 0xD9:
            ended = True
            break
        if pos + 2 > len(data):
            raise JpegError("Premature end of JPEG file")
        length = struct.unpack(">H", data[pos:pos + 2])[0]
        seg = data[pos + 2:pos + length]
        pos += length
        if marker == 0xDB:
            i = 0
            while i < len(seg):
                precision, tid = seg[i] >> 4, seg[i] & 15
                if precision:
                    q = np.frombuffer(seg[i + 1:i + 129], ">u2").astype(np.int32)
                    i += 129
                else:
                    q = np.frombuffer(seg[i + 1:i + 65], np.uint8).astype(np.int32)
                    i += 65
                natural = np.zeros(64, np.int32)
                natural[_ZIGZAG] = q
                quant[tid] = natural
        elif marker == 0xC4:
            i = 0
            while i < len(seg):
                tc, th = seg[i] >> 4, seg[i] & 15
                counts = list(seg[i + 1:i + 17])
                n = sum(counts)
                symbols = list(seg[i + 17:i + 17 + n])
                (ac_tables if tc else dc_tables)[th] = _huffman_spec(counts, symbols)
                i += 17 + n
        elif marker in (0xC0, 0xC1, 0xC2):
            progressive = marker == 0xC2
            precision, height, width, ncomp = struct.unpack(">BHHB", seg[:6])
            if precision != 8:
                raise JpegUnsupported(f"{precision}-bit JPEG samples")
            comps = []
            for k in range(ncomp):
                c = _Component()
                c.cid, hv, c.tq = seg[6 + 3 * k], seg[7 + 3 * k], seg[8 + 3 * k]
                c.h, c.v = hv >> 4, hv & 15
                comps.append(c)
            frame = (height, width, comps)
        elif 0xC2 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            kind = "arithmetic-coded" if marker >= 0xC9 else "lossless or hierarchical"
            raise JpegUnsupported(f"{kind} JPEG files (SOF{marker - 0xC0})")
        elif marker == 0xDD:
            restart = struct.unpack(">H", seg[:2])[0]
        elif marker == 0xEE and seg[:5] == b"Adobe" and len(seg) >= 12:
            adobe = seg[11]
        elif marker == 0xDA:
            if frame is None:
                raise JpegError("Scan before the frame header")
            ns = seg[0]
            by_id = {c.cid: c for c in frame[2]}
            members = []
            for k in range(ns):
                c = by_id.get(seg[1 + 2 * k])
                if c is None:
                    raise JpegError("Scan names a component the frame lacks")
                members.append((c, seg[2 + 2 * k] >> 4, seg[2 + 2 * k] & 15))
            end = pos                # the scan's data runs to the next marker but RSTn
            while True:
                end = data.find(b"\xff", end)
                if end < 0 or end + 1 >= len(data):
                    end = len(data)
                    break
                follower = data[end + 1]
                if follower != 0 and not 0xD0 <= follower <= 0xD7:
                    break
                end += 2
            spectral = (seg[1 + 2 * ns], seg[2 + 2 * ns], seg[3 + 2 * ns] >> 4,
                        seg[3 + 2 * ns] & 15)            # Ss, Se, Ah, Al
            scans.append((members, data[pos:end], dict(dc_tables), dict(ac_tables),
                          spectral))
            pos = end
    if frame is None:
        raise JpegError("JPEG file has no frame header")
    if scans and not ended and not recover:   # as TensorFlow: an error, not a warning
        raise JpegError("Premature end of JPEG file")
    return frame, quant, scans, restart, adobe, progressive


# -- entropy decoding ------------------------------------------------------------------------

def _segments(entropy: bytes):
    """The entropy-coded data between restart markers, with stuffed zero bytes removed."""
    out, current, i, n = [], bytearray(), 0, len(entropy)
    while i < n:
        b = entropy[i]
        if b == 0xFF and i + 1 < n:
            nxt = entropy[i + 1]
            if nxt == 0:
                current.append(0xFF)
                i += 2
                continue
            if 0xD0 <= nxt <= 0xD7:
                out.append(bytes(current))
                current = bytearray()
                i += 2
                continue
        current.append(b)
        i += 1
    out.append(bytes(current))
    return out


class _Interval:
    """What restarts with every restart interval: the DC predictions and the EOB run."""

    __slots__ = ("pred", "eobrun")

    def __init__(self, n):
        self.pred = [0] * n
        self.eobrun = 0


def _scan_blocks(entropy, rows, units_w, units_h, restart, recover):
    """Every block of a scan in coding order, as (bits, interval, component, offset of its
    coefficients, DC table, AC table): units (MCUs, or blocks when h = v = 1) split into
    restart intervals; once a read has gone past the data the rest is skipped (``recover``)
    or the scan raises."""
    total = units_w * units_h
    per_segment = restart if restart else total
    unit = 0
    for seg in _segments(entropy):
        if unit >= total:
            break
        bits = _Bits(seg)
        interval = _Interval(len(rows))
        stop = min(total, unit + per_segment)
        while unit < stop:
            if bits.insufficient:        # the data ran out: leave the rest as it is
                if not recover:
                    raise JpegError("Premature end of JPEG data")
                unit = stop
                break
            uy, ux = divmod(unit, units_w)
            for c, (h, v, stride, offset, td, ta) in enumerate(rows):
                for y in range(v):
                    for x in range(h):
                        yield (bits, interval, c,
                               offset + 64 * ((uy * v + y) * stride + ux * h + x), td, ta)
            unit += 1
        if bits.insufficient and not recover:
            raise JpegError("Premature end of JPEG data")
    if unit < total and not recover:
        raise JpegError("Premature end of JPEG data")


class _Bits:
    """A bit reader over one restart interval's unstuffed data (zeros past its end)."""

    __slots__ = ("windows", "pos", "real")

    def __init__(self, seg: bytes):
        pad = b"\x00" * 4096        # zeros past the data (an MCU's worth), as libjpeg
        raw = np.frombuffer(seg + pad, np.uint8).astype(np.int64)
        self.windows = ((raw[:-3] << 24) | (raw[1:-2] << 16) | (raw[2:-1] << 8)
                        | raw[3:]).tolist()
        self.pos = 0
        self.real = len(seg) * 8

    @property
    def insufficient(self) -> bool:
        """A read went past the data (libjpeg's insufficient_data)."""
        return self.pos > self.real

    def huffman(self, lut):
        pos = self.pos
        entry = lut[(self.windows[pos >> 3] >> (16 - (pos & 7))) & 0xFFFF]
        if not entry >> 8:
            raise JpegError("Corrupt JPEG data: bad Huffman code")
        self.pos = pos + (entry >> 8)
        return entry & 0xFF

    def bits(self, n):
        if not n:
            return 0
        pos = self.pos
        v = (self.windows[pos >> 3] >> (32 - n - (pos & 7))) & ((1 << n) - 1)
        self.pos = pos + n
        return v

    def signed(self, n):
        v = self.bits(n)
        return v - (1 << n) + 1 if n and v < 1 << (n - 1) else v


def jpeg_scan_reference(entropy, luts, comps, coefs, units_w, units_h, restart, ss=0, se=63,
                        ah=0, al=0, recover=False):
    """Huffman-decode one scan into ``coefs`` (int32, all components' blocks of 64
    natural-order coefficients): ``luts`` uint8 [tables, 272] of ``_huffman_spec``s,
    ``comps`` int64 [members, 6] of (h, v, row stride in blocks, offset of the component's
    blocks in coefs, DC table, AC table), ``units_w`` x ``units_h`` units (MCUs, or single
    blocks when h = v = 1), restart markers every ``restart`` units (0: none).

    A sequential scan is band 0..63 at bit 0: each block's DC difference, then its AC
    coefficients. A progressive one (libjpeg's jdphuff.c) is a DC first/refinement scan
    (``ss = se = 0``, which may interleave components) or an AC first/refinement scan over
    one component's band ``ss``..``se`` at bit ``al`` (``ah`` the previous one), with
    end-of-band runs. Data that runs out raises, or with ``recover`` leaves the remaining
    units untouched as libjpeg does. The C version in _speedups.c does the same."""
    tables = [_huffman_lut(t).tolist() for t in np.asarray(luts, np.uint8).reshape(-1, 272)]
    rows = np.asarray(comps, np.int64).reshape(-1, 6).tolist()
    zigzag = _ZIGZAG.tolist()
    p1, m1 = 1 << al, -1 << al
    for bits, interval, c, base, td, ta in _scan_blocks(entropy, rows, units_w, units_h,
                                                        restart, recover):
        if ss == 0:                                               # DC
            if ah == 0:
                interval.pred[c] += bits.signed(bits.huffman(tables[td]))
                coefs[base] = interval.pred[c] << al
            elif bits.bits(1):
                coefs[base] |= p1
            if se == 0:
                continue
        lut = tables[ta]
        if ah == 0:                                               # AC first pass
            if interval.eobrun:
                interval.eobrun -= 1
                continue
            k = max(ss, 1)
            while k <= se:
                rs = bits.huffman(lut)
                r, size = rs >> 4, rs & 15
                if size:
                    k += r
                    if k > 63:
                        raise JpegError("Corrupt JPEG data: coefficient past 63")
                    coefs[base + zigzag[k]] = bits.signed(size) << al
                    k += 1
                elif r == 15:
                    k += 16
                else:
                    interval.eobrun = (1 << r) - 1 + bits.bits(r)
                    break
            continue
        k = ss                                                    # AC refinement
        if not interval.eobrun:
            while k <= se:
                rs = bits.huffman(lut)
                r, size = rs >> 4, rs & 15
                if size:
                    size = p1 if bits.bits(1) else m1
                elif r != 15:
                    interval.eobrun = (1 << r) + bits.bits(r)
                    break
                while k <= se:
                    z = base + zigzag[k]
                    if coefs[z]:
                        if bits.bits(1) and not coefs[z] & p1:
                            coefs[z] += p1 if coefs[z] >= 0 else m1
                    else:
                        if r == 0:
                            break
                        r -= 1
                    k += 1
                if size and k <= se:
                    coefs[base + zigzag[k]] = size
                k += 1
        if interval.eobrun:
            while k <= se:
                z = base + zigzag[k]
                if coefs[z] and bits.bits(1) and not coefs[z] & p1:
                    coefs[z] += p1 if coefs[z] >= 0 else m1
                k += 1
            interval.eobrun -= 1


_scan = speedups.fast(jpeg_scan_reference)


# -- the inverse DCTs ------------------------------------------------------------------------

def _range_limit():
    """libjpeg's IDCT output table, indexed by the (value & 1023)."""
    m = np.arange(1024)
    return np.where(m < 128, m + 128, np.where(m < 512, 255, np.where(m < 896, 0, m - 896))
                    ).astype(np.uint8)


_LIMIT = _range_limit()


def _aan_scales():
    f = np.array([1.0] + [math.sqrt(2) * math.cos(k * math.pi / 16) for k in range(1, 8)])
    return np.round(np.outer(f, f) * (1 << 14)).astype(np.int64).reshape(64)


_AAN = _aan_scales()


def _idct_islow(coef, quant):
    """libjpeg's jpeg_idct_islow over blocks [n, 64] (natural order) -> [n, 8, 8] uint8."""
    x = coef.astype(np.int64) * quant.astype(np.int64)
    x = x.reshape(-1, 8, 8)

    def one_d(d, const_shift, out_shift, rounding):
        z2, z3 = d[..., 2], d[..., 6]
        z1 = (z2 + z3) * 4433
        tmp2 = z1 + z3 * -15137
        tmp3 = z1 + z2 * 6270
        tmp0 = (d[..., 0] + d[..., 4]) << const_shift
        tmp1 = (d[..., 0] - d[..., 4]) << const_shift
        t10, t13, t11, t12 = tmp0 + tmp3, tmp0 - tmp3, tmp1 + tmp2, tmp1 - tmp2
        a0, a1, a2, a3 = d[..., 7], d[..., 5], d[..., 3], d[..., 1]
        z1, z2, z3, z4 = a0 + a3, a1 + a2, a0 + a2, a1 + a3
        z5 = (z3 + z4) * 9633
        a0, a1, a2, a3 = a0 * 2446, a1 * 16819, a2 * 25172, a3 * 12299
        z1, z2, z3, z4 = z1 * -7373, z2 * -20995, z3 * -16069 + z5, z4 * -3196 + z5
        a0 = a0 + z1 + z3
        a1 = a1 + z2 + z4
        a2 = a2 + z2 + z3
        a3 = a3 + z1 + z4
        outs = [t10 + a3, t11 + a2, t12 + a1, t13 + a0, t13 - a0, t12 - a1, t11 - a2, t10 - a3]
        return np.stack([(o + rounding) >> out_shift for o in outs], -1)

    # pass 1: columns (CONST_BITS 13, PASS1_BITS 2)
    ws = one_d(np.swapaxes(x, 1, 2), 13, 11, 1 << 10)       # [n, col, row]
    ws = np.swapaxes(ws, 1, 2)                             # [n, row, col]
    out = one_d(ws, 13, 18, 1 << 17)
    return _LIMIT[out & 1023]


def _idct_ifast(coef, quant, scaled=False):
    """libjpeg's jpeg_idct_ifast (AAN, 8-bit constants, truncating shifts); ``scaled``:
    ``quant`` is already the AAN-scaled multiplier table."""
    table = quant.astype(np.int64) if scaled else \
        (quant.astype(np.int64) * _AAN + (1 << 11)) >> 12
    x = (coef.astype(np.int64) * table).reshape(-1, 8, 8)

    def mul(v, c):
        return (v * c) >> 8

    def one_d(d):
        t10, t11 = d[..., 0] + d[..., 4], d[..., 0] - d[..., 4]
        t13 = d[..., 2] + d[..., 6]
        t12 = mul(d[..., 2] - d[..., 6], 362) - t13
        t0, t3, t1, t2 = t10 + t13, t10 - t13, t11 + t12, t11 - t12
        z13, z10 = d[..., 5] + d[..., 3], d[..., 5] - d[..., 3]
        z11, z12 = d[..., 1] + d[..., 7], d[..., 1] - d[..., 7]
        t7 = z11 + z13
        t11 = mul(z11 - z13, 362)
        z5 = mul(z10 + z12, 473)
        t10 = mul(z12, 277) - z5
        t12 = mul(z10, -669) + z5
        t6 = t12 - t7
        t5 = t11 - t6
        t4 = t10 + t5
        return np.stack([t0 + t7, t1 + t6, t2 + t5, t3 - t4, t3 + t4, t2 - t5, t1 - t6,
                         t0 - t7], -1)

    ws = np.swapaxes(one_d(np.swapaxes(x, 1, 2)), 1, 2)
    out = one_d(ws) >> 5
    return _LIMIT[out & 1023]


def jpeg_idct_reference(coefs, multipliers, fast):
    """libjpeg's inverse DCT of int32 coefficient blocks (natural order) times the 64
    ``multipliers`` (the quantisation table, pre-scaled by the AAN factors for ``fast``),
    as uint8 bytes: the definition of _speedups.jpeg_idct."""
    blocks = np.frombuffer(coefs, np.int32).reshape(-1, 64)
    m = np.asarray(multipliers, np.int64)
    if fast:
        return _idct_ifast(blocks, m, scaled=True).tobytes()
    return _idct_islow(blocks, m).tobytes()


_idct = speedups.fast(jpeg_idct_reference)


# -- upsampling and colour ---------------------------------------------------------------------

def _h2v1_fancy(p, width):
    p = p[:, :width].astype(np.int32)
    out = np.empty((p.shape[0], 2 * width), np.int32)
    left = np.concatenate([p[:, :1], p[:, :-1]], 1)
    right = np.concatenate([p[:, 1:], p[:, -1:]], 1)
    out[:, 0::2] = (3 * p + left + 1) >> 2
    out[:, 1::2] = (3 * p + right + 2) >> 2
    out[:, 0] = p[:, 0]
    out[:, -1] = p[:, -1]
    return out


def _h2v2_fancy(p, width, height):
    p = p[:height, :width].astype(np.int32)
    above = np.concatenate([p[:1], p[:-1]], 0)
    below = np.concatenate([p[1:], p[-1:]], 0)
    rows = np.empty((2 * height, width), np.int32)
    rows[0::2] = 3 * p + above
    rows[1::2] = 3 * p + below
    left = np.concatenate([rows[:, :1], rows[:, :-1]], 1)
    right = np.concatenate([rows[:, 1:], rows[:, -1:]], 1)
    out = np.empty((2 * height, 2 * width), np.int32)
    out[:, 0::2] = (3 * rows + left + 8) >> 4
    out[:, 1::2] = (3 * rows + right + 7) >> 4
    out[:, 0] = (4 * rows[:, 0] + 8) >> 4
    out[:, -1] = (4 * rows[:, -1] + 7) >> 4
    return out


def _fixed(x):
    return int(x * (1 << 16) + 0.5)


def _ycc_tables():
    """libjpeg's jdcolor.c tables: R = Y + Cr_r[Cr], G = Y + ((Cb_g[Cb] + Cr_g[Cr]) >> 16),
    B = Y + Cb_b[Cb] (16-bit fixed point, the rounding folded into Cb_g)."""
    x = np.arange(256, dtype=np.int64) - 128
    return ((_fixed(1.40200) * x + (1 << 15)) >> 16).astype(np.int32), \
        (-_fixed(0.71414) * x).astype(np.int32), \
        (-_fixed(0.34414) * x + (1 << 15)).astype(np.int32), \
        ((_fixed(1.77200) * x + (1 << 15)) >> 16).astype(np.int32)


_CR_R, _CR_G, _CB_G, _CB_B = _ycc_tables()


def _ycc_to_rgb(y, cb, cr):
    y = y.astype(np.int32)
    cb = cb.astype(np.intp)
    cr = cr.astype(np.intp)
    out = np.empty(y.shape + (3,), np.uint8)
    for i, v in enumerate((y + _CR_R[cr], y + ((_CB_G[cb] + _CR_G[cr]) >> 16),
                           y + _CB_B[cb])):
        np.clip(v, 0, 255, out=v)
        out[..., i] = v
    return out


def jpeg_upsample_reference(plane, stride, width, height, vertical):
    """libjpeg's fancy upsampling of the top-left ``height`` x ``width`` samples of a
    uint8 plane (rows ``stride`` bytes apart): 2x1, or with ``vertical`` 2x2, as uint8
    bytes [height (x 2), 2 x width]. The definition of _speedups.jpeg_upsample."""
    if width < 1 or height < 1 or stride < width or memoryview(plane).nbytes < stride * height:
        raise ValueError("jpeg_upsample: the plane is smaller than asked")
    p = np.frombuffer(plane, np.uint8)[:stride * height].reshape(height, stride)
    out = _h2v2_fancy(p, width, height) if vertical else _h2v1_fancy(p, width)
    return out.astype(np.uint8).tobytes()


def jpeg_ycc_to_rgb_reference(y, cb, cr):
    """Y, Cb and Cr planes (uint8 bytes of one size) to interleaved RGB bytes, as
    jdcolor.c. The definition of _speedups.jpeg_ycc_to_rgb."""
    if not memoryview(y).nbytes == memoryview(cb).nbytes == memoryview(cr).nbytes:
        raise ValueError("jpeg_ycc_to_rgb: planes of different sizes")
    return _ycc_to_rgb(*(np.frombuffer(v, np.uint8) for v in (y, cb, cr))).tobytes()


_upsample = speedups.fast(jpeg_upsample_reference)
_ycc_to_rgb_bytes = speedups.fast(jpeg_ycc_to_rgb_reference)


# -- the whole decode ------------------------------------------------------------------------

def decode(data: bytes, channels: int = 0, fancy_upscaling: bool = True,
           fast_idct: bool = True, recover: bool = False) -> np.ndarray:
    """The pixels ``[height, width, channels]`` uint8, as TensorFlow's decode_jpeg;
    ``recover`` decodes a file cut short as libjpeg does (what is missing stays gray, or
    keeps the earlier scans' coefficients), TensorFlow's try_recover_truncated."""
    (height, width, comps), quant, scans, restart, adobe, progressive = _parse(data, recover)
    if len(comps) not in (1, 3):
        raise JpegUnsupported(f"JPEG files with {len(comps)} components (CMYK)")
    if not scans:
        raise JpegError("JPEG file has no image data")
    hmax = max(c.h for c in comps)
    vmax = max(c.v for c in comps)
    mcux = -(-width // (8 * hmax))
    mcuy = -(-height // (8 * vmax))
    sizes = []
    for c in comps:
        if len(comps) == 1:
            c.bw, c.bh = -(-width // 8), -(-height // 8)
            shape = (c.bh, c.bw)
        else:
            c.bw = -(-width * c.h // (8 * hmax))
            c.bh = -(-height * c.v // (8 * vmax))
            shape = (mcuy * c.v, mcux * c.h)
        sizes.append(shape)
    coefs = np.zeros(sum(a * b for a, b in sizes) * 64, np.int32)   # every block, flat
    offset = 0
    for c, (rows, cols) in zip(comps, sizes):
        c.offset = offset
        c.blocks = coefs[offset:offset + rows * cols * 64].reshape(rows, cols, 64)
        offset += rows * cols * 64
    for selectors, entropy, dc_tables, ac_tables, spectral in scans:
        members = []
        for c, td, ta in selectors:       # each scan names its own tables
            c.td, c.ta = td, ta
            members.append(c)
        ss, se, ah, al = spectral
        if progressive and (ss == 0 and se != 0 or ss > se or se > 63 or al > 13 or
                            (ss > 0 and len(members) != 1)):
            raise JpegError("Invalid progressive parameters")
        dc_needed = not progressive or (ss == 0 and ah == 0)
        ac_needed = not progressive or ss > 0
        for c in members:
            if dc_needed and c.td not in dc_tables or ac_needed and c.ta not in ac_tables:
                raise JpegError("Huffman table missing")
        empty = np.zeros(272, np.uint8)
        luts = np.stack([dc_tables.get(c.td, empty) for c in members]
                        + [ac_tables.get(c.ta, empty) for c in members])
        n = len(members)
        single = n == 1
        layout = np.array([[1 if single else c.h, 1 if single else c.v, c.blocks.shape[1],
                            c.offset, i, n + i] for i, c in enumerate(members)], np.int64)
        units = (members[0].bw, members[0].bh) if single else (mcux, mcuy)
        try:
            if not progressive:          # sequential: band 0..63 at bit 0
                ss, se, ah, al = 0, 63, 0, 0
            _scan(entropy, luts, layout, coefs, units[0], units[1], restart, ss, se, ah, al,
                  recover)
        except ValueError as e:
            raise JpegError(str(e)) from None
    def idct(blocks, quant):
        multipliers = ((quant.astype(np.int64) * _AAN + (1 << 11)) >> 12) if fast_idct \
            else quant.astype(np.int64)
        out = _idct(np.ascontiguousarray(blocks, np.int32), multipliers, fast_idct)
        return np.frombuffer(out, np.uint8).reshape(-1, 8, 8)
    want_gray = channels == 1 or (channels == 0 and len(comps) == 1)
    planes = []
    for i, c in enumerate(comps):
        if want_gray and i > 0:
            break
        if c.tq not in quant:
            raise JpegError("Quantization table missing")
        rows, cols = c.blocks.shape[:2]
        pixels = idct(c.blocks.reshape(-1, 64), quant[c.tq]).reshape(rows, cols, 8, 8)
        plane = pixels.transpose(0, 2, 1, 3).reshape(rows * 8, cols * 8)
        if len(comps) == 1 or (c.h == hmax and c.v == vmax) or want_gray:
            planes.append(plane)
            continue
        w = -(-width * c.h // hmax)
        h = -(-height * c.v // vmax)
        fancy = fancy_upscaling and w > 2 and hmax == 2 * c.h
        if fancy and vmax in (c.v, 2 * c.v):
            vertical = vmax == 2 * c.v
            planes.append(np.frombuffer(_upsample(plane, plane.shape[1], w, h, vertical),
                                        np.uint8).reshape(h * (1 + vertical), 2 * w))
        elif hmax % c.h == 0 and vmax % c.v == 0:
            planes.append(np.repeat(np.repeat(plane, vmax // c.v, 0), hmax // c.h, 1))
        else:
            raise JpegUnsupported("fractional sampling factors")
    planes = [p[:height, :width] for p in planes]
    if want_gray:
        image = planes[0].astype(np.uint8)[..., None]
        if len(comps) == 3 and adobe == 0:
            raise JpegUnsupported("grayscale output of an RGB JPEG")
        return image
    if len(comps) == 1:
        gray = planes[0].astype(np.uint8)
        return np.stack([gray] * 3, -1)
    if adobe == 0:   # stored as RGB
        return np.stack([p.astype(np.uint8) for p in planes], -1)
    rgb = _ycc_to_rgb_bytes(*(np.ascontiguousarray(p, np.uint8) for p in planes))
    return np.frombuffer(rgb, np.uint8).reshape(height, width, 3)      # (read-only)


# -- encoding ----------------------------------------------------------------------------------
# Baseline encoding as TensorFlow's encode_jpeg (libjpeg-turbo, JDCT_ISLOW, the standard
# Huffman tables): RGB to YCbCr by jccolor.c's tables, 2x2 chroma averaging with alternating
# rounding (jcsample.c), edges replicated and MCU padding made of "dummy" blocks repeating
# the previous DC (jccoefct.c), the accurate integer forward DCT (jfdctint.c) and rounding
# quantisation by 8 x the table (jcdctmgr.c).

# JPEG standard, Annex K.1: the example quantisation tables (natural order), scaled by quality
_LUMA_QUANT = np.array([
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99], np.int64)
_CHROMA_QUANT = np.full(64, 99, np.int64)
_CHROMA_QUANT[[0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 24, 25]] = \
    [17, 18, 24, 47, 18, 21, 26, 66, 24, 26, 56, 47, 66]

# JPEG standard, Annex K.3: the example Huffman tables, as DHT payloads (class/id, 16 counts,
# symbols) - luminance DC, luminance AC, chrominance DC, chrominance AC
_STD_HUFFMAN = [bytes.fromhex(h) for h in (
    "00" "00010501010101010100000000000000" "000102030405060708090a0b",
    "10" "0002010303020403050504040000017d"
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a1617"
    "18191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a73"
    "7475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9"
    "bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa",
    "01" "00030101010101010101010000000000" "000102030405060708090a0b",
    "11" "00020102040403040705040400010277"
    "000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e1"
    "25f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a"
    "737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7"
    "b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa")]


def _encoder_table(payload: bytes):
    """symbol -> (code, length) for a DHT payload."""
    counts, symbols = payload[1:17], payload[17:]
    table, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(counts[length - 1]):
            table[symbols[k]] = (code, length)
            k += 1
            code += 1
        code <<= 1
    return table


def _optimal_table(freq):
    """A DHT payload's counts and symbols for symbol frequencies ``freq`` [256]: libjpeg's
    jpeg_gen_optimal_table (JPEG standard Annex K.2: Huffman code lengths, limited to 16
    bits, with a reserved all-ones code)."""
    freq = list(freq) + [1]                   # pseudo-symbol 256 keeps all-ones unused
    codesize, others = [0] * 257, [-1] * 257
    while True:
        c1 = c2 = -1
        v = 1 << 62
        for i in range(257):
            if freq[i] and freq[i] <= v:
                v, c1 = freq[i], i
        v = 1 << 62
        for i in range(257):
            if freq[i] and freq[i] <= v and i != c1:
                v, c2 = freq[i], i
        if c2 < 0:
            break
        freq[c1] += freq[c2]
        freq[c2] = 0
        codesize[c1] += 1
        while others[c1] >= 0:
            c1 = others[c1]
            codesize[c1] += 1
        others[c1] = c2
        codesize[c2] += 1
        while others[c2] >= 0:
            c2 = others[c2]
            codesize[c2] += 1
    bits = [0] * 33
    for size in codesize:
        if size:
            bits[size] += 1
    for i in range(32, 16, -1):
        while bits[i] > 0:
            j = i - 2
            while bits[j] == 0:
                j -= 1
            bits[i] -= 2
            bits[i - 1] += 1
            bits[j + 1] += 2
            bits[j] -= 1
    i = 16
    while bits[i] == 0:
        i -= 1
    bits[i] -= 1
    symbols = [j for size in range(1, 33) for j in range(256) if codesize[j] == size]
    return bytes(bits[1:17]) + bytes(symbols)


def _quality_table(base, quality):
    quality = min(max(int(quality), 1), 100)
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return np.clip((base * scale + 50) // 100, 1, 255)


def _rgb_to_ycc(image):
    fix = _fixed
    i = np.arange(256, dtype=np.int64)
    half = 1 << 15
    r, g, b = (image[..., k].astype(np.intp) for k in range(3))
    y = (fix(0.29900) * i)[r] + (fix(0.58700) * i)[g] + (fix(0.11400) * i + half)[b]
    b_cb = fix(0.5) * i + (128 << 16) + half - 1      # also R's share of Cr
    cb = (-fix(0.16874) * i)[r] + (-fix(0.33126) * i)[g] + b_cb[b]
    cr = b_cb[r] + (-fix(0.41869) * i)[g] + (-fix(0.08131) * i)[b]
    return [(v >> 16).astype(np.int64) for v in (y, cb, cr)]


def _fdct_islow(blocks):
    """jfdctint.c's forward DCT over [n, 8, 8] level-shifted samples (output 8x scaled)."""
    def one_d(d, final):
        t0, t7 = d[..., 0] + d[..., 7], d[..., 0] - d[..., 7]
        t1, t6 = d[..., 1] + d[..., 6], d[..., 1] - d[..., 6]
        t2, t5 = d[..., 2] + d[..., 5], d[..., 2] - d[..., 5]
        t3, t4 = d[..., 3] + d[..., 4], d[..., 3] - d[..., 4]
        t10, t13, t11, t12 = t0 + t3, t0 - t3, t1 + t2, t1 - t2
        shift = 15 if final else 11                       # CONST_BITS +/- PASS1_BITS
        round_ = 1 << (shift - 1)
        if final:
            out0 = (t10 + t11 + 2) >> 2
            out4 = (t10 - t11 + 2) >> 2
        else:
            out0, out4 = (t10 + t11) << 2, (t10 - t11) << 2
        z1 = (t12 + t13) * 4433
        out2 = (z1 + t13 * 6270 + round_) >> shift
        out6 = (z1 + t12 * -15137 + round_) >> shift
        z1, z2, z3, z4 = t4 + t7, t5 + t6, t4 + t6, t5 + t7
        z5 = (z3 + z4) * 9633
        t4, t5, t6, t7 = t4 * 2446, t5 * 16819, t6 * 25172, t7 * 12299
        z1, z2, z3, z4 = z1 * -7373, z2 * -20995, z3 * -16069 + z5, z4 * -3196 + z5
        out7 = (t4 + z1 + z3 + round_) >> shift
        out5 = (t5 + z2 + z4 + round_) >> shift
        out3 = (t6 + z2 + z3 + round_) >> shift
        out1 = (t7 + z1 + z4 + round_) >> shift
        return np.stack([out0, out1, out2, out3, out4, out5, out6, out7], -1)

    rows = one_d(blocks.astype(np.int64), False)                      # along each row
    return np.swapaxes(one_d(np.swapaxes(rows, 1, 2), True), 1, 2)  # then each column


def jpeg_rgb_to_ycc_reference(pixels):
    """Interleaved RGB bytes to the Y, Cb and Cr planes, one after the other, as
    jccolor.c. The definition of _speedups.jpeg_rgb_to_ycc."""
    flat = np.frombuffer(pixels, np.uint8)
    image = flat[:flat.size // 3 * 3].reshape(-1, 3)
    return b"".join(v.astype(np.uint8).tobytes() for v in _rgb_to_ycc(image))


def jpeg_forward_dct_reference(samples, table):
    """uint8 blocks of 64 samples: jfdctint.c's DCT of the level-shifted samples, quantised
    by 8 x ``table`` (64 int64, natural order) with rounding, as int32 bytes. The
    definition of _speedups.jpeg_forward_dct."""
    if memoryview(table).nbytes != 64 * 8 or memoryview(samples).nbytes % 64:
        raise ValueError("jpeg_forward_dct needs whole blocks, 64 divisors")
    blocks = np.frombuffer(samples, np.uint8).reshape(-1, 8, 8).astype(np.int64) - 128
    coefs = _quantize(_fdct_islow(blocks).reshape(-1, 64), np.frombuffer(table, np.int64))
    return coefs.astype(np.int32).tobytes()


_rgb_to_ycc_planes = speedups.fast(jpeg_rgb_to_ycc_reference)
_forward_dct = speedups.fast(jpeg_forward_dct_reference)


def _component_blocks(plane, rows, cols):
    """A component's samples padded by edge replication to rows x cols whole blocks, as
    [rows * cols, 8, 8] blocks in raster order."""
    h, w = plane.shape
    padded = np.pad(plane, ((0, rows * 8 - h), (0, cols * 8 - w)), mode="edge") \
        if rows * 8 > h or cols * 8 > w else plane[:rows * 8, :cols * 8]
    return padded.reshape(rows, 8, cols, 8).swapaxes(1, 2).reshape(-1, 8, 8)


def _quantize(coefs, table):
    d = table.astype(np.int64) << 3
    q = (np.abs(coefs) + (d >> 1)) // d
    return np.where(coefs < 0, -q, q)


class _BitWriter:
    __slots__ = ("out", "acc", "n")

    def __init__(self):
        self.out, self.acc, self.n = bytearray(), 0, 0

    def put(self, code, length):
        self.acc = (self.acc << length) | code
        self.n += length
        while self.n >= 8:
            self.n -= 8
            byte = (self.acc >> self.n) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)
        self.acc &= (1 << self.n) - 1

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)     # pad with one bits


def _magnitude(v):
    """(size category, bits) of a coefficient or DC difference."""
    a = -v if v < 0 else v
    s = a.bit_length()
    return s, (v if v >= 0 else v + (1 << s) - 1)


def _segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def encode(image: np.ndarray, quality: int = 95, chroma_downsampling: bool = True,
           density_unit: int = 1, x_density: int = 300, y_density: int = 300,
           xmp: bytes = b"", optimize: bool = False, progressive: bool = False) -> bytes:
    """A baseline JPEG of ``image`` uint8 [height, width, 1 or 3], as TensorFlow's
    encode_jpeg (libjpeg-turbo) writes it."""
    height, width, channels = image.shape
    color = channels == 3
    if color:
        planes = list(np.frombuffer(_rgb_to_ycc_planes(np.ascontiguousarray(image, np.uint8)),
                                    np.uint8).reshape(3, height, width))
        factors = [(2, 2), (1, 1), (1, 1)] if chroma_downsampling else [(1, 1)] * 3
    else:
        planes, factors = [image[..., 0].astype(np.uint8)], [(1, 1)]
    hmax = max(h for h, _ in factors)
    vmax = max(v for _, v in factors)
    mcux, mcuy = -(-width // (8 * hmax)), -(-height // (8 * vmax))
    tables = [_quality_table(_LUMA_QUANT, quality), _quality_table(_CHROMA_QUANT, quality)]
    comps = []
    for k, (plane, (h, v)) in enumerate(zip(planes, factors)):
        if h != hmax or v != vmax:          # 2x2 averaging, bias 1, 2, 1, 2 ... per row
            cols = -(-(-(-width * h // hmax)) // 8)
            src = np.pad(plane.astype(np.int32), ((0, height % 2), (0, cols * 16 - width)),
                         mode="edge")
            s = src[0::2, 0::2] + src[0::2, 1::2] + src[1::2, 0::2] + src[1::2, 1::2]
            bias = np.tile(np.array([1, 2], np.int32), s.shape[1] // 2 + 1)[:s.shape[1]]
            plane = ((s + bias) >> 2).astype(np.uint8)
        comp_w, comp_h = -(-width * h // hmax), -(-height * v // vmax)
        bw, bh = -(-comp_w // 8), -(-comp_h // 8)
        # (a downsampled plane already spans whole blocks across: its columns past the
        # image were averaged from replicated pixels, with their own rounding biases)
        blocks = np.ascontiguousarray(_component_blocks(plane, bh, bw), np.uint8)
        table = np.ascontiguousarray(tables[0 if k == 0 else 1], np.int64)
        q = np.frombuffer(_forward_dct(blocks, table), np.int32)
        comps.append((h, v, bw, bh, q.reshape(bh, bw, 64), 0 if k == 0 else 1))
    single = len(comps) == 1
    if progressive:
        return _file(image.shape, comps, tables, [], encode_progressive(
            comps, mcux, mcuy, color), color, density_unit, x_density, y_density, xmp,
            progressive=True)
    payloads = list(_STD_HUFFMAN[:4 if color else 2])
    blocks, comp_ids = _scan_order(comps, mcux, mcuy, single)
    table_ids = np.array([t for *_, t in comps], np.int32)
    n_tables = len(payloads)
    empty = np.zeros((n_tables, 256), np.int32)
    if optimize:           # a first pass counts the symbols, as libjpeg's optimize_coding
        counts = np.frombuffer(_encode_scan(blocks.tobytes(), comp_ids.tobytes(),
                                            table_ids.tobytes(), empty.tobytes(),
                                            empty.tobytes(), True), np.int64)
        payloads = [bytes([(k % 2) << 4 | k // 2]) + _optimal_table(c.tolist())
                    for k, c in enumerate(counts.reshape(n_tables, 256))]
    codes, lengths = empty.copy(), empty.copy()
    for k, payload in enumerate(payloads):
        for symbol, (code, length) in _encoder_table(payload).items():
            codes[k, symbol], lengths[k, symbol] = code, length
    entropy = _encode_scan(blocks.tobytes(), comp_ids.tobytes(), table_ids.tobytes(),
                           codes.tobytes(), lengths.tobytes(), False)
    return _file(image.shape, comps, tables, payloads, entropy, color, density_unit,
                 x_density, y_density, xmp)


def _scan_order(comps, mcux, mcuy, single):
    """The scan's blocks in coding order, [n, 64] int32, and each one's component: MCU by
    MCU, component by component, the h x v blocks of each. Blocks padding MCUs past the
    image are jccoefct.c's dummies: no AC, the DC of the last real block to their left, and
    below the image the DC of the MCU's last block in the row above."""
    if single:
        q = comps[0][4]
        return q.reshape(-1, 64).astype(np.int32), np.zeros(q.shape[0] * q.shape[1], np.int32)
    parts, ids = [], []
    for c, (h, v, bw, bh, q, _) in enumerate(comps):
        padded = np.zeros((mcuy * v, mcux * h, 64), np.int32)
        padded[:bh, :bw] = q
        padded[:bh, bw:, 0] = q[:, bw - 1, 0][:, None]
        for r in range(bh, mcuy * v):
            last = padded[r - 1, h - 1::h, 0]           # each MCU's last block of row r - 1
            padded[r, :, 0] = np.repeat(last, h)
        parts.append(padded.reshape(mcuy, v, mcux, h, 64).transpose(0, 2, 1, 3, 4)
                     .reshape(mcuy, mcux, v * h, 64))
        ids.append(np.full(v * h, c, np.int32))
    blocks = np.concatenate(parts, axis=2).reshape(-1, 64)
    return np.ascontiguousarray(blocks), np.tile(np.concatenate(ids), mcux * mcuy)


def jpeg_encode_scan_reference(blocks, comp_ids, table_ids, codes, lengths, count):
    """Huffman-code a baseline scan: ``blocks`` int32 [n, 64] (natural order) in coding
    order, ``comp_ids`` their components, ``table_ids`` each component's table pair (DC
    2t, AC 2t + 1 in ``codes``/``lengths`` int32 [tables, 256]). With ``count``, the symbol
    frequencies as int64 [tables, 256] bytes; else the entropy-coded bytes (zero bytes
    stuffed after 0xFF, the last byte padded with ones). The definition of
    _speedups.jpeg_encode_scan."""
    blocks = np.frombuffer(blocks, np.int32).reshape(-1, 64).tolist()
    comp_ids = np.frombuffer(comp_ids, np.int32).tolist()
    table_ids = np.frombuffer(table_ids, np.int32).tolist()
    codes = np.frombuffer(codes, np.int32).reshape(-1, 256).tolist()
    lengths = np.frombuffer(lengths, np.int32).reshape(-1, 256).tolist()
    counts = [[0] * 256 for _ in codes]
    writer = _BitWriter()

    def put(table, symbol, size=0, extra=0):
        if count:
            counts[table][symbol] += 1
            return
        writer.put(codes[table][symbol], lengths[table][symbol])
        if size:
            writer.put(extra, size)

    zigzag = _ZIGZAG.tolist()
    preds = [0] * (max(comp_ids, default=0) + 1)
    for block, c in zip(blocks, comp_ids):
        dc_t = 2 * table_ids[c]
        ac_t = dc_t + 1
        s, bits = _magnitude(block[0] - preds[c])
        preds[c] = block[0]
        put(dc_t, s, s, bits)
        run = 0
        for k in range(1, 64):
            v = block[zigzag[k]]
            if not v:
                run += 1
                continue
            while run > 15:
                put(ac_t, 0xF0)
                run -= 16
            s, bits = _magnitude(v)
            put(ac_t, (run << 4) | s, s, bits)
            run = 0
        if run:
            put(ac_t, 0x00)
    if count:
        return np.array(counts, np.int64).tobytes()
    writer.flush()
    return bytes(writer.out)


_encode_scan = speedups.fast(jpeg_encode_scan_reference)


def _file(shape, comps, tables, payloads, entropy, color, density_unit, x_density,
          y_density, xmp, progressive=False):
    height, width = shape[:2]
    out = bytearray(b"\xff\xd8")
    out += _segment(0xE0, b"JFIF\x00\x01\x01" + struct.pack(">BHHBB", density_unit,
                                                             x_density, y_density, 0, 0))
    if xmp:
        out += _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp)
    for tid in range(2 if color else 1):
        out += _segment(0xDB, bytes([tid]) + bytes(tables[tid][_ZIGZAG].astype(np.uint8)))
    sof = struct.pack(">BHHB", 8, height, width, len(comps))
    for k, (h, v, *_rest) in enumerate(comps):
        sof += bytes([k + 1, (h << 4) | v, 0 if k == 0 else 1])
    out += _segment(0xC2 if progressive else 0xC0, sof)
    if progressive:              # the scans come with their own tables and headers
        return bytes(out + entropy + b"\xff\xd9")
    for payload in payloads:
        out += _segment(0xC4, payload)
    sos = bytes([len(comps)]) + b"".join(bytes([k + 1, 0x00 if k == 0 else 0x11])
                                         for k in range(len(comps))) + b"\x00\x3f\x00"
    out += _segment(0xDA, sos) + entropy + b"\xff\xd9"
    return bytes(out)


# -- progressive encoding ----------------------------------------------------------------------
# libjpeg's jpeg_simple_progression script and jcphuff.c's coding, each scan with Huffman
# tables optimized for it (libjpeg always optimizes progressive Huffman tables).

def _progression(color):
    """(components, Ss, Se, Ah, Al) for each scan, as jpeg_simple_progression."""
    if color:
        return [((0, 1, 2), 0, 0, 0, 1), ((0,), 1, 5, 0, 2), ((2,), 1, 63, 0, 1),
                ((1,), 1, 63, 0, 1), ((0,), 6, 63, 0, 2), ((0,), 1, 63, 2, 1),
                ((0, 1, 2), 0, 0, 1, 0), ((2,), 1, 63, 1, 0), ((1,), 1, 63, 1, 0),
                ((0,), 1, 63, 1, 0)]
    return [((0,), 0, 0, 0, 1), ((0,), 1, 5, 0, 2), ((0,), 6, 63, 0, 2),
            ((0,), 1, 63, 2, 1), ((0,), 0, 0, 1, 0), ((0,), 1, 63, 1, 0)]


class _ProgressiveCoder:
    """One scan's symbols and bits (jcphuff.c): counted when ``codes`` is None, else
    written; end-of-band runs and the refinement's buffered correction bits included."""

    def __init__(self, codes=None):
        self.codes = codes          # table -> {symbol: (code, length)}
        self.counts = {}
        self.writer = _BitWriter()
        self.eobrun = 0
        self.be = []                # correction bits waiting for the next EOB run

    def symbol(self, table, s):
        if self.codes is None:
            counts = self.counts.setdefault(table, [0] * 256)
            counts[s] += 1
        else:
            self.writer.put(*self.codes[table][s])

    def bits(self, value, n):
        if self.codes is not None and n:
            self.writer.put(value & ((1 << n) - 1), n)

    def buffered(self, bits):
        for b in bits:
            self.bits(b, 1)

    def emit_eobrun(self, table):
        if self.eobrun:
            n = self.eobrun.bit_length() - 1
            self.symbol(table, n << 4)
            self.bits(self.eobrun, n)
            self.eobrun = 0
            self.buffered(self.be)
            self.be = []


def _progressive_scan_data(order, ncomp_total, spectral, table_of_comp, codes):
    """Code one scan over ``order`` (blocks as lists, with their component)."""
    ss, se, ah, al = spectral
    coder = _ProgressiveCoder(codes)
    zigzag = _ZIGZAG.tolist()
    last_dc = [0] * ncomp_total
    table = None
    for block, c in order:
        if ss == 0:
            if ah == 0:                                        # DC first
                value = block[0] >> al
                s, bits = _magnitude(value - last_dc[c])
                last_dc[c] = value
                coder.symbol(2 * table_of_comp[c], s)
                coder.bits(bits, s)
            else:                                              # DC refinement
                coder.bits((block[0] >> al) & 1, 1)
            continue
        table = 2 * table_of_comp[c] + 1
        if ah == 0:                                            # AC first
            r = 0
            for k in range(ss, se + 1):
                v = block[zigzag[k]]
                a = (-v if v < 0 else v) >> al
                if a == 0:
                    r += 1
                    continue
                if coder.eobrun:
                    coder.emit_eobrun(table)
                while r > 15:
                    coder.symbol(table, 0xF0)
                    r -= 16
                n = a.bit_length()
                coder.symbol(table, (r << 4) + n)
                coder.bits(a if v >= 0 else ~a, n)
                r = 0
            if r:
                coder.eobrun += 1
                if coder.eobrun == 0x7FFF:
                    coder.emit_eobrun(table)
            continue
        absolute = [0] * 64                                    # AC refinement
        eob = 0
        for k in range(ss, se + 1):
            v = block[zigzag[k]]
            a = (-v if v < 0 else v) >> al
            absolute[k] = a
            if a == 1:
                eob = k
        r, br = 0, []
        for k in range(ss, se + 1):
            a = absolute[k]
            if a == 0:
                r += 1
                continue
            while r > 15 and k <= eob:
                coder.emit_eobrun(table)
                coder.symbol(table, 0xF0)
                r -= 16
                coder.buffered(br)
                br = []
            if a > 1:
                br.append(a & 1)
                continue
            coder.emit_eobrun(table)
            coder.symbol(table, (r << 4) + 1)
            coder.bits(0 if block[zigzag[k]] < 0 else 1, 1)
            coder.buffered(br)
            br, r = [], 0
        if r or br:
            coder.eobrun += 1
            coder.be.extend(br)
            if coder.eobrun == 0x7FFF or len(coder.be) > 1000 - 64 + 1:
                coder.emit_eobrun(table)
    if table is not None:
        coder.emit_eobrun(table)
    return coder


def jpeg_encode_progressive_reference(blocks, comp_ids, table_ids, codes, lengths, count,
                                      ss, se, ah, al):
    """Huffman-code one progressive scan (band ``ss``..``se``, bit ``al``, ``ah`` the
    previous one) of ``blocks`` with jpeg_encode_scan_reference's arguments and results: with
    ``count`` the symbol frequencies, else the entropy-coded bytes. The definition of
    _speedups.jpeg_encode_progressive."""
    blocks = np.frombuffer(blocks, np.int32).reshape(-1, 64).tolist()
    comp_ids = np.frombuffer(comp_ids, np.int32).tolist()
    table_ids = np.frombuffer(table_ids, np.int32).tolist()
    codes = np.frombuffer(codes, np.int32).reshape(-1, 256)
    lengths = np.frombuffer(lengths, np.int32).reshape(-1, 256)
    if not (0 <= ss <= se <= 63 and (ss > 0 or se == 0) and 0 <= ah <= 13 and 0 <= al <= 13):
        raise ValueError("jpeg_encode_progressive: invalid progression")
    tables = None if count else {
        t: {s: (int(codes[t, s]), int(lengths[t, s])) for s in range(256)}
        for t in range(len(codes))}
    coder = _progressive_scan_data(list(zip(blocks, comp_ids)), len(table_ids),
                                   (ss, se, ah, al), table_ids, tables)
    if count:
        counts = np.zeros((len(codes), 256), np.int64)
        for t, c in coder.counts.items():
            counts[t] = c
        return counts.tobytes()
    coder.writer.flush()
    return bytes(coder.writer.out)


_encode_progressive_scan = speedups.fast(jpeg_encode_progressive_reference)


def encode_progressive(comps, mcux, mcuy, color):
    """The scans of a progressive file: for each, its DHT payloads and SOS + data bytes."""
    table_of_comp = [t for *_, t in comps]
    table_ids = np.array(table_of_comp, np.int32)
    n_tables = 2 * (max(table_of_comp) + 1)
    out = bytearray()
    interleaved = _scan_order(comps, mcux, mcuy, len(comps) == 1)
    for members, ss, se, ah, al in _progression(color):
        if len(members) > 1 or len(comps) == 1 and ss == 0:
            blocks, comp_ids = interleaved
        else:
            c = members[0]
            blocks = comps[c][4].reshape(-1, 64)
            comp_ids = np.full(len(blocks), c, np.int32)
        args = (np.ascontiguousarray(blocks, np.int32).tobytes(), comp_ids.tobytes(),
                table_ids.tobytes())
        empty = np.zeros((n_tables, 256), np.int32)
        counted = np.frombuffer(_encode_progressive_scan(*args, empty.tobytes(),
                                                         empty.tobytes(), True, ss, se, ah, al),
                                np.int64).reshape(n_tables, 256)
        codes, lengths, dht = empty.copy(), empty.copy(), b""
        for table in sorted((t for t in range(n_tables) if counted[t].any()),
                            key=lambda t: (t % 2, t // 2)):
            payload = bytes([(table % 2) << 4 | table // 2]) + \
                _optimal_table(counted[table].tolist())
            for symbol, (code, length) in _encoder_table(payload).items():
                codes[table, symbol], lengths[table, symbol] = code, length
            dht += _segment(0xC4, payload)
        entropy = _encode_progressive_scan(*args, codes.tobytes(), lengths.tobytes(), False,
                                           ss, se, ah, al)
        selectors = b""
        for c in members:
            t = table_of_comp[c]
            td = t if ss == 0 and ah == 0 else 0
            ta = t if ss > 0 else 0
            selectors += bytes([c + 1, td << 4 | ta])
        out += dht + _segment(0xDA, bytes([len(members)]) + selectors +
                              bytes([ss, se, ah << 4 | al])) + entropy
    return bytes(out)
