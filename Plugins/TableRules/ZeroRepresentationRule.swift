import RuleKit

/// A count cell left blank or holding a placeholder (`-` `—` `/` `无`) instead of `0`.
public struct ZeroRepresentationRule: SwiftRule {
    public static let description = RuleDescription(
        id: "zero.representation", name: "Zero representation", severity: .warning,
        summary: "表二、表三或表四的计数单元格为空，或用“-”“—”“/”“／”“无”等代替“0”。每个单元格报告一次。表二的 2019 版“本年增/减”和金额列不是计数单元格。",
        rationale: "空白与占位符无法区分“为零”与“漏填”；计算勾稽关系时按 0 处理，但应明确填写 0。",
        triggering: [
            Example(ExampleReport(table3: ["（三）1.属于国家秘密": ["↓-", "0", "0", "0", "0", "↓无", "0"]])),
            Example(ExampleReport(edits: [("规章 0 0 0", "规章 ↓— 0 ↓/")])),
            Example(ExampleReport(year: 2020, edits: [("行政处罚 0 0 0", "行政处罚 0 0 ↓-")])),
        ],
        passing: [
            Example(ExampleReport()),
            // The same stand-ins in the 2019 本年增/减 and in a money column: not count cells.
            Example(ExampleReport(year: 2020, edits: [("行政处罚 0 0 0", "行政处罚 0 - 0")])),
            Example(ExampleReport(edits: [("行政事业性收费 0", "行政事业性收费 -")])),
        ])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        document.findingsOverCountCells { table, row, cell -> Finding? in
            let what: String
            switch cell.value {
            case .blank: what = "为空"
            case .placeholder(let p): what = "用“\(p)”表示零"
            default: return nil
            }
            return Finding(span: cell.span, message: "\(table.displayName)“\(Table.shortLabel(row.label))”行“\(cell.column)”列\(what)，应填写 0")
        }
    }
}
