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
        if options.jobs == 1 || inputs.count < 2 {
            for (i, input) in inputs.enumerated() {
                emit(Self.lint(input, linter))
                options.progress?(i + 1, total)
            }
        } else {
            // Workers lint ahead of the writer by at most `window` files; the calling thread hands
            // results to the reporters in the walk's order as soon as each is ready.
            let queue = OrderedQueue(count: inputs.count, window: options.jobs * 8)
            let group = DispatchGroup()
            for _ in 0..<options.jobs {
                DispatchQueue.global().async(group: group) {
                    while let i = queue.take() { queue.put(i, Self.lint(inputs[i], linter)) }
                }
            }
            for i in 0..<inputs.count {
                emit(queue.next(i))
                options.progress?(i + 1, total)
            }
            group.wait()
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

/// Hands out file indices to workers and gives results back in index order, holding at most
/// `window` finished-but-unwritten results (so memory stays flat however large the archive).
final class OrderedQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var slots: [Int: FileResult] = [:]
    private var taken = 0
    private var written = 0
    private let count: Int
    private let window: Int

    init(count: Int, window: Int) {
        self.count = count
        self.window = max(1, window)
    }

    /// The next index to lint, or nil when all are taken.
    func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while taken < count && taken - written >= window { condition.wait() }
        guard taken < count else { return nil }
        taken += 1
        return taken - 1
    }

    func put(_ index: Int, _ result: FileResult) {
        condition.lock()
        slots[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for result `index` and releases its place in the window.
    func next(_ index: Int) -> FileResult {
        condition.lock()
        defer { condition.unlock() }
        while slots[index] == nil { condition.wait() }
        let result = slots.removeValue(forKey: index)!
        written = index + 1
        condition.broadcast()
        return result
    }
}
