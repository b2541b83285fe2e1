import Foundation
import RuleKit
import Yams
import YAMLFiles

/// Loads one rule file: common fields, `applies`, `examples`, and the kind's own keys, each
/// validated (unknown keys, wrong types, unknown kinds, regexes that do not compile, names of rows
/// that do not exist) with the position of the mistake.
///
/// ```yaml
/// id: contact.postcode
/// kind: contact                # pattern, conditional, required-sections, identity, extra-rows, date, contact, prose-claim, section-body
/// severity: warning            # error, warning, note
/// summary: 邮政编码不是六位数字。
/// rationale: 邮政编码由六位数字组成。
/// message: 邮政编码“{value}”应为六位数字
/// applies: {report_year: ">= 2021", kind: department, format: "2021", issuer_matches: "^怀化市", province: 湖南}
/// examples:
///   triggering: ["邮政编码：↓41000"]
///   passing: ["邮政编码：410000"]
/// fields: [postcode]
/// check: format
/// format: '^[0-9]{6}$'
/// ```
enum RuleFile {
    typealias KindReader = @Sendable (inout NodeReader) throws -> (any RuleCheck, Set<String>)

    static let kinds: [String: KindReader] = [
        "pattern": { r in (try PatternKind.read(&r), PatternKind.placeholders) },
        "conditional": { r in (try ConditionalKind.read(&r), ConditionalKind.placeholders) },
        "required-sections": { r in (try RequiredSectionsKind.read(&r), RequiredSectionsKind.placeholders) },
        "identity": { r in (try IdentityKind.read(&r), IdentityKind.placeholders) },
        "extra-rows": { r in (try ExtraRowsKind.read(&r), ExtraRowsKind.placeholders) },
        "date": { r in (try DateKind.read(&r), DateKind.placeholders) },
        "contact": { r in (try ContactKind.read(&r), ContactKind.placeholders) },
        "prose-claim": { r in (try ProseClaimKind.read(&r), ProseClaimKind.placeholders) },
        "section-body": { r in (try SectionBodyKind.read(&r), SectionBodyKind.placeholders) },
    ]

    static let idPattern = try! NSRegularExpression(pattern: "^[a-z0-9]+(?:-[a-z0-9]+)*(?:\\.[a-z0-9]+(?:-[a-z0-9]+)*)+$")

    static func load(text: String, file: String, source: String) throws(ConfigError) -> YAMLRule {
        let yaml: CheckedYAML
        do { yaml = try YAMLText.check(text) } catch { throw error.error(file: file) }
        // Lines are quoted only from a file that says it is a rule: anything else named as a rule
        // (a credentials file, /etc/passwd) is reported without a word of its content.
        func isRuleFile(_ keys: Set<String>) -> Bool { keys.contains("id") && keys.contains("kind") }
        let root: Node
        do {
            guard let node = try YAMLText.composeRuleFile(yaml) else {
                throw ConfigError(file: file, line: 1, column: 1, message: "规则文件是空的", lineText: "")
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError.from(error, file: file, text: text, quoting: isRuleFile(YAMLText.rootKeys(of: nil, text: text)))
        }
        guard isRuleFile(YAMLText.rootKeys(of: root, text: text)) else { throw notARuleFile(file) }
        do {
            return try parse(NodeReader(root, file: file, text: text), source: source)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: file, line: 1, column: 1, message: "\(error)", lineText: "")
        }
    }

    static func notARuleFile(_ file: String) -> ConfigError {
        ConfigError(file: file, line: 1, column: 1, message: "不是规则文件：规则文件是顶层含 id 与 kind 两个键的 YAML 映射（其内容不予引用）", lineText: "")
    }

    /// An example is a report text; or `{text: …}` with hints; or the built-in clean example report
    /// with changes: `{base: report, report_year: 2023, issuer: 某市人民政府, table3: {一: [5,0,0,0,0,0,5]},
    /// table4: [...], replace: {旧: new}}`. Either mapping may add the configuration's hints the example
    /// runs with: `province: 湖北`, `kind: government`. A `replace` whose text is not in the report is an
    /// error at that key (an edit that changes nothing makes an example that can pass by accident).
    static func example(_ node: Node, _ r: NodeReader, source: String, trace: KeyTrace? = nil) throws -> PendingExample {
        let line = node.mark?.line ?? 0
        if let text = node.scalar?.string { return PendingExample(content: .text(text), file: source, line: line) }
        var m = r.child(node)
        defer { trace?.example.formUnion(m.used) }
        _ = try m.mapping()
        let province = try m.optional("province").map { try m.string($0) }
        let kind = try m.optional("kind").map { try m.oneOf($0, ["government": ReportKind.government, "department": .department]) }
        if let textNode = m.optional("text") {
            let text = try m.string(textNode)
            try m.finish()
            return PendingExample(content: .text(text), province: province, kind: kind, file: source, line: line)
        }
        guard let baseNode = m.optional("base") else {
            throw m.error("示例应为报告文本、{text: 文本}，或 {base: report, …}（内置的示例报告加上改动）", at: node)
        }
        let base = try m.string(baseNode)
        guard base == "report" else { throw m.error("base 目前只能是 report（内置的示例报告）", at: baseNode) }
        let yearNode = m.optional("report_year"), legacyYear = m.optional("year")
        if yearNode != nil, legacyYear != nil { throw m.error("report_year 与 year 是同一个键，只写 report_year", at: legacyYear) }
        let year = try (yearNode ?? legacyYear).map { n -> Int in
            let v = try m.int(n)
            guard (2008...9999).contains(v) else { throw m.error("report_year 应为 2008 以后的年份，而不是 \(v)", at: n) }
            return v
        } ?? 2023
        let issuer = try m.optional("issuer").map { try m.string($0) }
        var table3: [String: [String]] = [:]
        if let t = m.optional("table3") {
            for (key, value) in try m.child(t).mapping() {
                let row = try TableNames.row(m, key, in: .three)
                let cells = try m.list(value).map { try m.string($0) }
                guard cells.count == 7 else { throw m.error("表三每行应有 7 个单元格", at: value) }
                table3[row] = cells
            }
        }
        let table4 = try m.optional("table4").map { n -> [String] in
            let cells = try m.list(n).map { try m.string($0) }
            guard cells.count == 15 else { throw m.error("表四应有 15 个单元格", at: n) }
            return cells
        }
        var edits: [(String, String)] = []
        var editKeys: [Node] = []
        if let rep = m.optional("replace") {
            for (key, value) in try m.child(rep).mapping() {
                edits.append((try m.string(key), try m.string(value)))
                editKeys.append(key)
            }
        }
        try m.finish()
        let report = issuer.map { ExampleReport(year: year, issuer: $0, table3: table3, table4: table4, edits: edits) }
            ?? ExampleReport(year: year, table3: table3, table4: table4, edits: edits)
        if !edits.isEmpty {
            // Edits apply in order, each to the text the earlier ones left: the first that finds nothing is the mistake.
            let unmatched = report.rendered.unmatched
            if let first = unmatched.first, let index = edits.firstIndex(where: { $0.0 == first }) {
                throw m.error("replace 的原文“\(first)”不在示例报告中（`reportlint explain --base-report` 显示示例报告的全文）", at: editKeys[index])
            }
        }
        return PendingExample(content: .report(report), province: province, kind: kind, file: source, line: line)
    }

