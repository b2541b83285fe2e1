import Foundation
import RuleKit

/// One input the walk selected, or a path it could not use.
public enum DiscoveredInput: Sendable {
    case report(path: String, explicit: Bool)
    case problem(ToolDiagnostic)
}

/// Walks files and folders in a deterministic order: folders recursively, entries sorted by name,
/// hidden entries skipped, symbolic links not followed unless asked (and never in a loop).
public struct FileDiscovery {
    public var followSymlinks: Bool
    /// Whether a walked file is wanted (include/exclude globs); files named explicitly always are.
    public var selects: (String) -> Bool
    public private(set) var skipped: Int = 0
    /// `.reportlintignore` patterns of the folder being walked, relative to it.
    var ignores: [(root: String, globs: [Glob])] = []

    public init(followSymlinks: Bool = false, selects: @escaping (String) -> Bool = { _ in true }) {
        self.followSymlinks = followSymlinks
        self.selects = selects
    }

    static func ignoreFile(in directory: String) -> [Glob] {
        guard let data = FileManager.default.contents(atPath: directory + "/.reportlintignore") else { return [] }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.isEmpty || text.hasPrefix("#") ? nil : Glob(text)
        }
    }

    func ignored(_ path: String) -> Bool {
        for (root, globs) in ignores where path.hasPrefix(root + "/") {
            let rel = String(path.dropFirst(root.count + 1))
            if globs.contains(where: { $0.matches(rel) }) { return true }
        }
        return false
    }

    public mutating func discover(_ paths: [String]) -> [DiscoveredInput] {
        var out: [DiscoveredInput] = []
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else {
                let reason = String(cString: strerror(errno))
                out.append(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "无法读取路径：\(reason)")))
                continue
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                var visited: Set<[UInt64]> = [[UInt64(st.st_dev), UInt64(st.st_ino)]]
                let root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                ignores = [(root, Self.ignoreFile(in: root))]
                walk(root, into: &out, visited: &visited)
            } else {
                out.append(.report(path: path, explicit: true))
            }
        }
        return out
    }

    mutating func walk(_ directory: String, into out: inout [DiscoveredInput], visited: inout Set<[UInt64]>) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            out.append(.problem(ToolDiagnostic(id: .unreadable, path: directory, message: "无法列出目录内容")))
            return
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if ignored(path) { skipped += 1; continue }
            var st = stat()
            guard lstat(path, &st) == 0 else {
                out.append(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "无法读取路径：\(String(cString: strerror(errno)))")))
                continue
            }
            var mode = st.st_mode & S_IFMT
            if mode == S_IFLNK {
                guard followSymlinks else { skipped += 1; continue }
                guard stat(path, &st) == 0 else {
                    out.append(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "符号链接指向的目标不存在")))
                    continue
                }
                mode = st.st_mode & S_IFMT
            }
            if mode == S_IFDIR {
                let key = [UInt64(st.st_dev), UInt64(st.st_ino)]
                guard visited.insert(key).inserted else {
                    out.append(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "目录循环：此目录已经遍历过")))
                    continue
                }
                walk(path, into: &out, visited: &visited)
            } else if mode == S_IFREG, ReportFormat.of(path: path) != nil {
                if selects(path) { out.append(.report(path: path, explicit: false)) } else { skipped += 1 }
            } else {
                skipped += 1
            }
        }
    }
}
