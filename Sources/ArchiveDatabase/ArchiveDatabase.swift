import Foundation
import GRDB
import RuleKit
import RunResults

/// The archive database: what a run read and found, in SQLite (`--format sqlite=FILE`).
///
/// - `reports`: one row per report (path, issuer, report year, kind, the format of each table,
///   encoding, content fingerprint, publication date, and the digest the rules across reports
///   compare, as JSON, so that `--history FILE` can stand in for the reports themselves);
/// - `cells`: every table cell (report, table, row, column, value, text as written);
/// - `findings`: every finding (report, rule, severity, line, column, message, the related report).
///
/// Rows are written in transactions of a few hundred reports as results arrive, so memory does
/// not grow with the archive.
public final class ArchiveDatabaseWriter: @unchecked Sendable {
    let queue: DatabaseQueue
    private var pending: [FileResult] = []
    private var ids: [String: Int64] = [:]
    public private(set) var error: String?

    static let batch = 256

    public static let schema = """
        CREATE TABLE reports (id INTEGER PRIMARY KEY, path TEXT NOT NULL, issuer TEXT, report_year INTEGER, kind TEXT,
          format_t2 TEXT, format_t3 TEXT, format_t4 TEXT, encoding TEXT, file_format TEXT, content_hash TEXT,
          publication_date TEXT, digest TEXT);
        CREATE TABLE cells (report_id INTEGER NOT NULL REFERENCES reports(id), table_name TEXT NOT NULL, row_label TEXT NOT NULL,
          column_label TEXT NOT NULL, value REAL, raw TEXT);
        CREATE TABLE findings (report_id INTEGER NOT NULL REFERENCES reports(id), rule TEXT NOT NULL, severity TEXT NOT NULL,
          line INTEGER, column INTEGER, message TEXT NOT NULL, related_path TEXT);
        CREATE TABLE problems (report_id INTEGER NOT NULL REFERENCES reports(id), id TEXT NOT NULL, message TEXT NOT NULL);
        CREATE INDEX reports_issuer ON reports(issuer, report_year);
        CREATE INDEX findings_rule ON findings(rule);
        """

    /// The version of the digests' fingerprints (sentence keys, table fingerprints, content hash), kept
    /// as SQLite's `user_version`: a database whose digests were made another way cannot stand in for
    /// its reports. 0 is a database written before the version was kept, with the same fingerprints.
    public static let digestVersion = 1

    /// Creates the database at `path`, replacing a file that is there.
    public init(path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: Self.schema)
            try db.execute(sql: "PRAGMA user_version = \(Self.digestVersion)")
        }
    }

    public struct IncompatibleVersion: Error, CustomStringConvertible {
        public var found: Int
        public var description: String { "其中的摘要是第 \(found) 版，本工具读第 \(ArchiveDatabaseWriter.digestVersion) 版；请用本工具重新写出（--format sqlite=FILE）" }
    }

    public func add(_ file: FileResult) {
        pending.append(file)
        if pending.count >= Self.batch { flush() }
    }

    public func finish() { flush() }

    func flush() {
        guard !pending.isEmpty, error == nil else { return }
        let files = pending
        pending.removeAll(keepingCapacity: true)
        do {
            try queue.write { db in
                for file in files { try self.insert(file, db) }
            }
        } catch {
            self.error = "\(error)"
        }
    }

    private func insert(_ file: FileResult, _ db: Database) throws {
        let id: Int64
        if file.isFollowUp, let known = ids[file.path] {
            id = known
        } else {
            let facts = file.facts
            let digest = try file.digest.map { digest in
                // The database may stand in for reports that are gone: every place a finding may point at is located now.
                var stored = digest
                if let positions = file.positions { stored.locateSentences { positions.location(of: $0) } }
                return String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
            }
            try db.execute(sql: """
                INSERT INTO reports (path, issuer, report_year, kind, format_t2, format_t3, format_t4, encoding, file_format,
                  content_hash, publication_date, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [file.path, facts?.issuer, facts?.year, facts?.kind, facts?.formats["二"], facts?.formats["三"],
                                 facts?.formats["四"], file.encoding?.rawValue, file.format?.rawValue,
                                 file.digest.map { String($0.content, radix: 16) }, facts?.publicationDate, digest])
            id = db.lastInsertedRowID
            ids[file.path] = id
            for cell in facts?.cells ?? [] {
                try db.execute(sql: "INSERT INTO cells (report_id, table_name, row_label, column_label, value, raw) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [id, cell.table, cell.row, cell.column, cell.value, cell.raw])
            }
        }
        let positions = file.positions
        for d in file.diagnostics {
            let at = positions?.location(of: d.span.start)
            try db.execute(sql: "INSERT INTO findings (report_id, rule, severity, line, column, message, related_path) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, d.ruleID, d.severity.rawValue, at?.line, at?.column, d.message, d.elsewhere.first?.path])
        }
        for p in file.toolDiagnostics {
            try db.execute(sql: "INSERT INTO problems (report_id, id, message) VALUES (?, ?, ?)", arguments: [id, p.id.rawValue, p.message])
        }
    }

    /// The digests a database holds, for `--history`: (path, digest) in the order written, and how many
    /// reports' digests could not be read (written by an incompatible version, or damaged). Throws when
    /// the file is not an archive database (no `reports` table) or cannot be read.
    public static func digests(in path: String) throws -> (digests: [(path: String, digest: ReportDigest)], unreadable: Int) {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            guard version == 0 || version == digestVersion else { throw IncompatibleVersion(found: version) }
            var out: [(path: String, digest: ReportDigest)] = []
            var unreadable = 0
            for row in try Row.fetchAll(db, sql: "SELECT path, digest FROM reports WHERE digest IS NOT NULL ORDER BY id") {
                let text: String? = row["digest"]
                if let text, let digest = try? JSONDecoder().decode(ReportDigest.self, from: Data(text.utf8)) {
                    out.append((row["path"], digest))
                } else {
                    unreadable += 1
                }
            }
            return (out, unreadable)
        }
    }

    /// Whether a file is an SQLite database (its 16-byte header), so `--history` can tell one from a report.
    public static func isDatabase(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 16)) == Data("SQLite format 3\u{0}".utf8)
    }
}
