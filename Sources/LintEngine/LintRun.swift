import ArchiveDatabase
import ArchiveRules
import Foundation
import Dispatch
import Synchronization
import ReportInputs
import Reporters
import RuleKit
import RunResults

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
    /// Why the contents could not be had (standard input over the size limit), reported for `path`.
    public var unreadable: ToolDiagnostic?

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
    /// Called on the calling thread after each file is written.
    public var progress: (@Sendable (LintProgress) -> Void)?
    /// Reports (files or folders) the rules across reports compare with but do not report on (`--history`).
    public var history: [String] = []
    /// Records each report's facts and digest for the archive database (`--format sqlite=FILE`).
    public var recordsFacts = false
    /// Files named on the command line obey include, exclude and .reportlintignore (`--force-exclude`).
    public var forceExclude = false

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
        // The rules across reports that are on (from the first input's configuration), and the digests they read.
        let archive = options.inputs.first.map { Self.archiveChecker($0.configuration) } ?? nil
        let aliases = options.inputs.first?.configuration.issuerAliases ?? [:]
        var digests: [ArchiveChecker.Entry] = []
        // Paths that overlap (a folder and a file in it, or a folder twice) give each file once.
        let seen = SeenFiles(active: options.inputs.count > 1)
        var filesSoFar = 0
        var usedBaselineEntries: [String: Set<Baseline.Key>] = [:]
        func emit(_ original: FileResult) {
            var result = original
            if let digest = result.digest {
                digests.append(ArchiveChecker.Entry(path: result.path, digest: digest, isHistory: false))
                if !options.recordsFacts { result.digest = nil }
            }
            if let baseline {
                let outcome = baseline.filterRecording(&result)
                summary.baselined += outcome.hidden
                if !outcome.used.isEmpty { usedBaselineEntries[outcome.file, default: []].formUnion(outcome.used) }
            }
            summary.add(result)
            if !result.toolDiagnostics.isEmpty { failed = true }
            if result.diagnostics.contains(where: { failOn.fails($0.severity) }) { failed = true }
            for reporter in reporters { reporter.add(result) }
        }

        for input in options.inputs {
            let configuration = input.configuration
            if var problem = input.unreadable {
                problem.path = input.path
                emit(FileResult(path: input.path, toolDiagnostics: [problem]))
                continue
            }
            if let contents = input.contents {
                var linter = Linter { configuration.ruleSet(for: $0) }
                if archive != nil || options.recordsFacts { linter.digestAliases = aliases }
                linter.recordsFacts = options.recordsFacts
                emit(linter.lint(bytes: contents, path: input.path, format: ReportFormat.of(path: input.path) ?? .text))
                continue
            }
            // Without overrides every file gets the same rules: look them up once, not per file.
            var configured = configuration.overrides.isEmpty
                ? Linter(rules: configuration.ruleSet(for: input.path)) : Linter { configuration.ruleSet(for: $0) }
            configured.maxFileSize = options.maxFileSize
            if archive != nil || options.recordsFacts { configured.digestAliases = aliases }
            configured.recordsFacts = options.recordsFacts
            let linter = configured
            let followSymlinks = options.followSymlinks, forceExclude = options.forceExclude
            // One progress display for the whole run: counts go on from the earlier paths'.
            let before = filesSoFar
            if options.jobs == 1 {
                // One thread walks and lints in turn.
                var discovery = FileDiscovery(followSymlinks: followSymlinks, forceExclude: forceExclude) { configuration.selects($0) }
                var done = 0
                discovery.discover([input.path]) { found in
                    guard !seen.isRepeat(found) else { return }
                    emit(Self.lint(found, linter))
                    done += 1
                    options.progress?(LintProgress(done: before + done, found: before + done, walking: true))
                }
                filesSoFar += done
                summary.skipped += discovery.skipped
                summary.skippedLinks += discovery.skippedLinks
                continue
            }
            // A thread walks the folders while the others lint: the first report is linted as soon
            // as it is found, not after the walk of the whole archive. The calling thread lints too,
            // and between files hands finished results to the reporters in the walk's order.
            let pipeline = Pipeline(window: options.jobs * 8, backlog: 4096)
            let root = input.path
            let walker = Thread {
                var discovery = FileDiscovery(followSymlinks: followSymlinks, forceExclude: forceExclude) { configuration.selects($0) }
                discovery.discover([root]) { found in if !seen.isRepeat(found) { pipeline.add(found) } }
                pipeline.finishWalk(skipped: discovery.skipped, links: discovery.skippedLinks)
            }
            walker.stackSize = 8 << 20
            walker.start()
            // Linters are threads of their own, not GCD work items: they block on the pipeline's
            // conditions, which inside GCD's width-limited pool would hold its threads, and they get
            // the walker's stack size rather than a pool thread's 512 KiB.
            let linted = DispatchSemaphore(value: 0)
            for n in 1..<options.jobs {
                let worker = Thread {
                    while let (i, found) = pipeline.take() { pipeline.put(i, Self.lint(found, linter)) }
                    linted.signal()
                }
                worker.name = "reportlint linter \(n)"
                worker.stackSize = 8 << 20
                worker.start()
            }
            var next = 0
            loop: while true {
                switch pipeline.step(next) {
                case .result(let result, var progress):
                    emit(result)
                    next += 1
                    progress.done += before
                    progress.found += before
                    options.progress?(progress)
                case .work(let i, let found):
                    pipeline.put(i, Self.lint(found, linter))
                case .finished(let skipped, let links):
                    filesSoFar += next
                    summary.skipped += skipped
                    summary.skippedLinks += links
                    break loop
                }
            }
            for _ in 1..<options.jobs { linted.wait() }
        }
        if let archive {
            // Findings across reports follow once every report is read, each file's as a follow-up result.
            let history = Self.historyDigests(options.history, aliases: aliases, followSymlinks: options.followSymlinks, maxFileSize: options.maxFileSize)
            digests += history.entries
            // A history that cannot be read is said so (and fails the run), not compared with in silence.
            for problem in history.problems { emit(problem) }
            let checks = archive.prepare(digests)
            digests = []
            // A part of the run at a time, in walk order, so the findings of a whole archive are never
            // held at once. Writing is serial, making is not: the next part is made while this one is written.
            let maxFileSize = options.maxFileSize
            let parts = stride(from: 0, to: checks.entries.count, by: 256).map { $0..<min($0 + 256, checks.entries.count) }
            let maker = DispatchQueue(label: "reportlint follow-ups")
            var pending = parts.first.map { part in Pending(on: maker) { Self.followUps(checks, part, maxFileSize: maxFileSize) } }
            for k in parts.indices {
                guard let results = pending?.wait() else { break }
                pending = k + 1 < parts.count ? Pending(on: maker) { [part = parts[k + 1]] in Self.followUps(checks, part, maxFileSize: maxFileSize) } : nil
                for result in results { emit(result) }
            }
        }
        if let baseline { summary.baselineUnmatched = baseline.entryCount - usedBaselineEntries.values.reduce(0) { $0 + $1.count } }
        for reporter in reporters { reporter.finish(summary) }
        return Outcome(summary: summary, failed: failed, exitCode: failed ? 1 : 0)
    }

    static func lint(_ input: DiscoveredInput, _ linter: Linter) -> FileResult {
        switch input {
        case .report(let path, let explicit, let fileSystemPath): linter.lint(path: path, explicit: explicit, fileSystemPath: fileSystemPath)
        case .problem(let problem): FileResult(path: problem.path, toolDiagnostics: [problem])
        }
    }
}

