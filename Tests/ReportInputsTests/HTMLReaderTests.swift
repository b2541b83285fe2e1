import CLibXML2
import Foundation
@testable import ReportInputs
import ReportModel
import ReportScanner
import Testing

@Suite("HTML input")
struct HTMLReaderTests {
    @Test("A GBK page with colspan, rowspan and &nbsp; cells becomes the template layout")
    func gbkPageView() throws {
        let input = try Support.read(try Support.fixture("gbk-page.html"), .html)
        #expect(input.encoding == .gb18030)
        let review = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        let values = ["1", "", "0", "0", "2"] + Array(repeating: "0", count: 10)
        var expected: [String] = ["2023年某某市统计局政府信息公开工作年度报告", ""]
        expected += ["联系电话：0731-5676811", "通信地址：某某路\u{00A0}1号", ""]
        expected += ["四、政府信息公开行政复议、行政诉讼情况", ""]
        expected += ["\t行政复议", "\t行政诉讼", ""]
        let header2: [String] = review + ["未经复议直接起诉", "复议后起诉"]
        expected += header2.map { "\t" + $0 } + [""]
        let header3: [String] = review + review
        expected += header3.map { "\t" + $0 } + [""]
        expected += values.map { "\t" + $0 } + [""]
        expected += ["五、存在的主要问题及改进情况", ""]
        #expect(Support.text(input.view) == expected.joined(separator: "\n"))
    }

    @Test("Head, scripts, styles, navigation and hidden elements are not read")
    func skippedContent() throws {
        let view = Support.text(try Support.read(try Support.fixture("gbk-page.html"), .html).view)
        for hidden in ["某某市统计局\n", "脚本里的文字", "宋体", "首页", "政务公开", "隐藏的文字"] {
            #expect(!view.contains(hidden), "\(hidden) should not be in the view")
        }
    }

    @Test("A word processor's page footer (LibreOffice's title=\"footer\", Word's mso-element) is not report text")
    func wordProcessorFooters() throws {
        let page = """
        <html><body><p>某县统计局</p><p>2025年1月20日</p>
        <div title="footer"><p>— <sdfield type=PAGE>5</sdfield> —</p></div>
        <div style='mso-element:footer' id=f1><p>第 6 页</p></div></body></html>
        """
        let view = Support.text(try Support.read(Array(page.utf8), .html).view)
        #expect(view.contains("2025年1月20日"))
        #expect(!view.contains("—"), "the footer's page number is left out")
        #expect(!view.contains("第 6 页"))
    }

    @Test("Positions point at the cell text in the decoded page, line and column")
    func gbkPagePositions() throws {
        let input = try Support.read(try Support.fixture("gbk-page.html"), .html)
        let map = try #require(input.map)
        let page = map.original
        // The decoded page is the original: its lines are the file's lines.
        #expect(page.lineText(12) == "<h1>2023年某某市统计局政府信息公开工作年度报告</h1>")

        let title = try #require(Support.reported("2023年某某市", in: input))
        #expect(title.line == 12 && title.column == 5)

        let review = try #require(Support.reported("\t2\n", in: input))
        // The TAB stands for the cell; the value itself:
        let valueOffset = try #require(Support.offset(of: "\t2\n", in: input.view.bytes)) + 1
        let value = Positions(view: input.view, map: map).location(of: valueOffset)
        #expect(value.line == 21)
        #expect(Support.text(at: value, in: page, length: 6) == "2</td>")
        #expect(review.line == 21)

        // An empty cell (&nbsp;) points at the entity.
        let emptyOffset = try #require(Support.offset(of: "\t1\n\t\n", in: input.view.bytes)) + 4
        let empty = Positions(view: input.view, map: map).location(of: emptyOffset)
        #expect(empty.line == 21)
        #expect(Support.text(at: empty, in: page, length: 6) == "&nbsp;")

        // A second-row cell after five rowspan cells: 未经复议直接起诉 on line 19.
        let group = try #require(Support.reported("未经复议直接起诉", in: input))
        #expect(group.line == 19)
        #expect(Support.text(at: group, in: page, length: 8) == "未经复议直接起诉")
    }

    @Test("The scanner finds table 四 in a converted page")
    func gbkPageTable() throws {
        let input = try Support.read(try Support.fixture("gbk-page.html"), .html)
        let doc = ReportScanner.scan(input.view)
        let four = try #require(doc.tables.first { $0.id == .four })
        #expect(four.rows.map(\.label) == ["行政复议", "未经复议直接起诉", "复议后起诉"])
        #expect(four.rows[0].cells.map(\.raw) == ["1", "", "0", "0", "2"])
    }

