#!/usr/bin/env python3
"""Builds a mixed archive of hostile, real and generated reports and lints it as an auditor would.

    scripts/hostile-archive.py [--count 2000] [--jobs 2] [--binary .build/release/reportlint] [--keep DIR]

The archive: generated reports in every form gen-archive writes here (txt, gb18030, html, crawler,
spaced, md, docx; pdf when LibreOffice is installed), the real reports of ../shared/corpus/real when
it exists, and hostile files made here (terminal escapes, bidi controls, workflow-command lines in
names, NUL bytes, damaged and bombed .docx, a huge HTML page, a PDF that is not one, a FIFO, a link to
/dev/zero, odd UTF-16, deep markup, empty and truncated files). It runs
`reportlint lint -j N --format sarif` under /usr/bin/time -v with a temporary folder of its own and
checks that every report was linted or diagnosed (SARIF artifacts and tool notifications together
name every file), that the run ended in bounded time with exit 1, and that the temporary folder is
empty afterwards. It prints the figures (wall clock, peak RSS, counts). Measurement, not a test.
"""
import argparse
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")


def docx(document_xml: bytes) -> bytes:
    """A minimal .docx holding `document_xml` (deflated)."""
    import io
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document_xml)
    return out.getvalue()


def paragraphs_xml(lines) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    return ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>').encode()


def damaged_deflate(data: bytes) -> bytes:
    """The last byte of document.xml's compressed data set to 0xdd (issue 13, case 1)."""
    z = zipfile.ZipFile(__import__("io").BytesIO(data))
    info = z.getinfo("word/document.xml")
    raw = bytearray(data)
    header = info.header_offset
    name_len = int.from_bytes(raw[header + 26:header + 28], "little")
    extra_len = int.from_bytes(raw[header + 28:header + 30], "little")
    start = header + 30 + name_len + extra_len
    raw[start + info.compress_size - 1] = 0xDD
    return bytes(raw)


