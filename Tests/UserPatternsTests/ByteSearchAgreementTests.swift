import ReportModel
import TestSupport
import Testing
@testable import UserPatterns

/// The byte matcher's fast path on valid UTF-8 gives the same matches as its scalar path.
struct ByteSearchAgreementTests {
    @Test func validTextSearchAgreesWithScalarSearch() throws {
        var rng = SplitMix64(seed: 4242)
        var compared = 0
        for pattern in UserRegexTests.patterns() + ["(?:未|没有)收到", "无法提供", "a|b|件"] {
            guard let engine = try UserRegexTests.regex(pattern).engine, let (node, _) = RegexParser.parse(pattern) else { continue }
            for _ in 0..<200 {
                var text = "前文。"
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    text += Bool.random(using: &rng) ? UserRegexTests.sample(node, &rng) : String(UserRegexTests.pool.randomElement(using: &rng)!)
                }
                let bytes = Array(text.utf8)
                let span = SourceSpan(start: Int.random(in: 0...9, using: &rng) / 3 * 3, end: bytes.count)
                let simple = try engine.matches(in: bytes, span: span, deadline: .now + .seconds(10))
                let fast = try engine.matches(in: bytes, span: span, deadline: .now + .seconds(10), validUTF8: true)
                #expect(simple == fast, "\(pattern) on \(text.debugDescription)")
                compared += 1
            }
        }
        #expect(compared > 1000)
    }
}
