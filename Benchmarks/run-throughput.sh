#!/usr/bin/env bash
# End-to-end throughput of the built CLI on a plain-text archive, measured in one sitting:
#   reportlint lint --format sarif --output /dev/null DIR   with --jobs 1 and --jobs 2, and --jobs 2 without the
#   rules across reports
#   cat of every report, and grep -c 年 over every report   (what reading alone costs)
# Each is timed with /usr/bin/time -v (wall clock, CPU time in user and system mode, and peak RSS) and printed as
# MB/s and reports/s. CPU time drifts far less than wall clock on a shared machine: the ratio of the rules across
# reports is given on both.
#
#   Benchmarks/run-throughput.sh [DIR]
#
# DIR: an existing archive of .txt reports. Without it a 5,000-report archive (~70 MB) is generated with
# ../shared/tools/gen-archive into a temporary folder and removed afterwards.
# Environment: COUNT (reports to generate, 5000), SEED (bench), LINK (static: the release build as shipped,
# `swift build -c release --static-swift-stdlib`, in .build-static; dynamic: the plain release build, in .build),
# SCRATCH_PATH (the build folder, default by LINK), REPEAT (rounds: each command runs once per round, in turn; best
# and median wall clock; 1).
# Targets (issue 6): >= 150 MB/s end to end, peak RSS <= 150 MB, --jobs 2 >= 1.7x --jobs 1; (issue 15) with the
# rules across reports within 10 % of the time without them (--ignore 'crossyear.*' --ignore 'archive.*'). This script
# only measures and reports; its exit status is non-zero only when a command fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
count="${COUNT:-5000}"
seed="${SEED:-bench}"
repeat="${REPEAT:-1}"
link="${LINK:-static}"
case "$link" in
  static) build_flags=(--static-swift-stdlib); scratch="${SCRATCH_PATH:-$root/.build-static}" ;;
  dynamic) build_flags=(); scratch="${SCRATCH_PATH:-$root/.build}" ;;
  *) echo "LINK must be static or dynamic" >&2; exit 2 ;;
esac

if [[ ! -x /usr/bin/time ]]; then
  echo "installing GNU time (/usr/bin/time)…" >&2
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

