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
public enum InputReader {
    public enum Kind: String, Sendable { case text, html, docx, pdf }

    public static func read(_ bytes: [UInt8], kind: Kind, path: String) -> Result<ReadInput, InputFailure> {
        switch kind {
        case .text:
            switch TextDecoder.decode(bytes) {
            case .success(let (utf8, encoding)): return .success(ReadInput(view: SourceText(bytes: utf8), encoding: encoding))
            case .failure(let error): return .failure(.decode(error.description))
            }
        case .html, .docx, .pdf:
            return .failure(.unsupported("暂不支持 \(kind.rawValue) 格式的报告"))
        }
    }
}
