import RuleKit
import RunResults

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
/// (warning and notice likewise), which show as annotations on the changed files.
public final class GitHubReporter: Reporter {
    let sink: OutputSink

    public init(sink: OutputSink) {
        self.sink = sink
    }

    /// Escaping as GitHub's toolkit does: data escapes %, CR, LF; properties also `:` and `,`.
    static func data(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func property(_ s: String) -> String { data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }

    public func add(_ file: FileResult) {
        let path = Self.property(PathStyle.relative(file.path))
        for tool in file.toolDiagnostics {
            sink.write("::error file=\(path),title=\(Self.property(tool.id.rawValue))::\(Self.data(tool.message))\n")
        }
        guard let positions = file.positions else { return }
        for d in file.diagnostics {
            let start = positions.location(of: d.span.start)
            let end = positions.reported.location(of: positions.reportedSpan(d.span).end)
            let command = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            var props = "file=\(path),line=\(start.line),col=\(start.column)"
            if end.line == start.line { props += ",endLine=\(end.line),endColumn=\(max(end.column, start.column))" }
            sink.write("::\(command) \(props),title=\(Self.property(d.ruleID))::\(Self.data(d.message))\n")
        }
    }

    public func finish(_ summary: RunSummary) { sink.flush() }
}
