import Foundation
@testable import LintEngine
import TestSupport
import Testing

struct GlobTests {
    /// The regular expression the matcher replaced: the reference for what a pattern means.
    static func reference(_ pattern: String) -> NSRegularExpression {
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        var out = p.contains("/") ? "^" : "^(?:.*/)?"
        let chars = Array(p)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "*" {
                if i + 1 < chars.count, chars[i + 1] == "*" {
                    if i + 2 < chars.count, chars[i + 2] == "/" { out += "(?:.*/)?"; i += 3; continue }
                    out += ".*"; i += 2; continue
                }
                out += "[^/]*"
            } else if c == "?" {
                out += "[^/]"
            } else {
                out += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        return try! NSRegularExpression(pattern: out + "$")
    }

    static func referenceMatches(_ pattern: String, _ path: String) -> Bool {
        reference(pattern).firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    @Test(arguments: [
        ("*.txt", "a.txt", true), ("*.txt", "x/y/a.txt", true), ("*.txt", "a.txt.bak", false),
        ("reports/*.txt", "reports/a.txt", true), ("reports/*.txt", "reports/2023/a.txt", false),
        ("reports/**/*.txt", "reports/a.txt", true), ("reports/**/*.txt", "reports/2023/q1/a.txt", true),
        ("reports/", "reports/2023/a.txt", true), ("./reports/**", "reports/x", true), ("**", "", true),
        ("?.txt", "a.txt", true), ("?.txt", "ab.txt", false), ("a?b", "a/b", false), ("草稿*", "2023/草稿一.txt", true),
        ("2023/草稿?.txt", "2023/草稿一.txt", true), ("a.b", "axb", false), ("**/x", "x", true), ("**/x", "a/b/x", true),
    ])
    func knownCases(_ pattern: String, _ path: String, _ expected: Bool) throws {
        let glob = try #require(Glob(pattern))
        #expect(glob.matches(path) == expected, "\(pattern) on \(path)")
        #expect(Self.referenceMatches(pattern, path) == expected, "reference: \(pattern) on \(path)")
    }

    /// Random patterns and paths over a small alphabet: the matcher agrees with the regular expression.
    @Test func agreesWithTheRegularExpression() throws {
        var rng = SplitMix64(seed: 2026)
        let pieces = ["a", "b", "/", "*", "**", "**/", "?", ".", "文"]
        let pathPieces = ["a", "b", "/", ".", "文", "ab/"]
        var compared = 0, matched = 0
        for _ in 0..<3_000 {
            let pattern = (0..<Int.random(in: 1...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            guard let glob = Glob(pattern) else { continue }
            let regex = Self.reference(pattern)
            for _ in 0..<8 {
                let path = (0..<Int.random(in: 0...7, using: &rng)).map { _ in pathPieces.randomElement(using: &rng)! }.joined()
                let expected = regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
                #expect(glob.matches(path) == expected, "\(pattern) on \(path)")
                compared += 1
                if expected { matched += 1 }
            }
        }
        #expect(compared > 20_000)
        #expect(matched > 1_000)
    }

    /// A pattern that makes a backtracking matcher explore every split of a long path: the answer
    /// is still right (the time it takes is measured, not asserted: it is linear in the pattern).
    @Test func backtrackingPatternOnALongPath() throws {
        let pattern = String(repeating: "*a", count: 40) + "*b"
        let glob = try #require(Glob(pattern))
        #expect(!glob.matches(String(repeating: "a", count: 5_000)))
        #expect(glob.matches(String(repeating: "a", count: 5_000) + "b"))
        #expect(glob.tokens.count == 83)  // 82, and the implicit `**/` of a pattern without `/`
    }
}
