"""JSON documents of `validate --json` and `score --json` (schemas in docs/json.md)."""

from __future__ import annotations

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
        b = wb.budget
        doc["budget"] = {"sheet": b.sheet, "unit": b.unit, "rows": [
            {"row": r.row, "label": r.label if r.kind not in ("subtotal", "grand") else (r.label or r.category),
             "kind": r.kind, "category": r.category, "total": _f(r.get("total")), "spent": _f(r.get("spent")),
             "remaining": _f(r.get("remaining")), "rate": _f(pct_points(r.rate))} for r in b.rows]}
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


def forms_json(forms) -> list[dict]:
    return [{"form": f.form, "name": f.name, "sheet": f.sheet, "header_row": f.header_row} for f in forms]


def score_json(result, forms=()) -> dict:
    """`score --json` (docs/json.md): the rule total beside the unit's own figures."""
    return {"forms": forms_json(forms), "system": result.system.id, "total": float(result.total),
            "self_total": _f(result.self_total), "self_sum": _f(result.self_sum), "grade": result.grade,
            "unscored": float(result.unscored), "fund": result.fund.as_dict() if result.fund else None,
            "items": [i.as_dict() for i in result.items], "findings": [f.as_dict() for f in result.findings]}
