import Foundation

/// A private directory (mode 0700) under the system's temporary directory, removed when done.
/// The PDF reader hands `pdftotext` a file in one. (The .docx reader needs none: it reads the
/// archive from memory.)
enum TemporaryDirectory {
    struct Failure: Error {
        var message: String
    }

    static func with<T>(_ purpose: String, _ body: (URL) throws -> T) throws -> T {
        let fm = FileManager.default
        let directory = fm.temporaryDirectory.appendingPathComponent("reportlint-\(purpose)-\(UUID().uuidString)", isDirectory: true)
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(message: "无法创建临时目录：\(error.localizedDescription)")
        }
        // Registered, so that a signal ending the run removes it too (RunCleanup).
        RunCleanup.made(directory.path)
        defer {
            if RunCleanup.reclaim(directory.path) { try? fm.removeItem(at: directory) }
        }
        return try body(directory)
    }

    /// Writes `bytes` to a new file in `directory`.
    static func write(_ bytes: [UInt8], to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(message: "无法写入临时文件 \(url.lastPathComponent)")
        }
    }
}
