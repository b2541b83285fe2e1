import RuleKit

/// A section heading whose ordinal (`二、`) is missing or wrong.
public struct HeadingNumberingRule: SwiftRule {
    public static let description = RuleDescription(
        id: "structure.heading-numbering", name: "Heading numbering", severity: .warning,
        summary: "部分标题存在，但缺少序号（如“二、”）或序号错误。",
        rationale: "统一格式的六个部分依次编号为一至六；缺号或错号的标题让读者和检查工具都难以定位内容。",
        triggering: [
            Example(ExampleReport(edits: [("二、主动公开政府信息情况", "↓主动公开政府信息情况")])),
            Example(ExampleReport(edits: [("五、存在的主要问题", "↓七、存在的主要问题")])),
        ],
        passing: [
            Example(ExampleReport()),
            Example(ExampleReport(edits: [("本年度，本局认真", "（一）主动公开政府信息情况\n本年度，本局认真")])),
        ])

    public init() {}

    /// `SectionID.ordinal` without building its table on every call.
    static let ordinals = SectionID.allCases.map(\.ordinal)

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for heading in document.headings {
            let expected = Self.ordinals[heading.section.rawValue - 1]
            guard let written = heading.writtenOrdinal else {
                findings.append(Finding(span: heading.span, message: "部分标题“\(heading.writtenTitle)”缺少序号“\(expected)、”"))
                continue
            }
            guard written != expected else { continue }
            findings.append(Finding(span: heading.span, message: "部分标题“\(heading.writtenTitle)”的序号应为“\(expected)、”，而不是“\(written)”"))
        }
        return findings
    }
}
