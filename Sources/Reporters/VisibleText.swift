/// Untrusted text (report text quoted in a message, a source line, a file name, a tool message) as
/// it may be shown on a terminal or in a CI log: nothing in it is interpreted.
///
/// - Every C0 control (TAB and line feed too: a file name's newline must show, and a message is
///   one line), DEL and every C1 control (U+0080–U+009F, which some terminals obey in UTF-8 too) is
///   written as an escape: `\t`, `\n`, `\r`, `\e` (ESC, so an ANSI or OSC sequence shows as text),
///   else `\xNN`; C1 as `<U+0085>`.
/// - Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and the line
///   and paragraph separators (U+2028, U+2029) as `<U+202E>`: they would reorder or break the line.
/// - GitHub's runner reads workflow commands in any output line: `##[` anywhere in a line (its
///   old syntax) gets a ZERO WIDTH SPACE after `##`, and a line that starts (after white space) with
///   `::` is the job of whoever writes the line start (`lineStart`).
///
/// A text with none of these is returned as it is, after one pass over its bytes.
public enum VisibleText {
    /// The visible form of one scalar, or nil when it is shown as it is.
    public static func escape(_ scalar: Unicode.Scalar) -> String? {
        let v = scalar.value
        switch v {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0x00...0x1F, 0x7F: return "\\x" + hex(v, digits: 2)
        case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: return "<U+" + hex(v, digits: 4) + ">"
        default: return nil
        }
    }

    /// What breaks GitHub's `##[` command syntax without changing what a reader sees.
    static let commandBreak: Unicode.Scalar = "\u{200B}"

    /// `s` with every scalar that `escape` changes shown escaped, and `##[` broken.
    public static func escaped(_ s: String) -> String { render(s, keepLineFeeds: false, lineStarts: false) }

    /// As `escaped`, but line feeds kept (a message of several lines, such as a configuration
    /// excerpt), and each line that would start with `::` (after white space) neutralised.
    public static func multiline(_ s: String) -> String { render(s, keepLineFeeds: true, lineStarts: true) }

    /// A text that begins an output line: one that would start (after white space, which the runner
    /// trims) with `::` gets a ZERO WIDTH SPACE first, so it is not a workflow command.
    public static func lineStart(_ s: String) -> String {
        let rest = s.unicodeScalars.drop { $0.properties.isWhitespace }
        guard rest.starts(with: "::".unicodeScalars) else { return s }
        return String(commandBreak) + s
    }

    /// A path that begins an output line: escaped, and `./` before one that would start with `::`
    /// (the same file, and a visible change).
    public static func linePath(_ path: String) -> String {
        let shown = escaped(path)
        return lineStart(shown) == shown ? shown : "./" + shown
    }

    /// Whether the UTF-8 bytes hold anything `escape` changes, or `#` (a possible `##[`).
    @inline(__always)
    static func mayNeedEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            // C0, DEL, '#'; the lead bytes of C1 (C2), U+061C (D8) and U+200E–206F (E2).
            if b < 0x20 || b == 0x7F || b == 0x23 || b == 0xC2 || b == 0xD8 || b == 0xE2 { return true }
            i += 1
        }
        return false
    }

    /// `lineStarts`: with line feeds kept, each line that would start with `::` is neutralised.
    static func render(_ s: String, keepLineFeeds: Bool, lineStarts: Bool) -> String {
        var s = s
        // Without a line feed only the text's own start can begin a line.
        guard s.withUTF8({ mayNeedEscape($0) }) || (lineStarts && lineStart(s) != s) else { return s }
        // Bytes, then one String: appending sequences to a String.UnicodeScalarView one by one
        // costs time in proportion to what it already holds (a 2 MB message took minutes).
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        var hashes = 0
        // Keeping line feeds: where the current line began while it holds only white space (and
        // perhaps one ':'), so that a ZERO WIDTH SPACE can go there before a second ':'.
        let neutralise = keepLineFeeds && lineStarts
        var lineBegin: Int? = neutralise ? 0 : nil
        var colon = false
        for scalar in s.unicodeScalars {
            if scalar == "[", hashes >= 2 { UTF8.encode(commandBreak) { out.append($0) } }
            hashes = scalar == "#" ? hashes + 1 : 0
            if keepLineFeeds, scalar == "\n" {
                out.append(0x0A)
                lineBegin = neutralise ? out.count : nil
                colon = false
                continue
            }
            if let shown = escape(scalar) {
                out.append(contentsOf: shown.utf8)
                lineBegin = nil
                continue
            }
            if let begin = lineBegin {
                if scalar == ":" {
                    if colon {
                        out.insert(contentsOf: [0xE2, 0x80, 0x8B], at: begin) // U+200B
                        lineBegin = nil
                    }
                    colon = true
                } else if colon || !scalar.properties.isWhitespace {
                    lineBegin = nil
                }
            }
            UTF8.encode(scalar) { out.append($0) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ v: UInt32, digits: Int) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - h.count)) + h
    }
}
