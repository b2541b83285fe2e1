import Foundation
import ReportInputs
import Testing
@testable import ReportModel
@testable import ReportScanner

/// The byte-level fast paths against their plain scalar definitions.
struct ByteLevelTests {
    /// Label normalization as first written, scalar by scalar.
    func referenceLabel(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for s in text.unicodeScalars {
            if CharClass.isSpace(s) { continue }
            var v = s.value
            if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }
            switch v {
            case 0x3001, 0x2E, 0x2C, 0x3A, 0x3B, 0x22, 0x27, 0x201C, 0x201D, 0x2018, 0x2019, 0x300C, 0x300D, 0xB7, 0x3002, 0xFE52: continue
            default: UTF8.encode(Unicode.Scalar(v)!) { out.append($0) }
            }
        }
        return out
    }

    @Test(arguments: [
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "３、危及\"三安全一稳定\"", "1，申请人无正当理由逾期不补正，行政机关",
        " \t一、本年新收　政府信息公开申请数量\u{A0}\u{200B}\u{FEFF}", "“三安全一稳定”「」·。﹒：；", "ＡＢＣ１２３．，：；＂＇！～", "é😀\u{2002}x", "",
    ])
    func labelBytesMatchTheScalarDefinition(_ text: String) {
        #expect(Label.bytes(text) == referenceLabel(text))
    }

    @Test(arguments: ["0", "-0", "7", "007", "-1", "12.5", "0.1", "-3.75", "999999999999999", "1234567890123456", "1.", ".5", "1.2.3", "-",
                      "+3", "12a", "1,000", "０", "3.14159265358979",
                      "12345678901234567890123456789012345678901234567890", "-99999999999999999999", "1.00000000000000000000001"])
    func asciiNumbersParseAsTheGeneralParser(_ text: String) {
        var utf8 = text
        let fast = utf8.withUTF8(CellParser.asciiNumber)
        if let fast { #expect(fast.bitPattern == CellParser.number(text)?.bitPattern) }
        #expect(CellParser.parse(text) == { () -> CellValue in
            if let n = CellParser.number(text) { return .number(n) }
            return CellParser.placeholders.contains(text) ? .placeholder(text) : .text(text)
        }())
    }

    @Test func byteKeyTableFindsExactKeysOnly() {
        let table = ByteKeyTable<Int>((0..<200).map { (Array("行\($0)".utf8), $0) } + [(Array("行7".utf8), 700)])
        #expect(table[Array("行7".utf8)] == 700)
        #expect(table[Array("行199".utf8)] == 199)
        #expect(table[Array("行200".utf8)] == nil)
        #expect(table[Array("".utf8)] == nil)
    }

    @Test func tableRowsAreFoundByKey() {
        let rows = (0..<40).map { TableRow(key: $0 == 5 ? nil : "键\($0)", label: "", labelSpan: nil, cells: []) }
            + [TableRow(key: "键3", label: "second", labelSpan: nil, cells: [])]
        var table = Table(id: .three, format: .v2021, layout: .cellPerLine, firstCellSpan: .empty(at: 0), rows: rows)
        #expect(table.rowIndex("键3") == 3)
        #expect(table.row("键39")?.key == "键39")
        #expect(table.rowIndex("键5") == nil)
        #expect(table.rowIndex("键40") == nil)
        table.rows.removeFirst()
        #expect(table.rowIndex("键3") == 2)
    }
}

/// Inputs the fuzzer crashed on (Tests/Fixtures/fuzz), scanned in process: a trap fails the run.
struct KeptFuzzFindingTests {
    @Test func scanWithoutTrapping() throws {
        let kept = packageRoot + "/Tests/Fixtures/fuzz"
        let inputs = try FileManager.default.contentsOfDirectory(atPath: kept).filter { $0.hasSuffix(".bin") }
        #expect(!inputs.isEmpty)
        for input in inputs {
            let data = try #require(FileManager.default.contents(atPath: kept + "/" + input))
            guard let decoded = try? TextDecoder.decode(Array(data)).get() else { continue }
            _ = ReportScanner.scan(SourceText(bytes: decoded.bytes))
        }
    }
}

struct SmallCountTextTests {
    @Test func smallCountsAreTheirOwnText() {
        for text in (0..<1000).map(String.init) + ["05", "00", "099", "1000", "0100", "", "a", "9a", "99a", "-1", "０"] {
            var bytes = Array(text.utf8)
            let interned = bytes.withUnsafeMutableBufferPointer { RawCell.smallCount(UnsafeBufferPointer($0)) }
            if let interned { #expect(interned == text) } else { #expect(!RawCell.smallCounts.contains(text)) }
        }
    }
}
