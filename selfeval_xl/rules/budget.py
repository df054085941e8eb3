"""表5 预算整体支出情况表: the arithmetic of every row, block and total, and what a low rate needs."""

from __future__ import annotations

import operator
from decimal import Decimal

from selfeval_xl.core.model import BUDGET_FIELD_ZH, BudgetTable
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


# Every check runs over the table's columns in floats and confirms in Decimal only the rows near or past the
# tolerance, so every reported figure is exact and a 20,000-row table costs a few list passes (issue 16).
NEAR = 0.005  # a float difference above this is confirmed in Decimal (float error on budget figures is < 1e-6)
BIG = 1e12  # beyond this, floats lose cents: always confirmed


def _close(d: float, scale: float) -> bool:
    """True when a float difference is surely within the one-cent tolerance."""
    return -NEAR <= d <= NEAR and -BIG < scale < BIG


@check("B5-NUM")
def _b5_num(t: BudgetTable, ctx):
    for f in t.fields:
        for i, p in t.odd[f].items():
            if p.kind == "text":
                yield t.addr(i, f), {"field": BUDGET_FIELD_ZH[f], "text": str(p.raw)}


@check("B5-ERR")
def _b5_err(t, ctx):
    for f in t.fields:
        for i, p in t.odd[f].items():
            if p.kind == "error":
                yield t.addr(i, f), {"field": BUDGET_FIELD_ZH[f], "text": str(p.raw)}


def _far(diffs, scales) -> list[int]:
    """The rows whose float difference is not surely within the one-cent tolerance (see _close), in one pass."""
    return [i for i, (d, s) in enumerate(zip(diffs, scales)) if not (-NEAR <= d <= NEAR and -BIG < s < BIG)]


@check("B5-TOTAL")
def _b5_total(t, ctx):
    parts = [f for f in ("budget", "carry", "added", "adjust") if f in t.num]
    if not parts or "total" not in t.num:
        return
    v = t.value
    total = t.floats("total")
    for i in _far(map(operator.sub, map(sum, zip(*map(t.floats, parts))), total), total):
        if not t.readable(i, "total", *parts):
            continue
        expected = sum((v(i, f) for f in parts), Decimal(0))
        if abs(expected - v(i, "total")) > TOL_MONEY:
            yield t.addr(i, "total"), {"total": m(v(i, "total")), "expected": m(expected),
                                       **{f: m(v(i, f)) for f in ("budget", "carry", "added", "adjust")}}


@check("B5-REMAIN")
def _b5_remain(t, ctx):
    if not {"total", "spent", "remaining"} <= t.num.keys():
        return
    v = t.value
    total = t.floats("total")
    for i in _far(map(operator.sub, map(operator.sub, total, t.floats("spent")), t.floats("remaining")), total):
        if not t.readable(i, "total", "spent", "remaining"):
            continue
        expected = v(i, "total") - v(i, "spent")
        if abs(expected - v(i, "remaining")) > TOL_MONEY:
            yield t.addr(i, "remaining"), {"remaining": m(v(i, "remaining")), "total": m(v(i, "total")),
                                           "spent": m(v(i, "spent")), "expected": m(expected)}


@check("B5-RATE")
def _b5_rate(t, ctx):
    if not {"total", "spent", "rate"} <= t.num.keys():
        return
    v = t.value
    total, spent, rate = t.num["total"], t.num["spent"], t.num["rate"]
    for i in range(t.n):
        tot, r = total[i], rate[i]
        if tot and r is not None and -BIG < tot < BIG:
            d = r * 100 - (spent[i] or 0.0) / tot * 100
            if -0.009 <= d <= 0.009:
                continue  # the shown rates (2 decimals) can differ by at most 0.01: within the tolerance
        if not t.readable(i, "total", "spent", "rate"):
            continue
        formula = t.formulas.get((i, "rate"))
        advice = "请核对公式引用的单元格" if formula else "请改为公式或按计算值填写"
        figures = {"spent": m(v(i, "spent")), "total": m(v(i, "total")), "advice": advice}
        p = t.parsed(i, "rate")
        computed = t.rate(i)
        if computed is None:
            if p.kind == "number" and p.value != 0 and p.raw not in ("",):
                yield t.addr(i, "rate"), {"rate": fmt_pct(p.value), **figures, "expected": "（总指标为 0，应留空）"}
            continue
        if p.kind == "blank":
            yield t.addr(i, "rate"), {"rate": "（空）", **figures, "expected": fmt_pct(computed)}
            continue
        if abs(pct_points(p.value) - pct_points(computed)) > TOL_PCT and not pct_scale(t.cell(i, "rate"), computed):
            yield t.addr(i, "rate"), {"rate": fmt_pct(p.value), **figures, "expected": fmt_pct(computed)}


def _sums_off(t: BudgetTable, row: int, pool: list[int]):
    """(field, the row's figure, Σ of the pool's) for every figure of row that is not the sum of the pool's rows."""
    for f in SUM_FIELDS:
        if not t.readable(row, f):
            continue
        col = t.floats(f)
        value = col[row]
        if _close(sum(map(col.__getitem__, pool)) - value, value):
            continue
        exp = sum((t.value(i, f) for i in pool), Decimal(0))
        got = t.value(row, f)
        if abs(exp - got) > TOL_MONEY:
            yield f, got, exp


