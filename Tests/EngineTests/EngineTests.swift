import Foundation
import LintEngine
import RuleKit
import Testing

struct ExampleReportTests {
    /// A bundled report (Examples/, so it runs everywhere) gives the same findings in every encoding
    /// and line-end style as in UTF-8 with line feeds: among them structure.heading-numbering and
    /// structure.required-section on line 17 and the YAML rule content.fee-statement on line 398.
    static let bundledReport = packageRoot + "/Examples/2022/hengyang-jyj-2022-structure.txt"
    static let bundledKeys: [String] = {
        let keys = (try? reportlint(["lint", bundledReport]).stdout).map(findingKeys) ?? []
        return keys.filter { !$0.contains("contact.") && !$0.contains("date.") }
    }()

    @Test func theBundledReportHasItsKnownFindings() {
        for key in ["17 structure.heading-numbering", "17 structure.required-section", "398 content.fee-statement"] {
            #expect(Self.bundledKeys.contains(key), "\(Self.bundledKeys)")
        }
    }

    @Test(arguments: ["utf-8", "gb18030", "utf-16le-bom", "utf-8-bom-crlf", "cr"])
    func exampleReportInEveryEncoding(_ variant: String) throws {
        let original = try #require(FileManager.default.contents(atPath: Self.bundledReport))
        let text = String(decoding: original, as: UTF8.self)
        var bytes: [UInt8]
        switch variant {
        case "gb18030": bytes = try #require(gb18030(text))
        case "utf-16le-bom": bytes = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case "utf-8-bom-crlf": bytes = [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        case "cr": bytes = Array(text.replacingOccurrences(of: "\n", with: "\r").utf8)
        default: bytes = Array(original)
        }
        let dir = try temporaryDirectory()
        let path = dir + "/report-\(variant).txt"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let result = try reportlint(["lint", path])
        let keys = findingKeys(result.stdout).filter { !$0.contains("contact.") && !$0.contains("date.") }
        #expect(!Self.bundledKeys.isEmpty)
        #expect(keys == Self.bundledKeys, "\(variant): \(result.stdout)")
        #expect(result.status == 1, "the report has errors")
        #expect(FileManager.default.contents(atPath: path) == Data(bytes), "the tool never writes to what it reads")
    }

    func gb18030(_ text: String) -> [UInt8]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        guard (try? process.run()) != nil else { return nil }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    @Test(.enabled(if: hasShared, "needs ../shared/corpus/real")) func realTextLayers() throws {
        let corpus = sharedRoot + "/corpus/real/"
        let core = ["structure.", "table.", "zero.representation"]
        func keys(_ file: String) throws -> [String] {
            findingKeys(try reportlint(["lint", corpus + file]).stdout).filter { key in core.contains { key.contains($0) } }
        }
        // None of the three is signed: the text ends with section 六 and a page number (truth/00N.json: no publication date).
        #expect(try keys("002-huaian-hongzequ-2023.txt") == ["56 structure.format-version", "109 table.review-total", "109 table.review-total",
                                                             "125 structure.signature"])
        // 003's prose says 受理…申请 17 件 while its table has 95: flagged for review (truth/003.json notes it).
        #expect(try keys("003-huaian-hongzequ-2024.txt") == ["24 table.text-mismatch", "57 structure.format-version", "128 structure.signature"])
        #expect(try keys("004-huaian-shizhengfu-2024.txt") == ["149 structure.signature"])
    }
}

struct BundledExamplesTests {
    /// The Examples/ archive README's quick start lints: each report's findings, pinned.
    @Test func examplesArchive() throws {
        let result = try reportlint(["lint", "--jobs", "2", "Examples"], in: packageRoot)
        let byFile = Dictionary(grouping: result.stdout.split(separator: "\n").filter { $0.hasPrefix("Examples/") && $0.hasSuffix("]") }) {
            String($0.split(separator: ":")[0])
        }.mapValues { findingKeys($0.joined(separator: "\n")) }
        #expect(byFile["Examples/2019/xiangtan-tjj-2019-clean.txt"] == nil)
        #expect(byFile["Examples/2023/changsha-rmzf-2023-clean.txt"] == nil)
        #expect(byFile["Examples/2020/yueyang-zjj-2020-gbk.txt"] == nil)
        #expect(byFile["Examples/2022/hengyang-jyj-2022-structure.txt"] == [
            "17 structure.heading-numbering", "17 structure.required-section", "19 structure.format-version", "92 structure.format-version",
            // The headings of 五 and 六 are swapped, so the fee statement stands under 五.
            "398 content.fee-statement", "402 structure.section-order",
        ])
        #expect(byFile["Examples/2023/zhuzhou-sfj-2023-arithmetic.txt"] == [
            "85 table.balance", "91 table.balance", "110 table.row-total", "125 table.non-numeric", "257 zero.representation",
            "258 zero.representation", "259 zero.representation", "339 table.result-total", "383 table.review-total",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("检查了 5 个文件"))
    }
}

