#!/usr/bin/env bash
# Copies one report per issuer of an archive into a new folder: an archive on which the rules across reports have
# nothing to pair (no two years of one issuer, no second version), so that running it with and without them
# measures what the rules cost in themselves, apart from the findings they write (issue 15, point 4).
#
#   Benchmarks/one-per-issuer.sh SOURCE DEST
#
# The issuer is the tool's own (RULES.md's normalisation, as the archive database records it): SOURCE is linted
# once with `--format sqlite=…`, and of each issuer's reports the first path in byte order is kept. Reports without
# an issuer are left out. Environment: BINARY (default .build-static/release/reportlint; built when missing).
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 SOURCE DEST" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source_dir="$(cd "$1" && pwd)"
dest="$2"
[[ ! -e "$dest" ]] || { echo "$dest exists: give a new folder" >&2; exit 2; }
command -v sqlite3 > /dev/null || { echo "sqlite3 is needed (Debian: apt-get install -y sqlite3)" >&2; exit 2; }
binary="${BINARY:-$root/.build-static/release/reportlint}"
if [[ ! -x "$binary" ]]; then
  (cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-static >&2)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/one-per-issuer.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Exit 1 only says that there are findings.
status=0
"$binary" lint --quiet --format sqlite="$work/archive.db" "$source_dir" > /dev/null || status=$?
[[ $status -le 1 ]] || { echo "reportlint failed with exit status $status" >&2; exit 1; }

mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
count=0
while IFS= read -r -d '' path; do
  # A path with a line break in it would come out in pieces: said, not copied.
  [[ -f "$path" ]] || { echo "skipped (not a file as read back): $path" >&2; continue; }
  relative="${path#"$source_dir"/}"
  mkdir -p "$dest/$(dirname "$relative")"
  cp -p "$path" "$dest/$relative"
  count=$((count + 1))
done < <(sqlite3 "$work/archive.db" \
  "SELECT min(path) FROM reports WHERE issuer IS NOT NULL GROUP BY issuer ORDER BY 1" | tr '\n' '\0')
echo "$count reports (one per issuer) in $dest" >&2
