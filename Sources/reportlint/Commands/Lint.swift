import ArgumentParser
import Foundation
import LintEngine
import Reporters
import RuleKit
import YAMLRules

extension FailLevel: ExpressibleByArgument {}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case human, sarif
}

/// Options every command that loads rules shares.
struct RuleOptions: ParsableArguments {
    @Option(help: "Configuration file (default: the nearest .reportlint.yml at or above each path).")
    var config: String?

    @Option(name: .customLong("rules"), help: "A rule pack folder or rule file to add (repeatable).")
    var rulePaths: [String] = []

    /// One configuration per path: the explicit one, else the nearest file upwards, else the defaults.
    func configurations(for paths: [String]) throws -> [LintInput] {
        let result = Result { () throws(ConfigError) -> [LintInput] in
            if let config {
                let resolved = try LintConfiguration.load(config, extraRulePaths: rulePaths)
                return paths.map { LintInput(path: $0, configuration: resolved) }
            }
            var cache: [String: LintConfiguration] = [:]
            var inputs: [LintInput] = []
            for path in paths {
                let found = ConfigFile.find(from: path)
                let key = found ?? ""
                if cache[key] == nil {
                    if let found {
                        cache[key] = try LintConfiguration.load(found, extraRulePaths: rulePaths)
                    } else {
                        cache[key] = try LintConfiguration.standard(extraRulePaths: rulePaths)
                    }
                }
                inputs.append(LintInput(path: path, configuration: cache[key]!))
            }
            return inputs
        }
        switch result {
        case .success(let inputs): return inputs
        case .failure(let error): throw ConfigFailure(error: error)
        }
    }
}

/// A configuration or rule file mistake: printed with its excerpt, exit status 2.
struct ConfigFailure: Error {
    var error: ConfigError
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

    @OptionGroup var rules: RuleOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let inputs = try rules.configurations(for: paths)
        let sink: OutputSink
        do {
            sink = try output.map(OutputSink.file) ?? OutputSink.standardOutput()
        } catch {
            throw ValidationError("cannot write to \(output ?? "-"): \(error.localizedDescription)")
        }
        var known: [String: RuleDescription] = [:]
        for input in inputs { for rule in input.configuration.known { known[rule.description.id] = rule.description } }
        let reporter: any Reporter
        switch format {
        case .human: reporter = HumanReporter(sink: sink, color: HumanReporter.wantsColor(sink))
        case .sarif: reporter = SARIFReporter(sink: sink, rules: Array(known.values))
        }
        let options = LintOptions(inputs: inputs, jobs: jobs, followSymlinks: followSymlinks, failOn: failOn)
        let outcome = LintRun(options: options).run(reporters: [reporter])
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
