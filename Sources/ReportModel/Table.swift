#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The three statistical tables of the official format.
public enum TableID: String, Sendable, Codable, CaseIterable {
    /// 主动公开政府信息情况
    case two = "二"
    /// 收到和处理政府信息公开申请情况
    case three = "三"
    /// 政府信息公开行政复议、行政诉讼情况
    case four = "四"

    public var section: SectionID {
        switch self {
        case .two: .proactive
        case .three: .applications
        case .four: .reviews
        }
    }

    public var displayName: String { "表" + rawValue }
}

/// What a table cell holds, as parsed.
public enum CellValue: Sendable, Hashable, Codable {
    /// A number as written: counts are non-negative integers, money may be fractional,
    /// 2019 `本年增/减` may be negative.
    case number(Double)
    /// Nothing but white space (`&nbsp;` included).
    case blank
    /// A stand-in for zero: `-` `—` `/` `／` `无`.
    case placeholder(String)
    /// Anything else (`若干`, `2400万`).
    case text(String)

    /// The value in count arithmetic: blanks and placeholders count as 0; nil for text and for
    /// negative or fractional numbers, which make an identity unevaluable.
    @inlinable
    public var count: Int? {
        switch self {
        // In range first, then whole: `rounded()` is a libm call the rules made for every cell.
        case .number(let v): v >= 0 && v < 1e15 && Double(Int(v)) == v ? Int(v) : nil
        case .blank, .placeholder: 0
        case .text: nil
        }
    }

    public var isZeroStandIn: Bool {
        switch self {
        case .blank, .placeholder: true
        default: false
        }
    }
}

public struct Cell: Sendable, Hashable, Codable {
    /// Column name from the template (`自然人`, `总计`, `本年制发件数`).
    public var column: String
    public var value: CellValue
    /// The cell text as written, trimmed.
    public var raw: String
    public var span: SourceSpan

    public init(column: String, value: CellValue, raw: String, span: SourceSpan) {
        self.column = column
        self.value = value
        self.raw = raw
        self.span = span
    }
}

public struct TableRow: Sendable, Hashable, Codable {
    /// The template row this row was matched to, nil for a label that matches none.
    public var key: String?
    /// The label as written (wrapped parts joined, white space removed).
    public var label: String
    public var labelSpan: SourceSpan?
    public var cells: [Cell]

    public init(key: String?, label: String, labelSpan: SourceSpan?, cells: [Cell]) {
        self.key = key
        self.label = label
        self.labelSpan = labelSpan
        self.cells = cells
    }

    public func cell(_ column: String) -> Cell? { cells.first { sameBytes($0.column, column) } }

    /// The count a cell stands for: its own, or for a blank 总计 cell the sum of the row's other
    /// counts, which is what the row implies (RULES.md, table.text-mismatch). nil when the cell is
    /// missing or a cell it needs is not a count.
    public func impliedCount(_ column: String) -> Int? {
        guard let cell = cell(column) else { return nil }
        guard case .blank = cell.value, sameBytes(column, "总计") else { return cell.value.count }
        var sum = 0
        for other in cells where !sameBytes(other.column, "总计") {
            guard let v = other.value.count else { return nil }
            sum += v
        }
        return sum
    }

    /// Whether this row is the template row `key` (compared byte for byte: keys are template literals).
    public func hasKey(_ key: String) -> Bool { self.key.map { sameBytes($0, key) } ?? false }

    /// Whether this row is one of the template rows `keys`.
    public func hasKey(in keys: [String]) -> Bool { self.key.map { k in keys.contains { sameBytes(k, $0) } } ?? false }
}

/// Exact byte equality: keys and column names come from the templates' literals, so canonical
/// (Unicode-normalizing) String comparison, slow for Chinese text, is not needed.
@inline(__always)
func sameBytes(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) } }
}

/// How the table was laid out in the source.
public enum TableLayout: String, Sendable, Codable {
    /// One cell per TAB-led line, rows separated by blank lines (the template layout).
    case cellPerLine
    /// A PDF text layer: a row label and its numbers on one line, labels wrapping freely.
    case textLayer
    /// Parsed from markup (HTML, Word) cells.
    case markup
}

/// A table mapped onto its official template.
public struct Table: Sendable, Hashable, Codable {
    public var id: TableID
    /// The format version its labels show; nil for table 四, which is the same in both.
    public var format: FormatVersion?
    public var layout: TableLayout
    /// The table's first cell (table 二: `第二十条第（一）项`; table 三: the official note).
    public var firstCellSpan: SourceSpan
    public var rows: [TableRow] { didSet { keyIndex = RowKeyIndex(rows) } }
    /// Rows by key: rules look cells up by row name many times per report.
    private var keyIndex: RowKeyIndex

    private enum CodingKeys: String, CodingKey { case id, format, layout, firstCellSpan, rows }

    public init(id: TableID, format: FormatVersion?, layout: TableLayout, firstCellSpan: SourceSpan, rows: [TableRow]) {
        self.id = id
        self.format = format
        self.layout = layout
        self.firstCellSpan = firstCellSpan
        self.rows = rows
        keyIndex = RowKeyIndex(rows)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(TableID.self, forKey: .id), format: try c.decodeIfPresent(FormatVersion.self, forKey: .format),
                  layout: try c.decode(TableLayout.self, forKey: .layout), firstCellSpan: try c.decode(SourceSpan.self, forKey: .firstCellSpan),
                  rows: try c.decode([TableRow].self, forKey: .rows))
    }

    /// Index of the first row with this key.
    public func rowIndex(_ key: String) -> Int? { keyIndex.find(key, in: rows) }

    public func row(_ key: String) -> TableRow? { rowIndex(key).map { rows[$0] } }

    public func cell(row key: String, column: String) -> Cell? {
        // By index: copying a TableRow (and retaining its arrays) cost more than the lookup.
        guard let i = rowIndex(key) else { return nil }
        guard let c = rows[i].cells.firstIndex(where: { sameBytes($0.column, column) }) else { return nil }
        return rows[i].cells[c]
    }
}

/// A small open-addressing hash of row keys (FNV-1a over their UTF-8 bytes). Hashing a Chinese
/// `String` the standard way normalizes it first, which cost more than the rules' arithmetic.
struct RowKeyIndex: Sendable, Hashable {
    private var slots: [Int32]
    private var mask: Int

    init(_ rows: [TableRow]) {
        var size = 16
        while size < rows.count * 2 { size <<= 1 }
        mask = size - 1
        slots = [Int32](repeating: -1, count: size)
        for (i, row) in rows.enumerated() {
            guard let key = row.key else { continue }
            var h = Self.hash(key) & mask
            while true {
                let j = Int(slots[h])
                if j < 0 { slots[h] = Int32(i); break }
                if sameBytes(rows[j].key!, key) { break }  // keep the first row with this key
                h = (h + 1) & mask
            }
        }
    }

    func find(_ key: String, in rows: [TableRow]) -> Int? {
        var h = Self.hash(key) & mask
        while true {
            let j = Int(slots[h])
            if j < 0 { return nil }
            if sameBytes(rows[j].key!, key) { return j }
            h = (h + 1) & mask
        }
    }

    @inline(__always)
    static func hash(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { EndBytesHash.hash($0) }
    }
}
