import Foundation
import Testing

/// YAML rules and configuration from the command line: test-rules, positioned config errors,
/// embedded packs, the regex time budget.
struct RuleConfigTests {
    @Test func testRulesPassesOnTheRepositoryPacks() throws {
        let result = try reportlint(["test-rules", "Rules"], in: packageRoot)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains(" 项通过，0 项失败"))
    }

    /// A run that tests nothing fails (exit 2, said why): a typo in a CI job's path must not stay green.
    @Test func testRulesOnNothingIsAUsageError() throws {
        let missing = try reportlint(["test-rules", "/no/such/path"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("does not exist"), "\(missing.stderr)")
        let empty = try reportlint(["test-rules", try temporaryDirectory()])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("nothing to test"), "\(empty.stderr)")
        #expect(!empty.stdout.contains("0 项通过，0 项失败"))
    }

    /// `--select` and `--ignore` (ids or globs) give exactly the full run's findings of the rules they
    /// leave; a glob in the configuration's `rules:` works the same; a pattern that matches nothing is an error.
    @Test func selectIgnoreAndGlobsInTheConfiguration() throws {
        func rules(_ arguments: [String], config: String? = nil) throws -> [String] {
            let dir = try temporaryDirectory()
            for name in ["zhuzhou-sfj-2023-arithmetic.txt", "changsha-rmzf-2023-clean.txt"] {
                try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2023/" + name, toPath: dir + "/" + name)
            }
            if let config { try config.write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8) }
            let result = try reportlint(["lint", "--format", "json", "--fail-on", "never"] + arguments + ["."], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (json?["files"] as? [[String: Any]] ?? []).flatMap { file in
                (file["findings"] as? [[String: Any]] ?? []).map { "\(file["path"] ?? "") \($0["line"] ?? 0):\($0["column"] ?? 0) \($0["ruleId"] ?? "")" }
            }.sorted()
        }
        let all = try rules([])
        let tables = all.filter { $0.contains(" table.") && !$0.hasSuffix(" table.balance") }
        #expect(!tables.isEmpty && tables.count < all.count)
        #expect(try rules(["--select", "table.*", "--ignore", "table.balance"]) == tables)
        #expect(try rules(["--ignore", "zero.representation"]) == all.filter { !$0.hasSuffix(" zero.representation") })
        #expect(try rules([], config: "rules:\n  \"table.*\": off\n  table.balance: error\n")
                    == all.filter { !$0.contains(" table.") || $0.hasSuffix(" table.balance") })
        let unknown = try reportlint(["lint", "--select", "tabel.balance", packageRoot + "/Examples/2023"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("table.balance"), "\(unknown.stderr)")
    }

    @Test func aWrongExpectationFailsWithAReadableDiff() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: packageRoot + "/Rules/hunan-huaihua", toPath: dir + "/pack")
        let fixture = dir + "/pack/tests/huaihua-tjj-2021.test.txt"
        let text = try String(contentsOfFile: fixture, encoding: .utf8)
        try text.replacingOccurrences(of: "ruleid: hunan.huaihua.publication-deadline", with: "ok: hunan.huaihua.publication-deadline")
            .write(toFile: fixture, atomically: true, encoding: .utf8)
        let result = try reportlint(["test-rules", dir])
        #expect(result.status == 1)
        #expect(result.stdout.contains("huaihua-tjj-2021.test.txt:407: 不应报告 hunan.huaihua.publication-deadline"), "\(result.stdout)")
        // A known gap does not fail the run.
        try text.replacingOccurrences(of: "ruleid: hunan.huaihua.publication-deadline", with: "todook: hunan.huaihua.publication-deadline")
            .write(toFile: fixture, atomically: true, encoding: .utf8)
        let todo = try reportlint(["test-rules", dir])
        #expect(todo.status == 0, "\(todo.stdout)")
        #expect(todo.stdout.contains("待办："))
    }

    /// Appending a mistake to any rule file gives exit 2, the file's name and the line of the mistake.
    @Test(arguments: [
        ("bogus_key: 1\n", "未知的键“bogus_key”"),
        ("examples: [\n", "YAML 语法错误"),
        ("severity: loud\n", nil),
    ] as [(String, String?)])
    func mistakesInRuleFilesArePositioned(_ appended: String, _ expected: String?) throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: packageRoot + "/Rules/national", toPath: dir + "/national")
        for relative in ["contact/phone.yml", "date/format.yml", "zero/narrative.yml"] {
            let file = dir + "/national/" + relative
            let original = try String(contentsOfFile: file, encoding: .utf8)
            let lineOfMistake = original.split(separator: "\n", omittingEmptySubsequences: false).count
            try (original + appended).write(toFile: file, atomically: true, encoding: .utf8)
            let result = try reportlint(["lint", "--rules", dir + "/national", packageRoot + "/Examples"])
            #expect(result.status == 2)
            #expect(result.stderr.contains("\(file):\(lineOfMistake):"), "\(relative): \(result.stderr)")
            #expect(result.stderr.contains("[config.invalid]"))
            if let expected { #expect(result.stderr.contains(expected)) }
            #expect(result.stdout.isEmpty, "nothing is linted before the rules load")
            try original.write(toFile: file, atomically: true, encoding: .utf8)
        }
    }

    @Test(arguments: [
        ("id: x.y\nkind: teleport\nseverity: error\nsummary: s\n", 2, "未知的规则类型“teleport”"),
        ("id: x.y\nkind: pattern\nseverity: error\nsummary: s\nforbid: ['(unclosed']\nregex: true\n", 5, "正则表达式无法编译"),
        ("id: x.y\nkind: identity\nseverity: error\nsummary: s\ntable: 三\nfor_each: column\nleft: [一, 五、不存在的行]\nright: [四]\n", 7, "没有名为“五、不存在的行”的行"),
        ("id: x.y\nkind: contact\nseverity: error\nsummary: s\nfields: phone\ncheck: phone\nmessage: \"{nope}\"\n", 7, "占位符“{nope}”"),
        ("id: x.y\nkind: date\nseverity: [error]\nsummary: s\ncheck: valid\n", 3, "字符串"),
    ] as [(String, Int, String)])
    func ruleFileValidation(_ text: String, _ line: Int, _ expected: String) throws {
        let dir = try temporaryDirectory()
        try text.write(toFile: dir + "/rule.yml", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "--rules", dir + "/rule.yml", packageRoot + "/Examples/2019"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("rule.yml:\(line):"), "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func configFileIsFoundUpwardsAndValidated() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/archive/2023", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2023/zhuzhou-sfj-2023-arithmetic.txt", toPath: dir + "/archive/2023/r.txt")
        try """
        rules:
          table.balance: off
          zero.representation: error
        overrides:
          - files: ["2023/**"]
            rules: {table.review-total: note}
        """.write(toFile: dir + "/archive/.reportlint.yml", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "archive/2023"], in: dir)
        let keys = findingKeys(result.stdout)
        #expect(!keys.contains { $0.hasSuffix("table.balance") })
        #expect(result.stdout.contains("error: 表三“2.重复申请”行“自然人”列用“-”表示零"))
        #expect(result.stdout.contains("note: 表四“行政复议”"))
        try "rules:\n  table.balance: sometimes\nextra: 1\n".write(toFile: dir + "/archive/.reportlint.yml", atomically: true, encoding: .utf8)
        let bad = try reportlint(["lint", "archive"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(".reportlint.yml:2:18: error:"), "\(bad.stderr)")
    }

    @Test func excludeAndIgnoreFile() throws {
        let dir = try temporaryDirectory()
        for name in ["a.txt", "drafts/b.txt", "old/c.txt"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + (name as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt", toPath: dir + "/" + name)
        }
        try "exclude: [\"drafts/**\"]\n".write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        try "# not reports\nold/\n".write(toFile: dir + "/.reportlintignore", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "."], in: dir)
        #expect(result.stdout.contains("检查了 1 个文件"), "\(result.stdout)")
    }

    @Test func initWritesAStarterThatLoads() throws {
        let dir = try temporaryDirectory()
        #expect(try reportlint(["init", "--directory", dir]).status == 0)
        #expect(try reportlint(["init", "--directory", dir]).status == 2, "does not overwrite")
        try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt", toPath: dir + "/r.txt")
        #expect(try reportlint(["lint", dir]).status == 0)
    }

    @Test func provincialPackFromConfig() throws {
        let dir = try temporaryDirectory()
        let fixture = try String(contentsOfFile: packageRoot + "/Rules/hunan-huaihua/tests/huaihua-tjj-2021.test.txt", encoding: .utf8)
        let report = fixture.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("<!--") }.joined(separator: "\n")
        try report.write(toFile: dir + "/r.txt", atomically: true, encoding: .utf8)
        #expect(!findingKeys(try reportlint(["lint", dir]).stdout).contains { $0.contains("huaihua") })
        try "extends: [hunan-huaihua]\n".write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        #expect(findingKeys(try reportlint(["lint", dir]).stdout).contains { $0.hasSuffix("hunan.huaihua.publication-deadline") })
    }

    /// The packs are part of the binary: a copy elsewhere, run from /, finds the same as the built
    /// binary in the package, YAML rules (content.fee-statement) included. On a bundled report, so it runs everywhere.
    @Test func binaryCopiedElsewhereKeepsItsRules() throws {
        let report = packageRoot + "/Examples/2022/hengyang-jyj-2022-structure.txt"
        let inPlace = findingKeys(try reportlint(["lint", report], in: packageRoot).stdout)
        #expect(inPlace.contains("398 content.fee-statement") && inPlace.contains("17 structure.required-section"), "\(inPlace)")
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: reportlintPath, toPath: dir + "/reportlint")
        // Another test's process started while the copy was open for writing holds that descriptor
        // until it execs, and exec of the copy fails with ETXTBSY meanwhile: try again shortly.
        var started: (Process, Pipe)?
        for attempt in 1...100 where started == nil {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: dir + "/reportlint")
            process.arguments = ["lint", report]
            process.currentDirectoryURL = URL(fileURLWithPath: "/")
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            do {
                try process.run()
                started = (process, pipe)
            } catch let error as NSError where attempt < 100 && (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) {
                usleep(20_000)
            }
        }
        let (process, pipe) = try #require(started)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(findingKeys(output) == inPlace)
    }

    @Test func runawayRegexIsStoppedForThatFileOnly() throws {
        let dir = try temporaryDirectory()
        try """
        id: slow.pattern
        kind: pattern
        severity: warning
        summary: 灾难性回溯的模式
        scope: text
        regex: true
        forbid: ['(a+)+$']
        examples:
          triggering: ["↓b"]
          passing: ["c"]
        """.write(toFile: dir + "/slow.yml", atomically: true, encoding: .utf8)
        try (String(repeating: "a", count: 64) + "b\n").write(toFile: dir + "/slow.txt", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt", toPath: dir + "/z.txt")
        let result = try reportlint(["lint", "--rules", dir + "/slow.yml", dir + "/slow.txt", dir + "/z.txt"])
        #expect(result.stdout.contains("slow.txt: error: 规则 slow.pattern 的模式在本文件上运行超过"), "\(result.stdout)")
        #expect(result.stdout.contains("检查了 2 个文件"))
        #expect(result.status == 1)
    }

    @Test func rulesJSONListsTheCatalogue() throws {
        let result = try reportlint(["rules", "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let ids = Set(list.compactMap { $0["id"] as? String })
        for id in ["structure.required-section", "table.text-mismatch", "zero.narrative", "contact.url", "date.publication-deadline",
                   "hunan.huaihua.publication-deadline"] {
            #expect(ids.contains(id))
        }
        for entry in list { #expect(entry["severity"] != nil && entry["source"] != nil && entry["summary"] != nil) }
    }

    /// RULES.md's single-report ids (every table but "Across reports" and the tool diagnostics), with
    /// their default severities, are what `reportlint rules` lists.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedRoot + "/RULES.md"), "needs ../shared/RULES.md"))
    func rulesListsEverySingleReportIDOfTheCatalogue() throws {
        let catalogue = try String(contentsOfFile: sharedRoot + "/RULES.md", encoding: .utf8)
        var expected: [String: String] = [:]
        var section = ""
        for line in catalogue.split(separator: "\n") {
            if line.hasPrefix("## ") { section = String(line) ; continue }
            guard !section.contains("Across reports"), !section.contains("Tool diagnostics"), line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, cells[0].hasPrefix("`"), cells[0].hasSuffix("`") else { continue }
            expected[String(cells[0].dropFirst().dropLast())] = cells[1]
        }
        #expect(expected.count >= 33, "RULES.md read: \(expected.keys.sorted())")
        let result = try reportlint(["rules", "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let listed = Dictionary(list.compactMap { e in (e["id"] as? String).map { ($0, e["severity"] as? String ?? "") } }) { a, _ in a }
        for (id, severity) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(listed[id] == severity, "\(id): RULES.md says \(severity), reportlint rules says \(listed[id] ?? "nothing")")
        }
    }

    @Test func docsRulesIsCurrent() throws {
        let result = try reportlint(["rules", "--format", "markdown"])
        let onDisk = try String(contentsOfFile: packageRoot + "/docs/rules.md", encoding: .utf8)
        #expect(result.stdout == onDisk, "docs/rules.md is stale: run `reportlint rules --format markdown > docs/rules.md`")
    }
}