cleanup=""
if [[ $# -ge 1 ]]; then
  dir="$(cd "$1" && pwd)"
else
  generator="$root/../shared/tools/gen-archive"
  [[ -f "$generator" ]] || { echo "no archive given and $generator not found" >&2; exit 2; }
  dir="$(mktemp -d "${TMPDIR:-/tmp}/reportlint-throughput.XXXXXX")"
  cleanup="$dir"
  echo "generating $count reports into $dir…" >&2
  python3 "$generator" --out "$dir" --count "$count" --formats txt --seed "$seed" 2>/dev/null
fi
trap '[[ -n "$cleanup" ]] && rm -rf "$cleanup"' EXIT

echo "building (swift build -c release ${build_flags[*]} --scratch-path $scratch)…" >&2
(cd "$root" && swift build -c release "${build_flags[@]}" --scratch-path "$scratch" >&2)
binary="$scratch/release/reportlint"

list="$(mktemp)"
trap '[[ -n "$cleanup" ]] && rm -rf "$cleanup"; rm -f "$list" "$list".*' EXIT
find "$dir" -type f -name '*.txt' -print0 | sort -z > "$list"
reports="$(tr -cd '\0' < "$list" | wc -c)"
bytes="$(xargs -0 cat < "$list" | wc -c)"
[[ "$reports" -gt 0 ]] || { echo "no .txt reports in $dir" >&2; exit 2; }
# Warm the page cache so that every command reads from memory.
xargs -0 cat < "$list" > /dev/null

printf '\narchive: %s\nreports: %d  bytes: %d (%.1f MB)  cores: %s  %s\n\n' \
  "$dir" "$reports" "$bytes" "$(echo "$bytes / 1000000" | bc -l)" "$(nproc)" "$link build, commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources Plugins Rules 2>/dev/null || echo ' (+ uncommitted changes)')"
printf '%-34s %10s %10s %10s %12s %12s %12s\n' "command" "best s" "median s" "MB/s" "reports/s" "peak RSS MB" "median CPU s"

# measure KEY LABEL STATUS-OK COMMAND...: the best wall clock of $repeat runs, with that run's peak RSS.
# The commands run in rounds (each once per round, in turn), so that all of them see the same drift of
# a shared machine; each keeps its best wall clock (with that run's peak RSS) and its median.
declare -A wall rss times cpus
median_in() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
median_of() { median_in "${times[$1]}"; }
median_cpu() { median_in "${cpus[$1]}"; }
run_once() {
  local key="$1" name="$2" okstatus="$3"; shift 3
  local status=0
  /usr/bin/time -v -o "$list.time" "$@" > /dev/null 2> "$list.err" || status=$?
  # /usr/bin/time passes the command's exit status through; lint exits 1 when it has findings.
  if [[ $status -gt $okstatus ]]; then
    echo "$name failed with exit status $status:" >&2; tail -5 "$list.err" >&2; cat "$list.time" >&2; exit 1
  fi
  local elapsed maxrss cpu
  elapsed="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$list.time")"
  maxrss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$list.time")"
  cpu="$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { print s }' "$list.time")"
  times[$key]="${times[$key]:-} $elapsed"
  cpus[$key]="${cpus[$key]:-} $cpu"
  if [[ -z "${wall[$key]:-}" ]] || (( $(echo "$elapsed < ${wall[$key]}" | bc -l) )); then wall[$key]="$elapsed"; rss[$key]="$maxrss"; fi
}
report() {
  local key="$1" name="$2" median
  median="$(median_of "$key")"
  printf '%-34s %10.2f %10.2f %10.1f %12.0f %12.1f %12.2f\n' "$name" "${wall[$key]}" "$median" "$(echo "$bytes / 1000000 / ${wall[$key]}" | bc -l)" \
    "$(echo "$reports / ${wall[$key]}" | bc -l)" "$(echo "${rss[$key]} / 1024" | bc -l)" "$(median_cpu "$key")"
}

for ((round = 0; round < repeat; round++)); do
  run_once j1 "reportlint --jobs 1 (sarif)" 1 "$binary" lint --quiet --format sarif --output /dev/null --jobs 1 "$dir"
  run_once j2 "reportlint --jobs 2 (sarif)" 1 "$binary" lint --quiet --format sarif --output /dev/null --jobs 2 "$dir"
  # The same without the rules across reports (issue 15: with them, within 10 % of this).
  run_once j2single "  without the rules across reports" 1 "$binary" lint --quiet --format sarif --output /dev/null --jobs 2 \
    --ignore 'crossyear.*' --ignore 'archive.*' "$dir"
  run_once cat "cat" 0 xargs -0 -a "$list" cat
  # grep -c exits 1 for a file without a match; xargs turns that into 123.
  run_once grep "grep -c 年" 123 xargs -0 -a "$list" grep -c 年
done
report j1 "reportlint --jobs 1 (sarif)"
report j2 "reportlint --jobs 2 (sarif)"
report j2single "  without the rules across reports"
report cat "cat"
report grep "grep -c 年"

speedup="$(echo "${wall[j1]} / ${wall[j2]}" | bc -l)"
median_speedup="$(echo "$(median_of j1) / $(median_of j2)" | bc -l)"
best_mbs="$(echo "$bytes / 1000000 / ${wall[j2]}" | bc -l)"
worst_rss="$(( rss[j1] > rss[j2] ? rss[j1] : rss[j2] ))"
verdict() { if (( $(echo "$1" | bc -l) )); then echo "met"; else echo "NOT met"; fi; }
printf '\n--jobs 2 speedup over --jobs 1: %.2fx best to best, %.2fx median to median (target >= 1.7x: %s)\n' "$speedup" "$median_speedup" \
  "$(verdict "$speedup >= 1.7")"
median_mbs="$(echo "$bytes / 1000000 / $(median_of j2)" | bc -l)"
printf 'end to end at --jobs 2: %.1f MB/s best, %.1f MB/s median (target >= 150 MB/s: %s at best, %s at median)\n' "$best_mbs" "$median_mbs" \
  "$(verdict "$best_mbs >= 150")" "$(verdict "$median_mbs >= 150")"
cross="$(echo "${wall[j2]} / ${wall[j2single]}" | bc -l)"
median_cross="$(echo "$(median_of j2) / $(median_of j2single)" | bc -l)"
printf 'with the rules across reports / without, --jobs 2: %.2fx best to best, %.2fx median to median (target <= 1.10x: %s)\n' \
  "$cross" "$median_cross" "$(verdict "$cross <= 1.10")"
cpu_cross="$(echo "$(median_cpu j2) / $(median_cpu j2single)" | bc -l)"
printf 'the same in CPU time (user + system), median to median: %.2fx\n' "$cpu_cross"
printf 'peak RSS of reportlint: %.1f MB (target <= 150 MB: %s)\n' "$(echo "$worst_rss / 1024" | bc -l)" "$(verdict "$worst_rss <= 150 * 1024")"
