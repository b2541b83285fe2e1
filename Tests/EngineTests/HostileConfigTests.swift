import Foundation
import Testing

/// Configuration and rule files as an attacker writes them: in CI the repository's `.reportlint.yml`
/// and rule packs come with the pull request. Each mistake is a positioned `config.invalid` (exit 2)
/// that echoes nothing of a file that is not a rule or configuration file, and nothing runs away.
struct HostileConfigTests {
    static let secret = "S3CRET-VALUE-0451"

    /// A valid rule file (so that a pack holding it loads).
    static func rule(_ id: String, applies: String = "") -> String {
        """
        id: \(id)
        kind: pattern
        severity: warning
        summary: 测试规则
        \(applies)scope: text
        forbid: ['不会出现的文字']
        examples:
          passing: ["c"]

        """
    }

    /// A folder with a report and `.reportlint.yml` holding `config`; returns the folder.
    static func project(_ config: String) throws -> String {
        let dir = try temporaryDirectory() + "/project"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt", toPath: dir + "/r.txt")
        try config.write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        return dir
    }

    // MARK: - Where `extends` may point

    @Test(arguments: ["/proc/self/environ", "/etc/passwd", "/"])
    func extendsRefusesAbsolutePaths(_ path: String) throws {
        let dir = try Self.project("extends: [\"\(path)\"]\n")
        let result = try reportlint(["lint", dir], environment: ["HOSTILE_TEST_TOKEN": Self.secret])
        #expect(result.status == 2)
        #expect(result.stderr.contains(".reportlint.yml:1:11: error: extends 中的“\(path)”是绝对路径"), "\(result.stderr)")
        #expect(!result.stderr.contains(Self.secret) && !result.stderr.contains("root:x:0:0"), "\(result.stderr)")
    }

