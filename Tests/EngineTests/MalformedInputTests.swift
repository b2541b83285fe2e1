import Foundation
import TestSupport
import Testing

/// Inputs no real report looks like (issue 6, "Scale and hardening"). For each, the built tool must
/// finish within a generous bound (no crash, no hang) and account for every file in its SARIF:
/// either linted (listed in `run.artifacts`) or reported with an `io.*` notification.
struct MalformedInputTests {
    /// Generous: every case here takes a few seconds at most on 2 cores.
    static let timeLimit: TimeInterval = 120

    // MARK: - Cases

    @Test func randomBytes() async throws {
        var rng = SplitMix64(seed: 6)
        let dir = try temporaryDirectory()
        var names: [String] = []
        for (i, size) in [1, 2, 3, 17, 512, 4_096, 65_536, 1 << 20].enumerated() {
            names.append(try write(dir, "random-\(i).txt", rng.bytes(size)))
        }
        // High bytes only (never valid UTF-8, often valid GB18030), and ASCII noise with line breaks.
        names.append(try write(dir, "random-high.txt", (0..<70_000).map { _ in UInt8(0x81 + rng.next() % 0x7E) }))
        names.append(try write(dir, "random-ascii.txt", (0..<70_000).map { _ in [0x0A, 0x0D, 0x09, 0x20, 0x30, 0x31, 0x41][Int(rng.next() % 7)] }))
        try await expectSurvives(dir, files: names)
    }

