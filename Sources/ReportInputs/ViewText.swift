import ReportModel

/// One scalar of view text with the bytes of the original it came from.
///
/// `originalLength` may differ from the scalar's own UTF-8 length: `&nbsp;` is six original bytes
/// for one scalar, a collapsed run of white space is one scalar for several bytes, and a scalar the
/// reader made up (a line break, a TAB) has no original bytes at all.
struct Piece: Sendable, Hashable {
    var scalar: Unicode.Scalar
    var original: Int
    var originalLength: Int

    var originalEnd: Int { original + originalLength }
}

/// A block of the view in the template's cell-per-line layout.
enum ViewBlock: Sendable {
    /// Prose: one or more lines (a `<br>` or a Word line break starts a new line).
    case paragraph([[Piece]])
    /// A table: rows of the cells that start in that row; `anchor` places an empty cell.
    case table([[ViewCell]])
}

struct ViewCell: Sendable {
    var pieces: [Piece]
    /// Where the cell stands in the original, for the TAB and for an empty cell.
    var anchor: Int
}

/// Writes blocks as the view text and records, segment by segment, where each view byte came from.
struct ViewBuilder {
    private(set) var bytes: [UInt8] = []
    private(set) var segments: [SourceMap.Segment] = []

    /// Appends a scalar taken from (or standing for) `originalLength` bytes at `original`.
    mutating func append(_ scalar: Unicode.Scalar, original: Int, originalLength: Int) {
        let start = bytes.count
        UTF8.encode(scalar) { bytes.append($0) }
        add(view: start, length: bytes.count - start, original: original, originalLength: originalLength)
    }

    mutating func append(_ pieces: [Piece]) {
        for piece in pieces { append(piece.scalar, original: piece.original, originalLength: piece.originalLength) }
    }

    /// Bytes the reader adds (TABs, line breaks): they map to `original` with no width.
    mutating func appendSynthetic(_ text: String, at original: Int) {
        for scalar in text.unicodeScalars { append(scalar, original: original, originalLength: 0) }
    }

    private mutating func add(view: Int, length: Int, original: Int, originalLength: Int) {
        if var last = segments.last, last.view + last.length == view {
            // Extend a run that moves in step on both sides, or a run of synthetic bytes at one place.
            let inStep = last.length == last.originalLength && length == originalLength && last.original + last.originalLength == original
            let synthetic = last.originalLength == 0 && originalLength == 0 && last.original == original
            if inStep || synthetic {
                last.length += length
                last.originalLength += originalLength
                segments[segments.count - 1] = last
                return
            }
        }
        segments.append(SourceMap.Segment(view: view, original: original, length: length, originalLength: originalLength))
    }

    /// Whether a block has been written (the next one is preceded by a blank line).
    private var started = false

    /// The template layout: blocks separated by a blank line, a table's cells one per TAB-led line,
    /// its rows separated by a blank line, an empty cell as a TAB-only line.
    mutating func add(_ block: ViewBlock) {
        switch block {
        case .paragraph(let lines):
            let lines = lines.filter { !$0.isEmpty }
            guard !lines.isEmpty else { return }
            if started { appendSynthetic("\n", at: lines[0][0].original) }
            started = true
            for line in lines {
                append(line)
                appendSynthetic("\n", at: line.last!.originalEnd)
            }
        case .table(let rows):
            for row in rows where !row.isEmpty {
                if started { appendSynthetic("\n", at: row[0].pieces.first?.original ?? row[0].anchor) }
                started = true
                for cell in row {
                    appendSynthetic("\t", at: cell.pieces.first?.original ?? cell.anchor)
                    append(cell.pieces)
                    appendSynthetic("\n", at: cell.pieces.last?.originalEnd ?? cell.anchor)
                }
            }
        }
    }

    static func render(_ blocks: [ViewBlock]) -> ViewBuilder {
        var builder = ViewBuilder()
        for block in blocks { builder.add(block) }
        return builder
    }
}

/// White-space handling shared by the HTML and Word readers.
enum ViewTextRules {
    /// The scalars of valid UTF-8 text, each with its byte offset and length (the text readers'
    /// raw material).
    static func pieces(of bytes: [UInt8]) -> [Piece] {
        var out: [Piece] = []
        out.reserveCapacity(bytes.count / 2)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var at = 0
        while case .scalarValue(let s) = decoder.decode(&iterator) {
            let width = UTF8.width(s)
            out.append(Piece(scalar: s, original: at, originalLength: width))
            at += width
        }
        return out
    }

    /// ASCII white space as HTML collapses it.
    @inline(__always)
    static func isCollapsible(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C: true
        default: false
        }
    }

    /// White space trimmed from the ends of a line or cell (ASCII, no-break space, ideographic space, zero-width).
    @inline(__always)
    static func isTrimmable(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000, 0x2002...0x200B, 0xFEFF: true
        default: false
        }
    }

    /// East Asian wide text, between which a line break in the source is not a space (CSS Text 3).
    @inline(__always)
    static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v >= 0x2E80 && !(0xAC00...0xD7AF).contains(v) && !(0xFE00...0xFE0F).contains(v) && v != 0xFEFF
    }

    /// Marks a soft join (a `<br>` or paragraph break inside a table cell) until `finish` resolves it.
    static let joinMarker: Unicode.Scalar = "\u{E000}"

    /// Collapses runs of white space to one space (none between wide characters when the run holds
    /// a line break or a soft join), then trims the ends.
    static func finish(_ pieces: [Piece], collapse: Bool = true) -> [Piece] {
        var out: [Piece] = []
        out.reserveCapacity(pieces.count)
        var i = 0
        while i < pieces.count {
            let p = pieces[i]
            let isRun = p.scalar == joinMarker || (collapse && isCollapsible(p.scalar))
            guard isRun else {
                out.append(p)
                i += 1
                continue
            }
            var j = i
            var breaks = false
            var first: Piece?
            while j < pieces.count, pieces[j].scalar == joinMarker || (collapse && isCollapsible(pieces[j].scalar)) {
                if pieces[j].scalar == joinMarker || pieces[j].scalar == "\n" || pieces[j].scalar == "\r" { breaks = true }
                if first == nil, pieces[j].scalar != joinMarker { first = pieces[j] }
                j += 1
            }
            let before = out.last?.scalar
            let after = j < pieces.count ? pieces[j].scalar : nil
            let dropped = before == nil || after == nil || (breaks && isWide(before!) && isWide(after!))
                || (first == nil && !(before.map(isASCIIWord) ?? false && after.map(isASCIIWord) ?? false))
            if !dropped {
                let anchor = first ?? pieces[i]
                out.append(Piece(scalar: " ", original: anchor.original, originalLength: first == nil ? 0 : anchor.originalLength))
            }
            i = j
        }
        return trim(out)
    }

    /// A soft join between two ASCII letters or digits keeps them apart with a space.
    @inline(__always)
    static func isASCIIWord(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s))
    }

    static func trim(_ pieces: [Piece]) -> [Piece] {
        var s = 0, e = pieces.count
        while s < e, isTrimmable(pieces[s].scalar) { s += 1 }
        while e > s, isTrimmable(pieces[e - 1].scalar) { e -= 1 }
        return s == 0 && e == pieces.count ? pieces : Array(pieces[s..<e])
    }
}
