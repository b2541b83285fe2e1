#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReportModel

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

    /// A text valid in UTF-8 or GB18030 except for a few damaged byte sequences: each replaced by
    /// U+FFFD. `firstDamage` is the offset of the first replacement in the returned bytes. Nil when
    /// the damage is more than a few sequences (then the bytes are no text in that encoding).
    public struct LossyText: Sendable {
        public var bytes: [UInt8]
        public var encoding: TextEncoding
        public var damaged: Int
        public var firstDamage: Int
    }

    /// At most this many damaged sequences, and at most one per this many bytes, count as "a few".
    static let maxDamaged = 32
    static let bytesPerDamage = 200

    public static func decodeLossy(_ bytes: [UInt8]) -> LossyText? {
        let limit = min(maxDamaged, max(1, bytes.count / bytesPerDamage))
        if let utf8 = repairUTF8(bytes, limit: limit) { return utf8 }
        return repairGB18030(bytes, limit: limit)
    }

    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    static func repairUTF8(_ bytes: [UInt8], limit: Int) -> LossyText? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var damaged = 0, first = -1
        var inDamage = false
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                UTF8.encode(s) { out.append($0) }
                inDamage = false
            case .emptyInput: break loop
            case .error:
                // One U+FFFD per maximal invalid subpart (as Unicode recommends); one damaged place per run.
                if !inDamage { damaged += 1 }
                inDamage = true
                guard damaged <= limit else { return nil }
                if first < 0 { first = out.count }
                out += replacement
            }
        }
        return damaged > 0 ? LossyText(bytes: out, encoding: .utf8, damaged: damaged, firstDamage: first) : nil
    }

    /// GB18030 through iconv, one U+FFFD for each byte it cannot convert.
    static func repairGB18030(_ bytes: [UInt8], limit: Int) -> LossyText? {
        guard let (output, damaged, first) = iconvConvert(bytes, from: "GB18030", to: "UTF-8", replacing: limit), damaged > 0 else { return nil }
        return LossyText(bytes: output, encoding: .gb18030, damaged: damaged, firstDamage: first)
    }

    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValidUTF8($0) }
    }

    /// Validates without building a String (`UTF8Validation`, word at a time): `String(validating:)`
    /// copied the whole text and its checker is slow on Chinese text.
    public static func isValidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        UTF8Validation.isValid(buffer)
    }

    /// Whether the bytes start with a UTF-8 or UTF-16 byte-order mark (which `decode` handles first).
    public static func hasByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
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
        iconvConvert(bytes, from: encoding, to: target, replacing: 0)?.bytes
    }

    /// Converts with iconv; up to `limit` bytes it cannot convert are each replaced by U+FFFD (UTF-8
    /// output only), with the count and the output offset of the first. Nil past the limit.
    static func iconvConvert(_ bytes: [UInt8], from encoding: String, to target: String, replacing limit: Int)
        -> (bytes: [UInt8], damaged: Int, first: Int)? {
        let cd = iconv_open(target, encoding)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        // Three output bytes per input byte cover every case: one byte of a single-byte charset
        // becomes at most three of UTF-8, and so does each byte replaced by U+FFFD.
        var output = [UInt8](repeating: 0, count: bytes.count * 3 + 16)
        var damaged = 0, first = -1
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuf -> Int? in
            output.withUnsafeMutableBufferPointer { outBuf -> Int? in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                while inLeft > 0 {
                    if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 { break }
                    // EILSEQ (a byte it cannot convert) or EINVAL (a sequence cut at the end): replace one byte.
                    guard target == "UTF-8", errno == EILSEQ || errno == EINVAL, outLeft >= 3, damaged < limit else { return nil }
                    damaged += 1
                    if first < 0 { first = outBuf.count - outLeft }
                    for b in replacement { outPtr!.pointee = CChar(bitPattern: b); outPtr! += 1 }
                    outLeft -= 3
                    inPtr! += 1
                    inLeft -= 1
                }
                return inLeft == 0 ? outBuf.count - outLeft : nil
            }
        }
        guard let produced else { return nil }
        output.removeSubrange(produced...)
        guard target != "UTF-8" || isValidUTF8(output) else { return nil }
        return (output, damaged, first)
    }
}
