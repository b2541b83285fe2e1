import Foundation
import ReportModel

/// A block of the document prepared once for several patterns: one bridging to the UTF-16 string
/// ICU matches on, and the map from UTF-16 offsets back to byte offsets built only when a match needs it.
public struct PreparedText {
    let span: SourceSpan
    let string: String
    let utf16Count: Int
    private var utf16ToUTF8: [Int]?

    public init(source: SourceText, span: SourceSpan) {
        self.span = span
        string = source.text(span)
        utf16Count = string.utf16.count
    }

    mutating func span(_ r: NSRange) -> SourceSpan {
        if utf16ToUTF8 == nil {
            var map: [Int] = []
            map.reserveCapacity(utf16Count + 1)
            var offset = 0
            for scalar in string.unicodeScalars {
                let width = UTF8.width(scalar)
                map.append(offset)
                if scalar.value > 0xFFFF { map.append(offset) }
                offset += width
            }
            map.append(offset)
            utf16ToUTF8 = map
        }
        let map = utf16ToUTF8!
        let a = map[min(r.location, map.count - 1)], b = map[min(r.location + r.length, map.count - 1)]
        return SourceSpan(start: span.start + a, end: span.start + b)
    }
}

/// A user regular expression, compiled once at load, run under a time budget.
///
/// The module's contract: **ICU's matches, or nil.** Whatever path answers (the byte matcher, the
/// literal pre-filter, ICU itself), the matches are the ones `NSRegularExpression` gives for the
/// pattern; a part that cannot be sure leaves the answer to ICU (`ByteRegex` returns nil), and a
/// run past its deadline throws `TimedOut` rather than returning a partial answer. The tests in
/// Tests/UserPatternsTests compare every path with ICU on the repository's patterns and random text.
///
/// A class, not a struct: kinds hand patterns around per block, and copying the compiled program's
/// arrays with each one showed in profiles.
///
/// ICU (NSRegularExpression) defines what a pattern means. When the pattern is in the subset
/// `RegexParser` understands, it also gets the literals every match contains (a pre-filter) and,
/// in the smaller subset `ByteRegex` runs, a matcher on the UTF-8 bytes that gives ICU's matches
/// without bridging the text; ICU still answers whatever that matcher leaves undecided.
public final class UserRegex: @unchecked Sendable {
    // Immutable after init; NSRegularExpression is documented as safe to share between threads.
    public let regex: NSRegularExpression
    public let pattern: String
    let engine: ByteRegex?
    /// Clauses of literals: a match holds at least one literal of each.
    public let required: [[Needle]]

    public init(compiling pattern: String, literal: Bool = false) throws {
        let source = literal ? NSRegularExpression.escapedPattern(for: pattern) : pattern
        regex = try NSRegularExpression(pattern: source)
        self.pattern = pattern
        // The parse reads what ICU compiled; a different count of groups means we misread it.
        if let (tree, groups) = RegexParser.parse(source), groups == regex.numberOfCaptureGroups {
            engine = ByteRegex(tree, groups: groups)
            required = RequiredLiterals.clauses(tree).map { $0.map(Needle.init) }
        } else {
            engine = nil
            required = []
        }
    }

    /// Whether `text` (a short one: the issuer) holds a match, under the same deadline as the patterns.
    public func firstMatch(in text: String, deadline: ContinuousClock.Instant) throws(TimedOut) -> Bool {
        let source = SourceText(bytes: Array(text.utf8))
        var prepared: PreparedText?
        return try !matches(in: source, span: SourceSpan(start: 0, end: source.bytes.count), prepared: &prepared, deadline: deadline).isEmpty
    }

    /// Whether `span` holds the literals every match needs (true when nothing is known).
    public func mayMatch(_ source: SourceText, _ span: SourceSpan) -> Bool {
        guard !required.isEmpty else { return true }
        return source.bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            return required.allSatisfy { clause in clause.contains { $0.occurs(in: base, span) } }
        }
    }

    /// Matches in a span of the document, as byte spans; capture group spans when asked.
    public func matches(in source: SourceText, span: SourceSpan, deadline: ContinuousClock.Instant) throws(TimedOut) -> [[SourceSpan?]] {
        var prepared: PreparedText?
        return try matches(in: source, span: span, prepared: &prepared, deadline: deadline)
    }

    /// The same, bridging the block for ICU only when needed and once for the patterns that share `prepared`.
    public func matches(in source: SourceText, span: SourceSpan, prepared: inout PreparedText?, deadline: ContinuousClock.Instant) throws(TimedOut) -> [[SourceSpan?]] {
        // Called through the optional: binding `engine` would copy (and retain) its arrays.
        if let found = try engine?.matches(in: source.bytes, span: span, deadline: deadline, validUTF8: source.isKnownValidUTF8) { return found }
        if prepared == nil { prepared = PreparedText(source: source, span: span) }
        return try icuMatches(in: &prepared!, deadline: deadline)
    }

    func icuMatches(in prepared: inout PreparedText, deadline: ContinuousClock.Instant) throws(TimedOut) -> [[SourceSpan?]] {
        var ranges: [[NSRange]] = []
        var timedOut = false
        var calls = 0
        regex.enumerateMatches(in: prepared.string, options: [.reportProgress], range: NSRange(location: 0, length: prepared.utf16Count)) { match, _, stop in
            // The clock is read every 64th callback: reading it on each one cost more than the matching.
            calls += 1
            if calls & 63 == 0, ContinuousClock.now > deadline {
                timedOut = true
                stop.pointee = true
                return
            }
            guard let match else { return }
            ranges.append((0..<match.numberOfRanges).map { match.range(at: $0) })
        }
        if timedOut { throw TimedOut() }
        guard !ranges.isEmpty else { return [] }
        return ranges.map { groups in groups.map { r in r.location == NSNotFound ? nil : prepared.span(r) } }
    }

    public struct TimedOut: Error { public init() {} }
}
