"""The batch as tables (pandas): one row per workbook, per 预警, per finding, per unreadable file, per duplicate;
and what the 分布 sheet charts (totals by band, grades, 自评得分 against 执行率). Figures stay Decimal in the
tables; floats are made only for binning and charting."""

from __future__ import annotations

import pandas as pd

from selfeval_xl.app.batch.records import RED, YELLOW, Outcome, Reviewed, Superseded
from selfeval_xl.core.record import field, record

BANDS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, float("inf")]
BAND_LABELS = ["0–10", "10–20", "20–30", "30–40", "40–50", "50–60", "60–70", "70–80", "80–90", "90–100"]
GRADE_ORDER = ["优", "良", "中", "差"]
UNSCORED = "未计分"


@record
class Tables:
    summary: pd.DataFrame
    alerts: pd.DataFrame
    findings: pd.DataFrame
    unreadable: pd.DataFrame
    duplicates: pd.DataFrame
    bands: pd.DataFrame  # band, self (份数 by 自评总分), rule (份数 by 规则总分)
    grades: pd.DataFrame  # grade, count
    overview: dict = field(default_factory=dict)


def deduplicate(records: list[Reviewed]) -> tuple[list[Reviewed], list[Superseded]]:
    """The same unit, year and form (and project, for project forms) more than once: the newest counts (by the
    time received, then by name), the others are listed. A workbook whose unit or year is not known is never
    taken for a duplicate."""
    keyed = [r for r in records if r.unit and r.year]
    if not keyed:
        return list(records), []
    df = pd.DataFrame({"i": range(len(keyed)), "unit": [r.unit for r in keyed], "year": [r.year for r in keyed],
                       "form": ["|".join(r.form_key) for r in keyed], "project": [r.project for r in keyed],
                       "received": [r.source.received for r in keyed], "display": [r.source.display for r in keyed]})
    df = df.sort_values(["received", "display"])
    newest = df.groupby(["unit", "year", "form", "project"], sort=False)["i"].transform("last")
    superseded = [Superseded(keyed[i], keyed[n]) for i, n in zip(df["i"], newest) if i != n]
    gone = {id(s.record) for s in superseded}
    return [r for r in records if id(r) not in gone], sorted(superseded, key=lambda s: s.record.source.display)


def summary_frame(records: list[Reviewed]) -> pd.DataFrame:
    """One row per workbook counted."""
    return pd.DataFrame({
        "file": [r.source.display for r in records],
        "link": [r.source.link for r in records],
        "unit": [r.unit for r in records],
        "year": [r.year for r in records],
        "forms": ["、".join(r.forms) for r in records],
        "project": [r.project for r in records],
        "self_total": [r.self_total for r in records],
        "total": [r.total for r in records],
        "difference": [r.difference for r in records],
        "grade": [r.grade for r in records],
        "rate": [r.rate for r in records],
        "budget": [r.budget for r in records],
        "spent": [r.spent for r in records],
        "errors": pd.array([r.errors for r in records], dtype="int64"),
        "warnings": pd.array([r.warnings for r in records], dtype="int64"),
        "infos": pd.array([r.infos for r in records], dtype="int64"),
        "alert": [r.level for r in records],
        "alert_kinds": ["、".join(dict.fromkeys(a.kind for a in r.alerts)) for r in records],
        "note": [r.note for r in records],
    })


def alerts_frame(records: list[Reviewed]) -> pd.DataFrame:
    rows = [(r.source.display, r.source.link, r.unit, r.project, a.level, a.kind, a.rule, a.reason, a.cell)
            for r in records for a in r.alerts]
    df = pd.DataFrame(rows, columns=["file", "link", "unit", "project", "level", "kind", "rule", "reason", "cell"])
    order = df["level"].map({RED: 0, YELLOW: 1})
    return df.assign(_o=order).sort_values(["_o", "file"], kind="stable").drop(columns="_o").reset_index(drop=True)


def findings_frame(records: list[Reviewed]) -> pd.DataFrame:
    rows = [(r.source.display, r.source.link, r.unit, f.sheet, f.cell, f.severity, f.rule, f.message)
            for r in records for f in r.findings]
    return pd.DataFrame(rows, columns=["file", "link", "unit", "sheet", "cell", "severity", "rule", "message"])


def unreadable_frame(outcome: Outcome) -> pd.DataFrame:
    rows = sorted((u.source.display, u.source.link, u.reason) for u in outcome.unreadable)
    return pd.DataFrame(rows, columns=["file", "link", "reason"])


def duplicates_frame(superseded: list[Superseded]) -> pd.DataFrame:
    rows = [(s.record.source.display, s.record.source.link, s.record.unit, s.record.year, "、".join(s.record.forms),
             s.record.project, s.record.source.received, s.kept.source.display, s.kept.source.received) for s in superseded]
    return pd.DataFrame(rows, columns=["file", "link", "unit", "year", "forms", "project", "received", "kept", "kept_received"])


def bands_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """份数 of workbooks per 10-point band, by the unit's own total and by the rule total (each band holds its
    lower bound; 90–100 holds 100 and above)."""
    def count(col):
        x = pd.to_numeric(summary[col].map(lambda v: None if v is None else float(v)), errors="coerce")
        banded = pd.cut(x, BANDS, right=False, labels=BAND_LABELS)
        return banded.value_counts(sort=False).reindex(BAND_LABELS, fill_value=0).astype("int64")

    return pd.DataFrame({"band": BAND_LABELS, "self": count("self_total").values, "rule": count("total").values})


def grade_of(summary: pd.DataFrame) -> pd.Series:
    """Each workbook's 评价等级, 未计分 where it has no rule total (the 分布 chart's bars, the sample's strata)."""
    return summary["grade"].where(summary["total"].notna(), UNSCORED).replace("", UNSCORED)


def grade_order(present) -> list[str]:
    """优, 良, 中, 差, then any other grade in name order, then 未计分."""
    return GRADE_ORDER + sorted(set(present) - set(GRADE_ORDER) - {UNSCORED}) + [UNSCORED]


def grades_frame(summary: pd.DataFrame) -> pd.DataFrame:
    counts = grade_of(summary).value_counts()
    counts = counts.reindex(grade_order(counts.index), fill_value=0).astype("int64")
    return pd.DataFrame({"grade": counts.index, "count": counts.values})


def build_tables(outcome: Outcome) -> Tables:
    summary = summary_frame(outcome.reviewed)
    levels = summary["alert"].value_counts()
    overview = {
        "files": len(outcome.reviewed) + len(outcome.unreadable) + len(outcome.superseded),
        "read": len(outcome.reviewed),
        "unreadable": len(outcome.unreadable),
        "duplicates": len(outcome.superseded),
        "with_errors": int((summary["errors"] > 0).sum()),
        "red": int(levels.get(RED, 0)),
        "yellow": int(levels.get(YELLOW, 0)),
        "skipped": outcome.skipped,
    }
    return Tables(summary, alerts_frame(outcome.reviewed), findings_frame(outcome.reviewed), unreadable_frame(outcome),
                  duplicates_frame(outcome.superseded), bands_frame(summary), grades_frame(summary), overview)
