"""Extraction: every figure of a report with its label, year, sentence and scope, then the breakdowns."""

from __future__ import annotations

import bisect
import re
from typing import Iterable

from selfeval_xl.core.record import field, record
from selfeval_xl.narrative import breakdowns, labels
from selfeval_xl.narrative.blocks import Block, Report
from selfeval_xl.narrative.breakdowns import Breakdown
from selfeval_xl.narrative.figures import Figure, is_change
from selfeval_xl.narrative.numbers import Number, scan
from selfeval_xl.narrative.textnorm import cjk_count

_SENTENCE_END = set("。!?\n")
_CLAUSE_END = set(",;:、") | _SENTENCE_END
_ANNEX = re.compile(r"^\s*附\s*件\s*\d+\s*$|^\s*附\s*件\s*\d+\s*[:：]")
_ENUM_START = re.compile(r"^\s*(\d{1,2}\s*[.、]|[(]\d{1,2}[)]|[①-⑳⑴-⒇])")


@record
class Extraction:
    """Every figure in reading order, the breakdowns, the figures of each block, and positions in both."""

    figures: list[Figure]
    breakdowns: list[Breakdown]
    by_block: dict[int, list[Figure]]
    position: dict[int, int] = field(default_factory=dict)  # id(figure) → index in figures
    in_block: dict[int, int] = field(default_factory=dict)  # id(figure) → index in its block's list

    def __post_init__(self) -> None:
        self.position = {id(f): i for i, f in enumerate(self.figures)}
        for figs in self.by_block.values():
            for i, f in enumerate(figs):
                self.in_block[id(f)] = i


def _bounds(text: str, numbers: list[Number]) -> tuple[list[int], list[int]]:
    inside = set()
    for n in numbers:
        inside.update(range(n.start, n.end))
    clause = [i for i, c in enumerate(text) if c in _CLAUSE_END and i not in inside]
    sentence = [i for i, c in enumerate(text) if c in _SENTENCE_END and i not in inside]
    return clause, sentence


def _last_before(points: list[int], pos: int) -> int:
    """One past the last boundary before pos (0 if none)."""
    i = bisect.bisect_left(points, pos)
    return points[i - 1] + 1 if i else 0


def _next_from(points: list[int], pos: int, default: int) -> int:
    """One past the first boundary at or after pos (default if none)."""
    i = bisect.bisect_left(points, pos)
    return points[i] + 1 if i < len(points) else default


def extract(report: Report) -> Extraction:
    """Every figure of every block (table cells included) with its context, and the breakdowns."""
    figures: list[Figure] = []
    by_block: dict[int, list[Figure]] = {}
    scanned = [(block, scan(block.folded)) for block in report.blocks]
    part = 0
    for block, numbers in scanned:
        if block.kind == "paragraph" and _ANNEX.match(block.folded):
            part += 1
        figs = _block_figures(block, numbers, part)
        by_block[block.index] = figs
        figures += figs
    year = _report_year(n for _, numbers in scanned for n in numbers)
    for f in figures:
        f.report_year = year
    return Extraction(figures, breakdowns.find(report, by_block), by_block)


def _report_year(numbers: Iterable[Number]) -> int | None:
    """The year named most often in the report (the latest on a tie): what a figure without a year is about."""
    counts: dict[int, int] = {}
    for n in numbers:
        if n.kind == "year":
            counts[int(n.value)] = counts.get(int(n.value), 0) + 1
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


def _block_figures(block: Block, numbers: list[Number], part: int) -> list[Figure]:
    """The figures of one block, numbers being scan(block.folded)."""
    text = block.folded
    clause_pts, sent_pts = _bounds(text, numbers)
    out: list[Figure] = []
    title = ""
    m = _ENUM_START.match(text)
    if m:
        head_end = min([i for i in (text.find("。", m.end()), text.find(":", m.end())) if i >= 0] or [len(text)])
        head = text[m.end():head_end]
        if not any(m.end() <= n.start < head_end for n in numbers if n.kind != "year") and len(head) < 60:
            title = labels.clean(head)
    prev_end_in_clause = -1
    last_sentence = None
    sentence_year: dict[int, int | None] = {}
    for n in numbers:
        if n.kind == "year":
            continue
        c0 = _last_before(clause_pts, n.start)
        s0 = _last_before(sent_pts, n.start)
        s1 = _next_from(sent_pts, n.start, len(text))
        start = max(c0, prev_end_in_clause if prev_end_in_clause >= c0 else c0)
        raw = text[start:n.start]
        if not labels.clean(raw) and c0 >= 2 and text[c0 - 1] == ":":
            # a form's "预算数:" then the figure: the label is the words before the colon
            p0 = _last_before(clause_pts, c0 - 1)
            if not any(p0 <= x.start < c0 for x in numbers if x.kind != "year"):
                raw = text[p0:c0 - 1]
        if s0 not in sentence_year:
            lead = labels.year_of(text[s0:n.start])  # n is the sentence's first figure
            if lead is None and last_sentence is not None:
                lead = sentence_year.get(last_sentence)  # a sentence without a year goes on in the last one's
            sentence_year[s0] = lead
        last_sentence = s0
        year = labels.year_of(text[c0:n.start])
        if year is None:
            year = sentence_year[s0]
        f = Figure(block, n, raw, labels.clean(raw), year, (s0, s1), c0, part, title)
        out.append(f)
        if not n.bound:
            prev_end_in_clause = n.end
    _scope_generic(out)
    return out


def _scope_generic(figs: list[Figure]) -> None:
    """A label that is only a measure (实际支出, 预算数) takes the subject of the nearest preceding figure of its
    sentence that names one, else of the sentence's opening words, else is scoped to its sentence alone."""
    for i, f in enumerate(figs):
        if not labels.is_generic(f.label):
            continue
        subj = ""
        for g in reversed(figs[max(0, i - 50):i]):
            if g.sentence != f.sentence:
                break
            if g.label and not labels.is_generic(g.label) and not g.is_percent and not is_change(g):
                subj = labels.subject(g.label)
                break
        if not subj:
            a = f.sentence[0]
            first_clause = re.split(r"[,;:、]", f.block.folded[a:f.num.start], maxsplit=1)[0]
            if first_clause and not any(ch.isdigit() for ch in first_clause) and cjk_count(first_clause) >= 2:
                cand = labels.clean(first_clause)
                subj = "" if labels.is_generic(cand) else cand
        f.scope = subj or f"#{f.block.index}:{f.sentence[0]}"
