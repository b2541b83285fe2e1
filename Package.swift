// swift-tools-version: 6.1
import PackageDescription

// Module graph (one-way; CONTRIBUTING.md draws it, scripts/check-imports checks every import against it):
//   ReportModel → ReportScanner, ReportInputs, RuleKit, UserPatterns
//   RuleKit → StructureRules, TableRules (Plugins/), YAMLRules (+ UserPatterns, YAMLFiles) → RuleCatalog
//   RuleKit + ReportScanner → RuleTesting;  RuleKit → RunResults → Reporters
//   all of these → LintEngine → ReportLintCLI → reportlint
let package = Package(
    name: "ReportLint",
    // macOS 15: Synchronization's Mutex. Linux is where this is built and tested (CI); the
    // platform calls are guarded for Darwin, but no macOS build is tested.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "reportlint", targets: ["reportlint"]),
        // For a custom `reportlint` with rules of its own (docs/custom-rules.md, Examples/custom-rules).
        .library(name: "ReportLintCLI", targets: ["ReportLintCLI"]),
        .library(name: "RuleKit", targets: ["RuleKit"]),
        .library(name: "RuleTesting", targets: ["RuleTesting"]),
        // The pipeline for tools built on it (Benchmarks/, Fuzz/): inputs, scanner, engine, results, reporters.
        .library(name: "LintEngine", targets: ["LintEngine", "ReportInputs", "ReportScanner", "RunResults", "Reporters"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Byte kernels in C: SSE2 on x86_64, fast in debug builds too (see its header).
        .target(name: "CReportKernels"),
        .target(name: "ReportModel", dependencies: ["CReportKernels"]),
        .target(name: "ReportScanner", dependencies: ["ReportModel", "CReportKernels"]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibZ", path: "Sources/CLibZ", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Bytes of a file to the text the scanner reads: decoding, HTML, Word (the system zlib, libxml2), Markdown, PDF.
        .target(
            name: "ReportInputs",
            dependencies: ["ReportModel", "CLibXML2", "CLibZ"]
        ),
        // The rule SDK: the document model, the rule protocols, examples. Plugins see nothing else.
        .target(name: "RuleKit", dependencies: ["ReportModel"]),
        // User regular expressions: ICU's matches, or nil; a byte matcher and literal pre-filters for speed.
        .target(name: "UserPatterns", dependencies: ["ReportModel"]),
        // Reading YAML files safely, with positioned errors (rule files and the configuration).
        // It also imports Yams' CYaml (libyaml), which Yams does not offer as a product: see YAMLText.swift.
        .target(name: "YAMLFiles", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "YAMLRules", dependencies: ["RuleKit", "UserPatterns", "YAMLFiles", .product(name: "Yams", package: "Yams")]),
        .target(name: "StructureRules", dependencies: ["RuleKit"], path: "Plugins/StructureRules"),
        .target(name: "TableRules", dependencies: ["RuleKit"], path: "Plugins/TableRules"),
        // The rules across reports (crossyear.*, archive.*): digests of each report, and the checks over a run.
        .target(name: "ArchiveRules", dependencies: ["RuleKit", "RunResults"]),
        // The archive database (`--format sqlite=FILE`, `--history FILE.sqlite`): SQLite through GRDB.
        .target(name: "ArchiveDatabase", dependencies: ["RuleKit", "RunResults", .product(name: "GRDB", package: "GRDB.swift")]),
        // The rules built into the tool, and the registration of further plugins.
        .target(name: "RuleCatalog", dependencies: ["RuleKit", "YAMLFiles", "YAMLRules", "StructureRules", "TableRules", "ArchiveRules"]),
        // Runs rule examples as tests (`reportlint test-rules`, the test suites, custom rule packages).
        .target(name: "RuleTesting", dependencies: ["RuleKit", "ReportScanner"]),
        // What a run produced, per file and in total: what reporters read and the engine writes.
        .target(name: "RunResults", dependencies: ["RuleKit"]),
        .target(name: "Reporters", dependencies: ["RuleKit", "RunResults"]),
        .target(
            name: "LintEngine",
            dependencies: ["ReportModel", "ReportScanner", "ReportInputs", "RuleKit", "RunResults", "YAMLFiles", "YAMLRules",
                           "RuleCatalog", "RuleTesting", "Reporters", "ArchiveRules", "ArchiveDatabase", .product(name: "Yams", package: "Yams")]
        ),
        // The commands, as a library, so that another package can build its own `reportlint`.
        .target(
            name: "ReportLintCLI",
            dependencies: ["LintEngine", "RuleKit", "RuleCatalog", "RuleTesting", "RunResults", "Reporters", "ReportInputs", "YAMLFiles", "YAMLRules",
                           "ArchiveDatabase", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "reportlint", dependencies: ["ReportLintCLI"]),
        // Helpers shared by the test targets (a fixed-seed generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ReportScannerTests", dependencies: ["ReportScanner", "ReportModel", "ReportInputs", "CReportKernels", "TestSupport"]),
        .testTarget(name: "UserPatternsTests", dependencies: ["UserPatterns", "ReportModel", "TestSupport", .product(name: "Yams", package: "Yams")]),
        // Rule tests build without the pipeline: the catalogue and the example harness only.
        .testTarget(
            name: "RuleTests",
            dependencies: ["RuleKit", "RuleCatalog", "RuleTesting", "YAMLRules", "YAMLFiles", "UserPatterns", "StructureRules", "TableRules",
                           "ReportModel", "ReportScanner", "TestSupport", .product(name: "Yams", package: "Yams")],
            // Per-rule snapshots of rendered findings (FindingSnapshotTests), read from the source tree.
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "EngineTests",
            dependencies: ["LintEngine", "ReportLintCLI", "RuleKit", "RuleCatalog", "RunResults", "Reporters", "ReportInputs", "YAMLFiles",
                           "YAMLRules", "ArchiveDatabase", "ArchiveRules", "ReportScanner", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "ReportInputsTests",
            dependencies: ["ReportInputs", "ReportModel", "ReportScanner", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
