"""Issues 5, 12 and 13: the export keeps the unit's figures — 表5 as they typed it, with their own formulas, their
own scores beside the rule's — refuses a workbook with errors unless a draft is asked for, and links 问题清单
only to cells that show what the source showed. Its formulas carry values LibreOffice agrees with; text stays
text."""

import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from conftest import PROJECT_BY_HAND, needs_lo
from lo import recalc, soffice
from selfeval_xl.app.export import default_name, error_count
from selfeval_xl.app.score import score
from selfeval_xl.app.validate import validate
from selfeval_xl.forms.layouts import BUDGET5, FINDINGS, GOALS
from selfeval_xl.writers.export import write_export
from selfeval_xl.forms.print_layouts import CARD, METHODS
from selfeval_xl.writers.formula_map import translate

B = BUDGET5.letter
METHOD_SYNTAX = ("分子=", "分母=", "手工(分=", "ProcActual")


def run(*args):
    return subprocess.run([sys.executable, "-m", "selfeval_xl", *map(str, args)], capture_output=True, text=True)


def cached(path):
    return openpyxl.load_workbook(path, data_only=True)


def exported(src, tmp_path, system=None):
    """The checked model of src and its export written into tmp_path."""
    checked = validate(src)
    score(checked, system)
    out = tmp_path / "export.xlsx"
    write_export(checked, out)
    return checked, out


def shown(v):
    """A cell's value as a person sees it (blank and empty text alike)."""
    return None if v in (None, "") else v


# ---------------------------------------------------------------- a workbook filled with the usual mistakes

@pytest.fixture(scope="module")
def mistakes(tmp_path_factory):
    """The example filled in a spreadsheet program with mistakes: a 小计 typed over its formula, text in a
    number cell, a 年度总指标 typed over, spending over its budget, a 完成值 left empty. LibreOffice saves it,
    so every formula has its cached result as in a user's file."""
    if soffice() is None:
        pytest.skip("LibreOffice is needed to give the edited workbook its formula results")
    from selfeval_xl.app.demo import example_data
    from selfeval_xl.writers.templates import build_dept

    d = tmp_path_factory.mktemp("mistakes")
    lay = build_dept(d / "example.xlsx", example_data())
    wb = openpyxl.load_workbook(d / "example.xlsx")
    ws = wb[BUDGET5.name]
    rows = {ws[f"{B('item')}{r}"].value: r for r in range(BUDGET5.header_row + 2, lay.b5_grand + 2)}
    basic_first, _, basic_sub = lay.b5_rows["基本支出"]
    edits = {"subtotal": f"{B('spent')}{basic_sub + 1}", "text": f"{B('spent')}{rows['英才荟专项经费']}",
             "total": f"{B('total')}{rows['投资促进管理']}", "over": f"{B('spent')}{basic_first + 1}"}
    ws[edits["subtotal"]] = 500.35
    ws[edits["text"]] = "41.8万"
    ws[edits["total"]] = 391
    ws[edits["over"]] = 3.0
    wb[GOALS.name].cell(GOALS.header_row + 4, GOALS.col("actual") + 1).value = None
    wb.save(d / "filled.xlsx")
    src = recalc(d / "filled.xlsx", d / "user")
    return src, edits


@needs_lo
def test_a_workbook_with_errors_is_not_exported(mistakes):
    src, _ = mistakes
    before = set(src.parent.iterdir())
    r = run("export", src)
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("\n") == 1 and "个错误，未导出" in r.stderr and "--draft" in r.stderr, r.stderr
    assert set(src.parent.iterdir()) == before, "nothing may be written"
    r = run("export", src, "-o", src.parent / "out.xlsx")
    assert r.returncode == 1 and not (src.parent / "out.xlsx").exists()


@needs_lo
def test_a_draft_says_so_and_counts_the_errors(mistakes):
    src, _ = mistakes
    checked = validate(src)
    score(checked)
    n = error_count(checked)
    assert n >= 8
    r = run("export", src, "--draft")
    assert r.returncode == 0, r.stderr
    out = src.parent / default_name(checked.wb.info, n)
    assert out.is_file() and f"草稿（{n}个错误）" in out.name, r.stdout
    summary = {row[0]: row[1] for row in cached(out)["汇总"].iter_rows(values_only=True) if row[0]}
    assert "草稿" in cached(out)["汇总"]["A1"].value
    assert f"尚有 {n} 个错误" in summary["状态"] and summary["问题数（错误/警告/提示）"].startswith(f"{n} / ")
    for ws in openpyxl.load_workbook(out).worksheets:
        if ws.sheet_state == "visible":
            assert f"尚有 {n} 个错误" in (ws.oddHeader.center.text or ""), ws.title


