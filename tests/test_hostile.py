"""Bad input and output faults, each built here in a temp dir and run through the real command line in a child
process: the exit code, one line on stderr (no traceback, no internal error), the child's CPU time and peak
memory (os.wait4), the input's bytes unchanged, and nothing partial at the output path."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import needs_lo

CPU_MAX, MIB_MAX = 5.0, 500  # per hostile file, whatever its size
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- running the command line


@dataclasses.dataclass
class Run:
    code: int
    out: str
    err: str
    cpu: float
    mib: float


# The child is started by a small helper: a forked process starts with its parent's memory high-water mark,
# which is this test process's (hundreds of MiB after building a big file), and ru_maxrss would report it.
_MEASURE = r"""
import json, os, subprocess, sys, threading
result, timeout, umask, cmd = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
if umask >= 0:
    os.umask(umask)
p = subprocess.Popen(cmd)
timer = threading.Timer(timeout, p.kill)
timer.start()
_, status, usage = os.wait4(p.pid, 0)
timer.cancel()
with open(result, "w") as f:
    json.dump({"code": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime,
               "kib": usage.ru_maxrss}, f)
"""


def run(*args, prefix=(), cwd=None, umask=None, timeout=120) -> Run:
    """`selfeval-xl args` in a grandchild; its exit code, output, CPU time and peak memory (wait4). Every input
    file named (not an output after -o or --annotate) must have the same bytes afterwards."""
    inputs = [Path(a) for i, a in enumerate(args) if isinstance(a, Path) and a.is_file() and os.access(a, os.R_OK)
              and (i == 0 or str(args[i - 1]) not in ("-o", "--annotate"))]
    before = {p: digest(p) for p in inputs}
    try:
        return _run(args, prefix, cwd, umask, timeout)
    finally:
        assert {p: digest(p) for p in inputs} == before, "an input file was changed"


def _run(args, prefix, cwd, umask, timeout) -> Run:
    cmd = [*prefix, sys.executable, "-m", "selfeval_xl", *map(str, args)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SELFEVAL_LOG": str(Path(tempfile.gettempdir()) / "selfeval-hostile.log")}
    with tempfile.TemporaryDirectory() as d:
        result = Path(d) / "usage.json"
        with open(Path(d) / "out", "wb") as fo, open(Path(d) / "err", "wb") as fe:
            subprocess.run([sys.executable, "-c", _MEASURE, str(result), str(timeout),
                            str(-1 if umask is None else umask), *cmd], stdout=fo, stderr=fe, cwd=cwd, env=env, check=True)
        u = json.loads(result.read_text())
        return Run(u["code"], (Path(d) / "out").read_text("utf-8"), (Path(d) / "err").read_text("utf-8"), u["cpu"],
                   u["kib"] / 1024)


def refused(r: Run, code: int, *words: str) -> str:
    """The run ended with code and one line on stderr holding words, within the bounds; the line."""
    assert r.code == code, (r.code, r.err[-2000:])
    assert r.err.count("\n") == 1 and r.err.startswith("selfeval-xl: "), r.err[-2000:]
    assert "Traceback" not in r.err and "内部错误" not in r.err, r.err
    for w in words:
        assert w in r.err, (w, r.err)
    bounded(r)
    return r.err


def bounded(r: Run) -> None:
    assert r.cpu < CPU_MAX, f"{r.cpu:.1f} s of CPU"
    assert r.mib < MIB_MAX, f"{r.mib:.0f} MiB"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".~selfeval-")]


# ---------------------------------------------------------------- building hostile workbooks


def sheet_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        book, rels = z.read("xl/workbook.xml").decode(), z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(name)}"[^>]*r:id="(\w+)"', book).group(1)
    return "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)


def variant(src: Path, out: Path, edits: dict, extra: dict | None = None) -> Path:
    """A copy of src with parts rewritten by edits {part: bytes -> bytes} and extra parts added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data)
            zout.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return out


def add_row(xml: bytes, row: int, cells: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b'<row r="%d">%s</row></sheetData>' % (row, cells))


def set_cell(xml: bytes, ref: str, cell: bytes) -> bytes:
    new, n = re.subn(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref.encode(), cell.replace(b"\\", b"\\\\"), xml, count=1)
    assert n == 1, ref
    return new


@pytest.fixture
def ex(example_xlsx, tmp_path):
    """(the example, the part of its 表5, a folder for this test)."""
    return example_xlsx, sheet_part(example_xlsx, "表5"), tmp_path


def on_b5(ex, name, fn, extra=None) -> Path:
    src, part, tmp = ex
    return variant(src, tmp / name, {part: fn}, extra)


# ---------------------------------------------------------------- bounded by real content


