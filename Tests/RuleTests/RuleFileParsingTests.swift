import Testing
import YAMLFiles
import Yams
@testable import YAMLRules

/// Rule files are parsed without Yams's tag resolution (`YAMLText.composeRuleFile`); duplicate
/// keys must still be found exactly as the full parse finds them.
struct RuleFileParsingTests {
    static let head = "id: x.dup\nkind: pattern\nseverity: warning\nsummary: s\nscope: text\nforbid: [abc]\n"

    static func loadError(_ text: String) -> String? {
        do {
            _ = try RuleFile.load(text: text, file: "r.yml", source: "r.yml")
            return nil
        } catch {
            return error.message
        }
    }

    @Test func plainDuplicateKeysAreReported() {
        #expect(Self.loadError(Self.head + "summary: t\n")?.contains("重复的键") == true)
    }

    @Test func keysOfOneTextAndTagAreDuplicates() {
        // `1` resolves to an integer, so it duplicates an explicit `!!int 1`.
        #expect(Self.loadError(Self.head + "1: a\n!!int 1: b\n")?.contains("重复的键：1") == true)
    }

    @Test func keysOfOneTextAndDifferentTagsAreNot() {
        // A quoted `"1"` is a string, the plain `1` an integer: two keys, both unknown.
        let message = Self.loadError(Self.head + "1: a\n\"1\": b\n")
        #expect(message?.contains("未知的键“1”") == true, "\(message ?? "")")
    }

    /// Anchors that are reused are fine; anchors that multiply are refused before Yams builds a tree,
    /// at the alias that goes past the limit.
    @Test func aliasesAreBoundedBeforeComposing() throws {
        #expect(Self.render(try YAMLText.compose("a: &a [x, y]\nb: *a\nc: *a\n")) == "{a/1@1:1: [x/1@1:8, y/1@1:11], b/1@2:1: [x/1@1:8, y/1@1:11], c/1@3:1: [x/1@1:8, y/1@1:11]}")
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(throws: YAMLText.AliasLimit.self) { _ = try YAMLText.compose(text) }
        let limit = try #require(Self.loadError(Self.head + text.replacingOccurrences(of: "a0: ", with: "x: {a0: ").replacingOccurrences(of: "]\na", with: "], a") + "}"))
        #expect(limit.contains("别名展开后超过 10000 个节点"), "\(limit)")
        // Without an `&` there is nothing to expand, and the walk is skipped; keys are still read.
        #expect(YAMLText.rootKeys(of: nil, text: "id: x\nkind: [") == ["id", "kind"])
    }

    /// What the loaders read of a tree: structure, scalar texts and styles, marks.
    static func render(_ node: Node?) -> String {
        switch node {
        case nil: "nil"
        case .scalar(let s)?: "\(s.string)/\(s.style.rawValue)@\(s.mark.map { "\($0.line):\($0.column)" } ?? "")"
        case .mapping(let m)?: "{" + m.indices.map { render(m[$0].key) + ": " + render(m[$0].value) }.joined(separator: ", ") + "}"
        case .sequence(let q)?: "[" + q.map { render($0) }.joined(separator: ", ") + "]"
        case .alias?: "alias"
        }
    }

    @Test func theShortParseAgreesWithTheFullOne() throws {
        let texts = [Self.head, "a: {b: 1, c: [x, {d: 2}]}\n", "a: &x {b: 1}\nc: *x\n", "? [a]\n: 1\n", "=: 1\n<<: {a: 1}\n", "", "# only a comment\n"]
        for text in texts {
            #expect(Self.render(try YAMLText.composeRuleFile(text)) == Self.render(try YAMLText.compose(text)))
        }
        #expect(YAMLText.mayHaveDuplicateKeys(try #require(try YAMLText.compose("a: 1\nb: [{1: x, \"1\": y}]\n"))))
        #expect(YAMLText.mayHaveDuplicateKeys(try #require(try YAMLText.compose("? [a]\n: 1\n"))))
        #expect(!YAMLText.mayHaveDuplicateKeys(try #require(try YAMLText.compose(Self.head))))
    }
}
