import Foundation
import Testing

struct DiscoveryTests {
    /// A folder with reports, a link to its parent, a .git folder and an image: no hang, the reports
    /// are artifacts, nothing inside .git is.
    @Test func loopsHiddenFoldersAndNonReports() throws {
        let dir = try temporaryDirectory()
        let report = packageRoot + "/Examples/2019/xiangtan-tjj-2019-clean.txt"
        try FileManager.default.createDirectory(atPath: dir + "/a/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/a/sub", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: report, toPath: dir + "/a/r1.txt")
        try FileManager.default.copyItem(atPath: report, toPath: dir + "/a/.git/r2.txt")
        try FileManager.default.copyItem(atPath: report, toPath: dir + "/a/sub/r3.txt")
        try FileManager.default.createSymbolicLink(atPath: dir + "/a/sub/up", withDestinationPath: "..")
        _ = FileManager.default.createFile(atPath: dir + "/a/pic.png", contents: Data([0x89, 0x50, 0x4E, 0x47]))
        for follow in [false, true] {
            let result = try reportlint(["lint", "--format", "sarif"] + (follow ? ["--follow-symlinks"] : []) + ["a"], in: dir)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let run = try #require((json["runs"] as? [[String: Any]])?.first)
            let uris = (run["artifacts"] as? [[String: Any]] ?? []).compactMap { ($0["location"] as? [String: Any])?["uri"] as? String }
            #expect(uris == ["a/r1.txt", "a/sub/r3.txt"], "follow: \(follow)")
            let notes = ((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]]) ?? []
            #expect(notes.isEmpty != follow, "following the link reports the loop as io.unreadable")
        }
    }

    @Test func deterministicOrderAcrossJobs() throws {
        let one = try reportlint(["lint", "--jobs", "1", "--format", "sarif", "Examples"], in: packageRoot).stdout
        let two = try reportlint(["lint", "--jobs", "2", "--format", "sarif", "Examples"], in: packageRoot).stdout
        #expect(one == two)
    }
}
