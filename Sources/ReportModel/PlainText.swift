#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers for the scanner's once-per-line and once-per-file checks.
///
/// Swift's `String.contains` and `hasSuffix` compare Characters under canonical equivalence,
/// which costs far more than the line it looks at. On *plain* text those comparisons are plain
/// byte comparisons, so the scanner takes the byte path there and keeps the String path for
/// anything else (combining marks, compatibility ideographs, invalid UTF-8).
public enum PlainText {
    /// Scalars that are NFC-stable, have canonical combining class 0 and never join a neighbour
    /// into one grapheme: ASCII printable and TAB, `·`, dashes and quotes, the minus sign, CJK punctuation,
    /// unified ideographs and full-width forms.
    @inlinable @inline(__always)
    public static func isPlainScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0x09, 0x20...0x7E, 0xB7, 0x2010...0x2027, 0x2030...0x203B, 0x2212, 0x3000...0x3029, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xFF01...0xFF60, 0xFFE0...0xFFE6:
            true
        default:
            false
        }
    }

    /// Whether every scalar in `from..<to` is plain (and well formed, shortest-form UTF-8).
    @inlinable
    public static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to {
            let b = bytes[i]
            if b < 0x80 {
                guard b == 0x09 || (b >= 0x20 && b < 0x7F) else { return false }
                i += 1
            } else if b >= 0xE0 && b < 0xF0 {
                guard i + 2 < to, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 else { return false }
                // E5–E9 lead U+5000–U+9FFF, all unified ideographs: the common case, no decoding.
                if b < 0xE5 || b > 0xE9 {
                    let v = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    guard v >= 0x800, isPlainScalar(v) else { return false }
                }
                i += 3
            } else if b == 0xC2 {
                guard i + 1 < to, bytes[i + 1] == 0xB7 else { return false }
                i += 2
            } else {
                return false
            }
        }
        return true
    }

    @inlinable
    public static func isPlain(_ bytes: [UInt8], _ span: SourceSpan) -> Bool {
        bytes.withUnsafeBufferPointer { isPlain($0, span.start, span.end) }
    }

    /// The scalar at `i` (valid UTF-8 assumed) and its length in bytes.
    @inlinable @inline(__always)
    public static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
        let b = bytes[i]
        if b < 0x80 { return (UInt32(b), 1) }
        if b < 0xE0 { return (UInt32(b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
        if b < 0xF0 { return (UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3) }
        return (UInt32(b & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F), 4)
    }

    /// First offset of `needle` in `from..<to`. memchr looks for the needle's last byte: in
    /// Chinese text a lead byte such as 0xE5 stands every few bytes, a given trail byte far less often.
    @inlinable
    public static func firstIndex(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ needle: [UInt8]) -> Int? {
        let m = needle.count
        guard m > 0, let base = bytes.baseAddress, from >= 0, to <= bytes.count, to - from >= m else { return nil }
        let last = needle[m - 1]
        return needle.withUnsafeBufferPointer { n in
            var at = from + m - 1
            while at < to {
                guard let hit = memchr(base + at, Int32(last), to - at) else { return nil }
                let end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
                if memcmp(base + end - m, n.baseAddress!, m) == 0 { return end - m }
                at = end
            }
            return nil
        }
    }

    @inlinable
    public static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ span: SourceSpan, _ needle: [UInt8]) -> Bool {
        firstIndex(bytes, span.start, span.end, needle) != nil
    }

    public static func hasSuffix(_ bytes: [UInt8], _ suffix: [UInt8]) -> Bool {
        bytes.count >= suffix.count && bytes[(bytes.count - suffix.count)...].elementsEqual(suffix)
    }
}
