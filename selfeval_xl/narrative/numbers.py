"""Find the numbers in a report's text and tell figures (38,304.02 万元, 97.67%, 7 个) from everything else
that is written with digits: years, dates, document numbers (〔2020〕10号), ordinals (第11次), table and
list numbers (表5, 1、), ranges and codes (2019-1802, 0755-28339251), titles in 《》.

Written by hand on purpose: no maintained library parses Chinese report prose with its units and these
exclusions (cn2an and friends convert Chinese numerals, which reports do not use for money). Values are
Decimal, read from the digits as printed, never via float.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from selfeval_xl.core.record import record
from selfeval_xl.narrative import units

_BASES = "|".join(re.escape(u) for u in units.base_alternatives())
_NUMBER = re.compile(r"(?<![0-9A-Za-z.])([-−]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![0-9])")
_AFTER = re.compile(r"[ \t]?(余|多)?[ \t]?(万亿|千万|百万|万|亿|千)?[ \t]?(" + _BASES + r")?")

# a base unit read as a unit only when not the first character of a longer word: 40 周年, 2 本部门
_NOT_FOLLOWED = {"周": "年", "本": "部年单项级次期着市区", "处": "理于", "座": "谈", "所": "属有以",
                 "次": "会", "分": "别钟之局管类析批期项配解散布成享工支为子", "家": "庭", "份": "额",
                 "期": "间末初", "人": "民员", "天": "津", "项": "目", "场": "所地景", "条": "例件",
                 "间": "隔", "台": "湾"}
_SKIP_BEFORE = ("第", "表", "图", "附件", "附表", "序号", "编号", "No.", "NO.", "no.")
_SKIP_AFTER = ("月", "日", "号", "季度", "周年", "届", "倍", "强", "级", "岁", "时", "点", "楼", "层", "栋", "期",
               "年")
_BOUND_BEFORE = (">=", "<=", "≥", "≤", ">", "<", "不低于", "不少于", "不高于", "不超过", "不足", "超过", "高于",
                 "低于", "大于", "小于", "至少", "最多", "逾", "以上")
_APPROX_BEFORE = ("约", "大约", "近", "将近", "接近", "约为", "大概")
_BOUND_AFTER = ("以上", "以下", "以内", "之内", "及以上", "及以下", "内")
_APPROX_AFTER = ("左右", "上下", "多", "余")
_OPEN = {"《": "》", "〔": "〕", "[": "]", "【": "】", "<": ">"}


@record(frozen=True)
class Number:
    """One number as printed. kind: figure (has a unit), bare (no unit), year (2020 年)."""

    start: int
    end: int
    value: Decimal
    digits: str  # the number as printed, separators included: "38,304.02"
    decimals: int
    kind: str
    family: str = ""
    scale: Decimal = Decimal(1)
    unit: str = ""
    approx: bool = False
    bound: bool = False

    @property
    def shown(self) -> str:
        return f"{self.digits}{self.unit}" if self.unit in ("%", "‰") else f"{self.digits} {self.unit}".strip()


def _enclosed(text: str) -> list[bool]:
    """For each offset: inside 《》 〔〕 [] 【】 (titles, document numbers, bookmarks)."""
    inside = [False] * len(text)
    stack: list[str] = []
    for i, ch in enumerate(text):
        if ch in _OPEN and ch != "<":
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch in "\n":
            stack.clear()
        inside[i] = bool(stack)
    return inside


def scan(text: str) -> list[Number]:
    """Every figure, bare number and year in folded text (see textnorm.fold), in order."""
    out: list[Number] = []
    inside = _enclosed(text)
    for m in _NUMBER.finditer(text):
        sign, digits = m.group(1), m.group(2)
        start, end = m.start(), m.end()
        if inside[m.start(2)]:
            continue
        before = text[max(0, start - 4):start].rstrip(" \t")
        if sign and before[-1:].isdigit():
            sign, start = "", m.start(2)  # 2019-1802 is a range, not minus 1802
        if before.endswith(_SKIP_BEFORE):
            continue
        nxt = text[end:end + 1]
        ranged = (nxt != "" and nxt in "-~～" and text[end + 1:end + 2].isdigit()
                  or before.endswith(("-", "~", "～")) and before[-2:-1].isdigit())
        try:
            value = Decimal(digits.replace(",", ""))
        except InvalidOperation:
            continue
        if sign:
            value = -value
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        am = _AFTER.match(text, end)
        approx_mid, mult, base = am.group(1) or "", am.group(2) or "", am.group(3) or ""
        fig_end = am.end()
        follower = text[am.end():am.end() + 1]
        if base and follower and follower in _NOT_FOLLOWED.get(base, ""):
            base, fig_end = "", am.start(3)
        cls = units.classify(mult, base) if (mult or base) else None
        if cls is None and mult and base:
            cls, base, fig_end = units.classify(mult, ""), "", am.start(3)
        tail = (text[fig_end:] if cls else text[end:]).lstrip(" \t")
        if ranged and not (cls or _unit_follows(text, end)):
            continue  # 2020-2022, 0755-28339251, 2019-1802: codes and spans of years
        if sign:
            digits = "-" + digits
        if cls is None:
            if tail.startswith("年") and decimals == 0 and 1900 <= value <= 2100:
                out.append(Number(start, end, value, digits, 0, "year"))
                continue
            if tail.startswith(_SKIP_AFTER) or (tail[:1] and tail[:1] in "、)") or (tail[:1] == "." and decimals == 0):
                continue
            out.append(Number(start, end, value, digits, decimals, "bare",
                              approx=before.endswith(_APPROX_BEFORE),
                              bound=before.endswith(_BOUND_BEFORE)))
            continue
        family, scale, unit = cls
        approx = bool(approx_mid) or before.endswith(_APPROX_BEFORE) or tail.startswith(_APPROX_AFTER)
        bound = before.endswith(_BOUND_BEFORE) or tail.startswith(_BOUND_AFTER) or ranged
        out.append(Number(start, fig_end, value, digits, decimals, "figure", family, scale, unit, approx, bound))
    return out


def _unit_follows(text: str, end: int) -> bool:
    """5-10万元: a range of amounts (kept, as a bound) rather than a code or a span of years."""
    m = re.match(r"[-~～]\d+(?:\.\d+)?\s?(万亿|千万|百万|万|亿|千)?\s?(" + _BASES + ")", text[end:end + 20])
    return bool(m)


def parse_amount(text: str) -> Number | None:
    """The single figure a table cell or a short string holds ("38,304.02", "97.67%", "-"), else None.

    "-" and "—" stand for nil in Chinese financial tables and read as 0.
    """
    s = text.strip()
    if s in ("-", "—", "–", "－", "--", "——"):
        return Number(0, len(text), Decimal(0), s, 0, "bare")
    nums = [n for n in scan(s) if n.kind != "year"]
    if len(nums) != 1:
        return None
    n = nums[0]
    rest = (s[:n.start] + s[n.end:]).strip()
    if rest and rest not in ("元", "万元", "亿元"):
        if not re.fullmatch(r"[≥≤<>约]*", rest):
            return None
    return n
