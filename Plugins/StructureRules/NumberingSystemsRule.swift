import RuleKit

/// Two numbering systems: top-level ordinals (`一、`) that restart inside the report, or sub-topics
/// of 总体情况 numbered as top-level sections, so that the statutory sections shift.
public struct NumberingSystemsRule: SwiftRule {
    public static let description = RuleDescription(
        id: "structure.numbering-systems", name: "Numbering systems", severity: .warning,
        summary: "一级序号重新开始（正文中又出现一个“一、”标题），或总体情况的两个以上分项（主动公开、依申请公开、政府信息管理、平台建设、监督保障）使用了一级序号，使法定的六个部分的序号后移。",
        rationale: "统一格式的一级序号“一、”至“六、”只用于六个部分；部分之内用“（一）”“1.”等下级序号。两套一级序号混用，读者和检查工具都无法确定各部分的位置（第三方检查工具 KIROGOVCOMPARE 列为缺陷）。",
        triggering: [
            Example(ExampleReport(edits: [("一、总体情况\n", "一、总体情况\n↓一、主动公开情况\n")])),
            Example(ExampleReport(edits: [("五、存在的主要问题及改进情况\n政策解读形式还不够丰富。",
                                           "五、存在的主要问题及改进情况\n↓一、存在的主要问题\n政策解读形式还不够丰富。\n二、改进措施\n加强业务培训。")])),
            Example(ExampleReport(edits: Self.shifted(subTopics: ["二、主动公开情况", "三、依申请公开情况"], marked: true))),
        ],
        passing: [
            Example(ExampleReport()),
            Example(ExampleReport(edits: [("一、总体情况\n", "一、总体情况\n（一）主动公开情况\n")])),
            Example(ExampleReport(edits: [("五、存在的主要问题及改进情况\n政策解读形式还不够丰富。",
                                           "五、存在的主要问题及改进情况\n（一）存在的主要问题\n政策解读形式还不够丰富。\n（二）改进措施\n加强业务培训。")])),
            // One sub-topic with a top-level ordinal is not yet a second numbering system.
            Example(ExampleReport(edits: Self.shifted(subTopics: ["二、主动公开情况"], marked: false))),
            Example(ExampleReport(edits: [("一、总体情况\n", "一、总体情况\n（一）主动公开情况\n主动公开信息120条。\n（二）依申请公开情况\n")])),
        ])

    /// Edits that give section 一 the sub-topics `subTopics` and move the statutory headings on accordingly.
    static func shifted(subTopics: [String], marked: Bool) -> [(String, String)] {
        var edits: [(String, String)] = [("一、总体情况\n", "一、总体情况\n" + subTopics.enumerated().map { i, t in (i == 0 && marked ? "↓" : "") + t + "\n主动公开信息120条。" }.joined(separator: "\n") + "\n")]
        let titles = SectionID.allCases.dropFirst().map(\.title)
        let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        for (i, title) in titles.enumerated().reversed() {
            let title = String(title.prefix(6))
            edits.append((numerals[i + 1] + "、" + title, numerals[i + 1 + subTopics.count] + "、" + title))
        }
        return edits
    }

    public init() {}

    /// The five sub-topics of 总体情况 (国办公开办函〔2021〕30号).
    static let subTopics = ["主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障"]

