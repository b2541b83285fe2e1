#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReportModel

/// A user pattern from the subset `RegexParser` understands, compiled to a small backtracking
/// program that runs on the document's UTF-8 bytes. It tries alternatives, greedy and lazy
/// repetitions in ICU's order and searches leftmost-first without overlap as
/// `enumerateMatches` does, so it finds ICU's matches and groups without bridging the text to
/// UTF-16 (ICU cost about 60 ns a character here, most of the prose checks' time).
///
/// Only what it can match exactly is compiled: literals, classes of ranges, `\d`, `\s` and their
/// complements, groups, alternation, greedy and lazy repetition of something that cannot match
/// empty, `^`, `$`, and lookbehinds of literals. A group repeated by a loop keeps its last
/// participating iteration, as in ICU, because saves are only undone by backtracking. When it meets
/// text it does not decide (invalid UTF-8, `$` before a final line break, a very deep
/// backtracking stack) it answers nil and the caller asks ICU.
struct ByteRegex: Sendable {
    enum Op: UInt8 { case bytes, set, greedySet, lazySet, split, jump, save, begin, end, lookbehind, match }

    struct Inst: Sendable {
        var op: Op
        /// `bytes`: offset in `pool`; `set`, `greedySet`, `lazySet`: class; `split`: preferred
        /// target; `jump`: target; `save`: slot; `lookbehind`: index in `lookbehinds`.
        var a: Int32
        /// `bytes`: length; `split`: the target tried on backtracking; `greedySet`, `lazySet`:
        /// the most repetitions, -1 for no limit.
        var b: Int32 = 0
    }

    struct Lookbehind: Sendable {
        var strings: [[UInt8]]
        var negated: Bool
    }

    private(set) var program: [Inst] = []
    private(set) var pool: [UInt8] = []
    private(set) var classes: [ScalarClass] = []
    /// Each class's ASCII members, kept apart so the matching loop reads plain words, not the
    /// class value (copying it retained its array of ranges at every step).
    private var asciiMaps: [AsciiMap] = []
    private(set) var lookbehinds: [Lookbehind] = []
    /// Capture groups, not counting the whole match.
    let groups: Int
    /// Bytes a match can start with: positions starting otherwise are not tried.
    private var firstBytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The scalars a match can start with, when they are a few literals' first ones.
    private var firstScalars: [UInt32]?
    /// The same scalars as UTF-8 literals when there are at most three: in valid UTF-8 the
    /// search jumps from one occurrence to the next instead of decoding every scalar between.
    private var firstNeedles: [Needle]?
    /// Every match starts with `^`: only the start of the text is tried.
    private var anchored = false

    static let programLimit = 20_000
    /// Backtracking depth beyond which ICU decides. ICU stops a match that needs more than its
    /// 8 MB backtracking stack (frames of a few words plus two per group, one frame per saved
    /// state or loop iteration) and reports no further matches; deciding only well below that
    /// depth means never deciding where ICU would have given up.
    let frameLimit: Int

    /// Nil when the pattern is outside the subset this engine matches exactly.
    init?(_ node: RegexNode, groups: Int) {
        guard Self.supported(node), Self.minLength(node) > 0 else { return nil }
        self.groups = groups
        // A frame: a header, two words a group, a few words of loop counters and lookbehind state.
        let frameWords = 4 + 2 * groups + 8 + 4 * Self.loopsAndLookbehinds(node)
        frameLimit = 8_000_000 / (8 * frameWords) / 2
        guard emit(node) else { return nil }
        program.append(Inst(op: .match, a: 0))
        let first = Self.first(node)
        for b in 0..<256 where first.bytes[b] { setFirst(b) }
        if let scalars = Self.firstScalars(node), !scalars.nullable, scalars.set.count <= 16 { firstScalars = scalars.set.sorted() }
        if let scalars = firstScalars, scalars.count <= 3 {
            firstNeedles = scalars.compactMap(Unicode.Scalar.init).map { Needle(Array(String($0).utf8)) }
            if firstNeedles?.count != scalars.count { firstNeedles = nil }
        }
        anchored = Self.startsAnchored(node)
    }

