import RuleKit
import StructureRules
import TableRules

/// Every rule linked into the tool, in a stable order.
public enum RuleRegistry {
    public static let plugins: [any RulePlugin.Type] = [StructureRulesPlugin.self, TableRulesPlugin.self]

    public static let swiftRules: [(plugin: String, rule: any Rule.Type)] = plugins.flatMap { plugin in
        plugin.rules.map { (plugin.name, $0) }
    }

    public static func description(of id: String) -> RuleDescription? {
        swiftRules.first { $0.rule.description.id == id }?.rule.description
    }
}

