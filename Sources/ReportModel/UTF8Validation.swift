#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// UTF-8 validation eight bytes at a time (here rather than in the decoder so that `SourceText`
/// can validate and index lines in the same pass).
///
/// A byte must be a continuation (10xxxxxx) exactly when a lead byte one, two or three bytes
/// before asks for it. That settles validity unless the text holds lead bytes whose second byte
/// has a narrower range (E0, ED, F0–F4) or bytes never valid (C0, C1, F5–FF); those, rare in
/// reports, send the text to the scalar-by-scalar check of Unicode Table 3-7. The word loop
/// notes the four-byte leads (F0–FF) for free; memchr, far cheaper per byte than a test in the
/// loop, looks for C0, C1, E0 and ED.
public enum UTF8Validation {
    public static func isValid(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = buffer.baseAddress else { return true }
        let n = buffer.count
        let raw = UnsafeRawPointer(p)
        var state = State()
        var i = 0
        while i + 8 <= n {
            state.add(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < n { state.add(lastWord(p, from: i, count: n)) }
        return state.isValid(buffer)
    }

    /// The last bytes, padded with NUL (ASCII): a sequence cut short shows as an error.
    @inline(__always)
    static func lastWord(_ p: UnsafePointer<UInt8>, from i: Int, count n: Int) -> UInt64 {
        var last: UInt64 = 0
        for k in 0..<(n - i) { last |= UInt64(p[i + k]) << (8 * UInt64(k)) }
        return last
    }

    /// Bit 7 of a byte in each mask: a wrong byte, a byte for the slow check, a continuation
    /// required in the next word.
    struct State {
        var errors: UInt64 = 0
        var special: UInt64 = 0
        var carry: UInt64 = 0

        /// The next eight bytes, little-endian.
        @inline(__always)
        mutating func add(_ x: UInt64) {
            let high: UInt64 = 0x8080_8080_8080_8080
            let b7 = x & high
            guard b7 != 0 else {
                errors |= carry
                carry = 0
                return
            }
            let b6 = (x << 1) & high, b5 = (x << 2) & high, b4 = (x << 3) & high
            // Leads of two or more (C0–FF), three or more (E0–FF), four (F0–FF) bytes.
            let lead2 = b7 & b6, lead3 = lead2 & b5, lead4 = lead3 & b4
            errors |= ((lead2 << 8) | (lead3 << 16) | (lead4 << 24) | carry) ^ (b7 & ~b6)
            carry = (lead2 >> 56) | (lead3 >> 48) | (lead4 >> 40)
            special |= lead4
        }

        /// After the last word: whether the whole text was valid.
        func isValid(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
            guard errors | carry == 0 else { return false }
            guard special == 0, let base = buffer.baseAddress else { return UTF8Validation.isValidSequences(buffer) }
            for byte: Int32 in [0xC0, 0xC1, 0xE0, 0xED] where memchr(base, byte, buffer.count) != nil {
                return UTF8Validation.isValidSequences(buffer)
            }
            return true
        }
    }

    /// Bit 7 set in each zero byte of `t`, exactly.
    @inline(__always)
    static func zeroBytes(_ t: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((t & low7) &+ low7) | t | low7)
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
