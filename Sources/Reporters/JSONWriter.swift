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
                    // Any byte below 0x20 (may flag a byte after a true one: only a hint), any " or \.
                    let low = (x &- 0x2020_2020_2020_2020) & ~x & 0x8080_8080_8080_8080
                    if low | Self.zeroBytes(x ^ 0x2222_2222_2222_2222) | Self.zeroBytes(x ^ 0x5C5C_5C5C_5C5C_5C5C) == 0 {
                        i += 8
                        continue
                    }
                }
                let b = s[i]
                i += 1
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if run < i - 1 { out.append(UnsafeBufferPointer(rebasing: s[run..<(i - 1)])) }
                run = i
                switch b {
                case UInt8(ascii: "\""): out.append(0x5C); out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    let digits = hex.utf8Start
                    out.append(0x5C); out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
                    out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)])
                }
            }
        }
        if run < s.count { out.append(UnsafeBufferPointer(rebasing: s[run..<s.count])) }
        out.append(UInt8(ascii: "\""))
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
