/// A small JSON writer for the reporters' hot path: Codable's generic encoding cost more than the
/// linting itself on large archives. Writes compact JSON with keys in the order given.
struct JSONWriter {
    var bytes: [UInt8] = []
    /// Bit `depth` says whether the current object or array needs a comma before its next member;
    /// a bit stack instead of a `[Bool]` keeps each value free of array bookkeeping.
    private var needsComma: UInt64 = 0
    private var depth = 0

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Continues into an existing buffer (several documents written back to back).
    init(appendingTo buffer: [UInt8]) {
        bytes = buffer
    }

    /// Starts the next top-level document in the same buffer (no comma before it).
    mutating func resetNesting() {
        precondition(depth == 0, "resetNesting inside an open object or array")
        needsComma = 0
    }

    @inline(__always)
    private var comma: Bool {
        get { needsComma & (1 << UInt64(depth)) != 0 }
        set { if newValue { needsComma |= 1 << UInt64(depth) } else { needsComma &= ~(1 << UInt64(depth)) } }
    }

    private mutating func separate() {
        if comma { bytes.append(UInt8(ascii: ",")) }
        comma = true
    }

    /// A key: always a literal, written as it is (keys need no escapes).
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        comma = false
    }

    mutating func beginObject() { value(); open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { value(); open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        depth += 1
        precondition(depth < 64, "JSON nested too deeply for JSONWriter")
        comma = false
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        bytes.append(bracket)
        comma = true
    }

    private mutating func value() {
        if comma { bytes.append(UInt8(ascii: ",")) }
        comma = true
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(utf8: $0) }
    }

    /// A string given as UTF-8 bytes (well formed: the bytes are copied as they are, less escapes).
    mutating func string(utf8 s: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        // Copy runs that need no escape in one go.
        var run = 0
        for i in 0..<s.count {
            let b = s[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if run < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<i])) }
            run = i + 1
            switch b {
            case UInt8(ascii: "\""): bytes.append(0x5C); bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                let digits = hex.utf8Start
                bytes.append(0x5C); bytes.append(UInt8(ascii: "u")); bytes.append(0x30); bytes.append(0x30)
                bytes.append(digits[Int(b >> 4)]); bytes.append(digits[Int(b & 0xF)])
            }
        }
        if run < s.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<s.count])) }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func stringValue(_ s: String) { value(); string(s) }
    mutating func int(_ n: Int) { value(); digits(n) }
    mutating func bool(_ b: Bool) { value(); bytes += Array((b ? "true" : "false").utf8) }
    /// Already serialized JSON.
    mutating func raw(_ json: [UInt8]) { value(); bytes += json }

    mutating func field(_ name: StaticString, _ s: String) { key(name); string(s); comma = true }
    mutating func field(_ name: StaticString, _ n: Int) { key(name); digits(n); comma = true }
    /// A string field whose value is given as well-formed UTF-8.
    mutating func field(_ name: StaticString, utf8 s: UnsafeBufferPointer<UInt8>) { key(name); string(utf8: s); comma = true }
    /// A string field holding `n` in lower-case hexadecimal, as `String(n, radix: 16)` writes it.
    mutating func field(_ name: StaticString, hex n: UInt64) {
        key(name)
        let digits: StaticString = "0123456789abcdef"
        bytes.append(UInt8(ascii: "\""))
        var shift = max(0, (63 - n.leadingZeroBitCount) / 4 * 4)
        while shift >= 0 {
            bytes.append(digits.utf8Start[Int((n >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
        bytes.append(UInt8(ascii: "\""))
        comma = true
    }

    /// Decimal digits of `n`, as `String(n)` writes them.
    private mutating func digits(_ n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = n.magnitude
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            repeat {
                buf[23 - count] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
                count += 1
            } while m != 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[(24 - count)...]))
        }
    }
}
