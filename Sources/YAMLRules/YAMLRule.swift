import Foundation
import RuleKit
import UserPatterns
import Yams
import YAMLFiles

/// What a YAML rule kind does with a document. One kind per file under `Kinds/`.
protocol RuleCheck: Sendable {
    func check(_ document: Document, _ run: CheckRun) throws -> [Finding]
    /// Whether the kind runs user patterns, and so needs the time budget's deadline.
    var usesPatterns: Bool { get }
}

extension RuleCheck {
    var usesPatterns: Bool { true }
}

/// Per-document state a check needs: the rule's id and message, the context and the time budget.
struct CheckRun {
    var ruleID: String
    var message: MessageTemplate
    var context: RuleContext
    var deadline: ContinuousClock.Instant

    func regexBudgetExceeded() -> RuleTimeout { RuleTimeout(ruleID: ruleID, milliseconds: context.patternBudgetMilliseconds) }
}

/// `{name}` placeholders, checked against what the kind provides when the rule loads.
struct MessageTemplate: Sendable {
    var text: String

    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var current: String?
        for c in text {
            if c == "{" { current = "" } else if c == "}", let name = current { names.append(name); current = nil } else if current != nil { current!.append(c) }
        }
        return names
    }

    /// The text with each `{name}` that `values` names replaced, in one pass over the bytes
    /// (Foundation's replacing, once per placeholder, compared Chinese text the slow way).
    func render(_ values: KeyValuePairs<String, String>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 32)
        var rest = text.utf8[...]
        while let open = rest.firstIndex(of: UInt8(ascii: "{")) {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: UInt8(ascii: "}")),
               let value = values.first(where: { $0.key.utf8.elementsEqual(rest[afterOpen..<close]) })?.value {
                out += value.utf8
                rest = rest[rest.index(after: close)...]
            } else {
                out.append(UInt8(ascii: "{"))
                rest = rest[afterOpen...]
            }
        }
        out += rest
        return String(decoding: out, as: UTF8.self)
    }
}

/// When a rule applies, from report facts and configuration hints.
struct Applicability: Sendable {
    var years: ClosedRange<Int>?
    var kind: ReportKind?
    var format: FormatVersion?
    var issuer: UserRegex?
    var province: String?

    /// Throws when the issuer pattern runs past `deadline`: it is a user pattern like any other,
    /// under the same budget as the rule's own.
    func applies(to document: Document, context: RuleContext, deadline: ContinuousClock.Instant) throws(UserRegex.TimedOut) -> Bool {
        if let years {
            guard let y = document.reportYear, years.contains(y) else { return false }
        }
        if let kind, context.kind(of: document) != kind { return false }
        if let format {
            let formats = [document.table(.two)?.format, document.table(.three)?.format].compactMap { $0 }
            guard formats.contains(format) else { return false }
        }
        if let issuer {
            guard let name = document.issuer, try issuer.firstMatch(in: name, deadline: deadline) else { return false }
        }
        if let province {
            // A province rule runs when the configuration names that province, or the issuer starts with it.
            let named = context.province.map { $0.hasPrefix(province) || province.hasPrefix($0) } ?? false
            let issuerIn = document.issuer?.hasPrefix(province) ?? false
            guard named || issuerIn else { return false }
        }
        return true
    }

