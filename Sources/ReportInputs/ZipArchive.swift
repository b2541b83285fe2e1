import CLibZ

/// The entries of a ZIP archive held in memory, read from its central directory with every offset
/// and size checked against the bytes. No temporary copy and no third-party inflater: a damaged
/// archive ends in an error, never in a trap, a hang or a folder left behind.
///
/// Read: stored and deflated entries, ZIP64 sizes and offsets, a data descriptor (the central
/// directory's sizes are used). Not read: encrypted entries, other compression methods, archives
/// split over several disks.
struct ZipArchive: Sendable {
    struct Entry: Sendable {
        var path: String
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
        /// A directory or a symbolic link, not a file's content.
        var isRegularFile: Bool
    }

    enum Failure: Error, Equatable, Sendable {
        /// Not a ZIP archive, or its directory is damaged.
        case archive(String)
        /// The entry cannot be read (encrypted, an unknown method, its data outside the archive).
        case entry(String)
        /// The compressed data is damaged or cut short.
        case damaged(String)
        /// The entry inflates to more than the limit.
        case tooLarge
    }

    let bytes: [UInt8]
    let entries: [Entry]

    init(_ bytes: [UInt8]) throws(Failure) {
        self.bytes = bytes
        entries = try Self.directory(bytes)
    }

    /// The first entry of that path (as ZIPFoundation's subscript did).
    subscript(path: String) -> Entry? { entries.first { $0.path == path } }

