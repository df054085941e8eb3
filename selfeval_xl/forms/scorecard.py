"""A 评分表 in seed 001's 附件1 layout, read into a ScorecardTable: 一级/二级/三级 (merged down), the 分值
beside each level, 指标说明, 评分标准, 计分方法, 手工得分, 自评得分, 计算过程, and the 合计 / 评价等级 rows."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.model import Cell, ScorecardRow, ScorecardTable
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.forms.headers import carry_merged, norm_header, shown_value
from selfeval_xl.forms.layouts import SCORECARD
from selfeval_xl.sources.grid import Grid

SCAN = 10
LEVELS = {SCORECARD.columns[SCORECARD.col(k)].header: k for k in ("l1", "l2", "l3")}
TEXT_COLUMNS = {c.header: c.key for c in SCORECARD.columns if c.key in ("explanation", "criteria", "method", "manual",
                                                                         "score", "explain")}


def _columns(grid: Grid, r: int) -> dict[str, int] | None:
    heads = [norm_header(v) for v in grid.row(r)]
    if "计分方法" not in heads or "一级指标" not in heads:
        return None
    cols: dict[str, int] = {}
    last_level = None
    for c, h in enumerate(heads):
        if h in LEVELS:
            last_level = LEVELS[h]
            cols[last_level] = c
        elif h == "分值" and last_level and f"{last_level}_pts" not in cols:
            cols[f"{last_level}_pts"] = c
        elif h in TEXT_COLUMNS and TEXT_COLUMNS[h] not in cols:
            cols[TEXT_COLUMNS[h]] = c
    return cols


def read_scorecard(grid: Grid) -> ScorecardTable | None:
    """The 评分表 on this sheet, or None when the sheet has no 计分方法 header in its first rows."""
    header = cols = None
    for r in range(min(SCAN, grid.height)):
        cols = _columns(grid, r)
        if cols:
            header = r
            break
    if header is None:
        return None
    merged = carry_merged(grid)

    def v(r, key):
        return shown_value(grid, merged, r, cols[key]) if key in cols else None

    def pts(r, key) -> Decimal:
        p = parse_number(v(r, key))
        return p.value if p.kind == "number" else Decimal(0)

    table = ScorecardTable(grid.name, header + 1, [])
    for r in range(header + 1, grid.height):
        first = norm_header(v(r, "l1"))
        if first in ("合计", "总计"):
            table.total = grid.addr(r, cols["score"]) if "score" in cols else None
            continue
        if first == "评价等级":
            table.grade = grid.addr(r, cols["score"]) if "score" in cols else None
            continue
        n1, n2, n3 = (str(v(r, k) or "").strip() for k in ("l1", "l2", "l3"))
        method = str(v(r, "method") or "").strip()
        if not (n1 or n2 or n3) or not method:
            continue
        # The leaf is the deepest level named; a 二级 without a 三级 below it is itself the leaf.
        levels = [(n1, pts(r, "l1_pts")), (n2, pts(r, "l2_pts"))] + ([(n3, pts(r, "l3_pts"))] if n3 else [])
        levels = [(name, p) for name, p in levels if name]
        manual = None
        if "manual" in cols:
            raw = v(r, "manual")
            m = parse_number(raw)
            if m.kind == "number" and raw not in (None, ""):
                manual = Cell(grid.addr(r, cols["manual"]), m)
            elif m.kind in ("text", "error"):
                table.problems.append((grid.addr(r, cols["manual"]), str(raw)))
        table.rows.append(ScorecardRow(
            path=tuple(n for n, _ in levels), points=tuple(p for _, p in levels), row=r + 1, explanation=str(v(r, "explanation") or ""),
            criteria=str(v(r, "criteria") or ""), method=method, manual=manual,
            score=grid.addr(r, cols["score"]) if "score" in cols else grid.addr(r, cols["method"]),
            explain=grid.addr(r, cols["explain"]) if "explain" in cols else None))
    return table if table.rows else None
