import ReportModel

/// Finds dates, the statistics period and labelled contact details in the whole text.
///
/// It scans the text as one run of scalars so that a date or a label broken across lines by a
/// PDF text layer (`电 子 邮 箱 ：⏎hzzwgk@126.com`) is still found.
struct FactScanner {
    let sc: Scalars
    let source: SourceText

    init(source: SourceText) {
        self.source = source
        sc = Scalars(source.bytes, SourceSpan(start: 0, end: source.bytes.count))
    }

    func isSpace(_ i: Int) -> Bool { i < sc.count && CharClass.isSpace(sc.scalars[i]) }

    func skipSpaces(_ i: Int) -> Int {
        var j = i
        while j < sc.count, CharClass.isSpace(sc.scalars[j]) { j += 1 }
        return j
    }

    // MARK: - Dates

    /// Parses a Chinese-numeral number of 1–31 (`十二`, `二十一`) or up to two digits.
    func smallNumber(at i: Int) -> (value: Int, end: Int, chinese: Bool)? {
        var j = i
        var value = 0
        var digits = 0
        while j < sc.count, let d = CharClass.digit(sc.scalars[j]), digits < 2 {
            value = value * 10 + d
            digits += 1
            j += 1
        }
        if digits > 0 { return (value, j, false) }
        // Chinese numerals: [一-九]?十?[一-九]?
        var tens = 0, units = 0, sawTen = false, sawAny = false
        if j < sc.count, let d = CharClass.chineseDigit(sc.scalars[j]), d > 0, sc.scalars[j] != "O", sc.scalars[j] != "o" {
            units = d; sawAny = true; j += 1
        }
        if j < sc.count, sc.scalars[j] == "十" {
            tens = sawAny ? units : 1; units = 0; sawTen = true; sawAny = true; j += 1
            if j < sc.count, let d = CharClass.chineseDigit(sc.scalars[j]), d > 0 { units = d; j += 1 }
        }
        guard sawAny else { return nil }
        return (sawTen ? tens * 10 + units : units, j, true)
    }

    /// A `Y年M月D日` date whose 年 stands at `yearMark`.
    func dateAround(yearMark: Int) -> DateMention? {
        // Year: four digits or four Chinese numerals before 年, white space allowed before 年.
        var k = yearMark
        var spaced = false
        while k > 0, isSpace(k - 1), sc.scalars[k - 1] != "\n" { k -= 1; spaced = true }
        guard k >= 4 else { return nil }
        var year = 0
        var chinese = false
        var ok = true
        for idx in (k - 4)..<k {
            if let d = CharClass.digit(sc.scalars[idx]) { year = year * 10 + d }
            else { ok = false; break }
        }
        if !ok {
            year = 0
            ok = true
            for idx in (k - 4)..<k {
                guard let d = CharClass.chineseDigit(sc.scalars[idx]) else { ok = false; break }
                year = year * 10 + d
            }
            chinese = ok
        }
        guard ok else { return nil }
        if k - 5 >= 0, CharClass.digit(sc.scalars[k - 5]) != nil { return nil }
        let start = k - 4
        var j = yearMark + 1
        let afterYear = skipSpaces(j)
        if afterYear != j { spaced = true }
        j = afterYear
        guard let month = smallNumber(at: j) else { return nil }
        j = month.end
        let m1 = skipSpaces(j); if m1 != j { spaced = true }; j = m1
        guard j < sc.count, sc.scalars[j] == "月" else { return nil }
        let m2 = skipSpaces(j + 1); if m2 != j + 1 { spaced = true }; j = m2
        guard let day = smallNumber(at: j) else { return nil }
        j = day.end
        let d1 = skipSpaces(j); if d1 != j { spaced = true }; j = d1
        guard j < sc.count, sc.scalars[j] == "日" || sc.scalars[j] == "号" else { return nil }
        let end = j + 1
        let style: DateMention.Style = chinese || month.chinese || day.chinese ? .chineseNumerals : spaced ? .spaced : .standard
        return DateMention(year: year, month: month.value, day: day.value, span: sc.span(start, end), style: style,
                           text: sc.string(start, end))
    }

