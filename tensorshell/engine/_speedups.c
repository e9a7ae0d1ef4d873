/* The few dispatch paths where a Python frame costs more than the work itself.
 *
 * t[3] on a (100,) tensor: NumPy's own indexing takes ~0.07 us; a Python __getitem__ that
 * only builds the result Tensor takes ~0.22 us (a call, an allocation, three slot writes),
 * so pure Python cannot come within 2.5x of NumPy. Here the common case (an int or a slice,
 * a plain Tensor on the current device) is one C call; everything else - masks, tuples,
 * tensors being recorded, errors, string elements - goes to the Python implementation
 * unchanged, which stays the reference (the suite runs it too). Likewise ts.constant's
 * check of a flat list of Python floats (types and float32 range) is one C loop, and so are
 * the CRC-32C that guards every TFRecord and the Philox rounds behind random draws.
 *
 * The extension is optional: setup.py builds it where a compiler exists, and tensorshell
 * runs the same without it. Nothing here knows tensorshell's semantics beyond "the same
 * slots as the input, the indexed array as data".
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <structmember.h>
#include <math.h>
#include <stdint.h>

static PyTypeObject *tensor_type = NULL;   /* tensorshell.engine.tensor.Tensor */
static PyObject *placement = NULL;         /* devices.placement: its .device is current */
static PyObject *slow_getitem = NULL;      /* ops.indexing.getitem, the reference */
static Py_ssize_t off_data, off_dtype, off_device, off_current;

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

static PyObject *
tensor_getitem(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 1) {
        PyErr_Format(PyExc_TypeError, "__getitem__ takes one key (%zd given)", nargs);
        return NULL;
    }
    PyObject *key = args[0];
    if ((PyLong_CheckExact(key) || PySlice_Check(key)) && Py_IS_TYPE(self, tensor_type)) {
        PyObject *device = SLOT(self, off_device);
        PyObject *dtype = SLOT(self, off_dtype);
        PyObject *data = SLOT(self, off_data);
        if (device != NULL && dtype != NULL && data != NULL
                && device == SLOT(placement, off_current)) {
            PyObject *item = PyObject_GetItem(data, key);
            if (item == NULL) {
                /* the reference path explains the failure in tensorshell's words */
                if (!PyErr_ExceptionMatches(PyExc_IndexError)
                        && !PyErr_ExceptionMatches(PyExc_ValueError)
                        && !PyErr_ExceptionMatches(PyExc_TypeError))
                    return NULL;
                PyErr_Clear();
            }
            else if (PyBytes_CheckExact(item)) {  /* one string: the reference wraps it */
                Py_DECREF(item);
            }
            else {
                PyObject *result = tensor_type->tp_alloc(tensor_type, 0);
                if (result == NULL) {
                    Py_DECREF(item);
                    return NULL;
                }
                SLOT(result, off_data) = item;
                Py_INCREF(dtype);
                SLOT(result, off_dtype) = dtype;
                Py_INCREF(device);
                SLOT(result, off_device) = device;
                return result;
            }
        }
    }
    PyObject *stack[2] = {self, key};
    return PyObject_Vectorcall(slow_getitem, stack, 2, NULL);
}

/* Python floats at or beyond this round to float32's infinity (half an ulp above its max) */
#define F32_INF 3.4028235677973366e38

/* Whether ``value`` is a list of Python floats and ints (at least one float, no bool) that
 * becomes float32 losing nothing a constructor must refuse: no finite float beyond float32's
 * range, no int beyond int64's. One pass, no Python code runs in it; False sends the caller
 * to the general (reference) path, which decides and explains. */
static PyObject *
floats_fit_float32(PyObject *module, PyObject *value)
{
    if (!PyList_CheckExact(value))
        Py_RETURN_FALSE;
    int any_float = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(value); i++) {
        PyObject *v = PyList_GET_ITEM(value, i);
        if (PyFloat_CheckExact(v)) {
            double d = PyFloat_AS_DOUBLE(v);
            if (isfinite(d) && fabs(d) >= F32_INF)
                Py_RETURN_FALSE;
            any_float = 1;
        }
        else if (PyLong_CheckExact(v)) {
            int overflow;
            long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
            if (overflow || (x == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                Py_RETURN_FALSE;
            }
        }
        else {
            Py_RETURN_FALSE;
        }
    }
    return PyBool_FromLong(any_float);
}

/* CRC-32C (Castagnoli), the checksum of TFRecord files: one table lookup per byte, ~100x
 * the pure-Python loop in tensorshell/io.py (the reference). */
static uint32_t crc_table[256];

static void
crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t crc = i;
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        crc_table[i] = crc;
    }
}

static PyObject *
crc32c(PyObject *module, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *p = (const unsigned char *)view.buf;
    uint32_t crc = 0xFFFFFFFFu;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < view.len; i++)
        crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLong(crc ^ 0xFFFFFFFFu);
}

/* Philox-4x32-10 at ``counter + offsets[i]`` (128-bit counter, carry included) for each
 * uint64 offset, under the 64-bit key: four uint32 words per offset, as engine/ops/philox.py's
 * NumPy version (the reference) computes them, ~50x faster. */
static PyObject *
philox_blocks(PyObject *module, PyObject *args)
{
    Py_buffer offsets;
    unsigned long long counter_low, counter_high;
    unsigned long key0, key1;
    if (!PyArg_ParseTuple(args, "y*KKkk", &offsets, &counter_low, &counter_high, &key0,
                          &key1))
        return NULL;
    Py_ssize_t n = offsets.len / (Py_ssize_t)sizeof(uint64_t);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * 4 * (Py_ssize_t)sizeof(uint32_t));
    if (out == NULL) {
        PyBuffer_Release(&offsets);
        return NULL;
    }
    uint32_t *dst = (uint32_t *)PyBytes_AS_STRING(out);
    const uint64_t *off = (const uint64_t *)offsets.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t lo = (uint64_t)counter_low + off[i];
        uint64_t hi = (uint64_t)counter_high + (lo < (uint64_t)counter_low);
        uint32_t c0 = (uint32_t)lo, c1 = (uint32_t)(lo >> 32);
        uint32_t c2 = (uint32_t)hi, c3 = (uint32_t)(hi >> 32);
        uint32_t k0 = (uint32_t)key0, k1 = (uint32_t)key1;
        for (int r = 0; r < 10; r++) {
            uint64_t p0 = (uint64_t)0xD2511F53u * c0;
            uint64_t p1 = (uint64_t)0xCD9E8D57u * c2;
            uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
            uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
            c1 = (uint32_t)p1;
            c3 = (uint32_t)p0;
            c0 = n0;
            c2 = n2;
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        dst[4 * i] = c0;
        dst[4 * i + 1] = c1;
        dst[4 * i + 2] = c2;
        dst[4 * i + 3] = c3;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&offsets);
    return out;
}

static PyMethodDef getitem_def = {
    "__getitem__", (PyCFunction)(void (*)(void))tensor_getitem, METH_FASTCALL,
    "t[key]: a new tensor (C fast path for ints and slices; see ops/indexing.py)."};

/* The byte offset of an object slot (``__slots__`` entry) of a class, from its member
 * descriptor; -1 with an exception set when ``name`` is not such a slot. */
static Py_ssize_t
slot_offset(PyTypeObject *type, const char *name)
{
    PyObject *descr = PyDict_GetItemString(type->tp_dict, name);  /* borrowed */
    if (descr == NULL || !Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a __slots__ entry", type->tp_name, name);
        return -1;
    }
    PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
    if (member->type != T_OBJECT_EX || (member->flags & READONLY)) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a writable object slot",
                     type->tp_name, name);
        return -1;
    }
    return member->offset;
}

static PyObject *
getitem_method(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyType_Check(args[0]) || !PyCallable_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "getitem_method(Tensor, placement, getitem)");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)args[0];
    Py_ssize_t data = slot_offset(type, "_data");
    Py_ssize_t dtype = data < 0 ? -1 : slot_offset(type, "_dtype");
    Py_ssize_t device = dtype < 0 ? -1 : slot_offset(type, "_device");
    Py_ssize_t current = device < 0 ? -1 : slot_offset(Py_TYPE(args[1]), "device");
    if (current < 0)
        return NULL;
    Py_XSETREF(tensor_type, (PyTypeObject *)Py_NewRef(args[0]));
    Py_XSETREF(placement, Py_NewRef(args[1]));
    Py_XSETREF(slow_getitem, Py_NewRef(args[2]));
    off_data = data;
    off_dtype = dtype;
    off_device = device;
    off_current = current;
    return PyDescr_NewMethod(type, &getitem_def);
}

