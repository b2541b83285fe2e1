import CReportKernels
import ReportModel

/// Finds dates, the statistics period and labelled contact details in the whole text.
///
/// It works on the UTF-8 bytes (valid UTF-8, as `TextDecoder` makes it): one pass, eight bytes at a
/// time, in `init` notes the few places where a date or a contact can be (a 年, a `2020.`, a web address, a
/// rare character of each label), and scalars are decoded only around those. White space,
/// ideographic space included, is allowed between label characters and around date parts, so
/// that a date or a label broken across lines by a PDF text layer (`电 子 邮 箱 ：⏎hzzwgk@126.com`)
/// is still found.
struct FactScanner {
    let source: SourceText
    let bytes: [UInt8]
    /// Byte offsets, ascending, of each 年 and of the first digit of each `2020.`, `2020/`, `2020-`.
    private(set) var dateAnchors: [Int] = []
    /// Byte offsets, ascending, where a label or a web address may start.
    private(set) var contactStarts: [Int] = []

    init(source: SourceText) {
        self.source = source
        bytes = source.bytes
        (dateAnchors, contactStarts) = anchors()
    }

    // MARK: - Bytes

    /// The scalar at byte `i` (a scalar boundary, `i < bytes.count`) and the offset after it.
    @inline(__always)
    func scalar(at i: Int) -> (Unicode.Scalar, Int) {
        let b = bytes[i]
        if b < 0x80 { return (Unicode.Scalar(b), i + 1) }
        var value: UInt32
        var length: Int
        if b < 0xE0 { value = UInt32(b & 0x1F); length = 2 }
        else if b < 0xF0 { value = UInt32(b & 0x0F); length = 3 }
        else { value = UInt32(b & 0x07); length = 4 }
        length = min(length, bytes.count - i)
        for k in 1..<max(length, 1) { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", i + length)
    }

    /// Start of the scalar that ends at byte `i` (`i > 0`).
    @inline(__always)
    func scalarStart(before i: Int) -> Int {
        var k = i - 1
        while k > 0, i - k < 4, bytes[k] & 0xC0 == 0x80 { k -= 1 }
        return k
    }

    func skipSpaces(_ i: Int) -> Int {
        var j = i
        while j < bytes.count {
            let (s, next) = scalar(at: j)
            guard CharClass.isSpace(s) else { break }
            j = next
        }
        return j
    }

    /// Start of the white space that ends at byte `i`.
    func skipSpaces(before i: Int) -> Int {
        var j = i
        while j > 0 {
            let before = scalarStart(before: j)
            guard CharClass.isSpace(scalar(at: before).0) else { break }
            j = before
        }
        return j
    }

    @inline(__always)
    func scalar(at i: Int, is s: Unicode.Scalar) -> Bool { i < bytes.count && scalar(at: i).0 == s }

    func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }

    // MARK: - Anchors

    static let yearMark: Unicode.Scalar = "年"
    /// Every label holds one of these characters, which are rare in report prose (unlike 服 of 服务电话
    /// or 通 of 通信地址), so the scan stops at few places. `E-mail` and its kin are found by their E.
    static let labelAnchors: [Unicode.Scalar] = ["电", "真", "邮", "址"]
    /// For each anchor character, the labels holding it and its index in them (its first occurrence).
    static let labelsByAnchor: [UInt32: [([Unicode.Scalar], Int)]] = {
        var byAnchor: [UInt32: [([Unicode.Scalar], Int)]] = [:]
        for (label, _) in labels {
            let scalars = Array(label.unicodeScalars)
            guard let k = scalars.firstIndex(where: { labelAnchors.contains($0) || $0 == "E" || $0 == "e" }) else {
                preconditionFailure("label \(label) holds no anchor character")
            }
            // `E-mail` and its kin start at their anchor: the scan notes every E.
            if k > 0 || labelAnchors.contains(scalars[k]) { byAnchor[scalars[k].value, default: []].append((scalars, k)) }
        }
        return byAnchor
    }()

