import RuleKit

/// A report that does not end with a signature: the issuer's name and a date, in either order.
public struct MissingSignatureRule: SwiftRule {
    public static let description = RuleDescription(
        id: "structure.signature", name: "Missing signature", severity: .note,
        summary: "报告末尾没有落款：最后几行中没有发布机关名称和成文日期（两者先后不限）。",
        rationale: "年度报告是以机关名义发布的公文，末尾署发布机关名称和成文日期（GB/T 9704—2012《党政机关公文格式》）；没有落款，读者无从确认报告由谁、于何时发布，发布日期也只能从网页上推断。",
        triggering: [
            Example(ExampleReport(edits: [("本年度未收取信息处理费。\n某市统计局\n2024年1月20日\n", "↓本年度未收取信息处理费。\n")])),
            // A date alone: the issuer is missing.
            Example(ExampleReport(edits: [("本年度未收取信息处理费。\n某市统计局\n2024年1月20日", "本年度未收取信息处理费。今后我局将继续加强政府信息公开工作，提升公开质量。\n↓2024年1月20日")])),
            // The issuer alone: the date is missing.
            Example(ExampleReport(edits: [("某市统计局\n2024年1月20日", "↓某市统计局")])),
        ],
        passing: [
            Example(ExampleReport()),
            // The date first, then the issuer.
            Example(ExampleReport(edits: [("某市统计局\n2024年1月20日", "2024年1月20日\n某市统计局")])),
            // Both on one line.
            Example(ExampleReport(edits: [("某市统计局\n2024年1月20日", "某市统计局 2024年1月20日")])),
        ])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        let signature = document.paragraphs.filter { $0.kind == .signature }
        if signature.isEmpty {
            return [Finding(span: document.lastLineSpan, message: "报告末尾没有落款（发布机关名称和成文日期）")]
        }
        // The scanner's signature always holds its date; the issuer is what else it says.
        guard document.signatureName(signature) == nil else { return [] }
        return [Finding(span: signature[0].span, message: "落款只有日期，没有发布机关名称")]
    }
}

extension Document {
    /// The name in the signature blocks: their text less the dates in them and white space, or nil
    /// when nothing but a date (and punctuation) is left.
    func signatureName(_ signature: [Paragraph]) -> (text: String, span: SourceSpan)? {
        for block in signature {
            var name = String.UnicodeScalarView()
            var letters = 0
            let inBlock = dates.filter { $0.span.start >= block.span.start && $0.span.end <= block.span.end }
            var at = block.span.start
            var pieces: [SourceSpan] = []
            for date in inBlock.sorted(by: { $0.span.start < $1.span.start }) {
                if date.span.start > at { pieces.append(SourceSpan(start: at, end: date.span.start)) }
                at = date.span.end
            }
            if at < block.span.end { pieces.append(SourceSpan(start: at, end: block.span.end)) }
            for piece in pieces {
                for s in Scalars(source.bytes, piece).scalars where !CharClass.isSpace(s) {
                    name.append(s)
                    if s.properties.isAlphabetic { letters += 1 }
                }
            }
            if letters >= 2 { return (String(name), pieces.first ?? block.span) }
        }
        return nil
    }
}
