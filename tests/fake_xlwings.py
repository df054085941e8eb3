"""A recording fake of the xlwings objects the Excel adapter uses (Book, Sheets, Sheet, Range, Note, Names).

It holds a real workbook (loaded with openpyxl twice: cached values and formulas) and exposes what a real
Range exposes: values (numbers as floats, errors as text with err_to_str), formulas (a string for one cell, rows
of strings for a block), number_format, merge_cells / merge_area / address, and through `api` the Excel
properties xlwings does not wrap (IndentLevel, EntireRow.Hidden). As in Excel, a multi-cell range answers a
property with one value when all its cells agree and None when they differ. Every call that would cross into
Excel is counted."""

from __future__ import annotations

import datetime as dt

import openpyxl
from openpyxl.utils import get_column_letter


class Calls:
    def __init__(self):
        self.n = 0
        self.log: list[str] = []

    def hit(self, what: str) -> None:
        self.n += 1
        self.log.append(what)


def _counted(label: str, attr: str):
    """A read-only property that counts one call into Excel, then answers the attribute attr."""

    def read(self):
        self._calls.hit(label)
        return getattr(self, attr)

    return property(read)


def _uniform(values):
    """Excel's answer for a block: the common value, or None (Null) when the cells differ."""
    first = values[0]
    return first if all(v == first for v in values) else None


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


class _EntireRow:
    def __init__(self, rng):
        self._rng = rng

    @property
    def Hidden(self):  # noqa: N802 - Excel's name
        self._rng._calls.hit("api.EntireRow.Hidden")
        sheet = self._rng.sheet
        return _uniform([r in sheet.hidden_rows for r in range(self._rng.row_, self._rng.row_ + self._rng.nrows)])


class _Api:
    """The Excel Range object behind xlwings' Range, for the properties the adapter reads."""

    def __init__(self, rng):
        self._rng = rng

    @property
    def IndentLevel(self):  # noqa: N802 - Excel's name
        self._rng._calls.hit("api.IndentLevel")
        return _uniform([c["indent"] for row in self._rng._cells() for c in row])

    @property
    def EntireRow(self):  # noqa: N802 - Excel's name
        return _EntireRow(self._rng)


class FakeRange:
    def __init__(self, sheet, row, col, nrows=1, ncols=1):
        self.sheet, self.row_, self.col_, self.nrows, self.ncols = sheet, row, col, nrows, ncols
        self._calls = sheet._calls

    row = _counted("row", "row_")
    column = _counted("column", "col_")

    @property
    def api(self):
        return _Api(self)

    def options(self, **kw):
        return self  # configures the next read; no call to Excel

    def resize(self, nrows, ncols):
        return FakeRange(self.sheet, self.row_, self.col_, nrows, ncols)

    def _cells(self):
        return [[self.sheet._cell(self.row_ + i, self.col_ + j) for j in range(self.ncols)] for i in range(self.nrows)]

    @property
    def address(self):
        self._calls.hit("address")
        a = f"${get_column_letter(self.col_)}${self.row_}"
        if self.nrows == 1 and self.ncols == 1:
            return a
        return f"{a}:${get_column_letter(self.col_ + self.ncols - 1)}${self.row_ + self.nrows - 1}"

    @property
    def value(self):
        self._calls.hit("value")
        return [[_as_excel(c["value"]) for c in r] for r in self._cells()]

    @value.setter
    def value(self, rows):
        self._calls.hit("value=")
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                cell = self.sheet._cell(self.row_ + i, self.col_ + j)
                cell["value"] = v
                cell["formula"] = v if isinstance(v, str) and v.startswith("=") else None

    @property
    def formula(self):
        self._calls.hit("formula")
        rows = [[c["formula"] or ("" if c["value"] is None else c["value"]) for c in r] for r in self._cells()]
        return rows[0][0] if self.nrows == 1 and self.ncols == 1 else rows

    @property
    def number_format(self):
        self._calls.hit("number_format")
        return _uniform([c["format"] for row in self._cells() for c in row])

    @number_format.setter
    def number_format(self, v):
        self._calls.hit("number_format=")
        for row in self._cells():
            for c in row:
                c["format"] = v

    @property
    def merge_cells(self):
        self._calls.hit("merge_cells")
        return _uniform([self.sheet._area_of(self.row_ + i, self.col_ + j) is not None
                         for i in range(self.nrows) for j in range(self.ncols)])

    @property
    def merge_area(self):
        self._calls.hit("merge_area")
        area = self.sheet._area_of(self.row_, self.col_)
        if area is None:
            return FakeRange(self.sheet, self.row_, self.col_)
        r0, c0, r1, c1 = area
        return FakeRange(self.sheet, r0, c0, r1 - r0 + 1, c1 - c0 + 1)

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


