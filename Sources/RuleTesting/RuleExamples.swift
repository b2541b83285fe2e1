import ReportScanner
import RuleKit

/// What running rule examples or fixtures found: how many checks passed, what failed, known gaps.
/// Every failure is one failed check, so the counts are never negative.
public struct RuleTestOutcome: Sendable {
    public var passed = 0
    public var failures: [String] = []
    public var todos: [String] = []

    public init() {}

    /// Checks run: those that passed and those that failed.
    public var checks: Int { passed + failures.count }

    /// One check: passed when `failure` is nil.
    public mutating func record(_ failure: String?) {
        if let failure { failures.append(failure) } else { passed += 1 }
    }

    public mutating func merge(_ other: RuleTestOutcome) {
        passed += other.passed
        failures += other.failures
        todos += other.todos
    }
}

/// Runs each rule's examples as tests: a triggering example must carry `↓` markers and give exactly
/// the findings they show (so at least one), a passing one none. `reportlint test-rules`, the
/// repository's tests and a custom rule package's tests (docs/custom-rules.md) all run them here.
///
/// A rule that only allows rows (`kind: extra-rows`) reports nothing itself: its examples run
/// together with the rule it changes, `table.unknown-row` (`rowRule`), with the rows it allows for
/// the example. A triggering example then marks where `table.unknown-row` still reports (the rule
/// does not apply there, or the row is not one it allows), and a passing example must carry a row
/// that `table.unknown-row` reports without the rule, so that it cannot pass by accident.
public enum RuleExamples {
    struct Position: Hashable, Comparable, CustomStringConvertible {
        var line: Int
        var column: Int
        var description: String { "\(line):\(column)" }
        static func < (a: Position, b: Position) -> Bool { (a.line, a.column) < (b.line, b.column) }
    }

    /// The id of the rule an extra-rows rule's examples run with.
    public static let unknownRowID = "table.unknown-row"

    /// Runs every example of every rule; `rowRule` is `table.unknown-row`, which the examples of the
    /// rules that allow rows need (without it each of those rules fails, saying so).
    public static func check(_ rules: [any Rule], context: RuleContext = .standard, rowRule: (any Rule)? = nil) -> RuleTestOutcome {
        var outcome = RuleTestOutcome()
        for rule in rules {
            let d = rule.description
            // Rules across reports are tested by series of reports (their fixtures), not one-report examples.
            if rule is any CrossReportRule { continue }
            let allowing = (rule as? any RowAllowingRule).flatMap { $0.allowsRows ? $0 : nil }
            if allowing != nil, rowRule == nil {
                outcome.record("\(d.source): \(d.id) 允许额外的行，其示例要与 \(unknownRowID) 一同运行，但没有给出 \(unknownRowID)")
                continue
            }
            let (triggering, passing) = (d.triggering, d.passing)
            if triggering.isEmpty, allowing == nil { outcome.record("\(d.source): \(d.id) 没有触发示例（至少要有一个会报告的示例）") }
            if passing.isEmpty { outcome.record("\(d.source): \(d.id) 没有不触发示例") }
            for (kind, examples) in [("触发示例", triggering), ("不触发示例", passing)] {
                for (n, example) in examples.enumerated() {
                    let failure = check(example, of: rule, allowing: allowing, rowRule: rowRule, triggering: kind == "触发示例", context: context)
                    outcome.record(failure.map { "\(example.file):\(example.line): \(d.id) \(kind) \(n + 1)：\($0)" })
                }
            }
        }
        return outcome
    }

    /// What is wrong with one example of `rule` (given as triggering or passing), or nil.
    public static func check(_ example: Example, of rule: any Rule, triggering: Bool, context: RuleContext = .standard, rowRule: (any Rule)? = nil) -> String? {
        let allowing = (rule as? any RowAllowingRule).flatMap { $0.allowsRows ? $0 : nil }
        if allowing != nil, rowRule == nil { return "\(rule.description.id) 允许额外的行，其示例要与 \(unknownRowID) 一同运行，但没有给出 \(unknownRowID)" }
        return check(example, of: rule, allowing: allowing, rowRule: rowRule, triggering: triggering, context: context)
    }

    static func check(_ example: Example, of rule: any Rule, allowing: (any RowAllowingRule)?, rowRule: (any Rule)?, triggering: Bool,
                      context base: RuleContext) -> String? {
        if !example.problems.isEmpty { return "config.invalid: " + example.problems.joined(separator: "；") }
        let (text, offsets) = example.stripped
        if triggering, offsets.isEmpty { return "触发示例没有用 ↓ 标出应报告的位置（没有标记的触发示例在没有报告时也会通过）" }
        if !triggering, !offsets.isEmpty { return "不触发示例中不应有 ↓ 标记" }
        let source = SourceText(text)
        let document = ReportScanner.scan(source)
        let context = example.context(base)
        let expected = offsets.map { position(source, $0) }.sorted()
        // The rule that reports: the rule itself, or table.unknown-row with the rows the rule allows here.
        let reporting: any Rule = allowing == nil ? rule : rowRule!
        var runContext = context
        if let allowing {
            for (table, rows) in allowing.extraRows(for: document, context: context) { runContext.extraRows[table, default: []].formUnion(rows) }
        }
        let actual: [Position]
        do {
            actual = try reporting.check(document, context: runContext).map { position(source, $0.span.start) }.sorted()
        } catch {
            return "规则出错：\(error)"
        }
        var why = ""
        if actual.count < expected.count, let conditional = rule as? any ConditionalRule,
           let reason = conditional.inapplicability(to: document, context: context) {
            why = "（规则没有适用于本示例，因为\(reason)）"
        }
        if triggering, actual.isEmpty {
            return "触发示例没有报告（期望\(allowing == nil ? "" : " " + unknownRowID + " ")在 \(list(expected)) 报告）" + why
        }
        if actual != expected {
            let who = allowing == nil ? "" : "\(unknownRowID) "
            return "期望 \(who)在 \(list(expected)) 报告，实际在 \(list(actual))" + why
        }
        if !triggering, let allowing {
            // Without the rule's rows table.unknown-row must report here, or the example tests nothing.
            let without = (try? rowRule!.check(document, context: context)) ?? []
            if without.isEmpty {
                return "不触发示例中没有 \(allowing.description.id) 允许的行：不用本规则 \(unknownRowID) 也不报告，这个示例什么也没有测试"
            }
        }
        return nil
    }

    static func position(_ source: SourceText, _ offset: Int) -> Position {
        let location = source.location(of: offset)
        return Position(line: location.line, column: location.column)
    }

    static func list(_ positions: [Position]) -> String {
        positions.isEmpty ? "（无）" : positions.map(\.description).joined(separator: ", ")
    }
}
