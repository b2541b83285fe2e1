import RuleKit
import RunResults

/// Builds what the cross-report rules keep of one report (RULES.md "Across reports"): issuer and
/// year, the carry-over and stock cells, the count cells of tables 三 and 四, and the prose as
/// sentence fingerprints.
public enum ReportDigester {
    /// Crawler prefixes before a title's issuer (`标题:`).
    static let prefixes = ["标题：", "标题:", "题目：", "题目:"]

    /// The issuer as reports are grouped by: no white space, no crawler prefix, an alias resolved.
    public static func normalizedIssuer(_ raw: String?, aliases: [String: String] = [:]) -> String? {
        guard let raw else { return nil }
        var issuer = String(String.UnicodeScalarView(raw.unicodeScalars.filter { !CharClass.isSpace($0) }))
        for prefix in prefixes where issuer.hasPrefix(prefix) { issuer.removeFirst(prefix.count) }
        guard !issuer.isEmpty else { return nil }
        return aliases[issuer] ?? issuer
    }

    public static func digest(_ document: Document, positions: Positions, aliases: [String: String] = [:]) -> ReportDigest {
        func place(_ span: SourceSpan) -> Located {
            let at = positions.location(of: span.start)
            return Located(span: span, line: at.line, column: at.column)
        }
        func cells(_ row: TableRow?) -> [CountCell] {
            guard let row else { return [] }
            return row.cells.map { CountCell(value: $0.value.count, at: place($0.span)) }
        }
        let three = document.table(.three), four = document.table(.four), two = document.table(.two)
        var stock: [String: [CountCell]] = [:]
        if let two, two.format == .v2021 {
            for name in ["规章", "行政规范性文件"] {
                let row = two.rows.first { $0.key.map { $0.hasSuffix("/" + name) } ?? false }
                if let row, row.cells.count == 3 { stock[name] = cells(row) }
            }
        }
        var counts: [Int?]?
        var order = FNV1a()
        if let three, let four, !three.rows.isEmpty, !four.rows.isEmpty {
            var all: [Int?] = []
            for row in three.rows {
                order.add(row.key ?? row.label)
                all += row.cells.map(\.value.count)
            }
            for row in four.rows { all += row.cells.map(\.value.count) }
            counts = all
        }
        let (sentences, places) = prose(document, place: place)
        let content = contentFingerprint(document)
        let firstLine = document.source.lineCount > 0 ? document.source.lineSpan(1) : SourceSpan(start: 0, end: 0)
        return ReportDigest(
            issuer: normalizedIssuer(document.issuer, aliases: aliases), year: document.reportYear, kind: document.kind,
            table2Format: two?.format, carried: cells(three?.row(Templates.rowCarried)), forward: cells(three?.row(Templates.rowOut)),
            stock: stock, tableCounts: counts, tableOrder: order.value, table3First: three.map { place($0.firstCellSpan) },
            sentences: sentences, sentencePlaces: places, content: content, firstLine: place(firstLine))
    }

    /// The fingerprint of the whole decoded text (the scanner's view).
    public static func contentFingerprint(_ document: Document) -> UInt64 {
        var content = FNV1a()
        content.add(document.source.bytes)
        return content.value
    }

    /// The statutory phrases every report may carry word for word (RULES.md's built-in list), normalised.
    static let statutory: Set<UInt64> = {
        let phrases = [
            "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成",
            "本年度未收到政府信息公开申请", "本年度无其他需要报告的事项",
            "本报告中所列数据的统计期限自年月日起至年月日止", "本报告所列数据统计期限为年月日至年月日",
        ]
        return Set(phrases.compactMap { sentenceKey(Array($0.unicodeScalars)) })
    }()

    /// The counted sentences of the prose: paragraphs outside tables, headings and the signature
    /// (sub-headings such as `（一）主动公开情况` left out), split at 。！？； and line ends,
    /// normalised, eight characters or more, not statutory.
    static func prose(_ document: Document, place: (SourceSpan) -> Located) -> ([UInt64], [Located]) {
        var keys: [UInt64] = [], places: [Located] = []
        for paragraph in document.paragraphs where paragraph.kind == .paragraph || paragraph.kind == .subheading {
            let text = document.text(paragraph.span)
            if paragraph.kind == .subheading, isOrdinalSubheading(text) { continue }
            var start = paragraph.span.start
            var scalars: [Unicode.Scalar] = []
            var offset = paragraph.span.start
            func flush() {
                defer { scalars.removeAll(keepingCapacity: true) }
                guard let key = sentenceKey(scalars), !statutory.contains(key) else { return }
                keys.append(key)
                places.append(place(SourceSpan(start: start, end: offset)))
            }
            for scalar in text.unicodeScalars {
                let width = UTF8.width(scalar)
                if "。！？；\n".unicodeScalars.contains(scalar) {
                    flush()
                    offset += width
                    start = offset
                    continue
                }
                if scalars.isEmpty, CharClass.isSpace(scalar) { start = offset + width }
                scalars.append(scalar)
                offset += width
            }
            flush()
        }
        return (keys, places)
    }

    /// `（一）…` of at most 30 characters without sentence punctuation: a sub-heading, not prose.
    static func isOrdinalSubheading(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars.drop { CharClass.isSpace($0) })
        guard s.first == "（", let close = s.firstIndex(of: "）"), close > 1 else { return false }
        guard s[1..<close].allSatisfy({ "一二三四五六七八九十".unicodeScalars.contains($0) }) else { return false }
        let rest = s[(close + 1)...].filter { !CharClass.isSpace($0) }
        return (1...30).contains(rest.count) && !rest.contains { "。；！？，".unicodeScalars.contains($0) }
    }

    /// The fingerprint of a sentence after removing white space, digits and punctuation (and
    /// symbols); nil when fewer than eight characters are left.
    static func sentenceKey(_ scalars: [Unicode.Scalar]) -> UInt64? {
        var hash = FNV1a(), count = 0
        for s in scalars {
            let p = s.properties
            if p.isWhitespace || p.numericType == .decimal { continue }
            switch p.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                 .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
                 .spaceSeparator, .lineSeparator, .paragraphSeparator:
                continue
            default:
                hash.add(s)
                count += 1
            }
        }
        return count >= 8 ? hash.value : nil
    }
}

/// FNV-1a, 64 bits: a fingerprint that is the same in every run (Swift's Hasher is seeded per process).
struct FNV1a {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }

    mutating func add(_ bytes: [UInt8]) { for b in bytes { add(b) } }

    mutating func add(_ scalar: Unicode.Scalar) { for b in UTF8.encode(scalar)! { add(b) } }

    mutating func add(_ text: String) {
        for b in text.utf8 { add(b) }
        add(0)
    }
}
