import ReportModel

/// Builds the document model of one decoded report: headings, prose, tables and facts.
public enum ReportScanner {
    public static func scan(_ source: SourceText) -> Document {
        var doc = Document(source: source)
        let lines = source.lineCount == 0 ? [] : source.lineInfos()

        // Headings: whole lines whose text, less the ordinal, is one of the six titles.
        // `headingSection[n]` is the section of the heading on line n, or 0.
        var headingSection = [UInt8](repeating: 0, count: lines.count + 2)
        source.bytes.withUnsafeBufferPointer { bytes in
            for line in lines {
                if let heading = HeadingMatcher.match(line, bytes, in: source) {
                    doc.headings.append(heading)
                    headingSection[line.number] = UInt8(heading.section.rawValue)
                }
            }
        }

        // Tables, found by their own content so that a missing heading does not lose its table.
        var tableLines = [Bool](repeating: false, count: lines.count + 2)
        scanTables(lines, source: source, into: &doc, tableLines: &tableLines)

        // Dates first: the signature is found by the date that ends it.
        let facts = FactScanner(source: source)
        doc.dates = facts.dates()

        // Prose.
        var section: SectionID?
        var previousProseLine = -1
        let signatureStart = signatureLines(lines, source: source, tableLines: tableLines, dates: doc.dates)
        for line in lines where !line.isBlank {
            if headingSection[line.number] != 0 {
                section = SectionID(rawValue: Int(headingSection[line.number]))
                continue
            }
            if tableLines[line.number] { continue }
            let kind: BlockKind
            if line.number >= signatureStart { kind = .signature }
            else if doc.titleSpan == nil { kind = .title }
            else if isSubheading(line, source: source) { kind = .subheading }
            else { kind = .paragraph }
            if kind == .title {
                doc.titleSpan = line.trimmed
            }
            // Consecutive prose lines with no blank line between form one paragraph (a PDF text
            // layer wraps sentences across lines).
            if kind == .paragraph, let last = doc.paragraphs.last, last.kind == .paragraph, last.section == section,
               previousProseLine == line.number - 1 {
                doc.paragraphs[doc.paragraphs.count - 1].span = last.span.union(line.trimmed)
            } else {
                doc.paragraphs.append(Paragraph(kind: kind, span: line.trimmed, line: line.number, section: section))
            }
            previousProseLine = line.number
        }
        scanTitle(&doc, lines: lines)

        doc.statisticsPeriod = facts.statisticsPeriod(doc.dates)
        doc.contacts = facts.contacts()
        if doc.reportYear == nil { doc.reportYear = doc.statisticsPeriod?.start.year }

        // Publication date (RULES.md): the page's publication metadata (a 发布日期/发布时间 line above the
        // first section heading, as a saved page or a crawler header has it), else the signature date,
        // else a 发布日期 line elsewhere.
        let signatureDates = doc.dates.filter { source.lineNumber(of: $0.span.start) >= signatureStart }
        let firstHeading = min(doc.headings.map(\.span.start).min() ?? source.bytes.count, source.bytes.count)
        if let metadata = Self.datedLabelLines(source, doc.dates, before: firstHeading),
           doc.titleSpan.map({ metadata.span.start > $0.start }) ?? true {
            doc.publicationDate = metadata
        } else if let last = signatureDates.last {
            doc.publicationDate = last
        } else if let labelled = Self.datedLabelLines(source, doc.dates) {
            doc.publicationDate = labelled
        }
        return doc
    }

