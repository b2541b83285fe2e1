import RuleKit

/// A count cell of tables 三 or 四 that holds text, or a negative or fractional number.
public struct NonNumericRule: SwiftRule {
    public static let description = RuleDescription(
        id: "table.non-numeric", name: "Non-numeric count", severity: .error,
        summary: "表三或表四的计数单元格填写了既非数字也非零值占位符的文字（如“若干”），或填写了负数、小数。",
        rationale: "表三、表四的单元格是件数，只能是非负整数；文字使勾稽关系无法核对。",
        triggering: [
            Example(ExampleReport(table3: ["（三）1.属于国家秘密": ["↓若干", "0", "0", "0", "0", "0", "0"]]).text),
            Example(ExampleReport(table4: ["0", "0", "0", "0", "0", "↓-1", "0", "0", "0", "0", "0", "0", "0", "0", "0"]).text),
        ],
        passing: [Example(ExampleReport().text)])

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