    @Test("A fragment: entities, <br>, inline runs, cells with <br> and <p>, an empty cell")
    func fragment() throws {
        let input = try Support.read(try Support.fixture("fragment.html"), .html)
        #expect(input.encoding == .utf8)
        let expected = [
            "2024年某某区教育局", "政府信息公开工作年度报告", "",
            "本报告由某某区教育局编制，统计期限为2024年1月1日至2024年12月31日。数据&说明见下文一览。", "",
            "一、总体情况", "",
            "第一句。第二句接在同一行。", "",
            "\t信息内容", "\t本年处理决定数量", "",
            "\t行政许可", "\t12", "",
            "\t行政处罚", "\t", "",
            "六、其他需要报告的事项", "",
        ]
        #expect(Support.text(input.view) == expected.joined(separator: "\n"))
        // A character reference maps back to the reference.
        let map = try #require(input.map)
        let below = try #require(Support.reported("下文", in: input))
        #expect(Support.text(at: below, in: map.original, length: 9) == "&#x4E0B;文")
        let permit = try #require(Support.reported("行政许可", in: input))
        #expect(permit.line == 9)
        #expect(Support.text(at: permit, in: map.original, length: 7) == "行政<br>许")
    }

    @Test("The site's header and footer are left out, an article's header is read")
    func siteChrome() throws {
        let page = "<body><header><p>某某市人民政府门户网站</p></header><div role=\"banner\">无障碍</div>"
            + "<article><header><h1>2023年某某局政府信息公开工作年度报告</h1></header><p>正文。</p></article>"
            + "<footer>主办单位：某某市人民政府办公室</footer><div role=\"contentinfo\">网站标识码</div></body>"
        let input = try Support.read(Array(page.utf8), .html)
        #expect(Support.text(input.view) == "2023年某某局政府信息公开工作年度报告\n\n正文。\n")
    }

    @Test("A page whose meta tag says GBK but is UTF-8 is read as UTF-8")
    func mislabeledCharset() throws {
        let page = "<html><head><meta charset=\"gbk\"></head><body><p>一、总体情况</p></body></html>"
        let input = try Support.read(Array(page.utf8), .html)
        #expect(input.encoding == .utf8)
        #expect(Support.text(input.view) == "一、总体情况\n")
    }

    @Test("Without a declaration, GB18030 bytes are detected")
    func undeclaredGB18030() throws {
        let page = "<p>二、主动公开政府信息情况</p>"
        let bytes = try #require(gbk(page))
        let input = try Support.read(bytes, .html)
        #expect(input.encoding == .gb18030)
        #expect(Support.text(input.view) == "二、主动公开政府信息情况\n")
    }

    @Test("A BOM wins over the meta tag")
    func byteOrderMark() throws {
        let page = "<meta charset=\"gb2312\"><p>六、其他需要报告的事项</p>"
        let input = try Support.read([0xEF, 0xBB, 0xBF] + Array(page.utf8), .html)
        #expect(input.encoding == .utf8BOM)
        #expect(Support.text(input.view) == "六、其他需要报告的事项\n")
    }

    /// The cap is asserted, not the time: a hang on uncapped spans is caught by the bounded run of
    /// MalformedInputTests.absurdHTML; speed is measured in Benchmarks/.
    @Test("Absurd spans are capped")
    func absurdSpans() throws {
        let page = "<table><tr><td colspan=\"65535\" rowspan=\"65535\">甲</td><td>1</td></tr><tr><td>乙</td><td colspan=\"99999999999999999999\">2</td></tr></table>"
        let input = try Support.read(Array(page.utf8), .html)
        #expect(Support.text(input.view) == "\t甲\n\t1\n\n\t乙\n\t2\n")
        #expect(HTMLWalker.span(try #require(Self.firstCell(of: page)), "colspan") == HTMLReader.maximumSpan)
    }

    @Test("Rowspan places later cells after the covered columns")
    func gridPlacement() throws {
        func cell(_ text: String, _ colspan: Int = 1, _ rowspan: Int = 1) -> HTMLWalker.SourceCell {
            HTMLWalker.SourceCell(pieces: text.unicodeScalars.map { Piece(scalar: $0, original: 0, originalLength: 1) }, anchor: 0,
                                  colspan: colspan, rowspan: rowspan)
        }
        let rows = TableGrid.layout([[cell("A", 1, 3), cell("B", 2)], [cell("C"), cell("D")], [cell("E", 2)], [cell("F"), cell("G")]])
        let text = rows.map { $0.map { String(String.UnicodeScalarView($0.pieces.map(\.scalar))) } }
        #expect(text == [["A", "B"], ["C", "D"], ["E"], ["F", "G"]])
    }

