import Foundation
@testable import ReportInputs
import ReportModel
import ReportScanner
import Testing

/// Reports saved by a portal crawler: a metadata header, then the whole body on one line, headings
/// running into their paragraphs and table rows flattened (fixtures under Tests/Fixtures/inputs/flat).
struct FlatTextReaderTests {
    static func scan(_ name: String) throws -> (ReadInput, Document) {
        let input = try Support.read(try Support.fixture("flat/" + name), .text)
        return (input, ReportScanner.scan(input.view))
    }

    @Test("Headings inside the one-line body are found in order, not the list of titles in the opening")
    func headingsInsideALine() throws {
        let (_, doc) = try Self.scan("crawler-clean-2024.txt")
        #expect(doc.headings.map(\.section.rawValue) == [1, 2, 3, 4, 5, 6])
        #expect(doc.headings.allSatisfy { $0.writtenOrdinal == $0.section.ordinal })
    }

    @Test("2025 wordings in a crawled body: 因…被申请行政复议提起行政诉讼情况, 其他报告的事项, the column 现行有效件")
    func wordingsOf2025() throws {
        let (_, doc) = try Self.scan("crawler-2025-variants.txt")
        #expect(doc.headings.map(\.section.rawValue) == [1, 2, 3, 4, 5, 6])
        #expect(doc.headings[3].writtenTitle == "因政府信息公开工作被申请行政复议提起行政诉讼情况")
        #expect(doc.headings[5].writtenTitle == "其他报告的事项")
        #expect(doc.tableProblems.isEmpty)
        let t2 = try #require(doc.table(.two))
        #expect(t2.format == .v2021)
        #expect(t2.cell(row: "第二十条第（一）项/行政规范性文件", column: "现行有效件数")?.value == .number(21))
        #expect(doc.table(.four) != nil)
        // The body ends with section 六: no signature.
        #expect(!doc.paragraphs.contains { $0.kind == .signature })
    }

