import Benchmark
import BenchSupport
import Foundation
import LintEngine

/// `reportlint lint --format sarif --output /dev/null DIR` in process: walk, read, decode, scan, all
/// rules and SARIF, over generated plain-text archives of 1,000 and 10,000 reports, and the 1,000 once
/// more without the rules across reports. The archive is
/// generated once in setup (`gen-archive --formats txt --seed bench`) and kept in the temporary folder.
/// Throughput is whole archives per second; `reports/s` and `MB/s` (file bytes) are measured per iteration.
let benchmarks: @Sendable () -> Void = {
    let megabytes = BenchmarkMetric.custom(BenchSettings.megabytesPerSecondMetric, polarity: .prefersLarger, useScalingFactor: false)
    let reports = BenchmarkMetric.custom("reports/s", polarity: .prefersLarger, useScalingFactor: false)
    let time = BenchmarkThresholds(relative: [.p50: BenchSettings.relativeTime[0], .p90: BenchSettings.relativeTime[1]])
    let jobs = ProcessInfo.processInfo.activeProcessorCount

    // archive-N: all rules; archive-N-single: without the rules across reports (issue 15 compares the two).
    for (count, acrossReports) in [(1_000, true), (1_000, false), (10_000, true)] {
        let archive = SetupState<(path: String, bytes: Int, files: Int)>()
        Benchmark(
            "archive-\(count)" + (acrossReports ? "" : "-single"),
            configuration: .init(
                metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal, megabytes, reports],
                warmupIterations: 1,
                scalingFactor: .one,
                maxDuration: .seconds(count == 1_000 ? 20 : 60),
                maxIterations: count == 1_000 ? 10 : 4,
                thresholds: [.wallClock: time, .throughput: time, megabytes: time, reports: time,
                             .peakMemoryResident: .init(relative: [.p90: 25]), .mallocCountTotal: .init(relative: [.p90: 5])]
            ),
            closure: { benchmark in
                let archive = archive.value
                let clock = ContinuousClock()
                let start = clock.now
                do {
                    let outcome = try EndToEnd.lint(archive.path, jobs: jobs, acrossReports: acrossReports)
                    guard outcome.summary.filesLinted == archive.files else {
                        benchmark.error("linted \(outcome.summary.filesLinted) of \(archive.files) reports")
                        return
                    }
                } catch {
                    benchmark.error("\(error)")
                }
                let elapsed = clock.now - start
                benchmark.measurement(megabytes, megabytesPerSecond(archive.bytes, elapsed))
                benchmark.measurement(reports, perSecond(Double(archive.files), elapsed))
            },
            setup: { archive.value = try BenchInputs.archive(count: count) }
        )
    }
}
