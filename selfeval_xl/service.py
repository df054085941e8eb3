"""The use cases shared by the CLI, the export, the demo and the add-in actions."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from selfeval_xl.core.model import SEVERITIES, Finding, Workbook
from selfeval_xl.core.rules import DEFAULT_THRESHOLD, run_rules
from selfeval_xl.errors import ConfigError


@dataclass
class Checked:
    wb: Workbook
    findings: list[Finding]
    score: object | None = None  # ScoreResult
    score_findings: list[Finding] = field(default_factory=list)

    @property
    def all_findings(self) -> list[Finding]:
        return self.findings + self.score_findings

    def counts(self, which: list[Finding] | None = None) -> dict[str, int]:
        c = dict.fromkeys(SEVERITIES, 0)
        for f in which if which is not None else self.all_findings:
            c[f.severity] += 1
        return c


@contextmanager
def _no_cycle_collection():
    """Reading makes a few objects per cell and no reference cycles; the cycle collector's repeated
    passes over them cost ~40% of a 20,000-row validate. Paused, then restored (the add-in is long-lived)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def validate(path: str | Path, threshold: Decimal = DEFAULT_THRESHOLD) -> Checked:
    """Read the workbook at path and run every rule; all findings are collected."""
    from selfeval_xl.io.reader import read_workbook

    with _no_cycle_collection():
        return check(read_workbook(path), threshold)


def check(wb: Workbook, threshold: Decimal = DEFAULT_THRESHOLD) -> Checked:
    """Run every rule on a model already read (from a file or from live Excel)."""
    return Checked(wb, wb.findings + run_rules(wb, threshold))


def input_values(wb: Workbook) -> dict[str, Decimal | None]:
    """基础数据 values by name; derived ones recomputed from their inputs and 表5 (the Python engine is the oracle)."""
    from selfeval_xl.core.catalog import BASIC

    vals: dict[str, Decimal | None] = {}
    for i in BASIC:
        c = wb.basic.get(i.name)
        vals[i.name] = c.parsed.value if c is not None and c.parsed.kind == "number" and c.parsed.raw not in (None, "") else None
    z = lambda k: vals.get(k) or Decimal(0)  # noqa: E731
    vals["ThreeBudget"] = z("ThreeBudgetAbroad") + z("ThreeBudgetCar") + z("ThreeBudgetRecept")
    vals["ThreeActual"] = z("ThreeActualAbroad") + z("ThreeActualCar") + z("ThreeActualRecept")
    vals["StaffTotal"] = z("StaffActual") + z("StaffExtra")
    grand = wb.budget.grand() if wb.budget else None
    if grand is not None:
        vals["BudgetScale"] = grand.get("budget")
        vals["AdjustAmount"] = abs(grand.get("added")) + abs(grand.get("adjust"))
        vals["BudgetTotal"] = grand.get("total")
        vals["BudgetSpent"] = grand.get("spent")
    return vals


def score(checked: Checked, system_name: str | None = None):
    """Score with the workbook's own 评分表 (live configuration), or a named preset/YAML."""
    from selfeval_xl.scoring.engine import score_system
    from selfeval_xl.scoring.system import load_system

    wb = checked.wb
    if wb.kind == "project" and wb.project is not None and (system_name in (None, "national-project")):
        from selfeval_xl.scoring.project import score_project

        result = score_project(wb.project, load_system("national-project"))
    else:
        sheet = wb.scorecard
        if system_name:
            system = load_system(system_name)
            inputs = sheet.inputs if sheet else {}
        elif sheet is not None:
            system, inputs = sheet.system, sheet.inputs
        else:
            raise ConfigError("工作簿中没有 评分表（含“计分方法”列），请用 --system 指定指标体系，如 --system futian-dept-2020")
        result = score_system(system, input_values(wb), inputs)
        if sheet is not None:
            from selfeval_xl.core.model import Finding as F

            result.findings.extend(F("error", "S-MANUAL", sheet.system.title and "评分表", cell, f"评分表!{cell} {msg}")
                                   for cell, msg in sheet.problems)
    checked.score = result
    checked.score_findings = result.findings
    return result
