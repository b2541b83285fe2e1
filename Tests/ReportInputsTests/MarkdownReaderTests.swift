import Foundation
@testable import ReportInputs
import ReportModel
import ReportScanner
import Testing

/// Markdown as document converters write it (fixtures under Tests/Fixtures/inputs/markdown).
struct MarkdownReaderTests {
    static func scan(_ name: String) throws -> (ReadInput, Document) {
        let input = try Support.read(try Support.fixture("markdown/" + name), .markdown)
        return (input, ReportScanner.scan(input.view))
    }

    @Test("`#` headings and `**bold**` sub-headings are read without their marks",
          arguments: ["docling-2023.md", "empty-merges-blank-cell-2023.md"])
    func headings(_ name: String) throws {
        let (input, doc) = try Self.scan(name)
        #expect(doc.headings.map(\.section.rawValue) == [1, 2, 3, 4, 5, 6])
        #expect(doc.title == "2023年示例市统计局政府信息公开工作年度报告")
        let view = Support.text(input.view)
        #expect(!view.contains("#") && !view.contains("**") && !view.contains("<br>"))
    }

    @Test("Pipe tables: merged cells repeated or left empty, header levels folded with <br>",
          arguments: ["docling-2023.md", "empty-merges-blank-cell-2023.md"])
    func tables(_ name: String) throws {
        let (_, doc) = try Self.scan(name)
        #expect(doc.tableProblems.isEmpty)
        let t3 = try #require(doc.table(.three))
        #expect(t3.format == .v2021)
        #expect(t3.rows.count == 25)
        let done = try #require(t3.rows.first(where: { $0.key == Templates.rowDone }))
        #expect(done.cells.map { $0.value.count ?? -1 } == [2, 0, 0, 0, 0, 0, 2])
        let t4 = try #require(doc.table(.four))
        #expect(t4.rows.flatMap(\.cells).count == 15)
        let t2 = try #require(doc.table(.two))
        let documents: [Int]? = t2.rows.first(where: { $0.label == "行政规范性文件" })?.cells.map { $0.value.count ?? -1 }
        #expect(documents == [1, 0, 4])
    }

    @Test("A blank count cell stays blank, and is reported just after its pipe in the .md file")
    func blankCell() throws {
        let (input, doc) = try Self.scan("empty-merges-blank-cell-2023.md")
        let t3 = try #require(doc.table(.three))
        let first = try #require(t3.rows.first(where: { $0.key == Templates.rowNew }))
        let blank = try #require(first.cells.first(where: { $0.column == "科研机构" }))
        #expect(blank.raw.isEmpty)
        let at = Positions(view: input.view, map: input.map).location(of: blank.span.start)
        let text = String(decoding: try Support.fixture("markdown/empty-merges-blank-cell-2023.md"), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.hasPrefix("| 一、本年新收") })
        #expect(at.line == line + 1)
        // Just after the sixth pipe of the row.
        let row = lines[line]
        let pipes = row.indices.filter { row[$0] == "|" }
        #expect(at.column == row.distance(from: row.startIndex, to: pipes[5]) + 2)
    }

    @Test("A table with every zero written as a blank cell: the label columns found without any count")
    func allBlankTables() throws {
        let (_, doc) = try Self.scan("all-blank-2023.md")
        #expect(doc.tableProblems.isEmpty, "\(doc.tableProblems)")
        let t3 = try #require(doc.table(.three))
        #expect(t3.rows.filter { $0.key != nil }.count == Templates.t3Rows2021.count)
        #expect(t3.rows.allSatisfy { $0.cells.count == 7 && $0.cells.allSatisfy { $0.value == .blank } })
        let t4 = try #require(doc.table(.four))
        #expect(t4.rows.flatMap(\.cells).map(\.value) == Array(repeating: .blank, count: 15))
    }
}
