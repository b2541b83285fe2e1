import Foundation

/// Snapshot files: a test renders what users read and compares it with a file kept beside the tests.
/// `REPORTLINT_UPDATE_SNAPSHOTS=1` writes the files instead; otherwise a difference is a failure with
/// a line diff, and a missing file is one too.
public enum Snapshot {
    public static var updating: Bool { ProcessInfo.processInfo.environment["REPORTLINT_UPDATE_SNAPSHOTS"] == "1" }

    /// nil when `actual` is what the file holds (or the file was written); else what differs.
    public static func compare(_ actual: String, file path: String) -> String? {
        if updating {
            let folder = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            do { try actual.write(toFile: path, atomically: true, encoding: .utf8) } catch { return "could not write \(path): \(error)" }
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return "no snapshot \(path): run the tests with REPORTLINT_UPDATE_SNAPSHOTS=1 to write it"
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return nil }
        return "snapshot \(path) differs (- kept, + now; REPORTLINT_UPDATE_SNAPSHOTS=1 updates it):\n" + diff(expected, actual)
    }

    /// A line diff by longest common subsequence: unchanged lines with two spaces, removed with -, added with +.
    public static func diff(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false), b = new.split(separator: "\n", omittingEmptySubsequences: false)
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [String] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { out.append("  " + a[i]); i += 1; j += 1 }
            else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] { out.append("- " + a[i]); i += 1 }
            else { out.append("+ " + b[j]); j += 1 }
        }
        return out.joined(separator: "\n")
    }
}
