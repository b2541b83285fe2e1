#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RuleKit
import Yams
import UserPatterns
import YAMLFiles

/// `kind: prose-claim` — what the prose says about a count must agree with the tables. Each claim
/// is a pattern (its first capture group, when present, is the number) and the cells it speaks of;
/// `expect` says how they must relate:
/// - `equal`: the number equals the cells' sum (`skip_zero_table: true` leaves a zero table to `zero.narrative`);
/// - `zero`: the phrase says nothing happened, so the cells' sum is 0;
/// - `positive`: the phrase says something happened (number > 0), so the cells' sum is not 0.
///
/// ```yaml
/// kind: prose-claim
/// keywords: [申请]                     # literal pre-filter: only blocks containing one are searched
/// claims:
///   - what: 本年新收申请
///     pattern: '(?:收到|新收|受理)[^。；]{0,20}?申请\D{0,6}?(\d+)\s*件'
///     cells: [{table: 三, rows: [一], column: 总计}]
///     or_cells: [{table: 三, rows: [一, 二], column: 总计}]   # optional: another reading; either agreeing passes
///     expect: equal
///     keywords: [申请]                 # optional per-claim pre-filter
///   - what: 本年制发行政规范性文件        # table 二: rows by name (`规章`, `行政许可`, or `第二十条第（一）项/规章`)
///     pattern: '制发(?:行政)?规范性文件([0-9]+)件'
///     cells: [{table: 二, rows: [行政规范性文件], column: 本年制发件数}]   # a blank cell of table 二: not evaluated
///   - what: 行政许可决定                  # column: a list names the column in each version, the first the table has
///     pattern: '行政许可(?:决定)?([0-9]+)件'
///     cells: [{table: 二, rows: [行政许可], column: [本年处理决定数量, 处理决定数量]}]
///     expect: equal
///     expect: equal
/// at: number                            # number (the captured number) or match (the sentence)
/// ```
struct ProseClaimKind: RuleCheck {
    enum Expect: String, Sendable { case equal, zero, positive }
    struct CellRef: Sendable {
        var table: TableID
        var rows: [String]
        var column: String
        /// Other names of the column, tried in order when the table has no `column` (the two
        /// versions name some columns of table 二 differently: 本年处理决定数量 / 处理决定数量).
        var otherColumns: [String] = []
        /// Per row: whether it names a whole group of table 三, and then the group's prefix (`（三）`).
        var groups: [String?] = []
    }
    struct Claim: Sendable {
        var what: String
        var pattern: UserRegex
        var cells: [CellRef]
        var expect: Expect
        var skipZeroTable: Bool
        /// Literal pre-filter: the claim is tried only on blocks containing one of these.
        var keywords: [[UInt8]]
        /// `or_cells`: the cells of another reading of the claim; agreeing with either is no contradiction.
        var alternative: [CellRef] = []
        /// What a block must hold before the pattern runs, as the offset of a filter in
        /// `literals`: one of the `keywords`, and the literals the pattern itself requires.
        var filter = 0
    }
    var scope: Scope
    var sections: Set<SectionID>?
    var keywords: [[UInt8]]
    var claims: [Claim]
    var at: At
    /// The literals of all filters of the rule, each searched at most once per block.
    var literals = LiteralTable()
    /// The rule's `keywords` as one clause (empty: no filter).
    var ruleClause: [Int] = []
    /// Every claim is about a number and 件 is one of the rule's keywords: a block is worth
    /// searching exactly when it has a count of items, which one sweep finds for all blocks.
    var countsDecide = false
    /// The measure words a count of items is written with: 件, and those of the other measure words
    /// (`行政复议1起`) that are among the rule's keywords, so that only rules that ask pay for their sweep.
    var measures: [[UInt8]] = [item]

    enum At: String, Sendable { case number, match, sentence }

    static let placeholders: Set<String> = ["what", "stated", "table", "match"]

