"""Every sheet layout, declared once: column keys, header texts, widths and the other header texts people use
for the same column. The template builder, the export writer and the reader all take positions from here, so a
column moved here moves everywhere (and nowhere else knows where things sit)."""

from __future__ import annotations

from selfeval_xl.core.address import col_letter
from selfeval_xl.core.record import record

STAMP_SHEET = "_selfeval"  # the hidden sheet that marks our templates (template kind, version, table positions)
# 校验's sheets in a checked workbook (app/marking.py): the very hidden marks sheet, recognised by MARKER in A1,
# names in B1 the results sheet it made. Readers leave both out.
RESULT_SHEET = "校验结果"
MARKS_SHEET = "_selfeval_marks"
MARKER = "selfeval-xl 校验标记 v1"


MARKS_HEADER = ("sheet", "cell", "fill", "note")  # the marks sheet's first row before MARKER existed


def marks_of(grid, names) -> tuple[str | None, int] | None:
    """When grid is 校验's marks sheet (very hidden, MARKER in A1; or one written before the marker existed):
    (the results sheet it made, when still among names; the row its remembered marks start at), else None."""
    if not grid.hidden or not grid.name.startswith(MARKS_SHEET):
        return None
    first = [str(v) if v is not None else "" for v in grid.row(0)]
    if first[:1] == [MARKER]:
        return (first[1] if len(first) > 1 and first[1] in names else None), 2
    if grid.name == MARKS_SHEET and tuple(first[:4]) == MARKS_HEADER:  # before the marker: its 校验结果 was ours
        return (RESULT_SHEET if RESULT_SHEET in names else None), 1
    return None


def marking_sheets(grids) -> set[str]:
    """The names of the sheets 校验 added to this workbook (its marks sheet and the results sheet it names)."""
    names = {g.name for g in grids}
    out = set()
    for g in grids:
        found = marks_of(g, names)
        if found is not None:
            out.add(g.name)
            if found[0]:
                out.add(found[0])
    return out


@record(frozen=True)
class Column:
    key: str
    header: str
    width: float
    synonyms: tuple[str, ...] = ()  # other headers for this column in people's own workbooks


@record(frozen=True)
class SheetLayout:
    name: str  # the sheet's name in our workbooks
    title: str
    columns: tuple[Column, ...]
    header_row: int = 1  # 0-based row of the column headers

    def col(self, key: str) -> int:
        """0-based column of a key."""
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def letter(self, key: str) -> str:
        """Excel column letter of a key: 'G' for 表5's total."""
        return col_letter(self.col(key) + 1)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def widths(self) -> tuple[float, ...]:
        return tuple(c.width for c in self.columns)

    def synonyms(self, *keys: str) -> dict[str, tuple[str, ...]]:
        """{key: (header, *synonyms)} in column order, for the header matcher; all keys when none are named."""
        return {c.key: (c.header, *c.synonyms) for c in self.columns if not keys or c.key in keys}


BUDGET5 = SheetLayout("表5", "表5 预算整体支出情况表", (
    Column("category", "分类", 14, ("支出分类", "类别")),
    Column("item", "预算项目", 30, ("项目名称", "项目")),
    Column("budget", "部门预算指标", 13, ("年初预算数", "年初预算", "年初预算指标")),
    Column("carry", "上年/历年结转", 13, ("上年结转", "历年结转", "结转")),
    Column("added", "追加指标", 12, ("追加",)),
    Column("adjust", "调整指标", 12, ("调整", "调剂")),
    Column("total", "年度总指标", 13, ("调整后预算数", "全年预算数", "调整后年度总指标")),
    Column("spent", "支出数", 13, ("执行数", "全年执行数", "实际支出", "实际支出数")),
    Column("remaining", "剩余指标", 12, ("剩余", "结余")),
    Column("rate", "执行进度", 10, ("执行率", "预算执行率")),
    Column("reason", "执行率差额原因", 44, ("差额原因", "偏差原因", "原因说明")),
    Column("kind", "行类型", 7),
), header_row=2)

GOALS = SheetLayout("绩效目标", "绩效目标完成情况表", (
    Column("level1", "一级指标", 12),
    Column("level2", "二级指标", 16),
    Column("level3", "三级指标", 40),
    Column("target", "指标值", 18, ("年度指标值", "预期指标值", "目标值", "绩效目标值")),
    Column("actual", "完成值", 18, ("实际完成值", "实际完成指标值", "实际值", "实施进度")),
    Column("note", "完成偏差说明", 44, ("偏差说明", "偏差原因分析及改进措施", "偏差原因", "未完成原因")),
))

# The indicator block of the 项目支出绩效自评表 (财预〔2020〕10号 layout, plus our 定性得分 input column).
PROJECT_INDICATORS = SheetLayout("项目支出绩效自评表", "项目支出绩效自评表", (
    Column("level1", "一级指标", 12),
    Column("level2", "二级指标", 14),
    Column("level3", "三级指标", 26),
    Column("nature", "指标性质", 8),
    Column("target", "年度指标值", 12, ("指标值", "预期指标值", "目标值")),
    Column("unit", "度量单位", 8, ("计量单位",)),
    Column("actual", "实际完成值", 12, ("完成值", "实际完成指标值", "实际值")),
    Column("points", "分值", 7),
    Column("score", "得分", 8),
    Column("note", "偏差原因分析及改进措施", 36, ("完成偏差说明", "偏差说明", "偏差原因")),
    Column("manual", "定性得分", 9),
))

# The funds block of the same form, on the same columns (their widths are PROJECT_INDICATORS'): a label
# spanning two columns, then the figures.
PROJECT_FUNDS = SheetLayout("项目支出绩效自评表", "项目资金（万元）", (
    Column("label", "项目资金（万元）", 0),
    Column("label2", "", 0),
    Column("plan", "年初预算数", 0),
    Column("budget", "全年预算数", 0),
    Column("spent", "全年执行数", 0),
    Column("points", "分值", 0),
    Column("rate", "执行率", 0),
    Column("score", "得分", 0),
), header_row=5)

SCORECARD = SheetLayout("评分表", "绩效评价指标体系评分表", (
    Column("l1", "一级指标", 10),
    Column("l1_pts", "分值", 6),
    Column("l2", "二级指标", 10),
    Column("l2_pts", "分值", 6),
    Column("l3", "三级指标", 16),
    Column("l3_pts", "分值", 6),
    Column("explanation", "指标说明", 34),
    Column("criteria", "评分标准", 46),
    Column("method", "计分方法", 30),
    Column("manual", "手工得分", 9),
    Column("score", "自评得分", 9),
    Column("explain", "计算过程", 40),
))

BASIC_INPUTS = SheetLayout("基础数据", "基础数据（自动计分所需）", (
    Column("label", "项目", 30),
    Column("value", "数值", 14),
    Column("unit", "单位", 8),
    Column("meaning", "说明", 50),
))

# The export's 基础数据: the values the 评分表 formulas use, with their defined names.
BASIC_EXPORT = SheetLayout("基础数据", "基础数据", (
    Column("label", "项目", 32),
    Column("value", "数值", 14),
    Column("unit", "单位", 8),
    Column("name", "名称", 20),
), header_row=0)

FINDINGS = SheetLayout("问题清单", "问题清单", (
    Column("severity", "级别", 8),
    Column("rule", "规则", 14),
    Column("cell", "单元格", 14),
    Column("message", "说明", 100),
), header_row=0)
