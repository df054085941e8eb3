"""check-report (selfeval_xl.narrative): the figures of a self-evaluation report checked against each other.

The five seeds are real published reports. Every finding on them is listed below with the arithmetic that
makes it real; any other finding is a false alarm and fails the test. Mutation tests then change one figure
of a seed at a time and expect exactly one new finding, which shows the checks that stay silent on the
seeds (表5 rates, 其中 sums, 占比, 增减) did run.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import needs_lo  # noqa: E402
from lo import convert  # noqa: E402

from selfeval_xl.errors import InputError  # noqa: E402
from selfeval_xl.narrative import (  # noqa: E402
    ReportReadError,
    WorkbookFigure,
    canonical,
    check_report,
    exit_code,
    format_text,
    limits,  # noqa: E402
    to_json,
)
from selfeval_xl.narrative.numbers import scan  # noqa: E402
from selfeval_xl.narrative.textnorm import fold  # noqa: E402

SEEDS = Path("/work/shared/seeds")
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
S000, S001, S002, S003, S004 = (SEEDS / n for n in (
    "000_bd9b2fd0311639e1.txt", "001_1036b92ae9b07604.txt", "002_69e7f288a75f657f.txt",
    "003_17a21cb77cd48797.txt", "004_5adf402d10fbcc74.txt"))
needs_seeds = pytest.mark.skipif(not S001.exists(), reason="shared/seeds not present")
D = Decimal


def keyset(findings) -> set[tuple[str, str]]:
    return {(f.rule, f.location.text) for f in findings}


# ---------------------------------------------------------------- the seeds: exact findings

# seed 003, 第 6 行 (the same paragraph is printed again at 第 150 行 in a table, 第 329 行 in 附件1 and
# 第 376 行 in 附件3): 38 个项目 332.85 亿元，其中一产业 7 个 13.1 亿元、二产业 14 个 97 亿元、三产业 17 个
# 213.75 亿元. The counts add up (7 + 14 + 17 = 38) and the shares too (18.4 + 36.8 + 44.7 = 99.9 ≈ 100), so
# the list of the three industries is complete; the amounts add up to 323.85, not 332.85: 9 亿元 are missing.
SEED003_SUM = D("13.1") + D("97") + D("213.75")
# seed 003, 第 79-81 行: 国内公务接待 … 共计支出 45.25 万元 … 其中：外事接待 0 万元；其他国内公务接待支出 47.2 万元.
# A part (47.2) larger than its whole (45.25) — the contradiction issue 18 starts from.

EXPECTED = {
    "000": set(),
    "001": set(),
    "002": set(),
    "003": {("RPT-SUM", "第 6 行"), ("RPT-PART-GT", "第 81 行"), ("RPT-SUM", "第 150 行"),
            ("RPT-SUM", "第 329 行"), ("RPT-SUM", "第 376 行")},
    "004": set(),
}


def test_seed_arithmetic_by_hand():
    """The arithmetic behind every seed finding, in Decimal."""
    assert D("7") + D("14") + D("17") == D("38")  # the counts of the same list add up …
    assert D("18.4") + D("36.8") + D("44.7") == D("99.9")  # … and so do the shares (rounded to 0.1)
    assert SEED003_SUM == D("323.85") and D("332.85") - SEED003_SUM == D("9.00")  # the amounts do not
    assert D("47.2") > D("45.25") and D("0") + D("47.2") - D("45.25") == D("1.95")  # part > whole
    # seed 003 第 88 行 is NOT a finding: 3.48 ÷ (24.36 − 3.48) = 16.67 %, printed 16.64 %; but 24.36 and
    # 3.48 are rounded, and 24.365 with 3.4759 give exactly 16.640 %, so no contradiction can be shown.
    assert (D("3.4759") / (D("24.365") - D("3.4759")) * 100).quantize(D("0.01")) == D("16.64")


@needs_seeds
@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_findings_exact(seed):
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    found = check_report(path)
    assert keyset(found) == EXPECTED[seed], format_text(path, found)


@needs_seeds
def test_seed003_part_larger_than_whole_quoted_at_its_line():
    f = next(x for x in check_report(S003) if x.rule == "RPT-PART-GT")
    assert f.severity == "error"
    assert f.location.line == 81 and f.sentence == "其他国内公务接待支出47.2万元。"
    assert f.numbers["part"] == "47.2" and f.numbers["whole"] == "45.25"
    assert [r.line for r in f.related] == [79]  # where the whole (共计支出45.25万元) is
    assert "47.2" in f.message and "45.25" in f.message and "请核对" in f.message


@needs_seeds
def test_seed003_sum_finding_details():
    f = next(x for x in check_report(S003) if x.rule == "RPT-SUM" and x.location.line == 6)
    assert f.severity == "warning"  # a 其中 list that is short: complete only by inference
    assert D(f.numbers["sum"]) == SEED003_SUM and f.numbers["whole"] == "332.85"
    assert f.sentence.startswith("其中，一产业类项目7个")


@needs_seeds
def test_seed001_table5_and_text_figures_read_as_written():
    """表5's figures are read with their separators and decimals: 38,304.02 is 38304.02, not 38 or 304.02."""
    from selfeval_xl.narrative.extraction import extract
    from selfeval_xl.narrative.reading import read_report
    report = read_report(S001)
    t5 = next(t for t in report.tables if t.caption.startswith("表 5"))
    total = next(r for r in t5.rows if r[0] and r[0].text == "总计")
    assert [c.text for c in total[6:10]] == ["38,304.02", "37,411.04", "892.98", "97.67%"]
    figs = {(f.where.line, f.num.shown) for f in extract(report).figures if f.num.kind == "figure"}
    assert {(131, "38,304.02 万元"), (131, "37,411.04 万元"), (131, "97.67%"), (283, "46.44%")} <= figs
    # 第 84 行 (福府办函〔2019〕22 号, 2020-2022 年), 第 184-186 行 (福财〔2020〕11号, 20日内): no figure at all
    assert not [s for ln, s in figs if ln in (84, 184, 186)]


