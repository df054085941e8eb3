"""Issue 13, parts 1–2: every typed cell judged where it was typed, and workbooks saved without formula results.

The mistakes are made in the filled example (seed 001 in our dept template) the way a user makes them, saved
by openpyxl — which keeps the formulas and drops every cached result, as any program does — and read twice:
as saved (our formula engine computes the formulas) and after LibreOffice recalculated it. Both must give the
same findings and the same total, and every finding sits at the cell that was typed."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from conftest import PROJECT_BY_HAND, needs_lo
from selfeval_xl.app.score import score
from selfeval_xl.app.validate import validate
from selfeval_xl.rules.severity import Severity


def cli(*args):
    return subprocess.run([sys.executable, "-m", "selfeval_xl", *map(str, args)], capture_output=True, text=True)


def at(checked, cell: str, sheet: str = "表5"):
    return {f.rule: f for f in checked.all_findings if f.sheet == sheet and f.a1 == cell}


# The example's figures (万元): 表5 row 8 公用经费 66.12 / 36.33 (54.95%), row 7 人员经费 474.26 / 457.51
# (96.47%), row 10 公务用车运行维护费 3.67, row 5 the 政府投资项目支出小计 57.18; 评分表 row 5 绩效目标完整性 分值 8.
MISTAKES = {
    ("表5", "C6"): "1,250.00",  # 对个人和家庭的补助 部门预算指标, typed as text with a thousands comma
    ("表5", "H6"): "2.51万元",  # its 支出数, text with a unit
    ("表5", "J8"): 54.95,  # a rate typed as percentage points into a 0.00% cell: shows 5495.00%
    ("表5", "J7"): "=H7/G7*100",  # a rate formula multiplied by 100 in a 0.00% cell: shows 9646.82%
    ("表5", "H10"): 131.9365,  # 3.67 × 35.95: the template's own =H10/G10 gives 3595%
    ("表5", "G5"): 57.18,  # a 小计 typed over with the value it had
    ("表5", "C11"): 543.98,  # a 小计 typed over with a stale figure
    ("评分表", "K5"): 9,  # a 自评得分 typed over: 9 where the 分值 is 8
    ("基础数据", "B4"): None,  # 政府采购实际金额 left blank
    ("基础数据", "B5"): "171.5万元",  # 因公出国（境）费预算数 typed with its unit: the 三公 合计 shows #VALUE!
}


@pytest.fixture(scope="module")
def saved(example_xlsx, tmp_path_factory):
    """The example with the mistakes, saved by openpyxl (no cached results)."""
    d = tmp_path_factory.mktemp("typed")
    wb = openpyxl.load_workbook(example_xlsx)
    for (sheet, cell), value in MISTAKES.items():
        wb[sheet][cell] = value
    out = d / "typed.xlsx"
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def engine(saved):
    checked = validate(saved)
    score(checked)
    return checked


@pytest.fixture(scope="module")
def recalculated(saved, tmp_path_factory):
    from lo import recalc, soffice

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) not installed")
    checked = validate(recalc(saved, tmp_path_factory.mktemp("lo")))
    score(checked)
    return checked


def test_openpyxl_drops_the_results_and_the_engine_computes_them(saved, engine):
    from selfeval_xl.sources.xlsx import load_grids

    grids, _ = load_grids(saved)
    b5 = next(g for g in grids if g.name == "表5")
    assert b5.value(7, 6) is None and (7, 6) in b5.uncached  # G8 =IF(B8="","",SUM(C8:F8)) saved without a result
    assert engine.wb.recalculated == sum(len(g.formulas) for g in grids) == 98  # the template's 102, 4 typed over
    assert engine.wb.budget.rows[4].get("total") == D("66.12")  # G8 computed: 公用经费 66.12


@needs_lo
def test_same_findings_and_total_as_after_libreoffice_recalculation(engine, recalculated):
    assert recalculated.wb.recalculated == 0
    mine = [(f.rule, f.cell, f.message) for f in engine.all_findings]
    theirs = [(f.rule, f.cell, f.message) for f in recalculated.all_findings]
    assert mine == theirs
    # seed 001's 95.41 less the 0.94 of 政府采购执行率 (its 实际金额 left blank); K5's typed 9 is not the rules' 8
    assert engine.score.total == recalculated.score.total == D("94.47")


def test_text_in_number_cells_is_reported_where_it_was_typed(engine):
    c6, h6 = at(engine, "C6"), at(engine, "H6")
    assert c6["B5-TEXTNUM"].severity is Severity.WARNING and h6["B5-TEXTNUM"].severity is Severity.WARNING
    assert "“1,250.00”" in c6["B5-TEXTNUM"].message and "按 1,250.00 计算" in c6["B5-TEXTNUM"].message
    assert "“2.51万元”" in h6["B5-TEXTNUM"].message and "重新输入为数字" in h6["B5-TEXTNUM"].message
    # Excel's SUM leaves the text out: the row's own 年度总指标 shows 0, which the arithmetic reports at G6
    assert "年度总指标 0 ≠ 预算 1,250.00" in at(engine, "G6")["B5-TOTAL"].message


def test_a_rate_typed_into_a_percent_cell_is_reported_as_100_times_off(engine):
    j8 = at(engine, "J8")
    assert set(j8) == {"B5-PCT100", "TPL-TYPED"}  # not also B5-RATE's "请改为公式或按计算值填写"
    msg = j8["B5-PCT100"].message
    assert "显示为 5495.00%" in msg and "= 54.95% 的 100 倍" in msg and "改填 0.5495" in msg


def test_a_formula_times_100_in_a_percent_cell_is_told_to_fix_the_formula(engine):
    j7 = at(engine, "J7")
    assert set(j7) == {"B5-PCT100"}
    assert "公式 =H7/G7*100 的结果多乘了 100" in j7["B5-PCT100"].message and "显示为 9646.82%" in j7["B5-PCT100"].message


def test_an_implausible_formula_result_is_reported_and_never_told_to_become_a_formula(engine):
    j10 = at(engine, "J10")
    assert "B5-RATE-ODD" in j10 and "3595.00% 不合理" in j10["B5-RATE-ODD"].message
    assert "H10/G10" in j10["B5-RATE-ODD"].message
    assert not any("改为公式" in f.message for f in j10.values())
    assert "B5-OVER" in at(engine, "H10")


def test_template_formulas_typed_over_are_reported_at_their_cells(engine):
    g5, c11, k5 = at(engine, "G5"), at(engine, "C11"), at(engine, "K5", "评分表")
    assert g5["TPL-TYPED-SAME"].severity is Severity.INFO and "57.18（与公式结果相同）" in g5["TPL-TYPED-SAME"].message
    assert c11["TPL-TYPED"].severity is Severity.WARNING
    # the formula's SUMIF leaves out C6's text and the 其中 rows 9–10: 474.26 + 66.12
    assert "改填为 543.98，公式应得 540.38" in c11["TPL-TYPED"].message and "B5-SUB" in c11
    assert "改填为 9，公式应得 8" in k5["TPL-TYPED"].message
    assert "自评得分 9 超过分值 8" in k5["SC-SCORE-MAX"].message
    item = next(i for i in engine.score.items if i.path[-1] == "绩效目标完整性")
    assert (item.self_score, item.score) == (9, 8)  # the unit's 9 kept beside the rules' 8


def test_basic_data_findings_name_the_input_in_chinese_at_its_cell(engine):
    b5 = at(engine, "B5", "基础数据")["IN-TEXTNUM"]
    assert "“因公出国（境）费预算数”是文字“171.5万元”" in b5.message
    b11 = at(engine, "B11", "基础数据")["IN-ERR"]  # the workbook's own 三公 合计: #VALUE!, as in Excel
    assert "#VALUE!" in b11.message and b11.severity is Severity.ERROR
    b4 = at(engine, "B4", "基础数据")["S-INPUT"]
    assert "基础数据“政府采购实际金额”未填写" in b4.message and "ProcActual" not in b4.message
    assert not any("ProcActual" in f.message or "ThreeBudget" in f.message for f in engine.all_findings)


def test_the_annotated_copy_revalidates_to_the_same_findings(saved, engine, tmp_path):
    out = tmp_path / "marked.xlsx"
    r = cli("validate", saved, "--annotate", out)
    assert r.returncode == 1, r.stderr
    again = validate(out)
    assert again.wb.recalculated > 0  # written by openpyxl: no results, computed again
    assert [(f.rule, f.cell, f.message) for f in again.findings] == [(f.rule, f.cell, f.message) for f in engine.findings]


def test_score_and_export_work_on_a_workbook_without_results(saved, tmp_path):
    r = cli("score", saved, "--json")
    assert r.returncode in (0, 1) and "内部错误" not in r.stderr, r.stderr
    assert json.loads(r.stdout)["total"] == 94.47
    r = cli("validate", saved, "--json")
    assert json.loads(r.stdout)["recalculated"] == 98


def test_an_unsupported_function_is_named_with_its_cell(example_xlsx, tmp_path):
    wb = openpyxl.load_workbook(example_xlsx)
    wb["表5"]["K8"] = '=WEBSERVICE("http://example.invalid/")'
    p = tmp_path / "ws.xlsx"
    wb.save(p)
    r = cli("validate", p)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "WEBSERVICE" in r.stderr and "表5!K8" in r.stderr


def test_an_unsaved_project_template_and_its_typed_over_scores(tmp_path):
    from selfeval_xl.writers.templates import build_project

    data = PROJECT_BY_HAND
    p = tmp_path / "proj.xlsx"
    build_project(p, data)
    clean = validate(p)
    wb = openpyxl.load_workbook(p)
    ws = wb["项目支出绩效自评表"]
    score_cells = [c for c in ws["I"] if isinstance(c.value, str) and c.value.startswith("=ROUND(IF(D")]
    row = score_cells[1].row  # 办结时间: ≤ 2 took 4 → 10 of 20
    ws.cell(row, 9).value = 20
    p2 = tmp_path / "proj_typed.xlsx"
    wb.save(p2)
    typed = validate(p2)
    assert typed.wb.recalculated > 0
    hit = at(typed, f"I{row}", "项目支出绩效自评表")["TPL-TYPED"]
    assert "“办结时间”得分" in hit.message and "改填为 20，公式应得 10" in hit.message
    others = [(f.rule, f.cell) for f in typed.findings if f.rule not in ("TPL-TYPED", "S-SELF-HIGH", "S-OVERSCORE")]
    assert others == [(f.rule, f.cell) for f in clean.findings]


def test_a_table_typed_as_text_throughout_is_reported_once_per_column(tmp_path):
    """Seed 001's 表5 typed as text (full-width digits, 万元, thousands commas): 87 text numbers, one warning per
    column at its first text cell, with the count and the range."""
    from seed001 import write_official

    checked = validate(write_official(tmp_path / "messy.xlsx", messy=True))
    hits = [f for f in checked.findings if f.rule == "B5-TEXTNUM"]
    assert len(hits) == 7 and all("列有" in f.message and "分列" in f.message for f in hits)
    g4 = next(f for f in hits if f.a1 == "G4")
    assert "年度总指标 列有 17 格是文字（G4:G20 中" in g4.message


def test_a_project_funds_figure_typed_as_text_is_reported_at_its_cell(tmp_path):
    from selfeval_xl.writers.templates import build_project

    p = tmp_path / "proj.xlsx"
    build_project(p, {"year": 2022, "funds": {"其中：本年财政拨款": [100, 100, 90]}})
    wb = openpyxl.load_workbook(p)
    ws = wb["项目支出绩效自评表"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 90)
    cell.value = "90万元"
    wb.save(p)
    hit = at(validate(p), cell.coordinate, "项目支出绩效自评表")["P-TEXTNUM"]
    assert "其中：本年财政拨款 全年执行数 是文字“90万元”" in hit.message and hit.severity is Severity.WARNING
