// swift-tools-version: 6.1
import PackageDescription

/// SwiftPM names a path dependency after its folder: the checkout's folder name, whatever it is.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main").lowercased()

// A libFuzzer target over the whole per-file pipeline (decoder, input readers, scanner, every
// built-in rule, position mapping). Its own package so that the root package never carries fuzzing
// flags. Build and run with ./run.sh; the flags go on the command line because SwiftPM has no
// setting for -sanitize=fuzzer:
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
let package = Package(
    name: "ReportLintFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzReport",
            dependencies: [.product(name: "LintEngine", package: root), .product(name: "RuleKit", package: root)],
            path: "FuzzReport"
        ),
    ],
    swiftLanguageModes: [.v6]
)
