import Foundation
import Testing

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let sharedRoot = packageRoot + "/../shared"
let exampleReport = sharedRoot + "/corpus/real/000-xiangxiang-shenpiju-2019.txt"
var hasShared: Bool { FileManager.default.fileExists(atPath: exampleReport) }

/// The built `reportlint` next to the test bundle.
let reportlintPath: String = {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [here.appendingPathComponent("reportlint").path, here.deletingLastPathComponent().appendingPathComponent("reportlint").path]
    where FileManager.default.isExecutableFile(atPath: candidate) {
        return candidate
    }
    for config in ["debug", "release"] {
        let path = packageRoot + "/.build/\(config)/reportlint"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return packageRoot + "/.build/debug/reportlint"
}()

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the tool with a working directory and environment of the test's choosing.
/// `stdinFile` connects standard input to a file (for large inputs the tool may stop reading early).
/// `killAfter`: a run still going after that many seconds is killed and its status is -1, for the
/// tests that expect a hang. Every other run is killed after `runLimit`, recording an issue: a hang
/// shows as a failed test that names the command, never as a test run that does not end.
func reportlint(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], stdin: Data? = nil,
                stdinFile: String? = nil, killAfter: Double? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: reportlintPath)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NO_COLOR")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    if let stdinFile {
        process.standardInput = FileHandle(forReadingAtPath: stdinFile)
    } else {
        process.standardInput = input
    }
    try process.run()
    let watch = ChildWatch(process, killAfter: killAfter ?? runLimit)
    // Both pipes are read before waiting, so a large output cannot block the child.
    let errors = PipeReading(err)
    let output = PipeReading(out)
    if stdinFile == nil {
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
    }
    let outData = output.wait(), errData = errors.wait()
    process.waitUntilExit()
    let killed = watch.end()
    if killed, killAfter == nil {
        Issue.record("reportlint \(arguments.joined(separator: " ")) was still running after \(Int(runLimit)) s and was killed")
    }
    return RunResult(status: killed ? -1 : process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

/// How long any run of the tool in a test may take (the longest takes seconds).
let runLimit: Double = 600

/// Reads a pipe to its end on a thread of its own. Not on Dispatch: its pool may be held by other
/// tests' blocking waits, and a reader never scheduled leaves the child blocked on a full pipe.
final class PipeReading: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }

    /// The data, or nil when the pipe is still open after `seconds`.
    func wait(seconds: Double) -> Data? {
        done.wait(timeout: .now() + seconds) == .success ? data : nil
    }
}

/// Kills a child still running after a time, from a thread of its own (for the reason above).
final class ChildWatch: @unchecked Sendable {
    private let condition = NSCondition()
    private var ended = false
    private var killed = false

    init(_ process: Process, killAfter seconds: Double) {
        nonisolated(unsafe) let process = process
        let pid = process.processIdentifier
        let deadline = Date(timeIntervalSinceNow: seconds)
        Thread.detachNewThread { [self] in
            condition.lock()
            defer { condition.unlock() }
            while !ended, condition.wait(until: deadline) {}
            if !ended, process.isRunning {
                killed = true
                kill(pid, SIGKILL)
            }
        }
    }

    /// Stops watching; whether the child was killed.
    func end() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        ended = true
        condition.broadcast()
        return killed
    }
}

/// `file:line: [rule]` keys of the human output, for compact assertions.
func findingKeys(_ output: String) -> [String] {
    output.split(separator: "\n").compactMap { line -> String? in
        guard let bracket = line.lastIndex(of: "["), line.hasSuffix("]") else { return nil }
        let head = line.split(separator: ":", maxSplits: 3)
        guard head.count >= 3, Int(head[1]) != nil else { return nil }
        return "\(head[1]) \(line[line.index(after: bracket)..<line.index(before: line.endIndex)])"
    }
}

/// The folder of this test process that holds every test's temporary folder; removed when the
/// process exits, so that runs do not pile folders up in the system's temporary directory.
let testScratchRoot: String = {
    let path = NSTemporaryDirectory() + "reportlint-tests-\(getpid())-" + UUID().uuidString.prefix(8)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: testScratchRoot) }
    return path
}()

func temporaryDirectory() throws -> String {
    let path = testScratchRoot + "/reportlint-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs shared/sarif/validate-sarif on a file: (exit status, output).
func validateSARIF(_ path: String) throws -> (Int32, String) {
    let validator = Process()
    validator.executableURL = URL(fileURLWithPath: sharedRoot + "/sarif/validate-sarif")
    validator.arguments = [path]
    let pipe = Pipe()
    validator.standardOutput = pipe
    validator.standardError = pipe
    validator.standardInput = FileHandle.nullDevice
    try validator.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    validator.waitUntilExit()
    return (validator.terminationStatus, output)
}
