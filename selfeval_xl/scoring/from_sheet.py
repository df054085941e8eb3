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
        declared = row.declared or row.points
        for name, points, stated in zip(row.path[:-1], row.points[:-1], declared[:-1]):
            last = siblings[-1] if siblings else None
            if last is None or last.name != name or id(last) not in branches:
                last = Indicator(name, points, stated=stated is not None)
                branches.add(id(last))
                siblings.append(last)
            siblings = last.children
        leaf_stated = (row.declared or row.points)[-1] is not None
        siblings.append(Indicator(row.path[-1], row.points[-1], explanation=row.explanation, criteria=row.criteria,
                                  method=row.method, row=row.row, stated=leaf_stated))
        if table.has_methods:
            manual = row.manual.value if row.manual else None
        else:  # a unit's own 评分表: its 自评得分 are the judgement, checked against each item's 分值
            manual = row.own.value if row.own is not None and row.own.parsed.kind == "number" and \
                row.own.parsed.raw not in (None, "") else None
        inputs[row.path] = LeafInput(manual=manual, cell=row.score, column="手工得分" if table.has_methods else "自评得分")
    for root in roots:
        _sum_unstated(root)
    grades = base.grades if base else parse_grades(None)
    system = System(base.id if base else "workbook", base.title if base else table.sheet, base.kind if base else "dept",
                    roots, grades)
    return system, inputs


def _sum_unstated(node: Indicator) -> None:
    """A level the sheet gives no 分值 for carries the sum of its children's; an only item without 分值 under a
    level that states them (履职成效(20分) / 部门特性指标) carries what its level leaves."""
    open_ = [c for c in node.children if not c.stated and c.leaf]
    if node.stated and len(open_) == 1:
        rest = sum((c.points for c in node.children if c is not open_[0]), node.points * 0)
        open_[0].points, open_[0].stated = node.points - rest, True
    for c in node.children:
        _sum_unstated(c)
    if node.children and not node.stated:
        node.points = sum((c.points for c in node.children), node.points * 0)


def sheet_problems(table: ScorecardTable) -> list[Finding]:
    """Cells of the 评分表 that could not be read (a 手工得分 that is not a number)."""
    return [finding("S-NOTNUM", cell, {"text": text}) for cell, text in table.problems]


def anchor(table: ScorecardTable) -> CellAddress:
    """Where findings about the system as a whole point: the 评分表's header row."""
    return CellAddress(table.sheet, table.header_row, 1)
