import Foundation
import RuleKit
import RunResults

/// `path:line:col: severity: message [rule-id]`, the source line and a caret underline aligned for
/// double-width characters, grouped by file (`concise`: the first line only); at the end, the
/// findings per rule and a summary line.
public final class HumanReporter: Reporter {
    let sink: OutputSink
    let color: Bool
    let concise: Bool
    /// Whether the run also writes SARIF: only then is GitHub's limit on results worth a note.
    let writesSARIF: Bool

    public init(sink: OutputSink, color: Bool, concise: Bool = false, writesSARIF: Bool = false) {
        self.sink = sink
        self.color = color
        self.concise = concise
        self.writesSARIF = writesSARIF
    }

    /// Colour only on a terminal and never with NO_COLOR (https://no-color.org).
    public static func wantsColor(_ sink: OutputSink) -> Bool {
        sink.isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    func severityWord(_ severity: Severity) -> String {
        switch severity {
        case .error: paint("error", "1;31")
        case .warning: paint("warning", "1;33")
        case .note: paint("note", "1;36")
        }
    }

    public func add(_ file: FileResult) {
        // Everything from the report, its name or a rule file is shown through VisibleText: escape
        // sequences, controls and bidi overrides appear as text instead of acting on the terminal.
        let path = VisibleText.linePath(PathStyle.relative(file.path))
        for tool in file.toolDiagnostics {
            sink.write("\(paint(path, "1")): \(severityWord(.error)): \(VisibleText.escaped(tool.message)) \(paint("[\(tool.id.rawValue)]", "2"))\n")
        }
        guard let positions = file.positions else { return }
        for d in file.diagnostics {
            let at = positions.location(of: d.span.start)
            sink.write("\(paint("\(path):\(at.line):\(at.column)", "1")): \(severityWord(d.severity)): \(VisibleText.escaped(d.message)) "
                + "\(paint("[\(VisibleText.escaped(d.ruleID))]", "2"))\n")
            if concise { continue }
            sink.write(frame(positions.reported, positions.reportedSpan(d.span), line: at.line, column: at.column))
            for r in d.elsewhere {
                sink.write("     \(paint("另见", "2")) \(VisibleText.escaped(PathStyle.relative(r.path))):\(r.line):\(r.column)：\(VisibleText.escaped(r.message))\n")
            }
        }
        if !file.diagnostics.isEmpty, !concise { sink.write("\n") }
    }

    /// The source line with the span underlined; TABs shown as four spaces, every other control
    /// and bidi scalar as its VisibleText escape (the caret counts the escape's width).
    func frame(_ source: SourceText, _ span: SourceSpan, line: Int, column: Int) -> String {
        // A long line is shown as a window around the finding.
        let full = source.lineSpan(line)
        let lineSpan = full.length > 400 ? source.lineWindow(around: span.start, radius: 120) : full
        let text = (lineSpan.start > full.start ? "…" : "") + source.text(lineSpan) + (lineSpan.end < full.end ? "…" : "")
        let gutter = String(line)
        var shown = ""
        var before = 0
        var under = 0
        var offset = lineSpan.start - (lineSpan.start > full.start ? 3 : 0)
        var hashes = 0
        for scalar in text.unicodeScalars {
            var width = DisplayWidth.of(scalar)
            if scalar == "[", hashes >= 2 { shown.unicodeScalars.append(VisibleText.commandBreak) }
            hashes = scalar == "#" ? hashes + 1 : 0
            if scalar == "\t" {
                shown += "    "
            } else if let escape = VisibleText.escape(scalar) {
                shown += escape
                width = escape.utf8.count
            } else {
                shown.unicodeScalars.append(scalar)
            }
            if offset < span.start { before += width } else if offset < min(span.end, lineSpan.end) { under += width }
            offset += UTF8.width(scalar)
        }
        let pad = String(repeating: " ", count: gutter.count)
        let caret = String(repeating: " ", count: before) + paint(String(repeating: "^", count: max(1, under)), "1;32")
        return " \(paint(gutter, "2")) | \(shown)\n \(pad) | \(caret)\n"
    }

    /// Findings per rule, most first: rule id, count, share of all findings.
    func ruleTable(_ summary: RunSummary) -> String {
        let total = summary.byRule.values.reduce(0, +)
        guard total > 0 else { return "" }
        let rows = summary.byRule.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let idWidth = max(4, rows.map { $0.key.utf8.count }.max() ?? 0)
        let countWidth = max(2, String(total).count)
        func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.utf8.count))
            return right ? fill + s : s + fill
        }
        var out = "各规则的问题数：\n"
        for (rule, count) in rows {
            let share = String(format: "%5.1f %%", 100 * Double(count) / Double(total))
            out += "  \(pad(VisibleText.escaped(rule), idWidth))  \(pad(String(count), countWidth, right: true))  \(share)\n"
        }
        return out + "\n"
    }

    public func finish(_ summary: RunSummary) {
        sink.write(ruleTable(summary))
        let e = summary.counts[.error] ?? 0, w = summary.counts[.warning] ?? 0, n = summary.counts[.note] ?? 0
        var line = "检查了 \(summary.filesLinted) 个文件：\(e) 个错误，\(w) 个警告，\(n) 个提示"
        if summary.filesLinted > 0 { line += "；\(summary.cleanFiles) 个文件无问题，\(summary.filesWithErrors) 个文件有错误" }
        if summary.filesFailed > 0 { line += "；\(summary.filesFailed) 个文件无法读取或解码" }
        if summary.skipped > summary.skippedLinks { line += "；跳过 \(summary.skipped - summary.skippedLinks) 个非报告文件" }
        if summary.skippedLinks > 0 { line += "；\(summary.skippedLinks) 个符号链接未跟随（--follow-symlinks 可跟随）" }
        if summary.baselined > 0 { line += "；\(summary.baselined) 个已在基线中的问题未显示" }
        if summary.baselineUnmatched > 0 { line += "；基线中 \(summary.baselineUnmatched) 个条目没有匹配到问题（已修正或路径不同）" }
        let formats = summary.byFormat.keys.sorted().map { "\($0) \(summary.byFormat[$0]!)" }
        let encodings = summary.byEncoding.keys.sorted().map { "\($0) \(summary.byEncoding[$0]!)" }
        if formats.count > 1 || encodings.count > 1 {
            line += "\n格式：" + formats.joined(separator: "，") + "；编码：" + encodings.joined(separator: "，")
        }
        let total = summary.counts.values.reduce(0, +)
        if writesSARIF, total > SARIFReporter.resultLimit {
            line += "\n注意：共有 \(total) 条结果，超过 GitHub 代码扫描每次运行 \(SARIFReporter.resultLimit) 条的上限；SARIF 只包含前 \(SARIFReporter.resultLimit) 条"
        }
        sink.write(paint(line, "1") + "\n")
        sink.flush()
    }
}
