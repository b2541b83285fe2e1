import Foundation
import GRDB
import RuleKit
import Testing

/// The rules across reports on series of reports written here: consecutive years of one issuer,
/// two issuers sharing text, a missing year, a renamed body. Each rule has a case that fires and a
/// near miss that does not. The reports are complete clean example reports (`ExampleReport`) with
/// the prose and cells each case needs.
@Suite("Rules across reports")
struct CrossReportTests {
    /// Distinct topics: a sentence per topic, in the issuer's own words (no digits: they are not compared).
    static let topics = ["统计数据发布", "统计执法检查", "普查工作部署", "数据质量核查", "统计科普宣传", "基层统计规范化",
                         "统计信息化建设", "统计调查项目管理", "统计信用体系建设", "统计人才队伍培养", "统计分析报告", "部门统计协作"]

    static func sentence(_ issuer: String, _ topic: String) -> String { "\(issuer)围绕\(topic)扎实开展各项工作并及时公开相关信息。" }

    /// A clean report of `issuer` for `year` whose section 一 holds one sentence per topic.
    static func report(_ issuer: String, _ year: Int, topics: [String], table3: [String: [String]] = [:], table4: [String]? = nil,
                       edits: [(String, String)] = []) -> String {
        let prose = topics.map { sentence(issuer, $0) }.joined()
        return ExampleReport(year: year, issuer: issuer, table3: table3, table4: table4,
                             edits: [("本年度，本局认真贯彻落实《中华人民共和国政府信息公开条例》。", prose)] + edits).text
    }

    struct Found: Hashable {
        var rule: String
        var file: String
        var line: Int
        var column = 0
        var elsewhere: [String]
    }

    /// Two years of one issuer whose carry-over breaks (结转下年度 2, then 上年结转 3) and whose prose
    /// is mostly the same: findings of several rules across reports to hide, store and locate.
    static let carriedWrong = (
        last: report("某市统计局", 2022, topics: Array(topics[0..<10]), table3: [Templates.rowOut: ExampleReport.row(2, 0, 0, 0, 0, 0)]),
        now: report("某市统计局", 2023, topics: Array(topics[0..<9]), table3: [Templates.rowCarried: ExampleReport.row(3, 0, 0, 0, 0, 0)]))

    /// A new folder holding `files` (name → text; names may have folders).
    static func folder(_ files: [String: String]) throws -> String {
        let dir = try temporaryDirectory()
        for (name, text) in files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// Lints `files` (name → text) in a new folder and gives the findings of the rules across reports.
    static func lint(_ files: [String: String], config: String? = nil, arguments: [String] = [],
                     paths: [String]? = nil) throws -> (found: Set<Found>, status: Int32) {
        let dir = try folder(files)
        if let config { try config.write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8) }
        let result = try reportlint(["lint", "--format", "json"] + arguments + (paths ?? ["."]), in: dir, killAfter: 60)
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        return (try crossFindings(result.stdout), result.status)
    }

