import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ReportModel
import ZIPFoundation

/// Reads a Word .docx report: the main document part (found through `_rels/.rels`, usually
/// `word/document.xml`) is taken from the ZIP archive with ZIPFoundation and read with
/// Foundation's `XMLParser`. The archive is opened from a private temporary copy, not from memory:
/// ZIPFoundation's in-memory backend traps when a damaged archive points past its end.
///
/// Positions: Word has no lines of its own, so the map's original is a synthetic text with one
/// line per paragraph (`w:p`, empty ones included) or per table row (`w:tr`, its cells' text joined
/// by TAB) in document order. A finding's line is the ordinal of its paragraph or table row, its
/// column the character in that paragraph or row. In the synthetic text a manual line break
/// (`w:br`, `w:cr`) is a space and a `w:tab` a TAB; inside a table cell, paragraphs and line
/// breaks are joined (by nothing between Chinese characters, by a space between ASCII words) and
/// a TAB is a space. Automatic list numbering is not generated, only the document's own text.
///
/// The view: paragraphs as lines (a manual line break starts a new view line), tables in the
/// template layout. A cell spanning columns (`w:gridSpan`) appears once; a vertically merged cell
/// appears once, in the row where the merge starts; the `continue` cells below it are left out.
/// Deleted text (`w:del`), field codes, text boxes and `mc:Fallback` content are not read.
enum DocxReader {
    /// Largest uncompressed main part read (a ZIP bomb stops here).
    static let maximumPartBytes = 256 << 20

    static func read(_ bytes: [UInt8]) -> Result<ReadInput, InputFailure> {
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            return .failure(.unsupported("这是旧版 Word（.doc）文件或加密的 .docx 文件，不是 .docx（ZIP）格式；请在 Word 中另存为未加密的 .docx"))
        }
        guard bytes.starts(with: [0x50, 0x4B]) else {
            return .failure(.unsupported("不是有效的 .docx 文件：内容不是 ZIP 压缩包"))
        }
        let xml: Data
        do {
            let read = try TemporaryDirectory.with("docx") { directory -> Result<Data, InputFailure> in
                let url = directory.appendingPathComponent("input.docx")
                try TemporaryDirectory.write(bytes, to: url)
                return mainPart(of: url)
            }
            switch read {
            case .success(let data): xml = data
            case .failure(let failure): return .failure(failure)
            }
        } catch let failure as TemporaryDirectory.Failure {
            return .failure(.unsupported("无法读取 .docx：\(failure.message)"))
        } catch {
            return .failure(.unsupported("无法读取 .docx：\(error)"))
        }
        guard let xml = sanitized(xml) else {
            return .failure(.unsupported("不是有效的 .docx 文件：Word 正文 XML 不是有效的 UTF-8"))
        }
        let handler = DocumentHandler()
        let parser = XMLParser(data: xml)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = handler
        let parsed = parser.parse()
        guard parsed, handler.error == nil, handler.finished else {
            let reason = (handler.error ?? parser.parserError).map { "\($0.localizedDescription)" } ?? "文档不完整（没有 </w:document>）"
            return .failure(.unsupported("不是有效的 .docx 文件：Word 正文 XML 无法解析（第 \(parser.lineNumber) 行：\(reason)）"))
        }
        let (original, blocks) = DocxLayout.layout(handler.items)
        let view = ViewBuilder.render(blocks)
        return .success(ReadInput(view: SourceText(bytes: view.bytes),
                                  map: SourceMap(original: SourceText(bytes: original), segments: view.segments), encoding: nil))
    }

    /// The main document part's XML, from the package in `url`.
    static func mainPart(of url: URL) -> Result<Data, InputFailure> {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            return .failure(.unsupported("不是有效的 .docx 文件：无法打开 ZIP 压缩包（\(error)）"))
        }
        let partPath = mainPartPath(archive)
        guard let entry = archive[partPath] ?? archive["word/document.xml"] else {
            return .failure(.unsupported("不是有效的 .docx 文件：压缩包中没有 Word 正文（\(partPath)）"))
        }
        return extract(entry, from: archive)
    }

    /// The officeDocument target of the package relationships, else the usual path.
    static func mainPartPath(_ archive: Archive) -> String {
        guard let rels = archive["_rels/.rels"], case .success(let data) = extract(rels, from: archive, limit: 1 << 20) else {
            return "word/document.xml"
        }
        guard let data = sanitized(data) else { return "word/document.xml" }
        let handler = RelationshipsHandler()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = handler
        guard parser.parse(), var target = handler.officeDocument else { return "word/document.xml" }
        while target.hasPrefix("/") { target.removeFirst() }
        return target.isEmpty ? "word/document.xml" : target
    }

    /// The XML as valid UTF-8 with no encoding declaration, or nil.
    ///
    /// Foundation's `XMLParser` runs libxml2 in recovery mode and force-unwraps each element and
    /// attribute name as UTF-8, so a damaged name traps. Valid UTF-8 input (UTF-16 is converted,
    /// and the declaration, which could name another encoding, is blanked out with spaces, keeping
    /// line numbers) gives only valid names.
    static func sanitized(_ data: Data) -> Data? {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard case .success(let (utf8, _)) = TextDecoder.decode(bytes) else { return nil }
            bytes = utf8
        } else if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        guard TextDecoder.isValidUTF8(bytes), !bytes.contains(0) else { return nil }
        if bytes.starts(with: Array("<?xml".utf8)), let end = HTMLCharset.find(Array("?>".utf8), in: bytes, from: 5) {
            for i in 0..<(end + 2) where bytes[i] != 0x0A { bytes[i] = 0x20 }
        }
        return Data(bytes)
    }

    struct TooLarge: Error {}

    static func extract(_ entry: Entry, from archive: Archive, limit: Int = maximumPartBytes) -> Result<Data, InputFailure> {
        guard entry.type == .file else {
            return .failure(.unsupported("不是有效的 .docx 文件：\(entry.path) 不是普通文件"))
        }
        guard entry.uncompressedSize <= UInt64(limit) else {
            return .failure(.unsupported("不是可读取的 .docx 文件：\(entry.path) 解压后超过 \(limit >> 20) MiB"))
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= limit else { throw TooLarge() }
                data.append(chunk)
            }
        } catch is TooLarge {
            return .failure(.unsupported("不是可读取的 .docx 文件：\(entry.path) 解压后超过 \(limit >> 20) MiB"))
        } catch {
            return .failure(.unsupported("不是有效的 .docx 文件：无法解压 \(entry.path)（\(error)）"))
        }
        return .success(data)
    }
}

