"""The layouts of the export's printed sheets, declared once with forms/layouts.py's classes: the printed
评分表 and the 计分方法 sheet kept apart from it (they exist only in exports; no reader looks for them), and the
print widths of the sheets the export shares with the templates (same columns, narrower).

Widths: each landscape sheet's columns add up to at most 128 characters (MAX_PRINT_WIDTH), so that it fits A4 landscape at 100 %
in Excel (10 pt text) and still at 82 % or more where a spreadsheet program lacks Calibri's metrics and draws
each character unit a third wider (LibreOffice with DejaVu Sans): its 10 pt text never prints below 8 pt."""

from __future__ import annotations

from selfeval_xl.core.record import replace
from selfeval_xl.forms.layouts import BUDGET5, FINDINGS, GOALS, PROJECT_INDICATORS, Column, SheetLayout

MAX_PRINT_WIDTH = 128  # characters of the default font across a landscape page


def narrowed(layout: SheetLayout, **widths: float) -> SheetLayout:
    """The same layout (names, columns, positions) with the print widths given by column key."""
    cols = tuple(replace(c, width=widths.get(c.key, c.width)) for c in layout.columns)
    return SheetLayout(layout.name, layout.title, cols, layout.header_row)


BUDGET5_PRINT = narrowed(BUDGET5, category=9, item=19, budget=9.5, carry=9, added=8.5, adjust=8.5, total=9.5,
                         spent=9.5, remaining=9, rate=9.5, reason=19, kind=6)
GOALS_PRINT = narrowed(GOALS, level1=8, level2=10, level3=34, target=14, actual=14, note=40)
FINDINGS_PRINT = narrowed(FINDINGS, severity=6, rule=12, cell=18, message=88)
# The funds block shares these columns: 全年预算数 sits under 指标性质, 全年执行数 under 年度指标值.
PROJECT_FORM_PRINT = narrowed(PROJECT_INDICATORS, level1=10, level2=11, level3=18, nature=11, target=11, unit=6,
                              actual=10, points=6, score=7, note=28, manual=0)

# The printed 评分表 of a dept workbook: 一级/二级 merged down their rows.
CARD = SheetLayout("评分表", "部门整体支出绩效自评评分表", (
    Column("l1", "一级指标", 8),
    Column("l1_pts", "分值", 5),
    Column("l2", "二级指标", 8),
    Column("l2_pts", "分值", 5),
    Column("l3", "三级指标", 10),
    Column("l3_pts", "分值", 5),
    Column("criteria", "评分标准", 46),
    Column("self", "单位自评得分", 6.5),
    Column("score", "按规则得分", 6.5),
    Column("explain", "计算过程", 28),
), header_row=2)

# The printed 评分表 of a project workbook: one row per scored item.
PROJECT_CARD = SheetLayout("评分表", "项目支出绩效自评评分表", (
    Column("level1", "一级指标", 10),
    Column("level2", "二级指标", 12),
    Column("level3", "三级指标", 26),
    Column("points", "分值", 6),
    Column("self", "单位自评得分", 7),
    Column("score", "按规则得分", 7),
    Column("explain", "计算过程", 54),
), header_row=2)

# 计分方法: the method of each item and the judgement scores the 评分表 formulas read, for the people who
# maintain indicator systems (kept off the printed 评分表).
METHODS = SheetLayout("计分方法", "计分方法与手工得分（供维护指标体系者核对）", (
    Column("path", "指标", 28),
    Column("points", "分值", 6),
    Column("explanation", "指标说明", 40),
    Column("method", "计分方法", 45),
    Column("manual", "手工得分", 8),
), header_row=1)

SIGNATURES = (("填报人", "审核人", "单位负责人"), ("填报日期", "", "单位（盖章）"))
