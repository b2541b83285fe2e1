import ReportModel

/// Maps table 三 (收到和处理政府信息公开申请情况) onto the template of either format version.
enum Table3Scanner {
    /// Row keys are tracked by their index in `keys` (a slot): hashing or comparing Chinese
    /// `String`s normalizes them, which cost more than the rest of the table scan.
    enum LabelMatch: Equatable {
        case row(Int)
        case group(Int)
        case resultsHeader
    }

    /// Every row key of both versions, and the 2019 single row （六）其他处理.
    static let keys: [String] = {
        var keys: [String] = []
        for row in Templates.t3Rows2021 + Templates.t3Rows2019 where !keys.contains(row.key) { keys.append(row.key) }
        return keys
    }()
    static func slot(_ key: String) -> Int { keys.firstIndex(of: key)! }
    static let partialSlot = slot("（二）部分公开")
    static let otherSlot = slot(Templates.otherGroup)
    static let otherGroupIndex = Templates.t3GroupLabels.firstIndex(of: Templates.otherGroup)!
    /// Rows that close a group of sub-items.
    static let closesGroup: [Bool] = {
        let closing = [Templates.rowNew, Templates.rowCarried, Templates.rowDone, Templates.rowOut, Templates.rowPublic, "（二）部分公开"]
        return keys.map(closing.contains)
    }()
    static let slots2019 = Templates.t3Rows2019.map { slot($0.key) }
    static let slots2021 = Templates.t3Rows2021.map { slot($0.key) }
    /// The 2021 sub-items of （六）其他处理: seeing one means the 2021 format.
    static let otherSubItemSlots2021 = Templates.t3Rows2021.filter { $0.group == Templates.otherGroup }.map { slot($0.key) }

    /// What a normalized cell text is, exactly; one lookup per label cell.
    enum Exact {
        case match(LabelMatch)
        case header
    }

    /// The template's texts as written; later entries win (a template row's label over a header word).
    static let exactTexts: [(String, Exact)] =
        ["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"].map { ($0, .header) }
        + (Templates.t3Rows2021 + Templates.t3Rows2019).filter { $0.group != nil }.map { ($0.label, .match(.row(slot($0.key)))) }
        + Templates.t3Rows2021.filter { $0.group == nil }.map { ($0.label, .match(.row(slot($0.key)))) }
        + [("（二）部分公开", .match(.row(partialSlot))), (Templates.rowResults, .match(.resultsHeader))]
        + Templates.t3GroupLabels.enumerated().map { ($0.element, .match(.group($0.offset))) }
    /// By normalized label.
    static let exact = ByteKeyTable<Exact>(exactTexts.map { (Label.bytes($0.0), $0.1) })
    /// By the template's own spelling, tried first: most reports copy it, and the lookup then
    /// skips normalizing the cell. Each value is what the normalized lookup gives.
    static let exactAsWritten = ByteKeyTable<Exact>(exactTexts.map { (Array($0.0.utf8), exact[Label.bytes($0.0)]!) })

    /// `exactAsWritten` by template text index (`TemplateTexts`), for cells that carry one.
    static let exactByTemplate: [Exact?] = TemplateTexts.all.map { exactAsWritten[Array($0.utf8)] }

    /// Labels without sub-items, as (normalized, match), for the tolerant fallback.
    static let fixedList: [(String, LabelMatch)] = {
        var list: [(String, LabelMatch)] = Templates.t3Rows2021.filter { $0.group == nil }.map { (Label.normalize($0.label), .row(slot($0.key))) }
        list.append((Label.normalize("（二）部分公开"), .row(partialSlot)))
        list.append((Label.normalize(Templates.rowResults), .resultsHeader))
        list += Templates.t3GroupLabels.enumerated().map { (Label.normalize($0.element), .group($0.offset)) }
        return list.sorted { $0.0 < $1.0 }
    }()

    /// Sub-items by group index, as (normalized label, slot).
    static let subItems: [[(String, Int)]] = Templates.t3GroupLabels.map { group in
        var items: [(String, Int)] = []
        for row in Templates.t3Rows2021 + Templates.t3Rows2019 where row.group == group {
            let s = slot(row.key)
            if !items.contains(where: { $0.1 == s }) { items.append((Label.normalize(row.label), s)) }
        }
        return items
    }

    static let partialPrefix = Label.bytes("（二）部分公开")
    static let note = Array("勾稽关系".utf8)

    /// Tolerant match of one label against the template, using the current group for sub-items.
    static func match(_ text: String, group: Int?) -> LabelMatch? {
        let n = Label.bytes(text)
        switch exact[n] {
        case .match(let hit)?: return hit
        case .header?: return nil
        case nil: return fuzzyMatch(bytes: n, group: group)
        }
    }

