import Foundation

/// A path pattern as in `.gitignore` and most linters' include/exclude: `*` within a path segment,
/// `?` one character, `**` any number of segments; a pattern without `/` matches a name at any depth.
/// (Written here because Foundation's fnmatch has no `**`.)
public struct Glob: @unchecked Sendable, CustomStringConvertible {
    // NSRegularExpression is immutable and safe to share between threads.
    public let description: String
    let regex: NSRegularExpression

    public init?(_ pattern: String) {
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        let anchored = p.contains("/")
        var out = anchored ? "^" : "^(?:.*/)?"
        var chars = Array(p)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "*" {
                if i + 1 < chars.count, chars[i + 1] == "*" {
                    // `**/` matches zero or more directories; a trailing `**` anything.
                    if i + 2 < chars.count, chars[i + 2] == "/" { out += "(?:.*/)?"; i += 3; continue }
                    out += ".*"; i += 2; continue
                }
                out += "[^/]*"
            } else if c == "?" {
                out += "[^/]"
            } else {
                out += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        chars = []
        guard let regex = try? NSRegularExpression(pattern: out + "$") else { return nil }
        self.regex = regex
        description = pattern
    }

    public func matches(_ relativePath: String) -> Bool {
        regex.firstMatch(in: relativePath, range: NSRange(relativePath.startIndex..., in: relativePath)) != nil
    }
}
