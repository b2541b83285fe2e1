import ArgumentParser
import Foundation
import LintEngine
import RuleKit

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule: id, default severity, source, summary.")

    enum Format: String, ExpressibleByArgument { case text, json }

    @Option(help: "text or json.")
    var format: Format = .text

    struct Entry: Encodable {
        var id: String
        var severity: String
        var source: String
        var summary: String
    }

    func run() throws {
        let entries = RuleRegistry.swiftRules.map { plugin, rule in
            Entry(id: rule.description.id, severity: rule.description.severity.rawValue, source: "Plugins/\(plugin)", summary: rule.description.summary)
        }.sorted { $0.id < $1.id }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
        case .text:
            let width = entries.map(\.id.count).max() ?? 10
            for e in entries {
                print(e.id.padding(toLength: width + 2, withPad: " ", startingAt: 0) + e.severity.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + e.source.padding(toLength: 24, withPad: " ", startingAt: 0) + e.summary)
            }
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a rule's description, rationale, examples and source.")

    @Argument(help: "A rule id, e.g. table.balance.")
    var id: String

    func run() throws {
        guard let (plugin, rule) = RuleRegistry.swiftRules.first(where: { $0.rule.description.id == id }) else {
            throw ValidationError("unknown rule id “\(id)”; `reportlint rules` lists them")
        }
        let d = rule.description
        print("\(d.id) (\(d.name)) — 默认级别 \(d.severity.rawValue) — 来源 Plugins/\(plugin)\n")
        print(d.summary + "\n")
        print("理由：" + d.rationale + "\n")
        for (title, examples) in [("触发示例", d.triggering), ("不触发示例", d.passing)] {
            for (n, example) in examples.enumerated() {
                print("## \(title) \(n + 1)（↓ 标出报告位置）")
                print(Self.excerpt(example.text))
            }
        }
    }

    /// The lines around the markers, so long example reports stay readable.
    static func excerpt(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let marked = lines.indices.filter { lines[$0].contains("↓") }
        guard !marked.isEmpty else { return lines.prefix(8).joined(separator: "\n") + "\n…\n" }
        var keep = Set<Int>()
        for m in marked { for k in max(0, m - 2)...min(lines.count - 1, m + 2) { keep.insert(k) } }
        var out: [String] = []
        var last = -1
        for k in keep.sorted() {
            if k != last + 1 { out.append("…") }
            out.append(String(lines[k]))
            last = k
        }
        return out.joined(separator: "\n") + "\n"
    }
}
