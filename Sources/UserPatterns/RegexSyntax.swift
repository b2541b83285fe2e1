/// The part of ICU's regular expression syntax we understand well enough to reason about: what
/// a match must contain (`requiredLiterals`, the pre-filter) and, for a smaller subset, how to run
/// it on UTF-8 bytes without ICU (`ByteRegex`). Anything else parses to nil and the pattern keeps
/// ICU and no pre-filter: being wrong here would drop findings, being cautious only costs time.
indirect enum RegexNode: Sendable, Equatable {
    /// One scalar or more, as UTF-8.
    case literal([UInt8])
    case set(ScalarClass)
    /// Consumes text in a way we do not model (`\w`, `.`).
    case opaque
    /// Zero-width: `^`, `$`, a lookbehind of literals, or one we do not model (`\b`, lookahead).
    case assertion(Assertion)
    case group(RegexNode, capture: Int?)
    case concat([RegexNode])
    case alternation([RegexNode])
    case loop(RegexNode, min: Int, max: Int?, lazy: Bool, possessive: Bool)

    enum Assertion: Sendable, Equatable {
        case start, end
        case lookbehind([[UInt8]], negated: Bool)
        case other
    }
}

/// A set of scalars: ranges, `\d` (general category Nd, as ICU), `\s` (White_Space, as ICU),
/// their complements, optionally negated as a whole.
struct ScalarClass: Sendable, Equatable {
    var ranges: [ClosedRange<UInt32>] = []
    var digit = false, nonDigit = false, space = false, nonSpace = false
    var negated = false
    /// Membership of the 128 ASCII scalars, precomputed: most text the patterns touch is ASCII or CJK.
    private(set) var asciiLow: UInt64 = 0, asciiHigh: UInt64 = 0

    init(ranges: [ClosedRange<UInt32>] = [], digit: Bool = false, nonDigit: Bool = false, space: Bool = false, nonSpace: Bool = false, negated: Bool = false) {
        self.ranges = ranges
        self.digit = digit
        self.nonDigit = nonDigit
        self.space = space
        self.nonSpace = nonSpace
        self.negated = negated
        for c in UInt32(0)..<128 where slowContains(c) {
            if c < 64 { asciiLow |= 1 << UInt64(c) } else { asciiHigh |= 1 << UInt64(c - 64) }
        }
    }

    @inline(__always) func contains(_ c: UInt32) -> Bool {
        if c < 64 { return asciiLow & (1 << UInt64(c)) != 0 }
        if c < 128 { return asciiHigh & (1 << UInt64(c - 64)) != 0 }
        return slowContains(c)
    }

    private func slowContains(_ c: UInt32) -> Bool {
        var inside = ranges.contains { $0.contains(c) }
        if !inside, digit || nonDigit || space || nonSpace {
            let d = Self.isDecimalDigit(c), s = Self.isWhiteSpace(c)
            inside = (digit && d) || (nonDigit && !d) || (space && s) || (nonSpace && !s)
        }
        return inside != negated
    }

    /// Whether the class may hold a scalar outside ASCII.
    var reachesBeyondASCII: Bool {
        negated || nonDigit || nonSpace || digit || space || ranges.contains { $0.upperBound >= 0x80 }
    }

    /// Whether membership of `c` may depend on the Unicode version: a scalar newer than ICU's
    /// Unicode (16.0 in ICU 76) is Nd for the standard library but unassigned for ICU.
    @inline(__always) func settles(_ c: UInt32) -> Bool {
        guard c >= 0x80, digit || nonDigit, Self.commonCJK(c) == nil else { return true }
        guard let age = Unicode.Scalar(c)?.properties.age else { return true }
        return age.major <= Self.icuUnicodeMajor
    }

    static let icuUnicodeMajor = 16

    /// `(digit, space)` for the blocks most report text is in: CJK ideographs, CJK punctuation
    /// and full-width forms, all assigned long before any Unicode version either side uses.
    /// Looking the properties up cost more than matching.
    @inline(__always) static func commonCJK(_ c: UInt32) -> (digit: Bool, space: Bool)? {
        switch c {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3001...0x303F: (false, false)
        case 0x3000: (false, true)
        case 0xFF10...0xFF19: (true, false)
        case 0xFF01...0xFF5E: (false, false)
        default: nil
        }
    }

