"""Read any filled workbook into the model: stamp, 表5, 绩效目标, 项目自评表, 基础数据, 评分表."""

from __future__ import annotations

from pathlib import Path

from selfeval_xl.core.catalog import BASIC, INFO
from selfeval_xl.core.locate import (find_budget, find_goals, find_project, labelled_values, read_budget, read_goals,
                                     read_project, resolve_name)
from selfeval_xl.core.model import Cell, Workbook
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.errors import InputError
from selfeval_xl.io.grid import load_grids
from selfeval_xl.io.sniff import check_readable
from selfeval_xl.io.templates import STAMP_SHEET


def read_workbook(path: str | Path, require: bool = True) -> Workbook:
    """Read every recognisable table; raise InputError (exit 2) when there is none."""
    p = check_readable(path)
    grids, names = load_grids(p)
    return read_grids(grids, names, str(p), require)


def read_grids(grids: list, names: dict[str, str], label: str, require: bool = True) -> Workbook:
    """The model from sheets already loaded (from a file, or from live Excel through the add-in's port)."""
    by_name = {g.name: g for g in grids}
    wb = Workbook(label, "unknown")
    stamp = by_name.get(STAMP_SHEET)
    if stamp is not None:
        wb.stamp = {str(r[0]): str(r[1]) for r in stamp.rows if len(r) >= 2 and r[0]}
    visible = [g for g in grids if g.name != STAMP_SHEET]
    b = find_budget(visible)
    if b:
        wb.budget = read_budget(*b)
        wb.kind = "dept"
    proj = find_project(visible)
    if proj is not None:
        wb.project = read_project(proj)
        wb.kind = "project" if wb.budget is None else wb.kind
    g = find_goals([x for x in visible if x is not proj])
    if g:
        wb.goals = read_goals(*g)
    _read_scalars(wb, visible, by_name, names)
    sc = next((x for x in visible if x.name == "评分表"), None)
    if sc is not None:
        from selfeval_xl.scoring.sheet import read_scorecard

        wb.scorecard = read_scorecard(sc)
    if require and wb.budget is None and wb.project is None:
        name = Path(label).name
        raise InputError(f"{name} 中没有找到 表5（预算整体支出情况表）或 项目支出绩效自评表：请确认表头含“年度总指标”“支出数”等列名")
    return wb


def _read_scalars(wb: Workbook, grids, by_name, names: dict[str, str]) -> None:
    """基本信息 and 基础数据 by defined name (template fast path), else by their labels."""
    wanted = {i.name for i in INFO + BASIC}
    found: dict[str, Cell] = {}
    for name in wanted & names.keys():
        loc = resolve_name(names[name], by_name)
        if loc:
            grid, r, c = loc
            cell = Cell(grid.addr(r, c), parse_number(grid.value(r, c)))
            cell.text = grid.value(r, c)
            found[name] = cell
    missing = {i.label: i.name for i in INFO + BASIC if i.name not in found}
    if missing:
        for grid in grids:
            for name, cell in labelled_values(grid, missing).items():
                found.setdefault(name, cell)
    for i in INFO:
        if i.name in found:
            t = getattr(found[i.name], "text", None)
            if isinstance(t, float) and t.is_integer():
                t = int(t)
            wb.info[i.name] = "" if t is None else str(t).strip()
    wb.basic = {k: v for k, v in found.items() if k in {i.name for i in BASIC}}
    if wb.project is not None:
        wb.info.setdefault("UnitName", wb.project.header.get("Implementer") or wb.project.header.get("Department", ""))
