import LintEngine
import ReportScanner
import RuleKit
import RunResults
import Testing

/// A rule that fails on a file is `rule.error` (RULES.md), never `rule.timeout`, and the other rules still run.
struct RuleErrorTests {
    struct Failing: Rule {
        struct Broken: Error, CustomStringConvertible { var description: String { "index out of range in the rule" } }
        var description: RuleDescription {
            RuleDescription(id: "test.failing", name: "Failing", severity: .error, summary: "fails", rationale: "a test",
                            triggering: [], passing: [])
        }
        func check(_ document: Document, context: RuleContext) throws -> [Finding] { throw Broken() }
    }

    struct Reporting: Rule {
        var description: RuleDescription {
            RuleDescription(id: "test.reporting", name: "Reporting", severity: .note, summary: "reports", rationale: "a test",
                            triggering: [], passing: [])
        }
        func check(_ document: Document, context: RuleContext) -> [Finding] {
            [Finding(span: SourceSpan(start: 0, end: 1), message: "found")]
        }
    }

    @Test func aFailingRuleIsARuleErrorAndTheOthersRun() {
        let rules = RuleSet(entries: [RuleSet.Entry(id: "test.failing", severity: .error, rule: Failing()),
                                      RuleSet.Entry(id: "test.reporting", severity: .note, rule: Reporting())])
        let (diagnostics, problems) = rules.run(on: ReportScanner.scan(SourceText("2023年某局政府信息公开工作年度报告\n")))
        #expect(problems.map(\.id) == [.ruleError])
        #expect(problems.first?.message.contains("test.failing") == true)
        #expect(diagnostics.map(\.ruleID) == ["test.reporting"])
    }
}
