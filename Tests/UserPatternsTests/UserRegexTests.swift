import Foundation
import ReportModel
import TestSupport
import Testing
@testable import UserPatterns
import Yams

/// The literal pre-filter and the byte matcher must never change what ICU finds: the extractor
/// may only drop blocks without a match, and `ByteRegex` must give ICU's matches and groups.
struct UserRegexTests {
    static func regex(_ pattern: String, literal: Bool = false) throws -> UserRegex {
        try UserRegex(compiling: pattern, literal: literal)
    }

    static func clauses(_ pattern: String) -> [[String]]? {
        RegexParser.parse(pattern).map { RequiredLiterals.clauses($0.node).map { $0.map { String(decoding: $0, as: UTF8.self) } } }
    }

    /// ICU's matches, mapped to byte spans of `text` placed at `offset`.
    static func icuMatches(_ pattern: String, _ text: String, offset: Int = 0) throws -> [[SourceSpan?]] {
        let regex = try NSRegularExpression(pattern: pattern)
        var map: [Int] = []
        var at = offset
        for scalar in text.unicodeScalars {
            map.append(at)
            if scalar.value > 0xFFFF { map.append(at) }
            at += UTF8.width(scalar)
        }
        map.append(at)
        var out: [[SourceSpan?]] = []
        regex.enumerateMatches(in: text, range: NSRange(location: 0, length: text.utf16.count)) { match, _, _ in
            guard let match else { return }
            out.append((0..<match.numberOfRanges).map {
                let r = match.range(at: $0)
                return r.location == NSNotFound ? nil : SourceSpan(start: map[r.location], end: map[r.location + r.length])
            })
        }
        return out
    }

    // MARK: - Literal extraction

    @Test func literalsOfTheCommonShapes() {
        #expect(Self.clauses("(?:未|没有)(?:收到|接到|受理)[^。；，,]{0,20}?申请") == [["未收到", "未接到", "未受理", "没有收到", "没有接到", "没有受理"], ["申请"]])
        #expect(Self.clauses("(?<!不)予以公开\\s*([0-9]+)\\s*件") == [["予以公开"], ["件"]])
        #expect(Self.clauses("上年(?:度)?结转[^。；，,0-9]{0,15}?([0-9]+)\\s*件") == [["上年结转", "上年度结转"], ["件"]])
        #expect(Self.clauses("^[0-9]{6}$") == [])
    }

    @Test func literalsStayConservative() {
        // A quantifier binds to the last character only: 申请? needs 申, not 申请.
        #expect(Self.clauses("申请?") == [["申"]])
        // An optional group or branch is not required; an alternation needs one of its branches.
        #expect(Self.clauses("(?:收到)?申请") == [["申请"]])
        #expect(Self.clauses("未|申请") == [["未", "申请"]])
        #expect(Self.clauses("(?:收到|受理)*件") == [["件"]])
        // A lookbehind looks at text outside the match.
        #expect(Self.clauses("(?<=申请)\\d+") == [])
    }

    @Test func unknownSyntaxGivesNoFilter() {
        for pattern in ["(?i)abc", "\\p{Han}+件", "a\\Qb\\E", "[[a]b]", "\\x41件", "(?<name>a)件", "a{,3}", "[a&&b]", "\\1", "(?x) a b"] {
            #expect(RegexParser.parse(pattern) == nil, "\(pattern)")
            let regex = try? Self.regex(pattern)
            #expect(regex.map { $0.required.isEmpty && $0.engine == nil } ?? true, "\(pattern)")
        }
    }

    @Test func aNaiveFilterWouldDropTheseMatches() throws {
        // Each text matches, but lacks the literal a naive extractor (all literal characters of
        // the pattern) would require.
        let cases = [("申请?", "本年申报数量"), ("(?:收到)?申请", "共有申请3件"), ("未|申请", "未发生"), ("办结(?:各类)?申请", "办结申请"),
                     ("(?<!不)予以公开", "予以公开"), ("a{0,2}件", "件")]
        for (pattern, text) in cases {
            let regex = try Self.regex(pattern)
            let source = SourceText(text)
            #expect(try !Self.icuMatches(pattern, text).isEmpty, "\(pattern) should match \(text)")
            #expect(regex.mayMatch(source, SourceSpan(start: 0, end: source.bytes.count)), "\(pattern) on \(text)")
        }
    }

    // MARK: - The byte matcher against ICU

