"""JSON documents of `validate --json` and `score --json` (schemas in docs/json.md)."""

from __future__ import annotations

from selfeval_xl.core.money import pct_points
from selfeval_xl.rules.finding import has_errors


def _f(v):
    return None if v is None else float(v)


def validation_json(checked) -> dict:
    wb = checked.wb
    doc = {"file": wb.path, "ok": not has_errors(checked.findings),
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
        doc["project"] = {"sheet": p.sheet, "header": p.header,
                          "funds": [{"row": f.row, "label": f.label, **{k: _f(c.value) for k, c in f.cells.items()}} for f in p.funds],
                          "indicators": [{"row": i.row, "path": [i.level1, i.level2, i.level3], "nature": i.nature,
                                          "target": str(i.target), "actual": str(i.actual),
                                          "points": _f(i.points.value) if i.points else None} for i in p.indicators]}
    return doc


def score_json(result) -> dict:
    return {"system": result.system.id, "total": float(result.total), "grade": result.grade,
            "unscored": float(result.unscored),
            "items": [i.as_dict() for i in result.items], "findings": [f.as_dict() for f in result.findings]}
