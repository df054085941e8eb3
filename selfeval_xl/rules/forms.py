"""Checks of the performance forms (项目支出绩效自评表 and the provincial forms): the unit's own figures and scores
checked against the arithmetic and the scoring rules (scoring/form_rules.py), never replaced. Every finding is at
the cell that shows the figure, with both numbers and what to do."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.model import Cell, ProjectTable, figure
from selfeval_xl.core.money import fmt_figure as m, fmt_pct, fmt_score, xround
from selfeval_xl.rules.registry import Rule, check, declare
from selfeval_xl.rules.severity import Severity
from selfeval_xl.scoring import form_rules as fr

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
T = "项目自评表"
_10N = fr._10N
TOL_MONEY = Decimal("0.01")
TOL_SCORE = Decimal("0.01")

declare(
    Rule("F-NO-SPENT", E, T, "{label} 的执行数为空，执行率却填 {rate}{score}：请填写全年执行数，执行率与得分按 执行数 ÷ 预算数 计算",
         _10N),
    Rule("F-FUND-ZERO", E, T, "年度资金总额的全年预算数为 {value}，而“{sub}”为 {sub_budget} / {sub_spent}：总额行应为各项之和，执行率和得分应按 "
                             "{sub_spent} ÷ {sub_budget} = {rate} 计算", _10N),
    Rule("F-OVERSPENT", W, T, "{label} 全年执行数 {spent} 超过全年预算数 {budget}（执行率 {rate}），请核对执行数或说明原因", _10N),
    Rule("F-REASON", W, T, "预算执行率 {rate} 低于 {below}，请在“原因”中说明", "四川省 部门预算项目支出绩效自评表：执行率未达到 90% 的需说明原因"),
    Rule("F-SCORE-BLANK", W, T, "{what}未填写（应为 {expected}），请填写得分", _10N),
    Rule("F-TOTAL", E, T, "总分 {total} ≠ 各项得分之和 {expected}（{parts}），请核对总分或各项得分", _10N),
    Rule("F-LEVEL-POINTS", E, T, "“{label}”标明 {declared} 分，其下各项{what}合计 {actual} 分，请核对分值", _10N),
    Rule("F-EXEC-ROW", E, T, "“{label}”完成 {actual}（100% 及以上），得分 {score} 低于分值 {points}：执行率达到 100% 应得满分", _10N),
    Rule("F-QUANT", W, T, "“{label}”得分 {score}，按{rule}应为 {expected}（{how}），请核对得分或在偏差原因中说明", _10N),
    Rule("S-SELF-HIGH", W, T, "“{label}”未达到目标（指标值 {target}，完成值 {actual}）却得满分 {score}：自评虚高，请按完成程度扣分并说明偏差原因",
         _10N),
    Rule("F-DOCKED", W, T, "“{label}”已达到目标（指标值 {target}，完成值 {actual}）但得分 {score} 低于分值 {points}，且未写偏差原因：请说明扣分理由或给满分",
         _10N),
    Rule("F-QUAL-BAND", W, T, "“{label}”为定性指标，完成情况“{actual}”属于“{tier}”档，得分应在 {lo}–{hi} 之间，而填写 {score}", _10N),
    Rule("F-COEF", E, T, "“{label}”指标得分 {score} ≠ 得分系数 {coef} × 指标权重 {points} = {expected}，请核对", "重庆市 部门整体绩效自评表"),
    Rule("F-GRADE", E, T, "评价等级“{grade}”与总分 {total} 不符，按优 ≥ 90、良 80–90、中 60–80、差 < 60 应为“{expected}”", _10N),
    Rule("S-OVERSCORE", W, T, "红色预警：绩效指标得分率 {ind} 高出预算执行得分率 {exe} {diff} 个百分点（超过 {limit}），得分与资金使用不匹配，请核实各项得分",
         "预算管理一体化系统绩效自评审核口径：指标得分率高于预算执行得分率 5 个百分点以上"),
    Rule("S-UNSPENT", W, T, "黄色预警：预算执行率 {rate}，{unspent} 的预算未使用（超过 {limit}），请说明原因", "预算管理一体化系统绩效自评审核口径"),
    Rule("F-TARGET-LOW", I, T, "“{label}”完成值 {actual} 超出指标值 {target} 达 {over}：目标值设置偏低，明年可适当提高", _10N),
    Rule("F-UNCOMPARABLE", I, T, "“{label}”{why}，未按规则核对得分", _10N),
    Rule("F-NUM", W, T, "{field}填写为文字“{text}”，此处应为数字：Excel 的公式会忽略文字，请改为数字", _10N),
)
FIELD_ZH = {"plan": "年初预算数", "budget": "全年预算数", "spent": "全年执行数", "rate": "执行率", "points": "分值", "score": "得分"}


@check("F-NUM")
def _text_in_numbers(t: ProjectTable, ctx):
    for f in t.funds:
        for key, cell in f.cells.items():
            if cell.parsed.kind == "text":
                yield cell.addr, {"field": f"{f.label or '资金'} {FIELD_ZH.get(key, key)}", "text": str(cell.parsed.raw)}
    for i in t.indicators:
        for key, cell in (("points", i.points), ("score", i.score)):
            if cell is not None and cell.parsed.kind == "text":
                yield cell.addr, {"field": f"“{i.name}”的{FIELD_ZH[key]}", "text": str(cell.parsed.raw)}


def assessment(t: ProjectTable, ctx: dict) -> fr.FormAssessment:
    """The form's assessment under its rule set, made once per run."""
    cache = ctx.setdefault("_form_assessments", {})
    if id(t) not in cache:
        from selfeval_xl.forms.catalogue import BY_ID, GENERIC

        spec = BY_ID.get(t.form, GENERIC)
        rules = fr.ruleset_for(spec.rules, ctx.get("rules"))
        cache[id(t)] = fr.assess(t, rules, spec.funds_points)
    return cache[id(t)]


