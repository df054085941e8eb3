"""A check-report finding and the rules that make them: id, severity, and how to write numbers in messages.

A finding is JSON-able through as_dict(): numbers are strings (Decimal as printed), never floats.
"""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.money import xround
from selfeval_xl.core.record import field, record
from selfeval_xl.narrative.blocks import Location
from selfeval_xl.rules.severity import Severity

# rule id → (severity, what it checks); the severity of a finding may be lowered per case (see each rule)
RULES = {
    "RPT-SAME": ("error", "同一标签（同一年度、同一口径）在报告中出现不同数字"),
    "RPT-RATE": ("error", "执行率/完成预算/控制率不等于所列支出 ÷ 预算"),
    "RPT-PART-GT": ("error", "“其中/包括”的某一项大于其总数"),
    "RPT-SUM": ("error", "“其中/包括”各项之和与总数不符"),
    "RPT-SHARE": ("error", "占比/比重不等于部分 ÷ 总数"),
    "RPT-CHANGE": ("error", "比上年增减额或增减幅度与两年数字不符"),
    "RPT-TBL-RATE": ("error", "表格中执行率（执行进度）不等于支出数 ÷ 预算（年度总指标）"),
    "RPT-TBL-REMAIN": ("error", "表格中剩余（结余）不等于预算（年度总指标）− 支出数"),
    "RPT-WB": ("error", "报告中的数字与工作簿不一致"),
}


@record(frozen=True)
class Finding:
    """One contradiction: where, the sentence quoted, the stated figure and what the other figures imply."""

    rule: str
    severity: str  # a Severity's value: "error", "warning" or "info"
    location: Location
    sentence: str
    stated: str  # the figure as the report prints it: "47.2 万元"
    expected: str  # what the other figures imply, or the other figure: "≤ 45.25 万元"
    message: str  # Chinese, one line, says what to do
    related: tuple[Location, ...] = ()
    numbers: dict = field(default_factory=dict)  # name → Decimal as string

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "location": self.location.as_dict(),
                "where": self.location.text, "sentence": self.sentence, "stated": self.stated,
                "expected": self.expected, "message": self.message,
                "related": [r.as_dict() for r in self.related], "numbers": dict(self.numbers)}

    def sort_key(self) -> tuple:
        return (self.location.sort_key(), Severity(self.severity).rank, self.rule)

    def __str__(self) -> str:
        return f"[{Severity(self.severity).zh}] {self.rule} {self.location.text}：{self.message}"


def fmt(value: Decimal, decimals: int = 2, unit: str = "") -> str:
    """value rounded like Excel's ROUND to decimals, with thousands separators, and its unit: "38,304.02 万元"."""
    s = f"{xround(value, decimals):,.{decimals}f}"
    if unit in ("%", "‰"):
        return s + unit
    return f"{s} {unit}".strip()


def plain(value: Decimal) -> str:
    """A Decimal as a plain string for JSON (no exponent)."""
    s = format(value, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"
