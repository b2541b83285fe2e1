@_exported import ReportModel

/// How serious a finding is; the SARIF levels of the same names.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case note, warning, error

    var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A further place a finding involves (the other cells of a failed identity).
public struct RelatedSpan: Sendable, Codable, Hashable {
    public var span: SourceSpan
    public var message: String

    public init(_ span: SourceSpan, _ message: String) {
        self.span = span
        self.message = message
    }
}

/// What a rule reports: where, what, and what else is involved. The engine adds id and severity.
public struct Finding: Sendable, Codable, Hashable {
    public var span: SourceSpan
    public var message: String
    public var related: [RelatedSpan]

    public init(span: SourceSpan, message: String, related: [RelatedSpan] = []) {
        self.span = span
        self.message = message
        self.related = related
    }
}

/// Report-wide settings a rule may read: hints from the configuration and rule-pack additions.
public struct RuleContext: Sendable {
    /// Extra row labels a rule pack allows, by table (`其他主动公开文件` in 湖北's table 二).
    public var extraRows: [TableID: Set<String>]
    /// The report kind when the configuration states it, overriding what the title suggests.
    public var kind: ReportKind?
    /// The province the configuration names (`湖北`), for rules that apply to one province.
    public var province: String?
    /// Time budget for one user pattern on one document.
    public var patternBudgetMilliseconds: Int

    public init(extraRows: [TableID: Set<String>] = [:], kind: ReportKind? = nil, province: String? = nil,
                patternBudgetMilliseconds: Int = 500) {
        self.extraRows = extraRows
        self.kind = kind
        self.province = province
        self.patternBudgetMilliseconds = patternBudgetMilliseconds
    }

    /// The kind to judge a document by: the configuration's, else what its title says.
    public func kind(of document: Document) -> ReportKind { kind ?? document.kind }

    public static let standard = RuleContext()
}

/// A rule over the document model. Rules are value types without mutable shared state; a Swift
/// rule (`SwiftRule`) and a rule loaded from YAML look the same to the engine.
public protocol Rule: Sendable {
    var description: RuleDescription { get }
    /// Throws `RuleTimeout` when a user pattern runs past its time budget on this document.
    func check(_ document: Document, context: RuleContext) throws -> [Finding]
}

/// A rule written in Swift, one per file under `Plugins/`, described statically.
public protocol SwiftRule: Rule {
    static var description: RuleDescription { get }
    init()
}

extension SwiftRule {
    public var description: RuleDescription { Self.description }
}

/// A rule stopped because a pattern ran longer than its budget on one document.
public struct RuleTimeout: Error, Sendable {
    public var ruleID: String
    public var milliseconds: Int

    public init(ruleID: String, milliseconds: Int) {
        self.ruleID = ruleID
        self.milliseconds = milliseconds
    }
}

/// A group of Swift rules linked into the tool (a target under `Plugins/`).
public protocol RulePlugin {
    static var name: String { get }
    static var rules: [any SwiftRule.Type] { get }
}

/// A rule that lets documents carry rows the template lacks (`kind: extra-rows` in a rule pack):
/// the engine adds the rows of every such rule that applies to a document to the context that all
/// rules see, so a provincial row is not reported as unknown.
public protocol RowAllowingRule: Rule {
    /// Whether the rule allows any row at all; one that allows none is left out.
    var allowsRows: Bool { get }
    /// The rows this document may carry, by table (empty when the rule does not apply to it).
    func extraRows(for document: Document, context: RuleContext) -> [TableID: Set<String>]
}

/// A rule that applies to some reports only (`applies:` of a YAML rule: year, kind, format, issuer,
/// province): it can say why it did not apply to a document, so that an example that gives no
/// finding because of that says so rather than only "expected a finding".
public protocol ConditionalRule: Rule {
    /// Why the rule does not apply to this document in this context (`省份 湖北 ≠ 福建`), or nil when it applies.
    func inapplicability(to document: Document, context: RuleContext) -> String?
}

/// A rule the configuration can give options (`rules: {id: {options: {key: value}}}`).
public protocol ConfigurableRule: Rule {
    /// The rule with the options applied; throws a positioned error naming the option at fault.
    func configured(with options: [RuleOption]) throws -> any Rule
}

/// One option from the configuration: its key, its value as YAML text, and where it stands.
public struct RuleOption: Sendable {
    public var key: String
    public var yaml: String
    public var file: String
    public var line: Int
    public var column: Int
    public var lineText: String

    public init(key: String, yaml: String, file: String, line: Int, column: Int, lineText: String) {
        self.key = key
        self.yaml = yaml
        self.file = file
        self.line = line
        self.column = column
        self.lineText = lineText
    }
}

/// A rule that compares reports with each other (RULES.md "Across reports"): it reports nothing on
/// one document (`check` gives no finding); the engine runs it over the digests of a whole run.
/// It is a rule like any other for the catalogue, the configuration, `explain` and SARIF; its
/// examples are series of reports, tested by the series fixtures rather than one-report examples.
public protocol CrossReportRule: Rule {}
