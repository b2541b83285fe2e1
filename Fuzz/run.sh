#!/usr/bin/env bash
# Builds the libFuzzer target and runs it over a seed corpus made from Examples/ and Tests/Fixtures/.
#
#   Fuzz/run.sh                 # 1,000,000 executions (RUNS=...), inputs up to 64 KiB, 10 s timeout per input
#   RUNS=-1 Fuzz/run.sh         # run until stopped or until a crash
#   Fuzz/run.sh -len_control=0 -max_total_time=3600   # extra arguments go to libFuzzer
#
# Findings land in Fuzz/artifacts/ (crash-*, timeout-*, oom-*). Minimize one with
#   Fuzz/.build/release/FuzzReport -minimize_crash=1 -runs=10000 -exact_artifact_path=min.bin Fuzz/artifacts/crash-…
# and keep it under Tests/Fixtures/fuzz/ with a regression test (Tests/EngineTests/MalformedInputTests.swift).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

# The C kernels (Sources/CReportKernels) get coverage and address checks too.
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link,address)
swift build "${flags[@]}" 1>&2
binary="$(swift build "${flags[@]}" --show-bin-path)/FuzzReport"

# Seed corpus: every example and fixture report, plus the kept fuzz findings (regression inputs).
seeds="$here/seeds"
corpus="$here/corpus"
mkdir -p "$seeds" "$corpus" "$here/artifacts"
while IFS= read -r -d '' file; do
  cp "$file" "$seeds/$(printf '%s' "${file#"$root"/}" | tr '/' '_')"
done < <(find "$root/Examples" "$root/Tests/Fixtures/reports" "$root/Tests/Fixtures/inputs" "$root/Tests/Fixtures/fuzz" \
           -type f \( -name '*.txt' -o -name '*.html' -o -name '*.htm' -o -name '*.bin' \) -size -64k -print0 2>/dev/null)

# The detector of container overflows needs an instrumented standard library; Swift's is not.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_container_overflow=0:detect_leaks=0}"
exec "$binary" -runs="${RUNS:-1000000}" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$here/artifacts/" -print_final_stats=1 "$@" "$corpus" "$seeds"
