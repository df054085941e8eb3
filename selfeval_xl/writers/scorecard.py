"""Write a 评分表 in seed 001's 附件1 layout: merged 一级/二级 cells with their 分值,
三级 and 分值, 指标说明, 评分标准, 计分方法, 手工得分, 自评得分 (a formula carrying its
value) and 计算过程 — the templates' live configuration. The indicator tree walk (card_rows, spans) and the
texts (criteria_text, generic_title) are shared with the export's printed 评分表 (writers/print_card.py)."""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_xl.core.record import record
from selfeval_xl.forms.layouts import SCORECARD
from selfeval_xl.scoring.engine import ScoreResult, leaf_formula
from selfeval_xl.scoring.system import Indicator, System
from selfeval_xl.writers import textfit
from selfeval_xl.writers.styles import num, write_headers

C = SCORECARD.col
COL_MANUAL, COL_SCORE, COL_EXPLAIN = C("manual"), C("score"), C("explain")
HEADER_ROW = SCORECARD.header_row  # data starts on the next row


@record(frozen=True)
class CardRow:
    """One scored row of an indicator tree: its path, its 一级 (root), its 二级 (None when the root is itself the
    leaf) and the leaf; l3 is the leaf when it sits below a 二级."""

    path: tuple[str, ...]
    root: Indicator
    l2: Indicator | None
    leaf: Indicator

    @property
    def l3(self) -> Indicator | None:
        return self.leaf if self.l2 is not None and self.leaf is not self.l2 else None


def card_rows(system: System) -> list[CardRow]:
    """The leaves in sheet order; leaves deeper than 三级 are listed under their 二级."""

    def leaves_of(node):
        return [node] if node.leaf else [x for c in node.children for x in leaves_of(c)]

    out = []
    for root in system.roots:
        if root.leaf:
            out.append(CardRow((root.name,), root, None, root))
            continue
        for l2 in root.children:
            for leaf in leaves_of(l2):
                path = (root.name, l2.name) if leaf is l2 else (root.name, l2.name, leaf.name)
                out.append(CardRow(path, root, l2, leaf))
    return out


def spans(rows: list[CardRow], level: str) -> list[tuple[int, int, Indicator]]:
    """(first index, last index, node) of each run of rows sharing their root (level "root") or 二级 ("l2")."""
    out: list[tuple[int, int, Indicator]] = []
    for i, r in enumerate(rows):
        node = getattr(r, level)
        if node is None:
            continue
        if out and out[-1][2] is node and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i, node)
        else:
            out.append((i, i, node))
    return out


YEAR_PREFIX = re.compile(r"^\s*(?:19|20)\d\d\s*年度?\s*")


def generic_title(title: str, fallback: str) -> str:
    """A system's title without a leading year ("2020 年度…" → "…"): the year comes from the workbook."""
    t = YEAR_PREFIX.sub("", title or "").strip()
    return t or fallback


def criteria_text(leaf: Indicator, note: str = "") -> str:
    """评分标准 as printed: the criteria, the indicator system's own 口径 note, and a workbook's own note."""
    text = leaf.criteria
    if leaf.assumption:
        text += f"\n【口径】{leaf.assumption}"
    if note:
        text += f"\n【假设】{note}"
    return text


def grade_formula(system: System, total_ref: str) -> str:
    expr = f'"{system.grades[-1][1]}"'
    for threshold, name in reversed(system.grades[:-1]):
        expr = f'IF({total_ref}>={threshold},"{name}",{expr})'
    return "=" + expr


def write_scorecard(ws, fm, system: System, result: ScoreResult | None, manual: dict | None = None,
                    title: str = "绩效评价指标体系评分表", notes: dict | None = None) -> None:
    """Write the tree; with a result, formulas carry the computed scores and 计算过程 is filled. title is a
    text, or (formula, value) for a title that follows the workbook's 年度; notes maps a path to a workbook's
    own note (the example's 【假设】 texts)."""
    manual, notes = manual or {}, notes or {}
    last_col = len(SCORECARD.columns) - 1
    if isinstance(title, tuple):
        ws.merge_range(0, 0, 0, last_col, None, fm.title)
        ws.write_formula(0, 0, title[0], fm.title, title[1])
    else:
        ws.merge_range(0, 0, 0, last_col, title, fm.title)
    ws.set_row(0, 28)
    write_headers(ws, fm, SCORECARD)
    items = {tuple(i.path): i for i in result.items} if result else {}
    first = HEADER_ROW + 1
    rows = card_rows(system)
    widths = SCORECARD.widths
    for k, cr in enumerate(rows):
        row, leaf = first + k, cr.leaf
        write_l3(ws, row, C("l3"), C("l3_pts"), cr, fm.text, fm.score)
        ws.write_string(row, C("explanation"), leaf.explanation, fm.text)
        crit = criteria_text(leaf, notes.get("/".join(cr.path), ""))
        ws.write_string(row, C("criteria"), crit, fm.text)
        ws.write_string(row, C("method"), leaf.spec().text(), fm.in_text)
        m = manual.get(cr.path)
        mref = f"{SCORECARD.letter('manual')}{row + 1}"
        if m is None:
            ws.write_blank(row, COL_MANUAL, None, fm.in_num)
        else:
            ws.write_number(row, COL_MANUAL, float(m), fm.in_num)
        item = items.get(cr.path)
        value = num(item.score) if item and item.score is not None else 0
        ws.write_formula(row, COL_SCORE, leaf_formula(leaf, mref), fm.score, value)
        explain = item.explanation if item else ""
        ws.write_string(row, COL_EXPLAIN, explain, fm.text)
        ws.set_row(row, textfit.row_height([(crit, widths[C("criteria")]), (leaf.explanation, widths[C("explanation")]),
                                            (explain, widths[COL_EXPLAIN]), (leaf.name, widths[C("l3")])], minimum=30))
    for a, b, node in spans(rows, "l2"):
        merge_down(ws, first + a, first + b, C("l2"), node.name, fm.text_center)
        merge_down(ws, first + a, first + b, C("l2_pts"), float(node.points), fm.score)
    for a, b, node in spans(rows, "root"):
        merge_down(ws, first + a, first + b, C("l1"), node.name, fm.text_center)
        merge_down(ws, first + a, first + b, C("l1_pts"), float(node.points), fm.score)
    row = first + len(rows)
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


def write_l3(ws, row: int, name_col: int, pts_col: int, cr: CardRow, text_fmt, pts_fmt) -> None:
    """The 三级指标 and its 分值, or two blank cells when the row's leaf is a 二级 or a 一级."""
    if cr.l3 is not None:
        ws.write_string(row, name_col, cr.l3.name, text_fmt)
        ws.write_number(row, pts_col, float(cr.l3.points), pts_fmt)
    else:
        ws.write_blank(row, name_col, None, text_fmt)
        ws.write_blank(row, pts_col, None, pts_fmt)


def merge_down(ws, r0, r1, c, value, fmt):
    """A value in column c over rows r0..r1 (merged when more than one)."""
    if r1 > r0:
        ws.merge_range(r0, c, r1, c, None, fmt)
    if isinstance(value, float):
        ws.write_number(r0, c, value, fmt)
    else:
        ws.write_string(r0, c, value, fmt)
