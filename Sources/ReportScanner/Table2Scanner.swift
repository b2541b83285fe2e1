import ReportModel

/// Maps table 二 (主动公开政府信息情况) onto the blocks of either format version.
enum Table2Scanner {
    /// The blocks' ordinals (`第二十条第（一）项`…); a block is known by its index here.
    static let ordinals = ["一", "五", "六", "八", "九"]
    static let ordinalMarks: [([UInt8], [UInt8])] = ordinals.map { (Array(("(" + $0 + ")").utf8), Array(("第" + $0 + "项").utf8)) }
    static let ninth = ordinals.firstIndex(of: "九")!

    /// Block index from a normalized title such as `第二十条第(一)项`.
    static func blockOrdinal(_ normalized: [UInt8]) -> Int? {
        ordinalMarks.firstIndex { paren, item in Label.contains(normalized, paren) || Label.contains(normalized, item) }
    }

    static let article20 = Array("第二十条".utf8)
    /// Header names that only one version has, by bytes (hashing Chinese `String`s is slow).
    static let markers = ByteKeyTable<FormatVersion>(Templates.t2Markers2019.map { (Array($0.utf8), .v2019) }
                                                     + Templates.t2Markers2021.map { (Array($0.utf8), .v2021) })
    static func marker(_ name: String) -> FormatVersion? {
        var name = name
        return name.withUTF8 { markers[$0] }
    }
    static let contentHeader = Array("信息内容".utf8)
    /// Column headers written otherwise than the template, with the template's name (2025 reports: `现行有效件`).
    static let columnVariants: [String: String] = ["现行有效件": "现行有效件数"]

    static func block(_ ordinal: String, _ format: FormatVersion) -> Templates.T2Block? {
        Templates.t2Blocks[format]?.first { $0.title.contains("（" + ordinal + "）") }
    }

    /// A template row of table 二: its normalized label, its key, and the version only it belongs to.
    struct KnownRow: Sendable {
        var label: [UInt8]
        var key: String
        var marks: FormatVersion?
    }

    /// Row labels of each block, both versions, normalized once.
    static let rowsByOrdinal: [[KnownRow]] = {
        // Rows whose name is itself a version marker (规范性文件 was renamed 行政规范性文件 in 2021).
        let marks: [String: FormatVersion] = ["规范性文件": .v2019, "其他对外管理服务事项": .v2019, "政府集中采购": .v2019, "行政规范性文件": .v2021]
        return ordinals.map { ordinal in
            var known: [KnownRow] = []
            for format in [FormatVersion.v2021, .v2019] {
                guard let block = block(ordinal, format) else { continue }
                known += block.rows.map { KnownRow(label: Label.bytes($0), key: block.title + "/" + $0, marks: marks[$0]) }
            }
            return known
        }
    }()

    struct Builder {
        var rows: [TableRow] = []
        var markers2019 = 0
        var markers2021 = 0
        var ordinal: Int?
        var columns: [String] = []
        /// Rows left out because their cells ran together: label, span and the run.
        var unreadRows: [(label: String, span: SourceSpan, run: String, columns: Int)] = []

        /// One problem for all the rows left out (one finding per table, naming each row).
        var unreadProblem: TableProblem? {
            guard let first = unreadRows.first else { return nil }
            let rows = unreadRows.map { "“\($0.label)”（应有 \($0.columns) 个单元格，只有连在一起的“\($0.run)”）" }.joined(separator: "、")
            let which = unreadRows.count > 1 ? "这些行" : "该行"
            return TableProblem(table: .two, reason: "\(rows)：各列的数字连在一起（或有空白单元格），无法确定各列的值，\(which)未读取", span: first.span)
        }

        mutating func title(_ normalized: [UInt8]) {
            ordinal = blockOrdinal(normalized)
            if ordinal == Table2Scanner.ninth { markers2019 += 1 }
            columns = []
        }

        mutating func header(_ names: [String]) {
            // A province may annotate a header in brackets (湖北 2020: `上一年项目数量(指2019年事项数)`).
            columns = names.map { name in
                if let official = Table2Scanner.columnVariants[name] { return official }
                if Table2Scanner.marker(name) != nil || name.utf8.last != 0x29 && name.utf8.last != 0x89 { return name }
                let bare = Table2Scanner.withoutAnnotation(name)
                return Table2Scanner.marker(bare) != nil ? bare : name
            }
            for name in columns {
                switch Table2Scanner.marker(name) {
                case .v2019?: markers2019 += 1
                case .v2021?: markers2021 += 1
                case nil: break
                }
            }
        }

