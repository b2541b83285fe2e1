import Foundation
import RuleCatalog
import RuleKit
import RuleTesting
import Testing
import YAMLFiles
import YAMLRules

/// The example harness tells the truth: an example that checks nothing fails, and a failure says why.
struct HarnessTests {
    /// A Swift rule that reports nothing, with the examples it is given.
    struct Silent: Rule {
        var triggering: [Example]
        var passing: [Example]
        var description: RuleDescription {
            let (t, p) = (triggering, passing)
            return RuleDescription(id: "test.silent", name: "silent", severity: .warning, summary: "s", rationale: "r", triggering: t, passing: p)
        }
        func check(_ document: Document, context: RuleContext) throws -> [Finding] { [] }
    }

    /// A Swift rule that reports every line starting with 错.
    struct Marks: Rule {
        var triggering: [Example]
        var passing: [Example] = [Example("对")]
        var description: RuleDescription {
            let (t, p) = (triggering, passing)
            return RuleDescription(id: "test.marks", name: "marks", severity: .warning, summary: "s", rationale: "r", triggering: t, passing: p)
        }
        func check(_ document: Document, context: RuleContext) throws -> [Finding] {
            var findings: [Finding] = []
            for line in 1...max(1, document.source.lineCount) {
                let span = document.source.lineSpan(line)
                if document.source.text(span).hasPrefix("错") { findings.append(Finding(span: .empty(at: span.start), message: "错")) }
            }
            return findings
        }
    }

    struct Throwing: Rule {
        struct Broken: Error {}
        var description: RuleDescription {
            RuleDescription(id: "test.throwing", name: "throwing", severity: .warning, summary: "s", rationale: "r",
                            triggering: [Example("↓错")], passing: [Example("对")])
        }
        func check(_ document: Document, context: RuleContext) throws -> [Finding] { throw Broken() }
    }

    /// A triggering example without ↓ used to pass on a rule that reports nothing.
    @Test func aTriggeringExampleWithoutMarkerFails() {
        let outcome = RuleExamples.check([Silent(triggering: [Example("联系电话：0731-56768")], passing: [Example("对")])])
        #expect(outcome.failures.count == 1)
        #expect(outcome.failures.first?.contains("没有用 ↓ 标出") == true, "\(outcome.failures)")
        #expect(outcome.passed == 1)
    }

    @Test func aTriggeringExampleMustReport() {
        let outcome = RuleExamples.check([Silent(triggering: [Example("↓错")], passing: [Example("对")])])
        #expect(outcome.failures.count == 1)
        #expect(outcome.failures.first?.contains("触发示例没有报告") == true, "\(outcome.failures)")
        // The same example on a rule that reports there passes: the check is about the rule.
        #expect(RuleExamples.check([Marks(triggering: [Example("↓错")])]).failures.isEmpty)
    }

    @Test func markersMustMatchTheFindings() {
        let outcome = RuleExamples.check([Marks(triggering: [Example("↓错\n错")])])
        #expect(outcome.failures.count == 1)
        #expect(outcome.failures.first?.contains("期望 在 1:1 报告，实际在 1:1, 2:1") == true, "\(outcome.failures)")
        let marked = RuleExamples.check([Marks(triggering: [Example("错")], passing: [Example("↓对")])])
        #expect(marked.failures.count == 2, "\(marked.failures)")
    }

    /// An edit of the example report whose text is not in it changes nothing: the example fails as config.invalid.
    @Test func anEditThatMatchesNothingFails() {
        let report = ExampleReport(edits: [("这段文字不在示例报告中", "↓错")])
        #expect(report.rendered.unmatched == ["这段文字不在示例报告中"])
        let outcome = RuleExamples.check([Marks(triggering: [Example("↓错")], passing: [Example(report)])])
        #expect(outcome.failures.count == 1)
        #expect(outcome.failures.first?.contains("config.invalid: 替换的原文“这段文字不在示例报告中”不在示例报告中") == true, "\(outcome.failures)")
        #expect(ExampleReport(edits: [("政策解读形式还不够丰富。", "改")]).rendered.unmatched.isEmpty)
    }

