/// A path pattern as in `.gitignore` and most linters' include/exclude: `*` within a path segment,
/// `?` one character, `**` any number of segments; a pattern without `/` matches a name at any depth.
///
/// Matched by a set of positions swept once per pattern token (time: pattern length × path length,
/// whatever the pattern): the configuration comes from the repository, which in CI a pull request
/// controls, and a backtracking matcher (the regular expression this replaced) can be made to run
/// for minutes by a pattern like `*a*a*a*a*a*b`. (Written here because fnmatch has no `**`.)
public struct Glob: Sendable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case scalar(Unicode.Scalar)
        /// `?`: one character other than `/`.
        case one
        /// `*`: any characters other than `/`.
        case segmentRun
        /// `**/` (and the implicit prefix of a pattern without `/`): nothing, or anything ending in `/`.
        case directories
        /// `**` elsewhere: anything.
        case anything
    }

    public let description: String
    let tokens: [Token]

    public init?(_ pattern: String) {
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        guard !p.isEmpty else { return nil }
        var tokens: [Token] = p.contains("/") ? [] : [.directories]
        let scalars = Array(p.unicodeScalars)
        var i = 0
        while i < scalars.count {
            switch scalars[i] {
            case "*" where i + 1 < scalars.count && scalars[i + 1] == "*":
                if i + 2 < scalars.count, scalars[i + 2] == "/" {
                    tokens.append(.directories)
                    i += 3
                } else {
                    tokens.append(.anything)
                    i += 2
                }
                continue
            case "*": tokens.append(.segmentRun)
            case "?": tokens.append(.one)
            case let s: tokens.append(.scalar(s))
            }
            i += 1
        }
        self.tokens = tokens
        description = pattern
    }

    public func matches(_ relativePath: String) -> Bool {
        let path = Array(relativePath.unicodeScalars)
        let n = path.count
        // reach[j]: the tokens so far can match exactly the first j scalars.
        var reach = [Bool](repeating: false, count: n + 1)
        reach[0] = true
        var next = reach
        for token in tokens {
            switch token {
            case .scalar(let s):
                next[0] = false
                for j in 0..<n { next[j + 1] = reach[j] && path[j] == s }
            case .one:
                next[0] = false
                for j in 0..<n { next[j + 1] = reach[j] && path[j] != "/" }
            case .segmentRun:
                next[0] = reach[0]
                for j in stride(from: 1, through: n, by: 1) { next[j] = reach[j] || (next[j - 1] && path[j - 1] != "/") }
            case .anything:
                var any = false
                for j in 0...n {
                    any = any || reach[j]
                    next[j] = any
                }
            case .directories:
                var any = false
                for j in 0...n {
                    next[j] = reach[j] || (any && path[j - 1] == "/")
                    any = any || reach[j]
                }
            }
            swap(&reach, &next)
            guard reach.contains(true) else { return false }
        }
        return reach[n]
    }
}
