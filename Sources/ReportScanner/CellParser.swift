import ReportModel

/// Parses a table cell's text into a value.
public enum CellParser {
    static let placeholders: Set<String> = ["-", "—", "–", "－", "/", "／", "无", "——", "--", "\\", "－－", "―"]

    public static func parse(_ raw: String) -> CellValue {
        // Fast path: most cells are short ASCII numbers.
        var raw = raw
        if let v = raw.withUTF8(Self.asciiNumber) { return .number(v) }
        var text = String.UnicodeScalarView()
        for s in raw.unicodeScalars where !CharClass.isSpace(s) { text.append(s) }
        let compact = String(text)
        if compact.isEmpty || compact == "&nbsp;" { return .blank }
        if placeholders.contains(compact) { return .placeholder(compact) }
        if let number = number(compact) { return .number(number) }
        return .text(compact)
    }

    /// `-?[0-9]+(\.[0-9]+)?` of at most 15 digits, else nil (left to the general parser). The value
    /// is the digits as an integer divided by a power of ten: both exact in a Double, so the
    /// quotient is correctly rounded, the same Double that parsing the text gives.
    @inline(__always)
    static func asciiNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let negative = bytes.count > 0 && bytes[0] == 0x2D
        if negative { i = 1 }
        var value = 0, digits = 0, decimals = 0, seenDot = false
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                digits += 1
                if digits > 15 { return nil }  // before the multiplication can overflow
                value = value * 10 + Int(b - 0x30)
                if seenDot { decimals += 1 }
            } else if b == 0x2E, !seenDot, digits > 0 {
                seenDot = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 15, !seenDot || decimals > 0 else { return nil }
        let magnitude = decimals == 0 ? Double(value) : Double(value) / powersOfTen[decimals]
        return negative ? -magnitude : magnitude
    }

    static let powersOfTen: [Double] = (0...15).map { n in (0..<n).reduce(1.0) { acc, _ in acc * 10 } }

    /// A plain number: optional sign, digits (full-width allowed, thousands separators), optional decimals.
    public static func number(_ text: String) -> Double? {
        var digits = ""
        var seenDigit = false
        var seenDot = false
        var first = true
        for s in text.unicodeScalars {
            defer { first = false }
            if let d = CharClass.digit(s) {
                digits.append(Character(Unicode.Scalar(UInt8(48 + d))))
                seenDigit = true
            } else if first, s == "-" || s == "－" || s == "+" {
                if s != "+" { digits.append("-") }
            } else if (s == "," || s == "，") && seenDigit && !seenDot {
                continue
            } else if (s == "." || s == "．") && seenDigit && !seenDot {
                digits.append(".")
                seenDot = true
            } else {
                return nil
            }
        }
        guard seenDigit, !digits.hasSuffix(".") else { return nil }
        return Double(digits)
    }
}