def hostile(folder: str, sample: str, rng: random.Random) -> int:
    """Writes the hostile files; returns how many report-named files it made."""
    os.makedirs(folder, exist_ok=True)
    made = 0

    def write(name, data):
        nonlocal made
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        made += 1

    text = sample.encode()
    write("ansi-escapes.txt", text.replace("一、总体情况".encode(), "\x1b[2J\x1b]0;pwned\x07\x1b[1A\x1b[K一、总体情况".encode()))
    write("bidi.txt", text.replace("联系电话".encode(), "\u202e联系电话\u2066".encode()))
    write("line\n::error file=x::forged\n::add-mask::secret.txt", text)
    cut = len(text[:200].decode("utf-8", "ignore").encode("utf-8"))  # at a character boundary: the NUL is the only oddity
    write("nul-in-page.html", b"<html><body><p>" + text[:cut] + b"\x00</p>" + b"<p>" + text[cut:].replace(b"\n", b"</p><p>") + b"</p></body></html>")
    write("empty.txt", b"")
    write("truncated.docx", docx(paragraphs_xml(sample.splitlines()))[:700])
    write("not-a-pdf.pdf", b"%PDF-1.7\n" + os.urandom(4096))
    write("binary.txt", os.urandom(8192))
    write("odd-utf16.txt", b"\xff\xfe" + "年度报告".encode("utf-16-le") + b"\x00")
    write("invalid-utf8.txt", text[:500] + b"\xc3\x28\xa0\xa1\xe2\x28\xa1" * 50 + text[500:])
    write("deep.html", b"<div>" * 200_000 + text + b"</div>" * 200_000)
    write("huge-page.html", b"<html><body>" + (b"<p>" + "本年度无新增内容。".encode() * 40 + b"</p>\n") * 50_000 + b"</body></html>")
    good = docx(paragraphs_xml(sample.splitlines()))
    write("damaged-deflate.docx", damaged_deflate(good))
    # A ZIP bomb: 250 MiB of one paragraph's text deflated to a few hundred KB.
    bomb = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    chunk = b"A" * (1 << 20)
    import io
    raw_doc = bomb + chunk * 250 + b"</w:t></w:r></w:p></w:body></w:document>"
    bomb_zip = io.BytesIO()
    with zipfile.ZipFile(bomb_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("word/document.xml", raw_doc)
    write("bomb.docx", bomb_zip.getvalue())
    del raw_doc
    write("entity.docx", docx(paragraphs_xml(["报告&unknown;之后的文字"] + sample.splitlines())))
    big = paragraphs_xml(sample.splitlines() * 40 + ["填充文字" * 200] * 2_000)
    write("over-10mb.docx", docx(big))
    os.mkfifo(os.path.join(folder, "fifo.txt"))
    made += 1
    os.symlink("/dev/zero", os.path.join(folder, "zero.txt"))
    made += 1
    return made


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "reportlint"))
    parser.add_argument("--keep", help="write the archive here and keep it")
    args = parser.parse_args()

    base = args.keep or tempfile.mkdtemp(prefix="hostile-archive-")
    archive = os.path.join(base, "archive")
    if os.path.exists(archive):
        shutil.rmtree(archive)
    os.makedirs(archive)
    rng = random.Random(13)
    sample = open(os.path.join(ROOT, "Examples", "2023", "changsha-rmzf-2023-clean.txt"), encoding="utf-8").read()
    made = hostile(os.path.join(archive, "hostile"), sample, rng)

    real = 0
    real_root = os.path.join(SHARED, "corpus", "real")
    if os.path.isdir(real_root):
        for folder, _, files in os.walk(real_root):
            for name in files:
                if name.endswith((".txt", ".pdf", ".docx", ".html")):
                    dest = os.path.join(archive, "real", os.path.relpath(folder, real_root))
                    os.makedirs(dest, exist_ok=True)
                    shutil.copy(os.path.join(folder, name), dest)
                    real += 1

    forms = ["txt", "gb18030", "html", "crawler", "spaced", "md", "docx"]
    if shutil.which("soffice") or shutil.which("libreoffice"):
        forms += ["pdf", "wordhtml"]
    generated = max(0, args.count - made - real)
    gen = os.path.join(SHARED, "tools", "gen-archive")
    subprocess.run([gen, "--out", os.path.join(archive, "generated"), "--count", str(generated), "--seed", "hostile",
                    "--defect-rate", "0.5", "--formats", ",".join(forms)], check=True, stdout=subprocess.DEVNULL)
    reports = 0
    links = 0
    for folder, _, files in os.walk(archive):
        for name in files:
            path = os.path.join(folder, name)
            if name.lower().endswith((".txt", ".html", ".htm", ".docx", ".pdf", ".md")) and not name.startswith("."):
                # A link is not followed without --follow-symlinks: the summary counts it, SARIF does not name it.
                if os.path.islink(path):
                    links += 1
                else:
                    reports += 1

    tmp = os.path.join(base, "tmp")
    os.makedirs(tmp, exist_ok=True)
    sarif = os.path.join(base, "out.sarif")
    env = dict(os.environ, TMPDIR=tmp)
    cmd = ["/usr/bin/time", "-v", args.binary, "lint", "-q", "-j", str(args.jobs), "--format", f"sarif={sarif}", archive]
    run = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=3600)
    figures = {}
    for line in run.stderr.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            figures["wall"] = line.split(": ", 1)[1]
        if line.startswith("Maximum resident set size"):
            figures["peak_rss_mb"] = round(int(line.split(": ")[1]) / 1024, 1)
    log = json.load(open(sarif, encoding="utf-8"))
    runs = log["runs"][0]
    named = set()
    for artifact in runs.get("artifacts", []):
        named.add(artifact["location"]["uri"])
    for result in runs.get("results", []):
        for location in result.get("locations", []):
            named.add(location["physicalLocation"]["artifactLocation"]["uri"])
    notified = set()
    for invocation in runs.get("invocations", []):
        for note in invocation.get("toolExecutionNotifications", []):
            for location in note.get("locations", []):
                notified.add(location["physicalLocation"]["artifactLocation"]["uri"])
    left = os.listdir(tmp)
    print(json.dumps({
        "files_named_as_reports": reports, "links_not_followed": links, "hostile": made, "real": real, "generated": generated, "forms": forms,
        "exit": run.returncode, **figures, "results": len(runs.get("results", [])),
        "artifacts_or_results": len(named), "tool_notifications_files": len(notified), "covered": len(named | notified),
        "temp_left": left,
    }, ensure_ascii=False, indent=1))
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if run.returncode == 1 and not left and len(named | notified) == reports else 1


if __name__ == "__main__":
    sys.exit(main())