/// How far a run is: files written, files found so far, and whether the walk goes on.
public struct LintProgress: Sendable {
    public var done: Int
    public var found: Int
    public var walking: Bool

    public init(done: Int, found: Int, walking: Bool) {
        self.done = done
        self.found = found
        self.walking = walking
    }
}

/// The hand-over between the walking thread, the linting threads and the writer (the calling
/// thread, which also lints). Inputs are numbered in walk order; results are written in that
/// order. Memory stays flat however large the archive: the walk stops `backlog` inputs ahead of
/// the linters, and at most `window` results wait to be written.
///
/// One mutex with a condition per kind of waiter, signalled only when that waiter is asleep and
/// can go on: a broadcast on every hand-over would wake every thread for every file.
final class Pipeline: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let writerCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let linterCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let walkerCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    private let window: Int
    private let backlog: Int
    /// Inputs found and not yet taken; `queue[head...]` are inputs `taken...`.
    private var queue: [DiscoveredInput] = []
    private var head = 0
    private var found = 0
    private var taken = 0
    private var written = 0
    private var walking = true
    private var skipped = 0
    private var skippedLinks = 0
    private var results: [Int: FileResult] = [:]
    private var writerWaiting = false
    private var lintersWaiting = 0
    private var walkerWaiting = false

    init(window: Int, backlog: Int) {
        self.window = max(1, window)
        self.backlog = max(1, backlog)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(writerCondition, nil)
        pthread_cond_init(linterCondition, nil)
        pthread_cond_init(walkerCondition, nil)
    }

    deinit {
        pthread_cond_destroy(walkerCondition)
        pthread_cond_destroy(linterCondition)
        pthread_cond_destroy(writerCondition)
        pthread_mutex_destroy(mutex)
        walkerCondition.deallocate()
        linterCondition.deallocate()
        writerCondition.deallocate()
        mutex.deallocate()
    }

    /// The walker found an input (blocks while `backlog` inputs wait to be taken).
    func add(_ input: DiscoveredInput) {
        pthread_mutex_lock(mutex)
        while found - taken >= backlog {
            walkerWaiting = true
            pthread_cond_wait(walkerCondition, mutex)
            walkerWaiting = false
        }
        queue.append(input)
        found += 1
        if lintersWaiting > 0 { pthread_cond_signal(linterCondition) }
        if writerWaiting { pthread_cond_signal(writerCondition) }
        pthread_mutex_unlock(mutex)
    }

    func finishWalk(skipped: Int, links: Int) {
        pthread_mutex_lock(mutex)
        walking = false
        self.skipped = skipped
        self.skippedLinks = links
        pthread_cond_broadcast(linterCondition)
        pthread_cond_signal(writerCondition)
        pthread_mutex_unlock(mutex)
    }

    /// The next input to lint, if one is found and the window has room (call with the mutex held).
    private func takeLocked() -> (Int, DiscoveredInput)? {
        guard taken < found, taken - written < window else { return nil }
        let input = queue[head]
        head += 1
        taken += 1
        // Drop the taken inputs now and then (amortized O(1) per input).
        if head >= 1024, head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        if walkerWaiting, found - taken < backlog / 2 + 1 { pthread_cond_signal(walkerCondition) }
        // The last input is taken: every linter still waiting (for room in the window) is done.
        // Waking one per written result is not enough, since the writer may take the rest itself.
        if !walking, taken == found, lintersWaiting > 0 { pthread_cond_broadcast(linterCondition) }
        return (taken - 1, input)
    }

    /// For a linting thread: the next input with its number, or nil when none is left.
    func take() -> (Int, DiscoveredInput)? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let next = takeLocked() { return next }
            if !walking && taken >= found { return nil }
            lintersWaiting += 1
            pthread_cond_wait(linterCondition, mutex)
            lintersWaiting -= 1
        }
    }

    func put(_ index: Int, _ result: FileResult) {
        pthread_mutex_lock(mutex)
        results[index] = result
        if writerWaiting, index == written { pthread_cond_signal(writerCondition) }
        pthread_mutex_unlock(mutex)
    }

    enum Step {
        case result(FileResult, LintProgress)
        case work(Int, DiscoveredInput)
        case finished(skipped: Int, links: Int)
    }

    /// For the writer: result `index` when it is ready; otherwise an input to lint meanwhile;
    /// otherwise waits. `.finished` once every input is written and the walk is over.
    func step(_ index: Int) -> Step {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let result = results.removeValue(forKey: index) {
                written = index + 1
                if lintersWaiting > 0, taken < found { pthread_cond_signal(linterCondition) }
                return .result(result, LintProgress(done: written, found: found, walking: walking))
            }
            if !walking && index >= found { return .finished(skipped: skipped, links: skippedLinks) }
            if let (i, input) = takeLocked() { return .work(i, input) }
            writerWaiting = true
            pthread_cond_wait(writerCondition, mutex)
            writerWaiting = false
        }
    }
}

