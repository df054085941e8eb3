"""A checked and scored workbook as one summary record: unit, year, forms, the unit's own total and the rule
total, the 执行率 block, the counts, every finding and the 预警.

The scoring fills ScoreResult.fund, .self_total and each item's .self_score for the forms that have them; where
it does not (yet), the same figures are taken from the model as read (the project form's 年度资金总额 row, its
得分 column and 总分 cell; 表5's 总计 row), so that a batch reports them either way."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.app.batch.alerts import raise_alerts
from selfeval_xl.app.batch.records import FindingRow, Reviewed, Source
from selfeval_xl.core.model import Workbook, figure
from selfeval_xl.rules.finding import counts

_TABLE_NAMES = (("budget", "表5 预算整体支出情况表"), ("goals", "绩效目标完成情况表"), ("project", "项目支出绩效自评表"),
                ("scorecard", "评分表"))


def review(checked, result, source: Source, note: str = "") -> Reviewed:
    """The record of a workbook; result is the ScoreResult, or None when it has no indicator system."""
    from selfeval_xl.scoring.engine import FundScore

    wb = checked.wb
    findings = checked.all_findings
    c = counts(findings)
    pairs = own_scores(wb, result)
    fund = fund_block(wb, result) or FundScore(None, None, None, None, None)
    own = [o for _, o, _ in pairs if o is not None]
    forms = tuple(f.name for f in wb.forms) or tuple(n for attr, n in _TABLE_NAMES if getattr(wb, attr) is not None)
    rec = Reviewed(
        source=source, kind=wb.kind, forms=forms, form_key=tuple(f.form for f in wb.forms) or forms,
        unit=str(wb.info.get("UnitName") or "").strip(), year=year_of(wb),
        project=str(wb.project.header.get("ProjectName", "")).strip() if wb.project else "",
        total=result.total if result is not None else None, grade=result.grade if result is not None else "",
        self_total=self_total(wb, result), self_sum=sum(own, Decimal(0)) if own else None,
        budget=fund.budget, spent=fund.spent, rate=fund.rate, fund_points=fund.points, fund_score=fund.score,
        fund_self_score=fund.self_score, errors=c["error"], warnings=c["warning"], infos=c["info"],
        findings=tuple(FindingRow(f.severity.value, f.rule, f.cell.sheet, f.cell.a1, f.message) for f in findings),
        note=note)
    rec.alerts = tuple(raise_alerts(wb, findings, rec, fund, pairs))
    return rec


def year_of(wb: Workbook) -> str:
    """The 年度 the reader found: the workbook's, or the form's (its title line, such as （2022年度）). Never guessed
    from a project's name or a file's: 隆阳区2021年…项目 is evaluated for 2022."""
    return str(wb.info.get("Year") or (wb.project.header.get("Year") if wb.project else "") or "").strip()


def fund_item(result):
    """The scored item of 预算执行率, or None."""
    if result is None:
        return None
    return next((i for i in result.items if i.path and i.path[-1].endswith("预算执行率")), None)


def fund_block(wb: Workbook, result):
    """The 执行率 block (FundScore): the scoring's, else the project form's 年度资金总额 row or 表5's 总计 row,
    with the points and the rule's score of the 预算执行率 item."""
    from selfeval_xl.scoring.engine import FundScore

    if result is not None and result.fund is not None:
        return result.fund
    item = fund_item(result)
    points, score = (item.max, item.score) if item is not None else (None, None)
    if wb.project is not None:
        row = wb.project.fund("total")
        if row is None:
            return None
        budget, spent = figure(row.cells.get("budget")), figure(row.cells.get("spent"))
        own = row.cells.get("score")
        return FundScore(budget, spent, _rate(budget, spent), figure(row.cells.get("points")) or points, score,
                         figure(own), own.addr if own is not None else None)
    grand = wb.budget.grand() if wb.budget is not None else None
    if grand is None or not grand.readable("total", "spent"):
        return None
    budget, spent = grand.get("total"), grand.get("spent")
    return FundScore(budget, spent, _rate(budget, spent), points, score, None, grand.cells["spent"].addr)


def _rate(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    return None if not budget or spent is None else spent / budget


def own_scores(wb: Workbook, result) -> list[tuple]:
    """(ScoreItem, the unit's own 得分 or None, the cell of that 得分) for every scored item."""
    if result is None:
        return []
    return [(i, i.self_score, i.cell) for i in result.items]  # the scoring keeps each item's own score and cell


def self_total(wb: Workbook, result) -> Decimal | None:
    """The unit's own 总分 as filled: the scoring's, else the form's 总分 cell or the 评分表's 合计 as read."""
    if result is not None and result.self_total is not None:
        return result.self_total
    if wb.project is not None:
        return figure(wb.project.total_score)
    return figure(wb.scorecard.own_total) if wb.scorecard is not None else None