/// One paragraph or table of the document body, as read.
enum DocxItem: Sendable {
    case paragraph([Unicode.Scalar])
    case table([[DocxCell]])
}

struct DocxCell: Sendable {
    enum VerticalMerge: Sendable { case none, restart, `continue` }
    /// The cell's paragraphs joined by `ViewTextRules.joinMarker`, line breaks as join markers too.
    var text: [Unicode.Scalar] = []
    var gridSpan = 1
    var verticalMerge = VerticalMerge.none
}

/// Marks a manual line break in a paragraph until layout.
let docxLineBreak: Unicode.Scalar = "\u{E001}"

/// Collects the body's paragraphs and tables from `XMLParser` events.
final class DocumentHandler: NSObject, XMLParserDelegate {
    private(set) var items: [DocxItem] = []

    private struct TableState {
        var rows: [[DocxCell]] = []
        var row: [DocxCell]?
        var cell: DocxCell?
    }

    /// The root `w:document` was closed: the XML was read to its end.
    private(set) var finished = false
    private(set) var error: Error?

    private var tables: [TableState] = []
    private var paragraph: [Unicode.Scalar]?
    private var skipDepth = 0
    private var inText = false

    /// Elements whose content is not part of the document's text.
    static let skipped: Set<String> = ["del", "moveFrom", "Fallback", "txbxContent", "instrText", "delText", "pPr", "rPr", "sectPr",
                                       "footnotePr", "endnotePr"]

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes attributeDict: [String: String] = [:]) {
        let name = Self.localName(elementName)
        if skipDepth > 0 || Self.skipped.contains(name) {
            skipDepth += 1
            return
        }
        switch name {
        case "p":
            if paragraph == nil { paragraph = [] } else { paragraph!.append(docxLineBreak) }
        case "t":
            inText = true
        case "tab", "ptab":
            // A tab stop inside a run; `w:tabs` (in pPr) is skipped with the paragraph properties.
            paragraph?.append("\t")
        case "br", "cr":
            paragraph?.append(docxLineBreak)
        case "noBreakHyphen":
            paragraph?.append("-")
        case "tbl":
            tables.append(TableState())
        case "tr":
            if !tables.isEmpty { tables[tables.count - 1].row = [] }
        case "tc":
            if !tables.isEmpty { tables[tables.count - 1].cell = DocxCell() }
        case "gridSpan":
            if !tables.isEmpty, tables[tables.count - 1].cell != nil, let value = Self.value(attributeDict).flatMap({ Int($0) }) {
                tables[tables.count - 1].cell!.gridSpan = min(max(1, value), HTMLReader.maximumSpan)
            }
        case "vMerge":
            if !tables.isEmpty, tables[tables.count - 1].cell != nil {
                tables[tables.count - 1].cell!.verticalMerge = Self.value(attributeDict) == "restart" ? .restart : .continue
            }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if skipDepth > 0 {
            skipDepth -= 1
            return
        }
        switch Self.localName(elementName) {
        case "document":
            finished = true
        case "t":
            inText = false
        case "p":
            guard let text = paragraph else { return }
            paragraph = nil
            if !tables.isEmpty, tables[tables.count - 1].cell != nil {
                var cell = tables[tables.count - 1].cell!
                if !cell.text.isEmpty { cell.text.append(ViewTextRules.joinMarker) }
                cell.text += text.map { $0 == docxLineBreak ? ViewTextRules.joinMarker : $0 == "\t" ? " " : $0 }
                tables[tables.count - 1].cell = cell
            } else if tables.isEmpty {
                items.append(.paragraph(text))
            }
        case "tc":
            guard !tables.isEmpty, let cell = tables[tables.count - 1].cell else { return }
            tables[tables.count - 1].cell = nil
            if tables[tables.count - 1].row == nil { tables[tables.count - 1].row = [] }
            tables[tables.count - 1].row!.append(cell)
        case "tr":
            guard !tables.isEmpty, let row = tables[tables.count - 1].row else { return }
            tables[tables.count - 1].row = nil
            tables[tables.count - 1].rows.append(row)
        case "tbl":
            guard let table = tables.popLast() else { return }
            if tables.isEmpty {
                items.append(.table(table.rows))
            } else if tables[tables.count - 1].cell != nil {
                // A table inside a cell: its text becomes part of the cell.
                var cell = tables[tables.count - 1].cell!
                for row in table.rows {
                    for inner in row where !inner.text.isEmpty {
                        if !cell.text.isEmpty { cell.text.append(ViewTextRules.joinMarker) }
                        cell.text += inner.text
                    }
                }
                tables[tables.count - 1].cell = cell
            }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard inText, skipDepth == 0, paragraph != nil else { return }
        paragraph!.append(contentsOf: string.unicodeScalars)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if error == nil { error = parseError }
    }

    func parser(_ parser: XMLParser, foundIgnorableWhitespace whitespaceString: String) {
        self.parser(parser, foundCharacters: whitespaceString)
    }

    static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    static func value(_ attributes: [String: String]) -> String? {
        attributes["w:val"] ?? attributes["val"] ?? attributes.first { localName($0.key) == "val" }?.value
    }
}

/// Finds the officeDocument relationship in `_rels/.rels`.
final class RelationshipsHandler: NSObject, XMLParserDelegate {
    private(set) var officeDocument: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes attributeDict: [String: String] = [:]) {
        guard officeDocument == nil, DocumentHandler.localName(elementName) == "Relationship",
              let type = attributeDict["Type"], type.hasSuffix("/officeDocument"), let target = attributeDict["Target"] else { return }
        officeDocument = target
    }
}