    /// Why the rule does not apply to `document`, said the way `applies:` is written, or nil when it applies.
    func inapplicability(to document: Document, context: RuleContext, deadline: ContinuousClock.Instant) -> String? {
        if let years {
            guard let y = document.reportYear else { return "报告年度不明（applies.report_year 要求 \(Self.describe(years))）" }
            guard years.contains(y) else { return "报告年度 \(y) 不满足 report_year \(Self.describe(years))" }
        }
        if let kind, context.kind(of: document) != kind {
            let actual = context.kind(of: document)
            return "报告类型 \(actual.rawValue)\(context.kind == nil ? "（由标题判断）" : "（由 kind 提示给出）") ≠ \(kind.rawValue)"
        }
        if let format {
            let formats = [document.table(.two)?.format, document.table(.three)?.format].compactMap { $0 }
            if !formats.contains(format) {
                return "表格格式 \(formats.isEmpty ? "不明" : formats.map(\.rawValue).joined(separator: "、")) ≠ \(format.rawValue)"
            }
        }
        if let issuer {
            guard let name = document.issuer else { return "报告没有可识别的发布机关（applies.issuer_matches 要求匹配 \(issuer.pattern)）" }
            do {
                guard try issuer.firstMatch(in: name, deadline: deadline) else { return "发布机关“\(name)”不匹配 issuer_matches \(issuer.pattern)" }
            } catch {
                return "issuer_matches 的模式在发布机关“\(name)”上超时"
            }
        }
        if let province {
            let named = context.province.map { $0.hasPrefix(province) || province.hasPrefix($0) } ?? false
            let issuerIn = document.issuer?.hasPrefix(province) ?? false
            if !(named || issuerIn) {
                let hint = context.province.map { "省份 \($0) ≠ \(province)" } ?? "没有给出省份（hints.province 或示例的 province）"
                return hint + "，发布机关“\(document.issuer ?? "（不明）")”也不以“\(province)”开头"
            }
        }
        return nil
    }

    static func describe(_ years: ClosedRange<Int>) -> String {
        years.lowerBound == years.upperBound ? "\(years.lowerBound)" : years.upperBound == 9999 ? ">= \(years.lowerBound)"
            : years.lowerBound == 0 ? "<= \(years.upperBound)" : "\(years.lowerBound)–\(years.upperBound)"
    }

    /// The keys `read` looks up (all of them, on any mapping).
    static func keys() throws -> Set<String> {
        var keys: Set<String> = []
        _ = try read(NodeReader(.mapping(Node.Mapping([])), file: "", text: ""), used: &keys)
        return keys
    }

    static func read(_ reader: NodeReader) throws -> Applicability {
        var keys: Set<String> = []
        return try read(reader, used: &keys)
    }

    static func read(_ reader: NodeReader, used: inout Set<String>) throws -> Applicability {
        var r = reader
        defer { used = r.used }
        var a = Applicability()
        if let y = r.optional("report_year") {
            // Years within 0…9999, the open ends' bounds: a range from 10000 to 9999 would trap.
            func year(_ v: Int, _ node: Node) throws -> Int {
                guard (0...9999).contains(v) else { throw r.error("report_year 的年份应在 0 至 9999 之间，而不是 \(v)", at: node) }
                return v
            }
            if let s = y.scalar?.string {
                if let v = Int(s) { a.years = try year(v, y)...v } else if s.hasPrefix(">="), let v = Int(s.dropFirst(2).trimmingCharacters(in: .whitespaces)) {
                    a.years = try year(v, y)...9999
                } else if s.hasPrefix("<="), let v = Int(s.dropFirst(2).trimmingCharacters(in: .whitespaces)) {
                    a.years = 0...(try year(v, y))
                } else { throw r.error("report_year 应为年份、\">= 2022\"、\"<= 2020\" 或 {from, to}", at: y) }
            } else {
                var m = r.child(y)
                let from = try m.optional("from").map { try year(try m.int($0), $0) } ?? 0
                let to = try m.optional("to").map { try year(try m.int($0), $0) } ?? 9999
                try m.finish()
                guard from <= to else { throw r.error("from 不能大于 to", at: y) }
                a.years = from...to
            }
        }
        if let k = r.optional("kind") { a.kind = try r.oneOf(k, ["government": ReportKind.government, "department": .department]) }
        if let f = r.optional("format") { a.format = try r.oneOf(f, ["2019": FormatVersion.v2019, "2021": .v2021]) }
        if let i = r.optional("issuer_matches") { a.issuer = try UserRegex(try r.string(i), reader: r, node: i) }
        if let p = r.optional("province") { a.province = try r.string(p) }
        try r.finish()
        return a
    }
}

