/// The official table templates of both format versions (DOMAIN.md §2.2–2.4).
public enum Templates {
    // MARK: - Table 三

    public static let applicantColumns = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    public static let t3Note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

    public static let rowNew = "一、本年新收政府信息公开申请数量"
    public static let rowCarried = "二、上年结转政府信息公开申请数量"
    public static let rowResults = "三、本年度办理结果"
    public static let rowDone = "（七）总计"
    public static let rowOut = "四、结转下年度继续办理"
    public static let rowPublic = "（一）予以公开"
    public static let rowPartial = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"

    /// A data row of table 三: its key, the group it belongs to (`（三）不予公开`), and its label.
    public struct T3Row: Sendable, Hashable {
        public var key: String
        public var group: String?
        public var label: String
        /// True for the items summed into （七）总计.
        public var isResultItem: Bool
    }

    static let groups: [(String, [String])] = [
        ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                     "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]),
        ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
        ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                     "5.要求行政机关确认或重新出具已获取信息"]),
    ]
    public static let otherGroup = "（六）其他处理"
    public static let otherSubItems = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                       "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]
    public static let t3GroupLabels = ["（三）不予公开", "（四）无法提供", "（五）不予处理", otherGroup]

    /// The data rows of table 三 in template order.
    public static func t3Rows(_ format: FormatVersion) -> [T3Row] { format == .v2019 ? t3Rows2019 : t3Rows2021 }

    static func buildT3Rows(_ format: FormatVersion) -> [T3Row] {
        var rows = [T3Row(key: rowNew, group: nil, label: rowNew, isResultItem: false),
                    T3Row(key: rowCarried, group: nil, label: rowCarried, isResultItem: false),
                    T3Row(key: rowPublic, group: nil, label: rowPublic, isResultItem: true),
                    T3Row(key: "（二）部分公开", group: nil, label: rowPartial, isResultItem: true)]
        for (group, items) in groups {
            rows += items.map { T3Row(key: String(group.prefix(3)) + $0, group: group, label: $0, isResultItem: true) }
        }
        switch format {
        case .v2019:
            rows.append(T3Row(key: otherGroup, group: nil, label: otherGroup, isResultItem: true))
        case .v2021:
            rows += otherSubItems.map { T3Row(key: "（六）" + $0, group: otherGroup, label: $0, isResultItem: true) }
        }
        rows.append(T3Row(key: rowDone, group: nil, label: rowDone, isResultItem: false))
        rows.append(T3Row(key: rowOut, group: nil, label: rowOut, isResultItem: false))
        return rows
    }

    public static let t3Rows2019 = buildT3Rows(.v2019)
    public static let t3Rows2021 = buildT3Rows(.v2021)

    // MARK: - Table 四

    public static let reviewColumns = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    public static let reviewGroups = ["行政复议", "未经复议直接起诉", "复议后起诉"]
    /// Header words of table 四, used to tell header rows from the data row.
    public static let t4HeaderWords: Set<String> = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结",
                                                   "总计", "未经复议直接起诉", "复议后起诉"]

    // MARK: - Table 二

    public struct T2Block: Sendable, Hashable {
        public var title: String
        public var columns: [String]
        public var rows: [String]
    }

    public static let t2Blocks: [FormatVersion: [T2Block]] = [
        .v2019: [
            T2Block(title: "第二十条第（一）项", columns: ["本年新制作数量", "本年新公开数量", "对外公开总数量"], rows: ["规章", "规范性文件"]),
            T2Block(title: "第二十条第（五）项", columns: ["上一年项目数量", "本年增/减", "处理决定数量"], rows: ["行政许可", "其他对外管理服务事项"]),
            T2Block(title: "第二十条第（六）项", columns: ["上一年项目数量", "本年增/减", "处理决定数量"], rows: ["行政处罚", "行政强制"]),
            T2Block(title: "第二十条第（八）项", columns: ["上一年项目数量", "本年增/减"], rows: ["行政事业性收费"]),
            T2Block(title: "第二十条第（九）项", columns: ["采购项目数量", "采购总金额"], rows: ["政府集中采购"]),
        ],
        .v2021: [
            T2Block(title: "第二十条第（一）项", columns: ["本年制发件数", "本年废止件数", "现行有效件数"], rows: ["规章", "行政规范性文件"]),
            T2Block(title: "第二十条第（五）项", columns: ["本年处理决定数量"], rows: ["行政许可"]),
            T2Block(title: "第二十条第（六）项", columns: ["本年处理决定数量"], rows: ["行政处罚", "行政强制"]),
            T2Block(title: "第二十条第（八）项", columns: ["本年收费金额（单位：万元）"], rows: ["行政事业性收费"]),
        ],
    ]

    /// Columns of table 二 that are not counts of items: the signed 2019 `本年增/减` (a change, may be
    /// negative) and the money columns (2021 `本年收费金额（单位：万元）`, 2019 `采购总金额`, may be fractional).
    public static let t2NonCountColumns: Set<String> = ["本年增/减", "本年收费金额（单位：万元）", "采购总金额"]

    /// The count columns of table 二 (both versions): the template's columns less `t2NonCountColumns`.
    public static let t2CountColumns: [String] = {
        var names: [String] = []
        for format in [FormatVersion.v2019, .v2021] {
            for block in t2Blocks[format]! {
                for column in block.columns where !t2NonCountColumns.contains(column) && !names.contains(column) { names.append(column) }
            }
        }
        return names
    }()

    /// Whether `column` is a count column of table 二 (compared byte for byte: column names are template literals).
    public static func isTable2CountColumn(_ column: String) -> Bool { t2CountColumns.contains { sameBytes($0, column) } }

    /// Column headers only the 2019 format has, and only the 2021 format has (DOMAIN.md §0).
    public static let t2Markers2019: Set<String> = ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                                                    "处理决定数量", "采购项目数量", "采购总金额", "第二十条第（九）项"]
    public static let t2Markers2021: Set<String> = ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
                                                    "本年收费金额（单位：万元）"]
}