struct ExitStatusTests {
    @Test func cleanReportExitsZero() throws {
        let result = try reportlint(["lint", "Examples/2019/xiangtan-tjj-2019-clean.txt"], in: packageRoot)
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test func errorsExitOneUnlessFailOnNever() throws {
        let file = "Examples/2023/zhuzhou-sfj-2023-arithmetic.txt"
        #expect(try reportlint(["lint", file], in: packageRoot).status == 1)
        #expect(try reportlint(["lint", "--fail-on", "never", file], in: packageRoot).status == 0)
    }

    @Test func failOnWarningCountsWarnings() throws {
        let dir = try temporaryDirectory()
        let text = try #require(FileManager.default.contents(atPath: packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt"))
        let edited = String(decoding: text, as: UTF8.self).replacingOccurrences(of: "二、主动公开政府信息情况", with: "主动公开政府信息情况")
        _ = FileManager.default.createFile(atPath: dir + "/r.txt", contents: Data(edited.utf8))
        #expect(try reportlint(["lint", "--fail-on", "warning", dir + "/r.txt"]).status == 1)
        #expect(try reportlint(["lint", "--fail-on", "error", dir + "/r.txt"]).status == 0)
    }

    @Test func usageErrorsExitTwo() throws {
        let result = try reportlint(["lint", "--no-such-flag", "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--no-such-flag"))
        #expect(try reportlint(["lint", "--fail-on", "sometimes", "x"]).status == 2)
    }

    @Test func badInputNeverVanishes() throws {
        let dir = try temporaryDirectory()
        _ = FileManager.default.createFile(atPath: dir + "/broken.txt", contents: Data([0x80, 0xFF, 0xFE, 0x30, 0x81, 0xC0]))
        _ = FileManager.default.createFile(atPath: dir + "/picture.png", contents: Data([0x89, 0x50, 0x4E, 0x47]))
        let result = try reportlint(["lint", dir, dir + "/missing.txt"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("broken.txt: error:") && result.stdout.contains("[io.decode]"))
        #expect(result.stdout.contains("missing.txt: error:") && result.stdout.contains("[io.unreadable]"))
        #expect(result.stdout.contains("跳过 1 个非报告文件"))
        let explicit = try reportlint(["lint", dir + "/picture.png"])
        #expect(explicit.status == 1)
        #expect(explicit.stdout.contains("[io.unsupported]"))
    }
}

struct HumanOutputTests {
    @Test func caretIsAlignedForWideCharacters() throws {
        let dir = try temporaryDirectory()
        let text = try #require(FileManager.default.contents(atPath: packageRoot + "/Examples/2023/zhuzhou-sfj-2023-arithmetic.txt"))
        _ = FileManager.default.createFile(atPath: dir + "/r.txt", contents: text)
        let result = try reportlint(["lint", "r.txt"], in: dir)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("r.txt:125:2: error:") && $0.hasSuffix("[table.non-numeric]") })
        #expect(lines[header + 1] == " 125 |     若干")
        #expect(lines[header + 2] == "     |     ^^^^", "two double-width characters take four columns after a TAB shown as four spaces")
        #expect(!result.stdout.contains("\u{1B}["), "no colour when standard output is not a terminal")
    }

    @Test func summaryCountsBySeverity() throws {
        let result = try reportlint(["lint", "Examples/2022/hengyang-jyj-2022-structure.txt"], in: packageRoot)
        #expect(result.stdout.hasSuffix("检查了 1 个文件：3 个错误，3 个警告，0 个提示；0 个文件无问题，1 个文件有错误\n"))
    }
}

struct SARIFOutputTests {
    @Test func sarifBasics() throws {
        let result = try reportlint(["lint", "--format", "sarif", "Examples"], in: packageRoot)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["version"] as? String == "2.1.0")
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "utf16CodeUnits")
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 15)
        for r in results {
            let index = try #require(r["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == r["ruleId"] as? String)
            let location = try #require((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let uri = try #require((location["artifactLocation"] as? [String: Any])?["uri"] as? String)
            #expect(uri.hasPrefix("Examples/"), "relative to the working directory")
            let region = try #require(location["region"] as? [String: Any])
            #expect((region["startLine"] as? Int ?? 0) > 0 && (region["startColumn"] as? Int ?? 0) > 0)
            #expect((r["partialFingerprints"] as? [String: String])?.isEmpty == false)
        }
        #expect((run["artifacts"] as? [Any])?.count == 5)
        let again = try reportlint(["lint", "--format", "sarif", "Examples"], in: packageRoot)
        #expect(again.stdout == result.stdout, "deterministic output")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: sharedRoot + "/sarif/validate-sarif"), "needs ../shared/sarif/validate-sarif"))
    func sarifValidatesAgainstTheSchema() throws {
        let dir = try temporaryDirectory()
        let result = try reportlint(["lint", "--format", "sarif", "--output", dir + "/out.sarif", "Examples"], in: packageRoot)
        #expect(result.status == 1)
        let (status, output) = try validateSARIF(dir + "/out.sarif")
        #expect(status == 0, "\(output)")
    }
}
