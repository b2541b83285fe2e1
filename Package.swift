// swift-tools-version: 6.1
import PackageDescription

// Module graph (one-way): ReportModel → ReportScanner → ReportInputs / RuleKit → Plugins/* → Reporters → LintEngine → reportlint
let package = Package(
    name: "ReportLint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "reportlint", targets: ["reportlint"]),
        .library(name: "LintEngine", targets: ["LintEngine"]),
        .library(name: "RuleKit", targets: ["RuleKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // Byte kernels in C: SSE2 on x86_64, fast in debug builds too (see its header).
        .target(name: "CReportKernels"),
        .target(name: "ReportModel", dependencies: ["CReportKernels"]),
        .target(name: "ReportScanner", dependencies: ["ReportModel", "CReportKernels"]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibZ", path: "Sources/CLibZ", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "ReportInputs",
            dependencies: ["ReportModel", "ReportScanner", "CLibXML2", "CLibZ"]
        ),
        .target(name: "RuleKit", dependencies: ["ReportModel", "ReportScanner"]),
        .target(name: "YAMLRules", dependencies: ["RuleKit", .product(name: "Yams", package: "Yams")]),
        .target(name: "StructureRules", dependencies: ["RuleKit"], path: "Plugins/StructureRules"),
        .target(name: "TableRules", dependencies: ["RuleKit"], path: "Plugins/TableRules"),
        .target(name: "Reporters", dependencies: ["RuleKit"]),
        .target(
            name: "LintEngine",
            dependencies: ["ReportModel", "ReportScanner", "ReportInputs", "RuleKit", "YAMLRules", "StructureRules", "TableRules", "Reporters"]
        ),
        .executableTarget(
            name: "reportlint",
            dependencies: ["LintEngine", "ReportInputs", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Helpers shared by the test targets (a fixed-seed generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ReportScannerTests", dependencies: ["ReportScanner", "ReportModel", "CReportKernels", "TestSupport"]),
        .testTarget(name: "RuleTests", dependencies: ["RuleKit", "YAMLRules", "StructureRules", "TableRules", "LintEngine", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["LintEngine", "Reporters", "reportlint", "TestSupport"]),
        .testTarget(
            name: "ReportInputsTests",
            dependencies: ["ReportInputs", "ReportModel", "ReportScanner", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
