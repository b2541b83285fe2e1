import Foundation
import Yams

/// The patterns rule authors write, read from the repository's rule files, so that the engine's
/// contract is checked on them without linking the rule loader.
enum RuleFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Rules").standardized.path

    static func texts() -> [String] {
        let items = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        return items.filter { $0.hasSuffix(".yml") && !$0.contains("/tests/") }.sorted().compactMap {
            try? String(contentsOfFile: root + "/" + $0, encoding: .utf8)
        }
    }

    /// Values of `pattern` and `patterns` keys anywhere, and `format` beside `check: format`.
    static func patterns(inYAML text: String) -> [String] {
        guard let node = try? Yams.compose(yaml: text) else { return [] }
        var out: [String] = []
        func walk(_ node: Node) {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    switch key.string {
                    case "pattern", "patterns", "issuer_matches":
                        if let s = value.string { out.append(s) }
                        for item in value.sequence ?? [] { if let s = item.string { out.append(s) } }
                    case "format" where mapping["check"]?.string == "format":
                        if let s = value.string { out.append(s) }
                    default: break
                    }
                    walk(value)
                }
            }
            for item in node.sequence ?? [] { walk(item) }
        }
        walk(node)
        return out
    }
}