    /// The fallback for labels that are not spelled as in the template.
    static func fuzzyMatch(bytes n: [UInt8], group: Int?) -> LabelMatch? {
        if n.isEmpty { return nil }
        if n.starts(with: partialPrefix) { return .row(partialSlot) }
        if Label.contains(n, note) || n.count < 6 { return nil }
        let normalized = String(decoding: n, as: UTF8.self)
        let scalars = Array(normalized.unicodeScalars)
        // Numbered sub-item: "1属于国家秘密" (punctuation already dropped).
        if let first = scalars.first, let digit = CharClass.digit(first), scalars.count > 1, CharClass.digit(scalars[1]) == nil {
            let groups = group.map { [$0] } ?? Array(Templates.t3GroupLabels.indices)
            var best: (Double, Int)?
            for g in groups {
                for (label, slot) in subItems[g] where label.unicodeScalars.first.flatMap(CharClass.digit) == digit {
                    // A label wrapped in its cell may come as its first line only.
                    let score = scalars.count >= 8 && label.hasPrefix(normalized) ? 1 : Label.similarity(normalized, label)
                    if score >= 0.6, score > (best?.0 ?? 0) { best = (score, slot) }
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
        var group: Int?
        var found: [TableRow] = []
        var seen = [Bool](repeating: false, count: keys.count)
        var noteSpan: SourceSpan?
        var n: [UInt8] = []  // the normalized label, reused from cell to cell
        n.reserveCapacity(256)
        // Statics read once, not once per cell.
        let exactByTemplate = Self.exactByTemplate, exact = Self.exact, closesGroup = Self.closesGroup, columns = Templates.applicantColumns
        func dataRow(_ key: String?, _ label: RawCell, _ values: ArraySlice<RawCell>) -> TableRow {
            // A plain loop: mapping over a zip of the columns and the cells cost several hundred instructions a cell.
            var cells: [Cell] = []
            cells.reserveCapacity(columns.count)
            values.withUnsafeBufferPointer { values in
                for i in 0..<min(values.count, columns.count) { cells.append(TableText.cell(columns[i], values.baseAddress! + i)) }
            }
            return TableRow(key: key, label: label.text, labelSpan: label.span, cells: cells)
        }
        for row in rows {
            let cells = row.cells
            var last: (Int, LabelMatch)?
            var isHeader = false
            // Through a pointer: reading a field of `cells[i]` copied the whole cell (an outlined copy
            // and a release) each time.
            cells.withUnsafeBufferPointer { buffer in
                for k in buffer.indices {
                    let cell = buffer.baseAddress! + k, i = cells.startIndex + k
                    // Counts and ASCII placeholders are never labels (checked in place, without copying the cell).
                    if cell.pointee.isCountLike || cell.pointee.isEmpty { continue }
                    // A text not in the templates is none of `exactAsWritten`'s keys (they are all there).
                    let template = cell.pointee.template
                    var found = template >= 0 ? exactByTemplate[Int(template)] : nil
                    n.removeAll(keepingCapacity: true)
                    if found == nil {
                        var text = cell.pointee.text
                        text.withUTF8 { Label.append($0, into: &n) }
                        found = exact[n]
                    }
                    let hit: LabelMatch
                    switch found {
                    case .header?:
                        isHeader = true
                        continue
                    case .match(let m)?:
                        hit = m
                    case nil:
                        if Label.contains(n, note) {
                            isHeader = true
                            if noteSpan == nil { noteSpan = cell.pointee.span }
                            continue
                        }
                        guard let m = fuzzyMatch(bytes: n, group: group) else { continue }
                        hit = m
                    }
                    last = (i, hit)
                    if case .group(let g) = hit { group = g }
                }
            }
            guard let (index, hit) = last else {
                // No template label: a data row with a label of its own is an unknown row.
                if !isHeader, cells.count >= 8, let label = cells[..<(cells.endIndex - 7)].last(where: { !$0.isEmpty }),
                   CellParser.number(label.text) == nil {
                    found.append(dataRow(nil, label, cells.suffix(7)))
                }
                continue
            }
            let values = cells[(index + 1)...]
            let label = cells[index]
            switch hit {
            case .row(let slot):
                if closesGroup[slot] { group = nil }
                guard values.count == 7 else {
                    return .failure(TableProblem(table: .three, reason: "“\(label.text)”一行有 \(values.count) 个数据单元格，模板为 7 个，无法确定各单元格所属的列",
                                                 span: label.span))
                }
                if !seen[slot] {
                    seen[slot] = true
                    found.append(dataRow(keys[slot], label, values))
                }
            case .group(let g):
                if values.isEmpty { continue }
                if g == otherGroupIndex, values.count == 7, !seen[otherSlot] {
                    seen[otherSlot] = true
                    found.append(dataRow(Templates.otherGroup, label, values))
                } else if values.count == 7 {
                    found.append(dataRow(nil, label, values))
                }
            case .resultsHeader:
                if values.count == 7 { found.append(dataRow(nil, label, values)) }
            }
        }
        return finish(found, seen: seen, layout: .cellPerLine, firstCell: noteSpan ?? firstCell)
    }

    /// `seen` is indexed by slot.
    static func finish(_ rows: [TableRow], seen: [Bool], layout: TableLayout, firstCell: SourceSpan) -> Result<Table, TableProblem> {
        let has2021 = otherSubItemSlots2021.contains { seen[$0] }
        let has2019 = seen[otherSlot]
        let seenCount = seen.lazy.filter { $0 }.count
        if seenCount == 0 {
            return .failure(TableProblem(table: .three, reason: "没有一行能与表三模板的行对应", span: firstCell))
        }
        let format: FormatVersion = has2021 || !has2019 ? .v2021 : .v2019
        let template = Templates.t3Rows(format)
        let slots = format == .v2019 ? slots2019 : slots2021
        let missing = seenCount >= template.count && !(has2019 && has2021) ? [] : zip(template, slots).filter { !seen[$0.1] }.map(\.0)
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
    /// When a row has fewer numbers (blank cells print nothing), rows are matched by their labels
    /// and the numbers placed by column (`scanTextLayerByLabel`).
    static func scanTextLayer(_ lines: ArraySlice<LineInfo>, source: SourceText, firstCell: SourceSpan) -> Result<Table, TableProblem> {
        var valueRows: [(tokens: [Token], label: [Token], line: Int)] = []
        var noteSpan: SourceSpan?
        var sawSubItemsOfOther = false
        let layer = TextLayerGrid.lines(lines, source: source)
        for line in layer {
            let tokens = line.tokens
            if noteSpan == nil, source.text(line.info.trimmed).contains("勾稽关系") { noteSpan = line.info.trimmed }
            let n = line.valueCount
            let label = Array(line.label)
            let labelText = Label.normalize(label.map(\.text).joined())
            if labelText.contains("逾期不补正") || labelText.contains("逾期未按收费通知") { sawSubItemsOfOther = true }
            if n == 0 { continue }
            if n != 7 {
                if n < 7 { return scanTextLayerByLabel(layer, source: source, firstCell: noteSpan ?? firstCell) }
                return .failure(TableProblem(table: .three, reason: "第 \(line.info.number) 行有 \(n) 个数值，表三每行应为 7 个，单元格可能粘连，无法还原",
                                             span: line.info.trimmed))
            }
            valueRows.append((Array(tokens.suffix(7)), label, line.info.number))
        }
        let format: FormatVersion
        switch valueRows.count {
        case Templates.t3Rows2019.count where !sawSubItemsOfOther: format = .v2019
        case Templates.t3Rows2021.count: format = .v2021
        case let count where count < Templates.t3Rows2021.count:
            // Fewer rows than either template: rows left blank print only their label.
            return scanTextLayerByLabel(layer, source: source, firstCell: noteSpan ?? firstCell)
        default:
            return .failure(TableProblem(table: .three, reason: "识别出 \(valueRows.count) 行数据，与模板的 \(Templates.t3Rows2019.count) 行（2019 版）或 \(Templates.t3Rows2021.count) 行（2021 版）都不符",
                                         span: noteSpan ?? firstCell))
        }
        var rows: [TableRow] = []
        var seen = [Bool](repeating: false, count: keys.count)
        for (template, values) in zip(Templates.t3Rows(format), valueRows) {
            let labelTokens = values.label
            let labelSpan = labelTokens.isEmpty ? nil : labelTokens.first!.span.union(labelTokens.last!.span)
            rows.append(TableRow(key: template.key, label: template.label, labelSpan: labelSpan,
                                 cells: zip(Templates.applicantColumns, values.tokens).map { TableText.cell($0, $1) }))
            seen[slot(template.key)] = true
        }
        return finish(rows, seen: seen, layout: .textLayer, firstCell: noteSpan ?? firstCell)
    }

    /// Rows matched by their labels, for a text layer whose blank cells printed nothing: a label
    /// with no numbers is a row of blank cells, and a row with fewer than seven numbers has them
    /// placed under their columns (`TextLayerGrid`). Numbers on a line of their own belong to the
    /// label just above that has none, else to the next label (a wrapped label prints on either side).
    static func scanTextLayerByLabel(_ layer: [TextLayerGrid.Line], source: SourceText, firstCell: SourceSpan) -> Result<Table, TableProblem> {
        let columns = Templates.applicantColumns
        // The grid of each page: its complete rows, else the header words' positions.
        var grids: [Int: TextLayerGrid] = [:]
        for page in Set(layer.map(\.page)) {
            let onPage = layer.filter { $0.page == page }
            let rows = onPage.filter { $0.valueCount == 7 }.map { line in line.values.map { TextLayerGrid.center($0, in: line.info, source: source) } }
            if let grid = TextLayerGrid.fromCompleteRows(rows, columns: 7) {
                grids[page] = grid
            } else if let grid = headerGrid(onPage, source: source) {
                grids[page] = grid
            }
        }
        var group: Int?
        var assigned: [Int: (line: TextLayerGrid.Line, label: SourceSpan?)] = [:]
        var labelled: [Int: SourceSpan] = [:]
        var order: [Int] = []
        var current: Int?  // the last label's slot, while it has no numbers
        var orphan: TextLayerGrid.Line?
        for line in layer {
            var hit: Int?
            var hitSpan: SourceSpan?
            for token in line.label {
                guard let m = match(token.text, group: group) else { continue }
                switch m {
                case .row(let slot):
                    hit = slot; hitSpan = token.span
                    if closesGroup[slot] { group = nil }
                case .group(let g):
                    group = g
                    if g == otherGroupIndex { hit = otherSlot; hitSpan = token.span }
                case .resultsHeader: break
                }
            }
            if let slot = hit {
                if labelled[slot] == nil { labelled[slot] = hitSpan; order.append(slot) }
                if line.valueCount > 0 {
                    if assigned[slot] == nil { assigned[slot] = (line, hitSpan) }
                    current = nil
                } else if let numbers = orphan {
                    if assigned[slot] == nil { assigned[slot] = (numbers, hitSpan) }
                    current = nil
                } else {
                    current = slot
                }
                orphan = nil
            } else if line.valueCount > 0, line.label.allSatisfy({ match($0.text, group: group) == nil }) {
                if let slot = current, assigned[slot] == nil {
                    assigned[slot] = (line, labelled[slot])
                    current = nil
                } else {
                    orphan = line
                }
            }
        }
        let has2021 = otherSubItemSlots2021.contains { labelled[$0] != nil }
        let format: FormatVersion = has2021 || labelled[otherSlot] == nil ? .v2021 : .v2019
        var rows: [TableRow] = []
        var seen = [Bool](repeating: false, count: keys.count)
        for template in Templates.t3Rows(format) {
            let slot = slot(template.key)
            guard let labelSpan = labelled[slot] else { continue }
            seen[slot] = true
            var cells: [Cell]
            if let (line, _) = assigned[slot] {
                if line.valueCount == 7 {
                    cells = zip(columns, line.values).map { TableText.cell($0, $1) }
                } else if line.valueCount > 7 {
                    return .failure(TableProblem(table: .three, reason: "第 \(line.info.number) 行有 \(line.valueCount) 个数值，表三每行应为 7 个，单元格可能粘连，无法还原",
                                                 span: line.info.trimmed))
                } else if let grid = grids[line.page], let placed = grid.cells(line.values, in: line.info, source: source, columns: columns) {
                    cells = placed
                } else {
                    return .failure(TableProblem(table: .three, reason: "第 \(line.info.number) 行有 \(line.valueCount) 个数值，表三每行应为 7 个：数字可能连在一起，或空白单元格未留位置，无法确定各属于哪一列",
                                                 span: line.info.trimmed))
                }
            } else {
                // A label alone: every cell of the row is blank, each anchored after the label.
                cells = columns.map { Cell(column: $0, value: .blank, raw: "", span: .empty(at: labelSpan.end)) }
            }
            rows.append(TableRow(key: template.key, label: template.label, labelSpan: labelSpan, cells: cells))
        }
        return finish(rows, seen: seen, layout: .textLayer, firstCell: firstCell)
    }

    /// Header words as printed (a wrapped word's first line) and their columns.
    static let headerWords: [(String, Int)] = [("自然人", 0), ("商业企业", 1), ("科研机构", 2), ("社会公益", 3), ("法律服务", 4), ("其他", 5), ("总计", 6)]

    /// The grid of the header's words on a page, when all seven stand there in order.
    static func headerGrid(_ lines: [TextLayerGrid.Line], source: SourceText) -> TextLayerGrid? {
        var centers = [Int?](repeating: nil, count: 7)
        for line in lines where line.valueCount == 0 {
            for token in line.tokens {
                guard let (_, k) = headerWords.first(where: { token.text.hasPrefix($0.0) }), centers[k] == nil else { continue }
                centers[k] = TextLayerGrid.center(token, in: line.info, source: source)
            }
        }
        let found = centers.compactMap { $0 }
        guard found.count == 7, zip(found, found.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        return TextLayerGrid(centers: found)
    }
}
