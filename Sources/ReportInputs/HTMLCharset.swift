#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReportModel

/// Finds and applies the character set of an HTML page, so that libxml2 is always handed UTF-8
/// and positions refer to the decoded page.
enum HTMLCharset {
    /// A byte-order mark wins; then a `<meta charset>`, `<meta http-equiv="Content-Type">` or XML
    /// declaration in the first 4 KiB; otherwise UTF-8 / GB18030 detection (`TextDecoder`).
    static func decode(_ bytes: [UInt8]) -> Result<(bytes: [UInt8], encoding: TextEncoding?), InputFailure> {
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        if !hasBOM, let declared = declaredCharset(bytes) {
            switch family(declared) {
            case .utf8:
                if TextDecoder.isValidUTF8(bytes) { return .success((bytes, .utf8)) }
            case .chinese:
                // A page that says GBK but is valid UTF-8 with non-ASCII text was re-encoded without
                // fixing its meta tag; GBK text is practically never valid UTF-8.
                if TextDecoder.isValidUTF8(bytes), bytes.contains(where: { $0 >= 0x80 }) { return .success((bytes, .utf8)) }
                if let utf8 = TextDecoder.convertWithIconv(bytes, from: "GB18030") { return .success((utf8, .gb18030)) }
            case .other(let name):
                if TextDecoder.isValidUTF8(bytes) { return .success((bytes, .utf8)) }
                if let utf8 = TextDecoder.convertWithIconv(bytes, from: name) { return .success((utf8, nil)) }
            case .unknown:
                break
            }
        }
        switch TextDecoder.decode(bytes) {
        case .success(let (utf8, encoding)): return .success((utf8, encoding))
        case .failure(let error): return .failure(.decode(error.description))
        }
    }

    enum Family: Equatable {
        case utf8, chinese, other(String), unknown
    }

    static func family(_ name: String) -> Family {
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return .utf8
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "csgb2312", "chinese", "iso-ir-58", "gb_2312-80":
            return .chinese
        case "big5", "big5-hkscs", "cn-big5", "x-x-big5", "shift_jis", "sjis", "euc-jp", "euc-kr", "iso-8859-1", "latin1", "us-ascii", "ascii",
             "windows-1252", "cp1252", "iso-8859-15", "koi8-r", "windows-1251":
            return .other(name)
        default: return .unknown
        }
    }

    /// The charset a page declares near its start, lower-cased; nil when it declares none.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(4096)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        // <?xml version="1.0" encoding="gbk"?>
        if head.starts(with: Array("<?xml".utf8)), let end = find(Array("?>".utf8), in: head, from: 0),
           let name = value(after: Array("encoding".utf8), in: head, from: 0, to: end) {
            return name
        }
        var i = 0
        while let tag = find(Array("<meta".utf8), in: head, from: i) {
            let end = find([0x3E], in: head, from: tag) ?? head.count
            if let name = value(after: Array("charset".utf8), in: head, from: tag, to: end) { return name }
            i = tag + 5
        }
        return nil
    }

    /// The name after `key`, `=` and an optional quote, within `from..<to`.
    static func value(after key: [UInt8], in bytes: [UInt8], from: Int, to: Int) -> String? {
        var i = from
        while let k = find(key, in: bytes, from: i), k < to {
            var j = k + key.count
            while j < to, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0A || bytes[j] == 0x0D { j += 1 }
            guard j < to, bytes[j] == 0x3D else { i = k + 1; continue }
            j += 1
            while j < to, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x22 || bytes[j] == 0x27 { j += 1 }
            let start = j
            while j < to, j - start < 40, isNameByte(bytes[j]) { j += 1 }
            if j > start { return String(decoding: bytes[start..<j], as: UTF8.self) }
            i = k + 1
        }
        return nil
    }

    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x3A
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
        var i = from
        while i <= bytes.count - needle.count {
            if bytes[i] == needle[0] {
                var k = 1
                while k < needle.count, bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
