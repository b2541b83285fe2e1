#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReportModel

/// A read-only hash table keyed by byte strings, looked up without allocating: FNV-1a over the
/// bytes, open addressing, keys compared with memcmp. Built once from template labels; hashing
/// a `[UInt8]` key through `Hasher` (SipHash) for every table cell cost more than the table scan.
public struct ByteKeyTable<Value: Sendable>: Sendable {
    /// Every key's bytes, one after the other; key `i` is `bytes[starts[i]..<starts[i + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var values: [Value] = []
    /// Per bucket: the key index, or -1.
    private var buckets: [Int32]
    private let mask: Int

    /// Later entries with an existing key replace the earlier value.
    public init(_ entries: [([UInt8], Value)]) {
        var size = 16
        while size < entries.count * 3 { size <<= 1 }
        mask = size - 1
        buckets = [Int32](repeating: -1, count: size)
        for (key, value) in entries {
            let found = key.withUnsafeBufferPointer { find($0) }
            if let j = found.index {
                values[j] = value
            } else {
                buckets[found.bucket] = Int32(values.count)
                bytes += key
                starts.append(bytes.count)
                values.append(value)
            }
        }
    }

    /// The key's index, or the empty bucket where it would go.
    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int?, bucket: Int) {
        var h = Self.hash(key) & mask
        return bytes.withUnsafeBufferPointer { all in
            while true {
                let j = Int(buckets[h])
                if j < 0 { return (nil, h) }
                let start = starts[j], count = starts[j + 1] - start
                if count == key.count && (count == 0 || memcmp(all.baseAddress! + start, key.baseAddress!, count) == 0) { return (j, h) }
                h = (h + 1) & mask
            }
        }
    }

    public subscript(_ key: UnsafeBufferPointer<UInt8>) -> Value? {
        find(key).index.map { values[$0] }
    }

    public subscript(_ key: [UInt8]) -> Value? { key.withUnsafeBufferPointer { self[$0] } }

    /// Equal hashes are told apart by memcmp, so a weak hash only costs probes.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int { EndBytesHash.hash(bytes) }
}