    /// Where dates and contacts may start: the scan's hits, checked and resolved.
    func anchors() -> (dates: [Int], contacts: [Int]) {
        var dates: [Int] = []
        var contacts: [Int] = []
        for i in FactScanner.hits(bytes) {
            let b = bytes[i]
            if b < 0x80 {
                switch b {
                case 0x2E, 0x2F, 0x2D: // . / -: the end of a four-digit year?
                    if i >= 4, bytes[(i - 4)..<i].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { dates.append(i - 4) }
                case 0x45, 0x65: // E e
                    contacts.append(i)
                case 0x68, 0x77, 0x48, 0x57: // h w H W, not inside a longer address or word
                    if i == 0 || !FactScanner.isURLChar(Unicode.Scalar(bytes[i - 1])) { contacts.append(i) }
                default:
                    break
                }
                continue
            }
            // The two trailing bytes of a three-byte scalar whose lead byte is at i - 1.
            guard i >= 1, i + 1 < bytes.count, bytes[i - 1] & 0xF0 == 0xE0 else { continue }
            let value = UInt32(bytes[i - 1] & 0x0F) << 12 | UInt32(bytes[i] & 0x3F) << 6 | UInt32(bytes[i + 1] & 0x3F)
            if value == FactScanner.yearMark.value {
                dates.append(i - 1)
            } else if let labels = FactScanner.labelsByAnchor[value] {
                for (label, k) in labels {
                    if let start = labelStart(label, anchorIndex: k, anchorAt: i - 1) { contacts.append(start) }
                }
            }
        }
        // A label found by its anchor starts before the hits that came before it.
        contacts.sort()
        var unique = 0
        for n in contacts.indices where n == 0 || contacts[n] != contacts[unique - 1] {
            contacts[unique] = contacts[n]
            unique += 1
        }
        contacts.removeLast(contacts.count - unique)
        return (dates, contacts)
    }

    /// Where `label` starts if its `anchorIndex`th character is the one at `anchor`, white space
    /// allowed between its characters (as `matchLabel` allows it, read backwards).
    func labelStart(_ label: [Unicode.Scalar], anchorIndex: Int, anchorAt anchor: Int) -> Int? {
        var j = anchor
        for m in stride(from: anchorIndex - 1, through: 0, by: -1) {
            j = skipSpaces(before: j)
            guard j > 0 else { return nil }
            let start = scalarStart(before: j)
            guard scalar(at: start).0 == label[m] else { return nil }
            j = start
        }
        return j
    }

    /// A three-byte character to find, by its two trailing bytes (unique among common characters).
    struct TrailingPair: Sendable {
        let middle: UInt8
        let last: UInt8

        init(_ s: Unicode.Scalar) {
            let utf8 = Array(String(s).utf8)
            precondition(utf8.count == 3, "anchor characters are three-byte scalars")
            middle = utf8[1]
            last = utf8[2]
        }
    }

