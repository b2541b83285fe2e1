import Foundation
import ReportModel
@testable import ReportScanner
import ReportInputs
import Testing

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let sharedCorpus = packageRoot + "/../shared/corpus/real"

func scanFile(_ path: String) throws -> Document {
    let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
    let decoded = try TextDecoder.decode(Array(data)).get()
    return ReportScanner.scan(SourceText(bytes: decoded.bytes))
}

func values(_ table: Table, _ key: String) -> [Int?] { table.row(key)?.cells.map(\.value.count) ?? [] }

struct ScannerTests {
    @Test func cellLayoutReportOf2019() throws {
        let doc = try scanFile(packageRoot + "/Tests/Fixtures/reports/2019/xiangtan-tjj-2019-clean.txt")
        #expect(doc.reportYear == 2019)
        #expect(doc.issuer == "湘潭市统计局")
        #expect(doc.kind == .department)
        #expect(doc.headings.map(\.section) == SectionID.allCases)
        #expect(doc.headings.allSatisfy { $0.writtenOrdinal == $0.section.ordinal })
        #expect(doc.tableProblems.isEmpty)
        #expect(doc.table(.two)?.format == .v2019)
        #expect(doc.table(.three)?.format == .v2019)
        #expect(doc.table(.three)?.rows.count == Templates.t3Rows2019.count)
        #expect(doc.table(.four)?.rows.map(\.cells.count) == [5, 5, 5])
        #expect(doc.publicationDate.map { [$0.year, $0.month, $0.day] } == [2020, 1, 20])
        #expect(doc.statisticsPeriod.map { [$0.start.month, $0.start.day, $0.end.month, $0.end.day] } == [1, 1, 12, 31])
        #expect(doc.contacts.map(\.kind) == [.phone, .address, .postcode, .email])
        #expect(doc.contacts.first?.value == "0731-5676811")
    }

    @Test func cellLayoutReportOf2021WithNumbers() throws {
        let doc = try scanFile(packageRoot + "/Tests/Fixtures/reports/2023/changsha-rmzf-2023-clean.txt")
        #expect(doc.kind == .government)
        let t3 = try #require(doc.table(.three))
        #expect(t3.format == .v2021)
        #expect(values(t3, Templates.rowNew) == [120, 8, 0, 1, 3, 2, 134])
        #expect(values(t3, "（六）3.其他") == [10, 1, 0, 0, 0, 0, 11])
        let t2 = try #require(doc.table(.two))
        #expect(t2.format == .v2021)
        #expect(t2.row("第二十条第（八）项/行政事业性收费")?.cells.first?.value == .number(961.6))
    }

    @Test func textLayerWithWrappedLabelsAndFooters() throws {
        let doc = try scanFile(packageRoot + "/Tests/Fixtures/reports/2023/text-layer-2023-clean.txt")
        #expect(doc.headings.map(\.section) == SectionID.allCases, "a footer glued to 六's heading still lets it be found")
        #expect(doc.tableProblems.isEmpty)
        let t3 = try #require(doc.table(.three))
        #expect(t3.layout == .textLayer)
        #expect(t3.format == .v2021)
        #expect(values(t3, "（二）部分公开") == [4, 0, 0, 0, 0, 0, 4])
        #expect(values(t3, "（三）1.属于国家秘密") == [1, 0, 0, 0, 0, 0, 1], "numbers printed before their wrapped label")
        #expect(values(t3, "（四）2.没有现成信息需要另行制作") == [3, 0, 0, 0, 0, 0, 3], "a page footer glued to the row")
        #expect(values(t3, Templates.rowOut) == [0, 0, 0, 0, 0, 0, 0], "四、结转下年度继续办理 is a row, not section 四")
        #expect(doc.heading(.reviews)?.line == 71)
        #expect(values(try #require(doc.table(.four)), "行政复议") == [10, 1, 0, 0, 11])
        #expect(doc.statisticsPeriod != nil, "a period broken across two lines")
        #expect(doc.contacts.map(\.kind) == [.postcode, .phone], "labels with spaces inside")
    }

