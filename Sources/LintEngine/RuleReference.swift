import RuleKit

/// Rule documentation from the rules themselves, so it cannot drift: `explain` and docs/rules.md.
public enum RuleReference {
    public static func explain(_ d: RuleDescription) -> String {
        var out = "\(d.id) (\(d.name)) — 默认级别 \(d.severity.rawValue) — 来源 \(d.source)\n\n\(d.summary)\n\n"
        if !d.rationale.isEmpty { out += "理由：\(d.rationale)\n\n" }
        for (title, examples) in [("触发示例", d.triggering), ("不触发示例", d.passing)] {
            for (n, example) in examples.enumerated() {
                out += "## \(title) \(n + 1)（↓ 标出报告位置）\n" + excerpt(example.text)
            }
        }
        return out
    }

    /// The lines around the markers, so long example reports stay readable.
    public static func excerpt(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let marked = lines.indices.filter { lines[$0].contains("↓") }
        guard !marked.isEmpty else {
            return lines.prefix(8).joined(separator: "\n") + (lines.count > 8 ? "\n…" : "") + "\n"
        }
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

    /// docs/rules.md: one section per rule, anchored by its id with dots as dashes (SARIF helpUri).
    public static func markdown(_ rules: [RuleDescription], defaults: Set<String>) -> String {
        var out = "# 规则参考 / Rule reference\n\n由 `reportlint rules --format markdown` 生成，请勿手工编辑。Generated; do not edit.\n\n"
        out += "| id | 默认级别 | 来源 | 默认启用 |\n|---|---|---|---|\n"
        for d in rules { out += "| [`\(d.id)`](#\(anchor(d.id))) | \(d.severity.rawValue) | `\(d.source)` | \(defaults.contains(d.id) ? "是" : "规则包") |\n" }
        for d in rules {
            out += "\n<a id=\"\(anchor(d.id))\"></a>\n## \(d.id)\n\n\(d.summary)\n\n"
            if !d.rationale.isEmpty { out += "**理由**：\(d.rationale)\n\n" }
            out += "默认级别 `\(d.severity.rawValue)`，定义于 `\(d.source)`。\n"
            if let example = d.triggering.first {
                out += "\n触发示例（↓ 标出报告位置）：\n\n```text\n" + excerpt(example.text) + "```\n"
            }
        }
        return out
    }

    public static func anchor(_ id: String) -> String { id.replacingOccurrences(of: ".", with: "-") }
}
