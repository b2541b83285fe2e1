import RuleKit
import YAMLFiles

/// Where a text check looks (vale's scopes over our document model).
enum Scope: String, Sendable, CaseIterable {
    case text, title, heading, paragraph, subheading, prose, tableCell = "table-cell", signature

    /// The blocks of the scope, limited to `sections` when given (prose scopes only).
    func blocks(_ document: Document, sections: Set<SectionID>?) -> [SourceSpan] {
        func prose(_ kinds: Set<BlockKind>) -> [SourceSpan] {
            document.paragraphs.filter { kinds.contains($0.kind) && (sections == nil || $0.section.map { sections!.contains($0) } == true) }.map(\.span)
        }
        switch self {
        case .text: return [SourceSpan(start: 0, end: document.source.bytes.count)]
        case .title: return document.titleSpan.map { [$0] } ?? []
        case .heading: return document.headings.filter { sections == nil || sections!.contains($0.section) }.map(\.span)
        case .paragraph: return prose([.paragraph])
        case .subheading: return prose([.subheading])
        case .prose: return prose([.paragraph, .subheading])
        case .tableCell: return document.tables.flatMap { $0.rows.flatMap { row in row.cells.map(\.span) + (row.labelSpan.map { [$0] } ?? []) } }
        case .signature: return prose([.signature])
        }
    }

    /// The same blocks, in the same order, handed to `body` one by one without collecting them.
    func forEachBlock(_ document: Document, sections: Set<SectionID>?, _ body: (SourceSpan) throws -> Void) rethrows {
        switch self {
        case .paragraph, .subheading, .prose, .signature:
            // Sections as a bit mask: hashing a SectionID per paragraph cost more than the filter saves.
            var mask = 0
            if let sections { for s in sections { mask |= 1 << s.rawValue } }
            for p in document.paragraphs {
                let wanted: Bool
                switch p.kind {
                case .paragraph: wanted = self == .paragraph || self == .prose
                case .subheading: wanted = self == .subheading || self == .prose
                case .signature: wanted = self == .signature
                default: wanted = false
                }
                guard wanted else { continue }
                if sections != nil { guard let s = p.section, mask & (1 << s.rawValue) != 0 else { continue } }
                try body(p.span)
            }
        default:
            for block in blocks(document, sections: sections) { try body(block) }
        }
    }

    static let ordinals: [String: SectionID] = Dictionary(uniqueKeysWithValues: SectionID.allCases.map { ($0.ordinal, $0) })

    static func read(_ reader: inout NodeReader) throws -> (Scope, Set<SectionID>?) {
        let scope = try reader.optional("scope").map { try reader.oneOf($0, Dictionary(uniqueKeysWithValues: Scope.allCases.map { ($0.rawValue, $0) })) } ?? .prose
        var sections: Set<SectionID>?
        if let node = reader.optional("sections") {
            sections = Set(try reader.strings(node).map { name in
                guard let s = ordinals[name] else { throw reader.error("sections 的值应为 一 至 六，而不是“\(name)”", at: node) }
                return s
            })
        }
        return (scope, sections)
    }
}