    /// A text layer whose blank cells printed nothing (LibreOffice's PDF of a Word table): numbers
    /// placed under their columns by each page's grid, a label alone as a row of blanks, a wrapped
    /// web address and phone number, a signature followed by a page number.
    @Test func textLayerWithBlankCells() throws {
        let doc = try scanFile(packageRoot + "/Tests/Fixtures/reports/2024/text-layer-2024-blank-cells.txt")
        #expect(doc.tableProblems.isEmpty)
        let t3 = try #require(doc.table(.three))
        #expect(t3.format == .v2021)
        #expect(values(t3, Templates.rowNew) == [3, 2, 0, 0, 0, 0, 5])
        #expect(t3.row("（二）部分公开")?.cells.map(\.value) == [.number(0), .number(0), .number(0), .blank, .number(0), .number(0), .number(0)],
                "the blank 社会公益组织 cell of a row whose numbers print under its wrapped label")
        #expect(t3.row("（三）1.属于国家秘密")?.cells.map(\.value) == Array(repeating: .blank, count: 7), "a label alone")
        #expect(values(t3, "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请") == [1, 0, 0, 0, 0, 0, 1],
                "a sub-item label cut at its cell's line end")
        #expect(t3.row("（六）3.其他")?.cells[4].value == .blank, "page 2 has a grid of its own")
        #expect(values(t3, "（五）5.要求行政机关确认或重新出具已获取信息") == [0, 2, 0, 0, 0, 0, 2],
                "a row of values starting `- 2 -` is not a page footer glued to it")
        #expect(values(t3, Templates.rowDone) == [3, 2, 0, 0, 0, 0, 5])
        let t4 = try #require(doc.table(.four))
        #expect(values(t4, "行政复议") == [0, 1, 0, 1, 2], "a row starting `- 1 -` is values, not a page footer")
        #expect(doc.publicationDate.map { [$0.year, $0.month, $0.day] } == [2025, 1, 20], "the page number after the signature")
        #expect(doc.contacts.first { $0.kind == .phone }?.value == "0731-5676811")
        #expect(doc.contacts.first { $0.kind == .url }?.value == "https://www.mouxian.gov.cn")
    }

    @Test func tabSeparatedRowWithAnEmptyField() throws {
        // Text copied out of Word: one row per line, cells TAB-separated, an empty cell between two TABs.
        var rows = ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
        for template in Templates.t3Rows2021 {
            let cells = template.key == Templates.rowDone ? "3\t0\t0\t\t0\t1\t4" : "0\t0\t0\t0\t0\t0\t0"
            rows.append(template.label + "\t" + cells)
        }
        let doc = ReportScanner.scan(SourceText(rows.joined(separator: "\n") + "\n"))
        let t3 = try #require(doc.table(.three), "\(doc.tableProblems)")
        #expect(t3.row(Templates.rowDone)?.cells.map(\.value) == [.number(3), .number(0), .number(0), .blank, .number(0), .number(1), .number(4)])
    }

    @Test func textLayerRowThatCannotBePlacedIsReported() {
        // Page 2 has no complete row and no header: two numbers of seven cannot be placed.
        let text = """
        三、收到和处理政府信息公开申请情况
        一、本年新收政府信息公开申请数量        2     0     0     0     0     0     2
        二、上年结转政府信息公开申请数量        0     0     0     0     0     0     0
                                        — 3 —
        \u{0C}（七）总计             2                                  2
        """
        let doc = ReportScanner.scan(SourceText(text))
        #expect(doc.table(.three) == nil)
        #expect(doc.tableProblems.contains { $0.table == .three && $0.reason.contains("无法确定各属于哪一列") })
    }

    @Test func textLayerTable4HeaderWithoutNumbersIsBlankCells() throws {
        let text = """
        四、政府信息公开行政复议、行政诉讼情况
                      行政复议                                          行政诉讼
                                                   未经复议直接起诉                         复议后起诉
        结果维   结果纠     其他结    尚未审
                                   总计   结果维   结果纠    其他结     尚未审        结果维   结果纠   其他结     尚未审
         持     正       果       结                                   总计                             总计
                                         持     正      果       结          持     正     果       结


              五、存在的主要问题及改进情况
        """
        let doc = ReportScanner.scan(SourceText(text))
        let t4 = try #require(doc.table(.four))
        #expect(t4.rows.flatMap(\.cells).map(\.value) == Array(repeating: .blank, count: 15))
    }

    @Test func table2DigitsRunTogetherAreReportedNotReadAsOneNumber() throws {
        let text = """
        二、主动公开政府信息情况
        第二十条第（一）项
        信息内容 本年制发件数 本年废止件数 现行有效件数
        规章 15621
        行政规范性文件 3 1 37
        三、收到和处理政府信息公开申请情况
        """
        let doc = ReportScanner.scan(SourceText(text))
        let t2 = try #require(doc.table(.two), "the other rows are still read")
        #expect(t2.row("第二十条第（一）项/行政规范性文件")?.cells.map(\.value) == [.number(3), .number(1), .number(37)])
        #expect(t2.row("第二十条第（一）项/规章") == nil, "15621 is not read into 本年制发件数")
        #expect(doc.tableProblems.contains { $0.table == .two && $0.reason.contains("“规章”") && $0.reason.contains("15621") })
    }

    @Test func pageNumbers() {
        for line in ["— 5 —", "- 12 -", "第 5 页", "第5页 共9页", "5/9", "－3－"] {
            let text = SourceText(line)
            #expect(ReportScanner.isPageNumber(SourceSpan(start: 0, end: text.bytes.count), source: text), "\(line)")
        }
        for line in ["2024-01-20", "2025年1月20日", "某县统计局", "1234", "5", "-\t-\t-\t-\t5\t-\t-", "- 1 - 1 2"] {
            let text = SourceText(line)
            #expect(!ReportScanner.isPageNumber(SourceSpan(start: 0, end: text.bytes.count), source: text), "\(line)")
        }
    }

    @Test func subheadingsAreNotSectionHeadings() {
        let doc = ReportScanner.scan(SourceText("2019年某局政府信息公开工作年度报告\n一、总体情况\n（一）主动公开政府信息情况\n主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"))
        #expect(doc.headings.map(\.section) == [.overview, .proactive, .applications])
        #expect(doc.headings[1].line == 4)
        #expect(doc.headings[1].writtenOrdinal == nil)
        #expect(doc.paragraphs.contains { $0.line == 3 && $0.kind == .subheading && $0.section == .overview })
    }

    /// The 2025 wordings of the statutory headings (DOMAIN.md §4.1) are those headings; `其他事项`
    /// only with its ordinal, since a line saying just that may be anything.
    @Test(arguments: [("四、政府信息公开行政复议及行政诉讼情况", SectionID.reviews), ("四、因政府信息公开工作被申请行政复议提起行政诉讼情况", .reviews),
                      ("六、其他报告的事项", .other), ("六、其他事项", .other), ("六、其他需要报告的事项", .other)])
    func headingVariantsOf2025(_ line: String, _ section: SectionID) {
        let doc = ReportScanner.scan(SourceText("2025年某局政府信息公开工作年度报告\n一、总体情况\n本年度无变化。\n" + line + "\n本年度未收取信息处理费。\n"))
        #expect(doc.headings.map(\.section) == [.overview, section], "\(line)")
        #expect(doc.headings.last?.writtenOrdinal == section.ordinal)
    }

    @Test func otherMattersWithoutItsOrdinalIsNotAHeading() {
        let doc = ReportScanner.scan(SourceText("2025年某局政府信息公开工作年度报告\n一、总体情况\n本年度无变化。\n其他事项\n按规定办理。\n"))
        #expect(doc.headings.map(\.section) == [.overview])
    }

    /// `现行有效件` (2025) is the template's column 现行有效件数: the table is read as the 2021 format,
    /// and what the prose says of the stock is compared with that column.
    @Test func stockColumnWrittenWithoutItsLastCharacter() throws {
        let doc = try scanFile(packageRoot + "/Tests/Fixtures/reports/2025/text-layer-2025-variants-clean.txt")
        let t2 = try #require(doc.table(.two))
        #expect(t2.format == .v2021)
        let row = try #require(t2.row("第二十条第（一）项/行政规范性文件"))
        #expect(row.cells.map(\.column) == ["本年制发件数", "本年废止件数", "现行有效件数"])
        #expect(row.cell("现行有效件数")?.value == .number(14))
        #expect(doc.headings.map(\.section) == SectionID.allCases)
        #expect(doc.headings[3].isVariant && doc.headings[5].isVariant)
    }

    /// The signature: the issuer and the date in either order; the date must be one the fact scanner
    /// reads, so a short last sentence naming a year and a number is no signature.
    @Test func signatureInEitherOrder() {
        func signature(_ ending: String) -> [String] {
            let text = "2023年某局政府信息公开工作年度报告\n一、总体情况\n本年度，本局认真贯彻落实《条例》，进一步规范了政府信息公开工作。\n" + ending
            let doc = ReportScanner.scan(SourceText(text))
            return doc.paragraphs.filter { $0.kind == .signature }.map { doc.text($0.span) }
        }
        #expect(signature("某局\n2024年1月20日\n") == ["某局", "2024年1月20日"])
        #expect(signature("2024年1月20日\n某局\n") == ["2024年1月20日", "某局"])
        #expect(signature("某局 2024年1月20日\n") == ["某局 2024年1月20日"])
        #expect(signature("全年收取信息处理费0元。\n") == [])
        #expect(signature("2024年收费0元。\n") == [])
        #expect(signature("某局\n").isEmpty)
        // The date line, then a line that is not a name (a label, a sentence): the date alone.
        #expect(signature("2024年1月20日\n附件：统计表\n") == [])
    }

    /// The matched row key, by name, of a table 三 label within a group named as in the template.
    enum T3Hit: Equatable { case row(String), group(String), resultsHeader }
    func t3Match(_ text: String, group: String?) -> T3Hit? {
        switch Table3Scanner.match(text, group: group.flatMap { Templates.t3GroupLabels.firstIndex(of: $0) }) {
        case .row(let slot)?: .row(Table3Scanner.keys[slot])
        case .group(let g)?: .group(Templates.t3GroupLabels[g])
        case .resultsHeader?: .resultsHeader
        case nil: nil
        }
    }

    @Test func tolerantLabelMatching() {
        #expect(t3Match("2.其他法律行政止公开", group: "（三）不予公开") == .row("（三）2.其他法律行政法规禁止公开"))
        #expect(t3Match("３、危及\"三安全一稳定\"", group: "（三）不予公开") == .row("（三）3.危及“三安全一稳定”"))
        #expect(t3Match("1，申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请", group: "（六）其他处理")
                == .row("（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"))
        #expect(t3Match("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", group: nil) == .row("（二）部分公开"))
        #expect(t3Match("一、本年新收 政府信息公开申请数量", group: nil) == .row(Templates.rowNew))
        #expect(t3Match("9.本单位自定义事项", group: "（三）不予公开") == nil)
    }

    @Test func cellsRunTogetherAreReportedNotGuessed() {
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21 5\n"
        let doc = ReportScanner.scan(SourceText(text))
        #expect(doc.table(.three) == nil)
        #expect(doc.tableProblems.contains { $0.table == .three && $0.reason.contains("8 个数值") })
    }

    @Test func cellValues() {
        #expect(CellParser.parse("１，２３４") == .number(1234))
        #expect(CellParser.parse(" ") == .blank)
        #expect(CellParser.parse("—") == .placeholder("—"))
        #expect(CellParser.parse("若干") == .text("若干"))
        #expect(CellParser.parse("-3") == .number(-3))
        #expect(CellValue.number(2.5).count == nil)
        #expect(CellValue.placeholder("/").count == 0)
    }

    @Test func datesInTheirStyles() {
        let doc = ReportScanner.scan(SourceText("发布日期：2020-01-31\n2020 年1月20日、二〇二〇年一月二十日、2020.1.20、2020年2月30日\n"))
        #expect(doc.dates.map(\.style) == [.iso, .spaced, .chineseNumerals, .dotted, .standard])
        #expect(doc.dates.map(\.isValid) == [true, true, true, true, false])
        #expect(doc.dates[2].day == 20)
    }

    /// The three real PDF text layers against the hand-made truth beside them (skipped without ../shared).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedCorpus + "/truth"), "needs ../shared/corpus/real"), arguments: ["002", "003", "004"])
    func realTextLayersMatchTheirTruth(_ number: String) throws {
        let truthData = try #require(FileManager.default.contents(atPath: "\(sharedCorpus)/truth/\(number).json"))
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: sharedCorpus).first(where: { $0.hasPrefix(number) && $0.hasSuffix(".txt") }))
        let truth = try #require(try JSONSerialization.jsonObject(with: truthData) as? [String: Any])
        let tables = try #require(truth["tables"] as? [String: Any])
        let t3Truth = try #require((tables["table3"] as? [String: Any])?["rows"] as? [String: [Int]])
        let doc = try scanFile("\(sharedCorpus)/\(file)")
        let t3 = try #require(doc.table(.three))
        for (label, expected) in t3Truth {
            let key = label.hasPrefix("（") && label.contains(".") ? label.replacingOccurrences(of: "2.其他法律行政法规禁止公开", with: "2.其他法律行政法规禁止公开")
                : label.hasPrefix("（二）部分公开") ? "（二）部分公开" : label
            let matched = t3.rows.first { $0.key == key || ($0.key.map { Label.normalize($0) == Label.normalize(key) } ?? false) }
            #expect(matched?.cells.map(\.value.count) == expected.map { $0 }, "\(file) \(label)")
        }
        let t4Truth = try #require(tables["table4"] as? [String: Any])
        let t4 = try #require(doc.table(.four))
        for group in Templates.reviewGroups {
            #expect(values(t4, group) == (t4Truth[group] as? [Int])?.map { $0 }, "\(file) 表四 \(group)")
        }
    }
}
