"""The add-in gives the command line's answers: 校验 through the xlwings adapter (over the recording fake) and
through the openpyxl adapter marks exactly the cells `selfeval-xl validate` reports; 计分 through the fake gives
the command line's total and writes only the engine's figures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import openpyxl
import pytest

from conftest import PROJECT_BY_HAND
from fake_xlwings import FakeBook
from seed001 import write_official
from test_sources import indented_official, layout_facts
from selfeval_xl.addin import buttons
from selfeval_xl.addin.xlwings_port import XlwingsPort
from selfeval_xl.forms.layouts import MARKS_SHEET, RESULT_SHEET
from selfeval_xl.writers.openpyxl_port import OpenpyxlPort


def planted(rows):
    rows[10][6] = "391.00"   # 投资促进管理 年度总指标
    rows[7][7] = "500.35"    # 基本支出小计 支出数: a wrong 小计
    rows[2][7] = "3.00"      # 支出 > 总指标


def with_errors(rows):
    rows[3][7] = "#DIV/0!"   # 人员经费 支出数
    rows[9][9] = "#REF!"     # 英才荟 执行进度
    rows[15][6] = "#N/A"     # 项目支出小计 年度总指标


def project_example(path):
    from selfeval_xl.writers.templates import build_project

    build_project(path, PROJECT_BY_HAND)
    return path


WORKBOOKS = {
    "official": lambda p: write_official(p),
    "messy": lambda p: write_official(p, messy=True),
    "planted": lambda p: write_official(p, mutate=planted),
    "error-values": lambda p: write_official(p, mutate=with_errors),
    "indented": indented_official,
    "facts": layout_facts,
    "project": project_example,
}


@pytest.fixture(params=sorted(WORKBOOKS) + ["example"])
def workbook(request, tmp_path, example_xlsx):
    if request.param == "example":
        return shutil.copyfile(example_xlsx, tmp_path / "example.xlsx")
    return WORKBOOKS[request.param](tmp_path / f"{request.param}.xlsx")


def cli_findings(path) -> set[tuple[str, str, str]]:
    r = subprocess.run([sys.executable, "-m", "selfeval_xl", "validate", str(path), "--json"], capture_output=True, text=True)
    if r.returncode == 2:  # no table the reader knows: nothing to mark either
        return set()
    assert r.returncode in (0, 1), r.stderr
    return {(f["sheet"], f["cell"], f["rule"]) for f in json.loads(r.stdout)["findings"]}


def results_sheet(rows) -> set[tuple[str, str, str]]:
    """(sheet, cell, rule) of each line of the 校验结果 sheet (its link shows 表5!G14)."""
    out = set()
    for row in rows[1:]:
        if len(row) >= 3 and row[1] and row[2]:
            shown = str(row[2])
            if shown.startswith("=HYPERLINK("):
                shown = shown.rsplit(',"', 1)[1].rstrip('")')
            sheet, cell = shown.rsplit("!", 1)
            out.add((sheet, cell, row[1]))
    return out


def test_validate_button_marks_what_the_command_line_reports(workbook):
    expected = cli_findings(workbook)
    cells = {(s, c) for s, c, _ in expected}

    book = FakeBook(workbook)
    XlwingsPort(book).source()  # the port reads through the same contract
    try:
        msg = buttons.validate_action(XlwingsPort(book))
    except Exception as e:  # an unknown layout: the add-in refuses exactly as the command line does
        assert not expected and "没有找到" in str(e)
        return
    marked = {(s.name, f"{openpyxl.utils.get_column_letter(c)}{r}") for s in book._sheets if s.name != MARKS_SHEET
              for (r, c), cell in s.cells.items() if cell["note"]}
    assert marked == cells, msg
    result = next(s for s in book._sheets if s.name == RESULT_SHEET)
    rows = [[result.cells.get((r, c), {}).get("value") for c in range(1, 5)] for r in range(1, 1 + max(r for r, _ in result.cells))]
    assert results_sheet(rows) == expected

    copy = workbook.with_name("port-" + workbook.name)
    shutil.copyfile(workbook, copy)
    port = OpenpyxlPort(copy)
    buttons.validate_action(port)
    port.save()
    wb = openpyxl.load_workbook(copy)
    marked = {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment}
    assert marked == cells
    assert results_sheet([[c.value for c in row] for row in wb[RESULT_SHEET].iter_rows()]) == expected


def test_indented_children_give_no_false_subtotal_errors(tmp_path):
    """Seed 001 with 其中 typed as indentation: no error on the command line, and none through the add-in."""
    path = indented_official(tmp_path / "indented.xlsx")
    assert not [f for f in cli_findings(path) if f[2].startswith("B5-SUB")]
    book = FakeBook(path)
    assert buttons.validate_action(XlwingsPort(book)).startswith("校验完成：0 个错误")


def test_score_button_through_excel_gives_the_command_line_total(example_xlsx, tmp_path):
    """The demo's 评分表 has vertically merged 一级/二级 names: read without merged ranges it lost 12 items
    (34.41, 差). Through the xlwings adapter it must score 95.41 and write only the engine's figures."""
    r = subprocess.run([sys.executable, "-m", "selfeval_xl", "score", str(example_xlsx), "--json"], capture_output=True, text=True)
    cli = json.loads(r.stdout)
    book = FakeBook(example_xlsx)
    before = {(s.name, k): dict(v) for s in book._sheets for k, v in s.cells.items()}
    msg = buttons.score_action(XlwingsPort(book))
    assert f"总分 {cli['total']}" in msg and cli["total"] == 95.41 and "评价等级 优" in msg
    changed = {(s.name, k) for s in book._sheets for k, v in s.cells.items() if before.get((s.name, k)) != v}
    sc = buttons.checked_model(XlwingsPort(FakeBook(example_xlsx)))[0].wb.scorecard
    allowed = {(sc.sheet, (a.row, a.col)) for row in sc.rows for a in (row.score, row.explain) if a} | \
              {(sc.sheet, (a.row, a.col)) for a in (sc.total, sc.grade) if a}
    assert changed and changed <= allowed
    items = {tuple(i["path"]): i["score"] for i in cli["items"]}
    sheet = next(s for s in book._sheets if s.name == sc.sheet)
    for row in sc.rows:  # every 自评得分 cell shows the engine's figure (kept formula or written number)
        assert round(float(sheet.cells[(row.score.row, row.score.col)]["value"]), 2) == items[row.path], row.path