    @Test("The signature at the end of the body, in either order; a body that ends with its last sentence has none",
          arguments: [("示例县交通运输局 2025年1月20日", ["示例县交通运输局", "2025年1月20日"]), ("2025年1月20日 示例县交通运输局", ["2025年1月20日", "示例县交通运输局"]),
                      ("2025年1月20日示例县交通运输局", ["2025年1月20日", "示例县交通运输局"]), ("", [])])
    func signatureEitherOrder(_ ending: String, _ lines: [String]) throws {
        let clean = String(decoding: try Support.fixture("flat/crawler-clean-2024.txt"), as: UTF8.self)
        let text = clean.replacingOccurrences(of: "示例县交通运输局 2025年1月20日", with: ending)
        #expect(clean.contains("示例县交通运输局 2025年1月20日 附件下载"))
        let input = try Support.read(Array(text.utf8), .text)
        let doc = ReportScanner.scan(input.view)
        #expect(doc.paragraphs.filter { $0.kind == .signature }.map { doc.text($0.span) } == lines)
        if !lines.isEmpty { #expect(doc.dates.last.map { ($0.year, $0.month, $0.day) } ?? (0, 0, 0) == (2025, 1, 20)) }
    }

    @Test("The header's title is the title (without 标题:), and the chrome is not report text")
    func headerAndChrome() throws {
        let (input, doc) = try Self.scan("crawler-clean-2024.txt")
        #expect(doc.title == "示例县交通运输局2024年政府信息公开工作年度报告")
        #expect(doc.issuer == "示例县交通运输局")
        #expect(doc.reportYear == 2024)
        let view = Support.text(input.view)
        for chrome in ["原文链接", "正文 ====", "微信 微博", "相关链接", "附件下载", "来源："] { #expect(!view.contains(chrome), "\(chrome)") }
        // The header's publication time stays (once), the chrome's copy of it does not.
        #expect(view.components(separatedBy: "发布时间").count == 2)
        #expect(doc.dates.filter { ($0.year, $0.month, $0.day) == (2025, 1, 22) }.count == 1)
    }

    @Test("Table cells are read from the stream: spaced, glued one digit per cell, or partly glued")
    func tablesFromTheStream() throws {
        let (_, doc) = try Self.scan("crawler-clean-2024.txt")
        #expect(doc.tableProblems.isEmpty)
        let t3 = try #require(doc.table(.three))
        #expect(t3.format == .v2021)
        func counts(_ key: String) -> [Int]? { t3.rows.first(where: { $0.key == key })?.cells.map { $0.value.count ?? -1 } }
        #expect(counts(Templates.rowNew) == [3, 0, 0, 0, 0, 0, 3])   // "3 00 0 0 0 3"
        #expect(counts(Templates.rowPublic) == [3, 0, 0, 0, 0, 0, 3]) // "3000003"
        #expect(counts(Templates.rowOut) == [0, 0, 0, 0, 0, 0, 0])    // "0 0 0 0 0 0 0"
        let t4 = try #require(doc.table(.four))
        let t4Counts: [Int] = t4.rows.flatMap(\.cells).map { $0.value.count ?? -1 }
        #expect(t4Counts == [1, 0, 0, 0, 1] + [Int](repeating: 0, count: 10))
        let t2 = try #require(doc.table(.two))
        let t2Counts: [Int]? = t2.rows.first(where: { $0.label == "行政规范性文件" })?.cells.map { $0.value.count ?? -1 }
        #expect(t2Counts == [1, 0, 6])
    }

    @Test("A glued row whose digit count is not its cell count is reported, never guessed")
    func ambiguousRow() throws {
        let (_, doc) = try Self.scan("crawler-ambiguous-2024.txt")
        #expect(doc.table(.three) == nil)
        let problem = try #require(doc.tableProblems.first(where: { $0.table == .three }))
        #expect(problem.reason.contains("7"))
    }

    @Test("A glued table 三 row is cut where it adds up; table 二 rows with several cuts are reported together")
    func gluedRows() throws {
        let (_, doc) = try Self.scan("crawler-glued-2024.txt")
        let t3 = try #require(doc.table(.three))
        #expect(t3.row(Templates.rowDone)?.cells.map { $0.value.count ?? -1 } == [12, 0, 0, 0, 0, 0, 12], "120000012: the one cut whose total adds up")
        let t2 = try #require(doc.table(.two), "the table stays, without the rows it cannot read")
        #expect(t2.row("第二十条第（一）项/规章") == nil)
        #expect(t2.row("第二十条第（一）项/行政规范性文件") == nil)
        let problems = doc.tableProblems.filter { $0.table == .two }
        #expect(problems.count == 1, "one finding for the table, naming each row")
        #expect(problems.first.map { $0.reason.contains("“规章”") && $0.reason.contains("15621") && $0.reason.contains("“行政规范性文件”") } == true)
    }

    @Test("Cutting a run of digits: one digit per cell, the one cut without leading zeros, or none")
    func cuttingRuns() {
        func cut(_ digits: String, _ count: Int, totals: Int = 0) -> [String] {
            let reader = FlatTextReader.Reader(stream: FlatTextReader.Stream(Array(digits.utf8)), start: 0, end: digits.unicodeScalars.count)
            let scalars = Array(digits.unicodeScalars)
            return reader.splitCells(0..<scalars.count, count: count, totalGroup: totals).map { String(String.UnicodeScalarView(scalars[$0])) }
        }
        #expect(cut("106", 3) == ["1", "0", "6"])
        #expect(cut("00126", 3) == ["0", "0", "126"], "a count with a leading zero is 0 itself")
        #expect(cut("1506", 3) == ["1506"], "1 50 6 or 15 0 6: not cut")
        #expect(cut("280000028", 7, totals: 7) == ["28", "0", "0", "0", "0", "0", "28"])
        #expect(cut("300000003", 7, totals: 7) == ["300000003"], "no cut adds up")
        #expect(cut("1100011", 7, totals: 7) == ["1", "1", "0", "0", "0", "1", "1"], "seven digits, seven cells: read as written, even if wrong")
        #expect(cut("1100020000000000", 15, totals: 5) == ["1100020000000000"], "no cut adds up in every group")
        #expect(cut("10000100000000000", 15, totals: 5) == ["10", "0", "0", "0", "10"] + Array(repeating: "0", count: 10), "table 四's row")
    }

    @Test("Cells are reported where they stand in the file: line 10, the column of the digit")
    func positions() throws {
        let (input, doc) = try Self.scan("crawler-defects-2024.txt")
        let t4 = try #require(doc.table(.four))
        let total = try #require(t4.rows.first?.cells.first(where: { $0.column == "总计" }))
        let at = Positions(view: input.view, map: input.map).location(of: total.span.start)
        let original = try Support.fixture("flat/crawler-defects-2024.txt")
        let line10 = String(decoding: original, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)[9]
        let glued = try #require(line10.range(of: "100000000000000"))
        #expect(at.line == 10)
        #expect(at.column == line10.distance(from: line10.startIndex, to: glued.lowerBound) + 1 + 4)
    }

    @Test("The signature at the end of the one-line body is the issuer and the date; the page's 发布时间 is the publication date")
    func signature() throws {
        let (input, doc) = try Self.scan("crawler-clean-2024.txt")
        let signature = doc.paragraphs.filter { $0.kind == .signature }
        #expect(signature.count == 2)
        #expect(signature.last.map { String(decoding: input.view.bytes[$0.span.start..<$0.span.end], as: UTF8.self) } == "2025年1月20日")
        let date = try #require(doc.publicationDate)
        #expect((date.year, date.month, date.day) == (2025, 1, 22))
        #expect(Positions(view: input.view, map: input.map).location(of: date.span.start).line == 2)
    }

    @Test("A space that is no cell character before a row's cells (VT, FF, U+2002, U+200B, BOM) ends the read",
          arguments: ["\u{0B}", "\u{0C}", "\u{2002}", "\u{2003}", "\u{200B}", "\u{FEFF}"])
    func oddSpaceBeforeCells(_ space: String) throws {
        // A fuzz finding (Tests/Fixtures/fuzz/flat-vertical-tab-before-cells.bin): the cell-word step
        // took such a space for an empty word and never moved on.
        let clean = String(decoding: try Support.fixture("flat/crawler-clean-2024.txt"), as: UTF8.self)
        let label = "一、本年新收政府信息公开申请数量"
        #expect(clean.contains(label + "3 00"))
        let bytes = Array(clean.replacingOccurrences(of: label + "3 00", with: label + " \(space) 3 00").utf8)
        // On a thread with a deadline: a read that never ends fails the test instead of the run.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<ReadInput, InputFailure>?
        Thread.detachNewThread {
            result = InputReader.read(bytes, kind: .text, path: "flat.txt")
            done.signal()
        }
        guard done.wait(timeout: .now() + 60) == .success else {
            Issue.record("the read of a flat text with \(space.unicodeScalars.first!.value) before a row's cells did not end in 60 s")
            return
        }
        guard case .success(let input) = result else {
            Issue.record("expected the text to be read")
            return
        }
        #expect(Support.text(input.view).contains(label))
    }

    @Test("Reports in the usual layouts are not restructured")
    func usualLayoutsUntouched() throws {
        let example = Support.packageRoot.appendingPathComponent("Examples")
        let files = try #require(FileManager.default.enumerator(atPath: example.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".txt") }
        #expect(!files.isEmpty)
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: example.appendingPathComponent(file)))
            guard let text = SourceText(validatingUTF8: bytes) else { continue }
            #expect(FlatTextReader.read(text) == nil, "\(file)")
        }
    }
}
