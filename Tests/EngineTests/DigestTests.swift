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



extension DigestTests {
    /// The sub-heading test as it was written on strings, kept as the reference for the byte one.
    static func isOrdinalSubheadingReference(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars.drop { CharClass.isSpace($0) })
        guard s.first == "（", let close = s.firstIndex(of: "）"), close > 1 else { return false }
        guard s[1..<close].allSatisfy({ "一二三四五六七八九十".unicodeScalars.contains($0) }) else { return false }
        let rest = s[(close + 1)...].filter { !CharClass.isSpace($0) }
        return (1...30).contains(rest.count) && !rest.contains { "。；！？，".unicodeScalars.contains($0) }
    }

    @Test("Ordinal sub-headings are told on the bytes as on the text", arguments: [
        "（一）主动公开情况", "\u{3000}\u{3000}（二）依申请公开情况", "  （十一）其他", "（一）", "（）主动公开", "（一二）a",
        "（一）主动公开情况。", "（一）主动公开，情况", "（甲）主动公开情况", "（一主动公开情况", "主动公开（一）情况",
        "（三）" + String(repeating: "字", count: 30), "（三）" + String(repeating: "字", count: 31), "（四） 政 府 信 息 ",
        "(一)主动公开情况", "（五）\u{3000}", "",
    ])
    func ordinalSubheadingOnBytes(_ text: String) {
        let bytes = Array(text.utf8)
        let onBytes = bytes.withUnsafeBufferPointer { ReportDigester.isOrdinalSubheading($0, SourceSpan(start: 0, end: bytes.count)) }
        #expect(onBytes == Self.isOrdinalSubheadingReference(text), "\(text)")
    }

    @Test("The prose is fingerprinted on the bytes as sentence by sentence on the scalars")
    func proseFastPathsAgree() throws {
        // Every kind of scalar the fast paths treat apart: ideographs, ASCII letters and digits,
        // CJK punctuation, full-width letters, the hexagrams just past the ideograph fast path, a
        // supplementary ideograph, ideographic space at a sentence start.
        let text = "本机关2023年主动公开政府信息ABC共计一百二十条，较上年增长。\u{3000}ＡＢＣ全角字母也计入句子长度！䷀䷁卦象符号不计入其中𠀀扩展汉字计入；"
            + "Short。这一句足够长可以计数吗\n包含的 ASCII words and 数字 123 都在这里？"
        let bytes = Array(text.utf8)
        var fast = ProseSentences(statutory: [])
        bytes.withUnsafeBufferPointer { fast.scan($0, from: 0, to: $0.count) }
        var reference: [UInt64] = []
        var sentence: [Unicode.Scalar] = []
        for s in text.unicodeScalars {
            if "。！？；\n".unicodeScalars.contains(s) {
                if let key = ReportDigester.sentenceKey(sentence) { reference.append(key) }
                sentence = []
            } else {
                sentence.append(s)
            }
        }
        if let key = ReportDigester.sentenceKey(sentence) { reference.append(key) }
        #expect(reference.count == 5)
        #expect(fast.keys == reference)
    }
}
