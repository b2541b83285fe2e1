import ReportModel

/// Reads text whose line layout carries no structure: a portal crawler's saved page (a metadata
/// header, then the whole body on one line, headings running into their paragraphs and table rows
/// flattened into `label 0 0 0` or `label000`), or any report whose body is a few very long lines.
///
/// The body is read as a stream: section headings are found wherever they stand (ordinal, `、`,
/// a known title), tables by their template labels in order, a row's cells being whatever numbers
/// stand between its label and the next. The result is a view in the layout the scanner reads
/// (headings and paragraphs on lines of their own, one table row per line with its cells two spaces
/// apart), mapped back to the original text, so positions are reported in the file as it is.
///
/// A row whose cells ran together is split only when it is unambiguous: the run's digit count
/// equals the row's cell count (one digit per cell). Otherwise the row keeps its one run of digits,
/// which the scanner then reports as a row it cannot read; nothing is guessed.
enum FlatTextReader {
    /// The restructured view, or nil when the text is not flat (the usual layouts are read as they are).
    static func read(_ text: SourceText) -> ReadInput? {
        let bytes = text.bytes
        // Cheap gate first: flat reports have few lines, at least one of them long.
        guard bytes.count >= 1_000, text.lineCount <= 80 else { return nil }
        let stream = Stream(bytes)
        let header = stream.crawlerHeader()
        let bodyStart = header?.bodyStart ?? 0
        guard header != nil || stream.hasFlatBody(from: bodyStart) else { return nil }

        var reader = Reader(stream: stream, start: stream.skipChrome(from: bodyStart), end: stream.trimmedEnd())
        reader.titleFromHeader = header?.title
        reader.published = header?.published
        let blocks = reader.blocks()
        let view = ViewBuilder.render(blocks)
        return ReadInput(view: SourceText(bytes: view.bytes), map: SourceMap(original: text, segments: view.segments),
                         encoding: .utf8)
    }

    // MARK: - The text as scalars with their byte offsets

    struct Stream {
        var scalars: [Unicode.Scalar] = []
        /// Byte offset of each scalar, plus the end.
        var offsets: [Int] = []

        init(_ bytes: [UInt8]) {
            // The caller validated the UTF-8.
            let pieces = ViewTextRules.pieces(of: bytes)
            scalars = pieces.map(\.scalar)
            offsets = pieces.map(\.original) + [pieces.last?.originalEnd ?? 0]
        }

        var count: Int { scalars.count }

        func piece(_ i: Int) -> Piece { Piece(scalar: scalars[i], original: offsets[i], originalLength: offsets[i + 1] - offsets[i]) }

        /// White space between words and cells: what the other readers trim.
        static func isSpace(_ s: Unicode.Scalar) -> Bool { ViewTextRules.isTrimmable(s) }

        static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
            switch s.value {
            case 0x28: "（"
            case 0x29: "）"
            case 0x3A: "："
            case 0x2C: "，"
            default: s
            }
        }

        /// Whether `word` stands at `i`, white space inside the text skipped and parentheses folded;
        /// the end of the match, or nil.
        func match(_ word: [Unicode.Scalar], at i: Int, limit: Int? = nil) -> Int? {
            let limit = limit ?? count
            var j = i
            for w in word {
                while j < limit, Self.isSpace(scalars[j]), !Self.isSpace(w) { j += 1 }
                guard j < limit, Self.fold(scalars[j]) == Self.fold(w) else { return nil }
                j += 1
            }
            return j
        }

        /// The first place at or after `from` (before `to`) where `word` stands.
        func find(_ word: [Unicode.Scalar], from: Int, to: Int? = nil) -> (start: Int, end: Int)? {
            let to = to ?? count
            guard let first = word.first else { return nil }
            var i = from
            while i < to {
                if Self.fold(scalars[i]) == Self.fold(first), let end = match(word, at: i, limit: to) { return (i, end) }
                i += 1
            }
            return nil
        }

        func lineEnd(from i: Int) -> Int {
            var j = i
            while j < count, scalars[j] != "\n" { j += 1 }
            return j
        }