extension LintRun {
    /// The checker for the rules across reports a configuration turns on; nil when none is on.
    static func archiveChecker(_ configuration: LintConfiguration) -> ArchiveChecker? {
        var settings: [String: ArchiveChecker.Setting] = [:]
        for entry in configuration.base {
            guard let rule = entry.rule as? CrossReportRuleEntry else { continue }
            settings[entry.id] = ArchiveChecker.Setting(severity: entry.severity, threshold: rule.threshold)
        }
        return settings.isEmpty ? nil : ArchiveChecker(settings: settings)
    }

    /// The digests of the history: every report under the paths, read and scanned, no rule run; and
    /// what could not be read (a database, a report, a folder), as results with problems only.
    static func historyDigests(_ paths: [String], aliases: [String: String], followSymlinks: Bool,
                               maxFileSize: Int) -> (entries: [ArchiveChecker.Entry], problems: [FileResult]) {
        guard !paths.isEmpty else { return ([], []) }
        // An archive database written by an earlier run stands in for its reports.
        var out: [ArchiveChecker.Entry] = []
        var problems: [FileResult] = []
        func problem(_ path: String, _ message: String) {
            problems.append(FileResult(path: path, toolDiagnostics: [ToolDiagnostic(id: .unreadable, path: path, message: message)]))
        }
        var reportPaths: [String] = []
        for path in paths {
            guard ArchiveDatabaseWriter.isDatabase(path) else {
                reportPaths.append(path)
                continue
            }
            do {
                let stored = try ArchiveDatabaseWriter.digests(in: path)
                out += stored.digests.map { ArchiveChecker.Entry(path: $0.path, digest: $0.digest, isHistory: true) }
                if stored.unreadable > 0 {
                    problem(path, "--history 数据库中 \(stored.unreadable) 个报告的摘要无法读取（由不兼容的版本写入或已损坏），未参与比较")
                }
            } catch {
                problem(path, "--history 的 SQLite 文件不是可读的报告数据库（应由 --format sqlite=FILE 写入）：\(error)")
            }
        }
        guard !reportPaths.isEmpty else { return (out, problems) }
        var linter = Linter(rules: RuleSet(entries: []))
        linter.maxFileSize = maxFileSize
        linter.digestAliases = aliases
        var discovery = FileDiscovery(followSymlinks: followSymlinks) { _ in true }
        discovery.discover(reportPaths) { found in
            switch found {
            case .report(let path, let explicit, let fileSystemPath):
                let result = linter.lint(path: path, explicit: explicit, fileSystemPath: fileSystemPath)
                if let digest = result.digest {
                    out.append(ArchiveChecker.Entry(path: path, digest: digest, isHistory: true))
                } else if !result.toolDiagnostics.isEmpty {
                    problems.append(FileResult(path: path, toolDiagnostics: result.toolDiagnostics))
                }
            case .problem(let found):
                problems.append(FileResult(path: found.path, toolDiagnostics: [found]))
            }
        }
        return (out, problems)
    }

