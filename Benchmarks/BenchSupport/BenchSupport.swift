import Foundation
import LintEngine
import Reporters
import RuleKit
import ReportInputs

/// Inputs shared by the benchmark targets: the repository's example reports and generated archives.
///
/// Paths are found from this file's location (`Benchmarks/BenchSupport/`), so the benchmarks work
/// whatever the working directory the benchmark tool gives them.
public enum BenchInputs {
    /// The root package (the linter) that this benchmark package sits in.
    public static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// `/work/shared` next to the package root (`../shared`), or `REPORTLINT_SHARED`.
    public static var sharedRoot: String {
        ProcessInfo.processInfo.environment["REPORTLINT_SHARED"] ?? packageRoot + "/../shared"
    }

    public static var generator: String? {
        let path = sharedRoot + "/tools/gen-archive"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// A clean 2023 report from Examples/ (UTF-8).
    public static let reportPath = "Examples/2023/changsha-rmzf-2023-clean.txt"

    public static func exampleBytes(_ relative: String = reportPath) throws -> [UInt8] {
        try Linter.read(packageRoot + "/" + relative)
    }

    /// All example reports (relative paths, sorted).
    public static func examples() throws -> [String] {
        let root = packageRoot + "/Examples"
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".txt") }.sorted().map { "Examples/" + $0 }
    }

    /// Converts UTF-8 bytes to GB18030 with the system's iconv(1).
    public static func gb18030(_ utf8: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("iconv failed with status \(process.terminationStatus)") }
        return Array(data)
    }

    /// A plain-text archive of `count` reports, generated once and kept under the temporary folder
    /// (`gen-archive --formats txt --seed bench`; without the generator, copies of Examples/ files).
    /// Returns the folder and its total size in bytes.
    public static func archive(count: Int) throws -> (path: String, bytes: Int, files: Int) {
        let base = ProcessInfo.processInfo.environment["REPORTLINT_BENCH_DIR"] ?? NSTemporaryDirectory() + "reportlint-bench"
        let source = generator == nil ? "examples" : "gen-archive"
        let dir = base + "/\(source)-txt-bench-\(count)"
        let marker = dir + "/.complete"
        if !FileManager.default.fileExists(atPath: marker) {
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if let generator {
                try run("/usr/bin/env", ["python3", generator, "--out", dir, "--count", String(count), "--formats", "txt", "--seed", "bench"])
            } else {
                try synthesize(into: dir, count: count)
            }
            _ = FileManager.default.createFile(atPath: marker, contents: Data())
        }
        var bytes = 0, files = 0
        for case let name as String in FileManager.default.enumerator(atPath: dir) ?? FileManager.DirectoryEnumerator() where name.hasSuffix(".txt") {
            let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/" + name)
            bytes += (attributes[.size] as? Int) ?? 0
            files += 1
        }
        guard files == count else { throw BenchError("\(dir) holds \(files) reports, expected \(count)") }
        return (dir, bytes, files)
    }

    /// Without the generator: the example reports, varied by report year and issuer so that no two files are equal.
    static func synthesize(into dir: String, count: Int) throws {
        let sources = try examples().map { try String(decoding: TextDecoder.decode(exampleBytes($0)).get().bytes, as: UTF8.self) }
        guard !sources.isEmpty else { throw BenchError("no Examples/ reports to vary") }
        for i in 0..<count {
            var text = sources[i % sources.count]
            text = text.replacingOccurrences(of: "人民政府", with: "人民政府（第\(i)号）")
            let folder = dir + "/\(i / 500)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + String(format: "/%05d-example.txt", i)))
        }
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)") }
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Lints an archive the way `reportlint lint --format sarif --output /dev/null DIR` does (default configuration).
/// (The lint command's `--ignore` goes through the same `selecting`.)
public enum EndToEnd {
    /// `acrossReports: false` is `--ignore 'crossyear.*' --ignore 'archive.*'`: the rules across reports off.
    public static func lint(_ path: String, jobs: Int, acrossReports: Bool = true) throws -> LintRun.Outcome {
        guard let null = FileHandle(forWritingAtPath: "/dev/null") else { throw BenchError("cannot open /dev/null") }
        var configuration = try LintConfiguration.standard()
        if !acrossReports { configuration = configuration.selecting(RuleSelection(ignore: ["crossyear.*", "archive.*"])) }
        let reporter = SARIFReporter(sink: OutputSink(handle: null, isTerminal: false), rules: configuration.known.map(\.description))
        let options = LintOptions(inputs: [LintInput(path: path, configuration: configuration)], jobs: jobs, failOn: .never)
        return LintRun(options: options).run(reporters: [reporter])
    }
}

/// State a benchmark's setup hook fills in and its closure reads (setup and closure run in order, on one thread at a time).
public final class SetupState<Value>: @unchecked Sendable {
    private var stored: Value?
    public init() {}
    public var value: Value {
        get { guard let stored else { fatalError("benchmark setup did not run") }; return stored }
        set { stored = newValue }
    }
}

/// Items per second for `count` items handled in `duration`.
public func perSecond(_ count: Double, _ duration: Duration) -> Int {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return seconds > 0 ? Int((count / seconds).rounded()) : 0
}

/// Megabytes (10^6 bytes) per second for `bytes` handled in `duration`.
public func megabytesPerSecond(_ bytes: Int, _ duration: Duration) -> Int {
    perSecond(Double(bytes) / 1e6, duration)
}

/// Settings every benchmark target shares.
public enum BenchSettings {
    /// Megabytes of report text handled per second, measured inside the benchmark closure.
    public static let megabytesPerSecondMetric = "MB/s"

    /// Tolerances applied when comparing with the stored thresholds (Benchmarks/Thresholds/) or a baseline:
    /// time and throughput are noisy on a shared 2-core machine, allocation counts are not.
    public static let relativeTime: [Double] = [25, 35]
}
