import ReportModel
import ReportScanner

/// The text the scanner reads for one input, with the map back to the original file.
public struct ReadInput: Sendable {
    public var view: SourceText
    public var map: SourceMap?
    public var encoding: TextEncoding?

    public init(view: SourceText, map: SourceMap? = nil, encoding: TextEncoding?) {
        self.view = view
        self.map = map
        self.encoding = encoding
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
    public enum Kind: String, Sendable { case text, html, docx, pdf, markdown }

    public static func read(_ bytes: [UInt8], kind: Kind, path: String) -> Result<ReadInput, InputFailure> {
        switch kind {
        case .text:
            // The usual report, UTF-8 without a byte-order mark: validated and indexed in one pass.
            if !TextDecoder.hasByteOrderMark(bytes), let view = SourceText(validatingUTF8: bytes) {
                return .success(FlatTextReader.read(view) ?? ReadInput(view: view, encoding: .utf8))
            }
            switch TextDecoder.decode(bytes) {
            case .success(let (utf8, encoding)):
                let view = SourceText(bytes: utf8)
                if var flat = FlatTextReader.read(view) {
                    flat.encoding = encoding
                    return .success(flat)
                }
                return .success(ReadInput(view: view, encoding: encoding))
            case .failure(let error): return .failure(.decode(error.description))
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
            switch TextDecoder.decode(bytes) {
            case .success(let (utf8, encoding)): return .success(MarkdownReader.read(SourceText(bytes: utf8), encoding: encoding))
            case .failure(let error): return .failure(.decode(error.description))
            }
        }
    }
}
