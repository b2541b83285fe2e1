#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading configuration and rule files that someone else may have written: in CI the repository's
/// `.reportlint.yml` and rule packs come with the pull request. Only regular files are opened, never
/// pipes, devices or the generated files of /proc and /sys, and no more is read than a rule or
/// configuration file can need.
public enum FileAccess {
    public enum Kind: Equatable {
        case regular, directory, symbolicLink, other
    }

    /// The canonical absolute path (symbolic links, `.` and `..` resolved), nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What `path` is, following symbolic links (`stat`) or not (`lstat`).
    public static func kind(_ path: String, following: Bool = true) -> Kind? {
        var st = stat()
        guard (following ? stat(path, &st) : lstat(path, &st)) == 0 else { return nil }
        return kind(of: st)
    }

    public static func kind(of st: stat) -> Kind {
        switch st.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symbolicLink
        default: .other
        }
    }

    /// Whether the canonical path `path` is `root` or lies below it (both from `realPath`).
    public static func isInside(_ path: String, _ root: String) -> Bool {
        if path == root || root == "/" { return true }
        return path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The folder holding `path` (`path` without its last component; "." for a bare name).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether the file lies on a file system whose files are made when read (/proc, /sys and the
    /// like): they call themselves regular files, and reading /proc/self/environ gives the run's secrets.
    public static func isGenerated(_ st: stat) -> Bool { generatedDevices.contains(UInt64(st.st_dev)) }

    /// The devices of those file systems, from their usual mount points (Glibc offers no `statfs`
    /// to ask a file's file system type). A mount point that is only a folder of the root file system
    /// names no device of its own.
    public static let generatedDevices: Set<UInt64> = {
        var root = stat()
        guard stat("/", &root) == 0 else { return [] }
        var devices: Set<UInt64> = []
        for path in ["/proc", "/sys", "/sys/kernel/debug", "/sys/kernel/tracing", "/sys/kernel/security", "/sys/fs/cgroup", "/dev"] {
            var st = stat()
            if stat(path, &st) == 0, st.st_dev != root.st_dev { devices.insert(UInt64(st.st_dev)) }
        }
        return devices
    }()

    /// The text of a regular file of at most `limit` bytes, as UTF-8. `what` names the file in the
    /// errors (规则文件, 配置文件); no error quotes any of its content.
    public static func readText(_ path: String, limit: Int, what: String) throws(ConfigError) -> String {
        func failure(_ message: String) -> ConfigError { ConfigError(file: path, line: 1, column: 1, message: message, lineText: "") }
        // Looked at before opening: opening a FIFO would wait for a writer, a device could do anything.
        switch kind(path) {
        case nil: throw failure("无法读取\(what)：\(String(cString: strerror(errno)))")
        case .directory?: throw failure("\(what)是一个文件夹")
        case .other?: throw failure("\(what)不是普通文件（管道、设备或套接字），不予读取")
        case .regular?, .symbolicLink?: break
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw failure("无法读取\(what)：\(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        // Checked again on what was opened, in case the path changed in between.
        guard fstat(fd, &st) == 0, kind(of: st) == .regular else { throw failure("\(what)不是普通文件，不予读取") }
        guard !isGenerated(st) else { throw failure("\(what)位于 /proc、/sys 这类虚拟文件系统中，不予读取") }
        let size = Int(st.st_size)
        guard size <= limit else { throw failure("\(what)有 \(size) 字节，超过上限 \(limit) 字节") }
        // Never more than the size fstat gave: a file that grows, or says it is empty while it is not, is taken as fstat saw it.
        var bytes = [UInt8](repeating: 0, count: size)
        var count = 0
        while count < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, size - count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw failure("无法读取\(what)：\(String(cString: strerror(errno)))") }
            if n == 0 { break }
            count += n
        }
        guard let text = String(validating: bytes[..<count], as: UTF8.self) else { throw failure("\(what)必须是 UTF-8 编码") }
        return text
    }
}