    /// ICU's `\d`: general category Nd. A test compares it with ICU over every scalar.
    static func isDecimalDigit(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x30 && c <= 0x39 }
        if let common = commonCJK(c) { return common.digit }
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.generalCategory == .decimalNumber
    }

    /// ICU's `\s`: the White_Space property. A test compares it with ICU over every scalar.
    static func isWhiteSpace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        if let common = commonCJK(c) { return common.space }
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.isWhitespace
    }
}

/// A conservative parser: a pattern NSRegularExpression accepted, read by whitelist. Flags, named
/// groups, back-references, `\Q…\E`, `\p{…}`, nested or set-operation classes, and punctuation
/// whose meaning depends on context all give nil.
struct RegexParser {
    private let scalars: [Unicode.Scalar]
    private var i = 0
    private(set) var captureCount = 0

    /// The syntax tree of `pattern`, or nil when it uses anything outside the understood subset.
    static func parse(_ pattern: String) -> (node: RegexNode, captures: Int)? {
        var parser = RegexParser(scalars: Array(pattern.unicodeScalars))
        guard let node = parser.alternation(), parser.i == parser.scalars.count else { return nil }
        return (node, parser.captureCount)
    }

    private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    private var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? { i + offset < scalars.count ? scalars[i + offset] : nil }

