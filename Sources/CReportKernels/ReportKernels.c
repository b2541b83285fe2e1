#include "ReportKernels.h"

#include <string.h>

/// Bytes from `i` on, one at a time, with the tests of `rk_anchor_hits`.
static size_t rk_anchor_tail(const uint8_t *p, size_t n, size_t i, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
                             size_t capacity, size_t *count) {
    size_t c = *count;
    for (; i < n; i++) {
        uint8_t b = p[i];
        bool hit = (b & 0xC0) == 0x40 || (b & 0xFC) == 0x2C;
        for (int j = 0; !hit && j < RK_ANCHOR_PAIRS && i + 1 < n; j++) hit = b == pairs[2 * j] && p[i + 1] == pairs[2 * j + 1];
        if (hit) {
            if (c == capacity) break;
            out[c++] = (intptr_t)i;
        }
    }
    *count = c;
    return i;
}

#if defined(__SSE2__)
#include <emmintrin.h>

/// Line feeds per byte lane are summed in 8 bits: flush the lanes before they can overflow.
size_t rk_count_line_feeds(const uint8_t *p, size_t n, bool *has_cr) {
    const __m128i lf = _mm_set1_epi8(0x0A), cr = _mm_set1_epi8(0x0D), zero = _mm_setzero_si128();
    __m128i crs = zero;
    size_t total = 0, i = 0;
    while (i + 16 <= n) {
        __m128i lanes = zero;
        for (int round = 0; round < 255 && i + 16 <= n; round++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, lf));
            crs = _mm_or_si128(crs, _mm_cmpeq_epi8(v, cr));
        }
        __m128i sums = _mm_sad_epu8(lanes, zero);
        total += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
    bool seen_cr = _mm_movemask_epi8(crs) != 0;
    for (; i < n; i++) {
        total += p[i] == 0x0A;
        seen_cr |= p[i] == 0x0D;
    }
    *has_cr = seen_cr;
    return total;
}

/// Validation state: any non-zero byte in `errors` is an error. The constants are made once per
/// text: at -O0 (debug builds) each `_mm_set1_epi8` in the block loop cost dozens of instructions.
typedef struct {
    __m128i errors;
    __m128i below_c0_signed, bf, df, ef, f4, fe, c0, e0, ed, f0, a0, x9f, x90, x8f, lf;
} rk_utf8_state;

static void rk_utf8_init(rk_utf8_state *s) {
    s->errors = _mm_setzero_si128();
    s->below_c0_signed = _mm_set1_epi8(-64);
    s->bf = _mm_set1_epi8((char)0xBF);
    s->df = _mm_set1_epi8((char)0xDF);
    s->ef = _mm_set1_epi8((char)0xEF);
    s->f4 = _mm_set1_epi8((char)0xF4);
    s->fe = _mm_set1_epi8((char)0xFE);
    s->c0 = _mm_set1_epi8((char)0xC0);
    s->e0 = _mm_set1_epi8((char)0xE0);
    s->ed = _mm_set1_epi8((char)0xED);
    s->f0 = _mm_set1_epi8((char)0xF0);
    s->a0 = _mm_set1_epi8((char)0xA0);
    s->x9f = _mm_set1_epi8((char)0x9F);
    s->x90 = _mm_set1_epi8((char)0x90);
    s->x8f = _mm_set1_epi8((char)0x8F);
    s->lf = _mm_set1_epi8(0x0A);
}

/// The 16 bytes at `q`, at `offset` in the text; the three bytes before `q` are readable (the text's
/// own or NUL). A byte is a continuation exactly when a lead one, two or three bytes back asks for
/// it; the second byte after E0, ED, F0 and F4 has a narrower range; C0, C1 and F5–FF never occur.
static inline __attribute__((always_inline)) void rk_block(rk_utf8_state *s, const uint8_t *q, intptr_t offset, intptr_t *starts,
                                                            intptr_t *ends, size_t *k) {
    const __m128i v0 = _mm_loadu_si128((const __m128i *)q);
    const __m128i v1 = _mm_loadu_si128((const __m128i *)(q - 1));
    const __m128i v2 = _mm_loadu_si128((const __m128i *)(q - 2));
    const __m128i v3 = _mm_loadu_si128((const __m128i *)(q - 3));
    // 80–BF are the signed bytes below -64.
    const __m128i continuation = _mm_cmplt_epi8(v0, s->below_c0_signed);
    // Non-zero where a lead of two or more bytes is one back, of three or more two back, of four three back.
    const __m128i leads = _mm_or_si128(_mm_or_si128(_mm_subs_epu8(v1, s->bf), _mm_subs_epu8(v2, s->df)), _mm_subs_epu8(v3, s->ef));
    const __m128i required = _mm_cmpgt_epi8(leads, _mm_setzero_si128());
    __m128i e = _mm_xor_si128(continuation, required);
    e = _mm_or_si128(e, _mm_subs_epu8(v0, s->f4));
    e = _mm_or_si128(e, _mm_cmpeq_epi8(_mm_and_si128(v0, s->fe), s->c0));
    // After those leads, v0 is a continuation or already an error, so signed compares bound it.
    e = _mm_or_si128(e, _mm_and_si128(_mm_cmpeq_epi8(v1, s->e0), _mm_cmplt_epi8(v0, s->a0)));
    e = _mm_or_si128(e, _mm_and_si128(_mm_cmpeq_epi8(v1, s->ed), _mm_cmpgt_epi8(v0, s->x9f)));
    e = _mm_or_si128(e, _mm_and_si128(_mm_cmpeq_epi8(v1, s->f0), _mm_cmplt_epi8(v0, s->x90)));
    e = _mm_or_si128(e, _mm_and_si128(_mm_cmpeq_epi8(v1, s->f4), _mm_cmpgt_epi8(v0, s->x8f)));
    s->errors = _mm_or_si128(s->errors, e);
    if (ends) {
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v0, s->lf));
        while (bits) {
            intptr_t at = offset + __builtin_ctz(bits);
            ends[*k] = at;
            starts[*k + 1] = at + 1;
            *k += 1;
            bits &= bits - 1;
        }
    }
}