    /// Byte offsets, ascending, that may be an anchor: the middle byte of 年 or of a label anchor, a
    /// date separator or a comma, an ASCII letter (for `h`, `w`, `E`). Almost no word holds one.
    /// `rk_anchor_hits` (CReportKernels) tests 32 or 16 bytes at a time; `naiveHits` is its
    /// definition. `level` is for tests (`RK_LEVEL_…`).
    static func hits(_ bytes: [UInt8], level: Int32 = RK_LEVEL_BEST) -> [Int] {
        let pairs = anchorPairBytes
        var found: [Int] = []
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            let n = buf.count
            var from = 0
            var capacity = n / 64 + 16
            // The kernel stops early when its output is full; the rest goes to a larger chunk.
            repeat {
                let chunk = [Int](unsafeUninitializedCapacity: capacity) { out, written in
                    from = pairs.withUnsafeBufferPointer { rk_anchor_hits_at(level, base, n, from, $0.baseAddress, out.baseAddress, capacity, &written) }
                }
                if found.isEmpty { found = chunk } else { found += chunk }
                capacity *= 2
            } while from < n
        }
        return found
    }

    /// The plain definition of `hits`, one byte at a time (for tests).
    static func naiveHits(_ bytes: [UInt8]) -> [Int] {
        bytes.indices.filter { i in
            let b = bytes[i]
            return b & 0xC0 == 0x40 || b & 0xFC == 0x2C
                || (i + 1 < bytes.count && anchorPairs.contains { $0.middle == b && $0.last == bytes[i + 1] })
        }
    }

    /// The pairs as `rk_anchor_hits` takes them: middle and last byte of each.
    static let anchorPairBytes: [UInt8] = {
        precondition(anchorPairs.count == Int(RK_ANCHOR_PAIRS))
        return anchorPairs.flatMap { [$0.middle, $0.last] }
    }()

    /// 年 and the label anchors by their trailing bytes.
    static let anchorPairs = ([yearMark] + labelAnchors).map(TrailingPair.init)

    @inline(__always)
    static func isASCIIDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always)
    static func isASCIILetter(_ s: Unicode.Scalar) -> Bool { (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") }

    // MARK: - Dates

    /// Parses a Chinese-numeral number of 1–31 (`十二`, `二十一`) or up to two digits.
    func smallNumber(at i: Int) -> (value: Int, end: Int, chinese: Bool)? {
        var j = i
        var value = 0
        var digits = 0
        while j < bytes.count, digits < 2 {
            let (s, next) = scalar(at: j)
            guard let d = CharClass.digit(s) else { break }
            value = value * 10 + d
            digits += 1
            j = next
        }
        if digits > 0 { return (value, j, false) }
        // Chinese numerals: [一-九]?十?[一-九]?
        var tens = 0, units = 0, sawTen = false, sawAny = false
        if j < bytes.count {
            let (s, next) = scalar(at: j)
            if let d = CharClass.chineseDigit(s), d > 0 { units = d; sawAny = true; j = next }
        }
        if j < bytes.count, case let (s, next) = scalar(at: j), s == "十" {
            tens = sawAny ? units : 1; units = 0; sawTen = true; sawAny = true; j = next
            if j < bytes.count, case let (u, after) = scalar(at: j), let d = CharClass.chineseDigit(u), d > 0 { units = d; j = after }
        }
        guard sawAny else { return nil }
        return (sawTen ? tens * 10 + units : units, j, true)
    }

    /// A `Y年M月D日` date whose 年 starts at byte `yearMark`.
    func dateAround(yearMark: Int) -> DateMention? {
        // Month and day first: most 年 (年度, 全年) are not dates, and this rejects them soonest.
        var spaced = false
        var j = yearMark + 3
        guard j < bytes.count, case let (s, _) = scalar(at: j),
              CharClass.isSpace(s) || CharClass.digit(s) != nil || CharClass.chineseDigit(s) != nil || s == "十" else { return nil }
        let afterYear = skipSpaces(j)
        if afterYear != j { spaced = true }
        j = afterYear
        guard let month = smallNumber(at: j) else { return nil }
        j = month.end
        let m1 = skipSpaces(j); if m1 != j { spaced = true }; j = m1
        guard scalar(at: j, is: "月") else { return nil }
        let monthMarkEnd = j + 3
        let m2 = skipSpaces(monthMarkEnd); if m2 != monthMarkEnd { spaced = true }; j = m2
        guard let day = smallNumber(at: j) else { return nil }
        j = day.end
        let d1 = skipSpaces(j); if d1 != j { spaced = true }; j = d1
        guard scalar(at: j, is: "日") || scalar(at: j, is: "号") else { return nil }
        let end = j + 3
        // Year: four digits or four Chinese numerals before 年, white space allowed before 年, and one
        // line break (a PDF text layer wraps `… 2021` / `年 12 月 31 日`).
        // White space around a line break is the layout's, not the writer's: it does not make the date spaced.
        var k = yearMark
        var breaks = 0, blanks = false
        while k > 0 {
            let before = scalarStart(before: k)
            let s = scalar(at: before).0
            guard CharClass.isSpace(s) else { break }
            if s == "\n" { breaks += 1; if breaks > 1 { break } }
            k = before
            blanks = true
        }
        if blanks, breaks == 0 { spaced = true }
        var start = k
        var year = 0, chineseYear = 0, place = 1
        var digits = true, chineseDigits = true
        for _ in 0..<4 {
            guard start > 0 else { return nil }
            start = scalarStart(before: start)
            let s = scalar(at: start).0
            if let d = CharClass.digit(s) { year += d * place } else { digits = false }
            if let d = CharClass.chineseDigit(s) { chineseYear += d * place } else { chineseDigits = false }
            guard digits || chineseDigits else { return nil }
            place *= 10
        }
        let chinese = !digits
        if chinese { year = chineseYear }
        if start > 0, CharClass.digit(scalar(at: scalarStart(before: start)).0) != nil { return nil }
        let style: DateMention.Style = chinese || month.chinese || day.chinese ? .chineseNumerals : spaced ? .spaced : .standard
        return DateMention(year: year, month: month.value, day: day.value, span: SourceSpan(start: start, end: end), style: style,
                           text: text(start, end))
    }

    /// `2020.1.20`, `2020/1/20`, `2020-01-20`, whose first digit is at byte `i`.
    func separatedDate(at i: Int) -> DateMention? {
        guard i + 4 < bytes.count else { return nil }
        if i > 0 {
            let before = scalar(at: scalarStart(before: i)).0
            guard CharClass.digit(before) == nil, before != "-", before != ".", before != "/" else { return nil }
        }
        var year = 0
        for k in i..<(i + 4) {
            guard FactScanner.isASCIIDigit(bytes[k]) else { return nil }
            year = year * 10 + Int(bytes[k] - 0x30)
        }
        let sep = bytes[i + 4]
        guard sep == 0x2E || sep == 0x2F || sep == 0x2D else { return nil }
        var j = i + 5
        func part() -> Int? {
            var v = 0, n = 0
            while j < bytes.count, n < 3, FactScanner.isASCIIDigit(bytes[j]) { v = v * 10 + Int(bytes[j] - 0x30); n += 1; j += 1 }
            return n >= 1 && n <= 2 ? v : nil
        }
        guard let month = part(), j < bytes.count, bytes[j] == sep else { return nil }
        j += 1
        guard let day = part() else { return nil }
        if j < bytes.count, bytes[j] == sep || CharClass.digit(scalar(at: j).0) != nil { return nil }
        guard (1900...2100).contains(year) else { return nil }
        return DateMention(year: year, month: month, day: day, span: SourceSpan(start: i, end: j), style: sep == 0x2D ? .iso : .dotted,
                           text: text(i, j))
    }

    func dates() -> [DateMention] {
        var found: [DateMention] = []
        var lastEnd = -1
        for anchor in dateAnchors {
            let date = bytes[anchor] < 0x80
                ? (anchor >= lastEnd ? separatedDate(at: anchor) : nil)
                : dateAround(yearMark: anchor).flatMap { $0.span.start >= lastEnd ? $0 : nil }
            if let date {
                found.append(date)
                lastEnd = date.span.end
            }
        }
        return found
    }

    static func isPeriodMark(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "至", "到", "—", "-", "~", "－", "～", "–": true
        default: false
        }
    }

    /// The statistics period: a date, then 至/到/—, then a date (its year may be left out).
    func statisticsPeriod(_ dates: [DateMention]) -> StatisticsPeriod? {
        for (n, first) in dates.enumerated() {
            var j = skipSpaces(first.span.end)
            if scalar(at: j, is: "起") { j = skipSpaces(j + 3) }
            guard j < bytes.count else { continue }
            let (mark, afterMark) = scalar(at: j)
            guard FactScanner.isPeriodMark(mark) else { continue }
            j = afterMark
            if mark == "—", scalar(at: j, is: "—") { j += 3 }
            j = skipSpaces(j)
            // The context must speak of statistics, within the 40 scalars before the period.
            var windowStart = first.span.start
            for _ in 0..<40 where windowStart > 0 { windowStart = scalarStart(before: windowStart) }
            let window = SourceSpan(start: windowStart, end: first.span.start)
            guard FactScanner.periodWords.contains(where: { ByteSearch.contains(bytes, window, $0) }) else { continue }
            let end: DateMention
            if n + 1 < dates.count, dates[n + 1].span.start == j {
                end = dates[n + 1]
            } else if let month = smallNumber(at: j) {
                var k = skipSpaces(month.end)
                guard scalar(at: k, is: "月") else { continue }
                k = skipSpaces(k + 3)
                guard let day = smallNumber(at: k) else { continue }
                k = skipSpaces(day.end)
                guard scalar(at: k, is: "日") else { continue }
                end = DateMention(year: first.year, month: month.value, day: day.value, span: SourceSpan(start: j, end: k + 3),
                                  style: first.style, text: text(j, k + 3))
            } else {
                continue
            }
            return StatisticsPeriod(start: first, end: end, span: first.span.union(end.span))
        }
        return nil
    }

    static let periodWords = ["统计", "报告期", "时限", "期限"].map { Array($0.utf8) }

    // MARK: - Contacts

    static let labels: [(String, ContactField.Kind)] = [
        ("联系电话", .phone), ("咨询电话", .phone), ("办公电话", .phone), ("服务电话", .phone), ("监督电话", .phone), ("电话号码", .phone),
        ("电话", .phone), ("传真", .fax), ("邮政编码", .postcode), ("邮编", .postcode), ("电子邮箱", .email), ("电子信箱", .email),
        ("电子邮件", .email), ("邮箱", .email), ("E-mail", .email), ("Email", .email), ("e-mail", .email), ("email", .email),
        ("网址", .url), ("通信地址", .address), ("通讯地址", .address), ("联系地址", .address), ("办公地址", .address), ("地址", .address),
    ]
    /// Labels grouped by their first scalar, longest first, as scalar arrays.
    static let labelsByFirst: [(UInt32, [([Unicode.Scalar], String, ContactField.Kind)])] = {
        var groups: [UInt32: [([Unicode.Scalar], String, ContactField.Kind)]] = [:]
        for (label, kind) in labels {
            let scalars = Array(label.unicodeScalars)
            groups[scalars[0].value, default: []].append((scalars, label, kind))
        }
        return groups.map { ($0.key, $0.value.sorted { $0.0.count > $1.0.count }) }.sorted { $0.0 < $1.0 }
    }()

    /// The labels that may start with this scalar.
    static func candidates(_ s: Unicode.Scalar) -> [([Unicode.Scalar], String, ContactField.Kind)]? {
        for (first, group) in labelsByFirst where first == s.value { return group }
        return nil
    }

    /// Matches `label` at byte `i`, allowing white space between its characters. Returns the end offset.
    func matchLabel(_ label: [Unicode.Scalar], at i: Int) -> Int? {
        var j = i
        for (n, s) in label.enumerated() {
            if n > 0 { j = skipSpaces(j) }
            guard j < bytes.count else { return nil }
            let (t, next) = scalar(at: j)
            guard t == s else { return nil }
            j = next
        }
        return j
    }

    static func isValueStop(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "；", ";", "，", ",", "。", "、", "\n", "\r": true
        default: false
        }
    }

    /// A measure word after a number makes it a count (`84472通`, `3次`).
    static func isCounter(_ s: Unicode.Scalar) -> Bool { "通次个件余多条人起".unicodeScalars.contains(s) }

    static func isPhoneChar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "-", "—", "－", "–", "‐", "转": true
        default: CharClass.digit(s) != nil || isASCIILetter(s)
        }
    }

    func phoneValue(from start: Int) -> (Int, Int) {
        var j = start
        var opens = 0
        var end = start
        while j < bytes.count {
            let (s, next) = scalar(at: j)
            if FactScanner.isPhoneChar(s) {
                j = next; end = j
            } else if s == "(" || s == "（" {
                opens += 1; j = next
            } else if (s == ")" || s == "）"), opens > 0 {
                opens -= 1; j = next; end = j
            } else if s == " ", next < bytes.count, CharClass.digit(scalar(at: next).0) != nil, end > start {
                j = next
            } else {
                break
            }
        }
        return (start, end)
    }

    func runValue(from start: Int, allowed: (Unicode.Scalar) -> Bool) -> (Int, Int) {
        var j = start
        while j < bytes.count {
            let (s, next) = scalar(at: j)
            guard allowed(s) else { break }
            j = next
        }
        return (start, j)
    }

    /// Where a value broken at a line end goes on: the first byte of the next line after its
    /// indentation, or nil when the value does not stop at a line end. A PDF text layer (or text
    /// copied out of one) wraps `https://` or `0535-` onto the next line.
    func continuation(at i: Int) -> Int? {
        var j = i
        while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
        if j < bytes.count, bytes[j] == 0x0D { j += 1 }
        guard j < bytes.count, bytes[j] == 0x0A else { return nil }
        j += 1
        while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0C { j += 1 }
        return j < bytes.count ? j : nil
    }

    /// A web address from `start`, continued on the next line when it stops there unfinished
    /// (after `://`, or after `.`, `/` or `-` with a letter going on): its start, end and text.
    func urlValue(from start: Int) -> (Int, Int, String) {
        let (a, b) = runValue(from: start) { FactScanner.isURLChar($0) }
        guard b > a, let next = continuation(at: b) else { return (a, b, text(a, b)) }
        let last = bytes[b - 1]
        let unfinished = text(a, b).hasSuffix("://") && FactScanner.isURLChar(Unicode.Scalar(bytes[next]))
            || [0x2E, 0x2F, 0x2D].contains(last) && FactScanner.isASCIILetter(Unicode.Scalar(bytes[next]))
        guard unfinished else { return (a, b, text(a, b)) }
        let (_, end) = runValue(from: next) { FactScanner.isURLChar($0) }
        return (a, end, text(a, b) + text(next, end))
    }

    /// A phone number that stops at a line end unfinished (after a dash, or with fewer than seven
    /// digits) and goes on with digits on the next line: its new end and text.
    func phoneContinued(_ v: (Int, Int)) -> (Int, String)? {
        guard v.1 > v.0, let next = continuation(at: v.1), CharClass.digit(scalar(at: next).0) != nil else { return nil }
        let head = text(v.0, v.1)
        let digits = head.unicodeScalars.filter { CharClass.digit($0) != nil }.count
        guard let last = head.unicodeScalars.last, "-—－–‐".unicodeScalars.contains(last) || digits < 7 else { return nil }
        let (_, end) = phoneValue(from: next)
        return (end, head + text(next, end))
    }

    static func isEmailChar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case ".", "_", "%", "+", "-", "@", "＠": true
        default: isASCIILetter(s) || (s >= "0" && s <= "9")
        }
    }

    static func isURLChar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "-", ".", "_", "~", ":", "/", "?", "#", "[", "]", "@", "!", "$", "&", "'", "*", "+", "=", "%": true
        default: isASCIILetter(s) || (s >= "0" && s <= "9")
        }
    }

    static let urlPrefixes = ["http://", "https://", "www.", "HTTP://", "WWW."].map { Array($0.utf8) }

    static func isPhoneSeparator(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "、", "/", "或", "，", ",": true
        default: false
        }
    }

    static func isColon(_ s: Unicode.Scalar) -> Bool { s == "：" || s == ":" || s == "为" }

    func hasPrefix(_ prefix: [UInt8], at i: Int) -> Bool {
        i + prefix.count <= bytes.count && bytes[i..<(i + prefix.count)].elementsEqual(prefix)
    }

    func contacts() -> [ContactField] {
        var fields: [ContactField] = []
        var i = 0
        for anchor in contactStarts where anchor >= i {
            let first = bytes[anchor]
            if first == 0x68 || first == 0x77 || first == 0x48 || first == 0x57 { // h w H W
                guard FactScanner.urlPrefixes.contains(where: { hasPrefix($0, at: anchor) }) else { continue }
                let (a, end, value) = urlValue(from: anchor)
                var b = end
                while b > a, [0x2E, 0x2C, 0x29, 0x5D, 0x3A].contains(bytes[b - 1]) { b -= 1 } // . , ) ] :
                fields.append(ContactField(kind: .url, label: "", value: String(value.dropLast(end - b)), span: SourceSpan(start: a, end: b)))
                i = b
                continue
            }
            guard let group = FactScanner.candidates(scalar(at: anchor).0) else { continue }
            var matched: (String, ContactField.Kind, Int)?
            for (scalars, label, kind) in group {
                if let end = matchLabel(scalars, at: anchor) { matched = (label, kind, end); break }
            }
            guard let (label, kind, labelEnd) = matched else { continue }
            var j = skipSpaces(labelEnd)
            var hadColon = false
            // "电话/传真：0591-…": one number for both labels.
            if kind == .phone, j < bytes.count, case let (slash, afterSlash) = scalar(at: j), slash == "/" || slash == "／",
               let faxEnd = matchLabel(Array("传真".unicodeScalars), at: afterSlash) {
                j = skipSpaces(faxEnd)
            }
            if j < bytes.count, case let (s, next) = scalar(at: j), FactScanner.isColon(s) { j = skipSpaces(next); hadColon = true }
            var values: [(Int, Int)] = []
            // The value as written, without a line break that wraps it (set where one may).
            var wrapped: [Int: String] = [:]
            switch kind {
            case .phone, .fax:
                var v = phoneValue(from: j)
                if let (end, value) = phoneContinued(v) { wrapped[v.0] = value; v.1 = end }
                // "接听电话84472通": a count of calls, not a number to call.
                if !hadColon, v.1 > v.0, v.1 < bytes.count, FactScanner.isCounter(scalar(at: v.1).0) { break }
                while v.1 > v.0 {
                    values.append(v)
                    // Several numbers: "0731-1234567、0731-7654321" or "或".
                    guard v.1 < bytes.count, case let (s, next) = scalar(at: v.1), FactScanner.isPhoneSeparator(s) else { break }
                    let k = skipSpaces(next)
                    guard k < bytes.count, case let (t, _) = scalar(at: k), CharClass.digit(t) != nil || t == "(" || t == "（" else { break }
                    v = phoneValue(from: k)
                    if let (end, value) = phoneContinued(v) { wrapped[v.0] = value; v.1 = end }
                }
            case .postcode:
                values.append(runValue(from: j) { CharClass.digit($0) != nil || FactScanner.isASCIILetter($0) })
            case .email:
                values.append(runValue(from: j) { FactScanner.isEmailChar($0) })
            case .url:
                let (a, b, value) = urlValue(from: j)
                values.append((a, b))
                if b - a != value.utf8.count { wrapped[a] = value }
            case .address:
                values.append(runValue(from: j) { !FactScanner.isValueStop($0) && $0 != "）" && $0 != ")" })
            }
            // A label word in running prose ("电话沟通") without a value is not a field.
            for (a, b) in values where b > a || hadColon {
                fields.append(ContactField(kind: kind, label: label, value: wrapped[a] ?? text(a, b), span: SourceSpan(start: a, end: b)))
            }
            i = max(labelEnd, values.last?.1 ?? labelEnd)
        }
        return fields
    }
}
