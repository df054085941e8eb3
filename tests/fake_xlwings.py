"""A recording fake of the xlwings objects the Excel adapter uses (Book, Sheets, Sheet, Range, Note).

It holds a real workbook's values (loaded with openpyxl) and counts every call that would cross into
Excel: property reads and writes on Range/Sheet/Note, and method calls."""

from __future__ import annotations

import openpyxl


class Calls:
    def __init__(self):
        self.n = 0
        self.log: list[str] = []

    def hit(self, what: str) -> None:
        self.n += 1
        self.log.append(what)


def _letters(col: int) -> str:
    s = ""
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


class FakeNote:
    def __init__(self, cell, calls):
        self._cell, self._calls = cell, calls

    @property
    def text(self):
        self._calls.hit("note.text")
        return self._cell["note"]

    @text.setter
    def text(self, v):
        self._calls.hit("note.text=")
        self._cell["note"] = v

    def delete(self):
        self._calls.hit("note.delete")
        self._cell["note"] = None


class FakeRange:
    def __init__(self, sheet, row, col, nrows=1, ncols=1):
        self.sheet, self.row_, self.col_, self.nrows, self.ncols = sheet, row, col, nrows, ncols
        self._calls = sheet._calls

    @property
    def row(self):
        self._calls.hit("row")
        return self.row_

    @property
    def column(self):
        self._calls.hit("column")
        return self.col_

    def options(self, **kw):
        return self  # configures the next read; no call to Excel

    def resize(self, nrows, ncols):
        return FakeRange(self.sheet, self.row_, self.col_, nrows, ncols)

    def _cells(self):
        return [[self.sheet._cell(self.row_ + i, self.col_ + j) for j in range(self.ncols)] for i in range(self.nrows)]

    @property
    def value(self):
        self._calls.hit("value")
        return [[c["value"] for c in r] for r in self._cells()]

    @value.setter
    def value(self, rows):
        self._calls.hit("value=")
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                self.sheet._cell(self.row_ + i, self.col_ + j)["value"] = v

    @property
    def formula(self):
        self._calls.hit("formula")
        return [[c["value"] if c["value"] is not None else "" for c in r] for r in self._cells()]

    @property
    def number_format(self):
        self._calls.hit("number_format")
        return "General"

    @number_format.setter
    def number_format(self, v):
        self._calls.hit("number_format=")

    @property
    def column_width(self):
        return 8

    @column_width.setter
    def column_width(self, v):
        self._calls.hit("column_width=")

    @property
    def color(self):
        self._calls.hit("color")
        return self.sheet._cell(self.row_, self.col_)["color"]

    @color.setter
    def color(self, v):
        self._calls.hit("color=")
        self.sheet._cell(self.row_, self.col_)["color"] = v

    @property
    def note(self):
        self._calls.hit("note")
        c = self.sheet._cell(self.row_, self.col_)
        return FakeNote(c, self._calls) if c["note"] is not None else None

    def add_note(self, text):
        self._calls.hit("add_note")
        c = self.sheet._cell(self.row_, self.col_)
        c["note"] = text
        return FakeNote(c, self._calls)


class FakeSheet:
    def __init__(self, book, name, rows=None):
        self.book, self.name, self._calls = book, name, book._calls
        self.cells: dict[tuple[int, int], dict] = {}
        self._visible = True
        for i, r in enumerate(rows or [], start=1):
            for j, v in enumerate(r, start=1):
                if v is not None:
                    self._cell(i, j)["value"] = v

    def _cell(self, r, c):
        return self.cells.setdefault((r, c), {"value": None, "color": None, "note": None})

    @property
    def used_range(self):
        self._calls.hit("used_range")
        used = [k for k, v in self.cells.items() if v["value"] is not None] or [(1, 1)]
        r0, c0 = min(r for r, _ in used), min(c for _, c in used)
        r1, c1 = max(r for r, _ in used), max(c for _, c in used)
        return FakeRange(self, r0, c0, r1 - r0 + 1, c1 - c0 + 1)

    def range(self, ref):
        if isinstance(ref, tuple):
            return FakeRange(self, *ref)
        col = "".join(ch for ch in ref if ch.isalpha())
        row = int("".join(ch for ch in ref if ch.isdigit()))
        n = 0
        for ch in col:
            n = n * 26 + ord(ch.upper()) - 64
        return FakeRange(self, row, n)

    @property
    def visible(self):
        self._calls.hit("visible")
        return self._visible

    @visible.setter
    def visible(self, v):
        self._calls.hit("visible=")
        self._visible = v

    def delete(self):
        self._calls.hit("sheet.delete")
        self.book._sheets.remove(self)


class FakeSheets:
    def __init__(self, book):
        self.book = book

    def __iter__(self):
        self.book._calls.hit("sheets")
        return iter(list(self.book._sheets))

    def __len__(self):
        return len(self.book._sheets)

    def __getitem__(self, i):
        return self.book._sheets[i]

    def add(self, name, after=None):
        self.book._calls.hit("sheets.add")
        s = FakeSheet(self.book, name)
        self.book._sheets.append(s)
        return s


class FakeApp:
    def __init__(self, calls):
        self._calls = calls
        self.alerts = []

    def alert(self, message, title=""):
        self._calls.hit("alert")
        self.alerts.append(message)


class FakeBook:
    """A workbook as xlwings would show it, loaded from an xlsx (values as Excel has computed them)."""

    def __init__(self, path):
        self._calls = Calls()
        wb = openpyxl.load_workbook(path, data_only=True)
        self._sheets = [FakeSheet(self, ws.title, ws.iter_rows(values_only=True)) for ws in wb.worksheets]
        self.fullname = str(path)
        self.app = FakeApp(self._calls)

    @property
    def sheets(self):
        return FakeSheets(self)

    @property
    def calls(self) -> Calls:
        return self._calls
