import ReportModel

/// A cell of the template layout (TAB-led line plus any un-TABbed continuation lines).
struct RawCell: Sendable {
    var text: String
    var span: SourceSpan
    var line: Int
    /// Only digits, `-` `.` `,` `/` and spaces: a count or an ASCII placeholder, never a label.
    var isCountLike = false
    /// The parsed value when the cell is a plain ASCII number, found while its bytes were at hand.
    var number: Double?
    var normalized: String { Label.normalize(text) }
    var isEmpty: Bool { text.isEmpty }

    init(text: String, span: SourceSpan, line: Int) {
        var bytes = text
        self = bytes.withUTF8 { RawCell($0, text: text, span: span, line: line) }
        var text = text
        template = text.withUTF8 { TemplateTexts.table[$0] } ?? -1
    }

    /// A cell of one line, classified on its bytes; `texts` is `CellTexts.shared`, read once per
    /// table by the caller (reading the statics once per cell cost a `swift_once` call each).
    init(_ bytes: UnsafeBufferPointer<UInt8>, span: SourceSpan, line: Int, texts: CellTexts) {
        if let v = Self.smallCountValue(bytes) {
            // `0`…`999` as written: count-like, and its value is the integer (what `asciiNumber` gives).
            self.init(text: texts.smallCounts[v], span: span, line: line, number: Double(v))
        } else if bytes.count >= texts.minLength, texts.firstBytes[Int(bytes[0])], let t = texts.templates[bytes] {
            // (Counts such as `1024` and short words fail the length or first-byte test and skip the lookup.)
            self.init(bytes, text: texts.all[Int(t)], span: span, line: line)
            template = t
        } else {
            self.init(bytes, text: String(decoding: bytes, as: UTF8.self), span: span, line: line)
        }
    }

    /// Which template text (`TemplateTexts.all`) the cell is, byte for byte, or -1.
    var template: Int32 = -1

    /// The texts `0`…`999`, made once: most count cells are one of them, and making a `String`
    /// from bytes (validation included) cost more than the rest of the cell's work.
    static let smallCounts: [String] = (0..<1000).map(String.init)

    @inline(__always)
    static func smallCount(_ bytes: UnsafeBufferPointer<UInt8>) -> String? { smallCount(bytes, smallCounts) }

    @inline(__always)
    static func smallCount(_ bytes: UnsafeBufferPointer<UInt8>, _ smallCounts: [String]) -> String? {
        smallCountValue(bytes).map { smallCounts[$0] }
    }

    /// The value of `0`…`999` written without a leading zero, else nil.
    @inline(__always)
    static func smallCountValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        switch bytes.count {
        case 1 where bytes[0] &- 0x30 < 10:
            return Int(bytes[0] &- 0x30)
        case 2 where bytes[0] &- 0x31 < 9 && bytes[1] &- 0x30 < 10:
            return Int(bytes[0] &- 0x30) * 10 + Int(bytes[1] &- 0x30)
        case 3 where bytes[0] &- 0x31 < 9 && bytes[1] &- 0x30 < 10 && bytes[2] &- 0x30 < 10:
            return Int(bytes[0] &- 0x30) * 100 + Int(bytes[1] &- 0x30) * 10 + Int(bytes[2] &- 0x30)
        default:
            return nil
        }
    }

    /// A count cell, classified already.
    private init(text: String, span: SourceSpan, line: Int, number: Double) {
        self.text = text
        self.span = span
        self.line = line
        isCountLike = true
        self.number = number
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>, text: String, span: SourceSpan, line: Int) {
        self.text = text
        self.span = span
        self.line = line
        isCountLike = bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E || $0 == 0x2C || $0 == 0x2F || $0 == 0x20 }
        number = isCountLike ? CellParser.asciiNumber(bytes) : nil
    }
}