    /// The first line of the closing signature block (issuer and date), or past the end.
    static func signatureLines(_ lines: [LineInfo], source: SourceText, tableLines: [Bool], dates: [DateMention]) -> Int {
        func endsWithDate(_ span: SourceSpan) -> Bool { ReportScanner.endsWithDate(span, source: source, dates: dates) }
        // The last non-blank line that is short and holds a date opens or ends the signature.
        var candidates: [LineInfo] = []
        for line in lines.reversed() where !line.isBlank {
            if tableLines[line.number] { break }
            // A page number printed after the signature (`— 5 —`, `第 5 页`) is not part of it.
            if candidates.isEmpty, isPageNumber(line.trimmed, source: source) { continue }
            candidates.append(line)
            if candidates.count == 3 { break }
        }
        guard let last = candidates.first else { return Int.max }
        // The issuer may stand after the date (RULES.md: "in either order"): a short line that reads
        // as a name, just below a short line ending with a date.
        if candidates.count > 1, last.trimmed.length <= 90, isNameLike(last.trimmed, source: source),
           candidates[1].trimmed.length <= 60, candidates[1].number >= last.number - 2,
           endsWithDate(candidates[1].trimmed), !endsWithDate(last.trimmed) {
            return candidates[1].number
        }
        // The signature ends with its date.
        guard last.trimmed.length <= 60, endsWithDate(last.trimmed) else { return Int.max }
        var start = last.number
        // The issuer line just above the date, when it is short and not a sentence.
        if candidates.count > 1, candidates[1].trimmed.length <= 90, candidates[1].number >= last.number - 2 {
            start = candidates[1].number
        }
        return start
    }

    /// Whether a line is a page number alone, as a page footer prints it: `— 5 —`, `- 5 -`, `－3－`,
    /// `第 5 页`, `第5页 共9页`, `5/9` (white space ignored; numbers of at most three digits, so a
    /// date such as `2024-01-20` or a row of table values `- - 5 - -` is not one).
    static func isPageNumber(_ span: SourceSpan, source: SourceText) -> Bool {
        guard span.length > 0, span.length <= 40 else { return false }
        let sc = Array(Scalars(source.bytes, span).scalars.lazy.filter { !CharClass.isSpace($0) })
        var i = 0
        func number() -> Bool {
            let start = i
            while i < sc.count, CharClass.digit(sc[i]) != nil { i += 1 }
            return i > start && i - start <= 3
        }
        func dashes() -> Bool {
            let start = i
            while i < sc.count, "-—–－―".unicodeScalars.contains(sc[i]) { i += 1 }
            return i > start && i - start <= 2
        }
        func word(_ s: Unicode.Scalar) -> Bool {
            guard i < sc.count, sc[i] == s else { return false }
            i += 1
            return true
        }
        guard let first = sc.first else { return false }
        if first == "第" || first == "共" {
            // 第5页, 第5页共9页, 共9页第5页
            while i < sc.count {
                guard word("第") || word("共"), number(), word("页") else { return false }
            }
            return true
        }
        if CharClass.digit(first) != nil {
            return number() && word("/") && number() && i == sc.count
        }
        return dashes() && number() && dashes() && i == sc.count
    }

    /// Whether a short line can be the issuer's name of a signature: no digit and none of the
    /// punctuation a sentence, a list item or a label (`附件：`) has.
    static func isNameLike(_ span: SourceSpan, source: SourceText) -> Bool {
        guard span.length >= 6 else { return false }
        for s in Scalars(source.bytes, span).scalars {
            if CharClass.digit(s) != nil || "。，；：,;:！？!?、".unicodeScalars.contains(s) { return false }
        }
        return true
    }

