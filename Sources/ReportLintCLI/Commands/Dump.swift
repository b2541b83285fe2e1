import ArgumentParser
import Foundation
import LintEngine
import Reporters
import RuleKit

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print what the scanner saw in a report: sections, tables as grids, year, format, kind, dates, contacts.")

    enum Format: String, ExpressibleByArgument { case text, json }

    @Argument(help: "A report file.")
    var file: String

    @Option(help: "text or json.")
    var format: Format = .text

    func run() throws {
        // The same reading as `lint` (the engine's): text, HTML, .docx and PDF all become the scanner's view.
        let report: Linter.ScannedReport
        switch Linter(rules: RuleSet(entries: [])).scan(path: file, explicit: true) {
        case .failed(let result):
            for problem in result.toolDiagnostics {
                FileHandle.standardError.write(Data("\(VisibleText.linePath(file)): error: \(VisibleText.escaped(problem.message)) [\(problem.id.rawValue)]\n".utf8))
            }
            throw ExitCode(1)
        case .report(let scanned): report = scanned
        }
        do {
            let input = report.input
            var dump = DocumentDump(path: file, encoding: input.encoding ?? .utf8, document: report.document)
            if input.encoding == nil {
                dump.encoding = switch report.format {
                case .docx: "docx（Word XML）"
                case .pdf: "pdf（pdftotext 文字层，UTF-8）"
                case .html, .text, .markdown: "（按声明的字符集转换）"
                }
            }
            if let map = input.map { Self.remap(&dump, through: Positions(view: input.view, map: map)) }
            switch format {
            case .text: print(dump.text, terminator: "")
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(dump), as: UTF8.self))
            }
        }
    }

    /// Moves the dump's lines and columns from the scanner's view to the original file (the HTML
    /// page, or the synthetic paragraph-per-line text of a .docx), as `lint` reports them.
    static func remap(_ dump: inout DocumentDump, through positions: Positions) {
        let view = positions.view
        /// The view offset of a 1-based line and scalar column (the first non-blank byte for column nil).
        func offset(_ line: Int, _ column: Int?) -> Int {
            guard line >= 1, line <= view.lineCount else { return view.bytes.count }
            let span = view.lineSpan(line)
            var i = span.start
            if let column {
                var scalars = 1
                while i < span.end, scalars < column {
                    i += 1
                    while i < span.end, view.bytes[i] & 0xC0 == 0x80 { i += 1 }
                    scalars += 1
                }
            } else {
                while i < span.end, view.bytes[i] == 0x09 || view.bytes[i] == 0x20 { i += 1 }
            }
            return i
        }
        func line(_ l: Int) -> Int { positions.location(of: offset(l, nil)).line }
        func place(_ l: Int, _ c: Int) -> (Int, Int) {
            let at = positions.location(of: offset(l, c))
            return (at.line, at.column)
        }
        dump.headings = dump.headings.map { var h = $0; h.line = line(h.line); return h }
        dump.blocks = dump.blocks.map { var b = $0; b.line = line(b.line); return b }
        dump.tables = dump.tables.map { table in
            var t = table
            (t.firstCell.line, t.firstCell.column) = place(t.firstCell.line, t.firstCell.column)
            t.rows = t.rows.map { row in
                var r = row
                r.line = r.line.map(line)
                r.cells = r.cells.map { var c = $0; (c.line, c.col) = place(c.line, c.col); return c }
                return r
            }
            return t
        }
        dump.tableProblems = dump.tableProblems.map { var p = $0; p.line = p.line.map(line); return p }
        func date(_ d: DocumentDump.DateFact) -> DocumentDump.DateFact { var d = d; d.line = line(d.line); return d }
        dump.publicationDate = dump.publicationDate.map(date)
        dump.statisticsPeriod = dump.statisticsPeriod.map { $0.map(date) }
        dump.dates = dump.dates.map(date)
        dump.contacts = dump.contacts.map { var c = $0; c.line = line(c.line); return c }
    }
}
