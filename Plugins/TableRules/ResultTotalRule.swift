import RuleKit

/// Table 三: a column's （七）总计 ≠ the sum of all result items.
public struct ResultTotalRule: SwiftRule {
    public static let description = RuleDescription(
        id: "table.result-total", name: "Result total", severity: .error,
        summary: "表三某一列的“（七）总计”不等于各项办理结果之和（（一）（二）、（三）（四）（五）的子项，以及（六）或其子项）。",
        rationale: "（三）至（六）没有单独的小计行，子项就是它们的全部数据；（七）总计按定义是所有办理结果之和（DOMAIN.md T3-SUM7）。",
        triggering: [Example(ExampleReport(table3: [Templates.rowPublic: ExampleReport.row(1, 0, 0, 0, 0, 0),
                                                    Templates.rowDone: ["↓0", "0", "0", "0", "0", "0", "↓0"]]).text)],
        passing: [Example(ExampleReport(table3: [Templates.rowNew: ExampleReport.row(2, 0, 0, 0, 0, 0),
                                                 Templates.rowPublic: ExampleReport.row(1, 0, 0, 0, 0, 0),
                                                 "（四）1.本机关不掌握相关政府信息": ExampleReport.row(1, 0, 0, 0, 0, 0),
                                                 Templates.rowDone: ExampleReport.row(2, 0, 0, 0, 0, 0)]).text)])

    public init() {}

    static let notItems = [Templates.rowNew, Templates.rowCarried, Templates.rowDone, Templates.rowOut]

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        guard let table = document.table(.three), let format = table.format else { return [] }
        // Rows in one pass: every template row other than 一, 二, （七）总计 and 四 is a result item.
        var itemRows: [TableRow] = []
        var doneRow: TableRow?
        for row in table.rows where row.key != nil {
            if row.hasKey(Templates.rowDone) { doneRow = row } else if !row.hasKey(in: Self.notItems) { itemRows.append(row) }
        }
        let expected = Templates.t3Rows(format).filter(\.isResultItem).count
        guard itemRows.count == expected, let doneRow, doneRow.cells.count == 7, itemRows.allSatisfy({ $0.cells.count == 7 }) else { return [] }
        return Templates.applicantColumns.enumerated().compactMap { c, column in
            let cells = itemRows.map { $0.cells[c] }
            let done = doneRow.cells[c]
            let parts = Addends(cells: cells)
            guard let sum = parts.total, let stated = done.value.count, sum != stated else { return nil }
            let nonZero = cells.filter { ($0.value.count ?? 0) != 0 }
            return Finding(span: done.span,
                           message: "表三“\(column)”列：办理结果各项之和（\(sum)）不等于（七）总计（\(stated)）",
                           related: nonZero.prefix(10).map { $0.related("办理结果") })
        }
    }
}
