import Foundation
import RuleKit

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
    /// Artifacts and results, serialized as they arrive (compact JSON).
    var artifacts: [[UInt8]] = []
    var results: [[UInt8]] = []
    var notifications: [SARIFNotification] = []
    /// GitHub code scanning accepts at most 25,000 results per run.
    public static let resultLimit = 25_000

    public init(sink: OutputSink, rules: [RuleDescription]) {
        self.sink = sink
        self.rules = rules.sorted { $0.id < $1.id }
        ruleIndex = Dictionary(uniqueKeysWithValues: self.rules.enumerated().map { ($1.id, $0) })
    }

    static func location(_ path: String) -> SARIFArtifactLocation {
        let (uri, relative) = PathStyle.uri(path)
        return SARIFArtifactLocation(uri: uri, uriBaseId: relative ? "%SRCROOT%" : nil)
    }

    static func region(_ positions: Positions, _ viewSpan: SourceSpan) -> SARIFRegion {
        let source = positions.reported
        let span = positions.reportedSpan(viewSpan)
        let start = positions.location(reported: span.start)
        // A span ends within its first line for display; multi-line spans keep their real end.
        let end = positions.location(reported: span.end)
        var region = SARIFRegion(startLine: start.line, startColumn: start.utf16Column, endLine: end.line, endColumn: end.utf16Column)
        let shown = span.length > 0 ? span : source.lineWindow(around: span.start)
        let text = source.text(SourceSpan(start: shown.start, end: min(shown.end, shown.start + 2000)))
        region.snippet = SARIFMessage(text: text)
        return region
    }

    static func write(_ region: SARIFRegion, into w: inout JSONWriter) {
        w.beginObject()
        w.field("startLine", region.startLine)
        w.field("startColumn", region.startColumn)
        w.field("endLine", region.endLine)
        w.field("endColumn", region.endColumn)
        if let snippet = region.snippet {
            w.key("snippet")
            w.beginObject()
            w.field("text", snippet.text)
            w.endObject()
        }
        w.endObject()
    }

    static func write(_ location: SARIFArtifactLocation, into w: inout JSONWriter) {
        w.beginObject()
        w.field("uri", location.uri)
        if let base = location.uriBaseId { w.field("uriBaseId", base) }
        w.endObject()
    }

    static func writeLocation(_ artifact: SARIFArtifactLocation, _ region: SARIFRegion, id: Int?, message: String?, into w: inout JSONWriter) {
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
        write(artifact, into: &w)
        w.key("region")
        write(region, into: &w)
        w.endObject()
        w.endObject()
    }

    /// A fingerprint that survives lines moving: rule, the finding's line text, message, occurrence.
    static func fingerprint(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for b in part.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xFF) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    public func add(_ file: FileResult) {
        let artifact = Self.location(file.path)
        for tool in file.toolDiagnostics {
            notifications.append(SARIFNotification(level: "error", message: SARIFMessage(text: "\(PathStyle.relative(file.path))：\(tool.message)"),
                                                   descriptor: .init(id: tool.id.rawValue),
                                                   locations: [SARIFLocation(physicalLocation: SARIFPhysicalLocation(artifactLocation: artifact))]))
        }
        guard let positions = file.positions else { return }
        let source = positions.reported
        var a = JSONWriter()
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
        artifacts.append(a.bytes)
        var occurrences: [String: Int] = [:]
        for d in file.diagnostics {
            let lineText = positions.keyText(at: d.span.start)
            let key = [d.ruleID, lineText, d.message].joined(separator: "\u{1F}")
            let n = occurrences[key, default: 0]
            occurrences[key] = n + 1
            var w = JSONWriter(capacity: 512)
            w.beginObject()
            w.field("ruleId", d.ruleID)
            w.field("ruleIndex", ruleIndex[d.ruleID] ?? 0)
            w.field("level", d.severity.rawValue)
            w.key("message")
            w.beginObject()
            w.field("text", d.message)
            w.endObject()
            w.key("locations")
            w.beginArray()
            Self.writeLocation(artifact, Self.region(positions, d.span), id: nil, message: nil, into: &w)
            w.endArray()
            if !d.related.isEmpty {
                w.key("relatedLocations")
                w.beginArray()
                for (i, r) in d.related.enumerated() {
                    Self.writeLocation(artifact, Self.region(positions, r.span), id: i + 1, message: r.message, into: &w)
                }
                w.endArray()
            }
            w.key("partialFingerprints")
            w.beginObject()
            w.field("reportlint/v1", Self.fingerprint([d.ruleID, PathStyle.relative(file.path), lineText, d.message, String(n)]))
            w.endObject()
            w.endObject()
            results.append(w.bytes)
        }
    }

    static func sarifEncoding(_ encoding: TextEncoding) -> String {
        switch encoding {
        case .utf8, .utf8BOM: "utf-8"
        case .utf16LE: "utf-16le"
        case .utf16BE: "utf-16be"
        case .gb18030: "gb18030"
        }
    }

    public func finish(_ summary: RunSummary) {
        var kept = results
        var notes = notifications
        if kept.count > Self.resultLimit {
            notes.append(SARIFNotification(level: "warning",
                                           message: SARIFMessage(text: "共有 \(kept.count) 条结果，超过 GitHub 代码扫描每次运行 \(Self.resultLimit) 条的上限；只输出前 \(Self.resultLimit) 条"),
                                           descriptor: .init(id: "sarif.result-limit"), locations: nil))
            kept = Array(kept.prefix(Self.resultLimit))
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
        sink.write(bytes: Array(toolJSON))
        sink.write(",\"invocations\":[")
        sink.write(bytes: Array(invocationJSON))
        sink.write("],\"originalUriBaseIds\":")
        sink.write(bytes: Array(basesJSON))
        sink.write(",\"columnKind\":\"utf16CodeUnits\",\n\"artifacts\":[")
        for (i, artifact) in artifacts.enumerated() {
            sink.write(i == 0 ? "\n" : ",\n")
            sink.write(bytes: artifact)
        }
        sink.write("],\n\"results\":[")
        for (i, result) in kept.enumerated() {
            sink.write(i == 0 ? "\n" : ",\n")
            sink.write(bytes: result)
        }
        sink.write("\n]}]}\n")
        sink.flush()
    }

    static func pascal(_ name: String) -> String {
        name.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
