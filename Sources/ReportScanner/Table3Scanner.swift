import ReportModel

/// Maps table 三 (收到和处理政府信息公开申请情况) onto the template of either format version.
enum Table3Scanner {
    enum LabelMatch: Equatable {
        case row(String)
        case group(String)
        case resultsHeader
    }

    static let fixed: [[UInt8]: LabelMatch] = {
        var map: [[UInt8]: LabelMatch] = [:]
        for row in Templates.t3Rows2021 where row.group == nil { map[Label.bytes(row.label)] = .row(row.key) }
        map[Label.bytes("（二）部分公开")] = .row("（二）部分公开")
        map[Label.bytes(Templates.rowResults)] = .resultsHeader
        for group in Templates.t3GroupLabels { map[Label.bytes(group)] = .group(group) }
        return map
    }()

    /// Fixed labels as (normalized, match), for the tolerant fallback.
    static let fixedList: [(String, LabelMatch)] = fixed.map { (String(decoding: $0.key, as: UTF8.self), $0.value) }.sorted { $0.0 < $1.0 }

    /// Exact sub-item labels (no two groups share one).
    static let exactSubItems: [[UInt8]: String] = {
        var map: [[UInt8]: String] = [:]
        for row in Templates.t3Rows2021 + Templates.t3Rows2019 where row.group != nil { map[Label.bytes(row.label)] = row.key }
        return map
    }()

    /// Sub-items by group, as (normalized label, key).
    static let subItems: [String: [(String, String)]] = {
        var map: [String: [(String, String)]] = [:]
        for row in Templates.t3Rows2021 + Templates.t3Rows2019 {
            guard let group = row.group else { continue }
            if map[group, default: []].contains(where: { $0.1 == row.key }) { continue }
            map[group, default: []].append((Label.normalize(row.label), row.key))
        }
        return map
    }()

