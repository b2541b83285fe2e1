import RuleKit
import UserPatterns
import YAMLFiles

/// `kind: conditional` — where one pattern matches, another must match too.
///
/// ```yaml
/// kind: conditional
/// if:   {scope: prose, pattern: 依申请公开}
/// then: {scope: text, pattern: 联系电话}
/// ```
struct ConditionalKind: RuleCheck {
    struct Side: Sendable {
        var scope: Scope
        var sections: Set<SectionID>?
        var pattern: UserRegex
    }
    var condition: Side
    var consequence: Side

    static let placeholders: Set<String> = ["match", "pattern"]

    static func side(_ r: inout NodeReader, _ key: String) throws -> Side {
        var s = r.child(try r.required(key))
        let (scope, sections) = try Scope.read(&s)
        let isRegex = try s.optional("regex").map { try s.bool($0) } ?? false
        let node = try s.required("pattern")
        let pattern = try UserRegex(try s.string(node), literal: !isRegex, reader: s, node: node)
        try s.finish()
        return Side(scope: scope, sections: sections, pattern: pattern)
    }

    static func read(_ r: inout NodeReader) throws -> ConditionalKind {
        ConditionalKind(condition: try side(&r, "if"), consequence: try side(&r, "then"))
    }

    func first(_ side: Side, _ document: Document, _ run: CheckRun) throws -> SourceSpan? {
        for block in side.scope.blocks(document, sections: side.sections) where side.pattern.mayMatch(document.source, block) {
            do {
                if let m = try side.pattern.matches(in: document.source, span: block, deadline: run.deadline).first { return m[0] }
            } catch { throw run.regexBudgetExceeded() }
        }
        return nil
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        guard let hit = try first(condition, document, run), try first(consequence, document, run) == nil else { return [] }
        return [Finding(span: hit, message: run.message.render(["match": document.text(hit), "pattern": consequence.pattern.pattern]))]
    }
}
