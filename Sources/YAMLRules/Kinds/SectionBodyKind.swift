import RuleKit
import YAMLFiles

/// `kind: section-body` — the body of a section (its paragraphs and sub-headings up to the next
/// section heading; tables and the signature are not part of it) must say something: it is
/// reported at the section's heading when it is empty or shorter than `min_length` characters
/// (white space not counted). A section whose heading is absent is not checked
/// (structure.required-section reports that). Each section may carry the conditions of `applies`
/// under which it is checked.
///
/// ```yaml
/// kind: section-body
/// sections:
///   五: {}
///   六: {report_year: ">= 2021"}   # 六 only in reports on 2021 or later
/// min_length: 10
/// ```
///
/// Placeholders: `{ordinal}` (`五`), `{heading}` (the heading as written), `{length}`, `{min}`,
/// `{body}` (the body's text, at most 20 characters), `{problem}` (为空 / 只有“无。” / 只有 3 个字).
struct SectionBodyKind: RuleCheck {
    var sections: [(SectionID, Applicability)]
    var minLength: Int

    static let placeholders: Set<String> = ["ordinal", "heading", "length", "min", "body", "problem"]
    var usesPatterns: Bool { sections.contains { $0.1.issuer != nil } }

    static func read(_ r: inout NodeReader) throws -> SectionBodyKind {
        let node = try r.required("sections")
        let m = r.child(node)
        var sections: [(SectionID, Applicability)] = []
        for (key, value) in try m.mapping() {
            guard let name = key.string, let section = Scope.ordinals[name] else { throw r.error("sections 的键应为 一 至 六", at: key) }
            guard !sections.contains(where: { $0.0 == section }) else { throw r.error("第\(name)部分重复列出", at: key) }
            sections.append((section, try Applicability.read(m.child(value))))
        }
        guard !sections.isEmpty else { throw r.error("至少要列出一个部分", at: node) }
        let lengthNode = try r.required("min_length")
        let minLength = try r.int(lengthNode)
        guard minLength >= 1 else { throw r.error("min_length 应为正整数", at: lengthNode) }
        return SectionBodyKind(sections: sections.sorted { $0.0 < $1.0 }, minLength: minLength)
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        var findings: [Finding] = []
        for (section, applicability) in sections {
            guard let heading = document.heading(section) else { continue }
            do {
                guard try applicability.applies(to: document, context: run.context, deadline: run.deadline) else { continue }
            } catch { throw run.regexBudgetExceeded() }
            var body = String.UnicodeScalarView()
            var length = 0
            for p in document.paragraphs where p.section == section && (p.kind == .paragraph || p.kind == .subheading) {
                for s in Scalars(document.source.bytes, p.span).scalars where !CharClass.isSpace(s) {
                    if length < 20 { body.append(s) }
                    length += 1
                }
                if length >= minLength { break }
            }
            guard length < minLength else { continue }
            let text = String(body)
            let problem = length == 0 ? "为空" : text == "无" || text == "无。" ? "只有“\(text)”" : "只有 \(length) 个字（“\(text)”）"
            findings.append(Finding(span: heading.span, message: run.message.render([
                "ordinal": section.ordinal, "heading": heading.writtenTitle, "length": String(length), "min": String(minLength),
                "body": text, "problem": problem,
            ])))
        }
        return findings
    }
}