    static func crossFindings(_ stdout: String) throws -> Set<Found> {
        var found = Set<Found>()
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
        for file in object?["files"] as? [[String: Any]] ?? [] {
            guard let path = file["path"] as? String, let findings = file["findings"] as? [[String: Any]] else { continue }
            for f in findings {
                guard let rule = f["ruleId"] as? String, rule.hasPrefix("crossyear.") || rule.hasPrefix("archive.") else { continue }
                let related = (f["related"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
                found.insert(Found(rule: rule, file: path, line: f["line"] as? Int ?? 0, column: f["column"] as? Int ?? 0, elsewhere: related))
            }
        }
        return found
    }

    static func rules(_ found: Set<Found>) -> [String] { found.map { "\($0.rule) \($0.file)" }.sorted() }

    // MARK: - crossyear.carry-over

    @Test("上年结转 differs from last year's 结转下年度 in one column: a finding per failing column, in this year's report")
    func carryOver() throws {
        let last = Self.report("某市统计局", 2022, topics: Array(Self.topics[0..<4]), table3: [Templates.rowOut: ExampleReport.row(2, 0, 0, 0, 0, 0)])
        let wrong = Self.report("某市统计局", 2023, topics: Array(Self.topics[4..<8]), table3: [Templates.rowCarried: ExampleReport.row(3, 0, 0, 0, 0, 0)])
        let right = Self.report("某市统计局", 2023, topics: Array(Self.topics[4..<8]), table3: [Templates.rowCarried: ExampleReport.row(2, 0, 0, 0, 0, 0)])
        let (found, _) = try Self.lint(["a/2022.txt": last, "a/2023.txt": wrong])
        let carry = found.filter { $0.rule == "crossyear.carry-over" }
        #expect(carry.count == 2, "\(found)")  // 自然人 and 总计
        #expect(carry.allSatisfy { $0.file == "a/2023.txt" && $0.elsewhere == ["a/2022.txt"] })
        #expect(try Self.lint(["a/2022.txt": last, "a/2023.txt": right]).found.filter { $0.rule == "crossyear.carry-over" }.isEmpty)
    }

    // MARK: - crossyear.stock

    @Test("现行有效件数 is not last year's plus 制发 minus 废止 (both years in the 2021 format)")
    func stock() throws {
        let last = Self.report("某市统计局", 2022, topics: Array(Self.topics[0..<4]), edits: [("行政规范性文件 0 0 0", "行政规范性文件 2 0 5")])
        let wrong = Self.report("某市统计局", 2023, topics: Array(Self.topics[4..<8]), edits: [("行政规范性文件 0 0 0", "行政规范性文件 1 0 9")])
        let right = Self.report("某市统计局", 2023, topics: Array(Self.topics[4..<8]), edits: [("行政规范性文件 0 0 0", "行政规范性文件 1 0 6")])
        let (found, _) = try Self.lint(["2022.txt": last, "2023.txt": wrong])
        #expect(Self.rules(found.filter { $0.rule == "crossyear.stock" }) == ["crossyear.stock 2023.txt"], "\(found)")
        #expect(try Self.lint(["2022.txt": last, "2023.txt": right]).found.filter { $0.rule == "crossyear.stock" }.isEmpty)
        // The message says which figure is last year's: only the 现行有效件数; 制发 and 废止 are this year's.
        let human = try reportlint(["lint", "--concise", "--select", "crossyear.stock", "."], in: try Self.folder(["2022.txt": last, "2023.txt": wrong]))
        #expect(human.stdout.contains("表二 行政规范性文件：现行有效件数 9 不等于上年的现行有效件数 5（2022年报告 ./2022.txt）+ 本年制发件数 1 − 本年废止件数 0 = 6"),
                "\(human.stdout)")
    }

    // MARK: - crossyear.text-reuse

    @Test("Most of this year's prose stands in last year's report (80 % fires, 30 % does not)")
    func textReuse() throws {
        let topics = Self.topics
        let last = Self.report("某市统计局", 2022, topics: Array(topics[0..<10]))
        let copied = Self.report("某市统计局", 2023, topics: Array(topics[0..<8]) + Array(topics[10..<12]))
        let fresh = Self.report("某市统计局", 2023, topics: Array(topics[0..<3]) + ["人口抽样调查", "经济普查数据开发", "统计年鉴编纂", "统计咨询服务",
                                                                               "统计法治宣传", "统计监测预警", "统计标准制定"])
        let (found, _) = try Self.lint(["2022.txt": last, "2023.txt": copied])
        let reuse = found.filter { $0.rule == "crossyear.text-reuse" }
        #expect(Self.rules(reuse) == ["crossyear.text-reuse 2023.txt"], "\(found)")
        #expect(reuse.first?.elsewhere == ["2022.txt"])
        #expect(try Self.lint(["2022.txt": last, "2023.txt": fresh]).found.filter { $0.rule == "crossyear.text-reuse" }.isEmpty)
        // The option: a higher threshold, and off.
        #expect(try Self.lint(["2022.txt": last, "2023.txt": copied],
                              config: "rules:\n  crossyear.text-reuse: {options: {threshold: 0.9}}\n").found.isEmpty)
        #expect(try Self.lint(["2022.txt": last, "2023.txt": copied], config: "rules:\n  crossyear.text-reuse: off\n").found.isEmpty)
    }

    @Test("Boilerplate (a sentence in the reports of three other issuers) is not counted: two others leave it counted")
    func boilerplateLeftOut() throws {
        // Six sentences of a provincial template, in last year's and this year's report of one issuer,
        // with four fresh sentences this year: 6/10 reused, unless the six are boilerplate.
        let shared = ["全省统一部署推进基层政务公开标准化规范化建设", "按照省政府办公厅要求完善政府信息公开指南和目录",
                      "依托省级政府网站集约化平台开展政府信息公开工作", "落实政府信息公开属性源头认定和动态调整机制",
                      "健全政府信息公开申请登记受理审查办理答复流程", "按季度开展政府网站和政务新媒体常态化监测"].map { $0 + "。" }
        func report(_ issuer: String, _ year: Int, _ topics: ArraySlice<String>) -> String {
            ExampleReport(year: year, issuer: issuer, edits: [("本年度，本局认真贯彻落实《中华人民共和国政府信息公开条例》。",
                                                               topics.map { Self.sentence(issuer, $0) }.joined() + shared.joined())]).text
        }
        var files = ["a/2022.txt": report("某市统计局", 2022, Self.topics[0..<4]), "a/2023.txt": report("某市统计局", 2023, Self.topics[4..<8])]
        for (n, other) in ["某市财政局", "某市教育局"].enumerated() { files["o\(n)/2023.txt"] = report(other, 2023, Self.topics[8..<12]) }
        let counted = try Self.lint(files).found.filter { $0.rule == "crossyear.text-reuse" }
        #expect(Self.rules(counted) == ["crossyear.text-reuse a/2023.txt"], "\(counted)")
        files["o2/2023.txt"] = report("某市民政局", 2023, Self.topics[8..<12])
        let left = try Self.lint(files).found
        #expect(left.filter { $0.rule == "crossyear.text-reuse" }.isEmpty, "\(left)")
    }

    // MARK: - crossyear.identical-tables

    @Test("Tables 三 and 四 identical to last year's and not all zero: a note; all zero: none")
    func identicalTables() throws {
        let cells = [Templates.rowNew: ExampleReport.row(4, 0, 0, 0, 0, 0), Templates.rowPublic: ExampleReport.row(4, 0, 0, 0, 0, 0),
                     Templates.rowDone: ExampleReport.row(4, 0, 0, 0, 0, 0)]
        let a = Self.report("某市统计局", 2022, topics: Array(Self.topics[0..<4]), table3: cells)
        let b = Self.report("某市统计局", 2023, topics: Array(Self.topics[4..<8]), table3: cells)
        let (found, _) = try Self.lint(["2022.txt": a, "2023.txt": b])
        #expect(Self.rules(found) == ["crossyear.identical-tables 2023.txt"], "\(found)")
        let zeroA = Self.report("某市统计局", 2022, topics: Array(Self.topics[0..<4]))
        let zeroB = Self.report("某市统计局", 2023, topics: Array(Self.topics[4..<8]))
        #expect(try Self.lint(["2022.txt": zeroA, "2023.txt": zeroB]).found.isEmpty)
    }

    // MARK: - archive.cross-issuer-reuse

    @Test("Two bodies' reports of one year sharing most of their prose: reported on the later file in walk order")
    func crossIssuerReuse() throws {
        let topics = Array(Self.topics[0..<10])
        let source = Self.report("某市统计局", 2023, topics: topics)
        // The copier keeps the source's sentences (its name left in) but for one.
        let copier = ExampleReport(year: 2023, issuer: "某县统计局", edits: [
            ("本年度，本局认真贯彻落实《中华人民共和国政府信息公开条例》。",
             topics.dropLast().map { Self.sentence("某市统计局", $0) }.joined() + Self.sentence("某县统计局", "统计分析报告")),
        ]).text
        let (found, _) = try Self.lint(["a.txt": source, "b.txt": copier])
        #expect(Self.rules(found) == ["archive.cross-issuer-reuse b.txt"], "\(found)")
        #expect(found.first?.elsewhere == ["a.txt"])
        let own = Self.report("某县统计局", 2023, topics: topics)
        #expect(try Self.lint(["a.txt": source, "b.txt": own]).found.isEmpty)
    }

    // MARK: - archive.duplicate-report and archive.missing-year

    @Test("Two versions of one report with different texts: a note on the later; two identical copies: none")
    func duplicateReport() throws {
        let one = Self.report("某市统计局", 2023, topics: Array(Self.topics[0..<4]))
        let changed = Self.report("某市统计局", 2023, topics: Array(Self.topics[0..<3]) + [Self.topics[5]])
        let (found, _) = try Self.lint(["a.txt": one, "b.txt": changed])
        #expect(found.contains(Found(rule: "archive.duplicate-report", file: "b.txt", line: 1, column: 1, elsewhere: ["a.txt"])), "\(found)")
        #expect(try Self.lint(["a.txt": one, "b.txt": one]).found.filter { $0.rule == "archive.duplicate-report" }.isEmpty)
    }

    @Test("Reports for Y−1 and Y+1 but none for Y: the Y+1 report, line 1")
    func missingYear() throws {
        // Four sentences of its own each year: the two the example report repeats every year stay under half.
        let files = ["2021.txt": Self.report("某市统计局", 2021, topics: Array(Self.topics[0..<4])),
                     "2023.txt": Self.report("某市统计局", 2023, topics: Array(Self.topics[4..<8]))]
        let (found, _) = try Self.lint(files)
        #expect(found == [Found(rule: "archive.missing-year", file: "2023.txt", line: 1, column: 1, elsewhere: ["2021.txt"])], "\(found)")
        var all = files
        all["2022.txt"] = Self.report("某市统计局", 2022, topics: Array(Self.topics[8..<12]))
        let complete = try Self.lint(all).found
        #expect(complete.isEmpty, "\(complete)")
    }

    // MARK: - Issuers, history

    @Test("A renamed body: its years are compared only when the configuration names the alias")
    func renamedBody() throws {
        let last = Self.report("某市统计局", 2022, topics: Array(Self.topics[0..<4]), table3: [Templates.rowOut: ExampleReport.row(2, 0, 0, 0, 0, 0)])
        let now = Self.report("某市统计和调查局", 2023, topics: Array(Self.topics[4..<8]), table3: [Templates.rowCarried: ExampleReport.row(3, 0, 0, 0, 0, 0)])
        #expect(try Self.lint(["2022.txt": last, "2023.txt": now]).found.isEmpty)
        let config = "issuers:\n  aliases:\n    某市统计局: 某市统计和调查局\n"
        #expect(try Self.lint(["2022.txt": last, "2023.txt": now], config: config).found.filter { $0.rule == "crossyear.carry-over" }.count == 2)
    }

    @Test("--history: last year's report compared with, not reported on; the same findings as linting both")
    func history() throws {
        let (last, now) = Self.carriedWrong
        let both = try Self.lint(["old/2022.txt": last, "new/2023.txt": now])
        let alone = try Self.lint(["old/2022.txt": last, "new/2023.txt": now], arguments: ["--history", "old"], paths: ["new"])
        #expect(!both.found.isEmpty)
        #expect(alone.found == both.found, "\(alone.found) vs \(both.found)")
        #expect(alone.found.allSatisfy { $0.file == "new/2023.txt" })
    }

    @Test("A baseline hides findings across reports however the run names the folder (their messages name the other report)")
    func baselineAcrossReports() throws {
        let (last, now) = Self.carriedWrong
        let dir = try Self.folder(["a/2022.txt": last, "a/2023.txt": now])
        let written = try reportlint(["lint", "-q", "--write-baseline", "baseline.json", "a"], in: dir, killAfter: 60)
        #expect(written.status == 0, "\(written.stderr)")
        // The same folder named three other ways: the findings are there without the baseline, hidden with it.
        for (arguments, directory, baseline) in [(["./a"], dir, "baseline.json"), (["."], dir + "/a", "../baseline.json"),
                                                 ([dir + "/a"], NSTemporaryDirectory(), dir + "/baseline.json")] {
            let plain = try reportlint(["lint", "--format", "json"] + arguments, in: directory, killAfter: 60)
            #expect(try Self.crossFindings(plain.stdout).contains { $0.rule == "crossyear.carry-over" }, "\(arguments)")
            let hidden = try reportlint(["lint", "--format", "json", "--baseline", baseline] + arguments, in: directory, killAfter: 60)
            #expect(try Self.crossFindings(hidden.stdout).isEmpty, "\(arguments) in \(directory): \(hidden.stdout.prefix(2000))")
        }
    }

    @Test("--format sqlite=FILE: reports, cells and findings; the file then stands in for the reports as --history")
    func archiveDatabase() throws {
        let (last, now) = Self.carriedWrong
        let dir = try Self.folder(["old/2022.txt": last, "new/2023.txt": now])
        let written = try reportlint(["lint", "-q", "--format", "sqlite=" + dir + "/archive.sqlite", "old"], in: dir, killAfter: 60)
        #expect(written.status == 0 || written.status == 1, "\(written.stderr)")
        let queue = try DatabaseQueue(path: dir + "/archive.sqlite")
        try queue.read { db in
            let report = try #require(try Row.fetchOne(db, sql: "SELECT issuer, report_year, kind, format_t3, digest FROM reports"))
            #expect(report["issuer"] as String? == "某市统计局")
            #expect(report["report_year"] as Int? == 2022)
            #expect(report["format_t3"] as String? == "2021")
            #expect(report["digest"] as String? != nil)
            let out = try Double.fetchOne(db, sql: "SELECT value FROM cells WHERE table_name = '三' AND row_label = ? AND column_label = '总计'",
                                          arguments: [Templates.rowOut])
            #expect(out == 2)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM cells")! > 100)
        }
        let both = try Self.lint(["old/2022.txt": last, "new/2023.txt": now])
        let fromDatabase = try reportlint(["lint", "--format", "json", "--history", dir + "/archive.sqlite", "new"], in: dir, killAfter: 60)
        let findings = try Self.crossFindings(fromDatabase.stdout)
        #expect(!findings.isEmpty)
        #expect(findings == both.found, "\(findings) vs \(both.found)")
    }

    @Test("SARIF gives the other report's column in UTF-16 code units (its columnKind), JSON in characters: two differ past 𠀀")
    func relatedColumnsInUTF16() throws {
        // The first sentence the two years share (line 2, 如有疑问…) stands after two characters outside
        // the BMP in last year's report.
        let last = Self.report("某市统计局", 2022, topics: Array(Self.topics[0..<10]), edits: [("本报告所列数据统计期限为", "𠀀𠀁。本报告所列数据统计期限为")])
        let now = Self.report("某市统计局", 2023, topics: Array(Self.topics[0..<10]))
        let dir = try Self.folder(["old/2022.txt": last, "new/2023.txt": now])
        func columns(_ arguments: [String]) throws -> (sarif: Int, json: Int) {
            let sarif = try reportlint(["lint", "--format", "sarif"] + arguments, in: dir, killAfter: 60)
            let json = try reportlint(["lint", "--format", "json"] + arguments, in: dir, killAfter: 60)
            let runs = (try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]]
            let result = try #require((runs?.first?["results"] as? [[String: Any]])?.first { $0["ruleId"] as? String == "crossyear.text-reuse" })
            let related = try #require((result["relatedLocations"] as? [[String: Any]])?.first)
            let region = (related["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
            let place = try #require(try Self.relatedPlaces(json.stdout).first { $0[0] == "crossyear.text-reuse" })
            return (region?["startColumn"] as? Int ?? 0, Int(place[3]) ?? 0)
        }
        let together = try columns(["old", "new"])
        #expect(together.sarif == together.json + 2, "\(together)")
        // Through an archive database, with last year's report gone: the digest kept both columns.
        _ = try reportlint(["lint", "-q", "--format", "sqlite=archive.sqlite", "old"], in: dir, killAfter: 60)
        try FileManager.default.removeItem(atPath: dir + "/old")
        let stored = try columns(["--history", "archive.sqlite", "new"])
        #expect(stored == together, "\(stored) vs \(together)")
    }

    @Test("A --history that cannot be read is said so and fails the run: a damaged or foreign SQLite file, a damaged digest, an undecodable report")
    func unreadableHistory() throws {
        let last = Self.report("某市统计局", 2022, topics: Array(Self.topics[0..<10]), table3: [Templates.rowOut: ExampleReport.row(2, 0, 0, 0, 0, 0)])
        let now = Self.report("某市统计局", 2023, topics: Array(Self.topics[0..<9]), table3: [Templates.rowCarried: ExampleReport.row(2, 0, 0, 0, 0, 0)])
        let dir = try Self.folder(["old/2022.txt": last, "new/2023.txt": now])
        // With --fail-on never, only a problem with an input can fail the run.
        #expect(try reportlint(["lint", "-q", "--fail-on", "never", "--history", "old", "new"], in: dir, killAfter: 60).status == 0)
        func problems(_ history: String) throws -> (status: Int32, problems: [[String: String]]) {
            let run = try reportlint(["lint", "--format", "json", "--fail-on", "never", "--history", history, "new"], in: dir, killAfter: 60)
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            let found = (object?["files"] as? [[String: Any]] ?? []).flatMap { file in
                (file["problems"] as? [[String: Any]] ?? []).map { ["path": file["path"] as? String ?? "", "id": $0["id"] as? String ?? "",
                                                                   "message": $0["message"] as? String ?? ""] }
            }
            return (run.status, found)
        }
        try Data("SQLite format 3\u{0}".utf8 + [UInt8](repeating: 0x5A, count: 200)).write(to: URL(fileURLWithPath: dir + "/damaged.sqlite"))
        let foreign = try DatabaseQueue(path: dir + "/foreign.sqlite")
        try foreign.write { try $0.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')") }
        for name in ["damaged.sqlite", "foreign.sqlite"] {
            let (status, found) = try problems(name)
            #expect(status == 1)
            #expect(found.contains { $0["path"] == name && $0["id"] == "io.unreadable" && $0["message"]!.contains("--history") }, "\(found)")
        }
        // A database whose digest of one report is damaged: the others are compared, the damaged one is counted.
        _ = try reportlint(["lint", "-q", "--format", "sqlite=archive.sqlite", "old"], in: dir, killAfter: 60)
        let archive = try DatabaseQueue(path: dir + "/archive.sqlite")
        try archive.write { try $0.execute(sql: "UPDATE reports SET digest = '{\"issuer\": 7}'") }
        let (status, found) = try problems("archive.sqlite")
        #expect(status == 1)
        #expect(found.contains { $0["path"] == "archive.sqlite" && $0["message"]!.contains("1 个报告的摘要无法读取") }, "\(found)")
        // A database whose digests were made another way (a later version of the fingerprints).
        _ = try reportlint(["lint", "-q", "--format", "sqlite=later.sqlite", "old"], in: dir, killAfter: 60)
        try DatabaseQueue(path: dir + "/later.sqlite").write { try $0.execute(sql: "PRAGMA user_version = 99") }
        let later = try problems("later.sqlite")
        #expect(later.status == 1)
        #expect(later.problems.contains { $0["path"] == "later.sqlite" && $0["message"]!.contains("第 99 版") }, "\(later.problems)")
        // A history folder with a report that cannot be decoded.
        try Data([0xFF, 0xFE, 0x00, 0xD8]).write(to: URL(fileURLWithPath: dir + "/old/2021.txt"))
        let folder = try problems("old")
        #expect(folder.status == 1)
        #expect(folder.problems.contains { $0["path"] == "old/2021.txt" && $0["id"] == "io.decode" }, "\(folder.problems)")
    }

    /// The related places of the rules across reports in JSON output: (rule, related path, line, column).
    static func relatedPlaces(_ stdout: String) throws -> Set<[String]> {
        var out = Set<[String]>()
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
        for file in object?["files"] as? [[String: Any]] ?? [] {
            for f in file["findings"] as? [[String: Any]] ?? [] {
                guard let rule = f["ruleId"] as? String, rule.hasPrefix("crossyear.") || rule.hasPrefix("archive.") else { continue }
                for r in f["related"] as? [[String: Any]] ?? [] {
                    out.insert([rule, r["path"] as? String ?? "", "\(r["line"] as? Int ?? 0)", "\(r["column"] as? Int ?? 0)"])
                }
            }
        }
        return out
    }

    @Test("--history with a database whose reports are gone: last year's cells are still located (the digest keeps their lines)")
    func databaseLocatesWithoutTheReports() throws {
        // Table 三's row 四 stands below line 1, so a place left unlocated (line 1) tells.
        let (last, now) = Self.carriedWrong
        let dir = try Self.folder(["old/2022.txt": last, "new/2023.txt": now])
        let together = try reportlint(["lint", "--format", "json", "old", "new"], in: dir, killAfter: 60)
        let expected = try Self.relatedPlaces(together.stdout).filter { $0[1] == "old/2022.txt" }
        #expect(expected.contains { $0[0] == "crossyear.carry-over" && Int($0[2])! > 1 }, "\(expected)")
        let written = try reportlint(["lint", "-q", "--format", "sqlite=" + dir + "/archive.sqlite", "old"], in: dir, killAfter: 60)
        #expect(written.status == 0 || written.status == 1, "\(written.stderr)")
        try FileManager.default.removeItem(atPath: dir + "/old")
        let fromDatabase = try reportlint(["lint", "--format", "json", "--history", dir + "/archive.sqlite", "new"], in: dir, killAfter: 60)
        #expect(try Self.relatedPlaces(fromDatabase.stdout) == expected, "\(fromDatabase.stdout)")
    }
}
