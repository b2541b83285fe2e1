import Foundation
import Testing

/// Inputs and options as an attacker (or an accident) gives them: each ends in a diagnostic or a
/// usage error, never in a hang, a crash, lost memory or a destroyed file.
@Suite("Hostile inputs and options")
struct HostileInputTests {
    static let report = "2024年某县统计局政府信息公开工作年度报告\n\n一、总体情况\n\n本年度依法公开政府信息。\n"

    @Test("A FIFO named on the command line is refused at once, not read for ever")
    func fifo() throws {
        let dir = try temporaryDirectory()
        let fifo = dir + "/pipe.txt"
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try reportlint(["lint", "--format", "json", fifo], killAfter: 20)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("io.unsupported") && result.stdout.contains("命名管道"))
    }

    @Test("A device (/dev/zero) named on the command line is refused, not read until memory runs out")
    func device() throws {
        let result = try reportlint(["lint", "--format", "json", "/dev/zero"], killAfter: 20)
        #expect(result.status == 1)
        #expect(result.stdout.contains("io.unsupported") && result.stdout.contains("设备文件"))
    }

    @Test("A .txt link to a FIFO, walked with --follow-symlinks, does not block the walk")
    func linkToFIFO() throws {
        let dir = try temporaryDirectory()
        try Self.report.write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        #expect(mkfifo(dir + "/pipe", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/b.txt", withDestinationPath: dir + "/pipe")
        let result = try reportlint(["lint", "--format", "json", "--follow-symlinks", dir], killAfter: 20)
        #expect(result.status != -1, "the run must end")
        #expect(result.stdout.contains("a.txt"))
    }

    @Test("A link to /dev/zero in a walked folder is not followed, and the summary says a link was left, not a non-report file")
    func linkToDeviceSkipped() throws {
        let dir = try temporaryDirectory()
        try Self.report.write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/zero.txt", withDestinationPath: "/dev/zero")
        try Data().write(to: URL(fileURLWithPath: dir + "/notes.xlsx"))
        let result = try reportlint(["lint", dir], killAfter: 20)
        #expect(result.status != -1, "the run must end")
        #expect(result.stdout.contains("跳过 1 个非报告文件"), "\(result.stdout)")
        #expect(result.stdout.contains("1 个符号链接未跟随"), "\(result.stdout)")
    }

    @Test("A FIFO named like a report inside a walked folder is diagnosed, not opened and not left out")
    func fifoInAFolder() throws {
        let dir = try temporaryDirectory()
        try Self.report.write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        #expect(mkfifo(dir + "/b.txt", 0o600) == 0)
        #expect(mkfifo(dir + "/pipe", 0o600) == 0)  // not named like a report: skipped as any other file
        let result = try reportlint(["lint", "--format", "json", dir], killAfter: 20)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("a.txt"))
        #expect(result.stdout.contains("b.txt") && result.stdout.contains("命名管道") && result.stdout.contains("io.unsupported"))
        #expect(!result.stdout.contains("\"pipe\""))
    }

    @Test("An output that is a FIFO (or /dev/null) is written into, not replaced by a regular file")
    func outputIntoAFIFO() throws {
        let dir = try temporaryDirectory()
        try Self.report.write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        let fifo = dir + "/out.sarif"
        #expect(mkfifo(fifo, 0o600) == 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread {
            guard let handle = FileHandle(forReadingAtPath: fifo) else { return }
            received = handle.readDataToEndOfFile()
        }
        reader.start()
        let result = try reportlint(["lint", "-q", "--format", "sarif", "--output", fifo, dir + "/a.txt"], killAfter: 20)
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        var waited = 0
        while !reader.isFinished, waited < 200 { usleep(50_000); waited += 1 }
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO, "the FIFO must stay a FIFO")
        #expect(String(decoding: received, as: UTF8.self).contains("\"version\":\"2.1.0\""))
    }

    @Test("Standard input has the same size limit as a file")
    func standardInputLimit() throws {
        let dir = try temporaryDirectory()
        let big = dir + "/big.bin"
        try Data(repeating: 0x41, count: 3 << 20).write(to: URL(fileURLWithPath: big))
        let result = try reportlint(["lint", "--format", "json", "--max-file-size", "1", "--stdin-filename", "x.txt", "-"],
                                    stdinFile: big, killAfter: 20)
        #expect(result.status == 1)
        #expect(result.stdout.contains("io.unsupported") && result.stdout.contains("标准输入超过"))
    }

    @Test("A text larger than any report is refused before it is scanned")
    func hugeText() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/huge.txt"
        try Data(String(repeating: "\t0\n", count: 3_000_000).utf8).write(to: URL(fileURLWithPath: path))
        let result = try reportlint(["lint", "--format", "json", path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("io.unsupported") && result.stdout.contains("MiB 的上限"))
    }

    @Test("An output named like an input is a usage error, and the input is left as it was")
    func outputOntoInput() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/report.txt"
        try Self.report.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "--format", "json=report.txt", "report.txt"], in: dir)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("就是要检查的输入文件"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.report)
        // Through another name of the same file (a hard link), too.
        #expect(link(path, dir + "/alias.txt") == 0)
        #expect(try reportlint(["lint", "-o", "alias.txt", "report.txt"], in: dir).status == 2)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.report)
    }

    @Test("An output of a report type inside the archive is refused; one of another type is written and not linted")
    func outputInsideTheArchive() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/archive", withIntermediateDirectories: true)
        try Self.report.write(toFile: dir + "/archive/a.txt", atomically: true, encoding: .utf8)
        let refused = try reportlint(["lint", "--format", "human=archive/out.txt", "archive"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("位于要检查的目录"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/archive/out.txt"))
        let written = try reportlint(["lint", "--format", "json=archive/out.json", "--fail-on", "never", "archive"], in: dir)
        #expect(written.status == 0, "\(written.stderr)")
        let json = try String(contentsOfFile: dir + "/archive/out.json", encoding: .utf8)
        #expect(json.contains("a.txt") && !json.contains("out.json"))
    }

    @Test("Absurd --jobs and --max-file-size are usage errors, not crashes", arguments: [
        ["--jobs", "100000000"], ["--jobs", "0"], ["--max-file-size", "9223372036854775807"], ["--max-file-size", "0"],
    ])
    func absurdOptions(_ options: [String]) throws {
        let dir = try temporaryDirectory()
        try Self.report.write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint"] + options + ["a.txt"], in: dir)
        #expect(result.status == 2, "\(result.stderr)")
    }

    @Test("A baseline with counts that overflow is a clear error, not a crash")
    func baselineOverflow() throws {
        let dir = try temporaryDirectory()
        try Self.report.write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        let entry = #"{"rule": "contact.missing", "file": "a.txt", "text": "x", "message": "m", "count": 9223372036854775807}"#
        try #"{"version": 1, "tool": "reportlint", "entries": [\#(entry), \#(entry)]}"#.write(toFile: dir + "/baseline.json", atomically: true, encoding: .utf8)
        let result = try reportlint(["lint", "--baseline", "baseline.json", "a.txt"], in: dir)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("计数"))
        // A FIFO as the baseline is refused, not waited on.
        #expect(mkfifo(dir + "/fifo.json", 0o600) == 0)
        #expect(try reportlint(["lint", "--baseline", "fifo.json", "a.txt"], in: dir, killAfter: 20).status == 2)
    }

    @Test("A file whose name is not UTF-8 (GBK, from a Windows zip archive) is linted, its name shown decoded")
    func gbkFileName() throws {
        let dir = try temporaryDirectory()
        // 报告.txt in GBK: B1 A8 B8 E6.
        let name: [UInt8] = [0xB1, 0xA8, 0xB8, 0xE6] + Array(".txt".utf8)
        let path = Array((dir + "/").utf8) + name + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o600) } }
        #expect(fd >= 0)
        let bytes = Array(Self.report.utf8)
        #expect(write(fd, bytes, bytes.count) == bytes.count)
        close(fd)
        let result = try reportlint(["lint", "--format", "json", "--fail-on", "never", dir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("报告.txt"))
        #expect(!result.stdout.contains("io.unreadable"))
        #expect(result.stdout.contains("contact.missing"), "the report itself was read")
    }
}

