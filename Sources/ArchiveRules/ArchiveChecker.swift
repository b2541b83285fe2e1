import Dispatch
import RuleKit
import RunResults
import Synchronization

/// Runs the rules across reports over the digests of a run (and of its history: reports read to
/// compare with, never reported on), grouped by issuer and report year.
public struct ArchiveChecker: Sendable {
    /// One report of the run or of its history.
    public struct Entry: Sendable {
        public var path: String
        public var digest: ReportDigest
        /// Compared with, not reported on (`--history`).
        public var isHistory: Bool

        public init(path: String, digest: ReportDigest, isHistory: Bool) {
            self.path = path
            self.digest = digest
            self.isHistory = isHistory
        }
    }

    /// The rules that are on, by id, with the severity and threshold the configuration gives them.
    public struct Setting: Sendable {
        public var severity: Severity
        public var threshold: Double?

        public init(severity: Severity, threshold: Double?) {
            self.severity = severity
            self.threshold = threshold
        }
    }

    public var settings: [String: Setting]

    public init(settings: [String: Setting]) {
        self.settings = settings
    }

    /// A sentence in the reports of this many other issuers is boilerplate.
    static let boilerplateIssuers = 3

    /// What the checks of one report need of the others, made once: the counted sentences, the
    /// groups by issuer and year, and the findings between issuers (which need every report of a
    /// year at once). A report's own findings are then made when they are written
    /// (`Checks.findings`), so that the findings of a large archive are never all in memory.
    public func prepare(_ entries: [Entry]) -> Checks {
        let counted = countedSentences(entries)
        var groups: [String: [Int: [Int]]] = [:]
        for (i, entry) in entries.enumerated() {
            guard let issuer = entry.digest.issuer, let year = entry.digest.year else { continue }
            groups[issuer, default: [:]][year, default: []].append(i)
        }
        var acrossIssuers: [String: [Diagnostic]] = [:]
        crossIssuer(entries, counted) { id, entry, at, message, elsewhere in
            guard let setting = settings[id], !entry.isHistory else { return }
            acrossIssuers[entry.path, default: []].append(Diagnostic(ruleID: id, severity: setting.severity, span: at, message: message,
                                                                     elsewhere: elsewhere))
        }
        return Checks(checker: self, entries: entries, counted: counted, groups: groups, acrossIssuers: acrossIssuers)
    }

    /// The prepared checks of a run (`prepare`); `findings` may be called from several threads.
    public struct Checks: Sendable {
        let checker: ArchiveChecker
        public let entries: [Entry]
        let counted: [Counted]
        /// Issuer → year → indices, in walk order.
        let groups: [String: [Int: [Int]]]
        let acrossIssuers: [String: [Diagnostic]]

        /// The findings of entry `i` (none for a report of the history), in the order they are reported.
        public func findings(_ i: Int) -> [Diagnostic] {
            let entry = entries[i]
            guard !entry.isHistory else { return [] }
            var out: [Diagnostic] = acrossIssuers[entry.path] ?? []
            let settings = checker.settings
            func report(_ id: String, _ entry: Entry, at: SourceSpan, _ message: String, elsewhere: [RemoteLocation]) {
                guard let setting = settings[id], !entry.isHistory else { return }
                out.append(Diagnostic(ruleID: id, severity: setting.severity, span: at, message: message, elsewhere: elsewhere))
            }
            if let issuer = entry.digest.issuer, let year = entry.digest.year, let years = groups[issuer], let indices = years[year] {
                for p in years[year - 1] ?? [] {
                    checker.pair(entry, entries[p], counted[i], counted[p], report)
                }
                // archive.duplicate-report: a later version whose text differs from an earlier one.
                if let n = indices.firstIndex(of: i),
                   let other = indices[..<n].first(where: { entries[$0].digest.content != entry.digest.content }) {
                    let o = entries[other]
                    report("archive.duplicate-report", entry, at: entry.digest.firstLine,
                           "\(issuer)\(year)年报告的另一个版本 \(o.path)，文本不同",
                           elsewhere: [RemoteLocation(path: o.path, span: o.digest.firstLine, message: "另一个版本", at: o.digest.place(at: o.digest.firstLine.start))])
                }
                // archive.missing-year: Y−1 absent between Y−2 and Y.
                if years[year - 1] == nil, let before = years[year - 2]?.first {
                    report("archive.missing-year", entry, at: entry.digest.firstLine,
                           "\(issuer) 有 \(year - 2)年（\(entries[before].path)）和 \(year)年报告，缺 \(year - 1)年",
                           elsewhere: [RemoteLocation(path: entries[before].path, span: entries[before].digest.firstLine, message: "\(year - 2)年报告",
                                                            at: entries[before].digest.place(at: entries[before].digest.firstLine.start))])
                }
            }
            // By place, then rule, then message: the same order in every run (the findings between
            // issuers come out of a dictionary).
            out.sort { ($0.span.start, $0.ruleID, $0.message) < ($1.span.start, $1.ruleID, $1.message) }
            return out
        }
    }

