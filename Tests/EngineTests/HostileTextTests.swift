import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reporters
import RunResults
import RuleKit
import Testing

/// Report text and file names as an attacker writes them (ANSI and OSC escapes, bidi overrides,
/// newlines in a file name, GitHub workflow commands): no output format passes a control sequence
/// through raw, and none prints a line the GitHub runner would read as a command.
@Suite("Hostile text in every output format")
struct HostileTextTests {
    /// Clears the screen, retitles the terminal, moves up a line, reverses the text, and carries
    /// both workflow-command syntaxes and a C1 CSI.
    static let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[1A\u{202E}若干##[add-mask]x\u{9B}31m"

    /// The template-layout example with a table 三 cell replaced by `hostile` (table.non-numeric
    /// quotes it) and a report line that starts with `::error::`.
    static func hostileReport() throws -> String {
        let clean = try String(contentsOfFile: packageRoot + "/Examples/2023/changsha-rmzf-2023-clean.txt", encoding: .utf8)
        let cell = "\t1.属于国家秘密\n\t1\n"
        #expect(clean.contains(cell))
        return clean.replacingOccurrences(of: cell, with: "\t1.属于国家秘密\n\t\(hostile)\n")
            .replacingOccurrences(of: "一、总体情况", with: "::error::forged ##[warning]forged 一、总体情况")
    }

    // MARK: - What no output may contain

    /// Each raw control, bidi control or workflow command in `output` (empty when clean). `github`:
    /// lines must be the reporter's own commands; elsewhere no line may start with `::`.
    static func problems(_ output: [UInt8], github: Bool = false) -> [String] {
        var found: [String] = []
        var i = 0
        while i < output.count {
            let b = output[i]
            let next = i + 1 < output.count ? output[i + 1] : 0
            let third = i + 2 < output.count ? output[i + 2] : 0
            if b < 0x20 && b != 0x0A { found.append("C0 0x\(String(b, radix: 16)) at \(i)") }
            if b == 0x7F { found.append("DEL at \(i)") }
            if b == 0xC2, (0x80...0x9F).contains(next) { found.append("C1 at \(i)") }
            if b == 0xD8, next == 0x9C { found.append("U+061C at \(i)") }
            if b == 0xE2, next == 0x80, [0x8E, 0x8F].contains(third) || (0xA8...0xAE).contains(third) { found.append("bidi/separator at \(i)") }
            if b == 0xE2, next == 0x81, (0xA6...0xA9).contains(third) { found.append("bidi isolate at \(i)") }
            if b == 0x23, next == 0x23, third == UInt8(ascii: "[") { found.append("##[ at \(i)") }
            i += 1
        }
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            // The runner trims leading white space (as .NET's TrimStart does) before looking for `::`.
            let trimmed = line.drop { $0.isWhitespace }
            guard trimmed.hasPrefix("::") else { continue }
            let own = ["::error file=", "::warning file=", "::notice file="].contains { line.hasPrefix($0) }
            if !(github && own) { found.append("workflow command line: \(line.prefix(80))") }
        }
        return found
    }

