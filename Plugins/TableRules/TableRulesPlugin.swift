import RuleKit

/// Rules about the numbers in tables 二, 三 and 四: the official identities and the cell contents.
public enum TableRulesPlugin: RulePlugin {
    public static let name = "TableRules"
    public static let rules: [any SwiftRule.Type] = [
        BalanceRule.self, RowTotalRule.self, ResultTotalRule.self, ReviewTotalRule.self, NonNumericRule.self,
        ZeroRepresentationRule.self,
    ]
}

/// The count cells of a sum, for messages such as `859+18=877`.
struct Addends {
    var cells: [Cell]

    /// Nil when a cell is missing or not a count: such an identity is not evaluated.
    var total: Int? {
        var sum = 0
        for cell in cells {
            guard let value = cell.value.count else { return nil }
            sum += value
        }
        return sum
    }

    var expression: String {
        let terms = cells.map { String($0.value.count ?? 0) }
        return terms.count == 1 ? terms[0] : terms.joined(separator: "+") + "=" + String(total ?? 0)
    }
}

extension Table {
    /// Cells of one column over several rows; nil when a row is missing.
    func column(_ column: String, rows keys: [String]) -> [Cell]? {
        var cells: [Cell] = []
        for key in keys {
            guard let cell = cell(row: key, column: column) else { return nil }
            cells.append(cell)
        }
        return cells
    }

    /// The short label of a table 三 row for messages.
    static func shortLabel(_ key: String) -> String {
        if key == Templates.rowNew { return "第一项" }
        if key == Templates.rowCarried { return "第二项" }
        if key == Templates.rowOut { return "第四项" }
        return key
    }
}

extension Cell {
    func related(_ what: String) -> RelatedSpan { RelatedSpan(span, "\(what)：\(raw.isEmpty ? "（空）" : raw)") }
}

extension Document {
    /// Findings over the count cells of tables 二, 三 and 四 (template rows only) that are not plain
    /// counts: a non-negative whole number is never a finding of these rules, and is skipped
    /// without copying its cell. In table 二 only the template's count columns are count cells
    /// (RULES.md): not the signed 2019 `本年增/减`, not the money columns, and not the cells past a
    /// block's columns (a merged cell repeated or left empty by a converter).
    func findingsOverCountCells(_ body: (TableID, TableRow, Cell) -> Finding?) -> [Finding] {
        var out: [Finding] = []
        for table in tables {
            let rows = table.rows
            for r in rows.indices where rows[r].key != nil {
                for c in rows[r].cells.indices {
                    if case .number(let v) = rows[r].cells[c].value, v >= 0, Self.isWhole(v) { continue }
                    if table.id == .two, !Templates.isTable2CountColumn(rows[r].cells[c].column) { continue }
                    if let f = body(table.id, rows[r], rows[r].cells[c]) { out.append(f) }
                }
            }
        }
        return out
    }

    /// `v == v.rounded()` for `v >= 0` without the libm call (every double from 2^52 up is whole).
    @inline(__always)
    static func isWhole(_ v: Double) -> Bool { v < 4_503_599_627_370_496 ? Double(Int(v)) == v : true }
}
