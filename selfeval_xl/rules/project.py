"""项目支出绩效自评表 (财预〔2020〕10号): the funds block, 执行率 and its score, 分值 and 得分."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.model import ProjectTable
from selfeval_xl.core.money import fmt_figure as m, fmt_pct, fmt_score, pct_points, xround
from selfeval_xl.core.numbers import as_rate
from selfeval_xl.rules.registry import Rule, check, declare
from selfeval_xl.rules.severity import Severity

E = Severity.ERROR
TOL_MONEY = Decimal("0.01")
TOL_PCT = Decimal("0.01")
_FORM = "财预〔2020〕10号 附件 项目支出绩效自评表"

declare(
    Rule("P-FUND-SUM", E, "项目自评表", "年度资金总额的{field} {value} ≠ 本年财政拨款、上年结转、其他资金之和 {expected}，请核对",
         f"{_FORM}：年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金"),
    Rule("P-RATE", E, "项目自评表", "执行率 {rate} ≠ 全年执行数 {spent} ÷ 全年预算数 {budget} = {expected}，请核对",
         f"{_FORM}：执行率 = 全年执行数（B）÷ 全年预算数（A）"),
    Rule("P-EXEC-SCORE", E, "项目自评表", "执行率得分 {score} ≠ min(执行率 {rate}, 100%) × 10 = {expected}，请核对",
         f"{_FORM}：预算执行率得分 = 执行率 × 10，最高 10 分"),
    Rule("P-SCORE-MAX", E, "项目自评表", "“{label}”得分 {score} 超过分值 {points}，请改正", f"{_FORM}：得分不超过分值"),
    Rule("P-POINTS-100", E, "项目自评表", "分值合计（含预算执行率 10 分）为 {total}，应为 100，请调整各指标分值", f"{_FORM}：总分 100"),
)


def _fund(t: ProjectTable, key: str):
    for f in t.funds:
        if key in f.label:
            return f
    return None


@check("P-FUND-SUM")
def _p_fund_sum(t: ProjectTable, ctx):
    total = _fund(t, "年度资金总额")
    subs = [f for f in t.funds if f is not total]
    if total is None or not subs:
        return
    for key, zh in (("plan", "年初预算数"), ("budget", "全年预算数"), ("spent", "全年执行数")):
        if key not in total.cells:
            continue
        exp = sum((s.cells[key].value for s in subs if key in s.cells), Decimal(0))
        if abs(exp - total.cells[key].value) > TOL_MONEY:
            yield total.cells[key].addr, {"field": zh, "value": m(total.cells[key].value), "expected": m(exp)}


def _total_fund(t: ProjectTable, field: str):
    """(全年预算数, 全年执行数, the named cell) of the 年度资金总额 row, or None when any is missing."""
    total = _fund(t, "年度资金总额")
    if total is None or not {field, "budget", "spent"} <= total.cells.keys():
        return None
    return total.cells["budget"].value, total.cells["spent"].value, total.cells[field]


@check("P-RATE")
def _p_rate(t, ctx):
    figures = _total_fund(t, "rate")
    if figures is None:
        return
    a, b, r = figures
    if a == 0 or r.parsed.kind != "number":
        return
    v = as_rate(r.parsed).value
    if abs(pct_points(v) - pct_points(b / a)) > TOL_PCT:
        yield r.addr, {"rate": fmt_pct(v), "spent": m(b), "budget": m(a), "expected": fmt_pct(b / a)}


@check("P-EXEC-SCORE")
def _p_exec(t, ctx):
    figures = _total_fund(t, "score")
    if figures is None:
        return
    a, b, s = figures
    if s.parsed.kind != "number" or s.parsed.raw in ("", None):
        return
    rate = b / a if a else Decimal(0)
    exp = xround(min(rate, Decimal(1)) * 10)
    if abs(s.parsed.value - exp) > TOL_MONEY:
        yield s.addr, {"score": fmt_score(s.parsed.value), "rate": fmt_pct(rate), "expected": fmt_score(exp)}


@check("P-SCORE-MAX")
def _p_score_max(t, ctx):
    for i in t.indicators:
        if i.score and i.points and i.score.parsed.kind == "number" and i.score.value > i.points.value:
            yield i.score.addr, {"label": i.level3, "score": fmt_score(i.score.value), "points": fmt_score(i.points.value)}


@check("P-POINTS-100")
def _p_points(t, ctx):
    pts = [i.points.value for i in t.indicators if i.points]
    if not pts:
        return
    total = _fund(t, "年度资金总额")
    exec_pts = total.cells["points"].value if total and "points" in total.cells else Decimal(10)
    s = sum(pts, Decimal(0)) + exec_pts
    if s != 100:
        first = next(i.points.addr for i in t.indicators if i.points)
        yield first, {"total": fmt_score(s)}
