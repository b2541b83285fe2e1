import Dispatch
import Foundation
import ReportModel

/// Reads the text layer of a PDF report with poppler's `pdftotext -layout -enc UTF-8 FILE -`,
/// run as a subprocess (found on `PATH`).
///
/// The view is the text layer itself, so positions are its lines and columns and no map is
/// needed. `pdftotext` ends every page with a form feed (U+000C), which stays at the start of the
/// next page's first line; the scanner reads it as white space. Scanned PDFs without a text layer
/// cannot be checked.
enum PDFReader {
    /// How long `pdftotext` may run before it is stopped.
    static let timeoutSeconds = 60
    static let installHint = "请安装 poppler-utils（apt-get install poppler-utils）"
    /// Largest text layer read: a report's text is a few hundred KB; a hostile PDF can print
    /// hundreds of MB (and the scanner needs several times that).
    static let maximumTextBytes = InputReader.maximumTextBytes

    static func read(_ bytes: [UInt8]) -> Result<ReadInput, InputFailure> {
        read(bytes, program: findProgram("pdftotext"), timeout: timeoutSeconds)
    }

    /// Reads with a given `pdftotext` (nil: not installed) and time limit.
    static func read(_ bytes: [UInt8], program: String?, timeout: Int) -> Result<ReadInput, InputFailure> {
        // A PDF starts with `%PDF-`, possibly after some junk within the first kilobyte.
        guard find(Array("%PDF-".utf8), in: bytes.prefix(1024)) else {
            return .failure(.unsupported("不是有效的 PDF 文件：开头没有 %PDF- 标记"))
        }
        guard let program else {
            return .failure(.unsupported("读取 PDF 需要 poppler 的 pdftotext 程序，但在 PATH 中找不到；\(installHint)"))
        }
        switch run(program, on: bytes, timeout: timeout) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let output):
            let text: [UInt8]
            if TextDecoder.isValidUTF8(output) {
                text = output
            } else {
                switch TextDecoder.decode(output) {
                case .success(let (utf8, _)): text = utf8
                case .failure(let error): return .failure(.decode("pdftotext 输出的文字层无法解码：\(error.description)"))
                }
            }
            guard text.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C || $0 == 0x09) }) else {
                return .failure(.unsupported("PDF 没有可提取的文字层（可能是扫描件），无法检查"))
            }
            // A TAB at a line start would read as a table cell of the template layout.
            let view = text.map { $0 == 0x09 ? 0x20 : $0 }
            return .success(ReadInput(view: SourceText(bytes: view), map: nil, encoding: nil))
        }
    }

    static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= needle.count else { return false }
        var i = bytes.startIndex
        while i + needle.count <= bytes.endIndex {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// The first executable `name` in the directories of `searchPath` (default: `PATH`).
    static func findProgram(_ name: String, searchPath: String? = nil) -> String? {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = directory.hasSuffix("/") ? String(directory) + name : String(directory) + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, st.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Runs `pdftotext` on a private copy of the bytes; its output and errors go to files, so no
    /// pipe can fill up, and it is killed when it takes longer than `timeout` seconds.
    static func run(_ program: String, on bytes: [UInt8], timeout: Int) -> Result<[UInt8], InputFailure> {
        do {
            return try TemporaryDirectory.with("pdf") { directory in
                try run(program, on: bytes, timeout: timeout, in: directory)
            }
        } catch let failure as TemporaryDirectory.Failure {
            return .failure(.unsupported("无法读取 PDF：\(failure.message)"))
        } catch {
            return .failure(.unsupported("无法读取 PDF：\(error)"))
        }
    }

    private static func run(_ program: String, on bytes: [UInt8], timeout: Int, in directory: URL) throws -> Result<[UInt8], InputFailure> {
        let input = directory.appendingPathComponent("input.pdf")
        let output = directory.appendingPathComponent("output.txt").path
        let errors = directory.appendingPathComponent("errors.txt").path
        try TemporaryDirectory.write(bytes, to: input)
        let outcome = ChildProcess.run(program, arguments: ["-layout", "-enc", "UTF-8", input.path, "-"], output: output, errors: errors,
                                       timeout: .seconds(timeout), outputLimit: maximumTextBytes)
        switch outcome {
        case .exited(0):
            break
        case .timedOut:
            return .failure(.unsupported("pdftotext 在 \(timeout) 秒内没有读完此 PDF，已停止"))
        case .outputTooLarge:
            return .failure(.unsupported("PDF 的文字层超过 \(maximumTextBytes >> 20) MiB 的上限（年度报告的文字远小于此），已停止读取"))
        case .failedToStart(let reason):
            return .failure(.unsupported("无法运行 \(program)：\(reason)；\(installHint)"))
        case .exited(let code), .signalled(let code):
            let message = (try? String(contentsOfFile: errors, encoding: .utf8)).map(firstLine) ?? ""
            let status = outcome == .exited(code) ? "退出码 \(code)" : "被信号 \(code) 终止"
            return .failure(.unsupported("pdftotext 无法读取此 PDF（\(status)）\(message.isEmpty ? "" : "：" + message)"))
        }
        guard let data = FileManager.default.contents(atPath: output) else {
            return .failure(.unsupported("无法读取 pdftotext 的输出"))
        }
        // It may have written a little more after the watchdog's last look.
        guard data.count <= maximumTextBytes else {
            return .failure(.unsupported("PDF 的文字层超过 \(maximumTextBytes >> 20) MiB 的上限（年度报告的文字远小于此），已停止读取"))
        }
        return .success([UInt8](data))
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return String(line.prefix(200))
    }
}
