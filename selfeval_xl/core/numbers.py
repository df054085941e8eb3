"""Numbers as people type them into 表5: text, full-width, units, dashes, percents, errors.

`parse_number` never raises: it classifies the raw cell so that rules can report
text-where-a-number-must-be with the text quoted, and a number no budget can hold (not finite, or
|x| ≥ LIMIT) as "absurd" (rules/limits.py reports it at its cell; the arithmetic leaves it out).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple
from decimal import Decimal, InvalidOperation

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
# The largest magnitude a figure can have: 10^15 万元 is ten thousand times any government's yearly budget, and
# 10^15 元 still a thousand times a province's. Figures below it keep their cents within Decimal's 28 digits.
LIMIT = Decimal(10) ** 15
_LIMIT_F = 1e15
_ZERO_MARKS = frozenset({"-", "—", "–", "--", "——", "―", "/", "无"})
# Unit words people append to amounts, with their factor to 元.
UNIT_FACTORS = {"亿元": Decimal("100000000"), "万元": Decimal("10000"), "元": Decimal("1")}
# compiled where used (re keeps it): a 表5 of stored numbers never needs it, and compiling it costs 0.5 ms
_NUM = r"^\(?([+-]?)(\d+(?:,\d{3})*(?:\.\d*)?|\.\d+)\)?(%|‰)?(亿元|万元|元)?$"


class Parsed(NamedTuple):
    """A classified cell: kind is number, blank, text or error. (A NamedTuple: one is made per cell read.)"""

    kind: str  # number, blank, text, error, or absurd (not finite, or |x| ≥ LIMIT: value None)
    value: Decimal | None = None
    raw: object = None
    unit: str | None = None
    percent: bool = False

    @property
    def ok(self) -> bool:
        return self.kind in ("number", "blank")


def normalise_text(text: str) -> str:
    """Full-width to half-width, minus signs to '-', and strip spaces."""
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("−", "-").replace("﹣", "-").replace("，", ",")
    return re.sub(r"\s+", "", t)


def in_range(value: Decimal | float) -> bool:
    """True for a finite number below LIMIT in magnitude (NaN and ±inf are not)."""
    if type(value) is float:  # the common case: compared as floats (a NaN compares False)
        return -_LIMIT_F < value < _LIMIT_F
    try:
        return -LIMIT < value < LIMIT
    except (ArithmeticError, TypeError):  # a signalling Decimal NaN
        return False


def to_decimal(value: float | int) -> Decimal:
    """A float from a spreadsheet cell as the Decimal the user saw (15 significant digits)."""
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    r = repr(value)
    if len(r) <= 15:  # already what Excel shows; the common case
        return Decimal(r)
    return Decimal(repr(float(f"{value:.15g}")))


def parse_number(raw: object) -> Parsed:
    """Classify one cell value; text numbers become Decimals, '%' divides by 100."""
    if raw is None or raw == "":
        return Parsed("blank", Decimal(0), raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Parsed("number", to_decimal(raw), raw) if in_range(raw) else Parsed("absurd", None, raw)
    if isinstance(raw, Decimal):
        return Parsed("number", raw, raw) if in_range(raw) else Parsed("absurd", None, raw)
    if not isinstance(raw, str):
        return Parsed("text", None, raw)
    stripped = raw.strip()
    if stripped.upper() in EXCEL_ERRORS:
        return Parsed("error", None, raw)
    t = normalise_text(stripped)
    if t == "":
        return Parsed("blank", Decimal(0), raw)
    if t in _ZERO_MARKS:
        return Parsed("number", Decimal(0), raw)
    m = re.match(_NUM, t)
    if not m:
        return Parsed("text", None, raw)
    sign, digits, pct, unit = m.groups()
    try:
        value = Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return Parsed("text", None, raw)
    if sign == "-" or (t.startswith("(") and t.endswith(")")):
        value = -value
    if not in_range(value):
        return Parsed("absurd", None, raw, unit=unit, percent=bool(pct))
    if pct == "%":
        value = value / 100
    elif pct == "‰":
        value = value / 1000
    return Parsed("number", value, raw, unit=unit, percent=bool(pct))


def as_rate(p: Parsed) -> Parsed:
    """A rate cell: a number above 2 (200%) typed without % means percentage points (97.67 → 0.9767)."""
    if p.kind == "number" and not p.percent and abs(p.value) > 2:
        return Parsed("number", p.value / 100, p.raw)
    return p


def convert_unit(value: Decimal, from_unit: str | None, to_unit: str) -> Decimal:
    """Convert between 亿元/万元/元; an unknown or missing source unit is left as is."""
    if not from_unit or from_unit == to_unit or from_unit not in UNIT_FACTORS or to_unit not in UNIT_FACTORS:
        return value
    return value * UNIT_FACTORS[from_unit] / UNIT_FACTORS[to_unit]


_PERCENT = r"^([0-9.]+)(%?)$"  # compiled where used


def parse_percent(text: str) -> Decimal | None:
    """A percentage as people write it — 90, 90%, 0.9 and ９０％ all mean 90 — in percent, or None when it is not
    one between 0 (excluded) and 100. A bare number up to 1 is a fraction (0.9 → 90); above 1 already in percent."""
    m = re.match(_PERCENT, normalise_text(text or ""))
    if not m:
        return None
    try:
        value = Decimal(m.group(1))
    except InvalidOperation:
        return None
    if not m.group(2) and value <= 1:
        value *= 100
    return value if 0 < value <= 100 else None
