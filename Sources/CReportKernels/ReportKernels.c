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

// MARK: - Plain C: the definitions, and what other CPUs run
static size_t rk_count_line_feeds_plain(const uint8_t *p, size_t n, bool *has_cr) {
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
static bool rk_validate_utf8_plain(const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends) {
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

static size_t rk_anchor_hits_plain(const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
                      size_t capacity, size_t *count) {
    *count = 0;
    return rk_anchor_tail(p, n, from, pairs, out, capacity, count);
}

#if defined(__x86_64__)
// MARK: - SSE2 (every x86_64 CPU)
#include <cpuid.h>
#include <immintrin.h>

/// Line feeds per byte lane are summed in 8 bits: flush the lanes before they can overflow.
static size_t rk_count_line_feeds_sse2(const uint8_t *p, size_t n, bool *has_cr) {
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

static bool rk_validate_utf8_sse2(const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends) {
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

static size_t rk_anchor_hits_sse2(const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
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

// MARK: - AVX2
/// AVX2, thirty-two bytes at a time; compiled for AVX2 per function and used only when the CPU
/// and the operating system support it (`rk_detect_level`).
#define RK_AVX2 __attribute__((target("avx2")))

/// Error classes of a byte pair (lead or previous byte, then this byte), after Keiser and Lemire,
/// "Validating UTF-8 in less than one instruction per byte" (2021), as simdjson and simdutf use
/// them: each table gives the classes one nibble allows, and a pair is in error when all three
/// nibbles allow a class. A missing or extra continuation two or three bytes after a lead is
/// found apart from the tables.
enum {
    RK_TOO_SHORT = 1 << 0,   // 11______ 0_______ or 11______ 11______
    RK_TOO_LONG = 1 << 1,    // 0_______ 10______
    RK_OVERLONG_3 = 1 << 2,  // 11100000 100_____
    RK_TOO_LARGE = 1 << 3,   // 11110100 1001____, 11110100 101_____, 11110101–11111111 then 1001____ or 101_____
    RK_SURROGATE = 1 << 4,   // 11101101 101_____
    RK_OVERLONG_2 = 1 << 5,  // 1100000_ 10______
    RK_TOO_LARGE_1000 = 1 << 6, // 11110101–11111111 then 1000____
    RK_OVERLONG_4 = 1 << 6,  // 11110000 1000____
    RK_TWO_CONTS = 1 << 7,   // 10______ 10______
    RK_CARRY = RK_TOO_SHORT | RK_TOO_LONG | RK_TWO_CONTS,
};

#define RK_TABLE(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

/// The three tables and the masks, made once per text (see `rk_utf8_state` on debug builds).
typedef struct {
    __m256i byte_1_high, byte_1_low, byte_2_high, low_nibble, third_lead, fourth_lead, high_bit, lf;
} rk_utf8_avx2;

static RK_AVX2 void rk_utf8_avx2_init(rk_utf8_avx2 *s) {
    s->byte_1_high = RK_TABLE(
        // 0_______: ASCII before this byte.
        RK_TOO_LONG, RK_TOO_LONG, RK_TOO_LONG, RK_TOO_LONG, RK_TOO_LONG, RK_TOO_LONG, RK_TOO_LONG, RK_TOO_LONG,
        // 10______: a continuation before this byte.
        (char)RK_TWO_CONTS, (char)RK_TWO_CONTS, (char)RK_TWO_CONTS, (char)RK_TWO_CONTS,
        // 1100____, 1101____: two-byte leads; 1110____: three-byte; 1111____: four-byte and beyond.
        RK_TOO_SHORT | RK_OVERLONG_2, RK_TOO_SHORT, RK_TOO_SHORT | RK_OVERLONG_3 | RK_SURROGATE,
        RK_TOO_SHORT | RK_TOO_LARGE | RK_TOO_LARGE_1000 | RK_OVERLONG_4);
    s->byte_1_low = RK_TABLE(
        (char)(RK_CARRY | RK_OVERLONG_3 | RK_OVERLONG_2 | RK_OVERLONG_4), // ____0000
        (char)(RK_CARRY | RK_OVERLONG_2),                                 // ____0001
        (char)RK_CARRY, (char)RK_CARRY,                                   // ____001_
        (char)(RK_CARRY | RK_TOO_LARGE),                                  // ____0100
        (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000),              // ____0101
        (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000), (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000), // ____011_
        (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000), (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000), // ____1___
        (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000), (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000),
        (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000),
        (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000 | RK_SURROGATE), // ____1101
        (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000), (char)(RK_CARRY | RK_TOO_LARGE | RK_TOO_LARGE_1000));
    s->byte_2_high = RK_TABLE(
        // 0_______: ASCII after a lead.
        RK_TOO_SHORT, RK_TOO_SHORT, RK_TOO_SHORT, RK_TOO_SHORT, RK_TOO_SHORT, RK_TOO_SHORT, RK_TOO_SHORT, RK_TOO_SHORT,
        (char)(RK_TOO_LONG | RK_OVERLONG_2 | RK_TWO_CONTS | RK_OVERLONG_3 | RK_TOO_LARGE_1000 | RK_OVERLONG_4), // 1000____
        (char)(RK_TOO_LONG | RK_OVERLONG_2 | RK_TWO_CONTS | RK_OVERLONG_3 | RK_TOO_LARGE),                      // 1001____
        (char)(RK_TOO_LONG | RK_OVERLONG_2 | RK_TWO_CONTS | RK_SURROGATE | RK_TOO_LARGE),                      // 101_____
        (char)(RK_TOO_LONG | RK_OVERLONG_2 | RK_TWO_CONTS | RK_SURROGATE | RK_TOO_LARGE),
        // 11______: a lead after a lead.
        RK_TOO_SHORT, RK_TOO_SHORT, RK_TOO_SHORT, RK_TOO_SHORT);
    s->low_nibble = _mm256_set1_epi8(0x0F);
    s->third_lead = _mm256_set1_epi8(0xE0 - 0x80);
    s->fourth_lead = _mm256_set1_epi8(0xF0 - 0x80);
    s->high_bit = _mm256_set1_epi8((char)0x80);
    s->lf = _mm256_set1_epi8(0x0A);
}

/// Non-zero bytes where `input`, read after `previous` (the 32 bytes before it), breaks UTF-8.
static inline RK_AVX2 __attribute__((always_inline)) __m256i rk_utf8_avx2_errors(const rk_utf8_avx2 *s, __m256i input,
                                                                                __m256i previous) {
    // The 32 bytes from one, two and three back: `previous`'s upper half joined to `input`'s lower one.
    const __m256i joined = _mm256_permute2x128_si256(previous, input, 0x21);
    const __m256i prev1 = _mm256_alignr_epi8(input, joined, 15);
    const __m256i prev2 = _mm256_alignr_epi8(input, joined, 14);
    const __m256i prev3 = _mm256_alignr_epi8(input, joined, 13);
    const __m256i high1 = _mm256_and_si256(_mm256_srli_epi16(prev1, 4), s->low_nibble);
    const __m256i low1 = _mm256_and_si256(prev1, s->low_nibble);
    const __m256i high2 = _mm256_and_si256(_mm256_srli_epi16(input, 4), s->low_nibble);
    const __m256i special = _mm256_and_si256(_mm256_and_si256(_mm256_shuffle_epi8(s->byte_1_high, high1),
                                                              _mm256_shuffle_epi8(s->byte_1_low, low1)),
                                             _mm256_shuffle_epi8(s->byte_2_high, high2));
    // 0x80 where a three-byte lead is two back or a four-byte lead three back: this byte must be
    // a continuation, which the tables mark as TWO_CONTS; any other difference is an error.
    const __m256i must = _mm256_and_si256(_mm256_or_si256(_mm256_subs_epu8(prev2, s->third_lead), _mm256_subs_epu8(prev3, s->fourth_lead)),
                                          s->high_bit);
    return _mm256_xor_si256(must, special);
}

static inline RK_AVX2 __attribute__((always_inline)) void rk_line_feeds_avx2(const rk_utf8_avx2 *s, __m256i input, intptr_t offset,
                                                                            intptr_t *starts, intptr_t *ends, size_t *k) {
    unsigned bits = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(input, s->lf));
    while (bits) {
        intptr_t at = offset + __builtin_ctz(bits);
        ends[*k] = at;
        starts[*k + 1] = at + 1;
        *k += 1;
        bits &= bits - 1;
    }
}

static RK_AVX2 bool rk_validate_utf8_avx2(const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends) {
    if (n == 0) return true;
    rk_utf8_avx2 s;
    rk_utf8_avx2_init(&s);
    // The text starts as if after NUL bytes, and ends with them: a sequence cut short by the end
    // then meets an ASCII byte.
    __m256i previous = _mm256_setzero_si256(), errors = _mm256_setzero_si256();
    size_t i = 0, k = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i input = _mm256_loadu_si256((const __m256i *)(p + i));
        errors = _mm256_or_si256(errors, rk_utf8_avx2_errors(&s, input, previous));
        if (ends) rk_line_feeds_avx2(&s, input, (intptr_t)i, starts, ends, &k);
        previous = input;
    }
    if (i < n) {
        uint8_t last[32];
        memset(last, 0, sizeof last);
        memcpy(last, p + i, n - i);
        const __m256i input = _mm256_loadu_si256((const __m256i *)last);
        errors = _mm256_or_si256(errors, rk_utf8_avx2_errors(&s, input, previous));
        if (ends) rk_line_feeds_avx2(&s, input, (intptr_t)i, starts, ends, &k);
        previous = input;
    }
    errors = _mm256_or_si256(errors, rk_utf8_avx2_errors(&s, _mm256_setzero_si256(), previous));
    return _mm256_testz_si256(errors, errors);
}

static RK_AVX2 size_t rk_count_line_feeds_avx2(const uint8_t *p, size_t n, bool *has_cr) {
    const __m256i lf = _mm256_set1_epi8(0x0A), cr = _mm256_set1_epi8(0x0D), zero = _mm256_setzero_si256();
    __m256i crs = zero;
    size_t total = 0, i = 0;
    while (i + 32 <= n) {
        __m256i lanes = zero;
        for (int round = 0; round < 255 && i + 32 <= n; round++, i += 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
            lanes = _mm256_sub_epi8(lanes, _mm256_cmpeq_epi8(v, lf));
            crs = _mm256_or_si256(crs, _mm256_cmpeq_epi8(v, cr));
        }
        __m256i sums = _mm256_sad_epu8(lanes, zero);
        total += (size_t)_mm256_extract_epi64(sums, 0) + (size_t)_mm256_extract_epi64(sums, 1) + (size_t)_mm256_extract_epi64(sums, 2) +
                 (size_t)_mm256_extract_epi64(sums, 3);
    }
    bool seen_cr = !_mm256_testz_si256(crs, crs);
    for (; i < n; i++) {
        total += p[i] == 0x0A;
        seen_cr |= p[i] == 0x0D;
    }
    *has_cr = seen_cr;
    return total;
}

static RK_AVX2 size_t rk_anchor_hits_avx2(const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS],
                                          intptr_t *out, size_t capacity, size_t *count) {
    __m256i middles[RK_ANCHOR_PAIRS], lasts[RK_ANCHOR_PAIRS];
    for (int j = 0; j < RK_ANCHOR_PAIRS; j++) {
        middles[j] = _mm256_set1_epi8((char)pairs[2 * j]);
        lasts[j] = _mm256_set1_epi8((char)pairs[2 * j + 1]);
    }
    const __m256i letter_mask = _mm256_set1_epi8((char)0xC0), letters = _mm256_set1_epi8(0x40);
    const __m256i separator_mask = _mm256_set1_epi8((char)0xFC), separators = _mm256_set1_epi8(0x2C);
    size_t i = from, c = 0;
    // `next` reads one byte past the block.
    for (; i + 33 <= n && capacity - c >= 32; i += 32) {
        const __m256i here = _mm256_loadu_si256((const __m256i *)(p + i));
        const __m256i next = _mm256_loadu_si256((const __m256i *)(p + i + 1));
        __m256i m = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_and_si256(here, letter_mask), letters),
                                    _mm256_cmpeq_epi8(_mm256_and_si256(here, separator_mask), separators));
        for (int j = 0; j < RK_ANCHOR_PAIRS; j++)
            m = _mm256_or_si256(m, _mm256_and_si256(_mm256_cmpeq_epi8(here, middles[j]), _mm256_cmpeq_epi8(next, lasts[j])));
        unsigned bits = (unsigned)_mm256_movemask_epi8(m);
        while (bits) {
            out[c++] = (intptr_t)(i + __builtin_ctz(bits));
            bits &= bits - 1;
        }
    }
    // The rest sixteen bytes at a time.
    *count = c;
    size_t more = 0;
    size_t stop = rk_anchor_hits_sse2(p, n, i, pairs, out + c, capacity - c, &more);
    *count = c + more;
    return stop;
}

