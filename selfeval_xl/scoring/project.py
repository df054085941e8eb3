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


def score_project(table, system):
    """ScoreResult for a 项目支出绩效自评表 under national-project: 执行率 + one leaf per 绩效指标 row."""
    from selfeval_xl.rules.registry import finding
    from selfeval_xl.scoring.engine import ScoreItem, ScoreResult

    items, findings = [], []
    total = next((f for f in table.funds if "年度资金总额" in f.label), None)
    a = total.cells["budget"].value if total and "budget" in total.cells else Decimal(0)
    b = total.cells["spent"].value if total and "spent" in total.cells else Decimal(0)
    m = REGISTRY["执行率"]
    out = m.compute(Args(m, Part("执行率", {"执行数": str(b), "预算数": str(a), "分": "10", "名称": "预算执行率"}), Ctx()))
    items.append(ScoreItem(["预算执行率"], Decimal(10), xround(out.score), "执行率(分=10)", out.explain,
                           total.row if total else None))
    for ind in table.indicators:
        pts = ind.points.value if ind.points else Decimal(0)
        man = ind.manual.value if ind.manual and ind.manual.parsed.kind == "number" and ind.manual.parsed.raw not in (None, "") else None
        o = indicator_outcome(ind.nature, ind.target, ind.actual, pts, man, ind.level3)
        cell = ind.score.addr if ind.score else next(iter(ind.addr.values()))
        findings.extend(finding(rule_id, cell, params) for rule_id, params in o.problems)
        method = "定性(手工)" if ind.nature == "定性" else f"目标({ind.nature or '≥'})"
        items.append(ScoreItem([ind.level1, ind.level2, ind.level3], pts, None if o.score is None else xround(o.score),
                               method, o.explain, ind.row, o.unscored))
    return ScoreResult(system, items, findings)