/* PNG's row filters undone (tensorshell/codecs.py has the reference): ``data`` holds ``rows``
 * scanlines of a filter-type byte then ``rowbytes`` bytes, ``bpp`` bytes per pixel. The
 * Average and Paeth filters depend on the byte just decoded, so this is a loop over bytes -
 * the part of reading a PNG that Python cannot do at speed. */
static PyObject *
png_unfilter(PyObject *module, PyObject *args)
{
    Py_buffer view;
    Py_ssize_t rows, rowbytes, bpp;
    if (!PyArg_ParseTuple(args, "y*nnn", &view, &rows, &rowbytes, &bpp))
        return NULL;
    if (rows < 0 || rowbytes < 0 || bpp < 1 || view.len < rows * (rowbytes + 1)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "PNG image data is truncated");
        return NULL;
    }
    PyObject *result = PyBytes_FromStringAndSize(NULL, rows * rowbytes);
    if (result == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
    const unsigned char *src = (const unsigned char *)view.buf;
    Py_ssize_t bad_row = -1;
    int bad_kind = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < rows && bad_row < 0; r++) {
        const unsigned char *line = src + r * (rowbytes + 1);
        unsigned char kind = line[0];
        line++;
        unsigned char *cur = out + r * rowbytes;
        const unsigned char *prior = r ? cur - rowbytes : NULL;
        for (Py_ssize_t i = 0; i < rowbytes; i++) {
            int a = i >= bpp ? cur[i - bpp] : 0;
            int b = prior ? prior[i] : 0;
            int c = (prior && i >= bpp) ? prior[i - bpp] : 0;
            int pred;
            switch (kind) {
            case 0: pred = 0; break;
            case 1: pred = a; break;
            case 2: pred = b; break;
            case 3: pred = (a + b) >> 1; break;
            case 4: {
                int p = a + b - c;
                int pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
                pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
                break;
            }
            default:
                bad_row = r;
                bad_kind = kind;
                pred = 0;
                i = rowbytes;
                continue;
            }
            cur[i] = (unsigned char)(line[i] + pred);
        }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (bad_row >= 0) {
        Py_DECREF(result);
        PyErr_Format(PyExc_ValueError, "PNG row %zd has an unknown filter type %d", bad_row,
                     bad_kind);
        return NULL;
    }
    return result;
}

/* TensorFlow's RandomShuffle permutation (engine/ops/philox.py has the reference): a forward
 * Fisher-Yates pass over 0..n-1 where step i swaps i with i + words[i] % (n - i), ``words``
 * being the n - 1 uint32 Philox words it reads. Sequential, hence C. */
static PyObject *
shuffle_permutation(PyObject *module, PyObject *args)
{
    Py_buffer words;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "y*n", &words, &n))
        return NULL;
    if (n < 0 || words.len < (n > 0 ? n - 1 : 0) * (Py_ssize_t)sizeof(uint32_t)) {
        PyBuffer_Release(&words);
        PyErr_SetString(PyExc_ValueError, "shuffle_permutation needs n - 1 words");
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int64_t));
    if (out == NULL) {
        PyBuffer_Release(&words);
        return NULL;
    }
    int64_t *perm = (int64_t *)PyBytes_AS_STRING(out);
    const uint32_t *w = (const uint32_t *)words.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        perm[i] = i;
    for (Py_ssize_t i = 0; i + 1 < n; i++) {
        Py_ssize_t j = i + (Py_ssize_t)(w[i] % (uint32_t)(n - i));
        int64_t tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&words);
    return out;
}

/* JPEG scans' Huffman decoding (tensorshell/jpeg.py has the reference, jpeg_scan_reference,
 * and the layout): the entropy-coded bytes, read through a 64-bit accumulator that drops
 * stuffed zero bytes and stops at markers; restart markers every ``restart`` units reset
 * the DC predictions. Each unit (an MCU, or one block of a single-component scan) holds,
 * for each scan component row (h, v, row stride in blocks, offset of its blocks, DC table,
 * AC table), h x v blocks of 64 int32 coefficients in natural order. Sequential bit by
 * bit, hence C. */
typedef struct {
    const uint8_t *p, *end;
    uint64_t acc;
    int n, at_marker;
    Py_ssize_t padded;                     /* zero bytes supplied past the data */
    int real;                              /* bits of real data at the top of acc */
    int insufficient;                      /* a read went past the data (libjpeg's flag) */
} jpeg_bits;

/* Drop k bits, noting (as libjpeg's insufficient_data) when they reach past the data. */
static inline void
jpeg_consume(jpeg_bits *b, int k)
{
    b->acc <<= k;
    b->n -= k;
    if (k > b->real) {
        b->insufficient = 1;
        b->real = 0;
    } else {
        b->real -= k;
    }
}

static void
jpeg_fill(jpeg_bits *b)
{
    while (b->n <= 56) {
        uint8_t c = 0;
        if (!b->at_marker && b->p < b->end) {
            c = *b->p;
            if (c == 0xFF) {
                uint8_t d = b->p + 1 < b->end ? b->p[1] : 0xD9;
                if (d == 0x00) {
                    b->p += 2;
                } else {
                    b->at_marker = 1;
                    c = 0;
                    b->padded++;
                }
            } else {
                b->p++;
            }
        } else {
            b->padded++;
        }
        if (!b->at_marker && b->padded == 0)
            b->real += 8;
        b->acc |= (uint64_t)c << (56 - b->n);
        b->n += 8;
    }
}

/* The next restart interval: past the RSTn marker (if the data holds one), the bit reader
 * emptied and the DC predictions reset. */
static void
jpeg_restart(jpeg_bits *b, int64_t *pred)
{
    while (b->p + 1 < b->end && !(b->p[0] == 0xFF && b->p[1] >= 0xD0 && b->p[1] <= 0xD7))
        b->p++;
    if (b->p + 1 < b->end) {
        b->p += 2;
        b->insufficient = 0;               /* a new interval of data (libjpeg's reset) */
    }
    b->acc = 0;
    b->n = 0;
    b->at_marker = 0;
    b->padded = 0;
    b->real = 0;
    for (int c = 0; c < 8; c++)
        pred[c] = 0;
    jpeg_fill(b);
}

/* The scan's component rows (h, v, stride, offset, DC table, AC table) fit the tables and
 * the coefficient buffer; NULL or what is wrong. */
static const char *
jpeg_check_layout(const int64_t *cp, Py_ssize_t ncomp, Py_ssize_t ntables, Py_ssize_t ncoef,
                  Py_ssize_t units_w, Py_ssize_t units_h)
{
    for (Py_ssize_t c = 0; c < ncomp; c++) {
        const int64_t *r = cp + 6 * c;
        if (r[4] < 0 || r[4] >= ntables || r[5] < 0 || r[5] >= ntables)
            return "Huffman table missing";
        Py_ssize_t last = r[3] + 64 * (((units_h * r[1] - 1) * r[2]) + units_w * r[0]);
        if (r[3] < 0 || last > ncoef)
            return "the coefficient buffer is too small for the scan";
    }
    return NULL;
}