    /// Whether a line ends with a date the fact scanner read (`2024年1月20日`, `二〇二四年一月二十日`,
    /// `2024.1.20`…), perhaps followed by closing punctuation. A short sentence that merely names a
    /// year and a number (`全年收取信息处理费0元。`) does not.
    static func endsWithDate(_ span: SourceSpan, source: SourceText, dates: [DateMention]) -> Bool {
        // Dates are in text order: the last one starting before the line's end.
        var lo = 0, hi = dates.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if dates[mid].span.start < span.end { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, case let date = dates[lo - 1], date.span.start >= span.start, date.span.end <= span.end else { return false }
        for s in Scalars(source.bytes, SourceSpan(start: date.span.end, end: span.end)).scalars
        where !CharClass.isSpace(s) && !"。.）)".unicodeScalars.contains(s) {
            return false
        }
        return looseDateLine(span, source: source)
    }

    /// Whether a line says 年, - or . and holds a number (Character.isNumber).
    static func looseDateLine(_ span: SourceSpan, source: SourceText) -> Bool {
        let bytes = source.bytes
        if PlainText.isPlain(bytes, span) {
            // Plain text: Character comparisons are byte comparisons; an ASCII digit is a number,
            // and without one the Character check below decides (一, ０ and the like).
            var marked = false, digit = false
            for i in span.start..<span.end {
                let b = bytes[i]
                if b == 0x2D || b == 0x2E { marked = true }
                if b >= 0x30 && b <= 0x39 { digit = true }
                if b == 0xE5, i + 2 < span.end, bytes[i + 1] == 0xB9, bytes[i + 2] == 0xB4 { marked = true }
            }
            guard marked else { return false }
            if digit { return true }
        }
        let text = source.text(span)
        return (text.contains("年") || text.contains("-") || text.contains(".")) && text.contains(where: \.isNumber)
    }

    static func isSubheading(_ line: LineInfo, source: SourceText) -> Bool {
        let bytes = source.bytes
        let s = line.trimmed.start
        guard line.trimmed.length > 0 else { return false }
        // （一） / (一) / 1. / 1、 at the start of a short line that is not a sentence running on.
        let startsWithParen = bytes[s] == 0x28 || (line.trimmed.length >= 3 && bytes[s] == 0xEF && bytes[s + 1] == 0xBC && bytes[s + 2] == 0x88)
        let startsWithDigit = bytes[s] >= 0x30 && bytes[s] <= 0x39
        guard startsWithParen || startsWithDigit, line.trimmed.length <= 90 else { return false }
        // A 。 (E3 80 82) before the end means a sentence runs on after the ordinal: prose, not a heading.
        var i = s
        while i + 6 <= line.trimmed.end {
            if bytes[i] == 0xE3 && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x82 { return false }
            i += 1
        }
        return true
    }

    static let reportWord = Array("报告".utf8)
    static let yearWord = Array("年度".utf8)
    static let issuerSuffixes = ["政府信息公开工作年度报告", "政府信息公开年度报告", "信息公开工作年度报告", "工作年度报告", "年度报告"].map { Array($0.utf8) }
    static let peoplesGovernment = Array("人民政府".utf8)

    /// The title (first one or two lines), the report year and the issuer written in it.
    static func scanTitle(_ doc: inout Document, lines: [LineInfo]) {
        let source = doc.source
        var first: LineInfo?
        var second: LineInfo?
        for line in lines where !line.isBlank && !line.isCell {
            if first == nil { first = line } else { second = line; break }
        }
        // A title is a short line; a huge first line (a broken file) is not worth reading as one.
        guard let first, first.trimmed.length <= 600 else { return }
        // Plain text: every Character is one scalar and compares by its bytes, so the String
        // operations of `scanTitleCharacters` become byte operations with the same results.
        // The second line counts only when the first does not say 报告.
        let bytes = source.bytes
        guard PlainText.isPlain(bytes, first.trimmed) else { return scanTitleCharacters(&doc, lines: lines) }
        let hasReport = bytes.withUnsafeBufferPointer { PlainText.contains($0, first.trimmed, reportWord) }
        if !hasReport, let second, !PlainText.isPlain(bytes, second.trimmed) { return scanTitleCharacters(&doc, lines: lines) }
        var span = first.trimmed
        var text = Array(bytes[first.trimmed.start..<first.trimmed.end])
        if !hasReport, let second, bytes.withUnsafeBufferPointer({ PlainText.contains($0, second.trimmed, reportWord) }) {
            span = span.union(second.trimmed)
            text += bytes[second.trimmed.start..<second.trimmed.end]
            if let index = doc.paragraphs.firstIndex(where: { $0.line == second.number }) { doc.paragraphs[index].kind = .title }
        }
        let all = SourceSpan(start: 0, end: text.count)
        let isTitle = text.withUnsafeBufferPointer { PlainText.contains($0, all, reportWord) || PlainText.contains($0, all, yearWord) }
        guard isTitle else { return }
        doc.title = String(decoding: text, as: UTF8.self)
        doc.titleSpan = span
        // Without white space (plain white space: space, TAB, U+3000), as scalars with their offsets.
        var compact: [UInt8] = []
        var values: [UInt32] = []
        var offsets: [Int] = []
        compact.reserveCapacity(text.count)
        values.reserveCapacity(text.count)
        offsets.reserveCapacity(text.count + 1)
        text.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < buffer.count {
                let (v, n) = PlainText.scalar(buffer, i)
                if !CharClass.isSpace(Unicode.Scalar(v)!) {
                    offsets.append(compact.count)
                    values.append(v)
                    for k in i..<(i + n) { compact.append(buffer[k]) }
                }
                i += n
            }
        }
        offsets.append(compact.count)
        @inline(__always) func digit(_ k: Int) -> Int? { CharClass.digit(Unicode.Scalar(values[k])!) }
        var issuer: [UInt8] = []
        issuer.reserveCapacity(compact.count)
        var i = 0
        while i < values.count {
            if i + 4 < values.count, (i..<(i + 4)).allSatisfy({ digit($0) != nil }), values[i + 4] == 0x5E74 { // 年
                if doc.reportYear == nil { doc.reportYear = (i..<(i + 4)).reduce(0) { $0 * 10 + digit($1)! } }
                i += 5
                if i < values.count, values[i] == 0x5EA6 { i += 1 } // 度
                continue
            }
            for k in offsets[i]..<offsets[i + 1] { issuer.append(compact[k]) }
            i += 1
        }
        var name = issuer[...]
        for suffix in issuerSuffixes where name.count >= suffix.count && name.suffix(suffix.count).elementsEqual(suffix) {
            name.removeLast(suffix.count)
            break
        }
        // 《 》 “ ” （ ）: all three bytes long.
        func isWrapper(_ c: ArraySlice<UInt8>) -> Bool {
            let v = (UInt32(c[c.startIndex]) << 16) | (UInt32(c[c.startIndex + 1]) << 8) | UInt32(c[c.startIndex + 2])
            return v == 0xE3808A || v == 0xE3808B || v == 0xE2809C || v == 0xE2809D || v == 0xEFBC88 || v == 0xEFBC89
        }
        while name.count >= 3, isWrapper(name.prefix(3)) { name.removeFirst(3) }
        while name.count >= 3, isWrapper(name.suffix(3)) { name.removeLast(3) }
        if !name.isEmpty { doc.issuer = String(decoding: name, as: UTF8.self) }
        if name.count >= peoplesGovernment.count, name.suffix(peoplesGovernment.count).elementsEqual(peoplesGovernment) { doc.kind = .government }
    }

