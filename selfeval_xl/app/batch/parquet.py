"""`--parquet OUT.parquet` for analysts: one row per file (read, unreadable or superseded), with its findings and
预警 as nested lists. Figures are exact decimals: scores to 4 places, money to 6, 执行率 (a fraction) to 8."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_xl.app.batch.records import Outcome, Reviewed
from selfeval_xl.core.money import xround
from selfeval_xl.errors import UsageError
from selfeval_xl.writers.atomic import atomic_path

_PLACES = {"self_total": 4, "self_sum": 4, "total": 4, "difference": 4, "fund_points": 4, "fund_score": 4,
           "fund_self_score": 4, "budget": 6, "spent": 6, "rate": 8}
_DIGITS = {4: 18, 6: 24, 8: 18}


def require_pyarrow() -> None:
    """Fail before the batch runs, not after."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError("--parquet 需要 pyarrow：请先安装 pip install 'selfeval-xl[parquet]'") from None


def _q(v: Decimal | None, places: int) -> Decimal | None:
    return None if v is None else xround(v, places)


def _row(r: Reviewed, status: str, kept: str = "") -> dict:
    row = {"file": r.source.display, "link": r.source.link, "status": status, "reason": "", "kept": kept,
           "kind": r.kind, "forms": list(r.forms), "unit": r.unit, "year": r.year, "project": r.project,
           "grade": r.grade, "errors": r.errors, "warnings": r.warnings, "infos": r.infos, "alert": r.level,
           "note": r.note, "findings": [f._asdict() for f in r.findings], "alerts": [a._asdict() for a in r.alerts]}
    values = {"self_total": r.self_total, "self_sum": r.self_sum, "total": r.total, "difference": r.difference,
              "budget": r.budget, "spent": r.spent, "rate": r.rate, "fund_points": r.fund_points,
              "fund_score": r.fund_score, "fund_self_score": r.fund_self_score}
    row.update({k: _q(v, _PLACES[k]) for k, v in values.items()})
    return row


def write_parquet(outcome: Outcome, path: str | Path, force: bool = True) -> Path:
    import pandas as pd
    import pyarrow as pa

    rows = [_row(r, "已读取") for r in outcome.reviewed]
    rows += [_row(s.record, "重复（未计入）", s.kept.source.display) for s in outcome.superseded]
    rows += [{"file": u.source.display, "link": u.source.link, "status": "无法读取", "reason": u.reason} for u in outcome.unreadable]
    finding = pa.struct([(k, pa.string()) for k in ("severity", "rule", "sheet", "cell", "message")])
    alert = pa.struct([(k, pa.string()) for k in ("level", "rule", "kind", "reason", "cell")])
    fields = [(k, pa.string()) for k in ("file", "link", "status", "reason", "kept", "kind")]
    fields += [("forms", pa.list_(pa.string()))] + [(k, pa.string()) for k in ("unit", "year", "project", "grade")]
    fields += [(k, pa.decimal128(_DIGITS[p], p)) for k, p in _PLACES.items()]
    fields += [(k, pa.int64()) for k in ("errors", "warnings", "infos")]
    fields += [("alert", pa.string()), ("note", pa.string()), ("findings", pa.list_(finding)), ("alerts", pa.list_(alert))]
    schema = pa.schema(fields)
    df = pd.DataFrame(rows, columns=schema.names)
    path = Path(path)
    with atomic_path(path, force=force) as tmp:
        df.to_parquet(tmp, engine="pyarrow", schema=schema, index=False)
    return path
