import CLibXML2
import ReportModel

/// Finds where the text libxml2 hands back came from in the decoded page.
///
/// libxml2 gives each element its line (`xmlGetLineNo`); the text of its nodes follows in document
/// order. So the search starts where the previous text ended (never before the element's line),
/// skips markup (tags, comments, `<script>` and `<style>` bodies) and matches the text scalar by
/// scalar, decoding character references on the way (`&nbsp;` is one scalar from six bytes). Text
/// that cannot be found (libxml2 repaired the markup around it) is placed at the start of its
/// element's line.
struct SourceAligner {
    let source: [UInt8]
    let lineStarts: [Int]
    /// Where the next text is searched from: always outside markup.
    private(set) var cursor = 0
    /// Bytes the searches may still examine, so that text libxml2 changed cannot make reading slow.
    private var budget: Int

    init(source: SourceText) {
        self.source = source.bytes
        self.lineStarts = source.lineStarts
        budget = 16 * source.bytes.count + (1 << 20)
    }

    /// The first byte of a 1-based line as libxml2 counted it; 0 when unknown.
    func lowerBound(line: Int) -> Int {
        guard line >= 1 else { return 0 }
        return lineStarts[min(line, lineStarts.count) - 1]
    }

    /// Pieces for `text` (one per scalar), each pointing at the bytes it came from.
    mutating func align(_ text: [Unicode.Scalar], line: Int) -> [Piece] {
        // Search for the text without surrounding white space, which libxml2 may keep or drop.
        var s = 0, e = text.count
        while s < e, ViewTextRules.isCollapsible(text[s]) { s += 1 }
        while e > s, ViewTextRules.isCollapsible(text[e - 1]) { e -= 1 }
        guard s < e else {
            let at = cursor
            return text.map { Piece(scalar: $0, original: at, originalLength: 0) }
        }
        let core = Array(text[s..<e])
        let lower = lowerBound(line: line)
        let pieces: [Piece]
        if let (found, end) = search(core, lower: lower) {
            pieces = found
            cursor = end
        } else {
            let at = min(max(cursor, lower), source.count)
            pieces = core.map { Piece(scalar: $0, original: at, originalLength: 0) }
        }
        let head = pieces.first!.original, tail = pieces.last!.originalEnd
        return text[..<s].map { Piece(scalar: $0, original: head, originalLength: 0) } + pieces
            + text[e...].map { Piece(scalar: $0, original: tail, originalLength: 0) }
    }

    /// Moves past the start tag of a table cell that ends on `line`, and returns where its content starts.
    mutating func locateStartTag(_ names: Set<[UInt8]>, line: Int) -> Int? {
        var p = cursor
        let limit = min(source.count, p + (1 << 16))
        while p < limit {
            guard source[p] == 0x3C, isMarkupStart(p) else { p += 1; continue }
            let tag = scanMarkup(p)
            if tag.isStartTag, names.contains(tag.name) {
                guard lineOf(tag.end - 1) == line else { return nil }
                cursor = tag.end
                return tag.end
            }
            p = tag.end
        }
        return nil
    }

