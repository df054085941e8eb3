"""The workbook port over a file, with openpyxl: formulas kept, cached values read beside them."""

from __future__ import annotations

import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from selfeval_xl.addin.port import Mark
from selfeval_xl.core.address import col_letter
from selfeval_xl.core.model import Grid
from selfeval_xl.errors import InputError


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

    def grid(self, sheet: str) -> Grid:
        ws = self._value_book()[sheet] if sheet in self._value_book().sheetnames else self._wb[sheet]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        if ws is not self._wb[sheet]:
            self._check_cached(sheet, rows)
        merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in self._wb[sheet].merged_cells.ranges]
        return Grid(sheet, rows, merged, hidden=self._wb[sheet].sheet_state != "visible")

    def _check_cached(self, sheet: str, values: list[list]) -> None:
        """A file last saved by openpyxl has formulas without results; reading it would see zeros."""
        formulas = self.formulas(sheet)
        n = cached = 0
        for fr, vr in zip(formulas, values):
            for f, v in zip(fr, vr):
                if isinstance(f, str) and f.startswith("="):
                    n += 1
                    cached += v is not None
        if n and not cached:
            raise InputError(f"{self.path.name} 的“{sheet}”中公式没有计算结果（文件由程序保存、未经 Excel 计算）："
                             "请在 Excel 或 WPS 中打开并保存一次后再试")

    def formulas(self, sheet: str) -> list[list]:
        return [list(r) for r in self._wb[sheet].iter_rows(values_only=True)]

    def defined_names(self) -> dict[str, str]:
        return {n: d.attr_text for n, d in self._wb.defined_names.items()}

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
        from selfeval_xl.io.atomic import atomic_path

        with atomic_path(path or self.path, force=True) as tmp:
            self._wb.save(tmp)
