import Foundation
import RuleKit
import Yams
import YAMLFiles

/// A folder of YAML rules with a `pack.yml` naming it: the national rules, or a province's.
public struct RulePack: Sendable {
    public var name: String
    public var summary: String
    /// `embedded:<name>` for packs built into the binary, else the folder.
    public var origin: String
    /// Whether the pack is on without being named in `extends` (the national pack).
    public var enabledByDefault: Bool
    public var rules: [YAMLRule]
}

public enum RulePacks {
    /// Packs built into the binary, from `Rules/` (see `scripts/embed-rules.sh`).
    public static var embeddedNames: [String] {
        Array(Set(EmbeddedPacks.files.map { $0.path.split(separator: "/")[1] }.map(String.init))).sorted()
    }

    /// The files built into the binary, as `scripts/embed-rules.sh` copied them from `Rules/` (path, text).
    public static var embeddedFiles: [(path: String, text: String)] { EmbeddedPacks.files }

    public static func embedded(_ name: String) throws(ConfigError) -> RulePack? {
        let prefix = "Rules/\(name)/"
        let files = EmbeddedPacks.files.filter { $0.path.hasPrefix(prefix) }
        guard !files.isEmpty else { return nil }
        return try assemble(files: files.map { ($0.path, $0.text) }, origin: "embedded:\(name)", fallbackName: name)
    }

    public static func allEmbedded() throws(ConfigError) -> [RulePack] {
        var packs: [RulePack] = []
        for name in embeddedNames { if let pack = try embedded(name) { packs.append(pack) } }
        return packs
    }

    /// How far a folder of rules is read: a pack is a few dozen small files two levels deep, and a
    /// path in `extends` may come with a pull request.
    public enum Limits {
        public static let depth = 8
        public static let entries = 10_000
        public static let files = 1_000
        public static let fileBytes = 1 << 20
        public static let totalBytes = 16 << 20
    }

    /// Loads a pack folder, or a single rule file as a pack of one, wherever it is (`--rules`, the
    /// user's own choice). A folder is walked within itself: symbolic links leading out of it are refused.
    public static func load(path: String) throws(ConfigError) -> RulePack {
        guard let real = FileAccess.realPath(path) else {
            throw ConfigError(file: path, line: 1, column: 1, message: "规则路径不存在", lineText: "")
        }
        return try load(path: path, real: real, within: real)
    }

    /// Loads the pack a configuration's `extends` names by a path. The path is relative and stays in
    /// the configuration's tree: the folder holding the configuration and below, or, for a
    /// configuration inside a rule pack (a pack's `tests/`), that pack's folder. It is resolved
    /// (symbolic links, `..`) before it is checked.
    public static func load(extending name: String, configDirectory: String, place: ConfigPlace) throws(ConfigError) -> RulePack {
        let builtIn = embeddedNames.joined(separator: "、")
        guard !name.hasPrefix("/") else {
            throw place.error("extends 中的“\(name)”是绝对路径：只能写内置规则包（\(builtIn)），或配置文件所在文件夹之内的相对路径")
        }
        let directory = FileAccess.realPath(configDirectory) ?? configDirectory
        let tree = configurationTree(directory)
        let escapes = place.error("extends 中的路径“\(name)”指向配置文件所在的文件夹（\(tree)）之外：只能引用该文件夹之内的规则包")
        guard let real = FileAccess.realPath(directory + "/" + name) else {
            // Said the same way whether or not something exists out there.
            if !FileAccess.isInside(standardized(directory + "/" + name), tree) { throw escapes }
            throw place.error("未知的规则包“\(name)”：既不是内置规则包（\(builtIn)），也不是存在的路径")
        }
        guard FileAccess.isInside(real, tree) else { throw escapes }
        return try load(path: configDirectory + "/" + name, real: real, within: tree)
    }

    /// The folder a configuration in `directory` may take rules from: the nearest folder at or above
    /// it holding a `pack.yml`, else `directory` itself.
    static func configurationTree(_ directory: String) -> String {
        var folder = directory
        while true {
            if FileAccess.kind(folder + (folder == "/" ? "" : "/") + "pack.yml") == .regular { return folder }
            let parent = FileAccess.folder(of: folder)
            if parent == folder || folder == "/" { return directory }
            folder = parent
        }
    }

