import CReportKernels
@testable import ReportModel
@testable import ReportScanner
import TestSupport
import Testing

/// The C kernels against their plain definitions, on generated inputs: every byte value, every
/// alignment modulo 32, sequences cut short at each length; at each level this CPU runs (plain C,
/// SSE2, AVX2), not only the one the tool picks.
struct KernelTests {
    func isValid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(UTF8Validation.isValid) }
    func isValidSequences(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(UTF8Validation.isValidSequences) }
    static let levels = Array(Int32(RK_LEVEL_PLAIN)...rk_kernel_level())

    /// Validation agrees with the scalar check, and the line index with the general one.
    func checkValidation(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let expected = isValidSequences(bytes)
        #expect(isValid(bytes) == expected, "\(bytes)", sourceLocation: sourceLocation)
        let text = SourceText(validatingUTF8: bytes)
        #expect((text != nil) == expected, "\(bytes)", sourceLocation: sourceLocation)
        let general = SourceText(bytes: bytes)
        if let text {
            #expect(text.lineStarts == general.lineStarts && text.lineEnds == general.lineEnds, "\(bytes)", sourceLocation: sourceLocation)
        }
        // Each level, with the line-feed offsets it writes (LF-only texts: what the index takes from it).
        let feeds = bytes.count { $0 == 0x0A }
        for level in Self.levels {
            var starts = [Int](repeating: -1, count: feeds + 1), ends = [Int](repeating: -1, count: feeds + 1)
            starts[0] = 0
            let valid = bytes.withUnsafeBufferPointer { rk_validate_utf8_at(level, $0.baseAddress, $0.count, &starts, &ends) }
            #expect(valid == expected, "level \(level): \(bytes)", sourceLocation: sourceLocation)
            if valid, !bytes.isEmpty, !bytes.contains(0x0D) {
                ends[feeds] = bytes.count
                let trailing = starts.count > 1 && starts.last == bytes.count
                #expect(Array(starts.dropLast(trailing ? 1 : 0)) == general.lineStarts && Array(ends.dropLast(trailing ? 1 : 0)) == general.lineEnds,
                        "level \(level): \(bytes)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Random scalars from each UTF-8 length and the edges of the ranges Table 3-7 narrows.
    func scalarBytes(_ g: inout SplitMix64) -> [UInt8] {
        let ranges: [ClosedRange<UInt32>] = [0x00...0x7F, 0x0A...0x0A, 0x80...0x7FF, 0x800...0xFFF, 0x1000...0xCFFF, 0xD000...0xD7FF,
                                             0xE000...0xFFFF, 0x10000...0x3FFFF, 0x40000...0xFFFFF, 0x100000...0x10FFFF, 0x4E00...0x9FFF]
        let range = ranges[Int(g.next() % UInt64(ranges.count))]
        let value = range.lowerBound + UInt32(g.next() % UInt64(range.count))
        return Array(String(Unicode.Scalar(value)!).utf8)
    }

    @Test func everyX86CPUHasAtLeastSSE2() {
        #if arch(x86_64)
        #expect(rk_kernel_level() >= RK_LEVEL_SSE2)
        #else
        #expect(rk_kernel_level() == RK_LEVEL_PLAIN)
        #endif
    }

    @Test func validationAgreesOnRandomBytes() {
        var g = SplitMix64(seed: 1)
        for _ in 0..<20_000 {
            let count = Int(g.next() % 70)
            // Bytes of every value, or mostly high bytes, where the sequences are.
            let high = g.next() % 2 == 0
            checkValidation((0..<count).map { _ in high ? UInt8(0x80 | g.next() % 0x80) : UInt8(truncatingIfNeeded: g.next()) })
        }
    }

    @Test func validationAgreesOnMutatedText() {
        var g = SplitMix64(seed: 2)
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(g.next() % 24) { bytes += scalarBytes(&g) }
            checkValidation(bytes)
            guard !bytes.isEmpty else { continue }
            var mutated = bytes
            switch g.next() % 4 {
            case 0: mutated[Int(g.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: g.next())
            case 1: mutated.removeLast(Int(g.next() % UInt64(min(3, bytes.count))) + 1)
            case 2: mutated.insert(UInt8(truncatingIfNeeded: g.next()), at: Int(g.next() % UInt64(bytes.count + 1)))
            default: mutated.remove(at: Int(g.next() % UInt64(bytes.count)))
            }
            checkValidation(mutated)
        }
    }

    /// Each lead byte with each second byte, at every offset modulo 32, and cut short at each length.
    @Test func validationAgreesOnEveryLeadAndSecondByte() {
        let leads: [UInt8] = [0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        for lead in leads {
            for second in 0...255 {
                let sequence: [UInt8] = [lead, UInt8(second), 0x80, 0xBF]
                for offset in [0, 1, 2, 3, 13, 14, 15, 16, 17, 28, 29, 30, 31, 32, 33, 61, 62, 63, 64, 65] {
                    let prefix = [UInt8](repeating: 0x61, count: offset)
                    checkValidation(prefix + sequence + [0x0A])
                    checkValidation(prefix + sequence)
                }
            }
        }
        let text = Array("2019年度报告：行政许可\n第二十条第（一）项\n😀E-mail👍".utf8)
        for offset in 0..<32 {
            let shifted = [UInt8](repeating: 0x0A, count: offset) + text
            for end in 0...shifted.count { checkValidation(Array(shifted[..<end])) }
        }
    }

    @Test func validationOfLongTexts() {
        var g = SplitMix64(seed: 3)
        var bytes: [UInt8] = []
        while bytes.count < 100_000 { bytes += scalarBytes(&g) }
        checkValidation(bytes)
        for _ in 0..<50 {
            var mutated = bytes
            mutated[Int(g.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: g.next())
            checkValidation(mutated)
        }
        checkValidation([UInt8](repeating: 0x0A, count: 10_000))
    }

    @Test func lineFeedsAreCounted() {
        var g = SplitMix64(seed: 4)
        for _ in 0..<300 {
            let count = Int(g.next() % 3_000)
            let bytes = (0..<count).map { _ in [0x0A, 0x0D, 0x41, 0xE5][Int(g.next() % 4)] as UInt8 }
            for level in Self.levels {
                var hasCR = false
                let n = bytes.withUnsafeBufferPointer { rk_count_line_feeds_at(level, $0.baseAddress, $0.count, &hasCR) }
                #expect(n == bytes.count { $0 == 0x0A }, "level \(level)")
                #expect(hasCR == bytes.contains(0x0D), "level \(level)")
            }
        }
    }

    @Test func anchorHitsAgreeWithTheByteLoop() {
        var g = SplitMix64(seed: 5)
        let pairs = FactScanner.anchorPairs
        let alphabet: [UInt8] = pairs.flatMap { [$0.middle, $0.last] } + [0x2B, 0x2C, 0x2F, 0x30, 0x3F, 0x40, 0x7F, 0x80, 0xE5, 0xE7, 0x0A]
        for _ in 0..<20_000 {
            let count = Int(g.next() % 80)
            let bytes = (0..<count).map { _ in g.next() % 3 == 0 ? UInt8(truncatingIfNeeded: g.next()) : alphabet[Int(g.next() % UInt64(alphabet.count))] }
            for level in Self.levels { #expect(FactScanner.hits(bytes, level: level) == FactScanner.naiveHits(bytes), "level \(level): \(bytes)") }
        }
        // More hits than the first output chunk holds.
        for count in [0, 1, 16, 17, 33, 1_000, 10_007] {
            let letters = [UInt8](repeating: 0x45, count: count)
            for level in Self.levels { #expect(FactScanner.hits(letters, level: level) == Array(0..<count), "level \(level)") }
        }
        let text = Array("2019年12月31日，联系电话：0731-1234567，传真：同上，电子邮箱：a@b.cn，地址：长沙".utf8)
        for offset in 0..<32 {
            let shifted = [UInt8](repeating: 0xE4, count: offset) + text
            for level in Self.levels { #expect(FactScanner.hits(shifted, level: level) == FactScanner.naiveHits(shifted), "level \(level)") }
        }
    }

    /// `Label.bytes` against the same normalization written over scalars.
    @Test func labelBytesAgreeWithTheScalarDefinition() {
        func naive(_ text: String) -> [UInt8] {
            var out: [UInt8] = []
            for s in text.unicodeScalars {
                switch s.value {
                case 0xA0, 0x3000, 0x2002...0x200B, 0xFEFF, 0x3001, 0x201C, 0x201D, 0x2018, 0x2019, 0x300C, 0x300D, 0xB7, 0x3002, 0xFE52:
                    continue
                case 0xFF01...0xFF5E:
                    let ascii = UInt8(s.value - 0xFEE0)
                    if !Label.dropsASCII(ascii) { out.append(ascii) }
                case 0..<0x80:
                    if !Label.dropsASCII(UInt8(s.value)) { out.append(UInt8(s.value)) }
                default:
                    out += Array(String(s).utf8)
                }
            }
            return out
        }
        var g = SplitMix64(seed: 6)
        let pieces: [String] = ["第", "二十", "条", "（", "）", "(", ")", "一", "、", "，", ".", ",", " ", "\u{3000}", "\u{A0}", "“", "”", "：", ":", "Ａ",
                                "１", "．", "·", "😀", "é", "\t", "规范性文件", "行政许可"]
        for _ in 0..<5_000 {
            let text = (0..<Int(g.next() % 12)).map { _ in pieces[Int(g.next() % UInt64(pieces.count))] }.joined()
            #expect(Label.bytes(text) == naive(text), "\(text)")
            var appended: [UInt8] = [0x41]
            var copy = text
            copy.withUTF8 { Label.append($0, into: &appended) }
            #expect(appended == [0x41] + naive(text))
        }
    }
}
