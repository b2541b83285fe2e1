import Benchmark
import BenchSupport
import RuleKit
import ReportInputs
import ReportScanner

/// `SourceText(bytes:)` (line index) and `ReportScanner.scan` of one decoded report.
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

    let decoded = SetupState<[UInt8]>()
    let setup: Benchmark.BenchmarkSetupHook = {
        decoded.value = try TextDecoder.decode(BenchInputs.exampleBytes()).get().bytes
    }

    Benchmark("source-text", closure: { benchmark in
        let bytes = decoded.value
        let clock = ContinuousClock()
        let start = clock.now
        for _ in benchmark.scaledIterations { blackHole(SourceText(bytes: bytes).lineCount) }
        benchmark.measurement(megabytes, megabytesPerSecond(bytes.count * benchmark.scaledIterations.count, clock.now - start))
    }, setup: setup)

    Benchmark("scan", closure: { benchmark in
        let bytes = decoded.value
        let clock = ContinuousClock()
        let start = clock.now
        for _ in benchmark.scaledIterations {
            let document = ReportScanner.scan(SourceText(bytes: bytes))
            blackHole(document.tables.count + document.paragraphs.count)
        }
        benchmark.measurement(megabytes, megabytesPerSecond(bytes.count * benchmark.scaledIterations.count, clock.now - start))
    }, setup: setup)
}
