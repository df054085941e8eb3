"""Plain lines (a .txt file, or a PDF's text layer) to paragraphs and tables.

Layouts handled, as found in published reports converted to text:
- a table row is a line whose cells are separated by tabs or by "|" (two cells at least);
  consecutive rows form a table (blank lines between them allowed), a repeated header row is dropped;
- a paragraph broken across lines (a page break, or a PDF's line wrap) is joined again when the line does
  not end a sentence, so that "123.51万" + "元。" reads as one figure;
- a form's "预算数:" line followed by a "200万元" line is read as one "预算数:200万元" paragraph.

Hand-written: these are the layouts of reports pasted or converted to text, which no text or CSV library
describes (csv would split prose on commas; a table here is only as wide as its own row).
"""

from __future__ import annotations

import re

from selfeval_xl.narrative.blocks import Block, Table

_END = tuple("。；;：:！!？?")
HEADING = re.compile(
    r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]"
    r"|附件\s*\d*|表\s*\d+|图\s*\d+|目录)")
_CAPTION = re.compile(r"^\s*表\s*(\d+)")
_UNIT_NOTE = re.compile(r"单位\s*[:：]\s*(万元|元|亿元|千元)")
_NEW_ITEM = re.compile(r"^\s*(\d{1,2}\s*[.．、]\D|[（(]\d{1,2}[）)]|[①-⑳⑴-⒇]|[（(](注|图))")
_FIGURE_ONLY = re.compile(r"^[-−]?[\d,.，．０-９]+\s*(万元|元|亿元|%|％|个|人)?$")


def _cells(line: str) -> list[str] | None:
    """The cells of a table row, or None for a line of prose."""
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    elif line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|")):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
    else:
        return None
    return cells if sum(1 for c in cells if c) >= 2 else None


def caption_and_unit(recent: list[str]) -> tuple[str, str]:
    """A table's caption (表 N …) and 单位 note (万元/元/亿元/千元) from the paragraphs just before it, the
    nearest first; "" for either when none is found."""
    caption = next((x.strip() for x in reversed(recent) if _CAPTION.match(x)), "")
    unit = next((m.group(1) for x in reversed(recent) if (m := _UNIT_NOTE.search(x)) and len(x) < 40), "")
    return caption, unit


def _joins(prev: str, nxt: str, min_len: int) -> bool:
    """Whether a paragraph ending with line prev goes on with line nxt."""
    p = prev.rstrip()
    if not p or p.endswith(_END) or HEADING.match(p) and len(p) < 40 or _CAPTION.match(p):
        return False
    if HEADING.match(nxt) or _CAPTION.match(nxt) or _NEW_ITEM.match(nxt):
        return False
    if p.lstrip().startswith(("（图", "(图", "（注", "(注")):
        return False
    return len(p.strip()) >= min_len


def build(lines: list[tuple[int, int, str]], min_join: int = 20) -> tuple[list[Block], list[Table]]:
    """Blocks and tables from (page or 0, line number, text) lines."""
    blocks: list[Block] = []
    tables: list[Table] = []
    para: list[tuple[int, int, str]] = []  # lines of the paragraph being built
    table_rows: list[tuple[int, int, list[str]]] = []
    recent: list[str] = []  # the last paragraphs, for a table's caption and unit note
    header: list[str] | None = None

    def flush_para() -> None:
        if not para:
            return
        text, lines = "", []
        for page, no, t in para:
            lines.append((len(text), page, no))
            text += t.strip()
        blocks.append(Block(len(blocks), "paragraph", text, lines=lines))
        recent.append(text)
        del recent[:-4]
        para.clear()

    def flush_table() -> None:
        nonlocal header
        if not table_rows:
            return
        caption, unit = caption_and_unit(recent)
        rows: list[list[Block | None]] = []
        number = len(tables) + 1
        for r, (page, no, cells) in enumerate(table_rows, start=1):
            row: list[Block | None] = []
            for c, cell in enumerate(cells, start=1):
                if not cell:
                    row.append(None)
                    continue
                b = Block(len(blocks), "cell", cell, lines=[(0, page, no)], table=number, row=r, col=c)
                blocks.append(b)
                row.append(b)
            rows.append(row)
        tables.append(Table(number, rows, caption, unit))
        table_rows.clear()
        header = None
        recent.clear()

    for page, no, raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        cells = _cells(line)
        if cells is None and table_rows and "\t" in line:
            cells = [c.strip() for c in line.split("\t")]  # a row with one filled cell, inside a table
        if cells is not None:
            flush_para()
            key = [c for c in cells]
            if header is None:
                header = key
            elif key == header:
                continue  # the header repeated on the next page
            table_rows.append((page, no, cells))
            continue
        text = line.strip()
        if table_rows:
            flush_table()
        if para:
            prev = para[-1][2]
            if prev.rstrip().endswith((":", "：")) and _FIGURE_ONLY.match(text) and len(para) == 1:
                para.append((page, no, text))
                flush_para()
                continue
            if _joins(prev, text, min_join):
                para.append((page, no, text))
                continue
            flush_para()
        para.append((page, no, text))
    flush_para()
    flush_table()
    return blocks, tables
