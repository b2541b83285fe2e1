import Foundation
import RuleKit
import RunResults

/// One self-contained HTML page for an auditor (`--format html=FILE`), in Chinese: an overview, a
/// bar chart of findings per rule (inline SVG), tables per issuer, per region (each folder level of
/// the path) and per report year sorted by errors, the findings across reports with their place in
/// the other report, and a collapsed section per report with each finding's excerpt and message.
///
/// Nothing is fetched: CSS and SVG are inline, and a few lines of plain JavaScript sort the tables
/// and filter the reports by path (the page reads fine without it). Every text from a report, a
/// file name or a rule file is shown through `VisibleText` (controls and bidi as text) and then
/// HTML-escaped. The counts carry `id`s and `data-count` attributes so tools can read them back.
///
/// The page is built at the end of the run (the overview comes first); what is kept per report is
/// its counts and its findings already rendered, never its text.
public final class HTMLReporter: Reporter {
    let sink: OutputSink

    struct Record {
        var path: String
        var profile: ReportProfile?
        var linted: Bool
        var counts: [Severity: Int] = [:]
        var ioProblem = false
        var problems = 0
        /// The findings and problems as `<li>` elements.
        var body = ""
        var findings: Int { counts.values.reduce(0, +) }
        var isClean: Bool { linted && findings == 0 && problems == 0 }
    }

    var records: [Record] = []
    var index: [String: Int] = [:]
    var byRule: [String: (count: Int, severity: Severity)] = [:]
    /// Rows of the table of findings across reports.
    var crossRows = ""
    var crossCount = 0
    static let crossRowLimit = 1000
    /// Past this many findings, each report's list is an inert `<template>` until its section is
    /// opened (a few lines of script): parsed, never laid out, so a 10,000-report page opens quickly.
    static let eagerFindingLimit = 2000

    public init(sink: OutputSink) {
        self.sink = sink
    }

    /// Text for HTML element content or a quoted attribute value: VisibleText first (controls, bidi
    /// overrides and line separators shown as text), then `& < > " '` as entities.
    public static func escape(_ s: String) -> String {
        let visible = VisibleText.escaped(s)
        guard visible.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return visible }
        var out = ""
        out.reserveCapacity(visible.utf8.count + 16)
        for scalar in visible.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func severityName(_ s: Severity) -> String {
        switch s {
        case .error: "错误"
        case .warning: "警告"
        case .note: "提示"
        }
    }

    static func kindName(_ kind: String) -> String {
        switch kind {
        case "government": "政府报告"
        case "department": "部门报告"
        default: kind
        }
    }

    static func isCrossReport(_ d: Diagnostic) -> Bool {
        d.ruleID.hasPrefix("crossyear.") || d.ruleID.hasPrefix("archive.") || !d.elsewhere.isEmpty
    }

    public func add(_ file: FileResult) {
        let path = PathStyle.relative(file.path)
        let i: Int
        if let known = index[path] {
            i = known
        } else {
            i = records.count
            index[path] = i
            records.append(Record(path: path, profile: file.profile, linted: file.wasLinted))
        }
        if records[i].profile == nil { records[i].profile = file.profile }
        records[i].linted = records[i].linted || file.wasLinted
        var body = ""
        for tool in file.toolDiagnostics {
            records[i].problems += 1
            if tool.id.rawValue.hasPrefix("io.") { records[i].ioProblem = true }
            body += "<li class=\"problem\" data-rule=\"\(Self.escape(tool.id.rawValue))\"><span class=\"sev sev-error\">问题</span> "
                + "<code>\(Self.escape(tool.id.rawValue))</code> \(Self.escape(tool.message))</li>\n"
        }
        if let positions = file.positions {
            for d in file.diagnostics {
                records[i].counts[d.severity, default: 0] += 1
                let known = byRule[d.ruleID]
                byRule[d.ruleID] = ((known?.count ?? 0) + 1, max(known?.severity ?? d.severity, d.severity))
                let at = positions.location(of: d.span.start)
                let rule = Self.escape(d.ruleID), message = Self.escape(d.message)
                body += "<li class=\"finding\" data-rule=\"\(rule)\" data-severity=\"\(d.severity.rawValue)\">"
                    + "<span class=\"loc\">\(at.line):\(at.column)</span> <span class=\"sev sev-\(d.severity.rawValue)\">\(Self.severityName(d.severity))</span> "
                    + "<code>\(rule)</code> <span class=\"msg\">\(message)</span>\n"
                    + "<pre class=\"excerpt\">\(Self.excerpt(positions, d.span, line: at.line))</pre>"
                for r in d.related {
                    let rat = positions.location(of: r.span.start)
                    body += "<div class=\"rel\">相关：\(rat.line):\(rat.column) \(Self.escape(r.message))</div>"
                }
                var elsewhere = ""
                for r in d.elsewhere {
                    let place = "\(Self.escape(PathStyle.relative(r.path))):\(r.line):\(r.column)"
                    body += "<div class=\"rel\">另见 \(place)：\(Self.escape(r.message))</div>"
                    elsewhere += "<div>\(place)：\(Self.escape(r.message))</div>"
                }
                body += "</li>\n"
                if Self.isCrossReport(d) {
                    crossCount += 1
                    // The table lists the first rows only: a table of tens of thousands of rows takes a
                    // browser many seconds to lay out; each report's section still has all of them.
                    guard crossCount <= Self.crossRowLimit else { continue }
                    crossRows += "<tr><td>\(Self.escape(path)):\(at.line):\(at.column)</td><td><code>\(rule)</code></td>"
                        + "<td class=\"sev-\(d.severity.rawValue)\">\(Self.severityName(d.severity))</td><td>\(message)</td><td>\(elsewhere)</td></tr>\n"
                }
            }
        }
        records[i].body += body
    }

