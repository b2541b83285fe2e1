import ArgumentParser
import Foundation
import LintEngine
import RuleCatalog
import RuleTesting
import YAMLFiles

struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-rules",
        abstract: "Run the examples of the rule packs under PATH and their annotated fixture reports (*.test.txt).",
        discussion: """
        In a fixture, a line `<!-- ruleid: RULE -->` means the next line must give that finding, `<!-- ok: RULE -->` \
        that it must not; `todoruleid:` and `todook:` mark known gaps that do not fail the run. Other findings of a \
        rule the file mentions fail it; `<!-- rules: all -->` extends that to every rule. Exit 1 on any mismatch.
        """)

    @Argument(help: "A rules folder (e.g. Rules/), a pack folder, or a fixture file.")
    var path: String = "Rules"

    @Flag(help: "Also run the examples of the Swift rules linked into this build (the built-in plugins and those a custom build registers).")
    var swiftRules = false

    func run() throws {
        // A run that tests nothing must not pass: a typo in a CI job's path would stay green for ever.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ValidationError("test-rules: \(path) does not exist (give a rules folder such as Rules/, a pack folder with pack.yml, or a *.test.txt fixture)")
        }
        let items = isFolder.boolValue ? (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []) : []
        let packFiles = items.filter { $0 == "pack.yml" || $0.hasSuffix("/pack.yml") }.sorted()
        let fixtures = RuleTester.fixtures(under: path)
        if isFolder.boolValue, packFiles.isEmpty, fixtures.isEmpty, !swiftRules {
            let ruleFiles = items.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.count
            throw ValidationError(ruleFiles > 0
                ? "test-rules: no rule pack under \(path): \(ruleFiles) YAML file(s) but no pack.yml (a pack is a folder with a pack.yml naming it, beside its rules)"
                : "test-rules: nothing to test under \(path): no rule pack (a folder with pack.yml) and no *.test.txt fixture")
        }
        // The rule the examples of extra-rows rules run with.
        let rowRule = RuleCatalog.builtIn.rule(RuleExamples.unknownRowID)
        var total = RuleTester.Outcome()
        if swiftRules {
            for (plugin, type) in RuleRegistry.swiftRules {
                let outcome = RuleExamples.check([type.init()], rowRule: rowRule)
                print("Swift 规则 \(type.description.id)（\(plugin)）：\(outcome.checks) 个示例")
                total.merge(outcome)
            }
        }
        // The packs on disk under PATH, with their examples.
        for file in packFiles {
            let folder = path + "/" + String(file.dropLast("pack.yml".count))
            let pack = try RulesCommand.pack(folder)
            let outcome = RuleExamples.check(pack.rules, rowRule: rowRule)
            print("规则包 \(pack.name)：\(pack.rules.count) 条规则，\(outcome.checks) 个示例")
            total.merge(outcome)
        }
        var configurations: [String: LintConfiguration] = [:]
        for fixture in fixtures {
            let found = ConfigFile.find(from: fixture) ?? ""
            if configurations[found] == nil { configurations[found] = try Self.configuration(found) }
            let outcome = RuleTester.checkFixture(fixture, configuration: configurations[found]!)
            print("样例 \(fixture)：\(outcome.checks) 项标注")
            total.merge(outcome)
        }
        if total.checks == 0 {
            throw ValidationError("test-rules: nothing to test under \(path) (no pack.yml with examples, no *.test.txt fixture\(swiftRules ? ", no Swift rule" : ""))")
        }
        for todo in total.todos { print("待办：\(todo)") }
        for failure in total.failures { print("失败：\(failure)") }
        print("\(total.passed) 项通过，\(total.failures.count) 项失败")
        if !total.failures.isEmpty { throw ExitCode(1) }
    }
}

extension TestRules {
    static func configuration(_ path: String) throws -> LintConfiguration {
        let result = Result { () throws(ConfigError) -> LintConfiguration in
            try path.isEmpty ? LintConfiguration.standard() : LintConfiguration.load(path)
        }
        switch result {
        case .success(let configuration): return configuration
        case .failure(let error): throw ConfigFailure(error: error)
        }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented starter .reportlint.yml.")

    @Option(help: "Folder to write it in.")
    var directory: String = "."

    @Flag(help: "Overwrite an existing file.")
    var force = false

    static let starter = """
    # ReportLint 配置文件。reportlint 从每个被检查的路径向上查找最近的 .reportlint.yml。
    # 未知的键会报错（退出码 2），而不是被忽略。`reportlint rules` 列出全部规则。

    # 额外启用的规则包：内置包名（如 hubei-2020、hunan-huaihua、guangdong-2022）或规则文件夹路径。
    # 全国统一规则（national）总是启用。
    extends: []

    # 单条规则的设置：off / on、级别（error、warning、note），或 {enabled, severity, options}。
    rules:
      # contact.area-code: off
      # date.format: warning
      # date.publication-deadline: {options: {deadline: {government: "03-31", department: "01-25"}}}

    # 只检查这些文件、跳过那些文件（相对于本文件所在的文件夹；** 表示任意层目录）。
    include: []
    exclude: []

    # 对部分路径另行设置规则。
    overrides: []
    #  - files: ["2019/**", "2020/**"]
    #    rules: {structure.format-version: off}

    # 提示：报告所属省份与类型（government 人民政府 / department 部门），用于地方规则和期限。
    hints: {}
    #  province: 湖南
    #  kind: department

    """

    func run() throws {
        let path = directory + "/" + ConfigFile.fileName
        if FileManager.default.fileExists(atPath: path), !force {
            throw ValidationError("\(path) already exists; use --force to overwrite it")
        }
        try Init.starter.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
}