    typealias Report = (String, Entry, SourceSpan, String, [RemoteLocation]) -> Void

    /// Up to four issuers of a sentence, inline (a dictionary of arrays cost an allocation per sentence).
    struct Holders {
        var ids: (Int32, Int32, Int32, Int32) = (-2, -2, -2, -2)
        var count = 0

        func contains(_ id: Int32) -> Bool {
            (count > 0 && ids.0 == id) || (count > 1 && ids.1 == id) || (count > 2 && ids.2 == id) || (count > 3 && ids.3 == id)
        }

        mutating func add(_ id: Int32) {
            guard count < 4, !contains(id) else { return }
            switch count {
            case 0: ids.0 = id
            case 1: ids.1 = id
            case 2: ids.2 = id
            default: ids.3 = id
            }
            count += 1
        }

        /// How many issuers other than `id` hold it (at most four are counted).
        func others(than id: Int32) -> Int { count - (contains(id) ? 1 : 0) }
    }

    /// A report's counted sentences, in order: positions into its digest's sentences (which it
    /// shares, not copies), so what is kept per sentence is 4 bytes.
    struct Counted: RandomAccessCollection {
        let keys: [UInt64]
        let kept: [Int32]

        var startIndex: Int { 0 }
        var endIndex: Int { kept.count }
        subscript(i: Int) -> (key: UInt64, at: Int) { (keys[Int(kept[i])], Int(kept[i])) }
    }

