"""What a report is read into: blocks of text (paragraphs and table cells) that know where they are.

A block's location is what a person can find in the original: 段落 N (.docx), 表 N 第 r 行第 c 列 (.docx
tables), 第 N 行 (.txt, the line number) and 第 P 页第 L 行 (.pdf, lines as the PDF's text layer gives them).
"""

from __future__ import annotations

import bisect

from selfeval_xl.core.record import field, record
from selfeval_xl.narrative.textnorm import fold


@record(frozen=True)
class Location:
    """Where a figure is; `text` is the Chinese form shown to the user."""

    kind: str  # line | paragraph | table | page
    line: int | None = None
    paragraph: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    @property
    def text(self) -> str:
        if self.kind == "paragraph":
            return f"段落 {self.paragraph}"
        if self.kind == "table":
            return f"表 {self.table} 第 {self.row} 行第 {self.col} 列"
        if self.kind == "page":
            where = f"第 {self.page} 页第 {self.line} 行"
            return where + (f"第 {self.col} 栏" if self.col else "")
        return f"第 {self.line} 行" + (f"第 {self.col} 栏" if self.col else "")

    def as_dict(self) -> dict:
        d = {"kind": self.kind, "text": self.text}
        for k in ("line", "paragraph", "page", "table", "row", "col"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        return d

    def sort_key(self) -> tuple:
        return tuple(v or 0 for v in (self.page, self.table, self.paragraph, self.line, self.row, self.col))


@record
class Block:
    """A paragraph, or one table cell. `lines` maps offsets in `text` to (page, line) for .txt and .pdf."""

    index: int
    kind: str  # paragraph | cell
    text: str
    paragraph: int | None = None
    lines: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, page or 0, line)
    table: int | None = None
    row: int | None = None
    col: int | None = None
    folded: str = ""

    def __post_init__(self) -> None:
        self.folded = fold(self.text)

    def where(self, offset: int = 0) -> Location:
        """The location of the character at offset."""
        if self.lines:
            i = max(0, bisect.bisect_right([o for o, _, _ in self.lines], offset) - 1)
            _, page, line = self.lines[i]
            if page:
                return Location("page", line=line, page=page, col=self.col)
            return Location("line", line=line, col=self.col)
        if self.kind == "cell":
            return Location("table", table=self.table, row=self.row, col=self.col)
        return Location("paragraph", paragraph=self.paragraph)


@record
class Table:
    """A table: rows of cells (None where a row has fewer cells), its caption and its 单位 note."""

    number: int
    rows: list[list[Block | None]]
    caption: str = ""
    unit_note: str = ""  # 万元 / 元 / 亿元 from a "单位：万元" line, else ""


@record
class Report:
    """A report as read: its blocks in reading order and its tables."""

    name: str
    kind: str  # txt | docx | pdf
    blocks: list[Block]
    tables: list[Table]
