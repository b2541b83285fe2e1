import Foundation
import ReportScanner
import RuleKit
import RunResults
import Testing

@testable import ArchiveRules

/// What the rules across reports keep of a report: the parts a fast path takes, checked against
/// the plain way of taking them.
@Suite("Report digests")
struct DigestTests {
    static func digest(_ text: String) -> ReportDigest {
        ReportDigester.digest(ReportScanner.scan(SourceText(bytes: Array(text.utf8))))
    }

    static func example() throws -> String {
        try String(contentsOfFile: packageRoot + "/Examples/2023/changsha-rmzf-2023-clean.txt", encoding: .utf8)
    }

    @Test("Ordinal sub-headings (（一）主动公开情况, after white space too) are not prose; other lines are")
    func ordinalSubheadings() throws {
        let text = try Self.example()
        #expect(text.contains("\n（一）主动公开情况\n"))
        let indented = text.replacingOccurrences(of: "\n（二）依申请公开情况\n", with: "\n\u{3000}\u{3000}（二）依申请公开情况\n")
        let without = text.components(separatedBy: "\n").filter { !$0.hasPrefix("（") || $0.count > 30 }.joined(separator: "\n")
        #expect(without != text)
        let plain = Self.digest(without).sentences
        #expect(!plain.isEmpty)
        #expect(Self.digest(text).sentences == plain)
        #expect(Self.digest(indented).sentences == plain)
        // A sub-heading that is not ordinal counts as a sentence of the prose.
        let named = text.replacingOccurrences(of: "\n（一）主动公开情况\n", with: "\n【主动公开政府信息的总体情况说明】\n")
        #expect(Self.digest(named).sentences.count == plain.count + 1)
    }

    @Test("A count hashed by its digits, as its decimal text would be", arguments: [0, 7, 10, 123, 9_999_999, Int.max, -1, Int.min])
    func decimalDigits(_ n: Int) {
        var a = FNV1a(), b = FNV1a()
        a.addDecimal(n)
        b.add(String(n))
        #expect(a.value == b.value)
    }
}


