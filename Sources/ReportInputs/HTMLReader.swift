import CLibXML2
import ReportModel

/// Reads an HTML page or fragment with the system libxml2 HTML parser.
///
/// The bytes are decoded first (BOM, then `<meta charset>`/`http-equiv`, then UTF-8/GB18030
/// detection), and libxml2 is handed UTF-8 with the encoding forced, so the map's original is the
/// decoded page and its lines are the page's lines. The view is the template layout: each block
/// (`<p>`, `<div>`, `<h1>`…) a paragraph, `<br>` a line break; each data table written cell per
/// line with `colspan`/`rowspan` resolved on a grid, a merged cell once, in the first row and
/// column it covers. `<head>`, scripts, styles, navigation and hidden elements are left out.
enum HTMLReader {
    /// Largest input handed to libxml2 (its sizes are 32-bit).
    static let maximumBytes = InputReader.maximumTextBytes
    /// Cap on `colspan` and `rowspan`: a cell spanning 65,535 columns is a typo, not a table.
    static let maximumSpan = 1000

    static func read(_ bytes: [UInt8]) -> Result<ReadInput, InputFailure> {
        guard bytes.count <= maximumBytes else {
            return .failure(.unsupported("HTML 文件过大（\(bytes.count / (1 << 20)) MiB），超过 \(maximumBytes >> 20) MiB 的上限"))
        }
        let decoded: (bytes: [UInt8], encoding: TextEncoding?)
        switch HTMLCharset.decode(bytes) {
        case .success(let d): decoded = d
        case .failure(let failure): return .failure(failure)
        }
        // libxml2 ends the document at a NUL byte: read one as a space (same length, so positions hold).
        var text = decoded.bytes
        if text.contains(0) { for i in text.indices where text[i] == 0 { text[i] = 0x20 } }
        let original = SourceText(bytes: text)
        libxml2Ready()
        let options = Int32(bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        var walker = HTMLWalker(aligner: SourceAligner(source: original))
        if let doc = parse(text, options: options) {
            defer { xmlFreeDoc(doc) }
            walker.walkDocument(doc)
        }
        let view = walker.view
        return .success(ReadInput(view: SourceText(bytes: view.bytes), map: SourceMap(original: original, segments: view.segments),
                                  encoding: decoded.encoding))
    }
}

extension HTMLReader {
    /// Parses UTF-8 with libxml2's HTML parser; nil for empty input.
    ///
    /// `XML_PARSE_HUGE` lifts libxml2's limit of 256 nested elements, which would otherwise stop
    /// the parse (and lose the rest of the page) on pages with many unclosed `<font>` or `<span>`
    /// tags. libxml2 parses and frees without recursion, and the walk below keeps its own stack.
    static func parse(_ utf8: [UInt8], options: Int32) -> htmlDocPtr? {
        guard !utf8.isEmpty, let ctxt = htmlNewParserCtxt() else { return nil }
        defer { htmlFreeParserCtxt(ctxt) }
        _ = htmlCtxtUseOptions(ctxt, options)
        let huge = Int32(bitPattern: XML_PARSE_HUGE.rawValue)
        ctxt.pointee.options |= huge
        return utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlCtxtReadMemory(ctxt, $0, Int32(buf.count), nil, "UTF-8", options | huge)
            }
        }
    }
}

/// libxml2 must be initialized once before threads use it.
private let libxml2Initialized: Bool = {
    xmlInitParser()
    return true
}()

func libxml2Ready() { _ = libxml2Initialized }

typealias XMLNode = UnsafeMutablePointer<xmlNode>

/// Walks the parsed tree without recursion (a page may nest elements arbitrarily deep) and
/// writes the view block by block.
struct HTMLWalker {
    var aligner: SourceAligner
    private(set) var view = ViewBuilder()
    private var lines: [[Piece]] = []
    private var current: [Piece] = []
    private var preDepth = 0

    init(aligner: SourceAligner) {
        self.aligner = aligner
    }

    static let skipped: Set<String> = ["head", "title", "script", "style", "noscript", "template", "nav", "select", "option", "button",
                                       "textarea", "iframe", "object", "embed", "svg", "math", "canvas", "audio", "video", "map", "input"]
    static let blockElements: Set<String> = ["address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
                                             "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
                                             "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
                                             "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
                                             "ul", "listing", "xmp", "plaintext"]
    static let cellTags: Set<[UInt8]> = [Array("td".utf8), Array("th".utf8)]

