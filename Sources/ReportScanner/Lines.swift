#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReportModel

/// One physical line with the facts the scanner needs about it.
struct LineInfo: Sendable {
    var number: Int
    /// Whole line without its terminator.
    var span: SourceSpan
    /// Line with surrounding white space removed.
    var trimmed: SourceSpan
    /// Starts with a TAB: a table cell in the template layout.
    var isCell: Bool
    var isBlank: Bool { trimmed.length == 0 }
}

extension SourceText {
    /// Whether byte `i` starts a white-space scalar that reports use (ASCII, U+3000, U+00A0).
    @inline(__always)
    func spaceLength(at i: Int, limit: Int) -> Int {
        let b = bytes[i]
        if b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C { return 1 }
        if b == 0xE3, i + 2 < limit, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { return 3 }
        if b == 0xC2, i + 1 < limit, bytes[i + 1] == 0xA0 { return 2 }
        return 0
    }

    @inline(__always)
    func spaceLengthBefore(_ end: Int, limit start: Int) -> Int {
        let b = bytes[end - 1]
        if b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C { return 1 }
        if end - 3 >= start, b == 0x80, bytes[end - 2] == 0x80, bytes[end - 3] == 0xE3 { return 3 }
        if end - 2 >= start, b == 0xA0, bytes[end - 2] == 0xC2 { return 2 }
        return 0
    }

    func trim(_ span: SourceSpan) -> SourceSpan {
        var s = span.start, e = span.end
        while s < e {
            let n = spaceLength(at: s, limit: e)
            if n == 0 { break }
            s += n
        }
        while e > s {
            let n = spaceLengthBefore(e, limit: s)
            if n == 0 { break }
            e -= n
        }
        return SourceSpan(start: s, end: e)
    }

    func lineInfos() -> [LineInfo] {
        let count = lineCount
        return [LineInfo](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBufferPointer { b in
                lineStarts.withUnsafeBufferPointer { starts in
                    lineEnds.withUnsafeBufferPointer { ends in
                        for k in 0..<count {
                            let start = starts[k], end = ends[k]
                            // `trim`, on the buffer.
                            var s = start, e = end
                            while s < e {
                                let c = b[s]
                                if c == 0x20 || c == 0x09 || c == 0x0B || c == 0x0C { s += 1 }
                                else if c == 0xE3, s + 2 < e, b[s + 1] == 0x80, b[s + 2] == 0x80 { s += 3 }
                                else if c == 0xC2, s + 1 < e, b[s + 1] == 0xA0 { s += 2 }
                                else { break }
                            }
                            while e > s {
                                let c = b[e - 1]
                                if c == 0x20 || c == 0x09 || c == 0x0B || c == 0x0C { e -= 1 }
                                else if e - 3 >= s, c == 0x80, b[e - 2] == 0x80, b[e - 3] == 0xE3 { e -= 3 }
                                else if e - 2 >= s, c == 0xA0, b[e - 2] == 0xC2 { e -= 2 }
                                else { break }
                            }
                            (out.baseAddress! + k).initialize(to: LineInfo(number: k + 1, span: SourceSpan(start: start, end: end),
                                                                           trimmed: SourceSpan(start: s, end: e), isCell: end > start && b[start] == 0x09))
                        }
                    }
                }
            }
            initialized = count
        }
    }
}

/// Recognizes the six section headings, with or without (or with a wrong) ordinal.
enum HeadingMatcher {
    /// Normalized heading titles and known variants (DOMAIN.md §2.1) for each section.
    static let titleNames: [(SectionID, [String])] = [
        (.overview, ["总体情况", "政府信息公开工作总体情况"]),
        (.proactive, ["主动公开政府信息情况", "行政机关主动公开政府信息情况", "主动公开政府信息的情况"]),
        (.applications, ["收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况", "行政机关收到和处理政府信息公开申请情况",
                         "行政机关收到和处理政府信息公开申请的情况", "依申请公开政府信息情况"]),
        (.reviews, ["政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议和行政诉讼情况", "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                    "因政府信息公开工作被申请行政复议、提起行政诉讼的情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                    "政府信息公开行政复议、行政诉讼的情况", "被申请行政复议、提起行政诉讼情况", "政府信息公开行政复议与行政诉讼情况",
                    "政府信息公开行政复议及行政诉讼情况", "因政府信息公开工作被申请行政复议提起行政诉讼情况"]),
        (.problems, ["存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况", "存在的主要问题和改进情况", "存在的主要问题及改进措施",
                     "工作中存在的主要问题及改进情况", "存在的问题及改进情况"]),
        (.other, ["其他需要报告的事项", "其他需要报告事项", "其他需要说明的事项", "其他报告的事项", "其他事项"]),
    ]

    /// Titles too general to be a heading on their own: they count only after an ordinal (`六、其他事项`),
    /// since a line `其他事项` may be anything.
    static let ordinalOnly: Set<[UInt8]> = [Label.bytes("其他事项")]

