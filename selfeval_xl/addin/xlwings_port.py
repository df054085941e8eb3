"""The workbook port over live Excel, through xlwings. Reading goes through sources.xlwings_source (the same
Grid contract as the command line); every block is written with one call. Per-cell calls are made only for
cells that carry findings."""

from __future__ import annotations

from pathlib import Path

from selfeval_xl.app.port import Mark

ALERT_TITLE = "绩效自评"


def _rgb_hex(color) -> str | None:
    if color is None:
        return None
    r, g, b = color
    return f"{r:02X}{g:02X}{b:02X}"


class XlwingsPort:
    """A live workbook (xw.Book). Changes show at once; save() is left to the user."""

    def __init__(self, book):
        from selfeval_xl.sources.xlwings_source import XlwingsSource

        self.book = book
        full = getattr(book, "fullname", "") or ""
        self.path = Path(full) if full and Path(full).is_absolute() else None
        self._source = XlwingsSource(book)

    def _sheet_map(self):
        return self._source.sheet_map()

    def sheet_names(self) -> list[str]:
        return list(self._sheet_map())

    def source(self):
        return self._source

    def write(self, sheet: str, row: int, col: int, rows: list[list], text: bool = False) -> None:
        if not rows:
            return
        rng = self._sheet_map()[sheet].range((row, col)).resize(len(rows), max(len(r) for r in rows))
        if text:
            rng.number_format = "@"  # text cells: a leading = is not a formula
        rng.value = rows

    def marks(self, sheet: str, cells: list[str]) -> dict[str, Mark]:
        ws = self._sheet_map()[sheet]
        out = {}
        for a in cells:
            rng = ws.range(a)
            rgb = _rgb_hex(rng.color)
            note = rng.note
            out[a] = Mark.of({"rgb": rgb} if rgb else None, {"text": note.text} if note is not None else None)
        return out

    def set_marks(self, sheet: str, marks: dict[str, Mark]) -> None:
        ws = self._sheet_map()[sheet]
        for a, m in marks.items():
            rng = ws.range(a)
            f = m.fill_dict
            rgb = f.get("rgb") or _xml_rgb(f.get("xml"))
            rng.color = tuple(int(rgb[i:i + 2], 16) for i in (0, 2, 4)) if rgb else None
            n = m.note_dict
            old = rng.note
            if n is None:
                if old is not None:
                    old.delete()
            elif old is not None:
                old.text = n["text"]
            else:
                rng.add_note(n["text"])

    def add_sheet(self, name: str, hidden: bool = False) -> None:
        self.delete_sheet(name)
        sheets = self.book.sheets
        ws = sheets.add(name, after=sheets[len(sheets) - 1])
        if hidden:
            ws.visible = False
        self._source.refresh()

    def delete_sheet(self, name: str) -> None:
        ws = self._sheet_map().get(name)
        if ws is not None:
            ws.delete()
            self._source.refresh()

    def set_widths(self, sheet: str, widths: list[float]) -> None:
        ws = self._sheet_map()[sheet]
        for i, w in enumerate(widths, start=1):
            ws.range((1, i)).column_width = w

    def alert(self, message: str, title: str = ALERT_TITLE) -> None:
        self.book.app.alert(message, title=title)

    def save(self) -> None:
        pass  # the user saves, as with any edit in Excel


def _xml_rgb(xml: str | None) -> str | None:
    """The solid colour of a fill remembered by the file adapter (a workbook marked in a file, cleared in Excel)."""
    if not xml:
        return None
    import re

    m = re.search(r'fgColor[^>]*rgb="(?:[0-9A-Fa-f]{2})?([0-9A-Fa-f]{6})"', xml)
    return m.group(1) if m else None
