#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArchiveRules
import Foundation
import ReportInputs
import ReportScanner
import RuleKit
import YAMLRules
import RunResults
import RuleCatalog

/// The rules to run on a file, with their effective severities and the run's context.
public struct RuleSet: Sendable {
    public struct Entry: Sendable {
        public var id: String
        public var severity: Severity
        public var rule: any Rule

        public init(id: String, severity: Severity, rule: any Rule) {
            self.id = id
            self.severity = severity
            self.rule = rule
        }
    }
    public var entries: [Entry] {
        didSet { packRules = Self.packRules(entries) }
    }
    public var context: RuleContext
    /// The entries' rule-pack rules that declare extra rows, found once rather than by a cast of
    /// every rule on every file (the others add no rows).
    private var packRules: [any RowAllowingRule]

    public init(entries: [Entry], context: RuleContext = .standard) {
        self.entries = entries
        self.context = context
        packRules = Self.packRules(entries)
    }

    private static func packRules(_ entries: [Entry]) -> [any RowAllowingRule] {
        entries.compactMap { $0.rule as? any RowAllowingRule }.filter(\.allowsRows)
    }

    /// Every built-in rule (Swift plugins and the packs on by default) at its default severity.
    public static func all(context: RuleContext = .standard) -> RuleSet {
        RuleSet(entries: RuleCatalog.builtIn.defaultRules.map { Entry(id: $0.description.id, severity: $0.description.severity, rule: $0) },
                context: context)
    }

    public func run(on document: Document) -> (diagnostics: [Diagnostic], problems: [ToolDiagnostic]) {
        var context = self.context
        // Rows a rule pack allows (kind extra-rows) count for this document when the rule applies to it.
        for yaml in packRules {
            for (table, rows) in yaml.extraRows(for: document, context: self.context) { context.extraRows[table, default: []].formUnion(rows) }
        }
        var out: [Diagnostic] = []
        var problems: [ToolDiagnostic] = []
        // By index: an entry is not copied for each rule of each file.
        for i in entries.indices {
            do {
                for finding in try entries[i].rule.check(document, context: context) {
                    out.append(Diagnostic(ruleID: entries[i].id, severity: entries[i].severity, span: finding.span, message: finding.message,
                                          related: finding.related))
                }
            } catch let timeout as RuleTimeout {
                problems.append(ToolDiagnostic(id: .ruleTimeout, path: "",
                                               message: "规则 \(timeout.ruleID) 的模式在本文件上运行超过 \(timeout.milliseconds) 毫秒，已停止该规则对本文件的检查"))
            } catch {
                problems.append(ToolDiagnostic(id: .ruleError, path: "", message: "规则 \(entries[i].id) 在本文件上出错（规则的缺陷，不是报告的问题）：\(error)"))
            }
        }
        out.sort { ($0.span.start, $0.ruleID, $0.message) < ($1.span.start, $1.ruleID, $1.message) }
        return (out, problems)
    }
}

/// Reads, decodes, scans and checks one file. Never writes to it.
public struct Linter: Sendable {
    /// The rules for a file (a configuration's overrides may differ by path).
    public var ruleSet: @Sendable (String) -> RuleSet
    public var maxFileSize = 64 << 20
    /// When set, each linted report also gives its digest for the rules across reports, its issuer
    /// resolved through these aliases.
    public var digestAliases: [String: String]?
    /// When set, each linted report also gives its facts (cells, formats, dates) for the archive database.
    public var recordsFacts = false

    public init(rules: RuleSet) {
        ruleSet = { _ in rules }
    }

    public init(ruleSet: @escaping @Sendable (String) -> RuleSet) {
        self.ruleSet = ruleSet
    }

    /// Reads, scans and checks one file. `fileSystemPath`: the bytes to open when the name on disk is
    /// not UTF-8 (`path` is then the name as shown).
    public func lint(path: String, explicit: Bool, fileSystemPath: [UInt8]? = nil) -> FileResult {
        switch scan(path: path, explicit: explicit, fileSystemPath: fileSystemPath) {
        case .failed(let result): result
        case .report(let report): check(report)
        }
    }

    public func lint(bytes: [UInt8], path: String, format: ReportFormat, explicitlyTyped: Bool = true) -> FileResult {
        switch scan(bytes: bytes, path: path, format: format, explicitlyTyped: explicitlyTyped) {
        case .failed(let result): result
        case .report(let report): check(report)
        }
    }

    /// A file read and scanned, before any rule ran: what `lint` checks and `dump` prints.
    public struct ScannedReport: Sendable {
        public var path: String
        public var format: ReportFormat
        public var input: ReadInput
        public var document: Document
    }

    /// What reading one file gave: the scanned report, or the result that says why there is none.
    public enum Scan: Sendable {
        case report(ScannedReport)
        case failed(FileResult)
    }

