"""national-project scoring of a 项目支出绩效自评表: 预算执行率 (10) plus one leaf per 绩效指标 row."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.money import xround
from selfeval_xl.core.numbers import parse_number
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
                       [("warning", f"{label} 的年度指标值或实际完成值未填写，请补充")])
    m = REGISTRY["目标"]
    tt = _as_text(target, nature)
    at = _as_text(actual, "")
    return m.compute(Args(m, Part("目标", {"性质": nature or "≥", "分": str(points), "名称": label}),
                          Ctx(texts={"target": tt, "actual": at})))


def _as_text(v, nature: str) -> str:
    """Numbers from cells become text the target parser reads; fractions ≤ 1.5 stay numbers."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{nature if nature in ('≥', '≤', '=') else ''}{Decimal(repr(float(v)))}"
    return str(v)


def indicator_formula(R: int) -> str:
    """The Excel formula of a row's 得分 (columns D 性质, E 指标值, G 完成值, H 分值, K 定性得分)."""
    m = REGISTRY["目标"]
    refs = {"性质": f"D{R}", "指标值": f"E{R}", "完成值": f"G{R}"}
    tf = m.formula(Args(m, Part("目标", {"分": f"H{R}"}), Ctx(refs=refs)))
    q = REGISTRY["定性"].formula(Args(REGISTRY["定性"], Part("定性", {"分": f"H{R}"}), Ctx(manual_ref=f"K{R}")))
    return f'=ROUND(IF(D{R}="定性",{q},IF(E{R}="",0,IF(G{R}="",0,{tf}))),2)'


def score_indicator_row(ind: dict, R: int) -> tuple[Decimal, str]:
    """(presented score, formula) for one row written by the template builder."""
    pts = _dec(ind.get("points"))
    man = ind.get("manual")
    out = indicator_outcome(ind.get("nature", ""), ind.get("target"), ind.get("actual"), pts,
                            None if man in (None, "") else _dec(man), ind.get("level3", ""))
    return xround(out.score or Decimal(0)), indicator_formula(R)


def score_project(table, system):
    """ScoreResult for a 项目支出绩效自评表 under national-project: 执行率 + one leaf per 绩效指标 row."""
    from selfeval_xl.core.model import Finding
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
        cell = ind.score.addr if ind.score else None
        for sev, msg in o.problems:
            findings.append(Finding(sev, "S-MANUAL" if ind.nature == "定性" else "S-METHOD", table.sheet,
                                    cell.a1 if cell else "", f"{cell or table.sheet} {msg}"))
        method = "定性(手工)" if ind.nature == "定性" else f"目标({ind.nature or '≥'})"
        items.append(ScoreItem([ind.level1, ind.level2, ind.level3], pts, None if o.score is None else xround(o.score),
                               method, o.explain, ind.row, o.unscored))
    return ScoreResult(system, items, findings)
