import ReportScanner
import RuleKit
import Yams

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
///     expect: equal
///     keywords: [申请]                 # optional per-claim pre-filter
/// at: number                            # number (the captured number) or match (the sentence)
/// ```
struct ProseClaimKind: RuleCheck {
    enum Expect: String, Sendable { case equal, zero, positive }
    struct CellRef: Sendable {
        var table: TableID
        var rows: [String]
        var column: String
    }
    struct Claim: Sendable {
        var what: String
        var pattern: UserRegex
        var cells: [CellRef]
        var expect: Expect
        var skipZeroTable: Bool
        /// Literal pre-filter: the claim is tried only on blocks containing one of these.
        var keywords: [[UInt8]]
    }
    var scope: Scope
    var sections: Set<SectionID>?
    var keywords: [[UInt8]]
    var claims: [Claim]
    var at: At

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
            let cnode = try c.required("cells")
            let cells = try c.list(cnode).map { cellNode -> CellRef in
                var cr = c.child(cellNode)
                let table = try TableNames.table(cr, try cr.required("table"))
                let rowsNode = try cr.required("rows")
                let rows = try cr.strings(rowsNode).map { name -> String in
                    guard let key = TableNames.rows(table)[name] ?? (table == .three && Templates.t3GroupLabels.contains(name) ? name : nil) else { throw cr.error("表\(table.rawValue)中没有名为“\(name)”的行", at: rowsNode) }
                    return key
                }
                let column = try TableNames.column(cr, try cr.required("column"), in: table)
                try cr.finish()
                return CellRef(table: table, rows: rows, column: column)
            }
            try c.finish()
            return Claim(what: what, pattern: pattern, cells: cells, expect: expect, skipZeroTable: skip, keywords: claimKeywords)
        }
        return ProseClaimKind(scope: scope, sections: sections, keywords: keywords, claims: claims, at: at)
    }

    /// The cells' sum, or nil when a table or row is missing or a cell is not a count.
    static func sum(_ refs: [CellRef], _ document: Document) -> (Int, [Cell])? {
        var total = 0
        var cells: [Cell] = []
        for ref in refs {
            guard let table = document.table(ref.table) else { return nil }
            for row in ref.rows {
                if Templates.t3GroupLabels.contains(row) {
                    // Rows named for a whole group (（三）不予公开) sum their sub-items (or the 2019 single row).
                    let prefix = String(row.prefix(3))
                    var found = false
                    for r in table.rows where r.key.map({ $0 == row || $0.hasPrefix(prefix) }) ?? false {
                        guard let cell = r.cell(ref.column), let v = cell.value.count else { return nil }
                        total += v
                        cells.append(cell)
                        found = true
                    }
                    if !found { return nil }
                } else {
                    guard let cell = table.cell(row: row, column: ref.column), let v = cell.value.count else { return nil }
                    total += v
                    cells.append(cell)
                }
            }
        }
        return (total, cells)
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        var findings: [Finding] = []
        let bytes = document.source.bytes
        for block in scope.blocks(document, sections: sections) {
            if !keywords.isEmpty, !keywords.contains(where: { Self.contains(bytes, block, $0) }) { continue }
            var prepared: PreparedText?
            // Claims about a number need "<digits> 件" somewhere in the block.
            let hasCount = Self.hasCountOfItems(bytes, block)
            for claim in claims {
                if claim.expect != .zero, !hasCount { continue }
                if !claim.keywords.isEmpty, !claim.keywords.contains(where: { Self.contains(bytes, block, $0) }) { continue }
                if prepared == nil { prepared = PreparedText(source: document.source, span: block) }
                let matches: [[SourceSpan?]]
                do { matches = try claim.pattern.matches(in: &prepared!, deadline: run.deadline) } catch { throw run.regexBudgetExceeded() }
                for m in matches {
                    guard let whole = m[0], let (sum, cells) = Self.sum(claim.cells, document) else { continue }
                    let numberSpan = m.count > 1 ? m[1] : nil
                    let stated = numberSpan.flatMap { Int(document.text($0)) }
                    let contradicts: Bool
                    switch claim.expect {
                    case .equal: contradicts = stated.map { $0 != sum && !(claim.skipZeroTable && sum == 0) } ?? false
                    case .zero: contradicts = sum != 0
                    case .positive: contradicts = (stated ?? 0) > 0 && sum == 0
                    }
                    guard contradicts else { continue }
                    let at: SourceSpan
                    switch self.at {
                    case .number: at = numberSpan ?? whole
                    case .match: at = whole
                    case .sentence: at = Self.sentence(around: whole, in: block, bytes)
                    }
                    findings.append(Finding(span: at, message: run.message.render([
                        "what": claim.what, "stated": stated.map(String.init) ?? document.text(whole), "table": String(sum), "match": document.text(whole),
                    ]), related: cells.filter { $0.value.count != 0 || cells.count == 1 }.prefix(5).map { RelatedSpan($0.span, "表格中的\($0.column)：\($0.raw)") }))
                }
            }
        }
        return findings
    }

    /// The sentence holding a match: back to the previous 。！？； or line start, on to the next 。.
    static func sentence(around match: SourceSpan, in block: SourceSpan, _ bytes: [UInt8]) -> SourceSpan {
        let stops: [[UInt8]] = ["。", "！", "？", "；", "\n"].map { Array($0.utf8) }
        func endsWithStop(_ i: Int) -> Int? {
            for stop in stops where i - stop.count >= block.start && Array(bytes[(i - stop.count)..<i]) == stop { return stop.count }
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
            if let n = endsWithStop(min(block.end, end + 3)), n == 3, end + 3 <= block.end, Array(bytes[end..<(end + 3)]) == stops[0] { end += 3; break }
            end += 1
        }
        return SourceSpan(start: start, end: min(end, block.end))
    }

    static let item = Array("件".utf8)

    /// Whether the block has a count followed by 件 (`702件`, `21 件`).
    static func hasCountOfItems(_ bytes: [UInt8], _ span: SourceSpan) -> Bool {
        var at = span.start
        while at + 3 <= span.end {
            guard bytes[at] == 0xE4, bytes[at + 1] == 0xBB, bytes[at + 2] == 0xB6 else { at += 1; continue }
            var k = at - 1
            while k >= span.start, bytes[k] == 0x20 { k -= 1 }
            if k >= span.start, bytes[k] >= 0x30, bytes[k] <= 0x39 { return true }
            at += 3
        }
        return false
    }

    static func contains(_ bytes: [UInt8], _ span: SourceSpan, _ needle: [UInt8]) -> Bool {
        ByteSearch.contains(bytes, span, needle)
    }
}