    /// The view text of a report and its positions, read again (no scan); nil when it cannot be read.
    static func positions(of path: String, maxFileSize: Int) -> Positions? {
        guard let bytes = try? Linter.read(path, limit: maxFileSize),
              case .success(let input) = InputReader.read(bytes, kind: ReportFormat.of(path: path) ?? .text, path: path) else { return nil }
        return Positions(view: input.view, map: input.map)
    }

    /// The follow-up results of one part of the run (entries `part`): its findings made in parallel,
    /// the places in other reports located, and its files with findings read again (no rule, no scan).
    static func followUps(_ checks: ArchiveChecker.Checks, _ part: Range<Int>, maxFileSize: Int) -> [FileResult] {
        let made = Mutex([[Diagnostic]](repeating: [], count: part.count))
        DispatchQueue.concurrentPerform(iterations: part.count) { n in
            let found = checks.findings(part.lowerBound + n)
            if !found.isEmpty { made.withLock { $0[n] = found } }
        }
        var found: [String: [Diagnostic]] = [:]
        var reported: [Int] = []
        for (n, diagnostics) in made.withLock({ $0 }).enumerated() where !diagnostics.isEmpty {
            found[checks.entries[part.lowerBound + n].path] = diagnostics
            reported.append(part.lowerBound + n)
        }
        guard !reported.isEmpty else { return [] }
        locateElsewhere(&found, maxFileSize: maxFileSize)
        let located = found, files = reported
        let results = Mutex([FileResult?](repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { n in
            let entry = checks.entries[files[n]]
            let result = followUp(entry, located[entry.path] ?? [], maxFileSize: maxFileSize)
            results.withLock { $0[n] = result }
        }
        return results.withLock { $0 }.compactMap { $0 }
    }

    /// Fills in line and column of each place in another report (digests keep byte offsets only),
    /// reading each such report once.
    static func locateElsewhere(_ found: inout [String: [Diagnostic]], maxFileSize: Int) {
        // The places to look up, per other report (`found` is one part of the run: a few hundred files).
        var gathered: [String: Set<SourceSpan>] = [:]
        for diagnostics in found.values {
            for d in diagnostics { for r in d.elsewhere where !r.isLocated { gathered[r.path, default: []].insert(r.span) } }
        }
        // Most places were located when their report was read (its digest keeps them).
        guard !gathered.isEmpty else { return }
        let spans = gathered
        let paths = spans.keys.sorted()
        let located = Mutex([String: [SourceSpan: SourceLocation]]())
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            guard let positions = positions(of: paths[i], maxFileSize: maxFileSize) else { return }
            var out: [SourceSpan: SourceLocation] = [:]
            for span in spans[paths[i]] ?? [] where span.end <= positions.view.bytes.count { out[span] = positions.location(of: span.start) }
            located.withLock { $0[paths[i]] = out }
        }
        let table = located.withLock { $0 }
        found = found.mapValues { diagnostics in
            diagnostics.map { d in
                var d = d
                d.elsewhere = d.elsewhere.map { r in
                    var r = r
                    if !r.isLocated, let at = table[r.path]?[r.span] { (r.line, r.column, r.utf16Column) = (at.line, at.column, at.utf16Column) }
                    return r
                }
                return d
            }
        }
    }

    /// The cross-report findings of a file already reported, with its text read again for positions
    /// and excerpts (these are few files; their digests keep no text). A file changed since is said so.
    static func followUp(_ entry: ArchiveChecker.Entry, _ diagnostics: [Diagnostic], maxFileSize: Int) -> FileResult {
        var result = FileResult(path: entry.path, diagnostics: diagnostics)
        result.isFollowUp = true
        let format = ReportFormat.of(path: entry.path) ?? .text
        let input: ReadInput? = (try? Linter.read(entry.path, limit: maxFileSize)).flatMap { bytes in
            if case .success(let input) = InputReader.read(bytes, kind: format, path: entry.path) { return input }
            return nil
        }
        switch input {
        case .some(let input) where ReportDigester.contentFingerprint(input.view.bytes) == entry.digest.content:
            result.format = format
            result.encoding = input.encoding
            result.source = input.view
            result.sourceMap = input.map
        default:
            result.diagnostics = []
            result.toolDiagnostics = [ToolDiagnostic(id: .unreadable, path: entry.path,
                                                     message: "文件在检查过程中被修改或无法再读取，跨报告检查的 \(diagnostics.count) 项结果未能定位")]
        }
        return result
    }
}

/// Writes the archive database as results come (`--format sqlite=FILE`).
public final class DatabaseReporter: Reporter {
    public let writer: ArchiveDatabaseWriter