/// The templates' own texts (labels, column headers, block titles), made once: most label cells
/// copy one of them, and a Chinese cell text is too long for a small `String`, so making it cost a
/// validation, a malloc and later a free. A cell that is one of them also carries its index, so
/// the table scanners look facts about it up by index instead of hashing or normalizing it again.
enum TemplateTexts {
    static let all: [String] = {
        var texts: [String] = Templates.applicantColumns + Templates.t3GroupLabels + Templates.otherSubItems
            + Templates.reviewColumns + Templates.reviewGroups + Templates.t4HeaderWords.sorted()
            + Templates.t2Markers2019.sorted() + Templates.t2Markers2021.sorted()
            + [Templates.t3Note, Templates.rowResults, Templates.rowPartial, "（二）部分公开", "申请人情况", "法人或其他组织", "信息内容"]
        texts += (Templates.t3Rows2021 + Templates.t3Rows2019).map(\.label)
        // Table3Scanner relies on every text it knows as written being here.
        texts += Table3Scanner.exactTexts.map(\.0)
        for format in [FormatVersion.v2021, .v2019] {
            for block in Templates.t2Blocks[format] ?? [] { texts += [block.title] + block.columns + block.rows }
        }
        var unique: [String] = []
        for text in texts where !unique.contains(where: { sameUTF8($0, text) }) { unique.append(text) }
        return unique
    }()
    static let table = ByteKeyTable<Int32>(all.enumerated().map { (Array($0.element.utf8), Int32($0.offset)) })
    /// `Label.bytes` of each text.
    static let normalized: [[UInt8]] = all.map(Label.bytes)

    private static func sameUTF8(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}

/// What `RawCell` reads for every cell, in one value.
struct CellTexts: Sendable {
    var smallCounts = RawCell.smallCounts
    var templates = TemplateTexts.table
    var all = TemplateTexts.all
    /// No template text is shorter, and each starts with one of `firstBytes`.
    var minLength = TemplateTexts.all.map(\.utf8.count).min()!
    var firstBytes: [Bool] = {
        var first = [Bool](repeating: false, count: 256)
        for text in TemplateTexts.all { first[Int(text.utf8.first!)] = true }
        return first
    }()

    static let shared = CellTexts()
}

/// One row of the template layout: the cells between two blank lines.
struct RawRow: Sendable {
    /// A slice of one array that holds every cell of the table (indices are not zero-based).
    var cells: ArraySlice<RawCell>
}

/// A white-space separated token of a PDF text-layer line.
struct Token: Sendable {
    var text: String
    var span: SourceSpan
    var value: CellValue?
}

enum TableText {
    /// Words that stand in a count cell of a text layer (`若干` and the like are findings, not labels).
    static let valueWords: Set<String> = ["若干", "不详", "待统计", "见附件", "无"]

    /// Groups TAB-led lines into rows; stops at the first prose line that follows a blank line.
    static func rows(_ lines: ArraySlice<LineInfo>, source: SourceText) -> [RawRow] {
        // All cells in one array, rows as ranges of it: an array per row cost a malloc and a free.
        var cells: [RawCell] = []
        cells.reserveCapacity(lines.count)
        var bounds: [Range<Int>] = []
        bounds.reserveCapacity(lines.count / 4 + 4)
        let texts = CellTexts.shared
        var rowStart = 0
        var previousWasCell = false
        source.bytes.withUnsafeBufferPointer { all in
            for line in lines {
                if line.isCell {
                    // The line's trimmed span: trimming skips the leading TAB like any white space.
                    let content = line.trimmed
                    cells.append(RawCell(UnsafeBufferPointer(rebasing: all[content.start..<content.end]), span: content, line: line.number, texts: texts))
                    previousWasCell = true
                } else if line.isBlank {
                    if cells.count > rowStart {
                        bounds.append(rowStart..<cells.count)
                        rowStart = cells.count
                    }
                    previousWasCell = false
                } else if previousWasCell, cells.count > rowStart {
                    // A long cell wrapped onto a continuation line without TAB.
                    let first = cells.removeLast()
                    // The joined text is classified anew.
                    var last = RawCell(text: first.text + source.text(line.trimmed), span: first.span, line: first.line)
                    last.span = last.span.length == 0 ? line.trimmed : last.span.union(line.trimmed)
                    cells.append(last)
                } else {
                    break
                }
            }
        }
        if cells.count > rowStart { bounds.append(rowStart..<cells.count) }
        // Sliced only now: a slice taken while appending would make the next append copy the array.
        return bounds.map { RawRow(cells: cells[$0]) }
    }

