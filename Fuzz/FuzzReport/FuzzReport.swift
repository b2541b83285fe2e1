import Foundation
import LintEngine
import Reporters
import RuleKit

/// Every built-in rule that is on by default, built once; and the digest the rules across reports
/// keep (prose fingerprints, cells, the places other reports point at), as an archive run makes it.
let rules = RuleSet.all()
let linter: Linter = {
    var linter = Linter(rules: rules)
    linter.digestAliases = [:]
    return linter
}()

/// One input through everything that handles a file's bytes: as a plain-text report (BOM sniffing,
/// UTF-8/UTF-16/GB18030 decoding, line index, scanner, rules), as an HTML report (libxml2 and the
/// view text with its source map) or as a Word report, then the positions of every finding as the
/// reporters compute them. An input that starts with "PK" is read as the .docx it may be (ZIP
/// directory, inflate, XML); any other is read as the body of a .docx, stored in a package made here,
/// so the XML reader and the Word layout see the fuzzer's bytes directly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    // One reader per input, so an execution costs one lint, not three: a ZIP is a .docx; any other
    // input goes to the text, HTML or Word-body reader by its length, which the mutations change
    // all the time, so every seed reaches all three.
    let format: ReportFormat
    let input: [UInt8]
    switch bytes.starts(with: [0x50, 0x4B]) ? 2 : size % 3 {
    case 0: (format, input) = (.text, bytes)
    case 1: (format, input) = (.html, bytes)
    default: (format, input) = (.docx, bytes.starts(with: [0x50, 0x4B]) ? bytes : StoredPackage.docx(body: bytes))
    }
    let result = linter.lint(bytes: input, path: "fuzz." + format.rawValue, format: format)
    guard let positions = result.positions else { return 0 }
    if let digest = result.digest {
        // Every sentence span the digest keeps is read back, as the rules across reports would.
        for i in digest.sentenceSpans.indices {
            let span = digest.sentenceSpan(i)
            precondition(span.start <= span.end && span.end <= positions.view.bytes.count, "sentence span \(span) outside the text")
        }
        for place in digest.places ?? [] { precondition(place.line >= 1 && place.column >= 1, "place \(place)") }
    }
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
    return 0
}

/// A ZIP archive with one stored (uncompressed) entry, `word/document.xml`: the smallest .docx.
enum StoredPackage {
    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func le(_ v: UInt32, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    static func docx(body: [UInt8]) -> [UInt8] {
        let name = Array("word/document.xml".utf8)
        let crc = crc32(body), size = UInt32(body.count)
        // Version 2.0, no flags, stored, no time, CRC, sizes, name length, no extra.
        let common = le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4) + le(size, 4) + le(size, 4) + le(UInt32(name.count), 2) + le(0, 2)
        let local = le(0x0403_4B50, 4) + common + name
        let central = le(0x0201_4B50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + name
        let offset = UInt32(local.count + body.count)
        let end = le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(UInt32(central.count), 4) + le(offset, 4) + le(0, 2)
        return local + body + central + end
    }
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
