import ReportScanner
import RuleKit

/// What running rule examples or fixtures found: how many checks ran, what failed, known gaps.
public struct RuleTestOutcome: Sendable {
    public var checks = 0
    public var failures: [String] = []
    public var todos: [String] = []

    public init() {}
}

/// Runs each rule's examples as tests: a triggering example must give exactly the findings its `↓`
/// markers show, a passing one none. `reportlint test-rules`, the repository's tests and a custom
/// rule package's tests (docs/custom-rules.md) all run them here.
public enum RuleExamples {
    struct Position: Hashable, Comparable, CustomStringConvertible {
        var line: Int
        var column: Int
        var description: String { "\(line):\(column)" }
        static func < (a: Position, b: Position) -> Bool { (a.line, a.column) < (b.line, b.column) }
    }

    /// Each triggering example gives exactly the findings its `↓` markers show; each passing one none.
    public static func check(_ rules: [any Rule], context: RuleContext = .standard) -> RuleTestOutcome {
        var outcome = RuleTestOutcome()
        for rule in rules {
            let d = rule.description
            // A rule that only allows rows (kind extra-rows) never reports; its fixtures test it.
            // Rules across reports are tested by series of reports (their fixtures), not one-report examples.
            if rule is any CrossReportRule { continue }
            let reports = !((rule as? any RowAllowingRule)?.allowsRows ?? false)
            if d.triggering.isEmpty, reports { outcome.failures.append("\(d.source): \(d.id) 没有触发示例") }
            if d.passing.isEmpty { outcome.failures.append("\(d.source): \(d.id) 没有不触发示例") }
            for (kind, examples) in [("触发示例", d.triggering), ("不触发示例", d.passing)] {
                for (n, example) in examples.enumerated() {
                    outcome.checks += 1
                    let (text, offsets) = example.stripped
                    let source = SourceText(text)
                    let document = ReportScanner.scan(source)
                    let expected = offsets.map { source.location(of: $0) }.map { Position(line: $0.line, column: $0.column) }.sorted()
                    let actual: [Position]
                    do {
                        actual = try rule.check(document, context: context).map { source.location(of: $0.span.start) }
                            .map { Position(line: $0.line, column: $0.column) }.sorted()
                    } catch {
                        outcome.failures.append("\(example.file):\(example.line): \(d.id) \(kind) \(n + 1) 出错：\(error)")
                        continue
                    }
                    if actual != expected {
                        outcome.failures.append("\(example.file):\(example.line): \(d.id) \(kind) \(n + 1)：期望在 \(expected.isEmpty ? "（无）" : expected.map(\.description).joined(separator: ", ")) 报告，实际在 \(actual.isEmpty ? "（无）" : actual.map(\.description).joined(separator: ", "))")
                    }
                }
            }
        }
        return outcome
    }
}
