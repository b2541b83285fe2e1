import Foundation
import Testing

/// A test that cannot run is reported as skipped (`.enabled(if:)`), never as passed: no test returns
/// early after finding ../shared, pdftotext or a shared tool absent.
struct SkipConventionTests {
    /// Words of a check for something a checkout may lack.
    static let absentThings = ["shared", "Shared", "pdftotext", "isExecutableFile"]

    static func violations(in text: String) -> [String] {
        var found: [String] = []
        let earlyReturn = try! NSRegularExpression(pattern: "else\\s*\\{\\s*return\\s*\\}")
        let ns = text as NSString
        for match in earlyReturn.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let before = ns.substring(to: match.range.location)
            guard let guardRange = before.range(of: "guard ", options: .backwards) else { continue }
            let condition = String(before[guardRange.upperBound...])
            if absentThings.contains(where: condition.contains) {
                found.append("guard " + condition.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))
            }
        }
        let ifReturn = try! NSRegularExpression(pattern: "if\\s+![^{\\n]*\\{\\s*return\\s*\\}")
        for match in ifReturn.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let statement = ns.substring(with: match.range)
            if absentThings.contains(where: statement.contains) { found.append(statement) }
        }
        return found
    }

    @Test func theCheckFindsAnEarlyReturn() {
        #expect(Self.violations(in: "func t() {\n    guard hasShared else { return }\n}").count == 1)
        #expect(Self.violations(in: "guard let b = Support.sharedFile(\"x\"),\n  let f = try list().first(where: { $0.hasPrefix(n) })\nelse { return }").count == 1)
        #expect(Self.violations(in: "if !FileManager.default.isExecutableFile(atPath: tool) { return }").count == 1)
        #expect(Self.violations(in: "guard let handle = FileHandle(forReadingAtPath: fifo) else { return }").isEmpty)
    }

    @Test func noTestReturnsEarlyWhenSomethingIsAbsent() throws {
        let tests = packageRoot + "/Tests"
        let files = (FileManager.default.enumerator(atPath: tests)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".swift") && !$0.hasSuffix("SkipConventionTests.swift") }
        #expect(files.count > 20)
        for file in files {
            let text = try String(contentsOfFile: tests + "/" + file, encoding: .utf8)
            for violation in Self.violations(in: text) {
                Issue.record("Tests/\(file): \(violation) — use .enabled(if:) so the test shows as skipped")
            }
        }
    }
}
