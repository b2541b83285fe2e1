import Foundation
@testable import ReportInputs
import ReportModel
import ReportScanner
import Testing

@Suite("PDF input")
struct PDFReaderTests {
    static let pdftotext = PDFReader.findProgram("pdftotext")

    /// A minimal PDF with one page per text (Helvetica, ASCII), with a correct cross-reference table.
    static func pdf(pages: [[String]]) -> [UInt8] {
        var objects: [String] = []
        let pageIDs = pages.indices.map { 3 + 2 * $0 }
        let fontID = 3 + 2 * pages.count
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        objects.append("<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>")
        for (i, lines) in pages.enumerated() {
            let content = "BT /F1 12 Tf 72 720 Td 14 TL " + lines.map { "(\($0)) Tj T*" }.joined(separator: " ") + " ET"
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 \(fontID) 0 R >> >> /Contents \(4 + 2 * i) 0 R >>")
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
        }
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            out += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    @Test("The text layer is the view; pages end with a form feed", .enabled(if: pdftotext != nil, "pdftotext is not installed"))
    func textLayer() throws {
        let input = try Support.read(Self.pdf(pages: [["Annual report 2023", "Table 4: 10 1 0 0 0"], ["Second page"]]), .pdf)
        #expect(input.map == nil)
        let view = Support.text(input.view)
        #expect(view.contains("Annual report 2023"))
        #expect(view.contains("Table 4: 10 1 0 0 0"))
        #expect(view.contains("\u{0C}Second page"))
        let second = try #require(Support.offset(of: "Second", in: input.view.bytes))
        let location = input.view.location(of: second)
        #expect(location.column == 2)
        #expect(input.view.lineText(location.line).hasPrefix("\u{0C}"))
    }

    @Test("A fake .pdf is io.unsupported, at once", arguments: ["fake.pdf"])
    func fake(_ name: String) throws {
        let result = InputReader.read(try Support.fixture(name), kind: .pdf, path: name)
        guard case .failure(.unsupported(let message)) = result else {
            Issue.record("expected io.unsupported, got \(result)")
            return
        }
        #expect(message.contains("%PDF-"))
    }

    @Test("A broken PDF is io.unsupported, not a crash", .enabled(if: pdftotext != nil, "pdftotext is not installed"))
    func broken() throws {
        let result = InputReader.read(try Support.fixture("broken.pdf"), kind: .pdf, path: "broken.pdf")
        guard case .failure(.unsupported(let message)) = result else {
            Issue.record("expected io.unsupported, got \(result)")
            return
        }
        #expect(message.contains("pdftotext") || message.contains("文字层"))
    }

    @Test("Without pdftotext, the message says to install poppler-utils")
    func missingProgram() {
        #expect(PDFReader.findProgram("pdftotext", searchPath: "/nonexistent-directory") == nil)
        let result = PDFReader.read(Self.pdf(pages: [["x"]]), program: nil, timeout: 60)
        guard case .failure(.unsupported(let message)) = result else {
            Issue.record("expected io.unsupported, got \(result)")
            return
        }
        #expect(message.contains("apt-get install poppler-utils"))
    }

    @Test("A pdftotext that hangs is stopped after the time limit")
    func timeout() throws {
        let (program, folder) = try Self.fakeProgram("exec sleep 30")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ContinuousClock()
        let start = clock.now
        let result = PDFReader.read(Self.pdf(pages: [["x"]]), program: program, timeout: 1)
        #expect(clock.now - start < .seconds(10))
        guard case .failure(.unsupported(let message)) = result else {
            Issue.record("expected io.unsupported, got \(result)")
            return
        }
        #expect(message.contains("1 秒"))
    }

    /// A fake pdftotext in a folder of its own: `body` is its shell script.
    static func fakeProgram(_ body: String) throws -> (program: String, folder: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportlint-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("pdftotext")
        try ("#!/bin/sh\n" + body + "\n").write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return (script.path, directory)
    }

    @Test("A pdftotext whose text layer has no end is stopped at the text limit, not read into all memory")
    func endlessOutput() throws {
        let (program, folder) = try Self.fakeProgram("exec yes 一二三四五六七八九十一二三四五六七八九十")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = PDFReader.read(Self.pdf(pages: [["x"]]), program: program, timeout: 60)
        guard case .failure(.unsupported(let message)) = result else {
            Issue.record("expected io.unsupported, got \(result)")
            return
        }
        #expect(message.contains("MiB 的上限"))
    }

    @Test("A stopped pdftotext is dead and its temporary folder gone when the read returns")
    func stoppedChildLeavesNothing() throws {
        let (program, folder) = try Self.fakeProgram("echo $$ > \"$(dirname \"$0\")/pid\"; exec sleep 30")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = PDFReader.read(Self.pdf(pages: [["x"]]), program: program, timeout: 1)
        let pid = try #require(Int32(try String(contentsOf: folder.appendingPathComponent("pid"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the child must not outlive the read")
        #expect(!RunCleanup.registered.children.contains(pid))
    }

    @Test("The 002 report: tables 三 and 四 from the -layout text layer", .enabled(if: pdftotext != nil, "pdftotext is not installed"),
          .enabled(if: Support.sharedFile("corpus/real/002-huaian-hongzequ-2023.pdf") != nil, "needs ../shared/corpus/real"))
    func realReport() throws {
        let bytes = try #require(Support.sharedFile("corpus/real/002-huaian-hongzequ-2023.pdf"))
        let doc = ReportScanner.scan(try Support.read(bytes, .pdf).view)
        #expect(doc.tableProblems.isEmpty, "\(doc.tableProblems)")
        let four = try #require(doc.tables.first { $0.id == .four })
        // 行政复议 10+1+0+0 against a 总计 of 0; 复议后起诉 5 against 0 (the two review-total findings of the .txt).
        #expect(four.rows.map { $0.cells.map(\.raw) } == [["10", "1", "0", "0", "0"], ["0", "0", "0", "0", "0"], ["5", "0", "0", "0", "0"]])
        let three = try #require(doc.tables.first { $0.id == .three })
        #expect(three.format == .v2019)
        #expect(three.rows.first?.cells.map(\.raw) == ["21", "0", "0", "0", "0", "0", "21"])
    }
}
