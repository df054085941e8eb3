"""The export's printed 评分表 and the 计分方法 sheet beside it.

评分表: title with the 年度, the unit's name, 一级/二级 merged down their rows, 三级, each with its 分值, 评分标准
in full, the unit's own score beside the rule's (marked where they differ), 计算过程, 合计, 评价等级, and the
signature block. It prints on A4 landscape at 100 % (the widths of forms/print_layouts.CARD fit the page), with
rows as tall as their wrapped text and the header row repeated on every page.

计分方法 holds the method of each item and the judgement scores (手工得分) that the rule's formulas on 评分表
read, so the method syntax stays off the printed page."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.money import fmt_score
from selfeval_xl.core.record import record
from selfeval_xl.scoring.engine import ScoreItem, ScoreResult, leaf_formula
from selfeval_xl.writers import textfit
from selfeval_xl.writers.cellmap import CellMap
from selfeval_xl.forms.print_layouts import CARD, METHODS, PROJECT_CARD, SIGNATURES
from selfeval_xl.writers.scorecard import card_rows, criteria_text, grade_formula, merge_down, spans, write_l3
from selfeval_xl.writers.styles import num, print_setup, printable_height, write_headers

MISMATCH = Decimal("0.005")  # scores are shown with 2 decimals
TITLE_HEIGHT, UNIT_HEIGHT = 30, 20


@record
class Manual:
    """A judgement score as the unit's sheet holds it, and where."""

    value: Decimal | None
    cell: CellAddress | None


@record
class CardContext:
    wb: object
    fm: object
    result: ScoreResult
    info: dict
    cmap: CellMap
    manual: dict[tuple[str, ...], Manual]  # by item path
    self_total_cell: CellAddress | None = None  # the unit's 总分 / 合计 cell
    page_header: str = ""  # a draft's mark, on every page
    own_grade: str = ""  # the 评价等级 as the unit wrote it


def manual_ref(k: int) -> str:
    """The 计分方法 cell holding the k-th scored item's 手工得分 (write_methods' row k), as the 评分表 formulas
    name it."""
    return f"'{METHODS.name}'!${METHODS.letter('manual')}${METHODS.header_row + 2 + k}"


def card_title(ctx: CardContext, base: str) -> str:
    year = str(ctx.info.get("Year") or "").strip()
    return f"{year} 年度{base}" if year else base


def write_dept_card(ctx: CardContext, title: str) -> None:
    """The printed 评分表 of an indicator tree; the rule's scores are formulas over 基础数据 and 计分方法."""
    ws, fm, result, lay = ctx.wb.add_worksheet(CARD.name), ctx.fm, ctx.result, CARD
    C, widths = lay.col, lay.widths
    _head(ws, ctx, lay, title)
    items = {tuple(i.path): i for i in result.items}
    on_methods = {tuple(i.path): k for k, i in enumerate(result.items)}  # write_methods' rows, in items order
    rows = card_rows(result.system)
    first = lay.header_row + 1
    alone = {level: {a for a, b, _ in spans(rows, level) if a == b} for level in ("root", "l2")}
    heights = []
    for k, cr in enumerate(rows):
        r0, leaf, item = first + k, cr.leaf, items.get(cr.path)
        write_l3(ws, r0, C("l3"), C("l3_pts"), cr, fm.text, fm.points)
        crit = criteria_text(leaf)
        ws.write_string(r0, C("criteria"), crit, fm.text)
        k_methods = on_methods.get(cr.path)
        explain = _scores(ws, ctx, lay, r0, item, leaf_formula(leaf, "0" if k_methods is None else manual_ref(k_methods)))
        texts = [(crit, widths[C("criteria")]), (explain, widths[C("explain")]), (leaf.name, widths[C("l3")])]
        if k in alone["root"]:
            texts.append((cr.root.name, widths[C("l1")]))
        if k in alone["l2"]:
            texts.append((cr.l2.name, widths[C("l2")]))
        heights.append(textfit.row_height(texts, minimum=24))
        ws.set_row(r0, heights[-1])
    # 一级/二级 names are merged down their rows page by page (as estimated), so each printed page names them.
    starts = textfit.page_starts(heights, TITLE_HEIGHT + UNIT_HEIGHT, _header_height(lay),
                                 printable_height(ctx.page_header))
    for level, name_col, pts_col in (("l2", "l2", "l2_pts"), ("root", "l1", "l1_pts")):
        for a, b, node in spans(rows, level):
            cuts = [a] + sorted(i for i in starts if a < i <= b) + [b + 1]
            for lo, hi in zip(cuts, cuts[1:]):
                merge_down(ws, first + lo, first + hi - 1, C(name_col), node.name, fm.text_top)
                merge_down(ws, first + lo, first + hi - 1, C(pts_col), float(node.points), fm.points_top)
    total_points = sum((r.points for r in result.system.roots), Decimal(0))
    _totals(ws, ctx, lay, first, first + len(rows), total_points, grade_formula)
    print_setup(ws, (lay.header_row, lay.header_row), header=ctx.page_header)