def test_a_value_at_xfd1048576_reads_sparsely(ex):
    """The demo plus one cell at XFD1048576 (25 KB): calamine's Range would be 512 GiB; the sheet is read packed,
    with the same findings as the demo, and annotated and exported."""
    path = on_b5(ex, "far.xlsx", lambda x: add_row(x, 1048576, b'<c r="XFD1048576"><v>1</v></c>'))
    plain, far = run("validate", ex[0], "--json"), run("validate", path, "--json")
    assert far.code == plain.code == 0 and json.loads(far.out)["findings"] == json.loads(plain.out)["findings"]
    bounded(far)
    out = ex[2] / "out"
    out.mkdir()
    r = run("validate", path, "--annotate", out / "marked.xlsx")
    assert r.code == 0, r.err
    bounded(r)
    assert openpyxl.load_workbook(out / "marked.xlsx")["表5"]["K8"].comment.text.startswith("[警告]")
    r = run("export", path, "-o", out / "export.xlsx")
    assert r.code == 0, r.err
    bounded(r)
    assert leftovers(out) == []


def test_values_scattered_far_apart_are_refused_past_the_area(ex):
    cells = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (r, r) for r in range(100, 1100))
    path = on_b5(ex, "scattered.xlsx", lambda x: x.replace(b"</sheetData>", cells + b"</sheetData>"))
    refused(run("validate", path), 2, "工作簿过大", "XFD1099", "请删除多余的行列后重试")


def test_an_error_value_far_away_counts_in_the_area(ex):
    cells = b"".join(b'<row r="%d"><c r="XFD%d" t="e"><v>#REF!</v></c></row>' % (r, r) for r in range(100, 1100))
    path = on_b5(ex, "far-errors.xlsx", lambda x: x.replace(b"</sheetData>", cells + b"</sheetData>"))
    refused(run("validate", path), 2, "工作簿过大")


def test_a_390_mb_text_cell_stops_at_the_inflated_bytes(ex):
    big = b"A" * (390 * 1024 * 1024)
    path = on_b5(ex, "bigtext.xlsx", lambda x: add_row(x, 1000, b'<c r="A1000" t="inlineStr"><is><t>' + big + b"</t></is></c>"))
    assert path.stat().st_size < 1024 * 1024
    refused(run("validate", path), 2, "工作簿过大", "解压后超过 100 MB")


def test_a_text_longer_than_excel_allows_is_refused(ex):
    text = "预算" * 20_000  # 40,000 characters, 120 KB
    path = on_b5(ex, "longtext.xlsx", lambda x: add_row(x, 1000, b'<c r="A1000" t="inlineStr"><is><t>%s</t></is></c>' % text.encode()))
    refused(run("validate", path), 2, "40,000 字", "32,767")


def test_the_quick_window_test_never_misses_a_text_run_over_the_limit():
    """check_texts skips its byte-by-byte search when every aligned window holds a "<": a run one byte over the
    limit, wherever it starts, is still found; one at the limit is not."""
    from selfeval_xl.sources import sheet_xml

    limit = sheet_xml.CELL_TEXT + 1
    for length in (limit - 1, limit, limit + 1, 2 * limit):
        for start in (0, 1, 2, sheet_xml._WINDOW - 1, sheet_xml._WINDOW, sheet_xml._WINDOW + 1, 3 * sheet_xml._WINDOW + 7):
            xml = b"<r/>" * (start // 4) + b"<t>" + b"x" * length + b"</t>" + b"<v/>" * 3
            long_run = bool(sheet_xml._LONG_TEXT.search(xml))
            assert long_run == (length >= limit)
            assert sheet_xml._may_hold_long_text(xml) or not long_run, (length, start)
    assert not sheet_xml._may_hold_long_text(b"<c r=\"A1\"><v>1</v></c>" * 100_000)


def test_one_long_shared_string_in_every_cell_is_refused_before_calamine_copies_it(ex):
    """A 30,000-character shared string referred to by 200,000 cells: 6 billion characters once read."""
    src, part, tmp = ex
    long = b"<si><t>" + b"x" * 30_000 + b"</t></si>"

    def strings(x):
        return x.replace(b"</sst>", long + b"</sst>"), x.count(b"<si>")

    new_sst, index = strings(zipfile.ZipFile(src).read("xl/sharedStrings.xml"))
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d" t="s"><v>%d</v></c>' % (c, r, index) for c in (b"M", b"N", b"O", b"P"))
                    + b"</row>" for r in range(100, 50_100))
    path = variant(src, tmp / "amplified.xlsx", {part: lambda x: x.replace(b"</sheetData>", rows + b"</sheetData>"),
                                                  "xl/sharedStrings.xml": lambda x: new_sst})
    refused(run("validate", path), 2, "工作簿过大", "共享文字")


