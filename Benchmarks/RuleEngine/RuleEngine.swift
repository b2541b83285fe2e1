import Benchmark
import BenchSupport
import LintEngine
import RuleKit
import ReportInputs
import ReportScanner

/// Every built-in rule on by default (`RuleSet.all()`: Swift plugins and default YAML packs) on one scanned document, and on each example report in turn.
let benchmarks: @Sendable () -> Void = {
    let megabytes = BenchmarkMetric.custom(BenchSettings.megabytesPerSecondMetric, polarity: .prefersLarger, useScalingFactor: false)
    let time = BenchmarkThresholds(relative: [.p50: BenchSettings.relativeTime[0], .p90: BenchSettings.relativeTime[1]])
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal, megabytes],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(5),
        maxIterations: 30,
        thresholds: [.wallClock: time, .throughput: time, megabytes: time,
                     .peakMemoryResident: .init(relative: [.p90: 20]), .mallocCountTotal: .init(relative: [.p90: 5], absolute: [.p90: 2])]
    )

    let rules = RuleSet.all()
    let one = SetupState<Document>()
    Benchmark("all-rules", closure: { benchmark in
        let document = one.value
        let clock = ContinuousClock()
        let start = clock.now
        for _ in benchmark.scaledIterations { blackHole(rules.run(on: document).diagnostics.count) }
        benchmark.measurement(megabytes, megabytesPerSecond(document.source.bytes.count * benchmark.scaledIterations.count, clock.now - start))
    }, setup: {
        one.value = ReportScanner.scan(SourceText(bytes: try TextDecoder.decode(BenchInputs.exampleBytes()).get().bytes))
    })

    // One iteration checks every example (clean and defective ones, so findings are built too).
    let all = SetupState<[Document]>()
    Benchmark("all-rules-examples", configuration: .init(scalingFactor: .one, maxIterations: 2_000), closure: { benchmark in
        let documents = all.value
        let bytes = documents.reduce(0) { $0 + $1.source.bytes.count }
        let clock = ContinuousClock()
        let start = clock.now
        var findings = 0
        for document in documents { findings += rules.run(on: document).diagnostics.count }
        blackHole(findings)
        benchmark.measurement(megabytes, megabytesPerSecond(bytes, clock.now - start))
    }, setup: {
        all.value = try BenchInputs.examples().map { ReportScanner.scan(SourceText(bytes: try TextDecoder.decode(BenchInputs.exampleBytes($0)).get().bytes)) }
    })
}