    /// `scanTitle` with String and Character operations, for title lines that are not plain text.
    static func scanTitleCharacters(_ doc: inout Document, lines: [LineInfo]) {
        let source = doc.source
        let nonBlank = lines.lazy.filter { !$0.isBlank && !$0.isCell }.prefix(3)
        // A title is a short line; a huge first line (a broken file) is not worth reading as one.
        guard let first = nonBlank.first, first.trimmed.length <= 600 else { return }
        var span = first.trimmed
        var text = source.text(first.trimmed)
        if !text.contains("报告"), let second = nonBlank.dropFirst().first, source.text(second.trimmed).contains("报告") {
            span = span.union(second.trimmed)
            text += source.text(second.trimmed)
            if let index = doc.paragraphs.firstIndex(where: { $0.line == second.number }) { doc.paragraphs[index].kind = .title }
        }
        guard text.contains("报告") || text.contains("年度") else { return }
        doc.title = text
        doc.titleSpan = span
        let compact = String(String.UnicodeScalarView(text.unicodeScalars.filter { !CharClass.isSpace($0) }))
        let scalars = Array(compact.unicodeScalars)
        var issuer = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if i + 4 < scalars.count, (i..<(i + 4)).allSatisfy({ CharClass.digit(scalars[$0]) != nil }), scalars[i + 4] == "年" {
                if doc.reportYear == nil { doc.reportYear = (i..<(i + 4)).reduce(0) { $0 * 10 + CharClass.digit(scalars[$1])! } }
                i += 5
                if i < scalars.count, scalars[i] == "度" { i += 1 }
                continue
            }
            issuer.append(scalars[i])
            i += 1
        }
        var name = String(issuer)
        for suffix in ["政府信息公开工作年度报告", "政府信息公开年度报告", "信息公开工作年度报告", "工作年度报告", "年度报告"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
            break
        }
        let wrappers: Set<Character> = ["《", "》", "“", "”", "（", "）"]
        while let c = name.first, wrappers.contains(c) { name.removeFirst() }
        while let c = name.last, wrappers.contains(c) { name.removeLast() }
        if !name.isEmpty { doc.issuer = name }
        if name.hasSuffix("人民政府") { doc.kind = .government }
    }

    // MARK: - Tables

    static func contains(_ source: SourceText, _ span: SourceSpan, _ needle: [UInt8]) -> Bool {
        ByteSearch.contains(source.bytes, span, needle)
    }

    static let period = Array("。".utf8)
    static let publishedLabels = ["发布日期", "发布时间", "成文日期"].map { Array($0.utf8) }

    /// The first date on a line that says 发布日期 (or 发布时间, 成文日期); one pass over the text.
    static func datedLabelLines(_ source: SourceText, _ dates: [DateMention], before end: Int? = nil) -> DateMention? {
        var lines = Set<Int>()
        let count = end ?? source.bytes.count
        source.bytes.withUnsafeBufferPointer { bytes in
            for label in publishedLabels {
                var at = 0
                while let hit = PlainText.firstIndex(bytes, at, count, label) {
                    lines.insert(source.lineNumber(of: hit))
                    at = hit + label.count
                }
            }
        }
        guard !lines.isEmpty else { return nil }
        return dates.first { lines.contains(source.lineNumber(of: $0.span.start)) }
    }
    static let article20 = Array("第二十条".utf8)
    static let checksumNote = Array("勾稽关系".utf8)
    static let applicants = Array("申请人情况".utf8)
    static let newApplications = Array("本年新收政府信息公开申请数量".utf8)
    static let administrativeReview = Array("行政复议".utf8)

    static func scanTables(_ lines: [LineInfo], source: SourceText, into doc: inout Document, tableLines: inout [Bool]) {
        let headings = doc.headings
        func headingLine(_ section: SectionID) -> Int? { headings.first { $0.section == section }?.line }
        /// First heading line after `line` whose section is at least `section`.
        func nextHeading(after line: Int, atLeast section: SectionID) -> Int {
            // Headings are in line order: binary search for the first after `line`.
            var lo = 0, hi = headings.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if headings[mid].line > line { hi = mid } else { lo = mid + 1 }
            }
            return headings[lo...].first { $0.section >= section }?.line ?? lines.count + 1
        }
        func firstLine(from: Int, to: Int, where predicate: (LineInfo) -> Bool) -> LineInfo? {
            guard from <= to else { return nil }
            for n in max(1, from)...min(to, lines.count) where predicate(lines[n - 1]) { return lines[n - 1] }
            return nil
        }
        let end = lines.count
        var isHeadingLine = [Bool](repeating: false, count: lines.count + 2)
        for h in headings { isHeadingLine[h.line] = true }
        let isHeading: (LineInfo) -> Bool = { line in isHeadingLine[line.number] }

        let t2Anchor = firstLine(from: headingLine(.proactive) ?? 1, to: end) {
            !isHeading($0) && contains(source, $0.trimmed, article20)
        }
        let t3Anchor = firstLine(from: t2Anchor?.number ?? headingLine(.applications) ?? headingLine(.proactive) ?? 1, to: end) { line in
            guard !isHeading(line) else { return false }
            if contains(source, line.trimmed, checksumNote) || contains(source, line.trimmed, newApplications) { return true }
            return contains(source, line.trimmed, applicants) && line.trimmed.length <= 20
        }
        let t4Anchor = firstLine(from: (t3Anchor?.number ?? headingLine(.reviews) ?? end + 1) + 1, to: end) { line in
            guard !isHeading(line), contains(source, line.trimmed, administrativeReview) else { return false }
            // On plain text a Character prefix is a byte prefix (see PlainText).
            let normalized = Label.bytes(source.text(line.trimmed))
            if PlainText.isPlain(normalized, SourceSpan(start: 0, end: normalized.count)) {
                return normalized.starts(with: administrativeReview)
            }
            return String(decoding: normalized, as: UTF8.self).hasPrefix("行政复议")
        }

        func region(_ anchor: LineInfo, _ stop: Int) -> ArraySlice<LineInfo> {
            var last = min(stop - 1, end)
            if anchor.isCell {
                // The template layout ends at the first prose line after a blank line.
                var previousBlank = false
                var n = anchor.number
                while n <= last {
                    let line = lines[n - 1]
                    if !line.isCell && !line.isBlank && previousBlank { last = n - 1; break }
                    previousBlank = line.isBlank
                    n += 1
                }
            }
            return lines[(anchor.number - 1)..<max(anchor.number - 1, last)]
        }

        func add(_ id: TableID, _ anchor: LineInfo?, stop: Int, scan: (ArraySlice<LineInfo>, SourceSpan) -> Result<Table, TableProblem>) {
            guard let anchor else {
                let span = headings.first { $0.section == id.section }?.span
                doc.tableProblems.append(TableProblem(table: id, reason: "未找到\(id.displayName)", span: span))
                return
            }
            let lines = region(anchor, stop)
            for line in lines { tableLines[line.number] = true }
            switch scan(lines, anchor.trimmed) {
            case .success(let table): doc.tables.append(table)
            case .failure(let problem): doc.tableProblems.append(problem)
            }
        }

        let t2Stop = min(t3Anchor?.number ?? Int.max, nextHeading(after: t2Anchor?.number ?? 0, atLeast: .applications))
        var unreadRows: TableProblem?
        add(.two, t2Anchor, stop: t2Stop) { lines, first in
            lines.first?.isCell == true
                ? Table2Scanner.scanCells(TableText.rows(lines, source: source), firstCell: first, unreadRows: &unreadRows)
                : Table2Scanner.scanTextLayer(lines, source: source, firstCell: first, unreadRows: &unreadRows)
        }
        if let unreadRows { doc.tableProblems.append(unreadRows) }
        let t3Stop = min(t4Anchor?.number ?? Int.max, nextHeading(after: t3Anchor?.number ?? 0, atLeast: .reviews))
        add(.three, t3Anchor, stop: t3Stop) { lines, first in
            lines.first?.isCell == true
                ? Table3Scanner.scanCells(TableText.rows(lines, source: source), firstCell: first)
                : Table3Scanner.scanTextLayer(lines, source: source, firstCell: first)
        }
        let t4Stop = nextHeading(after: t4Anchor?.number ?? 0, atLeast: .problems)
        add(.four, t4Anchor, stop: t4Stop) { lines, first in
            lines.first?.isCell == true
                ? Table4Scanner.scanCells(TableText.rows(lines, source: source), firstCell: first)
                : Table4Scanner.scanTextLayer(lines, source: source, firstCell: first)
        }
    }
}
