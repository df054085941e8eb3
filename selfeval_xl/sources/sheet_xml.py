"""What a worksheet's XML holds, measured before calamine parses it: how many cells, how far they reach, how
long its texts are. calamine's Range is dense over the rectangle from A1 to the farthest cell (one stray value
at XFD1048576 asks for 512 GiB), so a sheet whose cells reach far is handed to calamine packed into one column
(sources/compact.py) and its values put back where they were.

Excel, WPS, LibreOffice, openpyxl and xlsxwriter all write each cell as `<c r="A1" …>`; for such a sheet three
byte searches bound the rectangle. Any other spelling (prefixed tags, no `r`, attributes in another order) is
read with expat, which gives every cell's position exactly as calamine computes it."""

from __future__ import annotations

import re

from selfeval_xl.core.address import col_index
from selfeval_xl.sources.package import CELL_TEXT, broken, too_big

DENSE_MAX = 3_000_000  # calamine's rectangle (32 bytes a slot): 96 MB; 99,999 rows × 26 columns fit
_OTHER_CELL = re.compile(rb"<c(?! r=\")[\s/>]")  # a cell tag not starting `<c r="`
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_FAR = re.compile(rb'<c r="[A-Za-z](?:[A-Za-z]|\d{6})')  # column AA or beyond, or row 100,000 or beyond
_LONG_TEXT = re.compile(rb">[^<]{%d}" % (CELL_TEXT + 1))  # bytes >= characters, so only these can be too long
# used on the rare paths only: compiled there (re caches them), not on every start of the program
_REFS = rb'<c r="([A-Za-z]+)(\d+)"'
_TAG_END = rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>"""
_ENTITY = rb"&[#\w]+;"
MAX_ELEMENTS = 4_000_000  # expat's callbacks, for a sheet written in an unusual way


class Cells:
    """The cells of one sheet: their number, the rectangle from A1 they span, and (when read with expat) each
    one's 0-based position and byte span [start, end) with its start tag's end, name and attributes."""

    __slots__ = ("cols", "count", "rows", "spans")

    def __init__(self, count: int, rows: int, cols: int, spans: list | None = None):
        self.count, self.rows, self.cols, self.spans = count, rows, cols, spans

    @property
    def dense(self) -> bool:
        return self.rows * self.cols <= DENSE_MAX


def measure(name: str, sheet: str, xml: bytes, cells_left: int) -> Cells:
    """Count and place the sheet's cells, refusing past cells_left or past a text longer than Excel allows."""
    check_texts(name, sheet, xml)
    if _OTHER_CELL.search(xml) or _PREFIXED_CELL.search(xml):
        return read_spans(name, sheet, xml, cells_left)
    count = xml.count(b'<c r="')
    if count > cells_left:
        raise too_many_cells(name)
    if not _FAR.search(xml):
        cells = Cells(count, min(count, 99_999), 26)
    else:
        refs = re.findall(_REFS, xml)
        if len(refs) != count:  # a ref calamine may read another way: let expat place every cell
            return read_spans(name, sheet, xml, cells_left)
        cells = Cells(count, max(int(r) for _, r in refs), max(col_index(c.decode()) for c in {c for c, _ in refs}))
    return cells if cells.dense else read_spans(name, sheet, xml, cells_left)


def check_texts(name: str, sheet: str, xml: bytes) -> None:
    """Refuse a text node (a cell's value, a shared string's run) longer than Excel lets a cell be."""
    if not _may_hold_long_text(xml):
        return
    m = _LONG_TEXT.search(xml)
    while m:
        end = xml.find(b"<", m.start() + 1)
        end = len(xml) if end < 0 else end
        chars = text_chars(xml[m.start() + 1:end])
        if chars > CELL_TEXT:
            raise cell_too_long(name, sheet, chars)
        m = _LONG_TEXT.search(xml, end)


_WINDOW = (CELL_TEXT + 2) // 2  # a run of CELL_TEXT + 1 bytes without "<" covers a whole aligned window this long


def _may_hold_long_text(xml: bytes) -> bool:
    """False when no run of bytes without "<" is long enough to hold a text node over the limit: every aligned
    window holds a "<" (a find that stops within a few bytes), instead of _LONG_TEXT's pass over every byte."""
    find = xml.find
    return any(find(b"<", at, at + _WINDOW) < 0 for at in range(0, len(xml) - _WINDOW + 1, _WINDOW))


