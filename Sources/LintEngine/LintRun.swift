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

public struct LintOptions: Sendable {
    public var paths: [String]
    public var jobs: Int
    public var followSymlinks: Bool
    public var failOn: FailLevel

    public init(paths: [String], jobs: Int = ProcessInfo.processInfo.activeProcessorCount, followSymlinks: Bool = false,
                failOn: FailLevel = .error) {
        self.paths = paths
        self.jobs = max(1, jobs)
        self.followSymlinks = followSymlinks
        self.failOn = failOn
    }
}

/// Lints many files in parallel with bounded concurrency and hands results to the reporters in a
/// deterministic order (the walk's order) as they complete, never holding the whole archive.
public struct LintRun {
    public var options: LintOptions
    public var linter: Linter

    public init(options: LintOptions, linter: Linter) {
        self.options = options
        self.linter = linter
    }

    public struct Outcome: Sendable {
        public var summary: RunSummary
        public var failed: Bool
        public var exitCode: Int32
    }

    public func run(reporters: [any Reporter]) -> Outcome {
        var discovery = FileDiscovery(followSymlinks: options.followSymlinks)
        let inputs = discovery.discover(options.paths)
        var summary = RunSummary()
        summary.skipped = discovery.skipped
        var failed = false
        let linter = self.linter
        let failOn = options.failOn

        func emit(_ result: FileResult) {
            summary.add(result)
            if !result.toolDiagnostics.isEmpty { failed = true }
            if result.diagnostics.contains(where: { failOn.fails($0.severity) }) { failed = true }
            for reporter in reporters { reporter.add(result) }
        }

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
            for result in results { if let result { emit(result) } }
            start += window
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