    /// A line with a top-level ordinal: where it stands, the ordinal's value and the line.
    struct Ordinal {
        var span: SourceSpan
        var value: Int
        var text: String
        var statutory: Bool
        var section: SectionID?
    }

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        var ordinals: [Ordinal] = document.headings.compactMap { h in
            h.writtenOrdinal.flatMap(Self.value).map { Ordinal(span: h.span, value: $0, text: h.writtenOrdinal! + "、" + h.writtenTitle, statutory: true, section: h.section) }
        }
        let source = document.source
        for p in document.paragraphs where p.kind == .paragraph || p.kind == .subheading {
            let first = source.lineNumber(of: p.span.start), last = source.lineNumber(of: max(p.span.start, p.span.end - 1))
            for n in first...last {
                let line = source.lineSpan(n)
                let span = SourceSpan(start: max(line.start, p.span.start), end: min(line.end, p.span.end))
                guard let (value, text, trimmed) = Self.headingOrdinal(source, span) else { continue }
                ordinals.append(Ordinal(span: trimmed, value: value, text: text, statutory: false, section: p.section))
            }
        }
        guard ordinals.contains(where: { !$0.statutory }) else { return [] }
        ordinals.sort { $0.span.start < $1.span.start }
        var findings: [Finding] = []
        // A second 一、: the ordinals restart.
        var firstOne: Ordinal?
        for o in ordinals where o.value == 1 {
            if let one = firstOne, !o.statutory {
                findings.append(Finding(span: o.span, message: "“\(o.text)”又从“一、”开始编号：“一、”已用于“\(one.text)”，正文中有两套一级序号；部分之内应使用“（一）”等下级序号",
                                        related: [RelatedSpan(one.span, "第一个“一、”")]))
            }
            if firstOne == nil { firstOne = o }
        }
        // Sub-topics of 总体情况 numbered as sections (二、主动公开 三、依申请公开 …), unless they restarted at 一、 (reported above).
        let restartedInOverview = findings.contains { f in ordinals.contains { $0.span == f.span && $0.section == .overview } }
        let topics = ordinals.filter { o in
            !o.statutory && o.section == .overview && o.value >= 2 && Self.subTopics.contains { o.text.contains($0) }
        }
        if topics.count >= 2, !restartedInOverview {
            let names = topics.prefix(3).map { "“\($0.text)”" }.joined(separator: "、")
            findings.append(Finding(span: topics[0].span,
                                    message: "总体情况的分项\(names)使用了一级序号，法定六个部分的序号随之后移；分项应使用“（一）”至“（五）”",
                                    related: topics.dropFirst().map { RelatedSpan($0.span, "同样使用一级序号的分项") }))
        }
        return findings.sorted { $0.span.start < $1.span.start }
    }

    static let numerals: [Unicode.Scalar: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10]

    /// The value of an ordinal written in Chinese numerals (一 … 十九), nil for anything else.
    static func value(_ ordinal: String) -> Int? {
        let s = Array(ordinal.unicodeScalars)
        guard !s.isEmpty, s.count <= 2, let first = numerals[s[0]] else { return nil }
        if s.count == 1 { return first }
        guard let second = numerals[s[1]] else { return nil }
        if first == 10 { return second == 10 ? nil : 10 + second }
        return second == 10 ? first * 10 : nil
    }

    /// A line that is a heading with a top-level ordinal (`一、主动公开情况`): its value, its text and
    /// its trimmed span. Not a sentence (nothing after a 。 or ；), not a table row (no count after a space),
    /// at most 30 characters after the ordinal.
    static func headingOrdinal(_ source: SourceText, _ span: SourceSpan) -> (Int, String, SourceSpan)? {
        // Most lines are not such headings: a 、 (E3 80 81) within the first few bytes first, before any scalars are built.
        let bytes = source.bytes
        var k0 = span.start, found = false
        while k0 + 2 < min(span.end, span.start + 24) {
            if bytes[k0] == 0xE3, bytes[k0 + 1] == 0x80, bytes[k0 + 2] == 0x81 { found = true; break }
            k0 += 1
        }
        guard found else { return nil }
        let sc = Scalars(source.bytes, span)
        var i = 0
        while i < sc.count, CharClass.isSpace(sc.scalars[i]) { i += 1 }
        var end = sc.count
        while end > i, CharClass.isSpace(sc.scalars[end - 1]) { end -= 1 }
        let start = i
        while i < end, i - start < 2, numerals[sc.scalars[i]] != nil { i += 1 }
        guard i > start, i < end, sc.scalars[i] == "、", let value = value(String(String.UnicodeScalarView(sc.scalars[start..<i]))) else { return nil }
        var titleEnd = end
        while titleEnd > i + 1, "。：:；".unicodeScalars.contains(sc.scalars[titleEnd - 1]) { titleEnd -= 1 }
        let title = sc.scalars[(i + 1)..<titleEnd]
        guard title.count >= 2, title.count <= 30, !title.contains(where: { "。；！？".unicodeScalars.contains($0) }) else { return nil }
        // `一、本年新收政府信息公开申请数量 3 0 0`: a table row that was not read as one.
        var k = i + 1
        while k < titleEnd {
            if CharClass.isSpace(sc.scalars[k]), k + 1 < titleEnd, CharClass.digit(sc.scalars[k + 1]) != nil { return nil }
            k += 1
        }
        return (value, String(String.UnicodeScalarView(sc.scalars[start..<titleEnd])), sc.span(start, end))
    }
}
