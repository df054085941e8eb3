"""The workbook port over a file, with openpyxl: formulas kept, cached values read beside them (reading goes
through sources.openpyxl_source, the same Grid contract as every other reader)."""

from __future__ import annotations

import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from selfeval_xl.app.port import Mark
from selfeval_xl.core.address import col_letter
from selfeval_xl.errors import InputError
from selfeval_xl.sources.grid import Grid


class OpenpyxlPort:
    """A workbook file opened for reading and annotating; nothing is written until save()."""

    def __init__(self, path: str | Path):
        import openpyxl

        self.path = Path(path)
        self._wb = openpyxl.load_workbook(self.path)
        self._values = None

    def _value_book(self):
        if self._values is None:
            import openpyxl

            self._values = openpyxl.load_workbook(self.path, data_only=True)
        return self._values

    def sheet_names(self) -> list[str]:
        return list(self._wb.sheetnames)

    def source(self) -> "_CheckedSource":
        from selfeval_xl.sources.openpyxl_source import OpenpyxlSource

        return _CheckedSource(OpenpyxlSource(self._wb, self._value_book()), self.path)

    def write(self, sheet: str, row: int, col: int, rows: list[list], text: bool = False) -> None:
        ws = self._wb[sheet]
        for i, values in enumerate(rows):
            for j, v in enumerate(values):
                c = ws.cell(row + i, col + j)
                c.value = v
                if text and isinstance(v, str):
                    c.data_type = "s"  # never a formula, whatever the text begins with

    def _cell(self, sheet: str, a1: str):
        """The cell, or the top-left cell of the merged range it lies in (the one that shows)."""
        ws = self._wb[sheet]
        for m in ws.merged_cells.ranges:
            if a1 in m:
                return ws.cell(m.min_row, m.min_col)
        return ws[a1]

    def marks(self, sheet: str, cells: list[str]) -> dict[str, Mark]:
        out = {}
        for a in cells:
            c = self._cell(sheet, a)
            plain = getattr(c.fill, "tagname", "") == "patternFill" and not c.fill.fill_type
            fill = None if plain else {"xml": ET.tostring(c.fill.to_tree(), encoding="unicode")}
            note = {"text": c.comment.text, "author": c.comment.author, "w": c.comment.width,
                    "h": c.comment.height} if c.comment else None
            out[a] = Mark.of(fill, note)
        return out

    def set_marks(self, sheet: str, marks: dict[str, Mark]) -> None:
        from openpyxl.comments import Comment
        from openpyxl.styles import PatternFill
        from openpyxl.styles.fills import Fill

        for a, m in marks.items():
            c = self._cell(sheet, a)
            f = m.fill_dict
            if "xml" in f:
                c.fill = Fill.from_tree(ET.fromstring(f["xml"]))
            elif "rgb" in f:
                c.fill = PatternFill("solid", fgColor="FF" + f["rgb"].lstrip("#"))
            else:
                c.fill = PatternFill(fill_type=None)
            n = m.note_dict
            if n is None:
                c.comment = None
            else:
                c.comment = Comment(n["text"], n.get("author") or "selfeval-xl", width=n.get("w") or 320,
                                    height=n.get("h") or 120)

    def add_sheet(self, name: str, hidden: bool = False) -> None:
        if name in self._wb.sheetnames:
            del self._wb[name]
        ws = self._wb.create_sheet(name)
        if hidden:
            ws.sheet_state = "veryHidden"

    def delete_sheet(self, name: str) -> None:
        if name in self._wb.sheetnames:
            del self._wb[name]

    def set_widths(self, sheet: str, widths: list[float]) -> None:
        for i, w in enumerate(widths, start=1):
            self._wb[sheet].column_dimensions[col_letter(i)].width = w

    def alert(self, message: str, title: str = "绩效自评") -> None:
        print(f"{title}：{message}", file=sys.stderr)

    def save(self, path: str | Path | None = None) -> None:
        """Write the workbook (atomically: temp file, then rename)."""
        from selfeval_xl.writers.atomic import atomic_path

        with atomic_path(path or self.path, force=True) as tmp:
            self._wb.save(tmp)


class _CheckedSource:
    """The file's GridSource, refusing sheets whose formulas have no cached results: a file last saved by
    openpyxl would read as zeros."""

    def __init__(self, inner, path: Path):
        self._inner, self._path = inner, path

    def sheet_names(self) -> list[str]:
        return self._inner.sheet_names()

    def defined_names(self) -> dict[str, str]:
        return self._inner.defined_names()

    def grid(self, sheet: str) -> Grid:
        g = self._inner.grid(sheet)
        if g.formulas and all(g.value(r, c) is None for r, c in g.formulas):
            raise InputError(f"{self._path.name} 的“{sheet}”中公式没有计算结果（文件由程序保存、未经 Excel 计算）："
                             "请在 Excel 或 WPS 中打开并保存一次后再试")
        return g
