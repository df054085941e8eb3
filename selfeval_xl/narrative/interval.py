"""Interval arithmetic on Decimal, for comparing figures that were rounded when printed.

A figure printed as 45.25 stands for anything in [45.245, 45.255]; 34% for [33.5, 34.5]. Two figures
contradict each other only when no values they can stand for agree: sums, differences and quotients are
computed on the intervals, and a stated figure is wrong only if its own interval misses the result.
Hand-written (a few lines) because no maintained Decimal interval library exists in the standard library.
"""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.record import record


@record(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @staticmethod
    def exact(v: Decimal) -> "Interval":
        """An exact value (a count, a workbook cell)."""
        return Interval(v, v)

    @staticmethod
    def shown(value: Decimal, decimals: int, scale: Decimal = Decimal(1), loose: Decimal = Decimal(0)) -> "Interval":
        """What a printed figure stands for: half a unit of its last digit either side, times its scale;
        loose widens it by that fraction of the value (for 约/近/余)."""
        half = Decimal(5) / Decimal(10) ** (decimals + 1)
        spread = max(half, abs(value) * loose)
        return Interval((value - spread) * scale, (value + spread) * scale)

    def __add__(self, o: "Interval") -> "Interval":
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: "Interval") -> "Interval":
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def scale(self, k: Decimal) -> "Interval":
        """self times k (k may be negative)."""
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def div(self, o: "Interval") -> "Interval | None":
        """self / o, or None when o may be zero."""
        if o.lo <= 0 <= o.hi:
            return None
        qs = [self.lo / o.lo, self.lo / o.hi, self.hi / o.lo, self.hi / o.hi]
        return Interval(min(qs), max(qs))

    def meets(self, o: "Interval") -> bool:
        """Whether the two intervals share a value."""
        return self.lo <= o.hi and o.lo <= self.hi

    def above(self, o: "Interval") -> bool:
        """Every value of self is larger than every value of o."""
        return self.lo > o.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2


def total(items) -> Interval:
    """The sum of intervals."""
    out = Interval.exact(Decimal(0))
    for i in items:
        out = out + i
    return out