/// AVX2 needs the instructions (CPUID leaf 7) and an operating system that saves the YMM
/// registers (OSXSAVE, then XCR0 bits 1 and 2).
static int rk_detect_level(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX)) return RK_LEVEL_SSE2;
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6) != 6) return RK_LEVEL_SSE2;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return RK_LEVEL_SSE2;
    return (b & bit_AVX2) ? RK_LEVEL_AVX2 : RK_LEVEL_SSE2;
}
#else
static int rk_detect_level(void) { return RK_LEVEL_PLAIN; }
#endif

// MARK: - Dispatch

int rk_kernel_level(void) {
    // Detected on first use; threads that race store the same value.
    static int level = -1;
    int known = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (known < 0) {
        known = rk_detect_level();
        __atomic_store_n(&level, known, __ATOMIC_RELAXED);
    }
    return known;
}

static inline int rk_clamped(int level) {
    int best = rk_kernel_level();
    return level < best ? level : best;
}

size_t rk_count_line_feeds_at(int level, const uint8_t *p, size_t n, bool *has_cr) {
    switch (rk_clamped(level)) {
#if defined(__x86_64__)
    case RK_LEVEL_AVX2: return rk_count_line_feeds_avx2(p, n, has_cr);
    case RK_LEVEL_SSE2: return rk_count_line_feeds_sse2(p, n, has_cr);
#endif
    default: return rk_count_line_feeds_plain(p, n, has_cr);
    }
}

