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

    @Test("The blank 2021 template: all three tables recognized",
          .enabled(if: Support.sharedFile("corpus/real/template-2021-format-blank.docx") != nil, "needs ../shared/corpus/real"))
    func blankTemplate() throws {
        let bytes = try #require(Support.sharedFile("corpus/real/template-2021-format-blank.docx"))
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
        let archive = try ZipArchive(bytes)
        let entry = try #require(archive["word/document.xml"])
        #expect(throws: ZipArchive.Failure.tooLarge) { try archive.extract(entry, limit: 100) { _ in true } }
        var data: [UInt8] = []
        try archive.extract(entry, limit: DocxReader.maximumPartBytes) { data += $0; return true }
        #expect(data.count == 6000)
        // A directory that understates the size: the limit holds while inflating, not on the header.
        var lying = bytes
        let record = try #require(Self.centralRecord(of: "word/document.xml", in: lying))
        for k in 0..<4 { lying[record + 24 + k] = k == 0 ? 50 : 0 }
        let small = try ZipArchive(lying)
        #expect(throws: ZipArchive.Failure.tooLarge) { try small.extract(try #require(small["word/document.xml"]), limit: 100) { _ in true } }
    }

    // MARK: - Hostile packages (generated here: small generators, no binary fixtures)

    /// A deterministic report-like body of about `size` bytes: varied paragraphs, so that its
    /// deflate stream has many blocks (a damaged byte near its end then sits in real Huffman data).
    static func longDocument(bytes size: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> String {
        let words = ["本机关", "依申请公开", "政府信息", "2023年", "收到申请", "件", "行政复议", "予以公开", "不予公开", "其他处理",
                     "第十二条", "联系电话：0731-5676811", "公开渠道", "总计", "结果维持", "纠正", "unknown", "report", "42", "。"]
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var body = ""
        while body.utf8.count < size {
            var text = ""
            for _ in 0..<(5 + next() % 30) { text += words[next() % words.count] }
            body += p(text)
        }
        return "<w:document \(namespaces)><w:body>" + body + "</w:body></w:document>"
    }

    /// Where the local entry `name` starts, and its compressed data (ZIP local header, by hand).
    static func localData(of name: String, in bytes: [UInt8]) -> Range<Int>? {
        let nameBytes = Array(name.utf8)
        var i = 0
        while i + 30 + nameBytes.count <= bytes.count {
            if bytes[i..<(i + 4)].elementsEqual([0x50, 0x4B, 0x03, 0x04]), bytes[(i + 30)..<(i + 30 + nameBytes.count)].elementsEqual(nameBytes) {
                let field = { (at: Int) in Int(bytes[i + at]) | Int(bytes[i + at + 1]) << 8 }
                let compressed = field(18) | field(20) << 16
                let start = i + 30 + field(26) + field(28)
                return start..<(start + compressed)
            }
            i += 1
        }
        return nil
    }

    /// Where the central directory record of `name` starts.
    static func centralRecord(of name: String, in bytes: [UInt8]) -> Int? {
        let nameBytes = Array(name.utf8)
        var i = 0
        while i + 46 + nameBytes.count <= bytes.count {
            if bytes[i..<(i + 4)].elementsEqual([0x50, 0x4B, 0x01, 0x02]), bytes[(i + 46)..<(i + 46 + nameBytes.count)].elementsEqual(nameBytes) {
                return i
            }
            i += 1
        }
        return nil
    }

    static func unsupportedMessage(_ bytes: [UInt8]) -> String? {
        guard case .failure(.unsupported(let message)) = InputReader.read(bytes, kind: .docx, path: "x.docx") else { return nil }
        return message
    }

    @Test("One damaged byte at the end of the deflate stream is an error, not an endless inflate loop")
    func damagedDeflate() throws {
        // ZIPFoundation looped forever at 100 % CPU on this (a real report with its last compressed byte set to 0xdd).
        var bytes = try Self.docx(["word/document.xml": Self.longDocument(bytes: 250_000)])
        let data = try #require(Self.localData(of: "word/document.xml", in: bytes))
        bytes[data.upperBound - 1] = 0xDD
        let message = try #require(Self.unsupportedMessage(bytes))
        #expect(message.contains("word/document.xml 的压缩数据已损坏"), "\(message)")
    }

    @Test("A deflate stream cut short, and a byte changed in a stored part, are errors")
    func truncatedAndCRC() throws {
        let good = try Self.docx(["word/document.xml": Self.longDocument(bytes: 20_000)])
        let data = try #require(Self.localData(of: "word/document.xml", in: good))
        // Shrink the compressed size in the central directory: the stream ends before its last block.
        var cut = good
        let record = try #require(Self.centralRecord(of: "word/document.xml", in: cut))
        let size = data.count - 100
        for k in 0..<4 { cut[record + 20 + k] = UInt8((size >> (8 * k)) & 0xFF) }
        #expect(Self.unsupportedMessage(cut)?.contains("压缩数据已损坏") == true)
        // Stored (no compression): only the CRC-32 sees the change.
        let archive = try Archive(data: Data(), accessMode: .create)
        let xml = Data(Self.longDocument(bytes: 5_000).utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(xml.count), compressionMethod: .none) { position, size in
            xml.subdata(in: Int(position)..<(Int(position) + size))
        }
        var stored = [UInt8](try #require(archive.data))
        let storedData = try #require(Self.localData(of: "word/document.xml", in: stored))
        let digit = try #require(stored[storedData].firstIndex(of: UInt8(ascii: "2")))
        stored[digit] = UInt8(ascii: "3")
        #expect(Self.unsupportedMessage(stored)?.contains("CRC-32") == true)
    }

    @Test("Any single damaged byte in the compressed part ends in a result, never a trap or a hang")
    func damagedBytes() throws {
        let good = try Self.docx(["word/document.xml": Self.longDocument(bytes: 40_000)])
        let data = try #require(Self.localData(of: "word/document.xml", in: good))
        var state: UInt64 = 7
        for _ in 0..<60 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var bytes = good
            let at = data.lowerBound + Int(state >> 33) % data.count
            bytes[at] ^= UInt8(truncatingIfNeeded: state >> 13) | 1
            _ = InputReader.read(bytes, kind: .docx, path: "x.docx")
        }
    }

    @Test("A ZIP bomb (a small package whose body inflates to 64 MiB) stops at the text limit, as it streams")
    func bomb() throws {
        let size = 64 << 20
        let head = Array("<w:document \(Self.namespaces)><w:body><w:p><w:r><w:t>".utf8)
        let tail = Array("</w:t></w:r></w:p></w:body></w:document>".utf8)
        let archive = try Archive(data: Data(), accessMode: .create)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
                             bufferSize: 1 << 20) { position, count in
            // 'a' between the head and the tail.
            let range = Int(position)..<(Int(position) + count)
            if range.lowerBound >= head.count, range.upperBound <= size - tail.count { return Data(repeating: UInt8(ascii: "a"), count: count) }
            return Data(range.map { i in
                i < head.count ? head[i] : i >= size - tail.count ? tail[i - (size - tail.count)] : UInt8(ascii: "a")
            })
        }
        let bytes = [UInt8](try #require(archive.data))
        #expect(bytes.count < 200_000)
        let message = try #require(Self.unsupportedMessage(bytes))
        #expect(message.contains("8 MiB"), "\(message)")
        // Millions of empty paragraphs cost their lines' model too: refused under the same limit.
        let empty = try Self.docx(["word/document.xml": "<w:document \(Self.namespaces)><w:body>"
            + String(repeating: "<w:p/>", count: 1_000_000) + "</w:body></w:document>"])
        #expect(Self.unsupportedMessage(empty)?.contains("8 MiB") == true)
    }

    @Test("Text after an undefined entity is kept; the entity stays as written; declared entities are not expanded")
    func undefinedEntities() throws {
        let body = "<w:p><w:r><w:t>甲&nbsp;乙&amp;丙</w:t></w:r></w:p>" + Self.p("二、主动公开政府信息情况")
        let xml = "<w:document \(Self.namespaces)><w:body>\(body)</w:body></w:document>"
        let input = try Support.read(try Self.docx(["word/document.xml": xml]), .docx)
        #expect(Support.text(input.view) == "甲&nbsp;乙&丙\n\n二、主动公开政府信息情况\n")
        // An internal subset declares a nested (billion laughs) and an external (XXE) entity: neither expands.
        let subset = "<!DOCTYPE w:document [<!ENTITY a \"哈哈哈哈哈哈哈哈哈哈\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
            + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        let hostile = "<?xml version=\"1.0\"?>\(subset)<w:document \(Self.namespaces)><w:body>" + Self.p("&c;|&xxe;|") + "</w:body></w:document>"
        let read = try Support.read(try Self.docx(["word/document.xml": hostile]), .docx)
        #expect(Support.text(read.view) == "&c;|&xxe;|\n")
        // Names kept as text are bounded: a long one, and those past the thousandth, are dropped.
        let long = String(repeating: "长", count: 100)
        let many = (0..<1005).map { "&e\($0);" }.joined()
        let bounded = "<w:document \(Self.namespaces)><w:body>" + Self.p("甲&\(long);乙") + Self.p(many) + "</w:body></w:document>"
        let text = Support.text(try Support.read(try Self.docx(["word/document.xml": bounded]), .docx).view)
        #expect(text.hasPrefix("甲乙\n\n&e0;&e1;"))
        #expect(text.contains("&e999;") && !text.contains("&e1000;"))
    }

    @Test("A body over libxml2's 10 MB limits (a large part, a text node of 11 MB in a field code) is read")
    func hugeBody() throws {
        // Formatting markup makes most of a real large part; its text is small.
        let run = "<w:r><w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/></w:rPr><w:t>公开</w:t></w:r>"
        let paragraph = "<w:p>" + String(repeating: run, count: 20) + "</w:p>"
        let count = 12_000_000 / paragraph.utf8.count + 1
        let field = "<w:p><w:r><w:instrText>" + String(repeating: "x", count: 11_000_000) + "</w:instrText></w:r><w:r><w:t>尾</w:t></w:r></w:p>"
        let xml = "<w:document \(Self.namespaces)><w:body>" + String(repeating: paragraph, count: count) + field + "</w:body></w:document>"
        #expect(xml.utf8.count > 20_000_000)
        let input = try Support.read(try Self.docx(["word/document.xml": xml]), .docx)
        let lines = Support.text(input.view).split(separator: "\n")
        #expect(lines.count == count + 1)
        #expect(lines.first == Substring(String(repeating: "公开", count: 20)))
        #expect(lines.last == "尾")
    }

    @Test("ZIP64 sizes and offsets in the central directory are read")
    func zip64Directory() throws {
        // A directory record whose sizes and offset are 0xFFFFFFFF, with the values in a ZIP64 extra field.
        let good = try Self.docx(["word/document.xml": "<w:document \(Self.namespaces)><w:body>\(Self.p("一、总体情况"))</w:body></w:document>"])
        let record = try #require(Self.centralRecord(of: "word/document.xml", in: good))
        let field = { (at: Int) in (0..<4).reduce(0) { $0 | Int(good[record + at + $1]) << (8 * $1) } }
        let (compressed, uncompressed, offset) = (field(20), field(24), field(42))
        let nameLength = Int(good[record + 28]) | Int(good[record + 29]) << 8
        let oldExtra = Int(good[record + 30]) | Int(good[record + 31]) << 8
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        var header = Array(good[record..<(record + 46 + nameLength)])
        for at in [20, 24, 42] { header.replaceSubrange(at..<(at + 4), with: [0xFF, 0xFF, 0xFF, 0xFF]) }
        let extra = le(1, 2) + le(24, 2) + le(uncompressed, 8) + le(compressed, 8) + le(offset, 8)
        header.replaceSubrange(30..<32, with: le(extra.count, 2))
        let tailStart = record + 46 + nameLength + oldExtra
        let endRecord = try #require((0...(good.count - 22)).last { good[$0..<($0 + 4)].elementsEqual([0x50, 0x4B, 0x05, 0x06]) })
        var bytes = Array(good[..<record]) + header + extra + Array(good[tailStart..<endRecord])
        var end = Array(good[endRecord...])
        let directorySize = bytes.count - record
        end.replaceSubrange(12..<16, with: le(directorySize, 4))
        bytes += end
        let input = try Support.read(bytes, .docx)
        #expect(Support.text(input.view) == "一、总体情况\n")
    }

    /// The built `reportlint` beside the test bundle, or in .build.
    static let binary: String? = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here.appendingPathComponent("reportlint").path, here.deletingLastPathComponent().appendingPathComponent("reportlint").path]
            + ["debug", "release"].map { Support.packageRoot.appendingPathComponent(".build/\($0)/reportlint").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    @Test("A run killed (SIGKILL) while it reads .docx files leaves no temporary folder", .enabled(if: binary != nil, "reportlint is not built"))
    func killedRead() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("docx-kill-\(UUID().uuidString)")
        let tmp = dir.appendingPathComponent("tmp")
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        // A damaged part (the read that used to hang with the archive's copy on disk), then a large
        // report that takes seconds to lint: the kill comes while one of them is being read.
        var damaged = try Self.docx(["word/document.xml": Self.longDocument(bytes: 250_000)])
        let data = try #require(Self.localData(of: "word/document.xml", in: damaged))
        damaged[data.upperBound - 1] = 0xDD
        try Data(damaged).write(to: dir.appendingPathComponent("a-damaged.docx"))
        let large = Data(try Self.docx(["word/document.xml": Self.longDocument(bytes: 6_000_000)]))
        var paths = [dir.appendingPathComponent("a-damaged.docx").path]
        // Several, so that the run is still reading when killed in a release build too.
        for k in 1...4 {
            let url = dir.appendingPathComponent("b-large-\(k).docx")
            try large.write(to: url)
            paths.append(url.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.binary))
        process.arguments = ["lint", "--jobs", "1", "--format", "json"] + paths
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmp.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(wasRunning, "the run ended before it was killed: the test read nothing while killed")
        #expect(try fm.contentsOfDirectory(atPath: tmp.path) == [])
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
