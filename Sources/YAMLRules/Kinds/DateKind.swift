import RuleKit
import UserPatterns
import YAMLFiles

/// `kind: date` — date constraints relative to the report year and kind. `check` picks one:
/// - `valid`: every date exists in the calendar;
/// - `format`: dates are written `YYYY年M月D日` (ISO dates accepted on lines with `allow_iso_on` words);
/// - `statistics-period`: the stated period is one whole calendar year;
/// - `year-agreement`: the title year equals the period's year, and the publication year is Y+1;
/// - `publication-deadline`: the publication date is no later than `deadline` (month-day of Y+1, by kind);
/// - `statistics-period-stated`: the report states its statistics period (a date range the scanner
///   reads as the period, or prose matching one of the `stated` regexes, such as `统计期限为2023年度`);
///   reported at line 1 when it does not.
///
/// ```yaml
/// kind: date
/// check: publication-deadline
/// deadline: {government: "03-31", department: "01-31"}
/// ```
struct DateKind: RuleCheck {
    enum Check: String, Sendable {
        case valid, format, statisticsPeriod = "statistics-period", yearAgreement = "year-agreement", publicationDeadline = "publication-deadline"
        case statisticsPeriodStated = "statistics-period-stated"
    }
    var check: Check
    var deadline: [ReportKind: (month: Int, day: Int)]
    var allowISOOn: [String]
    var allowISOBytes: [[UInt8]] { allowISOOn.map { Array($0.utf8) } }
    /// `stated`: other wordings that state the period (check `statistics-period-stated`).
    var stated: [UserRegex] = []

    static let placeholders: Set<String> = ["date", "year", "expected", "deadline", "kind", "period"]
    var usesPatterns: Bool { !stated.isEmpty }

    static func read(_ r: inout NodeReader) throws -> DateKind {
        let check = try r.oneOf(try r.required("check"), ["valid": Check.valid, "format": .format, "statistics-period": .statisticsPeriod,
                                                          "year-agreement": .yearAgreement, "publication-deadline": .publicationDeadline,
                                                          "statistics-period-stated": .statisticsPeriodStated])
        var deadline: [ReportKind: (Int, Int)] = [:]
        if let node = r.optional("deadline") {
            guard check == .publicationDeadline else { throw r.error("deadline 只用于 check: publication-deadline", at: node) }
            var m = r.child(node)
            for (key, kind) in [("government", ReportKind.government), ("department", .department)] {
                guard let v = m.optional(key) else { continue }
                let parts = try m.string(v).split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2, (1...12).contains(parts[0]), (1...31).contains(parts[1]) else {
                    throw m.error("期限应写作“MM-DD”，例如 \"01-31\"", at: v)
                }
                deadline[kind] = (parts[0], parts[1])
            }
            try m.finish()
        } else if check == .publicationDeadline {
            throw r.error("check: publication-deadline 需要 deadline")
        }
        let allow = try r.optional("allow_iso_on").map { try r.strings($0) } ?? []
        var kind = DateKind(check: check, deadline: deadline, allowISOOn: allow)
        if let node = r.optional("stated") {
            guard check == .statisticsPeriodStated else { throw r.error("stated 只用于 check: statistics-period-stated", at: node) }
            kind.stated = try r.strings(node).map { try UserRegex($0, reader: r, node: node) }
        }
        return kind
    }

    static func show(_ d: DateMention) -> String { "\(d.year)年\(d.month)月\(d.day)日" }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        switch check {
        case .valid:
            return document.dates.filter { !$0.isValid }.map {
                Finding(span: $0.span, message: run.message.render(["date": $0.text]))
            }
        case .format:
            // A PDF text layer puts spaces between digits and characters that the page does not show.
            let textLayer = document.tables.contains { $0.layout == .textLayer }
            return document.dates.compactMap { date in
                guard date.style != .standard, date.isValid, !(textLayer && date.style == .spaced) else { return nil }
                if date.style == .iso {
                    let line = document.source.lineSpan(document.source.lineNumber(of: date.span.start))
                    if allowISOBytes.contains(where: { ByteSearch.contains(document.source.bytes, line, $0) }) { return nil }
                }
                return Finding(span: date.span, message: run.message.render(["date": date.text, "expected": Self.show(date)]))
            }
        case .statisticsPeriod:
            guard let p = document.statisticsPeriod, p.start.isValid, p.end.isValid else { return [] }
            let whole = p.start.month == 1 && p.start.day == 1 && p.end.month == 12 && p.end.day == 31 && p.start.year == p.end.year
            guard !whole else { return [] }
            return [Finding(span: p.span, message: run.message.render(["period": document.text(p.span), "date": document.text(p.span)]))]
        case .yearAgreement:
            var findings: [Finding] = []
            let titleYear = document.title.flatMap { _ in document.reportYear }
            if let p = document.statisticsPeriod, p.start.year == p.end.year, let y = titleYear, document.titleSpan != nil, p.start.year != y,
               Self.titleStatesYear(document) {
                findings.append(Finding(span: p.span, message: run.message.render([
                    "date": document.text(p.span), "year": String(y), "expected": String(y), "period": document.text(p.span),
                ]), related: document.titleSpan.map { [RelatedSpan($0, "标题")] } ?? []))
            }
            if let y = document.reportYear, let published = document.publicationDate, published.isValid, published.year != y + 1 {
                findings.append(Finding(span: published.span, message: run.message.render([
                    "date": published.text, "year": String(y), "expected": String(y + 1), "period": "",
                ])))
            }
            return findings
        case .statisticsPeriodStated:
            guard document.statisticsPeriod == nil else { return [] }
            let text = SourceSpan(start: 0, end: document.source.bytes.count)
            for pattern in stated where pattern.mayMatch(document.source, text) {
                do {
                    if try !pattern.matches(in: document.source, span: text, deadline: run.deadline).isEmpty { return [] }
                } catch { throw run.regexBudgetExceeded() }
            }
            let first = document.source.lineCount > 0 ? document.source.lineSpan(1) : .empty(at: 0)
            return [Finding(span: .empty(at: first.start), message: run.message.render(["period": "", "date": ""]))]
        case .publicationDeadline:
            guard let y = document.reportYear, let published = document.publicationDate, published.isValid else { return [] }
            let kind = run.context.kind(of: document)
            guard let (m, d) = deadline[kind] ?? deadline[.department] else { return [] }
            guard (published.year, published.month, published.day) > (y + 1, m, d) else { return [] }
            return [Finding(span: published.span, message: run.message.render([
                "date": published.text, "year": String(y), "deadline": "\(y + 1)年\(m)月\(d)日",
                "kind": kind == .government ? "人民政府" : "部门", "expected": "\(y + 1)年\(m)月\(d)日",
            ]))]
        }
    }

    /// The title itself names a year (the report year did not come from the period).
    static func titleStatesYear(_ document: Document) -> Bool {
        guard let title = document.title else { return false }
        return title.unicodeScalars.contains { ("0"..."9").contains($0) }
    }
}
