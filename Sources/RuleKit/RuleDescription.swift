/// A report text used as documentation and as a test: each `↓` marks where the rule must report
/// (the finding's start), and an example without `↓` must give no finding of the rule.
///
/// An example may also stand for a configuration's hints (`province`, `kind`: what `hints:` says in
/// `.reportlint.yml`), and carries the mistakes found while it was built (`problems`: an edit of
/// an `ExampleReport` whose text is not in the report), which the example harness reports as failures.
public struct Example: Sendable, Hashable {
    public var text: String
    public var file: String
    public var line: Int
    /// The province the configuration is taken to name when the example runs (`hints.province`).
    public var province: String?
    /// The report kind the configuration is taken to state when the example runs (`hints.kind`).
    public var kind: ReportKind?
    /// What is wrong with the example itself; an example with a problem fails, whatever the rule does.
    public var problems: [String]

    public init(_ text: String, province: String? = nil, kind: ReportKind? = nil, file: String = #filePath, line: Int = #line) {
        self.text = text
        self.file = file
        self.line = line
        self.province = province
        self.kind = kind
        problems = []
    }

    /// An example report; an edit whose text is not in the report is a problem of the example.
    public init(_ report: ExampleReport, province: String? = nil, kind: ReportKind? = nil, file: String = #filePath, line: Int = #line) {
        let (text, unmatched) = report.rendered
        self.init(text, province: province, kind: kind, file: file, line: line)
        problems = unmatched.map { "替换的原文“\($0)”不在示例报告中" }
    }

    /// The context the example runs in: `base` with the example's hints.
    public func context(_ base: RuleContext) -> RuleContext {
        var context = base
        if let province { context.province = province }
        if let kind { context.kind = kind }
        return context
    }

    public static let marker = "↓"

    /// The text without markers, and the UTF-8 offset of each marker in it.
    public var stripped: (text: String, offsets: [Int]) {
        var out: [UInt8] = []
        var offsets: [Int] = []
        let markerBytes = Array(Example.marker.utf8)
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == markerBytes[0], i + markerBytes.count <= bytes.count, Array(bytes[i..<(i + markerBytes.count)]) == markerBytes {
                offsets.append(out.count)
                i += markerBytes.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), offsets)
    }
}

/// Everything users and tests need to know about a rule.
public struct RuleDescription: Sendable {
    /// `category.kebab-name`, as in RULES.md.
    public var id: String
    public var name: String
    public var severity: Severity
    /// One sentence: what fires.
    public var summary: String
    /// Why it matters, and the domain source.
    public var rationale: String
    /// Where the rule is defined: `Plugins/TableRules` or a YAML file path.
    public var source: String
    // Examples are whole reports, and building them was most of `lint`'s start-up, which never
    // reads them: they are built when `test`, `rules` or `explain` asks (again on each access).
    private let makeTriggering: @Sendable () -> [Example]
    private let makePassing: @Sendable () -> [Example]

    public var triggering: [Example] { makeTriggering() }
    public var passing: [Example] { makePassing() }

    public init(id: String, name: String, severity: Severity, summary: String, rationale: String,
                triggering: @escaping @autoclosure @Sendable () -> [Example], passing: @escaping @autoclosure @Sendable () -> [Example],
                source: String = #fileID) {
        self.source = source.hasSuffix(".swift") ? "Plugins/" + source.split(separator: "/").first.map(String.init)! : source
        self.id = id
        self.name = name
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        makeTriggering = triggering
        makePassing = passing
    }
}