    func lineOf(_ offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    // MARK: - Search

    private mutating func search(_ text: [Unicode.Scalar], lower: Int) -> ([Piece], Int)? {
        var firstBytes: [UInt8] = []
        UTF8.encode(text[0]) { firstBytes.append($0) }
        let first = firstBytes[0]
        var p = cursor
        let n = source.count
        let start = p
        defer { budget -= p - start }
        while p < n, p - start < budget {
            let b = source[p]
            if b == 0x3C, isMarkupStart(p) {
                p = scanMarkup(p).end
                continue
            }
            if p >= lower, b == first || b == 0x26, let found = match(text, at: p) { return found }
            p += 1
        }
        return nil
    }

    private func match(_ text: [Unicode.Scalar], at start: Int) -> ([Piece], Int)? {
        var pieces: [Piece] = []
        pieces.reserveCapacity(text.count)
        var i = start, k = 0
        let n = source.count
        while k < text.count {
            guard i < n else { return nil }
            let b = source[i]
            if b == 0x26, let (scalars, length) = reference(at: i) {
                guard k + scalars.count <= text.count else { return nil }
                for (j, scalar) in scalars.enumerated() {
                    guard text[k + j] == scalar else { return nil }
                    pieces.append(Piece(scalar: scalar, original: i, originalLength: j == 0 ? length : 0))
                }
                k += scalars.count
                i += length
                continue
            }
            if b == 0x0D {
                // libxml2 reads CR LF and a lone CR as LF.
                guard text[k] == "\n" else { return nil }
                let length = i + 1 < n && source[i + 1] == 0x0A ? 2 : 1
                pieces.append(Piece(scalar: "\n", original: i, originalLength: length))
                i += length
                k += 1
                continue
            }
            if b == 0x3C, isMarkupStart(i), text[k] != "<" {
                // libxml2 joins the text on both sides of markup it dropped (a stray end tag).
                guard k > 0 else { return nil }
                i = scanMarkup(i).end
                continue
            }
            guard let (scalar, length) = decodeScalar(at: i), scalar == text[k] else { return nil }
            pieces.append(Piece(scalar: scalar, original: i, originalLength: length))
            i += length
            k += 1
        }
        return (pieces, i)
    }

    private func decodeScalar(at i: Int) -> (Unicode.Scalar, Int)? {
        let b = source[i]
        if b < 0x80 { return (Unicode.Scalar(b), 1) }
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0
        guard length > 0, i + length <= source.count else { return nil }
        var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = value << 6 | UInt32(source[i + k] & 0x3F) }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    /// A character reference at `i` (on `&`) as libxml2's HTML parser reads it: its scalars (none for
    /// an invalid number) and its length; nil when libxml2 keeps the `&` as text.
    func reference(at i: Int) -> ([Unicode.Scalar], Int)? {
        let n = source.count
        var j = i + 1
        guard j < n else { return nil }
        if source[j] == 0x23 {
            j += 1
            var hex = false
            if j < n, source[j] == 0x78 || source[j] == 0x58 { hex = true; j += 1 }
            var value: UInt32 = 0
            var digits = 0
            while j < n {
                let c = source[j]
                let d: UInt32
                if c >= 0x30 && c <= 0x39 { d = UInt32(c - 0x30) }
                else if hex, c >= 0x61 && c <= 0x66 { d = UInt32(c - 0x61 + 10) }
                else if hex, c >= 0x41 && c <= 0x46 { d = UInt32(c - 0x41 + 10) }
                else { break }
                // libxml2 clamps large values to 0x110000, which is then invalid.
                value = min(value * (hex ? 16 : 10) + d, 0x110000)
                digits += 1
                j += 1
            }
            guard digits > 0 else { return nil }
            if j < n, source[j] == 0x3B { j += 1 }
            let valid = value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
            guard valid, let scalar = Unicode.Scalar(value) else { return ([], j - i) }
            return ([scalar], j - i)
        }
        var name: [UInt8] = []
        while j < n, j - i <= 32 {
            let c = source[j]
            guard (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) else { break }
            name.append(c)
            j += 1
        }
        guard !name.isEmpty, j < n, source[j] == 0x3B else { return nil }
        name.append(0)
        let value: UInt32? = name.withUnsafeBufferPointer { buf in
            guard let entity = htmlEntityLookup(buf.baseAddress) else { return nil }
            return UInt32(entity.pointee.value)
        }
        guard let value, value > 0, let scalar = Unicode.Scalar(value) else { return nil }
        return ([scalar], j + 1 - i)
    }

    // MARK: - Markup

    /// Whether the `<` at `i` opens markup (a tag, comment, declaration) rather than being text.
    func isMarkupStart(_ i: Int) -> Bool {
        guard i + 1 < source.count else { return false }
        let c = source[i + 1]
        return (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x2F || c == 0x21 || c == 0x3F
    }

    struct Markup {
        var name: [UInt8]
        var isStartTag: Bool
        var end: Int
    }

    static let rawTextElements: Set<[UInt8]> = [Array("script".utf8), Array("style".utf8)]

    /// The markup opening at `i`, with the offset after it (after the body of `<script>`/`<style>`).
    func scanMarkup(_ i: Int) -> Markup {
        let n = source.count
        if starts(with: "<!--", at: i) {
            return Markup(name: [], isStartTag: false, end: find("-->", from: i + 4).map { $0 + 3 } ?? n)
        }
        let second = source[i + 1]
        if second == 0x21 || second == 0x3F || second == 0x2F {
            return Markup(name: [], isStartTag: false, end: find(">", from: i + 2).map { $0 + 1 } ?? n)
        }
        var j = i + 1
        var name: [UInt8] = []
        while j < n {
            let c = source[j]
            guard c != 0x3E, c != 0x2F, c != 0x20, c != 0x09, c != 0x0A, c != 0x0D, c != 0x0C else { break }
            if name.count < 16 { name.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c) }
            j += 1
        }
        // Attributes: a quoted value may hold `>`.
        var expectValue = false
        while j < n {
            let c = source[j]
            if c == 0x3E { j += 1; break }
            if c == 0x3D { expectValue = true; j += 1; continue }
            if expectValue, c == 0x22 || c == 0x27 {
                j = (find(c == 0x22 ? "\"" : "'", from: j + 1).map { $0 + 1 }) ?? n
                expectValue = false
                continue
            }
            if !(c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) { expectValue = false }
            j += 1
        }
        if Self.rawTextElements.contains(name) {
            let close = "</" + String(decoding: name, as: UTF8.self)
            var k = j
            while let at = findCaseInsensitive(close, from: k) {
                let after = at + close.utf8.count
                if after >= n || !isNameByte(source[after]) {
                    return Markup(name: name, isStartTag: true, end: find(">", from: after).map { $0 + 1 } ?? n)
                }
                k = after
            }
            return Markup(name: name, isStartTag: true, end: n)
        }
        return Markup(name: name, isStartTag: true, end: j)
    }

    private func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2D
    }

    private func starts(with text: String, at i: Int) -> Bool {
        var k = i
        for b in text.utf8 {
            guard k < source.count, source[k] == b else { return false }
            k += 1
        }
        return true
    }

    private func find(_ text: String, from: Int) -> Int? {
        let needle = Array(text.utf8)
        guard let head = needle.first else { return nil }
        var i = from
        while i + needle.count <= source.count {
            if source[i] == head, starts(with: text, at: i) { return i }
            i += 1
        }
        return nil
    }

    private func findCaseInsensitive(_ text: String, from: Int) -> Int? {
        let needle = Array(text.utf8)
        var i = from
        outer: while i + needle.count <= source.count {
            for (k, b) in needle.enumerated() {
                let c = source[i + k]
                if (c >= 0x41 && c <= 0x5A ? c + 0x20 : c) != b { i += 1; continue outer }
            }
            return i
        }
        return nil
    }
}
