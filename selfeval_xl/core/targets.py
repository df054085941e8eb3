"""Parse 指标值 / 完成值 as written: `≥95%`, `5 次`, `2天以内`, `200亿元`, `有效改善`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from selfeval_xl.core.numbers import UNIT_FACTORS, to_decimal

_PREFIX = [
    ("≥", ("≥", "≧", ">=", "不低于", "不少于", "至少", "大于等于", "大于或等于", "达到")),
    ("≤", ("≤", "≦", "<=", "不高于", "不超过", "不多于", "小于等于", "小于或等于", "控制在")),
    (">", (">", "大于", "高于", "超过", "多于")),
    ("<", ("<", "小于", "低于", "少于")),
    ("=", ("=", "等于")),
]
_SUFFIX = [("≥", ("以上", "及以上", "或以上")), ("≤", ("以内", "以下", "及以下", "之内"))]
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|‰|亿元|万元|元|[A-Za-z\u4e00-\u9fff]{1,2})?")
QUAL = "定性"


@dataclass(frozen=True)
class Target:
    """op is ≥ ≤ > < = or 定性; value is a Decimal (percent as a fraction); unit is '%' or a word."""

    op: str
    value: Decimal | None
    unit: str
    text: str

    @property
    def qualitative(self) -> bool:
        return self.op == QUAL


def parse_target(text: object, default_op: str = "≥") -> Target:
    """Return operator, number and unit; text with no number is qualitative."""
    raw = "" if text is None else str(text)
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return Target(default_op, to_decimal(text), "", raw)
    t = unicodedata.normalize("NFKC", raw).strip()
    m = _NUMBER.search(t)
    if not m:
        return Target(QUAL, None, "", raw)
    before, after = t[: m.start()], t[m.end():]
    unit = m.group(2) or ""
    suffixes = [w for _, words in _SUFFIX for w in words]
    # "人以上" / "天以内": the unit is one character and the rest is a suffix word.
    if unit and any((unit + after).startswith(w) for w in suffixes):
        after, unit = unit + after, ""
    elif len(unit) == 2 and any((unit[1:] + after).startswith(w) for w in suffixes):
        after, unit = unit[1:] + after, unit[0]
    op = None
    for sym, words in _PREFIX:
        if any(before.strip().endswith(w) or before.strip().startswith(w) for w in words):
            op = sym
            break
    if op is None:
        for sym, words in _SUFFIX:
            if any(after.strip().startswith(w) for w in words):
                op = sym
                break
    value = Decimal(m.group(1).replace(",", ""))
    if unit == "%":
        value = value / 100
    elif unit == "‰":
        value, unit = value / 1000, "%"
    return Target(op or default_op, value, unit, raw)


def comparable(target: Target, actual: Target) -> tuple[Decimal, Decimal] | None:
    """Both values in the target's unit, or None when the units cannot be compared."""
    if target.value is None or actual.value is None:
        return None
    tu, au = target.unit, actual.unit
    if tu == au or not au or not tu:
        return target.value, actual.value
    if tu in UNIT_FACTORS and au in UNIT_FACTORS:
        return target.value, actual.value * UNIT_FACTORS[au] / UNIT_FACTORS[tu]
    return None
