import ArgumentParser
import Foundation
import LintEngine
import ReportScanner
import RuleKit

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what the scanner saw in a report: sections, tables as grids, year, format, kind, dates, contacts.")

    enum Format: String, ExpressibleByArgument { case text, json }

    @Argument(help: "A report file.")
    var file: String

    @Option(help: "text or json.")
    var format: Format = .text

    func run() throws {
        let bytes: [UInt8]
        do { bytes = try Linter.read(file) } catch {
            FileHandle.standardError.write(Data("\(file): error: \(error) [io.unreadable]\n".utf8))
            throw ExitCode(1)
        }
        switch TextDecoder.decode(bytes) {
        case .failure(let error):
            FileHandle.standardError.write(Data("\(file): error: \(error.description) [io.decode]\n".utf8))
            throw ExitCode(1)
        case .success(let (utf8, encoding)):
            let dump = DocumentDump(path: file, encoding: encoding, document: ReportScanner.scan(SourceText(bytes: utf8)))
            switch format {
            case .text: print(dump.text, terminator: "")
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(dump), as: UTF8.self))
            }
        }
    }
}
