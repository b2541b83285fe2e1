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
/// `killAfter`: a run still going after that many seconds is killed and its status is -1: a hang
/// shows as a failed expectation, not as a test run that never ends.
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
    if stdinFile == nil {
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
    }
    nonisolated(unsafe) var killed = false
    if let killAfter {
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + killAfter) {
            if kill(pid, 0) == 0, process.isRunning { killed = true; kill(pid, SIGKILL) }
        }
    }
    // Read both pipes before waiting so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return RunResult(status: killed ? -1 : process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
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

func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "reportlint-test-" + UUID().uuidString
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
    try validator.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    validator.waitUntilExit()
    return (validator.terminationStatus, output)
}