    static let titles: [[UInt8]: (SectionID, Bool)] = {
        var map: [[UInt8]: (SectionID, Bool)] = [:]
        for (section, names) in titleNames {
            for (i, name) in names.enumerated() { map[Label.bytes(name)] = (section, i > 0) }
        }
        return map
    }()

    /// The titles as normalized bytes, for comparing without hashing.
    static let titleList: [(bytes: [UInt8], section: SectionID, variant: Bool)] = titles.map { ($0.key, $0.value.0, $0.value.1) }

    /// The normalized titles back to back, with where each starts and ends, for comparing a line
    /// against all of them without touching an array per title.
    struct TitleTable {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        var headings: [(SectionID, Bool)] = []
        var longest = 0
    }

    static let titleTable: TitleTable = {
        var table = TitleTable()
        for title in titleList {
            table.ranges.append(table.bytes.count..<(table.bytes.count + title.bytes.count))
            table.bytes += title.bytes
            table.headings.append((title.section, title.variant))
            table.longest = max(table.longest, title.bytes.count)
        }
        return table
    }()

    /// The titles and the one-numeral ordinals as usually written, made once: a heading whose
    /// text is one of them takes it instead of a new `String` (validated, and too long to be small).
    static let writtenTexts = ByteKeyTable<String>(
        (titleNames.flatMap(\.1) + ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]).map { (Array($0.utf8), $0) })

    @inline(__always)
    static func writtenText(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        let text = UnsafeBufferPointer(rebasing: bytes[from..<to])
        return writtenTexts[text] ?? String(decoding: text, as: UTF8.self)
    }

    static let numerals: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    static let ordinalSeparators: Set<Unicode.Scalar> = ["、", ".", "．", "，", ",", " ", "\u{3000}", "：", ":"]

    @inline(__always)
    static func isNumeral(_ v: UInt32) -> Bool {
        switch v {
        case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341: true
        default: false
        }
    }

    @inline(__always)
    static func isOrdinalSeparator(_ v: UInt32) -> Bool {
        switch v {
        case 0x3001, 0x2E, 0xFF0E, 0xFF0C, 0x2C, 0x20, 0x3000, 0xFF1A, 0x3A: true
        default: false
        }
    }

    /// A heading when the whole line, less its ordinal, is a known title.
    static func match(_ line: LineInfo, in source: SourceText) -> SectionHeading? {
        source.bytes.withUnsafeBufferPointer { match(line, $0, in: source) }
    }

    /// `match` with the text's bytes at hand (the scanner calls it for every line).
    @inline(__always)
    static func match(_ line: LineInfo, _ b: UnsafeBufferPointer<UInt8>, in source: SourceText) -> SectionHeading? {
        let length = line.trimmed.length
        guard !line.isCell, length >= 6, length <= 150 else { return nil }
        // Every title ends in 况, 项 or 施 (before a closing 。 or ：); most lines fail this cheap test.
        var end = line.trimmed.end
        while end - 3 >= line.trimmed.start, (b[end - 3] == 0xE3 && b[end - 2] == 0x80 && b[end - 1] == 0x82)
            || (b[end - 3] == 0xEF && b[end - 2] == 0xBC && b[end - 1] == 0x9A) { end -= 3 }
        guard end - 3 >= line.trimmed.start else { return nil }
        let tail = (UInt32(b[end - 3]) << 16) | (UInt32(b[end - 2]) << 8) | UInt32(b[end - 1])
        guard tail == 0xE586B5 || tail == 0xE9A1B9 || tail == 0xE696BD else { return nil }
        let first = b[line.trimmed.start]
        // A heading starts with a numeral or with the title itself, never with （ or a digit;
        // a PDF page footer (`- 4 -`) may be glued in front of it.
        guard first >= 0xE0 || first == 0x2D else { return nil }
        // The byte walk assumes well-formed UTF-8; anything else takes the scalar path.
        guard source.isKnownValidUTF8 || UTF8Validation.isValid(UnsafeBufferPointer(rebasing: b[line.trimmed.start..<line.trimmed.end])) else {
            return matchScalars(line, in: source, first: first)
        }
        return match(line, b, first: first)
    }

    /// `match` on well-formed UTF-8, scalar by scalar over the bytes: the same steps as
    /// `matchScalars` without building scalar arrays or Strings for lines that are not headings.
    static func match(_ line: LineInfo, _ bytes: UnsafeBufferPointer<UInt8>, first: UInt8) -> SectionHeading? {
        var start = line.trimmed.start
        let end = line.trimmed.end
        if first == 0x2D {
            // `- 4 -`: the footer (TableText.footerLength) and the spaces after it.
            var j = start + 1
            func skipSpaces() {
                while j < end {
                    let (v, n) = PlainText.scalar(bytes, j)
                    guard CharClass.isSpace(Unicode.Scalar(v)!) else { return }
                    j += n
                }
            }
            skipSpaces()
            let digitsStart = j
            while j < end {
                let (v, n) = PlainText.scalar(bytes, j)
                guard CharClass.digit(Unicode.Scalar(v)!) != nil else { break }
                j += n
            }
            let hadDigits = j > digitsStart
            skipSpaces()
            guard hadDigits, j < end, bytes[j] == 0x2D else { return nil }
            j += 1
            skipSpaces()
            start = j
        }
        var p = start
        var numerals = 0
        while p < end {
            let (v, n) = PlainText.scalar(bytes, p)
            guard isNumeral(v) else { break }
            p += n
            numerals += 1
        }
        var ordinalEnd: Int?
        var titleStart = start
        if numerals > 0, numerals <= 2, p < end {
            let (v, n) = PlainText.scalar(bytes, p)
            if isOrdinalSeparator(v) {
                ordinalEnd = p
                titleStart = p + n
                while titleStart < end {
                    let (v, n) = PlainText.scalar(bytes, titleStart)
                    guard CharClass.isSpace(Unicode.Scalar(v)!) else { break }
                    titleStart += n
                }
            }
        }
        var titleEnd = end
        while titleEnd > titleStart {
            if bytes[titleEnd - 1] == 0x3A { titleEnd -= 1; continue }
            // 。 E3 80 82, ： EF BC 9A, ； EF BC 9B
            guard titleEnd - 3 >= titleStart else { break }
            let a = bytes[titleEnd - 3], b = bytes[titleEnd - 2], c = bytes[titleEnd - 1]
            guard (a == 0xE3 && b == 0x80 && c == 0x82) || (a == 0xEF && b == 0xBC && (c == 0x9A || c == 0x9B)) else { break }
            titleEnd -= 3
        }
        // Normalize the title (Label.bytes) on the stack and compare it with the known titles.
        let table = titleTable
        let found: (SectionID, Bool)? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: titleEnd - titleStart + 4) { out in
            var count = 0
            var i = titleStart
            while i < titleEnd {
                // A sentence that merely ends in 情况 is longer than any title.
                if count > table.longest { return nil }
                let (value, n) = PlainText.scalar(bytes, i)
                i += n
                if CharClass.isSpace(Unicode.Scalar(value)!) { continue }
                var v = value
                if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }
                switch v {
                case 0x3001, 0x2E, 0x2C, 0x3A, 0x3B, 0x22, 0x27, 0x201C, 0x201D, 0x2018, 0x2019, 0x300C, 0x300D, 0xB7, 0x3002, 0xFE52:
                    continue
                default:
                    if v != value {
                        out[count] = UInt8(v) // a full-width form folded to ASCII
                        count += 1
                    } else {
                        for k in (i - n)..<i { out[count] = bytes[k]; count += 1 }
                    }
                }
            }
            return table.bytes.withUnsafeBufferPointer { titles in
                for (t, range) in table.ranges.enumerated() where range.count == count {
                    if memcmp(titles.baseAddress! + range.lowerBound, out.baseAddress!, count) == 0 { return table.headings[t] }
                }
                return nil
            }
        }
        guard let (section, variant) = found else { return nil }
        let written = writtenText(bytes, titleStart, titleEnd)
        if ordinalEnd == nil, variant, ordinalOnly.contains(Label.bytes(written)) { return nil }
        let ordinal = ordinalEnd.map { writtenText(bytes, start, $0) }
        return SectionHeading(section: section, span: SourceSpan(start: start, end: end), writtenOrdinal: ordinal, writtenTitle: written,
                              isVariant: variant, line: line.number)
    }

    /// The original scalar-array matcher, kept for lines that are not well-formed UTF-8.
    static func matchScalars(_ line: LineInfo, in source: SourceText, first: UInt8) -> SectionHeading? {
        var sc = Scalars(source.bytes, line.trimmed)
        let footer = TableText.footerLength(sc)
        if footer > 0 {
            sc = Scalars(source.bytes, SourceSpan(start: sc.offsets[footer], end: line.trimmed.end))
        } else if first == 0x2D {
            return nil
        }
        var i = 0
        while i < sc.count, numerals.contains(sc.scalars[i]) { i += 1 }
        var ordinal: String?
        var titleStart = 0
        if i > 0, i <= 2, i < sc.count, ordinalSeparators.contains(sc.scalars[i]) {
            ordinal = sc.string(0, i)
            titleStart = i + 1
            while titleStart < sc.count, CharClass.isSpace(sc.scalars[titleStart]) { titleStart += 1 }
        }
        var titleEnd = sc.count
        while titleEnd > titleStart, ["。", "：", ":", "；"].contains(sc.scalars[titleEnd - 1]) { titleEnd -= 1 }
        let written = sc.string(titleStart, titleEnd)
        guard let (section, variant) = titles[Label.bytes(written)] else { return nil }
        if ordinal == nil, ordinalOnly.contains(Label.bytes(written)) { return nil }
        return SectionHeading(section: section, span: sc.span(0, sc.count), writtenOrdinal: ordinal, writtenTitle: written,
                              isVariant: variant, line: line.number)
    }
}
