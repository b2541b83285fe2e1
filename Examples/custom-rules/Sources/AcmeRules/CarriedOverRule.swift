import RuleKit

/// Table 三: more applications carried over from last year than received this year, which in a
/// small office usually means last year's outstanding count was entered in the wrong row.
public struct CarriedOverRule: SwiftRule {
    public static let description = RuleDescription(
        id: "acme.carried-over-exceeds-new", name: "Carried over exceeds new", severity: .warning,
        summary: "表三“上年结转政府信息公开申请数量”的总计大于“本年新收政府信息公开申请数量”的总计。",
        rationale: "本单位的审核要求：上年结转多于本年新收时，多为把上年的“结转下年度继续办理”填错了行，发布前请核对。",
        triggering: [Example(ExampleReport(table3: [
            Templates.rowNew: ExampleReport.row(1, 0, 0, 0, 0, 0),
            Templates.rowCarried: ["3", "0", "0", "0", "0", "0", "↓3"],
        ]))],
        passing: [
            Example(ExampleReport(table3: [
                Templates.rowNew: ExampleReport.row(5, 0, 0, 0, 0, 0),
                Templates.rowCarried: ExampleReport.row(3, 0, 0, 0, 0, 0),
            ])),
            // Nothing received and nothing carried over: not this rule's business.
            Example(ExampleReport()),
        ])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        guard let table = document.table(.three),
              let new = table.row(Templates.rowNew), let carried = table.row(Templates.rowCarried),
              let received = new.cells.last?.value.count, let total = carried.cells.last, let count = total.value.count,
              count > received else { return [] }
        return [Finding(span: total.span,
                        message: "表三上年结转申请（\(count) 件）多于本年新收申请（\(received) 件），请核对是否填错了行",
                        related: [RelatedSpan(new.cells.last!.span, "本年新收总计")])]
    }
}

/// The rules of this package, registered with `CommandLineTool.main(plugins:)`.
public enum AcmeRulesPlugin: RulePlugin {
    public static let name = "AcmeRules"
    public static let rules: [any SwiftRule.Type] = [CarriedOverRule.self]
}
