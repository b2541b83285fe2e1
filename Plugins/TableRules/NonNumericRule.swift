import RuleKit

/// A count cell of tables 二, 三 or 四 that holds text, or a negative or fractional number.
public struct NonNumericRule: SwiftRule {
    public static let description = RuleDescription(
        id: "table.non-numeric", name: "Non-numeric count", severity: .error,
        summary: "表二、表三或表四的计数单元格填写了既非数字也非零值占位符的文字（如“若干”），或填写了负数、小数。表二的 2019 版“本年增/减”（可为负数）和金额列（收费金额、采购总金额）不是计数单元格。",
        rationale: "表二的件数、表三和表四的单元格都是件数，只能是非负整数；文字使勾稽关系和正文引用的数字无法核对。",
        triggering: [
            Example(ExampleReport(table3: ["（三）1.属于国家秘密": ["↓若干", "0", "0", "0", "0", "0", "0"]])),
            Example(ExampleReport(table4: ["0", "0", "0", "0", "0", "↓-1", "0", "0", "0", "0", "0", "0", "0", "0", "0"])),
            Example(ExampleReport(edits: [("行政许可 0", "行政许可 ↓若干")])),
            Example(ExampleReport(edits: [("行政规范性文件 0 0 0", "行政规范性文件 3 ↓-1 2")])),
            Example(ExampleReport(year: 2020, edits: [("行政许可 0 0 0", "行政许可 12 -2 ↓3.5")])),
        ],
        passing: [
            Example(ExampleReport()),
            // The money column may be fractional, and the 2019 本年增/减 negative: they are not counts.
            Example(ExampleReport(edits: [("行政事业性收费 0", "行政事业性收费 12.5")])),
            Example(ExampleReport(year: 2020, edits: [("行政许可 0 0 0", "行政许可 12 -2 10")])),
            Example(ExampleReport(year: 2020, edits: [("政府集中采购 0 0", "政府集中采购 2 35.6")])),
        ])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        document.findingsOverCountCells { table, row, cell -> Finding? in
            let problem: String
            switch cell.value {
            case .text(let text): problem = "“\(text)”不是数字"
            case .number(let v) where v < 0: problem = "“\(cell.raw)”是负数，件数不能为负"
            case .number(let v) where v != v.rounded(): problem = "“\(cell.raw)”是小数，件数应为整数"
            default: return nil
            }
            return Finding(span: cell.span, message: "\(table.displayName)“\(Table.shortLabel(row.label))”行“\(cell.column)”列：\(problem)")
        }
    }
}
