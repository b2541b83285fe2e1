import ArgumentParser
import Foundation
import LintEngine
import Reporters
import RuleKit

extension FailLevel: ExpressibleByArgument {}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case human, sarif
}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lint report files and folders (recursively, in a deterministic order).",
        discussion: """
        Exit status: 0 when no finding is at or above --fail-on, 1 when one is (or an input could not \
        be read), 2 for usage and configuration errors.
        """)

    @Argument(help: "Report files or folders.")
    var paths: [String] = ["."]

    @Option(help: "Output format: human or sarif.")
    var format: OutputFormat = .human

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(help: "Exit 1 when a finding is at or above this level: error, warning, note or never.")
    var failOn: FailLevel = .error

    @Option(name: .shortAndLong, help: "Files linted in parallel (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Follow symbolic links while walking folders (loops are detected).")
    var followSymlinks = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let sink: OutputSink
        do {
            sink = try output.map(OutputSink.file) ?? OutputSink.standardOutput()
        } catch {
            throw ValidationError("cannot write to \(output ?? "-"): \(error.localizedDescription)")
        }
        let rules = RuleSet.all()
        let reporter: any Reporter
        switch format {
        case .human: reporter = HumanReporter(sink: sink, color: HumanReporter.wantsColor(sink))
        case .sarif: reporter = SARIFReporter(sink: sink, rules: RuleRegistry.swiftRules.map { $0.rule.description })
        }
        let options = LintOptions(paths: paths, jobs: jobs, followSymlinks: followSymlinks, failOn: failOn)
        let outcome = LintRun(options: options, linter: Linter(rules: rules)).run(reporters: [reporter])
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
