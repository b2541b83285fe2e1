import ArgumentParser
import Foundation
import LintEngine
import Reporters

@main
struct Main {
    /// Runs the command; usage errors exit 2 (not ArgumentParser's 64), as the exit codes in README say.
    static func main() {
        do {
            var command = try ReportLint.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let failure as ConfigFailure {
            FileHandle.standardError.write(Data((failure.error.excerpt + "\n").utf8))
            exit(2)
        } catch {
            let message = ReportLint.fullMessage(for: error)
            if ReportLint.exitCode(for: error) == .success {
                print(message)
                exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(2)
        }
    }
}

struct ReportLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reportlint",
        abstract: "政府信息公开工作年度报告的检查工具 — a linter for government information-disclosure annual reports.",
        version: ToolInfo.version,
        subcommands: [Lint.self, Dump.self, RulesCommand.self, Explain.self, TestRules.self, Init.self],
        defaultSubcommand: Lint.self)
}
