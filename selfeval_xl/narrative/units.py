"""Units of the figures a report prints: which family a unit belongs to and its scale to the family's base.

Money in 元/万元/亿元 is one family ("CNY"); every other currency is its own family (万美元 is never compared
with 元); percentages, percentage points, scores and each kind of count are families of their own.
"""

from __future__ import annotations

from decimal import Decimal

# multiplier characters that may stand between a number and its base unit: 52258 万美元, 117.82万人次
MULTIPLIERS = {"": Decimal(1), "千": Decimal(1000), "万": Decimal(10_000), "百万": Decimal(1_000_000),
               "千万": Decimal(10_000_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12)}

CURRENCIES = {"元": "CNY", "人民币": "CNY", "美元": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR",
              "日元": "JPY", "英镑": "GBP", "澳门元": "MOP", "澳元": "AUD"}

# counted things: each base unit is its own family ("count:个"); 人 and 名 stay apart on purpose
COUNTS = ("人次", "次户", "批次", "场次", "个月", "小时", "平方米", "公里", "个", "项", "家", "次", "场",
          "件", "套", "辆", "人", "名", "份", "本", "台", "条", "户", "所", "处", "篇", "期", "座", "栋",
          "间", "张", "天", "周", "亩", "吨", "株", "只", "头", "册", "部", "类", "批", "轮", "组", "支")

PERCENT = {"%": "pct", "‰": "permille", "个百分点": "pp", "百分点": "pp"}


def classify(multiplier: str, base: str) -> tuple[str, Decimal, str] | None:
    """(family, scale to the family's base, canonical unit text) for a multiplier and base unit, or None."""
    scale = MULTIPLIERS.get(multiplier)
    if scale is None:
        return None
    if base in CURRENCIES:
        return CURRENCIES[base], scale, multiplier + base
    if base in PERCENT:
        return (PERCENT[base], Decimal(1), base) if not multiplier else None
    if base == "分":
        return ("score", Decimal(1), "分") if not multiplier else None
    if base in COUNTS:
        return "count:" + base, scale, multiplier + base
    if base == "" and multiplier in ("万", "亿", "万亿"):
        # "调减预算250万": a bare 万/亿 in a budget report means 万元/亿元
        return "CNY", scale, multiplier + "元"
    return None


def is_money(family: str) -> bool:
    """A currency family (CNY, USD, ...)."""
    return family in set(CURRENCIES.values())


def base_alternatives() -> list[str]:
    """Every base unit text, longest first, for the scanner's regular expression."""
    words = set(CURRENCIES) | set(COUNTS) | set(PERCENT) | {"分"}
    return sorted(words, key=len, reverse=True)
