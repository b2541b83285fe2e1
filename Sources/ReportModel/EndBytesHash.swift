/// A hash of a byte string's length and its first and last eight bytes, mixed. The keys hashed
/// here (row keys, template labels) differ in their ends, and hashing every byte of a long key cost
/// more than the rest of a lookup; equal hashes are always told apart by comparing the bytes.
public enum EndBytesHash {
    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let n = bytes.count
        var head: UInt64 = 0, tail: UInt64 = 0
        if n >= 8 {
            let raw = UnsafeRawPointer(bytes.baseAddress!)
            head = raw.loadUnaligned(as: UInt64.self)
            tail = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for i in 0..<n { head = head << 8 | UInt64(bytes[i]) }
        }
        var h = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n)
        h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: (h ^ (h >> 32)) >> 1)
    }
}
