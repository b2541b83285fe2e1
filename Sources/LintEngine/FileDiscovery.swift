import Foundation
import ReportInputs
import RuleKit
import RunResults

/// One input the walk selected, or a path it could not use. `path` is the name shown in results;
/// `fileSystemPath` is set when the name on disk is not valid UTF-8 (a GBK name from a Windows zip
/// archive), and holds the bytes to open.
public enum DiscoveredInput: Sendable {
    case report(path: String, explicit: Bool, fileSystemPath: [UInt8]? = nil)
    case problem(ToolDiagnostic)
}

/// File names that are not valid UTF-8, shown readably: decoded as GB18030 (what Chinese Windows
/// writes into zip archives) when they decode so, else with each undecodable byte as `\xNN`.
enum RawName {
    static func display(_ name: [UInt8]) -> String {
        if let text = String(validating: name, as: UTF8.self) { return text }
        // The report decoder's strict GB18030 reading (one decoder for file contents and names).
        if case .success(let (utf8, _)) = TextDecoder.decode(name), let gb = String(validating: utf8, as: UTF8.self) { return gb }
        var out = ""
        var i = 0
        while i < name.count {
            // The longest valid UTF-8 run from i, else one byte escaped.
            var j = i + 1
            var best = i
            while j <= min(name.count, i + 4) {
                if String(validating: name[i..<j], as: UTF8.self) != nil { best = j }
                j += 1
            }
            if best > i {
                out += String(decoding: name[i..<best], as: UTF8.self)
                i = best
            } else {
                out += String(format: "\\x%02X", name[i])
                i += 1
            }
        }
        return out
    }
}

/// Walks files and folders in a deterministic order: folders recursively, entries sorted by name
/// (as UTF-8 bytes), hidden entries skipped, symbolic links not followed unless asked (and never
/// in a loop). Inputs are handed to a visitor as they are found, so linting can start before the
/// walk of a large archive ends.
public struct FileDiscovery {
    public var followSymlinks: Bool
    /// Whether a walked file is wanted (include/exclude globs); files named explicitly always are.
    public var selects: (String) -> Bool
    public private(set) var skipped: Int = 0
    /// Of `skipped`, the symbolic links left unfollowed (said apart in the summary, so a link to a
    /// report is not mistaken for a file that is not one).
    public private(set) var skippedLinks: Int = 0
    /// `.reportlintignore` patterns of the folder being walked, relative to it.
    var ignores: [(root: String, globs: [Glob])] = []

    /// Files named on the command line obey `include`, `exclude` and `.reportlintignore` too
    /// (`--force-exclude`, as Ruff's): a pre-commit hook passes every changed file by name.
    public var forceExclude = false

    public init(followSymlinks: Bool = false, forceExclude: Bool = false, selects: @escaping (String) -> Bool = { _ in true }) {
        self.followSymlinks = followSymlinks
        self.forceExclude = forceExclude
        self.selects = selects
    }

