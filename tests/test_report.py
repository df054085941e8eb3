"""The draft report (selfeval-xl report): its figures equal the workbook's as LibreOffice displays them, check-report
finds nothing in it and finds a figure changed by hand, it prints to PDF, and it works for the project form."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal as D
from pathlib import Path

import docx
import pytest
from conftest import PROJECT_BY_HAND, needs_lo
from lo import XCU, convert, soffice

from selfeval_xl.app.report import report_file, workbook_figures, write_checked
from selfeval_xl.app.score import score
from selfeval_xl.app.validate import validate
from selfeval_xl.errors import FileError
from selfeval_xl.narrative import check_report
from selfeval_xl.writers.report.display import general, money, percent

_WRITER = soffice() is not None and (Path(soffice()).resolve().parent / "libswlo.so").exists()
needs_writer = pytest.mark.skipif(not _WRITER, reason="LibreOffice Writer missing: apt-get install libreoffice-writer-nogui")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The bundled example workbook, validated and scored, and its report."""
    from selfeval_xl.app.demo import build_example

    folder = tmp_path_factory.mktemp("report")
    src = build_example(folder / "示例.xlsx")
    out = report_file(src, folder / "自评报告.docx")
    checked = validate(src)
    score(checked)
    return src, checked, out


def _paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def _tables(path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


def _built_and_reported(build, data: dict, tmp: Path) -> tuple[Path, Path, str]:
    """(workbook, report, the report's paragraphs) of a workbook built by a template builder from data."""
    src = tmp / "工作簿.xlsx"
    build(src, data)
    out = report_file(src, tmp / "报告.docx")
    return src, out, "\n".join(_paragraphs(out))


def _shown(src: Path, sheet_no: int, tmp: Path) -> list[list[str]]:
    """One sheet as LibreOffice displays it after recalculating every formula (CSV export "as shown")."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(XCU, "utf-8")
    try:
        as_shown = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,{sheet_no}"
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", as_shown, "--outdir", str(tmp), str(src)],
                       check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    (out,) = tmp.glob(f"{src.stem}-*.csv")
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    out.unlink()
    return rows


# ---------------------------------------------------------------- figures equal the workbook as displayed

@needs_lo
def test_demo_figures_equal_the_workbook_as_displayed(demo, tmp_path):
    """Every figure of 表5 in the report's table, and the key figures in its sentences, equal what LibreOffice shows
    in the recalculated workbook (38,304.02, 37,411.04, 97.67% … 95.41, 优)."""
    import openpyxl

    src, _, out = demo
    names = openpyxl.load_workbook(src, read_only=True).sheetnames
    b5 = _shown(src, names.index("表5") + 1, tmp_path)
    basic = {r[0]: r[1] for r in _shown(src, names.index("基础数据") + 1, tmp_path) if len(r) > 1}
    card = _shown(src, names.index("评分表") + 1, tmp_path)
    total_row = next(r for r in card if r[0] == "合计")
    grade_row = next(r for r in card if r[0] == "评价等级")
    grand = next(r for r in b5 if r[0] == "总计")
    assert grand[2:10] == ["29,586.86", "1,774.64", "9,243.48", "-2,300.96", "38,304.02", "37,411.04", "892.98", "97.67%"]
    assert (total_row[10], grade_row[10]) == ("95.41", "优")

    # 表5 in the report: cell by cell as the sheet shows it (the category only where the sheet repeats it)
    table = next(t for t in _tables(out) if t[0][:2] == ["分类", "预算项目"])
    sheet_rows = [r for r in b5[3:] if any(r[2:10])]
    assert len(table) - 1 == len(sheet_rows) == 17
    for got, want in zip(table[1:], sheet_rows):
        assert got[2:10] == want[2:10], (got[:2], want[:2])
        assert got[10] == want[10]  # 执行率差额原因, quoted as written

    text = "\n".join(_paragraphs(out))
    sub = {r[0]: r for r in b5 if r[0].endswith("小计")}
    assert f"年初预算总额为 {grand[2]} 万元，包括基本支出 {sub['基本支出小计'][2]} 万元，项目支出(除政府投资项目) " \
           f"{sub['项目支出(除政府投资项目)小计'][2]} 万元" in text
    assert f"预算调整后年度总指标为 {grand[6]} 万元" in text
    assert f"本部门实际支出 {grand[7]} 万元" in text
    assert f"本部门预算执行率达 {grand[9]}" in text
    assert f"年末剩余指标 {grand[8]} 万元" in text
    assert f"总分为 {total_row[10]} 分，评价等级为“{grade_row[10]}”" in text
    assert f"“三公”经费预算数 {basic['“三公”经费预算合计']} 万元，实际支出 {basic['“三公”经费实际支出合计']} 万元" in text
    assert f"日常公用经费调整预算数 {basic['日常公用经费调整预算数']} 万元，日常公用经费决算数 {basic['日常公用经费决算数']} 万元" in text
    assert f"政府采购预算数 {basic['政府采购计划金额']} 万元，政府采购实际采购金额 {basic['政府采购实际金额']} 万元" in text
    # the rates the report computes come from the displayed figures: 32.77 ÷ 62.45, 50.52 ÷ 53.87, 3.65 ÷ 8.52
    for part, whole, label in (("日常公用经费决算数", "日常公用经费调整预算数", "日常公用经费控制率"),
                               ("政府采购实际金额", "政府采购计划金额", "政府采购执行率"),
                               ("“三公”经费实际支出合计", "“三公”经费预算合计", "“三公”经费控制率")):
        rate = percent(D(basic[part].replace(",", "")) / D(basic[whole].replace(",", "")))
        assert f"{label} {rate}" in text
    assert "日常公用经费控制率 52.47%" in text and "政府采购执行率 93.78%" in text


def test_low_rates_quote_their_reasons(demo):
    """Every 表5 row below 90% is listed with its 执行率差额原因 exactly as in column K, or 【待填写】 naming the cell."""
    import openpyxl

    src, checked, out = demo
    ws = openpyxl.load_workbook(src)["表5"]
    text = "\n".join(_paragraphs(out))
    low = [r for r in checked.wb.budget.rows if r.kind in ("detail", "child") and r.rate is not None and r.rate < D("0.9")]
    assert [r.label for r in low] == ["公用经费", "其中：公用日常经费", "英才荟专项经费", "投资促进管理", "其中：公务接待",
                                      "购置费", "预算准备金"]
    for r in low:
        reason = ws.cell(r.row, 11).value
        if reason:
            assert f"差额原因：“{reason}”" in text
        else:
            assert f"{r.label}执行进度" in text and f"差额原因：【待填写】（表5!K{r.row} 未填写）" in text
    assert "人员经费执行进度" not in text  # 96.47% is not low


def test_targets_scores_and_annex(demo):
    _, checked, out = demo
    text = "\n".join(_paragraphs(out))
    goals = next(t for t in _tables(out) if t[0] == ["一级指标", "二级指标", "三级指标", "指标值", "完成值", "完成偏差说明"])
    assert [r[2:] for r in goals[1:]] == [[g.level3, g.target, g.actual, g.note] for g in checked.wb.goals.rows]
    assert "“福田区企业动态监测研究与招商目标企业信息采集分析”：指标值 1 次，完成值 0 次。偏差说明：“取消开展" in text
    assert "“支出进度达标率”：指标值 ≥95%，完成值 50%" in text
    roots = next(t for t in _tables(out) if t[0][:3] == ["一级指标", "分值", "自评得分"])
    assert roots[1:] == [["部门决策", "25", "24"], ["部门管理", "20", "16.94"], ["部门绩效", "55", "54.47"],
                         ["合计", "100", "95.41"]]
    annex = next(t for t in _tables(out) if t[0][-1] == "计算过程")
    assert len(annex) == 1 + 21 + 1 and annex[-1][3:5] == ["100", "95.41"] and annex[-1][-1] == "评价等级：优"
    assert ["部门管理", "人员管理", "财政供养人员控制率", "1", "0"] == annex[12][:5]
    # 四 and 五: the findings as starting points, 【待填写】 where only the unit can write
    assert "（一）部分预算项目执行进度偏低" in text and "（三）部分评价指标未得满分" in text
    assert "“预算执行率”分值 6 分，得 5.47 分" in text
    assert text.count("原因分析：【待填写】") == 3 and "（一）针对部分预算项目执行进度偏低" in text
    assert "【待填写：部门主要职能" in text


# ---------------------------------------------------------------- check-report glue

def test_check_report_finds_nothing_and_finds_a_figure_changed_by_hand(demo, tmp_path):
    _, checked, out = demo
    figures = workbook_figures(checked)
    by_source = {w.source: w for w in figures}
    assert by_source["表5!G20"].shown == "38,304.02" and by_source["表5!G20"].value == D("38304.02")
    assert by_source["表5!J20"].unit == "%" and by_source["表5!J20"].value == D("97.67")
    assert by_source["评分表!K24"].unit == "分" and by_source["评分表!K24"].value == D("95.41")
    assert check_report(out, workbook=figures) == []

    for old, new, rules in (("38,304.02", "38,340.02", {"RPT-WB", "RPT-RATE", "RPT-SUM"}), ("95.41", "96.41", {"RPT-WB"}),
                            ("日常公用经费决算数 32.77", "日常公用经费决算数 32.17", {"RPT-WB", "RPT-RATE"})):
        doc = docx.Document(str(out))
        run = next(r for p in doc.paragraphs for r in p.runs if old in r.text)
        run.text = run.text.replace(old, new, 1)
        edited = tmp_path / "改过.docx"
        doc.save(str(edited))
        found = check_report(edited, workbook=figures)
        assert {f.rule for f in found} == rules, [f.message for f in found]
        wb = next(f for f in found if f.rule == "RPT-WB")
        assert wb.stated.startswith(new.split()[-1]) and wb.location.kind == "paragraph"


def test_workbook_figures_leave_out_labels_two_figures_answer_to(demo):
    """Labels check-report cannot tell apart are not offered (each figure offered has one key and one value)."""
    from selfeval_xl.narrative import canonical

    _, checked, _ = demo
    figures = workbook_figures(checked)
    keys = [(canonical(w.label), w.unit) for w in figures]
    assert None not in [k[0] for k in keys]
    values = {}
    for k, w in zip(keys, figures):
        values.setdefault(k, set()).add(w.value)
    assert all(len(v) == 1 for v in values.values())
    assert {"基本支出小计 年度总指标", "三公经费控制率", "政府采购执行率", "自评总分"} <= {w.label for w in figures}


# ---------------------------------------------------------------- printing

@needs_lo
@needs_writer
def test_report_prints_to_pdf(demo, tmp_path):
    """LibreOffice prints the .docx: A4 pages, 表5 and 附件1 in landscape, every page numbered, Chinese text and
    every 表5 figure intact on its page (none broken over two lines by a narrow column)."""
    from pypdf import PdfReader

    _, checked, out = demo
    pdf = convert(out, tmp_path, "pdf")
    pages = PdfReader(str(pdf)).pages
    assert 8 <= len(pages) <= 14
    texts = [p.extract_text() for p in pages]
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages]
    assert set(sizes) == {(595, 842), (842, 595)}  # A4 portrait and landscape
    for n, t in enumerate(texts, start=1):
        assert re.search(rf"—\s*{n}\s*—", t), f"page {n} has no page number"
    assert "深圳市福田区投资推广署2020年度部门整体支出绩效自评报告" in re.sub(r"\s", "", texts[0])
    assert "一、基本情况" in texts[0]
    b5 = [i for i, t in enumerate(texts) if "预算整体支出情况表" in t and "执行率差额原因" in t]
    assert len(b5) == 1 and sizes[b5[0]] == (842, 595)
    for row in checked.wb.budget.rows:
        for f in ("budget", "total", "spent", "remaining"):
            v = row.cells[f].parsed
            if v.kind == "number" and v.raw not in (None, ""):
                assert money(v.value) in texts[b5[0]], (row.label, f)
    assert sizes[-1] == (842, 595) and re.search(r"附件\s*1", texts[-1]) and "95.41" in texts[-1]


# ---------------------------------------------------------------- the project form

def test_project_form_report(tmp_path):
    from selfeval_xl.writers.templates import build_project

    src, out, text = _built_and_reported(build_project, PROJECT_BY_HAND, tmp_path)
    assert "招商专项工作经费项目支出绩效自评报告" in text
    assert "本项目年初预算数 100.00 万元，全年预算数 100.00 万元，全年执行数 85.00 万元，执行率 85.00%" in text
    assert "执行率低于 90%，原因：【待填写】" in text
    tables = _tables(out)
    funds = next(t for t in tables if t[0][0] == "项目资金")  # a department's form says 预算资金
    assert funds[1] == ["年度资金总额", "100.00", "100.00", "85.00", "85.00%"]
    assert funds[2][:4] == ["其中：本年财政拨款", "90.00", "90.00", "80.00"]
    inds = next(t for t in tables if t[0][:3] == ["一级指标", "二级指标", "三级指标"] and "分值" in t[0])
    assert [r[2] for r in inds[1:]] == ["签约项目", "办结时间", "验收次数", "企业认可"]
    assert [r[8] for r in inds[1:]] == ["40", "10", "20", "9"]
    assert "总分为 87.50 分，评价等级为“良”" in text
    checked = validate(src)
    score(checked)
    assert check_report(out, workbook=workbook_figures(checked)) == []


# ---------------------------------------------------------------- what the workbook does not hold

def test_missing_figures_are_left_to_fill_not_invented(tmp_path):
    """A 基础数据 input left blank gives 【待填写】, and so does every rate computed from it."""
    from selfeval_xl.app.demo import example_data
    from selfeval_xl.writers.templates import build_dept

    data = example_data()
    data["basic"] = {k: v for k, v in data["basic"].items() if k not in ("ProcPlan", "OpexActual")}
    src, out, text = _built_and_reported(build_dept, data, tmp_path)
    assert "政府采购预算数 【待填写】，政府采购实际采购金额 50.52 万元，政府采购执行率 【待填写】" in text
    assert "日常公用经费决算数 【待填写】，日常公用经费控制率 【待填写】" in text
    checked = validate(src)
    score(checked)
    assert check_report(out, workbook=workbook_figures(checked)) == []


def test_the_units_own_scores_are_quoted_with_the_rules(demo, tmp_path):
    """Where the unit's own scores differ from the rules', the report gives the unit's and then the rule's."""
    src, _, _ = demo
    checked = validate(src)
    result = score(checked)
    item = next(i for i in result.items if i.path[-1] == "财政供养人员控制率")
    for i in result.items:
        i.self_score = i.score
    item.self_score = D(1)
    result.self_total = D("96.41")
    out = write_checked(checked, tmp_path / "自评分不同.docx", src=src)
    text = "\n".join(_paragraphs(out))
    assert "总分为 96.41 分，评价等级为“优”" in text
    assert "按评分规则核算为 95.41 分（评价等级“优”），与自评总分不一致" in text
    annex = next(t for t in _tables(out) if t[0][-1] == "计算过程")
    assert annex[0][3:6] == ["分值", "自评得分", "按规则核算"]
    row = next(r for r in annex if r[2] == "财政供养人员控制率")
    assert row[3:6] == ["1", "1", "0"]
    assert check_report(out, workbook=workbook_figures(checked)) == []


# ---------------------------------------------------------------- files

def test_outputs_are_never_overwritten_by_surprise(demo, tmp_path):
    src, _, out = demo
    with pytest.raises(FileError, match="已存在"):
        report_file(src, out)
    before_src = src.read_bytes()
    with pytest.raises(FileError, match=r"\.docx"):
        report_file(src, src)
    assert src.read_bytes() == before_src
    with pytest.raises(FileError, match=r"\.docx"):
        report_file(src, tmp_path / "报告.doc")
    before = out.stat().st_mtime_ns
    assert report_file(src, out, force=True) == out and out.stat().st_mtime_ns >= before


def test_report_file_gets_the_users_umask(demo, tmp_path):
    src, _, _ = demo
    old = os.umask(0o027)
    try:
        out = report_file(src, tmp_path / "权限.docx")
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o640


def test_typesetting(demo):
    """A4 with the official margins; body 仿宋 三号 on a 28 pt line, headings 黑体 / 楷体, tables 宋体."""
    from docx.shared import Pt

    _, _, out = demo
    doc = docx.Document(str(out))
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert [round(m.cm, 2) for m in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)] == [
        3.7, 3.5, 2.8, 2.6]
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"

    def east_asian(style):
        return doc.styles[style].element.rPr.rFonts.get(qn)

    assert east_asian("报告正文") == "仿宋" and doc.styles["报告正文"].font.size == Pt(16)
    assert doc.styles["报告正文"].paragraph_format.line_spacing == Pt(28)
    assert (east_asian("报告一级标题"), east_asian("报告二级标题"), east_asian("表格文字")) == ("黑体", "楷体", "宋体")
    heads = [p.text for p in doc.paragraphs if p.style.name == "报告一级标题"]
    assert heads == ["一、基本情况", "二、绩效目标实现情况", "三、评价结论", "四、存在的问题及原因", "五、整改措施", "附件1"]
    assert "PAGE" in first.footer._element.xml


def test_display():
    assert money(D("-1947.96")) == "-1,947.96" and money(D("38304.015")) == "38,304.02" and money(D(0)) == "0.00"
    assert percent(D("0.976687042")) == "97.67%" and percent(D("0.9"), 0) == "90%" and percent(D("0.000050")) == "0.01%"
    assert general(D("12.0")) == "12" and general(D("0.50")) == "0.5" and general(D("2.5")) == "2.5"


@pytest.mark.parametrize("with_rates", [True, False])
def test_a_users_own_budget_table_alone(tmp_path, with_rates):
    """A workbook with only a 表5 of the unit's own (figures typed, no 评分表, no 基础数据): the report quotes its
    figures and leaves the rest, the conclusion included, to fill. Without a 执行进度 column the rates are
    支出数 ÷ 年度总指标."""
    import openpyxl

    from selfeval_xl.app.report import figures_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "预算执行"
    ws.append(["2021年预算整体支出情况表"])
    ws.append(["单位：万元"])
    ws.append(["分类", "预算项目", "部门预算指标", "年度总指标", "支出数", "剩余指标", "执行进度", "执行率差额原因"])
    for row in (["基本支出", "人员经费", 210.5, 210.5, 208.25, 2.25, 0.98931116],
                [None, "公用经费", 40, 40, 30, 10, 0.75, "疫情期间会议减少"],
                ["基本支出小计", None, 250.5, 250.5, 238.25, 12.25, 0.95109780],
                ["总计", None, 250.5, 250.5, 238.25, 12.25, 0.95109780]):
        ws.append(row)
    for r in range(4, 8):
        ws.cell(r, 7).number_format = "0.00%"
    if not with_rates:
        ws.delete_cols(7)
    src = tmp_path / "自己的表.xlsx"
    wb.save(src)
    out = report_file(src, tmp_path / "报告.docx")
    text = "\n".join(_paragraphs(out))
    assert "预算调整后年度总指标为 250.50 万元，包括基本支出 250.50 万元" in text
    assert "本部门实际支出 238.25 万元" in text
    assert "公用经费执行进度 75.00%（年度总指标 40.00 万元，支出数 30.00 万元）。差额原因：“疫情期间会议减少”" in text
    assert "三、评价结论\n【待填写：自评总分、评价等级】" in text
    assert text.startswith("【待填写：单位名称】【待填写：年份】年度部门整体支出绩效自评报告")
    assert "工作簿校验发现的问题" not in text  # the figures add up
    assert "“三公”经费、日常公用经费的预算数、实际支出和控制率（工作簿中没有 基础数据）" in text
    assert "附件1" not in text
    assert "本部门预算执行率达 95.11%" in text
    figures = figures_file(src)
    rates = {w.source: w.shown for w in figures if w.unit == "%"}
    assert rates == ({"预算执行!G4": "98.93%", "预算执行!G5": "75.00%", "预算执行!G6": "95.11%", "预算执行!G7": "95.11%"}
                     if with_rates else {})
    assert check_report(out, workbook=figures) == []


def test_a_rate_shows_the_decimals_of_its_percent_format():
    """Cell.places (the decimals the cell's percent format shows, where the reader gives them) decides; else 0.00%."""
    from selfeval_xl.core.address import CellAddress
    from selfeval_xl.core.model import Cell
    from selfeval_xl.core.numbers import parse_number
    from selfeval_xl.writers.report.figures import rate_fig

    at = CellAddress("表5", 7, 10)
    assert rate_fig(Cell(at, parse_number(0.9510978), places=1)).shown == "95.1%"
    assert rate_fig(Cell(at, parse_number(0.9510978), places=0)).shown == "95%"
    assert rate_fig(Cell(at, parse_number(0.9510978))).shown == "95.11%"
    assert rate_fig(Cell(at, parse_number("97.67"))).shown == "97.67%"  # typed as percentage points
    assert rate_fig(Cell(at, parse_number(""))).text == "【待填写】"


def test_money_typed_as_text_shows_as_typed():
    from selfeval_xl.core.address import CellAddress
    from selfeval_xl.core.model import Cell
    from selfeval_xl.core.numbers import parse_number
    from selfeval_xl.writers.report.figures import money_fig

    at = CellAddress("表5", 4, 4)
    dash = money_fig(Cell(at, parse_number("-")), blank_zero=True)
    assert (dash.shown, dash.text, dash.value) == ("-", "0.00", D(0))  # the table shows "-", a sentence 0.00
    blank = money_fig(Cell(at, parse_number(None)), blank_zero=True)
    assert (blank.shown, blank.text) == ("", "0.00")
    assert money_fig(Cell(at, parse_number(None))).text == "【待填写】"  # 基础数据 left blank is not 0
    typed = money_fig(Cell(at, parse_number(1774.64)))
    assert (typed.shown, typed.text, typed.source) == ("1,774.64", "1,774.64", "表5!D4")


def test_a_department_form_of_its_own_layout(tmp_path):
    """A published 部门整体支出绩效自评表 (Hunan, 2023, typed as laid out): the report speaks of 本部门, takes the
    unit and year from the form, and shows the 执行率 as its 0% format does (100%)."""
    from real.build import build, load

    src = build(load(Path(__file__).parent / "real" / "anhui-dept" / "hunan-hengshan-guantang-2023-dept.yaml"),
                tmp_path / "贯塘乡.xlsx")
    out = report_file(src, tmp_path / "报告.docx")
    text = "\n".join(_paragraphs(out))
    assert text.startswith("衡山县贯塘乡人民政府2023年度部门整体支出绩效自评报告\n部门名称：衡山县贯塘乡人民政府")
    assert "（一）部门职能" in text and "项目概况" not in text
    assert "2023年本部门年初预算数 861.10 万元，全年预算数 2,030.12 万元，全年执行数 2,030.12 万元，执行率 100%。" in text
    funds = next(t for t in _tables(out) if t[0][0] == "预算资金")
    assert funds[1] == ["年度资金总额", "861.10", "2,030.12", "2,030.12", "100%"]
    checked = validate(src)
    score(checked)
    assert check_report(out, workbook=workbook_figures(checked)) == []


def test_a_sheet_name_with_spaces_and_brackets_is_named_whole_in_the_sources(tmp_path):
    """A source reads as Excel writes a reference ('预算 执行 (2021)'!G4 when the name has a space or a sign),
    and the 数据来源 notes name the whole sheet, not the part after its last space."""
    import openpyxl

    from selfeval_xl.app.report import figures_file
    from selfeval_xl.writers.report.figures import source_cells

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "预算 执行 (2021)"
    ws.append(["单位：万元"])
    ws.append(["分类", "预算项目", "年度总指标", "支出数", "剩余指标", "执行进度"])
    for row in (["基本支出", "人员经费", 210.5, 208.25, 2.25, 0.98931116], ["总计", None, 210.5, 208.25, 2.25, 0.98931116]):
        ws.append(row)
    src = tmp_path / "自己的表.xlsx"
    wb.save(src)
    rates = {w.source: w.shown for w in figures_file(src) if w.unit == "%"}
    assert rates == {"'预算 执行 (2021)'!F3": "98.93%", "'预算 执行 (2021)'!F4": "98.93%"}
    assert [(a.sheet, a.a1) for a in source_cells("'预算 执行 (2021)'!E3 ÷ 表5!D3 + 'it''s'!A1")] == [
        ("预算 执行 (2021)", "E3"), ("表5", "D3"), ("it's", "A1")]
    text = "\n".join(_paragraphs(report_file(src, tmp_path / "报告.docx")))
    notes = [line for line in text.splitlines() if line.startswith("数据来源")]
    assert "数据来源：工作簿《自己的表.xlsx》 预算 执行 (2021)：C4、D4、E4、F4。" in notes, notes
