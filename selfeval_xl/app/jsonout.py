"""JSON documents of `validate --json` and `score --json` (schemas in docs/json.md)."""

from __future__ import annotations

import math

from selfeval_xl.core.money import pct_points
from selfeval_xl.rules.finding import has_errors
from selfeval_xl.core.model import figure


def _f(v):
    return None if v is None else float(v)


def validation_json(checked) -> dict:
    wb = checked.wb
    doc = {"file": wb.path, "ok": not has_errors(checked.findings), "forms": forms_json(wb.forms),
           "recalculated": wb.recalculated,
           "findings": [f.as_dict() for f in checked.findings], "budget": None, "goals": None, "project": None}
    if wb.budget:
        doc["budget"] = budget_json(wb.budget)
    if wb.goals:
        doc["goals"] = {"sheet": wb.goals.sheet, "rows": [
            {"row": g.row, "level1": g.level1, "level2": g.level2, "level3": g.level3, "target": g.target,
             "actual": g.actual, "note": g.note} for g in wb.goals.rows]}
    if wb.project:
        p = wb.project
        doc["project"] = {"sheet": p.sheet, "form": p.form, "header": p.header,
                          "funds": [{"row": f.row, "label": f.label, "key": f.key,
                                     **{k: _f(figure(c)) for k, c in f.cells.items()}} for f in p.funds],
                          "indicators": [{"row": i.row, "path": [i.level1, i.level2, i.level3], "nature": i.nature,
                                          "target": str(i.goal), "actual": str(i.actual), "points": _f(figure(i.points)),
                                          "score": _f(figure(i.score))} for i in p.indicators],
                          "total": _f(figure(p.total_score)), "grade": p.grade or None}
    return doc


def _shown(v: float | None) -> float:
    """A stored figure as the user saw it (15 significant digits, as core.numbers.to_decimal); 0 for blank."""
    if v is None:
        return 0.0
    return v if len(repr(v)) <= 15 else float(f"{v:.15g}")


def _rate_points(t, i: int, spent: float, total: float) -> float | None:
    """Row i's 支出 ÷ 总指标 in percentage points, rounded half away from zero to 2 decimals (None for a 0 total);
    computed in floats, in Decimal when the third decimal sits on the half."""
    if not total:
        return None
    q = spent / total * 100
    y = abs(q) * 100
    whole = math.floor(y)
    if abs(y - whole - 0.5) < 1e-6 or not y < 1e15:
        return _f(pct_points(t.rate(i)))
    cents = whole + (1 if y - whole > 0.5 else 0)
    return math.copysign(cents / 100, q) if cents else 0.0


def budget_json(t) -> dict:
    """表5 as validate --json gives it: every row with its kind, category and figures, built from the columns."""
    n = t.n
    none = [None] * n

    def column(f):
        c = t.num.get(f) or none
        if f in t.num and t.odd[f]:  # text numbers keep their parsed value; unreadable cells count 0
            c = [None if i in t.odd[f] and t.odd[f][i].kind != "number" else v for i, v in enumerate(c)]
        return [_shown(v) for v in c]

    total, spent, remaining = column("total"), column("spent"), column("remaining")
    rows = []
    for i in range(n):
        kind = t.kind[i]
        label = t.label[i] if kind != "subtotal" and kind != "grand" else (t.label[i] or t.category[i])
        rows.append({"row": t.row[i], "label": label, "kind": kind, "category": t.category[i], "total": total[i],
                     "spent": spent[i], "remaining": remaining[i],
                     "rate": _rate_points(t, i, spent[i], total[i])})
    return {"sheet": t.sheet, "unit": t.unit, "rows": rows}


def forms_json(forms) -> list[dict]:
    return [{"form": f.form, "name": f.name, "sheet": f.sheet, "header_row": f.header_row} for f in forms]


def score_json(result, forms=()) -> dict:
    """`score --json` (docs/json.md): the rule total beside the unit's own figures."""
    return {"forms": forms_json(forms), "system": result.system.id, "total": float(result.total),
            "self_total": _f(result.self_total), "self_sum": _f(result.self_sum), "grade": result.grade,
            "unscored": float(result.unscored), "fund": result.fund.as_dict() if result.fund else None,
            "items": [i.as_dict() for i in result.items], "findings": [f.as_dict() for f in result.findings]}
