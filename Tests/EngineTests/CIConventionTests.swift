import Foundation
import Testing

/// Conventions a CI job relies on (issue 18, point 6).
struct CIConventionTests {
    @Test("Overlapping paths (a folder, a file in it, the folder again) lint each file once")
    func overlappingPathsLintEachFileOnce() throws {
        let folder = packageRoot + "/Examples/2023"
        let result = try reportlint(["lint", "--format", "json", "--fail-on", "never", folder, folder + "/changsha-rmzf-2023-clean.txt", folder + "/"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // Each file once (a follow-up entry holds a file's findings across reports, not the file again).
        let paths = (json["files"] as? [[String: Any]] ?? []).filter { $0["followUp"] == nil }.compactMap { $0["path"] as? String }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }
        #expect(paths.count == files.count, "\(paths)")
        #expect(Set(paths.map { URL(fileURLWithPath: $0).lastPathComponent }) == Set(files))
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == files.count)
    }

    @Test("--write-baseline records the findings and exits 0; the baseline then hides them")
    func writingABaselineSucceeds() throws {
        let dir = try temporaryDirectory()
        let written = try reportlint(["lint", "-q", "--write-baseline", dir + "/baseline.json", packageRoot + "/Examples/2023"])
        #expect(written.status == 0, "\(written.stderr)")
        let again = try reportlint(["lint", "-q", "--baseline", dir + "/baseline.json", packageRoot + "/Examples/2023"])
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test("JUnit: one test case per report, a file's findings across reports in its own case")
    func junitHasOneCasePerReport() throws {
        let folder = packageRoot + "/Examples/2023"
        let result = try reportlint(["lint", "--format", "junit", "--fail-on", "never", folder])
        let reports = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }
        #expect(result.stdout.components(separatedBy: "<testcase ").count - 1 == reports.count, "\(result.stdout)")
        // The two examples share their prose: the later one's archive.cross-issuer-reuse is inside its case.
        #expect(result.stdout.contains("archive.cross-issuer-reuse"))
    }

    @Test("JUnit: a failure only for findings at or above --fail-on; the others as the case's system-out")
    func junitFailuresFollowFailOn() throws {
        let report = packageRoot + "/Examples/2022/hengyang-jyj-2022-structure.txt"  // 3 errors, 3 warnings
        let errorsOnly = try reportlint(["lint", "--format", "junit", report])
        #expect(errorsOnly.stdout.contains("failures=\"3\""), "\(errorsOnly.stdout)")
        #expect(errorsOnly.stdout.components(separatedBy: "<failure ").count - 1 == 3)
        #expect(errorsOnly.stdout.contains("<system-out>") && errorsOnly.stdout.contains(": warning: "))
        let warnings = try reportlint(["lint", "--format", "junit", "--fail-on", "warning", report])
        #expect(warnings.stdout.contains("failures=\"6\"") && !warnings.stdout.contains("<system-out>"))
        // --fail-on never: a green job with no failure at all.
        let never = try reportlint(["lint", "--format", "junit", "--fail-on", "never", report])
        #expect(never.status == 0 && never.stdout.contains("failures=\"0\"") && !never.stdout.contains("<failure "))
    }

