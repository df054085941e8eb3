"""The one Grid contract: what every producer of sheet contents must fill, and how values are represented.

Producers (each is a GridSource): `sources.xlsx` (files: python-calamine plus one scan of the sheet XML),
`sources.openpyxl_source` (files the add-in edits), `sources.xlwings_source` (live Excel). A conformance test
runs all three on the same workbooks and asserts identical grids, so the command line and the add-in read
a workbook the same way.

Every producer fills, for one sheet, with 0-based (row, col) positions from A1:
- rows: the cell values, each row up to its last non-empty cell, rows up to the last non-empty row.
  A value is None (empty), str (as stored, not stripped), float (every finite number, integers included),
  bool, datetime.datetime (dates), or an error value's text ("#DIV/0!"); a formula cell holds its cached result.
  A number that is not finite (NaN, ±inf: no spreadsheet program stores one) is given as its text ("nan").
- formulas: {(r, c): "=…"} for every cell holding a formula, as Excel shows it (shared formulas expanded).
- errors: {(r, c): "#DIV/0!"} for every cell holding an error value (also present in rows).
- merged: every merged range as (r0, c0, r1, c1), inclusive, sorted, that starts within the content, clipped
  to the content (a range over whole columns ends at the last row of content).
- indented: the non-empty text cells whose alignment has an indent level above 0.
- percent: the numeric cells whose number format shows a percent sign, with the decimals it shows
  ({(r, c): 2} for 0.00%).
- hidden_rows: the hidden rows up to the last row of content.
- hidden: True when the sheet itself is hidden or very hidden.
- uncached: the formula cells saved without a result (a file written by a program, not a spreadsheet program);
  only the file producer can tell (openpyxl reads such a cell and a cached "" alike, live Excel always has
  results). `sources.recalc` fills them from their formulas.
"""

from __future__ import annotations

import re
from typing import Protocol

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.record import field, record

Pos = tuple[int, int]


@record
class Grid:
    """One sheet's contents under the contract above."""

    name: str
    rows: list[list[object]]
    formulas: dict[Pos, str] = field(default_factory=dict)
    errors: dict[Pos, str] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    indented: set[Pos] = field(default_factory=set)
    percent: dict[Pos, int] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden: bool = False
    uncached: set[Pos] = field(default_factory=set)

    @property
    def height(self) -> int:
        return len(self.rows)

    def row(self, r: int) -> list[object]:
        """Row r's values (possibly shorter than other rows); [] beyond the last row."""
        return self.rows[r] if 0 <= r < len(self.rows) else []

    def value(self, r: int, c: int) -> object:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def put(self, pos: Pos, value: object) -> None:
        """Set one cell's value, growing the rows as needed."""
        r, c = pos
        while len(self.rows) <= r:
            self.rows.append([])
        row = self.rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = value

    def text(self, r: int, c: int) -> str:
        v = self.value(r, c)
        return "" if v is None else str(v).strip()

    def addr(self, r: int, c: int) -> CellAddress:
        return CellAddress(self.name, r + 1, c + 1)

    def is_formula(self, r: int, c: int) -> bool:
        return (r, c) in self.formulas


class GridSource(Protocol):
    """A workbook as sheets of Grids: what the forms read, whatever the workbook lives in."""

    def sheet_names(self) -> list[str]:
        """Every worksheet's name, in workbook order (chart sheets excluded)."""

    def grid(self, sheet: str) -> Grid:
        """The sheet's contents under the contract."""

    def defined_names(self) -> dict[str, str]:
        """Workbook-level defined names: {name: "'Sheet'!$B$5"}; {} when the producer cannot list them cheaply."""


# ---------------------------------------------------------------- helpers every producer uses

def canonical(value: object) -> object:
    """A cell value in the contract's representation."""
    if type(value) is float:  # most cells: first, and one subtraction to see that it is finite
        return value if value - value == 0.0 else str(value)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return "inf" if value > 0 else "-inf"
    if type(value) is str:
        return value
    import datetime as _dt  # here, not at the top: only date and time cells come this far (~1 ms to import)

    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if isinstance(value, _dt.time):
        return _dt.datetime(1899, 12, 30, value.hour, value.minute, value.second, value.microsecond)
    return value


def trim(rows: list[list[object]]) -> list[list[object]]:
    """Rows cut after their last non-empty cell, and after the last non-empty row (in place; returned)."""
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


_QUOTED = r'"[^"]*"|\[[^\]]*\]|\\.'  # compiled where used


def percent_places(fmt: str | None) -> int | None:
    """The decimals a percent format shows ('0.00%' → 2, '0%' → 0), or None when it shows no percent sign
    ('0.0%;[Red]-0.0%' → 1; a quoted or escaped % is text)."""
    if not fmt or "%" not in fmt:
        return None
    section = re.sub(_QUOTED, "", fmt).split(";", 1)[0]
    if "%" not in section:
        return None
    frac = section.split(".", 1)[1] if "." in section else ""
    return sum(1 for ch in frac.split("%", 1)[0] if ch in "0#?")


def only_present(grid: Grid) -> Grid:
    """Keep the layout facts the contract defines (in place): indented text cells, percent numeric cells, and
    merged ranges and hidden rows that start within the content (above its last row, left of its last column),
    merged ranges clipped to it."""
    rows = grid.rows
    height, width = grid.height, max((len(r) for r in rows), default=0)

    def holds(pos, kind) -> bool:  # grid.value inlined: a 20,000-row rate column asks once per cell
        r, c = pos
        return r < height and c < len(rows[r]) and type(rows[r][c]) is kind

    grid.indented = {p for p in grid.indented if holds(p, str) and p not in grid.errors}
    grid.percent = {p: n for p, n in grid.percent.items() if holds(p, float) or p in grid.uncached}
    grid.merged = sorted((r0, c0, min(r1, height - 1), min(c1, width - 1)) for r0, c0, r1, c1 in grid.merged
                         if r0 < height and c0 < width)
    grid.hidden_rows = {r for r in grid.hidden_rows if r < height}
    return grid
