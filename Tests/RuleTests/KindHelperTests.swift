import ReportModel
import TestSupport
import Testing
@testable import YAMLRules

/// Helpers the YAML rule kinds share: message placeholders, phone numbers.
struct KindHelperTests {
    @Test func messagesFillPlaceholders() {
        let template = MessageTemplate(text: "正文称“{match}”，但{what}为 {table}{unknown}{")
        #expect(template.render(["match": "未收到{what}", "what": "总计", "table": "3"]) == "正文称“未收到{what}”，但总计为 3{unknown}{")
    }

    /// The classification as first written (strings and arrays), to compare the one-pass version with.
    static func referenceClassify(_ raw: String) -> PhoneNumber.Kind {
        var scalars = Array(raw.unicodeScalars)
        if let cut = scalars.firstIndex(of: "转") { scalars.removeSubrange(cut...) }
        if scalars.contains(where: { $0.properties.isAlphabetic && !CharClass.isIdeograph($0) }) { return .invalid }
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

    @Test func phoneClassificationIsUnchanged() {
        var rng = SplitMix64(seed: 7)
        let parts = ["0", "1", "3", "4", "8", "0731", "5676811", "-", "—", "（", "）", "转", "x", "12345", "400", "800", "０", "７", " ", "、", "号", "ª"]
        for _ in 0..<20_000 {
            let raw = (0..<Int.random(in: 0...6, using: &rng)).map { _ in parts.randomElement(using: &rng)! }.joined()
            #expect(PhoneNumber.classify(raw) == Self.referenceClassify(raw), "\(raw)")
        }
    }
}