@needs_lo
def test_the_draft_keeps_table5_as_typed(mistakes, tmp_path):
    """The typed 小计 stays (not rebuilt from the rows); every formula of the unit's 表5 is in the export."""
    src, edits = mistakes
    checked, out = exported(src, tmp_path)
    mine, theirs = openpyxl.load_workbook(out)[BUDGET5.name], openpyxl.load_workbook(src)[BUDGET5.name]
    values = cached(out)[BUDGET5.name]
    assert mine[edits["subtotal"]].value == 500.35 and mine[edits["subtotal"]].data_type == "n"
    assert mine[edits["text"]].value == "41.8万" and mine[edits["total"]].value == 391
    formulas = [c.coordinate for row in theirs.iter_rows(min_row=BUDGET5.header_row + 2) for c in row
                if c.data_type == "f" and c.column <= len(BUDGET5.columns)]
    assert len(formulas) > 50
    assert [a for a in formulas if mine[a].value != theirs[a].value] == []
    source_values = cached(src)[BUDGET5.name]
    assert [a for a in formulas if shown(values[a].value) != shown(source_values[a].value)] == []


@needs_lo
def test_every_findings_link_opens_a_cell_showing_the_source_value(mistakes, tmp_path):
    src, _ = mistakes
    checked, out = exported(src, tmp_path)
    ws = openpyxl.load_workbook(out)[FINDINGS.name]
    export_values, source_values = cached(out), cached(src)
    rows = list(ws.iter_rows(min_row=FINDINGS.header_row + 2))
    assert len(rows) == len(checked.all_findings)
    linked = 0
    for row, f in zip(rows, checked.all_findings):
        cell = row[FINDINGS.col("cell")]
        if cell.hyperlink is None:
            assert cell.value == f"原表 {f.cell}", cell.value
            continue
        sheet, a1 = cell.hyperlink.location.rsplit("!", 1)
        there = export_values[sheet.strip("'")][a1].value
        here = source_values[f.cell.sheet].cell(f.cell.row, f.cell.col).value
        assert shown(there) == shown(here), (f.rule, str(f.cell), here, cell.hyperlink.location, there)
        linked += 1
    assert linked >= 10


@needs_lo
@pytest.mark.parametrize("which", ["demo", "mistakes"])
def test_every_formula_cell_recalculates_to_its_cached_value(which, example_xlsx, mistakes, tmp_path):
    _, out = exported(example_xlsx if which == "demo" else mistakes[0], tmp_path)
    formulas = openpyxl.load_workbook(out)
    mine = cached(out)
    lo = cached(recalc(out, tmp_path / "lo"))
    n = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    a, b = mine[ws.title][c.coordinate].value, lo[ws.title][c.coordinate].value
                    if isinstance(a, float) or isinstance(b, float):
                        assert round(float(a or 0), 6) == round(float(b or 0), 6), (ws.title, c.coordinate)
                    else:
                        assert (a or "") == (b or ""), (ws.title, c.coordinate, a, b)
                    n += 1
    assert n > 100