    /// Tokens of a text-layer line, with a page footer (`- 3 -`) glued to its start removed.
    /// Scalars taken by a page footer (`- 3 -`) at the start, 0 when there is none.
    static func footerLength(_ sc: Scalars) -> Int {
        guard sc.count >= 3, sc.scalars[0] == "-" else { return 0 }
        var j = 1
        while j < sc.count, CharClass.isSpace(sc.scalars[j]) { j += 1 }
        let digitsStart = j
        while j < sc.count, CharClass.digit(sc.scalars[j]) != nil { j += 1 }
        let hadDigits = j > digitsStart
        while j < sc.count, CharClass.isSpace(sc.scalars[j]) { j += 1 }
        guard hadDigits, j < sc.count, sc.scalars[j] == "-" else { return 0 }
        j += 1
        while j < sc.count, CharClass.isSpace(sc.scalars[j]) { j += 1 }
        return j
    }

    /// `keepingFooter`: read a leading `- 2 -` as values (a table 四 row `- 2 - 1 3 - …` starts so).
    /// `tabFields`: two TABs in a row enclose an empty cell (a row copied out of Word, TAB-separated).
    static func tokens(_ line: LineInfo, source: SourceText, keepingFooter: Bool = false, tabFields: Bool = false) -> [Token] {
        let sc = Scalars(source.bytes, line.trimmed)
        var i = keepingFooter ? 0 : footerLength(sc)
        var tokens: [Token] = []
        while i < sc.count {
            while i < sc.count, CharClass.isSpace(sc.scalars[i]) {
                if tabFields, sc.scalars[i] == "\t", i + 1 < sc.count, sc.scalars[i + 1] == "\t", !tokens.isEmpty {
                    tokens.append(Token(text: "", span: .empty(at: sc.offsets[i + 1]), value: .blank))
                }
                i += 1
            }
            let start = i
            while i < sc.count, !CharClass.isSpace(sc.scalars[i]) { i += 1 }
            if i > start {
                let text = sc.string(start, i)
                let parsed = CellParser.parse(text)
                let value: CellValue?
                switch parsed {
                case .number, .placeholder, .blank: value = parsed
                case .text(let t): value = valueWords.contains(t) ? parsed : nil
                }
                tokens.append(Token(text: text, span: sc.span(start, i), value: value))
            }
        }
        return tokens
    }

    /// Number of value tokens at the end of the line.
    static func trailingValues(_ tokens: [Token]) -> Int {
        var n = 0
        for token in tokens.reversed() {
            if token.value == nil { break }
            n += 1
        }
        return n
    }

    static func cell(_ column: String, _ raw: RawCell) -> Cell {
        Cell(column: column, value: raw.number.map(CellValue.number) ?? CellParser.parse(raw.text), raw: raw.text, span: raw.span)
    }

    /// The cell at `i` of `cells`, read in place: taking a `RawCell` out of the array by value
    /// cost an outlined copy (and a release) per cell.
    static func cell(_ column: String, _ cells: ArraySlice<RawCell>, _ i: Int) -> Cell {
        Cell(column: column, value: cells[i].number.map(CellValue.number) ?? CellParser.parse(cells[i].text), raw: cells[i].text,
             span: cells[i].span)
    }

    /// The cell at `raw`, read through the pointer (fields only, no copy of the whole cell).
    @inline(__always)
    static func cell(_ column: String, _ raw: UnsafePointer<RawCell>) -> Cell {
        Cell(column: column, value: raw.pointee.number.map(CellValue.number) ?? CellParser.parse(raw.pointee.text), raw: raw.pointee.text,
             span: raw.pointee.span)
    }

    static func cell(_ column: String, _ token: Token) -> Cell {
        Cell(column: column, value: token.value ?? CellParser.parse(token.text), raw: token.text, span: token.span)
    }
}
