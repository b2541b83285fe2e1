import Benchmark
import BenchSupport
import RuleKit
import ReportInputs

/// `TextDecoder.decode` of one report: valid UTF-8 (validated and kept) and the same report in
/// GB18030 (UTF-8 validation fails, then iconv converts). Throughput is decodes per second.
let benchmarks: @Sendable () -> Void = {
    let megabytes = BenchmarkMetric.custom(BenchSettings.megabytesPerSecondMetric, polarity: .prefersLarger, useScalingFactor: false)
    let time = BenchmarkThresholds(relative: [.p50: BenchSettings.relativeTime[0], .p90: BenchSettings.relativeTime[1]])
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal, megabytes],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 40,
        thresholds: [.wallClock: time, .throughput: time, megabytes: time,
                     .peakMemoryResident: .init(relative: [.p90: 20]), .mallocCountTotal: .init(relative: [.p90: 5], absolute: [.p90: 2])]
    )

    for encoding in ["utf8", "gb18030"] {
        let input = SetupState<[UInt8]>()
        Benchmark("decode-\(encoding)", closure: { benchmark in
            let bytes = input.value
            let clock = ContinuousClock()
            let start = clock.now
            for _ in benchmark.scaledIterations {
                switch TextDecoder.decode(bytes) {
                case .success(let decoded): blackHole(decoded.bytes.count)
                case .failure(let error): benchmark.error("decode failed: \(error)")
                }
            }
            benchmark.measurement(megabytes, megabytesPerSecond(bytes.count * benchmark.scaledIterations.count, clock.now - start))
        }, setup: {
            let utf8 = try BenchInputs.exampleBytes()
            input.value = encoding == "utf8" ? utf8 : try BenchInputs.gb18030(utf8)
            // The GB18030 input must really take the iconv path.
            if encoding == "gb18030", case .success(let decoded) = TextDecoder.decode(input.value), decoded.encoding != .gb18030 {
                throw BenchError("expected GB18030 detection, got \(decoded.encoding)")
            }
        })
    }
}
