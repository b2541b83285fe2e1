import Foundation
import RuleKit
import Yams
import YAMLFiles
import YAMLRules


public struct RuleSetting: Sendable {
    public var enabled: Bool?
    public var severity: Severity?
    /// Option keys as YAML text (re-read against the rule's kind), with where they stand.
    public var options: [(key: String, yaml: String, place: ConfigPlace)]
    public var place: ConfigPlace
}

/// `.reportlint.yml`, parsed strictly. Unknown keys are errors, not ignored.
///
/// ```yaml
/// extends: [hunan-huaihua, ./my-rules]   # embedded pack names or paths (the national pack is always on)
/// rules:
///   contact.area-code: off               # off/on, a severity, or {enabled, severity, options}
///   date.format: warning
///   date.publication-deadline: {options: {deadline: {department: "01-28"}}}
/// include: ["**/*.txt", "**/*.html"]
/// exclude: ["drafts/**"]
/// overrides:
///   - files: ["2019/**"]
///     rules: {structure.format-version: off}
/// hints: {province: 湖南, kind: department}
/// ```
public struct ConfigFile: Sendable {
    public var path: String
    public var directory: String
    public var extends: [(name: String, place: ConfigPlace)] = []
    public var rules: [(id: String, setting: RuleSetting)] = []
    public var include: [String] = []
    public var exclude: [String] = []
    public var overrides: [(files: [String], rules: [(id: String, setting: RuleSetting)])] = []
    public var province: String?
    public var kind: ReportKind?
    public var patternBudgetMilliseconds: Int?
    /// Other names of an issuer (a renamed body) → the name its reports are grouped under.
    public var issuerAliases: [String: String] = [:]

    public static let fileName = ".reportlint.yml"

    /// The nearest `.reportlint.yml` at or above `path`.
    public static func find(from path: String) -> String? {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if !(FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            url.deleteLastPathComponent()
        }
        while true {
            let candidate = url.appendingPathComponent(fileName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// The keys a configuration may have at its top level.
    static let keys: Set<String> = ["extends", "rules", "include", "exclude", "overrides", "hints", "pattern_budget_ms", "issuers"]

    /// The longest `pattern_budget_ms`: a budget is what keeps a runaway pattern from holding a run,
    /// and a configuration from a pull request must not be able to lift it.
    public static let maxPatternBudgetMilliseconds = 60_000

    public static func load(_ path: String) throws(ConfigError) -> ConfigFile {
        // A configuration that is a symbolic link must lead into its own folder: committed as a link
        // to /etc/passwd or a credentials file, it would put that file's lines into a public log.
        if FileAccess.kind(path, following: false) == .symbolicLink {
            let folder = FileAccess.folder(of: path)
            guard let real = FileAccess.realPath(path), let root = FileAccess.realPath(folder), FileAccess.isInside(real, root) else {
                throw ConfigError(file: path, line: 1, column: 1, message: "配置文件是指向其所在文件夹之外的符号链接，不予读取", lineText: "")
            }
        }
        let text = try FileAccess.readText(path, limit: RulePacks.Limits.fileBytes, what: "配置文件")
        return try parse(text: text, path: path)
    }

    public static func parse(text: String, path: String) throws(ConfigError) -> ConfigFile {
        var config = ConfigFile(path: path, directory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let yaml: CheckedYAML
        do { yaml = try YAMLText.check(text) } catch { throw error.error(file: path) }
        // Lines are quoted only from a file that reads as a configuration (a top-level key of one):
        // `--config` naming some other file gets no word of it echoed.
        func isConfiguration(_ node: Node?) -> Bool { !YAMLText.rootKeys(of: node, text: text).isDisjoint(with: keys) }
        do {
            guard let root = try YAMLText.compose(yaml) else { return config }
            guard isConfiguration(root) || NodeReader.isNull(root) || root.mapping?.isEmpty == true else {
                throw ConfigError(file: path, line: 1, column: 1,
                                  message: "不是 ReportLint 配置文件：顶层应为含 \(keys.sorted().joined(separator: "、")) 之一的映射（其内容不予引用）",
                                  lineText: "")
            }
            var r = NodeReader(root, file: path, text: text)
            _ = try r.mapping()
            func place(_ node: Node) -> ConfigPlace {
                let e = r.error("", at: node)
                return ConfigPlace(file: e.file, line: e.line, column: e.column, lineText: e.lineText)
            }
            if let node = r.optional("extends") {
                let items = NodeReader.isNull(node) ? [] : node.scalar != nil ? [node] : try r.list(node)
                config.extends = try items.map { (try r.string($0), place($0)) }
            }
            if let node = r.optional("rules") { config.rules = try settings(node, r, place) }
            if let node = r.optional("include") { config.include = try r.strings(node) }
            if let node = r.optional("exclude") { config.exclude = try r.strings(node) }
            if let node = r.optional("overrides") {
                for item in try r.list(node) {
                    var o = r.child(item)
                    let files = try o.strings(try o.required("files"))
                    let rules = try settings(try o.required("rules"), o, place)
                    try o.finish()
                    config.overrides.append((files, rules))
                }
            }
            if let node = r.optional("hints"), !NodeReader.isNull(node) {
                var h = r.child(node)
                config.province = try h.optional("province").map { try h.string($0) }
                config.kind = try h.optional("kind").map { try h.oneOf($0, ["government": ReportKind.government, "department": .department]) }
                try h.finish()
            }
            if let node = r.optional("issuers"), !NodeReader.isNull(node) {
                var i = r.child(node)
                if let aliases = i.optional("aliases") {
                    let m = i.child(aliases)
                    for (key, value) in try m.mapping() { config.issuerAliases[try m.string(key)] = try m.string(value) }
                }
                try i.finish()
            }
            if let node = r.optional("pattern_budget_ms") {
                let v = try r.int(node)
                guard (1...maxPatternBudgetMilliseconds).contains(v) else {
                    throw r.error("pattern_budget_ms 应在 1 至 \(maxPatternBudgetMilliseconds) 之间", at: node)
                }
                config.patternBudgetMilliseconds = v
            }
            try r.finish()
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError.from(error, file: path, text: text, quoting: isConfiguration(nil))
        }
        return config
    }

    static func settings(_ node: Node, _ r: NodeReader, _ place: (Node) -> ConfigPlace) throws -> [(id: String, setting: RuleSetting)] {
        let m = r.child(node)
        return try m.mapping().map { key, value in
            let id = try m.string(key)
            var setting = RuleSetting(enabled: nil, severity: nil, options: [], place: place(key))
            let severities = ["error": Severity.error, "warning": .warning, "note": .note]
            if let s = value.scalar?.string {
                switch s {
                case "off", "false", "no": setting.enabled = false
                case "on", "true", "yes": setting.enabled = true
                default:
                    guard let severity = severities[s] else { throw m.error("规则设置应为 on、off、error、warning、note 或映射，而不是“\(s)”", at: value) }
                    setting.severity = severity
                }
            } else {
                var v = m.child(value)
                setting.enabled = try v.optional("enabled").map { try v.bool($0) }
                setting.severity = try v.optional("severity").map { try v.oneOf($0, severities) }
                if let options = v.optional("options") {
                    for (k, optionValue) in try v.child(options).mapping() {
                        let yaml = try Yams.serialize(node: optionValue)
                        setting.options.append((try v.string(k), yaml, place(k)))
                    }
                }
                try v.finish()
            }
            return (id, setting)
        }
    }
}
