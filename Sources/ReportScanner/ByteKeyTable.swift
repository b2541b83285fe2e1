/// A read-only hash table keyed by byte strings, looked up without allocating: FNV-1a over the
/// bytes, open addressing, keys compared byte for byte. Built once from template labels; hashing
/// a `[UInt8]` key through `Hasher` (SipHash) for every table cell cost more than the table scan.
public struct ByteKeyTable<Value: Sendable>: Sendable {
    private var keys: [[UInt8]] = []
    private var values: [Value] = []
    private var slots: [Int32]
    private let mask: Int

    /// Later entries with an existing key replace the earlier value.
    public init(_ entries: [([UInt8], Value)]) {
        var size = 16
        while size < entries.count * 3 { size <<= 1 }
        mask = size - 1
        slots = [Int32](repeating: -1, count: size)
        for (key, value) in entries {
            var h = key.withUnsafeBufferPointer(Self.hash) & mask
            while true {
                let j = Int(slots[h])
                if j < 0 {
                    slots[h] = Int32(keys.count)
                    keys.append(key)
                    values.append(value)
                    break
                }
                if keys[j] == key { values[j] = value; break }
                h = (h + 1) & mask
            }
        }
    }

    public subscript(_ key: UnsafeBufferPointer<UInt8>) -> Value? {
        var h = Self.hash(key) & mask
        while true {
            let j = Int(slots[h])
            if j < 0 { return nil }
            let found = keys[j].withUnsafeBufferPointer { k in k.count == key.count && k.elementsEqual(key) }
            if found { return values[j] }
            h = (h + 1) & mask
        }
    }

    public subscript(_ key: [UInt8]) -> Value? { key.withUnsafeBufferPointer { self[$0] } }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h >> 1)
    }
}
