"""表5 预算整体支出情况表, found by its header text and read into BudgetRows: title rows, a 单位 line, merged
分类 cells, repeated header rows, blank separators, extra columns, 其中 rows with or without their prefix."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.model import BudgetRow, BudgetTable, Cell, budget_blocks
from selfeval_xl.core.numbers import Parsed, as_rate, convert_unit, parse_number, to_decimal
from selfeval_xl.forms.headers import carry_merged, detect_unit, header_columns, norm_header, shown_value
from selfeval_xl.forms.layouts import BUDGET5
from selfeval_xl.sources.grid import Grid

SYNONYMS = BUDGET5.synonyms()
FIGURES = ("budget", "carry", "added", "adjust", "total", "spent", "remaining", "rate")
SCAN_ROWS = 40
MAX_BLANK_RUN = 200
MAX_CHILD_COMBOS = 4096
TOL = Decimal("0.01")
_SPACES = re.compile(r"\s+")
_GRAND = re.compile(r"(^|\|)(总计|合计)")


def find_budget(grids: list[Grid]) -> tuple[Grid, int, dict[str, int]] | None:
    """(sheet, header row, {field: column}) of the best 表5 header among the sheets, or None."""
    best = None
    for g in grids:
        for r in range(min(SCAN_ROWS, g.height)):
            cols = header_columns(g, r, SYNONYMS)
            if {"total", "spent"} <= cols.keys() and ({"item", "category"} & cols.keys()) and len(cols) >= 4:
                if best is None or len(cols) > len(best[2]):
                    best = (g, r, cols)
                break
    return best


def _is_header_repeat(grid: Grid, r: int) -> bool:
    return len(header_columns(grid, r, SYNONYMS)) >= 3


def read_budget(grid: Grid, header: int, cols: dict[str, int]) -> BudgetTable:
    """The 表5 below its header row: every row classified (detail, 其中 child, 小计, 总计), figures parsed."""
    unit = detect_unit(grid, header)
    merged = carry_merged(grid)
    rows: list[BudgetRow] = []
    category, blank_run = "", 0
    field_cols = [(f, cols[f]) for f in FIGURES if f in cols]
    sheet, new_addr = grid.name, CellAddress._make
    decimals: dict[float, Decimal] = {}  # zeros and repeated figures are common: convert each once
    formulas = grid.formulas

    for r in range(header + 1, grid.height):
        cat_text = str(shown_value(grid, merged, r, cols["category"]) or "").strip() if "category" in cols else ""
        label = str(grid.value(r, cols["item"]) or "").strip() if "item" in cols else ""
        line = grid.row(r)
        nums = {f: (line[c] if c < len(line) else None) for f, c in field_cols}
        if not label and not cat_text and all(v in (None, "") for v in nums.values()):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        # A repeated header has text, never numbers, in the figure columns; test that cheap fact first.
        if not any(isinstance(v, (int, float)) for v in nums.values()) and _is_header_repeat(grid, r):
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
                cells[f] = Cell(new_addr((sheet, r + 1, c + 1)), Parsed("number", d, v), None, formulas.get((r, c)))
                continue
            p = parse_number(v)
            if p.kind == "number" and f != "rate" and p.unit:
                p = Parsed("number", convert_unit(p.value, p.unit, unit), p.raw, unit, p.percent)
            places = None
            if f == "rate":
                places = grid.percent.get((r, c))
                if places is None:  # a percent-formatted number is what it shows: 99.06 there is 9906%
                    p = as_rate(p)
            cells[f] = Cell(new_addr((sheet, r + 1, c + 1)), p, None, formulas.get((r, c)), places)
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
