import RuleKit
import YAMLFiles

/// `kind: extra-rows` — rows a table may have beyond the template (a province's additions);
/// `table.unknown-row` does not report them where the rule applies. It reports nothing itself.
///
/// ```yaml
/// kind: extra-rows
/// table: 二
/// rows: [其他主动公开文件]
/// ```
struct ExtraRowsKind: RuleCheck {
    var table: TableID
    var rows: Set<String>

    static let placeholders: Set<String> = []
    var usesPatterns: Bool { false }

    static func read(_ r: inout NodeReader) throws -> ExtraRowsKind {
        let table = try TableNames.table(r, try r.required("table"))
        let node = try r.required("rows")
        let rows = try r.strings(node)
        guard !rows.isEmpty else { throw r.error("rows 不能为空", at: node) }
        return ExtraRowsKind(table: table, rows: Set(rows))
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] { [] }
}
