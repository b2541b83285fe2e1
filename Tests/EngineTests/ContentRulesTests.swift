import Foundation
import Testing

/// Whole reports for the rules of the catalogue's second revision (issue 16): what sections must say,
/// the signature, numbering systems, table 二's cells and claims (fixtures under Tests/Fixtures/reports).
struct ContentRulesTests {
    static func keys(_ file: String) throws -> [String] {
        let result = try reportlint(["lint", "--fail-on", "never", "Tests/Fixtures/reports/" + file], in: packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        return findingKeys(result.stdout)
    }

    @Test("A report copied from another body and half edited: each defect once, at its place")
    func copiedReport() throws {
        #expect(try Self.keys("2024/copied-2024-defects.txt") == [
            "1 date.statistics-period-missing",  // no statistics period: line 1
            "5 structure.numbering-systems",     // 一、主动公开情况 after 一、总体情况
            "6 table.text-mismatch",             // 制发行政规范性文件4件, table 3
            "8 zero.all-closed",                 // 均已按时办结, row 四 总计 1
            "14 zero.representation",            // 规章 - 0 0
            "18 table.non-numeric",              // 行政许可 若干
            "64 content.section-empty",          // 五: 无。
            "68 structure.signer-mismatch",      // signed 某县统计局, title 某县财政局
        ])
    }

    @Test("2025 wordings (现行有效件, 政府信息公开行政复议及行政诉讼情况, 六、其他事项) and the date before the issuer: clean")
    func wordingsOf2025AreClean() throws {
        #expect(try Self.keys("2025/text-layer-2025-variants-clean.txt") == [])
    }

    @Test("Table 二 in the cell layout: a blank and a placeholder are zero.representation; prose is not compared with a blank")
    func table2BlankAndPlaceholder() throws {
        // 废止行政规范性文件2件 against a blank cell: not evaluated; 行政处罚决定398件 against — (zero): a mismatch.
        #expect(try Self.keys("2023/cell-layout-2023-blank-table2.txt") == ["17 table.text-mismatch", "39 zero.representation", "56 zero.representation"])
    }

    @Test("The messages state what is missing or contradicted")
    func messages() throws {
        let result = try reportlint(["lint", "--fail-on", "never", "Tests/Fixtures/reports/2024/copied-2024-defects.txt"], in: packageRoot)
        for text in ["落款“某县统计局”与标题中的发布机关“某县财政局”不是同一机关", "第五部分“存在的主要问题及改进情况”的正文只有“无。”",
                     "正文称“申请3件，均已按时办结”，但表三第四项“结转下年度继续办理”的总计为 1",
                     "表二“行政许可”行“本年处理决定数量”列：“若干”不是数字", "正文中本年制发的行政规范性文件为 4 件，表格为 3 件"] {
            #expect(result.stdout.contains(text), "\(text)")
        }
    }
}