    /// A report's counted sentences: each once, in order, boilerplate left out (a sentence in the
    /// reports of 3 or more issuers other than the report's own).
    func countedSentences(_ entries: [Entry]) -> [Counted] {
        var issuerIDs: [String: Int32] = [:]
        var ids: [Int32] = []
        for entry in entries {
            var id: Int32 = -1
            if let name = entry.digest.issuer {
                if let known = issuerIDs[name] {
                    id = known
                } else {
                    id = Int32(issuerIDs.count)
                    issuerIDs[name] = id
                }
            }
            ids.append(id)
        }
        let limit = Self.boilerplateIssuers
        // Sentences found at least `limit` times in the run may be boilerplate. A saturating byte counter
        // per hash slot (a quarter of the slots used) finds them in one pass, without keeping or sorting
        // the fingerprints; a slot two sentences share only adds a candidate, which the exact count of
        // issuers then leaves out. Only for candidates are the issuers that hold them gathered.
        let total = entries.reduce(0) { $0 + $1.digest.sentences.count }
        var bits = 10
        while 1 << bits < total * 4 { bits += 1 }
        let shift = UInt64(64 - bits)
        var counters = [UInt8](repeating: 0, count: 1 << bits)
        counters.withUnsafeMutableBufferPointer { counter in
            for entry in entries {
                for key in entry.digest.sentences {
                    let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                    if counter[slot] < limit { counter[slot] += 1 }
                }
            }
        }
        var holders = FingerprintTable<Holders>()
        counters.withUnsafeBufferPointer { counter in
            for (n, entry) in entries.enumerated() {
                for key in entry.digest.sentences where counter[Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)] >= limit {
                    holders.update(key, initial: Holders()) { $0.add(ids[n]) }
                }
            }
        }
        counters = []
        // Three issuers or more: boilerplate for every report but maybe one of those issuers' own
        // (a sentence of fewer issuers has fewer others). Each report's on its own: in parallel.
        let widely = holders, issuerOf = ids
        let part = 512
        let parts = Mutex([[Counted]](repeating: [], count: (entries.count + part - 1) / part))
        DispatchQueue.concurrentPerform(iterations: (entries.count + part - 1) / part) { p in
            var seen = FingerprintSet()
            let made = (p * part..<min(p * part + part, entries.count)).map { n in
                let sentences = entries[n].digest.sentences
                seen.removeAll(keepingCapacity: sentences.count)
                var kept: [Int32] = []
                kept.reserveCapacity(sentences.count)
                for (i, key) in sentences.enumerated() where (widely[key]?.others(than: issuerOf[n]) ?? 0) < limit {
                    if seen.insert(key) { kept.append(Int32(i)) }
                }
                return Counted(keys: sentences, kept: kept)
            }
            parts.withLock { $0[p] = made }
        }
        return parts.withLock { $0 }.flatMap { $0 }
    }

    func pair(_ now: Entry, _ before: Entry, _ mine: Counted, _ theirs: Counted, _ report: Report) {
        let y = now.digest, p = before.digest, lastYear = p.year.map { "\($0)年报告" } ?? "上一年度报告"
        // crossyear.carry-over, column by column.
        if y.carried.count == 7, p.forward.count == 7 {
            for c in 0..<7 {
                guard let a = y.carried[c].value, let b = p.forward[c].value, a != b else { continue }
                let column = Templates.applicantColumns[c]
                report("crossyear.carry-over", now, y.carried[c].at,
                       "表三 \(column)列：上年结转 \(a) 不等于 \(lastYear) \(before.path) 的结转下年度继续办理 \(b)",
                       [RemoteLocation(path: before.path, span: p.forward[c].at,
                                       message: "\(lastYear)的结转下年度继续办理：\(b)", at: p.place(at: p.forward[c].at.start))])
            }
        }
        // crossyear.stock, both years in the 2021 format.
        if y.table2Format == .v2021, p.table2Format == .v2021 {
            for row in ["规章", "行政规范性文件"] {
                guard let cells = y.stock[row], let last = p.stock[row], cells.count == 3, last.count == 3,
                      let made = cells[0].value, let gone = cells[1].value, let stock = cells[2].value, let earlier = last[2].value,
                      stock != earlier + made - gone else { continue }
                report("crossyear.stock", now, cells[2].at,
                       "表二 \(row)：现行有效件数 \(stock) 不等于上年的现行有效件数 \(earlier)（\(lastYear) \(before.path)）+ 本年制发件数 \(made) − 本年废止件数 \(gone) = \(earlier + made - gone)",
                       [RemoteLocation(path: before.path, span: last[2].at, message: "\(lastYear)的现行有效件数：\(earlier)", at: p.place(at: last[2].at.start))])
            }
        }
        // crossyear.identical-tables.
        if let mine = y.tableCounts, let theirs = p.tableCounts, y.tableOrder == p.tableOrder, mine == theirs, y.tablesNonZero,
           let first = y.table3First {
            report("crossyear.identical-tables", now, first, "表三、表四的全部数字与 \(lastYear) \(before.path) 相同",
                   [RemoteLocation(path: before.path, span: p.table3First ?? p.firstLine, message: "\(lastYear)的表三",
                                   at: p.place(at: (p.table3First ?? p.firstLine).start))])
        }
        // crossyear.text-reuse.
        if let threshold = settings["crossyear.text-reuse"]?.threshold ?? CrossReportRuleEntry.textReuse.threshold, !mine.isEmpty {
            var last = FingerprintSet(capacity: theirs.count)
            for sentence in theirs { last.insert(sentence.key) }
            let shared = mine.filter { last.contains($0.key) }
            if Double(shared.count) >= threshold * Double(mine.count), let firstShared = shared.first {
                let at = y.sentenceSpan(firstShared.at)
                let twin = theirs.first { $0.key == firstShared.key }.map { p.sentenceSpan($0.at) }
                report("crossyear.text-reuse", now, at,
                       "\(shared.count)/\(mine.count) 句与 \(lastYear) \(before.path) 相同（\(Int((100 * Double(shared.count) / Double(mine.count)).rounded()))%）",
                       twin.map { [RemoteLocation(path: before.path, span: $0, message: "\(lastYear)中相同的句子", at: p.place(at: $0.start))] } ?? [])
            }
        }
    }

    /// archive.cross-issuer-reuse: reports of one year from different issuers sharing most of their prose.
    func crossIssuer(_ entries: [Entry], _ counted: [Counted], _ report: Report) {
        guard settings["archive.cross-issuer-reuse"] != nil else { return }
        let threshold = settings["archive.cross-issuer-reuse"]?.threshold ?? 0.7
        var byYear: [Int: [Int]] = [:]
        for (i, e) in entries.enumerated() { if let y = e.digest.year, e.digest.issuer != nil { byYear[y, default: []].append(i) } }
        // The years on their own, in parallel; their findings reported in the order of the years.
        let years = byYear.keys.sorted(), groups = byYear
        let found = Mutex([[(me: Int, other: Int, shared: Int)]](repeating: [], count: years.count))
        DispatchQueue.concurrentPerform(iterations: years.count) { n in
            let pairs = Self.sharing(groups[years[n]] ?? [], entries, counted, threshold: threshold)
            found.withLock { $0[n] = pairs }
        }
        for pairs in found.withLock({ $0 }) {
            for (b, a, k) in pairs {
                var theirs = FingerprintSet(capacity: counted[a].count)
                for sentence in counted[a] { theirs.insert(sentence.key) }
                guard let first = counted[b].first(where: { theirs.contains($0.key) }) else { continue }
                let other = entries[a], me = entries[b]
                let twin = counted[a].first { $0.key == first.key }.map { other.digest.sentenceSpan($0.at) }
                report("archive.cross-issuer-reuse", me, me.digest.sentenceSpan(first.at),
                       "与 \(other.digest.issuer ?? "另一机关") 的同年报告 \(other.path) 共有 \(k) 句（本报告 \(k)/\(counted[b].count)，对方 \(k)/\(counted[a].count)）",
                       twin.map { [RemoteLocation(path: other.path, span: $0, message: "对方报告中相同的句子", at: other.digest.place(at: $0.start))] } ?? [])
            }
        }
    }

    /// The pairs of reports (of one year) from different issuers whose shared sentences reach
    /// `threshold` of either's: (the later in walk order, the earlier, the count), ordered.
    static func sharing(_ indices: [Int], _ entries: [Entry], _ counted: [Counted], threshold: Double) -> [(me: Int, other: Int, shared: Int)] {
        // (sentence, report) pairs sorted by sentence: each run is the reports sharing that sentence.
        var pairs: [(key: UInt64, report: Int32)] = []
        for i in indices { for s in counted[i] { pairs.append((s.key, Int32(i))) } }
        // Stable, and the pairs were added in walk order: reports sharing a sentence stay in that order.
        radixSort(&pairs) { $0.key }
        var common: [Int64: Int] = [:]
        var runStart = 0
        while runStart < pairs.count {
            var runEnd = runStart + 1
            while runEnd < pairs.count, pairs[runEnd].key == pairs[runStart].key { runEnd += 1 }
            if runEnd - runStart > 1 {
                for x in runStart..<runEnd {
                    for y in (x + 1)..<runEnd {
                        let a = Int(pairs[x].report), b = Int(pairs[y].report)
                        guard entries[a].digest.issuer != entries[b].digest.issuer else { continue }
                        common[Int64(a) << 32 | Int64(b), default: 0] += 1
                    }
                }
            }
            runStart = runEnd
        }
        var out: [(me: Int, other: Int, shared: Int)] = []
        for (pairKey, k) in common {
            let a = Int(pairKey >> 32), b = Int(pairKey & 0xFFFF_FFFF)
            let share = max(Double(k) / Double(counted[a].count), Double(k) / Double(counted[b].count))
            if share >= threshold { out.append((b, a, k)) }
        }
        return out.sorted { ($0.me, $0.other) < ($1.me, $1.other) }
    }
}
