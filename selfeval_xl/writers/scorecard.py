"""Write a 评分表 in seed 001's 附件1 layout: merged 一级/二级 cells with their 分值,
三级 and 分值, 指标说明, 评分标准, 计分方法, 手工得分, 自评得分 (a formula carrying its
value) and 计算过程. Shared by the template builder and the export writer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selfeval_xl.forms.layouts import SCORECARD
from selfeval_xl.scoring.engine import ScoreResult, leaf_formula
from selfeval_xl.scoring.system import System
from selfeval_xl.writers.styles import num, write_headers

C = SCORECARD.col
COL_MANUAL, COL_SCORE, COL_EXPLAIN = C("manual"), C("score"), C("explain")
HEADER_ROW = SCORECARD.header_row  # data starts on the next row


@dataclass
class ScorecardLayout:
    first_row: int  # 0-based first leaf row
    last_row: int
    total_row: int
    grade_row: int


def grade_formula(system: System, total_ref: str) -> str:
    expr = f'"{system.grades[-1][1]}"'
    for threshold, name in reversed(system.grades[:-1]):
        expr = f'IF({total_ref}>={threshold},"{name}",{expr})'
    return "=" + expr


def write_scorecard(ws, fm, system: System, result: ScoreResult | None, manual: dict | None = None,
                    title: str = "绩效评价指标体系评分表") -> ScorecardLayout:
    """Write the tree; with a result, formulas carry the computed scores and 计算过程 is filled."""
    manual = manual or {}
    last_col = len(SCORECARD.columns) - 1
    ws.merge_range(0, 0, 0, last_col, title, fm.title)
    ws.set_row(0, 28)
    write_headers(ws, fm, SCORECARD)
    items = {tuple(i.path): i for i in result.items} if result else {}
    row = HEADER_ROW + 1
    first = row

    def leaves_of(node):
        return [node] if node.leaf else [x for c in node.children for x in leaves_of(c)]

    for root in system.roots:
        r_first = row
        for l2 in root.children or [root]:
            l2_first = row
            for leaf in leaves_of(l2) if l2 is not root else [root]:
                path = (root.name, l2.name, leaf.name) if l2 is not root and leaf is not l2 else (
                    (root.name, l2.name) if l2 is not root else (root.name,))
                if leaf is not l2:
                    ws.write_string(row, C("l3"), leaf.name, fm.text)
                    ws.write_number(row, C("l3_pts"), float(leaf.points), fm.score)
                else:
                    ws.write_blank(row, C("l3"), None, fm.text)
                    ws.write_blank(row, C("l3_pts"), None, fm.score)
                ws.write_string(row, C("explanation"), leaf.explanation, fm.text)
                crit = leaf.criteria + (f"\n【假设】{leaf.assumption}" if leaf.assumption else "")
                ws.write_string(row, C("criteria"), crit, fm.text)
                ws.write_string(row, C("method"), leaf.spec().text(), fm.in_text)
                m = manual.get(path)
                mref = f"{SCORECARD.letter('manual')}{row + 1}"
                if m is None:
                    ws.write_blank(row, COL_MANUAL, None, fm.in_num)
                else:
                    ws.write_number(row, COL_MANUAL, float(m), fm.in_num)
                item = items.get(path)
                value = num(item.score) if item and item.score is not None else 0
                ws.write_formula(row, COL_SCORE, leaf_formula(leaf, mref), fm.score, value)
                ws.write_string(row, COL_EXPLAIN, item.explanation if item else "", fm.text)
                ws.set_row(row, max(30, min(150, 13 * (1 + len(crit) // 26))))
                row += 1
            if l2 is not root:
                _merge(ws, l2_first, row - 1, C("l2"), l2.name, fm.text_center)
                _merge(ws, l2_first, row - 1, C("l2_pts"), float(l2.points), fm.score)
        _merge(ws, r_first, row - 1, C("l1"), root.name, fm.text_center)
        _merge(ws, r_first, row - 1, C("l1_pts"), float(root.points), fm.score)
    last = row - 1
    total = sum((r.points for r in system.roots), Decimal(0))
    ws.write_string(row, C("l1"), "合计", fm.bold_text)
    ws.write_number(row, C("l1_pts"), float(total), fm.bold_score)
    for c in range(2, last_col + 1):
        ws.write_blank(row, c, None, fm.bold_text)
    col = SCORECARD.letter("score")
    ws.write_formula(row, COL_SCORE, f"=SUM({col}{first + 1}:{col}{last + 1})", fm.bold_score,
                     num(result.total) if result else 0)
    if result and result.unscored:
        ws.write_string(row, COL_EXPLAIN, f"尚有 {result.unscored} 分未评分", fm.text)
    ws.write_string(row + 1, C("l1"), "评价等级", fm.bold_text)
    for c in range(1, last_col + 1):
        ws.write_blank(row + 1, c, None, fm.bold_text)
    ws.write_formula(row + 1, COL_SCORE, grade_formula(system, f"{col}{row + 1}"), fm.bold_text,
                     result.grade if result else system.grade(Decimal(0)))
    ws.freeze_panes(HEADER_ROW + 1, 0)
    return ScorecardLayout(first, last, row, row + 1)


def _merge(ws, r0, r1, c, value, fmt):
    if r1 > r0:
        ws.merge_range(r0, c, r1, c, None, fmt)
    if isinstance(value, float):
        ws.write_number(r0, c, value, fmt)
    else:
        ws.write_string(r0, c, value, fmt)
