"""Labels: the words a report puts before a figure ("本部门实际支出 37,411.04 万元" → "实际支出"), cleaned,
with the year taken out as scope, and the test whether a label names a thing or only a measure ("执行数").

Hand-written word lists and patterns: a Chinese word segmenter (jieba and the like) would be a further
dependency and still not know which budget words are measures (预算数, 执行数) and which name things.
"""

from __future__ import annotations

import difflib
import re

from selfeval_xl.narrative.textnorm import cjk_count

_ENUM = re.compile(r"^\s*(\d{1,2}\s*[.、]|[(]\d{1,2}[)]|[①-⑳⑴-⒇]|[一二三四五六七八九十]+[、.]"
                   r"|[(][一二三四五六七八九十]+[)])\s*")
_LEAD = re.compile(r"^(其中|主要包括|包括|包含|含|和|及|以及|与|另外|另|同时|并且|并|此外|即|分别为|分别是|分别|"
                   r"主要用于以下方面|主要用于|共有|共计|合计|共|涉及|对应|其余|剩余)")
_TRAIL = re.compile(r"(为|是|达到|达|了|共计|合计|总计|共|计|约|大约|近|有|已|的|超过|不低于|不少于|逾|>=|<=|≥|≤|[<>]|"
                    r"累计|总额达|总额为|达到了)$")
_YEAR = re.compile(r"(截至|截止|到)?\s*(\d{4})\s*年(度|末|初|底|年末|年底|年初)?")
_BASE_YEAR = re.compile(r"(与|比|较|同)\s*(\d{4})\s*年(度)?(同期)?(相比|比较)?")
_TIME_WORDS = re.compile(r"(截至|截止)?(\d{1,2}月(底|末)?)|年末|年底|截至|截止|目前")
FILLERS = ("本项目", "该项目", "本部门", "本单位", "我部门", "我单位", "我局", "我署", "我中心", "单位整体", "部门整体")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」 \t")

# measure words: a label made only of these names no thing, so its subject comes from the context
GENERIC = sorted(("调整后年度总指标", "年度总指标", "总指标", "预算数", "预算安排", "预算金额", "预算指标", "预算",
                  "决算数", "决算", "执行数", "实际支出", "支出数", "支出决算", "支出", "金额", "总额", "合计", "总计",
                  "共计", "小计", "年初", "年中", "调整后", "调整", "调减", "调增", "追加", "全年", "年度", "本年度",
                  "本年", "当年", "项目", "实际", "数", "下达", "指标", "安排", "资金", "完成", "累计", "拨付", "已",
                  "财政", "压减", "执行", "需", "额度", "总", "为", "其", "中", "的", "达", "共", "元",
                  "投资", "引资", "账面", "合同", "协议", "总投资", "额"),
                 key=len, reverse=True)
_GENERIC_RE = re.compile("|".join(re.escape(w) for w in GENERIC))
# words that only say which measure of a thing is meant; what remains names the thing
MEASURE_ONLY = sorted(("调整后年度总指标", "年度总指标", "总指标", "预算数", "预算安排", "预算金额", "预算指标", "预算",
                       "决算数", "决算", "执行数", "实际支出", "支出数", "支出决算", "金额", "总额", "合计", "总计",
                       "共计", "小计", "年初", "年中", "调整后", "全年", "年度", "本年度", "本年", "当年", "实际",
                       "下达", "累计", "执行"), key=len, reverse=True)
_NOT_SUBJECT = re.compile("|".join(re.escape(w) for w in MEASURE_ONLY))


def clean(raw: str, keep_fillers: bool = False) -> str:
    """A raw label with list numbers, connectives, linking verbs, quotes, years and (unless keep_fillers)
    本部门-like fillers removed."""
    s = raw.translate(_QUOTES)
    s = _ENUM.sub("", s)
    s = _BASE_YEAR.sub("", s)
    s = _YEAR.sub("", s)
    s = _TIME_WORDS.sub("", s)
    for _ in range(3):
        s2 = _LEAD.sub("", s)
        s2 = _TRAIL.sub("", s2)
        for f in () if keep_fillers else FILLERS:
            if s2.startswith(f):
                s2 = s2[len(f):]
        if s2 == s:
            break
        s = s2
    s = s.strip("()（）:：,，、;；. ")
    if s.count("(") > s.count(")"):
        s += ")"  # "国内公务接待(招商引资)" keeps its closing bracket
    return s


def year_of(raw: str) -> int | None:
    """The year a label is about (2020 年度收入 → 2020), leaving out a comparison's year (比2019年)."""
    s = _BASE_YEAR.sub("", raw)
    m = _YEAR.search(s)
    return int(m.group(2)) if m else None


def base_year_of(raw: str) -> int | None:
    """The year a change is measured against: 与2019年相比 / 比2019年 → 2019."""
    m = _BASE_YEAR.search(raw)
    return int(m.group(2)) if m else None


def is_generic(label: str) -> bool:
    """Whether a cleaned label names only a measure (执行数, 项目全年预算数), not a thing."""
    return cjk_count(_GENERIC_RE.sub("", label)) < 2


def subject(label: str) -> str:
    """The thing a label names, without its measure words: 日常公用经费调整后年度总指标 → 日常公用经费."""
    s = _NOT_SUBJECT.sub("", label).strip("、 ")
    return s + ")" if s.count("(") > s.count(")") else s


def common_run(a: str, b: str) -> int:
    """Length of the longest run of characters a and b share (difflib, standard library)."""
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size