static const uint8_t jpeg_zigzag[64] = {
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

/* One scan (jpeg.py's jpeg_scan_reference): sequential (band 0..63 at bit 0: each block's
 * DC difference then its AC coefficients) or progressive as libjpeg's jdphuff.c - DC
 * first/refinement scans, AC first scans with end-of-band runs and AC refinement scans with
 * correction bits, over band ss..se at bit position al (ah the previous one). */
#define JPEG_FAST_BITS 10

/* A Huffman table built from its DHT counts and symbols (jpeg.py's _huffman_spec, 272
 * bytes): codes of up to JPEG_FAST_BITS bits found in one look-up of the next bits (4 KB,
 * L1-resident), longer ones by their length's canonical range; codes that do not fit in
 * 16 bits never match, as in jpeg.py's 65536-entry _huffman_lut. */
typedef struct {
    int32_t fast[1 << JPEG_FAST_BITS];   /* (length << 8) | symbol, 0: longer or invalid */
    int64_t start[17], count[17], offset[17];
    const uint8_t *symbols;
} jpeg_table;

static void
jpeg_build_table(const uint8_t *spec, jpeg_table *t)
{
    int64_t code = 0, k = 0;
    memset(t->fast, 0, sizeof t->fast);
    t->symbols = spec + 16;
    for (int length = 1; length <= 16; length++) {
        t->start[length] = code;
        t->count[length] = spec[length - 1];
        t->offset[length] = k;
        for (int i = 0; i < spec[length - 1]; i++, code++, k++) {
            if (length > JPEG_FAST_BITS || code >= ((int64_t)1 << length))
                continue;
            int span = 1 << (JPEG_FAST_BITS - length);
            for (int j = 0; j < span; j++)
                t->fast[(code << (JPEG_FAST_BITS - length)) + j] =
                    (length << 8) | spec[16 + k];
        }
        code <<= 1;
    }
}

static inline int
jpeg_huff(jpeg_bits *b, const jpeg_table *t, int *symbol)
{
    if (b->n < 32)          /* at least 32 bits: a code (16 at most) and its extra bits */
        jpeg_fill(b);
    int32_t e = t->fast[b->acc >> (64 - JPEG_FAST_BITS)];
    if (!e) {
        for (int length = JPEG_FAST_BITS + 1; length <= 16; length++) {
            int64_t i = (int64_t)(b->acc >> (64 - length)) - t->start[length];
            if (i >= 0 && i < t->count[length]) {
                e = (length << 8) | t->symbols[t->offset[length] + i];
                break;
            }
        }
        if (!e)
            return -1;
    }
    jpeg_consume(b, e >> 8);
    *symbol = e & 0xFF;
    return 0;
}

/* The next n (at most 16) bits; jpeg_huff's fill leaves enough for a code's extra bits. */
static inline int32_t
jpeg_get(jpeg_bits *b, int n)
{
    if (!n)
        return 0;
    if (b->n < 16)
        jpeg_fill(b);
    int32_t v = (int32_t)(b->acc >> (64 - n));
    jpeg_consume(b, n);
    return v;
}

static inline int32_t
jpeg_signed(jpeg_bits *b, int n)
{
    int32_t v = jpeg_get(b, n);
    if (n && v < (1 << (n - 1)))
        v -= (1 << n) - 1;
    return v;
}

static PyObject *
jpeg_scan(PyObject *module, PyObject *args)
{
    Py_buffer data, luts, comps, coefs;
    Py_ssize_t units_w, units_h, restart;
    int ss, se, ah, al, recover = 0;
    if (!PyArg_ParseTuple(args, "y*y*y*w*nnniiii|p", &data, &luts, &comps, &coefs, &units_w,
                          &units_h, &restart, &ss, &se, &ah, &al, &recover))
        return NULL;
    const int64_t *cp = (const int64_t *)comps.buf;
    int32_t *coef = (int32_t *)coefs.buf;
    Py_ssize_t ncomp = comps.len / (6 * (Py_ssize_t)sizeof(int64_t));
    Py_ssize_t ntables = luts.len / 272;
    Py_ssize_t ncoef = coefs.len / (Py_ssize_t)sizeof(int32_t);
    const char *error = NULL;
    int64_t pred[8] = {0};
    if (ncomp < 1 || ncomp > 8 || ss < 0 || se > 63 || ss > se || al < 0 || al > 13)
        error = "Invalid progressive parameters";
    if (!error)
        error = jpeg_check_layout(cp, ncomp, ntables, ncoef, units_w, units_h);
    jpeg_bits b = {(const uint8_t *)data.buf, (const uint8_t *)data.buf + data.len, 0, 0, 0,
                   0};
    Py_ssize_t total = units_w * units_h;
    int32_t p1 = 1 << al, m1 = -(1 << al);
    int64_t eobrun = 0;
    jpeg_table *tables = error ? NULL : PyMem_Malloc((ntables ? ntables : 1) * sizeof(jpeg_table));
    if (!error && !tables) {
        PyBuffer_Release(&data);
        PyBuffer_Release(&luts);
        PyBuffer_Release(&comps);
        PyBuffer_Release(&coefs);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t t = 0; tables && t < ntables; t++)
        jpeg_build_table((const uint8_t *)luts.buf + 272 * t, tables + t);
    jpeg_fill(&b);
    for (Py_ssize_t unit = 0; !error && unit < total; unit++) {
        if (restart && unit && unit % restart == 0) {      /* RSTn: realign, reset */
            jpeg_restart(&b, pred);
            eobrun = 0;
        }
        if (b.insufficient) {       /* the data ran out: libjpeg leaves the rest as is */
            if (!recover) {
                error = "Premature end of JPEG data";
                break;
            }
            continue;
        }
        Py_ssize_t uy = unit / units_w, ux = unit % units_w;
        for (Py_ssize_t c = 0; !error && c < ncomp; c++) {
            const int64_t *r = cp + 6 * c;
            const jpeg_table *dc = tables + r[4], *ac = tables + r[5];
            for (int64_t y = 0; !error && y < r[1]; y++) {
                for (int64_t x = 0; !error && x < r[0]; x++) {
                    int32_t *blk = coef + r[3] + 64 * ((uy * r[1] + y) * r[2] + ux * r[0] + x);
                    int sym, k;
                    if (ss == 0) {                                       /* DC */
                        if (ah == 0) {
                            if (jpeg_huff(&b, dc, &sym)) {
                                error = "Corrupt JPEG data: bad Huffman code";
                                break;
                            }
                            pred[c] += jpeg_signed(&b, sym);
                            blk[0] = (int32_t)(pred[c] * (1 << al));
                        } else if (jpeg_get(&b, 1)) {
                            blk[0] |= p1;
                        }
                        if (se == 0)
                            continue;
                    }
                    if (ah == 0) {                                       /* AC first */
                        if (eobrun) {
                            eobrun--;
                            continue;
                        }
                        for (k = ss ? ss : 1; k <= se;) {
                            if (jpeg_huff(&b, ac, &sym)) {
                                error = "Corrupt JPEG data: bad Huffman code";
                                break;
                            }
                            int r4 = sym >> 4, s = sym & 15;
                            if (s) {
                                k += r4;
                                if (k > 63) {
                                    error = "Corrupt JPEG data: coefficient past 63";
                                    break;
                                }
                                blk[jpeg_zigzag[k]] = jpeg_signed(&b, s) * (1 << al);
                                k++;
                            } else if (r4 == 15) {
                                k += 16;
                            } else {
                                eobrun = (1 << r4) - 1 + jpeg_get(&b, r4);
                                break;
                            }
                        }
                    } else {                                             /* AC refine */
                        k = ss;
                        if (!eobrun) {
                            while (k <= se) {
                                if (jpeg_huff(&b, ac, &sym)) {
                                    error = "Corrupt JPEG data: bad Huffman code";
                                    break;
                                }
                                int r4 = sym >> 4, s = sym & 15;
                                int32_t value = 0;
                                if (s) {
                                    value = jpeg_get(&b, 1) ? p1 : m1;
                                } else if (r4 != 15) {
                                    eobrun = (1 << r4) + jpeg_get(&b, r4);
                                    break;
                                }
                                while (k <= se) {
                                    int32_t *z = blk + jpeg_zigzag[k];
                                    if (*z) {
                                        if (jpeg_get(&b, 1) && !(*z & p1))
                                            *z += *z >= 0 ? p1 : m1;
                                    } else {
                                        if (r4 == 0)
                                            break;
                                        r4--;
                                    }
                                    k++;
                                }
                                if (value && k <= se)
                                    blk[jpeg_zigzag[k]] = value;
                                k++;
                            }
                        }
                        if (!error && eobrun) {
                            for (; k <= se; k++) {
                                int32_t *z = blk + jpeg_zigzag[k];
                                if (*z && jpeg_get(&b, 1) && !(*z & p1))
                                    *z += *z >= 0 ? p1 : m1;
                            }
                            eobrun--;
                        }
                    }

                }
            }
        }
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(tables);
    if (!error && b.insufficient && !recover)
        error = "Premature end of JPEG data";
    PyBuffer_Release(&data);
    PyBuffer_Release(&luts);
    PyBuffer_Release(&comps);
    PyBuffer_Release(&coefs);
    if (error) {
        PyErr_SetString(PyExc_ValueError, error);
        return NULL;
    }
    Py_RETURN_NONE;
}

/* libjpeg's inverse DCTs over blocks of dequantisable coefficients (jpeg.py's
 * jpeg_idct_reference is the definition): ``fast`` the AAN integer transform (jidctfst.c,
 * TensorFlow's default), else the accurate one (jidctint.c); 64-bit intermediates as
 * libjpeg-turbo's JLONG, output through libjpeg's range-limit table. */
static uint8_t
jpeg_limit(int64_t v)
{
    int64_t m = v & 1023;
    return (uint8_t)(m < 128 ? m + 128 : m < 512 ? 255 : m < 896 ? 0 : m - 896);
}

static void
jpeg_idct_islow_1d(const int64_t *in, Py_ssize_t step, int64_t *out, Py_ssize_t ostep,
                   int shift)
{
    int64_t z2 = in[2 * step], z3 = in[6 * step];
    int64_t z1 = (z2 + z3) * 4433;
    int64_t tmp2 = z1 + z3 * -15137, tmp3 = z1 + z2 * 6270;
    int64_t tmp0 = (in[0] + in[4 * step]) * 8192, tmp1 = (in[0] - in[4 * step]) * 8192;
    int64_t t10 = tmp0 + tmp3, t13 = tmp0 - tmp3, t11 = tmp1 + tmp2, t12 = tmp1 - tmp2;
    int64_t a0 = in[7 * step], a1 = in[5 * step], a2 = in[3 * step], a3 = in[1 * step];
    int64_t y1 = a0 + a3, y2 = a1 + a2, y3 = a0 + a2, y4 = a1 + a3;
    int64_t z5 = (y3 + y4) * 9633;
    a0 *= 2446; a1 *= 16819; a2 *= 25172; a3 *= 12299;
    y1 *= -7373; y2 *= -20995; y3 = y3 * -16069 + z5; y4 = y4 * -3196 + z5;
    a0 += y1 + y3; a1 += y2 + y4; a2 += y2 + y3; a3 += y1 + y4;
    int64_t r = (int64_t)1 << (shift - 1);
    out[0] = (t10 + a3 + r) >> shift;          out[7 * ostep] = (t10 - a3 + r) >> shift;
    out[1 * ostep] = (t11 + a2 + r) >> shift;  out[6 * ostep] = (t11 - a2 + r) >> shift;
    out[2 * ostep] = (t12 + a1 + r) >> shift;  out[5 * ostep] = (t12 - a1 + r) >> shift;
    out[3 * ostep] = (t13 + a0 + r) >> shift;  out[4 * ostep] = (t13 - a0 + r) >> shift;
}

#define JPEG_MUL(v, c) (((v) * (c)) >> 8)

static void
jpeg_idct_ifast_1d(const int64_t *in, Py_ssize_t step, int64_t *out, Py_ssize_t ostep)
{
    int64_t t10 = in[0] + in[4 * step], t11 = in[0] - in[4 * step];
    int64_t t13 = in[2 * step] + in[6 * step];
    int64_t t12 = JPEG_MUL(in[2 * step] - in[6 * step], 362) - t13;
    int64_t t0 = t10 + t13, t3 = t10 - t13, t1 = t11 + t12, t2 = t11 - t12;
    int64_t z13 = in[5 * step] + in[3 * step], z10 = in[5 * step] - in[3 * step];
    int64_t z11 = in[1 * step] + in[7 * step], z12 = in[1 * step] - in[7 * step];
    int64_t t7 = z11 + z13;
    int64_t u11 = JPEG_MUL(z11 - z13, 362);
    int64_t z5 = JPEG_MUL(z10 + z12, 473);
    int64_t u10 = JPEG_MUL(z12, 277) - z5;
    int64_t u12 = JPEG_MUL(z10, -669) + z5;
    int64_t t6 = u12 - t7, t5 = u11 - t6, t4 = u10 + t5;
    out[0] = t0 + t7;          out[7 * ostep] = t0 - t7;
    out[1 * ostep] = t1 + t6;  out[6 * ostep] = t1 - t6;
    out[2 * ostep] = t2 + t5;  out[5 * ostep] = t2 - t5;
    out[4 * ostep] = t3 + t4;  out[3 * ostep] = t3 - t4;
}

static PyObject *
jpeg_idct(PyObject *module, PyObject *args)
{
    Py_buffer coefs, table;
    int fast;
    if (!PyArg_ParseTuple(args, "y*y*p", &coefs, &table, &fast))
        return NULL;
    Py_ssize_t nblocks = coefs.len / (64 * (Py_ssize_t)sizeof(int32_t));
    if (table.len != 64 * (Py_ssize_t)sizeof(int64_t)) {
        PyBuffer_Release(&coefs);
        PyBuffer_Release(&table);
        PyErr_SetString(PyExc_ValueError, "jpeg_idct needs 64 int64 multipliers");
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, nblocks * 64);
    if (out == NULL) {
        PyBuffer_Release(&coefs);
        PyBuffer_Release(&table);
        return NULL;
    }
    const int32_t *c = (const int32_t *)coefs.buf;
    const int64_t *q = (const int64_t *)table.buf;
    uint8_t *o = (uint8_t *)PyBytes_AS_STRING(out);
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t b = 0; b < nblocks; b++) {
        int64_t in[64], ws[64], res[64];
        for (int i = 0; i < 64; i++)
            in[i] = (int64_t)c[64 * b + i] * q[i];
        for (int col = 0; col < 8; col++) {    /* pass 1: columns */
            if (fast)
                jpeg_idct_ifast_1d(in + col, 8, ws + col, 8);
            else
                jpeg_idct_islow_1d(in + col, 8, ws + col, 8, 11);
        }
        for (int row = 0; row < 8; row++) {   /* pass 2: rows */
            if (fast) {
                jpeg_idct_ifast_1d(ws + 8 * row, 1, res + 8 * row, 1);
                for (int i = 0; i < 8; i++)
                    res[8 * row + i] >>= 5;
            } else {
                jpeg_idct_islow_1d(ws + 8 * row, 1, res + 8 * row, 1, 18);
            }
        }
        for (int i = 0; i < 64; i++)
            o[64 * b + i] = jpeg_limit(res[i]);
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&coefs);
    PyBuffer_Release(&table);
    return out;
}

/* Huffman coding of a baseline JPEG scan (jpeg.py's jpeg_encode_scan_reference is the
 * definition): blocks in coding order, DC differences per component, AC run/size symbols
 * with ZRL and EOB; either the symbol counts (for optimized tables) or the bytes, 0xFF
 * followed by a stuffed zero, the last byte padded with ones. */
typedef struct {
    uint8_t *buf;
    Py_ssize_t len, cap;
} jpeg_out;

/* Room for one more block: 64 codes of at most 32 bits, every byte stuffed, and a flush. */
static int
jpeg_reserve(jpeg_out *o)
{
    if (o->len + 1024 <= o->cap)
        return 0;
    Py_ssize_t cap = o->cap * 2 + 65536;
    uint8_t *grown = (uint8_t *)realloc(o->buf, (size_t)cap);
    if (!grown)
        return -1;
    o->buf = grown;
    o->cap = cap;
    return 0;
}

/* The bit writer's state lives in locals (acc, nbits, dst) so that byte stores cannot
 * alias it: append `length` (at most 32) bits, bytes leaving once 32 are pending. */
#define JPEG_DRAIN()                                                                      \
    do {                                                                                  \
        if (nbits >= 32) {                                                                \
            uint32_t word_ = (uint32_t)(acc >> (nbits - 32));                             \
            if (!((word_ & 0x80808080u) & ((word_ & 0x7F7F7F7Fu) + 0x01010101u) &        \
                  0x80808080u)) {                        /* no 0xFF byte among the four */  \
                dst[0] = (uint8_t)(word_ >> 24);                                          \
                dst[1] = (uint8_t)(word_ >> 16);                                          \
                dst[2] = (uint8_t)(word_ >> 8);                                           \
                dst[3] = (uint8_t)word_;                                                  \
                dst += 4;                                                                 \
                nbits -= 32;                                                              \
                break;                                                                    \
            }                                                                             \
        }                                                                                 \
        while (nbits >= 8) {                                                              \
            nbits -= 8;                                                                   \
            uint8_t byte_ = (uint8_t)(acc >> nbits);                                      \
            *dst++ = byte_;                                                               \
            if (byte_ == 0xFF)                                                            \
                *dst++ = 0;                                                               \
        }                                                                                 \
        acc &= ((uint64_t)1 << nbits) - 1;                                                \
    } while (0)
#define JPEG_PUT(code, length)                                                            \
    do {                                                                                  \
        int length_ = (length);                                                           \
        acc = (acc << length_) | ((uint64_t)(code) & (((uint64_t)1 << length_) - 1));     \
        nbits += length_;                                                                 \
        if (nbits >= 32)                                                                  \
            JPEG_DRAIN();                                                                 \
    } while (0)

static inline int
jpeg_ctz64(uint64_t x)                 /* x != 0 */
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctzll(x);
#else
    int k = 0;
    while (!(x & 1)) {
        x >>= 1;
        k++;
    }
    return k;
#endif
}

