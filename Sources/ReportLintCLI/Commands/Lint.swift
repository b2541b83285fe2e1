import ArgumentParser
import Foundation
import LintEngine
import Reporters
import RuleKit
import YAMLFiles

extension FailLevel: ExpressibleByArgument {}

enum OutputFormat: String, CaseIterable {
    case human, sarif, json, github, junit, csv, html, sqlite
}

/// `--format NAME` or `--format NAME=FILE`: several formats in one run, each to its own place.
struct FormatSpec: ExpressibleByArgument {
    var format: OutputFormat
    var path: String?

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard let format = OutputFormat(rawValue: parts[0]) else { return nil }
        self.format = format
        path = parts.count == 2 ? parts[1] : nil
        if path?.isEmpty == true { return nil }
    }

    static var allValueStrings: [String] { OutputFormat.allCases.map(\.rawValue) }
}

/// Options every command that loads rules shares.
struct RuleOptions: ParsableArguments {
    @Option(help: "Configuration file (default: the nearest .reportlint.yml at or above each path).")
    var config: String?

    @Option(name: .customLong("rules"), help: "A rule pack folder or rule file to add (repeatable).")
    var rulePaths: [String] = []

    @Option(help: ArgumentHelp("Run only the rules matching this id or glob (`table.*`; repeatable).", valueName: "rule"))
    var select: [String] = []

    @Option(help: ArgumentHelp("Do not run the rules matching this id or glob (repeatable; wins over --select).", valueName: "rule"))
    var ignore: [String] = []

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
        case .success(let inputs):
            let selection = RuleSelection(select: select, ignore: ignore)
            if let first = inputs.first {
                let ids = first.configuration.known.map(\.description.id)
                for pattern in select + ignore where !ids.contains(where: { RuleSelection.matches(pattern, $0) }) {
                    throw ValidationError("no rule matches '\(pattern)'" + RuleSelection.usageSuggestion(pattern, among: ids))
                }
            }
            return inputs.map { LintInput(path: $0.path, configuration: $0.configuration.selecting(selection), contents: $0.contents) }
        case .failure(let error): throw ConfigFailure(error: error)
        }
    }
}

/// Files done of total, rate and time left, redrawn on one line of standard error.
enum Progress {
    static func make() -> @Sendable (LintProgress) -> Void {
        let start = Date()
        return { progress in
            let elapsed = max(Date().timeIntervalSince(start), 0.001)
            let rate = Double(progress.done) / elapsed
            // While the walk goes on the total is only what was found so far.
            let line: String
            if progress.walking {
                line = String(format: "\r\u{1B}[K%d/%d+ 个文件  %.0f 个/秒", progress.done, progress.found, rate)
            } else {
                let left = rate > 0 ? Double(progress.found - progress.done) / rate : 0
                line = String(format: "\r\u{1B}[K%d/%d 个文件  %.0f 个/秒  剩余约 %.0f 秒", progress.done, progress.found, rate, left)
            }
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}

/// A configuration or rule file mistake: printed with its excerpt, exit status 2.
struct ConfigFailure: Error {
    var error: ConfigError
}

struct Lint: ParsableCommand {
    // Named here, like every command: ArgumentParser otherwise derives the name from the type
    // with String(describing:), which cost 1.2 M instructions per command at each start.
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint report files and folders (recursively, in a deterministic order).",
        discussion: """
        Exit status: 0 when no finding is at or above --fail-on, 1 when one is (or an input could not \
        be read), 2 for usage and configuration errors.
        """)

    @Argument(help: "Report files or folders; `-` reads standard input (with --stdin-filename).")
    var paths: [String] = ["."]

    @Option(help: ArgumentHelp("Output format: human, sarif, json, github, junit, csv (for Excel and WPS), html (one self-contained page) or sqlite (the archive database, to a file); NAME=FILE writes that format to FILE. Repeatable.",
                               valueName: "name[=file]"))
    var format: [FormatSpec] = []

    @Flag(help: "Apply include, exclude and .reportlintignore to files named on the command line too (for pre-commit hooks).")
    var forceExclude = false

    @Flag(help: "Human output: one line per finding, without the source line and caret.")
    var concise = false

    @Option(name: .shortAndLong, help: "Write the (single) format without =FILE to this file instead of standard output.")
    var output: String?

    @Option(help: "Lint standard input as if it were this file (with `-` as the path).")
    var stdinFilename: String?

    @Option(help: "Hide the findings recorded in this baseline file; report only new ones.")
    var baseline: String?

    @Option(help: "Record the current findings in this baseline file.")
    var writeBaseline: String?

    @Option(help: "Files larger than this many MB are not read (io.unsupported).")
    var maxFileSize: Int = 64

    @Flag(name: .shortAndLong, help: "No progress display.")
    var quiet = false

    @Option(help: "Exit 1 when a finding is at or above this level: error, warning, note or never.")
    var failOn: FailLevel = .error

    @Option(name: .shortAndLong, help: "Files linted in parallel (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Earlier reports (a file or a folder; repeatable) the rules across reports compare with but do not report on.",
                               valueName: "path"))
    var history: [String] = []