    static let headerWords: Set<[UInt8]> = Set((["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                                                 "其他", "总计"]).map(Label.bytes))
    static let partialPrefix = Label.bytes("（二）部分公开")
    static let note = Array("勾稽关系".utf8)

    /// Tolerant match of one label against the template, using the current group for sub-items.
    static func match(_ text: String, group: String?) -> LabelMatch? { match(bytes: Label.bytes(text), group: group) }

    static func match(bytes n: [UInt8], group: String?) -> LabelMatch? {
        if n.isEmpty { return nil }
        if let hit = fixed[n] { return hit }
        if let key = exactSubItems[n] { return .row(key) }
        if n.starts(with: partialPrefix) { return .row("（二）部分公开") }
        if headerWords.contains(n) || Label.contains(n, note) || n.count < 6 { return nil }
        let normalized = String(decoding: n, as: UTF8.self)
        let scalars = Array(normalized.unicodeScalars)
        // Numbered sub-item: "1属于国家秘密" (punctuation already dropped).
        if let first = scalars.first, let digit = CharClass.digit(first), scalars.count > 1, CharClass.digit(scalars[1]) == nil {
            let groups = group.map { [$0] } ?? Templates.t3GroupLabels
            var best: (Double, String)?
            for g in groups {
                for (label, key) in subItems[g] ?? [] where label.unicodeScalars.first.flatMap(CharClass.digit) == digit {
                    let score = Label.similarity(normalized, label)
                    if score >= 0.6, score > (best?.0 ?? 0) { best = (score, key) }
                }
            }
            return best.map { .row($0.1) }
        }
        var best: (Double, LabelMatch)?
        for (label, hit) in fixedList {
            let score = Label.similarity(normalized, label)
            if score >= 0.75, score > (best?.0 ?? 0) { best = (score, hit) }
        }
        return best?.1
    }

    // MARK: - Template layout

    static func scanCells(_ rows: [RawRow], firstCell: SourceSpan) -> Result<Table, TableProblem> {
        var group: String?
        var found: [TableRow] = []
        var seen: Set<String> = []
        var noteSpan: SourceSpan?
        for row in rows {
            let cells = row.cells
            var last: (Int, LabelMatch)?
            var isHeader = false
            for (i, cell) in cells.enumerated() where !cell.isEmpty {
                // Counts and ASCII placeholders are never labels.
                if cell.text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E || $0 == 0x2C || $0 == 0x2F || $0 == 0x20 }) { continue }
                let n = Label.bytes(cell.text)
                if headerWords.contains(n) || Label.contains(n, note) {
                    isHeader = true
                    if noteSpan == nil, Label.contains(n, note) { noteSpan = cell.span }
                    continue
                }
                guard let hit = match(bytes: n, group: group) else { continue }
                last = (i, hit)
                if case .group(let g) = hit { group = g }
            }
            guard let (index, hit) = last else {
                // No template label: a data row with a label of its own is an unknown row.
                if !isHeader, cells.count >= 8, let label = cells[..<(cells.count - 7)].last(where: { !$0.isEmpty }),
                   CellParser.number(label.text) == nil {
                    let values = cells.suffix(7)
                    found.append(TableRow(key: nil, label: label.text, labelSpan: label.span,
                                          cells: zip(Templates.applicantColumns, values).map { TableText.cell($0, $1) }))
                }
                continue
            }
            let values = Array(cells[(index + 1)...])
            let label = cells[index]
            switch hit {
            case .row(let key):
                if [Templates.rowNew, Templates.rowCarried, Templates.rowDone, Templates.rowOut, Templates.rowPublic, "（二）部分公开"].contains(key) {
                    group = nil
                }
                guard values.count == 7 else {
                    return .failure(TableProblem(table: .three, reason: "“\(label.text)”一行有 \(values.count) 个数据单元格，模板为 7 个，无法确定各单元格所属的列",
                                                 span: label.span))
                }
                if seen.insert(key).inserted {
                    found.append(TableRow(key: key, label: label.text, labelSpan: label.span,
                                          cells: zip(Templates.applicantColumns, values).map { TableText.cell($0, $1) }))
                }
            case .group(let g):
                if values.isEmpty { continue }
                if g == Templates.otherGroup, values.count == 7, !seen.contains(g) {
                    seen.insert(g)
                    found.append(TableRow(key: g, label: label.text, labelSpan: label.span,
                                          cells: zip(Templates.applicantColumns, values).map { TableText.cell($0, $1) }))
                } else if values.count == 7 {
                    found.append(TableRow(key: nil, label: label.text, labelSpan: label.span,
                                          cells: zip(Templates.applicantColumns, values).map { TableText.cell($0, $1) }))
                }
            case .resultsHeader:
                if values.count == 7 {
                    found.append(TableRow(key: nil, label: label.text, labelSpan: label.span,
                                          cells: zip(Templates.applicantColumns, values).map { TableText.cell($0, $1) }))
                }
            }
        }
        return finish(found, seen: seen, layout: .cellPerLine, firstCell: noteSpan ?? firstCell)
    }

    static func finish(_ rows: [TableRow], seen: Set<String>, layout: TableLayout, firstCell: SourceSpan) -> Result<Table, TableProblem> {
        let has2021 = Templates.t3Rows2021.contains { $0.group == Templates.otherGroup && seen.contains($0.key) }
        let has2019 = seen.contains(Templates.otherGroup)
        if seen.isEmpty {
            return .failure(TableProblem(table: .three, reason: "没有一行能与表三模板的行对应", span: firstCell))
        }
        let format: FormatVersion = has2021 || !has2019 ? .v2021 : .v2019
        let template = Templates.t3Rows(format)
        let missing = seen.count >= template.count && !(has2019 && has2021) ? [] : template.filter { !seen.contains($0.key) }
        if missing.count > 0 {
            let names = missing.prefix(4).map(\.label).joined(separator: "、")
            return .failure(TableProblem(table: .three, reason: "缺少 \(missing.count) 个模板行（\(names)\(missing.count > 4 ? "等" : "")）",
                                         span: firstCell))
        }
        return .success(Table(id: .three, format: format, layout: layout, firstCellSpan: firstCell, rows: rows))
    }

    // MARK: - PDF text layer

    /// Rows are matched by order: the text layer keeps the template's row order even when a wrapped
    /// label prints before or after its numbers, so each run of seven numbers is the next data row.
    static func scanTextLayer(_ lines: ArraySlice<LineInfo>, source: SourceText, firstCell: SourceSpan) -> Result<Table, TableProblem> {
        var valueRows: [(tokens: [Token], label: [Token], line: Int)] = []
        var noteSpan: SourceSpan?
        var sawSubItemsOfOther = false
        for line in lines where !line.isBlank {
            let tokens = TableText.tokens(line, source: source)
            if noteSpan == nil, source.text(line.trimmed).contains("勾稽关系") { noteSpan = line.trimmed }
            let n = TableText.trailingValues(tokens)
            let label = Array(tokens.dropLast(n))
            let labelText = Label.normalize(label.map(\.text).joined())
            if labelText.contains("逾期不补正") || labelText.contains("逾期未按收费通知") { sawSubItemsOfOther = true }
            if n == 0 { continue }
            if n != 7 {
                return .failure(TableProblem(table: .three, reason: "第 \(line.number) 行有 \(n) 个数值，表三每行应为 7 个，单元格可能粘连或缺失，无法还原",
                                             span: line.trimmed))
            }
            valueRows.append((Array(tokens.suffix(7)), label, line.number))
        }
        let format: FormatVersion
        switch valueRows.count {
        case Templates.t3Rows2019.count where !sawSubItemsOfOther: format = .v2019
        case Templates.t3Rows2021.count: format = .v2021
        default:
            return .failure(TableProblem(table: .three, reason: "识别出 \(valueRows.count) 行数据，与模板的 \(Templates.t3Rows2019.count) 行（2019 版）或 \(Templates.t3Rows2021.count) 行（2021 版）都不符",
                                         span: noteSpan ?? firstCell))
        }
        var rows: [TableRow] = []
        var seen: Set<String> = []
        for (template, values) in zip(Templates.t3Rows(format), valueRows) {
            let labelTokens = values.label
            let labelSpan = labelTokens.isEmpty ? nil : labelTokens.first!.span.union(labelTokens.last!.span)
            rows.append(TableRow(key: template.key, label: template.label, labelSpan: labelSpan,
                                 cells: zip(Templates.applicantColumns, values.tokens).map { TableText.cell($0, $1) }))
            seen.insert(template.key)
        }
        return finish(rows, seen: seen, layout: .textLayer, firstCell: noteSpan ?? firstCell)
    }
}