    /// Whether every path through `node` begins with `^` (format checks: `^[0-9]{6}$`).
    static func startsAnchored(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(.start): return true
        case .group(let body, _): return startsAnchored(body)
        case .concat(let items): return items.first.map(startsAnchored) ?? false
        case .alternation(let branches): return branches.allSatisfy(startsAnchored)
        default: return false
        }
    }

    // MARK: - Compiling

    static func supported(_ node: RegexNode) -> Bool {
        switch node {
        case .literal(let bytes): return !bytes.isEmpty
        case .set: return true
        case .opaque: return false
        case .assertion(let a):
            if case .other = a { return false }
            return true
        case .group(let body, _): return supported(body)
        case .concat(let items): return items.allSatisfy(supported)
        case .alternation(let branches): return branches.allSatisfy(supported)
        case .loop(let body, _, _, _, let possessive):
            // A body that can match empty would need ICU's rules for empty iterations.
            guard !possessive, minLength(body) > 0 else { return false }
            return supported(body)
        }
    }

    static func loopsAndLookbehinds(_ node: RegexNode) -> Int {
        switch node {
        case .literal, .set, .opaque: return 0
        case .assertion(let a):
            if case .lookbehind = a { return 1 }
            return 0
        case .group(let body, _): return loopsAndLookbehinds(body)
        case .concat(let items): return items.reduce(0) { $0 + loopsAndLookbehinds($1) }
        case .alternation(let branches): return branches.reduce(0) { $0 + loopsAndLookbehinds($1) }
        case .loop(let body, _, _, _, _): return 1 + loopsAndLookbehinds(body)
        }
    }

    /// Saturating at `Int.max`: nested counted loops (`((a{999999}){999999}){999999}…`) would overflow.
    static func minLength(_ node: RegexNode) -> Int {
        switch node {
        case .literal(let bytes): return bytes.count
        case .set, .opaque: return 1
        case .assertion: return 0
        case .group(let body, _): return minLength(body)
        case .concat(let items):
            return items.reduce(0) { total, item in
                let (sum, overflow) = total.addingReportingOverflow(minLength(item))
                return overflow ? Int.max : sum
            }
        case .alternation(let branches): return branches.map(minLength).min() ?? 0
        case .loop(let body, let min, _, _, _):
            let (product, overflow) = min.multipliedReportingOverflow(by: minLength(body))
            return overflow ? Int.max : product
        }
    }

    /// The bytes a match of `node` can start with, and whether it can match empty.
    static func first(_ node: RegexNode) -> (bytes: [Bool], nullable: Bool) {
        var bytes = [Bool](repeating: false, count: 256)
        switch node {
        case .literal(let b): bytes[Int(b[0])] = true; return (bytes, false)
        case .set(let cls):
            for c in 0..<128 where cls.contains(UInt32(c)) { bytes[c] = true }
            if cls.reachesBeyondASCII { for b in 0x80..<256 { bytes[b] = true } }
            return (bytes, false)
        case .opaque: return ([Bool](repeating: true, count: 256), false)
        case .assertion: return (bytes, true)
        case .group(let body, _): return first(body)
        case .concat(let items):
            for item in items {
                let f = first(item)
                for b in 0..<256 where f.bytes[b] { bytes[b] = true }
                if !f.nullable { return (bytes, false) }
            }
            return (bytes, true)
        case .alternation(let branches):
            var nullable = false
            for branch in branches {
                let f = first(branch)
                for b in 0..<256 where f.bytes[b] { bytes[b] = true }
                nullable = nullable || f.nullable
            }
            return (bytes, nullable)
        case .loop(let body, let min, _, _, _):
            let f = first(body)
            return (f.bytes, f.nullable || min == 0)
        }
    }

    /// The scalars a match of `node` can start with, nil when not a short list of literals.
    static func firstScalars(_ node: RegexNode) -> (set: Set<UInt32>, nullable: Bool)? {
        switch node {
        case .literal(let b): return String(decoding: b, as: UTF8.self).unicodeScalars.first.map { ([$0.value], false) }
        case .set, .opaque: return nil
        case .assertion: return ([], true)
        case .group(let body, _): return firstScalars(body)
        case .concat(let items):
            var set: Set<UInt32> = []
            for item in items {
                guard let f = firstScalars(item) else { return nil }
                set.formUnion(f.set)
                if !f.nullable { return (set, false) }
            }
            return (set, true)
        case .alternation(let branches):
            var set: Set<UInt32> = []
            var nullable = false
            for branch in branches {
                guard let f = firstScalars(branch) else { return nil }
                set.formUnion(f.set)
                nullable = nullable || f.nullable
            }
            return (set, nullable)
        case .loop(let body, let min, _, _, _):
            guard let f = firstScalars(body) else { return nil }
            return (f.set, f.nullable || min == 0)
        }
    }

    private mutating func setFirst(_ b: Int) {
        switch b >> 6 {
        case 0: firstBytes.0 |= 1 << UInt64(b & 63)
        case 1: firstBytes.1 |= 1 << UInt64(b & 63)
        case 2: firstBytes.2 |= 1 << UInt64(b & 63)
        default: firstBytes.3 |= 1 << UInt64(b & 63)
        }
    }

    @inline(__always) private func mayStart(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return firstBytes.0 & bit != 0
        case 1: return firstBytes.1 & bit != 0
        case 2: return firstBytes.2 & bit != 0
        default: return firstBytes.3 & bit != 0
        }
    }

    private mutating func append(_ inst: Inst) -> Int {
        program.append(inst)
        return program.count - 1
    }

    /// False when the program grows past `programLimit` (large counted repetitions).
    private mutating func emit(_ node: RegexNode) -> Bool {
        guard program.count < Self.programLimit else { return false }
        switch node {
        case .literal(let bytes):
            _ = append(Inst(op: .bytes, a: Int32(pool.count), b: Int32(bytes.count)))
            pool += bytes
        case .set(let cls):
            classes.append(cls)
            asciiMaps.append(AsciiMap(cls))
            _ = append(Inst(op: .set, a: Int32(classes.count - 1)))
        case .opaque:
            return false
        case .assertion(let a):
            switch a {
            case .start: _ = append(Inst(op: .begin, a: 0))
            case .end: _ = append(Inst(op: .end, a: 0))
            case .lookbehind(let strings, let negated):
                lookbehinds.append(Lookbehind(strings: strings, negated: negated))
                _ = append(Inst(op: .lookbehind, a: Int32(lookbehinds.count - 1)))
            case .other: return false
            }
        case .group(let body, let capture):
            if let k = capture { _ = append(Inst(op: .save, a: Int32(2 * k))) }
            guard emit(body) else { return false }
            if let k = capture { _ = append(Inst(op: .save, a: Int32(2 * k + 1))) }
        case .concat(let items):
            // Adjacent literals become one comparison.
            var pending: [UInt8] = []
            for item in items {
                if case .literal(let bytes) = item { pending += bytes; continue }
                if !pending.isEmpty { guard emit(.literal(pending)) else { return false }; pending = [] }
                guard emit(item) else { return false }
            }
            if !pending.isEmpty { guard emit(.literal(pending)) else { return false } }
        case .alternation(let branches):
            var exits: [Int] = []
            for (n, branch) in branches.enumerated() {
                if n < branches.count - 1 {
                    let split = append(Inst(op: .split, a: 0))
                    program[split].a = Int32(program.count)
                    guard emit(branch) else { return false }
                    exits.append(append(Inst(op: .jump, a: 0)))
                    program[split].b = Int32(program.count)
                } else {
                    guard emit(branch) else { return false }
                }
            }
            for exit in exits { program[exit].a = Int32(program.count) }
        case .loop(let body, let min, let max, let lazy, _):
            for _ in 0..<min { guard emit(body) else { return false } }
            if max == min { break }
            if case .set(let cls) = Self.unwrapped(body) {
                // A repeated class (`[^。]{0,20}?`, `\s*`) is one instruction leaving one
                // backtracking entry, not a split and an entry per character.
                classes.append(cls)
                asciiMaps.append(AsciiMap(cls))
                _ = append(Inst(op: lazy ? .lazySet : .greedySet, a: Int32(classes.count - 1), b: max.map { Int32($0 - min) } ?? -1))
            } else if let max {
                // x{0,n} is n nested optionals: a skipped iteration skips all later ones.
                var splits: [(split: Int, body: Int)] = []
                for _ in 0..<(max - min) {
                    let split = append(Inst(op: .split, a: 0))
                    splits.append((split, program.count))
                    guard emit(body) else { return false }
                }
                let out = Int32(program.count)
                for (split, start) in splits {
                    program[split].a = lazy ? out : Int32(start)
                    program[split].b = lazy ? Int32(start) : out
                }
            } else {
                let split = append(Inst(op: .split, a: 0))
                guard emit(body) else { return false }
                _ = append(Inst(op: .jump, a: Int32(split)))
                let start = Int32(split + 1), out = Int32(program.count)
                program[split].a = lazy ? out : start
                program[split].b = lazy ? start : out
            }
        }
        return program.count < Self.programLimit
    }

    /// The node inside non-capturing groups.
    static func unwrapped(_ node: RegexNode) -> RegexNode {
        if case .group(let body, nil) = node { return unwrapped(body) }
        return node
    }

    // MARK: - Matching

    struct AsciiMap: Sendable {
        var low: UInt64 = 0, high: UInt64 = 0
        /// Whether the class can hold scalars beyond ASCII whose membership depends on the
        /// Unicode version (`\d`, `\D`).
        var versioned: Bool

        init(_ cls: ScalarClass) {
            for c in UInt32(0)..<128 where cls.contains(c) {
                if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
            }
            versioned = cls.digit || cls.nonDigit
        }

        @inline(__always) func contains(_ c: UInt32) -> Bool {
            c < 64 ? low & (1 << UInt64(c)) != 0 : high & (1 << UInt64(c &- 64)) != 0
        }
    }

    /// Every match in `span` of `bytes` as `enumerateMatches` gives them (the whole match, then
    /// each group, nil when it did not take part), or nil when ICU has to decide. `validUTF8`
    /// says the bytes are known to be well-formed UTF-8 (`SourceText.isKnownValidUTF8`).
    func matches(in bytes: [UInt8], span: SourceSpan, deadline: ContinuousClock.Instant, validUTF8: Bool = false) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? {
        guard span.start >= 0, span.end <= bytes.count, span.start <= span.end else { return nil }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? in
            guard let base = buffer.baseAddress else { return span.length == 0 ? [] : nil }
            // Valid text cut at scalar boundaries decodes everywhere: nothing the search steps over goes to ICU.
            let whole = validUTF8 && (span.start == span.end || base[span.start] & 0xC0 != 0x80) && (span.end == buffer.count || base[span.end] & 0xC0 != 0x80)
            return try program.withUnsafeBufferPointer { (program) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? in
                try pool.withUnsafeBufferPointer { (pool) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? in
                    try classes.withUnsafeBufferPointer { (classes) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? in
                        try asciiMaps.withUnsafeBufferPointer { (maps) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? in
                            try lookbehinds.withUnsafeBufferPointer { (lookbehinds) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? in
                                // Slots and the first stack entries live on the call stack; a deeper stack moves to the heap.
                                let slotCount = 2 * (groups + 1)
                                return try withUnsafeTemporaryAllocation(of: Int.self, capacity: slotCount + Machine.initialDepth) { (scratch) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? in
                                    var machine = Machine(program: program, pool: pool.baseAddress ?? base, classes: classes, maps: maps, lookbehinds: lookbehinds,
                                                          text: base, start: span.start, end: span.end, deadline: deadline,
                                                          slots: scratch.baseAddress!, slotCount: slotCount, stack: scratch.baseAddress! + slotCount,
                                                          frameLimit: frameLimit)
                                    defer { machine.release() }
                                    if whole, !anchored, let needles = firstNeedles { return try search(&machine, needles, base: base, span: span) }
                                    return try search(&machine, base: base, span: span, whole: whole)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func search(_ machine: inout Machine, base: UnsafePointer<UInt8>, span: SourceSpan, whole: Bool) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? {
        var found: [[SourceSpan?]] = []
        var at = span.start
        while at < span.end {
            let lead = base[at]
            // Every scalar the search steps over is decoded: bytes that are not UTF-8 go to ICU.
            let (scalar, width) = machine.scalar(at: at)
            guard width > 0 else { return nil }
            // Past the start `^` fails: the rest is only read, for the check above, which valid text passes.
            if anchored, at > span.start {
                if whole { break }
                at += width
                continue
            }
            if mayStart(lead), firstScalars.map({ $0.contains(scalar) }) ?? true {
                switch try machine.run(at: at) {
                case .undecided: return nil
                case .failed: break
                case .matched(let end):
                    var groups: [SourceSpan?] = [SourceSpan(start: at, end: end)]
                    for k in stride(from: 1, through: self.groups, by: 1) {
                        let s = machine.slots[2 * k], e = machine.slots[2 * k + 1]
                        groups.append(s >= 0 && e >= 0 ? SourceSpan(start: s, end: e) : nil)
                    }
                    found.append(groups)
                    // Matches are never empty (checked when compiling), so the search moves on.
                    at = end
                    continue
                }
            }
            at += width
        }
        return found
    }

    /// The same search over valid UTF-8, trying only where one of the first scalars occurs: the
    /// positions the scalar-by-scalar search would try, in the same order.
    private func search(_ machine: inout Machine, _ needles: [Needle], base: UnsafePointer<UInt8>, span: SourceSpan) throws(UserRegex.TimedOut) -> [[SourceSpan?]]? {
        var found: [[SourceSpan?]] = []
        // Per first scalar, its next occurrence at or after the last search (Int.max: none left).
        var next = (Int.min, Int.min, Int.min)
        var at = span.start
        while at < span.end {
            let rest = SourceSpan(start: at, end: span.end)
            if next.0 < at { next.0 = needles[0].firstOccurrence(in: base, rest) ?? .max }
            if needles.count > 1, next.1 < at { next.1 = needles[1].firstOccurrence(in: base, rest) ?? .max }
            if needles.count > 2, next.2 < at { next.2 = needles[2].firstOccurrence(in: base, rest) ?? .max }
            let candidate = min(next.0, needles.count > 1 ? next.1 : .max, needles.count > 2 ? next.2 : .max)
            guard candidate < span.end else { break }
            switch try machine.run(at: candidate) {
            case .undecided: return nil
            case .failed:
                // The bytes after a scalar's first are continuation bytes, where none of the scalars starts.
                at = candidate + 1
            case .matched(let end):
                var groups: [SourceSpan?] = [SourceSpan(start: candidate, end: end)]
                for k in stride(from: 1, through: self.groups, by: 1) {
                    let s = machine.slots[2 * k], e = machine.slots[2 * k + 1]
                    groups.append(s >= 0 && e >= 0 ? SourceSpan(start: s, end: e) : nil)
                }
                found.append(groups)
                at = end
            }
        }
        return found
    }

    /// The backtracking machine over one text. Its stack and slots are raw buffers: the array
    /// versions spent more in uniqueness and capacity checks than in matching.
    private struct Machine {
        enum Outcome { case matched(Int), failed, undecided }

        let program: UnsafeBufferPointer<Inst>
        let pool: UnsafePointer<UInt8>
        let classes: UnsafeBufferPointer<ScalarClass>
        let maps: UnsafeBufferPointer<AsciiMap>
        let lookbehinds: UnsafeBufferPointer<Lookbehind>
        let text: UnsafePointer<UInt8>
        let start: Int
        let end: Int
        let deadline: ContinuousClock.Instant
        let slotCount: Int
        let frameLimit: Int
        let slots: UnsafeMutablePointer<Int>
        /// Triples: (target, position, -) to resume at; (-1 - slot, value, -) to restore;
        /// (`repeatTag` - pc, position, count or start) for a repeated class to give back or take more.
        var stack: UnsafeMutablePointer<Int>
        var onHeap = false
        var depth = 0
        /// Loop iterations the repeated-class entries on the stack stand for (bytes for greedy
        /// ones, an upper bound): ICU keeps a frame for each.
        var held = 0
        var capacity = Self.initialDepth
        var steps = 0
        /// With the slots, at most 1,024 bytes: larger temporary allocations went to the heap.
        static let initialDepth = 96
        static let repeatTag = -(1 << 40)

        init(program: UnsafeBufferPointer<Inst>, pool: UnsafePointer<UInt8>, classes: UnsafeBufferPointer<ScalarClass>, maps: UnsafeBufferPointer<AsciiMap>,
             lookbehinds: UnsafeBufferPointer<Lookbehind>, text: UnsafePointer<UInt8>, start: Int, end: Int, deadline: ContinuousClock.Instant,
             slots: UnsafeMutablePointer<Int>, slotCount: Int, stack: UnsafeMutablePointer<Int>, frameLimit: Int) {
            self.program = program
            self.pool = pool
            self.classes = classes
            self.maps = maps
            self.lookbehinds = lookbehinds
            self.text = text
            self.start = start
            self.end = end
            self.deadline = deadline
            self.slots = slots
            self.slotCount = slotCount
            self.frameLimit = frameLimit
            self.stack = stack
        }

        func release() {
            if onHeap { stack.deallocate() }
        }

        /// Whether ICU could be near its stack limit here (see `frameLimit`).
        var tooDeep: Bool { depth / 3 + held > frameLimit }

        @inline(__always) mutating func push(_ tag: Int, _ a: Int, _ b: Int = 0) {
            if depth + 3 > capacity {
                let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
                grown.update(from: stack, count: depth)
                if onHeap { stack.deallocate() }
                stack = grown
                onHeap = true
                capacity *= 2
            }
            stack[depth] = tag
            stack[depth + 1] = a
            stack[depth + 2] = b
            depth += 3
        }

        enum Step { case no, yes(Int), undecided }

        /// Whether class `index` holds the scalar at `pos`, and its width.
        @inline(__always) func member(_ index: Int, at pos: Int) -> Step {
            guard pos < end else { return .no }
            let b0 = text[pos]
            if b0 < 0x80 { return maps[index].contains(UInt32(b0)) ? .yes(1) : .no }
            let (c, w) = scalar(at: pos)
            if w == 0 { return .undecided }
            if maps[index].versioned, !classes[index].settles(c) { return .undecided }
            return classes[index].contains(c) ? .yes(w) : .no
        }

        /// The byte length of the scalar a lead byte starts, 0 for a byte that cannot start one.
        @inline(__always) static func width(_ lead: UInt8) -> Int {
            if lead < 0x80 { return 1 }
            if lead < 0xC2 { return 0 }
            if lead < 0xE0 { return 2 }
            if lead < 0xF0 { return 3 }
            return lead < 0xF5 ? 4 : 0
        }

        /// The scalar at `pos` and its width, or width 0 when the bytes are not valid UTF-8 there.
        @inline(__always) func scalar(at pos: Int) -> (UInt32, Int) {
            let b0 = text[pos]
            if b0 < 0x80 { return (UInt32(b0), 1) }
            let w = Self.width(b0)
            guard w > 0, pos + w <= end else { return (0, 0) }
            switch w {
            case 2:
                let b1 = text[pos + 1]
                guard b1 & 0xC0 == 0x80 else { return (0, 0) }
                return (UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F), 2)
            case 3:
                let b1 = text[pos + 1], b2 = text[pos + 2]
                guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return (0, 0) }
                return (UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F), 3)
            default:
                let b1 = text[pos + 1], b2 = text[pos + 2], b3 = text[pos + 3]
                guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return (0, 0) }
                return (UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6 | UInt32(b3 & 0x3F), 4)
            }
        }

        /// Whether a line terminator starts at `pos` (where ICU's `$` also matches before a final one).
        func lineTerminator(at pos: Int) -> Bool {
            let (c, w) = scalar(at: pos)
            return w == 0 || (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029
        }

        mutating func run(at origin: Int) throws(UserRegex.TimedOut) -> Outcome {
            slots.update(repeating: -1, count: slotCount)
            depth = 0
            held = 0
            var pc = 0
            var pos = origin
            while true {
                steps &+= 1
                // The clock is read rarely: a runaway pattern takes millions of steps.
                if steps & 0xFFFF == 0, ContinuousClock.now > deadline { throw UserRegex.TimedOut() }
                let inst = program[pc]
                var ok = true
                switch inst.op {
                case .bytes:
                    let n = Int(inst.b)
                    if pos + n <= end, n == 1 ? text[pos] == pool[Int(inst.a)] : memcmp(text + pos, pool + Int(inst.a), n) == 0 {
                        pos += n
                        pc += 1
                    } else {
                        ok = false
                    }
                case .set:
                    switch member(Int(inst.a), at: pos) {
                    case .yes(let w): pos += w; pc += 1
                    case .no: ok = false
                    case .undecided: return .undecided
                    }
                case .greedySet:
                    // Take as many as allowed; backtracking gives them back one at a time.
                    let from = pos
                    var count = 0
                    scan: while inst.b < 0 || count < Int(inst.b) {
                        switch member(Int(inst.a), at: pos) {
                        case .yes(let w): pos += w; count += 1
                        case .no: break scan
                        case .undecided: return .undecided
                        }
                    }
                    if pos > from {
                        push(Self.repeatTag - pc, from, pos)
                        held += pos - from
                        if tooDeep { return .undecided }
                    }
                    pc += 1
                case .lazySet:
                    // Take none; backtracking takes one more at a time.
                    push(Self.repeatTag - pc, pos, 0)
                    if tooDeep { return .undecided }
                    pc += 1
                case .split:
                    push(Int(inst.b), pos)
                    if tooDeep { return .undecided }
                    pc = Int(inst.a)
                case .jump:
                    pc = Int(inst.a)
                case .save:
                    let slot = Int(inst.a)
                    push(-1 - slot, slots[slot])
                    if tooDeep { return .undecided }
                    slots[slot] = pos
                    pc += 1
                case .begin:
                    if pos == start { pc += 1 } else { ok = false }
                case .end:
                    if pos == end {
                        pc += 1
                    } else if lineTerminator(at: pos) {
                        return .undecided
                    } else {
                        ok = false
                    }
                case .lookbehind:
                    var seen = false
                    for s in lookbehinds[Int(inst.a)].strings where pos - s.count >= start {
                        if s.withUnsafeBufferPointer({ memcmp(text + pos - s.count, $0.baseAddress!, s.count) == 0 }) { seen = true; break }
                    }
                    if seen != lookbehinds[Int(inst.a)].negated { pc += 1 } else { ok = false }
                case .match:
                    return .matched(pos)
                }
                if ok { continue }
                // Backtrack: undo saves down to the latest choice, then take its other branch.
                var resumed = false
                backtrack: while depth >= 3 {
                    depth -= 3
                    let tag = stack[depth], value = stack[depth + 1], extra = stack[depth + 2]
                    if tag >= 0 {
                        pc = tag
                        pos = value
                        resumed = true
                        break
                    }
                    if tag > Self.repeatTag {
                        slots[-1 - tag] = value
                        continue
                    }
                    let at = Self.repeatTag - tag
                    let repeated = program[at]
                    if repeated.op == .greedySet {
                        // Give back the last scalar taken: step back over its continuation bytes.
                        var back = extra - 1
                        while back > value, text[back] & 0xC0 == 0x80 { back -= 1 }
                        held -= extra - back
                        if back > value { push(tag, value, back) } else { held -= back - value }
                        pc = at + 1
                        pos = back
                        resumed = true
                        break
                    }
                    // Lazy: take one more when allowed and the class holds the next scalar.
                    held -= extra
                    guard repeated.b < 0 || extra < Int(repeated.b) else { continue }
                    switch member(Int(repeated.a), at: value) {
                    case .yes(let w):
                        push(tag, value + w, extra + 1)
                        held += extra + 1
                        if tooDeep { return .undecided }
                        pc = at + 1
                        pos = value + w
                        resumed = true
                        break backtrack
                    case .no: continue
                    case .undecided: return .undecided
                    }
                }
                if !resumed { return .failed }
            }
        }
    }
}
