"""项目支出绩效自评表 (财预〔2020〕10号 layout): header lines, the funds block, the 绩效指标 rows, 总分."""

from __future__ import annotations

import re

from selfeval_xl.core.model import Cell, FundRow, IndicatorRow, ProjectTable
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.forms.goals import SYNONYMS as INDICATOR_SYNONYMS
from selfeval_xl.forms.headers import carry_merged, find_text, header_columns, norm_header, right_value, shown_value
from selfeval_xl.forms.layouts import PROJECT_FUNDS
from selfeval_xl.sources.grid import Grid

FUND_SYNONYMS = PROJECT_FUNDS.synonyms("plan", "budget", "spent", "points", "rate", "score")
HEADER_LABELS = (("项目名称", "ProjectName"), ("主管部门", "Department"), ("实施单位", "Implementer"))


def find_project(grids: list[Grid]) -> Grid | None:
    """The first sheet with both a 年度资金总额 row and an 一级指标 header, or None."""
    for g in grids:
        if find_text(g, r"^年度资金总额") and find_text(g, r"^一级指标$"):
            return g
    return None


def read_project(grid: Grid) -> ProjectTable:
    """The header lines, the funds rows under their header, and the indicator rows down to 总分."""
    header = {}
    for label, key in HEADER_LABELS:
        pos = find_text(grid, rf"^{label}")
        header[key] = right_value(grid, *pos) if pos else ""
    tr, _ = find_text(grid, r"^年度资金总额")
    fcols: dict[str, int] = {}
    for r in range(tr - 1, max(-1, tr - 4), -1):
        fcols = header_columns(grid, r, FUND_SYNONYMS)
        if {"budget", "spent"} <= fcols.keys():
            break
    funds = []
    for r in range(tr, min(tr + 6, grid.height)):
        label = next((str(v).strip() for v in grid.row(r)[:2] if isinstance(v, str) and v.strip()), "")
        if not re.search(r"年度资金总额|本年财政拨款|上年结转|其他资金", norm_header(label)):
            continue
        funds.append(FundRow(r + 1, label, {f: Cell(grid.addr(r, c), parse_number(grid.value(r, c))) for f, c in fcols.items()}))
    hr, _ = find_text(grid, r"^一级指标$")
    icols = header_columns(grid, hr, INDICATOR_SYNONYMS)
    merged = carry_merged(grid)
    inds, last = [], {"level1": "", "level2": ""}
    total_cell = None
    for r in range(hr + 1, grid.height):
        first = norm_header(grid.value(r, 0))
        if first.startswith("总分"):
            if "score" in icols:
                total_cell = Cell(grid.addr(r, icols["score"]), parse_number(grid.value(r, icols["score"])))
            break

        def t(f):
            if f not in icols:
                return ""
            v = shown_value(grid, merged, r, icols[f])
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else ("" if v is None else str(v).strip())

        l3 = t("level3")
        if not l3:
            continue
        for f in ("level1", "level2"):
            last[f] = t(f) or last[f]

        def cell(f):
            return Cell(grid.addr(r, icols[f]), parse_number(grid.value(r, icols[f]))) if f in icols else None

        inds.append(IndicatorRow(r + 1, last["level1"], last["level2"], l3, str(t("nature")), t("target"), str(t("unit")),
                                 t("actual"), cell("points"), cell("score"), cell("manual"), str(t("note")),
                                 {f: grid.addr(r, c) for f, c in icols.items()}))
    return ProjectTable(grid.name, header, funds, inds, total_cell, None, {f: c + 1 for f, c in fcols.items()})