        /// A crawler header (`标题: …` … `==== 正文 ====`): the title's range and where the body starts.
        func crawlerHeader() -> (title: Range<Int>?, published: Range<Int>?, bodyStart: Int)? {
            guard let mark = find(Array("正文".unicodeScalars), from: 0, to: min(count, 4_000)) else { return nil }
            // The separator line: `====` on both sides.
            var lineStart = mark.start
            while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
            let end = lineEnd(from: mark.end)
            let line = String(String.UnicodeScalarView(scalars[lineStart..<end]))
            guard line.contains("====") else { return nil }
            var title: Range<Int>?
            if let t = find(Array("标题".unicodeScalars), from: 0, to: lineStart) {
                var s = t.end
                while s < lineStart, scalars[s] == ":" || scalars[s] == "：" || scalars[s] == " " { s += 1 }
                let e = lineEnd(from: s)
                if e > s { title = s..<e }
            }
            // The page's publication time (`发布时间: 2024-01-31 16:12`): when the report was published.
            var published: Range<Int>?
            if let p = find(Array("发布时间".unicodeScalars), from: 0, to: lineStart) ?? find(Array("发布日期".unicodeScalars), from: 0, to: lineStart) {
                let e = lineEnd(from: p.end)
                if (p.end..<e).contains(where: { scalars[$0].properties.numericType != nil }) { published = p.start..<e }
            }
            return (title, published, min(end + 1, count))
        }

        /// Whether the body holds section headings inside its lines (the one-line body of a scraped page).
        func hasFlatBody(from start: Int) -> Bool {
            var i = start, inLine = 0
            var lineStart = start
            while i < count {
                if scalars[i] == "\n" { lineStart = i + 1 }
                if scalars[i] == "、", i > lineStart + 1, Reader.ordinal(scalars[i - 1]) != nil,
                   Reader.headingTitle(in: self, after: i + 1) != nil {
                    inLine += 1
                    if inLine >= 2 { return true }
                }
                i += 1
            }
            return false
        }

        /// Past a portal page's chrome (`当前位置：…来源： 时间：… --> 微信 微博 … 相关链接：`).
        func skipChrome(from start: Int) -> Int {
            let window = min(count, start + 800)
            guard find(Array("来源".unicodeScalars), from: start, to: window) != nil
                || find(Array("当前位置".unicodeScalars), from: start, to: window) != nil else { return start }
            if let links = find(Array("相关链接：".unicodeScalars), from: start, to: window) { return links.end }
            if let arrow = find(Array("-->".unicodeScalars), from: start, to: window) {
                var i = arrow.end
                let share: Set<String> = ["微信", "微博", "QQ空间", "全真版", "文字版", "文件下载", "打印", "关闭", "分享到："]
                while true {
                    while i < count, Self.isSpace(scalars[i]) { i += 1 }
                    var j = i
                    while j < count, !Self.isSpace(scalars[j]) { j += 1 }
                    guard j > i, share.contains(String(String.UnicodeScalarView(scalars[i..<j]))) else { break }
                    i = j
                }
                return i
            }
            return start
        }