@check("B5-SUB")
def _b5_sub(t, ctx):
    for block, sub in t.blocks():
        if sub is not None:
            details = [i for i in block if t.kind[i] == "detail"]
            for f, got, exp in _sums_off(t, sub, details):
                yield t.addr(sub, f), {"label": t.label[sub], "field": BUDGET_FIELD_ZH[f], "value": m(got),
                                       "expected": m(exp), "diff": m(got - exp)}


@check("B5-GRAND")
def _b5_grand(t, ctx):
    grand = t.grand_index()
    if grand is None:
        return
    subs = [i for i, k in enumerate(t.kind) if k == "subtotal"]
    pool = subs if subs else [i for i, k in enumerate(t.kind) if k == "detail"]
    for f, got, exp in _sums_off(t, grand, pool):
        yield t.addr(grand, f), {"field": BUDGET_FIELD_ZH[f], "value": m(got), "expected": m(exp), "diff": m(got - exp)}


def _child_groups(t: BudgetTable):
    """(parent, its 其中 rows, Σ of their 年度总指标, the parent's) per group, the sums as floats: the checks below
    confirm in Decimal only the groups whose float sums are near or past the tolerance."""
    total = t.floats("total")
    for parent, kids in t.child_groups():
        yield parent, kids, sum(map(total.__getitem__, kids)), total[parent]


def _surely_within(d: float, a: float, b: float) -> bool:
    """True when a float difference of a and b is surely not more than the one-cent tolerance."""
    return d <= _TOL_F - NEAR and -BIG < a < BIG and -BIG < b < BIG


_TOL_F = float(TOL_MONEY)


@check("B5-CHILD-GT")
def _b5_child_gt(t, ctx):
    if "total" not in t.num:
        return
    for parent, kids, fs, fp in _child_groups(t):
        if _surely_within(fs - fp, fs, fp):
            continue
        s = sum((t.value(k, "total") for k in kids), Decimal(0))
        if s - t.value(parent, "total") > TOL_MONEY:
            yield t.addr(kids[-1], "total"), {"label": t.label[parent], "children": m(s),
                                              "parent": m(t.value(parent, "total"))}


@check("B5-CHILD-EQ")
def _b5_child_eq(t, ctx):
    if "total" not in t.num:
        return
    for parent, kids, fs, fp in _child_groups(t):
        if len(kids) < 2 or _surely_within(fp - fs, fs, fp):
            continue
        s = sum((t.value(k, "total") for k in kids), Decimal(0))
        if s < t.value(parent, "total") - TOL_MONEY:
            yield t.addr(parent, "total"), {"label": t.label[parent], "children": m(s),
                                            "parent": m(t.value(parent, "total"))}


@check("B5-OVER")
def _b5_over(t, ctx):
    if not {"spent", "total"} <= t.num.keys():
        return
    v = t.value
    total, spent = t.num["total"], t.num["spent"]
    for i in range(t.n):
        tot, sp = total[i] or 0.0, spent[i] or 0.0
        if sp - tot <= NEAR and -BIG < tot < BIG and -BIG < sp < BIG:
            continue
        if t.readable(i, "spent", "total") and v(i, "spent") - v(i, "total") > TOL_MONEY:
            yield t.addr(i, "spent"), {"label": t.label[i], "spent": m(v(i, "spent")), "total": m(v(i, "total")),
                                       "diff": m(v(i, "spent") - v(i, "total"))}


@check("B5-NEG")
def _b5_neg(t, ctx):
    if "spent" not in t.num:
        return
    for i, sp in enumerate(t.num["spent"]):
        if sp is not None and sp < 0 and t.readable(i, "spent") and t.value(i, "spent") < 0:
            yield t.addr(i, "spent"), {"label": t.label[i], "spent": m(t.value(i, "spent"))}


@check("B5-REASON")
def _b5_reason(t, ctx):
    if not {"spent", "total"} <= t.num.keys():
        return
    threshold = ctx.get("threshold", DEFAULT_THRESHOLD)
    limit = float(threshold) + 1e-9
    total, spent = t.num["total"], t.num["spent"]
    where = "reason" if "reason" in t.columns else "rate" if "rate" in t.num else "spent"
    for i in range(t.n):
        tot = total[i]
        if not tot or t.reason[i] or (t.kind[i] != "detail" and t.kind[i] != "child"):
            continue
        if (spent[i] or 0.0) / tot >= limit and -BIG < tot < BIG:
            continue
        if not t.readable(i, "total", "spent"):
            continue
        rate = t.rate(i)
        if rate is not None and rate < threshold:
            addr = t.reason_addr(i) if where == "reason" else t.addr(i, where)
            yield addr, {"label": t.label[i], "rate": fmt_pct(rate), "threshold": fmt_pct(threshold)}