    /// Patterns of the repository's rule files (every `pattern`, `patterns` and contact `format`
    /// under Rules/) and shapes that exercise backtracking order and groups.
    static func patterns() -> [String] {
        var out: [String] = []
        for text in RuleFiles.texts() { out += RuleFiles.patterns(inYAML: text) }
        return out + [
            "(a|ab)(c|bcd)(d*)", "(\\d+)\\s*件", "年度(不)?公开", "a{2,3}?b", "[^\\s]+@", "\\s+$", "(a)|b", "件+", "^收到",
            "(?:(a)|b)+", "(?:(a)|(b))+c", "(\\.[a-z]+)*x", "((a)|b)+", "(a|b)*?b", "(a+|b)+?c", "[\\d.]+件", "(?<=申请|收到)\\d+",
            "(?<!申请|到)\\d{2}", "\\D+\\d", "[+\\-.]x", "(?:ab|a)(?:bc|c)", "((?:收到|申请)\\s*)+(\\d)", "(?:(\\d+)件|(\\d+)条)",
            "[０-９]+", "(a)??b", "[^。]*。", "(x)(y)?(z)*",
        ]
    }


    static let pool = Array("。；，,、0123456789０１２ 　\n\t件申请收到未年度不及予以公开部分aZz-._@/:%+#?Abcxy".unicodeScalars)

    /// A string the pattern matches (a random path through it).
    static func sample(_ node: RegexNode, _ rng: inout SplitMix64) -> String {
        switch node {
        case .literal(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .set(let cls):
            return pool.filter { cls.contains($0.value) }.randomElement(using: &rng).map { String($0) } ?? ""
        case .opaque: return "x"
        case .assertion: return ""
        case .group(let body, _): return sample(body, &rng)
        case .concat(let items): return items.map { sample($0, &rng) }.joined()
        case .alternation(let branches): return sample(branches.randomElement(using: &rng)!, &rng)
        case .loop(let body, let low, let high, _, _):
            return (0..<Int.random(in: low...min(high ?? (low + 3), low + 4), using: &rng)).map { _ in sample(body, &rng) }.joined()
        }
    }

    @Test func byteMatcherAgreesWithICU() throws {
        var rng = SplitMix64(seed: 2024)
        var compared = 0
        for pattern in Self.patterns() {
            let regex = try Self.regex(pattern)
            guard let (node, _) = RegexParser.parse(pattern), let engine = regex.engine else { continue }
            let tokens = pattern.split(whereSeparator: { "\\[](){}?*+|^$".contains($0) }).map(String.init) + Self.pool.map { String($0) }
            for _ in 0..<300 {
                var text = ""
                for _ in 0..<Int.random(in: 0...3, using: &rng) {
                    if Bool.random(using: &rng) { text += Self.sample(node, &rng) } else { for _ in 0..<Int.random(in: 0...5, using: &rng) { text += tokens.randomElement(using: &rng)! } }
                }
                var scalars = Array(text.unicodeScalars)
                if !scalars.isEmpty, Bool.random(using: &rng) { scalars.remove(at: Int.random(in: 0..<scalars.count, using: &rng)) }
                text = String(String.UnicodeScalarView(scalars))
                // The block sits after other text, as paragraphs do in a document.
                let prefix = "前文。"
                let bytes = Array((prefix + text).utf8)
                let span = SourceSpan(start: prefix.utf8.count, end: bytes.count)
                guard let ours = try engine.matches(in: bytes, span: span, deadline: .now + .seconds(10)) else { continue }
                let icu = try Self.icuMatches(pattern, text, offset: prefix.utf8.count)
                #expect(ours == icu, "\(pattern) on \(text.debugDescription)")
                if !icu.isEmpty { #expect(regex.mayMatch(SourceText(bytes: bytes), span), "pre-filter of \(pattern) on \(text.debugDescription)") }
                compared += 1
            }
        }
        #expect(compared > 5000)
    }

    @Test func builtInPatternsRunWithoutICU() throws {
        for pattern in Self.patterns() { #expect(try Self.regex(pattern).engine != nil, "\(pattern)") }
    }

    @Test func literalPatternsMatchLiterally() throws {
        for text in ["a.b*c", "（一）[注]", "x+y?z|w", "50%", "a\\d"] {
            let regex = try Self.regex(text, literal: true)
            let hay = "前" + text + "后" + text
            let source = SourceText(hay)
            let ours = try regex.matches(in: source, span: SourceSpan(start: 0, end: source.bytes.count), deadline: .now + .seconds(10))
            let icu = try Self.icuMatches(NSRegularExpression.escapedPattern(for: text), hay)
            #expect(ours == icu && ours.count == 2, "\(text)")
        }
    }

    @Test func digitAndSpaceClassesAreICUs() throws {
        var text = ""
        var scalars: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            text.unicodeScalars.append(s)
            scalars.append(v)
        }
        var utf16ToScalar: [UInt32] = []
        for v in scalars { utf16ToScalar.append(v); if v > 0xFFFF { utf16ToScalar.append(v) } }
        for (pattern, cls) in [("\\d", ScalarClass(digit: true)), ("\\s", ScalarClass(space: true))] {
            var icu = Set<UInt32>()
            try NSRegularExpression(pattern: pattern).enumerateMatches(in: text, range: NSRange(location: 0, length: text.utf16.count)) { m, _, _ in
                icu.insert(utf16ToScalar[m!.range.location])
            }
            // Scalars newer than ICU's Unicode are left to ICU (`settles`); all others must agree.
            let differing = scalars.filter { cls.settles($0) && cls.contains($0) != icu.contains($0) }
            #expect(differing.isEmpty, "\(pattern): \(differing.prefix(5).map { String($0, radix: 16) })")
        }
    }

    @Test func undecidedTextFallsBackToICU() throws {
        // `$` before a final line break is ICU's to decide; the answer is still ICU's.
        let regex = try Self.regex("年度$")
        let source = SourceText("本年度\n")
        let span = SourceSpan(start: 0, end: source.bytes.count)
        #expect(try regex.engine!.matches(in: source.bytes, span: span, deadline: .now + .seconds(10)) == nil)
        #expect(try regex.matches(in: source, span: span, deadline: .now + .seconds(10)) == Self.icuMatches("年度$", "本年度\n"))
    }

    @Test func deepBacktrackingIsLeftToICU() throws {
        // ICU gives up on a match needing more than its backtracking stack and reports no match;
        // the byte matcher leaves such depths to ICU, so the answer stays ICU's either way.
        let pattern = "a(?:c|d)*b"
        let text = "a" + String(repeating: "c", count: 1_000_000) + "b"
        let regex = try Self.regex(pattern)
        let source = SourceText(text)
        let span = SourceSpan(start: 0, end: source.bytes.count)
        #expect(try regex.engine!.matches(in: source.bytes, span: span, deadline: .now + .seconds(60)) == nil)
        #expect(try regex.matches(in: source, span: span, deadline: .now + .seconds(60)) == Self.icuMatches(pattern, text))
    }

    @Test func runawayPatternTimesOut() throws {
        let regex = try Self.regex("(?:a+)+$")
        #expect(regex.engine != nil)
        let source = SourceText(String(repeating: "a", count: 40) + "b")
        #expect(throws: UserRegex.TimedOut.self) {
            _ = try regex.matches(in: source, span: SourceSpan(start: 0, end: source.bytes.count), deadline: .now + .milliseconds(50))
        }
    }

    // MARK: - Helpers of the kinds

    @Test func needleFindsLiteralsAtTheEdges() {
        let text = Array("件申请。件".utf8)
        text.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            for word in ["件", "申请", "。", "请。件", "件申请。件"] {
                #expect(Needle(Array(word.utf8)).occurs(in: base, SourceSpan(start: 0, end: text.count)), "\(word)")
            }
            #expect(!Needle(Array("件申".utf8)).occurs(in: base, SourceSpan(start: 1, end: text.count)))
            #expect(!Needle(Array("申请".utf8)).occurs(in: base, SourceSpan(start: 0, end: 8)))
        }
    }