    // MARK: - Nodes

    static func name(_ node: XMLNode) -> String {
        guard let raw = node.pointee.name else { return "" }
        return String(cString: raw).lowercased()
    }

    static func isElement(_ node: XMLNode) -> Bool { node.pointee.type == XML_ELEMENT_NODE }
    static func isText(_ node: XMLNode) -> Bool { node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE }

    static func attribute(_ node: XMLNode, _ wanted: String) -> String? {
        var attr = node.pointee.properties
        while let a = attr {
            if let n = a.pointee.name, String(cString: n).lowercased() == wanted {
                var value = ""
                var child = a.pointee.children
                while let c = child {
                    if let content = c.pointee.content { value += String(cString: content) }
                    child = c.pointee.next
                }
                return value
            }
            attr = a.pointee.next
        }
        return nil
    }

    static func line(_ node: XMLNode) -> Int { Int(xmlGetLineNo(node)) }

    static func children(_ node: XMLNode) -> [XMLNode] {
        var out: [XMLNode] = []
        var child = node.pointee.children
        while let c = child {
            out.append(c)
            child = c.pointee.next
        }
        return out
    }

    static func text(_ node: XMLNode) -> [Unicode.Scalar] {
        guard let content = node.pointee.content else { return [] }
        return Array(String(cString: content).unicodeScalars)
    }

    /// Elements a reader does not see: navigation, scripts, hidden content, the site's own header
    /// and footer (a `<header>`/`<footer>` outside the article, or with the landmark roles).
    static func isSkipped(_ node: XMLNode, name: String) -> Bool {
        if skipped.contains(name) { return true }
        if attribute(node, "hidden") != nil { return true }
        if let role = attribute(node, "role")?.lowercased(), ["navigation", "banner", "contentinfo", "search"].contains(role) { return true }
        if name == "header" || name == "footer" {
            var parent = node.pointee.parent
            while let p = parent, isElement(p) {
                if ["article", "main", "section"].contains(Self.name(p)) { return false }
                parent = p.pointee.parent
            }
            return true
        }
        // The page header and footer of a word processor's export: LibreOffice writes
        // `<div title="footer">`, Word `<div style="mso-element:footer">`. A page number is not report text.
        if name == "div", let title = attribute(node, "title")?.lowercased(), title == "header" || title == "footer" { return true }
        if let style = attribute(node, "style")?.lowercased().filter({ !$0.isWhitespace }),
           style.contains("display:none") || style.contains("visibility:hidden")
            || style.contains("mso-element:header") || style.contains("mso-element:footer") {
            return true
        }
        return false
    }

    /// Moves the aligner past the text of a skipped element, so that later text is not looked for
    /// inside it. Script and style bodies are skipped as markup by the aligner itself.
    mutating func pass(over node: XMLNode) {
        let name = Self.name(node)
        if name == "script" || name == "style" { return }
        var stack = Self.children(node).reversed() as [XMLNode]
        while let n = stack.popLast() {
            if Self.isText(n) {
                let text = Self.text(n)
                if text.contains(where: { !ViewTextRules.isCollapsible($0) }) {
                    _ = aligner.align(text, line: Self.line(n.pointee.parent ?? node))
                }
            } else if Self.isElement(n) {
                let childName = Self.name(n)
                if childName == "script" || childName == "style" { continue }
                stack.append(contentsOf: Self.children(n).reversed())
            }
        }
    }

    // MARK: - Prose

    mutating func flushLine() {
        let finished = ViewTextRules.finish(current, collapse: preDepth == 0)
        if !finished.isEmpty { lines.append(finished) }
        current = []
    }

    mutating func flushParagraph() {
        flushLine()
        if !lines.isEmpty { view.add(.paragraph(lines)) }
        lines = []
    }