    /// `2020.1.20`, `2020/1/20`, `2020-01-20`.
    func separatedDate(at i: Int) -> DateMention? {
        guard i + 4 < sc.count, i == 0 || (CharClass.digit(sc.scalars[i - 1]) == nil && sc.scalars[i - 1] != "-" && sc.scalars[i - 1] != "."
                                             && sc.scalars[i - 1] != "/") else { return nil }
        var year = 0
        for k in i..<(i + 4) {
            guard let d = CharClass.digit(sc.scalars[k]), sc.scalars[k].isASCII else { return nil }
            year = year * 10 + d
        }
        let sep = sc.scalars[i + 4]
        guard sep == "." || sep == "/" || sep == "-" else { return nil }
        var j = i + 5
        func part() -> Int? {
            var v = 0, n = 0
            while j < sc.count, n < 3, let d = CharClass.digit(sc.scalars[j]), sc.scalars[j].isASCII { v = v * 10 + d; n += 1; j += 1 }
            return n >= 1 && n <= 2 ? v : nil
        }
        guard let month = part(), j < sc.count, sc.scalars[j] == sep else { return nil }
        j += 1
        guard let day = part() else { return nil }
        if j < sc.count, CharClass.digit(sc.scalars[j]) != nil || sc.scalars[j] == sep { return nil }
        guard (1900...2100).contains(year) else { return nil }
        return DateMention(year: year, month: month, day: day, span: sc.span(i, j), style: sep == "-" ? .iso : .dotted,
                           text: sc.string(i, j))
    }

    func dates() -> [DateMention] {
        var found: [DateMention] = []
        var i = 0
        var lastEnd = -1
        while i < sc.count {
            let s = sc.scalars[i]
            if s == "年", let date = dateAround(yearMark: i), date.span.start >= lastEnd {
                found.append(date)
                lastEnd = date.span.end
            } else if s.isASCII, CharClass.digit(s) != nil, sc.offsets[i] >= lastEnd, let date = separatedDate(at: i) {
                found.append(date)
                lastEnd = date.span.end
                i = sc.offsets.firstIndex(of: date.span.end) ?? i
                continue
            }
            i += 1
        }
        return found
    }

