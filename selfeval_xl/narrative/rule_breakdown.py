"""其中 / 包括 breakdowns: a part larger than its whole (RPT-PART-GT), parts that do not add up (RPT-SUM).

A "其中" list often names only some parts, so a sum below the whole is reported only when the list is
evidently complete: a parallel list in another unit adds up exactly (7+14+17 = 38 个 beside the amounts),
the parts' shares add up to 100%, a part is 其他/其余, or the list is introduced by 包括. A list whose sum
exceeds the whole is accepted when its first parts alone make the whole (what follows is a nested or a new
item), which is how "其中 A 3 个、B 15 个，其中 7 个…" reads.
"""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.narrative import units
from selfeval_xl.narrative.breakdowns import Breakdown
from selfeval_xl.narrative.extraction import Extraction
from selfeval_xl.narrative.figures import SHARE, Figure
from selfeval_xl.narrative.findings import Finding, fmt, plain
from selfeval_xl.narrative.interval import Interval, total

_REST = ("其他", "其它", "其余", "剩余")


def check(ex: Extraction) -> list[Finding]:
    """Findings of every breakdown in the report."""
    out: list[Finding] = []
    for bd in ex.breakdowns:
        out += _check_one(bd, ex)
    return out


def _name(f: Figure) -> str:
    return f"“{f.display}”" if f.label else ""


def _in_unit(v: Decimal, like: Figure) -> Decimal:
    return v / like.num.scale


def _check_one(bd: Breakdown, ex: Extraction) -> list[Finding]:
    whole, parts = bd.whole, bd.parts
    w = whole.interval
    big = [p for p in parts if p.interval.above(w)]
    if big:
        return [_part_gt(p, whole) for p in big]
    if len(parts) < 2:
        return []
    s = total(p.interval for p in parts)
    if s.meets(w):
        return []
    if s.above(w):
        return [_sum(bd, s, "大于", "error")]
    if _complete(bd, ex):
        return [_sum(bd, s, "小于", "warning")]
    return []


def _complete(bd: Breakdown, ex: Extraction) -> bool:
    if bd.marker in ("包括", "包含") and units.is_money(bd.whole.family):
        return True
    if any(p.label.startswith(_REST) for p in bd.parts):
        return True
    for sib in bd.siblings:
        if len(sib.parts) == len(bd.parts) >= 2 and total(p.interval for p in sib.parts).meets(sib.whole.interval):
            return True
    shares = [_share_after(p, ex) for p in bd.parts]
    if all(shares) and total(x.interval for x in shares).meets(Interval.exact(Decimal(100))):
        return True
    return False


def _share_after(p: Figure, ex: Extraction) -> Figure | None:
    figs = ex.by_block[p.block.index]
    i = ex.in_block[id(p)]
    for g in figs[i + 1:i + 3]:
        if g.is_percent and g.family == "pct" and SHARE.search(g.raw_label) and g.sentence == p.sentence:
            return g
        if not g.is_percent:
            break
    for g in reversed(figs[:i]):
        if g.sentence != p.sentence or not g.is_percent:
            break
        if g.family == "pct" and SHARE.search(g.raw_label):
            return g
    return None


def _part_gt(p: Figure, whole: Figure) -> Finding:
    unit = p.num.unit
    return Finding(
        "RPT-PART-GT", "error", p.where, p.quote, p.shown, f"≤ {whole.shown}",
        f"{_name(p)}{p.shown} 大于其所属总数{_name(whole)}{whole.shown}（{whole.where.text}）："
        f"部分不能大于整体，请核对这两个数字",
        (whole.where,), {"part": plain(p.value), "whole": plain(whole.value), "unit": unit})


def _sum(bd: Breakdown, s: Interval, word: str, severity: str) -> Finding:
    whole, first = bd.whole, bd.parts[0]
    dec = max([p.num.decimals for p in bd.parts] + [whole.num.decimals])
    unit = whole.num.unit
    sum_shown = fmt(_in_unit(s.mid, whole), dec, unit)
    diff = fmt(abs(_in_unit(s.mid - whole.value * whole.num.scale, whole)), dec, unit)
    listed = " + ".join(p.num.shown for p in bd.parts)
    hint = "" if word == "大于" else "（若只列举了部分项目，可忽略或写明“等”）"
    return Finding(
        "RPT-SUM", severity, first.where, first.quote, sum_shown, whole.shown,
        f"“{bd.marker}”各项之和 {listed} = {sum_shown}，{word}总数{_name(whole)}{whole.shown}（差 {diff}）："
        f"请核对各项或总数{hint}",
        (whole.where,) + tuple(p.where for p in bd.parts[1:] if p.where != first.where),
        {"sum": plain(_in_unit(s.mid, whole)), "whole": plain(whole.value), "unit": unit,
         "parts": [plain(p.value) for p in bd.parts]})