/// Bytes `from..<to` (at most 32) with the three before them, NUL-padded at both ends. At the end of
/// the text (`last`), as many blocks as reach three bytes past `to`, so that a sequence cut short
/// shows as an error; elsewhere only the blocks of `from..<to`, whose sequences may go on after `to`.
static void rk_padded(rk_utf8_state *s, const uint8_t *p, size_t from, size_t to, bool last, intptr_t *starts, intptr_t *ends,
                      size_t *k) {
    uint8_t pad[3 + 48];
    memset(pad, 0, sizeof pad);
    size_t before = from < 3 ? from : 3;
    if (to - from + before > 0) memcpy(pad + 3 - before, p + from - before, to - from + before);
    size_t blocks = (to - from + (last ? 3 : 0) + 15) / 16;
    for (size_t b = 0; b < blocks; b++) rk_block(s, pad + 3 + 16 * b, (intptr_t)(from + 16 * b), starts, ends, k);
}

bool rk_validate_utf8(const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends) {
    if (n == 0) return true;
    rk_utf8_state s;
    rk_utf8_init(&s);
    size_t k = 0;
    if (n < 32) {
        rk_padded(&s, p, 0, n, true, starts, ends, &k);
    } else {
        rk_padded(&s, p, 0, 16, false, starts, ends, &k);
        size_t i = 16;
        for (; i + 16 <= n; i += 16) rk_block(&s, p + i, (intptr_t)i, starts, ends, &k);
        rk_padded(&s, p, i, n, true, starts, ends, &k);
    }
    return _mm_movemask_epi8(_mm_cmpeq_epi8(s.errors, _mm_setzero_si128())) == 0xFFFF;
}

size_t rk_anchor_hits(const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
                      size_t capacity, size_t *count) {
    __m128i middles[RK_ANCHOR_PAIRS], lasts[RK_ANCHOR_PAIRS];
    for (int j = 0; j < RK_ANCHOR_PAIRS; j++) {
        middles[j] = _mm_set1_epi8((char)pairs[2 * j]);
        lasts[j] = _mm_set1_epi8((char)pairs[2 * j + 1]);
    }
    const __m128i letter_mask = _mm_set1_epi8((char)0xC0), letters = _mm_set1_epi8(0x40);
    const __m128i separator_mask = _mm_set1_epi8((char)0xFC), separators = _mm_set1_epi8(0x2C);
    size_t i = from, c = 0;
    // `next` reads one byte past the block.
    for (; i + 17 <= n && capacity - c >= 16; i += 16) {
        const __m128i here = _mm_loadu_si128((const __m128i *)(p + i));
        const __m128i next = _mm_loadu_si128((const __m128i *)(p + i + 1));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(here, letter_mask), letters),
                                 _mm_cmpeq_epi8(_mm_and_si128(here, separator_mask), separators));
        for (int j = 0; j < RK_ANCHOR_PAIRS; j++)
            m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(here, middles[j]), _mm_cmpeq_epi8(next, lasts[j])));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        while (bits) {
            out[c++] = (intptr_t)(i + __builtin_ctz(bits));
            bits &= bits - 1;
        }
    }
    // The last bytes, or those after a nearly full output, one at a time.
    *count = c;
    return rk_anchor_tail(p, n, i, pairs, out, capacity, count);
}

#else

size_t rk_count_line_feeds(const uint8_t *p, size_t n, bool *has_cr) {
    size_t total = 0;
    bool seen_cr = false;
    for (size_t i = 0; i < n; i++) {
        total += p[i] == 0x0A;
        seen_cr |= p[i] == 0x0D;
    }
    *has_cr = seen_cr;
    return total;
}

static inline bool rk_continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

/// Scalar by scalar after Unicode Table 3-7.
bool rk_validate_utf8(const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends) {
    size_t i = 0, k = 0;
    while (i < n) {
        uint8_t b = p[i];
        if (b < 0x80) {
            if (b == 0x0A && ends) {
                ends[k] = (intptr_t)i;
                starts[k + 1] = (intptr_t)i + 1;
                k++;
            }
            i += 1;
        } else if (b >= 0xC2 && b <= 0xDF) {
            if (i + 1 >= n || !rk_continuation(p[i + 1])) return false;
            i += 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            if (i + 2 >= n) return false;
            uint8_t lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
            if (p[i + 1] < lo || p[i + 1] > hi || !rk_continuation(p[i + 2])) return false;
            i += 3;
        } else if (b >= 0xF0 && b <= 0xF4) {
            if (i + 3 >= n) return false;
            uint8_t lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
            if (p[i + 1] < lo || p[i + 1] > hi || !rk_continuation(p[i + 2]) || !rk_continuation(p[i + 3])) return false;
            i += 4;
        } else {
            return false;
        }
    }
    return true;
}

size_t rk_anchor_hits(const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
                      size_t capacity, size_t *count) {
    *count = 0;
    return rk_anchor_tail(p, n, from, pairs, out, capacity, count);
}

#endif
