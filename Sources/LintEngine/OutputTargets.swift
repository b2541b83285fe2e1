#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import YAMLFiles
import RuleKit

/// Where a run may write its outputs: never onto a file it reads, and never where its own walk
/// would find the output as a report (it would be linted in the same run, or overwrite a report).
public enum OutputTargets {
    /// Why writing `output` would harm the run over `inputs`, or nil when it may be written.
    public static func conflict(_ output: String, inputs: [String]) -> String? {
        var outputStat = stat()
        let exists = stat(output, &outputStat) == 0
        let resolved = resolve(output)
        for input in inputs where input != "-" {
            var inputStat = stat()
            guard stat(input, &inputStat) == 0 else { continue }
            if inputStat.st_mode & S_IFMT == S_IFDIR {
                guard let root = realPath(input), ReportFormat.of(path: output) != nil else { continue }
                let prefix = root.hasSuffix("/") ? root : root + "/"
                if resolved.hasPrefix(prefix) {
                    return "输出文件 \(output) 位于要检查的目录 \(input) 之中，且是报告的文件类型：它会被当作报告检查，或覆盖其中的报告；请写到目录之外"
                }
            } else if exists, inputStat.st_dev == outputStat.st_dev, inputStat.st_ino == outputStat.st_ino {
                return "输出文件 \(output) 就是要检查的输入文件，写入会覆盖它"
            }
        }
        return nil
    }

    static func realPath(_ path: String) -> String? { FileAccess.realPath(path) }

    /// The absolute path `path` would be written at: its folder resolved (links, `..`), then its name
    /// (itself resolved when it is a link to an existing file).
    static func resolve(_ path: String) -> String {
        if let whole = realPath(path) { return whole }
        let url = URL(fileURLWithPath: path)
        let folder = realPath(url.deletingLastPathComponent().path) ?? url.deletingLastPathComponent().path
        return (folder.hasSuffix("/") ? folder : folder + "/") + url.lastPathComponent
    }
}
