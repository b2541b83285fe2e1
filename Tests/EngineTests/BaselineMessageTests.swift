import Testing

@testable import LintEngine

/// How a baseline keys a finding across reports: the other report's path in the message, as an entry names a file.
@Suite("Baseline keys of findings across reports")
struct BaselineMessageTests {
    @Test("Only the whole path is replaced, wherever it stands between spaces or brackets", arguments: [
        ("上年结转 3 不等于 2022年报告 ./a/2022.txt 的结转下年度继续办理 2", "上年结转 3 不等于 2022年报告 a/2022.txt 的结转下年度继续办理 2"),
        ("某局 有 2020年（./a/2022.txt）和 2022年报告", "某局 有 2020年（a/2022.txt）和 2022年报告"),
        ("与 ./a/2022.txt", "与 a/2022.txt"),
        ("./a/2022.txt 之后", "a/2022.txt 之后"),
        ("不同的 x./a/2022.txt 与 ./a/2022.txtx 不动", "不同的 x./a/2022.txt 与 ./a/2022.txtx 不动"),
    ])
    func replacesWholePaths(_ message: String, _ expected: String) {
        #expect(Baseline.replacingPath("./a/2022.txt", with: "a/2022.txt", in: message) == expected)
    }
}
