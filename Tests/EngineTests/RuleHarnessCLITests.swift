import Foundation
import RuleKit
import Testing

/// `test-rules`, `rules` and `explain` as a rule author meets them: a broken example fails at its
/// file:line, a run that tests nothing is an error, and the commands see the packs a configuration extends.
struct RuleHarnessCLITests {
    static let provincial = packageRoot + "/Tests/Fixtures/packs/provincial"
    static let broken = packageRoot + "/Tests/Fixtures/packs/provincial-broken"

    @Test func theProvincialExamplePackPassesTestRules() throws {
        let result = try reportlint(["test-rules", Self.provincial])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("规则包 fujian-example：4 条规则，18 个示例"), "\(result.stdout)")
        #expect(result.stdout.contains("fuzhou-tjj-2023.test.txt"))
        #expect(result.stdout.hasSuffix(" 项通过，0 项失败\n"))
    }

    /// The line of the example below the `# broken:` comment of a variant's rule file.
    static func brokenLine(_ file: String) throws -> Int {
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let comment = try #require(lines.firstIndex { $0.contains("# broken:") })
        return comment + 2
    }

    /// Each broken variant of the provincial pack fails test-rules with a message at the example's file:line.
    @Test(arguments: [
        ("missing-replace", "publication-deadline.yml", Int32(2), "replace 的原文“2024年1月21日”不在示例报告中"),
        ("wrong-applies", "improvement-measures.yml", Int32(1), "规则没有适用于本示例，因为省份 福建 ≠ 湖北"),
        ("not-triggering", "phone-area-code.yml", Int32(1), "触发示例没有报告"),
        ("extra-row-missing", "extra-rows.yml", Int32(1), "这个示例什么也没有测试"),
    ])
    func aBrokenVariantFailsAtItsLine(_ variant: String, _ file: String, _ status: Int32, _ message: String) throws {
        let folder = Self.broken + "/" + variant
        let path = folder + "/" + file
        let result = try reportlint(["test-rules", folder])
        #expect(result.status == status, "\(result.stdout)\(result.stderr)")
        let output = result.stdout + result.stderr
        let place = "\(path):\(try Self.brokenLine(path)):"
        #expect(output.contains(place), "expected \(place) in \(output)")
        #expect(output.contains(message), "\(output)")
        #expect(!output.contains("，0 项失败"))
    }

    /// A pack named by `extends` is loaded the same way: the unmatched replace is config.invalid for `lint` too.
    @Test func anUnmatchedReplaceIsAConfigurationErrorForLint() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.broken + "/missing-replace", toPath: dir + "/pack")
        try "extends: [./pack]\n".write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2023/changsha-rmzf-2023-clean.txt", toPath: dir + "/report.txt")
        let result = try reportlint(["lint", "report.txt"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("publication-deadline.yml:\(try Self.brokenLine(dir + "/pack/publication-deadline.yml")):"), "\(result.stderr)")
        #expect(result.stderr.contains("[config.invalid]"))
    }

    /// hubei.extra-rows never failed (its examples ran alone, and it reports nothing): now a wrong row fails it.
    @Test func aBrokenExtraRowsRuleFailsTestRules() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: packageRoot + "/Rules/hubei-2020", toPath: dir + "/hubei")
        let file = dir + "/hubei/extra-rows.yml"
        let fine = try reportlint(["test-rules", dir])
        #expect(fine.status == 0, "\(fine.stdout)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "rows: [其他主动公开文件]", with: "rows: [其他公开文件]").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try reportlint(["test-rules", dir])
        #expect(result.status == 1)
        #expect(result.stdout.contains("extra-rows.yml:"), "\(result.stdout)")
        #expect(result.stdout.contains("hubei.extra-rows 不触发示例 1：期望 table.unknown-row 在 （无） 报告"), "\(result.stdout)")
    }

    /// A rule without examples: two failures and "0 passed" (it printed "-2 passed").
    @Test func aRuleWithoutExamplesNeverCountsNegatively() throws {
        let dir = try temporaryDirectory()
        try "name: bare\n".write(toFile: dir + "/pack.yml", atomically: true, encoding: .utf8)
        try "id: bare.rule\nkind: pattern\nseverity: note\nsummary: s\nforbid: [禁]\n".write(toFile: dir + "/rule.yml", atomically: true, encoding: .utf8)
        let result = try reportlint(["test-rules", dir])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\n0 项通过，2 项失败\n"), "\(result.stdout)")
        #expect(!result.stdout.contains("-2 passed"))
    }

    /// A folder of rules without pack.yml tests nothing: exit 2, said why.
    @Test func aFolderWithoutAPackIsAUsageError() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: packageRoot + "/Rules/national/contact/phone.yml", toPath: dir + "/phone.yml")
        let result = try reportlint(["test-rules", dir])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no rule pack under"), "\(result.stderr)")
        #expect(result.stderr.contains("no pack.yml"))
        #expect(!result.stdout.contains("passed"))
    }

    /// Fixture annotations are read in one pass: a line number in a message is the fixture's own,
    /// also after an annotation written with a space before its colon (the second pass missed it).
    @Test func fixtureLinesAreTheFixturesOwn() throws {
        let dir = try temporaryDirectory()
        let fixture = dir + "/phone.test.txt"
        try "2023年某局政府信息公开工作年度报告\n<!-- ok : contact.phone -->\n联系电话：0731-56768\n".write(toFile: fixture, atomically: true, encoding: .utf8)
        let result = try reportlint(["test-rules", fixture])
        #expect(result.status == 1)
        #expect(result.stdout.contains("phone.test.txt:3: 不应报告 contact.phone"), "\(result.stdout)")
    }

    /// `rules` and `explain` see the packs the configuration extends, and `--rules`.
    @Test func rulesAndExplainHonourTheConfiguration() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.provincial + "/fujian-example", toPath: dir + "/fujian")
        let plain = try reportlint(["rules"], in: dir)
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("fujian.publication-deadline"))
        try "extends: [./fujian]\n".write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        let listed = try reportlint(["rules"], in: dir)
        #expect(listed.status == 0, "\(listed.stderr)")
        let line = listed.stdout.split(separator: "\n").first { $0.hasPrefix("fujian.publication-deadline ") }
        #expect(line != nil, "\(listed.stdout)")
        #expect(line?.contains("[pack]") == false, "an extended pack's rule is on")
        let explained = try reportlint(["explain", "fujian.publication-deadline"], in: dir)
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("福建省（示例）省直部门的年度报告发布日期晚于次年1月15日"))
        // From elsewhere, with --config or --rules.
        let elsewhere = try temporaryDirectory()
        #expect(try reportlint(["explain", "fujian.extra-rows"], in: elsewhere).status == 2)
        #expect(try reportlint(["explain", "--config", dir + "/.reportlint.yml", "fujian.extra-rows"], in: elsewhere).status == 0)
        let added = try reportlint(["rules", "--format", "json", "--rules", dir + "/fujian"], in: elsewhere)
        #expect(added.stdout.contains("\"id\" : \"fujian.phone-area-code\""), "\(added.stdout)")
        #expect(try reportlint(["explain", "--rules", dir + "/fujian", "fujian.phone-area-code"], in: elsewhere).status == 0)
    }

    @Test func explainPrintsTheBaseReport() throws {
        let result = try reportlint(["explain", "--base-report"])
        #expect(result.status == 0)
        #expect(result.stdout == ExampleReport().text)
        let older = try reportlint(["explain", "--base-report", "--report-year", "2020", "--issuer", "某市人民政府"])
        #expect(older.stdout == ExampleReport(year: 2020, issuer: "某市人民政府").text)
        #expect(try reportlint(["explain"]).status == 2)
        #expect(try reportlint(["explain", "--base-report", "table.balance"]).status == 2)
    }

    /// The configuration in docs/writing-rules.md ("Options") loads, and its option overrides the rule's deadline.
    @Test func theGuidesConfigurationOverridesAnOption() throws {
        let doc = try String(contentsOfFile: packageRoot + "/docs/writing-rules.md", encoding: .utf8)
        let start = try #require(doc.range(of: "```yaml config\n"))
        let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        let config = String(doc[start.upperBound..<end.lowerBound])
        #expect(config.contains("01-10"))
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.provincial + "/fujian-example", toPath: dir + "/fujian-example")
        try ExampleReport(edits: [("2024年1月20日", "2024年1月12日")]).text.write(toFile: dir + "/report.txt", atomically: true, encoding: .utf8)
        // Without the configuration (hints only) 1月12日 is in time for the pack's 01-15.
        try "extends: [./fujian-example]\nhints: {province: 福建}\n".write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        let before = try reportlint(["lint", "report.txt"], in: dir)
        #expect(!before.stdout.contains("fujian.publication-deadline"), "\(before.stdout)\(before.stderr)")
        try config.write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        let after = try reportlint(["lint", "report.txt"], in: dir)
        #expect(after.stdout.contains("应在2024年1月10日前公布"), "\(after.stdout)\(after.stderr)")
        #expect(after.stdout.contains("[fujian.publication-deadline]"))
    }
}
