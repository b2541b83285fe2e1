/// Maps offsets of the text the scanner read (the *view*) back to the original file, for inputs
/// that are not plain text: an HTML page's cell text stands somewhere in its markup; a Word
/// document's paragraph is a line of a synthetic text (one line per paragraph or table row).
///
/// Each segment says that `length` view bytes from `view` came from `originalLength` bytes at
/// `original`. Offsets inside a segment move together while both sides have bytes left.
public struct SourceMap: Sendable {
    public struct Segment: Sendable, Hashable {
        public var view: Int
        public var original: Int
        public var length: Int
        public var originalLength: Int

        public init(view: Int, original: Int, length: Int, originalLength: Int) {
            self.view = view
            self.original = original
            self.length = length
            self.originalLength = originalLength
        }
    }

    /// The original text positions are reported in (for HTML: the decoded page itself).
    public let original: SourceText
    /// Sorted by `view`, not overlapping.
    public let segments: [Segment]

    public init(original: SourceText, segments: [Segment]) {
        self.original = original
        self.segments = segments.sorted { $0.view < $1.view }
    }

    public func originalOffset(_ viewOffset: Int) -> Int {
        guard !segments.isEmpty else { return 0 }
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segments[mid].view <= viewOffset { lo = mid } else { hi = mid - 1 }
        }
        let s = segments[lo]
        let delta = max(0, viewOffset - s.view)
        return s.original + min(delta, s.originalLength)
    }
}

/// Positions as reported: through the map when there is one, else straight from the view.
public struct Positions: Sendable {
    public let view: SourceText
    public let map: SourceMap?
    let checkpoints: ColumnCheckpoints?

    public init(view: SourceText, map: SourceMap? = nil) {
        self.view = view
        self.map = map
        checkpoints = (map?.original ?? view).columnCheckpoints()
    }

    /// The text positions refer to.
    public var reported: SourceText { map?.original ?? view }

    public func reportedOffset(_ viewOffset: Int) -> Int { map?.originalOffset(viewOffset) ?? viewOffset }

    public func location(of viewOffset: Int) -> SourceLocation { reported.location(of: reportedOffset(viewOffset), checkpoints: checkpoints) }

    /// A location given directly in the reported text.
    public func location(reported offset: Int) -> SourceLocation { reported.location(of: offset, checkpoints: checkpoints) }

    /// The normalized text of a finding's line (clipped around it on long lines), for keys.
    public func keyText(at viewOffset: Int) -> String {
        let window = reported.lineWindow(around: reportedOffset(viewOffset))
        return String(reported.text(window).unicodeScalars.filter { !$0.properties.isWhitespace })
    }

    /// The span in the reported text (an empty span stays empty).
    public func reportedSpan(_ span: SourceSpan) -> SourceSpan {
        guard map != nil else { return span }
        let start = reportedOffset(span.start)
        let end = span.length == 0 ? start : max(start, reportedOffset(span.end - 1) + 1)
        // Keep the end on a scalar boundary of the reported text.
        var e = min(end, reported.bytes.count)
        while e < reported.bytes.count, reported.bytes[e] & 0xC0 == 0x80 { e += 1 }
        return SourceSpan(start: start, end: e)
    }
}