def test_more_cells_than_the_limit_are_refused(ex):
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="1"/>' % (c, r) for c in (b"A", b"B", b"C", b"D", b"E", b"F"))
                    + b"</row>" for r in range(30, 100_030))
    path = on_b5(ex, "cells.xlsx", lambda x: x.replace(b"</sheetData>", rows + b"</sheetData>"))
    refused(run("validate", path), 2, "工作簿过大", "500,000")


def test_a_merge_over_the_whole_sheet_is_clipped_to_the_content(ex):
    def merged(x):
        x = x.replace(b"</row>", '<c r="M1" t="inlineStr"><is><t>备注</t></is></c></row>'.encode(), 1)
        x = x.replace(b"</mergeCells>", b'<mergeCell ref="M1:M1048576"/></mergeCells>')
        return re.sub(rb'<mergeCells count="(\d+)"', lambda m: b'<mergeCells count="%d"' % (int(m.group(1)) + 1), x)
    path = on_b5(ex, "merged.xlsx", merged)
    r = run("validate", path)
    assert r.code == 0, r.err
    bounded(r)
    from selfeval_xl.sources.xlsx import XlsxSource

    g = XlsxSource(path).grid("表5")
    assert (0, 12, g.height - 1, 12) in g.merged


def test_a_merge_over_a_sheet_that_reaches_far_is_refused(ex):
    def merged(x):
        x = add_row(x, 1048576, b'<c r="XFD1048576"><v>1</v></c>')
        return x.replace(b"</mergeCells>", b'<mergeCell ref="A30:XFD1048576"/></mergeCells>')
    refused(run("validate", on_b5(ex, "bigmerge.xlsx", merged)), 2, "工作簿过大", "合并单元格")


def test_hostile_styles_and_formulas_stay_linear(ex):
    """Tags that never close: every search is bounded by a tag's length, so scans stay linear."""
    src, part, tmp = ex
    junk = b"<f>" * 300_000 + b'<c r="A1" t="e"' * 100_000

    def styles(x):
        return x.replace(b"</cellXfs>", b'<xf numFmtId="10" indent="1">' * 100_000 + b"</cellXfs>")
    path = variant(src, tmp / "linear.xlsx", {part: lambda x: x.replace(b"</worksheet>", b"<extLst>" + junk + b"</extLst></worksheet>"),
                                               "xl/styles.xml": styles})
    r = run("validate", path)
    assert r.code in (0, 2), r.err
    bounded(r)


def test_too_many_zip_entries_are_refused_before_zipfile_lists_them(ex):
    extra = {f"xl/media/pad{i}.bin": b"" for i in range(10_001)}
    refused(run("validate", variant(ex[0], ex[2] / "entries.xlsx", {}, extra)), 2, "工作簿过大", "10,0")


# ---------------------------------------------------------------- every parser error is input error


XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b"<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)) + b"]>")


def with_doctype(decl: bytes, entity: bytes):
    def edit(x: bytes) -> bytes:
        head, sep, rest = x.partition(b"?>")
        rest = re.sub(rb"(<t[^>]*>)[^<]*(</t>)", lambda m: m.group(1) + entity + m.group(2), rest, count=1)
        return head + sep + decl + rest
    return edit


