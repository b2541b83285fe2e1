import RuleKit
import RunResults

/// JUnit XML: one test case per report, a failure per finding, an error per file that could not be
/// read. CI systems that show test results (GitLab, Jenkins) show the reports this way.
public final class JUnitReporter: Reporter {
    let sink: OutputSink
    var cases: [String] = []
    var failures = 0
    var errors = 0

    public init(sink: OutputSink) {
        self.sink = sink
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                if (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    public func add(_ file: FileResult) {
        let path = PathStyle.relative(file.path)
        var body = ""
        for tool in file.toolDiagnostics {
            errors += 1
            body += "      <error type=\"\(Self.escape(tool.id.rawValue))\" message=\"\(Self.escape(tool.message))\"/>\n"
        }
        if let positions = file.positions {
            for d in file.diagnostics {
                failures += 1
                let at = positions.location(of: d.span.start)
                body += "      <failure type=\"\(Self.escape(d.ruleID))\" message=\"\(Self.escape(d.message))\">"
                body += Self.escape("\(path):\(at.line):\(at.column): \(d.severity.rawValue): \(d.message) [\(d.ruleID)]") + "</failure>\n"
            }
        }
        let open = "    <testcase classname=\"reportlint\" name=\"\(Self.escape(path))\""
        cases.append(body.isEmpty ? open + "/>\n" : open + ">\n" + body + "    </testcase>\n")
    }

    public func finish(_ summary: RunSummary) {
        sink.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        sink.write("<testsuites name=\"reportlint\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n")
        sink.write("  <testsuite name=\"reportlint\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\">\n")
        for c in cases { sink.write(c) }
        sink.write("  </testsuite>\n</testsuites>\n")
        sink.flush()
    }
}