static inline int
jpeg_magnitude(int32_t v, uint32_t *bits)
{
    uint32_t a = (uint32_t)(v < 0 ? -(int64_t)v : v);
#if defined(__GNUC__) || defined(__clang__)
    int s = a ? 32 - __builtin_clz(a) : 0;
#else
    int s = 0;
    while (a >> s)
        s++;
#endif
    *bits = v >= 0 ? (uint32_t)v : (uint32_t)(v + (1 << s) - 1);
    return s;
}

/* What both scan encoders take: blocks in coding order, each block's component, each
 * component's table pair (DC 2t, AC 2t + 1) and the code tables. */
typedef struct {
    Py_buffer blocks, comp_ids, table_ids, codes, lengths;
    Py_ssize_t n, ncomp, ntables;
} jpeg_enc_args;

/* NULL, or what is wrong with the arguments. */
static const char *
jpeg_enc_check(jpeg_enc_args *a)
{
    const int32_t *cid = (const int32_t *)a->comp_ids.buf;
    const int32_t *tid = (const int32_t *)a->table_ids.buf;
    a->n = a->blocks.len / (64 * (Py_ssize_t)sizeof(int32_t));
    a->ncomp = a->table_ids.len / (Py_ssize_t)sizeof(int32_t);
    a->ntables = a->codes.len / (256 * (Py_ssize_t)sizeof(int32_t));
    if (a->comp_ids.len / (Py_ssize_t)sizeof(int32_t) != a->n || a->ncomp < 1 ||
        a->ncomp > 8 || a->lengths.len != a->codes.len)
        return "inconsistent arguments";
    for (Py_ssize_t c = 0; c < a->ncomp; c++)
        if (tid[c] < 0 || 2 * tid[c] + 1 >= a->ntables)
            return "a table is missing";
    for (Py_ssize_t i = 0; i < a->n; i++)
        if (cid[i] < 0 || cid[i] >= a->ncomp)
            return "a block names an unknown component";
    return NULL;
}

