import ArgumentParser
import Foundation
import LintEngine
import RuleCatalog
import YAMLFiles
import YAMLRules

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule: id, default severity, source, summary.")

    enum Format: String, ExpressibleByArgument { case text, json, markdown }

    @Option(help: "text, json or markdown (the rule reference in docs/rules.md).")
    var format: Format = .text

    @Option(name: .customLong("rules"), help: "A rule pack folder or rule file to add (repeatable).")
    var rulePaths: [String] = []

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
        var rules = RuleCatalog.builtIn.allRules
        let defaults = Set(RuleCatalog.builtIn.defaultRules.map(\.description.id))
        for path in rulePaths { rules += try Self.pack(path).rules }
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

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Show a rule's description, rationale, examples and source.")

    @Argument(help: "A rule id, e.g. table.balance.")
    var id: String

    func run() throws {
        guard let rule = RuleCatalog.builtIn.rule(id) else {
            throw ValidationError("unknown rule id “\(id)”; `reportlint rules` lists them")
        }
        print(RuleReference.explain(rule.description), terminator: "")
    }
}