    /// `path` with `.`, `..` and empty components removed, by text alone.
    static func standardized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// A pack from `path` (as it is shown), whose canonical path is `real`, taking nothing from outside `root`.
    static func load(path: String, real: String, within root: String) throws(ConfigError) -> RulePack {
        let paths: [String]
        switch FileAccess.kind(real) {
        case .directory?: paths = try yamlFiles(under: path, real: real, within: root)
        case .regular?: paths = [path]
        default: throw ConfigError(file: path, line: 1, column: 1, message: "规则路径既不是文件夹也不是普通文件（管道、设备或套接字），不予读取", lineText: "")
        }
        var files: [(String, String)] = []
        var total = 0
        for file in paths {
            let text = try FileAccess.readText(file, limit: Limits.fileBytes, what: "规则文件")
            total += text.utf8.count
            guard total <= Limits.totalBytes else {
                throw ConfigError(file: path, line: 1, column: 1, message: "规则文件合计超过 \(Limits.totalBytes >> 20) MiB，不是一个规则包", lineText: "")
            }
            files.append((file, text))
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try assemble(files: files, origin: path, fallbackName: name)
    }

    /// The `*.yml` and `*.yaml` files under `folder` (shown as `folder/…`; canonical path `real`),
    /// hidden names left out, sorted. The walk is bounded (`Limits`), follows a symbolic link only
    /// when it leads to a place inside `root`, and opens no file: what is not a regular file is refused.
    static func yamlFiles(under folder: String, real: String, within root: String) throws(ConfigError) -> [String] {
        func failure(_ file: String, _ message: String) -> ConfigError { ConfigError(file: file, line: 1, column: 1, message: message, lineText: "") }
        let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        var out: [String] = []
        var pending = [(shown: base, real: real, depth: 0)]
        var visited: Set<String> = [real]
        var entries = 0
        while let (shown, realFolder, depth) = pending.popLast() {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: realFolder) } catch { throw failure(shown, "无法读取规则文件夹") }
            for name in names.sorted() where !name.hasPrefix(".") {
                entries += 1
                guard entries <= Limits.entries else { throw failure(folder, "规则文件夹中的条目超过 \(Limits.entries) 个，不是一个规则包") }
                let path = shown + "/" + name
                var target = realFolder + "/" + name
                let isYAML = name.hasSuffix(".yml") || name.hasSuffix(".yaml")
                var kind = FileAccess.kind(target, following: false)
                if kind == .symbolicLink {
                    guard let resolved = FileAccess.realPath(target) else {
                        if isYAML { throw failure(path, "规则文件是指向不存在之处的符号链接") }
                        continue
                    }
                    kind = FileAccess.kind(resolved)
                    if !FileAccess.isInside(resolved, root) {
                        // A link out that would be neither read nor walked (a README) does no harm.
                        guard isYAML || kind == .directory else { continue }
                        throw failure(path, "符号链接指向规则文件夹（\(root)）之外，不予跟随")
                    }
                    target = resolved
                }
                switch kind {
                case .directory?:
                    // A folder reached twice (through a link) is read once.
                    guard visited.insert(target).inserted else { continue }
                    guard depth < Limits.depth else { throw failure(path, "规则文件夹嵌套超过 \(Limits.depth) 层，不是一个规则包") }
                    pending.append((path, target, depth + 1))
                case .regular? where isYAML:
                    out.append(path)
                    guard out.count <= Limits.files else { throw failure(folder, "规则文件超过 \(Limits.files) 个，不是一个规则包") }
                case .other? where isYAML:
                    throw failure(path, "规则文件不是普通文件（管道、设备或套接字），不予读取")
                default:
                    continue
                }
            }
        }
        return out.sorted()
    }

    static func isPackFile(_ path: String) -> Bool { path.hasSuffix("/pack.yml") || path == "pack.yml" }

    static func assemble(files: [(String, String)], origin: String, fallbackName: String) throws(ConfigError) -> RulePack {
        var pack = RulePack(name: fallbackName, summary: "", origin: origin, enabledByDefault: false, rules: [])
        var seen: [String: String] = [:]
        for (file, text) in files.sorted(by: { $0.0 < $1.0 }) {
            if isPackFile(file) {
                try readPackFile(text: text, file: file, into: &pack)
                continue
            }
            let rule = try RuleFile.load(text: text, file: file, source: file)
            if let other = seen[rule.description.id] {
                throw ConfigError(file: file, line: 1, column: 1, message: "规则 id “\(rule.description.id)”与 \(other) 重复", lineText: text.split(separator: "\n").first.map(String.init) ?? "")
            }
            seen[rule.description.id] = file
            pack.rules.append(rule)
        }
        return pack
    }

    static func readPackFile(text: String, file: String, into pack: inout RulePack) throws(ConfigError) {
        let yaml: CheckedYAML
        do { yaml = try YAMLText.check(text) } catch { throw error.error(file: file) }
        do {
            guard let node = try YAMLText.composeRuleFile(yaml) else { return }
            // As for rule files: lines are quoted only from a file that names a pack.
            guard YAMLText.rootKeys(of: node, text: text).contains("name") else {
                throw ConfigError(file: file, line: 1, column: 1, message: "pack.yml 应为含 name 键的 YAML 映射（其内容不予引用）", lineText: "")
            }
            var r = NodeReader(node, file: file, text: text)
            _ = try r.mapping()
            pack.name = try r.string(try r.required("name"))
            pack.summary = try r.optional("summary").map { try r.string($0) } ?? ""
            pack.enabledByDefault = try r.optional("default").map { try r.bool($0) } ?? false
            try r.finish()
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError.from(error, file: file, text: text, quoting: YAMLText.rootKeys(of: nil, text: text).contains("name"))
        }
    }
}