    public init(path: String) throws {
        writer = try ArchiveDatabaseWriter(path: path)
    }

    public func add(_ file: FileResult) { writer.add(file) }

    public func finish(_ summary: RunSummary) { writer.finish() }
}

/// The files a run has already taken, by their real path, when several paths are linted.
final class SeenFiles: Sendable {
    let active: Bool
    private let paths = Mutex(Set<String>())

    init(active: Bool) { self.active = active }

    /// Whether the input names a file taken before (a problem, such as a directory loop, is never a repeat).
    func isRepeat(_ input: DiscoveredInput) -> Bool {
        guard active, case .report(let path, _, let fileSystemPath) = input else { return false }
        let key = FileDiscovery.withCString(fileSystemPath ?? Array(path.utf8)) { raw -> String in
            guard let resolved = realpath(raw, nil) else { return path }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return !paths.withLock { $0.insert(key).inserted }
    }
}

/// Work begun on a queue whose result is waited for later.
final class Pending<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(on queue: DispatchQueue, _ work: @escaping @Sendable () -> Value) {
        queue.async { [self] in
            let made = work()
            value.withLock { $0 = made }
            done.signal()
        }
    }

    /// The result, once the work is done (once only).
    func wait() -> Value {
        done.wait()
        return value.withLock { $0.take()! }
    }
}
