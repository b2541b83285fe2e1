// Yams keeps its libyaml (the CYaml target) for itself and offers no event API, so this imports it
// directly, as Yams does: the alias bound must see the events before Yams builds a tree.
import CYaml
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Yams

/// YAML text that passed `YAMLText.check`, the only way to a tree.
public struct CheckedYAML {
    public let text: String
}

/// Parsing YAML text into nodes, with the options every loader wants.
public enum YAMLText {
    /// Nodes that aliases may add to a document. Yams shares an anchored node with its aliases,
    /// but every walk of the tree (hashing a key, checking duplicates, reading, serializing)
    /// visits each copy: nine aliases of nine aliases of … make a few hundred bytes into billions
    /// of nodes. Rule and configuration files never need anchors to multiply.
    public static let aliasNodeLimit = 10_000

    /// An alias expansion past the limit, found before any tree is built.
    public struct AliasLimit: Error {
        public var line: Int
        public var column: Int

        public var message: String { "YAML 别名展开后超过 \(YAMLText.aliasNodeLimit) 个节点：规则和配置文件不能用锚点与别名成倍复制内容" }

        /// The error, positioned at the alias; never quoting the line (the file may not be a rule file).
        public func error(file: String) -> ConfigError { ConfigError(file: file, line: line, column: column, message: message, lineText: "") }
    }

    /// Refuses a text whose aliases would add more than `aliasNodeLimit` nodes, before Yams builds
    /// a tree (hashing an aliased key already walks every copy). A text without `&` has no anchor,
    /// so no alias to expand: the rule packs built into the binary have none and skip the walk.
    public static func check(_ text: String) throws(AliasLimit) -> CheckedYAML {
        // memchr: a byte loop over every rule file showed at start-up in debug builds.
        let hasAnchor = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, Int32(UInt8(ascii: "&")), bytes.count) != nil } ?? false
        }
            ?? text.utf8.contains(UInt8(ascii: "&"))
        if hasAnchor { _ = try walk(text) }
        return CheckedYAML(text: text)
    }

    /// The scalar keys of the root mapping: from the tree when the text composed, else from libyaml's
    /// events up to the syntax error (for a rule file with a mistake late in it).
    public static func rootKeys(of node: Node?, text: String) -> Set<String> {
        if let node {
            guard case .mapping(let mapping) = node else { return [] }
            return Set(mapping.indices.compactMap { mapping[$0].key.scalar?.string })
        }
        return (try? walk(text)) ?? []
    }

    /// Walks libyaml's events once, counting the nodes each anchor stands for and what every alias
    /// adds, and notes the root mapping's keys. Syntax errors are left to the parse that follows,
    /// which reports them the same way. (Nesting is bounded by libyaml itself, at 1,000 levels.)
    public static func walk(_ text: String) throws(AliasLimit) -> Set<String> {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return [] }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return [] }
        struct Collection {
            public var anchor: String?
            public var isMapping: Bool
            public var nodes = 1
            public var children = 0
        }
        var open: [Collection] = []
        var anchored: [String: Int] = [:]
        var added = 0
        var rootKeys: Set<String> = []
        func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        // A finished node of `nodes` nodes goes into the collection that holds it.
        func finish(_ nodes: Int, anchor: String?, key: String?) {
            if let anchor { anchored[anchor] = nodes }
            guard !open.isEmpty else { return }
            if open.count == 1, open[0].isMapping, open[0].children % 2 == 0, let key { rootKeys.insert(key) }
            open[open.count - 1].nodes += nodes
            open[open.count - 1].children += 1
        }
        return try bytes.withUnsafeMutableBufferPointer { (buffer) throws(AliasLimit) -> Set<String> in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var event = yaml_event_t()
            // One document: Yams refuses a second one.
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let key = open.count == 1 ? String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self) : nil
                    finish(1, anchor: string(scalar.anchor), key: key)
                case YAML_SEQUENCE_START_EVENT:
                    open.append(Collection(anchor: string(event.data.sequence_start.anchor), isMapping: false))
                case YAML_MAPPING_START_EVENT:
                    open.append(Collection(anchor: string(event.data.mapping_start.anchor), isMapping: true))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let collection = open.popLast() else { break }
                    finish(collection.nodes, anchor: collection.anchor, key: nil)
                case YAML_ALIAS_EVENT:
                    // An undefined alias is Yams's error to report; it adds nothing here.
                    let nodes = string(event.data.alias.anchor).flatMap { anchored[$0] } ?? 1
                    added += nodes
                    guard added <= aliasNodeLimit else {
                        throw AliasLimit(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                    }
                    finish(nodes, anchor: nil, key: nil)
                case YAML_DOCUMENT_END_EVENT, YAML_STREAM_END_EVENT:
                    return rootKeys
                default:
                    break
                }
            }
            return rootKeys
        }
    }

    // Yams computes its default encoding on each call, reading the whole environment (a third of a
    // million instructions a file); our strings are native UTF-8.
    public static func compose(_ yaml: CheckedYAML) throws -> Node? {
        try Yams.compose(yaml: yaml.text, .default, constructor, .utf8)
    }

    /// `check` and `compose` in one.
    public static func compose(_ text: String) throws -> Node? {
        try compose(try check(text))
    }

    // `Constructor.default` builds its tables on each call; composing never changes them.
    public nonisolated(unsafe) static let constructor = Constructor.default

    /// The same nodes as `compose` for rule and pack files, for less: Yams resolves each plain key's
    /// tag (bool, int, timestamp…) by regular expressions, only to find duplicate keys. A key's tag
    /// matters there only when two keys of one mapping have the same text, and the loaders read no
    /// tags, so such files (and any error, for its message) take the full parse.
    public static func composeRuleFile(_ yaml: CheckedYAML) throws -> Node? {
        if let node = try? Yams.compose(yaml: yaml.text, .basic, constructor, .utf8), !mayHaveDuplicateKeys(node) { return node }
        return try compose(yaml)
    }

    public static func composeRuleFile(_ text: String) throws -> Node? {
        try composeRuleFile(try check(text))
    }

    /// Whether a mapping in `node` repeats a key's text, or has a key that is not a scalar.
    public static func mayHaveDuplicateKeys(_ node: Node) -> Bool {
        switch node {
        case .mapping(let mapping):
            // By index (iterating a Yams mapping copies its pairs). Most mappings are short, and a
            // list is quicker than hashing there; a long one (written to make this quadratic) gets a set.
            var keys: [String] = []
            var seen: Set<String> = []
            for i in mapping.indices {
                guard let text = mapping[i].key.scalar?.string else { return true }
                if keys.count < 32 {
                    if keys.contains(text) { return true }
                    keys.append(text)
                    if keys.count == 32 { seen = Set(keys) }
                } else if !seen.insert(text).inserted {
                    return true
                }
                if mayHaveDuplicateKeys(mapping[i].value) { return true }
            }
            return false
        case .sequence(let sequence):
            return sequence.contains { mayHaveDuplicateKeys($0) }
        case .scalar, .alias:
            return false
        }
    }
}
