import RuleKit
import RunResults

/// Builds what the cross-report rules keep of one report (RULES.md "Across reports"): issuer and
/// year, the carry-over and stock cells, the count cells of tables 三 and 四, and the prose as
/// sentence fingerprints.
public enum ReportDigester {
    /// Crawler prefixes before a title's issuer (`标题:`).
    static let prefixes = ["标题：", "标题:", "题目：", "题目:"]

    /// The rows of table 二 (2021) whose stock carries over, by name and template key.
    static let stockRows = ["规章", "行政规范性文件"].map { ($0, "第二十条第（一）项/" + $0) }

    /// The issuer as reports are grouped by: no white space, no crawler prefix, an alias resolved.
    public static func normalizedIssuer(_ raw: String?, aliases: [String: String] = [:]) -> String? {
        guard let raw else { return nil }
        // Most titles hold no white space: the filtered copy only when there is some.
        var issuer = raw.unicodeScalars.contains(where: CharClass.isSpace)
            ? String(String.UnicodeScalarView(raw.unicodeScalars.filter { !CharClass.isSpace($0) })) : raw
        for prefix in prefixes where issuer.hasPrefix(prefix) { issuer.removeFirst(prefix.count) }
        guard !issuer.isEmpty else { return nil }
        return aliases.isEmpty ? issuer : aliases[issuer] ?? issuer
    }

    /// `locate` gives the line and column of a view offset (as reported); with it the digest keeps
    /// where the places other reports' findings point at stand.
    public static func digest(_ document: Document, aliases: [String: String] = [:], locate: ((Int) -> SourceLocation)? = nil) -> ReportDigest {
        func cells(_ row: TableRow?) -> [CountCell] {
            guard let row else { return [] }
            return row.cells.map { CountCell(value: $0.value.count, at: $0.span) }
        }
        let three = document.table(.three), four = document.table(.four), two = document.table(.two)
        var stock: [String: [CountCell]] = [:]
        if let two, two.format == .v2021 {
            for (name, key) in stockRows {
                if let row = two.row(key), row.cells.count == 3 { stock[name] = cells(row) }
            }
        }
        // Tables 三 and 四 as one fingerprint over the row order and every count (nil when a cell is not
        // a number or a table is missing), and whether any count is non-zero: all identical-tables needs.
        var counts: UInt64?
        var nonZero = false
        var order = FNV1a()
        if let three, let four, !three.rows.isEmpty, !four.rows.isEmpty {
            var hash = FNV1a()
            var numeric = true
            for row in three.rows { FNV1a.add(row.key ?? row.label, to: &hash, and: &order) }
            for row in three.rows + four.rows {
                hash.add(0xFE)
                for cell in row.cells {
                    guard let count = cell.value.count else { numeric = false; break }
                    if count != 0 { nonZero = true }
                    hash.addDecimal(count)
                }
            }
            counts = numeric ? hash.value : nil
        }
        let (sentences, places) = prose(document)
        let content = contentFingerprint(document)
        let firstLine = document.source.lineCount > 0 ? document.source.lineSpan(1) : SourceSpan(start: 0, end: 0)
        let forward = cells(three?.row(Templates.rowOut)), table3First = three.map { $0.firstCellSpan }
        var located: [PlaceLocation]?
        if let locate {
            var offsets = [firstLine.start] + forward.map(\.at.start) + stock.values.compactMap { $0.count == 3 ? $0[2].at.start : nil }
            if let table3First { offsets.append(table3First.start) }
            located = Set(offsets).sorted().map { PlaceLocation(offset: $0, locate($0)) }
        }
        return ReportDigest(
            issuer: normalizedIssuer(document.issuer, aliases: aliases), year: document.reportYear, kind: document.kind,
            table2Format: two?.format, carried: cells(three?.row(Templates.rowCarried)), forward: forward,
            stock: stock, tableCounts: counts, tablesNonZero: nonZero, tableOrder: order.value, table3First: table3First,
            sentences: sentences, sentenceSpans: places, content: content, firstLine: firstLine, places: located)
    }

    /// The fingerprint of the whole decoded text (the scanner's view).
    public static func contentFingerprint(_ document: Document) -> UInt64 { contentFingerprint(document.source.bytes) }

    public static func contentFingerprint(_ bytes: [UInt8]) -> UInt64 {
        var content = FNV1a()
        content.add(bytes)
        return content.value
    }

