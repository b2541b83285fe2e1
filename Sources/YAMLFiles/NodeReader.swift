import Yams

/// Reads one YAML mapping strictly: every key must be known, every value of the right type, and
/// each mistake is a `ConfigError` at the offending key or value.
public struct NodeReader {
    public let node: Node
    public let file: String
    public let text: String
    /// The keys looked up so far (read or not present): what the reader accepts.
    public private(set) var used: Set<String> = []
    /// The mapping's keys as text, read once: comparing Yams nodes copies them, and a reader
    /// looks up most of its keys.
    private let keys: [String?]

    public init(_ node: Node, file: String, text: String) {
        self.node = node
        self.file = file
        self.text = text
        if case .mapping(let mapping) = node { keys = mapping.indices.map { mapping[$0].key.string } } else { keys = [] }
    }

    public func error(_ message: String, at node: Node? = nil) -> ConfigError {
        let mark = (node ?? self.node).mark
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = max(1, mark?.line ?? 1)
        return ConfigError(file: file, line: line, column: max(1, mark?.column ?? 1), message: message,
                           lineText: line <= lines.count ? String(lines[line - 1]) : "")
    }

    /// An empty value (`rules:` with nothing after it, `~`, `null`).
    public static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    public func mapping() throws -> Node.Mapping {
        if Self.isNull(node) { return Node.Mapping([]) }
        guard let mapping = node.mapping else { throw error("这里应为一个映射（键: 值）") }
        return mapping
    }

    public func keyNode(_ key: String) -> Node? { pair(key)?.key }

    public func value(_ key: String) -> Node? { pair(key)?.value }

    /// The first pair with this key.
    private func pair(_ key: String) -> (key: Node, value: Node)? {
        guard let i = keys.firstIndex(of: key), case .mapping(let mapping) = node else { return nil }
        return mapping[mapping.index(mapping.startIndex, offsetBy: i)]
    }

    public mutating func optional(_ key: String) -> Node? {
        used.insert(key)
        return value(key)
    }

    public mutating func required(_ key: String) throws -> Node {
        used.insert(key)
        guard let v = value(key) else { throw error("缺少必需的键“\(key)”") }
        return v
    }

    public func child(_ node: Node) -> NodeReader { NodeReader(node, file: file, text: text) }

    /// After reading: any key not read is unknown, an error rather than ignored.
    public func finish(allowed extra: Set<String> = []) throws {
        for (key, _) in try mapping() {
            guard let name = key.string else { throw error("键必须是字符串", at: key) }
            if !used.contains(name) && !extra.contains(name) {
                let known = used.union(extra).sorted().joined(separator: "、")
                throw error("未知的键“\(name)”（此处可用的键：\(known)）", at: key)
            }
        }
    }

    // MARK: - Typed values

    public func string(_ node: Node) throws -> String {
        guard let s = node.scalar?.string else { throw error("这里应为字符串", at: node) }
        return s
    }

    public func int(_ node: Node) throws -> Int {
        guard let s = node.scalar?.string, let v = Int(s) else { throw error("这里应为整数", at: node) }
        return v
    }

    public func double(_ node: Node) throws -> Double {
        guard let s = node.scalar?.string, let v = Double(s) else { throw error("这里应为数字", at: node) }
        return v
    }

    public func bool(_ node: Node) throws -> Bool {
        guard let s = node.scalar?.string else { throw error("这里应为 true 或 false", at: node) }
        switch s {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("这里应为 true 或 false，而不是“\(s)”", at: node)
        }
    }

    /// A string or a list of strings.
    public func strings(_ node: Node) throws -> [String] {
        if Self.isNull(node) { return [] }
        if let s = node.scalar?.string { return [s] }
        guard let seq = node.sequence else { throw error("这里应为字符串或字符串列表", at: node) }
        return try seq.map { try string($0) }
    }

    public func list(_ node: Node) throws -> [Node] {
        if Self.isNull(node) { return [] }
        guard let seq = node.sequence else { throw error("这里应为列表", at: node) }
        return Array(seq)
    }

    public func oneOf<T>(_ node: Node, _ choices: [String: T]) throws -> T {
        let s = try string(node)
        guard let v = choices[s] else {
            throw error("“\(s)”不是可用的值（可用：\(choices.keys.sorted().joined(separator: "、"))）", at: node)
        }
        return v
    }
}
