"""A figure with its context: label, year, sentence, the 其中 whole it belongs to, and the key under which
two figures are "the same figure" for the same-label check; and the predicates rules use to leave figures out.

A label is scoped by its context so that different figures never share a key: the year (2019 vs 2020), the
breakdown's whole ("年初预算总额 > 基本支出" vs "实际支出 > 基本支出"), the subject a bare measure word
refers to ("公务接待费 … 实际支出"), the enumerated item (1．项目A … 2．项目B) and the annex (附件2 vs 附件3).
"""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_xl.core.record import record
from selfeval_xl.narrative import units
from selfeval_xl.narrative.blocks import Block, Location
from selfeval_xl.narrative.interval import Interval
from selfeval_xl.narrative.numbers import Number

_CHANGE = re.compile(r"增加|增长|减少|下降|降低|上升|增幅|降幅|同比|环比|相比|较上年|比上年|[比较]\d{4}")
_CHANGE_END = re.compile(r"(增加|增长|减少|下降|降低|上升)$")
SHARE = re.compile(r"占|比重|占比")
RATE_WORDS = re.compile(r"执行率|执行进度|完成预算|预算完成|完成率|控制率|支出进度")
_PLANNED = re.compile(r"目标|预期|计划|预计|拟|以上|以下")


@record(eq=False)
class Figure:
    """One figure as printed, where it is, and what it is of."""

    block: Block
    num: Number
    raw_label: str
    label: str
    year: int | None
    sentence: tuple[int, int]  # offsets of its sentence in block.folded
    clause_start: int
    part: int = 0  # the 附件 the figure is in (0: the report's body)
    title: str = ""
    parent: "Figure | None" = None
    scope: str = ""  # subject or sentence the label is scoped to
    report_year: int | None = None  # the year the report is about, for figures that name none

    @property
    def value(self) -> Decimal:
        return self.num.value

    @property
    def family(self) -> str:
        return self.num.family

    @property
    def shown(self) -> str:
        return ("约" if self.num.approx and self.block.folded[max(0, self.num.start - 2):self.num.start].find("约") >= 0
                else "") + self.num.shown

    @property
    def where(self) -> Location:
        return self.block.where(self.num.start)

    @property
    def interval(self) -> Interval:
        """In the family's base unit (元 for money)."""
        if self.family.startswith("count:") and self.num.decimals == 0 and self.num.scale == 1 and not self.num.approx:
            return Interval.exact(self.value)  # 19 项 is exactly 19
        loose = Decimal("0.05") if self.num.approx else Decimal(0)
        return Interval.shown(self.value, self.num.decimals, self.num.scale, loose)

    @property
    def display(self) -> str:
        """The label as shown in messages, with its subject when the label alone is only a measure."""
        if self.scope and not self.scope.startswith("#") and not self.label.startswith(self.scope):
            return f"{self.scope}…{self.label}"
        return self.label

    @property
    def is_percent(self) -> bool:
        return self.family in ("pct", "pp", "permille")

    @property
    def quote(self) -> str:
        """The sentence the figure is in, as printed (original characters), at most 160 characters."""
        a, b = self.sentence
        text = self.block.text[a:b].strip()
        if len(text) > 160:
            rel = self.num.start - a
            lo = max(0, rel - 80)
            text = ("…" if lo else "") + text[lo:lo + 160] + "…"
        return text

    @property
    def clause_text(self) -> str:
        return self.block.folded[self.clause_start:self.num.start]

    def key(self) -> tuple:
        """Figures with equal keys are the same figure and must agree."""
        chain = (self.scope + "|" if self.scope else "") + self.label
        if self.parent is not None:
            chain = self.parent.key()[2] + ">" + chain
        return (self.part, self.title, chain, self.year if self.year is not None else self.report_year, self.family)


def is_change(f: Figure) -> bool:
    """An increase or decrease ("比上年增加 36.79 万元", "增长 7.79%")."""
    return bool(_CHANGE.search(f.clause_text) or _CHANGE_END.search(f.raw_label.strip()))


def is_planned(f: Figure) -> bool:
    """A target, plan or category bound (目标, 计划, 预计, 2000万元以上项目), not an amount that happened."""
    return bool(_PLANNED.search(f.raw_label))


def is_attributive(f: Figure) -> bool:
    """"投资30亿元的大唐华银光伏发电项目": the figure describes the noun after it and has no label before it."""
    return f.block.folded[f.num.end:f.num.end + 1] == "的"


def is_total(f: Figure) -> bool:
    """"…等共计11个项目": a total, never a part of a list."""
    return bool(re.search(r"共计|合计|总计|一共|共有|总数|等共|等$", f.raw_label.strip()))


def orphan_part(f: Figure) -> bool:
    """A figure introduced by 其中 whose whole was not found: what it is part of is unknown."""
    return f.parent is None and bool(re.match(r"\s*(其中|包括)", f.raw_label))


def money_in(f: Figure) -> bool:
    """A figure in a currency (元, 万元, 万美元 …)."""
    return units.is_money(f.family)