def text_chars(text: bytes) -> int:
    """The characters of an XML text node, each entity (&amp;, &#10;) counted as one."""
    return len(text.decode("utf-8", "replace")) - sum(len(e) - 1 for e in re.findall(_ENTITY, text))


def unescape(b: bytes) -> str:
    """An XML text or attribute value as text: the five predefined entities replaced (bad UTF-8 as U+FFFD)."""
    s = b.decode("utf-8", "replace")
    if "&" in s:
        s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
    return s


def cell_too_long(name: str, sheet: str, chars: int):
    from selfeval_xl.errors import InputError

    return InputError(f"{name} 的“{sheet}”中有单元格文字长达 {chars:,} 字，超过 Excel 单元格 {CELL_TEXT:,} 字的上限，"
                      "文件可能已损坏；请在 Excel 中打开后另存为 .xlsx")


def too_many_cells(name: str):
    from selfeval_xl.sources.package import MAX_CELLS

    return too_big(name, f"的单元格超过 {MAX_CELLS:,} 个（含只有格式的空单元格）")


def _row_col(ref: str, need_col: bool) -> tuple[int, int | None]:
    """A cell or row reference as calamine reads it: letters, then a row number from 1."""
    m = re.fullmatch(r"([A-Za-z]*)([0-9]+)", ref)
    if not m or int(m.group(2)) < 1 or (need_col and not m.group(1)):
        raise ValueError(ref)
    return int(m.group(2)) - 1, (col_index(m.group(1)) - 1 if m.group(1) else None)


def read_spans(name: str, sheet: str, xml: bytes, cells_left: int) -> Cells:
    """Every cell of sheetData with expat, positioned as calamine does (an `r` wins; else the next column of
    the current row; a row's `r` sets the row, its end moves to the next)."""
    from xml.parsers import expat  # here: most workbooks never need it

    p = expat.ParserCreate()
    tag_end_at = re.compile(_TAG_END).match
    spans: list = []
    st = {"in": False, "row": 0, "col": 0, "cell": None, "elements": 0}

    def start(tag, attrs):
        st["elements"] += 1
        if st["elements"] > MAX_ELEMENTS:
            raise too_big(name, f"的“{sheet}”XML 元素过多")
        local = tag.rpartition(":")[2]
        if not st["in"]:
            st["in"] = local == "sheetData"
            return
        if st["cell"] is not None:
            return
        if local == "row" and "r" in attrs:
            st["row"] = _row_col(attrs["r"], False)[0]
        elif local == "c":
            if "r" in attrs:
                r, c = _row_col(attrs["r"], True)
                st["col"] = c
            else:
                r, c = st["row"], st["col"]
            if len(spans) >= cells_left:
                raise too_many_cells(name)
            at = p.CurrentByteIndex
            tag_end = tag_end_at(xml, at)
            if tag_end is None:
                raise ValueError(attrs.get("r", "?"))
            st["cell"] = [r, c, at, 0, tag_end.end(), tag, attrs]

    def end(tag):
        local = tag.rpartition(":")[2]
        if not st["in"]:
            return
        cell = st["cell"]
        if cell is not None:
            if local == "c":  # expat gives the start of `</c>`, or the end of an empty `<c …/>`
                empty = xml[cell[4] - 2:cell[4]] == b"/>"
                cell[3] = cell[4] if empty else xml.find(b">", p.CurrentByteIndex) + 1
                spans.append(tuple(cell))
                st["cell"] = None
                st["col"] += 1
            return
        if local == "row":
            st["row"] += 1
            st["col"] = 0
        elif local == "sheetData":
            st["in"] = False
            p.StartElementHandler = p.EndElementHandler = None

    p.StartElementHandler, p.EndElementHandler = start, end
    try:
        p.Parse(xml, True)
    except expat.ExpatError as e:
        raise broken(name, f"工作表“{sheet}”的 XML 有误，在第 {e.lineno} 行第 {e.offset + 1} 列") from None
    except ValueError as e:
        raise broken(name, f"工作表“{sheet}”有无效的单元格引用 {str(e)[:20]}") from None
    rows = max((s[0] for s in spans), default=-1) + 1
    cols = max((s[1] for s in spans), default=-1) + 1
    return Cells(len(spans), rows, cols, spans)
