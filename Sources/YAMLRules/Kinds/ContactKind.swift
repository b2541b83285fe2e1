import ReportScanner
import RuleKit

/// `kind: contact` — contact details: `check: present` (at least one field of `fields`),
/// `phone` (a valid Chinese number), `area-code` (a landline given without its area code) or
/// `format` (the value matches the `format` regex in full).
///
/// ```yaml
/// kind: contact
/// fields: [postcode]
/// check: format
/// format: '^[0-9]{6}$'
/// ```
struct ContactKind: RuleCheck {
    enum Check: String, Sendable { case present, phone, areaCode = "area-code", format }
    var fields: Set<ContactField.Kind>
    var check: Check
    var format: UserRegex?

    static let placeholders: Set<String> = ["value", "label", "field"]

    static func read(_ r: inout NodeReader) throws -> ContactKind {
        let kinds: [String: ContactField.Kind] = ["phone": .phone, "fax": .fax, "postcode": .postcode, "email": .email, "url": .url, "address": .address]
        let node = try r.required("fields")
        let fields = Set(try r.strings(node).map { name in
            guard let k = kinds[name] else { throw r.error("未知的联系方式字段“\(name)”（可用：\(kinds.keys.sorted().joined(separator: "、"))）", at: node) }
            return k
        })
        let check = try r.oneOf(try r.required("check"), ["present": Check.present, "phone": .phone, "area-code": .areaCode, "format": .format])
        var format: UserRegex?
        if let f = r.optional("format") {
            format = try UserRegex(try r.string(f), reader: r, node: f)
        } else if check == .format {
            throw r.error("check: format 需要 format（正则表达式）")
        }
        return ContactKind(fields: fields, check: check, format: format)
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        let values = document.contacts.filter { fields.contains($0.kind) }
        func finding(_ f: ContactField) -> Finding {
            Finding(span: f.span.length > 0 ? f.span : .empty(at: f.span.start),
                    message: run.message.render(["value": f.value, "label": f.label.isEmpty ? f.kind.rawValue : f.label, "field": f.kind.rawValue]))
        }
        switch check {
        case .present:
            guard values.isEmpty else { return [] }
            let first = document.source.lineCount > 0 ? document.source.lineSpan(1) : .empty(at: 0)
            return [Finding(span: .empty(at: first.start), message: run.message.render(["value": "", "label": "", "field": fields.map(\.rawValue).sorted().joined(separator: "、")]))]
        case .phone:
            return values.filter { PhoneNumber.classify($0.value) == .invalid }.map(finding)
        case .areaCode:
            return values.filter { PhoneNumber.classify($0.value) == .localOnly }.map(finding)
        case .format:
            guard let format else { return [] }
            return try values.compactMap { f in
                let full: Bool
                do {
                    let m = try format.matches(in: document.source, span: f.span, deadline: run.deadline)
                    full = m.contains { $0[0] == f.span }
                } catch { throw run.regexBudgetExceeded() }
                return full && f.span.length > 0 ? nil : finding(f)
            }
        }
    }
}

/// Chinese telephone numbers (DOMAIN.md §6): landline `0` + 2–3 digit area code + 7–8 digits,
/// local 7–8 digits, mobile `1[3-9]` + 9 digits, 400/800 service numbers, 12345.
enum PhoneNumber {
    enum Kind: Equatable { case landline, localOnly, mobile, service, invalid }

    static func classify(_ raw: String) -> Kind {
        // An extension (`转123`) does not change the number's validity.
        var scalars = Array(raw.unicodeScalars)
        if let cut = scalars.firstIndex(of: "转") { scalars.removeSubrange(cut...) }
        if scalars.contains(where: { $0.properties.isAlphabetic && !CharClass.isIdeograph($0) }) { return .invalid }
        // Split at the separator between area code and local number, when there is one.
        var groups: [String] = []
        var current = ""
        for s in scalars {
            if let d = CharClass.digit(s) { current.append(Character(String(d))) } else if !current.isEmpty { groups.append(current); current = "" }
        }
        if !current.isEmpty { groups.append(current) }
        let digits = groups.joined()
        if digits == "12345" { return .service }
        if (digits.hasPrefix("400") || digits.hasPrefix("800")) && digits.count == 10 { return .service }
        if digits.count == 11, digits.hasPrefix("1"), let second = digits.dropFirst().first, ("3"..."9").contains(second) { return .mobile }
        if digits.hasPrefix("0") {
            if groups.count >= 2 {
                let area = groups[0], local = groups[1...].joined()
                return (3...4).contains(area.count) && (7...8).contains(local.count) && !local.hasPrefix("0") ? .landline : .invalid
            }
            return (10...12).contains(digits.count) ? .landline : .invalid
        }
        if (7...8).contains(digits.count), groups.count <= 2, !digits.hasPrefix("1") { return .localOnly }
        return .invalid
    }
}