    /// What a reporter writes for `files`, read back from a file sink.
    static func written(_ make: (OutputSink) -> any Reporter, _ files: [FileResult]) throws -> [UInt8] {
        let path = try temporaryDirectory() + "/out"
        let sink = try OutputSink.file(path)
        let reporter = make(sink)
        var summary = RunSummary()
        for file in files {
            reporter.add(file)
            summary.add(file)
        }
        reporter.finish(summary)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static let formats = ["human", "json", "github", "junit", "sarif", "csv", "html"]

    static func reporter(_ name: String, _ sink: OutputSink) -> any Reporter {
        switch name {
        case "json": JSONReporter(sink: sink)
        case "github": GitHubReporter(sink: sink)
        case "junit": JUnitReporter(sink: sink)
        case "sarif": SARIFReporter(sink: sink, rules: [])
        case "csv": CSVReporter(sink: sink)
        case "html": HTMLReporter(sink: sink)
        default: HumanReporter(sink: sink, color: false)
        }
    }

    // MARK: - VisibleText

    @Test("VisibleText shows controls, escapes and bidi as text, and leaves other text alone")
    func visibleText() {
        #expect(VisibleText.escaped("\u{1B}[2J\u{1B}]0;t\u{07}") == "\\e[2J\\e]0;t\\x07")
        #expect(VisibleText.escaped("a\tb\nc\rd\u{7F}\u{0}") == "a\\tb\\nc\\rd\\x7F\\x00")
        #expect(VisibleText.escaped("\u{9B}\u{85}") == "<U+009B><U+0085>")
        #expect(VisibleText.escaped("甲\u{202E}乙\u{2066}\u{200F}\u{61C}\u{2028}") == "甲<U+202E>乙<U+2066><U+200F><U+061C><U+2028>")
        #expect(VisibleText.escaped("##[add-mask]x") == "##\u{200B}[add-mask]x")
        let plain = "2023年某某局“政府信息”#1 [a] —— ok"
        #expect(VisibleText.escaped(plain) == plain)
        #expect(VisibleText.multiline("a\u{1B}\n  ::error::x\nb") == "a\\e\n\u{200B}  ::error::x\nb")
        #expect(VisibleText.linePath("::add-mask::x.txt") == "./::add-mask::x.txt")
        #expect(VisibleText.linePath("dir/a.txt") == "dir/a.txt")
    }

    // MARK: - Each writer, in process

    static func hostileFile() -> FileResult {
        let line = "甲\t\(hostile)乙"
        let source = SourceText("一、总体情况\n\(line)\n")
        let start = source.lineSpan(2).start
        let message = "“\(hostile)”不是数字\t\r\n::add-mask::secret\n##[set-output name=x]y"
        let diagnostics = [Diagnostic(ruleID: "table.non-numeric", severity: .error, span: SourceSpan(start: start + 4, end: start + 20),
                                      message: message, related: [RelatedSpan(SourceSpan(start: 0, end: 3), message)])]
        let path = "报告\u{1B}[31m\n::error file=x.txt::forged\u{202E}.txt"
        return FileResult(path: path, format: .text, encoding: .utf8, source: source, diagnostics: diagnostics,
                          toolDiagnostics: [ToolDiagnostic(id: .lossyDecode, path: path, message: message)])
    }

    @Test("No writer passes a control, a bidi override or a workflow command through", arguments: formats)
    func writerIsClean(_ name: String) throws {
        let written = try Self.written({ Self.reporter(name, $0) }, [Self.hostileFile()])
        // CSV ends its records with CRLF (RFC 4180): the only CRs it may write.
        let output = name == "csv" ? Array(String(decoding: written, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").utf8) : written
        #expect(Self.problems(output, github: name == "github") == [])
        let text = String(decoding: output, as: UTF8.self)
        switch name {
        case "human":
            #expect(text.contains("报告\\e[31m\\n::error file=x.txt::forged<U+202E>.txt:2:"))
            #expect(text.contains("“\\e]0;pwned\\x07\\e[2J\\e[1A<U+202E>若干##\u{200B}[add-mask]x<U+009B>31m”"))
        case "github":
            // One line per finding and tool diagnostic: the name's newline and the message's as %0A,
            // the name's ESC and bidi override shown as text.
            let lines = text.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.allSatisfy { $0.hasPrefix("::error file=报告\\e[31m%0A%3A%3Aerror file=x.txt%3A%3Aforged<U+202E>.txt,") })
            #expect(text.contains("不是数字\\t\\r%0A\u{200B}::add-mask::secret%0A##\u{200B}[set-output"))
        case "json":
            // The same strings for a JSON reader.
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
            let file = try #require((json["files"] as? [[String: Any]])?.first)
            #expect(file["path"] as? String == Self.hostileFile().path)
            #expect(((file["findings"] as? [[String: Any]])?.first?["message"] as? String) == Self.hostileFile().diagnostics[0].message)
        case "junit":
            let parser = XMLParser(data: Data(output))
            let collector = AttributeCollector()
            parser.delegate = collector
            #expect(parser.parse(), "junit output is well-formed XML")
            // Newlines survive attribute normalisation (&#10;); ESC, illegal in XML, is shown as \e.
            let message = try #require(collector.attributes.first { $0.key == "failure" }?.value["message"])
            #expect(message.contains("不是数字\t\r\n::add-mask::secret\n##[set-output"))
            #expect(message.contains("“\\e]0;pwned\\x07\\e[2J\\e[1A\u{202E}若干##[add-mask]x\u{9B}31m”"))
        case "csv":
            // A header, the problem and the finding: three records, the message's newlines shown as \n.
            #expect(written.starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(String(decoding: written, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
            #expect(text.contains("不是数字\\t\\r\\n::add-mask::secret\\n##\u{200B}[set-output"))
        case "html":
            // Markup from the report is text, never an element.
            #expect(text.contains("报告\\e[31m\\n::error file=x.txt::forged&lt;U+202E&gt;.txt"))
            #expect(!text.contains("<U+202E>"))
        case "sarif":
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
            let run = try #require((json["runs"] as? [[String: Any]])?.first)
            let result = try #require((run["results"] as? [[String: Any]])?.first)
            #expect((result["message"] as? [String: Any])?["text"] as? String == Self.hostileFile().diagnostics[0].message)
        default:
            Issue.record("unknown reporter \(name)")
        }
    }

    @Test("A 2 MB line with 2,000 findings, a 2 MB message and a 2 MB file name are written exactly")
    func twoMegabyteLine() throws {
        // "一a" is four bytes and two scalars: a finding at byte 4k is at column 2k + 1.
        let line = String(repeating: "一a", count: 1 << 19)
        let source = SourceText(line + "\n")
        let message = String(repeating: "50%: a,b\n", count: (2 << 20) / 9)
        let count = 2000
        let step = (source.bytes.count - 8) / count / 4 * 4
        let diagnostics = (0..<count).map { k in
            Diagnostic(ruleID: "test.long", severity: .warning, span: SourceSpan(start: k * step, end: k * step + 4), message: k == 0 ? message : "m\(k)")
        }
        let long = FileResult(path: "long.txt", format: .text, encoding: .utf8, source: source, diagnostics: diagnostics)
        let path = String(repeating: "目录:,%", count: (2 << 20) / 12) + ".txt"
        let named = FileResult(path: path, format: .text, encoding: .utf8, source: SourceText("甲\n"),
                               diagnostics: [Diagnostic(ruleID: "test.long", severity: .note, span: SourceSpan(start: 0, end: 3), message: "m")])

        let json = try Self.written({ JSONReporter(sink: $0) }, [long, named])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.count == 2 && files[1]["path"] as? String == path)
        let findings = try #require(files[0]["findings"] as? [[String: Any]])
        #expect(findings.count == count)
        for (k, finding) in findings.enumerated() {
            #expect(finding["column"] as? Int == k * step / 2 + 1 && finding["endColumn"] as? Int == k * step / 2 + 3)
        }
        #expect(findings[0]["message"] as? String == message)

        let github = String(decoding: try Self.written({ GitHubReporter(sink: $0) }, [long, named]), as: UTF8.self)
        let lines = github.split(separator: "\n")
        #expect(lines.count == count + 1)
        for (k, command) in lines.prefix(count).enumerated() {
            #expect(command.hasPrefix("::warning file=long.txt,line=1,col=\(k * step / 2 + 1),endLine=1,endColumn=\(k * step / 2 + 3),title=test.long::"))
        }
        let data = try #require(lines.first?.split(separator: "::", maxSplits: 2).last)
        #expect(data.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%25", with: "%") == message)
        // Human: the message on one line, its line feeds shown as \n.
        let human = String(decoding: try Self.written({ HumanReporter(sink: $0, color: false) }, [long]), as: UTF8.self)
        #expect(human.split(separator: "\n").first == Substring("long.txt:1:1: warning: \(message.replacingOccurrences(of: "\n", with: "\\n")) [test.long]"))
        // Per finding its line, the source window and the caret; then the table per rule (a heading
        // and one rule) and the summary.
        #expect(human.split(separator: "\n").count == 3 * count + 3)
        let escapedPath = path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        #expect(lines.last == Substring("::notice file=\(escapedPath),line=1,col=1,endLine=1,endColumn=2,title=test.long::m"))
    }

    // MARK: - End to end, through the built tool

    /// Creates a file whose name is the given bytes (a name need not be UTF-8).
    static func create(_ directory: String, nameBytes: [UInt8], contents: String) throws {
        let path = Array(directory.utf8) + [UInt8(ascii: "/")] + nameBytes + [0]
        let fd = path.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        }
        try #require(fd >= 0, "cannot create the file")
        let bytes = Array(contents.utf8)
        #expect(write(fd, bytes, bytes.count) == bytes.count)
        close(fd)
    }

