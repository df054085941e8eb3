"""The report against the workbook (RPT-WB): every report figure that names a workbook figure must equal it.

The workbook's figures come in as plain data, WorkbookFigure(label, value, unit, source, shown), built by the
caller from whatever it reads (表5!G20 …). A label, in the report or the workbook, is reduced to a (subject,
measure) pair with the synonym tables below: "本部门预算调整后年度总指标" and "年度总指标" are both
("", 年度总指标); "日常公用经费实际支出 32.77" is (日常公用经费, 实际支出). A report label whose subject is
not in SUBJECTS (a project, a category not listed) names no workbook figure and is left alone.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from selfeval_xl.core.record import record
from selfeval_xl.narrative import labels, units
from selfeval_xl.narrative.blocks import Location, Report
from selfeval_xl.narrative.extraction import Extraction
from selfeval_xl.narrative.figures import Figure, is_change, is_planned
from selfeval_xl.narrative.findings import Finding, plain
from selfeval_xl.narrative.interval import Interval
from selfeval_xl.narrative.numbers import parse_amount
from selfeval_xl.narrative.textnorm import fold

# measure → the words reports and workbooks use for it
MEASURES: dict[str, tuple[str, ...]] = {
    "年度总指标": ("预算调整后年度总指标", "调整后年度总指标", "年度总指标", "调整后预算数", "调整后预算", "调整预算数",
              "预算总指标", "预算总额", "全年预算数", "年度预算数", "年度预算", "预算数", "总指标"),
    "年初预算": ("年初预算总额", "年初预算数", "年初预算", "部门预算指标"),
    "实际支出": ("实际支出数", "实际支出", "支出决算数", "支出决算", "决算数", "支出数", "执行数", "支出合计",
             "实际采购金额", "支出总额"),
    "剩余": ("剩余指标", "结余", "剩余"),
    "执行率": ("预算执行率", "执行率", "执行进度", "支出进度", "完成预算"),
    "控制率": ("控制率",),
    "得分": ("自评总体得分", "自评总分", "自评得分", "总体得分", "综合评分", "总得分", "总分", "得分", "评分"),
}
# subject → the words for it; "" is the reporting unit as a whole
SUBJECTS: dict[str, tuple[str, ...]] = {
    "": ("总计", "合计", "全部", "年度资金总额"),
    "三公经费": ("三公经费", "三公"),
    "日常公用经费": ("日常公用经费", "公用日常经费"),
    "政府采购": ("政府采购",),
    "基本支出": ("基本支出小计", "基本支出"),
    "项目支出": ("项目支出小计", "项目支出"),
    "政府投资项目支出": ("政府投资项目支出小计", "政府投资项目支出"),
    "公务接待费": ("公务接待费", "公务接待"),
    "公务用车购置及运行维护费": ("公务用车购置及运行维护费",),
    "公务用车运行维护费": ("公务用车运行维护费",),
    "因公出国(境)费": ("因公出国(境)费", "因公出国(境)经费"),
    "人员经费": ("人员经费",),
    "公用经费": ("公用经费",),
}
# words that do not change what is meant: 本部门 2020 年整体支出绩效自评总体得分 is the 总分
_FILLERS = re.compile(r"本项目|该项目|项目整体|本部门|本单位|我局|我署|我中心|部门整体支出|部门整体|单位整体|整体支出|整体|部门|单位|"
                      r"绩效自评|绩效评价|自评|绩效|年度|全年|本年度|本年|财政拨款|预算调整后|调整后|的|类|\d{4}年|"
                      r"[“”\"'\s]|\(万元\)|\(元\)|\(亿元\)|万元|单位:")


@record(frozen=True)
class WorkbookFigure:
    """One figure of the workbook: label as in the workbook, value (Decimal, in `unit`), unit (元/万元/亿元,
    "%" for a rate in percentage points such as 97.67, "分" for a score), where it is, how it is shown."""

    label: str
    value: Decimal
    unit: str = "万元"
    source: str = ""  # "表5!G20"
    shown: str = ""  # "38,304.02"

    def base(self) -> tuple[str, Decimal] | None:
        """(family, value in the family's base unit), or None for a unit check-report does not know."""
        if self.unit in ("%", "％"):
            return "pct", Decimal(self.value)
        if self.unit == "分":
            return "score", Decimal(self.value)
        m = re.fullmatch(r"(万亿|千万|百万|万|亿|千)?(.*)", self.unit)
        cls = units.classify(m.group(1) or "", m.group(2)) if m else None
        if cls is None:
            return None
        return cls[0], Decimal(self.value) * cls[1]


def canonical(label: str) -> tuple[str, str] | None:
    """(subject, measure) a label names, or None when it names something the synonym tables do not know."""
    s = re.sub(r"[(](万元|元|亿元|千元|%)[)]|[“”\"'\s]", "", fold(label))
    for measure, words in MEASURES.items():
        for w in sorted(words, key=len, reverse=True):
            if s.endswith(w):
                subject = _subject(s[:-len(w)])
                if subject is not None:
                    return subject, measure
    return None


def _subject(prefix: str) -> str | None:
    rest = _FILLERS.sub("", prefix).strip("()（）:：,， ")
    if not rest:
        return ""
    for subject, words in SUBJECTS.items():
        if _FILLERS.sub("", rest) in words or rest in words:
            return subject
    return None


@record(frozen=True)
class _Stated:
    key: tuple[str, str]
    family: str
    interval: Interval
    shown: str
    where: Location
    quote: str
    label: str


def _from_sentences(ex: Extraction) -> list[_Stated]:
    out = []
    for f in ex.figures:
        if f.num.kind != "figure" or f.num.bound or is_change(f) or is_planned(f) or f.parent is not None:
            continue
        key = _sentence_key(f)
        if key is None or not _fits(key[1], f.family):
            continue
        out.append(_Stated(key, f.family, f.interval, f.shown, f.where, f.quote, f.label))
    return out


def _sentence_key(f: Figure) -> tuple[str, str] | None:
    """What a sentence's figure names: its own label if that names a thing or the whole unit (本部门实际支出),
    else its subject from the context (公务接待费 … 实际支出); a bare measure with no subject names nothing."""
    if not f.label:
        return None
    full = labels.clean(f.raw_label, keep_fillers=True)
    if not labels.is_generic(f.label):
        return canonical(full)
    if full != f.label and canonical(full) is not None and canonical(full)[0] == "":
        return canonical(full)
    if f.scope and not f.scope.startswith("#"):
        return canonical(f.scope + f.label)
    return None


def _fits(measure: str, family: str) -> bool:
    if measure in ("执行率", "控制率"):
        return family == "pct"
    if measure == "得分":
        return family == "score"
    return units.is_money(family)


def _from_tables(report: Report) -> list[_Stated]:
    out = []
    for t in report.tables:
        if len(t.rows) < 2:
            continue
        header = [b.folded if b else "" for b in t.rows[0]]
        for row in t.rows[1:]:
            cells = [b.folded if b else "" for b in row]
            first_num = next((i for i, c in enumerate(cells) if c and parse_amount(c) is not None), None)
            if first_num is None:
                continue
            row_label = "".join(c for c in cells[:first_num] if c)
            subject = _row_subject(row_label) if row_label else None
            if subject is None:
                continue
            for i in range(first_num, len(row)):
                b = row[i]
                n = parse_amount(b.folded) if b is not None else None
                if n is None or i >= len(header) or b.index < 0:
                    continue
                head = header[i]
                measure = canonical(head)
                if measure is None or measure[0] != "":
                    continue
                key = (subject, measure[1])
                family, scale = _cell_unit(n, head, t.unit_note, key[1])
                if family is None:
                    continue
                iv = Interval.shown(n.value, n.decimals, scale)
                out.append(_Stated(key, family, iv, b.text.strip(), b.where(), " | ".join(cells)[:200],
                                   f"{row_label} {head}"))
    return out


def _row_subject(row_label: str) -> str | None:
    """The subject a table row is about: only rows named exactly as in SUBJECTS (总计, 基本支出小计 …)."""
    s = re.sub(r"[\s“”\"']", "", fold(row_label))
    for subject, words in SUBJECTS.items():
        if s in words:
            return subject
    return None


def _cell_unit(n, head: str, note: str, measure: str) -> tuple[str | None, Decimal]:
    if n.family:
        return n.family, n.scale
    if measure in ("执行率", "控制率"):
        return None, Decimal(1)  # a rate column without "%" is ambiguous (0.98 or 98)
    if measure == "得分":
        return "score", Decimal(1)
    m = re.search(r"(亿元|万元|千元|元)", head) or (re.search(r"(亿元|万元|千元|元)", note) if note else None)
    if not m:
        return None, Decimal(1)
    cls = units.classify(m.group(1)[:-1], "元")
    return (cls[0], cls[1]) if cls else (None, Decimal(1))


def compare(report: Report, ex: Extraction, workbook: Iterable[WorkbookFigure]) -> list[Finding]:
    """RPT-WB findings: report figures naming a workbook figure with a different value."""
    wanted: dict[tuple[str, str], list[tuple[WorkbookFigure, str, Decimal]]] = {}
    for w in workbook:
        key = canonical(w.label)
        base = w.base()
        if key is None or base is None:
            continue
        wanted.setdefault(key, []).append((w, base[0], base[1]))
    out: list[Finding] = []
    for s in _from_sentences(ex) + _from_tables(report):
        for w, family, value in wanted.get(s.key, []):
            if family != s.family or s.interval.meets(Interval.exact(value)):
                continue
            shown = w.shown or plain(Decimal(w.value))
            unit = "" if w.unit in ("%", "％") else " " + w.unit
            pct = "%" if w.unit in ("%", "％") else ""
            out.append(Finding(
                "RPT-WB", "error", s.where, s.quote, s.shown, f"{shown}{pct}{unit}".strip(),
                f"报告中“{s.label}”为 {s.shown}，工作簿{('（' + w.source + '）') if w.source else ''}“{w.label}”为 "
                f"{shown}{pct}{unit}：请核对报告或工作簿，使两者一致",
                (), {"report": s.shown, "workbook": plain(Decimal(w.value)), "unit": w.unit, "source": w.source}))
    return out
