"""Find the tables in any sheet by their header text, and read them into the model.

Works for our templates and for an accountant's own workbook in the official layout:
title rows, a 单位 line, merged 分类 cells, repeated header rows, blank separators,
extra columns, 其中 rows with or without their prefix.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.model import (BudgetRow, BudgetTable, Cell, FundRow, GoalRow, GoalTable, Grid, IndicatorRow,
                                    ProjectTable, budget_blocks)
from selfeval_xl.core.numbers import Parsed, as_rate, convert_unit, parse_number, to_decimal

BUDGET_SYNONYMS = {
    "category": ("分类", "支出分类", "类别"),
    "item": ("预算项目", "项目名称", "项目"),
    "budget": ("部门预算指标", "年初预算数", "年初预算", "年初预算指标"),
    "carry": ("上年/历年结转", "上年结转", "历年结转", "结转"),
    "added": ("追加指标", "追加"),
    "adjust": ("调整指标", "调整", "调剂"),
    "total": ("年度总指标", "调整后预算数", "全年预算数", "调整后年度总指标"),
    "spent": ("支出数", "执行数", "全年执行数", "实际支出", "实际支出数"),
    "remaining": ("剩余指标", "剩余", "结余"),
    "rate": ("执行进度", "执行率", "预算执行率"),
    "reason": ("执行率差额原因", "差额原因", "偏差原因", "原因说明"),
    "kind": ("行类型",),
}
GOAL_SYNONYMS = {
    "level1": ("一级指标",), "level2": ("二级指标",), "level3": ("三级指标",),
    "target": ("指标值", "年度指标值", "预期指标值", "目标值"),
    "actual": ("完成值", "实际完成值", "实际完成指标值", "实际值"),
    "note": ("完成偏差说明", "偏差说明", "偏差原因分析及改进措施", "偏差原因"),
    "nature": ("指标性质",), "unit": ("度量单位", "计量单位"), "points": ("分值",), "score": ("得分",),
    "manual": ("定性得分",),
}
FUND_SYNONYMS = {"plan": ("年初预算数",), "budget": ("全年预算数",), "spent": ("全年执行数",),
                 "points": ("分值",), "rate": ("执行率",), "score": ("得分",)}
SCAN_ROWS = 40
MAX_BLANK_RUN = 200
MAX_CHILD_COMBOS = 4096
TOL = Decimal("0.01")
_SPACES = re.compile(r"\s+")
_GRAND = re.compile(r"(^|\|)(总计|合计)")


def norm_header(text: object) -> str:
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    t = re.sub(r"[（(][^)）]*[元%][^)）]*[)）]", "", t)  # (万元), (%), （元）
    t = re.sub(r"[（(]包含数字及文字描述[)）]", "", t)
    return re.sub(r"\s+", "", t)


def _match(text: str, synonyms: dict) -> str | None:
    h = norm_header(text)
    if not h:
        return None
    for field, names in synonyms.items():
        if h in names:
            return field
    for field, names in synonyms.items():
        if any(h.startswith(n) or h.endswith(n) for n in names if len(n) >= 3):
            return field
    return None


def header_columns(grid: Grid, r: int, synonyms: dict) -> dict[str, int]:
    """Field -> 0-based column for one candidate header row (first match wins)."""
    cols: dict[str, int] = {}
    for c, v in enumerate(grid.rows[r] if r < len(grid.rows) else []):
        f = _match(v, synonyms)
        if f and f not in cols:
            cols[f] = c
    return cols


def carry_merged(grid: Grid) -> dict[tuple[int, int], object]:
    out = {}
    for r0, c0, r1, c1 in grid.merged:
        v = grid.value(r0, c0)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = v
    return out


def shown_value(grid: Grid, merged: dict, r: int, c: int) -> object:
    """A cell's value, or its merged range's value when the cell itself is empty (carried-down 分类)."""
    v = grid.value(r, c)
    if (v is None or v == "") and (r, c) in merged:
        return merged[(r, c)]
    return v


def detect_unit(grid: Grid, upto: int) -> str:
    for r in range(0, min(upto + 1, len(grid.rows))):
        for v in grid.rows[r]:
            t = norm_header(v) if isinstance(v, str) else ""
            m = re.search(r"单位[:：]?(亿元|万元|元)", t)
            if m:
                return m.group(1)
    return "万元"


# ------------------------------------------------------------------ 表5

def find_budget(grids: list[Grid]) -> tuple[Grid, int, dict[str, int]] | None:
    best = None
    for g in grids:
        for r in range(min(SCAN_ROWS, len(g.rows))):
            cols = header_columns(g, r, BUDGET_SYNONYMS)
            if {"total", "spent"} <= cols.keys() and ({"item", "category"} & cols.keys()) and len(cols) >= 4:
                if best is None or len(cols) > len(best[2]):
                    best = (g, r, cols)
                break
    return best


def _is_header_repeat(grid: Grid, r: int, cols: dict) -> bool:
    return len(header_columns(grid, r, BUDGET_SYNONYMS)) >= 3


def read_budget(grid: Grid, header: int, cols: dict[str, int]) -> BudgetTable:
    unit = detect_unit(grid, header)
    merged = carry_merged(grid)
    rows: list[BudgetRow] = []
    category, blank_run = "", 0
    fields = [f for f in ("budget", "carry", "added", "adjust", "total", "spent", "remaining", "rate") if f in cols]
    field_cols = [(f, cols[f]) for f in fields]
    sheet, new_addr = grid.name, CellAddress._make
    decimals: dict[float, Decimal] = {}  # zeros and repeated figures are common: convert each once

    for r in range(header + 1, len(grid.rows)):
        cat_text = str(shown_value(grid, merged, r, cols["category"]) or "").strip() if "category" in cols else ""
        label = str(grid.value(r, cols["item"]) or "").strip() if "item" in cols else ""
        line = grid.rows[r]
        nums = {f: (line[c] if c < len(line) else None) for f, c in field_cols}
        for f, c in field_cols:
            if (r, c) in grid.errors:
                nums[f] = grid.errors[(r, c)]
        if not label and not cat_text and all(v in (None, "") for v in nums.values()):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        # A repeated header has text, never numbers, in the figure columns; test that cheap fact first.
        if not any(isinstance(v, (int, float)) for v in nums.values()) and _is_header_repeat(grid, r, cols):
            continue
        if all(v in (None, "") for v in nums.values()) and not label:
            continue  # a title or note line
        tag = _SPACES.sub("", cat_text) + "|" + _SPACES.sub("", label)
        if _GRAND.search(tag):
            kind, lab = "grand", "总计" if "总计" in tag else "合计"
        elif "小计" in tag:
            kind = "subtotal"
            lab = cat_text if "小计" in cat_text else label
            category = re.sub(r"小计$", "", norm_header(lab)) or category  # few rows: the slow path is fine
        else:
            if cat_text:
                category = cat_text
            lab = label
            kind = "detail"
        cells = {}
        for f, c in field_cols:
            v = nums[f]
            if type(v) is float and f != "rate":  # the common case, without parse_number's checks
                d = decimals.get(v)
                if d is None:
                    d = to_decimal(v)
                    if len(decimals) < 65536:
                        decimals[v] = d
                cells[f] = Cell(new_addr((sheet, r + 1, c + 1)), Parsed("number", d, v))
                continue
            p = parse_number(v)
            if p.kind == "number" and f != "rate" and p.unit:
                p = Parsed("number", convert_unit(p.value, p.unit, unit), p.raw, unit, p.percent)
            if f == "rate":
                p = as_rate(p)
            cells[f] = Cell(new_addr((sheet, r + 1, c + 1)), p)
        reason, reason_addr = "", None
        if "reason" in cols:
            reason = str(grid.value(r, cols["reason"]) or "").strip()
            reason_addr = grid.addr(r, cols["reason"])
        explicit = False
        if kind == "detail":
            kind_text = str(grid.value(r, cols["kind"]) or "").strip() if "kind" in cols else ""
            explicit = (lab.startswith("其中") or kind_text == "其中"
                        or ("item" in cols and (r, cols["item"]) in grid.indented))
        rows.append(BudgetRow(r + 1, lab, "child" if explicit else kind, category, cells, reason, reason_addr,
                              explicit_child=explicit))
    _resolve_children(rows)
    return BudgetTable(grid.name, unit, header + 1, {f: c + 1 for f, c in cols.items()}, rows)


_CMP = ("budget", "total", "spent")


def _resolve_children(rows: list[BudgetRow]) -> None:
    """Decide unprefixed rows after a 其中 row: child or sibling, by which reading makes the 小计 add up."""
    for block, sub in budget_blocks(rows):
        runs = []  # (start index, max children)
        i = 0
        while i < len(block):
            if block[i].explicit_child:
                j = i
                while j < len(block) and block[j].explicit_child:
                    j += 1
                k = j
                while k < len(block) and not block[k].explicit_child:
                    k += 1
                limit = (k - j) - (1 if k < len(block) else 0)  # the row before a later 其中 is its parent
                if limit > 0:
                    runs.append((j, limit))
                i = k
            else:
                i += 1
        choices = [range(0, lim + 1) for _, lim in runs]
        best, best_key = None, None
        for n, combo in enumerate(itertools.product(*choices)):
            if n >= MAX_CHILD_COMBOS:
                break
            kinds = [r.explicit_child for r in block]
            for (start, _), m in zip(runs, combo):
                for t in range(start, start + m):
                    kinds[t] = True
            key = _reading_cost(block, kinds, sub) + (sum(combo),)
            if best_key is None or key < best_key:
                best, best_key = kinds, key
        kinds = best if best is not None else [r.explicit_child for r in block]
        parent = None
        for row, is_child in zip(block, kinds):
            if is_child and parent is not None:
                row.kind, row.parent = "child", parent.row
            else:
                row.kind, row.parent = "detail", None
                parent = row


def _reading_cost(block, kinds, sub) -> tuple:
    """(subtotal mismatches, child groups that do not equal their parent)."""
    mismatches = 0
    if sub is not None:
        for f in _CMP:
            if f in sub.cells and sub.cells[f].parsed.kind == "number":
                s = sum((r.get(f) for r, k in zip(block, kinds) if not k), Decimal(0))
                if abs(s - sub.get(f)) > TOL:
                    mismatches += 1
    unequal, parent, acc = 0, None, None
    for r, k in list(zip(block, kinds)) + [(None, False)]:
        if k:
            acc = (acc or Decimal(0)) + r.get("total")
            continue
        if parent is not None and acc is not None and abs(acc - parent.get("total")) > TOL:
            unequal += 1
        parent, acc = r, None
    return (mismatches, unequal)


# ------------------------------------------------------------------ 绩效目标

def find_goals(grids: list[Grid]) -> tuple[Grid, int, dict[str, int]] | None:
    for g in grids:
        for r in range(min(SCAN_ROWS, len(g.rows))):
            cols = header_columns(g, r, GOAL_SYNONYMS)
            if {"level1", "level3", "target", "actual"} <= cols.keys() and "score" not in cols:
                return g, r, cols
    return None


def read_goals(grid: Grid, header: int, cols: dict[str, int]) -> GoalTable:
    merged = carry_merged(grid)
    out, last = [], {"level1": "", "level2": ""}
    for r in range(header + 1, len(grid.rows)):
        def t(f):
            v = shown_value(grid, merged, r, cols[f]) if f in cols else None
            return "" if v is None else str(v).strip()
        l3 = t("level3")
        if not l3 or header_columns(grid, r, GOAL_SYNONYMS).keys() >= {"level1", "level3"}:
            continue
        for f in ("level1", "level2"):
            last[f] = t(f) or last[f]
        out.append(GoalRow(r + 1, last["level1"], last["level2"], l3, t("target"), t("actual"), t("note"),
                           {f: grid.addr(r, c) for f, c in cols.items()}))
    return GoalTable(grid.name, out)


# ------------------------------------------------------------------ 项目支出绩效自评表

def _find_text(grid: Grid, pattern: str, limit: int = 400) -> tuple[int, int] | None:
    rx = re.compile(pattern)
    for r in range(min(limit, len(grid.rows))):
        for c, v in enumerate(grid.rows[r]):
            if isinstance(v, str) and rx.search(norm_header(v)):
                return r, c
    return None


def _right_value(grid: Grid, r: int, c: int) -> str:
    for cc in range(c + 1, len(grid.rows[r])):
        v = grid.value(r, cc)
        if v not in (None, ""):
            return str(v).strip()
    return ""


def find_project(grids: list[Grid]) -> Grid | None:
    for g in grids:
        if _find_text(g, r"^年度资金总额") and _find_text(g, r"^一级指标$"):
            return g
    return None


def read_project(grid: Grid) -> ProjectTable:
    header = {}
    for label, key in (("项目名称", "ProjectName"), ("主管部门", "Department"), ("实施单位", "Implementer")):
        pos = _find_text(grid, rf"^{label}")
        header[key] = _right_value(grid, *pos) if pos else ""
    tr, _ = _find_text(grid, r"^年度资金总额")
    fcols: dict[str, int] = {}
    for r in range(tr - 1, max(-1, tr - 4), -1):
        fcols = header_columns(grid, r, FUND_SYNONYMS)
        if {"budget", "spent"} <= fcols.keys():
            break
    funds = []
    for r in range(tr, min(tr + 6, len(grid.rows))):
        label = next((str(v).strip() for v in grid.rows[r][:2] if isinstance(v, str) and v.strip()), "")
        if not re.search(r"年度资金总额|本年财政拨款|上年结转|其他资金", norm_header(label)):
            continue
        funds.append(FundRow(r + 1, label, {f: Cell(grid.addr(r, c), parse_number(grid.value(r, c))) for f, c in fcols.items()}))
    hr, _ = _find_text(grid, r"^一级指标$")
    icols = header_columns(grid, hr, GOAL_SYNONYMS)
    merged = carry_merged(grid)
    inds, last = [], {"level1": "", "level2": ""}
    total_cell = None
    for r in range(hr + 1, len(grid.rows)):
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


# ------------------------------------------------------------------ labelled scalars

def labelled_values(grid: Grid, labels: dict[str, str]) -> dict[str, Cell]:
    """{name: Cell} for rows whose first text cell equals a known label; the value is the next cell."""
    out = {}
    for r, row in enumerate(grid.rows):
        for c, v in enumerate(row[:3]):
            if isinstance(v, str) and v.strip() in labels:
                name = labels[v.strip()]
                if name not in out and c + 1 < len(row):
                    out[name] = Cell(grid.addr(r, c + 1), parse_number(grid.value(r, c + 1)))
                    out[name].text = grid.value(r, c + 1)
                break
    return out


def resolve_name(ref: str, grids: dict[str, Grid]) -> tuple[Grid, int, int] | None:
    """A defined name's `'Sheet'!$B$5` to (grid, row, col) 0-based."""
    m = re.match(r"^=?'?(.*?)'?!\$?([A-Z]+)\$?(\d+)$", ref.strip())
    if not m:
        return None
    sheet = m.group(1).replace("''", "'")
    g = grids.get(sheet)
    if g is None:
        return None
    a = CellAddress.parse(sheet, f"{m.group(2)}{m.group(3)}")
    return g, a.row - 1, a.col - 1
