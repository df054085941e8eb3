"""Presentation of money and rates: Excel ROUND semantics (half away from zero)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")


def xround(value: Decimal, places: int = 2) -> Decimal:
    """Round half away from zero, like Excel's ROUND."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_money(value: Decimal | None) -> str:
    """1774.64 -> '1,774.64'; negative with a true minus sign as accountants read it."""
    if value is None:
        return "（空）"
    q = xround(value)
    s = f"{abs(q):,.2f}"
    return f"−{s}" if q < 0 else s


def pct_points(rate: Decimal | None) -> Decimal | None:
    """A fraction as percentage points rounded to 2 decimals: 0.976687 -> 97.67."""
    return None if rate is None else xround(rate * 100)


def fmt_pct(rate: Decimal | None) -> str:
    """0.976687 -> '97.67%'."""
    if rate is None:
        return "（空）"
    return f"{pct_points(rate):.2f}%"


def fmt_score(value: Decimal | None) -> str:
    if value is None:
        return "（未评分）"
    q = xround(value)
    return f"{q:.2f}".rstrip("0").rstrip(".") if q == q.to_integral() else f"{q:.2f}"


def fmt_figure(value: Decimal | None) -> str:
    """A figure in a message: 0 as "0", others as fmt_money."""
    if value is None:
        return "（空）"
    return "0" if value == 0 else fmt_money(value)
