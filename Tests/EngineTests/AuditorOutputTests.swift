import Foundation
import Reporters
import RunResults
import RuleKit
import Testing

/// What an auditor hands on: the CSV and HTML of a run show the same counts as its SARIF.
@Suite("CSV, HTML and the end-of-run summary")
struct AuditorOutputTests {
    static let chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var built: Bool { FileManager.default.isExecutableFile(atPath: reportlintPath) }

    /// The bundled examples twice over, the second copy of each changed by one line: ten reports,
    /// findings of one report and across reports (archive.duplicate-report).
    static func archive() throws -> String {
        let dir = try temporaryDirectory()
        let examples = packageRoot + "/Examples"
        for year in try FileManager.default.contentsOfDirectory(atPath: examples) where year.hasPrefix("20") {
            for name in try FileManager.default.contentsOfDirectory(atPath: examples + "/" + year) where name.hasSuffix(".txt") {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(examples)/\(year)/\(name)"))
                for copy in ["甲地", "乙地"] {
                    try FileManager.default.createDirectory(atPath: "\(dir)/\(copy)/\(year)", withIntermediateDirectories: true)
                    var data = bytes
                    if copy == "乙地" { data.append(contentsOf: Array("\n附：本报告于发布后更正。\n".utf8)) }
                    try data.write(to: URL(fileURLWithPath: "\(dir)/\(copy)/\(year)/\(name)"))
                }
            }
        }
        return dir
    }

