import ReportModel

/// The text the scanner reads for one input, with the map back to the original file.
public struct ReadInput: Sendable {
    public var view: SourceText
    public var map: SourceMap?
    public var encoding: TextEncoding?
    /// Damaged byte sequences replaced by U+FFFD while decoding: how many, and the offset of the
    /// first in the decoded text (the map's original, or the view when there is no map).
    public var damage: (count: Int, offset: Int)?

    public init(view: SourceText, map: SourceMap? = nil, encoding: TextEncoding?) {
        self.view = view
        self.map = map
        self.encoding = encoding
    }

    /// Line and column (1-based, in scalars) of the first damaged sequence in the decoded text.
    public var firstDamageLocation: SourceLocation? {
        guard let damage else { return nil }
        return (map?.original ?? view).location(of: damage.offset)
    }
}

/// Why an input could not be read; the engine turns it into an io.* diagnostic.
public enum InputFailure: Error, Sendable {
    /// Bytes no supported encoding decodes.
    case decode(String)
    /// A file type or content the tool cannot read, and why.
    case unsupported(String)
}

/// Turns the bytes of a report file into the text the scanner reads.
///
/// Every reader produces a *view* in the template's cell-per-line layout (headings and paragraphs
/// as plain lines, each table cell on its own TAB-led line, rows separated by a blank line, a merged
/// cell once, an empty cell as a TAB-only line), so one scanner reads every input. Positions are
/// reported through the `SourceMap` in the original (see docs/inputs.md):
/// - `.text`: the decoded file; no map. A flat text (a crawler's saved page, a body on one line) is
///   restructured by `FlatTextReader`, mapped to line and column in the decoded file.
/// - `.html`: the decoded page (`HTMLReader`): line and column of the text in the HTML source.
/// - `.docx`: a synthetic text with one line per paragraph or table row, cells joined by TAB, in
///   document order (`DocxReader`): line = paragraph-or-row ordinal, column = character in it.
/// - `.markdown`: the decoded file (`MarkdownReader`): markup left out, pipe tables as table rows;
///   line and column in the Markdown file.
/// - `.pdf`: the text layer of `pdftotext -layout` (`PDFReader`); no map, pages end with a form feed.
public enum InputReader {
    /// Largest text read from any input (a text or Markdown file, an HTML page, a PDF's text layer):
    /// a report's text is a few hundred KB, and the scanner's model of a text costs up to some fifty
    /// times its size, so this keeps one hostile input well under 512 MB.
    public static let maximumTextBytes = 8 << 20

    static func tooLarge(_ count: Int, _ what: String) -> InputFailure {
        .unsupported("\(what)过大（\(String(format: "%.1f", Double(count) / Double(1 << 20))) MiB），超过 \(maximumTextBytes >> 20) MiB 的上限（年度报告的文字远小于此），未读取")
    }

    /// Strict decoding first; then, for a text damaged in a few places, the repaired text and its damage.
    static func decoded(_ bytes: [UInt8]) -> Result<([UInt8], TextEncoding, (count: Int, offset: Int)?), InputFailure> {
        switch TextDecoder.decode(bytes) {
        case .success(let (utf8, encoding)): return .success((utf8, encoding, nil))
        case .failure(let error):
            if !TextDecoder.hasByteOrderMark(bytes), let repaired = TextDecoder.decodeLossy(bytes) {
                return .success((repaired.bytes, repaired.encoding, (repaired.damaged, repaired.firstDamage)))
            }
            return .failure(.decode(error.description))
        }
    }

    public static func read(_ bytes: [UInt8], kind: ReportFormat, path: String) -> Result<ReadInput, InputFailure> {
        switch kind {
        case .text where bytes.count > maximumTextBytes:
            return .failure(tooLarge(bytes.count, "文本"))
        case .markdown where bytes.count > maximumTextBytes:
            return .failure(tooLarge(bytes.count, "Markdown 文件"))
        case .text:
            // The usual report, UTF-8 without a byte-order mark: validated and indexed in one pass.
            if !TextDecoder.hasByteOrderMark(bytes), let view = SourceText(validatingUTF8: bytes) {
                return .success(FlatTextReader.read(view) ?? ReadInput(view: view, encoding: .utf8))
            }
            return decoded(bytes).map { utf8, encoding, damage in
                let view = SourceText(bytes: utf8)
                var input = FlatTextReader.read(view) ?? ReadInput(view: view, encoding: encoding)
                input.encoding = encoding
                input.damage = damage
                return input
            }
        case .html:
            return HTMLReader.read(bytes)
        case .docx:
            return DocxReader.read(bytes)
        case .pdf:
            return PDFReader.read(bytes)
        case .markdown:
            if !TextDecoder.hasByteOrderMark(bytes), let text = SourceText(validatingUTF8: bytes) {
                return .success(MarkdownReader.read(text, encoding: .utf8))
            }
            return decoded(bytes).map { utf8, encoding, damage in
                var input = MarkdownReader.read(SourceText(bytes: utf8), encoding: encoding)
                input.damage = damage
                return input
            }
        }
    }
}
