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