    @Flag(help: "Follow symbolic links while walking folders (loops are detected).")
    var followSymlinks = false

    @OptionGroup var rules: RuleOptions

    func validate() throws {
        guard (1...Self.maxJobs).contains(jobs) else { throw ValidationError("--jobs must be between 1 and \(Self.maxJobs)") }
        guard (1...Self.maxFileSizeLimit).contains(maxFileSize) else {
            throw ValidationError("--max-file-size must be between 1 and \(Self.maxFileSizeLimit) (MB)")
        }
        if paths.contains("-") {
            guard stdinFilename != nil else { throw ValidationError("`-` reads standard input and needs --stdin-filename NAME") }
            guard paths == ["-"] else { throw ValidationError("`-` cannot be combined with other paths") }
        } else if stdinFilename != nil {
            throw ValidationError("--stdin-filename goes with the path `-`")
        }
        for path in history where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("--history \(path): no such file or folder")
        }
        let toStdout = format.filter { $0.path == nil }
        guard toStdout.count <= 1 else { throw ValidationError("only one --format may write to standard output; give the others =FILE") }
        if output != nil, toStdout.isEmpty, !format.isEmpty { throw ValidationError("--output needs a --format without =FILE") }
    }

    /// More threads than this only cost memory; a larger size would not fit in memory anyway
    /// (and `MB << 20` must not overflow).
    static let maxJobs = 256
    static let maxFileSizeLimit = 1024

    func run() throws {
        var inputs: [LintInput]
        if let stdinFilename {
            // Configuration is found from the name's folder, as for the file itself.
            inputs = try rules.configurations(for: [stdinFilename])
            // Bounded like a file: an endless pipe or /dev/zero ends in a diagnostic, not in all memory.
            let read = Linter.readStandardInput(limit: maxFileSize << 20)
            inputs[0].contents = read.bytes
            inputs[0].unreadable = read.problem
        } else {
            inputs = try rules.configurations(for: paths)
        }
        let baselineIndex: BaselineIndex?
        do {
            baselineIndex = try baseline.map { BaselineIndex(try Baseline.load($0), path: $0) }
        } catch {
            throw ValidationError("\(error)")
        }
        var known: [String: RuleDescription] = [:]
        for input in inputs { for rule in input.configuration.known { known[rule.description.id] = rule.description } }
        let specs = format.isEmpty ? [FormatSpec(argument: "human")!] : format
        // Checked before any output is opened (opening truncates).
        let targets = specs.compactMap { $0.path ?? output } + (writeBaseline.map { [$0] } ?? [])
        for target in targets {
            if let conflict = OutputTargets.conflict(target, inputs: stdinFilename == nil ? paths : []) { throw ValidationError(conflict) }
        }
        var reporters: [any Reporter] = []
        var sinks: [OutputSink] = []
        var database: DatabaseReporter?
        for spec in specs where spec.format == .sqlite {
            guard let path = spec.path ?? output else { throw ValidationError("--format sqlite needs a file: --format sqlite=FILE") }
            do { database = try DatabaseReporter(path: path) } catch { throw ValidationError("cannot write the database \(path): \(error)") }
            reporters.append(database!)
        }
        for spec in specs where spec.format != .sqlite {
            let sink: OutputSink
            do {
                let path = spec.path ?? output
                sink = try path.map(OutputSink.file) ?? OutputSink.standardOutput()
            } catch {
                throw ValidationError("cannot write to \(spec.path ?? output ?? "-"): \(error.localizedDescription)")
            }
            sinks.append(sink)
            switch spec.format {
            case .human: reporters.append(HumanReporter(sink: sink, color: HumanReporter.wantsColor(sink), concise: concise,
                                                        writesSARIF: specs.contains { $0.format == .sarif }))
            case .sarif: reporters.append(SARIFReporter(sink: sink, rules: Array(known.values)))
            case .json: reporters.append(JSONReporter(sink: sink))
            case .github: reporters.append(GitHubReporter(sink: sink))
            case .junit: reporters.append(JUnitReporter(sink: sink, failing: Set(Severity.allCases.filter(failOn.fails))))
            case .csv: reporters.append(CSVReporter(sink: sink))
            case .html: reporters.append(HTMLReporter(sink: sink))
            case .sqlite: break
            }
        }
        let recorder = writeBaseline.map(BaselineRecorder.init)
        if let recorder { reporters.append(recorder) }
        var options = LintOptions(inputs: inputs, jobs: jobs, followSymlinks: followSymlinks, failOn: failOn, baseline: baselineIndex,
                                  maxFileSize: maxFileSize << 20)
        options.history = history
        options.forceExclude = forceExclude
        options.recordsFacts = database != nil
        if !quiet, isatty(STDERR_FILENO) == 1 { options.progress = Progress.make() }
        let outcome = LintRun(options: options).run(reporters: reporters)
        if options.progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if let message = recorder?.error { throw ValidationError(message) }
        if let message = database?.writer.error { throw ValidationError("the database could not be written: \(message)") }
        // Writing a baseline records the findings; the run that does it succeeds (as SwiftLint's and Ruff's do).
        if outcome.exitCode != 0, writeBaseline == nil { throw ExitCode(outcome.exitCode) }
    }
}
