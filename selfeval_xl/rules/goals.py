"""绩效目标完成情况表: every target and result written, and every unmet target explained."""

from __future__ import annotations

from selfeval_xl.core.model import GoalTable
from selfeval_xl.core.targets import comparable, parse_target
from selfeval_xl.rules.registry import Rule, check, declare
from selfeval_xl.rules.severity import Severity

declare(
    Rule("G-EMPTY", Severity.ERROR, "绩效目标", "“{label}”的{field}未填写，请补充（不适用可填 -）", "绩效目标完成情况表：指标值、完成值均应填写"),
    Rule("G-UNMET", Severity.WARNING, "绩效目标", "“{label}”未达到目标：指标值 {target}，完成值 {actual}，请填写完成偏差说明",
         "绩效目标完成情况表“完成偏差说明”列"),
)


@check("G-EMPTY")
def _g_empty(t: GoalTable, ctx):
    for g in t.rows:
        for f, zh in (("target", "指标值"), ("actual", "完成值")):
            if not getattr(g, f) and f in g.addr:
                yield g.addr[f], {"label": g.level3, "field": zh}


@check("G-UNMET")
def _g_unmet(t: GoalTable, ctx):
    for g in t.rows:
        if g.note or not g.target or not g.actual:
            continue
        tt, at = parse_target(g.target), parse_target(g.actual)
        pair = comparable(tt, at)
        if pair is None or tt.qualitative:
            continue
        tv, av = pair
        met = {"≥": av >= tv, ">": av > tv, "≤": av <= tv, "<": av < tv, "=": av == tv}.get(tt.op, True)
        if not met:
            yield g.addr.get("note", g.addr["actual"]), {"label": g.level3, "target": g.target, "actual": g.actual}
