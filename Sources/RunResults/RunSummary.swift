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
    /// Results beyond GitHub's per-run limit that SARIF left out.
    public var sarifTruncated = 0

    public init() {}

    public mutating func add(_ file: FileResult) {
        // A follow-up (findings across reports of a file already counted) adds its findings only.
        if file.wasLinted, !file.isFollowUp {
            filesLinted += 1
            byFormat[file.format?.rawValue ?? "text", default: 0] += 1
            if let encoding = file.encoding { byEncoding[encoding.rawValue, default: 0] += 1 }
        }
        if !file.toolDiagnostics.isEmpty { filesFailed += 1 }
        for d in file.diagnostics { counts[d.severity, default: 0] += 1 }
    }
}