def _places(cell: Cell) -> int:
    """The decimals a rate shows: from its text (98%) or its number format (0.00%); 2 when unknown."""
    raw = cell.parsed.raw
    if isinstance(raw, str) and "%" in raw:
        digits = raw.strip().rstrip("%").strip()
        return len(digits.split(".", 1)[1]) if "." in digits else 0
    places = getattr(cell, "places", None)
    return 2 if places is None else places


def _same_rate(shown: Cell, value: Decimal) -> bool:
    from selfeval_xl.core.numbers import as_rate

    p = as_rate(shown.parsed)
    n = _places(shown)
    return xround(p.value * 100, n) == xround(value * 100, n)


def differs(own: Decimal, rule: Decimal) -> bool:
    """The unit's score against the rule's, at the decimals the unit wrote (8.6 against 8.62 agrees; a whole 9 is
    taken as exact and compared at 2 decimals)."""
    exp = own.as_tuple().exponent
    places = min(-exp, 2) if isinstance(exp, int) and exp < 0 else 2
    return xround(rule, places) != xround(own, places)


def _pct(value: Decimal, places: int = 2) -> str:
    return f"{xround(value * 100, places):.{places}f}%"


# ---------------------------------------------------------------- the funds block

@check("F-FUND-ZERO")
def _fund_zero(t: ProjectTable, ctx):
    fa = assessment(t, ctx).fund
    if fa is None or fa.row is fa.shown_row:
        return
    cell = fa.shown_row.cells.get("budget")
    if cell is not None:
        yield cell.addr, {"value": m(figure(cell) or Decimal(0)), "sub": fa.row.label, "sub_budget": m(fa.budget),
                          "sub_spent": m(fa.spent), "rate": fmt_pct(fa.rate) if fa.rate is not None else "（无法计算）"}


@check("F-NO-SPENT")
def _no_spent(t: ProjectTable, ctx):
    for f in t.funds:
        rate, spent = f.cells.get("rate"), f.cells.get("spent")
        if rate is None or figure(rate) in (None, Decimal(0)) or (spent is not None and figure(spent) is not None):
            continue
        where = spent.addr if spent is not None else rate.addr
        score = figure(f.cells.get("score"))
        yield where, {"label": f.label or "年度资金总额", "rate": fmt_pct(figure(rate)),
                      "score": f"、得分 {fmt_score(score)}" if score is not None else ""}


@check("F-OVERSPENT")
def _overspent(t: ProjectTable, ctx):
    f = t.fund("total")
    if f is None:
        return
    a, b = figure(f.cells.get("budget")), figure(f.cells.get("spent"))
    if a and b is not None and b - a > TOL_MONEY:
        yield f.cells["spent"].addr, {"label": f.label or "年度资金总额", "spent": m(b), "budget": m(a), "rate": fmt_pct(b / a)}


@check("F-REASON")
def _reason(t: ProjectTable, ctx):
    fa = assessment(t, ctx).fund
    below = assessment(t, ctx).rules.reason_below
    if fa is None or below is None or fa.rate is None or fa.rate >= below or fa.shown_row.reason.strip():
        return
    if not fa.shown_row.reason_addr:
        return
    yield fa.shown_row.reason_addr, {"rate": fmt_pct(fa.rate), "below": fmt_pct(below)}


@check("F-SCORE-BLANK")
def _score_blank(t: ProjectTable, ctx):
    fa = assessment(t, ctx).fund
    if fa is not None and "score" in fa.shown_row.cells and fa.shown_row.cells["score"].parsed.kind == "blank" \
            and fa.score is not None and ("points" in fa.shown_row.cells or t.funds_points is not None):
        yield fa.shown_row.cells["score"].addr, {"what": "预算执行率得分", "expected": fmt_score(xround(fa.score))}
    if t.total_score is not None and t.total_score.parsed.kind == "blank":
        yield t.total_score.addr, {"what": "总分", "expected": "各项得分之和"}