/* The symbol counts or the bytes (or ValueError "who: error"); releases the buffers. */
static PyObject *
jpeg_enc_finish(jpeg_enc_args *a, const char *who, const char *error, int count,
                const int64_t *counts, const uint8_t *buf, Py_ssize_t len)
{
    PyObject *result = NULL;
    if (error)
        PyErr_Format(PyExc_ValueError, "%s: %s", who, error);
    else if (count)
        result = PyBytes_FromStringAndSize((const char *)counts,
                                           a->ntables * 256 * (Py_ssize_t)sizeof(int64_t));
    else
        result = PyBytes_FromStringAndSize((const char *)buf, len);
    PyBuffer_Release(&a->blocks);
    PyBuffer_Release(&a->comp_ids);
    PyBuffer_Release(&a->table_ids);
    PyBuffer_Release(&a->codes);
    PyBuffer_Release(&a->lengths);
    return result;
}

static PyObject *
jpeg_encode_scan(PyObject *module, PyObject *args)
{
    jpeg_enc_args a;
    int count;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*p", &a.blocks, &a.comp_ids, &a.table_ids,
                          &a.codes, &a.lengths, &count))
        return NULL;
    const char *error = jpeg_enc_check(&a);
    const int32_t *blk = (const int32_t *)a.blocks.buf, *cid = (const int32_t *)a.comp_ids.buf;
    const int32_t *tid = (const int32_t *)a.table_ids.buf;
    const int32_t *code = (const int32_t *)a.codes.buf, *len = (const int32_t *)a.lengths.buf;
    Py_ssize_t n = a.n, ntables = a.ntables;
    int64_t *counts = NULL;
    jpeg_out o = {NULL, 0, 0};
    if (!error && count) {
        counts = (int64_t *)calloc((size_t)(ntables * 256), sizeof(int64_t));
        if (!counts)
            error = "out of memory";
    }
    if (!error) {
        int32_t pred[8] = {0};
        uint64_t acc = 0;
        int nbits = 0, failed = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            if (!count && jpeg_reserve(&o)) {
                failed = 1;
                break;
            }
            uint8_t *dst = o.buf + o.len;
            const int32_t *b = blk + 64 * i;
            int c = cid[i], dc = 2 * tid[c], ac = dc + 1;
            uint32_t bits;
            int s = jpeg_magnitude(b[0] - pred[c], &bits);
            pred[c] = b[0];
            if (count)
                counts[256 * dc + s]++;
            else
                JPEG_PUT(((uint32_t)code[256 * dc + s] << s) | bits, len[256 * dc + s] + s);
            int32_t zz[64];         /* zigzag order, and a bit for each nonzero AC */
            uint64_t nonzero = 0;
            for (int k = 1; k < 64; k++) {
                zz[k] = b[jpeg_zigzag[k]];
                nonzero |= (uint64_t)(zz[k] != 0) << k;
            }
            int run, last = 0;
            for (; nonzero; nonzero &= nonzero - 1) {
                int k = jpeg_ctz64(nonzero);
                int32_t v = zz[k];
                run = k - last - 1;
                last = k;
                while (run > 15) {
                    if (count)
                        counts[256 * ac + 0xF0]++;
                    else
                        JPEG_PUT(code[256 * ac + 0xF0], len[256 * ac + 0xF0]);
                    run -= 16;
                }
                s = jpeg_magnitude(v, &bits);
                int sym = (run << 4) | s;
                if (count)
                    counts[256 * ac + sym]++;
                else
                    JPEG_PUT(((uint32_t)code[256 * ac + sym] << s) | bits,
                             len[256 * ac + sym] + s);
            }
            if (last < 63) {
                if (count)
                    counts[256 * ac]++;
                else
                    JPEG_PUT(code[256 * ac], len[256 * ac]);
            }
            o.len = dst - o.buf;
        }
        if (!count && !failed && !jpeg_reserve(&o)) {   /* the last byte, padded with ones */
            uint8_t *dst = o.buf + o.len;
            while (nbits >= 8)
                JPEG_DRAIN();
            if (nbits) {
                int pad = 8 - nbits;
                acc = (acc << pad) | ((1u << pad) - 1);
                nbits = 8;
                JPEG_DRAIN();
            }
            o.len = dst - o.buf;
        } else if (!count && !failed) {
            failed = 1;
        }
        Py_END_ALLOW_THREADS
        if (failed)
            error = "out of memory";
    }
    PyObject *result = jpeg_enc_finish(&a, "jpeg_encode_scan", error, count, counts, o.buf,
                                       o.len);
    free(counts);
    free(o.buf);
    return result;
}

/* One scan of a progressive JPEG (jpeg.py's jpeg_encode_progressive_reference is the
 * definition; jcphuff.c the model): DC first and refinement scans, AC first scans with
 * end-of-band runs, AC refinement scans with their correction bits buffered until the next
 * symbol. Blocks, components and tables as jpeg_encode_scan's; with ``count`` the symbol
 * frequencies, else the bytes (stuffed, the last byte padded with ones). */
typedef struct {
    jpeg_out o;
    uint64_t acc;
    int nbits, failed, count;
    int64_t *counts;
    const int32_t *code, *len;
    int64_t eobrun;
    Py_ssize_t nbe;
    uint8_t be[1100];               /* correction bits waiting for the end-of-band run */
} jpeg_pcoder;

