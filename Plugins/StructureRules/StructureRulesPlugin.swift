import RuleKit

/// Rules about the report's outline: sections, their numbering and order, the tables' layout and the signature.
public enum StructureRulesPlugin: RulePlugin {
    public static let name = "StructureRules"
    public static let rules: [any SwiftRule.Type] = [
        HeadingNumberingRule.self, SectionOrderRule.self, FormatVersionRule.self,
        MissingTableRule.self, UnknownRowRule.self, NumberingSystemsRule.self, MissingSignatureRule.self, SignerMismatchRule.self,
    ]
}

extension Document {
    /// The last non-blank line: where a finding about something missing at the end stands.
    var lastLineSpan: SourceSpan {
        var line = source.lineCount
        while line > 1, source.lineSpan(line).length == 0 || source.lineText(line).allSatisfy(\.isWhitespace) { line -= 1 }
        return source.lineCount == 0 ? .empty(at: 0) : source.lineSpan(line)
    }
}
