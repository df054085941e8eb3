"""The derived inputs of 基础数据, formula and function side by side: the template writes the formula, the
engine computes the function, and both read the same inputs (the 表5 figures from its 总计 row)."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from selfeval_xl.core.record import record
from selfeval_xl.forms.layouts import BUDGET5

_Z = Decimal(0)


def _ref(field: str) -> str:
    return f"'{BUDGET5.name}'!{BUDGET5.letter(field)}{{g}}"


@record(frozen=True)
class Derived:
    name: str  # the defined name (core.catalog)
    formula: str  # Excel; {g} is the 表5 总计 row
    compute: Callable[[dict, dict], Decimal]  # (input values by name, 表5 总计 figures by field)
    needs_budget: bool = False  # only defined when the workbook has a 表5 总计 row


def _sum(*names: str) -> Callable[[dict, dict], Decimal]:
    return lambda v, g: sum((v.get(n) or _Z for n in names), _Z)


DERIVED: dict[str, Derived] = {d.name: d for d in (
    Derived("ThreeBudget", "=ThreeBudgetAbroad+ThreeBudgetCar+ThreeBudgetRecept",
            _sum("ThreeBudgetAbroad", "ThreeBudgetCar", "ThreeBudgetRecept")),
    Derived("ThreeActual", "=ThreeActualAbroad+ThreeActualCar+ThreeActualRecept",
            _sum("ThreeActualAbroad", "ThreeActualCar", "ThreeActualRecept")),
    Derived("StaffTotal", "=StaffActual+StaffExtra", _sum("StaffActual", "StaffExtra")),
    Derived("BudgetScale", "=" + _ref("budget"), lambda v, g: g["budget"], True),
    # 调整、调剂 = |追加| + |调整| of the 总计 row (docs/scoring.md: seed 001's reading)
    Derived("AdjustAmount", f"=MAX({_ref('added')},-{_ref('added')})+MAX({_ref('adjust')},-{_ref('adjust')})",
            lambda v, g: abs(g["added"]) + abs(g["adjust"]), True),
    Derived("BudgetTotal", "=" + _ref("total"), lambda v, g: g["total"], True),
    Derived("BudgetSpent", "=" + _ref("spent"), lambda v, g: g["spent"], True),
)}


def derive(values: dict[str, Decimal | None], grand: dict[str, Decimal] | None) -> dict[str, Decimal | None]:
    """values with every derived input computed; those from 表5 only when its 总计 figures are given."""
    out = dict(values)
    for d in DERIVED.values():
        if d.needs_budget and grand is None:
            continue
        out[d.name] = d.compute(out, grand or {})
    return out


def input_values(wb) -> dict[str, Decimal | None]:
    """基础数据 values by name (None where not typed as a number), the derived ones recomputed from their inputs and
    表5's 总计 row (the Python engine is the oracle; the workbook's own formulas are checked against it)."""
    from selfeval_xl.core.catalog import BASIC

    vals: dict[str, Decimal | None] = {}
    for i in BASIC:
        c = wb.basic.get(i.name)
        typed = c is not None and c.parsed.kind == "number" and c.parsed.raw not in (None, "")
        vals[i.name] = c.parsed.value if typed else None
    t = wb.budget
    g = t.grand_index() if t is not None else None
    return derive(vals, {f: t.value(g, f) for f in _GRAND_FIELDS} if g is not None else None)


_GRAND_FIELDS = ("budget", "carry", "added", "adjust", "total", "spent", "remaining")


def formula(name: str, grand_row: int) -> str:
    """The Excel formula of a derived input, for a 表5 whose 总计 is on sheet row grand_row."""
    return DERIVED[name].formula.format(g=grand_row)
