import CReportKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A half-open range of UTF-8 byte offsets into a document's decoded text.
///
/// Positions stay byte offsets everywhere inside the tool; line and column are computed only
/// for findings that are reported (see `SourceText.location(of:)`).
public struct SourceSpan: Sendable, Hashable, Codable, Comparable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    public static func empty(at offset: Int) -> SourceSpan { SourceSpan(start: offset, end: offset) }

    public var length: Int { end - start }

    public static func < (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
        lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
    }

    /// The smallest span covering both.
    public func union(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(start: min(start, other.start), end: max(end, other.end))
    }
}

/// A human- and tool-facing position, computed from a byte offset only when reported.
public struct SourceLocation: Sendable, Hashable, Codable {
    /// 1-based line number in the original file.
    public var line: Int
    /// 1-based column counted in Unicode scalars (what people and most editors count).
    public var column: Int
    /// 1-based column counted in UTF-16 code units (SARIF `utf16CodeUnits`).
    public var utf16Column: Int

    public init(line: Int, column: Int, utf16Column: Int) {
        self.line = line
        self.column = column
        self.utf16Column = utf16Column
    }
}

/// The decoded text of one report as UTF-8 bytes, with its line index.
///
/// Decoding keeps every scalar and every line terminator of the original file (only a leading
/// byte-order mark is dropped), so a line and scalar column here are the line and column of the
/// original file whatever its encoding was.
public struct SourceText: Sendable {
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    public let lineStarts: [Int]
    /// Byte offset where each line's content ends (before its terminator).
    public let lineEnds: [Int]
    /// True when the bytes were checked to be well-formed UTF-8 (`init?(validatingUTF8:)`);
    /// false says nothing either way.
    public let isKnownValidUTF8: Bool

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        var ends: [Int] = []
        starts.reserveCapacity(bytes.count / 24 + 1)
        ends.reserveCapacity(bytes.count / 24 + 1)
        let count = bytes.count
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            // Eight bytes at a time: exact per-byte test for LF or CR, so that the mostly
            // multi-byte Chinese text is skipped without looking at each byte.
            let ones: UInt64 = 0x0101_0101_0101_0101, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            var i = 0
            if memchr(base, 0x0D, count) == nil {
                // LF only (most files): half the work per word, and every hit is a line end.
                while i + 8 <= count {
                    let lf = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ (ones &* 0x0A)
                    var hits = ~(((lf & low7) &+ low7) | lf | low7)
                    while hits != 0 {
                        let at = i + hits.trailingZeroBitCount >> 3
                        ends.append(at)
                        starts.append(at + 1)
                        hits &= hits &- 1
                    }
                    i += 8
                }
            }
            while i + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let lf = word ^ (ones &* 0x0A), cr = word ^ (ones &* 0x0D)
                // High bit set in each byte that is zero.
                var hits = ~(((lf & low7) &+ low7) | lf | low7) | ~(((cr & low7) &+ low7) | cr | low7)
                while hits != 0 {
                    Self.terminator(at: i + hits.trailingZeroBitCount >> 3, base, count, &starts, &ends)
                    hits &= hits &- 1
                }
                i += 8
            }
            while i < count {
                Self.terminator(at: i, base, count, &starts, &ends)
                i += 1
            }
        }
        ends.append(count)
        // A final terminator does not open a new, empty line.
        if starts.count > 1, starts.last == count {
            starts.removeLast()
            ends.removeLast()
        }
        lineStarts = starts
        lineEnds = ends
        isKnownValidUTF8 = false
    }

    /// The text of `bytes` if they are well-formed UTF-8, validated and line-indexed in one pass
    /// (the usual report: UTF-8 without a byte-order mark); nil if they are not.
    public init?(validatingUTF8 bytes: [UInt8]) {
        let count = bytes.count
        guard count > 0 else {
            self.init(bytes: bytes, lineStarts: [0], lineEnds: [0])
            return
        }
        var hasCR = false
        let feeds = bytes.withUnsafeBufferPointer { rk_count_line_feeds($0.baseAddress, count, &hasCR) }
        if hasCR {
            // CR and CR LF line ends: the general index after a plain validation.
            guard bytes.withUnsafeBufferPointer(UTF8Validation.isValid) else { return nil }
            let text = SourceText(bytes: bytes)
            self.init(bytes: bytes, lineStarts: text.lineStarts, lineEnds: text.lineEnds)
            return
        }
        // The feeds were counted first (a quarter of the validating pass's cost), so that the
        // validating pass writes both indexes in place.
        var valid = false
        var ends: [Int] = []
        var starts = [Int](unsafeUninitializedCapacity: feeds + 1) { out, n in
            ends = [Int](unsafeUninitializedCapacity: feeds + 1) { endsOut, m in
                out[0] = 0
                valid = bytes.withUnsafeBufferPointer { rk_validate_utf8($0.baseAddress, count, out.baseAddress, endsOut.baseAddress) }
                endsOut[feeds] = count
                m = valid ? feeds + 1 : 0
            }
            n = valid ? feeds + 1 : 0
        }
        guard valid else { return nil }
        // A final terminator does not open a new, empty line.
        if starts.count > 1, starts.last == count {
            starts.removeLast()
            ends.removeLast()
        }
        self.init(bytes: bytes, lineStarts: starts, lineEnds: ends)
    }

    /// A validated text and its line index.
    private init(bytes: [UInt8], lineStarts: [Int], lineEnds: [Int]) {
        self.bytes = bytes
        self.lineStarts = lineStarts
        self.lineEnds = lineEnds
        isKnownValidUTF8 = true
    }

    /// Records the line break at `i`, if there is one: CR LF counts once, at its CR.
    @inline(__always)
    private static func terminator(at i: Int, _ base: UnsafePointer<UInt8>, _ count: Int, _ starts: inout [Int], _ ends: inout [Int]) {
        let b = base[i]
        if b == 0x0A {
            if i > 0, base[i - 1] == 0x0D { return }
            ends.append(i)
            starts.append(i + 1)
        } else if b == 0x0D {
            ends.append(i)
            starts.append(i + 1 < count && base[i + 1] == 0x0A ? i + 2 : i + 1)
        }
    }

    public init(_ string: String) { self.init(bytes: Array(string.utf8)) }

    public var lineCount: Int { lineStarts.count }

    /// The 1-based line holding `offset`.
    public func lineNumber(of offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The content span of a 1-based line, without its terminator.
    public func lineSpan(_ line: Int) -> SourceSpan {
        SourceSpan(start: lineStarts[line - 1], end: lineEnds[line - 1])
    }

    public func text(_ span: SourceSpan) -> String {
        let s = max(0, min(span.start, bytes.count))
        let e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }

    public func lineText(_ line: Int) -> String { text(lineSpan(line)) }

    /// The line around an offset, clipped to about `radius` bytes on each side on scalar
    /// boundaries: what findings are keyed and shown by, so a megabyte-long line stays cheap.
    public func lineWindow(around offset: Int, radius: Int = 240) -> SourceSpan {
        let line = lineSpan(lineNumber(of: offset))
        var start = max(line.start, offset - radius)
        var end = min(line.end, max(offset, line.start) + radius)
        while start > line.start, start < bytes.count, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        while end < line.end, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return SourceSpan(start: start, end: max(start, end))
    }

    /// Scalar and UTF-16 counts at every 4 KiB of each line longer than 64 KiB, so that converting
    /// many offsets on one huge line does not rescan it from its start each time.
    public func columnCheckpoints() -> ColumnCheckpoints? {
        // No line can be that long in a shorter text.
        guard bytes.count > 65_536 else { return nil }
        var table: [Int: [(Int, Int)]] = [:]
        for n in 0..<lineStarts.count where lineEnds[n] - lineStarts[n] > 65_536 {
            var marks: [(Int, Int)] = [(0, 0)]
            var scalars = 0, utf16 = 0
            var i = lineStarts[n]
            var next = i + ColumnCheckpoints.stride
            while i < lineEnds[n] {
                if i == next { marks.append((scalars, utf16)); next += ColumnCheckpoints.stride }
                let b = bytes[i]
                if b & 0xC0 != 0x80 { scalars += 1; utf16 += b >= 0xF0 ? 2 : 1 }
                i += 1
            }
            table[n + 1] = marks
        }
        return table.isEmpty ? nil : ColumnCheckpoints(table: table)
    }

    /// Converts a byte offset to line and both column units.
    public func location(of offset: Int) -> SourceLocation { location(of: offset, checkpoints: nil) }

    public func location(of offset: Int, checkpoints: ColumnCheckpoints?) -> SourceLocation {
        let line = lineNumber(of: offset)
        var start = lineStarts[line - 1]
        let end = min(max(offset, start), bytes.count)
        var scalars = 0
        var utf16 = 0
        if let marks = checkpoints?.table[line] {
            let k = min((end - start) / ColumnCheckpoints.stride, marks.count - 1)
            scalars = marks[k].0
            utf16 = marks[k].1
            start += k * ColumnCheckpoints.stride
        }
        var i = start
        while i < end {
            let b = bytes[i]
            // Count scalars by their lead bytes; a 4-byte scalar is two UTF-16 units.
            if b & 0xC0 != 0x80 {
                scalars += 1
                utf16 += b >= 0xF0 ? 2 : 1
            }
            i += 1
        }
        return SourceLocation(line: line, column: scalars + 1, utf16Column: utf16 + 1)
    }
}

/// See `SourceText.columnCheckpoints()`.
public struct ColumnCheckpoints: Sendable {
    public static let stride = 4096
    let table: [Int: [(Int, Int)]]
}
