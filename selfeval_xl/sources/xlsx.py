"""Files: every sheet's values in one call each (python-calamine), plus what calamine does not give — error
values, formulas, indentation, percent formats, hidden rows and defined names — from targeted searches of the
sheet XML (each search visits only the cells it is about, not every cell)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from selfeval_xl.core.address import col_index
from selfeval_xl.errors import InputError
from selfeval_xl.sources.formula_shift import shift
from selfeval_xl.sources.grid import Grid, canonical, is_percent_format, only_present, trim
from selfeval_xl.sources.sniff import check_readable

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
_INDENT = re.compile(rb'indent="(\d+)"')
_NUMFMT_ID = re.compile(rb'numFmtId="(\d+)"')
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_F_ATTR = re.compile(rb'\b(t|ref|si)="([^"]*)"')
_V = re.compile(rb"<v>([^<]*)</v>")
_BUILTIN_PERCENT = {9, 10}


def _unescape(b: bytes) -> str:
    s = b.decode("utf-8")
    if "&" in s:
        s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
    return s


def _pos(tag: bytes) -> tuple[int, int] | None:
    m = _REF.search(tag)
    return (int(m.group(2)) - 1, col_index(m.group(1).decode()) - 1) if m else None


def _tag_before(xml: bytes, at: int, name: bytes) -> tuple[int, bytes] | None:
    """The start tag `<name …>` that contains position at, as (start, tag bytes)."""
    start = xml.rfind(b"<", 0, at + 1)
    if start < 0 or not xml.startswith(name, start + 1):
        return None
    end = xml.find(b">", start)
    return start, xml[start:end + 1]


class XlsxSource:
    """A .xlsx/.xlsm file read as Grids (GridSource)."""

    def __init__(self, path: str | Path):
        import python_calamine as pc

        self.path = check_readable(path)
        try:
            self._book = pc.CalamineWorkbook.from_path(str(self.path))
        except Exception as e:  # calamine reports corrupt parts as generic errors
            raise InputError(f"{self.path.name} 无法读取（{str(e).splitlines()[0][:80]}），请在 Excel 中打开后另存为 .xlsx") from None
        self._zip = zipfile.ZipFile(self.path)
        try:
            self._parts, self._names = self._workbook_parts()
        except (KeyError, ET.ParseError):
            raise InputError(f"{self.path.name} 的工作簿结构已损坏，请在 Excel 中打开后另存为 .xlsx") from None
        self._indent_styles, self._percent_styles = self._styles()
        self._meta = {m.name: m for m in self._book.sheets_metadata}

    def close(self) -> None:
        self._zip.close()

    # ---- GridSource
    def sheet_names(self) -> list[str]:
        return [m.name for m in self._book.sheets_metadata if str(m.typ) in ("SheetTypeEnum.WorkSheet", "WorkSheet")]

    def defined_names(self) -> dict[str, str]:
        return dict(self._names)

    def grid(self, sheet: str) -> Grid:
        cs = self._book.get_sheet_by_name(sheet)
        rows = trim([[canonical(v) for v in r] for r in cs.to_python(skip_empty_area=False)])
        merged = sorted((a[0], a[1], b[0], b[1]) for a, b in (cs.merged_cell_ranges or []))
        g = Grid(sheet, rows, merged=merged, hidden=str(self._meta[sheet].visible).rsplit(".", 1)[-1] != "Visible")
        part = self._parts.get(sheet)
        if part:
            try:
                xml = self._zip.read(part)
            except KeyError:
                xml = b""
            self._scan(xml, g)
        return only_present(g)

    # ---- workbook parts
    def _workbook_parts(self) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """{sheet name: zip part} and the workbook-level defined names as (name, ref text)."""
        wb = ET.fromstring(self._zip.read("xl/workbook.xml"))
        rels = ET.fromstring(self._zip.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
        parts = {}
        for s in wb.findall("m:sheets/m:sheet", _NS):
            t = (targets.get(s.get(f"{{{_NS['r']}}}id"), "") or "").lstrip("/")
            parts[s.get("name")] = t if t.startswith("xl/") else f"xl/{t}"
        names = [(d.get("name"), (d.text or "").strip()) for d in wb.findall("m:definedNames/m:definedName", _NS)
                 if d.get("localSheetId") is None]
        return parts, names

    def _styles(self) -> tuple[set[int], set[int]]:
        """The cellXfs indices that indent, and those whose number format shows a percent."""
        try:
            xml = self._zip.read("xl/styles.xml")
        except KeyError:
            return set(), set()
        custom = {int(i): _unescape(code) for i, code in _NUMFMT.findall(xml)}
        m = re.search(rb"<cellXfs\b.*?</cellXfs>", xml, re.S)
        if not m:
            return set(), set()
        indent, percent = set(), set()
        for i, xf in enumerate(_XF.findall(m.group(0))):
            head = xf[:xf.find(b">")]
            ind = _INDENT.search(xf)
            if ind and int(ind.group(1)) > 0:
                indent.add(i)
            fid = _NUMFMT_ID.search(head)
            if fid:
                n = int(fid.group(1))
                if n in _BUILTIN_PERCENT or is_percent_format(custom.get(n)):
                    percent.add(i)
        return indent, percent

    # ---- one sheet's XML
    def _scan(self, xml: bytes, g: Grid) -> None:
        self._scan_errors(xml, g)
        self._scan_formulas(xml, g)
        self._scan_styles(xml, g)
        for m in re.finditer(rb'\bhidden="(?:1|true)"', xml):
            found = _tag_before(xml, m.start(), b"row ")
            if found:
                r = re.search(rb'\br="(\d+)"', found[1])
                if r:
                    g.hidden_rows.add(int(r.group(1)) - 1)

    @staticmethod
    def _scan_errors(xml: bytes, g: Grid) -> None:
        for m in re.finditer(rb'\bt="e"', xml):
            found = _tag_before(xml, m.start(), b"c ")
            if not found:
                continue
            start, tag = found
            pos = _pos(tag)
            if pos is None or tag.endswith(b"/>"):
                continue
            end = xml.find(b"</c>", start)
            v = _V.search(xml, start, end)
            text = _unescape(v.group(1)) if v else "#VALUE!"
            g.errors[pos] = text
            r, c = pos
            while len(g.rows) <= r:
                g.rows.append([])
            row = g.rows[r]
            while len(row) <= c:
                row.append(None)
            row[c] = text

    @staticmethod
    def _scan_formulas(xml: bytes, g: Grid) -> None:
        masters: dict[bytes, tuple[tuple[int, int], str]] = {}
        pending: list[tuple[tuple[int, int], bytes]] = []
        at = xml.find(b"<f")
        while at >= 0:
            nxt = xml[at + 2:at + 3]
            if nxt not in (b">", b" ", b"/"):
                at = xml.find(b"<f", at + 2)
                continue
            cell = _tag_before(xml, xml.rfind(b"<c ", 0, at), b"c ")
            close = xml.find(b">", at)
            head = xml[at:close + 1]
            attrs = dict(_F_ATTR.findall(head))
            if head.endswith(b"/>"):
                text = None
                at_next = close + 1
            else:
                end = xml.find(b"</f>", close)
                text = _unescape(xml[close + 1:end])
                at_next = end + 4
            pos = _pos(cell[1]) if cell else None
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
        for pos, si in pending:
            if si in masters:
                (r0, c0), text = masters[si]
                g.formulas[pos] = "=" + shift(text, pos[0] - r0, pos[1] - c0)

    def _scan_styles(self, xml: bytes, g: Grid) -> None:
        wanted = self._indent_styles | self._percent_styles
        if not wanted:
            return
        ids = b"|".join(str(i).encode() for i in sorted(wanted))
        for m in re.finditer(rb'\ss="(' + ids + rb')"', xml):
            found = _tag_before(xml, m.start(), b"c ")
            if not found:
                continue
            pos = _pos(found[1])
            if pos is None:
                continue
            s = int(m.group(1))
            if s in self._indent_styles:
                g.indented.add(pos)
            if s in self._percent_styles:
                g.percent.add(pos)


def load_grids(path: str | Path) -> tuple[list[Grid], dict[str, str]]:
    """All worksheets of a file as Grids, and its workbook-level defined names."""
    src = XlsxSource(path)
    try:
        return [src.grid(n) for n in src.sheet_names()], src.defined_names()
    finally:
        src.close()
