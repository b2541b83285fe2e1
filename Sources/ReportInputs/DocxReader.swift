import ReportModel

/// Reads a Word .docx report: the main document part (found through `_rels/.rels`, usually
/// `word/document.xml`) is inflated from the ZIP archive in memory (`ZipArchive`, the system
/// zlib) and streamed through libxml2's SAX parser (`XMLStream`) piece by piece, so neither the
/// inflated XML nor a temporary copy of the archive is ever held: what is kept is the document's
/// text, bounded like every input's (`InputReader.maximumTextBytes`).
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
    /// Largest inflated main part read (a ZIP bomb stops here). Streamed: this bounds the time
    /// spent, not the memory.
    static let maximumPartBytes = 256 << 20

    static func read(_ bytes: [UInt8]) -> Result<ReadInput, InputFailure> {
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            return .failure(.unsupported("这是旧版 Word（.doc）文件或加密的 .docx 文件，不是 .docx（ZIP）格式；请在 Word 中另存为未加密的 .docx"))
        }
        guard bytes.starts(with: [0x50, 0x4B]) else {
            return .failure(.unsupported("不是有效的 .docx 文件：内容不是 ZIP 压缩包"))
        }
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes)
        } catch {
            return .failure(.unsupported("不是有效的 .docx 文件：无法打开 ZIP 压缩包（\(error.message)）"))
        }
        let partPath = mainPartPath(archive)
        guard let entry = archive[partPath] ?? archive["word/document.xml"] else {
            return .failure(.unsupported("不是有效的 .docx 文件：压缩包中没有 Word 正文（\(partPath)）"))
        }
        let handler = DocumentHandler()
        let stream = XMLStream(handler: handler)
        do {
            try archive.extract(entry, limit: maximumPartBytes) { stream.feed($0) }
        } catch {
            return .failure(failure(error, entry.path))
        }
        stream.finish()
        if handler.overLimit {
            return .failure(.unsupported("不是可读取的 .docx 文件：Word 正文的文字超过 \(InputReader.maximumTextBytes >> 20) MiB 的上限（年度报告的文字远小于此），已停止读取"))
        }
        if let failure = stream.failure {
            if failure.message.contains("not proper UTF-8") {
                return .failure(.unsupported("不是有效的 .docx 文件：Word 正文 XML 不是有效的 UTF-8（第 \(failure.line) 行）"))
            }
            return .failure(.unsupported("不是有效的 .docx 文件：Word 正文 XML 无法解析（第 \(failure.line) 行：\(failure.message)）"))
        }
        guard handler.finished else {
            return .failure(.unsupported("不是有效的 .docx 文件：Word 正文 XML 无法解析（第 \(stream.line) 行：文档不完整（没有 </w:document>））"))
        }
        let (original, blocks) = DocxLayout.layout(handler.items)
        let view = ViewBuilder.render(blocks)
        return .success(ReadInput(view: SourceText(bytes: view.bytes),
                                  map: SourceMap(original: SourceText(bytes: original), segments: view.segments), encoding: nil))
    }

    static func failure(_ error: ZipArchive.Failure, _ path: String) -> InputFailure {
        switch error {
        case .tooLarge: .unsupported("不是可读取的 .docx 文件：\(path) 解压后超过 \(maximumPartBytes >> 20) MiB")
        case .damaged(let why): .unsupported("不是有效的 .docx 文件：\(why)")
        case .archive(let why), .entry(let why): .unsupported("不是有效的 .docx 文件：无法解压 \(path)（\(why)）")
        }
    }

    /// The officeDocument target of the package relationships, else the usual path.
    static func mainPartPath(_ archive: ZipArchive) -> String {
        guard let rels = archive["_rels/.rels"] else { return "word/document.xml" }
        let handler = RelationshipsHandler()
        let stream = XMLStream(handler: handler)
        do {
            try archive.extract(rels, limit: 1 << 20) { stream.feed($0) }
        } catch {
            return "word/document.xml"
        }
        stream.finish()
        guard stream.failure == nil, var target = handler.officeDocument else { return "word/document.xml" }
        while target.hasPrefix("/") { target.removeFirst() }
        return target.isEmpty ? "word/document.xml" : target
    }
}

