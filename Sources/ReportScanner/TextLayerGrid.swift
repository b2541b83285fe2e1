import ReportModel

/// The columns of a table in a PDF text layer, for rows whose blank cells printed nothing.
///
/// `pdftotext -layout` sets every character on a grid, so a cell's number stands at the same
/// column on every row of a page (the grid differs from page to page). A row with fewer numbers than
/// cells is read by placing each number under the column it stands in; when the numbers cannot be
/// placed one to a column without doubt, the row is not read (never guessed).
struct TextLayerGrid {
    /// Centre of each column, in half scalars from the line start (a form feed not counted).
    var centers: [Int]

    /// One line of a text-layer table: its words, the numbers at its end and where they stand.
    struct Line {
        var info: LineInfo
        var page: Int
        var tokens: [Token]
        /// Number of value tokens at the end.
        var valueCount: Int
        var label: ArraySlice<Token> { tokens.dropLast(valueCount) }
        var values: ArraySlice<Token> { tokens.suffix(valueCount) }
    }

    /// The non-blank lines of a text-layer table, page numbers left out, each with its page. A line
    /// starting `- 2 -` is read whole when so it ends in a row's `cells` values (`- 2 - - - 1 3` is
    /// a row whose first cell is a placeholder), else `- 2 -` is a page footer glued to its start.
    static func lines(_ lines: ArraySlice<LineInfo>, source: SourceText, cells: Int = 7) -> [Line] {
        var result: [Line] = []
        var page = 0, afterFooter = false
        for line in lines where !line.isBlank {
            let hasFormFeed = source.bytes[line.span.start..<line.span.end].contains(0x0C)
            if hasFormFeed, !afterFooter { page += 1 }
            afterFooter = false
            if ReportScanner.isPageNumber(line.trimmed, source: source) {
                page += 1
                afterFooter = true
                continue
            }
            var tokens = TableText.tokens(line, source: source)
            var valueCount = TableText.trailingValues(tokens)
            if valueCount < cells, case let whole = TableText.tokens(line, source: source, keepingFooter: true), whole.count > tokens.count,
               TableText.trailingValues(whole) == cells {
                tokens = whole
                valueCount = cells
            }
            // `（七）总计→3→0→0→→0→1→4`: TAB-separated, an empty field is a blank cell.
            if valueCount < cells, source.bytes[line.trimmed.start..<line.trimmed.end].contains(0x09),
               case let fields = TableText.tokens(line, source: source, tabFields: true), TableText.trailingValues(fields) == cells {
                tokens = fields
                valueCount = cells
            }
            guard !tokens.isEmpty else { continue }
            result.append(Line(info: line, page: page, tokens: tokens, valueCount: valueCount))
        }
        return result
    }

    /// Doubled centre column of a token: scalars from its line's start, a form feed not counted.
    static func center(_ token: Token, in line: LineInfo, source: SourceText) -> Int {
        let bytes = source.bytes
        var column = 0, i = line.span.start
        while i < token.span.start {
            let b = bytes[i]
            if b & 0xC0 != 0x80, b != 0x0C { column += 1 }
            i += 1
        }
        return 2 * column + token.text.unicodeScalars.count
    }

    /// The grid of the rows that have a number in every column: the median centre of each column.
    static func fromCompleteRows(_ rows: [[Int]], columns: Int) -> TextLayerGrid? {
        let complete = rows.filter { $0.count == columns }
        guard !complete.isEmpty else { return nil }
        let centers = (0..<columns).map { k in complete.map { $0[k] }.sorted()[complete.count / 2] }
        guard zip(centers, centers.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        return TextLayerGrid(centers: centers)
    }

    /// The column of each value centre, increasing, or nil when a value is not clearly under one
    /// column (more than three scalars off, or about as near to the next column).
    func place(_ values: [Int]) -> [Int]? {
        var placed: [Int] = []
        for v in values {
            let order = centers.indices.sorted { abs(centers[$0] - v) < abs(centers[$1] - v) }
            let nearest = order[0]
            let distance = abs(centers[nearest] - v)
            guard distance <= 6 else { return nil }
            if order.count > 1, abs(centers[order[1]] - v) < distance + 4 { return nil }
            if let last = placed.last, nearest <= last { return nil }
            placed.append(nearest)
        }
        return placed
    }

    /// An empty span where column `k` stands in `line` (its end when the line is shorter).
    func blankSpan(column k: Int, in line: LineInfo, source: SourceText) -> SourceSpan {
        let sc = Scalars(source.bytes, line.span)
        let target = centers[k] / 2
        var column = 0
        for (i, s) in sc.scalars.enumerated() where s != "\u{0C}" {
            if column == target { return .empty(at: sc.offsets[i]) }
            column += 1
        }
        return .empty(at: line.span.end)
    }

    /// The cells of a row with `values` placed by the grid and the other columns blank.
    func cells(_ values: ArraySlice<Token>, in line: LineInfo, source: SourceText, columns: [String]) -> [Cell]? {
        let valueList = Array(values)
        guard let placed = place(valueList.map { TextLayerGrid.center($0, in: line, source: source) }) else { return nil }
        var cells: [Cell] = columns.indices.map { k in
            Cell(column: columns[k], value: .blank, raw: "", span: blankSpan(column: k, in: line, source: source))
        }
        for (token, k) in zip(valueList, placed) { cells[k] = TableText.cell(columns[k], token) }
        return cells
    }
}