    @Test("Very deep nesting neither overflows the stack nor hangs")
    func deepNesting() throws {
        let depth = 100_000
        let page = String(repeating: "<div><span>", count: depth) + "一、总体情况" + String(repeating: "</span></div>", count: depth)
        let input = try Support.read(Array(page.utf8), .html)
        #expect(Support.text(input.view).contains("一、总体情况"))
    }

    @Test("Absurd character references do not crash", arguments: [
        "&#99999999999999999999999;", "&#x110000;", "&#0;", "&#xD800;", "&#;", "&#x;", "&nosuchentity;", "&", "&#65;&#x42;",
    ])
    func absurdReferences(_ reference: String) throws {
        let page = "<p>甲\(reference)乙</p><table><tr><td>\(reference)</td><td>0</td></tr></table>"
        let input = try Support.read(Array(page.utf8), .html)
        let view = Support.text(input.view)
        #expect(view.hasPrefix("甲"))
        #expect(view.contains("乙"))
        #expect(view.contains("\t0\n"))
        // Every reported position lies inside the page.
        let positions = Positions(view: input.view, map: input.map)
        for offset in 0..<input.view.bytes.count {
            #expect(positions.reportedOffset(offset) <= page.utf8.count)
        }
    }

    @Test("Empty, blank and tag-free inputs give a view, not a failure", arguments: ["", "   \n", "一、总体情况", "<", "<!-- only a comment -->", "\0\0\0"])
    func degenerate(_ page: String) throws {
        let input = try Support.read(Array(page.utf8), .html)
        #expect(input.map != nil)
    }

    @Test("Bytes no encoding decodes are io.decode")
    func undecodable() {
        let result = InputReader.read([0x3C, 0x70, 0x3E, 0xFF, 0xFF, 0xFF, 0x81], kind: .html, path: "x.html")
        guard case .failure(.decode) = result else {
            Issue.record("expected a decode failure, got \(result)")
            return
        }
    }

    @Test("A layout table is read as prose, a data table as cells")
    func layoutTable() throws {
        let long = String(repeating: "本年度我局认真贯彻落实条例。", count: 30)
        let page = "<table><tr><td><p>一、总体情况</p><p>\(long)</p></td></tr></table>"
            + "<table><tr><td>外</td><td><table><tr><td>内</td><td>1</td></tr></table></td></tr></table>"
        let view = Support.text(try Support.read(Array(page.utf8), .html).view)
        #expect(view.hasPrefix("一、总体情况\n\n\(long)\n"))
        #expect(view.contains("\n外\n\n\t内\n\t1\n"))
    }

    static func firstCell(of page: String) -> XMLNode? {
        libxml2Ready()
        let bytes = Array(page.utf8)
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { htmlReadMemory($0, Int32(buf.count), nil, "UTF-8", 0) }
        }
        guard let doc else { return nil }
        var stack: [XMLNode] = HTMLWalker.children(UnsafeMutableRawPointer(doc).assumingMemoryBound(to: xmlNode.self))
        while let node = stack.popLast() {
            if HTMLWalker.isElement(node), HTMLWalker.name(node) == "td" { return node }
            stack += HTMLWalker.children(node)
        }
        return nil
    }

    func gbk(_ text: String) -> [UInt8]? {
        let cd = iconv_open("GB18030", "UTF-8")
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 8)
        let produced: Int? = input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outLeft = outRaw.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 else { return nil }
                return outRaw.count - outLeft
            }
        }
        return produced.map { Array(output[..<$0]) }
    }

    @Test("A NUL byte in a page does not end it: the text after it is read, at its own position")
    func nulByte() throws {
        let page = Array("<html><body><p>一、总体情况</p>".utf8) + [0] + Array("<p>二、主动公开政府信息情况</p><p>末段</p></body></html>".utf8)
        let input = try Support.read(page, .html)
        let view = Support.text(input.view)
        #expect(view.contains("二、主动公开政府信息情况") && view.contains("末段"), "\(view)")
        let at = try #require(Support.reported("末段", in: input))
        let column = String(decoding: page, as: UTF8.self).unicodeScalars.distance(
            from: String(decoding: page, as: UTF8.self).unicodeScalars.startIndex,
            to: String(decoding: page, as: UTF8.self).unicodeScalars.firstRange(of: "末段".unicodeScalars)!.lowerBound) + 1
        #expect(at.line == 1 && at.column == column)
    }
}