@needs_lo
def test_a_tables_own_layout_keeps_its_formulas_live(tmp_path):
    """A 表5 laid out the unit's way (title rows, other column order, an extra 序号 column): its formulas are
    moved to the export's columns and still compute what they computed."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "预算执行"
    ws.append(["某单位 预算整体支出情况表"])
    ws.append([])
    ws.append(["单位：万元"])
    ws.append([])
    ws.append(["序号", "分类", "项目名称", "年初预算数", "追加", "调整", "全年预算数", "执行数", "执行率", "差额原因"])
    for i, (cat, item, a, b, c, s) in enumerate([("基本支出", "人员经费", 100, 0, 0, 98), ("", "公用经费", 50, 5, -5, 30),
                                                 ("", "日常公用", 20, 0, 0, 10)], start=6):
        ws.append([i - 5, cat, item, a, b, c, f"=D{i}+E{i}+F{i}", s, f"=IF(G{i}=0,\"\",H{i}/G{i})", ""])
    ws.append(["", "基本支出小计", "", "=SUM(D6:D8)", "=SUM(E6:E8)", "=SUM(F6:F8)", "=SUM(G6:G8)", "=SUM(H6:H8)",
               "=H9/G9", ""])
    ws.append(["", "总计", "", "=D9", "=E9", "=F9", "=G9", "=H9", "=ROUND(H10/G10,4)", ""])
    wb.save(tmp_path / "own.xlsx")
    _, out = exported(recalc(tmp_path / "own.xlsx", tmp_path / "user"), tmp_path, "futian-dept-2020")
    t5 = openpyxl.load_workbook(out)[BUDGET5.name]
    first = BUDGET5.header_row + 2  # the row after the export's header
    assert t5[f"{B('total')}{first}"].value == f"={B('budget')}{first}+{B('added')}{first}+{B('adjust')}{first}"
    assert t5[f"{B('spent')}{first + 3}"].value == f"=SUM({B('spent')}{first}:{B('spent')}{first + 2})"
    lo = cached(recalc(out, tmp_path / "lo"))[BUDGET5.name]
    mine = cached(out)[BUDGET5.name]
    for col in ("total", "spent", "rate"):
        for r in range(first, first + 5):
            a = f"{B(col)}{r}"
            assert round(float(mine[a].value or 0), 6) == round(float(lo[a].value or 0), 6), a
    assert round(lo[f"{B('total')}{first + 4}"].value, 2) == 170 and lo[f"{B('rate')}{first + 4}"].value == 0.8118  # 138 ÷ 170


def test_formulas_move_only_inside_the_copied_table():
    move = {(6, 4): (4, 3), (6, 5): (4, 5), (6, 6): (4, 6), (8, 4): (6, 3)}.get  # D→C, E→E, F→F; rows −2

    def mv(r, c):
        return move((r, c))

    assert translate("=D6+E6+F6", "预算执行", mv) == "=C4+E4+F4"
    assert translate("=SUM($D$6:D8)", "预算执行", mv) == "=SUM($C$4:C6)"
    assert translate("='预算执行'!D6*2", "预算执行", mv) == "=C4*2"
    assert translate("=SUM(D6:F6)", "预算执行", mv) is None  # D..F would not stay side by side
    assert translate("=基础数据!B5", "预算执行", mv) is None  # another sheet
    assert translate("=BudgetTotal", "预算执行", mv) is None  # a defined name
    assert translate("=D7", "预算执行", mv) is None  # outside the table
    assert translate('=HYPERLINK("http://x",D6)', "预算执行", mv) is None  # not a plain worksheet function
    assert translate("=WEBSERVICE(D6)", "预算执行", mv) is None


# ---------------------------------------------------------------- the scores, the 评分表, 问题清单

def test_the_units_own_score_is_shown_beside_the_rules(example_xlsx, tmp_path):
    checked = validate(example_xlsx)
    result = score(checked)
    first, second = result.items[0], result.items[1]
    first.self_score, second.self_score = Decimal(3), second.score  # the unit gave 3 where the rule gives 4
    result.self_total = Decimal("94.41")
    out = tmp_path / "export.xlsx"
    write_export(checked, out)
    ws = cached(out)[CARD.name]
    C = CARD.col
    rows = {r[C("l3")].value: r for r in ws.iter_rows(min_row=CARD.header_row + 2) if r[C("l3")].value}
    row = rows[first.path[-1]]
    assert (row[C("self")].value, row[C("score")].value) == (3, 4)
    assert "单位自评 3 分，按规则应为 4 分" in row[C("explain")].value
    assert rows[second.path[-1]][C("self")].value == rows[second.path[-1]][C("score")].value == 5
    total = next(r for r in ws.iter_rows() if str(r[0].value or "").startswith("合计"))
    assert (total[C("self")].value, total[C("score")].value) == (94.41, 95.41)
    summary = {r[0]: r[1] for r in cached(out)["汇总"].iter_rows(values_only=True) if r[0]}
    assert summary["自评总分"] == 94.41 and summary["按规则计算总分"] == 95.41 and summary["评价等级"] == "优"


def test_the_printed_scorecard_keeps_the_method_syntax_on_its_own_sheet(example_xlsx, tmp_path):
    _, out = exported(example_xlsx, tmp_path)
    wb = openpyxl.load_workbook(out)
    card = [str(c.value) for row in wb[CARD.name].iter_rows() for c in row if c.value is not None]
    assert not [t for t in card if any(s in t for s in METHOD_SYNTAX) and not t.startswith("=")]
    assert "手工得分" not in card and "计分方法" not in card
    for label in ("填报人：示例填报人", "审核人：", "单位负责人：", "单位（盖章）："):
        assert label in card, label
    assert any(t.startswith("填报日期：") for t in card)
    methods = [str(c.value) for row in wb[METHODS.name].iter_rows() for c in row if c.value is not None]
    assert any("分子=AssetIdle" in t for t in methods) and "手工得分" in methods
    # the rule's scores read the judgement scores on 计分方法: change one there and the 评分表 follows
    formulas = [c.value for row in wb[CARD.name].iter_rows() for c in row if c.data_type == "f"]
    assert sum(f"'{METHODS.name}'!" in f for f in formulas) >= 12


def test_an_empty_findings_list_says_none(example_xlsx, tmp_path):
    checked = validate(example_xlsx)
    score(checked)
    checked.findings, checked.score_findings = [], []
    out = tmp_path / "export.xlsx"
    write_export(checked, out)
    ws = cached(out)[FINDINGS.name]
    assert ws.cell(FINDINGS.header_row + 2, 1).value == "无" and ws.max_row == FINDINGS.header_row + 2


def test_default_names():
    assert default_name({"UnitName": "某局", "Year": "2023"}) == "某局_2023_绩效自评评分表.xlsx"
    assert default_name({"UnitName": "某局"}) == "某局_绩效自评评分表.xlsx"  # no year typed: no “年度” stand-in
    assert default_name({"UnitName": "某局", "Year": 2023}, 12) == "某局_2023_绩效自评评分表_草稿（12个错误）.xlsx"
    assert default_name({"UnitName": 'a/b:c*"d"\n', "Year": 2023}) == "a_b_c__d__2023_绩效自评评分表.xlsx"
    long = default_name({"UnitName": "单位" * 200, "Year": 2023}, 3)
    assert long.endswith("_2023_绩效自评评分表_草稿（3个错误）.xlsx") and len(long.encode()) < 250


def test_a_project_export_keeps_the_goal_texts_and_the_units_scores(tmp_path):
    from selfeval_xl.writers.templates import build_project

    src = tmp_path / "proj.xlsx"
    build_project(src, {**PROJECT_BY_HAND, "goal": "完成年度招商目标，引进重点企业 20 家",
                        "goal_actual": "引进重点企业 38 家，超额完成"})
    checked, out = exported(src, tmp_path)
    assert default_name(checked.wb.info) == "投资促进局_2021_绩效自评评分表.xlsx"
    form = [c.value for row in cached(out)["项目自评表"].iter_rows() for c in row if c.value is not None]
    assert "完成年度招商目标，引进重点企业 20 家" in form and "引进重点企业 38 家，超额完成" in form
    assert "（2021 年度）" in form
    card = cached(out)[CARD.name]
    assert card["A1"].value.startswith("2021 年度")


def test_formula_like_text_is_written_as_text(tmp_path):
    from selfeval_xl.app.demo import example_data
    from selfeval_xl.writers.templates import build_dept

    data = example_data()
    data["budget"][2]["rows"][1]["reason"] = "=HYPERLINK(\"http://x\",\"点我\")"
    data["budget"][2]["rows"][2]["reason"] = "@SUM(A1)"
    src = tmp_path / "in.xlsx"
    build_dept(src, data)
    out = tmp_path / "out.xlsx"
    r = run("export", src, "-o", out)
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out)[BUDGET5.name]
    column = ws[B("reason")]
    cells = [c for c in column if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert {c.data_type for c in cells} == {"s"} and len(cells) == 2, [c.value for c in column if c.value]


def test_demo_command(tmp_path):
    r = run("demo", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    assert "95.41" in r.stdout and "优" in r.stdout and "0 个错误，3 个警告" in r.stdout
    assert r.stdout.count("[警告] B5-REASON") == 3, r.stdout  # the findings, as the README says
    out = tmp_path / "深圳市福田区投资推广署_2020_绩效自评评分表.xlsx"
    wb = cached(out)
    assert wb.sheetnames == ["汇总", "评分表", "表5", "绩效目标", "基础数据", "问题清单", "计分方法", "图表数据"]
    assert wb["汇总"]["B5"].value == 95.41 and wb["汇总"]["B6"].value == "优"

