import Reporters
import ReportScanner
import RuleKit

/// What the scanner saw, in a form for people (`dump`) and tools (`dump --format json`).
public struct DocumentDump: Encodable, Sendable {
    public struct Place: Encodable, Sendable {
        public var line: Int
        public var column: Int
    }
    public struct Heading: Encodable, Sendable {
        public var section: String
        public var line: Int
        public var ordinal: String?
        public var text: String
        public var variant: Bool
    }
    public struct Block: Encodable, Sendable {
        public var kind: String
        public var line: Int
        public var section: String?
    }
    public struct DumpCell: Encodable, Sendable {
        public var column: String
        public var kind: String
        public var value: Double?
        public var raw: String
        public var line: Int
        public var col: Int
    }
    public struct DumpRow: Encodable, Sendable {
        public var key: String?
        public var label: String
        public var line: Int?
        public var cells: [DumpCell]
    }
    public struct DumpTable: Encodable, Sendable {
        public var table: String
        public var format: String?
        public var layout: String
        public var firstCell: Place
        public var rows: [DumpRow]
    }
    public struct Problem: Encodable, Sendable {
        public var table: String
        public var reason: String
        public var line: Int?
    }
    public struct DateFact: Encodable, Sendable {
        public var text: String
        public var iso: String
        public var style: String
        public var valid: Bool
        public var line: Int
    }
    public struct Contact: Encodable, Sendable {
        public var kind: String
        public var label: String
        public var value: String
        public var line: Int
    }

    public var path: String
    public var encoding: String
    public var title: String?
    public var reportYear: Int?
    public var issuer: String?
    public var kind: String
    public var publicationDate: DateFact?
    public var statisticsPeriod: [DateFact]?
    public var headings: [Heading]
    public var blocks: [Block]
    public var tables: [DumpTable]
    public var tableProblems: [Problem]
    public var dates: [DateFact]
    public var contacts: [Contact]

    public init(path: String, encoding: TextEncoding, document doc: Document) {
        let source = doc.source
        func line(_ span: SourceSpan) -> Int { source.lineNumber(of: span.start) }
        func date(_ d: DateMention) -> DateFact {
            let iso = String(format4: d.year) + "-" + String(pad2: d.month) + "-" + String(pad2: d.day)
            return DateFact(text: d.text, iso: iso, style: d.style.rawValue, valid: d.isValid, line: line(d.span))
        }
        self.path = path
        self.encoding = encoding.rawValue
        title = doc.title
        reportYear = doc.reportYear
        issuer = doc.issuer
        kind = doc.kind.rawValue
        publicationDate = doc.publicationDate.map(date)
        statisticsPeriod = doc.statisticsPeriod.map { [date($0.start), date($0.end)] }
        headings = doc.headings.map { Heading(section: $0.section.ordinal, line: $0.line, ordinal: $0.writtenOrdinal, text: $0.writtenTitle, variant: $0.isVariant) }
        blocks = doc.paragraphs.map { Block(kind: $0.kind.rawValue, line: $0.line, section: $0.section?.ordinal) }
        tables = doc.tables.map { table in
            let first = source.location(of: table.firstCellSpan.start)
            return DumpTable(table: table.id.rawValue, format: table.format?.rawValue, layout: table.layout.rawValue,
                             firstCell: Place(line: first.line, column: first.column),
                             rows: table.rows.map { row in
                                 DumpRow(key: row.key, label: row.label, line: row.labelSpan.map(line), cells: row.cells.map { cell in
                                     let at = source.location(of: cell.span.start)
                                     let (kind, value): (String, Double?) = switch cell.value {
                                     case .number(let v): ("number", v)
                                     case .blank: ("blank", nil)
                                     case .placeholder: ("placeholder", nil)
                                     case .text: ("text", nil)
                                     }
                                     return DumpCell(column: cell.column, kind: kind, value: value, raw: cell.raw, line: at.line, col: at.column)
                                 })
                             })
        }
        tableProblems = doc.tableProblems.map { Problem(table: $0.table.rawValue, reason: $0.reason, line: $0.span.map(line)) }
        dates = doc.dates.map(date)
        contacts = doc.contacts.map { Contact(kind: $0.kind.rawValue, label: $0.label, value: $0.value, line: line($0.span)) }
    }

    /// The human-readable form.
    public var text: String {
        var out: [String] = []
        out.append("文件：\(path)（编码 \(encoding)）")
        out.append("标题：\(title ?? "（未识别）")")
        let year: String = reportYear.map { String($0) } ?? "（未识别）"
        out.append("报告年度：\(year)  发布机关：\(issuer ?? "（未识别）")  类型：\(kind)")
        let published: String = publicationDate.map { "\($0.text)（第 \($0.line) 行）" } ?? "（未识别）"
        out.append("发布日期：\(published)")
        let period: String = statisticsPeriod.map { "\($0[0].iso) 至 \($0[1].iso)（第 \($0[0].line) 行）" } ?? "（未识别）"
        out.append("统计期限：\(period)")
        out.append("")
        out.append("部分标题：")
        for h in headings {
            out.append("  第 \(h.line) 行  \(h.section)  序号 \(h.ordinal ?? "（无）")  “\(h.text)”\(h.variant ? "（变体）" : "")")
        }
        let counts = Dictionary(grouping: blocks, by: \.kind).mapValues(\.count)
        out.append("正文块：" + counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: "，"))
        for t in tables {
            out.append("")
            out.append("表\(t.table)：格式 \(t.format ?? "两版相同")，布局 \(t.layout)，首个单元格第 \(t.firstCell.line) 行")
            var columns: [String] = []
            for row in t.rows { for c in row.cells where !columns.contains(c.column) { columns.append(c.column) } }
            for row in t.rows {
                let values = row.cells.map { c -> String in
                    switch c.kind {
                    case "number": return c.raw
                    case "blank": return "（空）"
                    default: return "“\(c.raw)”"
                    }
                }
                let lineText = row.line.map { "第\($0)行 " } ?? (row.cells.first.map { "第\($0.line)行 " } ?? "")
                out.append("  \(lineText)\(row.key ?? "？未知行：\(row.label)")  " + zip(row.cells.map(\.column), values).map { "\($0)=\($1)" }.joined(separator: " "))
            }
        }
        for p in tableProblems {
            out.append("")
            out.append("表\(p.table)无法识别：\(p.reason)\(p.line.map { "（第 \($0) 行）" } ?? "")")
        }
        out.append("")
        out.append("日期：")
        for d in dates { out.append("  第 \(d.line) 行  \(d.text) → \(d.iso)  \(d.style)\(d.valid ? "" : "  不存在的日期")") }
        out.append("联系方式：")
        for c in contacts { out.append("  第 \(c.line) 行  \(c.kind)  \(c.label.isEmpty ? "" : c.label + "：")\(c.value)") }
        // Titles, cells, contacts and the path are the report's: shown so that no escape, control
        // or bidi override in them reaches the terminal, and no line reads as a workflow command.
        return out.map { VisibleText.lineStart(VisibleText.escaped($0)) }.joined(separator: "\n") + "\n"
    }
}

extension String {
    init(pad2 value: Int) { self = value < 10 ? "0\(value)" : String(value) }
    init(format4 value: Int) { let digits = String(value); self = String(repeating: "0", count: Swift.max(0, 4 - digits.count)) + digits }
}
