// swift-tools-version: 6.1
// A custom `reportlint` with a rule of its own, built from outside the ReportLint repository
// (docs/custom-rules.md). Another package depends on ReportLint by URL and version instead:
//   .package(url: "https://example.org/reportlint.git", from: "1.0.0")
import PackageDescription

let package = Package(
    name: "AcmeReportLint",
    // macOS 15: Synchronization's Mutex. Linux is where this is built and tested (CI); the
    // platform calls are guarded for Darwin, but no macOS build is tested.
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ReportLint", path: "../.."),
    ],
    targets: [
        // The rules: they see the rule SDK (RuleKit) and nothing else of ReportLint.
        .target(name: "AcmeRules", dependencies: [.product(name: "RuleKit", package: "ReportLint")]),
        // The tool: ReportLint's command line with the rules registered.
        .executableTarget(
            name: "acme-reportlint",
            dependencies: ["AcmeRules", .product(name: "ReportLintCLI", package: "ReportLint")]
        ),
        // The rules' examples run as tests, as the built-in rules' do.
        .testTarget(
            name: "AcmeRulesTests",
            dependencies: ["AcmeRules", .product(name: "RuleKit", package: "ReportLint"), .product(name: "RuleTesting", package: "ReportLint")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
