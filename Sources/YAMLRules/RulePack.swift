import Foundation
import RuleKit
import Yams

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

    /// Loads a pack folder, or a single rule file as a pack of one.
    public static func load(path: String) throws(ConfigError) -> RulePack {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, line: 1, column: 1, message: "规则路径不存在", lineText: "")
        }
        var files: [(String, String)] = []
        let paths = isDirectory.boolValue ? yamlFiles(under: path) : [path]
        for file in paths {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigError(file: file, line: 1, column: 1, message: "无法读取规则文件", lineText: "")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: file, line: 1, column: 1, message: "规则文件必须是 UTF-8 编码", lineText: "")
            }
            files.append((file, text))
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try assemble(files: files, origin: path, fallbackName: name)
    }

    static func yamlFiles(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let item = enumerator.nextObject() as? String {
            if item.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if item.hasSuffix(".yml") || item.hasSuffix(".yaml") { out.append(folder + (folder.hasSuffix("/") ? "" : "/") + item) }
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
        do {
            guard let node = try YAMLText.composeRuleFile(text) else { return }
            var r = NodeReader(node, file: file, text: text)
            _ = try r.mapping()
            pack.name = try r.string(try r.required("name"))
            pack.summary = try r.optional("summary").map { try r.string($0) } ?? ""
            pack.enabledByDefault = try r.optional("default").map { try r.bool($0) } ?? false
            try r.finish()
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError.from(error, file: file, text: text)
        }
    }
}
