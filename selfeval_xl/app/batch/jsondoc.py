"""The JSON document of `batch --json` (schema in docs/batch.md). Numbers as in docs/json.md: figures as JSON
numbers, 执行率 in percent rounded half away from zero to 2 decimals (97.67), null when absent."""

from __future__ import annotations

from datetime import datetime

from selfeval_xl.app.batch.records import Outcome, Reviewed
from selfeval_xl.core.money import pct_points


def _f(v):
    return None if v is None else float(v)


def _when(ts: float) -> str | None:
    return datetime.fromtimestamp(ts).isoformat(timespec="seconds") if ts else None


def workbook_json(r: Reviewed) -> dict:
    return {
        "file": r.source.display, "link": r.source.link, "received": _when(r.source.received),
        "kind": r.kind, "forms": list(r.forms), "unit": r.unit, "year": r.year, "project": r.project,
        "self_total": _f(r.self_total), "self_sum": _f(r.self_sum), "total": _f(r.total), "difference": _f(r.difference),
        "grade": r.grade or None, "rate": _f(pct_points(r.rate)), "budget": _f(r.budget), "spent": _f(r.spent),
        "fund": {"points": _f(r.fund_points), "score": _f(r.fund_score), "self_score": _f(r.fund_self_score)},
        "counts": {"error": r.errors, "warning": r.warnings, "info": r.infos},
        "alert": r.level or None,
        "alerts": [a._asdict() for a in r.alerts],
        "findings": [f._asdict() for f in r.findings],
        "note": r.note or None,
        "exit": r.exit_code,
    }


def batch_json(outcome: Outcome, tables, sample, exit_code: int) -> dict:
    return {
        "summary": {**tables.overview, "exit": exit_code},
        "workbooks": [workbook_json(r) for r in outcome.reviewed],
        "unreadable": [{"file": u.source.display, "link": u.source.link, "reason": u.reason, "exit": u.exit_code}
                       for u in sorted(outcome.unreadable, key=lambda u: u.source.display)],
        "duplicates": [{"file": s.record.source.display, "received": _when(s.record.source.received),
                        "unit": s.record.unit, "year": s.record.year, "forms": list(s.record.forms),
                        "project": s.record.project, "kept": s.kept.source.display} for s in outcome.superseded],
        "distribution": {"bands": tables.bands.to_dict("records"),
                         "grades": dict(zip(tables.grades["grade"], tables.grades["count"].astype(int)))},
        "sample": None if sample is None else {
            "seed": sample.seed, "size": sample.wanted,
            "strata": {g: {"workbooks": n, "drawn": k} for g, (n, k) in sample.strata.items()},
            "files": list(sample.rows["file"])},
    }
