import RuleKit
import Yams
import YAMLFiles

/// Row and column names of the templates, for validating what a YAML rule names.
enum TableNames {
    static func table(_ r: NodeReader, _ node: Node) throws -> TableID {
        try r.oneOf(node, ["二": TableID.two, "三": .three, "四": .four, "表二": .two, "表三": .three, "表四": .four])
    }

    /// Row keys by table; rows of table 三 may be named by key or by their full label.
    static func rows(_ table: TableID) -> [String: String] {
        switch table {
        case .two: rowsOfTwo
        case .three: rowsOfThree
        case .four: rowsOfFour
        }
    }

    // Built once: every cell a rule names looked its table's rows up, rebuilding the map each time.
    static let rowsOfTwo = buildRows(.two)
    static let rowsOfThree = buildRows(.three)
    static let rowsOfFour = buildRows(.four)

    static func buildRows(_ table: TableID) -> [String: String] {
        var map: [String: String] = [:]
        switch table {
        case .three:
            for row in Templates.t3Rows2019 + Templates.t3Rows2021 {
                map[row.key] = row.key
                if row.group == nil { map[row.label] = row.key }
            }
            map["一"] = Templates.rowNew
            map["二"] = Templates.rowCarried
            map["四"] = Templates.rowOut
        case .four:
            for g in Templates.reviewGroups { map[g] = g }
        case .two:
            // By key (`第二十条第（一）项/规章`), and by the row's name alone: each name stands in one block only.
            for blocks in Templates.t2Blocks.values {
                for block in blocks {
                    for row in block.rows {
                        map[block.title + "/" + row] = block.title + "/" + row
                        map[row] = block.title + "/" + row
                    }
                }
            }
        }
        return map
    }

    static func columns(_ table: TableID) -> Set<String> {
        switch table {
        case .two: columnsOfTwo
        case .three: columnsOfThree
        case .four: columnsOfFour
        }
    }

    static let columnsOfTwo = buildColumns(.two)
    static let columnsOfThree = buildColumns(.three)
    static let columnsOfFour = buildColumns(.four)

    static func buildColumns(_ table: TableID) -> Set<String> {
        switch table {
        case .three: Set(Templates.applicantColumns)
        case .four: Set(Templates.reviewColumns)
        case .two: Set(Templates.t2Blocks.values.flatMap { $0.flatMap(\.columns) })
        }
    }

    static func row(_ r: NodeReader, _ node: Node, in table: TableID) throws -> String {
        let name = try r.string(node)
        guard let key = rows(table)[name] else {
            throw r.error("表\(table.rawValue)中没有名为“\(name)”的行（例如：\(rows(table).keys.sorted().prefix(3).joined(separator: "、"))）", at: node)
        }
        return key
    }

    static func column(_ r: NodeReader, _ node: Node, in table: TableID) throws -> String {
        let name = try r.string(node)
        guard columns(table).contains(name) else {
            throw r.error("表\(table.rawValue)中没有名为“\(name)”的列（可用：\(columns(table).sorted().joined(separator: "、"))）", at: node)
        }
        return name
    }
}
