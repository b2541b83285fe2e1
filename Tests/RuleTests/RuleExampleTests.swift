import LintEngine
import ReportScanner
import RuleKit
import Testing

/// Every Swift rule's examples are tests: a triggering example must give exactly the findings its
/// `↓` markers show (line and column), a passing one none. Each also runs after a prefix line of
/// Chinese text and full-width punctuation, which catches byte/column mix-ups.
struct RuleExampleTests {
    static let rules: [any Rule.Type] = RuleRegistry.swiftRules.map(\.rule)

    struct Position: Hashable, CustomStringConvertible {
        var line: Int
        var column: Int
        var description: String { "\(line):\(column)" }
    }

    static func check(_ rule: any Rule.Type, _ example: Example, prefix: String) -> (expected: [Position], actual: [Position], messages: [String]) {
        let (text, offsets) = example.stripped
        let source = SourceText(prefix + text)
        let shift = prefix.utf8.count
        let document = ReportScanner.scan(source)
        let instance: any Rule = rule.init()
        let findings = instance.check(document, context: .standard)
        let expected = offsets.map { source.location(of: $0 + shift) }.map { Position(line: $0.line, column: $0.column) }
        let actual = findings.map { source.location(of: $0.span.start) }.map { Position(line: $0.line, column: $0.column) }
        return (expected.sorted { ($0.line, $0.column) < ($1.line, $1.column) },
                actual.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, findings.map(\.message))
    }

    @Test("triggering examples report exactly at their markers", arguments: rules.map { $0.description.id })
    func triggering(_ id: String) {
        let rule = Self.rules.first { $0.description.id == id }!
        #expect(!rule.description.triggering.isEmpty, "\(rule.description.id) has no triggering example")
        for example in rule.description.triggering {
            #expect(!example.stripped.offsets.isEmpty, "a triggering example of \(rule.description.id) has no ↓ marker")
            for prefix in ["", "说明：本文件为测试用例，含全角标点“（）：”。\n"] {
                let result = Self.check(rule, example, prefix: prefix)
                #expect(result.actual == result.expected,
                        "\(rule.description.id) (example at \(example.file):\(example.line)): expected \(result.expected), got \(result.actual) \(result.messages)")
            }
        }
    }

    @Test("passing examples report nothing", arguments: rules.map { $0.description.id })
    func passing(_ id: String) {
        let rule = Self.rules.first { $0.description.id == id }!
        #expect(!rule.description.passing.isEmpty, "\(rule.description.id) has no passing example")
        for example in rule.description.passing {
            let result = Self.check(rule, example, prefix: "")
            #expect(result.actual.isEmpty, "\(rule.description.id) (example at \(example.file):\(example.line)) fired: \(result.messages)")
        }
    }

    @Test func ruleIDsAreUniqueAndWellFormed() {
        let ids = Self.rules.map { $0.description.id }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.split(separator: ".").count == 2, "\(id) is not category.kebab-name")
        }
    }

    @Test func everyRuleFileIsRegistered() throws {
        // The safety net of swift-format's generated-files test: each *Rule.swift under Plugins/ is listed.
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let names = Set(Self.rules.map { String(describing: $0) })
        for plugin in ["StructureRules", "TableRules"] {
            let files = try FileSystem.list(root + "/Plugins/" + plugin).filter { $0.hasSuffix("Rule.swift") }
            #expect(!files.isEmpty)
            for file in files {
                #expect(names.contains(String(file.dropLast(".swift".count))), "\(file) is not in its plugin's rules list")
            }
        }
    }
}