    static func read(_ r: inout NodeReader) throws -> ProseClaimKind {
        let (scope, sections) = try Scope.read(&r)
        let keywords = try r.optional("keywords").map { try r.strings($0).map { Array($0.utf8) } } ?? []
        let at = try r.optional("at").map { try r.oneOf($0, ["number": At.number, "match": .match, "sentence": .sentence]) } ?? .number
        let node = try r.required("claims")
        let claims = try r.list(node).map { item -> Claim in
            var c = r.child(item)
            let what = try c.string(try c.required("what"))
            let pnode = try c.required("pattern")
            let pattern = try UserRegex(try c.string(pnode), reader: c, node: pnode)
            let expect = try c.oneOf(try c.required("expect"), ["equal": Expect.equal, "zero": .zero, "positive": .positive])
            if expect != .zero, pattern.regex.numberOfCaptureGroups < 1 {
                throw c.error("expect: \(expect.rawValue) 需要模式中有一个捕获组（数字）", at: pnode)
            }
            let skip = try c.optional("skip_zero_table").map { try c.bool($0) } ?? false
            let claimKeywords = try c.optional("keywords").map { try c.strings($0).map { Array($0.utf8) } } ?? []
            func cellRefs(_ cnode: Node) throws -> [CellRef] { try c.list(cnode).map { cellNode -> CellRef in
                var cr = c.child(cellNode)
                let table = try TableNames.table(cr, try cr.required("table"))
                let rowsNode = try cr.required("rows")
                let rows = try cr.strings(rowsNode).map { name -> String in
                    guard let key = TableNames.rows(table)[name] ?? (table == .three && Templates.t3GroupLabels.contains(name) ? name : nil) else { throw cr.error("表\(table.rawValue)中没有名为“\(name)”的行", at: rowsNode) }
                    return key
                }
                let columnNode = try cr.required("column")
                let columns = try (columnNode.scalar != nil ? [columnNode] : try cr.list(columnNode)).map { try TableNames.column(cr, $0, in: table) }
                guard let column = columns.first else { throw cr.error("column 至少要有一个列名", at: columnNode) }
                try cr.finish()
                let groups = rows.map { Templates.t3GroupLabels.contains($0) ? String($0.prefix(3)) : nil }
                var ref = CellRef(table: table, rows: rows, column: column, groups: groups)
                ref.otherColumns = Array(columns.dropFirst())
                return ref
            } }
            let cells = try cellRefs(try c.required("cells"))
            // Another reading of the same words (收到…申请 N 件: row 一, or 一 + 二): either agreeing is no contradiction.
            let alternative = try c.optional("or_cells").map(cellRefs) ?? []
            try c.finish()
            var claim = Claim(what: what, pattern: pattern, cells: cells, expect: expect, skipZeroTable: skip, keywords: claimKeywords)
            claim.alternative = alternative
            return claim
        }
        var kind = ProseClaimKind(scope: scope, sections: sections, keywords: keywords, claims: claims, at: at)
        kind.ruleClause = keywords.map { kind.literals.index($0) }
        kind.countsDecide = claims.allSatisfy { $0.expect != .zero } && keywords.contains(Self.item)
        kind.measures = [Self.item] + Self.otherMeasures.filter(keywords.contains)
        for i in kind.claims.indices {
            var clauses: [[Int]] = []
            if !kind.claims[i].keywords.isEmpty { clauses.append(kind.claims[i].keywords.map { kind.literals.index($0) }) }
            for clause in kind.claims[i].pattern.required { clauses.append(clause.map { kind.literals.index($0.bytes) }) }
            // Once each (keywords often repeat what the pattern requires), fewer literals first:
            // they cost fewer searches, and all must hold anyway.
            var unique: [[Int]] = []
            for clause in clauses.map({ Array(Set($0)).sorted() }) where !unique.contains(clause) { unique.append(clause) }
            kind.claims[i].filter = kind.literals.addFilter(unique.enumerated().sorted { ($0.element.count, $0.offset) < ($1.element.count, $1.offset) }.map(\.element))
        }
        return kind
    }

