import ArchiveRules
import RuleKit
import StructureRules
import Synchronization
import TableRules
import YAMLFiles
import YAMLRules

/// Every Swift rule linked into the tool, in a stable order: the repository's plugins, then the
/// plugins a custom build registers (`ReportLintCLI.main(plugins:)`, docs/custom-rules.md).
public enum RuleRegistry {
    // Metatypes of a non-Sendable protocol are not Sendable; these are immutable type references.
    nonisolated(unsafe) public static let builtInPlugins: [any RulePlugin.Type] = [StructureRulesPlugin.self, TableRulesPlugin.self]

    private struct Registration: @unchecked Sendable {
        var plugins: [any RulePlugin.Type] = []
        var frozen = false
    }

    private static let registered = Mutex(Registration())

    /// Adds plugins before anything reads the catalog. A plugin registered twice is added once; a
    /// registration after the catalog was built is a programming error and stops the program.
    public static func register(_ plugins: [any RulePlugin.Type]) {
        registered.withLock { state in
            precondition(!state.frozen, "RuleRegistry.register is called before the rule catalog is first used")
            for plugin in plugins where !state.plugins.contains(where: { $0 == plugin }) && !builtInPlugins.contains(where: { $0 == plugin }) {
                state.plugins.append(plugin)
            }
        }
    }

    /// The built-in plugins and the registered ones; reading it ends registration.
    public static var plugins: [any RulePlugin.Type] {
        builtInPlugins + registered.withLock { state in
            state.frozen = true
            return state.plugins
        }
    }

    public static var swiftRules: [(plugin: String, rule: any SwiftRule.Type)] {
        plugins.flatMap { plugin in plugin.rules.map { (plugin.name, $0) } }
    }
}

/// All rules the tool knows: the Swift plugins and the rule packs built into the binary.
public struct RuleCatalog: Sendable {
    public var packs: [RulePack]
    /// The rules of the Swift plugins, and the rules across reports (on by default, run by the engine over a whole run).
    public var swiftRules: [any Rule]

    public init(packs: [RulePack], swiftRules: [any Rule]) {
        self.packs = packs
        self.swiftRules = swiftRules
    }

    /// Swift rules (built-in and registered) and the embedded packs; the packs are tested, so
    /// failing to load them is a bug. Two plugins defining one id stop the program the same way.
    public static let builtIn: RuleCatalog = {
        let catalog: RuleCatalog
        do {
            catalog = RuleCatalog(packs: try RulePacks.allEmbedded(), swiftRules: RuleRegistry.swiftRules.map { $0.rule.init() } + CrossReportRuleEntry.all)
        } catch let error as ConfigError {
            fatalError("the rule packs built into reportlint do not load: \(error.excerpt)")
        } catch {
            fatalError("the rule packs built into reportlint do not load: \(error)")
        }
        var seen = Set<String>()
        for rule in catalog.allRules where !seen.insert(rule.description.id).inserted {
            fatalError("two rules built into reportlint have the id \(rule.description.id) (\(rule.description.source))")
        }
        return catalog
    }()

    /// Swift rules and the rules of the packs on by default (the national pack).
    public var defaultRules: [any Rule] { swiftRules + packs.filter(\.enabledByDefault).flatMap(\.rules) }

    /// Every rule of every pack and plugin, for `rules`, `explain` and SARIF.
    public var allRules: [any Rule] { swiftRules + packs.flatMap(\.rules) }

    public func rule(_ id: String) -> (any Rule)? { allRules.first { $0.description.id == id } }
}