    mutating func appendText(_ node: XMLNode) {
        let text = Self.text(node)
        guard !text.isEmpty else { return }
        let pieces: [Piece]
        if text.allSatisfy(ViewTextRules.isCollapsible) {
            let at = aligner.cursor
            pieces = text.map { Piece(scalar: $0, original: at, originalLength: 0) }
        } else {
            pieces = aligner.align(text, line: Self.line(node.pointee.parent ?? node))
        }
        guard preDepth > 0 else {
            current.append(contentsOf: pieces)
            return
        }
        for piece in pieces {
            if piece.scalar == "\n" { flushLine() } else { current.append(piece) }
        }
    }

    mutating func walkDocument(_ doc: htmlDocPtr) {
        var stack: [(XMLNode, Bool)] = []
        var child = doc.pointee.children
        var top: [XMLNode] = []
        while let c = child {
            top.append(c)
            child = c.pointee.next
        }
        for node in top.reversed() { stack.append((node, false)) }
        while let (node, exiting) = stack.popLast() {
            if Self.isText(node) {
                appendText(node)
                continue
            }
            guard Self.isElement(node) else { continue }
            let name = Self.name(node)
            if exiting {
                if name == "pre" { preDepth -= 1 }
                if Self.blockElements.contains(name) { flushParagraph() }
                continue
            }
            if Self.isSkipped(node, name: name) {
                pass(over: node)
                continue
            }
            if name == "br" {
                flushLine()
                continue
            }
            if name == "table", let table = TableClassifier.dataTable(node) {
                flushParagraph()
                emit(table)
                continue
            }
            if Self.blockElements.contains(name) { flushParagraph() }
            if name == "pre" { preDepth += 1 }
            stack.append((node, true))
            for c in Self.children(node).reversed() { stack.append((c, false)) }
        }
        flushParagraph()
    }

    // MARK: - Tables

    struct SourceCell {
        var pieces: [Piece]
        var anchor: Int
        var colspan: Int
        var rowspan: Int
    }

    /// Writes a data table: its caption as a paragraph, then its rows on the grid.
    mutating func emit(_ table: TableClassifier.DataTable) {
        var rows: [[SourceCell]] = []
        for item in table.items {
            switch item {
            case .caption(let node):
                let pieces = ViewTextRules.finish(collect(node))
                if !pieces.isEmpty { view.add(.paragraph([pieces])) }
            case .row(let cells):
                var row: [SourceCell] = []
                for cell in cells {
                    let located = aligner.locateStartTag(Self.cellTags, line: Self.line(cell))
                    let raw = collect(cell)
                    let anchor = raw.first(where: { $0.originalLength > 0 })?.original ?? located ?? aligner.cursor
                    row.append(SourceCell(pieces: ViewTextRules.finish(raw), anchor: anchor,
                                          colspan: Self.span(cell, "colspan"), rowspan: Self.span(cell, "rowspan")))
                }
                rows.append(row)
            }
        }
        view.add(.table(TableGrid.layout(rows)))
    }

    static func span(_ node: XMLNode, _ name: String) -> Int {
        guard let text = attribute(node, name) else { return 1 }
        // Leading digits, as browsers read them ("2px" is 2); 0 and junk are 1 here.
        var value = 0
        for c in text.utf8.drop(while: { $0 == 0x20 }) {
            guard c >= 0x30 && c <= 0x39 else { break }
            value = min(value * 10 + Int(c - 0x30), HTMLReader.maximumSpan)
        }
        return max(1, value)
    }

    /// The text of a cell or caption, with `<br>` and block boundaries as soft joins.
    mutating func collect(_ root: XMLNode) -> [Piece] {
        var out: [Piece] = []
        var stack: [(XMLNode, Bool)] = Self.children(root).reversed().map { ($0, false) }
        while let (node, exiting) = stack.popLast() {
            if Self.isText(node) {
                let text = Self.text(node)
                if text.allSatisfy(ViewTextRules.isCollapsible) {
                    let at = aligner.cursor
                    out += text.map { Piece(scalar: $0, original: at, originalLength: 0) }
                } else {
                    out += aligner.align(text, line: Self.line(node.pointee.parent ?? root))
                }
                continue
            }
            guard Self.isElement(node) else { continue }
            let name = Self.name(node)
            let join = Piece(scalar: ViewTextRules.joinMarker, original: aligner.cursor, originalLength: 0)
            if exiting {
                if Self.blockElements.contains(name) { out.append(join) }
                continue
            }
            if Self.isSkipped(node, name: name) {
                pass(over: node)
                continue
            }
            if name == "br" {
                out.append(join)
                continue
            }
            if Self.blockElements.contains(name) { out.append(join) }
            stack.append((node, true))
            for c in Self.children(node).reversed() { stack.append((c, false)) }
        }
        return out
    }
}

