"""Load every sheet's values in one call each (python-calamine), plus the layout facts
calamine does not give: error values, indented cells and defined names, from one regex
pass over each sheet's XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from selfeval_xl.core.address import col_index
from selfeval_xl.core.model import Grid
from selfeval_xl.errors import InputError

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(/>|>(.*?)</c>)', re.S)
_ATTR_S = re.compile(rb'\bs="(\d+)"')
_ATTR_T = re.compile(rb'\bt="(\w+)"')
_VAL = re.compile(rb"<v>(.*?)</v>", re.S)
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
_INDENT = re.compile(rb'indent="(\d+)"')


def _sheet_parts(z: zipfile.ZipFile) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """{sheet name: zip part} and the defined names as (name, ref text)."""
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
    parts = {}
    for s in wb.findall("m:sheets/m:sheet", _NS):
        t = targets.get(s.get(f"{{{_NS['r']}}}id"), "")
        t = t.lstrip("/")
        parts[s.get("name")] = t if t.startswith("xl/") else f"xl/{t}"
    names = [(d.get("name"), (d.text or "").strip()) for d in wb.findall("m:definedNames/m:definedName", _NS)
             if d.get("localSheetId") is None]
    return parts, names


def _indented_styles(z: zipfile.ZipFile) -> set[int]:
    try:
        xml = z.read("xl/styles.xml")
    except KeyError:
        return set()
    m = re.search(rb"<cellXfs\b.*?</cellXfs>", xml, re.S)
    if not m:
        return set()
    out = set()
    for i, xf in enumerate(_XF.findall(m.group(0))):
        ind = _INDENT.search(xf)
        if ind and int(ind.group(1)) > 0:
            out.add(i)
    return out


def _scan_sheet(xml: bytes, indent_styles: set[int]) -> tuple[set, dict]:
    """Indented cells and error cells (0-based), from one pass over the sheet XML."""
    indented, errors = set(), {}
    if not indent_styles and b't="e"' not in xml:
        return indented, errors
    for m in _CELL.finditer(xml):
        attrs = m.group(3)
        r, c = int(m.group(2)) - 1, col_index(m.group(1).decode()) - 1
        s = _ATTR_S.search(attrs)
        if s and int(s.group(1)) in indent_styles:
            indented.add((r, c))
        t = _ATTR_T.search(attrs)
        if t and t.group(1) == b"e":
            v = _VAL.search(m.group(5) or b"")
            errors[(r, c)] = v.group(1).decode() if v else "#VALUE!"
    return indented, errors


def load_grids(path: Path) -> tuple[list[Grid], dict[str, str]]:
    """All sheets as Grids, and the workbook-level defined names."""
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine reports corrupt parts as generic errors
        raise InputError(f"{path.name} 无法读取（{str(e).splitlines()[0][:80]}），请在 Excel 中打开后另存为 .xlsx") from None
    with zipfile.ZipFile(path) as z:
        try:
            parts, names = _sheet_parts(z)
        except (KeyError, ET.ParseError):
            raise InputError(f"{path.name} 的工作簿结构已损坏，请在 Excel 中打开后另存为 .xlsx") from None
        indent_styles = _indented_styles(z)
        grids = []
        for meta in book.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            part = parts.get(meta.name)
            indented, errors = set(), {}
            if part:
                try:
                    indented, errors = _scan_sheet(z.read(part), indent_styles)
                except KeyError:
                    pass
            hidden = "Visible" not in str(meta.visible)
            grids.append(Grid(meta.name, rows, merged, indented, errors, hidden))
    return grids, dict(names)
