"""RPT-SAME: the same figure printed twice with different values.

Only money is compared (counts and percentages repeat with different meanings too easily), and only
figures whose key (figures.Figure.key: annex, enumerated item, scoped label, year, currency) is equal.
Bounds (≥95%, 2000万元以上), approximations (约), increases/decreases and planned values are left out.
Two figures agree when the values they can stand for after rounding overlap (250.10 = 250.1).
"""

from __future__ import annotations

from selfeval_xl.narrative.extraction import Extraction
from selfeval_xl.narrative.figures import (
    Figure,
    is_attributive,
    is_change,
    is_planned,
    money_in,
    orphan_part,
)
from selfeval_xl.narrative.findings import Finding, plain
from selfeval_xl.narrative.textnorm import cjk_count


def _eligible(f: Figure) -> bool:
    return (money_in(f) and f.num.kind == "figure" and not f.num.bound and not f.num.approx and not is_change(f)
            and not is_planned(f) and cjk_count(f.label) >= 2 and not is_attributive(f) and not orphan_part(f))


def check(ex: Extraction) -> list[Finding]:
    """One finding per later figure that disagrees with the first figure of its key."""
    first: dict[tuple, Figure] = {}
    out: list[Finding] = []
    for f in ex.figures:
        if not _eligible(f):
            continue
        k = f.key()
        g = first.get(k)
        if g is None:
            first[k] = f
            continue
        if g.interval.meets(f.interval):
            continue
        out.append(Finding(
            "RPT-SAME", "error", f.where, f.quote, f.shown, g.shown,
            f"“{f.display}”此处为 {f.shown}，{g.where.text}为 {g.shown}：同一数字前后不一致，请核对并统一",
            (g.where,), {"here": plain(f.value), "there": plain(g.value), "unit": f.num.unit}))
    return out
