"""表5 预算整体支出情况表, found by its header text and read into BudgetRows: title rows, a 单位 line, merged
分类 cells, repeated header rows, blank separators, extra columns, 其中 rows with or without their prefix."""

from __future__ import annotations

import re

from selfeval_xl.core.model import BudgetTable
from selfeval_xl.core.numbers import Parsed, as_rate, convert_unit, parse_number
from selfeval_xl.forms.children import resolve_children
from selfeval_xl.forms.headers import carry_merged, detect_unit, header_columns, norm_header
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
    """The 表5 below its header row, as columns: every row classified (detail, 其中 child, 小计, 总计), figures
    kept as the floats the file stores, anything else parsed once into the table's side map."""
    unit = detect_unit(grid, header)
    merged = carry_merged(grid)
    t = BudgetTable(grid.name, unit, header + 1, {f: c + 1 for f, c in cols.items()})
    category, blank_run = "", 0
    field_cols = [(f, cols[f], t.num[f], t.odd[f]) for f in FIGURES if f in cols]
    rate_col = cols.get("rate")
    formulas, percent, indented = grid.formulas, grid.percent, grid.indented
    item_col, cat_col, kind_col = cols.get("item"), cols.get("category"), cols.get("kind")
    reason_col = cols.get("reason")

    rows = grid.rows
    add_row, add_label, add_category, add_kind = t.row.append, t.label.append, t.category.append, t.kind.append
    add_parent, add_reason, add_explicit = t.parent.append, t.reason.append, t.explicit.append
    add_indented, add_kind_text = t.indented_only.append, t.kind_text.append
    first_col = field_cols[0][1] if field_cols else None
    kept: list[int] = []  # the sheet rows read into the table; their figures are taken column by column below

    def figures(line: list, width: int) -> list:
        return [line[c] if c < width else None for _, c, _, _ in field_cols]

    for r in range(header + 1, grid.height):
        line = rows[r]
        width = len(line)
        cat_text = ""
        if cat_col is not None:
            v = line[cat_col] if cat_col < width else None
            if (v is None or v == "") and (r, cat_col) in merged:
                v = merged[(r, cat_col)]
            cat_text = "" if v is None else str(v).strip()
        label = ""
        if item_col is not None and item_col < width and line[item_col] is not None:
            label = str(line[item_col]).strip()
        if not label and all(v is None or v == "" for v in figures(line, width)):
            if cat_text:  # a title or note line
                blank_run = 0
                continue
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        # A repeated header has text, never numbers, in the figure columns; test that cheap fact first.
        head = line[first_col] if first_col is not None and first_col < width else None
        if type(head) is not float and not any(type(v) is float for v in figures(line, width)) \
                and _is_header_repeat(grid, r):
            continue
        kind = "detail"
        if "计" in cat_text or "计" in label:  # 总计, 合计, 小计: the rare rows, classified the slow way
            tag = _SPACES.sub("", cat_text) + "|" + _SPACES.sub("", label)
            if _GRAND.search(tag):
                kind, lab = "grand", "总计" if "总计" in tag else "合计"
            elif "小计" in tag:
                kind = "subtotal"
                lab = cat_text if "小计" in cat_text else label
                category = re.sub(r"小计$", "", norm_header(lab)) or category
        if kind == "detail":
            if cat_text:
                category = cat_text
            lab = label
        kept.append(r)
        kind_text = None
        if kind_col is not None:
            v = line[kind_col] if kind_col < width else None
            kind_text = "" if v is None else str(v).strip()
        explicit = indented_only = False
        if kind == "detail":
            marked = lab.startswith("其中") or kind_text == "其中"
            indented_only = not marked and item_col is not None and (r, item_col) in indented
            explicit = marked or indented_only
        reason = ""
        if reason_col is not None and reason_col < width and line[reason_col] is not None:
            reason = str(line[reason_col]).strip()
        add_row(r + 1)
        add_label(lab)
        add_category(category)
        add_kind("child" if explicit else kind)
        add_parent(None)
        add_reason(reason)
        add_explicit(explicit)
        add_indented(indented_only)
        add_kind_text(kind_text)
    for f, c, column, odd in field_cols:
        _read_column(t, f, c, column, odd, [rows[r][c] if c < len(rows[r]) else None for r in kept], kept,
                     rate_col, percent)
        if formulas:
            t.formulas.update(((i, f), formulas[(r, c)]) for i, r in enumerate(kept) if (r, c) in formulas)
    resolve_children(t)
    return t


def _read_column(t: BudgetTable, f: str, c: int, column: list, odd: dict, values: list, kept: list[int],
                 rate_col: int | None, percent: dict) -> None:
    """One figure column of the kept rows: stored numbers as they are (nearly every cell, in one comprehension);
    text, errors, units, and rates that are not fractions classified by _odd."""
    if c == rate_col:
        column.extend(v if v is None or type(v) is float and -2.0 <= v <= 2.0
                      else _odd(t, i, f, c, v, kept[i], percent, odd) for i, v in enumerate(values))
        if percent:  # the decimals a percent-formatted rate shows
            t.places.update(((i, f), percent[(r, c)]) for i, r in enumerate(kept)
                            if (r, c) in percent and values[i] is not None)
    else:
        column.extend(v if v is None or type(v) is float and -1e15 < v < 1e15
                      else _odd(t, i, f, c, v, kept[i], percent, odd) for i, v in enumerate(values))


def _odd(t: BudgetTable, i: int, f: str, c: int, v: object, r: int, percent, odd: dict) -> float | None:
    """A cell that is not a plain stored number (or is a rate): classified into odd[i]; returns its float."""
    if f == "rate":
        places = percent.get((r, c))
        if places is not None:
            t.places[(i, f)] = places
        if type(v) is float and (-2 <= v <= 2 or places is not None and -1e15 < v < 1e15):
            return v  # what it shows: a fraction (a percent-formatted 99.06 is 9906%)
        p = parse_number(v)
        if places is None:
            p = as_rate(p)
    else:
        p = parse_number(v)
        if p.kind == "number" and p.unit:
            p = Parsed("number", convert_unit(p.value, p.unit, t.unit), p.raw, t.unit, p.percent)
    odd[i] = p
    return float(p.value) if p.kind == "number" else None
