import RuleKit

/// Table 三: a row's 总计 ≠ the sum of its six applicant columns.
public struct RowTotalRule: SwiftRule {
    public static let description = RuleDescription(
        id: "table.row-total", name: "Row total", severity: .error,
        summary: "表三某一数据行的“总计”不等于六类申请人（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）之和。",
        rationale: "“总计”列按定义是同一行六个申请人列之和（DOMAIN.md T3-ROW）。",
        triggering: [Example(ExampleReport(table3: [Templates.rowPublic: ["1", "0", "0", "0", "0", "0", "↓2"]]))],
        passing: [Example(ExampleReport(table3: [Templates.rowNew: ExampleReport.row(3, 1, 0, 0, 1, 0),
                                                 Templates.rowPublic: ExampleReport.row(3, 1, 0, 0, 1, 0),
                                                 Templates.rowDone: ExampleReport.row(3, 1, 0, 0, 1, 0)]))])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        guard let table = document.table(.three) else { return [] }
        // By index, summing in place: copying each cell (and row) cost more than the arithmetic.
        let rows = table.rows
        var findings: [Finding] = []
        for r in rows.indices where rows[r].key != nil && rows[r].cells.count == 7 {
            var sum = 0
            var countable = true
            for c in 0..<6 {
                guard let v = rows[r].cells[c].value.count else { countable = false; break }
                sum += v
            }
            guard countable, let stated = rows[r].cells[6].value.count, sum != stated else { continue }
            let row = rows[r]
            let parts = Addends(cells: Array(row.cells.prefix(6)))
            findings.append(Finding(span: row.cells[6].span,
                                    message: "表三“\(Table.shortLabel(row.key!))”行：六类申请人之和（\(parts.expression)）不等于总计（\(stated)）",
                                    related: row.cells.prefix(6).map { $0.related($0.column) }))
        }
        return findings
    }
}