    /// File names with a terminal escape and a newline that would forge a command line, a name
    /// that starts with a workflow command, the old `##[` syntax, and a GBK (not UTF-8) name with ESC.
    static let names: [[UInt8]] = [
        Array("x\u{1B}]0;pwned\u{07}\u{1B}[2J\n::error file=forged.txt::forged\u{202E}.txt".utf8),
        Array("::add-mask::secret.txt".utf8),
        Array("##[error]old-syntax.txt".utf8),
        [0xB1, 0xA8, 0xB8, 0xE6, 0x1B] + Array("[31m.txt".utf8),
    ]

    @Test("Every format of a run over hostile names and text is clean", .enabled(if: FileManager.default.isExecutableFile(atPath: reportlintPath),
                                                                           "reportlint is not built"))
    func endToEnd() throws {
        let dir = try temporaryDirectory()
        let report = try Self.hostileReport()
        for name in Self.names { try Self.create(dir, nameBytes: name, contents: report) }
        for format in ["human", "json", "github", "junit", "sarif"] {
            let result = try reportlint(["lint", "--format", format, "."], in: dir, killAfter: 120)
            #expect(result.status == 1, "\(format): \(result.stderr)")
            #expect(Self.problems(Array(result.stdout.utf8), github: format == "github") == [], "\(format)")
            #expect(Self.problems(Array(result.stderr.utf8)) == [], "\(format) stderr")
            switch format {
            case "human":
                // Every name shown, its controls escaped; the GBK name decoded (GB18030) with its ESC escaped.
                #expect(result.stdout.contains("x\\e]0;pwned\\x07\\e[2J\\n::error file=forged.txt::forged<U+202E>.txt:"))
                #expect(result.stdout.contains("\n./::add-mask::secret.txt:"))
                #expect(result.stdout.contains("##\u{200B}[error]old-syntax.txt:"))
                #expect(result.stdout.contains("报告\\e[31m.txt:"))
                #expect(result.stdout.contains("<U+202E>若干##\u{200B}[add-mask]x<U+009B>31m"))
            case "github":
                #expect(result.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("::error file=") || $0.hasPrefix("::warning file=") || $0.hasPrefix("::notice file=") })
                #expect(result.stdout.contains("::error file=x\\e]0;pwned\\x07\\e[2J%0A%3A%3Aerror file=forged.txt%3A%3Aforged<U+202E>.txt,line="))
            case "json", "sarif":
                #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "\(format) output is JSON")
            case "junit":
                #expect(XMLParser(data: Data(result.stdout.utf8)).parse(), "junit output is well-formed XML")
            default:
                break
            }
        }
    }