    /// Reads and scans one file, as `lint` does, without running rules.
    public func scan(path: String, explicit: Bool, fileSystemPath: [UInt8]? = nil) -> Scan {
        let format = ReportFormat.of(path: path)
        if format == nil, !explicit {
            return .failed(FileResult(path: path, toolDiagnostics: [ToolDiagnostic(id: .unsupported, path: path, message: "不是年度报告文件类型")]))
        }
        let bytes: [UInt8]
        do {
            bytes = try Self.read(fileSystemPath ?? Array(path.utf8), limit: maxFileSize)
        } catch let error as NotRegular {
            return .failed(FileResult(path: path, format: format, toolDiagnostics: [ToolDiagnostic(id: .unsupported, path: path, message: error.description)]))
        } catch let error as TooLarge {
            return .failed(FileResult(path: path, format: format, toolDiagnostics: [ToolDiagnostic(id: .unsupported, path: path, message: error.description)]))
        } catch {
            return .failed(FileResult(path: path, format: format, toolDiagnostics: [ToolDiagnostic(id: .unreadable, path: path, message: "\(error)")]))
        }
        if format == nil, let kind = Self.binaryKind(bytes) {
            return .failed(FileResult(path: path, toolDiagnostics: [ToolDiagnostic(id: .unsupported, path: path, message: "这是\(kind)，不是年度报告的文本、HTML、.docx 或 PDF 文件")]))
        }
        return scan(bytes: bytes, path: path, format: format ?? .text, explicitlyTyped: format != nil)
    }

    /// Recognizes common binary files by their magic numbers (a file named without a report extension).
    static func binaryKind(_ bytes: [UInt8]) -> String? {
        let magic: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "PNG 图像"), ([0xFF, 0xD8, 0xFF], "JPEG 图像"), (Array("GIF8".utf8), "GIF 图像"),
            (Array("%PDF".utf8), "PDF 文件（文件名缺少 .pdf 后缀）"), ([0x50, 0x4B, 0x03, 0x04], "ZIP 压缩包（.docx/.xlsx 等）"),
            ([0xD0, 0xCF, 0x11, 0xE0], "旧版 Office 文件（.doc/.xls），请另存为 .docx"), (Array("Rar!".utf8), "RAR 压缩包"),
        ]
        for (prefix, name) in magic where bytes.starts(with: prefix) { return name }
        if bytes.prefix(8192).contains(0) && !(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])) { return "二进制文件（含 NUL 字节）" }
        return nil
    }

    /// Decodes and scans bytes read from `path`.
    public func scan(bytes: [UInt8], path: String, format: ReportFormat, explicitlyTyped: Bool = true) -> Scan {
        switch InputReader.read(bytes, kind: format, path: path) {
        case .failure(.decode(let message)):
            // A file of unknown type named on the command line that does not decode is not a report.
            let id: ToolDiagnosticID = explicitlyTyped ? .decode : .unsupported
            return .failed(FileResult(path: path, format: format, toolDiagnostics: [ToolDiagnostic(id: id, path: path, message: message)]))
        case .failure(.unsupported(let message)):
            return .failed(FileResult(path: path, format: format, toolDiagnostics: [ToolDiagnostic(id: .unsupported, path: path, message: message)]))
        case .success(let input):
            return .report(ScannedReport(path: path, format: format, input: input, document: ReportScanner.scan(input.view)))
        }
    }

    /// Runs the file's rules on a scanned report.
    public func check(_ report: ScannedReport) -> FileResult {
        let path = report.path, input = report.input
        let (diagnostics, problems) = ruleSet(path).run(on: report.document)
        var tool = problems.map { ToolDiagnostic(id: $0.id, path: path, message: $0.message) }
        if let damage = input.damage, let at = input.firstDamageLocation {
            tool.insert(ToolDiagnostic(id: .lossyDecode, path: path, message:
                "第 \(at.line) 行第 \(at.column) 列起有 \(damage.count) 处字节无法按 \(input.encoding?.rawValue ?? "UTF-8") 解码，已替换为 U+FFFD，其余内容照常检查"), at: 0)
        }
        var result = FileResult(path: path, format: report.format, encoding: input.encoding, source: input.view, sourceMap: input.map,
                                diagnostics: diagnostics, toolDiagnostics: tool)
        if let aliases = digestAliases {
            let positions = Positions(view: input.view, map: input.map)
            result.digest = ReportDigester.digest(report.document, aliases: aliases) { positions.location(of: $0) }
        }
        if recordsFacts { result.facts = Self.facts(report.document, aliases: digestAliases ?? [:]) }
        result.profile = Self.profile(report.document)
        return result
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    struct TooLarge: Error, CustomStringConvertible {
        var description: String
    }

    /// A FIFO, device or socket: reading it could block or never end.
    struct NotRegular: Error, CustomStringConvertible {
        var description: String
    }

    public static func read(_ path: String, limit: Int = Int.max) throws -> [UInt8] { try read(Array(path.utf8), limit: limit) }

    /// Reads a whole regular file with POSIX calls (opened read-only), at most `limit` bytes.
    /// Opened non-blocking, so that a FIFO (or a file swapped for one during the walk) cannot block
    /// the open, and refused unless fstat says it is a regular file.
    public static func read(_ path: [UInt8], limit: Int = Int.max) throws -> [UInt8] {
        let fd = FileDiscovery.withCString(path) { open($0, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard fd >= 0 else { throw ReadError(description: "无法打开文件：\(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ReadError(description: "无法读取文件信息：\(String(cString: strerror(errno)))") }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ReadError(description: "这是一个目录")
        case S_IFIFO: throw NotRegular(description: "这是一个命名管道（FIFO），不是普通文件，未读取")
        case S_IFCHR, S_IFBLK: throw NotRegular(description: "这是一个设备文件，不是普通文件，未读取")
        case S_IFSOCK: throw NotRegular(description: "这是一个套接字，不是普通文件，未读取")
        default: throw NotRegular(description: "不是普通文件，未读取")
        }
        // Reads block again: a regular file never waits, and a non-blocking read could stop short.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        guard Int(st.st_size) <= limit else {
            throw TooLarge(description: "文件过大（\(Int(st.st_size) >> 20) MB），超过 --max-file-size 的上限 \(limit >> 20) MB，未读取")
        }
        // Read straight into the array (sized from fstat, plus one byte to see the end of file)
        // rather than through a zero-filled chunk that is then copied. Once fstat's size is read
        // the file is taken as it was then: a further read only to see the end of file would be
        // one system call more per report.
        let size = Int(st.st_size)
        let capacity = size + 1
        var failure: Int32 = 0
        var result = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            while count < capacity {
                if count == size, size > 0 { return }
                let n = systemRead(fd, buffer.baseAddress! + count, capacity - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                count += n
            }
        }
        if failure != 0 { throw ReadError(description: "读取失败：\(String(cString: strerror(failure)))") }
        // The file grew after fstat, or fstat gave no size (/proc and the like): read the rest in
        // chunks, up to the limit.
        if result.count == capacity {
            try readRest(fd, into: &result, limit: limit, what: "文件")
        }
        return result
    }

    /// Reads `fd` to its end into `result`, failing with TooLarge past `limit` bytes.
    static func readRest(_ fd: Int32, into result: inout [UInt8], limit: Int, what: String) throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: "读取失败：\(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            guard result.count + n <= limit else {
                throw TooLarge(description: "\(what)超过 --max-file-size 的上限 \(limit >> 20) MB，未读取")
            }
            result.append(contentsOf: chunk[0..<n])
        }
    }

    /// Standard input, at most `limit` bytes (a pipe or a file: whatever the caller connected);
    /// or why it could not be read, as the diagnostic to report.
    public static func readStandardInput(limit: Int) -> (bytes: [UInt8]?, problem: ToolDiagnostic?) {
        var bytes: [UInt8] = []
        do {
            try readRest(STDIN_FILENO, into: &bytes, limit: limit, what: "标准输入")
        } catch let error as TooLarge {
            return (nil, ToolDiagnostic(id: .unsupported, path: "-", message: error.description))
        } catch {
            return (nil, ToolDiagnostic(id: .unreadable, path: "-", message: "\(error)"))
        }
        return (bytes, nil)
    }
}

