#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReportModel

/// A literal searched through its least common byte: `memchr` for that byte, then its neighbour
/// and `memcmp` for the rest. In Chinese UTF-8 the lead bytes (E4–E9) start every third byte, so
/// searching for the first byte stops at almost every character; a rare continuation byte stops
/// once or twice a line.
public struct Needle: Sendable, Equatable {
    public let bytes: [UInt8]
    /// The index of the byte `memchr` looks for, and of a neighbour checked before `memcmp`.
    public let pivot: Int
    public let partner: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        pivot = bytes.indices.min { Self.frequency(bytes[$0]) < Self.frequency(bytes[$1]) } ?? 0
        partner = pivot + 1 < bytes.count ? pivot + 1 : max(0, pivot - 1)
    }

    /// Occurrences per 10,000 bytes of report text (real reports and the examples) of each
    /// continuation byte 80–BF; lead and ASCII bytes are far more common in Chinese text.
    public static let continuationFrequency: [UInt16] = [
        257, 155, 61, 49, 60, 163, 86, 63, 98, 94, 108, 42, 157, 82, 43, 74,
        63, 46, 24, 42, 153, 51, 67, 39, 35, 14, 66, 74, 176, 54, 52, 31,
        46, 215, 39, 36, 52, 63, 37, 46, 66, 8, 31, 20, 140, 63, 143, 122,
        67, 47, 13, 82, 74, 35, 70, 70, 153, 136, 209, 153, 236, 81, 46, 188,
    ]

    public static func frequency(_ b: UInt8) -> Int {
        switch b {
        case 0x80..<0xC0: Int(continuationFrequency[Int(b) - 0x80])
        case 0xE3...0xE9, 0xEF: 1000
        default: 300
        }
    }

    /// Whether the literal occurs inside `span` of `text`.
    public func occurs(in text: UnsafePointer<UInt8>, _ span: SourceSpan) -> Bool {
        bytes.count == 0 || firstOccurrence(in: text, span) != nil
    }

    /// Where the literal first occurs inside `span` of `text`.
    public func firstOccurrence(in text: UnsafePointer<UInt8>, _ span: SourceSpan) -> Int? {
        let n = bytes.count
        guard n > 0, span.length >= n else { return n == 0 ? span.start : nil }
        return bytes.withUnsafeBufferPointer { needle in
            let key = needle[pivot], other = needle[partner]
            // The pivot byte can only sit where a whole occurrence fits around it.
            var at = span.start + pivot
            let last = span.end - n + pivot
            while at <= last {
                guard let hit = memchr(text + at, Int32(key), last - at + 1) else { return nil }
                let offset = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - text
                let start = offset - pivot
                if text[start + partner] == other, memcmp(text + start, needle.baseAddress!, n) == 0 { return start }
                at = offset + 1
            }
            return nil
        }
    }
}

extension Needle {
    /// Marks the blocks that hold the literal. Blocks close together (a run of paragraphs) are
    /// searched in one go: most blocks hold none of a rule's keywords, and one search per block
    /// cost more in calls than in scanning; a wide gap (a table) is skipped, not scanned.
    /// `blocks` must be in order and not overlap.
    public func mark(_ blocks: [SourceSpan], _ holds: inout [Bool], in text: UnsafePointer<UInt8>) {
        let n = bytes.count
        var b = 0
        var runEnd = -1
        while b < blocks.count {
            if holds[b] {
                b += 1
                continue
            }
            if b > runEnd {
                runEnd = b
                while runEnd + 1 < blocks.count, blocks[runEnd + 1].start - blocks[runEnd].end <= Self.runGap { runEnd += 1 }
            }
            guard let at = firstOccurrence(in: text, SourceSpan(start: blocks[b].start, end: blocks[runEnd].end)) else {
                b = runEnd + 1
                continue
            }
            // `at` is the first occurrence from block b: blocks ending before it could end hold none.
            while blocks[b].end < at + n { b += 1 }
            if blocks[b].start <= at {
                holds[b] = true
                b += 1
            }
        }
    }

    /// Gaps up to this many bytes (a blank line, a short heading) are scanned with the blocks.
    public static let runGap = 64
}

/// The literals of one rule, each stored once, the filters over them, and which literals one
/// block holds: looked up on first use and remembered for the block, since filters share literals.
public struct LiteralTable: Sendable {
    public private(set) var needles: [Needle] = []
    /// Filters, flat so that checking one copies no array: at a filter's offset, its number of
    /// clauses, then for each clause its number of literals and their indices. A filter holds
    /// when every clause has a literal in the block.
    public private(set) var filterCodes: [Int] = []

    public init() {}

    /// The literal's index, adding it when new.
    public mutating func index(_ bytes: [UInt8]) -> Int {
        if let i = needles.firstIndex(where: { $0.bytes == bytes }) { return i }
        needles.append(Needle(bytes))
        return needles.count - 1
    }

    /// Stores a filter (clauses of literal indices) and gives its offset.
    public mutating func addFilter(_ clauses: [[Int]]) -> Int {
        let offset = filterCodes.count
        filterCodes.append(clauses.count)
        for clause in clauses {
            filterCodes.append(clause.count)
            filterCodes += clause
        }
        return offset
    }

    /// Per-block memory of lookups; `next(block:)` forgets the previous block without clearing.
    public struct Probe {
        /// `generation << 1 | present`, per literal; another generation means not looked up yet.
        private var seen: UnsafeMutableBufferPointer<UInt32>
        private var generation: UInt32 = 0
        public private(set) var span = SourceSpan(start: 0, end: 0)

        /// Memory for `count` literals, on the stack: the check allocates nothing per document.
        public static func with<R>(count: Int, _ body: (inout Probe) throws -> R) rethrows -> R {
            try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(1, count)) { buffer in
                buffer.initialize(repeating: 0)
                var probe = Probe(seen: buffer)
                return try body(&probe)
            }
        }

        private init(seen: UnsafeMutableBufferPointer<UInt32>) { self.seen = seen }

        public mutating func next(block: SourceSpan) {
            generation &+= 1
            span = block
        }

        @inline(__always) public mutating func has(_ index: Int, _ needles: UnsafeBufferPointer<Needle>, _ text: UnsafePointer<UInt8>) -> Bool {
            let entry = seen[index]
            if entry >> 1 == generation { return entry & 1 == 1 }
            let present = needles[index].occurs(in: text, span)
            seen[index] = generation << 1 | (present ? 1 : 0)
            return present
        }

        /// Whether the block passes the filter at `offset` of `codes` (`LiteralTable.filterCodes`).
        public mutating func passes(_ offset: Int, _ codes: UnsafeBufferPointer<Int>, _ needles: UnsafeBufferPointer<Needle>, _ text: UnsafePointer<UInt8>) -> Bool {
            var at = offset + 1
            for _ in 0..<codes[offset] {
                let count = codes[at]
                var found = false
                for k in (at + 1)..<(at + 1 + count) where has(codes[k], needles, text) {
                    found = true
                    break
                }
                if !found { return false }
                at += 1 + count
            }
            return true
        }
    }
}
