# shellcheck shell=bash
# Sourced by .ci/run.

# Runs a step with a time limit (seconds). A step still running then is reported and ended, and the
# run fails: the tests that started and did not end, the processes left and their threads' stacks.
# A hang shows where it is instead of running into CI's limit.
bounded() {
  local limit=$1; shift
  local log; log=$(mktemp)
  "$@" > >(tee "$log") 2>&1 &
  local pid=$! waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$limit" ]; then
      hung "$pid" "$log" "$limit" "$*"
      return 1
    fi
    sleep 5
    waited=$((waited + 5))
  done
  wait "$pid"
}

descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$child"; descendants "$child"; done
}

hung() (
  set +e
  local pid=$1 log=$2 limit=$3 what=$4
  echo
  echo "::error::.ci/run: \`$what\` was still running after $limit s"
  # Swift Testing prints "◇ Test NAME started." and "✔ Test NAME passed…" or "✘ Test NAME failed…".
  python3 - "$log" <<'PY' || true
import re, sys
started, ended = [], set()
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    m = re.match(r'\S+ Test (.+?) started\.$', line.rstrip())
    if m: started.append(m[1])
    m = re.match(r'\S+ Test (.+?)(?: with \d+ test cases?)? (?:passed|failed|skipped)', line)
    if m: ended.add(m[1])
left = [t for t in started if t not in ended]
print(f"tests started and not ended ({len(left)}):")
for t in left: print("  " + t)
PY
  local procs; procs=$(descendants "$pid")
  echo "processes left:"
  # shellcheck disable=SC2086
  [ -n "$procs" ] && ps -o pid,ppid,etime,stat,wchan:24,args -p "$(echo $procs | tr ' ' ',')" | cut -c1-240
  for p in $procs; do
    local name; name=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | cut -d' ' -f1)
    case "${name##*/}" in
      reportlint|*PackageTests*|swiftpm-testing*|acme-reportlint|pdftotext|chrom*) ;;
      *) continue ;;
    esac
    echo "--- threads of $p (${name##*/})"
    if command -v gdb >/dev/null 2>&1; then
      timeout 120 gdb -p "$p" -batch -ex "thread apply all bt 25" 2>/dev/null | grep -E '^(Thread|#)' | cut -c1-200 | head -400
    else
      for t in /proc/"$p"/task/*; do echo "$t $(cat "$t/wchan" 2>/dev/null)"; done
    fi
  done
  # shellcheck disable=SC2086
  kill -9 $procs "$pid" 2>/dev/null || true
)

