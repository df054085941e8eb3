"""The labelled scalars of 基本信息 and 基础数据: by defined name (our templates), else by their labels."""

from __future__ import annotations

import re

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.catalog import BASIC, INFO
from selfeval_xl.core.model import Cell, Workbook
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.sources.grid import Grid

_NAME_REF = r"^=?'?(.*?)'?!\$?([A-Z]+)\$?(\d+)$"  # compiled where used


def _cell(grid: Grid, r: int, c: int) -> Cell:
    cell = Cell(grid.addr(r, c), parse_number(grid.value(r, c)), None, grid.formulas.get((r, c)),
                grid.percent.get((r, c)))
    cell.text = grid.value(r, c)
    return cell


def labelled_values(grid: Grid, labels: dict[str, str]) -> dict[str, Cell]:
    """{name: Cell} for rows whose first text cell (A–C) equals a known label; the value is the next cell."""
    out = {}
    for r in range(grid.height):
        row = grid.row(r)
        for c, v in enumerate(row[:3]):
            if isinstance(v, str) and v.strip() in labels:
                name = labels[v.strip()]
                if name not in out:
                    out[name] = _cell(grid, r, c + 1)
                break
    return out


def resolve_name(ref: str, grids: dict[str, Grid]) -> tuple[Grid, int, int] | None:
    """A defined name's `'Sheet'!$B$5` as (grid, row, col) 0-based; None for anything else."""
    m = re.match(_NAME_REF, ref.strip())
    if not m:
        return None
    sheet = m.group(1).replace("''", "'")
    g = grids.get(sheet)
    if g is None:
        return None
    a = CellAddress.parse(sheet, f"{m.group(2)}{m.group(3)}")
    return g, a.row - 1, a.col - 1


def read_scalars(wb: Workbook, grids: list[Grid], names: dict[str, str]) -> None:
    """Fill wb.info and wb.basic from defined names (template fast path), else from labels."""
    by_name = {g.name: g for g in grids}
    wanted = {i.name for i in INFO + BASIC}
    found: dict[str, Cell] = {}
    for name in wanted & names.keys():
        loc = resolve_name(names[name], by_name)
        if loc:
            found[name] = _cell(*loc)
    missing = {i.label: i.name for i in INFO + BASIC if i.name not in found}
    if missing:
        for grid in grids:
            for name, cell in labelled_values(grid, missing).items():
                found.setdefault(name, cell)
    for i in INFO:
        if i.name in found:
            t = found[i.name].text
            if isinstance(t, float) and t.is_integer():
                t = int(t)
            wb.info[i.name] = "" if t is None else str(t).strip()
    wb.basic = {k: v for k, v in found.items() if k in {i.name for i in BASIC}}
    if wb.project is not None:
        wb.info.setdefault("UnitName", wb.project.header.get("Implementer") or wb.project.header.get("Department", ""))
