import Foundation
import RuleKit
import RunResults

/// The JSON output, schema version 1 (documented in docs/json-output.md). Files are written as
/// they complete, so the output streams and memory stays flat.
///
/// ```json
/// {"schema": "reportlint-json", "version": 1, "tool": {"name": "reportlint", "version": "0.1.0"},
///  "files": [{"path": "a.txt", "format": "text", "encoding": "utf-8", "linted": true,
///             "findings": [{"ruleId": "table.balance", "severity": "error", "message": "…", "line": 85, "column": 2,
///                           "endLine": 85, "endColumn": 5, "utf16Column": 2, "related": [{"line": 91, "column": 2, "message": "…"}]}],
///             "problems": [{"id": "io.decode", "message": "…"}]}],
///  "summary": {"files": 1, "errors": 1, "warnings": 0, "notes": 0, "unreadable": 0, "skipped": 0, "baselined": 0}}
/// ```
public final class JSONReporter: Reporter {
    let sink: OutputSink
    var first = true

    public init(sink: OutputSink) {
        self.sink = sink
        sink.write("{\"schema\":\"reportlint-json\",\"version\":1,\"tool\":{\"name\":\"\(ToolInfo.name)\",\"version\":\"\(ToolInfo.version)\"},\"files\":[")
    }

    /// `path` only for a place in another report (a finding across reports).
    struct Related: Encodable { var path: String? = nil; var line: Int; var column: Int; var message: String }
    struct FindingOut: Encodable {
        var ruleId: String
        var severity: String
        var message: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var utf16Column: Int
        var related: [Related]
    }
    struct Problem: Encodable { var id: String; var message: String }
    struct FileOut: Encodable {
        var path: String
        var format: String?
        var encoding: String?
        var linted: Bool
        /// What the scanner recognised (nil, and left out, when the report was not read or it did not).
        var issuer: String?
        var reportYear: Int?
        var kind: String?
        /// Format version (`2019`, `2021`) of each table that has one, by table (`二`, `三`, `四`).
        var tableFormats: [String: String]?
        /// Findings across reports of a file listed earlier in the output (nil otherwise, and left out).
        var followUp: Bool?
        var findings: [FindingOut]
        var problems: [Problem]
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    public func add(_ file: FileResult) {
        var findings: [FindingOut] = []
        if let positions = file.positions {
            for d in file.diagnostics {
                let start = positions.location(of: d.span.start)
                // Through Positions: its column checkpoints keep many findings on one huge line linear.
                let end = positions.location(reported: positions.reportedSpan(d.span).end)
                findings.append(FindingOut(ruleId: d.ruleID, severity: d.severity.rawValue, message: d.message, line: start.line, column: start.column,
                                           endLine: end.line, endColumn: end.column, utf16Column: start.utf16Column,
                                           related: d.related.map { r in
                                               let at = positions.location(of: r.span.start)
                                               return Related(line: at.line, column: at.column, message: r.message)
                                           } + d.elsewhere.map { r in
                                               Related(path: PathStyle.relative(r.path), line: r.line, column: r.column, message: r.message)
                                           }))
            }
        }
        let out = FileOut(path: PathStyle.relative(file.path), format: file.format?.rawValue, encoding: file.encoding?.rawValue, linted: file.wasLinted,
                          issuer: file.profile?.issuer, reportYear: file.profile?.year, kind: file.profile?.kind,
                          tableFormats: file.profile.map(\.tableFormats), followUp: file.isFollowUp ? true : nil,
                          findings: findings, problems: file.toolDiagnostics.map { Problem(id: $0.id.rawValue, message: $0.message) })
        guard let data = try? Self.encoder.encode(out) else { return }
        sink.write(first ? "\n" : ",\n")
        first = false
        // DEL, C1 and bidi controls and `##[` as \u escapes (JSONWriter.hardened): the same JSON,
        // harmless when the output is shown on a terminal or in a CI log.
        sink.write(bytes: JSONWriter.hardened(Array(data)))
    }

    public func finish(_ summary: RunSummary) {
        struct Summary: Encodable {
            var files: Int, errors: Int, warnings: Int, notes: Int, unreadable: Int, skipped: Int, baselined: Int
            var byFormat: [String: Int], byEncoding: [String: Int]
            var clean: Int, withErrors: Int, skippedLinks: Int, byRule: [String: Int], baselineUnmatched: Int
        }
        let s = Summary(files: summary.filesLinted, errors: summary.counts[.error] ?? 0, warnings: summary.counts[.warning] ?? 0,
                        notes: summary.counts[.note] ?? 0, unreadable: summary.filesFailed, skipped: summary.skipped, baselined: summary.baselined,
                        byFormat: summary.byFormat, byEncoding: summary.byEncoding,
                        clean: summary.cleanFiles, withErrors: summary.filesWithErrors, skippedLinks: summary.skippedLinks, byRule: summary.byRule,
                        baselineUnmatched: summary.baselineUnmatched)
        sink.write("\n],\"summary\":")
        if let data = try? Self.encoder.encode(s) { sink.write(bytes: JSONWriter.hardened(Array(data))) }
        sink.write("}\n")
        sink.flush()
    }
}