    /// Whether a `.reportlintignore` of the file's folder, or of a folder above it up to the
    /// working directory, names the file.
    static func ignoredByName(_ path: String) -> Bool {
        let file = URL(fileURLWithPath: path).standardized
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true).standardized.pathComponents
        var folder = file.deletingLastPathComponent()
        while true {
            let globs = ignoreFile(in: folder.path)
            if !globs.isEmpty {
                let base = folder.pathComponents, parts = file.pathComponents
                let rel = parts[base.count...].joined(separator: "/")
                if globs.contains(where: { $0.matches(rel) }) { return true }
            }
            let components = folder.pathComponents
            // Up to the working directory when the file is below it; otherwise its own folder only.
            guard components.count > cwd.count, Array(components.prefix(cwd.count)) == cwd else { return false }
            folder = folder.deletingLastPathComponent()
        }
    }

    static func ignoreFile(in directory: String) -> [Glob] {
        guard let data = FileManager.default.contents(atPath: directory + "/.reportlintignore") else { return [] }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.isEmpty || text.hasPrefix("#") ? nil : Glob(text)
        }
    }

    func ignored(_ path: String) -> Bool {
        for (root, globs) in ignores where !globs.isEmpty && path.hasPrefix(root + "/") {
            let rel = String(path.dropFirst(root.count + 1))
            if globs.contains(where: { $0.matches(rel) }) { return true }
        }
        return false
    }

    /// Every input under `paths`, in walk order.
    public mutating func discover(_ paths: [String]) -> [DiscoveredInput] {
        var out: [DiscoveredInput] = []
        discover(paths) { out.append($0) }
        return out
    }

    /// Hands every input under `paths` to `visit`, in walk order, as it is found.
    public mutating func discover(_ paths: [String], visit: (DiscoveredInput) -> Void) {
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else {
                let reason = String(cString: strerror(errno))
                visit(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "无法读取路径：\(reason)")))
                continue
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                var visited: Set<DirectoryID> = [DirectoryID(st)]
                let root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                ignores = [(root, Self.ignoreFile(in: root))]
                walk(root, visited: &visited, visit: visit)
            } else if forceExclude, !selects(path) || Self.ignoredByName(path) {
                skipped += 1
            } else {
                visit(.report(path: path, explicit: true))
            }
        }
    }

    /// A folder's identity, to notice a symbolic link that leads back into the walk.
    struct DirectoryID: Hashable {
        var device: UInt64
        var inode: UInt64

        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
    }

    /// A folder entry's name and the file type the folder records for it (`d_type`).
    struct Entry {
        var name: [UInt8]
        var type: UInt8
    }

    // d_type values (dirent.h); DT_UNKNOWN means the file system does not say, so lstat decides.
    static let unknownType: UInt8 = 0, directoryType: UInt8 = 4, regularType: UInt8 = 8, linkType: UInt8 = 10

    /// The folder's entries other than hidden ones, sorted by name bytes; nil when it cannot be read.
    /// readdir rather than FileManager: the entry's type comes with it (no lstat per file) and
    /// no Foundation objects are made per name.
    static func entries(of directory: [UInt8]) -> [Entry]? {
        guard let dir = withCString(directory, { opendir($0) }) else { return nil }
        defer { closedir(dir) }
        var out: [Entry] = []
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            let name: [UInt8] = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                return Array(bytes[..<length])
            }
            // Hidden entries (and `.`, `..`) are not walked.
            guard let first = name.first, first != UInt8(ascii: ".") else { continue }
            out.append(Entry(name: name, type: type))
        }
        out.sort { $0.name.lexicographicallyPrecedes($1.name) }
        return out
    }

    /// `raw` is the folder's path as bytes on disk (its names need not be UTF-8); `directory` the
    /// same path as shown.
    mutating func walk(_ directory: String, raw: [UInt8]? = nil, visited: inout Set<DirectoryID>, visit: (DiscoveredInput) -> Void) {
        let rawDirectory = raw ?? Array(directory.utf8)
        guard let entries = Self.entries(of: rawDirectory) else {
            visit(.problem(ToolDiagnostic(id: .unreadable, path: directory, message: "无法列出目录内容")))
            return
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let rawPrefix = rawDirectory.last == UInt8(ascii: "/") ? rawDirectory : rawDirectory + [UInt8(ascii: "/")]
        for entry in entries {
            // A name that is not UTF-8 is shown decoded (GB18030) and opened by its bytes.
            let name = RawName.display(entry.name)
            let path = prefix + name
            let rawPath = rawPrefix + entry.name
            let bytePath: [UInt8]? = raw != nil || String(validating: entry.name, as: UTF8.self) == nil ? rawPath : nil
            if ignored(path) { skipped += 1; continue }
            var type = entry.type
            // The target's stat, once taken (a followed link, or a folder's identity for the loop check).
            var st = stat()
            var followed = false
            if type == Self.unknownType {
                guard Self.withCString(rawPath, { lstat($0, &st) }) == 0 else {
                    visit(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "无法读取路径：\(String(cString: strerror(errno)))")))
                    continue
                }
                type = Self.type(of: st)
            }
            if type == Self.linkType {
                guard followSymlinks else { skipped += 1; skippedLinks += 1; continue }
                guard Self.withCString(rawPath, { stat($0, &st) }) == 0 else {
                    visit(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "符号链接指向的目标不存在")))
                    continue
                }
                followed = true
                type = Self.type(of: st)
            }
            if type == Self.directoryType {
                guard followed || Self.withCString(rawPath, { stat($0, &st) }) == 0 else {
                    visit(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "无法读取路径：\(String(cString: strerror(errno)))")))
                    continue
                }
                guard visited.insert(DirectoryID(st)).inserted else {
                    visit(.problem(ToolDiagnostic(id: .unreadable, path: path, message: "目录循环：此目录已经遍历过")))
                    continue
                }
                walk(path, raw: bytePath, visited: &visited, visit: visit)
            } else if type == Self.regularType, ReportFormat.of(path: name) != nil {
                if selects(path) { visit(.report(path: path, explicit: false, fileSystemPath: bytePath)) } else { skipped += 1 }
            } else if type != Self.regularType, ReportFormat.of(path: name) != nil, selects(path) {
                // A FIFO, device or socket named like a report is never opened (it could block or
                // never end), but it does not vanish from the run either.
                visit(.problem(ToolDiagnostic(id: .unsupported, path: path, message: "这是\(Self.specialName(type))，不是普通文件，未读取")))
            } else {
                skipped += 1
            }
        }
    }

    /// Calls `body` with `bytes` as a NUL-terminated C string.
    static func withCString<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    static func type(of st: stat) -> UInt8 {
        switch st.st_mode & S_IFMT {
        case S_IFDIR: directoryType
        case S_IFREG: regularType
        case S_IFLNK: linkType
        // readdir's DT_ codes for the rest, which are never opened.
        case S_IFIFO: 1
        case S_IFCHR: 2
        case S_IFBLK: 6
        case S_IFSOCK: 12
        default: 0
        }
    }

    /// What a file that is not regular is, by its DT_ code.
    static func specialName(_ type: UInt8) -> String {
        switch type {
        case 1: "命名管道（FIFO）"
        case 2, 6: "设备文件"
        case 12: "套接字"
        default: "特殊文件"
        }
    }
}
