import ArgumentParser
import Foundation
import LintEngine
import Reporters
import ReportInputs
import RuleCatalog
import RuleKit

/// The `reportlint` command line, as a library: the repository's `reportlint` is one call of
/// `main()`, and a custom build (docs/custom-rules.md) passes its own rule plugins.
public enum CommandLineTool {
    /// Registers `plugins` beside the built-in ones and runs the command line; never returns.
    /// Usage errors exit 2 (not ArgumentParser's 64), as the exit codes in README say.
    public static func main(plugins: [any RulePlugin.Type] = []) -> Never {
        RuleRegistry.register(plugins)
        // Loading the built-in rule packs (YAML parsing, pattern compilation) is most of the start-up
        // and needs nothing from the command line: it goes on on a second core while the arguments
        // are parsed and the configuration found. Whoever needs the catalog first waits for it (a
        // static is initialized once). The process ends only after the load, so that no exit runs
        // while the other thread is inside the YAML or regex libraries.
        Signals.install()
        let loaded = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = RuleCatalog.builtIn
            loaded.signal()
        }
        let status = run()
        loaded.wait()
        // A signal is ending the run: its handler, cleaning up now, ends the process.
        while RunCleanup.isEnding { usleep(10_000) }
        exit(status)
    }

    static func run() -> Int32 {
        do {
            var command = try ReportLint.parseAsRoot()
            try command.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch let failure as ConfigFailure {
            // The excerpt quotes the configuration or rule file: shown through VisibleText.
            FileHandle.standardError.write(Data((VisibleText.multiline(failure.error.excerpt) + "\n").utf8))
            return 2
        } catch {
            let message = ReportLint.fullMessage(for: error)
            if ReportLint.exitCode(for: error) == .success {
                print(message)
                return 0
            }
            // Usage errors repeat arguments (paths): shown through VisibleText.
            FileHandle.standardError.write(Data((VisibleText.multiline(message) + "\n").utf8))
            return 2
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