        /// A data row; `normalized` is `Label.bytes(label)`, which the caller has at hand.
        mutating func data(label: String, normalized n: [UInt8], labelSpan: SourceSpan, cells: [Cell]) {
            var known: KnownRow?
            if let ordinal {
                let candidates = Table2Scanner.rowsByOrdinal[ordinal]
                known = candidates.first { $0.label == n }
                if known == nil {
                    let bare = Label.bytes(Table2Scanner.withoutAnnotation(label))
                    known = candidates.first { $0.label == bare }
                }
            }
            switch known?.marks {
            case .v2019?: markers2019 += 1
            case .v2021?: markers2021 += 1
            case nil: break
            }
            // `规章 15621` under three columns: one run of digits where the row has several cells. Read
            // as one number it would be wrong, and split it would be a guess: the row is reported instead.
            if known != nil, columns.count >= 2, cells.count == 1, let only = cells.first, case .number = only.value,
               only.raw.unicodeScalars.count >= 2, only.raw.unicodeScalars.allSatisfy({ CharClass.digit($0) != nil }) {
                unreadRows.append((label, labelSpan, only.raw, columns.count))
                return
            }
            rows.append(TableRow(key: known?.key, label: label, labelSpan: labelSpan, cells: cells))
        }

        func table(layout: TableLayout, firstCell: SourceSpan) -> Result<Table, TableProblem> {
            if rows.isEmpty {
                return .failure(TableProblem(table: .two, reason: "表二没有可识别的数据行", span: firstCell))
            }
            let format: FormatVersion? = markers2019 > markers2021 ? .v2019 : markers2021 > markers2019 ? .v2021 : nil
            return .success(Table(id: .two, format: format, layout: layout, firstCellSpan: firstCell, rows: rows))
        }
    }

    /// The label without a trailing bracketed note: `规章(设区的市、自治州人民政府应提供相关数据)` → `规章`.
    static func withoutAnnotation(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard let last = scalars.last, last == ")" || last == "）" else { return text }
        var depth = 0
        for i in stride(from: scalars.count - 1, through: 0, by: -1) {
            if scalars[i] == ")" || scalars[i] == "）" { depth += 1 }
            if scalars[i] == "(" || scalars[i] == "（" {
                depth -= 1
                if depth == 0 {
                    guard i > 0 else { return text }
                    return String(String.UnicodeScalarView(scalars[..<i]))
                }
            }
        }
        return text
    }

    static func normalizedHeader(_ text: String) -> String {
        // Keep the official spelling of header names for marker lookup: drop spaces (most have none).
        guard text.unicodeScalars.contains(where: CharClass.isSpace) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars where !CharClass.isSpace(s) { out.append(s) }
        return String(out)
    }

    static func scanCells(_ rows: [RawRow], firstCell: SourceSpan, unreadRows: inout TableProblem?) -> Result<Table, TableProblem> {
        var builder = Builder()
        defer { unreadRows = builder.unreadProblem }
        var first: SourceSpan?
        for row in rows {
            let cells = row.cells
            guard let labelIndex = cells.firstIndex(where: { !$0.isEmpty }) else { continue }
            let label = cells[labelIndex]
            let bytes = label.template >= 0 ? TemplateTexts.normalized[Int(label.template)] : Label.bytes(label.text)
            if Label.contains(bytes, Table2Scanner.article20) {
                if first == nil { first = label.span }
                builder.title(bytes)
            } else if bytes == Table2Scanner.contentHeader {
                builder.header(cells[(labelIndex + 1)...].map { normalizedHeader($0.text) })
            } else {
                let values = cells[(labelIndex + 1)...]
                let columns = builder.columns
                var parsed: [Cell] = []
                parsed.reserveCapacity(values.count)
                values.withUnsafeBufferPointer { values in
                    for k in values.indices {
                        parsed.append(TableText.cell(k < columns.count ? columns[k] : "第\(k + 1)列", values.baseAddress! + k))
                    }
                }
                builder.data(label: label.text, normalized: bytes, labelSpan: label.span, cells: parsed)
            }
        }
        return builder.table(layout: .cellPerLine, firstCell: first ?? firstCell)
    }

    static func scanTextLayer(_ lines: ArraySlice<LineInfo>, source: SourceText, firstCell: SourceSpan, unreadRows: inout TableProblem?) -> Result<Table, TableProblem> {
        var builder = Builder()
        defer { unreadRows = builder.unreadProblem }
        var first: SourceSpan?
        for line in lines where !line.isBlank {
            let tokens = TableText.tokens(line, source: source)
            guard !tokens.isEmpty else { continue }
            let joined = Label.bytes(tokens.map(\.text).joined())
            if Label.contains(joined, article20) {
                if first == nil { first = tokens.first!.span.union(tokens.last!.span) }
                builder.title(joined)
            } else if Label.normalize(tokens[0].text) == "信息内容" {
                builder.header(tokens.dropFirst().map { normalizedHeader($0.text) })
            } else {
                let n = TableText.trailingValues(tokens)
                guard n > 0, n < tokens.count else { continue }
                let labelTokens = tokens.dropLast(n)
                let columns = builder.columns
                let cells = tokens.suffix(n).enumerated().map { i, token in
                    TableText.cell(i < columns.count ? columns[i] : "第\(i + 1)列", token)
                }
                let label = labelTokens.map(\.text).joined()
                builder.data(label: label, normalized: Label.bytes(label), labelSpan: labelTokens.first!.span.union(labelTokens.last!.span),
                             cells: cells)
            }
        }
        return builder.table(layout: .textLayer, firstCell: first ?? firstCell)
    }
}

