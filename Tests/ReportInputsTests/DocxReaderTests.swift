import Foundation
@testable import ReportInputs
import ReportModel
import ReportScanner
import Testing
import ZIPFoundation

@Suite("Word .docx input")
struct DocxReaderTests {
    static let namespaces = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
        + "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""

    static func p(_ text: String) -> String { "<w:p><w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r></w:p>" }

    static func tc(_ text: String, span: Int = 1, merge: String? = nil) -> String {
        var pr = ""
        if span > 1 { pr += "<w:gridSpan w:val=\"\(span)\"/>" }
        if let merge { pr += merge.isEmpty ? "<w:vMerge/>" : "<w:vMerge w:val=\"\(merge)\"/>" }
        let paragraphs = text.split(separator: "|", omittingEmptySubsequences: false).map { part in
            part.isEmpty ? "<w:p/>" : "<w:p><w:r><w:t>" + part.replacingOccurrences(of: "/", with: "</w:t><w:br/><w:t>") + "</w:t></w:r></w:p>"
        }
        return "<w:tc><w:tcPr>\(pr)</w:tcPr>" + paragraphs.joined() + "</w:tc>"
    }

    static func tr(_ cells: [String]) -> String { "<w:tr>" + cells.joined() + "</w:tr>" }

    /// A small report body: paragraphs with a tab, a line break, deleted text, alternate content,
    /// and table 四 with grid spans and vertical merges (a cell with a line break, one with two paragraphs).
    static var documentXML: String {
        let heads = ["结果维持", "结果/纠正", "其他结果", "尚未|审结", "总计"]
        var rows: [String] = []
        rows.append(tr([tc("行政复议", span: 5), tc("行政诉讼", span: 10)]))
        rows.append(tr(heads.map { tc($0, merge: "restart") } + [tc("未经复议直接起诉", span: 5), tc("复议后起诉", span: 5)]))
        rows.append(tr(heads.map { _ in tc("", merge: "") } + (heads + heads).map { tc($0) }))
        rows.append(tr((["1", "0", "0", "0", "2"] + Array(repeating: "0", count: 10)).map { tc($0) } + []))
        let body = [
            p("2023年某某局政府信息公开工作年度报告"),
            "<w:p/>",
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr><w:r><w:tab/><w:t>一、</w:t></w:r><w:r><w:t>总体情况</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>联系电话：0731-5676811</w:t><w:br/><w:t>通信地址：某某路1号</w:t></w:r>"
                + "<w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del>"
                + "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"
                + "<mc:AlternateContent><mc:Choice Requires=\"w14\"><w:r><w:t>。</w:t></w:r></mc:Choice>"
                + "<mc:Fallback><w:r><w:t>。</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>",
            p("四、政府信息公开行政复议、行政诉讼情况"),
            "<w:tbl><w:tblPr/><w:tblGrid/>" + rows.joined() + "</w:tbl>",
            p("五、存在的主要问题及改进情况"),
            "<w:sectPr/>",
        ]
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document \(namespaces)><w:body>"
            + body.joined() + "</w:body></w:document>"
    }

