"""A finding: one problem at one cell, with the rule that found it and a Chinese message saying what to do."""

from __future__ import annotations

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.record import record
from selfeval_xl.rules.severity import Severity


@record(frozen=True)
class Finding:
    """Built only by `selfeval_xl.rules.registry.finding`, which fills the message from the rule's template."""

    severity: Severity
    rule: str
    cell: CellAddress
    message: str

    def __post_init__(self) -> None:
        if not isinstance(self.cell, CellAddress) or not self.cell.sheet or self.cell.row < 1 or self.cell.col < 1:
            raise ValueError(f"a finding needs a sheet and a cell: {self.rule} {self.cell!r}")

    @property
    def sheet(self) -> str:
        return self.cell.sheet

    @property
    def a1(self) -> str:
        return self.cell.a1

    def sort_key(self) -> tuple:
        return (self.severity.rank, self.cell.sheet, self.cell.row, self.cell.a1)

    def as_dict(self) -> dict:
        return {"severity": self.severity.value, "rule": self.rule, "sheet": self.cell.sheet, "cell": self.cell.a1,
                "message": self.message}


def counts(findings) -> dict[str, int]:
    """{"error": n, "warning": n, "info": n}."""
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


def has_errors(findings) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
