#!/usr/bin/env bash
# Builds the libFuzzer target and runs it over a seed corpus made from Examples/ and Tests/Fixtures/
# (each input is read as text, as HTML or as a .docx: see FuzzReport.swift).
#
#   Fuzz/run.sh                 # 1,000,000 executions (RUNS=...), inputs up to 64 KiB (MAX_LEN=...), 10 s timeout per input
#   MAX_LEN=4096 Fuzz/run.sh    # about three times the executions per second: the readers and the top of a report
#   RUNS=-1 Fuzz/run.sh         # run until stopped or until a crash
#   Fuzz/run.sh -len_control=0 -max_total_time=3600   # extra arguments go to libFuzzer
#
# Findings land in Fuzz/artifacts/ (crash-*, timeout-*, oom-*). Minimize one with
#   Fuzz/.build/release/FuzzReport -minimize_crash=1 -runs=10000 -exact_artifact_path=min.bin Fuzz/artifacts/crash-…
# and keep it under Tests/Fixtures/fuzz/ with a regression test (Tests/EngineTests/MalformedInputTests.swift;
# a .docx finding also in Tests/ReportInputsTests/DocxReaderTests.swift).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

# The C kernels (Sources/CReportKernels) get coverage and address checks too.
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link,address)
swift build "${flags[@]}" 1>&2
binary="$(swift build "${flags[@]}" --show-bin-path)/FuzzReport"

# Seed corpus: every example and fixture report (and .docx), plus the kept fuzz findings (regression inputs).
seeds="$here/seeds"
corpus="$here/corpus"
mkdir -p "$seeds" "$corpus" "$here/artifacts"
while IFS= read -r -d '' file; do
  cp "$file" "$seeds/$(printf '%s' "${file#"$root"/}" | tr '/' '_')"
done < <(find "$root/Examples" "$root/Tests/Fixtures/reports" "$root/Tests/Fixtures/inputs" "$root/Tests/Fixtures/fuzz" "$root/../shared/corpus/real" \
           -type f \( -name '*.txt' -o -name '*.html' -o -name '*.htm' -o -name '*.bin' -o -name '*.docx' \) -size -64k -print0 2>/dev/null)

# Word seeds made from the example reports (the fuzzer reads an input starting with "PK" as a .docx,
# any other as a .docx body): for each, a deflated .docx and its word/document.xml alone. Lines are
# paragraphs; TAB-led lines (the template layout's cells) are the cells of a table row, a blank
# line between rows.
if command -v python3 >/dev/null 2>&1; then
  python3 - "$seeds" "$root"/Examples/*/*.txt <<'PY'
import sys, zipfile, pathlib
from xml.sax.saxutils import escape
out = pathlib.Path(sys.argv[1])
ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
for path in sys.argv[2:]:
    raw = pathlib.Path(path).read_bytes()
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError:
        text = raw.decode('gb18030', 'replace')
    body, row, rows = [], [], []
    def p(s): return '<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % escape(s)
    def end_table():
        if rows: body.append('<w:tbl>' + ''.join('<w:tr>%s</w:tr>' % ''.join('<w:tc>%s</w:tc>' % p(c) for c in r) for r in rows) + '</w:tbl>')
        rows.clear()
    for line in text.splitlines():
        if line.startswith('\t'):
            row.append(line[1:])
            continue
        if row: rows.append(row); row = []
        if line == '' and rows: continue
        end_table()
        body.append(p(line))
    if row: rows.append(row)
    end_table()
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>%s</w:body></w:document>' % (ns, ''.join(body))
    name = 'docx-' + pathlib.Path(path).stem
    (out / (name + '.xml')).write_text(xml, encoding='utf-8')
    with zipfile.ZipFile(out / (name + '.docx'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('word/document.xml', xml)
PY
else
  echo "python3 not found: no .docx seeds made from the examples" >&2
fi

# The detector of container overflows needs an instrumented standard library; Swift's is not.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_container_overflow=0:detect_leaks=0}"
exec "$binary" -runs="${RUNS:-1000000}" -max_len="${MAX_LEN:-65536}" -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$here/artifacts/" -print_final_stats=1 "$@" "$corpus" "$seeds"