static void
jpeg_pbits(jpeg_pcoder *p, uint32_t value, int n)
{
    if (p->count || !n || p->failed)
        return;
    if (jpeg_reserve(&p->o)) {
        p->failed = 1;
        return;
    }
    uint64_t acc = p->acc;
    int nbits = p->nbits;
    uint8_t *dst = p->o.buf + p->o.len;
    JPEG_PUT(value, n);
    p->o.len = dst - p->o.buf;
    p->acc = acc;
    p->nbits = nbits;
}

static void
jpeg_psymbol(jpeg_pcoder *p, int table, int symbol)
{
    if (p->count)
        p->counts[256 * table + symbol]++;
    else
        jpeg_pbits(p, (uint32_t)p->code[256 * table + symbol], p->len[256 * table + symbol]);
}

static void
jpeg_pbuffered(jpeg_pcoder *p, const uint8_t *bits, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        jpeg_pbits(p, bits[i], 1);
}

static void
jpeg_emit_eobrun(jpeg_pcoder *p, int table)
{
    if (!p->eobrun)
        return;
    int n = 0;
    while (p->eobrun >> (n + 1))
        n++;                                          /* bit length - 1 */
    jpeg_psymbol(p, table, n << 4);
    jpeg_pbits(p, (uint32_t)(p->eobrun & ((1 << n) - 1)), n);
    p->eobrun = 0;
    jpeg_pbuffered(p, p->be, p->nbe);
    p->nbe = 0;
}

static PyObject *
jpeg_encode_progressive(PyObject *module, PyObject *args)
{
    jpeg_enc_args a;
    int count, ss, se, ah, al;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*piiii", &a.blocks, &a.comp_ids, &a.table_ids,
                          &a.codes, &a.lengths, &count, &ss, &se, &ah, &al))
        return NULL;
    const char *error = jpeg_enc_check(&a);
    if (!error && (ss < 0 || se > 63 || ss > se || (ss == 0 && se != 0) || ah < 0 || ah > 13 ||
                   al < 0 || al > 13))
        error = "invalid progression";
    const int32_t *blk = (const int32_t *)a.blocks.buf, *cid = (const int32_t *)a.comp_ids.buf;
    const int32_t *tid = (const int32_t *)a.table_ids.buf;
    Py_ssize_t n = a.n, ntables = a.ntables;
    jpeg_pcoder *p = error ? NULL : PyMem_Calloc(1, sizeof(jpeg_pcoder));
    if (!error && !p)
        error = "out of memory";
    if (!error) {
        p->count = count;
        p->code = (const int32_t *)a.codes.buf;
        p->len = (const int32_t *)a.lengths.buf;
        if (count && !(p->counts = calloc((size_t)(ntables * 256), sizeof(int64_t))))
            error = "out of memory";
    }
    if (!error) {
        Py_BEGIN_ALLOW_THREADS
        int32_t last_dc[8] = {0};
        int table = -1;
        for (Py_ssize_t i = 0; i < n && !p->failed; i++) {
            const int32_t *b = blk + 64 * i;
            int c = cid[i];
            if (ss == 0) {
                if (ah == 0) {                                          /* DC first */
                    int32_t value = b[0] >> al;
                    uint32_t bits;
                    int s = jpeg_magnitude(value - last_dc[c], &bits);
                    last_dc[c] = value;
                    jpeg_psymbol(p, 2 * tid[c], s);
                    jpeg_pbits(p, bits, s);
                } else {                                                /* DC refinement */
                    jpeg_pbits(p, (uint32_t)((b[0] >> al) & 1), 1);
                }
                continue;
            }
            table = 2 * tid[c] + 1;
            if (ah == 0) {                                              /* AC first */
                int r = 0;
                for (int k = ss; k <= se; k++) {
                    int32_t v = b[jpeg_zigzag[k]];
                    int32_t a = (v < 0 ? -v : v) >> al;
                    if (!a) {
                        r++;
                        continue;
                    }
                    jpeg_emit_eobrun(p, table);
                    for (; r > 15; r -= 16)
                        jpeg_psymbol(p, table, 0xF0);
                    uint32_t bits;
                    int nb = jpeg_magnitude(a, &bits);
                    jpeg_psymbol(p, table, (r << 4) + nb);
                    jpeg_pbits(p, (uint32_t)(v >= 0 ? a : ~a), nb);
                    r = 0;
                }
                if (r && ++p->eobrun == 0x7FFF)
                    jpeg_emit_eobrun(p, table);
                continue;
            }
            int32_t absolute[64];                                       /* AC refinement */
            int eob = 0;
            for (int k = ss; k <= se; k++) {
                int32_t v = b[jpeg_zigzag[k]];
                absolute[k] = (v < 0 ? -v : v) >> al;
                if (absolute[k] == 1)
                    eob = k;
            }
            int r = 0;
            uint8_t br[64];
            Py_ssize_t nbr = 0;
            for (int k = ss; k <= se; k++) {
                int32_t a = absolute[k];
                if (!a) {
                    r++;
                    continue;
                }
                while (r > 15 && k <= eob) {
                    jpeg_emit_eobrun(p, table);
                    jpeg_psymbol(p, table, 0xF0);
                    r -= 16;
                    jpeg_pbuffered(p, br, nbr);
                    nbr = 0;
                }
                if (a > 1) {
                    br[nbr++] = (uint8_t)(a & 1);
                    continue;
                }
                jpeg_emit_eobrun(p, table);
                jpeg_psymbol(p, table, (r << 4) + 1);
                jpeg_pbits(p, b[jpeg_zigzag[k]] < 0 ? 0 : 1, 1);
                jpeg_pbuffered(p, br, nbr);
                nbr = 0;
                r = 0;
            }
            if (r || nbr) {
                p->eobrun++;
                memcpy(p->be + p->nbe, br, (size_t)nbr);
                p->nbe += nbr;
                if (p->eobrun == 0x7FFF || p->nbe > 1000 - 64 + 1)
                    jpeg_emit_eobrun(p, table);
            }
        }
        if (table >= 0)
            jpeg_emit_eobrun(p, table);
        if (!count && !p->failed && !jpeg_reserve(&p->o)) {      /* pad with one bits */
            uint64_t acc = p->acc;
            int nbits = p->nbits;
            uint8_t *dst = p->o.buf + p->o.len;
            while (nbits >= 8)
                JPEG_DRAIN();
            if (nbits) {
                int pad = 8 - nbits;
                acc = (acc << pad) | ((1u << pad) - 1);
                nbits = 8;
                JPEG_DRAIN();
            }
            p->o.len = dst - p->o.buf;
        } else if (!count) {
            p->failed = 1;
        }
        Py_END_ALLOW_THREADS
        if (p->failed)
            error = "out of memory";
    }
    PyObject *result = jpeg_enc_finish(&a, "jpeg_encode_progressive", error, count,
                                       p ? p->counts : NULL, p ? p->o.buf : NULL,
                                       p ? p->o.len : 0);
    if (p) {
        free(p->counts);
        free(p->o.buf);
        PyMem_Free(p);
    }
    return result;
}

/* The pixel stages around the DCTs (jpeg.py's *_reference functions are the definitions):
 * libjpeg-turbo's colour conversions in 16-bit fixed point (jccolor.c, jdcolor.c), its
 * "fancy" triangle-filter upsampling of 2x1 and 2x2 chroma (jdsample.c), and the accurate
 * forward DCT (jfdctint.c) with the encoder's rounding quantisation (jcdctmgr.c). */
#define JPEG_FIX(x) ((int64_t)((x) * 65536.0 + 0.5))

static PyObject *
jpeg_rgb_to_ycc(PyObject *module, PyObject *arg)
{
    Py_buffer px;
    if (PyObject_GetBuffer(arg, &px, PyBUF_SIMPLE) < 0)
        return NULL;
    Py_ssize_t n = px.len / 3;
    PyObject *out = PyBytes_FromStringAndSize(NULL, 3 * n);
    if (out) {
        const uint8_t *p = (const uint8_t *)px.buf;
        uint8_t *y = (uint8_t *)PyBytes_AS_STRING(out), *cb = y + n, *cr = cb + n;
        const int64_t half = 1 << 15, centre = ((int64_t)128 << 16) + half - 1;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t r = p[3 * i], g = p[3 * i + 1], b = p[3 * i + 2];
            y[i] = (uint8_t)((JPEG_FIX(0.29900) * r + JPEG_FIX(0.58700) * g +
                              JPEG_FIX(0.11400) * b + half) >> 16);
            cb[i] = (uint8_t)((-JPEG_FIX(0.16874) * r - JPEG_FIX(0.33126) * g +
                               JPEG_FIX(0.5) * b + centre) >> 16);
            cr[i] = (uint8_t)((JPEG_FIX(0.5) * r - JPEG_FIX(0.41869) * g -
                               JPEG_FIX(0.08131) * b + centre) >> 16);
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&px);
    return out;
}

