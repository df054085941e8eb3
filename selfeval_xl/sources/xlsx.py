"""Files: every sheet's values in one call each (python-calamine), plus what calamine does not give — error
values, formulas, indentation, percent formats, hidden rows and defined names — from targeted searches of the
sheet XML (each search visits only the cells it is about, not every cell, and looks at most a tag's length
around each hit).

Nothing reaches calamine unchecked: the package's parts are inflated within limits set by what they really
hold (sources/package.py), the parts calamine parses on opening are checked first (sources/structure.py), and
each sheet is measured before it is parsed (sources/sheet_xml.py) — a sheet whose cells reach far from A1 is
read packed into one column (sources/compact.py)."""

from __future__ import annotations

import re
from pathlib import Path

from selfeval_xl.core.address import col_index, col_letter
from selfeval_xl.errors import InputError
from selfeval_xl.sources.grid import Grid, canonical, only_present, trim
from selfeval_xl.sources.package import (
    MAX_CELLS,
    MAX_MERGES,
    MAX_TEXT,
    Package,
    broken,
    shown,
    too_big,
)
from selfeval_xl.sources.sheet_xml import Cells, measure, read_spans, unescape
from selfeval_xl.sources.sniff import check_readable, check_readable_bytes
from selfeval_xl.sources.structure import SharedStrings, read_structure

MAX_AREA = 4_000_000  # a grid's rows plus the cells of its rows, up to each row's last value
MAX_MERGED_AREA = 500_000  # cells inside merged ranges, once clipped to the content
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_F_ATTR = re.compile(rb'\b(t|ref|si)="([^"]*)"')
_V = re.compile(rb"<v>([^<]*)</v>")
_STRING_REFS = rb'\st="s"[^<>]*>\s*<v>\s*(\d+)\s*</v>'  # these three on rare paths: compiled there
_ODD_T = rb"\st\s*=\s*'|\st\s+=|\st=\s"
_VALUE = rb"<(?:[\w.-]+:)?v>([^<]*)<"
TAG_MAX = 512  # a cell or row start tag is far shorter; hits further from a `<` are not in one


def _canonical_row(row: list) -> list:
    """canonical() over one row from calamine, in place: its floats and texts (almost every cell) without a call."""
    for j, v in enumerate(row):
        t = type(v)
        if t is str:
            if not v:
                row[j] = None
        elif t is float:
            if v - v != 0.0:
                row[j] = str(v)
        elif v is not None:
            row[j] = canonical(v)
    return row


def _pos(tag: bytes) -> tuple[int, int] | None:
    m = _REF.search(tag)
    return (int(m.group(2)) - 1, col_index(m.group(1).decode()) - 1) if m else None


def _tag_before(xml: bytes, at: int, name: bytes) -> tuple[int, bytes] | None:
    """The start tag `<name …>` that contains position at, as (start, tag bytes); None when there is none
    within TAG_MAX bytes."""
    start = xml.rfind(b"<", max(0, at - TAG_MAX), at + 1)
    if start < 0 or not xml.startswith(name, start + 1):
        return None
    end = xml.find(b">", start, start + TAG_MAX)
    return (start, xml[start:end + 1]) if end >= 0 else None


def _tags_with(xml: bytes, needle: bytes, name: bytes):
    """Each occurrence of needle inside a start tag `<name …>`: (its position, (tag start, tag bytes))."""
    at = xml.find(needle)
    while at >= 0:
        found = _tag_before(xml, at, name)
        if found:
            yield at, found
        at = xml.find(needle, at + len(needle))


def _typed_values(xml: bytes, spans: list, t: str) -> list:
    """(row, col, the match of its <v> or None) of each cell in spans (read with expat) whose type is t."""
    value = re.compile(_VALUE).search
    return [(r, c, value(xml, tag_end, end)) for r, c, _, end, tag_end, _, attrs in spans if attrs.get("t") == t]


