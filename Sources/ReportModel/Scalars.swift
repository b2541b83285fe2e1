#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Unicode scalars of a byte range, each with its byte offset, for scanning Chinese text
/// without losing positions. `offsets` has one extra entry: the end of the range.
public struct Scalars: Sendable {
    public var scalars: [Unicode.Scalar]
    public var offsets: [Int]

    public init(_ bytes: [UInt8], _ span: SourceSpan) {
        scalars = []
        offsets = []
        scalars.reserveCapacity(span.length)
        offsets.reserveCapacity(span.length + 1)
        var i = span.start
        let end = span.end
        while i < end {
            let b = bytes[i]
            var value: UInt32
            var length: Int
            if b < 0x80 { value = UInt32(b); length = 1 }
            else if b < 0xE0 { value = UInt32(b & 0x1F); length = 2 }
            else if b < 0xF0 { value = UInt32(b & 0x0F); length = 3 }
            else { value = UInt32(b & 0x07); length = 4 }
            if i + length > end { length = end - i }
            var k = 1
            while k < length {
                value = value << 6 | UInt32(bytes[i + k] & 0x3F)
                k += 1
            }
            offsets.append(i)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            i += length
        }
        offsets.append(end)
    }

    public var count: Int { scalars.count }

    /// Byte span of scalars `from..<to`.
    public func span(_ from: Int, _ to: Int) -> SourceSpan { SourceSpan(start: offsets[from], end: offsets[to]) }

    public func string(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[from..<to])
        return String(s)
    }

    public func hasPrefix(_ text: String, at index: Int) -> Bool {
        var i = index
        for scalar in text.unicodeScalars {
            guard i < scalars.count, scalars[i] == scalar else { return false }
            i += 1
        }
        return true
    }

    public func firstIndex(of text: String, from: Int = 0) -> Int? {
        guard let first = text.unicodeScalars.first else { return nil }
        var i = from
        while i < scalars.count {
            if scalars[i] == first, hasPrefix(text, at: i) { return i }
            i += 1
        }
        return nil
    }
}

public enum CharClass {
    /// White space as it appears in reports: ASCII, ideographic space, no-break space, zero-width.
    @inlinable @inline(__always)
    public static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000, 0x2002...0x200B, 0xFEFF: true
        default: false
        }
    }

    /// An ASCII or full-width digit value.
    @inlinable @inline(__always)
    public static func digit(_ s: Unicode.Scalar) -> Int? {
        switch s.value {
        case 0x30...0x39: Int(s.value - 0x30)
        case 0xFF10...0xFF19: Int(s.value - 0xFF10)
        default: nil
        }
    }

    @inlinable
    public static func isIdeograph(_ s: Unicode.Scalar) -> Bool { (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value) }

    /// The value of a digit as written in Chinese dates (`二〇二〇`, also with the letter O for 〇).
    /// A switch, not a dictionary: it runs for every 年 in a report, and hashing a scalar costs more.
    @inlinable
    public static func chineseDigit(_ s: Unicode.Scalar) -> Int? {
        switch s {
        case "〇", "○", "零", "O", "o", "0", "Ｏ": 0
        case "一": 1
        case "二", "两": 2
        case "三": 3
        case "四": 4
        case "五": 5
        case "六": 6
        case "七": 7
        case "八": 8
        case "九": 9
        default: nil
        }
    }
}

/// Label normalization for tolerant matching against the templates: no white space, full-width
/// forms folded to ASCII, and the punctuation that varies between copies (`、` `.` `，` quotes) dropped.
public enum Label {
    public static func normalize(_ text: String) -> String { String(decoding: bytes(text), as: UTF8.self) }

    /// The normalized label as UTF-8 bytes: hashing `[UInt8]` avoids the Unicode normalization that
    /// hashing a Chinese `String` costs, which matters on the per-cell path.
    public static func bytes(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { utf8 in
            guard !utf8.isEmpty else { return [] }
            return [UInt8](unsafeUninitializedCapacity: utf8.count) { out, n in n = normalize(utf8, into: out.baseAddress!) }
        }
    }

