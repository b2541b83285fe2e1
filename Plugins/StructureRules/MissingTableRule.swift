import RuleKit

/// Table 二, 三 or 四 cannot be found, or its rows cannot be matched to the template.
public struct MissingTableRule: SwiftRule {
    public static let description = RuleDescription(
        id: "structure.missing-table", name: "Missing table", severity: .error,
        summary: "表二、表三或表四找不到，或其行无法与模板对应（例如单元格粘连）。",
        rationale: "三张统计表是年度报告的必备内容；无法还原的表格不能被核对，本工具不会猜测其数值。",
        triggering: [
            Example(ExampleReport(table3: [Templates.rowNew: ["21 0 0 0 0 0 21 5"]],
                                  edits: [("三、收到和处理政府信息公开申请情况", "↓三、收到和处理政府信息公开申请情况")])),
            Example(ExampleReport(edits: [("行政复议 行政诉讼\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", ""),
                                          ("四、政府信息公开行政复议", "↓四、政府信息公开行政复议")])),
        ],
        passing: [Example(ExampleReport())])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        document.tableProblems.map { problem in
            let heading = document.heading(problem.table.section)
            let span = heading?.span ?? problem.span ?? .empty(at: 0)
            var related: [RelatedSpan] = []
            if let at = problem.span, heading != nil, at != span { related.append(RelatedSpan(at, "无法还原之处")) }
            return Finding(span: span, message: "\(problem.table.displayName)无法识别：\(problem.reason)", related: related)
        }
    }
}
