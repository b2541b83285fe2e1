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
    ],
    targets: [
        .target(name: "ReportModel"),
        .target(name: "ReportScanner", dependencies: ["ReportModel"]),
        .target(name: "ReportInputs", dependencies: ["ReportModel", "ReportScanner"]),
        .target(name: "RuleKit", dependencies: ["ReportModel", "ReportScanner"]),
        .target(name: "StructureRules", dependencies: ["RuleKit"], path: "Plugins/StructureRules"),
        .target(name: "TableRules", dependencies: ["RuleKit"], path: "Plugins/TableRules"),
        .target(name: "Reporters", dependencies: ["RuleKit"]),
        .target(
            name: "LintEngine",
            dependencies: ["ReportModel", "ReportScanner", "ReportInputs", "RuleKit", "StructureRules", "TableRules", "Reporters"]
        ),
        .executableTarget(
            name: "reportlint",
            dependencies: ["LintEngine", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "ReportScannerTests", dependencies: ["ReportScanner", "ReportModel"]),
        .testTarget(name: "RuleTests", dependencies: ["RuleKit", "StructureRules", "TableRules", "LintEngine"]),
        .testTarget(name: "EngineTests", dependencies: ["LintEngine", "Reporters"]),
    ],
    swiftLanguageModes: [.v6]
)