/// The C library's read(2): `Linter.read` shadows the name inside the type.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
    #else
    Darwin.read(fd, buffer, count)
    #endif
}

extension Linter {
    /// What the scanner recognised of a report, as `dump` shows it (issuer as the title gives it).
    public static func profile(_ document: Document) -> ReportProfile {
        var formats: [String: String] = [:]
        for table in document.tables { if let format = table.format { formats[table.id.rawValue] = format.rawValue } }
        return ReportProfile(issuer: document.issuer, year: document.reportYear, kind: document.kind.rawValue, tableFormats: formats)
    }

    /// What the archive database keeps of a report besides its findings.
    static func facts(_ document: Document, aliases: [String: String]) -> ReportFacts {
        var formats: [String: String] = [:]
        var cells: [FactCell] = []
        for table in document.tables {
            if let format = table.format { formats[table.id.rawValue] = format.rawValue }
            for row in table.rows {
                for cell in row.cells {
                    let value: Double? = switch cell.value {
                    case .number(let v): v
                    case .blank, .placeholder: 0
                    case .text: nil
                    }
                    cells.append(FactCell(table: table.id.rawValue, row: row.key ?? row.label, column: cell.column, value: value, raw: cell.raw))
                }
            }
        }
        let date = document.publicationDate.map { String(format: "%04d-%02d-%02d", $0.year, $0.month, $0.day) }
        return ReportFacts(issuer: ReportDigester.normalizedIssuer(document.issuer, aliases: aliases), year: document.reportYear,
                           kind: document.kind.rawValue, formats: formats, publicationDate: date, cells: cells)
    }
}
