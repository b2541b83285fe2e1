import RuleKit

/// Table 三: a column's （七）总计 ≠ the sum of all result items.
public struct ResultTotalRule: SwiftRule {
    public static let description = RuleDescription(
        id: "table.result-total", name: "Result total", severity: .error,
        summary: "表三某一列的“（七）总计”不等于各项办理结果之和（（一）（二）、（三）（四）（五）的子项，以及（六）或其子项）。",
        rationale: "（三）至（六）没有单独的小计行，子项就是它们的全部数据；（七）总计按定义是所有办理结果之和（DOMAIN.md T3-SUM7）。",
        triggering: [Example(ExampleReport(table3: [Templates.rowPublic: ExampleReport.row(1, 0, 0, 0, 0, 0),
                                                    Templates.rowDone: ["↓0", "0", "0", "0", "0", "0", "↓0"]]))],
        passing: [Example(ExampleReport(table3: [Templates.rowNew: ExampleReport.row(2, 0, 0, 0, 0, 0),
                                                 Templates.rowPublic: ExampleReport.row(1, 0, 0, 0, 0, 0),
                                                 "（四）1.本机关不掌握相关政府信息": ExampleReport.row(1, 0, 0, 0, 0, 0),
                                                 Templates.rowDone: ExampleReport.row(2, 0, 0, 0, 0, 0)]))])

    public init() {}

    static let notItems = [Templates.rowNew, Templates.rowCarried, Templates.rowDone, Templates.rowOut]
    static let itemCounts = (v2019: Templates.t3Rows2019.filter(\.isResultItem).count, v2021: Templates.t3Rows2021.filter(\.isResultItem).count)

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        guard let table = document.table(.three), let format = table.format, let done = table.rowIndex(Templates.rowDone) else { return [] }
        // Every keyed row other than 一, 二, （七）总计 and 四 is a result item (keys are unique).
        let excluded = Self.notItems.compactMap(table.rowIndex)
        let rows = table.rows
        let items = rows.indices.filter { rows[$0].key != nil && !excluded.contains($0) }
        let expected = format == .v2019 ? Self.itemCounts.v2019 : Self.itemCounts.v2021
        guard items.count == expected, rows[done].cells.count == 7, items.allSatisfy({ rows[$0].cells.count == 7 }) else { return [] }
        var findings: [Finding] = []
        for (c, column) in Templates.applicantColumns.enumerated() {
            // Sum in place; the cells are gathered only for a finding.
            var sum = 0
            var countable = true
            for i in items {
                guard let v = rows[i].cells[c].value.count else { countable = false; break }
                sum += v
            }
            guard countable, let stated = rows[done].cells[c].value.count, sum != stated else { continue }
            let nonZero = items.map { rows[$0].cells[c] }.filter { ($0.value.count ?? 0) != 0 }
            findings.append(Finding(span: rows[done].cells[c].span,
                                    message: "表三“\(column)”列：办理结果各项之和（\(sum)）不等于（七）总计（\(stated)）",
                                    related: nonZero.prefix(10).map { $0.related("办理结果") }))
        }
        return findings
    }
}
