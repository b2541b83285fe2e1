import ReportModel
@testable import TableRules
import Testing

/// The libm-free whole-number tests agree with `rounded()` on every kind of double.
struct CountValueTests {
    static let values: [Double] = {
        var out: [Double] = [0, -0.0, 0.5, 1, 1.5, 2, 99.99, 1e14, 1e15 - 1, 1e15, 1e15 + 0.5, 4_503_599_627_370_495.5,
                             4_503_599_627_370_496, 9.3e18, 1e300, .infinity, -.infinity, .nan, -1, -1.5, .ulpOfOne,
                             .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let bits = state >> 11
            out.append(Double(bits % 2_000_000) / Double(1 + (state >> 60)))
            out.append(Double(bitPattern: state))
        }
        return out
    }()

    @Test func countMatchesTheRoundedDefinition() {
        for v in Self.values {
            let expected: Int? = v >= 0 && v == v.rounded() && v < 1e15 ? Int(v) : nil
            #expect(CellValue.number(v).count == expected, "\(v)")
        }
    }

    @Test func wholeMatchesTheRoundedDefinition() {
        for v in Self.values where v >= 0 {
            #expect(Document.isWhole(v) == (v == v.rounded()), "\(v)")
        }
    }
}
