import RuleKit
import Yams
import YAMLFiles

/// `kind: identity` — a numeric identity over named cells: for each column (or row) of a table,
/// the sum of the `left` rows (columns) equals the sum of the `right` ones, within `tolerance`.
///
/// ```yaml
/// kind: identity
/// table: 三
/// for_each: column                    # column, row or none
/// left: [一, 二]
/// right: [（七）总计, 四]
/// tolerance: 0                        # e.g. 0.01 for amounts in 万元
/// ```
/// With `for_each: none`, `left` and `right` name cells as `行/列`.
struct IdentityKind: RuleCheck {
    enum Axis: String, Sendable { case column, row, none }
    var table: TableID
    var axis: Axis
    /// Row keys (axis column), column names (axis row) or `(row, column)` pairs (axis none).
    var left: [(String, String)]
    var right: [(String, String)]
    var over: [String]
    var tolerance: Double

    static let placeholders: Set<String> = ["table", "where", "left", "right", "leftSum", "rightSum"]
    var usesPatterns: Bool { false }

    static func read(_ r: inout NodeReader) throws -> IdentityKind {
        let table = try TableNames.table(r, try r.required("table"))
        let axis = try r.optional("for_each").map { try r.oneOf($0, ["column": Axis.column, "row": .row, "none": .none]) } ?? .none
        func names(_ key: String) throws -> [(String, String)] {
            let node = try r.required(key)
            let items = try r.list(node)
            guard !items.isEmpty else { throw r.error("\(key) 不能为空", at: node) }
            return try items.map { item in
                switch axis {
                case .column: return (try TableNames.row(r, item, in: table), "")
                case .row: return ("", try TableNames.column(r, item, in: table))
                case .none:
                    let parts = try r.string(item).split(separator: "/", maxSplits: table == .two ? 2 : 1).map(String.init)
                    guard parts.count >= 2 else { throw r.error("for_each: none 时单元格写作“行/列”", at: item) }
                    let row = parts.dropLast().joined(separator: "/")
                    guard let key = TableNames.rows(table)[row] else { throw r.error("表\(table.rawValue)中没有名为“\(row)”的行", at: item) }
                    guard TableNames.columns(table).contains(parts.last!) else { throw r.error("表\(table.rawValue)中没有名为“\(parts.last!)”的列", at: item) }
                    return (key, parts.last!)
                }
            }
        }
        let left = try names("left"), right = try names("right")
        var over: [String] = []
        if let node = r.optional("over") {
            over = try r.list(node).map { axis == .column ? try TableNames.column(r, $0, in: table) : try TableNames.row(r, $0, in: table) }
        } else if axis == .column {
            over = table == .three ? Templates.applicantColumns : Templates.reviewColumns
        }
        let toleranceNode = r.optional("tolerance")
        let tolerance = try toleranceNode.map { try r.double($0) } ?? 0
        // `nan` would make every comparison pass, a negative one every comparison fail.
        guard tolerance.isFinite, tolerance >= 0 else { throw r.error("tolerance 应为不小于 0 的有限数", at: toleranceNode) }
        return IdentityKind(table: table, axis: axis, left: left, right: right, over: over, tolerance: tolerance)
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        guard let table = document.table(table) else { return [] }
        var findings: [Finding] = []
        let targets: [String] = axis == .none ? [""] : axis == .row && over.isEmpty ? table.rows.compactMap(\.key) : over
        for target in targets {
            func cells(_ names: [(String, String)]) -> [Cell]? {
                var out: [Cell] = []
                for (row, column) in names {
                    let cell: Cell?
                    switch axis {
                    case .column: cell = table.cell(row: row, column: target)
                    case .row: cell = table.cell(row: target, column: column)
                    case .none: cell = table.cell(row: row, column: column)
                    }
                    guard let cell else { return nil }
                    out.append(cell)
                }
                return out
            }
            guard let l = cells(left), let r = cells(right) else { continue }
            func sum(_ cells: [Cell]) -> Double? {
                var total = 0.0
                for c in cells {
                    switch c.value {
                    case .number(let v): total += v
                    case .blank, .placeholder: continue
                    case .text: return nil
                    }
                }
                return total
            }
            guard let ls = sum(l), let rs = sum(r), abs(ls - rs) > tolerance + 1e-9 else { continue }
            func show(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
            func expr(_ cells: [Cell]) -> String { cells.map { $0.raw.isEmpty ? "0" : $0.raw }.joined(separator: "+") }
            findings.append(Finding(span: l[0].span, message: run.message.render([
                "table": "表" + table.id.rawValue, "where": target, "left": expr(l), "right": expr(r), "leftSum": show(ls), "rightSum": show(rs),
            ]), related: (l.dropFirst() + r).map { RelatedSpan($0.span, "\($0.column)：\($0.raw)") }))
        }
        return findings
    }
}
