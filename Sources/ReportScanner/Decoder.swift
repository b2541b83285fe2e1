#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings a report may come in (RULES.md `io.decode`).
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case gb18030 = "gb18030"
}

public struct DecodeError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Decodes report bytes once into UTF-8, keeping every scalar and line terminator.
public enum TextDecoder {
    /// Detects the encoding: a BOM first, then valid UTF-8, then GB18030 (which covers GBK and GB2312).
    public static func decode(_ bytes: [UInt8]) -> Result<(bytes: [UInt8], encoding: TextEncoding), DecodeError> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let rest = Array(bytes[3...])
            guard isValidUTF8(rest) else {
                return .failure(DecodeError(description: "文件以 UTF-8 BOM 开头，但其后的字节不是有效的 UTF-8"))
            }
            return .success((rest, .utf8BOM))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            guard let utf8 = decodeUTF16(bytes[2...], littleEndian: little) else {
                return .failure(DecodeError(description: "文件以 UTF-16 BOM 开头，但内容不是有效的 UTF-16（奇数字节或孤立代理项）"))
            }
            return .success((utf8, little ? .utf16LE : .utf16BE))
        }
        if isValidUTF8(bytes) { return .success((bytes, .utf8)) }
        if let utf8 = convertWithIconv(bytes, from: "GB18030") { return .success((utf8, .gb18030)) }
        return .failure(DecodeError(description: "字节既不是有效的 UTF-8，也不是有效的 GB18030/GBK/GB2312，也没有 UTF-16 字节顺序标记"))
    }

    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValidUTF8($0) }
    }

    /// Validates without building a String: `String(validating:)` copied the whole text and its
    /// checker is slow on Chinese text.
    ///
    /// Eight bytes at a time: a byte must be a continuation (10xxxxxx) exactly when a lead byte one,
    /// two or three bytes before asks for it. That settles validity unless the text holds the lead
    /// bytes whose second byte has a narrower range (E0, ED, F0–F4) or bytes never valid (C0, C1,
    /// F5–FF); those, rare in reports, send the text to `isValidUTF8Sequences`.
    public static func isValidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = buffer.baseAddress else { return true }
        let n = buffer.count
        let raw = UnsafeRawPointer(p)
        let high: UInt64 = 0x8080_8080_8080_8080, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, ones: UInt64 = 0x0101_0101_0101_0101
        // Bit 7 of a byte in each mask: a wrong byte, a byte for the slow check, a continuation
        // required in the next word.
        var errors: UInt64 = 0, special: UInt64 = 0, carry: UInt64 = 0
        /// Bit 7 set in each zero byte of `t`, exactly.
        @inline(__always) func zero(_ t: UInt64) -> UInt64 { ~(((t & low7) &+ low7) | t | low7) }
        @inline(__always) func word(_ x: UInt64) {
            let b7 = x & high
            guard b7 != 0 else { errors |= carry; carry = 0; return }
            let b6 = (x << 1) & high, b5 = (x << 2) & high, b4 = (x << 3) & high
            // Leads of two or more (C0–FF), three or more (E0–FF), four (F0–FF) bytes.
            let lead2 = b7 & b6, lead3 = lead2 & b5, lead4 = lead3 & b4
            errors |= ((lead2 << 8) | (lead3 << 16) | (lead4 << 24) | carry) ^ (b7 & ~b6)
            carry = (lead2 >> 56) | (lead3 >> 48) | (lead4 >> 40)
            special |= lead4 | zero(x ^ (ones &* 0xE0)) | zero(x ^ (ones &* 0xED)) | zero((x & (ones &* 0xFE)) ^ (ones &* 0xC0))
        }
        var i = 0
        while i + 8 <= n {
            word(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < n {
            // The last bytes, padded with NUL (ASCII): a sequence cut short shows as an error.
            var last: UInt64 = 0
            for k in 0..<(n - i) { last |= UInt64(p[i + k]) << (8 * UInt64(k)) }
            word(last)
        }
        errors |= carry
        if errors != 0 { return false }
        return special == 0 || isValidUTF8Sequences(buffer)
    }

    /// Scalar-by-scalar validation after Unicode Table 3-7 (no overlongs, surrogates or > U+10FFFF).
    static func isValidUTF8Sequences(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = buffer.baseAddress else { return true }
        let n = buffer.count
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 {
                i += 1
                // Skip ASCII eight bytes at a time.
                while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                continue
            }
            if b >= 0xE1 && b <= 0xEF && b != 0xED {
                // E1–EC, EE–EF: two continuation bytes (the CJK ranges all fall here).
                guard i + 2 < n, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80 else { return false }
                i += 3
            } else if b >= 0xC2 && b <= 0xDF {
                guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
            } else if b == 0xE0 || b == 0xED {
                guard i + 2 < n else { return false }
                let c = p[i + 1]
                guard b == 0xE0 ? (c >= 0xA0 && c <= 0xBF) : (c >= 0x80 && c <= 0x9F), p[i + 2] & 0xC0 == 0x80 else { return false }
                i += 3
            } else if b >= 0xF0 && b <= 0xF4 {
                guard i + 3 < n else { return false }
                let c = p[i + 1]
                let lo: UInt8 = b == 0xF0 ? 0x90 : 0x80, hi: UInt8 = b == 0xF4 ? 0x8F : 0xBF
                guard c >= lo, c <= hi, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }

    public static func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func decodeUTF16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> [UInt8]? {
        guard bytes.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            i += 2
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count * 2)
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): UTF8.encode(scalar) { out.append($0) }
            case .emptyInput: return out
            case .error: return nil
            }
        }
    }

    /// Converts with the C library's iconv; nil when any byte sequence is invalid.
    static func convertWithIconv(_ bytes: [UInt8], from encoding: String, to target: String = "UTF-8") -> [UInt8]? {
        let cd = iconv_open(target, encoding)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuf -> Int? in
            output.withUnsafeMutableBufferPointer { outBuf -> Int? in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                if inLeft == 0 { return 0 }
                let result = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if result == -1 || inLeft != 0 { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let produced else { return nil }
        output.removeSubrange(produced...)
        return target != "UTF-8" || isValidUTF8(output) ? output : nil
    }
}
