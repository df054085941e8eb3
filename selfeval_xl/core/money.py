"""Presentation of money and rates: Excel ROUND semantics (half away from zero)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from selfeval_xl.core.numbers import in_range


def xround(value: Decimal, places: int = 2) -> Decimal:
    """Round half away from zero, like Excel's ROUND. Never raises: a value too long for the context's 28 digits
    is rounded with as many digits as it needs, and one that is not finite is returned as it is."""
    q = Decimal(1).scaleb(-places)
    try:
        return value.quantize(q, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        if not value.is_finite():
            return value
        with localcontext() as ctx:
            ctx.prec = max(ctx.prec, value.adjusted() + places + 2)
            return value.quantize(q, rounding=ROUND_HALF_UP)


def _absurd(value: Decimal) -> str | None:
    """How a figure no budget can hold is shown (None for one in range): scientific notation, or what it is
    when not finite."""
    if in_range(value):
        return None
    if value.is_nan():
        return "非数值"
    if value.is_infinite():
        return "无穷大" if value > 0 else "负无穷大"
    return f"{value:.2E}".replace("-", "−")


def fmt_money(value: Decimal | None) -> str:
    """1774.64 -> '1,774.64'; negative with a true minus sign as accountants read it."""
    if value is None:
        return "（空）"
    shown = _absurd(value)
    if shown is not None:
        return shown
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
    points = pct_points(rate)
    shown = _absurd(points)
    return f"{shown}%" if shown is not None else f"{points:.2f}%"


def fmt_score(value: Decimal | None) -> str:
    if value is None:
        return "（未评分）"
    shown = _absurd(value)
    if shown is not None:
        return shown
    q = xround(value)
    return f"{q:.2f}".rstrip("0").rstrip(".") if q == q.to_integral() else f"{q:.2f}"


def fmt_figure(value: Decimal | None) -> str:
    """A figure in a message: 0 as "0", others as fmt_money."""
    if value is None:
        return "（空）"
    return "0" if value == 0 else fmt_money(value)
