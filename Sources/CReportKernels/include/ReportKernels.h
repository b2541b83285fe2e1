#ifndef REPORT_KERNELS_H
#define REPORT_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Byte kernels for the scanner's whole-text passes: AVX2 where the CPU has it, SSE2 on other
/// x86_64 CPUs, plain C elsewhere, chosen once at run time. In C rather than Swift `SIMD16`: they
/// stay fast in debug builds, where the tests run the tool on inputs of many megabytes.

/// Implementation levels, each a fallback for the next.
#define RK_LEVEL_PLAIN 0
#define RK_LEVEL_SSE2 1
#define RK_LEVEL_AVX2 2
#define RK_LEVEL_BEST 2

/// The best level this CPU runs: what the kernels below use.
int rk_kernel_level(void);

/// Counts the line feeds of `p[0..<n]` and says whether it holds a carriage return.
size_t rk_count_line_feeds(const uint8_t *p, size_t n, bool *has_cr);

/// Whether `p[0..<n]` is well-formed UTF-8 (Unicode Table 3-7). When `ends` is not NULL, writes
/// the offset of each line feed to `ends[k]` and that offset plus one to `starts[k + 1]`; both
/// must hold `rk_count_line_feeds` entries (plus one for `starts`). Their contents are
/// unspecified when the text is not valid.
bool rk_validate_utf8(const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends);

/// The number of three-byte characters found by `rk_anchor_hits`, by their trailing two bytes.
#define RK_ANCHOR_PAIRS 5

/// Offsets, ascending, from `from` on, of bytes that are the middle byte of one of the
/// `RK_ANCHOR_PAIRS` pairs (`pairs[2k]` followed by `pairs[2k + 1]`), an ASCII letter or one of
/// `, - . /` (0x40–0x7F and 0x2C–0x2F, by their high bits). Writes at most `capacity` offsets to
/// `out`, sets `*count` to how many, and returns where it stopped: `n` when done, otherwise call
/// again from there with room for more (at least one).
size_t rk_anchor_hits(const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
                      size_t capacity, size_t *count);

/// The kernels at a given level, or at the CPU's best when that is lower (tests compare levels).
size_t rk_count_line_feeds_at(int level, const uint8_t *p, size_t n, bool *has_cr);
bool rk_validate_utf8_at(int level, const uint8_t *p, size_t n, intptr_t *starts, intptr_t *ends);
size_t rk_anchor_hits_at(int level, const uint8_t *p, size_t n, size_t from, const uint8_t pairs[2 * RK_ANCHOR_PAIRS], intptr_t *out,
                         size_t capacity, size_t *count);

#endif