    /// The finding's line with the finding marked; a long line as a window around it.
    static func excerpt(_ positions: Positions, _ span: SourceSpan, line: Int) -> String {
        let source = positions.reported
        let reported = positions.reportedSpan(span)
        let full = source.lineSpan(line)
        let window = full.length > 400 ? source.lineWindow(around: reported.start, radius: 120) : full
        let start = min(max(reported.start, window.start), window.end)
        let end = min(max(reported.end, start), window.end)
        let before = source.text(SourceSpan(start: window.start, end: start))
        let marked = source.text(SourceSpan(start: start, end: end))
        let after = source.text(SourceSpan(start: end, end: window.end))
        return "<span class=\"ln\">\(line)</span>" + (window.start > full.start ? "…" : "") + escape(before)
            + "<mark>\(escape(marked))</mark>" + escape(after) + (window.end < full.end ? "…" : "")
    }

    // MARK: - The page

    struct Tally {
        var reports = 0, clean = 0, withErrors = 0, errors = 0, warnings = 0, notes = 0
        mutating func add(_ r: Record) {
            reports += 1
            if r.isClean { clean += 1 }
            if (r.counts[.error] ?? 0) > 0 { withErrors += 1 }
            errors += r.counts[.error] ?? 0
            warnings += r.counts[.warning] ?? 0
            notes += r.counts[.note] ?? 0
        }
    }

    /// Folder levels of a relative path: `湖南/长沙/a.txt` → `湖南`, `湖南/长沙`.
    static func regions(_ path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        guard !parts.isEmpty else { return ["（顶层）"] }
        var out: [String] = []
        var prefix = path.hasPrefix("/") ? "/" : ""
        for p in parts {
            prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + p
            out.append(prefix)
        }
        return out
    }

    func table(_ id: String, title: String, heading: String, groups: [String: Tally]) -> String {
        let rows = groups.sorted { a, b in
            (a.value.errors, a.value.withErrors, a.value.warnings, b.key) > (b.value.errors, b.value.withErrors, b.value.warnings, a.key)
        }
        var out = "<section id=\"\(id)\"><h2>\(title)</h2>\n<details\(rows.count <= 50 ? " open" : "")><summary>\(rows.count) 项，按错误数排序</summary>\n"
        out += "<table class=\"sortable\" data-table=\"\(id)\"><thead><tr><th>\(heading)</th><th class=\"n\">报告</th><th class=\"n\">无问题</th>"
            + "<th class=\"n\">有错误的报告</th><th class=\"n\">错误</th><th class=\"n\">警告</th><th class=\"n\">提示</th></tr></thead><tbody>\n"
        for (key, t) in rows {
            out += "<tr data-key=\"\(Self.escape(key))\" data-errors=\"\(t.errors)\"><td>\(Self.escape(key))</td><td class=\"n\">\(t.reports)</td><td class=\"n\">\(t.clean)</td>"
                + "<td class=\"n\">\(t.withErrors)</td><td class=\"n\">\(t.errors)</td><td class=\"n\">\(t.warnings)</td><td class=\"n\">\(t.notes)</td></tr>\n"
        }
        return out + "</tbody></table></details></section>\n"
    }