    @Test("The tool's own lines on standard error show names and quoted text escaped", .enabled(if: FileManager.default.isExecutableFile(atPath: reportlintPath),
                                                                                              "reportlint is not built"))
    func standardError() throws {
        let dir = try temporaryDirectory()
        // dump of a .docx that is not one: `name: error: message [io.unsupported]`.
        let name = "::error::\u{1B}[2J\nforged.docx"
        try Self.create(dir, nameBytes: Array(name.utf8), contents: "not a zip")
        let dump = try reportlint(["dump", name], in: dir, killAfter: 60)
        #expect(dump.status == 1)
        #expect(Self.problems(Array(dump.stderr.utf8)) == [])
        #expect(dump.stderr.hasPrefix("./::error::\\e[2J\\nforged.docx: error: "))
        // A configuration mistake names a rule id written with YAML escapes for ESC and BEL.
        try "rules:\n  \"\\e]0;pwned\\a\": error\n".write(toFile: dir + "/bad.yml", atomically: true, encoding: .utf8)
        let lint = try reportlint(["lint", "--config", "bad.yml", "."], in: dir, killAfter: 60)
        #expect(lint.status == 2)
        #expect(Self.problems(Array(lint.stderr.utf8)) == [])
        #expect(lint.stderr.contains("\\e]0;pwned\\x07"))
    }

    @Test("dump shows the report's own text (cells, headings, the file name) escaped", .enabled(if: FileManager.default.isExecutableFile(atPath: reportlintPath),
                                                                                                   "reportlint is not built"))
    func dumpText() throws {
        let dir = try temporaryDirectory()
        let name = "::error::\u{1B}[2J\nforged.txt"
        try Self.create(dir, nameBytes: Array(name.utf8), contents: try Self.hostileReport())
        let dump = try reportlint(["dump", name], in: dir, killAfter: 60)
        #expect(dump.status == 0)
        #expect(Self.problems(Array(dump.stdout.utf8)) == [])
        // The hostile cell is still there, visibly.
        #expect(dump.stdout.contains("\\e]0;pwned\\x07"))
        #expect(dump.stdout.contains("<U+202E>若干"))
    }
}

/// Every element's attributes, in document order.
final class AttributeCollector: NSObject, XMLParserDelegate {
    var attributes: [(key: String, value: [String: String])] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        self.attributes.append((name, attributes))
    }
}