def write_project_card(ctx: CardContext, title: str) -> None:
    """The printed 评分表 of a project form: one row per scored item."""
    ws, fm, result, lay = ctx.wb.add_worksheet(PROJECT_CARD.name), ctx.fm, ctx.result, PROJECT_CARD
    C, widths = lay.col, lay.widths
    _head(ws, ctx, lay, title)
    first = lay.header_row + 1
    for k, item in enumerate(result.items):
        r0 = first + k
        path = (list(item.path) + ["", "", ""])[:3]
        for key, text in zip(("level1", "level2", "level3"), path):
            ws.write_string(r0, C(key), text, fm.text)
        ws.write_number(r0, C("points"), float(item.max), fm.points)
        explain = _scores(ws, ctx, lay, r0, item, None)
        ws.set_row(r0, textfit.row_height([(explain, widths[C("explain")]), (path[2], widths[C("level3")]),
                                           (path[1], widths[C("level2")])], minimum=24))
    total_points = sum((i.max for i in result.items), Decimal(0))
    _totals(ws, ctx, lay, first, first + len(result.items), total_points, None)
    print_setup(ws, (lay.header_row, lay.header_row), header=ctx.page_header)


def write_methods(ctx: CardContext) -> None:
    """计分方法: each item's path, 分值, 指标说明, method and 手工得分 (the cells the 评分表 formulas read)."""
    ws, fm, lay = ctx.wb.add_worksheet(METHODS.name), ctx.fm, METHODS
    C, widths = lay.col, lay.widths
    ws.merge_range(0, 0, 0, len(lay.columns) - 1, lay.title, fm.title)
    ws.set_row(0, 28)
    write_headers(ws, fm, lay)
    leaves = {tuple(p): leaf for p, leaf in ctx.result.system.leaves()}
    for k, item in enumerate(ctx.result.items):
        r0 = lay.header_row + 1 + k
        path = " / ".join(p for p in item.path if p)
        leaf = leaves.get(tuple(item.path))
        explanation = leaf.explanation if leaf else ""
        ws.write_string(r0, C("path"), path, fm.text)
        ws.write_number(r0, C("points"), float(item.max), fm.points)
        ws.write_string(r0, C("explanation"), explanation, fm.text)
        ws.write_string(r0, C("method"), item.method, fm.text)
        m = ctx.manual.get(tuple(item.path))
        if m is not None and m.value is not None:
            ws.write_number(r0, C("manual"), float(m.value), fm.in_num)
            ctx.cmap.add(m.cell, lay.name, r0, C("manual"))
        else:
            ws.write_blank(r0, C("manual"), None, fm.in_num)
        ws.set_row(r0, textfit.row_height([(path, widths[C("path")]), (explanation, widths[C("explanation")]),
                                           (item.method, widths[C("method")])]))
    print_setup(ws, (lay.header_row, lay.header_row), header=ctx.page_header)


def _header_height(lay) -> float:
    return textfit.row_height([(c.header, c.width) for c in lay.columns], minimum=20)


def _head(ws, ctx: CardContext, lay, title: str) -> None:
    fm, last = ctx.fm, len(lay.columns) - 1
    ws.merge_range(0, 0, 0, last, card_title(ctx, title), fm.title)
    ws.set_row(0, TITLE_HEIGHT)
    unit = str(ctx.info.get("UnitName") or "").strip()
    ws.merge_range(1, 0, 1, last, f"单位名称：{unit}", fm.plain)
    ws.set_row(1, UNIT_HEIGHT)
    write_headers(ws, fm, lay)
    ws.set_row(lay.header_row, _header_height(lay))