static PyObject *
jpeg_ycc_to_rgb(PyObject *module, PyObject *args)
{
    Py_buffer y, cb, cr;
    if (!PyArg_ParseTuple(args, "y*y*y*", &y, &cb, &cr))
        return NULL;
    PyObject *out = NULL;
    if (cb.len != y.len || cr.len != y.len) {
        PyErr_SetString(PyExc_ValueError, "jpeg_ycc_to_rgb: planes of different sizes");
    } else if ((out = PyBytes_FromStringAndSize(NULL, 3 * y.len)) != NULL) {
        int32_t cr_r[256], cr_g[256], cb_g[256], cb_b[256];
        for (int i = 0; i < 256; i++) {
            int64_t x = i - 128;
            cr_r[i] = (int32_t)((JPEG_FIX(1.40200) * x + (1 << 15)) >> 16);
            cr_g[i] = (int32_t)(-JPEG_FIX(0.71414) * x);
            cb_g[i] = (int32_t)(-JPEG_FIX(0.34414) * x + (1 << 15));
            cb_b[i] = (int32_t)((JPEG_FIX(1.77200) * x + (1 << 15)) >> 16);
        }
        const uint8_t *py = y.buf, *pb = cb.buf, *pr = cr.buf;
        uint8_t *o = (uint8_t *)PyBytes_AS_STRING(out);
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < y.len; i++) {
            int32_t v = py[i], b = pb[i], r = pr[i];
            int32_t rgb[3] = {v + cr_r[r], v + ((cb_g[b] + cr_g[r]) >> 16), v + cb_b[b]};
            for (int k = 0; k < 3; k++)
                o[3 * i + k] = (uint8_t)(rgb[k] < 0 ? 0 : rgb[k] > 255 ? 255 : rgb[k]);
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&y);
    PyBuffer_Release(&cb);
    PyBuffer_Release(&cr);
    return out;
}

static PyObject *
jpeg_upsample(PyObject *module, PyObject *args)
{
    Py_buffer plane;
    Py_ssize_t stride, width, height;
    int vertical;
    if (!PyArg_ParseTuple(args, "y*nnnp", &plane, &stride, &width, &height, &vertical))
        return NULL;
    PyObject *out = NULL;
    if (width < 1 || height < 1 || stride < width || plane.len < stride * height) {
        PyErr_SetString(PyExc_ValueError, "jpeg_upsample: the plane is smaller than asked");
    } else if ((out = PyBytes_FromStringAndSize(
                    NULL, 2 * width * height * (vertical ? 2 : 1))) != NULL) {
        const uint8_t *p = (const uint8_t *)plane.buf;
        uint8_t *o = (uint8_t *)PyBytes_AS_STRING(out);
        int32_t *rows = PyMem_Malloc((size_t)width * sizeof(int32_t));
        if (!rows) {
            Py_DECREF(out);
            PyBuffer_Release(&plane);
            return PyErr_NoMemory();
        }
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < height * (vertical ? 2 : 1); r++) {
            Py_ssize_t i = vertical ? r / 2 : r, near = i;
            if (vertical)
                near = r % 2 ? (i + 1 < height ? i + 1 : i) : (i ? i - 1 : 0);
            for (Py_ssize_t j = 0; j < width; j++)
                rows[j] = vertical ? 3 * p[i * stride + j] + p[near * stride + j]
                                   : p[i * stride + j];
            int shift = vertical ? 4 : 2;
            int32_t even = vertical ? 8 : 1, odd = vertical ? 7 : 2;
            uint8_t *line = o + r * 2 * width;
            for (Py_ssize_t j = 0; j < width; j++) {
                int32_t left = rows[j ? j - 1 : 0], right = rows[j + 1 < width ? j + 1 : j];
                line[2 * j] = (uint8_t)((3 * rows[j] + left + even) >> shift);
                line[2 * j + 1] = (uint8_t)((3 * rows[j] + right + odd) >> shift);
            }
        }
        Py_END_ALLOW_THREADS
        PyMem_Free(rows);
    }
    PyBuffer_Release(&plane);
    return out;
}

static void
jpeg_fdct_1d(const int64_t *in, int step, int64_t *out, int ostep, int final)
{
    int64_t t0 = in[0] + in[7 * step], t7 = in[0] - in[7 * step];
    int64_t t1 = in[step] + in[6 * step], t6 = in[step] - in[6 * step];
    int64_t t2 = in[2 * step] + in[5 * step], t5 = in[2 * step] - in[5 * step];
    int64_t t3 = in[3 * step] + in[4 * step], t4 = in[3 * step] - in[4 * step];
    int64_t t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
    int shift = final ? 15 : 11;                       /* CONST_BITS +/- PASS1_BITS */
    int64_t round = (int64_t)1 << (shift - 1);
    out[0] = final ? (t10 + t11 + 2) >> 2 : (t10 + t11) * 4;
    out[4 * ostep] = final ? (t10 - t11 + 2) >> 2 : (t10 - t11) * 4;
    int64_t z1 = (t12 + t13) * 4433;
    out[2 * ostep] = (z1 + t13 * 6270 + round) >> shift;
    out[6 * ostep] = (z1 + t12 * -15137 + round) >> shift;
    int64_t z2 = t5 + t6, z3 = t4 + t6, z4 = t5 + t7;
    z1 = t4 + t7;
    int64_t z5 = (z3 + z4) * 9633;
    t4 *= 2446; t5 *= 16819; t6 *= 25172; t7 *= 12299;
    z1 *= -7373; z2 *= -20995; z3 = z3 * -16069 + z5; z4 = z4 * -3196 + z5;
    out[7 * ostep] = (t4 + z1 + z3 + round) >> shift;
    out[5 * ostep] = (t5 + z2 + z4 + round) >> shift;
    out[3 * ostep] = (t6 + z2 + z3 + round) >> shift;
    out[1 * ostep] = (t7 + z1 + z4 + round) >> shift;
}

static PyObject *
jpeg_forward_dct(PyObject *module, PyObject *args)
{
    Py_buffer samples, table;
    if (!PyArg_ParseTuple(args, "y*y*", &samples, &table))
        return NULL;
    PyObject *out = NULL;
    Py_ssize_t nblocks = samples.len / 64;
    if (table.len != 64 * (Py_ssize_t)sizeof(int64_t) || samples.len % 64) {
        PyErr_SetString(PyExc_ValueError, "jpeg_forward_dct needs whole blocks, 64 divisors");
    } else if ((out = PyBytes_FromStringAndSize(NULL, nblocks * 64 * sizeof(int32_t)))) {
        const uint8_t *sp = (const uint8_t *)samples.buf;
        const int64_t *q = (const int64_t *)table.buf;
        int32_t *o = (int32_t *)PyBytes_AS_STRING(out);
        /* Rounded division by d = 8 q as (x * ceil(2^32 / d)) >> 32: exact for the
         * x < 2^20 that 8-bit samples give when d < 2^12 (the error, below x d / 2^32 < 1
         * in units of 1/d, never carries past an integer); other divisors divide. */
        int64_t div[64];
        uint64_t recip[64];
        int divide = 0;
        for (int i = 0; i < 64; i++) {
            div[i] = q[i] > 0 ? q[i] << 3 : 1;
            recip[i] = (((uint64_t)1 << 32) + (uint64_t)div[i] - 1) / (uint64_t)div[i];
            divide |= q[i] <= 0 || div[i] >= 4096;
        }
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t b = 0; b < nblocks; b++) {
            int64_t in[64], ws[64], res[64];
            for (int i = 0; i < 64; i++)
                in[i] = (int64_t)sp[64 * b + i] - 128;
            for (int row = 0; row < 8; row++)
                jpeg_fdct_1d(in + 8 * row, 1, ws + 8 * row, 1, 0);
            for (int col = 0; col < 8; col++)
                jpeg_fdct_1d(ws + col, 8, res + col, 8, 1);
            int32_t quantised[64];
            if (divide) {
                for (int i = 0; i < 64; i++) {
                    int64_t a = (res[i] < 0 ? -res[i] : res[i]) + (div[i] >> 1);
                    int64_t v = q[i] > 0 ? a / div[i] : 0;
                    quantised[i] = (int32_t)(res[i] < 0 ? -v : v);
                }
            } else {
                for (int i = 0; i < 64; i++) {
                    uint64_t a = (uint64_t)(res[i] < 0 ? -res[i] : res[i]) + (div[i] >> 1);
                    int32_t v = (int32_t)((a * recip[i]) >> 32);
                    quantised[i] = res[i] < 0 ? -v : v;
                }
            }
            memcpy(o + 64 * b, quantised, sizeof quantised);
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&samples);
    PyBuffer_Release(&table);
    return out;
}

