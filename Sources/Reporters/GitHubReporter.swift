import RuleKit
import RunResults

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
/// (warning and notice likewise), which show as annotations on the changed files.
///
/// Each finding is exactly one line that starts with the command: CR and LF are escaped (`%0D`,
/// `%0A`), so a message or file name cannot end the line and start a forged one (`::add-mask::`,
/// `::stop-commands::`). Properties (the file, the title) also escape `:` and `,`, so the command's
/// `::` separator is always the first one. Both are VisibleText-escaped first, line feeds aside
/// (other controls and bidi overrides shown as text, `##[` broken), so a name with a newline still
/// names its file (GitHub unescapes `%0A`); one with an escape sequence shows it as text.
public final class GitHubReporter: Reporter {
    let sink: OutputSink

    public init(sink: OutputSink) {
        self.sink = sink
    }

    /// Escaping as GitHub's toolkit does, in one pass: data escapes %, CR, LF; properties also `:`
    /// and `,`. `##[` gets a ZERO WIDTH SPACE, so no part of the line reads as the old syntax.
    static func escape(_ s: String, property: Bool) -> String {
        var s = s
        return s.withUTF8 { utf8 -> String in
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count + 16)
            var hashes = 0
            func percent(_ high: Character, _ low: Character) {
                out.append(UInt8(ascii: "%"))
                out.append(high.asciiValue!)
                out.append(low.asciiValue!)
            }
            for b in utf8 {
                if b == UInt8(ascii: "["), hashes >= 2 {
                    // U+200B
                    out.append(0xE2)
                    out.append(0x80)
                    out.append(0x8B)
                }
                hashes = b == UInt8(ascii: "#") ? hashes + 1 : 0
                switch b {
                case UInt8(ascii: "%"): percent("2", "5")
                case 0x0D: percent("0", "D")
                case 0x0A: percent("0", "A")
                case UInt8(ascii: ":") where property: percent("3", "A")
                case UInt8(ascii: ",") where property: percent("2", "C")
                default: out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A message: controls other than line feeds made visible, then data escaping (a line feed
    /// becomes `%0A`, which GitHub shows as a multi-line annotation).
    static func data(_ s: String) -> String { escape(VisibleText.multiline(s), property: false) }

    static func property(_ s: String) -> String { escape(VisibleText.render(s, keepLineFeeds: true, lineStarts: false), property: true) }

    public func add(_ file: FileResult) {
        let path = Self.property(PathStyle.relative(file.path))
        for tool in file.toolDiagnostics {
            sink.write("::error file=\(path),title=\(Self.property(tool.id.rawValue))::\(Self.data(tool.message))\n")
        }
        guard let positions = file.positions else { return }
        for d in file.diagnostics {
            let start = positions.location(of: d.span.start)
            // Through Positions: its column checkpoints keep many findings on one huge line linear.
            let end = positions.location(reported: positions.reportedSpan(d.span).end)
            let command = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            var props = "file=\(path),line=\(start.line),col=\(start.column)"
            if end.line == start.line { props += ",endLine=\(end.line),endColumn=\(max(end.column, start.column))" }
            sink.write("::\(command) \(props),title=\(Self.property(d.ruleID))::\(Self.data(d.message))\n")
        }
    }

    public func finish(_ summary: RunSummary) { sink.flush() }
}