    /// The statutory phrases every report may carry word for word (RULES.md's built-in list), normalised:
    /// five keys, looked through for every sentence (a Set would hash each with SipHash).
    static let statutory: [UInt64] = {
        let phrases = [
            "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成",
            "本年度未收到政府信息公开申请", "本年度无其他需要报告的事项",
            "本报告中所列数据的统计期限自年月日起至年月日止", "本报告所列数据统计期限为年月日至年月日",
        ]
        return phrases.compactMap { sentenceKey(Array($0.unicodeScalars)) }
    }()

    /// The counted sentences of the prose: paragraphs outside tables, headings and the signature
    /// (sub-headings such as `（一）主动公开情况` left out), split at 。！？； and line ends,
    /// normalised, eight characters or more, not statutory. On the UTF-8 bytes, one pass.
    static func prose(_ document: Document) -> ([UInt64], [UInt64]) {
        var out = ProseSentences(statutory: statutory)
        document.source.bytes.withUnsafeBufferPointer { buffer in
            for paragraph in document.paragraphs where paragraph.kind == .paragraph || paragraph.kind == .subheading {
                if paragraph.kind == .subheading, isOrdinalSubheading(buffer, paragraph.span) { continue }
                out.scan(buffer, from: paragraph.span.start, to: min(paragraph.span.end, buffer.count))
            }
        }
        // Kept until the end of the run: at their exact size (a grown array holds up to twice its count).
        return (exact(out.keys), exact(out.spans))
    }

    static func exact(_ values: [UInt64]) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: values.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: values)
        }
    }

    /// `（一）…` of at most 30 characters without sentence punctuation: a sub-heading, not prose. On
    /// the bytes: most sub-headings are not of this form, and a string of each cost more than the test.
    static func isOrdinalSubheading(_ buffer: UnsafeBufferPointer<UInt8>, _ span: SourceSpan) -> Bool {
        let end = min(span.end, buffer.count)
        var i = span.start
        func next() -> UInt32? {
            guard i < end else { return nil }
            let (value, length) = PlainText.scalar(buffer, i)
            i = min(i + length, end)
            return value
        }
        func isSpace(_ value: UInt32) -> Bool { Unicode.Scalar(value).map(CharClass.isSpace) ?? false }
        var value = next()
        while let v = value, isSpace(v) { value = next() }
        guard value == 0xFF08 else { return false }  // （
        var ordinals = 0
        while let v = next() {
            if v == 0xFF09 { break }  // ）
            guard Self.ordinalDigits.contains(v) else { return false }
            ordinals += 1
        }
        guard ordinals > 0 else { return false }
        var rest = 0
        while let v = next() {
            if isSpace(v) { continue }
            if Self.sentencePunctuation.contains(v) { return false }
            rest += 1
            if rest > 30 { return false }
        }
        return rest >= 1
    }

    static let ordinalDigits: Set<UInt32> = Set("一二三四五六七八九十".unicodeScalars.map(\.value))
    static let sentencePunctuation: Set<UInt32> = Set("。；！？，".unicodeScalars.map(\.value))

    /// The fingerprint of a sentence after removing white space, digits and punctuation (and
    /// symbols); nil when fewer than eight characters are left.
    static func sentenceKey(_ scalars: [Unicode.Scalar]) -> UInt64? {
        var key = SentenceKey()
        for s in scalars { key.add(s.value) }
        return key.value
    }
}

/// The sentences of a report's prose as they are found, in a struct rather than closures over
/// locals (captured variables live in boxes, which cost more than the hashing).
struct ProseSentences {
    let statutory: [UInt64]
    var keys: [UInt64] = []
    var spans: [UInt64] = []

    mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) {
        // The sentence's hash and length in locals, not a struct passed inout: an addressable struct
        // lived on the stack, a store and a load on every character.
        let basis = FNV1a().value
        var hash = basis, count = 0
        var start = from, i = from
        while i < end {
            let b = buffer[i]
            // Ideographs U+4000–U+9FFF (lead bytes E4–E9; not the hexagrams U+4DC0–U+4DFF, E4 B7 80–BF) and
            // ASCII, the bulk of the prose, by their bytes; everything else decoded.
            if b >= 0xE4, b <= 0xE9, i + 2 < end, !(b == 0xE4 && buffer[i + 1] == 0xB7) {
                let value = UInt32(b & 0x0F) << 12 | UInt32(buffer[i + 1] & 0x3F) << 6 | UInt32(buffer[i + 2] & 0x3F)
                hash = (hash ^ UInt64(value)) &* 0x100_0000_01b3
                count += 1
                i += 3
                continue
            }
            if b < 0x80, b != 0x0A {
                let letter = b | 0x20
                if letter >= 0x61, letter <= 0x7A {
                    hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3
                    count += 1
                } else if count == 0, b == 0x20 || b == 0x09 {
                    start = i + 1
                }
                i += 1
                continue
            }
            let (value, length) = PlainText.scalar(buffer, i)
            switch value {
            case 0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0x0A:  // 。！？； and line ends
                add(SentenceKey(hash: FNV1a(value: hash), count: count), start, i)
                hash = basis
                count = 0
                start = i + length
            default:
                if count == 0, value < 0x80 ? (value == 0x20 || value == 0x09) : value == 0x3000 { start = i + length }
                if SentenceKey.counts(value) {
                    hash = (hash ^ UInt64(value)) &* 0x100_0000_01b3
                    count += 1
                }
            }
            i += length
        }
        add(SentenceKey(hash: FNV1a(value: hash), count: count), start, end)
    }

    mutating func add(_ sentence: SentenceKey, _ start: Int, _ end: Int) {
        guard let key = sentence.value, !statutory.contains(key) else { return }
        keys.append(key)
        spans.append(UInt64(start) << 32 | UInt64(end))
    }
}

/// A sentence's fingerprint, built a scalar at a time: white space, digits (Nd), punctuation (P*),
/// symbols (S*) and separators (Z*) are left out, as RULES.md compares sentences.
struct SentenceKey {
    var hash = FNV1a()
    var count = 0

    var value: UInt64? { count >= 8 ? hash.value : nil }

    /// Adds a scalar that counts: one FNV step over its value (a step per byte cost three).
    @inline(__always)
    mutating func addCounted(_ value: UInt32) {
        hash.value = (hash.value ^ UInt64(value)) &* 0x100_0000_01b3
        count += 1
    }

    /// Adds one scalar, left out when it does not count.
    @inline(__always)
    mutating func add(_ value: UInt32) {
        if Self.counts(value) { addCounted(value) }
    }

    /// Whether a scalar counts. The common scalars by range; only the rare others need a Unicode
    /// property lookup.
    @inline(__always)
    static func counts(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x41...0x5A, 0x61...0x7A, 0x3005...0x3007, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            return true
        case 0...0x40, 0x5B...0x60, 0x7B...0x7F, 0x3000...0x3004, 0x3008...0x303F, 0xFF01...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65,
             0x2000...0x206F:
            return false
        default:
            guard let s = Unicode.Scalar(value) else { return false }
            return counts(s)
        }
    }

    /// Not white space, a decimal digit, punctuation, a symbol or a separator.
    static func counts(_ s: Unicode.Scalar) -> Bool {
        let p = s.properties
        if p.isWhitespace || p.numericType == .decimal { return false }
        switch p.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
             .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return false
        default:
            return true
        }
    }
}

/// FNV-1a, 64 bits: a fingerprint that is the same in every run (Swift's Hasher is seeded per process).
struct FNV1a {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }

    /// Eight bytes a step for a whole text (the content fingerprint): the same in every run, cheap.
    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                value = (value ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01b3
                i += 8
            }
            while i < raw.count {
                add(raw[i])
                i += 1
            }
        }
    }

    /// The decimal digits of `n` and a 0 byte, as `add(String(n))` would add them, without the string.
    mutating func addDecimal(_ n: Int) {
        if n < 0 { add(0x2D) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits of a UInt64, last first
        var count = 0
        var m = n.magnitude
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(truncatingIfNeeded: m % 10) + 0x30
                m /= 10
                count += 1
            } while m > 0
            while count > 0 {
                count -= 1
                add(raw[count])
            }
        }
        add(0)
    }

    mutating func add(_ scalar: Unicode.Scalar) { for b in UTF8.encode(scalar)! { add(b) } }

    mutating func add(_ text: String) {
        for b in text.utf8 { add(b) }
        add(0)
    }

    /// `a.add(text)` and `b.add(text)` in one pass over the bytes (row keys go into two fingerprints).
    static func add(_ text: String, to a: inout FNV1a, and b: inout FNV1a) {
        var text = text
        text.withUTF8 { bytes in
            // Locals, so the two chains stay in registers.
            var x = a.value, y = b.value
            for byte in bytes {
                x = (x ^ UInt64(byte)) &* 0x100_0000_01b3
                y = (y ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            a.value = (x ^ 0) &* 0x100_0000_01b3
            b.value = (y ^ 0) &* 0x100_0000_01b3
        }
    }
}
