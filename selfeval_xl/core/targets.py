"""指标值 / 完成值 as people write them: `≥95%`, `=8个`, `2370人`, `5 次以上`, `不超过90万元`, `2021年12月完成`,
`12月底前`, `90%-95%`, `达成预期指标`, `有效改善` — parsed into what can be compared.

A value is one of: a number (with an operator and a unit), a range, a month (a deadline or the month something
was done), or words (qualitative). Words are also read for attainment: 达成 / 部分达成 / 未达成."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from selfeval_xl.core.numbers import UNIT_FACTORS, to_decimal
from selfeval_xl.core.record import record

QUAL = "定性"
RANGE = "range"

_PREFIX = [
    ("≥", ("≥", "≧", ">=", "=>", "不低于", "不少于", "至少", "大于等于", "大于或等于", "达到", "≮")),
    ("≤", ("≤", "≦", "<=", "=<", "不高于", "不超过", "不多于", "小于等于", "小于或等于", "控制在", "≯")),
    (">", (">", "大于", "高于", "超过", "多于")),
    ("<", ("<", "小于", "低于", "少于")),
    ("=", ("=", "═", "﹦", "等于")),
]
_SUFFIX = [("≥", ("及以上", "或以上", "以上")), ("≤", ("及以下", "或以下", "以内", "以下", "之内")),
           ("≤", ("前完成", "之前", "以前", "前"))]
_UNIT_WORDS = ("百分比", "万元", "亿元", "元", "平方米", "公里", "千米", "立方米", "人次", "户次", "%", "‰")
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)")
_RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*(%|[^\d\s~\-—～至到]{0,3})?\s*[~\-—～至到]\s*(\d+(?:\.\d+)?)\s*(%|\S{0,3})?$")
_MONTH = re.compile(r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月(?:份)?(?:底|末|中旬|上旬|下旬|\d{1,2}日)?")
_YEAR_END = re.compile(r"(\d{4})\s*年(?:底|末|内|年底)")

# Attainment words (财预〔2020〕10号: 定性指标 达成预期指标 / 部分达成预期指标并具有一定效果 / 未达成预期指标且效果较差)
_UNMET = ("未达成", "未达到", "未完成", "没有完成", "未实现", "较差", "效果差", "不满意", "不合格", "不达标", "无效", "否")
_PARTIAL = ("部分达成", "基本达成", "部分完成", "基本完成", "部分实现", "基本实现", "基本满意", "较好", "一般", "有所",
            "逐步")
_MET = ("达成", "达到", "完成", "实现", "符合", "满意", "合格", "达标", "有效", "显著", "明显", "提升", "提高", "改善",
        "良好", "优", "好", "高", "及时", "按时", "按期", "规范", "健全", "完善", "到位", "是", "全覆盖", "足额", "落实",
        "增强", "促进", "保障", "稳定", "持续", "无")

# Indicators where less is better, when the target carries no operator: rates of control, adjustment, carry-over,
# costs, complaints and days (the national and provincial indicator libraries name them so).
LOWER_IS_BETTER = ("控制率", "调整率", "结余率", "结转率", "变动率", "偏差率", "超支", "成本", "费用", "投诉", "事故",
                   "差错", "违规", "违纪", "上访", "信访量", "发生率", "死亡率", "损失", "时限", "时间", "天数", "周期",
                   "用时", "耗时", "空置率", "闲置率")


@record(frozen=True)
class Target:
    """op: ≥ ≤ > < = range 定性; value (and high for a range) as Decimals, percents as fractions; unit: '%', a word,
    or 'month' for dates (value = year × 100 + month, or month alone when no year is written); text: as written."""

    op: str
    value: Decimal | None
    unit: str
    text: str
    high: Decimal | None = None
    explicit: bool = False  # the operator was written, not assumed

    @property
    def qualitative(self) -> bool:
        return self.op == QUAL

    @property
    def is_date(self) -> bool:
        return self.unit == "month"


def _norm(raw: str) -> str:
    t = unicodedata.normalize("NFKC", raw)
    return t.replace("≧", "≥").replace("≦", "≤").replace("═", "=").strip()  # NFKC has made ＝ and ﹦ "="


def _operator(before: str, after: str) -> tuple[str | None, str]:
    b, a = before.strip(), after.strip()
    for sym, words in _PREFIX:
        if any(b.endswith(w) or b.startswith(w) for w in words):
            return sym, a
    for sym, words in _SUFFIX:
        for w in words:
            if a.startswith(w) or a.endswith(w):
                return sym, a
    return None, a


def _unit(after: str) -> tuple[str, str]:
    """The unit right after a number, and the rest."""
    a = after.lstrip()
    for w in _UNIT_WORDS:
        if a.startswith(w):
            return ("%" if w == "百分比" else w), a[len(w):]
    m = re.match(r"([\u4e00-\u9fffA-Za-z]{1,2})", a)
    if m:
        u = m.group(1)
        for _, words in _SUFFIX:  # "人以上": the unit is 人, 以上 is the operator
            for w in words:
                if u.startswith(w):
                    return "", a
                if len(u) == 2 and u[1:].startswith(w[:1]) and a[1:].startswith(w):
                    return u[0], a[1:]
        return u, a[len(u):]
    return "", a


def parse_target(text: object, default_op: str = "≥") -> Target:
    """Operator, number (or range, or month) and unit of a 指标值 or 完成值; text with no number is qualitative."""
    if text is None:
        return Target(QUAL, None, "", "")
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Target(default_op, to_decimal(text) if not isinstance(text, Decimal) else text, "", str(text))
    raw = str(text)
    t = _norm(raw)
    if not t or t in ("-", "—", "/", "——", "…", "……"):
        return Target(QUAL, None, "", raw)
    m = _RANGE.match(t.replace(" ", ""))
    if m:
        lo, u1, hi, u2 = m.groups()
        unit = "%" if "%" in (u1 or "", u2 or "") else (u1 or u2 or "")
        div = Decimal(100) if unit == "%" else Decimal(1)
        return Target(RANGE, Decimal(lo) / div, unit, raw, Decimal(hi) / div, True)
    month = _MONTH.search(t)
    if month and not re.search(r"\d+\s*(?:个月|月份数)", t):
        year, mon = month.group(1), int(month.group(2))
        if 1 <= mon <= 12:
            value = Decimal(int(year) * 100 + mon) if year else Decimal(mon)
            op, _ = _operator(t[:month.start()], t[month.end():])
            written = op or ("≤" if re.search(r"前|底|末|完成|以内", t) else None)
            # a month as a target is a deadline: done in that month or before
            return Target(written or "≤", value, "month", raw, None, written is not None)
    ye = _YEAR_END.search(t)
    if ye:
        return Target("≤", Decimal(int(ye.group(1)) * 100 + 12), "month", raw, None, True)
    m = _NUMBER.search(t)
    if not m:
        return Target(QUAL, None, "", raw)
    before, after = t[:m.start()], t[m.end():]
    unit, rest = _unit(after)
    op, _ = _operator(before, rest)
    value = Decimal(m.group(1).replace(",", ""))
    if unit == "%":
        value = value / 100
    elif unit == "‰":
        value, unit = value / 1000, "%"
    return Target(op or default_op, value, unit, raw, None, op is not None)


def lower_is_better(name: str) -> bool:
    """An indicator whose name says that less is better (控制率, 成本, 投诉, 时限 …)."""
    n = unicodedata.normalize("NFKC", name or "")
    return any(w in n for w in LOWER_IS_BETTER)


def comparable(target: Target, actual: Target) -> tuple[Decimal, Decimal] | None:
    """Both values in the target's unit, or None when they cannot be compared.

    A bare number beside a percent is read the way the other side shows it: 100 against 100% is 100%, and a
    fraction 0.95 against 95% is 95%."""
    if target.value is None or actual.value is None:
        return None
    tu, au = target.unit, actual.unit
    if (tu == "month") != (au == "month"):
        return None
    tv, av = target.value, actual.value
    if tu == "month":
        if tv >= 10000 > av:  # a month without a year is compared with the month of the dated side
            tv = tv % 100
        elif av >= 10000 > tv:
            av = av % 100
        return tv, av
    if tu == au or (tu == "%" and au == "") or (au == "%" and tu == ""):
        if tu == "%" and au == "" and av > 1:
            av = av / 100
        elif au == "%" and tu == "" and tv > 1:
            tv = tv / 100
        return tv, av
    if not tu or not au:
        return tv, av
    if tu in UNIT_FACTORS and au in UNIT_FACTORS:
        return tv, av * UNIT_FACTORS[au] / UNIT_FACTORS[tu]
    if tu in ("人次", "人") and au in ("人次", "人"):
        return tv, av
    return None


def attainment(text: object, target_text: object = None) -> str | None:
    """达成 / 部分达成 / 未达成 read from the words of a 完成值 (or None when the words say neither). A result
    written exactly as its qualitative target (高 / 高, 有效改善 / 有效改善) is 达成."""
    t = _norm("" if text is None else str(text))
    if not t:
        return None
    if target_text is not None and t == _norm(str(target_text)) and parse_target(t).qualitative:
        return "达成"
    if any(w in t for w in _UNMET):
        return "未达成"
    if any(w in t for w in _PARTIAL):
        return "部分达成"
    if any(w in t for w in _MET):
        return "达成"
    return None


_NONE_HAPPENED = re.compile(r"^(无|零|未发生|没有)")


def met(target: Target, actual: Target, name: str = "") -> bool | None:
    """Whether the 完成值 meets the 指标值: True, False, or None when they cannot be compared. A target written
    without an operator is read as ≥, or ≤ when the indicator's name says less is better; a result such as
    无上访 against a ceiling (小于5次) counts as none."""
    if actual.qualitative and target.value is not None and target.op in ("≤", "<") and \
            _NONE_HAPPENED.match(_norm(actual.text)):
        actual = Target("=", Decimal(0), target.unit, actual.text)
    pair = comparable(target, actual)
    if pair is None or target.qualitative:
        return None
    tv, av = pair
    op = _asked(target, name)
    if op == RANGE:
        hi = target.high
        if hi is not None and actual.unit == "" and target.unit == "%" and av > 1:
            av = av / 100
        return tv <= av <= (hi if hi is not None else tv)
    return {"≥": av >= tv, ">": av > tv, "≤": av <= tv, "<": av < tv, "=": av == tv}.get(op, av >= tv)


def direction(target: Target, name: str = "") -> str:
    """The comparison a target asks for: ≥ ≤ = range (an unwritten operator read from the indicator's name)."""
    op = _asked(target, name)
    return {">": "≥", "<": "≤"}.get(op, op)


def _asked(target: Target, name: str) -> str:
    """The target's operator, ≤ when none was written and the indicator's name says that less is better."""
    if not target.explicit and target.op != RANGE and not target.is_date and lower_is_better(name):
        return "≤"
    return target.op
