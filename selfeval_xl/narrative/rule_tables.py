"""Arithmetic inside a report's tables, row by row, where the header names the columns:
RPT-TBL-RATE 执行率/执行进度 = 支出数 ÷ 年度总指标 (or 调整后预算, 全年预算数, 预算数);
RPT-TBL-REMAIN 剩余指标/结余 = 年度总指标 − 支出数. "-" in a cell is nil (0).
"""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_xl.narrative.blocks import Block, Report, Table
from selfeval_xl.narrative.findings import Finding, fmt, plain
from selfeval_xl.narrative.interval import Interval
from selfeval_xl.narrative.numbers import Number, parse_amount

# budget columns, most specific first: the first pattern that names a column wins
_BUDGET = (r"年度总指标|调整后.*(预算|指标)|全年预算", r"预算数|预算金额|预算安排", r"总指标")
_SPENT = r"支出数|实际支出|执行数|决算数|支出金额|实际完成|完成数"
_RATE = r"执行率|执行进度|支出进度|完成率|控制率"
_REMAIN = r"剩余|结余|余额"
_HUNDRED = Decimal(100)


def _find(header: list[str], pattern: str, exclude: str = r"原因|说明") -> int | None:
    hits = [i for i, h in enumerate(header) if re.search(pattern, h) and not re.search(exclude, h)]
    return hits[0] if len(hits) == 1 else None


def columns(header: list[str]) -> dict[str, int]:
    """Which column holds the budget, the spending, the rate and the remainder, by the header's words."""
    cols: dict[str, int] = {}
    for pat in _BUDGET:
        i = _find(header, pat)
        if i is not None:
            cols["budget"] = i
            break
    for name, pat in (("spent", _SPENT), ("rate", _RATE), ("remain", _REMAIN)):
        i = _find(header, pat)
        if i is not None:
            cols[name] = i
    return cols


def _cell(row: list[Block | None], i: int) -> Block | None:
    return row[i] if i < len(row) else None


def _amount(b: Block | None) -> Number | None:
    return parse_amount(b.folded) if b is not None else None


def _iv(n: Number) -> Interval:
    return Interval.shown(n.value, n.decimals)


def row_text(row: list[Block | None]) -> str:
    return " | ".join(b.text if b else "" for b in row)[:200]


def check(report: Report) -> list[Finding]:
    """Findings of every table whose header names budget and spending columns."""
    out: list[Finding] = []
    for t in report.tables:
        out += _check_table(t)
    return out


def _check_table(t: Table) -> list[Finding]:
    if len(t.rows) < 2:
        return []
    header = [b.folded if b else "" for b in t.rows[0]]
    cols = columns(header)
    if "budget" not in cols or "spent" not in cols:
        return []
    out: list[Finding] = []
    for row in t.rows[1:]:
        bc, sc = _cell(row, cols["budget"]), _cell(row, cols["spent"])
        b, s = _amount(bc), _amount(sc)
        if b is None or s is None or b.family not in ("", "CNY") or s.family not in ("", "CNY"):
            continue
        if "rate" in cols:
            rc = _cell(row, cols["rate"])
            r = _amount(rc)
            if rc is not None and r is not None and r.family == "pct" and not r.bound and b.value:
                q = _iv(s).div(_iv(b))
                if q is not None and not _iv(r).meets(q.scale(_HUNDRED)):
                    calc = fmt(q.scale(_HUNDRED).mid, max(2, r.decimals), "%")
                    out.append(Finding(
                        "RPT-TBL-RATE", "error", rc.where(), row_text(row), r.shown, calc,
                        f"{header[cols['rate']]} {r.shown} ≠ {header[cols['spent']]} {s.digits} ÷ "
                        f"{header[cols['budget']]} {b.digits} = {calc}：请核对该行",
                        (sc.where(), bc.where()),
                        {"rate": plain(r.value), "spent": plain(s.value), "budget": plain(b.value)}))
        if "remain" in cols:
            mc = _cell(row, cols["remain"])
            m = _amount(mc)
            if mc is not None and m is not None and m.family in ("", "CNY"):
                diff = _iv(b) - _iv(s)
                if not _iv(m).meets(diff):
                    calc = fmt(diff.mid, max(b.decimals, s.decimals))
                    out.append(Finding(
                        "RPT-TBL-REMAIN", "error", mc.where(), row_text(row), m.digits, calc,
                        f"{header[cols['remain']]} {m.digits} ≠ {header[cols['budget']]} {b.digits} − "
                        f"{header[cols['spent']]} {s.digits} = {calc}：请核对该行",
                        (bc.where(), sc.where()),
                        {"remain": plain(m.value), "budget": plain(b.value), "spent": plain(s.value)}))
    return out
