"""Live Excel: Grids from an open workbook through xlwings, with calls that do not grow with rows.

Values and formulas are one bulk call each on the used range. Excel has no bulk call for indentation,
number formats, merged areas or hidden rows, but a multi-cell range answers one value when all its cells
agree and Null (None) when they differ; so each of these is read by halving only the ranges whose cells
differ. The cost grows with the number of places where a column changes (an indented 其中 cell, a merged
分类 block), never with the number of rows that are alike."""

from __future__ import annotations

import sys

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.numbers import EXCEL_ERRORS
from selfeval_xl.sources.grid import Grid, canonical, only_present, percent_places, trim


def _api(rng, win: str, mac: str):
    """A property of the Excel Range object that xlwings does not wrap (Windows COM, macOS appscript)."""
    if sys.platform == "darwin":  # pragma: no cover - macOS Excel only
        return getattr(rng.api, mac).get()
    return getattr(rng.api, win)


def _indent(rng):
    return _api(rng, "IndentLevel", "indent_level")


def _hidden(rng):
    if sys.platform == "darwin":  # pragma: no cover - macOS Excel only
        return rng.api.entire_row.hidden.get()
    return rng.api.EntireRow.Hidden


def _area(address: str) -> tuple[int, int, int, int]:
    """'$A$4:$B$6' → (r0, c0, r1, c1), 1-based inclusive."""
    ends = address.split("!")[-1].split(":")
    first, last = CellAddress.parse("", ends[0]), CellAddress.parse("", ends[-1])
    return first.row, first.col, last.row, last.col


class XlwingsSource:
    """A GridSource over a live xw.Book."""

    def __init__(self, book):
        self.book = book
        self._sheets = None

    def sheet_map(self) -> dict:
        """{name: xw.Sheet}, read once (one call) until refresh()."""
        if self._sheets is None:
            self._sheets = {s.name: s for s in self.book.sheets}
        return self._sheets

    def refresh(self) -> None:
        """Forget the sheet list (after a sheet was added or deleted)."""
        self._sheets = None

    def sheet_names(self) -> list[str]:
        return list(self.sheet_map())

    def defined_names(self) -> dict[str, str]:
        out = {}
        for n in self.book.names:
            name = n.name
            if "!" not in name:  # sheet-scoped names are not ours
                out[name] = n.refers_to.lstrip("=")
        return out

    def grid(self, sheet: str) -> Grid:
        ws = self.sheet_map()[sheet]
        used = ws.used_range
        top, left = used.row, used.column
        values = used.options(ndim=2, err_to_str=True).value
        formulas = used.formula
        if not isinstance(formulas, (list, tuple)) or (formulas and not isinstance(formulas[0], (list, tuple))):
            formulas = [[formulas]]
        rows: list[list[object]] = [[] for _ in range(top - 1)]
        g = Grid(sheet, rows, hidden=not ws.visible)
        for i, (vrow, frow) in enumerate(zip(values, formulas)):
            r = top - 1 + i
            out = [None] * (left - 1)
            for j, (v, f) in enumerate(zip(vrow, frow)):
                c = left - 1 + j
                v = canonical(v)
                # A text constant such as '=8个 reports itself as its own "formula"; a real formula differs
                # from its result.
                if isinstance(f, str) and f.startswith("=") and not (isinstance(v, str) and v == f):
                    g.formulas[(r, c)] = f
                if isinstance(v, str) and v in EXCEL_ERRORS:
                    g.errors[(r, c)] = v
                out.append(v)
            rows.append(out)
        trim(rows)
        self._layout(ws, g, top, left, len(values), len(values[0]) if values else 0)
        return only_present(g)

    # ---- layout facts, read by halving mixed ranges
    def _layout(self, ws, g: Grid, top: int, left: int, height: int, width: int) -> None:
        if not height or not width:
            return
        for j in range(width):
            c = left - 1 + j
            texts = [r for r in range(len(g.rows)) if isinstance(g.value(r, c), str) and (r, c) not in g.errors]
            nums = [r for r in range(len(g.rows)) if isinstance(g.value(r, c), float)]
            num_rows = set(nums)
            if texts:
                for r, level in _by_halving(ws, c + 1, texts[0] + 1, texts[-1] + 1, _indent).items():
                    if level and (r - 1) in texts:
                        g.indented.add((r - 1, c))
            if nums:
                for r, fmt in _by_halving(ws, c + 1, nums[0] + 1, nums[-1] + 1, lambda rng: rng.number_format).items():
                    places = percent_places(fmt)
                    if places is not None and (r - 1) in num_rows:
                        g.percent[(r - 1, c)] = places
        # from A1: merged areas and hidden rows above or left of the used range count too
        for r, hidden in _by_halving(ws, 1, 1, top + height - 1, _hidden).items():
            if hidden:
                g.hidden_rows.add(r - 1)
        g.merged = [(r0 - 1, c0 - 1, r1 - 1, c1 - 1) for r0, c0, r1, c1 in
                    _merged_areas(ws, 1, 1, top + height - 1, left + width - 1)]


def _by_halving(ws, col: int, r0: int, r1: int, read) -> dict[int, object]:
    """{row: value} of a property over rows r0..r1 (1-based) of one column, reading a whole run at once and
    halving only runs whose cells differ (Excel answers None for those)."""
    out: dict[int, object] = {}
    stack = [(r0, r1)]
    while stack:
        a, b = stack.pop()
        v = read(ws.range((a, col), (b, col)))
        if v is None and a < b:
            mid = (a + b) // 2
            stack += [(mid + 1, b), (a, mid)]
            continue
        for r in range(a, b + 1):
            out[r] = v
    return out


def _merged_areas(ws, r0: int, c0: int, r1: int, c1: int) -> list[tuple[int, int, int, int]]:
    """Every merged area in a block (1-based inclusive), by halving blocks whose cells are partly merged."""
    areas: list[tuple[int, int, int, int]] = []

    def covered(a, b, c, d) -> bool:
        return any(x0 <= a and y0 <= b and c <= x1 and d <= y1 for x0, y0, x1, y1 in areas)

    stack = [(r0, c0, r1, c1)]
    while stack:
        a, b, c, d = stack.pop()
        if a > c or b > d or covered(a, b, c, d):
            continue
        state = ws.range((a, b), (c, d)).merge_cells
        if state is False or (state is None and a == c and b == d):
            continue
        if state is None:  # partly merged: halve the longer side
            if c - a >= d - b:
                mid = (a + c) // 2
                stack += [(mid + 1, b, c, d), (a, b, mid, d)]
            else:
                mid = (b + d) // 2
                stack += [(a, mid + 1, c, d), (a, b, c, mid)]
            continue
        # every cell is merged: take the area holding the top-left cell, then look at the rest
        area = _area(ws.range((a, b)).merge_area.address)
        if area not in areas:
            areas.append(area)
        stack += [(area[2] + 1, b, c, d), (a, area[3] + 1, min(c, area[2]), d)]
    return sorted(areas)