/// Maps table 四 (行政复议、行政诉讼) onto its 15 columns.
enum Table4Scanner {
    static func groupRows(_ cells: [Cell]) -> [TableRow] {
        Templates.reviewGroups.enumerated().map { g, group in
            TableRow(key: group, label: group, labelSpan: nil, cells: Array(cells[(g * 5)..<(g * 5 + 5)]))
        }
    }

    static func named(_ values: [(String, SourceSpan, CellValue?)]) -> [Cell] {
        values.enumerated().map { i, v in
            Cell(column: Templates.reviewColumns[i % 5], value: v.2 ?? CellParser.parse(v.0), raw: v.0, span: v.1)
        }
    }

    /// Header words as normalized bytes (hashing Chinese `String`s is slow).
    static let headerWords = Set(Templates.t4HeaderWords.map(Label.bytes))

    static func scanCells(_ rows: [RawRow], firstCell: SourceSpan) -> Result<Table, TableProblem> {
        for row in rows where row.cells.count == 15 {
            if row.cells.contains(where: { !$0.isCountLike && headerWords.contains(Label.bytes($0.text)) }) { continue }
            let cells = named(row.cells.map { ($0.text, $0.span, $0.number.map(CellValue.number)) })
            return .success(Table(id: .four, format: nil, layout: .cellPerLine, firstCellSpan: firstCell, rows: groupRows(cells)))
        }
        let widths = rows.map { String($0.cells.count) }.joined(separator: "、")
        return .failure(TableProblem(table: .four, reason: "没有一行恰好有 15 个数据单元格（各行单元格数：\(widths)）", span: firstCell))
    }

    /// Header words as printed (a wrapped word's first line).
    static let headerPrefixes = ["结果维", "结果纠", "其他结", "尚未审", "总计"]

    static func scanTextLayer(_ lines: ArraySlice<LineInfo>, source: SourceText, firstCell: SourceSpan) -> Result<Table, TableProblem> {
        var values: [(String, SourceSpan, CellValue?)] = []
        var valueLines: [TextLayerGrid.Line] = []
        var header: [Int] = []  // centres of the header's words, as the grid of a row with blank cells
        var lastHeaderLine: LineInfo?
        for var line in TextLayerGrid.lines(lines, source: source, cells: 15) {
            var tokens = line.tokens
            // `- 2 - 1 3 - …`: a row that starts with a placeholder, a number and a placeholder is
            // read whole when only so it gives the fifteen cells (else `- 2 -` is a page footer).
            if values.count + tokens.count < 15, case let whole = TableText.tokens(line.info, source: source, keepingFooter: true),
               whole.count > tokens.count, values.count + whole.count == 15 {
                tokens = whole
                line.tokens = whole
                line.valueCount = TableText.trailingValues(whole)
            }
            guard tokens.allSatisfy({ $0.value != nil }) else {
                if !values.isEmpty { break }
                for token in tokens where headerPrefixes.contains(where: { token.text.hasPrefix($0) }) {
                    header.append(TextLayerGrid.center(token, in: line.info, source: source))
                    lastHeaderLine = line.info
                }
                continue
            }
            values += tokens.map { ($0.text, $0.span, $0.value) }
            valueLines.append(line)
            if values.count >= 15 { break }
        }
        header.sort()
        if values.count < 15, header.count == 15, zip(header, header.dropFirst()).allSatisfy({ $0 < $1 }) {
            let grid = TextLayerGrid(centers: header)
            let columns = (0..<15).map { Templates.reviewColumns[$0 % 5] }
            if valueLines.isEmpty, let last = lastHeaderLine {
                // A header and no number under it: the one data row is all blank cells.
                let cells = columns.map { Cell(column: $0, value: .blank, raw: "", span: .empty(at: last.span.end)) }
                return .success(Table(id: .four, format: nil, layout: .textLayer, firstCellSpan: firstCell, rows: groupRows(cells)))
            }
            if valueLines.count == 1, let line = valueLines.first,
               let cells = grid.cells(line.values, in: line.info, source: source, columns: columns) {
                return .success(Table(id: .four, format: nil, layout: .textLayer, firstCellSpan: firstCell, rows: groupRows(cells)))
            }
        }
        guard values.count == 15 else {
            return .failure(TableProblem(table: .four, reason: "识别出 \(values.count) 个数值，表四应为 15 个，单元格可能粘连或缺失，无法还原", span: firstCell))
        }
        return .success(Table(id: .four, format: nil, layout: .textLayer, firstCellSpan: firstCell, rows: groupRows(named(values))))
    }
}