    /// An example as read and checked; a report is written out only when the example is used.
    struct PendingExample: Sendable {
        enum Content: Sendable {
            case text(String)
            case report(ExampleReport)
        }

        var content: Content
        var province: String? = nil
        var kind: ReportKind? = nil
        var file: String
        var line: Int

        var example: Example {
            switch content {
            case .text(let text): Example(text, province: province, kind: kind, file: file, line: line)
            case .report(let report): Example(report, province: province, kind: kind, file: file, line: line)
            }
        }
    }

    /// `publication-deadline` → `publication deadline`. By bytes: the id matched `idPattern`, so
    /// its last part is ASCII letters, digits and hyphens (then perhaps a line end), and
    /// Foundation's replacing cost more than the rest of reading the rule.
    static func defaultName(_ id: String) -> String {
        let last = id.split(separator: ".").last!
        return String(decoding: last.utf8.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    /// The keys a rule file's reader looked up, for docs/writing-rules.md and its test.
    final class KeyTrace {
        var common: Set<String> = []
        var kind: Set<String> = []
        var example: Set<String> = []
    }

    static func parse(_ reader: NodeReader, source: String, trace: KeyTrace? = nil) throws -> YAMLRule {
        var r = reader
        _ = try r.mapping()
        let idNode = try r.required("id")
        let id = try r.string(idNode)
        guard idPattern.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil else {
            throw r.error("规则 id “\(id)”应写作“类别.短横线名称”，例如 contact.phone 或 hunan.huaihua.publication-deadline", at: idNode)
        }
        let kindNode = try r.required("kind")
        let kindName = try r.string(kindNode)
        guard let readKind = kinds[kindName] else {
            throw r.error("未知的规则类型“\(kindName)”（可用：\(kinds.keys.sorted().joined(separator: "、"))）", at: kindNode)
        }
        let severity = try r.oneOf(try r.required("severity"), ["error": Severity.error, "warning": .warning, "note": .note])
        let summary = try r.string(try r.required("summary"))
        let rationale = try r.optional("rationale").map { try r.string($0) } ?? ""
        let name = try r.optional("name").map { try r.string($0) } ?? defaultName(id)
        let messageNode = r.optional("message")
        let message = try messageNode.map { try r.string($0) } ?? summary
        let applicability = try r.optional("applies").map { try Applicability.read(r.child($0)) } ?? Applicability()
        // Triggering examples are written out now, to check their markers; passing ones when used.
        var triggering: [Example] = [], passing: [PendingExample] = []
        if let node = r.optional("examples") {
            var e = r.child(node)
            triggering = try e.optional("triggering").map { n in try e.list(n).map { try example($0, e, source: source).example } } ?? []
            passing = try e.optional("passing").map { n in try e.list(n).map { try example($0, e, source: source) } } ?? []
            try e.finish()
            for example in triggering where !example.text.contains(Example.marker) {
                throw r.error("触发示例必须用 ↓ 标出应报告的位置", at: node)
            }
        }
        let commonKeys = r.used
        let (check, placeholders) = try readKind(&r)
        if let trace {
            trace.common = commonKeys
            trace.kind = r.used.subtracting(commonKeys)
        }
        for placeholder in MessageTemplate.placeholders(in: message) where !placeholders.contains(placeholder) {
            throw r.error("message 中的占位符“{\(placeholder)}”不可用（\(kindName) 提供：\(placeholders.sorted().joined(separator: "、"))）", at: messageNode)
        }
        try r.finish()
        var extraRows: [TableID: Set<String>] = [:]
        if let extra = check as? ExtraRowsKind { extraRows[extra.table] = extra.rows }
        let (triggeringExamples, pendingPassing) = (triggering, passing)
        let description = RuleDescription(id: id, name: name, severity: severity, summary: summary, rationale: rationale,
                                          triggering: triggeringExamples, passing: pendingPassing.map(\.example), source: source)
        return YAMLRule(description: description, applicability: applicability, message: MessageTemplate(text: message), checker: check,
                        extraRows: extraRows, fileText: reader.text)
    }
}
