import Foundation
import RuleKit
import Synchronization
import YAMLRules
import YAMLFiles
import RuleCatalog

/// A configuration resolved against the rule catalogue: the active rules with their settings,
/// per-path overrides, include/exclude globs and hints. Built before any report is linted, so
/// every mistake in it is a `ConfigError` (exit 2).
public struct LintConfiguration: Sendable {
    public var file: String?
    /// Paths in globs and overrides are relative to this folder.
    public var directory: String
    public var base: [RuleSet.Entry]
    public var overrides: [(globs: [Glob], settings: [String: ResolvedSetting])]
    public var include: [Glob]
    public var exclude: [Glob]
    public var context: RuleContext
    /// Issuer aliases for the rules across reports (`issuers: {aliases: {别名: 正式名称}}`).
    public var issuerAliases: [String: String] = [:]
    /// Every rule that can fire under this configuration (for SARIF's rule list).
    public var known: [any Rule]
    var cache = RuleSetCache()
    /// `--select` / `--ignore`, applied to every file's rules (overrides cannot bring an ignored rule back).
    public var selection: RuleSelection?

    public struct ResolvedSetting: Sendable {
        var enabled: Bool?
        var severity: Severity?
        var rule: (any Rule)?
    }

    final class RuleSetCache: Sendable {
        let sets = Mutex<[String: RuleSet]>([:])
    }

    /// The built-in rules with no configuration file.
    public static func standard(extraRulePaths: [String] = []) throws(ConfigError) -> LintConfiguration {
        try resolve(nil, extraRulePaths: extraRulePaths, directory: FileManager.default.currentDirectoryPath)
    }

    public static func load(_ path: String, extraRulePaths: [String] = []) throws(ConfigError) -> LintConfiguration {
        let file = try ConfigFile.load(path)
        return try resolve(file, extraRulePaths: extraRulePaths, directory: file.directory)
    }