/// Tells data tables from tables used for page layout, and lists a data table's rows and cells.
enum TableClassifier {
    enum Item {
        case caption(XMLNode)
        case row([XMLNode])
    }

    struct DataTable {
        var items: [Item]
    }

    /// Nodes looked at before a table is taken for layout: report tables are a few hundred cells.
    static let maximumNodes = 50_000

    /// The rows of a data table; nil for a layout table (one that holds another table, has a single
    /// cell, or has a cell with a long run of paragraphs), whose cells are read as prose.
    static func dataTable(_ table: XMLNode) -> DataTable? {
        var items: [Item] = []
        var cellCount = 0
        var visited = 0
        var stack: [XMLNode] = HTMLWalker.children(table).reversed()
        while let node = stack.popLast() {
            visited += 1
            if visited > maximumNodes { return nil }
            guard HTMLWalker.isElement(node) else { continue }
            let name = HTMLWalker.name(node)
            switch name {
            case "table": return nil
            case "caption": items.append(.caption(node))
            case "tr":
                let cells = HTMLWalker.children(node).filter { HTMLWalker.isElement($0) && ["td", "th"].contains(HTMLWalker.name($0)) }
                for cell in cells {
                    guard let (length, blocks) = measure(cell, visited: &visited) else { return nil }
                    if length > 300, blocks >= 2 { return nil }
                }
                cellCount += cells.count
                items.append(.row(cells))
            default:
                if HTMLWalker.isSkipped(node, name: name) { continue }
                stack.append(contentsOf: HTMLWalker.children(node).reversed())
            }
        }
        return cellCount > 1 ? DataTable(items: items) : nil
    }

    /// Text length and number of block elements in a cell; nil when it holds a table.
    static func measure(_ cell: XMLNode, visited: inout Int) -> (Int, Int)? {
        var length = 0, blocks = 0
        var stack: [XMLNode] = HTMLWalker.children(cell)
        while let node = stack.popLast() {
            visited += 1
            if visited > maximumNodes { return nil }
            if HTMLWalker.isText(node) {
                if let content = node.pointee.content { length += Int(xmlStrlen(content)) / 3 + 1 }
                continue
            }
            guard HTMLWalker.isElement(node) else { continue }
            let name = HTMLWalker.name(node)
            if name == "table" { return nil }
            if ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br"].contains(name) { blocks += 1 }
            stack.append(contentsOf: HTMLWalker.children(node))
        }
        return (length, blocks)
    }
}

/// Places cells on a grid by their spans, and writes each once, in its first row and column.
enum TableGrid {
    /// Rows of the cells that start in them, in column order. Occupied columns are kept as ranges,
    /// so a wide span costs nothing.
    static func layout(_ rows: [[HTMLWalker.SourceCell]]) -> [[ViewCell]] {
        // (first column, end column, rows still covered after the current one)
        var pending: [(Int, Int, Int)] = []
        var out: [[ViewCell]] = []
        for (r, row) in rows.enumerated() {
            var placed: [(Int, ViewCell)] = []
            var column = 0
            let covering = pending.filter { $0.2 > 0 }.sorted { $0.0 < $1.0 }
            var next: [(Int, Int, Int)] = covering.map { ($0.0, $0.1, $0.2 - 1) }
            for cell in row {
                // Skip columns covered by a cell from a row above.
                var moved = true
                while moved {
                    moved = false
                    for c in covering where c.0 <= column && column < c.1 {
                        column = c.1
                        moved = true
                    }
                }
                placed.append((column, ViewCell(pieces: cell.pieces, anchor: cell.anchor)))
                let remaining = min(cell.rowspan, rows.count - r) - 1
                if remaining > 0 { next.append((column, column + cell.colspan, remaining)) }
                column += cell.colspan
            }
            pending = next
            out.append(placed.sorted { $0.0 < $1.0 }.map(\.1))
        }
        return out
    }
}