# ---------------------------------------------------------------- totals and points

def _own_scores(t: ProjectTable, ctx) -> tuple[list[Decimal], list[str]]:
    fa = assessment(t, ctx)
    kids = fr.children(t.indicators)
    values, parts = [], []
    if fa.fund is not None and figure(fa.fund.self_score) is not None:
        values.append(figure(fa.fund.self_score))
        parts.append(f"预算执行 {fmt_score(values[-1])}")
    for a in fa.rows:
        if a.self_score is not None and a.row.row not in kids:
            values.append(a.self_score)
    if len(values) > len(parts):
        parts.append(f"指标 {fmt_score(sum(values[len(parts):], Decimal(0)))}")
    return values, parts


@check("F-TOTAL")
def _total(t: ProjectTable, ctx):
    total = figure(t.total_score)
    if total is None:
        return
    values, parts = _own_scores(t, ctx)
    if not values:
        return
    s = sum(values, Decimal(0))
    if abs(s - total) > TOL_SCORE:
        yield t.total_score.addr, {"total": fmt_score(total), "expected": fmt_score(s), "parts": " + ".join(parts)}


@check("F-LEVEL-POINTS")
def _level_points(t: ProjectTable, ctx):
    by_row = {a.row.row: a for a in assessment(t, ctx).rows}
    kids = fr.children(t.indicators)
    has_points = "points" in t.indicator_columns
    for d in t.declared:
        rows = [by_row[r] for r in d.rows if r in by_row and r not in kids]
        if has_points:
            got = [a.points for a in rows if a.points is not None]
            if got and sum(got, Decimal(0)) != d.points:
                yield d.addr, {"label": d.label, "declared": fmt_score(d.points), "what": "分值", "actual": fmt_score(sum(got, Decimal(0)))}
        else:
            got = [a.self_score for a in rows if a.self_score is not None]
            if got and sum(got, Decimal(0)) > d.points:
                yield d.addr, {"label": d.label, "declared": fmt_score(d.points), "what": "得分", "actual": fmt_score(sum(got, Decimal(0)))}


@check("F-GRADE")
def _grade(t: ProjectTable, ctx):
    total = figure(t.total_score)
    g = (t.grade or "").strip()
    if total is None or not g or t.grade_addr is None:
        return
    expected = fr.grade_of(total)
    words = {"优秀": "优", "良好": "良", "合格": "中", "不合格": "差"}
    if words.get(g, g) != expected:
        yield t.grade_addr, {"grade": g, "total": fmt_score(total), "expected": expected}


# ---------------------------------------------------------------- the rows

@check("F-EXEC-ROW")
def _exec_row(t: ProjectTable, ctx):
    for a in assessment(t, ctx).rows:
        if fr._is_exec_row(a.row) and a.met and a.points is not None and a.self_score is not None \
                and a.self_score < a.points and a.row.score is not None:
            yield a.row.score.addr, {"label": a.row.name, "actual": fr._s(a.row.actual), "score": fmt_score(a.self_score),
                                     "points": fmt_score(a.points)}


def _reasoned(a: fr.RowAssessment) -> bool:
    r = (a.row.reason or "").strip()
    return bool(r) and r not in ("无", "/", "-", "—", "0")


@check("S-SELF-HIGH")
def _self_high(t: ProjectTable, ctx):
    for a in assessment(t, ctx).rows:
        if a.met is False and a.points is not None and a.self_score is not None and a.self_score >= a.points \
                and a.row.score is not None:
            yield a.row.score.addr, {"label": a.row.name, "target": fr._s(a.row.goal), "actual": fr._s(a.row.actual),
                                     "score": fmt_score(a.self_score)}


@check("F-DOCKED")
def _docked(t: ProjectTable, ctx):
    for a in assessment(t, ctx).rows:
        if fr._is_exec_row(a.row):
            continue  # F-EXEC-ROW says it more precisely
        if a.met and a.points is not None and a.self_score is not None and a.self_score < a.points \
                and not _reasoned(a) and a.row.score is not None:
            yield a.row.score.addr, {"label": a.row.name, "target": fr._s(a.row.goal), "actual": fr._s(a.row.actual),
                                     "score": fmt_score(a.self_score), "points": fmt_score(a.points)}