    @Test func markingBlocksAgreesWithSearchingEach() {
        var rng = SplitMix64(seed: 11)
        let tokens = ["件", "申请", "申", "请", "。", "a", "件申", "表格中的数字一二三四五六七八九十"]
        for _ in 0..<2000 {
            // Long enough for gaps wider than a run (`Needle.runGap`) between blocks.
            let text = Array((0..<Int.random(in: 0...60, using: &rng)).map { _ in tokens.randomElement(using: &rng)! }.joined().utf8)
            // Blocks in order with gaps between them, cut anywhere (even inside a character).
            var cuts = (0..<Int.random(in: 0...10, using: &rng)).map { _ in Int.random(in: 0...text.count, using: &rng) }.sorted()
            if cuts.count % 2 == 1 { cuts.removeLast() }
            let blocks = stride(from: 0, to: cuts.count, by: 2).map { SourceSpan(start: cuts[$0], end: cuts[$0 + 1]) }
            for word in ["件", "申请", "件申"] {
                let needle = Needle(Array(word.utf8))
                text.withUnsafeBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return }
                    var holds = [Bool](repeating: false, count: blocks.count)
                    needle.mark(blocks, &holds, in: base)
                    #expect(holds == blocks.map { needle.occurs(in: base, $0) }, "\(word) in \(blocks)")
                }
            }
        }
    }
}
