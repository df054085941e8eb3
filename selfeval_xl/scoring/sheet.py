"""Read a workbook's 评分表 as the live indicator system: its rows (names, 分值, 评分标准,
计分方法) define the tree; its 手工得分 column holds the user's judgement scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.locate import carry_merged, norm_header, shown_value
from selfeval_xl.core.model import Grid
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.scoring.engine import LeafInput
from selfeval_xl.scoring.system import Indicator, System, parse_grades

SCAN = 10


@dataclass
class ScorecardSheet:
    system: System
    inputs: dict[tuple[str, ...], LeafInput]
    score_cells: dict[tuple[str, ...], CellAddress]
    explain_cells: dict[tuple[str, ...], CellAddress]
    total_cell: CellAddress | None = None
    grade_cell: CellAddress | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (cell, message)


def _columns(grid: Grid, r: int) -> dict[str, int] | None:
    heads = [norm_header(v) for v in grid.rows[r]]
    if "计分方法" not in heads or not any(h in ("一级指标",) for h in heads):
        return None
    cols: dict[str, int] = {}
    last_level = None
    for c, h in enumerate(heads):
        if h in ("一级指标", "二级指标", "三级指标"):
            last_level = {"一级指标": "l1", "二级指标": "l2", "三级指标": "l3"}[h]
            cols[last_level] = c
        elif h == "分值" and last_level and f"{last_level}_pts" not in cols:
            cols[f"{last_level}_pts"] = c
        else:
            key = {"指标说明": "explanation", "评分标准": "criteria", "计分方法": "method", "手工得分": "manual",
                   "自评得分": "score", "计算过程": "explain"}.get(h)
            if key and key not in cols:
                cols[key] = c
    return cols


def read_scorecard(grid: Grid, base: System | None = None) -> ScorecardSheet | None:
    header = None
    for r in range(min(SCAN, len(grid.rows))):
        cols = _columns(grid, r)
        if cols:
            header = r
            break
    if header is None:
        return None
    merged = carry_merged(grid)

    def v(r, key):
        if key not in cols:
            return None
        return shown_value(grid, merged, r, cols[key])

    roots: list[Indicator] = []
    inputs, score_cells, explain_cells = {}, {}, {}
    problems = []
    total_cell = grade_cell = None
    cur1 = cur2 = None
    for r in range(header + 1, len(grid.rows)):
        first = norm_header(v(r, "l1"))
        if first in ("合计", "总计"):
            total_cell = grid.addr(r, cols["score"]) if "score" in cols else None
            continue
        if first == "评价等级":
            grade_cell = grid.addr(r, cols["score"]) if "score" in cols else None
            continue
        n1, n2, n3 = (str(v(r, k) or "").strip() for k in ("l1", "l2", "l3"))
        method = str(v(r, "method") or "").strip()
        if not (n1 or n2 or n3) or not method:
            continue

        def pts(key):
            p = parse_number(v(r, key))
            return p.value if p.kind == "number" else Decimal(0)

        if cur1 is None or cur1.name != n1:
            cur1 = Indicator(n1, pts("l1_pts"))
            roots.append(cur1)
            cur2 = None
        leaf_parent = cur1
        if n2 and n3:
            if cur2 is None or cur2.name != n2:
                cur2 = Indicator(n2, pts("l2_pts"))
                cur1.children.append(cur2)
            leaf_parent = cur2
        name = n3 or n2
        leaf = Indicator(name, pts("l3_pts") if n3 else pts("l2_pts"), explanation=str(v(r, "explanation") or ""),
                         criteria=str(v(r, "criteria") or ""), method=method, row=r + 1)
        leaf_parent.children.append(leaf)
        path = tuple(p for p in (n1, n2 if n3 else None, name) if p)
        cell = grid.addr(r, cols["score"]) if "score" in cols else grid.addr(r, cols["method"])
        m = parse_number(v(r, "manual")) if "manual" in cols else None
        manual = None
        if m is not None and m.kind == "number" and v(r, "manual") not in (None, ""):
            manual = m.value
        elif m is not None and m.kind in ("text", "error"):
            problems.append((grid.addr(r, cols["manual"]).a1, f"手工得分“{v(r, 'manual')}”不是数字，请填写分数"))
        inputs[path] = LeafInput(manual=manual, sheet=grid.name, cell=cell.a1)
        score_cells[path] = cell
        if "explain" in cols:
            explain_cells[path] = grid.addr(r, cols["explain"])
    if not roots:
        return None
    grades = base.grades if base else parse_grades(None)
    system = System(base.id if base else "workbook", base.title if base else grid.name, base.kind if base else "dept", roots, grades)
    return ScorecardSheet(system, inputs, score_cells, explain_cells, total_cell, grade_cell, problems)