    static func docx(_ parts: [String: String]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return [UInt8](try #require(archive.data))
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Override PartName="/word/main.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
        """
    static let rels = """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/main.xml"/></Relationships>
        """

    /// The package names its main part `word/main.xml`, so it is found through `_rels/.rels`.
    static func sample() throws -> [UInt8] {
        try docx(["[Content_Types].xml": contentTypes, "_rels/.rels": rels, "word/main.xml": documentXML])
    }

    @Test("Paragraphs and a table with gridSpan and vMerge become the template layout")
    func view() throws {
        let input = try Support.read(try Self.sample(), .docx)
        let heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        var expected: [String] = ["2023年某某局政府信息公开工作年度报告", ""]
        expected += ["一、总体情况", ""]
        expected += ["联系电话：0731-5676811", "通信地址：某某路1号。", ""]
        expected += ["四、政府信息公开行政复议、行政诉讼情况", ""]
        expected += ["\t行政复议", "\t行政诉讼", ""]
        let header2: [String] = heads + ["未经复议直接起诉", "复议后起诉"]
        expected += header2.map { "\t" + $0 } + [""]
        let header3: [String] = heads + heads
        expected += header3.map { "\t" + $0 } + [""]
        let values: [String] = ["1", "0", "0", "0", "2"] + Array(repeating: "0", count: 10)
        expected += values.map { "\t" + $0 } + [""]
        expected += ["五、存在的主要问题及改进情况", ""]
        #expect(Support.text(input.view) == expected.joined(separator: "\n"))
        #expect(input.encoding == nil)
    }

    @Test("The original has one line per paragraph or table row, cells joined by TAB")
    func syntheticOriginal() throws {
        let input = try Support.read(try Self.sample(), .docx)
        let original = try #require(input.map).original
        #expect(original.lineCount == 10)
        #expect(original.lineText(1) == "2023年某某局政府信息公开工作年度报告")
        #expect(original.lineText(2) == "")
        #expect(original.lineText(3) == "\t一、总体情况")
        #expect(original.lineText(4) == "联系电话：0731-5676811 通信地址：某某路1号。")
        #expect(original.lineText(6) == "行政复议\t行政诉讼")
        #expect(original.lineText(8) == "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计")
        #expect(original.lineText(10) == "五、存在的主要问题及改进情况")
    }

    @Test("Positions are paragraph-or-row ordinals and character offsets")
    func positions() throws {
        let input = try Support.read(try Self.sample(), .docx)
        let address = try #require(Support.reported("通信地址", in: input))
        #expect(address.line == 4 && address.column == 19)
        let heading = try #require(Support.reported("一、总体情况", in: input))
        #expect(heading.line == 3 && heading.column == 2)
        // Table 四's 总计 of 行政复议 (the fifth value) in the value row, line 9.
        let offset = try #require(Support.offset(of: "\t2\n", in: input.view.bytes)) + 1
        let total = Positions(view: input.view, map: input.map).location(of: offset)
        #expect(total.line == 9 && total.column == 9)
        // An empty continue cell is not in the view; the merged header appears once.
        #expect(Support.offset(of: "结果维持", in: input.view.bytes, occurrence: 4) == nil)
    }

    @Test("The scanner reads table 四 from a .docx")
    func scannedTable() throws {
        let doc = ReportScanner.scan(try Support.read(try Self.sample(), .docx).view)
        let four = try #require(doc.tables.first { $0.id == .four })
        #expect(four.rows[0].cells.map(\.raw) == ["1", "0", "0", "0", "2"])
        #expect(doc.headings.map(\.section) == [.overview, .reviews, .problems])
    }

    @Test("The blank 2021 template: all three tables recognized")
    func blankTemplate() throws {
        guard let bytes = Support.sharedFile("corpus/real/template-2021-format-blank.docx") else { return }
        let input = try Support.read(bytes, .docx)
        let doc = ReportScanner.scan(input.view)
        #expect(doc.tables.map(\.id) == [.two, .three, .four])
        #expect(doc.tableProblems.isEmpty, "\(doc.tableProblems)")
        #expect(doc.tables.first { $0.id == .three }?.format == .v2021)
        #expect(doc.headings.count == 6)
        // Header cells written on two lines in Word (商业 / 企业) are one cell.
        #expect(Support.text(input.view).contains("\t商业企业\n\t科研机构\n"))
    }

    @Test("Not a .docx: clear io.unsupported", arguments: [
        ("plain text", Array("一、总体情况".utf8)),
        ("old Word", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512)),
        ("truncated zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]),
    ] as [(String, [UInt8])])
    func notDocx(_ name: String, _ bytes: [UInt8]) {
        guard case .failure(.unsupported(let message)) = InputReader.read(bytes, kind: .docx, path: "x.docx") else {
            Issue.record("\(name): expected io.unsupported")
            return
        }
        #expect(message.contains("docx") || message.contains("Word"))
    }

    @Test("A ZIP without a Word body, and a body that is not XML, are io.unsupported")
    func brokenPackages() throws {
        let noBody = try Self.docx(["readme.txt": "hello"])
        guard case .failure(.unsupported(let m1)) = InputReader.read(noBody, kind: .docx, path: "x.docx") else {
            Issue.record("expected io.unsupported for a ZIP without word/document.xml")
            return
        }
        #expect(m1.contains("word/document.xml"))
        let badXML = try Self.docx(["word/document.xml": "<w:document><w:body><w:p>"])
        let r2 = InputReader.read(badXML, kind: .docx, path: "x.docx")
        guard case .failure(.unsupported(let m2)) = r2 else {
            Issue.record("expected io.unsupported for malformed XML, got \(r2)")
            return
        }
        #expect(m2.contains("XML"))
    }

    /// Writes a package whose main part is the given bytes.
    static func docx(documentBytes: [UInt8]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        let data = Data(documentBytes)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<(Int(position) + size))
        }
        return [UInt8](try #require(archive.data))
    }

    @Test("A damaged name (invalid UTF-8) is io.unsupported, not a trap in XMLParser")
    func invalidUTF8() throws {
        let xml = Array("<w:document \(Self.namespaces)><w:body><w:p><w:r><w:rFonts w:".utf8) + [0xE5]
            + Array("eastAsia=\"宋体\"/><w:t>甲</w:t></w:r></w:p></w:body></w:document>".utf8)
        guard case .failure(.unsupported(let message)) = InputReader.read(try Self.docx(documentBytes: xml), kind: .docx, path: "x.docx") else {
            Issue.record("expected io.unsupported")
            return
        }
        #expect(message.contains("UTF-8"))
    }

    @Test("A UTF-16 body, and a declaration naming another encoding, are read as text")
    func encodings() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<w:document \(Self.namespaces)><w:body>\(Self.p("一、总体情况"))</w:body></w:document>"
        let utf16: [UInt8] = [0xFF, 0xFE] + xml.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let input = try Support.read(try Self.docx(documentBytes: utf16), .docx)
        #expect(Support.text(input.view) == "一、总体情况\n")
        let mislabeled = xml.replacingOccurrences(of: "UTF-16", with: "ISO-8859-1")
        let second = try Support.read(try Self.docx(documentBytes: Array(mislabeled.utf8)), .docx)
        #expect(Support.text(second.view) == "一、总体情况\n")
    }

    @Test("A part larger than the limit is refused while it is being extracted")
    func sizeLimit() throws {
        let bytes = try Self.docx(["word/document.xml": String(repeating: "<w:p/>", count: 1000)])
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        guard case .failure(.unsupported) = DocxReader.extract(entry, from: archive, limit: 100) else {
            Issue.record("expected the size limit to apply")
            return
        }
        guard case .success(let data) = DocxReader.extract(entry, from: archive) else {
            Issue.record("expected the part to extract under the default limit")
            return
        }
        #expect(data.count == 6000)
    }

    @Test("Absurd gridSpan is capped; nested tables flatten into their cell")
    func absurdTables() throws {
        let inner = "<w:tbl>" + Self.tr([Self.tc("内1"), Self.tc("内2")]) + "</w:tbl>"
        let xml = "<w:document \(Self.namespaces)><w:body><w:tbl>"
            + Self.tr([Self.tc("宽", span: 2_000_000_000), "<w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>\(inner)</w:tc>"])
            + "</w:tbl></w:body></w:document>"
        let input = try Support.read(try Self.docx(["word/document.xml": xml]), .docx)
        #expect(Support.text(input.view) == "\t宽\n\t外内1内2\n")
    }
}
