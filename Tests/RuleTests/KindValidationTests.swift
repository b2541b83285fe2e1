import RuleKit
import ReportScanner
import Testing
@testable import YAMLRules

/// The keys added for issue 16 are validated when a rule loads, with the place of the mistake, and
/// do what their documentation says.
struct KindValidationTests {
    static func rule(_ body: String, kind: String) -> String {
        "id: x.y\nkind: \(kind)\nseverity: warning\nsummary: s\n" + body
    }

    static func error(_ text: String) -> (message: String, line: Int)? {
        do {
            _ = try RuleFile.load(text: text, file: "r.yml", source: "r.yml")
            return nil
        } catch {
            return (error.message, error.line)
        }
    }

    @Test(arguments: [
        ("scope: prose\nforbid: [a]\nat: heading\n", "at 只用于 require", 7),
        ("scope: prose\nrequire: [a]\nat: heading\n", "at: heading 需要 sections", 7),
        ("scope: prose\nsections: [六]\nrequire: [a]\nat: title\n", "不是可用的值", 8),
        ("scope: prose\nforbid: [a]\nreport: once\n", "report 只用于 require", 7),
        ("scope: prose\nrequire: [{pattern: a, nom: b}]\n", "未知的键“nom”", 6),
    ])
    func patternKeys(_ body: String, _ message: String, _ line: Int) throws {
        let e = try #require(Self.error(Self.rule(body, kind: "pattern")))
        #expect(e.message.contains(message), "\(e.message)")
        #expect(e.line == line, "\(e.message)")
    }

    @Test(arguments: [
        ("sections: {七: {}}\nmin_length: 10\n", "sections 的键应为 一 至 六"),
        ("sections: {五: {}}\nmin_length: 0\n", "min_length 应为正整数"),
        ("sections: {五: {report_yaer: 2021}}\nmin_length: 10\n", "未知的键“report_yaer”"),
        ("sections: {五: {}}\n", "缺少必需的键“min_length”"),
        ("sections: {}\nmin_length: 10\n", "至少要列出一个部分"),
    ])
    func sectionBodyKeys(_ body: String, _ message: String) throws {
        let e = try #require(Self.error(Self.rule(body, kind: "section-body")))
        #expect(e.message.contains(message), "\(e.message)")
    }

    @Test func statedOnlyWithItsCheck() throws {
        let e = try #require(Self.error(Self.rule("check: valid\nstated: ['统计']\n", kind: "date")))
        #expect(e.message.contains("stated 只用于 check: statistics-period-stated"))
        let bad = try #require(Self.error(Self.rule("check: statistics-period-stated\nstated: ['(统计']\n", kind: "date")))
        #expect(bad.message.contains("正则表达式无法编译"))
    }

    @Test func proseClaimColumnsAreCheckedPerVersionName() throws {
        let claim = "keywords: [件]\nclaims:\n  - what: w\n    pattern: '许可([0-9]+)件'\n    cells: [{table: 二, rows: [行政许可], column: %@}]\n    expect: equal\n"
        #expect(Self.error(Self.rule(claim.replacingOccurrences(of: "%@", with: "[本年处理决定数量, 处理决定数量]"), kind: "prose-claim")) == nil)
        let e = try #require(Self.error(Self.rule(claim.replacingOccurrences(of: "%@", with: "[本年处理决定数量, 处理件数]"), kind: "prose-claim")))
        #expect(e.message.contains("没有名为“处理件数”的列"), "\(e.message)")
        let empty = try #require(Self.error(Self.rule(claim.replacingOccurrences(of: "%@", with: "[]"), kind: "prose-claim")))
        #expect(empty.message.contains("column 至少要有一个列名"), "\(empty.message)")
        let row = try #require(Self.error(Self.rule(claim.replacingOccurrences(of: "行政许可", with: "行政审批").replacingOccurrences(of: "%@", with: "本年处理决定数量"), kind: "prose-claim")))
        #expect(row.message.contains("表二中没有名为“行政审批”的行"), "\(row.message)")
    }

    /// `report: once` gives one finding naming every missing phrase; `each` one per phrase, at the same heading.
    @Test func reportOnceOrEach() throws {
        func findings(_ report: String) throws -> [Finding] {
            let text = Self.rule("scope: prose\nsections: [一]\nrequire: [{pattern: 甲, name: 甲项}, {pattern: 乙, name: 乙项}, 丙]\nat: heading\nreport: \(report)\nmessage: 缺{pattern}\n", kind: "pattern")
            let rule = try RuleFile.load(text: text, file: "r.yml", source: "r.yml")
            let doc = ReportScanner.scan(SourceText("2023年某局政府信息公开工作年度报告\n一、总体情况\n本年度有乙。\n"))
            return try rule.check(doc, context: .standard)
        }
        let once = try findings("once")
        #expect(once.map(\.message) == ["缺甲项、丙"])
        let each = try findings("each")
        #expect(each.map(\.message) == ["缺甲项", "缺丙"])
        #expect(Set((once + each).map(\.span.start)).count == 1)
    }
}
