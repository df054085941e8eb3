"""Validation rules declared as data: id, severity, table and a Chinese message template.
Checks are registered by rule id; every failure is collected, then reported together."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.model import (BUDGET_FIELD_ZH, SEVERITIES, BudgetTable, Finding, GoalTable, ProjectTable, Workbook,
                                    budget_blocks)
from selfeval_xl.core.money import fmt_money, fmt_pct, fmt_score, pct_points, xround
from selfeval_xl.core.numbers import as_rate
from selfeval_xl.core.targets import comparable, parse_target

TOL_MONEY = Decimal("0.01")
TOL_PCT = Decimal("0.01")  # percentage points
DEFAULT_THRESHOLD = Decimal("0.90")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    table: str
    template: str


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("B5-NUM", "error", "表5", "{field} 填写为文字“{text}”，此处应为数字，请改为数字（零可留空或填 -）"),
    Rule("B5-ERR", "error", "表5", "{field} 是错误值 {text}，请修正公式或改填数字"),
    Rule("B5-TOTAL", "error", "表5", "年度总指标 {total} ≠ 预算 {budget} + 结转 {carry} + 追加 {added} + 调整 {adjust} = {expected}，请核对"),
    Rule("B5-REMAIN", "error", "表5", "剩余指标 {remaining} ≠ 年度总指标 {total} − 支出数 {spent} = {expected}，请核对"),
    Rule("B5-RATE", "error", "表5", "执行进度 {rate} ≠ 支出数 {spent} ÷ 年度总指标 {total} = {expected}，请改为公式或按计算值填写"),
    Rule("B5-SUB", "error", "表5", "{label} {field} {value} ≠ 本类明细合计 {expected}（差 {diff}），请核对小计或明细"),
    Rule("B5-GRAND", "error", "表5", "总计 {field} {value} ≠ 各小计合计 {expected}（差 {diff}），请核对总计"),
    Rule("B5-CHILD-GT", "error", "表5", "{label} 的“其中”明细合计 {children} 大于本项 年度总指标 {parent}，请核对"),
    Rule("B5-CHILD-EQ", "warning", "表5", "{label} 的“其中”明细合计 {children} ≠ 本项 年度总指标 {parent}；若明细已列全应相等，请核对"),
    Rule("B5-OVER", "error", "表5", "{label} 支出数 {spent} 超过年度总指标 {total}（超支 {diff}），请核对支出或调整指标"),
    Rule("B5-NEG", "error", "表5", "{label} 支出数 {spent} 为负数，请核对"),
    Rule("B5-REASON", "warning", "表5", "{label} 执行进度 {rate} 低于 {threshold}，请在“执行率差额原因”中说明原因"),
    Rule("G-EMPTY", "error", "绩效目标", "“{label}”的{field}未填写，请补充（不适用可填 -）"),
    Rule("G-UNMET", "warning", "绩效目标", "“{label}”未达到目标：指标值 {target}，完成值 {actual}，请填写完成偏差说明"),
    Rule("P-FUND-SUM", "error", "项目自评表", "年度资金总额的{field} {value} ≠ 本年财政拨款、上年结转、其他资金之和 {expected}，请核对"),
    Rule("P-RATE", "error", "项目自评表", "执行率 {rate} ≠ 全年执行数 {spent} ÷ 全年预算数 {budget} = {expected}，请核对"),
    Rule("P-EXEC-SCORE", "error", "项目自评表", "执行率得分 {score} ≠ min(执行率 {rate}, 100%) × 10 = {expected}，请核对"),
    Rule("P-SCORE-MAX", "error", "项目自评表", "“{label}”得分 {score} 超过分值 {points}，请改正"),
    Rule("P-POINTS-100", "error", "项目自评表", "分值合计（含预算执行率 10 分）为 {total}，应为 100，请调整各指标分值"),
)}

Hit = tuple[CellAddress, dict]
CHECKS: dict[str, Callable] = {}


def check(rule_id: str):
    """Register a check function for a declared rule."""
    def deco(fn):
        assert rule_id in RULES, rule_id
        CHECKS[rule_id] = fn
        return fn
    return deco


def m(v: Decimal | None) -> str:
    if v is None:
        return "（空）"
    return "0" if v == 0 else fmt_money(v)


def finding(rule_id: str, addr: CellAddress, params: dict) -> Finding:
    r = RULES[rule_id]
    return Finding(r.severity, r.id, addr.sheet, addr.a1, f"{addr} " + r.template.format(**params))


def _numeric(rows):
    for row in rows:
        for f, c in row.cells.items():
            yield row, f, c


@check("B5-NUM")
def _b5_num(t: BudgetTable, ctx) -> Iterator[Hit]:
    for row, f, c in _numeric(t.rows):
        if c.parsed.kind == "text":
            yield c.addr, {"field": BUDGET_FIELD_ZH[f], "text": str(c.parsed.raw)}


@check("B5-ERR")
def _b5_err(t, ctx):
    for row, f, c in _numeric(t.rows):
        if c.parsed.kind == "error":
            yield c.addr, {"field": BUDGET_FIELD_ZH[f], "text": str(c.parsed.raw)}


@check("B5-TOTAL")
def _b5_total(t, ctx):
    for row in t.rows:
        parts = [f for f in ("budget", "carry", "added", "adjust") if f in row.cells]
        if not parts or not row.readable("total", *parts):
            continue
        expected = sum((row.get(f) for f in parts), Decimal(0))
        if abs(expected - row.get("total")) > TOL_MONEY:
            yield row.cells["total"].addr, {"total": m(row.get("total")), "expected": m(expected),
                                            **{f: m(row.get(f)) for f in ("budget", "carry", "added", "adjust")}}


@check("B5-REMAIN")
def _b5_remain(t, ctx):
    for row in t.rows:
        if row.readable("total", "spent", "remaining"):
            expected = row.get("total") - row.get("spent")
            if abs(expected - row.get("remaining")) > TOL_MONEY:
                yield row.cells["remaining"].addr, {"remaining": m(row.get("remaining")), "total": m(row.get("total")),
                                                    "spent": m(row.get("spent")), "expected": m(expected)}


@check("B5-RATE")
def _b5_rate(t, ctx):
    for row in t.rows:
        if not row.readable("total", "spent", "rate"):
            continue
        c = row.cells["rate"]
        computed = row.rate
        if computed is None:
            if c.parsed.kind == "number" and c.parsed.value != 0 and c.parsed.raw not in ("",):
                yield c.addr, {"rate": fmt_pct(c.parsed.value), "spent": m(row.get("spent")), "total": m(row.get("total")), "expected": "（总指标为 0，应留空）"}
            continue
        if c.parsed.kind == "blank":
            yield c.addr, {"rate": "（空）", "spent": m(row.get("spent")), "total": m(row.get("total")), "expected": fmt_pct(computed)}
            continue
        if abs(pct_points(c.parsed.value) - pct_points(computed)) > TOL_PCT:
            yield c.addr, {"rate": fmt_pct(c.parsed.value), "spent": m(row.get("spent")), "total": m(row.get("total")), "expected": fmt_pct(computed)}


SUM_FIELDS = ("budget", "carry", "added", "adjust", "total", "spent", "remaining")


@check("B5-SUB")
def _b5_sub(t, ctx):
    for details, sub in budget_blocks(t.rows):
        if sub is None:
            continue
        for f in SUM_FIELDS:
            if f not in sub.cells or not sub.cells[f].parsed.ok:
                continue
            exp = sum((r.get(f) for r in details if r.kind == "detail"), Decimal(0))
            if abs(exp - sub.get(f)) > TOL_MONEY:
                yield sub.cells[f].addr, {"label": sub.label, "field": BUDGET_FIELD_ZH[f], "value": m(sub.get(f)),
                                          "expected": m(exp), "diff": m(sub.get(f) - exp)}


@check("B5-GRAND")
def _b5_grand(t, ctx):
    grand = t.grand()
    if grand is None:
        return
    subs = [r for r in t.rows if r.kind == "subtotal"]
    pool = subs if subs else [r for r in t.rows if r.kind == "detail"]
    for f in SUM_FIELDS:
        if f not in grand.cells or not grand.cells[f].parsed.ok:
            continue
        exp = sum((r.get(f) for r in pool), Decimal(0))
        if abs(exp - grand.get(f)) > TOL_MONEY:
            yield grand.cells[f].addr, {"field": BUDGET_FIELD_ZH[f], "value": m(grand.get(f)), "expected": m(exp),
                                        "diff": m(grand.get(f) - exp)}


def _child_groups(t: BudgetTable):
    by_row = {r.row: r for r in t.rows}
    groups: dict[int, list] = {}
    for r in t.rows:
        if r.kind == "child" and r.parent:
            groups.setdefault(r.parent, []).append(r)
    for parent_row, kids in groups.items():
        yield by_row[parent_row], kids


@check("B5-CHILD-GT")
def _b5_child_gt(t, ctx):
    for parent, kids in _child_groups(t):
        s = sum((k.get("total") for k in kids), Decimal(0))
        if s - parent.get("total") > TOL_MONEY and "total" in parent.cells:
            yield kids[-1].cells["total"].addr, {"label": parent.label, "children": m(s), "parent": m(parent.get("total"))}


@check("B5-CHILD-EQ")
def _b5_child_eq(t, ctx):
    for parent, kids in _child_groups(t):
        s = sum((k.get("total") for k in kids), Decimal(0))
        if len(kids) >= 2 and s < parent.get("total") - TOL_MONEY and "total" in parent.cells:
            yield parent.cells["total"].addr, {"label": parent.label, "children": m(s), "parent": m(parent.get("total"))}


@check("B5-OVER")
def _b5_over(t, ctx):
    for row in t.rows:
        if row.readable("spent", "total") and row.get("spent") - row.get("total") > TOL_MONEY:
            yield row.cells["spent"].addr, {"label": row.label, "spent": m(row.get("spent")), "total": m(row.get("total")),
                                            "diff": m(row.get("spent") - row.get("total"))}


@check("B5-NEG")
def _b5_neg(t, ctx):
    for row in t.rows:
        if row.readable("spent") and row.get("spent") < 0:
            yield row.cells["spent"].addr, {"label": row.label, "spent": m(row.get("spent"))}


@check("B5-REASON")
def _b5_reason(t, ctx):
    threshold = ctx.get("threshold", DEFAULT_THRESHOLD)
    for row in t.rows:
        if row.kind not in ("detail", "child") or row.reason or not row.readable("total", "spent"):
            continue
        rate = row.rate
        if rate is not None and rate < threshold:
            addr = row.reason_addr or row.cells.get("rate", row.cells["spent"]).addr
            yield addr, {"label": row.label, "rate": fmt_pct(rate), "threshold": fmt_pct(threshold)}


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


def run_rules(wb: Workbook, threshold: Decimal = DEFAULT_THRESHOLD) -> list[Finding]:
    """Every registered check against every table present; all failures collected."""
    out: list[Finding] = []
    ctx = {"threshold": threshold}
    tables = {"表5": wb.budget, "绩效目标": wb.goals, "项目自评表": wb.project}
    for rule_id, fn in CHECKS.items():
        t = tables.get(RULES[rule_id].table)
        if t is None:
            continue
        for addr, params in fn(t, ctx):
            out.append(finding(rule_id, addr, params))
    out.sort(key=lambda f: (SEVERITIES.index(f.severity), f.sheet, _row_of(f.cell), f.cell))
    return out


def _row_of(a1: str) -> int:
    digits = "".join(ch for ch in a1 if ch.isdigit())
    return int(digits) if digits else 0