    /// The cells' sum, or nil when a table or row is missing or a cell is not a count.
    static func sum(_ refs: [CellRef], _ document: Document) -> (Int, [Cell])? {
        var total = 0
        var cells: [Cell] = []
        for ref in refs {
            guard let table = document.table(ref.table) else { return nil }
            for (n, row) in ref.rows.enumerated() {
                if let prefix = ref.groups[n] {
                    // Rows named for a whole group (（三）不予公开) sum their sub-items (or the 2019 single row).
                    // Keys and names are template literals, so comparing bytes is comparing strings.
                    var found = false
                    // By index: copying each row retained its strings and cells.
                    for r in table.rows.indices where table.rows[r].key.map({ $0.utf8.elementsEqual(row.utf8) || $0.utf8.starts(with: prefix.utf8) }) ?? false {
                        guard let cell = table.rows[r].cell(ref.column), let v = table.rows[r].impliedCount(ref.column) else { return nil }
                        total += v
                        cells.append(cell)
                        found = true
                    }
                    if !found { return nil }
                } else {
                    guard let (cell, column) = ref.cell(table, row) else { return nil }
                    // A blank cell of table 二 implies no value: the claim is not evaluated (zero.representation reports the cell).
                    if ref.table == .two, case .blank = cell.value { return nil }
                    // A blank 总计 compares with what its row implies (one blank cell, one finding).
                    let count: Int?
                    if case .blank = cell.value { count = table.row(row)?.impliedCount(column) } else { count = cell.value.count }
                    guard let v = count else { return nil }
                    total += v
                    cells.append(cell)
                }
            }
        }
        return (total, cells)
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        var findings: [Finding] = []
        let source = document.source
        var blocks: [SourceSpan] = []
        blocks.reserveCapacity(document.paragraphs.count)
        scope.forEachBlock(document, sections: sections) { blocks.append($0) }
        guard !blocks.isEmpty else { return [] }
        // Sums are per claim and document, computed when a claim first matches; few claims do.
        var sums: [(claim: Int, sum: (Int, [Cell])?)] = []
        try source.bytes.withUnsafeBufferPointer { buffer in
            guard let text = buffer.baseAddress else { return }
            try literals.needles.withUnsafeBufferPointer { needles in
                try literals.filterCodes.withUnsafeBufferPointer { codes in
                    // The rule's keywords are looked for across all blocks at once when the blocks are in order.
                    var holds = [Bool](repeating: ruleClause.isEmpty, count: blocks.count)
                    let ordered = zip(blocks, blocks.dropFirst()).allSatisfy { $0.end <= $1.start }
                    if ordered, countsDecide {
                        for measure in measures { Self.markCounts(blocks, &holds, in: text, measure: measure) }
                    } else if ordered {
                        for i in ruleClause { needles[i].mark(blocks, &holds, in: text) }
                    }
                    try LiteralTable.Probe.with(count: needles.count) { probe in
                        for (b, block) in blocks.enumerated() {
                            probe.next(block: block)
                            let kept = ordered ? holds[b] : ruleClause.isEmpty || ruleClause.contains { probe.has($0, needles, text) }
                            guard kept else { continue }
                            var prepared: PreparedText?
                            // Claims about a number need "<digits> 件" somewhere in the block.
                            var hasCount: Bool? = ordered && countsDecide ? true : nil
                            for index in claims.indices {
                                if claims[index].expect != .zero {
                                    if hasCount == nil { hasCount = measures.contains { Self.hasCountOfItems(text, block, measure: $0) } }
                                    if hasCount == false { continue }
                                }
                                guard probe.passes(claims[index].filter, codes, needles, text) else { continue }
                                let matches: [[SourceSpan?]]
                                do { matches = try claims[index].pattern.matches(in: source, span: block, prepared: &prepared, deadline: run.deadline) } catch { throw run.regexBudgetExceeded() }
                                guard !matches.isEmpty else { continue }
                                let known = sums.firstIndex { $0.claim == index }
                                if known == nil { sums.append((index, Self.sum(claims[index].cells, document))) }
                                guard let (sum, cells) = sums[known ?? sums.count - 1].sum else { continue }
                                for m in matches {
                                    guard let whole = m[0], let finding = report(claims[index], whole, m.count > 1 ? m[1] : nil, sum, cells, block, document, run) else { continue }
                                    findings.append(finding)
                                }
                            }
                        }
                    }
                }
            }
        }
        return findings
    }

    /// The finding for one match, when what it states contradicts the table's sum.
    func report(_ claim: Claim, _ whole: SourceSpan, _ numberSpan: SourceSpan?, _ sum: Int, _ cells: [Cell], _ block: SourceSpan,
                _ document: Document, _ run: CheckRun) -> Finding? {
        let stated = numberSpan.flatMap { Int(document.text($0)) }
        let contradicts: Bool
        switch claim.expect {
        case .equal:
            contradicts = stated.map { n in
                n != sum && !(claim.skipZeroTable && sum == 0) && (claim.alternative.isEmpty || Self.sum(claim.alternative, document)?.0 != n)
            } ?? false
        case .zero: contradicts = sum != 0
        case .positive: contradicts = (stated ?? 0) > 0 && sum == 0
        }
        guard contradicts else { return nil }
        let at: SourceSpan
        switch self.at {
        case .number: at = numberSpan ?? whole
        case .match: at = whole
        case .sentence: at = Self.sentence(around: whole, in: block, document.source.bytes)
        }
        // A match may run over a wrapped line (a PDF text layer): the message quotes it as one line.
        let quoted = Self.oneLine(document.text(whole))
        return Finding(span: at, message: run.message.render([
            "what": claim.what, "stated": stated.map(String.init) ?? quoted, "table": String(sum), "match": quoted,
        ]), related: cells.filter { $0.value.count != 0 || cells.count == 1 }.prefix(5).map { RelatedSpan($0.span, "表格中的\($0.column)：\($0.raw)") })
    }

