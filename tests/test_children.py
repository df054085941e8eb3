"""其中 rows decided with bounded work (issue 16): one indented 预算项目 cell is not a 其中 row when the 小计 says
otherwise; indented unprefixed 其中 rows scattered through every block are read as children of the row above;
a block whose 小计 cannot be made to add up still gets one reading (the runs' own best) and its findings."""

from __future__ import annotations

import sys
from pathlib import Path

from selfeval_xl.app.validate import validate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from make_budget import make  # noqa: E402


def _rules(checked):
    return [(f.rule, f.a1) for f in checked.findings]


def test_one_indented_cell_changes_nothing(tmp_path):
    plain = validate(make(str(tmp_path / "plain.xlsx"), 600))
    one = validate(make(str(tmp_path / "one.xlsx"), 600, indent_one=True))
    assert _rules(one) == _rules(plain)
    assert not [r for r in one.wb.budget.rows if r.kind == "child"]


def test_scattered_indented_children_are_children_and_the_subtotals_add_up(tmp_path):
    checked = validate(make(str(tmp_path / "kids.xlsx"), 600, children_every=5))
    kids = [r for r in checked.wb.budget.rows if r.kind == "child"]
    assert len(kids) > 150 and all(r.parent == r.row - 1 or r.parent == r.row - 2 for r in kids)
    assert {f.rule for f in checked.findings} <= {"B5-REASON"}


def test_a_subtotal_that_cannot_add_up_still_gets_a_reading(tmp_path):
    """Every block's 小计 off by 1,000 and 其中 runs everywhere: no reading makes it add up; the DP stops at its cap
    and the runs' own readings stand, so the only arithmetic errors are the 小计 ones."""
    n = 600
    rows_of_subtotals = {}
    path = make(str(tmp_path / "off.xlsx"), n, children_every=5)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_row=4):
        if isinstance(row[0].value, str) and row[0].value.endswith("小计"):
            row[6].value = row[6].value + 1000
            rows_of_subtotals[row[0].row] = True
    wb.save(path)
    checked = validate(path)
    errors = {(f.rule, f.a1) for f in checked.findings if f.severity.value == "error"}
    assert {r for r, _ in errors} <= {"B5-SUB", "B5-GRAND", "B5-TOTAL", "B5-REMAIN", "B5-RATE"}
    assert {("B5-SUB", f"G{r}") for r in rows_of_subtotals} <= errors
    assert len([r for r in checked.wb.budget.rows if r.kind == "child"]) > 150
