import ArgumentParser
import Foundation
import LintEngine
import RuleCatalog
import YAMLFiles
import RuleKit
import YAMLRules

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule: id, default severity, source, summary.")

    enum Format: String, ExpressibleByArgument { case text, json, markdown }

    @Option(help: "text, json or markdown (the rule reference in docs/rules.md).")
    var format: Format = .text

    @OptionGroup var source: RuleSource

    static func pack(_ path: String) throws -> RulePack {
        let result = Result { () throws(ConfigError) -> RulePack in try RulePacks.load(path: path) }
        switch result {
        case .success(let pack): return pack
        case .failure(let error): throw ConfigFailure(error: error)
        }
    }

    struct Entry: Encodable {
        var id: String
        var severity: String
        var source: String
        var summary: String
        var enabledByDefault: Bool
    }

    func run() throws {
        // The rules as the configuration sees them: its packs (extended ones too), `--rules`, and
        // which rules it turns on.
        let configuration = try source.configuration()
        let rules = configuration.known
        let defaults = Set(configuration.base.map(\.id))
        let entries = rules.map { rule in
            Entry(id: rule.description.id, severity: rule.description.severity.rawValue, source: rule.description.source,
                  summary: rule.description.summary, enabledByDefault: defaults.contains(rule.description.id))
        }.sorted { $0.id < $1.id }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
        case .markdown:
            print(RuleReference.markdown(rules.sorted { $0.description.id < $1.description.id }.map(\.description), defaults: defaults), terminator: "")
        case .text:
            let width = entries.map(\.id.count).max() ?? 10
            for e in entries {
                print(e.id.padding(toLength: width + 2, withPad: " ", startingAt: 0) + e.severity.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + (e.enabledByDefault ? "" : "[pack] ") + e.source + "  " + e.summary)
            }
        }
    }
}

/// Where `rules` and `explain` take the rules from: the configuration (`--config`, else the nearest
/// `.reportlint.yml` at or above the current folder) with the packs it extends, and `--rules`.
struct RuleSource: ParsableArguments {
    @Option(help: "Configuration file (default: the nearest .reportlint.yml at or above the current folder); its packs are listed too.")
    var config: String?

    @Option(name: .customLong("rules"), help: "A rule pack folder or rule file to add (repeatable).")
    var rulePaths: [String] = []

    func configuration() throws -> LintConfiguration {
        let config = self.config ?? ConfigFile.find(from: FileManager.default.currentDirectoryPath)
        let result = Result { () throws(ConfigError) -> LintConfiguration in
            if let config { return try LintConfiguration.load(config, extraRulePaths: rulePaths) }
            return try LintConfiguration.standard(extraRulePaths: rulePaths)
        }
        switch result {
        case .success(let configuration): return configuration
        case .failure(let error): throw ConfigFailure(error: error)
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Show a rule's description, rationale, examples and source, or the example report.",
        discussion: "`--base-report` prints the built-in example report that `base: report` examples of YAML rules edit (with `replace:`), for the year and issuer given.")

    @Argument(help: "A rule id, e.g. table.balance.")
    var id: String?

    @Flag(help: "Print the example report that `base: report` examples edit, instead of a rule.")
    var baseReport = false

    @Option(help: "With --base-report: the report year (as `report_year:` in an example).")
    var reportYear: Int = 2023

    @Option(help: "With --base-report: the issuer (as `issuer:` in an example; a people's government's report when it names one).")
    var issuer: String?

    @OptionGroup var source: RuleSource

    func validate() throws {
        if baseReport, id != nil { throw ValidationError("give a rule id or --base-report, not both") }
        if !baseReport, id == nil { throw ValidationError("give a rule id (`reportlint rules` lists them) or --base-report") }
        if baseReport, !(2008...9999).contains(reportYear) { throw ValidationError("--report-year must be a year from 2008, not \(reportYear)") }
    }

    func run() throws {
        if baseReport {
            let report = issuer.map { ExampleReport(year: reportYear, issuer: $0) } ?? ExampleReport(year: reportYear)
            print(report.text, terminator: "")
            return
        }
        let id = self.id!
        let known = try source.configuration().known
        guard let rule = known.first(where: { $0.description.id == id }) else {
            throw ValidationError("unknown rule id '\(id)'" + RuleSelection.usageSuggestion(id, among: known.map(\.description.id)) + " (`reportlint rules` lists them)")
        }
        print(RuleReference.explain(rule.description), terminator: "")
    }
}
