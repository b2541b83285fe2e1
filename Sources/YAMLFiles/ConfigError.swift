import Foundation
import Yams

/// A mistake in a rule or configuration file, with its position (vale's E201): reported as
/// `config.invalid`, exit status 2, before any report is linted.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// The offending line of the file, for the excerpt.
    public var lineText: String

    public init(file: String, line: Int, column: Int, message: String, lineText: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.lineText = lineText
    }

    public var description: String { "\(file):\(line):\(column): error: \(message) [config.invalid]" }

    /// The message, the offending line and a caret under the column (only the message when no line is quoted).
    public var excerpt: String {
        if lineText.isEmpty { return description }
        var caret = ""
        for (i, scalar) in lineText.unicodeScalars.enumerated() where i < column - 1 {
            caret += scalar == "\t" ? "\t" : String(repeating: " ", count: DisplayColumns.of(scalar))
        }
        return "\(description)\n  \(lineText)\n  \(caret)^"
    }

    /// Turns a Yams error into a positioned error. With `quoting` false (a file not known to be a
    /// rule or configuration file) the error says what is wrong and where, without any of the file's
    /// text: no line, no key names.
    public static func from(_ error: Error, file: String, text: String, quoting: Bool = true) -> ConfigError {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func at(_ mark: Mark?, _ message: String) -> ConfigError { at(mark?.line, mark?.column, message) }
        func at(_ line: Int?, _ column: Int?, _ message: String) -> ConfigError {
            var line = max(1, line ?? 1)
            var column = max(1, column ?? 1)
            // An error found at the end of the text (an unclosed bracket) belongs to the last written line.
            while line > 1, line > lines.count || lines[line - 1].allSatisfy(\.isWhitespace) {
                line -= 1
                column = 1
            }
            let text = quoting && line <= lines.count ? String(lines[line - 1]) : ""
            return ConfigError(file: file, line: line, column: column, message: message, lineText: text)
        }
        if let limit = error as? YAMLText.AliasLimit { return limit.error(file: file) }
        if let error = error as? YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                // libyaml's problem and context are fixed phrases, never the text.
                return at(mark, "YAML 语法错误：\(problem)\(context.map { "（\($0.text)）" } ?? "")")
            case .reader(let problem, let offset, let value, _):
                // Yams's own description of this error quotes the line; the position is enough.
                var line: Int?, column: Int?
                if let offset, let index = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) {
                    let before = text[..<index]
                    let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
                    line = before.count(where: { $0 == "\n" }) + 1
                    column = before[lineStart...].unicodeScalars.count + 1
                }
                let character = value >= 0 ? String(format: "（字符 U+%04X）", value) : ""
                return at(line, column, "YAML 无法读取：\(problem)\(character)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                guard quoting else { return at(context.mark, "有重复的键") }
                // Point at the repeated key (its last occurrence), not at the mapping.
                let key = duplicates.first ?? ""
                if let index = lines.lastIndex(where: { $0.drop(while: { $0 == " " }).hasPrefix(key + ":") }) {
                    let indent = lines[index].prefix(while: { $0 == " " }).count
                    return ConfigError(file: file, line: index + 1, column: indent + 1, message: "重复的键：\(duplicates.joined(separator: "、"))",
                                       lineText: String(lines[index]))
                }
                return at(context.mark, "重复的键：\(duplicates.joined(separator: "、"))")
            case .memory:
                return at(nil, nil, "YAML 解析时内存不足")
            default:
                // The other cases belong to writing YAML, or to decoding other encodings; Yams's description may quote text.
                return at(nil, nil, "YAML 错误")
            }
        }
        return at(nil, nil, quoting ? "\(error)" : "无法解析")
    }

    /// The same error without the quoted line, for a file not known to be a rule or configuration file.
    public func unquoted(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, column: column, message: message, lineText: "")
    }
}

public enum DisplayColumns {
    public static func of(_ s: Unicode.Scalar) -> Int {
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6: 2
        default: 1
        }
    }
}

/// A place in a configuration file, for errors found after parsing (an unknown rule id).
public struct ConfigPlace: Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var lineText: String

    public init(file: String, line: Int, column: Int, lineText: String) {
        self.file = file
        self.line = line
        self.column = column
        self.lineText = lineText
    }

    public func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, column: column, message: message, lineText: lineText)
    }
}

/// One rule's setting: on or off, a severity, and options (keys of a YAML rule's kind).
