import RuleKit
import RunResults

/// JUnit XML: one test case per report, a failure per finding that fails the run (`--fail-on`), the
/// other findings as the case's `system-out`, an error per file that could not be read. CI systems
/// that show test results (GitLab, Jenkins) show the reports this way, and a green job shows no
/// failures.
public final class JUnitReporter: Reporter {
    let sink: OutputSink
    /// One test case per report, by path: a follow-up (findings across reports) joins its file's case.
    private var cases: [(path: String, body: String, output: String)] = []
    private var caseIndex: [String: Int] = [:]
    var failures = 0
    var errors = 0
    /// The severities that fail the run: findings of these are failures, the others output.
    let failing: Set<Severity>

    public init(sink: OutputSink, failing: Set<Severity> = [.error]) {
        self.sink = sink
        self.failing = failing
    }

    /// Text for an attribute value or element content, the same to any XML reader and harmless
    /// as raw bytes: markup characters as entities; TAB, LF and CR as character references
    /// (attribute-value normalisation would turn them into spaces, and a raw LF in content could
    /// start a CI log line); DEL, C1 and bidi controls and the `#` of `##[` as character references;
    /// what XML 1.0 forbids even as a reference (other C0 controls, U+FFFE, U+FFFF) shown as its
    /// VisibleText escape (`\e`, `\x01`) or U+FFFD.
    static func escape(_ s: String) -> String {
        var s = s
        guard s.withUTF8({ utf8 in
            utf8.contains { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0x23 || $0 == 0x7F || $0 >= 0xC2 }
        }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var hashes = 0
        for scalar in s.unicodeScalars {
            let v = scalar.value
            let hashBeforeBracket = scalar == "[" && hashes >= 2
            hashes = scalar == "#" ? hashes + 1 : 0
            if hashBeforeBracket {
                // Replace the '#' just written with its reference: `##[` never appears raw.
                out.removeLast()
                out += "&#35;["
                continue
            }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if v < 0x20 {
                    out += VisibleText.escape(scalar) ?? ""
                } else if v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else if VisibleText.escape(scalar) != nil {
                    // DEL, C1 and bidi controls: legal in XML 1.0, written as references.
                    out += "&#x" + String(v, radix: 16, uppercase: true) + ";"
                } else {
                    out.unicodeScalars.append(scalar)
                }
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
        var output = ""
        if let positions = file.positions {
            for d in file.diagnostics {
                let at = positions.location(of: d.span.start)
                let line = Self.escape("\(path):\(at.line):\(at.column): \(d.severity.rawValue): \(d.message) [\(d.ruleID)]")
                guard failing.contains(d.severity) else {
                    output += line + "&#10;"
                    continue
                }
                failures += 1
                body += "      <failure type=\"\(Self.escape(d.ruleID))\" message=\"\(Self.escape(d.message))\">" + line + "</failure>\n"
            }
        }
        if file.isFollowUp, let i = caseIndex[path] {
            cases[i].body += body
            cases[i].output += output
        } else {
            caseIndex[path] = cases.count
            cases.append((path, body, output))
        }
    }

    public func finish(_ summary: RunSummary) {
        sink.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        sink.write("<testsuites name=\"reportlint\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n")
        sink.write("  <testsuite name=\"reportlint\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\">\n")
        for c in cases {
            let open = "    <testcase classname=\"reportlint\" name=\"\(Self.escape(c.path))\""
            // Findings below --fail-on: shown with the case, not counted as failures.
            let out = c.output.isEmpty ? "" : "      <system-out>" + c.output + "</system-out>\n"
            sink.write(c.body.isEmpty && out.isEmpty ? open + "/>\n" : open + ">\n" + c.body + out + "    </testcase>\n")
        }
        sink.write("  </testsuite>\n</testsuites>\n")
        sink.flush()
    }
}
