import RuleKit
import TestSupport
import Testing
import UserPatterns
@testable import YAMLRules

/// The shortcuts of the prose checks must find what the simple searches find: the byte
/// matcher's jump between first scalars in valid text, and the one-sweep count-of-items marking.
struct ProseSearchTests {

    /// Random paragraphs of Chinese text, digits and spaces, joined with gaps of several sizes.
    static func blocks(_ rng: inout SplitMix64) -> (bytes: [UInt8], blocks: [SourceSpan]) {
        let pool = Array("件申请收到未年度不予以公开部分行政复议诉讼结转上下办结共 0123456789。，；\n".unicodeScalars)
        var bytes: [UInt8] = []
        var blocks: [SourceSpan] = []
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            // Gaps: none, short (scanned with the blocks) or past `Needle.runGap` (skipped).
            let gap = [0, 1, 7, Needle.runGap, Needle.runGap + 1, 200].randomElement(using: &rng)!
            for _ in 0..<gap { bytes.append(Bool.random(using: &rng) ? 0x20 : 0xB6) }
            let start = bytes.count
            var text = ""
            for _ in 0..<Int.random(in: 0...40, using: &rng) { text.unicodeScalars.append(pool.randomElement(using: &rng)!) }
            if Bool.random(using: &rng) { text += "\(Int.random(in: 0...99, using: &rng))\(Bool.random(using: &rng) ? " " : "")件" }
            bytes += text.utf8
            blocks.append(SourceSpan(start: start, end: bytes.count))
        }
        return (bytes, blocks)
    }

    @Test func countSweepAgreesWithPerBlockSearch() {
        var rng = SplitMix64(seed: 77)
        var marked = 0
        for _ in 0..<3000 {
            let (bytes, blocks) = Self.blocks(&rng)
            guard !bytes.isEmpty else { continue }
            bytes.withUnsafeBufferPointer { buffer in
                let text = buffer.baseAddress!
                var holds = [Bool](repeating: false, count: blocks.count)
                ProseClaimKind.markCounts(blocks, &holds, in: text)
                let expected = blocks.map { ProseClaimKind.hasCountOfItems(text, $0) }
                #expect(holds == expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription) \(blocks)")
                marked += holds.filter { $0 }.count
            }
        }
        #expect(marked > 1000)
    }
}
