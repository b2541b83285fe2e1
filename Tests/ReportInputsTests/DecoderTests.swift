@testable import ReportInputs
import ReportModel
import Testing

struct DecoderTests {
    let sample = "2019年湘乡市行政审批服务局政府信息公开年度报告\r\n联系电话：56768112\n（一）主动公开\r末行"

    @Test func plainUTF8() throws {
        let result = try TextDecoder.decode(Array(sample.utf8)).get()
        #expect(result.encoding == .utf8)
        #expect(result.bytes == Array(sample.utf8))
    }

    @Test func utf8WithBOMDropsTheMark() throws {
        let result = try TextDecoder.decode([0xEF, 0xBB, 0xBF] + Array(sample.utf8)).get()
        #expect(result.encoding == .utf8BOM)
        #expect(result.bytes == Array(sample.utf8))
    }

    @Test(arguments: [true, false])
    func utf16WithBOM(littleEndian: Bool) throws {
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in sample.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bytes += littleEndian ? pair : pair.reversed()
        }
        let result = try TextDecoder.decode(bytes).get()
        #expect(result.encoding == (littleEndian ? .utf16LE : .utf16BE))
        #expect(result.bytes == Array(sample.utf8))
    }

    @Test func gb18030WhenNotUTF8() throws {
        let gb = try #require(TextDecoder.convertWithIconv(Array(sample.utf8), from: "UTF-8", to: "GB18030"))
        #expect(gb != Array(sample.utf8))
        let result = try TextDecoder.decode(gb).get()
        #expect(result.encoding == .gb18030)
        #expect(result.bytes == Array(sample.utf8))
    }

    @Test func brokenInputsFailWithAReason() {
        // An odd number of UTF-16 bytes, a lone surrogate, and bytes that are neither UTF-8 nor GB18030.
        let inputs: [[UInt8]] = [[0xFF, 0xFE, 0x41], [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00], [0x80, 0xFF, 0xFE, 0x30, 0x81]]
        for input in inputs {
            guard case .failure(let error) = TextDecoder.decode(input) else {
                Issue.record("decoded \(input)")
                continue
            }
            #expect(!error.description.isEmpty)
        }
    }

    @Test func linesAndColumnsAcrossLineEnds() {
        let text = SourceText(sample)
        #expect(text.lineCount == 4)
        #expect(text.lineText(1).hasSuffix("年度报告"))
        #expect(text.lineText(3) == "（一）主动公开")
        #expect(text.lineText(4) == "末行")
        let offset = Array(sample.utf8).firstIndex(of: UInt8(ascii: "5"))!
        let at = text.location(of: offset)
        #expect(at.line == 2 && at.column == 6 && at.utf16Column == 6)
    }

    @Test func columnsCountScalarsAndUTF16Units() {
        // 𠀀 is one scalar but two UTF-16 units; 年 is three UTF-8 bytes.
        let text = SourceText("𠀀年x")
        let x = Array("𠀀年".utf8).count
        let at = text.location(of: x)
        #expect(at.column == 3)
        #expect(at.utf16Column == 4)
    }

    /// A long UTF-8 report text (a few KB), so that a few damaged bytes are "a few".
    static var longText: String { String(repeating: "本年度共收到政府信息公开申请5件，全部按时答复。\n", count: 80) }

    @Test("A few damaged bytes in UTF-8: replaced by U+FFFD, the first one located, the rest kept")
    func lossyUTF8() throws {
        var bytes = Array(Self.longText.utf8)
        #expect(throws: DecodeError.self) { try TextDecoder.decode(bytes + [0xFF]).get() }
        bytes[300] = 0xFF          // inside a character: one damaged place, however many subparts
        let repaired = try #require(TextDecoder.decodeLossy(bytes))
        #expect(repaired.encoding == .utf8)
        #expect(repaired.damaged == 1)
        #expect(TextDecoder.isValidUTF8(repaired.bytes))
        #expect(Array(repaired.bytes[repaired.firstDamage..<(repaired.firstDamage + 3)]) == [0xEF, 0xBF, 0xBD])
        #expect(repaired.firstDamage <= 300)
        // The text after the damage is all there.
        #expect(String(decoding: repaired.bytes, as: UTF8.self).hasSuffix("全部按时答复。\n"))
    }

    @Test("A few damaged bytes in GB18030 are repaired too; damage everywhere is no text")
    func lossyGB18030() throws {
        let gb = try #require(TextDecoder.convertWithIconv(Array(Self.longText.utf8), from: "UTF-8", to: "GB18030"))
        var damaged = gb
        damaged[401] = 0xFF
        let repaired = try #require(TextDecoder.decodeLossy(damaged))
        #expect(repaired.encoding == .gb18030)
        #expect(repaired.damaged >= 1 && repaired.damaged <= 2)
        #expect(String(decoding: repaired.bytes, as: UTF8.self).hasSuffix("全部按时答复。\n"))
        // Random bytes are not "a few damaged sequences" in any encoding.
        var noise = [UInt8](repeating: 0, count: 4000)
        for i in noise.indices { noise[i] = UInt8(truncatingIfNeeded: (i &* 7919) ^ (i >> 3)) | 0x80 }
        #expect(TextDecoder.decodeLossy(noise) == nil)
    }
}
