"""A workbook's 评分表 as the live indicator system: its rows (names, 分值, 评分标准, 计分方法) define the
tree, its 手工得分 column holds the user's judgement scores."""

from __future__ import annotations

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.model import ScorecardTable
from selfeval_xl.rules.finding import Finding
from selfeval_xl.rules.registry import finding
from selfeval_xl.scoring.engine import LeafInput
from selfeval_xl.scoring.system import Indicator, System, parse_grades


def system_from_table(table: ScorecardTable, base: System | None = None) -> tuple[System, dict[tuple[str, ...], LeafInput]]:
    """The indicator tree of the sheet and each leaf's input (manual score, cell). Consecutive rows naming the
    same 一级/二级 share that node, as the sheet's merged cells show."""
    roots: list[Indicator] = []
    inputs: dict[tuple[str, ...], LeafInput] = {}
    branches: set[int] = set()  # ids of nodes created as 一级/二级 (never a leaf)
    for row in table.rows:
        siblings = roots
        for name, points in zip(row.path[:-1], row.points[:-1]):
            last = siblings[-1] if siblings else None
            if last is None or last.name != name or id(last) not in branches:
                last = Indicator(name, points)
                branches.add(id(last))
                siblings.append(last)
            siblings = last.children
        siblings.append(Indicator(row.path[-1], row.points[-1], explanation=row.explanation, criteria=row.criteria,
                                  method=row.method, row=row.row))
        inputs[row.path] = LeafInput(manual=row.manual.value if row.manual else None, cell=row.score)
    grades = base.grades if base else parse_grades(None)
    system = System(base.id if base else "workbook", base.title if base else table.sheet, base.kind if base else "dept",
                    roots, grades)
    return system, inputs


def sheet_problems(table: ScorecardTable) -> list[Finding]:
    """Cells of the 评分表 that could not be read (a 手工得分 that is not a number)."""
    return [finding("S-NOTNUM", cell, {"text": text}) for cell, text in table.problems]


def anchor(table: ScorecardTable) -> CellAddress:
    """Where findings about the system as a whole point: the 评分表's header row."""
    return CellAddress(table.sheet, table.header_row, 1)