    /// Scalar index of a byte offset (offsets are ascending).
    func index(of offset: Int) -> Int {
        var lo = 0, hi = sc.offsets.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if sc.offsets[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The statistics period: a date, then 至/到/—, then a date (its year may be left out).
    func statisticsPeriod(_ dates: [DateMention]) -> StatisticsPeriod? {
        for (n, first) in dates.enumerated() {
            var j = skipSpaces(index(of: first.span.end))
            if j < sc.count, sc.scalars[j] == "起" { j = skipSpaces(j + 1) }
            guard j < sc.count, ["至", "到", "—", "-", "~", "－", "～", "–"].contains(sc.scalars[j]) else { continue }
            if sc.scalars[j] == "—", j + 1 < sc.count, sc.scalars[j + 1] == "—" { j += 1 }
            j = skipSpaces(j + 1)
            // The context must speak of statistics, within the sentence before the period.
            let window = SourceSpan(start: sc.offsets[max(0, index(of: first.span.start) - 40)], end: first.span.start)
            guard FactScanner.periodWords.contains(where: { ByteSearch.contains(source.bytes, window, $0) }) else { continue }
            let end: DateMention
            if n + 1 < dates.count, index(of: dates[n + 1].span.start) == j {
                end = dates[n + 1]
            } else if let month = smallNumber(at: j) {
                var k = skipSpaces(month.end)
                guard k < sc.count, sc.scalars[k] == "月" else { continue }
                k = skipSpaces(k + 1)
                guard let day = smallNumber(at: k) else { continue }
                k = skipSpaces(day.end)
                guard k < sc.count, sc.scalars[k] == "日" else { continue }
                end = DateMention(year: first.year, month: month.value, day: day.value, span: sc.span(j, k + 1), style: first.style,
                                  text: sc.string(j, k + 1))
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

    /// The labels that may start at this scalar; most scalars are rejected by the range test alone.
    @inline(__always)
    static func candidates(_ s: Unicode.Scalar) -> [([Unicode.Scalar], String, ContactField.Kind)]? {
        let v = s.value
        guard v == 0x45 || v == 0x65 || (v >= 0x4E00 && v <= 0x9FFF) else { return nil }
        for (first, group) in labelsByFirst where first == v { return group }
        return nil
    }

    /// Matches `label` at `i`, allowing white space between its characters. Returns the end index.
    func matchLabel(_ label: [Unicode.Scalar], at i: Int) -> Int? {
        var j = i
        for (n, s) in label.enumerated() {
            if n > 0 { j = skipSpaces(j) }
            guard j < sc.count, sc.scalars[j] == s else { return nil }
            j += 1
        }
        return j
    }

    func isValueStop(_ s: Unicode.Scalar) -> Bool {
        ["；", ";", "，", ",", "。", "、", "\n", "\r"].contains(s)
    }

    func phoneValue(from start: Int) -> (Int, Int) {
        var j = start
        var opens = 0
        var end = start
        while j < sc.count {
            let s = sc.scalars[j]
            if CharClass.digit(s) != nil || (s.isASCII && s.properties.isAlphabetic) || ["-", "—", "－", "–", "‐", "转"].contains(s) {
                j += 1; end = j
            } else if s == "(" || s == "（" {
                opens += 1; j += 1
            } else if (s == ")" || s == "）"), opens > 0 {
                opens -= 1; j += 1; end = j
            } else if s == " ", j + 1 < sc.count, CharClass.digit(sc.scalars[j + 1]) != nil, end > start {
                j += 1
            } else {
                break
            }
        }
        return (start, end)
    }

    func runValue(from start: Int, allowed: (Unicode.Scalar) -> Bool) -> (Int, Int) {
        var j = start
        while j < sc.count, allowed(sc.scalars[j]) { j += 1 }
        return (start, j)
    }

    static func isEmailChar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || CharClass.digit(s) != nil || "._%+-@".unicodeScalars.contains(s)) || s == "＠"
    }

    static func isURLChar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || CharClass.digit(s) != nil || "-._~:/?#[]@!$&'*+=%".unicodeScalars.contains(s))
    }

    func contacts() -> [ContactField] {
        var fields: [ContactField] = []
        var i = 0
        while i < sc.count {
            let s = sc.scalars[i]
            if s == "h" || s == "w" || s == "H" || s == "W", i == 0 || !FactScanner.isURLChar(sc.scalars[i - 1]) {
                let rest = sc.hasPrefix("http://", at: i) || sc.hasPrefix("https://", at: i) || sc.hasPrefix("www.", at: i)
                    || sc.hasPrefix("HTTP://", at: i) || sc.hasPrefix("WWW.", at: i)
                if rest {
                    var (a, b) = runValue(from: i) { FactScanner.isURLChar($0) }
                    while b > a, [".", ",", ")", "]", ":"].contains(sc.scalars[b - 1]) { b -= 1 }
                    fields.append(ContactField(kind: .url, label: "", value: sc.string(a, b), span: sc.span(a, b)))
                    i = b
                    continue
                }
            }
            guard let group = FactScanner.candidates(s) else { i += 1; continue }
            var matched: (String, ContactField.Kind, Int)?
            for (scalars, label, kind) in group {
                if let end = matchLabel(scalars, at: i) { matched = (label, kind, end); break }
            }
            guard let (label, kind, labelEnd) = matched else { i += 1; continue }
            var j = skipSpaces(labelEnd)
            var hadColon = false
            if j < sc.count, ["：", ":", "为"].contains(sc.scalars[j]) { j = skipSpaces(j + 1); hadColon = true }
            var values: [(Int, Int)] = []
            switch kind {
            case .phone, .fax:
                var v = phoneValue(from: j)
                while v.1 > v.0 {
                    values.append(v)
                    // Several numbers: "0731-1234567、0731-7654321" or "或".
                    var k = v.1
                    guard k < sc.count, ["、", "/", "或", "，", ","].contains(sc.scalars[k]) else { break }
                    k = skipSpaces(k + 1)
                    guard k < sc.count, CharClass.digit(sc.scalars[k]) != nil || sc.scalars[k] == "(" || sc.scalars[k] == "（" else { break }
                    v = phoneValue(from: k)
                }
            case .postcode:
                values.append(runValue(from: j) { CharClass.digit($0) != nil || ($0.isASCII && $0.properties.isAlphabetic) })
            case .email:
                values.append(runValue(from: j) { FactScanner.isEmailChar($0) })
            case .url:
                values.append(runValue(from: j) { FactScanner.isURLChar($0) })
            case .address:
                values.append(runValue(from: j) { !isValueStop($0) && $0 != "）" && $0 != ")" })
            }
            // A label word in running prose ("电话沟通") without a value is not a field.
            for (a, b) in values where b > a || hadColon {
                fields.append(ContactField(kind: kind, label: label, value: sc.string(a, b), span: sc.span(a, b)))
            }
            i = max(labelEnd, values.last?.1 ?? labelEnd)
        }
        return fields
    }
}
