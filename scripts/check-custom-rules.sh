#!/usr/bin/env bash
# Builds Examples/custom-rules (a package outside this one's targets that makes its own reportlint
# with one extra Swift rule), runs its tests, and checks the binary: `explain` shows the rule, `lint`
# reports it, the configuration accepts its id, and the repository's own reportlint (which lacks the
# rule) refuses that configuration. Run from anywhere; .ci/run runs it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$root/.build/custom-rules"
rule=acme.carried-over-exceeds-new
fail() { echo "check-custom-rules: $*" >&2; exit 1; }

cd "$root/Examples/custom-rules"
swift build --build-tests --scratch-path "$scratch"
swift test --skip-build --scratch-path "$scratch"
tool="$(swift build --scratch-path "$scratch" --show-bin-path)/acme-reportlint"

# Outputs go to files: `grep -q` on a pipe would end the tool with SIGPIPE, failing under pipefail.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$tool" explain "$rule" > "$work/explain.txt"
grep -q "上年结转" "$work/explain.txt" || fail "explain $rule does not describe the rule"
"$tool" rules > "$work/rules.txt"
grep -q "^$rule " "$work/rules.txt" || fail "rules does not list $rule"
"$tool" test-rules --swift-rules "$root/Rules" >/dev/null || fail "test-rules --swift-rules failed"

# A clean bundled report with last year's carried-over applications raised above this year's new ones.
awk '/二、上年结转政府信息公开申请数量/ { n = 1; print; next }
     n > 0 { n++; if (n == 2 || n == 8) { sub(/[0-9]+/, "500") } if (n > 8) n = 0 }
     { print }' "$root/Examples/2023/changsha-rmzf-2023-clean.txt" > "$work/report.txt"
cmp -s "$work/report.txt" "$root/Examples/2023/changsha-rmzf-2023-clean.txt" && fail "the report was not changed"

status=0
"$tool" lint "$work/report.txt" > "$work/out.txt" || status=$?
grep -q "warning.*$rule\|$rule.*warning" "$work/out.txt" || { cat "$work/out.txt"; fail "lint did not report $rule as a warning"; }
[ "$status" -eq 1 ] || fail "lint exited $status, expected 1 (the report has errors too)"

printf 'rules:\n  %s: error\n' "$rule" > "$work/.reportlint.yml"
"$tool" lint --format json "$work/report.txt" > "$work/out.json" || true
grep -q "\"$rule\"" "$work/out.json" || fail "with the configuration, lint did not report $rule"
grep -q "\"ruleId\":\"$rule\",\"severity\":\"error\"" "$work/out.json" || fail "the configuration's severity for $rule was not applied"

cd "$root"
status=0
swift run -q reportlint lint "$work/report.txt" > /dev/null 2> "$work/err.txt" || status=$?
[ "$status" -eq 2 ] && grep -q "$rule" "$work/err.txt" || fail "the repository's reportlint accepted a configuration naming $rule (exit $status)"
echo "check-custom-rules: ok ($tool)"
