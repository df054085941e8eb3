"""The score use case: the workbook's own 评分表 (the live configuration), a named preset, or the project form."""

from __future__ import annotations

from selfeval_xl.app.validate import Checked
from selfeval_xl.core.model import Workbook
from selfeval_xl.errors import ConfigError


def score(checked: Checked, system_name: str | None = None, rules: dict | None = None):
    """Score with the workbook's own form or 评分表 (the unit's own scores kept beside the rules' figures), or a
    named preset/YAML; the result is kept on checked. rules overrides the form's scoring rule set (--rules)."""
    from selfeval_xl.scoring.derived import input_values
    from selfeval_xl.scoring.engine import score_system
    from selfeval_xl.scoring.system import load_system

    wb = checked.wb
    if wb.kind == "project" and wb.project is not None and system_name in (None, "national-project"):
        from selfeval_xl.scoring.project import score_form

        result = score_form(wb.project, load_system("national-project"), rules)
    else:
        from selfeval_xl.scoring.from_sheet import anchor, sheet_problems, system_from_table

        table = wb.scorecard
        if table is None and not system_name:
            raise ConfigError("工作簿中没有 评分表（含“计分方法”列），请用 --system 指定指标体系，如 --system futian-dept-2020")
        inputs = {}
        if table is not None:
            sheet_system, inputs = system_from_table(table)
        system = load_system(system_name) if system_name else sheet_system
        result = score_system(system, input_values(wb), inputs, anchor(table) if table else _anchor(wb), wb.basic)
        if table is not None and not table.has_methods and not system_name:
            # the unit's own 评分表: its 分值 are checked at their cells by SC-LEVEL and SC-100 (rules/scorecard.py)
            result.findings[:] = [f for f in result.findings if f.rule not in ("S-STRUCT", "S-TOTAL100")]
        if table is not None:
            result.findings.extend(sheet_problems(table))
            _keep_own_scores(result, table)
    checked.score = result
    checked.score_findings = result.findings
    return result


def _anchor(wb: Workbook):
    """Where a preset's findings point when the workbook has no 评分表: the header of the table it scores."""
    from selfeval_xl.core.address import CellAddress

    if wb.budget is not None:
        return CellAddress(wb.budget.sheet, wb.budget.header_row, 1)
    if wb.project is not None:
        return CellAddress(wb.project.sheet, 1, 1)
    return CellAddress("评分表", 1, 1)


def _keep_own_scores(result, table) -> None:
    """Beside each item's rule figure, the 自评得分 the sheet shows (the unit's own, or our formula's result)."""
    from selfeval_xl.core.model import figure

    rows = {row.path: row for row in table.rows}
    for item in result.items:
        row = rows.get(tuple(item.path))
        if row is not None:
            item.self_score = figure(row.own)
            item.cell = row.score
            item.rule = item.rule or ("手工" if not row.method else row.method)
    result.self_total = figure(table.own_total)