bool rk_validate_utf8_at(int level, const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends) {
    switch (rk_clamped(level)) {
#if defined(__x86_64__)
    case RK_LEVEL_AVX2: return rk_validate_utf8_avx2(p, n, starts, ends);
    case RK_LEVEL_SSE2: return rk_validate_utf8_sse2(p, n, starts, ends);
#endif
    default: return rk_validate_utf8_plain(p, n, starts, ends);
    }
}

size_t rk_anchor_hits_at(int level, const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
                         size_t capacity, size_t *count) {
    switch (rk_clamped(level)) {
#if defined(__x86_64__)
    case RK_LEVEL_AVX2: return rk_anchor_hits_avx2(p, n, from, pairs, out, capacity, count);
    case RK_LEVEL_SSE2: return rk_anchor_hits_sse2(p, n, from, pairs, out, capacity, count);
#endif
    default: return rk_anchor_hits_plain(p, n, from, pairs, out, capacity, count);
    }
}

size_t rk_count_line_feeds(const uint8_t *p, size_t n, bool *has_cr) { return rk_count_line_feeds_at(RK_LEVEL_BEST, p, n, has_cr); }

bool rk_validate_utf8(const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends) {
    return rk_validate_utf8_at(RK_LEVEL_BEST, p, n, starts, ends);
}

size_t rk_anchor_hits(const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
                      size_t capacity, size_t *count) {
    return rk_anchor_hits_at(RK_LEVEL_BEST, p, n, from, pairs, out, capacity, count);
}
