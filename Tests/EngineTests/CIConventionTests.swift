import Foundation
import Testing

/// Conventions a CI job relies on (issue 18, point 6).
struct CIConventionTests {
    @Test("Overlapping paths (a folder, a file in it, the folder again) lint each file once")
    func overlappingPathsLintEachFileOnce() throws {
        let folder = packageRoot + "/Examples/2023"
        let result = try reportlint(["lint", "--format", "json", "--fail-on", "never", folder, folder + "/changsha-rmzf-2023-clean.txt", folder + "/"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // Each file once (a follow-up entry holds a file's findings across reports, not the file again).
        let paths = (json["files"] as? [[String: Any]] ?? []).filter { $0["followUp"] == nil }.compactMap { $0["path"] as? String }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }
        #expect(paths.count == files.count, "\(paths)")
        #expect(Set(paths.map { URL(fileURLWithPath: $0).lastPathComponent }) == Set(files))
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == files.count)
    }

    @Test("--write-baseline records the findings and exits 0; the baseline then hides them")
    func writingABaselineSucceeds() throws {
        let dir = try temporaryDirectory()
        let written = try reportlint(["lint", "-q", "--write-baseline", dir + "/baseline.json", packageRoot + "/Examples/2023"])
        #expect(written.status == 0, "\(written.stderr)")
        let again = try reportlint(["lint", "-q", "--baseline", dir + "/baseline.json", packageRoot + "/Examples/2023"])
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test("JUnit: one test case per report, a file's findings across reports in its own case")
    func junitHasOneCasePerReport() throws {
        let folder = packageRoot + "/Examples/2023"
        let result = try reportlint(["lint", "--format", "junit", "--fail-on", "never", folder])
        let reports = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }
        #expect(result.stdout.components(separatedBy: "<testcase ").count - 1 == reports.count, "\(result.stdout)")
        // The two examples share their prose: the later one's archive.cross-issuer-reuse is inside its case.
        #expect(result.stdout.contains("archive.cross-issuer-reuse"))
    }
}
