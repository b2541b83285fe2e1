/// Builds complete example reports for rule examples, in the layout of a PDF text layer (a row
/// label and its numbers on one line), so that an example stays short enough to read in
/// `reportlint explain`. Unchanged parts follow the official template and are clean: no built-in
/// rule reports on the report as built (a department's; a government's lacks section 一's 考核、评议、追究).
public struct ExampleReport: Sendable {
    public var year: Int
    public var format: FormatVersion
    public var issuer: String
    /// Table 三 cells by row key (`Templates.rowNew`, `（三）1.属于国家秘密`…), seven strings each.
    public var table3: [String: [String]]
    /// Table 四's fifteen cells.
    public var table4: [String]
    /// Literal replacements applied to the finished text, in order.
    public var edits: [(String, String)]

    public init(year: Int = 2023, format: FormatVersion? = nil, issuer: String = "某市统计局",
                table3: [String: [String]] = [:], table4: [String]? = nil, edits: [(String, String)] = []) {
        self.year = year
        self.format = format ?? FormatVersion.required(forReportYear: year)
        self.issuer = issuer
        self.table3 = table3
        self.table4 = table4 ?? Array(repeating: "0", count: 15)
        self.edits = edits
    }

    public var text: String { rendered.text }

    /// The finished text, and the `from` side of each edit that was not found in the text it was
    /// applied to (an edit that changes nothing makes an example that can pass by accident).
    public var rendered: (text: String, unmatched: [String]) {
        var lines: [String] = [
            "\(year)年\(issuer)政府信息公开工作年度报告",
            "本报告所列数据统计期限为\(year)年1月1日至\(year)年12月31日。如有疑问请联系本局办公室（联系电话：0731-5676811；邮政编码：410000）。",
            "一、总体情况",
            "本年度，本局认真贯彻落实《中华人民共和国政府信息公开条例》。",
            "二、主动公开政府信息情况",
        ]
        for block in Templates.t2Blocks[format]! {
            lines.append(block.title)
            lines.append((["信息内容"] + block.columns).joined(separator: " "))
            for row in block.rows { lines.append(([row] + block.columns.map { _ in "0" }).joined(separator: " ")) }
        }
        lines += ["三、收到和处理政府信息公开申请情况", Templates.t3Note, "申请人情况"]
        for row in Templates.t3Rows(format) {
            let values = table3[row.key] ?? Array(repeating: "0", count: 7)
            lines.append(([row.label] + values).joined(separator: " "))
        }
        lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", table4.joined(separator: " ")]
        // Section 六 of a 2021+ report states the 信息处理费 (content.fee-statement); before, 无 says all.
        lines += ["五、存在的主要问题及改进情况", "政策解读形式还不够丰富。", "六、其他需要报告的事项", year >= 2021 ? Self.feeStatement : "无。",
                  issuer, "\(year + 1)年1月20日"]
        var text = lines.joined(separator: "\n") + "\n"
        var unmatched: [String] = []
        for (from, to) in edits {
            if !from.isEmpty, let range = text.firstRange(of: from) { text.replaceSubrange(range, with: to) } else { unmatched.append(from) }
        }
        return (text, unmatched)
    }

    /// The body of section 六 in a report on 2021 or later.
    public static let feeStatement = "本年度未收取信息处理费。"

    /// Seven cells of a table 三 row, `总计` computed when left out.
    public static func row(_ values: Int...) -> [String] {
        let cells = values.map(String.init)
        return cells.count == 6 ? cells + [String(values.reduce(0, +))] : cells
    }
}
