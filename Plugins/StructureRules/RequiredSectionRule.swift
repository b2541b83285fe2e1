import RuleKit

/// One of the six section headings is absent.
public struct RequiredSectionRule: Rule {
    public static let description = RuleDescription(
        id: "structure.required-section", name: "Required section", severity: .error,
        summary: "六个部分的标题之一缺失（已知的措辞变体视为存在）。",
        rationale: "《条例》第五十条规定了年度报告的内容，国办公开办函〔2021〕30号和〔2019〕60号的格式把它们固定为六个部分；缺少一部分即报告内容不全。",
        triggering: [
            Example(ExampleReport(edits: [("一、总体情况\n", ""), ("二、主动公开政府信息情况", "↓二、主动公开政府信息情况")]).text),
            Example(ExampleReport(edits: [("六、其他需要报告的事项\n", ""), ("2024年1月20日", "↓2024年1月20日")]).text),
        ],
        passing: [
            Example(ExampleReport().text),
            Example(ExampleReport(edits: [("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况")]).text),
        ])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        let present = Set(document.headings.map(\.section))
        return SectionID.allCases.filter { !present.contains($0) }.map { missing in
            // Where it should stand: the first later section's heading, else the end of the text.
            let next = document.headings.first { $0.section > missing }
            return Finding(span: next?.span ?? document.lastLineSpan,
                           message: "缺少第\(missing.ordinal)部分“\(missing.officialHeading)”")
        }
    }
}
