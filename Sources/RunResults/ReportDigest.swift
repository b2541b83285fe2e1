import RuleKit

/// A place in another report of the run, for a finding that involves two reports.
public struct RemoteLocation: Sendable, Hashable, Codable {
    public var path: String
    /// Where in the other report's view text; line and column are filled in from it before reporting,
    /// unless the other report's digest gave them (`isLocated`).
    public var span: SourceSpan
    public var line: Int
    /// In Unicode scalars, and in UTF-16 code units (SARIF's columns).
    public var column: Int
    public var utf16Column: Int
    public var message: String
    /// Line and column are known: the other report need not be read again to locate the place.
    public var isLocated = false

    enum CodingKeys: String, CodingKey { case path, span, line, column, utf16Column, message }

    public init(path: String, span: SourceSpan, message: String, line: Int = 1, column: Int = 1, utf16Column: Int? = nil) {
        self.path = path
        self.span = span
        self.line = line
        self.column = column
        self.utf16Column = utf16Column ?? column
        self.message = message
    }

    /// A place whose line and column the other report's digest gives.
    public init(path: String, span: SourceSpan, message: String, at place: PlaceLocation?) {
        self.init(path: path, span: span, message: message, line: place?.line ?? 1, column: place?.column ?? 1,
                  utf16Column: place?.utf16Column ?? 1)
        isLocated = place != nil
    }
}

/// Line and column (in Unicode scalars and in UTF-16 code units) of a place in a report, worked out
/// when it was read; in 16 bytes (view offsets, like a digest's sentence spans, stay below 4 GiB).
public struct PlaceLocation: Sendable, Hashable, Codable {
    private var at: UInt32
    private var lineNumber: UInt32
    private var columnNumber: UInt32
    private var utf16ColumnNumber: UInt32

    /// Byte offset in the report's view text.
    public var offset: Int { Int(at) }
    public var line: Int { Int(lineNumber) }
    public var column: Int { Int(columnNumber) }
    public var utf16Column: Int { Int(utf16ColumnNumber) }

    public init(offset: Int, line: Int, column: Int, utf16Column: Int) {
        at = UInt32(clamping: offset)
        lineNumber = UInt32(clamping: line)
        columnNumber = UInt32(clamping: column)
        utf16ColumnNumber = UInt32(clamping: utf16Column)
    }

    public init(offset: Int, _ location: SourceLocation) {
        self.init(offset: offset, line: location.line, column: location.column, utf16Column: location.utf16Column)
    }

    enum CodingKeys: String, CodingKey { case offset, line, column, utf16Column }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let column = try c.decode(Int.self, forKey: .column)
        // Digests stored before the UTF-16 column was kept: the same as the scalar column for text without
        // characters outside the Basic Multilingual Plane, which is what nearly every report holds.
        self.init(offset: try c.decode(Int.self, forKey: .offset), line: try c.decode(Int.self, forKey: .line), column: column,
                  utf16Column: try c.decodeIfPresent(Int.self, forKey: .utf16Column) ?? column)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(offset, forKey: .offset)
        try c.encode(line, forKey: .line)
        try c.encode(column, forKey: .column)
        try c.encode(utf16Column, forKey: .utf16Column)
    }
}

/// A count cell as the cross-report identities read it: its value (a zero stand-in counts 0; nil
/// when it is not a number) and where it stands. Kept in 16 bytes, not 32 (a digest holds 20 of them,
/// and an archive 20,000 digests).
public struct CountCell: Sendable, Hashable, Codable {
    private var count: Int64
    private var start: UInt32
    private var end: UInt32

    public var value: Int? { count == .min ? nil : Int(count) }
    public var at: SourceSpan { SourceSpan(start: Int(start), end: Int(end)) }

    public init(value: Int?, at: SourceSpan) {
        count = value.map { Int64($0) }.flatMap { $0 == .min ? nil : $0 } ?? .min  // Int.min: not a count any reader gives
        start = UInt32(clamping: at.start)
        end = UInt32(clamping: at.end)
    }

    enum CodingKeys: String, CodingKey { case value, at }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(value: try c.decodeIfPresent(Int.self, forKey: .value), at: try c.decode(SourceSpan.self, forKey: .at))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encode(at, forKey: .at)
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
    /// Where the places that other reports' findings point at stand (line 1, the 结转下年度 and 现行有效件数
    /// cells, table 三's first cell), so that pointing at them needs no second reading of this report.
    /// Nil in digests stored before they were kept, and when the digest was made without the text's lines.
    public var places: [PlaceLocation]?

    /// The line and column of `offset`, when the digest keeps them (`places` is sorted by offset).
    public func place(at offset: Int) -> PlaceLocation? {
        guard let places else { return nil }
        var low = 0, high = places.count
        while low < high {
            let mid = (low + high) / 2
            if places[mid].offset < offset { low = mid + 1 } else { high = mid }
        }
        return low < places.count && places[low].offset == offset ? places[low] : nil
    }

    /// Locates every sentence's start too: for a digest stored in an archive database, which stands
    /// in for reports that may be gone when it is read.
    public mutating func locateSentences(_ locate: (Int) -> SourceLocation) {
        var located = Dictionary((places ?? []).map { ($0.offset, $0) }, uniquingKeysWith: { a, _ in a })
        for i in sentenceSpans.indices {
            let offset = sentenceSpan(i).start
            if located[offset] == nil {
                located[offset] = PlaceLocation(offset: offset, locate(offset))
            }
        }
        places = located.values.sorted { $0.offset < $1.offset }
    }

    public init(issuer: String?, year: Int?, kind: ReportKind, table2Format: FormatVersion?, carried: [CountCell], forward: [CountCell],
                stock: [String: [CountCell]], tableCounts: UInt64?, tablesNonZero: Bool, tableOrder: UInt64, table3First: SourceSpan?, sentences: [UInt64],
                sentenceSpans: [UInt64], content: UInt64, firstLine: SourceSpan, places: [PlaceLocation]? = nil) {
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
        self.places = places
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
