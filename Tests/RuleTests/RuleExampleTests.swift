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

    @Test("examples report exactly at their markers", arguments: ids)
    func examples(_ id: String) {
        let outcome = RuleExamples.check([Self.rule(id)])
        #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
        #expect(outcome.checks >= 1)
    }

    @Test("examples behave the same after a line of Chinese text", arguments: ids)
    func examplesAfterAPrefixLine(_ id: String) {
        let rule = Self.rule(id)
        let prefix = "说明：本文件为测试用例，含全角标点“（）：”。\n"
        for example in rule.description.triggering + rule.description.passing {
            let (text, offsets) = example.stripped
            // The prefix goes after the title line when the example has one, so the title stays first.
            let firstLineEnd = text.utf8.firstIndex(of: UInt8(ascii: "\n")).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) + 1 } ?? 0
            let insertAt = text.split(separator: "\n").first?.contains("年度报告") == true ? firstLineEnd : 0
            let bytes = Array(text.utf8)
            let source = SourceText(bytes: Array(bytes[..<insertAt]) + Array(prefix.utf8) + Array(bytes[insertAt...]))
            let document = ReportScanner.scan(source)
            // A finding at the very start (contact.missing: "line 1") stays at the start.
            let expected = offsets.map { source.location(of: $0 == 0 || $0 < insertAt ? $0 : $0 + prefix.utf8.count) }.map { [$0.line, $0.column] }.sorted { $0.lexicographicallyPrecedes($1) }
            let actual = (try? rule.check(document, context: .standard))?.map { source.location(of: $0.span.start) }.map { [$0.line, $0.column] }
                .sorted { $0.lexicographicallyPrecedes($1) }
            #expect(actual == expected, "\(id) example at \(example.file):\(example.line)")
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

    @Test func embeddedPacksMatchRulesFolder() throws {
        // The binary carries Rules/ as scripts/embed-rules.sh wrote it; a stale copy fails here.
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        for pack in RuleCatalog.builtIn.packs {
            let onDisk = try RulePacks.load(path: root + "/Rules/" + pack.name)
            #expect(onDisk.rules.map { $0.description.id }.sorted() == pack.rules.map { $0.description.id }.sorted(),
                    "Rules/\(pack.name) changed: run scripts/embed-rules.sh")
            for (a, b) in zip(onDisk.rules.sorted { $0.description.id < $1.description.id }, pack.rules.sorted { $0.description.id < $1.description.id }) {
                #expect(a.description.summary == b.description.summary && a.description.triggering.map(\.text) == b.description.triggering.map(\.text),
                        "\(a.description.id) differs from the embedded copy: run scripts/embed-rules.sh")
            }
        }
    }
}
