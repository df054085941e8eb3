"""表5 预算整体支出情况表: the arithmetic of every row, block and total, and what a low rate needs."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.model import BUDGET_FIELD_ZH, BudgetTable, budget_blocks
from selfeval_xl.core.money import fmt_figure as m, fmt_pct, pct_points
from selfeval_xl.rules.registry import DEFAULT_THRESHOLD, Rule, check, declare
from selfeval_xl.rules.severity import Severity
from selfeval_xl.rules.typed import pct_scale

E, W = Severity.ERROR, Severity.WARNING
TOL_MONEY = Decimal("0.01")
TOL_PCT = Decimal("0.01")  # percentage points
SUM_FIELDS = ("budget", "carry", "added", "adjust", "total", "spent", "remaining")
_ARITH = "表5 口径（深圳市福田区 2020 年度部门整体绩效自评报告 表5）"

declare(
    Rule("B5-NUM", E, "表5", "{field} 填写为文字“{text}”，此处应为数字，请改为数字（零可留空或填 -）", "表5 各金额列为数字"),
    Rule("B5-ERR", E, "表5", "{field} 是错误值 {text}，请修正公式或改填数字", "表5 各金额列为数字"),
    Rule("B5-TOTAL", E, "表5", "年度总指标 {total} ≠ 预算 {budget} + 结转 {carry} + 追加 {added} + 调整 {adjust} = {expected}，请核对",
         f"{_ARITH}：年度总指标 = 部门预算指标 + 上年/历年结转 + 追加指标 + 调整指标"),
    Rule("B5-REMAIN", E, "表5", "剩余指标 {remaining} ≠ 年度总指标 {total} − 支出数 {spent} = {expected}，请核对",
         f"{_ARITH}：剩余指标 = 年度总指标 − 支出数"),
    Rule("B5-RATE", E, "表5", "执行进度 {rate} ≠ 支出数 {spent} ÷ 年度总指标 {total} = {expected}，{advice}",
         f"{_ARITH}：执行进度 = 支出数 ÷ 年度总指标"),
    Rule("B5-SUB", E, "表5", "{label} {field} {value} ≠ 本类明细合计 {expected}（差 {diff}），请核对小计或明细",
         f"{_ARITH}：小计 = 本类各明细行之和（“其中”行不计）"),
    Rule("B5-GRAND", E, "表5", "总计 {field} {value} ≠ 各小计合计 {expected}（差 {diff}），请核对总计", f"{_ARITH}：总计 = 各小计之和"),
    Rule("B5-CHILD-GT", E, "表5", "{label} 的“其中”明细合计 {children} 大于本项 年度总指标 {parent}，请核对", "“其中”为本项的一部分"),
    Rule("B5-CHILD-EQ", W, "表5", "{label} 的“其中”明细合计 {children} ≠ 本项 年度总指标 {parent}；若明细已列全应相等，请核对",
         "“其中”为本项的一部分"),
    Rule("B5-OVER", E, "表5", "{label} 支出数 {spent} 超过年度总指标 {total}（超支 {diff}），请核对支出或调整指标", "《预算法》：无预算不得支出"),
    Rule("B5-NEG", E, "表5", "{label} 支出数 {spent} 为负数，请核对", "支出数不为负"),
    Rule("B5-REASON", W, "表5", "{label} 执行进度 {rate} 低于 {threshold}，请在“执行率差额原因”中说明原因",
         "表5“执行率差额原因”列：执行进度偏低的项目应说明原因（预警线默认 90%，--threshold 可改）"),
)


def _numeric(rows):
    for row in rows:
        for f, c in row.cells.items():
            yield row, f, c


@check("B5-NUM")
def _b5_num(t: BudgetTable, ctx):
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
        advice = "请核对公式引用的单元格" if c.formula else "请改为公式或按计算值填写"
        figures = {"spent": m(row.get("spent")), "total": m(row.get("total")), "advice": advice}
        if computed is None:
            if c.parsed.kind == "number" and c.parsed.value != 0 and c.parsed.raw not in ("",):
                yield c.addr, {"rate": fmt_pct(c.parsed.value), **figures, "expected": "（总指标为 0，应留空）"}
            continue
        if c.parsed.kind == "blank":
            yield c.addr, {"rate": "（空）", **figures, "expected": fmt_pct(computed)}
            continue
        if abs(pct_points(c.parsed.value) - pct_points(computed)) > TOL_PCT and not pct_scale(c, computed):
            yield c.addr, {"rate": fmt_pct(c.parsed.value), **figures, "expected": fmt_pct(computed)}


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
