import Foundation
@testable import LintEngine
@testable import Reporters
import RuleKit
import Testing
import RunResults

/// Collects what a run hands to the reporters, in order.
final class CollectingReporter: Reporter {
    var paths: [String] = []
    var tools: [String] = []
    var summary: RunSummary?

    func add(_ file: FileResult) {
        paths.append(file.path)
        tools += file.toolDiagnostics.map { "\($0.id.rawValue) \($0.path)" }
    }

    func finish(_ summary: RunSummary) { self.summary = summary }
}

struct PipelineTests {
    /// A tree of many small files in nested folders with non-reports and hidden entries: every
    /// thread count writes the same files in the same (sorted, depth-first) order as one thread.
    @Test func walkOrderIsTheSameForEveryJobCount() throws {
        let dir = try temporaryDirectory()
        var expected: [String] = []
        // Names chosen so that byte order differs from a case-insensitive or numeric order.
        for a in ["B", "a", "b", "中"] {
            for b in ["10", "9", "x"] {
                let folder = "\(dir)/\(a)/\(b)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for c in 0..<12 {
                    let name = "r\(c).txt"
                    _ = FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data("一、总体情况\n".utf8))
                }
                _ = FileManager.default.createFile(atPath: "\(folder)/.hidden.txt", contents: Data("x".utf8))
                _ = FileManager.default.createFile(atPath: "\(folder)/notes.csv", contents: Data("x".utf8))
            }
        }
        for a in ["B", "a", "b", "中"] {
            for b in ["10", "9", "x"] {
                for c in ["r0", "r1", "r10", "r11", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"] { expected.append("\(dir)/\(a)/\(b)/\(c).txt") }
            }
        }
        let configuration = try LintConfiguration.standard()
        for jobs in [1, 2, 3, 7] {
            let reporter = CollectingReporter()
            let outcome = LintRun(options: LintOptions(inputs: [LintInput(path: dir, configuration: configuration)], jobs: jobs)).run(reporters: [reporter])
            #expect(reporter.paths == expected, "jobs \(jobs)")
            #expect(reporter.summary?.skipped == 12, "jobs \(jobs): the notes.csv files are skipped")
            #expect(outcome.summary.filesLinted + outcome.summary.filesFailed == expected.count, "jobs \(jobs)")
        }
    }

    /// A tiny window and backlog: the walker, the linters and the writer keep waiting on each
    /// other, and every input still comes out once, in order, with no deadlock. Repeated, since
    /// a lost wake-up shows only in some interleavings (it once left two linters waiting for room
    /// in the window after the writer had taken the last inputs itself).
    @Test(arguments: [(1, 1), (1, 3), (2, 1), (4, 2)])
    func tinyWindowAndBacklog(window: Int, backlog: Int) async throws {
        for _ in 0..<40 where !runTinyPipeline(window: window, backlog: backlog) { break }
    }

    /// What the writer saw, handed from its thread to the test after the semaphore.
    final class WriterRecord: @unchecked Sendable {
        var written: [String] = []
        var skipped = -1
        var progressMismatches = 0
    }

    /// False after a deadlock (recorded as an issue), to stop repeating.
    func runTinyPipeline(window: Int, backlog: Int) -> Bool {
        let count = 300
        let pipeline = Pipeline(window: window, backlog: backlog)
        let walker = Thread {
            for i in 0..<count {
                pipeline.add(.problem(ToolDiagnostic(id: .unreadable, path: "p\(i)", message: "")))
            }
            pipeline.finishWalk(skipped: 5, links: 0)
        }
        walker.start()
        // Threads, not the dispatch pool: it may run fewer blocks at once than asked for, and the
        // lost wake-up needed two linters waiting at the same time.
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread {
                while let (i, input) = pipeline.take() { pipeline.put(i, LintRun.lint(input, Linter(rules: RuleSet(entries: [])))) }
                group.leave()
            }.start()
        }
        // The writer and the wait for the linters run on their own thread, so that a deadlock
        // fails the test after 30 s instead of hanging the run.
        let record = WriterRecord()
        let done = DispatchSemaphore(value: 0)
        Thread {
            loop: while true {
                switch pipeline.step(record.written.count) {
                case .result(let result, let progress):
                    record.written.append(result.path)
                    if progress.done != record.written.count || progress.found < record.written.count { record.progressMismatches += 1 }
                case .work(let i, let input):
                    pipeline.put(i, LintRun.lint(input, Linter(rules: RuleSet(entries: []))))
                case .finished(let s, _):
                    record.skipped = s
                    break loop
                }
            }
            group.wait()
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + 30) == .success else {
            Issue.record("deadlock: window \(window), backlog \(backlog); \(record.written.count) of \(count) written")
            return false
        }
        #expect(record.written == (0..<count).map { "p\($0)" })
        #expect(record.skipped == 5)
        #expect(record.progressMismatches == 0)
        return true
    }

    /// A file name that is not UTF-8 is linted, opened by its bytes and shown with them escaped.
    @Test func fileNameThatIsNotUTF8() throws {
        let dir = try temporaryDirectory()
        _ = FileManager.default.createFile(atPath: dir + "/good.txt", contents: Data("一、总体情况\n".utf8))
        let bad: [UInt8] = Array((dir + "/").utf8) + [0x62, 0xFF, 0xFE] + Array(".txt".utf8) + [0]
        let fd = bad.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        try #require(fd >= 0)
        close(fd)
        let configuration = try LintConfiguration.standard()
        for jobs in [1, 2] {
            let reporter = CollectingReporter()
            let outcome = LintRun(options: LintOptions(inputs: [LintInput(path: dir, configuration: configuration)], jobs: jobs)).run(reporters: [reporter])
            #expect(reporter.paths == [dir + "/b\\xFF\\xFE.txt", dir + "/good.txt"])
            #expect(!reporter.tools.contains { $0.hasPrefix("io.unreadable") }, "\(reporter.tools)")
            #expect(outcome.exitCode == 1)
        }
    }

    @Test func reportFormatFromTheExtension() {
        #expect(ReportFormat.of(path: "a/b/2019.TXT") == .text)
        #expect(ReportFormat.of(path: "报告.Html") == .html)
        #expect(ReportFormat.of(path: "x.shtml") == .html)
        #expect(ReportFormat.of(path: "x.docx") == .docx)
        #expect(ReportFormat.of(path: "x.PDF") == .pdf)
        #expect(ReportFormat.of(path: "x.txt.bak") == nil)
        #expect(ReportFormat.of(path: "dir.txt/file") == nil)
        #expect(ReportFormat.of(path: "/a.b/txt") == nil)
        #expect(ReportFormat.of(path: "txt") == nil)
        #expect(ReportFormat.of(path: ".txt") == .text)
    }

    /// The fast check agrees with URL standardization on which paths it would leave alone.
    @Test func standardPathsNeedNoStandardizing() {
        let paths = ["/", "/a", "/a/b.txt", "/a//b", "/a/./b", "/a/../b", "/a/.", "/a/..", "/a/", "/.hidden/x", "/a/.b/c", "/a/..b/c",
                     "/a/b../c", "/a/b./c", "/中文/报告.txt", "/a/...", "/a/.../b", "//a", "/./a", "/../a"]
        for path in paths {
            let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
            if LintConfiguration.isStandard(path) { #expect(standardized == path, "\(path)") }
        }
        for path in ["/a", "/a/b.txt", "/.hidden/x", "/a/.b/c", "/a/..b/c", "/a/b../c", "/中文/报告.txt", "/a/...", "/"] {
            #expect(LintConfiguration.isStandard(path), "\(path)")
        }
        for path in ["/a//b", "/a/./b", "/a/../b", "/a/.", "/a/..", "/a/", "//a", "/./a", "/../a"] {
            #expect(!LintConfiguration.isStandard(path), "\(path)")
        }
    }
}

/// SARIF's waiting lists move to a temporary file past their spill size and come back whole.
struct SARIFSpillTests {
    @Test(arguments: [1, 64, 1000, 1 << 20])
    func entriesComeBackInOrder(spillSize: Int) throws {
        var list = SARIFReporter.SerializedList(spillSize: spillSize)
        var expected: [UInt8] = []
        for i in 0..<2_000 {
            list.beginEntry()
            let entry = Array("{\"n\":\(i),\"text\":\"第\(i)条\(String(repeating: "x", count: i % 37))\"}".utf8)
            entry.withUnsafeBufferPointer { list.buffer.append($0) }
            list.endEntry()
            expected += (i == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A]) + entry
        }
        let path = try temporaryDirectory() + "/out.json"
        let sink = try OutputSink.file(path)
        list.write(to: sink)
        sink.flush()
        #expect(list.count == 2_000)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }
}
