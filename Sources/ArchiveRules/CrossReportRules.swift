import Foundation
import RuleKit

/// The rules across reports (RULES.md "Across reports"), as the catalogue, the configuration,
/// `explain` and SARIF see them; `ArchiveChecker` runs them over a run's digests.
public struct CrossReportRuleEntry: CrossReportRule, ConfigurableRule {
    public let description: RuleDescription
    /// `threshold` (a share of sentences) for the two text-reuse rules; nil for the others.
    public let threshold: Double?

    init(_ id: String, _ name: String, _ severity: Severity, _ summary: String, _ rationale: String, threshold: Double? = nil) {
        description = RuleDescription(id: id, name: name, severity: severity, summary: summary, rationale: rationale,
                                      triggering: [], passing: [], source: "Sources/ArchiveRules")
        self.threshold = threshold
    }

    private init(description: RuleDescription, threshold: Double?) {
        self.description = description
        self.threshold = threshold
    }

    public func check(_ document: Document, context: RuleContext) -> [Finding] { [] }

    public struct OptionError: Error, CustomStringConvertible {
        public var description: String
    }

    public func configured(with options: [RuleOption]) throws -> any Rule {
        var threshold = self.threshold
        for option in options {
            guard option.key == "threshold", self.threshold != nil else {
                throw OptionError(description: "规则 \(description.id) 没有选项“\(option.key)”" + (self.threshold != nil ? "（只有 threshold）" : ""))
            }
            let text = option.yaml.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let value = Double(text), value > 0, value <= 1 else {
                throw OptionError(description: "threshold 应为 0 到 1 之间的比例（如 0.5），而不是“\(text)”")
            }
            threshold = value
        }
        return CrossReportRuleEntry(description: description, threshold: threshold)
    }

    public static let carryOver = CrossReportRuleEntry(
        "crossyear.carry-over", "Carry-over mismatch", .error,
        "表三“上年结转政府信息公开申请数量”某一列不等于同一机关上一年度报告的“结转下年度继续办理”。",
        "本年的上年结转就是上一年的结转下年度继续办理，逐列相同（DOMAIN.md §4.1；KIROGOVCOMPARE 只核对总计列）。")
    public static let stock = CrossReportRuleEntry(
        "crossyear.stock", "Stock mismatch", .warning,
        "表二规章或行政规范性文件的“现行有效件数”不等于上一年度的现行有效件数加本年制发件数减本年废止件数（两年均为 2021 年格式）。",
        "现行有效件数是存量：上年存量加本年制发、减本年废止（DOMAIN.md 表二）。")
    public static let textReuse = CrossReportRuleEntry(
        "crossyear.text-reuse", "Text reused from last year", .warning,
        "本年度报告正文中至少一半（选项 threshold）的句子也出现在同一机关上一年度的报告中。",
        "评议把与上一年度报告大面积雷同作为扣分项（宿迁：重复率超过 50% 扣分；DOMAIN.md §4.1）。", threshold: 0.5)
    public static let identicalTables = CrossReportRuleEntry(
        "crossyear.identical-tables", "Tables identical to last year", .note,
        "表三、表四的每个数字都与同一机关上一年度报告相同，且不全为零。",
        "连续两年申请和复议诉讼数字完全相同，多为沿用了上一年度的表格。")
    public static let crossIssuerReuse = CrossReportRuleEntry(
        "archive.cross-issuer-reuse", "Text shared with another body's report", .warning,
        "两个不同机关的同年报告共有至少 70%（选项 threshold）的正文句子（取两者中较大的比例）。",
        "与其他单位的报告雷同是评议扣分项（鲤城；DOMAIN.md §4.1），常见于照抄兄弟单位的报告。", threshold: 0.7)
    public static let duplicateReport = CrossReportRuleEntry(
        "archive.duplicate-report", "Another version of the same report", .note,
        "同一机关同一年度有两份文本不同的报告（发布后被修改，或重复发布）。",
        "同一年报只应有一个版本；两个版本时，公众和评议人员不知道以哪一份为准。")
    public static let missingYear = CrossReportRuleEntry(
        "archive.missing-year", "Missing year", .warning,
        "某机关在本次检查中有 Y−1 年和 Y+1 年的报告，却没有 Y 年的报告。",
        "年度报告每年都须发布（《条例》第四十九条、第五十条）；缺少的一年可能未发布或未归档。")

    public static let all: [CrossReportRuleEntry] = [carryOver, stock, textReuse, identicalTables, crossIssuerReuse, duplicateReport, missingYear]
}