/// A run ended by a signal kills the programs it started and removes its temporary folders.
@Suite("Signals")
struct SignalTests {
    @Test("SIGTERM during a PDF read: pdftotext dies with the run, no temporary folder is left")
    func sigtermKillsChildren() throws {
        let dir = try temporaryDirectory()
        let bin = dir + "/bin", tmp = dir + "/tmp"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        // A pdftotext that writes for ever and says who it is.
        try "#!/bin/sh\necho $$ > \(dir)/child.pid\nwhile true; do echo 一二三; sleep 0.05; done\n"
            .write(toFile: bin + "/pdftotext", atomically: true, encoding: .utf8)
        chmod(bin + "/pdftotext", 0o755)
        try Data("%PDF-1.4\n%%EOF\n".utf8).write(to: URL(fileURLWithPath: dir + "/a.pdf"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: reportlintPath)
        process.arguments = ["lint", "-q", dir + "/a.pdf"]
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["TMPDIR"] = tmp
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Wait (up to 20 s) for the child to start.
        var waited = 0
        while !FileManager.default.fileExists(atPath: dir + "/child.pid"), waited < 400 { usleep(50_000); waited += 1 }
        let pidText = try String(contentsOfFile: dir + "/child.pid", encoding: .utf8)
        let child = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        usleep(200_000)
        // Gone, or at most a zombie left to init (a container's init may not reap it at once).
        let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
        let alive = kill(child, 0) == 0 && state != "Z"
        if alive { print("pdftotext \(child) state \(state ?? "?")") }
        if alive { kill(child, SIGKILL) }
        #expect(!alive, "pdftotext must die with the run")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "no temporary folder left")
    }
}
