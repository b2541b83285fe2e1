import RuleKit

/// Table 三: 一 + 二 ≠ （七）总计 + 四 in a column (the official note of the table).
public struct BalanceRule: SwiftRule {
    public static let description = RuleDescription(
        id: "table.balance", name: "Balance", severity: .error,
        summary: "表三某一列中，第一项加第二项之和不等于第三项（七）总计加第四项之和。每个不平衡的列报告一次。",
        rationale: "表三左上角的官方注释规定“第一项加第二项之和，等于第三项加第四项之和”：新收加上年结转，等于办结加结转下年度。",
        triggering: [Example(ExampleReport(table3: [Templates.rowNew: ["↓5", "0", "0", "0", "0", "0", "↓5"]]))],
        passing: [
            Example(ExampleReport(table3: [Templates.rowNew: ExampleReport.row(5, 0, 0, 0, 0, 0),
                                           Templates.rowPublic: ExampleReport.row(3, 0, 0, 0, 0, 0),
                                           Templates.rowDone: ExampleReport.row(3, 0, 0, 0, 0, 0),
                                           Templates.rowOut: ExampleReport.row(2, 0, 0, 0, 0, 0)])),
        ])

    public init() {}

    static let keys = [Templates.rowNew, Templates.rowCarried, Templates.rowDone, Templates.rowOut]

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        guard let table = document.table(.three) else { return [] }
        // The four rows once; then each column, summed in place.
        let rows = table.rows
        var indices: [Int] = []
        for key in Self.keys {
            guard let i = table.rowIndex(key) else { return [] }
            indices.append(i)
        }
        // Table 三's template rows hold the seven applicant columns in order.
        guard indices.allSatisfy({ rows[$0].cells.count == Templates.applicantColumns.count }) else { return [] }
        var findings: [Finding] = []
        for (c, column) in Templates.applicantColumns.enumerated() {
            guard let a = rows[indices[0]].cells[c].value.count, let b = rows[indices[1]].cells[c].value.count,
                  let d = rows[indices[2]].cells[c].value.count, let e = rows[indices[3]].cells[c].value.count, a + b != d + e else { continue }
            let cells = indices.map { rows[$0].cells[c] }
            let left = Addends(cells: [cells[0], cells[1]]), right = Addends(cells: [cells[2], cells[3]])
            findings.append(Finding(span: cells[0].span,
                                    message: "表三“\(column)”列：第一项加第二项之和（\(left.expression)）不等于第三项加第四项之和（\(right.expression)）",
                                    related: [cells[1].related("第二项"), cells[2].related("（七）总计"), cells[3].related("第四项")]))
        }
        return findings
    }
}
