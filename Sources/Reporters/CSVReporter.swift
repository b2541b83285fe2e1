import RuleKit
import RunResults

/// One row per finding for a spreadsheet (`--format csv=FILE`): UTF-8 with a byte-order mark, so
/// that Excel and WPS read the Chinese text as UTF-8; RFC 4180 fields and CRLF line ends. Columns:
/// path, issuer, year, kind, rule, severity, line, column, message. A file that could not be read
/// gives a row with its problem's id as the rule and `problem` as the severity.
///
/// A field that a spreadsheet would take for a formula (starting with = + - @, a tab or a CR) gets a
/// leading apostrophe: report text and file names come from outside, and a cell such as
/// `=HYPERLINK(…)` must stay text (OWASP's advice on CSV injection). Controls, escapes and bidi
/// overrides in any field are shown as text (`\\e`, `<U+202E>`), newlines included, so one finding is one line.
public final class CSVReporter: Reporter {
    let sink: OutputSink
    /// The profile of each report, by path, for its follow-up rows (findings across reports).
    private var profiles: [String: ReportProfile] = [:]

    public static let header = ["path", "issuer", "year", "kind", "rule", "severity", "line", "column", "message"]

    public init(sink: OutputSink) {
        self.sink = sink
        sink.write(bytes: [0xEF, 0xBB, 0xBF])
        sink.write(Self.row(Self.header))
    }

    /// One record: fields joined by commas, quoted where RFC 4180 needs it, ended by CRLF.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ raw: String) -> String {
        // Controls, escapes and bidi overrides shown as text (VisibleText), as in every output.
        var s = VisibleText.escaped(raw)
        if let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { s = "'" + s }
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out = "\""
        for c in s.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }

    public func add(_ file: FileResult) {
        let path = PathStyle.relative(file.path)
        if let profile = file.profile { profiles[file.path] = profile }
        let profile = file.profile ?? profiles[file.path]
        let who = [profile?.issuer ?? "", profile?.year.map(String.init) ?? "", profile?.kind ?? ""]
        var out = ""
        for problem in file.toolDiagnostics {
            out += Self.row([path] + who + [problem.id.rawValue, "problem", "", "", problem.message])
        }
        if let positions = file.positions {
            for d in file.diagnostics {
                let at = positions.location(of: d.span.start)
                out += Self.row([path] + who + [d.ruleID, d.severity.rawValue, String(at.line), String(at.column), d.message])
            }
        }
        if !out.isEmpty { sink.write(out) }
    }

    public func finish(_ summary: RunSummary) {
        sink.flush()
    }
}
