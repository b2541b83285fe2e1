import RuleKit

/// Totals of a run, handed to every reporter at the end.
public struct RunSummary: Sendable {
    public var filesLinted = 0
    public var filesFailed = 0
    public var skipped = 0
    /// Of `skipped`, symbolic links not followed (no `--follow-symlinks`).
    public var skippedLinks = 0
    public var counts: [Severity: Int] = [:]
    public var byFormat: [String: Int] = [:]
    public var byEncoding: [String: Int] = [:]
    public var configProblems: [ToolDiagnostic] = []
    /// Findings hidden because the baseline holds them.
    public var baselined = 0
    /// Baseline entries (a file, a line's text and a message) that hid no finding of the run: fixed
    /// since, or written for other paths.
    public var baselineUnmatched = 0
    /// Results beyond GitHub's per-run limit that SARIF left out.
    public var sarifTruncated = 0
    /// Findings per rule id.
    public var byRule: [String: Int] = [:]
    /// Reports linted (each once) with no finding and no problem, and with at least one error.
    public private(set) var cleanFiles = 0
    public private(set) var filesWithErrors = 0
    private var flagged: Set<String> = []
    private var erroring: Set<String> = []
    private var linted = 0

    public init() {}

    public mutating func add(_ file: FileResult) {
        // A follow-up (findings across reports of a file already counted) adds its findings only.
        if file.wasLinted, !file.isFollowUp {
            filesLinted += 1
            byFormat[file.format?.rawValue ?? "text", default: 0] += 1
            if let encoding = file.encoding { byEncoding[encoding.rawValue, default: 0] += 1 }
        }
        if !file.toolDiagnostics.isEmpty { filesFailed += 1 }
        for d in file.diagnostics {
            counts[d.severity, default: 0] += 1
            byRule[d.ruleID, default: 0] += 1
        }
        // A follow-up can turn a clean report into one with findings, or add its first error.
        if file.wasLinted, !file.isFollowUp { linted += 1 }
        if file.wasLinted, !file.diagnostics.isEmpty || !file.toolDiagnostics.isEmpty { flagged.insert(file.path) }
        if file.diagnostics.contains(where: { $0.severity == .error }) { erroring.insert(file.path) }
        cleanFiles = linted - flagged.count
        filesWithErrors = erroring.count
    }
}
