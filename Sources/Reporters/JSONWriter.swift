#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Growable bytes whose appends are a capacity check and a copy. The SARIF writer appends a few
/// million small pieces; an Array's uniqueness check on each append cost more than the copying.
/// (Exclusivity is not checked at run time: a buffer is only ever used by its one writer.)
final class ByteBuffer {
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Forgets the bytes and keeps the memory.
    func removeAll() { count = 0 }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if capacity - count < bytes.count { grow(bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    private func grow(_ needed: Int) {
        let newCapacity = max(capacity * 2, count + needed)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

/// A small JSON writer for the reporters' hot path: Codable's generic encoding cost more than the
/// linting itself on large archives. Writes compact JSON with keys in the order given.
struct JSONWriter {
    let out: ByteBuffer
    /// Bit `depth` says whether the current object or array needs a comma before its next member;
    /// a bit stack instead of a `[Bool]` keeps each value free of array bookkeeping.
    private var needsComma: UInt64 = 0
    private var depth = 0

    init(capacity: Int = 256) {
        out = ByteBuffer(capacity: capacity)
    }

    /// Writes into `buffer`, after what it holds (several documents back to back).
    init(into buffer: ByteBuffer) {
        out = buffer
    }

    /// What has been written.
    var bytes: [UInt8] { Array(out.bytes) }

    @inline(__always)
    private var comma: Bool {
        get { needsComma & (1 << UInt64(depth)) != 0 }
        set { if newValue { needsComma |= 1 << UInt64(depth) } else { needsComma &= ~(1 << UInt64(depth)) } }
    }

    private mutating func separate() {
        if comma { out.append(UInt8(ascii: ",")) }
        comma = true
    }

    /// A key: always a literal, written as it is (keys need no escapes).
    mutating func key(_ name: StaticString) {
        separate()
        out.append(UInt8(ascii: "\""))
        out.append(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
        comma = false
    }

    mutating func beginObject() { value(); open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { value(); open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        out.append(bracket)
        depth += 1
        precondition(depth < 64, "JSON nested too deeply for JSONWriter")
        comma = false
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        out.append(bracket)
        comma = true
    }

    private mutating func value() {
        if comma { out.append(UInt8(ascii: ",")) }
        comma = true
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(utf8: $0) }
    }

    /// A string given as UTF-8 bytes (well formed: the bytes are copied as they are, less escapes).
    ///
    /// Besides JSON's own escapes, what a terminal or a CI log would act on is written as `\uXXXX`
    /// (the same text for any JSON reader): DEL, C1 controls, bidirectional controls, U+2028/2029,
    /// and the `#` before `[` in `##[` (GitHub's runner reads `##[command]` anywhere in a line).
    mutating func string(utf8 s: UnsafeBufferPointer<UInt8>) {
        out.append(UInt8(ascii: "\""))
        // Copy runs that need no escape in one go, finding the next escape eight bytes at a time.
        var run = 0
        var i = 0
        if let base = s.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i < s.count {
                if i + 8 <= s.count {
                    let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    // Any byte below 0x20 (may flag a byte after a true one: only a hint), any " or \,
                    // and the bytes that may start a hardened sequence (# DEL C2 D8 E2).
                    let low = (x &- 0x2020_2020_2020_2020) & ~x & 0x8080_8080_8080_8080
                    let quoted = Self.zeroBytes(x ^ 0x2222_2222_2222_2222) | Self.zeroBytes(x ^ 0x5C5C_5C5C_5C5C_5C5C)
                    let hardened = Self.zeroBytes(x ^ 0x2323_2323_2323_2323) | Self.zeroBytes(x ^ 0x7F7F_7F7F_7F7F_7F7F)
                        | Self.zeroBytes(x ^ 0xC2C2_C2C2_C2C2_C2C2) | Self.zeroBytes(x ^ 0xD8D8_D8D8_D8D8_D8D8) | Self.zeroBytes(x ^ 0xE2E2_E2E2_E2E2_E2E2)
                    if low | quoted | hardened == 0 {
                        i += 8
                        continue
                    }
                }
                let b = s[i]
                if !(b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\")) {
                    guard let (length, value) = Self.hardenedScalar(s, i) else {
                        i += 1
                        continue
                    }
                    if run < i { out.append(UnsafeBufferPointer(rebasing: s[run..<i])) }
                    Self.unicodeEscape(value, into: out)
                    i += length
                    run = i
                    continue
                }
                i += 1
                if run < i - 1 { out.append(UnsafeBufferPointer(rebasing: s[run..<(i - 1)])) }
                run = i
                switch b {
                case UInt8(ascii: "\""): out.append(0x5C); out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                default: Self.unicodeEscape(UInt32(b), into: out)
                }
            }
        }
        if run < s.count { out.append(UnsafeBufferPointer(rebasing: s[run..<s.count])) }
        out.append(UInt8(ascii: "\""))
    }

    /// `\u` and four lower-case hex digits.
    static func unicodeEscape(_ value: UInt32, into out: ByteBuffer) {
        let hex: StaticString = "0123456789abcdef"
        out.append(0x5C)
        out.append(UInt8(ascii: "u"))
        for shift in [12, 8, 4, 0] as [UInt32] { out.append(hex.utf8Start[Int((value >> shift) & 0xF)]) }
    }

    /// The scalar at `i` that JSON output writes as `\uXXXX` although JSON allows it raw, with its
    /// length in bytes: DEL, C1 (C2 80–9F), U+061C, U+200E/200F, U+2028–202E, U+2066–2069, and a
    /// `#` between `#` and `[`. Only ever inside strings: structural JSON is ASCII without `#`.
    @inline(__always)
    static func hardenedScalar(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int, UInt32)? {
        let b = s[i]
        switch b {
        case 0x7F:
            return (1, 0x7F)
        case 0x23:
            return i > 0 && s[i - 1] == 0x23 && i + 1 < s.count && s[i + 1] == UInt8(ascii: "[") ? (1, 0x23) : nil
        case 0xC2:
            return i + 1 < s.count && (0x80...0x9F).contains(s[i + 1]) ? (2, UInt32(s[i + 1])) : nil
        case 0xD8:
            return i + 1 < s.count && s[i + 1] == 0x9C ? (2, 0x061C) : nil
        case 0xE2:
            guard i + 2 < s.count else { return nil }
            let c = s[i + 1], d = s[i + 2]
            let bidi = (c == 0x80 && (d == 0x8E || d == 0x8F || (0xA8...0xAE).contains(d))) || (c == 0x81 && (0xA6...0xA9).contains(d))
            return bidi ? (3, 0x2000 | UInt32(c & 0x3F) << 6 | UInt32(d & 0x3F)) : nil
        default:
            return nil
        }
    }

    /// Serialized JSON (from JSONEncoder) with the same hardening as `string(utf8:)`; the bytes as
    /// they are when there is nothing to change.
    static func hardened(_ json: [UInt8]) -> [UInt8] {
        json.withUnsafeBufferPointer { s -> [UInt8] in
            guard s.contains(where: { $0 == 0x23 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }) else { return json }
            let out = ByteBuffer(capacity: s.count + 64)
            var run = 0
            var i = 0
            while i < s.count {
                guard let (length, value) = hardenedScalar(s, i) else {
                    i += 1
                    continue
                }
                if run < i { out.append(UnsafeBufferPointer(rebasing: s[run..<i])) }
                unicodeEscape(value, into: out)
                i += length
                run = i
            }
            if run < s.count { out.append(UnsafeBufferPointer(rebasing: s[run..<s.count])) }
            return Array(out.bytes)
        }
    }

    /// Bit 7 set in each zero byte of `t`, exactly.
    @inline(__always)
    private static func zeroBytes(_ t: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((t & low7) &+ low7) | t | low7)
    }

    mutating func stringValue(_ s: String) { value(); string(s) }
    mutating func int(_ n: Int) { value(); digits(n) }
    mutating func bool(_ b: Bool) { value(); out.append(Array((b ? "true" : "false").utf8)) }
    /// Already serialized JSON.
    mutating func raw(_ json: [UInt8]) { value(); out.append(json) }

    mutating func field(_ name: StaticString, _ s: String) { key(name); string(s); comma = true }
    mutating func field(_ name: StaticString, _ n: Int) { key(name); digits(n); comma = true }
    /// A string field whose value is given as well-formed UTF-8.
    mutating func field(_ name: StaticString, utf8 s: UnsafeBufferPointer<UInt8>) { key(name); string(utf8: s); comma = true }
    /// A string field holding `n` in lower-case hexadecimal, as `String(n, radix: 16)` writes it.
    mutating func field(_ name: StaticString, hex n: UInt64) {
        key(name)
        let digits: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\""))
        var shift = max(0, (63 - n.leadingZeroBitCount) / 4 * 4)
        while shift >= 0 {
            out.append(digits.utf8Start[Int((n >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
        out.append(UInt8(ascii: "\""))
        comma = true
    }

    /// Decimal digits of `n`, as `String(n)` writes them.
    private mutating func digits(_ n: Int) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var m = n.magnitude
        var divisor: UInt = 1
        while m / divisor >= 10 { divisor *= 10 }
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(m / divisor))
            m %= divisor
            divisor /= 10
        } while divisor > 0
    }
}