@pytest.mark.parametrize("where", ["sheet", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml", "_rels/.rels"])
@pytest.mark.parametrize("decl,entity", [(XXE, b"&xxe;"), (LAUGHS, b"&lol9;")], ids=["xxe", "billion-laughs"])
def test_entity_declarations_anywhere_are_refused_and_nothing_leaks(ex, where, decl, entity):
    part = ex[1] if where == "sheet" else where
    path = variant(ex[0], ex[2] / "entities.xlsx", {part: with_doctype(decl, entity)})
    err = refused(run("validate", path), 2, "DOCTYPE")
    assert "root:" not in err and "lol" not in err


@pytest.mark.parametrize("name,edit,words", [
    ("broken-xml", lambda x: x.replace(b"</sheetData>", b"<row><c><v>1</sheetData>"), ()),
    ("control-bytes", lambda x: add_row(x, 1000, b'<c r="A1000" t="inlineStr"><is><t>a\x01b\x1bc</t></is></c>'), ("控制字符",)),
    ("bad-date", lambda x: add_row(x, 1000, b'<c r="A1000" t="d"><v>2021-13-45Tgarbage</v></c>'), ("A1000", "日期值")),
])
def test_broken_sheet_xml_is_one_line(ex, name, edit, words):
    path = on_b5(ex, f"{name}.xlsx", edit)
    out = ex[2] / "out"
    out.mkdir()
    refused(run("validate", path), 2, *words)
    refused(run("validate", path, "--annotate", out / "marked.xlsx"), 2, *words)
    assert list(out.iterdir()) == []


def test_a_number_format_not_in_utf8_is_one_line(ex):
    path = variant(ex[0], ex[2] / "format.xlsx", {"xl/styles.xml": lambda x: x.replace(b'formatCode="', b'formatCode="\xff', 1)})
    refused(run("validate", path), 2, "format.xlsx")


def test_a_relationship_outside_the_package_is_refused(ex):
    part = ex[1].removeprefix("xl/")
    path = variant(ex[0], ex[2] / "rel.xlsx",
                   {"xl/_rels/workbook.xml.rels": lambda x: x.replace(f'Target="{part}"'.encode(), b'Target="../../etc/passwd"')})
    refused(run("validate", path), 2, "../../etc/passwd", "工作簿以外")


def patch_sizes(path: Path, part: str, delta: int) -> None:
    """Make the zip declare part's uncompressed size delta bytes off (central directory and local header)."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    at = data.index(b"PK\x01\x02")  # the first central directory header
    while True:
        n = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + n] == name:
            data[at + 24:at + 28] = (info.file_size + delta).to_bytes(4, "little")
            break
        at = data.index(b"PK\x01\x02", at + 46)
    off = info.header_offset
    data[off + 22:off + 26] = (info.file_size + delta).to_bytes(4, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("delta", [-100, +100], ids=["longer-than-declared", "shorter-than-declared"])
def test_an_entry_whose_size_is_not_what_it_declares_is_refused(ex, delta):
    path = variant(ex[0], ex[2] / "sizes.xlsx", {})
    patch_sizes(path, ex[1], delta)
    refused(run("validate", path), 2, "实际大小与声明的不一致")


def test_a_bomb_declared_small_inflates_no_further_than_declared(ex):
    """A sheet declared 15 KB whose stream inflates to 200 MB: read stops one byte past the declared size."""
    path = on_b5(ex, "bomb.xlsx", lambda x: x + b" " * (200 * 1024 * 1024))
    patch_sizes(path, ex[1], -(200 * 1024 * 1024))
    refused(run("validate", path), 2, "实际大小与声明的不一致")


def test_duplicate_part_names_are_refused(ex):
    refused(run("validate", variant(ex[0], ex[2] / "dup.xlsx", {}, {ex[1].upper(): b"<worksheet/>"})), 2, "重复")


@pytest.mark.parametrize("value,rule,shown", [
    (b"NaN", "B5-NUM", "nan"), (b"INF", "B5-NUM", "inf"), (b"9" * 5000, "B5-NUM", "inf"),
    (b"1e308", "LIM-B5", "1.00E+308"), (b"1e26", "LIM-B5", "1.00E+26"),
], ids=["nan", "inf", "5000-digits", "1e308", "1e26"])
def test_absurd_numbers_are_findings_at_their_cell(ex, value, rule, shown):
    path = on_b5(ex, "absurd.xlsx", lambda x: set_cell(x, "C6", b'<c r="C6" s="9"><v>%s</v></c>' % value))
    r = run("validate", path, "--json")
    assert r.code == 1 and r.err == "", r.err
    bounded(r)
    found = [f for f in json.loads(r.out)["findings"] if f["cell"] == "C6" and f["sheet"] == "表5"]
    assert [f["rule"] for f in found] == [rule] and shown in found[0]["message"], found
    r = run("score", path)
    assert r.code in (0, 1) and r.err == "", r.err
    r = run("export", path, "-o", ex[2] / "x.xlsx")
    refused(r, 1, "错误")  # a workbook with errors is not exported without --draft


@pytest.mark.parametrize("value", [b"1e26", b"NaN"])
def test_absurd_numbers_export_as_a_draft(ex, value):
    path = on_b5(ex, "absurd.xlsx", lambda x: set_cell(x, "C6", b'<c r="C6" s="9"><v>%s</v></c>' % value))
    r = run("export", path, "-o", ex[2] / "draft.xlsx", "--draft")
    assert r.code == 0, r.err
    bounded(r)


def test_a_huge_number_is_annotated_at_its_cell(ex):
    path = on_b5(ex, "absurd.xlsx", lambda x: set_cell(x, "C6", b'<c r="C6" s="9"><v>1e26</v></c>'))
    r = run("validate", path, "--annotate", ex[2] / "marked.xlsx")
    assert r.code == 1, r.err
    assert "1.00E+26" in openpyxl.load_workbook(ex[2] / "marked.xlsx")["表5"]["C6"].comment.text


@pytest.mark.parametrize("value", [b"NaN", b"9" * 5000], ids=["nan", "5000-digits"])
def test_annotate_refuses_in_one_line_what_openpyxl_cannot_load(ex, value):
    path = on_b5(ex, "absurd.xlsx", lambda x: set_cell(x, "C6", b'<c r="C6" s="9"><v>%s</v></c>' % value))
    refused(run("validate", path, "--annotate", ex[2] / "marked.xlsx"), 2, "标注")
    assert not (ex[2] / "marked.xlsx").exists() and leftovers(ex[2]) == []


def test_error_values_throughout_table5_never_crash(ex):
    def errors(x):
        for i, m in enumerate(re.finditer(rb'<c r="([C-J](?:[6-9]|1\d))"[^>]*?(?:/>|>.*?</c>)', x)):
            x = x.replace(m.group(0), b'<c r="%s" t="e"><v>%s</v></c>' % (m.group(1), (b"#DIV/0!", b"#REF!")[i % 2]), 1)
        return x
    path = on_b5(ex, "errors.xlsx", errors)
    for args in (["validate"], ["score"], ["validate", "--annotate", ex[2] / "marked.xlsx"]):
        r = run(*args[:1], path, *args[1:])
        assert r.code == (0 if args == ["score"] else 1) and r.err == "", (args, r.err)
        bounded(r)
    r = run("export", path, "-o", ex[2] / "draft.xlsx", "--draft")
    assert r.code == 0 and "草稿" in r.err and "Traceback" not in r.err, r.err
    bounded(r)


def test_an_input_the_user_may_not_read(ex):
    path = ex[2] / "secret.xlsx"
    shutil.copyfile(ex[0], path)
    path.chmod(0)
    try:
        refused(run("validate", path, prefix=UNPRIVILEGED), 2, "没有读取", "权限")
    finally:
        path.chmod(0o644)


def test_a_file_name_with_a_line_break_stays_one_line(ex):
    bad = ex[2] / "第一行\n第二行.xlsx"
    bad.write_bytes(b"not a zip at all")
    refused(run("validate", bad), 2, "不是有效的 .xlsx", "第一行?第二行")
    refused(run("export", ex[0], "-o", ex[2] / "no\nsuch" / "out.xlsx"), 3, "不存在")


# ---------------------------------------------------------------- every output fault is exit 3

UNPRIVILEGED = (["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", "--"]
                if os.geteuid() == 0 and shutil.which("setpriv") else [])


def mounted(folder: Path, options: str) -> list[str]:
    """A prefix that runs the command with a tmpfs mounted on folder, in a mount namespace of its own, and then
    lists what the folder holds into folder.with_suffix(".ls") (the tmpfs goes with the namespace)."""
    folder.mkdir(exist_ok=True)
    userns = [] if os.geteuid() == 0 else ["-r"]
    probe = subprocess.run(["unshare", *userns, "-m", "sh", "-c", f"mount -t tmpfs -o {options} tmpfs '{folder}'"],
                           capture_output=True, check=False) if shutil.which("unshare") else None
    if probe is None or probe.returncode:
        pytest.skip("cannot mount a tmpfs in a mount namespace here")
    script = (f'mount -t tmpfs -o {options} tmpfs "{folder}" || exit 99; "$0" "$@"; rc=$?; '
              f'ls -A "{folder}" > "{folder.with_suffix(".ls")}"; exit $rc')
    return ["unshare", *userns, "-m", "sh", "-c", script]


def faults(tmp: Path):
    """(name, prefix, output folder, reason) for each output fault."""
    ro = tmp / "readonly"
    ro.mkdir()
    (ro / "earlier.xlsx").write_bytes(b"earlier")
    ro.chmod(0o555)
    yield "read-only folder", UNPRIVILEGED, ro, "无写入权限"
    yield "read-only file system", mounted(tmp / "rofs", "ro,size=1m"), tmp / "rofs", "只读文件系统"
    yield "full disk", mounted(tmp / "full", "size=16k"), tmp / "full", "磁盘已满"


@pytest.mark.parametrize("command", ["export", "annotate"])
def test_output_faults_exit_3_naming_path_and_reason(ex, command):
    src = ex[0]
    try:
        for name, prefix, folder, reason in faults(ex[2]):
            target = folder / "earlier.xlsx" if name == "read-only folder" else folder / "out.xlsx"
            args = (["export", src, "-o", target, "--force"] if command == "export"
                    else ["validate", src, "--annotate", target])
            refused(run(*args, prefix=prefix), 3, str(target), reason)
            if name == "read-only folder":
                assert (folder / "earlier.xlsx").read_bytes() == b"earlier" and leftovers(folder) == []
            else:  # what the folder held when the command had ended: nothing partial, no temp file
                assert folder.with_suffix(".ls").read_text() == "", name
    finally:
        (ex[2] / "readonly").chmod(0o755)


@pytest.mark.parametrize("args", [["export", "-o", "{dir}", "--force"], ["validate", "--annotate", "{dir}"]],
                         ids=["export-force", "annotate"])
def test_an_output_path_that_is_a_folder(ex, args):
    folder = ex[2] / "a folder.xlsx"
    folder.mkdir()
    r = run(args[0], ex[0], *[str(folder) if a == "{dir}" else a for a in args[1:]])
    refused(r, 3, str(folder), "是一个文件夹")
    assert folder.is_dir() and list(folder.iterdir()) == [] and leftovers(ex[2]) == []


def test_a_stale_temp_file_is_removed_by_the_next_run_and_a_fresh_one_kept(ex):
    out = ex[2] / "out"
    out.mkdir()
    stale, fresh = out / ".~selfeval-killed.xlsx", out / ".~selfeval-writing.xlsx"
    for p in (stale, fresh):
        p.write_bytes(b"partial")
    hours_ago = time.time() - 7200
    os.utime(stale, (hours_ago, hours_ago))
    assert run("export", ex[0], "-o", out / "e.xlsx").code == 0
    assert not stale.exists() and fresh.exists()


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640)], ids=["umask-022", "umask-027"])
def test_outputs_get_the_permissions_of_the_umask(ex, umask, mode):
    out = ex[2] / "out"
    out.mkdir()
    assert run("export", ex[0], "-o", out / "e.xlsx", umask=umask).code == 0
    assert run("validate", ex[0], "--annotate", out / "m.xlsx", umask=umask).code == 0
    assert (out / "e.xlsx").stat().st_mode & 0o777 == mode and (out / "m.xlsx").stat().st_mode & 0o777 == mode


def test_default_export_name_has_no_control_characters(ex):
    src, _, tmp = ex
    wb = openpyxl.load_workbook(src)
    wb["基本信息"]["B3"] = "深圳市\r\n福田区:投资/推广署\t*"
    folder = tmp / "in"
    folder.mkdir()
    book = folder / "unit.xlsx"
    wb.save(book)
    from lo import recalc, soffice

    if soffice() is None:
        pytest.skip("LibreOffice is needed to give the copy its formula results")
    book = recalc(book, tmp / "lo")
    r = run("export", book, "--draft")
    assert r.code == 0, r.err
    written = [p.name for p in book.parent.iterdir() if p.name.endswith("绩效自评评分表.xlsx") or "草稿" in p.name]
    assert written and all(not re.search(r'[\x00-\x1f<>:"/\\|?*]', n) for n in written), written
    assert any(n.startswith("深圳市 福田区_投资_推广署 _") for n in written), written


def test_safe_file_names():
    from selfeval_xl.writers.filenames import safe_file_name

    assert safe_file_name("深圳市\r\n福田区") == "深圳市 福田区"
    assert safe_file_name('a<b>c:d"e/f\\g|h?i*j') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_file_name("CON") == "_CON" and safe_file_name("com1.report") == "_com1.report"
    assert safe_file_name(" ..hidden. ") == "hidden" and safe_file_name("\u202egpj.xlsx") == "gpj.xlsx"
    assert safe_file_name("\x00\x01") == "_"
    long = safe_file_name("预算" * 200)
    assert len(long.encode()) <= 180 and long == "预算" * 30


# ---------------------------------------------------------------- never touch what is not ours


def user_results_sheet(src: Path, out: Path) -> Path:
    """The example with the user's own sheet called 校验结果 (values, a note, a fill)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = openpyxl.load_workbook(src)
    ws = wb.create_sheet("校验结果", 1)
    ws.append(["我的核对", "结论"])
    ws.append(["表5 小计", "已核对"])
    ws["B2"].comment = Comment("财务科 3 月复核", "会计")
    ws["B2"].fill = PatternFill("solid", fgColor="FF00B050")
    wb.save(out)
    return out


def sheet_state(path: Path, name: str):
    ws = openpyxl.load_workbook(path)[name]
    return [[(c.value, c.comment.text if c.comment else None, c.fill.fgColor.rgb) for c in row] for row in ws.iter_rows()]


def test_validate_then_clear_keeps_a_users_own_results_sheet(example_xlsx, tmp_path):
    from selfeval_xl.app.marking import clear_marks, mark_findings, our_sheets
    from selfeval_xl.app.validate import validate
    from selfeval_xl.writers.openpyxl_port import OpenpyxlPort

    book = user_results_sheet(example_xlsx, tmp_path / "book.xlsx")
    before, names = sheet_state(book, "校验结果"), openpyxl.load_workbook(book).sheetnames
    port = OpenpyxlPort(book)
    assert mark_findings(port, validate(example_xlsx).findings) == "校验结果(2)"
    assert our_sheets(port) == {"_selfeval_marks", "校验结果(2)"}
    port.save()
    assert sheet_state(book, "校验结果") == before
    marked = openpyxl.load_workbook(book)
    assert marked["校验结果(2)"]["D2"].value.startswith("表5!K8") and marked["_selfeval_marks"].sheet_state == "veryHidden"
    port = OpenpyxlPort(book)
    assert clear_marks(port) == 3
    port.save()
    assert openpyxl.load_workbook(book).sheetnames == names and sheet_state(book, "校验结果") == before


def test_the_addin_buttons_leave_a_users_results_sheet_alone(example_xlsx, tmp_path):
    """校验 then 清除标记 through the add-in's own port (xlwings, over the recording fake)."""
    import copy

    from fake_xlwings import FakeBook

    from selfeval_xl.addin import buttons
    from selfeval_xl.addin.xlwings_port import XlwingsPort

    book = FakeBook(user_results_sheet(example_xlsx, tmp_path / "book.xlsx"))
    mine = next(s for s in book._sheets if s.name == "校验结果")
    before, names = copy.deepcopy(mine.cells), [s.name for s in book._sheets]
    buttons.validate_action(XlwingsPort(book))
    assert [s.name for s in book._sheets] == names + ["_selfeval_marks", "校验结果(2)"] and mine.cells == before
    buttons.clear_action(XlwingsPort(book))
    assert [s.name for s in book._sheets] == names and mine.cells == before


def test_excel_365_error_values_are_read(ex):
    path = on_b5(ex, "spill.xlsx", lambda x: add_row(x, 25, b'<c r="A25" t="e"><f>SEQUENCE(3)</f><v>#SPILL!</v></c>'
                                                           b'<c r="B25" t="e"><v>#CALC!</v></c>'))
    r = run("validate", path)
    assert r.code == 0 and r.err == "", r.err
    from selfeval_xl.sources.xlsx import XlsxSource

    g = XlsxSource(path).grid("表5")
    assert g.errors == {(24, 0): "#SPILL!", (24, 1): "#CALC!"} and g.formulas[(24, 0)] == "=SEQUENCE(3)"
    base = XlsxSource(ex[0]).grid("表5").rows
    assert g.rows[:len(base)] == base and g.rows[len(base):24] == [[]] * (24 - len(base))


def test_annotate_leaves_a_users_results_sheet_alone(example_xlsx, tmp_path):
    book = user_results_sheet(example_xlsx, tmp_path / "book.xlsx")
    before = sheet_state(book, "校验结果")
    r = run("validate", book, "--annotate", tmp_path / "marked.xlsx")
    assert r.code == 0, r.err
    assert sheet_state(tmp_path / "marked.xlsx", "校验结果") == before
    assert "校验结果(2)" in openpyxl.load_workbook(tmp_path / "marked.xlsx").sheetnames


@needs_lo
def test_our_marker_survives_a_save_by_libreoffice(example_xlsx, tmp_path):
    from lo import recalc

    from selfeval_xl.app.marking import clear_marks, our_sheets
    from selfeval_xl.writers.openpyxl_port import OpenpyxlPort

    book = user_results_sheet(example_xlsx, tmp_path / "book.xlsx")
    before = sheet_state(book, "校验结果")
    assert run("validate", book, "--annotate", tmp_path / "marked.xlsx").code == 0
    saved = recalc(tmp_path / "marked.xlsx", tmp_path / "lo")
    port = OpenpyxlPort(saved)
    assert our_sheets(port) == {"_selfeval_marks", "校验结果(2)"}
    assert clear_marks(port) == 3
    port.save()
    names = openpyxl.load_workbook(saved).sheetnames
    assert "校验结果" in names and "校验结果(2)" not in names and "_selfeval_marks" not in names
    assert [[v for v, _, _ in row] for row in sheet_state(saved, "校验结果")] == [[v for v, _, _ in row] for row in before]


def test_notes_are_capped_at_excels_limit(ex):
    text = "超" * 32_760  # within a cell's limit; quoted in a message it is not
    path = on_b5(ex, "longnote.xlsx", lambda x: set_cell(x, "C6", b'<c r="C6" t="inlineStr"><is><t>%s</t></is></c>' % text.encode()))
    r = run("validate", path, "--annotate", ex[2] / "marked.xlsx")
    assert r.code == 1, r.err
    bounded(r)
    wb = openpyxl.load_workbook(ex[2] / "marked.xlsx")
    note = wb["表5"]["C6"].comment.text
    assert 32_000 < len(note) <= 32_767 and note.endswith("完整内容见“校验结果”工作表）")
    assert all(len(str(c.value or "")) <= 32_767 for row in wb["校验结果"].iter_rows() for c in row)


def test_notes_hold_no_character_xml_forbids():
    from selfeval_xl.app.marking import cell_text, chunks

    assert cell_text("a\x01b\x1b") == "a␁b␛"
    assert cell_text("x" * 40_000, where="校验结果").endswith("（已截断，完整内容见“校验结果”工作表）")
    assert len(cell_text("x" * 40_000)) == 32_767
    assert "".join(chunks("y" * 70_000)) == "y" * 70_000 and max(map(len, chunks("y" * 70_000))) < 32_767


# ---------------------------------------------------------------- the packed reading gives the same grids


def grids(path: Path) -> dict:
    from selfeval_xl.sources.xlsx import XlsxSource

    src = XlsxSource(path)
    try:
        return {n: vars(src.grid(n)) for n in src.sheet_names()}
    finally:
        src.close()


def conformance_books(tmp: Path, example: Path) -> list[Path]:
    from seed001 import write_official
    from test_sources import indented_official, layout_facts, with_shared_formulas

    facts = layout_facts(tmp / "facts.xlsx")
    return [example, write_official(tmp / "official.xlsx"), indented_official(tmp / "indented.xlsx"), facts,
            with_shared_formulas(facts, tmp / "shared.xlsx"), dates_and_texts(tmp / "dates.xlsx"),
            dates_and_texts(tmp / "dates1904.xlsx", date1904=True)]


def dates_and_texts(path: Path, date1904: bool = False) -> Path:
    """Dates, times and durations in several formats, rich and inline text, booleans, the 1904 date system."""
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
    ws = wb.add_worksheet("日期")
    fmts = ["yyyy-mm-dd", "yyyy/m/d h:mm", "h:mm:ss", "[h]:mm", 'yyyy"年"m"月"d"日"', "mm:ss.0", "0.00%", "@"]
    for i, f in enumerate(fmts):
        fm = wb.add_format({"num_format": f})
        ws.write_datetime(i, 0, dt.datetime(2021, 3, 30, 13, 45, 7), fm)
        ws.write_number(i, 1, 0.75, fm)
        ws.write_number(i, 2, 45000.5, fm)
    bold = wb.add_format({"bold": True})
    ws.write_rich_string(0, 3, "合计", bold, "（万元）", "说明")
    ws.write_boolean(1, 3, False)
    ws.write_string(2, 3, "  前后空格  ")
    wb.close()
    return path


def test_packed_reading_gives_the_grids_calamine_gives(example_xlsx, tmp_path, monkeypatch):
    from selfeval_xl.sources import sheet_xml

    for path in conformance_books(tmp_path, example_xlsx):
        dense = grids(path)
        monkeypatch.setattr(sheet_xml, "DENSE_MAX", 0)  # every sheet read packed
        packed = grids(path)
        monkeypatch.undo()
        assert packed == dense, path.name


def test_a_sheet_written_with_prefixed_tags_gives_the_same_values(example_xlsx, tmp_path):
    """A generator that writes <x:c>: read with expat (no r-first search holds), values as calamine gives."""
    part = sheet_part(example_xlsx, "表5")

    def prefixed(x):
        x = x.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=").replace(b"</worksheet>", b"</x:worksheet>")
        return re.sub(rb"<(/?)(sheetData|row|c|v|f|is|t)\b", rb"<\1x:\2", x)
    path = variant(example_xlsx, tmp_path / "prefixed.xlsx", {part: prefixed})
    assert grids(path)["表5"]["rows"] == grids(example_xlsx)["表5"]["rows"]


def test_a_workbook_part_written_with_prefixed_tags_gives_the_same_sheets_and_names(example_xlsx, tmp_path):
    """workbook.xml read with expat: prefixed elements, attributes in other orders and a defined name split by a
    comment give the sheets, their parts and the defined names of the plain file."""
    from selfeval_xl.sources.xlsx import XlsxSource

    def prefixed(x):
        x = x.replace(b"<workbook xmlns=", b"<x:workbook xmlns:x=").replace(b"</workbook>", b"</x:workbook>")
        x = re.sub(rb"<(/?)(sheets|sheet|definedNames|definedName)\b", rb"<\1x:\2", x)
        return x.replace(b">'\xe5", b">'<!-- a comment -->\xe5", 1)  # inside the first name's text: '基…

    def facts(path):
        src = XlsxSource(path)
        try:
            return src.sheet_names(), src.defined_names(), {n: src._st.parts[n] for n in src.sheet_names()}
        finally:
            src.close()

    path = variant(example_xlsx, tmp_path / "prefixed-book.xlsx", {"xl/workbook.xml": prefixed})
    assert b"<x:definedName" in zipfile.ZipFile(path).read("xl/workbook.xml")
    assert b"<!-- a comment -->" in zipfile.ZipFile(path).read("xl/workbook.xml")
    plain = facts(example_xlsx)
    assert len(plain[1]) > 10 and facts(path) == plain


def test_a_broken_workbook_part_is_one_line_with_its_place(ex):
    src, _, tmp = ex
    path = variant(src, tmp / "broken-book.xlsx", {"xl/workbook.xml": lambda x: x.replace(b"</sheets>", b"</sheet>", 1)})
    line = refused(run("validate", path), 2, "工作簿结构的 XML 有误，在第 ")
    assert re.search(r"第 \d+ 行第 \d+ 列", line), line


def test_the_limits_are_documented():
    from selfeval_xl.sources import package, sniff

    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    for n in (package.MAX_INFLATED // 1048576, package.MAX_CELLS, package.CELL_TEXT, sniff.MAX_PARTS, sniff.MAX_BYTES // 1048576):
        assert f"{n:,}" in doc or str(n) in doc, n