def _no_result(xml: bytes, at: int, cell_tag: bytes) -> bool:
    """True when the formula ending at `at` has no cached result: no <v>, or an empty one that is not a cached
    empty string (t="str"), as openpyxl and other programs write them."""
    rest = xml[at:at + 16].lstrip()
    if rest.startswith(b"</c>"):
        return True
    if rest.startswith((b"<v></v>", b"<v/>", b"<v />")):
        return b't="str"' not in cell_tag
    return False


def _error_text(xml: bytes, at: int) -> str:
    """The <v> of the cell whose content starts at `at` (after an optional <f>), or #VALUE! without one. Steps
    from tag to tag (text holds no `<`), so the work is the cell's own length."""
    for _ in range(4):
        at = xml.find(b"<", at)
        if xml.startswith(b"<v>", at):
            end = xml.find(b"<", at + 3)
            return unescape(xml[at + 3:end]) if xml.startswith(b"</v>", end) else "#VALUE!"
        if at < 0 or xml.startswith(b"</c>", at):
            break
        at += 1
    return "#VALUE!"


class XlsxSource:
    """A .xlsx/.xlsm file read as Grids (GridSource)."""

    def __init__(self, path: str | Path, data: bytes | None = None):
        """The file at path, or the workbook held in memory as data (path then only names it: a mail attachment,
        an archive member)."""
        import python_calamine as pc

        if data is None:
            self.path = check_readable(path)
        else:
            check_readable_bytes(data, str(path))
            self.path = Path(path)
        self._pkg = Package(self.path, data)
        try:
            self._st = read_structure(self._pkg)
            self._strings = (SharedStrings(self._pkg.name, self._pkg.read_xml("xl/sharedStrings.xml"))
                             if self._pkg.has("xl/sharedStrings.xml") else None)
            try:
                if data is None:
                    self._book = pc.CalamineWorkbook.from_path(str(self.path))
                else:
                    import io

                    self._book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
            except BaseException as e:
                if not _reading_failure(e):
                    raise
                raise unreadable(self._pkg.name, None, e) from None
        except BaseException:
            self._pkg.close()
            raise
        self._meta = {m.name: m for m in self._book.sheets_metadata}
        self._measured: dict[str, Cells] = {}
        self._cells_left, self._text_left = MAX_CELLS, MAX_TEXT

    def close(self) -> None:
        self._pkg.close()

    # ---- GridSource
    def sheet_names(self) -> list[str]:
        return [m.name for m in self._book.sheets_metadata if str(m.typ) in ("SheetTypeEnum.WorkSheet", "WorkSheet")]

    def defined_names(self) -> dict[str, str]:
        return dict(self._st.names)

    def grid(self, sheet: str) -> Grid:
        part = self._st.parts.get(sheet)
        if part is None:
            raise broken(self._pkg.name, f"找不到工作表“{shown(sheet)}”的内容")
        first = sheet not in self._measured
        xml = self._pkg.read_xml(part, count=first)
        cells = self._measure(sheet, xml) if first else self._measured[sheet]
        hidden = str(self._meta[sheet].visible).rsplit(".", 1)[-1] != "Visible"
        try:
            g = self._read(sheet, xml, cells)
        except BaseException as e:
            if not _reading_failure(e):
                raise
            raise unreadable(self._pkg.name, sheet, e) from None
        g.hidden = hidden
        self._scan(xml, g)
        only_present(g)
        area = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in g.merged)
        if area > MAX_MERGED_AREA:
            raise too_big(self._pkg.name, f"的“{shown(sheet)}”中合并单元格覆盖 {area:,} 个单元格")
        return g

    # ---- one sheet: measured, then read
    def _read(self, sheet: str, xml: bytes, cells: Cells) -> Grid:
        if not cells.dense:
            return self._packed(sheet, xml, cells)
        try:
            return self._dense(sheet, xml, cells)
        except Exception as e:
            if "error value" not in str(e):
                raise
            # an error value calamine does not know (#SPILL!, #CALC!, … of Excel 365): read packed, where error
            # cells go to calamine as #N/A and their text comes from the XML, as for every error value
            return self._packed(sheet, xml, read_spans(self._pkg.name, sheet, xml, MAX_CELLS))

    def _measure(self, sheet: str, xml: bytes) -> Cells:
        name = self._pkg.name
        cells = measure(name, sheet, xml, self._cells_left)
        self._cells_left -= cells.count
        if xml.count(b"mergeCell") > MAX_MERGES:
            raise too_big(name, f"的“{shown(sheet)}”有超过 {MAX_MERGES:,} 个合并区域")
        self._text_left -= self._string_text(sheet, xml, cells)
        if self._text_left < 0:
            raise too_big(name, f"的单元格引用的共享文字合计超过 {MAX_TEXT:,} 字")
        self._check_dates(sheet, xml)
        self._measured[sheet] = cells
        return cells

    def _string_text(self, sheet: str, xml: bytes, cells: Cells) -> int:
        """The characters calamine makes for the shared strings this sheet's cells refer to (each reference
        makes its own copy): bounded by cells × the longest string, else counted reference by reference."""
        s = self._strings
        if s is None or cells.count * s.longest <= self._text_left:
            return 0 if s is None else cells.count * s.longest
        lengths = s.by_index()
        if cells.spans is None and xml.count(b't="s"') == len(refs := re.findall(_STRING_REFS, xml)) \
                and not re.search(_ODD_T, xml):
            indices = [int(i) for i in refs]
        else:
            spans = cells.spans or read_spans(self._pkg.name, sheet, xml, MAX_CELLS).spans
            indices = [int(m.group(1)) for _, _, m in _typed_values(xml, spans, "s") if m and m.group(1).strip().isdigit()]
        return sum(lengths[i] for i in indices if i < len(lengths))

    def _check_dates(self, sheet: str, xml: bytes) -> None:
        """A date cell (t="d") holds an ISO 8601 date; one that does not is refused here, as every other
        reader of the file (openpyxl, for --annotate) refuses it."""
        for _, (start, tag) in _tags_with(xml, b't="d"', b"c "):
            m = _V.search(xml, start, start + TAG_MAX + 64)
            if m:
                from openpyxl.utils.datetime import from_ISO8601

                try:
                    from_ISO8601(unescape(m.group(1)))
                except (ValueError, TypeError):
                    where = _pos(tag)
                    cell = f"{_col(where[1])}{where[0] + 1}" if where else "某单元格"
                    raise InputError(f"{self._pkg.name} 的“{shown(sheet)}”{cell} 的日期值“{shown(unescape(m.group(1)), 30)}”"
                                     "无效，文件可能由其他程序生成；请在 Excel 中改正后另存为 .xlsx") from None

    def _dense(self, sheet: str, xml: bytes, cells: Cells) -> Grid:
        cs = self._book.get_sheet_by_name(sheet)
        rows = trim([_canonical_row(r) for r in cs.to_python(skip_empty_area=False)])
        merged = sorted((a[0], a[1], b[0], b[1]) for a, b in (cs.merged_cell_ranges or []))
        g = Grid(sheet, rows, merged=merged)
        for pos, text in self._errors(xml, cells).items():
            g.errors[pos] = text
            g.put(pos, text)
        return g

    def _packed(self, sheet: str, xml: bytes, cells: Cells) -> Grid:
        from selfeval_xl.sources.compact import packed_book, read_packed

        strings = self._pkg.read("xl/sharedStrings.xml", count=False) if self._strings is not None else None
        styles = self._pkg.read("xl/styles.xml", count=False) if self._pkg.has("xl/styles.xml") else None
        values, merged = read_packed(packed_book(cells, xml, strings, styles, self._st.date1904), cells.count)
        placed = {}
        for (r, c, *_), v in zip(cells.spans, values):
            v = canonical(v)
            if v is not None:
                placed[(r, c)] = v
        errors = self._errors(xml, cells)
        placed.update(errors)
        last: dict[int, int] = {}
        for r, c in placed:
            if c > last.get(r, -1):
                last[r] = c
        height = max(last, default=-1) + 1
        if height + sum(last.values()) + len(last) > MAX_AREA:
            r, c = max(placed, key=lambda p: p[0] * 16384 + p[1])
            raise too_big(self._pkg.name, f"的“{shown(sheet)}”中内容一直延伸到 {_col(c)}{r + 1}")
        g = Grid(sheet, [[] for _ in range(height)], merged=sorted((a[0], a[1], b[0], b[1]) for a, b in merged))
        for pos, v in placed.items():
            g.put(pos, v)
        g.errors.update(errors)
        return g

    # ---- one sheet's XML
    def _errors(self, xml: bytes, cells: Cells) -> dict[tuple[int, int], str]:
        """{cell: error text} of the cells holding an error value."""
        if cells.spans is not None:  # read with expat: every cell's position is known
            return {(r, c): unescape(m.group(1)) if m else "#VALUE!" for r, c, m in _typed_values(xml, cells.spans, "e")}
        out = {}
        for at, (start, tag) in _tags_with(xml, b't="e"', b"c "):
            if xml[at - 1:at].isspace() and not tag.endswith(b"/>"):
                pos = _pos(tag)
                if pos is not None:
                    out[pos] = _error_text(xml, start + len(tag))
        return out

    def _scan(self, xml: bytes, g: Grid) -> None:
        self._scan_formulas(xml, g)
        self._scan_styles(xml, g)
        height = len(g.rows)
        for at, (_, tag) in _tags_with(xml, b'hidden="', b"row "):
            if xml.startswith((b'hidden="1"', b'hidden="true"'), at) and xml[at - 1:at].isspace():
                r = re.search(rb'\br="(\d+)"', tag)
                if r and int(r.group(1)) - 1 < height:
                    g.hidden_rows.add(int(r.group(1)) - 1)

    @staticmethod
    def _scan_formulas(xml: bytes, g: Grid) -> None:
        masters: dict[bytes, tuple[tuple[int, int], str]] = {}
        pending: list[tuple[tuple[int, int], bytes]] = []
        at = xml.find(b"<f")
        while at >= 0:
            nxt = xml[at + 2:at + 3]
            close = xml.find(b">", at, at + TAG_MAX)
            if nxt not in (b">", b" ", b"/") or close < 0:
                at = xml.find(b"<f", at + 2)
                continue
            head = xml[at:close + 1]
            attrs = dict(_F_ATTR.findall(head))
            if head.endswith(b"/>"):
                text = None
                at_next = close + 1
            else:
                end = xml.find(b"<", close)  # a formula's text holds no `<`: its end is the next tag
                if not xml.startswith(b"</f>", end):
                    at = xml.find(b"<f", close)
                    continue
                text = unescape(xml[close + 1:end])
                at_next = end + 4
            cell = _tag_before(xml, xml.rfind(b"<c ", max(0, at - TAG_MAX), at), b"c ")
            pos = _pos(cell[1]) if cell else None
            if pos is not None and _no_result(xml, at_next, cell[1]):
                g.uncached.add(pos)
            if pos is not None:
                if attrs.get(b"t") == b"shared":
                    if text:
                        masters[attrs.get(b"si", b"")] = (pos, text)
                        g.formulas[pos] = "=" + text
                    else:
                        pending.append((pos, attrs.get(b"si", b"")))
                elif text is not None:
                    g.formulas[pos] = "=" + text
            at = xml.find(b"<f", at_next)
        if pending:  # shared formulas: most workbooks have none, and shifting them needs two regular expressions
            from selfeval_xl.sources.formula_shift import shift
        for pos, si in pending:
            if si in masters:
                (r0, c0), text = masters[si]
                g.formulas[pos] = "=" + shift(text, pos[0] - r0, pos[1] - c0)

    def _scan_styles(self, xml: bytes, g: Grid) -> None:
        indent, percent = self._st.indent, self._st.percent
        wanted = indent | set(percent)
        if not wanted:
            return
        if len(wanted) <= 64:
            ids = b"|".join(str(i).encode() for i in sorted(wanted))
            pattern = rb'\ss="(' + ids + rb')"'
            # The usual layout (Excel, WPS, LibreOffice, openpyxl, xlsxwriter): r then s in the cell's tag, read in
            # one pass; used when it finds every styled cell, else the general search below.
            quick = re.findall(rb'<c r="([A-Z]{1,3})(\d{1,7})" s="(' + ids + rb')"', xml)
            if len(quick) == sum(xml.count(b' s="%d"' % i) for i in wanted):  # no other tag uses these styles
                cols = {col: col_index(col.decode()) - 1 for col in {col for col, _, _ in quick}}
                places = {str(i).encode(): n for i, n in percent.items()}
                indents = {str(i).encode() for i in indent}
                g.percent.update(((int(row) - 1, cols[col]), places[style]) for col, row, style in quick
                                 if style in places)
                if indents:
                    g.indented.update((int(row) - 1, cols[col]) for col, row, style in quick if style in indents)
                return
        else:  # many such styles: find every styled cell, keep the wanted ones
            pattern = rb'\ss="(\d+)"'
        for m in re.finditer(pattern, xml):
            s = int(m.group(1))
            if s not in wanted:
                continue
            found = _tag_before(xml, m.start(), b"c ")
            pos = _pos(found[1]) if found else None
            if pos is None:
                continue
            if s in indent:
                g.indented.add(pos)
            if s in percent:
                g.percent[pos] = percent[s]


