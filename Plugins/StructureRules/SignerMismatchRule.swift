import RuleKit

/// A signature that names another body than the title's issuer: a report copied from another body.
public struct SignerMismatchRule: SwiftRule {
    public static let description = RuleDescription(
        id: "structure.signer-mismatch", name: "Signer mismatch", severity: .warning,
        summary: "落款的机关名称与标题中的发布机关不是同一机关（如照搬了其他单位的报告）。简称（省去上级地名，“政府”代“人民政府”）和一个字的笔误不算。",
        rationale: "落款应是发布报告的机关本身；署着别的机关名称，通常是套用了其他单位的报告而没有改全，评估时按“内容雷同”扣分（国办公开办函〔2021〕30号、各地考评细则）。",
        triggering: [
            Example(ExampleReport(edits: [("某市统计局\n2024年1月20日", "↓某市财政局\n2024年1月20日")])),
            // 市 and 县 name different bodies: not a slip of the pen.
            Example(ExampleReport(edits: [("某市统计局\n2024年1月20日", "↓某县统计局\n2024年1月20日")])),
        ],
        passing: [
            Example(ExampleReport()),
            // A one-character slip (统 → 综) is a typo, not another body.
            Example(ExampleReport(edits: [("某市统计局\n2024年1月20日", "某市综计局\n2024年1月20日")])),
            // The name without the higher levels, or with 政府 for 人民政府.
            Example(ExampleReport(issuer: "湖南省长沙市统计局", edits: [("湖南省长沙市统计局\n2024年1月20日", "长沙市统计局\n2024年1月20日")])),
            Example(ExampleReport(issuer: "长沙县人民政府", edits: [("长沙县人民政府\n2024年1月20日", "长沙县政府办公室\n2024年1月20日")])),
        ])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        guard let issuer = document.issuer else { return [] }
        let signature = document.paragraphs.filter { $0.kind == .signature }
        guard let (name, span) = document.signatureName(signature), Self.isName(name) else { return [] }
        let a = Self.normalized(issuer), b = Self.normalized(name)
        guard !a.isEmpty, !b.isEmpty, !Self.sameBody(a, b) else { return [] }
        let related = document.titleSpan.map { [RelatedSpan($0, "标题中的发布机关：\(issuer)")] } ?? []
        return [Finding(span: span, message: "落款“\(name)”与标题中的发布机关“\(issuer)”不是同一机关", related: related)]
    }

    /// A signature line that reads as a name: no sentence punctuation, at most 40 characters.
    static func isName(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        return scalars.count <= 40 && !scalars.contains { "。，；：,;:！？!?".unicodeScalars.contains($0) }
    }

    /// The name as compared: white space, brackets and quotes removed, 人民政府 written 政府.
    static func normalized(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for s in text.unicodeScalars where !CharClass.isSpace(s) && !"《》“”\"（）()【】〔〕".unicodeScalars.contains(s) { out.append(s) }
        let long = Array("人民政府".unicodeScalars), short = Array("政府".unicodeScalars)
        var i = 0
        var result: [Unicode.Scalar] = []
        while i < out.count {
            if i + long.count <= out.count, Array(out[i..<(i + long.count)]) == long { result += short; i += long.count } else { result.append(out[i]); i += 1 }
        }
        return result
    }

    /// Characters that tell bodies apart by level or kind: a difference in one of them is another body, not a typo.
    static let distinguishing: Set<Unicode.Scalar> = Set("省市县区州盟旗镇乡街道村局委办厅院署部会府室处所站队中心".unicodeScalars)

    /// The same body: one name holds the other (a shortened name, an added department), or they
    /// differ by one character that is not a level or kind word (a slip of the pen).
    static func sameBody(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        if contains(a, b) || contains(b, a) { return true }
        // One substitution, insertion or deletion, after the common prefix and suffix.
        var p = 0
        while p < a.count, p < b.count, a[p] == b[p] { p += 1 }
        var s = 0
        while s < a.count - p, s < b.count - p, a[a.count - 1 - s] == b[b.count - 1 - s] { s += 1 }
        let restA = a[p..<(a.count - s)], restB = b[p..<(b.count - s)]
        guard restA.count <= 1, restB.count <= 1 else { return false }
        return !(restA + restB).contains { distinguishing.contains($0) }
    }

    static func contains(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        return false
    }
}