    static func resolve(_ file: ConfigFile?, extraRulePaths: [String], directory: String) throws(ConfigError) -> LintConfiguration {
        let catalog = RuleCatalog.builtIn
        var packs = catalog.packs.filter(\.enabledByDefault)
        for (name, place) in file?.extends ?? [] {
            if packs.contains(where: { $0.name == name }) { continue }
            if let pack = catalog.packs.first(where: { $0.name == name }) {
                packs.append(pack)
                continue
            }
            // A path stays inside the configuration's tree (it may come with a pull request).
            add(try RulePacks.load(extending: name, configDirectory: file?.directory ?? directory, place: place), to: &packs)
        }
        // `--rules` is the user's own choice: any place, still read without echoing what is not a rule.
        for path in extraRulePaths { add(try RulePacks.load(path: path), to: &packs) }

        var rules: [any Rule] = catalog.swiftRules + packs.flatMap(\.rules)
        var ids = Set<String>()
        for rule in rules where !ids.insert(rule.description.id).inserted {
            throw ConfigError(file: rule.description.source, line: 1, column: 1, message: "规则 id “\(rule.description.id)”重复定义", lineText: "")
        }
        // Every rule of every pack can be named in `rules:`; naming one turns it on.
        let everything = rules + catalog.packs.flatMap(\.rules).filter { !ids.contains($0.description.id) }

        func resolveSettings(_ settings: [(id: String, setting: RuleSetting)]) throws(ConfigError) -> [String: ResolvedSetting] {
            var out: [String: ResolvedSetting] = [:]
            // A glob (`table.*`, `zero.*`) stands for every rule id it matches, as in Ruff's selectors;
            // a later entry overrides an earlier one, so `{"table.*": off, table.balance: error}` keeps one.
            var expanded: [(id: String, setting: RuleSetting)] = []
            for (id, setting) in settings {
                guard RuleSelection.isPattern(id) else { expanded.append((id, setting)); continue }
                let matching = everything.map(\.description.id).filter { RuleSelection.matches(id, $0) }
                guard !matching.isEmpty else { throw setting.place.error("规则 id 模式“\(id)”不匹配任何规则（`reportlint rules` 列出全部规则）") }
                expanded += matching.map { ($0, setting) }
            }
            for (id, setting) in expanded {
                guard let rule = everything.first(where: { $0.description.id == id }) else {
                    throw setting.place.error("未知的规则 id “\(id)”" + RuleSelection.suggestion(id, among: everything.map(\.description.id)) + "（`reportlint rules` 列出全部规则）")
                }
                var resolved = ResolvedSetting(enabled: setting.enabled, severity: setting.severity, rule: nil)
                if !setting.options.isEmpty {
                    guard let configurable = rule as? any ConfigurableRule else { throw setting.place.error("规则 \(id) 没有可设置的选项") }
                    let options = setting.options.map {
                        RuleOption(key: $0.key, yaml: $0.yaml, file: $0.place.file, line: $0.place.line, column: $0.place.column, lineText: $0.place.lineText)
                    }
                    do {
                        resolved.rule = try configurable.configured(with: options)
                    } catch let error as ConfigError {
                        throw error
                    } catch {
                        throw setting.place.error("规则 \(id) 的选项有误：\(error)")
                    }
                }
                out[id] = resolved
            }
            return out
        }

        let baseSettings = try resolveSettings(file?.rules ?? [])
        for (id, setting) in baseSettings where setting.enabled == true && !rules.contains(where: { $0.description.id == id }) {
            if let rule = everything.first(where: { $0.description.id == id }) { rules.append(rule) }
        }
        var base: [RuleSet.Entry] = []
        for rule in rules {
            let setting = baseSettings[rule.description.id]
            if setting?.enabled == false { continue }
            let effective = setting?.rule ?? rule
            base.append(RuleSet.Entry(id: rule.description.id, severity: setting?.severity ?? rule.description.severity, rule: effective))
        }
        var overrides: [(globs: [Glob], settings: [String: ResolvedSetting])] = []
        for (files, settings) in file?.overrides ?? [] {
            let globs = files.compactMap(Glob.init)
            overrides.append((globs, try resolveSettings(settings)))
        }
        var context = RuleContext()
        context.province = file?.province
        context.kind = file?.kind
        if let budget = file?.patternBudgetMilliseconds { context.patternBudgetMilliseconds = budget }
        var configuration = LintConfiguration(file: file?.path, directory: file?.directory ?? directory, base: base, overrides: overrides,
                                              include: (file?.include ?? []).compactMap(Glob.init), exclude: (file?.exclude ?? []).compactMap(Glob.init),
                                              context: context, known: everything)
        configuration.issuerAliases = file?.issuerAliases ?? [:]
        return configuration
    }

    /// A pack from disk replaces the built-in pack of the same name (editing Rules/ needs no rebuild).
    static func add(_ pack: RulePack, to packs: inout [RulePack]) {
        packs.removeAll { $0.name == pack.name }
        packs.append(pack)
    }

    /// The path relative to the configuration's folder.
    public func relative(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : Self.workingDirectory + "/" + path
        // Paths from the walk are already standard; URL standardization costs more than a glob match.
        let standardized = Self.isStandard(absolute) ? absolute : URL(fileURLWithPath: absolute).standardizedFileURL.path
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return standardized.hasPrefix(base) ? String(standardized.dropFirst(base.count)) : standardized
    }

    static let workingDirectory = FileManager.default.currentDirectoryPath

