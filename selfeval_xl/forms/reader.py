"""Read any filled workbook into the model: stamp, 表5, 绩效目标, 项目自评表, 基础数据, 评分表 — from any
GridSource (a file, a workbook the add-in edits, live Excel)."""

from __future__ import annotations

from pathlib import Path

from selfeval_xl.core.model import Workbook
from selfeval_xl.errors import InputError
from selfeval_xl.forms.budget import find_budget, read_budget
from selfeval_xl.forms.goals import find_goals, read_goals
from selfeval_xl.forms.layouts import STAMP_SHEET, marking_sheets
from selfeval_xl.forms.recognise import closest, forms_found
from selfeval_xl.sources.grid import Grid

SCORECARD_SHEET = "评分表"


def read_file(path: str | Path, require: bool = True, data: bytes | None = None) -> Workbook:
    """Read every recognisable table of a file (or of the workbook held in memory as data, named path); raise
    InputError (exit 2) when there is none."""
    from selfeval_xl.sources.xlsx import XlsxSource

    src = XlsxSource(path, data)
    try:
        grids = [src.grid(n) for n in src.sheet_names()]
        names = src.defined_names()
    finally:
        src.close()
    ours = marking_sheets(grids)  # a copy written by validate --annotate: its 校验结果 is not the unit's
    grids = [g for g in grids if g.name not in ours]
    computed = 0
    if any(g.uncached for g in grids):  # a file saved by a program: its formulas computed here
        from selfeval_xl.sources.recalc import recalculate

        computed = recalculate(src.path, grids, data)
    wb = read_grids(grids, names, str(src.path), require)
    wb.recalculated = computed
    return wb


def read_grids(grids: list[Grid], names: dict[str, str], label: str, require: bool = True) -> Workbook:
    """The model from sheets already loaded."""
    wb = Workbook(label, "unknown")
    stamp = next((g for g in grids if g.name == STAMP_SHEET), None)
    if stamp is not None:
        wb.stamp = {str(r[0]): str(r[1]) for r in stamp.rows if len(r) >= 2 and r[0]}
    visible = [g for g in grids if g.name != STAMP_SHEET]
    b = find_budget(visible)
    if b:
        wb.budget = read_budget(*b)
        wb.kind = "dept"
    rest = [g for g in visible if not (b and g is b[0])]  # no other form sits in 表5's sheet
    proj = None
    if rest:  # the readers of the other forms, imported only for a workbook that has more than a 表5
        from selfeval_xl.forms.perf import locate, read_form
        from selfeval_xl.forms.scalars import read_scalars
        from selfeval_xl.forms.scorecard import read_scorecard
    for grid in rest:
        loc = locate(grid)
        if loc is not None and loc.indicator_row is None and find_goals([grid]):
            loc = None  # a 绩效目标完成情况表 with its funds line: the goals reader's
        if loc is not None:
            proj = grid
            wb.project = read_form(grid, loc)
            wb.kind = "project" if wb.budget is None else wb.kind
            break
    g = find_goals([x for x in visible if x is not proj])
    if g:
        wb.goals = read_goals(*g)
    if rest:
        read_scalars(wb, rest, names)  # no 基础数据 label sits in 表5
    others = [x for x in rest if x is not proj and not (g and x is g[0])]
    for sc in sorted(others, key=lambda x: x.name != SCORECARD_SHEET):  # our 评分表 first, then any sheet
        wb.scorecard = read_scorecard(sc)
        if wb.scorecard is not None:
            wb.kind = "scorecard" if wb.kind == "unknown" else wb.kind
            break
    wb.forms = forms_found(wb)
    if require and not wb.forms:
        raise InputError(f"{Path(label).name}：{closest(visible)}")
    return wb
