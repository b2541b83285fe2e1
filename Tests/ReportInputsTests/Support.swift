import Foundation
@testable import ReportInputs
import ReportModel
import ReportScanner

/// Paths and helpers shared by the input tests.
enum Support {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/inputs")
    /// The shared corpus next to the package, when this checkout has one.
    static let shared = packageRoot.appendingPathComponent("../shared").standardizedFileURL

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func sharedFile(_ relative: String) -> [UInt8]? {
        (try? Data(contentsOf: shared.appendingPathComponent(relative))).map { [UInt8]($0) }
    }

    static var hasShared: Bool { FileManager.default.fileExists(atPath: shared.appendingPathComponent("corpus/real").path) }

    struct ReadFailed: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ bytes: [UInt8], _ kind: ReportFormat, path: String = "test") throws -> ReadInput {
        switch InputReader.read(bytes, kind: kind, path: path) {
        case .success(let input): return input
        case .failure(let failure): throw ReadFailed(description: "\(failure)")
        }
    }

    static func text(_ source: SourceText) -> String { String(decoding: source.bytes, as: UTF8.self) }

    /// Where the first occurrence of `needle` in the view is reported (line, column in scalars).
    static func reported(_ needle: String, in input: ReadInput, occurrence: Int = 1) -> SourceLocation? {
        guard let offset = offset(of: needle, in: input.view.bytes, occurrence: occurrence) else { return nil }
        return Positions(view: input.view, map: input.map).location(of: offset)
    }

    static func offset(of needle: String, in bytes: [UInt8], occurrence: Int = 1) -> Int? {
        let n = Array(needle.utf8)
        var seen = 0
        var i = 0
        while i + n.count <= bytes.count {
            if bytes[i..<(i + n.count)].elementsEqual(n) {
                seen += 1
                if seen == occurrence { return i }
            }
            i += 1
        }
        return nil
    }

    /// The text at a line and column of a text.
    static func text(at location: SourceLocation, in source: SourceText, length: Int) -> String {
        let line = source.lineText(location.line)
        return String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(location.column - 1).prefix(length)))
    }
}