        /// The end of the text less trailing white space and a page's `附件下载`.
        func trimmedEnd() -> Int {
            var e = count
            while true {
                while e > 0, Self.isSpace(scalars[e - 1]) { e -= 1 }
                let tail = Array("附件下载".unicodeScalars)
                if e >= tail.count, Array(scalars[(e - tail.count)..<e]) == tail { e -= tail.count; continue }
                return e
            }
        }
    }

    // MARK: - Reading the body

    /// A template label in a table's expected sequence.
    struct Label {
        var variants: [[Unicode.Scalar]]
        /// Cells that follow it (0: a header or group label).
        var cells: Int
        /// Starts a line of its own in the view (a block title, a data row).
        var newLine: Bool
        /// Its cells go on a line of their own (table 四's data row follows its header).
        var cellsOnOwnLine = false
        /// Its cells fall in groups of this many whose last is the sum of the others (a table 三
        /// row: six applicant columns and 总计; table 四: four results and 总计, three times); 0: none.
        var totalGroup = 0

        init(_ texts: [String], cells: Int, newLine: Bool, cellsOnOwnLine: Bool = false) {
            variants = texts.map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
            self.cells = cells
            self.newLine = newLine
            self.cellsOnOwnLine = cellsOnOwnLine
        }

        /// The label and its short form (the part before a parenthesised note, as many reports write it).
        static func row(_ text: String, cells: Int) -> Label {
            var texts = [text]
            let scalars = Array(text.unicodeScalars)
            if let paren = scalars.dropFirst(3).firstIndex(of: "（") { texts.append(String(String.UnicodeScalarView(scalars[..<paren]))) }
            return Label(texts, cells: cells, newLine: true)
        }
    }

    struct Reader {
        let stream: Stream
        let start: Int
        let end: Int
        var titleFromHeader: Range<Int>?
        /// The header's publication-time line, kept as a line after the title (the scanner takes it
        /// as the publication date; date.format accepts ISO dates on it).
        var published: Range<Int>?

        init(stream: Stream, start: Int, end: Int) {
            self.stream = stream
            self.start = start
            self.end = max(start, end)
        }

        static let ordinals: [Unicode.Scalar] = ["一", "二", "三", "四", "五", "六"]
        static func ordinal(_ s: Unicode.Scalar) -> Int? { ordinals.firstIndex(of: s).map { $0 + 1 } }

        /// Title words of the six sections, as the official and the usual variant wordings begin.
        static let titles: [[[Unicode.Scalar]]] = [
            ["总体情况"],
            ["主动公开政府信息情况", "主动公开政府信息"],
            ["收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请"],
            ["政府信息公开行政复议", "因政府信息公开工作被申请行政复议", "政府信息公开行政复议及行政诉讼"],
            ["存在的主要问题及改进情况", "存在的主要问题"],
            ["其他需要报告的事项", "其他报告的事项", "其他需要报告事项", "其他事项"],
        ].map { $0.map { Array($0.unicodeScalars) } }

        /// Titles that count only after an ordinal (`六、其他事项`): in a sentence they are just words.
        static let ordinalOnly: [[Unicode.Scalar]] = [Array("其他事项".unicodeScalars)]

        /// The section whose title begins at `i`, and the title's end (extended to a closing 情况/事项).
        static func headingTitle(in stream: Stream, after i: Int, whole: Bool = false) -> (section: Int, end: Int)? {
            for (index, variants) in titles.enumerated() {
                for title in variants {
                    // Without an ordinal only a whole title counts (`主动公开政府信息120条` is a sentence).
                    if whole, !(title.suffix(2) == ["情", "况"] || title.suffix(2) == ["事", "项"]) || ordinalOnly.contains(title) { continue }
                    guard let end = stream.match(title, at: i) else { continue }
                    return (index + 1, extendTitle(stream, end))
                }
            }
            return nil
        }

        /// A title such as `政府信息公开行政复议、行政诉讼情况` runs on to its closing word.
        static func extendTitle(_ stream: Stream, _ end: Int) -> Int {
            let closers: [[Unicode.Scalar]] = [Array("情况".unicodeScalars), Array("事项".unicodeScalars)]
            if end >= 2, closers.contains(Array(stream.scalars[(end - 2)..<end])) { return end }
            var j = end
            while j < min(stream.count, end + 14) {
                let s = stream.scalars[j]
                if s == "。" || s == "，" || s == "；" || (s.isASCII && s.properties.numericType != nil) { break }
                for closer in closers where stream.match(closer, at: j) != nil { return j + closer.count }
                j += 1
            }
            return end
        }

        enum Part {
            case heading(Range<Int>)
            case table([[Range<Int>]])
            case signature(Range<Int>, Range<Int>?)
        }

        func blocks() -> [ViewBlock] {
            var structures: [(range: Range<Int>, part: Part)] = []
            for table in tables() { structures.append(table) }
            // Headings in order, outside the tables.
            var from = start
            var section = 1
            while section <= 6, from < end {
                guard let hit = findHeading(section, from: from, avoiding: structures.map(\.range)) else { section += 1; continue }
                structures.append((hit, .heading(hit)))
                from = hit.upperBound
                section += 1
            }
            let signature = findSignature(after: structures.map(\.range.upperBound).max() ?? start)
            if let signature { structures.append(signature) }
            structures.sort { $0.range.lowerBound < $1.range.lowerBound }

            var blocks: [ViewBlock] = []
            var titleDone = false
            func publishedLine() {
                if let published { blocks.append(.paragraph([pieces(published)])) }
            }
            var at = start
            func prose(_ range: Range<Int>) {
                let trimmed = trim(range)
                guard !trimmed.isEmpty else { return }
                if !titleDone {
                    titleDone = true
                    if let split = titleSplit(trimmed) {
                        blocks.append(.paragraph([pieces(trimmed.lowerBound..<split)]))
                        publishedLine()
                        prose(split..<trimmed.upperBound)
                        return
                    }
                    if let title = titleFromHeader { blocks.append(.paragraph([pieces(title)])) }
                    publishedLine()
                }
                blocks.append(.paragraph([pieces(trimmed)]))
            }
            for (range, part) in structures where range.lowerBound >= at {
                if range.lowerBound > at { prose(at..<range.lowerBound) }
                if !titleDone {
                    titleDone = true
                    if let title = titleFromHeader { blocks.append(.paragraph([pieces(title)])) }
                    publishedLine()
                }
                switch part {
                case .heading(let r): blocks.append(.paragraph([pieces(r)]))
                case .table(let lines): blocks.append(.paragraph(lines.map(line)))
                case .signature(let issuer, let date):
                    var lines = [pieces(issuer)]
                    if let date { lines.append(pieces(date)) }
                    blocks.append(.paragraph(lines))
                }
                at = range.upperBound
            }
            if at < end { prose(at..<end) }
            return blocks
        }

        func pieces(_ range: Range<Int>) -> [Piece] { range.map(stream.piece) }

        /// A table line: its parts two (synthetic) spaces apart.
        func line(_ parts: [Range<Int>]) -> [Piece] {
            var out: [Piece] = []
            for part in parts {
                if let last = out.last {
                    out.append(Piece(scalar: " ", original: last.originalEnd, originalLength: 0))
                    out.append(Piece(scalar: " ", original: last.originalEnd, originalLength: 0))
                }
                out += pieces(part)
            }
            return out
        }

        func trim(_ range: Range<Int>) -> Range<Int> {
            var s = range.lowerBound, e = range.upperBound
            while s < e, Stream.isSpace(stream.scalars[s]) { s += 1 }
            while e > s, Stream.isSpace(stream.scalars[e - 1]) { e -= 1 }
            return s..<e
        }

        /// Where a title written at the start of the body (`…年度报告` then the text) ends.
        func titleSplit(_ range: Range<Int>) -> Int? {
            guard let hit = stream.find(Array("年度报告".unicodeScalars), from: range.lowerBound, to: min(range.upperBound, range.lowerBound + 90)),
                  hit.end < range.upperBound else { return nil }
            // Not a sentence that mentions the report.
            let before = String(String.UnicodeScalarView(stream.scalars[range.lowerBound..<hit.start]))
            guard !before.contains("。"), !before.contains("，"), !before.contains("《") else { return nil }
            return hit.end
        }

        /// The heading of `section`: its title after an ordinal (the right one or another, which
        /// structure.heading-numbering reports), or with no ordinal right after a sentence end. A title in
        /// a sentence (`由总体情况、主动公开…组成`) has neither, and is prose.
        func findHeading(_ section: Int, from: Int, avoiding: [Range<Int>]) -> Range<Int>? {
            var i = from
            while i + 1 < end {
                defer { i += 1 }
                if avoiding.contains(where: { $0.contains(i) }) { continue }
                let s = stream.scalars[i]
                if Reader.ordinal(s) != nil || s == "七" || s == "八",
                   "、.．".unicodeScalars.contains(stream.scalars[i + 1]),
                   let title = Reader.headingTitle(in: stream, after: i + 2), title.section == section {
                    return i..<title.end
                }
                // After a sentence, or straight after a table's last count.
                let afterSentence = i == start || "。；！？".unicodeScalars.contains(stream.scalars[i - 1]) || Stream.isSpace(stream.scalars[i - 1])
                    || Reader.isDigit(stream.scalars[i - 1])
                if afterSentence, let title = Reader.headingTitle(in: stream, after: i, whole: true), title.section == section,
                   title.end < end, !"、，,和及与".unicodeScalars.contains(stream.scalars[title.end]) {
                    return i..<title.end
                }
            }
            return nil
        }

        /// The signature at the end of the body: the issuer, then a date `YYYY年M月D日`, or (RULES.md:
        /// either order) the date, then the issuer.
        func findSignature(after: Int) -> (Range<Int>, Part)? {
            guard let date = dateEnding(at: end, after: after) else {
                // A name at the very end (no digit, no punctuation), just after a date.
                var s = end
                while s > after, end - s < 40, !Stream.isSpace(stream.scalars[s - 1]), !"。；：，、）)日".unicodeScalars.contains(stream.scalars[s - 1]),
                      !Reader.isDigit(stream.scalars[s - 1]) { s -= 1 }
                guard end - s >= 2, s > after else { return nil }
                var dateEnd = s
                while dateEnd > after, Stream.isSpace(stream.scalars[dateEnd - 1]) { dateEnd -= 1 }
                guard let date = dateEnding(at: dateEnd, after: after) else { return nil }
                // In the text's order: the date's line, then the issuer's.
                return (date.lowerBound..<end, .signature(date, s..<end))
            }
            let e = date.lowerBound
            // The issuer just before the date: the title's issuer when it is written there, else the
            // words after the last sentence end or space.
            let before = trim(after..<e)
            var issuerStart = before.upperBound
            if let name = issuerName(), before.count >= name.count,
               Array(stream.scalars[(before.upperBound - name.count)..<before.upperBound]) == name {
                issuerStart = before.upperBound - name.count
            } else {
                var s = before.upperBound
                while s > before.lowerBound, !Stream.isSpace(stream.scalars[s - 1]), !"。；：".unicodeScalars.contains(stream.scalars[s - 1]) { s -= 1 }
                if before.upperBound - s <= 40, s > before.lowerBound || before.isEmpty { issuerStart = s }
            }
            let issuer = issuerStart..<before.upperBound
            if issuer.isEmpty { return (date, .signature(date, nil)) }
            return (issuerStart..<end, .signature(issuer, date))
        }

        /// A date `YYYY年M月D日` (white space allowed between its parts) ending at `limit`, after `after`.
        func dateEnding(at limit: Int, after: Int) -> Range<Int>? {
            var e = limit
            guard e > after, stream.scalars[e - 1] == "日" else { return nil }
            e -= 1
            func digits() -> Bool {
                let stop = e
                while e > after, stream.scalars[e - 1].isASCII, stream.scalars[e - 1].properties.numericType != nil { e -= 1 }
                return e < stop
            }
            func skipSpaces() { while e > after, Stream.isSpace(stream.scalars[e - 1]) { e -= 1 } }
            skipSpaces()
            guard digits() else { return nil }
            skipSpaces()
            guard e > after, stream.scalars[e - 1] == "月" else { return nil }
            e -= 1; skipSpaces()
            guard digits() else { return nil }
            skipSpaces()
            guard e > after, stream.scalars[e - 1] == "年" else { return nil }
            e -= 1; skipSpaces()
            let yearEnd = e
            guard digits(), yearEnd - e == 4 else { return nil }
            return e..<limit
        }

        /// The issuer named in the title: the words before its year.
        func issuerName() -> [Unicode.Scalar]? {
            guard let title = titleFromHeader else { return nil }
            var words: [Unicode.Scalar] = []
            for i in title {
                let s = stream.scalars[i]
                if s.isASCII && s.properties.numericType != nil { break }
                if !Stream.isSpace(s) { words.append(s) }
            }
            return words.count >= 2 && words.count < title.count ? words : nil
        }

        // MARK: Tables

        func tables() -> [(range: Range<Int>, part: Part)] {
            var found: [(range: Range<Int>, part: Part)] = []
            // Table 二: from its first block title.
            if let anchor = stream.find(Array("第二十条第（一）项".unicodeScalars), from: start, to: end) {
                let format: FormatVersion = stream.find(Array("本年制发件数".unicodeScalars), from: anchor.end, to: min(end, anchor.end + 40)) != nil
                    ? .v2021 : .v2019
                if let table = readTable(Self.table2(format), from: anchor.start) { found.append(table) }
            }
            // Table 三: from its note or 申请人情况.
            if let anchor = stream.find(Array("申请人情况".unicodeScalars), from: start, to: end) {
                var from = anchor.start
                if let note = stream.find(Array("（本列数据的勾稽关系为".unicodeScalars), from: max(start, anchor.start - 60), to: anchor.start) {
                    from = note.start
                }
                let format: FormatVersion = stream.find(Array("不再处理其政府信息公开申请".unicodeScalars), from: anchor.end, to: end) != nil ? .v2021 : .v2019
                if !found.contains(where: { $0.range.contains(from) }), let table = readTable(Self.table3(format), from: from) { found.append(table) }
            }
            // Table 四: 行政复议 just before the first 结果维持.
            if let results = stream.find(Array("结果维持".unicodeScalars), from: found.last?.range.upperBound ?? start, to: end),
               let review = lastFind(Array("行政复议".unicodeScalars), from: max(start, results.start - 30), to: results.start),
               let table = readTable(Self.table4, from: review.start) {
                found.append(table)
            }
            return found
        }

        /// The last place in `from..<to` where `word` stands (a heading may name 行政复议 just before the table).
        func lastFind(_ word: [Unicode.Scalar], from: Int, to: Int) -> (start: Int, end: Int)? {
            var last: (start: Int, end: Int)?
            var at = from
            while let hit = stream.find(word, from: at, to: to) { last = hit; at = hit.start + 1 }
            return last
        }

        static func table2(_ format: FormatVersion) -> [Label] {
            var labels: [Label] = []
            for block in Templates.t2Blocks[format] ?? [] {
                labels.append(Label([block.title], cells: 0, newLine: true))
                labels.append(Label(["信息内容"], cells: 0, newLine: true))
                for column in block.columns {
                    var texts = [column]
                    if column.hasPrefix("本年收费金额") { texts.append("本年收费金额") }
                    // 2025 reports also write the column `现行有效件`.
                    if column == "现行有效件数" { texts.append("现行有效件") }
                    labels.append(Label(texts, cells: 0, newLine: false))
                }
                for row in block.rows { labels.append(Label([row], cells: block.columns.count, newLine: true)) }
            }
            return labels
        }

        static func table3(_ format: FormatVersion) -> [Label] {
            var labels = [Label([Templates.t3Note, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"], cells: 0, newLine: true),
                          Label(["申请人情况"], cells: 0, newLine: false)]
            for word in ["自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] {
                labels.append(Label([word], cells: 0, newLine: false))
            }
            // A group label shares the line of its first item, as the template's merged cell does.
            var group: String?
            for row in Templates.t3Rows(format) {
                var label = Label.row(row.label, cells: 7)
                label.totalGroup = 7
                if row.key == Templates.rowPublic {
                    labels.append(Label([Templates.rowResults], cells: 0, newLine: true))
                    label.newLine = false
                }
                if let g = row.group, g != group {
                    labels.append(Label([g], cells: 0, newLine: true))
                    label.newLine = false
                }
                group = row.group
                labels.append(label)
            }
            return labels
        }

        static let table4: [Label] = {
            var labels = [Label(["行政复议"], cells: 0, newLine: true), Label(["行政诉讼"], cells: 0, newLine: false)]
            for word in Templates.reviewColumns { labels.append(Label([word], cells: 0, newLine: word == "结果维持")) }
            labels.append(Label(["未经复议直接起诉"], cells: 0, newLine: false))
            labels.append(Label(["复议后起诉"], cells: 0, newLine: false))
            for _ in 0..<2 {
                for word in Templates.reviewColumns { labels.append(Label([word], cells: 0, newLine: false)) }
            }
            labels[labels.count - 1].cells = 15
            labels[labels.count - 1].totalGroup = 5
            labels[labels.count - 1].cellsOnOwnLine = true
            return labels
        }()

        static func isCellScalar(_ s: Unicode.Scalar) -> Bool {
            if s.isASCII { return (s.value >= 0x30 && s.value <= 0x39) || ". ,-/|\t\r\n".unicodeScalars.contains(s) }
            return "—－／无元万％　\u{A0}".unicodeScalars.contains(s)
        }

        static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

        /// The label of `labels[from...]` (up to three may be missing) that stands at or just after `at`.
        func nextLabel(_ labels: [Label], from: Int, at: Int, slack: Int) -> (index: Int, start: Int, end: Int)? {
            for index in from..<min(labels.count, from + 4) {
                var i = at
                while i <= min(end - 1, at + slack) {
                    for variant in labels[index].variants {
                        if let e = stream.match(variant, at: i, limit: end) { return (index, i, e) }
                    }
                    i += 1
                }
            }
            return nil
        }

        /// Reads a table from its first label: the view lines, and the range it covers.
        func readTable(_ labels: [Label], from: Int) -> (range: Range<Int>, part: Part)? {
            var lines: [[Range<Int>]] = []
            var current: [Range<Int>] = []
            var pos = from
            var index = 0
            var matched = 0
            while index < labels.count {
                while pos < end, Stream.isSpace(stream.scalars[pos]) { pos += 1 }
                guard let hit = nextLabel(labels, from: index, at: pos, slack: 6) else { break }
                let label = labels[hit.index]
                matched += 1
                if label.newLine, !current.isEmpty { lines.append(current); current = [] }
                current.append(hit.start..<hit.end)
                pos = hit.end
                // The cells: what stands before the next label.
                var runEnd = pos
                while runEnd < end {
                    let s = stream.scalars[runEnd]
                    if Reader.isDigit(s), hit.index + 1 < labels.count,
                       nextLabel(labels, from: hit.index + 1, at: runEnd, slack: 0) != nil { break }
                    if Reader.isCellScalar(s) { runEnd += 1; continue }
                    // A word written in a count cell (`不详`, `若干`): short, between spaces, before the row is full.
                    guard label.cells > 0, let word = cellWord(at: runEnd, runStart: pos, cells: label.cells),
                          hit.index + 1 >= labels.count || nextLabel(labels, from: hit.index + 1, at: runEnd, slack: 0) == nil else { break }
                    runEnd = word
                }
                let cells = label.cells > 0 ? splitCells(pos..<runEnd, count: label.cells, totalGroup: label.totalGroup) : []
                if !cells.isEmpty {
                    if label.cellsOnOwnLine { lines.append(current); current = [] }
                    current += cells
                    pos = runEnd
                }
                index = hit.index + 1
            }
            if !current.isEmpty { lines.append(current) }
            guard matched >= 3, let last = lines.last?.last else { return nil }
            return (from..<last.upperBound, .table(lines))
        }

        /// The end of a short word standing as a cell at `i` (after white space, followed by white space
        /// or the end of the row), while the row has fewer tokens than cells; nil otherwise.
        func cellWord(at i: Int, runStart: Int, cells: Int) -> Int? {
            guard i > runStart, Stream.isSpace(stream.scalars[i - 1]) else { return nil }
            var tokens = 0, inToken = false
            for k in runStart..<i {
                let space = Stream.isSpace(stream.scalars[k])
                if !space && !inToken { tokens += 1 }
                inToken = !space
            }
            guard tokens < cells else { return nil }
            var j = i
            while j < min(end, i + 5), !Stream.isSpace(stream.scalars[j]) {
                if "。，；：、（(".unicodeScalars.contains(stream.scalars[j]) { return nil }
                j += 1
            }
            // At least one scalar: a space that is no cell scalar (VT, FF, U+2002…) would be an
            // empty word, and the caller's loop would stand still on it for ever (a fuzz finding).
            guard j > i, j - i <= 4, j < end, Stream.isSpace(stream.scalars[j]) else { return nil }
            return j
        }

        /// The cells of a run: its tokens; when they ran together, one digit per cell if the digit
        /// count is the cell count, else the one way of cutting the digits into `count` counts with
        /// no leading zero (`00126` → 0 0 126). A row whose cells hold totals (`totalGroup`) is cut
        /// only so that they add up, and only when one cut does (`280000028` → 28 0 0 0 0 0 28; 2 80 …
        /// and 280 … do not add up): its own total then holds by the reading, while every other
        /// identity is still checked. With no way or several, the tokens as written (the scanner
        /// reports the row).
        func splitCells(_ run: Range<Int>, count: Int, totalGroup: Int = 0) -> [Range<Int>] {
            var tokens: [Range<Int>] = []
            var i = run.lowerBound
            while i < run.upperBound {
                let s = stream.scalars[i]
                if Stream.isSpace(s) || s == "|" { i += 1; continue }
                var j = i
                while j < run.upperBound, !Stream.isSpace(stream.scalars[j]), stream.scalars[j] != "|" { j += 1 }
                tokens.append(i..<j)
                i = j
            }
            guard tokens.count != count else { return tokens }
            let allDigits = tokens.allSatisfy { $0.allSatisfy { Reader.isDigit(stream.scalars[$0]) } }
            guard allDigits, tokens.count < count else { return tokens }
            let digitCount = tokens.reduce(0) { $0 + $1.count }
            if digitCount == count { return tokens.flatMap { $0.map { $0..<($0 + 1) } } }
            // One token ran together, the others are single digits: it takes the missing cells.
            let glued = tokens.indices.filter { tokens[$0].count > 1 }
            // A row with totals is cut only where the cut adds up, and so is one of a kind.
            if totalGroup > 0 {
                guard tokens.count == 1, count % totalGroup == 0, let cut = uniqueCut(tokens[0], parts: count, totalGroup: totalGroup) else { return tokens }
                return cut
            }
            guard glued.count == 1, let cut = uniqueCut(tokens[glued[0]], parts: count - tokens.count + 1) else { return tokens }
            var cells = tokens
            cells.replaceSubrange(glued[0]...glued[0], with: cut)
            return cells
        }

        /// The one way of cutting the digits of `token` into `parts` counts without leading zeros
        /// (with `totalGroup`, each group's last count the sum of the others), or nil when there is
        /// none or more than one.
        func uniqueCut(_ token: Range<Int>, parts: Int, totalGroup: Int = 0) -> [Range<Int>]? {
            let digits = token.map { Int(stream.scalars[$0].value) - 0x30 }
            guard parts >= 1, digits.count >= parts, digits.count <= 64 else { return nil }
            var found: [Int]?
            var ways = 0
            var cuts: [Int] = []
            var values: [Int] = []
            // Depth first over the end of each count; stops at the second way.
            func search(_ start: Int) {
                if ways > 1 { return }
                let k = values.count
                if k == parts {
                    if start == digits.count { ways += 1; found = cuts }
                    return
                }
                let left = parts - k
                // A count with a leading zero is only `0` itself; no count has more than nine digits.
                let longest = digits[start] == 0 ? 1 : min(9, digits.count - start - (left - 1))
                guard longest >= 1 else { return }
                var value = 0
                for length in 1...longest {
                    value = value * 10 + digits[start + length - 1]
                    if totalGroup > 0, (k + 1) % totalGroup == 0 {
                        let group = values[(k + 1 - totalGroup)...].reduce(0, +)
                        if value != group { continue }
                    }
                    cuts.append(start + length)
                    values.append(value)
                    search(start + length)
                    cuts.removeLast()
                    values.removeLast()
                }
            }
            search(0)
            guard ways == 1, let ends = found else { return nil }
            let bounds = [0] + ends
            return zip(bounds, bounds.dropFirst()).map { (token.lowerBound + $0)..<(token.lowerBound + $1) }
        }
    }
}
