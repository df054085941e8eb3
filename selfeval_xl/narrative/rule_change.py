"""Year-on-year changes (RPT-CHANGE): "2020 年支出 509.28 万元，2019 年 472.49 万元，与 2019 年相比增加
36.79 万元，增加 7.79%". The amount must be the difference of the two years, the percentage the amount over
the earlier year. When the earlier year is not stated it is derived from this year and the amount
("支出 2.55 万元 … 比 2019 年减少 0.45 万元，下降 15%": 0.45 ÷ (2.55 + 0.45) = 15%).
"""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_xl.narrative import labels
from selfeval_xl.narrative.extraction import Extraction
from selfeval_xl.narrative.figures import SHARE, Figure, is_change
from selfeval_xl.narrative.findings import Finding, fmt, plain

_COMPARE = re.compile(r"比|较|相比|同比|上年|去年")
_UP = re.compile(r"增加|增长|上升|提高|增幅")
_DOWN = re.compile(r"减少|下降|降低|减幅|降幅|下降了")
_PRIOR = re.compile(r"上年|去年|上一年|上年度")
_HUNDRED = Decimal(100)


def check(ex: Extraction) -> list[Finding]:
    """RPT-CHANGE findings, paragraph by paragraph."""
    out: list[Finding] = []
    for figs in ex.by_block.values():
        start = 0
        i = 0
        while i < len(figs):
            f = figs[i]
            if not is_change(f) or f.num.bound or SHARE.search(f.raw_label):
                i += 1
                continue
            window = figs[start:i]
            amount, pct = (None, f) if f.is_percent else (f, None)
            j = i + 1
            if amount is not None and j < len(figs) and figs[j].is_percent and is_change(figs[j]) \
                    and figs[j].sentence == f.sentence:
                pct = figs[j]
                j += 1
            out += _group(window, amount, pct)
            start = i = j
    return out


def _direction(f: Figure) -> int:
    clause = f.clause_text
    up, down = _UP.search(clause), _DOWN.search(clause)
    if up and not down:
        return 1
    if down and not up:
        return -1
    return 0


def _group(window: list[Figure], amount: Figure | None, pct: Figure | None) -> list[Finding]:
    anchor = amount or pct
    text = anchor.block.folded[window[0].num.start if window else anchor.sentence[0]:anchor.num.start]
    if not _COMPARE.search(text):
        return []
    base_year = labels.base_year_of(text)
    family = amount.family if amount else None
    levels = [g for g in window if not g.is_percent and not is_change(g) and not g.num.bound and not g.num.approx
              and g.num.kind == "figure" and (family is None or g.family == family)]
    prior = None
    for g in levels:
        if (base_year is not None and g.year == base_year) or _PRIOR.search(g.raw_label):
            prior = g
    current = None
    for g in levels:
        if g is not prior and not (base_year is not None and g.year == base_year) and not _PRIOR.search(g.raw_label):
            current = g
    if current is not None and prior is not None and current.family != prior.family:
        return []
    if current is not None and not _same_thing(current, anchor):
        current = None
    if prior is not None and current is None:
        return []
    out: list[Finding] = []
    direction = _direction(amount or pct)
    if amount is not None and current is not None and prior is not None:
        diff = current.interval - prior.interval
        signed = amount.interval.scale(Decimal(direction or 1))
        if not (diff.meets(signed) or (direction == 0 and diff.meets(amount.interval.scale(Decimal(-1))))):
            calc = fmt((diff.mid) / amount.num.scale, amount.num.decimals, amount.num.unit)
            out.append(Finding(
                "RPT-CHANGE", "error", amount.where, amount.quote, amount.shown, calc,
                f"增减额 {amount.shown} 与两年数字不符：{current.shown} − {prior.shown}（{prior.where.text}）= {calc}："
                f"请核对增减额或两年数字",
                (current.where, prior.where),
                {"change": plain(amount.value), "current": plain(current.value), "prior": plain(prior.value)}))
    if pct is None:
        return out
    if prior is not None:
        base = prior.interval
        change = (current.interval - prior.interval) if current is not None else None
        if change is not None and direction < 0:
            change = change.scale(Decimal(-1))
        if change is None and amount is not None:
            change = amount.interval
    elif amount is not None and current is not None and direction != 0:
        base = current.interval - amount.interval.scale(Decimal(direction))
        change = amount.interval
    else:
        return out
    if change is None:
        return out
    q = change.div(base)
    if q is None:
        return out
    q = q.scale(_HUNDRED)
    if pct.interval.meets(q) or pct.interval.meets(q.scale(Decimal(-1))):
        return out
    calc = fmt(abs(q.mid), max(2, pct.num.decimals), "%")
    base_text = prior.shown if prior is not None else f"{current.shown} {'−' if direction > 0 else '+'} {amount.shown}"
    out.append(Finding(
        "RPT-CHANGE", "error", pct.where, pct.quote, pct.shown, calc,
        f"增减幅度 {pct.shown} 与数字不符：增减额 ÷ 上年数（{base_text}）= {calc}：请核对增减幅度或相关数字",
        tuple(x.where for x in (current, prior, amount) if x is not None),
        {"percent": plain(pct.value), "computed": plain(q.mid.quantize(Decimal("0.0001")))}))
    return out


def _same_thing(current: Figure, anchor: Figure) -> bool:
    """The change's own clause names the same thing as the figure taken for this year (or names nothing)."""
    m = re.search(r"^(.*?)(比|较|与|同比)", anchor.clause_text)
    subj = labels.clean(m.group(1)) if m else ""
    if not subj or not current.label or labels.is_generic(subj):
        return True
    return labels.common_run(labels.subject(subj) or subj, current.label) >= min(4, len(subj))