def _scores(ws, ctx: CardContext, lay, r0: int, item: ScoreItem | None, formula: str | None) -> str:
    """The unit's score and the rule's side by side; returns the 计算过程 written (with the difference)."""
    fm, C = ctx.fm, lay.col
    own = item.self_score if item else None
    rule = item.score if item else None
    if own is None:
        ws.write_blank(r0, C("self"), None, fm.score)
    else:
        ws.write_number(r0, C("self"), float(own), fm.score)
        ctx.cmap.add(item.cell, lay.name, r0, C("self"))
    differs = own is not None and rule is not None and abs(own - rule) > MISMATCH
    fmt = fm.differs if differs else fm.score
    if formula:
        ws.write_formula(r0, C("score"), formula, fmt, num(rule) if rule is not None else 0)
    elif rule is None:
        ws.write_blank(r0, C("score"), None, fmt)
    else:
        ws.write_number(r0, C("score"), float(rule), fmt)
    explain = item.explanation if item else ""
    if differs:
        explain = f"单位自评 {fmt_score(own)} 分，按规则应为 {fmt_score(rule)} 分。{explain}"
    ws.write_string(r0, C("explain"), explain, fm.text)
    return explain


def _totals(ws, ctx: CardContext, lay, first: int, row: int, points: Decimal, grade) -> None:
    """合计 and 评价等级 for both columns, then the signature block."""
    fm, C, result = ctx.fm, lay.col, ctx.result
    for r, label in ((row, f"合计（满分 {fmt_score(points)}）"), (row + 1, "评价等级")):
        ws.merge_range(r, 0, r, C("self") - 1, label, fm.bold_text)
        ws.set_row(r, 22)
    S, O = lay.letter("score"), lay.letter("self")
    own = result.self_total
    if own is not None:
        ws.write_number(row, C("self"), float(own), fm.bold_score)
        ctx.cmap.add(ctx.self_total_cell, lay.name, row, C("self"))
    elif result.self_sum is not None:
        ws.write_formula(row, C("self"), f"=SUM({O}{first + 1}:{O}{row})", fm.bold_score, float(result.self_sum))
        own = result.self_sum
    else:
        ws.write_blank(row, C("self"), None, fm.bold_score)
    ws.write_formula(row, C("score"), f"=SUM({S}{first + 1}:{S}{row})", fm.bold_score, num(result.total))
    note = f"尚有 {fmt_score(result.unscored)} 分未评分" if result.unscored else ""
    ws.write_string(row, C("explain"), note, fm.text)
    system = result.system
    own_grade = ctx.own_grade or (system.grade(own) if own is not None else "")
    ws.write_string(row + 1, C("self"), own_grade, fm.bold_center)
    if grade:
        ws.write_formula(row + 1, C("score"), grade(system, f"{S}{row + 1}"), fm.bold_center, result.grade)
    else:
        ws.write_string(row + 1, C("score"), result.grade, fm.bold_center)
    ws.write_blank(row + 1, C("explain"), None, fm.text)
    _signatures(ws, ctx, lay, row + 3)


def _signatures(ws, ctx: CardContext, lay, row: int) -> None:
    """填报人、审核人、单位负责人; 填报日期、单位（盖章）: three blocks across the page, room to sign."""
    fm, last = ctx.fm, len(lay.columns) - 1
    mid, own = lay.col("criteria" if lay is CARD else "level3"), lay.col("self")
    blocks = ((0, mid - 1), (mid, own - 1), (own, last))
    preparer = str(ctx.info.get("Preparer") or "").strip()
    for k, labels in enumerate(SIGNATURES):
        r = row + k
        ws.set_row(r, 36)
        for (c0, c1), label in zip(blocks, labels):
            if not label:
                continue
            text = f"{label}：{preparer}" if label == "填报人" and preparer else \
                f"{label}：       年     月     日" if label == "填报日期" else f"{label}："
            if c1 > c0:
                ws.merge_range(r, c0, r, c1, text, fm.sign)
            else:
                ws.write_string(r, c0, text, fm.sign)