# ---------------------------------------------------------------- mutations: the silent checks did run

MUTATIONS = [
    # (seed, line, printed, changed to, rule expected at that line)
    (S001, 131, "执行率达 97.67%", "执行率达 96.67%", "RPT-RATE"),  # 37,411.04 ÷ 38,304.02 = 97.67 %
    (S001, 164, "控制率为52.47%", "控制率为55.47%", "RPT-RATE"),  # 32.77 ÷ 62.45 = 52.47 %
    (S001, 176, "执行率为93.78%", "执行率为95.78%", "RPT-RATE"),  # 50.52 ÷ 53.87 = 93.78 %
    (S001, 192, "预算执行率97.76%", "预算执行率98.76%", "RPT-RATE"),  # 36,914.69 ÷ 37,761.05 = 97.76 %
    (S001, 283, "预算执行率为46.44%", "预算执行率为41.44%", "RPT-RATE"),  # 41.80 ÷ (340 − 250) = 46.44 %
    (S001, 160, "892.98\t97.67%", "892.98\t97.76%", "RPT-TBL-RATE"),  # 表5 总计 row
    (S001, 147, "91.41%", "94.41%", "RPT-TBL-RATE"),  # 496.35 ÷ 542.98 = 91.41 %
    (S001, 151, "48.20\t46.44%", "58.20\t46.44%", "RPT-TBL-REMAIN"),  # 90.00 − 41.80 = 48.20
    (S001, 86, "项目支出 29,043.88 万元", "项目支出 29,034.88 万元", "RPT-SUM"),  # 542.98 + 29,043.88
    (S001, 131, "基本支出 496.35 万元", "基本支出 496.53 万元", "RPT-SUM"),  # 57.18 + 496.35 + 36,857.51
    (S003, 18, "增加34%", "增加43%", "RPT-CHANGE"),  # 192 ÷ 563.28 = 34.09 % → 34 %
    (S003, 18, "增加192万元", "增加129万元", "RPT-CHANGE"),  # 755.28 − 563.28 = 192.00
    (S003, 25, "占49%", "占59%", "RPT-SHARE"),  # 250.10 ÷ 509.28 = 49.11 %
    (S003, 41, "增加38.42%", "增加36.42%", "RPT-CHANGE"),  # 141.35 ÷ 367.93 = 38.42 %
    (S003, 73, "下降15%", "下降25%", "RPT-CHANGE"),  # 0.45 ÷ (2.55 + 0.45) = 15 %
    (S003, 94, "总额的100%，其中", "总额的90%，其中", "RPT-SHARE"),  # 3.11 ÷ 3.11
    (S003, 113, "完成预算的85%", "完成预算的80%", "RPT-RATE"),  # 170 ÷ 200 = 85 %
    (S003, 6, "占18.4%", "占17.4%", "RPT-SHARE"),  # 7 ÷ 38 = 18.42 %
    (S003, 21, "其他收入0万元", "其他收入10万元", "RPT-SUM"),  # 755.28 + 10 > 755.28
    (S004, 13, "增加47.78%", "增加57.78%", "RPT-CHANGE"),  # 125.47 ÷ (388.07 − 125.47) = 47.78 %
    (S004, 13, "占基本支出的 34.42%", "占基本支出的 43.42%", "RPT-SHARE"),  # 133.58 ÷ 388.07
    (S002, 57, "预算执行率为99.80%", "预算执行率为98.80%", "RPT-RATE"),  # 1372.97 ÷ 1375.72 = 99.80 %
    (S000, 35, "17 项得分", "18 项得分", "RPT-SUM"),  # 其中 18 + 2 ≠ 19 项
]


