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
        var lines: [LineInfo] = []
        lines.reserveCapacity(lineCount)
        for n in 1...lineCount {
            let span = lineSpan(n)
            let isCell = span.length > 0 && bytes[span.start] == 0x09
            lines.append(LineInfo(number: n, span: span, trimmed: trim(span), isCell: isCell))
        }
        return lines
    }
}

/// Recognizes the six section headings, with or without (or with a wrong) ordinal.
enum HeadingMatcher {
    /// Normalized heading titles and known variants (DOMAIN.md §2.1) for each section.
    static let titles: [[UInt8]: (SectionID, Bool)] = {
        let table: [(SectionID, [String])] = [
            (.overview, ["总体情况", "政府信息公开工作总体情况"]),
            (.proactive, ["主动公开政府信息情况", "行政机关主动公开政府信息情况", "主动公开政府信息的情况"]),
            (.applications, ["收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况", "行政机关收到和处理政府信息公开申请情况",
                             "行政机关收到和处理政府信息公开申请的情况", "依申请公开政府信息情况"]),
            (.reviews, ["政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议和行政诉讼情况", "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                        "因政府信息公开工作被申请行政复议、提起行政诉讼的情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                        "政府信息公开行政复议、行政诉讼的情况", "被申请行政复议、提起行政诉讼情况"]),
            (.problems, ["存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况", "存在的主要问题和改进情况", "存在的主要问题及改进措施",
                         "工作中存在的主要问题及改进情况", "存在的问题及改进情况"]),
            (.other, ["其他需要报告的事项", "其他需要报告事项", "其他需要说明的事项"]),
        ]
        var map: [[UInt8]: (SectionID, Bool)] = [:]
        for (section, names) in table {
            for (i, name) in names.enumerated() { map[Label.bytes(name)] = (section, i > 0) }
        }
        return map
    }()

    static let numerals: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    static let ordinalSeparators: Set<Unicode.Scalar> = ["、", ".", "．", "，", ",", " ", "\u{3000}", "：", ":"]

    /// A heading when the whole line, less its ordinal, is a known title.
    static func match(_ line: LineInfo, in source: SourceText) -> SectionHeading? {
        let length = line.trimmed.length
        guard !line.isCell, length >= 6, length <= 150 else { return nil }
        // Every title ends in 况, 项 or 施 (before a closing 。 or ：); most lines fail this cheap test.
        var end = line.trimmed.end
        let b = source.bytes
        while end - 3 >= line.trimmed.start, (b[end - 3] == 0xE3 && b[end - 2] == 0x80 && b[end - 1] == 0x82)
            || (b[end - 3] == 0xEF && b[end - 2] == 0xBC && b[end - 1] == 0x9A) { end -= 3 }
        guard end - 3 >= line.trimmed.start else { return nil }
        let tail = (UInt32(b[end - 3]) << 16) | (UInt32(b[end - 2]) << 8) | UInt32(b[end - 1])
        guard tail == 0xE586B5 || tail == 0xE9A1B9 || tail == 0xE696BD else { return nil }
        let first = source.bytes[line.trimmed.start]
        // A heading starts with a numeral or with the title itself, never with （ or a digit;
        // a PDF page footer (`- 4 -`) may be glued in front of it.
        guard first >= 0xE0 || first == 0x2D else { return nil }
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
        return SectionHeading(section: section, span: sc.span(0, sc.count), writtenOrdinal: ordinal, writtenTitle: written,
                              isVariant: variant, line: line.number)
    }
}