    @Test func extendsStaysInsideTheConfigurationsFolder() throws {
        let dir = try Self.project("extends: [../outside]\n")
        let outside = (dir as NSString).deletingLastPathComponent + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try Self.rule("outside.rule").write(toFile: outside + "/rule.yml", atomically: true, encoding: .utf8)
        let escaping = try reportlint(["lint", dir])
        #expect(escaping.status == 2)
        #expect(escaping.stderr.contains(".reportlint.yml:1:11: error: extends 中的路径“../outside”指向配置文件所在的文件夹"), "\(escaping.stderr)")
        // A link inside the folder that leads out is resolved before the check.
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: outside)
        try "extends: [link]\n".write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        let linked = try reportlint(["lint", dir])
        #expect(linked.status == 2)
        #expect(linked.stderr.contains("extends 中的路径“link”指向配置文件所在的文件夹"), "\(linked.stderr)")
        // Inside the folder it loads.
        try FileManager.default.createDirectory(atPath: dir + "/mine", withIntermediateDirectories: true)
        try Self.rule("mine.rule").write(toFile: dir + "/mine/rule.yml", atomically: true, encoding: .utf8)
        // A link out that is neither a rule file nor a folder is left alone.
        try FileManager.default.createSymbolicLink(atPath: dir + "/mine/README", withDestinationPath: "/etc/passwd")
        try "extends: [./mine/../mine]\n".write(toFile: dir + "/.reportlint.yml", atomically: true, encoding: .utf8)
        #expect(try reportlint(["lint", dir]).status == 0)
    }

    /// A configuration in a pack's `tests/` may name the pack it belongs to (`extends: [..]`).
    @Test func aPacksTestsMayExtendThePack() throws {
        let pack = try temporaryDirectory() + "/pack"
        try FileManager.default.createDirectory(atPath: pack + "/tests", withIntermediateDirectories: true)
        try "name: mine\nsummary: s\n".write(toFile: pack + "/pack.yml", atomically: true, encoding: .utf8)
        try Self.rule("mine.rule").write(toFile: pack + "/rule.yml", atomically: true, encoding: .utf8)
        try "extends: [..]\n".write(toFile: pack + "/tests/.reportlint.yml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt", toPath: pack + "/tests/r.txt")
        let result = try reportlint(["lint", pack + "/tests"])
        #expect(result.status == 0, "\(result.stderr)")
        // Not further up than the pack.
        try "extends: [../..]\n".write(toFile: pack + "/tests/.reportlint.yml", atomically: true, encoding: .utf8)
        #expect(try reportlint(["lint", pack + "/tests"]).stderr.contains("extends 中的路径“../..”指向配置文件所在的文件夹（\(pack)）之外"))
    }

    @Test func aFolderWalkDoesNotFollowLinksOut() throws {
        let dir = try Self.project("extends: [pack]\n")
        try FileManager.default.createDirectory(atPath: dir + "/pack", withIntermediateDirectories: true)
        try Self.rule("pack.rule").write(toFile: dir + "/pack/rule.yml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/pack/evil.yml", withDestinationPath: "/etc/passwd")
        let result = try reportlint(["lint", dir])
        #expect(result.status == 2)
        #expect(result.stderr.contains("pack/evil.yml:1:1: error: 符号链接指向规则文件夹"), "\(result.stderr)")
        #expect(!result.stderr.contains("root:"), "\(result.stderr)")
    }

    /// Files that are not rule files have no line of theirs quoted, nor any of their keys named.
    @Test(arguments: [
        ("secrets.yml", "aws_secret_access_key: \(Self.secret)\n"),
        ("credentials", "[default]\naws_access_key_id = \(Self.secret)\n"),
        ("passwd", "root:x:0:0:\(Self.secret):/root:/bin/bash\ndaemon:x:1:1::/:/bin/sh\n"),
        ("dup.yml", "\(Self.secret): 1\n\(Self.secret): 2\n"),
        ("nul.yml", "a: 1\n\(Self.secret)\u{0}\n"),
    ])
    func nonRuleFilesAreNotEchoed(_ name: String, _ content: String) throws {
        let dir = try Self.project("extends: [\(name)]\n")
        try content.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", dir])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/\(name):"), "\(result.stderr)")
        #expect(!result.stderr.contains(Self.secret), "\(result.stderr)")
        // Given on the command line it is the user's choice, and still not echoed.
        let direct = try reportlint(["lint", "--rules", dir + "/" + name, dir + "/r.txt"])
        #expect(direct.status == 2)
        #expect(!direct.stderr.contains(Self.secret), "\(direct.stderr)")
    }

    @Test func generatedAndSpecialFilesAreRefusedUnread() throws {
        let proc = try reportlint(["lint", "--rules", "/proc/self/environ", packageRoot + "/Examples/2019"],
                                  environment: ["HOSTILE_TEST_TOKEN": Self.secret])
        #expect(proc.status == 2)
        #expect(proc.stderr.contains("/proc/self/environ:1:1: error: 规则文件位于 /proc、/sys 这类虚拟文件系统中，不予读取"), "\(proc.stderr)")
        #expect(!proc.stderr.contains(Self.secret))
        let device = try reportlint(["lint", "--rules", "/dev/null", packageRoot + "/Examples/2019"])
        #expect(device.status == 2)
        #expect(device.stderr.contains("不是普通文件"), "\(device.stderr)")
    }

    /// A FIFO named like a rule file in a pack is never opened (opening it would wait for a writer).
    @Test func aFIFOInAPackIsNotOpened() throws {
        let dir = try Self.project("extends: [pack]\n")
        try FileManager.default.createDirectory(atPath: dir + "/pack", withIntermediateDirectories: true)
        let fifo = dir + "/pack/rule.yml"
        #expect(mkfifo(fifo, 0o600) == 0)
        // A writer, so that a reader that opens the FIFO gets an answer rather than waiting for ever.
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            _ = "a: 1\n".withCString { write(fd, $0, 5) }
            close(fd)
        }
        writer.start()
        let result = try reportlint(["lint", dir])
        // Let the writer go if the tool did not open the FIFO.
        let release = open(fifo, O_RDONLY | O_NONBLOCK)
        while !writer.isFinished { usleep(1_000) }
        close(release)
        #expect(result.status == 2)
        #expect(result.stderr.contains("pack/rule.yml:1:1: error: 规则文件不是普通文件"), "\(result.stderr)")
    }

    @Test func folderWalksAreBounded() throws {
        let dir = try Self.project("extends: [deep]\n")
        var deep = dir + "/deep"
        for level in 0...9 { deep += "/\(level)" }
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        let tooDeep = try reportlint(["lint", dir])
        #expect(tooDeep.status == 2)
        #expect(tooDeep.stderr.contains("规则文件夹嵌套超过"), "\(tooDeep.stderr)")
        let wide = try temporaryDirectory()
        for i in 0...10_000 { #expect(FileManager.default.createFile(atPath: wide + "/\(i).txt", contents: nil)) }
        let tooWide = try reportlint(["lint", "--rules", wide, packageRoot + "/Examples/2019"])
        #expect(tooWide.status == 2)
        #expect(tooWide.stderr.contains("条目超过 10000 个"), "\(tooWide.stderr)")
    }

    // MARK: - The configuration file itself

    @Test func aConfigurationLinkedOutOfItsFolderIsNotRead() throws {
        let dir = try Self.project("")
        let outside = (dir as NSString).deletingLastPathComponent + "/elsewhere.yml"
        try "rules:\n  \(Self.secret): off\n".write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: dir + "/.reportlint.yml")
        try FileManager.default.createSymbolicLink(atPath: dir + "/.reportlint.yml", withDestinationPath: outside)
        let result = try reportlint(["lint", dir])
        #expect(result.status == 2)
        #expect(result.stderr.contains(".reportlint.yml:1:1: error: 配置文件是指向其所在文件夹之外的符号链接"), "\(result.stderr)")
        #expect(!result.stderr.contains(Self.secret))
    }

    @Test func aConfigurationThatIsNoneIsNotEchoed() throws {
        let dir = try temporaryDirectory()
        try "\(Self.secret):x:0:0\n".write(toFile: dir + "/passwd", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "--config", dir + "/passwd", packageRoot + "/Examples/2019"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("不是 ReportLint 配置文件"), "\(result.stderr)")
        #expect(!result.stderr.contains(Self.secret))
    }

    // MARK: - Work bounded before any tree walk

    /// Nine aliases of nine aliases…: small enough here for the unbounded code to finish, past the limit all the same.
    static let laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + (1..<6).map { i -> String in
        let (name, previous) = (String(UnicodeScalar(UInt8(97 + i))), String(UnicodeScalar(UInt8(96 + i))))
        return "\(name): &\(name) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ", ") + "]\n"
    }.joined()

    static func indented(_ text: String, _ spaces: Int) -> String {
        text.split(separator: "\n").map { String(repeating: " ", count: spaces) + $0 + "\n" }.joined()
    }

    @Test(arguments: [
        ("rule.yml", Self.rule("bomb.rule") + "x-bomb:\n" + indented(laughs, 2)),
        ("keys.yml", laughs + "? *f\n: 1\n"),
        (".reportlint.yml", "rules:\n  contact.phone:\n    options:\n" + indented(laughs, 6)),
    ])
    func aliasExpansionIsRefused(_ name: String, _ text: String) throws {
        let dir = try Self.project(name == ".reportlint.yml" ? text : "extends: [\(name)]\n")
        if name != ".reportlint.yml" { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let result = try reportlint(["lint", dir])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/\(name):") && result.stderr.contains("error: YAML 别名展开后超过 10000 个节点"), "\(result.stderr)")
    }

    @Test func aRunawayIssuerPatternIsStoppedByTheBudget() throws {
        let title = String(repeating: "a", count: 26) + "b2019年政府信息公开工作年度报告"
        let report = try String(contentsOfFile: packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt", encoding: .utf8)
        let dir = try Self.project("pattern_budget_ms: 1\n")
        try (title + "\n" + report.split(separator: "\n", maxSplits: 1)[1]).write(toFile: dir + "/r.txt", atomically: true, encoding: .utf8)
        try Self.rule("slow.issuer", applies: "applies: {issuer_matches: '(a+)+$'}\n").write(toFile: dir + "/slow.yml", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "--rules", dir + "/slow.yml", dir])
        #expect(result.stdout.contains("r.txt: error: 规则 slow.issuer 的模式在本文件上运行超过 1 毫秒"), "\(result.stdout)")
        #expect(result.status == 1)
    }

    // MARK: - Numbers

    @Test(arguments: [
        ("pattern_budget_ms: 9999999999999\n", ".reportlint.yml:1:20: error: pattern_budget_ms 应在 1 至 60000 之间"),
        ("pattern_budget_ms: 99999999999999999999999\n", ".reportlint.yml:1:20: error: 这里应为整数"),
    ])
    func configurationNumbersAreBounded(_ config: String, _ expected: String) throws {
        let result = try reportlint(["lint", try Self.project(config)])
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test(arguments: [
        ("applies: {report_year: \">= 10000\"}\n", "report_year 的年份应在 0 至 9999 之间"),
        ("applies: {report_year: \"<= -1\"}\n", "report_year 的年份应在 0 至 9999 之间"),
        ("applies: {report_year: {from: 10000}}\n", "report_year 的年份应在 0 至 9999 之间"),
    ])
    func ruleNumbersAreBounded(_ applies: String, _ expected: String) throws {
        let dir = try temporaryDirectory()
        try Self.rule("x.year", applies: applies).write(toFile: dir + "/rule.yml", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "--rules", dir + "/rule.yml", packageRoot + "/Examples/2019"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("rule.yml:5:") && result.stderr.contains(expected), "\(result.stderr)")
    }

    /// The byte matcher's minimum match length of nested counted loops saturates rather than overflowing.
    @Test func nestedCountedLoopsLoad() throws {
        let dir = try temporaryDirectory()
        try Self.rule("x.nested").replacingOccurrences(of: "forbid: ['不会出现的文字']", with: "regex: true\nforbid: ['(?:(?:(?:(?:a{999999}){999999}){999999}){999999})']")
            .write(toFile: dir + "/rule.yml", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "--rules", dir + "/rule.yml", packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func identityToleranceIsANumberAtLeastZero() throws {
        let dir = try temporaryDirectory()
        for tolerance in ["nan", "-1", "inf"] {
            try "id: x.tolerance\nkind: identity\nseverity: error\nsummary: s\ntable: 三\nfor_each: column\nleft: [一]\nright: [一]\ntolerance: \(tolerance)\n"
                .write(toFile: dir + "/rule.yml", atomically: true, encoding: .utf8)
            let result = try reportlint(["lint", "--rules", dir + "/rule.yml", packageRoot + "/Examples/2019"])
            #expect(result.status == 2)
            #expect(result.stderr.contains("rule.yml:9:12: error: tolerance 应为不小于 0 的有限数"), "\(tolerance): \(result.stderr)")
        }
    }
}