    func chart() -> String {
        let rules = byRule.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
        guard let top = rules.first?.value.count else { return "<p>没有发现问题。</p>\n" }
        let rowHeight = 22, labelWidth = 300, barWidth = 520
        let height = rules.count * rowHeight + 8
        var out = "<svg id=\"rule-chart\" role=\"img\" aria-label=\"各规则的问题数\" viewBox=\"0 0 \(labelWidth + barWidth + 80) \(height)\" "
            + "width=\"\(labelWidth + barWidth + 80)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        for (n, (rule, value)) in rules.enumerated() {
            let y = n * rowHeight + 4
            let w = max(1, value.count * barWidth / top)
            let id = Self.escape(rule)
            out += "<g class=\"bar\" data-rule=\"\(id)\" data-count=\"\(value.count)\"><title>\(id)：\(value.count)</title>"
                + "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(id)</text>"
                + "<rect class=\"sev-\(value.severity.rawValue)\" x=\"\(labelWidth)\" y=\"\(y + 2)\" width=\"\(w)\" height=\"\(rowHeight - 6)\"/>"
                + "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 15)\">\(value.count)</text></g>\n"
        }
        return out + "</svg>\n"
    }

    public func finish(_ summary: RunSummary) {
        var total = Tally()
        var io = 0
        var issuers: [String: Tally] = [:], regions: [String: Tally] = [:], years: [String: Tally] = [:]
        for r in records {
            if r.ioProblem { io += 1 }
            guard r.linted || r.problems > 0 else { continue }
            total.add(r)
            issuers[r.profile?.issuer ?? "（未识别）", default: Tally()].add(r)
            years[r.profile?.year.map(String.init) ?? "（未识别）", default: Tally()].add(r)
            for region in Self.regions(r.path) { regions[region, default: Tally()].add(r) }
        }
        let linted = records.filter(\.linted).count
        func card(_ id: String, _ label: String, _ n: Int, _ cls: String = "") -> String {
            "<div class=\"card \(cls)\"><dt>\(label)</dt><dd id=\"\(id)\" data-count=\"\(n)\">\(n)</dd></div>\n"
        }
        var page = """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="\(ToolInfo.name) \(ToolInfo.version)">
        <title>政府信息公开年度报告检查结果</title>
        <style>\(Self.css)</style></head><body>
        <h1>政府信息公开年度报告检查结果</h1>
        <p class="meta">由 \(ToolInfo.name) \(ToolInfo.version) 生成。</p>
        <section id="overview"><h2>概览</h2><dl class="cards">

        """
        page += card("count-files", "检查的报告", linted)
        page += card("count-clean", "无问题的报告", total.clean, "ok")
        page += card("count-files-with-errors", "有错误的报告", total.withErrors, "bad")
        page += card("count-files-with-io", "无法读取或解码的文件（io.*）", io, io > 0 ? "bad" : "")
        page += card("count-findings", "问题总数", total.errors + total.warnings + total.notes)
        page += card("count-errors", "错误", total.errors, "bad")
        page += card("count-warnings", "警告", total.warnings, "warn")
        page += card("count-notes", "提示", total.notes)
        if summary.skipped > 0 { page += card("count-skipped", "跳过的非报告文件", summary.skipped) }
        if summary.baselined > 0 { page += card("count-baselined", "基线中已有、未显示的问题", summary.baselined) }
        page += "</dl></section>\n<section id=\"by-rule\"><h2>各规则的问题数</h2>\n" + chart() + "</section>\n"
        sink.write(page)
        sink.write(table("by-issuer", title: "按发布机关", heading: "发布机关", groups: issuers))
        sink.write(table("by-region", title: "按地区（路径的目录层级）", heading: "目录", groups: regions))
        sink.write(table("by-year", title: "按报告年度", heading: "报告年度", groups: years))
        if crossCount > 0 {
            let more = crossCount > Self.crossRowLimit ? "下表列出前 \(Self.crossRowLimit) 条，其余见各报告的部分（或 CSV 输出）。" : ""
            sink.write("<section id=\"cross-report\"><h2>跨报告的问题</h2><p><span id=\"count-cross\" data-count=\"\(crossCount)\">\(crossCount)</span> 条，涉及另一份报告中的位置。\(more)</p>\n"
                + "<table class=\"sortable\"><thead><tr><th>位置</th><th>规则</th><th>级别</th><th>说明</th><th>另一份报告</th></tr></thead><tbody>\n")
            sink.write(crossRows)
            sink.write("</tbody></table></section>\n")
        }
        sink.write("<section id=\"reports\"><h2>各报告的问题</h2>\n<p><input id=\"filter\" type=\"search\" placeholder=\"按路径或发布机关筛选\" aria-label=\"筛选报告\"></p>\n")
        var clean: [Record] = []
        let lazy = total.errors + total.warnings + total.notes > Self.eagerFindingLimit
        for r in records {
            if r.isClean { clean.append(r); continue }
            guard !r.body.isEmpty else { continue }
            let who = [r.profile?.issuer, r.profile?.year.map { "\($0) 年度" }, r.profile.map { Self.kindName($0.kind) }].compactMap { $0 }.map(Self.escape).joined(separator: " · ")
            let counts = Severity.allCases.reversed().compactMap { s in r.counts[s].map { "\($0) 个\(Self.severityName(s))" } }
                + (r.problems > 0 ? ["\(r.problems) 个读取问题"] : [])
            sink.write("<details class=\"report\" data-path=\"\(Self.escape(r.path))\" data-findings=\"\(r.findings)\" data-errors=\"\(r.counts[.error] ?? 0)\">"
                + "<summary><span class=\"path\">\(Self.escape(r.path))</span> <span class=\"who\">\(who)</span> <span class=\"counts\">\(counts.joined(separator: "，"))</span></summary>\n"
                + (lazy ? "<template><ol>\n" : "<ol>\n"))
            sink.write(r.body)
            sink.write(lazy ? "</ol></template></details>\n" : "</ol></details>\n")
        }
        if !clean.isEmpty {
            sink.write("<details class=\"clean\"><summary>\(clean.count) 份无问题的报告</summary><ul>\n")
            for r in clean { sink.write("<li data-path=\"\(Self.escape(r.path))\">\(Self.escape(r.path))</li>\n") }
            sink.write("</ul></details>\n")
        }
        sink.write("</section>\n<script>\(Self.script)</script>\n</body></html>\n")
        sink.flush()
    }

    static let css = """
    body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#222;line-height:1.5}
    h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:1.6em}.meta{color:#666}
    .cards{display:flex;flex-wrap:wrap;gap:.6em}.card{border:1px solid #ccc;border-radius:6px;padding:.4em .9em;min-width:9em}
    .card dt{color:#555;font-size:.9em}.card dd{margin:0;font-size:1.6em;font-weight:bold}.ok dd{color:#1a7f37}.bad dd{color:#c62828}.warn dd{color:#b26a00}
    table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
    th{background:#f4f4f4;cursor:pointer}td.n,th.n{text-align:right}
    svg text{font-size:12px;fill:#222}rect.sev-error{fill:#d9534f}rect.sev-warning{fill:#f0ad4e}rect.sev-note{fill:#5bc0de}
    details.report{border:1px solid #ddd;border-radius:4px;margin:.3em 0;padding:.2em .6em}summary{cursor:pointer}
    .path{font-family:monospace}.who{color:#555}.counts{color:#c62828}
    .sev{font-size:.85em;padding:0 .3em;border-radius:3px;color:#fff}.sev-error{background:#c62828}.sev-warning{background:#b26a00}.sev-note{background:#2277aa}
    td.sev-error,td.sev-warning,td.sev-note{color:#fff}
    pre.excerpt{background:#f7f7f7;padding:.3em .5em;margin:.2em 0;white-space:pre-wrap;word-break:break-all}.ln{color:#888;margin-right:1em}
    mark{background:#ffe08a}.rel{color:#555;font-size:.9em}li{margin:.4em 0}#filter{width:24em;max-width:100%;padding:.3em}
    """

    static let script = """
    document.querySelectorAll("table.sortable th").forEach(function(th,col){th.addEventListener("click",function(){
    var body=th.closest("table").tBodies[0],rows=Array.prototype.slice.call(body.rows),up=th.dataset.up!=="1";th.dataset.up=up?"1":"0";
    rows.sort(function(a,b){var x=a.cells[col].textContent,y=b.cells[col].textContent,nx=parseFloat(x),ny=parseFloat(y);
    var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,"zh");return up?c:-c;});rows.forEach(function(r){body.appendChild(r);});});});
    document.addEventListener("toggle",function(e){var d=e.target,t=d.querySelector&&d.querySelector(":scope > template");
    if(t&&d.open){d.appendChild(t.content.cloneNode(true));t.remove();}},true);
    var f=document.getElementById("filter");if(f){f.addEventListener("input",function(){var q=f.value.trim();
    document.querySelectorAll("#reports details.report").forEach(function(d){d.style.display=(!q||d.dataset.path.indexOf(q)>=0||d.querySelector("summary").textContent.indexOf(q)>=0)?"":"none";});});}
    """
}
