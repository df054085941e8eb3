"""A 评分表, read into a ScorecardTable: our template's (一级/二级/三级 with their 分值, 指标说明, 评分标准, 计分方法,
手工得分, 自评得分, 计算过程), and a unit's standalone one (序号 / 一级 / 二级 / 三级 / 指标分值 / 指标解释 / 评分标准 /
自评得分, with a 分值 column beside each level, one 分值 column, or the points written into the names as
部门决策(25分)); headers of one to three rows (评价指标 over 一级指标 over 名称 / 分值)."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.model import Cell, ScorecardRow, ScorecardTable
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.forms import catalogue as cat
from selfeval_xl.forms.headers import carry_merged, shown_value
from selfeval_xl.sources.grid import Grid

SCAN = 12
LEVELS = {"一级指标": "l1", "二级指标": "l2", "三级指标": "l3"}
COLUMNS = {
    "method": ("计分方法",), "manual": ("手工得分",), "score": ("自评得分", "得分", "评价得分", "考评得分"),
    "explanation": ("指标说明", "指标解释", "指标内涵"), "criteria": ("评分标准", "评分细则", "评价标准", "指标说明及评分标准", "评分标准及依据", "评价标准及依据"),
    "explain": ("计算过程",), "points": ("指标分值", "分值", "权重", "权数"),
}
TOTAL = ("合计", "总计", "总分")
GRADE = ("评价等级", "等级")


def _band(grid: Grid, merged: dict, r: int) -> list[list[str]]:
    """The key texts of rows r-1, r, r+1 per column, merged cells carried."""
    width = max((len(grid.row(x)) for x in (r - 1, r, r + 1) if 0 <= x < grid.height), default=0)
    out = []
    for c in range(width):
        out.append([cat.key_text(shown_value(grid, merged, x, c)) if 0 <= x < grid.height else "" for x in (r - 1, r, r + 1)])
    return out


def _columns(grid: Grid, merged: dict, r: int) -> tuple[dict[str, int], int] | None:
    """Field → column for a header whose 一级指标 is on row r, and the last header row; None if not a 评分表."""
    band = _band(grid, merged, r)
    if not any(texts[1] == "一级指标" for texts in band):
        return None
    if not any(t in ("二级指标", "三级指标") for texts in band for t in texts):
        return None
    has_sub = any(texts[2] in ("名称", "分值") for texts in band)
    last = r + 1 if has_sub else r
    cols: dict[str, int] = {}
    level = None
    for c, (above, here, below) in enumerate(band):
        if here in LEVELS:
            if LEVELS[here] != level:
                level = LEVELS[here]
                cols[level] = c
            if has_sub and below == "分值":
                cols[f"{level}_pts"] = c
            elif has_sub and below == "名称":
                cols[level] = c
            continue
        for key, words in COLUMNS.items():
            if here in words or (above in words and not here) or (has_sub and below in words and not here):
                if key == "points" and level and f"{level}_pts" not in cols and c == cols.get(level, -9) + 1:
                    cols[f"{level}_pts"] = c
                elif key not in cols:
                    cols[key] = c
                break
        else:
            if here == "分值" and level and f"{level}_pts" not in cols:
                cols[f"{level}_pts"] = c
    if not ({"score", "method", "points"} & cols.keys() or any(k.endswith("_pts") for k in cols)):
        return None
    if {"target", "actual"} & {cat.match_key(t[1], cat.INDICATOR_COLUMNS) for t in band}:
        return None  # 指标值 / 完成值: a performance form, not a 评分表
    return cols, last


def _origin(grid: Grid, merged: dict, r: int, c: int):
    """The address of the cell that shows (r, c): the top-left of its merged range."""
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= r <= r1 and c0 <= c <= c1:
            return grid.addr(r0, c0)
    return grid.addr(r, c)


def read_scorecard(grid: Grid) -> ScorecardTable | None:
    """The 评分表 on this sheet, or None when the sheet has no such header in its first rows."""
    merged = carry_merged(grid)
    found = None
    for r in range(min(SCAN, grid.height)):
        found = _columns(grid, merged, r)
        if found:
            break
    if not found:
        return None
    cols, header = found
    methods = "method" in cols

    def v(r, key):
        return shown_value(grid, merged, r, cols[key]) if key in cols else None

    def pts(r, key) -> Decimal | None:
        p = parse_number(v(r, key))
        return p.value if p.kind == "number" and v(r, key) not in (None, "") else None

    table = ScorecardTable(grid.name, header + 1, [], has_methods=methods)
    for r in range(header + 1, grid.height):
        first = cat.key_text(v(r, "l1") if "l1" in cols else grid.value(r, 0))
        row_text = [cat.key_text(x) for x in grid.row(r) if isinstance(x, str)]
        if first in TOTAL or (not methods and any(t in TOTAL for t in row_text[:2])):
            if "score" in cols:
                table.total = grid.addr(r, cols["score"])
                own = grid.value(r, cols["score"])
                table.own_total = Cell(table.total, parse_number(own), own, grid.formulas.get((r, cols["score"])))
            continue
        if first in GRADE or (row_text[:1] and row_text[0] in GRADE):
            if "score" in cols:
                table.grade = grid.addr(r, cols["score"])
                table.grade_text = str(grid.value(r, cols["score"]) or "").strip()
            continue
        names = [str(v(r, k) or "").strip() for k in ("l1", "l2", "l3")]
        method = str(v(r, "method") or "").strip()
        if not any(names) or (methods and not method):
            continue
        if not methods and all(grid.value(r, c) in (None, "") for c in cols.values()):
            continue  # a blank line inside merged names: nothing of its own
        levels, where = [], []
        for k, name in zip(("l1", "l2", "l3"), names):
            if not name:
                continue
            own_pts = pts(r, f"{k}_pts")
            at = _origin(grid, merged, r, cols[f"{k}_pts"]) if own_pts is not None else None
            if own_pts is None and cat.stated_points(name) is not None:
                own_pts = Decimal(str(cat.stated_points(name)))
                at = _origin(grid, merged, r, cols[k])
            levels.append((cat.bare_name(name) if not methods else name, own_pts))
            where.append(at)
        leaf_pts = levels[-1][1]
        if leaf_pts is None and "points" in cols:
            leaf_pts = pts(r, "points")
            where[-1] = grid.addr(r, cols["points"]) if leaf_pts is not None else where[-1]
        score_cell = grid.addr(r, cols["score"]) if "score" in cols else (grid.addr(r, cols["method"]) if methods else None)
        own = None
        if "score" in cols:
            raw = grid.value(r, cols["score"])
            own = Cell(score_cell, parse_number(raw), raw, grid.formulas.get((r, cols["score"])))

        manual = None
        if "manual" in cols:
            raw = v(r, "manual")
            m = parse_number(raw)
            if m.kind == "number" and raw not in (None, ""):
                manual = Cell(grid.addr(r, cols["manual"]), m)
            elif m.kind in ("text", "error"):
                table.problems.append((grid.addr(r, cols["manual"]), str(raw)))
        declared = tuple(p for _, p in levels)
        if not methods and leaf_pts is None and (own is None or own.parsed.kind == "blank") and len(levels) < 2:
            continue  # a heading with neither points nor a score
        table.rows.append(ScorecardRow(
            path=tuple(n for n, _ in levels), points=tuple(p if p is not None else Decimal(0) for p in declared[:-1])
            + (leaf_pts if leaf_pts is not None else Decimal(0),), row=r + 1,
            explanation=str(v(r, "explanation") or ""), criteria=str(v(r, "criteria") or ""), method=method,
            manual=manual, score=score_cell, explain=grid.addr(r, cols["explain"]) if "explain" in cols else None,
            own=own, declared=declared[:-1] + (leaf_pts,), points_at=tuple(where)))
    return table if table.rows else None
