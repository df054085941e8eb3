"""national-project scoring of a 项目支出绩效自评表: 预算执行率 (10) plus one leaf per 绩效指标 row."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.money import xround
from selfeval_xl.core.numbers import parse_number, to_decimal
from selfeval_xl.scoring.methods import REGISTRY, Args, Ctx, Outcome
from selfeval_xl.scoring.spec import Part


def _dec(v) -> Decimal:
    p = parse_number(v)
    return p.value if p.kind == "number" else Decimal(0)


def indicator_outcome(nature: str, target, actual, points: Decimal, manual: Decimal | None, label: str) -> Outcome:
    """Score one 绩效指标 row with the registered 目标 or 定性 method."""
    nature = (nature or "").strip()
    if points == 0 and not str(target or "").strip():
        return Outcome(Decimal(0), "")
    if nature == "定性":
        m = REGISTRY["定性"]
        return m.compute(Args(m, Part("定性", {"分": str(points), "名称": label}),
                              Ctx(manual=manual, texts={"actual": str(actual or "")})))
    if target in (None, "") or actual in (None, ""):
        return Outcome(Decimal(0), f"{label}：指标值或完成值未填写，得 0 分",
                       [("S-EMPTY", {"label": label})])
    m = REGISTRY["目标"]
    tt = _as_text(target, nature)
    at = _as_text(actual, "")
    return m.compute(Args(m, Part("目标", {"性质": nature or "≥", "分": str(points), "名称": label}),
                          Ctx(texts={"target": tt, "actual": at})))


def _as_text(v, nature: str) -> str:
    """Numbers from cells become text the target parser reads; fractions ≤ 1.5 stay numbers."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{nature if nature in ('≥', '≤', '=') else ''}{to_decimal(v)}"
    return str(v)


def indicator_formula(R: int) -> str:
    """The Excel formula of a row's 得分 in the template (性质, 指标值, 完成值, 分值 and 定性得分 columns)."""
    from selfeval_xl.forms.layouts import PROJECT_INDICATORS

    N, T, A, P, Q = (f"{PROJECT_INDICATORS.letter(k)}{R}" for k in ("nature", "target", "actual", "points", "manual"))
    m = REGISTRY["目标"]
    tf = m.formula(Args(m, Part("目标", {"分": P}), Ctx(refs={"性质": N, "指标值": T, "完成值": A})))
    q = REGISTRY["定性"].formula(Args(REGISTRY["定性"], Part("定性", {"分": P}), Ctx(manual_ref=Q)))
    return f'=ROUND(IF({N}="定性",{q},IF({T}="",0,IF({A}="",0,{tf}))),2)'


def score_indicator_row(ind: dict, R: int) -> tuple[Decimal, str]:
    """(presented score, formula) for one row written by the template builder."""
    pts = _dec(ind.get("points"))
    man = ind.get("manual")
    out = indicator_outcome(ind.get("nature", ""), ind.get("target"), ind.get("actual"), pts,
                            None if man in (None, "") else _dec(man), ind.get("level3", ""))
    return xround(out.score or Decimal(0)), indicator_formula(R)


def score_form(table, system, overrides: dict | None = None):
    """ScoreResult of a performance form under its rules (scoring/form_rules.py): the 预算执行 item and one item
    per 绩效指标 row, each with the unit's own score beside the rule's; the sheet's 总分 as self_total."""
    from selfeval_xl.core.model import figure
    from selfeval_xl.core.money import fmt_score
    from selfeval_xl.forms.catalogue import BY_ID, GENERIC
    from selfeval_xl.rules.registry import finding
    from selfeval_xl.scoring import form_rules as fr
    from selfeval_xl.scoring.engine import FundScore, ScoreItem, ScoreResult

    spec = BY_ID.get(table.form, GENERIC)
    rules = fr.ruleset_for(spec.rules, overrides)
    fa = fr.assess(table, rules, spec.funds_points)
    kids = fr.children(table.indicators)
    items, findings = [], []
    fund = None
    if fa.fund is not None:
        f = fa.fund
        own = figure(f.self_score)
        fund = FundScore(f.budget, f.spent, f.rate, f.points, None if f.score is None else xround(f.score), own,
                         f.self_score.addr if f.self_score is not None else None)
        rate = "（无法计算）" if f.rate is None else f"{xround(f.rate * 100, 2)}%"
        items.append(ScoreItem(["预算执行率"], f.points, fund.score, f.rule,
                               f"执行率 {rate} × {fmt_score(f.points)}" + (" = " + fmt_score(fund.score) if fund.score is not None else ""),
                               f.shown_row.row, self_score=own, cell=fund.cell, rule=f.rule))
    no_points = "points" not in table.indicator_columns
    for a in fa.rows:
        if a.row.row in kids:
            continue
        if a.points is None:
            if not (no_points and a.self_score is not None):
                continue
            # the form prints no 分值 per row (the 20-point forms): the unit's score is all there is to count
            items.append(ScoreItem([a.row.level1, a.row.level2, a.row.level3], a.self_score, a.self_score, "",
                                   "；".join(x for x in (a.explanation, "表中未列分值，按自评得分计") if x), a.row.row, self_score=a.self_score,
                                   cell=a.row.score.addr if a.row.score is not None else None))
            continue
        value = fr.rule_figure(a)
        text = a.explanation
        if a.band is not None:
            text += f"；定性“{a.attainment}”档 {fmt_score(xround(a.band[0]))}–{fmt_score(xround(a.band[1]))} 分"
        elif a.score is not None:
            text += f"；得分 {fmt_score(xround(a.score))}"
        unscored = Decimal(0)
        if value is None:
            unscored = a.points
            where = a.row.score.addr if a.row.score is not None else next(iter(a.row.addr.values()))
            findings.append(finding("S-MANUAL", where, {"label": a.row.level3, "lo": "0", "hi": fmt_score(a.points),
                                                         "column": "得分"}))
        items.append(ScoreItem([a.row.level1, a.row.level2, a.row.level3], a.points,
                               None if value is None else xround(value), a.rule, text, a.row.row, unscored,
                               self_score=a.self_score, cell=a.row.score.addr if a.row.score is not None else None,
                               rule=a.rule))
    result = ScoreResult(system, items, findings, figure(table.total_score), fund)
    return result
