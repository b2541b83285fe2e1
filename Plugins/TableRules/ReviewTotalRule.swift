import RuleKit

/// Table 四: a group's 总计 ≠ 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
public struct ReviewTotalRule: SwiftRule {
    public static let description = RuleDescription(
        id: "table.review-total", name: "Review total", severity: .error,
        summary: "表四某一组（行政复议、未经复议直接起诉、复议后起诉）的“总计”不等于结果维持、结果纠正、其他结果、尚未审结之和。",
        rationale: "表四每组的“总计”按定义是该组四种结果之和（DOMAIN.md T4-SUM）。",
        triggering: [Example(ExampleReport(table4: ["10", "1", "0", "0", "↓0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "↓0"]))],
        passing: [Example(ExampleReport(table4: ["10", "1", "0", "0", "11", "0", "0", "0", "0", "0", "5", "0", "0", "0", "5"]))])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        guard let table = document.table(.four) else { return [] }
        return table.rows.compactMap { row in
            guard row.cells.count == 5 else { return nil }
            let parts = Addends(cells: Array(row.cells.prefix(4)))
            let total = row.cells[4]
            guard let sum = parts.total, let stated = total.value.count, sum != stated else { return nil }
            return Finding(span: total.span,
                           message: "表四“\(row.label)”：结果维持、结果纠正、其他结果、尚未审结之和（\(parts.expression)）不等于总计（\(stated)）",
                           related: row.cells.prefix(4).map { $0.related($0.column) })
        }
    }
}