@needs_seeds
@pytest.mark.parametrize("seed,line,old,new,rule", MUTATIONS, ids=[f"{m[0].name[:3]}-{m[1]}-{m[4]}" for m in MUTATIONS])
def test_one_changed_figure_gives_one_finding(tmp_path, seed, line, old, new, rule):
    lines = seed.read_text("utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    changed = tmp_path / seed.name
    changed.write_text("\n".join(lines), "utf-8")
    before = {(f.rule, f.location.line) for f in check_report(seed)}
    new_findings = {(f.rule, f.location.line) for f in check_report(changed)} - before
    assert new_findings == {(rule, line)}


# ---------------------------------------------------------------- numbers: what is and is not a figure

def shown(text: str) -> list[tuple[str, str]]:
    return [(n.kind, n.shown) for n in scan(fold(text)) if n.kind != "bare"]


def test_years_dates_document_numbers_are_not_figures():
    text = ("根据（福府办函〔2019〕22 号）和《2020-2022 年中期财政规划》，2021年3月30日召开第11次会议，"
            "见表5、附件1，电话0755-28339251，代码2019-1802。")
    assert shown(text) == [("year", "2021")]


def test_full_width_digits_thousands_and_units():
    assert shown("支出３８，３０４．０２万元，执行率９７．６７％") == [("figure", "38,304.02 万元"),
                                                          ("figure", "97.67%")]
    assert shown("实际利用外资 52258 万美元，117.82万人次") == [("figure", "52258 万美元"), ("figure", "117.82 万人次")]
    n = scan(fold("调减预算250万，约10亿元，≥95%，300 余个"))
    assert [(x.unit, x.approx, x.bound) for x in n] == [("万元", False, False), ("亿元", True, False),
                                                        ("%", False, True), ("个", True, False)]


def test_foreign_currency_never_mixed_with_yuan(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("2021年支出总额100万元，其中：外方投资120万美元。\n", "utf-8")
    assert check_report(p) == []


def test_rounding_to_what_is_shown(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("年度总指标为38,304.02万元，实际支出37,411.04万元，执行率97.67%。\n"  # 97.6686… → 97.67
                 "基本支出250.10万元，其中：人员经费225.74万元，公用经费24.36万元。\n"  # 250.1 written 250.10
                 "年度总指标为3万元，实际支出2万元，执行率67%。\n", "utf-8")  # 66.67 % within 3 ± 0.5, 2 ± 0.5
    assert check_report(p) == []
    p.write_text("年度总指标为38,304.02万元，实际支出37,411.04万元，执行率97.66%。\n", "utf-8")
    assert keyset(check_report(p)) == {("RPT-RATE", "第 1 行")}


# ---------------------------------------------------------------- rules on small texts

def test_same_label_different_figures_and_scoping(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("2020年公务接待费支出决算10.50万元。\n"
                 "2019年公务接待费支出决算12.00万元。\n"  # another year: not the same figure
                 "2020年公务接待费预算数为15.00万元。\n"  # 预算数, not 决算: not the same figure
                 "2020年公务接待费支出决算为11.50万元。\n", "utf-8")  # contradicts line 1
    found = check_report(p)
    assert keyset(found) == {("RPT-SAME", "第 4 行")}
    assert found[0].related[0].line == 1 and found[0].expected == "10.50 万元"


def test_change_amount_and_percentage(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("2021年支出总计509.28万元，2020年支出总计472.49万元，与2020年相比增加36.97万元，增加7.79%。\n"
                 "2021年收入总计755.28万元，较上年增加192万元，增长43%。\n", "utf-8")
    found = check_report(p)
    # line 1: 509.28 − 472.49 = 36.79, printed 36.97 (the 7.79 % agrees with the two years: 36.79 ÷ 472.49)
    # line 2: the earlier year is 755.28 − 192 = 563.28, and 192 ÷ 563.28 = 34.09 %, printed 43 %
    assert [(f.rule, f.location.line, f.stated, f.expected) for f in found] == [
        ("RPT-CHANGE", 1, "36.97 万元", "36.79 万元"), ("RPT-CHANGE", 2, "43%", "34.09%")]


# ---------------------------------------------------------------- common phrasings that are consistent

CONSISTENT = [
    "2021年部门预算收入1000万元，其中：财政拨款收入800万元，其他收入200万元。",
    "本年支出合计900万元，其中：基本支出600万元，项目支出300万元，基本支出占66.67%。",
    "“三公”经费预算数为10万元，实际支出8万元，控制率80%。",
    "全年累计接待客商100批次，其中外商30批次。",
    "本年支出45万元，比上年减少5万元，下降10%。",
    "较2020年增长20%。",
    "实际支出120万元，年度预算100万元，超支20万元，执行率120%。",
    "截至12月31日，支出进度达到100%。",
    "编制人数20人，实有人数18人，其中在职15人，退休3人。",
    "投资额1亿元以上项目20个，其中5亿元以上12个，10亿元以上10个。",
    "支出100万元，其中：人员经费60万元（含社保10万元），公用经费40万元。",
    "收入合计 100 万元，其中：财政拨款 80 万元，占 80%；其他收入 20 万元，占 20%。",
    "项目预算数50万元，执行数50万元，执行率100%，其中：设备购置30万元，服务采购20万元。",
    "2021年项目支出预算为200.00万元，全年实际支出180.00万元，执行率为90.00%，较上年提高5个百分点。",
    "预算执行率为95%，其中基本支出执行率98%，项目支出执行率93%。",
    "1．A项目：预算数100万元，执行数90万元，执行率90%。",
    "2．B项目：预算数200万元，执行数150万元，执行率75%。",
    "A项目一般公共预算100万元。",
    "B项目一般公共预算200万元。",
    "年初预算100万元，年中追加20万元，实际支出114万元，预算执行率95%。",
]


def test_common_consistent_phrasings_give_no_finding(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("\n".join(CONSISTENT) + "\n", "utf-8")
    assert check_report(p) == []
    p.write_text("\n".join(CONSISTENT).replace("基本支出占66.67%", "基本支出占60.67%") + "\n", "utf-8")
    found = [(f.rule, f.location.line, f.expected) for f in check_report(p)]
    assert found == [("RPT-SHARE", 2, "66.67%")]


# ---------------------------------------------------------------- .docx and .pdf

def _docx(path: Path) -> Path:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某单位2021年度部门整体支出绩效自评报告")
    d.add_paragraph("2021年本单位调整后年度总指标为1,200.00万元，实际支出1,140.00万元，预算执行率为95.00%。")  # 95 % ✓
    d.add_paragraph("")
    d.add_paragraph("2021年公务接待费支出决算10.50万元，其中：国内公务接待支出12.30万元。")  # part > whole
    d.add_paragraph("2021年日常公用经费调整后年度总指标为80.00万元，实际支出72.00万元，控制率为92.00%。")  # 90 %
    t = d.add_table(rows=3, cols=4)
    for r, row in enumerate([["预算项目", "年度总指标(万元)", "支出数(万元)", "执行率"],
                             ["人员经费", "500.00", "480.00", "96.00%"],  # ✓
                             ["公用经费", "100.00", "90.00", "80.00%"]]):  # 90 %
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    d.save(str(path))
    return path


def test_docx_findings_by_paragraph_and_cell(tmp_path):
    found = check_report(_docx(tmp_path / "r.docx"))
    assert keyset(found) == {("RPT-PART-GT", "段落 3"), ("RPT-RATE", "段落 4"), ("RPT-TBL-RATE", "表 1 第 3 行第 4 列")}
    rate = next(f for f in found if f.rule == "RPT-RATE")
    assert rate.expected == "90.00%" and rate.stated == "92.00%"


def _csv_report(path: Path) -> Path:
    # LibreOffice Calc is what the project's test setup installs; a one-column CSV prints as lines of text
    rows = ["某单位2021年度绩效自评报告",
            "2021年年度总指标500.00万元，实际支出450.00万元，执行率90.00%。",  # ✓
            "2021年公务接待费支出10.50万元，其中国内接待12.30万元。",  # part > whole
            "政府采购预算80.00万元，实际支出60.00万元，执行率80.00%。"]  # 75 %
    path.write_text("\n".join(f'"{r}"' for r in rows) + "\n", "utf-8")
    return path


@needs_lo
def test_pdf_findings_by_page_and_line(tmp_path):
    pdf = convert(_csv_report(tmp_path / "r.csv"), tmp_path, "pdf", infilter="CSV:44,34,76,1")
    found = check_report(pdf)
    lines = [f.location for f in found]
    assert [f.rule for f in found] == ["RPT-PART-GT", "RPT-RATE"]
    assert all(loc.kind == "page" and loc.page == 1 for loc in lines)
    assert found[0].sentence == "2021年公务接待费支出10.50万元，其中国内接待12.30万元。"
    assert found[1].sentence.startswith("政府采购预算80.00万元") and found[1].expected == "75.00%"
    assert found[1].location.line == found[0].location.line + 1


# ---------------------------------------------------------------- the workbook

def seed001_workbook() -> list[WorkbookFigure]:
    return [
        WorkbookFigure("年度总指标", D("38304.02"), "万元", "表5!G20", "38,304.02"),
        WorkbookFigure("支出数", D("37411.04"), "万元", "表5!H20", "37,411.04"),
        WorkbookFigure("执行率", D("97.6686"), "%", "表5!J20", "97.67"),
        WorkbookFigure("日常公用经费调整预算数", D("62.45"), "万元", "表5!G9", "62.45"),
        WorkbookFigure("日常公用经费决算数", D("32.77"), "万元", "表5!H9", "32.77"),
        WorkbookFigure("日常公用经费控制率", D("52.47"), "%", "评分表!H20", "52.47"),
        WorkbookFigure("政府采购预算数", D("538700"), "元", "基础数据!C5", "538,700"),
        WorkbookFigure("政府采购实际支出", D("50.52"), "万元", "基础数据!C6", "50.52"),
        WorkbookFigure("三公经费实际支出", D("3.65"), "万元", "基础数据!C7", "3.65"),  # not in the report
        WorkbookFigure("总分", D("95.41"), "分", "评分表!I40", "95.41"),
    ]


@needs_seeds
def test_workbook_unchanged_no_finding():
    assert check_report(S001, workbook=seed001_workbook()) == []


@needs_seeds
def test_workbook_one_figure_changed_by_hand():
    figures = seed001_workbook()
    figures[4] = WorkbookFigure("日常公用经费决算数", D("32.17"), "万元", "表5!H9", "32.17")
    found = check_report(S001, workbook=figures)
    assert keyset(found) == {("RPT-WB", "第 164 行")}
    assert found[0].stated == "32.77 万元" and "表5!H9" in found[0].message and "32.17" in found[0].message


@needs_seeds
def test_workbook_total_changed_is_found_in_text_and_table():
    figures = seed001_workbook()
    figures[0] = WorkbookFigure("年度总指标", D("38340.02"), "万元", "表5!G20", "38,340.02")
    found = check_report(S001, workbook=figures)
    assert keyset(found) == {("RPT-WB", "第 131 行"), ("RPT-WB", "第 160 行第 7 栏")}
    assert all(f.numbers["source"] == "表5!G20" for f in found)


def test_synonyms():
    assert canonical("本部门预算调整后年度总指标") == ("", "年度总指标")
    assert canonical("调整后年度总指标") == canonical("预算总额") == ("", "年度总指标")
    assert canonical("支出数(万元)") == canonical("实际支出") == canonical("决算数") == ("", "实际支出")
    assert canonical("预算执行率") == canonical("执行进度") == ("", "执行率")
    assert canonical("“三公”经费财政拨款支出决算") == ("三公经费", "实际支出")
    assert canonical("部门整体支出绩效自评总体得分") == canonical("总分") == ("", "得分")
    assert canonical("项目预算总指标") is None  # a project's, not the unit's


# ---------------------------------------------------------------- reading: encodings, bounds, errors

@needs_seeds
def test_gbk_text_reads_like_utf8(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(S003.read_text("utf-8").encode("gb18030"))
    assert keyset(check_report(p)) == EXPECTED["003"]


@pytest.mark.parametrize("name,content,words", [
    ("missing.txt", None, "找不到"),
    ("r.doc", b"x", "不支持"),
    ("r.docx", b"not a zip", "无法打开"),
    ("r.pdf", b"%PDF-1.4 broken", "PDF"),
    ("empty.txt", b"\n\n", "没有读到文字"),
    ("bin.txt", b"abc\x00\x00def", "不是文本"),
    ("bad.txt", b"\xff\xfe\x00\xd8", "编码"),
])
def test_unreadable_reports_raise_one_input_error(tmp_path, name, content, words):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(ReportReadError) as e:
        check_report(p)
    assert isinstance(e.value, InputError) and e.value.exit_code == 2 and words in str(e.value)


def test_size_is_bounded(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    p.write_text("支出1万元。\n" * 100, "utf-8")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    with pytest.raises(ReportReadError, match="上限"):
        check_report(p)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10**6)
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 50)
    with pytest.raises(ReportReadError, match="上限"):
        check_report(p)


def test_text_is_never_evaluated(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("__import__('os').system('false') 支出 1+1 万元，其中 eval(2) 万元。\n", "utf-8")
    assert check_report(p) == []


# ---------------------------------------------------------------- the API for the CLI

@needs_seeds
def test_json_and_exit_code():
    found = check_report(S003)
    doc = to_json(S003, found)
    text = json.dumps(doc, ensure_ascii=False)
    assert doc["ok"] is False and doc["counts"] == {"error": 1, "warning": 4, "info": 0}
    first = doc["findings"][0]
    assert set(first) == {"rule", "severity", "location", "where", "sentence", "stated", "expected", "message",
                          "related", "numbers"}
    assert first["location"] == {"kind": "line", "text": "第 6 行", "line": 6}
    assert "float" not in text and exit_code(found) == 1 and exit_code(check_report(S001)) == 0
    assert "其他国内公务接待支出47.2万元" in format_text(S003, found)


# ---------------------------------------------------------------- robustness

_ALPHABET = ("0123456789０９.,，．。；：、%％万亿元个项其中包括占比增加减少比上年"
             "执行率预算实际支出合计年月日第表〔〕《》-\t|\n ")


@pytest.mark.parametrize("seed_text", [
    "其中：", "占%", "。其中，", "比上年增加万元，增加%", "\t|\t", "1,2,3,4万元", "-", "〔〔〔2020", "执行率100%",
    "预算0万元，实际支出5万元，执行率0%", "其中其中其中12万元", "2020年2020年2020年",
])
def test_odd_texts_never_crash(tmp_path, seed_text):
    p = tmp_path / "r.txt"
    p.write_text(seed_text + "\n", "utf-8")
    json.dumps(to_json(p, check_report(p)), ensure_ascii=False)


def test_random_texts_never_crash(tmp_path):
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    from selfeval_xl.narrative import check_document
    from selfeval_xl.narrative.blocks import Report
    from selfeval_xl.narrative.read_lines import build

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(st.text(alphabet=_ALPHABET, max_size=300))
    def run(text):
        blocks, tables = build([(0, i, line) for i, line in enumerate(text.split("\n"), start=1)])
        for f in check_document(Report("r.txt", "txt", blocks, tables)):
            json.dumps(f.as_dict(), ensure_ascii=False)

    run()
