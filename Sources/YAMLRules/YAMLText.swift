import Yams

/// Parsing YAML text into nodes, with the options every loader wants.
enum YAMLText {
    // Yams computes its default encoding on each call, reading the whole environment (a third of a
    // million instructions a file); our strings are native UTF-8.
    static func compose(_ text: String) throws -> Node? {
        try Yams.compose(yaml: text, .default, constructor, .utf8)
    }

    // `Constructor.default` builds its tables on each call; composing never changes them.
    nonisolated(unsafe) static let constructor = Constructor.default

    /// The same nodes as `compose` for rule and pack files, for less: Yams resolves each plain key's
    /// tag (bool, int, timestamp…) by regular expressions, only to find duplicate keys. A key's tag
    /// matters there only when two keys of one mapping have the same text, and the loaders read no
    /// tags, so such files (and any error, for its message) take the full parse.
    static func composeRuleFile(_ text: String) throws -> Node? {
        if let node = try? Yams.compose(yaml: text, .basic, constructor, .utf8), !mayHaveDuplicateKeys(node) { return node }
        return try compose(text)
    }

    /// Whether a mapping in `node` repeats a key's text, or has a key that is not a scalar.
    static func mayHaveDuplicateKeys(_ node: Node) -> Bool {
        switch node {
        case .mapping(let mapping):
            // By index (iterating a Yams mapping copies its pairs); mappings here are short.
            var keys: [String] = []
            for i in mapping.indices {
                guard let text = mapping[i].key.scalar?.string, !keys.contains(text) else { return true }
                keys.append(text)
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
