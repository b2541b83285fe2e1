import Benchmark
import BenchSupport
import Foundation
import LintEngine
import Reporters
import RunResults
import RuleKit

/// Each output writer on many findings (the example reports linted once in setup, repeated as 200
/// files) and on one 2 MB line (2,000 findings along it, one of them with a 2 MB message), written
/// to /dev/null. The second shape is where cost per finding must not grow with the line.
let benchmarks: @Sendable () -> Void = {
    let time = BenchmarkThresholds(relative: [.p50: BenchSettings.relativeTime[0], .p90: BenchSettings.relativeTime[1]])
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 50,
        thresholds: [.wallClock: time, .throughput: time,
                     .peakMemoryResident: .init(relative: [.p90: 20]), .mallocCountTotal: .init(relative: [.p90: 5], absolute: [.p90: 2])]
    )

    let many = SetupState<[FileResult]>()
    let long = SetupState<[FileResult]>()

    for name in WriterBench.formats {
        Benchmark("\(name)-many-findings", closure: { benchmark in
            let files = many.value
            for _ in benchmark.scaledIterations { WriterBench.write(name, files) }
        }, setup: {
            many.value = try WriterBench.manyFindings()
        })
        Benchmark("\(name)-2mb-line", closure: { benchmark in
            let files = long.value
            for _ in benchmark.scaledIterations { WriterBench.write(name, files) }
        }, setup: {
            long.value = [WriterBench.twoMegabyteLine()]
        })
    }
}

enum WriterBench {
    static let formats = ["human", "json", "github", "junit", "sarif"]

    static func reporter(_ name: String, _ sink: OutputSink) -> any Reporter {
        switch name {
        case "json": JSONReporter(sink: sink)
        case "github": GitHubReporter(sink: sink)
        case "junit": JUnitReporter(sink: sink)
        case "sarif": SARIFReporter(sink: sink, rules: [])
        default: HumanReporter(sink: sink, color: false)
        }
    }

    static func write(_ name: String, _ files: [FileResult]) {
        let sink = OutputSink(handle: .nullDevice, isTerminal: false)
        let reporter = reporter(name, sink)
        var summary = RunSummary()
        for file in files {
            reporter.add(file)
            summary.add(file)
        }
        reporter.finish(summary)
    }

    /// The example reports linted with every default rule, repeated under 200 paths in all.
    static func manyFindings() throws -> [FileResult] {
        let linter = Linter(rules: RuleSet.all())
        let results = try BenchInputs.examples().map { path in
            linter.lint(bytes: try BenchInputs.exampleBytes(path), path: path, format: .text)
        }
        return (0..<200).map { i in
            var file = results[i % results.count]
            file.path = "reports/\(i / 50)/\(i)-" + file.path
            return file
        }
    }

    /// One 2 MB line ("一a" repeated), 2,000 findings spread along it, the first with a 2 MB message.
    static func twoMegabyteLine() -> FileResult {
        let source = SourceText(String(repeating: "一a", count: 1 << 19) + "\n")
        let message = String(repeating: "50%: a,b\n", count: (2 << 20) / 9)
        let count = 2000
        let step = (source.bytes.count - 8) / count / 4 * 4
        let diagnostics = (0..<count).map { k in
            Diagnostic(ruleID: "bench.long", severity: .warning, span: SourceSpan(start: k * step, end: k * step + 4), message: k == 0 ? message : "第 \(k) 处")
        }
        return FileResult(path: "long-line.txt", format: .text, encoding: .utf8, source: source, diagnostics: diagnostics)
    }
}
