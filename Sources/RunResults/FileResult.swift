import RuleKit

/// A finding with its rule id and effective severity.
public struct Diagnostic: Sendable, Codable, Hashable {
    public var ruleID: String
    public var severity: Severity
    public var span: SourceSpan
    public var message: String
    public var related: [RelatedSpan]
    /// Places in other reports (a cross-report finding's report of last year), already located.
    public var elsewhere: [RemoteLocation]

    public init(ruleID: String, severity: Severity, span: SourceSpan, message: String, related: [RelatedSpan] = [],
                elsewhere: [RemoteLocation] = []) {
        self.ruleID = ruleID
        self.severity = severity
        self.span = span
        self.message = message
        self.related = related
        self.elsewhere = elsewhere
    }
}

/// The tool's own diagnostics (RULES.md "Tool diagnostics"): never findings about a report.
public enum ToolDiagnosticID: String, Sendable, Codable {
    case unreadable = "io.unreadable"
    case decode = "io.decode"
    /// A few damaged byte sequences were replaced with U+FFFD; the rest was linted.
    case lossyDecode = "io.lossy-decode"
    case unsupported = "io.unsupported"
    case configInvalid = "config.invalid"
    /// A user pattern ran past its time budget on a file; the rule was stopped for that file.
    case ruleTimeout = "rule.timeout"
    /// A rule failed on a file (a defect of the rule, not of the report); never reported as a timeout.
    case ruleError = "rule.error"
}

public struct ToolDiagnostic: Sendable, Codable, Hashable {
    public var id: ToolDiagnosticID
    public var path: String
    public var message: String

    public init(id: ToolDiagnosticID, path: String, message: String) {
        self.id = id
        self.path = path
        self.message = message
    }
}

/// What the scanner recognised of a report, as `dump` shows it: issuer and report year as the title
/// gives them, its kind, and the format version of each table that has one (`二`, `三`, `四` →
/// `2019`/`2021`). Outputs that group reports (html, csv, json) read it.
public struct ReportProfile: Sendable, Hashable {
    public var issuer: String?
    public var year: Int?
    public var kind: String
    public var tableFormats: [String: String]

    public init(issuer: String?, year: Int?, kind: String, tableFormats: [String: String]) {
        self.issuer = issuer
        self.year = year
        self.kind = kind
        self.tableFormats = tableFormats
    }
}

/// What linting one input produced.
public struct FileResult: Sendable {
    /// The path as given or walked, used in every report.
    public var path: String
    public var format: ReportFormat?
    public var encoding: TextEncoding?
    /// The decoded text the scanner read, for snippets and columns; nil when the file could not be read.
    public var source: SourceText?
    /// Maps `source` offsets to the original file, for HTML and Word inputs.
    public var sourceMap: SourceMap?
    public var diagnostics: [Diagnostic]
    public var toolDiagnostics: [ToolDiagnostic]
    /// What the cross-report rules keep of the report (set when they are on; the engine takes it
    /// before the result reaches the reporters).
    public var digest: ReportDigest?
    /// The report's facts for the archive database (set when one is written).
    public var facts: ReportFacts?
    /// Cross-report findings of a file already reported: reporters add the findings, not the file again.
    public var isFollowUp = false
    /// What the scanner recognised of the report (issuer, year, kind, table formats); nil when it was not read.
    public var profile: ReportProfile?

    public init(path: String, format: ReportFormat? = nil, encoding: TextEncoding? = nil, source: SourceText? = nil,
                sourceMap: SourceMap? = nil, diagnostics: [Diagnostic] = [], toolDiagnostics: [ToolDiagnostic] = []) {
        self.path = path
        self.sourceMap = sourceMap
        self.format = format
        self.encoding = encoding
        self.source = source
        self.diagnostics = diagnostics
        self.toolDiagnostics = toolDiagnostics
    }

    public var wasLinted: Bool { source != nil }

    /// How this file's positions are reported; nil when it was not read.
    public var positions: Positions? { source.map { Positions(view: $0, map: sourceMap) } }
}