    private mutating func alternation() -> RegexNode? {
        var branches: [RegexNode] = []
        while true {
            guard let branch = concatenation() else { return nil }
            branches.append(branch)
            guard peek == "|" else { break }
            i += 1
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation() -> RegexNode? {
        var items: [RegexNode] = []
        while let c = peek, c != "|", c != ")" {
            guard var atom = atom() else { return nil }
            if let q = quantifier() {
                // Quantifying a zero-width assertion, or quantifying twice, is not ours to interpret.
                if case .assertion = atom { return nil }
                atom = .loop(atom, min: q.min, max: q.max, lazy: q.lazy, possessive: q.possessive)
                if let c = peek, "?*+{".unicodeScalars.contains(c) { return nil }
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .concat(items)
    }

    private mutating func quantifier() -> (min: Int, max: Int?, lazy: Bool, possessive: Bool)? {
        guard let c = peek else { return nil }
        var q: (min: Int, max: Int?)
        switch c {
        case "?": q = (0, 1); i += 1
        case "*": q = (0, nil); i += 1
        case "+": q = (1, nil); i += 1
        case "{":
            guard let interval = interval() else { return nil }
            q = interval
        default: return nil
        }
        var lazy = false, possessive = false
        if peek == "?" { lazy = true; i += 1 } else if peek == "+" { possessive = true; i += 1 }
        return (q.min, q.max, lazy, possessive)
    }

    /// `{n}`, `{n,}`, `{n,m}` with plain digits; anything else leaves `i` and gives nil, and the
    /// caller then sees a `{` it does not accept as an atom.
    private mutating func interval() -> (min: Int, max: Int?)? {
        let save = i
        i += 1
        guard let low = number() else { i = save; return nil }
        var high: Int? = low
        if peek == "," {
            i += 1
            high = number()
        }
        guard peek == "}", high.map({ $0 >= low }) ?? true else { i = save; return nil }
        i += 1
        return (low, high)
    }

    private mutating func number() -> Int? {
        var value = 0, digits = 0
        while let c = peek, c.isASCII, ("0"..."9").contains(c), digits < 6 {
            value = value * 10 + Int(c.value - 0x30)
            digits += 1
            i += 1
        }
        return digits == 0 ? nil : value
    }

    /// ASCII punctuation that stands for itself outside a class.
    private static let plainPunctuation = Set("!\"#%&',-/:;<=>@_`~ ".unicodeScalars)

    private mutating func atom() -> RegexNode? {
        guard let c = peek else { return nil }
        switch c {
        case "(": return group()
        case "[": return characterClass()
        case "\\": return escape()
        case ".": i += 1; return .opaque
        case "^": i += 1; return .assertion(.start)
        case "$": i += 1; return .assertion(.end)
        default:
            if c.isASCII, !(c.properties.isAlphabetic || ("0"..."9").contains(c) || Self.plainPunctuation.contains(c)) { return nil }
            // Control and other format characters stay with ICU.
            if c.value < 0x20 || c.value == 0x7F { return nil }
            i += 1
            return .literal(Array(String(c).utf8))
        }
    }

    private mutating func group() -> RegexNode? {
        i += 1
        var capture: Int?
        var lookbehind: Bool?
        var other = false
        if peek == "?" {
            switch (peek(1), peek(2)) {
            case (":", _): i += 2
            case ("<", "!"): i += 3; lookbehind = true
            case ("<", "="): i += 3; lookbehind = false
            case ("=", _), ("!", _): i += 2; other = true
            default: return nil  // flags, named groups, atomic groups, comments
            }
        } else {
            captureCount += 1
            capture = captureCount
        }
        guard let body = alternation(), peek == ")" else { return nil }
        i += 1
        if let negated = lookbehind {
            // A lookbehind we run must be a literal or literals; others only stay zero-width.
            if let strings = RequiredLiterals.exactStrings(body), !strings.contains([]) { return .assertion(.lookbehind(strings, negated: negated)) }
            return .assertion(.other)
        }
        if other { return .assertion(.other) }
        return .group(body, capture: capture)
    }

    private mutating func escape() -> RegexNode? {
        guard let c = peek(1) else { return nil }
        i += 2
        switch c {
        case "d": return .set(ScalarClass(digit: true))
        case "D": return .set(ScalarClass(nonDigit: true))
        case "s": return .set(ScalarClass(space: true))
        case "S": return .set(ScalarClass(nonSpace: true))
        case "w", "W": return .opaque
        case "b", "B", "A", "z", "Z", "G": return .assertion(.other)
        default:
            guard let scalar = Self.escapedLiteral(c) else { return nil }
            return .literal(Array(String(scalar).utf8))
        }
    }

    /// `\n`, `\t`, `\r`, `\f` and escaped ASCII punctuation; nil for every other escape.
    private static func escapedLiteral(_ c: Unicode.Scalar) -> Unicode.Scalar? {
        switch c {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "f": return "\u{0C}"
        default:
            guard c.isASCII, c.value > 0x20, c.value < 0x7F, !c.properties.isAlphabetic, !("0"..."9").contains(c) else { return nil }
            return c
        }
    }

    /// ASCII punctuation that stands for itself inside a class (not `[ ] \ & - ^ $ { } :` or space).
    private static let classPunctuation = Set("!\"#%'()*+,./;<=>?@_`|~".unicodeScalars)

    private mutating func characterClass() -> RegexNode? {
        i += 1
        var cls = ScalarClass()
        if peek == "^" { cls.negated = true; i += 1 }
        if peek == "]" || peek == "-" { return nil }
        var ranges: [ClosedRange<UInt32>] = []
        while true {
            guard let c = peek else { return nil }
            if c == "]" { i += 1; break }
            if c == "-", peek(1) == "]" {
                // A `-` just before the end stands for itself.
                ranges.append(0x2D...0x2D)
                i += 2
                break
            }
            if c == "\\" {
                guard let e = peek(1) else { return nil }
                switch e {
                case "d": cls.digit = true; i += 2; continue
                case "D": cls.nonDigit = true; i += 2; continue
                case "s": cls.space = true; i += 2; continue
                case "S": cls.nonSpace = true; i += 2; continue
                default: break
                }
            }
            guard let low = classMember() else { return nil }
            if peek == "-" {
                if peek(1) == "]" {
                    ranges.append(low...low)
                    continue
                }
                i += 1
                guard let high = classMember(), high >= low else { return nil }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
        }
        return .set(ScalarClass(ranges: ranges, digit: cls.digit, nonDigit: cls.nonDigit, space: cls.space, nonSpace: cls.nonSpace, negated: cls.negated))
    }

    /// One scalar inside a class: a literal or an escaped one.
    private mutating func classMember() -> UInt32? {
        guard let c = peek else { return nil }
        if c == "\\" {
            guard let e = peek(1), let scalar = Self.escapedLiteral(e) else { return nil }
            i += 2
            return scalar.value
        }
        if c.isASCII, !(c.properties.isAlphabetic || ("0"..."9").contains(c) || Self.classPunctuation.contains(c)) { return nil }
        if c.value < 0x20 || c.value == 0x7F { return nil }
        i += 1
        return c.value
    }
}

/// What any match of a pattern must contain, as clauses: each clause lists literals of which at
/// least one occurs in the match. Used as a pre-filter: a block lacking a clause cannot match.
enum RequiredLiterals {
    /// Cross products of literal alternatives longer than this are cut into separate clauses.
    static let productLimit = 8

    struct Facts {
        /// Clauses true of every string the node matches.
        var clauses: [[[UInt8]]] = []
        /// Every string the node matches, when that is a short list of literals (the empty string included).
        var exact: [[UInt8]]?
    }

    static func clauses(_ node: RegexNode) -> [[[UInt8]]] {
        simplify(facts(node).clausesWithExact)
    }

    /// The strings a node matches when it is literals only (for lookbehinds).
    static func exactStrings(_ node: RegexNode) -> [[UInt8]]? { facts(node).exact }

    static func facts(_ node: RegexNode) -> Facts {
        switch node {
        case .literal(let bytes): return Facts(exact: [bytes])
        case .set, .opaque: return Facts()
        case .assertion: return Facts(exact: [[]])
        case .group(let body, _): return facts(body)
        case .concat(let items):
            var clauses: [[[UInt8]]] = []
            // Strings of the current stretch of exact items, which stand next to each other in a match.
            var run: [[UInt8]] = [[]]
            var allExact = true
            for item in items {
                let f = facts(item)
                if let exact = f.exact {
                    if run.count * exact.count <= productLimit {
                        run = run.flatMap { a in exact.map { a + $0 } }
                    } else {
                        clauses.append(run)
                        run = exact
                        allExact = false
                    }
                } else {
                    clauses.append(run)
                    clauses += f.clauses
                    run = [[]]
                    allExact = false
                }
            }
            if allExact { return Facts(exact: run) }
            clauses.append(run)
            return Facts(clauses: clauses)
        case .alternation(let branches):
            let all = branches.map(facts)
            if all.allSatisfy({ $0.exact != nil }) {
                let strings = all.flatMap { $0.exact! }
                if strings.count <= productLimit * 2 { return Facts(exact: strings) }
            }
            // Whichever branch matched, one literal of its own strongest clause is there.
            var union: [[UInt8]] = []
            for f in all {
                guard let best = simplify(f.clausesWithExact).max(by: { strength($0) < strength($1) }) else { return Facts() }
                union += best
            }
            return Facts(clauses: [union])
        case .loop(let body, let min, let max, _, _):
            let f = facts(body)
            if min == 0 {
                if max == 1, let exact = f.exact { return Facts(exact: exact + [[]]) }
                return Facts()
            }
            if min == 1, max == 1 { return f }
            return Facts(clauses: f.clausesWithExact)
        }
    }

    /// How selective a clause is: its shortest literal's length (a clause is as weak as that literal).
    static func strength(_ clause: [[UInt8]]) -> Int { clause.map(\.count).min() ?? 0 }

    /// Drops clauses an empty string satisfies, literals that contain another of their clause,
    /// and duplicate clauses.
    static func simplify(_ clauses: [[[UInt8]]]) -> [[[UInt8]]] {
        var out: [[[UInt8]]] = []
        for clause in clauses {
            if clause.isEmpty || clause.contains([]) { continue }
            var kept: [[UInt8]] = []
            for lit in clause.sorted(by: { $0.count < $1.count }) where !kept.contains(where: { contains(lit, $0) }) { kept.append(lit) }
            if !out.contains(kept) { out.append(kept) }
        }
        return out
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        if needle.isEmpty { return true }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        return false
    }
}

extension RequiredLiterals.Facts {
    /// The clauses, with the exact strings as one more clause when known.
    var clausesWithExact: [[[UInt8]]] { exact.map { clauses + [$0] } ?? clauses }
}
