import Foundation
import Reporters
import RuleKit
import RunResults

/// Findings accepted when adopting the tool on an existing archive. An entry is keyed by rule,
/// file, the normalized text of the finding's line and the message, with a count, so it survives
/// lines moving; one more occurrence than the baseline holds is reported.
///
/// Baselined findings are left out of every output (SARIF included, rather than marked
/// `baselineState: unchanged`, so that code scanning does not show them again), and do not count
/// towards the exit status; the human summary says how many were hidden.
public struct Baseline: Sendable, Codable {
    public struct Entry: Sendable, Codable, Hashable {
        public var rule: String
        public var file: String
        public var text: String
        public var message: String
        public var count: Int
    }
    public var version = 1
    public var tool = ToolInfo.name
    public var entries: [Entry]

    struct Key: Hashable {
        var rule: String
        var text: String
        var message: String
    }

    /// The key of a finding: its line's text without white space.
    static func key(_ d: Diagnostic, _ positions: Positions) -> Key {
        let text = String(positions.keyText(at: d.span.start).prefix(200))
        return Key(rule: d.ruleID, text: text, message: d.message)
    }

    /// Largest count one entry may hold: more findings than any report has lines.
    static let maximumCount = 1_000_000

    public static func load(_ path: String) throws -> Baseline {
        let bytes: [UInt8]
        do {
            // A regular file of bounded size: a FIFO or /dev/zero named as the baseline is refused.
            bytes = try Linter.read(path, limit: 256 << 20)
        } catch {
            throw BaselineError(message: "无法读取基线文件 \(path)：\(error)")
        }
        let baseline: Baseline
        do {
            baseline = try JSONDecoder().decode(Baseline.self, from: Data(bytes))
        } catch {
            throw BaselineError(message: "基线文件 \(path) 格式不对：\(error)")
        }
        if let bad = baseline.entries.first(where: { !(1...maximumCount).contains($0.count) }) {
            throw BaselineError(message: "基线文件 \(path) 格式不对：\(bad.file) 的 \(bad.rule) 条目计数 \(bad.count) 不在 1…\(maximumCount) 之内")
        }
        return baseline
    }

    public struct BaselineError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    var index: [String: [Key: Int]] {
        var out: [String: [Key: Int]] = [:]
        // Counts are bounded on load; repeated entries add up, capped so no sum can overflow.
        for e in entries {
            let key = Key(rule: e.rule, text: e.text, message: e.message)
            let sum = out[e.file, default: [:]][key, default: 0] + min(max(e.count, 0), Self.maximumCount)
            out[e.file, default: [:]][key] = min(sum, Int(Int32.max))
        }
        return out
    }

    /// Removes the findings the baseline holds; returns the number hidden.
    static func filter(_ result: inout FileResult, with index: [String: [Key: Int]]) -> Int {
        guard let positions = result.positions, var remaining = index[PathStyle.relative(result.path)] else { return 0 }
        let before = result.diagnostics.count
        result.diagnostics.removeAll { d in
            let key = key(d, positions)
            guard let n = remaining[key], n > 0 else { return false }
            remaining[key] = n - 1
            return true
        }
        return before - result.diagnostics.count
    }
}

/// A precomputed baseline lookup, shared read-only by the run.
public struct BaselineIndex: Sendable {
    let index: [String: [Baseline.Key: Int]]

    public init(_ baseline: Baseline) {
        index = baseline.index
    }

    public func filter(_ result: inout FileResult) -> Int { Baseline.filter(&result, with: index) }
}

/// Records every finding of the run and writes them as a baseline at the end (`--write-baseline`).
public final class BaselineRecorder: Reporter {
    let path: String
    var counts: [Baseline.Entry: Int] = [:]
    public private(set) var error: String?

    public init(path: String) {
        self.path = path
    }

    public func add(_ file: FileResult) {
        guard let positions = file.positions else { return }
        let name = PathStyle.relative(file.path)
        for d in file.diagnostics {
            let key = Baseline.key(d, positions)
            counts[Baseline.Entry(rule: key.rule, file: name, text: key.text, message: key.message, count: 0), default: 0] += 1
        }
    }

    public func finish(_ summary: RunSummary) {
        let entries = counts.map { entry, n in
            var e = entry
            e.count = n
            return e
        }.sorted { ($0.file, $0.rule, $0.text, $0.message) < ($1.file, $1.rule, $1.text, $1.message) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(Baseline(entries: entries)).write(to: URL(fileURLWithPath: path))
        } catch {
            self.error = "无法写入基线文件 \(path)：\(error.localizedDescription)"
        }
    }
}
