"""A sheet whose cells reach far from A1, read by calamine with its cells packed into one column.

calamine allocates its Range over the rectangle from the first to the last cell, so the demo plus one value at
XFD1048576 asks for 512 GiB. Here the same cells — type, style, value and text untouched, only `r` rewritten —
go one per row into a one-sheet workbook made in memory with the workbook's own shared strings, styles and date
system; calamine converts every value exactly as it does for any other sheet, and the caller puts each value
back at its cell. (Reading values ourselves would mean copying calamine's rules for dates, numbers and
strings, and keeping the copy in step with it.)"""

from __future__ import annotations

import io
import re
import zipfile

from selfeval_xl.sources.sheet_xml import Cells

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')


def _rels(kind: str, target: str) -> str:
    """A relationships part holding one relationship, rId1."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/{kind}" Target="{target}"/></Relationships>')


_ROOT_RELS, _BOOK_RELS = _rels("officeDocument", "xl/workbook.xml"), _rels("worksheet", "worksheets/sheet1.xml")
_MERGES = re.compile(rb"<(?:[\w.-]+:)?mergeCells\b(?:[^>]*/>|.*?</(?:[\w.-]+:)?mergeCells>)", re.DOTALL)


def _attr(value: str) -> str:
    """An attribute value escaped for double quotes (saxutils would import urllib.request on every run)."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def packed_book(cells: Cells, xml: bytes, strings: bytes | None, styles: bytes | None, date1904: bool) -> bytes:
    """The one-sheet workbook (sheet "s"): cell i of cells.spans at A{i+1}, and the sheet's merged ranges."""
    rows = []
    for i, (_, _, start, end, tag_end, tag, attrs) in enumerate(cells.spans):
        head = "<" + tag + "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items() if k != "r") + f' r="A{i + 1}"'
        if attrs.get("t") == "e":  # its text is read from the XML; calamine knows only seven error values
            v = tag[:-1].encode() + b"v"  # "c" or "x:c": the value tag with the same prefix
            body = b"><%s>#N/A</%s></%s>" % (v, v, tag.encode())
        else:
            body = b"/>" if xml[tag_end - 2:tag_end] == b"/>" else b">" + xml[tag_end:end]
        rows.append(b'<row r="%d">%s%s</row>' % (i + 1, head.encode("utf-8"), body))
    merges = _MERGES.search(xml)
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
             + b"".join(rows) + b"</sheetData>" + (merges.group(0) if merges else b"") + b"</worksheet>")
    book = (f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<workbookPr date1904="{1 if date1904 else 0}"/><sheets><sheet name="s" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if styles is not None:
            z.writestr("xl/styles.xml", styles)
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", strings)
    return buf.getvalue()


def read_packed(book: bytes, count: int) -> tuple[list[object], list]:
    """(the value of each packed cell, in order, "" when empty; the merged ranges) as calamine reads them."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(book))
    try:
        sheet = wb.get_sheet_by_name("s")
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    finally:
        wb.close()
    values = [row[0] if row else "" for row in rows[:count]]
    return values + [""] * (count - len(values)), merged