/// What the rule-file reader accepts, read from the reader itself: docs/writing-rules.md is checked
/// against it (Tests/RuleTests/WritingRulesDocTests), so the guide cannot go stale.
public enum RuleFileKeys {
    /// The rule kinds (`kind:`).
    public static var kinds: [String] { RuleFile.kinds.keys.sorted() }

    /// The scopes of `scope:`.
    public static var scopes: [String] { Scope.allCases.map(\.rawValue) }

    /// The `{placeholders}` a kind's messages may use.
    public static func placeholders(of kind: String) -> Set<String>? { placeholderSets[kind] }

    /// Each kind's placeholders, by kind name (a test checks that every kind has its entry).
    /// The kinds that have a placeholder entry (a test compares them with `kinds`).
    public static var placeholderKinds: [String] { placeholderSets.keys.sorted() }

    static let placeholderSets: [String: Set<String>] = [
        "pattern": PatternKind.placeholders, "conditional": ConditionalKind.placeholders, "required-sections": RequiredSectionsKind.placeholders,
        "identity": IdentityKind.placeholders, "extra-rows": ExtraRowsKind.placeholders, "date": DateKind.placeholders,
        "contact": ContactKind.placeholders, "prose-claim": ProseClaimKind.placeholders, "section-body": SectionBodyKind.placeholders,
    ]

    /// What reading one rule file looked up: the keys common to every kind, and the kind's own.
    public static func keys(ofRule text: String, file: String = "rule.yml") throws -> (kind: String, common: Set<String>, kindKeys: Set<String>) {
        let trace = RuleFile.KeyTrace()
        guard let root = try YAMLText.compose(text) else { throw ConfigError(file: file, line: 1, column: 1, message: "empty", lineText: "") }
        let reader = NodeReader(root, file: file, text: text)
        _ = try RuleFile.parse(reader, source: file, trace: trace)
        let kind = reader.value("kind")?.string ?? ""
        return (kind, trace.common, trace.kind)
    }

    /// The keys of `applies:`.
    public static var applies: Set<String> { (try? Applicability.keys()) ?? [] }

    /// The keys an example mapping may have (`{text: …}` or `{base: report, …}`).
    public static var example: Set<String> {
        let trace = RuleFile.KeyTrace()
        let text = "{base: report}"
        guard let node = try? YAMLText.compose(text) else { return [] }
        _ = try? RuleFile.example(node, NodeReader(node, file: "", text: text), source: "", trace: trace)
        return trace.example
    }

    /// Loads one rule file's text as a rule (the doc's complete examples).
    public static func rule(_ text: String, file: String) throws(ConfigError) -> YAMLRule {
        try RuleFile.load(text: text, file: file, source: file)
    }
}
