import Foundation
import RuleKit
import RunResults

/// Static facts about the tool that SARIF and `--version` print.
public enum ToolInfo {
    public static let name = "reportlint"
    public static let version = "0.1.0"
    public static let informationURI = "https://github.com/reportlint/reportlint"
    /// Rule documentation in this repository.
    public static func helpURI(_ id: String) -> String { informationURI + "/blob/main/docs/rules.md#" + id.replacingOccurrences(of: ".", with: "-") }
}

/// SARIF 2.1.0 for GitHub code scanning and other viewers. Results are kept compact (no source
/// text) until the end; the output is deterministic for the same input.
public final class SARIFReporter: Reporter {
    let sink: OutputSink
    let rules: [RuleDescription]
    let ruleIndex: [String: Int]
    /// Artifacts and results, serialized as they arrive (compact JSON, each after its "\n" or ",\n"
    /// separator) back to back in one buffer each: no array per result, and the lists are written
    /// out in one piece. Results past GitHub's limit are counted, not kept.
    var artifacts = SerializedList()
    var results = SerializedList()
    var droppedResults = 0
    var notifications: [SARIFNotification] = []
    /// GitHub code scanning accepts at most 25,000 results per run.
    public static let resultLimit = 25_000

    /// Serialized entries. SARIF puts the artifacts and results after a header known only at the
    /// end, so they wait; past `spillSize` bytes they wait in an unnamed temporary file, and memory
    /// stays flat however many files a run has.
    struct SerializedList {
        let buffer = ByteBuffer(capacity: 1 << 16)
        private(set) var count = 0
        /// The temporary file and how many of its bytes are entries (a failed write is ignored,
        /// and what follows stays in memory).
        private var spill: UnsafeMutablePointer<FILE>?
        private var spilled = 0
        private var spillFailed = false
        let spillSize: Int

        init(spillSize: Int = 4 << 20) { self.spillSize = spillSize }

        /// Writes the separator before the next entry.
        func beginEntry() {
            if count > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(0x0A)
        }

        mutating func endEntry() {
            count += 1
            if buffer.count >= spillSize, !spillFailed { spillBuffer() }
        }

        private mutating func spillBuffer() {
            if spill == nil { spill = tmpfile() }
            guard let file = spill, fwrite(buffer.base, 1, buffer.count, file) == buffer.count else {
                spillFailed = true
                return
            }
            spilled += buffer.count
            buffer.removeAll()
        }

