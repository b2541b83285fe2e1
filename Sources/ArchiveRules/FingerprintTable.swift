/// An open-addressing table keyed by sentence fingerprints. The keys are FNV-1a hashes already, so
/// a key, mixed once, is its own hash: Swift's Set and Dictionary run SipHash over every key, which
/// was most of the cost of counting an archive's sentences.
struct FingerprintTable<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        // Fibonacci hashing spreads keys whose low bits agree (FNV's low bits are its weakest).
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(key: UInt64) -> Value? {
        var i = slot(key)
        while let value = values[i] {
            if keys[i] == key { return value }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Changes the value of `key` in place, starting from `initial` when it is not in the table.
    mutating func update(_ key: UInt64, initial: Value, _ change: (inout Value) -> Void) {
        if count * 2 >= keys.count { grow() }
        var i = slot(key)
        while values[i] != nil, keys[i] != key { i = (i + 1) & mask }
        if values[i] == nil {
            keys[i] = key
            values[i] = initial
            count += 1
        }
        change(&values[i]!)
    }

    private mutating func grow() {
        let old = (keys, values)
        self = FingerprintTable(capacity: keys.count)
        for i in old.0.indices { if let value = old.1[i] { update(old.0[i], initial: value) { _ in } } }
    }
}

extension FingerprintTable: Sendable where Value: Sendable {}

/// A set of fingerprints that is emptied in constant time (a generation stamp per slot), reused
/// for the sentences of one report after another.
struct FingerprintSet {
    private var keys: [UInt64]
    private var stamps: [UInt32]
    private var generation: UInt32 = 1
    private var mask: Int
    private var count = 0

    init(capacity: Int = 64) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        stamps = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Empties the set, keeping room for `capacity` keys.
    mutating func removeAll(keepingCapacity capacity: Int) {
        if capacity * 2 > keys.count || generation == .max {
            self = FingerprintSet(capacity: capacity)
        } else {
            generation += 1
            count = 0
        }
    }

    /// Adds `key`; whether it was not in the set before.
    @discardableResult
    mutating func insert(_ key: UInt64) -> Bool {
        if count * 2 >= keys.count { grow() }
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while stamps[i] == generation {
            if keys[i] == key { return false }
            i = (i + 1) & mask
        }
        stamps[i] = generation
        keys[i] = key
        count += 1
        return true
    }

    func contains(_ key: UInt64) -> Bool {
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while stamps[i] == generation {
            if keys[i] == key { return true }
            i = (i + 1) & mask
        }
        return false
    }

    private mutating func grow() {
        var bigger = FingerprintSet(capacity: keys.count)
        for i in keys.indices where stamps[i] == generation { bigger.insert(keys[i]) }
        self = bigger
    }
}

/// Sorts items by a 64-bit key, stably (items with equal keys keep their order): a least-significant-
/// digit radix sort, a pass per byte that differs, one buffer of the same size. Several times the speed
/// of the standard library's comparison sort on the hundreds of thousands of (sentence, report) pairs
/// of an archive's year.
func radixSort<Item>(_ items: inout [Item], by key: (Item) -> UInt64) {
    guard items.count > 64, let first = items.first else {
        // Insertion sort, stable, for the few.
        for i in items.indices.dropFirst() {
            let item = items[i], k = key(item)
            var j = i
            while j > 0, key(items[j - 1]) > k {
                items[j] = items[j - 1]
                j -= 1
            }
            items[j] = item
        }
        return
    }
    var buffer = [Item](repeating: first, count: items.count)
    items.withUnsafeMutableBufferPointer { a in
        buffer.withUnsafeMutableBufferPointer { b in
            var from = a, to = b
            var counts = [Int](repeating: 0, count: 256 * 8)
            // All eight histograms in one pass.
            for item in from {
                let k = key(item)
                for d in 0..<8 { counts[d << 8 | Int(truncatingIfNeeded: (k >> (d * 8)) & 0xFF)] += 1 }
            }
            for d in 0..<8 {
                // A byte that is the same in every key needs no pass.
                let base = d << 8
                if counts[base..<(base + 256)].contains(from.count) { continue }
                var offset = 0
                for v in 0..<256 {
                    let n = counts[base + v]
                    counts[base + v] = offset
                    offset += n
                }
                let shift = UInt64(d * 8)
                for item in from {
                    let v = base + Int(truncatingIfNeeded: (key(item) >> shift) & 0xFF)
                    to[counts[v]] = item
                    counts[v] += 1
                }
                swap(&from, &to)
            }
            if from.baseAddress != a.baseAddress { _ = a.update(fromContentsOf: from) }
        }
    }
}