    /// Inputs the fuzzer (Fuzz/run.sh) crashed on, kept as regression inputs: each is linted as the
    /// harness reads it, as a .txt, an .html and a .docx report (as it is when it starts with PK,
    /// else as the body of a stored package).
    @Test func keptFuzzFindings() async throws {
        let kept = packageRoot + "/Tests/Fixtures/fuzz"
        let inputs = try FileManager.default.contentsOfDirectory(atPath: kept).filter { $0.hasSuffix(".bin") }.sorted()
        #expect(!inputs.isEmpty)
        let dir = try temporaryDirectory()
        var names: [String] = []
        for input in inputs {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: kept + "/" + input)))
            names.append(try write(dir, input + ".txt", bytes))
            names.append(try write(dir, input + ".html", bytes))
            names.append(try write(dir, input + ".docx", bytes.starts(with: [0x50, 0x4B]) ? bytes : StoredPackage.docx(body: bytes)))
        }
        // The package itself is one the reader reads.
        let body = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body></w:document>"
        names.append(try write(dir, "stored-package.docx", StoredPackage.docx(body: Array(body.utf8))))
        let outcome = try await expectSurvives(dir, files: names)
        #expect(outcome.linted.contains(names.last!))
    }

    @Test func truncatedReports() async throws {
        let dir = try temporaryDirectory()
        var names: [String] = []
        for (n, example) in try examples().enumerated() {
            let bytes = example.bytes
            // Cut everywhere interesting: inside the first scalar, mid-file (often inside a multi-byte
            // character or a GB18030 pair), just before the tables, one byte short of the end.
            let cuts = Set([1, 2, bytes.count / 3, bytes.count / 2 + 1, bytes.count * 2 / 3 + 1, bytes.count - 1])
            for cut in cuts.sorted() where cut > 0 && cut < bytes.count {
                names.append(try write(dir, "truncated-\(n)-\(cut).txt", Array(bytes.prefix(cut))))
            }
        }
        try await expectSurvives(dir, files: names)
    }

    @Test func byteMutatedReports() async throws {
        var rng = SplitMix64(seed: 66)
        let dir = try temporaryDirectory()
        var names: [String] = []
        for (n, example) in try examples().enumerated() {
            for m in 0..<12 {
                var bytes = example.bytes
                // A few random edits of the kinds a fuzzer makes: flip, overwrite, insert, delete, duplicate.
                for _ in 0...(m % 6) {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 5 {
                    case 0: bytes[at] ^= UInt8(1 << (rng.next() % 8))
                    case 1: bytes[at] = [0x00, 0xFF, 0x09, 0x0A, 0x0D, 0xE3, 0x80, 0x30, 0x39][Int(rng.next() % 9)]
                    case 2: bytes.insert(contentsOf: rng.bytes(Int(rng.next() % 8) + 1), at: at)
                    case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int(rng.next() % 64) + 1))
                    default:
                        let end = min(bytes.count, at + Int(rng.next() % 400) + 1)
                        bytes.insert(contentsOf: bytes[at..<end], at: at)
                    }
                    if bytes.isEmpty { bytes = [0x0A] }
                }
                names.append(try write(dir, "mutated-\(n)-\(m).txt", bytes))
            }
        }
        try await expectSurvives(dir, files: names)
    }

    @Test func huge7MBSingleLine() async throws {
        // CJK text, digits, tabs, dates and phone-like runs, with no line break at all.
        let chunk = Array("2023年1月1日至12月31日\t0\t本年度共收到申请1136件，联系电话：0731-5676811；".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(7_000_000 + chunk.count)
        while bytes.count < 7_000_000 { bytes += chunk }
        let dir = try temporaryDirectory()
        let name = try write(dir, "one-line.txt", bytes)
        let outcome = try await expectSurvives(dir, files: [name])
        #expect(outcome.linted.contains(name), "a 7 MB text is under the text limit (8 MiB) and is valid UTF-8: it is linted")
    }

    @Test func manyShortLines() async throws {
        // Short lines of every kind the scanner classifies: headings, table cells, dates, numbers, blanks.
        let kinds = ["一、总体情况", "\t0", "2023年1月1日", "", "\t", "1", "（一）主动公开情况", "\t本年新收政府信息公开申请数量", "二、主动公开政府信息情况", "。"]
        var text = ""
        text.reserveCapacity(8_000_000)
        for i in 0..<400_000 {
            text += kinds[i % kinds.count]
            text += "\n"
        }
        let dir = try temporaryDirectory()
        let name = try write(dir, "many-lines.txt", Array(text.utf8))
        let outcome = try await expectSurvives(dir, files: [name])
        #expect(outcome.linted.contains(name))
    }

    @Test func nulBytes() async throws {
        let example = try #require(try examples().first { $0.name.contains("clean") })
        var interleaved: [UInt8] = []
        for (i, b) in example.bytes.enumerated() {
            interleaved.append(b)
            if i % 97 == 0 { interleaved.append(0) }
        }
        let dir = try temporaryDirectory()
        let names = [
            try write(dir, "nul-only.txt", [UInt8](repeating: 0, count: 100_000)),
            try write(dir, "nul-one.txt", [0]),
            try write(dir, "nul-interleaved.txt", interleaved),
            try write(dir, "nul-prefix.txt", [0, 0, 0, 0] + example.bytes),
        ]
        try await expectSurvives(dir, files: names)
        // Without a report extension, named on the command line: recognized as binary, not linted.
        let binary = try write(dir, "nul-binary", [UInt8](repeating: 0, count: 4_096))
        let outcome = try await expectSurvives(dir, files: [binary], arguments: [binary])
        #expect(outcome.problems[binary] == ["io.unsupported"])
    }

    @Test func byteOrderMarksAndBrokenUTF16() async throws {
        let dir = try temporaryDirectory()
        let utf16 = Array("2023年政府信息公开工作年度报告\n".utf16)
        let le = utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be = utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let cases: [(String, [UInt8], String?)] = [
            ("bom-utf8-only.txt", [0xEF, 0xBB, 0xBF], nil),
            ("bom-utf16le-only.txt", [0xFF, 0xFE], nil),
            ("bom-utf16be-only.txt", [0xFE, 0xFF], nil),
            ("bom-utf8-twice.txt", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], nil),
            ("bom-utf8-truncated.txt", [0xEF, 0xBB], nil),
            ("utf16le-odd-length.txt", [0xFF, 0xFE] + le + [0x41], "io.decode"),
            ("utf16be-odd-length.txt", [0xFE, 0xFF] + be.dropLast(), "io.decode"),
            ("utf16le-lone-high-surrogate.txt", [0xFF, 0xFE] + le + [0x00, 0xD8, 0x41, 0x00], "io.decode"),
            ("utf16le-lone-low-surrogate-at-end.txt", [0xFF, 0xFE] + le + [0x00, 0xDC], "io.decode"),
            ("utf16be-lone-high-surrogate-at-end.txt", [0xFE, 0xFF] + be + [0xD8, 0x00], "io.decode"),
            ("utf16le-bom-only-odd.txt", [0xFF, 0xFE, 0x00], "io.decode"),
        ]
        for (name, bytes, _) in cases { _ = try write(dir, name, bytes) }
        let outcome = try await expectSurvives(dir, files: cases.map(\.0))
        for (name, _, expected) in cases {
            if let expected {
                #expect(outcome.problems[name] == [expected], "\(name)")
            } else {
                #expect(outcome.linted.contains(name), "\(name): a BOM with nothing (valid) after it is an empty report")
            }
        }
    }

    @Test func fakeDocxAndPDF() async throws {
        var rng = SplitMix64(seed: 666)
        let example = try #require(try examples().first)
        let dir = try temporaryDirectory()
        var zipHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        zipHeader += rng.bytes(600)
        // An end-of-central-directory record that points past the end of the file.
        let badDirectory: [UInt8] = [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0]
        let names = [
            try write(dir, "text.docx", example.bytes),
            try write(dir, "empty.docx", []),
            try write(dir, "random.docx", rng.bytes(10_000)),
            try write(dir, "zip-garbage.docx", zipHeader),
            try write(dir, "zip-bad-directory.docx", [0x50, 0x4B, 0x03, 0x04] + rng.bytes(100) + badDirectory),
            try write(dir, "text.pdf", example.bytes),
            try write(dir, "empty.pdf", []),
            try write(dir, "header-only.pdf", Array("%PDF-1.7\n".utf8)),
            try write(dir, "garbage.pdf", Array("%PDF-1.4\n1 0 obj << /Length 99999999 >> stream\n".utf8) + rng.bytes(5_000)),
            try write(dir, "random.pdf", rng.bytes(10_000)),
        ]
        let outcome = try await expectSurvives(dir, files: names)
        // None of these is a readable Word or PDF report.
        for name in names { #expect(!outcome.linted.contains(name) || name.hasSuffix("empty.pdf") || name.hasSuffix("empty.docx"), "\(name)") }
    }

    @Test func emptyFileAndDirectoryNamedLikeAReport() async throws {
        let example = try #require(try examples().first)
        let dir = try temporaryDirectory()
        let empty = try write(dir, "empty.txt", [])
        // A folder named x.txt is walked like any folder: the report inside it is linted, the folder is not read as a file.
        try FileManager.default.createDirectory(atPath: dir + "/x.txt", withIntermediateDirectories: true)
        let inside = try write(dir, "x.txt/inside.txt", example.bytes)
        try FileManager.default.createDirectory(atPath: dir + "/y.html", withIntermediateDirectories: true)
        let outcome = try await expectSurvives(dir, files: [empty, inside])
        #expect(outcome.linted.contains(empty), "an empty text file decodes (as nothing) and is linted")
        #expect(outcome.linted.contains(inside))
        #expect(!outcome.linted.contains("x.txt") && outcome.problems["x.txt"] == nil)
        #expect(!outcome.linted.contains("y.html") && outcome.problems["y.html"] == nil)
        // Named explicitly, the folder is walked too.
        let explicit = try await expectSurvives(dir, files: [inside], arguments: ["x.txt"])
        #expect(explicit.linted == [inside])
    }

    @Test func unreadableFile() async throws {
        // root reads a chmod 000 file anyway, so the case only means something for other users.
        guard geteuid() != 0 else { return }
        let example = try #require(try examples().first)
        let dir = try temporaryDirectory()
        let name = try write(dir, "locked.txt", example.bytes)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: dir + "/" + name)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir + "/" + name) }
        let outcome = try await expectSurvives(dir, files: [name])
        #expect(outcome.problems[name] == ["io.unreadable"])
    }

    @Test func absurdHTML() async throws {
        let dir = try temporaryDirectory()
        let title = "<p>2023年某市统计局政府信息公开工作年度报告</p>"
        var names: [String] = []
        names.append(try write(dir, "deep-200000.html", Array(("<html><body>" + String(repeating: "<div>", count: 200_000) + title
                                                               + String(repeating: "</div>", count: 200_000) + "</body></html>").utf8)))
        names.append(try write(dir, "deep-unclosed-tables.html", Array(String(repeating: "<table><tr><td>", count: 60_000).utf8)))
        names.append(try write(dir, "deep-nested-cells.html", Array((title + String(repeating: "<table><tr><td colspan=\"3\">1</td><td>", count: 5_000)).utf8)))
        names.append(try write(dir, "span-65535.html", Array((title + "<table><tr><td colspan=\"65535\" rowspan=\"65535\">1</td><td>2</td></tr>"
                                                             + "<tr><td rowspan=\"65535\">3</td><td colspan=\"65535\">4</td></tr></table>").utf8)))
        names.append(try write(dir, "span-many-rows.html", Array(("<table>" + (0..<300).map { "<tr><td colspan=\"65535\" rowspan=\"65535\">\($0)</td><td>0</td></tr>" }.joined()
                                                                 + "</table>").utf8)))
        names.append(try write(dir, "span-absurd-values.html", Array((title + "<table><tr><td colspan=\"99999999999999999999\" rowspan=\"-5\">1</td>"
                                                                     + "<td colspan=\"0\" rowspan=\"4294967297\">2</td><td colspan=\"1e9\" rowspan=\"0x10000\">3</td></tr></table>").utf8)))
        let entities = ["&#99999999999999999999;", "&#x110000;", "&#0;", "&#xD800;", "&#xDFFF;", "&#-1;", "&#x7FFFFFFF;", "&#4294967296;", "&#x;",
                        "&#;", "&#x0000000000000000000000041;", "&" + String(repeating: "a", count: 100_000) + ";", "&#65;&#x4E00;"]
        names.append(try write(dir, "entities.html", Array((title + "<p>" + entities.joined(separator: " ") + "</p><table><tr><td>&#99999999999;</td></tr></table>").utf8)))
        names.append(try write(dir, "entity-flood.html", Array(("<p>" + String(repeating: "&#x4E00;&#12288;&nbsp;&amp;", count: 200_000) + "</p>").utf8)))
        try await expectSurvives(dir, files: names)
    }

    // MARK: - Running and checking

    struct Outcome {
        /// Relative paths listed in SARIF `run.artifacts`.
        var linted: Set<String> = []
        /// io.* notification ids by relative path.
        var problems: [String: [String]] = [:]
    }

    /// Lints `arguments` (default: the whole folder) from `dir` with SARIF output and checks that the
    /// process ended normally within the limit and that each of `files` (relative to `dir`) is accounted for.
    @discardableResult
    func expectSurvives(_ dir: String, files: [String], arguments: [String] = ["."], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Outcome {
        let run = try await runBounded(["lint", "--format", "sarif", "--fail-on", "never"] + arguments, in: dir)
        #expect(!run.timedOut, "reportlint did not finish within \(Int(Self.timeLimit)) s", sourceLocation: sourceLocation)
        #expect(run.reason == .exit, "reportlint was killed by signal \(run.status): \(run.stderr.suffix(2_000))", sourceLocation: sourceLocation)
        // 0, or 1 when a file could not be read (io.*); 2 would be a configuration or internal error.
        #expect(run.status == 0 || run.status == 1, "exit status \(run.status): \(run.stderr.suffix(2_000))", sourceLocation: sourceLocation)
        guard !run.timedOut, run.reason == .exit else { return Outcome() }
        let outcome = try parseSARIF(run.stdout, sourceLocation: sourceLocation)
        for file in files {
            let accounted = outcome.linted.contains(file) || outcome.problems[file]?.contains { $0.hasPrefix("io.") } == true
            #expect(accounted, "\(file) is neither in run.artifacts nor reported with an io.* diagnostic", sourceLocation: sourceLocation)
        }
        return outcome
    }

    func parseSARIF(_ text: String, sourceLocation: SourceLocation) throws -> Outcome {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "SARIF output", sourceLocation: sourceLocation)
        let run = try #require((json["runs"] as? [[String: Any]])?.first, sourceLocation: sourceLocation)
        var outcome = Outcome()
        func path(_ location: Any?) -> String? {
            guard let uri = (location as? [String: Any])?["uri"] as? String else { return nil }
            return uri.removingPercentEncoding ?? uri
        }
        for artifact in run["artifacts"] as? [[String: Any]] ?? [] {
            if let p = path(artifact["location"]) { outcome.linted.insert(p) }
        }
        let invocation = (run["invocations"] as? [[String: Any]])?.first
        for note in invocation?["toolExecutionNotifications"] as? [[String: Any]] ?? [] {
            guard let id = (note["descriptor"] as? [String: Any])?["id"] as? String else { continue }
            for location in note["locations"] as? [[String: Any]] ?? [] {
                let physical = location["physicalLocation"] as? [String: Any]
                if let p = path(physical?["artifactLocation"]) { outcome.problems[p, default: []].append(id) }
            }
        }
        return outcome
    }

    struct BoundedRun {
        var status: Int32
        var reason: Process.TerminationReason
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    /// Runs the built tool, killing it when it runs past `timeLimit`. Blocking waits happen on
    /// Dispatch threads, never on the cooperative pool that runs the tests in parallel.
    func runBounded(_ arguments: [String], in directory: String) async throws -> BoundedRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: reportlintPath)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let killed = KillSwitch()
        let watchdog = Task {
            try await Task.sleep(for: .seconds(Self.timeLimit))
            killed.fire(pid)
        }
        func drain(_ pipe: Pipe) async -> Data {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: pipe.fileHandleForReading.readDataToEndOfFile()) }
            }
        }
        async let outData = drain(out)
        async let errData = drain(err)
        let (stdout, stderr) = await (outData, errData)
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        watchdog.cancel()
        return BoundedRun(status: process.terminationStatus, reason: process.terminationReason, timedOut: killed.fired,
                          stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Kills a process once and remembers that it did.
    final class KillSwitch: @unchecked Sendable {
        private let lock = NSLock()
        private var didFire = false
        var fired: Bool { lock.withLock { didFire } }
        func fire(_ pid: pid_t) {
            lock.withLock { didFire = true }
            kill(pid, SIGKILL)
        }
    }

    // MARK: - Inputs

    /// The bundled example reports (UTF-8 and GBK).
    func examples() throws -> [(name: String, bytes: [UInt8])] {
        let root = packageRoot + "/Examples"
        let files = (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        let loaded = try files.map { ($0, try Array(Data(contentsOf: URL(fileURLWithPath: root + "/" + $0)))) }
        try #require(!loaded.isEmpty, "Examples/ holds reports")
        return loaded
    }

    @discardableResult
    func write(_ dir: String, _ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
        return name
    }
}


/// A ZIP archive with one stored entry, `word/document.xml` (the fuzz harness's FuzzReport.swift
/// makes the same package of an input that is not a ZIP).
enum StoredPackage {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    static func le(_ v: UInt32, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    static func docx(body: [UInt8]) -> [UInt8] {
        let name = Array("word/document.xml".utf8)
        let crc = crc32(body), size = UInt32(body.count)
        let common = le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4) + le(size, 4) + le(size, 4) + le(UInt32(name.count), 2) + le(0, 2)
        let local = le(0x0403_4B50, 4) + common + name
        let central = le(0x0201_4B50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + name
        let end = le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(UInt32(central.count), 4) + le(UInt32(local.count + body.count), 4) + le(0, 2)
        return local + body + central + end
    }
}
