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

    /// What one pass over a fixture's lines gives: the report without its annotation lines, the
    /// fixture's line number of each kept line, and the expectations on kept lines.
    struct ParsedFixture {
        var kept: [String] = []
        var originalLines: [Int] = []
        var expectations: [(line: Int, originalLine: Int, annotation: Annotation)] = []
        var exhaustive = false
    }

    static let annotationKinds: Set<String> = ["ruleid", "ok", "todoruleid", "todook"]

    /// An annotation line: `<!-- KIND: RULE, RULE -->` with a known kind, or `<!-- rules: all -->`.
    static func annotation(_ line: String) -> Annotation? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), trimmed.count >= 7 else { return nil }
        let body = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let kind = body[..<colon].trimmingCharacters(in: .whitespaces)
        let rules = body[body.index(after: colon)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if kind == "rules", rules == ["all"] { return Annotation(kind: kind, rules: rules) }
        return annotationKinds.contains(kind) ? Annotation(kind: kind, rules: rules) : nil
    }

    static func parse(_ lines: [String]) -> ParsedFixture {
        var out = ParsedFixture()
        var pending: [(Int, Annotation)] = []
        for (i, line) in lines.enumerated() {
            if let annotation = annotation(line) {
                if annotation.kind == "rules" { out.exhaustive = true } else { pending.append((i + 1, annotation)) }
                continue
            }
            out.kept.append(line)
            out.originalLines.append(i + 1)
            for (originalLine, annotation) in pending { out.expectations.append((out.kept.count, originalLine, annotation)) }
            pending = []
        }
        return out
    }

    /// Lints one annotated fixture with the configuration found from it and compares.
    public static func checkFixture(_ path: String, configuration: LintConfiguration) -> Outcome {
        var outcome = Outcome()
        guard let data = FileManager.default.contents(atPath: path) else {
            outcome.record("\(path): 无法读取")
            return outcome
        }
        let original = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let parsed = parse(original)
        let source = SourceText(parsed.kept.joined(separator: "\n"))
        let document = ReportScanner.scan(source)
        let (diagnostics, problems) = configuration.ruleSet(for: path).run(on: document)
        for p in problems { outcome.record("\(path): \(p.id.rawValue): \(p.message)") }
        let expectations = parsed.expectations, exhaustive = parsed.exhaustive
        // A kept line's number in the fixture itself, for messages.
        func originalLine(_ line: Int) -> Int { line >= 1 && line <= parsed.originalLines.count ? parsed.originalLines[line - 1] : line }
        let found = diagnostics.map { (source.lineNumber(of: $0.span.start), $0.ruleID) }
        var mentioned = Set(expectations.flatMap(\.annotation.rules))
        if exhaustive { mentioned.formUnion(found.map(\.1)) }
        var accounted = Set<String>()
        for e in expectations {
            for rule in e.annotation.rules {
                let fired = found.contains { $0.0 == e.line && $0.1 == rule }
                let at = "\(path):\(originalLine(e.line))"
                switch e.annotation.kind {
                case "ruleid":
                    outcome.record(fired ? nil : "\(at): 期望报告 \(rule)，但没有报告")
                    accounted.insert("\(e.line) \(rule)")
                case "ok":
                    outcome.record(fired ? "\(at): 不应报告 \(rule)，但报告了" : nil)
                case "todoruleid":
                    outcome.passed += 1
                    outcome.todos.append("\(at): 已知漏报 \(rule)" + (fired ? "（现在已能报告，可改为 ruleid）" : ""))
                    accounted.insert("\(e.line) \(rule)")
                default:
                    outcome.passed += 1
                    outcome.todos.append("\(at): 已知误报 \(rule)" + (fired ? "" : "（现在已不再报告，可改为 ok）"))
                    accounted.insert("\(e.line) \(rule)")
                }
            }
        }
        for (line, rule) in found where mentioned.contains(rule) && !accounted.contains("\(line) \(rule)") {
            outcome.record("\(path):\(originalLine(line)): 报告了未标注的 \(rule)（若正确，请在上一行加 <!-- ruleid: \(rule) -->）")
        }
        return outcome
    }
}
