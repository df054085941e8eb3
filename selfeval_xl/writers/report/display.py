"""Figures as the workbook shows them: money as "#,##0.00", rates as "0.00%" (or the decimals of the cell's
percent format), counts and other numbers as Excel's General format. Decimal throughout, rounded like Excel."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.money import xround


def money(value: Decimal) -> str:
    """38304.015 → "38,304.02"; a negative with an ASCII minus, as Excel prints it (−1,947.96 → "-1,947.96")."""
    q = xround(value)
    return ("-" if q < 0 else "") + f"{abs(q):,.2f}"


def percent(fraction: Decimal, places: int = 2) -> str:
    """0.976687 → "97.67%"; places as the cell's percent format shows (0 for "0%")."""
    q = xround(fraction * 100, places)
    return f"{q:.{places}f}%"


def general(value: Decimal) -> str:
    """As a General cell shows a number: 12 → "12", 0.5 → "0.5", at most 10 significant digits."""
    if value == value.to_integral_value():
        return f"{value:.0f}"
    digits = max(0, 10 - len(str(abs(int(value)))))
    return f"{xround(value, digits).normalize():f}"


def points(text: str) -> Decimal:
    """The figure a shown text stands for, in the unit it is shown in: "97.67%" → 97.67, "38,304.02" → 38304.02."""
    return Decimal(text.replace(",", "").rstrip("%"))
