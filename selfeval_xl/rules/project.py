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
_FUJIAN = "福建 部门整体支出绩效自评表 财政资金安排和使用情况（资金结构）"
FIELD_ZH = {"plan": "年初预算数", "budget": "全年预算数", "spent": "全年执行数", "rate": "执行率"}
# the columns of Fujian's 资金结构 block, by the names its header gives them
FUJIAN_ZH = {"plan": "年初部门预算安排金额", "carry_in": "历年结余结转", "adjust": "年中调整金额", "budget": "小计",
             "spent": "年度拨付金额", "rate": "支出实现率", "remaining": "本年度结余金额", "remaining_rate": "资金结余率"}
MONEY_KEYS = ("plan", "carry_in", "adjust", "budget", "spent", "remaining")


def _name(t: ProjectTable, key: str) -> str:
    """A funds column as the table's header calls it."""
    fujian = "remaining" in t.fund_columns or "adjust" in t.fund_columns
    return FUJIAN_ZH[key] if fujian or key not in FIELD_ZH else FIELD_ZH[key]

declare(
    Rule("P-FUND-SUM", E, "项目自评表", "年度资金总额的{field} {value} ≠ 其中各项之和 {expected}（{parts}），请核对",
         f"{_FORM}：年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金"),
    Rule("P-FUND-NATURE", E, "项目自评表", "{name} {value}{how}，请核对",
         "部门整体支出绩效自评表：按收入性质分、按支出性质分各项之和 = 年度资金总额"),
    Rule("P-FUND-PARTS", E, "项目自评表", "“{label}”的{field} {value} ≠ 其下各项之和 {expected}（{parts}），请核对",
         f"{_FUJIAN}：小计 = 其下各项之和"),
    Rule("P-FUND-CALC", E, "项目自评表", "“{label}”的{field} {value} ≠ {how} = {expected}，请核对",
         f"{_FUJIAN}：表头所列 ③=①+②（或 ④=①+②+③）、⑥=③-④、⑦=⑥/③"),
    Rule("P-RATE", E, "项目自评表", "{rate_name} {rate} ≠ {spent_name} {spent} ÷ {budget_name} {budget} = {expected}，请核对",
         f"{_FORM}：执行率 = 全年执行数（B）÷ 全年预算数（A）"),
    Rule("P-EXEC-SCORE", E, "项目自评表", "执行率得分 {score} ≠ {rule}：{how} = {expected}，请核对", f"{_FORM}：预算执行率得分"),
    Rule("P-SCORE-MAX", E, "项目自评表", "“{label}”得分 {score} 超过分值 {points}，请改正", f"{_FORM}：得分不超过分值"),
    Rule("P-POINTS-100", E, "项目自评表", "分值合计{exec_points}为 {total}，应为 100，请调整各指标分值",
         f"{_FORM}：总分 100"),
)
SUB_KEYS = ("fiscal", "carry", "special", "unit", "other")


@check("P-FUND-SUM")
def _p_fund_sum(t: ProjectTable, ctx):
    total = t.fund("total")
    subs = [f for f in t.funds if f.key in SUB_KEYS]
    if total is None or not subs:
        return
    yield from _sums_off(t, total, subs)


def _sums_off(t: ProjectTable, whole, parts):
    """(cell, parameters) for every money figure of the whole row that is not the sum of the parts' figures."""
    for key in MONEY_KEYS:
        cell = whole.cells.get(key)
        figures = [(s, figure(s.cells.get(key))) for s in parts]
        figures = [(s, v) for s, v in figures if v is not None]
        if cell is None or not figures:
            continue
        value = figure(cell) or Decimal(0)
        exp = sum((v for _, v in figures), Decimal(0))
        if abs(exp - value) > TOL_MONEY:
            listed = " + ".join(f"{s.label.replace('其中：', '').replace('其中:', '').strip()} {m(v)}" for s, v in figures)
            yield cell.addr, {"label": whole.label, "field": _name(t, key), "value": m(value), "expected": m(exp),
                              "parts": listed}


@check("P-FUND-NATURE")
def _p_fund_nature(t: ProjectTable, ctx):
    """按收入性质分 / 按支出性质分: the parts add up to the stated split, and the split to 年度资金总额's 全年预算数."""
    total = t.fund("total")
    budget = figure(total.cells.get("budget")) if total is not None else None
    for b in t.breakdowns:
        parts = sum((v for _, v, _ in b.parts), Decimal(0))
        listed = " + ".join(f"{label} {m(v)}" for label, v, _ in b.parts)
        if b.total is not None and b.parts and abs(parts - b.total) > TOL_MONEY:
            yield b.addr, {"name": b.name, "value": m(b.total), "how": f" ≠ 其中各项之和 {m(parts)}（{listed}）"}
            continue
        value = b.total if b.total is not None else (parts if b.parts else None)
        if value is not None and budget is not None and abs(value - budget) > TOL_MONEY:
            how = f"（{listed}）" if b.total is None else ""
            yield b.addr, {"name": b.name, "value": m(value),
                           "how": f"{how} ≠ 年度资金总额的全年预算数 {m(budget)}（差 {m(budget - value)}）"}


@check("P-FUND-PARTS")
def _p_fund_parts(t: ProjectTable, ctx):
    for whole in t.funds:
        parts = [f for f in t.funds if f.group == whole.row]
        if parts:
            yield from _sums_off(t, whole, parts)


@check("P-FUND-CALC")
def _p_fund_calc(t: ProjectTable, ctx):
    """Each row of Fujian's block as its header computes it: 小计, 结余, 结余率."""
    for f in t.funds:
        v = {k: figure(f.cells.get(k)) for k in FUJIAN_ZH}
        if v["budget"] is not None and "adjust" in t.fund_columns and v["plan"] is not None:
            terms = [k for k in ("plan", "carry_in", "adjust") if k in t.fund_columns]
            exp = sum((v[k] or Decimal(0) for k in terms), Decimal(0))
            if abs(exp - v["budget"]) > TOL_MONEY:
                how = " + ".join(f"{FUJIAN_ZH[k]} {m(v[k] or Decimal(0))}" for k in terms)
                yield f.cells["budget"].addr, _calc(f, "budget", v["budget"], how, m(exp))
        if None not in (v["remaining"], v["budget"], v["spent"]):
            exp = v["budget"] - v["spent"]
            if abs(exp - v["remaining"]) > TOL_MONEY:
                how = f"小计 {m(v['budget'])} − 年度拨付金额 {m(v['spent'])}"
                yield f.cells["remaining"].addr, _calc(f, "remaining", v["remaining"], how, m(exp))
        shown = f.cells.get("remaining_rate")
        if shown is not None and None not in (v["remaining_rate"], v["remaining"]) and v["budget"]:
            exp = v["remaining"] / v["budget"]
            if not _same_rate(shown, exp):
                how = f"本年度结余金额 {m(v['remaining'])} ÷ 小计 {m(v['budget'])}"
                yield shown.addr, {**_calc(f, "remaining_rate", None, how, _pct(exp, max(_places(shown), 2))),
                                   "value": _pct(as_rate(shown.parsed).value, _places(shown))}


def _calc(f, key: str, value, how: str, expected: str) -> dict:
    return {"label": f.label, "field": FUJIAN_ZH[key], "value": "" if value is None else m(value), "how": how,
            "expected": expected}


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
                              "expected": _pct(b / a, n), **{f"{k}_name": _name(t, k) for k in ("rate", "spent", "budget")}}


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
        yield where, {"total": fmt_score(s),
                      "exec_points": f"（含预算执行率 {fmt_score(exec_points)} 分）" if fa.fund is not None else ""}
