"""Stated rates against the figures they are computed from.

RPT-RATE: 执行率 / 执行进度 / 完成预算 / 控制率 = 支出 ÷ 预算, where the paragraph states both since the
previous such rate ("年度总指标 38,304.02 万元 … 实际支出 37,411.04 万元 … 执行率达 97.67%"). Parts of a
其中 list are not candidates; a 年初预算 with a single 调减/调增/追加 is adjusted first.
RPT-SHARE: 占 / 比重 / 占比 = part ÷ whole, the part being the figure just before, the whole either named
("占基本支出的 34.42%", looked up by its label) or the whole of the part's 其中 list.
"""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_xl.narrative import labels
from selfeval_xl.narrative.extraction import Extraction
from selfeval_xl.narrative.figures import RATE_WORDS, SHARE, Figure, is_change, money_in
from selfeval_xl.narrative.findings import Finding, fmt, plain
from selfeval_xl.narrative.interval import Interval

_ADJUST = re.compile(r"调减|调增|追加|压减|调整指标|调剂")
_BUDGET = re.compile(r"预算|总指标|指标|安排|计划")
_SPENT = re.compile(r"实际支出|支出|执行数|决算|拨付|实际采购|使用")
_NOT_BUDGET = re.compile(r"决算|执行数|实际|支出数|拨付|完成|支出")
_INITIAL = re.compile(r"年初")
_HUNDRED = Decimal(100)


def role(f: Figure) -> str:
    """budget, spent, adjust or "" from the words before a money figure."""
    raw = f.raw_label
    if _ADJUST.search(raw) and "调整后" not in raw:
        return "adjust"
    if _BUDGET.search(raw) and not (_NOT_BUDGET.search(raw) and not re.search(r"预算|总指标", raw.split("支出")[-1])):
        return "budget"
    if _SPENT.search(raw):
        return "spent"
    return ""


def is_rate(f: Figure) -> bool:
    return (f.family == "pct" and not f.num.bound and bool(RATE_WORDS.search(f.clause_text))
            and not SHARE.search(f.clause_text) and not is_change(f))


def check(ex: Extraction) -> list[Finding]:
    """RPT-RATE and RPT-SHARE findings."""
    out: list[Finding] = []
    for figs in ex.by_block.values():
        start = 0
        for i, f in enumerate(figs):
            if is_rate(f):
                out += _rate(f, figs[start:i])
                start = i + 1
    for f in ex.figures:
        if f.family == "pct" and not f.num.bound and SHARE.search(f.raw_label) and not is_change(f):
            out += _share(f, ex)
    return out


def _rate(f: Figure, window: list[Figure]) -> list[Finding]:
    cands = [g for g in window if money_in(g) and g.parent is None and not g.num.bound and not g.num.approx
             and not is_change(g)]
    budgets = [g for g in cands if role(g) == "budget"]
    spents = [g for g in cands if role(g) == "spent"]
    adjusts = [g for g in cands if role(g) == "adjust"]
    if not budgets or not spents:
        return []
    later = [g for g in budgets if not _INITIAL.search(g.raw_label)]
    budget = (later or budgets)[-1]
    spent = spents[-1]
    b = budget.interval
    note = ""
    if not later and len(adjusts) == 1:
        adj = adjusts[0]
        sign = -1 if re.search(r"调减|压减", adj.raw_label) else 1
        b = b + adj.interval.scale(Decimal(sign))
        note = f"{'−' if sign < 0 else '+'} {adj.shown}"
    missed = _missed_percent(f, spent.interval, b)
    if missed is None:
        return []
    calc, computed = missed
    budget_text = f"{budget.shown}{' ' + note if note else ''}"
    return [Finding(
        "RPT-RATE", "error", f.where, f.quote, f.shown, calc,
        f"{f.label or '执行率'} {f.shown} 与所列数字不符：{spent.display or '支出'} {spent.shown} ÷ "
        f"{budget.display or '预算'} {budget_text} = {calc}：请核对执行率或支出、预算数",
        (spent.where, budget.where),
        {"rate": plain(f.value), "spent": plain(spent.value), "budget": plain(budget.value),
         "computed": computed})]


def _missed_percent(stated: Figure, part: Interval, whole: Interval) -> tuple[str, str] | None:
    """part ÷ whole in percent, as printed in a message (the stated figure's decimals, at least two) and as the
    JSON number (four decimals), when the stated percentage cannot be it; None when it can, or whole may be 0."""
    q = part.div(whole)
    if q is None:
        return None
    q = q.scale(_HUNDRED)
    if stated.interval.meets(q):
        return None
    return fmt(q.mid, max(2, stated.num.decimals), "%"), plain(q.mid.quantize(Decimal("0.0001")))


def _whole_label(f: Figure) -> str:
    raw = f.raw_label
    m = re.search(r"(?:占|比重|占比)(.*)$", raw)
    w = m.group(1) if m else ""
    w = re.sub(r"(的)?(比重|比例|比)?(为|达|是)?$", "", w)
    w = re.sub(r"的$", "", w)
    return labels.clean(w) if w else ""


def _share(f: Figure, ex: Extraction) -> list[Finding]:
    figs = ex.by_block[f.block.index]
    i = ex.in_block[id(f)]
    named = labels.clean(re.split(r"占|比重|占比", f.raw_label)[0])
    if named:
        # "基本支出占66.67%": the part is the figure of that name in the sentence, not the one just before
        part = next((g for g in reversed(figs[:i]) if not g.is_percent and g.sentence == f.sentence
                     and g.label and (g.label == named or g.label.endswith(named))), None)
    else:
        part = next((g for g in reversed(figs[:i]) if not g.is_percent), None)
    if part is None or part.sentence != f.sentence or part.num.bound or part.num.kind != "figure":
        return []
    wl = _whole_label(f)
    whole = _lookup(wl, part, ex) if wl else part.parent
    if whole is None or whole is part or whole.family != part.family:
        return []
    missed = _missed_percent(f, part.interval, whole.interval)
    if missed is None:
        return []
    calc, computed = missed
    return [Finding(
        "RPT-SHARE", "error", f.where, f.quote, f.shown, calc,
        f"占比 {f.shown} 与所列数字不符：“{part.display}”{part.shown} ÷ “{whole.display}”{whole.shown}"
        f"（{whole.where.text}）= {calc}：请核对占比或相关数字",
        (part.where, whole.where),
        {"share": plain(f.value), "part": plain(part.value), "whole": plain(whole.value),
         "computed": computed})]


def _lookup(wl: str, part: Figure, ex: Extraction) -> Figure | None:
    """The figure a "占X的" names: the nearest earlier figure of the part's unit whose label is X."""
    if len(wl) < 2:
        return None
    best = None
    i = ex.position[id(part)]
    for g in ex.figures[max(0, i - 3000):i]:
        if g.family != part.family or g.num.bound or g.num.approx or not g.label:
            continue
        if g.part != part.part or (g.year is not None and part.year is not None and g.year != part.year):
            continue
        if g.label == wl or g.label.endswith(wl) or (len(g.label) >= 4 and wl.endswith(g.label)):
            best = g
    return best
