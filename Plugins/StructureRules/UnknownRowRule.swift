import RuleKit


/// A table row whose label matches no template row.
public struct UnknownRowRule: SwiftRule {
    public static let description = RuleDescription(
        id: "table.unknown-row", name: "Unknown row", severity: .warning,
        summary: "表格中某行的标签（容错匹配后）与模板中的任何行都不对应；规则包可以声明允许的额外行。",
        rationale: "统一格式不允许增删行列；个别省份（如湖北2020年度）要求增加的行由规则包声明后不再报告。",
        triggering: [Example(ExampleReport(edits: [("规章 0 0 0\n", "规章 0 0 0\n↓其他主动公开文件 0 0 0\n")]))],
        passing: [
            Example(ExampleReport()),
            Example(ExampleReport(edits: [("2.其他法律行政法规禁止公开", "2．其他法律行政法規禁止公开")])),
        ])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for table in document.tables where table.rows.contains(where: { $0.key == nil }) {
            let allowed = Set((context.extraRows[table.id] ?? []).map(Label.normalize))
            for row in table.rows where row.key == nil && !allowed.contains(Label.normalize(row.label)) {
                findings.append(Finding(span: row.labelSpan ?? row.cells.first?.span ?? table.firstCellSpan,
                                        message: "\(table.id.displayName)中的行“\(row.label)”与模板中的任何行都不对应"))
            }
        }
        return findings
    }
}
