import Foundation
import ReportScanner
import RuleCatalog
import RuleKit
import RuleTesting
import Testing
import YAMLRules

/// Every rule's examples are tests, Swift and YAML alike: a triggering example must give exactly
/// the findings its `↓` markers show (line and column), a passing one none. Each also runs after a
/// prefix line of Chinese text and full-width punctuation, which catches byte/column mix-ups.
struct RuleExampleTests {
    /// The single-report rules (the rules across reports are tested on series: EngineTests/CrossReportTests).
    static let rules: [any Rule] = RuleCatalog.builtIn.allRules.filter { !($0 is any CrossReportRule) }
    static let ids: [String] = rules.map { $0.description.id }

    static func rule(_ id: String) -> any Rule { rules.first { $0.description.id == id }! }

    /// The rule the examples of extra-rows rules run with.
    static let rowRule = RuleCatalog.builtIn.rule(RuleExamples.unknownRowID)!

    @Test("examples report exactly at their markers", arguments: ids)
    func examples(_ id: String) {
        let outcome = RuleExamples.check([Self.rule(id)], rowRule: Self.rowRule)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
        #expect(outcome.checks >= 1)
    }

    @Test("examples behave the same after a line of Chinese text", arguments: ids)
    func examplesAfterAPrefixLine(_ id: String) {
        let rule = Self.rule(id)
        let prefix = "说明：本文件为测试用例，含全角标点“（）：”。\n"
        for (triggering, examples) in [(true, rule.description.triggering), (false, rule.description.passing)] {
            for example in examples {
                // The prefix goes after the title line when the example has one, so the title stays first;
                // a marker at the very start (contact.missing: "line 1") stays at the start.
                let text = example.text
                let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                var shifted = example
                if firstLine.contains("年度报告") {
                    shifted.text = firstLine + "\n" + prefix + text.dropFirst(firstLine.count + 1)
                } else if text.hasPrefix(Example.marker) {
                    shifted.text = Example.marker + prefix + text.dropFirst(Example.marker.count)
                } else {
                    shifted.text = prefix + text
                }
                let failure = RuleExamples.check(shifted, of: rule, triggering: triggering, rowRule: Self.rowRule)
                #expect(failure == nil, "\(id) example at \(example.file):\(example.line): \(failure ?? "")")
            }
        }
    }

    @Test func ruleIDsAreUniqueAndWellFormed() {
        #expect(Set(Self.ids).count == Self.ids.count)
        for id in Self.ids { #expect(id.split(separator: ".").count >= 2, "\(id) is not category.kebab-name") }
    }

    /// RULES.md is a contract: every public id it lists is implemented.
    @Test func everyCatalogueIDIsImplemented() {
        let catalogue = ["structure.required-section", "structure.heading-numbering", "structure.section-order", "structure.format-version",
                         "structure.missing-table", "table.unknown-row", "table.balance", "table.row-total", "table.result-total",
                         "table.review-total", "table.non-numeric", "table.text-mismatch", "zero.representation", "zero.narrative",
                         "contact.missing", "contact.phone", "contact.area-code", "contact.postcode", "contact.email", "contact.url",
                         "date.invalid", "date.format", "date.statistics-period", "date.year-mismatch", "date.publication-deadline",
                         // The second revision (issue 16): what sections must say, signature, numbering.
                         "content.section-empty", "content.fee-statement", "content.government-supervision", "zero.all-closed",
                         "structure.numbering-systems", "structure.signature", "structure.signer-mismatch", "date.statistics-period-missing"]
        let defaults = Set(RuleCatalog.builtIn.defaultRules.map { $0.description.id })
        for id in catalogue { #expect(defaults.contains(id), "\(id) is not on by default") }
    }

    @Test func everyRuleFileIsRegistered() throws {
        // The safety net of swift-format's generated-files test: each *Rule.swift under Plugins/ is listed.
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let names = Set(RuleRegistry.swiftRules.map { String(describing: $0.rule) })
        for plugin in ["StructureRules", "TableRules"] {
            let files = try FileSystem.list(root + "/Plugins/" + plugin).filter { $0.hasSuffix("Rule.swift") }
            #expect(!files.isEmpty)
            for file in files {
                #expect(names.contains(String(file.dropLast(".swift".count))), "\(file) is not in its plugin's rules list")
            }
        }
    }

    /// The binary carries Rules/ as scripts/embed-rules.sh wrote it: the same files, byte for byte
    /// (a changed comment, example or option of a rule fails here, not only a changed id).
    @Test func embeddedPacksMatchRulesFolder() throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let onDisk = try FileSystem.files(under: root + "/Rules").filter { ($0.hasSuffix(".yml") || $0.hasSuffix(".yaml")) && !$0.contains("/tests/") }
        let embedded = Dictionary(RulePacks.embeddedFiles.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(onDisk.map { "Rules/" + $0 }) == Set(embedded.keys), "Rules/ and the embedded packs differ in their files: run scripts/embed-rules.sh")
        for file in onDisk {
            let bytes = try #require(FileManager.default.contents(atPath: root + "/Rules/" + file))
            guard let copy = embedded["Rules/" + file] else { continue }
            #expect(Array(copy.utf8) == Array(bytes), "Rules/\(file) differs from its embedded copy: run scripts/embed-rules.sh")
        }
    }
}
