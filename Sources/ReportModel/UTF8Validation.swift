import CReportKernels

/// UTF-8 validation (here rather than in the decoder so that `SourceText` can validate and index
/// lines in the same pass).
///
/// The work is done by `rk_validate_utf8` (CReportKernels), sixteen bytes at a time with SSE2:
/// about a third of the instructions of the former eight-byte SWAR loop, and, unlike Swift
/// `SIMD16`, still fast in debug builds. `isValidSequences` is the plain definition it is tested
/// against.
public enum UTF8Validation {
    public static func isValid(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = buffer.baseAddress, buffer.count > 0 else { return true }
        return rk_validate_utf8(p, buffer.count, nil, nil)
    }

    /// Scalar-by-scalar validation after Unicode Table 3-7 (no overlongs, surrogates or > U+10FFFF).
    public static func isValidSequences(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = buffer.baseAddress else { return true }
        let n = buffer.count
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 {
                i += 1
                // Skip ASCII eight bytes at a time.
                while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                continue
            }
            if b >= 0xE1 && b <= 0xEF && b != 0xED {
                // E1–EC, EE–EF: two continuation bytes (the CJK ranges all fall here).
                guard i + 2 < n, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80 else { return false }
                i += 3
            } else if b >= 0xC2 && b <= 0xDF {
                guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
            } else if b == 0xE0 || b == 0xED {
                guard i + 2 < n else { return false }
                let c = p[i + 1]
                guard b == 0xE0 ? (c >= 0xA0 && c <= 0xBF) : (c >= 0x80 && c <= 0x9F), p[i + 2] & 0xC0 == 0x80 else { return false }
                i += 3
            } else if b >= 0xF0 && b <= 0xF4 {
                guard i + 3 < n else { return false }
                let c = p[i + 1]
                let lo: UInt8 = b == 0xF0 ? 0x90 : 0x80, hi: UInt8 = b == 0xF4 ? 0x8F : 0xBF
                guard c >= lo, c <= hi, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }
}
