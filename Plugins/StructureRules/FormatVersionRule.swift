import RuleKit

/// A table in the other format version than the report year requires, or tables 二 and 三 in different versions.
public struct FormatVersionRule: SwiftRule {
    public static let description = RuleDescription(
        id: "structure.format-version", name: "Format version", severity: .error,
        summary: "表格使用了与报告年度不符的格式版本，或表二与表三的版本不一致。",
        rationale: "2019、2020年度报告使用国办公开办函〔2019〕60号的试行格式；2021年度起使用国办公开办函〔2021〕30号的格式（表二删去第（九）项，表三“（六）其他处理”分为三个子项）。",
        triggering: [
            Example(ExampleReport(year: 2023, format: .v2019,
                                  edits: [("第二十条第（一）项", "↓第二十条第（一）项"), (Templates.t3Note, "↓" + Templates.t3Note)])),
            Example(ExampleReport(year: 2023, edits: [
                ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0\n", ""),
                ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0\n", ""),
                ("3.其他 0 0 0 0 0 0 0", "（六）其他处理 0 0 0 0 0 0 0"), (Templates.t3Note, "↓" + Templates.t3Note),
            ])),
        ],
        passing: [Example(ExampleReport(year: 2020)), Example(ExampleReport(year: 2024))])

    public init() {}

    static func name(_ format: FormatVersion) -> String {
        format == .v2019 ? "2019版（试行，国办公开办函〔2019〕60号）" : "2021版（国办公开办函〔2021〕30号）"
    }

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        // Tables 二 and 三 when found with a known format (no arrays built: this runs on every file).
        let two = document.table(.two).flatMap { $0.format == nil ? nil : $0 }
        let three = document.table(.three).flatMap { $0.format == nil ? nil : $0 }
        if let year = document.reportYear {
            let required = FormatVersion.required(forReportYear: year)
            func mismatch(_ table: Table?) -> Finding? {
                guard let table, table.format != required else { return nil }
                return Finding(span: table.firstCellSpan,
                               message: "\(table.id.displayName)使用\(Self.name(table.format!))格式，而\(year)年度报告应使用\(Self.name(required))格式")
            }
            switch (mismatch(two), mismatch(three)) {
            case (nil, nil): return []
            case let (a?, nil): return [a]
            case let (nil, b?): return [b]
            case let (a?, b?): return [a, b]
            }
        }
        guard let two, let three, two.format != three.format else { return [] }
        return [Finding(span: three.firstCellSpan,
                        message: "表二使用\(Self.name(two.format!))格式，表三却使用\(Self.name(three.format!))格式，两者不一致",
                        related: [RelatedSpan(two.firstCellSpan, "表二的首个单元格")])]
    }
}