    /// A rule without examples is two failed checks and nothing passed (it printed "-2 passed").
    @Test func aRuleWithoutExamplesCountsNoNegativePasses() {
        let outcome = RuleExamples.check([Silent(triggering: [], passing: [])])
        #expect(outcome.passed == 0)
        #expect(outcome.failures.count == 2)
        #expect(outcome.checks == 2)
    }

    @Test func anErrorThrownByTheRuleFailsTheExample() {
        let outcome = RuleExamples.check([Throwing()])
        #expect(outcome.failures.count == 2)
        #expect(outcome.failures.allSatisfy { $0.contains("规则出错") }, "\(outcome.failures)")
    }

    static let root = #filePath.components(separatedBy: "/Tests/")[0]
    static let rowRule = RuleCatalog.builtIn.rule(RuleExamples.unknownRowID)!

    static func fujian() throws -> RulePack {
        let result = Result { () throws(ConfigError) -> RulePack in try RulePacks.load(path: root + "/Tests/Fixtures/packs/provincial/fujian-example") }
        return try result.get()
    }

    @Test func theProvincialExamplePackPasses() throws {
        let pack = try Self.fujian()
        #expect(pack.rules.count == 4)
        let outcome = RuleExamples.check(pack.rules, rowRule: Self.rowRule)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
        #expect(outcome.passed == 18)
    }

    /// Examples set the configuration's hints; when the rule does not apply, the failure says why.
    @Test func anExampleTheRuleDoesNotApplyToSaysWhy() throws {
        let pack = try Self.fujian()
        let deadline = try #require(pack.rules.first { $0.description.id == "fujian.publication-deadline" })
        var example = try #require(deadline.description.triggering.first)
        #expect(example.province == "福建")
        #expect(RuleExamples.check(example, of: deadline, triggering: true) == nil)
        example.province = "湖北"
        let province = RuleExamples.check(example, of: deadline, triggering: true)
        #expect(province?.contains("规则没有适用于本示例，因为省份 湖北 ≠ 福建") == true, "\(province ?? "")")
        example.province = "福建"
        example.kind = .government
        let kind = RuleExamples.check(example, of: deadline, triggering: true)
        #expect(kind?.contains("报告类型 government（由 kind 提示给出） ≠ department") == true, "\(kind ?? "")")
        // The issuer of the example report names the province without a hint.
        let byIssuer = deadline.description.triggering[1]
        #expect(byIssuer.province == nil && byIssuer.text.contains("福建省统计局"))
        #expect(RuleExamples.check(byIssuer, of: deadline, triggering: true) == nil)
    }

    /// hubei.extra-rows reports nothing itself: its examples run with table.unknown-row and can fail.
    @Test func extraRowsExamplesRunWithUnknownRow() throws {
        let hubei = try #require(RuleCatalog.builtIn.rule("hubei.extra-rows"))
        #expect(!hubei.description.triggering.isEmpty)
        #expect(RuleExamples.check([hubei], rowRule: Self.rowRule).failures.isEmpty)
        // Without table.unknown-row the examples cannot run, and that is a failure, not a pass.
        #expect(RuleExamples.check([hubei]).failures.count == 1)
        // A passing example whose row the rule does not allow fails.
        var passing = try #require(hubei.description.passing.first)
        passing.text = passing.text.replacingOccurrences(of: "其他主动公开文件", with: "其他公开文件")
        #expect(RuleExamples.check(passing, of: hubei, triggering: false, rowRule: Self.rowRule)?.contains("实际在") == true)
        // A passing example without any extra row tests nothing, and fails.
        passing.text = ExampleReport(year: 2020).text
        #expect(RuleExamples.check(passing, of: hubei, triggering: false, rowRule: Self.rowRule)?.contains("什么也没有测试") == true)
    }
}
