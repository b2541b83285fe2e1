import Foundation
import Testing

/// Package.swift, CONTRIBUTING.md's module graph and the `import` lines must agree: a module
/// imports only what Package.swift declares for it, and the graph drawn for contributors is the
/// one Package.swift builds.
struct ModuleGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path

    /// Modules every target may import: the platform's, and the test library in test targets.
    static let system: Set<String> = ["Foundation", "FoundationXML", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization"]
    /// Imports SwiftPM cannot declare, with the reason (also in Package.swift beside the target).
    static let undeclarable: [String: Set<String>] = [
        // Yams' libyaml target, which Yams does not offer as a product (YAMLText.swift says why it is needed).
        "YAMLFiles": ["CYaml"],
    ]

    struct Target {
        var name: String
        var kind: String
        var path: String
        var dependencies: Set<String>
    }

    /// The targets of a manifest, read from its text: each `.target(`, `.testTarget(`,
    /// `.executableTarget(` or `.systemLibrary(` call with its name, path and dependencies (a
    /// product's module is its name).
    static func targets(manifest: String) -> [Target] {
        let text = Array(manifest.utf8)
        var out: [Target] = []
        for kind in ["target", "testTarget", "executableTarget", "systemLibrary"] {
            let opener = Array(".\(kind)(".utf8)
            var i = 0
            while i + opener.count <= text.count {
                guard Array(text[i..<(i + opener.count)]) == opener else { i += 1; continue }
                var depth = 0, j = i + opener.count - 1
                repeat {
                    if text[j] == UInt8(ascii: "(") { depth += 1 }
                    if text[j] == UInt8(ascii: ")") { depth -= 1 }
                    j += 1
                } while depth > 0 && j < text.count
                let call = String(decoding: text[i..<j], as: UTF8.self)
                i = j
                guard let name = firstMatch(#"name: "([^"]+)""#, in: call) else { continue }
                var dependencies = Set<String>()
                if let deps = call.range(of: #"(?s)dependencies: \[(.*?)\](,|\s*\))"#, options: .regularExpression) {
                    let list = String(call[deps])
                    for product in allMatches(#"\.product\(name: "([^"]+)""#, in: list) { dependencies.insert(product) }
                    let plain = list.replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
                    for dependency in allMatches(#""([^"]+)""#, in: plain) { dependencies.insert(dependency) }
                }
                let base = kind == "testTarget" ? "Tests" : "Sources"
                let path = firstMatch(#"path: "([^"]+)""#, in: call) ?? "\(base)/\(name)"
                out.append(Target(name: name, kind: kind, path: path, dependencies: dependencies))
            }
        }
        return out
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? { allMatches(pattern, in: text).first }

    static func allMatches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// The modules a Swift file imports (plain, `@testable`, `@_exported`, and inside `#if`).
    static func imports(of source: String) -> Set<String> {
        Set(allMatches(#"(?m)^\s*(?:@testable\s+|@_exported\s+)?import\s+(?:(?:struct|class|enum|func|protocol)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#, in: source))
    }

    static func swiftFiles(under path: String) -> [String] {
        let items = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return items.filter { $0.hasSuffix(".swift") }.map { path + "/" + $0 }
    }

    static func manifestTargets() throws -> [Target] {
        targets(manifest: try String(contentsOfFile: root + "/Package.swift", encoding: .utf8))
    }

    @Test func everyImportIsDeclared() throws {
        let targets = try Self.manifestTargets()
        #expect(targets.count >= 20, "the manifest's targets were not read")
        let names = Set(targets.map(\.name))
        var problems: [String] = []
        for target in targets where target.kind != "systemLibrary" {
            let files = Self.swiftFiles(under: Self.root + "/" + target.path)
            // A C target (its headers under include/) has no Swift files; any other target must have some.
            let isC = FileManager.default.fileExists(atPath: Self.root + "/" + target.path + "/include")
            #expect(isC || !files.isEmpty, "\(target.name): no Swift files under \(target.path)")
            var allowed = target.dependencies.union(Self.system).union(Self.undeclarable[target.name] ?? [])
            allowed.insert(target.name)
            if target.kind == "testTarget" { allowed.insert("Testing") }
            for file in files {
                let source = try String(contentsOfFile: file, encoding: .utf8)
                for module in Self.imports(of: source) where !allowed.contains(module) {
                    let known = names.contains(module) ? "a target of this package" : "not a target of this package"
                    problems.append("\(file.dropFirst(Self.root.count + 1)): imports \(module) (\(known)), which Package.swift does not declare for \(target.name)")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The check itself fails on an undeclared import (so that an empty result means something).
    @Test func anUndeclaredImportIsFound() {
        let manifest = #"""
            .target(name: "A", dependencies: ["B", .product(name: "Yams", package: "Yams")]),
            .testTarget(name: "ATests", dependencies: ["A"], path: "Tests/X"),
            """#
        let targets = Self.targets(manifest: manifest)
        #expect(targets.map(\.name) == ["A", "ATests"])
        #expect(targets[0].dependencies == ["B", "Yams"])
        #expect(targets[1].path == "Tests/X")
        #expect(Self.imports(of: "import B\n#if canImport(Glibc)\n  import Glibc\n#endif\n@testable import C\n@_exported import D\n// import E\n")
            == ["B", "Glibc", "C", "D"])
    }

    /// CONTRIBUTING.md's module graph lists each library and executable target with what it
    /// depends on in this package; it must be exactly the graph Package.swift declares.
    @Test func contributingDrawsTheManifestsGraph() throws {
        let targets = try Self.manifestTargets().filter { $0.kind != "testTarget" && $0.path.hasPrefix("Tests/") == false }
        let names = Set(targets.map(\.name))
        let declared = Dictionary(uniqueKeysWithValues: targets.map { ($0.name, $0.dependencies.intersection(names)) })
        let contributing = try String(contentsOfFile: Self.root + "/CONTRIBUTING.md", encoding: .utf8)
        let found = contributing.range(of: #"(?s)```text module-graph\n(.*?)```"#, options: .regularExpression)
        let block = try #require(found, "CONTRIBUTING.md has no ```text module-graph block")
        var drawn: [String: Set<String>] = [:]
        for line in contributing[block].split(separator: "\n").dropFirst().dropLast() {
            let parts = line.split(separator: "←", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty else { continue }
            let dependencies = parts.count > 1 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            drawn[name] = Set(dependencies)
        }
        #expect(drawn == declared, "CONTRIBUTING.md's module graph differs from Package.swift: \(Self.difference(drawn, declared))")
    }

    static func difference(_ drawn: [String: Set<String>], _ declared: [String: Set<String>]) -> String {
        var out: [String] = []
        for name in Set(drawn.keys).union(declared.keys).sorted() where drawn[name] != declared[name] {
            out.append("\(name): drawn \(drawn[name].map { $0.sorted().joined(separator: ", ") } ?? "—"), declared \(declared[name].map { $0.sorted().joined(separator: ", ") } ?? "—")")
        }
        return out.joined(separator: "; ")
    }
}
