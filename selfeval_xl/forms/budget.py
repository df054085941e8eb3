"""表5 预算整体支出情况表, found by its header text and read into BudgetRows: title rows, a 单位 line, merged
分类 cells, repeated header rows, blank separators, extra columns, 其中 rows with or without their prefix."""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.model import BudgetRow, BudgetTable, Cell
from selfeval_xl.core.numbers import Parsed, as_rate, convert_unit, parse_number, to_decimal
from selfeval_xl.forms.children import resolve_children
from selfeval_xl.forms.headers import carry_merged, detect_unit, header_columns, norm_header, shown_value
from selfeval_xl.forms.layouts import BUDGET5
from selfeval_xl.sources.grid import Grid

SYNONYMS = BUDGET5.synonyms()
FIGURES = ("budget", "carry", "added", "adjust", "total", "spent", "remaining", "rate")
SCAN_ROWS = 40
MAX_BLANK_RUN = 200
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
        explicit = indented = False
        kind_text = str(grid.value(r, cols["kind"]) or "").strip() if "kind" in cols else None
        if kind == "detail":
            marked = lab.startswith("其中") or kind_text == "其中"
            indented = not marked and "item" in cols and (r, cols["item"]) in grid.indented
            explicit = marked or indented
        rows.append(BudgetRow(r + 1, lab, "child" if explicit else kind, category, cells, reason, reason_addr,
                              explicit_child=explicit, indented_only=indented, kind_text=kind_text))
    resolve_children(rows)
    return BudgetTable(grid.name, unit, header + 1, {f: c + 1 for f, c in cols.items()}, rows)
