import Foundation
import RuleKit
import RunResults

/// Where a reporter writes: standard output or a file, written as it goes.
public final class OutputSink: @unchecked Sendable {
    let handle: FileHandle
    public let isTerminal: Bool
    private var buffer: [UInt8] = []

    public init(handle: FileHandle, isTerminal: Bool) {
        self.handle = handle
        self.isTerminal = isTerminal
    }

    public static func standardOutput() -> OutputSink {
        OutputSink(handle: .standardOutput, isTerminal: isatty(STDOUT_FILENO) == 1)
    }

    /// Opens (creating or truncating) the file to write. With open(2), not FileManager.createFile:
    /// that writes a new file and renames it over the path, which replaced `/dev/null` (or a FIFO a
    /// CI step reads from) with a regular file.
    public static func file(_ path: String) throws -> OutputSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        return OutputSink(handle: FileHandle(fileDescriptor: fd, closeOnDealloc: true), isTerminal: false)
    }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func write(bytes: UnsafeBufferPointer<UInt8>) {
        // A large piece goes out as it is rather than through the buffer.
        if bytes.count >= 1 << 16 {
            flush()
            handle.write(Data(buffer: bytes))
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// An output format. Reporters receive files in their final order, one at a time.
public protocol Reporter: AnyObject {
    func add(_ file: FileResult)
    func finish(_ summary: RunSummary)
}

public enum DisplayWidth {
    /// Terminal columns of a scalar: East Asian wide and full-width forms take two.
    public static func of(_ s: Unicode.Scalar) -> Int {
        switch s.value {
        case 0x09: 4
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            2
        case 0x0300...0x036F, 0x200B...0x200F: 0
        default: 1
        }
    }
}

/// Paths and URIs as reports show them.
public enum PathStyle {
    public static let workingDirectory: String = FileManager.default.currentDirectoryPath

    /// The path relative to the working directory when it lies below it.
    static let workingDirectoryPrefix = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"

    public static func relative(_ path: String) -> String {
        var p = path
        if p.hasPrefix("/") {
            let base = workingDirectoryPrefix
            if p.hasPrefix(base) { p.removeFirst(base.count) }
        }
        while p.hasPrefix("./") { p.removeFirst(2) }
        return p
    }

    public static func percentEncoded(_ path: String) -> String {
        // Bytes, then one String: once per file on the SARIF path.
        let hex: StaticString = "0123456789ABCDEF"
        var path = path
        return path.withUTF8 { utf8 in
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count * 3)
            for b in utf8 {
                let plain = (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
                    || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E || b == 0x2F
                if plain {
                    out.append(b)
                } else {
                    out.append(0x25)
                    out.append(hex.utf8Start[Int(b >> 4)])
                    out.append(hex.utf8Start[Int(b & 0xF)])
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A URI reference for SARIF: relative when below the working directory, else a file URI.
    public static func uri(_ path: String) -> (uri: String, relative: Bool) {
        let rel = relative(path)
        if rel.hasPrefix("/") { return ("file://" + percentEncoded(rel), false) }
        return (percentEncoded(rel), true)
    }

    public static var workingDirectoryURI: String {
        "file://" + percentEncoded(workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/")
    }
}
