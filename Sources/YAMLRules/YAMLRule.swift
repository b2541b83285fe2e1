import Foundation
import RuleKit
import Yams

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

    static func read(_ reader: NodeReader) throws -> Applicability {
        var r = reader
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

/// A block of the document prepared once for several patterns: one bridging to the UTF-16 string
/// ICU matches on, and the map from UTF-16 offsets back to byte offsets built only when a match needs it.
struct PreparedText {
    let span: SourceSpan
    let string: String
    let utf16Count: Int
    private var utf16ToUTF8: [Int]?

    init(source: SourceText, span: SourceSpan) {
        self.span = span
        string = source.text(span)
        utf16Count = string.utf16.count
    }

    mutating func span(_ r: NSRange) -> SourceSpan {
        if utf16ToUTF8 == nil {
            var map: [Int] = []
            map.reserveCapacity(utf16Count + 1)
            var offset = 0
            for scalar in string.unicodeScalars {
                let width = UTF8.width(scalar)
                map.append(offset)
                if scalar.value > 0xFFFF { map.append(offset) }
                offset += width
            }
            map.append(offset)
            utf16ToUTF8 = map
        }
        let map = utf16ToUTF8!
        let a = map[min(r.location, map.count - 1)], b = map[min(r.location + r.length, map.count - 1)]
        return SourceSpan(start: span.start + a, end: span.start + b)
    }
}

/// A user regular expression, compiled once at load, run under a time budget.
///
/// A class, not a struct: kinds hand patterns around per block, and copying the compiled program's
/// arrays with each one showed in profiles.
///
/// ICU (NSRegularExpression) defines what a pattern means. When the pattern is in the subset
/// `RegexParser` understands, it also gets the literals every match contains (a pre-filter) and,
/// in the smaller subset `ByteRegex` runs, a matcher on the UTF-8 bytes that gives ICU's matches
/// without bridging the text; ICU still answers whatever that matcher leaves undecided.
final class UserRegex: @unchecked Sendable {
    // Immutable after init; NSRegularExpression is documented as safe to share between threads.
    let regex: NSRegularExpression
    let pattern: String
    let engine: ByteRegex?
    /// Clauses of literals: a match holds at least one literal of each.
    let required: [[Needle]]

    convenience init(_ pattern: String, literal: Bool = false, reader: NodeReader, node: Node) throws {
        do {
            try self.init(compiling: pattern, literal: literal)
        } catch {
            throw reader.error("正则表达式无法编译：\(pattern)", at: node)
        }
    }

    init(compiling pattern: String, literal: Bool = false) throws {
        let source = literal ? NSRegularExpression.escapedPattern(for: pattern) : pattern
        regex = try NSRegularExpression(pattern: source)
        self.pattern = pattern
        // The parse reads what ICU compiled; a different count of groups means we misread it.
        if let (tree, groups) = RegexParser.parse(source), groups == regex.numberOfCaptureGroups {
            engine = ByteRegex(tree, groups: groups)
            required = RequiredLiterals.clauses(tree).map { $0.map(Needle.init) }
        } else {
            engine = nil
            required = []
        }
    }

    /// Whether `text` (a short one: the issuer) holds a match, under the same deadline as the patterns.
    func firstMatch(in text: String, deadline: ContinuousClock.Instant) throws(TimedOut) -> Bool {
        let source = SourceText(bytes: Array(text.utf8))
        var prepared: PreparedText?
        return try !matches(in: source, span: SourceSpan(start: 0, end: source.bytes.count), prepared: &prepared, deadline: deadline).isEmpty
    }

    /// Whether `span` holds the literals every match needs (true when nothing is known).
    func mayMatch(_ source: SourceText, _ span: SourceSpan) -> Bool {
        guard !required.isEmpty else { return true }
        return source.bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            return required.allSatisfy { clause in clause.contains { $0.occurs(in: base, span) } }
        }
    }

    /// Matches in a span of the document, as byte spans; capture group spans when asked.
    func matches(in source: SourceText, span: SourceSpan, deadline: ContinuousClock.Instant) throws(TimedOut) -> [[SourceSpan?]] {
        var prepared: PreparedText?
        return try matches(in: source, span: span, prepared: &prepared, deadline: deadline)
    }

    /// The same, bridging the block for ICU only when needed and once for the patterns that share `prepared`.
    func matches(in source: SourceText, span: SourceSpan, prepared: inout PreparedText?, deadline: ContinuousClock.Instant) throws(TimedOut) -> [[SourceSpan?]] {
        // Called through the optional: binding `engine` would copy (and retain) its arrays.
        if let found = try engine?.matches(in: source.bytes, span: span, deadline: deadline, validUTF8: source.isKnownValidUTF8) { return found }
        if prepared == nil { prepared = PreparedText(source: source, span: span) }
        return try icuMatches(in: &prepared!, deadline: deadline)
    }

    func icuMatches(in prepared: inout PreparedText, deadline: ContinuousClock.Instant) throws(TimedOut) -> [[SourceSpan?]] {
        var ranges: [[NSRange]] = []
        var timedOut = false
        var calls = 0
        regex.enumerateMatches(in: prepared.string, options: [.reportProgress], range: NSRange(location: 0, length: prepared.utf16Count)) { match, _, stop in
            // The clock is read every 64th callback: reading it on each one cost more than the matching.
            calls += 1
            if calls & 63 == 0, ContinuousClock.now > deadline {
                timedOut = true
                stop.pointee = true
                return
            }
            guard let match else { return }
            ranges.append((0..<match.numberOfRanges).map { match.range(at: $0) })
        }
        if timedOut { throw TimedOut() }
        guard !ranges.isEmpty else { return [] }
        return ranges.map { groups in groups.map { r in r.location == NSNotFound ? nil : prepared.span(r) } }
    }

    struct TimedOut: Error {}
}
