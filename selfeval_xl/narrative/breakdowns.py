"""其中 / 包括 / 主要用于以下方面: which figure is the whole and which are its parts.

The whole is the last figure of each unit family before the marker, in the marker's clause or the one
before it ("38,304.02 万元，包括 …"), or in an earlier sentence when the marker opens one ("…。其中：").
The parts run to the end of the sentence; a nested 其中/包括, a "是/即/含" after a part, or a "；" opening a
new topic (全年…, 截至…) ends them. A paragraph ending in "其中：" takes the first figure of each following
item paragraph. Bounds, approximations, changes, totals (共计), planned values and 政府采购 (which cuts
across other categories) are never parts.
"""

from __future__ import annotations

import re

from selfeval_xl.core.record import field, record
from selfeval_xl.narrative.blocks import Block, Report
from selfeval_xl.narrative.figures import (
    Figure,
    is_attributive,
    is_change,
    is_planned,
    is_total,
)
from selfeval_xl.narrative.read_lines import HEADING

MARKER = re.compile(r"(?<!不)(其中|主要包括|包括|包含|主要用于以下方面|具体包括)\s*[:,]?")
_NESTED = re.compile(r"其中|包括")
_CROSS = re.compile(r"政府采购")
_TOPIC = re.compile(r"^\s*(全年|截至|截止|同时|此外|另外|另|累计|共计|合计|总计)")


@record
class Breakdown:
    """A whole and its parts of one unit family, announced by 其中/包括/主要用于以下方面."""

    whole: Figure
    parts: list[Figure]
    marker: str
    block: Block
    pos: int
    multi_paragraph: bool = False
    siblings: list["Breakdown"] = field(default_factory=list)  # same marker, other families


def _candidate_whole(f: Figure) -> bool:
    return (not f.num.bound and not f.num.approx and not f.is_percent and f.num.kind == "figure"
            and not is_change(f) and f.family != "score" and not is_attributive(f))


def find(report: Report, by_block: dict[int, list[Figure]]) -> list[Breakdown]:
    """Every breakdown of the report, its parts given their whole as parent."""
    out: list[Breakdown] = []
    blocks = report.blocks
    for bi, block in enumerate(blocks):
        figs = by_block.get(block.index, [])
        text = block.folded
        for m in MARKER.finditer(text):
            pos, after = m.start(), m.end()
            before = [f for f in figs if f.num.end <= pos and _candidate_whole(f)]
            s0 = _sentence_start(text, pos)
            wholes_src = [f for f in before if f.num.start >= s0 and _adjacent(text, f.num.end, pos)]
            at_start = text[s0:pos].strip(" ,:") == ""
            while not wholes_src and at_start and s0 > 0 and before:
                # "…。其中：" — the whole is in an earlier sentence of the paragraph
                s0 = _sentence_start(text, s0 - 1)
                wholes_src = [f for f in before if f.num.start >= s0]
            wholes: dict[str, Figure] = {}
            for f in wholes_src:
                wholes[f.family] = f
            if not wholes:
                continue
            multi = text[after:].strip(" :,\n") == ""
            if multi:
                parts_by_family = _following_parts(blocks, bi, by_block, wholes)
            else:
                parts_by_family = _inline_parts(text, figs, after, wholes)
            made = []
            for fam, parts in parts_by_family.items():
                if parts:
                    bd = Breakdown(wholes[fam], parts, m.group(1), block, pos, multi)
                    made.append(bd)
                    for p in parts:
                        if p.parent is None:
                            p.parent = wholes[fam]
            for bd in made:
                bd.siblings = [x for x in made if x is not bd]
            out += made
    return out


def _adjacent(text: str, end: int, pos: int) -> bool:
    """A mid-sentence 其中/包括 refers to a figure of its own or of the clause just before."""
    between = text[end:pos]
    return sum(1 for c in between if c in ",;:、") <= 1 and len(between) <= 40


def _sentence_start(text: str, pos: int) -> int:
    i = pos - 1
    while i >= 0 and text[i] not in "。!?\n":
        i -= 1
    return i + 1


def _inline_parts(text: str, figs: list[Figure], after: int, wholes: dict[str, Figure]) -> dict[str, list[Figure]]:
    end = len(text)
    for i in range(after, len(text)):
        if text[i] in "。!?\n":
            end = i
            break
    nested = _NESTED.search(text, after, end)
    if nested:
        end = nested.start()
    for f in figs:
        # "项目支出结转3703806.54元是A 90000元、B …": what follows "是/即/含" details that part
        if after <= f.num.start < end and text[f.num.end:f.num.end + 1] in ("是", "即", "含"):
            end = f.num.end
            break
    # a "；" that opens a new topic (全年…, 截至…) ends the list
    for m in re.finditer(";", text[after:end]):
        if _TOPIC.match(text[after + m.end():]):
            end = after + m.start()
            break
    out: dict[str, list[Figure]] = {fam: [] for fam in wholes}
    for f in figs:
        if after <= f.num.start < end and f.family in wholes and _part_ok(f, wholes[f.family]):
            out[f.family].append(f)
    return out


def _part_ok(f: Figure, whole: Figure) -> bool:
    if (f.num.bound or f.num.approx or f.is_percent or f.num.kind != "figure" or is_change(f) or is_planned(f)
            or is_total(f) or is_attributive(f)):
        return False
    if _CROSS.search(f.raw_label) and not _CROSS.search(whole.raw_label):
        return False  # 政府采购 cuts across 基本/项目支出 and 一般经费: not a part of a partition
    if re.match(r"\s*[(](含|其中|包括)", f.raw_label):
        return False
    return not (f.year is not None and whole.year is not None and f.year != whole.year)


def _following_parts(blocks: list[Block], bi: int, by_block: dict[int, list[Figure]],
                     wholes: dict[str, Figure]) -> dict[str, list[Figure]]:
    """"…其中：" closing a paragraph: the parts are the first figure of each following item paragraph."""
    out: dict[str, list[Figure]] = {fam: [] for fam in wholes}
    for b in blocks[bi + 1:bi + 31]:
        t = b.folded.strip()
        if b.kind != "paragraph" or HEADING.match(t) or t.startswith(("(注", "注:", "(图")):
            break
        taken = False
        for f in by_block.get(b.index, []):
            if f.family in out and _part_ok(f, wholes[f.family]) and not any(g.block is b for g in out[f.family]):
                out[f.family].append(f)
                taken = True
        if not taken:
            break
    return out
