"""JSON documents of `validate --json` and `score --json` (schemas in docs/json.md)."""

from __future__ import annotations

import json
import math
from itertools import islice

from selfeval_xl.core.money import pct_points
from selfeval_xl.core.numbers import to_decimal
from selfeval_xl.rules.finding import has_errors
from selfeval_xl.core.model import figure


def _f(v):
    return None if v is None else float(v)


def validation_json(checked, rows: bool = True) -> dict:
    wb = checked.wb
    doc = {"file": wb.path, "ok": not has_errors(checked.findings), "forms": forms_json(wb.forms),
           "recalculated": wb.recalculated,
           "findings": [f.as_dict() for f in checked.findings], "budget": None, "goals": None, "project": None}
    if wb.budget:
        b = wb.budget
        doc["budget"] = budget_json(b) if rows else {"sheet": b.sheet, "unit": b.unit, "rows": _ROWS_MARK}
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


def _shown(v: float) -> float:
    """A stored figure as the user saw it (core.numbers.to_decimal: 15 significant digits)."""
    return float(to_decimal(v))


def _figure_json(v: float) -> str:
    """json.dumps(_shown(v)), with one repr (the streamed rows' hot path; test_validate holds it to _shown)."""
    r = float.__repr__(v)
    if len(r) <= 15:
        return r if v - v == 0.0 else json.dumps(v)
    return _rounded_json(v)


def _rounded_json(v: float) -> str:
    """float.__repr__(float(f"{v:.15g}")) without the round trip: a string of at most 15 significant digits is
    what repr gives for the float it reads as (no two such strings read as one float), so only the spelling
    differs — repr adds ".0" to a whole number and writes exponents from 1e16, %g from 1e15."""
    g = f"{v:.15g}"
    if "e" in g:
        return float.__repr__(float(g))
    return g if "." in g else g + ".0"


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


def _columns(t) -> list[list[float]]:
    """Every row's total, spent and remaining as floats: a text number's value, 0.0 for a blank or unreadable cell
    (BudgetTable.floats; a column the table lacks is all 0)."""
    return [t.floats(f) if f in t.num else [0.0] * t.n for f in ("total", "spent", "remaining")]


def _labels(t) -> list[str]:
    """What each row is called: its label, a 小计 or 总计 row its category when it has no label."""
    return [t.label[i] if k != "subtotal" and k != "grand" else (t.label[i] or t.category[i]) for i, k in enumerate(t.kind)]


def _budget_rows(t):
    """(row, label, kind, category, total, spent, remaining, rate) of every 表5 row, from the columns, the figures
    as the user saw them."""
    total, spent, remaining = _columns(t)
    for i, label in enumerate(_labels(t)):
        yield (t.row[i], label, t.kind[i], t.category[i], _shown(total[i]), _shown(spent[i]), _shown(remaining[i]),
               _rate_points(t, i, spent[i], total[i]))


def _figures_json(column: list[float]) -> list[str]:
    """json.dumps(_shown(v)) of a column: float.__repr__ in one C pass, only the long ones (more than 15
    significant digits) and any non-finite value through _figure_json."""
    if not all(map(math.isfinite, column)):
        return list(map(_figure_json, column))
    return [r if len(r) <= 15 else _rounded_json(v) for r, v in zip(map(float.__repr__, column), column)]


_ROW_KEYS = ("row", "label", "kind", "category", "total", "spent", "remaining", "rate")


def budget_json(t) -> dict:
    """表5 as validate --json gives it: every row with its kind, category and figures, built from the columns."""
    return {"sheet": t.sheet, "unit": t.unit, "rows": [dict(zip(_ROW_KEYS, r)) for r in _budget_rows(t)]}


_ROWS_MARK = "\x00rows\x00"
_ROW_JSON = ('{"row": %d, "label": %s, "kind": "%s", "category": %s, "total": %s, "spent": %s, "remaining": %s, '
             '"rate": %s}')  # one 表5 row as json.dumps writes it, its texts and figures already in JSON
CHUNK = 2000  # rows written at a time


def write_validation_json(checked, out) -> None:
    """validate --json written to out as json.dumps(validation_json(checked)) would give it, with the 表5 rows
    streamed in chunks instead of held as 20,000 dicts and one string (issue 16: memory at 20,000 rows)."""
    doc = validation_json(checked, rows=False)
    text = json.dumps(doc, ensure_ascii=False)
    if checked.wb.budget is None:
        out.write(text + "\n")
        return
    head, tail = text.split(json.dumps(_ROWS_MARK), 1)
    out.write(head + "[")
    from json.encoder import encode_basestring as text  # what json.dumps(…, ensure_ascii=False) writes for a str

    t = checked.wb.budget
    total, spent, remaining = _columns(t)
    categories = {c: text(c) for c in set(t.category)}
    rates = [_num(_rate_points(t, i, sp, tot)) for i, (sp, tot) in enumerate(zip(spent, total))]
    rows = map(_ROW_JSON.__mod__, zip(t.row, map(text, _labels(t)), t.kind, map(categories.__getitem__, t.category),
                                      *map(_figures_json, (total, spent, remaining)), rates))
    first = True
    while chunk := ", ".join(islice(rows, CHUNK)):
        out.write(chunk if first else ", " + chunk)
        first = False
    out.write("]" + tail + "\n")


def _num(v) -> str:
    """A number as json.dumps writes it (float.__repr__, Infinity/NaN as json spells them; null for None)."""
    if type(v) is float and v - v == 0.0:
        return float.__repr__(v)
    return "null" if v is None else json.dumps(v)


def forms_json(forms) -> list[dict]:
    return [{"form": f.form, "name": f.name, "sheet": f.sheet, "header_row": f.header_row} for f in forms]


def score_json(result, forms=()) -> dict:
    """`score --json` (docs/json.md): the rule total beside the unit's own figures."""
    return {"forms": forms_json(forms), "system": result.system.id, "total": float(result.total),
            "self_total": _f(result.self_total), "self_sum": _f(result.self_sum), "grade": result.grade,
            "unscored": float(result.unscored), "fund": result.fund.as_dict() if result.fund else None,
            "items": [i.as_dict() for i in result.items], "findings": [f.as_dict() for f in result.findings]}
