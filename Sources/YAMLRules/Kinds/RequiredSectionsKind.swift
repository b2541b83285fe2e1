import RuleKit
import YAMLFiles

/// `kind: required-sections` — the six section headings must be present; each may list wording
/// variants that count as present besides the ones the scanner knows.
///
/// ```yaml
/// kind: required-sections
/// sections:
///   五: [存在的主要问题及改进情况, 政府信息公开工作存在的主要问题及改进情况]
/// ```
struct RequiredSectionsKind: RuleCheck {
    /// Normalized accepted titles by section; an empty list means the scanner's own titles only.
    var sections: [(SectionID, Set<String>)]

    static let placeholders: Set<String> = ["ordinal", "heading"]
    var usesPatterns: Bool { false }

    static func read(_ r: inout NodeReader) throws -> RequiredSectionsKind {
        let node = try r.required("sections")
        let m = r.child(node)
        var sections: [(SectionID, Set<String>)] = []
        for (key, value) in try m.mapping() {
            guard let name = key.string, let section = Scope.ordinals[name] else {
                throw r.error("sections 的键应为 一 至 六", at: key)
            }
            let variants = value.scalar?.string == "" || value.scalar?.string == "~" ? [] : try m.strings(value)
            sections.append((section, Set(variants.map(Label.normalize))))
        }
        guard !sections.isEmpty else { throw r.error("至少要列出一个部分", at: node) }
        return RequiredSectionsKind(sections: sections.sorted { $0.0 < $1.0 })
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        var present = 0
        for heading in document.headings { present |= 1 << heading.section.rawValue }
        var findings: [Finding] = []
        // The short lines a variant title could be, normalized once for all missing sections.
        var lines: [String]?
        for (section, variants) in sections where present & (1 << section.rawValue) == 0 {
            if !variants.isEmpty {
                if lines == nil { lines = variantCandidates(document) }
                if lines!.contains(where: variants.contains) { continue }
            }
            // Where it should stand: the first later section's heading, else the end of the text.
            let next = document.headings.first { $0.section > section }
            findings.append(Finding(span: next?.span ?? lastLine(document),
                                    message: run.message.render(["ordinal": section.ordinal, "heading": section.officialHeading])))
        }
        return findings
    }

    /// Each short paragraph normalized, without a leading ordinal: what a variant title is compared with.
    func variantCandidates(_ document: Document) -> [String] {
        document.paragraphs.compactMap { block in
            guard block.span.length < 200 else { return nil }
            var text = Label.normalize(document.text(block.span))
            while let first = text.unicodeScalars.first, "一二三四五六".unicodeScalars.contains(first) { text.removeFirst() }
            return text
        }
    }

    func lastLine(_ document: Document) -> SourceSpan {
        let source = document.source
        var line = source.lineCount
        while line > 1, source.lineText(line).allSatisfy(\.isWhitespace) { line -= 1 }
        return source.lineCount == 0 ? .empty(at: 0) : source.lineSpan(line)
    }
}
