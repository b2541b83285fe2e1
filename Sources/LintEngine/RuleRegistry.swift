import RuleKit
import StructureRules
import TableRules
import YAMLRules

/// Every Swift rule linked into the tool, in a stable order.
public enum RuleRegistry {
    nonisolated(unsafe) public static let plugins: [any RulePlugin.Type] = [StructureRulesPlugin.self, TableRulesPlugin.self]

    public static let swiftRules: [(plugin: String, rule: any SwiftRule.Type)] = plugins.flatMap { plugin in
        plugin.rules.map { (plugin.name, $0) }
    }
}

/// All rules the tool knows: the Swift plugins and the rule packs built into the binary.
public struct RuleCatalog: Sendable {
    public var packs: [RulePack]
    public var swiftRules: [any Rule]

    /// Swift rules and the embedded packs; the packs are tested, so failing to load them is a bug.
    public static let builtIn: RuleCatalog = {
        do {
            return RuleCatalog(packs: try RulePacks.allEmbedded(), swiftRules: RuleRegistry.swiftRules.map { make($0.rule) })
        } catch let error as ConfigError {
            fatalError("the rule packs built into reportlint do not load: \(error.excerpt)")
        } catch {
            fatalError("the rule packs built into reportlint do not load: \(error)")
        }
    }()

    static func make(_ type: any SwiftRule.Type) -> any Rule { type.init() }

    /// Swift rules and the rules of the packs on by default (the national pack).
    public var defaultRules: [any Rule] { swiftRules + packs.filter(\.enabledByDefault).flatMap(\.rules) }

    /// Every rule of every pack and plugin, for `rules`, `explain` and SARIF.
    public var allRules: [any Rule] { swiftRules + packs.flatMap(\.rules) }

    public func rule(_ id: String) -> (any Rule)? { allRules.first { $0.description.id == id } }
}
