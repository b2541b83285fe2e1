import Foundation
import Testing

/// The tests' own guard against hangs: a child that does not end is killed, a pipe left open is not
/// waited for, so a hang fails a test instead of stopping the run.
@Suite("Children of tests are bounded")
struct ChildWatchTests {
    @Test("A child still running at its limit is killed; one that ends is not")
    func childIsKilledAtItsLimit() throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        sleeper.standardInput = FileHandle.nullDevice
        try sleeper.run()
        let watch = ChildWatch(sleeper, killAfter: 0.3)
        sleeper.waitUntilExit()
        #expect(watch.end())
        #expect(sleeper.terminationReason == .uncaughtSignal && sleeper.terminationStatus == SIGKILL)

        let quick = Process()
        quick.executableURL = URL(fileURLWithPath: "/bin/true")
        quick.standardInput = FileHandle.nullDevice
        try quick.run()
        let relaxed = ChildWatch(quick, killAfter: 30)
        quick.waitUntilExit()
        #expect(!relaxed.end())
        #expect(quick.terminationReason == .exit && quick.terminationStatus == 0)
    }

    @Test("A pipe still open after the wait gives nil; a closed one its data")
    func pipeLeftOpenIsNotWaitedFor() throws {
        let open = Pipe()
        let reading = PipeReading(open)
        open.fileHandleForWriting.write(Data("partial".utf8))
        #expect(reading.wait(seconds: 0.3) == nil)
        try open.fileHandleForWriting.close()
        #expect(reading.wait() == Data("partial".utf8))
    }

    @Test("The tool's runs read standard input from the test, never from the terminal or CI")
    func standardInputIsTheTests() throws {
        // `-` reads standard input: with none given it is empty at once, not CI's open descriptor.
        let run = try reportlint(["lint", "--stdin-filename", "a.txt", "-"], killAfter: 60)
        #expect(run.status != -1, "the run waited on standard input")
    }
}
