"""check-report: read a report, extract its figures, run every rule, return the findings in reading order."""

from __future__ import annotations

import os
from typing import Iterable

from selfeval_xl.narrative import (
    rule_breakdown,
    rule_change,
    rule_rates,
    rule_same,
    rule_tables,
)
from selfeval_xl.narrative.blocks import Report
from selfeval_xl.narrative.extraction import extract
from selfeval_xl.narrative.findings import Finding
from selfeval_xl.narrative.reading import read_report
from selfeval_xl.narrative.workbook import WorkbookFigure, compare
from selfeval_xl.rules.severity import Severity


def check_report(path: str | os.PathLike, workbook: Iterable[WorkbookFigure] | None = None) -> list[Finding]:
    """Findings of the report at path (.docx, .pdf or .txt), compared with the workbook's figures if given.

    Raises ReportReadError (an InputError, exit 2) when the file cannot be read.
    """
    return check_document(read_report(path), workbook)


def check_document(report: Report, workbook: Iterable[WorkbookFigure] | None = None) -> list[Finding]:
    """Findings of a report already read (see reading.read_report)."""
    ex = extract(report)
    found = (rule_same.check(ex) + rule_breakdown.check(ex) + rule_rates.check(ex) + rule_change.check(ex)
             + rule_tables.check(report))
    if workbook is not None:
        found += compare(report, ex, list(workbook))
    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in sorted(found, key=Finding.sort_key):
        k = (f.rule, f.location, f.stated, f.expected)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """{"error": n, "warning": n, "info": n}."""
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity] += 1
    return out


def exit_code(findings: Iterable[Finding]) -> int:
    """0 when no finding is an error, 1 otherwise (the codes of selfeval_xl.errors)."""
    return 1 if any(f.severity == "error" for f in findings) else 0


def to_json(path: str | os.PathLike, findings: list[Finding]) -> dict:
    """{"file", "ok", "counts", "findings": [Finding.as_dict()]}: what `check-report --json` prints."""
    c = counts(findings)
    return {"file": os.fspath(path), "ok": c["error"] == 0, "counts": c, "findings": [f.as_dict() for f in findings]}


def format_text(path: str | os.PathLike, findings: list[Finding]) -> str:
    """The findings as Chinese lines for a terminal, with the quoted sentence under each."""
    c = counts(findings)
    lines = [f"{os.fspath(path)}：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"]
    for f in findings:
        lines.append(str(f))
        lines.append(f"    原文：{f.sentence}")
    if not findings:
        lines.append("未发现数字矛盾。")
    return "\n".join(lines)
