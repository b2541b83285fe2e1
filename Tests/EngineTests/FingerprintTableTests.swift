import Testing

@testable import ArchiveRules

/// The hand-written tables and sort behind the rules across reports, checked against the standard
/// library's (which they replace for speed only: the results must be the same).
@Suite("Fingerprint tables and sort")
struct FingerprintTableTests {
    /// A reproducible stream of keys (SplitMix64), some of them repeated and some sharing bytes.
    static func keys(_ count: Int, seed: UInt64, distinct: Int) -> [UInt64] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let pool = (0..<distinct).map { i in i % 5 == 0 ? UInt64(i) : next() }  // small keys: high bytes all zero
        return (0..<count).map { _ in pool[Int(next() % UInt64(distinct))] }
    }

    @Test("The radix sort orders keys as sort() does", arguments: [0, 1, 2, 63, 64, 65, 1_000, 50_000])
    func radixSortsKeys(_ count: Int) {
        var keys = Self.keys(count, seed: UInt64(count), distinct: max(1, count / 3))
        let expected = keys.sorted()
        radixSort(&keys) { $0 }
        #expect(keys == expected)
    }

    @Test("The radix sort is stable: items with equal keys keep their order", arguments: [10, 64, 65, 5_000])
    func radixSortIsStable(_ count: Int) {
        let keys = Self.keys(count, seed: 7, distinct: max(1, count / 10))
        var items = keys.enumerated().map { (key: $0.element, order: $0.offset) }
        radixSort(&items) { $0.key }
        #expect(items.map(\.key) == keys.sorted())
        for (a, b) in zip(items, items.dropFirst()) where a.key == b.key { #expect(a.order < b.order) }
    }

    @Test("The table holds what a dictionary holds, through growth")
    func tableAsDictionary() {
        var table = FingerprintTable<Int>(capacity: 4)
        var dictionary: [UInt64: Int] = [:]
        for (n, key) in Self.keys(20_000, seed: 3, distinct: 3_000).enumerated() {
            table.update(key, initial: 0) { $0 += n }
            dictionary[key, default: 0] += n
        }
        #expect(table.count == dictionary.count)
        for (key, value) in dictionary { #expect(table[key] == value) }
        #expect(table[0xDEAD_BEEF_0000_0001] == nil)
    }

    @Test("The set is a set, and emptying it forgets every key")
    func setAsSet() {
        var set = FingerprintSet(capacity: 2)
        for round in 0..<5 {
            let keys = Self.keys(500, seed: UInt64(round), distinct: 200 + round * 50)
            var reference = Set<UInt64>()
            for key in keys { #expect(set.insert(key) == reference.insert(key).inserted) }
            for key in Self.keys(300, seed: 99, distinct: 1_000) { #expect(set.contains(key) == reference.contains(key)) }
            set.removeAll(keepingCapacity: round * 100)
            for key in reference { #expect(!set.contains(key)) }
        }
    }

    @Test("A row key hashed into two fingerprints at once, as one at a time", arguments: ["二、上年结转政府信息公开申请数量", "", "abc", "（七）总计"])
    func twoFingerprints(_ text: String) {
        var a = FNV1a(), b = FNV1a(value: 42)
        FNV1a.add(text, to: &a, and: &b)
        var x = FNV1a(), y = FNV1a(value: 42)
        x.add(text)
        y.add(text)
        #expect(a.value == x.value)
        #expect(b.value == y.value)
    }
}