    /// An absolute path with no empty, `.` or `..` segment and no trailing slash (what URL
    /// standardization would leave as it is).
    static func isStandard(_ path: String) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0, segmentLength = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if previous == UInt8(ascii: "/") { return false }
                if previous == UInt8(ascii: "."), segmentLength == 1 || (segmentLength == 2 && beforePrevious == UInt8(ascii: ".")) { return false }
                segmentLength = 0
            } else {
                segmentLength += 1
            }
            beforePrevious = previous
            previous = byte
        }
        if previous == UInt8(ascii: "/") { return path.utf8.count == 1 }
        if previous == UInt8(ascii: "."), segmentLength == 1 || (segmentLength == 2 && beforePrevious == UInt8(ascii: ".")) { return false }
        return true
    }

    /// Whether a walked file is selected by `include` and not by `exclude`.
    public func selects(_ path: String) -> Bool {
        if include.isEmpty && exclude.isEmpty { return true }
        let rel = relative(path)
        if !include.isEmpty, !include.contains(where: { $0.matches(rel) }) { return false }
        return !exclude.contains { $0.matches(rel) }
    }

    /// The rules for one file: the base set with the matching overrides applied in order.
    public func ruleSet(for path: String) -> RuleSet {
        if overrides.isEmpty, let cached = cache.sets.withLock({ $0[""] }) { return cached }
        let rel = overrides.isEmpty ? "" : relative(path)
        let matching = overrides.indices.filter { i in overrides[i].globs.contains { $0.matches(rel) } }
        let key = matching.map { String($0) }.joined(separator: ",")
        if let cached = cache.sets.withLock({ $0[key] }) { return cached }
        var entries = base
        for i in matching {
            for (id, setting) in overrides[i].settings {
                if setting.enabled == false { entries.removeAll { $0.id == id }; continue }
                if let index = entries.firstIndex(where: { $0.id == id }) {
                    if let severity = setting.severity { entries[index].severity = severity }
                    if let rule = setting.rule { entries[index].rule = rule }
                } else if setting.enabled == true, let rule = setting.rule ?? known.first(where: { $0.description.id == id }) {
                    entries.append(RuleSet.Entry(id: id, severity: setting.severity ?? rule.description.severity, rule: rule))
                }
            }
        }
        if let selection { entries.removeAll { !selection.allows($0.id) } }
        let set = RuleSet(entries: entries, context: context)
        cache.sets.withLock { $0[key] = set }
        return set
    }
}

/// Rule selection by id or glob (`--select`, `--ignore`, globs in `rules:`), with Ruff's conventions:
/// `*` any characters, `?` one.
public struct RuleSelection: Sendable {
    public var select: [String]
    public var ignore: [String]

    public init(select: [String] = [], ignore: [String] = []) {
        self.select = select
        self.ignore = ignore
    }

    public static func isPattern(_ id: String) -> Bool { id.contains("*") || id.contains("?") }

    /// Whether `id` matches `pattern` (a plain id matches itself only): the glob matcher of
    /// include/exclude, since ids hold no `/`.
    public static func matches(_ pattern: String, _ id: String) -> Bool { Glob(pattern)?.matches(id) ?? false }

    /// Whether a rule runs under this selection.
    public func allows(_ id: String) -> Bool {
        (select.isEmpty || select.contains { Self.matches($0, id) }) && !ignore.contains { Self.matches($0, id) }
    }

    /// "，是否要写 “…”？" for the known id closest to a mistyped one (edit distance at most 2), for
    /// messages about configuration and rule files (Chinese, as CONTRIBUTING's language convention has it).
    public static func suggestion(_ id: String, among ids: [String]) -> String {
        closest(id, among: ids).map { "，是否要写“\($0)”？" } ?? ""
    }

    /// "; did you mean 'x'?" for a usage error (English, like the argument parser's own).
    public static func usageSuggestion(_ id: String, among ids: [String]) -> String {
        closest(id, among: ids).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func closest(_ id: String, among ids: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where i <= a.count {
                var previous = row[0]
                row[0] = i
                for j in 1...max(b.count, 1) where j <= b.count {
                    let current = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        let a = Array(id)
        guard let best = ids.map({ ($0, distance(a, Array($0))) }).min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }
}

extension LintConfiguration {
    /// The configuration with only the rules `selection` allows: `--select` also turns on a known rule
    /// it names that the configuration leaves off (as naming it in `rules:` does).
    public func selecting(_ selection: RuleSelection) -> LintConfiguration {
        guard !selection.select.isEmpty || !selection.ignore.isEmpty else { return self }
        var copy = self
        copy.base = base.filter { selection.allows($0.id) }
        for rule in known where !selection.select.isEmpty && selection.allows(rule.description.id)
            && !copy.base.contains(where: { $0.id == rule.description.id })
            && selection.select.contains(where: { !RuleSelection.isPattern($0) && $0 == rule.description.id }) {
            copy.base.append(RuleSet.Entry(id: rule.description.id, severity: rule.description.severity, rule: rule))
        }
        copy.selection = selection
        copy.cache = RuleSetCache()
        return copy
    }
}
