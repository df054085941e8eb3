"""预警: the red and yellow list a 绩效科 reviews first, each with its reason in words.

- red, S-OVERSCORE: Σ指标得分 / 指标分值 exceeds 执行率得分 / 执行率分值 by more than 5 percentage points
  (the scores claim more than the money spent supports);
- yellow, S-UNSPENT: more than 20% of the budget unspent;
- yellow, S-SELF-HIGH (自评虚高): an unmet target (the rule gives less than the 分值) scored in full by the unit;
- yellow: the workbook has errors.

When the rule registry declares one of these rules and the workbook has the table it checks (so that it ran),
its findings are the 预警 and nothing is recomputed here; otherwise the same rule is computed from the figures of
the record (表5's 总计 row has no registered 预警, for example)."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.app.batch.records import RED, YELLOW, Alert
from selfeval_xl.core.money import fmt_money, fmt_pct, fmt_score, pct_points

OVERSCORE_GAP = Decimal("0.05")
UNSPENT_SHARE = Decimal("0.20")
RULES = {"S-OVERSCORE": (RED, "自评高于执行支持"), "S-UNSPENT": (YELLOW, "执行率低"), "S-SELF-HIGH": (YELLOW, "自评虚高")}
ERRORS_KIND = "有错误"


def raise_alerts(wb, findings, rec, fund, pairs) -> list[Alert]:
    """Every 预警 of one workbook: the registry's findings where its rule ran, else computed."""
    from selfeval_xl.rules.registry import rule_ran

    out: list[Alert] = []
    for rule, (level, kind) in RULES.items():
        if rule_ran(rule, wb):
            out += [Alert(level, rule, kind, f.message, str(f.cell)) for f in findings if f.rule == rule]
        else:
            out += _COMPUTE[rule](fund, pairs)
    if rec.errors:
        out.append(Alert(YELLOW, "", ERRORS_KIND, f"有 {rec.errors} 个错误（见 问题清单），请退回单位改正"))
    return out


def _where(addr) -> str:
    return str(addr) if addr is not None else ""


def overscore(fund, pairs) -> list[Alert]:
    if fund.score is None or not fund.points:
        return []
    others = [(i, own) for i, own, _ in pairs if i.max > 0 and not (i.path and i.path[-1].endswith("预算执行率"))]
    points = sum((i.max for i, _ in others), Decimal(0))
    if not others or not points:
        return []
    by_unit = any(own is not None for _, own in others)
    scored = sum(((own if by_unit else i.score) or Decimal(0) for i, own in others), Decimal(0))
    ratio, supported = scored / points, fund.score / fund.points
    if ratio - supported <= OVERSCORE_GAP:
        return []
    who = "自评" if by_unit else "按规则计算的"
    reason = (f"指标得分率 {fmt_pct(ratio)}（{who}指标得分 {fmt_score(scored)} / 分值 {fmt_score(points)}）比执行率得分率 "
              f"{fmt_pct(supported)}（执行率得分 {fmt_score(fund.score)} / 分值 {fmt_score(fund.points)}）高 "
              f"{pct_points(ratio - supported)} 个百分点，超过 5 个百分点：得分高于资金执行所能支持的水平，请核实")
    return [Alert(RED, "S-OVERSCORE", RULES["S-OVERSCORE"][1], reason, _where(fund.cell))]


def unspent(fund, pairs) -> list[Alert]:
    if not fund.budget or fund.budget <= 0 or fund.spent is None:
        return []
    rate = fund.spent / fund.budget
    if 1 - rate <= UNSPENT_SHARE:
        return []
    reason = (f"预算执行率 {fmt_pct(rate)}（执行数 {fmt_money(fund.spent)} / 预算数 {fmt_money(fund.budget)}），"
              f"{fmt_pct(1 - rate)} 的预算未执行，超过 20%：请核实原因和资金去向")
    return [Alert(YELLOW, "S-UNSPENT", RULES["S-UNSPENT"][1], reason, _where(fund.cell))]


def self_high(fund, pairs) -> list[Alert]:
    out = []
    for item, own, cell in pairs:
        if own is None or item.score is None or item.max <= 0 or own < item.max or item.score >= item.max:
            continue
        label = item.path[-1] if item.path else "该指标"
        reason = (f"“{label}”未完成目标（按规则得 {fmt_score(item.score)} 分，分值 {fmt_score(item.max)}），"
                  f"自评却给满分 {fmt_score(own)} 分：请核实完成情况")
        out.append(Alert(YELLOW, "S-SELF-HIGH", RULES["S-SELF-HIGH"][1], reason, _where(cell)))
    return out


_COMPUTE = {"S-OVERSCORE": overscore, "S-UNSPENT": unspent, "S-SELF-HIGH": self_high}
