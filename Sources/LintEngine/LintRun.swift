import Foundation
import Reporters
import RuleKit

/// What decides the exit status: findings at or above `failOn` give 1.
public enum FailLevel: String, Sendable, CaseIterable {
    case error, warning, note, never

    public func fails(_ severity: Severity) -> Bool {
        switch self {
        case .never: false
        case .error: severity == .error
        case .warning: severity >= .warning
        case .note: true
        }
    }
}

/// A path to lint and the configuration that governs it (found from the path upwards).
public struct LintInput: Sendable {
    public var path: String
    public var configuration: LintConfiguration
    /// Standard input's bytes, linted as if they were the file at `path` (`--stdin-filename`).
    public var contents: [UInt8]?

    public init(path: String, configuration: LintConfiguration, contents: [UInt8]? = nil) {
        self.path = path
        self.configuration = configuration
        self.contents = contents
    }
}

public struct LintOptions: Sendable {
    public var inputs: [LintInput]
    public var jobs: Int
    public var followSymlinks: Bool
    public var failOn: FailLevel
    public var baseline: BaselineIndex?
    /// Larger files are not read (io.unsupported), so one absurd file cannot exhaust memory.
    public var maxFileSize: Int
    /// Called on the calling thread after each file: (done, total of the current input).
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(inputs: [LintInput], jobs: Int = ProcessInfo.processInfo.activeProcessorCount, followSymlinks: Bool = false,
                failOn: FailLevel = .error, baseline: BaselineIndex? = nil, maxFileSize: Int = 64 << 20) {
        self.inputs = inputs
        self.baseline = baseline
        self.maxFileSize = maxFileSize
        self.jobs = max(1, jobs)
        self.followSymlinks = followSymlinks
        self.failOn = failOn
    }
}

/// Lints many files in parallel with bounded concurrency and hands results to the reporters in a
/// deterministic order (the walk's order) as they complete, never holding the whole archive.
public struct LintRun {
    public var options: LintOptions

    public init(options: LintOptions) {
        self.options = options
    }

    public struct Outcome: Sendable {
        public var summary: RunSummary
        public var failed: Bool
        public var exitCode: Int32
    }

    public func run(reporters: [any Reporter]) -> Outcome {
        var summary = RunSummary()
        var failed = false
        let failOn = options.failOn

        let baseline = options.baseline
        func emit(_ original: FileResult) {
            var result = original
            if let baseline { summary.baselined += baseline.filter(&result) }
            summary.add(result)
            if !result.toolDiagnostics.isEmpty { failed = true }
            if result.diagnostics.contains(where: { failOn.fails($0.severity) }) { failed = true }
            for reporter in reporters { reporter.add(result) }
        }

        for input in options.inputs {
        let configuration = input.configuration
        if let contents = input.contents {
            let linter = Linter { configuration.ruleSet(for: $0) }
            emit(linter.lint(bytes: contents, path: input.path, format: ReportFormat.of(path: input.path) ?? .text))
            continue
        }
        var discovery = FileDiscovery(followSymlinks: options.followSymlinks) { configuration.selects($0) }
        let inputs = discovery.discover([input.path])
        summary.skipped += discovery.skipped
        var configured = Linter { configuration.ruleSet(for: $0) }
        configured.maxFileSize = options.maxFileSize
        let linter = configured
        let total = inputs.count
        var done = 0
        // Windows of a few files per worker keep memory flat and output ordered.
        let window = options.jobs == 1 ? 1 : options.jobs * 16
        var start = 0
        while start < inputs.count {
            let slice = Array(inputs[start..<min(start + window, inputs.count)])
            var results = [FileResult?](repeating: nil, count: slice.count)
            if options.jobs == 1 || slice.count == 1 {
                for (i, input) in slice.enumerated() { results[i] = Self.lint(input, linter) }
            } else {
                results.withUnsafeMutableBufferPointer { buffer in
                    nonisolated(unsafe) let out = buffer
                    DispatchQueue.concurrentPerform(iterations: slice.count) { i in
                        out[i] = Self.lint(slice[i], linter)
                    }
                }
            }
            for result in results {
                if let result { emit(result) }
                done += 1
            }
            options.progress?(done, total)
            start += window
        }
        }
        for reporter in reporters { reporter.finish(summary) }
        return Outcome(summary: summary, failed: failed, exitCode: failed ? 1 : 0)
    }

    static func lint(_ input: DiscoveredInput, _ linter: Linter) -> FileResult {
        switch input {
        case .report(let path, let explicit): linter.lint(path: path, explicit: explicit)
        case .problem(let problem): FileResult(path: problem.path, toolDiagnostics: [problem])
        }
    }
}
