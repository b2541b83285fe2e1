import Foundation
import ReportScanner
import RuleKit
import RuleTesting

/// Runs annotated fixture reports (`reportlint test-rules`, and the tests); the examples of the
/// rules themselves run in `RuleExamples` (RuleTesting), which needs no configuration.
///
/// A fixture is a report named `*.test.txt` (or `.test.html`, …) beside a pack's rules. A line
/// `<!-- ruleid: contact.phone -->` says the next line must give that finding; `ok:` that it must
/// not; `todoruleid:` / `todook:` record a known gap without failing. Any other finding of a rule
/// the file mentions is a failure; `<!-- rules: all -->` makes that hold for every rule.
public enum RuleTester {
    public typealias Outcome = RuleTestOutcome

    static let fixtureSuffixes = [".test.txt", ".test.html", ".test.htm"]

    public static func fixtures(under path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        if !isDirectory.boolValue { return fixtureSuffixes.contains { path.hasSuffix($0) } ? [path] : [] }
        let items = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return items.filter { item in fixtureSuffixes.contains { item.hasSuffix($0) } }.sorted().map { path + (path.hasSuffix("/") ? "" : "/") + $0 }
    }

    struct Annotation {
        var kind: String
        var rules: [String]
    }

    /// Lints one annotated fixture with the configuration found from it and compares.
    public static func checkFixture(_ path: String, configuration: LintConfiguration) -> Outcome {
        var outcome = Outcome()
        guard let data = FileManager.default.contents(atPath: path) else {
            outcome.failures.append("\(path): 无法读取")
            return outcome
        }
        let original = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var kept: [String] = []
        var expectations: [(line: Int, originalLine: Int, annotation: Annotation)] = []
        var pending: [(Int, Annotation)] = []
        var exhaustive = false
        for (i, line) in original.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->") {
                let body = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
                if let colon = body.firstIndex(of: ":") {
                    let kind = body[..<colon].trimmingCharacters(in: .whitespaces)
                    let rules = body[body.index(after: colon)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    if kind == "rules", rules == ["all"] { exhaustive = true; continue }
                    if ["ruleid", "ok", "todoruleid", "todook"].contains(kind) {
                        pending.append((i + 1, Annotation(kind: kind, rules: rules)))
                        continue
                    }
                }
            }
            kept.append(line)
            for (originalLine, annotation) in pending { expectations.append((kept.count, originalLine, annotation)) }
            pending = []
        }
        let text = kept.joined(separator: "\n")
        let source = SourceText(text)
        let document = ReportScanner.scan(source)
        let (diagnostics, problems) = configuration.ruleSet(for: path).run(on: document)
        for p in problems { outcome.failures.append("\(path): \(p.message)") }
        // Map stripped line numbers back to the fixture's own lines for messages.
        var strippedToOriginal: [Int: Int] = [:]
        var n = 0
        for (i, line) in original.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let isAnnotation = trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->")
                && ["ruleid", "ok", "todoruleid", "todook", "rules"].contains { trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces).hasPrefix($0 + ":") }
            if !isAnnotation { n += 1; strippedToOriginal[n] = i + 1 }
        }
        let found = diagnostics.map { (source.lineNumber(of: $0.span.start), $0.ruleID) }
        var mentioned = Set(expectations.flatMap(\.annotation.rules))
        if exhaustive { mentioned.formUnion(found.map(\.1)) }
        var accounted = Set<String>()
        for e in expectations {
            for rule in e.annotation.rules {
                outcome.checks += 1
                let fired = found.contains { $0.0 == e.line && $0.1 == rule }
                let at = "\(path):\(strippedToOriginal[e.line] ?? e.line)"
                switch e.annotation.kind {
                case "ruleid":
                    if !fired { outcome.failures.append("\(at): 期望报告 \(rule)，但没有报告") }
                    accounted.insert("\(e.line) \(rule)")
                case "ok":
                    if fired { outcome.failures.append("\(at): 不应报告 \(rule)，但报告了") }
                case "todoruleid":
                    outcome.todos.append("\(at): 已知漏报 \(rule)" + (fired ? "（现在已能报告，可改为 ruleid）" : ""))
                    accounted.insert("\(e.line) \(rule)")
                default:
                    outcome.todos.append("\(at): 已知误报 \(rule)" + (fired ? "" : "（现在已不再报告，可改为 ok）"))
                    accounted.insert("\(e.line) \(rule)")
                }
            }
        }
        for (line, rule) in found where mentioned.contains(rule) && !accounted.contains("\(line) \(rule)") {
            outcome.failures.append("\(path):\(strippedToOriginal[line] ?? line): 报告了未标注的 \(rule)（若正确，请在上一行加 <!-- ruleid: \(rule) -->）")
        }
        return outcome
    }
}
