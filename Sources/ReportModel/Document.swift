/// The six sections of the official format, in their required order (DOMAIN.md §2.1).
public enum SectionID: Int, Sendable, Codable, CaseIterable, Comparable {
    case overview = 1, proactive, applications, reviews, problems, other

    public static func < (lhs: SectionID, rhs: SectionID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The Chinese ordinal written before the heading (`一` … `六`).
    public var ordinal: String { ["一", "二", "三", "四", "五", "六"][rawValue - 1] }

    /// The official heading text without its ordinal.
    public var title: String {
        switch self {
        case .overview: "总体情况"
        case .proactive: "主动公开政府信息情况"
        case .applications: "收到和处理政府信息公开申请情况"
        case .reviews: "政府信息公开行政复议、行政诉讼情况"
        case .problems: "存在的主要问题及改进情况"
        case .other: "其他需要报告的事项"
        }
    }

    public var officialHeading: String { ordinal + "、" + title }
}

/// Which of the two official formats a table follows (RULES.md "format version").
public enum FormatVersion: String, Sendable, Codable, CaseIterable {
    /// 试行 format, 国办公开办函〔2019〕60号, report years 2019–2020.
    case v2019 = "2019"
    /// 国办公开办函〔2021〕30号, report years 2021 and later.
    case v2021 = "2021"

    /// The version a report on `year` must use.
    public static func required(forReportYear year: Int) -> FormatVersion { year >= 2021 ? .v2021 : .v2019 }
}

/// `government` for a whole people's government report, `department` for every other body.
public enum ReportKind: String, Sendable, Codable {
    case government, department
}

/// A section heading found in the text.
public struct SectionHeading: Sendable, Codable, Hashable {
    public var section: SectionID
    public var span: SourceSpan
    /// The ordinal as written (`二`), or nil when the heading has none.
    public var writtenOrdinal: String?
    /// The heading text as written, without the ordinal.
    public var writtenTitle: String
    /// True when the wording is a known variant rather than the official title.
    public var isVariant: Bool
    /// 1-based line.
    public var line: Int

    public init(section: SectionID, span: SourceSpan, writtenOrdinal: String?, writtenTitle: String, isVariant: Bool, line: Int) {
        self.section = section
        self.span = span
        self.writtenOrdinal = writtenOrdinal
        self.writtenTitle = writtenTitle
        self.isVariant = isVariant
        self.line = line
    }
}

/// What a block of prose is.
public enum BlockKind: String, Sendable, Codable {
    case title, paragraph, subheading, signature
}

/// A line of prose (a paragraph or a sub-heading such as `（一）主动公开情况` or `1.加强培训`).
public struct Paragraph: Sendable, Codable, Hashable {
    public var kind: BlockKind
    public var span: SourceSpan
    public var line: Int
    /// The section the block stands in, nil before the first heading.
    public var section: SectionID?

    public init(kind: BlockKind, span: SourceSpan, line: Int, section: SectionID?) {
        self.kind = kind
        self.span = span
        self.line = line
        self.section = section
    }
}

/// A calendar date written in the text.
public struct DateMention: Sendable, Codable, Hashable {
    public enum Style: String, Sendable, Codable {
        /// `2020年1月20日`
        case standard
        /// `2020 年1月20日`: spaces inside
        case spaced
        /// `二〇二〇年一月二十日`
        case chineseNumerals
        /// `2020.1.20`, `2020/1/20`
        case dotted
        /// `2020-01-20`
        case iso
    }
    public var year: Int
    public var month: Int
    public var day: Int
    public var span: SourceSpan
    public var style: Style
    public var text: String

    public init(year: Int, month: Int, day: Int, span: SourceSpan, style: Style, text: String) {
        self.year = year
        self.month = month
        self.day = day
        self.span = span
        self.style = style
        self.text = text
    }

    /// Whether the date exists in the Gregorian calendar.
    public var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}

/// The statistics period sentence (`统计期限为2019年1月1日至2019年12月31日`).
public struct StatisticsPeriod: Sendable, Codable, Hashable {
    public var start: DateMention
    public var end: DateMention
    public var span: SourceSpan

    public init(start: DateMention, end: DateMention, span: SourceSpan) {
        self.start = start
        self.end = end
        self.span = span
    }
}

/// A labelled contact value (`联系电话：0731-5676811`).
public struct ContactField: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case phone, fax, postcode, email, url, address
    }
    public var kind: Kind
    /// The label as written (`联系电话`), empty for unlabelled web addresses.
    public var label: String
    public var value: String
    public var span: SourceSpan

    public init(kind: Kind, label: String, value: String, span: SourceSpan) {
        self.kind = kind
        self.label = label
        self.value = value
        self.span = span
    }
}

/// A table that was expected but could not be read, with the reason.
public struct TableProblem: Error, Sendable, Codable, Hashable {
    public var table: TableID
    public var reason: String
    /// Where the table starts, when something of it was found.
    public var span: SourceSpan?

    public init(table: TableID, reason: String, span: SourceSpan?) {
        self.table = table
        self.reason = reason
        self.span = span
    }
}

/// Everything the scanner saw in one report. Immutable once built; rules only read it.
public struct Document: Sendable {
    public let source: SourceText
    public var title: String?
    public var titleSpan: SourceSpan?
    public var reportYear: Int?
    public var issuer: String?
    public var kind: ReportKind
    public var publicationDate: DateMention?
    public var statisticsPeriod: StatisticsPeriod?
    public var headings: [SectionHeading]
    public var paragraphs: [Paragraph]
    public var tables: [Table]
    public var tableProblems: [TableProblem]
    public var dates: [DateMention]
    public var contacts: [ContactField]

    public init(source: SourceText) {
        self.source = source
        kind = .department
        headings = []
        paragraphs = []
        tables = []
        tableProblems = []
        dates = []
        contacts = []
    }

    public func table(_ id: TableID) -> Table? { tables.first { $0.id == id } }

    public func heading(_ section: SectionID) -> SectionHeading? { headings.first { $0.section == section } }

    public func text(_ span: SourceSpan) -> String { source.text(span) }
}