extension ZipArchive.Failure {
    var message: String {
        switch self {
        case .archive(let why), .entry(let why), .damaged(let why): why
        case .tooLarge: "解压后过大"
        }
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

/// Collects the body's paragraphs and tables from the XML events.
final class DocumentHandler: XMLStreamHandler {
    private(set) var items: [DocxItem] = []

    private struct TableState {
        var rows: [[DocxCell]] = []
        var row: [DocxCell]?
        var cell: DocxCell?
    }

    /// The root `w:document` was closed: the XML was read to its end.
    private(set) var finished = false
    /// The text kept passed the limit; reading stopped.
    private(set) var overLimit = false
    var stopped: Bool { overLimit }

    /// What the kept text will cost in the synthetic original: its UTF-8, and for each paragraph,
    /// row and cell `itemCost` bytes more (what the model of an empty line costs, so that a part of
    /// millions of empty paragraphs is bounded too).
    private var kept = 0
    let limit: Int
    static let itemCost = 16

    private var tables: [TableState] = []
    private var paragraph: [Unicode.Scalar]?
    private var skipDepth = 0
    private var inText = false

    init(limit: Int = InputReader.maximumTextBytes) {
        self.limit = limit
    }

    /// Elements whose content is not part of the document's text.
    static let skipped: Set<String> = ["del", "moveFrom", "Fallback", "txbxContent", "instrText", "delText", "pPr", "rPr", "sectPr",
                                       "footnotePr", "endnotePr"]

    private func keep(_ bytes: Int) {
        kept += bytes
        if kept > limit { overLimit = true }
    }

    func start(_ name: String, _ attributes: XMLAttributes) {
        if skipDepth > 0 || Self.skipped.contains(name) {
            skipDepth += 1
            return
        }
        switch name {
        case "p":
            if paragraph == nil { paragraph = [] } else { paragraph!.append(docxLineBreak) }
            keep(Self.itemCost)
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
            keep(Self.itemCost)
        case "tc":
            if !tables.isEmpty { tables[tables.count - 1].cell = DocxCell() }
            keep(Self.itemCost)
        case "gridSpan":
            if !tables.isEmpty, tables[tables.count - 1].cell != nil, let value = attributes.value("val").flatMap({ Int($0) }) {
                tables[tables.count - 1].cell!.gridSpan = min(max(1, value), HTMLReader.maximumSpan)
            }
        case "vMerge":
            if !tables.isEmpty, tables[tables.count - 1].cell != nil {
                tables[tables.count - 1].cell!.verticalMerge = attributes.value("val") == "restart" ? .restart : .continue
            }
        default:
            break
        }
    }

    func end(_ name: String) {
        if skipDepth > 0 {
            skipDepth -= 1
            return
        }
        switch name {
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

    func text(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard inText, skipDepth == 0, paragraph != nil else { return }
        keep(utf8.count)
        // libxml2 hands valid UTF-8.
        var decoder = UTF8()
        var bytes = utf8.makeIterator()
        while case .scalarValue(let scalar) = decoder.decode(&bytes) { paragraph!.append(scalar) }
    }
}

/// Finds the officeDocument relationship in `_rels/.rels`.
final class RelationshipsHandler: XMLStreamHandler {
    private(set) var officeDocument: String?
    var stopped: Bool { officeDocument != nil }

    func start(_ name: String, _ attributes: XMLAttributes) {
        guard officeDocument == nil, name == "Relationship",
              let type = attributes.value("Type"), type.hasSuffix("/officeDocument"), let target = attributes.value("Target") else { return }
        officeDocument = target
    }

    func end(_ name: String) {}
    func text(_ utf8: UnsafeBufferPointer<UInt8>) {}
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
                // Original: breaks as spaces; view: breaks start new lines, TABs are spaces. The
                // lines' pieces are made as the original is written (no second copy of them).
                var lines: [[Piece]] = [[]]
                lines[0].reserveCapacity(text.count)
                for scalar in text {
                    let start = original.count
                    UTF8.encode(scalar == docxLineBreak ? " " : scalar) { original.append($0) }
                    if scalar == docxLineBreak {
                        lines.append([])
                        continue
                    }
                    let shown: Unicode.Scalar = scalar == "\t" || scalar == ViewTextRules.joinMarker ? " " : scalar
                    lines[lines.count - 1].append(Piece(scalar: shown, original: start, originalLength: original.count - start))
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
