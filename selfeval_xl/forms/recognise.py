"""Which forms a workbook holds (for every command's report), and — when none is recognised — the closest form
of the catalogue and the header it could not find, for a one-line message that says what to fix."""

from __future__ import annotations

from selfeval_xl.core.model import FormMatch, Workbook
from selfeval_xl.core.record import record
from selfeval_xl.forms.layouts import BUDGET5, GOALS
from selfeval_xl.sources.grid import Grid

SCAN = 40


@record(frozen=True)
class Need:
    """A form's headers, each a group of synonyms any one of which will do."""

    name: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (what the message calls it, its synonyms)


def needs() -> tuple[Need, ...]:
    """What each form needs, for the message of a workbook none was recognised in (built on that rare path: the
    catalogue is not imported to read a 表5)."""
    from selfeval_xl.forms import catalogue as cat

    return (
        Need("表5 预算整体支出情况表", (
            ("预算项目", BUDGET5.synonyms("item")["item"] + BUDGET5.synonyms("category")["category"]),
            ("年度总指标", BUDGET5.synonyms("total")["total"]), ("支出数", BUDGET5.synonyms("spent")["spent"]))),
        Need("项目支出绩效自评表（或省级部门整体/项目支出自评表）", (
            ("一级指标或三级指标", cat.INDICATOR_COLUMNS["level1"] + cat.INDICATOR_COLUMNS["level3"]),
            ("年度指标值", cat.INDICATOR_COLUMNS["target"]), ("实际完成值", cat.INDICATOR_COLUMNS["actual"]),
            ("分值或得分", cat.INDICATOR_COLUMNS["points"] + cat.INDICATOR_COLUMNS["score"]))),
        Need("绩效目标完成情况表", (
            ("三级指标", GOALS.synonyms("level3")["level3"]), ("指标值", GOALS.synonyms("target")["target"]),
            ("完成值", GOALS.synonyms("actual")["actual"]))),
        Need("评分表", (("一级指标", ("一级指标",)), ("二级指标", ("二级指标", "三级指标")),
                     ("自评得分", ("自评得分", "得分", "计分方法")))),
    )


def forms_found(wb: Workbook) -> list[FormMatch]:
    """The forms read from the workbook, where they sit."""
    out = []
    if wb.budget is not None:
        out.append(FormMatch("budget5", "表5 预算整体支出情况表", wb.budget.sheet, wb.budget.header_row))
    if wb.project is not None:
        from selfeval_xl.forms import catalogue as cat

        spec = cat.BY_ID.get(wb.project.form, cat.GENERIC)
        out.append(FormMatch(spec.id, spec.name, wb.project.sheet, wb.project.header_row or 1))
    if wb.goals is not None:
        first = wb.goals.rows[0].row - 1 if wb.goals.rows else 1
        out.append(FormMatch("goals", "绩效目标完成情况表", wb.goals.sheet, first))
    if wb.scorecard is not None:
        out.append(FormMatch("scorecard", "评分表", wb.scorecard.sheet, wb.scorecard.header_row))
    return out


def closest(grids: list[Grid]) -> str:
    """'最接近…，但没有找到…' for a workbook where no form was recognised."""
    from selfeval_xl.forms import catalogue as cat

    best = None  # (found, need, sheet, row, missing)
    wanted = needs()
    for g in grids:
        for r in range(min(SCAN, g.height)):
            texts = {cat.key_text(v) for v in g.row(r) if isinstance(v, str)}
            if not texts:
                continue
            for need in wanted:
                hit = [label for label, words in need.groups if texts & set(words)]
                if not hit:
                    continue
                missing = [label for label, _ in need.groups if label not in hit]
                if not missing:  # every header there, yet the reader refused it: no column to name
                    continue
                key = (len(hit), -len(missing))
                if best is None or key > best[0]:
                    best = (key, need, g.name, r + 1, missing)
    if best is None or best[0][0] < 2:
        return "没有找到可识别的表格：请确认工作簿含 表5（预算整体支出情况表）、项目支出绩效自评表 或 评分表，且表头含“年度总指标”“一级指标”“得分”等列名"
    _, need, sheet, row, missing = best
    lack = "、".join(f"“{m}”" for m in missing)
    return f"最接近的是{need.name}（工作表“{sheet}”第 {row} 行），但没有找到{lack}列：请按该表的表头补齐后再试"