    /// Results per rule in a SARIF log.
    static func sarifCounts(_ path: String) throws -> [String: Int] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        var counts: [String: Int] = [:]
        for result in run["results"] as? [[String: Any]] ?? [] { counts[result["ruleId"] as? String ?? "?", default: 0] += 1 }
        return counts
    }

    /// RFC 4180 records: quoted fields with doubled quotes, CRLF between records.
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var quoted = false, i = text.unicodeScalars.startIndex
        let s = text.unicodeScalars
        while i < s.endIndex {
            let c = s[i]
            if quoted {
                if c == "\"" {
                    let next = s.index(after: i)
                    if next < s.endIndex, s[next] == "\"" { field.unicodeScalars.append("\""); i = next } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\r", s.index(after: i) < s.endIndex, s[s.index(after: i)] == "\n" {
                record.append(field); records.append(record); record = []; field = ""
                i = s.index(after: i)
            } else {
                field.unicodeScalars.append(c)
            }
            i = s.index(after: i)
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    /// Findings per rule in a CSV file (the rows of files that could not be read left out).
    static func csvCounts(_ path: String) throws -> (counts: [String: Int], records: [[String]], bytes: [UInt8]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with a byte-order mark")
        let records = csvRecords(String(decoding: bytes.dropFirst(3), as: UTF8.self))
        #expect(records.first == CSVReporter.header)
        var counts: [String: Int] = [:]
        for r in records.dropFirst() {
            #expect(r.count == 9, "\(r)")
            if r.count == 9, r[5] != "problem" { counts[r[4], default: 0] += 1 }
        }
        return (counts, records, bytes)
    }

    /// The bar chart's counts and the overview's, as the browser built the page.
    /// Headless Chromium on a page, with a profile of its own; what it writes to standard output.
    static func chromium(_ arguments: [String], page: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromiumPath!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + (try temporaryDirectory())] + arguments
            + [URL(fileURLWithPath: page).absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watch = ChildWatch(process, killAfter: runLimit)
        let reading = PipeReading(out)
        process.waitUntilExit()
        let killed = watch.end()
        // A helper process the browser left behind may hold its standard output open: not waited for.
        let data = reading.wait(seconds: 60)
        #expect(!killed && data != nil, "chromium did not end, or left its output open (killed: \(killed))")
        return data ?? Data()
    }

    static func browserCounts(_ html: String) throws -> (rules: [String: Int], cards: [String: Int], dom: String) {
        let dom = String(decoding: try chromium(["--dump-dom"], page: html), as: UTF8.self)
        func pairs(_ pattern: String) throws -> [String: Int] {
            let regex = try NSRegularExpression(pattern: pattern)
            var out: [String: Int] = [:]
            for m in regex.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)) {
                out[String(dom[Range(m.range(at: 1), in: dom)!])] = Int(dom[Range(m.range(at: 2), in: dom)!])
            }
            return out
        }
        return (try pairs(#"class="bar" data-rule="([^"]+)" data-count="(\d+)""#), try pairs(#"id="(count-[a-z-]+)" data-count="(\d+)""#), dom)
    }

    @Test("CSV: BOM, RFC 4180, one row per finding; the same counts per rule as SARIF, across reports included", .enabled(if: built, "reportlint is not built"))
    func csvMatchesSARIF() throws {
        let dir = try Self.archive()
        let run = try reportlint(["lint", "-q", "--format", "csv=out.csv", "--format", "sarif=out.sarif", "甲地", "乙地"], in: dir, killAfter: 120)
        #expect(run.status == 1, "\(run.stderr)")
        let sarif = try Self.sarifCounts(dir + "/out.sarif")
        let csv = try Self.csvCounts(dir + "/out.csv")
        #expect(!sarif.isEmpty && (sarif["archive.duplicate-report"] ?? 0) > 0)
        #expect(csv.counts == sarif)
        // Every record ends in CRLF; no bare LF.
        let text = String(decoding: csv.bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        // The issuer, year and kind of each row, the follow-up rows (across reports) too.
        let duplicate = try #require(csv.records.first { $0[4] == "archive.duplicate-report" })
        #expect(!duplicate[1].isEmpty && Int(duplicate[2]) != nil && ["government", "department"].contains(duplicate[3]))
    }

    @Test("CSV fields: quotes doubled, commas and newlines quoted, formulas kept as text")
    func csvFields() {
        #expect(CSVReporter.row(["a,b", "say \"hi\"", "plain"]) == "\"a,b\",\"say \"\"hi\"\"\",plain\r\n")
        #expect(CSVReporter.row(["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "1-2"]) == "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1),1-2\r\n")
        // A newline in a message is shown as \n: one finding, one line.
        #expect(CSVReporter.row(["甲\n乙"]) == "甲\\n乙\r\n")
    }

    @Test("HTML rendered in a real browser: the chart and overview show the SARIF's counts; a screenshot is taken",
          .enabled(if: built && chromiumPath != nil, "needs reportlint and chromium (apt-get install chromium)"))
    func htmlInBrowser() throws {
        let dir = try Self.archive()
        let run = try reportlint(["lint", "-q", "--format", "html=out.html", "--format", "sarif=out.sarif", "甲地", "乙地"], in: dir, killAfter: 120)
        #expect(run.status == 1, "\(run.stderr)")
        let sarif = try Self.sarifCounts(dir + "/out.sarif")
        let page = try Self.browserCounts(dir + "/out.html")
        #expect(page.rules == sarif)
        #expect(page.cards["count-findings"] == sarif.values.reduce(0, +))
        #expect(page.cards["count-files"] == 10)
        #expect(page.cards["count-cross"] == sarif.filter { $0.key.hasPrefix("archive.") || $0.key.hasPrefix("crossyear.") }.values.reduce(0, +))
        #expect(page.dom.contains("<details class=\"report\""))
        // Nothing fetched: no external script, style or image.
        let html = try String(contentsOfFile: dir + "/out.html", encoding: .utf8)
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import"))
        let shot = dir + "/out.png"
        _ = try Self.chromium(["--screenshot=" + shot, "--window-size=1280,1600"], page: dir + "/out.html")
        let png = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shot)))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000)
    }

    @Test("A generated archive of 2,000 reports (txt, html, gb18030): CSV and HTML (in the browser) agree with SARIF",
          .enabled(if: built && hasShared && chromiumPath != nil, "needs reportlint, ../shared and chromium"))
    func generatedArchive() throws {
        let dir = try temporaryDirectory()
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: sharedRoot + "/tools/gen-archive")
        gen.arguments = ["--out", dir + "/archive", "--count", "2000", "--seed", "auditor", "--defect-rate", "0.5", "--formats", "txt,html,gb18030"]
        gen.standardOutput = FileHandle.nullDevice
        gen.standardInput = FileHandle.nullDevice
        try gen.run()
        gen.waitUntilExit()
        #expect(gen.terminationStatus == 0)
        let run = try reportlint(["lint", "-q", "--format", "csv=out.csv", "--format", "html=out.html", "--format", "sarif=out.sarif", "archive"],
                                 in: dir, killAfter: 900)
        #expect(run.status == 1, "\(run.stderr)")
        let sarif = try Self.sarifCounts(dir + "/out.sarif")
        #expect(sarif.values.reduce(0, +) > 2000)
        #expect(try Self.csvCounts(dir + "/out.csv").counts == sarif)
        let page = try Self.browserCounts(dir + "/out.html")
        #expect(page.rules == sarif)
        #expect(page.cards["count-findings"] == sarif.values.reduce(0, +))
    }

    @Test("Human output: --concise is one line per finding; the table per rule and the clean and erring files at the end",
          .enabled(if: built, "reportlint is not built"))
    func conciseAndTable() throws {
        let full = try reportlint(["lint", "Examples"], in: packageRoot, killAfter: 60)
        let concise = try reportlint(["lint", "--concise", "Examples"], in: packageRoot, killAfter: 60)
        let findings = full.stdout.split(separator: "\n").filter { $0.contains(": error: ") || $0.contains(": warning: ") || $0.contains(": note: ") }
        #expect(!findings.isEmpty)
        let conciseLines = concise.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let conciseFindings = conciseLines.filter { $0.contains(": error: ") || $0.contains(": warning: ") || $0.contains(": note: ") }
        #expect(conciseFindings == findings)
        #expect(!concise.stdout.contains(" | ") && full.stdout.contains(" | "), "no code frame in concise output")
        for output in [full.stdout, concise.stdout] {
            #expect(output.contains("各规则的问题数："))
            #expect(output.contains("个文件无问题，") && output.contains("个文件有错误"))
        }
        // The table's count for a rule equals its findings.
        let balance = findings.filter { $0.hasSuffix("[table.balance]") }.count
        #expect(concise.stdout.range(of: #"table\.balance +\#(balance) "#, options: .regularExpression) != nil)
    }

    @Test("The note on GitHub's 25,000 results only when SARIF is written")
    func sarifNoteOnlyWithSARIF() throws {
        var summary = RunSummary()
        summary.counts[.warning] = SARIFReporter.resultLimit + 1
        func finish(_ writesSARIF: Bool) throws -> String {
            let path = try temporaryDirectory() + "/out.txt"
            let sink = try OutputSink.file(path)
            HumanReporter(sink: sink, color: false, writesSARIF: writesSARIF).finish(summary)
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        #expect(try finish(true).contains("25000"))
        #expect(try !finish(false).contains("25000"))
    }

    @Test("JSON: each file's issuer, report year, kind and table formats", .enabled(if: built, "reportlint is not built"))
    func jsonProfile() throws {
        let run = try reportlint(["lint", "--format", "json", "Examples/2019/xiangtan-tjj-2019-clean.txt"], in: packageRoot, killAfter: 60)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let file = try #require((json["files"] as? [[String: Any]])?.first)
        #expect(file["issuer"] as? String == "湘潭市统计局")
        #expect(file["reportYear"] as? Int == 2019)
        #expect(file["kind"] as? String == "department")
        #expect((file["tableFormats"] as? [String: String])?["三"] == "2019")
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["clean"] as? Int == 1 && summary["withErrors"] as? Int == 0)
    }
}