/* PNG row filtering for encoding (codecs.py's png_filter_reference is the definition): each
 * row with the filter whose output has the smallest sum of |signed bytes| (libpng's
 * heuristic; the first of none, sub, up, average, Paeth on a tie), its type byte first. */
static PyObject *
png_filter(PyObject *module, PyObject *args)
{
    Py_buffer view;
    Py_ssize_t rows, rowbytes, bpp;
    if (!PyArg_ParseTuple(args, "y*nnn", &view, &rows, &rowbytes, &bpp))
        return NULL;
    if (rows < 0 || rowbytes < 0 || bpp < 1 || view.len < rows * rowbytes) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "png_filter: the image is smaller than asked");
        return NULL;
    }
    PyObject *result = PyBytes_FromStringAndSize(NULL, rows * (rowbytes + 1));
    /* five candidate rows, then a row of zeros standing for the row above the first */
    unsigned char *work = result ? PyMem_Calloc(6 * (size_t)rowbytes + 1, 1) : NULL;
    if (!work) {
        Py_XDECREF(result);
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
    const unsigned char *src = (const unsigned char *)view.buf;
    unsigned char *f0 = work, *f1 = f0 + rowbytes, *f2 = f1 + rowbytes, *f3 = f2 + rowbytes,
                  *f4 = f3 + rowbytes;
    const unsigned char *zeros = f4 + rowbytes;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < rows; r++) {
        const unsigned char *x = src + r * rowbytes, *up = r ? x - rowbytes : zeros;
        int64_t sizes[5] = {0, 0, 0, 0, 0};
        for (Py_ssize_t i = 0; i < rowbytes && i < bpp; i++) {   /* nothing to the left */
            f0[i] = f1[i] = x[i];
            f2[i] = (unsigned char)(x[i] - up[i]);
            f3[i] = (unsigned char)(x[i] - (up[i] >> 1));
            f4[i] = (unsigned char)(x[i] - up[i]);              /* Paeth picks b when a = c = 0 */
        }
        for (Py_ssize_t i = bpp; i < rowbytes; i++) {
            int a = x[i - bpp], b = up[i], c = up[i - bpp];
            int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
            int paeth = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
            f0[i] = x[i];
            f1[i] = (unsigned char)(x[i] - a);
            f2[i] = (unsigned char)(x[i] - b);
            f3[i] = (unsigned char)(x[i] - ((a + b) >> 1));
            f4[i] = (unsigned char)(x[i] - paeth);
        }
        const unsigned char *cand[5] = {f0, f1, f2, f3, f4};
        for (int f = 0; f < 5; f++) {
            int64_t total = 0;
            for (Py_ssize_t i = 0; i < rowbytes; i++)
                total += (signed char)cand[f][i] < 0 ? 256 - cand[f][i] : cand[f][i];
            sizes[f] = total;
        }
        int best = 0;
        for (int f = 1; f < 5; f++)
            if (sizes[f] < sizes[best])
                best = f;
        unsigned char *line = out + r * (rowbytes + 1);
        line[0] = (unsigned char)best;
        memcpy(line + 1, cand[best], (size_t)rowbytes);
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(work);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef module_methods[] = {
    {"jpeg_rgb_to_ycc", jpeg_rgb_to_ycc, METH_O,
     "jpeg_rgb_to_ycc(pixels): interleaved RGB bytes to Y, Cb and Cr planes, one after\n"
     "the other (see jpeg.jpeg_rgb_to_ycc_reference)."},
    {"jpeg_ycc_to_rgb", jpeg_ycc_to_rgb, METH_VARARGS,
     "jpeg_ycc_to_rgb(y, cb, cr): Y, Cb and Cr planes to interleaved RGB bytes\n"
     "(see jpeg.jpeg_ycc_to_rgb_reference)."},
    {"jpeg_upsample", jpeg_upsample, METH_VARARGS,
     "jpeg_upsample(plane, stride, width, height, vertical): libjpeg's fancy 2x1 or 2x2\n"
     "upsampling of a chroma plane (see jpeg.jpeg_upsample_reference)."},
    {"jpeg_forward_dct", jpeg_forward_dct, METH_VARARGS,
     "jpeg_forward_dct(samples, table): the accurate forward DCT of uint8 blocks, quantised\n"
     "by 8 x the table, as int32 (see jpeg.jpeg_forward_dct_reference)."},
    {"jpeg_encode_progressive", jpeg_encode_progressive, METH_VARARGS,
     "jpeg_encode_progressive(blocks, comp_ids, table_ids, codes, lengths, count, ss, se,\n"
     "ah, al): one progressive JPEG scan's Huffman coding (see\n"
     "jpeg.jpeg_encode_progressive_reference)."},
    {"jpeg_encode_scan", jpeg_encode_scan, METH_VARARGS,
     "jpeg_encode_scan(blocks, comp_ids, table_ids, codes, lengths, count): a baseline\n"
     "JPEG scan's Huffman coding (see jpeg.jpeg_encode_scan_reference)."},
    {"jpeg_idct", jpeg_idct, METH_VARARGS,
     "jpeg_idct(coefs, multipliers, fast): libjpeg's inverse DCT of int32 blocks (64 int64\n"
     "multipliers) to uint8 samples (see jpeg.jpeg_idct_reference)."},
    {"jpeg_scan", jpeg_scan, METH_VARARGS,
     "jpeg_scan(entropy, luts, comps, coefs, units_w, units_h, restart, ss, se, ah, al,\n"
     "recover): one JPEG scan's Huffman decoding (see jpeg.jpeg_scan_reference)."},
    {"getitem_method", (PyCFunction)(void (*)(void))getitem_method, METH_FASTCALL,
     "getitem_method(Tensor, placement, getitem): a method descriptor for\n"
     "Tensor.__getitem__ that serves ints and slices in C and hands everything else\n"
     "to ``getitem``."},
    {"crc32c", crc32c, METH_O, "crc32c(data): the CRC-32C of a bytes-like object."},
    {"png_filter", png_filter, METH_VARARGS,
     "png_filter(data, rows, rowbytes, bpp): PNG scanlines, each with the filter libpng's\n"
     "heuristic picks (see codecs.png_filter_reference)."},
    {"png_unfilter", png_unfilter, METH_VARARGS,
     "png_unfilter(data, rows, rowbytes, bpp): PNG scanlines with their filters undone."},
    {"philox_blocks", philox_blocks, METH_VARARGS,
     "philox_blocks(offsets, counter_low, counter_high, key0, key1): Philox-4x32-10\n"
     "words (bytes of uint32) at each uint64 offset from the counter."},
    {"shuffle_permutation", shuffle_permutation, METH_VARARGS,
     "shuffle_permutation(words, n): TensorFlow's RandomShuffle permutation of range(n)\n"
     "from its n - 1 uint32 Philox words (bytes of int64)."},
    {"floats_fit_float32", floats_fit_float32, METH_O,
     "floats_fit_float32(value): a list of Python floats/ints whose float32 conversion\n"
     "loses nothing (see tensor.floats_fit_float32, the reference)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_speedups", "C fast paths for tensorshell's dispatch.", -1,
    module_methods};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    crc_init();
    return PyModule_Create(&module_def);
}
