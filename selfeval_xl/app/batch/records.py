"""What the per-file job sends back: small, picklable records (no model, no grids), one per workbook read or
per file that could not be read. Figures stay Decimal; they are rounded only where they are presented."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from selfeval_xl.core.record import field, record

RED, YELLOW = "red", "yellow"
LEVEL_ZH = {RED: "红色", YELLOW: "黄色"}


class Source(NamedTuple):
    """Where a workbook came from: as listed (`材料.zip → 单位A/自评表.xlsx`), the file on disk a hyperlink opens
    (the workbook itself, or the .zip / .eml holding it) and when it was received (seconds since the epoch: the
    mail's Date, the zip entry's time, else the file's modification time)."""

    display: str
    link: str
    received: float


class FindingRow(NamedTuple):
    severity: str  # error, warning, info
    rule: str
    sheet: str
    cell: str  # A1
    message: str


class Alert(NamedTuple):
    """A 预警: red or yellow, the rule that raised it, the reason in words, and the cell it is about."""

    level: str
    rule: str
    kind: str  # 自评高于执行支持, 执行率低, 自评虚高, 有错误
    reason: str
    cell: str = ""  # sheet!A1, or "" when it is about the whole workbook


@record
class Reviewed:
    """A workbook read, checked and (where it has an indicator system) scored."""

    source: Source
    kind: str  # dept, project
    forms: tuple[str, ...]  # the Chinese names of the forms recognised
    form_key: tuple[str, ...]  # the catalogue ids (or the names) — with unit, year and project, what makes a duplicate
    unit: str
    year: str
    project: str
    total: Decimal | None  # the rule total; None when the workbook has no indicator system to score with
    grade: str
    self_total: Decimal | None  # the unit's own 总分 as filled
    self_sum: Decimal | None  # Σ of the unit's own 得分
    budget: Decimal | None  # 执行率 block: A (全年预算数 / 年度总指标)
    spent: Decimal | None  # B (全年执行数 / 支出数)
    rate: Decimal | None  # B/A as a fraction
    fund_points: Decimal | None
    fund_score: Decimal | None  # the rule's 执行率得分
    fund_self_score: Decimal | None  # the unit's own
    errors: int
    warnings: int
    infos: int
    findings: tuple[FindingRow, ...] = ()
    alerts: tuple[Alert, ...] = ()
    note: str = ""  # why there is no rule total, when there is none

    @property
    def difference(self) -> Decimal | None:
        """自评总分 − 规则总分."""
        return None if self.self_total is None or self.total is None else self.self_total - self.total

    @property
    def level(self) -> str:
        """The worst 预警 level, "" when none."""
        levels = {a.level for a in self.alerts}
        return RED if RED in levels else YELLOW if YELLOW in levels else ""

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


@record
class Unreadable:
    """A file that could not be read, with its one-line reason."""

    source: Source
    reason: str
    exit_code: int = 2


@record
class Superseded:
    """A workbook of the same unit, year and form as a newer one: listed, not counted."""

    record: Reviewed
    kept: Reviewed


@record
class Outcome:
    """Every record of a batch, in listing order, with the duplicates set apart."""

    reviewed: list[Reviewed] = field(default_factory=list)  # counted
    unreadable: list[Unreadable] = field(default_factory=list)
    superseded: list[Superseded] = field(default_factory=list)
    skipped: int = 0  # files in folders that are not workbooks, archives or mail