    /// A repository with reports below `reports/`: the examples of 2023.
    static func repository() throws -> String {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/reports", withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/Examples/2023") where name.hasSuffix(".txt") {
            try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2023/" + name, toPath: dir + "/reports/" + name)
        }
        return dir
    }

    @Test("A baseline names files relative to itself: written in one folder, it works when run from another")
    func baselinePathsRelativeToTheBaseline() throws {
        let repo = try Self.repository()
        let written = try reportlint(["lint", "-q", "--write-baseline", "baseline.json", "reports"], in: repo)
        #expect(written.status == 0, "\(written.stderr)")
        let baseline = try String(contentsOfFile: repo + "/baseline.json", encoding: .utf8)
        #expect(baseline.contains("\"reports/"), "\(baseline.prefix(400))")
        // From inside reports/, and from outside the repository with an absolute path: all hidden.
        let inside = try reportlint(["lint", "--baseline", "../baseline.json", "."], in: repo + "/reports")
        #expect(inside.status == 0, "\(inside.stdout)")
        let outside = try reportlint(["lint", "--baseline", repo + "/baseline.json", repo + "/reports"], in: NSTemporaryDirectory())
        #expect(outside.status == 0, "\(outside.stdout)")
    }

    @Test("Baseline entries that match no finding of the run are counted in the summary")
    func unmatchedBaselineEntriesAreCounted() throws {
        let repo = try Self.repository()
        _ = try reportlint(["lint", "-q", "--write-baseline", "baseline.json", "reports"], in: repo)
        let data = try Data(contentsOf: URL(fileURLWithPath: repo + "/baseline.json"))
        let entries = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["entries"] as? [[String: Any]])
        let names = try FileManager.default.contentsOfDirectory(atPath: repo + "/reports").sorted()
        let other = entries.filter { ($0["file"] as? String) == "reports/" + names[1] }.count
        #expect(other > 0)
        // Lint only the first report: the second's entries match nothing.
        let run = try reportlint(["lint", "--format", "json", "--baseline", "baseline.json", "reports/" + names[0]], in: repo)
        let summary = try #require((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["summary"] as? [String: Any])
        #expect(summary["baselineUnmatched"] as? Int == other)
        let human = try reportlint(["lint", "--baseline", "baseline.json", "reports/" + names[0]], in: repo)
        #expect(human.stdout.contains("基线中 \(other) 个条目没有匹配到问题"), "\(human.stdout)")
    }

    @Test("--force-exclude: files named on the command line obey exclude, include and .reportlintignore")
    func forceExclude() throws {
        let repo = try Self.repository()
        let report = try String(contentsOfFile: packageRoot + "/Examples/2023/changsha-rmzf-2023-clean.txt", encoding: .utf8)
        try FileManager.default.createDirectory(atPath: repo + "/drafts", withIntermediateDirectories: true)
        try "本仓库存放年度报告。\n".write(toFile: repo + "/README.txt", atomically: true, encoding: .utf8)
        try report.write(toFile: repo + "/drafts/draft.txt", atomically: true, encoding: .utf8)
        try "exclude: [\"drafts/**\"]\n".write(toFile: repo + "/.reportlint.yml", atomically: true, encoding: .utf8)
        try "README.txt\n".write(toFile: repo + "/.reportlintignore", atomically: true, encoding: .utf8)
        let names = ["README.txt", "drafts/draft.txt", "reports/changsha-rmzf-2023-clean.txt"]
        func linted(_ extra: [String]) throws -> [String] {
            let run = try reportlint(["lint", "--format", "json", "--fail-on", "never"] + extra + names, in: repo)
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            return (json["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        }
        #expect(try linted([]).count == 3, "named files are linted without --force-exclude")
        #expect(try linted(["--force-exclude"]) == ["reports/changsha-rmzf-2023-clean.txt"])
        // The pre-commit hook passes it.
        let hook = try String(contentsOfFile: packageRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)
        #expect(hook.contains("--force-exclude"))
    }

    @Test("Usage errors are English, with \"did you mean\" for a mistyped rule id (CONTRIBUTING: language of messages)")
    func usageErrorsAreEnglish() throws {
        let explain = try reportlint(["explain", "table.balanse"])
        #expect(explain.status != 0)
        #expect(explain.stderr.contains("unknown rule id 'table.balanse'; did you mean 'table.balance'?"), "\(explain.stderr)")
        let select = try reportlint(["lint", "--select", "zero.representaton", packageRoot + "/Examples/2023"])
        #expect(select.stderr.contains("did you mean 'zero.representation'?"), "\(select.stderr)")
        // No usage error of the command line is written in Chinese.
        let commands = packageRoot + "/Sources/ReportLintCLI"
        let files = FileManager.default.enumerator(atPath: commands)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOfFile: commands + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("ValidationError(\"") {
                #expect(!line.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(file): \(line)")
            }
        }
    }
}
