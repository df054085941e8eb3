"""The report use cases: `report_file` drafts the self-evaluation report (.docx) of a workbook; `workbook_figures`
gives the workbook's labelled figures, as it shows them, for `check-report --workbook`."""

from __future__ import annotations

import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from selfeval_xl.errors import FileError
from selfeval_xl.rules.registry import DEFAULT_THRESHOLD


def report_file(src: str | os.PathLike, out: str | os.PathLike, force: bool = False,
                threshold: Decimal = DEFAULT_THRESHOLD, system: str | None = None) -> Path:
    """Validate and score the workbook at src, then write its draft report to out (.docx; never over an existing
    file unless force). Returns out."""
    from selfeval_xl.app.validate import validate

    target = Path(out)
    if target.suffix.lower() != ".docx":  # so never the workbook itself either
        raise FileError(f"报告文件名应以 .docx 结尾：{target.name}，请用 -o 指定如 自评报告.docx")
    checked = score_if_scorable(validate(src, threshold), system)
    return write_checked(checked, target, force=force, threshold=threshold, src=src)


def score_if_scorable(checked, system: str | None = None):
    """Score the workbook when it can be: a project form, a 评分表, or a named system. A department workbook with
    neither is still reported (its conclusion is left 【待填写】), where `score` would stop with an error."""
    from selfeval_xl.app.score import score

    if system or checked.wb.kind == "project" or checked.wb.scorecard is not None:
        score(checked, system)
    return checked


def write_checked(checked, out: str | os.PathLike, force: bool = False, threshold: Decimal = DEFAULT_THRESHOLD,
                  src: str | os.PathLike | None = None) -> Path:
    """The draft report of a workbook already validated and (to conclude) scored: the add-in's model, read live,
    or report_file's. src names the workbook in the report's 数据来源 notes (default: the model's path)."""
    from selfeval_xl.writers.report.figures import collect
    from selfeval_xl.writers.report.writer import write_report

    facts = collect(checked, threshold)
    name = Path(str(src or checked.wb.path)).name
    return write_report(facts, out, force=force, source_name=name)


def workbook_figures(checked):
    """The workbook's labelled figures as `WorkbookFigure`s (label, value as shown, unit, source cell, shown
    text), for check_report(…, workbook=…). A label that two different figures would answer to (two rows of the
    same name) is left out: check-report could not tell which one a report means."""
    from selfeval_xl.narrative import WorkbookFigure, canonical
    from selfeval_xl.writers.report.figures import collect, workbook_label

    keyed = [((canonical(w.label), w.unit), w)
             for w in (WorkbookFigure(*workbook_label(f)) for f in collect(checked).labelled())]
    values: dict[tuple, set[Decimal]] = defaultdict(set)
    for key, w in keyed:
        values[key].add(w.value)
    return [w for key, w in keyed if key[0] is not None and len(values[key]) == 1]


def figures_file(src: str | os.PathLike, system: str | None = None):
    """workbook_figures of the workbook at src, validated and scored as `report` does: `check-report --workbook`."""
    from selfeval_xl.app.validate import validate

    return workbook_figures(score_if_scorable(validate(src), system))
