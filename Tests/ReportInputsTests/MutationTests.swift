import Foundation
@testable import ReportInputs
import ReportModel
import ReportScanner
import Testing

/// Damaged inputs: every read ends (a view or a failure), and every position lies in the original.
@Suite("Damaged inputs")
struct MutationTests {
    /// A small deterministic generator (no dependence on the platform's random source).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(1, bound)))
        }
    }

    static let tokens: [[UInt8]] = ["<", ">", "</td>", "<td colspan=\"0\">", "<tr>", "<table>", "</table>", "&", "&#", "&#x", ";", "<!--",
                                    "-->", "<script>", "</script>", "\"", "'", "\r", "\r\n", "<br>", "<p>", "&nbsp", "<td rowspan=99999>",
                                    "<![CDATA[", "&#1114112;", "&amp;", "\u{0}", "\u{C}"].map { Array($0.utf8) }

    static func mutate(_ bytes: [UInt8], seed: UInt64) -> [UInt8] {
        var g = Generator(state: seed)
        var d = bytes
        for _ in 0..<(1 + g.next(20)) {
            let at = g.next(d.count + 1)
            switch g.next(3) {
            case 0: d.insert(contentsOf: tokens[g.next(tokens.count)], at: at)
            case 1: d.removeSubrange(at..<min(d.count, at + 1 + g.next(20)))
            default: if at < d.count { d[at] = UInt8(g.next(256)) }
            }
        }
        if g.next(5) == 0 { d = Array(d.prefix(g.next(d.count + 1))) }
        return d
    }

    @Test("Mutated HTML pages", arguments: ["gbk-page.html", "fragment.html"])
    func html(_ name: String) throws {
        let original = try Support.fixture(name)
        for seed in 1...150 {
            let bytes = Self.mutate(original, seed: UInt64(seed))
            guard case .success(let input) = InputReader.read(bytes, kind: .html, path: name) else { continue }
            let map = try #require(input.map)
            let positions = Positions(view: input.view, map: map)
            for offset in stride(from: 0, to: input.view.bytes.count, by: 7) {
                let reported = positions.reportedOffset(offset)
                #expect(reported >= 0 && reported <= map.original.bytes.count, "seed \(seed)")
            }
            _ = ReportScanner.scan(input.view)
        }
    }

    @Test("Mutated .docx packages")
    func docx() throws {
        let original = try DocxReaderTests.sample()
        for seed in 1...60 {
            let bytes = Self.mutate(original, seed: UInt64(seed))
            switch InputReader.read(bytes, kind: .docx, path: "x.docx") {
            case .success(let input): _ = ReportScanner.scan(input.view)
            case .failure(.unsupported(let message)): #expect(!message.isEmpty)
            case .failure(.decode): Issue.record("a .docx is never a decode failure")
            }
        }
    }
}
