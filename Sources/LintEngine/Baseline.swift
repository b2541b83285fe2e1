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
    /// 2: `file` is relative to the baseline file's folder, so a baseline works from any working
    /// directory; 1 (older baselines): relative to the working directory of the run that wrote it.
    public var version = 2
    public var tool = ToolInfo.name
    public var entries: [Entry]

    /// Where entry paths are relative to: the baseline's folder (version 2), or nil (version 1).
    public static func root(ofBaselineAt path: String, version: Int) -> String? {
        guard version >= 2 else { return nil }
        var parts = absoluteComponents(path)
        parts.removeLast()
        return "/" + parts.joined(separator: "/")
    }

    /// The components of `path` made absolute against the working directory, `.` and `..` resolved
    /// (by name, as the outputs show paths; links are not resolved).
    static func absoluteComponents(_ path: String) -> [String] {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var out: [String] = []
        for part in full.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !out.isEmpty { out.removeLast() }
            default: out.append(String(part))
            }
        }
        return out
    }

    /// `path` as a baseline entry names it: relative to `root` ("../" where it lies outside), or
    /// as the outputs show it when there is no root.
    static func entryPath(_ path: String, root: String?) -> String {
        guard let root else { return PathStyle.relative(path) }
        let file = absoluteComponents(path)
        let base = absoluteComponents(root)
        var common = 0
        while common < min(file.count, base.count), file[common] == base[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + file[common...]).joined(separator: "/")
    }

    struct Key: Hashable {
        var rule: String
        var text: String
        var message: String
    }

    /// The key of a finding: its line's text without white space. A finding across reports names the
    /// other report in its message by the path the run was given; the key names it as an entry names a
    /// file (relative to the baseline's folder), so the entry matches from any working directory.
    static func key(_ d: Diagnostic, _ positions: Positions, root: String?) -> Key {
        let text = String(positions.keyText(at: d.span.start).prefix(200))
        var message = d.message
        for path in Set(d.elsewhere.map(\.path)) { message = replacingPath(path, with: entryPath(path, root: root), in: message) }
        return Key(rule: d.ruleID, text: text, message: message)
    }

    /// `message` with each whole-word `path` (between white space, brackets or the ends) replaced.
    static func replacingPath(_ path: String, with replacement: String, in message: String) -> String {
        guard path != replacement, !path.isEmpty else { return message }
        let text = Array(message.unicodeScalars), needle = Array(path.unicodeScalars)
        func isBoundary(_ i: Int) -> Bool { i < 0 || i >= text.count || " （(）)".unicodeScalars.contains(text[i]) }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < text.count {
            if i + needle.count <= text.count, isBoundary(i - 1), isBoundary(i + needle.count), text[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: replacement.unicodeScalars)
                i += needle.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return String(out)
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

    /// Removes the findings the baseline holds; returns the number hidden and the entries used.
    static func filter(_ result: inout FileResult, with index: [String: [Key: Int]], root: String?) -> (hidden: Int, file: String, used: Set<Key>) {
        let file = entryPath(result.path, root: root)
        guard let positions = result.positions, var remaining = index[file] else { return (0, file, []) }
        let before = result.diagnostics.count
        var used = Set<Key>()
        result.diagnostics.removeAll { d in
            let key = key(d, positions, root: root)
            guard let n = remaining[key], n > 0 else { return false }
            remaining[key] = n - 1
            used.insert(key)
            return true
        }
        return (before - result.diagnostics.count, file, used)
    }
}

/// A precomputed baseline lookup, shared read-only by the run.
public struct BaselineIndex: Sendable {
    let index: [String: [Baseline.Key: Int]]
    let root: String?

    /// `path`: where the baseline was read from (entries of version 2 are relative to its folder).
    public init(_ baseline: Baseline, path: String? = nil) {
        index = baseline.index
        root = path.flatMap { Baseline.root(ofBaselineAt: $0, version: baseline.version) }
    }

    /// How many entries there are, each (file, line text, message) once.
    public var entryCount: Int { index.values.reduce(0) { $0 + $1.count } }

    public func filter(_ result: inout FileResult) -> Int { filterRecording(&result).hidden }

    func filterRecording(_ result: inout FileResult) -> (hidden: Int, file: String, used: Set<Baseline.Key>) {
        Baseline.filter(&result, with: index, root: root)
    }
}

/// Records every finding of the run and writes them as a baseline at the end (`--write-baseline`).
public final class BaselineRecorder: Reporter {
    let path: String
    let root: String?
    var counts: [Baseline.Entry: Int] = [:]
    public private(set) var error: String?

    public init(path: String) {
        self.path = path
        root = Baseline.root(ofBaselineAt: path, version: 2)
    }

    public func add(_ file: FileResult) {
        guard let positions = file.positions else { return }
        let name = Baseline.entryPath(file.path, root: root)
        for d in file.diagnostics {
            let key = Baseline.key(d, positions, root: root)
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
