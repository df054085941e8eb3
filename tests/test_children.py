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


def test_the_child_sum_checks_in_floats_find_what_exact_sums_find(tmp_path):
    """B5-CHILD-GT / B5-CHILD-EQ add in floats and confirm in Decimal only near the one-cent tolerance: on
    children planted 0.004 … 0.03 off their parent (floats that are not exact), the findings are those of exact
    sums over every group."""
    from decimal import Decimal

    offsets = [0.004, 0.005, 0.0099, 0.01, 0.0101, 0.011, 0.015, 0.02, 0.03, -0.01, -0.011, -0.02, 0.1 + 0.2 - 0.3]
    import openpyxl

    path = make(str(tmp_path / "planted.xlsx"), 400, children_every=5)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    kids = [r for r in range(4, ws.max_row + 1) if str(ws.cell(r, 2).value or "").startswith("其中")]
    assert len(kids) >= 2 * len(offsets)
    for k, off in zip(kids[::2], offsets):  # the first of each pair of 其中 rows
        ws.cell(k, 7).value += off
    wb.save(path)
    checked = validate(path)
    t = checked.wb.budget
    expected = set()
    tol = Decimal("0.01")
    groups: dict[int, list[int]] = {}
    for i, kind in enumerate(t.kind):
        if kind == "child":
            groups.setdefault(t.row.index(t.parent[i]), []).append(i)
    for parent, members in groups.items():
        s = sum((t.value(k, "total") for k in members), Decimal(0))
        if s - t.value(parent, "total") > tol:
            expected.add(("B5-CHILD-GT", t.addr(members[-1], "total").a1))
        if len(members) >= 2 and s < t.value(parent, "total") - tol:
            expected.add(("B5-CHILD-EQ", t.addr(parent, "total").a1))
    got = {(f.rule, f.a1) for f in checked.findings if f.rule.startswith("B5-CHILD")}
    assert got == expected
    assert len([e for e in expected if e[0] == "B5-CHILD-GT"]) == 5  # 0.0101, 0.011, 0.015, 0.02, 0.03
    assert len([e for e in expected if e[0] == "B5-CHILD-EQ"]) == 2  # -0.011, -0.02


def test_cents_of_a_block_are_each_rows_exact_cents():
    """children._vecs takes whole-cent floats in C loops; rows that are blank, text, sub-cent or huge still give
    exactly the cents of their exact figures."""
    from decimal import ROUND_HALF_EVEN, Decimal

    from selfeval_xl.core.model import BudgetTable
    from selfeval_xl.core.numbers import parse_number
    from selfeval_xl.forms import children

    t = BudgetTable("表5", "万元", 3, {"item": 2, "budget": 3, "total": 7, "spent": 8})
    figures = [(100.25, 200.5, None), (0.1 + 0.2, 12.345, 5e12), (None, "1,234.56", "#REF!"), (-3.1, 7.005, 1e-9)]
    for i, row in enumerate(figures):
        t.row.append(4 + i)
        for f, v in zip(("budget", "total", "spent"), row):
            if isinstance(v, str):
                p = parse_number(v)
                t.odd[f][i] = p
                t.num[f].append(float(p.value) if p.kind == "number" else None)
            else:
                t.num[f].append(v)
    exact = [tuple(int((t.value(i, f) / Decimal("0.01")).to_integral_value(ROUND_HALF_EVEN)) for f in children.FIELDS)
             for i in range(len(figures))]
    assert children._vecs(t, list(range(len(figures)))) == exact
    assert exact[2] == (0, 123456, 0) and exact[1][2] == 500000000000000
