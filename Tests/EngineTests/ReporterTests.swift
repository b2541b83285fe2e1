import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Output formats, baselines and standard input (issue: reporters and CI gating).
struct ReporterTests {
    func copyExamples() throws -> String {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: packageRoot + "/Examples", toPath: dir + "/reports")
        try? FileManager.default.removeItem(atPath: dir + "/reports/ci")
        return dir
    }

    @Test func severalFormatsInOneRun() throws {
        let dir = try copyExamples()
        let result = try reportlint(["lint", "--format", "json=out.json", "--format", "junit=out.xml", "--format", "sarif=out.sarif", "--format", "github",
                                     "reports"], in: dir)
        #expect(result.status == 1)
        // github: workflow commands, one per finding.
        let commands = result.stdout.split(separator: "\n")
        #expect(commands.count == 15)
        #expect(commands.contains { $0.hasPrefix("::error file=reports/2023/zhuzhou-sfj-2023-arithmetic.txt,line=85,col=2,") && $0.contains("title=table.balance::") })
        #expect(commands.contains { $0.hasPrefix("::warning file=reports/2022/hengyang-jyj-2022-structure.txt,line=17,col=1,") })
        // json: the documented schema.
        let json = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: dir + "/out.json"))) as? [String: Any])
        #expect(json["schema"] as? String == "reportlint-json" && json["version"] as? Int == 1)
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == 5)
        let arithmetic = try #require(files.first { ($0["path"] as? String)?.hasSuffix("arithmetic.txt") == true })
        let findings = try #require(arithmetic["findings"] as? [[String: Any]])
        #expect(findings.first?["ruleId"] as? String == "table.balance")
        #expect(findings.first?["line"] as? Int == 85)
        #expect((json["summary"] as? [String: Any])?["errors"] as? Int == 9)
        // junit: valid XML, a test case per report, a failure per error (--fail-on error), the 6
        // warnings as output.
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: dir + "/out.xml")))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse(), "junit output is well-formed XML")
        #expect(counter.counts["testcase"] == 5)
        #expect(counter.counts["failure"] == 9)
        #expect(counter.counts["system-out"] == 2)
    }

    @Test func junitEscapesAndReportsUnreadableFiles() throws {
        let dir = try temporaryDirectory()
        FileManager.default.createFile(atPath: dir + "/a&b.txt", contents: Data([0x80, 0xFF, 0xFE, 0x30, 0x81, 0xC0]))
        let result = try reportlint(["lint", "--format", "junit", "."], in: dir)
        let parser = XMLParser(data: Data(result.stdout.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse())
        #expect(counter.counts["error"] == 1)
        #expect(result.stdout.contains("name=\"a&amp;b.txt\""))
    }

    @Test func baselineRoundTrip() throws {
        let dir = try copyExamples()
        let write = try reportlint(["lint", "--write-baseline", "baseline.json", "reports"], in: dir)
        #expect(write.status == 0, "writing a baseline succeeds")
        let again = try reportlint(["lint", "--baseline", "baseline.json", "--format", "sarif", "reports"], in: dir)
        #expect(again.status == 0)
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [Any])?.count == 0)
        // Lines move above the findings of one report; the phone number of a clean one breaks.
        let moved = dir + "/reports/2023/zhuzhou-sfj-2023-arithmetic.txt"
        var text = try String(contentsOfFile: moved, encoding: .utf8)
        text = text.replacingOccurrences(of: "\n\n", with: "\n\n　　这是插入的一段说明。\n\n", options: [], range: text.range(of: "\n\n"))
        try text.write(toFile: moved, atomically: true, encoding: .utf8)
        let clean = dir + "/reports/2019/xiangtan-tjj-2019-clean.txt"
        try String(contentsOfFile: clean, encoding: .utf8).replacingOccurrences(of: "0731-5676811", with: "0731-56768")
            .write(toFile: clean, atomically: true, encoding: .utf8)
        let after = try reportlint(["lint", "--baseline", "baseline.json", "reports"], in: dir)
        #expect(findingKeys(after.stdout) == ["3 contact.phone"], "\(after.stdout)")
        #expect(after.stdout.contains("15 个已在基线中的问题未显示"))
        #expect(after.status == 0, "a warning does not fail at the default --fail-on error")
    }

    @Test func standardInputLintsAsTheNamedFile() throws {
        let file = packageRoot + "/Examples/2023/zhuzhou-sfj-2023-arithmetic.txt"
        let viaFile = try reportlint(["lint", "--format", "sarif", "x/report.txt"], in: try {
            let dir = try temporaryDirectory()
            try FileManager.default.createDirectory(atPath: dir + "/x", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: file, toPath: dir + "/x/report.txt")
            return dir
        }())
        let viaStdin = try reportlint(["lint", "--format", "sarif", "--stdin-filename", "x/report.txt", "-"], in: try temporaryDirectory(),
                                      stdin: try Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(viaStdin.status == 1)
        func results(_ text: String) throws -> [String] {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let results = try #require((json["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
            return results.map { r in
                let location = (r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
                let uri = (location?["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
                let line = (location?["region"] as? [String: Any])?["startLine"] as? Int ?? 0
                return "\(uri):\(line) \(r["ruleId"] as? String ?? "")"
            }
        }
        let expected = try results(viaFile.stdout)
        #expect(expected.count == 9)
        #expect(try results(viaStdin.stdout) == expected)
        #expect(try reportlint(["lint", "-"]).status == 2, "`-` without --stdin-filename is a usage error")
    }

    @Test func fingerprintsSurviveLinesMoving() throws {
        let dir = try copyExamples()
        func fingerprints() throws -> [String] {
            let out = try reportlint(["lint", "--format", "sarif", "reports/2023/zhuzhou-sfj-2023-arithmetic.txt"], in: dir).stdout
            let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            let results = try #require((json["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
            return results.compactMap { ($0["partialFingerprints"] as? [String: String])?["reportlint/v1"] }
        }
        let before = try fingerprints()
        let path = dir + "/reports/2023/zhuzhou-sfj-2023-arithmetic.txt"
        try ("说明文字。\n\n" + String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try fingerprints() == before)
        #expect(Set(before).count == before.count, "distinct findings have distinct fingerprints")
    }

    /// The generated archive of the issue: valid SARIF, every file an artifact, fingerprints and help.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: sharedRoot + "/tools/gen-archive"), "needs ../shared/tools/gen-archive"))
    func sarifOfAGeneratedArchive() throws {
        let generator = sharedRoot + "/tools/gen-archive"
        let dir = try temporaryDirectory()
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: generator)
        gen.arguments = ["--out", dir + "/a", "--count", "600", "--defect-rate", "0.5", "--seed", "ci"]
        gen.standardOutput = FileHandle.nullDevice
        gen.standardError = FileHandle.nullDevice
        gen.standardInput = FileHandle.nullDevice
        try gen.run()
        gen.waitUntilExit()
        let result = try reportlint(["lint", "--format", "sarif=out.sarif", "a"], in: dir)
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out.sarif"))) as? [String: Any])
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        #expect((run["artifacts"] as? [Any])?.count == 600)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.allSatisfy { ($0["partialFingerprints"] as? [String: String])?.isEmpty == false })
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.allSatisfy { $0["help"] != nil && $0["helpUri"] != nil })
        let (status, output) = try validateSARIF(dir + "/out.sarif")
        #expect(status == 0 && output.contains("0 errors"), "\(output)")
    }

    @Test func ciExamplesAreConsistent() throws {
        let workflow = try String(contentsOfFile: packageRoot + "/Examples/ci/github-workflow.yml", encoding: .utf8)
        #expect(workflow.contains("--format sarif=reportlint.sarif --format github"))
        #expect(workflow.contains("upload-sarif"))
        let hooks = try String(contentsOfFile: packageRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)
        #expect(hooks.contains("entry: reportlint lint"))
        // The flags the examples use exist.
        let help = try reportlint(["lint", "--help"]).stdout
        for flag in ["--format", "--fail-on", "--baseline", "--write-baseline", "--stdin-filename"] { #expect(help.contains(flag)) }
    }
}

final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
}
