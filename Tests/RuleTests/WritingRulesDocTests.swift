import Foundation
import RuleCatalog
import RuleKit
import RuleTesting
import Testing
import YAMLFiles
import YAMLRules

/// docs/writing-rules.md against the rule reader, so the guide cannot go stale: each key table lists
/// exactly the keys the reader looks up, each placeholder list what the kind provides, and every
/// complete example loads and its examples pass.
struct WritingRulesDocTests {
    static let root = #filePath.components(separatedBy: "/Tests/")[0]
    static let doc = (try? String(contentsOfFile: root + "/docs/writing-rules.md", encoding: .utf8)) ?? ""
    static let lines = doc.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

    /// The first cells (in backticks) of the table after `<!-- MARKER -->`; nested keys (`claims[].what`,
    /// `if.pattern`) are left out, several keys in one cell (`a`, `b`) each count.
    static func table(after marker: String) -> Set<String>? {
        guard let start = lines.firstIndex(of: "<!-- \(marker) -->") else { return nil }
        var keys: Set<String> = []
        var i = start + 1
        while i < lines.count, lines[i].isEmpty { i += 1 }
        while i < lines.count, lines[i].hasPrefix("|") {
            let first = lines[i].split(separator: "|", omittingEmptySubsequences: false)[1]
            for part in first.split(separator: "`").enumerated() where part.offset % 2 == 1 {
                let key = String(part.element)
                if !key.contains(".") && !key.contains("[") { keys.insert(key) }
            }
            i += 1
        }
        return keys
    }

    /// The `{name}` placeholders on the line after `<!-- placeholders: KIND -->`.
    static func placeholders(_ kind: String) -> Set<String>? {
        guard let start = lines.firstIndex(of: "<!-- placeholders: \(kind) -->"), start + 1 < lines.count else { return nil }
        return Set(lines[start + 1].split(separator: "`").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) })
    }

    /// The fenced blocks of one info string, with the line each starts on.
    static func blocks(_ info: String) -> [(line: Int, text: String)] {
        var out: [(Int, String)] = []
        var i = 0
        while i < lines.count {
            if lines[i] == "```" + info {
                var body: [String] = []
                var j = i + 1
                while j < lines.count, lines[j] != "```" { body.append(lines[j]); j += 1 }
                out.append((i + 2, body.joined(separator: "\n") + "\n"))
                i = j
            }
            i += 1
        }
        return out
    }

    static func rule(_ block: (line: Int, text: String)) throws -> YAMLRule {
        let result = Result { () throws(ConfigError) -> YAMLRule in try RuleFileKeys.rule(block.text, file: "docs/writing-rules.md@\(block.line)") }
        return try result.get()
    }

    @Test func theGuideExists() {
        #expect(Self.doc.contains("# Writing YAML rules"))
        #expect(Self.blocks("yaml rule").count >= RuleFileKeys.kinds.count)
    }

    @Test func everyKindHasASectionAndOnlyKindsDo() {
        let sections = Set(Self.lines.compactMap { line -> String? in
            guard line.hasPrefix("<!-- keys: kind ") else { return nil }
            return String(line.dropFirst("<!-- keys: kind ".count).dropLast(" -->".count))
        })
        #expect(sections == Set(RuleFileKeys.kinds))
        for kind in RuleFileKeys.kinds { #expect(Self.lines.contains("### `\(kind)`"), "no heading for \(kind)") }
    }

    /// Each kind's table lists exactly the keys the kind's reader looks up on the doc's complete examples.
    @Test(arguments: RuleFileKeys.kinds)
    func aKindsKeysAreDocumented(_ kind: String) throws {
        let documented = try #require(Self.table(after: "keys: kind \(kind)"), "no key table for \(kind)")
        var read: Set<String> = []
        for block in Self.blocks("yaml rule") {
            let keys = try RuleFileKeys.keys(ofRule: block.text, file: "docs/writing-rules.md@\(block.line)")
            if keys.kind == kind { read.formUnion(keys.kindKeys) }
        }
        #expect(!read.isEmpty, "no complete example of kind \(kind)")
        #expect(read.subtracting(documented).isEmpty, "\(kind) accepts keys its section does not list: \(read.subtracting(documented).sorted())")
        #expect(documented.subtracting(read).isEmpty, "\(kind)'s section lists keys the kind does not accept: \(documented.subtracting(read).sorted())")
    }

    @Test(arguments: RuleFileKeys.kinds)
    func aKindsPlaceholdersAreDocumented(_ kind: String) throws {
        let documented = try #require(Self.placeholders(kind), "no placeholder line for \(kind)")
        #expect(documented == RuleFileKeys.placeholders(of: kind), "\(kind)")
    }

    @Test func theCommonKeysAppliesExamplesAndScopesAreDocumented() throws {
        let block = try #require(Self.blocks("yaml rule").first)
        let common = try RuleFileKeys.keys(ofRule: block.text).common
        #expect(Self.table(after: "keys: common") == common)
        #expect(Self.table(after: "keys: applies") == RuleFileKeys.applies)
        #expect(RuleFileKeys.applies.contains("province"))
        #expect(Self.table(after: "keys: example") == RuleFileKeys.example)
        #expect(RuleFileKeys.example.isSuperset(of: ["issuer", "province", "kind", "report_year"]))
        #expect(Self.table(after: "scopes") == Set(RuleFileKeys.scopes))
        #expect(Set(RuleFileKeys.kinds) == Set(RuleFileKeys.placeholderKinds))
    }

    /// Every complete example loads, has triggering and passing examples, and they pass.
    @Test func theCompleteExamplesPass() throws {
        let rowRule = try #require(RuleCatalog.builtIn.rule(RuleExamples.unknownRowID))
        for block in Self.blocks("yaml rule") {
            let rule = try Self.rule(block)
            #expect(!rule.description.triggering.isEmpty && !rule.description.passing.isEmpty, "\(rule.description.id)")
            let outcome = RuleExamples.check([rule], rowRule: rowRule)
            #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
            #expect(outcome.passed == rule.description.triggering.count + rule.description.passing.count)
        }
    }
}
