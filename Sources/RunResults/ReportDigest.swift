import RuleKit

/// A place in another report of the run, for a finding that involves two reports.
public struct RemoteLocation: Sendable, Hashable, Codable {
    public var path: String
    /// Where in the other report's view text; line and column are filled in from it before reporting.
    public var span: SourceSpan
    public var line: Int
    public var column: Int
    public var message: String

    public init(path: String, span: SourceSpan, message: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.span = span
        self.line = line
        self.column = column
        self.message = message
    }
}

/// A count cell as the cross-report identities read it: its value (a zero stand-in counts 0; nil
/// when it is not a number) and where it stands.
public struct CountCell: Sendable, Hashable, Codable {
    public var value: Int?
    public var at: SourceSpan

    public init(value: Int?, at: SourceSpan) {
        self.value = value
        self.at = at
    }
}

/// What the cross-report rules keep of one report: a few cells and the prose's sentence
/// fingerprints, not the document, so an archive of 20,000 reports stays small in memory.
public struct ReportDigest: Sendable, Codable {
    /// The issuer as the title gives it, normalised (white space and crawler prefixes removed).
    public var issuer: String?
    public var year: Int?
    public var kind: ReportKind
    public var table2Format: FormatVersion?
    /// Table 三 row 二 (上年结转) and row 四 (结转下年度继续办理), seven cells each, empty when absent.
    public var carried: [CountCell]
    public var forward: [CountCell]
    /// Table 二 第二十条第（一）项 in the 2021 format, by row (规章, 行政规范性文件): 制发, 废止, 现行有效.
    public var stock: [String: [CountCell]]
    /// A fingerprint of every count cell of tables 三 and 四 in order (nil when one is not a number or
    /// a table is missing), whether any is non-zero, and the fingerprint of table 三's row order.
    public var tableCounts: UInt64?
    public var tablesNonZero: Bool
    public var tableOrder: UInt64
    public var table3First: SourceSpan?
    /// The counted sentences of the prose in order: fingerprints (FNV-1a of the normalised text)
    /// and where each starts.
    public var sentences: [UInt64]
    /// Each sentence's span, packed (start << 32 | end): half the memory of a `SourceSpan`.
    public var sentenceSpans: [UInt64]
    /// Fingerprint of the whole decoded text.
    public var content: UInt64
    public var firstLine: SourceSpan

    public init(issuer: String?, year: Int?, kind: ReportKind, table2Format: FormatVersion?, carried: [CountCell], forward: [CountCell],
                stock: [String: [CountCell]], tableCounts: UInt64?, tablesNonZero: Bool, tableOrder: UInt64, table3First: SourceSpan?, sentences: [UInt64],
                sentenceSpans: [UInt64], content: UInt64, firstLine: SourceSpan) {
        self.issuer = issuer
        self.year = year
        self.kind = kind
        self.table2Format = table2Format
        self.carried = carried
        self.forward = forward
        self.stock = stock
        self.tableCounts = tableCounts
        self.tablesNonZero = tablesNonZero
        self.tableOrder = tableOrder
        self.table3First = table3First
        self.sentences = sentences
        self.sentenceSpans = sentenceSpans
        self.content = content
        self.firstLine = firstLine
    }
}

extension ReportDigest {
    public func sentenceSpan(_ i: Int) -> SourceSpan {
        SourceSpan(start: Int(sentenceSpans[i] >> 32), end: Int(sentenceSpans[i] & 0xFFFF_FFFF))
    }
}

/// What the archive database records of a report besides its findings (`--format sqlite=FILE`).
public struct ReportFacts: Sendable {
    public var issuer: String?
    public var year: Int?
    public var kind: String
    /// The format version of each table, by table (`二`, `三`, `四`).
    public var formats: [String: String]
    public var publicationDate: String?
    public var cells: [FactCell]

    public init(issuer: String?, year: Int?, kind: String, formats: [String: String], publicationDate: String?, cells: [FactCell]) {
        self.issuer = issuer
        self.year = year
        self.kind = kind
        self.formats = formats
        self.publicationDate = publicationDate
        self.cells = cells
    }
}

/// One table cell as read: its table, row, column, value (nil for a text) and text as written.
public struct FactCell: Sendable {
    public var table: String
    public var row: String
    public var column: String
    public var value: Double?
    public var raw: String

    public init(table: String, row: String, column: String, value: Double?, raw: String) {
        self.table = table
        self.row = row
        self.column = column
        self.value = value
        self.raw = raw
    }
}