        /// Every entry, in order, to the sink; the temporary file is closed (and so removed).
        mutating func write(to sink: OutputSink) {
            if let file = spill {
                fflush(file)
                rewind(file)
                var left = spilled
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while left > 0 {
                    let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, min($0.count, left), file) }
                    guard n > 0 else { break }
                    chunk.withUnsafeBufferPointer { sink.write(bytes: UnsafeBufferPointer(rebasing: $0[0..<n])) }
                    left -= n
                }
                fclose(file)
                spill = nil
            }
            sink.write(bytes: buffer.bytes)
        }
    }

    public init(sink: OutputSink, rules: [RuleDescription]) {
        self.sink = sink
        self.rules = rules.sorted { $0.id < $1.id }
        ruleIndex = Dictionary(uniqueKeysWithValues: self.rules.enumerated().map { ($1.id, $0) })
    }

    static func location(_ path: String) -> SARIFArtifactLocation {
        location(relative: PathStyle.relative(path))
    }

    /// `location(_:)` for a path already made relative (`PathStyle.uri` without repeating that step).
    static func location(relative rel: String) -> SARIFArtifactLocation {
        if rel.hasPrefix("/") { return SARIFArtifactLocation(uri: "file://" + PathStyle.percentEncoded(rel), uriBaseId: nil) }
        return SARIFArtifactLocation(uri: PathStyle.percentEncoded(rel), uriBaseId: "%SRCROOT%")
    }

    /// A region with its snippet: the span, or the line around an empty span, at most 2,000 bytes.
    static func writeRegion(_ positions: Positions, _ viewSpan: SourceSpan, into w: inout JSONWriter) {
        let source = positions.reported
        let span = positions.reportedSpan(viewSpan)
        let start = positions.location(reported: span.start)
        // A span ends within its first line for display; multi-line spans keep their real end.
        let end = positions.location(reported: span.end)
        w.beginObject()
        w.field("startLine", start.line)
        w.field("startColumn", start.utf16Column)
        w.field("endLine", end.line)
        w.field("endColumn", end.utf16Column)
        let shown = span.length > 0 ? span : source.lineWindow(around: span.start)
        let clip = SourceSpan(start: shown.start, end: min(shown.end, shown.start + 2000))
        // The clamping of `SourceText.text(_:)`.
        let count = source.bytes.count
        let s = max(0, min(clip.start, count))
        let e = max(s, min(clip.end, count))
        w.key("snippet")
        w.beginObject()
        source.bytes.withUnsafeBufferPointer { bytes in
            let text = UnsafeBufferPointer(rebasing: bytes[s..<e])
            // Well-formed bytes are the snippet's UTF-8 as they are; a clip through a scalar is
            // repaired as `String(decoding:)` repairs it.
            if UTF8Validation.isValid(text) { w.field("text", utf8: text) } else { w.field("text", String(decoding: text, as: UTF8.self)) }
        }
        w.endObject()
        w.endObject()
    }

    static func write(_ location: SARIFArtifactLocation, into w: inout JSONWriter) {
        w.beginObject()
        w.field("uri", location.uri)
        if let base = location.uriBaseId { w.field("uriBaseId", base) }
        w.endObject()
    }

    /// `artifact` is the file's artifact location, already serialized.
    static func writeLocation(_ artifact: [UInt8], _ positions: Positions, _ span: SourceSpan, id: Int?, message: String?, into w: inout JSONWriter) {
        w.beginObject()
        if let id { w.field("id", id) }
        if let message {
            w.key("message")
            w.beginObject()
            w.field("text", message)
            w.endObject()
        }
        w.key("physicalLocation")
        w.beginObject()
        w.key("artifactLocation")
        w.raw(artifact)
        w.key("region")
        writeRegion(positions, span, into: &w)
        w.endObject()
        w.endObject()
    }

    /// A place in another report (already located): a related location in another artifact.
    static func writeRemote(_ r: RemoteLocation, id: Int, into w: inout JSONWriter) {
        w.beginObject()
        w.field("id", id)
        w.key("message")
        w.beginObject()
        w.field("text", r.message)
        w.endObject()
        w.key("physicalLocation")
        w.beginObject()
        w.key("artifactLocation")
        write(location(relative: PathStyle.relative(r.path)), into: &w)
        w.key("region")
        w.beginObject()
        w.field("startLine", r.line)
        w.field("startColumn", r.utf16Column)  // the run's columnKind
        w.endObject()
        w.endObject()
        w.endObject()
    }

    /// A fingerprint that survives lines moving: rule, the finding's line text, message, occurrence
    /// (FNV-1a over each part's UTF-8, each part closed by 0xFF).
    struct Fingerprint {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            var hash = value
            for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            value = (hash ^ 0xFF) &* 0x100_0000_01b3
        }

        mutating func add(_ part: String) {
            var part = part
            part.withUTF8 { add($0) }
        }

        mutating func add(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { add($0) } }
    }

    /// `Positions.keyText` as UTF-8 (the finding's line window without White_Space scalars), and
    /// whether the window is plain text (PlainText), which also means well-formed.
    static func keyBytes(_ positions: Positions, at viewOffset: Int) -> (bytes: [UInt8], plain: Bool) {
        let source = positions.reported
        let window = source.lineWindow(around: positions.reportedOffset(viewOffset))
        let count = source.bytes.count
        let s = max(0, min(window.start, count))
        let e = max(s, min(window.end, count))
        return source.bytes.withUnsafeBufferPointer { bytes in
            let text = UnsafeBufferPointer(rebasing: bytes[s..<e])
            let plain = PlainText.isPlain(text, 0, text.count)
            guard plain || UTF8Validation.isValid(text) else { return (Array(positions.keyText(at: viewOffset).utf8), false) }
            var out: [UInt8] = []
            out.reserveCapacity(text.count)
            var i = 0
            while i < text.count {
                let n = whiteSpaceLength(text, i)
                if n > 0 { i += n; continue }
                out.append(text[i])
                i += 1
            }
            return (out, plain)
        }
    }

    /// Length of the White_Space scalar (Unicode.Scalar.Properties.isWhitespace) at `i`, or 0.
    @inline(__always)
    static func whiteSpaceLength(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = t[i]
        if b < 0x80 { return (b >= 0x09 && b <= 0x0D) || b == 0x20 ? 1 : 0 }
        switch b {
        case 0xC2:
            return i + 1 < t.count && (t[i + 1] == 0x85 || t[i + 1] == 0xA0) ? 2 : 0
        case 0xE1:
            return i + 2 < t.count && t[i + 1] == 0x9A && t[i + 2] == 0x80 ? 3 : 0 // U+1680
        case 0xE2:
            guard i + 2 < t.count else { return 0 }
            let c = t[i + 1], d = t[i + 2]
            // U+2000–200A, U+2028, U+2029, U+202F; U+205F
            if c == 0x80 { return d <= 0x8A || d == 0xA8 || d == 0xA9 || d == 0xAF ? 3 : 0 }
            return c == 0x81 && d == 0x9F ? 3 : 0
        case 0xE3:
            return i + 2 < t.count && t[i + 1] == 0x80 && t[i + 2] == 0x80 ? 3 : 0 // U+3000
        default:
            return 0
        }
    }

    static func isPlain(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { PlainText.isPlain($0, 0, $0.count) }
    }

    public func add(_ file: FileResult) {
        let relativePath = PathStyle.relative(file.path)
        let artifact = Self.location(relative: relativePath)
        for tool in file.toolDiagnostics {
            notifications.append(SARIFNotification(level: "error", message: SARIFMessage(text: "\(relativePath)：\(tool.message)"),
                                                   descriptor: .init(id: tool.id.rawValue),
                                                   locations: [SARIFLocation(physicalLocation: SARIFPhysicalLocation(artifactLocation: artifact))]))
        }
        guard let positions = file.positions else { return }
        if file.isFollowUp {
            writeResults(file, positions: positions, relativePath: relativePath, artifact: artifact)
            return
        }
        artifacts.beginEntry()
        var a = JSONWriter(into: artifacts.buffer)
        a.beginObject()
        if let encoding = file.encoding { a.field("encoding", Self.sarifEncoding(encoding)) }
        a.key("location")
        Self.write(artifact, into: &a)
        a.key("properties")
        a.beginObject()
        if let encoding = file.encoding { a.field("encoding", encoding.rawValue) }
        a.field("format", file.format?.rawValue ?? "text")
        a.endObject()
        a.endObject()
        artifacts.endEntry()
        writeResults(file, positions: positions, relativePath: relativePath, artifact: artifact)
    }

    func writeResults(_ file: FileResult, positions: Positions, relativePath: String, artifact: SARIFArtifactLocation) {
        let diagnostics = file.diagnostics
        guard !diagnostics.isEmpty else { return }

        var location = JSONWriter(capacity: 128)
        Self.write(artifact, into: &location)
        let artifactJSON = location.bytes
        let keys = diagnostics.map { d in
            let (line, plain) = Self.keyBytes(positions, at: d.span.start)
            var hash = Fingerprint()
            hash.add(d.ruleID)
            hash.add(relativePath)
            hash.add(line)
            hash.add(d.message)
            return FindingKey(line: line, plain: plain, hash: hash)
        }
        let occurrences = Self.occurrences(diagnostics, keys)
        // Findings of one rule tend to come together: look the index up once per run of them.
        var lastRule: (id: String, index: Int)?
        for (k, d) in diagnostics.enumerated() {
            guard results.count < Self.resultLimit else {
                droppedResults += 1
                continue
            }
            results.beginEntry()
            var w = JSONWriter(into: results.buffer)
            w.beginObject()
            w.field("ruleId", d.ruleID)
            if lastRule?.id != d.ruleID { lastRule = (d.ruleID, ruleIndex[d.ruleID] ?? 0) }
            w.field("ruleIndex", lastRule!.index)
            w.field("level", d.severity.rawValue)
            w.key("message")
            w.beginObject()
            w.field("text", d.message)
            w.endObject()
            w.key("locations")
            w.beginArray()
            Self.writeLocation(artifactJSON, positions, d.span, id: nil, message: nil, into: &w)
            w.endArray()
            if !d.related.isEmpty || !d.elsewhere.isEmpty {
                w.key("relatedLocations")
                w.beginArray()
                for (i, r) in d.related.enumerated() {
                    Self.writeLocation(artifactJSON, positions, r.span, id: i + 1, message: r.message, into: &w)
                }
                for (i, r) in d.elsewhere.enumerated() { Self.writeRemote(r, id: d.related.count + i + 1, into: &w) }
                w.endArray()
            }
            w.key("partialFingerprints")
            w.beginObject()
            var hash = keys[k].hash
            hash.add(String(occurrences[k]))
            w.field("reportlint/v1", hex: hash.value)
            w.endObject()
            w.endObject()
            results.endEntry()
        }
    }

    /// What a finding is keyed by: its line text (`keyBytes`), whether that is plain text, and the
    /// fingerprint hash over rule, path, line and message (the occurrence number comes last).
    struct FindingKey {
        var line: [UInt8]
        var plain: Bool
        var hash: Fingerprint
    }

    /// How many earlier findings of the file share each one's rule, line text and message.
    ///
    /// The key used to be a Swift String, compared under canonical equivalence; for plain text
    /// (PlainText, always in NFC) that is byte equality, so the findings' fingerprint hashes (over
    /// rule, path, line and message) group them and bytes decide. Any other text keeps the String key.
    static func occurrences(_ diagnostics: [Diagnostic], _ keys: [FindingKey]) -> [Int] {
        var counts: [Int] = []
        counts.reserveCapacity(diagnostics.count)
        let plain = diagnostics.indices.allSatisfy { k in keys[k].plain && isPlain(diagnostics[k].ruleID) && isPlain(diagnostics[k].message) }
        if plain {
            /// Groups of equal keys by hash: the first finding of each and how many so far.
            var seen: [UInt64: [(first: Int, count: Int)]] = [:]
            for k in diagnostics.indices {
                let hash = keys[k].hash.value
                var groups = seen[hash, default: []]
                if let g = groups.firstIndex(where: { group in
                    let j = group.first
                    return keys[j].line == keys[k].line && sameBytes(diagnostics[j].ruleID, diagnostics[k].ruleID)
                        && sameBytes(diagnostics[j].message, diagnostics[k].message)
                }) {
                    counts.append(groups[g].count)
                    groups[g].count += 1
                } else {
                    counts.append(0)
                    groups.append((k, 1))
                }
                seen[hash] = groups
            }
        } else {
            var seen: [String: Int] = [:]
            for (k, d) in diagnostics.enumerated() {
                let key = [d.ruleID, String(decoding: keys[k].line, as: UTF8.self), d.message].joined(separator: "\u{1F}")
                let n = seen[key, default: 0]
                seen[key] = n + 1
                counts.append(n)
            }
        }
        return counts
    }

    static func sameBytes(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    static func sarifEncoding(_ encoding: TextEncoding) -> String {
        switch encoding {
        case .utf8, .utf8BOM: "utf-8"
        case .utf16LE: "utf-16le"
        case .utf16BE: "utf-16be"
        case .gb18030: "gb18030"
        }
    }

    public func finish(_ summary: RunSummary) {
        var notes = notifications
        if droppedResults > 0 {
            let total = results.count + droppedResults
            notes.append(SARIFNotification(level: "warning",
                                           message: SARIFMessage(text: "共有 \(total) 条结果，超过 GitHub 代码扫描每次运行 \(Self.resultLimit) 条的上限；只输出前 \(Self.resultLimit) 条"),
                                           descriptor: .init(id: "sarif.result-limit"), locations: nil))
        }
        for problem in summary.configProblems {
            notes.append(SARIFNotification(level: "error", message: SARIFMessage(text: problem.message), descriptor: .init(id: problem.id.rawValue),
                                           locations: nil))
        }
        let driverRules = rules.map { rule in
            SARIFRule(id: rule.id, name: Self.pascal(rule.name), shortDescription: SARIFMessage(text: rule.summary),
                      fullDescription: SARIFMessage(text: rule.summary + " " + rule.rationale),
                      help: SARIFMessage(text: rule.rationale, markdown: "**\(rule.id)**：\(rule.summary)\n\n\(rule.rationale)"),
                      helpUri: ToolInfo.helpURI(rule.id), defaultConfiguration: .init(level: rule.severity.rawValue),
                      properties: .init(tags: [String(rule.id.split(separator: ".").first ?? ""), "gov-report"]))
        }
        // The small, fixed parts through Codable; the per-file parts were written as they arrived.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let tool = SARIFTool(driver: SARIFDriver(name: ToolInfo.name, semanticVersion: ToolInfo.version, informationUri: ToolInfo.informationURI,
                                                 rules: driverRules))
        let invocation = SARIFInvocation(executionSuccessful: summary.configProblems.isEmpty,
                                         workingDirectory: SARIFArtifactLocation(uri: PathStyle.workingDirectoryURI),
                                         toolExecutionNotifications: notes)
        let bases = ["%SRCROOT%": SARIFArtifactLocation(uri: PathStyle.workingDirectoryURI)]
        guard let toolJSON = try? encoder.encode(tool), let invocationJSON = try? encoder.encode(invocation),
              let basesJSON = try? encoder.encode(bases) else { return }
        sink.write("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":")
        // Rule texts and tool messages may quote files: hardened like JSONWriter's strings.
        sink.write(bytes: JSONWriter.hardened(Array(toolJSON)))
        sink.write(",\"invocations\":[")
        sink.write(bytes: JSONWriter.hardened(Array(invocationJSON)))
        sink.write("],\"originalUriBaseIds\":")
        sink.write(bytes: JSONWriter.hardened(Array(basesJSON)))
        sink.write(",\"columnKind\":\"utf16CodeUnits\",\n\"artifacts\":[")
        artifacts.write(to: sink)
        sink.write("],\n\"results\":[")
        results.write(to: sink)
        sink.write("\n]}]}\n")
        sink.flush()
    }

    static func pascal(_ name: String) -> String {
        name.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