@check("F-QUANT")
def _quant(t: ProjectTable, ctx):
    kids = fr.children(t.indicators)
    for a in assessment(t, ctx).rows:
        if a.kind != "quant" or a.score is None or a.self_score is None or a.row.row in kids or a.row.score is None:
            continue
        if a.met is False and a.self_score >= (a.points or 0):
            continue  # S-SELF-HIGH
        if a.met and a.self_score < (a.points or 0):
            continue  # F-DOCKED (or explained)
        if _reasoned(a):
            continue  # the unit explained why its score departs from the rule
        expected = xround(a.score)
        if differs(a.self_score, a.score):
            yield a.row.score.addr, {"label": a.row.name, "score": fmt_score(a.self_score), "rule": fr.RULES[a.rule].text,
                                     "expected": fmt_score(expected), "how": a.explanation}


@check("F-QUAL-BAND")
def _qual_band(t: ProjectTable, ctx):
    for a in assessment(t, ctx).rows:
        if a.kind != "qual" or a.band is None or a.self_score is None or a.row.score is None:
            continue
        lo, hi = a.band
        if a.self_score < xround(lo) - TOL_SCORE or a.self_score > xround(hi) + TOL_SCORE:
            yield a.row.score.addr, {"label": a.row.name, "actual": fr._s(a.row.actual), "tier": a.attainment,
                                     "lo": fmt_score(xround(lo)), "hi": fmt_score(xround(hi)), "score": fmt_score(a.self_score)}


@check("F-COEF")
def _coef(t: ProjectTable, ctx):
    for a in assessment(t, ctx).rows:
        coef = figure(a.row.coef)
        if coef is None or a.points is None or a.self_score is None:
            continue
        from selfeval_xl.core.numbers import as_rate

        c = as_rate(a.row.coef.parsed).value
        expected = xround(c * a.points)
        if differs(a.self_score, c * a.points):
            yield a.row.score.addr, {"label": a.row.name, "score": fmt_score(a.self_score), "coef": fmt_pct(c),
                                     "points": fmt_score(a.points), "expected": fmt_score(expected)}


@check("F-TARGET-LOW")
def _target_low(t: ProjectTable, ctx):
    fa = assessment(t, ctx)
    for a in fa.rows:
        if a.excess is not None and a.excess > fa.rules.target_low and "actual" in a.row.addr:
            yield a.row.addr["actual"], {"label": a.row.name, "actual": fr._s(a.row.actual), "target": fr._s(a.row.goal),
                                         "over": _pct(a.excess, 0)}


@check("F-UNCOMPARABLE")
def _uncomparable(t: ProjectTable, ctx):
    for a in assessment(t, ctx).rows:
        if a.kind in ("uncomparable", "empty") and a.points is not None and a.row.level3:
            where = a.row.addr.get("actual") or a.row.addr.get("target") or next(iter(a.row.addr.values()))
            yield where, {"label": a.row.name, "why": a.explanation}


# ---------------------------------------------------------------- 预警

@check("S-OVERSCORE")
def _overscore(t: ProjectTable, ctx):
    fa = assessment(t, ctx)
    if fa.fund is None or fa.fund.points == 0:
        return
    exe_score = fa.fund.score if fa.fund.score is not None else figure(fa.fund.self_score)
    kids = fr.children(t.indicators)
    rows = [a for a in fa.rows if a.points is not None and a.self_score is not None and a.row.row not in kids]
    ind = fr.share([a.self_score for a in rows], [a.points for a in rows])
    if ind is None and t.declared:  # a form without 分值: the points are its blocks', such as 年度绩效目标（80分）
        scored = [a.self_score for a in fa.rows if a.self_score is not None and a.row.row not in kids]
        outer = [d for d in t.declared if not any(set(d.rows) < set(o.rows) for o in t.declared)]
        ind = fr.share(scored, [d.points for d in outer]) if scored else None
    if exe_score is None or ind is None:
        return
    exe = exe_score / fa.fund.points
    diff = (ind - exe) * 100
    if diff > fa.rules.overscore:
        cells = fa.fund.shown_row.cells
        where = t.total_score.addr if t.total_score is not None else (fa.fund.self_score.addr if fa.fund.self_score else
                                                                       cells[next(iter(cells))].addr)
        yield where, {"ind": _pct(ind), "exe": _pct(exe), "diff": f"{xround(diff, 2)}", "limit": f"{fmt_score(fa.rules.overscore)} 个百分点"}


@check("S-UNSPENT")
def _unspent(t: ProjectTable, ctx):
    fa = assessment(t, ctx)
    if fa.fund is None or fa.fund.rate is None:
        return
    unspent = 1 - fa.fund.rate
    if unspent > fa.rules.unspent:
        cells = fa.fund.shown_row.cells
        where = (cells.get("rate") or cells.get("spent") or cells.get("budget")).addr
        yield where, {"rate": fmt_pct(fa.fund.rate), "unspent": fmt_pct(unspent), "limit": fmt_pct(fa.rules.unspent)}