/// Writes the synthetic original (one line per paragraph or table row) and the view blocks.
enum DocxLayout {
    static func layout(_ items: [DocxItem]) -> ([UInt8], [ViewBlock]) {
        var original: [UInt8] = []
        var blocks: [ViewBlock] = []

        /// Appends scalars to the original and returns a piece for each.
        func write(_ scalars: [Unicode.Scalar]) -> [Piece] {
            var pieces: [Piece] = []
            pieces.reserveCapacity(scalars.count)
            for scalar in scalars {
                let start = original.count
                UTF8.encode(scalar) { original.append($0) }
                pieces.append(Piece(scalar: scalar, original: start, originalLength: original.count - start))
            }
            return pieces
        }

        for (index, item) in items.enumerated() {
            if index > 0 { original.append(0x0A) }
            switch item {
            case .paragraph(let text):
                // Original: breaks as spaces; view: breaks start new lines, TABs are spaces.
                let pieces = write(text.map { $0 == docxLineBreak ? " " : $0 })
                var lines: [[Piece]] = [[]]
                for (scalar, piece) in zip(text, pieces) {
                    if scalar == docxLineBreak {
                        lines.append([])
                    } else {
                        var p = piece
                        if scalar == "\t" || scalar == ViewTextRules.joinMarker { p.scalar = " " }
                        lines[lines.count - 1].append(p)
                    }
                }
                blocks.append(.paragraph(lines.map { ViewTextRules.trim($0) }))
            case .table(let rows):
                var viewRows: [[ViewCell]] = []
                for (r, row) in rows.enumerated() {
                    if r > 0 { original.append(0x0A) }
                    var viewRow: [ViewCell] = []
                    for (c, cell) in row.enumerated() {
                        if c > 0 { original.append(0x09) }
                        // Resolve joins first (offsets are indexes), then write the text as joined.
                        let indexed = cell.text.enumerated().map { Piece(scalar: $0.element, original: $0.offset, originalLength: 1) }
                        let text = ViewTextRules.finish(indexed, collapse: false).map(\.scalar)
                        let anchor = original.count
                        let pieces = write(text)
                        if cell.verticalMerge != .continue { viewRow.append(ViewCell(pieces: pieces, anchor: anchor)) }
                    }
                    viewRows.append(viewRow)
                }
                blocks.append(.table(viewRows))
            }
        }
        return (original, blocks)
    }
}
