import RuleKit
import UserPatterns
import YAMLFiles

/// `kind: pattern` — text that must not appear (`forbid`) or must appear (`require`) in a scope.
///
/// ```yaml
/// kind: pattern
/// scope: prose          # text, title, heading, paragraph, subheading, prose, table-cell, signature
/// sections: [六]        # optional: only blocks in these sections
/// require: [政务公开工作要点]   # or forbid: [...]; an item may be {pattern: '考核', name: 工作考核}
/// regex: false          # the patterns are literal text unless true
/// at: start             # require only: where a missing pattern is reported — start (the scope's first
///                       # block, else the title) or heading (the heading of the first of `sections` the
///                       # report has; with none of them present nothing is reported: a missing heading
///                       # is structure.required-section's finding)
/// report: each          # require only: each (a finding per missing pattern) or once (one finding
///                       # naming every missing pattern, joined with 、)
/// ```
///
/// `{pattern}` in the message is the pattern's `name` when it has one, else the pattern itself.
struct PatternKind: RuleCheck {
    enum At: String, Sendable { case start, heading }
    enum Report: String, Sendable { case each, once }
    var scope: Scope
    var sections: Set<SectionID>?
    var patterns: [UserRegex]
    /// What `{pattern}` says for each pattern.
    var names: [String]
    var required: Bool
    var at: At = .start
    var report: Report = .each

    static let placeholders: Set<String> = ["match", "pattern"]

    static func read(_ r: inout NodeReader) throws -> PatternKind {
        let (scope, sections) = try Scope.read(&r)
        let isRegex = try r.optional("regex").map { try r.bool($0) } ?? false
        let forbid = r.optional("forbid"), require = r.optional("require")
        guard (forbid == nil) != (require == nil), let node = forbid ?? require else {
            throw r.error("pattern 规则需要 forbid 或 require 之一（只能二选一）")
        }
        var patterns: [UserRegex] = [], names: [String] = []
        let items = NodeReader.isNull(node) ? [] : node.scalar != nil ? [node] : try r.list(node)
        for item in items {
            if item.scalar != nil {
                let text = try r.string(item)
                patterns.append(try UserRegex(text, literal: !isRegex, reader: r, node: item))
                names.append(text)
            } else {
                var m = r.child(item)
                let p = try m.required("pattern")
                let text = try m.string(p)
                patterns.append(try UserRegex(text, literal: !isRegex, reader: m, node: p))
                names.append(try m.optional("name").map { try m.string($0) } ?? text)
                try m.finish()
            }
        }
        guard !patterns.isEmpty else { throw r.error("至少需要一个模式", at: node) }
        var kind = PatternKind(scope: scope, sections: sections, patterns: patterns, names: names, required: require != nil)
        if let a = r.optional("at") {
            guard require != nil else { throw r.error("at 只用于 require", at: a) }
            kind.at = try r.oneOf(a, ["start": At.start, "heading": .heading])
            if kind.at == .heading, sections == nil { throw r.error("at: heading 需要 sections（在哪一部分的标题处报告）", at: a) }
        }
        if let n = r.optional("report") {
            guard require != nil else { throw r.error("report 只用于 require", at: n) }
            kind.report = try r.oneOf(n, ["each": Report.each, "once": .once])
        }
        return kind
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        // Reported at a heading: without one of the sections' headings there is nowhere to report, and no section to search.
        var heading: SectionHeading?
        if required, at == .heading {
            heading = document.headings.filter { sections!.contains($0.section) }.min { $0.section < $1.section }
            guard heading != nil else { return [] }
        }
        let blocks = scope.blocks(document, sections: sections)
        var findings: [Finding] = []
        var missing: [Int] = []
        for (index, pattern) in patterns.enumerated() {
            var found = false
            for block in blocks where pattern.mayMatch(document.source, block) {
                let matches: [[SourceSpan?]]
                do { matches = try pattern.matches(in: document.source, span: block, deadline: run.deadline) } catch { throw run.regexBudgetExceeded() }
                if required, !matches.isEmpty { found = true; break }
                for m in matches where !required {
                    guard let span = m[0] else { continue }
                    findings.append(Finding(span: span, message: run.message.render(["match": document.text(span), "pattern": names[index]])))
                }
            }
            if required, !found { missing.append(index) }
        }
        guard !missing.isEmpty else { return findings }
        let place = heading?.span ?? blocks.first.map { SourceSpan.empty(at: $0.start) } ?? document.titleSpan ?? .empty(at: 0)
        switch report {
        case .each:
            for index in missing { findings.append(Finding(span: place, message: run.message.render(["match": "", "pattern": names[index]]))) }
        case .once:
            findings.append(Finding(span: place, message: run.message.render(["match": "", "pattern": missing.map { names[$0] }.joined(separator: "、")])))
        }
        return findings
    }
}