    /// The text with its line breaks, and the white space around them, removed.
    static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(0x0A) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { piece in
            var scalars = Substring(piece).unicodeScalars[...]
            while let f = scalars.first, CharClass.isSpace(f) { scalars.removeFirst() }
            while let l = scalars.last, CharClass.isSpace(l) { scalars.removeLast() }
            return String(String.UnicodeScalarView(scalars))
        }.joined()
    }

    static let stops: [[UInt8]] = ["。", "！", "？", "；", "\n"].map { Array($0.utf8) }

    /// The sentence holding a match: back to the previous 。！？； or line start, on to the next 。.
    static func sentence(around match: SourceSpan, in block: SourceSpan, _ bytes: [UInt8]) -> SourceSpan {
        let stops = Self.stops
        func endsWithStop(_ i: Int) -> Int? {
            for stop in stops where i - stop.count >= block.start && bytes[(i - stop.count)..<i].elementsEqual(stop) { return stop.count }
            return nil
        }
        var start = match.start
        while start > block.start, endsWithStop(start) == nil { start -= 1 }
        // Skip white space (ASCII and the ideographic space) at the sentence start.
        while start < match.start {
            if bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 } else if start + 2 < match.start, bytes[start] == 0xE3, bytes[start + 1] == 0x80, bytes[start + 2] == 0x80 { start += 3 } else { break }
        }
        var end = match.end
        while end < block.end {
            if let n = endsWithStop(min(block.end, end + 3)), n == 3, end + 3 <= block.end, bytes[end..<(end + 3)].elementsEqual(stops[0]) { end += 3; break }
            end += 1
        }
        return SourceSpan(start: start, end: min(end, block.end))
    }

    /// 件 in UTF-8.
    static let item: [UInt8] = [0xE4, 0xBB, 0xB6]
    /// Measure words besides 件 that a rule may name in its keywords: 起 for cases (`行政复议1起`).
    static let otherMeasures: [[UInt8]] = [Array("起".utf8)]

    /// Marks the blocks for which `hasCountOfItems` holds, with one search through each run of
    /// close blocks (as `Needle.mark` does) rather than one per block. `blocks` must be in order
    /// and not overlap.
    static func markCounts(_ blocks: [SourceSpan], _ holds: inout [Bool], in text: UnsafePointer<UInt8>, measure: [UInt8] = item) {
        var b = 0
        while b < blocks.count {
            var runEnd = b
            while runEnd + 1 < blocks.count, blocks[runEnd + 1].start - blocks[runEnd].end <= Needle.runGap { runEnd += 1 }
            let end = blocks[runEnd].end
            var k = b
            var at = blocks[b].start + 2
            while at < end, let hit = memchr(text + at, Int32(measure[2]), end - at) {
                let i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - text
                at = i + 1
                // The block holding the hit: i < end, so one of the run's blocks ends after it.
                while blocks[k].end <= i { k += 1 }
                let start = blocks[k].start
                guard i >= start + 2, text[i - 1] == measure[1], text[i - 2] == measure[0] else { continue }
                var d = i - 3
                while d >= start, text[d] == 0x20 { d -= 1 }
                guard d >= start, text[d] >= 0x30, text[d] <= 0x39 else { continue }
                holds[k] = true
                // The block is settled: go on with the next one.
                at = blocks[k].end
            }
            b = runEnd + 1
        }
    }

    /// Whether the block has a count followed by 件 (`702件`, `21 件`). Looks for 件's last byte
    /// (B6, rare in Chinese text) rather than its lead byte E4, which starts many characters.
    static func hasCountOfItems(_ text: UnsafePointer<UInt8>, _ span: SourceSpan, measure: [UInt8] = item) -> Bool {
        var at = span.start + 2
        while at < span.end {
            guard let hit = memchr(text + at, Int32(measure[2]), span.end - at) else { return false }
            let i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - text
            at = i + 1
            // 件 is E4 BB B6, starting at i - 2.
            guard text[i - 1] == measure[1], text[i - 2] == measure[0] else { continue }
            var k = i - 3
            while k >= span.start, text[k] == 0x20 { k -= 1 }
            if k >= span.start, text[k] >= 0x30, text[k] <= 0x39 { return true }
        }
        return false
    }
}

extension ProseClaimKind.CellRef {
    /// The row's cell in the first of the ref's column names the table has, and that name.
    func cell(_ table: Table, _ row: String) -> (Cell, String)? {
        if let cell = table.cell(row: row, column: column) { return (cell, column) }
        for name in otherColumns { if let cell = table.cell(row: row, column: name) { return (cell, name) } }
        return nil
    }
}