_CALAMINE_REASONS = (  # calamine's messages, in the words of the one line; the message itself goes to the log
    ("shared strings", "引用了不存在的共享字符串"), ("'t' attribute", "单元格类型无效"),
    ("error value", "有无法识别的错误值"), ("alphanumeric", "单元格引用无效"), ("column", "单元格引用无效"),
    ("row component", "单元格引用无效"), ("Xml", "XML 有误"), ("Zip", "zip 结构有误"), ("float", "数值无效"),
    ("not found", "缺少部件"),
)


def _reading_failure(e: BaseException) -> bool:
    """An error calamine raised (it reports corrupt input with several exception types), or a panic in it
    (pyo3's PanicException is a BaseException); not ours, nor an interrupt."""
    return (isinstance(e, Exception) and not isinstance(e, InputError)) or type(e).__name__ == "PanicException"


def unreadable(name: str, sheet: str | None, e: BaseException) -> InputError:
    """One Chinese line for an error calamine raised; its own words are logged."""
    import logging

    detail = str(e).splitlines()[0] if str(e) else type(e).__name__
    logging.getLogger("selfeval_xl").info("calamine: %s: %s", name, detail)
    reason = next((zh for en, zh in _CALAMINE_REASONS if en.lower() in detail.lower()), "格式无法解析")
    where = f" 的工作表“{shown(sheet)}”" if sheet else " "
    return InputError(f"{name}{where}无法读取（{reason}），文件可能已损坏；请在 Excel 中打开后另存为 .xlsx")


def _col(c: int) -> str:
    return col_letter(c + 1)


def load_grids(path: str | Path) -> tuple[list[Grid], dict[str, str]]:
    """All worksheets of a file as Grids, and its workbook-level defined names."""
    src = XlsxSource(path)
    try:
        return [src.grid(n) for n in src.sheet_names()], src.defined_names()
    finally:
        src.close()
