import Foundation
import LintEngine
import Reporters
import RuleKit

/// Every built-in rule that is on by default, built once.
let rules = RuleSet.all()
let linter = Linter(rules: rules)

/// One input through everything that handles a file's bytes: as a plain-text report (BOM sniffing,
/// UTF-8/UTF-16/GB18030 decoding, line index, scanner, rules) and as an HTML report (libxml2 and the
/// view text with its source map), then the positions of every finding as the reporters compute them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    for format in [ReportFormat.text, .html] {
        let result = linter.lint(bytes: bytes, path: "fuzz." + (format == .text ? "txt" : "html"), format: format)
        guard let positions = result.positions else { continue }
        let reported = positions.reported
        var sink = 0
        for diagnostic in result.diagnostics {
            for span in [diagnostic.span] + diagnostic.related.map(\.span) {
                let mapped = positions.reportedSpan(span)
                let start = reported.location(of: mapped.start)
                let end = reported.location(of: mapped.end)
                sink &+= start.line &+ start.column &+ end.utf16Column &+ reported.text(mapped).utf8.count
                sink &+= reported.lineText(start.line).utf8.count
            }
        }
        checksum &+= sink
        // The reporters add a file the same way for every format: exercise SARIF's per-file path.
        SARIFReporter(sink: nullSink, rules: []).add(result)
    }
    return 0
}

let nullSink = OutputSink(handle: .nullDevice, isTerminal: false)
/// Keeps the position computations from being optimized away.
nonisolated(unsafe) var checksum = 0

// SwiftPM links a Linux executable with `--defsym main=<Module>_main`. Under -parse-as-library the
// compiler emits no entry point, so define that symbol and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("FuzzReport_main")
public func fuzzReportMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzOneInput($0, $1) }
}
