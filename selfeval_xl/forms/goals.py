"""绩效目标完成情况表, found by its header text: one GoalRow per 三级指标, 一级/二级 carried down."""

from __future__ import annotations

from selfeval_xl.core.model import GoalRow, GoalTable
from selfeval_xl.forms.headers import carry_merged, header_columns, shown_text, shown_value
from selfeval_xl.forms.layouts import GOALS, PROJECT_INDICATORS
from selfeval_xl.sources.grid import Grid

# The goals' own columns, then the project form's extra ones (a table with 得分 is a project table, not this).
SYNONYMS = {**GOALS.synonyms(), **PROJECT_INDICATORS.synonyms("nature", "unit", "points", "score", "manual")}
SCAN_ROWS = 40
_NOTE_LINES = {"说明", "备注", "其他需要说明事项", "其他需要说明的事项", "填报说明", "注"}


def find_goals(grids: list[Grid]) -> tuple[Grid, int, dict[str, int]] | None:
    """(sheet, header row, {field: column}) of the first 绩效目标 header, or None."""
    for g in grids:
        for r in range(min(SCAN_ROWS, g.height)):
            cols = header_columns(g, r, SYNONYMS)
            if {"level1", "level3", "target", "actual"} <= cols.keys() and "score" not in cols:
                return g, r, cols
    return None


def read_goals(grid: Grid, header: int, cols: dict[str, int]) -> GoalTable:
    """Every row with a 三级指标 below the header (repeated header rows skipped)."""
    merged = carry_merged(grid)
    out, last = [], {"level1": "", "level2": ""}
    for r in range(header + 1, grid.height):
        def t(f):
            v = shown_value(grid, merged, r, cols[f]) if f in cols else None
            return "" if v is None else shown_text(grid, r, cols[f], v)
        l3 = t("level3")
        if not l3 or header_columns(grid, r, SYNONYMS).keys() >= {"level1", "level3"}:
            continue
        first = str(grid.value(r, 0) or "").strip().rstrip(":：")
        if first in _NOTE_LINES or (l3 == t("target") == t("actual")):  # 说明 | 无 merged across: not a goal
            continue
        for f in ("level1", "level2"):
            last[f] = t(f) or last[f]
        out.append(GoalRow(r + 1, last["level1"], last["level2"], l3, t("target"), t("actual"), t("note"),
                           {f: grid.addr(r, c) for f, c in cols.items()}))
    return GoalTable(grid.name, out)
