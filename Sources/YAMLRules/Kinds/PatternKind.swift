import RuleKit
import UserPatterns
import YAMLFiles

/// `kind: pattern` — text that must not appear (`forbid`) or must appear (`require`) in a scope.
///
/// ```yaml
/// kind: pattern
/// scope: prose          # text, title, heading, paragraph, subheading, prose, table-cell, signature
/// sections: [六]        # optional: only blocks in these sections
/// require: [政务公开工作要点]   # or forbid: [...]
/// regex: false          # the patterns are literal text unless true
/// ```
struct PatternKind: RuleCheck {
    var scope: Scope
    var sections: Set<SectionID>?
    var patterns: [UserRegex]
    var required: Bool

    static let placeholders: Set<String> = ["match", "pattern"]

    static func read(_ r: inout NodeReader) throws -> PatternKind {
        let (scope, sections) = try Scope.read(&r)
        let isRegex = try r.optional("regex").map { try r.bool($0) } ?? false
        let forbid = r.optional("forbid"), require = r.optional("require")
        guard (forbid == nil) != (require == nil), let node = forbid ?? require else {
            throw r.error("pattern 规则需要 forbid 或 require 之一（只能二选一）")
        }
        let patterns = try r.strings(node).map { try UserRegex($0, literal: !isRegex, reader: r, node: node) }
        guard !patterns.isEmpty else { throw r.error("至少需要一个模式", at: node) }
        return PatternKind(scope: scope, sections: sections, patterns: patterns, required: require != nil)
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        let blocks = scope.blocks(document, sections: sections)
        var findings: [Finding] = []
        for pattern in patterns {
            var found = false
            for block in blocks where pattern.mayMatch(document.source, block) {
                let matches: [[SourceSpan?]]
                do { matches = try pattern.matches(in: document.source, span: block, deadline: run.deadline) } catch { throw run.regexBudgetExceeded() }
                if required, !matches.isEmpty { found = true; break }
                for m in matches where !required {
                    guard let span = m[0] else { continue }
                    findings.append(Finding(span: span, message: run.message.render(["match": document.text(span), "pattern": pattern.pattern])))
                }
            }
            if required, !found {
                let at = blocks.first.map { SourceSpan.empty(at: $0.start) } ?? document.titleSpan ?? .empty(at: 0)
                findings.append(Finding(span: at, message: run.message.render(["match": "", "pattern": pattern.pattern])))
            }
        }
        return findings
    }
}
