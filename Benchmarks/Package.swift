// swift-tools-version: 6.1
import PackageDescription

/// SwiftPM names a path dependency after its folder: the checkout's folder name, whatever it is.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main").lowercased()

// Benchmarks live in their own package so that the root package never depends on package-benchmark
// (STYLE.md §3.3). Run from this folder:
//   swift package --allow-writing-to-package-directory benchmark
//   swift package --allow-writing-to-package-directory benchmark thresholds update   # writes Thresholds/
//   swift package benchmark thresholds check
let package = Package(
    name: "ReportLintBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        // The repository formerly known as ordo-one/package-benchmark (1.38.1 warns about the old identity).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "LintEngine", package: root), .product(name: "RuleKit", package: root)],
            path: "BenchSupport"
        ),
        .executableTarget(
            name: "DecoderThroughput",
            dependencies: ["BenchSupport", .product(name: "LintEngine", package: root), .product(name: "RuleKit", package: root), .product(name: "Benchmark", package: "benchmark")],
            path: "DecoderThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ScannerThroughput",
            dependencies: ["BenchSupport", .product(name: "LintEngine", package: root), .product(name: "RuleKit", package: root), .product(name: "Benchmark", package: "benchmark")],
            path: "ScannerThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RuleEngine",
            dependencies: ["BenchSupport", .product(name: "LintEngine", package: root), .product(name: "RuleKit", package: root), .product(name: "Benchmark", package: "benchmark")],
            path: "RuleEngine",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Writers",
            dependencies: ["BenchSupport", .product(name: "LintEngine", package: root), .product(name: "RuleKit", package: root), .product(name: "Benchmark", package: "benchmark")],
            path: "Writers",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ArchiveEndToEnd",
            dependencies: ["BenchSupport", .product(name: "LintEngine", package: root), .product(name: "RuleKit", package: root), .product(name: "Benchmark", package: "benchmark")],
            path: "ArchiveEndToEnd",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