/// A rule loaded from a YAML file.
public struct YAMLRule: Rule {
    public let description: RuleDescription
    let applicability: Applicability
    let message: MessageTemplate
    let checker: any RuleCheck
    /// Extra rows the rule allows (kind `extra-rows`), merged into the run's context.
    public let extraRows: [TableID: Set<String>]
    /// The rule file's text, to re-read it with options from a configuration.
    let fileText: String

    /// Extra rows this rule allows for a document it applies to.
    /// A runaway issuer pattern gives none: `check` then stops the rule for the document and says so.
    public func extraRows(for document: Document, context: RuleContext) -> [TableID: Set<String>] {
        guard !extraRows.isEmpty else { return [:] }
        let deadline = applicability.issuer == nil ? Self.noDeadline : .now + .milliseconds(context.patternBudgetMilliseconds)
        return (try? applicability.applies(to: document, context: context, deadline: deadline)) == true ? extraRows : [:]
    }

    /// The same rule with some of its kind's keys replaced (`options` in a configuration).
    public func with(options: [(key: String, yaml: String, place: ConfigPlace)]) throws(ConfigError) -> YAMLRule {
        guard !options.isEmpty else { return self }
        do {
            guard let root = try YAMLText.compose(fileText), case .mapping(var mapping) = root else { return self }
            for option in options {
                if ["id", "kind", "examples"].contains(option.key) {
                    throw option.place.error("选项不能修改规则的“\(option.key)”")
                }
                guard let value = try YAMLText.compose(option.yaml) else { continue }
                if let index = mapping.firstIndex(where: { $0.key.string == option.key }) {
                    mapping[index] = (mapping[index].key, value)
                } else {
                    mapping[Node(option.key)] = value
                }
            }
            do {
                return try RuleFile.parse(NodeReader(.mapping(mapping), file: description.source, text: fileText), source: description.source)
            } catch let error as ConfigError {
                // Report where the option was written, with what the rule's kind said about it.
                let place = options.first { error.message.contains($0.key) }?.place ?? options[0].place
                throw place.error("规则 \(description.id) 的选项有误：\(error.message)")
            }
        } catch let error as ConfigError {
            throw error
        } catch {
            throw options[0].place.error("规则 \(description.id) 的选项有误：\(error)")
        }
    }

    /// The deadline handed to kinds that run no pattern (they never read it).
    static let noDeadline = ContinuousClock.now

    public func check(_ document: Document, context: RuleContext) throws -> [Finding] {
        // Reading the clock for each rule and document showed in profiles: a rule reads it only for a
        // user pattern, and once it applies, unless its issuer pattern (under the same budget) needed it first.
        let budget = Duration.milliseconds(context.patternBudgetMilliseconds)
        var deadline = applicability.issuer == nil ? Self.noDeadline : .now + budget
        do {
            guard try applicability.applies(to: document, context: context, deadline: deadline) else { return [] }
        } catch {
            throw RuleTimeout(ruleID: description.id, milliseconds: context.patternBudgetMilliseconds)
        }
        if applicability.issuer == nil, checker.usesPatterns { deadline = .now + budget }
        return try checker.check(document, CheckRun(ruleID: description.id, message: message, context: context, deadline: deadline))
    }
}

/// Patterns in rule files compile at load, their errors placed at the pattern's node.
extension UserRegex {
    convenience init(_ pattern: String, literal: Bool = false, reader: NodeReader, node: Node) throws {
        do {
            try self.init(compiling: pattern, literal: literal)
        } catch {
            throw reader.error("正则表达式无法编译：\(pattern)", at: node)
        }
    }
}

extension YAMLRule: RowAllowingRule, ConfigurableRule, ConditionalRule {
    public func inapplicability(to document: Document, context: RuleContext) -> String? {
        applicability.inapplicability(to: document, context: context, deadline: .now + .milliseconds(context.patternBudgetMilliseconds))
    }

    public var allowsRows: Bool { !extraRows.isEmpty }

    public func configured(with options: [RuleOption]) throws -> any Rule {
        try with(options: options.map { ($0.key, $0.yaml, ConfigPlace(file: $0.file, line: $0.line, column: $0.column, lineText: $0.lineText)) })
    }
}
