"""The funds block and the points of a performance form (财预〔2020〕10号 and its variants): 年度资金总额 = Σ 其中,
执行率 = B ÷ A as shown, the 执行率得分 by the form's rule, 得分 ≤ 分值, Σ分值 = 100."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.model import ProjectTable, figure
from selfeval_xl.core.money import fmt_figure as m, fmt_pct, fmt_score, xround
from selfeval_xl.core.numbers import as_rate
from selfeval_xl.rules.forms import _pct, _places, _same_rate, assessment, differs
from selfeval_xl.rules.registry import Rule, check, declare
from selfeval_xl.rules.severity import Severity
from selfeval_xl.scoring import form_rules as fr

E = Severity.ERROR
TOL_MONEY = Decimal("0.01")
TOL_SCORE = Decimal("0.01")
_FORM = "财预〔2020〕10号 附件 项目支出绩效自评表"
FIELD_ZH = {"plan": "年初预算数", "budget": "全年预算数", "spent": "全年执行数"}

declare(
    Rule("P-FUND-SUM", E, "项目自评表", "年度资金总额的{field} {value} ≠ 其中各项之和 {expected}（{parts}），请核对",
         f"{_FORM}：年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金"),
    Rule("P-RATE", E, "项目自评表", "执行率 {rate} ≠ 全年执行数 {spent} ÷ 全年预算数 {budget} = {expected}，请核对",
         f"{_FORM}：执行率 = 全年执行数（B）÷ 全年预算数（A）"),
    Rule("P-EXEC-SCORE", E, "项目自评表", "执行率得分 {score} ≠ {rule}：{how} = {expected}，请核对", f"{_FORM}：预算执行率得分"),
    Rule("P-SCORE-MAX", E, "项目自评表", "“{label}”得分 {score} 超过分值 {points}，请改正", f"{_FORM}：得分不超过分值"),
    Rule("P-POINTS-100", E, "项目自评表", "分值合计（含预算执行率 {exec_points} 分）为 {total}，应为 100，请调整各指标分值",
         f"{_FORM}：总分 100"),
)
SUB_KEYS = ("fiscal", "carry", "special", "unit", "other")


@check("P-FUND-SUM")
def _p_fund_sum(t: ProjectTable, ctx):
    total = t.fund("total")
    subs = [f for f in t.funds if f.key in SUB_KEYS]
    if total is None or not subs:
        return
    for key in ("plan", "budget", "spent"):
        cell = total.cells.get(key)
        figures = [(s, figure(s.cells.get(key))) for s in subs]
        figures = [(s, v) for s, v in figures if v is not None]
        if cell is None or not figures:
            continue
        value = figure(cell) or Decimal(0)
        exp = sum((v for _, v in figures), Decimal(0))
        if abs(exp - value) > TOL_MONEY:
            parts = " + ".join(f"{s.label.replace('其中：', '').replace('其中:', '').strip()} {m(v)}" for s, v in figures)
            yield cell.addr, {"field": FIELD_ZH[key], "value": m(value), "expected": m(exp), "parts": parts}


@check("P-RATE")
def _p_rate(t: ProjectTable, ctx):
    fa = assessment(t, ctx).fund
    for f in t.funds:
        cell = f.cells.get("rate")
        if cell is None or figure(cell) is None:
            continue  # blank, or "-" for not applicable
        a, b = figure(f.cells.get("budget")), figure(f.cells.get("spent"))
        if fa is not None and f is fa.shown_row and fa.row is not f:
            a, b = fa.budget, fa.spent  # the total row left at 0: its rate should be the sub-row's
        if not a or b is None:
            continue
        if not _same_rate(cell, b / a):
            n = max(_places(cell), 2)
            yield cell.addr, {"rate": _pct(as_rate(cell.parsed).value, _places(cell)), "spent": m(b), "budget": m(a),
                              "expected": _pct(b / a, n)}


@check("P-EXEC-SCORE")
def _p_exec(t: ProjectTable, ctx):
    fa = assessment(t, ctx)
    fund = fa.fund
    if fund is None:
        return
    rule = fr.RULES[fund.rule]
    for f in t.funds:
        own = figure(f.cells.get("score"))
        if own is None or (f is not fund.shown_row and f.key == "part"):
            continue
        if f is fund.shown_row:
            rate, expected = fund.rate, fund.score
        else:
            a, b = figure(f.cells.get("budget")), figure(f.cells.get("spent"))
            rate = None if not a or b is None else b / a
            expected = fr.exec_score(rate, fund.points, fa.rules)
        if expected is None:
            continue
        if differs(own, expected):
            expected = xround(expected)
            how = f"执行率 {fmt_pct(rate)} × {fmt_score(fund.points)}" + ("（最高按 100% 计）" if rate > 1 and fa.rules.exec != "uncapped" else "")
            yield f.cells["score"].addr, {"score": fmt_score(own), "rule": rule.text, "how": how, "expected": fmt_score(expected)}


@check("P-SCORE-MAX")
def _p_score_max(t: ProjectTable, ctx):
    for i in t.indicators:
        s, p = figure(i.score), figure(i.points)
        if s is not None and p is not None and s > p:
            yield i.score.addr, {"label": i.level3, "score": fmt_score(s), "points": fmt_score(p)}


@check("P-POINTS-100")
def _p_points(t: ProjectTable, ctx):
    if t.total_score is None and t.total_points is None:
        return  # no 总分 row: the table may not be complete
    fa = assessment(t, ctx)
    kids = fr.children(t.indicators)
    pts = [a.points for a in fa.rows if a.points is not None and a.row.row not in kids]
    if not pts:
        return
    exec_points = fa.fund.points if fa.fund is not None else Decimal(0)
    s = sum(pts, Decimal(0)) + exec_points
    if s != 100:
        where = (t.total_points or t.total_score).addr
        yield where, {"total": fmt_score(s), "exec_points": fmt_score(exec_points)}
