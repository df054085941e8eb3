"""The validate use case: read a workbook (file or live), run every rule, collect every finding."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_xl.core.model import Workbook
from selfeval_xl.core.record import field, record
from selfeval_xl.rules.finding import Finding, counts
from selfeval_xl.rules.registry import DEFAULT_THRESHOLD, run_rules


@record
class Checked:
    """A workbook's model with its findings, and (once scored) its score and the scoring findings."""

    wb: Workbook
    findings: list[Finding]
    score: object | None = None  # scoring.engine.ScoreResult, set by app.score.score
    score_findings: list[Finding] = field(default_factory=list)

    @property
    def all_findings(self) -> list[Finding]:
        return self.findings + self.score_findings

    def counts(self, which: list[Finding] | None = None) -> dict[str, int]:
        return counts(which if which is not None else self.all_findings)


def validate(path: str | Path, threshold: Decimal = DEFAULT_THRESHOLD, rules: dict | None = None,
             data: bytes | None = None) -> Checked:
    """Read the workbook at path (or held in memory as data, named path) and run every rule; all findings are
    collected. rules overrides fields of the forms' scoring rule sets (--rules)."""
    from selfeval_xl.app.runtime import no_cycle_collection
    from selfeval_xl.forms.reader import read_file

    with no_cycle_collection():
        return check(read_file(path, data=data), threshold, rules)


def check(wb: Workbook, threshold: Decimal = DEFAULT_THRESHOLD, rules: dict | None = None) -> Checked:
    """Run every rule on a model already read (from a file or from live Excel)."""
    return Checked(wb, run_rules(wb, threshold, rules))
