"""A figure no budget can hold — 10^15 or more in magnitude, typed or stored — reported at its cell: the
user's mistake (a pasted account number, digits typed twice), not an unreadable file."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from selfeval_xl.core.model import BUDGET_FIELD_ZH, BudgetTable, Cell
from selfeval_xl.core.money import fmt_money
from selfeval_xl.core.numbers import LIMIT, normalise_text
from selfeval_xl.core.record import fields, is_record
from selfeval_xl.rules.registry import Rule, check, declare
from selfeval_xl.rules.severity import Severity

E = Severity.ERROR
_TEXT = "{field} 为 {value}，超出任何预算可能的数额（绝对值应小于 10 的 15 次方），多半是误填或多输了数字，请核对"
_SOURCE = f"数值范围：|数额| < {LIMIT:,.0f}（以万元计，为任何单位年度预算的万倍以上）"
# the names of a form's numeric cells, where its table keeps them under a field or key of that name
FIELD_ZH = {"plan": "年初预算数", "budget": "预算数", "spent": "执行数", "rate": "执行率", "points": "分值", "score": "得分",
            "manual": "手工得分", "coef": "得分系数", "own": "自评得分", "own_total": "合计", "total_score": "总分",
            "total_points": "分值合计"}

declare(
    Rule("LIM-B5", E, "表5", _TEXT, _SOURCE),
    Rule("LIM-FORM", E, "项目自评表", _TEXT, _SOURCE),
    Rule("LIM-CARD", E, "评分表", _TEXT, _SOURCE),
)


def absurd(c: Cell) -> bool:
    """True when the cell holds a number out of range: classified so when parsed, or a stored number read
    straight through (表5's figures)."""
    p = c.parsed
    return p.kind == "absurd" or (type(p.raw) is float and not -1e15 < p.raw < 1e15)


def shown(c: Cell) -> str:
    """The cell's number in a message: in scientific notation, or its text cut short."""
    raw = c.parsed.raw
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(normalise_text(str(raw)).replace(",", ""))
        return fmt_money(value)
    except (InvalidOperation, ValueError):
        text = str(raw).strip()
        return f"“{text[:20]}…”（{len(text):,} 字）" if len(text) > 24 else f"“{text}”"


def _cells(obj, name: str = ""):
    """(field name, Cell) for every Cell reachable from a table (its rows, their dicts and fields)."""
    if isinstance(obj, Cell):
        yield name, obj
    elif is_record(obj):
        for name in fields(obj):
            yield from _cells(getattr(obj, name), name)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _cells(v, str(k))
    elif isinstance(obj, list):
        for v in obj:
            yield from _cells(v, name)


def _hit(field: str, c: Cell):
    return c.addr, {"field": field, "value": shown(c)}


def _hits(cells):
    seen = set()
    for name, c in cells:
        if absurd(c) and c.addr not in seen:
            seen.add(c.addr)
            yield _hit(FIELD_ZH.get(name, "数值"), c)


@check("LIM-B5")
def _lim_b5(t: BudgetTable, ctx):
    for f in t.fields:  # the reader keeps every figure out of range in the side map, classified absurd
        for i in sorted(i for i, p in t.odd[f].items() if p.kind == "absurd"):
            yield _hit(BUDGET_FIELD_ZH[f], t.cell(i, f))


@check("LIM-FORM")
def _lim_form(t, ctx):
    yield from _hits(_cells(t))


@check("LIM-CARD")
def _lim_card(t, ctx):
    yield from _hits(_cells(t))
