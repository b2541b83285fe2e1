/// The report formats the tool reads, by file name ending.
public enum ReportFormat: String, Sendable, Codable, CaseIterable {
    case text, html, docx, pdf, markdown

    public static func of(path: String) -> ReportFormat? {
        // Only the extension is lowercased: the walk asks this of every file name.
        guard let dot = path.utf8.lastIndex(of: UInt8(ascii: ".")) else { return nil }
        let suffix = path.utf8[dot...]
        guard suffix.count <= 6 else { return nil }
        switch String(decoding: suffix, as: UTF8.self).lowercased() {
        case ".txt", ".text": return .text
        case ".html", ".htm", ".xhtml", ".shtml": return .html
        case ".docx": return .docx
        case ".pdf": return .pdf
        case ".md", ".markdown": return .markdown
        default: return nil
        }
    }
}