    // MARK: - Directory

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32 }

    /// Whether `count` bytes from `offset` lie inside `b` (no overflow on hostile values).
    static func inside(_ b: [UInt8], _ offset: UInt64, _ count: UInt64) -> Bool {
        offset <= UInt64(b.count) && count <= UInt64(b.count) - offset
    }

    static func directory(_ b: [UInt8]) throws(Failure) -> [Entry] {
        // The end record is in the last 22 + 65,535 (comment) bytes; the last signature found wins.
        guard b.count >= 22 else { throw .archive("文件太短，没有 ZIP 目录") }
        var end = -1
        var i = b.count - 22
        let lowest = max(0, b.count - 22 - 0xFFFF)
        while i >= lowest {
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 0x05, b[i + 3] == 0x06 { end = i; break }
            i -= 1
        }
        guard end >= 0 else { throw .archive("没有 ZIP 目录结束记录") }
        var count = UInt64(u16(b, end + 10))
        var size = UInt64(u32(b, end + 12))
        var offset = UInt64(u32(b, end + 16))
        if u16(b, end + 4) != 0 || u16(b, end + 6) != 0 { throw .archive("分卷 ZIP 压缩包") }
        // ZIP64: the locator just before the end record points at the ZIP64 end record.
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF, end >= 20,
           u32(b, end - 20) == 0x0706_4B50 {
            let record = u64(b, end - 20 + 8)
            guard inside(b, record, 56), u32(b, Int(record)) == 0x0606_4B50 else { throw .archive("ZIP64 目录结束记录损坏") }
            count = u64(b, Int(record) + 32)
            size = u64(b, Int(record) + 40)
            offset = u64(b, Int(record) + 48)
        }
        guard inside(b, offset, size) else { throw .archive("ZIP 目录超出文件范围") }
        var entries: [Entry] = []
        var at = Int(offset)
        let limit = Int(offset + size)
        // Each record is at least 46 bytes, so the count is bounded by the directory's own size.
        while entries.count < count, at + 46 <= limit {
            guard u32(b, at) == 0x0201_4B50 else { throw .archive("ZIP 目录记录损坏") }
            let madeBy = u16(b, at + 4)
            let flags = u16(b, at + 8)
            let method = u16(b, at + 10)
            let crc = u32(b, at + 16)
            var compressed = UInt64(u32(b, at + 20))
            var uncompressed = UInt64(u32(b, at + 24))
            let nameLength = Int(u16(b, at + 28)), extraLength = Int(u16(b, at + 30)), commentLength = Int(u16(b, at + 32))
            let external = u32(b, at + 38)
            var local = UInt64(u32(b, at + 42))
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= limit else { throw .archive("ZIP 目录记录超出目录范围") }
            let name = b[(at + 46)..<(at + 46 + nameLength)]
            // ZIP64 extended information: the 64-bit values of the fields set to 0xFFFFFFFF, in order.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = u16(b, extra), length = Int(u16(b, extra + 2))
                let data = extra + 4
                guard data + length <= extraEnd else { break }
                if id == 0x0001 {
                    var field = data
                    func take(_ value: inout UInt64) {
                        guard value == 0xFFFF_FFFF, field + 8 <= data + length else { return }
                        value = u64(b, field)
                        field += 8
                    }
                    take(&uncompressed)
                    take(&compressed)
                    take(&local)
                }
                extra = data + length
            }
            let path = String(decoding: name, as: UTF8.self)
            // Unix file type in the high half of the external attributes, when made on Unix.
            let unixType = madeBy >> 8 == 3 ? (external >> 16) & 0o170000 : 0
            let regular = !path.hasSuffix("/") && (unixType == 0 || unixType == 0o100000)
            entries.append(Entry(path: path, method: method, flags: flags, crc32: crc, compressedSize: compressed,
                                 uncompressedSize: uncompressed, localHeaderOffset: local, isRegularFile: regular))
            at = next
        }
        return entries
    }

    // MARK: - Extraction

    /// Where the entry's compressed data lies in `bytes`.
    func dataRange(_ entry: Entry) throws(Failure) -> Range<Int> {
        let local = entry.localHeaderOffset
        guard Self.inside(bytes, local, 30), Self.u32(bytes, Int(local)) == 0x0403_4B50 else {
            throw .entry("\(entry.path) 的本地文件头损坏")
        }
        let start = local + 30 + UInt64(Self.u16(bytes, Int(local) + 26)) + UInt64(Self.u16(bytes, Int(local) + 28))
        guard Self.inside(bytes, start, entry.compressedSize) else { throw .entry("\(entry.path) 的数据超出文件范围") }
        return Int(start)..<Int(start + entry.compressedSize)
    }

    /// The entry's content, handed to `consume` in pieces of at most 64 KiB as it is inflated.
    ///
    /// Bounded: inflation stops past `limit` bytes (whatever the header claims), at the end of the
    /// compressed data, and at a call of zlib that makes no progress, so a damaged stream is an
    /// error and never a loop. The CRC-32 and size are checked at the end. `consume` returning false
    /// stops early (no error).
    func extract(_ entry: Entry, limit: Int, _ consume: (UnsafeBufferPointer<UInt8>) -> Bool) throws(Failure) {
        guard entry.flags & 1 == 0 else { throw .entry("\(entry.path) 已加密") }
        guard entry.isRegularFile else { throw .entry("\(entry.path) 不是普通文件") }
        guard entry.uncompressedSize <= UInt64(limit) else { throw .tooLarge }
        let range = try dataRange(entry)
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw .damaged("\(entry.path) 的大小不一致") }
            var crc: UInt = 0
            let stopped = bytes.withUnsafeBufferPointer { all -> Bool in
                var at = range.lowerBound
                while at < range.upperBound {
                    let piece = UnsafeBufferPointer(rebasing: all[at..<min(at + (1 << 16), range.upperBound)])
                    crc = crc32(crc, piece.baseAddress, UInt32(piece.count))
                    if !consume(piece) { return true }
                    at += piece.count
                }
                return false
            }
            if !stopped, UInt32(truncatingIfNeeded: crc) != entry.crc32 { throw .damaged("\(entry.path) 的 CRC-32 校验和不符") }
        case 8:
            try inflate(entry, range, limit: limit, consume)
        default:
            throw .entry("\(entry.path) 使用了不支持的压缩方法（\(entry.method)）")
        }
    }

    private func inflate(_ entry: Entry, _ range: Range<Int>, limit: Int, _ consume: (UnsafeBufferPointer<UInt8>) -> Bool) throws(Failure) {
        var stream = z_stream()
        // Raw deflate (negative window bits): ZIP entries have no zlib header.
        guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .damaged("无法初始化 zlib")
        }
        defer { inflateEnd(&stream) }
        let chunkSize = 1 << 16
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { output.deallocate() }
        var total = 0
        var crc: UInt = 0
        let damaged = Failure.damaged("\(entry.path) 的压缩数据已损坏")
        let result: Failure? = bytes.withUnsafeBufferPointer { all -> Failure? in
            var next = range.lowerBound
            while true {
                // Input in pieces that fit zlib's 32-bit counts.
                if stream.avail_in == 0, next < range.upperBound {
                    let n = min(range.upperBound - next, 1 << 30)
                    stream.next_in = UnsafeMutablePointer(mutating: all.baseAddress! + next)
                    stream.avail_in = UInt32(n)
                    next += n
                }
                stream.next_out = output
                stream.avail_out = UInt32(chunkSize)
                let inBefore = stream.avail_in
                let status = CLibZ.inflate(&stream, Z_NO_FLUSH)
                let produced = chunkSize - Int(stream.avail_out)
                if produced > 0 {
                    total += produced
                    guard total <= limit else { return .tooLarge }
                    crc = crc32(crc, output, UInt32(produced))
                    if !consume(UnsafeBufferPointer(start: output, count: produced)) { return nil }
                }
                switch status {
                case Z_STREAM_END:
                    guard UInt64(total) == entry.uncompressedSize else { return .damaged("\(entry.path) 解压后的大小与目录不符") }
                    guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else { return .damaged("\(entry.path) 的 CRC-32 校验和不符") }
                    return nil
                case Z_OK:
                    // zlib promises progress with Z_OK; a call without any is treated as damage.
                    if produced == 0, stream.avail_in == inBefore { return damaged }
                case Z_BUF_ERROR:
                    // No progress possible: the input is used up before the stream's end (cut short,
                    // or a damaged block that asks for more).
                    if stream.avail_in == 0, next < range.upperBound { continue }
                    return damaged
                default:
                    return damaged
                }
            }
        }
        if let result { throw result }
    }
}
