import ReportModel

/// Reads Markdown as document converters write it (pandoc, MinerU, docling): `#` headings,
/// `**bold**` sub-headings, pipe tables with a delimiter line, merged cells repeated (docling) or
/// left empty, and header levels folded into one cell with `<br>` (`申请人情况<br>法人或其他组织<br>商业企业`).
///
/// The view is the template layout (as for HTML): markup is left out, a table becomes rows of the
/// cells that start in that row, a folded header row becomes one row per level, a merged label
/// once. Positions map back to line and column in the Markdown file.
///
/// Hand-written: the Markdown parsers available as packages here (Ink) give no source positions,
/// and positions in the file are what findings must carry. Only the block forms above are read.
enum MarkdownReader {
    static func read(_ text: SourceText, encoding: TextEncoding?) -> ReadInput {
        let lines = splitLines(text.bytes)
        var blocks: [ViewBlock] = []
        var paragraph: [[Piece]] = []
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph)); paragraph = [] }
        }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if isTableRow(line), i + 1 < lines.count, isDelimiter(lines[i + 1]) {
                flush()
                var rows: [Row] = [cells(line)]
                i += 2
                while i < lines.count, isTableRow(lines[i]) { rows.append(cells(lines[i])); i += 1 }
                blocks.append(.table(layout(rows)))
                continue
            }
            let content = ViewTextRules.trim(stripMarkup(line))
            if content.isEmpty {
                flush()
            } else if isHeading(line) || isTableRow(line) {
                flush()
                blocks.append(.paragraph([content]))
            } else {
                paragraph.append(content)
            }
            i += 1
        }
        flush()
        let view = ViewBuilder.render(blocks)
        return ReadInput(view: SourceText(bytes: view.bytes), map: SourceMap(original: text, segments: view.segments), encoding: encoding)
    }

    /// Each line as pieces (scalars with their byte offsets), line breaks left out.
    static func splitLines(_ bytes: [UInt8]) -> [[Piece]] {
        var lines: [[Piece]] = [[]]
        for piece in ViewTextRules.pieces(of: bytes) {
            if piece.scalar == "\n" { lines.append([]) } else if piece.scalar != "\r" { lines[lines.count - 1].append(piece) }
        }
        return lines
    }

    static func leading(_ line: [Piece]) -> ArraySlice<Piece> {
        var s = 0
        while s < line.count, line[s].scalar == " " || line[s].scalar == "\t" { s += 1 }
        return line[s...]
    }

    static func isHeading(_ line: [Piece]) -> Bool { leading(line).first?.scalar == "#" }

    static func isTableRow(_ line: [Piece]) -> Bool { leading(line).first?.scalar == "|" }

    /// `|---|:---:|` (only pipes, dashes, colons and spaces, with at least one dash).
    static func isDelimiter(_ line: [Piece]) -> Bool {
        let body = leading(line)
        guard body.first?.scalar == "|" else { return false }
        var dash = false
        for p in body {
            switch p.scalar {
            case "-": dash = true
            case "|", ":", " ", "\t": continue
            default: return false
            }
        }
        return dash
    }

    /// The line without heading marks, emphasis marks and a `<br>`.
    static func stripMarkup(_ line: [Piece]) -> [Piece] {
        var body = Array(leading(line))
        if body.first?.scalar == "#" {
            var k = 0
            while k < body.count, body[k].scalar == "#" { k += 1 }
            body = Array(body[k...])
        }
        var out: [Piece] = []
        var k = 0
        while k < body.count {
            let s = body[k].scalar
            if s == "*" || s == "_" && k + 1 < body.count && body[k + 1].scalar == "_" { k += 1; continue }
            if s == "<", let end = breakTag(body, at: k) { k = end; continue }
            out.append(body[k])
            k += 1
        }
        return out
    }

    /// The end of a `<br>`, `<br/>` or `<br />` at `k`.
    static func breakTag(_ pieces: [Piece], at k: Int) -> Int? {
        for tag in ["<br>", "<br/>", "<br />"] {
            let scalars = Array(tag.unicodeScalars)
            guard k + scalars.count <= pieces.count else { continue }
            if (0..<scalars.count).allSatisfy({ pieces[k + $0].scalar.properties.lowercaseMapping == String(scalars[$0]) }) {
                return k + scalars.count
            }
        }
        return nil
    }

    /// A pipe-table row: its cells (a `<br>` kept as a join marker), and where each cell starts
    /// in the file (what an empty cell is reported at).
    struct Row {
        var cells: [[Piece]]
        var anchors: [Int]
    }

    /// The cells of a pipe-table row, trimmed.
    static func cells(_ line: [Piece]) -> Row {
        var body = Array(leading(line))
        if body.first?.scalar == "|" { body.removeFirst() }
        while let last = body.last, last.scalar == " " || last.scalar == "\t" { body.removeLast() }
        if body.last?.scalar == "|" { body.removeLast() }
        var out: [[Piece]] = []
        var anchors: [Int] = [body.first?.original ?? line.first?.original ?? 0]
        var current: [Piece] = []
        var k = 0
        while k < body.count {
            let p = body[k]
            if p.scalar == "\\", k + 1 < body.count, body[k + 1].scalar == "|" {
                current.append(body[k + 1]); k += 2; continue
            }
            if p.scalar == "|" {
                out.append(current); current = []
                anchors.append(p.originalEnd)
                k += 1
                continue
            }
            if p.scalar == "<", let end = breakTag(body, at: k) {
                current.append(Piece(scalar: ViewTextRules.joinMarker, original: p.original, originalLength: 0))
                k = end
                continue
            }
            if p.scalar != "*" { current.append(p) }
            k += 1
        }
        out.append(current)
        return Row(cells: out.map { ViewTextRules.trim($0) }, anchors: anchors)
    }

    static func parts(_ cell: [Piece]) -> [[Piece]] {
        var out: [[Piece]] = [[]]
        for p in cell {
            if p.scalar == ViewTextRules.joinMarker { out.append([]) } else { out[out.count - 1].append(p) }
        }
        return out.map { ViewTextRules.trim($0) }.filter { !$0.isEmpty }
    }

    static func text(_ pieces: [Piece]) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: pieces.map(\.scalar))
        return String(s)
    }

    /// The templates' column headings: a row holding one is a header row.
    static let headerWords: Set<String> = {
        var words = Set(Templates.applicantColumns + Templates.reviewColumns + Templates.reviewGroups)
        words.formUnion(Templates.t4HeaderWords)
        words.formUnion(["申请人情况", "法人或其他组织", "信息内容"])
        for blocks in Templates.t2Blocks.values { for block in blocks { words.formUnion(block.columns) } }
        return words
    }()

    static func isValue(_ pieces: [Piece]) -> Bool {
        pieces.isEmpty || pieces.allSatisfy { ("0"..."9").contains($0.scalar) || ".,-—/／ 无".unicodeScalars.contains($0.scalar) }
    }

    /// Rows of the cells that start in them: folded header rows unfolded by level, a label repeated
    /// to its right or below (a merged cell) kept once, an empty label position dropped. Empty value
    /// cells stay: they are blank counts.
    static func layout(_ rows: [Row]) -> [[ViewCell]] {
        var expanded: [[[Piece]]] = []
        var expandedAnchors: [[Int]] = []
        for table in rows {
            let row = table.cells
            let split = row.map(parts)
            let depth = split.map(\.count).max() ?? 0
            let isHeader = row.allSatisfy { !isValue($0) || $0.isEmpty } && row.contains { !$0.isEmpty }
            guard isHeader, depth > 1 else {
                // A data cell written on several lines is one text.
                expanded.append(row.map { $0.filter { $0.scalar != ViewTextRules.joinMarker } })
                expandedAnchors.append(table.anchors)
                continue
            }
            // One row per level; a part in parentheses (`（单位：万元）`) belongs to the part before it.
            let joined: [[[Piece]]] = split.map { cellParts in
                var out: [[Piece]] = []
                for part in cellParts {
                    if part.first?.scalar == "（" || part.first?.scalar == "(", !out.isEmpty { out[out.count - 1] += part } else { out.append(part) }
                }
                return out
            }
            let levels = joined.map(\.count).max() ?? 0
            for level in 0..<levels {
                expanded.append(joined.map { level < $0.count ? $0[level] : [] })
                expandedAnchors.append(table.anchors)
            }
        }
        // Label columns: those before the first count of any data row (a label merged across three
        // columns leaves two empty cells, which are no blank counts).
        func isCount(_ cell: [Piece]) -> Bool { !cell.isEmpty && isValue(cell) }
        var labelWidth = expanded.compactMap { $0.firstIndex(where: isCount) }.min() ?? Int.max
        var blankTable = false
        if labelWidth == Int.max {
            // Not one count (every zero written as a blank cell): the label columns are those in which
            // a row that is not a header has text; the rest of each such row is blank cells.
            let texts = expanded.map { $0.map(text) }
            let bodies = texts.filter { !$0.contains(where: { headerWords.contains($0) }) }
            let widest = bodies.compactMap { $0.lastIndex(where: { !$0.isEmpty }) }.max()
            if texts.contains(where: { $0.contains(where: { headerWords.contains($0) }) }) {
                labelWidth = (widest ?? -1) + 1
                blankTable = true
            }
        }
        var out: [[ViewCell]] = []
        var above: [String] = []
        for (index, row) in expanded.enumerated() {
            let anchors = expandedAnchors[index]
            let texts = row.map(text)
            let isData = row.contains(where: isCount) || blankTable && !texts.contains(where: { headerWords.contains($0) })
            var cells: [ViewCell] = []
            for (column, cell) in row.enumerated() {
                let t = texts[column]
                let anchor = cell.first?.original ?? (column < anchors.count ? anchors[column] : 0)
                if !isData || column < labelWidth {
                    // Label positions: empty (a merge left blank), repeated to the left, or repeated from above.
                    if t.isEmpty { continue }
                    if column > 0, texts[column - 1] == t { continue }
                    if column < above.count, above[column] == t { continue }
                }
                cells.append(ViewCell(pieces: cell, anchor: anchor))
            }
            above = texts
            if !cells.isEmpty { out.append(cells) }
        }
        return out
    }
}
