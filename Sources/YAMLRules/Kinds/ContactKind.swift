import RuleKit
import UserPatterns
import YAMLFiles

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
    var usesPatterns: Bool { format != nil }

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

    /// A bit per field kind: the set's hashing went through each kind's raw string.
    static func bit(_ kind: ContactField.Kind) -> UInt8 {
        switch kind {
        case .phone: 1
        case .fax: 2
        case .postcode: 4
        case .email: 8
        case .url: 16
        case .address: 32
        }
    }

    func check(_ document: Document, _ run: CheckRun) throws -> [Finding] {
        var mask: UInt8 = 0
        for f in fields { mask |= Self.bit(f) }
        func finding(_ f: ContactField) -> Finding {
            Finding(span: f.span.length > 0 ? f.span : .empty(at: f.span.start),
                    message: run.message.render(["value": f.value, "label": f.label.isEmpty ? f.kind.rawValue : f.label, "field": f.kind.rawValue]))
        }
        var findings: [Finding] = []
        switch check {
        case .present:
            guard !document.contacts.contains(where: { Self.bit($0.kind) & mask != 0 }) else { return [] }
            let first = document.source.lineCount > 0 ? document.source.lineSpan(1) : .empty(at: 0)
            return [Finding(span: .empty(at: first.start), message: run.message.render(["value": "", "label": "", "field": fields.map(\.rawValue).sorted().joined(separator: "、")]))]
        case .phone, .areaCode:
            let flagged: PhoneNumber.Kind = check == .phone ? .invalid : .localOnly
            for f in document.contacts where Self.bit(f.kind) & mask != 0 && PhoneNumber.classify(f.value) == flagged { findings.append(finding(f)) }
        case .format:
            guard format != nil else { return [] }
            for f in document.contacts where Self.bit(f.kind) & mask != 0 {
                let full: Bool
                do {
                    // Called through the optional: binding it would copy the compiled pattern.
                    if f.value.utf8.count == f.span.length {
                        let m = try format?.matches(in: document.source, span: f.span, deadline: run.deadline) ?? []
                        full = m.contains { $0[0] == f.span }
                    } else {
                        // A value wrapped across a line break: its text without the break is checked.
                        let value = SourceText(bytes: Array(f.value.utf8)), all = SourceSpan(start: 0, end: value.bytes.count)
                        let m = try format?.matches(in: value, span: all, deadline: run.deadline) ?? []
                        full = m.contains { $0[0] == all }
                    }
                } catch { throw run.regexBudgetExceeded() }
                if !(full && f.span.length > 0) { findings.append(finding(f)) }
            }
        }
        return findings
    }
}

/// Chinese telephone numbers (DOMAIN.md §6): landline `0` + 2–3 digit area code + 7–8 digits,
/// local 7–8 digits, mobile `1[3-9]` + 9 digits, 400/800 service numbers, 12345.
enum PhoneNumber {
    enum Kind: Equatable { case landline, localOnly, mobile, service, invalid }

    static func classify(_ raw: String) -> Kind {
        // One pass up to an extension (`转123`, which does not change the number's validity):
        // digits (ASCII or full-width) form groups split by anything else, and only the facts the
        // tests below read are kept, so no string is built.
        var count = 0, groups = 0, firstGroup = 0
        var head = 0  // the first five digits as a number
        var d0 = -1, d1 = -1, d2 = -1, secondGroupFirst = -1
        var inGroup = false
        for s in raw.unicodeScalars {
            if s == "转" { break }
            if let d = CharClass.digit(s) {
                if !inGroup {
                    groups += 1
                    inGroup = true
                    if groups == 2 { secondGroupFirst = d }
                }
                if groups == 1 { firstGroup += 1 }
                switch count {
                case 0: d0 = d
                case 1: d1 = d
                case 2: d2 = d
                default: break
                }
                if count < 5 { head = head * 10 + d }
                count += 1
            } else {
                inGroup = false
                let alphabetic = s.isASCII ? (s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A : s.properties.isAlphabetic
                if alphabetic && !CharClass.isIdeograph(s) { return .invalid }
            }
        }
        if count == 5, head == 12345 { return .service }
        if (d0 == 4 || d0 == 8) && d1 == 0 && d2 == 0 && count == 10 { return .service }
        if count == 11, d0 == 1, (3...9).contains(d1) { return .mobile }
        if d0 == 0 {
            if groups >= 2 {
                let local = count - firstGroup
                return (3...4).contains(firstGroup) && (7...8).contains(local) && secondGroupFirst != 0 ? .landline : .invalid
            }
            return (10...12).contains(count) ? .landline : .invalid
        }
        if (7...8).contains(count), groups <= 2, d0 != 1 { return .localOnly }
        return .invalid
    }
}
