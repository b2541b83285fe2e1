import RuleKit

/// Section headings out of the official order.
public struct SectionOrderRule: SwiftRule {
    public static let description = RuleDescription(
        id: "structure.section-order", name: "Section order", severity: .warning,
        summary: "部分标题没有按照统一格式的顺序排列。",
        rationale: "统一格式规定了六个部分的顺序；顺序错乱通常是复制粘贴或删改时留下的。",
        triggering: [
            Example(ExampleReport(edits: [("五、存在的主要问题及改进情况\n政策解读形式还不够丰富。\n六、其他需要报告的事项\n本年度未收取信息处理费。",
                                           "六、其他需要报告的事项\n本年度未收取信息处理费。\n↓五、存在的主要问题及改进情况\n政策解读形式还不够丰富。")])),
        ],
        passing: [Example(ExampleReport())])

    public init() {}

    public func check(_ document: Document, context: RuleContext) -> [Finding] {
        // In order already (the usual case): nothing to report, nothing to build.
        var last = 0
        var ordered = true
        for heading in document.headings where heading.section.rawValue != last {
            if heading.section.rawValue < last { ordered = false; break }
            last = heading.section.rawValue
        }
        if ordered { return [] }
        // First occurrence of each section, in document order.
        var seen = [Bool](repeating: false, count: SectionID.allCases.count + 1)
        let headings = document.headings.filter { heading in
            defer { seen[heading.section.rawValue] = true }
            return !seen[heading.section.rawValue]
        }
        let keep = Self.longestIncreasingRun(headings.map(\.section.rawValue))
        return headings.indices.filter { !keep.contains($0) }.map { i in
            let heading = headings[i]
            // The headings are distinct sections, so a heading's index is its position.
            let previous = headings.indices[..<i].last { keep.contains($0) }.map { headings[$0] }
            let message = previous.map { "部分标题“\(heading.writtenTitle)”不应排在“\($0.writtenTitle)”之后" }
                ?? "部分标题“\(heading.writtenTitle)”的位置不符合统一格式的顺序"
            return Finding(span: heading.span, message: message)
        }
    }

    /// Indices of a longest strictly increasing subsequence; on ties the earliest elements stay.
    static func longestIncreasingRun(_ values: [Int]) -> Set<Int> {
        guard !values.isEmpty else { return [] }
        var length = [Int](repeating: 1, count: values.count)
        var previous = [Int](repeating: -1, count: values.count)
        for i in values.indices {
            for j in 0..<i where values[j] < values[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1
                previous[i] = j
            }
        }
        var best = 0
        for i in values.indices where length[i] > length[best] { best = i }
        var result: Set<Int> = []
        var k = best
        while k >= 0 {
            result.insert(k)
            k = previous[k]
        }
        return result
    }
}
