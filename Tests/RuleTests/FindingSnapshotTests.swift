import Foundation
import ReportScanner
import RuleCatalog
import RuleKit
import RuleTesting
import Testing
import TestSupport

/// What users read, pinned per rule: each triggering example's findings as rendered (place, message,
/// the text at the place, related places with their notes), in Tests/RuleTests/Snapshots/<id>.txt.
/// A changed message or span fails here with a diff; `REPORTLINT_UPDATE_SNAPSHOTS=1 swift test
/// --filter FindingSnapshotTests` rewrites the files (review the diff before committing).
struct FindingSnapshotTests {
    static let root = #filePath.components(separatedBy: "/Tests/")[0]
    static let folder = root + "/Tests/RuleTests/Snapshots"
    static let rules = RuleExampleTests.rules
    static let rowRule = RuleCatalog.builtIn.rule(RuleExamples.unknownRowID)!

    static func render(_ rule: any Rule) -> String {
        let d = rule.description
        var out = "# \(d.id) (\(d.severity.rawValue))\n"
        let allowing = (rule as? any RowAllowingRule).flatMap { $0.allowsRows ? $0 : nil }
        if allowing != nil { out += "# findings of \(RuleExamples.unknownRowID) with the rows this rule allows\n" }
        for (n, example) in d.triggering.enumerated() {
            out += "\n## 触发示例 \(n + 1)\n"
            let source = SourceText(example.stripped.text)
            let document = ReportScanner.scan(source)
            var context = example.context(.standard)
            if let allowing {
                for (table, rows) in allowing.extraRows(for: document, context: context) { context.extraRows[table, default: []].formUnion(rows) }
            }
            let reporting: any Rule = allowing == nil ? rule : rowRule
            let findings: [Finding]
            do { findings = try reporting.check(document, context: context) } catch {
                out += "error: \(error)\n"
                continue
            }
            func place(_ span: SourceSpan) -> String {
                let (a, b) = (source.location(of: span.start), source.location(of: span.end))
                return "\(a.line):\(a.column)-\(b.line):\(b.column)"
            }
            func quoted(_ span: SourceSpan) -> String {
                let text = source.text(span)
                let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
                return "“" + short.replacingOccurrences(of: "\n", with: "⏎") + "”"
            }
            for f in findings.sorted(by: { ($0.span.start, $0.message) < ($1.span.start, $1.message) }) {
                out += "\(place(f.span)) \(quoted(f.span)): \(f.message)\n"
                for r in f.related { out += "  related \(place(r.span)) \(quoted(r.span)): \(r.message)\n" }
            }
        }
        return out
    }

    @Test("a rule's rendered findings match its snapshot", arguments: RuleExampleTests.ids)
    func findingsMatchTheSnapshot(_ id: String) {
        let rendered = Self.render(RuleExampleTests.rule(id))
        #expect(rendered.contains("\n## 触发示例 1\n"), "every rule here has a triggering example")
        if let difference = Snapshot.compare(rendered, file: Self.folder + "/\(id).txt") { Issue.record(Comment(rawValue: difference)) }
    }

    /// A snapshot of a rule that is gone is stale.
    @Test func everySnapshotBelongsToARule() throws {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.folder)) ?? []
        #expect(!files.isEmpty || Snapshot.updating)
        for file in files where file.hasSuffix(".txt") && !RuleExampleTests.ids.contains(String(file.dropLast(4))) {
            Issue.record("Tests/RuleTests/Snapshots/\(file) belongs to no rule: delete it")
        }
    }

    @Test func theDiffShowsWhatChanged() {
        #expect(Snapshot.diff("a\nb\nc", "a\nx\nc") == "  a\n- b\n+ x\n  c")
        #expect(Snapshot.diff("a\nb", "a\nb\nc") == "  a\n  b\n+ c")
    }

    @Test(.enabled(if: !Snapshot.updating, "snapshots are being written, not compared"))
    func comparingFailsOnADifferenceAndNeverWrites() {
        let missing = NSTemporaryDirectory() + "reportlint-no-snapshot-\(UUID().uuidString).txt"
        #expect(Snapshot.compare("x", file: missing)?.contains("REPORTLINT_UPDATE_SNAPSHOTS=1") == true)
        #expect(!FileManager.default.fileExists(atPath: missing), "comparing never writes")
        let kept = NSTemporaryDirectory() + "reportlint-snapshot-\(UUID().uuidString).txt"
        try? "a\nb\n".write(toFile: kept, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kept) }
        #expect(Snapshot.compare("a\nb\n", file: kept) == nil)
        #expect(Snapshot.compare("a\nc\n", file: kept)?.contains("- b\n+ c") == true)
    }
}