def _as_excel(v):
    """A value as xlwings hands it over: numbers as floats, dates as datetimes."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    return v


class FakeSheet:
    def __init__(self, book, name, values_ws=None, formulas_ws=None):
        self.book, self.name, self._calls = book, name, book._calls
        self.cells: dict[tuple[int, int], dict] = {}
        self._visible = True
        self.merged: list[tuple[int, int, int, int]] = []  # 1-based inclusive
        self.hidden_rows: set[int] = set()
        if values_ws is not None:
            self._visible = formulas_ws.sheet_state == "visible"
            for vrow, frow in zip(values_ws.iter_rows(), formulas_ws.iter_rows()):
                for vc, fc in zip(vrow, frow):
                    cell = self._cell(vc.row, vc.column)
                    cell["value"] = vc.value
                    if fc.data_type == "f":
                        cell["formula"] = fc.value if isinstance(fc.value, str) else fc.value.text
                    cell["format"] = fc.number_format
                    cell["indent"] = int(fc.alignment.indent or 0) if fc.alignment is not None else 0
            self.merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in formulas_ws.merged_cells.ranges]
            self.hidden_rows = {i for i, d in formulas_ws.row_dimensions.items() if d.hidden}

    def _cell(self, r, c):
        return self.cells.setdefault((r, c), {"value": None, "formula": None, "format": "General", "indent": 0,
                                              "color": None, "note": None})

    def _area_of(self, r, c):
        return next(((r0, c0, r1, c1) for r0, c0, r1, c1 in self.merged if r0 <= r <= r1 and c0 <= c <= c1), None)

    @property
    def used_range(self):
        self._calls.hit("used_range")
        used = [k for k, v in self.cells.items() if v["value"] is not None] or [(1, 1)]
        r0, c0 = min(r for r, _ in used), min(c for _, c in used)
        r1, c1 = max(r for r, _ in used), max(c for _, c in used)
        return FakeRange(self, r0, c0, r1 - r0 + 1, c1 - c0 + 1)

    def range(self, ref, other=None):
        if isinstance(ref, tuple):
            if other is None:
                return FakeRange(self, *ref)
            (r0, c0), (r1, c1) = ref, other
            return FakeRange(self, r0, c0, r1 - r0 + 1, c1 - c0 + 1)
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


class FakeName:
    def __init__(self, name, refers_to, calls):
        self._name, self._refers_to, self._calls = name, refers_to, calls

    name = _counted("name.name", "_name")
    refers_to = _counted("name.refers_to", "_refers_to")


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
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path)
        self._sheets = [FakeSheet(self, ws.title, ws, formulas[ws.title]) for ws in values.worksheets]
        self._names = [FakeName(n, "=" + d.attr_text, self._calls) for n, d in formulas.defined_names.items()]
        self.fullname = str(path)
        self.app = FakeApp(self._calls)

    @property
    def sheets(self):
        return FakeSheets(self)

    @property
    def names(self):
        self._calls.hit("names")
        return list(self._names)

    @property
    def calls(self) -> Calls:
        return self._calls