    /// Appends the normalized form of valid UTF-8 (a `String`'s bytes).
    @inlinable
    public static func append(_ utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        guard !utf8.isEmpty else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: utf8.count))
        let n = out.withUnsafeMutableBufferPointer { normalize(utf8, into: $0.baseAddress! + start) }
        out.removeLast(utf8.count - n)
    }

    /// Writes the normalized form of `utf8` to `out`, one scalar at a time without building
    /// scalars, and returns its length: dropped are white space and the punctuation that varies
    /// between copies; full-width ASCII forms are folded. It is never longer than `utf8`, so `out`
    /// needs `utf8.count` bytes (stores through a pointer: appending to an array cost several
    /// times more per byte).
    @inlinable @inline(__always)
    @usableFromInline
    static func normalize(_ utf8: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let n = utf8.count
        var i = 0, o = 0
        while i < n {
            let b = utf8[i]
            if b < 0x80 {
                i += 1
                if !dropsASCII(b) { out[o] = b; o += 1 }
                continue
            }
            var v: UInt32
            var length: Int
            if b < 0xE0 { v = UInt32(b & 0x1F); length = 2 } else if b < 0xF0 { v = UInt32(b & 0x0F); length = 3 } else { v = UInt32(b & 0x07); length = 4 }
            length = min(length, n - i)
            var k = 1
            while k < length { v = v << 6 | UInt32(utf8[i + k] & 0x3F); k += 1 }
            let start = i
            i += length
            switch v {
            // White space (CharClass.isSpace) and the punctuation dropped.
            case 0xA0, 0x3000, 0x2002...0x200B, 0xFEFF, 0x3001, 0x201C, 0x201D, 0x2018, 0x2019, 0x300C, 0x300D, 0xB7, 0x3002, 0xFE52:
                continue
            case 0xFF01...0xFF5E:
                let ascii = UInt8(v - 0xFEE0)
                if !dropsASCII(ascii) { out[o] = ascii; o += 1 }
            default:
                for k in start..<i { out[o] = utf8[k]; o += 1 }
            }
        }
        return o
    }

    @inlinable @inline(__always)
    static func dropsASCII(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x2E, 0x2C, 0x3A, 0x3B, 0x22, 0x27: true
        default: false
        }
    }

    @inlinable
    public static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        ByteSearch.contains(haystack, SourceSpan(start: 0, end: haystack.count), needle)
    }

    /// Length of the longest common subsequence, over scalars.
    static func lcs(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty || b.isEmpty { return 0 }
        var prev = [Int](repeating: 0, count: b.count + 1)
        var cur = prev
        for i in 1...a.count {
            for j in 1...b.count {
                cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : max(prev[j], cur[j - 1])
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// Similarity in 0...1 of two normalized labels: shared subsequence over the longer length.
    public static func similarity(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        let longest = max(x.count, y.count)
        return longest == 0 ? 0 : Double(lcs(x, y)) / Double(longest)
    }
}

/// Substring search on bytes.
public enum ByteSearch {
    @inlinable
    public static func contains(_ haystack: [UInt8], _ span: SourceSpan, _ needle: [UInt8]) -> Bool {
        needle.isEmpty || firstIndex(haystack, span, needle) != nil
    }

    @inlinable
    public static func firstIndex(_ haystack: [UInt8], _ span: SourceSpan, _ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, span.length >= needle.count, span.start >= 0, span.end <= haystack.count else { return nil }
        // memchr finds candidates for the first byte; memcmp checks them (memmem is not exposed here).
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let base = UnsafeRawPointer(h.baseAddress!)
                let first = Int32(n[0])
                var at = span.start
                let last = span.end - n.count
                while at <= last {
                    guard let hit = memchr(base + at, first, last - at + 1) else { return nil }
                    let offset = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + offset, n.baseAddress!, n.count) == 0 { return offset }
                    at = offset + 1
                }
                return nil
            }
        }
    }
}
